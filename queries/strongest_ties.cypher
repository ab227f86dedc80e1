// A character's strongest ties: who they co-occur with most, summed over the books in scope.
// Browser draws the character and its ties; the table lists them, strongest first.
// $name  a name or alias in any case (default: the most central character)
// $book  a book's title (default: every book)
// $series  a series' name (default: every series)
// $limit = 10  how many ties to list
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
  AND ($name IS NULL
       OR toLower(trim($name)) IN [n IN [c.name] + coalesce(c.aliases, []) | toLower(trim(n))])
WITH c
ORDER BY toLower(c.name) = toLower(trim(coalesce($name, ''))) DESC,
         coalesce(c.pagerank, 0.0) DESC, c.name
LIMIT 1
MATCH (c)-[r:INTERACTS]-(other:Character)
WHERE $book IS NULL OR r.book = $book
WITH c, other, sum(r.weight) AS weight, collect(DISTINCT r.book) AS books, collect(r) AS ties
RETURN c AS character, other, weight, books, ties
ORDER BY weight DESC, other.name
LIMIT coalesce($limit, 10)
