"""The read side of the Python API: a character network as pandas frames and networkx graphs."""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pandas as pd

from kg.errors import InputError
from kg.lookup import Known, find_character
from kg.network import character_stats, communities, interaction_graph, pagerank
from kg.outdir import CHAPTER_INTERACTION_COLUMNS, outdir_path, read_table
from kg.records import Interaction
from kg.settings import SEED

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.outdir import Extraction

STATS_COLUMNS = ["name", "mentions", "pagerank", "community"]
"""The first columns of Graph.characters (its facts follow)."""
APPEARANCE_COLUMNS = ["chapter", "name", "mentions"]


@dataclass(frozen=True)
class Graph:
    """A character network: facts per character, mentions per chapter, co-occurrences per chapter.

    `characters` has one row per character (name, mentions, pagerank, community, and whatever
    facts the source had); `appearances` has chapter, name, mentions; `interactions` has
    chapter, source, target, weight with source < target.
    """

    characters: pd.DataFrame
    appearances: pd.DataFrame
    interactions: pd.DataFrame

    @classmethod
    def from_dir(cls, outdir: Path | str) -> "Graph":
        """Read the network from a `kg extract` output folder."""
        outdir = outdir_path(outdir)
        return cls._from_tables(
            lambda name, numeric, text: read_table(outdir / name, numeric, text)
        )

    @classmethod
    def from_extraction(cls, extraction: "Extraction") -> "Graph":
        """An extraction's network in memory: the Graph from_dir gives for its saved folder."""
        texts = extraction.file_texts()

        def table(name: str, numeric: Sequence[str], text: Sequence[str]) -> pd.DataFrame:
            return pd.read_csv(
                io.StringIO(texts[name]), keep_default_na=False, dtype={c: str for c in text}
            )

        return cls._from_tables(table)

    @classmethod
    def _from_tables(
        cls, table: Callable[[str, Sequence[str], Sequence[str]], pd.DataFrame]
    ) -> "Graph":
        """The Graph of an output folder's tables, each read by table(file, numeric, text)."""
        characters = table("characters.csv", ("mentions", "pagerank", "community"), ("name",))
        mentions = table("mentions.csv", ("chapter",), ("character",))
        interactions = table(
            "interactions_by_chapter.csv", ("chapter", "weight"), ("source", "target")
        )
        appearances = (
            mentions.groupby(["chapter", "character"])
            .size()
            .reset_index(name="mentions")
            .rename(columns={"character": "name"})
        )
        return cls(
            characters,
            appearances[APPEARANCE_COLUMNS],
            interactions[list(CHAPTER_INTERACTION_COLUMNS)],
        )

    @classmethod
    def from_neo4j(
        cls, driver: "Driver", *, book: str | None = None, database: str = "neo4j"
    ) -> "Graph":
        """Read the network loaded in Neo4j: one book's, or all books' summed when book is None
        (a database of one series only: same names in two series are different characters).

        Mentions are counted in that scope; pagerank and community are as `kg analyze` last
        wrote them. List properties (aliases, books) are ";"-joined, as in characters.csv.
        """
        from kg import cypher
        from kg.db import run

        scope = {"book": book}
        if (
            book is not None
            and not run(driver, cypher.BOOK_EXISTS, scope, database=database)[0]["present"]
        ):
            raise InputError(f"no book titled {book!r} in the database (load it with `kg load`)")
        series = run(driver, cypher.SERIES_NAMES, database=database)
        if book is None and len(series) > 1:
            raise InputError(
                f"the database holds {len(series)} series, whose characters are apart: "
                "read one book at a time (book=TITLE)"
            )
        appearances = pd.DataFrame(
            [r.data() for r in run(driver, cypher.GRAPH_APPEARANCES, scope, database=database)],
            columns=APPEARANCE_COLUMNS,
        )
        interactions = pd.DataFrame(
            [r.data() for r in run(driver, cypher.GRAPH_INTERACTIONS, scope, database=database)],
            columns=CHAPTER_INTERACTION_COLUMNS,
        )
        mentions = appearances.groupby("name")["mentions"].sum()
        rows = []
        for record in run(driver, cypher.GRAPH_CHARACTERS, scope, database=database):
            facts = {
                key: ";".join(map(str, value)) if isinstance(value, list) else value
                for key, value in record["facts"].items()
            }
            if facts["name"] in mentions.index:
                rows.append({**facts, "mentions": int(mentions[facts["name"]])})
        characters = pd.DataFrame(rows)
        ordered = STATS_COLUMNS + sorted(set(characters.columns) - set(STATS_COLUMNS))
        return cls(characters.reindex(columns=ordered), appearances, interactions)

    @property
    def edges(self) -> pd.DataFrame:
        """One row per pair: source, target, weight (summed over chapters), first_chapter."""
        grouped = self.interactions.groupby(["source", "target"], as_index=False)
        edges = grouped.agg(weight=("weight", "sum"), first_chapter=("chapter", "min"))
        return edges.sort_values(
            ["weight", "source", "target"], ascending=[False, True, True]
        ).reset_index(drop=True)

    def to_networkx(self) -> nx.Graph:
        """An undirected weighted graph; node attributes are the characters frame's columns."""
        graph = interaction_graph(_records(self.edges), self.characters["name"])
        attributes = self.characters.set_index("name").to_dict(orient="index")
        nx.set_node_attributes(graph, {n: attributes.get(n, {}) for n in graph.nodes})
        return graph

    def pagerank(self) -> pd.Series:
        """Weighted PageRank of each character, highest first."""
        ranks = pd.Series(pagerank(self.to_networkx()), name="pagerank", dtype=float)
        return ranks.rename_axis("name").sort_values(ascending=False, kind="stable")

    def communities(self, seed: int = SEED) -> pd.DataFrame:
        """Louvain communities: community, size, top member (by PageRank) and members."""
        graph = self.to_networkx()
        groups = communities(graph, seed=seed)
        ranks = pagerank(graph)
        rows = []
        for number in sorted(set(groups.values())):
            members = sorted((n for n, g in groups.items() if g == number), key=lambda n: -ranks[n])
            rows.append(
                {"community": number, "size": len(members), "top": members[0], "members": members}
            )
        return pd.DataFrame(rows, columns=["community", "size", "top", "members"])

    def find(self, name: str) -> str:
        """The character called `name`: its name or an alias in any case, as the curated
        queries match (kg.lookup). InputError with "did you mean" if none is."""
        aliases = self.characters.get("aliases", pd.Series("", index=self.characters.index))
        known = (
            Known(str(n), [a for a in str(a).split(";") if a], float(r))
            for n, a, r in zip(
                self.characters["name"], aliases, self.characters["pagerank"], strict=True
            )
        )
        return find_character(name, known)

    def ego(self, name: str, radius: int = 1) -> nx.Graph:
        """The ego network of one character (by name or alias, see find): it, its neighbours
        within radius, and their ties."""
        return nx.ego_graph(self.to_networkx(), self.find(name), radius=radius)

    def as_of(self, chapter: int) -> "Graph":
        """The network as a reader knows it after `chapter`: later chapters are left out.

        Mentions, PageRank and communities are recomputed on what remains.
        """
        appearances = self.appearances[self.appearances["chapter"] <= chapter]
        interactions = self.interactions[self.interactions["chapter"] <= chapter]
        mentions = appearances.groupby("name")["mentions"].sum()
        pairs = interactions.groupby(["source", "target"], as_index=False).agg(
            weight=("weight", "sum")
        )
        stats = character_stats(_records(pairs), {str(k): int(v) for k, v in mentions.items()})
        facts = self.characters.drop(columns=["mentions", "pagerank", "community"], errors="ignore")
        frame = pd.DataFrame(
            [(s.name, s.mentions, s.pagerank, s.community) for s in stats],
            columns=STATS_COLUMNS,
        ).merge(facts, on="name", how="left")
        return Graph(frame, appearances.reset_index(drop=True), interactions.reset_index(drop=True))


def _records(pairs: pd.DataFrame) -> list[Interaction]:
    return [
        Interaction(str(s), str(t), int(w))
        for s, t, w in zip(pairs["source"], pairs["target"], pairs["weight"], strict=True)
    ]
