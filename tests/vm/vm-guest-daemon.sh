#!/bin/bash
# vm-guest-daemon.sh — the daemon inside the guest: the host shares only a
# store directory (virtiofs tag `store`, a plain directory); the guest runs
# `mount -t fuse xlatefs /media/rosetta` on it, registers binfmt from the
# share and runs x86-64 programs. A miss (tests/vm/lazy, which xlate then
# submits) is compiled in the guest (xlatec and the C compiler are in the
# initramfs), the image lands in the host's directory, and it outlives the
# VM: the host's store holds it verified, and a fresh VM on the same
# directory runs it at once, compiling nothing.
# Needs root (skips, 77, without); KVM where qemu can use it, else TCG.
# See tests/vm/local.mk.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(pwd)}
. "$here/lib.sh"
. "$here/guest.sh"

vm_need_tool qemu-system-x86_64 qemu-system-x86
vm_need_tool /usr/lib/qemu/virtiofsd qemu-system-common
vm_need_tool busybox busybox-static
vm_need_tool xxhsum xxhash
vm_need_tool /sbin/mount.fuse fuse3
vm_need_tool cc gcc
vm_require_root
for p in xlatefs xlate xlatec xlatefs-cache tests/vm/lazy; do
	[ -x "$top_builddir/$p" ] || die "$p is not built (make check-vm builds it)"
done
vm_workdir
t0=$EPOCHREALTIME
target=$(uname -m)-v1

kdir=$top_builddir/tests/vm/kernel-amd64
bash "$here/kernel.sh" amd64 "$kdir" || die "no Debian kernel"

lazy=$top_builddir/tests/vm/lazy
lazy_key=$("$top_builddir/xlatefs-cache" key "$lazy")
vm_lazy_want "$xlvm_work/lazy.want"
cp "$top_builddir/xlate" "$xlvm_work/xlate.abi1"
stamp "$xlvm_work/xlate.abi1"

# What the daemon needs in the guest: xlatefs, mount(8) and its FUSE helper,
# xlatec and the C compiler it drives (driver, cc1, as, ld, libgcc, the LTO
# plugin), and
# the headers generated code includes: the C library's and the compiler's.
# All native programs are stamped (-s): the guest's binfmt entry would
# otherwise send them through xlate.
tree=$xlvm_work/tree
mkdir -p "$tree"
gccdir=$(dirname "$(cc -print-libgcc-file-name)")
{
	dpkg -L libc6-dev | grep '^/usr/include/.*\.h$'
	find "$gccdir/include" -name '*.h'
	echo "$gccdir/libgcc.a"
	cc -print-file-name=liblto_plugin.so # the driver insists on it when linking
} | (cd / && cpio -pdL --quiet "$tree") || die "the compiler's files"
natives=()
for p in "$top_builddir/xlatefs" "$top_builddir/xlatec" /usr/bin/mount /sbin/mount.fuse \
	/usr/bin/cc "$(cc -print-prog-name=cc1)" "$(cc -print-prog-name=collect2)" \
	"$(command -v as)" "$(command -v ld)"; do
	natives+=(-n "$p")
done

bash "$here/mkinitramfs.sh" -o "$xlvm_work/initrd" -k "$kdir" -b "$(command -v busybox)" -s \
	"${natives[@]}" -n "$(command -v xxhsum)" -t "$tree" \
	-x "$lazy=/opt/xlvm/bin/lazy" -x "$(command -v expr)=/opt/xlvm/bin/expr" \
	-f "$xlvm_work/xlate.abi1=/opt/xlvm/xlate.abi1" || die "initramfs"
t_built=$EPOCHREALTIME
echo "# initramfs: $(($(stat -c %s "$xlvm_work/initrd") >> 20)) MiB"

store=$xlvm_work/store
mkdir -p "$store"
I=/media/rosetta/cache/$target
# guest_mount GUEST: the store from the host, the daemon on it, binfmt.
# mount.fuse runs `xlatefs /media/rosetta -o OPTIONS` with the shell's
# default PATH (mount(8) does not pass its own): xlatefs is put where a
# distribution installs it.
guest_mount() {
	vm_sh "$1" "mkdir -p /var/lib/xlatefs &&
		ln -sf $top_builddir/xlatefs /usr/bin/xlatefs &&
		mount -t virtiofs store /var/lib/xlatefs &&
		/usr/bin/mount -t fuse xlatefs /media/rosetta \
			-o store=/var/lib/xlatefs,translator=/opt/xlvm/xlate.abi1,compiler=$top_builddir/xlatec,negative_timeout=0 &&
		grep ' /media/rosetta ' /proc/mounts &&
		printf '%s\n' \"\$(cat /media/rosetta/binfmt)\" >/proc/sys/fs/binfmt_misc/register"
}
# guest_umount GUEST: the F entry holds rosetta open, and so the share
# busy: unregister first. The daemon keeps the store busy until it has
# exited, after the unmount.
guest_umount() {
	vm_sh "$1" 'echo -1 >/proc/sys/fs/binfmt_misc/rosetta && umount /media/rosetta &&
		while pidof xlatefs >/dev/null; do sleep 0.1; done && umount /var/lib/xlatefs' ||
		{ cat "$xlvm_work/$1.err" && return 1; }
}
stats_in() { # stats_in GUEST FIELD
	vm_sh "$1" 'cat /media/rosetta/stats' && json_get "$xlvm_work/$1.out" "$2"
}

# --- the first VM: miss, compile in the guest, image in the host's directory
vm_virtiofsd c "$store"
vm_boot c x86_64 "$kdir" "$xlvm_work/initrd" "store=$xlvm_work/c.sock"
guest_mount c
check "c: mount -t fuse xlatefs /media/rosetta on the shared store, binfmt registered" [ $? = 0 ] ||
	cat "$xlvm_work/c.err"
check "c: the share is a FUSE mount of xlatefs" grep -q ' /media/rosetta fuse\.xlatefs ' "$xlvm_work/c.out"
vm_sh c "[ ! -e $I/$lazy_key ]"
check "c: the first lookup misses" [ $? = 0 ]
t_submit=$EPOCHREALTIME
vm_run_lazy c
check "c: the program runs as natively, interpreted (xlate: no image)" \
	vm_lazy_ran c "$xlvm_work/lazy.want" "$vm_lazy_missed"
maps=$(stats_in c maps.accepted) uploads=$(stats_in c uploads.accepted)
check "c: xlate submitted its code map and module (maps $maps, uploads $uploads)" \
	[ "${maps:-0}" -ge 1 -a "${uploads:-0}" -ge 1 ]
vm_sh c "for i in \$(seq 3000); do [ -e $I/$lazy_key ] && exit 0; sleep 0.1; done; exit 1"
check "c: the guest's daemon compiled the image (xlatec and cc in the guest)" [ $? = 0 ]
t_image=$EPOCHREALTIME
compiled=$(stats_in c compiled) failed=$(stats_in c failed)
check "c: stats compiled $compiled, failed $failed" [ "${compiled:-0}" -ge 1 -a "${failed:-none}" = 0 ]
vm_sh c "sha256sum <$I/$lazy_key"
img_sum=$(cut -d' ' -f1 "$xlvm_work/c.out")
check "c: the guest reads the image" [ -n "$img_sum" ]
vm_run_lazy c
check "c: the next run maps the image and interprets nothing" \
	vm_lazy_ran c "$xlvm_work/lazy.want" "$vm_lazy_hit"
vm_check_via_xlate c "c"
guest_umount c
check "c: the share and the store unmount" [ $? = 0 ]
vm_halt c
wait "${xlvm_pids[@]}" 2>/dev/null
xlvm_pids=()

# --- after the VM: the host's directory holds the image
"$top_builddir/xlatefs-cache" --store "$store" get "$target" "$lazy_key" -o "$xlvm_work/image" >/dev/null
host_sum=$([ -s "$xlvm_work/image" ] && sha256sum <"$xlvm_work/image" | cut -d' ' -f1)
check "the image outlives the VM: the host's store holds it, verified" \
	[ "${host_sum:-none}" = "${img_sum:-missing}" ]

# --- a fresh VM on the same directory: a hit, nothing compiled
vm_virtiofsd d "$store"
vm_boot d x86_64 "$kdir" "$xlvm_work/initrd" "store=$xlvm_work/d.sock"
guest_mount d
check "d: the daemon comes up on the same store" [ $? = 0 ]
vm_sh d "sha256sum <$I/\$(xxhsum -H2 /opt/xlvm/bin/lazy | cut -d' ' -f1)"
check "d: the first lookup hits the image c compiled" grep -q "^$img_sum " "$xlvm_work/d.out"
vm_run_lazy d
check "d: the program runs from that image at once" \
	vm_lazy_ran d "$xlvm_work/lazy.want" "$vm_lazy_hit"
compiled=$(stats_in d compiled) hits=$(stats_in d hits)
check "d: the hit is counted, nothing compiled (hits $hits, compiled $compiled)" \
	[ "${hits:-0}" -ge 1 -a "${compiled:-none}" = 0 ]
vm_check_via_xlate d "d"
guest_umount d
check "d: the share and the store unmount" [ $? = 0 ]
vm_halt d
t_end=$EPOCHREALTIME
printf '# times: initramfs %.1f s, boots %.1f s and %.1f s, compile in the guest %.1f s, total %.1f s\n' \
	"$(echo "$t_built - $t0" | bc)" "${xlvm_boot_s[c]}" "${xlvm_boot_s[d]}" \
	"$(echo "$t_image - $t_submit" | bc)" "$(echo "$t_end - $t0" | bc)"
vm_finish
