#!/bin/bash
# The share with the real programs: the built xlate served as rosetta and run
# from the mount; a small real x86-64 program uploaded through requests/ with
# the code map of its main(), compiled by the real xlatec, its image served
# under cache/<target>/<key> and checked against the module; and binfmt
# through the share in a private binfmt_misc instance: the line the share
# serves, registered, makes an x86-64 program run through the mount's
# rosetta. (The test doubles fake-xlate/fake-xlatec cover the failure cases.)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
[ "$(uname -m)" = x86_64 ] || skip "the x86-64 test program is built on x86-64 hosts only"
fs_enter_namespace "$@"
# This test drives the request path by hand (one module, one map). The
# translator would submit what it runs on its own (fs-hello, ld.so, libc)
# and start compiles the counts below do not expect; its own submissions
# are tests/integration/aot-lazy.sh's subject.
export XLATE_SUBMIT=0

M=$T/mnt S=$T/store
XLATE=$top_builddir/tests/integration/xlate.abi1
XLATEC=$top_builddir/xlatec
HELLO=$top_builddir/tests/integration/fs-hello
I=$M/cache/$TARGET

# The compiler's memory limit is fs-compiler.sh's subject; an ASan build of
# xlatec reserves terabytes of address space.
fs_start "$M" -o "store=$S,translator=$XLATE,compiler=$XLATEC,job_mem=0,retries=0"

# --- rosetta: the built translator, run from the mount -------------------------
check "rosetta differs from the built translator" cmp -s "$M/rosetta" "$XLATE"
opens=$(stat_of "$M" translator_opens)
out=$("$M/rosetta" "$HELLO" world)
rc=$?
check "rosetta running fs-hello exited $rc" [ "$rc" = 7 ]
check "rosetta running fs-hello printed '$out'" [ "$out" = "$("$HELLO" world)" ]
check "rosetta was not opened through the mount" [ "$(stat_of "$M" translator_opens)" -gt "$opens" ]
check "rosetta did not translate (no translator CPU in /proc/cpuinfo)" \
	bash -c "'$M/rosetta' /usr/bin/grep -q 'xlatefs x86-64 translator' /proc/cpuinfo"

# --- the lazy path with the real compiler -------------------------------------
K=$(key_of "$HELLO")
check "an image before anything was sent" [ ! -e "$I/$K" ]
# main's bytes, as the runtime records them: offsets from the load bias
read -r addr size < <(nm -S "$HELLO" | awk '$4 == "main" { print $1, $2 }')
check "no main in fs-hello" [ -n "$addr" ]
expect_out ok "$FSTOOL" map "$M/requests/$K.map" "0x$addr:0x$size"
wait_stat "$M" maps.accepted 1
expect_out ok "$FSTOOL" put "$M/requests/$K" "$HELLO"
wait_stat "$M" uploads.accepted 1
wait_for "xlatec's image of fs-hello" test -e "$I/$K"
expect_stat "$M" compiled 1
expect_stat "$M" failed 0
# the image as the store holds it, for this module, of real code
check "the served image differs from the store's" cmp -s "$I/$K" \
	<("$CACHE_CLI" --store "$S" get "$TARGET" "$K")
expect_out "ok" python3 - "$I/$K" "$HELLO" "$K" <<'PY'
import hashlib, struct, sys
img = open(sys.argv[1], "rb").read()
mod = open(sys.argv[2], "rb").read()
def bad(why):
    print(why)
    sys.exit(1)
if img[:4] != b"\x7fELF" or struct.unpack_from("<H", img, 16)[0] != 3:
    bad("not an ELF shared object")
entry, phoff = struct.unpack_from("<QQ", img, 24)
phentsize, phnum = struct.unpack_from("<HH", img, 54)
off = None
for i in range(phnum):
    p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", img, phoff + i * phentsize)
    if p_type == 1 and p_vaddr <= entry < p_vaddr + p_filesz:
        off = p_offset + entry - p_vaddr
if off is None:
    bad("e_entry (the image header) is in no segment")
magic, abi, hsize = struct.unpack_from("<8sII", img, off)
key, sha = img[off + 32:off + 48], img[off + 48:off + 80]
size, machine, nregions, nentries, ninsns = struct.unpack_from("<QIIII", img, off + 80)
if magic != b"XLIMAGE\0" or abi != 1:
    bad("no image header")
if key.hex() != sys.argv[3] or sha != hashlib.sha256(mod).digest() or size != len(mod):
    bad("the header names another module")
if machine != 62 or not nregions or not ninsns:
    bad("no translated code for x86-64 hosts")
print("ok")
PY

# --- binfmt through the share ---------------------------------------------------
# In a nested user namespace: its own binfmt_misc instance (Linux >= 6.7), so
# the registration covers only the programs run there.
if ! unshare -Urm sh -c 'mount -t binfmt_misc none /proc/sys/fs/binfmt_misc' 2>/dev/null; then
	fs_stop "$M"
	skip "no private binfmt_misc (Linux >= 6.7 with user namespaces)"
fi
opens=$(stat_of "$M" translator_opens)
cat >"$T/binfmt.sh" <<'END'
mount -t binfmt_misc none /proc/sys/fs/binfmt_misc || exit 3
cat "$1/binfmt" >/proc/sys/fs/binfmt_misc/register || exit 4
# from here every x86-64 program runs through $1/rosetta
read -r state </proc/sys/fs/binfmt_misc/rosetta
echo "$state"
"$2" world
echo "exit $?"
/usr/bin/grep -m1 -c 'xlatefs x86-64 translator' /proc/cpuinfo
END
unshare -Urm bash "$T/binfmt.sh" "$M" "$HELLO" >"$T/binfmt.out" 2>&1
printf 'enabled\n%s\nexit 7\n1\n' "$("$HELLO" world)" >"$T/binfmt.want"
check "binfmt through the share: $(cat "$T/binfmt.out")" cmp -s "$T/binfmt.out" "$T/binfmt.want"
check "the binfmt registration did not open rosetta through the mount" \
	[ "$(stat_of "$M" translator_opens)" -gt "$opens" ]
expect_stat "$M" errors 0
fs_stop "$M"
fs_done
