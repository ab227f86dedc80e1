"""spaCy, and only here: pipelines by model name, a PhraseMatcher of name phrases, statistical NER.

spaCy is imported inside the functions so that `kg --help` and the pure modules stay fast.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from kg.errors import ModelMissing
from kg.settings import SPACY_MODELS

if TYPE_CHECKING:
    from spacy.language import Language

TOKENIZER = "blank:en"
"""The pipeline recorded when only spaCy's rule-based English tokenizer is used."""
PIPE_BATCH = 64
_BEFORE, _AFTER = 3, 2
_NER_ONLY = ("parser", "tagger", "lemmatizer", "attribute_ruler", "morphologizer", "senter")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A ruler pattern: `text` matched token by token (case-sensitive), reported as `id`."""

    label: str
    text: str
    id: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase found in a text, with the tokens around it (texts and start offsets)."""

    label: str
    id: str
    start: int
    end: int
    token: int
    before: tuple[tuple[str, int], ...]
    """Up to three previous tokens, nearest first: (text, start offset)."""
    after: tuple[str, ...]
    """Up to two next tokens, nearest first."""


def model_name(name: str | None = None) -> str:
    """The model package to use: `name`, else the first of SPACY_MODELS installed."""
    if name:
        return name
    return next((m for m in SPACY_MODELS if find_spec(m) is not None), SPACY_MODELS[0])


def load_model(name: str | None = None, *, exclude: Iterable[str] = ()) -> "Language":
    """A statistical spaCy model by package name, or the first of SPACY_MODELS installed.

    Loaded once per process (a batch's worker reuses it for every book): callers must not
    change its pipeline. Never downloads: a missing model raises ModelMissing with the
    command that installs it.
    """
    try:
        return _load(model_name(name), tuple(sorted(exclude)))
    except OSError:
        pass
    if name:
        raise ModelMissing(
            f"spaCy model {name!r} is not installed: pip install {name.replace('_', '-')}"
            " (or pip install 'kg[model]' for the small English model)"
        )
    raise ModelMissing(
        f"no spaCy English model installed (tried {', '.join(SPACY_MODELS)}):"
        " pip install 'kg[model]'"
    )


@cache
def _load(name: str, exclude: tuple[str, ...]) -> "Language":
    import spacy

    return spacy.load(name, exclude=list(exclude))


def find_phrases(
    texts: Iterable[str], phrases: Iterable[Phrase]
) -> Iterator[tuple[list[Hit], int]]:
    """For each text, the longest non-overlapping phrases found in it (in text order) and its
    number of tokens.

    spaCy's PhraseMatcher over its rule-based English tokenizer: no statistical model is
    needed. Overlaps are settled as a SpanRuler with `first_longest_spans_filter` does,
    without its Span and SpanGroup objects per text (they cost more than the tokenizer).
    Offsets are into the text given; tokens are counted from the text's first token.
    """
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab)
    strings = nlp.vocab.strings
    tokenizer: Any = nlp.tokenizer
    keys: dict[int, tuple[int, int, Phrase]] = {}
    phrases = list(phrases)
    for phrase, pattern in zip(phrases, tokenizer.pipe(p.text for p in phrases), strict=True):
        name = repr((phrase.label, phrase.id))
        keys[strings.add(name)] = (strings.add(phrase.label), strings.add(phrase.id), phrase)
        matcher.add(name, [pattern])
    for doc in tokenizer.pipe(texts, batch_size=PIPE_BATCH):
        size = len(doc)
        hits = []
        for key, first, end in _first_longest(matcher(doc), keys) if keys else ():
            phrase = keys[key][2]
            near = [doc[i] for i in range(first - 1, max(0, first - _BEFORE) - 1, -1)]
            last = doc[end - 1]
            hits.append(
                Hit(
                    phrase.label,
                    phrase.id,
                    doc[first].idx,
                    last.idx + len(last.text),
                    first,
                    tuple([(t.text, t.idx) for t in near]),
                    tuple([doc[i].text for i in range(end, min(size, end + _AFTER))]),
                )
            )
        yield hits, size


def _first_longest(
    matches: list[tuple[int, int, int]], keys: Mapping[int, tuple[int, int, Phrase]]
) -> list[tuple[int, int, int]]:
    """The matches (key, start, end) a SpanRuler keeps: longest first, then first in the text,
    then (for one span matched by several phrases) the least (label, id) hash; in text order."""
    if len(matches) < 2:
        return [m for m in matches if m[1] != m[2]]
    ordered = sorted(
        {(key, start, end) for key, start, end in matches if start != end},
        key=lambda m: (m[1] - m[2], m[1], keys[m[0]][:2]),
    )
    kept = []
    taken: set[int] = set()
    for key, start, end in ordered:
        if start not in taken and end - 1 not in taken:
            kept.append((key, start, end))
            taken.update(range(start, end))
    return sorted(kept, key=lambda m: m[1])


Labeller = Callable[[list[str]], list[list[tuple[int, int, str]]]]
"""Texts -> per text, (start, end, label) of each named entity."""


def entity_labeller(model: str | None = None) -> Labeller:
    """A function giving, for each text, the (start, end, label) of the model's named entities."""
    nlp = load_model(model, exclude=_NER_ONLY)
    if "ner" not in nlp.pipe_names:
        raise ModelMissing(f"spaCy model {nlp.meta.get('name', model)!r} has no NER component")
    nlp.max_length = 10**8

    def label(texts: list[str]) -> list[list[tuple[int, int, str]]]:
        return [
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            for doc in nlp.pipe(texts, batch_size=PIPE_BATCH)
        ]

    return label
