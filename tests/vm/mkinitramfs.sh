#!/bin/bash
# mkinitramfs.sh -o OUT -k KERNELDIR -b BUSYBOX [options] — the test VMs'
# initramfs (cpio newc, uncompressed: it boots faster than it would unpack):
# tests/vm/init as /init, a static BUSYBOX as /bin/busybox, the modules
# kernel.sh kept, and what the options add:
#   -s            stamp (EI_ABIVERSION=1) busybox and every -n program, so an
#                 x86-64 binfmt entry in the guest leaves them native
#   -n PROG       a host program that runs natively in the guest, at its host
#                 path, with the shared libraries it needs
#   -x SRC=DEST   an x86-64 program for the translator (never stamped), at
#                 DEST, with the shared libraries it needs at their host paths
#   -f SRC=DEST   a file, copied as it is
#   -t TREE       a directory merged at /
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

out= kdir= busybox= stamping=
natives=() foreign=() files=() trees=()
while getopts o:k:b:sn:x:f:t: o; do
	case $o in
	o) out=$OPTARG ;;
	k) kdir=$OPTARG ;;
	b) busybox=$OPTARG ;;
	s) stamping=1 ;;
	n) natives+=("$OPTARG") ;;
	x) foreign+=("$OPTARG") ;;
	f) files+=("$OPTARG") ;;
	t) trees+=("$OPTARG") ;;
	*) exit 2 ;;
	esac
done
[ -n "$out" ] && [ -n "$kdir" ] && [ -n "$busybox" ] || {
	echo "usage: mkinitramfs.sh -o OUT -k KERNELDIR -b BUSYBOX [-s] [-n PROG] [-x SRC=DEST] [-f SRC=DEST] [-t TREE]" >&2
	exit 2
}
root=$(mktemp -d "${TMPDIR:-/tmp}/xlvm-initrd-XXXXXX")
trap 'rm -rf "$root"' EXIT

put() { # put SRC DEST: a copy of SRC (symlinks followed) at DEST in the image
	mkdir -p "$root$(dirname "$2")"
	cp -L "$1" "$root$2"
}
# The shared libraries and the ELF interpreter PROG loads, at the paths
# the dynamic linker will look for them.
put_libs() {
	local lib
	for lib in $(ldd "$1" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\).*/\1/p' \
		-e 's/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'); do
		[ -e "$root$lib" ] || put "$lib" "$lib"
	done
}

put "$here/init" /init
chmod 755 "$root/init"
put "$busybox" /bin/busybox
[ -z "$stamping" ] || stamp "$root/bin/busybox"
mkdir -p "$root/lib/modules"
cp "$kdir"/modules/*.ko "$kdir/modules.load" "$root/lib/modules/"
for prog in "${natives[@]}"; do
	put "$prog" "$prog"
	[ -z "$stamping" ] || stamp "$root$prog"
	put_libs "$prog"
done
for spec in "${foreign[@]}"; do
	put "${spec%%=*}" "${spec#*=}"
	put_libs "${spec%%=*}"
done
for spec in "${files[@]}"; do
	put "${spec%%=*}" "${spec#*=}"
done
for tree in "${trees[@]}"; do
	cp -a "$tree/." "$root/"
done

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | busybox cpio -o -H newc 2>/dev/null) >"$out.tmp"
mv "$out.tmp" "$out"
