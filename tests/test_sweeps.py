"""Sweeps (issue 17): the exposure atlas and the execution layer under it, the same bit for bit
in-process, on local worker processes and on a Dask cluster; a dead worker or an interrupted
run loses and duplicates no partition."""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import cloudpickle
import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster

from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.obligations.scenario import Scenario
from alliancekit.obligations.simulation import simulate
from alliancekit.sweeps.exposure import exposure_inputs, exposure_sweep, exposure_year
from alliancekit.sweeps.runner import Sweep, partition_seed, run
from alliancekit.sweeps.store import partition_path, read

# The workers of these tests unpickle this module's functions by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}


def test_partition_seeds_depend_only_on_the_run_seed_and_the_key() -> None:
    assert partition_seed(1, 1990) == partition_seed(1, 1990)
    seeds = {partition_seed(1, year) for year in range(1816, 2026)}
    assert len(seeds) == 210  # a stream per partition
    assert partition_seed(2, 1990) != partition_seed(1, 1990)


def test_the_atlas_counts_pledged_defenders_and_agrees_with_the_simulation(tiny: Path) -> None:
    inputs = exposure_inputs((1832, 1832), honoured=0.745, draws=10)
    frames = exposure_year(inputs, 1832, partition_seed(1, 1832))
    atlas = frames["atlas"].set_index(["ccode", "attacker"])
    # in the tiny world France pledged to defend Belgium in 1832
    engine = Obligations()
    day = datetime.date(1832, 12, 31)
    for (target, attacker), row in atlas.iterrows():
        pledged = {int(s) for s in engine.defenders_of(target, day, attacker=attacker).frame[
            "state"] if s != attacker}
        answer = engine.defenders_of(target, day, attacker=attacker).frame
        counted = {int(s) for s, status in zip(answer["state"], answer["status"], strict=True)
                   if s != attacker and status != "does not apply"}
        assert row["defenders"] == len(counted), (target, attacker, pledged)
        assert row["p_any"] == pytest.approx(1 - (1 - 0.745) ** row["defenders"])
        assert row["expected_joiners"] == pytest.approx(0.745 * row["defenders"])
    belgium = atlas.loc[(211, 200)]
    assert belgium["defenders"] >= 1
    # the simulation's expected joiners for the same scenario, without cascade
    result = simulate(engine, Scenario((200,), (211,), day), draws=20_000, seed=3,
                      probabilities={"defence": 0.745, "offence": 0.745},
                      capabilities=False)
    joins = result.joins
    assert joins["p_target_side"].sum() == pytest.approx(belgium["expected_joiners"], abs=0.02)
    # CINC: France 0.12 helping Belgium 0.01 against the United Kingdom (no score in 1832)
    assert np.isnan(belgium["ratio_alone"])
    assert frames["summary"].set_index("ccode").loc[211, "defenders_any"] >= 1


def test_named_adversaries_capabilities_and_the_most_dangerous_attacker(tiny: Path) -> None:
    inputs = exposure_inputs((1832, 1832), honoured=0.5, draws=1)
    france_to_belgium = np.flatnonzero((inputs.giver == 220) & (inputs.receiver == 211))
    assert len(france_to_belgium)

    def limited(exclusive: bool) -> pd.DataFrame:
        # France's pledges to Belgium name the United Kingdom as the adversary
        offsets = np.zeros(len(inputs.giver) + 1, dtype=np.int64)
        codes: list[int] = []
        for k in range(len(inputs.giver)):
            if k in france_to_belgium:
                codes.append(200)
            offsets[k + 1] = len(codes)
        named = np.isin(np.arange(len(inputs.giver)), france_to_belgium)
        changed = replace(inputs, named=named, exclusive=named & exclusive,
                          adversary_offsets=offsets, adversary_codes=np.array(codes))
        atlas = exposure_year(changed, 1832, 1)["atlas"]
        return atlas[atlas["ccode"] == 211].set_index("attacker")

    only = limited(exclusive=True)
    assert only.loc[200, "defenders"] == 1 and only.loc[2, "defenders"] == 0
    named = limited(exclusive=False)  # names an adversary but does not exclude others
    assert named.loc[2, "defenders"] == 1 and named.loc[2, "defenders_applying"] == 0
    assert named.loc[200, "defenders_applying"] == 1
    frames = exposure_year(inputs, 1832, 1)
    belgium = frames["atlas"].set_index(["ccode", "attacker"]).loc[211]
    # attacked by France, its defender: nobody left to come; CINC 0.01 against 0.12
    assert belgium.loc[220, "defenders"] == 0
    assert belgium.loc[220, "ratio_alone"] == pytest.approx(0.01 / 0.12)
    assert belgium.loc[220, "ratio_expected"] == pytest.approx(0.01 / 0.12)
    summary = frames["summary"].set_index("ccode")
    assert summary.loc[211, "most_dangerous"] == 220  # the only attacker with a score
    assert summary.loc[211, "md_ratio_alone"] == pytest.approx(0.01 / 0.12)
    # France attacked by Belgium: France has no pledged defender in the tiny world
    assert summary.loc[220, "most_dangerous"] == 211


def test_the_atlas_takes_the_states_of_the_years_last_day(tiny: Path) -> None:
    inputs = exposure_inputs((1900, 1900), honoured=0.5, draws=1)
    targets = set(exposure_year(inputs, 1900, 1)["atlas"]["ccode"])
    assert 902 in targets  # Bolt, a member from May 1900
    assert 901 not in targets  # Ariel, a member until March 1900


def test_neighbours_and_majors_limit_the_attackers(tiny: Path) -> None:
    inputs = exposure_inputs((1832, 1832), attackers="neighbours,majors", honoured=0.5,
                             draws=1)
    atlas = exposure_year(inputs, 1832, 7)["atlas"]
    belgium = set(atlas.loc[atlas["ccode"] == 211, "attacker"])
    assert belgium == {200, 220}  # France (land) and the major powers of 1832
    assert atlas["attacker_neighbour"].any() and atlas["attacker_major"].any()
    with pytest.raises(UsageError, match="attackers"):
        exposure_inputs((1832, 1832), attackers="all,majors", honoured=0.5)
    with pytest.raises(UsageError, match="years"):
        exposure_inputs((1800, 1832), honoured=0.5)
    with pytest.raises(UsageError, match="honoured"):
        exposure_inputs((1832, 1832), honoured="often")


def test_in_process_local_workers_and_a_cluster_give_the_same_bytes(tiny: Path,
                                                                     tmp_path: Path) -> None:
    sweep = exposure_sweep((1830, 1836), honoured=0.745, draws=50)
    first = run(sweep, tmp_path / "here", seed=5)
    assert sorted(first.written) == list(range(1830, 1837)) and first.where == "this process"
    run(sweep, tmp_path / "local", seed=5, workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        report = run(sweep, tmp_path / "cluster", seed=5, cluster=cluster.scheduler_address)
    assert report.where.startswith("the Dask cluster")
    here = _files(tmp_path / "here")
    assert len(here) == 2 * 7
    assert _files(tmp_path / "local") == here
    assert _files(tmp_path / "cluster") == here
    atlas = read(tmp_path / "here", "atlas")
    assert set(atlas["year"]) == set(range(1830, 1837))
    assert not atlas.duplicated(["year", "ccode", "attacker"]).any()


def _crash_once(inputs: Mapping[str, object], key: int, seed: int) -> dict[str, pd.DataFrame]:
    """A partition that kills its worker the first time it runs year 1833."""
    marker = Path(str(inputs["markers"])) / f"{key}"
    if key == 1833 and not marker.exists():
        marker.write_text("crashed")
        os._exit(1)
    rng = np.random.default_rng(seed)
    return {"draws": pd.DataFrame({"value": rng.random(5)})}


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    keys = tuple(range(1830, 1840))
    sweep = Sweep("crash", _crash_once, {"markers": str(markers)}, keys, ("draws",))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        report = run(sweep, tmp_path / "out", seed=9, cluster=cluster.scheduler_address)
    assert (markers / "1833").exists()  # a worker did die
    assert sorted(report.written) == list(keys)
    # the same as a run where nothing failed
    (markers / "1833").write_text("already")
    run(sweep, tmp_path / "calm", seed=9)
    assert _files(tmp_path / "out") == _files(tmp_path / "calm")
    assert len(_files(tmp_path / "out")) == len(keys)


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    def compute(inputs: object, key: int, seed: int) -> dict[str, pd.DataFrame]:
        return {"draws": pd.DataFrame({"value": np.random.default_rng(seed).random(3)})}

    sweep = Sweep("resume", compute, None, tuple(range(2000, 2010)), ("draws",))

    def stop_after_four(number: int, total: int) -> None:
        if number == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(sweep, tmp_path / "out", progress=stop_after_four)
    assert len(_files(tmp_path / "out")) == 4
    again = run(sweep, tmp_path / "out")
    assert sorted(again.skipped) == list(range(2000, 2004))
    assert sorted(again.written) == list(range(2004, 2010))
    run(sweep, tmp_path / "whole")
    assert _files(tmp_path / "out") == _files(tmp_path / "whole")


def test_a_directory_holding_another_sweep_is_refused(tmp_path: Path) -> None:
    def compute(inputs: object, key: int, seed: int) -> dict[str, pd.DataFrame]:
        return {"t": pd.DataFrame({"key": [key]})}

    sweep = Sweep("one", compute, None, (1, 2), ("t",), {"draws": 10})
    run(sweep, tmp_path / "out")
    with pytest.raises(UsageError, match="other settings"):
        run(replace(sweep, parameters={"draws": 20}), tmp_path / "out")
    with pytest.raises(UsageError, match="other settings"):
        run(sweep, tmp_path / "out", seed=2)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not empty"):
        run(sweep, tmp_path / "busy")
    with pytest.raises(UsageError, match="workers"):
        run(sweep, tmp_path / "new", workers=0)
    with pytest.raises(UsageError, match="--cluster nonsense://here"):
        run(sweep, tmp_path / "far", cluster="nonsense://here")
    assert partition_path(tmp_path / "out", "t", 2).is_file()


def test_the_explorer_shows_the_atlas_for_the_years_computed(tiny: Path,
                                                             tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from alliancekit.web.app import create_app

    run(exposure_sweep((1831, 1833), honoured=0.745, draws=20), tmp_path / "atlas")
    client = TestClient(create_app(atlas=tmp_path / "atlas"))
    page = client.get("/atlas", params={"lang": "en"})
    assert page.status_code == 200
    assert "Exposure atlas 1833" in page.text and 'class="map"' in page.text
    assert "Computed for 1831-1833 (3 years)" in page.text
    assert 'href="/states/211?year=1833&amp;lang=en">Belgium</a>' in page.text
    csv = client.get("/atlas", params={"year": 1832, "download": "csv"}).text
    header, *lines = csv.strip().splitlines()
    assert "most_dangerous" in header and len(lines) == 4  # the four states of 1832
    assert client.get("/atlas", params={"year": 1900},
                      headers={"accept": "text/html"}).status_code == 404
    state = client.get("/states/BEL", params={"year": 1833, "lang": "en"}).text
    assert 'id="exposure"' in state
    assert "chance at least one defender comes" in state
    arabic = client.get("/atlas", params={"lang": "ar"}).text
    assert "أطلس الانكشاف" in arabic
    bare = TestClient(create_app()).get("/atlas", params={"lang": "en"}).text
    assert "No exposure atlas on this server" in bare


def test_the_similarity_sweep_gives_add_similarity_numbers_for_every_scope(
        tiny: Path, tmp_path: Path) -> None:
    from alliancekit.panels.create import create_dyadyears
    from alliancekit.panels.similarity import add_similarity
    from alliancekit.sweeps.similarity import check_scopes, similarity_sweep

    assert check_scopes("all") == ("global", "region", "arab_league", "gcc", "oic")
    with pytest.raises(UsageError, match="unknown group"):
        check_scopes("global,atlantis")
    sweep = similarity_sweep((1830, 1834), scopes="global,region,oic")
    run(sweep, tmp_path / "sim", workers=2)
    panel = create_dyadyears("cow", (1830, 1834))
    for scope in ("global", "region", "oic"):
        swept = read(tmp_path / "sim", scope)
        expected = add_similarity(panel, scope=scope)
        # the panel's columns: name_scope, or name_panel for the global scope (same name)
        suffix = "_panel" if scope == "global" else f"_{scope}"
        merged = expected.merge(swept, on=["ccode1", "ccode2", "year"], how="inner",
                                suffixes=("_panel", ""))
        assert len(merged) == len(expected) == len(swept)
        for name in sweep.inputs.measures:
            np.testing.assert_array_equal(merged[f"{name}{suffix}"].to_numpy(),
                                          merged[name].to_numpy(), err_msg=f"{scope} {name}")


def test_the_backtest_runs_the_same_on_worker_processes(real_data: Path) -> None:
    from alliancekit.reliability.backtest import backtest
    from alliancekit.sweeps.backtest import distributed_backtest

    here = backtest("wars", (1914, 1918), draws=50, seed=4)
    there, where = distributed_backtest("wars", (1914, 1918), draws=50, seed=4, workers=2)
    assert where.startswith("2 local worker processes")
    pd.testing.assert_frame_equal(here.predictions, there.predictions)
    pd.testing.assert_frame_equal(here.scores, there.scores)
