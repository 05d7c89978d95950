# tests/ — shared test settings. Each component lists its own tests
# (unit, guest, integration, fuzz) in its own local.mk.
TEST_EXTENSIONS = .sh
# Every test runs under guard.sh: a hung test is listed, killed and failed.
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/guard.sh
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/guard.sh $(SHELL)
EXTRA_DIST += tests/lib.sh tests/guard.sh
