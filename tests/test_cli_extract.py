"""`kg extract` through typer's CliRunner: outputs, reruns, and every bad input of issue 3."""

import csv
import json
from pathlib import Path

import pytest
from conftest import one_error_line, write_inputs
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

BOOK = """\
CHAPTER ONE
The Loft

Mr. Quill mended nets with Ron. Uncle Vernon watched from the door, and Ron's
dog barked at Professor
MacTavish.

CHAPTER TWO

Ron and Uncle Vernon rowed out. "Quill!" called Professor MacTavish.
"""

CHARACTERS = [
    {"name": "Harold Quill", "gender": "male", "family": [{"person": "M", "type": "wife"}]},
    {"name": "Ronald Quill", "gender": "male"},
    {"name": "Vernon Quill", "aliases": ["Uncle Vernon"], "gender": "male"},
    {"name": "Ewan MacTavish", "first_chapter": 1},
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write_inputs(tmp_path, "quills.txt", BOOK, CHARACTERS)


def _run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["extract", *map(str, args)])
    return result.exit_code, result.output


def test_extract_writes_outdir_and_says_so(files: tuple[Path, Path], tmp_path: Path) -> None:
    book, characters = files
    out = tmp_path / "out"
    code, output = _run("--book", book, "--characters", characters, "--out", out)
    assert code == 0, output
    assert output.strip() == (
        f"Found 9 mentions of 4 characters in 2 chapters, 4 interacting pairs; wrote {out}."
    )
    mentions = (out / "mentions.csv").read_text(encoding="utf-8").splitlines()
    ron, vernon = BOOK.index("Ron."), BOOK.index("Uncle Vernon")
    assert mentions[1:4] == [
        "1,22,31,Mr. Quill,Harold Quill,name",
        f"1,{ron},{ron + 3},Ron,Ronald Quill,name",
        f"1,{vernon},{vernon + 12},Uncle Vernon,Vernon Quill,name",
    ]
    assert '"Professor\nMacTavish",Ewan MacTavish,name' in (out / "mentions.csv").read_text("utf-8")
    meta = json.loads((out / "book.json").read_text(encoding="utf-8"))
    assert (meta["source"], meta["characters_file"], meta["window"]) == (
        "quills.txt",
        "chars.jsonl",
        14,
    )


def test_rerun_gives_identical_files(files: tuple[Path, Path], tmp_path: Path) -> None:
    book, characters = files
    outputs = []
    for name in ("a", "b"):
        code, output = _run("--book", book, "--characters", characters, "--out", tmp_path / name)
        assert code == 0, output
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 7


def test_options_window_heading_overrides_nicknames_caps(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    book, characters = files
    overrides = tmp_path / "overrides.csv"
    overrides.write_text("surface,chapter,character\nQuill,2,Harold Quill\n", encoding="utf-8")
    nicknames = tmp_path / "nicknames.csv"
    nicknames.write_text("name,nickname\nEwan,Professor MacT\n", encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run(
        *("--book", book, "--characters", characters, "--out", out, "--window", "3"),
        *("--heading", r"^CHAPTER (?P<title>\w+)$", "--overrides", overrides),
        *("--nicknames", nicknames, "--caps"),
    )
    assert code == 0, output
    assert "Quill,Harold Quill" in (out / "mentions.csv").read_text(encoding="utf-8")
    assert "Ron,Ronald Quill" not in (out / "mentions.csv").read_text(encoding="utf-8")
    chapters = (out / "chapters.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1] for line in chapters[1:]] == ["One", "Two"]
    assert json.loads((out / "book.json").read_text(encoding="utf-8"))["window"] == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the book is empty"),
        (b"12 34 !!\n", "the book has no letters"),
        (b"PK\x03\x04\x00\x00zip", "binary file, not text (NUL byte at offset 4)"),
        (b"Caf\xe9 noir", "not UTF-8 text (invalid byte at offset 3)"),
    ],
)
def test_bad_books(files: tuple[Path, Path], tmp_path: Path, content: bytes, message: str) -> None:
    _, characters = files
    book = tmp_path / "bad.txt"
    book.write_bytes(content)
    out = tmp_path / "out"
    code, output = _run("--book", book, "--characters", characters, "--out", out)
    assert code == 1
    assert one_error_line(output) == f"Error: {book}: {message}"
    assert not out.exists()


def test_missing_book(files: tuple[Path, Path], tmp_path: Path) -> None:
    _, characters = files
    code, output = _run(
        "--book", tmp_path / "nope.txt", "--characters", characters, "--out", tmp_path / "o"
    )
    assert code == 1
    assert one_error_line(output).endswith("nope.txt: no such file")


def test_characters_file_with_an_empty_name_is_refused(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    book, _ = files
    characters = tmp_path / "bad.jsonl"
    characters.write_text('{"name": "Ron Quill"}\n{"name": "  "}\n', encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run("--book", book, "--characters", characters, "--out", out)
    assert code == 1
    line = one_error_line(output)
    assert line.startswith(f"Error: {characters}:2:") and "empty" in line
    assert not out.exists()


def test_duplicate_characters_are_merged_and_reported(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    book, _ = files
    characters = tmp_path / "dupes.jsonl"
    characters.write_text(
        '{"name": "Ronald Quill"}\n{"name": "Ronald Quill", "aliases": ["Ronnie"]}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code, output = _run("--book", book, "--characters", characters, "--out", out)
    assert code == 0, output
    assert "duplicate character 'Ronald Quill' merged" in output
    saved = (out / "characters.jsonl").read_text(encoding="utf-8").splitlines()
    # the only Quill listed, so the book's "Mr. Quill" tells kg his gender
    assert [json.loads(line) for line in saved] == [
        {
            "name": "Ronald Quill",
            "aliases": ["Ronnie"],
            "gender": "male",
            "gender_source": "inferred:book-title",
        }
    ]


def test_unwritable_outdir_writes_nothing(files: tuple[Path, Path], tmp_path: Path) -> None:
    book, characters = files
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    for out in (blocker, blocker / "out"):
        code, output = _run("--book", book, "--characters", characters, "--out", out)
        assert code == 1
        assert one_error_line(output).startswith(f"Error: {out}:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chars.jsonl", "plain-file", "quills.txt"]


@pytest.mark.parametrize(
    ("option", "content", "message"),
    [
        ("--overrides", "surface,character\nRon,Ronald Quill\n", "header must name"),
        ("--overrides", "surface,chapter,character\nRon,two,Ronald Quill\n", ":2: chapter must"),
        ("--overrides", "surface,chapter,character\nRon,,Nobody\n", "not in the character list"),
        ("--nicknames", "name\nRonald\n", "header must name"),
    ],
)
def test_bad_side_files(
    files: tuple[Path, Path], tmp_path: Path, option: str, content: str, message: str
) -> None:
    book, characters = files
    side = tmp_path / "side.csv"
    side.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    code, output = _run("--book", book, "--characters", characters, "--out", out, option, side)
    assert code == 1
    assert message in one_error_line(output)
    assert not out.exists()


def test_bad_heading_and_window(files: tuple[Path, Path], tmp_path: Path) -> None:
    book, characters = files
    code, output = _run(
        "--book", book, "--characters", characters, "--out", tmp_path / "o", "--heading", "(["
    )
    assert code == 1
    assert "bad heading pattern" in one_error_line(output)
    code, output = _run(
        "--book", book, "--characters", characters, "--out", tmp_path / "o", "--window", "0"
    )
    assert code == 2
    assert "--window" in one_error_line(output)


def test_help_lists_every_option() -> None:
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0
    for option in (
        "--book",
        "--characters",
        "--out",
        "--window",
        "--model",
        "--heading",
        "--overrides",
        "--nicknames",
        "--caps",
    ):
        assert option in result.output


GUTENBERG = """\
The Project Gutenberg EBook of The Loft, by Nell Pryor

This eBook is for the use of anyone anywhere at no cost. Michael Hart
began Project Gutenberg; Ron Quill typed this header.

*** START OF THIS PROJECT GUTENBERG EBOOK THE LOFT ***

Produced by Ada Marsh.

{book}
End of the Project Gutenberg EBook of The Loft, by Nell Pryor

*** END OF THIS PROJECT GUTENBERG EBOOK THE LOFT ***

Section 1. Michael Hart and Ron Quill agree to the licence.

CHAPTER THREE

Michael Hart and Ron Quill, again, in the licence.
"""


def test_a_gutenberg_header_and_licence_are_cut_off_and_said_once(tmp_path: Path) -> None:
    text = GUTENBERG.format(book=BOOK)
    book = tmp_path / "loft.txt"
    book.write_text(text, encoding="utf-8")
    characters = tmp_path / "chars.jsonl"
    listed = [*CHARACTERS, {"name": "Michael Hart"}]
    characters.write_text("".join(json.dumps(c) + "\n" for c in listed), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", "--book", book, "--characters", characters, "-o", out])
    assert result.exit_code == 0, result.output
    start, end = text.index("CHAPTER ONE"), text.index(BOOK) + len(BOOK.rstrip())
    first, last = text.count("\n", 0, start) + 1, text.count("\n", 0, end) + 1
    assert (first, last, text.count("\n")) == (10, 19, 29)
    assert result.stderr == (
        "loft.txt: read lines 10-19 of 29 as the book; the Project"
        " Gutenberg header and licence around them are cut off (book.json: gutenberg).\n"
    )
    assert result.stdout.startswith("Found 9 mentions of 4 characters in 2 chapters")
    meta = json.loads((out / "book.json").read_text(encoding="utf-8"))
    assert meta["gutenberg"] == {"start": start, "end": end}
    with (out / "mentions.csv").open(encoding="utf-8", newline="") as f:
        mentions = list(csv.DictReader(f))
    assert len(mentions) == 9
    assert all(start <= int(m["start"]) < end for m in mentions)
    with (out / "chapters.csv").open(encoding="utf-8", newline="") as f:
        chapters = [(int(c["number"]), int(c["start"]), int(c["end"])) for c in csv.DictReader(f)]
    assert chapters == [(1, start, text.index("CHAPTER TWO")), (2, text.index("CHAPTER TWO"), end)]
