"""The loader: reading an OUTDIR (layer 1), and loading into the real Neo4j (layer 3).

Two hand-made books share Ada Marsh and Eli Rook: tests/fixtures/load/salt_harbour and
tests/fixtures/load/lighthouse.
"""

import json
import re
import shutil
from pathlib import Path
from typing import Any

import neo4j
import pytest
from conftest import neo4j_env, one_error_line
from neo4j.exceptions import ServiceUnavailable
from typer.testing import CliRunner

from kg import cypher
from kg.cli import app
from kg.errors import InputError, Neo4jUnavailable
from kg.load import load, read_outdir
from kg.records import Character, FamilyTie
from kg.report import write_report

FIXTURES = Path(__file__).parent / "fixtures" / "load"
SALT = FIXTURES / "salt_harbour"
LIGHT = FIXTURES / "lighthouse"


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
    assert {"name": "Eli Rook", "house": "Tern"} in data.houses
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
    facts = [Character("Ada Marsh", house="Heron", family=(FamilyTie("Ben Marsh", "husband"),))]
    data = read_outdir(SALT, characters=facts, book_title="Salt, revised")
    assert data.title == "Salt, revised"
    assert data.houses == [{"name": "Ada Marsh", "house": "Heron"}]
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
    assert data.houses == [] and data.family == []
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
    """Cypher for a node's natural key: a chapter's book and number, else its name or title."""
    return (
        f"CASE WHEN {node}:Chapter THEN {node}.book + ' #' + toString({node}.number) "
        f"ELSE coalesce({node}.name, {node}.title) END"
    )


def _book_part(graph: dict[str, list[str]], title: str) -> list[str]:
    """The dump lines of one book's own data: its node, chapters, appearances, interactions."""
    marks = (f'"book": "{title}"', f'"{title} #', f'"title": "{title}"')
    return [line for lines in graph.values() for line in lines if any(m in line for m in marks)]


def _value(driver: neo4j.Driver, query: str, **parameters: Any) -> Any:
    records = driver.execute_query(query, parameters, database_=DATABASE).records
    return records[0][0]


class FailingDriver:
    """A real driver that loses the connection on the n-th run of one statement."""

    def __init__(self, driver: neo4j.Driver, statement: str, n: int) -> None:
        self.driver, self.statement, self.n = driver, statement, n

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
    assert len(once["nodes"]) == 1 + 3 + 8 + 2 + 2  # book, chapters, characters, houses, groups
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
        "kg_character_name",
        "kg_book_title",
        "kg_house_name",
        "kg_group_name",
        "kg_chapter_key",
    }


@pytest.mark.neo4j
def test_a_second_book_adds_to_the_same_characters(neo4j_driver: neo4j.Driver) -> None:
    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)
    ada = _value(neo4j_driver, "MATCH (c:Character {name: 'Ada Marsh'}) RETURN c {.*}")
    assert ada["books"] == ["The Lighthouse Keeper", "The Salt Harbour"]
    assert ada["mentions"] == 6 + 3
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
def test_the_order_of_books_does_not_matter(neo4j_driver: neo4j.Driver) -> None:
    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)
    one_way = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    load(LIGHT, neo4j_driver)
    load(SALT, neo4j_driver)
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


def _fresh_load(driver: neo4j.Driver, *outdirs: Path) -> dict[str, list[str]]:
    """The dump after loading outdirs into an empty database; the database is emptied again."""
    for outdir in outdirs:
        load(outdir, driver)
    graph = dump(driver)
    driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    return graph


@pytest.mark.neo4j
def test_replace_swaps_one_book_and_leaves_the_others(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    revised = _revised_salt(tmp_path)
    expected = _fresh_load(neo4j_driver, LIGHT, revised)

    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)
    with pytest.raises(InputError, match="already loaded from other data: pass --replace"):
        load(revised, neo4j_driver)
    summary = load(revised, neo4j_driver, replace=True)
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
    load(LIGHT, neo4j_driver)
    light = dump(neo4j_driver)
    assert len(_book_part(light, "The Lighthouse Keeper")) == 1 + 2 + 2 + 7 + 5
    load(SALT, neo4j_driver)
    expected = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    load(LIGHT, neo4j_driver)

    with pytest.raises(Neo4jUnavailable):
        load(SALT, FailingDriver(neo4j_driver, statement, n), batch_size=2)  # type: ignore[arg-type]
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
    assert load(SALT, neo4j_driver, batch_size=2).action == "resumed"
    assert dump(neo4j_driver) == expected


@pytest.mark.neo4j
def test_an_interrupted_replace_is_finished_by_rerunning_it(
    neo4j_driver: neo4j.Driver, tmp_path: Path
) -> None:
    revised = _revised_salt(tmp_path)
    expected = _fresh_load(neo4j_driver, LIGHT, revised)
    load(LIGHT, neo4j_driver)
    load(SALT, neo4j_driver)
    failing = FailingDriver(neo4j_driver, cypher.DELETE_CHAPTERS, 2)
    with pytest.raises(Neo4jUnavailable):
        load(revised, failing, replace=True, batch_size=1)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="--replace"):
        load(revised, neo4j_driver)
    load(revised, neo4j_driver, replace=True)
    assert dump(neo4j_driver) == expected


@pytest.mark.neo4j
def test_an_extraction_object_loads_like_its_outdir(neo4j_driver: neo4j.Driver) -> None:
    class Saved:
        def save(self, outdir: Path) -> None:
            shutil.copytree(SALT, outdir, dirs_exist_ok=True)

    load(SALT, neo4j_driver)
    from_dir = dump(neo4j_driver)
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=DATABASE)
    assert load(Saved(), neo4j_driver).action == "new"
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
    assert "Loaded 'The Salt Harbour' (new): 3 chapters, 7 characters" in first.output
    graph = dump(neo4j_driver)
    again = runner.invoke(app, args, env=neo4j_env(neo4j_server))
    assert "(reloaded)" in again.output
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
    assert "Loaded 'Salt II' (replaced): 2 chapters" in replaced.output
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
