"""The package itself: its public names, and what importing it loads."""

import json
import subprocess
import sys
from types import ModuleType

import pytest


def _loaded(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return {name.partition(".")[0] for name in json.loads(out.splitlines()[-1])}


HEAVY = {"neo4j", "pandas", "spacy", "networkx", "selenium"}


def test_importing_kg_loads_none_of_the_heavy_libraries() -> None:
    assert not HEAVY & _loaded("import kg")


def test_the_extract_stage_and_the_network_load_no_database_driver() -> None:
    assert not {"neo4j", "pandas", "spacy", "bs4"} & _loaded("import kg.extract, kg.network")


def test_every_public_name_resolves_and_a_submodule_never_hides_it() -> None:
    code = (
        "import importlib, json, kg\n"
        "for m in ('analyze', 'batch', 'extract', 'ingest', 'load'):\n"
        "    importlib.import_module('kg.' + m)\n"
        "print(json.dumps({n: type(getattr(kg, n)).__name__ for n in kg.__all__}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    kinds = json.loads(out.splitlines()[-1])
    assert kinds["extract"] == kinds["load"] == kinds["ingest"] == "function"
    assert kinds["analyze"] == kinds["batch"] == kinds["connect"] == "function"
    assert kinds["Book"] == kinds["Extraction"] == kinds["KgError"] == "type"
    assert "module" not in kinds.values()


def test_the_public_names_are_the_documented_objects() -> None:
    import kg
    from kg.analyze import analyze_in_neo4j
    from kg.db import connect_to
    from kg.extract import extract

    assert kg.extract is extract
    assert kg.analyze is analyze_in_neo4j
    assert kg.connect is connect_to
    assert not isinstance(kg.load, ModuleType)
    assert set(dir(kg)) >= set(kg.__all__)
    with pytest.raises(AttributeError, match="no_such_name"):
        kg.no_such_name  # noqa: B018


def test_the_command_line_help_loads_no_library_a_command_needs() -> None:
    loaded = _loaded(
        "from typer.testing import CliRunner\n"
        "from kg.cli import app\n"
        "for args in (['--help'], ['extract', '--help'], ['load', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0"
    )
    assert not (HEAVY | {"pydantic_settings", "bs4"}) & loaded  # typer itself loads pydantic
