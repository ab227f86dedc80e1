// Who a character meets first, and when: each tie with the chapter it begins in.
// Book by book; the chapter is the first with a co-occurrence of the pair.
// $name  the character's name
MATCH (:Character {name: $name})-[r:INTERACTS]-(other:Character)
MATCH (ch:Chapter {book: r.book, number: r.first_chapter})
RETURN other.name AS other, r.book AS book, r.first_chapter AS chapter, ch.title AS title,
       r.weight AS weight
ORDER BY book, chapter, weight DESC, other
