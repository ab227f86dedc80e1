"""Layer 2: a fake driver records every statement, so the Cypher text and parameters are pinned.

No user data may ever be pasted into query text: names, titles and query parameters travel as
Cypher parameters only.
"""

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kg import cypher
from kg.analyze import analyze_in_neo4j
from kg.cli import app
from kg.cypher import read_query
from kg.db import run_query
from kg.load import load, read_outdir

FIXTURES = Path(__file__).parent / "fixtures" / "load"
HOSTILE_TITLE = "Robert'); MATCH (n) DETACH DELETE n //"
HOSTILE_NAME = 'Mira"}) DETACH DELETE n RETURN 1 //'
STATEMENTS = (
    {
        value
        for name, value in vars(cypher).items()
        if name.isupper() and isinstance(value, str) and name != "QUERIES_DIR"
    }
    | set(cypher.SCHEMA)
    | set(cypher.OLD_SCHEMA)
)


@dataclass
class Call:
    query: str
    parameters: dict[str, Any]
    database: str | None


@dataclass
class FakeResult:
    records: list[dict[str, Any]]
    keys: list[str] = field(default_factory=list)


def _no_book(query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """An empty database's answers."""
    if query == cypher.BOOK_LEFTOVERS:
        return [{"leftovers": False}]
    if query == cypher.OLD_SCHEMA_DATA:
        return [{"found": False}]
    return []


@dataclass
class FakeTransaction:
    """Records the statements of an explicit transaction (kg's locks) into its driver's calls."""

    driver: "RecordingDriver"
    database: str | None

    def __enter__(self) -> "FakeTransaction":
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def begin_transaction(self) -> "FakeTransaction":
        return self

    def run(self, query: str, **parameters: Any) -> "FakeTransaction":
        self.driver.calls.append(Call(query, parameters, self.database))
        return self

    def consume(self) -> None:
        pass

    def rollback(self) -> None:
        self.driver.rolled_back += 1


@dataclass
class RecordingDriver:
    """Records each execute_query call; `answer` gives the records for a statement."""

    answer: Callable[[str, dict[str, Any]], list[dict[str, Any]]] = _no_book
    calls: list[Call] = field(default_factory=list)
    rolled_back: int = 0

    def session(self, database: str | None = None) -> FakeTransaction:
        return FakeTransaction(self, database)

    def execute_query(
        self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any
    ) -> FakeResult:
        self.calls.append(Call(query, dict(parameters or {}), kwargs.get("database_")))
        records = self.answer(query, dict(parameters or {}))
        return FakeResult(records, list(records[0]) if records else [])

    def of(self, statement: str) -> list[Call]:
        return [c for c in self.calls if c.query == statement]


def _hostile_outdir(tmp_path: Path) -> Path:
    """The Lighthouse fixture with an injection attempt as title and as a character's name."""
    outdir = tmp_path / "hostile"
    outdir.mkdir()

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("Mira O'Neil", HOSTILE_NAME).replace(
                "The Lighthouse Keeper", HOSTILE_TITLE
            )
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    for path in (FIXTURES / "lighthouse").iterdir():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            rows = [swap(row) for row in csv.reader(io.StringIO(text))]
            with (outdir / path.name).open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, lineterminator="\n").writerows(rows)
        elif path.suffix == ".json":
            (outdir / path.name).write_text(json.dumps(swap(json.loads(text))), encoding="utf-8")
        else:
            lines = [json.dumps(swap(json.loads(line))) for line in text.splitlines() if line]
            (outdir / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return outdir


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_load_sends_only_known_statements_with_data_as_parameters(tmp_path: Path) -> None:
    driver = RecordingDriver()
    load(_hostile_outdir(tmp_path), driver, database="novels")  # type: ignore[arg-type]
    assert driver.calls
    for call in driver.calls:
        assert call.query in STATEMENTS
        assert call.database == "novels"
        assert HOSTILE_TITLE not in call.query and "Mira" not in call.query
    sent = [s for call in driver.calls for s in _strings(call.parameters)]
    assert HOSTILE_TITLE in sent and HOSTILE_NAME in sent


def test_each_batch_is_its_own_call_with_at_most_batch_size_rows() -> None:
    driver = RecordingDriver()
    summary = load(FIXTURES / "salt_harbour", driver, batch_size=3, writers=1)  # type: ignore[arg-type]
    calls = driver.of(cypher.CREATE_INTERACTIONS)
    assert [len(c.parameters["rows"]) for c in calls] == [3, 3, 3, 1]
    assert summary.interactions == 10
    pairs = [(r["source"], r["target"]) for c in calls for r in c.parameters["rows"]]
    assert len(set(pairs)) == 10 and all(s < t for s, t in pairs)
    rows = {(r["source"], r["target"]): r for c in calls for r in c.parameters["rows"]}
    assert rows["Ada Marsh", "Eli Rook"] == {
        "source": "Ada Marsh",
        "target": "Eli Rook",
        "weight": 2,
        "first_chapter": 3,
        "chapters": [3],
        "chapter_weights": [2],
    }


@pytest.mark.parametrize(
    ("state", "leftovers", "create"),
    [
        ([], False, True),
        ([], True, False),
        ([{"digest": None, "complete": False}], False, False),
    ],
)
def test_only_a_book_s_first_load_creates_relationships_without_merge(
    state: list[dict[str, Any]], leftovers: bool, create: bool
) -> None:
    digest = read_outdir(FIXTURES / "salt_harbour").properties["digest"]

    def answer(query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        if query == cypher.BOOK_STATE:
            return [{**row, "digest": digest} for row in state]
        if query == cypher.BOOK_LEFTOVERS:
            return [{"leftovers": leftovers}]
        return _no_book(query, parameters)

    driver = RecordingDriver(answer)
    summary = load(FIXTURES / "salt_harbour", driver)  # type: ignore[arg-type]
    assert summary.action == ("resumed" if state else "new")
    used = {c.query for c in driver.calls}
    assert (cypher.CREATE_INTERACTIONS in used) is create
    assert (cypher.CREATE_APPEARANCES in used) is create
    assert (cypher.MERGE_INTERACTIONS in used) is not create
    assert (cypher.MERGE_APPEARANCES in used) is not create


def test_schema_comes_first_then_the_locks_and_the_book_is_marked_complete_last() -> None:
    driver = RecordingDriver()
    load(FIXTURES / "salt_harbour", driver, series="Harbour Tales")  # type: ignore[arg-type]
    queries = [c.query for c in driver.calls]
    schema = [cypher.OLD_SCHEMA_DATA, *cypher.OLD_SCHEMA, *cypher.SCHEMA]
    assert queries[: len(schema)] == schema
    assert all("IF NOT EXISTS" in q for q in cypher.SCHEMA)
    locks = driver.calls[len(schema) : len(schema) + 2]
    assert [c.query for c in locks] == [cypher.LOCK, cypher.LOCK]
    assert [c.parameters["key"] for c in locks] == ["book:The Salt Harbour", "series:Harbour Tales"]
    assert queries[-1] == cypher.COMPLETE_BOOK
    assert driver.rolled_back == 1
    merge_book = driver.of(cypher.MERGE_BOOK)[0]
    assert merge_book.parameters["book"] == "The Salt Harbour"
    assert len(merge_book.parameters["digest"]) == 64


def test_writes_set_values_and_never_add_to_them() -> None:
    for statement in STATEMENTS:
        assert "+=" not in statement
        assert "coalesce(r.weight" not in statement
    for statement in (
        cypher.MERGE_CHAPTERS,
        cypher.MERGE_CHARACTERS,
        cypher.MERGE_LOYALTIES,
        cypher.MERGE_FAMILY,
        cypher.MERGE_APPEARANCES,
        cypher.MERGE_INTERACTIONS,
        cypher.WRITE_ANALYSIS,
    ):
        assert "UNWIND $rows AS row" in statement
        assert not re.search(r"(?<!ON )CREATE ", statement)
    assert "SET r.weight = row.weight" in cypher.MERGE_INTERACTIONS


def _gds_answers(query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    names = ["Ada Marsh", "Ben Marsh"]
    if query == cypher.SCOPE_SIZE:
        return [{"characters": 2}]
    if query == cypher.GDS_VERSION:
        return [{"version": "2.13.9"}]
    if query == cypher.GDS_PROJECT:
        return [{"nodes": 2, "relationships": 1}]
    if query in (cypher.GDS_LOUVAIN, cypher.GDS_LEIDEN):
        return [{"modularity": 0.0}]
    if query == cypher.HAS_PROCEDURE:
        return [{"present": True}]
    if query == cypher.OLD_SCHEMA_DATA:
        return [{"found": False}]
    if query == cypher.BOOK_STATE:
        return [{"series": "Harbour Tales", "digest": "x", "complete": True}]
    if query == cypher.SERIES_NAMES:
        return [{"name": "Harbour Tales"}]
    if query == cypher.GDS_STREAM_PROPERTIES:
        return [
            {
                "series": "Harbour Tales",
                "name": n,
                "property": p,
                "value": 0.5 if p in ("pagerank", "betweenness") else 7,
            }
            for n in names
            for p in parameters["properties"]
        ]
    return [{"x": 1}]


def test_gds_analysis_runs_in_a_named_projection_dropped_at_the_end() -> None:
    driver = RecordingDriver(_gds_answers)
    summary = analyze_in_neo4j(driver, database="novels", book=HOSTILE_TITLE, seed=7)  # type: ignore[arg-type]
    assert summary.backend == "gds" and summary.communities == 1
    assert all(c.query in STATEMENTS and c.database == "novels" for c in driver.calls)
    assert all(HOSTILE_TITLE not in c.query for c in driver.calls)
    graph = driver.of(cypher.GDS_PROJECT)[0].parameters["graph"]
    assert driver.calls[-4].query == cypher.GDS_DROP
    assert driver.calls[-4].parameters == {"graph": graph}
    assert driver.of(cypher.GDS_LEIDEN)[0].parameters["seed"] == 7
    written = driver.of(cypher.WRITE_ANALYSIS)[0].parameters["rows"]
    assert {r["name"] for r in written} == {"Ada Marsh", "Ben Marsh"}
    assert {r["community"] for r in written} == {0}


def test_projection_is_dropped_when_an_algorithm_fails() -> None:
    def failing(query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        if query == cypher.GDS_LOUVAIN:
            raise RuntimeError("louvain crashed")
        return _gds_answers(query, parameters)

    driver = RecordingDriver(failing)
    with pytest.raises(RuntimeError, match="louvain crashed"):
        analyze_in_neo4j(driver)  # type: ignore[arg-type]
    assert driver.calls[-1].query == cypher.GDS_DROP
    assert driver.of(cypher.WRITE_ANALYSIS) == []


def _known_hostile(query: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
    """The name lookup finds HOSTILE_NAME; the query itself finds one tie."""
    if query == cypher.KNOWN_CHARACTERS:
        return [{"name": HOSTILE_NAME, "aliases": [], "rank": 0.5}]
    return [{"other": "Ada Marsh", "weight": 3, "books": ["B"]}]


def test_query_files_run_verbatim_with_parameters_apart() -> None:
    driver = RecordingDriver(_known_hostile)
    query = read_query("strongest_ties")
    run_query(driver, query, {"name": HOSTILE_NAME}, database="neo4j")  # type: ignore[arg-type]
    lookup, call = driver.calls
    assert (lookup.query, lookup.parameters) == (
        cypher.KNOWN_CHARACTERS,
        {"book": None, "series": None},
    )
    assert call.query == query.text
    assert call.parameters == {"name": HOSTILE_NAME, "book": None, "series": None, "limit": 10}


def test_kg_query_parses_param_values_and_sends_them_as_parameters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    driver = RecordingDriver(_known_hostile)
    monkeypatch.setattr("kg.db.connect", lambda settings: _Managed(driver))
    monkeypatch.setenv("NEO4J_PASSWORD", "irrelevant")
    result = CliRunner().invoke(
        app, ["query", "strongest_ties", "-p", f"name={HOSTILE_NAME}", "-p", "limit=3"]
    )
    assert result.exit_code == 0, result.output
    call = driver.calls[-1]
    assert call.parameters == {"name": HOSTILE_NAME, "book": None, "series": None, "limit": 3}
    assert call.query == read_query("strongest_ties").text
    assert "Ada Marsh" in result.output


@dataclass
class _Managed:
    driver: RecordingDriver

    def __enter__(self) -> RecordingDriver:
        return self.driver

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("-2", -2),
        ("2.5", 2.5),
        ("Ada Marsh", "Ada Marsh"),
        ("'10'", "10"),
        ("null", None),
        ("", ""),
        ("1e3", 1000.0),
        ("Nan", "Nan"),
        ("inf", "inf"),
        ("Infinity", "Infinity"),
        ("1_000", "1_000"),
    ],
)
def test_parameter_values_are_numbers_or_text(text: str, value: object) -> None:
    assert cypher.parse_literal(text) == value
    assert type(cypher.parse_literal(text)) is type(value)
