# tests/signals — guest signals (delivery, frames, faults, restarts,
# alternate stacks, threads, deaths): x86-64 programs run natively and
# under xlate (and xlate-aarch64 under qemu-aarch64), compared by run.sh.
EXTRA_DIST += tests/signals/run.sh
if HOST_X86_64
if ENABLE_TESTS
SIGNAL_TESTS = tests/signals/segv tests/signals/traps tests/signals/masks tests/signals/alarm \
	tests/signals/restart tests/signals/altstack tests/signals/storm \
	tests/signals/death tests/signals/threads tests/signals/victim tests/signals/wakeup \
	tests/signals/pwait tests/signals/pwait2
check_PROGRAMS += $(SIGNAL_TESTS) tests/signals/clean-slate
# Static and uninstrumented: they run under the translator.
SIGNAL_CFLAGS = $(WARN_CFLAGS) -O2
tests_signals_segv_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_segv_LDFLAGS = -static
tests_signals_traps_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_traps_LDFLAGS = -static
tests_signals_masks_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_masks_LDFLAGS = -static
tests_signals_alarm_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_alarm_LDFLAGS = -static
tests_signals_restart_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_restart_LDFLAGS = -static
tests_signals_altstack_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_altstack_LDFLAGS = -static
tests_signals_storm_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_storm_LDFLAGS = -static
tests_signals_death_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_death_LDFLAGS = -static
tests_signals_threads_CFLAGS = $(SIGNAL_CFLAGS) -pthread
tests_signals_threads_LDFLAGS = -static -pthread
tests_signals_victim_CFLAGS = $(SIGNAL_CFLAGS)
tests_signals_victim_LDFLAGS = -static
tests_signals_wakeup_CFLAGS = $(SIGNAL_CFLAGS) -pthread
tests_signals_wakeup_LDFLAGS = -static -pthread
tests_signals_pwait_CFLAGS = $(SIGNAL_CFLAGS) -pthread
tests_signals_pwait_LDFLAGS = -static -pthread
tests_signals_pwait2_SOURCES = tests/signals/pwait.c
tests_signals_pwait2_CFLAGS = $(SIGNAL_CFLAGS) -pthread -DPWAIT2
tests_signals_pwait2_LDFLAGS = -static -pthread
TESTS += tests/signals/run.sh
endif
endif
