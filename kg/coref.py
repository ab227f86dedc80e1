"""Coreference by rules: quotations and their speakers, the narrator, and pronouns -> characters.

Input: the book, its characters, their name mentions and the pronouns the tokenizer found
(kg.extract.scan). Output: pronoun mentions (kind "pronoun" or "narrator") and quotations.
Gender comes from the character (kg.names.gender_of; kg.gender infers it beforehand). A
pronoun is left unresolved when no character of its gender is in reach or when two are
about as salient.
"""

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import TypeVar

from kg.english import ENGLISH
from kg.language import Language
from kg.names import gender_of
from kg.records import (
    FEMALE,
    MALE,
    NARRATOR,
    PRONOUN,
    Book,
    Chapter,
    Character,
    Mention,
    Quote,
    Word,
)


def pronoun_words(language: Language) -> frozenset[str]:
    """The tokens kg.extract.scan is asked to find: the language's third- and first-person
    pronouns in any case, and "I." (one token, as an initial is: "said I.")."""
    return frozenset(
        form
        for word in (*language.third_person, *language.first_person)
        for form in (word, word.capitalize(), word.upper())
    ) | {"I."}


REACH = 4
"""A pronoun looks back this many sentences for the character it stands for."""
TOPIC_REACH = 12
"""Beyond REACH, a pronoun takes the only character of its gender this many sentences back."""
FAR_MARGIN = 5.0
"""With two or more in TOPIC_REACH and none in REACH, a pronoun that starts its sentence (or
names a speaker: "said he") takes the most salient if it weighs this many times the next."""
NARRATED_REACH = 8
"""A pronoun in a quotation that names no one of its gender in TOPIC_REACH takes the only one
the narration named this many sentences back."""
NAMED_AHEAD = 1
"""A name gives its character to the he/she left unresolved before the chapter's first
mention of their gender, in its sentence or this many before it ("From the bench on which he
sat, Arthur watched"); further on, a name after a run is as often someone else."""
DECAY = 0.5
"""Salience lost per sentence between a mention and the pronoun."""
SUBJECT_BONUS = 2.0
"""A sentence's first mention (most often its subject) weighs this much more."""
QUOTED = 0.5
"""A mention inside another quotation weighs this much (it is often a vocative)."""
MARGIN = 3.0
"""The best candidate must be this many times as salient as the next one."""
ATTRIBUTION_CHARS = 120
"""How far from a quotation its "said Harry" is looked for."""
MIN_FIRST_PERSON = 10
"""A book with fewer "I"s outside quotations has no narrator found automatically."""
NARRATION_WORDS = 100
"""Nor does one with fewer than one "I" per this many words outside quotations."""

_POSSESSIVE_S = re.compile(r"\s*['\u2019]s\s*$")
_I = "\0I"
"""The speaker of a quotation attributed to "I" ("said I"), whoever the narrator is."""
_UNNAMED = {MALE: "\0a man", FEMALE: "\0a woman"}
"""Who an unnamed person is in the salience of a pronoun of each gender ("A stranger came")."""
_T = TypeVar("_T", Mention, Word)
_DOUBLE = re.compile(r"[\"\u201c\u201d]")
_SINGLE = re.compile(r"[\u2018\u2019']")
_OPENING_MARK = re.compile(r"\s*[\"'\u201c\u2018]")
"""The next paragraph opens with a quotation mark (a quotation goes on)."""
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_CLOSERS = "\"'\u201d\u2019)"
"""What may follow a sentence's end mark."""
_END_MARK = re.compile(rf"[.!?]+[{_CLOSERS}]*(?=\s)")
_LINE_END = re.compile(rf"{_END_MARK.pattern}|\n")
"""Where a "sentence" ends in text with one sentence per line: at an end mark followed by a
space (also after "Mr."), and at a line's end, so a line that ends with a full stop ends
two: the reaches and weights of the rules below were measured so (on LitBank)."""
_CLAUSE_END = re.compile(r"[.!?;\"\u201c\u201d\u2018]|'(?=\s)")
_INITIALS = re.compile(r"(?:[A-Z]\.\s*)*")
_BLANK_BEFORE = re.compile(r"\A\s*\Z|\n[ \t]*\n\Z")
_BLANK_AFTER = re.compile(r"\n[ \t]*(?:\n|\Z)|\Z")
_INITIALS_LINE = re.compile(r"^[ \t]*(?P<initials>(?:[A-Z]\.[ \t]*){2,3})$", re.MULTILINE)
_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
_LAST_WORD = re.compile(r"([^\W\d_]+)[ \t]*$")
_MARKS = " \t\n\"'\u201c\u201d\u2018\u2019"
"""Quotation marks and the space around them."""
_LEADING_MARKS = re.compile(r"[\s\"'\u201c\u2018]*")
_WORD = re.compile(r"[\w'\u2019-]+")
_WORD_OR_INITIAL = re.compile(r"[\w'\u2019.-]+")
"""A word of an attribution clause, or an initial or title with its full stop ("Mr.")."""
_VOCATIVE_BEFORE = frozenset(",\"'\u201c\u2018")
_VOCATIVE_AFTER = frozenset(",.!?;\"'\u201d\u2019")


@dataclass(frozen=True)
class Coreference:
    """What `resolve` found: pronoun mentions, quotations and the narrator (if any)."""

    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    narrator: str | None


@dataclass(frozen=True)
class _Spouse:
    """A spouse named by a noun after a possessive ("her husband"): `owner` is the
    possessive (a pronoun or a name before "'s")."""

    start: int
    end: int
    owner: Mention | Word


@dataclass(frozen=True)
class _Seen:
    """The characters of its gender that salience saw for a he/she."""

    candidates: frozenset[str]
    excluded: frozenset[str | None]
    """Those it could not be (the narrator, a quotation's speaker and addressee)."""


@dataclass(frozen=True)
class _Unnamed:
    """A noun phrase opening a sentence that brings in a person the book does not name ("A
    stranger came in"): the he/she after it may be that person, and stay unresolved."""

    start: int
    genders: tuple[str, ...]


@dataclass(frozen=True)
class _Span:
    """A quotation's span inside one paragraph."""

    start: int
    end: int
    continued: bool = False
    """It goes on in the next paragraph (whose opening mark starts the rest)."""


def resolve(
    book: Book,
    characters: Sequence[Character],
    names: Sequence[Mention],
    words: Sequence[Word],
    *,
    narrator: str | None = None,
    language: Language = ENGLISH,
) -> Coreference:
    """Resolve `words` (pronouns found by kg.extract.scan) to characters.

    `names`: the name mentions; `narrator`: the character that "I" is outside quotations
    (default: found from the replies to the narrating "I", if the book makes it clear). In
    a signed letter, "I" is its writer. `language`: the pronouns and speech verbs read.
    """
    genders = {c.name: gender_of(c, language) for c in characters}
    words = [w for w in map(_without_period, words) if not _numeral(book.text, w, language)]
    quotes = {c.number: find_quotes(book.text, c, language) for c in book.chapters}
    if narrator is None:
        narrator = find_narrator(book, names, words, quotes, language)
    mentions: list[Mention] = []
    found: list[Quote] = []
    spouses = find_spouses(characters, language)
    passes = _passes(
        book,
        names,
        words,
        quotes,
        genders,
        narrator,
        spouses,
        language,
        letters=True,
        narrated=_narrated(names, quotes),
    )
    for pass_ in passes:
        mentions += pass_.run()
        found += pass_.quotes()
    return Coreference(tuple(mentions), tuple(found), narrator)


def _passes(
    book: Book,
    names: Sequence[Mention],
    words: Sequence[Word],
    quotes: Mapping[int, list[Quote]],
    genders: Mapping[str, str | None],
    narrator: str | None,
    spouses: Mapping[str, str],
    language: Language,
    letters: bool = False,
    narrated: frozenset[str] = frozenset(),
) -> Iterator["_ChapterPass"]:
    """One pass per chapter, each with its own names, words and quotations; `letters`: the
    writers of signed letters are "I" in them (kg.coref.find_letters); `narrated`: the
    characters the narration names more often than the quotations do (_narrated)."""
    by_chapter = _by_chapter(names)
    words_by_chapter = _by_chapter(words)
    for chapter in book.chapters:
        yield _ChapterPass(
            book.text,
            chapter,
            quotes[chapter.number],
            by_chapter.get(chapter.number, []),
            words_by_chapter.get(chapter.number, []),
            genders,
            narrator,
            spouses,
            language,
            letters,
            narrated,
        )


def find_spouses(characters: Iterable[Character], language: Language = ENGLISH) -> dict[str, str]:
    """Each of "Mr. X" and "Mrs. X" (names or aliases) -> the other, where the book has
    exactly one character of each."""
    titled: defaultdict[tuple[str | None, str], set[str]] = defaultdict(set)
    for c in characters:
        for form in (c.name, *c.aliases):
            words = form.split()
            if len(words) == 2:
                titled[language.titles.get(words[0].rstrip(".")), words[1]].add(c.name)
    spouses: dict[str, str] = {}
    for (title, surname), men in sorted(titled.items(), key=str):
        women = titled.get(("Mrs", surname), set())
        if title == "Mr" and len(men) == len(women) == 1 and men != women:
            (man,), (woman,) = men, women
            spouses |= {man: woman, woman: man}
    return spouses


def find_letters(
    text: str,
    chapter: Chapter,
    names: Sequence[Mention],
    quotes: Sequence[Quote],
    language: Language = ENGLISH,
    characters: Iterable[str] = (),
) -> list[tuple[int, int, str]]:
    """(start, end, writer) of the chapter's parts written by one character, outside
    quotations, in text order: a signed letter, from the last address or greeting line
    ("To Mrs. Saville, England.", "Dear Clara,") to a line that is only a character's name
    (initials allowed: "R. Walton") after a closing line that ends with a comma ("Your
    affectionate brother,"), or only the initials of one of `characters` ("R.W."); and what
    follows a heading line naming its writer ("Walton, in continuation.", "Jonathan Harker's
    journal") up to the next such heading, letter or the chapter's end."""
    starts = [q.start for q in quotes]
    outside = [m for m in names if _quote_at(quotes, starts, m.start) is None]
    signed = [(m.start, m.end, m.character) for m in outside if _signature(text, chapter, m)]
    signed += _initials_signatures(text, chapter, characters, language)
    letters = []
    begin = chapter.start
    for start, end, writer in sorted(signed):
        lines = list(re.finditer(r"[^\n]+", text[begin:start]))
        opening = next(
            (line for line in reversed(lines) if _greeting(line.group(), language)), None
        )
        if opening is not None:
            letters.append((begin + opening.start(), end, writer))
        begin = end
    headed = [(m.end, m.character) for m in outside if _writer_heading(text, chapter, m, language)]
    bounds = sorted([*(start for start, _ in headed), *(s for s, _, _ in letters), chapter.end])
    for start, writer in headed:
        end = bounds[bisect.bisect_right(bounds, start)]
        letters.append((start, end, writer))
    return sorted(letters)


def _initials_signatures(
    text: str, chapter: Chapter, characters: Iterable[str], language: Language
) -> list[tuple[int, int, str]]:
    """(start, end, character) of the lines that are only the initials of exactly one of
    `characters` ("R.W." for Robert Walton; titles left out)."""
    owners: defaultdict[str, set[str]] = defaultdict(set)
    for name in characters:
        words = [w for w in name.split() if w.rstrip(".") not in language.titles]
        if len(words) > 1:
            owners["".join(w[0] for w in words)].add(name)
    found = []
    for line in _INITIALS_LINE.finditer(text, chapter.start, chapter.end):
        who = owners.get(re.sub(r"[\s.]", "", line["initials"]), set())
        if len(who) == 1:
            found.append((line.start("initials"), line.end("initials"), min(who)))
    return found


def _line_of(text: str, chapter: Chapter, m: Mention) -> tuple[int, int]:
    """Where the line of mention m starts and ends (inside its chapter)."""
    end = text.find("\n", m.end, chapter.end)
    return text.rfind("\n", chapter.start, m.start) + 1 or chapter.start, (
        end if end >= 0 else chapter.end
    )


def _writer_heading(text: str, chapter: Chapter, m: Mention, language: Language) -> bool:
    """Whether name mention m opens a heading line, a paragraph of its own, that makes them
    its part's writer ("Walton, in continuation.")."""
    line, end = _line_of(text, chapter, m)
    return (
        not text[line : m.start].strip(" \t_")
        and language.writer_heading.match(text, m.end, end) is not None
        and _BLANK_BEFORE.search(text[chapter.start : line]) is not None
        and _BLANK_AFTER.match(text, end, chapter.end) is not None
    )


def _greeting(line: str, language: Language) -> bool:
    """Whether a line is a letter's address or greeting: short, and opening as one does."""
    return len(line.split()) <= 8 and language.salutation.match(line) is not None


def _quote_at(quotes: Sequence[Quote], starts: Sequence[int], pos: int) -> int | None:
    """The index of the quotation that `pos` is in, if any (`starts`: the quotations' starts)."""
    k = bisect.bisect_right(starts, pos) - 1
    return k if k >= 0 and pos < quotes[k].end else None


def _signature(text: str, chapter: Chapter, m: Mention) -> bool:
    """Whether name mention m signs a letter: alone on its line but for initials and a full
    stop, the line before ending with a comma."""
    line, end = _line_of(text, chapter, m)
    after = text[m.end : end].strip()
    if not _INITIALS.fullmatch(text[line : m.start].strip()) or after not in ("", "."):
        return False
    return text[chapter.start : line].rstrip().endswith(",")


def hard_wrapped(text: str) -> bool:
    """Whether the lines of `text` are wrapped inside its sentences (a book as printed, e.g.
    by Project Gutenberg) rather than ending them (LitBank's excerpts, one sentence per
    line): most line breaks inside a paragraph do not follow a sentence's end mark."""
    lines = text.split("\n")
    inside = ending = 0
    for line, after in itertools.pairwise(lines):
        if line.strip() and after.strip():
            inside += 1
            ending += line.rstrip().rstrip(_CLOSERS).rstrip()[-1:] in ".!?"
    return 2 * ending < inside


def _without_period(word: Word) -> Word:
    return replace(word, end=word.end - 1, text="I") if word.text == "I." else word


def _numeral(text: str, word: Word, language: Language) -> bool:
    """Whether an "I" is a Roman number ("Chapter I")."""
    if word.text != "I":
        return False
    before = text[max(0, word.start - 12) : word.start].split()
    heading = before[-1] if before else ""  # "Chapter I", not "the letter I wrote"
    return heading[:1].isupper() and heading.lower() in language.numbered


def _by_chapter(items: Iterable[_T]) -> dict[int, list[_T]]:
    grouped: defaultdict[int, list[_T]] = defaultdict(list)
    for item in items:
        grouped[item.chapter].append(item)
    for found in grouped.values():
        found.sort(key=lambda item: item.start)
    return grouped


def find_quotes(text: str, chapter: Chapter, language: Language = ENGLISH) -> list[Quote]:
    """The quotations of a chapter; one that goes on in the next paragraph (no closing mark
    at the paragraph's end, an opening one at the next one's start) is one quotation."""
    spans = _quote_spans(text, chapter, language)
    joined: list[Quote] = []
    open_ = False
    for span in spans:
        if open_ and joined:
            joined[-1] = replace(joined[-1], end=span.end)
        else:
            joined.append(Quote(chapter.number, span.start, span.end))
        open_ = span.continued
    return joined


def _quote_spans(text: str, chapter: Chapter, language: Language) -> list[_Span]:
    body = text[chapter.start : chapter.end]
    marks = _DOUBLE if _double_marks(body, language) else _SINGLE
    spans: list[_Span] = []
    cuts = [chapter.start + m.start() for m in _PARAGRAPH.finditer(body)] + [chapter.end]
    start = chapter.start
    for cut in cuts:
        paragraph = text[start:cut]
        opened: int | None = None
        for mark in marks.finditer(paragraph):
            i, ch = mark.start(), mark.group()
            if marks is _SINGLE and not _single_mark(paragraph, i, language):
                continue
            opening = ch in "\u201c\u2018" or (ch in "\"'" and opened is None)
            if ch in "\"'":
                opening = _opens(paragraph, i, opening)
            if opening and opened is not None and _line_start(paragraph, i):
                # one left open on the line before (a stray or missing mark) ends there
                spans.append(_Span(opened, start + len(paragraph[:i].rstrip())))
                opened = None
            if opening and opened is None:
                opened = start + i
            elif not opening and opened is not None:
                spans.append(_Span(opened, start + i + 1))
                opened = None
        if opened is not None:
            end = start + len(paragraph.rstrip())
            continued = _OPENING_MARK.match(text, cut) is not None
            spans.append(_Span(opened, end, continued=continued))
        start = cut
    return spans


def _double_marks(body: str, language: Language) -> bool:
    """Whether a chapter quotes with double marks: it has at least a quarter as many as it
    has single quotation marks (apostrophes left out)."""
    doubles = len(_DOUBLE.findall(body))
    if doubles * 4 >= len(_SINGLE.findall(body)):
        return True  # without telling apostrophes from marks
    singles = sum(1 for m in _SINGLE.finditer(body) if _single_mark(body, m.start(), language))
    return doubles >= singles / 4


def _opens(text: str, i: int, alternate: bool) -> bool:
    """Whether the straight quotation mark at text[i] opens a quotation: at the start of a
    line with words after it, it does; elsewhere `alternate` says (one at a line's end may
    open a quotation whose words a sentence splitter put on the next line)."""
    end = text.find("\n", i)
    return (_line_start(text, i) and bool(text[i + 1 : end if end >= 0 else None].strip())) or (
        alternate
    )


def _line_start(text: str, i: int) -> bool:
    return not text[text.rfind("\n", 0, i) + 1 : i].strip()


def _single_mark(text: str, i: int, language: Language) -> bool:
    """Whether the single quote at text[i] is a quotation mark, not an apostrophe."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalpha() and after.isalpha():
        return False  # don't, o'clock
    if not before.isalnum() and (rest := language.contraction_endings.match(text, i + 1)):
        return not text[rest.end() : rest.end() + 1].isspace()  # 's, 'll: a contraction
    return True


class _ChapterPass:
    """One chapter, in text order: quotations attributed, pronouns resolved."""

    def __init__(
        self,
        text: str,
        chapter: Chapter,
        quotes: list[Quote],
        names: list[Mention],
        words: list[Word],
        genders: Mapping[str, str | None],
        narrator: str | None,
        spouses: Mapping[str, str],
        language: Language,
        letters: bool = False,
        narrated: frozenset[str] = frozenset(),
    ) -> None:
        self.text = text
        self.narrated = narrated
        self.chapter = chapter
        self.spans = quotes
        self.names = names
        self.words = words
        self.genders = {**genders, **{key: gender for gender, key in _UNNAMED.items()}}
        self.narrator = narrator
        self.language = language
        self.letters = (
            find_letters(text, chapter, names, quotes, language, genders) if letters else []
        )
        self.letter_ends = [end for _, end, _ in self.letters]
        self.spouses = spouses
        self.paragraphs = bool(_PARAGRAPH.search(text, chapter.start, chapter.end))
        self.wrapped = hard_wrapped(text[chapter.start : chapter.end])
        self.ends = self.sentence_ends(chapter.start, chapter.end)
        self.name_at = {m.start: m for m in names}
        self.name_starts = [m.start for m in names]
        self.word_at = {w.start: w for w in words}
        self.word_starts = [w.start for w in words]
        self.quote_starts = [q.start for q in quotes]
        self.introductions = [self.introduced(q) for q in quotes]
        """Who opens each quotation introducing themself."""
        self.called = [self.names_called(k) for k in range(len(quotes))]
        """The characters each quotation calls by name."""
        self.spouse_nouns = self.find_spouse_nouns() if spouses else []
        self.unnamed = self.find_unnamed()
        self.first_person = self.told_in_first_person()
        self.spouse_owners = {
            n.owner.start: n for n in self.spouse_nouns if isinstance(n.owner, Word)
        }
        """The spouse nouns by the start of the pronoun that owns them ("his" of "his wife")."""
        self.speakers: list[str | None] = [None] * len(quotes)
        self.addressees: list[str | None] = [None] * len(quotes)
        self.resolved: dict[int, str | None] = {}
        self.seen: dict[int, _Seen] = {}
        """What salience saw for the pronoun at each start."""
        self.tie_broken: set[int] = set()
        """The pronouns resolved by breaking a tie: too weak to settle a run."""
        self.first_met: dict[str, int] = {}
        """Gender -> where the chapter first mentions a character of it."""
        self.open_runs: dict[str, list[Word]] = {}
        """Gender -> the he/she of that gender left unresolved since its last mention."""
        self.history: list[tuple[int, str, float, int | None]] = []
        """(sentence, character, weight, quotation) of the mentions met, in text order."""

    def find_spouse_nouns(self) -> list[_Spouse]:
        """The spouses named by a noun after a possessive: "his wife", "Edna's husband"."""
        word_end = {w.end: w for w in self.words}
        name_end = {m.end: m for m in self.names}
        found = []
        nouns = self.language.spouse_noun.finditer(self.text, self.chapter.start, self.chapter.end)
        for match in nouns:
            before = self.text[max(self.chapter.start, match.start() - 40) : match.start()]
            owner: Mention | Word | None = word_end.get(
                match.start() - len(before) + len(before.rstrip())
            )
            if owner is None and (s := _POSSESSIVE_S.search(before)):
                owner = name_end.get(match.start() - len(before) + s.start())
            if owner is not None:
                found.append(_Spouse(match.start(), match.end(), owner))
        return found

    def find_unnamed(self) -> list[_Unnamed]:
        """The noun phrases opening a sentence that bring in an unnamed person
        (Language.unnamed_person): "A sallow prisoner has come up", "Matthew's father"."""
        found = []
        for end in (self.chapter.start, *self.ends):
            start = _LEADING_MARKS.match(self.text, end).end()  # type: ignore[union-attr]
            if (
                m := self.language.unnamed_person.match(self.text, start, self.chapter.end)
            ) is None:
                continue
            gender = self.language.person_nouns[m["noun"] or m["kin"]]
            found.append(_Unnamed(start, (gender,) if gender else (MALE, FEMALE)))
        return found

    def told_in_first_person(self) -> bool:
        """Whether the chapter's narration says "I" (at least MIN_FIRST_PERSON times, once
        every NARRATION_WORDS words), as find_narrator asks of a book."""
        return _first_person(
            self.text[self.chapter.start : self.chapter.end],
            self.text,
            self.words,
            self.spans,
            lambda pos: self.quote_of(pos) is not None,
        )

    def spouse(self, noun: _Spouse) -> str | None:
        """The spouse of the noun's owner ("his wife": Mrs. Pontellier for Mr. Pontellier)."""
        owner = noun.owner
        who = owner.character if isinstance(owner, Mention) else self.resolve_word(owner)
        return self.spouses.get(who or "")

    def parent(self, owner: Word) -> str | None:
        """The parent a possessive and a parent noun name ("her mother"): the one of that
        gender of a couple ("Mr. X", "Mrs. X") with the surname of the one the possessive
        resolves to ("Elizabeth X"), who is of no couple."""
        after = _NEXT_WORD.match(self.text, owner.end)
        noun = after.group(1).lower() if after else ""
        if (
            noun not in self.language.parent_nouns
            or owner.text.lower() not in self.language.third_person
        ):
            return None
        child = self.resolve_word(owner)
        if child is None or child in self.spouses or child in _UNNAMED.values():
            return None
        gender, surname = self.language.person_nouns[noun], child.split()[-1]
        parents = [
            c for c in self.spouses if self.genders.get(c) == gender and c.split()[-1] == surname
        ]
        return parents[0] if len(parents) == 1 else None

    def person(self, speaker: str | None, pos: int) -> str | None:
        """A speaker as a character: the narrator for the narrating "I" at `pos`."""
        return self.narrator_at(pos) if speaker == _I else speaker

    def narrator_at(self, pos: int) -> str | None:
        """Who "I" is at `pos` outside quotations: the writer of a signed letter, in it;
        else the narrator."""
        k = bisect.bisect_right(self.letter_ends, pos)
        if k < len(self.letters) and self.letters[k][0] <= pos:
            return self.letters[k][2]
        return self.narrator

    def quotes(self) -> list[Quote]:
        return [
            replace(q, speaker=self.person(s, q.start), addressee=self.person(a, q.start))
            for q, s, a in zip(self.spans, self.speakers, self.addressees, strict=True)
        ]

    def sentence_ends(self, start: int, end: int) -> list[int]:
        """Where the "sentences" of text[start:end] end (_LINE_END). In hard-wrapped text a
        line break is a space, and a sentence's end (kg.english's SENTENCE_BREAK: not after
        "Mr.", nor before a lowercase word) or a paragraph break stands for the line end of
        text with a sentence per line."""
        if not self.wrapped:
            return [m.end() for m in _LINE_END.finditer(self.text, start, end)]
        marks = [m.end() for m in _END_MARK.finditer(self.text, start, end)]
        breaks = self.language.sentence_break.finditer(self.text, start, end)
        return sorted(marks + [m.end() for m in breaks])

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.ends, pos)

    def quote_of(self, pos: int) -> int | None:
        return _quote_at(self.spans, self.quote_starts, pos)

    def run(self) -> list[Mention]:
        events: list[tuple[int, int, Mention | Word | _Spouse | _Unnamed | int]] = []
        # "Her husband came": the husband, not "her", is the sentence's first mention
        events += [(k.owner.start, 1, k) for k in self.spouse_nouns]
        events += [(u.start, 1, u) for u in self.unnamed]
        events += [(m.start, 2, m) for m in self.names]
        events += [(w.start, 3, w) for w in self.words]
        events += [(q.start, 0, k) for k, q in enumerate(self.spans)]
        events.sort(key=itemgetter(0, 1))
        first_in_sentence: set[int] = set()
        out: list[Mention] = []
        for pos, _, item in events:
            if isinstance(item, int):
                self.attribute(item)
                continue
            sentence = self.sentence(pos)
            quote = self.quote_of(pos)
            subject = sentence not in first_in_sentence and quote is None
            if isinstance(item, _Unnamed):
                if subject:
                    first_in_sentence.add(sentence)
                    for gender in item.genders:
                        self.open_runs.pop(gender, None)  # someone new: the run is over
                    self.history += [
                        (sentence, _UNNAMED[gender], SUBJECT_BONUS, None) for gender in item.genders
                    ]
                continue
            if isinstance(item, Mention):
                character = item.character
            elif isinstance(item, _Spouse):
                if (spouse := self.spouse(item)) is None:
                    continue
                character = spouse
            else:
                resolved = self.resolve_word(item, subject=subject)
                if resolved is None:
                    self.hold(item)
                    continue
                character = resolved
                if character not in _UNNAMED.values():
                    out.append(self.pronoun_mention(item, character))
            if not self.is_first_person(item):
                out += self.settle(character, item)
            if subject:
                first_in_sentence.add(sentence)
            weight = SUBJECT_BONUS if subject else 1.0
            self.history.append((sentence, character, weight, quote))
            self.first_met.setdefault(self.genders.get(character) or "", pos)
        return sorted(out, key=lambda m: m.start)

    def pronoun_mention(self, word: Word, character: str) -> Mention:
        kind = NARRATOR if self.is_narration(word) else PRONOUN
        return Mention(word.chapter, word.start, word.end, word.text, character, word.token, kind)

    def is_first_person(self, item: Mention | Word | _Spouse) -> bool:
        return isinstance(item, Word) and item.text.lower() in self.language.first_person

    def is_narration(self, word: Word) -> bool:
        return self.is_first_person(word) and self.quote_of(word.start) is None

    def hold(self, word: Word) -> None:
        """Keep an unresolved he/she in its gender's open run (a new run if it cannot go on the
        last one), for the next mention of that gender to settle."""
        gender = self.language.third_person.get(word.text.lower())
        if gender is None:
            return
        run = self.open_runs.get(gender, [])
        if run and not self.same_run(run[-1].start, word.start):
            run = []
        self.open_runs[gender] = [*run, word]

    def settle(self, character: str, item: Mention | Word | _Spouse) -> list[Mention]:
        """The held pronouns of the run that a mention of `character` ends, given to it: those
        that saw it among their candidates or saw none, and did not leave it out (the narrator,
        a speaker). A pronoun resolved by a clear winner settles them all (the run goes on with
        it); a name only those before the chapter's first mention of their gender, at most
        NAMED_AHEAD sentences before it (cataphora)."""
        gender = self.genders.get(character) or ""
        run = self.open_runs.pop(gender, [])
        if (
            not run
            or character in _UNNAMED.values()
            or not self.same_run(run[-1].start, item.start)
        ):
            return []
        if isinstance(item, Word) and item.start in self.tie_broken:
            return []
        named = not isinstance(item, Word)
        first = self.first_met.get(gender, item.start)
        here = self.sentence(item.start)
        settled = []
        for word in run:
            seen = self.seen[word.start]
            ahead = here - self.sentence(word.start)
            cataphora = ahead <= NAMED_AHEAD and word.start < first
            if character in seen.excluded or (named and not cataphora):
                continue
            if character in seen.candidates or not seen.candidates:
                settled.append(self.pronoun_mention(word, character))
        return settled

    def same_run(self, a: int, b: int) -> bool:
        """Whether the mentions at a < b can be one run's: in one quotation (or both in the
        narration), no paragraph break between, at most REACH sentences apart."""
        if self.quote_of(a) != self.quote_of(b):
            return False
        if self.paragraphs and _PARAGRAPH.search(self.text, a, b):
            return False
        return self.sentence(b) - self.sentence(a) <= REACH

    def resolve_word(
        self, word: Word, *, subject: bool = True, excluded: Set[str | None] = frozenset()
    ) -> str | None:
        if word.start in self.resolved:
            return self.resolved[word.start]
        lower = word.text.lower()
        quote = self.quote_of(word.start)
        if lower in self.language.first_person:
            if quote is None:
                return self.narrator_at(word.start)
            return self.person(self.speakers[quote], word.start)
        excluded = set(excluded)
        if quote is None:
            excluded.add(self.narrator_at(word.start))
        else:
            excluded |= {
                self.person(self.speakers[quote], word.start),
                self.person(self.addressees[quote], word.start),
            }
        gender = self.language.third_person[lower]
        acting = self.acting_pronoun(word)
        character = (
            lower in self.language.reflexives and self.nearest(gender, word.start, excluded)
        ) or (self.salient(gender, word.start, quote, excluded, subject=subject, acting=acting))
        if character is None and word.start in self.spouse_owners:
            # "his wife" with no winner: he is a husband, the one of a couple of the book
            excluded |= {c for c, g in self.genders.items() if g == gender} - self.spouses.keys()
            character = self.salient(gender, word.start, quote, excluded, subject=subject)
        self.resolved[word.start] = character
        return character

    def nearest(self, gender: str, pos: int, excluded: set[str | None]) -> str | None:
        """The last character of `gender` mentioned in the sentence at `pos` (for a reflexive)."""
        here = self.sentence(pos)
        for sentence, character, _, _ in reversed(self.history):
            if sentence != here:
                break
            if character not in excluded and self.genders.get(character) == gender:
                return character
        return None

    def salient(
        self,
        gender: str,
        pos: int,
        quote: int | None,
        excluded: set[str | None],
        *,
        subject: bool = False,
        acting: bool = False,
    ) -> str | None:
        """The character of `gender` most salient at `pos`; if none is in REACH, the only
        one within TOPIC_REACH (a run of pronouns goes on with its topic), or for a subject
        pronoun the one FAR_MARGIN times as salient as the next there. When two are
        about as salient, a subject pronoun keeps the previous sentence's subject, and an
        `acting` one (kg.coref._ChapterPass.acting_pronoun) takes the one its sentence last
        shows acting. Inside a quotation, only the characters named in quotations count,
        unless none of that gender is: then the only one the narration named within
        NARRATED_REACH."""
        here = self.sentence(pos)
        scores: defaultdict[str, float] = defaultdict(float)
        topic: set[str] = set()
        narrated: set[str] = set()
        far: defaultdict[str, float] = defaultdict(float)
        genders = self.genders
        # told by an unknown "I": whom a quotation addresses by name, and the narration
        # names less often than the quotations do, is most often the narrator ('the stranger
        # said to me, "You may easily perceive, Captain Walton"')
        addressed = (
            self.addressees
            if quote is None and self.first_person and self.narrator_at(pos) is None
            else None
        )
        for sentence, character, weight, where in reversed(self.history):
            back = here - sentence
            if back > TOPIC_REACH:
                break
            if character in excluded or genders.get(character) != gender:
                continue
            if (
                addressed
                and where is not None
                and addressed[where] == character
                and character not in self.narrated
            ):
                continue
            if quote is not None and where is None:
                # who is in the scene is "you" in speech: "he" is someone talked of
                if back <= NARRATED_REACH:
                    narrated.add(character)
                continue
            topic.add(character)
            decay = DECAY**back
            far[character] += weight * decay
            if back <= REACH:
                quoted = QUOTED if where is not None and where != quote else 1.0
                scores[character] += weight * quoted * decay
        ranked = _top_two(scores)
        seen = frozenset(topic | narrated)
        self.seen[pos] = _Seen(seen, frozenset(excluded))
        if not ranked:
            if not topic and len(narrated) == 1:
                return narrated.pop()  # the conversation names no one else of that gender
            if len(topic) == 1:
                return topic.pop()
            far_ranked = _top_two(far)
            if subject and len(far_ranked) > 1:
                (first, most), (_, next_) = far_ranked
                return first if most >= FAR_MARGIN * next_ else None
            return None
        if len(ranked) > 1 and ranked[0][1] < MARGIN * ranked[1][1]:
            self.tie_broken.add(pos)
            tied = {character for character, _ in ranked}
            previous = self.previous_subject(here) if subject else None
            if previous in tied:
                return previous
            return self.last_acting(pos, quote, tied) if acting else None
        return ranked[0][0]

    def acting_pronoun(self, word: Word) -> bool:
        """Whether a pronoun stands for who acts or owns in its clause ("she", "his"); "her"
        before a function word or a mark is an object ("gave her the book")."""
        lower = word.text.lower()
        if lower not in self.language.acting_pronouns:
            return False
        return lower not in self.language.object_forms or not self.function_word_after(
            word.end, lowercase=False
        )

    def last_acting(self, pos: int, quote: int | None, tied: Set[str]) -> str | None:
        """Of `tied`, the one whose mention (a name, or a pronoun resolved to it) comes last
        before `pos` in its sentence with a verb after it, a lowercase word that is no
        function word ("Marilla swept", not "Marilla and"), or a speech verb right before
        it ("said Miss Bartlett"); within the pronoun's quotation, or in the narration for a
        pronoun outside quotations."""
        here = self.sentence(pos)
        start = self.ends[here - 1] if here else self.chapter.start
        first, last = (bisect.bisect_left(self.name_starts, p) for p in (start, pos))
        before: list[tuple[int, int, str | None]] = [
            (m.start, m.end, m.character) for m in self.names[first:last]
        ]
        first, last = (bisect.bisect_left(self.word_starts, p) for p in (start, pos))
        before += [
            (w.start, w.end, self.resolved.get(w.start))
            for w in self.words[first:last]
            if w.text.lower() in self.language.pronouns  # "she" acts, "her" does not
        ]
        for begin, end, character in sorted(before, key=lambda item: -item[0]):
            if (
                character in tied
                and self.quote_of(begin) == quote
                and (not self.function_word_after(end, lowercase=True) or self.said_before(begin))
            ):
                return character
        return None

    def said_before(self, begin: int) -> bool:
        """Whether a speech verb comes right before `begin` ("said Miss Bartlett")."""
        verb = _LAST_WORD.search(self.text, max(self.chapter.start, begin - 20), begin)
        return verb is not None and verb.group(1).lower() in self.language.quote_verbs

    def function_word_after(self, end: int, *, lowercase: bool) -> bool:
        """Whether the word after `end` is missing (a mark comes first), a function word, or
        with `lowercase`, capitalised (a verb is lowercase)."""
        after = _NEXT_WORD.match(self.text, end)
        if after is None or (lowercase and not after.group(1).islower()):
            return True
        return after.group(1).lower() in self.language.function_words

    def previous_subject(self, here: int) -> str | None:
        """The first mention of the sentence before `here`, if it is a subject."""
        for sentence, character, weight, _ in reversed(self.history):
            if sentence < here - 1:
                break
            if sentence == here - 1 and weight > 1:
                return character
        return None

    def attribute(self, k: int) -> None:
        """Speaker and addressee of quotation k, when it starts."""
        q = self.spans[k]
        previous = k - 1 if k and self.adjacent(k - 1, k) else None
        replying = previous is not None and not self.same_turn(previous, k)
        # "he answered" right after Harry spoke is not Harry
        other = self.person(self.speakers[k - 1], q.start) if replying else None
        # "'Come along, Lebrun,' he proposed": he is not the one he calls
        speaker = self.attribution(k, {self.vocative(k, None)}, other)
        speaker = speaker or self.introductions[k]
        if speaker is None and not self.attributed(k):
            speaker = self.beat(k)
        if speaker is None and previous is not None:
            speaker = self.turn(k, previous)
        addressee = self.vocative(k, speaker)
        if addressee is None and previous is not None and not self.same_turn(previous, k):
            other = self.speakers[previous]
            addressee = other if other != speaker else None
        self.speakers[k] = speaker
        self.addressees[k] = addressee

    def turn(self, k: int, previous: int) -> str | None:
        """The speaker the turns before quotation k give it: `previous`'s in the same turn,
        else the one `previous` addressed, else the one who spoke two quotations back; never
        the one quotation k addresses by name (the same speaker goes on to them)."""
        if self.same_turn(previous, k):
            return self.speakers[previous]
        speaker = None
        if self.addressees[previous] and self.addressees[previous] != self.speakers[previous]:
            speaker = self.addressees[previous]
        elif previous > 0 and self.adjacent(previous - 1, previous):
            two_back = self.speakers[previous - 1]
            if self.speakers[previous] not in (None, two_back):
                speaker = two_back
        if speaker is not None and speaker == self.vocative(k, None):
            other = self.speakers[previous]
            return other if other != speaker else None
        return speaker

    def beat(self, k: int) -> str | None:
        """The character the narration right before quotation k shows acting: the subject
        that opens the last sentence before it and the only character that sentence names
        ("Harry frowned at the letter. 'No.'"). In the quotation's paragraph, after any
        quotation before it."""
        start = self.spans[k].start
        lo = max(self.chapter.start, start - 2 * ATTRIBUTION_CHARS)
        if k:
            lo = max(lo, self.spans[k - 1].end)
        region = self.text[lo:start]
        if self.paragraphs:
            region = _PARAGRAPH.split(region)[-1]
        narration = region.rstrip()
        if not narration or narration[-1] not in ".!?":
            return None
        begin = start - len(region)
        cut = max(self.sentence_ends(begin, begin + len(narration)), default=begin)
        sentence = self.text[cut : begin + len(narration)]
        first = cut + len(sentence) - len(sentence.lstrip())
        if first not in self.name_at:
            return None
        k_first = bisect.bisect_left(self.name_starts, first)
        k_last = bisect.bisect_left(self.name_starts, start)
        named = {m.character for m in self.names[k_first:k_last]}
        return named.pop() if len(named) == 1 else None

    def adjacent(self, a: int, b: int) -> bool:
        """Whether quotation b follows a with at most one sentence of narration between."""
        end = self.spans[a].end
        between = self.text[end : self.spans[b].start]
        if len(between) >= 300:
            return False
        lo = end + len(between) - len(between.lstrip())
        return len(self.sentence_ends(lo, lo + len(between.strip()))) <= 1

    def same_turn(self, a: int, b: int) -> bool:
        """Whether b goes on a's speech: in a's paragraph, with words (the attribution) between.

        In a chapter without blank lines (a line per sentence or per paragraph), one line of
        words between ("he said.") is taken as a's paragraph, unless a asks a question."""
        between = self.text[self.spans[a].end : self.spans[b].start]
        if self.paragraphs:
            return not _PARAGRAPH.search(between) and bool(between.strip())
        words = between.strip()
        if "\n" in words or not words:
            return False
        # '"Who?"\nasked Harry.\n"Ron."': a line (a sentence) after a question answers it
        return not ("\n" in between and words[-1] in ".!?" and self.ends_with(a, "?"))

    def ends_with(self, k: int, marks: str) -> bool:
        """Whether quotation k's words end with one of `marks` ("?" for a question)."""
        words = self.text[self.spans[k].start : self.spans[k].end].rstrip(_MARKS)
        return words[-1:] in tuple(marks)

    def attribution(
        self, k: int, others: Set[str | None] = frozenset(), answered: str | None = None
    ) -> str | None:
        """The speaker that a speech verb next to the quotation names: in the words after it
        up to the sentence's end or the next quotation, else in those before it. A he or
        she there is none of `others` (the one the quotation calls by name), nor the
        `answered` speaker of the quotation before, unless the verb goes on ("he
        continued")."""
        for offset, clause in self.clauses(k):
            if (found := self.speech(offset, clause, others, answered)) is not None:
                return found
        return None

    def clauses(self, k: int) -> Iterator[tuple[int, str]]:
        """(offset, text) of the words after quotation k up to the sentence's end or the next
        quotation, then of those before it from the last clause end."""
        q = self.spans[k]
        if not self.ends_with(k, "."):
            # after "Stop." a new sentence starts ('Harry laughed.'), no attribution
            after = self.text[q.end : min(q.end + ATTRIBUTION_CHARS, self.chapter.end)]
            after = _PARAGRAPH.split(after, 1)[0]
            stop = _CLAUSE_END.search(after)
            yield q.end, after[: stop.start() if stop else len(after)]
        start = max(q.start - ATTRIBUTION_CHARS, self.chapter.start)
        before = _PARAGRAPH.split(self.text[start : q.start])[-1]
        cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
        yield q.start - len(before) + cut, before[cut:]

    def attributed(self, k: int) -> bool:
        """Whether a speech verb stands next to quotation k (its speaker may be nobody we know:
        "the young man answered")."""
        return any(
            word.lower() in self.language.quote_verbs
            for _, clause in self.clauses(k)
            for word in _WORD.findall(clause)
        )

    def speech(
        self, offset: int, clause: str, others: Set[str | None], answered: str | None
    ) -> str | None:
        """The character named (or the pronoun) next to a speech verb in a clause ("said
        Harry", "Harry said", "went on Harry")."""
        words = [(m.group(), offset + m.start()) for m in _WORD_OR_INITIAL.finditer(clause)]
        for i, (word, _) in enumerate(words):
            if word.lower() not in self.language.quote_verbs:
                continue
            if i + 1 < len(words) and words[i + 1][0].lower() in self.language.reported_speech:
                continue
            after = (
                i + 2
                if i + 1 < len(words) and words[i + 1][0] in self.language.quote_verb_particles
                else i + 1
            )
            # "Mrs. Hurst thought the same, and added:": the clause's subject speaks
            shared = "and" in (w.lower() for w, _ in words[max(0, i - 2) : i])
            going_on = word.lower() in self.language.continuing_verbs
            excluded = others if going_on else {*others, answered}
            for j in (after, i - 1, i - 2, *((0,) if shared else ())):
                if 0 <= j < len(words) and (who := self.speaker_at(words[j][1], excluded, others)):
                    return who
        return None

    def speaker_at(
        self, pos: int, others: Set[str | None] = frozenset(), called: Set[str | None] = frozenset()
    ) -> str | None:
        k = bisect.bisect_right(self.name_starts, pos) - 1
        if k >= 0 and pos < self.names[k].end:
            return self.names[k].character
        word = self.word_at.get(pos)
        if word is None:
            return None
        if (noun := self.spouse_owners.get(pos)) is not None:
            return self.spouse(noun)  # "cried his wife"
        if (parent := self.parent(word)) is not None:
            return parent  # "said her mother"
        lower = word.text.lower()
        if lower == "i":
            return _I
        if lower in ("he", "she"):
            if (spouse := self.addressed_spouse(word, called)) is not None:
                # '"Indeed, Mr. Bennet," said she': the one speaking to him is his wife
                self.resolved[word.start] = spouse
                return spouse
            who = self.resolve_word(word, excluded=others)
            return None if who in _UNNAMED.values() else who
        return None

    def addressed_spouse(self, word: Word, called: Set[str | None]) -> str | None:
        """The spouse, of the gender of the he/she `word` of an attribution, of the one its
        quotation calls by name, when the chapter has named that spouse before."""
        gender = self.language.third_person[word.text.lower()]
        for who in called:
            spouse = self.spouses.get(who or "")
            if (
                spouse is not None
                and self.genders.get(spouse) == gender
                and any(character == spouse for _, character, _, _ in self.history)
            ):
                return spouse
        return None

    def introduced(self, q: Quote) -> str | None:
        """The character who opens the quotation by introducing themself ("Mr. Penhale,
        your new tenant, sir.")."""
        k = bisect.bisect_left(self.name_starts, q.start)
        if k == len(self.names) or self.names[k].end > q.end:
            return None
        first = self.names[k]
        opened = not self.text[q.start + 1 : first.start].strip()
        return (
            first.character
            if opened and self.language.self_introduction.match(self.text, first.end)
            else None
        )

    def vocative(self, k: int, speaker: str | None) -> str | None:
        """The first character quotation k calls by name ("Come, Harry.") but `speaker`."""
        return next((who for who in self.called[k] if who != speaker), None)

    def names_called(self, k: int) -> list[str]:
        """The characters named and set off by commas in quotation k, in order, but the one
        introducing themself."""
        q, introduced = self.spans[k], self.introductions[k]
        called = []
        for m in self.names[bisect.bisect_left(self.name_starts, q.start) :]:
            if m.end > q.end:
                break
            if m.character == introduced:
                continue
            before = self.text[q.start : m.start].rstrip()[-1:]
            after = self.text[m.end : q.end].lstrip()[:1]
            if before in _VOCATIVE_BEFORE and after in _VOCATIVE_AFTER:
                if before in ('"', "'", "\u201c", "\u2018") and after in ".?":
                    continue  # "Dorian Gray?": the name is echoed, not called
                called.append(m.character)
        return called


def _first_person(
    part: str,
    text: str,
    words: Iterable[Word],
    quotes: Iterable[Quote],
    quoted: Callable[[int], bool],
) -> bool:
    """Whether `part` of `text` is told in the first person: its narration (the `words` that
    are not `quoted`) says "I" at least MIN_FIRST_PERSON times, and once every
    NARRATION_WORDS words outside its `quotes`."""
    narrated = sum(1 for w in words if w.text == "I" and not quoted(w.start))
    if narrated < MIN_FIRST_PERSON:
        return False
    quoted_words = sum(len(text[q.start : q.end].split()) for q in quotes)
    return narrated * NARRATION_WORDS >= len(part.split()) - quoted_words


def _top_two(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """The two highest scores, ties in name order."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:2]


def find_narrator(
    book: Book,
    names: Sequence[Mention],
    words: Sequence[Word],
    quotes: Mapping[int, list[Quote]],
    language: Language = ENGLISH,
) -> str | None:
    """The narrator of a book told in the first person ("I" outside quotations at least once
    every NARRATION_WORDS words): the character the narration names as itself ("my name is
    Pip", "I called myself Pip"), that the quotations next to the narrator's ("said I")
    address by name, or that introduces themself in a quotation ("Mr. Penhale, your new
    tenant, sir") and is never named in the narration, whichever is named so most often."""
    inside = [q for found in quotes.values() for q in found]
    starts = [q.start for q in inside]

    def quoted(pos: int) -> bool:
        return _quote_at(inside, starts, pos) is not None

    if not _first_person(book.text, book.text, words, inside, quoted):
        return None
    self_named = [
        m for m in names if language.self_naming.search(book.text, max(0, m.start - 30), m.start)
    ]
    votes: Counter[str] = Counter(m.character for m in self_named)
    named = _narrated(names, quotes) - {m.character for m in self_named}
    speakers: set[str | None] = set()
    for pass_ in _passes(book, names, words, quotes, {}, None, {}, language):
        said = [pass_.attribution(k) for k in range(len(pass_.spans))]
        speakers.update(said)
        for who in pass_.introductions:
            if who is not None and who not in named:
                votes[who] += 1
        for k in (k for k, who in enumerate(said) if who == _I):
            for j in (k - 1, k + 1):
                if not (0 <= j < len(said) and pass_.adjacent(min(j, k), max(j, k))):
                    continue
                if said[j] == _I or pass_.same_turn(min(j, k), max(j, k)):
                    continue  # the narrator's own words
                who = pass_.vocative(j, None)
                if who is not None and who not in named:
                    votes[who] += 1
    for speaker in speakers:
        votes.pop(speaker or "", None)  # the narrator's speech is "said I", never "said Pip"
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _narrated(names: Sequence[Mention], quotes: Mapping[int, list[Quote]]) -> frozenset[str]:
    """The characters the narration names more often than the quotations do: the narration
    calls the narrator "I", so such a one is someone else."""
    inside = [q for found in quotes.values() for q in found]
    starts = [q.start for q in inside]
    balance: Counter[str] = Counter()
    for m in names:
        balance[m.character] += -1 if _quote_at(inside, starts, m.start) is not None else 1
    return frozenset(c for c, n in balance.items() if n > 0)
