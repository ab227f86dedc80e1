"""Load an extraction into Neo4j: constraints first, then batched, idempotent MERGE + SET.

Each batch is its own transaction. The Book node carries a digest of the loaded files and
`complete`, set last, so an interrupted load is visible and a rerun of the same data
finishes it, while different data for a loaded book needs `replace=True`.
"""

import csv
import hashlib
import json
import logging
import operator
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from neo4j import Driver

from kg import cypher
from kg.db import batches, check_schema, locked, run
from kg.errors import InputError
from kg.files import character_to_json, read_characters
from kg.outdir import missing_file, outdir_path, read_book_json
from kg.records import Character
from kg.runtime import gc_paused
from kg.settings import BATCH_SIZE, WRITERS

log = logging.getLogger(__name__)

Row = dict[str, object]

BOOK_FILES = (
    "book.json",
    "chapters.csv",
    "characters.csv",
    "mentions.csv",
    "interactions.csv",
    "interactions_by_chapter.csv",
    "characters.jsonl",
)
"""The files of an extraction OUTDIR that the loader reads (characters.jsonl is optional)."""


class Saveable(Protocol):
    """An in-memory extraction that can write its OUTDIR (kg.extract's Extraction)."""

    def save(self, outdir: Path) -> object: ...


@dataclass(frozen=True)
class BookData:
    """One extraction as parameter rows, one list per MERGE statement."""

    title: str
    series: str
    properties: Row
    chapters: list[Row]
    characters: list[Row]
    loyalties: list[Row]
    family: list[Row]
    appearances: list[Row]
    interactions: list[Row]


@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote; action says whether the book was new, reloaded, resumed or replaced."""

    book: str
    series: str
    action: Literal["new", "reloaded", "resumed", "replaced"]
    chapters: int
    characters: int
    appearances: int
    interactions: int
    family_ties: int
    batches: int


def load(
    source: Path | str | Saveable,
    driver: Driver,
    *,
    database: str = "neo4j",
    book_title: str | None = None,
    series: str | None = None,
    volume: int | None = None,
    replace: bool = False,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITERS,
    characters: Sequence[Character] | None = None,
) -> LoadSummary:
    """Load an extraction (its OUTDIR or the Extraction itself) into Neo4j.

    The book joins `series` (default: a series of its own, named after the book) as its
    `volume`-th book; books of one series share their characters, other books never do.
    Loading the same data again leaves the graph unchanged; a book loaded before from other
    data raises InputError unless `replace`, which first removes that book (other books keep
    theirs, and shared characters keep only what the other books say). `characters`
    replaces the OUTDIR's characters.jsonl as the source of facts. `writers` transactions
    run at once on a book's first load. Two loads of one book, or of one series, never run
    at once: the second waits.
    """
    options: dict[str, Any] = {
        "characters": characters,
        "book_title": book_title,
        "series": series,
        "volume": volume,
    }
    if isinstance(source, Path | str):
        data = read_outdir(Path(source), **options)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
            source.save(Path(tmp))
            data = read_outdir(Path(tmp), **options)
    return load_data(
        data, driver, database=database, replace=replace, batch_size=batch_size, writers=writers
    )


def load_data(
    data: BookData,
    driver: Driver,
    *,
    database: str = "neo4j",
    replace: bool = False,
    batch_size: int = BATCH_SIZE,
    writers: int = WRITERS,
) -> LoadSummary:
    """Write BookData: schema, then under the book's and its series' locks (if replacing)
    the old book's removal, then the batches."""
    if batch_size < 1:
        raise InputError(f"batch size must be at least 1, not {batch_size}")
    if writers < 1:
        raise InputError(f"writers must be at least 1, not {writers}")
    prepare_schema(driver, database=database)
    with _locked(driver, data.title, data.series, database=database):
        return _write(data, driver, database, replace, batch_size, writers)


def prepare_schema(driver: Driver, *, database: str = "neo4j") -> None:
    """Create kg's constraints (and drop an older kg's); see check_schema."""
    check_schema(driver, database=database)
    for statement in (*cypher.OLD_SCHEMA, *cypher.SCHEMA):
        run(driver, statement, database=database)


@contextmanager
def _locked(driver: Driver, title: str, series: str, *, database: str) -> Iterator[None]:
    """The locks of a book and of its series (in that order, so two loads never deadlock)."""

    def waiting() -> None:
        log.warning("%s: waiting for another kg load of this book or series to finish", title)

    keys = [f"book:{title}", f"series:{series}"]
    with locked(driver, keys, database=database, on_wait=waiting):
        yield


def _write(
    data: BookData, driver: Driver, database: str, replace: bool, batch_size: int, writers: int
) -> LoadSummary:
    book = {"book": data.title, "series": data.series}
    state = run(driver, cypher.BOOK_STATE, book, database=database)
    action: Literal["new", "reloaded", "resumed", "replaced"] = "new"
    if state and replace:
        delete_book(driver, data.title, database=database, batch_size=batch_size)
        action = "replaced"
    elif state and state[0]["digest"] != data.properties["digest"]:
        raise InputError(
            f"book {data.title!r} is already loaded from other data: "
            "pass --replace to swap it, or --book-title to load it as another book"
        )
    elif state:
        action = "reloaded" if state[0]["complete"] else "resumed"
    fresh = (
        action in ("new", "replaced")
        and not (run(driver, cypher.BOOK_LEFTOVERS, book, database=database)[0]["leftovers"])
    )
    run(driver, cypher.MERGE_BOOK, {**book, **data.properties}, database=database)
    sent = 0
    for label, statement, rows in (
        ("chapters", cypher.MERGE_CHAPTERS, data.chapters),
        ("characters", cypher.MERGE_CHARACTERS, data.characters),
        ("loyalties", cypher.MERGE_LOYALTIES, data.loyalties),
        ("family ties", cypher.MERGE_FAMILY, data.family),
        (
            "appearances",
            cypher.CREATE_APPEARANCES if fresh else cypher.MERGE_APPEARANCES,
            data.appearances,
        ),
        (
            "interactions",
            cypher.CREATE_INTERACTIONS if fresh else cypher.MERGE_INTERACTIONS,
            data.interactions,
        ),
    ):
        started = time.perf_counter()
        requests = [{**book, "rows": batch} for batch in batches(rows, batch_size)]
        concurrent = statement in (cypher.CREATE_APPEARANCES, cypher.CREATE_INTERACTIONS)
        _send(driver, statement, requests, database=database, writers=writers if concurrent else 1)
        sent += len(requests)
        log.info("%s: %d %s in %.1f s", data.title, len(rows), label, time.perf_counter() - started)
    names = sorted(
        {str(row["name"]) for row in data.characters} | {str(row["person"]) for row in data.family}
    )
    _rebuild(driver, data.series, names, database=database, batch_size=batch_size)
    run(driver, cypher.COMPLETE_BOOK, book, database=database)
    return LoadSummary(
        book=data.title,
        series=data.series,
        action=action,
        chapters=len(data.chapters),
        characters=len(data.characters),
        appearances=len(data.appearances),
        interactions=len(data.interactions),
        family_ties=len(data.family),
        batches=sent,
    )


def _rebuild(
    driver: Driver, series: str, names: Sequence[str], *, database: str, batch_size: int
) -> None:
    """Redo the named characters' facts from their books; drop groups nobody belongs to."""
    for chunk in batches(names, batch_size):
        run(
            driver,
            cypher.REBUILD_CHARACTERS,
            {"series": series, "names": chunk},
            database=database,
        )
    run(driver, cypher.DELETE_ORPHAN_GROUPS, {"series": series}, database=database)


def _send(
    driver: Driver,
    statement: str,
    requests: Sequence[Mapping[str, object]],
    *,
    database: str,
    writers: int,
) -> None:
    """Run statement once per parameter set, each in its own transaction, `writers` at a time.

    After a failure no further batch starts; those already running finish.
    """
    with ThreadPoolExecutor(writers, thread_name_prefix="kg-load") as pool:
        running: set[Future[object]] = set()
        for parameters in requests:
            if len(running) == writers:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
            running.add(pool.submit(run, driver, statement, parameters, database=database))
        for future in as_completed(running):
            future.result()


def delete_book(
    driver: Driver, title: str, *, database: str = "neo4j", batch_size: int = BATCH_SIZE
) -> None:
    """Remove one book: its node, chapters, appearances, interactions and everything it
    stated; the characters of its series keep what their other books say, and those no
    other book knows go."""
    found = run(driver, cypher.BOOK_STATE, {"book": title}, database=database)
    if not found:
        return
    book = {"book": title, "series": found[0]["series"]}
    names = [str(r["name"]) for r in run(driver, cypher.BOOK_CHARACTERS, book, database=database)]
    for statement in (
        cypher.DELETE_INTERACTIONS,
        cypher.DELETE_APPEARANCES,
        cypher.DELETE_CHAPTERS,
    ):
        while run(driver, statement, {**book, "limit": batch_size}, database=database)[0][
            "deleted"
        ]:
            pass
    for chunk in batches(names, batch_size):
        run(driver, cypher.FORGET_BOOK, {**book, "names": chunk}, database=database)
    _rebuild(driver, str(book["series"]), names, database=database, batch_size=batch_size)
    run(driver, cypher.DELETE_BOOK, book, database=database)
    log.info("%s: removed the previously loaded data", title)


def read_outdir(
    outdir: Path,
    *,
    characters: Sequence[Character] | None = None,
    book_title: str | None = None,
    series: str | None = None,
    volume: int | None = None,
) -> BookData:
    """Read and cross-check an extraction OUTDIR into BookData; InputError names the bad line.

    The book is titled `book_title` (default: book.json's) and belongs to `series` (default:
    a series of its own, named after the book) as its `volume`-th book (default: none).
    """
    if volume is not None and volume < 1:
        raise InputError(f"volume must be at least 1, not {volume}")
    with gc_paused():
        return _read(outdir_path(outdir), characters, book_title, series, volume)


def _read(
    outdir: Path,
    characters: Sequence[Character] | None,
    book_title: str | None,
    series: str | None,
    volume: int | None,
) -> BookData:
    meta = read_book_json(outdir / "book.json")
    title = book_title or meta.title
    series = title if series is None else series
    if not series.strip() or any(unicodedata.category(c) == "Cc" for c in series):
        raise InputError(f"bad series name {series!r}: give some text without control characters")
    path = outdir / "chapters.csv"
    chapters = {
        _int(number, path, line, "number"): chapter_title
        for line, (number, chapter_title) in _read_csv(path, ("number", "title"))
    }
    listed = _read_listed(outdir / "characters.csv")
    if characters is None:
        jsonl = outdir / "characters.jsonl"
        if jsonl.exists():
            characters = read_characters(jsonl)
        else:
            log.warning("%s: no characters.jsonl, so no facts are loaded", outdir)
            characters = []
    appearances = _read_appearances(outdir / "mentions.csv", chapters)
    interactions = _read_interactions(outdir, chapters)
    facts = {c.name: c for c in characters}
    names = sorted(
        set(facts)
        | set(listed)
        | {str(r["name"]) for r in appearances}
        | {str(r[end]) for r in interactions for end in ("source", "target")}
    )
    mentions: Counter[str] = Counter()
    first: dict[str, int] = {}
    for row in appearances:
        name, chapter = str(row["name"]), int(str(row["chapter"]))
        mentions[name] += int(str(row["mentions"]))
        first[name] = min(first.get(name, chapter), chapter)
    character_rows = [
        {
            **_character_row(name, facts.get(name), listed.get(name)),
            "mentions": mentions[name],
            "first_chapter": first.get(name),
        }
        for name in names
    ]
    digest = _digest(outdir, title, characters, series=series, volume=volume)
    return BookData(
        title=title,
        series=series,
        properties={
            "volume": volume,
            "source": meta.source,
            "window": meta.window,
            "model": meta.model,
            "characters_file": meta.characters_file,
            "kg_version": meta.kg_version,
            "digest": digest,
        },
        chapters=[{"number": n, "title": t} for n, t in sorted(chapters.items())],
        characters=character_rows,
        loyalties=[{"name": c.name, "group": g} for c in characters for g in c.fact("loyalty")],
        family=[
            {"name": c.name, "person": f.person, "type": f.type}
            for c in characters
            for f in c.family
            if f.person != c.name
        ],
        appearances=appearances,
        interactions=interactions,
    )


def _character_row(
    name: str, facts: Character | None, listed: tuple[tuple[str, ...], bool] | None
) -> Row:
    aliases = set(facts.aliases if facts else ()) | set(listed[0] if listed else ())
    return {
        "name": name,
        "aliases": sorted(aliases),
        "gender": facts.gender if facts else None,
        "species": _first_fact(facts, "species"),
        "blood": _first_fact(facts, "blood"),
        "nationality": _first_fact(facts, "nationality"),
        "url": facts.url if facts else None,
        "house": _first_fact(facts, "house"),
        "discovered": facts.discovered if facts else bool(listed and listed[1]),
    }


def _first_fact(character: Character | None, key: str) -> str | None:
    return next(iter(character.fact(key)), None) if character else None


def _read_csv(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, Any]]:
    """(line number, values of `columns`) for each row of a contract CSV; two columns or more."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
            pick = operator.itemgetter(*(header.index(c) for c in columns))
            for row in reader:
                if len(row) != len(header):
                    if not row:
                        continue
                    raise InputError(
                        f"{path}:{reader.line_num}: {len(row)} fields, not {len(header)}"
                    )
                yield reader.line_num, pick(row)
    except FileNotFoundError:
        raise missing_file(path) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None


def _int(text: str, path: Path, line: int, column: str) -> int:
    """A count or a chapter number: a whole number, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{path}:{line}: {column} is not a number: {text!r}") from None
    if value < 1:
        raise InputError(f"{path}:{line}: {column} must be at least 1, not {value}")
    return value


def _read_listed(path: Path) -> dict[str, tuple[tuple[str, ...], bool]]:
    """characters.csv: each mentioned character's aliases and discovered flag."""
    return {
        name: (tuple(a for a in aliases.split(";") if a), discovered.lower() == "true")
        for _, (name, aliases, discovered) in _read_csv(path, ("name", "aliases", "discovered"))
    }


def _chapter(text: str, chapters: dict[int, str], path: Path, line: int) -> int:
    chapter = _int(text, path, line, "chapter")
    if chapter not in chapters:
        raise InputError(f"{path}:{line}: chapter {chapter} is not in chapters.csv")
    return chapter


def _read_appearances(path: Path, chapters: dict[int, str]) -> list[Row]:
    """mentions.csv counted per character and chapter."""
    counts: Counter[tuple[str, int]] = Counter()
    numbers: dict[str, int] = {}
    for line, (name, text) in _read_csv(path, ("character", "chapter")):
        if text not in numbers:
            numbers[text] = _chapter(text, chapters, path, line)
        counts[name, numbers[text]] += 1
    return [
        {"name": name, "chapter": chapter, "mentions": n}
        for (name, chapter), n in sorted(counts.items())
    ]


def _read_interactions(outdir: Path, chapters: dict[int, str]) -> list[Row]:
    """interactions.csv with each pair's per-chapter weights from interactions_by_chapter.csv.

    The loops check rows inline and call _check only to word the error: this runs per row.
    """
    breakdown: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    path = outdir / "interactions_by_chapter.csv"
    columns = ("chapter", "source", "target", "weight")
    for line, (chapter, source, target, weight) in _read_csv(path, columns):
        try:
            number, count = int(chapter), int(weight)
        except ValueError:
            number = count = 0
        if number not in chapters or count < 1 or not source < target:
            _check(path, line, chapters, chapter=chapter, weight=weight, pair=(source, target))
        found = breakdown.get((source, target))
        if found is None:
            breakdown[source, target] = ([number], [count])
        else:
            found[0].append(number)
            found[1].append(count)
    rows: list[Row] = []
    path = outdir / "interactions.csv"
    for line, (source, target, weight, first) in _read_csv(
        path, ("source", "target", "weight", "first_chapter")
    ):
        numbers, counts = breakdown.pop((source, target), ((), ()))
        if weight != str(sum(counts)) or first != str(min(numbers, default=0)):
            _check(path, line, chapters, weight=weight, first_chapter=first, pair=(source, target))
            raise InputError(
                f"{path}:{line}: weight or first_chapter disagrees with interactions_by_chapter.csv"
            )
        if numbers != sorted(numbers):
            ordered = sorted(zip(numbers, counts, strict=True))
            numbers, counts = [c for c, _ in ordered], [w for _, w in ordered]
        rows.append(
            {
                "source": source,
                "target": target,
                "weight": int(weight),
                "first_chapter": numbers[0],
                "chapters": numbers,
                "chapter_weights": counts,
            }
        )
    if breakdown:
        source, target = next(iter(breakdown))
        raise InputError(
            f"{path}: pair {source!r}, {target!r} is in interactions_by_chapter.csv only"
        )
    return rows


def _check(
    path: Path,
    line: int,
    chapters: dict[int, str],
    *,
    pair: tuple[str, str],
    chapter: str | None = None,
    **counts: str,
) -> None:
    """Raise the InputError that names what is wrong with a row, if anything is."""
    if chapter is not None:
        _chapter(chapter, chapters, path, line)
    for column, text in counts.items():
        _int(text, path, line, column)
    if not pair[0] < pair[1]:
        raise InputError(f"{path}:{line}: source must sort before target")


def _digest(
    outdir: Path, title: str, characters: Iterable[Character], *, series: str, volume: int | None
) -> str:
    """A fingerprint of everything a load writes, to tell a rerun from different data."""
    digest = hashlib.sha256(json.dumps([title, series, volume]).encode())
    for name in BOOK_FILES[:-1]:
        digest.update((outdir / name).read_bytes())
    facts = [character_to_json(c) for c in characters]
    digest.update(json.dumps(facts, sort_keys=True).encode())
    return digest.hexdigest()
