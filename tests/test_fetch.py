"""data fetch against a local HTTP server: checksum, atomic write, zip members, errors."""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

import alliancekit as ak
from alliancekit.sources import REGISTRY, Source, SourceFile
from alliancekit.sources.fetch import fetch_source

CONTENT = b"ccode,year\n2,1816\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "served"
    (root / "tiny").mkdir(parents=True)
    (root / "tiny" / "tiny.csv").write_bytes(CONTENT)
    with zipfile.ZipFile(root / "bundle.zip", "w") as bundle:
        bundle.writestr("Bundle 1.0 (.csv)/tiny.csv", CONTENT)
    handler = partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def register(monkeypatch: pytest.MonkeyPatch, sha: str, url: str | None = None,
             member: str | None = None) -> None:
    source = Source(
        name="tiny", title="Tiny", version="1", unit="state-year", coverage=(1816, 1816),
        distributor="us", homepage="http://127.0.0.1/", citation="@misc{tiny, title={Tiny}}",
        files=(SourceFile("tiny/tiny.csv", sha, url, member),),
    )
    monkeypatch.setitem(REGISTRY, "tiny", source)


def test_fetch_from_a_mirror_checks_and_writes(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest())
    seen: list[int] = []
    paths = fetch_source("tiny", mirror=server, destination=tmp_path / "cache",
                         progress=lambda label, done, total: seen.append(done))
    assert paths == [tmp_path / "cache" / "tiny" / "tiny.csv"]
    assert paths[0].read_bytes() == CONTENT
    assert seen[-1] == len(CONTENT)
    assert not [p for p in paths[0].parent.iterdir() if p.name.startswith(".")]


def test_a_checksum_mismatch_writes_nothing(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, "0" * 64)
    with pytest.raises(ak.ChecksumError, match="expected 0000"):
        fetch_source("tiny", mirror=server, destination=tmp_path / "cache")
    leftovers = list((tmp_path / "cache").rglob("*"))
    assert [p for p in leftovers if p.is_file()] == []


def test_a_member_is_extracted_from_the_distributors_zip(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest(), f"{server}/bundle.zip", "tiny.csv")
    [path] = fetch_source("tiny", destination=tmp_path / "cache")
    assert path.read_bytes() == CONTENT


def test_a_missing_file_on_the_server_is_a_fetch_error(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest())
    with pytest.raises(ak.FetchError, match="404"):
        fetch_source("tiny", url=f"{server}/nothing.csv", destination=tmp_path / "cache")
    assert not (tmp_path / "cache" / "tiny" / "tiny.csv").exists()


def test_a_file_without_a_direct_download_says_where_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest())
    with pytest.raises(ak.FetchError, match="offers no direct download"):
        fetch_source("tiny", destination=tmp_path / "cache")


def test_the_cli_fetches_into_the_user_cache(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from alliancekit.cli import app
    from alliancekit.sources.registry import cache_dir

    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest())
    result = CliRunner().invoke(app, ["data", "fetch", "tiny", "--mirror", server])
    assert result.exit_code == 0, result.output
    assert (cache_dir() / "tiny" / "tiny.csv").read_bytes() == CONTENT
