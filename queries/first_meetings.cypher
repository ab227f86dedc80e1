// Who a character meets first, and when: each tie with the chapter it begins in.
// Book by book; the chapter is the first with a co-occurrence of the pair.
// $name  a name or alias in any case (default: the most central character)
// $book  a book's title (default: every book)
// $series  a series' name (default: every series)
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
MATCH (ch:Chapter {book: r.book, number: r.first_chapter})
RETURN other.name AS other, r.book AS book, r.first_chapter AS chapter, ch.title AS title,
       r.weight AS weight
ORDER BY book, chapter, weight DESC, other
