#!/bin/bash
# run.sh — real x86-64 programs under the translator, native output as the
# oracle. Every case runs natively and under each translator in a fresh
# directory holding the same inputs; stdout, stderr, exit status and the
# files left in the directory must match byte for byte.
#
#   run.sh [-t TIER] [-m MODES] [-c CASES] [-k] [-v] [CASE...]
#     TIER   fast (make check: cases tagged fast under xlate, a64 under
#            a64), full (make check-guest-full: fast and full under xlate,
#            a64 and a64-full under a64), a64 (cases tagged a64, any mode)
#     MODES  comma list of: xlate (top_builddir/xlate on this host),
#            a64 ($QEMU_AARCH64 top_builddir/xlate-aarch64); default: all
#            that exist (a64 runs the a64 tier only)
#     CASES  the file of cases to source (default: cases.sh here)
#     -k     keep the work directory; -v print diffs of mismatches
# A case with -x executes other x86-64 programs: on an aarch64 host the
# kernel starts the re-entered xlate-aarch64 itself; here mode a64 runs it
# in a private binfmt_misc instance that sends aarch64 programs to qemu
# (binfmt-a64.sh), and SKIPs it where the kernel has none (Linux < 6.7).
# GUEST_XLATE_ENV: NAME=VALUE words given to the translator modes only
# (XLATE_* options: tests/aot/guest-modes.sh runs the suite with images).
# Prints one line per case and mode, then "N passed, N failed" per mode;
# exits 1 if anything differs, 77 if no translator or x86-64 host exists.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
tier=fast modes= keep= verbose= cases=$here/cases.sh
while getopts t:m:c:kv o; do
	case $o in
	t) tier=$OPTARG ;;
	c) cases=$OPTARG ;;
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

# prefix_of MODE [x]: x for a case that executes other programs.
prefix_of() {
	case $1 in
	native) ;;
	xlate) echo "${GUEST_XLATE_ENV:-} $top_builddir/xlate" ;;
	a64)
		echo "${GUEST_XLATE_ENV:-}" \
			${2:+unshare -cm bash "$here/binfmt-a64.sh" "${QEMU_AARCH64:-}"} \
			"${QEMU_AARCH64:-} $top_builddir/xlate-aarch64"
		;;
	esac
}
a64_binfmt=
unshare -cm sh -c 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc' 2>/dev/null && a64_binfmt=1

# A mode that silently ran programs natively would match everything:
# each mode must show the emulated CPU's brand string to a guest.
for m in ${modes//,/ }; do
	case $m in
	xlate) [ -x "$top_builddir/xlate" ] || { echo "ERROR: no $top_builddir/xlate"; exit 2; } ;;
	a64)
		if [ -z "${QEMU_AARCH64:-}" ] || [ ! -x "$top_builddir/xlate-aarch64" ]; then
			echo "ERROR: mode a64 needs QEMU_AARCH64 and $top_builddir/xlate-aarch64"
			exit 2
		fi
		;;
	*) echo "ERROR: unknown mode $m"; exit 2 ;;
	esac
	if ! env $(prefix_of "$m") /usr/bin/grep -q '^model name.*xlatefs' /proc/cpuinfo; then
		echo "ERROR: mode $m does not run programs under the translator"
		exit 2
	fi
done

# run_one MODE NAME STDIN FILTER SPAWNS COMMAND... : runs in $work/NAME.MODE
# (SPAWNS: x if the case executes other programs, else empty), leaves
# NAME.MODE.out/{stdout,stderr,status,files,time,cpu}.
run_one() {
	local mode=$1 name=$2 input=$3 filter=$4 spawns=$5
	shift 5
	local dir=$work/$name.$mode
	rm -rf "$dir" "$dir.out"
	mkdir -p "$dir" "$dir.out"
	cp -a "$data/." "$dir/"
	local prefix
	prefix=$(prefix_of "$mode" $spawns)
	local start=$(date +%s.%N)
	# The subshell's `times` gives the CPU time of what it ran (user and
	# system): on a busy machine that, not the wall time, says how long
	# a case takes.
	(cd "$dir" && env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$dir" LC_ALL=C TZ=UTC \
		TERM=dumb $prefix "$@" >"$dir.out/stdout" 2>"$dir.out/stderr" <"${input:-/dev/null}"
	 echo $? >"$dir.out/status"
	 times >"$dir.out/cpu")
	if [ -n "$filter" ]; then
		sed -E -i "$filter" "$dir.out/stdout" "$dir.out/stderr"
	fi
	local end=$(date +%s.%N)
	# times: "0m0.003s 0m0.001s", the shell's line, then its children's.
	echo "$start $end $(awk -F'[ms ]+' 'NR == 2 { printf "%.2f", $1 * 60 + $2 + $3 * 60 + $4 }' \
		"$dir.out/cpu")" >"$dir.out/time"
	# Files left behind: names, sizes and contents.
	(cd "$dir" && find . -type f | LC_ALL=C sort | while read -r f; do
		echo "$(sha256sum <"$f" | cut -c1-64) $f"
	done) >"$dir.out/files"
}

declare -A passed failed seconds cpu_seconds
t() {
	local tiers=$1 name=$2
	shift 2
	# The tags that put a case in this run, for each mode.
	local want_xlate want_a64
	case $tier in
	fast) want_xlate=fast want_a64=a64 ;;
	a64) want_xlate=a64 want_a64=a64 ;;
	full) want_xlate='fast full' want_a64='a64 a64-full' ;;
	esac
	local m run_modes= w
	for m in ${modes//,/ }; do
		[ "$m" = a64 ] && w=$want_a64 || w=$want_xlate
		for w in $w; do
			[[ ",$tiers," == *",$w,"* ]] && run_modes="$run_modes $m" && break
		done
	done
	[ -n "$run_modes" ] || return 0
	[ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || return 0
	local input= filter= spawns=
	while :; do
		case $1 in
		-i) input=$2; shift 2 ;;
		-f) filter=$2; shift 2 ;;
		-x) spawns=x; shift ;;
		*) break ;;
		esac
	done
	run_one native "$name" "$input" "$filter" "$spawns" "$@"
	for m in $run_modes; do
		if [ "$m" = a64 ] && [ -n "$spawns" ] && [ -z "$a64_binfmt" ]; then
			printf 'SKIP  %-6s %-24s no private binfmt_misc (needs Linux >= 6.7)\n' "$m" "$name"
			continue
		fi
		run_one "$m" "$name" "$input" "$filter" "$spawns" "$@"
		local what=
		for f in status stdout stderr files; do
			cmp -s "$work/$name.native.out/$f" "$work/$name.$m.out/$f" || what="$what $f"
		done
		local tm cpu
		read -r tm cpu < <(awk '{ printf "%.2f %s", $2 - $1, $3 }' "$work/$name.$m.out/time")
		seconds[$m]=$(awk -v a="${seconds[$m]:-0}" -v b="$tm" 'BEGIN{print a + b}')
		cpu_seconds[$m]=$(awk -v a="${cpu_seconds[$m]:-0}" -v b="$cpu" 'BEGIN{print a + b}')
		if [ -z "$what" ]; then
			passed[$m]=$((${passed[$m]:-0} + 1))
			printf 'ok    %-6s %-24s %7ss %7ss cpu\n' "$m" "$name" "$tm" "$cpu"
		else
			failed[$m]=$((${failed[$m]:-0} + 1))
			printf 'FAIL  %-6s %-24s %7ss %7ss cpu  differs:%s (status %s, native %s)\n' \
				"$m" "$name" "$tm" "$cpu" "$what" "$(cat "$work/$name.$m.out/status")" \
				"$(cat "$work/$name.native.out/status")"
			if [ -n "$verbose" ]; then
				for f in $what; do
					diff "$work/$name.native.out/$f" "$work/$name.$m.out/$f" | head -20
				done
			fi
		fi
	done
}

. "$cases"

rc=0
for m in ${modes//,/ }; do
	p=${passed[$m]:-0} f=${failed[$m]:-0}
	case $m in
	xlate) what="xlate on this $(uname -m) host" ;;
	a64) what="xlate-aarch64 under qemu-aarch64" ;;
	esac
	echo "$what: $p of $((p + f)) programs match native" \
		"(${seconds[$m]:-0}s, ${cpu_seconds[$m]:-0}s of CPU)"
	echo "$m: $p passed, $f failed"
	[ "$f" = 0 ] || rc=1
done
[ -n "$keep" ] && echo "work directory kept: $work"
exit $rc
