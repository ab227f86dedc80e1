"""benchmarks/wrap_litbank.py: a LitBank-style excerpt (written for this test) rewritten as a
hard-wrapped book, every gold span where it was."""

import pytest
from conftest import ROOT, load_script

from kg.coref import hard_wrapped

wrap_litbank = load_script(ROOT / "benchmarks" / "wrap_litbank.py")

EXCERPT = (
    "CHAPTER I The Mill .\n"
    "Clara Venn walked down to the mill by the river on a grey morning in November , "
    "with a basket on her arm and two letters for the carrier .\n"
    "The water ran high and brown after a week of rain .\n"
    '" Is Arthur there ? "\n'
    "she asked the miller 's boy at the gate .\n"
    '" He went to the town , " said the boy .\n'
    "She thanked him .\n"
)


def _spans(text: str, *surfaces: str) -> list[tuple[int, int, str]]:
    spans = []
    for surface in surfaces:
        start = text.index(surface)
        spans.append((start, start + len(surface), surface))
    return spans


def test_wrapped_excerpt_keeps_every_gold_span_and_reads_as_a_book() -> None:
    spans = _spans(EXCERPT, "Clara Venn", "a grey morning in November", "her", "Arthur", "He")
    wrapped = wrap_litbank.wrap(EXCERPT, spans, 40)
    wrap_litbank.check(EXCERPT, wrapped, spans)
    assert "".join(wrapped.split()) == "".join(EXCERPT.split())
    paragraphs = wrapped.split("\n\n")
    # a quotation after narration starts a paragraph; its attribution stays with it
    assert [p[:10] for p in paragraphs] == ["CHAPTER I ", '" Is Arthu', '" He went ']
    assert "a grey morning in November" in wrapped
    assert all(len(line) <= 40 for line in wrapped.splitlines())
    assert hard_wrapped(wrapped) and not hard_wrapped(EXCERPT)


def test_a_changed_gold_span_is_an_error() -> None:
    spans = _spans(EXCERPT, "Clara Venn")
    with pytest.raises(ValueError, match="Clara Venn"):
        wrap_litbank.check(EXCERPT, EXCERPT.replace("Clara Venn", "Clara\nVenn"), spans)
