#!/bin/bash
# The share on a real mount: its names, rosetta byte-identical to the
# translator and executable from the mount, the binfmt line, images read back
# verified for two targets, fresh JSON stats, read-only everywhere, SIGUSR1,
# the command line (SOURCE, --help, --version, bad and fstab-only options).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

M=$T/mnt S=$T/store
case $TARGET in
x86_64-v1) OTHER=aarch64-v1 ;;
*) OTHER=x86_64-v1 ;;
esac

# images as the compiler would have published them, for two targets
"$FSTOOL" mkelf "$T/mod" 1 >/dev/null
K=$(key_of "$T/mod")
"$FAKE_XLATEC" --target "$TARGET" -o "$T/img" "$T/mod"
"$FAKE_XLATEC" --target "$OTHER" -o "$T/img2" "$T/mod"
"$CACHE_CLI" --store "$S" put "$TARGET" "$T/img" --key "$K" >/dev/null
"$CACHE_CLI" --store "$S" put "$OTHER" "$T/img2" --key "$K" >/dev/null

fs_start "$M" -o "store=$S,translator=$FAKE_XLATE,compiler=$FAKE_XLATEC,targets=$OTHER"

# names
expect_out "binfmt cache requests rosetta stats" bash -c "ls '$M' | xargs"
expect_out "$TARGET $OTHER" bash -c "ls -f '$M/cache' | grep -v '^\\.' | xargs"
expect_out "$K" ls "$M/cache/$TARGET"
expect_out "-r-xr-xr-x" bash -c "stat -c %A '$M/rosetta'"
expect_out "drwx-wx-wt" bash -c "stat -c %A '$M/requests'"

# rosetta: the translator's bytes, mappable, and it runs from the mount
check "rosetta differs from the translator" cmp -s "$M/rosetta" "$FAKE_XLATE"
check "rosetta cannot be mmapped" python3 -c "
import mmap, sys
with open(sys.argv[1], 'rb') as f, open(sys.argv[2], 'rb') as g:
    sys.exit(mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ)[:] != g.read())" "$M/rosetta" "$FAKE_XLATE"
out=$("$M/rosetta" hello)
rc=$?
check "rosetta run from the mount exited $rc" [ "$rc" = 42 ]
check "rosetta did not run from the mount: $out" grep -q "exe=$M/rosetta " <<<"$out"

# binfmt: the registration line for this mount point, Apple's magic and mask
printf ':rosetta:M::%s:%s:%s/rosetta:CF\n' \
	'\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00' \
	'\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff' \
	"$M" >"$T/binfmt.want"
check "binfmt line differs: $(cat "$M/binfmt")" cmp -s "$M/binfmt" "$T/binfmt.want"

# images: the store's verified payload, for each target
check "image of $TARGET differs" cmp -s "$M/cache/$TARGET/$K" "$T/img"
check "image of $OTHER differs" cmp -s "$M/cache/$OTHER/$K" "$T/img2"
expect_out ok "$FSTOOL" verify "$M/cache/$TARGET/$K" "$K"
check "a missing image exists" [ ! -e "$M/cache/$TARGET/00000000000000000000000000000000" ]
check "a bad name exists" [ ! -e "$M/cache/$TARGET/not-a-key" ]
check "an unknown target exists" [ ! -e "$M/cache/riscv64-v1" ]

# stats: JSON, fresh at every open
expect_stat "$M" target "$TARGET"
hits=$(stat_of "$M" hits)
check "stats counted no hit" [ "$hits" -ge 2 ]
check "stats counted no miss" [ "$(stat_of "$M" misses)" -ge 1 ]
"$FSTOOL" mkelf "$T/mod2" 2 >/dev/null
K2=$(key_of "$T/mod2")
"$FAKE_XLATEC" --target "$TARGET" -o "$T/img3" "$T/mod2"
"$CACHE_CLI" --store "$S" put "$TARGET" "$T/img3" --key "$K2" >/dev/null
cat "$M/cache/$TARGET/$K2" >/dev/null
expect_stat "$M" hits $((hits + 1))
check "stats do not say what the store holds" [ "$(stat_of "$M" store.publishes)" -ge 3 ]

# read-only everywhere; in requests/ only creating is allowed
expect_out "Read-only file system" bash -c "(echo x >'$M/rosetta') 2>&1 | sed 's/.*: //'"
expect_out "Read-only file system" bash -c "(echo x >'$M/cache/$TARGET/$K') 2>&1 | sed 's/.*: //'"
expect_out "Read-only file system" bash -c "mkdir '$M/x' 2>&1 | sed 's/.*: //'"
expect_out "Read-only file system" bash -c "rm -f '$M/binfmt' 2>&1 | sed 's/.*: //'"
expect_out "Read-only file system" bash -c "touch '$M/cache/$TARGET/new' 2>&1 | sed 's/.*: //'"
expect_out "Operation not permitted" bash -c "mkdir '$M/requests/x' 2>&1 | sed 's/.*: //'"
expect_out "Operation not permitted" bash -c "(: >'$M/requests/not-a-key') 2>&1 | sed 's/.*: //'"
check "statfs failed" df "$M" >/dev/null

# SIGUSR1 logs the counters
kill -USR1 "$DAEMON_PID"
wait_for "counters in the log after SIGUSR1" grep -q 'stats: {' "$T/daemon.log"
fs_stop "$M"

# SOURCE MOUNTPOINT, as mount.fuse3 passes them, and options only fstab knows
mkfifo "$T/ready2"
"$XLATEFS" "$S" "$M" -f -o "translator=$FAKE_XLATE,compiler=$FAKE_XLATEC" \
	-o nofail,_netdev,noauto,auto,defaults,rw,user,users,nouser,x-systemd.automount \
	-o x-systemd.requires=foo.mount,comment=x,notify_fd=3 3>"$T/ready2" 2>>"$T/daemon.log" &
DAEMON_PID=$!
read -r line <"$T/ready2"
check "xlatefs SOURCE MOUNTPOINT with fstab options did not mount" [ "$line" = ready ]
check "the mount does not name the store" grep -q " $M .* - fuse.xlatefs $S " /proc/self/mountinfo
check "the mount lacks default_permissions/allow_other" \
	grep -q " $M .* - fuse.xlatefs .*default_permissions,allow_other" /proc/self/mountinfo
check "SOURCE was not used as the store" cmp -s "$M/cache/$TARGET/$K" "$T/img"
fs_stop "$M"

# the command line
check "--help failed" bash -c "'$XLATEFS' --help | grep -q 'store=DIR'"
check "--version failed" bash -c "'$XLATEFS' --version | grep -q '^xlatefs '"
expect_out "xlatefs: bad value in -o jobs=many (expected N) (see --help)" \
	"$XLATEFS" "$M" -o "store=$S,jobs=many"
expect_out "xlatefs: bad value in -o max_upload=12Q (expected SIZE) (see --help)" \
	"$XLATEFS" "$M" -o "store=$S,max_upload=12Q"
expect_out "xlatefs: bad target sparc-v1 (expected <arch>-v<N>, arch aarch64 or x86_64) (see --help)" \
	"$XLATEFS" "$M" -o "store=$S,target=sparc-v1,translator=$FAKE_XLATE"
expect_out "xlatefs: bad binfmt_flags=X or share_path=$M (flags: P, O, C, F) (see --help)" \
	"$XLATEFS" "$M" -o "store=$S,binfmt_flags=X,translator=$FAKE_XLATE"
expect_out "xlatefs: two stores: SOURCE $T/other and -o store=$S (see --help)" \
	"$XLATEFS" "$T/other" "$M" -o "store=$S"
expect_out "xlatefs: error: translator $T/none: No such file or directory" \
	"$XLATEFS" "$M" -f -o "store=$S,translator=$T/none,compiler=$FAKE_XLATEC"
check "a failed start left a mount" bash -c "! grep -q ' $M ' /proc/self/mountinfo"
fs_done
