"""The loader: reading an OUTDIR (layer 1), and loading into the real Neo4j (layer 3).

Two hand-made books share Ada Marsh and Eli Rook: tests/fixtures/load/salt_harbour and
tests/fixtures/load/lighthouse. Loaded as one series (SERIES) they share those characters;
loaded apart, each is a series of its own and they share nothing.
"""

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import neo4j
import pytest
from conftest import neo4j_env, one_error_line
from neo4j.exceptions import ServiceUnavailable
from typer.testing import CliRunner

from kg import cypher
from kg.book import read_book
from kg.cli import app
from kg.errors import InputError, Neo4jUnavailable
from kg.extract import extract
from kg.files import read_characters
from kg.load import load, read_outdir
from kg.records import Character, FamilyTie
from kg.report import write_report

FIXTURES = Path(__file__).parent / "fixtures" / "load"
SALT = FIXTURES / "salt_harbour"
LIGHT = FIXTURES / "lighthouse"
SERIES = "Harbour Tales"


def _copy(tmp_path: Path, source: Path = SALT) -> Path:
    outdir = tmp_path / source.name
    shutil.copytree(source, outdir)
    return outdir


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_read_outdir_gives_one_row_per_merge() -> None:
    data = read_outdir(SALT)
    assert data.title == "The Salt Harbour"
    assert data.chapters[0] == {"number": 1, "title": "The Gull House"}
    names = [r["name"] for r in data.characters]
    assert names == sorted(names)
    assert "Ivo Quill" in names  # listed, never mentioned: facts only
    assert "Old Tom Marsh" not in names  # only a relative: created by the family MERGE
    ada = next(r for r in data.characters if r["name"] == "Ada Marsh")
    assert ada["aliases"] == ["Ada", "Mrs. Marsh"] and ada["species"] == "human"
    assert {"name": "Cora Marsh", "person": "Old Tom Marsh", "type": "grandfather"} in data.family
    assert {"name": "Dov Kestrel", "group": "Smugglers"} in data.loyalties
    eli = next(r for r in data.characters if r["name"] == "Eli Rook")
    assert (eli["house"], eli["mentions"], eli["first_chapter"]) == ("Tern", 5, 2)
    assert {"name": "Ada Marsh", "chapter": 1, "mentions": 4} in data.appearances
    assert sum(int(str(r["mentions"])) for r in data.appearances) == 23
    dov_eli = next(
        r for r in data.interactions if r["target"] == "Eli Rook" and r["source"] == "Dov Kestrel"
    )
    assert dov_eli == {
        "source": "Dov Kestrel",
        "target": "Eli Rook",
        "weight": 2,
        "first_chapter": 2,
        "chapters": [2],
        "chapter_weights": [2],
    }


def test_row_order_in_the_files_does_not_matter(tmp_path: Path) -> None:
    outdir = _copy(tmp_path)
    for name in ("interactions_by_chapter.csv", "mentions.csv", "interactions.csv"):
        header, *rows = (outdir / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (outdir / name).write_text(header + "".join(reversed(rows)), encoding="utf-8")
    mixed, original = read_outdir(outdir), read_outdir(SALT)
    assert mixed.appearances == original.appearances
    assert sorted(mixed.interactions, key=_pair) == sorted(original.interactions, key=_pair)
    ada_cora = next(r for r in mixed.interactions if _pair(r) == ("Ada Marsh", "Cora Marsh"))
    assert (ada_cora["chapters"], ada_cora["chapter_weights"]) == ([1, 3], [1, 1])


def _pair(row: dict[str, object]) -> tuple[str, str]:
    return str(row["source"]), str(row["target"])


def test_title_and_characters_can_be_overridden() -> None:
    facts = [
        Character(
            "Ada Marsh", facts=(("house", ("Heron",)),), family=(FamilyTie("Ben Marsh", "husband"),)
        )
    ]
    data = read_outdir(SALT, characters=facts, book_title="Salt, revised")
    assert data.title == "Salt, revised"
    assert [(r["name"], r["house"]) for r in data.characters if r["house"]] == [
        ("Ada Marsh", "Heron")
    ]
    assert data.series == "Salt, revised"  # a series of its own, named after the book
    assert data.family == [{"name": "Ada Marsh", "person": "Ben Marsh", "type": "husband"}]
    assert "Ivo Quill" not in [r["name"] for r in data.characters]


def test_digest_tells_reruns_from_other_data(tmp_path: Path) -> None:
    assert read_outdir(SALT).properties["digest"] == read_outdir(SALT).properties["digest"]
    copy = _copy(tmp_path)
    assert read_outdir(copy).properties["digest"] == read_outdir(SALT).properties["digest"]
    _edit(copy / "chapters.csv", "The Gull House", "The Gull Hall")
    assert read_outdir(copy).properties["digest"] != read_outdir(SALT).properties["digest"]
    renamed = read_outdir(SALT, book_title="Other")
    assert renamed.properties["digest"] != read_outdir(SALT).properties["digest"]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("book.json", '"title": "The Salt Harbour"', '"title": ""', "title"),
        ("chapters.csv", "number,title", "num,title", "missing column(s) number"),
        ("mentions.csv", "1,40,49", "one,40,49", "chapter is not a number: 'one'"),
        ("mentions.csv", "1,40,49", "9,40,49", "chapter 9 is not in chapters.csv"),
        (
            "interactions.csv",
            "Ada Marsh,Ben Marsh,3,1",
            "Ada Marsh,Ben Marsh,4,1",
            "disagrees with interactions_by_chapter.csv",
        ),
        (
            "interactions.csv",
            "Ada Marsh,Ben Marsh,3,1",
            "Ben Marsh,Ada Marsh,3,1",
            "source must sort before target",
        ),
        ("interactions.csv", "Ada Marsh,Ben Marsh,3,1\n", "", "interactions_by_chapter.csv only"),
        (
            "interactions_by_chapter.csv",
            "1,Ada Marsh,Ben Marsh,3",
            "0,Ada Marsh,Ben Marsh,3",
            "chapter must be at least 1",
        ),
        ("characters.jsonl", '{"name": "Ivo Quill"', '{"name": ""', "name is empty"),
    ],
)
def test_bad_outdir_is_one_clear_error(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    outdir = _copy(tmp_path)
    _edit(outdir / file, old, new)
    with pytest.raises(InputError, match="^" + re.escape(str(outdir / file))) as e:
        read_outdir(outdir)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_missing_outdir_or_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such folder"):
        read_outdir(tmp_path / "nowhere")
    outdir = _copy(tmp_path)
    (outdir / "mentions.csv").unlink()
    with pytest.raises(InputError, match=r"mentions\.csv: no such file"):
        read_outdir(outdir)
    for name in ("mentions.csv", "book.json"):
        (outdir / name).unlink(missing_ok=True)
        (outdir / name).mkdir()
        with pytest.raises(InputError, match=rf"{re.escape(name)}: cannot read \(Is a directory\)"):
            read_outdir(outdir)
        with pytest.raises(InputError, match=rf"{re.escape(name)}: cannot read \(Is a directory\)"):
            write_report(outdir)


def test_characters_jsonl_is_optional(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    outdir = _copy(tmp_path)
    (outdir / "characters.jsonl").unlink()
    data = read_outdir(outdir)
    assert data.family == [] and not any(r["house"] for r in data.characters)
    assert [r["name"] for r in data.characters] == sorted(
        ["Ada Marsh", "Ben Marsh", "Cora Marsh", "Dov Kestrel", "Eli Rook", "Fen Rook"]
    )
    assert "no characters.jsonl" in caplog.text


# Layer 3: the real server.

DATABASE = "neo4j"


def dump(driver: neo4j.Driver) -> dict[str, list[str]]:
    """Every node and relationship with all properties, keyed by natural keys, sorted."""
    nodes = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props", database_=DATABASE
    ).records
    rels = driver.execute_query(
        f"MATCH (a)-[r]->(b) RETURN {_key('a')} AS source, type(r) AS type, {_key('b')} AS target, "
        "properties(r) AS props",
        database_=DATABASE,
    ).records
    return {
        "nodes": sorted(json.dumps([r["labels"], r["props"]], sort_keys=True) for r in nodes),
        "relationships": sorted(
            json.dumps([r["source"], r["type"], r["target"], r["props"]], sort_keys=True)
            for r in rels
        ),
    }


def _key(node: str) -> str:
    """Cypher for a node's natural key: a chapter's book and number, else its series (if it
    has one) and its name or title."""
    return (
        f"CASE WHEN {node}:Chapter THEN {node}.book + ' #' + toString({node}.number) "
        f"ELSE coalesce({node}.series + ' / ', '') + coalesce({node}.name, {node}.title) END"
    )


def _book_part(graph: dict[str, list[str]], title: str) -> list[str]:
    """The dump lines of one book's own data: its node, chapters, appearances, interactions,
    and the ties of its characters and series to it."""
    marks = (f'"book": "{title}"', f'"{title} #', f'"title": "{title}"', f' / {title}"')
    return [line for lines in graph.values() for line in lines if any(m in line for m in marks)]


def _value(driver: neo4j.Driver, query: str, **parameters: Any) -> Any:
    records = driver.execute_query(query, parameters, database_=DATABASE).records
    return records[0][0]


class FailingDriver:
    """A real driver that loses the connection on the n-th run of one statement."""

    def __init__(self, driver: neo4j.Driver, statement: str, n: int) -> None:
        self.driver, self.statement, self.n = driver, statement, n

    def session(self, **kwargs: Any) -> neo4j.Session:
        return self.driver.session(**kwargs)

    def execute_query(self, query: str, *args: Any, **kwargs: Any) -> Any:
        if query == self.statement:
            self.n -= 1
            if self.n == 0:
                raise ServiceUnavailable("simulated: connection lost")
        return self.driver.execute_query(query, *args, **kwargs)


@pytest.mark.neo4j
def test_loading_twice_gives_the_identical_graph(neo4j_driver: neo4j.Driver) -> None:
    first = load(SALT, neo4j_driver)
    once = dump(neo4j_driver)
    second = load(SALT, neo4j_driver)
    assert dump(neo4j_driver) == once
    assert (first.action, second.action) == ("new", "reloaded")
    # series, book, chapters, characters, houses, groups
    assert len(once["nodes"]) == 1 + 1 + 3 + 8 + 2 + 2
    weights = neo4j_driver.execute_query(
        "MATCH (:Character {name: 'Ada Marsh'})-[r:INTERACTS]->(:Character {name: 'Ben Marsh'}) "
        "RETURN r.weight AS weight, r.chapters AS chapters, r.chapter_weights AS per_chapter",
        database_=DATABASE,
    ).records
    assert [r.data() for r in weights] == [{"weight": 3, "chapters": [1], "per_chapter": [3]}]
    assert _value(neo4j_driver, "MATCH (b:Book) RETURN b.complete") is True


@pytest.mark.neo4j
def test_constraints_exist_after_a_load(neo4j_driver: neo4j.Driver) -> None:
    load(LIGHT, neo4j_driver)
    names = {
        r["name"]
        for r in neo4j_driver.execute_query(
            "SHOW CONSTRAINTS YIELD name", database_=DATABASE
        ).records
    }
    assert names == {
        "kg_series_name",
        "kg_book_title",
        "kg_character_key",
        "kg_house_key",
        "kg_group_key",
        "kg_chapter_key",
        "kg_lock_key",
    }


@pytest.mark.neo4j
def test_a_second_book_of_a_series_adds_to_the_same_characters(
    neo4j_driver: neo4j.Driver,
) -> None:
    assert load(SALT, neo4j_driver, series=SERIES, volume=1).series == SERIES
    load(LIGHT, neo4j_driver, series=SERIES, volume=2)
    ada = _value(neo4j_driver, "MATCH (c:Character {name: 'Ada Marsh'}) RETURN c {.*}")
    assert ada["series"] == SERIES
    assert ada["books"] == ["The Lighthouse Keeper", "The Salt Harbour"]
    assert ada["mentions"] == 6 + 3
    in_books = neo4j_driver.execute_query(
        "MATCH (:Character {name: 'Ada Marsh'})-[i:IN_BOOK]->(b:Book) "
        "RETURN b.title AS book, b.volume AS volume, i.mentions AS mentions, "
        "i.first_chapter AS first_chapter ORDER BY volume",
        database_=DATABASE,
    ).records
    assert [r.data() for r in in_books] == [
        {"book": "The Salt Harbour", "volume": 1, "mentions": 6, "first_chapter": 1},
        {"book": "The Lighthouse Keeper", "volume": 2, "mentions": 3, "first_chapter": 1},
    ]
    assert ada["aliases"] == ["Ada", "Mrs. Marsh", "the Widow"]
    assert ada["species"] == "human"  # book 2 says nothing of it: book 1's fact stays
    assert _value(neo4j_driver, "MATCH (c:Character) RETURN count(c)") == 8 + 3
    ties = neo4j_driver.execute_query(
        "MATCH (:Character {name: 'Ada Marsh'})-[r:INTERACTS]->(:Character {name: 'Eli Rook'}) "
        "RETURN r.book AS book, r.weight AS weight ORDER BY book",
        database_=DATABASE,
    ).records
    assert [r.data() for r in ties] == [
        {"book": "The Lighthouse Keeper", "weight": 1},
        {"book": "The Salt Harbour", "weight": 2},
    ]
    house = "MATCH (:Character {name: $name})-[:BELONGS_TO]->(h:House) RETURN collect(h.name)"
    assert _value(neo4j_driver, house, name="Gil Thorn") == ["Gull"]


@pytest.mark.neo4j
def test_unrelated_books_never_share_a_node_whatever_their_names(
    neo4j_driver: neo4j.Driver,
) -> None:
    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)
    adas = neo4j_driver.execute_query(
        "MATCH (c:Character {name: 'Ada Marsh'}) "
        "RETURN c.series AS series, c.books AS books, c.mentions AS mentions ORDER BY series",
        database_=DATABASE,
    ).records
    assert [r.data() for r in adas] == [
        {"series": "The Lighthouse Keeper", "books": ["The Lighthouse Keeper"], "mentions": 3},
        {"series": "The Salt Harbour", "books": ["The Salt Harbour"], "mentions": 6},
    ]
    crossing = """
    MATCH (a)--(b) WHERE a.series IS NOT NULL AND b.series IS NOT NULL AND a.series <> b.series
    RETURN count(*)
    """
    assert _value(neo4j_driver, crossing) == 0
    assert _value(neo4j_driver, "MATCH (c:Character) RETURN count(c)") == 8 + 5
    assert _value(neo4j_driver, "MATCH (h:House {name: 'Gull'}) RETURN count(h)") == 2
    # Each book alone gives the graph it gives in an empty database.
    both = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    alone = _fresh_load(neo4j_driver, SALT)["nodes"] + _fresh_load(neo4j_driver, LIGHT)["nodes"]
    assert both["nodes"] == sorted(alone)


@pytest.mark.neo4j
def test_the_order_of_books_does_not_matter(neo4j_driver: neo4j.Driver) -> None:
    load(SALT, neo4j_driver, series=SERIES)
    load(LIGHT, neo4j_driver, series=SERIES)
    one_way = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    load(LIGHT, neo4j_driver, series=SERIES)
    load(SALT, neo4j_driver, series=SERIES)
    assert dump(neo4j_driver) == one_way


def _revised_salt(tmp_path: Path) -> Path:
    """The Salt Harbour without its third chapter and without Dov Kestrel."""
    outdir = _copy(tmp_path)
    for name in ("mentions.csv", "interactions_by_chapter.csv", "chapters.csv"):
        path = outdir / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(
            "".join(
                line
                for line in lines
                if not line.startswith(("3,", "2,Ben Marsh,Dov", "2,Dov")) and "Dov" not in line
            ),
            encoding="utf-8",
        )
    for name in ("interactions.csv", "characters.csv", "characters.jsonl"):
        path = outdir / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        keep = [line for line in lines if "Dov" not in line and not line.endswith(",3\n")]
        path.write_text("".join(keep), encoding="utf-8")
    _edit(outdir / "interactions.csv", "Ada Marsh,Cora Marsh,2,1", "Ada Marsh,Cora Marsh,1,1")
    return outdir


def _fresh_load(
    driver: neo4j.Driver,
    *outdirs: Path,
    series: str | None = None,
    volumes: dict[Path, int] | None = None,
) -> dict[str, list[str]]:
    """The dump after loading outdirs (into series, as volumes) into an empty database; the
    database is emptied again."""
    for outdir in outdirs:
        load(outdir, driver, series=series, volume=(volumes or {}).get(outdir))
    graph = dump(driver)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    return graph


@pytest.mark.neo4j
def test_replace_swaps_one_book_and_leaves_the_others(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    revised = _revised_salt(tmp_path)
    expected = _fresh_load(neo4j_driver, LIGHT, revised, series=SERIES)

    load(SALT, neo4j_driver, series=SERIES)
    load(LIGHT, neo4j_driver, series=SERIES)
    with pytest.raises(InputError, match="already loaded from other data: pass --replace"):
        load(revised, neo4j_driver, series=SERIES)
    summary = load(revised, neo4j_driver, series=SERIES, replace=True)
    assert summary.action == "replaced" and summary.chapters == 2
    assert dump(neo4j_driver) == expected
    assert _value(neo4j_driver, "MATCH (c:Character {name: 'Dov Kestrel'}) RETURN count(c)") == 0
    assert (
        _value(neo4j_driver, "MATCH (c:Character {name: 'Ada Marsh'}) RETURN c.mentions") == 4 + 3
    )


@pytest.mark.neo4j
def test_refused_reload_changes_nothing(neo4j_driver: neo4j.Driver, tmp_path: Path) -> None:
    load(SALT, neo4j_driver)
    before = dump(neo4j_driver)
    with pytest.raises(InputError):
        load(_revised_salt(tmp_path), neo4j_driver)
    assert dump(neo4j_driver) == before


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("statement", "n"),
    [(cypher.CREATE_INTERACTIONS, 3), (cypher.CREATE_APPEARANCES, 1), (cypher.COMPLETE_BOOK, 1)],
)
def test_an_interrupted_load_is_consistent_and_a_rerun_completes_it(
    neo4j_driver: neo4j.Driver, statement: str, n: int
) -> None:
    """The first load CREATEs relationships, two batches at a time; its rerun MERGEs, so
    nothing is doubled."""
    load(LIGHT, neo4j_driver, series=SERIES)
    light = dump(neo4j_driver)
    # book, chapters, HAS_CHAPTER, appearances, interactions, IN_BOOK, HAS_BOOK
    assert len(_book_part(light, "The Lighthouse Keeper")) == 1 + 2 + 2 + 7 + 5 + 5 + 1
    load(SALT, neo4j_driver, series=SERIES)
    expected = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    load(LIGHT, neo4j_driver, series=SERIES)

    with pytest.raises(Neo4jUnavailable):
        load(SALT, FailingDriver(neo4j_driver, statement, n), series=SERIES, batch_size=2)  # type: ignore[arg-type]
    assert (
        _value(neo4j_driver, "MATCH (b:Book {title: 'The Salt Harbour'}) RETURN b.complete")
        is False
    )
    assert _value(neo4j_driver, "MATCH (b:Book {title: 'The Lighthouse Keeper'}) RETURN b.complete")
    interactions = _value(
        neo4j_driver, "MATCH ()-[r:INTERACTS {book: 'The Salt Harbour'}]->() RETURN count(r)"
    )
    # Whole batches only; with two writers the batch after the failed one may also commit.
    assert (
        interactions
        in {
            cypher.CREATE_INTERACTIONS: {4, 6},
            cypher.CREATE_APPEARANCES: {0},
            cypher.COMPLETE_BOOK: {10},
        }[statement]
    )
    assert _book_part(dump(neo4j_driver), "The Lighthouse Keeper") == _book_part(
        light, "The Lighthouse Keeper"
    )
    assert load(SALT, neo4j_driver, series=SERIES, batch_size=2).action == "resumed"
    assert dump(neo4j_driver) == expected


@pytest.mark.neo4j
def test_an_interrupted_replace_is_finished_by_rerunning_it(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    revised = _revised_salt(tmp_path)
    expected = _fresh_load(neo4j_driver, LIGHT, revised, series=SERIES)
    load(LIGHT, neo4j_driver, series=SERIES)
    load(SALT, neo4j_driver, series=SERIES)
    failing = FailingDriver(neo4j_driver, cypher.DELETE_CHAPTERS, 2)
    with pytest.raises(Neo4jUnavailable):
        load(revised, failing, series=SERIES, replace=True, batch_size=1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="--replace"):
        load(revised, neo4j_driver, series=SERIES)
    load(revised, neo4j_driver, series=SERIES, replace=True)
    assert dump(neo4j_driver) == expected


@pytest.mark.neo4j
def test_an_extraction_object_loads_like_its_outdir(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    extraction = extract(
        read_book(sample / "book.txt"), read_characters(sample / "characters.jsonl")
    )
    extraction.save(tmp_path / "out")
    load(tmp_path / "out", neo4j_driver)
    from_dir = dump(neo4j_driver)
    assert load(extraction, neo4j_driver).action == "reloaded"  # the same digest
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    assert load(extraction, neo4j_driver).action == "new"
    assert dump(neo4j_driver) == from_dir


def test_a_zero_batch_size_is_refused_before_touching_the_database() -> None:
    with pytest.raises(InputError, match="batch size must be at least 1"):
        load(SALT, None, batch_size=0)  # type: ignore[arg-type]


# The command line.

runner = CliRunner()


@pytest.mark.neo4j
def test_kg_load_loads_and_reruns(neo4j_driver: neo4j.Driver, neo4j_server: Any) -> None:
    args = ["-v", "load", "--from", str(SALT)]
    first = runner.invoke(app, args, env=neo4j_env(neo4j_server))
    assert first.exit_code == 0, first.output
    assert (
        "Loaded 'The Salt Harbour' (new, series 'The Salt Harbour'): 3 chapters, 7 characters"
        in first.output
    )
    graph = dump(neo4j_driver)
    again = runner.invoke(app, args, env=neo4j_env(neo4j_server))
    assert "(reloaded, series 'The Salt Harbour')" in again.output
    assert dump(neo4j_driver) == graph
    assert neo4j_server.password not in first.output + again.output


@pytest.mark.neo4j
def test_kg_load_wrong_password_is_one_line_without_the_password(neo4j_server: Any) -> None:
    secret = "not-the-password-31415"
    result = runner.invoke(
        app, ["load", "--from", str(SALT)], env=neo4j_env(neo4j_server, NEO4J_PASSWORD=secret)
    )
    assert result.exit_code == 1
    line = one_error_line(result.output)
    assert "refused user 'neo4j': wrong user or password" in line
    assert secret not in result.output and neo4j_server.password not in result.output


def test_kg_load_unreachable_server_is_one_line(unused_port: int) -> None:
    secret = "secret-for-nowhere"
    result = runner.invoke(
        app,
        ["load", "--from", str(SALT), "--uri", f"bolt://127.0.0.1:{unused_port}"],
        env={"NEO4J_PASSWORD": secret},
    )
    assert result.exit_code == 1
    assert one_error_line(result.output) == (
        f"Error: cannot reach Neo4j at bolt://127.0.0.1:{unused_port}: "
        "is the server running and the URI right?"
    )
    assert secret not in result.output


def test_a_password_in_the_uri_is_never_shown(unused_port: int) -> None:
    result = runner.invoke(
        app,
        [
            "load",
            "--from",
            str(SALT),
            "--uri",
            f"bolt://neo4j:uri-secret-161@127.0.0.1:{unused_port}",
        ],
        env={"NEO4J_PASSWORD": "x"},
    )
    assert result.exit_code == 1
    assert f"bolt://127.0.0.1:{unused_port}" in one_error_line(result.output)
    assert "uri-secret-161" not in result.output


def test_kg_load_bad_outdir_is_one_line_before_connecting(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", "--from", str(tmp_path / "nowhere")], env={})
    assert result.exit_code == 1
    assert "no such folder" in one_error_line(result.output)


def test_kg_load_password_in_uri_is_never_shown(unused_port: int) -> None:
    result = runner.invoke(
        app,
        ["load", "--from", str(SALT), "--uri", f"bolt://neo4j:hunter2@127.0.0.1:{unused_port}"],
        env={"NEO4J_PASSWORD": "x"},
    )
    assert result.exit_code == 1
    assert "hunter2" not in result.output


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.neo4j
def test_kg_load_title_characters_and_replace(
    neo4j_driver: neo4j.Driver, neo4j_server: Any, tmp_path: Path
) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text('{"name": "Ada Marsh", "house": "Heron"}\n', encoding="utf-8")
    env = neo4j_env(neo4j_server)
    args = ["load", "--from", str(SALT), "--book-title", "Salt II", "--characters", str(facts)]
    assert runner.invoke(app, args, env=env).exit_code == 0
    house = "MATCH (:Character {name: 'Ada Marsh'})-[:BELONGS_TO]->(h) RETURN collect(h.name)"
    assert _value(neo4j_driver, house) == ["Heron"]
    assert _value(neo4j_driver, "MATCH (b:Book) RETURN collect(b.title)") == ["Salt II"]

    revised = ["load", "--from", str(_revised_salt(tmp_path)), "--book-title", "Salt II"]
    refused = runner.invoke(app, revised, env=env)
    assert refused.exit_code == 1
    assert "already loaded from other data: pass --replace" in one_error_line(refused.output)
    replaced = runner.invoke(app, [*revised, "--replace"], env=env)
    assert "Loaded 'Salt II' (replaced, series 'Salt II'): 2 chapters" in replaced.output
    assert _value(neo4j_driver, house) == ["Gull"]


def test_kg_load_prompts_for_a_missing_password_without_echoing_it(unused_port: int) -> None:
    result = runner.invoke(
        app,
        ["load", "--from", str(SALT), "--uri", f"bolt://127.0.0.1:{unused_port}"],
        env={"NEO4J_PASSWORD": None},
        input="typed-secret-99\n",
    )
    assert result.exit_code == 1
    assert "Neo4j password:" in result.output
    assert "cannot reach Neo4j" in result.output.splitlines()[-1]
    assert "typed-secret-99" not in result.output


# Issue 15: concurrent loads, kill -9, --replace; issue 13: series and the older schema.


def _generated_outdir(tmp_path: Path, people: int = 60, chapters: int = 6) -> Path:
    """A book written here: every pair of `people` who share a chapter co-occurs in it
    (people k and k+1..k+10, in chapter k % chapters + 1): about 10 * people interactions."""
    outdir = tmp_path / "generated"
    outdir.mkdir()
    names = [f"Person {i:03d}" for i in range(people)]
    pairs = sorted(
        (names[a], names[b], a % chapters + 1)
        for a in range(people)
        for b in range(a + 1, min(a + 11, people))
    )
    rows = {
        "chapters.csv": [["number", "title"], *([n, f"Part {n}"] for n in range(1, chapters + 1))],
        "characters.csv": [["name", "aliases", "discovered"], *([n, "", "false"] for n in names)],
        "mentions.csv": [
            ["chapter", "character"],
            *([i % chapters + 1, n] for i, n in enumerate(names)),
            *([chapter, target] for _, target, chapter in pairs),
        ],
        "interactions.csv": [
            ["source", "target", "weight", "first_chapter"],
            *([s, t, 1, c] for s, t, c in pairs),
        ],
        "interactions_by_chapter.csv": [
            ["chapter", "source", "target", "weight"],
            *([c, s, t, 1] for s, t, c in pairs),
        ],
    }
    for name, lines in rows.items():
        with (outdir / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(lines)
    (outdir / "book.json").write_text('{"title": "Generated"}', encoding="utf-8")
    return outdir


def _kg_load(server: Any, *args: str) -> subprocess.Popen[str]:
    """`kg load ARGS` in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "load", *args],
        env={**os.environ, **neo4j_env(server)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(driver: neo4j.Driver, what: str) -> int:
    return int(_value(driver, f"MATCH {what} RETURN count(*)"))


@pytest.mark.neo4j
def test_a_load_waits_while_another_holds_the_book(
    neo4j_driver: neo4j.Driver, neo4j_server: Any
) -> None:
    load(LIGHT, neo4j_driver)  # the schema, with the lock's constraint
    with neo4j_driver.session(database=DATABASE) as session:
        other = session.begin_transaction()
        other.run(cypher.LOCK, key="book:The Salt Harbour").consume()
        process = _kg_load(neo4j_server, "--from", str(SALT))
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "The Salt Harbour: waiting for another kg load" in line
        assert process.poll() is None
        assert _count(neo4j_driver, "(:Book {title: 'The Salt Harbour'})") == 0
        other.rollback()
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Loaded 'The Salt Harbour' (new" in out
    assert _value(neo4j_driver, "MATCH (l:KgLock) RETURN count(l)") == 0  # never stored


@pytest.mark.neo4j
def test_two_loads_of_one_book_at_once_do_not_double_it(
    neo4j_driver: neo4j.Driver, neo4j_server: Any, tmp_path: Path
) -> None:
    book = _generated_outdir(tmp_path)
    data = read_outdir(book)
    args = ("--from", str(book), "--batch-size", "5")
    first, second = _kg_load(neo4j_server, *args), _kg_load(neo4j_server, *args)
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    actions = sorted(out.split("(")[1].split(",")[0] for out, _ in outputs)
    assert actions == ["new", "reloaded"]
    assert _count(neo4j_driver, "()-[:INTERACTS]->()") == len(data.interactions)
    assert _count(neo4j_driver, "()-[:APPEARS_IN]->()") == len(data.appearances)
    assert _count(neo4j_driver, "(:Character)") == len(data.characters)


@pytest.mark.neo4j
def test_a_rerun_after_kill_9_finishes_the_book(
    neo4j_driver: neo4j.Driver, neo4j_server: Any, tmp_path: Path
) -> None:
    book = _generated_outdir(tmp_path, people=300)
    expected = _fresh_load(neo4j_driver, book)
    process = _kg_load(neo4j_server, "--from", str(book), "--batch-size", "10")
    try:
        while process.poll() is None and _count(neo4j_driver, "()-[:INTERACTS]->()") < 100:
            time.sleep(0.05)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert 0 < _count(neo4j_driver, "()-[:INTERACTS]->()") < len(read_outdir(book).interactions)
    assert load(book, neo4j_driver).action == "resumed"
    assert dump(neo4j_driver) == expected


@pytest.mark.neo4j
def test_the_resume_path_plans_the_same_for_any_batch_size(neo4j_driver: neo4j.Driver) -> None:
    """MERGE finds a tie from its two nodes (Expand(Into)) for 10 rows as for 1,000: never by
    scanning the book's ties, which made a resumed load of 200,000 ties stall (issue 15)."""
    load(SALT, neo4j_driver)
    rows = read_outdir(SALT).interactions

    def operators(size: int) -> set[str]:
        plan = neo4j_driver.execute_query(
            "EXPLAIN " + cypher.MERGE_INTERACTIONS,
            book="The Salt Harbour",
            series="The Salt Harbour",
            rows=(rows * (size // len(rows) + 1))[:size],
            database_=DATABASE,
        ).summary.plan
        assert plan is not None
        found, todo = set(), [plan]
        while todo:
            step = todo.pop()
            found.add(step["operatorType"].split("@")[0])
            todo.extend(step.get("children", []))
        return found

    assert "Expand(Into)" in operators(10)
    assert operators(10) == operators(1000)
    assert not any("Relationship" in op and "Index" in op for op in operators(1000))


def _with_facts(tmp_path: Path) -> Path:
    """The Lighthouse Keeper stating more of Ada Marsh, of Eli Rook and of Mira O'Neil."""
    outdir = _copy(tmp_path, LIGHT)
    _edit(
        outdir / "characters.jsonl",
        '{"name": "Ada Marsh", "aliases": ["the Widow"], "gender": "female"}',
        '{"name": "Ada Marsh", "aliases": ["the Widow", "Old Ada"], "gender": "female", '
        '"species": "selkie", "house": "Heron", "loyalty": ["Lamp Guild"], '
        '"family": [{"person": "Eli Rook", "type": "cousin"}]}',
    )
    _edit(outdir / "characters.jsonl", '"house": "Tern"}', '"house": "Lamp", "gender": "female"}')
    return outdir


@pytest.mark.neo4j
def test_replace_leaves_the_graph_a_clean_load_of_the_remaining_books_gives(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    expected = _fresh_load(neo4j_driver, SALT, LIGHT, series=SERIES, volumes={SALT: 1, LIGHT: 2})
    load(SALT, neo4j_driver, series=SERIES, volume=1)
    load(_with_facts(tmp_path), neo4j_driver, series=SERIES, volume=2)
    ada = "MATCH (c:Character {name: 'Ada Marsh'}) RETURN c.species"
    assert _value(neo4j_driver, ada) == "selkie"  # the later book's word wins
    load(LIGHT, neo4j_driver, series=SERIES, volume=2, replace=True)
    assert dump(neo4j_driver) == expected
    assert _value(neo4j_driver, ada) == "human"


@pytest.mark.neo4j
def test_facts_do_not_depend_on_the_order_of_loads(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    later = _with_facts(tmp_path)
    volumes = {SALT: 1, later: 2}
    one_way = _fresh_load(neo4j_driver, SALT, later, series=SERIES, volumes=volumes)
    assert _fresh_load(neo4j_driver, later, SALT, series=SERIES, volumes=volumes) == one_way
    assert '"species": "selkie"' in "".join(one_way["nodes"])


def _old_schema(driver: neo4j.Driver) -> None:
    """What kg wrote before series: a name-unique Character and books without a series."""
    for statement in (
        "CREATE CONSTRAINT kg_character_name FOR (c:Character) REQUIRE c.name IS UNIQUE",
        "CREATE (:Book {title: 'Old Book', complete: true})"
        "-[:HAS_CHAPTER]->(:Chapter {book: 'Old Book', number: 1})"
        "<-[:APPEARS_IN {mentions: 1}]-(:Character {name: 'Ada Marsh', books: ['Old Book']})",
    ):
        driver.execute_query(statement, database_=DATABASE)


@pytest.mark.neo4j
def test_a_database_of_the_older_schema_is_refused_in_one_line(
    neo4j_driver: neo4j.Driver, neo4j_server: Any
) -> None:
    _old_schema(neo4j_driver)
    before = dump(neo4j_driver)
    with pytest.raises(InputError, match="written by an older kg"):
        load(SALT, neo4j_driver)
    for args in (["load", "--from", str(SALT)], ["analyze"]):
        result = runner.invoke(app, args, env=neo4j_env(neo4j_server))
        assert result.exit_code == 1
        line = one_error_line(result.output)
        assert "written by an older kg" in line and "load its books again" in line
    assert dump(neo4j_driver) == before


@pytest.mark.neo4j
def test_the_older_schema_s_constraints_go_when_no_old_data_is_left(
    neo4j_driver: neo4j.Driver,
) -> None:
    _old_schema(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)  # Ada Marsh again, in another series
    assert _count(neo4j_driver, "(:Character {name: 'Ada Marsh'})") == 2


@pytest.mark.parametrize("series", ["", "  ", "Tales\x1fTwo"])
def test_a_bad_series_name_is_refused(series: str) -> None:
    with pytest.raises(InputError, match="bad series name"):
        read_outdir(SALT, series=series)


def test_the_series_and_volume_are_part_of_the_digest() -> None:
    digests = {
        read_outdir(SALT, **options).properties["digest"]  # type: ignore[arg-type]
        for options in ({}, {"series": "The Salt Harbour"}, {"series": SERIES}, {"volume": 2})
    }
    assert len(digests) == 3  # the default series is the title


@pytest.mark.neo4j
def test_kg_load_series_and_volume(neo4j_driver: neo4j.Driver, neo4j_server: Any) -> None:
    env = neo4j_env(neo4j_server)
    for book, volume in ((SALT, "1"), (LIGHT, "2")):
        args = ["load", "--from", str(book), "--series", SERIES, "--volume", volume]
        result = runner.invoke(app, args, env=env)
        assert f"series '{SERIES}'" in result.output
    assert _count(neo4j_driver, "(:Character {name: 'Ada Marsh'})") == 1
    books = "MATCH (:Series {name: $name})-[:HAS_BOOK]->(b) RETURN b.title ORDER BY b.volume"
    records = neo4j_driver.execute_query(books, name=SERIES, database_=DATABASE).records
    assert [r[0] for r in records] == ["The Salt Harbour", "The Lighthouse Keeper"]
