"""`kg extract` as a user runs it (whole processes) against spaCy's tokenizer, on ~500,000 words.

    python benchmarks/extract_speed.py [--words 500000] [--casts 20] [--repeat 3]
                                       [--modes list,discover] [--model NAME] [--coref]

Builds two books from the bundled sample novella, repeated to about `--words` words:
- for list mode, each copy belongs to one of `--casts` casts whose name words get a suffix
  ("Toby" -> "Tobyc"), with the matching CHARS.jsonl (19 characters per cast, so ~380
  characters and ~2,000 name forms);
- for discovery, every ten copies the character names are swapped for other first names
  from kg's gazetteer, so the book has a few hundred people, like a long novel.

Then runs, `--repeat` times and interleaved (so that load from elsewhere hits all alike),
each as a whole process with Python start-up: the reference (spaCy's blank English
tokenizer over the book's paragraphs, split on blank lines), `kg extract --characters`
and `kg extract` without a list. Prints, per command, wall seconds (best and worst),
words/s of the best run, CPU seconds, peak memory (max RSS), and each kg command's ratio
of words/s to the reference's (best against best; goal >= 0.70 with a list). With
`--coref`, each kg command also runs with `--coref` (pronouns and quotations), in the same run.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.english import first_names
from kg.files import read_characters, write_characters
from kg.names import honorific
from kg.records import Character

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
COPIES_PER_CAST = 10
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def _copies(text: str, words: int) -> int:
    return max(1, round(words / len(text.split())))


def _name_words(cast: Sequence[Character], skip: Sequence[str]) -> list[str]:
    return sorted(
        {
            word
            for c in cast
            for name in (c.name, *c.aliases)
            for word in name.split()
            if word[:1].isupper() and word not in skip and not honorific(word)
        }
    )


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b")


def _suffix(cast: int) -> str:
    letters = ""
    while cast:
        cast, digit = divmod(cast, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
    return letters


def list_book(folder: Path, words: int, casts: int) -> tuple[Path, Path]:
    """Write the list-mode book and its character list into `folder`."""
    text = (SAMPLE / "book.txt").read_text(encoding="utf-8")
    cast = read_characters(SAMPLE / "characters.jsonl")
    pattern = _pattern(_name_words(cast, ("The",)))
    copies = _copies(text, words)
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
    book, chars = folder / "list.txt", folder / "list.jsonl"
    book.write_text("\n\n".join(parts), encoding="utf-8")
    write_characters(characters, chars)
    return book, chars


def discovery_text(words: int) -> str:
    """The sample repeated to about `words` words; a new cast of gazetteer names per ten copies."""
    text = (SAMPLE / "book.txt").read_text(encoding="utf-8")
    names = _name_words(read_characters(SAMPLE / "characters.jsonl"), ("The", "Grey"))
    pattern = _pattern(names)
    pool = sorted(first_names())
    parts = []
    for copy in range(_copies(text, words)):
        cast = copy // COPIES_PER_CAST
        swap = {n: pool[(i * 37 + cast * 101) % len(pool)] for i, n in enumerate(names)}
        parts.append(pattern.sub(lambda m: swap[m.group()], text) if cast else text)  # noqa: B023
    return "\n\n".join(parts)


def discovery_book(folder: Path, words: int) -> Path:
    """Write the discovery book into `folder`."""
    book = folder / "discovery.txt"
    book.write_text(discovery_text(words), encoding="utf-8")
    return book


def reference(book: Path) -> None:
    """The reference: spaCy's blank English tokenizer over the paragraphs of the book."""
    import spacy

    nlp = spacy.blank("en")
    text = book.read_text(encoding="utf-8")
    for _ in nlp.pipe(p for p in PARAGRAPH_BREAK.split(text) if p.strip()):
        pass


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def run(command: Sequence[str]) -> Run:
    """Run a whole process; its wall and CPU seconds and peak resident memory."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--casts", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", default="list,discover", help="list, discover or both")
    parser.add_argument("--model", default=None, help="spaCy model for discovery")
    parser.add_argument("--coref", action="store_true", help="also time kg extract --coref")
    parser.add_argument("--reference", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference:
        reference(args.reference)
        return
    modes = args.modes.split(",")
    kg = [sys.executable, "-m", "kg", "extract"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        commands: dict[str, tuple[Path, list[str]]] = {}
        if "list" in modes:
            book, chars = list_book(folder, args.words, args.casts)
            print(f"list book: {len(read_characters(chars))} characters")
            commands["reference (tokenizer over paragraphs)"] = (
                book,
                [sys.executable, __file__, "--reference", str(book)],
            )
            commands["kg extract --characters"] = (
                book,
                [*kg, "--book", str(book), "--characters", str(chars), "--out", f"{folder}/l"],
            )
        if "discover" in modes:
            book = discovery_book(folder, args.words)
            model = ["--model", args.model] if args.model else []
            if "list" not in modes:
                commands["reference (tokenizer over paragraphs)"] = (
                    book,
                    [sys.executable, __file__, "--reference", str(book)],
                )
            commands["kg extract (discovery)"] = (
                book,
                [*kg, "--book", str(book), *model, "--out", str(folder / "discovery")],
            )
        if args.coref:
            for label, (book, command) in list(commands.items())[1:]:
                out = command.index("--out") + 1
                coref = [*command[:out], f"{command[out]}-coref", *command[out + 1 :], "--coref"]
                commands[f"{label} --coref"] = (book, coref)
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for _ in range(args.repeat):
            for label, (_, command) in commands.items():
                runs[label].append(run(command))
        best = {label: min(r.wall for r in found) for label, found in runs.items()}
        words_of = {
            label: len(book.read_text(encoding="utf-8").split())
            for label, (book, _) in commands.items()
        }
        speed = {label: words_of[label] / best[label] for label in commands}
        reference_label = next(iter(commands))
        cpu = {label: min(r.cpu for r in found) for label, found in runs.items()}
        cpu_speed = {label: words_of[label] / cpu[label] for label in commands}
        for label in commands:
            words = words_of[label]
            found = runs[label]
            line = (
                f"{label}: {words:,} words, {speed[label]:,.0f} words/s,"
                f" {best[label]:.2f}-{max(r.wall for r in found):.2f} s wall,"
                f" {cpu[label]:.2f} s CPU,"
                f" peak memory {max(r.peak_mb for r in found):.0f} MB"
            )
            if label != reference_label:
                line += (
                    f", ratio to the reference {speed[label] / speed[reference_label]:.2f} wall,"
                    f" {cpu_speed[label] / cpu_speed[reference_label]:.2f} CPU"
                )
            print(line)


if __name__ == "__main__":
    main()
