"""List-mode extraction speed and memory against spaCy's tokenizer alone, on ~500,000 words.

    python benchmarks/extract_speed.py [--words 500000] [--casts 20] [--repeat 3]

Builds a big book from the bundled sample novella: the novella is repeated, and each copy
belongs to one of `--casts` casts whose name words get a suffix ("Toby" -> "Tobyc"), with
the matching CHARS.jsonl (19 characters per cast, so ~380 characters and ~2,000 name
forms). Then, in this process, best of `--repeat` interleaved runs: spaCy's blank English
tokenizer over the chapters, and kg's whole list-mode job (read book and list, extract,
write OUTDIR). Prints words/s (wall and CPU time) for both and their ratio (goal >= 0.70),
then runs the real `kg extract` command once and prints its wall time (with Python
start-up) and peak memory (goal < 400 MB).
"""

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from kg.book import read_book
from kg.extract import extract
from kg.files import read_characters, write_characters
from kg.names import honorific
from kg.records import Character

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def _suffix(cast: int) -> str:
    letters = ""
    while cast:
        cast, digit = divmod(cast, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return letters


def build(folder: Path, words: int, casts: int) -> tuple[Path, Path]:
    """Write the big book and its character list into `folder`."""
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
    copies = max(1, round(words / len(text.split())))
    parts, characters = [], []
    for number in range(casts):

        def rename(match: re.Match[str], suffix: str = _suffix(number)) -> str:
            return match.group() + suffix

        characters += [
            Character(
                pattern.sub(rename, c.name),
                tuple(pattern.sub(rename, a) for a in c.aliases),
                c.first_chapter,
                c.gender,
                family=tuple(type(f)(pattern.sub(rename, f.person), f.type) for f in c.family),
            )
            for c in cast
        ]
        parts += [pattern.sub(rename, text) for _ in range(number, copies, casts)]
    book, chars = folder / "big.txt", folder / "big.jsonl"
    book.write_text("\n\n".join(parts), encoding="utf-8")
    write_characters(characters, chars)
    return book, chars


def _timed(job: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of a job (CPU time suffers less from a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    job()
    return time.perf_counter() - wall, time.process_time() - cpu


def tokenizer_only(book: Path) -> None:
    """spaCy's blank English tokenizer over the book's chapters."""
    nlp = spacy.blank("en")
    text = book.read_text(encoding="utf-8")
    for _ in nlp.pipe(text[c.start : c.end] for c in read_book(book).chapters):
        pass


def kg_job(book: Path, chars: Path, out: Path) -> None:
    """kg's whole list-mode job: read the book and the list, extract, save the OUTDIR."""
    extract(read_book(book), read_characters(chars)).save(out, characters_file=chars.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--casts", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book, chars = build(folder, args.words, args.casts)
        words = len(book.read_text(encoding="utf-8").split())
        print(
            f"book: {words:,} words, {len(read_book(book).chapters)} chapters,"
            f" {len(read_characters(chars))} characters"
        )
        tokenizer, kg = [], []
        for _ in range(args.repeat):  # interleaved, so that load from elsewhere hits both
            tokenizer.append(_timed(lambda: tokenizer_only(book)))
            kg.append(_timed(lambda: kg_job(book, chars, folder / "out")))
        for label, times in (("spaCy tokenizer only", tokenizer), ("kg list mode", kg)):
            wall, cpu = min(t[0] for t in times), min(t[1] for t in times)
            print(
                f"{label}: {words / wall:,.0f} words/s ({wall:.2f} s),"
                f" {words / cpu:,.0f} words/s of CPU ({cpu:.2f} s)"
            )
        ratios = [min(t[i] for t in tokenizer) / min(t[i] for t in kg) for i in (0, 1)]
        print(f"ratio kg / tokenizer: {ratios[0]:.2f} wall, {ratios[1]:.2f} CPU (goal >= 0.70)")
        command = [sys.executable, "-m", "kg", "extract", "--book", str(book)]
        command += ["--characters", str(chars), "--out", str(folder / "cli")]
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"`kg extract` command: {wall:.2f} s with start-up, {words / wall:,.0f} words/s,"
            f" peak memory {peak:.0f} MB (goal < 400 MB)"
        )


if __name__ == "__main__":
    main()
