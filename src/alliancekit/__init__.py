"""alliancekit: alliance and military-cooperation panels, measures and obligations.

The public API, in peacesciencer's grammar: ``create_*`` builds the unit of analysis, ``add_*``
joins variables onto it, ``filter_*`` drops rows.

The functions are loaded on first use (``ak.add_nmc`` imports the panels the first time it is
read), so ``import alliancekit`` and the command line start without loading pandas until a
command needs it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from alliancekit._version import __version__
from alliancekit.errors import (
    AlliancekitError,
    ChecksumError,
    FetchError,
    PanelKindError,
    SourceError,
    SourceFormatError,
    SourceNotFoundError,
    UsageError,
)

if TYPE_CHECKING:
    from alliancekit.io import read_panel, write_panel
    from alliancekit.measures.network import add_network_measures
    from alliancekit.panels.atop import add_atop_alliance
    from alliancekit.panels.capitals import add_capital_distance
    from alliancekit.panels.contiguity import add_contiguity
    from alliancekit.panels.cooperation import (
        add_arms_transfers,
        add_dca,
        add_exercises,
        add_milex,
        add_peacekeeping,
        add_us_troops,
    )
    from alliancekit.panels.create import create_dyadyears, create_stateyears
    from alliancekit.panels.disputes import add_gml_mids
    from alliancekit.panels.filters import filter_group, filter_prd
    from alliancekit.panels.majors import add_majors
    from alliancekit.panels.nmc import add_nmc
    from alliancekit.panels.peace_years import add_peace_years
    from alliancekit.panels.rivalries import add_strategic_rivalries
    from alliancekit.panels.similarity import add_similarity
    from alliancekit.panels.ucdp import add_ucdp_acd, add_ucdp_support
    from alliancekit.panels.wars import add_cow_wars
    from alliancekit.reliability.cases import reliability_cases
    from alliancekit.reliability.events import conflict_events
    from alliancekit.reliability.rates import reliability_rates

# Where each public function lives.
_HOMES = {
    "read_panel": "alliancekit.io",
    "write_panel": "alliancekit.io",
    "add_network_measures": "alliancekit.measures.network",
    "add_atop_alliance": "alliancekit.panels.atop",
    "add_capital_distance": "alliancekit.panels.capitals",
    "add_contiguity": "alliancekit.panels.contiguity",
    "add_arms_transfers": "alliancekit.panels.cooperation",
    "add_dca": "alliancekit.panels.cooperation",
    "add_exercises": "alliancekit.panels.cooperation",
    "add_milex": "alliancekit.panels.cooperation",
    "add_peacekeeping": "alliancekit.panels.cooperation",
    "add_us_troops": "alliancekit.panels.cooperation",
    "create_dyadyears": "alliancekit.panels.create",
    "create_stateyears": "alliancekit.panels.create",
    "filter_group": "alliancekit.panels.filters",
    "filter_prd": "alliancekit.panels.filters",
    "add_majors": "alliancekit.panels.majors",
    "add_nmc": "alliancekit.panels.nmc",
    "add_similarity": "alliancekit.panels.similarity",
    "add_strategic_rivalries": "alliancekit.panels.rivalries",
    "add_cow_wars": "alliancekit.panels.wars",
    "add_gml_mids": "alliancekit.panels.disputes",
    "add_peace_years": "alliancekit.panels.peace_years",
    "add_ucdp_acd": "alliancekit.panels.ucdp",
    "add_ucdp_support": "alliancekit.panels.ucdp",
    "conflict_events": "alliancekit.reliability.events",
    "reliability_cases": "alliancekit.reliability.cases",
    "reliability_rates": "alliancekit.reliability.rates",
}


def __getattr__(name: str) -> Any:
    """Load a public function from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'alliancekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "AlliancekitError",
    "ChecksumError",
    "FetchError",
    "PanelKindError",
    "SourceError",
    "SourceFormatError",
    "SourceNotFoundError",
    "UsageError",
    "__version__",
    "add_arms_transfers",
    "add_atop_alliance",
    "add_capital_distance",
    "add_contiguity",
    "add_cow_wars",
    "add_dca",
    "add_exercises",
    "add_gml_mids",
    "add_majors",
    "add_milex",
    "add_network_measures",
    "add_nmc",
    "add_peace_years",
    "add_peacekeeping",
    "add_similarity",
    "add_strategic_rivalries",
    "add_ucdp_acd",
    "add_ucdp_support",
    "add_us_troops",
    "conflict_events",
    "create_dyadyears",
    "create_stateyears",
    "filter_group",
    "filter_prd",
    "read_panel",
    "reliability_cases",
    "reliability_rates",
    "write_panel",
]
