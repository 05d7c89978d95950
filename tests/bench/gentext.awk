# gentext.awk — deterministic text for the xz workloads of tests/bench/run.sh.
#
#   awk -v size=BYTES -f gentext.awk > FILE && truncate -s BYTES FILE
#
# Lines of made-up words with a skewed (Zipf-like) frequency and numbers, so
# xz finds real matches at every distance, like on source or log files:
# random bytes would only measure its incompressible-data path. The
# generator is the Park-Miller minimal standard (16807 * seed mod 2^31-1),
# whose products stay below 2^53: exact in any awk's doubles, so mawk and
# gawk print the same bytes and the input is the same on every machine.
function rnd() {
	seed = (seed * 16807) % 2147483647
	return seed
}
BEGIN {
	if (size !~ /^[0-9]+$/) {
		print "gentext.awk: size=BYTES is required" > "/dev/stderr"
		exit 2
	}
	nsyl = split("ka lo mi ne ru ta shi po ve da qu ix zo be fa gu hy ja wo el an or st th", syl, " ")
	seed = 20261124
	nvocab = 4096
	for (i = 0; i < nvocab; i++) {
		w = ""
		k = 1 + rnd() % 4
		for (j = 0; j < k; j++)
			w = w syl[1 + rnd() % nsyl]
		vocab[i] = w
	}
	for (bytes = 0; bytes < size; bytes += length(line) + 1) {
		line = ""
		m = 6 + rnd() % 10
		for (j = 0; j < m; j++) {
			# The product of two uniform draws favours small indices.
			r = rnd() % nvocab
			r = int(r * (rnd() % nvocab) / nvocab)
			line = line vocab[r] " "
		}
		line = line (rnd() % 100000)
		print line
	}
}
