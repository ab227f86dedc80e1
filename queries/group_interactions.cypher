// Interactions between houses (or groups): co-occurrence weight between their members.
// A tie inside one house shows as that house paired with itself.
// Needs: BELONGS_TO LOYAL_TO  houses and loyalties from a wiki (kg scrape, then kg load)
// $kind = House  House (BELONGS_TO) or Group (LOYAL_TO)
// $book  a book's title (default: every book)
// $series  a series' name (default: every series)
MATCH (a:Character)-[r:INTERACTS]->(b:Character)
WHERE ($book IS NULL OR r.book = $book) AND ($series IS NULL OR a.series = $series)
MATCH (a)-[:BELONGS_TO|LOYAL_TO]->(x)
MATCH (b)-[:BELONGS_TO|LOYAL_TO]->(y)
WHERE coalesce($kind, 'House') IN labels(x) AND coalesce($kind, 'House') IN labels(y)
WITH CASE WHEN x.name <= y.name THEN [x.name, y.name] ELSE [y.name, x.name] END AS pair, r
RETURN pair[0] AS first, pair[1] AS second, sum(r.weight) AS weight, count(r) AS ties
ORDER BY weight DESC, first, second
