"""The `kg` command line: one thin command per stage over the same functions as the Python API."""

import logging
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from kg.errors import KgError


class _KgGroup(TyperGroup):
    """Turns KgErrors and usage errors into one line on stderr and a non-zero exit."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as e:
            _fail(e)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (KgError, typer.TyperException) as e:
            _fail(e)


def _fail(error: Exception) -> NoReturn:
    if type(error).__name__ == "NoArgsIsHelpError":
        raise error
    if isinstance(error, typer.TyperException):
        code: int = getattr(error, "exit_code", 2)
        hint = " (see --help)" if code == 2 else ""
        typer.echo(f"Error: {error.format_message()}{hint}", err=True)
        raise typer.Exit(code) from None
    typer.echo(f"Error: {error}", err=True)
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
