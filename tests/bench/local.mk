# tests/bench — the benchmark of issue 7 (README.md here), and the checks
# of its harness. interp_bench and bench_sse are built from
# translator/x86/interp.mk and simd.mk.
BENCH_FILES = tests/bench/run.sh tests/bench/modes.sh tests/bench/workloads.sh \
	tests/bench/warm.sh tests/bench/report.awk tests/bench/plot.gp \
	tests/bench/gentext.awk tests/bench/pybench.py tests/bench/sqlbench.sql \
	tests/bench/README.md
BENCH_TESTS = tests/bench/report-check.sh tests/bench/run-check.sh
TESTS += $(BENCH_TESTS)
EXTRA_DIST += $(BENCH_FILES) $(BENCH_TESTS)

# Not a test: it takes up to ~20 minutes (BENCH_QUICK=1: a few) and wants a
# quiet machine. Settings are BENCH_* environment variables (README.md).
bench: xlate$(EXEEXT) xlatec$(EXEEXT) xlatefs-cache$(EXEEXT)
	XLATE='$(abs_top_builddir)/xlate$(EXEEXT)' \
	XLATEC='$(abs_top_builddir)/xlatec$(EXEEXT)' \
	XLATEFS_CACHE='$(abs_top_builddir)/xlatefs-cache$(EXEEXT)' \
	QEMU_X86_64='$(QEMU_X86_64)' \
	BENCH_OUT="$${BENCH_OUT:-$(abs_top_builddir)/bench-out}" \
	bash $(srcdir)/tests/bench/run.sh
clean-local: clean-bench
clean-bench:
	-rm -rf bench-out
.PHONY: bench clean-bench
