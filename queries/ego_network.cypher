// The ego network of a character: it, its strongest neighbours and every tie among them.
// Browser draws the graph; the table gives each tie's weight summed over the books in scope.
// $name  a name or alias in any case (default: the most central character)
// $book  a book's title (default: every book)
// $series  a series' name (default: every series)
// $limit = 25  how many neighbours, strongest ties first
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
  AND ($name IS NULL
       OR toLower(trim($name)) IN [n IN [c.name] + coalesce(c.aliases, []) | toLower(trim(n))])
WITH c
ORDER BY toLower(c.name) = toLower(trim(coalesce($name, ''))) DESC,
         coalesce(c.pagerank, 0.0) DESC, c.name
LIMIT 1
MATCH (c)-[r:INTERACTS]-(neighbour:Character)
WHERE $book IS NULL OR r.book = $book
WITH c, neighbour, sum(r.weight) AS weight
ORDER BY weight DESC, neighbour.name
LIMIT coalesce($limit, 25)
WITH c, collect(neighbour) + c AS members
UNWIND members AS a
MATCH (a)-[r:INTERACTS]->(b:Character)
WHERE b IN members AND ($book IS NULL OR r.book = $book)
RETURN a AS source, b AS target, sum(r.weight) AS weight, collect(r) AS ties
ORDER BY weight DESC, source.name, target.name
