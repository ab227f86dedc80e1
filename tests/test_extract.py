"""Extraction on sample text written for these tests, with the expected mentions marked by hand.

Markup: [[surface|Character]] is a mention; everything else must not be one.
"""

import csv
import importlib
import json
import re
from collections import Counter
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.book import split_chapters
from kg.errors import InputError, OutputError
from kg.extract import Extraction, _words_at_least, extract
from kg.names import Override
from kg.records import Book, Character, FamilyTie

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"

CHARACTERS = (
    Character(
        "Harold Quill", gender="male", first_chapter=1, family=(FamilyTie("Mabel Quill", "wife"),)
    ),
    Character(
        "Mabel Quill",
        gender="female",
        first_chapter=1,
        family=(FamilyTie("Harold Quill", "husband"),),
    ),
    Character("Ronald Quill", gender="male", first_chapter=1),
    Character("Ginevra Quill", gender="female", first_chapter=2),
    Character("Vernon Quill", aliases=("Uncle Vernon",), gender="male", first_chapter=1),
    Character("Ewan MacTavish", gender="male", first_chapter=1),
    Character("Niamh O'Donnell", gender="female", first_chapter=1),
    Character("Hester Pike", gender="female", first_chapter=2),
    Character("Madam Greel", first_chapter=1),
    Character("Will Turner", gender="male"),
    Character("Dora Baker", gender="female"),
    Character("Tom Harrow", gender="male"),
    Character("Anne Reed", gender="female"),
    Character("Jasper"),
)

STORY = """\
THE QUILLS OF HARROW

CHAPTER ONE
The Net Loft

[[Mr. Quill|Harold Quill]] came home from Harrow market with a crate of herring and a
temper. [[Mrs. Quill|Mabel Quill]] took one look at him and put the kettle on. "Will you
pass the salt, [[Ron|Ronald Quill]]?" she said, and [[Ron|Ronald Quill]] passed it.

[[Ron|Ronald Quill]]'s dog [[Jasper|Jasper]] lay under the table. "[[Jasper|Jasper]],"
said [[Ron|Ronald Quill]], "stay."

[[Uncle Vernon|Vernon Quill]] came in last, as he always did, and sat by [[Professor
MacTavish|Ewan MacTavish]], who had walked down from the school in the rain. The Professor
nodded to him. [[Professor MacTavish|Ewan MacTavish]] looked at [[Ron|Ronald Quill]] for a
long time.

"Sit down, [[Quill|Ronald Quill]]," he said. "You will catch your death."

"Yes, Madam," said [[Ron|Ronald Quill]] to [[Madam Greel|Madam Greel]], who kept the shop,
because she had come in behind the Professor with the post. [[Niamh O'Donnell|Niamh O'Donnell]] came
with her, and [[Miss O'Donnell|Niamh O'Donnell]] shook the rain from her hat.

[[Will|Will Turner]] knocked at the door. [[Will Turner|Will Turner]] always knocked twice, and
the Baker cottage next door always answered with a dog. Nobody in Harrow minded; the
Harrow road was loud enough already. The Quill family went to bed early.



CHAPTER TWO
RON AND THE STORM

The storm came up the estuary at noon. [[Ginny|Ginevra Quill]] ran to [[Mrs. Quill|Mabel Quill]] and
hid her face in her apron, and [[Ron|Ronald Quill]] and [[Mr. Quill|Harold Quill]] carried the
boat above the tide line. [[Mabel|Mabel Quill]] called [[Hal|Harold Quill]] in when the roof
began to leak.

"[[Miss Quill|Ginevra Quill]]," said [[Madam Pike|Hester Pike]], the schoolmistress, who had
come for shelter, "you are soaked through." [[Madam Pike|Hester Pike]] glared at
[[Ginny|Ginevra Quill]].
"[[Quill|Ginevra Quill]], sit by the fire."

"Will he come back?" asked [[Ginny|Ginevra Quill]] about the boat. [[Will|Will Turner]] said
nothing.
"[[Will|Will Turner]], wait!" called [[Dora Baker|Dora Baker]] from Baker Street, where the water
stood a foot deep. [[Miss Baker|Dora Baker]] waded over with [[Tom Harrow|Tom Harrow]], and
[[Tom|Tom Harrow]] carried the lamp. [[Capt. Reed|Anne Reed]] of the harbour watch came last,
and the Captain said the boats were safe. [[Mr. Harold Quill|Harold Quill]] thanked her.



CHAPTER THREE

"[[Quill|Ronald Quill]]!" The shout came from the yard, where [[Ron|Ronald Quill]] was mending a
net with [[Uncle\nVernon|Vernon Quill]]. In Harrow they still talk about that storm.
"""


def _parse(annotated: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The plain text and the expected (start, end, text, character) of each marked mention."""
    text, expected, last = [], [], 0
    pos = 0
    for m in re.finditer(r"\[\[(.+?)\|(.+?)\]\]", annotated, re.S):
        text.append(annotated[last : m.start()])
        pos += m.start() - last
        surface = m.group(1)
        expected.append((pos, pos + len(surface), surface, m.group(2)))
        text.append(surface)
        pos += len(surface)
        last = m.end()
    text.append(annotated[last:])
    return "".join(text), expected


def _book(annotated: str) -> tuple[Book, list[tuple[int, int, str, str]]]:
    text, expected = _parse(annotated)
    return Book("story", text, split_chapters(text), "story.txt"), expected


def _found(result: Extraction) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.text, m.character) for m in result.mentions]


@pytest.fixture(scope="module")
def story() -> tuple[Book, list[tuple[int, int, str, str]], Extraction]:
    book, expected = _book(STORY)
    return book, expected, extract(book, CHARACTERS)


def test_story_mentions_are_exactly_the_hand_marked_ones(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    book, expected, result = story
    assert _found(result) == expected
    for m in result.mentions:
        assert book.text[m.start : m.end] == m.text
        chapter = book.chapters[m.chapter - 1]
        assert chapter.start <= m.start < m.end <= chapter.end


def _mentions_of(result: Extraction, text: str) -> list[str]:
    return [m.character for m in result.mentions if " ".join(m.text.split()) == text]


def test_honorifics_pick_by_gender_and_marriage(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    _, _, result = story
    assert set(_mentions_of(result, "Mr. Quill")) == {"Harold Quill"}
    assert set(_mentions_of(result, "Mrs. Quill")) == {"Mabel Quill"}  # even right after Ginny
    assert _mentions_of(result, "Miss Quill") == ["Ginevra Quill"]
    assert _mentions_of(result, "Madam Pike") == ["Hester Pike", "Hester Pike"]
    assert _mentions_of(result, "Uncle Vernon") == ["Vernon Quill", "Vernon Quill"]
    assert _mentions_of(result, "Capt. Reed") == ["Anne Reed"]
    assert not [m for m in result.mentions if m.text in ("Madam", "Professor", "Captain")]


def test_wrapped_names_keep_the_newline_in_their_text(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    _, _, result = story
    wrapped = [m.text for m in result.mentions if "\n" in m.text]
    assert wrapped == ["Professor\nMacTavish", "Uncle\nVernon"]


def test_a_bare_surname_goes_to_the_nearest_unambiguous_mention(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    _, _, result = story
    # chapter 1: Ron just before; chapter 2: Ginny just before; chapter 3: Ron just after
    assert _mentions_of(result, "Quill") == ["Ronald Quill", "Ginevra Quill", "Ronald Quill"]


def test_crlf_book_offsets_and_wrapped_names() -> None:
    text = (
        "CHAPTER ONE\r\n\r\nMr. and Mrs. Quill met Professor\r\nMacTavish and Uncle\r\n"
        "    Vernon.\r\n"
    )
    book = Book("crlf", text, split_chapters(text))
    result = extract(book, CHARACTERS)
    assert [(m.text, m.character) for m in result.mentions] == [
        ("Mrs. Quill", "Mabel Quill"),
        ("Professor\r\nMacTavish", "Ewan MacTavish"),
        ("Uncle\r\n    Vernon", "Vernon Quill"),
    ]
    assert all(text[m.start : m.end] == m.text for m in result.mentions)


def test_honorific_gender_and_marriage_before_the_strength_of_a_form() -> None:
    characters = [
        Character("Pontellier", gender="male"),  # "Pontellier" is his whole name...
        Character("Edna Pontellier", gender="female"),  # ...and her surname
        Character("Mrs. Sedley"),
        Character("Miss Amelia Sedley"),
        Character("General Shaw"),
        Character("Mrs. Shaw"),
    ]
    text = "Pontellier and Mrs. Pontellier met Miss Sedley, Mrs. Sedley and Aunt Shaw."
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [(m.text, m.character) for m in result.mentions] == [
        ("Pontellier", "Pontellier"),
        ("Mrs. Pontellier", "Edna Pontellier"),
        ("Miss Sedley", "Miss Amelia Sedley"),
        ("Mrs. Sedley", "Mrs. Sedley"),
        ("Aunt Shaw", "Mrs. Shaw"),  # a known gender fits better than an unknown one
    ]


def test_first_chapter_limits_the_candidates() -> None:
    text = "CHAPTER ONE\n\nMiss Quill waved.\n\nCHAPTER TWO\n\nMiss Quill waved again.\n"
    characters = [
        Character("Ginevra Quill", gender="female", first_chapter=2),
        Character("Ada Quill", gender="female", first_chapter=1),
    ]
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [m.character for m in result.mentions] == ["Ada Quill", "Ada Quill"]
    book = Book("b", text, split_chapters(text))
    later = extract(book, characters, overrides=[Override("Miss Quill", 2, "Ginevra Quill")])
    assert [m.character for m in later.mentions] == ["Ada Quill", "Ginevra Quill"]


def test_ties_are_broken_by_mentions_so_far_then_name_order() -> None:
    characters = [Character("Bo Lark"), Character("Al Lark")]
    text = "Lark sat down. Lark stood up."
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [m.character for m in result.mentions] == ["Al Lark", "Al Lark"]
    text = "Bo Lark spoke first.\n\n" + "x " * 30 + "\n\nLark smiled."
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [m.character for m in result.mentions] == ["Bo Lark", "Bo Lark"]


def test_overrides_win_and_can_silence_a_surface() -> None:
    text = "CHAPTER ONE\n\nMr. Quill spoke to Ron.\n\nCHAPTER TWO\n\nMr. Quill spoke again.\n"
    book = Book("b", text, split_chapters(text))
    overrides = [
        Override("Mr. Quill", 1, "Ronald Quill"),
        Override("Ron", None, ""),
    ]
    result = extract(book, CHARACTERS, overrides=overrides)
    assert [(m.chapter, m.text, m.character) for m in result.mentions] == [
        (1, "Mr. Quill", "Ronald Quill"),
        (2, "Mr. Quill", "Harold Quill"),
    ]
    with pytest.raises(InputError, match="not in the character list"):
        extract(book, CHARACTERS, overrides=[Override("Ron", None, "Nobody Known")])


def test_an_override_can_add_a_new_surface() -> None:
    text = "The ferryman's boy ran. Later the ferryman's boy slept."
    book = Book("b", text, split_chapters(text))
    result = extract(book, CHARACTERS, overrides=[Override("ferryman's boy", None, "Ronald Quill")])
    assert [m.text for m in result.mentions] == ["ferryman's boy", "ferryman's boy"]


def test_all_capitals_only_when_asked(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    book, _, result = story
    assert not [m for m in result.mentions if m.text == "RON"]
    capitals = extract(book, CHARACTERS, caps=True)
    assert [(m.chapter, m.text, m.character) for m in capitals.mentions if m.text.isupper()] == [
        (2, "RON", "Ronald Quill")
    ]


def test_nicknames_come_from_the_table_or_a_users_file() -> None:
    text = "Ron and Ronnie and Hal met."
    book = Book("b", text, split_chapters(text))
    default = extract(book, CHARACTERS)
    assert [m.text for m in default.mentions] == ["Ron", "Hal"]
    mine = extract(book, CHARACTERS, nicknames={"Ronald": ["Ronnie"]})
    assert [m.text for m in mine.mentions] == ["Ronnie"]


def test_common_words_equal_to_a_name() -> None:
    characters = [Character("Will Hope", gender="male"), Character("Rose Tanner")]
    text = (
        "Will you come? Will said yes, and Hope came too. I will go, and the boat will sink.\n"
        "Rose sat down. She rose early and said Rose, then Will nodded. Will the boat sink?\n"
        "Will he? Rose!\n"
    )
    result = extract(Book("b", text, split_chapters(text)), characters)
    # the verb before a pronoun or a determiner, or where the book has it in lowercase too
    # ("will go"), is no mention; a name before punctuation is one
    assert [(m.text, text[m.end : m.end + 4]) for m in result.mentions] == [
        ("Will", " sai"),
        ("Hope", " cam"),
        ("Rose", " sat"),
        ("Rose", ", th"),
        ("Will", " nod"),
        ("Rose", "!\n"),
    ]
    lone = "Will said yes. Will go now, I will go too."
    result = extract(Book("b", lone, split_chapters(lone)), characters)
    assert result.mentions == ()  # never used as a name elsewhere, so a common word


def test_a_place_sharing_a_surname_is_not_a_mention() -> None:
    characters = [Character("Constance Ashford", gender="female")]
    text = (
        "The Ashford road was wet. In Ashford, Madam Ashford kept the school. Everyone in "
        "Ashford knew her, and Ashford had hung lanterns. Constance smiled at Ashford Hall."
    )
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [m.text for m in result.mentions] == ["Madam Ashford", "Constance"]


def test_a_name_before_a_possessive_place_word_is_no_mention() -> None:
    characters = [Character("Arthur Penhallow", gender="male")]
    text = "Arthur climbed Arthur\u2019s Seat, and Arthur\u2019s hat blew off at Arthur's Well."
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert [m.start for m in result.mentions] == [0, text.index("Arthur\u2019s hat")]


def test_in_before_a_name_the_book_uses_for_a_person_keeps_the_mention() -> None:
    characters = [Character("Henry Varden", gender="male")]
    text = "Henry Varden came. " + "Varden laughed and Varden sang. " * 5
    text += "I found a companion in Varden."
    result = extract(Book("b", text, split_chapters(text)), characters)
    assert len(result.mentions) == 12
    rare = "Henry Varden came. Varden laughed. We lived in Varden."
    result = extract(Book("b", rare, split_chapters(rare)), characters)
    assert [m.text for m in result.mentions] == ["Henry Varden", "Varden"]


def test_m_with_a_period_is_monsieur() -> None:
    characters = [Character("Lucien Dorval"), Character("Agnes Dorval")]
    text = "Agnes Dorval sang. Lucien Dorval laughed. Then M. Dorval bowed to her. Agnes smiled."
    result = extract(Book("b", text, split_chapters(text)), characters)
    bowed = [m for m in result.mentions if m.start == text.index("M. Dorval")]
    assert [(m.text, m.character) for m in bowed] == [("M. Dorval", "Lucien Dorval")]


def test_possessive_ends_before_the_apostrophe() -> None:
    text = "Ron's hat, Ron\u2019s coat and MacTavish's pipe."
    result = extract(Book("b", text, split_chapters(text)), CHARACTERS)
    assert [m.text for m in result.mentions] == ["Ron", "Ron", "MacTavish"]


def test_names_that_give_no_pattern_find_nothing() -> None:
    text = "Madam said - hello."
    result = extract(Book("b", text, split_chapters(text)), [Character("Madam"), Character("-")])
    assert result.mentions == ()


def test_a_missing_model_names_the_install_command() -> None:
    from kg.errors import ModelMissing
    from kg.nlp import load_model

    with pytest.raises(ModelMissing, match="pip install no-such-model"):
        load_model("no_such_model")


def test_the_model_recorded_is_the_one_loaded() -> None:
    from kg.nlp import load_model, model_name

    assert model_name("my_model") == "my_model"
    nlp = load_model(exclude=("parser", "tagger", "lemmatizer", "attribute_ruler"))
    assert model_name() == f"{nlp.meta['lang']}_{nlp.meta['name']}"


def test_bad_arguments_are_input_errors() -> None:
    book = Book("b", "Text.", split_chapters("Text."))
    with pytest.raises(InputError, match="window"):
        extract(book, CHARACTERS, window=0)
    with pytest.raises(InputError, match="empty"):
        extract(book, [])
    with pytest.raises(InputError, match="duplicate character names: Jasper"):
        extract(book, [Character("Jasper"), Character("Jasper")])
    with pytest.raises(InputError, match="a character has an empty name"):
        extract(book, [Character("Jasper"), Character(" ")])


def test_paragraphs_are_read_alone_and_tokens_count_on_across_them() -> None:
    text = "CHAPTER ONE\n\nRon met Uncle\n \t\n\nVernon.\r\n\r\nJasper barked at Ron.\n"
    book = Book("b", text, split_chapters(text))
    result = extract(book, CHARACTERS)
    # a blank line ends a paragraph, so "Uncle" and "Vernon" are not one name
    assert [(m.text, m.token) for m in result.mentions] == [
        ("Ron", 2),
        ("Vernon", 5),
        ("Jasper", 7),
        ("Ron", 10),
    ]
    assert all(text[m.start : m.end] == m.text for m in result.mentions)


def test_long_paragraphs_are_read_in_pieces_with_exact_offsets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = importlib.import_module("kg.extract")  # kg.extract is also the function
    monkeypatch.setattr(module, "SEGMENT_CHARS", 80)
    lines = "Ron met Professor MacTavish by the quay,\nand Jasper barked.\n"
    text = "CHAPTER ONE\n\n" + lines * 5
    book = Book("b", text, split_chapters(text))
    result = extract(book, CHARACTERS)
    assert [m.text for m in result.mentions] == ["Ron", "Professor MacTavish", "Jasper"] * 5
    assert all(text[m.start : m.end] == m.text for m in result.mentions)
    tokens = [m.token for m in result.mentions]
    assert tokens == sorted(tokens)
    assert tokens[0] == 2  # after CHAPTER ONE
    assert tokens[3] - tokens[0] == 12  # the lines have 12 tokens; counting goes on across pieces


def test_tokens_and_cooccurrence_in_the_story(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    _, _, result = story
    first = {(m.text, m.chapter): m.token for m in reversed(result.mentions)}
    # "[[Mr. Quill]] came home ..." is the first mention after the heading's 4 tokens
    assert first["Mr. Quill", 1] == 5
    weights = {(i.source, i.target): i.weight for i in result.interactions}
    assert weights["Mabel Quill", "Ronald Quill"] >= 1
    assert ("Harold Quill", "Tom Harrow") not in weights
    assert all(i.source < i.target for i in result.interactions)


def test_save_writes_the_contract_files_identically_twice(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction], tmp_path: Path
) -> None:
    _, _, result = story
    result.save(tmp_path / "one", characters_file="chars.jsonl")
    result.save(tmp_path / "two", characters_file="chars.jsonl")
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == [
        "book.json",
        "chapters.csv",
        "characters.csv",
        "characters.jsonl",
        "interactions.csv",
        "interactions_by_chapter.csv",
        "mentions.csv",
    ]
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]

    out = tmp_path / "one"
    with open(out / "mentions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["chapter", "start", "end", "text", "character", "kind"]
    assert [(int(r["start"]), int(r["end"]), r["text"], r["character"]) for r in rows] == [
        (m.start, m.end, m.text, m.character) for m in result.mentions
    ]
    assert b"\r\n" not in (out / "mentions.csv").read_bytes()
    with open(out / "interactions.csv", encoding="utf-8", newline="") as f:
        pairs = list(csv.DictReader(f))
    with open(out / "interactions_by_chapter.csv", encoding="utf-8", newline="") as f:
        by_chapter = list(csv.DictReader(f))
    totals: Counter[tuple[str, str]] = Counter()
    for r in by_chapter:
        totals[r["source"], r["target"]] += int(r["weight"])
    assert {(r["source"], r["target"]): int(r["weight"]) for r in pairs} == totals
    with open(out / "characters.csv", encoding="utf-8", newline="") as f:
        characters = list(csv.DictReader(f))
    assert list(characters[0]) == [
        "name",
        "mentions",
        "pagerank",
        "community",
        "first_chapter",
        "aliases",
        "discovered",
        "gender",
        "gender_source",
    ]
    counts = Counter(m.character for m in result.mentions)
    assert {r["name"]: int(r["mentions"]) for r in characters} == counts
    ranks = [float(r["pagerank"]) for r in characters]
    assert ranks == sorted(ranks, reverse=True)
    vernon = next(r for r in characters if r["name"] == "Vernon Quill")
    assert (vernon["aliases"], vernon["discovered"], vernon["first_chapter"]) == (
        "Uncle Vernon",
        "false",
        "1",
    )
    greel = next(r for r in characters if r["name"] == "Madam Greel")
    assert (vernon["gender"], vernon["gender_source"]) == ("male", "list")
    assert (greel["gender"], greel["gender_source"]) == ("female", "inferred:name-title")
    with open(out / "chapters.csv", encoding="utf-8", newline="") as f:
        chapters = list(csv.DictReader(f))
    assert [r["title"] for r in chapters] == ["The Net Loft", "Ron and the Storm", ""]
    assert sum(int(r["mentions"]) for r in chapters) == len(result.mentions)
    meta = json.loads((out / "book.json").read_text(encoding="utf-8"))
    assert meta == {
        "title": "story",
        "source": "story.txt",
        "gutenberg": None,
        "window": 14,
        "model": "blank:en",
        "characters_file": "chars.jsonl",
        "coref": False,
        "narrator": None,
        "kg_version": version("kg"),
    }
    lines = (out / "characters.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["name"] for line in lines] == [c.name for c in CHARACTERS]


def test_save_replaces_its_files_and_keeps_others(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction], tmp_path: Path
) -> None:
    _, _, result = story
    (tmp_path / "report.html").write_text("mine")
    (tmp_path / "mentions.csv").write_text("stale")
    result.save(tmp_path)
    assert (tmp_path / "report.html").read_text() == "mine"
    assert (tmp_path / "mentions.csv").read_text(encoding="utf-8").startswith("chapter,")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_save_into_an_unwritable_place_writes_nothing(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction], tmp_path: Path
) -> None:
    _, _, result = story
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        result.save(blocker / "out")
    with pytest.raises(OutputError, match="not a folder"):
        result.save(blocker)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_frames_and_networkx(
    story: tuple[Book, list[tuple[int, int, str, str]], Extraction],
) -> None:
    _, _, result = story
    mentions = result.mentions_frame()
    assert list(mentions.columns) == ["chapter", "start", "end", "text", "character", "kind"]
    assert len(mentions) == len(result.mentions)
    assert result.interactions_frame()["weight"].sum() == sum(i.weight for i in result.interactions)
    assert result.interactions_by_chapter_frame()["weight"].sum() == sum(
        i.weight for i in result.interactions
    )
    assert set(result.characters_frame()["name"]) == {m.character for m in result.mentions}
    assert list(result.chapters_frame()["number"]) == [1, 2, 3]
    graph = result.to_networkx()
    assert set(graph.nodes) == {m.character for m in result.mentions}
    for i in result.interactions:
        assert graph[i.source][i.target]["weight"] == i.weight
    assert graph.nodes["Ronald Quill"]["mentions"] == sum(
        m.character == "Ronald Quill" for m in result.mentions
    )


def _gold(path: Path, listed: set[str]) -> set[tuple[int, int, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return {
            (int(r["start"]), int(r["end"]), r["character"])
            for r in csv.DictReader(f)
            if r["character"] in listed
        }


@pytest.mark.parametrize(("caps", "precision", "recall"), [(False, 0.99, 0.98), (True, 0.99, 0.99)])
def test_sample_novella_against_its_gold(caps: bool, precision: float, recall: float) -> None:
    from kg.book import read_book
    from kg.files import read_characters

    characters = read_characters(SAMPLE / "characters.jsonl")
    gold = _gold(SAMPLE / "gold_mentions.csv", {c.name for c in characters})
    result = extract(read_book(SAMPLE / "book.txt"), characters, caps=caps)
    found = {(m.start, m.end, m.character) for m in result.mentions}
    right = len(found & gold)
    assert right / len(found) >= precision
    assert right / len(gold) >= recall


NAMES_ONLY = [
    Character(name)
    for name in (
        "Edward Vane",
        "Alice Vane",
        "Mrs. Vane",
        "Elizabeth Crane",
        "Evelyn Moss",
        "William Hollis",
        "Charlotte Lucas",
        "Mary King",
        "Tom Pike",
        "Hugh Dunn",
    )
]
COUPLES = """\
Mr. and Mrs. Vane came to the fair with Alice. Mr. Vane bought a hat, Miss Vane laughed,
and Mrs. Vane paid for it. Pike waved, Dunn waved, Pike shouted, Dunn sang and Pike ran.
Vane sighed. Lizzy Crane, whom they all called Lizzy, met Evie by the gate, and Miss King
curtsied to the King. Sir William bowed to Lady Lucas, and William Hollis bowed too.
"""


def test_a_names_only_list_gets_honorifics_by_gender_and_marriage() -> None:
    book = Book("b", COUPLES, split_chapters(COUPLES))
    result = extract(book, NAMES_ONLY)
    found = [(m.text, m.character) for m in result.mentions]
    assert found[:4] == [
        ("Mrs. Vane", "Mrs. Vane"),  # "Mr. and": no name follows "Mr."
        ("Alice", "Alice Vane"),
        ("Mr. Vane", "Edward Vane"),  # a man by the gazetteer; never a woman
        ("Miss Vane", "Alice Vane"),  # the unmarried woman, not the "Mrs."
    ]
    assert ("Mrs. Vane", "Mrs. Vane") in found[4:]
    # the book calls men by their bare surname (Pike, Dunn), so a shared one is the man's
    assert ("Vane", "Edward Vane") in found


def test_hypocorisms_and_a_surname_that_is_a_title() -> None:
    book = Book("b", COUPLES, split_chapters(COUPLES))
    found = [(m.text, m.character) for m in extract(book, NAMES_ONLY).mentions]
    assert ("Lizzy Crane", "Elizabeth Crane") in found
    assert ("Lizzy", "Elizabeth Crane") in found
    assert ("Evie", "Evelyn Moss") in found
    assert ("Miss King", "Mary King") in found
    assert ("King", "Mary King") not in found  # "the King" alone is no surname


def test_a_title_and_first_name_missing_from_the_list_is_nobody_listed() -> None:
    book = Book("b", COUPLES, split_chapters(COUPLES))
    texts = [m.text for m in extract(book, NAMES_ONLY).mentions]
    assert "Sir William" not in texts and "Lady Lucas" not in texts
    assert "William Hollis" in texts
    supported = COUPLES + "Sir William Hollis was knighted in the spring.\n"
    result = extract(Book("b", supported, split_chapters(supported)), NAMES_ONLY)
    knight = [m.character for m in result.mentions if m.text.startswith("Sir William")]
    assert knight == ["William Hollis", "William Hollis"]  # the book gives him the title


def test_a_gendered_honorific_never_goes_to_the_other_gender() -> None:
    text = "Mr. Darnley rode by. Miss Darnley waved."
    result = extract(Book("b", text, split_chapters(text)), [Character("Georgiana Darnley")])
    assert [m.text for m in result.mentions] == ["Miss Darnley"]


def test_inferred_facts_are_in_the_characters_and_in_the_output(tmp_path: Path) -> None:
    book = Book("b", COUPLES, split_chapters(COUPLES))
    result = extract(book, NAMES_ONLY)
    facts = {c.name: (c.gender, c.gender_source, c.married) for c in result.characters}
    assert facts["Edward Vane"] == ("male", "inferred:first-name", True)  # "Mr. and Mrs. Vane"
    assert facts["Mrs. Vane"] == ("female", "inferred:name-title", True)
    assert facts["Alice Vane"] == ("female", "inferred:first-name", None)
    result.save(tmp_path)
    lines = (tmp_path / "characters.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {
        "name": "Edward Vane",
        "gender": "male",
        "gender_source": "inferred:first-name",
        "married": True,
        "married_source": "inferred:couple",
    }


def test_a_shared_first_name_goes_to_the_family_the_chapter_names() -> None:
    text = (
        "CHAPTER ONE\n\nMiss King sang.\n\n"
        "CHAPTER TWO\n\nJane Hale and Kitty Hale sat with Mary, and Mary played.\n\n"
        "CHAPTER THREE\n\nMary King danced, and Mary laughed.\n"
    )
    characters = [Character(n) for n in ("Mary Hale", "Jane Hale", "Kitty Hale", "Mary King")]
    result = extract(Book("b", text, split_chapters(text)), characters)
    marys = [(m.chapter, m.character) for m in result.mentions if m.text == "Mary"]
    # chapter 2 names no Mary, but her sisters: the Hale family's Mary (not the nearest
    # "Miss King", in chapter 1); chapter 3 names Mary King herself
    assert marys == [(2, "Mary Hale"), (2, "Mary Hale"), (3, "Mary King")]


def test_discovery_never_adds_a_listed_name_twice() -> None:
    text = "Mary King sang. Miss King sang again, and Mary King left with Tom Pike."
    book = Book("b", text, split_chapters(text))
    result = extract(book, [Character("Mary King")], discover=True)
    assert [c.name for c in result.characters].count("Mary King") == 1


def test_a_house_or_a_colour_named_like_a_person_is_not_a_mention() -> None:
    characters = [Character("Helena Ravenclaw"), Character("Lavender Brown")]
    text = (
        "The hat sent Padma to Ravenclaw. Ravenclaw won the cup, and in Ravenclaw they "
        "cheered. The shop sold owls: Tawny, Screech, Barn, Brown and Snowy. Lavender "
        "bought a brown owl, and Brown laughed.\n"
    )
    result = extract(Book("b", text, split_chapters(text)), characters)
    # Helena is never named, and the book uses "Ravenclaw" once as a place: a house;
    # "Brown" among capitalised words that are no names, and written "brown" too: a colour
    assert [(m.text, m.character) for m in result.mentions] == [
        ("Lavender", "Lavender Brown"),
        ("Brown", "Lavender Brown"),
    ]
    named = text + "Helena Ravenclaw was the founder's daughter.\n"
    result = extract(Book("b", named, split_chapters(named)), characters)
    ravenclaw = [m.text for m in result.mentions if m.character == "Helena Ravenclaw"]
    assert ravenclaw == ["Ravenclaw", "Ravenclaw", "Helena Ravenclaw"]  # not "in Ravenclaw"


@given(st.lists(st.text(alphabet=" \n\u00a0ab", max_size=12), max_size=5), st.integers(0, 12))
def test_a_book_is_whole_when_its_chapters_hold_enough_words(chapters: list[str], n: int) -> None:
    # counted only as far as needed, it gives what splitting every chapter gives
    assert _words_at_least(chapters, n) == (sum(len(t.split()) for t in chapters) >= n)
