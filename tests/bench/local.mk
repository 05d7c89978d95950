# tests/bench — see the files in this directory.
