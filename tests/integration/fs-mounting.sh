#!/bin/bash
# Mounting as an administrator does: `mount -t fuse.xlatefs STORE DIR` through
# mount.fuse.xlatefs, `mount -t fuse xlatefs DIR` through mount.fuse3, the
# fstab lines of contrib/fstab.example and the systemd unit of contrib/systemd
# (mounted as systemd mounts it), all at /media/rosetta. The daemon detaches
# and logs to syslog (SIGUSR1 puts its counters there); the binfmt line it
# serves is contrib/binfmt.d's. Private /usr/sbin, /media, /var/cache, /etc/fstab
# and /dev/log are bind mounts in the test's own mount namespace.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
. "$top_srcdir/tests/integration/fs-lib.sh"
fs_enter_namespace "$@"

C=$top_srcdir/contrib M=/media/rosetta
HELPER=$top_builddir/tests/integration/mount.fuse.xlatefs
OPTS="translator=$FAKE_XLATE,compiler=$FAKE_XLATEC"

# mount(8) finds helpers in /sbin only: ours beside the system's
mkdir -p "$T/realsbin" "$T/sbin"
mount --bind /usr/sbin "$T/realsbin"
for f in "$T"/realsbin/*; do ln -s "$f" "$T/sbin/${f##*/}"; done
ln -s "$HELPER" "$T/sbin/mount.fuse.xlatefs"
# mount.fuse3 runs the program a fuse mount's source names through /bin/sh,
# without the test's PATH: the daemon goes where a package puts it
ln -s "$XLATEFS" "$T/sbin/xlatefs"
mount --bind "$T/sbin" /usr/sbin
[ -x /sbin/mount.fuse3 ] || skip "no mount.fuse3 (fuse3 is not installed)"
mount -t tmpfs tmpfs /media && mkdir /media/rosetta
mount -t tmpfs tmpfs /var/cache

# a syslog of our own at /dev/log (a private /dev with the devices we use)
mkdir -p "$T/dev"
mount --rbind /dev "$T/dev"
mount -t tmpfs tmpfs /dev
for d in null zero full random urandom fuse tty; do
	touch "/dev/$d" && mount --bind "$T/dev/$d" "/dev/$d"
done
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkfifo "$T/syslog.ready"
python3 - /dev/log "$T/syslog" 3>"$T/syslog.ready" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
os.write(3, b"ready\n")
os.close(3)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        out.write(s.recv(65536) + b"\n")
PY
read -r _ <"$T/syslog.ready"

daemon_pid() { pgrep -x xlatefs; }
mounted() { grep " $M .* - $1 $2 " /proc/self/mountinfo >/dev/null; }

# unmount MESSAGE: unmounts /media/rosetta and waits for the daemon to go
unmount() {
	local pid
	pid=$(daemon_pid)
	check "$1: umount failed" umount "$M"
	[ -z "$pid" ] || wait_for "the daemon to exit after umount" bash -c "! kill -0 $pid"
}

# --- mount -t fuse.xlatefs: mount.fuse.xlatefs starts the daemon -------------
mount -t fuse.xlatefs "$T/store" "$M" -o "$OPTS,jobs=1,nofail,_netdev"
check "mount -t fuse.xlatefs: not mounted" mounted fuse.xlatefs "$T/store"
check "the daemon did not detach (mount waited for it)" [ -n "$(daemon_pid)" ]
check "binfmt differs from contrib/binfmt.d/rosetta.conf" \
	cmp -s "$M/binfmt" <(grep '^:' "$C/binfmt.d/rosetta.conf")
check "rosetta differs" cmp -s "$M/rosetta" "$FAKE_XLATE"
kill -USR1 "$(daemon_pid)"
wait_for "the counters in syslog after SIGUSR1" grep -q 'xlatefs\[[0-9]*\]: stats: {' "$T/syslog"
unmount "mount -t fuse.xlatefs"

# --- mount -t fuse xlatefs DIR: mount.fuse3 runs xlatefs ------------------
mount -t fuse xlatefs "$M" -o "store=$T/store2,$OPTS"
check "mount -t fuse xlatefs: not mounted" mounted fuse.xlatefs "$T/store2"
check "mount -t fuse xlatefs: rosetta differs" cmp -s "$M/rosetta" "$FAKE_XLATE"
unmount "mount -t fuse xlatefs"

# --- the fstab examples, with this build's programs -------------------------
fstab_line() { # the Nth fstab line of the example, uncommented, with test options
	sed -n 's/^#\?\([^ #][^ ]*  *\/media\/rosetta  *fuse[^ ]*  *[^ ]*\)\(  *0 0\)$/\1,'"${OPTS//\//\\/}"'\2/p' \
		"$C/fstab.example" | sed -n "${1}p"
}
check "fstab.example has no fuse.xlatefs and fuse lines" [ -n "$(fstab_line 2)" ]
for n in 1 2; do
	fstab_line $n >"$T/fstab"
	mount --bind "$T/fstab" /etc/fstab
	mount "$M" 2>>"$T/daemon.log"
	check "fstab line $n ($(cat "$T/fstab")) did not mount" mounted fuse.xlatefs /var/cache/xlatefs
	check "fstab line $n: no image store" test -d /var/cache/xlatefs/v1
	unmount "fstab line $n"
	umount /etc/fstab
done

# --- the systemd unit, mounted as systemd does: mount WHAT WHERE -t TYPE -o OPTIONS
unit() { sed -n "s/^$1=//p" "$C/systemd/media-rosetta.mount"; }
check "the unit's name is not its mount point" [ "$(unit Where)" = "$M" ]
mount "$(unit What)" "$(unit Where)" -t "$(unit Type)" -o "$(unit Options),$OPTS"
check "the systemd unit did not mount" mounted fuse.xlatefs "$(unit What)"
unmount "the systemd unit"
check "the binfmt drop-in does not wait for the mount" \
	grep -qx "RequiresMountsFor=$M" "$C/systemd/systemd-binfmt.service.d/xlatefs.conf"

# --- the helper's own command line ---------------------------------------------
check "mount.fuse.xlatefs -f mounted" "$HELPER" "$T/store" "$M" -f -o "$OPTS"
check "mount.fuse.xlatefs -f mounted" bash -c "! grep -q ' $M ' /proc/self/mountinfo"
"$HELPER" -o x >/dev/null 2>&1
check "a bad invocation did not exit 1" [ $? = 1 ]
"$HELPER" "$T/store" "$M" -o "translator=$T/none" 2>"$T/err"
check "a failed mount did not exit 32" [ $? = 32 ]
check "a failed mount did not say why: $(cat "$T/err")" grep -q "translator $T/none" "$T/err"
fs_done
