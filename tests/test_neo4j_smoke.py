"""The test server is a real Neo4j 5.26 with GDS 2.13: procedures run and write back."""

from __future__ import annotations

import base64
import json
import urllib.request
from typing import TYPE_CHECKING

import neo4j
import pytest

if TYPE_CHECKING:
    from conftest import Neo4jServer

pytestmark = pytest.mark.neo4j

# Two triangles of strong ties joined by one weak tie: c -- d.
TWO_TRIANGLES = """
UNWIND ['a', 'b', 'c', 'd', 'e', 'f'] AS name
CREATE (:Person {name: name})
WITH count(*) AS created
UNWIND [['a','b',5.0], ['b','c',5.0], ['a','c',5.0],
        ['d','e',5.0], ['e','f',5.0], ['d','f',5.0],
        ['c','d',1.0]] AS tie
MATCH (s:Person {name: tie[0]}), (t:Person {name: tie[1]})
CREATE (s)-[:KNOWS {weight: tie[2]}]->(t)
"""
PROJECT = """
CALL gds.graph.project(
  'smoke', 'Person', {KNOWS: {orientation: 'UNDIRECTED', properties: 'weight'}}
)
YIELD nodeCount, relationshipCount
RETURN nodeCount, relationshipCount
"""
PAGERANK = """
CALL gds.pageRank.write('smoke', {writeProperty: 'pagerank', concurrency: 1})
YIELD nodePropertiesWritten RETURN nodePropertiesWritten
"""
LOUVAIN = """
CALL gds.louvain.write('smoke', {
  writeProperty: 'community', relationshipWeightProperty: 'weight', concurrency: 1
})
YIELD nodePropertiesWritten, communityCount RETURN nodePropertiesWritten, communityCount
"""


def test_gds_is_loaded(neo4j_driver: neo4j.Driver, neo4j_server: Neo4jServer) -> None:
    records = neo4j_driver.execute_query(
        "RETURN gds.version() AS version", database_=neo4j_server.database
    ).records
    assert records[0]["version"].startswith("2.13")


def test_pagerank_and_louvain_are_written_back(
    neo4j_driver: neo4j.Driver, neo4j_server: Neo4jServer
) -> None:
    def run(query: str) -> list[neo4j.Record]:
        return neo4j_driver.execute_query(query, database_=neo4j_server.database).records

    run(TWO_TRIANGLES)
    projected = run(PROJECT)[0]
    assert (projected["nodeCount"], projected["relationshipCount"]) == (6, 14)
    try:
        assert run(PAGERANK)[0]["nodePropertiesWritten"] == 6
        louvain = run(LOUVAIN)[0]
        assert (louvain["nodePropertiesWritten"], louvain["communityCount"]) == (6, 2)
    finally:
        run("CALL gds.graph.drop('smoke') YIELD graphName RETURN graphName")
    assert not run("CALL gds.graph.exists('smoke') YIELD exists RETURN exists")[0]["exists"]

    rows = run("MATCH (p:Person) RETURN p.name AS name, p.pagerank AS rank, p.community AS c")
    rank = {row["name"]: row["rank"] for row in rows}
    community = {row["name"]: row["c"] for row in rows}
    # The bridge ends c and d have three ties each, the others two.
    assert min(rank["c"], rank["d"]) > max(rank["a"], rank["b"], rank["e"], rank["f"])
    assert rank["a"] == pytest.approx(rank["f"])
    assert community["a"] == community["b"] == community["c"]
    assert community["d"] == community["e"] == community["f"]
    assert community["a"] != community["d"]


def test_http_answers_cypher(neo4j_server: Neo4jServer) -> None:
    if neo4j_server.http is None:
        pytest.skip("the external server given by NEO4J_URI has no NEO4J_HTTP")
    with urllib.request.urlopen(neo4j_server.http, timeout=10) as response:
        discovery = json.load(response)
    assert discovery["neo4j_version"].startswith("5.26")
    assert discovery["neo4j_edition"] == "community"

    token = base64.b64encode(f"{neo4j_server.user}:{neo4j_server.password}".encode()).decode()
    request = urllib.request.Request(
        f"{neo4j_server.http}/db/{neo4j_server.database}/tx/commit",
        data=json.dumps({"statements": [{"statement": "RETURN gds.version()"}]}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    assert answer["errors"] == []
    assert answer["results"][0]["data"][0]["row"][0].startswith("2.13")
