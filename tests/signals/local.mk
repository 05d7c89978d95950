# tests/signals — see the files in this directory.
