// Communities: each community's size, its most central members and the ties among them.
// Browser draws each community as its own cluster; the table lists sizes and members.
// Reads what `kg analyze` writes: community (Louvain) or leiden_community (GDS only).
// $by = community  the property to group by: community or leiden_community
// $book  a book's title (default: every book)
// $series  a series' name (default: every series)
// $limit = 10  how many members per community, by PageRank
MATCH (c:Character)
WHERE c[coalesce($by, 'community')] IS NOT NULL AND ($book IS NULL OR $book IN c.books)
  AND ($series IS NULL OR c.series = $series)
WITH c[coalesce($by, 'community')] AS community, c
ORDER BY coalesce(c.pagerank, 0.0) DESC, c.name
WITH community, collect(c) AS everyone
WITH community, size(everyone) AS size, everyone[..coalesce($limit, 10)] AS members
RETURN community, size, members[0] AS top_member, members,
       COLLECT {
           UNWIND members AS a
           MATCH (a)-[r:INTERACTS]->(b:Character)
           WHERE b IN members AND ($book IS NULL OR r.book = $book)
           RETURN r
       } AS ties
ORDER BY size DESC, community
