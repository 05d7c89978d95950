# warm.sh — images for the warm mode of tests/bench/run.sh (sourced).
#
# The warm mode times runs whose every module has an image: a private
# store is filled by `xlatec --whole` for each module the workload loads,
# and the runs require images (BENCH_IMAGES_ENV, modes.sh). The store is
# named by the translator build id, because an image of another build is a
# miss for the runtime; images are kept between benchmark runs, since
# translating libc and friends takes far longer than the benchmark.

: "${BENCH_JOBS:=$(nproc 2>/dev/null || echo 1)}"

# The image target of this host, as xlatec and the store name it.
image_target() {
	local abi
	abi=$("$XLATEC" --version | sed -n 's/.*image ABI \([0-9][0-9]*\).*/\1/p')
	[ -n "$abi" ] || return 1
	printf '%s-v%s\n' "$(uname -m)" "$abi"
}

# Whether the warm mode can run; sets STORE and IMAGE_TARGET.
warm_available() {
	local build probe true_prog
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
	STORE=$OUT/store-$build
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

# Makes sure the store holds an image of every module of workload wl;
# fails (saying which module) when xlatec cannot make one.
warm_prepare() {
	local wl=$1 prog=$2 m key t0
	while read -r m; do
		key=$("$XLATEFS_CACHE" key "$m") || die "cannot compute the key of $m"
		if "$XLATEFS_CACHE" --store "$STORE" get "$IMAGE_TARGET" "$key" -o /dev/null 2>/dev/null; then
			continue
		fi
		note "xlatec --whole $m (once; this store keeps it: $STORE)"
		t0=$(date +%s)
		if ! "$XLATEC" --whole -q -j "$BENCH_JOBS" --target "$IMAGE_TARGET" \
			--store "$STORE" "$m" </dev/null >>"$OUT/xlatec.log" 2>&1; then
			note "xlatec failed on $m (see $OUT/xlatec.log): no warm run of $wl"
			return 1
		fi
		note "  $m: $(($(date +%s) - t0)) s"
	done < <(workload_modules "$wl" "$prog")
}

# One untimed warm run of wl with XLATE_SUMMARY, which costs counting in
# translated code: prints the share of guest instructions that ran
# translated (over every process of the run), or "?" when the run failed or
# printed no summary. The timed runs check the output; this one only looks.
warm_translated() {
	local wl=$1 sum=$WORK/summary.$1
	rm -f "$sum"
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
