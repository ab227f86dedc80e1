"""Names as pure functions: name variants, honorifics with gender, the surface-form index."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.records import Character

MALE, FEMALE = "male", "female"


@cache
def first_names() -> dict[str, str | None]:
    """The shipped first-name gazetteer: name -> gender (None when both are common)."""
    text = resources.files("kg").joinpath("data/first_names.tsv").read_text(encoding="utf-8")
    genders = {"m": MALE, "f": FEMALE}
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {name: genders.get(g) for name, g in rows}


def word_set(text: str) -> frozenset[str]:
    """The words of a text, as a set (for tables of words written as one string)."""
    return frozenset(text.split())


_HONORIFIC_ROWS: tuple[tuple[str | None, str], ...] = (
    (MALE, "Mr Mister Master Sir Lord Uncle Father Brother Squire King Prince Duke Count Baron"),
    (MALE, "Earl Emperor Monsieur Herr Signor Señor Grandpa Grandad Granddad Grandfather"),
    (FEMALE, "Mrs Miss Ms Madam Madame Mme Mlle Mademoiselle Mistress Dame Lady Aunt Auntie"),
    (FEMALE, "Aunty Sister Mother Queen Princess Duchess Countess Baroness Empress Frau"),
    (FEMALE, "Signora Señora Granny Grandma Grandmother Gran Nan"),
    (None, "Professor Prof Dr Doctor Captain Capt Colonel Col General Gen Major Lieutenant"),
    (None, "Lieut Lt Sergeant Sgt Admiral Inspector Judge Rev Reverend Cousin Constable"),
)
HONORIFICS: dict[str, str | None] = {
    word: gender for gender, words in _HONORIFIC_ROWS for word in words.split()
}
"""Honorific (without its period) -> the gender it implies, or None."""
ABBREVIATIONS = word_set("Mr Mrs Ms Dr Prof Capt Col Gen Lieut Lt Sgt Rev Mme Mlle")
"""Honorifics that are abbreviations, so a period may follow them ("Capt. Hale")."""
MARRIED_WOMEN = frozenset({"Mrs", "Madame", "Mme"})
MARRIED_HONORIFICS = MARRIED_WOMEN | {"Mr", "Mister"}
"""Honorifics that point to a married (adult) candidate: "Mr. Weasley" is the father."""
UNMARRIED_HONORIFICS = frozenset({"Miss", "Mlle", "Mademoiselle", "Master"})
WIVES_TITLES = MARRIED_WOMEN | word_set("Lady Dame Duchess Countess Baroness Queen Empress")
"""Titles of a woman who is not a "Miss": a wife or widow ("Lady Lucas", "Lady Catherine")."""
RANK_TITLES = word_set("Sir Lady Lord Dame")
"""Titles that go with one person's own name ("Sir William"): a listed "William Collins" is
not "Sir William" unless his listed name or the book gives him the title."""
TITLE_WORDS = frozenset(HONORIFICS) | {"Baron", "Baroness", "Friar", "Knight", "Ghost"}
"""A name ending in one of these ("the Fat Lady", "the Bloody Baron") is not split in parts,
unless it begins with a first name ("Mary King")."""
PLACE_WORDS = word_set(
    "Street Road Lane Avenue Drive Place Square Row Close Court Crescent Terrace Gardens "
    "Way Alley Hill Hall House Manor Castle Palace Tower Abbey Church Chapel Cathedral "
    "Park Station Bank Hotel Inn Bridge River Lake Bay Island Forest Woods Moor Valley "
    "Village Town City County School College Academy University Hospital Prison Market "
    "Shop Store Company Co Ltd Cottage Farm Mill Gate Quay Harbour Harbor Reach Marsh Fen "
    "Estate Hollow Pond Creek Brook Wharf Dock Yard Cove"
)
"""A name word followed by one of these ("Baker's Lane", "Malfoy Manor") names a place."""
PARTICLES = word_set("de van von der den du da di del della le la ten ter bin ibn al")
SUFFIXES = word_set("Jr Jr. Sr Sr. Junior Senior II III IV")
_SPOUSES = ("husband", "wife", "spouse")
_ARTICLES = ("The ", "the ")
_QUOTES = "\"'()\u201c\u201d\u2018\u2019"

WHOLE, SHORT, PART, NICKNAME = 0, 1, 2, 3
"""Strength of a surface form, strongest first: the name or an alias; a shortened full name
("Albus Dumbledore", "Toby Thornley"); a first or last name; a nickname from the table."""


@dataclass(frozen=True)
class Form:
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

    forms: Mapping[str, Form]
    gender: Mapping[str, str | None]
    married: Mapping[str, bool | None]
    first_chapter: Mapping[str, int | None]
    titles: Mapping[str, frozenset[str]]
    """The honorifics that begin a character's listed name or aliases."""


def honorific(word: str) -> str | None:
    """The honorific a token is ("Mr." -> "Mr", "PROFESSOR" -> "Professor"), or None."""
    for bare in (word, word.capitalize()) if word.isupper() else (word,):
        if bare.endswith(".") and bare[:-1] in ABBREVIATIONS:
            bare = bare[:-1]
        if bare in HONORIFICS:
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


def strip_article(alias: str) -> str:
    """ "The Grey Captain" -> "Grey Captain": the article is not part of the mention."""
    for article in _ARTICLES:
        if alias.startswith(article) and len(alias) > len(article):
            return alias[len(article) :].strip()
    return alias


def variants(character: Character, nicknames: Mapping[str, Iterable[str]]) -> dict[str, int]:
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
    add(strip_article(name), SHORT)
    for alias in aliases:
        add(strip_article(alias), WHOLE)
    words = name.split()
    quoted = [w for w in words if w[0] in _QUOTES and len(w) > 2]
    for word in quoted:
        add(word.strip(_QUOTES), WHOLE)
    words = [w for w in words if w not in quoted]
    while words and honorific(words[0]):
        words = words[1:]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    add(" ".join(words), SHORT if len(words) > 1 else PART)
    _titled_names(aliases, found, add)
    if not words or (words[-1] in TITLE_WORDS and words[0] not in first_names()):
        return found
    given = [w for w in words if _is_name_word(w)]
    descriptive = any(w.islower() and w not in PARTICLES for w in words)
    last = "" if descriptive else _surname(words)
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
    aliases: Iterable[str], found: Mapping[str, int], add: Callable[[str, int], None]
) -> None:
    """ "Sir Bertram" and "Bertram Hollis" give "Sir Bertram Hollis", which must win over both."""
    for alias in aliases:
        title, _, rest = alias.partition(" ")
        if rest and honorific(title):
            for form, level in list(found.items()):
                if level <= SHORT and form.startswith(rest + " "):
                    add(f"{title} {form}", WHOLE)


def _is_name_word(word: str) -> bool:
    """A capitalised word that is not an initial ("J.") or a connective."""
    return word[:1].isupper() and not (len(word) <= 2 and word.endswith("."))


def _surname(words: list[str]) -> str:
    """The last name with its particles ("van Helsing"), or "" when the name has none."""
    if len(words) < 2 or not _is_name_word(words[-1]):
        return ""
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def build_index(
    characters: Iterable[Character],
    nicknames: Mapping[str, Iterable[str]] | None = None,
    *,
    caps: bool = False,
) -> NameIndex:
    """The surface-form index of a character list; a form keeps only its strongest owners.

    With `caps`, forms written in capitals ("KIT", "GREY CAPTAIN") are indexed too.
    """
    characters = list(characters)
    owners: dict[str, dict[str, int]] = {}
    for character in characters:
        for form, level in variants(character, nicknames or {}).items():
            if not any(c.isalpha() for c in form):
                continue
            owners.setdefault(form, {})[character.name] = level
            if caps and not form.isupper():
                owners.setdefault(form.upper(), {})[character.name] = level
    forms = {form: Form(tuple(sorted(levels.items()))) for form, levels in owners.items()}
    return NameIndex(
        forms=forms,
        gender={c.name: gender_of(c) for c in characters},
        married={c.name: married(c) for c in characters},
        first_chapter={c.name: c.first_chapter for c in characters},
        titles={c.name: _titles(c) for c in characters},
    )


def _titles(character: Character) -> frozenset[str]:
    names = (strip_article(n) for n in (character.name, *character.aliases))
    return frozenset(t for n in names if n.split() and (t := honorific(n.split()[0])))


def married(character: Character) -> bool | None:
    """Whether the character is married: the record's own value, else a spouse in its family,
    else the title in its name ("Mrs. Sedley" yes, "Miss Sedley" no); None when unknown."""
    if character.married is not None:
        return character.married
    if any(tie.type.lower().startswith(_SPOUSES) for tie in character.family):
        return True
    return title_married(character.name)


def title_married(name: str) -> bool | None:
    """What the title of a name says of marriage: "Mrs."/"Lady" married, "Miss" not, else None."""
    title = honorific(name.split()[0]) if name.split() else None
    if title in WIVES_TITLES:
        return True
    if title in UNMARRIED_HONORIFICS:
        return False
    return None


def title_gender(name: str) -> str | None:
    """The gender the title of a name gives ("Mrs. Sedley" -> "female"), or None."""
    title = honorific(name.split()[0]) if name.split() else None
    return HONORIFICS[title] if title else None


def gender_of(character: Character) -> str | None:
    """The character's gender, from the record or else from an honorific in its name."""
    return normal_gender(character.gender) or title_gender(character.name)
