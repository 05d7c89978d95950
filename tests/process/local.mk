# tests/process — the process model (threads, futexes, atomics, fork,
# vfork, exec, wait statuses, unwinding) and real programs that lean on
# it (shells, make, gcc), each run natively and under the translator with
# the outputs compared by tests/guest/run.sh (cases in cases.sh here).
# The test programs are x86-64 guests: built for this host, without the
# sanitizers (they run under xlate), dynamically linked like real ones.

PROCESS_SUITE = tests/process/check.sh tests/process/cases.sh \
	tests/process/atomics.c tests/process/pthreads.c tests/process/futex.c \
	tests/process/forktree.c tests/process/ctx.c tests/process/unwind.cc \
	tests/process/jobs.sh tests/process/traps.sh tests/process/py-signals.py \
	tests/process/py-mp.py tests/process/py-subprocess.py tests/process/py-faulthandler.py
EXTRA_DIST += $(PROCESS_SUITE)

if HOST_X86_64
if ENABLE_TESTS
PROCESS_C_PROGS = tests/process/atomics tests/process/pthreads tests/process/futex \
	tests/process/forktree tests/process/ctx
PROCESS_GUEST_FLAGS = $(WARN_CFLAGS) -O2 -pthread
$(PROCESS_C_PROGS): tests/process/%: $(srcdir)/tests/process/%.c
	$(AM_V_CC)mkdir -p $(@D) && $(CC) $(PROCESS_GUEST_FLAGS) -mcx16 -o $@ $<
# -rdynamic: backtrace_symbols names the program's own functions.
tests/process/unwind: $(srcdir)/tests/process/unwind.cc
	$(AM_V_GEN)mkdir -p $(@D) && $${CXX:-g++} $(PROCESS_GUEST_FLAGS) -rdynamic -o $@ $<
check_SCRIPTS += $(PROCESS_C_PROGS) tests/process/unwind
CLEANFILES += $(PROCESS_C_PROGS) tests/process/unwind
TESTS += tests/process/check.sh
endif
endif
# The two halves are independent (CI may run them in parallel): about
# 150 s and 115 s of CPU in the translated runs (measured on 2 busy cores).
PROCESS_RUN = top_builddir='$(abs_top_builddir)' QEMU_AARCH64='$(QEMU_AARCH64)' \
	$(SHELL) $(srcdir)/tests/guest/run.sh -c $(srcdir)/tests/process/cases.sh -t full
check-process-full-xlate: all $(PROCESS_C_PROGS) tests/process/unwind
	$(PROCESS_RUN) -m xlate
check-process-full-a64: all $(PROCESS_C_PROGS) tests/process/unwind
	$(PROCESS_RUN) -m a64
check-process-full: all $(PROCESS_C_PROGS) tests/process/unwind
	$(PROCESS_RUN)
.PHONY: check-process-full check-process-full-xlate check-process-full-a64
