#!/bin/sh
# Differential test of the decoder against Zydis (see zydis_diff.c).
# XLATE_ZYDIS_RANDOM sets the number of random strings (default 10000000),
# XLATE_ZYDIS_SEED their seed.
set -e
bin=${top_builddir:-.}/tests/x86/zydis_diff
set --
for f in /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libm.so.6 \
	/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/bin/python3.11 /usr/bin/perl /bin/busybox; do
	if [ -r "$f" ]; then
		set -- "$@" "$f"
	else
		echo "zydis_diff: $f not installed, not swept"
	fi
done
exec "$bin" --exhaustive --random "${XLATE_ZYDIS_RANDOM:-10000000}" \
	--seed "${XLATE_ZYDIS_SEED:-1}" "$@"
