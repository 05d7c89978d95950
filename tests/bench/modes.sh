# modes.sh — how tests/bench/run.sh runs a program in each mode (sourced).
#
# A mode is a command prefix (MODE_PREFIX) and environment (MODE_ENV),
# set by mode_use; mode_available decides, once, whether the mode can run
# here and says why not.
#   native  the program itself: the oracle and the unit of every ratio
#   qemu    qemu-x86_64 (Debian qemu-user), the baseline to beat
#   interp  xlate with no image: every block interpreted
#   warm    xlate with images of every module the workload loads, required

# The runtime's image options (translator/runtime/image.h): a local store,
# images required (a module without one exits 127), nothing submitted to a
# share; XLATE_IMAGES=0 turns images off. Set these variables to change
# them; @STORE@ stands for the warm mode's store.
: "${BENCH_IMAGES_ENV:=XLATE_STORE=@STORE@ XLATE_REQUIRE_IMAGES=1 XLATE_SUBMIT=0}"
: "${BENCH_INTERP_ENV:=XLATE_IMAGES=0 XLATE_SUBMIT=0}"

QEMU_X86_64=${QEMU_X86_64:-$(command -v qemu-x86_64 || command -v qemu-x86_64-static || true)}

# The translator's programs: given by `make bench`, else beside the current
# directory (a build directory), else on PATH.
find_build_prog() {
	if [ -x "./$1" ]; then
		printf '%s\n' "$PWD/$1"
	else
		command -v "$1" || true
	fi
}
XLATE=${XLATE:-$(find_build_prog xlate)}
XLATEC=${XLATEC:-$(find_build_prog xlatec)}
XLATEFS_CACHE=${XLATEFS_CACHE:-$(find_build_prog xlatefs-cache)}

# mode_available MODE: 0 when MODE can run here, else says why and fails.
mode_available() {
	case $1 in
	native) return 0 ;;
	qemu)
		[ -n "$QEMU_X86_64" ] && [ -x "$QEMU_X86_64" ] && return 0
		note "mode qemu skipped: no qemu-x86_64 (Debian package qemu-user; or set QEMU_X86_64)"
		return 1
		;;
	interp)
		[ -n "$XLATE" ] && [ -x "$XLATE" ] && return 0
		note "mode interp skipped: no xlate (run 'make bench', or set XLATE=path/to/xlate)"
		return 1
		;;
	warm) warm_available ;;
	*) die "unknown mode '$1' (modes: native qemu interp warm)" ;;
	esac
}

# Splits a BENCH_*_ENV setting into MODE_ENV, the store put in.
set_mode_env() {
	local word
	MODE_ENV=()
	for word in $1; do
		MODE_ENV+=("${word//@STORE@/$2}")
	done
}

# mode_use MODE: sets MODE_PREFIX and MODE_ENV.
mode_use() {
	case $1 in
	native) MODE_PREFIX=() MODE_ENV=() ;;
	qemu) MODE_PREFIX=("$QEMU_X86_64") MODE_ENV=() ;;
	interp)
		MODE_PREFIX=("$XLATE")
		set_mode_env "$BENCH_INTERP_ENV" ""
		;;
	warm)
		MODE_PREFIX=("$XLATE")
		set_mode_env "$BENCH_IMAGES_ENV" "$STORE"
		;;
	esac
}
