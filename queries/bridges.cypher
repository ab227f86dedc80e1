// Characters bridging communities: highest betweenness among those tied to other communities.
// Browser draws each bridge with its ties into other communities.
// Reads betweenness and community, which `kg analyze` writes (with GDS or networkx).
// $book  a book's title: ties in that book (default: every book)
// $series  a series' name (default: every series)
// $limit = 10  how many characters to list
MATCH (c:Character)-[r:INTERACTS]-(other:Character)
WHERE c.betweenness IS NOT NULL AND other.community IS NOT NULL
  AND other.community <> c.community AND ($book IS NULL OR r.book = $book)
  AND ($series IS NULL OR c.series = $series)
WITH c, collect(DISTINCT other.community) AS others, collect(DISTINCT other) AS reached,
     collect(r) AS ties
RETURN c AS character, c.betweenness AS betweenness, c.community AS community,
       size(others) AS other_communities, reached, ties
ORDER BY betweenness DESC, character.name
LIMIT coalesce($limit, 10)
