/* image_module.c — the guest's modules: every x86-64 ELF file mapped with
 * PROT_EXEC (the program and its interpreter by the loader, libraries by
 * ld.so's mmap calls). Each is identified by its key (XXH3-128 of its
 * bytes), looked up in the share or the local store, and bound to its
 * image; blocks the interpreter runs in it go to its code map.
 *
 * Modules whose code becomes writable or goes away (munmap, mprotect,
 * MAP_FIXED over it) lose their image for good: translated code must
 * never run where the guest may have changed the bytes. A module with a
 * segment both writable and executable never gets one.
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
#include <time.h>
#include <unistd.h>

#include "cache/xlcache.h"
#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"

#define MAX_PHDRS 64
/* Code maps go to the share at exit, and at most this often meanwhile. */
#define SUBMIT_INTERVAL 5

struct gmodule {
	uint64_t lo, hi;	   /* guest addresses of its segments */
	uint64_t code_lo, code_hi; /* its executable segments */
	uint64_t bias;
	uint64_t size, dev, ino;
	uint8_t key[XLIMAGE_KEY_BYTES];
	char *path;
	bool has_image, missed, module_sent, gone;
	struct loaded_image img;
	struct codemap map;
};

static struct gmodule **mods; /* live ones sorted by lo; gone ones after them */
static size_t nlive, nmods;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void image_fork_prepare(void)
{
	pthread_mutex_lock(&lock);
}

void image_fork_parent(void)
{
	pthread_mutex_unlock(&lock);
}

static struct {
	uint64_t hits, misses;
} counts;

void image_fork_child(void)
{
	pthread_mutex_init(&lock, NULL);
	counts.hits = counts.misses = 0;
	for (size_t i = 0; i < nmods; i++)
		if (mods[i]->img.h)
			mods[i]->img.h->counted[0] = mods[i]->img.h->counted[1] = 0;
	image_replays_fork_child();
}
static time_t last_submit;

static bool is_module(const Elf64_Ehdr *eh)
{
	return !memcmp(eh->e_ident, ELFMAG, SELFMAG) && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_ident[EI_DATA] == ELFDATA2LSB && eh->e_machine == EM_X86_64 &&
	       (eh->e_type == ET_EXEC || eh->e_type == ET_DYN) &&
	       eh->e_phentsize == sizeof(Elf64_Phdr) && eh->e_phnum && eh->e_phnum <= MAX_PHDRS;
}

/* Where the module's segments and code lie for a mapping of file offset
 * `off` at `addr`; false when that is not one of its code segments. */
static bool place(struct gmodule *g, const Elf64_Phdr *ph, unsigned n, uint64_t addr, uint64_t off,
		  bool *wx)
{
	bool found = false;
	for (unsigned i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) &&
		    PAGE_DOWN(ph[i].p_offset) == off) {
			g->bias = addr - PAGE_DOWN(ph[i].p_vaddr);
			found = true;
		}
	if (!found)
		return false;
	g->lo = g->code_lo = UINT64_MAX;
	*wx = false;
	for (unsigned i = 0; i < n; i++) {
		uint64_t s, e;
		if (ph[i].p_type != PT_LOAD)
			continue;
		s = PAGE_DOWN(ph[i].p_vaddr) + g->bias;
		e = PAGE_UP(ph[i].p_vaddr + ph[i].p_memsz) + g->bias;
		if (s < g->lo)
			g->lo = s;
		if (e > g->hi)
			g->hi = e;
		if (!(ph[i].p_flags & PF_X))
			continue;
		if (ph[i].p_flags & PF_W)
			*wx = true;
		if (s < g->code_lo)
			g->code_lo = s;
		if (e > g->code_hi)
			g->code_hi = e;
	}
	return true;
}

static void insert(struct gmodule *g)
{
	size_t i;
	mods = realloc(mods, (nmods + 1) * sizeof *mods);
	if (!mods)
		abort();
	memmove(mods + nlive + 1, mods + nlive, (nmods - nlive) * sizeof *mods);
	for (i = nlive; i > 0 && mods[i - 1]->lo > g->lo; i--)
		mods[i] = mods[i - 1];
	mods[i] = g;
	nlive++;
	nmods++;
}

static void bind_image(struct gmodule *g)
{
	int fd;
	uint64_t off, size;
	const char *why;
	if (share_find_image(g->key, &fd, &off, &size))
		return;
	if (image_load(fd, off, size, g->key, g->bias, image_opts.summary, &g->img, &why))
		RT_DEBUG("image for %s refused: %s", g->path, why);
	else
		g->has_image = true;
	close(fd);
}

static void wait_for_image(struct gmodule *g)
{
	struct timespec tick = {0, 200 * 1000 * 1000};
	uint8_t *buf;
	size_t len;
	/* The daemon compiles once it has the module; say what ran so far
	 * (nothing yet: it translates everything it finds). */
	if ((buf = codemap_encode(&g->map, &len)))
		share_submit_map(g->key, buf, len);
	free(buf);
	share_submit_module(g->key, g->path, g->size);
	g->module_sent = true;
	for (unsigned i = 0; i < image_opts.wait * 5 && !g->has_image; i++) {
		nanosleep(&tick, NULL);
		bind_image(g);
	}
}

void image_mapped(int fd, uint64_t addr, uint64_t len, uint64_t off)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	struct gmodule *g;
	struct xlc_key key;
	struct stat st;
	char link[64], path[4096];
	ssize_t n;
	bool wx;

	if (pread(fd, &eh, sizeof eh, 0) != sizeof eh || !is_module(&eh) ||
	    pread(fd, ph, eh.e_phnum * sizeof *ph, (off_t)eh.e_phoff) !=
		    (ssize_t)(eh.e_phnum * sizeof *ph) ||
	    fstat(fd, &st))
		return;
	g = calloc(1, sizeof *g);
	if (!g)
		return;
	if (!place(g, ph, eh.e_phnum, addr, off, &wx)) {
		free(g);
		return;
	}
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nlive; i++)
		if (mods[i]->dev == (uint64_t)st.st_dev && mods[i]->ino == (uint64_t)st.st_ino &&
		    mods[i]->bias == g->bias) {
			/* Another code segment of a module we have. */
			pthread_mutex_unlock(&lock);
			free(g);
			return;
		}
	pthread_mutex_unlock(&lock);
	if (xlc_key_from_fd(fd, &key)) {
		free(g);
		return;
	}
	memcpy(g->key, key.b, sizeof g->key);
	g->size = (uint64_t)st.st_size;
	g->dev = (uint64_t)st.st_dev;
	g->ino = (uint64_t)st.st_ino;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	path[n > 0 ? n : 0] = 0;
	g->path = strdup(n > 0 ? path : "?");
	if (image_opts.enabled && !wx) {
		bind_image(g);
		if (!g->has_image && image_opts.wait && share_present())
			wait_for_image(g);
	}
	g->missed = image_opts.enabled && !g->has_image;
	if (image_opts.require && !g->has_image) {
		rt_log("%s: no pretranslated image (XLATE_REQUIRE_IMAGES)", g->path);
		_exit(127);
	}
	RT_DEBUG("module %s at %#llx (bias %#llx): %s", g->path, (unsigned long long)addr,
		 (unsigned long long)g->bias, g->has_image ? "image" : "no image");
	pthread_mutex_lock(&lock);
	if (g->has_image)
		counts.hits++;
	else
		counts.misses++;
	insert(g);
	pthread_mutex_unlock(&lock);
	image_lookup_flush();
	(void)len;
}

void image_forget(uint64_t start, uint64_t end)
{
	bool changed = false;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nlive;) {
		struct gmodule *g = mods[i];
		if (g->code_lo < end && start < g->code_hi) {
			/* Gone: move it behind the live ones. */
			memmove(mods + i, mods + i + 1, (nmods - i - 1) * sizeof *mods);
			mods[nmods - 1] = g;
			nlive--;
			g->gone = true;
			g->has_image = false;
			changed = true;
			continue;
		}
		i++;
	}
	pthread_mutex_unlock(&lock);
	if (changed)
		image_lookup_flush();
}

static struct gmodule *find(uint64_t rip)
{
	size_t lo = 0, hi = nlive;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mods[mid]->lo <= rip)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && rip < mods[lo - 1]->hi)
		return mods[lo - 1];
	return NULL;
}

/* Buffers for what is due to the share, taken under the lock and sent
 * without it. */
struct pending {
	uint8_t key[XLIMAGE_KEY_BYTES];
	uint8_t *map;
	size_t len;
	char *module; /* path, when the module is to be sent */
	uint64_t size;
};

static size_t collect(struct pending **out, bool modules)
{
	struct pending *p = calloc(nmods ? nmods : 1, sizeof *p);
	size_t n = 0;
	if (!p)
		return 0;
	for (size_t i = 0; i < nmods; i++) {
		struct gmodule *g = mods[i];
		memcpy(p[n].key, g->key, sizeof p[n].key);
		p[n].map = codemap_encode(&g->map, &p[n].len);
		codemap_mark_submitted(&g->map);
		if (modules && g->missed && !g->module_sent) {
			p[n].module = strdup(g->path);
			p[n].size = g->size;
			g->module_sent = true;
		}
		if (p[n].map || p[n].module)
			n++;
	}
	*out = p;
	return n;
}

/* Maps first: when the module arrives, the daemon knows what ran. */
static void send(struct pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].map)
			share_submit_map(p[i].key, p[i].map, p[i].len);
	for (size_t i = 0; i < n; i++)
		if (p[i].module)
			share_submit_module(p[i].key, p[i].module, p[i].size);
	for (size_t i = 0; i < n; i++) {
		free(p[i].map);
		free(p[i].module);
	}
	free(p);
}

static void submit(bool modules)
{
	struct pending *p = NULL;
	size_t n;
	if (!image_opts.submit || !share_present())
		return;
	pthread_mutex_lock(&lock);
	n = collect(&p, modules);
	pthread_mutex_unlock(&lock);
	send(p, n);
}

struct xl_target image_module_lookup(uint64_t rip)
{
	struct xl_target t = {0};
	struct gmodule *g;
	bool due = false;
	pthread_mutex_lock(&lock);
	g = find(rip);
	if (g && g->has_image) {
		const struct xlimage_entry *e = image_entry(&g->img, rip - g->bias);
		if (e) {
			t.fn = g->img.regions[e->region].fn;
			t.index = e->index;
		}
	}
	if (g && !t.fn && rip >= g->code_lo && rip < g->code_hi &&
	    codemap_add(&g->map, (uint32_t)(rip - g->bias))) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
		if (now.tv_sec - last_submit >= SUBMIT_INTERVAL) {
			due = last_submit != 0;
			last_submit = now.tv_sec;
		}
	}
	pthread_mutex_unlock(&lock);
	if (due)
		submit(false);
	return t;
}

void image_modules_submit(void)
{
	submit(true);
}

void image_modules_totals(struct image_totals *t)
{
	memset(t, 0, sizeof *t);
	pthread_mutex_lock(&lock);
	t->hits = counts.hits;
	t->misses = counts.misses;
	for (size_t i = 0; i < nmods; i++)
		if (mods[i]->img.h) {
			t->insns += __atomic_load_n(&mods[i]->img.h->counted[0], __ATOMIC_RELAXED);
			t->blocks += __atomic_load_n(&mods[i]->img.h->counted[1], __ATOMIC_RELAXED);
		}
	pthread_mutex_unlock(&lock);
}

void image_modules_summary(FILE *f)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nmods; i++)
		fprintf(f,
			"xlate:   %s: %s, %llu instructions translated, %zu blocks interpreted\n",
			mods[i]->path,
			mods[i]->img.h	  ? "image"
			: mods[i]->missed ? "no image"
					  : "interpreter only",
			mods[i]->img.h ? (unsigned long long)mods[i]->img.h->counted[0] : 0ull,
			mods[i]->map.n);
	pthread_mutex_unlock(&lock);
}
