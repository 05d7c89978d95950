#!/bin/bash
# guest-modes.sh — the real-program suite (tests/guest/run.sh) in the three
# modes of the translator:
#   interp   interpreter only (XLATE_IMAGES=0)
#   partial  images made from the code maps of an interpreted run of the
#            same cases (what the lazy cache gives after one run); the
#            rest falls back to the interpreter
#   whole    images of everything xlatec finds in each module (--whole,
#            plus the code map), for every module a case loads
# The modules and code maps come from the suite itself: an interpreted
# run with a plain directory as the share submits them to requests/.
#
#   guest-modes.sh [-t TIER] [-m MODES] [-a] [CASE...]
#     TIER   the suite's tier (default fast); MODES comma list (default
#            interp,partial,whole); -a also runs the a64 tier under
#            qemu-aarch64 with images compiled for aarch64-v1
# Images are kept in $AOT_IMAGES (default top_builddir/tests/aot/images),
# by translator build, mode and key, so a second run compiles nothing new.
# Prints each mode's results and the fraction of guest instructions that
# ran in translated code; exits 1 when any case differs from native.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
export top_builddir
tier=fast modes=interp,partial,whole a64=
while getopts t:m:a o; do
	case $o in
	t) tier=$OPTARG ;;
	m) modes=$OPTARG ;;
	a) a64=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
B=$top_builddir
build=$("$B/xlatec" --version | awk '{ print $NF }')
store=${AOT_IMAGES:-$B/tests/aot/images}/$build
work=$(mktemp -d "${TMPDIR:-/tmp}/aot-guest.XXXXXX")
trap 'rm -rf "$work"' EXIT
suite() { bash "$here/../guest/run.sh" -t "$tier" "$@"; }

# Modules and code maps, from an interpreted run that submits them.
share=$work/share
mkdir -p "$share/requests" "$share/cache"
echo "== collecting modules and code maps (interpreted run)"
GUEST_XLATE_ENV="XLATE_SHARE=$share" suite -m xlate "$@" >"$work/collect.log" ||
	{ cat "$work/collect.log"; exit 1; }
nmod=$(find "$share/requests" -name '*.map' | wc -l)
echo "$nmod modules ran"

# images MODE TARGET: compiles (or reuses) the images of every module
# into the share's cache for TARGET.
images() {
	local mode=$1 target=$2 flags= m key
	[ "$mode" = whole ] && flags=--whole
	mkdir -p "$store/$mode-$target" "$share/cache/$target"
	rm -f "$share/cache/$target"/*
	for m in "$share/requests"/*.map; do
		key=$(basename "$m" .map)
		if [ ! -s "$store/$mode-$target/$key" ]; then
			echo "   xlatec $flags --target $target $key ($(wc -c <"$share/requests/$key") bytes)"
			"$B/xlatec" -q -j2 --target "$target" $flags --map "$m" \
				-o "$store/$mode-$target/$key.tmp" "$share/requests/$key" &&
				mv "$store/$mode-$target/$key.tmp" "$store/$mode-$target/$key" ||
				echo "   (no image for $key)"
		fi
		[ -s "$store/$mode-$target/$key" ] &&
			ln -s "$store/$mode-$target/$key" "$share/cache/$target/$key"
	done
}

# fraction LOG: the share of guest instructions run translated, over
# every process of the run.
fraction() {
	awk '/summary:/ { t += $9; i += $11 }
	     END { printf "%.1f%% of %d guest instructions translated", t + i ? 100 * t / (t + i) : 0, t + i }' "$1"
}

rc=0
for mode in ${modes//,/ }; do
	echo "== mode $mode"
	env=
	case $mode in
	interp) env="XLATE_IMAGES=0" ;;
	partial | whole)
		images "$mode" x86_64-v1
		env="XLATE_SHARE=$share XLATE_SUBMIT=0"
		;;
	*) echo "unknown mode $mode"; exit 2 ;;
	esac
	rm -f "$work/summary"
	GUEST_XLATE_ENV="$env XLATE_SUMMARY=$work/summary" suite -m xlate "$@" || rc=1
	echo "$mode: $(fraction "$work/summary")"
	if [ -n "$a64" ] && [ "$mode" != interp ]; then
		images "$mode" aarch64-v1
		rm -f "$work/summary"
		GUEST_XLATE_ENV="$env XLATE_SUMMARY=$work/summary" QEMU_AARCH64=${QEMU_AARCH64:-qemu-aarch64} \
			bash "$here/../guest/run.sh" -t a64 -m a64 "$@" || rc=1
		echo "$mode (aarch64): $(fraction "$work/summary")"
	fi
done
exit $rc
