# tests/process — see the files in this directory.
