// Characters bridging communities: highest betweenness among those tied to other communities.
// Reads betweenness and community, which `kg analyze` writes (with GDS or networkx).
// $limit = 10  how many characters to list
MATCH (c:Character)-[:INTERACTS]-(other:Character)
WHERE c.betweenness IS NOT NULL AND other.community IS NOT NULL
WITH c, collect(DISTINCT other.community) AS reached
WITH c, [k IN reached WHERE k <> c.community] AS others
WHERE size(others) > 0
RETURN c.name AS name, c.betweenness AS betweenness, c.community AS community,
       size(others) AS other_communities
ORDER BY betweenness DESC, name
LIMIT $limit
