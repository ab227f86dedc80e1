"""LitBank excerpts rewritten as a hard-wrapped book, every gold offset where it was.

    python benchmarks/wrap_litbank.py LITBANK_DIR OUT_DIR [--width 70]

LitBank's excerpts (NAME.txt with NAME.ann and NAME.conll) have one sentence per line; a
Project Gutenberg book has paragraphs of lines wrapped at about 70 characters, separated by
blank lines. Each excerpt is rewritten so, changing only whitespace and the place of a
paragraph's last token, never a character inside a gold span:

- paragraphs (a guess): a line that opens with a quotation mark starts one after a line of
  narration (unless it leads into it: "he said:", "he said,") or a line that ends with a
  quotation; after a quotation and its attribution ('"Yes," said Good.') the speaker goes
  on in the same paragraph; the narration after a quotation stays in its paragraph;
- a paragraph break turns " <last token>\\n" into "<last token>\\n\\n" (same length); a line
  break inside a paragraph becomes a space;
- lines are wrapped at WIDTH by turning spaces into line breaks, never inside a gold span,
  before a closing mark or a comma, or next to a straight quotation mark (a book does not
  open a line with one that closes).

The .ann and .conll files are copied alongside, and every gold span of the .ann is checked
to read as before. Score the result with the pronoun scorer's `--data-dir OUT_DIR`.
"""

import argparse
import re
import shutil
import sys
from pathlib import Path

OPENING = "\u201c\u2018("
"""Marks after which a line is not broken."""
CLOSING = ",.;:!?)\u201d\u2019"
"""Tokens before which a line is not broken."""
STRAIGHT = "\"'"
"""Marks next to which a line is not broken (they open or close)."""
QUOTES = "\"'\u201c\u201d\u2018\u2019"


def gold_spans(ann: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the .ann's text-bound annotations."""
    spans = []
    for line in ann.splitlines():
        if line.startswith("T"):
            _, mid, surface = line.split("\t")
            _, start, end = mid.split(" ")
            spans.append((int(start), int(end), surface))
    return spans


def covered(text: str, spans: list[tuple[int, int, str]]) -> list[bool]:
    """For each offset of `text`, whether a gold span holds it."""
    inside = [False] * len(text)
    for start, end, _ in spans:
        inside[start:end] = [True] * (end - start)
    return inside


def paragraph_ends(lines: list[str]) -> set[int]:
    """Indexes of the lines that end a paragraph (the guess of the module's docstring)."""
    ends = set()
    for i, line in enumerate(lines[:-1]):
        bare = line.rstrip()[-1:] in QUOTES or not any(token in QUOTES for token in line.split())
        if lines[i + 1][:1] in QUOTES and bare and line.rstrip()[-1:] not in ",:":
            ends.add(i)
    return ends


def wrap(text: str, spans: list[tuple[int, int, str]], width: int = 70) -> str:
    """`text` (a sentence per line) as wrapped paragraphs of the same length."""
    chars = list(text)
    inside = covered(text, spans)
    lines = text.split("\n")
    ends = paragraph_ends(lines)
    pos = 0
    for i, line in enumerate(lines[:-1]):
        newline = pos + len(line)
        if newline == len(text) - 1:
            break  # the text's last line end
        last = line.rsplit(" ", 1)[-1]
        space = newline - len(last) - 1
        if i in ends and space > pos and not any(inside[space : newline + 1]):
            chars[space : newline + 1] = [*last, "\n", "\n"]
        else:
            chars[newline] = " "
        pos = newline + 1
    out = "".join(chars)
    for paragraph in re.finditer(r"[^\n]+", out):
        _wrap_paragraph(chars, paragraph.start(), paragraph.end(), inside, width)
    return "".join(chars)


def _wrap_paragraph(chars: list[str], start: int, end: int, inside: list[bool], width: int) -> None:
    breaks = [
        i
        for i in range(start + 1, end - 1)
        if chars[i] == " "
        and not inside[i]
        and chars[i + 1] not in CLOSING + STRAIGHT
        and chars[i - 1] not in OPENING + STRAIGHT
    ]
    line = start
    k = 0
    while k < len(breaks) and end - line > width:
        fitting = [b for b in breaks[k:] if b - line <= width]
        cut = fitting[-1] if fitting else breaks[k]
        chars[cut] = "\n"
        line = cut + 1
        k = breaks.index(cut) + 1


def check(old: str, new: str, spans: list[tuple[int, int, str]]) -> None:
    """Raise if the rewrite changed the length or any gold span's text."""
    if len(new) != len(old):
        raise ValueError(f"length {len(old)} -> {len(new)}")
    for start, end, surface in spans:
        if old[start:end] != surface or new[start:end] != surface:
            raise ValueError(f"span {start}-{end} {surface!r} reads {new[start:end]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("litbank", type=Path, help="LitBank dir (NAME.txt, NAME.ann, NAME.conll)")
    parser.add_argument("out", type=Path, help="where the wrapped excerpts are written")
    parser.add_argument("--width", type=int, default=70)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    books = sorted(args.litbank.glob("*.txt"))
    if not books:
        sys.exit(f"no .txt excerpts in {args.litbank}")
    paragraphs = lines = 0
    for txt in books:
        text = txt.read_text(encoding="utf-8")
        ann = txt.with_suffix(".ann")
        spans = gold_spans(ann.read_text(encoding="utf-8"))
        wrapped = wrap(text, spans, args.width)
        check(text, wrapped, spans)
        (args.out / txt.name).write_text(wrapped, encoding="utf-8")
        for other in (ann, txt.with_suffix(".conll")):
            if other.exists():
                shutil.copy(other, args.out / other.name)
        paragraphs += wrapped.count("\n\n") + 1
        lines += wrapped.count("\n") - wrapped.count("\n\n")
    print(f"{len(books)} excerpts, {paragraphs} paragraphs, {lines} lines -> {args.out}")


if __name__ == "__main__":
    main()
