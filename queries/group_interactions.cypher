// Interactions between houses (or groups): co-occurrence weight between their members.
// A tie inside one house shows as that house paired with itself.
// $kind = House  House (BELONGS_TO) or Group (LOYAL_TO)
MATCH (a:Character)-[r:INTERACTS]->(b:Character)
MATCH (a)-[:BELONGS_TO|LOYAL_TO]->(x)
MATCH (b)-[:BELONGS_TO|LOYAL_TO]->(y)
WHERE $kind IN labels(x) AND $kind IN labels(y)
WITH CASE WHEN x.name <= y.name THEN [x.name, y.name] ELSE [y.name, x.name] END AS pair, r
RETURN pair[0] AS first, pair[1] AS second, sum(r.weight) AS weight, count(r) AS ties
ORDER BY weight DESC, first, second
