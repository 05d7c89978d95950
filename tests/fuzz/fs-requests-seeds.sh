#!/bin/bash
# fs-requests-seeds.sh DIR: a seed corpus for fs_requests_fuzz.c in DIR, one
# file per input, each led by its parser's selector byte: code maps (one
# valid submission, two concatenated, a header only), modules made by
# fs-tool, an image made by fake-xlatec, and request names.
set -eu
: "${top_builddir:?}"
dir=$1 tool=$top_builddir/tests/integration/fs-tool
mkdir -p "$dir"
work=$(mktemp -d "${TMPDIR:-/tmp}/fs-seeds.XXXXXX")
trap 'rm -rf "$work"' EXIT
seed() { # seed NAME SELECTOR FILE...
	local name=$1 sel=$2
	shift 2
	{ printf "\\$(printf %03o "$sel")"; cat "$@"; } >"$dir/$name"
}
"$tool" map "$work/map1" 0x1000:16 0x1010:8 0x4000:4096 >/dev/null
"$tool" map "$work/map2" 0:1 0xfffffff0:16 >/dev/null
head -c 8 "$work/map1" >"$work/header"
seed map-one 0 "$work/map1"
seed map-two 0 "$work/map1" "$work/map2"
seed map-header 0 "$work/header" "$work/header"
"$tool" mkelf "$work/mod" 3 >/dev/null
"$tool" mkelf "$work/mod-big" 5 3000 >/dev/null
seed module 1 "$work/mod"
seed module-padded 1 "$work/mod-big"
"$top_builddir/tests/integration/fake-xlatec" --target "$(uname -m)-v1" -o "$work/img" "$work/mod"
seed image 2 "$work/img"
printf '0123456789abcdef0123456789abcdef' >"$work/key"
printf '0123456789abcdef0123456789abcdef.map' >"$work/mapname"
seed name 3 "$work/key"
seed name-map 3 "$work/mapname"
