// Communities: each community with its size, its top member by PageRank, and its members.
// Reads what `kg analyze` writes: community (Louvain) or leiden_community (GDS only).
// $by = community  the property to group by: community or leiden_community
MATCH (c:Character)
WHERE c[$by] IS NOT NULL
WITH c[$by] AS community, c
ORDER BY c.pagerank DESC, c.name
WITH community, collect(c.name) AS members
RETURN community, size(members) AS size, members[0] AS top_member, members
ORDER BY size DESC, community
