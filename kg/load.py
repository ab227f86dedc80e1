"""Load an extraction into Neo4j: constraints first, then batched, idempotent MERGE + SET.

Each batch is its own transaction. The Book node carries a digest of the loaded files and
`complete`, set last, so an interrupted load is visible and a rerun of the same data
finishes it, while different data for a loaded book needs `replace=True`.
"""

import hashlib
import json
import logging
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from neo4j import Driver

from kg import cypher
from kg.db import batches, check_schema, locked, run
from kg.errors import InputError
from kg.files import character_to_json
from kg.outdir import BookInfo, Extraction, read_extraction
from kg.records import Character
from kg.runtime import gc_paused
from kg.settings import BATCH_SIZE, WRITERS

log = logging.getLogger(__name__)

Row = dict[str, object]

DIGESTED_FILES = (
    "book.json",
    "chapters.csv",
    "characters.csv",
    "mentions.csv",
    "interactions.csv",
    "interactions_by_chapter.csv",
)
"""The files of an extraction whose text is part of its digest (facts are added apart)."""


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
    source: Path | str | Extraction,
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
    if isinstance(source, Extraction):
        texts = source.file_texts()
        data = book_data(source, {name: texts[name].encode() for name in DIGESTED_FILES}, **options)
    else:
        data = read_outdir(Path(source), **options)
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
    with gc_paused():
        extraction = read_extraction(outdir)
        outdir = Path(outdir)
        if characters is None and not (outdir / "characters.jsonl").exists():
            log.warning("%s: no characters.jsonl, so no facts are loaded", outdir)
            characters = []
        texts = {name: (outdir / name).read_bytes() for name in DIGESTED_FILES}
        return book_data(
            extraction,
            texts,
            characters=characters,
            book_title=book_title,
            series=series,
            volume=volume,
        )


def book_data(
    extraction: Extraction,
    texts: Mapping[str, bytes],
    *,
    characters: Sequence[Character] | None = None,
    book_title: str | None = None,
    series: str | None = None,
    volume: int | None = None,
) -> BookData:
    """An extraction as BookData; `texts` are its files (the DIGESTED_FILES), fingerprinted to
    tell a rerun from different data. `characters` replace the extraction's as the source of
    facts; the other options are read_outdir's."""
    if volume is not None and volume < 1:
        raise InputError(f"volume must be at least 1, not {volume}")
    title = book_title or extraction.book.title
    series = title if series is None else series
    if not series.strip() or any(unicodedata.category(c) == "Cc" for c in series):
        raise InputError(f"bad series name {series!r}: give some text without control characters")
    if characters is None:
        characters = extraction.characters
    by_name = {c.name: c for c in extraction.characters}
    listed = {
        s.name: by_name[s.name] if s.name in by_name else Character(s.name)
        for s in extraction.stats
    }
    counts = Counter((m.character, m.chapter) for m in extraction.mentions)
    appearances: list[Row] = [
        {"name": name, "chapter": chapter, "mentions": n}
        for (name, chapter), n in sorted(counts.items())
    ]
    interactions: list[Row] = []
    for i in extraction.interactions:
        numbers, weights = zip(*i.chapters, strict=True)
        interactions.append(
            {
                "source": i.source,
                "target": i.target,
                "weight": i.weight,
                "first_chapter": numbers[0],
                "chapters": list(numbers),
                "chapter_weights": list(weights),
            }
        )
    facts = {c.name: c for c in characters}
    names = sorted(
        set(facts)
        | set(listed)
        | {name for name, _ in counts}
        | {name for i in extraction.interactions for name in (i.source, i.target)}
    )
    mentions: Counter[str] = Counter()
    first: dict[str, int] = {}
    for (name, chapter), n in counts.items():
        mentions[name] += n
        first[name] = min(first.get(name, chapter), chapter)
    character_rows = [
        {
            **_character_row(name, facts.get(name), listed.get(name)),
            "mentions": mentions[name],
            "first_chapter": first.get(name),
        }
        for name in names
    ]
    meta = BookInfo.model_validate_json(texts["book.json"])
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
            "digest": _digest(texts, title, characters, series=series, volume=volume),
        },
        chapters=[{"number": c.number, "title": c.title} for c in extraction.book.chapters],
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


def _character_row(name: str, facts: Character | None, listed: Character | None) -> Row:
    aliases = set(facts.aliases if facts else ()) | set(listed.aliases if listed else ())
    return {
        "name": name,
        "aliases": sorted(aliases),
        "gender": facts.gender if facts else None,
        "species": _first_fact(facts, "species"),
        "blood": _first_fact(facts, "blood"),
        "nationality": _first_fact(facts, "nationality"),
        "url": facts.url if facts else None,
        "house": _first_fact(facts, "house"),
        "discovered": facts.discovered if facts else bool(listed and listed.discovered),
    }


def _first_fact(character: Character | None, key: str) -> str | None:
    return next(iter(character.fact(key)), None) if character else None


def _digest(
    texts: Mapping[str, bytes],
    title: str,
    characters: Iterable[Character],
    *,
    series: str,
    volume: int | None,
) -> str:
    """A fingerprint of everything a load writes, to tell a rerun from different data."""
    digest = hashlib.sha256(json.dumps([title, series, volume]).encode())
    for name in DIGESTED_FILES:
        digest.update(texts[name])
    facts = [character_to_json(c) for c in characters]
    digest.update(json.dumps(facts, sort_keys=True).encode())
    return digest.hexdigest()
