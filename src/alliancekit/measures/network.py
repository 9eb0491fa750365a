"""Alliance networks: each year's graph of pledges, state measures, blocs and polarization.

The graph of a year has every state-system member as a node and an edge where one state
pledged one of the chosen obligations to another (directed: the edge runs from the pledging
state; non-directed: an edge where either pledged). Per state: degree (in and out on directed
graphs), degree centrality and betweenness centrality (networkx, normalised), and its *bloc*:
the community it falls in by Louvain modularity maximisation (Blondel et al. 2008; fixed seed,
so runs repeat) on the non-directed graph, counting only communities of two states or more
(an isolated state has no bloc). Per year: states, edges, density, number of blocs,
modularity of the partition (Newman 2006) and the Reynal-Querol polarization index of the bloc
sizes (Reynal-Querol 2002; Montalvo and Reynal-Querol 2005):

    RQ = 1 - sum_i ((0.5 - s_i) / 0.5)^2 s_i = 4 sum_i s_i^2 (1 - s_i)

where ``s_i`` is bloc i's share of the states in blocs. RQ is 1 when two equal blocs divide
the allied states, near 0 when one bloc holds them all or many small blocs do. Missing when
no bloc exists.

Worked example: three states where A and B defend each other and C is alone: one edge, density
1/3, one bloc {A, B}; RQ of a single bloc is 4 * 1 * 0 = 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from alliancekit.curated.model import ATOP_COLUMN
from alliancekit.errors import UsageError
from alliancekit.io import atomic_path
from alliancekit.panels.create import create_stateyears, most_recent_year
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.panels.similarity import obligation_table
from alliancekit.panels.states import join_state_years
from alliancekit.sources.atop import ATOP_DDYR, load_atop_ddyr
from alliancekit.sources.dcad import DCAD, dca_years
from alliancekit.sources.exercises import MME, load_mme
from alliancekit.sources.registry import Source
from alliancekit.sources.sipri import SIPRI_ARMS, load_sipri_arms

STATE_COLUMNS = ("degree", "in_degree", "out_degree", "degree_centrality",
                 "betweenness", "bloc", "bloc_size")
YEAR_COLUMNS = ("states", "edges", "density", "blocs", "modularity", "polarization_rq",
                "largest_bloc_share")


def reynal_querol(sizes: Sequence[int]) -> float:
    """The RQ polarization index of group sizes (NaN for no groups).

    >>> reynal_querol([10, 10])
    1.0
    >>> round(reynal_querol([10, 5, 5]), 3)  # 4 * (.25 * .5 + 2 * .0625 * .75)
    0.875
    """
    total = float(sum(sizes))
    if total == 0:
        return float("nan")
    shares = np.asarray(sizes, dtype=np.float64) / total
    return float(4 * np.sum(shares**2 * (1 - shares)))


def check_obligations(obligations: Sequence[str]) -> list[str]:
    """The obligation types asked for; an unknown one lists the known ones."""
    names = [obligations] if isinstance(obligations, str) else list(obligations)
    unknown = [o for o in names if o not in ATOP_COLUMN]
    if unknown or not names:
        raise UsageError(f"obligations: unknown {', '.join(map(repr, unknown)) or 'none given'}"
                         f"; choose from {', '.join(ATOP_COLUMN)}")
    return list(dict.fromkeys(names))


def pledge_graph(states: Sequence[int], pledges: pd.DataFrame, *, directed: bool,
                 names: dict[int, str] | None = None, year: int | None = None) -> Any:
    """The networkx graph over ``states`` with an edge per pledge (``ccode1`` to ``ccode2``)."""
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.graph.update({"year": year if year is not None else "", "directed": directed})
    for state in states:
        graph.add_node(int(state), ccode=int(state),
                       label=(names or {}).get(int(state), str(state)))
    known = set(graph.nodes)
    for a, b in zip(pledges["ccode1"], pledges["ccode2"], strict=True):
        if int(a) in known and int(b) in known and a != b:
            graph.add_edge(int(a), int(b))
    return graph


def graph_measures(graph: Any, seed: int = 0) -> tuple[pd.DataFrame, dict[str, float]]:
    """State measures (one row per node, by ``ccode``) and year measures of one graph."""
    nodes = sorted(graph.nodes)
    undirected = graph.to_undirected() if graph.is_directed() else graph
    communities = nx.community.louvain_communities(undirected, seed=seed) if nodes else []
    blocs = sorted((sorted(c) for c in communities if len(c) >= 2),
                   key=lambda c: (-len(c), c[0]))
    bloc_of = {state: k + 1 for k, members in enumerate(blocs) for state in members}
    betweenness = nx.betweenness_centrality(graph) if nodes else {}
    centrality = nx.degree_centrality(graph) if len(nodes) > 1 else dict.fromkeys(nodes, 0.0)
    rows = []
    for node in nodes:
        bloc = bloc_of.get(node)
        rows.append({
            "ccode": node,
            "degree": undirected.degree(node),
            "in_degree": graph.in_degree(node) if graph.is_directed() else undirected.degree(node),
            "out_degree": graph.out_degree(node) if graph.is_directed()
            else undirected.degree(node),
            "degree_centrality": centrality.get(node, 0.0),
            "betweenness": betweenness.get(node, 0.0),
            "bloc": bloc,
            "bloc_size": len(blocs[bloc - 1]) if bloc else None,
        })
    states = pd.DataFrame(rows, columns=["ccode", *STATE_COLUMNS])
    states = states.astype({"bloc": "Int64", "bloc_size": "Int64"})
    sizes = [len(b) for b in blocs]
    in_blocs = sum(sizes)
    modularity = (nx.community.modularity(undirected, communities)
                  if undirected.number_of_edges() else float("nan"))
    year = {
        "states": len(nodes),
        "edges": graph.number_of_edges(),
        "density": nx.density(graph) if len(nodes) > 1 else float("nan"),
        "blocs": len(blocs),
        "modularity": modularity,
        "polarization_rq": reynal_querol(sizes),
        "largest_bloc_share": max(sizes) / in_blocs if sizes else float("nan"),
    }
    return states, year


def yearly_graphs(
    years: tuple[int, int],
    *,
    obligations: Sequence[str] = ("defence",),
    directed: bool = False,
    sources: Sequence[str] = ("atop",),
    records: Path | None = None,
    carry_forward: bool = True,
    certainty: str = "any",
    data_dir: Path | str | None = None,
) -> Iterator[Any]:
    """The pledge graph of each year in ``years`` that the tie sources cover (with ATOP and the
    curated records, ATOP's pledges in force at the end of 2018 carried on unless
    ``carry_forward`` is False)."""
    wanted = check_obligations(obligations)
    # One table to this year serves every span (and is kept in memory between calls).
    until = max(years[1], datetime.date.today().year)
    table, used = obligation_table(sources, records, data_dir, carry_forward=carry_forward,
                                   certainty=certainty, until=until)
    first, last = years
    if "curated" not in used:
        last = min(last, ATOP_DDYR.coverage[1])
    first = max(first, 1816)
    if last < first:
        return
    system = create_stateyears("cow", (min(first, most_recent_year()),
                                       min(last, most_recent_year())),
                               mry=last > 2016, data_dir=data_dir)
    names = dict(zip(system["ccode"].astype(int), system["statenme"], strict=True))
    chosen = table[table[[ATOP_COLUMN[o] for o in wanted]].max(axis=1) == 1]
    by_year = dict(tuple(chosen.groupby("year")))
    system_years = system["year"].to_numpy()
    codes = system["ccode"].to_numpy()
    drawn = [int(y) for y in np.unique(system_years)]
    if drawn and drawn[-1] == most_recent_year():
        # The current year, which no state system covers yet, has the last full year's members.
        drawn += list(range(drawn[-1] + 1, last + 1))
    drawn = [year for year in drawn if year >= first]
    for year in drawn:
        members = codes[system_years == min(year, most_recent_year())]
        graph = pledge_graph(sorted(int(c) for c in members),
                             by_year.get(year, chosen.iloc[:0]), directed=directed,
                             names=names, year=year)
        graph.graph.update({"obligations": ",".join(wanted), "sources": ",".join(used)})
        yield graph


LAYERS = ("alliance", "dca", "exercises", "arms_transfers")
# Each layer's source, whose coverage bounds the layer's years.
LAYER_SOURCES: dict[str, Source] = {"alliance": ATOP_DDYR, "dca": DCAD, "exercises": MME,
                                    "arms_transfers": SIPRI_ARMS}


def check_layers(layers: Sequence[str] | str) -> list[str]:
    """The layers asked for, each once, checked against :data:`LAYERS`."""
    wanted = [layers] if isinstance(layers, str) else list(dict.fromkeys(layers))
    if not wanted or any(layer not in LAYERS for layer in wanted):
        raise UsageError(f"layers {wanted}: choose from {', '.join(LAYERS)}")
    return wanted


def layer_span(years: tuple[int, int], layers: Sequence[str] | str
               ) -> tuple[tuple[int, int] | None, dict[str, tuple[str, tuple[int, int]]]]:
    """The years of ``years`` every layer covers (None when they share none) and each layer's
    source and coverage: a multi-layer network exists only where all its layers have data."""
    each = {layer: (LAYER_SOURCES[layer].name, LAYER_SOURCES[layer].coverage)
            for layer in check_layers(layers)}
    first = max([max(years[0], 1816), *(c[0] for _, c in each.values())])
    last = min([years[1], *(c[1] for _, c in each.values())])
    return ((first, last) if first <= last else None), each


def _pairs(a: np.ndarray, b: np.ndarray, year: np.ndarray, value: np.ndarray) -> pd.DataFrame:
    """Non-directed pairs (smaller code first) with values summed."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    frame = pd.DataFrame({"a": low, "b": high, "year": year, "value": value})
    frame = frame[frame["a"] != frame["b"]]
    return pd.DataFrame(frame.groupby(["a", "b", "year"], as_index=False)["value"].sum())


def layer_edges(layer: str, data_dir: Path | str | None = None
                ) -> tuple[pd.DataFrame, tuple[int, int], str]:
    """One layer's non-directed edges ``a, b, year, value``, its years and its source.

    alliance: any ATOP defence pledge between the two (value 1); dca: DCAs in force (count);
    exercises: multinational exercises both took part in (count, MME); arms_transfers: SIPRI
    TIV in either direction (sum).
    """
    if layer == "alliance":

        ddyr = load_atop_ddyr(data_dir)
        ddyr = ddyr[ddyr["atop_defense"] == 1]
        edges = _pairs(ddyr["ccode1"].to_numpy(), ddyr["ccode2"].to_numpy(),
                       ddyr["year"].to_numpy(), np.ones(len(ddyr)))
        edges["value"] = 1.0
        return edges, ATOP_DDYR.coverage, "atop_ddyr"
    if layer == "dca":

        years = dca_years(data_dir)
        return (_pairs(years["ccode1"].to_numpy(), years["ccode2"].to_numpy(),
                       years["year"].to_numpy(), np.ones(len(years))), DCAD.coverage, "dcad")
    if layer == "exercises":

        rows = load_mme(data_dir)
        rows = rows[rows["ccode"].notna()][["exercise_id", "year", "ccode"]].drop_duplicates()
        together = rows.merge(rows, on=["exercise_id", "year"], suffixes=("1", "2"))
        together = together[together["ccode1"] < together["ccode2"]]
        return (_pairs(together["ccode1"].to_numpy(np.int64),
                       together["ccode2"].to_numpy(np.int64),
                       together["year"].to_numpy(np.int64), np.ones(len(together))),
                MME.coverage, "mme")
    if layer == "arms_transfers":

        arms = load_sipri_arms(data_dir)
        return (_pairs(arms["supplier"].to_numpy(), arms["recipient"].to_numpy(),
                       arms["year"].to_numpy(), arms["tiv"].to_numpy()),
                SIPRI_ARMS.coverage, "sipri_arms_transfers")
    raise UsageError(f"layer {layer!r}: choose from {', '.join(LAYERS)}")


def cooperation_graphs(years: tuple[int, int], layers: Sequence[str] = LAYERS, *,
                       data_dir: Path | str | None = None) -> Iterator[Any]:
    """Each year's multi-layer cooperation graph over the system members, for the years every
    requested layer covers. An edge carries each layer's value (``alliance`` 0/1, ``dca`` and
    ``exercises`` counts, ``arms_transfers`` TIV), ``layers`` (the layers linking the pair) and
    ``weight`` (how many layers do)."""
    wanted = check_layers(layers)
    tables, sources = {}, []
    first, last = max(years[0], 1816), years[1]
    for layer in wanted:
        edges, coverage, source = layer_edges(layer, data_dir)
        tables[layer] = dict(tuple(edges.groupby("year")))
        sources.append(source)
        first, last = max(first, coverage[0]), min(last, coverage[1])
    if last < first:
        return
    system = create_stateyears("cow", (min(first, most_recent_year()),
                                       min(last, most_recent_year())),
                               mry=last > 2016, data_dir=data_dir)
    names = dict(zip(system["ccode"].astype(int), system["statenme"], strict=True))
    system_years = system["year"].to_numpy()
    codes = system["ccode"].to_numpy()
    for year in np.unique(system_years):
        graph = nx.Graph(year=int(year), layers=",".join(wanted), sources=",".join(sources),
                         directed=False)
        members = sorted(int(c) for c in codes[system_years == year])
        for state in members:
            graph.add_node(state, ccode=state, label=names.get(state, str(state)))
        known = set(members)
        for layer in wanted:
            present = tables[layer].get(year)
            if present is None:
                continue
            for a, b, value in zip(present["a"], present["b"], present["value"], strict=True):
                a, b = int(a), int(b)
                if a not in known or b not in known:
                    continue
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, layers="", weight=0, **dict.fromkeys(wanted, 0.0))
                data = graph.edges[a, b]
                data[layer] = float(value)
                data["layers"] = ",".join(filter(None, [data["layers"], layer]))
                data["weight"] += 1
        yield graph


def network_panels(
    years: tuple[int, int],
    *,
    obligations: Sequence[str] = ("defence",),
    directed: bool = False,
    sources: Sequence[str] = ("atop",),
    seed: int = 0,
    layers: Sequence[str] | None = None,
    records: Path | None = None,
    carry_forward: bool = True,
    certainty: str = "any",
    data_dir: Path | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A state-year panel (``ccode, year`` and the state measures) and a year panel of the
    network measures: of the alliance network, or with ``layers`` of the cooperation network
    across those layers (see :func:`cooperation_graphs`)."""
    state_parts, year_rows = [], []
    graphs = (cooperation_graphs(years, layers, data_dir=data_dir) if layers else
              yearly_graphs(years, obligations=obligations, directed=directed, sources=sources,
                            records=records, carry_forward=carry_forward,
                            certainty=certainty, data_dir=data_dir))
    for graph in graphs:
        states, measures = graph_measures(graph, seed=seed)
        state_parts.append(states.assign(year=graph.graph["year"]))
        year_rows.append({"year": graph.graph["year"], **measures})
    columns = ["ccode", "year", *STATE_COLUMNS]
    state_years = (pd.concat(state_parts, ignore_index=True)[columns] if state_parts
                   else pd.DataFrame(columns=columns))
    year_panel = pd.DataFrame(year_rows, columns=["year", *YEAR_COLUMNS])
    return state_years, year_panel


def write_graph(graph: Any, path: Path | str) -> Path:
    """Write ``graph`` as GraphML (``.graphml``) or GEXF (``.gexf``), atomically."""
    target = Path(path)
    writers = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}
    writer = writers.get(target.suffix.lower())
    if writer is None:
        raise UsageError(f"{target}: give a .graphml or .gexf file name")
    with atomic_path(target) as temporary:
        writer(graph, str(temporary))
    return target


def add_network_measures(
    frame: pd.DataFrame,
    *,
    obligations: Sequence[str] = ("defence",),
    directed: bool = False,
    sources: Sequence[str] = ("atop",),
    seed: int = 0,
    records: Path | None = None,
    carry_forward: bool = True,
    certainty: str = "any",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Add each state's alliance-network measures to a COW state-year or dyad-year panel.

    Columns ``net_degree, net_in_degree, net_out_degree, net_degree_centrality,
    net_betweenness, net_bloc, net_bloc_size`` (suffixed 1 and 2 on dyad-years, which also get
    ``net_same_bloc``: 1 when both states sit in one bloc). Years the tie sources do not cover
    are missing. See the module docstring for the definitions.
    """
    kind = require(frame, "add_network_measures", systems=("cow",))
    year = key_array(frame, "year")
    if len(frame) == 0:
        return frame.copy()
    state_years, _ = network_panels((int(year.min()), int(year.max())), obligations=obligations,
                                    directed=directed, sources=sources, seed=seed,
                                    records=records, carry_forward=carry_forward,
                                    certainty=certainty, data_dir=data_dir)
    _, used = obligation_table(sources, records, data_dir, carry_forward=carry_forward,
                               certainty=certainty, until=int(year.max()))
    table = state_years.rename(columns={c: f"net_{c}" for c in STATE_COLUMNS})
    names = [f"net_{c}" for c in STATE_COLUMNS]
    columns = join_state_years(frame, kind, table.astype({n: "float64" for n in names}), names)
    out = frame.assign(**columns)
    for column in out.columns:
        if column.startswith(("net_bloc", "net_degree", "net_in_degree", "net_out_degree")) \
                and "centrality" not in column:
            out[column] = out[column].astype("Int64")
    if kind.unit == "dyad-year":
        same = (out["net_bloc1"] == out["net_bloc2"]).astype("Int8")
        known_years = out["net_degree1"].notna() & out["net_degree2"].notna()
        same = same.where(~(out["net_bloc1"].isna() | out["net_bloc2"].isna()) | ~known_years,
                          0)
        out["net_same_bloc"] = same.where(known_years)
    return add_sources(out, *used)
