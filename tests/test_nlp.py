"""find_phrases keeps exactly the phrases a spaCy SpanRuler with the first-longest filter keeps."""

from typing import Any

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.nlp import Phrase, find_phrases


def span_ruler(texts: list[str], phrases: list[Phrase]) -> list[list[tuple[Any, ...]]]:
    """What spaCy's own SpanRuler finds: label, id, character and token offsets per span."""
    nlp = spacy.blank("en")
    ruler: Any = nlp.add_pipe(
        "span_ruler",
        config={"spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}},
    )
    ruler.add_patterns([{"label": p.label, "pattern": p.text, "id": p.id} for p in phrases])
    return [
        [(s.label_, s.id_, s.start_char, s.end_char, s.start) for s in doc.spans["ruler"]]
        for doc in nlp.pipe(texts)
    ]


def found(texts: list[str], phrases: list[Phrase]) -> list[list[tuple[Any, ...]]]:
    return [
        [(h.label, h.id, h.start, h.end, h.token) for h in hits]
        for hits, _ in find_phrases(texts, phrases)
    ]


def test_the_longest_phrase_wins_over_the_first() -> None:
    # "Bell Cole Dean" (3 tokens) beats "Anne Bell" (2), which starts earlier
    phrases = [Phrase("NAME", t, t) for t in ("Anne Bell", "Bell Cole Dean", "Anne", "Dean")]
    texts = ["Anne Bell Cole Dean came.", "Anne Bell came; Dean did not."]
    assert found(texts, phrases) == span_ruler(texts, phrases)
    assert found(texts, phrases)[0] == [
        ("NAME", "Anne", 0, 4, 0),
        ("NAME", "Bell Cole Dean", 5, 19, 1),
    ]


def test_one_span_of_two_phrases_goes_to_the_one_a_span_ruler_keeps() -> None:
    # "Bell," and "Bell ," are the same tokens; so is one text under two labels
    for phrases in (
        [Phrase("NAME", "Bell,", "a"), Phrase("WORD", "Bell ,", "b")],
        [Phrase("WORD", "Bell ,", "b"), Phrase("NAME", "Bell,", "a")],
        [Phrase("NAME", "Anne Bell", "Anne Bell"), Phrase("LOWER", "Anne Bell", "Anne Bell")],
        [Phrase("LOWER", "Anne Bell", "Anne Bell"), Phrase("NAME", "Anne Bell", "Anne Bell")],
    ):
        texts = ["Then Anne Bell, who came."]
        assert found(texts, phrases) == span_ruler(texts, phrases)
        assert len(found(texts, phrases)[0]) == 1


def test_hits_carry_the_tokens_around_them_and_texts_their_length() -> None:
    (hits, size), (none, empty) = find_phrases(
        ["Then, said Mr. Bell Cole to her.", ""], [Phrase("NAME", "Bell Cole", "Bell Cole")]
    )
    assert size == 9 and (none, empty) == ([], 0)
    assert hits[0].before == (("Mr.", 11), ("said", 6), (",", 4))
    assert hits[0].after == ("to", "her")


WORDS = ("Anne", "Bell", "Cole", "anne", "-", ".", "Mr.", "and")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=4),
    st.lists(
        st.tuples(
            st.sampled_from(("NAME", "LOWER")),
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_same_spans_as_a_span_ruler(
    texts: list[list[str]], patterns: list[tuple[str, list[str]]]
) -> None:
    phrases = [Phrase(label, " ".join(words), " ".join(words)) for label, words in patterns]
    joined = [" ".join(words) for words in texts]
    assert found(joined, phrases) == span_ruler(joined, phrases)
