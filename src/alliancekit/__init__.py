"""alliancekit: alliance and military-cooperation panels, measures and obligations.

The public API, in peacesciencer's grammar: ``create_*`` builds the unit of analysis, ``add_*``
joins variables onto it, ``filter_*`` drops rows.
"""

from __future__ import annotations

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
from alliancekit.panels.filters import filter_group, filter_prd
from alliancekit.panels.majors import add_majors
from alliancekit.panels.nmc import add_nmc
from alliancekit.panels.similarity import add_similarity

__version__ = "0.1.0"

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
    "add_dca",
    "add_exercises",
    "add_majors",
    "add_milex",
    "add_network_measures",
    "add_nmc",
    "add_peacekeeping",
    "add_similarity",
    "add_us_troops",
    "create_dyadyears",
    "create_stateyears",
    "filter_group",
    "filter_prd",
    "read_panel",
    "write_panel",
]
