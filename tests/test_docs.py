"""The README is the contract: every command is documented and has help, and its examples run."""

import os
import re
import subprocess
import sys
from pathlib import Path

import neo4j
import pytest
import typer
from conftest import Neo4jServer

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, str | None]]:
    """(full command name, help text) of every kg command and subcommand."""
    found = []

    def walk(group: typer.Typer, prefix: str) -> None:
        for command in group.registered_commands:
            name = command.name or (command.callback.__name__ if command.callback else "")
            found.append((f"{prefix}{name}", command.help or (command.callback or walk).__doc__))
        for sub in group.registered_groups:
            assert sub.typer_instance is not None and sub.name is not None
            walk(sub.typer_instance, f"{prefix}{sub.name} ")

    walk(app, "kg ")
    return found


def test_there_are_commands() -> None:
    names = {name for name, _ in _commands()}
    assert {"kg extract", "kg ingest", "kg demo", "kg scrape characters", "kg load"} <= names


@pytest.mark.parametrize(("name", "help_text"), _commands())
def test_command_has_help_and_is_in_the_readme(name: str, help_text: str | None) -> None:
    assert help_text and help_text.strip(), f"{name} has no help text"
    documented = re.search(rf"(`|^){re.escape(name)}( |`|$)", README, re.M)
    assert documented, f"{name} is not in the README"


def test_quickstart_is_two_commands_that_exist() -> None:
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quickstart, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert commands[0].endswith("kg demo")
    assert commands[1] == "bash .ci/run"
    assert (ROOT / ".ci" / "run").is_file()


EXAMPLES = re.findall(r"```python\n(.*?)```", README, re.S)
LOCAL = [e for e in EXAMPLES if "kg.connect" not in e]
WITH_NEO4J = [e for e in EXAMPLES if "kg.connect" in e]


def _run(examples: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run README examples in order in one folder (with the sample linked in); their output."""
    if not (cwd / "data").exists():
        (cwd / "data").symlink_to(ROOT / "data")
    output = []
    for example in examples:
        done = subprocess.run(
            [sys.executable, "-c", example],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, f"{example}\n{done.stderr}"
        output.append(done.stdout)
    return "".join(output)


@pytest.mark.browser
def test_readme_python_examples_run(tmp_path: Path) -> None:
    assert len(LOCAL) >= 2
    output = _run(LOCAL, tmp_path)
    assert "Tobias Thornley" in output
    assert (tmp_path / "characters.jsonl").is_file() and (tmp_path / "out").is_dir()


@pytest.mark.neo4j
def test_readme_neo4j_example_runs(
    tmp_path: Path, neo4j_server: Neo4jServer, neo4j_driver: neo4j.Driver
) -> None:
    assert len(WITH_NEO4J) == 1
    env = {
        **os.environ,
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USER": neo4j_server.user,
        "NEO4J_PASSWORD": neo4j_server.password,
    }
    api = [e for e in LOCAL if "kg.Graph.from_dir" in e]
    output = _run([*api, *WITH_NEO4J], tmp_path, env)
    assert "Tobias Thornley" in output.rsplit("pagerank", 1)[-1]
    (ranked,) = neo4j_driver.execute_query(
        "MATCH (c:Character) WHERE c.pagerank IS NOT NULL RETURN count(c) AS n"
    ).records
    assert ranked["n"] == 19
