"""Pure parsers for wiki pages: a character index and character pages, one layout per kind of wiki.

A `Layout` says how a wiki lays out its pages; `FANDOM` (MediaWiki with portable infoboxes)
is the first. The scrape stage fetches pages and hands their HTML to a layout.
"""

import re
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import parse_qs, unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Tag

from kg.records import Character, FamilyTie
from kg.text import blocks, numeral, strip_controls

LinkKind = Literal["page", "red", "external"]

LISTED = ("loyalty",)
"""The infobox rows read as facts with every entry, by their data-source name."""
SINGLE = ("house", "blood", "species", "nationality")
"""The infobox rows read as facts with their first entry only."""
_NAMESPACES = frozenset(
    {"file", "image", "category", "special", "template", "help", "user", "talk", "media"}
)
_FOOTNOTE = re.compile(r"\[(?:\d+|[a-z]|note \d+|citation needed)\]", re.IGNORECASE)
_CHARACTERS = re.compile(r"\bcharacters$", re.IGNORECASE)
"""Categories that make a page without infobox a character's: "Characters", "Minor characters"."""
_NOTE = re.compile(r"\s*\(([^()]*)\)")
_CHAPTER = re.compile(r"\bchapter\s+([\w-]+)", re.IGNORECASE)
_INDEX_HEADINGS = ("h2", "h3", "h4")
"""The heading levels of an index that can start a chapter's section, highest first."""


@dataclass(frozen=True)
class IndexLink:
    """A link under a chapter heading of the index: a wiki page, a red link or an external link."""

    name: str
    url: str
    chapter: int
    kind: LinkKind = "page"


class Layout(Protocol):
    """How a kind of wiki lays out a character index and character pages."""

    content: str
    """A CSS selector for the element every page has: a page counts as loaded once it is present."""
    fields: tuple[str, ...]
    """The character facts its pages can give, in the order a scrape reports them."""

    def parse_index(self, html: str, url: str) -> list[IndexLink]:
        """The links an index lists under chapter headings, each with its first chapter."""
        ...

    def parse_character(
        self, html: str, url: str, *, first_chapter: int | None = None, name: str | None = None
    ) -> Character | None:
        """The character a page describes, or None if the page is not about a character."""
        ...


def parse_index(html: str, url: str) -> list[IndexLink]:
    """The links listed under each chapter heading (h2, h3 or h4) of a character index, in
    page order.

    A chapter's section runs to the next heading of its level or higher; a heading below it
    without a chapter number ("Minor characters") stays in it. A link met again later keeps
    its first chapter. Sections whose heading has no chapter number ("See also"), in-page
    anchors and namespace links (File:, Category:) are ignored.
    """
    soup = BeautifulSoup(html, "html.parser")
    root = soup.select_one("div.mw-parser-output") or soup
    _drop_footnotes(root)
    links: dict[str, IndexLink] = {}
    chapter: int | None = None
    level = 0
    for element in root.find_all([*_INDEX_HEADINGS, "a"]):
        if element.name in _INDEX_HEADINGS:
            headline = element.select_one(".mw-headline") or element
            number = chapter_number(headline.get_text(" ", strip=True))
            if number is not None:
                chapter, level = number, _INDEX_HEADINGS.index(element.name)
            elif _INDEX_HEADINGS.index(element.name) <= level:
                chapter = None
            continue
        if chapter is None or element.find_parent(["li", "td", "th", "dd"]) is None:
            continue
        link = _index_link(element, url, chapter)
        if link is not None and link.url not in links:
            links[link.url] = link
    return list(links.values())


def _index_link(a: Tag, base: str, chapter: int) -> IndexLink | None:
    href = a.get("href")
    name = _text(a)
    if not isinstance(href, str) or href.startswith("#") or not name:
        return None
    url = urldefrag(urljoin(base, href)).url
    classes = a.get_attribute_list("class")
    target, origin = urlsplit(url), urlsplit(base)
    if "external" in classes or (target.scheme, target.netloc) != (origin.scheme, origin.netloc):
        return IndexLink(name, url, chapter, "external")
    if "new" in classes or parse_qs(target.query).get("redlink") == ["1"]:
        return IndexLink(name, url, chapter, "red")
    title = unquote(target.path.rsplit("/", 1)[-1])
    if ":" in title and title.split(":", 1)[0].lower() in _NAMESPACES:
        return None
    return IndexLink(name, url, chapter)


def chapter_number(heading: str) -> int | None:
    """A chapter heading's number (>= 1): "Chapter 3", "Chapter Three: …", "Chapter IV", "3. x"."""
    match = _CHAPTER.search(heading) or re.match(r"\s*(\d+)\b", heading)
    number = numeral(match.group(1)) if match else None
    return number or None


def parse_character(
    html: str, url: str, *, first_chapter: int | None = None, name: str | None = None
) -> Character | None:
    """The character a wiki page describes, or None if the page is not about a character.

    A character page has a portable infobox, or (a stub) a category ending in "characters".
    The name is the page's h1 title (else the infobox title, else `name`). Footnotes and
    parenthetical notes are dropped; aliases noted "(disguise)" are skipped; family entries
    "Name (relation)" keep the relation as the tie's type; gender is lower-cased; single-valued
    facts (`SINGLE`) take the first entry. A missing row leaves its fact out.
    """
    soup = BeautifulSoup(html, "html.parser")
    _drop_footnotes(soup)
    infobox = soup.select_one("aside.portable-infobox")
    if infobox is None and not any(_CHARACTERS.search(c) for c in categories(soup)):
        return None
    titles = (soup.select_one("h1#firstHeading"), infobox and infobox.select_one(".pi-title"))
    character_name = next((t for t in map(_text, titles) if t), name)
    if not character_name:
        return None
    fields = ("alias", "family", "gender", *LISTED, *SINGLE)
    rows = {field: _entries(infobox, field) if infobox else [] for field in fields}
    aliases = (
        bare
        for bare, notes in rows["alias"]
        if not any("disguise" in note.lower() for note in notes) and bare != character_name
    )
    gender = _first(rows["gender"])
    listed = {key: tuple(dict.fromkeys(bare for bare, _ in rows[key])) for key in LISTED}
    single = {key: (value,) for key in SINGLE if (value := _first(rows[key]))}
    return Character(
        name=character_name,
        aliases=tuple(dict.fromkeys(aliases)),
        first_chapter=first_chapter,
        facts=tuple((listed | single).items()),
        family=tuple(dict.fromkeys(FamilyTie(p, n[0] if n else "") for p, n in rows["family"])),
        gender=gender.lower() if gender else None,
        url=url,
    )


def categories(soup: Tag) -> list[str]:
    """The names of a page's categories, from Fandom's header and footer or MediaWiki's catlinks."""
    boxes = soup.select(".page-header__categories, .page-footer__categories, #catlinks")
    names = (
        _text(a)
        for box in boxes
        for a in box.select("a[href]")
        if "Category:" in unquote(str(a["href"]))
    )
    return list(dict.fromkeys(n for n in names if n))


def _text(tag: Tag | None) -> str:
    return " ".join(strip_controls(tag.get_text(" ")).split()) if tag is not None else ""


def _drop_footnotes(root: Tag) -> None:
    for note in root.select("sup.reference, .mw-editsection"):
        note.decompose()


def _entries(infobox: Tag, source: str) -> list[tuple[str, list[str]]]:
    """The infobox rows of one data-source, in page order, as (text, notes) entries split at
    line breaks and list items.

    'Tom (formerly) (disguise)' gives ('Tom', ['formerly', 'disguise']); a line holding only
    notes, such as '<small>(by marriage)</small>' after a <br>, adds them to the entry before.
    """
    entries: list[tuple[str, list[str]]] = []
    for row in infobox.select(f'.pi-data[data-source="{source}"]'):
        for block in blocks(row.select_one(".pi-data-value") or row):
            for raw in block:
                line = _FOOTNOTE.sub("", raw)
                notes = [n.strip() for n in _NOTE.findall(line)]
                bare = " ".join(_NOTE.sub(" ", line).split()).strip(" ,;")
                if bare:
                    entries.append((bare, notes))
                elif entries:
                    entries[-1][1].extend(notes)
    return entries


def _first(entries: list[tuple[str, list[str]]]) -> str | None:
    return entries[0][0] if entries else None


class Fandom:
    """Fandom (and other MediaWiki) pages: chapter headings on the index, a portable infobox."""

    content: str = "div.mw-parser-output"
    fields: tuple[str, ...] = (
        "aliases",
        "family",
        "loyalty",
        "house",
        "blood",
        "species",
        "gender",
        "nationality",
    )
    parse_index = staticmethod(parse_index)
    parse_character = staticmethod(parse_character)


FANDOM: Layout = Fandom()
"""The layout a scrape uses unless told otherwise."""
