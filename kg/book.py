"""BOOK.txt -> Book: the text exactly as read and its chapters, found by a heading pattern."""

import logging
import re
from pathlib import Path

from kg.errors import InputError
from kg.files import read_bytes
from kg.records import Book, Chapter

log = logging.getLogger(__name__)

_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ORDINAL_UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
_ORDINAL_TEENS = (
    "tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth"
    "|eighteenth|nineteenth"
)
_ORDINAL_TENS = "twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth"
_NUMBER = (
    rf"\d+|[IVXLCDM]+|(?i:(?:{_TENS})(?:[- ](?:{_UNITS}))?|{_TEENS}|{_UNITS})"
    rf"|(?i:the[ \t]+(?:(?:{_TENS})[- ](?:{_ORDINAL_UNITS})|{_ORDINAL_TENS}|{_ORDINAL_TEENS}"
    rf"|{_ORDINAL_UNITS}))"
)
HEADING = (
    r"^(?:\A\ufeff?|(?<=\n\n)|(?<=\n\r\n)|(?=[ \t]*[A-Z]{2}))"
    rf"[ \t]*(?:(?:CHAPTER|Chapter)[ \t]+(?:{_NUMBER})\b"
    r"|(?:PROLOGUE|Prologue|EPILOGUE|Epilogue)(?=[ \t]*(?:[.:\-\u2013\u2014]|$)))"
    r"[ \t]*[.:\-\u2013\u2014]?"
)
"""Default chapter heading: "CHAPTER ONE", "Chapter 1", "CHAPTER XII", "Chapter 2: Title",
"Chapter the First", "Prologue", at the start of a line (the text may follow on that line);
"Chapter" in lower case must follow a blank line, so a wrapped line of prose is no heading."""

_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "into",
        "nor",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)
_MAX_TITLE = 80
_NOT_TITLE_END = ".,;:\"')\u201d\u2019"


def read_book(path: Path, heading: str | None = None) -> Book:
    """Read a UTF-8 book and split it into chapters at lines matching `heading` (a regex).

    The title is the file's stem. A book without headings is one chapter. Raises InputError
    for a missing, empty, binary or non-UTF-8 file, or one without letters.
    """
    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: the book is empty")
    if (nul := data.find(b"\x00")) >= 0:
        raise InputError(f"{path}: binary file, not text (NUL byte at offset {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (invalid byte at offset {e.start})") from None
    if not any(c.isalpha() for c in text):
        raise InputError(f"{path}: the book has no letters")
    chapters = split_chapters(text, heading, str(path))
    return Book(title=path.stem, text=text, chapters=chapters, source=path.name)


def split_chapters(
    text: str, heading: str | None = None, where: str = "book"
) -> tuple[Chapter, ...]:
    """Chapters of `text`, each spanning from its heading to the next heading.

    A `title` group in `heading` gives the title; otherwise it is the rest of the heading line,
    or the next line when that line stands alone and looks like a title. Text before the
    first heading (title page, front matter) belongs to no chapter.
    """
    try:
        pattern = re.compile(heading or HEADING, re.MULTILINE)
    except re.error as e:
        raise InputError(f"{where}: bad heading pattern {heading!r} ({e})") from None
    matches = [m for m in pattern.finditer(text) if m.end() > m.start()]
    if not matches:
        return (Chapter(1, "", 0, len(text)),)
    front = text[: matches[0].start()]
    if len(front.split()) > 200:
        log.warning(
            "%s: %d words before the first chapter heading are ignored", where, len(front.split())
        )
    ends = [m.start() for m in matches[1:]] + [len(text)]
    return tuple(
        Chapter(number, _title(m, text, end), m.start(), end)
        for number, (m, end) in enumerate(zip(matches, ends, strict=True), start=1)
    )


def _title(match: re.Match[str], text: str, end: int) -> str:
    """The title, from the heading or the lines after it, never past `end` (the next heading)."""
    if "title" in match.re.groupindex:
        return _tidy(match.group("title") or "")
    line_end = text.find("\n", match.end(), end)
    line_end = end if line_end < 0 else line_end
    rest = text[match.end() : line_end].strip()
    if rest:
        return _tidy(_title_in_line(rest))
    lines = [line.strip() for line in text[line_end + 1 : end].split("\n", 4)[:4]]
    if lines and not lines[0]:
        lines = lines[1:]  # one blank line may separate a heading from its title
    if lines and (len(lines) < 2 or not lines[1]) and _looks_like_title(lines[0]):
        return _tidy(lines[0])
    return ""


def _title_in_line(rest: str) -> str:
    """The title part of the text after a heading on the same line ("The Fair  It was...")."""
    if gap := re.search(r"\S(\s{2,}|\t)", rest):
        return rest[: gap.start() + 1]
    words = rest.split()
    caps = 0
    while caps < len(words) and words[caps].isupper() and len(words[caps].strip(".,:;")) > 1:
        caps += 1
    if 0 < caps < len(words):
        return " ".join(words[:caps])
    return rest if _looks_like_title(rest) else ""


def _looks_like_title(line: str) -> bool:
    return 0 < len(line) <= _MAX_TITLE and line[0].isupper() and line[-1] not in _NOT_TITLE_END


def _tidy(title: str) -> str:
    """Collapse whitespace; an all-capitals title becomes title case ("KIT AND THE CAPTAIN")."""
    title = " ".join(title.split())
    if not title.isupper():
        return title
    words = title.lower().split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
