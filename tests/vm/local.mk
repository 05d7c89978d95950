# tests/vm — the share in real VMs over virtiofs (issue 8). Not in make
# check: they boot VMs, download a Debian kernel (apt-get download) and
# need root; KVM where qemu can use /dev/kvm, else TCG (vm_accel, lib.sh).
#   make check-vm           x86-64 guests, about 2 minutes under TCG on a busy
#                           2-core host (the compiler running in a guest
#                           takes most of it)
#   make check-vm-aarch64   an arm64 guest under TCG, x86-64 userland through
#                           xlate-aarch64 (about 1.5 minutes; needs the arm64
#                           architecture in apt; not in CI)
# See tests/vm/lib.sh for the harness and contrib/vm/ for users' files.
VM_TESTS = tests/vm/vm-plumbing.sh tests/vm/vm-share.sh tests/vm/vm-guest-daemon.sh
VM_TESTS_AARCH64 = tests/vm/vm-aarch64.sh
EXTRA_DIST += tests/vm/kernel.sh tests/vm/mkinitramfs.sh tests/vm/init \
	tests/vm/lib.sh tests/vm/guest.sh tests/vm/run.sh \
	$(VM_TESTS) $(VM_TESTS_AARCH64)

if HOST_X86_64
# x86-64 programs for the guests: static, uninstrumented (they run in a VM).
check_PROGRAMS += tests/vm/probe tests/vm/rosetta-double tests/vm/lazy
tests_vm_probe_SOURCES = tests/vm/probe.c
tests_vm_probe_CFLAGS = $(WARN_CFLAGS) -O2
tests_vm_probe_LDFLAGS = -static
tests_vm_rosetta_double_SOURCES = tests/vm/rosetta-double.c
tests_vm_rosetta_double_CFLAGS = $(WARN_CFLAGS) -O2
tests_vm_rosetta_double_LDFLAGS = -static
# The lazy path's module: one small module, no C library (lazy.c says why).
tests_vm_lazy_SOURCES = tests/vm/lazy.c tests/aot/guestlib.h
tests_vm_lazy_CFLAGS = $(WARN_CFLAGS) -O2 -ffreestanding -fno-builtin -fno-stack-protector -fno-pie
tests_vm_lazy_LDFLAGS = -static -nostdlib -no-pie
endif

# A sanitizer build cannot serve guests: its xlate is dynamic (the guests
# lack the sanitizer runtimes) and xlatec under ASan does not fit the
# daemon's address-space limit. Say so rather than fail every check.
if SANITIZERS
VM_RUN = @echo "check-vm: configure without --enable-sanitizers (xlate must be static for the guests)" >&2; exit 1;
else
VM_RUN = top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	$(SHELL) $(srcdir)/tests/vm/run.sh
endif
check-vm: all tests/vm/probe tests/vm/rosetta-double tests/vm/lazy
	$(VM_RUN) $(addprefix $(srcdir)/,$(VM_TESTS))
check-vm-aarch64: all tests/vm/probe tests/vm/lazy
	$(VM_RUN) $(addprefix $(srcdir)/,$(VM_TESTS_AARCH64))
clean-local: clean-vm
clean-vm:
	-rm -rf tests/vm/kernel-amd64 tests/vm/kernel-arm64 tests/vm/*.log
.PHONY: check-vm check-vm-aarch64 clean-vm
