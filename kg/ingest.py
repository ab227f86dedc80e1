"""The whole job in one call: (scrape ->) extract -> report (-> load -> analyze in Neo4j)."""

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from dataclasses import replace as replace_fields
from pathlib import Path
from typing import TYPE_CHECKING

from kg.book import read_book
from kg.db import Neo4jSettings, connect
from kg.export import GEXF_FILE, GRAPHML_FILE, gexf_text, graphml_text
from kg.extract import extract
from kg.files import write_atomic
from kg.graph import Graph
from kg.outdir import Extraction
from kg.records import Character
from kg.report import REPORT_FILE, report_page
from kg.settings import WINDOW

if TYPE_CHECKING:
    from kg.analyze import AnalysisSummary
    from kg.load import LoadSummary
    from kg.scrape import CharacterScrape, Fetcher


@dataclass(frozen=True)
class IngestSummary:
    """What `ingest` made: the extraction, the files written, and what each stage took."""

    outdir: Path
    extraction: Extraction
    report: Path
    graphml: Path
    gexf: Path
    scrape: "CharacterScrape | None" = None
    load: "LoadSummary | None" = None
    analysis: "AnalysisSummary | None" = None
    seconds: dict[str, float] = field(default_factory=dict)


def ingest(
    book: Path,
    out: Path,
    *,
    characters: Sequence[Character] | None = None,
    characters_file: str | None = None,
    index_url: str | None = None,
    fetcher: "Fetcher | None" = None,
    neo4j: Neo4jSettings | None = None,
    title: str | None = None,
    series: str | None = None,
    volume: int | None = None,
    replace: bool = False,
    window: int = WINDOW,
    model: str | None = None,
    discover: bool = False,
    coref: bool = False,
    narrator: str | None = None,
    on_stage: Callable[[str], object] | None = None,
) -> IngestSummary:
    """Run every stage on one book and write OUTDIR (CSVs, graph.graphml, graph.gexf,
    report.html).

    Characters come from `characters` (read from the CHARS.jsonl `characters_file`, which
    book.json and the report name), or are scraped from the wiki's `index_url` (with
    `fetcher`, or a new Chromium fetcher), or else discovered in the book. With
    `neo4j.uri` set, the result is also loaded into Neo4j and analysed there.
    `title` names the book (default: the file's stem); in Neo4j it is the `volume`-th book
    of `series` (default: a series of its own, see kg.load). `coref` and `narrator` are
    kg.extract's (pronouns and quotations). `on_stage` is called with each stage's name as
    it starts.
    """
    seconds: dict[str, float] = {}

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if on_stage is not None:
            on_stage(name)
        started = time.perf_counter()
        yield
        seconds[name] = time.perf_counter() - started

    text = read_book(book)
    if title:
        text = replace_fields(text, title=title)
    with ExitStack() as resources:
        driver = None
        if neo4j is not None and neo4j.uri:
            # Before any work, so a wrong password or a stopped server costs nothing.
            driver = resources.enter_context(connect(neo4j))
        scraped = None
        if index_url is not None:
            with stage("scrape"):
                scraped = _scrape(index_url, fetcher)
            characters = scraped.characters
        with stage("extract"):
            extraction = extract(
                text,
                characters,
                window=window,
                model=model,
                discover=discover,
                coref=coref,
                narrator=narrator,
            )
            extraction.save(out, characters_file=characters_file)
        with stage("report"):
            network = Graph.from_extraction(extraction)
            graphml, gexf = out / GRAPHML_FILE, out / GEXF_FILE
            write_atomic(graphml, graphml_text(network))
            write_atomic(gexf, gexf_text(network))
            report = out / REPORT_FILE
            about = extraction.book_json(characters_file)  # as book.json: kg report reads it
            write_atomic(report, report_page(extraction, text.text, about=about))
        loaded = analysis = None
        if driver is not None and neo4j is not None:
            from kg.analyze import analyze_in_neo4j
            from kg.load import load

            with stage("load"):
                loaded = load(  # OUTDIR as written, so a later `kg load` of it is a rerun
                    out,
                    driver,
                    database=neo4j.database,
                    series=series,
                    volume=volume,
                    replace=replace,
                )
            with stage("analyze"):
                analysis = analyze_in_neo4j(driver, database=neo4j.database, book=loaded.book)
    return IngestSummary(out, extraction, report, graphml, gexf, scraped, loaded, analysis, seconds)


def _scrape(index_url: str, fetcher: "Fetcher | None") -> "CharacterScrape":
    from kg.scrape import Fetcher, scrape_characters

    if fetcher is not None:
        return scrape_characters(index_url, fetcher)
    with Fetcher() as own:
        return scrape_characters(index_url, own)
