"""Pure parsers for Fandom (MediaWiki) pages: a character index and character infoboxes."""

import logging
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Tag

from kg.records import Character, FamilyTie
from kg.text import blocks

log = logging.getLogger(__name__)

LinkKind = Literal["page", "red", "external"]

FIELDS = ("alias", "family", "loyalty", "house", "blood", "species", "gender", "nationality")
"""The infobox rows read, by their data-source name."""
_NAMESPACES = frozenset(
    {"file", "image", "category", "special", "template", "help", "user", "talk", "media"}
)
_FOOTNOTE = re.compile(r"\[(?:\d+|[a-z]|note \d+|citation needed)\]", re.IGNORECASE)
_NOTE = re.compile(r"\s*\(([^()]*)\)")
_CHAPTER = re.compile(r"\bchapter\s+([\w-]+)", re.IGNORECASE)
_ROMAN = re.compile(r"^m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)
_UNITS = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORDS = {w: n for n, w in enumerate(_UNITS)} | {w: 20 + 10 * n for n, w in enumerate(_TENS)}


@dataclass(frozen=True)
class IndexLink:
    """A link under a chapter heading of the index: a wiki page, a red link or an external link."""

    name: str
    url: str
    chapter: int
    kind: LinkKind = "page"


def parse_index(html: str, url: str) -> list[IndexLink]:
    """The links listed under each chapter heading of a character index, in page order.

    A link met again later keeps its first chapter. Sections whose heading has no chapter
    number ("See also"), in-page anchors and namespace links (File:, Category:) are ignored.
    """
    soup = BeautifulSoup(html, "html.parser")
    root = soup.select_one("div.mw-parser-output") or soup
    _drop_footnotes(root)
    links: dict[str, IndexLink] = {}
    chapter: int | None = None
    for element in root.find_all(["h2", "a"]):
        if element.name == "h2":
            headline = element.select_one(".mw-headline") or element
            chapter = chapter_number(headline.get_text(" ", strip=True))
            continue
        if chapter is None or element.find_parent(["li", "td", "th", "dd"]) is None:
            continue
        link = _index_link(element, url, chapter)
        if link is not None and link.url not in links:
            links[link.url] = link
    return list(links.values())


def _index_link(a: Tag, base: str, chapter: int) -> IndexLink | None:
    href = a.get("href")
    name = " ".join(a.get_text(" ").split())
    if not isinstance(href, str) or href.startswith("#") or not name:
        return None
    url = urldefrag(urljoin(base, href)).url
    classes = a.get_attribute_list("class")
    target, origin = urlsplit(url), urlsplit(base)
    if "external" in classes or (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
        return IndexLink(name, url, chapter, "external")
    if "new" in classes or parse_qs(target.query).get("redlink") == ["1"]:
        return IndexLink(name, url, chapter, "red")
    title = target.path.rsplit("/", 1)[-1]
    if ":" in title and title.split(":", 1)[0].lower() in _NAMESPACES:
        return None
    return IndexLink(name, url, chapter)


def chapter_number(heading: str) -> int | None:
    """The number in a chapter heading: "Chapter 3", "Chapter Three: ...", "Chapter IV", "3. x"."""
    match = _CHAPTER.search(heading)
    if match:
        return _number(match.group(1))
    leading = re.match(r"\s*(\d+)\b", heading)
    return int(leading.group(1)) if leading else None


def _number(token: str) -> int | None:
    token = token.lower()
    if token.isdigit():
        return int(token)
    if _ROMAN.match(token):
        return _roman(token)
    tens, _, unit = token.partition("-")
    if not unit:
        return _WORDS.get(tens)
    if tens in _TENS and unit in _UNITS[1:10]:
        return _WORDS[tens] + _WORDS[unit]
    return None


def _roman(token: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    digits = [values[c] for c in token]
    return sum(-d if d < nxt else d for d, nxt in zip(digits, [*digits[1:], 0], strict=True))


def parse_character(
    html: str, url: str, *, first_chapter: int | None = None, name: str | None = None
) -> Character | None:
    """The character described by a wiki page, or None if the page has no portable infobox.

    The name is the page's h1 title (else the infobox title, else `name`). Footnotes and
    parenthetical notes are removed; aliases noted "(disguise)" are skipped; family entries
    "Name (relation)" keep the relation as the tie's type. A missing row leaves its field empty.
    """
    soup = BeautifulSoup(html, "html.parser")
    infobox = soup.select_one("aside.portable-infobox")
    if infobox is None:
        return None
    _drop_footnotes(soup)
    title = soup.select_one("h1#firstHeading") or infobox.select_one(".pi-title")
    page_name = " ".join(title.get_text(" ").split()) if title is not None else ""
    if not (page_name or name):
        return None
    rows = {field: _items(infobox, field) for field in FIELDS}
    character_name = page_name or name or ""
    aliases = [
        bare
        for bare, notes in map(_split_notes, rows["alias"])
        if not any("disguise" in note.lower() for note in notes) and bare != character_name
    ]
    return Character(
        name=character_name,
        aliases=tuple(dict.fromkeys(aliases)),
        first_chapter=first_chapter,
        loyalty=tuple(dict.fromkeys(bare for bare, _ in map(_split_notes, rows["loyalty"]))),
        family=tuple(dict.fromkeys(_family_tie(item) for item in rows["family"])),
        gender=_first(rows["gender"]),
        species=_first(rows["species"]),
        house=_first(rows["house"]),
        blood=_first(rows["blood"]),
        nationality=_first(rows["nationality"]),
        url=url,
    )


def _drop_footnotes(root: Tag) -> None:
    for note in root.select("sup.reference, .mw-editsection"):
        note.decompose()


def _items(infobox: Tag, source: str) -> list[str]:
    """The entries of one infobox row, split at line breaks and list items, footnotes removed."""
    row = infobox.select_one(f'.pi-data[data-source="{source}"]')
    if row is None:
        return []
    value = row.select_one(".pi-data-value") or row
    lines = (" ".join(_FOOTNOTE.sub("", line).split()) for b in blocks(value) for line in b)
    return [line.strip(" ,;") for line in lines if line.strip(" ,;")]


def _split_notes(item: str) -> tuple[str, list[str]]:
    """'Tom (formerly) (disguise)' -> ('Tom', ['formerly', 'disguise'])."""
    notes = [n.strip() for n in _NOTE.findall(item)]
    return " ".join(_NOTE.sub(" ", item).split()), notes


def _first(items: list[str]) -> str | None:
    bare = [b for b, _ in map(_split_notes, items) if b]
    return bare[0] if bare else None


def _family_tie(item: str) -> FamilyTie:
    person, notes = _split_notes(item)
    return FamilyTie(person or item, notes[0] if notes else "")
