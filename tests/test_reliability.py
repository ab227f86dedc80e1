"""Issue 15's fault and bad-input cases: each test reproduces one case of the README's
reliability table (the section "Reliability")."""

import contextlib
import csv
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from conftest import ROOT, Neo4jServer, neo4j_env, one_error_line, write_inputs
from typer.testing import CliRunner

from kg.book import Book, split_chapters
from kg.cli import app
from kg.db import RETRY_SECONDS
from kg.errors import InputError
from kg.extract import extract
from kg.outdir import read_book_json
from kg.records import Character
from kg.wiki import parse_character

runner = CliRunner()
FIXTURES = ROOT / "tests" / "fixtures"

BOOK = """\
CHAPTER ONE

Ada Quill met Ben Marsh at the mill. Ada laughed and Ben rowed away.

CHAPTER TWO

Ben Marsh came back. Ada Quill waved.
"""
CHARACTERS = [{"name": "Ada Quill"}, {"name": "Ben Marsh"}]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    return write_inputs(tmp_path, "mill.txt", BOOK, CHARACTERS)


def _extract(book: Path, characters: Path, out: Path, *more: str) -> tuple[int, str]:
    args = ["extract", "--book", str(book), "--characters", str(characters), "--out", str(out)]
    result = runner.invoke(app, [*args, *more])
    return result.exit_code, result.output


@pytest.mark.parametrize("window", ["0", "10001", "99999999999999999999"])
def test_window_out_of_bounds_is_refused_by_the_cli(
    inputs: tuple[Path, Path], tmp_path: Path, window: str
) -> None:
    code, output = _extract(*inputs, tmp_path / "out", "--window", window)
    assert code == 2
    assert "--window" in one_error_line(output)
    assert not (tmp_path / "out").exists()
    result = runner.invoke(app, ["ingest", "--book", str(inputs[0]), "--window", window])
    assert result.exit_code == 2
    assert "--window" in one_error_line(result.output)


def test_window_out_of_bounds_is_refused_by_the_api() -> None:
    book = Book("b", "Ada Quill.", split_chapters("Ada Quill."))
    for window in (0, 10_001, 10**20):
        with pytest.raises(InputError, match=r"window must be 1\.\.10000"):
            extract(book, [Character("Ada Quill")], window=window)


def test_window_out_of_bounds_in_book_json_is_refused(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _extract(*inputs, out)[0] == 0
    meta = json.loads((out / "book.json").read_text(encoding="utf-8"))
    (out / "book.json").write_text(json.dumps({**meta, "window": 10**20}), encoding="utf-8")
    with pytest.raises(InputError, match=r"book\.json: window: "):
        read_book_json(out / "book.json")
    for command in (["load", "--from", str(out)], ["report", "--from", str(out)]):
        result = runner.invoke(app, command, env={"NEO4J_URI": "bolt://127.0.0.1:9"})
        assert result.exit_code == 1
        assert "book.json: window: Input should be less than or equal to 10000" in one_error_line(
            result.output
        )


@pytest.mark.parametrize(
    ("row", "where"),
    [
        ({"name": "Ada\x01 Quill"}, "name"),
        ({"name": "Ada Quill", "aliases": ["Addie\x1b"]}, "aliases.0"),
        ({"name": "Ada Quill", "house": "Mill\x7f"}, "house"),
        ({"name": "Ada Quill", "family": [{"person": "Tom\x00 Quill"}]}, "family.0.person"),
    ],
)
def test_control_character_in_a_characters_file_is_refused(
    inputs: tuple[Path, Path], tmp_path: Path, row: dict[str, object], where: str
) -> None:
    book, characters = inputs
    characters.write_text(json.dumps(CHARACTERS[1]) + "\n" + json.dumps(row) + "\n")
    code, output = _extract(book, characters, tmp_path / "out")
    assert code == 1
    assert f"chars.jsonl:2: {where}: control character U+00" in one_error_line(output)
    assert not (tmp_path / "out").exists()


def test_control_character_in_a_name_given_to_the_api_is_refused() -> None:
    book = Book("b", "Ada Quill.", split_chapters("Ada Quill."))
    with pytest.raises(InputError, match="control character"):
        extract(book, [Character("Ada\x01 Quill")])
    with pytest.raises(InputError, match="control character"):
        extract(book, [Character("Ada Quill", aliases=("Addie\x1b",))])


def test_control_characters_in_a_wiki_name_are_stripped() -> None:
    html = (
        '<h1 id="firstHeading">Ada\x01 Qu\x7fill</h1><div class="mw-parser-output">'
        '<aside class="portable-infobox"><div class="pi-data" data-source="alias">'
        '<div class="pi-data-value">Ad\x02die</div></div></aside></div>'
    )
    character = parse_character(html, "http://wiki.test/wiki/Ada")
    assert character is not None
    assert (character.name, character.aliases) == ("Ada Quill", ("Addie",))


def test_every_output_file_parses_when_the_book_has_control_characters(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    book, characters = inputs
    book.write_text(BOOK.replace("The", "\x01The").replace(" at ", " \x02at\x1f ") + "\x1a")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["ingest", "--book", str(book), "--characters", str(characters), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out / "graph.graphml")
    assert sorted(graph.nodes) == ["Ada Quill", "Ben Marsh"]
    for name in ("book.json",):
        json.loads((out / name).read_text(encoding="utf-8"))
    for line in (out / "characters.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    for path in out.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        assert len({len(row) for row in rows}) == 1, path
    page = (out / "report.html").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert data is not None
    json.loads(data.group(1))


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("blocked", ["mentions.csv", "characters.jsonl"])
def test_writing_an_existing_outdir_keeps_the_old_run_when_one_file_cannot_be_replaced(
    inputs: tuple[Path, Path], tmp_path: Path, blocked: str
) -> None:
    book, characters = inputs
    out = tmp_path / "out"
    assert _extract(book, characters, out)[0] == 0
    (out / "notes.txt").write_text("mine\n")
    (out / blocked).unlink()
    (out / blocked).mkdir()
    before = _contents(out)
    book.write_text(BOOK.replace("Ben Marsh came back.", "Ben Marsh and Ada Quill came back."))
    code, output = _extract(book, characters, out)
    assert code == 1
    assert f"{out / blocked}: is a folder" in one_error_line(output)
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["chars.jsonl", "mill.txt", "out"])
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


_SLOW_WRITE = """
import sys, time
from pathlib import Path
from kg.cli import stop_on_sigterm
from kg.files import write_folder

class Slow(dict):
    def items(self):
        yield "mentions.csv", "new\\n"
        print("writing", flush=True)
        time.sleep(60)
        yield "book.json", "{}"

stop_on_sigterm()
write_folder(Path(sys.argv[1]), Slow())
"""


@pytest.mark.parametrize("existing", [False, True])
def test_sigterm_while_an_outdir_is_written_leaves_no_temporary_folder(
    tmp_path: Path, existing: bool
) -> None:
    out = tmp_path / "out"
    if existing:
        out.mkdir()
        (out / "mentions.csv").write_text("old\n")
    command = [sys.executable, "-c", _SLOW_WRITE, str(out)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        assert process.stdout.readline() == "writing\n"
        assert any(p.name.startswith(".out.") for p in (out if existing else tmp_path).iterdir())
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) != 0
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == (
        ["out", "out/mentions.csv"] if existing else []
    )
    if existing:
        assert (out / "mentions.csv").read_text() == "old\n"


def test_kg_extract_stopped_by_sigterm_exits_143_in_one_line_and_keeps_the_old_outdir(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    book, characters = inputs
    out = tmp_path / "out"
    assert _extract(book, characters, out)[0] == 0
    before = _contents(out)
    waiting = tmp_path / "slow.jsonl"  # kg blocks reading this pipe until the test writes it
    os.mkfifo(waiting)
    command = [sys.executable, "-m", "kg", "extract", "--book", str(book)]
    command += ["--characters", str(waiting), "--out", str(out)]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        for _ in range(600):  # until kg has opened the pipe (it has then read the book)
            with contextlib.suppress(OSError):
                pipe = os.open(waiting, os.O_WRONLY | os.O_NONBLOCK)
                break
            assert process.poll() is None
            time.sleep(0.1)
        os.write(pipe, b'{"name": "Ada Qu')
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
        os.close(pipe)
        assert process.stderr is not None
        assert one_error_line(process.stderr.read()) == "Stopped by SIGTERM."
    assert _contents(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "chars.jsonl",
        "mill.txt",
        "out",
        "slow.jsonl",
    ]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_ctrl_c_exits_130_in_one_line(
    inputs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object) -> Book:
        raise KeyboardInterrupt

    monkeypatch.setattr("kg.book.read_book", interrupted)
    code, output = _extract(*inputs, tmp_path / "out")
    assert code == 128 + signal.SIGINT
    assert one_error_line(output) == "Stopped by SIGINT."
    assert not (tmp_path / "out").exists()


def test_temporary_folders_of_stopped_runs_are_removed_by_the_next_run(
    inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    dead, alive = int(gone.stdout), os.getpid()
    out = tmp_path / "out"
    out.mkdir()
    stale = [tmp_path / f".out.{dead}-ab12cd34.tmp", out / f".out.{dead}-0a1b2c3d.tmp"]
    kept = [tmp_path / f".out.{alive}-ab12cd34.tmp", out / ".out.notes.tmp"]
    for folder in [*stale, *kept]:
        folder.mkdir()
        (folder / "mentions.csv").write_text("partial")
    assert _extract(*inputs, out)[0] == 0
    assert all(folder.exists() for folder in kept)
    assert not any(folder.exists() for folder in stale)


def test_an_http_uri_is_one_line() -> None:
    env = {"NEO4J_URI": "http://127.0.0.1:7474", "NEO4J_PASSWORD": "x"}
    result = runner.invoke(app, ["query", "top_characters"], env=env)
    assert result.exit_code == 1
    line = one_error_line(result.output)
    assert "bad Neo4j URI 'http://127.0.0.1:7474': use bolt://HOST:PORT" in line


@pytest.mark.neo4j
def test_kg_query_runs_a_file_read_only_unless_write_is_given(
    neo4j_server: Neo4jServer, neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    query = tmp_path / "intrude.cypher"
    query.write_text("// Adds a node.\nCREATE (n:Intruder {name: 'Eve'}) RETURN n.name AS name\n")
    env = neo4j_env(neo4j_server)
    refused = runner.invoke(app, ["query", str(query)], env=env)
    assert refused.exit_code == 1
    assert "writes to the database: pass --write to allow it" in one_error_line(refused.output)
    count = "MATCH (n:Intruder) RETURN count(n) AS n"
    assert neo4j_driver.execute_query(count).records[0]["n"] == 0
    allowed = runner.invoke(app, ["query", str(query), "--write"], env=env)
    assert allowed.exit_code == 0, allowed.output
    assert neo4j_driver.execute_query(count).records[0]["n"] == 1


def _wait_for_login(server: Neo4jServer) -> None:
    """Neo4j locks a user out for 5 s after repeated wrong passwords: wait for the lock to end,
    so that the tests after this one log in."""
    for _ in range(120):
        with neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password)) as d:
            try:
                d.verify_connectivity()
                return
            except neo4j.exceptions.Neo4jError:
                time.sleep(0.5)
    pytest.fail("the test server still refuses the right password")


@pytest.mark.neo4j
def test_repeated_wrong_passwords_say_so(neo4j_server: Neo4jServer) -> None:
    env = neo4j_env(neo4j_server, NEO4J_PASSWORD="wrong-password-1618")
    try:
        lines = []
        for _ in range(5):
            result = runner.invoke(app, ["query", "top_characters"], env=env)
            assert result.exit_code == 1
            lines.append(one_error_line(result.output))
    finally:
        _wait_for_login(neo4j_server)
    assert "wrong user or password" in lines[0]
    assert not any("cannot reach" in line for line in lines)
    assert "too many wrong passwords" in lines[-1]
    assert "wrong-password-1618" not in "".join(lines)


@pytest.mark.neo4j
def test_ingest_with_a_wrong_password_fails_before_writing(
    neo4j_server: Neo4jServer, inputs: tuple[Path, Path], tmp_path: Path
) -> None:
    book, characters = inputs
    out = tmp_path / "out"
    args = ["ingest", "--book", str(book), "--characters", str(characters), "--out", str(out)]
    try:
        env = neo4j_env(neo4j_server, NEO4J_PASSWORD="wrong-password-2718")
        result = runner.invoke(app, args, env=env)
    finally:
        _wait_for_login(neo4j_server)
    assert result.exit_code == 1
    assert "wrong user or password" in one_error_line(result.output)
    assert not out.exists()


class _Relay:
    """A TCP relay to the Neo4j server that dies after `limit` bytes from the client: it then
    drops every connection and refuses new ones, as a server that was killed does."""

    def __init__(self, uri: str, limit: int) -> None:
        host, port = uri.rpartition("/")[2].split(":")
        self.target, self.limit, self.sent = (host, int(port)), limit, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
                if not data:
                    return
                sink.sendall(data)
            except OSError:
                return
            if counted:
                with self.lock:
                    self.sent += len(data)
                    dead = self.sent > self.limit
                if dead:
                    self.die()

    def die(self) -> None:
        with self.lock:
            self.listener.close()
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


@pytest.mark.neo4j
def test_a_neo4j_that_dies_mid_load_gives_one_line_and_a_stated_wait(
    neo4j_server: Neo4jServer, neo4j_driver: neo4j.Driver
) -> None:
    relay = _Relay(neo4j_server.uri, limit=20_000)
    outdir = FIXTURES / "load" / "salt_harbour"
    command = [sys.executable, "-m", "kg", "load", "--from", str(outdir)]
    env = {**os.environ, **neo4j_env(neo4j_server, NEO4J_URI=relay.uri)}
    try:
        done = subprocess.run(
            [*command, "--batch-size", "1"], env=env, capture_output=True, text=True, timeout=300
        )
    finally:
        relay.die()
    assert relay.sent > relay.limit, "the load ended before the relay died"
    assert done.returncode == 1
    line = one_error_line(done.stdout + done.stderr)
    assert "lost the connection to Neo4j" in line
    assert f"retried for {RETRY_SECONDS:g} s" in line


def _command_lines() -> list[bytes]:
    lines = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            lines.append(cmdline.read_bytes())
    return lines


@pytest.mark.neo4j
def test_neo4j_local_never_shows_the_password_on_a_command_line(
    neo4j_server_without_gds: Neo4jServer, tmp_path: Path
) -> None:
    # A first start in a folder of its own (the jars of the usual one), with a known password.
    real = ROOT / ".cache" / "neo4j"
    local = Path(os.environ.get("NEO4J_LOCAL_DIR") or real)
    (tmp_path / "dist").symlink_to(local / "dist")
    home = tmp_path / "instance-without-gds"
    home.mkdir()
    secret = "kg-test-d3adb33f5ecre7"
    (home / "password").write_text(secret + "\n")
    env = {**os.environ, "NEO4J_LOCAL_DIR": str(tmp_path), "NEO4J_LOCAL_GDS": "0"}
    script = [sys.executable, str(ROOT / "scripts" / "neo4j-local")]
    seen = 0
    with subprocess.Popen(
        [*script, "start"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as start:
        while start.poll() is None:
            seen += sum(secret.encode() in line for line in _command_lines())
            time.sleep(0.05)
        printed = start.communicate()[0].decode()
    try:
        assert start.returncode == 0
        assert f"NEO4J_PASSWORD={secret}" in printed
    finally:
        subprocess.run([*script, "stop"], env=env, capture_output=True, check=False)
    assert seen == 0


def test_every_test_the_reliability_table_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Reliability", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(test_\w+)\.py::(test_\w+)`", table)
    assert len(named) >= 18
    for module, test in named:
        source = (ROOT / "tests" / f"{module}.py").read_text(encoding="utf-8")
        assert f"def {test}(" in source, f"{module}.py has no {test}"
