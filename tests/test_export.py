"""graph.graphml and graph.gexf: the facts and per-chapter weights other tools need."""

import io
from pathlib import Path

import networkx as nx
import pytest

from kg.export import gexf_text, graphml_text
from kg.graph import Graph

OUTDIR = Path(__file__).parent / "fixtures" / "report_outdir"


@pytest.fixture
def graph() -> Graph:
    return Graph.from_dir(OUTDIR)


def test_graphml_carries_facts_and_per_chapter_weights(graph: Graph) -> None:
    read = nx.read_graphml(io.BytesIO(graphml_text(graph).encode()))
    ada = read.nodes["Ada Marsh"]
    assert (ada["aliases"], ada["first_chapter"], ada["mentions"]) == ("Ada;Mrs. Marsh", 1, 10)
    assert "aliases" not in read.nodes["Cora Marsh"]  # no empty values
    per_chapter = graph.interactions.groupby(["source", "target"])
    for (source, target), rows in per_chapter:
        tie = read.edges[source, target]
        assert tie["chapters"] == ";".join(map(str, rows["chapter"]))
        assert tie["chapter_weights"] == ";".join(map(str, rows["weight"]))
        assert tie["weight"] == rows["weight"].sum()
        assert tie["first_chapter"] == rows["chapter"].min()
    assert read.edges["Ada Marsh", "Ben Marsh"]["chapter_weights"] == "3;1"


def test_gexf_plays_chapter_by_chapter(graph: Graph) -> None:
    text = gexf_text(graph)
    assert text == gexf_text(graph) and "lastmodifieddate" not in text  # no date: same bytes
    read = nx.read_gexf(io.BytesIO(text.encode()))
    assert read.graph["mode"] == "dynamic" and 'timeformat="long"' in text
    first = dict(zip(graph.characters["name"], graph.characters["first_chapter"], strict=True))
    assert {n: d["start"] for n, d in read.nodes(data=True)} == first
    assert read.nodes["Ada Marsh"]["mentions"] == [(5, 1, 2), (7, 2, 3), (10, 3, 3)]
    assert read.nodes["Ada Marsh"]["aliases"] == "Ada;Mrs. Marsh"
    for source, target, data in read.edges(data=True):
        rows = graph.interactions[
            (graph.interactions["source"] == min(source, target))
            & (graph.interactions["target"] == max(source, target))
        ]
        assert data["start"] == rows["chapter"].min()
        assert data["weight_so_far"][-1][0] == data["weight"] == rows["weight"].sum()
    assert read.edges["Ada Marsh", "Ben Marsh"]["weight_so_far"] == [(3, 1, 2), (4, 2, 3)]
