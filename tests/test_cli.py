"""The CLI frame: usage errors and KgErrors become one line on stderr and a non-zero exit."""

import typer
from conftest import one_error_line
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError

runner = CliRunner()


def test_bad_flag_is_one_line_and_exit_2() -> None:
    result = runner.invoke(app, ["--no-such-flag"])
    assert result.exit_code == 2
    assert "--no-such-flag" in one_error_line(result.output)


def test_unknown_command_is_one_line() -> None:
    result = runner.invoke(app, ["no-such-command"])
    assert result.exit_code == 2
    assert one_error_line(result.output).startswith("Error: No such command")


def test_kg_error_in_a_command_is_one_line_and_exit_1() -> None:
    probe = typer.Typer(cls=type(typer.main.get_group(app)))

    @probe.command()
    def fails() -> None:
        raise InputError("book.txt: no such file")

    @probe.command()
    def other() -> None:
        """A second command, so that the group keeps its subcommand names."""

    result = runner.invoke(probe, ["fails"])
    assert result.exit_code == 1
    assert one_error_line(result.output) == "Error: book.txt: no such file"


def test_python_m_kg_shows_help() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "knowledge graph" in done.stdout
