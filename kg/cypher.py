"""Every Cypher statement kg runs, as named constants; all values travel as parameters.

The curated Browser queries live in queries/*.cypher; `read_query` parses their headers.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.errors import InputError

SCHEMA: Final = (
    "CREATE CONSTRAINT kg_series_name IF NOT EXISTS FOR (s:Series) REQUIRE s.name IS UNIQUE",
    "CREATE CONSTRAINT kg_book_title IF NOT EXISTS FOR (b:Book) REQUIRE b.title IS UNIQUE",
    "CREATE CONSTRAINT kg_character_key IF NOT EXISTS "
    "FOR (c:Character) REQUIRE (c.series, c.name) IS UNIQUE",
    "CREATE CONSTRAINT kg_house_key IF NOT EXISTS "
    "FOR (h:House) REQUIRE (h.series, h.name) IS UNIQUE",
    "CREATE CONSTRAINT kg_group_key IF NOT EXISTS "
    "FOR (g:Group) REQUIRE (g.series, g.name) IS UNIQUE",
    "CREATE CONSTRAINT kg_chapter_key IF NOT EXISTS "
    "FOR (ch:Chapter) REQUIRE (ch.book, ch.number) IS UNIQUE",
    "CREATE CONSTRAINT kg_lock_key IF NOT EXISTS FOR (l:KgLock) REQUIRE l.key IS UNIQUE",
)

# The schema before series (kg 0.x): characters, houses and groups unique by name alone.
# Its per-name constraints would merge same-named characters of different series.
OLD_SCHEMA_DATA: Final = "RETURN EXISTS { MATCH (b:Book) WHERE b.series IS NULL } AS found"

OLD_SCHEMA: Final = (
    "DROP CONSTRAINT kg_character_name IF EXISTS",
    "DROP CONSTRAINT kg_house_name IF EXISTS",
    "DROP CONSTRAINT kg_group_name IF EXISTS",
    "DROP INDEX kg_interacts_book IF EXISTS",
)

# A lock is a KgLock node merged in a transaction that stays open while the work runs and
# is rolled back after it: a second MERGE of the key waits on the uniqueness constraint,
# and a process that dies releases its lock with its connection.
LOCK: Final = "MERGE (:KgLock {key: $key})"

BOOK_STATE: Final = """
MATCH (b:Book {title: $book})
RETURN b.digest AS digest, b.complete AS complete, b.series AS series
"""

MERGE_BOOK: Final = """
MERGE (s:Series {name: $series})
MERGE (b:Book {title: $book})
SET b.series = $series, b.volume = $volume, b.source = $source, b.window = $window,
    b.model = $model, b.characters_file = $characters_file, b.kg_version = $kg_version,
    b.digest = $digest, b.complete = false
MERGE (s)-[:HAS_BOOK]->(b)
"""

COMPLETE_BOOK: Final = "MATCH (b:Book {title: $book}) SET b.complete = true"

MERGE_CHAPTERS: Final = """
MATCH (b:Book {title: $book})
UNWIND $rows AS row
MERGE (ch:Chapter {book: $book, number: row.number})
SET ch.title = row.title
MERGE (b)-[:HAS_CHAPTER]->(ch)
"""

# A character is one per (series, name). What each book says of it lives on its IN_BOOK
# relationship; REBUILD_CHARACTERS derives the character's own facts from those.
MERGE_CHARACTERS: Final = """
MATCH (b:Book {title: $book})
UNWIND $rows AS row
MERGE (c:Character {series: $series, name: row.name})
MERGE (c)-[i:IN_BOOK]->(b)
SET i.mentions = row.mentions, i.first_chapter = row.first_chapter, i.aliases = row.aliases,
    i.gender = row.gender, i.species = row.species, i.blood = row.blood,
    i.nationality = row.nationality, i.url = row.url, i.house = row.house,
    i.discovered = row.discovered
"""

# Loyalties and family ties record the books that state them.
MERGE_LOYALTIES: Final = """
UNWIND $rows AS row
MATCH (c:Character {series: $series, name: row.name})
MERGE (g:Group {series: $series, name: row.group})
MERGE (c)-[l:LOYAL_TO]->(g)
SET l.books = COLLECT {
    UNWIND coalesce(l.books, []) + [$book] AS title RETURN DISTINCT title ORDER BY title
}
"""

# A relative named only in a family tie is in the book too, with no facts and no mentions.
MERGE_FAMILY: Final = """
MATCH (b:Book {title: $book})
UNWIND $rows AS row
MATCH (c:Character {series: $series, name: row.name})
MERGE (relative:Character {series: $series, name: row.person})
MERGE (relative)-[i:IN_BOOK]->(b)
ON CREATE SET i.mentions = 0, i.aliases = [], i.discovered = false
MERGE (c)-[f:FAMILY_MEMBER {type: row.type}]->(relative)
SET f.books = COLLECT {
    UNWIND coalesce(f.books, []) + [$book] AS title RETURN DISTINCT title ORDER BY title
}
"""

# MERGE on a relationship whose two nodes are bound by index seeks: the planner expands
# between them (Expand(Into)) for any batch size. There is no index on INTERACTS.book to
# tempt it into scanning all of a book's ties per batch instead (issue 15: a resumed load
# of 200,000 ties stalled on that plan at 1,000 rows a batch).
_APPEARANCE = """
UNWIND $rows AS row
MATCH (c:Character {series: $series, name: row.name})
MATCH (ch:Chapter {book: $book, number: row.chapter})
%s (c)-[a:APPEARS_IN]->(ch)
SET a.mentions = row.mentions
"""

_INTERACTION = """
UNWIND $rows AS row
MATCH (a:Character {series: $series, name: row.source})
MATCH (b:Character {series: $series, name: row.target})
%s (a)-[r:INTERACTS {book: $book}]->(b)
SET r.weight = row.weight, r.first_chapter = row.first_chapter,
    r.chapters = row.chapters, r.chapter_weights = row.chapter_weights
"""

MERGE_APPEARANCES: Final = _APPEARANCE % "MERGE"
MERGE_INTERACTIONS: Final = _INTERACTION % "MERGE"

# A book's first load skips MERGE's search for existing relationships, which cannot exist:
# its chapters are new and none of its characters has an INTERACTS of its title
# (BOOK_LEFTOVERS). Any later load, including the rerun of an interrupted first one, MERGEs.
CREATE_APPEARANCES: Final = _APPEARANCE % "CREATE"
CREATE_INTERACTIONS: Final = _INTERACTION % "CREATE"

BOOK_LEFTOVERS: Final = """
RETURN EXISTS { MATCH (:Chapter {book: $book}) }
    OR EXISTS {
        MATCH (:Book {title: $book})<-[:IN_BOOK]-(:Character)-[:INTERACTS {book: $book}]->()
    } AS leftovers
"""

# A character's own facts, from what its books say (IN_BOOK): aliases and books are sorted
# unions, mentions a sum, `discovered` holds when every book discovered it, and each other
# fact (house too) comes from the last book that states it, in series order (volume, then
# title). So the facts do not depend on the order of loads, and a removed book's are gone.
# A character no book knows any more is deleted.
REBUILD_CHARACTERS: Final = """
UNWIND $names AS name
MATCH (c:Character {series: $series, name: name})
CALL (c) {
    MATCH (c)-[i:IN_BOOK]->(b:Book)
    WITH i, b ORDER BY b.volume, b.title
    RETURN collect(i) AS said, collect(b.title) AS titles
}
OPTIONAL MATCH (c)-[old:BELONGS_TO]->(:House)
DELETE old
WITH DISTINCT c, said, titles, [i IN said WHERE i.house IS NOT NULL | i.house][-1] AS house
SET c.books = COLLECT { UNWIND titles AS title RETURN title ORDER BY title },
    c.mentions = reduce(total = 0, i IN said | total + i.mentions),
    c.aliases = COLLECT {
        UNWIND said AS i UNWIND i.aliases AS alias RETURN DISTINCT alias ORDER BY alias
    },
    c.discovered = size(said) > 0 AND all(i IN said WHERE i.discovered),
    c.gender = [i IN said WHERE i.gender IS NOT NULL | i.gender][-1],
    c.species = [i IN said WHERE i.species IS NOT NULL | i.species][-1],
    c.blood = [i IN said WHERE i.blood IS NOT NULL | i.blood][-1],
    c.nationality = [i IN said WHERE i.nationality IS NOT NULL | i.nationality][-1],
    c.url = [i IN said WHERE i.url IS NOT NULL | i.url][-1]
FOREACH (_ IN CASE WHEN house IS NULL THEN [] ELSE [1] END |
    MERGE (h:House {series: $series, name: house})
    MERGE (c)-[:BELONGS_TO]->(h)
)
WITH c WHERE size(said) = 0
DETACH DELETE c
"""

BOOK_CHARACTERS: Final = """
MATCH (:Book {title: $book})<-[:IN_BOOK]-(c:Character)
RETURN c.name AS name
"""

DELETE_INTERACTIONS: Final = """
MATCH (:Book {title: $book})<-[:IN_BOOK]-(:Character)-[r:INTERACTS {book: $book}]->()
WITH r LIMIT $limit
DELETE r
RETURN count(*) AS deleted
"""

DELETE_APPEARANCES: Final = """
MATCH (:Chapter {book: $book})<-[a:APPEARS_IN]-()
WITH a LIMIT $limit
DELETE a
RETURN count(*) AS deleted
"""

DELETE_CHAPTERS: Final = """
MATCH (ch:Chapter {book: $book})
WITH ch LIMIT $limit
DETACH DELETE ch
RETURN count(*) AS deleted
"""

# What the book stated goes: its IN_BOOK ties, and its name on loyalties and family ties
# (a tie no book states any more is deleted). REBUILD_CHARACTERS then redoes the facts.
FORGET_BOOK: Final = """
UNWIND $names AS name
MATCH (c:Character {series: $series, name: name})-[i:IN_BOOK]->(:Book {title: $book})
DELETE i
WITH c
CALL (c) {
    MATCH (c)-[t:LOYAL_TO|FAMILY_MEMBER]->()
    WHERE $book IN t.books
    SET t.books = [title IN t.books WHERE title <> $book]
    WITH t WHERE size(t.books) = 0
    DELETE t
}
"""

DELETE_BOOK: Final = """
MATCH (b:Book {title: $book})
DETACH DELETE b
WITH DISTINCT 1 AS done
MATCH (s:Series {name: $series}) WHERE NOT EXISTS { (s)-[:HAS_BOOK]->() }
DELETE s
"""

DELETE_ORPHAN_GROUPS: Final = """
MATCH (g:House|Group {series: $series}) WHERE NOT EXISTS { (g)<-[:BELONGS_TO|LOYAL_TO]-() }
DELETE g
"""

GDS_VERSION: Final = "RETURN gds.version() AS version"

HAS_PROCEDURE: Final = """
SHOW PROCEDURES YIELD name WHERE name = $name
RETURN count(*) > 0 AS present
"""

BOOK_EXISTS: Final = "MATCH (b:Book {title: $book}) RETURN count(b) > 0 AS present"

SERIES_NAMES: Final = "MATCH (s:Series) RETURN s.name AS name ORDER BY name"

# The analysed network: characters of a series (all series if null) mentioned in scope (a
# book, chapters <= K), and their ties summed over books, counting only chapters <= K. Rows
# with no tie have other = null. Ties never cross series: their characters are apart.
_IN_SCOPE = """
MATCH (c:Character)
WHERE ($series IS NULL OR c.series = $series) AND EXISTS {
    MATCH (c)-[:APPEARS_IN]->(ch:Chapter)
    WHERE ($book IS NULL OR ch.book = $book)
      AND ($as_of_chapter IS NULL OR ch.number <= $as_of_chapter)
}
"""

_SCOPE = (
    _IN_SCOPE
    + """
OPTIONAL MATCH (c)-[r:INTERACTS]->(other:Character)
WHERE $book IS NULL OR r.book = $book
WITH c, other, sum(CASE
    WHEN r IS NULL THEN 0
    WHEN $as_of_chapter IS NULL THEN r.weight
    ELSE reduce(w = 0, i IN range(0, size(r.chapters) - 1) |
        w + CASE WHEN r.chapters[i] <= $as_of_chapter THEN r.chapter_weights[i] ELSE 0 END)
END) AS weight
WITH c, CASE WHEN weight > 0 THEN other END AS other, weight
"""
)

SCOPE_SIZE: Final = _IN_SCOPE + "RETURN count(c) AS characters"

SCOPE_EDGES: Final = (
    _SCOPE
    + """
RETURN c.series AS series, c.name AS source, other.name AS target, weight
ORDER BY series, source, target
"""
)

GDS_PROJECT: Final = (
    _SCOPE
    + """
WITH gds.graph.project($graph, c, other,
    {relationshipProperties: {weight: toFloat(weight)}},
    {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount / 2 AS relationships
"""
)

GDS_DROP: Final = "CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName"

GDS_PAGERANK: Final = """
CALL gds.pageRank.mutate($graph, {
    mutateProperty: 'pagerank', relationshipWeightProperty: 'weight',
    dampingFactor: $alpha, maxIterations: 100, tolerance: 1e-7, scaler: 'L1Norm', concurrency: 1
}) YIELD nodePropertiesWritten
RETURN nodePropertiesWritten
"""

GDS_LOUVAIN: Final = """
CALL gds.louvain.mutate($graph, {
    mutateProperty: 'community', relationshipWeightProperty: 'weight', concurrency: 1
}) YIELD modularity
RETURN modularity
"""

GDS_LEIDEN: Final = """
CALL gds.leiden.mutate($graph, {
    mutateProperty: 'leiden', relationshipWeightProperty: 'weight',
    randomSeed: $seed, concurrency: 1
}) YIELD modularity
RETURN modularity
"""

GDS_BETWEENNESS: Final = """
CALL gds.betweenness.mutate($graph, {
    mutateProperty: 'betweenness', samplingSize: $sources, samplingSeed: $seed, concurrency: 1
})
YIELD nodePropertiesWritten
RETURN nodePropertiesWritten
"""

GDS_STREAM_PROPERTIES: Final = """
CALL gds.graph.nodeProperties.stream($graph, $properties)
YIELD nodeId, nodeProperty, propertyValue
WITH gds.util.asNode(nodeId) AS c, nodeProperty, propertyValue
RETURN c.series AS series, c.name AS name, nodeProperty AS property, propertyValue AS value
"""

# A book's analysis also goes on its characters' IN_BOOK ties (their rank in that book).
WRITE_ANALYSIS: Final = """
UNWIND $rows AS row
MATCH (c:Character {series: row.series, name: row.name})
SET c.pagerank = row.pagerank, c.community = row.community,
    c.leiden_community = row.leiden_community, c.betweenness = row.betweenness
WITH c, row
OPTIONAL MATCH (c)-[i:IN_BOOK]->(:Book {title: $book})
SET i.pagerank = row.pagerank, i.community = row.community,
    i.leiden_community = row.leiden_community, i.betweenness = row.betweenness
"""

# Characters of the analysed series outside the network lose their results ($keys are
# series + $separator + name); so do, for a book, its IN_BOOK ties outside it.
CLEAR_ANALYSIS: Final = """
MATCH (c:Character)
WHERE ($series IS NULL OR c.series = $series)
  AND (c.pagerank IS NOT NULL OR c.community IS NOT NULL)
  AND NOT c.series + $separator + c.name IN $keys
REMOVE c.pagerank, c.community, c.leiden_community, c.betweenness
"""

CLEAR_BOOK_ANALYSIS: Final = """
MATCH (c:Character)-[i:IN_BOOK]->(:Book {title: $book})
WHERE i.pagerank IS NOT NULL AND NOT c.series + $separator + c.name IN $keys
REMOVE i.pagerank, i.community, i.leiden_community, i.betweenness
"""

# The read side (kg.Graph.from_neo4j): one book's network, or all books' when $book is null.
GRAPH_CHARACTERS: Final = """
MATCH (c:Character)
WHERE $book IS NULL OR $book IN c.books
RETURN properties(c) AS facts
ORDER BY c.name
"""

GRAPH_APPEARANCES: Final = """
MATCH (c:Character)-[a:APPEARS_IN]->(ch:Chapter)
WHERE $book IS NULL OR ch.book = $book
RETURN ch.number AS chapter, c.name AS name, sum(a.mentions) AS mentions
ORDER BY chapter, name
"""

GRAPH_INTERACTIONS: Final = """
MATCH (a:Character)-[r:INTERACTS]->(b:Character)
WHERE $book IS NULL OR r.book = $book
UNWIND range(0, size(r.chapters) - 1) AS i
RETURN r.chapters[i] AS chapter, a.name AS source, b.name AS target,
       sum(r.chapter_weights[i]) AS weight
ORDER BY chapter, source, target
"""

# The characters a name lookup chooses from (kg.lookup applies the rule in Python).
KNOWN_CHARACTERS: Final = """
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
RETURN c.name AS name, coalesce(c.aliases, []) AS aliases, coalesce(c.pagerank, 0.0) AS rank
"""

# The same lookup in Cypher, opening every curated query that takes $name: the character
# whose name, else an alias, is $name in any case (the most central of several); with no
# $name, the most central character in scope.
FIND_CHARACTER: Final = """
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
  AND ($name IS NULL
       OR toLower(trim($name)) IN [n IN [c.name] + coalesce(c.aliases, []) | toLower(trim(n))])
WITH c
ORDER BY toLower(c.name) = toLower(trim(coalesce($name, ''))) DESC,
         coalesce(c.pagerank, 0.0) DESC, c.name
LIMIT 1
"""

HAS_RELATIONSHIPS: Final = """
UNWIND $types AS type
RETURN type, EXISTS { MATCH ()-[r]->() WHERE type(r) = type } AS present
"""

QUERIES_DIR: Final = Path(__file__).resolve().parent.parent / "queries"
"""The curated Browser queries (queries/ beside the package in a source checkout)."""

_PARAMETER_LINE = re.compile(r"^//\s+\$(\w+)(?:\s*=\s*(\S+))?\s+(.*)$")
_NEEDS_LINE = re.compile(r"^//\s+Needs:\s+((?:[A-Z_]+\s+)+)(.*)$")
_PARAMETER_USE = re.compile(r"\$(\w+)")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class QueryFile:
    """A curated query: its text, what it answers, its parameters with their defaults, and
    the relationship types it needs (wiki facts) with what provides them."""

    name: str
    text: str
    summary: str
    parameters: tuple[str, ...]
    defaults: dict[str, object]
    needs: tuple[str, ...] = ()
    needs_what: str = ""


def parse_literal(text: str) -> object:
    """A parameter value: int, then float, then null, else a string ('quotes' optional).

    Only decimal notation is a number: "nan" or "Infinity" is a name, not a float.
    """
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    if text == "null":
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def read_query(name: str, folder: Path = QUERIES_DIR) -> QueryFile:
    """Read queries/NAME.cypher (or a .cypher path) and its header.

    The header is the leading `//` comment block: its first line says what the query
    answers, lines `// $name = default  help` declare parameters (every one is optional: the
    query gives a missing one its default), and a line `// Needs: TYPE ...  what` names
    relationship types without which the query finds nothing.
    """
    path = Path(name) if name.endswith(".cypher") else folder / f"{name}.cypher"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        known = ", ".join(q.stem for q in sorted(folder.glob("*.cypher")))
        raise InputError(f"no query named {name!r} (known: {known or 'none'})") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    lines = text.splitlines()
    size = next((i for i, line in enumerate(lines) if not line.startswith("//")), len(lines))
    header = lines[:size]
    body = "\n".join(line for line in lines if not line.lstrip().startswith("//"))
    defaults: dict[str, object] = {}
    needs: tuple[str, ...] = ()
    needs_what = ""
    for line in header:
        match = _PARAMETER_LINE.match(line)
        if match and match.group(2) is not None:
            defaults[match.group(1)] = parse_literal(match.group(2))
        if found := _NEEDS_LINE.match(line):
            needs, needs_what = tuple(found.group(1).split()), found.group(2).strip()
    summary = header[0].lstrip("/ ").strip() if header else ""
    parameters = tuple(dict.fromkeys(_PARAMETER_USE.findall(body)))
    return QueryFile(path.stem, text, summary, parameters, defaults, needs, needs_what)
