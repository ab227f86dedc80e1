// A character's family tree: relatives up to three steps away, with the chain of relations.
// "A -father-> B" reads "B is A's father", as the wiki states it. Of equally short chains,
// the first in alphabetical order is shown. Browser draws the chains.
// Needs: FAMILY_MEMBER  family ties from a wiki (kg scrape, then kg load)
// $name  a name or alias in any case (default: the most central character)
// $book  a book's title: relatives known to that book (default: every book)
// $series  a series' name (default: every series)
MATCH (c:Character)
WHERE ($book IS NULL OR $book IN c.books) AND ($series IS NULL OR c.series = $series)
  AND ($name IS NULL
       OR toLower(trim($name)) IN [n IN [c.name] + coalesce(c.aliases, []) | toLower(trim(n))])
WITH c
ORDER BY toLower(c.name) = toLower(trim(coalesce($name, ''))) DESC,
         coalesce(c.pagerank, 0.0) DESC, c.name
LIMIT 1
MATCH path = (c)-[:FAMILY_MEMBER*1..3]-(relative:Character)
WHERE relative <> c AND ($book IS NULL OR $book IN relative.books)
WITH relative, path, length(path) AS steps,
     [r IN relationships(path) | startNode(r).name + ' -' + r.type + '-> ' + endNode(r).name]
     AS relations
ORDER BY steps, relations
WITH relative, collect(path)[0] AS path, collect(relations)[0] AS relations, min(steps) AS steps
RETURN relative, steps, relations, path
ORDER BY steps, relative.name
