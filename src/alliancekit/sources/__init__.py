"""The datasets alliancekit reads: one module per source, gathered in :data:`REGISTRY`."""

from __future__ import annotations

from alliancekit.sources.atop import (
    ATOP,
    ATOP_DDYR,
    load_atop_alliances,
    load_atop_ddyr,
    load_atop_members,
)
from alliancekit.sources.capitals import CAPITALS, load_capitals
from alliancekit.sources.contiguity import COW_CONTIGUITY, load_contiguity
from alliancekit.sources.cow_states import COW_STATES, load_cow_states, load_cow_system
from alliancekit.sources.cow_wars import COW_WARS, load_cow_inter_wars, load_cow_intra_wars
from alliancekit.sources.dcad import DCAD, load_dcad
from alliancekit.sources.exercises import JME, MME, load_jme, load_mme
from alliancekit.sources.geo_pko import GEO_PKO, load_deployments, load_peacekeeping
from alliancekit.sources.gw_states import GW_STATES, load_gw_states
from alliancekit.sources.majors import COW_MAJORS, load_majors
from alliancekit.sources.nmc import COW_NMC, COW_NMC6, load_nmc
from alliancekit.sources.registry import (
    Source,
    SourceFile,
    data_dirs,
    find_source,
    get_source,
)
from alliancekit.sources.rivalries import RIVALRIES, load_td_rivalries, load_tss_rivalries
from alliancekit.sources.sipri import SIPRI_ARMS, SIPRI_MILEX, load_sipri_arms, load_sipri_milex
from alliancekit.sources.ucdp_acd import UCDP_ACD, load_ucdp_acd
from alliancekit.sources.us_troops import US_TROOPS, load_us_bases, load_us_troops

REGISTRY: dict[str, Source] = {
    s.name: s
    for s in (ATOP, ATOP_DDYR, COW_STATES, GW_STATES, COW_NMC, COW_NMC6, COW_CONTIGUITY,
              COW_MAJORS, CAPITALS, SIPRI_MILEX, SIPRI_ARMS, DCAD, US_TROOPS,
              MME, JME, GEO_PKO, COW_WARS, UCDP_ACD, RIVALRIES)
}

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
