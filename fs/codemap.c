/* SPDX-License-Identifier: MIT */
/*
 * Code maps (format in fs/xlatefs.h): parsing a guest's submission, merging
 * it into the key's map, encoding the merged map for the compiler.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs/internal.h"

static int range_cmp(const void *a, const void *b)
{
	const struct xfs_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts and coalesces m's ranges in place. */
static void normalize(struct xfs_map *m)
{
	size_t w = 0;

	if (!m->n)
		return;
	qsort(m->r, m->n, sizeof(m->r[0]), range_cmp);
	for (size_t i = 1; i < m->n; i++) {
		if (m->r[i].start <= m->r[w].end) {
			if (m->r[i].end > m->r[w].end)
				m->r[w].end = m->r[i].end;
		} else {
			m->r[++w] = m->r[i];
		}
	}
	m->n = w + 1;
}

int xfs_map_parse(const void *buf, size_t len, size_t max_records, struct xfs_map *m)
{
	const uint8_t *p = buf;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (len < XLATEFS_MAP_HEADER_SIZE || xlatefs_get_le32(p) != XLATEFS_MAP_MAGIC ||
	    (p[4] | p[5] << 8) != XLATEFS_MAP_VERSION ||
	    (p[6] | p[7] << 8) != XLATEFS_MAP_RECORD_SIZE ||
	    (len - XLATEFS_MAP_HEADER_SIZE) % XLATEFS_MAP_RECORD_SIZE)
		return -EINVAL;
	n = (len - XLATEFS_MAP_HEADER_SIZE) / XLATEFS_MAP_RECORD_SIZE;
	if (n > max_records)
		return -EFBIG;
	if (!n)
		return 0;
	m->r = malloc(n * sizeof(m->r[0]));
	if (!m->r)
		return -ENOMEM;
	m->cap = n;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *rec = p + XLATEFS_MAP_HEADER_SIZE + i * XLATEFS_MAP_RECORD_SIZE;
		uint64_t off = xlatefs_get_le32(rec), length = xlatefs_get_le32(rec + 4);

		/* two 32-bit fields can reach past 2^32: the format forbids it */
		if (!length || off + length > (1ull << 32)) {
			xfs_map_free(m);
			return -EINVAL;
		}
		m->r[i] = (struct xfs_range){off, off + length};
	}
	m->n = n;
	normalize(m);
	return 0;
}

int xfs_map_merge(struct xfs_map *into, const struct xfs_map *add, size_t max_ranges)
{
	struct xfs_range *r;
	size_t n = 0, i = 0, j = 0, cap = into->n + add->n;

	if (!add->n)
		return 0;
	r = malloc(cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	/* Both are sorted and coalesced: one linear merge. */
	while (i < into->n || j < add->n) {
		struct xfs_range next;

		if (j == add->n || (i < into->n && into->r[i].start <= add->r[j].start))
			next = into->r[i++];
		else
			next = add->r[j++];
		if (n && next.start <= r[n - 1].end) {
			if (next.end > r[n - 1].end)
				r[n - 1].end = next.end;
		} else {
			r[n++] = next;
		}
	}
	if (n > max_ranges) {
		free(r);
		return -EFBIG;
	}
	free(into->r);
	into->r = r;
	into->n = n;
	into->cap = cap;
	return 0;
}

uint64_t xfs_map_covered(const struct xfs_map *m)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < m->n; i++)
		sum += m->r[i].end - m->r[i].start;
	return sum;
}

/*
 * A merged range may reach 2^32 and be longer than a record holds; it is
 * written as as many records as it takes.
 */
static size_t records_of(const struct xfs_range *r)
{
	return (size_t)((r->end - r->start + UINT32_MAX - 1) / UINT32_MAX);
}

size_t xfs_map_size(const struct xfs_map *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += records_of(&m->r[i]);
	return XLATEFS_MAP_HEADER_SIZE + n * XLATEFS_MAP_RECORD_SIZE;
}

void xfs_map_encode(const struct xfs_map *m, uint8_t *out)
{
	xlatefs_map_put_header(out);
	out += XLATEFS_MAP_HEADER_SIZE;
	for (size_t i = 0; i < m->n; i++)
		for (uint64_t s = m->r[i].start; s < m->r[i].end;) {
			uint64_t len = m->r[i].end - s;

			if (len > UINT32_MAX)
				len = UINT32_MAX;
			xlatefs_map_put_record(out, (uint32_t)s, (uint32_t)len);
			out += XLATEFS_MAP_RECORD_SIZE;
			s += len;
		}
}

void xfs_map_free(struct xfs_map *m)
{
	free(m->r);
	memset(m, 0, sizeof(*m));
}
