"""`kg batch` throughput: --jobs 1, --jobs 2 and a 2-worker Dask LocalCluster, in one run.

    python benchmarks/batch_speed.py [--books 200] [--lists]

Builds a corpus of `--books` books from the bundled sample novella, each with its own cast
(every name word gets a suffix, "Toby" -> "Tobyc"), and a manifest; without `--lists` the
books are read by discovery, as a folder of Gutenberg files would be. Then runs the whole
`kg batch` command three times, as a user would, into fresh output folders: `--jobs 1`,
`--jobs 2`, and `--scheduler` pointed at a LocalCluster of two single-threaded worker
processes on 127.0.0.1 started here. Prints books/s, words/s, the ratios (goals: jobs 2 at
>= 1.7x jobs 1; Dask within 15% of jobs 2) and the peak memory of the largest process
(psutil samples the process tree and the Dask workers every 0.1 s; goal < 500 MB each).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from distributed import LocalCluster

from kg.files import read_characters, write_characters
from kg.names import honorific
from kg.records import Character, FamilyTie

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
KG = [sys.executable, "-m", "kg"]


def _suffix(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, digit = divmod(number - 1, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return letters


def build(folder: Path, books: int, lists: bool) -> tuple[Path, int]:
    """Write `books` renamed copies of the novella and a manifest; return it and the words."""
    text = (SAMPLE / "book.txt").read_text(encoding="utf-8")
    cast = read_characters(SAMPLE / "characters.jsonl")
    names = sorted(
        {
            word
            for c in cast
            for name in (c.name, *c.aliases)
            for word in name.split()
            if word[:1].isupper() and word != "The" and not honorific(word)
        }
    )
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    rows = ["path,title,series,characters"]
    for number in range(books):
        suffix = _suffix(number)

        def rename(match: re.Match[str], suffix: str = suffix) -> str:
            return match.group() + suffix

        (folder / f"book{number}.txt").write_text(pattern.sub(rename, text), encoding="utf-8")
        characters = ""
        if lists:
            characters = f"book{number}.jsonl"
            write_characters(
                [
                    Character(
                        pattern.sub(rename, c.name),
                        tuple(pattern.sub(rename, a) for a in c.aliases),
                        c.first_chapter,
                        c.gender,
                        family=tuple(
                            FamilyTie(pattern.sub(rename, f.person), f.type) for f in c.family
                        ),
                    )
                    for c in cast
                ],
                folder / characters,
            )
        rows.append(f"book{number}.txt,Book {number},,{characters}")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, books * len(text.split())


class PeakMemory:
    """The largest resident size of any process in the trees of `roots`, sampled in a thread."""

    def __init__(self, roots: list[int]) -> None:
        self.roots = roots
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            for root in self.roots:
                try:
                    parent = psutil.Process(root)
                    for p in [parent, *parent.children(recursive=True)]:
                        self.peak = max(self.peak, p.memory_info().rss)
                except psutil.Error:
                    continue


def run(args: list[str], out: Path, watch: list[int]) -> tuple[float, int]:
    """Seconds of one whole `kg batch` command and the peak memory of its largest process."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen([*KG, "batch", *args, "--out", str(out)], stdout=subprocess.PIPE)
    with PeakMemory([process.pid, *watch]) as memory:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"kg batch failed:\n{output.decode()}")
    return seconds, memory.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--books", type=int, default=200)
    parser.add_argument("--lists", action="store_true", help="give each book its cast")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-batch-bench-") as tmp:
        folder = Path(tmp)
        (folder / "books").mkdir()
        manifest, words = build(folder / "books", options.books, options.lists)
        mode = "character lists" if options.lists else "discovery"
        print(f"{options.books} books, {words:,} words ({mode}); whole `kg batch` commands")
        results = {}
        for name, extra in (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])):
            results[name] = run(["--books", str(manifest), *extra], folder / "out", [])
        with LocalCluster(
            n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            workers = [w.pid for w in cluster.workers.values() if w.pid is not None]  # type: ignore[attr-defined]
            results["Dask, 2 workers"] = run(
                ["--books", str(manifest), "--scheduler", cluster.scheduler_address],
                folder / "out",
                workers,
            )
        base = results["--jobs 1"][0]
        header = ("seconds", "books/s", "words/s", "x jobs 1", "peak MB")
        print(f"{'run':<16} " + " ".join(f"{h:>8}" for h in header))
        for name, (seconds, peak) in results.items():
            print(
                f"{name:<16} {seconds:8.1f} {options.books / seconds:8.2f}"
                f" {words / seconds:9,.0f} {base / seconds:8.2f} {peak / 2**20:8.0f}"
            )
        dask, jobs2 = results["Dask, 2 workers"][0], results["--jobs 2"][0]
        print(f"Dask against --jobs 2: {dask / jobs2 - 1:+.0%} time")


if __name__ == "__main__":
    main()
