# sql.awk — a generated SQL workload for sqlite3: schema, inserts in a
# transaction, updates, joins, aggregates, floating point and text.
BEGIN {
	srand(5)
	print "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, cat INTEGER);"
	print "CREATE TABLE cat(id INTEGER PRIMARY KEY, label TEXT);"
	print "CREATE INDEX item_cat ON item(cat);"
	print "BEGIN;"
	for (i = 0; i < 12; i++) printf "INSERT INTO cat VALUES(%d, 'cat-%c%d');\n", i, 65 + i, i * i
	for (i = 1; i <= 3000; i++)
		printf "INSERT INTO item VALUES(%d, 'item %d %c', %.3f, %d, %d);\n", i, int(rand() * 1e6), 97 + i % 26, rand() * 200, int(rand() * 50), int(rand() * 12)
	print "COMMIT;"
	print "UPDATE item SET price = price * 1.07 WHERE qty > 40;"
	print "DELETE FROM item WHERE id % 97 = 0;"
	print "SELECT cat.label, count(*), printf('%.6f', avg(price)), sum(qty), printf('%.4e', total(price * qty)) FROM item JOIN cat ON cat.id = item.cat GROUP BY cat.id ORDER BY cat.label;"
	print "SELECT id, name, round(price, 2) FROM item WHERE name LIKE '%7 q' ORDER BY price DESC LIMIT 15;"
	print "SELECT max(price), min(price), printf('%.10g', stddev) FROM item, (SELECT sqrt(avg(price * price) - avg(price) * avg(price)) AS stddev FROM item);"
	print "WITH RECURSIVE fib(n, a, b) AS (SELECT 1, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM fib WHERE n < 80) SELECT n, a FROM fib WHERE n % 10 = 0;"
	print "SELECT hex(zeroblob(2)), length(group_concat(name)), upper(substr(name, 1, 6)) FROM item WHERE cat = 3 GROUP BY qty % 5 ORDER BY 2;"
	print "PRAGMA integrity_check;"
}
