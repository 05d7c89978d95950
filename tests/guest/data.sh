# data.sh — the inputs every case finds in its directory, generated
# natively (mawk's rand with a fixed seed), identical for every mode.
# make_data DIR SRCDIR
make_data() {
	local d=$1 src=$2
	mawk 'BEGIN { srand(7); for (i = 0; i < 3000; i++) print int(rand() * 1000000) - 500000 }' >"$d/nums.txt"
	mawk 'BEGIN { srand(11); split("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu", w)
		for (i = 0; i < 4000; i++) print w[int(rand() * 12) + 1] "-" int(rand() * 40) }' >"$d/words.txt"
	LC_ALL=C sort "$d/words.txt" >"$d/words_sorted.txt"
	mawk 'BEGIN { srand(3); for (i = 1; i <= 2000; i++)
		printf "%d,c%d,%.4f,%s\n", i, int(rand() * 17), rand() * 1000 - 500, (rand() < 0.5 ? "yes" : "no") }' >"$d/table.csv"
	cp /usr/share/common-licenses/GPL-3 "$d/text.txt"
	mkdir -p "$d/tree/sub/deeper" "$d/tree/empty"
	for f in a.txt b.log sub/c.txt sub/deeper/d.txt sub/e.bin; do
		head -c $((${#f} * 37)) "$d/text.txt" >"$d/tree/$f"
	done
	ln -s sub/c.txt "$d/tree/link"
	touch -h -d @1600000000 "$d/tree/a.txt" "$d/tree/b.log" "$d/tree/link" "$d/tree/empty"
	touch -d @1700000000 "$d/tree/sub/c.txt" "$d/tree/sub/deeper/d.txt" "$d/tree/sub/e.bin" \
		"$d/tree/sub/deeper" "$d/tree/sub" "$d/tree"
	mawk -f "$src/scripts/sql.awk" >"$d/workload.sql"
	xz -k -6 -c "$d/text.txt" >"$d/text.txt.xz"
	gzip -9 -n -c "$d/text.txt" >"$d/text.txt.gz"
	bzip2 -9 -c "$d/text.txt" >"$d/text.txt.bz2"
	cp -r "$src/scripts" "$d/scripts"
}
