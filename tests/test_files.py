"""CHARS.jsonl reading and writing."""

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import InputError, OutputError
from kg.files import (
    read_characters,
    read_nicknames,
    read_overrides,
    write_characters,
    write_folder,
)
from kg.names import Override
from kg.records import Character, FamilyTie


def _write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "chars.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows))
    return path


def test_round_trip_keeps_every_fact(tmp_path: Path) -> None:
    tobias = Character(
        name="Tobias Thornley",
        aliases=("Toby",),
        first_chapter=1,
        gender="male",
        facts=(
            ("species", ("Human",)),
            ("house", ("Larch",)),
            ("blood", ("Tideborn",)),
            ("nationality", ("Ashlander",)),
            ("loyalty", ("Thornley family", "The Ferry Guild")),
            ("title", ("Ferry Master", "Warden")),
        ),
        family=(FamilyTie("Margaret Thornley", "mother"),),
        url="wiki/Tobias_Thornley.html",
    )
    path = tmp_path / "out.jsonl"
    write_characters([tobias, Character("Kit", discovered=True)], path)
    assert read_characters(path) == [tobias, Character("Kit", discovered=True)]


def test_facts_keep_the_keys_older_files_use_and_any_other_goes_under_facts(
    tmp_path: Path,
) -> None:
    old = {"name": "Meg", "house": "Larch", "blood": "Tideborn", "loyalty": ["Guild", "Watch"]}
    new = {"name": "Kit", "facts": {"title": ["Warden"], "house": ["Larch", "Reed"]}}
    path = _write(tmp_path, old, new)
    meg, kit = read_characters(path)
    assert meg.facts == (
        ("blood", ("Tideborn",)),
        ("house", ("Larch",)),
        ("loyalty", ("Guild", "Watch")),
    )
    assert kit.fact("house") == ("Larch", "Reed") and kit.fact("title") == ("Warden",)
    out = tmp_path / "out.jsonl"
    write_characters([meg, kit], out)
    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {"name": "Meg", "house": "Larch", "blood": "Tideborn", "loyalty": ["Guild", "Watch"]},
        {"name": "Kit", "facts": {"house": ["Larch", "Reed"], "title": ["Warden"]}},
    ]
    assert read_characters(out) == [meg, kit]


def test_only_name_is_required_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, {"name": "  Meg   Thornley "}, "", {"name": "Kit", "aliases": [" "]})
    assert read_characters(path) == [Character("Meg Thornley"), Character("Kit")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("{not json", "chars.jsonl:2: not valid JSON"),
        ({"name": ""}, "chars.jsonl:2: name: name is empty"),
        ({"aliases": ["x"]}, "chars.jsonl:2: name: Field required"),
        ({"name": "A", "first_chapter": 0}, "chars.jsonl:2: first_chapter:"),
        ({"name": "A", "family": [{"type": "son"}]}, "chars.jsonl:2: family.0.person:"),
        ('{"name": "Kit \\ud800"}', "chars.jsonl:2: a \\\\u escape is half a surrogate pair"),
    ],
)
def test_invalid_line_is_reported_with_its_number(
    tmp_path: Path, row: object, message: str
) -> None:
    path = _write(tmp_path, {"name": "Ok"}, row)
    with pytest.raises(InputError, match=message.replace(".", r"\.")):
        read_characters(path)


def test_duplicates_are_merged_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _write(
        tmp_path,
        {"name": "Meg", "aliases": ["Margaret"], "first_chapter": 3, "house": "Larch"},
        {"name": "Meg", "aliases": ["Mrs. Thornley"], "first_chapter": 2, "gender": "female"},
        {"name": "Meg", "house": "Reed", "loyalty": ["Guild"], "facts": {"title": ["Warden"]}},
        {"name": "Meg", "loyalty": ["Watch", "Guild"], "facts": {"title": ["Ferry Master"]}},
    )
    with caplog.at_level(logging.WARNING):
        (meg,) = read_characters(path)
    assert meg.aliases == ("Margaret", "Mrs. Thornley")
    assert meg.first_chapter == 2
    assert meg.gender == "female"
    # a fact older files hold as one string keeps its first value; the others are united
    assert meg.facts == (
        ("house", ("Larch",)),
        ("loyalty", ("Guild", "Watch")),
        ("title", ("Warden", "Ferry Master")),
    )
    assert "chars.jsonl:2: duplicate character 'Meg' merged" in caplog.text


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\xff\xfe{}"])
def test_unusable_file_is_an_input_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "chars.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"chars\.jsonl"):
        read_characters(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_characters(tmp_path / "nope.jsonl")
    with pytest.raises(InputError, match=f"^{re.escape(str(tmp_path))}: is a folder, not a file$"):
        read_characters(tmp_path)


def test_writing_over_a_folder_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").mkdir()
    with pytest.raises(OutputError, match=r"^\S*out\.jsonl: cannot write \([^)]+\)$"):
        write_characters([Character("Kit")], tmp_path / "out.jsonl")
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_byte_order_mark_is_not_part_of_the_first_line(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    (tmp_path / "chars.jsonl").write_bytes(bom + b'{"name": "Kit"}\n')
    assert read_characters(tmp_path / "chars.jsonl") == [Character("Kit")]
    (tmp_path / "nick.csv").write_bytes(bom + b"name,nickname\nRonald,Ron\n")
    assert read_nicknames(tmp_path / "nick.csv") == {"Ronald": ("Ron",)}
    (tmp_path / "over.csv").write_bytes(bom + b"surface,chapter,character\nKit,2,\n")
    assert read_overrides(tmp_path / "over.csv") == [Override("Kit", 2, "")]


class _Interrupted(dict[str, str]):
    """Files whose second one is never ready: the user pressed Ctrl-C while they were written."""

    def items(self) -> Iterator[tuple[str, str]]:  # type: ignore[override]
        yield "a.csv", "a\n"
        raise KeyboardInterrupt


@pytest.mark.parametrize("existing", [False, True])
def test_an_interrupted_folder_write_leaves_no_hidden_folder(
    tmp_path: Path, existing: bool
) -> None:
    out = tmp_path / "out"
    if existing:
        out.mkdir()
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, _Interrupted())
    assert [p.name for p in tmp_path.rglob("*")] == (["out"] if existing else [])
