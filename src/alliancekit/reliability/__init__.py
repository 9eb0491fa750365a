"""Conflict events and, on them, how alliance pledges fared: the event model
(:func:`conflict_events`), the cases of pledges in play at each onset
(:func:`reliability_cases`), their rates (:func:`reliability_rates`) and the backtest of the
crisis simulation (:mod:`alliancekit.reliability.backtest`)."""

from __future__ import annotations

from alliancekit.reliability.cases import CASE_COLUMNS, reliability_cases
from alliancekit.reliability.events import EVENT_COLUMNS, SOURCES, conflict_events
from alliancekit.reliability.rates import reliability_rates, wilson

__all__ = ["CASE_COLUMNS", "EVENT_COLUMNS", "SOURCES", "conflict_events", "reliability_cases",
           "reliability_rates", "wilson"]
