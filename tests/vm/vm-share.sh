#!/bin/bash
# vm-share.sh — Apple's delivery model end to end, x86-64 guests: xlatefs on
# the host (a fresh store, the real xlatec as its compiler, a stamped xlate
# served as rosetta) exported by virtiofsd, one virtiofsd per guest.
#   guest a: mounts the tag `rosetta` at /media/rosetta, registers binfmt
#            from /media/rosetta/binfmt, runs x86-64 programs through xlate
#            (output and status against native runs on the host), checks the
#            binfmt behaviours of contrib/vm/TROUBLESHOOTING.md; then the
#            lazy path across the VM boundary: a program (tests/vm/lazy)
#            misses, xlate runs it interpreted and submits its code map and
#            module through requests/, the host runs xlatec and publishes,
#            and the next run maps the image and interprets nothing.
#   guest b: a second VM on the same host store runs a's image (no upload,
#            no compile) while a is still running.
# The keys and the drop box are also checked with standard tools (xxhsum -H2
# for the key, a plain exclusive create under requests/), as the protocol
# (fs/xlatefs.h) promises.
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
for p in xlatefs xlate xlatec xlatefs-cache tests/vm/probe tests/vm/lazy; do
	[ -x "$top_builddir/$p" ] || die "$p is not built (make check-vm builds it)"
done
vm_workdir
t0=$EPOCHREALTIME
target=$(uname -m)-v1
contrib=$here/../../contrib

kdir=$top_builddir/tests/vm/kernel-amd64
bash "$here/kernel.sh" amd64 "$kdir" || die "no Debian kernel"

# The module of the lazy path: no other step runs it, so its key is unknown
# to the share until the guest asks.
lazy=$top_builddir/tests/vm/lazy
lazy_key=$("$top_builddir/xlatefs-cache" key "$lazy")
vm_lazy_want "$xlvm_work/lazy.want"

# shellcheck disable=SC2046 # vm_stage prints one option and its word a line
bash "$here/mkinitramfs.sh" -o "$xlvm_work/initrd" -k "$kdir" -b "$(command -v busybox)" -s \
	-n "$(command -v xxhsum)" -x "$lazy=/opt/xlvm/bin/lazy" -f "$contrib/vm/fstab=/etc/fstab" \
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
check "a: the binfmt line is contrib/binfmt.d/rosetta.conf's" \
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
vm_sh a 'xxhsum -H2 /opt/xlvm/bin/lazy'
check "a: xxhsum -H2 in the guest gives the share's key" \
	grep -q "^$lazy_key " "$xlvm_work/a.out"
misses0=$(stats_in a misses)
vm_sh a "[ ! -e $I/$lazy_key ]"
check "a: the first lookup misses" [ $? = 0 ]
check "a: the miss is counted by the host daemon" [ "$(stats_in a misses)" -gt "$misses0" ]
hits0=$(stats_in a hits)
maps0=$(json_get "$mnt/stats" maps.accepted) uploads0=$(json_get "$mnt/stats" uploads.accepted)
t_submit=$EPOCHREALTIME
vm_run_lazy a
check "a: the program runs as natively, interpreted (xlate: no image)" \
	vm_lazy_ran a "$xlvm_work/lazy.want" "$vm_lazy_missed"
maps=$(json_get "$mnt/stats" maps.accepted) uploads=$(json_get "$mnt/stats" uploads.accepted)
check "a: xlate submitted its code map and module through requests/ (maps $maps0 -> $maps, uploads $uploads0 -> $uploads)" \
	[ "${maps:-0}" -gt "${maps0:-0}" -a "${uploads:-0}" -gt "${uploads0:-0}" ]
# The guest waits for the image as a translator would poll its next run;
# the bound is only a failure guard.
vm_sh a "for i in \$(seq 1200); do [ -e $I/$lazy_key ] && exit 0; sleep 0.1; done; exit 1"
check "a: the image appears in the guest's share" [ $? = 0 ]
t_image=$EPOCHREALTIME
compiled=$(json_get "$mnt/stats" compiled) failed=$(json_get "$mnt/stats" failed)
check "the host compiled with xlatec (stats: compiled $compiled, failed $failed)" \
	[ "${compiled:-0}" -ge 1 -a "${failed:-none}" = 0 ]
"$top_builddir/xlatefs-cache" --store "$store" get "$target" "$lazy_key" -o "$xlvm_work/image" >/dev/null
check "the image is in the host store" [ -s "$xlvm_work/image" ]
check "it is an ELF shared object for the host" \
	bash -c "file -b '$xlvm_work/image' | grep -q 'ELF 64-bit LSB shared object, x86-64'"
img_sum=$(sha256sum <"$xlvm_work/image" | cut -d' ' -f1)
vm_sh a "sha256sum <$I/$lazy_key"
check "a: the guest reads the store's image" grep -q "^$img_sum " "$xlvm_work/a.out"
check "a: the hit is counted" [ "$(stats_in a hits)" -gt "$hits0" ]
vm_run_lazy a
check "a: the second run hits: xlate runs the image and interprets nothing" \
	vm_lazy_ran a "$xlvm_work/lazy.want" "$vm_lazy_hit"

# --- a second guest on the same host store -------------------------------------
compiled0=$(json_get "$mnt/stats" compiled)
vm_virtiofsd b "$mnt" cache=none
vm_boot b x86_64 "$kdir" "$xlvm_work/initrd" "rosetta=$xlvm_work/b.sock"
vm_sh b "mount -t virtiofs rosetta /media/rosetta && sha256sum <$I/\$(xxhsum -H2 /opt/xlvm/bin/lazy | cut -d' ' -f1)"
check "b: sees a's image without uploading anything" grep -q "^$img_sum " "$xlvm_work/b.out"
dup0=$(json_get "$mnt/stats" uploads.duplicate)
vm_sh b "set -C && cat /opt/xlvm/bin/lazy >/media/rosetta/requests/$lazy_key"
rc=$?
check "b: uploading the same module again is refused (EEXIST)" \
	bash -c "[ $rc != 0 ] && grep -q 'exists' '$xlvm_work/b.err'"
check "b: the refusal counts as a duplicate upload" \
	[ "$(json_get "$mnt/stats" uploads.duplicate)" -gt "$dup0" ]
vm_sh a "sha256sum <$I/$lazy_key"
check "a: sees the same image while b runs" grep -q "^$img_sum " "$xlvm_work/a.out"
vm_register b
vm_run_lazy b
check "b: runs the program from a's image at once" \
	vm_lazy_ran b "$xlvm_work/lazy.want" "$vm_lazy_hit"
check "b compiled nothing: one compile for both guests" \
	[ "$(json_get "$mnt/stats" compiled)" = "$compiled0" ]
vm_check_via_xlate b "b"

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
