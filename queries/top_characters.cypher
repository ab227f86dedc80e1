// Top characters by PageRank: who is most central to the co-occurrence network?
// Reads the pagerank that `kg analyze` writes; mentions count every book.
// $book  a book's title: its characters only (default: every book)
// $series  a series' name (default: every series)
// $limit = 10  how many characters to list
MATCH (c:Character)
WHERE c.pagerank IS NOT NULL AND ($book IS NULL OR $book IN c.books)
  AND ($series IS NULL OR c.series = $series)
RETURN c.name AS name, c.pagerank AS pagerank, c.community AS community, c.mentions AS mentions
ORDER BY pagerank DESC, name
LIMIT coalesce($limit, 10)
