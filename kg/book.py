"""BOOK.txt -> Book: the text exactly as read and its chapters, found by a heading pattern."""

import logging
import re
from collections import Counter
from pathlib import Path

from kg.english import (
    ORDINAL_TEENS,
    ORDINAL_TENS,
    ORDINAL_UNITS,
    TEENS,
    TENS,
    TITLE_SMALL_WORDS,
    UNITS,
)
from kg.errors import InputError
from kg.files import read_bytes
from kg.records import Book, Chapter
from kg.text import numeral

log = logging.getLogger(__name__)

_NUMBER = (
    rf"\d+|[IVXLCDM]+|(?i:(?:{'|'.join(TENS)})(?:[- ](?:{'|'.join(UNITS)}))?"
    rf"|{'|'.join(TEENS)}|{'|'.join(UNITS)})"
    rf"|(?i:the[ \t]+(?:(?:{'|'.join(TENS)})[- ](?:{'|'.join(ORDINAL_UNITS)})"
    rf"|{'|'.join(ORDINAL_TENS)}|{'|'.join(ORDINAL_TEENS)}|{'|'.join(ORDINAL_UNITS)}))"
)
HEADING = (
    r"^(?:\A\ufeff?|(?<=\n\n)|(?<=\n\r\n)|(?=[ \t]*[A-Z]{2}))"
    r"[ \t]*(?:(?:CHAPTER|Chapter|LETTER|Letter|ADVENTURE|Adventure|STORY|Story)[ \t]+"
    rf"(?P<number>{_NUMBER})\b"
    r"|(?:PROLOGUE|Prologue|EPILOGUE|Epilogue)(?=[ \t]*(?:[.:\-\u2013\u2014]|$))"
    r"|(?P<roman>[IVXLC]+)\.(?=[ \t]*[^a-z\n]*[A-Z]{2}[^a-z\n]*$)"
    r"|(?:(?<=\n\n)|(?<=\n\r\n))[ \t]*(?P<bare>[IVXLC]+)\.?(?=[ \t]*\r?\n[ \t]*\r?\n))"
    r"[ \t]*[.:\-\u2013\u2014]?"
)
"""Default chapter heading: "CHAPTER ONE", "Chapter 1", "CHAPTER XII", "Chapter 2: Title",
"Chapter the First", "Letter 4", "Prologue", at the start of a line (the text may follow on
that line);
"Chapter" in lower case must follow a blank line, so a wrapped line of prose is no heading.
A story collection's "ADVENTURE I. A SCANDAL IN BOHEMIA" and "II. THE RED-HEADED LEAGUE"
(a Roman number and a title in capitals, alone on its line) are headings too, and so is a
Roman number alone between blank lines ("IV.") when the book has no other headings (else it
numbers sections inside a chapter or story)."""
GUTENBERG_START = re.compile(
    r"^[ \t]*(?:\*{3}[ \t]*START[ \t]+OF[ \t]+(?:THE|THIS)[ \t]+PROJECT[ \t]+GUTENBERG"
    r"|\*END\*?[ \t]*THE[ \t]+SMALL[ \t]+PRINT!).*$",
    re.MULTILINE | re.IGNORECASE,
)
"""The line after which a Project Gutenberg file's book begins (its header ends)."""
GUTENBERG_END = re.compile(
    r"^[ \t]*(?:\*{3}[ \t]*END[ \t]+OF[ \t]+(?:THE|THIS)[ \t]+PROJECT[ \t]+GUTENBERG"
    r"|End[ \t]+of[ \t]+(?:the[ \t]+|this[ \t]+)?Project[ \t]+Gutenberg\b)",
    re.MULTILINE | re.IGNORECASE,
)
"""The line before which a Project Gutenberg file's book ends (its footer and licence begin)."""
_CREDITS = re.compile(
    r"\s*(?:Produced|Prepared|Transcribed|Digiti[sz]ed|E-?text|This[ \t]+e-?(?:book|text))\b"
    r"[^\n]*\bby\b[^\n]*(?:\n[^\n]*\S[^\n]*)*",
    re.IGNORECASE,
)
"""The transcribers' credits that follow a Gutenberg header ("Produced by ...")."""
_CONTENTS_WORDS = 40
"""A heading followed by at most this many words before the next one may be a contents entry."""
_LONG_BOOK = 20_000
"""A book of more words than this in one chapter gets a warning naming --heading."""

_MAX_TITLE = 80
_NOT_TITLE_END = ".,;:\"')\u201d\u2019-\u2013\u2014"


def read_book(path: Path, heading: str | None = None) -> Book:
    """Read a UTF-8 book and split it into chapters at lines matching `heading` (a regex).

    The title is the file's stem. A Project Gutenberg header and licence are cut off (see
    `gutenberg_span`). A book without headings is one chapter. Raises InputError for a
    missing, empty, binary or non-UTF-8 file, or one without letters.
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
    gutenberg = gutenberg_span(text)
    chapters = split_chapters(text, heading, str(path), within=gutenberg)
    return Book(
        title=path.stem, text=text, chapters=chapters, source=path.name, gutenberg=gutenberg
    )


def gutenberg_span(text: str) -> tuple[int, int] | None:
    """Where the book lies in a Project Gutenberg file, or None if `text` has no Gutenberg markers.

    The book starts after the "*** START OF THE PROJECT GUTENBERG EBOOK ..." line (or an older
    "*END*THE SMALL PRINT!" line) and the transcribers' credits that follow it ("Produced by
    ..."); it ends before the first "*** END OF THE PROJECT GUTENBERG EBOOK ...", "End of the
    Project Gutenberg EBook of ..." or "End of Project Gutenberg's ..." line after that.
    """
    end_marker = GUTENBERG_END.search(text)
    limit = end_marker.start() if end_marker else len(text)
    starts = list(GUTENBERG_START.finditer(text, 0, limit))  # a START after the book is licence
    start_marker = starts[-1] if starts else None
    start = start_marker.end() if start_marker else 0
    if start_marker is None and end_marker is None:
        return None
    if credits := _CREDITS.match(text, start):
        start = credits.end()
    end = end_marker.start() if end_marker else len(text)
    body = text[start:end]
    start += len(body) - len(body.lstrip())
    return start, max(start, end - (len(body) - len(body.rstrip())))


def split_chapters(
    text: str,
    heading: str | None = None,
    where: str = "book",
    *,
    within: tuple[int, int] | None = None,
) -> tuple[Chapter, ...]:
    """Chapters of `text` (or of its part `within`), each from its heading to the next heading.

    A chapter's number is the one its heading gives (Chapter XII is 12) when it is higher than
    the previous chapter's; otherwise (Prologue, Epilogue, numbering that starts again in a new
    part) it is the previous number + 1. A contents list (headings with next to no text
    between them, repeated later as the real headings) is no chapter. A `title` group in
    `heading` gives the title; otherwise it is the rest of the heading line, or the next line
    when that line stands alone and looks like a title. Text before the first heading (title
    page, front matter) belongs to no chapter.
    """
    try:
        pattern = re.compile(heading or HEADING, re.MULTILINE)
    except re.error as e:
        raise InputError(f"{where}: bad heading pattern {heading!r} ({e})") from None
    start, end = within or (0, len(text))
    matches = [m for m in pattern.finditer(text, start, end) if m.end() > m.start()]
    if not all(map(_bare, matches)):
        matches = [m for m in matches if not _bare(m)]
    matches = _without_contents(text, matches, end)
    if len(matches) <= 1 and len(words := text[start:end].split()) > _LONG_BOOK:
        log.warning(
            "%s: %s, so the whole book (%d words) is one chapter; give --heading REGEX to split it",
            where,
            "one chapter heading found" if matches else "no chapter headings found",
            len(words),
        )
    if not matches:
        return (Chapter(1, "", start, end),)
    front = text[start : matches[0].start()]
    if len(front.split()) > 200:
        log.warning(
            "%s: %d words before the first chapter heading are ignored", where, len(front.split())
        )
    opening = matches[0].start()
    matches = matches[_opening_headings(matches) :]
    ends = [m.start() for m in matches[1:]] + [end]
    numbers: list[int] = []
    for m in matches:
        previous = numbers[-1] if numbers else 0
        own = _heading_number(m)
        numbers.append(own if own is not None and own > previous else previous + 1)
    return tuple(
        Chapter(number, _title(m, text, chapter_end), opening if i == 0 else m.start(), chapter_end)
        for i, (number, m, chapter_end) in enumerate(zip(numbers, matches, ends, strict=True))
    )


def _opening_headings(matches: list[re.Match[str]]) -> int:
    """How many headings open the book before its chapters and belong to chapter 1: those of
    other kinds (a Prologue, "Letter 1".."Letter 4") before the first heading of the kind that
    most headings with a number have ("Chapter")."""
    kinds = [_heading_kind(m) for m in matches]
    numbered = Counter(k for k, m in zip(kinds, matches, strict=True) if _heading_number(m))
    return kinds.index(numbered.most_common(1)[0][0]) if numbered else 0


def _heading_kind(match: re.Match[str]) -> str:
    """A heading's first word unless it is the number ("chapter", "letter", "prologue")."""
    first = next(iter(re.findall(r"[^\W\d_]+", match.group())), "").lower()
    return "" if numeral(first) else first


def _heading_number(match: re.Match[str]) -> int | None:
    """The number a heading gives: its `number` or `roman` group, else its first numeral word
    before any `title` group."""
    for group in ("number", "roman", "bare"):
        if group in match.re.groupindex and match.group(group):
            return numeral(re.sub(r"(?i)^the\s+", "", match.group(group)))
    words = match.group()
    if "title" in match.re.groupindex and match.group("title"):
        words = match.string[match.start() : match.start("title")]
    numbers = (numeral(w) for w in re.findall(r"[^\W_]+(?:-[^\W_]+)?", words))
    return next((n for n in numbers if n), None)


def _bare(match: re.Match[str]) -> bool:
    """Whether a heading is a bare number ("IV."): a chapter only where no other heading is."""
    return "bare" in match.re.groupindex and match.group("bare") is not None


def _heading_key(match: re.Match[str]) -> tuple[str, int | None]:
    """What a contents entry and its chapter's heading share: kind and number."""
    return _heading_kind(match), _heading_number(match)


def _without_contents(text: str, matches: list[re.Match[str]], end: int) -> list[re.Match[str]]:
    """The headings less those of contents lists.

    A contents list runs from a heading up to a later heading of the same kind and number (the
    chapter it lists). It holds two or more entries: headings, or lines under a heading that
    start like it ("Chapter II." right below "Chapter I." is no heading without a blank line
    before it), with at most _CONTENTS_WORDS words per entry; only the last heading before the
    chapter may run on into front matter.
    """
    if not matches:
        return matches
    ends = [m.start() for m in matches[1:]] + [end]
    keys = [_heading_key(m) for m in matches]
    entries = [
        1 + len(re.findall(_entry_line(kind), text[m.end() : e], re.MULTILINE | re.IGNORECASE))
        for m, e, (kind, _) in zip(matches, ends, keys, strict=True)
    ]
    listing = [
        len(text[m.end() : e].split()) <= _CONTENTS_WORDS * n
        for m, e, n in zip(matches, ends, entries, strict=True)
    ]
    kept: list[re.Match[str]] = []
    i = 0
    while i < len(matches):
        repeat = next((j for j in range(i + 1, len(matches)) if keys[j] == keys[i]), i)
        listed = sum(entries[k] for k in range(i, repeat) if listing[k])
        if repeat > i and listing[i] and all(listing[i : repeat - 1]) and listed >= 2:
            i = repeat
        else:
            kept.append(matches[i])
            i += 1
    return kept


def _entry_line(kind: str) -> str:
    """A line that starts like a heading of this kind: "Chapter II.", or "II." for no kind."""
    return rf"^[ \t]*{re.escape(kind)}\b" if kind else r"^[ \t]*(?:[IVXLCDM]+|\d+)\."


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
        w if i and w in TITLE_SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )
