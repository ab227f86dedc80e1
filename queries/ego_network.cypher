// The ego network of a character: every tie among it and its neighbours.
// Weights are summed over books.
// $name  the character's name
MATCH (c:Character {name: $name})
OPTIONAL MATCH (c)-[:INTERACTS]-(neighbour:Character)
WITH c, collect(DISTINCT neighbour) AS neighbours
WITH neighbours + c AS members
UNWIND members AS a
MATCH (a)-[r:INTERACTS]->(b:Character)
WHERE b IN members
RETURN a.name AS source, b.name AS target, sum(r.weight) AS weight
ORDER BY weight DESC, source, target
