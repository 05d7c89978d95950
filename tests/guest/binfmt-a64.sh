#!/bin/bash
# binfmt-a64.sh QEMU COMMAND... — runs COMMAND with the kernel able to
# start aarch64 programs through QEMU, as an aarch64 host starts them
# itself: xlate-aarch64 re-enters itself for every x86-64 program a guest
# executes. Meant to run as the first command of `unshare -cm`: it mounts
# a private binfmt_misc instance (Linux >= 6.7), so nothing outside sees
# the entry. Exits 125 if it cannot.
set -u
qemu=$1
shift
mount -t binfmt_misc none /proc/sys/fs/binfmt_misc || exit 125
# An ELF64 little-endian aarch64 executable or shared object (static-pie).
magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
# F: the kernel opens QEMU now, not in each exec's mount namespace.
echo ":aarch64:M::$magic:$mask:$qemu:F" >/proc/sys/fs/binfmt_misc/register || exit 125
exec "$@"
