"""Every Cypher statement kg runs, as named constants; all values travel as parameters.

The curated Browser queries live in queries/*.cypher; `read_query` parses their headers.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.errors import InputError

SCHEMA: Final = (
    "CREATE CONSTRAINT kg_character_name IF NOT EXISTS FOR (c:Character) REQUIRE c.name IS UNIQUE",
    "CREATE CONSTRAINT kg_book_title IF NOT EXISTS FOR (b:Book) REQUIRE b.title IS UNIQUE",
    "CREATE CONSTRAINT kg_house_name IF NOT EXISTS FOR (h:House) REQUIRE h.name IS UNIQUE",
    "CREATE CONSTRAINT kg_group_name IF NOT EXISTS FOR (g:Group) REQUIRE g.name IS UNIQUE",
    "CREATE CONSTRAINT kg_chapter_key IF NOT EXISTS "
    "FOR (ch:Chapter) REQUIRE (ch.book, ch.number) IS UNIQUE",
    "CREATE INDEX kg_interacts_book IF NOT EXISTS FOR ()-[r:INTERACTS]-() ON (r.book)",
)

BOOK_STATE: Final = """
MATCH (b:Book {title: $book})
RETURN b.digest AS digest, b.complete AS complete
"""

MERGE_BOOK: Final = """
MERGE (b:Book {title: $book})
SET b.source = $source, b.window = $window, b.model = $model,
    b.characters_file = $characters_file, b.kg_version = $kg_version,
    b.digest = $digest, b.complete = false
"""

COMPLETE_BOOK: Final = "MATCH (b:Book {title: $book}) SET b.complete = true"

MERGE_CHAPTERS: Final = """
MATCH (b:Book {title: $book})
UNWIND $rows AS row
MERGE (ch:Chapter {book: $book, number: row.number})
SET ch.title = row.title
MERGE (b)-[:HAS_CHAPTER]->(ch)
"""

# Facts merge across books: a given fact replaces the stored one, a missing one keeps it;
# aliases and books are sorted unions, so a rerun changes nothing.
MERGE_CHARACTERS: Final = """
UNWIND $rows AS row
MERGE (c:Character {name: row.name})
SET c.aliases = COLLECT {
        UNWIND coalesce(c.aliases, []) + row.aliases AS alias RETURN DISTINCT alias ORDER BY alias
    },
    c.books = COLLECT {
        UNWIND coalesce(c.books, []) + [$book] AS title RETURN DISTINCT title ORDER BY title
    },
    c.gender = coalesce(row.gender, c.gender),
    c.species = coalesce(row.species, c.species),
    c.blood = coalesce(row.blood, c.blood),
    c.nationality = coalesce(row.nationality, c.nationality),
    c.url = coalesce(row.url, c.url),
    c.discovered = coalesce(c.discovered, true) AND row.discovered,
    c.mentions = coalesce(c.mentions, 0)
"""

# A character belongs to one house: a newly given house replaces the old tie.
MERGE_HOUSES: Final = """
UNWIND $rows AS row
MATCH (c:Character {name: row.name})
OPTIONAL MATCH (c)-[old:BELONGS_TO]->(other:House)
WHERE other.name <> row.house
DELETE old
WITH DISTINCT c, row
MERGE (h:House {name: row.house})
MERGE (c)-[:BELONGS_TO]->(h)
"""

MERGE_LOYALTIES: Final = """
UNWIND $rows AS row
MATCH (c:Character {name: row.name})
MERGE (g:Group {name: row.group})
MERGE (c)-[:LOYAL_TO]->(g)
"""

MERGE_FAMILY: Final = """
UNWIND $rows AS row
MATCH (c:Character {name: row.name})
MERGE (relative:Character {name: row.person})
ON CREATE SET relative.aliases = [], relative.discovered = false, relative.mentions = 0
SET relative.books = COLLECT {
    UNWIND coalesce(relative.books, []) + [$book] AS title RETURN DISTINCT title ORDER BY title
}
MERGE (c)-[:FAMILY_MEMBER {type: row.type}]->(relative)
"""

_APPEARANCE = """
UNWIND $rows AS row
MATCH (c:Character {name: row.name})
MATCH (ch:Chapter {book: $book, number: row.chapter})
%s (c)-[a:APPEARS_IN]->(ch)
SET a.mentions = row.mentions
"""

_INTERACTION = """
UNWIND $rows AS row
MATCH (a:Character {name: row.source})
MATCH (b:Character {name: row.target})
%s (a)-[r:INTERACTS {book: $book}]->(b)
SET r.weight = row.weight, r.first_chapter = row.first_chapter,
    r.chapters = row.chapters, r.chapter_weights = row.chapter_weights
"""

MERGE_APPEARANCES: Final = _APPEARANCE % "MERGE"
MERGE_INTERACTIONS: Final = _INTERACTION % "MERGE"

# A book's first load skips MERGE's search for existing relationships, which cannot exist:
# its chapters are new and no INTERACTS has its title (BOOK_LEFTOVERS). Any later load,
# including the rerun of an interrupted first one, MERGEs.
CREATE_APPEARANCES: Final = _APPEARANCE % "CREATE"
CREATE_INTERACTIONS: Final = _INTERACTION % "CREATE"

BOOK_LEFTOVERS: Final = """
RETURN EXISTS { MATCH (:Chapter {book: $book}) }
    OR EXISTS { MATCH ()-[:INTERACTS {book: $book}]->() } AS leftovers
"""

COUNT_MENTIONS: Final = """
UNWIND $names AS name
MATCH (c:Character {name: name})
SET c.mentions = reduce(total = 0, m IN COLLECT {
    MATCH (c)-[a:APPEARS_IN]->(:Chapter) RETURN a.mentions
} | total + m)
"""

BOOK_CHARACTERS: Final = """
MATCH (c:Character) WHERE $book IN c.books
RETURN c.name AS name
"""

DELETE_INTERACTIONS: Final = """
MATCH ()-[r:INTERACTS {book: $book}]->()
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

# Characters only this book knew go; those other books share keep their facts.
FORGET_BOOK_CHARACTERS: Final = """
UNWIND $names AS name
MATCH (c:Character {name: name})
SET c.books = [title IN c.books WHERE title <> $book]
WITH c
WHERE size(c.books) = 0 AND NOT EXISTS { (c)-[:APPEARS_IN|INTERACTS]-() }
DETACH DELETE c
"""

DELETE_BOOK: Final = "MATCH (b:Book {title: $book}) DETACH DELETE b"

DELETE_ORPHAN_GROUPS: Final = """
MATCH (g:House|Group) WHERE NOT EXISTS { (g)<-[:BELONGS_TO|LOYAL_TO]-() }
DELETE g
"""

GDS_VERSION: Final = "RETURN gds.version() AS version"

HAS_PROCEDURE: Final = """
SHOW PROCEDURES YIELD name WHERE name = $name
RETURN count(*) > 0 AS present
"""

BOOK_EXISTS: Final = "MATCH (b:Book {title: $book}) RETURN count(b) > 0 AS present"

# The analysed network: characters mentioned in scope (a book, chapters <= K), and their
# ties summed over books, counting only chapters <= K. Rows with no tie have other = null.
_IN_SCOPE = """
MATCH (c:Character)
WHERE EXISTS {
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
    _SCOPE + "RETURN c.name AS source, other.name AS target, weight ORDER BY source, target"
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
RETURN gds.util.asNode(nodeId).name AS name, nodeProperty AS property, propertyValue AS value
"""

WRITE_ANALYSIS: Final = """
UNWIND $rows AS row
MATCH (c:Character {name: row.name})
SET c.pagerank = row.pagerank, c.community = row.community,
    c.leiden_community = row.leiden_community, c.betweenness = row.betweenness
"""

CLEAR_ANALYSIS: Final = """
MATCH (c:Character)
WHERE (c.pagerank IS NOT NULL OR c.community IS NOT NULL) AND NOT c.name IN $names
REMOVE c.pagerank, c.community, c.leiden_community, c.betweenness
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
WHERE $book IS NULL OR $book IN c.books
RETURN c.name AS name, coalesce(c.aliases, []) AS aliases, coalesce(c.pagerank, 0.0) AS rank
"""

# The same lookup in Cypher, opening every curated query that takes $name: the character
# whose name, else an alias, is $name in any case (the most central of several); with no
# $name, the most central character in scope.
FIND_CHARACTER: Final = """
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books)
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
