"""The output folder both ways: save an Extraction, read it back (kg.outdir)."""

import re
from pathlib import Path

import pytest

from kg.book import read_book
from kg.errors import InputError
from kg.extract import extract
from kg.files import read_characters
from kg.outdir import read_extraction
from kg.records import NAME

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SALT = ROOT / "tests" / "fixtures" / "load" / "salt_harbour"


@pytest.mark.parametrize("coref", [False, True])
def test_a_saved_extraction_reads_back_to_the_same_records_and_files(
    tmp_path: Path, coref: bool
) -> None:
    extraction = extract(
        read_book(SAMPLE / "book.txt"), read_characters(SAMPLE / "characters.jsonl"), coref=coref
    )
    extraction.save(tmp_path, characters_file="characters.jsonl")
    back = read_extraction(tmp_path)
    assert back.book.text == "" and back.book.chapters == extraction.book.chapters
    assert back.book.title == extraction.book.title
    assert back.mentions == tuple(sorted(extraction.mentions, key=lambda m: (m.start, m.end)))
    assert set(back.interactions) == set(extraction.interactions)
    assert back.characters == extraction.characters
    assert [(s.name, s.mentions, s.community) for s in back.stats] == [
        (s.name, s.mentions, s.community) for s in extraction.stats
    ]
    assert back.quotes == (extraction.quotes if coref else None)
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert back.file_texts("characters.jsonl") == written


def test_a_folder_of_an_older_kg_reads_with_defaults() -> None:
    back = read_extraction(SALT)  # no kind column, no gender columns, no quotes.csv
    assert {m.kind for m in back.mentions} == {NAME}
    assert back.quotes is None and back.window == 14
    ada = next(c for c in back.characters if c.name == "Ada Marsh")
    assert ada.fact("house") == ("Gull",)  # from characters.jsonl


def test_a_folder_without_network_columns_gets_its_stats_computed(tmp_path: Path) -> None:
    for name in ("book.json", "chapters.csv", "mentions.csv", "interactions.csv"):
        (tmp_path / name).write_bytes((SALT / name).read_bytes())
    (tmp_path / "interactions_by_chapter.csv").write_bytes(
        (SALT / "interactions_by_chapter.csv").read_bytes()
    )
    (tmp_path / "characters.csv").write_text("name,aliases,discovered\nAda Marsh,Ada,false\n")
    back = read_extraction(tmp_path)
    assert back.characters[0].aliases == ("Ada",)
    assert {s.name for s in back.stats} == {m.character for m in back.mentions}
    assert sum(s.mentions for s in back.stats) == len(back.mentions)


def test_a_bad_offset_is_one_clear_error(tmp_path: Path) -> None:
    for path in SALT.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(mentions.read_text().replace("1,40,49", "1,forty,49", 1))
    with pytest.raises(InputError, match="^" + re.escape(f"{mentions}:2: start is not a number")):
        read_extraction(tmp_path)
