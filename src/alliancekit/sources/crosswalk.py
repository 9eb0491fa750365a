"""A dated crosswalk from the country names research datasets use to COW codes.

``to_cow("Germany", 1985)`` is 260 (the German Federal Republic) and ``to_cow("Germany", 1995)``
is 255. A name is looked up, after trimming and folding case and accents, first in the dated
table below (spellings of SIPRI, MME, Geo-PKO and historic names), then by the resolver the
command line uses (COW code, COW or ISO abbreviation, English name). Entities that are not
states (NATO, the UN, "Multinational", territories) resolve to nothing and are listed as such;
anything else that does not resolve is *unresolved*. :func:`crosswalk` maps a whole column and
returns a report with every name that did not resolve and the rows it affects, so nothing is
dropped silently.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.names import resolve_state

# name -> [(first year, last year, COW code)]; the years bound where the mapping holds.
DATED: dict[str, list[tuple[int, int, int]]] = {
    "germany": [(0, 1990, 260), (1991, 9999, 255)],
    "federal republic of germany": [(0, 1990, 260), (1991, 9999, 255)],
    "west germany": [(0, 1990, 260)],
    "east germany": [(0, 1990, 265)],
    "german democratic republic": [(0, 1990, 265)],
    "german dr": [(0, 1990, 265)],
    "yemen": [(0, 1989, 678), (1990, 9999, 679)],
    "yemen, north": [(0, 1989, 678)],
    "north yemen": [(0, 1989, 678)],
    "yemen, south": [(0, 1989, 680)],
    "south yemen": [(0, 1989, 680)],
    "ussr": [(0, 9999, 365)],
    "soviet union": [(0, 9999, 365)],
    "czechoslovakia": [(0, 1992, 315)],
    "serbia and montenegro": [(0, 2006, 345)],
    "yugoslavia": [(0, 9999, 345)],
    "serbia": [(0, 9999, 345)],
    "zaire": [(0, 9999, 490)],
    "burma": [(0, 9999, 775)],
    "myanmar (burma)": [(0, 9999, 775)],
    "congo, dr": [(0, 9999, 490)],
    "congo - kinshasa": [(0, 9999, 490)],
    "dr congo": [(0, 9999, 490)],
    "congo, republic": [(0, 9999, 484)],
    "congo - brazzaville": [(0, 9999, 484)],
    "gambia, the": [(0, 9999, 420)],
    "korea, north": [(0, 9999, 731)],
    "korea, south": [(0, 9999, 732)],
    "kyrgyz republic": [(0, 9999, 703)],
    "timor leste": [(0, 9999, 860)],
    "viet nam": [(0, 9999, 816)],
    "bosnia & herzegovina": [(0, 9999, 346)],
    "bosnia-herzegovina": [(0, 9999, 346)],
    "st. kitts & nevis": [(0, 9999, 60)],
    "st. christopher": [(0, 9999, 60)],
    "st. vincent & grenadines": [(0, 9999, 57)],
    "trinidad & tobago": [(0, 9999, 52)],
    "sao tome & principe": [(0, 9999, 403)],
    "cote d'ivoire": [(0, 9999, 437)],
    "swaziland": [(0, 9999, 572)],
    "macedonia": [(0, 9999, 343)],
    # Geo-PKO v2.3 writes the Republic of Korea as "Korea (ROK)" (TCCMap year.overview).
    "korea (rok)": [(0, 9999, 732)],
    # JME v3 writes ISO 3166 alpha-3 codes. DEU there means the Federal Republic until 1990;
    # the other six are ISO codes that are also another state's COW abbreviation (COW AUS is
    # Austria, CZE Czechoslovakia, KOR Korea before 1905, MNG Montenegro, SLV Slovenia, SWZ
    # Switzerland), so the resolver calls them ambiguous. Named datasets use ISO, not COW,
    # abbreviations (COW-coded files carry ccode), so the ISO meaning wins here.
    "deu": [(0, 1990, 260), (1991, 9999, 255)],
    "aus": [(0, 9999, 900)],
    "cze": [(1993, 9999, 316)],
    "kor": [(0, 9999, 732)],
    "mng": [(0, 9999, 712)],
    "slv": [(0, 9999, 92)],
    "swz": [(0, 9999, 572)],
}
# Names that are not states; they resolve to nothing and are reported as such.
NOT_STATES = frozenset({
    "nato", "un", "united nations", "european union", "multinational", "tcc name unknown",
    "caricom", "baltic states", "hong kong sar china", "hong kong", "bermuda", "new caledonia",
    "netherlands antilles", "african union", "ecowas", "-9", "",
    # SIPRI arms transfers: unknown parties, secessionist entities and territories
    "unknown supplier(s)", "unknown recipient(s)", "biafra", "katanga", "western sahara",
    "aruba",
    # a member of the OIC and the Arab League outside the COW and G-W state systems
    "palestine",
    # JME v3 (ISO 3166 alpha-3): Bermuda, a British territory
    "bmu",
})


def is_not_state(key: str) -> bool:
    """Whether a normalised name is a known non-state (SIPRI marks non-state actors with a
    trailing ``*`` or ``**``)."""
    return key in NOT_STATES or key.endswith("*")


def normalise(name: str) -> str:
    """Trimmed, single-spaced, case-folded, without accents or curly apostrophes
    (``São Tomé`` -> ``sao tome``)."""
    text = " ".join(str(name).split()).casefold().replace("\u2019", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


@cache
def _resolver(key: str) -> int | None:
    try:
        return resolve_state(key)
    except UsageError:
        return None


def to_cow(name: str, year: int | None = None) -> int | None:
    """The COW code ``name`` means in ``year`` (any year when None), or None."""
    key = normalise(name)
    if is_not_state(key):
        return None
    if key in DATED:
        for first, last, code in DATED[key]:
            if year is None or first <= year <= last:
                return code
        return None
    return _resolver(key)


@dataclass(frozen=True)
class Crosswalk:
    """Codes for a column of names (``Int64``, missing where unresolved) and the report."""

    codes: pd.Series
    report: pd.DataFrame

    @property
    def unresolved(self) -> pd.DataFrame:
        """Names that are neither resolved nor known non-states."""
        return self.report[self.report["kind"] == "unresolved"]


def crosswalk(names: pd.Series, years: pd.Series | None = None, *, source: str = ""
              ) -> Crosswalk:
    """Map ``names`` (with ``years`` for the dated names) to COW codes; report every name that
    does not map: ``source, name, kind (not a state | unresolved), rows, first_year,
    last_year``."""
    frame = pd.DataFrame({"name": names.astype(str).to_numpy(),
                          "year": (years.to_numpy() if years is not None
                                   else np.full(len(names), -1))})
    pairs = frame.drop_duplicates()
    mapped = {(n, y): to_cow(n, None if y == -1 or pd.isna(y) else int(y))
              for n, y in zip(pairs["name"], pairs["year"], strict=True)}
    codes = pd.array([mapped[(n, y)] for n, y in zip(frame["name"], frame["year"], strict=True)],
                     dtype="Int64")
    missing = frame[pd.isna(codes)]
    rows = []
    for name, group in missing.groupby("name", sort=True):
        known_years = group["year"][group["year"] != -1]
        rows.append({"source": source, "name": name,
                     "kind": "not a state" if is_not_state(normalise(str(name)))
                     else "unresolved",
                     "rows": len(group),
                     "first_year": int(known_years.min()) if len(known_years) else None,
                     "last_year": int(known_years.max()) if len(known_years) else None})
    report = pd.DataFrame(rows, columns=["source", "name", "kind", "rows", "first_year",
                                         "last_year"])
    return Crosswalk(pd.Series(codes, index=names.index), report)


def combine_reports(reports: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """One report from several."""
    frames = [r for r in reports if len(r)]
    if not frames:
        return pd.DataFrame(columns=["source", "name", "kind", "rows", "first_year",
                                     "last_year"])
    return pd.concat(frames, ignore_index=True)


# Gleditsch-Ward codes that differ from the COW code of the same state: (G-W code, first
# year, last year, COW code). Everywhere else the two systems use the same number. Germany and
# Yemen follow the years the name table above gives them; G-W's Serbia (340) is COW's 345
# throughout; the Pacific states are numbered differently in the two lists.
GW_TO_COW: tuple[tuple[int, int, int, int], ...] = (
    (260, 1991, 9999, 255),  # unified Germany: G-W keeps 260, COW returns to 255
    (678, 1990, 9999, 679),  # unified Yemen: G-W keeps 678, COW 679 from 22 May 1990
    (340, 2006, 9999, 345),  # Serbia (COW 345 was Yugoslavia, G-W 345, before)
    (970, 0, 9999, 946),     # Kiribati
    (971, 0, 9999, 970),     # Nauru
    (972, 0, 9999, 955),     # Tonga
    (973, 0, 9999, 947),     # Tuvalu
)


def gw_to_cow(codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """The COW code of each Gleditsch-Ward code in its year (see :data:`GW_TO_COW`).

    >>> gw_to_cow(np.array([260, 260, 2, 972]), np.array([1985, 1995, 2000, 2003])).tolist()
    [260, 255, 2, 955]
    """
    return _translate(codes, years, to_cow=True)


def cow_to_gw(codes: np.ndarray, years: np.ndarray) -> np.ndarray:
    """The Gleditsch-Ward code of each COW code in its year: :func:`gw_to_cow` reversed."""
    return _translate(codes, years, to_cow=False)


def _translate(codes: np.ndarray, years: np.ndarray, *, to_cow: bool) -> np.ndarray:
    """Each code in its year through :data:`GW_TO_COW`, one way or the other; codes the table
    does not name stay as they are."""
    codes = np.asarray(codes, dtype=np.int64)
    years = np.asarray(years, dtype=np.int64)
    out = codes.copy()
    for gw, first, last, cow in GW_TO_COW:
        source, target = (gw, cow) if to_cow else (cow, gw)
        out[(codes == source) & (years >= first) & (years <= last)] = target
    return out
