"""Issue 15's fault and bad-input cases: each test reproduces one case of the README's
reliability table (the section "Reliability")."""

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from conftest import one_error_line
from typer.testing import CliRunner

from kg.book import Book, split_chapters
from kg.cli import app
from kg.errors import InputError
from kg.extract import extract
from kg.graph import read_book_json
from kg.records import Character
from kg.wiki import parse_character

runner = CliRunner()

BOOK = """\
CHAPTER ONE

Ada Quill met Ben Marsh at the mill. Ada laughed and Ben rowed away.

CHAPTER TWO

Ben Marsh came back. Ada Quill waved.
"""
CHARACTERS = [{"name": "Ada Quill"}, {"name": "Ben Marsh"}]


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    book = tmp_path / "mill.txt"
    book.write_text(BOOK, encoding="utf-8")
    characters = tmp_path / "chars.jsonl"
    characters.write_text("".join(json.dumps(c) + "\n" for c in CHARACTERS), encoding="utf-8")
    return book, characters


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
