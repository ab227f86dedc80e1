"""spaCy, and only here: pipelines by model name, a SpanRuler of name phrases, statistical NER.

spaCy is imported inside the functions so that `kg --help` and the pure modules stay fast.
"""

from collections.abc import Callable, Iterable, Iterator
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
SPANS_KEY = "kg"
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

    A SpanRuler over spaCy's rule-based English tokenizer: no statistical model is needed.
    Offsets are into the text given; tokens are counted from the text's first token.
    """
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10**8
    patterns = [{"label": p.label, "pattern": p.text, "id": p.id} for p in phrases]
    if patterns:
        ruler: Any = nlp.add_pipe(
            "span_ruler",
            config={
                "spans_key": SPANS_KEY,
                "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
                "overwrite": True,
            },
        )
        ruler.add_patterns(patterns)
    for doc in nlp.pipe(texts, batch_size=PIPE_BATCH):
        hits = []
        size = len(doc)
        for span in doc.spans.get(SPANS_KEY, ()):
            first, end = span.start, span.end
            # token by token: slicing the Doc makes a Span each time (slow on a whole book)
            near = map(doc.__getitem__, range(first - 1, max(0, first - _BEFORE) - 1, -1))
            before = tuple((t.text, t.idx) for t in near)
            after = tuple(doc[i].text for i in range(end, min(size, end + _AFTER)))
            hits.append(
                Hit(span.label_, span.id_, span.start_char, span.end_char, first, before, after)
            )
        yield hits, size


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
