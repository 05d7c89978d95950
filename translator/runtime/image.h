/* image.h — pretranslated images in the runtime: finding them (share or
 * local store), mapping them, running their code, recording and submitting
 * code maps. See translator/aot/xlimage.h for the image format and
 * DESIGN.md, "Lazy, on-demand translation".
 *
 * The XLATE_* options are documented where they are read: image.c.
 */
#ifndef XLATE_RUNTIME_IMAGE_H
#define XLATE_RUNTIME_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "translator/aot/xlimage.h"
#include "translator/x86/x86.h"

/* The runtime calls image_mapped, image_forget and image_exit through weak
 * references (checking them for NULL), so that its unit tests, which link
 * the runtime without main.c, do without the images; image_init from
 * main.c brings them in. */

/* ---- image.c: options, startup, exit ---- */

struct image_opts {
	bool enabled;  /* look up and run images */
	bool require;  /* a module without an image is fatal */
	bool submit;   /* submit modules and maps to the share */
	unsigned wait; /* seconds to wait for a missing image */
	bool summary;  /* count for the summary */
};
extern struct image_opts image_opts;

/* Reads the options (none when `secure`), finds the share, installs the
 * interpreter hooks. `self` is the translator's own path. */
void image_init(bool secure);
/* Submits what is pending and prints the summary: at exit_group and
 * before execve. Safe to call more than once. */
void image_exit(void) __attribute__((weak));
/* Around fork(2) (sys_proc.c): the module table's lock, taken so that
 * the child's copy is consistent (another thread may hold it at any
 * block boundary), then released in the parent and made anew in the
 * child, whose summary counts start from zero. Weak like the above. */
void image_fork_prepare(void) __attribute__((weak));
void image_fork_parent(void) __attribute__((weak));
void image_fork_child(void) __attribute__((weak));

/* ---- image_module.c: the guest's modules ---- */

/* A guest file mapping with PROT_EXEC at [addr, addr + len) of file offset
 * `off`: if fd holds an x86-64 module, track it and bind its image. */
void image_mapped(int fd, uint64_t addr, uint64_t len, uint64_t off) __attribute__((weak));
/* Guest memory in [start, end) changed (unmapped, reprotected, written):
 * modules whose code lies there lose their images. */
void image_forget(uint64_t start, uint64_t end) __attribute__((weak));
/* Sends the code maps (then the modules that had no image) to the share. */
void image_modules_submit(void);
/* Image hits and misses, and what translated code ran (counted only
 * with a summary). */
struct image_totals {
	uint64_t hits, misses;
	uint64_t insns, blocks;
};
void image_modules_totals(struct image_totals *t);
/* One line per module, for the summary. */
void image_modules_summary(FILE *f);

/* ---- image_load.c: mapping an image ---- */

struct loaded_image {
	uint8_t *base;
	uint64_t span;
	const struct xlimage_header *h;
	const struct xlimage_region *regions;
	const struct xlimage_entry *entries;
	uint32_t nregions, nentries;
};

/* Maps the image held in bytes [off, off + size) of fd (off page-aligned),
 * relocates it, checks it is for this translator build and for module
 * `key`, and binds it to load bias `bias`; its code counts the
 * instructions it runs when `counting`. 0, or -1 with *why. */
int image_load(int fd, uint64_t off, uint64_t size, const uint8_t key[XLIMAGE_KEY_BYTES],
	       uint64_t bias, bool counting, struct loaded_image *img, const char **why);
/* The entry at module offset `off`, or NULL. */
const struct xlimage_entry *image_entry(const struct loaded_image *img, uint64_t off);

/* image_exports.c: the runtime functions images may call, by name. */
void *image_export(const char *name);

/* ---- image_dispatch.c: running translated code ---- */

/* The lookup translated code calls for indirect transfers (an export). */
struct xl_target xl_lookup(uint64_t rip);

/* x86_hooks.run_translated: runs translated code from cpu->rip for as
 * long as there is some. 0 when the interpreter must go on at cpu->rip,
 * else an enum x86_exit. */
int image_run(struct cpu *cpu);
/* The module list changed: every thread's lookup cache is stale. */
void image_lookup_flush(void);

/* Where the module table answers a lookup (image_module.c): the translated
 * entry for `rip`, or fn NULL; a miss in a tracked module records `rip`
 * in its code map. Takes the module lock. */
struct xl_target image_module_lookup(uint64_t rip);

/* ---- statistics (image_dispatch.c) ---- */

/* Faults in translated code this process replayed in the interpreter. */
uint64_t image_replays(void);
/* In a fork child: the count starts from zero (each process's summary
 * is its own work). */
void image_replays_fork_child(void);

/* ---- codemap.c: what ran in the interpreter, per module ---- */

struct codemap {
	uint32_t *off; /* block starts (module offsets), unsorted, no duplicates */
	size_t n, cap, submitted;
	uint32_t *slot; /* open-addressing set over off (+1) */
	size_t nslot;
};
/* Adds a block start; false if it was known. */
bool codemap_add(struct codemap *m, uint32_t off);
/* Encodes the records not yet submitted (fs/xlatefs.h format) into a
 * malloc'd buffer; *len 0 when there is nothing new. */
uint8_t *codemap_encode(const struct codemap *m, size_t *len);
void codemap_mark_submitted(struct codemap *m);
void codemap_free(struct codemap *m);

/* ---- share_client.c: the share (or a local store) ---- */

/* Finds the share: XLATE_SHARE when allowed, else the directory the
 * translator was started from when it looks like a share. */
void share_init(bool secure, const char *store_dir);
bool share_present(void);
/* Opens the image for key: 0 with fd, offset and size of its bytes, or
 * -ENOENT. */
int share_find_image(const uint8_t key[XLIMAGE_KEY_BYTES], int *fd, uint64_t *off, uint64_t *size);
/* requests/<key>: the module's bytes from `path` (checked against the key
 * and size). 0, or -errno; -EEXIST means the share has it. */
int share_submit_module(const uint8_t key[XLIMAGE_KEY_BYTES], const char *path, uint64_t size);
/* requests/<key>.map: one submission. */
int share_submit_map(const uint8_t key[XLIMAGE_KEY_BYTES], const uint8_t *buf, size_t len);

#endif
