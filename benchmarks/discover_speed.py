"""Discovery-mode speed in one process, on the ~500,000-word discovery book of extract_speed.py.

    python benchmarks/discover_speed.py [--words 500000] [--model NAME]

The sample novella is repeated; every ten copies its character names are swapped for other
first names from kg's gazetteer, so the big book has a few hundred people, like a long novel.
Prints words/s for discovery alone and for `kg.extract` without a list (discovery plus
mention matching and the network), and the peak resident memory of the process. The whole
`kg extract` command, as a user runs it, is timed by extract_speed.py.
"""

import argparse
import resource
import time

from extract_speed import discovery_text

from kg.book import split_chapters
from kg.discover import discover
from kg.extract import extract
from kg.records import Book


def big_book(words: int) -> Book:
    """The discovery book of extract_speed.py (a new cast every ten copies of the sample)."""
    text = discovery_text(words)
    return Book("benchmark", text, split_chapters(text))


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
