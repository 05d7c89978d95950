/* codemap.c — a module's code map as the runtime records it: the offsets
 * of blocks the interpreter ran (each recorded once), sent to the share as
 * one-byte records (fs/xlatefs.h): xlatec decodes from each and makes it
 * an entry of the next image. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fs/xlatefs.h"
#include "translator/runtime/image.h"

/* A submission stays under the share's default per-submission size. */
#define MAP_MAX ((XLATEFS_DEFAULT_MAX_MAP - XLATEFS_MAP_HEADER_SIZE) / XLATEFS_MAP_RECORD_SIZE)

static size_t slot_of(const struct codemap *m, uint32_t off)
{
	size_t h = (size_t)((off * 0x9e3779b1u) >> 7) & (m->nslot - 1);
	while (m->slot[h] && m->slot[h] != off + 1u)
		h = (h + 1) & (m->nslot - 1);
	return h;
}

bool codemap_add(struct codemap *m, uint32_t off)
{
	size_t h;
	if (off == UINT32_MAX || m->n >= MAP_MAX)
		return false;
	if (2 * (m->n + 1) > m->nslot) {
		struct codemap g = *m;
		g.nslot = m->nslot ? 2 * m->nslot : 1024;
		g.slot = calloc(g.nslot, sizeof *g.slot);
		if (!g.slot)
			return false;
		for (size_t i = 0; i < m->n; i++)
			g.slot[slot_of(&g, m->off[i])] = m->off[i] + 1u;
		free(m->slot);
		m->slot = g.slot;
		m->nslot = g.nslot;
	}
	h = slot_of(m, off);
	if (m->slot[h])
		return false;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		uint32_t *v = realloc(m->off, cap * sizeof *v);
		if (!v)
			return false;
		m->off = v;
		m->cap = cap;
	}
	m->slot[h] = off + 1u;
	m->off[m->n++] = off;
	return true;
}

uint8_t *codemap_encode(const struct codemap *m, size_t *len)
{
	size_t n = m->n - m->submitted;
	uint8_t *buf;
	*len = 0;
	if (!n)
		return NULL;
	buf = malloc(XLATEFS_MAP_HEADER_SIZE + n * XLATEFS_MAP_RECORD_SIZE);
	if (!buf)
		return NULL;
	xlatefs_map_put_header(buf);
	for (size_t i = 0; i < n; i++)
		xlatefs_map_put_record(buf + XLATEFS_MAP_HEADER_SIZE + i * XLATEFS_MAP_RECORD_SIZE,
				       m->off[m->submitted + i], 1);
	*len = XLATEFS_MAP_HEADER_SIZE + n * XLATEFS_MAP_RECORD_SIZE;
	return buf;
}

void codemap_mark_submitted(struct codemap *m)
{
	m->submitted = m->n;
}

void codemap_free(struct codemap *m)
{
	free(m->off);
	free(m->slot);
	memset(m, 0, sizeof *m);
}
