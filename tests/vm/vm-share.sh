#!/bin/bash
# vm-share.sh — Apple's delivery model end to end, x86-64 guests: xlatefs on
# the host (a fresh store, the real xlatec as its compiler, a stamped xlate
# served as rosetta) exported by virtiofsd, one virtiofsd per guest.
#   guest a: mounts the tag `rosetta` at /media/rosetta, registers binfmt
#            from /media/rosetta/binfmt, runs x86-64 programs through xlate
#            (output and status against native runs on the host), checks the
#            binfmt behaviours of contrib/vm/TROUBLESHOOTING.md; then the
#            lazy path across the VM boundary: a lookup misses, the guest
#            uploads the module and its code map through requests/, the host
#            runs xlatec and publishes, the guest's next lookup hits.
#   guest b: a second VM on the same host store sees a's image (no upload,
#            no compile) while a is still running.
# The guests speak the share's client protocol (fs/xlatefs.h) with standard
# tools — xxhsum -H2 for the key, plain opens under requests/ — as xlate's
# own share client will.
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
vm_require_root
for p in xlatefs xlate xlatec xlatefs-cache tests/vm/probe; do
	[ -x "$top_builddir/$p" ] || die "$p is not built (make check-vm builds it)"
done
vm_workdir
t0=$EPOCHREALTIME
target=$(uname -m)-v1
contrib=$here/../../contrib/vm

kdir=$top_builddir/tests/vm/kernel-amd64
bash "$here/kernel.sh" amd64 "$kdir" || die "no Debian kernel"

# The module of the lazy path: a Debian program no other step runs, so its
# key is unknown to the share until the guest asks. Its code map covers the
# entry point, as the translator would record after running it.
lazy=$(command -v factor)
lazy_key=$("$top_builddir/xlatefs-cache" key "$lazy")
vm_code_map "$lazy" "$xlvm_work/factor.map" || die "no code map for $lazy"

# shellcheck disable=SC2046 # vm_stage prints one option and its word a line
bash "$here/mkinitramfs.sh" -o "$xlvm_work/initrd" -k "$kdir" -b "$(command -v busybox)" -s \
	-n "$(command -v xxhsum)" -x "$lazy=/opt/xlvm/bin/factor" \
	-f "$xlvm_work/factor.map=/opt/xlvm/data/factor.map" -f "$contrib/fstab=/etc/fstab" \
	$(vm_stage "$xlvm_work/stage" "$top_builddir/tests/vm/probe") || die "initramfs"
t_built=$EPOCHREALTIME

# The share: the translator stamped so the guests' x86-64 entry leaves it
# native; misses never cached by the host kernel, so each guest lookup
# reaches the daemon and counts.
cp "$top_builddir/xlate" "$xlvm_work/xlate.abi1"
stamp "$xlvm_work/xlate.abi1"
store=$xlvm_work/store mnt=$xlvm_work/mnt
vm_xlatefs "$mnt" "store=$store,translator=$xlvm_work/xlate.abi1,compiler=$top_builddir/xlatec,share_path=/media/rosetta,negative_timeout=0,jobs=1"
vm_virtiofsd a "$mnt" cache=none
vm_boot a x86_64 "$kdir" "$xlvm_work/initrd" "rosetta=$xlvm_work/a.sock"
# The guest's fstab is contrib/vm/fstab.
vm_sh a 'mount /media/rosetta && ls /media/rosetta && cat /media/rosetta/binfmt'
check "a: the share mounts at /media/rosetta (contrib/vm/fstab) with its names" \
	bash -c "[ \"\$(sed -n 1,5p '$xlvm_work/a.out' | xargs)\" = 'binfmt cache requests rosetta stats' ]"
check "a: the binfmt line is contrib/vm/binfmt.d/rosetta.conf's" \
	bash -c "[ \"\$(sed -n 6p '$xlvm_work/a.out')\" = \"\$(grep -v '^#' '$contrib/binfmt.d/rosetta.conf')\" ]"
vm_sh a 'sha256sum </media/rosetta/rosetta'
check "a: rosetta is the stamped xlate" \
	grep -q "$(sha256sum <"$xlvm_work/xlate.abi1" | cut -d' ' -f1)" "$xlvm_work/a.out"

vm_check_binfmt a "a" real
t_cases=$EPOCHREALTIME
vm_check_cases a "$xlvm_work/stage" "a: xlate"
vm_check_via_xlate a "a"
t_cases_end=$EPOCHREALTIME

# --- the lazy path across the VM boundary ------------------------------------
I=/media/rosetta/cache/$target
stats_in() { # stats_in GUEST FIELD: a counter as the guest reads it
	vm_sh "$1" 'cat /media/rosetta/stats' && json_get "$xlvm_work/$1.out" "$2"
}
vm_sh a 'xxhsum -H2 /opt/xlvm/bin/factor'
check "a: xxhsum -H2 in the guest gives the share's key" \
	grep -q "^$lazy_key " "$xlvm_work/a.out"
misses0=$(stats_in a misses)
vm_sh a "[ ! -e $I/$lazy_key ]"
check "a: the first lookup misses" [ $? = 0 ]
check "a: the miss is counted by the host daemon" [ "$(stats_in a misses)" -gt "$misses0" ]
vm_sh a "cd /opt/xlvm/data && /opt/xlvm/bin/factor 1234567891011 18446744073709551557"
check "a: the module runs (interpreted) meanwhile" \
	bash -c "[ \"\$(cat '$xlvm_work/a.out')\" = \"\$('$lazy' 1234567891011 18446744073709551557)\" ]"
hits0=$(stats_in a hits)
t_submit=$EPOCHREALTIME
# The code map first, then the module: the job then starts with the map.
# (A module alone starts a job at once with no map, which ran for minutes
# on this one, and a second job when the map comes.)
vm_sh a "cat /opt/xlvm/data/factor.map >>/media/rosetta/requests/$lazy_key.map &&
	set -C && cat /opt/xlvm/bin/factor >/media/rosetta/requests/$lazy_key"
check "a: code map and module uploaded through requests/" [ $? = 0 ]
# The guest waits for the image as a translator would poll its next run;
# the bound is only a failure guard.
vm_sh a "for i in \$(seq 1200); do [ -e $I/$lazy_key ] && exit 0; sleep 0.1; done; exit 1"
check "a: the image appears in the guest's share" [ $? = 0 ]
t_image=$EPOCHREALTIME
check "the host compiled it with xlatec (stats compiled 1, failed 0)" \
	[ "$(json_get "$mnt/stats" compiled)/$(json_get "$mnt/stats" failed)" = 1/0 ]
"$top_builddir/xlatefs-cache" --store "$store" get "$target" "$lazy_key" -o "$xlvm_work/image" >/dev/null
check "the image is in the host store" [ -s "$xlvm_work/image" ]
check "it is an ELF shared object for the host" \
	bash -c "file -b '$xlvm_work/image' | grep -q 'ELF 64-bit LSB shared object, x86-64'"
img_sum=$(sha256sum <"$xlvm_work/image" | cut -d' ' -f1)
vm_sh a "sha256sum <$I/$lazy_key"
check "a: the second lookup hits: the guest reads the store's image" \
	grep -q "^$img_sum " "$xlvm_work/a.out"
check "a: the hit is counted" [ "$(stats_in a hits)" -gt "$hits0" ]

# --- a second guest on the same host store -------------------------------------
vm_virtiofsd b "$mnt" cache=none
vm_boot b x86_64 "$kdir" "$xlvm_work/initrd" "rosetta=$xlvm_work/b.sock"
vm_sh b "mount -t virtiofs rosetta /media/rosetta && sha256sum <$I/\$(xxhsum -H2 /opt/xlvm/bin/factor | cut -d' ' -f1)"
check "b: sees a's image without uploading anything" grep -q "^$img_sum " "$xlvm_work/b.out"
dup0=$(json_get "$mnt/stats" uploads.duplicate)
vm_sh b "set -C && cat /opt/xlvm/bin/factor >/media/rosetta/requests/$lazy_key"
rc=$?
check "b: uploading the same module again is refused (EEXIST)" \
	bash -c "[ $rc != 0 ] && grep -q 'exists' '$xlvm_work/b.err'"
check "b: the refusal counts as a duplicate upload" \
	[ "$(json_get "$mnt/stats" uploads.duplicate)" -gt "$dup0" ]
vm_register b
vm_sh b 'cd /opt/xlvm/data && /opt/xlvm/bin/factor 1234567891011'
check "b: runs x86-64 programs through the share" grep -q -x '1234567891011: 3 7 13 67 107 630803' "$xlvm_work/b.out"
vm_check_via_xlate b "b"
vm_sh a "sha256sum <$I/$lazy_key"
check "a: still sees the same image while b runs" grep -q "^$img_sum " "$xlvm_work/a.out"
check "one compile for both guests" [ "$(json_get "$mnt/stats" compiled)" = 1 ]

vm_halt a
vm_halt b
t_end=$EPOCHREALTIME
# virtiofsd exits when its guest is gone; then the share can go.
for pid in "${xlvm_pids[@]}"; do wait "$pid" 2>/dev/null; done
xlvm_pids=()
vm_xlatefs_stop
printf '# times: initramfs %.1f s, boots %.1f s and %.1f s, cases %.1f s, miss to image %.1f s, total %.1f s\n' \
	"$(echo "$t_built - $t0" | bc)" "${xlvm_boot_s[a]}" "${xlvm_boot_s[b]}" \
	"$(echo "$t_cases_end - $t_cases" | bc)" "$(echo "$t_image - $t_submit" | bc)" \
	"$(echo "$t_end - $t0" | bc)"
vm_finish
