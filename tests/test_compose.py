"""docker-compose.yml is for users with Docker; no engine runs here, so parse and check it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_compose_runs_neo4j_526_with_gds_and_apoc() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    plugins = yaml.safe_load(neo4j["environment"]["NEO4J_PLUGINS"])
    assert set(plugins) >= {"graph-data-science", "apoc"}
    assert set(neo4j["ports"]) == {"7474:7474", "7687:7687"}
    assert "${NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]
    volume = neo4j["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]
    assert "test" in neo4j["healthcheck"]
