"""Conflict events and, on them, how alliance pledges fared: the event model
(:func:`conflict_events`) that reliability, profiles and the explorer read events through."""

from __future__ import annotations

from alliancekit.reliability.events import EVENT_COLUMNS, SOURCES, conflict_events

__all__ = ["EVENT_COLUMNS", "SOURCES", "conflict_events"]
