"""Alliance networks: graphs, blocs, the RQ index, panels and exports (tiny world)."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit.cli import app
from alliancekit.errors import UsageError
from alliancekit.measures.network import (
    graph_measures,
    network_panels,
    pledge_graph,
    reynal_querol,
)

runner = CliRunner()


def test_reynal_querol_is_one_for_two_equal_blocs_and_zero_for_one() -> None:
    assert reynal_querol([10, 10]) == pytest.approx(1.0)
    assert reynal_querol([7]) == 0.0
    # 4 * (.5^2 * .5 + .25^2 * .75 * 2) = 0.5 + 0.375
    assert reynal_querol([2, 1, 1]) == pytest.approx(0.875)
    assert math.isnan(reynal_querol([]))


def test_three_states_two_allies_and_a_loner() -> None:
    pledges = pd.DataFrame({"ccode1": [1, 2], "ccode2": [2, 1]})
    graph = pledge_graph([1, 2, 3], pledges, directed=False)
    states, year = graph_measures(graph)
    assert year["edges"] == 1 and year["density"] == pytest.approx(1 / 3)
    assert year["blocs"] == 1 and year["polarization_rq"] == 0.0
    assert states.set_index("ccode")["bloc"].tolist()[:2] == [1, 1]
    assert pd.isna(states.set_index("ccode").loc[3, "bloc"])


def test_directed_graph_keeps_one_way_pledges(tiny: Path) -> None:
    [graph] = list(ak.measures.network.yearly_graphs((1832, 1832), directed=True))
    assert set(graph.edges) == {(220, 211)}
    states, _ = graph_measures(graph)
    row = states.set_index("ccode")
    assert row.loc[220, "out_degree"] == 1 and row.loc[220, "in_degree"] == 0
    assert row.loc[211, "in_degree"] == 1


def test_panels_cover_only_the_years_of_the_tie_sources(tiny: Path) -> None:
    state_years, years = network_panels((1832, 2020))
    # States still members at the end of COW (2016) carry on to ATOP's last year, as mry.
    assert years["year"].min() == 1832 and years["year"].max() == 2018
    state_years, years = network_panels((2019, 2020))
    assert len(years) == 0 and len(state_years) == 0


def test_add_network_measures_on_state_and_dyad_years(tiny: Path) -> None:
    states = ak.add_network_measures(ak.create_stateyears("cow", (1832, 1832)))
    row = states.set_index("ccode")
    assert row.loc[220, "net_degree"] == 1 and row.loc[2, "net_degree"] == 0
    assert row.loc[220, "net_bloc"] == row.loc[211, "net_bloc"] == 1
    dyads = ak.add_network_measures(ak.create_dyadyears("cow", (1832, 1832)))
    pair = dyads.set_index(["ccode1", "ccode2"])
    assert pair.loc[(220, 211), "net_same_bloc"] == 1
    assert pair.loc[(2, 211), "net_same_bloc"] == 0
    late = ak.add_network_measures(ak.create_stateyears("cow", (2017, 2018), mry=True))
    assert late[late["year"] == 2018]["net_degree"].notna().all()
    # USA-UK pledge in 2018 in the tiny ATOP
    assert late.set_index(["ccode", "year"]).loc[(2, 2018), "net_degree"] == 1


def test_graph_export_reads_back_and_bad_names_are_refused(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.graphml"
    result = runner.invoke(app, ["network", "graph", "--year", "1832", "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.number_of_edges() == 1 and graph.nodes["220"]["label"] == "France"
    gexf = tmp_path / "net.gexf"
    assert runner.invoke(app, ["network", "graph", "--year", "1832", "--out",
                               str(gexf)]).exit_code == 0
    assert nx.read_gexf(gexf).number_of_nodes() == 4
    result = runner.invoke(app, ["network", "graph", "--year", "1832", "--out",
                                 str(tmp_path / "net.png")])
    assert isinstance(result.exception, UsageError)
    assert not (tmp_path / "net.png").exists()
    result = runner.invoke(app, ["network", "graph", "--year", "1832", "--obligations",
                                 "defense", "--out", str(out)])
    assert isinstance(result.exception, UsageError) and "choose from defence" in str(
        result.exception)


def test_panels_command_writes_both_files(tiny: Path, tmp_path: Path) -> None:
    states, years = tmp_path / "s.csv", tmp_path / "y.csv"
    result = runner.invoke(app, ["network", "panels", "--years", "1900-1901", "--states-out",
                                 str(states), "--years-out", str(years)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(years)
    assert frame["year"].tolist() == [1900, 1901]
    assert set(pd.read_csv(states)["ccode"]) >= {2, 200, 211, 220}


def test_cooperation_graph_across_layers(tiny: Path, tmp_path: Path) -> None:
    from alliancekit.measures.network import cooperation_graphs

    [graph] = list(cooperation_graphs((2000, 2000), ["alliance", "dca", "arms_transfers"]))
    # France-Belgium: no defence pledge in the tiny ATOP for 2000, but a DCA (until 1999) no
    # longer; France supplied arms to Belgium in 2000.
    assert graph.edges[211, 220]["layers"] == "arms_transfers"
    assert graph.edges[211, 220]["arms_transfers"] == 12 and graph.edges[211, 220]["weight"] == 1
    assert graph.graph["sources"] == "atop_ddyr,dcad,sipri_arms_transfers"
    assert list(cooperation_graphs((2015, 2015), ["dca"])) == []  # DCAD ends in 2010
    states, years = network_panels((1999, 2001), layers=["dca", "arms_transfers"])
    assert years["year"].tolist() == [1999, 2000, 2001] and len(states) > 0
    out = tmp_path / "coop.graphml"
    result = runner.invoke(app, ["network", "graph", "--year", "2001", "--layers",
                                 "dca,arms_transfers", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert nx.read_graphml(out).edges["2", "211"]["layers"] == "dca"
    with pytest.raises(UsageError, match="choose from alliance"):
        list(cooperation_graphs((2000, 2000), ["trade"]))
