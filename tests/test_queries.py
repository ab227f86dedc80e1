"""The curated queries in queries/: headers (layer 1), and every file run against the loaded
sample graph with its rows checked against the extraction computed in Python (layer 3)."""

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from conftest import neo4j_env, one_error_line
from neo4j.graph import Node
from typer.testing import CliRunner

import kg
from kg import cypher
from kg.analyze import analyze_in_neo4j, gds_version
from kg.cli import app
from kg.cypher import QUERIES_DIR, read_query
from kg.db import run_query
from kg.errors import InputError
from kg.extract import Extraction
from kg.load import load
from kg.lookup import Known, find_character

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
FIXTURES = Path(__file__).parent / "fixtures" / "load"
NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.cypher"))
SERIES = "Harbour Tales"


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
                "series_arc",
                "series_book_network",
                "series_core_changes",
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
    """The query's rows, nodes replaced by their names (relationships and paths stay)."""
    keys, records = run_query(driver, read_query(query), parameters, database="neo4j")
    assert records, f"{query} returned no rows"
    return [{k: _named(v) for k, v in zip(keys, r.values(), strict=True)} for r in records]


def _named(value: Any) -> Any:
    if isinstance(value, list):
        return [_named(v) for v in value]
    return value["name"] if isinstance(value, Node) else value


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
        rows = _rows(driver, "communities", by=by, limit=3)
        assert sum(r["size"] for r in rows) == len(rank)
        assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
        for row in rows:
            assert len(row["members"]) == min(3, row["size"])
            assert row["members"] == sorted(row["members"], key=lambda m: (-rank[m], m))
            assert row["top_member"] == row["members"][0]
            for tie in row["ties"]:  # drawn: ties among the members shown, none leaving them
                assert {tie.start_node["name"], tie.end_node["name"]} <= set(row["members"])
        assert any(r["ties"] for r in rows)


def _check_strongest_ties(driver: neo4j.Driver, e: Extraction) -> None:
    top = e.stats[0].name
    graph = _graph(e)
    expected = sorted(((-w, n) for n, w in ((n, graph[top][n]["weight"]) for n in graph[top])))
    rows = _rows(driver, "strongest_ties", name=top, limit=5)
    assert [(-r["weight"], r["other"]) for r in rows] == expected[:5]
    assert all(r["books"] == [e.book.title] and r["character"] == top for r in rows)
    assert all(sum(t["weight"] for t in r["ties"]) == r["weight"] for r in rows)


def _check_ego_network(driver: neo4j.Driver, e: Extraction) -> None:
    top = e.stats[0].name
    graph = _graph(e)
    ego = nx.ego_graph(graph, top)
    rows = _rows(driver, "ego_network", name=top)
    assert {(r["source"], r["target"]): r["weight"] for r in rows} == {
        tuple(sorted((a, b))): d["weight"] for a, b, d in ego.edges(data=True)
    }
    strongest = sorted(graph[top], key=lambda n: (-graph[top][n]["weight"], n))[:2]
    rows = _rows(driver, "ego_network", name=top, limit=2)
    assert {n for r in rows for n in (r["source"], r["target"])} == {top, *strongest}


def _check_group_interactions(driver: neo4j.Driver, e: Extraction) -> None:
    for kind, member_of in (
        ("House", {c.name: list(c.fact("house")[:1]) for c in e.characters}),
        ("Group", {c.name: list(c.fact("loyalty")) for c in e.characters}),
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
    assert all(len(r["path"]) == r["steps"] for r in rows)  # Browser draws the chain


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
    community = {s.name: s.community for s in e.stats}
    for row in rows:
        assert row["betweenness"] == pytest.approx(reference[row["character"]])
        assert row["other_communities"] >= 1
        assert row["reached"] and row["ties"]
        assert all(community[n] != row["community"] for n in row["reached"])
    assert rows[0]["betweenness"] == pytest.approx(max(reference.values()))


def _check_series_arc(driver: neo4j.Driver, e: Extraction) -> None:
    """A lone book is a series of its own, named after it: its arc has one book."""
    analyze_in_neo4j(driver, book=e.book.title)
    top = e.stats[0]
    (row,) = _rows(driver, "series_arc", name=top.name)
    assert (row["character"], row["series"]) == (top.name, e.book.title)
    assert (row["book"], row["volume"], row["mentions"]) == (e.book.title, None, top.mentions)
    assert row["first_chapter"] == min(m.chapter for m in e.mentions if m.character == top.name)
    assert row["pagerank"] == pytest.approx(top.pagerank, abs=1e-4)


def _check_series_book_network(driver: neo4j.Driver, e: Extraction) -> None:
    rows = _rows(driver, "series_book_network", book=e.book.title)
    assert {r["book"] for r in rows} == {e.book.title}
    assert {(r["source"], r["target"], r["weight"]) for r in rows} == {
        (i.source, i.target, i.weight) for i in e.interactions
    }
    assert [r["weight"] for r in rows] == sorted((r["weight"] for r in rows), reverse=True)


def _check_series_core_changes(driver: neo4j.Driver, e: Extraction) -> None:
    """One book: its core enters, nothing leaves (test_series_queries has two books)."""
    (row,) = _rows(driver, "series_core_changes", size=3)
    assert (row["step"], row["from_book"], row["to_book"]) == (1, None, e.book.title)
    assert (row["entering"], row["leaving"]) == ([s.name for s in e.stats[:3]], [])


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
    "series_arc": _check_series_arc,
    "series_book_network": _check_series_book_network,
    "series_core_changes": _check_series_core_changes,
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
def test_every_query_runs_with_its_defaults_and_takes_names_as_people_type_them(
    neo4j_driver: neo4j.Driver, sample: Extraction
) -> None:
    """With no parameter at all (as in Browser after the README's `:params` line), each query
    finds rows; a name matches in any case and through an alias, as kg.lookup does."""
    load(sample, neo4j_driver)
    analyze_in_neo4j(neo4j_driver)
    for name in NAMES:
        query = read_query(name)
        nulls = dict.fromkeys(query.parameters)
        assert neo4j_driver.execute_query(query.text, nulls, database_="neo4j").records, name
    top = sample.stats[0].name
    assert [r["other"] for r in _rows(neo4j_driver, "strongest_ties")] == [
        r["other"] for r in _rows(neo4j_driver, "strongest_ties", name=top.upper())
    ]
    known = [Known(s.name, c.aliases, s.pagerank) for c, s in _with_stats(sample)]
    for character in known:
        for typed in (character.name.lower(), *(a.upper() for a in character.aliases)):
            found = neo4j_driver.execute_query(
                cypher.FIND_CHARACTER + "RETURN c.name AS name",
                {"name": f" {typed} ", "book": None, "series": None},
                database_="neo4j",
            ).records
            assert [r["name"] for r in found] == [find_character(typed, known)], typed


def _with_stats(e: Extraction) -> list[tuple[kg.Character, kg.CharacterStats]]:
    stats = {s.name: s for s in e.stats}
    return [(c, stats[c.name]) for c in e.characters if c.name in stats]


@pytest.mark.neo4j
def test_queries_take_a_book_and_a_series_scope(neo4j_driver: neo4j.Driver) -> None:
    load(FIXTURES / "salt_harbour", neo4j_driver, series=SERIES)
    load(FIXTURES / "lighthouse", neo4j_driver, series=SERIES)
    load(FIXTURES / "salt_harbour", neo4j_driver, series="Another Coast", book_title="Elsewhere")
    analyze_in_neo4j(neo4j_driver, series=SERIES)
    analyze_in_neo4j(neo4j_driver, series="Another Coast")
    for query in ("strongest_ties", "ego_network", "first_meetings", "family_tree"):
        assert _rows(neo4j_driver, query, name="Eli", series="Another Coast")  # Eli is in both
    ties = _rows(neo4j_driver, "strongest_ties", name="Eli", series="Another Coast")
    assert {b for r in ties for b in r["books"]} == {"Elsewhere"}
    for query in NAMES:
        if not query.startswith("series_"):  # those start from a series' books already
            scoped = run_query(
                neo4j_driver, read_query(query), {"series": "None"}, database="neo4j"
            )
            assert not scoped[1], query
    book = "The Lighthouse Keeper"
    ties = _rows(neo4j_driver, "strongest_ties", name="Eli", book=book)
    assert all(r["books"] == [book] for r in ties)
    assert [(r["other"], r["weight"]) for r in ties][:1] == [("Mira O'Neil", 2)]
    top = _rows(neo4j_driver, "top_characters", book=book)
    assert {r["name"] for r in top} == {"Ada Marsh", "Eli Rook", "Gil Thorn", "Hana Vell",
                                        "Mira O'Neil"}  # fmt: skip
    for name in NAMES:
        query = read_query(name)
        assert "book" in query.parameters, f"{name} has no book scope"
        records = run_query(neo4j_driver, query, {"book": "No Such Book"}, database="neo4j")[1]
        assert not records, name


def test_name_queries_open_with_the_shared_lookup_and_defaults_match_the_header() -> None:
    """One lookup rule in every query that takes $name; kg's defaults are the queries' own."""
    for name in NAMES:
        query = read_query(name)
        if "name" in query.parameters:
            assert cypher.FIND_CHARACTER.strip() in query.text, name
        for parameter, default in query.defaults.items():
            written = f"'{default}'" if isinstance(default, str) else str(default)
            assert f"coalesce(${parameter}, {written})" in query.text, (name, parameter)


@pytest.mark.neo4j
def test_queries_sum_over_the_books_of_a_series(neo4j_driver: neo4j.Driver) -> None:
    load(FIXTURES / "salt_harbour", neo4j_driver, series=SERIES)
    load(FIXTURES / "lighthouse", neo4j_driver, series=SERIES)
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


@pytest.mark.neo4j
def test_series_queries(neo4j_driver: neo4j.Driver) -> None:
    books = {"The Salt Harbour": 1, "The Lighthouse Keeper": 2}
    load(FIXTURES / "lighthouse", neo4j_driver, series=SERIES, volume=2)
    load(FIXTURES / "salt_harbour", neo4j_driver, series=SERIES, volume=1)
    for title in books:
        analyze_in_neo4j(neo4j_driver, book=title)
    arc = _rows(neo4j_driver, "series_arc", name="ada marsh")
    assert {r["series"] for r in arc} == {SERIES}
    assert [(r["volume"], r["book"], r["mentions"], r["first_chapter"]) for r in arc] == [
        (1, "The Salt Harbour", 6, 1),
        (2, "The Lighthouse Keeper", 3, 1),
    ]
    assert all(r["pagerank"] > 0 for r in arc)
    second = _rows(neo4j_driver, "series_book_network", book="The Salt Harbour", k=2)
    assert {r["book"] for r in second} == {"The Lighthouse Keeper"}
    assert [(r["source"], r["target"], r["weight"]) for r in second[:2]] == [
        ("Ada Marsh", "Gil Thorn", 2),
        ("Eli Rook", "Mira O'Neil", 2),
    ]
    assert len(second) == 5
    ranks = neo4j_driver.execute_query(
        "MATCH (c:Character)-[i:IN_BOOK]->(b:Book) WHERE i.pagerank IS NOT NULL "
        "RETURN b.title AS book, c.name AS name ORDER BY i.pagerank DESC, name",
        database_="neo4j",
    ).records
    core = {t: [r["name"] for r in ranks if r["book"] == t][:3] for t in books}
    start, step = _rows(neo4j_driver, "series_core_changes", size=3)
    assert (start["to_book"], start["entering"]) == ("The Salt Harbour", core["The Salt Harbour"])
    assert (step["from_book"], step["to_book"]) == ("The Salt Harbour", "The Lighthouse Keeper")
    first, then = core["The Salt Harbour"], core["The Lighthouse Keeper"]
    assert step["entering"] == [n for n in then if n not in first] != []
    assert step["leaving"] == [n for n in first if n not in then] != []


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
    bad = runner.invoke(app, ["query", "top_characters", "-p", "limit"], env=env)
    assert bad.output.strip() == "Error: --param 'limit': write it as key=value"


@pytest.mark.neo4j
def test_kg_query_finds_names_by_alias_and_suggests_near_ones(
    neo4j_driver: neo4j.Driver, neo4j_server: Any
) -> None:
    load(FIXTURES / "salt_harbour", neo4j_driver)
    env = {**neo4j_env(neo4j_server), "COLUMNS": "200"}
    by_alias = runner.invoke(app, ["query", "strongest_ties", "-p", "name=mrs. MARSH"], env=env)
    assert by_alias.exit_code == 0, by_alias.output
    assert by_alias.output.count("Ada Marsh") >= 2  # the title names Ada, each row too
    assert "(Neo4j Browser also draws ties)" in by_alias.output
    wrong = runner.invoke(app, ["query", "ego_network", "-p", "name=Marsch"], env=env)
    assert wrong.exit_code == 1
    assert one_error_line(wrong.output) == (
        "Error: no character is called 'Marsch' (did you mean 'Ben Marsh' or 'Ada Marsh' "
        "or 'Cora Marsh'?)"
    )
    family = runner.invoke(app, ["query", "family_tree", "-p", "name=Ada"], env=env)
    assert family.exit_code == 0 and "Ben Marsh" in family.output
    neo4j_driver.execute_query("MATCH ()-[r:FAMILY_MEMBER]->() DELETE r", database_="neo4j")
    none = runner.invoke(app, ["query", "family_tree", "-p", "name=Ada"], env=env)
    assert one_error_line(none.output) == (
        "Error: query family_tree needs family ties from a wiki (kg scrape, then kg load): "
        "this database has no FAMILY_MEMBER relationships"
    )


def test_kg_query_without_a_name_lists_the_queries() -> None:
    result = runner.invoke(app, ["query"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for name in NAMES:
        assert name in result.output
