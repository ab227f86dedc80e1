// The network as of chapter K, spoiler-free: ties counted only in chapters 1..K of a book.
// Browser draws the strongest ties (each tie's own properties hold its whole-book weight).
// $book  a book's title (default: every book, each up to its chapter K)
// $series  a series' name (default: every series)
// $chapter  the last chapter read, K (default: the last chapter)
// $limit = 200  how many ties, strongest first
MATCH (a:Character)-[r:INTERACTS]->(b:Character)
WHERE ($book IS NULL OR r.book = $book) AND ($series IS NULL OR a.series = $series)
WITH a, b, r, reduce(w = 0, i IN range(0, size(r.chapters) - 1) |
    w + CASE WHEN r.chapters[i] <= coalesce($chapter, r.chapters[i])
        THEN r.chapter_weights[i] ELSE 0 END) AS weight
WHERE weight > 0
WITH a, b, sum(weight) AS weight, collect(r) AS ties
RETURN a AS source, b AS target, weight, ties
ORDER BY weight DESC, source.name, target.name
LIMIT coalesce($limit, 200)
