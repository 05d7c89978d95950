#!/bin/bash
# vm-aarch64.sh — the real Apple picture, slowly: an arm64 Debian kernel under
# qemu-system-aarch64 (TCG), an x86-64 userland in its initramfs (Debian's
# programs with their x86-64 libraries, no arm64 program but busybox), and
# the share from the host serving xlate-aarch64 as rosetta with target
# aarch64-v1 (images compiled by xlatec with the aarch64 cross compiler).
# In the guest: the share at /media/rosetta, binfmt from the share (nothing
# to stamp: x86-64 is foreign there), the binfmt behaviours, x86-64 programs
# against their native runs on the host, the lazy path to an aarch64 image.
# Needs root, qemu-system-arm and the arm64 architecture in apt
# (dpkg --add-architecture arm64 && apt-get update); see tests/vm/local.mk.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
here=$(cd "$(dirname "$0")" && pwd)
top_builddir=${top_builddir:-$(pwd)}
# An emulated arm64 machine boots in minutes on a busy host.
XLVM_BOOT_TIMEOUT=${XLVM_BOOT_TIMEOUT:-600}
. "$here/lib.sh"
. "$here/guest.sh"

vm_need_tool qemu-system-aarch64 qemu-system-arm
vm_need_tool /usr/lib/qemu/virtiofsd qemu-system-common
vm_need_tool aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
vm_require_root
for p in xlatefs xlate-aarch64 xlatec xlatefs-cache tests/vm/probe tests/vm/lazy; do
	[ -x "$top_builddir/$p" ] || die "$p is not built (make check-vm-aarch64 builds it)"
done
vm_workdir
t0=$EPOCHREALTIME
target=aarch64-v1

kdir=$top_builddir/tests/vm/kernel-arm64
bash "$here/kernel.sh" arm64 "$kdir" || die "no Debian arm64 kernel"
# busybox for the guest's own (arm64) shell and tools, from Debian's
# busybox-static:arm64, extracted (not installed) and kept beside the kernel.
busybox=$kdir/busybox
if [ ! -x "$busybox" ]; then
	deb=$(mktemp -d "${TMPDIR:-/tmp}/xlvm-busybox-XXXXXX")
	chmod 777 "$deb" # apt-get download runs as _apt where it can
	(cd "$deb" && apt-get download -q busybox-static:arm64 >apt.log 2>&1 &&
		dpkg-deb -x busybox-static_*_arm64.deb root) || {
		cat "$deb/apt.log"
		rm -rf "$deb"
		die "cannot download busybox-static:arm64 (dpkg --add-architecture arm64 && apt-get update)"
	}
	cp "$deb/root/bin/busybox" "$busybox"
	rm -rf "$deb"
fi

lazy=$top_builddir/tests/vm/lazy
lazy_key=$("$top_builddir/xlatefs-cache" key "$lazy")
vm_lazy_want "$xlvm_work/lazy.want"
# shellcheck disable=SC2046 # vm_stage prints one option and its word a line
bash "$here/mkinitramfs.sh" -o "$xlvm_work/initrd" -k "$kdir" -b "$busybox" \
	-x "$lazy=/opt/xlvm/bin/lazy" \
	$(vm_stage "$xlvm_work/stage" "$top_builddir/tests/vm/probe") || die "initramfs"

store=$xlvm_work/store mnt=$xlvm_work/mnt
vm_xlatefs "$mnt" "store=$store,target=$target,translator=$top_builddir/xlate-aarch64,compiler=$top_builddir/xlatec,share_path=/media/rosetta,negative_timeout=0,jobs=1"
vm_virtiofsd a "$mnt" cache=none
vm_boot a aarch64 "$kdir" "$xlvm_work/initrd" "rosetta=$xlvm_work/a.sock"
check "a: the guest is arm64" grep -q ' aarch64$' <<<"${xlvm_ready[a]}"
vm_sh a 'mount -t virtiofs rosetta /media/rosetta && ls /media/rosetta/cache'
check "a: the share serves cache/$target" grep -qx "$target" "$xlvm_work/a.out"
vm_sh a 'sha256sum </media/rosetta/rosetta'
check "a: rosetta is xlate-aarch64" \
	grep -q "$(sha256sum <"$top_builddir/xlate-aarch64" | cut -d' ' -f1)" "$xlvm_work/a.out"

vm_check_binfmt a "a" real
t_cases=$EPOCHREALTIME
vm_check_cases a "$xlvm_work/stage" "a: xlate-aarch64"
t_cases_end=$EPOCHREALTIME
vm_check_via_xlate a "a"

# The lazy path to an aarch64 image (the guest has no xxhsum: the key is the
# host's).
I=/media/rosetta/cache/$target
vm_sh a "[ ! -e $I/$lazy_key ]"
check "a: the first lookup misses" [ $? = 0 ]
vm_run_lazy a
check "a: the program runs as natively, interpreted (xlate-aarch64: no image)" \
	vm_lazy_ran a "$xlvm_work/lazy.want" "$vm_lazy_missed"
vm_sh a "for i in \$(seq 1200); do [ -e $I/$lazy_key ] && exit 0; sleep 0.1; done; exit 1"
check "a: xlate-aarch64 submitted it, the image appears in the guest's share" [ $? = 0 ]
"$top_builddir/xlatefs-cache" --store "$store" get "$target" "$lazy_key" -o "$xlvm_work/image" >/dev/null
check "the host published an aarch64 image" \
	bash -c "file -b '$xlvm_work/image' | grep -q 'ELF 64-bit LSB shared object, ARM aarch64'"
vm_sh a "sha256sum <$I/$lazy_key"
check "a: the guest reads it as the store holds it" \
	grep -q "^$(sha256sum <"$xlvm_work/image" | cut -d' ' -f1) " "$xlvm_work/a.out"
vm_run_lazy a
check "a: the next run maps the aarch64 image and interprets nothing" \
	vm_lazy_ran a "$xlvm_work/lazy.want" "$vm_lazy_hit"

vm_halt a
t_end=$EPOCHREALTIME
for pid in "${xlvm_pids[@]}"; do wait "$pid" 2>/dev/null; done
xlvm_pids=()
vm_xlatefs_stop
printf '# times: boot %.1f s, cases %.1f s, total %.1f s\n' "${xlvm_boot_s[a]}" \
	"$(echo "$t_cases_end - $t_cases" | bc)" "$(echo "$t_end - $t0" | bc)"
vm_finish
