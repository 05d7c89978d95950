/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: a bounded pool of workers running compile jobs, one job
 * per key at a time. New coverage arriving while a key compiles makes it
 * compile again afterwards; a failed attempt is retried with exponential
 * backoff, then the key is left alone until its coverage grows.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fs/internal.h"

#define RETRY_DELAY_MAX 3600.0

struct job {
	struct xlc_key key;
	unsigned attempts;
	struct timespec not_before; /* CLOCK_MONOTONIC */
	int running;
	int again; /* asked for while running */
	struct job *next; /* queue */
};

struct failure {
	uint64_t covered; /* the coverage the key failed with */
};

struct xfs_sched {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* work queued, or stopping */
	struct job *head, *tail;
	struct xfs_keymap active; /* key -> struct job (queued, waiting, running) */
	struct xfs_keymap failed; /* key -> struct failure */
	int stopping;
	unsigned nworkers;
	pthread_t workers[];
};

static struct timespec after(double seconds)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)seconds;
	t.tv_nsec += (long)((seconds - floor(seconds)) * 1e9);
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

static int ts_le(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

static void enqueue(struct xfs *fs, struct job *j)
{
	struct xfs_sched *s = fs->sched;

	j->next = NULL;
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	xfs_count(&fs->stats, XFS_C_QUEUED, 1);
	pthread_cond_signal(&s->cond);
}

/* The first queued job that may run now, unlinked; else NULL and *wake. Lock held. */
static struct job *dequeue(struct xfs_sched *s, struct timespec *wake, int *has_wake)
{
	struct timespec now;
	struct job **pp, *prev = NULL;

	clock_gettime(CLOCK_MONOTONIC, &now);
	*has_wake = 0;
	for (pp = &s->head; *pp; prev = *pp, pp = &(*pp)->next) {
		struct job *j = *pp;

		if (ts_le(&j->not_before, &now)) {
			*pp = j->next;
			if (s->tail == j)
				s->tail = prev;
			return j;
		}
		if (!*has_wake || ts_le(&j->not_before, wake)) {
			*wake = j->not_before;
			*has_wake = 1;
		}
	}
	return NULL;
}

static void finish(struct xfs *fs, struct job *j, enum xfs_job_outcome o, uint64_t covered)
{
	static const enum xfs_counter attempt_counter[] = {
		[XFS_JOB_EXIT] = XFS_C_JOB_EXIT,	   [XFS_JOB_CRASH] = XFS_C_JOB_CRASH,
		[XFS_JOB_TIMEOUT] = XFS_C_JOB_TIMEOUT,	   [XFS_JOB_BAD_OUTPUT] = XFS_C_JOB_BAD_OUTPUT,
		[XFS_JOB_STORE] = XFS_C_JOB_STORE,	   [XFS_JOB_ERROR] = XFS_C_ERRORS,
	};
	struct xfs_sched *s = fs->sched;
	char hex[XLC_KEY_HEX + 1];

	j->running = 0;
	if (o == XFS_JOB_OK)
		xfs_count(&fs->stats, XFS_C_COMPILED, 1);
	else if (o < sizeof(attempt_counter) / sizeof(attempt_counter[0]) && attempt_counter[o])
		xfs_count(&fs->stats, attempt_counter[o], 1);

	if (o == XFS_JOB_OK || o == XFS_JOB_NOSOURCE || o == XFS_JOB_STOPPED || s->stopping) {
		if (j->again && !s->stopping && o != XFS_JOB_NOSOURCE) {
			j->again = 0;
			j->attempts = 0;
			j->not_before = after(0);
			enqueue(fs, j);
			return;
		}
		/* a job cut short by the daemon stopping is owed to the next run */
		if (o != XFS_JOB_STOPPED && !s->stopping)
			xfs_pending_done(fs, &j->key);
		xfs_keymap_del(&s->active, &j->key, 0);
		free(j);
		return;
	}
	j->attempts++;
	if (j->attempts <= fs->cfg.retries) {
		double delay = ldexp(fs->cfg.retry_delay, (int)j->attempts - 1);

		xfs_count(&fs->stats, XFS_C_RETRIES, 1);
		j->not_before = after(delay < RETRY_DELAY_MAX ? delay : RETRY_DELAY_MAX);
		enqueue(fs, j);
		return;
	}
	xlc_key_hex(&j->key, hex);
	xfs_warn("job %s: given up after %u attempts", hex, j->attempts);
	xfs_count(&fs->stats, XFS_C_FAILED, 1);
	if (j->again) {
		/* new coverage came while it failed: that is worth one more round */
		j->again = 0;
		j->attempts = 0;
		j->not_before = after(0);
		enqueue(fs, j);
		return;
	}
	struct failure *f = xfs_keymap_get(&s->failed, &j->key, 0);

	if (!f && (f = malloc(sizeof(*f))) && xfs_keymap_put(&s->failed, &j->key, 0, f) < 0) {
		free(f);
		f = NULL;
	}
	if (f)
		f->covered = covered;
	xfs_pending_done(fs, &j->key);
	xfs_keymap_del(&s->active, &j->key, 0);
	free(j);
}

static void *worker(void *arg)
{
	struct xfs *fs = arg;
	struct xfs_sched *s = fs->sched;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct timespec wake;
		int has_wake;
		struct job *j = dequeue(s, &wake, &has_wake);

		if (!j) {
			if (has_wake)
				pthread_cond_timedwait(&s->cond, &s->lock, &wake);
			else
				pthread_cond_wait(&s->cond, &s->lock);
			continue;
		}
		j->running = 1;
		xfs_count(&fs->stats, XFS_C_QUEUED, -1);
		xfs_count(&fs->stats, XFS_C_TRANSLATING, 1);
		pthread_mutex_unlock(&s->lock);

		uint64_t covered;
		enum xfs_job_outcome o = xfs_job_run(fs, &j->key, &covered);

		pthread_mutex_lock(&s->lock);
		xfs_count(&fs->stats, XFS_C_TRANSLATING, -1);
		finish(fs, j, o, covered);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int xfs_sched_start(struct xfs *fs)
{
	struct xfs_sched *s = calloc(1, sizeof(*s) + fs->cfg.jobs * sizeof(pthread_t));
	pthread_condattr_t ca;
	int r;

	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	fs->sched = s;
	for (; s->nworkers < fs->cfg.jobs; s->nworkers++) {
		r = pthread_create(&s->workers[s->nworkers], NULL, worker, fs);
		if (r) {
			xfs_sched_stop(fs);
			return -r;
		}
	}
	return 0;
}

static void free_job(void *j)
{
	free(j);
}

void xfs_sched_stop(struct xfs *fs)
{
	struct xfs_sched *s = fs->sched;

	if (!s)
		return;
	/* Running compilers see fs->stop_fd and are killed by their worker. */
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	xfs_keymap_free(&s->active, free_job);
	xfs_keymap_free(&s->failed, free);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
	fs->sched = NULL;
}

void xfs_sched_submit(struct xfs *fs, const struct xlc_key *key, uint64_t covered)
{
	struct xfs_sched *s = fs->sched;
	struct failure *f;
	struct job *j;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	f = xfs_keymap_get(&s->failed, key, 0);
	if (f && f->covered >= covered) {
		pthread_mutex_unlock(&s->lock);
		return;
	}
	free(xfs_keymap_del(&s->failed, key, 0));
	j = xfs_keymap_get(&s->active, key, 0);
	if (j) {
		/* queued: it will read the newest map when it runs */
		if (j->running)
			j->again = 1;
	} else if (!s->stopping && (j = calloc(1, sizeof(*j)))) {
		j->key = *key;
		if (xfs_keymap_put(&s->active, key, 0, j) < 0) {
			free(j);
		} else {
			/* under the lock: its end cannot clear the record first */
			xfs_pending_add(fs, key);
			j->not_before = after(0);
			enqueue(fs, j);
		}
	}
	pthread_mutex_unlock(&s->lock);
}

int xfs_sched_active(struct xfs *fs, const struct xlc_key *key)
{
	struct xfs_sched *s = fs->sched;
	int r;

	if (!s)
		return 0;
	pthread_mutex_lock(&s->lock);
	r = xfs_keymap_get(&s->active, key, 0) != NULL;
	pthread_mutex_unlock(&s->lock);
	return r;
}
