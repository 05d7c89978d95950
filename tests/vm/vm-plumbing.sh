#!/bin/bash
# vm-plumbing.sh — the VM infrastructure on its own, without xlatefs or xlate:
# a plain directory laid out as the share (rosetta = rosetta-double, the
# TEST DOUBLE that runs programs natively; binfmt = DESIGN.md's line) is
# exported with virtiofsd to a Debian kernel booted from our initramfs. In
# the guest: mount the virtiofs tag `rosetta` at /media/rosetta, register
# binfmt from the share, run x86-64 programs through it against their native
# output on the host, and check the binfmt behaviours of
# contrib/vm/TROUBLESHOOTING.md (F before mount, containers, P).
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
vm_require_root
for p in probe rosetta-double; do
	[ -x "$top_builddir/tests/vm/$p" ] || die "tests/vm/$p is not built (make check-vm builds it)"
done
vm_workdir
t0=$EPOCHREALTIME

kdir=$top_builddir/tests/vm/kernel-amd64
bash "$here/kernel.sh" amd64 "$kdir" || die "no Debian kernel"

# The share, as a plain directory.
share=$xlvm_work/share
mkdir -p "$share/cache" "$share/requests"
cp "$top_builddir/tests/vm/rosetta-double" "$share/rosetta"
stamp "$share/rosetta"
cat >"$share/binfmt" <<'EOF'
:rosetta:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/media/rosetta/rosetta:CF
EOF

# shellcheck disable=SC2046 # vm_stage prints one option and its word a line
bash "$here/mkinitramfs.sh" -o "$xlvm_work/initrd" -k "$kdir" -b "$(command -v busybox)" -s \
	$(vm_stage "$xlvm_work/stage" "$top_builddir/tests/vm/probe") || die "initramfs"
t_built=$EPOCHREALTIME

vm_virtiofsd share "$share"
vm_boot a x86_64 "$kdir" "$xlvm_work/initrd" "rosetta=$xlvm_work/share.sock"
vm_sh a 'mount -t virtiofs rosetta /media/rosetta && ls /media/rosetta'
check "virtiofs tag rosetta mounts at /media/rosetta" [ $? = 0 ]
check "the share lists rosetta and binfmt" \
	bash -c "grep -qx rosetta '$xlvm_work/a.out' && grep -qx binfmt '$xlvm_work/a.out'"
vm_sh a 'sha256sum </media/rosetta/rosetta'
check "rosetta reads in the guest as on the host" \
	grep -q "$(sha256sum <"$share/rosetta" | cut -d' ' -f1)" "$xlvm_work/a.out"

vm_check_binfmt a "double"
t_cases=$EPOCHREALTIME
vm_check_cases a "$xlvm_work/stage" "double"
vm_sh a 'wc -l </run/rosetta-double.log'
check "every x86-64 program went through /media/rosetta/rosetta (the double's log)" \
	[ "$(cat "$xlvm_work/a.out")" -ge "${#vm_cases[@]}" ]
vm_halt a
t_end=$EPOCHREALTIME
printf '# times: initramfs %.1f s, boot %.1f s, cases %.1f s, total %.1f s\n' \
	"$(echo "$t_built - $t0" | bc)" "${xlvm_boot_s[a]}" \
	"$(echo "$t_end - $t_cases" | bc)" "$(echo "$t_end - $t0" | bc)"
vm_finish
