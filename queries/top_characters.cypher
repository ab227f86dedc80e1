// Top characters by PageRank: who is most central to the co-occurrence network?
// Reads the pagerank that `kg analyze` writes.
// $limit = 10  how many characters to list
MATCH (c:Character)
WHERE c.pagerank IS NOT NULL
RETURN c.name AS name, c.pagerank AS pagerank, c.community AS community, c.mentions AS mentions
ORDER BY pagerank DESC, name
LIMIT $limit
