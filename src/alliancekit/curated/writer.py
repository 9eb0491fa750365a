"""Writing curated records back to TOML in one canonical form.

The ledger (:mod:`alliancekit.ledger`) keeps the records in a database and exports them to the
package's TOML files; :func:`record_toml` is that export. It writes a record's table (as
``tomllib`` reads it) with its keys in a fixed order, its leading comment kept, each member's
state named in a comment, long strings wrapped at word boundaries with TOML's line-ending
backslash, and one blank line before each ``[[members]]``, ``[[obligations]]``, ``[[exits]]`` and
``[[source]]`` entry. Reading the text back gives the same table (``tomllib.loads(record_toml(
data)) == data``), and the shipped files are in this form, so a record read from a file and
written again is the same file byte for byte.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 100
_BARE = re.compile(r"[A-Za-z0-9_-]+")

# Key order of each kind of table; keys not listed follow in alphabetical order.
TOP = ("id", "atopid", "name_en", "name_ar", "kind", "status", "signed", "in_force", "ended",
       "superseded_by", "concluded", "cooperation_type", "institutions", "evidence", "sources",
       "notes", "gaps")
ARRAYS = ("members", "obligations", "exits", "source")
ENTRY = {
    "members": ("state", "entry", "exit", "certainty", "sources", "note"),
    "obligations": ("type", "pledged_by", "pledged_to", "text", "certainty", "sources"),
    "exits": ("state", "exit", "certainty", "sources", "note"),
    "source": ("id", "url", "published", "publisher", "supports"),
}
CONDITIONS = ("adversary", "location", "non_provocation")


def _ordered(table: Mapping[str, Any], order: Sequence[str]) -> list[str]:
    return [k for k in order if k in table] + sorted(k for k in table if k not in order)


def basic_string(text: str) -> str:
    """``text`` as a one-line TOML basic string."""
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _wrapped(key: str, text: str) -> str:
    """A multi-line basic string for ``key``, its lines of at most :data:`WIDTH` characters
    where the words allow: a break after a single space, which the line-ending backslash keeps
    (TOML trims only the newline and the whitespace that follows it)."""
    body = basic_string(text)[1:-1]
    lines, line = [], f'{key} = """'
    words = body.split(" ")
    for k, word in enumerate(words):
        piece = word + (" " if k < len(words) - 1 else "")
        breakable = (len(line) + len(piece) + 1 > WIDTH and line.endswith(" ")
                     and not line.endswith("  ") and word != "")
        if breakable:
            lines.append(line + "\\")
            line = piece
        else:
            line += piece
    lines.append(line + '"""')
    return "\n".join(lines)


def value_text(value: Any) -> str:
    """A TOML value (string, integer, float, boolean or a list of them) on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value!r} cannot be written to a record")
        return repr(value)
    if isinstance(value, str):
        return basic_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    raise ValueError(f"{value!r} ({type(value).__name__}) cannot be written to a record")


def key_text(key: str) -> str:
    """``key`` as TOML writes it: bare when it may be, else quoted."""
    return key if _BARE.fullmatch(key) else basic_string(key)


def _pair(key: str, value: Any, label: str | None = None) -> str:
    key = key_text(key)
    if isinstance(value, str) and len(f"{key} = {basic_string(value)}") > WIDTH \
            and " " in value:
        return _wrapped(key, value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value) and \
            len(f"{key} = {value_text(value)}") > WIDTH:
        return f"{key} = [\n" + "".join(f"  {basic_string(v)},\n" for v in value) + "]"
    line = f"{key} = {value_text(value)}"
    if key == "state" and label:
        line += f"  # {label}"
    return line


def record_toml(data: Mapping[str, Any], *, comment: str = "",
                labels: Mapping[str, Sequence[str]] | None = None,
                names: Mapping[Any, str] | None = None) -> str:
    """The canonical TOML text of one record (an agreement, a group or an ATOP status):
    ``comment`` (lines without their ``#``) first; each ``state`` of ``members`` and ``exits``
    followed by its label as a comment: ``labels[key][k]`` for entry k when given (a
    curator's own words), else its name in ``names``."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()] if comment else []
    for key in _ordered(data, TOP):
        if key in ARRAYS:
            continue
        value = data[key]
        if isinstance(value, dict):
            raise ValueError(f"{key}: a table at the top of a record is not part of the schema")
        lines.append(_pair(key, value))
    for key in [k for k in ARRAYS if k in data]:
        given = list((labels or {}).get(key, ()))
        for k, entry in enumerate(data[key]):
            lines += ["", f"[[{key_text(key)}]]"]
            label = given[k] if k < len(given) and given[k] else \
                (names or {}).get(entry.get("state"))
            for field in _ordered(entry, ENTRY[key]):
                value = entry[field]
                if isinstance(value, dict):
                    continue
                lines.append(_pair(field, value, label))
            for field in sorted(k for k, v in entry.items() if isinstance(v, dict)):
                lines.append(f"[{key_text(key)}.{key_text(field)}]")
                for inner in _ordered(entry[field], CONDITIONS):
                    lines.append(_pair(inner, entry[field][inner]))
    return "\n".join(lines) + "\n"


def state_labels(text: str) -> dict[str, list[str]]:
    """The comment after each ``state = ...`` of a TOML text's ``[[members]]`` and
    ``[[exits]]`` entries, in order ("" where there is none)."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[[") and stripped.endswith("]]"):
            current = stripped[2:-2].strip()
            found.setdefault(current, []).append("")
        elif current in ("members", "exits") and stripped.startswith("state") and "#" in line:
            key, _, rest = stripped.partition("=")
            if key.strip() == "state" and not rest.strip().startswith('"'):
                found[current][-1] = rest.partition("#")[2].strip()
    return {k: v for k, v in found.items() if k in ("members", "exits")}


def leading_comment(text: str) -> str:
    """The comment lines at the top of a TOML text, without their ``#`` (what
    :func:`record_toml` writes back)."""
    out = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        out.append(line[1:].removeprefix(" "))
    return "\n".join(out)
