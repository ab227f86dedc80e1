"""Build the sample's book.txt and gold CSVs from data/sample/novella.annotated.txt.

Markup: [[surface|Canonical Name]] marks a mention, {{heading|Title}} a chapter heading
(the heading may contain mentions; the title may be empty). Run from anywhere:
    python scripts/build_sample.py
"""

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SOURCE = "novella.annotated.txt"
TOKEN = re.compile(r"\[\[|\]\]|\{\{|\}\}|\|")
CLOSES = {"[[": "]]", "{{": "}}"}


@dataclass(frozen=True)
class Span:
    """A marked span of the plain text: a mention (meta = character) or a heading (meta = title)."""

    start: int
    end: int
    text: str
    meta: str


@dataclass(frozen=True)
class Sample:
    """The plain book text with its gold mentions and chapter headings."""

    text: str
    mentions: tuple[Span, ...]
    headings: tuple[Span, ...]

    def chapter_of(self, offset: int) -> int:
        """The 1-based number of the chapter holding offset."""
        number = sum(1 for h in self.headings if h.start <= offset)
        if number == 0:
            raise ValueError(f"offset {offset} lies before the first chapter heading")
        return number


@dataclass
class _Open:
    kind: str
    start: int
    line: int
    meta_from: int = -1


def parse(source: str) -> Sample:
    """Strip the markup from source, keeping the marked spans as offsets into the plain text."""
    parts: list[str] = []
    size = 0
    mentions: list[Span] = []
    headings: list[Span] = []
    stack: list[_Open] = []
    pos = 0
    for token in TOKEN.finditer(source):
        line = source.count("\n", 0, token.start()) + 1
        if not (stack and stack[-1].meta_from >= 0):
            parts.append(source[pos : token.start()])
            size += token.start() - pos
        pos = token.end()
        kind = token.group()
        if kind in CLOSES:
            if any(o.kind == kind for o in stack) or (stack and stack[-1].meta_from >= 0):
                raise ValueError(f"line {line}: {kind} cannot open here")
            stack.append(_Open(kind, size, line))
        elif kind == "|":
            if not stack or stack[-1].meta_from >= 0:
                raise ValueError(f"line {line}: stray |")
            stack[-1].meta_from = token.end()
        else:
            top = stack.pop() if stack else None
            if top is None or CLOSES[top.kind] != kind or top.meta_from < 0:
                raise ValueError(f"line {line}: unexpected {kind}")
            text = "".join(parts)[top.start :]
            meta = source[top.meta_from : token.start()]
            if text != text.strip() or not text or "\n" in meta:
                raise ValueError(f"line {line}: bad span {text!r}|{meta!r}")
            if kind == "]]" and not meta.strip():
                raise ValueError(f"line {line}: mention {text!r} has no character")
            (mentions if kind == "]]" else headings).append(Span(top.start, size, text, meta))
    if stack:
        raise ValueError(f"line {stack[-1].line}: {stack[-1].kind} is never closed")
    parts.append(source[pos:])
    mentions.sort(key=lambda m: m.start)
    return Sample("".join(parts), tuple(mentions), tuple(headings))


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def render(source: str) -> dict[str, str]:
    """The generated files (name -> exact content) for an annotated source."""
    sample = parse(source)
    ends = [h.start for h in sample.headings[1:]] + [len(sample.text)]
    return {
        "book.txt": sample.text,
        "gold_mentions.csv": _csv(
            ["chapter", "start", "end", "text", "character"],
            [[sample.chapter_of(m.start), m.start, m.end, m.text, m.meta] for m in sample.mentions],
        ),
        "gold_chapters.csv": _csv(
            ["chapter", "start", "end", "heading", "title"],
            [
                [n, h.start, end, h.text, h.meta]
                for n, (h, end) in enumerate(zip(sample.headings, ends, strict=True), 1)
            ],
        ),
    }


def main() -> None:
    source = (SAMPLE / SOURCE).read_text(encoding="utf-8")
    try:
        files = render(source)
    except ValueError as e:
        sys.exit(f"{SAMPLE / SOURCE}: {e}")
    for name, content in files.items():
        with open(SAMPLE / name, "w", encoding="utf-8", newline="") as f:
            f.write(content)
    print(f"wrote {', '.join(files)} to {SAMPLE}")


if __name__ == "__main__":
    main()
