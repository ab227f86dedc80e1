// The network as of chapter K, spoiler-free: ties counted only in chapters 1..K of a book.
// $book  the book's title
// $chapter  the last chapter read (K)
MATCH (a:Character)-[r:INTERACTS {book: $book}]->(b:Character)
WITH a, b, reduce(w = 0, i IN range(0, size(r.chapters) - 1) |
    w + CASE WHEN r.chapters[i] <= $chapter THEN r.chapter_weights[i] ELSE 0 END) AS weight
WHERE weight > 0
RETURN a.name AS source, b.name AS target, weight
ORDER BY weight DESC, source, target
