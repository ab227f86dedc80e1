"""PageRank and Louvain communities of the interaction network (networkx, seeded, reproducible)."""

from collections.abc import Iterable, Mapping

import networkx as nx

from kg.records import CharacterStats, Interaction
from kg.settings import PAGERANK_ALPHA, SEED


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
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed)
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
