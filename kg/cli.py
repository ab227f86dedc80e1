"""The `kg` command line: one thin command per stage over the same functions as the Python API."""

import logging
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from kg import settings
from kg.errors import InputError, KgError

if TYPE_CHECKING:
    from kg.db import Neo4jSettings
    from kg.ingest import IngestSummary
    from kg.records import Book
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
        except KeyboardInterrupt as e:
            _stopped(e)


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


def _stopped(interrupt: KeyboardInterrupt) -> NoReturn:
    """A run stopped by a signal, once it has cleaned up: one line and the shell's exit code
    for that signal (128 + its number: 130 for Ctrl-C, 143 for SIGTERM)."""
    signum = signal.SIGTERM if isinstance(interrupt, _Terminated) else signal.SIGINT
    typer.echo(f"Stopped by {signum.name}.", err=True)
    raise typer.Exit(128 + signum) from None


def run() -> None:
    """The `kg` program: app() with SIGTERM handled as Ctrl-C is."""
    stop_on_sigterm()
    app(prog_name="kg")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised as Ctrl-C's KeyboardInterrupt is, so that the same clean-up runs."""


def stop_on_sigterm() -> None:
    """Make SIGTERM raise KeyboardInterrupt, as Ctrl-C does, so that a stopped run removes its
    temporary files and quits the browser it started."""
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> NoReturn:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the clean-up itself is not interrupted
    raise _Terminated


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
    # The driver logs each failed attempt while it retries; kg says in one line what failed.
    logging.getLogger("neo4j").setLevel(logging.WARNING if verbose else logging.CRITICAL)


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
def scrape_characters_command(
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
    from rich.progress import Progress

    from kg.files import write_characters
    from kg.scrape import scrape_characters

    console = Console(stderr=True)
    with (
        _fetcher(cache, refresh, delay, timeout, retries, browser, driver) as fetcher,
        Progress(console=console, transient=True, disable=not console.is_terminal) as bar,
    ):
        task = bar.add_task("character pages", total=None)
        result = scrape_characters(
            index_url,
            fetcher,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    write_characters(result.characters, out)
    found = ", ".join(f"{name} {count}" for name, count in result.fields_found().items())
    reasons = Counter(s.reason for s in result.skipped)
    skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(reasons.items()))
    red = sum(1 for c in result.characters if c.url is None)
    typer.echo(
        f"Wrote {len(result.characters)} characters to {out}"
        f" ({result.loaded} pages loaded, {result.cached} from cache"
        + (f"; {red} from red links, with name and first chapter only" if red else "")
        + ").\n"
        f"Fields found: {found}.\n"
        f"Skipped {len(result.skipped)} links" + (f": {skipped}." if skipped else ".")
    )


@scrape_app.command("text")
def scrape_text_command(
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
    from kg.files import write_atomic
    from kg.text import read_local

    if source is not None and url is None:
        book = read_local(source)
    elif url is not None and source is None:
        from kg.scrape import scrape_text

        with _fetcher(cache, refresh, delay, timeout, retries, browser, driver) as fetcher:
            book = scrape_text(url, fetcher)
    else:
        raise InputError("give either --url URL or a local SOURCE file or folder, not both")
    write_atomic(out, book)
    typer.echo(f"Wrote {out} ({book.count(chr(10))} lines, {len(book.split())} words).")


_Window = Annotated[
    int,
    typer.Option(
        min=1, max=settings.MAX_WINDOW, help="Mentions at most this many tokens apart co-occur."
    ),
]
_Model = Annotated[
    str | None,
    typer.Option(help="spaCy model package for discovery (a character list needs none)."),
]
_Coref = Annotated[
    bool,
    typer.Option(
        "--coref/--no-coref",
        help="Also resolve he/she/I to characters and write quotes.csv (speakers).",
    ),
]
_Narrator = Annotated[
    str | None,
    typer.Option(help="The character that 'I' is in the narration (implies --coref)."),
]
_OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Folder for the output files (created).")
]


@app.command("extract")
def extract_command(
    book: Annotated[Path, typer.Option(help="The book: a UTF-8 text file.")],
    out: _OutDir,
    characters: Annotated[
        Path | None,
        typer.Option(help="CHARS.jsonl with the characters to find; without it, discovery."),
    ] = None,
    window: _Window = settings.WINDOW,
    model: _Model = None,
    heading: Annotated[
        str | None,
        typer.Option(help="Regex of a chapter heading line (a group named title is its title)."),
    ] = None,
    overrides: Annotated[
        Path | None,
        typer.Option(help="CSV surface,chapter,character deciding ambiguous names."),
    ] = None,
    nicknames: Annotated[
        Path | None,
        typer.Option(help="CSV name,nickname used instead of kg's nickname table."),
    ] = None,
    caps: Annotated[
        bool, typer.Option("--caps", help="Also match names written in capitals (headings).")
    ] = False,
    discover: Annotated[
        bool,
        typer.Option("--discover", help="With --characters, also add the people the list lacks."),
    ] = False,
    coref: _Coref = False,
    narrator: _Narrator = None,
) -> None:
    """Find the characters' mentions in a book and their co-occurrence network."""
    from kg.book import read_book
    from kg.extract import extract
    from kg.files import read_characters, read_nicknames, read_overrides

    text = read_book(book, heading)
    _say_what_was_cut(text)
    result = extract(
        text,
        read_characters(characters) if characters else None,
        window=window,
        model=model,
        overrides=read_overrides(overrides) if overrides else (),
        nicknames=read_nicknames(nicknames) if nicknames else None,
        caps=caps,
        discover=discover,
        coref=coref,
        narrator=narrator,
    )
    result.save(out, characters_file=characters.name if characters else None)
    typer.echo(
        f"Found {len(result.mentions)} mentions of {len(result.stats)} characters"
        f" in {len(result.book.chapters)} chapters, {len(result.interactions)} interacting"
        f" pairs; wrote {out}."
    )


@app.command("report")
def report(
    outdir: Annotated[
        Path, typer.Option("--from", help="Output folder of kg extract to make the report of.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="HTML file to write (default: OUTDIR/report.html)."),
    ] = None,
    book: Annotated[
        Path | None,
        typer.Option(help="The book OUTDIR was extracted from: a tie then shows its passages."),
    ] = None,
) -> None:
    """Write a self-contained HTML report: the network with a chapter slider, and tables."""
    from kg.book import read_book
    from kg.report import write_report

    text = read_book(book).text if book is not None else None
    typer.echo(f"Wrote {write_report(outdir, out, text=text)}")


_Series = Annotated[
    str | None,
    typer.Option(
        help="Series the book belongs to; its books share characters [default: the book's title]."
    ),
]
_Volume = Annotated[
    int | None, typer.Option(min=1, help="The book's place in its series (1 for the first).")
]
_Uri = Annotated[
    str | None,
    typer.Option(help="Neo4j server, e.g. bolt://127.0.0.1:7687 [default: $NEO4J_URI]."),
]
_User = Annotated[str | None, typer.Option(help="Neo4j user [default: $NEO4J_USER or neo4j].")]
_Database = Annotated[
    str | None, typer.Option(help="Neo4j database [default: $NEO4J_DATABASE or neo4j].")
]


@contextmanager
def _neo4j(uri: str | None, user: str | None, database: str | None) -> Iterator[tuple[Any, str]]:
    """A checked driver and its database, from _neo4j_settings."""
    from kg.db import connect

    neo4j = _neo4j_settings(uri, user, database, required=True)
    with connect(neo4j) as driver:
        yield driver, neo4j.database


def _neo4j_settings(
    uri: str | None, user: str | None, database: str | None, *, required: bool = False
) -> "Neo4jSettings":
    """Flags first, then NEO4J_* variables; the password comes from NEO4J_PASSWORD or, when a
    server is named (or `required`), a hidden prompt: never from the command line."""
    from pydantic import SecretStr

    from kg.db import Neo4jSettings

    given: dict[str, Any] = {"uri": uri, "user": user, "database": database}
    neo4j = Neo4jSettings(**{k: v for k, v in given.items() if v is not None})
    if neo4j.password is None and (neo4j.uri or required):
        neo4j.password = SecretStr(typer.prompt("Neo4j password", hide_input=True))
    return neo4j


@app.command("load")
def load(
    outdir: Annotated[Path, typer.Option("--from", help="Output folder of kg extract to load.")],
    characters: Annotated[
        Path | None,
        typer.Option(help="CHARS.jsonl with the characters' facts [default: OUTDIR's]."),
    ] = None,
    book_title: Annotated[
        str | None, typer.Option(help="Load the book under this title [default: book.json's].")
    ] = None,
    series: _Series = None,
    volume: _Volume = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Swap out this book's loaded data; other books stay."),
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Rows per transaction.")] = (
        settings.BATCH_SIZE
    ),
    uri: _Uri = None,
    user: _User = None,
    database: _Database = None,
) -> None:
    """Load an extraction into Neo4j; loading the same data again changes nothing."""
    from kg.files import read_characters
    from kg.load import load_data, read_outdir

    facts = read_characters(characters) if characters else None
    data = read_outdir(
        outdir, characters=facts, book_title=book_title, series=series, volume=volume
    )
    with _neo4j(uri, user, database) as (driver, db):
        summary = load_data(data, driver, database=db, replace=replace, batch_size=batch_size)
    typer.echo(
        f"Loaded {summary.book!r} ({summary.action}, series {summary.series!r}): "
        f"{summary.chapters} chapters, "
        f"{summary.characters} characters, {summary.appearances} appearances, "
        f"{summary.interactions} interactions, {summary.family_ties} family ties "
        f"in {summary.batches} batches. Next: kg analyze."
    )


@app.command("analyze")
def analyze(
    backend: Annotated[
        Literal["auto", "gds", "networkx"],
        typer.Option(help="gds needs the GDS plugin; auto uses it when present."),
    ] = "auto",
    book: Annotated[str | None, typer.Option(help="Analyse this book only.")] = None,
    series: Annotated[str | None, typer.Option(help="Analyse this series' books together.")] = (
        None
    ),
    everything: Annotated[
        bool, typer.Option("--all", help="Analyse every series at once (each apart from the rest).")
    ] = False,
    as_of_chapter: Annotated[
        int | None,
        typer.Option(min=1, help="Count only chapters 1..K: the network as of chapter K."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the community detection.")] = settings.SEED,
    uri: _Uri = None,
    user: _User = None,
    database: _Database = None,
) -> None:
    """Write pagerank, community (Louvain), leiden_community and betweenness to characters.

    Without --book, --series or --all, a database holding one series is analysed whole.
    """
    from kg.analyze import analyze_in_neo4j

    with _neo4j(uri, user, database) as (driver, db):
        summary = analyze_in_neo4j(
            driver,
            database=db,
            backend=backend,
            book=book,
            series=series,
            everything=everything,
            as_of_chapter=as_of_chapter,
            seed=seed,
        )
    engine = f"GDS {summary.gds_version}" if summary.backend == "gds" else "networkx"
    leiden = (
        f", {summary.leiden_communities} Leiden communities"
        if summary.leiden_communities is not None
        else ""
    )
    typer.echo(
        f"Analysed {summary.characters} characters and {summary.interactions} ties with "
        f"{engine}: {summary.communities} Louvain communities "
        f"(modularity {summary.modularity:.3f}){leiden}."
    )


@app.command("query")
def query(
    name: Annotated[
        str | None,
        typer.Argument(help="A query of queries/ (name without .cypher) or a .cypher file."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="key=value (a number or text); repeatable."),
    ] = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="Allow the query to write (it runs read-only otherwise)."),
    ] = False,
    uri: _Uri = None,
    user: _User = None,
    database: _Database = None,
) -> None:
    """Run a saved Cypher query and print its rows as a table; without NAME, list the queries.

    The query runs in a read transaction: one that writes is refused unless --write is given.
    """
    from rich.table import Table

    from kg.cypher import QUERIES_DIR, parse_literal, read_query

    if name is None:
        table = Table("query", "answers")
        for path in sorted(QUERIES_DIR.glob("*.cypher")):
            table.add_row(path.stem, read_query(path.stem).summary)
        Console().print(table)
        return
    chosen = read_query(name)
    values: dict[str, object] = {}
    for item in param or []:
        key, equals, text = item.partition("=")
        if not equals or not key:
            raise InputError(f"--param {item!r}: write it as key=value")
        values[key] = parse_literal(text)
    from kg.db import run_query

    with _neo4j(uri, user, database) as (driver, db):
        keys, records = run_query(driver, chosen, values, database=db, write=write)
    shown = [k for k in keys if not any(_drawn_only(r[k]) for r in records)]
    table = Table(*shown, title=chosen.summary)
    for record in records:
        table.add_row(*(_cell(record[k]) for k in shown))
    Console().print(table)
    hidden = [k for k in keys if k not in shown]
    drawn = f" (Neo4j Browser also draws {', '.join(hidden)})" if hidden else ""
    typer.echo(f"{len(records)} rows{drawn}")


def _drawn_only(value: object) -> bool:
    """Relationships and paths (or lists of them): for Browser to draw, not for a table."""
    from neo4j.graph import Path as GraphPath
    from neo4j.graph import Relationship

    if isinstance(value, list):
        return any(_drawn_only(v) for v in value)
    return isinstance(value, Relationship | GraphPath)


def _cell(value: object) -> str:
    """A query result value as table text: numbers to 4 significant digits, lists joined,
    nodes by their name."""
    from neo4j.graph import Node

    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, Node):
        return str(value.get("name") or value.element_id)
    return str(value)


@app.command("ingest")
def ingest_command(
    book: Annotated[Path, typer.Option(help="The book: a UTF-8 text file.")],
    out: _OutDir = Path("kg-out"),
    characters: Annotated[
        Path | None, typer.Option(help="CHARS.jsonl with the characters to find.")
    ] = None,
    index_url: Annotated[
        str | None,
        typer.Option(help="Scrape the characters from this wiki character index first."),
    ] = None,
    discover: Annotated[
        bool, typer.Option("--discover", help="Also find people the character list lacks.")
    ] = False,
    title: Annotated[
        str | None, typer.Option(help="The book's title [default: the file name].")
    ] = None,
    window: _Window = settings.WINDOW,
    model: _Model = None,
    coref: _Coref = False,
    narrator: _Narrator = None,
    series: _Series = None,
    volume: _Volume = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Swap out this book's data already in Neo4j.")
    ] = False,
    uri: _Uri = None,
    user: _User = None,
    database: _Database = None,
) -> None:
    """Run the whole job: (scrape ->) extract -> report, and load + analyze when Neo4j is set.

    Without a Neo4j URI (flag or NEO4J_URI) everything stays in OUTDIR.
    """
    from kg.files import read_characters
    from kg.ingest import ingest

    if characters and index_url:
        raise InputError("give --characters or --index-url, not both")
    neo4j = _neo4j_settings(uri, user, database)
    with _stages() as on_stage:
        summary = ingest(
            book,
            out,
            characters=read_characters(characters) if characters else None,
            characters_file=characters.name if characters else None,
            index_url=index_url,
            neo4j=neo4j,
            title=title,
            series=series,
            volume=volume,
            replace=replace,
            window=window,
            model=model,
            discover=discover,
            coref=coref,
            narrator=narrator,
            on_stage=on_stage,
        )
    _print_summary(summary)


@app.command("batch")
def batch_command(
    books: Annotated[
        Path,
        typer.Option(help="A folder of .txt books, or a manifest CSV (path,title,...)."),
    ],
    out: _OutDir,
    jobs: Annotated[int, typer.Option(min=1, help="Books extracted at once (processes).")] = 1,
    report: Annotated[
        bool, typer.Option("--report", help="Also write each book's report.html.")
    ] = False,
    load: Annotated[
        bool, typer.Option("--load", help="Load each book into Neo4j as it is done.")
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Run on this Dask scheduler (tcp://HOST:PORT) instead of --jobs."),
    ] = None,
    window: _Window = settings.WINDOW,
    model: _Model = None,
    coref: _Coref = False,
    uri: _Uri = None,
    user: _User = None,
    database: _Database = None,
) -> None:
    """Extract many books at once into OUT/<title>; resumable, one bad book stops no other."""
    import time

    from rich.table import Table

    from kg.batch import batch, progress_line, read_books, table_rows

    todo = read_books(books, out)
    console = Console(stderr=True)
    started = time.perf_counter()
    counts = {"done": 0, "words": 0}

    def on_result(result: Any) -> None:
        counts["done"] += 1
        counts["words"] += result.words
        status.update(
            progress_line(counts["done"], len(todo), counts["words"], time.perf_counter() - started)
        )

    with ExitStack() as stack:
        client = stack.enter_context(_dask_client(scheduler)) if scheduler else None
        driver, db = stack.enter_context(_neo4j(uri, user, database)) if load else (None, "")
        status = stack.enter_context(console.status(f"0/{len(todo)} books"))
        summary = batch(
            todo,
            out,
            jobs=jobs,
            client=client,
            window=window,
            model=model,
            report=report,
            coref=coref,
            driver=driver,
            database=db or "neo4j",
            on_result=on_result,
        )
    table = Table("book", "chapters", "characters", "mentions", "seconds", "error")
    for row in table_rows(summary):
        table.add_row(*row)
    Console().print(table)
    ran = sum(not r.skipped for r in summary.results)
    typer.echo(
        f"{len(summary.results)} books: {ran - len(summary.failures)} extracted,"
        f" {len(summary.results) - ran} up to date, {len(summary.failures)} failed"
        f" (listed in {out / 'failures.csv'}); {summary.words:,} words in"
        f" {summary.seconds:.1f} s."
    )
    if summary.failures:
        raise typer.Exit(1)


@contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A Dask client of the scheduler at `address`; InputError when it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs Dask: pip install 'kg[dask]'") from None
    try:
        client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    with client:
        yield client


@app.command("demo")
def demo_command(
    out: _OutDir = Path("kg-demo"),
    browser: Annotated[
        bool,
        typer.Option(help="Scrape the sample wiki with Chromium (if installed) or read its files."),
    ] = True,
) -> None:
    """Run the whole job on the bundled sample novella and its wiki; no database needed."""
    from kg.demo import demo

    with _stages() as on_stage:
        summary, how = demo(out, browser=browser, on_stage=on_stage)
    typer.echo(f"Sample wiki {how}.")
    _print_summary(summary)


@contextmanager
def _stages() -> Iterator[Any]:
    """A status line on stderr naming the stage that runs; yields the on_stage callback."""
    console = Console(stderr=True)
    with console.status("starting") as status:
        yield lambda name: status.update(f"{name}...")


def _say_what_was_cut(book: "Book") -> None:
    """One line on stderr when a Project Gutenberg header and licence were cut off."""
    if book.gutenberg is None:
        return
    start, end = book.gutenberg
    lines = book.text.count("\n") + (not book.text.endswith("\n"))
    first, last = book.text.count("\n", 0, start) + 1, book.text.count("\n", 0, end - 1) + 1
    typer.echo(
        f"{book.source or book.title}: read lines {first}-{last} of {lines} as the book; the"
        " Project Gutenberg header and licence around them are cut off (book.json: gutenberg).",
        err=True,
    )


def _print_summary(summary: "IngestSummary") -> None:
    from rich.table import Table

    result = summary.extraction
    _say_what_was_cut(result.book)
    typer.echo(
        f"{result.book.title}: {len(result.book.chapters)} chapters, {len(result.stats)}"
        f" characters, {len(result.mentions)} mentions, {len(result.interactions)} interacting"
        f" pairs, {len({s.community for s in result.stats})} communities."
    )
    if summary.scrape is not None:
        scraped = summary.scrape
        typer.echo(
            f"Scraped {len(scraped.characters)} characters ({scraped.loaded} pages loaded,"
            f" {scraped.cached} from cache, {len(scraped.skipped)} links skipped)."
        )
    table = Table("character", "mentions", "pagerank", "community", title="Top characters")
    for s in result.stats[:10]:
        table.add_row(s.name, str(s.mentions), f"{s.pagerank:.4f}", str(s.community))
    Console().print(table)
    if summary.load is not None and summary.analysis is not None:
        typer.echo(
            f"Loaded into Neo4j as {summary.load.book!r} ({summary.load.action}); analysed with"
            f" {summary.analysis.backend}: {summary.analysis.communities} communities."
        )
    timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.seconds.items())
    typer.echo(f"Time: {timing}.")
    typer.echo(f"Wrote {summary.outdir}: open {summary.report} in a browser.")
