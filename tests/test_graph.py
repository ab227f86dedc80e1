"""kg.Graph over an extract output folder written by hand in the contract's format."""

from pathlib import Path

import neo4j
import networkx as nx
import pandas as pd
import pytest

import kg
from kg.errors import InputError
from kg.graph import Graph

ROOT = Path(__file__).resolve().parent.parent
MENTIONS = """chapter,start,end,text,character
1,0,3,Ann,Ann
1,10,13,Bob,Bob
1,20,23,Cat,Cat
2,40,43,Ann,Ann
2,50,53,Bob,Bob
3,60,63,Dan,Dan
3,70,73,Eve,Eve
3,80,83,Dan,Dan
"""
BY_CHAPTER = """chapter,source,target,weight
1,Ann,Bob,2
1,Ann,Cat,1
1,Bob,Cat,1
2,Ann,Bob,3
3,Dan,Eve,2
"""
CHARACTERS = """name,mentions,pagerank,community,first_chapter,aliases,discovered
Ann,2,0.3,0,1,Annie,false
Bob,2,0.3,0,1,,false
Cat,1,0.2,0,1,,false
Dan,2,0.1,1,3,,false
Eve,1,0.1,1,3,,false
"""


@pytest.fixture
def outdir(tmp_path: Path) -> Path:
    (tmp_path / "mentions.csv").write_text(MENTIONS)
    (tmp_path / "interactions_by_chapter.csv").write_text(BY_CHAPTER)
    (tmp_path / "characters.csv").write_text(CHARACTERS)
    return tmp_path


def test_edges_sum_chapters(outdir: Path) -> None:
    edges = Graph.from_dir(outdir).edges
    assert edges.to_dict(orient="records")[0] == {
        "source": "Ann",
        "target": "Bob",
        "weight": 5,
        "first_chapter": 1,
    }
    assert edges["weight"].sum() == 9


def test_networkx_graph_has_facts_and_weights(outdir: Path) -> None:
    graph = Graph.from_dir(outdir).to_networkx()
    assert sorted(graph.nodes) == ["Ann", "Bob", "Cat", "Dan", "Eve"]
    assert graph["Ann"]["Bob"]["weight"] == 5
    assert graph.nodes["Ann"]["aliases"] == "Annie"


def test_pagerank_and_communities(outdir: Path) -> None:
    graph = Graph.from_dir(outdir)
    ranks = graph.pagerank()
    assert list(ranks.index[:2]) == ["Ann", "Bob"]
    assert ranks.sum() == pytest.approx(1.0)
    communities = graph.communities()
    assert communities["members"].tolist() == [["Ann", "Bob", "Cat"], ["Dan", "Eve"]]
    assert communities["top"].tolist()[0] in {"Ann", "Bob"}


def test_ego_network(outdir: Path) -> None:
    graph = Graph.from_dir(outdir)
    assert sorted(graph.ego("Dan").nodes) == ["Dan", "Eve"]
    assert nx.is_isomorphic(graph.ego("Cat"), nx.complete_graph(3))
    with pytest.raises(InputError, match="Zed"):
        graph.ego("Zed")


def test_ego_finds_a_character_by_alias_in_any_case(outdir: Path) -> None:
    graph = Graph.from_dir(outdir)
    assert (
        sorted(graph.ego(" ANNIE").nodes) == sorted(graph.ego("ann").nodes) == ["Ann", "Bob", "Cat"]
    )
    with pytest.raises(InputError) as error:
        graph.ego("Anni")
    assert str(error.value) == "no character is called 'Anni' (did you mean 'Ann'?)"


def test_a_graph_from_an_extraction_in_memory_is_the_graph_of_its_saved_folder(
    tmp_path: Path,
) -> None:
    sample = ROOT / "data" / "sample"
    extraction = kg.extract(
        kg.read_book(sample / "book.txt"), kg.read_characters(sample / "characters.jsonl")
    )
    extraction.save(tmp_path / "out")
    saved, in_memory = Graph.from_dir(tmp_path / "out"), Graph.from_extraction(extraction)
    for frame in ("characters", "appearances", "interactions"):
        pd.testing.assert_frame_equal(getattr(in_memory, frame), getattr(saved, frame))
    assert len(in_memory.characters) > 10 and len(in_memory.interactions) > 10


def test_as_of_leaves_later_chapters_out(outdir: Path) -> None:
    early = Graph.from_dir(outdir).as_of(1)
    assert sorted(early.characters["name"]) == ["Ann", "Bob", "Cat"]
    assert early.edges["weight"].tolist() == [2, 1, 1]
    assert early.characters.set_index("name").loc["Ann", "mentions"] == 1
    assert early.characters.set_index("name").loc["Ann", "aliases"] == "Annie"


def test_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="kg extract output folder"):
        Graph.from_dir(tmp_path)
    with pytest.raises(InputError, match="nowhere: no such folder"):
        Graph.from_dir(tmp_path / "nowhere")


@pytest.mark.neo4j
def test_from_neo4j_reads_what_was_loaded(tmp_path: Path, neo4j_driver: neo4j.Driver) -> None:
    import kg

    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    result = kg.extract(
        kg.read_book(sample / "book.txt"), kg.read_characters(sample / "characters.jsonl")
    )
    result.save(tmp_path / "out")
    kg.load(tmp_path / "out", neo4j_driver, book_title="Ferry")
    kg.analyze(neo4j_driver, book="Ferry")
    local = Graph.from_dir(tmp_path / "out")
    stored = Graph.from_neo4j(neo4j_driver, book="Ferry")

    assert stored.edges.equals(local.edges)
    assert stored.appearances.equals(local.appearances)
    by_name = ["name", "mentions", "community"]
    assert (
        stored.characters[by_name].sort_values("name").reset_index(drop=True)
        .equals(local.characters[by_name].sort_values("name").reset_index(drop=True))
    )  # fmt: skip
    aliases = [
        set(g.characters.set_index("name").loc["Tobias Thornley", "aliases"].split(";"))
        for g in (stored, local)
    ]
    assert aliases[0] == aliases[1] and "Toby" in aliases[0]
    with pytest.raises(InputError, match="no book titled 'Nope'"):
        Graph.from_neo4j(neo4j_driver, book="Nope")
    assert Graph.from_neo4j(neo4j_driver).edges.equals(stored.edges)  # the only series
    kg.load(tmp_path / "out", neo4j_driver, book_title="Ferry again")  # a series of its own
    assert Graph.from_neo4j(neo4j_driver, book="Ferry").edges.equals(local.edges)
    with pytest.raises(InputError, match="holds 2 series, whose characters are apart"):
        Graph.from_neo4j(neo4j_driver)
