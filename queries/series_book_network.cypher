// The network of the k-th book of a series: every tie in that book, strongest first.
// Books are in series order: by volume (kg load --volume), then by title.
// $book  any book of the series (default: the first series by name)
// $k = 1  which book of the series: 1 for the first
MATCH (given:Book)
WHERE $book IS NULL OR given.title = $book
WITH given.series AS series
ORDER BY series
LIMIT 1
MATCH (:Series {name: series})-[:HAS_BOOK]->(b:Book)
WITH b
ORDER BY b.volume, b.title
WITH collect(b)[coalesce($k, 1) - 1] AS chosen
MATCH (chosen)<-[:IN_BOOK]-(a:Character)-[r:INTERACTS {book: chosen.title}]->(c:Character)
RETURN chosen.title AS book, a.name AS source, c.name AS target, r.weight AS weight, r AS tie
ORDER BY weight DESC, source, target
