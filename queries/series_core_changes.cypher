// Who enters or leaves the core from one book of a series to the next?
// A book's core is its $size characters of highest PageRank in that book, which
// `kg analyze --book TITLE` writes; the first book's core all enters.
// $book  any book of the series (default: the first series by name)
// $size = 5  how many characters make a book's core
MATCH (given:Book)
WHERE $book IS NULL OR given.title = $book
WITH given.series AS series
ORDER BY series
LIMIT 1
MATCH (:Series {name: series})-[:HAS_BOOK]->(b:Book)
WITH b
ORDER BY b.volume, b.title
CALL (b) {
    MATCH (c:Character)-[i:IN_BOOK]->(b)
    WHERE i.pagerank IS NOT NULL
    WITH c
    ORDER BY i.pagerank DESC, c.name
    LIMIT coalesce($size, 5)
    RETURN collect(c.name) AS core
}
WITH collect({book: b.title, core: core}) AS cores
UNWIND range(0, size(cores) - 1) AS k
WITH k, cores[k] AS after, CASE WHEN k = 0 THEN {book: null, core: []} ELSE cores[k - 1] END AS before
RETURN k + 1 AS step, before.book AS from_book, after.book AS to_book,
       [name IN after.core WHERE NOT name IN before.core] AS entering,
       [name IN before.core WHERE NOT name IN after.core] AS leaving
ORDER BY step
