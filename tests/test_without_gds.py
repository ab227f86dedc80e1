"""kg on a plain Neo4j, without the Graph Data Science plugin (a real second server)."""

from pathlib import Path

import neo4j
import pytest
from conftest import Neo4jServer, neo4j_env, one_error_line
from typer.testing import CliRunner

import kg
from kg.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path, neo4j_driver_without_gds: neo4j.Driver) -> kg.Extraction:
    result = kg.extract(
        kg.read_book(SAMPLE / "book.txt"), kg.read_characters(SAMPLE / "characters.jsonl")
    )
    kg.load(result, neo4j_driver_without_gds)
    return result


@pytest.mark.neo4j
def test_analyze_falls_back_to_networkx_with_the_same_results(
    loaded: kg.Extraction,
    neo4j_server_without_gds: Neo4jServer,
    neo4j_driver_without_gds: neo4j.Driver,
) -> None:
    result = runner.invoke(app, ["analyze"], env=neo4j_env(neo4j_server_without_gds))
    assert result.exit_code == 0, result.output
    assert "with networkx" in result.output and "Leiden" not in result.output
    stored = {
        r["name"]: (r["pagerank"], r["community"])
        for r in neo4j_driver_without_gds.execute_query(
            "MATCH (c:Character) WHERE c.pagerank IS NOT NULL "
            "RETURN c.name AS name, c.pagerank AS pagerank, c.community AS community"
        ).records
    }
    assert set(stored) == {s.name for s in loaded.stats}
    for s in loaded.stats:
        assert stored[s.name][0] == pytest.approx(s.pagerank, abs=1e-9)
        assert stored[s.name][1] == s.community


@pytest.mark.neo4j
def test_asking_for_gds_is_a_one_line_error(
    loaded: kg.Extraction, neo4j_server_without_gds: Neo4jServer
) -> None:
    env = neo4j_env(neo4j_server_without_gds)
    result = runner.invoke(app, ["analyze", "--backend", "gds"], env=env)
    assert result.exit_code == 1
    assert "no Graph Data Science plugin" in one_error_line(result.output)
    assert neo4j_server_without_gds.password not in result.output
