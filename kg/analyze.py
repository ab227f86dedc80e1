"""The database stage: PageRank, communities and betweenness of the network loaded in Neo4j.

`analyze_in_neo4j` computes them with GDS when the server has it, else with kg.network's
networkx reference on the network read back, and writes the results to the characters.
"""

import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx
from neo4j import Driver

from kg import cypher
from kg.db import batches, probe, run
from kg.errors import GdsMissing, InputError
from kg.network import communities, interaction_graph, numbered, pagerank
from kg.records import Interaction
from kg.settings import BATCH_SIZE, PAGERANK_ALPHA, SEED

log = logging.getLogger(__name__)

Backend = Literal["auto", "gds", "networkx"]
BETWEENNESS_SOURCES = 2000
"""Betweenness is exact up to this many characters, then sampled from this many sources."""


@dataclass(frozen=True)
class AnalysisSummary:
    """What analyze_in_neo4j wrote, and the network it analysed."""

    backend: Literal["gds", "networkx"]
    characters: int
    interactions: int
    communities: int
    modularity: float
    leiden_communities: int | None
    """None when the backend has no Leiden (networkx needs an extra backend for it)."""
    gds_version: str | None


@dataclass(frozen=True)
class _Results:
    pagerank: dict[str, float]
    community: dict[str, int]
    leiden: dict[str, int] | None
    betweenness: dict[str, float]
    modularity: float
    interactions: int


def choose_backend(requested: Backend, gds_version: str | None) -> Literal["gds", "networkx"]:
    """The backend to use, given the one asked for and the server's GDS version (None: no GDS)."""
    if requested == "networkx":
        return "networkx"
    if gds_version is not None:
        return "gds"
    if requested == "gds":
        raise GdsMissing(
            "this Neo4j server has no Graph Data Science plugin: install GDS, "
            "or use --backend networkx"
        )
    return "networkx"


def gds_version(driver: Driver, *, database: str = "neo4j") -> str | None:
    """The server's GDS version, or None when `gds.version()` does not answer."""
    records = probe(driver, cypher.GDS_VERSION, database=database)
    return str(records[0]["version"]) if records else None


def analyze_in_neo4j(
    driver: Driver,
    *,
    database: str = "neo4j",
    backend: Backend = "auto",
    book: str | None = None,
    as_of_chapter: int | None = None,
    seed: int = SEED,
    alpha: float = PAGERANK_ALPHA,
    batch_size: int = BATCH_SIZE,
) -> AnalysisSummary:
    """Compute PageRank, Louvain (and Leiden) communities and betweenness; write them back.

    The network is the characters mentioned in `book` (all books if None) up to chapter
    `as_of_chapter`, tied by their co-occurrences in those chapters. Characters outside it
    lose their pagerank, community, leiden_community and betweenness.
    """
    if backend not in ("auto", "gds", "networkx"):
        raise InputError(f"unknown backend {backend!r}: use auto, gds or networkx")
    if as_of_chapter is not None and as_of_chapter < 1:
        raise InputError(f"--as-of-chapter must be at least 1, not {as_of_chapter}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    scope: dict[str, object] = {"book": book, "as_of_chapter": as_of_chapter}
    if (
        book is not None
        and not run(driver, cypher.BOOK_EXISTS, scope, database=database)[0]["present"]
    ):
        raise InputError(f"no book titled {book!r} in the database (load it with `kg load`)")
    size = int(run(driver, cypher.SCOPE_SIZE, scope, database=database)[0]["characters"])
    if size == 0:
        raise InputError("no character is mentioned in the chosen chapters: nothing to analyze")
    version = gds_version(driver, database=database)
    chosen = choose_backend(backend, version)
    if chosen == "gds":
        results = _with_gds(driver, database, scope, seed=seed, alpha=alpha)
    else:
        results = _with_networkx(driver, database, scope, seed=seed, alpha=alpha)
    _write(driver, database, results, batch_size)
    summary = AnalysisSummary(
        backend=chosen,
        characters=len(results.pagerank),
        interactions=results.interactions,
        communities=len(set(results.community.values())),
        modularity=results.modularity,
        leiden_communities=len(set(results.leiden.values())) if results.leiden else None,
        gds_version=version,
    )
    log.info("analysis: %s", summary)
    return summary


def _with_networkx(
    driver: Driver, database: str, scope: Mapping[str, object], *, seed: int, alpha: float
) -> _Results:
    records = run(driver, cypher.SCOPE_EDGES, scope, database=database)
    edges = [
        Interaction(r["source"], r["target"], int(r["weight"]))
        for r in records
        if r["target"] is not None
    ]
    graph = interaction_graph(edges, (r["source"] for r in records))
    groups = communities(graph, seed=seed)
    members: defaultdict[int, set[str]] = defaultdict(set)
    for name, number in groups.items():
        members[number].add(name)
    sources = min(graph.number_of_nodes(), BETWEENNESS_SOURCES)
    sample = sources if sources < graph.number_of_nodes() else None
    between = nx.betweenness_centrality(graph, k=sample, normalized=False, seed=seed)
    return _Results(
        pagerank=pagerank(graph, alpha=alpha),
        community=groups,
        leiden=None,
        betweenness={name: float(value) for name, value in between.items()},
        modularity=float(nx.community.modularity(graph, members.values(), weight="weight"))
        if edges
        else 0.0,
        interactions=len(edges),
    )


def _with_gds(
    driver: Driver, database: str, scope: Mapping[str, object], *, seed: int, alpha: float
) -> _Results:
    with _projection(driver, database, scope) as (graph, nodes, relationships):
        on_graph = {"graph": graph}
        run(driver, cypher.GDS_PAGERANK, {**on_graph, "alpha": alpha}, database=database)
        modularity = run(driver, cypher.GDS_LOUVAIN, on_graph, database=database)[0]["modularity"]
        properties = ["pagerank", "community", "betweenness"]
        leiden_present = run(
            driver, cypher.HAS_PROCEDURE, {"name": "gds.leiden.mutate"}, database=database
        )[0]["present"]
        if leiden_present and relationships:  # GDS Leiden fails on a graph without ties
            run(driver, cypher.GDS_LEIDEN, {**on_graph, "seed": seed}, database=database)
            properties.append("leiden")
        sampling = {"sources": min(nodes, BETWEENNESS_SOURCES), "seed": seed}
        run(driver, cypher.GDS_BETWEENNESS, {**on_graph, **sampling}, database=database)
        streamed = run(
            driver,
            cypher.GDS_STREAM_PROPERTIES,
            {**on_graph, "properties": properties},
            database=database,
        )
    values: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for record in streamed:
        values[record["property"]][record["name"]] = record["value"]
    return _Results(
        pagerank={name: float(v) for name, v in values["pagerank"].items()},
        community=_renumbered(values["community"]),
        leiden=_renumbered(values["leiden" if relationships else "community"])
        if leiden_present
        else None,
        betweenness={name: float(v) for name, v in values["betweenness"].items()},
        modularity=float(modularity) if relationships else 0.0,  # GDS says NaN
        interactions=relationships,
    )


@contextmanager
def _projection(
    driver: Driver, database: str, scope: Mapping[str, object]
) -> Iterator[tuple[str, int, int]]:
    """Project the network in scope as a GDS graph; drop it on exit, even after an error."""
    graph = f"kg-{uuid.uuid4().hex}"
    record = run(driver, cypher.GDS_PROJECT, {**scope, "graph": graph}, database=database)[0]
    try:
        yield graph, int(record["nodes"]), int(record["relationships"])
    finally:
        run(driver, cypher.GDS_DROP, {"graph": graph}, database=database)


def _renumbered(raw: Mapping[str, object]) -> dict[str, int]:
    groups: defaultdict[object, list[str]] = defaultdict(list)
    for name, group in raw.items():
        groups[group].append(name)
    return numbered(groups.values())


def _write(driver: Driver, database: str, results: _Results, batch_size: int) -> None:
    """Write the results to their characters; clear them from characters outside the network."""
    names = sorted(results.pagerank)
    rows = [
        {
            "name": name,
            "pagerank": results.pagerank[name],
            "community": results.community[name],
            "leiden_community": results.leiden[name] if results.leiden else None,
            "betweenness": results.betweenness[name],
        }
        for name in names
    ]
    for batch in batches(rows, batch_size):
        run(driver, cypher.WRITE_ANALYSIS, {"rows": batch}, database=database)
    run(driver, cypher.CLEAR_ANALYSIS, {"names": names}, database=database)
