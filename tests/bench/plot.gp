# plot.gp — the ratios of tests/bench/run.sh as a PNG.
#
#   gnuplot -e "dat='ratios.dat'; png='ratios.png'; nnat=3; title='...'" plot.gp
#
# dat is report.awk's: a header line, then per workload its label and the
# slowdown ratios, the first nnat against native, the rest against qemu.
# Both panels are logarithmic: the interpreter is tens of times native
# while the modes worth comparing sit near 1.
set terminal pngcairo size 1200,900 noenhanced font ",10"
set output png
set datafile separator "\t"
set datafile missing "-"
set key autotitle columnhead top left
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set yrange [0.1:*]
set grid ytics
set xtics nomirror
ncols = system("head -n 1 '" . dat . "' | awk -F'\t' '{ print NF }'") + 0

set multiplot layout (ncols - 1 > nnat ? 2 : 1), 1 title title
set title "time relative to native (lower is better; 1 = native speed)"
set ylabel "x native"
plot for [i = 2:1 + nnat] dat using i:xtic(1), 1 with lines lc "black" dt 2 notitle
if (ncols - 1 > nnat) {
	set title "time relative to qemu-x86_64 (below 1: faster than qemu)"
	set ylabel "x qemu-x86_64"
	plot for [i = 2 + nnat:ncols] dat using i:xtic(1), 1 with lines lc "black" dt 2 notitle
}
unset multiplot
