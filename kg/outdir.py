"""The output folder of `kg extract`, owned here in both directions: the Extraction record,
its files (column by column), `save` and the readers of a saved folder."""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg import files
from kg.errors import InputError
from kg.files import Row
from kg.network import interaction_graph
from kg.nlp import TOKENIZER
from kg.records import Book, Chapter, Character, CharacterStats, Interaction, Mention, Quote
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

    def file_texts(self, characters_file: str | None = None) -> dict[str, str]:
        """The OUTDIR files (name -> text) of the data contract."""
        book_json = {
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


class BookInfo(BaseModel):
    """book.json of an extract output folder: the book's title and how it was extracted."""

    model_config = ConfigDict(extra="ignore")
    title: str = Field(min_length=1)
    source: str | None = None
    window: int | None = Field(default=None, ge=1, le=MAX_WINDOW)
    model: str | None = None
    characters_file: str | None = None
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
