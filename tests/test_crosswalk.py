"""The dated name-to-COW crosswalk."""

from __future__ import annotations

import pandas as pd

from alliancekit.sources.crosswalk import crosswalk, normalise, to_cow


def test_dated_names_follow_the_year() -> None:
    assert to_cow("Germany", 1985) == 260 and to_cow("Germany", 1991) == 255
    assert to_cow("Yemen", 1989) == 678 and to_cow("Yemen", 1990) == 679
    assert to_cow("Czechoslovakia", 1993) is None
    assert to_cow("Côte d\u2019Ivoire") == 437 and to_cow("  São  Tomé & Príncipe ") == 403
    assert to_cow("Congo - Kinshasa") == 490 and to_cow("Congo, Republic") == 484
    assert normalise("  Bosnia &  Herzegovina ") == "bosnia & herzegovina"


def test_the_report_lists_every_name_that_does_not_map() -> None:
    names = pd.Series(["Pakistan", "NATO", "Atlantis", "Atlantis", "Germany"])
    years = pd.Series([2000, 2001, 1999, 2003, 1980])
    result = crosswalk(names, years, source="test")
    assert result.codes.tolist()[:1] == [770] and result.codes.iloc[4] == 260
    assert result.codes.isna().tolist() == [False, True, True, True, False]
    report = result.report.set_index("name")
    assert report.loc["NATO", "kind"] == "not a state"
    assert report.loc["Atlantis", "kind"] == "unresolved"
    assert report.loc["Atlantis", "rows"] == 2 and report.loc["Atlantis", "first_year"] == 1999
    assert result.unresolved["name"].tolist() == ["Atlantis"]
