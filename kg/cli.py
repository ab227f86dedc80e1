"""The `kg` command line: one thin command per stage over the same functions as the Python API."""

import logging
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kg.errors import KgError


class _KgGroup(TyperGroup):
    """Turns every KgError raised below into one line on stderr and exit code 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as e:
            typer.echo(f"Error: {e}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_KgGroup,
    help="Turn novels into a knowledge graph of their characters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show progress details.")
    ] = False,
) -> None:
    """kg: scrape -> extract -> load -> analyze."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s: %(message)s",
        force=True,
    )
