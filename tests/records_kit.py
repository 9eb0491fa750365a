"""Small curated records written by tests: TOML builders and an empty records directory."""

from __future__ import annotations

import shutil
from pathlib import Path

from alliancekit.locations import curated_dir

SOURCE = '''
[[source]]
id = "s1"
url = "https://example.org/pact"
published = "2020-01-01"
publisher = "Example"
supports = "Everything in this test record"
'''


def member(state: int, entry: str, exit_: str | None = None) -> str:
    """A ``[[members]]`` block sourced to ``s1``."""
    end = f'exit = "{exit_}"\n' if exit_ else ""
    return (f'[[members]]\nstate = {state}\nentry = "{entry}"\n{end}certainty = "certain"\n'
            'sources = ["s1"]\n\n')


def pledge(type_: str, by: str = '"all"', to: str = '"all"') -> str:
    """An ``[[obligations]]`` block; ``by`` and ``to`` are TOML (``"all"`` or ``[670]``)."""
    return (f'[[obligations]]\ntype = "{type_}"\npledged_by = {by}\npledged_to = {to}\n'
            'text = "test"\ncertainty = "certain"\nsources = ["s1"]\n\n')


def pact(name: str, members: list[int], pledges: list[tuple[str, list[int], list[int]]],
         signed: str = "2020-01-01") -> str:
    """A whole alliance record: members from ``signed``, then each ``(type, by, to)``."""
    text = (f'id = "{name}"\nname_en = "{name}"\nkind = "alliance_treaty"\n'
            f'signed = "{signed}"\nsources = ["s1"]\n\n')
    text += "".join(member(state, signed) for state in members)
    text += "".join(pledge(kind, str(by), str(to)) for kind, by, to in pledges)
    return text + SOURCE


def records_dir(root: Path, agreements: dict[str, str]) -> Path:
    """A records directory at ``root`` with the shipped state lists and ``agreements``."""
    (root / "agreements").mkdir(parents=True)
    (root / "groups").mkdir()
    for name in ("states.csv", "non_system.csv"):
        shutil.copy(curated_dir() / name, root / name)
    for name, text in agreements.items():
        (root / "agreements" / f"{name}.toml").write_text(text)
    return root
