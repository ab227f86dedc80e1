"""The output folder of `kg extract`, owned here in both directions: the Extraction record,
its files (column by column), `save` and the readers of a saved folder."""

import csv
import json
import operator
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg import files
from kg.errors import InputError
from kg.files import Row
from kg.network import character_stats, interaction_graph
from kg.nlp import TOKENIZER
from kg.records import (
    NAME,
    Book,
    Chapter,
    Character,
    CharacterStats,
    Interaction,
    Mention,
    Quote,
)
from kg.settings import MAX_WINDOW, WINDOW

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

QUOTES_FILE = "quotes.csv"
"""Written only with coreference: the quotations and their speakers."""
MENTION_COLUMNS = ("chapter", "start", "end", "text", "character", "kind")
QUOTE_COLUMNS = ("chapter", "start", "end", "speaker", "addressee")
INTERACTION_COLUMNS = ("source", "target", "weight", "first_chapter")
CHAPTER_INTERACTION_COLUMNS = ("chapter", "source", "target", "weight")
CHARACTER_COLUMNS = (
    *("name", "mentions", "pagerank", "community"),
    *("first_chapter", "aliases", "discovered", "gender", "gender_source"),
)
CHAPTER_COLUMNS = ("number", "title", "start", "end", "mentions")


def mention_rows(mentions: Iterable[Mention]) -> list[Row]:
    """mentions.csv rows, sorted by start offset."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end, m.character))
    return [(m.chapter, m.start, m.end, m.text, m.character, m.kind) for m in ordered]


def quote_rows(quotes: Iterable[Quote]) -> list[Row]:
    """quotes.csv rows, sorted by start offset; an unknown speaker or addressee is empty."""
    ordered = sorted(quotes, key=lambda q: (q.start, q.end))
    return [(q.chapter, q.start, q.end, q.speaker, q.addressee) for q in ordered]


def interaction_rows(interactions: Iterable[Interaction]) -> list[Row]:
    """interactions.csv rows: heaviest pair first, then by names."""
    ordered = sorted(interactions, key=lambda i: (-i.weight, i.source, i.target))
    return [
        (i.source, i.target, i.weight, i.chapters[0][0] if i.chapters else None) for i in ordered
    ]


def chapter_interaction_rows(interactions: Iterable[Interaction]) -> list[Row]:
    """interactions_by_chapter.csv rows, sorted by chapter, then names."""
    return sorted(
        (chapter, i.source, i.target, count) for i in interactions for chapter, count in i.chapters
    )


def character_rows(
    stats: Iterable[CharacterStats], characters: Iterable[Character], mentions: Iterable[Mention]
) -> list[Row]:
    """characters.csv rows, in the order of `stats` (PageRank, highest first)."""
    by_name = {c.name: c for c in characters}
    first: dict[str, int] = {}
    for m in mentions:
        first[m.character] = min(m.chapter, first.get(m.character, m.chapter))
    rows: list[Row] = []
    for s in stats:
        character = by_name.get(s.name, Character(s.name))
        aliases = ";".join(character.aliases)
        rank = round(s.pagerank, 6)
        found = first.get(s.name)
        facts = (found, aliases, character.discovered, character.gender, character.gender_source)
        rows.append((s.name, s.mentions, rank, s.community, *facts))
    return rows


def chapter_rows(chapters: Iterable[Chapter], mentions: Iterable[Mention]) -> list[Row]:
    """chapters.csv rows: each chapter with its number of mentions."""
    counts: dict[int, int] = {}
    for m in mentions:
        counts[m.chapter] = counts.get(m.chapter, 0) + 1
    return [(c.number, c.title, c.start, c.end, counts.get(c.number, 0)) for c in chapters]


@dataclass(frozen=True)
class Extraction:
    """The result of `extract`: mentions, interactions and network stats of one book."""

    book: Book
    characters: tuple[Character, ...]
    mentions: tuple[Mention, ...]
    interactions: tuple[Interaction, ...]
    stats: tuple[CharacterStats, ...]
    window: int = WINDOW
    model: str = TOKENIZER
    quotes: tuple[Quote, ...] | None = None
    """The quotations with their speakers; None when coreference did not run."""
    narrator: str | None = None
    """The narrator given (`extract(narrator=...)`); None when found or not asked for."""

    def book_json(self, characters_file: str | None = None) -> dict[str, object]:
        """The object of book.json: the book and how it was extracted."""
        return {
            "title": self.book.title,
            "source": self.book.source,
            "gutenberg": (
                dict(zip(("start", "end"), self.book.gutenberg, strict=True))
                if self.book.gutenberg
                else None
            ),
            "window": self.window,
            "model": self.model,
            "characters_file": characters_file,
            "coref": self.quotes is not None,
            "narrator": self.narrator,
            "kg_version": version("kg"),
        }

    def file_texts(self, characters_file: str | None = None) -> dict[str, str]:
        """The OUTDIR files (name -> text) of the data contract."""
        book_json = self.book_json(characters_file)
        texts = {
            "mentions.csv": files.csv_text(MENTION_COLUMNS, self._rows("mentions")),
            "interactions.csv": files.csv_text(INTERACTION_COLUMNS, self._rows("interactions")),
            "interactions_by_chapter.csv": files.csv_text(
                CHAPTER_INTERACTION_COLUMNS, self._rows("interactions_by_chapter")
            ),
            "characters.csv": files.csv_text(CHARACTER_COLUMNS, self._rows("characters")),
            "chapters.csv": files.csv_text(CHAPTER_COLUMNS, self._rows("chapters")),
            "book.json": json.dumps(book_json, ensure_ascii=False, indent=2) + "\n",
            "characters.jsonl": "".join(
                json.dumps(files.character_to_json(c), ensure_ascii=False) + "\n"
                for c in self.characters
            ),
        }
        if self.quotes is not None:
            texts[QUOTES_FILE] = files.csv_text(QUOTE_COLUMNS, self._rows("quotes"))
        return texts

    def save(self, outdir: Path, *, characters_file: str | None = None) -> None:
        """Write the OUTDIR files all at once (see `save`)."""
        save(self, outdir, characters_file=characters_file)

    def _rows(self, table: str) -> list[Row]:
        match table:
            case "mentions":
                return mention_rows(self.mentions)
            case "interactions":
                return interaction_rows(self.interactions)
            case "interactions_by_chapter":
                return chapter_interaction_rows(self.interactions)
            case "characters":
                return character_rows(self.stats, self.characters, self.mentions)
            case "chapters":
                return chapter_rows(self.book.chapters, self.mentions)
            case "quotes":
                return quote_rows(self.quotes or ())
        raise ValueError(table)

    def _frame(self, table: str, columns: Sequence[str]) -> "pd.DataFrame":
        import pandas as pd

        return pd.DataFrame(self._rows(table), columns=list(columns))

    def mentions_frame(self) -> "pd.DataFrame":
        """mentions.csv as a DataFrame: chapter, start, end, text, character, kind."""
        return self._frame("mentions", MENTION_COLUMNS)

    def quotes_frame(self) -> "pd.DataFrame":
        """quotes.csv as a DataFrame: chapter, start, end, speaker, addressee."""
        return self._frame("quotes", QUOTE_COLUMNS)

    def interactions_frame(self) -> "pd.DataFrame":
        """interactions.csv as a DataFrame: source, target, weight, first_chapter."""
        return self._frame("interactions", INTERACTION_COLUMNS)

    def interactions_by_chapter_frame(self) -> "pd.DataFrame":
        """interactions_by_chapter.csv as a DataFrame: chapter, source, target, weight."""
        return self._frame("interactions_by_chapter", CHAPTER_INTERACTION_COLUMNS)

    def characters_frame(self) -> "pd.DataFrame":
        """characters.csv as a DataFrame: name, mentions, pagerank, community, ..."""
        return self._frame("characters", CHARACTER_COLUMNS)

    def chapters_frame(self) -> "pd.DataFrame":
        """chapters.csv as a DataFrame: number, title, start, end, mentions."""
        return self._frame("chapters", CHAPTER_COLUMNS)

    def to_networkx(self) -> "nx.Graph":
        """The weighted interaction graph; nodes carry mentions, pagerank and community."""
        graph = interaction_graph(self.interactions, (s.name for s in self.stats))
        for s in self.stats:
            graph.nodes[s.name].update(
                mentions=s.mentions, pagerank=s.pagerank, community=s.community
            )
        return graph


def save(extraction: Extraction, outdir: Path, *, characters_file: str | None = None) -> None:
    """Write an extraction's OUTDIR files all at once (none is written if one cannot be); a
    quotes.csv of an earlier run with coreference goes when this one had none.

    `characters_file` is recorded in book.json: the CHARS.jsonl the characters came from.
    """
    files.write_folder(outdir, extraction.file_texts(characters_file))
    if extraction.quotes is None:
        (outdir / QUOTES_FILE).unlink(missing_ok=True)


class _Span(BaseModel):
    start: int
    end: int


class BookInfo(BaseModel):
    """book.json of an extract output folder: the book's title and how it was extracted."""

    model_config = ConfigDict(extra="ignore")
    title: str = Field(min_length=1)
    source: str | None = None
    window: int | None = Field(default=None, ge=1, le=MAX_WINDOW)
    model: str | None = None
    characters_file: str | None = None
    gutenberg: _Span | None = None
    coref: bool | None = None
    """None in folders older than the coref setting."""
    narrator: str | None = None
    kg_version: str | None = None


def read_book_json(path: Path) -> BookInfo:
    """Read and check book.json; InputError names the file and what is wrong."""
    try:
        book = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise missing_file(path) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: not a JSON object ({e})") from None
    if not isinstance(book, dict):
        raise InputError(f"{path}: not a JSON object")
    try:
        return BookInfo.model_validate(book)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(f"{path}: {where}: {first['msg']}") from None


def outdir_path(outdir: Path | str) -> Path:
    """An extract output folder as a Path; InputError if there is no such folder."""
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise InputError(f"{outdir}: no such folder (give the output folder of kg extract)")
    return outdir


def missing_file(path: Path) -> InputError:
    """The error for a file an extract output folder lacks."""
    return InputError(f"{path}: no such file (is {path.parent} a kg extract output folder?)")


def read_table(path: Path, numeric: Sequence[str] = (), text: Sequence[str] = ()) -> "pd.DataFrame":
    """A CSV file of an extract output folder, its named columns checked; text stays text
    (a character called "Nan" is not a missing value). InputError if it cannot be used."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, keep_default_na=False, dtype={c: str for c in text})
    except FileNotFoundError:
        raise missing_file(path) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: not a readable CSV file ({e})") from None
    missing = [c for c in (*numeric, *text) if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    wrong = [c for c in numeric if not pd.api.types.is_numeric_dtype(frame[c])]
    if wrong:
        raise InputError(f"{path}: column(s) {', '.join(wrong)} must hold numbers")
    return frame


def read_extraction(outdir: Path | str) -> Extraction:
    """Read a `kg extract` output folder back into the Extraction it was saved from.

    The book's text is not in the folder: `book.text` is empty, its chapters keep their
    offsets. Folders of older kg versions are read too: only the columns `kg load` needs
    are required (a missing `kind` is a name, missing offsets are 0); without
    characters.jsonl the characters come from characters.csv, and without its network
    columns the stats are computed again. InputError names the file and line of the first
    bad row.
    """
    outdir = outdir_path(outdir)
    meta = read_book_json(outdir / "book.json")
    chapters = _read_chapters(outdir / "chapters.csv")
    numbers = {c.number for c in chapters}
    book = Book(
        title=meta.title,
        text="",
        chapters=tuple(chapters),
        source=meta.source,
        gutenberg=(meta.gutenberg.start, meta.gutenberg.end) if meta.gutenberg else None,
    )
    stats, listed = _read_character_table(outdir / "characters.csv")
    jsonl = outdir / "characters.jsonl"
    characters = files.read_characters(jsonl) if jsonl.exists() else listed
    mentions = _read_mentions(outdir / "mentions.csv", numbers)
    interactions = _read_interactions(outdir, numbers)
    if stats is None:
        stats = character_stats(interactions, Counter(m.character for m in mentions))
    quotes = outdir / QUOTES_FILE
    return Extraction(
        book=book,
        characters=tuple(characters),
        mentions=tuple(mentions),
        interactions=tuple(interactions),
        stats=tuple(stats),
        window=meta.window or WINDOW,
        model=meta.model or TOKENIZER,
        quotes=tuple(_read_quotes(quotes, numbers)) if quotes.exists() else None,
        narrator=meta.narrator,
    )


def read_rows(
    path: Path, columns: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, values of `columns` and then `optional`) for each row of an output
    folder's CSV file; an optional column the file lacks reads as ""."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, [])
            missing = [c for c in columns if c not in header]
            if missing:
                raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
            width = len(header)
            # A column the file lacks is read from an empty cell added at the row's end.
            pad = [""] if any(c not in header for c in optional) else []
            pick = operator.itemgetter(
                *(header.index(c) if c in header else width for c in (*columns, *optional))
            )
            for row in reader:
                if len(row) != width:
                    if not row:
                        continue
                    raise InputError(f"{path}:{reader.line_num}: {len(row)} fields, not {width}")
                yield reader.line_num, pick(row + pad if pad else row)
    except FileNotFoundError:
        raise missing_file(path) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None


def _number(text: str, path: Path, line: int, column: str, least: int = 1) -> int:
    """A count, an offset or a chapter number: a whole number, at least `least`."""
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{path}:{line}: {column} is not a number: {text!r}") from None
    if value < least:
        raise InputError(f"{path}:{line}: {column} must be at least {least}, not {value}")
    return value


def _chapter(text: str, chapters: Collection[int], path: Path, line: int) -> int:
    chapter = _number(text, path, line, "chapter")
    if chapter not in chapters:
        raise InputError(f"{path}:{line}: chapter {chapter} is not in chapters.csv")
    return chapter


def _read_chapters(path: Path) -> list[Chapter]:
    """chapters.csv; offsets are 0 in folders that lack them."""
    return [
        Chapter(
            _number(number, path, line, "number"),
            title,
            _number(start or "0", path, line, "start", 0),
            _number(end or "0", path, line, "end", 0),
        )
        for line, (number, title, start, end) in read_rows(
            path, ("number", "title"), ("start", "end")
        )
    ]


def _read_character_table(path: Path) -> tuple[list[CharacterStats] | None, list[Character]]:
    """characters.csv: each character's network stats (None if the table lacks them), and
    what the table says of it."""
    stats: list[CharacterStats] | None = []
    characters = []
    for line, row in read_rows(
        path,
        ("name", "aliases", "discovered"),
        ("mentions", "pagerank", "community", "gender", "gender_source"),
    ):
        name, aliases, discovered, mentions, pagerank, community, gender, source = row
        characters.append(
            Character(
                name,
                aliases=tuple(a for a in aliases.split(";") if a),
                discovered=discovered.lower() == "true",
                gender=gender or None,
                gender_source=source or None,
            )
        )
        if stats is None or not (mentions and pagerank and community):
            stats = None
            continue
        try:
            rank = float(pagerank)
        except ValueError:
            raise InputError(f"{path}:{line}: pagerank is not a number: {pagerank!r}") from None
        stats.append(
            CharacterStats(
                name,
                _number(mentions, path, line, "mentions", 0),
                rank,
                _number(community, path, line, "community", 0),
            )
        )
    return stats, characters


def _read_mentions(path: Path, chapters: Collection[int]) -> list[Mention]:
    numbers: dict[str, int] = {}
    mentions = []
    for line, (chapter, name, start, end, text, kind) in read_rows(
        path, ("chapter", "character"), ("start", "end", "text", "kind")
    ):
        if chapter not in numbers:
            numbers[chapter] = _chapter(chapter, chapters, path, line)
        try:
            offsets = int(start or 0), int(end or 0)
        except ValueError:
            offsets = (-1, -1)
        if offsets[0] < 0 or offsets[1] < 0:
            offsets = (
                _number(start or "0", path, line, "start", 0),
                _number(end or "0", path, line, "end", 0),
            )
        mentions.append(Mention(numbers[chapter], *offsets, text, name, 0, kind or NAME))
    return mentions


def _read_quotes(path: Path, chapters: Collection[int]) -> list[Quote]:
    return [
        Quote(
            _chapter(chapter, chapters, path, line),
            _number(start, path, line, "start", 0),
            _number(end, path, line, "end", 0),
            speaker or None,
            addressee or None,
        )
        for line, (chapter, start, end, speaker, addressee) in read_rows(path, QUOTE_COLUMNS)
    ]


def _read_interactions(outdir: Path, chapters: Collection[int]) -> list[Interaction]:
    """interactions.csv with each pair's per-chapter weights from interactions_by_chapter.csv.

    The loops check rows inline and call _check only to word the error: this runs per row.
    """
    breakdown: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    path = outdir / "interactions_by_chapter.csv"
    for line, (chapter, source, target, weight) in read_rows(path, CHAPTER_INTERACTION_COLUMNS):
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
    interactions = []
    path = outdir / "interactions.csv"
    for line, (source, target, weight, first) in read_rows(path, INTERACTION_COLUMNS):
        numbers, counts = breakdown.pop((source, target), ((), ()))
        if weight != str(sum(counts)) or first != str(min(numbers, default=0)):
            _check(path, line, chapters, weight=weight, first_chapter=first, pair=(source, target))
            raise InputError(
                f"{path}:{line}: weight or first_chapter disagrees with interactions_by_chapter.csv"
            )
        interactions.append(
            Interaction(
                source, target, int(weight), tuple(sorted(zip(numbers, counts, strict=True)))
            )
        )
    if breakdown:
        source, target = next(iter(breakdown))
        raise InputError(
            f"{path}: pair {source!r}, {target!r} is in interactions_by_chapter.csv only"
        )
    return interactions


def _check(
    path: Path,
    line: int,
    chapters: Collection[int],
    *,
    pair: tuple[str, str],
    chapter: str | None = None,
    **counts: str,
) -> None:
    """Raise the InputError that names what is wrong with a row, if anything is."""
    if chapter is not None:
        _chapter(chapter, chapters, path, line)
    for column, text in counts.items():
        _number(text, path, line, column)
    if not pair[0] < pair[1]:
        raise InputError(f"{path}:{line}: source must sort before target")
