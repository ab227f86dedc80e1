"""Readable text: an HTML page's prose or a plain-text file, as normalised UTF-8 book text."""

import logging
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from kg.english import (
    ORDINAL_TEENS,
    ORDINAL_TENS,
    ORDINAL_UNITS,
    TEENS,
    TENS,
    UNITS,
)
from kg.errors import InputError

if TYPE_CHECKING:
    from bs4.element import Tag

log = logging.getLogger(__name__)

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_INVISIBLE_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "iframe", "svg", "button"}
)
_NOT_PROSE = ", ".join(
    (
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "figure",
        "sup.reference",
        ".mw-editsection",
        "#toc",
        ".toc",
        ".navbox",
    )
)
_PROSE_ROOTS = ("div.mw-parser-output", "article", "main", "[role=main]", "body")
_WORD_VALUES = {
    **{w: n for n, w in enumerate((*UNITS, *TEENS), start=1)},
    **{w: n for n, w in enumerate((*ORDINAL_UNITS, *ORDINAL_TEENS), start=1)},
    **{w: 20 + 10 * n for n, w in enumerate(TENS)},
    **{w: 20 + 10 * n for n, w in enumerate(ORDINAL_TENS)},
}
_ROMAN = re.compile(r"(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line breaks: XML (GraphML) cannot hold them."""


def control_character(value: str) -> str | None:
    """The first control character in value (tab and line breaks aside) as "U+0001", or None."""
    found = _CONTROL.search(value)
    return f"U+{ord(found.group()):04X}" if found else None


def strip_controls(value: str) -> str:
    """value without its control characters (tab and line breaks aside)."""
    return _CONTROL.sub("", value)


def blocks(element: "Tag") -> list[list[str]]:
    """The visible text of an element as blocks (paragraphs, list items) of lines (split at <br>).

    Whitespace inside a line is collapsed except in <pre>; empty lines and blocks are dropped.
    """
    from bs4.element import NavigableString, PreformattedString, Tag  # only HTML needs bs4

    out: list[list[str]] = [[]]
    line: list[str] = []

    def end_line() -> None:
        text = strip_controls("".join(line)).strip()
        if text:
            out[-1].append(text)
        line.clear()

    def end_block() -> None:
        end_line()
        if out[-1]:
            out.append([])

    def walk(node: "Tag") -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    line.append(re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag) and child.name not in _INVISIBLE_TAGS:
                if child.name == "br":
                    end_line()
                elif child.name == "pre":
                    end_block()
                    for paragraph in re.split(r"\n\s*\n", child.get_text()):
                        out[-1].extend(raw.rstrip() for raw in paragraph.split("\n") if raw.strip())
                        end_block()
                elif child.name in _BLOCK_TAGS:
                    end_block()
                    walk(child)
                    end_block()
                else:
                    if child.name in ("td", "th"):
                        line.append(" ")
                    walk(child)

    walk(element)
    end_block()
    return [b for b in out if b]


def html_to_text(html: str | bytes) -> str:
    """The readable text of an HTML page: its main prose, one paragraph per block, normalised."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    root = next((r for r in map(soup.select_one, _PROSE_ROOTS) if r is not None), soup)
    for junk in root.select(_NOT_PROSE):
        junk.decompose()
    return normalise("\n\n".join("\n".join(b) for b in blocks(root)))


def decode(data: bytes, source: str) -> str:
    """Decode a text file: by its BOM, as UTF-8 if it decodes, else as Windows-1252 (logged).

    InputError if the text contradicts its BOM.
    """
    for bom, encoding, name in (
        (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
        (b"\xff\xfe", "utf-16", "UTF-16"),
        (b"\xfe\xff", "utf-16", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as e:
                raise InputError(
                    f"{source}: not {name} text despite its byte-order mark (byte {e.start})"
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("%s: not UTF-8; read as Windows-1252", source)
        return data.decode("cp1252", errors="replace")


def normalise(text: str) -> str:
    """Normalise book text: NFC, "\\n" line ends, no BOM, soft hyphens or no-break spaces,
    no trailing blanks, at most one empty line in a row, one final newline."""
    text = unicodedata.normalize("NFC", text.lstrip("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    text = text.replace("\u00a0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def read_local(path: Path) -> str:
    """A local book: one file (HTML or plain text) or a folder of them joined in natural order."""
    if path.is_dir():
        files = sorted(
            (p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")),
            key=_natural_key,
        )
        if not files:
            raise InputError(f"{path}: folder has no files")
        return normalise("\n\n".join(read_local(p) for p in files))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if path.suffix.lower() in HTML_SUFFIXES:
        return html_to_text(data)
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: binary file, not text")
    return normalise(decode(data, str(path)))


def numeral(token: str) -> int | None:
    """The value of a number as headings write it: "12", "XII", "twelve", "Twenty-One",
    "twenty first", "Twelfth"; None if `token` is none of these."""
    token = token.strip().lower()
    if token.isdigit():
        return int(token)
    if _ROMAN.fullmatch(token):
        values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
        digits = [values[c] for c in token]
        return sum(-d if d < nxt else d for d, nxt in zip(digits, [*digits[1:], 0], strict=True))
    tens, _, unit = token.replace(" ", "-").partition("-")
    if not unit:
        return _WORD_VALUES.get(tens)
    if tens in TENS and (unit in UNITS or unit in ORDINAL_UNITS):
        return _WORD_VALUES[tens] + _WORD_VALUES[unit]
    return None


def _natural_key(path: Path) -> list[int | str]:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]
