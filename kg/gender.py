"""Gender and marital status of characters, inferred where the character list leaves them out.

Gender, first source that gives one: the list itself; the title of the listed name ("Mrs.
Bennet") or of its aliases, when they agree ("Mr. Darcy"); a gendered title that the book
puts before the character's own name ("Aunt Petunia"); the first-name gazetteer
("Georgiana"); the pronouns that follow the character's unambiguous mentions (fewer when
they all agree); a military rank ("Captain Lennox": a man unless the pronouns say
otherwise); a couple introduced as "Mr. and Mrs. X". Marriage: the list (a
`married` value or a spouse), the title of the listed name ("Mrs.", "Lady" yes; "Miss" no),
a couple.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from kg.english import ENGLISH
from kg.language import Language
from kg.names import (
    gender_of,
    honorific,
    married,
    normal_gender,
    title_gender,
    title_married,
    variants,
)
from kg.records import FEMALE, MALE, Character

LIST, DISCOVERY = "list", "discovery"
NAME_TITLE, BOOK_TITLE = "inferred:name-title", "inferred:book-title"
FIRST_NAME, PRONOUNS, COUPLE = "inferred:first-name", "inferred:pronouns", "inferred:couple"
SPOUSE_TITLE = "inferred:title-apart"
RANK_TITLE = "inferred:rank"
SPOUSE_EVIDENCE = 3
"""Sentences with "Mrs. X" ("Mr. X") needed before they show which of family X is married."""
PRONOUN_VOTES = 3
"""Pronouns needed after a character's unambiguous mentions before they decide its gender..."""
UNANIMOUS_VOTES = 2
"""...or this many, when they all agree..."""
PRONOUN_SHARE = 0.7
"""...and the share of them that must agree."""
PRONOUN_REACH = 12
"""Words after a mention in which its pronoun is looked for (up to the next name)."""
_WORD = re.compile(r"[^\W\d_]+|[\"\u201c\u201d]")
"""A word: letters only ("Mr. O'Hara" is "Mr", "O", "Hara", in forms and book alike), or a
double quotation mark."""
_QUOTE_MARKS = frozenset('"\u201c\u201d')
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")


def infer(
    characters: Sequence[Character],
    text: str,
    nicknames: Mapping[str, Iterable[str]] | None = None,
    language: Language = ENGLISH,
) -> list[Character]:
    """The characters with `gender` and `married` filled in where the records leave them
    out, each with where it came from (`gender_source`, `married_source`).

    `text` is the book: its titles, pronouns and couples are evidence. `nicknames` (name ->
    nicknames) widen the forms that name one character only. `language`: the words read.

    >>> infer([Character("Georgiana Darcy")], "")[0].gender_source
    'inferred:first-name'
    """
    evidence = _Evidence.read(characters, text, nicknames or {}, language)
    people = [_gender(c, evidence, language) for c in characters]
    return _spouses(_couples(people, text, language), text, language)


@dataclass(frozen=True)
class _Evidence:
    """Per character, the titles the book puts before its own forms and the pronouns after."""

    titles: Mapping[str, Counter[str]]
    pronouns: Mapping[str, Counter[str]]

    @classmethod
    def read(
        cls,
        characters: Sequence[Character],
        text: str,
        nicknames: Mapping[str, Iterable[str]],
        language: Language,
    ) -> "_Evidence":
        titles: defaultdict[str, Counter[str]] = defaultdict(Counter)
        pronouns: defaultdict[str, Counter[str]] = defaultdict(Counter)
        unknown = [c for c in characters if gender_of(c, language) is None]
        if not unknown or not text:
            return cls(titles, pronouns)
        owners = _owners(characters, nicknames, language)
        firsts = {key[0] for key in owners}
        longest = max(len(key) for key in owners)
        wanted = {c.name for c in unknown}
        # only a paragraph with the first word of a wanted character's form holds its evidence
        clues = {key[0] for key, names in owners.items() if names & wanted}
        clue = re.compile("|".join(sorted(map(re.escape, clues))))
        for paragraph in _PARAGRAPH.split(text):
            if not clue.search(paragraph):
                continue
            words = _WORD.findall(paragraph)
            end = 0  # a form's words are not the start of another
            for i in [i for i, word in enumerate(words) if word in firsts]:
                if i < end or (form := _longest(words, i, longest, owners)) is None:
                    continue
                found = owners[form]
                if len(found) == 1 and (name := next(iter(found))) in wanted:
                    title = honorific(words[i - 1], language) if i else None
                    if title and (implied := language.honorifics[title]):
                        titles[name][implied] += 1
                    subject = not i or words[i - 1] not in language.prepositions
                    if subject and (
                        pronoun := _pronoun_after(words, i + len(form), firsts, language)
                    ):
                        pronouns[name][pronoun] += 1
                end = i + len(form)
        return cls(titles, pronouns)


def _owners(
    characters: Sequence[Character], nicknames: Mapping[str, Iterable[str]], language: Language
) -> dict[tuple[str, ...], set[str]]:
    """Every form of every character, as words, with the characters it may name."""
    owners: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    for c in characters:
        for form in variants(c, nicknames, language):
            if words := tuple(_WORD.findall(form)):
                owners[words].add(c.name)
    return owners


def _longest(
    words: Sequence[str], i: int, longest: int, forms: Mapping[tuple[str, ...], object]
) -> tuple[str, ...] | None:
    """The longest form that starts at word i."""
    for n in range(longest, 0, -1):
        if (key := tuple(words[i : i + n])) in forms:
            return key
    return None


def _pronoun_after(
    words: Sequence[str], i: int, firsts: set[str], language: Language
) -> str | None:
    """The gender of the first personal pronoun within reach after a name (in its
    paragraph), if no other name and no quotation mark come first (the "she" of '"I see
    Leonce is not coming," she said' is the speaker) and it is no object pronoun (the "him"
    of "Safie sang to him" is someone else)."""
    for word in words[i : i + PRONOUN_REACH]:
        if word in firsts or word in _QUOTE_MARKS or word.lower() in language.object_pronouns:
            return None
        if gender := language.third_person.get(word.lower()):
            return gender
    return None


def _gender(character: Character, evidence: _Evidence, language: Language) -> Character:
    """The character with its gender and marriage set, and the source of each."""
    gender, source = _gender_and_source(character, evidence, language)
    wed, wed_source = married(character, language), character.married_source
    if character.married is not None:
        wed_source = wed_source or LIST
    elif wed is not None:
        wed_source = NAME_TITLE if title_married(character.name, language) == wed else LIST
    return replace(
        character, gender=gender, gender_source=source, married=wed, married_source=wed_source
    )


def _gender_and_source(
    character: Character, evidence: _Evidence, language: Language
) -> tuple[str | None, str | None]:
    if gender := normal_gender(character.gender):
        given = character.gender_source or (DISCOVERY if character.discovered else LIST)
        return gender, given
    if gender := title_gender(character.name, language) or _alias_title_gender(character, language):
        return gender, NAME_TITLE
    titles = evidence.titles.get(character.name, Counter())
    if len(titles) == 1:
        return next(iter(titles)), BOOK_TITLE
    if gender := _first_name_gender(character.name, language):
        return gender, FIRST_NAME
    votes = evidence.pronouns.get(character.name, Counter())
    if votes:
        gender, count = votes.most_common(1)[0]
        if count >= PRONOUN_VOTES and count >= PRONOUN_SHARE * sum(votes.values()):
            return gender, PRONOUNS
        if count == sum(votes.values()) and (
            count >= UNANIMOUS_VOTES or _either_gender(character.name, language)
        ):
            return gender, PRONOUNS
    if (
        language.titles.get(honorific(character.name.split()[0], language) or "") in language.ranks
        and votes[MALE] >= votes[FEMALE]
    ):
        return MALE, RANK_TITLE
    return None, None


def _alias_title_gender(character: Character, language: Language) -> str | None:
    """The gender the titles of the listed aliases give, when they all agree ("Mr. Darcy"
    for Fitzwilliam Darcy)."""
    genders = {title_gender(alias, language) for alias in character.aliases} - {None}
    return genders.pop() if len(genders) == 1 else None


def _either_gender(name: str, language: Language) -> bool:
    """Whether the name starts with a first name the gazetteer gives to both genders ("Dorian
    Gray"): a person's name, whose one pronoun decides."""
    words = [w for w in name.split() if not honorific(w, language)]
    names = language.first_names()
    return bool(words) and words[0] in names and names[words[0]] is None


def _first_name_gender(name: str, language: Language) -> str | None:
    """The gazetteer's gender of the first of two or more name words ("Georgiana Darcy")."""
    words = [w for w in name.split() if not honorific(w, language)]
    if len(words) < 2 or not words[0][:1].isupper() or words[0].endswith("."):
        return None
    return language.first_names().get(words[0])


def _couples(people: list[Character], text: str, language: Language) -> list[Character]:
    """ "Mr. and Mrs. X": a married man and a married woman of family X. The one man (woman)
    of the family is married; the one of unknown gender is the man (woman) the family lacks."""
    for surname in sorted(_couple_surnames(text, language)):
        family = [i for i, c in enumerate(people) if _surname(c.name) == surname]
        for gender in (MALE, FEMALE):
            unknown = [i for i in family if people[i].gender is None]
            if len(unknown) == 1 and not any(people[i].gender == gender for i in family):
                people[unknown[0]] = replace(
                    people[unknown[0]], gender=gender, gender_source=COUPLE
                )
            same = [i for i in family if people[i].gender == gender]
            if len(same) == 1 and people[same[0]].married is None:
                people[same[0]] = replace(people[same[0]], married=True, married_source=COUPLE)
    return people


def _couple_surnames(text: str, language: Language) -> set[str]:
    """The X of each "Mr. and Mrs. X" (the language's mr_and_mrs), tried only where "Mr" is
    (searched, the regex would try every position of the book: it starts with a word boundary)."""
    surnames = set()
    at = text.find("Mr")
    while at >= 0:
        couple = language.mr_and_mrs.match(text, at)
        if couple:
            surnames.add(couple.group(1))
        at = text.find("Mr", couple.end() if couple else at + 1)
    return surnames


def _spouses(people: list[Character], text: str, language: Language) -> list[Character]:
    """ "Mrs. X" is the married woman of family X: when several women of the family may be
    her, she is the only one whose first name never shares a sentence with "Mrs. X" while
    the others' do ("Mrs. Weasley told Ginny"). The same for "Mr. X" and the men."""
    sentences: list[str] = []
    for gender, title in ((FEMALE, "Mrs"), (MALE, "Mr")):
        families: defaultdict[str, list[int]] = defaultdict(list)
        for i, c in enumerate(people):
            if c.gender == gender and (surname := _surname(c.name)):
                families[surname].append(i)
        for surname, family in sorted(families.items()):
            if len(family) < 2 or any(people[i].married for i in family):
                continue
            sentences = sentences or language.sentence_break.split(text)
            titled = re.compile(rf"\b{title}\.?\s+{re.escape(surname)}\b")
            near = [s for s in sentences if titled.search(s)]
            if len(near) < SPOUSE_EVIDENCE:
                continue
            never = {i: _never_in(people[i], near, language) for i in family}
            apart = [i for i in family if people[i].married is None and never[i]]
            if len(apart) == 1 and len(family) - 1 == sum(
                not never[i] for i in family if i != apart[0]
            ):
                people[apart[0]] = replace(
                    people[apart[0]], married=True, married_source=SPOUSE_TITLE
                )
    return people


def _never_in(character: Character, sentences: Iterable[str], language: Language) -> bool:
    first = character.name.split()[0]
    if honorific(first, language) or not first[:1].isupper():
        return False
    word = re.compile(rf"\b{re.escape(first)}\b")
    return not any(word.search(s) for s in sentences)


def _surname(name: str) -> str:
    words = name.split()
    return words[-1] if len(words) > 1 else ""
