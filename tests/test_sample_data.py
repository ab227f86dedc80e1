"""The bundled sample (data/sample): generated files in sync, gold spans exact, facts consistent."""

import csv
import itertools
import json
import re
from collections import defaultdict
from urllib.parse import unquote

import pytest
from conftest import ROOT, load_script

from kg.files import character_to_json, read_characters

SAMPLE = ROOT / "data" / "sample"
UNLISTED = {"Josiah Hobb"}  # the one person deliberately absent from the wiki and the list


build = load_script(ROOT / "scripts" / "build_sample.py")


def _read(name: str) -> str:
    with open(SAMPLE / name, encoding="utf-8", newline="") as f:
        return f.read()


def _rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _characters() -> list[dict[str, object]]:
    return [json.loads(line) for line in _read("characters.jsonl").splitlines()]


def test_generated_files_match_the_annotated_source() -> None:
    for name, content in build.render(_read(build.SOURCE)).items():
        assert _read(name) == content, f"{name} is stale: run python scripts/build_sample.py"


def test_gold_spans_are_exact_slices_of_the_book() -> None:
    book = _read("book.txt")
    rows = _rows("gold_mentions.csv")
    assert len(rows) > 300
    for row in rows:
        assert book[int(row["start"]) : int(row["end"])] == row["text"], row
    starts = [int(r["start"]) for r in rows]
    assert starts == sorted(starts)
    assert all(int(a["end"]) <= int(b["start"]) for a, b in itertools.pairwise(rows))


def test_six_chapters_tile_the_book_after_the_front_matter() -> None:
    book = _read("book.txt")
    chapters = _rows("gold_chapters.csv")
    assert [int(c["chapter"]) for c in chapters] == [1, 2, 3, 4, 5, 6]
    assert int(chapters[-1]["end"]) == len(book)
    for c, following in itertools.pairwise(chapters):
        assert c["end"] == following["start"]
    for c in chapters:
        assert book[int(c["start"]) :].startswith(c["heading"])
        assert 900 <= len(book[int(c["start"]) : int(c["end"])].split()) <= 1300
    bounds = {int(c["chapter"]): (int(c["start"]), int(c["end"])) for c in chapters}
    for row in _rows("gold_mentions.csv"):
        start, end = bounds[int(row["chapter"])]
        assert start <= int(row["start"]) < end


def test_every_gold_character_but_the_unlisted_one_is_in_the_list() -> None:
    listed = {str(c["name"]) for c in _characters()}
    gold = {r["character"] for r in _rows("gold_mentions.csv")}
    assert gold - listed == UNLISTED
    assert listed <= gold, "every listed character is mentioned"
    assert 18 <= len(gold) <= 22


def test_first_chapter_is_the_chapter_of_the_first_gold_mention() -> None:
    first: dict[str, int] = {}
    for row in _rows("gold_mentions.csv"):
        first.setdefault(row["character"], int(row["chapter"]))
    for character in _characters():
        assert character["first_chapter"] == first[str(character["name"])], character["name"]
    assert sum(1 for c in _characters() if int(str(c["first_chapter"])) >= 4) >= 3


def test_character_list_is_valid_and_in_canonical_form() -> None:
    characters = read_characters(SAMPLE / "characters.jsonl")
    lines = [json.dumps(character_to_json(c), ensure_ascii=False) for c in characters]
    assert lines == _read("characters.jsonl").splitlines()


def _index_sections() -> dict[int, str]:
    parts = re.split(r'<span class="mw-headline" id="Chapter_(\d+)"', _read("wiki/index.html"))
    return {int(n): body for n, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_each_character_page_exists_and_is_listed_under_its_first_chapter() -> None:
    listed: dict[str, set[int]] = defaultdict(set)
    for number, body in _index_sections().items():
        for href in re.findall(r'<a href="([^"?#:]+\.html)" title="', body):
            listed[href].add(number)
    for character in _characters():
        url = str(character["url"])
        page = _read(unquote(url))
        assert f'class="page-header__title">{character["name"]}</h1>' in page
        assert min(listed[url.removeprefix("wiki/")]) == character["first_chapter"]


def test_index_has_its_traps_and_one_character_lacks_an_infobox() -> None:
    sections = _index_sections()
    assert sorted(sections) == [1, 2, 3, 4, 5, 6]
    assert '<table class="wikitable">' in sections[3]
    assert 'href="Josiah_Hobb.html?action=edit&amp;redlink=1" class="new"' in sections[1]
    assert 'class="external text"' in sections[6]
    assert 'href="Ashford.html"' in sections[1]
    pages = {str(c["name"]): _read(unquote(str(c["url"]))) for c in _characters()}
    assert [n for n, html in pages.items() if "portable-infobox" not in html] == ["Pepper"]
    assert "portable-infobox" not in _read("wiki/Ashford.html")
    assert "Ashford" not in pages


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("{{CHAPTER I|}} [[Toby|Tobias Thornley]", "never closed"),
        ("{{CHAPTER I|}} Toby|Tobias", "stray |"),
        ("{{CHAPTER I|}} [[Toby]]", "unexpected ]]"),
        ("{{CHAPTER I|}} [[Toby|]]", "no character"),
        ("{{CHAPTER I|}} [[ Toby|Tobias Thornley]]", "bad span"),
        ("[[Toby|Tobias Thornley]] {{CHAPTER I|}}", "before the first chapter"),
    ],
)
def test_malformed_markup_is_rejected_with_its_line(source: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        build.render(source)


def test_markup_is_stripped_to_exact_offsets() -> None:
    sample = build.parse(
        "{{Chapter 1\n[[KIT|Kit]] HOME|Kit Home}}\nSaid [[Uncle\nRufus|Rufus]]'s cat."
    )
    assert sample.text == "Chapter 1\nKIT HOME\nSaid Uncle\nRufus's cat."
    assert [(m.text, m.meta) for m in sample.mentions] == [
        ("KIT", "Kit"),
        ("Uncle\nRufus", "Rufus"),
    ]
    assert [sample.text[m.start : m.end] for m in sample.mentions] == ["KIT", "Uncle\nRufus"]
    assert [(h.text, h.meta) for h in sample.headings] == [("Chapter 1\nKIT HOME", "Kit Home")]
