"""The `kg` command line: one thin command per stage over the same functions as the Python API."""

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress
from typer.core import TyperGroup

from kg import settings
from kg.errors import InputError, KgError
from kg.files import write_atomic, write_characters
from kg.text import read_local

if TYPE_CHECKING:
    from kg.scrape import Fetcher


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


scrape_app = typer.Typer(
    cls=_KgGroup,
    help="Collect a wiki's characters, or a book's text, with headless Chromium.",
    no_args_is_help=True,
)
app.add_typer(scrape_app, name="scrape")

_Cache = Annotated[
    Path,
    typer.Option(help="Folder of cached pages; reruns read it, so a stopped scrape resumes."),
]
_Refresh = Annotated[bool, typer.Option("--refresh", help="Load every page again, not from cache.")]
_Delay = Annotated[float, typer.Option(min=0, help="Seconds between two page loads (politeness).")]
_Timeout = Annotated[float, typer.Option(min=0.1, help="Seconds a page may take to load.")]
_Retries = Annotated[int, typer.Option(min=1, help="Attempts per page on timeouts, 429 and 5xx.")]
_BrowserPath = Annotated[Path, typer.Option("--browser", help="The Chromium executable.")]
_DriverPath = Annotated[Path, typer.Option("--driver", help="The chromedriver executable.")]


@contextmanager
def _fetcher(
    cache: Path,
    refresh: bool,
    delay: float,
    timeout: float,
    retries: int,
    binary: Path,
    driver: Path,
) -> Iterator["Fetcher"]:
    from kg.scrape import Browser, Fetcher

    with Browser(binary=binary, driver=driver, timeout=timeout) as browser:
        yield Fetcher(browser, cache, delay=delay, retries=retries, refresh=refresh)


@scrape_app.command("characters")
def scrape_characters(
    index_url: Annotated[
        str, typer.Option(help="Wiki page listing characters under chapter headings.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="CHARS.jsonl file to write.")],
    limit: Annotated[
        int | None, typer.Option(min=1, help="Read only the first N character pages.")
    ] = None,
    cache: _Cache = Path(settings.SCRAPE_CACHE),
    refresh: _Refresh = False,
    delay: _Delay = settings.SCRAPE_DELAY,
    timeout: _Timeout = settings.SCRAPE_TIMEOUT,
    retries: _Retries = settings.SCRAPE_RETRIES,
    browser: _BrowserPath = Path(settings.CHROMIUM),
    driver: _DriverPath = Path(settings.CHROMEDRIVER),
) -> None:
    """Scrape a wiki's character index and character pages into CHARS.jsonl."""
    from kg.scrape import scrape_characters as scrape

    with (
        _fetcher(cache, refresh, delay, timeout, retries, browser, driver) as fetcher,
        Progress(console=Console(stderr=True), transient=True) as bar,
    ):
        task = bar.add_task("character pages", total=None)
        result = scrape(
            index_url,
            fetcher,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    write_characters(result.characters, out)
    found = ", ".join(f"{name} {count}" for name, count in result.fields_found().items())
    reasons = Counter(s.reason for s in result.skipped)
    typer.echo(
        f"Wrote {len(result.characters)} characters to {out}"
        f" ({result.loaded} pages loaded, {result.cached} from cache).\n"
        f"Fields found: {found}.\n"
        f"Skipped {len(result.skipped)} links"
        + "".join(f"; {count} {reason}" for reason, count in sorted(reasons.items()))
        + "."
    )


@scrape_app.command("text")
def scrape_text(
    out: Annotated[Path, typer.Option("--out", "-o", help="BOOK.txt file to write (UTF-8).")],
    source: Annotated[
        Path | None,
        typer.Argument(help="Local file (plain text or HTML) or folder of them, in name order."),
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Web page with the book (HTML or plain text).")
    ] = None,
    cache: _Cache = Path(settings.SCRAPE_CACHE),
    refresh: _Refresh = False,
    delay: _Delay = settings.SCRAPE_DELAY,
    timeout: _Timeout = settings.SCRAPE_TIMEOUT,
    retries: _Retries = settings.SCRAPE_RETRIES,
    browser: _BrowserPath = Path(settings.CHROMIUM),
    driver: _DriverPath = Path(settings.CHROMEDRIVER),
) -> None:
    """Save a book's readable text as normalised UTF-8, from a web page or local files."""
    if source is not None and url is None:
        book = read_local(source)
    elif url is not None and source is None:
        from kg.scrape import scrape_text as scrape

        with _fetcher(cache, refresh, delay, timeout, retries, browser, driver) as fetcher:
            book = scrape(url, fetcher)
    else:
        raise InputError("give either --url URL or a local SOURCE file or folder, not both")
    write_atomic(out, book)
    typer.echo(f"Wrote {out} ({book.count(chr(10))} lines, {len(book.split())} words).")


@app.command("report")
def report(
    outdir: Annotated[
        Path, typer.Option("--from", help="Output folder of kg extract to make the report of.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="HTML file to write (default: OUTDIR/report.html)."),
    ] = None,
) -> None:
    """Write a self-contained HTML report: the network with a chapter slider, and tables."""
    from kg.report import write_report

    typer.echo(f"Wrote {write_report(outdir, out)}")
