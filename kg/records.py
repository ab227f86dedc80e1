"""The typed records that flow between the stages: scrape -> extract -> load -> analyze."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FamilyTie:
    """A relative of a character, with the relation as the wiki states it ("father")."""

    person: str
    type: str


Facts = tuple[tuple[str, tuple[str, ...]], ...]
"""A character's facts as (key, values) pairs: ("house", ("Quill House",)), ("loyalty", (…))."""


@dataclass(frozen=True)
class Character:
    """A character and the facts a wiki (or discovery) gives about it."""

    name: str
    aliases: tuple[str, ...] = ()
    first_chapter: int | None = None
    gender: str | None = None
    facts: Facts = ()
    """What a wiki states beyond name, aliases, gender and family, by key ("house", "loyalty",
    "species"); kept sorted by key, without empty keys, so equal facts compare equal."""
    family: tuple[FamilyTie, ...] = ()
    url: str | None = None
    discovered: bool = False
    gender_source: str | None = None
    """Where `gender` came from: "list", "discovery", or "inferred:HOW" (see kg.gender)."""
    married: bool | None = None
    """True for a married (or widowed) person, False for an unmarried one, None if unknown."""
    married_source: str | None = None

    def __post_init__(self) -> None:
        facts = dict(self.facts)
        object.__setattr__(self, "facts", tuple(sorted((k, v) for k, v in facts.items() if v)))

    def fact(self, key: str) -> tuple[str, ...]:
        """The values of one fact, in the wiki's order; () if the character has none."""
        return dict(self.facts).get(key, ())


@dataclass(frozen=True)
class Chapter:
    """A chapter: its 1-based number, heading title and body span as offsets into the book text."""

    number: int
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Book:
    """A book's text exactly as read, and its chapters."""

    title: str
    text: str
    chapters: tuple[Chapter, ...]
    source: str | None = None
    """The file name the text was read from, when it came from a file."""
    gutenberg: tuple[int, int] | None = None
    """In a Project Gutenberg file, where the book lies (start, end): the header before it
    and the licence after it are no part of the book."""

    def chapter_text(self, chapter: Chapter) -> str:
        return self.text[chapter.start : chapter.end]


MALE, FEMALE = "male", "female"
"""The genders a character record and the output files give."""
NAME, PRONOUN, NARRATOR = "name", "pronoun", "narrator"
"""Kinds of mention: a name, a pronoun resolved to a character, the narrator's "I"."""


@dataclass(frozen=True)
class Mention:
    """A mention of a character: text == book.text[start:end]; token is its first token's index."""

    chapter: int
    start: int
    end: int
    text: str
    character: str
    token: int = field(default=0, compare=False)
    kind: str = NAME


@dataclass(frozen=True)
class Word:
    """A word of interest found by the tokenizer (a pronoun): text == book.text[start:end]."""

    chapter: int
    start: int
    end: int
    text: str
    token: int


@dataclass(frozen=True)
class Quote:
    """A quotation (marks included, paragraphs it spans joined) with its speaker and addressee."""

    chapter: int
    start: int
    end: int
    speaker: str | None = None
    addressee: str | None = None


@dataclass(frozen=True)
class Interaction:
    """An undirected co-occurrence count between two characters, stored with source < target."""

    source: str
    target: str
    weight: int
    chapters: tuple[tuple[int, int], ...] = ()
    """(chapter, count) pairs, sorted by chapter; the counts sum to weight."""

    def __post_init__(self) -> None:
        if not self.source < self.target:
            raise ValueError(f"interaction pair not canonical: {self.source!r} >= {self.target!r}")


@dataclass(frozen=True)
class CharacterStats:
    """A character's place in the network: mention count, weighted PageRank, Louvain community."""

    name: str
    mentions: int
    pagerank: float
    community: int
