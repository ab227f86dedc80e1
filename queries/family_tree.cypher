// A character's family tree: relatives up to three steps away, with the chain of relations.
// "A -father-> B" reads "B is A's father", as the wiki states it. Of equally short chains,
// the first in alphabetical order is shown.
// $name  the character's name
MATCH path = (c:Character {name: $name})-[:FAMILY_MEMBER*1..3]-(relative:Character)
WHERE relative <> c
WITH relative, length(path) AS steps,
     [r IN relationships(path) | startNode(r).name + ' -' + r.type + '-> ' + endNode(r).name]
     AS relations
ORDER BY steps, relations
WITH relative, collect(relations)[0] AS relations, min(steps) AS steps
RETURN relative.name AS relative, steps, relations
ORDER BY steps, relative
