# warm.sh — images for the warm mode of tests/bench/run.sh (sourced).
#
# The warm mode times runs in which every module has an image, required
# (BENCH_IMAGES_ENV, modes.sh). BENCH_WARM says how the images are made:
#   map    (default) the lazy cache's way: one run under xlate with a private
#          share directory, where the runtime drops each module and the code
#          map of what ran (plain files, DESIGN.md "Lazy, on-demand
#          translation"); then, doing the daemon's part, `xlatec --map` on
#          each. Only code that ran is compiled: minutes, not hours, for
#          sysbench's thirty libraries. One store per workload, as each
#          workload's images hold what that workload ran.
#   whole  `xlatec --whole` on every module a native run loads, into one
#          store for all workloads: everything translated, which for libc,
#          libcrypto and the like takes hours of compiler time.
# Stores are named by the translator build id (an image of another build is
# a miss for the runtime) and kept between benchmark runs.

: "${BENCH_JOBS:=$(nproc 2>/dev/null || echo 1)}"
: "${BENCH_WARM:=map}"

# The image target of this host, as xlatec and the store name it.
image_target() {
	local abi
	abi=$("$XLATEC" --version | sed -n 's/.*image ABI \([0-9][0-9]*\).*/\1/p')
	[ -n "$abi" ] || return 1
	printf '%s-v%s\n' "$(uname -m)" "$abi"
}

# Whether the warm mode can run; sets STORE_ROOT and IMAGE_TARGET.
warm_available() {
	local build probe true_prog
	case $BENCH_WARM in
	map | whole) ;;
	*) die "BENCH_WARM is 'map' or 'whole', not '$BENCH_WARM'" ;;
	esac
	if [ -z "$XLATE" ] || [ ! -x "$XLATE" ]; then
		note "mode warm skipped: no xlate (run 'make bench', or set XLATE)"
		return 1
	fi
	if [ -z "$XLATEC" ] || [ ! -x "$XLATEC" ] || [ -z "$XLATEFS_CACHE" ] ||
		[ ! -x "$XLATEFS_CACHE" ]; then
		note "mode warm skipped: needs xlatec and xlatefs-cache (run 'make bench', or set XLATEC and XLATEFS_CACHE)"
		return 1
	fi
	build=$("$XLATEC" --version | awk '{ print $NF }')
	IMAGE_TARGET=$(image_target) || {
		note "mode warm skipped: '$XLATEC --version' names no image ABI"
		return 1
	}
	STORE_ROOT=$OUT/store-$build
	# A runtime that loads images must refuse to run a program when images
	# are required and the store is empty. One that runs it anyway does not
	# load images (or reads other variables than BENCH_IMAGES_ENV): timing
	# it would only repeat the interpreter mode under another name.
	true_prog=$(find_x86_64_elf true) || die "no x86-64 'true' program (coreutils)"
	probe=$WORK/probe-store
	rm -rf "$probe" && mkdir -p "$probe" || die "cannot create $probe"
	if ! "$XLATE" "$true_prog"; then
		note "mode warm skipped: '$XLATE $true_prog' fails even without images"
		return 1
	fi
	set_mode_env "$BENCH_IMAGES_ENV" "$probe"
	if env "${MODE_ENV[@]}" "$XLATE" "$true_prog" 2>/dev/null; then
		note "mode warm skipped: xlate ran $true_prog with '${MODE_ENV[*]}' and an empty store," \
			"so it does not load images, or not through these variables (set BENCH_IMAGES_ENV)"
		return 1
	fi
	return 0
}

# The store workload $1's warm runs use.
warm_store() {
	if [ "$BENCH_WARM" = whole ]; then
		printf '%s\n' "$STORE_ROOT/whole"
	else
		printf '%s\n' "$STORE_ROOT/map-$1"
	fi
}

# Prints, one per line and resolved, every module a native run of the
# workload loaded: the program, what ldd finds (DT_NEEDED closure and
# ld.so), and what the dynamic loader reported initialising in the
# reference run (modules opened with dlopen, python's extensions).
workload_modules() {
	local wl=$1 prog=$2
	{
		printf '%s\n' "$prog"
		ldd "$prog" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'
		cat "$WORK/lddebug.$wl".* 2>/dev/null | sed -n 's/.*calling init: //p'
	} | while read -r m; do
		readlink -f "$m"
	done | sort -u
}

has_image() {
	"$XLATEFS_CACHE" --store "$1" get "$IMAGE_TARGET" "$2" -o /dev/null 2>/dev/null
}

# xlatec [ARGS...] MODULE into store $1, timed and logged; fails saying so.
translate() {
	local store=$1 t0
	shift
	t0=$(date +%s)
	if ! "$XLATEC" -q -j "$BENCH_JOBS" --target "$IMAGE_TARGET" --store "$store" "$@" \
		</dev/null >>"$OUT/xlatec.log" 2>&1; then
		note "xlatec $* failed (see $OUT/xlatec.log)"
		return 1
	fi
	note "  done in $(($(date +%s) - t0)) s"
}

# The code map file $1 as xlatec takes it: the runtime appends one
# submission (header, records) per open, and a map given to xlatec has one
# header, so later copies of the header go (both are 8 bytes, and a record
# equal to the header would lie beyond 1 GiB).
merge_map() {
	perl -e 'local $/; my $d = <STDIN>; my $h = substr($d, 0, 8); print $h;
		for (my $i = 8; $i + 8 <= length $d; $i += 8) {
			my $r = substr($d, $i, 8); print $r if $r ne $h }' <"$1"
}

# BENCH_WARM=map: records what workload wl runs, then translates that.
warm_by_map() {
	local wl=$1 store=$2 share=$WORK/share-$1 f key m
	local -A name=()
	while read -r m; do
		name[$("$XLATEFS_CACHE" key "$m")]=$m
	done < <(workload_modules "$wl" "${PROG[$wl]}")
	rm -rf "$share" && mkdir -p "$share/cache" "$share/requests" || die "cannot create $share"
	note "$wl: one run under xlate to record what runs (code maps into $share)"
	# A workload may record on a smaller input (the 32 MB xz would take ten
	# minutes in the interpreter): the code that runs is the same.
	if declare -F "wl_${wl}_train" >/dev/null; then
		"wl_${wl}_train"
	else
		"wl_${wl}_setup"
	fi
	if ! env XLATE_SHARE="$share" XLATE_SUBMIT=1 "$XLATE" "${PROG[$wl]}" "${WL_ARGS[@]}" \
		<"$WL_STDIN" >/dev/null 2>"$share/run.err"; then
		note "$wl: the recording run failed ($share/run.err)"
		return 1
	fi
	for f in "$share/requests"/*; do
		key=${f##*/}
		case $key in *.* | '*') continue ;; esac
		has_image "$store" "$key" && continue
		if [ -s "$f.map" ]; then
			merge_map "$f.map" >"$f.merged" || die "cannot merge $f.map"
			note "xlatec --map ${name[$key]:-module $key}"
			translate "$store" --map "$f.merged" "$f" || return 1
		else
			# No code of it ran, yet images are required: all of it.
			note "xlatec --whole ${name[$key]:-module $key} (no code map)"
			translate "$store" --whole "$f" || return 1
		fi
	done
}

# BENCH_WARM=whole: every module a native run loads, translated in full.
warm_by_whole() {
	local wl=$1 store=$2 m key
	while read -r m; do
		key=$("$XLATEFS_CACHE" key "$m") || die "cannot compute the key of $m"
		has_image "$store" "$key" && continue
		note "xlatec --whole $m"
		translate "$store" --whole "$m" || return 1
	done < <(workload_modules "$wl" "${PROG[$wl]}")
}

# Makes sure the store of workload wl holds an image of every module it
# loads; fails (having said why) when one cannot be made.
warm_prepare() {
	local wl=$1 store m missing=0
	store=$(warm_store "$wl")
	while read -r m; do
		has_image "$store" "$("$XLATEFS_CACHE" key "$m")" || missing=1
	done < <(workload_modules "$wl" "${PROG[$wl]}")
	[ $missing = 0 ] && return 0
	note "$wl: making images ($BENCH_WARM) into $store; kept for later runs"
	# The store makes its own layout, but not the directories above it.
	mkdir -p "$store" || die "cannot create $store"
	"warm_by_$BENCH_WARM" "$wl" "$store" || {
		note "$wl: no warm runs"
		return 1
	}
}

# One untimed warm run of wl with XLATE_SUMMARY, which costs counting in
# translated code: prints the share of guest instructions that ran
# translated (over every process of the run), or "?" when the run failed or
# printed no summary. The timed runs check the output; this one only looks.
warm_translated() {
	local wl=$1 sum=$WORK/summary.$1
	rm -f "$sum"
	STORE=$(warm_store "$wl")
	mode_use warm
	"wl_${wl}_setup"
	env "${MODE_ENV[@]}" XLATE_SUMMARY="$sum" "${MODE_PREFIX[@]}" "${PROG[$wl]}" "${WL_ARGS[@]}" \
		<"$WL_STDIN" >/dev/null 2>"$WORK/summary.$wl.err" &&
		[ -s "$sum" ] || {
		echo "?"
		return
	}
	# "... instructions T translated, I interpreted (...)" per process.
	awk 'match($0, /instructions [0-9]+ translated, [0-9]+ interpreted/) {
		split(substr($0, RSTART, RLENGTH), f, " ")
		tr += f[2]
		it += f[4]
	}
	END { if (tr + it > 0) printf "%.1f%%\n", 100 * tr / (tr + it); else print "?" }' "$sum"
}
