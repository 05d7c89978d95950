# tests/ — shared test settings. Each component lists its own tests
# (unit, guest, integration, fuzz) in its own local.mk.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
EXTRA_DIST += tests/lib.sh
