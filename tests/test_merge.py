"""ATOP plus the curated records: extension past 2018, what ATOP lacks, disagreements, fallback.

The tiny world's ATOP has France pledging defence and consultation to Belgium (atopid 1160)
from 1831. Our records (written here) say two things: the same alliance (linked to 1160) has
Belgium pledging defence back, which disagrees with ATOP; and an unlinked 2010 pact has the
United States and Belgium pledging to defend each other, which ATOP does not code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancekit import add_atop_alliance, create_dyadyears
from alliancekit.cli import app
from alliancekit.curated.dyadyears import atop_disagreements, curated_dyad_years
from alliancekit.curated.records import load_agreements
from alliancekit.errors import UsageError
from alliancekit.panels.frame import sources_of
from alliancekit.sources.registry import MissingSourceWarning
from tests.records_kit import SOURCE, member, pledge, records_dir

runner = CliRunner()

LINKED = ('id = "fra_bel"\nname_en = "France-Belgium"\nkind = "alliance_treaty"\n'
          'signed = "1831-11-15"\natopid = 1160\nsources = ["s1"]\n\n'
          + member(220, "1831-11-15") + member(211, "1831-11-15") + pledge("defence") + SOURCE)
UNLINKED = ('id = "usa_bel"\nname_en = "USA-Belgium"\nkind = "alliance_treaty"\n'
            'signed = "2010-03-01"\nsources = ["s1"]\n\n'
            + member(2, "2010-03-01") + member(211, "2010-03-01") + pledge("defence") + SOURCE)
COALITION = ('id = "club"\nname_en = "A coalition without pledges"\nkind = "coalition"\n'
             'signed = "2015"\nsources = ["s1"]\n\n' + member(2, "2015") + member(200, "2015")
             + SOURCE)


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return records_dir(tmp_path / "records",
                       {"fra_bel": LINKED, "usa_bel": UNLINKED, "club": COALITION})


def value(frame: pd.DataFrame, a: int, b: int, year: int, column: str = "atop_defense") -> object:
    row = frame[(frame["ccode1"] == a) & (frame["ccode2"] == b) & (frame["year"] == year)]
    assert len(row) == 1
    return row[column].iloc[0]


def test_curated_dyad_years_follow_pledges_and_skip_pledgeless_coalitions(records: Path) -> None:
    dyads = curated_dyad_years(load_agreements(records), until=2020)
    assert set(dyads[dyads["year"] == 2015][["ccode1", "ccode2"]].itertuples(index=False)) == {
        (2, 211), (211, 2), (211, 220), (220, 211)}
    assert dyads["year"].min() == 1831 and dyads["year"].max() == 2020
    assert (dyads["atop_defense"] == 1).all() and (dyads["atop_consul"] == 0).all()


def test_atop_alone_is_unchanged_by_the_records(tiny: Path, records: Path) -> None:
    panel = create_dyadyears("cow", (2015, 2016))
    plain = add_atop_alliance(panel)
    assert value(plain, 2, 211, 2015) == 0
    assert sources_of(plain)[-1] == "atop_ddyr"


def test_curated_records_add_what_atop_lacks_and_extend_past_2018(tiny: Path,
                                                                   records: Path) -> None:
    panel = create_dyadyears("cow", (2009, 2025), mry=True)
    both = add_atop_alliance(panel, sources=("atop", "curated"), records=records)
    assert sources_of(both)[-2:] == ["atop_ddyr", "curated"]
    # The unlinked pact is added inside ATOP's years, from its signature year.
    assert value(both, 2, 211, 2009) == 0
    assert value(both, 2, 211, 2010) == 1 and value(both, 211, 2, 2018) == 1
    # Linked: ATOP's coding stands to 2018 (Belgium owes nothing), the record after it.
    assert value(both, 211, 220, 2018) == 0 and value(both, 211, 220, 2019) == 1
    # After 2018 a dyad-year no source codes is missing, or 0 when asked to assume so.
    assert value(both, 2, 200, 2018, "atop_consul") == 1
    assert pd.isna(value(both, 2, 200, 2019, "atop_consul"))
    assert pd.isna(value(both, 2, 200, 2019))
    zero = add_atop_alliance(panel, sources=("atop", "curated"), unmatched="zero",
                             records=records)
    assert value(zero, 2, 200, 2019) == 0 and value(zero, 2, 211, 2025) == 1


def test_non_directed_takes_either_direction_of_a_one_way_curated_pledge(
        tiny: Path, records: Path) -> None:
    text = LINKED.replace('pledged_by = "all"\npledged_to = "all"',
                          "pledged_by = [211]\npledged_to = [220]")
    (records / "agreements" / "fra_bel.toml").write_text(text)
    panel = create_dyadyears("cow", (2020, 2020), directed=False, mry=True)
    both = add_atop_alliance(panel, sources=("curated",), records=records)
    assert value(both, 211, 220, 2020) == 1 and value(both, 211, 220, 2020, "atop_alliance") == 1


def test_without_atop_the_curated_records_serve_alone_and_say_so(
        tiny: Path, records: Path) -> None:
    (tiny / "atop_ddyr" / "atop5_1_ddyr_obligations.csv.gz").unlink()
    panel = create_dyadyears("cow", (2015, 2015))
    with pytest.warns(MissingSourceWarning, match="curated records alone"):
        alone = add_atop_alliance(panel, sources=("atop", "curated"), records=records)
    assert "atop_ddyr" not in sources_of(alone) and sources_of(alone)[-1] == "curated"
    assert value(alone, 2, 211, 2015) == 1 and pd.isna(value(alone, 2, 200, 2015))


@pytest.mark.parametrize("sources", [(), ("cow",), "atop"])
def test_unknown_alliance_sources_are_refused(tiny: Path, sources: object) -> None:
    panel = create_dyadyears("cow", (2015, 2015))
    with pytest.raises(UsageError, match="give one or both of 'atop' and 'curated'"):
        add_atop_alliance(panel, sources=sources)  # type: ignore[arg-type]


def test_disagreements_name_the_member_obligation_and_years(tiny: Path, records: Path) -> None:
    report = atop_disagreements(agreements=load_agreements(records))
    assert report.to_dict("records") == [
        {"agreement": "fra_bel", "atopid": 1160, "ccode": 211, "what": "defence",
         "curated": 1, "atop": 0, "first_year": 1831, "last_year": 2018},
        {"agreement": "fra_bel", "atopid": 1160, "ccode": 220, "what": "consultation",
         "curated": 0, "atop": 1, "first_year": 1831, "last_year": 2018},
    ]


def test_disagreements_and_alliance_sources_from_the_command_line(tiny: Path,
                                                                   tmp_path: Path) -> None:
    result = runner.invoke(app, ["records", "disagreements", "--json"])
    assert result.exit_code == 0, result.output
    report = pd.read_json(__import__("io").StringIO(result.output))
    assert "gcc_joint_defence_agreement" in set(report["agreement"])
    out = tmp_path / "recent.parquet"
    result = runner.invoke(app, ["panel", "dyad-years", "--years", "2018-2019", "--mry",
                                 "--add", "atop", "--alliance-sources", "atop,curated",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "curated" in result.output
    result = runner.invoke(app, ["cite", "--panel", str(out)])
    assert "alliancekit_curated" in result.output
