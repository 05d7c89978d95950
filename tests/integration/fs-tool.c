/* SPDX-License-Identifier: MIT */
/*
 * fs-tool: what the share's shell tests cannot do with standard tools.
 *
 *   mkelf OUT SEED [SIZE]        a minimal x86-64 executable (exits SEED & 127 natively),
 *                                padded with SEED-derived bytes to SIZE
 *   put PATH FILE [BYTES]        exclusive create PATH, write FILE (its first BYTES), close
 *   race PATH FILE N             N threads create PATH exclusively at once; the one that
 *                                wins writes FILE; prints ok= eexist= other=
 *   map PATH [--append] OFF:LEN...  one code-map submission (fs/xlatefs.h)
 *   raw PATH FILE                FILE's bytes as one submission (open, write, close)
 *   verify FILE [KEY]            FILE is a whole fake-xlatec image (of module KEY)
 *   readers FILE N STOP          N threads read FILE whole, again and again, until the
 *                                file STOP exists; prints ok= missing= bad= versions=
 *                                (distinct images seen); fails if bad
 *   handle-save PATH OUT         name_to_handle_at(PATH) into OUT
 *   handle-open DIR HANDLE OUT   open_by_handle_at on the mount of DIR, copy into OUT
 *
 * Errors print as the errno name (EEXIST, EFBIG, ...) so tests can match them.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fs/xlatefs.h"

static int fail_errno(const char *what)
{
	int e = errno;

	printf("%s: %s\n", what, strerrorname_np(e) ? strerrorname_np(e) : "?");
	return 1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat sb;
	uint8_t *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && fstat(fd, &sb) == 0 && (buf = malloc((size_t)sb.st_size + 1))) {
		size_t got = 0;
		ssize_t n;

		while (got < (size_t)sb.st_size && (n = read(fd, buf + got, (size_t)sb.st_size - got)) > 0)
			got += (size_t)n;
		*len = got;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n < 65536 ? n : 65536);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int cmd_mkelf(int argc, char **argv)
{
	unsigned seed = (unsigned)strtoul(argv[1], NULL, 0);
	size_t size = argc > 2 ? strtoul(argv[2], NULL, 0) : 256;
	size_t hdrs = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr);
	/* mov edi, imm32; mov eax, 60 (exit); syscall */
	uint8_t code[] = {0xbf, (uint8_t)(seed & 127), 0, 0, 0, 0xb8, 60, 0, 0, 0, 0x0f, 0x05};
	uint8_t *img;
	FILE *f;

	if (size < hdrs + sizeof(code))
		size = hdrs + sizeof(code);
	img = calloc(1, size);
	Elf64_Ehdr eh = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = 0x400000 + hdrs,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = 1,
	};
	Elf64_Phdr ph = {
		.p_type = PT_LOAD,
		.p_flags = PF_R | PF_X,
		.p_vaddr = 0x400000,
		.p_paddr = 0x400000,
		.p_filesz = size,
		.p_memsz = size,
		.p_align = 0x1000,
	};
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + sizeof(eh), &ph, sizeof(ph));
	memcpy(img + hdrs, code, sizeof(code));
	for (size_t i = hdrs + sizeof(code); i < size; i++)
		img[i] = (uint8_t)(seed * 2654435761u >> ((i % 4) * 8)) ^ (uint8_t)i;
	f = fopen(argv[0], "wb");
	if (!f || fwrite(img, size, 1, f) != 1 || fclose(f) != 0)
		return fail_errno("mkelf");
	chmod(argv[0], 0755);
	free(img);
	return 0;
}

static int cmd_put(int argc, char **argv)
{
	size_t len;
	uint8_t *data = slurp(argv[1], &len);
	int fd;

	if (!data)
		return fail_errno("read");
	if (argc > 2 && strtoul(argv[2], NULL, 0) < len)
		len = strtoul(argv[2], NULL, 0);
	fd = open(argv[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail_errno("open");
	if (write_all(fd, data, len) < 0)
		return fail_errno("write");
	if (close(fd) < 0)
		return fail_errno("close");
	printf("ok\n");
	free(data);
	return 0;
}

struct race {
	const char *path;
	const uint8_t *data;
	size_t len;
	pthread_barrier_t go;
	int ok, eexist, other;
	pthread_mutex_t lock;
};

static void *racer(void *arg)
{
	struct race *r = arg;
	int fd, e;

	pthread_barrier_wait(&r->go);
	fd = open(r->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	e = errno;
	if (fd >= 0 && (write_all(fd, r->data, r->len) < 0 || close(fd) < 0)) {
		e = errno;
		fd = -1;
	}
	pthread_mutex_lock(&r->lock);
	if (fd >= 0)
		r->ok++;
	else if (e == EEXIST)
		r->eexist++;
	else {
		if (!r->other)
			printf("first other error: %s\n", strerrorname_np(e));
		r->other++;
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static int cmd_race(int argc, char **argv)
{
	struct race r = {.path = argv[0], .lock = PTHREAD_MUTEX_INITIALIZER};
	unsigned n = (unsigned)strtoul(argv[2], NULL, 0);
	pthread_t *t = calloc(n, sizeof(*t));

	r.data = slurp(argv[1], &r.len);
	if (!r.data || !t)
		return fail_errno("race");
	pthread_barrier_init(&r.go, NULL, n);
	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&t[i], NULL, racer, &r))
			return fail_errno("pthread_create");
	for (unsigned i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("ok=%d eexist=%d other=%d\n", r.ok, r.eexist, r.other);
	return 0;
}

static int submit(const char *path, int flags, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0600);

	if (fd < 0)
		return fail_errno("open");
	if (write_all(fd, buf, len) < 0)
		return fail_errno("write");
	if (close(fd) < 0)
		return fail_errno("close");
	printf("ok\n");
	return 0;
}

static int cmd_map(int argc, char **argv)
{
	int flags = 0, first = 1;
	uint8_t *buf = malloc(XLATEFS_MAP_HEADER_SIZE + (size_t)argc * XLATEFS_MAP_RECORD_SIZE);
	size_t len = XLATEFS_MAP_HEADER_SIZE;

	if (argc > 1 && !strcmp(argv[1], "--append")) {
		flags = O_APPEND;
		first = 2;
	}
	xlatefs_map_put_header(buf);
	for (int i = first; i < argc; i++) {
		unsigned long off, l;

		if (sscanf(argv[i], "%li:%li", &off, &l) != 2)
			return fprintf(stderr, "bad range %s\n", argv[i]), 2;
		xlatefs_map_put_record(buf + len, (uint32_t)off, (uint32_t)l);
		len += XLATEFS_MAP_RECORD_SIZE;
	}
	return submit(argv[0], flags, buf, len);
}

static int cmd_raw(int argc, char **argv)
{
	size_t len;
	uint8_t *data = slurp(argv[1], &len);

	return data ? submit(argv[0], 0, data, len) : fail_errno("read");
}

/* 0 if buf is a whole fake-xlatec image (of module key, if given). */
static int check_image(const uint8_t *buf, size_t len, const char *key)
{
	XXH128_canonical_t c;
	char want[80];

	if (len < 64 + 16)
		return -1;
	XXH128_canonicalFromHash(&c, XXH3_128bits(buf, len - 16));
	if (memcmp(c.digest, buf + len - 16, 16) != 0)
		return -1;
	snprintf(want, sizeof(want), "\nmodule=%s\n", key ? key : "");
	return key && !memmem(buf, len, want, strlen(want)) ? -1 : 0;
}

static int cmd_verify(int argc, char **argv)
{
	size_t len;
	uint8_t *data = slurp(argv[0], &len);

	if (!data)
		return fail_errno("open");
	if (check_image(data, len, argc > 1 ? argv[1] : NULL) < 0) {
		printf("bad image: %s (%zu bytes)\n", argv[0], len);
		return 1;
	}
	printf("ok\n");
	free(data);
	return 0;
}

struct readers {
	const char *path, *stop;
	unsigned long ok, missing, bad;
	uint8_t seen[64][16]; /* trailers of the distinct versions read */
	unsigned versions;
	pthread_mutex_t lock;
};

/* Lock held. */
static void saw_version(struct readers *r, const uint8_t *trailer)
{
	for (unsigned i = 0; i < r->versions; i++)
		if (!memcmp(r->seen[i], trailer, 16))
			return;
	if (r->versions < 64)
		memcpy(r->seen[r->versions++], trailer, 16);
}

static void *reader(void *arg)
{
	struct readers *r = arg;

	while (access(r->stop, F_OK) != 0) {
		size_t len;
		uint8_t *data = slurp(r->path, &len);
		int res = !data ? (errno == ENOENT ? 1 : 2) : check_image(data, len, NULL) ? 2 : 0;

		pthread_mutex_lock(&r->lock);
		if (res == 0) {
			r->ok++;
			saw_version(r, data + len - 16);
		} else if (res == 1)
			r->missing++;
		else {
			if (!r->bad)
				fprintf(stderr, "readers: bad read of %s (%s)\n", r->path,
					data ? "content" : strerrorname_np(errno));
			r->bad++;
		}
		pthread_mutex_unlock(&r->lock);
		free(data);
	}
	return NULL;
}

static int cmd_readers(int argc, char **argv)
{
	struct readers r = {.path = argv[0], .stop = argv[2], .lock = PTHREAD_MUTEX_INITIALIZER};
	unsigned n = (unsigned)strtoul(argv[1], NULL, 0);
	pthread_t t[64];

	if (n > 64)
		n = 64;
	for (unsigned i = 0; i < n; i++)
		pthread_create(&t[i], NULL, reader, &r);
	for (unsigned i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("ok=%lu missing=%lu bad=%lu versions=%u\n", r.ok, r.missing, r.bad, r.versions);
	return r.bad ? 1 : 0;
}

static int cmd_handle_save(int argc, char **argv)
{
	struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
	int mount_id;
	FILE *f;

	h->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, argv[0], h, &mount_id, 0) < 0)
		return fail_errno("name_to_handle_at");
	f = fopen(argv[1], "wb");
	if (!f || fwrite(h, sizeof(*h) + h->handle_bytes, 1, f) != 1 || fclose(f))
		return fail_errno("save");
	free(h);
	printf("ok\n");
	return 0;
}

static int cmd_handle_open(int argc, char **argv)
{
	size_t len;
	uint8_t *h = slurp(argv[1], &len), *data;
	int mfd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd, out;
	ssize_t n;

	if (!h || mfd < 0)
		return fail_errno("open");
	fd = open_by_handle_at(mfd, (struct file_handle *)h, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno("open_by_handle_at");
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	data = malloc(65536);
	while ((n = read(fd, data, 65536)) > 0)
		if (write_all(out, data, (size_t)n) < 0)
			return fail_errno("write");
	if (n < 0)
		return fail_errno("read");
	close(out);
	close(fd);
	close(mfd);
	free(data);
	free(h);
	printf("ok\n");
	return 0;
}

// clang-format off
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	int min_args;
} cmds[] = {
	{"mkelf",	cmd_mkelf,	2},
	{"put",		cmd_put,	2},
	{"race",	cmd_race,	3},
	{"map",		cmd_map,	1},
	{"raw",		cmd_raw,	2},
	{"verify",	cmd_verify,	1},
	{"readers",	cmd_readers,	3},
	{"handle-save",	cmd_handle_save, 2},
	{"handle-open",	cmd_handle_open, 3},
};
// clang-format on

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 >= cmds[i].min_args)
			return cmds[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "usage: fs-tool mkelf|put|race|map|raw|verify|readers|handle-save|handle-open ...\n"
			"(see the comment at the top of fs-tool.c)\n");
	return 2;
}
