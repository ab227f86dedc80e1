"""Names as pure functions: name variants, honorifics with gender, the surface-form index."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from kg.english import ENGLISH
from kg.language import Language
from kg.records import FEMALE, MALE, Character

_QUOTES = "\"'()\u201c\u201d\u2018\u2019"

WHOLE, SHORT, PART, NICKNAME = 0, 1, 2, 3
"""Strength of a surface form, strongest first: the name or an alias; a shortened full name
("Albus Dumbledore", "Toby Thornley"); a first or last name; a nickname from the table."""


@dataclass(frozen=True)
class FormOwners:
    """What a surface form may name: every owner with the strength of the form for it."""

    owners: tuple[tuple[str, int], ...]
    """(character, level) pairs, sorted by character."""

    @property
    def candidates(self) -> tuple[str, ...]:
        """The owners for whom the form is strongest."""
        return strongest(self.owners)


def strongest(owners: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """The names among (name, level) pairs with the strongest (lowest) level."""
    owners = list(owners)
    best = min((level for _, level in owners), default=WHOLE)
    return tuple(name for name, level in owners if level == best)


@dataclass(frozen=True)
class Override:
    """A user's decision: `surface` (in `chapter`, or everywhere) is `character` ("" = nobody)."""

    surface: str
    chapter: int | None
    character: str


@dataclass(frozen=True)
class NameIndex:
    """Every surface form of every character, with the facts disambiguation needs."""

    forms: Mapping[str, FormOwners]
    gender: Mapping[str, str | None]
    married: Mapping[str, bool | None]
    first_chapter: Mapping[str, int | None]
    titles: Mapping[str, frozenset[str]]
    """The honorifics that begin a character's listed name or aliases."""
    language: Language
    """The language the index was built in."""


def honorific(word: str, language: Language = ENGLISH) -> str | None:
    """The honorific a token is ("Mr." -> "Mr", "PROFESSOR" -> "Professor"), or None."""
    for bare in (word, word.capitalize()) if word.isupper() else (word,):
        if bare.endswith(".") and bare[:-1] in language.abbreviations:
            bare = bare[:-1]
        if bare in language.honorifics:
            return bare
    return None


def normal_gender(value: str | None) -> str | None:
    """ "Female", "f", "woman" -> "female"; "Male", "m", "man" -> "male"; anything else None."""
    value = (value or "").strip().lower()
    if value.startswith(("f", "w", "girl")):
        return FEMALE
    if value.startswith(("m", "boy")):
        return MALE
    return None


def strip_article(alias: str, language: Language = ENGLISH) -> str:
    """ "The Grey Captain" -> "Grey Captain": the article is not part of the mention."""
    for article in language.article_prefixes:
        if alias.startswith(article) and len(alias) > len(article):
            return alias[len(article) :].strip()
    return alias


def variants(
    character: Character,
    nicknames: Mapping[str, Iterable[str]],
    language: Language = ENGLISH,
) -> dict[str, int]:
    """Every surface form of a character with its strength (WHOLE, SHORT, PART or NICKNAME).

    "Ronald Bilius Weasley" with the nickname Ron gives Ronald Bilius Weasley (WHOLE),
    Ronald Weasley and Ron Weasley (SHORT), Ronald and Weasley (PART), Ron (NICKNAME).
    """
    found: dict[str, int] = {}

    def add(form: str, level: int) -> None:
        if form and level < found.get(form, NICKNAME + 1):
            found[form] = level

    name = " ".join(character.name.split())  # the matcher sees a whitespace run as one space
    aliases = [" ".join(alias.split()) for alias in character.aliases]
    add(name, WHOLE)
    add(strip_article(name, language), SHORT)
    for alias in aliases:
        add(strip_article(alias, language), WHOLE)
    words = name.split()
    quoted = [w for w in words if w[0] in _QUOTES and len(w) > 2]
    for word in quoted:
        add(word.strip(_QUOTES), WHOLE)
    words = [w for w in words if w not in quoted]
    while words and honorific(words[0], language):
        words = words[1:]
    while len(words) > 1 and words[-1] in language.suffixes:
        words = words[:-1]
    add(" ".join(words), SHORT if len(words) > 1 else PART)
    _titled_names(aliases, found, add, language)
    if not words or (words[-1] in language.title_words and words[0] not in language.first_names()):
        return found
    given = [w for w in words if _is_name_word(w)]
    descriptive = any(w.islower() and w not in language.particles for w in words)
    last = "" if descriptive else _surname(words, language)
    if last and len(given) > 1:
        add(last, PART)
        add(last.split()[-1], PART)
    if len(given) > 1 and words[0] == given[0]:
        first = given[0]
        add(first, PART)
        if last:
            add(f"{first} {last}", SHORT)
        for nickname in nicknames.get(first, ()):
            add(nickname, NICKNAME)
            if last:
                add(f"{nickname} {last}", SHORT)
    return found


def _titled_names(
    aliases: Iterable[str],
    found: Mapping[str, int],
    add: Callable[[str, int], None],
    language: Language,
) -> None:
    """ "Sir Bertram" and "Bertram Hollis" give "Sir Bertram Hollis", which must win over both."""
    for alias in aliases:
        title, _, rest = alias.partition(" ")
        if rest and honorific(title, language):
            for form, level in list(found.items()):
                if level <= SHORT and form.startswith(rest + " "):
                    add(f"{title} {form}", WHOLE)


def _is_name_word(word: str) -> bool:
    """A capitalised word that is not an initial ("J.") or a connective."""
    return word[:1].isupper() and not (len(word) <= 2 and word.endswith("."))


def _surname(words: list[str], language: Language) -> str:
    """The last name with its particles ("van Helsing"), or "" when the name has none."""
    if len(words) < 2 or not _is_name_word(words[-1]):
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1] in language.particles:
        start -= 1
    return " ".join(words[start:])


def build_index(
    characters: Iterable[Character],
    nicknames: Mapping[str, Iterable[str]] | None = None,
    *,
    caps: bool = False,
    language: Language = ENGLISH,
) -> NameIndex:
    """The surface-form index of a character list; a form keeps only its strongest owners.

    With `caps`, forms written in capitals ("KIT", "GREY CAPTAIN") are indexed too.
    """
    characters = list(characters)
    owners: dict[str, dict[str, int]] = {}
    for character in characters:
        for form, level in variants(character, nicknames or {}, language).items():
            if not any(c.isalpha() for c in form):
                continue
            owners.setdefault(form, {})[character.name] = level
            if caps and not form.isupper():
                owners.setdefault(form.upper(), {})[character.name] = level
    forms = {form: FormOwners(tuple(sorted(levels.items()))) for form, levels in owners.items()}
    return NameIndex(
        forms=forms,
        gender={c.name: gender_of(c, language) for c in characters},
        married={c.name: married(c, language) for c in characters},
        first_chapter={c.name: c.first_chapter for c in characters},
        titles={c.name: _titles(c, language) for c in characters},
        language=language,
    )


def _titles(character: Character, language: Language) -> frozenset[str]:
    names = (strip_article(n, language) for n in (character.name, *character.aliases))
    return frozenset(t for n in names if n.split() and (t := honorific(n.split()[0], language)))


def married(character: Character, language: Language = ENGLISH) -> bool | None:
    """Whether the character is married: the record's own value, else a spouse in its family,
    else the title in its name ("Mrs. Sedley" yes, "Miss Sedley" no); None when unknown."""
    if character.married is not None:
        return character.married
    if any(tie.type.lower().startswith(language.spouses) for tie in character.family):
        return True
    return title_married(character.name, language)


def title_married(name: str, language: Language = ENGLISH) -> bool | None:
    """What the title of a name says of marriage: "Mrs."/"Lady" married, "Miss" not, else None."""
    title = honorific(name.split()[0], language) if name.split() else None
    if title in language.wives_titles:
        return True
    if title in language.unmarried_honorifics:
        return False
    return None


def title_gender(name: str, language: Language = ENGLISH) -> str | None:
    """The gender the title of a name gives ("Mrs. Sedley" -> "female"), or None."""
    title = honorific(name.split()[0], language) if name.split() else None
    return language.honorifics[title] if title else None


def gender_of(character: Character, language: Language = ENGLISH) -> str | None:
    """The character's gender, from the record or else from an honorific in its name."""
    return normal_gender(character.gender) or title_gender(character.name, language)
