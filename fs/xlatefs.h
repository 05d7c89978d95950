/* SPDX-License-Identifier: MIT */
/*
 * xlatefs — the share's public interface: what a client (the translator
 * runtime, tools, tests) needs to find things in a mounted share and to
 * submit work to it. See DESIGN.md, "Names in the share" and "Lazy,
 * on-demand translation".
 *
 * Header-only and libc-only, so the static translator and its aarch64 cross
 * build include it as they are.
 *
 *   <share>/rosetta                 the translator for the share's target
 *   <share>/binfmt                  the binfmt_misc registration line
 *   <share>/cache/<target>/<key>    pretranslated images (read-only)
 *   <share>/requests/<key>          upload of a module (exclusive create)
 *   <share>/requests/<key>.map      code-map submissions for that module
 *   <share>/stats                   JSON counters
 *
 * <key> is 32 lowercase hex digits: XXH3-128 (seed 0) of the module's bytes,
 * as `xxhsum -H2` prints it (cache/xlcache.h computes it).
 *
 * Submitting a module: open("requests/<key>", O_WRONLY | O_CREAT | O_EXCL),
 * write the module's bytes, close. EEXIST: the share already has the source
 * or someone is uploading it (nothing to do). EFBIG: larger than the share
 * accepts. EDQUOT: too many uploads in flight. EAGAIN: too many requests
 * per second (try again later). The share checks the upload after close
 * (size, hash equals name, x86-64 ELF); a bad one is dropped and counted.
 *
 * Submitting a code map: open("requests/<key>.map", O_WRONLY | O_CREAT |
 * O_APPEND), write one struct xlatefs_map_header followed by records, close.
 * Each open..close is one submission, checked as a whole after close and
 * merged with every earlier submission for the key. Several processes may
 * submit maps for one key at once. Errors as for modules; EFBIG when one
 * submission exceeds the per-submission size, EDQUOT when the key's merged
 * map is full.
 */
#ifndef XLATEFS_H
#define XLATEFS_H

#include <stddef.h>
#include <stdint.h>

/* ---- names ------------------------------------------------------------ */

#define XLATEFS_ROSETTA	     "rosetta"
#define XLATEFS_BINFMT	     "binfmt"
#define XLATEFS_CACHE_DIR    "cache"
#define XLATEFS_REQUESTS_DIR "requests"
#define XLATEFS_STATS	     "stats"
#define XLATEFS_MAP_SUFFIX   ".map"

/* The usual mount point (Apple's share is mounted there too). */
#define XLATEFS_MOUNTPOINT "/media/rosetta"

/* ---- targets ------------------------------------------------------------ */

/*
 * A target names the host architecture an image runs on and the image ABI
 * version: "<arch>-v<abi>", e.g. "aarch64-v1". The ABI version changes
 * whenever the image format or the semantics change; an image of another
 * version is never used.
 */
#define XLATEFS_IMAGE_ABI 1

#define XLATEFS_STR_(x) #x
#define XLATEFS_STR(x)	XLATEFS_STR_(x)

#define XLATEFS_ARCH_AARCH64 "aarch64"
#define XLATEFS_ARCH_X86_64  "x86_64"
#define XLATEFS_TARGET_AARCH64 XLATEFS_ARCH_AARCH64 "-v" XLATEFS_STR(XLATEFS_IMAGE_ABI)
#define XLATEFS_TARGET_X86_64  XLATEFS_ARCH_X86_64 "-v" XLATEFS_STR(XLATEFS_IMAGE_ABI)

#if defined(__aarch64__)
#define XLATEFS_HOST_ARCH XLATEFS_ARCH_AARCH64
#elif defined(__x86_64__)
#define XLATEFS_HOST_ARCH XLATEFS_ARCH_X86_64
#else
#error "xlatefs: hosts are aarch64 or x86_64"
#endif
/* The target of images this build's host runs. */
#define XLATEFS_HOST_TARGET XLATEFS_HOST_ARCH "-v" XLATEFS_STR(XLATEFS_IMAGE_ABI)

/* Longest target name (the store's limit, cache/xlcache.h XLC_TARGET_MAX). */
#define XLATEFS_TARGET_MAX 31

/* ---- binfmt_misc registration ------------------------------------------ */

/*
 * The x86-64 ELF executable magic and mask (Apple's): ELFCLASS64, LSB,
 * EV_CURRENT, any OS ABI (SYSV or GNU), ABI version 0, ET_EXEC or ET_DYN,
 * EM_X86_64. The share serves ":rosetta:M::MAGIC:MASK:<share>/rosetta:FLAGS".
 */
#define XLATEFS_BINFMT_NAME "rosetta"
#define XLATEFS_BINFMT_MAGIC                                                                       \
	"\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x3e\\x00"
#define XLATEFS_BINFMT_MASK                                                                        \
	"\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff"
#define XLATEFS_BINFMT_FLAGS "CF"

/* ---- limits a client can rely on (the daemon's defaults; -o changes them) */

#define XLATEFS_DEFAULT_MAX_UPLOAD  (256ull << 20) /* bytes of one module */
#define XLATEFS_DEFAULT_MAX_PENDING 64		    /* uploads in flight */
#define XLATEFS_DEFAULT_MAX_SPOOL   (1ull << 30)    /* bytes of uploads in flight */
#define XLATEFS_DEFAULT_MAX_MAP	    (1ull << 20)    /* bytes of one map submission */
#define XLATEFS_DEFAULT_MAP_RECORDS 262144	    /* merged records per key */
#define XLATEFS_DEFAULT_MAX_RATE    200		    /* creates per second (burst: as many) */

/* ---- code maps ------------------------------------------------------------ */

/*
 * A code map says which guest code of a module ran: byte ranges of the
 * module's virtual address space as linked (ELF p_vaddr space), that is, the
 * guest address minus the module's load bias (0 for ET_EXEC). All fields are
 * little-endian. A submission and a merged map on disk (what the compiler is
 * given with --map) have the same form: one header, then records.
 *
 * Records: 1 <= length, offset + length <= 2^32, any order, overlaps allowed
 * in a submission. A merged map holds records sorted by offset, with no two
 * overlapping or touching (they are coalesced; only a range longer than
 * 2^32 - 1 bytes is written as two touching records).
 */
#define XLATEFS_MAP_MAGIC   0x504d4c58u /* "XLMP" as little-endian bytes */
#define XLATEFS_MAP_VERSION 1

struct xlatefs_map_header {
	uint32_t magic;	      /* XLATEFS_MAP_MAGIC */
	uint16_t version;     /* XLATEFS_MAP_VERSION */
	uint16_t record_size; /* sizeof(struct xlatefs_map_record) */
};

struct xlatefs_map_record {
	uint32_t offset; /* first byte, relative to the load bias */
	uint32_t length; /* bytes */
};

#define XLATEFS_MAP_HEADER_SIZE 8
#define XLATEFS_MAP_RECORD_SIZE 8

_Static_assert(sizeof(struct xlatefs_map_header) == XLATEFS_MAP_HEADER_SIZE, "map header");
_Static_assert(sizeof(struct xlatefs_map_record) == XLATEFS_MAP_RECORD_SIZE, "map record");

static inline void xlatefs_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t xlatefs_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Encodes the header of a version-1 map into out[XLATEFS_MAP_HEADER_SIZE]. */
static inline void xlatefs_map_put_header(uint8_t *out)
{
	xlatefs_put_le32(out, XLATEFS_MAP_MAGIC);
	out[4] = (uint8_t)XLATEFS_MAP_VERSION;
	out[5] = (uint8_t)(XLATEFS_MAP_VERSION >> 8);
	out[6] = (uint8_t)XLATEFS_MAP_RECORD_SIZE;
	out[7] = (uint8_t)(XLATEFS_MAP_RECORD_SIZE >> 8);
}

/* Encodes one record into out[XLATEFS_MAP_RECORD_SIZE]. */
static inline void xlatefs_map_put_record(uint8_t *out, uint32_t offset, uint32_t length)
{
	xlatefs_put_le32(out, offset);
	xlatefs_put_le32(out + 4, length);
}

/* ---- the compiler interface (xlatec) -------------------------------------- */

/*
 * The daemon runs the AOT compiler as
 *
 *     COMPILER --target TARGET [--map MAPFILE] -o OUTFILE MODULE
 *
 * in a private directory, with stdin /dev/null, stdout and stderr captured,
 * in its own process group, under a time and an address-space limit.
 * MODULE is the verified module; MAPFILE, when given, its merged code map in
 * the form above. Success is exit status 0 with OUTFILE written: an ELF64
 * ET_DYN object for TARGET's architecture, which the daemon then publishes
 * as cache/TARGET/<key>. Anything else costs that job (it is retried with
 * backoff, a few times).
 */

#endif /* XLATEFS_H */
