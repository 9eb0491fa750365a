"""The words the engine explains its answers in: English by default, another language when the
caller passes its translations.

The engine's explanations are built from message templates (``"{giver} pledged {obligation}
to {receiver} ..."``) passed through a :class:`Wording`. English needs nothing; the explorer
passes its Arabic catalogue, Arabic state names and dates. Words taken from the records
themselves (an agreement's name, a location, a condition written as free text, a carried
pledge's note) stay as the records give them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from alliancekit.names import state_name


@dataclass(frozen=True)
class Wording:
    """How explanations are worded: ``language`` (its code), ``messages`` (English template ->
    translation; a template not in it stays English), ``state`` (a state's name on a day) and
    ``day`` (a date as text), ``agreements`` (agreement id -> its name in the language, where
    the records have one). Calling it translates and fills a template:
    ``words("limited to {place}", place="Europe")``."""

    language: str = "en"
    messages: Mapping[str, str] = field(default_factory=dict)
    state: Callable[[int, datetime.date | None], str] = state_name
    day: Callable[[datetime.date], str] = datetime.date.isoformat
    agreements: Mapping[str, str] = field(default_factory=dict)

    def __call__(self, message: str, **values: Any) -> str:
        text = self.messages.get(message, message)
        return text.format(**values) if values else text

    def term(self, value: str) -> str:
        """A coded term (an obligation such as ``non_aggression``, a status such as
        ``not met``): itself in English, its translation (underscores as spaces) otherwise."""
        if not self.messages:
            return value
        return self.messages.get(value.replace("_", " "), value)

    def name(self, state: object, on: datetime.date | None = None) -> str:
        """The name of ``state`` (a COW code) on ``on``; a member outside the state system
        (a string such as Palestine's) as it is."""
        return self.state(int(state), on) if isinstance(state, int | np.integer) \
            else str(state)


ENGLISH = Wording()
