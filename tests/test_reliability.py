"""Do pledges hold (issue 15): cases, rates, the cascade rule and the backtest, on a small war
world written by hand, and on the research data."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.obligations.scenario import Scenario
from alliancekit.obligations.simulation import cascade_path, simulate
from alliancekit.reliability import reliability_cases, reliability_rates, wilson
from alliancekit.reliability.backtest import backtest, write_backtest
from alliancekit.reliability.rates import beta_parameters
from tests.records_kit import SOURCE, pact, records_dir

runner = CliRunner()

WAR_HEADER = ("warnum,ccode1,ccode2,year,cowinterongoing,cowinteronset,sidea1,sidea2,"
              "initiator1,initiator2,outcome1,outcome2,batdeath1,batdeath2,resume\n")
# (war, state, side, initiator, years): Britain attacks Belgium in 1995 and again in 1997;
# France comes to Belgium's aid a year later each time; Portugal joins Britain in 1996.
PARTICIPANTS = [
    (1, 211, 1, 0, (1995, 1996)), (1, 200, 2, 1, (1995, 1996)),
    (1, 220, 1, 0, (1996,)), (1, 235, 2, 0, (1996,)),
    (2, 211, 1, 0, (1997, 1998)), (2, 200, 2, 1, (1997, 1998)), (2, 220, 1, 0, (1998,)),
]


def war_rows() -> str:
    """The directed dyad-years of :data:`PARTICIPANTS` (opposite sides, both at war)."""
    lines = []
    for war, a, side_a, init_a, years_a in PARTICIPANTS:
        for war_b, b, side_b, init_b, years_b in PARTICIPANTS:
            if war_b != war or side_a == side_b:
                continue
            first = min(y for w, *_, ys in PARTICIPANTS if w == war for y in ys)
            for year in sorted(set(years_a) & set(years_b)):
                lines.append(f"{war},{a},{b},{year},1,{int(year == first)},{side_a},{side_b},"
                             f"{init_a},{init_b},1,2,100,100,0")
    return WAR_HEADER + "\n".join(lines) + "\n"


INTRA = ("warnum,warname,wartype,year,cowintraonset,cowintraongoing,resume_combat,"
         "primary_state,ccodea,sidea,ccodeb,sideb,intnl,outcome,sideadeaths,sidebdeaths,"
         "ongo2007\n")

NAMED = '''
id = "ned_bel"
name_en = "ned_bel"
kind = "alliance_treaty"
signed = "1990-01-01"
sources = ["s1"]

[[members]]
state = 210
entry = "1990-01-01"
certainty = "certain"
sources = ["s1"]

[[members]]
state = 211
entry = "1990-01-01"
certainty = "certain"
sources = ["s1"]

[[obligations]]
type = "defence"
pledged_by = [210]
pledged_to = [211]
text = "The Netherlands defends Belgium against Germany"
certainty = "certain"
sources = ["s1"]

[obligations.conditions]
adversary = [255]
''' + SOURCE


@pytest.fixture
def world(tiny: Path, tmp_path: Path) -> tuple[Path, Obligations]:
    """The tiny data directory with the two wars, and an engine on pledges made in 1990:
    France, the US and Portugal defend Belgium, the Netherlands defends it against Germany
    only, Spain promises Belgium neutrality, Italy promises Britain offensive help."""
    (tiny / "cow_wars").mkdir(exist_ok=True)
    (tiny / "cow_wars" / "cow_war_inter.csv.gz").write_bytes(gzip.compress(war_rows().encode()))
    (tiny / "cow_wars" / "cow_war_intra.csv.gz").write_bytes(gzip.compress(INTRA.encode()))
    day = "1990-01-01"
    records = records_dir(tmp_path / "records", {
        "fra_bel": pact("fra_bel", [220, 211], [("defence", [220], [211])], day),
        "usa_bel": pact("usa_bel", [2, 211], [("defence", [2], [211])], day),
        "por_bel": pact("por_bel", [235, 211], [("defence", [235], [211])], day),
        "spn_bel": pact("spn_bel", [230, 211], [("neutrality", [230], [211])], day),
        "ita_ukg": pact("ita_ukg", [325, 200], [("offence", [325], [200])], day),
        "ned_bel": NAMED,
    })
    return tiny, Obligations(("curated",), records=records)


def test_each_pledge_in_play_and_what_became_of_it(world: tuple[Path, Obligations]) -> None:
    _, engine = world
    cases = reliability_cases("wars", engine=engine)
    first = cases[cases["event_id"] == "cow-1"].set_index("pledger")
    assert set(first.index) == {220, 2, 235, 210, 230, 325}
    # honoured: France came to Belgium's side while Belgium was still at war
    assert first.loc[220, "outcome"] == "joined partner" and first.loc[220, "honoured"]
    assert not first.loc[220, "pledger_at_war"]
    # broken: the US stayed out; Portugal fought Belgium
    assert first.loc[2, "outcome"] == "stayed out" and not first.loc[2, "honoured"]
    assert first.loc[235, "outcome"] == "fought partner" and not first.loc[235, "honoured"]
    # a pledge against Germany only was not called by a British attack: not broken
    assert first.loc[210, "outcome"] == "not invoked"
    assert pd.isna(first.loc[210, "honoured"]) and not first.loc[210, "invoked"]
    assert "specific adversary" in first.loc[210, "condition_checks"]
    # a neutrality pledge kept
    assert first.loc[230, "outcome"] == "did not fight partner" and first.loc[230, "honoured"]
    # an offence pledge to the attacker, not honoured
    assert first.loc[325, "partner_side"] == "attacker" and not first.loc[325, "honoured"]
    assert first.loc[220, "partner_name"] == "Belgium"
    assert first.loc[220, "opponents"] == "United Kingdom (200)"
    assert (first["onset"] == pd.Timestamp("1995-01-01")).all()
    assert set(first["era"]) == {"1945-"}


def test_rates_count_invoked_cases_with_wilson_intervals(
        world: tuple[Path, Obligations]) -> None:
    _, engine = world
    rates = reliability_rates(reliability_cases("wars", engine=engine), ["obligation"])
    defence = rates.set_index("obligation").loc["defence"]
    # France twice honoured; the US twice and Portugal twice (fought, then stayed out) not
    assert (defence["cases"], defence["honoured"], defence["not_invoked"]) == (6, 2, 2)
    assert defence["share"] == pytest.approx(2 / 6)
    assert (defence["low"], defence["high"]) == pytest.approx(wilson(2, 6))
    assert rates.set_index("obligation").loc["neutrality", "share"] == 1.0
    assert wilson(0, 0)[0] != wilson(0, 0)[0]  # NaN without cases
    low, high = wilson(5, 10)
    assert low < 0.5 < high and high - 0.5 == pytest.approx(0.5 - low)
    with pytest.raises(UsageError, match="--by colour"):
        reliability_rates(reliability_cases("wars", engine=engine), ["colour"])


def test_leave_one_out_rates_exclude_the_war(world: tuple[Path, Obligations]) -> None:
    _, engine = world
    cases = reliability_cases("wars", engine=engine)
    without_first = beta_parameters(cases, exclude_event="cow-1")
    # war 2 alone: France honoured, the US and Portugal did not: Beta(1.5, 2.5)
    assert without_first[("1945-", "defence")] == (1.5, 2.5)
    assert beta_parameters(cases)[("1945-", "defence")] == (2.5, 4.5)


def test_mids_are_refused_with_the_reason(world: tuple[Path, Obligations]) -> None:
    with pytest.raises(UsageError, match="Gibler-Miller-Little"):
        reliability_cases("mids", engine=world[1])
    with pytest.raises(UsageError, match="choose from"):
        reliability_cases("battles", engine=world[1])


def test_backtest_scores_against_who_joined(world: tuple[Path, Obligations],
                                           tmp_path: Path) -> None:
    _, engine = world
    result = backtest(engine=engine, draws=4000, seed=3)
    scores = result.scores[result.scores["era"] == "all"].set_index("setting")
    # 8 (war, state, side) pairs: France joined Belgium twice; the US, Portugal (for
    # Belgium) and Italy (for Britain) never did
    assert (scores["predictions"] == 8).all() and (scores["joined"] == 2).all()
    assert scores.loc["every pledged state joins", "brier"] == pytest.approx(6 / 8)
    assert scores.loc["nobody joins", "brier"] == pytest.approx(2 / 8)
    predictions = result.predictions.set_index(["event_id", "state", "side", "setting"])
    # leave one out: war 1 is predicted from war 2's record (Beta(1.5, 2.5), mean 0.375)
    assert predictions.loc[("cow-1", 220, "target", "empirical, no cascade"), "p"] == \
        pytest.approx(0.375, abs=0.03)
    assert predictions.loc[("cow-1", 220, "target", "fixed 0.745, no cascade"), "p"] == \
        pytest.approx(0.745, abs=0.03)
    written = write_backtest(result, tmp_path / "out")
    assert [p.name for p in written] == ["predictions.csv", "scores.csv", "calibration.csv",
                                         "calibration.png", "report.md"]
    assert (tmp_path / "out" / "calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Best (lowest Brier)" in (tmp_path / "out" / "report.md").read_text()


def test_the_commands(world: tuple[Path, Obligations], tmp_path: Path) -> None:
    # The commands read ATOP and the curated records. In the tiny ATOP France defends
    # Belgium against the Netherlands only, so a British attack does not invoke it.
    result = runner.invoke(app, ["reliability", "--by", "era,obligation", "-f", "json",
                                 "--cases-out", str(tmp_path / "cases.csv")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [
        {"era": "1945-", "obligation": "defence", "cases": 0, "honoured": 0, "share": None,
         "low": None, "high": None, "not_invoked": 2}]
    written = pd.read_csv(tmp_path / "cases.csv")
    assert written["outcome"].tolist() == ["not invoked", "not invoked"]
    refused = runner.invoke(app, ["reliability", "--events", "mids"])
    assert refused.exit_code != 0 and "Gibler" in str(refused.exception)
    bad = runner.invoke(app, ["reliability", "--by", "colour"])
    assert bad.exit_code != 0 and "--by colour" in str(bad.exception)
    empty = runner.invoke(app, ["backtest", "--out", str(tmp_path / "bt")])
    assert empty.exit_code != 0 and "no war onset" in str(empty.exception)
    assert not (tmp_path / "bt").exists()


def _crisis(tmp_path: Path) -> Obligations:
    """2021: France defends Belgium, Spain defends France, Portugal defends Britain."""
    day = "2020-01-01"
    records = records_dir(tmp_path / "crisis", {
        "fra_bel": pact("fra_bel", [220, 211], [("defence", [220], [211])], day),
        "spn_fra": pact("spn_fra", [230, 220], [("defence", [230], [220])], day),
        "por_ukg": pact("por_ukg", [235, 200], [("defence", [235], [200])], day),
    })
    return Obligations(("curated",), records=records)


def test_the_cascade_rule_a_joiner_is_not_attacked(tmp_path: Path) -> None:
    engine = _crisis(tmp_path)
    plan = Scenario.from_mapping({"attackers": [200], "targets": [211], "on": "2021-01-01"})
    rule = simulate(engine, plan, draws=8000, seed=1, cascade=True).joins.set_index("state")
    # France defends Belgium; its entry makes Britain attacked, so Portugal may come
    assert rule.loc[220, "p_target_side"] == pytest.approx(0.745, abs=0.02)
    assert rule.loc[235, "p_attacker_side"] == pytest.approx(0.745**2, abs=0.02)
    # but France joining does not make France attacked: Spain's pledge to it does not fire
    assert 230 not in rule.index
    chain = simulate(engine, plan, draws=8000, seed=1, cascade="chain").joins.set_index("state")
    assert chain.loc[230, "p_target_side"] == pytest.approx(0.745**2, abs=0.02)
    none = simulate(engine, plan, draws=8000, seed=1, cascade=False).joins.set_index("state")
    assert set(none.index) == {220}
    path = cascade_path(engine, plan)
    assert path[["round", "state", "side"]].values.tolist() == [
        [1, 220, "target"], [2, 235, "attacker"]]
    assert 230 in set(cascade_path(engine, plan, "chain")["state"])
    with pytest.raises(UsageError, match="cascade='loop'"):
        simulate(engine, plan, draws=10, cascade="loop")


def test_empirical_rates_are_drawn_per_draw(tmp_path: Path) -> None:
    engine = _crisis(tmp_path)
    plan = Scenario.from_mapping({"attackers": [200], "targets": [211], "on": "2021-01-01"})
    run = simulate(engine, plan, draws=8000, seed=1, rates={"defence": (2.5, 7.5)},
                   rates_source="test rates")
    assert run.joins.set_index("state").loc[220, "p_target_side"] == \
        pytest.approx(0.25, abs=0.02)
    assert "Beta(2.5, 7.5)" in run.assumptions[1] and "test rates" in run.assumptions[1]
    with pytest.raises(UsageError, match="Beta"):
        simulate(engine, plan, draws=10, rates={"defence": (0.0, 1.0)})


# -- the research data -------------------------------------------------------------------


@pytest.fixture(scope="module")
def war_cases(real_data: Path) -> pd.DataFrame:
    return reliability_cases("wars", (1816, 2003), data_dir=real_data)


def _pledge(cases: pd.DataFrame, event: str, partner: int, pledger: int,
            obligation: str) -> pd.Series:
    chosen = cases[(cases["event_id"] == event) & (cases["partner"] == partner)
                   & (cases["pledger"] == pledger) & (cases["obligation"] == obligation)]
    assert not chosen.empty, (event, partner, pledger, obligation)
    return chosen.iloc[0]


def test_1914_and_1939_pledge_by_pledge(war_cases: pd.DataFrame) -> None:
    # 1914: France's alliance with Russia held; Germany's offence pledge to Austria-Hungary
    assert _pledge(war_cases, "cow-106", 365, 220, "defence")["outcome"] == "joined partner"
    assert _pledge(war_cases, "cow-106", 300, 255, "offence")["outcome"] == "joined partner"
    # 1939: ATOP's Anglo-Polish alliance (6 April 1939) is in play (not a wartime
    # alliance) and held; Germany's non-aggression pact with Poland did not
    britain = _pledge(war_cases, "cow-139", 290, 200, "defence")
    assert britain["outcome"] == "joined partner"
    assert britain["timing"].startswith("began in the onset year")
    assert _pledge(war_cases, "cow-139", 290, 255, "non_aggression")["outcome"] == \
        "fought partner"
    # Romania entered in 1941, after Poland's war had ended: it stayed out of Poland's war
    assert _pledge(war_cases, "cow-139", 290, 360, "defence")["outcome"] == "stayed out"


def test_real_rates_by_era(war_cases: pd.DataFrame) -> None:
    rates = reliability_rates(war_cases, ["era", "obligation"]).set_index(
        ["era", "obligation"])
    early, late = rates.loc[("1816-1944", "defence")], rates.loc[("1945-", "defence")]
    assert early["cases"] > 100 and late["cases"] > 100
    assert early["share"] > late["share"]  # as the literature finds
    assert early["low"] <= early["share"] <= early["high"]


def test_iran_saudi_2025_with_the_cascade_follows_the_rule(real_data: Path) -> None:
    engine = Obligations(("atop", "curated"), data_dir=real_data)
    plan = Scenario.from_mapping({"attackers": ["IRN"], "targets": ["SAU"],
                                  "on": "2025-10-01"})
    rule = simulate(engine, plan, draws=4000, seed=1, cascade=True).joins
    chain = simulate(engine, plan, draws=4000, seed=1, cascade="chain").joins
    assert (chain["p_target_side"] > 0.99).sum() > 15  # the old loop: everyone at 1
    lebanon = rule.set_index("state").loc[660, "p_target_side"]  # one pledge: the Arab League
    assert lebanon == pytest.approx(0.745, abs=0.03)
    assert (rule["p_target_side"] < 0.99).all()


def test_the_api_and_the_page_follow_the_rule(real_data: Path) -> None:
    from fastapi.testclient import TestClient

    from alliancekit.web.app import create_app

    client = TestClient(create_app(data_dir=real_data))
    body = {"attackers": ["IRN"], "targets": ["SAU"], "on": "2025-10-01", "cascade": True,
            "draws": 2000, "honoured": 0.745}
    answer = client.post("/api/scenarios", json=body)
    assert answer.status_code == 200, answer.text
    joins = {j["state"]: j["p_target_side"] for j in answer.json()["simulation"]["joins"]}
    assert joins[660] == pytest.approx(0.745, abs=0.04) and max(joins.values()) < 0.99
    assert any("a state that joins is not thereby attacked" in a
               for a in answer.json()["simulation"]["assumptions"])
    empirical = client.post("/api/scenarios", json={**body, "honoured": "empirical"}).json()
    assert any("empirical: pledges honoured in COW inter-state wars of 1945-" in a
               for a in empirical["simulation"]["assumptions"])
    assert client.post("/api/scenarios", json={**body, "honoured": 1.5}).status_code == 422
    rates = client.get("/api/reliability", params={"by": "era,obligation"})
    assert rates.status_code == 200
    rows = {(r["era"], r["obligation"]): r for r in rates.json()["rates"]}
    assert rows[("1816-1944", "defence")]["cases"] > 100
    assert client.get("/api/reliability", params={"by": "colour"}).status_code == 422
    page = client.get("/scenario", params={"attacker": "IRN", "target": "SAU",
                                           "date": "2025-10-01", "cascade": "1"})
    assert page.status_code == 200
    assert "A state that joins a war is not thereby attacked" in page.text
    assert "empirical: pledges honoured" in page.text
