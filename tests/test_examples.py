"""Every example a user reads runs as written: each ``Example: alliancekit ...`` in a command's
``--help`` and each ``alliancekit ...`` command in the README (fenced blocks and inline code
without placeholders). They run in a scratch directory holding ``examples/``, on the research
datasets of ``ALLIANCEKIT_DATA``; ``serve`` examples are started on a free port and asked one
question."""

from __future__ import annotations

import os
import re
import shlex
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from alliancekit.cli import app
from tests.conftest import NO_REAL_DATA, real_data_dir, running_server

ROOT = Path(__file__).resolve().parent.parent


def _commands(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
    yield path, command
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _commands(sub, [*path, name])


def help_examples() -> list[str]:
    """``Example:`` lines of every command's help, with their continuation lines."""
    found: list[str] = []
    for _, command in _commands(typer.main.get_command(app), []):
        lines = (command.help or "").splitlines()
        for i, line in enumerate(lines):
            if not line.strip().startswith("Example: alliancekit "):
                continue
            example = line.strip().removeprefix("Example: ")
            for more in lines[i + 1:]:
                if not more.strip().startswith("--"):
                    break
                example += " " + more.strip()
            found.append(example)
    return list(dict.fromkeys(found))


def readme_examples() -> list[str]:
    """``alliancekit`` commands of the README: fenced shell lines (with ``\\`` continuations)
    and inline code spans without placeholders such as NAME or ``...``."""
    text = (ROOT / "README.md").read_text()
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for command in block.replace("\\\n", " ").splitlines():
            command = " ".join(command.split())
            if command.startswith("alliancekit "):
                found.append(command)
    for span in re.findall(r"`(alliancekit [^`]+)`", text.replace("\n  ", " ")):
        span = " ".join(span.split())
        words = span.split()
        if any(w.isupper() and len(w) > 3 and w not in ("SAU", "IRN") for w in words) \
                or "..." in span or "|" in span:
            continue
        found.append(span)
    return list(dict.fromkeys(found))


EXAMPLES = list(dict.fromkeys([*help_examples(), *readme_examples()]))
# Files some examples read are written by others: run the writers first.
# (the ledger's: import, then users, backup, export, restore)
LATER = ("--panel", "--atlas", " ledger export", " ledger backup", " ledger restore",
         " ledger users", " ledger publish")
EXAMPLES.sort(key=lambda e: (3 if " ledger restore" in e else 2 if " ledger token" in e
                             else 1 if any(word in e for word in LATER) else 0, e))

pytestmark = pytest.mark.skipif(real_data_dir() is None, reason=NO_REAL_DATA)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("examples")
    (root / "examples").symlink_to(ROOT / "examples")
    return root


def test_the_examples_were_found() -> None:
    assert len(help_examples()) >= 30
    assert "alliancekit simulate examples/scenarios/july1914.yaml --draws 10000 --seed 1 " \
           "--cascade" in EXAMPLES
    assert any(e.startswith("alliancekit panel dyad-years") for e in readme_examples())


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_runs_as_written(example: str, scratch: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # the data directory as the user's shell would have it, whatever the working directory
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(Path(os.environ["ALLIANCEKIT_DATA"]).resolve()))
    monkeypatch.chdir(scratch)
    words = shlex.split(example)
    assert words[0] == "alliancekit"
    if words[1] == "serve":
        _serve(words[2:])
        return
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], Path(words[at + 1])
    if "--panel" in words and not Path(words[words.index("--panel") + 1]).exists():
        pytest.fail(f"{example}: no example writes {words[words.index('--panel') + 1]}")
    result = CliRunner().invoke(app, words[1:])
    assert result.exit_code == 0, f"{example}\n{result.output}\n{result.exception!r}"
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.stdout)
        assert target.stat().st_size > 0
    for word in words:
        if Path(word).suffix in (".parquet", ".csv", ".gexf", ".graphml", ".png") and \
                words[words.index(word) - 1] in ("--out", "--chart", "--states-out",
                                                 "--years-out"):
            assert Path(word).stat().st_size > 0, f"{example} did not write {word}"


def _serve(arguments: list[str]) -> None:
    """Start ``serve`` as written, but on a free port, and ask it one question."""
    with running_server(*arguments) as port:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/states", timeout=5).read()
