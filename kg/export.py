"""The network as files for other tools: GraphML (Gephi, Cytoscape, networkx) and GEXF with
chapters as time, so Gephi's timeline plays the story chapter by chapter."""

import re
from collections.abc import Iterable

import networkx as nx

from kg.graph import Graph

GRAPHML_FILE = "graph.graphml"
GEXF_FILE = "graph.gexf"
_UNDATED = re.compile(r'<meta lastmodifieddate="[^"]*">')

Spell = tuple[int, int, int]
"""A value from a chapter on, until the chapter where it changes (or the last chapter)."""


def graphml_text(graph: Graph) -> str:
    """GraphML: characters with their facts (aliases ";"-joined, gender, first_chapter,
    mentions, pagerank, community) and ties with weight, first_chapter and the per-chapter
    breakdown as ";"-joined `chapters` and `chapter_weights` (as in Neo4j)."""
    network = _static(graph)
    for source, target, weights in _by_pair(graph):
        network.edges[source, target].update(
            chapters=";".join(str(c) for c, _ in weights),
            chapter_weights=";".join(str(w) for _, w in weights),
        )
    return "\n".join(nx.generate_graphml(network)) + "\n"


def gexf_text(graph: Graph) -> str:
    """GEXF 1.2 with chapters as time: a character appears at its first chapter, a tie at the
    chapter the pair first co-occurs; `mentions` and `weight_so_far` grow chapter by chapter
    (`weight` is the whole book's)."""
    network = _static(graph)
    network.graph["mode"] = "dynamic"
    last = int(graph.appearances["chapter"].max())
    mentions = graph.appearances.sort_values(["name", "chapter"])
    for name, rows in mentions.groupby("name", sort=True):
        node = network.nodes[name]
        counts = list(zip(rows["chapter"], rows["mentions"], strict=True))
        node["start"] = int(counts[0][0])
        node["mentions"] = _spells(counts, last)
    for source, target, weights in _by_pair(graph):
        edge = network.edges[source, target]
        edge["start"] = weights[0][0]
        edge["weight_so_far"] = _spells(weights, last)
    text = "\n".join(nx.generate_gexf(network, version="1.2draft")) + "\n"
    return _UNDATED.sub("<meta>", text, count=1)  # the same network gives the same bytes


def _static(graph: Graph) -> nx.Graph:
    """The network with the facts GraphML and GEXF can hold: no empty values, no lists."""
    network = graph.to_networkx()
    for _, facts in network.nodes(data=True):
        for key in [k for k, v in facts.items() if v is None or v == ""]:
            del facts[key]
    first = {
        (s, t): int(f) for s, t, f in graph.edges[["source", "target", "first_chapter"]].values
    }
    for source, target, data in network.edges(data=True):
        data["first_chapter"] = first[min(source, target), max(source, target)]
    return network


def _by_pair(graph: Graph) -> Iterable[tuple[str, str, list[tuple[int, int]]]]:
    """Each pair's (chapter, weight) rows in chapter order."""
    ordered = graph.interactions.sort_values(["source", "target", "chapter"])
    for (source, target), rows in ordered.groupby(["source", "target"], sort=True):
        pairs = zip(rows["chapter"], rows["weight"], strict=True)
        yield str(source), str(target), [(int(c), int(w)) for c, w in pairs]


def _spells(counts: list[tuple[int, int]], last: int) -> list[Spell]:
    """Running totals of per-chapter counts, each valid until the next change."""
    total = 0
    spells: list[Spell] = []
    for index, (chapter, count) in enumerate(counts):
        total += int(count)
        end = int(counts[index + 1][0]) if index + 1 < len(counts) else last
        spells.append((total, int(chapter), end))
    return spells
