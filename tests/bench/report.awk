# report.awk — the table of tests/bench/run.sh: medians and ratios.
#
#   awk -v modes="native qemu interp warm" -v dat=ratios.dat \
#       -f report.awk meta.tsv results.tsv
#
# meta.tsv:    workload <TAB> label <TAB> unit          (one line each, in order)
# results.tsv: workload <TAB> mode <TAB> run <TAB> status <TAB> value
#   status ok (value: seconds, or the rate the program printed), FAIL (a
#   run failed or its output differed from native: the cell says FAIL, never
#   a number), or a reason the cell was not run (skip, noimg).
# Unit "s" is a time (lower is better); any other unit is a rate (higher is
# better). Every ratio is a slowdown: how many times longer than native (or
# than qemu) the mode takes, whichever the unit.
# Prints the table; writes the ratios, one line per workload, to dat
# (missing ones as "-") for plot.gp.
BEGIN {
	FS = OFS = "\t"
	nmodes = split(modes, mode, " ")
	for (i = 1; i <= nmodes; i++)
		has[mode[i]] = 1
	# Ratio columns: every mode against native, then against qemu.
	nrat = 0
	for (i = 1; i <= nmodes; i++)
		if (mode[i] != "native" && has["native"])
			addratio(mode[i], "native")
	for (i = 1; i <= nmodes; i++)
		if (mode[i] != "native" && mode[i] != "qemu" && has["qemu"])
			addratio(mode[i], "qemu")
}

function addratio(m, base) {
	nrat++
	rnum[nrat] = m
	rden[nrat] = base
	rname[nrat] = m "/" base
}

FNR == NR {
	nwl++
	wl[nwl] = $1
	label[$1] = $2
	unit[$1] = $3
	next
}

{
	k = $1 SUBSEP $2
	if ($4 == "ok") {
		n[k]++
		v[k, n[k]] = $5
	} else if ($4 == "FAIL" || !(k in bad)) {
		# A failure outranks any other reason a cell has no number.
		bad[k] = $4
	}
}

# Median of the n[k] values of cell k (mean of the middle two when even).
function median(k,    i, j, t, a, c) {
	c = n[k]
	for (i = 1; i <= c; i++)
		a[i] = v[k, i] + 0
	for (i = 2; i <= c; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}

function fmt(x) {
	if (x >= 100)
		return sprintf("%.0f", x)
	if (x >= 10)
		return sprintf("%.1f", x)
	return sprintf("%.2f", x)
}

END {
	printf "%-16s %5s", "workload", "unit"
	for (i = 1; i <= nmodes; i++)
		printf " %9s", mode[i]
	printf " |"
	for (r = 1; r <= nrat; r++)
		printf " %13s", rname[r]
	printf "\n"

	printf "workload" > dat
	for (r = 1; r <= nrat; r++)
		printf "\t%s", rname[r] > dat
	printf "\n" > dat

	for (w = 1; w <= nwl; w++) {
		name = wl[w]
		printf "%-16s %5s", label[name], unit[name]
		for (i = 1; i <= nmodes; i++) {
			k = name SUBSEP mode[i]
			ok[mode[i]] = 0
			if (k in bad) {
				cell = bad[k]
			} else if (n[k] > 0) {
				med[mode[i]] = median(k)
				ok[mode[i]] = 1
				cell = fmt(med[mode[i]])
			} else {
				cell = "-"
			}
			printf " %9s", cell
		}
		printf " |"
		printf "%s", label[name] > dat
		for (r = 1; r <= nrat; r++) {
			a = rnum[r]
			b = rden[r]
			if (ok[a] && ok[b] && med[a] > 0 && med[b] > 0) {
				x = unit[name] == "s" ? med[a] / med[b] : med[b] / med[a]
				printf " %13s", fmt(x)
				printf "\t%.4f", x > dat
			} else {
				printf " %13s", "-"
				printf "\t-" > dat
			}
		}
		printf "\n"
		printf "\n" > dat
	}
	close(dat)
}
