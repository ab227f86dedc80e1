"""The curated queries in queries/: headers (layer 1), and every file run against the loaded
sample graph with its rows checked against the extraction computed in Python (layer 3)."""

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from typer.testing import CliRunner

import kg
from kg.analyze import analyze_in_neo4j, gds_version
from kg.cli import app
from kg.cypher import QUERIES_DIR, read_query
from kg.db import run_query
from kg.errors import InputError
from kg.extract import Extraction
from kg.load import load

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
FIXTURES = Path(__file__).parent / "fixtures" / "load"
NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.cypher"))


def test_the_issue_s_queries_are_all_there() -> None:
    assert (
        sorted(
            [
                "top_characters",
                "communities",
                "strongest_ties",
                "ego_network",
                "group_interactions",
                "family_tree",
                "first_meetings",
                "network_as_of_chapter",
                "bridges",
            ]
        )
        == NAMES
    )


@pytest.mark.parametrize("name", NAMES)
def test_each_query_has_a_header_naming_what_it_answers_and_its_parameters(name: str) -> None:
    query = read_query(name)
    assert query.summary.endswith((".", "?")) and len(query.summary) > 30
    assert query.parameters, "every curated query takes parameters"
    header = query.text.split("\nMATCH", 1)[0]
    for parameter in query.parameters:
        assert f"// ${parameter} " in header, f"{name}: ${parameter} is not documented"
    assert set(query.defaults) <= set(query.parameters)


def test_read_query_takes_a_path_and_names_the_known_queries(tmp_path: Path) -> None:
    path = tmp_path / "mine.cypher"
    path.write_text("// Mine: who is there?\n// $n = 2  how many\nMATCH (c) RETURN c LIMIT $n\n")
    query = read_query(str(path))
    assert (query.name, query.summary, query.parameters, query.defaults) == (
        "mine",
        "Mine: who is there?",
        ("n",),
        {"n": 2},
    )
    with pytest.raises(InputError, match=r"no query named 'nope' .*top_characters"):
        read_query("nope")
    latin = tmp_path / "latin.cypher"
    latin.write_bytes("// Caf\u00e9?\nRETURN 1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.cypher: not UTF-8 text \(byte 6\)"):
        read_query(str(latin))


# Layer 3: the sample book, extracted with its character list, loaded and analysed.


@pytest.fixture(scope="module")
def sample() -> Extraction:
    book = kg.read_book(SAMPLE / "book.txt")
    return kg.extract(book, kg.read_characters(SAMPLE / "characters.jsonl"))


def _graph(extraction: Extraction, chapter: int | None = None) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(s.name for s in extraction.stats)
    for i in extraction.interactions:
        weight = sum(n for c, n in i.chapters if chapter is None or c <= chapter)
        if weight:
            graph.add_edge(i.source, i.target, weight=weight)
    return graph


def _rows(driver: neo4j.Driver, query: str, /, **parameters: Any) -> list[dict[str, Any]]:
    keys, records = run_query(driver, read_query(query), parameters, database="neo4j")
    assert records, f"{query} returned no rows"
    return [dict(zip(keys, r.values(), strict=True)) for r in records]


def _check_top_characters(driver: neo4j.Driver, e: Extraction) -> None:
    rows = _rows(driver, "top_characters")
    reference = {s.name: s.pagerank for s in e.stats}
    assert len(rows) == 10
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    for row in rows:
        assert row["pagerank"] == pytest.approx(reference[row["name"]], abs=1e-4)
    assert rows[0]["name"] == e.stats[0].name
    mentions = {s.name: s.mentions for s in e.stats}
    assert all(r["mentions"] == mentions[r["name"]] for r in rows)


def _check_communities(driver: neo4j.Driver, e: Extraction) -> None:
    rank = {s.name: s.pagerank for s in e.stats}
    if gds_version(driver) is None:  # networkx has no Leiden: nothing written, nothing listed
        assert not run_query(driver, read_query("communities"), {"by": "leiden_community"},
                             database="neo4j")[1]  # fmt: skip
    for by in ("community", "leiden_community")[: 2 if gds_version(driver) else 1]:
        rows = _rows(driver, "communities", by=by)
        members = [m for r in rows for m in r["members"]]
        assert sorted(members) == sorted(rank)
        for row in rows:
            assert row["size"] == len(row["members"])
            assert row["top_member"] == max(row["members"], key=lambda m: rank[m])


def _check_strongest_ties(driver: neo4j.Driver, e: Extraction) -> None:
    top = e.stats[0].name
    graph = _graph(e)
    expected = sorted(((-w, n) for n, w in ((n, graph[top][n]["weight"]) for n in graph[top])))
    rows = _rows(driver, "strongest_ties", name=top, limit=5)
    assert [(-r["weight"], r["other"]) for r in rows] == expected[:5]
    assert all(r["books"] == [e.book.title] for r in rows)


def _check_ego_network(driver: neo4j.Driver, e: Extraction) -> None:
    top = e.stats[0].name
    ego = nx.ego_graph(_graph(e), top)
    rows = _rows(driver, "ego_network", name=top)
    assert {(r["source"], r["target"]): r["weight"] for r in rows} == {
        tuple(sorted((a, b))): d["weight"] for a, b, d in ego.edges(data=True)
    }


def _check_group_interactions(driver: neo4j.Driver, e: Extraction) -> None:
    for kind, member_of in (
        ("House", {c.name: [c.house] for c in e.characters if c.house}),
        ("Group", {c.name: list(c.loyalty) for c in e.characters}),
    ):
        expected: defaultdict[tuple[str, str], int] = defaultdict(int)
        for i in e.interactions:
            for x in member_of.get(i.source, []):
                for y in member_of.get(i.target, []):
                    first, second = sorted((x, y))
                    expected[first, second] += i.weight
        rows = _rows(driver, "group_interactions", kind=kind)
        assert {(r["first"], r["second"]): r["weight"] for r in rows} == dict(expected), kind


def _check_family_tree(driver: neo4j.Driver, e: Extraction) -> None:
    name = next(c.name for c in e.characters if len(c.family) >= 3)
    near = {f.person for c in e.characters if c.name == name for f in c.family}
    near |= {c.name for c in e.characters if any(f.person == name for f in c.family)}
    rows = _rows(driver, "family_tree", name=name)
    assert {r["relative"] for r in rows if r["steps"] == 1} == near
    assert all(len(r["relations"].split(", ")) == r["steps"] for r in _as_text(rows))


def _as_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "relations": ", ".join(r["relations"])} for r in rows]


def _check_first_meetings(driver: neo4j.Driver, e: Extraction) -> None:
    top = e.stats[0].name
    titles = {c.number: c.title for c in e.book.chapters}
    expected = sorted(
        (i.chapters[0][0], -i.weight, i.target if i.source == top else i.source)
        for i in e.interactions
        if top in (i.source, i.target)
    )
    rows = _rows(driver, "first_meetings", name=top)
    assert [(r["chapter"], -r["weight"], r["other"]) for r in rows] == expected
    assert all(r["title"] == titles[r["chapter"]] for r in rows)


def _check_network_as_of_chapter(driver: neo4j.Driver, e: Extraction) -> None:
    graph = _graph(e, chapter=3)
    rows = _rows(driver, "network_as_of_chapter", book=e.book.title, chapter=3)
    assert {(r["source"], r["target"]): r["weight"] for r in rows} == {
        tuple(sorted((a, b))): d["weight"] for a, b, d in graph.edges(data=True)
    }
    assert len(rows) < len(e.interactions)


def _check_bridges(driver: neo4j.Driver, e: Extraction) -> None:
    graph = _graph(e)
    reference = nx.betweenness_centrality(graph, normalized=False)
    rows = _rows(driver, "bridges", limit=5)
    assert [r["betweenness"] for r in rows] == sorted(
        (r["betweenness"] for r in rows), reverse=True
    )
    for row in rows:
        assert row["betweenness"] == pytest.approx(reference[row["name"]])
        assert row["other_communities"] >= 1
    assert rows[0]["betweenness"] == pytest.approx(max(reference.values()))


CHECKS: dict[str, Callable[[neo4j.Driver, Extraction], None]] = {
    "top_characters": _check_top_characters,
    "communities": _check_communities,
    "strongest_ties": _check_strongest_ties,
    "ego_network": _check_ego_network,
    "group_interactions": _check_group_interactions,
    "family_tree": _check_family_tree,
    "first_meetings": _check_first_meetings,
    "network_as_of_chapter": _check_network_as_of_chapter,
    "bridges": _check_bridges,
}


def test_every_query_file_has_a_check() -> None:
    assert sorted(CHECKS) == NAMES


@pytest.mark.neo4j
def test_every_query_on_the_loaded_sample(neo4j_driver: neo4j.Driver, sample: Extraction) -> None:
    load(sample, neo4j_driver)
    summary = analyze_in_neo4j(neo4j_driver)
    assert summary.backend == "gds" and summary.characters == len(sample.stats)
    for name in NAMES:
        CHECKS[name](neo4j_driver, sample)


@pytest.mark.neo4j
def test_every_query_on_a_server_without_gds(
    neo4j_driver_without_gds: neo4j.Driver, sample: Extraction
) -> None:
    """The queries work on any Neo4j: without GDS, networkx writes the same properties."""
    load(sample, neo4j_driver_without_gds)
    summary = analyze_in_neo4j(neo4j_driver_without_gds)
    assert summary.backend == "networkx" and summary.gds_version is None
    for name in NAMES:
        CHECKS[name](neo4j_driver_without_gds, sample)


@pytest.mark.neo4j
def test_queries_sum_over_books(neo4j_driver: neo4j.Driver) -> None:
    load(FIXTURES / "salt_harbour", neo4j_driver)
    load(FIXTURES / "lighthouse", neo4j_driver)
    ties = _rows(neo4j_driver, "strongest_ties", name="Eli Rook")
    assert [(r["other"], r["weight"]) for r in ties[:2]] == [("Ada Marsh", 3), ("Fen Rook", 3)]
    assert ties[0]["books"] == ["The Lighthouse Keeper", "The Salt Harbour"]
    meetings = _rows(neo4j_driver, "first_meetings", name="Ada Marsh")
    assert [(r["book"], r["chapter"], r["other"]) for r in meetings] == [
        ("The Lighthouse Keeper", 1, "Gil Thorn"),
        ("The Lighthouse Keeper", 2, "Eli Rook"),
        ("The Salt Harbour", 1, "Ben Marsh"),
        ("The Salt Harbour", 1, "Cora Marsh"),
        ("The Salt Harbour", 3, "Eli Rook"),
        ("The Salt Harbour", 3, "Dov Kestrel"),
    ]
    tree = _as_text(_rows(neo4j_driver, "family_tree", name="Cora Marsh"))
    assert [(r["relative"], r["steps"]) for r in tree] == [
        ("Ada Marsh", 1),
        ("Ben Marsh", 1),
        ("Old Tom Marsh", 1),
        ("Gil Thorn", 2),
    ]
    assert (
        tree[-1]["relations"] == "Ada Marsh -daughter-> Cora Marsh, Gil Thorn -cousin-> Ada Marsh"
    )


runner = CliRunner()


@pytest.mark.neo4j
def test_kg_query_prints_a_table(neo4j_driver: neo4j.Driver, neo4j_server: Any) -> None:
    load(FIXTURES / "salt_harbour", neo4j_driver)
    env = {
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": neo4j_server.user,
        "NEO4J_PASSWORD": neo4j_server.password,
        "COLUMNS": "200",
    }
    result = runner.invoke(
        app,
        ["query", "network_as_of_chapter", "-p", "book=The Salt Harbour", "-p", "chapter=1"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "Marsh" in line]
    assert len(lines) == 3 and "Ada Marsh" in lines[0] and "3" in lines[0]
    assert "3 rows" in result.output
    missing = runner.invoke(app, ["query", "ego_network"], env=env)
    assert missing.exit_code == 1
    assert missing.output.strip() == "Error: query ego_network needs --param name=VALUE"
    bad = runner.invoke(app, ["query", "top_characters", "-p", "limit"], env=env)
    assert bad.output.strip() == "Error: --param 'limit': write it as key=value"


def test_kg_query_without_a_name_lists_the_queries() -> None:
    result = runner.invoke(app, ["query"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in NAMES:
        assert name in result.output
