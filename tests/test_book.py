"""read_book: chapters by heading pattern, offsets into the text as read, clear input errors."""

from pathlib import Path

import pytest

from kg.book import HEADING, gutenberg_span, read_book, split_chapters
from kg.discover import discover
from kg.errors import InputError
from kg.records import Book, Chapter


def _write(tmp_path: Path, data: str | bytes, name: str = "novel.txt") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("heading", "title", "number"),
    [
        ("CHAPTER ONE", "", 1),
        ("Chapter 1", "", 1),
        ("CHAPTER XII", "", 12),
        ("Chapter 2: The Vanishing Glass", "The Vanishing Glass", 2),
        ("Chapter 2. The Vanishing Glass", "The Vanishing Glass", 2),
        ("Chapter the First", "", 1),
        ("CHAPTER TWENTY-ONE", "", 21),
        ("Chapter the Twenty-Second", "", 22),
        ("PROLOGUE", "", 1),
    ],
)
def test_default_heading_forms(heading: str, title: str, number: int) -> None:
    text = f"Front matter.\n\n{heading}\n\nIt was a dark night.\n\n{heading}\n\nThe end came.\n"
    chapters = split_chapters(text)
    assert [c.number for c in chapters] == [number, number + 1]  # a repeated number: the next
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
    text = "CHAPTER ONE\nCHAPTER TWO\n\nIt was dark.\n"
    assert [c.title for c in split_chapters(text)] == ["", ""]


def test_heading_sharing_a_line_with_text() -> None:
    text = (
        "CHAPTER FIVE The Fair  It was midsummer, and the town glowed.\n\n"
        "CHAPTER SIX THE FLOOD The river rose in the night.\n\n"
        "CHAPTER SEVEN It rained all the next day, and nobody went out at all.\n"
    )
    chapters = split_chapters(text)
    assert [c.title for c in chapters] == ["The Fair", "The Flood", ""]
    assert "midsummer" in text[chapters[0].start : chapters[0].end]


def test_a_line_ending_in_a_dash_is_not_a_title() -> None:
    text = "CHAPTER VII\n\nOn my return, I found this letter from my father:\u2014\n\nText.\n"
    assert split_chapters(text)[0].title == ""


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


GUTENBERG_HEADER = """\ufeffThe Project Gutenberg EBook of The Tide Clock, by Wren Ashby

This eBook is for the use of anyone anywhere at no cost and with almost no
restrictions whatsoever. You may copy it, give it away or re-use it under
the terms of the Project Gutenberg License included with this eBook.

Title: The Tide Clock

Author: Wren Ashby

*** START OF THIS PROJECT GUTENBERG EBOOK THE TIDE CLOCK ***




Produced by Nell Pryor and the Online Proofing Circle.



THE TIDE CLOCK

by Wren Ashby


"""
STORY = """CHAPTER I.

Hester Vane wound the tide clock every morning, and Jory Penhale watched her.

CHAPTER II.

The clock stopped on the day the boats came home, and Hester laughed.
"""
GUTENBERG_FOOTER = """



End of the Project Gutenberg EBook of The Tide Clock, by Wren Ashby

*** END OF THIS PROJECT GUTENBERG EBOOK THE TIDE CLOCK ***

***** This file should be named 99999.txt *****

Produced by Nell Pryor and the Online Proofing Circle.

*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE
PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK

Section 1. General Terms of Use and Redistributing Project Gutenberg-tm
electronic works. Professor Michael Hart was the originator of the
Project Gutenberg-tm concept.

CHAPTER 3. Not a chapter of the book, only licence text.
"""


def test_gutenberg_header_and_licence_are_cut_off(tmp_path: Path) -> None:
    raw = GUTENBERG_HEADER + STORY + GUTENBERG_FOOTER
    book = read_book(_write(tmp_path, raw, "tide.txt"))
    assert book.text == raw
    assert book.gutenberg is not None
    start, end = book.gutenberg
    assert raw[start:end].startswith("THE TIDE CLOCK\n")
    assert raw[start:end].endswith("Hester laughed.")
    assert [(c.number, c.start) for c in book.chapters] == [
        (1, raw.index("CHAPTER I.")),
        (2, raw.index("CHAPTER II.")),
    ]
    assert book.chapters[-1].end == end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (
            "***START OF THE PROJECT GUTENBERG EBOOK THE TIDE CLOCK***",
            "End of Project Gutenberg's The Tide Clock, by Wren Ashby",
        ),
        (
            "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*",
            "End of The Project Gutenberg Etext of The Tide Clock",
        ),
        (
            "*END THE SMALL PRINT! FOR PUBLIC DOMAIN EBOOKS*Ver.02/11/02*END*",
            "End of this Project Gutenberg Etext of The Tide Clock",
        ),
        (
            "*** START OF THE PROJECT GUTENBERG EBOOK THE TIDE CLOCK ***",
            "*** END OF THE PROJECT GUTENBERG EBOOK THE TIDE CLOCK ***",
        ),
    ],
)
def test_older_gutenberg_markers(start: str, end: str) -> None:
    text = f"Header and small print.\n\n{start}\n\n{STORY}\n\n{end}\n\nLicence.\n"
    span = gutenberg_span(text)
    assert span is not None
    assert text[span[0] : span[1]] == STORY.strip()


def test_an_old_small_print_after_the_book_is_licence_not_a_start() -> None:
    text = f"{STORY}\nEnd of Project Gutenberg's The Tide Clock\n\n*END*THE SMALL PRINT! ...\n"
    assert gutenberg_span(text) == (0, len(STORY.rstrip()))


def test_a_book_without_gutenberg_markers_is_not_cut() -> None:
    text = "A story that mentions the Project Gutenberg once.\n\n" + STORY
    assert gutenberg_span(text) is None
    assert split_chapters(text)[-1].end == len(text)


def test_a_contents_list_is_no_chapter() -> None:
    contents = "CONTENTS\n\nChapter 1\n\nChapter 2\n\nChapter 3\n\n\n"
    body = (
        "Chapter 1\n\nThe ferry left at dawn with Ada Quill aboard, as it always did.\n\n"
        "Chapter 2\n\nThe ferry came back at noon without her.\n\n"
        "Chapter 3\n\nNobody asked where she had gone.\n"
    )
    text = contents + body
    chapters = split_chapters(text)
    assert [c.number for c in chapters] == [1, 2, 3]
    assert chapters[0].start == len(contents)


def test_a_contents_list_with_titles_before_front_matter() -> None:
    contents = "CONTENTS\n\nCHAPTER I. The Ferry\nCHAPTER II. The Weir\nCHAPTER III. Home Water\n\n"
    preface = "PREFACE\n\n" + "The author thanks the river for its patience. " * 20 + "\n\n"
    body = (
        "CHAPTER I. The Ferry\n\nAda Quill took the ferry.\n\n"
        "CHAPTER II. The Weir\n\nThe weir was high.\n\n"
        "CHAPTER III. Home Water\n\nShe came home.\n"
    )
    chapters = split_chapters(contents + preface + body)
    assert [(c.number, c.title) for c in chapters] == [
        (1, "The Ferry"),
        (2, "The Weir"),
        (3, "Home Water"),
    ]
    assert chapters[0].start == len(contents + preface)


def test_a_contents_list_of_lines_without_blank_lines_between() -> None:
    contents = "Contents\n\n  Chapter I.\n  Chapter II.  The Weir\n  Chapter III.\n\n\n"
    body = "".join(
        f"Chapter {n}.\n\nThe river ran on past the weir and the mill, as it always had.\n\n"
        for n in ("I", "II", "III")
    )
    chapters = split_chapters(contents + body)
    assert [c.number for c in chapters] == [1, 2, 3]
    assert chapters[0].start == len(contents)


def test_short_chapters_that_are_not_repeated_are_not_contents() -> None:
    text = "CHAPTER ONE\n\nShort.\n\nCHAPTER TWO\n\nAlso short.\n\nCHAPTER THREE\n\nEnd.\n"
    assert [c.number for c in split_chapters(text)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("headings", "numbers"),
    [
        (["Chapter 1", "Chapter 2", "Chapter 5"], [1, 2, 5]),
        (["CHAPTER XII", "CHAPTER XIII", "CHAPTER XIV"], [12, 13, 14]),
        (["Chapter Nine", "Chapter Ten", "Chapter Twenty-One"], [9, 10, 21]),
        (["Chapter the First", "Chapter the Second", "Chapter the Twenty-Second"], [1, 2, 22]),
        (["Chapter 1", "Chapter 2", "Epilogue"], [1, 2, 3]),
        (["CHAPTER I", "CHAPTER II", "CHAPTER I", "CHAPTER II", "CHAPTER III"], [1, 2, 3, 4, 5]),
        (["CHAPTER I", "CHAPTER II", "CHAPTER III", "CHAPTER I", "CHAPTER V"], [1, 2, 3, 4, 5]),
    ],
)
def test_chapters_follow_the_books_numbering_unique_and_increasing(
    headings: list[str], numbers: list[int]
) -> None:
    prose = "The river rose and the ferry ran on, as rivers and ferries do. " * 4
    text = "".join(f"{heading}\n\n{prose}\n\n" for heading in headings)
    assert [c.number for c in split_chapters(text)] == numbers


@pytest.mark.parametrize(
    "opening", [["PROLOGUE"], ["Letter 1", "Letter 2", "Letter 3"], ["Prologue", "Letter One"]]
)
def test_headings_of_another_kind_before_chapter_1_open_it(opening: list[str]) -> None:
    prose = "The ice closed round the ship, and the captain wrote to his sister. " * 4
    headings = [*opening, *(f"Chapter {n}" for n in range(1, 5)), "Epilogue"]
    text = "Title page.\n\n" + "".join(f"{h}\n\n{prose}\n\n" for h in headings)
    chapters = split_chapters(text)
    assert [c.number for c in chapters] == [1, 2, 3, 4, 5]
    assert chapters[0].start == text.index(opening[0])
    assert chapters[1].start == text.index("Chapter 2")


def test_a_custom_heading_gives_its_number_too() -> None:
    text = "### Part 3 — Arrival\nText one.\n### Part 4 — Departure\nText two.\n"
    chapters = split_chapters(text, r"^### Part \d+ — (?P<title>.+)$")
    assert [(c.number, c.title) for c in chapters] == [(3, "Arrival"), (4, "Departure")]


def test_story_collection_headings_are_chapters() -> None:
    text = (
        "THE CASEBOOK OF NELL PRYOR\n\nContents\n\n   I.   The Drowned Bell\n"
        "   II.  The Ninth Lantern\n\n"
        "ADVENTURE I. THE DROWNED BELL\n\nI.\n\nNell Pryor heard the bell at midnight.\n\n"
        "II.\n\nBy morning she knew whose it was.\n\n"
        "ADVENTURE II. THE NINTH LANTERN\n\nEight lanterns hung on the quay.\n"
    )
    chapters = split_chapters(text)
    assert [(c.number, c.title) for c in chapters] == [
        (1, "The Drowned Bell"),
        (2, "The Ninth Lantern"),
    ]
    roman = text.replace("ADVENTURE I. ", "I. ").replace("ADVENTURE II. ", "II.")
    assert [(c.number, c.title) for c in split_chapters(roman)] == [
        (1, "The Drowned Bell"),
        (2, "The Ninth Lantern"),
    ]


def test_bare_roman_numbers_are_chapters_only_in_a_book_without_other_headings() -> None:
    prose = "The harbour lights went out one by one, and Nell walked home.\n\n"
    text = "THE HARBOUR\n\nI\n\n" + prose + "II.\n\n" + prose + "  III\n\n" + prose
    chapters = split_chapters(text)
    assert [(c.number, c.start) for c in chapters] == [
        (1, text.index("I\n")),
        (2, text.index("II.")),
        (3, text.index("  III")),
    ]
    wrapped = "So it ended, said\nI\n\nand went home.\n"  # a line of prose, not after a blank
    assert split_chapters(wrapped) == (Chapter(1, "", 0, len(wrapped)),)


def test_a_long_book_without_headings_warns_and_names_heading(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = "The ferry ran on and on. " * 5000
    (only,) = split_chapters(text, where="long.txt")
    assert (only.start, only.end) == (0, len(text))
    assert "long.txt: no chapter headings found" in caplog.text
    assert "--heading" in caplog.text
    caplog.clear()
    split_chapters("PROLOGUE\n\n" + text, where="long.txt")
    assert "long.txt: one chapter heading found" in caplog.text and "--heading" in caplog.text
    caplog.clear()
    split_chapters("The ferry ran on. " * 100)
    split_chapters("CHAPTER I\n\n" + text + "\n\nCHAPTER II\n\nThe end.\n")
    assert caplog.text == ""


def test_discovery_reads_only_the_chapters_of_a_gutenberg_file(tmp_path: Path) -> None:
    raw = GUTENBERG_HEADER + STORY + GUTENBERG_FOOTER
    found = {c.name for c in discover(read_book(_write(tmp_path, raw)), ner=False)}
    assert "Hester Vane" in found
    licence = {"Professor Michael Hart", "Nell Pryor", "Wren Ashby", "General Terms"}
    assert not found & licence
    assert licence & {c.name for c in discover(Book("b", raw, ()), ner=False)}  # the whole file
