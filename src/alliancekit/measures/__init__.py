"""Measures computed from alliance portfolios and networks."""
