#!/bin/sh
# Installs everything xlatefs needs to build, test and benchmark on Debian 12.
# Run as root (CI does); safe to run again.
set -eu
if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: run as root (apt-get needs it)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# build
BUILD="build-essential autoconf automake libtool pkg-config git
	libfuse3-dev fuse3 libelf-dev libxxhash-dev xxhash"
# the aarch64 translator: cross compiler and qemu-user to run it
CROSS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user"
# tests: unit framework, decoder oracle, guest programs and their tools
TEST="libcmocka-dev libzydis-dev nasm busybox-static python3 libpython3.11-testsuite
	perl mawk sed grep findutils coreutils sqlite3 xz-utils bzip2 gzip bc file
	util-linux procps clang libclang-rt-14-dev"
# benchmarks
BENCH="hyperfine 7zip sysbench gnuplot-nox"
# make check-vm: x86-64 guests (qemu, virtiofsd in qemu-system-common), the
# Debian kernel they boot is fetched with apt-get download by the test
# itself; make check-vm-aarch64 also needs qemu-system-arm and the arm64
# architecture (dpkg --add-architecture arm64 && apt-get update)
VM="qemu-system-x86 qemu-system-common qemu-system-arm cpio"

apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $BUILD $CROSS $TEST $BENCH $VM
