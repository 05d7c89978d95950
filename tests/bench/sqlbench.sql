-- sqlbench.sql — the sqlite3 workload of tests/bench/run.sh.
-- run.sh replaces @ROWS@ with the row count and feeds this to
-- `sqlite3 :memory:`. Every value derives from the row number, so the
-- output is the same on every run and in every mode; what runs is B-tree
-- inserts, index builds, sorts, grouping, joins, window functions, string
-- functions and updates: the sqlite code most programs exercise.
.bail on
PRAGMA cache_size = -65536;

CREATE TABLE item(id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, price REAL, qty INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @ROWS@)
INSERT INTO item
SELECT i, (i * 7919) % 97, printf('item-%08x', (i * 2654435761) % 4294967296),
       ((i * 48271) % 10007) / 100.0, (i * 16807) % 50
FROM n;

CREATE TABLE sale(id INTEGER PRIMARY KEY, item INTEGER, day INTEGER, amount INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2 * @ROWS@)
INSERT INTO sale
SELECT i, 1 + (i * 40503) % @ROWS@, (i * 31) % 365, 1 + (i * 13) % 9 FROM n;

CREATE INDEX item_grp ON item(grp, price);
CREATE INDEX sale_item ON sale(item);
CREATE INDEX item_name ON item(name);

SELECT 'groups', grp, count(*), round(sum(price), 2), max(qty) FROM item
GROUP BY grp ORDER BY grp LIMIT 5;

SELECT 'revenue', i.grp, round(sum(s.amount * i.price), 2) AS r
FROM sale s JOIN item i ON i.id = s.item
GROUP BY i.grp ORDER BY r DESC, i.grp LIMIT 5;

SELECT 'rank', id, name, price FROM (
  SELECT id, name, price, rank() OVER (PARTITION BY grp ORDER BY price DESC, id) AS rk
  FROM item)
WHERE rk = 1 ORDER BY price DESC, id LIMIT 5;

SELECT 'names', count(DISTINCT substr(name, 6, 3)), min(name), max(name),
       sum(length(replace(name, '0', '')))
FROM item;

UPDATE item SET price = price * 1.1 WHERE qty % 3 = 0;
DELETE FROM sale WHERE day BETWEEN 100 AND 120;

SELECT 'days', day, count(*), sum(amount) FROM sale
GROUP BY day HAVING count(*) > 0 ORDER BY sum(amount) DESC, day LIMIT 5;

SELECT 'total', count(*), round(sum(price * qty), 2), (SELECT count(*) FROM sale) FROM item;
