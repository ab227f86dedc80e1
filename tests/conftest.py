"""Shared fixtures. Neo4j: a real server with GDS, from NEO4J_* or scripts/neo4j-local."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import neo4j
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"


@dataclass(frozen=True)
class Neo4jServer:
    """Where the test server answers; `http` is None for an external server without NEO4J_HTTP."""

    uri: str
    user: str
    password: str
    http: str | None
    database: str = "neo4j"


def _neo4j_local(command: str, *, gds: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(NEO4J_LOCAL), command, "--lease", str(os.getpid())],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NEO4J_LOCAL_GDS": "1" if gds else "0"},
        check=False,
    )


def _local_server(*, gds: bool) -> Iterator[Neo4jServer]:
    """The launcher's server (with or without GDS) under a lease of this test session."""
    started = _neo4j_local("start", gds=gds)
    if started.returncode != 0:
        pytest.fail(f"scripts/neo4j-local start failed:\n{started.stderr}", pytrace=False)
    env = dict(line.split("=", 1) for line in started.stdout.splitlines() if "=" in line)
    try:
        yield Neo4jServer(
            uri=env["NEO4J_URI"],
            user=env["NEO4J_USER"],
            password=env["NEO4J_PASSWORD"],
            http=env["NEO4J_HTTP"],
        )
    finally:
        _neo4j_local("stop", gds=gds)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """NEO4J_URI/USER/PASSWORD when set, otherwise the local server under a lease: stopped at
    the end only if a test session started it and no other one still uses it. A server that
    cannot start fails the tests that need it."""
    if os.environ.get("NEO4J_URI"):
        yield Neo4jServer(
            uri=os.environ["NEO4J_URI"],
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            http=os.environ.get("NEO4J_HTTP"),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        return
    yield from _local_server(gds=True)


@pytest.fixture(scope="session")
def neo4j_server_without_gds() -> Iterator[Neo4jServer]:
    """A second local server, without the GDS plugin (NEO4J_LOCAL_GDS=0), for the paths kg
    takes on a plain Neo4j. Always the launcher's: it fails, never skips, if it cannot start."""
    yield from _local_server(gds=False)


@pytest.fixture
def neo4j_driver_without_gds(neo4j_server_without_gds: Neo4jServer) -> Iterator[neo4j.Driver]:
    """A driver on an empty database of the server without GDS."""
    server = neo4j_server_without_gds
    with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as driver:
        _clean_database(driver, server.database, gds=False)
        yield driver


@pytest.fixture
def neo4j_driver(neo4j_server: Neo4jServer) -> Iterator[neo4j.Driver]:
    """A driver on an empty database: no nodes, no constraints or indexes (except the built-in
    token lookup indexes), no GDS graphs in the catalog."""
    with neo4j.GraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password)
    ) as driver:
        _clean_database(driver, neo4j_server.database)
        yield driver


def _clean_database(driver: neo4j.Driver, database: str, *, gds: bool = True) -> None:
    def run(query: str) -> list[neo4j.Record]:
        return driver.execute_query(query, database_=database).records

    graphs = run("CALL gds.graph.list() YIELD graphName RETURN graphName") if gds else []
    for record in graphs:
        driver.execute_query(
            "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName",
            name=record["graphName"],
            database_=database,
        )
    run("MATCH (n) DETACH DELETE n")
    # Names come from the server, not from users; schema commands take no parameters for them.
    for record in run("SHOW CONSTRAINTS YIELD name RETURN name"):
        run(f"DROP CONSTRAINT {_quoted(record['name'])} IF EXISTS")
    for record in run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
        run(f"DROP INDEX {_quoted(record['name'])} IF EXISTS")


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def write_inputs(
    folder: Path, name: str, book: str, characters: list[dict[str, object]]
) -> tuple[Path, Path]:
    """A book file `name` and a CHARS.jsonl of `characters` in `folder`."""
    book_path = folder / name
    book_path.write_text(book, encoding="utf-8")
    chars = folder / "chars.jsonl"
    chars.write_text("".join(json.dumps(c) + "\n" for c in characters), encoding="utf-8")
    return book_path, chars


def load_script(path: Path) -> ModuleType:
    """A script of the repo (benchmarks/, scripts/: not packages) imported as a module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def one_error_line(output: str) -> str:
    """The only non-blank line of a failed command's output; fails on a traceback."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def neo4j_env(server: Neo4jServer, **changes: str) -> dict[str, str]:
    """The NEO4J_* variables that point kg at the test server, with some changed."""
    env = {
        "NEO4J_URI": server.uri,
        "NEO4J_USER": server.user,
        "NEO4J_PASSWORD": server.password,
        "NEO4J_DATABASE": server.database,
    }
    return {**env, **changes}


@pytest.fixture(scope="module")
def chromium() -> Iterator[webdriver.Chrome]:
    """Real headless Chromium (Debian's), logging network requests and console messages."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1900",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(executable_path="/usr/bin/chromedriver"), options=options
    )
    try:
        yield driver
    finally:
        driver.quit()
