# tests/vm — the share in real VMs over virtiofs (issue 8). Not in make
# check: they boot VMs, download a Debian kernel (apt-get download) and
# need root; KVM where qemu can use /dev/kvm, else TCG (vm_accel, lib.sh).
#   make check-vm           x86-64 guests, about 2 minutes under TCG
#   make check-vm-aarch64   an arm64 guest under TCG (slow; not in CI)
# See tests/vm/lib.sh for the harness and contrib/vm/ for users' files.
VM_TESTS = tests/vm/vm-plumbing.sh tests/vm/vm-share.sh tests/vm/vm-guest-daemon.sh
VM_TESTS_AARCH64 =
EXTRA_DIST += tests/vm/kernel.sh tests/vm/mkinitramfs.sh tests/vm/init \
	tests/vm/lib.sh tests/vm/guest.sh tests/vm/run.sh \
	$(VM_TESTS) $(VM_TESTS_AARCH64)

if HOST_X86_64
# x86-64 programs for the guests: static, uninstrumented (they run in a VM).
check_PROGRAMS += tests/vm/probe tests/vm/rosetta-double
tests_vm_probe_SOURCES = tests/vm/probe.c
tests_vm_probe_CFLAGS = $(WARN_CFLAGS) -O2
tests_vm_probe_LDFLAGS = -static
tests_vm_rosetta_double_SOURCES = tests/vm/rosetta-double.c
tests_vm_rosetta_double_CFLAGS = $(WARN_CFLAGS) -O2
tests_vm_rosetta_double_LDFLAGS = -static
endif

VM_RUN = top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	$(SHELL) $(srcdir)/tests/vm/run.sh
check-vm: all tests/vm/probe tests/vm/rosetta-double
	$(VM_RUN) $(addprefix $(srcdir)/,$(VM_TESTS))
check-vm-aarch64: all
	$(VM_RUN) $(addprefix $(srcdir)/,$(VM_TESTS_AARCH64))
clean-local: clean-vm
clean-vm:
	-rm -rf tests/vm/kernel-amd64 tests/vm/kernel-arm64 tests/vm/*.log
.PHONY: check-vm check-vm-aarch64 clean-vm
