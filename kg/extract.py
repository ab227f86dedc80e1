"""Extraction: a book and its characters -> mentions (disambiguated) -> co-occurrence network.

Names are matched by spaCy's PhraseMatcher over the tokenizer (kg.nlp); everything after the
match (honorifics, non-name words, ambiguity, co-occurrence) is plain Python, here.
"""

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kg import files
from kg.coref import pronoun_words, resolve
from kg.discover import discover as discover_characters
from kg.english import ENGLISH
from kg.errors import InputError
from kg.gender import infer
from kg.language import Language
from kg.names import (
    PART,
    WHOLE,
    NameIndex,
    Override,
    build_index,
    honorific,
    strongest,
)
from kg.network import character_stats, cooccurrences
from kg.nlp import TOKENIZER, Hit, Phrase, find_phrases, model_name
from kg.outdir import Extraction
from kg.records import Book, Character, Mention, Word
from kg.runtime import gc_paused
from kg.settings import MAX_WINDOW, WINDOW
from kg.text import control_character

SEGMENT_CHARS = 100_000
"""Paragraphs longer than this are given to spaCy in pieces cut at line ends."""
IN_PERSON = 10
"""A name after "in" is a place ("in Ravenclaw"), unless the book uses it at least this many
times as often otherwise ("a companion in Clerval", of a friend named 59 times)."""
WHOLE_BOOK = 20_000
"""In a book of at least this many words (a novel, not an excerpt), a discovered person named
only once is a passing reference (gossip, an allusion), not a character: it is left out."""
SURNAME_SHARE, SURNAME_EVIDENCE = 0.9, 5
"""A bare surname shared by a man and a woman names the man (or the woman) when at least
this share of this many bare surnames of one person each are of men (women) in the book."""
_NAME, _LOWER, _WORD = "NAME", "LOWER", "WORD"
QUOTES = frozenset("\"'\u201c\u201d\u2018\u2019()[]\u00ab\u00bb")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_SPACE_RUN = re.compile(r"\s{2,}")
_OTHER_SPACE = re.compile(r"[^\S ]")


@gc_paused()
def extract(
    book: Book,
    characters: Iterable[Character] | None = None,
    *,
    window: int = WINDOW,
    model: str | None = None,
    discover: bool = False,
    overrides: Iterable[Override] = (),
    nicknames: Mapping[str, Iterable[str]] | None = None,
    caps: bool = False,
    coref: bool = False,
    narrator: str | None = None,
    language: Language = ENGLISH,
) -> Extraction:
    """Find every mention of every character in `book` and the co-occurrence network.

    `window`: mentions at most this many tokens apart co-occur. `model`: the statistical
    spaCy model that discovery uses (a character list needs none). `overrides` win over the
    automatic disambiguation. `nicknames`: name -> nicknames, for matching and discovery
    (default: kg's table). `caps`: also match names written in capitals ("KIT" in a heading).
    `coref`: also resolve pronouns to characters and attribute quotations (kg.coref);
    `narrator`: the character "I" is outside quotations (a name or alias; implies `coref`).
    `language`: the words names, titles and genders are read with (kg.english's ENGLISH).

    >>> result = extract(read_book(Path("book.txt")), read_characters(Path("chars.jsonl")))
    """
    if not 1 <= window <= MAX_WINDOW:
        raise InputError(f"window must be 1..{MAX_WINDOW} tokens, not {window}")
    used = TOKENIZER
    table = files.read_nicknames() if nicknames is None else nicknames
    if characters is None or discover:
        known = tuple(characters or ())
        found = discover_characters(
            book, model=model, known=known, nicknames=table, language=language
        )
        listed = {c.name for c in known}
        characters = known + tuple(c for c in found if c.name not in listed)
        used = model_name(model)
        if not characters:
            raise InputError("discovery found no characters in the book: pass --characters")
    characters = tuple(characters)
    overrides = tuple(overrides)
    _check(characters, overrides)
    characters = tuple(infer(characters, book.text, table, language))
    index = build_index(characters, table, caps=caps, language=language)
    coref = coref or narrator is not None
    mentions, words = scan(
        book, index, overrides=overrides, words=pronoun_words(language) if coref else ()
    )
    if once := _named_once(book, characters, mentions):
        characters = tuple(c for c in characters if c.name not in once)
        mentions = [m for m in mentions if m.character not in once]
    quotes = None
    if coref:
        resolved = resolve(
            book,
            characters,
            mentions,
            words,
            narrator=_narrator(index, narrator),
            language=language,
        )
        mentions += resolved.mentions
        quotes = resolved.quotes
    interactions = cooccurrences(mentions, window)
    stats = character_stats(interactions, Counter(m.character for m in mentions))
    return Extraction(
        book,
        characters,
        tuple(mentions),
        tuple(interactions),
        tuple(stats),
        window,
        used,
        quotes,
        narrator,
    )


def _named_once(
    book: Book, characters: Iterable[Character], mentions: Iterable[Mention]
) -> set[str]:
    """Discovered people named once in a whole book (WHOLE_BOOK words or more)."""
    discovered = {c.name for c in characters if c.discovered}
    chapters = (book.chapter_text(c) for c in book.chapters)
    if not discovered or not _words_at_least(chapters, WHOLE_BOOK):
        return set()
    counts = Counter(m.character for m in mentions)
    return {name for name in discovered if counts[name] == 1}


def _words_at_least(texts: Iterable[str], n: int) -> bool:
    """Whether `texts` hold at least `n` words (split at whitespace), counted only that far."""
    left = n
    for text in texts:
        if left <= 0:
            break
        left -= len(text.split(maxsplit=left))  # at most left + 1 pieces
    return left <= 0


def _narrator(index: NameIndex, name: str | None) -> str | None:
    """The character a --narrator name or alias stands for."""
    if name is None:
        return None
    form = index.forms.get(" ".join(name.split()))
    owners = strongest(form.owners) if form else ()
    if len(owners) != 1:
        problem = "is not a character's name or alias" if not owners else "names several characters"
        raise InputError(f"narrator {name!r} {problem}")
    return owners[0]


def _check(characters: Sequence[Character], overrides: Sequence[Override]) -> None:
    if not characters:
        raise InputError("the character list is empty")
    if any(not c.name.strip() for c in characters):
        raise InputError("a character has an empty name")
    for name in (n for c in characters for n in (c.name, *c.aliases)):
        if found := control_character(name):
            raise InputError(f"character name {name!r} has a control character ({found})")
    names = Counter(c.name for c in characters)
    if dupes := sorted(n for n, count in names.items() if count > 1):
        raise InputError(f"duplicate character names: {', '.join(dupes)}")
    for o in overrides:
        if o.character and o.character not in names:
            raise InputError(
                f"override {o.surface!r} names {o.character!r}, who is not in the character list"
            )


@dataclass(frozen=True)
class _Segment:
    """A piece of a chapter as given to spaCy: whitespace runs collapsed to one space."""

    chapter: int
    offset: int
    text: str
    runs: tuple[int, ...]
    removed: tuple[int, ...]
    """Characters removed by the runs up to each run (so positions map back to the book)."""

    def book_offset(self, pos: int) -> int:
        k = bisect.bisect_left(self.runs, pos)
        return self.offset + pos + (self.removed[k - 1] if k else 0)


@dataclass(frozen=True)
class _Found:
    """A name found in the text, before it is judged and resolved."""

    chapter: int
    start: int
    end: int
    token: int
    form: str
    title: str | None
    initial: bool
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def bare(self) -> bool:
        """A one-word name without honorific: the kind that can be an ordinary word."""
        return self.title is None and " " not in self.form


def find_mentions(
    book: Book, index: NameIndex, *, overrides: Iterable[Override] = ()
) -> list[Mention]:
    """Every mention of an indexed character in the book, resolved to one character each."""
    return scan(book, index, overrides=overrides)[0]


def scan(
    book: Book,
    index: NameIndex,
    *,
    overrides: Iterable[Override] = (),
    words: Collection[str] = (),
) -> tuple[list[Mention], list[Word]]:
    """The book tokenized once: the mentions of `find_mentions`, and every occurrence of
    `words` (matched as whole tokens, case-sensitive) with its place, in text order."""
    rules = {(" ".join(o.surface.split()), o.chapter): o.character for o in overrides}
    found, lowercase, occurrences = _scan(book, index, {surface for surface, _ in rules}, words)
    kept = _judge(found, index, lowercase, rules, book.text)
    return _resolve(kept, index, book.text), occurrences


def _segments(book: Book) -> Iterator[_Segment]:
    """The chapters' paragraphs (text between blank lines), each given to spaCy alone.

    Short texts are much faster to tokenize: spaCy stops caching a text's words after its
    first special case ("Mr.", "don't"). Paragraphs longer than SEGMENT_CHARS are cut.
    """
    text = book.text
    for chapter in book.chapters:
        start = chapter.start
        for end in (
            *(m.start() for m in _BLANK_LINE.finditer(text, start, chapter.end)),
            chapter.end,
        ):
            while start < end:
                stop = end
                if stop - start > SEGMENT_CHARS:
                    stop = _cut(text, start, start + SEGMENT_CHARS)
                if stripped := text[start:stop].lstrip():
                    yield _segment(chapter.number, stop - len(stripped), stripped)
                start = stop


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut text[start:] before `limit`: a paragraph end, else a line end, else a space."""
    for separator in ("\n\n", "\n", " "):
        if (cut := text.rfind(separator, start + 1, limit)) > start:
            return cut
    return limit


def _segment(chapter: int, offset: int, text: str) -> _Segment:
    runs: list[int] = []
    removed: list[int] = []
    total = 0
    for m in _SPACE_RUN.finditer(text):
        runs.append(m.start() - total)
        total += m.end() - m.start() - 1
        removed.append(total)
    flat = _OTHER_SPACE.sub(" ", _SPACE_RUN.sub(" ", text) if runs else text)
    return _Segment(chapter, offset, flat, tuple(runs), tuple(removed))


@dataclass(frozen=True)
class _Lowercase:
    """Name words seen in lowercase in the book, and the word that followed them."""

    words: frozenset[str]
    pairs: frozenset[tuple[str, str]]


def _scan(
    book: Book, index: NameIndex, surfaces: set[str], extra: Collection[str]
) -> tuple[list[_Found], _Lowercase, list[Word]]:
    language = index.language
    forms = set(index.forms) | {s for s in surfaces if _strip_title(s, language) not in index.forms}
    lower = {f.lower() for f in forms if " " not in f and f.lower() != f} - forms
    phrases = [Phrase(_NAME, f, f) for f in sorted(forms)]
    phrases += [Phrase(_LOWER, w, w) for w in sorted(lower)]
    phrases += [Phrase(_WORD, w, w) for w in sorted(set(extra) - forms - lower)]
    segments = list(_segments(book))
    found: list[_Found] = []
    occurrences: list[Word] = []
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    tokens: Counter[int] = Counter()
    for segment, (hits, count) in zip(
        segments, find_phrases((s.text for s in segments), phrases), strict=True
    ):
        base = tokens[segment.chapter]
        tokens[segment.chapter] += count
        for hit in hits:
            if hit.label == _LOWER:
                words.add(hit.id)
                pairs.add((hit.id, hit.after[0] if hit.after else ""))
            elif hit.label == _WORD:
                start, end = segment.book_offset(hit.start), segment.book_offset(hit.end - 1) + 1
                occurrences.append(Word(segment.chapter, start, end, hit.id, hit.token + base))
            else:
                found.append(_found(segment, hit, base, language))
    return found, _Lowercase(frozenset(words), frozenset(pairs)), occurrences


def _strip_title(surface: str, language: Language) -> str:
    first, _, rest = surface.partition(" ")
    return rest if rest and honorific(first, language) else surface


def _found(segment: _Segment, hit: Hit, base: int, language: Language) -> _Found:
    """A hit with its honorific attached ("Mr." + "Dursley") and its place in the book."""
    start, token, before = hit.start, hit.token + base, hit.before
    title = None
    if before and not (" " in hit.id and honorific(hit.id.split()[0], language)):
        word, pos = before[0]
        if title := honorific(word, language):
            start, token, before = pos, token - 1, before[1:]
        elif (
            word == "."  # "Capt." is two tokens: "Capt" and "."
            and len(before) > 1
            and before[1][1] + len(before[1][0]) == pos
            and (title := honorific(before[1][0] + ".", language))
        ):
            start, token, before = before[1][1], token - 2, before[2:]
    return _Found(
        chapter=segment.chapter,
        start=segment.book_offset(start),
        end=segment.book_offset(hit.end - 1) + 1,
        token=token,
        form=hit.id,
        title=title,
        initial=_sentence_start(before, start, language),
        before=tuple(word for word, _ in before),
        after=hit.after,
    )


def _sentence_start(before: tuple[tuple[str, int], ...], start: int, language: Language) -> bool:
    """Whether a word starts a sentence or a quotation, judging by the tokens before it."""
    if not before:
        return True
    word, pos = before[0]
    if word in QUOTES and pos + len(word) == start:
        return True
    for word, _ in before:
        if word not in QUOTES:
            return word[-1] in ".!?…" and honorific(word, language) is None
    return True


def _judge(
    found: list[_Found],
    index: NameIndex,
    lowercase: _Lowercase,
    rules: Mapping[tuple[str, int | None], str],
    text: str,
) -> list[tuple[_Found, str | None]]:
    """The found names that are mentions, with the character an override gives (or None).

    One-word names are dropped after a determiner ("the Baker"), before a place word
    ("Baker's Lane"), after "in" ("in Ashford") unless the book uses them IN_PERSON times as
    often otherwise, everywhere when the book mostly uses them so (or
    uses them so once, for the surname of people it names no other way), at a sentence
    start when the word is also a lowercase word ("Will you?"), and in a list of capitalised
    words that are no names when it is also a lowercase word ("Barn, Brown and Snowy").
    """
    language = index.language
    kept: list[tuple[_Found, str | None]] = []
    placed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for f in found:
        ruled = _override(rules, text[f.start : f.end], f.form, f.chapter) if rules else None
        if ruled is not None:
            if ruled:
                kept.append((f, ruled))
            continue
        if f.form not in index.forms or (f.title is None and honorific(f.form, language)):
            continue  # a lone honorific is a name only after a title ("Miss King")
        if f.bare:
            total[f.form] += 1
            if _place_like(f, language):
                placed[f.form] += 1
                continue
            placed[f.form] += _after_in(f, language)
        kept.append((f, None))
    # the surname of people the book names no other way is a place if used so once ("in
    # Ravenclaw": the house, when Helena Ravenclaw is never named)
    people = {o for f, _ in kept if not _surname_only(f, index) for o, _ in _owners(f, index)}
    places = {
        f.form
        for f in found
        if placed[f.form]
        and (
            2 * placed[f.form] > total[f.form]
            or (_surname_only(f, index) and not {o for o, _ in _owners(f, index)} & people)
        )
    }
    kept = [
        (f, c)
        for f, c in kept
        if c
        or not f.bare
        or not (
            f.form in places
            or (_after_in(f, language) and IN_PERSON * placed[f.form] > total[f.form])
        )
    ]
    named = {
        f.form.lower() for f, c in kept if f.bare and (not f.initial or _then_stop(f, language))
    }
    return [
        (f, c)
        for f, c in kept
        if c
        or not f.bare
        or (_name_at_start(f, lowercase, named, language) and not _among_words(f, lowercase, index))
    ]


def _among_words(f: _Found, lowercase: _Lowercase, index: NameIndex) -> bool:
    """A name the book also writes in lowercase, listed beside a capitalised word that is no
    name: "Tawny, Screech, Barn, Brown and Snowy" (owls) has no Lavender Brown."""
    if f.form.lower() not in lowercase.words:
        return False
    listing = index.language.list_words
    beside = [f.before[1]] if len(f.before) > 1 and f.before[0] in listing else []
    beside += [f.after[1]] if len(f.after) > 1 and f.after[0] in listing else []
    return any(
        w[:1].isupper() and w not in index.forms and not honorific(w, index.language)
        for w in beside
    )


def _owners(f: _Found, index: NameIndex) -> tuple[tuple[str, int], ...]:
    return index.forms[f.form].owners if f.form in index.forms else ()


def _surname_only(f: _Found, index: NameIndex) -> bool:
    """A bare name that is the surname of every character it may name ("Ravenclaw")."""
    return f.bare and all(_is_surname(f.form, o) for o, _ in _owners(f, index))


def _override(
    rules: Mapping[tuple[str, int | None], str], surface: str, form: str, chapter: int
) -> str | None:
    surface = " ".join(surface.split())
    for key in ((surface, chapter), (surface, None), (form, chapter), (form, None)):
        if key in rules:
            return rules[key]
    return None


def _place_like(f: _Found, language: Language) -> bool:
    """A determiner before ("the Baker") or a place word after ("Baker's Lane")."""
    previous = f.before[0].lower() if f.before else ""
    nxt = f.after[0] if f.after else ""
    following = f.after[1] if nxt in language.possessives and len(f.after) > 1 else nxt
    return previous in language.determiners or following in language.place_words


def _after_in(f: _Found, language: Language) -> bool:
    """ "in" before ("in Ashford", not "in Harry's hand")."""
    previous = f.before[0].lower() if f.before else ""
    return previous in language.locatives and not (f.after and f.after[0] in language.possessives)


def _then_stop(f: _Found, language: Language) -> bool:
    """Whether punctuation or a possessive follows the name ("Kit, who...", "Stray—")."""
    nxt = f.after[0] if f.after else ""
    return not nxt[:1].isalpha() or nxt in language.possessives


def _name_at_start(f: _Found, lowercase: _Lowercase, named: set[str], language: Language) -> bool:
    """At a sentence start, a name that is also a lowercase word in the book ("Will") is a
    name before punctuation; it is the word before a pronoun, a determiner or a word that
    follows it in lowercase too ("will you"); otherwise it is a name if the book uses it
    as one elsewhere."""
    word = f.form.lower()
    if not f.initial or word not in lowercase.words or _then_stop(f, language):
        return True
    nxt = f.after[0]
    if (
        nxt.lower() in language.pronouns
        or nxt.lower() in language.determiners
        or (word, nxt) in lowercase.pairs
    ):
        return False
    return word in named


def _resolve(kept: list[tuple[_Found, str | None]], index: NameIndex, text: str) -> list[Mention]:
    """One character per mention: fixed ones first (the anchors), then the ambiguous ones."""
    kept.sort(key=lambda item: item[0].start)
    choices: list[tuple[str, ...]] = []
    found: defaultdict[str, list[_Found]] = defaultdict(list)
    usage = _usage(kept, index)
    narrowed: dict[tuple[str, str | None, int], tuple[str, ...]] = {}  # all _narrow reads
    for f, ruled in kept:
        key = (f.form, f.title, f.chapter)
        if not ruled and key not in narrowed:
            narrowed[key] = _narrow(f, index, usage)
        candidates = (ruled,) if ruled else narrowed[key]
        choices.append(candidates)
        if len(candidates) == 1:
            found[candidates[0]].append(f)
    anchors = _Anchors.of(found, index)
    counts: Counter[str] = Counter()
    mentions = []
    for (f, _), candidates in zip(kept, choices, strict=True):
        if not candidates:
            continue
        if len(candidates) == 1:
            name = candidates[0]
        else:
            name = _choose(f, candidates, index, anchors, counts)
        counts[name] += 1
        mentions.append(Mention(f.chapter, f.start, f.end, text[f.start : f.end], name, f.token))
    return mentions


@dataclass(frozen=True)
class _Anchors:
    """The unambiguous mentions of each character, and of its family, for `_choose`."""

    found: Mapping[str, list[_Found]]
    starts: Mapping[str, list[int]]
    chapters: Counter[tuple[str, int]]
    """(character, chapter) -> unambiguous mentions of the character in the chapter."""
    family: Mapping[str, tuple[str, ...]]
    """The other listed characters who share each character's surname."""

    @classmethod
    def of(cls, found: Mapping[str, list[_Found]], index: NameIndex) -> "_Anchors":
        surnames: defaultdict[str, list[str]] = defaultdict(list)
        for name in index.gender:
            if len(words := name.split()) > 1:
                surnames[words[-1]].append(name)
        family = {n: tuple(m for m in g if m != n) for g in surnames.values() for n in g}
        return cls(
            found,
            {name: [f.start for f in fs] for name, fs in found.items()},
            Counter((name, f.chapter) for name, fs in found.items() for f in fs),
            family,
        )

    def family_in_chapter(self, name: str, chapter: int, others: Iterable[str]) -> int:
        """Unambiguous mentions in the chapter of `name`'s family, leaving out `others`."""
        return sum(self.chapters[m, chapter] for m in self.family.get(name, ()) if m not in others)


@dataclass(frozen=True)
class _Usage:
    """How the book itself uses names, read from its unambiguous mentions."""

    titles: Mapping[str, frozenset[str]]
    """Each character's rank titles: in its listed name or aliases, or before one of its own
    fuller forms in the book ("Sir William Lucas" for a listed "William Lucas")."""
    surname_gender: str | None
    """The gender the book calls by bare surname, when it is nearly always one ("Wickham")."""


def _usage(kept: Iterable[tuple[_Found, str | None]], index: NameIndex) -> _Usage:
    ranks = index.language.rank_titles
    titles = {name: set(found) & ranks for name, found in index.titles.items()}
    surnames: Counter[str] = Counter()
    for f, _ in kept:
        owners = index.forms[f.form].owners if f.form in index.forms else ()
        if len(owners) != 1:
            continue
        name, level = owners[0]
        if f.title in ranks and level < PART:
            titles[name].add(f.title)
        if f.bare and _is_surname(f.form, name) and (gender := index.gender[name]):
            surnames[gender] += 1
    common = surnames.most_common(1)
    usual = common[0][0] if common and common[0][1] >= SURNAME_SHARE * surnames.total() else None
    return _Usage(
        {name: frozenset(t) for name, t in titles.items()},
        usual if surnames.total() >= SURNAME_EVIDENCE else None,
    )


def _is_surname(form: str, name: str) -> bool:
    return name.endswith(" " + form)


def _narrow(f: _Found, index: NameIndex, usage: _Usage) -> tuple[str, ...]:
    """The strongest owners of a found name among those introduced by now; after a gendered
    honorific, those of its gender (known first, then unknown, never the other); after a rank
    title, those with that title ("Sir William" is not a listed "William Collins"); for a bare
    surname, those of the gender the book calls by surname, if any, or whose own name or alias
    it is. Empty when none fits."""
    owners = index.forms[f.form].owners
    owners = tuple(o for o in owners if (index.first_chapter[o[0]] or 0) <= f.chapter) or owners
    if f.title in index.language.rank_titles:
        owners = tuple(o for o in owners if o[1] < PART or f.title in usage.titles[o[0]])
    gender = index.language.honorifics.get(f.title or "")
    if gender:
        owners = tuple(o for o in owners if index.gender[o[0]] == gender) or tuple(
            o for o in owners if index.gender[o[0]] is None
        )
    if f.bare and usage.surname_gender:
        owners = (
            tuple(
                o
                for o in owners
                if o[1] == WHOLE
                or (_is_surname(f.form, o[0]) and index.gender[o[0]] == usage.surname_gender)
            )
            or owners
        )
    return strongest(owners) if owners else ()


def _choose(
    f: _Found,
    candidates: tuple[str, ...],
    index: NameIndex,
    anchors: _Anchors,
    counts: Counter[str],
) -> str:
    """The deterministic choice among several candidates (see the README, "Ambiguous names").

    Marital status by honorific ("Mrs." married, "Miss" not; known first, then unknown), then
    the candidate with the nearest unambiguous mention before in the chapter, after in the
    chapter; the one whose family (other than the candidates) the chapter names most; the
    nearest before in the book, after in the book; then the most mentioned so far; then the
    first name in order.
    """
    language = index.language
    if f.title in language.married_honorifics or f.title in language.unmarried_honorifics:
        married = f.title in language.married_honorifics
        candidates = (
            tuple(c for c in candidates if index.married[c] is married)
            or tuple(c for c in candidates if index.married[c] is None)
            or candidates
        )
        if len(candidates) == 1:
            return candidates[0]
    previous: dict[str, _Found] = {}
    following: dict[str, _Found] = {}
    for c in candidates:
        starts = anchors.starts.get(c, [])
        k = bisect.bisect_left(starts, f.start)
        if k > 0:
            previous[c] = anchors.found[c][k - 1]
        if k < len(starts):
            following[c] = anchors.found[c][k]
    for same_chapter in (True, False):
        before = [
            (-p.start, c) for c, p in previous.items() if p.chapter == f.chapter or not same_chapter
        ]
        if before:
            return min(before)[1]
        after = [
            (n.start, c) for c, n in following.items() if n.chapter == f.chapter or not same_chapter
        ]
        if after:
            return min(after)[1]
        family = {c: anchors.family_in_chapter(c, f.chapter, candidates) for c in candidates}
        if same_chapter and max(family.values()) > 0:
            return min(candidates, key=lambda c: (-family[c], c))
    return min(candidates, key=lambda c: (-counts[c], c))
