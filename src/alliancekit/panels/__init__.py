"""State-year and dyad-year panels: ``create_*`` builds the unit, ``add_*`` joins variables."""
