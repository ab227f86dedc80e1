"""The network on its own: co-occurrence counting, PageRank and communities (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.network import communities, cooccurrences, interaction_graph, numbered, pagerank
from kg.records import Interaction, Mention


def _m(chapter: int, token: int, character: str) -> Mention:
    return Mention(chapter, token * 10, token * 10 + 3, "abc", character, token)


def test_cooccurrence_definition() -> None:
    mentions = [
        _m(1, 0, "A"),
        _m(1, 5, "A"),  # merges with the one before
        _m(1, 19, "B"),  # 14 tokens after the run's last mention: counts
        _m(1, 34, "C"),  # 15 after B: too far
        _m(1, 40, "B"),
        _m(2, 1, "C"),  # a new chapter: nothing spans the boundary
        _m(2, 2, "A"),
    ]
    result = cooccurrences(mentions, window=14)
    assert [(i.source, i.target, i.weight, i.chapters) for i in result] == [
        ("A", "B", 1, ((1, 1),)),
        ("A", "C", 1, ((2, 1),)),
        ("B", "C", 1, ((1, 1),)),
    ]
    assert sum(i.weight for i in cooccurrences(mentions, window=15)) == 4


_mention_lists = st.lists(
    st.tuples(st.integers(1, 3), st.integers(0, 60), st.sampled_from("ABCDE")),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
).map(lambda rows: [_m(c, t, name) for c, t, name in rows])


@given(_mention_lists, st.integers(1, 20), st.randoms())
def test_cooccurrence_invariants(mentions: list[Mention], window: int, rnd: object) -> None:
    result = cooccurrences(mentions, window)
    shuffled = list(mentions)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert cooccurrences(shuffled, window) == result
    for i in result:
        assert i.source < i.target
        assert i.weight == sum(count for _, count in i.chapters) > 0
        assert [c for c, _ in i.chapters] == sorted({c for c, _ in i.chapters})
    assert [(-i.weight, i.source, i.target) for i in result] == sorted(
        (-i.weight, i.source, i.target) for i in result
    )
    # symmetric: renaming the characters in reverse order gives the same pairs and counts
    rename = dict(zip("ABCDE", "EDCBA", strict=True))
    renamed = cooccurrences(
        [
            Mention(m.chapter, m.start, m.end, m.text, rename[m.character], m.token)
            for m in mentions
        ],
        window,
    )
    expected = {(frozenset((rename[i.source], rename[i.target])), i.chapters) for i in result}
    assert {(frozenset((i.source, i.target)), i.chapters) for i in renamed} == expected
    # a chapter's pairs depend on that chapter's mentions only
    for chapter in {m.chapter for m in mentions}:
        alone = cooccurrences([m for m in mentions if m.chapter == chapter], window)
        assert {(i.source, i.target): i.weight for i in alone} == {
            (i.source, i.target): dict(i.chapters)[chapter]
            for i in result
            if chapter in dict(i.chapters)
        }


def test_merged_runs_count_once_per_adjacent_pair() -> None:
    mentions = [_m(1, t, c) for t, c in enumerate("AABBBAC")]
    result = {(i.source, i.target): i.weight for i in cooccurrences(mentions, 14)}
    assert result == {("A", "B"): 2, ("A", "C"): 1}


def test_groups_are_numbered_by_size_then_first_name() -> None:
    assert numbered([{"d"}, {"c", "b"}, {"a"}]) == {"b": 0, "c": 0, "a": 1, "d": 2}


def test_two_triangles_split_into_two_communities() -> None:
    ties = [
        ("a", "b", 5),
        ("b", "c", 5),
        ("a", "c", 5),
        ("d", "e", 5),
        ("e", "f", 5),
        ("d", "f", 5),
        ("c", "d", 1),
    ]
    graph = interaction_graph(Interaction(s, t, w) for s, t, w in ties)
    assert communities(graph) == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1}
    ranks = pagerank(graph)
    assert ranks["c"] == pytest.approx(ranks["d"]) and ranks["c"] > ranks["a"]
    assert sum(ranks.values()) == pytest.approx(1.0)
