"""kg ingest and kg demo: the whole job in one command, with and without Neo4j."""

import json
from pathlib import Path

import neo4j
import networkx as nx
import pytest
from conftest import Neo4jServer, one_error_line, write_inputs
from test_load import dump
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.demo import SAMPLE, SAMPLE_TITLE
from kg.files import read_characters
from kg.records import NARRATOR

runner = CliRunner()
OUTPUTS = {
    "mentions.csv",
    "interactions.csv",
    "interactions_by_chapter.csv",
    "characters.csv",
    "chapters.csv",
    "book.json",
    "characters.jsonl",
    "graph.graphml",
    "graph.gexf",
    "report.html",
}


def _files(outdir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in outdir.iterdir() if p.name != "report.html"}


@pytest.mark.browser
def test_demo_scrapes_the_sample_wiki_with_chromium(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "Sample wiki scraped with headless Chromium from http://127.0.0.1:" in result.output
    assert f"{SAMPLE_TITLE}: 6 chapters, 20 characters" in result.output
    assert "Tobias Thornley" in result.output
    assert {p.name for p in (tmp_path / "demo").iterdir()} == OUTPUTS
    lines = (tmp_path / "demo" / "characters.jsonl").read_text().splitlines()
    scraped = {c["name"]: c for c in map(json.loads, lines)}
    assert len(scraped) == 20
    josiah = scraped.pop("Josiah Hobb")  # a red link: name and first chapter, no page
    assert (josiah["first_chapter"], "url" in josiah) == (1, False)
    assert all(c["url"].startswith("http://127.0.0.1:") for c in scraped.values())


def test_demo_without_a_browser_reads_the_saved_pages(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "a"), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert "read from the saved pages" in result.output
    assert "Time: scrape" in result.output and "extract" in result.output
    graph = nx.read_graphml(tmp_path / "a" / "graph.graphml")
    characters = (tmp_path / "a" / "characters.csv").read_text().splitlines()
    assert graph.number_of_nodes() == len(characters) - 1 == 20  # Josiah Hobb: a red link
    book = json.loads((tmp_path / "a" / "book.json").read_text())
    assert book["title"] == SAMPLE_TITLE
    again = runner.invoke(app, ["demo", "--out", str(tmp_path / "b"), "--no-browser"])
    assert again.exit_code == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_ingest_with_a_character_list_stays_in_outdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "ingest",
            "--book", str(SAMPLE / "book.txt"),
            "--characters", str(SAMPLE / "characters.jsonl"),
            "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == OUTPUTS
    assert "book: 6 chapters, 19 characters" in result.output
    assert "Neo4j" not in result.output


def test_ingest_writes_the_report_and_book_json_kg_extract_and_kg_report_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    listed = ["--book", str(SAMPLE / "book.txt"), "--characters", str(SAMPLE / "characters.jsonl")]
    ingested = runner.invoke(app, ["ingest", *listed, "-o", str(tmp_path / "i")])
    assert ingested.exit_code == 0, ingested.output
    extracted = runner.invoke(app, ["extract", *listed, "-o", str(tmp_path / "e")])
    assert extracted.exit_code == 0, extracted.output
    book_json = (tmp_path / "i" / "book.json").read_text(encoding="utf-8")
    assert book_json == (tmp_path / "e" / "book.json").read_text(encoding="utf-8")
    assert json.loads(book_json)["characters_file"] == "characters.jsonl"
    report = ["report", "--from", str(tmp_path / "e"), "--book", str(SAMPLE / "book.txt")]
    assert runner.invoke(app, report).exit_code == 0
    page = (tmp_path / "i" / "report.html").read_text(encoding="utf-8")
    assert page == (tmp_path / "e" / "report.html").read_text(encoding="utf-8")
    assert "characters file: characters.jsonl" in page


def test_ingest_of_a_gutenberg_file_says_what_it_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    book = tmp_path / "book.txt"
    licence = "Tobias Thornley read this licence.\n\nCHAPTER SEVEN\n\nKit and Meg signed it.\n"
    book.write_text(
        "The Project Gutenberg EBook of The Lantern Ferry\n\n"
        "*** START OF THIS PROJECT GUTENBERG EBOOK THE LANTERN FERRY ***\n\n"
        + (SAMPLE / "book.txt").read_text(encoding="utf-8")
        + "\n*** END OF THIS PROJECT GUTENBERG EBOOK THE LANTERN FERRY ***\n\n"
        + licence,
        encoding="utf-8",
    )
    listed = ["--characters", str(SAMPLE / "characters.jsonl")]
    result = runner.invoke(app, ["ingest", "--book", str(book), *listed, "-o", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("book.txt: read lines 5-") == 1
    assert "Project Gutenberg header and licence around them are cut off" in result.stderr
    plain = runner.invoke(
        app, ["ingest", "--book", str(SAMPLE / "book.txt"), *listed, "-o", str(tmp_path / "p")]
    )
    assert "book: 6 chapters, 19 characters" in result.stdout
    assert _counts(result.stdout) == _counts(plain.stdout)


def test_ingest_with_coref_writes_what_extract_coref_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    listed = ["--book", str(SAMPLE / "book.txt"), "--characters", str(SAMPLE / "characters.jsonl")]
    ingested = runner.invoke(app, ["ingest", *listed, "--coref", "-o", str(tmp_path / "i")])
    assert ingested.exit_code == 0, ingested.output
    assert {p.name for p in (tmp_path / "i").iterdir()} == OUTPUTS | {"quotes.csv"}
    extracted = runner.invoke(app, ["extract", *listed, "--coref", "-o", str(tmp_path / "e")])
    assert extracted.exit_code == 0, extracted.output
    for name in ("mentions.csv", "quotes.csv", "interactions.csv"):
        assert (tmp_path / "i" / name).read_bytes() == (tmp_path / "e" / name).read_bytes()
    mentions = (tmp_path / "i" / "mentions.csv").read_text(encoding="utf-8")
    assert ",pronoun\n" in mentions
    assert json.loads((tmp_path / "i" / "book.json").read_text())["coref"] is True


FIRST_PERSON = (
    "CHAPTER ONE\n\nI rowed out at dawn. I saw Wren on the pier, and I waved.\n\n"
    "I tied the boat and I walked home.\n"
)


def test_ingest_narrator_in_the_api_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    cast = [{"name": "Osric Hale", "aliases": ["Osric"]}, {"name": "Wren Adair"}]
    book, chars = write_inputs(tmp_path, "book.txt", FIRST_PERSON, cast)
    listed = read_characters(chars)
    summary = kg.ingest(
        book, tmp_path / "api", characters=listed, characters_file=chars.name, narrator="Osric"
    )
    narrated = [m for m in summary.extraction.mentions if m.kind == NARRATOR]
    assert [m.text for m in narrated] == ["I"] * 5
    assert {m.character for m in narrated} == {"Osric Hale"}
    args = ["ingest", "--book", str(book), "--characters", str(chars)]
    result = runner.invoke(app, [*args, "--narrator", "Osric", "-o", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "cli") == _files(tmp_path / "api")
    bad = runner.invoke(app, [*args, "--narrator", "Nobody", "-o", str(tmp_path / "bad")])
    assert bad.exit_code == 1
    assert "narrator 'Nobody' is not a character's name" in one_error_line(bad.output)
    assert not (tmp_path / "bad").exists()


def _counts(summary: str) -> str:
    """The summary line of kg ingest: chapters, characters, mentions, pairs, communities."""
    return next(line for line in summary.splitlines() if line.startswith("book: "))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--characters", "c.jsonl", "--index-url", "http://x/"], "not both"),
        (["--characters", "missing.jsonl"], "missing.jsonl: no such file"),
    ],
)
def test_ingest_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    book = tmp_path / "book.txt"
    book.write_text("Chapter 1\n\nAnn met Bob.\n")
    result = runner.invoke(
        app, ["ingest", "--book", str(book), "--out", str(tmp_path / "o"), *args]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.neo4j
def test_ingest_into_neo4j_equals_load_then_analyze(
    tmp_path: Path,
    neo4j_server: Neo4jServer,
    neo4j_driver: neo4j.Driver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password)
    out = tmp_path / "out"
    book = ["--book", str(SAMPLE / "book.txt"), "--characters", str(SAMPLE / "characters.jsonl")]
    series = ["--series", "Lantern Tales", "--volume", "2"]
    result = runner.invoke(
        app, ["ingest", *book, "--title", SAMPLE_TITLE, *series, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert f"Loaded into Neo4j as {SAMPLE_TITLE!r} (new)" in result.output
    assert neo4j_server.password not in result.output
    ingested = dump(neo4j_driver)
    assert '"series": "Lantern Tales", "source"' in "".join(ingested["nodes"])  # the Book
    rerun = runner.invoke(app, ["load", "--from", str(out), *series])  # the same data
    assert rerun.exit_code == 0, rerun.output
    assert "(reloaded, series 'Lantern Tales')" in rerun.output

    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n")
    assert runner.invoke(app, ["load", "--from", str(out), *series]).exit_code == 0
    analysed = runner.invoke(app, ["analyze", "--book", SAMPLE_TITLE])
    assert analysed.exit_code == 0, analysed.output
    assert _rounded(dump(neo4j_driver)) == _rounded(ingested)
    pagerank = neo4j_driver.execute_query(
        "MATCH (c:Character) WHERE c.pagerank IS NOT NULL RETURN count(c) AS n"
    ).records[0]["n"]
    assert pagerank == 19


def _rounded(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """The dump with floats to 9 significant digits: GDS sums in parallel, in varying order."""

    def walk(value: object) -> object:
        if isinstance(value, float):
            return float(f"{value:.9g}")
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return {
        part: sorted(json.dumps(walk(json.loads(line)), sort_keys=True) for line in lines)
        for part, lines in graph.items()
    }
