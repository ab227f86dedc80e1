"""The co-occurrence network, in pure Python and networkx: counting, PageRank, communities.

No database here: extract builds characters.csv with these, and networkx is the reference
that `kg analyze` falls back to when Neo4j has no GDS.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise

import networkx as nx

from kg.records import CharacterStats, Interaction, Mention
from kg.settings import PAGERANK_ALPHA, SEED, WINDOW


def cooccurrences(mentions: Iterable[Mention], window: int = WINDOW) -> list[Interaction]:
    """Co-occurrence counts of the characters, per pair and per chapter.

    In each chapter, mentions in token order; consecutive mentions of one character merge
    into a run; two adjacent runs of different characters count once for their pair when
    the next run's first token is at most `window` tokens after the previous run's last.
    Pairs never span chapters. Sorted by weight (highest first), then names.
    """
    chapters: defaultdict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        chapters[m.chapter].append(m)
    counts: defaultdict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for chapter, found in chapters.items():
        found.sort(key=lambda m: (m.token, m.start, m.end, m.character))
        runs: list[tuple[str, int, int]] = []
        for m in found:
            if runs and runs[-1][0] == m.character:
                runs[-1] = (m.character, runs[-1][1], m.token)
            else:
                runs.append((m.character, m.token, m.token))
        for (a, _, a_last), (b, b_first, _) in pairwise(runs):
            if b_first - a_last <= window:
                counts[min(a, b), max(a, b)][chapter] += 1
    interactions = [
        Interaction(source, target, sum(c.values()), tuple(sorted(c.items())))
        for (source, target), c in counts.items()
    ]
    return sorted(interactions, key=lambda i: (-i.weight, i.source, i.target))


def interaction_graph(interactions: Iterable[Interaction], nodes: Iterable[str] = ()) -> nx.Graph:
    """An undirected weighted graph, one edge per interaction, nodes added in sorted order."""
    interactions = list(interactions)
    names = set(nodes)
    for i in interactions:
        names.update((i.source, i.target))
    graph = nx.Graph()
    graph.add_nodes_from(sorted(names))
    graph.add_weighted_edges_from((i.source, i.target, i.weight) for i in interactions)
    return graph


def pagerank(graph: nx.Graph, alpha: float = PAGERANK_ALPHA) -> dict[str, float]:
    """Weighted PageRank of every node (isolated nodes get the teleport share)."""
    if graph.number_of_nodes() == 0:
        return {}
    return dict(nx.pagerank(graph, alpha=alpha, weight="weight"))


def communities(graph: nx.Graph, seed: int = SEED) -> dict[str, int]:
    """Louvain communities, numbered 0.. by decreasing size then by first member's name."""
    if graph.number_of_nodes() == 0:
        return {}
    return numbered(nx.community.louvain_communities(graph, weight="weight", seed=seed))


def numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Each member's group number, groups numbered 0.. by decreasing size then first name."""
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return {name: number for number, group in enumerate(ordered) for name in group}


def character_stats(
    interactions: Iterable[Interaction], mentions: Mapping[str, int], seed: int = SEED
) -> list[CharacterStats]:
    """Stats for every mentioned character, sorted by PageRank (highest first), then name."""
    graph = interaction_graph(interactions, (name for name, n in mentions.items() if n > 0))
    ranks = pagerank(graph)
    groups = communities(graph, seed=seed)
    stats = [
        CharacterStats(name, mentions.get(name, 0), ranks[name], groups[name])
        for name in graph.nodes
    ]
    return sorted(stats, key=lambda s: (-s.pagerank, s.name))
