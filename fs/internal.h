/* SPDX-License-Identifier: MIT */
/* xlatefs daemon internals shared by the files of fs/ (not for other components). */
#ifndef XFS_INTERNAL_H
#define XFS_INTERNAL_H

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 14)
#endif
#include <fuse_lowlevel.h>

#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <syslog.h>

#include "cache/xlcache.h"
#include "fs/xlatefs.h"

/* ---- configuration (opts.c) -------------------------------------------- */

#define XFS_MAX_TARGETS 8

struct xfs_config {
	char *store;	  /* the image store (SOURCE or store=) */
	char *state;	  /* merged code maps; default <store>/xlatefs */
	char *spool;	  /* uploads in flight and job directories; default <state>/spool */
	char *target;	  /* the default target: rosetta's, and what jobs compile for */
	char *targets;	  /* more targets served under cache/, ':'-separated */
	char *translator; /* served as rosetta */
	char *compiler;	  /* the AOT compiler command (xlatefs.h) */
	char *share_path; /* where clients see the share, for the binfmt line */
	char *binfmt_flags;
	char *mountpoint;

	uint64_t max_size;   /* store byte budget for the cleaner (0: none) */
	uint64_t max_upload; /* bytes of one module upload */
	uint64_t max_spool;  /* bytes of all uploads and map submissions in flight */
	uint64_t max_map;    /* bytes of one map submission */
	uint64_t max_image;  /* bytes of one compiler output */
	uint64_t job_mem;    /* RLIMIT_AS of a compiler */
	unsigned max_pending; /* uploads and map submissions in flight */
	unsigned map_records; /* merged records per key */
	unsigned max_rate;    /* creates per second (and burst) */
	unsigned jobs;	      /* compiler processes at once */
	unsigned retries;     /* after the first attempt */
	double job_timeout;   /* seconds */
	double retry_delay;   /* seconds, doubled per retry */
	double cache_timeout; /* entry and attr timeout of images and fixed files */
	double negative_timeout;
	double clean_interval;
	int notify_fd; /* written "ready\n" and closed once the share is up; -1 */

	/* parsed targets: [0] is the default */
	char *target_list[XFS_MAX_TARGETS];
	unsigned ntargets;
};

/*
 * Parses and removes xlatefs's own options, the fstab-only ones and the
 * SOURCE/MOUNTPOINT arguments from args, fills cfg (defaults included)
 * and leaves the rest (-f, -d, -h, libfuse options, the mount point) for
 * libfuse. On error returns -EINVAL with a message in err.
 */
int xfs_opts_parse(struct fuse_args *args, struct xfs_config *cfg, char *err, size_t errlen);
/* Fills in defaults that depend on other options and checks consistency. */
int xfs_opts_finish(struct xfs_config *cfg, char *err, size_t errlen);
void xfs_opts_free(struct xfs_config *cfg);
void xfs_opts_help(void);

/* "10", "64k", "1.5M", "2G" (powers of 1024) into bytes. 0 or -EINVAL. */
int xfs_parse_size(const char *s, uint64_t *out);
/* "5", "0.5", "100ms", "2s", "3m", "1h", "1d" into seconds. 0 or -EINVAL. */
int xfs_parse_duration(const char *s, double *out);

/* The binfmt_misc line for a share seen at path; -EINVAL for bad flags/path. */
int xfs_binfmt_line(const char *path, const char *flags, char *out, size_t outlen);

/* ELF machine number of a target's architecture ("aarch64-v1"), or -EINVAL. */
int xfs_target_machine(const char *target);

/* ---- logging (log.c) --------------------------------------------------- */

void xfs_log_init(int to_syslog, int debug);
void xfs_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define xfs_err(...)   xfs_log(LOG_ERR, __VA_ARGS__)
#define xfs_warn(...)  xfs_log(LOG_WARNING, __VA_ARGS__)
#define xfs_info(...)  xfs_log(LOG_INFO, __VA_ARGS__)
#define xfs_debug(...) xfs_log(LOG_DEBUG, __VA_ARGS__)

/* ---- ELF checks (elfcheck.c) ------------------------------------------- */

/*
 * A module a guest uploaded: an x86-64 ELF64 executable or shared object
 * whose headers are all inside the buffer and that has executable code.
 * 0, or -ENOEXEC with a reason in *why.
 */
int xfs_elf_check_module(const void *buf, size_t len, const char **why);
/* A compiler output: an ELF64 ET_DYN object for machine, headers in bounds. */
int xfs_elf_check_image(const void *buf, size_t len, int machine, const char **why);

/* ---- code maps (codemap.c) ----------------------------------------------- */

/* A normalized map: ranges [start, end) sorted, disjoint, not touching. */
struct xfs_range {
	uint64_t start, end;
};
struct xfs_map {
	struct xfs_range *r;
	size_t n, cap;
};

/*
 * Parses a map (xlatefs.h format) into m (normalized). -EINVAL for a bad
 * header, size or record; -EFBIG for more than max_records records.
 */
int xfs_map_parse(const void *buf, size_t len, size_t max_records, struct xfs_map *m);
/* into |= add. -EFBIG (into unchanged) if the union has more than max ranges. */
int xfs_map_merge(struct xfs_map *into, const struct xfs_map *add, size_t max_ranges);
uint64_t xfs_map_covered(const struct xfs_map *m);
/* Encoded size and encoding (buffer of xfs_map_size bytes). */
size_t xfs_map_size(const struct xfs_map *m);
void xfs_map_encode(const struct xfs_map *m, uint8_t *out);
void xfs_map_free(struct xfs_map *m);

/* ---- keyed tables (keymap.c) --------------------------------------------- */

/*
 * A hash map from (key, tag) to a pointer. Keys in requests/ are names a
 * guest chose, so buckets use a hash seeded at random per process.
 */
struct xfs_kmnode;
struct xfs_keymap {
	struct xfs_kmnode **b;
	size_t nb, n;
};
void *xfs_keymap_get(const struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag);
int xfs_keymap_put(struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag, void *val);
void *xfs_keymap_del(struct xfs_keymap *m, const struct xlc_key *k, uint32_t tag);
void xfs_keymap_free(struct xfs_keymap *m, void (*free_val)(void *));
/* Calls fn for every entry, in no particular order. */
void xfs_keymap_each(const struct xfs_keymap *m,
		     void (*fn)(const struct xlc_key *k, uint32_t tag, void *val, void *arg), void *arg);

/* ---- counters (stats.c) -------------------------------------------------- */

enum xfs_counter {
	XFS_C_HITS,
	XFS_C_MISSES,
	XFS_C_UP_ACCEPTED,
	XFS_C_UP_DUPLICATE, /* EEXIST: stored already or under way */
	XFS_C_UP_HASH,	    /* rejected: XXH3-128 is not the name (a wrong hash, a truncation) */
	XFS_C_UP_ELF,	    /* rejected: not an x86-64 ELF */
	XFS_C_UP_SIZE,	    /* rejected: EFBIG */
	XFS_C_UP_QUOTA,	    /* rejected: EDQUOT (pending uploads, spool bytes) */
	XFS_C_UP_RATE,	    /* rejected: EAGAIN */
	XFS_C_UP_CONFLICT,  /* rejected: another source under a known key */
	XFS_C_UP_STORE,	    /* rejected: the store refused it (full disk, I/O) */
	XFS_C_MAP_ACCEPTED,
	XFS_C_MAP_FORMAT, /* rejected: bad header or records */
	XFS_C_MAP_SIZE,
	XFS_C_MAP_QUOTA,
	XFS_C_MAP_RATE,
	XFS_C_MAP_RECORDS, /* records received in accepted submissions */
	XFS_C_QUEUED,	   /* gauge */
	XFS_C_TRANSLATING, /* gauge */
	XFS_C_COMPILED,
	XFS_C_FAILED, /* jobs given up after their retries */
	XFS_C_RETRIES,
	XFS_C_JOB_EXIT, /* attempts: compiler exited non-zero */
	XFS_C_JOB_CRASH,
	XFS_C_JOB_TIMEOUT,
	XFS_C_JOB_BAD_OUTPUT,
	XFS_C_JOB_STORE, /* attempts: publishing the image failed */
	XFS_C_CLEANER_RUNS,
	XFS_C_CLEANER_EVICTED,
	XFS_C_INVALIDATED, /* images dropped from the kernel's cache after a store change */
	XFS_C_EXPORT_LOOKUPS,
	XFS_C_TRANSLATOR_OPENS,
	XFS_C_ERRORS,
	XFS_C_COUNT
};

struct xfs_stats {
	uint64_t c[XFS_C_COUNT];
};

static inline void xfs_count(struct xfs_stats *s, enum xfs_counter c, int64_t d)
{
	__atomic_fetch_add(&s->c[c], (uint64_t)d, __ATOMIC_RELAXED);
}

/* JSON of the counters and the store's; malloc'd, NUL-terminated. NULL on ENOMEM. */
char *xfs_stats_json(const struct xfs_stats *s, struct xlc_store *st, const char *target,
		     size_t *len);

/* ---- the node table (inode.c) -------------------------------------------- */

enum xfs_kind {
	XFS_N_ROOT = 1,
	XFS_N_ROSETTA,
	XFS_N_BINFMT,
	XFS_N_STATS,
	XFS_N_CACHE,
	XFS_N_REQUESTS,
	XFS_N_TARGET, /* cache/<target> */
	XFS_N_IMAGE,  /* cache/<target>/<key>: one published version */
	XFS_N_UPLOAD, /* requests/<key> */
	XFS_N_MAP,    /* requests/<key>.map */
};

/*
 * A node. Node ids are indices into a table that only grows: a node id stays
 * valid for the daemon's lifetime, so the kernel (and virtiofsd, with file
 * handles) may forget it and come back with a "." lookup.
 */
struct xfs_node {
	fuse_ino_t ino;
	enum xfs_kind kind;
	uint64_t nlookup; /* under the table lock */
	unsigned target;  /* XFS_N_TARGET, XFS_N_IMAGE: index into cfg.target_list */
	struct xlc_key key;
	/* XFS_N_IMAGE: the version (store file identity) and its verified fd */
	dev_t dev;
	ino_t fino;
	uint64_t off, size;
	struct timespec mtime;
	int fd; /* open while nlookup > 0; -1 otherwise */
	int invalidated; /* the kernel was told to drop its name */
	struct xfs_node *vnext; /* other versions of the same target/key */
};

/* fixed node ids */
enum {
	XFS_INO_ROOT = FUSE_ROOT_ID,
	XFS_INO_ROSETTA,
	XFS_INO_BINFMT,
	XFS_INO_STATS,
	XFS_INO_CACHE,
	XFS_INO_REQUESTS,
	XFS_INO_TARGET0, /* + target index */
};

struct xfs;
struct xfs_nodes {
	pthread_mutex_t lock;
	struct xfs_node **v; /* v[ino - 1] */
	size_t n, cap;
	struct xfs_keymap index; /* (key, kind/target) -> node (images: newest version first) */
};

int xfs_nodes_init(struct xfs *fs);
void xfs_nodes_destroy(struct xfs *fs);
/* The node for ino, or NULL. Nodes are never freed while the daemon runs. */
struct xfs_node *xfs_node_get(struct xfs *fs, fuse_ino_t ino);
/*
 * The node of an image version looked up in the store: found by file
 * identity or created; takes e->fd (closes it if the node already has one).
 * Counts one lookup. NULL on ENOMEM (e->fd closed).
 */
struct xfs_node *xfs_node_image(struct xfs *fs, unsigned target, const struct xlc_key *key,
				struct xlc_entry *e, const struct stat *sb);
/* The node of requests/<key> or requests/<key>.map (kind), created on demand; counts a lookup. */
struct xfs_node *xfs_node_request(struct xfs *fs, enum xfs_kind kind, const struct xlc_key *key);
/* One more lookup of a known node ("." and ".." and fixed nodes). */
void xfs_node_ref(struct xfs *fs, struct xfs_node *n);
/* FORGET: drops n lookups; an image node that reaches 0 closes its fd. */
void xfs_node_forget(struct xfs *fs, fuse_ino_t ino, uint64_t n);
/*
 * An image node's fd for reading (dup'd, caller closes): reopened and
 * re-verified from the store when the kernel had forgotten the node.
 * -ESTALE when the store no longer holds that version.
 */
int xfs_node_image_fd(struct xfs *fs, struct xfs_node *n);
/*
 * Re-verifies an image node after a "." lookup of a forgotten node
 * (0 or -ESTALE) and counts the lookup.
 */
int xfs_node_revive(struct xfs *fs, struct xfs_node *n);
/*
 * Calls fn for every image node the kernel knows whose store file was removed
 * or replaced (evicted, republished by another process).
 */
void xfs_nodes_stale_images(struct xfs *fs, void (*fn)(struct xfs *fs, struct xfs_node *n));

/* "<key>" (0) or "<key>.map" (1) in requests/, else -EINVAL (names.c). */
int xfs_request_name(const char *name, struct xlc_key *key);

/* ---- request intake (requests.c) ----------------------------------------- */

struct xfs_upload;
struct xfs_mapsub;

struct xfs_intake {
	pthread_mutex_t lock;
	struct xfs_keymap pending; /* key -> struct xfs_upload */
	struct xfs_mapsub *maps;   /* open map submissions */
	unsigned npending;	   /* uploads and map submissions in flight */
	uint64_t spool_bytes;
	double tokens; /* rate limit bucket */
	struct timespec refill;
	pthread_mutex_t maps_lock; /* merging maps on disk */
};

int xfs_intake_init(struct xfs *fs);
void xfs_intake_destroy(struct xfs *fs);

/* requests/<key>: 0 and *out, or -EAGAIN, -EEXIST, -EDQUOT, -errno. */
int xfs_upload_begin(struct xfs *fs, const struct xlc_key *key, struct xfs_upload **out);
/* bytes written, or -EFBIG, -EDQUOT, -errno */
ssize_t xfs_upload_write(struct xfs *fs, struct xfs_upload *u, const void *buf, size_t n,
			 off_t off);
int xfs_upload_truncate(struct xfs *fs, struct xfs_upload *u, uint64_t size);
/* Checks and stores the upload, schedules a job; frees u. */
void xfs_upload_end(struct xfs *fs, struct xfs_upload *u);
/* 1 and its size so far if key is being uploaded, else 0. */
int xfs_upload_pending(struct xfs *fs, const struct xlc_key *key, uint64_t *size);
/* The keys being uploaded (malloc'd array, *n entries); NULL with *n = 0 if none or ENOMEM. */
struct xlc_key *xfs_upload_list(struct xfs *fs, size_t *n);

/* append: writes go at the end of the submission whatever their offset (O_APPEND). */
int xfs_mapsub_begin(struct xfs *fs, const struct xlc_key *key, int append,
		     struct xfs_mapsub **out);
ssize_t xfs_mapsub_write(struct xfs *fs, struct xfs_mapsub *m, const void *buf, size_t n,
			 off_t off);
void xfs_mapsub_end(struct xfs *fs, struct xfs_mapsub *m);
/* 1 if a map submission for key is open, else 0. */
int xfs_mapsub_pending(struct xfs *fs, const struct xlc_key *key);

/* The merged map of key as stored (0, -ENOENT, -errno); m normalized. */
int xfs_maps_load(struct xfs *fs, const struct xlc_key *key, struct xfs_map *m);

/* ---- compiling (sched.c, job.c, spawn.c) ------------------------------------ */

struct xfs_sched;
int xfs_sched_start(struct xfs *fs);
void xfs_sched_stop(struct xfs *fs);
/*
 * Asks for an image of key (default target) with a map covering covered
 * bytes. Coalesces with a queued or running job of the key; ignored for a
 * key that already failed with at least that coverage.
 */
void xfs_sched_submit(struct xfs *fs, const struct xlc_key *key, uint64_t covered);
/* Non-zero while a job for key is queued, waiting to retry or running. */
int xfs_sched_active(struct xfs *fs, const struct xlc_key *key);

enum xfs_job_outcome {
	XFS_JOB_OK,
	XFS_JOB_NOSOURCE, /* the source is gone (evicted): nothing to do */
	XFS_JOB_EXIT,	  /* the compiler exited non-zero */
	XFS_JOB_CRASH,	  /* ... or was killed by a signal */
	XFS_JOB_TIMEOUT,
	XFS_JOB_BAD_OUTPUT,
	XFS_JOB_STORE, /* publishing failed */
	XFS_JOB_ERROR, /* the daemon could not set the job up */
	XFS_JOB_STOPPED,
};
/* Runs one compile of key for the default target; *covered: the map's coverage. */
enum xfs_job_outcome xfs_job_run(struct xfs *fs, const struct xlc_key *key, uint64_t *covered);
/* At start: removes what a killed daemon left in the spool; locks it shared. */
void xfs_spool_sweep(struct xfs *fs);

/* The journal of owed jobs (pending.c): <state>/pending/<key>. */
int xfs_pending_open(struct xfs *fs);
void xfs_pending_add(struct xfs *fs, const struct xlc_key *key);
void xfs_pending_done(struct xfs *fs, const struct xlc_key *key);
/* Submits every journaled job (after xfs_sched_start); returns how many. */
unsigned xfs_pending_resume(struct xfs *fs);

struct xfs_spawn {
	const char *const *argv;
	int dirfd;   /* working directory */
	int logfd;   /* stdout and stderr */
	uint64_t mem; /* RLIMIT_AS, 0: none */
	double timeout;
	int stopfd; /* readable: stop now */
};
enum xfs_spawn_end { XFS_SPAWN_EXITED, XFS_SPAWN_SIGNALED, XFS_SPAWN_TIMEOUT, XFS_SPAWN_STOPPED };
/*
 * Runs argv in its own process group under the limits and waits; on a
 * timeout or a stop, kills the whole group. 0 with *end and *status
 * (exit status or signal), or -errno if it could not start.
 */
int xfs_spawn_wait(const struct xfs_spawn *sp, enum xfs_spawn_end *end, int *status);

/* ---- the cleaner and SIGUSR1 (housekeep.c) --------------------------------- */

int xfs_housekeep_start(struct xfs *fs);
void xfs_housekeep_stop(struct xfs *fs);
/* Asks for a cleaner pass soon (after a publish, or ENOSPC). */
void xfs_housekeep_kick(struct xfs *fs);
/* Tells the kernel to forget cache/<target>/<key> (a new version or gone). */
void xfs_invalidate_image(struct xfs *fs, unsigned target, const struct xlc_key *key);

/* ---- the daemon ------------------------------------------------------------ */

struct xfs {
	struct xfs_config cfg;
	struct xlc_store *store;
	struct fuse_session *se;
	int state_fd; /* cfg.state */
	int spool_fd; /* cfg.spool */
	int pending_fd; /* <state>/pending */
	int stop_fd;  /* eventfd: readable once the daemon stops */
	int machine;  /* ELF machine of the default target */

	int translator_fd;
	struct stat translator_st;
	char binfmt[512];
	size_t binfmt_len;

	uint64_t generation; /* of every node id: the daemon's start time */
	struct timespec start;
	uid_t uid;
	gid_t gid;

	struct xfs_nodes nodes;
	struct xfs_intake intake;
	struct xfs_sched *sched;
	struct xfs_housekeep *hk;
	struct xfs_stats stats;
};

int xfs_setup(struct xfs *fs);
void xfs_teardown(struct xfs *fs);

/* The FUSE operations (ops.c and ops_*.c). */
extern const struct fuse_lowlevel_ops xfs_ops;

#endif /* XFS_INTERNAL_H */
