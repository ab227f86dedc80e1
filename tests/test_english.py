"""The English tables: one honorific table gives each title its gender, class and period;
the stages read the language they are given, English unless told otherwise."""

import re
from dataclasses import replace

from kg.book import split_chapters
from kg.discover import discover
from kg.english import ABBREVIATIONS, ENGLISH, HONORIFICS, PERIOD_AFTER, TITLES
from kg.extract import extract
from kg.names import variants
from kg.records import FEMALE, MALE, Book, Character


def test_one_row_of_the_honorific_table_gives_gender_class_and_abbreviation() -> None:
    assert HONORIFICS["Madame"] == HONORIFICS["Mrs"] == HONORIFICS["Miss"] == FEMALE
    assert HONORIFICS["Monsieur"] == MALE
    assert HONORIFICS["Doctor"] is None
    assert TITLES["Madame"] == TITLES["Mme"] == TITLES["Mrs"] == "Mrs"
    assert TITLES["Mlle"] == "Miss" != TITLES["Mrs"]
    assert TITLES["Lt"] == TITLES["Lieut"] == "Lieutenant"
    assert TITLES["Judge"] == "Judge"
    assert {"Mr", "Mme", "Lt", "Capt"} <= ABBREVIATIONS
    assert not {"Mister", "Captain", "Miss"} & ABBREVIATIONS


def test_every_title_class_is_an_honorific_of_the_same_gender() -> None:
    for word, title_class in TITLES.items():
        assert HONORIFICS[title_class] == HONORIFICS[word]
    assert set(TITLES) == set(HONORIFICS)


def test_extract_reads_the_honorifics_of_the_language_it_is_given() -> None:
    # "Tante" is no English honorific; a language where it is a woman's title makes it one
    aunts = replace(ENGLISH, honorifics={**ENGLISH.honorifics, "Tante": FEMALE})
    text = "Tante Quine poured the tea. Alder Quine laughed, and Quine sat down.\n"
    book = Book("b", text, split_chapters(text))
    alder = [Character("Alder Quine")]

    english = extract(book, alder)
    assert [m.text for m in english.mentions] == ["Quine", "Alder Quine", "Quine"]
    assert english.characters[0].gender is None

    other = extract(book, alder, language=aunts)
    assert [m.text for m in other.mentions] == ["Tante Quine", "Alder Quine", "Quine"]
    assert other.characters[0].gender == FEMALE


def test_name_variants_drop_the_titles_of_the_language_they_are_given() -> None:
    aunts = replace(ENGLISH, honorifics={**ENGLISH.honorifics, "Tante": FEMALE})
    tante = Character("Tante Alder Quine")
    assert "Alder Quine" not in variants(tante, {})
    assert "Alder Quine" in variants(tante, {}, aunts)


def test_discovery_reads_the_speech_verbs_of_the_language_it_is_given() -> None:
    # "grumbled" is no English speech verb here; a language where it is one finds its speaker
    grumbling = replace(ENGLISH, speech_verbs=ENGLISH.speech_verbs | {"grumbled"})
    text = '"Row harder," grumbled Quillfeather. "We are late," grumbled Quillfeather again.\n'
    book = Book("b", text, split_chapters(text))
    assert not [c.name for c in discover(book, ner=False)]
    assert [c.name for c in discover(book, ner=False, language=grumbling)] == ["Quillfeather"]


def test_coreference_reads_the_speech_verbs_of_the_language_it_is_given() -> None:
    grumbling = replace(ENGLISH, quote_verbs=ENGLISH.quote_verbs | {"grumbled"})
    text = 'The boat was slow.\n\n"Row harder," grumbled Quillfeather.\n'
    book = Book("b", text, split_chapters(text))
    rower = [Character("Quillfeather")]
    english = extract(book, rower, coref=True).quotes
    other = extract(book, rower, coref=True, language=grumbling).quotes
    assert english is not None and other is not None
    assert [q.speaker for q in english] == [None]
    assert [q.speaker for q in other] == ["Quillfeather"]


def test_discovery_reads_the_list_words_of_the_language_it_is_given() -> None:
    # "und" joins no English list: Florence after it is the person of the other sentences;
    # in a language where it joins lists, she shares the place of "in Dunmarsh"
    listing = replace(
        ENGLISH,
        list_and=re.compile(r"\s+(?:and|und)\s+"),
        list_comma=re.compile(r"\s*,\s*(?:(?:and|und)\s+)?"),
    )
    text = (
        "That summer we stayed in Dunmarsh und Florence. Corwen said the lakes of "
        "Dunmarsh und Florence were the finest, and Corwen smiled.\n"
    )
    book = Book("b", text, split_chapters(text))
    assert "Florence" in [c.name for c in discover(book, ner=False)]
    assert "Florence" not in [c.name for c in discover(book, ner=False, language=listing)]


def test_a_sentence_ends_at_no_period_of_an_abbreviation() -> None:
    text = "Capt. Hale came in. M. Krempe and the Rev. Mr. Ash sat down!  St. Ives slept.\n\nNo."
    assert ENGLISH.sentence_break.split(text) == [
        "Capt. Hale came in",
        "M. Krempe and the Rev. Mr. Ash sat down",
        "St. Ives slept",
        "No.",
    ]
    for word in PERIOD_AFTER:
        assert len(ENGLISH.sentence_break.split(f"The {word}. Quill came.")) == 1


def test_a_sentence_ends_at_an_end_mark_not_after_a_title_or_initial_nor_before_lowercase() -> None:
    text = (
        "Mr. Darcy bowed to J. Lucas. \u201cNo!\u201d said she. I. Venn left!\u201d "
        "Then St. Ives.\n\nA new paragraph"
    )
    assert ENGLISH.sentence_break.split(text) == [
        "Mr. Darcy bowed to J. Lucas",
        "\u201cNo!\u201d said she",
        "I",
        "Venn left",
        "Then St. Ives",
        "A new paragraph",
    ]
