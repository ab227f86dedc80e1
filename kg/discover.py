"""Character discovery without a list: find the people a book names and cluster their names.

Statistical NER is one vote among several: honorifics, speech verbs, capitalisation that
recurs mid-sentence, a first-name gazetteer, and a stop list learned from the book itself.
Name forms are then clustered into characters, precision first.
"""

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from kg.english import ENGLISH, word_set
from kg.files import read_nicknames
from kg.language import Language
from kg.names import variants as name_variants
from kg.nlp import Labeller, entity_labeller
from kg.records import FEMALE, MALE, Book, Character

NER_SAMPLES = 8
"""Occurrences of each candidate name shown to the statistical NER (it is slow; votes saturate)."""


ROMAN = re.compile(r"[IVXLCDM]+")

_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019](?!s\b)[^\W\d_]+)*(?:-[^\W\d_]+)*|\d+|[^\w\s]")
_OPEN_QUOTES = frozenset("\u201c\u2018([")
_ENDS = frozenset(".!?")
_OTHER_ENTITIES = word_set("GPE LOC FAC ORG PRODUCT EVENT WORK_OF_ART LAW")
_ADJECTIVE_ENTITIES = word_set("NORP LANGUAGE")
_CONTEXT = 240
"""Characters of context on each side of a name shown to the NER (within its sentence)."""


Related = Callable[[str, str], bool]
"""Whether one first name is a nickname of the other ("Lizzy", "Elizabeth")."""


def nickname_relation(table: Mapping[str, Iterable[str]]) -> Related:
    """The relation a nickname table (name -> nicknames) gives, both ways and ignoring case."""
    related: defaultdict[str, set[str]] = defaultdict(set)
    for name, nicks in table.items():
        for nick in nicks:
            related[name.lower()].add(nick.lower())
            related[nick.lower()].add(name.lower())
    return lambda a, b: b.lower() in related.get(a.lower(), ())


@dataclass(frozen=True, order=True)
class Form:
    """A name as written, reduced to its title class and its name words: ("Mr", ("Bennet",))."""

    title: str
    """The title class ("Mr" for "Mr.", "Monsieur"), or "" for none."""
    core: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(((self.title,) if self.title else ()) + self.core)


@dataclass
class _Occurrence:
    start: int
    end: int
    form: Form
    surface: str
    initial: bool
    before: str
    before2: str
    after: str
    after2: str
    """The word after `after` (after "'s": the thing owned, "Arthur's Seat")."""
    sentence: int


@dataclass
class _Scan:
    """What one pass over the text finds: runs of capitalised words and word statistics."""

    text: str
    language: Language
    occurrences: list[_Occurrence] = field(default_factory=list)
    lower: Counter[str] = field(default_factory=Counter)
    capital_mid: Counter[str] = field(default_factory=Counter)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    pairs: set[frozenset[Form]] = field(default_factory=set)

    @cached_property
    def sentences_of(self) -> dict[Form, frozenset[int]]:
        """The sentences each form occurs in (read once the pass is over)."""
        found: defaultdict[Form, set[int]] = defaultdict(set)
        for o in self.occurrences:
            found[o.form].add(o.sentence)
        return {form: frozenset(sentences) for form, sentences in found.items()}

    def common(self, word: str) -> bool:
        """True for a word the book writes in lowercase more often than capitalised mid-sentence."""
        return word in self.language.stop or self.lower.get(word.lower(), 0) > self.capital_mid.get(
            word, 0
        )


Token = tuple[int, int, str]


def _scan(text: str, language: Language, start: int = 0, end: int | None = None) -> _Scan:
    """Tokenise text[start:end] with one regular expression, find sentences, and record name
    runs (offsets stay offsets into `text`)."""
    scan = _Scan(text, language)
    tokens: list[Token] = [
        (m.start(), m.end(), m.group())
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end)
    ]
    initial = _sentences(text, tokens, scan)
    run: list[int] = []
    for i, (_start, _end, word) in enumerate(tokens):
        if _name_word(tokens, i, language):
            run.append(i)
        elif not (word == "." and run and _period_inside(text, tokens, run[-1], i, language)):
            _close_run(tokens, run, initial, scan)
            run = []
    _close_run(tokens, run, initial, scan)
    _find_pairs(scan)
    return scan


def _sentences(text: str, tokens: list[Token], scan: _Scan) -> list[bool]:
    """Mark sentence-initial tokens, count word cases, and record sentence spans.

    A paragraph break, an end mark that is not an abbreviation's period, a colon and an
    opening quote start a sentence; straight double quotes open and close in turn.
    """
    language = scan.language
    initial: list[bool] = []
    at_start = True
    in_quote = False
    sentence_start = 0
    prev_end = 0
    lower, capital_mid = scan.lower, scan.capital_mid
    for i, (start, end, word) in enumerate(tokens):
        if start - prev_end > 1 and text.count("\n", prev_end, start) >= 2:
            if not at_start:
                scan.sentences.append((sentence_start, prev_end))
            sentence_start, at_start, in_quote = start, True, False
        prev_end = end
        initial.append(at_start)
        first = word[0]
        if first.isalpha():
            if first.islower():
                lower[word] += 1
            elif not at_start:
                capital_mid[word] += 1
            at_start = False
        elif first in _ENDS:
            prev = tokens[i - 1][2] if i else ""
            if first == "." and (prev in language.period_after or _is_initial(prev)):
                continue
            if not at_start:
                scan.sentences.append((sentence_start, end))
                sentence_start = tokens[i + 1][0] if i + 1 < len(tokens) else end
            at_start = True
        elif first == '"':
            in_quote = not in_quote
            at_start = at_start or in_quote
        elif first in _OPEN_QUOTES or (first == "'" and _opens(text, start, end)) or first == ":":
            at_start = True
    if not at_start or sentence_start < prev_end:
        scan.sentences.append((sentence_start, prev_end))
    return initial


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()


def _opens(text: str, start: int, end: int) -> bool:
    """A straight single quote opens when a space is before it and a letter after it."""
    return (start == 0 or text[start - 1].isspace()) and text[end : end + 2].lstrip(" ")[
        :1
    ].isalpha()


def _name_word(tokens: list[Token], i: int, language: Language) -> bool:
    word = tokens[i][2]
    if word[0].isupper():
        return (
            word[0].isalpha()
            and not language.contraction.search(word)
            and not word.rpartition("-")[2][:1].islower()
        )
    return (
        word in language.particles
        and 0 < i < len(tokens) - 1
        and tokens[i + 1][2][0].isupper()
        and tokens[i - 1][2][0].isupper()
    )


def _period_inside(text: str, tokens: list[Token], last: int, i: int, language: Language) -> bool:
    """True for the period of "Mr." or "J." when a capitalised word follows in the paragraph."""
    word = tokens[last][2]
    if not (word in language.period_after or _is_initial(word)) or tokens[last][1] != tokens[i][0]:
        return False
    return (
        i + 1 < len(tokens)
        and tokens[i + 1][2][0].isupper()
        and text.count("\n", tokens[i][1], tokens[i + 1][0]) < 2
    )


def _close_run(tokens: list[Token], run: list[int], initial: list[bool], scan: _Scan) -> None:
    """Split a run of capitalised words at stop words and blank lines, and record the parts."""
    language = scan.language
    part: list[int] = []
    for k, i in enumerate(run):
        word = tokens[i][2]
        gap = scan.text.count("\n", tokens[run[k - 1]][1], tokens[i][0]) if k else 0
        if gap >= 2 and part:
            _record(tokens, part, initial, scan)
            part = []
        if _normal(word) in language.stop or _roman(word, k + 1 < len(run), language):
            _record(tokens, part, initial, scan)
            part = []
        else:
            part.append(i)
    _record(tokens, part, initial, scan)


def _roman(word: str, named: bool, language: Language) -> bool:
    """A Roman number ("XIV"), unless it is a title before a name ("M. Waldman")."""
    return (
        word.isupper() and bool(ROMAN.fullmatch(word)) and not (named and word in language.titles)
    )


def _normal(word: str) -> str:
    return word.capitalize() if len(word) > 1 and word.isupper() else word


def _record(tokens: list[Token], run: list[int], initial: list[bool], scan: _Scan) -> None:
    """Record one name candidate: leading common words dropped, then titles, then name words.

    A run in capitals also loses trailing common words ("MISS NANCY WERE" is Miss Nancy)."""
    language = scan.language
    words = [_normal(tokens[i][2]) for i in run]
    if all(tokens[i][2].isupper() for i in run):
        while len(words) > 1 and scan.common(words[-1]) and words[-1] not in language.first_names():
            words.pop()
            run = run[:-1]
    k = 0
    while (
        k < len(words) - 1
        and words[k] not in language.titles
        and _not_name(words[k], initial[run[k]], scan)
    ):
        k += 1
    if words and words[k] in language.saints:
        return
    # Words before a title are not part of the name ("Even Miss Pinkerton").
    k = next((t for t in range(k, len(words) - 1) if words[t] in language.titles), k)
    j = k
    while j < len(words) - 1 and words[j] in language.titles:
        j += 1
    core = tuple(w for w in words[j:] if w not in language.particles)
    if not core or (j == k and len(core) == 1 and core[0] in language.titles):
        return
    title = language.titles[words[j - 1]] if j > k else ""
    first, last = run[k], run[-1]
    start, end = tokens[first][0], tokens[last][1]
    after, after2 = _after(tokens, last)
    text = scan.text
    scan.occurrences.append(
        _Occurrence(
            start=start,
            end=end,
            form=Form(title, core),
            surface=" ".join(text[start:end].split()),
            initial=(initial[first] or tokens[first][2].isupper()) and not title,
            before=tokens[first - 1][2].lower() if first else "",
            before2=tokens[first - 2][2].lower() if first > 1 else "",
            after=after,
            after2=after2,
            sentence=bisect.bisect_right(scan.sentences, (start, len(text))) - 1,
        )
    )


def _not_name(word: str, initial: bool, scan: _Scan) -> bool:
    """A leading word of a run that is not part of the name ("When Mary", "poor Jemima")."""
    language = scan.language
    if word in language.stop:
        return True
    if initial:
        # At a sentence start, a word is trusted as a name only when seen so elsewhere.
        seen_mid = scan.capital_mid.get(word, 0) > 0 or word in language.first_names()
        return scan.lower.get(word.lower(), 0) > 0 or not seen_mid
    return scan.common(word) and word not in language.first_names()


def _after(tokens: list[Token], last: int) -> tuple[str, str]:
    """The lowercase word after a name ("'s" for a possessive, "Thomas' books" too), and the
    word after that as written."""
    nxt = [w for _, _, w in tokens[last + 1 : last + 4]] + ["", "", ""]
    if nxt[0] in ("'", "\u2019"):
        if nxt[1] == "s":
            return "'s", nxt[2]
        glued = tokens[last][1] == tokens[last + 1][0]
        if glued and tokens[last][2].endswith("s") and nxt[1][:1].islower():
            return "'s", nxt[1]
    return nxt[0].lower(), nxt[1]


def _find_pairs(scan: _Scan) -> None:
    """Record never-merge pairs: "Mr. and Mrs. Bennet", "Jane and Elizabeth"."""
    language = scan.language
    for m in language.name_pair.finditer(scan.text):
        t1, t2 = language.titles.get(m[1]), language.titles.get(m[2])
        if t1 and t2 and t1 != t2:  # "Dr. and Dr. Watson": one form, nothing to keep apart
            scan.pairs.add(frozenset((Form(t1, (m[3],)), Form(t2, (m[3],)))))
    by_start = {o.start: o for o in scan.occurrences}
    for o in scan.occurrences:
        join = language.name_join.match(scan.text, o.end, o.end + 12)
        other = by_start.get(join.end()) if join else None
        if other is not None and other.form != o.form:
            scan.pairs.add(frozenset((o.form, other.form)))


@dataclass
class _Votes:
    """Evidence about one form, summed over its occurrences."""

    n: int = 0
    mid: int = 0
    speech: int = 0
    agent: int = 0
    kin: int = 0
    possessive: int = 0
    the: int = 0
    place: int = 0
    person: int = 0
    other: int = 0
    adjective: int = 0
    seen: int = 0
    who: int = 0
    works: int = 0


def _listed(scan: _Scan, previous: _Occurrence | None, o: _Occurrence, chained: bool) -> bool:
    """Whether `o` follows `previous` in a list of names: after "and", or after a comma when
    the list goes on ("Gravesend, Woolwich, and") or began before ("..., and Greenwich");
    not "towards Dunmarsh, and Corwen smiled"."""
    if previous is None:
        return False
    text, language = scan.text, scan.language
    if language.list_and.fullmatch(text, previous.end, o.start):
        return True
    comma = language.list_comma.fullmatch(text, previous.end, o.start)
    return bool(comma) and (chained or o.after == ",")


def _votes(scan: _Scan) -> dict[Form, _Votes]:
    language = scan.language
    votes: defaultdict[Form, _Votes] = defaultdict(_Votes)
    previous: _Occurrence | None = None
    placed = listed = False
    for o in scan.occurrences:
        v = votes[o.form]
        v.n += 1
        v.mid += not o.initial
        v.speech += o.before in language.speech_verbs or o.after in language.speech_verbs
        v.agent += o.after in language.agent_verbs or o.before in language.object_verbs
        v.kin += o.before in language.person_before or (
            o.before == "of" and o.before2 in language.kin_of
        )
        v.who += o.after == "who" or (o.after == "," and o.after2 == "who")
        owned = o.after2 if o.after == "'s" else ""
        v.possessive += (
            o.after == "'s"
            and owned.lower() not in language.works
            and owned not in language.place_words
        )
        v.works += owned.lower() in language.works or (
            o.before == "of" and o.before2 in language.works
        )
        v.the += o.before in language.articles
        # A list's names share the place its first one is in ("in Cumberland and Westmorland").
        listed = _listed(scan, previous, o, listed)
        placed = (listed and placed) or (
            o.after != "'s"
            and (
                o.before in language.place_before
                or o.before in language.place_verbs
                or (o.before == "to" and o.before2 in language.journey)
                or (o.before == "of" and o.before2 in language.place_of)
            )
        )
        v.place += placed or owned in language.place_words  # "Arthur's Seat"
        previous = o
    return dict(votes)


def _proper(form: Form, v: _Votes, scan: _Scan) -> bool:
    """Written like a proper name: capitalised mid-sentence and not a common word of the book.

    A first name capitalised mid-sentence is a name even when the book also uses the word ("Will").
    """
    language = scan.language
    core = form.core
    if len(core) > 1:
        return not scan.common(core[-1]) or core[0] in language.first_names()
    word = core[0]
    if len(word) < 2 or word in language.stop:
        return False
    if word in language.first_names():
        return v.mid > 0 or scan.lower.get(word.lower(), 0) == 0
    return v.mid > 0 and not scan.common(word)


def _ner_votes(
    scan: _Scan, votes: dict[Form, _Votes], forms: Iterable[Form], labeller: Labeller
) -> None:
    """Show up to NER_SAMPLES occurrences of each form to the NER and count its labels."""
    wanted = set(forms)
    taken: Counter[Form] = Counter()
    samples: dict[tuple[int, int], list[_Occurrence]] = defaultdict(list)
    for o in scan.occurrences:
        if o.form in wanted and taken[o.form] < NER_SAMPLES:
            taken[o.form] += 1
            s_start, s_end = scan.sentences[o.sentence] if o.sentence >= 0 else (0, o.end)
            lo = max(s_start, o.start - _CONTEXT)
            hi = min(max(s_end, o.end), o.end + _CONTEXT)
            samples[(lo, hi)].append(o)
    keys = sorted(samples)
    entities = labeller([scan.text[lo:hi].replace("\n", " ") for lo, hi in keys])
    for (lo, hi), ents in zip(keys, entities, strict=True):
        for o in samples[(lo, hi)]:
            v = votes[o.form]
            v.seen += 1
            for e_start, e_end, label in ents:
                if e_start + lo < o.end and e_end + lo > o.start:
                    v.person += label == "PERSON"
                    v.other += label in _OTHER_ENTITIES
                    v.adjective += label in _ADJECTIVE_ENTITIES
                    break


def _score(form: Form, v: _Votes, sibling: bool, language: Language) -> float:
    """Person evidence minus place/thing evidence for an untitled form."""
    score = 1.5 * min(v.speech, 2) + 0.75 * min(v.agent, 2) + 0.75 * min(v.kin, 2)
    score += 0.75 * min(v.who, 2)
    score += 0.5 * min(v.possessive, 2)
    given = form.core[0] in language.first_names()
    if v.seen:
        # The model often calls a first name a place ("Agnes" LOC); then only the context
        # words may say so. Its nationality label ("Christian", NORP) is still trusted.
        floor = 0.0 if given and len(form.core) == 1 else -1.0
        score += max((v.person - v.other) / v.seen, floor) - v.adjective / v.seen
    score += given
    score += sibling
    score -= (2.0 * v.the + 1.5 * v.place) / v.n
    return score


def _people(scan: _Scan, labeller: Labeller | None) -> dict[Form, _Votes]:
    """Decide which forms name people; returns their votes."""
    language = scan.language
    votes = _votes(scan)
    proper = {f for f, v in votes.items() if _proper(f, v, scan)}
    if labeller is not None:
        _ner_votes(
            scan,
            votes,
            sorted(f for f in proper if f.title not in language.strong_classes),
            labeller,
        )
    people: set[Form] = set()
    for f in votes:
        if not f.title or _place(f, language) or _only_works(votes[f]):
            continue
        v = votes[f]
        strong = f.title in language.strong_classes
        if strong or (f in proper and not (v.seen and v.other > v.person)):
            people.add(f)
    titled_cores = {f.core for f in people}
    candidates = sorted(
        f
        for f in proper
        if not f.title
        and not (_place(f, language) and f.core not in titled_cores)
        and not _only_works(votes[f])
    )
    heads = {f.core[:k] for f in votes for k in range(2, len(f.core))}
    changed = True
    while changed:
        words = {w for f in people for w in f.core}
        surnames = {f.core[-1] for f in people}
        alone = {f.core[0] for f in people if len(f.core) == 1}
        changed = False
        for f in candidates:
            core = f.core
            if f in people or (
                len(core) > 1 and not _anchored(core, votes[f], alone, heads, language)
            ):
                continue
            sibling = core in titled_cores or (
                core[0] in words if len(core) == 1 else core[-1] in surnames or core[0] in words
            )
            if _score(f, votes[f], sibling, language) >= 1.0:
                people.add(f)
                changed = True
    return {f: votes[f] for f in people}


def _only_works(v: _Votes) -> bool:
    """A name used only for books ("Plutarch's Lives", "the works of Homer", "our Uncle
    Thomas' library"): an author or an owner of books, not a character."""
    return v.works == v.n


def _anchored(
    core: tuple[str, ...],
    v: _Votes,
    alone: set[str],
    heads: set[tuple[str, ...]],
    language: Language,
) -> bool:
    """Whether an untitled full name starts like a person's ("Louis Manoir", "De Lacey"), one
    of its ends names a person alone, it speaks or acts, or the model mostly calls it a
    person and it never starts a longer name; "Project Gutenberg" (of "Project Gutenberg
    Literary Archive Foundation") does none."""
    first = core[0]
    return (
        first in language.first_names()
        or first.lower() in language.particles
        or bool({first, core[-1]} & alone)
        or v.speech + v.agent + v.kin > 0
        or (v.seen > 0 and v.person >= 0.75 * v.seen and core not in heads)
    )


def _place(form: Form, language: Language) -> bool:
    """Named like a place: "Privet Drive", "King Edward Street", a bare "Street"."""
    return form.core[-1] in language.place_words and (len(form.core) > 1 or not form.title)


NEAR = 10_000
"""Characters on each side of a use within which a group's other forms count as near it."""
NEAR_SHARE = 0.15
NEAR_COUNT = 10
"""A lone word joins a group only where the book uses them together: at least NEAR_SHARE of
its uses, or NEAR_COUNT of them, are NEAR the group's other forms ("Mary", used through the
book, is not the "Mary King" of two chapters; a father's one signature does not take his
son's surname)."""
SALIENT = 2
"""Among several fitting groups, one mentioned at least this many times as often as any
other takes a family form ("Miss Lucas" is the elder, much-mentioned daughter)."""


class _Clusters:
    """Union-find over forms that refuses to join two forms recorded as a pair."""

    def __init__(self, forms: Iterable[Form], pairs: set[frozenset[Form]]) -> None:
        self.parent = {f: f for f in forms}
        self.members = {f: [f] for f in self.parent}
        self.never: defaultdict[Form, set[Form]] = defaultdict(set)
        for pair in pairs:
            a, b = sorted(pair)
            self.never[a].add(b)
            self.never[b].add(a)

    def find(self, form: Form) -> Form:
        while self.parent[form] != form:
            form = self.parent[form]
        return form

    def union(self, a: Form, b: Form) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or any(y in self.never[x] for x in self.members[ra] for y in self.members[rb]):
            return
        ra, rb = min(ra, rb), max(ra, rb)
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)

    def roots(self) -> list[Form]:
        return sorted(self.members)


@dataclass(frozen=True)
class _Usage:
    """How the book uses each person form: where it occurs, and which words are first names."""

    starts: Mapping[Form, Sequence[int]]
    firsts: frozenset[str]
    surnames: frozenset[str]
    language: Language

    def count(self, forms: Iterable[Form]) -> int:
        return sum(len(self.starts[f]) for f in forms)

    def first_name(self, word: str) -> bool:
        """A first name in this book: before a surname, or a known first name never a surname."""
        return word in self.firsts or (
            word in self.language.first_names() and word not in self.surnames
        )

    def supports(self, form: Form, members: Sequence[Form]) -> bool:
        """Whether the book supports the lone word `form` naming the group `members`: it is
        the group's name without a title ("Mr. Denny"), or the book uses them near each other."""
        if any(m.core == form.core for m in members):
            return True
        others = sorted(p for m in members for p in self.starts[m])
        near = 0
        for p in self.starts[form]:
            k = bisect.bisect_left(others, p - NEAR)
            near += k < len(others) and others[k] <= p + NEAR
        return near >= min(NEAR_COUNT, NEAR_SHARE * len(self.starts[form]))


def _usage(scan: _Scan, forms: Iterable[Form]) -> _Usage:
    language = scan.language
    starts: defaultdict[Form, list[int]] = defaultdict(list)
    for o in scan.occurrences:
        starts[o.form].append(o.start)
    forms = list(forms)
    return _Usage(
        starts={f: starts[f] for f in forms},
        firsts=frozenset(f.core[0] for f in forms if len(f.core) >= 2),
        surnames=frozenset(
            f.core[-1] for f in forms if len(f.core) >= 2 or f.title in language.surname_titles
        ),
        language=language,
    )


def _title_gender(form: Form, language: Language) -> str | None:
    return language.honorifics.get(form.title)


def _gender(forms: Iterable[Form], language: Language) -> str | None:
    """The gender that titles, else full first names, give a group of forms; None if unclear."""
    forms = list(forms)
    by_title = {g for f in forms if (g := _title_gender(f, language))}
    if len(by_title) == 1:
        return by_title.pop()
    if by_title:
        return None
    by_name = {language.first_names().get(f.core[0]) for f in forms if len(f.core) >= 2}
    by_name.discard(None)
    return by_name.pop() if len(by_name) == 1 else None


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _cluster(
    scan: _Scan, people: Iterable[Form], related: Related, breaks: Sequence[int] = ()
) -> list[list[Form]]:
    """Join the forms of one person, precision first; returns groups of forms. `breaks`:
    where chapters start (a letter ends there)."""
    language = scan.language
    usage = _usage(scan, people)
    forms = sorted(usage.starts, key=lambda f: (-len(usage.starts[f]), f))
    c = _Clusters(forms, scan.pairs)
    full = [f for f in forms if len(f.core) >= 2]
    single = [f for f in forms if len(f.core) == 1]
    by_core: defaultdict[tuple[str, ...], list[Form]] = defaultdict(list)
    for f in full:
        by_core[f.core].append(f)
    for core, variants in by_core.items():
        name_gender = language.first_names().get(core[0])
        for f in variants:
            g = _title_gender(f, language) or name_gender
            peer = next(
                (
                    p
                    for p in variants
                    if p != f and _compatible(g, _title_gender(p, language) or name_gender)
                ),
                None,
            )
            if peer is not None:
                c.union(f, peer)
    for f in full:
        nicknamed = [g for g in full if g.core[1:] == f.core[1:] and related(f.core[0], g.core[0])]
        _join_unique(c, f, sorted({c.find(g) for g in nicknamed}))
    for f in single:
        if f.title:
            roots = _roots_with_word(c, full, f.core[0])
            fitting = [r for r in roots if _fits_title(c, r, f, usage, scan)]
            same = [r for r in fitting if _has_title(c.members[r], f)]
            fitting = same or fitting
            if f.title == "Miss":
                fitting = _salient(c, fitting, usage)
            _join_unique(c, f, fitting)
    for f in single:
        if f.title in language.kin_titles:
            _join_kin(c, f, usage)
    for f in single:
        if not f.title:
            _join_bare(c, f, usage)
    for f in single:
        if all(m.core == f.core for m in c.members[c.find(f)]):
            _join_nickname(c, f, forms, related, usage)
    vocatives = _vocatives(scan, usage)
    _join_addressee(c, scan, usage, vocatives, breaks)
    _join_family_name(c, scan, usage, vocatives)
    _join_spouse_by_first_name(c, scan, usage, FEMALE)
    _join_spouse_by_first_name(c, scan, usage, MALE)
    return [c.members[r] for r in c.roots()]


def _vocatives(scan: _Scan, usage: _Usage) -> list[_Occurrence]:
    """Uses of a one-word name that address its bearer: "dear Margaret,", "Victor!"."""
    language = scan.language
    return [
        o
        for o in scan.occurrences
        if o.form in usage.starts
        and not o.form.title
        and len(o.form.core) == 1
        and (o.initial or o.before in language.vocative_before)
        and o.after in language.vocative_after
    ]


def _most(counts: Counter[Form]) -> Form | None:
    """The form counted at least twice and SALIENT times as often as any other, if any."""
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[0][1] < SALIENT * ranked[1][1]:
        return None
    return ranked[0][0]


def _apart(scan: _Scan, a: Form, b: Form) -> bool:
    """Whether no sentence names both forms ('"Now, Pip," said Orlick' names two people)."""
    return scan.sentences_of.get(a, frozenset()).isdisjoint(scan.sentences_of.get(b, ()))


def _given_only(c: _Clusters, form: Form, usage: _Usage) -> bool:
    """A group known only by one first name ("Margaret", "Victor"): no surname in the book."""
    language = usage.language
    word = form.core[0]
    return usage.first_name(word) and all(
        m.core == (word,) and m.title not in language.surname_titles
        for m in c.members[c.find(form)]
    )


def _join_addressee(
    c: _Clusters,
    scan: _Scan,
    usage: _Usage,
    vocatives: Sequence[_Occurrence],
    breaks: Sequence[int],
) -> None:
    """The addressee of letters ("To Mrs. Saville") is the first name that the letters
    address in at least two of them ("dear Margaret"), when the book gives that name no
    surname and the genders agree."""
    language = scan.language
    text = scan.text
    heads = [
        o
        for o in scan.occurrences
        if o.form in usage.starts
        and o.form.title
        and o.before == "to"
        and language.letter_to.fullmatch(text, text.rfind("\n", 0, o.start) + 1, o.start)
    ]
    starts = [o.start for o in vocatives]
    named: defaultdict[Form, Counter[Form]] = defaultdict(Counter)
    for k, head in enumerate(heads):
        after = bisect.bisect_right(breaks, head.start)
        end = min(
            breaks[after] if after < len(breaks) else len(text),
            heads[k + 1].start if k + 1 < len(heads) else len(text),
        )
        gender = _title_gender(head.form, language)
        named[head.form].update(
            {
                o.form
                for o in vocatives[
                    bisect.bisect_left(starts, head.end) : bisect.bisect_left(starts, end)
                ]
                if _given_only(c, o.form, usage)
                and _compatible(gender, language.first_names().get(o.form.core[0]))
            }
        )
    for addressee, counts in named.items():
        if (given := _most(counts)) is not None and _apart(scan, addressee, given):
            c.union(addressee, given)


NEAR_VOCATIVE = 5_000
"""Characters within which two names addressing someone count as one conversation's."""


def _join_family_name(
    c: _Clusters, scan: _Scan, usage: _Usage, vocatives: Sequence[_Occurrence]
) -> None:
    """A family name that no full name of the book takes (its one "Alphonse Frankenstein" is
    elsewhere) joins the first name without a surname that addresses someone in the same
    conversations as the family name does, at least twice and much more often than any
    other ("My dear Frankenstein" and "My dear Victor"), and never in one sentence with it."""
    family = {
        o.form
        for o in vocatives
        if o.form.core[0] in usage.surnames
        and not usage.first_name(o.form.core[0])
        and all(m.core == o.form.core for m in c.members[c.find(o.form)])
    }
    starts = [o.start for o in vocatives]
    for name in sorted(family):
        near: Counter[Form] = Counter()
        for o in vocatives:
            if o.form != name:
                continue
            lo = bisect.bisect_left(starts, o.start - NEAR_VOCATIVE)
            hi = bisect.bisect_right(starts, o.start + NEAR_VOCATIVE)
            near.update({p.form for p in vocatives[lo:hi] if _given_only(c, p.form, usage)})
        if (given := _most(near)) is not None and _apart(scan, name, given):
            c.union(name, given)


def _roots_with_word(c: _Clusters, forms: Iterable[Form], word: str) -> list[Form]:
    return sorted({c.find(f) for f in forms if word in (f.core[0], f.core[-1])})


def _salient(c: _Clusters, roots: list[Form], usage: _Usage) -> list[Form]:
    """The one group much more mentioned than the others, or all of them."""
    if len(roots) < 2:
        return roots
    counts = sorted(((usage.count(c.members[r]), r) for r in roots), reverse=True)
    return [counts[0][1]] if counts[0][0] >= SALIENT * counts[1][0] else roots


def _has_title(members: Iterable[Form], titled: Form) -> bool:
    """Whether a group has a full name with this title and word ("Sir William Lucas")."""
    word = titled.core[0]
    return any(
        m.title == titled.title and len(m.core) >= 2 and word in (m.core[0], m.core[-1])
        for m in members
    )


def _fits_title(c: _Clusters, root: Form, titled: Form, usage: _Usage, scan: _Scan) -> bool:
    """May "Mrs. Lynde" / "Sir Henry" join the group of full names at root?"""
    language = scan.language
    members = c.members[root]
    word, cls = titled.core[0], titled.title
    if not _compatible(_title_gender(titled, language), _gender(members, language)):
        return False
    firsts = {m.core[0] for m in members if len(m.core) >= 2 and m.core[-1] == word}
    if any(Form(cls, (first,)) in usage.starts for first in firsts):
        return False  # "Miss Jemima" is Jemima Pinkerton, so "Miss Pinkerton" is her sister
    if _has_title(members, titled):
        return True
    if any(len(m.core) >= 2 and m.core[0] == word for m in members):
        return cls in language.first_name_titles or (cls == "Mrs" and _woman(members, language))
    if cls == "Mr":
        # "Mr. Walton" is the one Walton of the book, unless the book's bare "Walton" is used
        # away from that full name (the one "Alphonse Frankenstein" is the father of the
        # "Frankenstein" and the "M. Frankenstein" of the book).
        bare = Form("", (word,))
        return bare not in usage.starts or usage.supports(bare, members)
    if cls in language.office_titles:
        return True  # "Captain Walton", "Father Flynn": the one of the book
    if cls == "Mrs":
        return _wife(scan, members, titled, usage)
    # An unmarried title fits a woman who is not "Mrs." or "Lady", unless "Mrs. X" is the
    # more usual form of the name (then "Miss X" is her daughter).
    married = Form("Mrs", titled.core)
    return (
        cls == "Miss"
        and not any(m.title in ("Mrs", "Lady") for m in members)
        and len(usage.starts.get(married, ())) < len(usage.starts[titled])
    )


def _wife(scan: _Scan, members: Sequence[Form], titled: Form, usage: _Usage) -> bool:
    """May "Mrs. Cavendish" join the woman "Mary Cavendish"? Only when a sentence naming her
    ("Mary Cavendish", "Mary") calls her a wife, none shows her as a daughter of the family
    ("Katharine Grove came in with her mother": Mrs. Grove is the mother), the family has no
    "Miss", and the book uses the two near each other, never in one sentence."""
    if not _woman(members, usage.language) or Form("Miss", titled.core) in usage.starts:
        return False
    if not usage.supports(titled, members):
        return False
    forms = set(members) | {Form("", m.core[:1]) for m in members}
    return _shown_married(scan, forms) and all(_apart(scan, titled, f) for f in forms)


def _shown_married(scan: _Scan, forms: Collection[Form]) -> bool:
    """Whether a sentence naming one of these forms speaks of a wife or a husband ("Mary and
    her husband"), and none shows the person a child of the family ("with her mother")."""
    language = scan.language
    ids = set().union(*(scan.sentences_of.get(f, ()) for f in forms)) - {-1}
    spans = [scan.sentences[i] for i in sorted(ids)]
    if any(language.child.search(scan.text, start, end) for start, end in spans):
        return False
    return any(language.spouse_noun.search(scan.text, start, end) for start, end in spans)


def _join_spouse_by_first_name(c: _Clusters, scan: _Scan, usage: _Usage, gender: str) -> None:
    """A first name without a surname, whom a sentence naming it shows married ('"Edna," said
    her husband'; '"I see Leonce is not coming," she said, looking where her husband had
    gone') and none a child of the family, joins the one "Mrs. X" (for `gender` female, of a
    family with no "Miss X") or "Mr. X" (male) known by no first name, of a family with both
    a "Mr. X" and a "Mrs. X", that the book uses near it, never in one sentence with it. The
    first name is one of that gender, or for a husband, one the gazetteer does not know when
    the wife already has hers ("Edna", "Mrs. Pontellier": "Leonce" is Mr. Pontellier)."""
    language = scan.language
    title, other = ("Mrs", "Mr") if gender == FEMALE else ("Mr", "Mrs")
    spouses = [
        r
        for r in c.roots()
        if all(m.core == r.core and m.title in (title, "") for m in c.members[r])
        and Form(title, r.core) in c.members[r]
        and Form(other, r.core) in usage.starts
        and (gender == MALE or Form("Miss", r.core) not in usage.starts)
    ]
    for root in c.roots():
        members = c.members.get(root, [])
        word = root.core[0]
        if not (
            root in usage.starts
            and word not in usage.surnames
            and all(m == Form("", (word,)) for m in members)
            and _shown_married(scan, members)
        ):
            continue
        fitting = [
            s
            for s in spouses
            if s in c.members
            and (
                language.first_names().get(word) == gender
                or (
                    gender == MALE
                    and word not in language.first_names()
                    and _has_first_name(c.members[c.find(Form(other, s.core))], s.core)
                )
            )
            and usage.supports(root, c.members[s])
            and all(_apart(scan, m, f) for m in members for f in c.members[s])
        ]
        _join_unique(c, root, fitting)


def _has_first_name(members: Iterable[Form], surname: tuple[str, ...]) -> bool:
    """Whether a family's group has an untitled word other than its surname: a first name
    ("Edna" beside "Mrs. Pontellier")."""
    return any(not m.title and len(m.core) == 1 and m.core != surname for m in members)


def _join_kin(c: _Clusters, form: Form, usage: _Usage) -> None:
    """ "Aunt Shaw", "Uncle Pumblechook": a kin title with a surname (a word the book never
    uses as a first name) is the family's married person of that gender ("Mrs. Shaw")."""
    language = usage.language
    word, gender = form.core[0], _title_gender(form, language)
    if gender is None or usage.first_name(word):
        return
    married = Form("Mrs" if gender == FEMALE else "Mr", (word,))
    if married in usage.starts:
        c.union(form, married)


def _join_unique(c: _Clusters, form: Form, roots: list[Form]) -> None:
    roots = [r for r in roots if r != c.find(form)]
    if len(roots) == 1:
        c.union(form, roots[0])


def _courtesy(m: Form, word: str, usage: _Usage) -> bool:
    """ "Lady Catherine": a first name under a title that is never dropped."""
    language = usage.language
    return m.title in language.courtesy_titles and m.core[0] == word and usage.first_name(word)


def _woman(members: Iterable[Form], language: Language) -> bool:
    return _gender(members, language) == FEMALE


def _maiden(members: Iterable[Form], language: Language) -> bool:
    """A group of a woman never called "Mrs.": a bare surname is not hers ("Miss Darcy")."""
    members = list(members)
    return _woman(members, language) and not any(m.title == "Mrs" for m in members)


def _join_bare(c: _Clusters, form: Form, usage: _Usage) -> None:
    """A lone word joins the one group that uses it as a first name or a surname."""
    language = usage.language
    word = form.core[0]
    own = c.find(form)
    groups = {r: c.members[r] for r in c.roots() if r != own}
    named = {
        r: ms
        for r, ms in groups.items()
        if any(word in (m.core[0], m.core[-1]) and not _courtesy(m, word, usage) for m in ms)
    }
    if not usage.first_name(word):
        # A surname alone is a man's when the family has one ("Darcy", not "Miss Darcy"),
        # else a married woman's ("Hill" the housekeeper, "Mrs. Hill").
        family_man = any(not _woman(ms, language) for ms in named.values())
        named = {
            r: ms
            for r, ms in named.items()
            if not (_maiden(ms, language) or (family_man and _woman(ms, language)))
        }
    holders = {r: ms for r, ms in named.items() if usage.supports(form, ms)}
    if len(holders) == 1:
        c.union(form, next(iter(holders)))
        return
    if usage.first_name(word):
        as_first = [
            r
            for r, ms in holders.items()
            if any(
                (len(m.core) >= 2 or m.title in language.first_name_titles) and m.core[0] == word
                for m in ms
            )
        ]
        _join_unique(c, form, _salient(c, as_first, usage))
        return
    men = [r for r, ms in holders.items() if _gender(ms, language) == MALE]
    _join_unique(c, form, _salient(c, men, usage))


def _join_nickname(
    c: _Clusters, form: Form, forms: list[Form], related: Related, usage: _Usage
) -> None:
    """A lone first name joins the one group whose first name it is a nickname of, or vice versa."""
    language = usage.language
    word = form.core[0]
    own = c.find(form)
    gender = _title_gender(form, language) or language.first_names().get(word)
    roots = sorted(
        {
            c.find(f)
            for f in forms
            if (len(f.core) >= 2 or usage.first_name(f.core[0]))
            and related(word, f.core[0])
            and _compatible(gender, _gender(c.members[c.find(f)], language))
        }
        - {own}
    )
    _join_unique(c, form, [r for r in roots if usage.supports(form, c.members[r])])


_DIALECT = re.compile(r"\w{2,}['\u2019]\w")
"""An elided word ("Mas'r"): no form of a canonical name ("O'Brien" is not elided)."""


def _canonical_order(form: Form, count: int) -> tuple[int, int, int, Form]:
    """Sort key: untitled full names first, then titled full names, titled words, bare words;
    dialect spellings last."""
    rank = (1 if form.title else 0) if len(form.core) >= 2 else (2 if form.title else 3)
    dialect = any(_DIALECT.search(w) for w in form.core)
    return (rank + 4 * dialect, -len(form.core), -count, form)


def _run_ons(forms: Iterable[Form], language: Language) -> set[Form]:
    """Two names run together, a surname and another person's first name ("Professor
    McGonagall Harry", from "told Professor McGonagall Harry had gone"): no name at all. Not
    after a title that takes a first name, when the book uses it so ("Sir Henry Curtis" is
    "Sir Henry")."""
    forms = list(forms)
    present = set(forms)
    ends = Counter(f.core[-1] for f in forms if len(f.core) >= 2 or f.title)
    named = {f.core[0] for f in forms if len(f.core) >= 2 or not f.title}
    return {
        f
        for f in forms
        if len(f.core) >= 2
        and ends[f.core[0]]
        and ends[f.core[-1]] == 1
        and f.core[-1] in named
        and not (f.title in language.first_name_titles and Form(f.title, f.core[:1]) in present)
    }


def _normal_case(name: str, language: Language) -> str:
    """ "FITZWILLIAM DARCY" -> "Fitzwilliam Darcy", "MR. O'HARA" -> "Mr. O'Hara"."""
    if not name.isupper():
        return name
    words = []
    for word in name.split():
        if word.lower() in language.particles:
            words.append(word.lower())
            continue
        word = "-".join(part.capitalize() for part in word.split("-"))
        if len(word) > 2 and word[1] in "'\u2019":
            word = word[:2] + word[2:].capitalize()
        words.append(word)
    return " ".join(words)


def _strip_plain_title(name: str, form: Form, language: Language) -> str:
    if form.title not in language.plain_titles or len(form.core) < 2:
        return name
    words = name.split()
    while len(words) > 2 and words[0].rstrip(".") in language.titles:
        words = words[1:]
    return " ".join(words)


def _characters(book: Book, scan: _Scan, groups: list[list[Form]]) -> list[Character]:
    """One record per group, most mentioned first; every surface form seen is an alias."""
    language = scan.language
    surfaces: defaultdict[Form, Counter[str]] = defaultdict(Counter)
    first_seen: dict[Form, int] = {}
    for o in scan.occurrences:
        surfaces[o.form][o.surface] += 1
        first_seen.setdefault(o.form, o.start)
    starts = [ch.start for ch in book.chapters]
    full = {f.core for group in groups for f in group if len(f.core) > 1}
    found: list[tuple[int, Character]] = []
    for group in groups:
        count = {f: sum(surfaces[f].values()) for f in group}
        best = min(group, key=lambda f: _canonical_order(f, count[f]))
        surface = min(surfaces[best], key=lambda s: (s.isupper(), -surfaces[best][s], s))
        name = _composed(group, full, language) or _strip_plain_title(
            _normal_case(surface, language), best, language
        )
        aliases = Counter[str]()
        for f in group:
            aliases.update(surfaces[f])
        del aliases[name]
        start = min(first_seen[f] for f in group)
        chapter = (
            book.chapters[max(0, bisect.bisect_right(starts, start) - 1)].number if starts else 1
        )
        character = Character(
            name=name,
            aliases=tuple(sorted(aliases, key=lambda s: (-aliases[s], s))),
            first_chapter=chapter,
            gender=_gender(group, language) or _name_gender(best, language),
            discovered=True,
        )
        found.append((-sum(count.values()), character))
    unique: dict[str, Character] = {}
    for _, character in sorted(found, key=lambda x: (x[0], x[1].name)):
        unique.setdefault(character.name, character)
    return list(unique.values())


def _composed(
    group: Sequence[Form], full: Collection[tuple[str, ...]], language: Language
) -> str | None:
    """A group without a full name but with one first name and one surname ("Victor" and
    "Frankenstein", "Margaret" and "Mrs. Saville") is named by both: "Victor Frankenstein",
    unless that is another group's name (`full`: the full names found)."""
    if any(len(f.core) > 1 for f in group):
        return None
    given = {f.core[0] for f in group if not f.title and f.core[0] in language.first_names()}
    family = {
        f.core[0]
        for f in group
        if f.title in language.surname_titles
        or not (f.title or f.core[0] in language.first_names())
    }
    if len(given) != 1 or len(family) != 1 or given == family:
        return None
    name = (given.pop(), family.pop())
    return None if name in full else " ".join(name)


def _name_gender(form: Form, language: Language) -> str | None:
    return None if form.title else language.first_names().get(form.core[0])


def _known_filter(
    known: Sequence[Character], nicknames: Mapping[str, Iterable[str]], language: Language
) -> Callable[[Form], bool]:
    """Whether a discovered name is a known character's: all its words are known name words
    (nicknames included), and a rank title goes with one of them in the list ("Sir William"
    is not a known "William Collins")."""
    words: set[str] = set()
    titled: set[tuple[str | None, str]] = set()
    for ch in known:
        for form in name_variants(ch, nicknames, language):
            words.update(form.replace(".", " ").split())
        for name in (ch.name, *ch.aliases):
            title, *rest = name.replace(".", " ").split() or [""]
            titled.update((language.titles.get(title), w) for w in rest)
    words -= set(language.titles)

    def is_known(form: Form) -> bool:
        if not set(form.core) <= words:
            return False
        return form.title not in language.rank_titles or any(
            (form.title, w) in titled for w in form.core
        )

    return is_known


def discover(
    book: Book,
    *,
    model: str | None = None,
    known: Sequence[Character] = (),
    ner: bool = True,
    nicknames: Mapping[str, Iterable[str]] | None = None,
    language: Language = ENGLISH,
) -> list[Character]:
    """Find the people a book names and cluster their names into characters (discovered=True).

    With `known`, people whose names are all made of known characters' name words (and
    nicknames, and a rank title only with its own name: "Sir William") are left out.
    `ner=False` skips the statistical model (rules and gazetteer only). `nicknames`: name ->
    nicknames, whose forms join one character (default: kg's table). `language`: the words
    names are found and told apart with.
    """
    chapters = book.chapters
    scan = (
        _scan(book.text, language, chapters[0].start, chapters[-1].end)
        if chapters
        else _scan(book.text, language)
    )
    people = _people(scan, entity_labeller(model) if ner else None)
    table = read_nicknames() if nicknames is None else nicknames
    is_known = _known_filter(known, table, language)
    run_ons = _run_ons(people, language)
    people = {f: v for f, v in people.items() if not is_known(f) and f not in run_ons}
    related = nickname_relation(table)
    breaks = [ch.start for ch in chapters[1:]]
    return _characters(book, scan, _cluster(scan, people, related, breaks))
