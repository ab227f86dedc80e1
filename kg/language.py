"""A language: the word lists and phrase patterns kg reads a book with, as one value.

kg.english builds ENGLISH; the stages take a `language` and read their words from it, so a
second language is a second module that builds another Language.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """The words of one language that name finding, gender inference and extraction read
    (kg.english documents each list)."""

    honorifics: Mapping[str, str | None]
    abbreviations: frozenset[str]
    ranks: frozenset[str]
    rank_titles: frozenset[str]
    married_honorifics: frozenset[str]
    unmarried_honorifics: frozenset[str]
    wives_titles: frozenset[str]
    title_words: frozenset[str]
    particles: frozenset[str]
    suffixes: frozenset[str]
    spouses: tuple[str, ...]
    article_prefixes: tuple[str, ...]
    place_words: frozenset[str]
    determiners: frozenset[str]
    locatives: frozenset[str]
    prepositions: frozenset[str]
    pronouns: frozenset[str]
    list_words: frozenset[str]
    possessives: frozenset[str]
    third_person: Mapping[str, str]
    person_nouns: Mapping[str, str | None]
    unnamed_person: re.Pattern[str]
    mr_and_mrs: re.Pattern[str]
    sentence_break: re.Pattern[str]
    agent_verbs: frozenset[str]
    articles: frozenset[str]
    child: re.Pattern[str]
    contraction: re.Pattern[str]
    courtesy_titles: frozenset[str]
    first_name_titles: frozenset[str]
    journey: frozenset[str]
    kin_of: frozenset[str]
    kin_titles: frozenset[str]
    letter_to: re.Pattern[str]
    name_join: re.Pattern[str]
    list_and: re.Pattern[str]
    list_comma: re.Pattern[str]
    name_pair: re.Pattern[str]
    object_verbs: frozenset[str]
    office_titles: frozenset[str]
    period_after: frozenset[str]
    person_before: frozenset[str]
    place_before: frozenset[str]
    place_of: frozenset[str]
    place_verbs: frozenset[str]
    plain_titles: frozenset[str]
    saints: frozenset[str]
    speech_verbs: frozenset[str]
    stop: frozenset[str]
    strong_classes: frozenset[str]
    surname_titles: frozenset[str]
    titles: Mapping[str, str]
    vocative_after: frozenset[str]
    vocative_before: frozenset[str]
    spouse_noun: re.Pattern[str]
    works: frozenset[str]
    contraction_endings: re.Pattern[str]
    first_person: frozenset[str]
    numbered: frozenset[str]
    continuing_verbs: frozenset[str]
    quote_verb_particles: frozenset[str]
    quote_verbs: frozenset[str]
    reflexives: frozenset[str]
    acting_pronouns: frozenset[str]
    function_words: frozenset[str]
    object_forms: frozenset[str]
    object_pronouns: frozenset[str]
    reported_speech: frozenset[str]
    salutation: re.Pattern[str]
    self_introduction: re.Pattern[str]
    self_naming: re.Pattern[str]
    first_names: Callable[[], Mapping[str, str | None]]
    """The first-name gazetteer (name -> gender, None when both are common), read when used."""
