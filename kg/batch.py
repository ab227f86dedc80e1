"""Many books at once: extract (and report) every book of a folder or a manifest.

Books run in parallel processes on this machine, or as tasks on a Dask cluster (`client`).
A batch is resumable: a book whose output folder is complete, newer than its inputs and made
with the same settings is skipped. One bad book never stops the others: its one-line error
is in its result and in OUT/failures.csv.
"""

import csv
import ctypes
import io
import os
import re
import sys
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing
from dataclasses import dataclass
from dataclasses import replace as replace_fields
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

from kg import files
from kg.errors import InputError, KgError
from kg.nlp import TOKENIZER, model_name
from kg.settings import WINDOW

if TYPE_CHECKING:
    from distributed import Client
    from neo4j import Driver

MANIFEST_COLUMNS = ("path", "title", "series", "characters", "narrator")
"""A manifest CSV: `path` required (relative to the manifest's folder), the others optional."""
FAILURES_FILE = "failures.csv"
FAILURE_COLUMNS = ("book", "path", "error")
BOOK_FILE = "book.json"
REPORT_FILE = "report.html"
_UNSAFE = re.compile(r"[^\w.-]+")
_M_MMAP_THRESHOLD = -3
"""glibc's mallopt parameter number for the size from which malloc maps fresh pages."""
_MMAP_THRESHOLD = 32 * 2**20
"""The ceiling of glibc's own moving threshold on 64-bit systems."""
_MALLOC_PINS = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_")


@dataclass(frozen=True)
class BatchBook:
    """One book of a batch: its text file, title, series, character list, output folder and
    narrator (the character "I" is in its narration; kg.extract's `narrator`)."""

    path: Path
    title: str
    outdir: Path
    series: str | None = None
    characters: Path | None = None
    narrator: str | None = None


@dataclass(frozen=True)
class BookResult:
    """What happened to one book: counts when it ran, `error` (one line) when it failed."""

    book: BatchBook
    words: int = 0
    chapters: int = 0
    characters: int = 0
    mentions: int = 0
    seconds: float = 0.0
    skipped: bool = False
    error: str | None = None


@dataclass(frozen=True)
class BatchSummary:
    """Every book's result, in the order the books were given, and the batch's wall time."""

    out: Path
    results: tuple[BookResult, ...]
    seconds: float

    @property
    def failures(self) -> tuple[BookResult, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def words(self) -> int:
        """Words of the books that ran (skipped and failed books not counted)."""
        return sum(r.words for r in self.results if not r.skipped and r.error is None)


def read_books(source: Path, out: Path) -> list[BatchBook]:
    """The books of a folder (every *.txt in it, by name) or of a manifest CSV.

    Each book's output folder is OUT/<title>, the title made safe for a file name.
    """
    if source.is_dir():
        books = [
            BatchBook(path, path.stem, out / _folder_name(path.stem))
            for path in sorted(source.glob("*.txt"))
            if path.is_file()
        ]
        if not books:
            raise InputError(f"{source}: no .txt books in this folder")
    else:
        books = _read_manifest(source, out)
    _check_unique(books)
    return books


def _read_manifest(path: Path, out: Path) -> list[BatchBook]:
    text = files.read_bytes(path).decode("utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None or "path" not in reader.fieldnames:
        raise InputError(f"{path}: a manifest CSV needs a header with a 'path' column")
    unknown = set(reader.fieldnames) - set(MANIFEST_COLUMNS)
    if unknown:
        raise InputError(
            f"{path}: unknown column(s) {', '.join(sorted(unknown))};"
            f" a manifest has {', '.join(MANIFEST_COLUMNS)}"
        )
    books = []
    for row in reader:
        line = reader.line_num
        where = (row.get("path") or "").strip()
        if not where:
            raise InputError(f"{path}, line {line}: empty path")
        book = path.parent / where
        title = (row.get("title") or "").strip() or book.stem
        characters = (row.get("characters") or "").strip()
        books.append(
            BatchBook(
                book,
                title,
                out / _folder_name(title),
                (row.get("series") or "").strip() or None,
                path.parent / characters if characters else None,
                (row.get("narrator") or "").strip() or None,
            )
        )
    if not books:
        raise InputError(f"{path}: the manifest lists no books")
    return books


def _folder_name(title: str) -> str:
    return _UNSAFE.sub("_", title).strip("._") or "book"


def _check_unique(books: Sequence[BatchBook]) -> None:
    seen: dict[Path, str] = {}
    for book in books:
        if book.outdir in seen:
            raise InputError(
                f"books {seen[book.outdir]!r} and {book.title!r} would share the output folder"
                f" {book.outdir}: give them different titles"
            )
        seen[book.outdir] = book.title


def batch(
    books: Sequence[BatchBook] | Path,
    out: Path,
    *,
    jobs: int = 1,
    client: "Client | None" = None,
    window: int = WINDOW,
    model: str | None = None,
    report: bool = False,
    coref: bool = False,
    driver: "Driver | None" = None,
    database: str = "neo4j",
    on_result: Callable[[BookResult], object] | None = None,
) -> BatchSummary:
    """Extract every book (and write its report) into OUT/<title>, `jobs` at a time.

    `books`: BatchBooks, or a folder of .txt files or a manifest CSV (see `read_books`).
    With a Dask `client` the books run as tasks on its workers (which must see the same
    files); else in `jobs` processes here (in this process when `jobs` is 1). Books whose
    outputs are up to date are skipped. `coref`: resolve pronouns and quotations (kg.extract;
    a book with a `narrator` always does). `on_result` is called with each book's result as it
    comes; OUT/failures.csv lists the books that failed. With a Neo4j `driver`, each book
    that has its outputs is loaded (by this process, one book at a time, with kg.load's
    idempotent loader) as soon as it is done.
    """
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, not {jobs}")
    if isinstance(books, Path):
        books = read_books(books, out)
    started = time.perf_counter()
    results: dict[BatchBook, BookResult] = {}

    def finish(result: BookResult) -> None:
        if driver is not None and result.error is None:
            result = _load(result, driver, database)
        results[result.book] = result
        if on_result is not None:
            on_result(result)

    todo = []
    for book in books:
        if _up_to_date(book, window, model, report, coref):
            finish(BookResult(book, skipped=True))
        else:
            todo.append(book)
    with closing(_run(todo, jobs, client, window, model, report, coref)) as run:
        for result in run:
            finish(result)
    summary = BatchSummary(out, tuple(results[b] for b in books), time.perf_counter() - started)
    files.write_atomic(
        out / FAILURES_FILE,
        files.csv_text(
            FAILURE_COLUMNS,
            [(r.book.title, str(r.book.path), r.error) for r in summary.failures],
        ),
    )
    return summary


def _run(
    books: Sequence[BatchBook],
    jobs: int,
    client: "Client | None",
    window: int,
    model: str | None,
    report: bool,
    coref: bool,
) -> Generator[BookResult, None, None]:
    if not books:
        return
    if client is not None:
        from distributed import as_completed as dask_completed

        tasks = client.map(
            run_book, books, window=window, model=model, report=report, coref=coref, pure=False
        )
        try:
            for task in dask_completed(tasks):  # type: ignore[no-untyped-call]
                yield task.result()
        except BaseException:  # stopped (Ctrl-C, SIGTERM, a failed load): start no more books
            client.cancel(tasks)  # type: ignore[no-untyped-call]
            raise
    elif jobs == 1:
        for book in books:
            yield run_book(book, window=window, model=model, report=report, coref=coref)
    else:
        with ProcessPoolExecutor(min(jobs, len(books)), mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(run_book, b, window=window, model=model, report=report, coref=coref)
                for b in books
            ]
            try:
                for future in as_completed(futures):
                    yield future.result()
            finally:  # a stopped batch starts no more books (on SIGTERM, it finishes those begun)
                pool.shutdown(cancel_futures=True)


def run_book(
    book: BatchBook,
    *,
    window: int = WINDOW,
    model: str | None = None,
    report: bool = False,
    coref: bool = False,
) -> BookResult:
    """Extract one book into its output folder; any failure becomes the result's error."""
    from kg.book import read_book

    unpin_mmap_threshold()
    from kg.extract import extract

    started = time.perf_counter()
    try:
        text = replace_fields(read_book(book.path), title=book.title)
        characters = files.read_characters(book.characters) if book.characters else None
        result = extract(
            text, characters, window=window, model=model, coref=coref, narrator=book.narrator
        )
        result.save(book.outdir, characters_file=book.characters.name if book.characters else None)
        if report:
            from kg.report import write_report

            write_report(book.outdir)
    except KgError as e:
        return BookResult(book, seconds=time.perf_counter() - started, error=str(e))
    except Exception as e:  # a bug in one book must not stop the others
        error = f"{type(e).__name__}: {e}".splitlines()[0]
        return BookResult(book, seconds=time.perf_counter() - started, error=error)
    return BookResult(
        book,
        words=len(text.text.split()),
        chapters=len(text.chapters),
        characters=len(result.stats),
        mentions=len(result.mentions),
        seconds=time.perf_counter() - started,
    )


@cache
def unpin_mmap_threshold() -> bool:
    """Let glibc's malloc serve a book's large arrays from its heap, when the environment
    pinned it; once per process. Returns whether it changed the setting.

    Setting MALLOC_TRIM_THRESHOLD_ (as Dask's nanny does for its workers) also freezes
    glibc's mmap threshold at 128 KiB, so every large array becomes fresh zeroed pages:
    about 60,000 page faults and a fifth more CPU per book.
    """
    pinned = any(name in os.environ for name in _MALLOC_PINS)
    if not pinned or "MALLOC_MMAP_THRESHOLD_" in os.environ or sys.platform != "linux":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))


def _load(result: BookResult, driver: "Driver", database: str) -> BookResult:
    from kg.load import load

    try:
        load(
            result.book.outdir,
            driver,
            database=database,
            book_title=result.book.title,
            series=result.book.series,
        )
    except KgError as e:
        return replace_fields(result, error=f"load: {e}")
    return result


def _up_to_date(book: BatchBook, window: int, model: str | None, report: bool, coref: bool) -> bool:
    """The book's outputs exist, are newer than its inputs and were made with these settings."""
    from kg.outdir import read_book_json

    done = book.outdir / BOOK_FILE
    outputs = [done, book.outdir / REPORT_FILE] if report else [done]
    inputs = [book.path, book.characters] if book.characters else [book.path]
    try:
        made = min(p.stat().st_mtime for p in outputs)
        changed = max(p.stat().st_mtime for p in inputs)
        info = read_book_json(done)
    except (OSError, KgError):
        return False
    used = TOKENIZER if book.characters else model_name(model)
    coref = coref or book.narrator is not None
    settings = (info.title, info.window, info.model, info.coref, info.narrator)
    return made >= changed and settings == (book.title, window, used, coref, book.narrator)


def progress_line(done: int, total: int, words: int, seconds: float) -> str:
    """'12/200 books, 48,000 words/s, ETA 3 min' for the books done so far."""
    rate = words / seconds if seconds > 0 else 0.0
    line = f"{done}/{total} books, {rate:,.0f} words/s"
    if 0 < done < total and seconds > 0:
        line += f", ETA {_duration(seconds / done * (total - done))}"
    return line


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def table_rows(summary: BatchSummary) -> Iterable[tuple[str, ...]]:
    """The end-of-batch table: book, chapters, characters, mentions, seconds, error."""
    for r in summary.results:
        state = "skipped (up to date)" if r.skipped else (r.error or "")
        counts: tuple[str, ...] = (
            ("", "", "", "")
            if r.skipped or r.error
            else (str(r.chapters), str(r.characters), str(r.mentions), f"{r.seconds:.1f}")
        )
        yield (r.book.title, *counts, state)
