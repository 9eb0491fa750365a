"""Shared fixtures: a tiny hand-made data directory with the registry's layout.

The world it describes is small enough to check by hand: France (220) pledges to defend
Belgium (211) from 1832 and Belgium pledges nothing back; Ariel (901) leaves the system on
31 March 1900 and Bolt (902) enters on 1 May 1900, so they share the year but never a day;
Belgium enters on 4 October 1830, mid-year.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

STATES = """stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
UKG,200,United Kingdom,1816,1,1,2016,12,31,2016
BEL,211,Belgium,1830,10,4,2016,12,31,2016
FRN,220,France,1816,1,1,1940,6,22,2016
FRN,220,France,1945,8,15,2016,12,31,2016
ARI,901,Ariel,1890,1,1,1900,3,31,2016
BOL,902,Bolt,1900,5,1,2016,12,31,2016
"""

SYSTEM = """stateabb,ccode,year,version
USA,2,1816,2016
UKG,200,1816,2016
"""

GW = """gwcode,gw_abb,gw_name,microstate,start,end
2,USA,United States of America,0,1816-01-01,2020-12-31
200,UKG,United Kingdom,0,1816-01-01,2020-12-31
211,BEL,Belgium,0,1830-10-04,2020-12-31
"""

DDYR = """ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul
220,211,1832,1,0,0,0,1
211,220,1832,0,0,0,0,0
200,220,1900,0,0,1,0,0
220,200,1900,0,0,1,1,0
2,200,2018,1,0,0,0,1
200,2,2018,1,0,0,0,1
"""

NMC = """ccode,year,milex,milper,irst,pec,tpop,upop,cinc
220,1832,9000,300,250,,33000,1500,0.12
211,1832,,40,10,20,4000,200,0.01
2,2017,600000000,1300,80000,,325000,,0.14
"""

NMC6 = """stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version
FRN,220,1832,9000,300,250,-9,33000,1500,0.12,2021
"""

CONTIGUITY = """ccode1,ccode2,conttype,stdate,enddate
211,220,1,1830-10-01,2016-12-01
220,211,1,1830-10-01,2016-12-01
200,220,4,1816-07-01,2016-12-01
220,200,4,1816-07-01,2016-12-01
200,220,5,1816-01-01,1816-06-01
220,200,5,1816-01-01,1816-06-01
"""

MAJORS = """stateabb,ccode,styear,stmonth,stday,endyear,endmonth,endday,version
UKG,200,1816,1,1,2016,12,31,2016
FRN,220,1816,1,1,1940,6,22,2016
FRN,220,1945,8,15,2016,12,31,2016
USA,2,1898,8,13,2016,12,31,2016
"""

CAPITALS = """ccode,statenme,capital,stdate,enddate,lat,lng
2,United States of America,Washington D.C.,1816-01-01,2024-12-31,38.8950368,-77.0365427
200,United Kingdom,London,1816-01-01,2024-12-31,51.5073219,-0.1276474
211,Belgium,Brussels,1830-01-01,2024-12-31,50.8465573,4.351697
220,France,Paris,1816-01-01,2024-12-31,48.8588897,2.320041
902,Bolt,Old Bolt,1900-05-01,1950-06-30,10.0,10.0
902,Bolt,New Bolt,1950-07-01,2024-12-31,20.0,20.0
"""

GW_CAPITALS = """gwcode,statenme,capital,stdate,enddate,lat,lng
2,United States of America,Washington D.C.,1816-01-01,2024-12-31,38.8950368,-77.0365427
200,United Kingdom,London,1816-01-01,2024-12-31,51.5073219,-0.1276474
211,Belgium,Brussels,1830-01-01,2024-12-31,50.8465573,4.351697
"""

_FLAGS = ("conditio,defcon,offcon,neucon,concon,defcoadv,defcoloc,defcocon,defconum,defcodem,"
          "defconpr,offcoadv,offcoloc,offcocon,offconum,offcodem,neucoadv,neucoloc,neucocon,"
          "neuconum,neucodem,neuconpr,concoadv,concoloc,concocon,specthrt,statthr1,statthr2")
_NO_CONDITIONS = ",".join(["0"] * 28)
# France pledges defence to Belgium (1831-) against the Netherlands (210) only, and UK-USA
# neutrality (1899-1903) with no conditions.
_FRA_CONDITIONS = ("1,1,0,0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,210,0")
ATOP_MEMBERS = (
    "atopid,member,cowsys,yrent,moent,dayent,yrexit,moexit,dayexit,phase,bilat,asymm,obvary,"
    "defense,offense,neutral,nonagg,consul," + _FLAGS + ",wartime,cowwar\n"
    "1160,220,1,1831,11,15,0,0,,1,1,1,1,1,0,0,0,1," + _FRA_CONDITIONS + ",0,0\n"
    "1160,211,1,1831,11,15,0,0,,1,1,1,1,0,0,0,0,0," + _NO_CONDITIONS + ",0,0\n"
    "1200,200,1,1899,6,1,1903,5,31,1,1,0,0,0,0,1,0,0," + _NO_CONDITIONS + ",0,0\n"
    "1200,2,1,1899,6,1,1903,5,31,1,1,0,0,0,0,1,0,0," + _NO_CONDITIONS + ",0,0\n"
)

ATOP_ALLIANCES = (
    "atopid,begyr,begmo,begday,endyr,endmo,endday,defense,offense,neutral,nonagg,consul\n"
    "1160,1831,11,15,0,0,0,1,0,0,0,1\n"
)

# Cooperation sources: France-Belgium DCA signed 1995, in force five years (to 1999); US-UK
# sector DCA from 2008 still in force at DCAD's end (2010); US-Belgium DCA that ended in 2010.
DCAD = (
    "DCAid,ccode1,ccode2,signYear,EIFYear,type,category1,category2,category3,durationActual,"
    "endYearEstimate\n"
    "D1,211,220,1995,1995,general,DCA,,,,2000\n"
    "D2,2,200,2008,,sector,TREX,,,,2010\n"
    "D3,2,211,2001,2001,general,DCA,,,9,2010\n"
)
SIPRI_ARMS = (
    "supplier,recipient,year,value,supplier_cown,recipient_cown\n"
    "France,Belgium,2000,12,220,211\n"
    "NATO**,Belgium,2001,3,,211\n"
    "United Kingdom,United States,1999,5,200,2\n"
)
SIPRI_MILEX = (
    "country,measure,year,value\n"
    "Belgium,constant_2022_usd_m,2000,4000\n"
    "Belgium,constant_2022_usd_m,2001,\n"
    "Belgium,current_usd_m,2000,3000\n"
    "France,constant_2022_usd_m,2000,60000\n"
    "European Union,constant_2022_usd_m,2000,1\n"
)
US_TROOPS = (
    "countryname,year,ccode,troops_ad\n"
    "Belgium,2000,211,1500\n"
    "Guam,2000,1008,5000\n"
)

FILES = {
    "cow_states/states2016.csv": STATES,
    "cow_states/system2016.csv": SYSTEM,
    "gw_states/gw_system_2020.csv": GW,
    "atop_ddyr/atop5_1_ddyr_obligations.csv.gz": DDYR,
    "atop/atop5_1m.csv": ATOP_MEMBERS,
    "atop/atop5_1a.csv": ATOP_ALLIANCES,
    "atop/atop5_1aph.csv": ATOP_ALLIANCES,
    "atop/atopinst5_1.csv": "atopid,atopidphase,milinst,formal,version\n1160,1160.1,0,1,5.1\n",
    "cow_nmc/nmc_v7_0_peacesciencer.csv": NMC,
    "cow_nmc/NMC-60-abridged.csv": NMC6,
    "cow_contiguity/cow_contdir_v3_2_peacesciencer.csv": CONTIGUITY,
    "cow_majors/majors2016.csv": MAJORS,
    "capitals/cow_capitals.csv": CAPITALS,
    "capitals/gw_capitals.csv": GW_CAPITALS,
    "dcad/DCAD-v1.0-main.csv": DCAD,
    "sipri_arms_transfers/sipri_tiv_dyad_year_1950_2021_360info.csv": SIPRI_ARMS,
    "sipri_milex/sipri_milex_1949_2023_long.csv.gz": SIPRI_MILEX,
    "us_troops/troopdata_rebuild_country_year.csv": US_TROOPS,
    "us_troops/basedata.csv": "countryname,ccode,base\nBelgium,211,1\nGuam,1008,1\n",
}


def write_data_dir(root: Path, overrides: dict[str, str] | None = None) -> Path:
    """Write the tiny world (with ``overrides`` by relative path) under ``root``."""
    import gzip

    for relative, text in {**FILES, **(overrides or {})}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".gz"):
            path.write_bytes(gzip.compress(text.encode()))
        else:
            path.write_text(text)
    return root


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the real user cache; ALLIANCEKIT_DATA is kept for the real-data tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    yield


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny world as the only data directory (ALLIANCEKIT_DATA points at it)."""
    root = write_data_dir(tmp_path / "data")
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(root))
    return root


NO_REAL_DATA = ("needs the research datasets: set ALLIANCEKIT_DATA to a data directory "
                "(CI uses ../shared/data)")


def real_data_dir() -> Path | None:
    """The research datasets' directory named by ALLIANCEKIT_DATA, when it holds them."""
    value = os.environ.get("ALLIANCEKIT_DATA")
    if not value or not (Path(value) / "cow_states" / "states2016.csv").is_file():
        return None
    return Path(value)


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The shared research datasets; skips when ALLIANCEKIT_DATA does not hold them."""
    found = real_data_dir()
    if found is None:
        pytest.skip(NO_REAL_DATA)
    return found


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(*arguments: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """``alliancekit serve ARGUMENTS`` on a free port (``--port`` in ``arguments`` is replaced),
    started as the shell starts it and answering; yields the port and stops the server after."""
    words = list(arguments)
    port = free_port()
    if "--port" in words:
        words[words.index("--port") + 1] = str(port)
    else:
        words += ["--port", str(port)]
    server = subprocess.Popen([sys.executable, "-c", "from alliancekit.cli import main; main()",
                               "serve", *words], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/states", timeout=5).read()
                break
            except OSError:
                assert server.poll() is None, "serve exited"
                assert time.time() < deadline, "serve did not answer"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- the ledger on SQLite and on a PostgreSQL server of its own -----------------------------
POSTGRES_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _as_postgres(command: list[str]) -> list[str]:
    """``command`` run as the postgres user when we are root (the server refuses root)."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of its own on a free loopback port; its URL without a database.
    Skips, saying so, where Debian's postgresql package is not installed."""
    if not POSTGRES_BIN:
        pytest.skip("needs PostgreSQL (Debian's postgresql package; .ci/run installs it)")
    binaries = Path(POSTGRES_BIN[-1])
    # a directory of its own that the postgres user can reach (pytest's are private to us)
    root = Path(tempfile.mkdtemp(prefix="alliancekit-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data, port = root / "data", free_port()
    subprocess.run(_as_postgres([str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                                 "--auth=trust", "-E", "UTF8", "--no-instructions"]),
                   check=True, capture_output=True)
    subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
                                 str(root / "server.log"), "-o",
                                 f"-p {port} -k {root} -c listen_addresses=127.0.0.1",
                                 "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(_as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


_ledger_numbers = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a new, empty database for a ledger, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.db'}"
    import sqlalchemy as sa

    server = request.getfixturevalue("postgres_server")
    name = f"ledger_{os.getpid()}_{next(_ledger_numbers)}"
    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server}/{name}"


@pytest.fixture
def engine(ledger_url: str) -> Iterator[Any]:
    """A new, migrated ledger on each database."""
    from alliancekit.ledger.db import connect, upgrade

    found = connect(ledger_url)
    upgrade(found)
    yield found
    found.dispose()


@contextmanager
def app_in_thread(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; yields its URL and stops
    it after (the browser tests drive it)."""
    import threading

    import uvicorn

    port = free_port()
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                            log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)
