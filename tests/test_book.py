"""read_book: chapters by heading pattern, offsets into the text as read, clear input errors."""

from pathlib import Path

import pytest

from kg.book import HEADING, read_book, split_chapters
from kg.errors import InputError


def _write(tmp_path: Path, data: str | bytes, name: str = "novel.txt") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("CHAPTER ONE", ""),
        ("Chapter 1", ""),
        ("CHAPTER XII", ""),
        ("Chapter 2: The Vanishing Glass", "The Vanishing Glass"),
        ("Chapter 2. The Vanishing Glass", "The Vanishing Glass"),
        ("Chapter the First", ""),
        ("CHAPTER TWENTY-ONE", ""),
        ("Chapter the Twenty-Second", ""),
        ("PROLOGUE", ""),
    ],
)
def test_default_heading_forms(heading: str, title: str) -> None:
    text = f"Front matter.\n\n{heading}\n\nIt was a dark night.\n\n{heading}\n\nThe end came.\n"
    chapters = split_chapters(text)
    assert [c.number for c in chapters] == [1, 2]
    assert [c.title for c in chapters] == [title, title]
    first, second = chapters
    assert text[first.start :].startswith(heading)
    assert first.end == second.start
    assert second.end == len(text)
    assert "dark night" in text[first.start : first.end]


def test_title_on_the_next_line_and_all_capitals_title_case() -> None:
    text = (
        "CHAPTER ONE\nThe Boy Who Lived\n\nText.\n\n"
        "Chapter Six\nKIT AND THE GREY CAPTAIN\n\nMore.\n"
    )
    assert [c.title for c in split_chapters(text)] == [
        "The Boy Who Lived",
        "Kit and the Grey Captain",
    ]


def test_a_title_is_never_the_next_heading() -> None:
    text = "CONTENTS\n\nCHAPTER ONE\nCHAPTER TWO\n\nCHAPTER ONE\n\nIt was dark.\n"
    assert [c.title for c in split_chapters(text)] == ["", "", ""]


def test_heading_sharing_a_line_with_text() -> None:
    text = (
        "CHAPTER FIVE The Fair  It was midsummer, and the town glowed.\n\n"
        "CHAPTER SIX THE FLOOD The river rose in the night.\n\n"
        "CHAPTER SEVEN It rained all the next day, and nobody went out at all.\n"
    )
    chapters = split_chapters(text)
    assert [c.title for c in chapters] == ["The Fair", "The Flood", ""]
    assert "midsummer" in text[chapters[0].start : chapters[0].end]


def test_a_wrapped_paragraph_after_a_bare_heading_is_not_a_title() -> None:
    text = "CHAPTER III\n\nOn Saturday the tide was low at noon, and Toby told\nhis mother.\n"
    assert split_chapters(text)[0].title == ""


def test_no_headings_is_one_chapter() -> None:
    text = "Just a story without chapters.\nTwo lines.\n"
    assert split_chapters(text) == split_chapters(text, HEADING)
    (only,) = split_chapters(text)
    assert (only.number, only.title, only.start, only.end) == (1, "", 0, len(text))


def test_prose_mentioning_a_chapter_is_not_a_heading() -> None:
    text = (
        "CHAPTER ONE\n\nShe read chapter one twice, then Chapter\n7 of the other book, then\n"
        "Chapter 9 of a third.\nCHAPTER TWO\nThe end.\n"
    )
    chapters = split_chapters(text)
    assert len(chapters) == 2
    assert text[chapters[1].start :].startswith("CHAPTER TWO")


def test_custom_heading_with_a_title_group() -> None:
    text = "Front.\n### Part 1 — Arrival\nText one.\n### Part 2 — Departure\nText two.\n"
    chapters = split_chapters(text, r"^### Part \d+ — (?P<title>.+)$")
    assert [c.title for c in chapters] == ["Arrival", "Departure"]
    assert text[chapters[1].start : chapters[1].end] == "### Part 2 — Departure\nText two.\n"


def test_bad_heading_pattern_is_an_input_error() -> None:
    with pytest.raises(InputError, match="bad heading pattern"):
        split_chapters("CHAPTER ONE\nText.\n", "(unclosed")


def test_offsets_are_into_the_text_as_read_without_newline_translation(tmp_path: Path) -> None:
    raw = "Title page\r\n\r\nCHAPTER ONE\r\nThe Start\r\n\r\nWords “here”.\r\n"
    book = read_book(_write(tmp_path, raw, "the-book.txt"))
    assert book.text == raw
    assert (book.title, book.source) == ("the-book", "the-book.txt")
    (chapter,) = book.chapters
    assert chapter.title == "The Start"
    assert book.chapter_text(chapter) == raw[raw.index("CHAPTER") :]


def test_a_byte_order_mark_before_the_first_heading(tmp_path: Path) -> None:
    book = read_book(_write(tmp_path, "\ufeffCHAPTER ONE\n\nText.\n\nCHAPTER TWO\n\nMore.\n"))
    assert [c.start for c in book.chapters] == [0, book.text.index("CHAPTER TWO")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the book is empty"),
        (b"  \n\n\t ", "the book is empty"),
        (b"1234 5678\n-- !!\n", "the book has no letters"),
        (b"GIF89a\x00\x01binary", "binary file, not text (NUL byte at offset 6)"),
        ("Café au lait".encode("latin-1"), "not UTF-8 text (invalid byte at offset 3)"),
    ],
)
def test_unusable_books_are_one_line_errors_naming_the_file(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        read_book(path)
    assert str(caught.value) == f"{path}: {message}"


def test_missing_book_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_book(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_book(tmp_path)
