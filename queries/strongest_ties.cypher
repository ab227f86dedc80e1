// A character's strongest ties: who they co-occur with most, summed over all books.
// $name  the character's name
// $limit = 10  how many ties to list
MATCH (:Character {name: $name})-[r:INTERACTS]-(other:Character)
WITH other, sum(r.weight) AS weight, collect(DISTINCT r.book) AS books
RETURN other.name AS other, weight, books
ORDER BY weight DESC, other
LIMIT $limit
