#!/bin/bash
# run.sh — real x86-64 programs under the translator, native output as the
# oracle. Every case runs natively and under each translator in a fresh
# directory holding the same inputs; stdout, stderr, exit status and the
# files left in the directory must match byte for byte.
#
#   run.sh [-t TIER] [-m MODES] [-k] [-v] [CASE...]
#     TIER   fast (make check), full (make check-guest-full; includes fast),
#            a64 (the subset run on the aarch64 translator under qemu)
#     MODES  comma list of: xlate (top_builddir/xlate on this host),
#            a64 ($QEMU_AARCH64 top_builddir/xlate-aarch64); default: all
#            that exist (a64 runs the a64 tier only)
#     -k     keep the work directory; -v print diffs of mismatches
# GUEST_XLATE_ENV: NAME=VALUE words given to the translator modes only
# (XLATE_* options: tests/aot/guest-modes.sh runs the suite with images).
# Prints one line per case and mode, then "N passed, N failed" per mode;
# exits 1 if anything differs, 77 if no translator or x86-64 host exists.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(pwd)}
tier=fast modes= keep= verbose=
while getopts t:m:kv o; do
	case $o in
	t) tier=$OPTARG ;;
	m) modes=$OPTARG ;;
	k) keep=1 ;;
	v) verbose=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
only=" $* "

if [ "$(uname -m)" != x86_64 ]; then
	echo "SKIP: native x86-64 execution (the oracle) needs an x86-64 host"
	exit 77
fi
if [ -z "$modes" ]; then
	[ -x "$top_builddir/xlate" ] && modes=xlate
	[ -x "$top_builddir/xlate-aarch64" ] && [ -n "${QEMU_AARCH64:-}" ] && modes=${modes:+$modes,}a64
fi
if [ -z "$modes" ]; then
	echo "SKIP: no translator built in $top_builddir"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/xlate-guest.XXXXXX")
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
data=$work/data
mkdir -p "$data"
. "$here/data.sh"
make_data "$data" "$here"

prefix_of() {
	case $1 in
	native) ;;
	xlate) echo "${GUEST_XLATE_ENV:-} $top_builddir/xlate" ;;
	a64) echo "${GUEST_XLATE_ENV:-} $QEMU_AARCH64 $top_builddir/xlate-aarch64" ;;
	esac
}

# run_one MODE NAME STDIN FILTER COMMAND... : runs in $work/NAME.MODE,
# leaves NAME.MODE.out/{stdout,stderr,status,files,time}.
run_one() {
	local mode=$1 name=$2 input=$3 filter=$4
	shift 4
	local dir=$work/$name.$mode
	rm -rf "$dir" "$dir.out"
	mkdir -p "$dir" "$dir.out"
	cp -a "$data/." "$dir/"
	local prefix
	prefix=$(prefix_of "$mode")
	local start=$(date +%s.%N)
	(cd "$dir" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$dir" LC_ALL=C TZ=UTC \
		TERM=dumb $prefix "$@" >"$dir.out/stdout" 2>"$dir.out/stderr" <"${input:-/dev/null}"
	 echo $? >"$dir.out/status")
	if [ -n "$filter" ]; then
		sed -E -i "$filter" "$dir.out/stdout" "$dir.out/stderr"
	fi
	local end=$(date +%s.%N)
	echo "$start $end" >"$dir.out/time"
	# Files left behind: names, sizes and contents.
	(cd "$dir" && find . -type f | LC_ALL=C sort | while read -r f; do
		echo "$(sha256sum <"$f" | cut -c1-64) $f"
	done) >"$dir.out/files"
}

declare -A passed failed seconds
t() {
	local tiers=$1 name=$2
	shift 2
	case ",$tiers," in
	*",$tier,"*) ;;
	*) [ "$tier" = full ] && [[ ",$tiers," == *,fast,* ]] || return 0 ;;
	esac
	[ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || return 0
	local input= filter=
	while :; do
		case $1 in
		-i) input=$2; shift 2 ;;
		-f) filter=$2; shift 2 ;;
		*) break ;;
		esac
	done
	run_one native "$name" "$input" "$filter" "$@"
	local m
	for m in ${modes//,/ }; do
		if [ "$m" = a64 ] && [[ ",$tiers," != *,a64,* ]]; then
			continue
		fi
		run_one "$m" "$name" "$input" "$filter" "$@"
		local what=
		for f in status stdout stderr files; do
			cmp -s "$work/$name.native.out/$f" "$work/$name.$m.out/$f" || what="$what $f"
		done
		local tm
		tm=$(awk '{printf "%.2f", $2 - $1}' "$work/$name.$m.out/time")
		seconds[$m]=$(awk -v a="${seconds[$m]:-0}" -v b="$tm" 'BEGIN{print a + b}')
		if [ -z "$what" ]; then
			passed[$m]=$((${passed[$m]:-0} + 1))
			printf 'ok    %-6s %-24s %6ss\n' "$m" "$name" "$tm"
		else
			failed[$m]=$((${failed[$m]:-0} + 1))
			printf 'FAIL  %-6s %-24s %6ss  differs:%s (status %s, native %s)\n' "$m" "$name" \
				"$tm" "$what" "$(cat "$work/$name.$m.out/status")" \
				"$(cat "$work/$name.native.out/status")"
			if [ -n "$verbose" ]; then
				for f in $what; do
					diff "$work/$name.native.out/$f" "$work/$name.$m.out/$f" | head -20
				done
			fi
		fi
	done
}

. "$here/cases.sh"

rc=0
for m in ${modes//,/ }; do
	p=${passed[$m]:-0} f=${failed[$m]:-0}
	case $m in
	xlate) what="xlate on this $(uname -m) host" ;;
	a64) what="xlate-aarch64 under qemu-aarch64" ;;
	esac
	echo "$what: $p of $((p + f)) programs match native (${seconds[$m]:-0}s)"
	echo "$m: $p passed, $f failed"
	[ "$f" = 0 ] || rc=1
done
[ -n "$keep" ] && echo "work directory kept: $work"
exit $rc
