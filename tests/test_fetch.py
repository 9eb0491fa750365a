"""data fetch without the network: a local HTTP server or ``file://`` mirrors.

Checksums, atomic writes, zip members and errors; a source already present is not fetched
again; a failed fetch leaves no file and no new folder; offline errors name ``--mirror``;
``data list`` says where every source comes from.
"""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import alliancekit as ak
from alliancekit.cli import app
from alliancekit.sources import REGISTRY, Source, SourceFile
from alliancekit.sources.fetch import already_present, fetch_source
from alliancekit.sources.registry import cache_dir

CONTENT = b"ccode,year\n2,1816\n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "served"
    holding(root, CONTENT)
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
             member: str | None = None, *, extra: tuple[SourceFile, ...] = ()) -> None:
    """Register source ``tiny``: ``tiny/tiny.csv`` (and the ``extra`` files)."""
    source = Source(
        name="tiny", title="Tiny", version="1", unit="state-year", coverage=(1816, 1816),
        distributor="us", homepage="http://127.0.0.1/tiny-home.html",
        citation="@misc{tiny, title={Tiny}}",
        files=(SourceFile("tiny/tiny.csv", sha, url, member), *extra),
    )
    monkeypatch.setitem(REGISTRY, "tiny", source)


SHA = hashlib.sha256(CONTENT).hexdigest()


def holding(root: Path, content: bytes) -> Path:
    """A data directory ``root`` holding the tiny source's file with ``content``."""
    (root / "tiny").mkdir(parents=True, exist_ok=True)
    (root / "tiny" / "tiny.csv").write_bytes(content)
    return root


def tree(root: Path) -> set[Path]:
    """Every path under ``root`` (files and folders)."""
    return set(root.rglob("*"))


def closed_port() -> int:
    """A local TCP port nobody listens on: connecting to it is refused, as when offline."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def served(tmp_path: Path, files: dict[str, bytes]) -> str:
    """A ``file://`` mirror serving ``files`` under their relative paths."""
    root = tmp_path / "mirror"
    for relative, content in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    return root.as_uri()


def invoke(args: list[str]) -> Result:
    """Run ``alliancekit ARGS`` in a wide terminal."""
    return CliRunner().invoke(app, args, env={"COLUMNS": "200"})


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
    assert not (tmp_path / "cache").exists()


def test_the_cli_fetches_into_the_user_cache(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, hashlib.sha256(CONTENT).hexdigest())
    result = CliRunner().invoke(app, ["data", "fetch", "tiny", "--mirror", server])
    assert result.exit_code == 0, result.output
    assert (cache_dir() / "tiny" / "tiny.csv").read_bytes() == CONTENT


# --- a source already present is not fetched again -------------------------------------------


def test_a_source_present_in_data_dir_is_returned_not_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    data = tmp_path / "data"
    holding(data, CONTENT)
    nowhere = (tmp_path / "nowhere").as_uri()  # any download attempt would fail
    paths = fetch_source("tiny", mirror=nowhere, destination=tmp_path / "cache", data_dir=data)
    assert paths == [data / "tiny" / "tiny.csv"]
    assert already_present("tiny", data) == data
    assert not (tmp_path / "cache").exists()


def test_the_cli_skips_a_source_present_in_alliancekit_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    data = tmp_path / "env-data"
    holding(data, CONTENT)
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(data))
    result = invoke(["data", "fetch", "tiny", "--mirror", (tmp_path / "nowhere").as_uri()])
    assert result.exit_code == 0, result.output
    assert f"tiny is already present in {data} (checksums match)" in result.output
    assert "--force downloads it again" in result.output
    assert not cache_dir().exists()


def test_the_cli_skips_a_source_present_in_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    monkeypatch.delenv("ALLIANCEKIT_DATA", raising=False)
    data = tmp_path / "data"
    holding(data, CONTENT)
    result = invoke(["data", "fetch", "tiny", "--data-dir", str(data),
                     "--mirror", (tmp_path / "nowhere").as_uri()])
    assert result.exit_code == 0, result.output
    assert f"already present in {data}" in result.output
    assert not cache_dir().exists()


def test_the_cli_skips_a_source_already_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    monkeypatch.delenv("ALLIANCEKIT_DATA", raising=False)
    holding(cache_dir(), CONTENT)
    result = invoke(["data", "fetch", "tiny", "--mirror", (tmp_path / "nowhere").as_uri()])
    assert result.exit_code == 0, result.output
    assert f"already present in {cache_dir()}" in result.output


def test_a_present_copy_with_another_checksum_is_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    data = tmp_path / "data"
    (data / "tiny").mkdir(parents=True)
    (data / "tiny" / "tiny.csv").write_bytes(b"another version\n")
    mirror = served(tmp_path, {"tiny/tiny.csv": CONTENT})
    result = invoke(["data", "fetch", "tiny", "--data-dir", str(data), "--mirror", mirror])
    assert result.exit_code == 0, result.output
    assert "already present" not in result.output
    assert (cache_dir() / "tiny" / "tiny.csv").read_bytes() == CONTENT


def test_force_downloads_a_present_source_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    data = tmp_path / "data"
    holding(data, CONTENT)
    mirror = served(tmp_path, {"tiny/tiny.csv": CONTENT})
    result = invoke(["data", "fetch", "tiny", "--data-dir", str(data), "--mirror", mirror,
                     "--force"])
    assert result.exit_code == 0, result.output
    assert "already present" not in result.output
    assert f"ok {cache_dir() / 'tiny' / 'tiny.csv'}" in result.output
    assert (cache_dir() / "tiny" / "tiny.csv").read_bytes() == CONTENT


def test_force_replaces_a_file_in_the_destination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    target = tmp_path / "cache" / "tiny" / "tiny.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(CONTENT)
    before = target.stat().st_ino
    mirror = served(tmp_path, {"tiny/tiny.csv": CONTENT})
    with pytest.raises(ak.FetchError):  # without force nothing is fetched; with it, it is tried
        fetch_source("tiny", mirror=(tmp_path / "nowhere").as_uri(),
                     destination=tmp_path / "cache", force=True)
    assert target.read_bytes() == CONTENT  # a failed forced fetch keeps the old file
    fetch_source("tiny", mirror=mirror, destination=tmp_path / "cache", force=True)
    assert target.read_bytes() == CONTENT
    assert target.stat().st_ino != before  # a new file was placed


# --- a failed fetch cleans up after itself ----------------------------------------------------


def test_a_failed_fetch_leaves_no_new_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    root = tmp_path / "cache" / "deep" / "er"
    with pytest.raises(ak.FetchError, match="download failed"):
        fetch_source("tiny", mirror=(tmp_path / "nowhere").as_uri(), destination=root)
    assert not (tmp_path / "cache").exists()


def test_a_failed_fetch_keeps_the_folders_that_were_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    root = tmp_path / "cache"
    (root / "tiny").mkdir(parents=True)  # existed before: an empty folder stays
    (root / "other").mkdir()
    (root / "other" / "keep.csv").write_text("x\n")
    before = tree(root)
    with pytest.raises(ak.ChecksumError):
        fetch_source("tiny", mirror=served(tmp_path, {"tiny/tiny.csv": b"wrong\n"}),
                     destination=root)
    assert tree(root) == before


def test_the_cli_leaves_no_folder_in_the_cache_after_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    before = tree(tmp_path)
    result = invoke(["data", "fetch", "tiny", "--mirror", (tmp_path / "nowhere").as_uri()])
    assert isinstance(result.exception, ak.FetchError), result.output
    assert tree(tmp_path) == before
    assert not cache_dir().exists()


def test_a_multi_file_source_is_fetched_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = b"ccode\n2\n"
    register(monkeypatch, SHA,
             extra=(SourceFile("tiny/more/second.csv", hashlib.sha256(second).hexdigest()),))
    root = tmp_path / "cache"
    # File 1 downloads and checks; file 2 is missing on the mirror: file 1 is not kept.
    with pytest.raises(ak.FetchError, match="second.csv"):
        fetch_source("tiny", mirror=served(tmp_path, {"tiny/tiny.csv": CONTENT}),
                     destination=root)
    assert not root.exists()
    # With both served, both arrive.
    mirror = served(tmp_path, {"tiny/tiny.csv": CONTENT, "tiny/more/second.csv": second})
    paths = fetch_source("tiny", mirror=mirror, destination=root)
    assert [p.read_bytes() for p in paths] == [CONTENT, second]
    assert not [p for p in tree(root) if p.name.startswith(".")]


def test_an_interrupted_fetch_leaves_nothing(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)

    def interrupt(label: str, done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fetch_source("tiny", mirror=server, destination=tmp_path / "cache", progress=interrupt)
    assert not (tmp_path / "cache").exists()


def test_a_source_without_direct_download_creates_nothing_from_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)  # no URL
    before = tree(tmp_path)
    result = invoke(["data", "fetch", "tiny"])
    assert isinstance(result.exception, ak.FetchError)
    assert "offers no direct download" in str(result.exception)
    assert "http://127.0.0.1/tiny-home.html" in str(result.exception)
    assert tree(tmp_path) == before


# --- offline ----------------------------------------------------------------------------------


def test_offline_the_error_names_mirror_and_the_homepage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA, f"http://127.0.0.1:{closed_port()}/tiny.csv")
    with pytest.raises(ak.FetchError) as caught:
        fetch_source("tiny", destination=tmp_path / "cache", timeout=5)
    message = str(caught.value)
    assert "download failed" in message and "Offline?" in message
    assert "--mirror BASE_URL" in message
    assert "http://127.0.0.1/tiny-home.html" in message
    assert not (tmp_path / "cache").exists()


def test_an_unreachable_mirror_is_named_in_the_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)
    mirror = f"http://127.0.0.1:{closed_port()}"
    result = invoke(["data", "fetch", "tiny", "--mirror", mirror])
    assert isinstance(result.exception, ak.FetchError)
    assert f"--mirror {mirror} reachable and serving tiny/tiny.csv" in str(result.exception)


# --- data list says where to get every source -------------------------------------------------


def rows(output: str) -> dict[str, list[str]]:
    """The table's rows by source name: each a list of cells, folded lines joined, no spaces."""
    table: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if line.count("│") < 7:
            continue
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells[0]:
            current = table.setdefault(cells[0], [""] * len(cells))
        if current is not None:
            for index, cell in enumerate(cells):
                current[index] += "".join(cell.split())
    return table


def test_data_list_says_where_to_get_a_source_without_direct_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)  # no URL
    monkeypatch.delenv("ALLIANCEKIT_DATA", raising=False)
    result = invoke(["data", "list", "--format", "table", "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "┃ source" in line)
    assert [cell.strip() for cell in header.split("┃")[1:-1]][-2:] == ["status", "get it"]
    status, get_it = rows(result.output)["tiny"][-2:]
    assert status == "missing"
    assert "downloadfromhttp://127.0.0.1/tiny-home.html" in get_it
    assert "tiny/tiny.csv" in get_it


def test_data_list_says_where_to_get_a_found_source_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA)  # no URL
    data = tmp_path / "data"
    holding(data, CONTENT)
    result = invoke(["data", "list", "--format", "table", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    status, get_it = rows(result.output)["tiny"][-2:]
    assert status.startswith("foundin")
    assert "downloadfromhttp://127.0.0.1/tiny-home.html" in get_it


def test_data_list_names_the_fetch_command_for_a_direct_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(monkeypatch, SHA, "http://127.0.0.1/tiny.csv")
    result = invoke(["data", "list", "--format", "table", "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 0, result.output
    assert rows(result.output)["tiny"][-1] == "alliancekitdatafetchtiny"
