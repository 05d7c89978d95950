/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target for what a guest sends the share (libFuzzer interface; `make
 * fuzz-fs` builds it with clang's libFuzzer, fuzz_driver.c runs it in make
 * check). The first byte picks the parser, the rest is its input:
 *
 *   0  code-map submissions (xfs_map_parse), two of them merged (the halves)
 *   1  uploaded modules (xfs_elf_check_module)
 *   2  compiler output (xfs_elf_check_image, for both host machines)
 *   3  names created in requests/ (xfs_request_name)
 *
 * Besides memory errors (the sanitizers), it checks what the daemon relies
 * on: a parsed map is normalised, survives an encode/parse round trip, and
 * a merge is a union; an accepted module is an x86-64 ELF; a request name
 * round-trips through its key.
 */
#include "config.h"

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/internal.h"

#define MAX_RECORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fs_requests_fuzz: %s\n", what);
		abort();
	}
}

static void check_normal(const struct xfs_map *m, size_t max)
{
	require(m->n <= max, "more ranges than allowed");
	for (size_t i = 0; i < m->n; i++) {
		require(m->r[i].start < m->r[i].end, "an empty range");
		require(m->r[i].end <= (1ull << 32), "a range past 2^32");
		require(i == 0 || m->r[i - 1].end < m->r[i].start, "ranges unsorted or touching");
	}
}

static void check_roundtrip(const struct xfs_map *m)
{
	size_t len = xfs_map_size(m);
	uint8_t *buf = malloc(len);
	struct xfs_map back = {0};

	require(buf != NULL, "out of memory");
	xfs_map_encode(m, buf);
	require(xfs_map_parse(buf, len, SIZE_MAX, &back) == 0, "an encoded map does not parse");
	require(back.n == m->n && (!m->n || !memcmp(back.r, m->r, m->n * sizeof(*m->r))),
		"an encoded map parses differently");
	xfs_map_free(&back);
	free(buf);
}

static void fuzz_maps(const uint8_t *p, size_t n)
{
	struct xfs_map a = {0}, b = {0};
	size_t half = n / 2;
	int ra = xfs_map_parse(p, half, MAX_RECORDS, &a);
	int rb = xfs_map_parse(p + half, n - half, MAX_RECORDS, &b);

	if (ra == 0) {
		check_normal(&a, MAX_RECORDS);
		check_roundtrip(&a);
	}
	if (rb == 0) {
		check_normal(&b, MAX_RECORDS);
		check_roundtrip(&b);
	}
	if (ra == 0 && rb == 0) {
		uint64_t ca = xfs_map_covered(&a), cb = xfs_map_covered(&b);

		if (xfs_map_merge(&a, &b, 2 * MAX_RECORDS) == 0) {
			uint64_t c = xfs_map_covered(&a);

			check_normal(&a, 2 * MAX_RECORDS);
			require(c >= ca && c >= cb && c <= ca + cb, "a merge is not a union");
			/* merging what is already in is a no-op */
			require(xfs_map_merge(&a, &b, 2 * MAX_RECORDS) == 0 &&
					xfs_map_covered(&a) == c,
				"a merge of a subset changed the map");
			check_roundtrip(&a);
		}
	}
	xfs_map_free(&a);
	xfs_map_free(&b);
}

static void fuzz_module(const uint8_t *p, size_t n)
{
	const char *why = NULL;

	if (xfs_elf_check_module(p, n, &why) == 0) {
		const Elf64_Ehdr *eh = (const void *)p;

		require(n >= sizeof(*eh) && !memcmp(p, ELFMAG, SELFMAG), "accepted a non-ELF");
		require(p[EI_CLASS] == ELFCLASS64 && eh->e_machine == EM_X86_64,
			"accepted an ELF that is not x86-64");
	} else {
		require(why != NULL, "refused without a reason");
	}
}

static void fuzz_image(const uint8_t *p, size_t n)
{
	static const int machines[] = {EM_X86_64, EM_AARCH64};

	for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++) {
		const char *why = NULL;

		if (xfs_elf_check_image(p, n, machines[i], &why) == 0)
			require(((const Elf64_Ehdr *)p)->e_machine == machines[i],
				"accepted an image for another machine");
		else
			require(why != NULL, "refused without a reason");
	}
}

static void fuzz_name(const uint8_t *p, size_t n)
{
	char name[256], hex[XLC_KEY_HEX + 1];
	struct xlc_key key, again;
	int r;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, p, n);
	name[n] = 0;
	r = xfs_request_name(name, &key);
	if (r < 0)
		return;
	require(strlen(name) == XLC_KEY_HEX + (r ? strlen(XLATEFS_MAP_SUFFIX) : 0),
		"a request name of the wrong length");
	xlc_key_hex(&key, hex);
	require(xlc_key_parse(hex, &again) == 0 && xlc_key_equal(&key, &again),
		"a request key does not round-trip");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const parsers[])(const uint8_t *, size_t) = {
		fuzz_maps,
		fuzz_module,
		fuzz_image,
		fuzz_name,
	};

	uint8_t *copy;

	if (!size)
		return 0;
	/* the daemon parses mapped files and malloc'd buffers: aligned */
	copy = malloc(size - 1 ? size - 1 : 1);
	require(copy != NULL, "out of memory");
	memcpy(copy, data + 1, size - 1);
	parsers[data[0] % (sizeof(parsers) / sizeof(parsers[0]))](copy, size - 1);
	free(copy);
	return 0;
}
