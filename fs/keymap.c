/* SPDX-License-Identifier: MIT */
/* Hash map from (key, tag) to a pointer, seeded per process (keys are guest-chosen names). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fs/internal.h"

struct xfs_kmnode {
	struct xlc_key key;
	uint32_t tag;
	void *val;
	struct xfs_kmnode *next;
};

static uint64_t seed;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void seed_init(void)
{
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
}

static size_t bucket(const struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag)
{
	uint8_t in[XLC_KEY_BYTES + sizeof(tag)];

	memcpy(in, k->b, XLC_KEY_BYTES);
	memcpy(in + XLC_KEY_BYTES, &tag, sizeof(tag));
	return (size_t)(XXH3_64bits_withSeed(in, sizeof(in), seed) & (m->nb - 1));
}

static struct xfs_kmnode **find(const struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag)
{
	struct xfs_kmnode **pp;

	if (!m->nb)
		return NULL;
	for (pp = &m->b[bucket(m, k, tag)]; *pp; pp = &(*pp)->next)
		if ((*pp)->tag == tag && xlc_key_equal(&(*pp)->key, k))
			return pp;
	return NULL;
}

void *xfs_keymap_get(const struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag)
{
	struct xfs_kmnode **pp = find(m, k, tag);

	return pp ? (*pp)->val : NULL;
}

/* Doubles the bucket array once the map holds as many entries as buckets. */
static int grow(struct xfs_keymap *m)
{
	size_t nb = m->nb ? m->nb * 2 : 64;
	struct xfs_kmnode **b = calloc(nb, sizeof(*b));
	struct xfs_keymap nm = {.b = b, .nb = nb};

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < m->nb; i++)
		for (struct xfs_kmnode *e = m->b[i], *next; e; e = next) {
			size_t h = bucket(&nm, &e->key, e->tag);

			next = e->next;
			e->next = b[h];
			b[h] = e;
		}
	free(m->b);
	m->b = b;
	m->nb = nb;
	return 0;
}

int xfs_keymap_put(struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag, void *val)
{
	struct xfs_kmnode **pp, *e;
	size_t h;

	pthread_once(&seed_once, seed_init);
	pp = find(m, k, tag);
	if (pp) {
		(*pp)->val = val;
		return 0;
	}
	if (m->n >= m->nb && grow(m) < 0)
		return -ENOMEM;
	e = malloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->key = *k;
	e->tag = tag;
	e->val = val;
	h = bucket(m, k, tag);
	e->next = m->b[h];
	m->b[h] = e;
	m->n++;
	return 0;
}

void *xfs_keymap_del(struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag)
{
	struct xfs_kmnode **pp = find(m, k, tag), *e;
	void *val;

	if (!pp)
		return NULL;
	e = *pp;
	val = e->val;
	*pp = e->next;
	free(e);
	m->n--;
	return val;
}

void xfs_keymap_free(struct xfs_keymap *m, void (*free_val)(void *))
{
	for (size_t i = 0; i < m->nb; i++)
		for (struct xfs_kmnode *e = m->b[i], *next; e; e = next) {
			next = e->next;
			if (free_val)
				free_val(e->val);
			free(e);
		}
	free(m->b);
	memset(m, 0, sizeof(*m));
}

void xfs_keymap_each(const struct xfs_keymap *m,
		     void (*fn)(const struct xlc_key *k, uint32_t tag, void *val, void *arg),
		     void *arg)
{
	for (size_t i = 0; i < m->nb; i++)
		for (struct xfs_kmnode *e = m->b[i]; e; e = e->next)
			fn(&e->key, e->tag, e->val, arg);
}
