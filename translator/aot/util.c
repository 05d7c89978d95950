/* util.c — allocation that cannot fail quietly, messages, offset sets. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "translator/aot/aot.h"

const char *aot_prog = "xlatec";

void aot_err(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", aot_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *oom(void *p)
{
	if (!p) {
		aot_err("out of memory");
		exit(2);
	}
	return p;
}

void *xmalloc(size_t n)
{
	return oom(malloc(n ? n : 1));
}

void *xcalloc(size_t n, size_t m)
{
	return oom(calloc(n ? n : 1, m ? m : 1));
}

void *xrealloc(void *p, size_t n)
{
	return oom(realloc(p, n ? n : 1));
}

char *xstrdup(const char *s)
{
	return oom(strdup(s));
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return oom(r < 0 ? NULL : s);
}

void offs_add(struct offs *o, uint64_t x)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 64;
		o->v = xrealloc(o->v, o->cap * sizeof *o->v);
	}
	o->v[o->n++] = x;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

void offs_sort(struct offs *o)
{
	size_t i, j;
	if (!o->n)
		return;
	qsort(o->v, o->n, sizeof *o->v, cmp_u64);
	for (i = 1, j = 1; i < o->n; i++)
		if (o->v[i] != o->v[j - 1])
			o->v[j++] = o->v[i];
	o->n = j;
}

bool offs_has(const struct offs *o, uint64_t x)
{
	size_t lo = 0, hi = o->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->v[mid] < x)
			lo = mid + 1;
		else if (o->v[mid] > x)
			hi = mid;
		else
			return true;
	}
	return false;
}

void offs_free(struct offs *o)
{
	free(o->v);
	memset(o, 0, sizeof *o);
}

static size_t oset_slot(const struct oset *s, uint64_t x)
{
	size_t h = (size_t)(((x + 1) * 0x9e3779b97f4a7c15ull) >> 17) & (s->cap - 1);
	while (s->v[h] && s->v[h] != x + 1)
		h = (h + 1) & (s->cap - 1);
	return h;
}

bool oset_add(struct oset *s, uint64_t x)
{
	size_t h;
	if (2 * (s->n + 1) > s->cap) {
		struct oset g = {xcalloc(s->cap ? 2 * s->cap : 64, sizeof *s->v), 0,
				 s->cap ? 2 * s->cap : 64};
		for (size_t i = 0; i < s->cap; i++)
			if (s->v[i])
				oset_add(&g, s->v[i] - 1);
		free(s->v);
		*s = g;
	}
	h = oset_slot(s, x);
	if (s->v[h])
		return false;
	s->v[h] = x + 1;
	s->n++;
	return true;
}

bool oset_has(const struct oset *s, uint64_t x)
{
	return s->cap && s->v[oset_slot(s, x)];
}

void oset_free(struct oset *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
