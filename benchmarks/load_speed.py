"""Load throughput: kg's batched loader against a naive one-row-per-transaction loader.

Builds a synthetic extraction OUTDIR (default 20,000 characters, 1,000,000 interactions),
times reading it and loading it with `kg.load`, then times the naive loader on a sample of the
same interactions and extrapolates. Prints relationships per second for both and the ratio.
The goal: 1,000,000 interactions loaded in under 60 s.

Uses the server in NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (e.g. `scripts/neo4j-local start`).
Everything it writes is one book titled "kg load benchmark", removed at the end (--keep keeps it).
With --kill, it also runs `kg load` of the same book in another process, kills it (SIGKILL)
once half the interactions are in, and times the rerun that finishes the book, next to the
clean load.

    python benchmarks/load_speed.py [--characters N] [--interactions N] [--batch-size N] [--kill]
"""

import argparse
import csv
import json
import logging
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from neo4j import Driver

from kg import cypher
from kg.db import Neo4jSettings, connect, run
from kg.load import BookData, LoadSummary, delete_book, load_data, read_outdir
from kg.settings import BATCH_SIZE

TITLE = "kg load benchmark"
CHAPTERS = 40


def write_outdir(outdir: Path, characters: int, interactions: int, seed: int) -> None:
    """A synthetic OUTDIR of the extraction contract: random pairs in 1-3 chapters each."""
    rng = random.Random(seed)
    names = [f"Bench {i:06d}" for i in range(characters)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < interactions:
        a, b = rng.randrange(characters), rng.randrange(characters)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    appearances: dict[tuple[int, int], int] = {}
    with (
        (outdir / "interactions.csv").open("w", newline="") as totals,
        (outdir / "interactions_by_chapter.csv").open("w", newline="") as by_chapter,
    ):
        total_rows = csv.writer(totals, lineterminator="\n")
        chapter_rows = csv.writer(by_chapter, lineterminator="\n")
        total_rows.writerow(["source", "target", "weight", "first_chapter"])
        chapter_rows.writerow(["chapter", "source", "target", "weight"])
        for a, b in sorted(pairs):
            chapters = sorted(rng.sample(range(1, CHAPTERS + 1), rng.randint(1, 3)))
            weights = [rng.randint(1, 5) for _ in chapters]
            total_rows.writerow([names[a], names[b], sum(weights), chapters[0]])
            for chapter, weight in zip(chapters, weights, strict=True):
                chapter_rows.writerow([chapter, names[a], names[b], weight])
                appearances[a, chapter] = appearances.get((a, chapter), 0) + 1
                appearances[b, chapter] = appearances.get((b, chapter), 0) + 1
    with (outdir / "mentions.csv").open("w", newline="") as f:
        rows = csv.writer(f, lineterminator="\n")
        rows.writerow(["chapter", "start", "end", "text", "character"])
        for (who, chapter), count in sorted(appearances.items()):
            for _ in range(min(count, 3)):
                rows.writerow([chapter, 0, 1, "x", names[who]])
    with (outdir / "chapters.csv").open("w", newline="") as f:
        rows = csv.writer(f, lineterminator="\n")
        rows.writerow(["number", "title", "start", "end", "mentions"])
        rows.writerows([n, f"Part {n}", 0, 1, 0] for n in range(1, CHAPTERS + 1))
    with (outdir / "characters.csv").open("w", newline="") as f:
        rows = csv.writer(f, lineterminator="\n")
        rows.writerow(
            ["name", "mentions", "pagerank", "community", "first_chapter", "aliases", "discovered"]
        )
        rows.writerows([name, 1, 0.0, 0, 1, "", "false"] for name in names)
    facts = [
        {"name": n, "house": f"House {i % 12}", "aliases": [n.replace("Bench", "B.")]}
        for i, n in enumerate(names)
    ]
    (outdir / "characters.jsonl").write_text("".join(json.dumps(f) + "\n" for f in facts))
    (outdir / "book.json").write_text(json.dumps({"title": TITLE, "source": "synthetic"}))


def interactions_loaded(driver: Driver, database: str) -> int:
    """How many INTERACTS of the benchmark book the database holds."""
    query = "MATCH ()-[r:INTERACTS {book: $book}]->() RETURN count(r) AS n"
    return int(run(driver, query, {"book": TITLE}, database=database)[0]["n"])


def kill_a_load(driver: Driver, database: str, outdir: Path, batch_size: int, total: int) -> int:
    """Remove the book, start `kg load` of outdir in another process and SIGKILL it once half
    the interactions are in; return how many were in."""
    delete_book(driver, TITLE, database=database, batch_size=10_000)
    command = [sys.executable, "-m", "kg", "load", "--from", str(outdir)]
    process = subprocess.Popen(
        [*command, "--batch-size", str(batch_size)], env=os.environ, stdout=subprocess.DEVNULL
    )
    try:
        while process.poll() is None and interactions_loaded(driver, database) < total // 2:
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return interactions_loaded(driver, database)


def check_complete(driver: Driver, database: str, data: BookData) -> None:
    """Fail unless the book holds exactly its interactions and appearances, each once."""
    assert interactions_loaded(driver, database) == len(data.interactions)
    query = "MATCH ()-[a:APPEARS_IN]->(:Chapter {book: $book}) RETURN count(a) AS n"
    appearances = run(driver, query, {"book": TITLE}, database=database)[0]["n"]
    assert appearances == len(data.appearances), appearances


def report(
    parse: float,
    batched: float,
    naive: float,
    naive_rows: int,
    interactions: int,
    summary: LoadSummary,
    batch_size: int,
) -> None:
    """Print the figures: both loaders' relationships per second, their ratio, the goal."""
    rels_per_s = interactions / batched
    naive_per_s = naive_rows / naive
    print(f"read_outdir: {parse:.1f} s ({interactions / parse:,.0f} interactions/s)")
    print(
        f"batched load (batch size {batch_size}, {summary.batches:,} transactions): "
        f"{interactions:,} interactions + {summary.appearances:,} appearances + "
        f"{summary.characters:,} characters in {batched:.1f} s"
    )
    written = interactions + summary.appearances + summary.family_ties
    print(
        f"  batched: {rels_per_s:,.0f} INTERACTS/s over the whole load "
        f"({written / batched:,.0f} relationships/s counting APPEARS_IN too)"
    )
    print(
        f"  naive:   {naive_per_s:,.0f} relationships/s ({naive_rows:,} rows, one transaction "
        f"each, in {naive:.1f} s; 1,000,000 would take ~{1_000_000 / naive_per_s / 60:.0f} min)"
    )
    print(f"  ratio:   {rels_per_s / naive_per_s:.0f}x")
    verdict = "met" if batched + parse < 60 else "NOT met"
    print(
        f"goal (1,000,000 interactions in < 60 s, read + load): {verdict} "
        f"({parse + batched:.1f} s for {interactions:,})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--characters", type=int, default=20_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=2_000,
        help="interactions the naive loader writes, one transaction each",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--kill",
        action="store_true",
        help="also kill -9 a `kg load` of the book half-way and time the rerun",
    )
    parser.add_argument("--keep", action="store_true", help="leave the benchmark book loaded")
    parser.add_argument(
        "--rerun", action="store_true", help="also time loading the same data again (MERGE)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="  %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    settings = Neo4jSettings()
    database = settings.database

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp, connect(settings) as driver:
        started = time.perf_counter()
        write_outdir(Path(tmp), args.characters, args.interactions, args.seed)
        print(
            f"synthetic OUTDIR: {args.characters:,} characters, {args.interactions:,} "
            f"interactions ({time.perf_counter() - started:.1f} s to write)"
        )
        started = time.perf_counter()
        data = read_outdir(Path(tmp))
        parse = time.perf_counter() - started

        delete_book(driver, TITLE, database=database)
        started = time.perf_counter()
        summary = load_data(data, driver, database=database, batch_size=args.batch_size)
        batched = time.perf_counter() - started
        check_complete(driver, database, data)

        naive_title = TITLE + " (naive)"
        sample = data.interactions[: args.naive_sample]
        started = time.perf_counter()
        for row in sample:
            run(
                driver,
                cypher.MERGE_INTERACTIONS,
                {"book": naive_title, "series": data.series, "rows": [row]},
                database=database,
            )
        naive = time.perf_counter() - started
        report(parse, batched, naive, len(sample), summary.interactions, summary, args.batch_size)
        if args.rerun:
            started = time.perf_counter()
            again = load_data(data, driver, database=database, batch_size=args.batch_size)
            seconds = time.perf_counter() - started
            print(
                f"rerun ({again.action}, MERGE, one transaction at a time): {seconds:.1f} s, "
                f"{again.interactions / seconds:,.0f} INTERACTS/s over the whole load",
                flush=True,
            )
        if args.kill:
            killed = kill_a_load(driver, database, Path(tmp), args.batch_size, args.interactions)
            started = time.perf_counter()
            resumed = load_data(data, driver, database=database, batch_size=args.batch_size)
            seconds = time.perf_counter() - started
            check_complete(driver, database, data)
            print(
                f"rerun after kill -9 at {killed:,} of {args.interactions:,} interactions "
                f"({resumed.action}): {seconds:.1f} s; the clean load took {batched:.1f} s",
                flush=True,
            )
        naive_ties = (
            "MATCH ()-[r:INTERACTS {book: $book}]->() WITH r LIMIT 10000 DELETE r "
            "RETURN count(*) AS n"
        )
        while run(driver, naive_ties, {"book": naive_title}, database=database)[0]["n"]:
            pass
        if not args.keep:
            delete_book(driver, TITLE, database=database, batch_size=10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
