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
from kg.db import batches, check_schema, probe, run
from kg.errors import GdsMissing, InputError
from kg.network import communities, interaction_graph, numbered, pagerank
from kg.records import Interaction
from kg.settings import BATCH_SIZE, PAGERANK_ALPHA, SEED

log = logging.getLogger(__name__)

Backend = Literal["auto", "gds", "networkx"]
BETWEENNESS_SOURCES = 2000
"""Betweenness is exact up to this many characters, then sampled from this many sources."""
KEY_SEPARATOR = "\x1f"
"""Joins a series and a name into a node of the analysed network: a control character, which
a series name never holds (kg.load refuses it), so the first one splits the two again."""


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
    series: str | None = None,
    everything: bool = False,
    as_of_chapter: int | None = None,
    seed: int = SEED,
    alpha: float = PAGERANK_ALPHA,
    batch_size: int = BATCH_SIZE,
) -> AnalysisSummary:
    """Compute PageRank, Louvain (and Leiden) communities and betweenness; write them back.

    The network is the characters mentioned in `book`, in `series`, or in every series
    (`everything`), up to chapter `as_of_chapter`, tied by their co-occurrences in those
    chapters. Without a scope, a database of one series is analysed whole and one of several
    is refused. Results go on the characters (and, for a book, on their IN_BOOK ties to it);
    characters of the scope's series outside the network lose theirs.
    """
    if backend not in ("auto", "gds", "networkx"):
        raise InputError(f"unknown backend {backend!r}: use auto, gds or networkx")
    if as_of_chapter is not None and as_of_chapter < 1:
        raise InputError(f"--as-of-chapter must be at least 1, not {as_of_chapter}")
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    check_schema(driver, database=database)
    scope = {
        "book": book,
        "series": _scope_series(driver, database, book, series, everything),
        "as_of_chapter": as_of_chapter,
    }
    size = int(run(driver, cypher.SCOPE_SIZE, scope, database=database)[0]["characters"])
    if size == 0:
        raise InputError("no character is mentioned in the chosen chapters: nothing to analyze")
    version = gds_version(driver, database=database)
    chosen = choose_backend(backend, version)
    if chosen == "gds":
        results = _with_gds(driver, database, scope, seed=seed, alpha=alpha)
    else:
        results = _with_networkx(driver, database, scope, seed=seed, alpha=alpha)
    _write(driver, database, scope, results, batch_size)
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


def _scope_series(
    driver: Driver, database: str, book: str | None, series: str | None, everything: bool
) -> str | None:
    """The series to analyse (None: all); InputError for an unknown or ambiguous scope."""
    if (book is not None) + (series is not None) + everything > 1:
        raise InputError("give one of --book, --series and --all")
    if book is not None:
        found = run(driver, cypher.BOOK_STATE, {"book": book}, database=database)
        if not found:
            raise InputError(f"no book titled {book!r} in the database (load it with `kg load`)")
        return str(found[0]["series"])
    names = [str(r["name"]) for r in run(driver, cypher.SERIES_NAMES, database=database)]
    if series is not None and series not in names:
        raise InputError(f"no series named {series!r} in the database (see `kg load --series`)")
    if series is None and not everything and len(names) > 1:
        shown = ", ".join(repr(n) for n in names[:3]) + (", ..." if len(names) > 3 else "")
        raise InputError(
            f"the database holds {len(names)} series ({shown}), which share no character: "
            "analyse one with --book TITLE or --series NAME, or all at once with --all"
        )
    return series if series is not None or everything else next(iter(names), None)


def _key(series: str, name: str) -> str:
    """A character's node in the analysed network: names repeat across series."""
    return series + KEY_SEPARATOR + name


def _with_networkx(
    driver: Driver, database: str, scope: Mapping[str, object], *, seed: int, alpha: float
) -> _Results:
    records = run(driver, cypher.SCOPE_EDGES, scope, database=database)
    edges = [
        Interaction(
            _key(r["series"], r["source"]), _key(r["series"], r["target"]), int(r["weight"])
        )
        for r in records
        if r["target"] is not None
    ]
    graph = interaction_graph(edges, (_key(r["series"], r["source"]) for r in records))
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
        values[record["property"]][_key(record["series"], record["name"])] = record["value"]
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


def _write(
    driver: Driver,
    database: str,
    scope: Mapping[str, object],
    results: _Results,
    batch_size: int,
) -> None:
    """Write the results to their characters; clear them from the scope's series outside the
    network (and from the book's IN_BOOK ties outside it)."""
    keys = sorted(results.pagerank)
    rows = [
        {
            "series": key.partition(KEY_SEPARATOR)[0],
            "name": key.partition(KEY_SEPARATOR)[2],
            "pagerank": results.pagerank[key],
            "community": results.community[key],
            "leiden_community": results.leiden[key] if results.leiden else None,
            "betweenness": results.betweenness[key],
        }
        for key in keys
    ]
    for batch in batches(rows, batch_size):
        run(
            driver, cypher.WRITE_ANALYSIS, {"rows": batch, "book": scope["book"]}, database=database
        )
    clear = {**scope, "keys": keys, "separator": KEY_SEPARATOR}
    run(driver, cypher.CLEAR_ANALYSIS, clear, database=database)
    if scope["book"] is not None:
        run(driver, cypher.CLEAR_BOOK_ANALYSIS, clear, database=database)
