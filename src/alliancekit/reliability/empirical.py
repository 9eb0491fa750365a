"""The honouring rates the crisis simulation draws from: the historical record of COW
inter-state wars (1816-2003) read through ATOP, per era and obligation type, as Beta
distributions (:func:`~alliancekit.reliability.rates.beta_parameters`).

The backtest (:mod:`alliancekit.reliability.backtest`) chose them as the simulation's default:
on every war onset, these rates (estimated without that war) score better than the fixed 0.745
in every era. Where ATOP or the COW war data are not found the simulation falls back to the
fixed rate and says so.
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path

from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.reliability.cases import era_of, reliability_cases
from alliancekit.reliability.rates import beta_parameters
from alliancekit.sources.registry import find_source

HONOURED_CHOICES = ("empirical", "fixed")


def parse_honoured(value: str | float, argument: str = "honoured") -> float | None:
    """An honouring setting: None for ``empirical`` (the rates from past wars), else a fixed
    probability from 0 to 1; ``argument`` names the option in the error."""
    if isinstance(value, str) and value.strip().lower() == "empirical":
        return None
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"{argument} {value!r}: give 'empirical' or a probability such as "
                         "0.745") from None
    if not 0 <= number <= 1:
        raise UsageError(f"{argument} {value}: give 'empirical' or a probability from 0 to 1")
    return number


@cache
def _parameters(data_dir: str | None) -> dict[tuple[str, str], tuple[float, float]]:
    engine = Obligations(("atop",), data_dir=data_dir)
    return beta_parameters(reliability_cases("wars", engine=engine, data_dir=data_dir))


def available(data_dir: Path | str | None = None) -> bool:
    """Whether the data behind the empirical rates (ATOP, COW wars) are found."""
    return all(find_source(name, data_dir) is not None
               for name in ("atop", "atop_ddyr", "cow_wars"))


def empirical_rates(on: datetime.date, data_dir: Path | str | None = None
                    ) -> tuple[dict[str, tuple[float, float]], str] | None:
    """The Beta distributions for defence and offence pledges in the era of day ``on`` and a
    sentence saying where they come from; None when the data are not found."""
    if not available(data_dir):
        return None
    parameters = _parameters(None if data_dir is None else str(data_dir))
    era = era_of(on.year)
    rates = {obligation: parameters[(era, obligation)] for obligation in ("defence", "offence")
             if (era, obligation) in parameters}
    counts = ", ".join(f"{o} {a - 0.5:.0f} of {a + b - 1:.0f}" for o, (a, b) in
                       sorted(rates.items()))
    counts += "".join(f"; {o}: no cases in this era, so the fixed rate" for o in
                      ("defence", "offence") if o not in rates)
    return rates, (f"empirical: pledges honoured in COW inter-state wars of {era} by states "
                   f"free to choose, per ATOP ({counts}); alliancekit reliability --by "
                   "era,obligation")


def era_parameters(obligation: str = "defence", data_dir: Path | str | None = None
                   ) -> dict[str, tuple[float, float]]:
    """The Beta distribution of ``obligation`` pledges' honouring rate in each era with cases
    (the sweeps draw from it year by year); empty when the data are not found."""
    if not available(data_dir):
        return {}
    parameters = _parameters(None if data_dir is None else str(data_dir))
    return {era: value for (era, kind), value in parameters.items() if kind == obligation}
