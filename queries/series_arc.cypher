// A character's arc over the books of its series: mentions, first chapter and rank in each.
// The rank is the PageRank that `kg analyze --book TITLE` wrote for that book (empty before).
// $name  a name or alias in any case (default: the most central character)
// $book  a book's title: a character of that book (default: every book)
// $series  a series' name (default: every series)
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
  AND ($name IS NULL
       OR toLower(trim($name)) IN [n IN [c.name] + coalesce(c.aliases, []) | toLower(trim(n))])
WITH c
ORDER BY toLower(c.name) = toLower(trim(coalesce($name, ''))) DESC,
         coalesce(c.pagerank, 0.0) DESC, c.name
LIMIT 1
MATCH (c)-[i:IN_BOOK]->(b:Book)
RETURN c AS character, b.series AS series, b.volume AS volume, b.title AS book,
       i.mentions AS mentions, i.first_chapter AS first_chapter, i.pagerank AS pagerank
ORDER BY volume, book
