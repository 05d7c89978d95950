# warm.sh — images for the warm mode of tests/bench/run.sh (sourced).
#
# The warm mode times runs in which every module has an image, required
# (BENCH_IMAGES_ENV, modes.sh). BENCH_WARM says how the images are made:
#   map    (default) the lazy cache's way: each workload runs once under
#          xlate with a private share directory, where the runtime drops
#          each module and the code map of what ran (plain files, DESIGN.md
#          "Lazy, on-demand translation"); then, doing the daemon's part,
#          `xlatec --map` on each module, its map holding what every
#          workload ran. Only code that ran is compiled: minutes, not hours,
#          for sysbench's thirty libraries.
#   whole  `xlatec --whole` on every module a native run loads: everything
#          translated, which for libc, libcrypto and the like takes hours of
#          compiler time.
# The store, and for map the share with its maps, are named by the
# translator build id (an image of another build is a miss for the
# runtime) and kept between benchmark runs: a workload is recorded once,
# and a module is translated again only when its map has grown.

: "${BENCH_JOBS:=$(nproc 2>/dev/null || echo 1)}"
: "${BENCH_WARM:=map}"

# The image target of this host, as xlatec and the store name it.
image_target() {
	local abi
	abi=$("$XLATEC" --version | sed -n 's/.*image ABI \([0-9][0-9]*\).*/\1/p')
	[ -n "$abi" ] || return 1
	printf '%s-v%s\n' "$(uname -m)" "$abi"
}

# Whether the warm mode can run; sets STORE, SHARE and IMAGE_TARGET.
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
	STORE=$OUT/store-$build/$BENCH_WARM
	SHARE=$OUT/store-$build/share
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

has_image() {
	"$XLATEFS_CACHE" --store "$1" get "$IMAGE_TARGET" "$2" -o /dev/null 2>/dev/null
}

# xlatec [ARGS...] MODULE into the store, timed and logged; fails saying so.
translate() {
	local t0
	t0=$(date +%s)
	if ! "$XLATEC" -q -j "$BENCH_JOBS" --target "$IMAGE_TARGET" --store "$STORE" "$@" \
		</dev/null >>"$OUT/xlatec.log" 2>&1; then
		note "xlatec $* failed (see $OUT/xlatec.log)"
		return 1
	fi
	note "  done in $(($(date +%s) - t0)) s"
}

# BENCH_WARM=map, before warm_build: one run of workload wl under xlate
# submitting into $SHARE, once per store.
warm_record() {
	local wl=$1 done=$SHARE/recorded.$1
	[ "$BENCH_WARM" = map ] && [ ! -e "$done" ] || return 0
	mkdir -p "$SHARE/cache" "$SHARE/requests" || die "cannot create $SHARE"
	note "$wl: one run under xlate to record what runs (into $SHARE)"
	# A workload may record on a smaller input (the 32 MB xz would take ten
	# minutes in the interpreter): the code that runs is the same.
	if declare -F "wl_${wl}_train" >/dev/null; then
		"wl_${wl}_train"
	else
		"wl_${wl}_setup"
	fi
	if env XLATE_SHARE="$SHARE" XLATE_SUBMIT=1 "$XLATE" "${PROG[$wl]}" "${WL_ARGS[@]}" \
		<"$WL_STDIN" >/dev/null 2>"$WORK/record.$wl.err"; then
		touch "$done"
	else
		note "$wl: the recording run failed ($WORK/record.$wl.err)"
	fi
}

# Translates what warm_record gathered: each submitted module without an
# image, or whose map grew since its image was made (f.built is the map's
# size then). The map holds submission after submission, as xlatec reads
# it; a module with no map ran no code, but must have an image: all of it.
warm_build_map() {
	local f key size
	for f in "$SHARE/requests"/*; do
		key=${f##*/}
		case $key in *.* | '*') continue ;; esac
		size=$(stat -c %s "$f.map" 2>/dev/null || echo 0)
		if has_image "$STORE" "$key" && [ "$size" = "$(cat "$f.built" 2>/dev/null)" ]; then
			continue
		fi
		if [ "$size" != 0 ]; then
			note "xlatec --map ${MODULE_NAME[$key]:-module $key}"
			translate --map "$f.map" "$f" || continue
		else
			note "xlatec --whole ${MODULE_NAME[$key]:-module $key} (no code map)"
			translate --whole "$f" || continue
		fi
		echo "$size" >"$f.built"
	done
}

# Every module the selected workloads load, translated in full.
warm_build_whole() {
	local key
	for key in "${!MODULE_NAME[@]}"; do
		has_image "$STORE" "$key" && continue
		note "xlatec --whole ${MODULE_NAME[$key]}"
		translate --whole "${MODULE_NAME[$key]}"
	done
}

# Makes the images of the workloads in $@ (after warm_record); sets
# WARM_OK[wl] to 1 for those whose every module has one, else says which
# module lacks one.
warm_build() {
	local wl m key
	declare -gA MODULE_NAME=()
	declare -A mods=()
	for wl in "$@"; do
		while read -r m; do
			key=$("$XLATEFS_CACHE" key "$m") || die "cannot compute the key of $m"
			MODULE_NAME[$key]=$m
			mods[$wl]+=" $key"
		done < <(workload_modules "$wl" "${PROG[$wl]}")
	done
	# The store makes its own layout, but not the directories above it.
	mkdir -p "$STORE" || die "cannot create $STORE"
	"warm_build_$BENCH_WARM"
	for wl in "$@"; do
		WARM_OK[$wl]=1
		for key in ${mods[$wl]}; do
			if ! has_image "$STORE" "$key"; then
				note "$wl: no image of ${MODULE_NAME[$key]}: no warm runs"
				WARM_OK[$wl]=0
				break
			fi
		done
	done
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
