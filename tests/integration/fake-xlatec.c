/* SPDX-License-Identifier: MIT */
/*
 * fake-xlatec: a TEST DOUBLE of the AOT compiler, for the share's tests until
 * (and besides) the real xlatec. It implements the compiler command
 * interface of fs/xlatefs.h exactly:
 *
 *     fake-xlatec --target TARGET [--map MAPFILE] -o OUTFILE MODULE
 *
 * and writes a deterministic, self-checking "image" (it translates nothing):
 * an ELF64 ET_DYN header for TARGET's machine, a text block naming the
 * target, the module's key and the map's coverage, padding, and a trailer
 * holding the XXH3-128 of everything before it (fs-tool verify checks it).
 *
 * FAKE_XLATEC_MODE (or the first word of the file FAKE_XLATEC_MODE_FILE, so
 * one daemon can meet several behaviours) picks one: ok (default), fail (exit 1), crash
 * (SIGSEGV), hang (with a child in its process group; pids written to
 * FAKE_XLATEC_PIDS), garbage (non-ELF output), noout (exit 0, no output),
 * wrongarch (an image for another machine), bigmem (reserves
 * FAKE_XLATEC_BIGMEM bytes, default 256M, and exits 3 when the address-space
 * limit refuses them), flaky (fails the first FAKE_XLATEC_FLAKY runs, counted
 * in the file FAKE_XLATEC_COUNTER). FAKE_XLATEC_LOG gets one line per run;
 * FAKE_XLATEC_GATE names a FIFO read (one line) before any output is
 * written; FAKE_XLATEC_PAD pads images to at least that many bytes.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "fs/xlatefs.h"

static void die(const char *msg)
{
	fprintf(stderr, "fake-xlatec: %s\n", msg);
	exit(2);
}

static const char *get_mode(void)
{
	static char word[32];
	const char *file = getenv("FAKE_XLATEC_MODE_FILE");
	FILE *f;

	if (file && (f = fopen(file, "r"))) {
		int ok = fscanf(f, "%31s", word) == 1;

		fclose(f);
		if (ok)
			return word;
	}
	return getenv("FAKE_XLATEC_MODE") ? getenv("FAKE_XLATEC_MODE") : "ok";
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat sb;
	uint8_t *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &sb) < 0)
		die("cannot open an input");
	buf = malloc((size_t)sb.st_size + 1);
	if (!buf || read(fd, buf, (size_t)sb.st_size) != sb.st_size)
		die("cannot read an input");
	close(fd);
	*len = (size_t)sb.st_size;
	return buf;
}

static int machine_of(const char *target)
{
	if (!strncmp(target, XLATEFS_ARCH_AARCH64 "-", strlen(XLATEFS_ARCH_AARCH64) + 1))
		return EM_AARCH64;
	if (!strncmp(target, XLATEFS_ARCH_X86_64 "-", strlen(XLATEFS_ARCH_X86_64) + 1))
		return EM_X86_64;
	die("unknown target");
	return 0;
}

static void log_run(const char *mode, const char *target, const char *key, uint64_t covered)
{
	const char *path = getenv("FAKE_XLATEC_LOG");
	char line[256];
	int fd, n;

	if (!path)
		return;
	n = snprintf(line, sizeof(line), "%s %s %s %" PRIu64 "\n", mode, target, key, covered);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		if (write(fd, line, (size_t)n) != n)
			die("cannot log");
		close(fd);
	}
}

/* The map's ranges as text, and its coverage. */
static char *describe_map(const char *path, uint64_t *covered)
{
	char *text = NULL;
	size_t tl = 0, len;
	FILE *f = open_memstream(&text, &tl);
	uint8_t *m;

	*covered = 0;
	if (!path) {
		fprintf(f, "map=none\n");
		fclose(f);
		return text;
	}
	m = slurp(path, &len);
	if (len < XLATEFS_MAP_HEADER_SIZE || xlatefs_get_le32(m) != XLATEFS_MAP_MAGIC ||
	    (len - XLATEFS_MAP_HEADER_SIZE) % XLATEFS_MAP_RECORD_SIZE)
		die("bad map");
	for (size_t o = XLATEFS_MAP_HEADER_SIZE; o < len; o += XLATEFS_MAP_RECORD_SIZE) {
		uint32_t off = xlatefs_get_le32(m + o), l = xlatefs_get_le32(m + o + 4);

		fprintf(f, "range=%" PRIx32 "+%" PRIx32 "\n", off, l);
		*covered += l;
	}
	fprintf(f, "map_covered=%" PRIu64 "\n", *covered);
	fclose(f);
	free(m);
	return text;
}

static int flaky_should_fail(void)
{
	const char *path = getenv("FAKE_XLATEC_COUNTER");
	long limit = atol(getenv("FAKE_XLATEC_FLAKY") ? getenv("FAKE_XLATEC_FLAKY") : "1"),
	     runs = 0;
	FILE *f;

	if (!path)
		die("flaky needs FAKE_XLATEC_COUNTER");
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%ld", &runs) != 1)
			runs = 0;
		fclose(f);
	}
	f = fopen(path, "w");
	if (!f)
		die("cannot write the counter");
	fprintf(f, "%ld\n", runs + 1);
	fclose(f);
	return runs < limit;
}

static void hang(void)
{
	const char *path = getenv("FAKE_XLATEC_PIDS");
	pid_t child = fork();
	FILE *f;

	if (child == 0)
		for (;;)
			pause();
	if (path && (f = fopen(path, "w"))) {
		fprintf(f, "%ld %ld\n", (long)getpid(), (long)child);
		fclose(f);
	}
	for (;;)
		pause();
}

static void pass_gate(void)
{
	const char *gate = getenv("FAKE_XLATEC_GATE");
	char c;
	int fd;

	if (!gate)
		return;
	fd = open(gate, O_RDONLY);
	if (fd < 0)
		die("cannot open the gate");
	while (read(fd, &c, 1) == 1 && c != '\n')
		;
	close(fd);
}

static void write_out(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd) < 0)
		die("cannot write the output");
}

int main(int argc, char **argv)
{
	const char *target = NULL, *map = NULL, *out = NULL, *module = NULL;
	const char *mode = get_mode();
	uint64_t covered,
		pad = getenv("FAKE_XLATEC_PAD") ? strtoull(getenv("FAKE_XLATEC_PAD"), NULL, 0) : 0;
	char key[33], *maptext, *text = NULL;
	size_t mlen, tl = 0;
	uint8_t *mod, *img;
	XXH128_canonical_t c;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--target") && i + 1 < argc)
			target = argv[++i];
		else if (!strcmp(argv[i], "--map") && i + 1 < argc)
			map = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else if (argv[i][0] != '-' && !module)
			module = argv[i];
		else
			die("usage: fake-xlatec --target TARGET [--map MAPFILE] -o OUTFILE MODULE");
	}
	if (!target || !out || !module)
		die("usage: fake-xlatec --target TARGET [--map MAPFILE] -o OUTFILE MODULE");

	mod = slurp(module, &mlen);
	XXH128_canonicalFromHash(&c, XXH3_128bits(mod, mlen));
	for (int i = 0; i < 16; i++)
		snprintf(key + 2 * i, 3, "%02x", c.digest[i]);
	maptext = describe_map(map, &covered);
	log_run(mode, target, key, covered);
	pass_gate();

	if (!strcmp(mode, "fail"))
		return 1;
	if (!strcmp(mode, "crash"))
		raise(SIGSEGV);
	if (!strcmp(mode, "hang"))
		hang();
	if (!strcmp(mode, "flaky") && flaky_should_fail())
		return 1;
	if (!strcmp(mode, "noout"))
		return 0;
	if (!strcmp(mode, "garbage")) {
		for (size_t i = 0; i < mlen; i++)
			mod[i] ^= 0x5a;
		write_out(out, mod, mlen);
		return 0;
	}
	if (!strcmp(mode, "bigmem")) {
		size_t big = getenv("FAKE_XLATEC_BIGMEM")
				     ? strtoull(getenv("FAKE_XLATEC_BIGMEM"), NULL, 0)
				     : 256u << 20;

		if (mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		    MAP_FAILED) {
			fprintf(stderr, "fake-xlatec: out of memory (%zu bytes)\n", big);
			return 3;
		}
	}

	f = open_memstream(&text, &tl);
	Elf64_Ehdr eh = {
		.e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
			    EV_CURRENT},
		.e_type = ET_DYN,
		.e_machine = (uint16_t)(strcmp(mode, "wrongarch") ? machine_of(target) : EM_RISCV),
		.e_version = EV_CURRENT,
		.e_ehsize = sizeof(Elf64_Ehdr),
	};
	fwrite(&eh, sizeof(eh), 1, f);
	fprintf(f,
		"\nxlatefs fake-xlatec image (a test double: nothing is translated)\n"
		"target=%s\nmodule=%s\nmodule_size=%zu\n%s",
		target, key, mlen, maptext);
	while ((uint64_t)ftell(f) + 16 < pad)
		fputc('.', f);
	fclose(f);
	img = realloc(text, tl + 16);
	if (!img)
		die("out of memory");
	XXH128_canonicalFromHash(&c, XXH3_128bits(img, tl));
	memcpy(img + tl, c.digest, 16);
	write_out(out, img, tl + 16);
	return 0;
}
