"""The pure wiki parsers and the readable-text conversion, on small hand-written pages."""

import logging
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.records import Character, FamilyTie
from kg.text import html_to_text, normalise, read_local
from kg.wiki import IndexLink, chapter_number, parse_character, parse_index

BASE = "http://wiki.test/wiki/Character_index"


def page(body: str, title: str = "Ada Quill") -> str:
    return f"""<!DOCTYPE html><html><head><title>{title} | Test Wiki | Fandom</title></head>
<body><h1 id="firstHeading" class="page-header__title">{title}</h1>
<div id="content"><div class="mw-parser-output">{body}</div></div></body></html>"""


def infobox(*rows: tuple[str, str]) -> str:
    items = "".join(
        f'<div class="pi-item pi-data pi-item-spacing pi-border-color" data-source="{source}">'
        f'<h3 class="pi-data-label pi-secondary-font">{source.title()}</h3>'
        f'<div class="pi-data-value pi-font">{value}</div></div>'
        for source, value in rows
    )
    return (
        '<aside class="portable-infobox pi-background pi-theme-wikia pi-layout-default">'
        f'<h2 class="pi-item pi-item-spacing pi-title" data-source="name">Infobox title</h2>'
        f"{items}</aside>"
    )


INDEX = page(
    """
<p>Characters by the chapter they first appear in.
See also <a href="/wiki/The_Book">the book</a>.</p>
<div id="toc" class="toc"><ul><li><a href="#Chapter_1"><span>Chapter 1</span></a></li></ul></div>
<h2><span class="mw-headline" id="Chapter_1">Chapter 1: The Ferry</span>
<span class="mw-editsection"
  ><a href="/wiki/Character_index?action=edit&amp;section=1">edit</a></span></h2>
<ul>
<li><a href="/wiki/Ada_Quill" title="Ada Quill">Ada Quill</a
  ><sup class="reference"><a href="#cite_note-1">[1]</a></sup></li>
<li><a href="/wiki/Ben_Marsh#Early_life" title="Ben Marsh">Ben</a> and his dog
  <a href="/wiki/File:Dog.png" class="image">picture</a></li>
<li><a href="/wiki/Nobody_Yet?action=edit&amp;redlink=1" class="new"
  title="Nobody Yet (page does not exist)">Nobody Yet</a></li>
</ul>
<h2><span class="mw-headline" id="Chapter_Two">Chapter Two</span></h2>
<table class="wikitable"><tbody>
<tr><th>Character</th><th>Notes</th></tr>
<tr><td><a href="http://wiki.test/wiki/Cora_Lind">Cora Lind</a></td><td>Ada's aunt</td></tr>
<tr><td><a href="/wiki/Ada_Quill">Ada</a></td><td>again</td></tr>
<tr><td><a rel="nofollow" class="external text"
  href="https://example.org/author">The author</a></td><td></td></tr>
</tbody></table>
<h2><span class="mw-headline" id="See_also">See also</span></h2>
<ul><li><a href="/wiki/Places">Places</a></li></ul>
"""
)


def test_index_links_keep_their_first_chapter_in_page_order() -> None:
    links = parse_index(INDEX, BASE)
    assert links == [
        IndexLink("Ada Quill", "http://wiki.test/wiki/Ada_Quill", 1),
        IndexLink("Ben", "http://wiki.test/wiki/Ben_Marsh", 1),
        IndexLink("Nobody Yet", "http://wiki.test/wiki/Nobody_Yet?action=edit&redlink=1", 1, "red"),
        IndexLink("Cora Lind", "http://wiki.test/wiki/Cora_Lind", 2),
        IndexLink("The author", "https://example.org/author", 2, "external"),
    ]


@pytest.mark.parametrize("level", ["h3", "h4"])
def test_index_with_chapter_sections_below_h2(level: str) -> None:
    sub = f"h{int(level[1]) + 1}"  # a heading inside a chapter's section, without a number
    html = page(
        f"""
<h2><span class="mw-headline">Book One: The River</span></h2>
<{level}><span class="mw-headline">Chapter 1</span></{level}>
<ul><li><a href="/wiki/Ada_Quill">Ada Quill</a></li>
<li><a href="/wiki/Dara_Fenn?action=edit&amp;redlink=1" class="new">Dara Fenn</a></li></ul>
<{sub}>Mentioned only</{sub}>
<ul><li><a href="/wiki/Old_Mott">Old Mott</a></li></ul>
<{level}><span class="mw-headline">Chapter II: The Weir</span></{level}>
<table class="wikitable"><tr><td><a href="/wiki/Cora_Lind">Cora Lind</a></td></tr></table>
<h2><span class="mw-headline">Book Two: The Sea</span></h2>
<ul><li><a href="/wiki/Sea_Glossary">Sea glossary</a></li></ul>
<{level}><span class="mw-headline">Chapter 3</span></{level}>
<ul><li><a href="/wiki/Ivo_Marsh">Ivo Marsh</a></li></ul>
<{level}><span class="mw-headline">Gallery</span></{level}>
<ul><li><a href="/wiki/Maps">Maps</a></li></ul>
"""
    )
    assert parse_index(html, BASE) == [
        IndexLink("Ada Quill", "http://wiki.test/wiki/Ada_Quill", 1),
        IndexLink("Dara Fenn", "http://wiki.test/wiki/Dara_Fenn?action=edit&redlink=1", 1, "red"),
        IndexLink("Old Mott", "http://wiki.test/wiki/Old_Mott", 1),
        IndexLink("Cora Lind", "http://wiki.test/wiki/Cora_Lind", 2),
        IndexLink("Ivo Marsh", "http://wiki.test/wiki/Ivo_Marsh", 3),
    ]


def test_index_link_to_another_host_is_external_even_without_the_class() -> None:
    html = page('<h2>Chapter 4</h2><ul><li><a href="http://elsewhere.test/wiki/X">X</a></li></ul>')
    assert parse_index(html, BASE) == [
        IndexLink("X", "http://elsewhere.test/wiki/X", 4, "external")
    ]


def test_index_without_chapter_headings_has_no_links() -> None:
    assert parse_index(page('<ul><li><a href="/wiki/A">A</a></li></ul>'), BASE) == []


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Chapter 1", 1),
        ("Chapter 12: The Return", 12),
        ("CHAPTER THREE", 3),
        ("Chapter Twenty-One", 21),
        ("Chapter IV — The Mill", 4),
        ("Chapter xix", 19),
        ("7. The Flood", 7),
        ("Chapter ninety-nine", 99),
        ("See also", None),
        ("Chapter", None),
        ("Chapter One-Two", None),
        ("Chapter Thirty-Ten", None),
        ("Prologue", None),
        ("Chapter 0", None),
        ("Chapter Zero", None),
    ],
)
def test_chapter_number(heading: str, number: int | None) -> None:
    assert chapter_number(heading) == number


FULL = page(
    infobox(
        (
            "alias",
            "Little Quill<sup class='reference'><a href='#cite_note-2'>[2]</a></sup><br>"
            "The Lamplighter (formerly)<br>Widow Grey <small>(disguise)</small><br>"
            "Old Ada<br><small>(disguise, in chapter 3)</small><br>"
            "Ada Quill<br>Mistress Q.[3]",
        ),
        (
            "family",
            '<ul><li><a href="/wiki/Cora_Lind">Cora Lind</a> (aunt)</li>'
            "<li>Tom Quill (father) <sup class='reference'>[4]</sup></li>"
            "<li>Ruth Quill (maternal grandmother) (formerly)</li><li>Pip</li>"
            "<li>Nell Quill</li><li><small>(adoptive sister)</small></li></ul>",
        ),
        (
            "loyalty",
            "<ul><li><a href='/wiki/Ferry_Guild'>Ferry Guild</a>"
            "<ul><li>Night Watch</li></ul></li><li>River Council (formerly)</li></ul>",
        ),
        ("house", "Quill House"),
        ("blood", "Half-tide<sup class='reference'>[5]</sup><br><small>(Tidewater father)</small>"),
        ("species", "Human"),
        ("gender", "Female"),
        ("nationality", "Ashforder<br>Marish (by marriage)"),
        ("born", "1 May"),
    )
    + "<p>Ada is the ferryman's <a href='/wiki/Daughter'>daughter</a>.</p>"
)


def test_character_has_every_field_cleaned() -> None:
    url = "http://wiki.test/wiki/Ada_Quill"
    assert parse_character(FULL, url, first_chapter=1) == Character(
        name="Ada Quill",
        aliases=("Little Quill", "The Lamplighter", "Mistress Q."),
        first_chapter=1,
        gender="female",
        facts=(
            ("species", ("Human",)),
            ("house", ("Quill House",)),
            ("blood", ("Half-tide",)),
            ("nationality", ("Ashforder",)),
            ("loyalty", ("Ferry Guild", "Night Watch", "River Council")),
        ),
        family=(
            FamilyTie("Cora Lind", "aunt"),
            FamilyTie("Tom Quill", "father"),
            FamilyTie("Ruth Quill", "maternal grandmother"),
            FamilyTie("Pip", ""),
            FamilyTie("Nell Quill", "adoptive sister"),
        ),
        url=url,
    )


def categorised(title: str, *names: str) -> str:
    links = ", ".join(f'<a href="/wiki/Category:{n.replace(" ", "_")}">{n}</a>' for n in names)
    body = f"<p>About {title}.</p><p>See <a href='/wiki/Category:Characters'>all</a>.</p>"
    footer = f'<div class="page-footer"><div class="page-footer__categories">{links}</div></div>'
    return page(body, title).replace("</body>", footer + "</body>")


def test_page_without_infobox_is_not_a_character() -> None:
    assert parse_character(page("<p>The mill by the weir.</p>", "The Mill"), BASE) is None
    assert parse_character(categorised("The Mill", "Locations", "Character lists"), BASE) is None


@pytest.mark.parametrize("category", ["Characters", "Minor characters"])
def test_stub_in_a_characters_category_is_a_character(category: str) -> None:
    html = categorised("Pepper", "Animals", category)
    assert parse_character(html, BASE, first_chapter=1) == Character(
        name="Pepper", first_chapter=1, url=BASE
    )


def test_missing_rows_leave_fields_empty() -> None:
    character = parse_character(page(infobox(("gender", "Male")), "Ben Marsh"), BASE)
    assert character == Character(name="Ben Marsh", gender="male", url=BASE)


def test_name_falls_back_to_infobox_title_then_link_text() -> None:
    no_h1 = page(infobox(("gender", "Male"))).replace('id="firstHeading"', 'id="other"')
    no_h1 = no_h1.replace("<h1", "<div").replace("</h1>", "</div>")
    assert parse_character(no_h1, BASE, name="Ben") == Character(
        name="Infobox title", gender="male", url=BASE
    )
    untitled = no_h1.replace(">Infobox title<", "><")
    assert parse_character(untitled, BASE, name="Ben") == Character(
        name="Ben", gender="male", url=BASE
    )
    assert parse_character(untitled, BASE) is None


def test_empty_values_and_comma_residue_are_dropped() -> None:
    html = page(infobox(("alias", "<br> , <br><sup class='reference'>[1]</sup>"), ("house", "")))
    assert parse_character(html, BASE) == Character(name="Ada Quill", url=BASE)


def test_html_to_text_keeps_prose_paragraphs_and_line_breaks() -> None:
    html = """<html><head><title>T</title><style>p {}</style></head><body>
<nav><a href="/">Home</a></nav>
<main><h1>Chapter One</h1><p>It was   a
dark night.<sup class="reference">[1]</sup></p>
<p>A verse,<br>two lines.</p><script>var x = 1;</script>
<ul><li>First</li><li>Second</li></ul></main>
<footer>Licence</footer></body></html>"""
    assert html_to_text(html) == (
        "Chapter One\n\nIt was a dark night.\n\nA verse,\ntwo lines.\n\nFirst\n\nSecond\n"
    )


def test_html_to_text_of_a_plain_text_page_keeps_its_paragraphs() -> None:
    html = (
        '<html><body><pre style="white-space: pre-wrap;">CHAPTER ONE\n\n'
        "The ferry house  stood\nby the river.\n\n\n\nCHAPTER TWO\n</pre></body></html>"
    )
    assert html_to_text(html) == (
        "CHAPTER ONE\n\nThe ferry house  stood\nby the river.\n\nCHAPTER TWO\n"
    )


def test_normalise() -> None:
    raw = "\ufeffCafe\u0301\r\nline\u00a0two  \r\n\r\n\r\n\r\nco\u00adop\n\n"
    assert normalise(raw) == "Caf\u00e9\nline two\n\ncoop\n"
    assert normalise(" \n\n") == ""


def test_read_local_joins_a_folder_in_natural_order(tmp_path: Path) -> None:
    (tmp_path / "ch10.txt").write_text("Ten.\n", encoding="utf-8")
    (tmp_path / "ch2.txt").write_bytes("Two \u2014 caf\u00e9.\r\n".encode("utf-16"))
    (tmp_path / "ch1.html").write_text("<p>One</p>", encoding="utf-8")
    (tmp_path / ".hidden").write_text("no", encoding="utf-8")
    assert read_local(tmp_path) == "One\n\nTwo \u2014 caf\u00e9.\n\nTen.\n"


def test_read_local_guesses_windows_1252(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    book = tmp_path / "book.txt"
    book.write_bytes("\u201cCaf\u00e9,\u201d she said.".encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        assert read_local(book) == "\u201cCaf\u00e9,\u201d she said.\n"
    assert "Windows-1252" in caplog.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("blob.bin", b"\x00\x01\x02", "binary file"),
        ("odd.txt", b"\xff\xfeA", r"not UTF-16 text despite its byte-order mark \(byte 2\)"),
        ("bom.txt", b"\xef\xbb\xbfCaf\xe9", r"not UTF-8 text despite its byte-order mark"),
    ],
)
def test_read_local_bad_input(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_local(path)


def test_read_local_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder has no files"):
        read_local(tmp_path)


def test_every_row_of_a_data_source_is_read() -> None:
    # Infoboxes repeat a source, e.g. one family row per infobox group or tab.
    html = page(
        infobox(
            ("alias", "Addie"),
            ("family", "Tom Quill (father)"),
            ("alias", "The Quill Girl"),
            ("family", "Mary Quill (mother)"),
            ("gender", "Female"),
            ("gender", "Male"),
        )
    )
    character = parse_character(html, BASE)
    assert character is not None
    assert character.aliases == ("Addie", "The Quill Girl")
    assert character.family == (FamilyTie("Tom Quill", "father"), FamilyTie("Mary Quill", "mother"))
    assert character.gender == "female"
