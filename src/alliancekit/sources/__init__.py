"""The datasets alliancekit reads: one module per source, gathered in :data:`REGISTRY`."""

from __future__ import annotations

# Importing each source module registers its Source (alliancekit.sources.registry.register).
from alliancekit.sources.atop import load_atop_alliances, load_atop_ddyr, load_atop_members
from alliancekit.sources.capitals import load_capitals
from alliancekit.sources.contiguity import load_contiguity
from alliancekit.sources.cow_states import load_cow_states, load_cow_system
from alliancekit.sources.cow_wars import load_cow_inter_wars, load_cow_intra_wars
from alliancekit.sources.dcad import load_dcad
from alliancekit.sources.exercises import load_jme, load_mme
from alliancekit.sources.geo_pko import load_deployments, load_peacekeeping
from alliancekit.sources.gw_states import load_gw_states
from alliancekit.sources.majors import load_majors
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.registry import (
    REGISTRY,
    Source,
    SourceFile,
    data_dirs,
    find_source,
    get_source,
)
from alliancekit.sources.rivalries import load_td_rivalries, load_tss_rivalries
from alliancekit.sources.sipri import load_sipri_arms, load_sipri_milex
from alliancekit.sources.ucdp_acd import load_ucdp_acd
from alliancekit.sources.us_troops import load_us_bases, load_us_troops

__all__ = [
    "REGISTRY",
    "Source",
    "SourceFile",
    "data_dirs",
    "find_source",
    "get_source",
    "load_atop_alliances",
    "load_atop_ddyr",
    "load_atop_members",
    "load_capitals",
    "load_contiguity",
    "load_cow_inter_wars",
    "load_cow_intra_wars",
    "load_cow_states",
    "load_cow_system",
    "load_dcad",
    "load_deployments",
    "load_gw_states",
    "load_jme",
    "load_majors",
    "load_mme",
    "load_nmc",
    "load_peacekeeping",
    "load_sipri_arms",
    "load_sipri_milex",
    "load_td_rivalries",
    "load_tss_rivalries",
    "load_ucdp_acd",
    "load_us_bases",
    "load_us_troops",
]
