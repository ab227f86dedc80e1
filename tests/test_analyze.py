"""Analysis: the networkx reference (layer 1) and analyze_in_neo4j on the real server (layer 3),
where the GDS and networkx backends must agree."""

import csv
import dataclasses
import random
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest
from conftest import neo4j_env, one_error_line
from typer.testing import CliRunner

from kg import cypher
from kg.analyze import analyze_in_neo4j, choose_backend
from kg.cli import app
from kg.errors import GdsMissing, InputError
from kg.load import BookData, load, load_data, read_outdir
from kg.network import character_stats
from kg.records import Interaction

FIXTURES = Path(__file__).parent / "fixtures" / "load"
SALT = FIXTURES / "salt_harbour"
LIGHT = FIXTURES / "lighthouse"
SERIES = "Harbour Tales"
DATABASE = "neo4j"


@pytest.mark.parametrize(
    ("requested", "version", "chosen"),
    [
        ("auto", "2.13.9", "gds"),
        ("auto", None, "networkx"),
        ("gds", "2.13.9", "gds"),
        ("networkx", "2.13.9", "networkx"),
        ("networkx", None, "networkx"),
    ],
)
def test_choose_backend(requested: Any, version: str | None, chosen: str) -> None:
    assert choose_backend(requested, version) == chosen


def test_gds_required_but_absent_names_the_fix() -> None:
    with pytest.raises(GdsMissing, match=r"no Graph Data Science plugin.*--backend networkx"):
        choose_backend("gds", None)


# Layer 3.


def _properties(driver: neo4j.Driver) -> dict[str, dict[str, Any]]:
    records = driver.execute_query(
        "MATCH (c:Character) RETURN c.name AS name, c.pagerank AS pagerank, "
        "c.community AS community, c.leiden_community AS leiden, c.betweenness AS betweenness",
        database_=DATABASE,
    ).records
    return {r["name"]: r.data() for r in records}


def _modularity(driver: neo4j.Driver, props: dict[str, dict[str, Any]], key: str) -> float:
    records = driver.execute_query(
        "MATCH (a:Character)-[r:INTERACTS]->(b:Character) "
        "RETURN a.name AS a, b.name AS b, sum(r.weight) AS w",
        database_=DATABASE,
    ).records
    graph = nx.Graph()
    graph.add_nodes_from(n for n, p in props.items() if p[key] is not None)
    graph.add_weighted_edges_from((r["a"], r["b"], r["w"]) for r in records)
    groups: dict[int, set[str]] = {}
    for name, p in props.items():
        if p[key] is not None:
            groups.setdefault(p[key], set()).add(name)
    return float(nx.community.modularity(graph, groups.values(), weight="weight"))


def _top(props: dict[str, dict[str, Any]], n: int) -> list[str]:
    ranked = sorted(
        (p for p in props.values() if p["pagerank"] is not None),
        key=lambda p: (-p["pagerank"], p["name"]),
    )
    return [p["name"] for p in ranked[:n]]


def planted_book(groups: int = 4, size: int = 12, seed: int = 3) -> BookData:
    """A book whose characters form `groups` tight circles joined by a few weak ties."""
    rng = random.Random(seed)
    names = [f"Member {g}-{i:02d}" for g in range(groups) for i in range(size)]
    ties: dict[tuple[str, str], int] = {}
    for a in names:
        for b in names:
            same = a.split("-")[0] == b.split("-")[0]
            if a < b and rng.random() < (0.6 if same else 0.02):
                ties[a, b] = rng.randint(3, 9) if same else 1
    interactions = []
    for (a, b), weight in sorted(ties.items()):
        first = rng.randint(1, 3)
        interactions.append(
            {
                "source": a,
                "target": b,
                "weight": weight,
                "first_chapter": first,
                "chapters": [first],
                "chapter_weights": [weight],
            }
        )
    return BookData(
        title="Planted",
        series="Planted",
        properties={
            "volume": None,
            "source": None,
            "window": 14,
            "model": None,
            "characters_file": None,
            "kg_version": None,
            "digest": "planted",
        },
        chapters=[{"number": n, "title": f"Part {n}"} for n in (1, 2, 3)],
        characters=[
            {
                "name": n,
                "aliases": [],
                "gender": None,
                "species": None,
                "blood": None,
                "nationality": None,
                "url": None,
                "house": None,
                "discovered": False,
                "mentions": 1,
                "first_chapter": 1,
            }
            for n in names
        ],
        loyalties=[],
        family=[],
        appearances=[{"name": n, "chapter": 1, "mentions": 1} for n in names],
        interactions=interactions,
    )


@pytest.mark.neo4j
def test_gds_and_networkx_agree_on_a_planted_network(neo4j_driver: neo4j.Driver) -> None:
    load_data(planted_book(), neo4j_driver)
    by_gds = analyze_in_neo4j(neo4j_driver, backend="gds")
    gds = _properties(neo4j_driver)
    by_nx = analyze_in_neo4j(neo4j_driver, backend="networkx")
    reference = _properties(neo4j_driver)

    assert (by_gds.backend, by_nx.backend) == ("gds", "networkx")
    assert by_gds.characters == by_nx.characters == 48
    assert by_gds.interactions == by_nx.interactions
    assert _top(gds, 5) == _top(reference, 5)
    for name, p in reference.items():
        assert gds[name]["pagerank"] == pytest.approx(p["pagerank"], abs=1e-4)
        assert gds[name]["betweenness"] == pytest.approx(p["betweenness"], rel=1e-6)
    assert by_gds.modularity == pytest.approx(by_nx.modularity, abs=0.02)
    assert by_gds.modularity == pytest.approx(_modularity(neo4j_driver, gds, "community"))
    for key in ("community", "leiden"):
        planted: dict[str, set[int]] = {n.split("-")[0]: set() for n in gds}
        for name, p in gds.items():
            planted[name.split("-")[0]].add(p[key])
        assert all(len(found) == 1 for found in planted.values()), (key, planted)
    assert by_gds.communities == by_nx.communities == by_gds.leiden_communities == 4
    assert by_nx.leiden_communities is None
    assert all(p["leiden"] is None for p in reference.values())


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["gds", "networkx"])
def test_both_books_of_a_series_analysed_together(neo4j_driver: neo4j.Driver, backend: Any) -> None:
    load(SALT, neo4j_driver, series=SERIES)
    load(LIGHT, neo4j_driver, series=SERIES)
    summary = analyze_in_neo4j(neo4j_driver, backend=backend)
    assert analyze_in_neo4j(neo4j_driver, backend=backend, series=SERIES) == summary
    props = _properties(neo4j_driver)
    assert summary.characters == 9 and summary.interactions == 14
    # Never mentioned: a listed character and a relative are left out of the network.
    assert props["Ivo Quill"]["pagerank"] is None and props["Old Tom Marsh"]["community"] is None
    assert _top(props, 2) == ["Eli Rook", "Ada Marsh"]
    assert sum(p["pagerank"] or 0 for p in props.values()) == pytest.approx(1.0, abs=1e-4)


def _reference_as_of(outdir: Path, chapter: int) -> dict[str, float]:
    """PageRank by the networkx reference on the fixture's rows up to `chapter`."""
    with (outdir / "interactions_by_chapter.csv").open() as f:
        pairs: dict[tuple[str, str], int] = {}
        for row in csv.DictReader(f):
            if int(row["chapter"]) <= chapter:
                key = (row["source"], row["target"])
                pairs[key] = pairs.get(key, 0) + int(row["weight"])
    with (outdir / "mentions.csv").open() as f:
        mentions: dict[str, int] = {}
        for row in csv.DictReader(f):
            if int(row["chapter"]) <= chapter:
                mentions[row["character"]] = mentions.get(row["character"], 0) + 1
    stats = character_stats([Interaction(s, t, w) for (s, t), w in pairs.items()], mentions)
    return {s.name: s.pagerank for s in stats}


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["gds", "networkx"])
def test_as_of_chapter_analyses_the_network_a_reader_knows(
    neo4j_driver: neo4j.Driver, backend: Any
) -> None:
    load(SALT, neo4j_driver, series=SERIES)
    load(LIGHT, neo4j_driver, series=SERIES)
    analyze_in_neo4j(neo4j_driver, backend=backend)
    summary = analyze_in_neo4j(
        neo4j_driver, backend=backend, book="The Salt Harbour", as_of_chapter=2
    )
    expected = _reference_as_of(SALT, 2)
    assert set(expected) == {
        "Ada Marsh",
        "Ben Marsh",
        "Cora Marsh",
        "Dov Kestrel",
        "Eli Rook",
        "Fen Rook",
    }
    props = _properties(neo4j_driver)
    got = {name: p["pagerank"] for name, p in props.items() if p["pagerank"] is not None}
    assert got == pytest.approx(expected, abs=1e-4)
    assert summary.interactions == 7
    assert props["Gil Thorn"]["pagerank"] is None  # the other book's characters are cleared


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["gds", "networkx"])
def test_a_network_without_ties(neo4j_driver: neo4j.Driver, backend: Any) -> None:
    load_data(dataclasses.replace(planted_book(groups=2, size=3), interactions=[]), neo4j_driver)
    summary = analyze_in_neo4j(neo4j_driver, backend=backend)
    assert (summary.characters, summary.interactions, summary.communities) == (6, 0, 6)
    assert summary.modularity == 0.0
    props = _properties(neo4j_driver)
    assert sorted(p["community"] for p in props.values()) == list(range(6))
    assert all(p["pagerank"] == pytest.approx(1 / 6) for p in props.values())
    assert all(p["betweenness"] == 0 for p in props.values())


@pytest.mark.neo4j
def test_leiden_is_seeded(neo4j_driver: neo4j.Driver) -> None:
    load_data(planted_book(groups=5, size=8, seed=11), neo4j_driver)
    analyze_in_neo4j(neo4j_driver, backend="gds", seed=5)
    first = _properties(neo4j_driver)
    analyze_in_neo4j(neo4j_driver, backend="gds", seed=5)
    assert _properties(neo4j_driver) == first


class FailingDriver:
    """A real driver whose n-th run of one statement fails as the server would."""

    def __init__(self, driver: neo4j.Driver, statement: str, replacement: str) -> None:
        self.driver, self.statement, self.replacement = driver, statement, replacement

    def execute_query(self, query: str, *args: Any, **kwargs: Any) -> Any:
        if query == self.statement:
            query = self.replacement
        return self.driver.execute_query(query, *args, **kwargs)


def _graphs(driver: neo4j.Driver) -> list[str]:
    records = driver.execute_query(
        "CALL gds.graph.list() YIELD graphName RETURN graphName", database_=DATABASE
    ).records
    return [r["graphName"] for r in records]


@pytest.mark.neo4j
def test_the_projection_is_dropped_even_when_an_algorithm_fails(
    neo4j_driver: neo4j.Driver,
) -> None:
    load(SALT, neo4j_driver)
    analyze_in_neo4j(neo4j_driver, backend="gds")
    before = _properties(neo4j_driver)
    assert _graphs(neo4j_driver) == []
    broken = cypher.GDS_LOUVAIN.replace(
        "relationshipWeightProperty: 'weight'", "relationshipWeightProperty: 'no_such_property'"
    )
    failing = FailingDriver(neo4j_driver, cypher.GDS_LOUVAIN, broken)
    with pytest.raises(Exception, match="no_such_property"):
        analyze_in_neo4j(failing, backend="gds")  # type: ignore[arg-type]
    assert _graphs(neo4j_driver) == []
    assert _properties(neo4j_driver) == before


def _without_gds(driver: neo4j.Driver) -> FailingDriver:
    """The server as one without the plugin answers: gds.version() is an unknown function."""
    return FailingDriver(driver, cypher.GDS_VERSION, "RETURN gds.noSuchVersion() AS version")


@pytest.mark.neo4j
def test_without_gds_auto_uses_networkx_and_gds_is_refused(neo4j_driver: neo4j.Driver) -> None:
    load(SALT, neo4j_driver)
    no_gds = _without_gds(neo4j_driver)
    with pytest.raises(GdsMissing):
        analyze_in_neo4j(no_gds, backend="gds")  # type: ignore[arg-type]
    assert all(p["pagerank"] is None for p in _properties(neo4j_driver).values())
    summary = analyze_in_neo4j(no_gds)  # type: ignore[arg-type]
    assert (summary.backend, summary.gds_version) == ("networkx", None)
    assert _top(_properties(neo4j_driver), 1) == ["Eli Rook"]


@pytest.mark.neo4j
def test_bad_scopes_are_input_errors(neo4j_driver: neo4j.Driver) -> None:
    with pytest.raises(InputError, match="nothing to analyze"):
        analyze_in_neo4j(neo4j_driver)
    load(SALT, neo4j_driver)
    with pytest.raises(InputError, match="no book titled 'Nope'"):
        analyze_in_neo4j(neo4j_driver, book="Nope")
    with pytest.raises(InputError, match="at least 1"):
        analyze_in_neo4j(neo4j_driver, as_of_chapter=0)
    with pytest.raises(InputError, match="batch size must be at least 1, not 0"):
        analyze_in_neo4j(neo4j_driver, batch_size=0)
    with pytest.raises(InputError, match="no series named 'Nope'"):
        analyze_in_neo4j(neo4j_driver, series="Nope")
    with pytest.raises(InputError, match="give one of --book, --series and --all"):
        analyze_in_neo4j(neo4j_driver, book="The Salt Harbour", everything=True)
    assert all(p["pagerank"] is None for p in _properties(neo4j_driver).values())


def _ranks(driver: neo4j.Driver, query: str) -> dict[tuple[str, str], float | None]:
    return {
        (r["scope"], r["name"]): r["pagerank"]
        for r in driver.execute_query(query, database_=DATABASE).records
    }


_CHARACTER_RANKS = (
    "MATCH (c:Character) RETURN c.series AS scope, c.name AS name, c.pagerank AS pagerank"
)
_BOOK_RANKS = (
    "MATCH (c:Character)-[i:IN_BOOK]->(b:Book) "
    "RETURN b.title AS scope, c.name AS name, i.pagerank AS pagerank"
)


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["gds", "networkx"])
def test_unrelated_books_are_analysed_apart_and_never_mixed_unasked(
    neo4j_driver: neo4j.Driver, backend: Any
) -> None:
    load(SALT, neo4j_driver)
    load(LIGHT, neo4j_driver)
    with pytest.raises(InputError, match=r"holds 2 series .* --book TITLE or --series NAME, or"):
        analyze_in_neo4j(neo4j_driver, backend=backend)
    each = {}
    for book in (SALT, LIGHT):
        title = read_outdir(book).title
        each[title] = analyze_in_neo4j(neo4j_driver, backend=backend, series=title)
    alone = _ranks(neo4j_driver, _CHARACTER_RANKS)
    together = analyze_in_neo4j(neo4j_driver, backend=backend, everything=True)
    assert together.characters == 6 + 5 == sum(s.characters for s in each.values())
    assert together.interactions == 10 + 5
    # Two separate networks: PageRank gives each its share of the characters (6 and 5 of 11)
    # and keeps every rank's ratio within it.
    ranks = _ranks(neo4j_driver, _CHARACTER_RANKS)
    for key, rank in alone.items():
        share = 6 / 11 if key[0] == "The Salt Harbour" else 5 / 11
        assert ranks[key] == (None if rank is None else pytest.approx(rank * share, rel=1e-3))


@pytest.mark.neo4j
def test_a_book_s_analysis_is_kept_on_its_appearance(neo4j_driver: neo4j.Driver) -> None:
    load(SALT, neo4j_driver, series=SERIES, volume=1)
    load(LIGHT, neo4j_driver, series=SERIES, volume=2)
    for title in ("The Salt Harbour", "The Lighthouse Keeper"):
        analyze_in_neo4j(neo4j_driver, backend="networkx", book=title)
    per_book = _ranks(neo4j_driver, _BOOK_RANKS)
    expected = {
        (title, name): rank
        for outdir, title in ((SALT, "The Salt Harbour"), (LIGHT, "The Lighthouse Keeper"))
        for name, rank in _reference_as_of(outdir, 99).items()
    }
    assert {k: v for k, v in per_book.items() if v is not None} == pytest.approx(expected)
    # The characters hold the last analysis: the Lighthouse Keeper's.
    last = {k[1]: v for k, v in _ranks(neo4j_driver, _CHARACTER_RANKS).items() if v is not None}
    assert last == pytest.approx({n: r for (t, n), r in expected.items() if "Light" in t})


runner = CliRunner()


@pytest.mark.neo4j
def test_kg_analyze(neo4j_driver: neo4j.Driver, neo4j_server: Any) -> None:
    load(SALT, neo4j_driver)
    result = runner.invoke(
        app, ["-v", "analyze", "--as-of-chapter", "2"], env=neo4j_env(neo4j_server)
    )
    assert result.exit_code == 0, result.output
    assert "Analysed 6 characters and 7 ties with GDS 2.13" in result.output
    assert "Leiden communities" in result.output
    assert neo4j_server.password not in result.output
    nx_run = runner.invoke(app, ["analyze", "--backend", "networkx"], env=neo4j_env(neo4j_server))
    assert "Analysed 6 characters and 10 ties with networkx" in one_error_line(nx_run.output)


@pytest.mark.neo4j
def test_kg_analyze_without_gds_is_one_line(
    neo4j_driver: neo4j.Driver, neo4j_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(SALT, neo4j_driver)
    import kg.db

    connect = kg.db.connect
    monkeypatch.setattr(
        kg.db, "connect", lambda settings: _Closing(_without_gds(connect(settings)))
    )
    result = runner.invoke(app, ["analyze", "--backend", "gds"], env=neo4j_env(neo4j_server))
    assert result.exit_code == 1
    assert one_error_line(result.output) == (
        "Error: this Neo4j server has no Graph Data Science plugin: install GDS, "
        "or use --backend networkx"
    )


class _Closing:
    def __init__(self, driver: FailingDriver) -> None:
        self.driver = driver

    def __enter__(self) -> FailingDriver:
        return self.driver

    def __exit__(self, *exc: object) -> None:
        self.driver.driver.close()


@pytest.mark.neo4j
def test_kg_analyze_wrong_password_is_one_line(neo4j_server: Any) -> None:
    secret = "wrong-password-27182"
    result = runner.invoke(app, ["analyze"], env=neo4j_env(neo4j_server, NEO4J_PASSWORD=secret))
    assert result.exit_code == 1
    assert "wrong user or password" in one_error_line(result.output)
    assert secret not in result.output and neo4j_server.password not in result.output


def test_kg_analyze_unreachable_is_one_line() -> None:
    result = runner.invoke(
        app, ["analyze", "--uri", "bolt://127.0.0.1:9"], env={"NEO4J_PASSWORD": "pw-0001"}
    )
    assert result.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:9" in one_error_line(result.output)
    assert "pw-0001" not in result.output
