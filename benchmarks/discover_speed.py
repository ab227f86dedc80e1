"""Discovery-mode speed and memory on a ~500,000-word book built from the bundled sample.

    python benchmarks/discover_speed.py [--words 500000] [--model NAME]

The sample novella is repeated; every ten copies its character names are swapped for other
first names from kg's gazetteer, so the big book has a few hundred people, like a long novel.
Prints words/s for discovery alone and for `kg.extract` without a list (discovery plus
mention matching and the network), and the peak resident memory of the process.
"""

import argparse
import re
import resource
import time
from pathlib import Path

from kg.book import split_chapters
from kg.discover import discover, first_names
from kg.extract import extract
from kg.files import read_characters
from kg.records import Book

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
COPIES_PER_CAST = 10


def big_book(words: int) -> Book:
    """The sample book repeated to about `words` words, with a new cast every ten copies."""
    text = (SAMPLE / "book.txt").read_text(encoding="utf-8")
    names = sorted(
        {
            word
            for c in read_characters(SAMPLE / "characters.jsonl")
            for name in (c.name, *c.aliases)
            for word in name.split()
            if word[:1].isupper() and word not in ("The", "Grey", "Captain")
        }
    )
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    pool = sorted(first_names())
    copies = max(1, round(words / len(text.split())))
    parts = []
    for copy in range(copies):
        cast = copy // COPIES_PER_CAST
        swap = {n: pool[(i * 37 + cast * 101) % len(pool)] for i, n in enumerate(names)}
        parts.append(pattern.sub(lambda m, swap=swap: swap[m.group()], text) if cast else text)
    full = "\n\n".join(parts)
    return Book("benchmark", full, split_chapters(full))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--model", default=None, help="spaCy model package (default: settings)")
    args = parser.parse_args()
    book = big_book(args.words)
    words = len(book.text.split())
    print(f"book: {words:,} words, {len(book.chapters)} chapters")
    start = time.perf_counter()
    people = discover(book, model=args.model)
    seconds = time.perf_counter() - start
    print(f"discover: {seconds:.1f} s, {words / seconds:,.0f} words/s, {len(people)} characters")
    start = time.perf_counter()
    result = extract(book, model=args.model)
    seconds = time.perf_counter() - start
    print(
        f"kg.extract without a list: {seconds:.1f} s, {words / seconds:,.0f} words/s,"
        f" {len(result.mentions):,} mentions of {len(result.stats)} characters"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
