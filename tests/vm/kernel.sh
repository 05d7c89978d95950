#!/bin/bash
# kernel.sh ARCH OUTDIR — a Debian kernel for the test VMs, without installing
# one: `apt-get download` Debian's linux-image-ARCH (ARCH = amd64 or arm64;
# arm64 needs `dpkg --add-architecture arm64 && apt-get update`), extract it
# in a scratch directory and keep only what the guests need:
#   OUTDIR/kernel         the kernel, uncompressed (see below)
#   OUTDIR/modules/*.ko   virtiofs, fuse, binfmt_misc, virtio PCI and console,
#                         and every module they depend on (the package's own
#                         config decides what is built in and needs no module)
#   OUTDIR/modules.load   their names, dependencies first (the guest insmods
#                         them in this order: there is no modprobe/depmod)
#   OUTDIR/release        the kernel release (uname -r)
# A complete OUTDIR is reused as it is. Exit status: 0, 1 on failure.
set -euo pipefail
arch=${1:?usage: kernel.sh amd64|arm64 OUTDIR}
out=${2:?usage: kernel.sh amd64|arm64 OUTDIR}
# What the guests use: the share (virtiofs), a FUSE daemon inside the guest
# (fuse), binfmt_misc, virtio-pci transport and the control channel
# (virtio_console). pci-host-generic is the arm64 virt machine's PCI host.
wanted="virtiofs fuse binfmt_misc virtio_pci virtio_console pci-host-generic"

if [ -s "$out/modules.load" ] && [ -s "$out/kernel" ]; then
	exit 0
fi
case $arch in
amd64 | arm64) ;;
*)
	echo "kernel.sh: ARCH must be amd64 or arm64, not $arch" >&2
	exit 1
	;;
esac
scratch=$(mktemp -d "${TMPDIR:-/tmp}/xlvm-kernel-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"

# The metapackage names the versioned image package in its Depends.
# apt-get download runs as _apt where it can: let it write here.
chmod 777 "$scratch"
if ! apt-get download -q "linux-image-$arch:$arch" >apt.log 2>&1; then
	cat apt.log >&2
	echo "kernel.sh: cannot download linux-image-$arch:$arch (apt-get update first;" \
		"for arm64: dpkg --add-architecture arm64 && apt-get update)" >&2
	exit 1
fi
image=$(dpkg-deb -f linux-image-"$arch"_*.deb Depends | tr ',' '\n' |
	sed -n 's/^ *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1)
[ -n "$image" ] || {
	echo "kernel.sh: linux-image-$arch names no kernel package" >&2
	exit 1
}
apt-get download -q "$image:$arch" >>apt.log 2>&1 || {
	cat apt.log >&2
	exit 1
}
dpkg-deb -x "$image"_*.deb root
release=$(basename root/lib/modules/*)
mdir=root/lib/modules/$release
config=root/boot/config-$release

# A module's own dependency list is in its .modinfo section, one of its
# NUL-terminated strings ("depends=a,b"). Read as strings, not as ELF: the
# host's binutils may not know the kernel's architecture.
deps_of() {
	tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '
}
path_of() { # modules.order names files with - or _ as the source has them
	local n=$1
	grep -m1 -E "/(${n//[-_]/[-_]})\.ko$" "$mdir/modules.order" || true
}
builtin() { grep -q -E "/(${1//[-_]/[-_]})\.ko$" "$mdir/modules.builtin"; }

# Depth-first: a module's dependencies are listed before it.
declare -A seen=()
order=()
visit() {
	local name=$1 rel dep
	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	builtin "$name" && return 0
	rel=$(path_of "$name")
	if [ -z "$rel" ]; then
		echo "kernel.sh: $release has no module $name and does not build it in" >&2
		exit 1
	fi
	for dep in $(deps_of "$mdir/$rel"); do
		visit "$dep"
	done
	order+=("$rel")
}
for m in $wanted; do
	# pci-host-generic exists only where the architecture has it.
	if [ "$m" = pci-host-generic ] && [ "$arch" != arm64 ]; then
		continue
	fi
	visit "$m"
done

rm -rf "$out.new"
mkdir -p "$out.new/modules"
for rel in "${order[@]}"; do
	cp "$mdir/$rel" "$out.new/modules/"
	basename "$rel" .ko >>"$out.new/modules.load"
done
[ -e "$out.new/modules.load" ] || : >"$out.new/modules.load"
# The kernel as qemu boots it fastest, without the decompressor (which costs
# seconds under TCG): amd64's vmlinuz carries an xz-compressed ELF vmlinux
# that qemu starts through its PVH note; arm64's is an Image.
vmlinuz=root/boot/vmlinuz-$release
case $arch in
amd64)
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || {
		echo "kernel.sh: no xz payload in $vmlinuz" >&2
		exit 1
	}
	tail -c +$((off + 1)) "$vmlinuz" >payload.xz
	xz -dc --single-stream payload.xz >"$out.new/kernel"
	;;
arm64)
	# Debian's arm64 vmlinuz is the plain Image; gzipped in some releases.
	if [ "$(head -c2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		gzip -dc "$vmlinuz" >"$out.new/kernel"
	else
		cp "$vmlinuz" "$out.new/kernel"
	fi
	;;
esac
cp "$config" "$out.new/config"
echo "$release" >"$out.new/release"
rm -rf "$out"
mv "$out.new" "$out"
echo "kernel.sh: $image ($release): $(wc -l <"$out/modules.load") modules: $(tr '\n' ' ' <"$out/modules.load")"
