/* place.c — putting guest memory into the host address space without
 * ever touching memory that is not the guest's (see layout.c). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "translator/runtime/runtime.h"

int host_prot(uint32_t guest_prot)
{
	if (!(guest_prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return PROT_NONE;
	return PROT_READ | (guest_prot & PROT_WRITE);
}

long place_exact(uint64_t addr, uint64_t len, int prot, int flags, int fd, off_t off)
{
	void *want = (void *)(uintptr_t)addr;
	void *p = mmap(want, len, prot, (flags & ~MAP_FIXED) | MAP_FIXED_NOREPLACE, fd, off);
	if (p == MAP_FAILED)
		return errno == EEXIST ? -EEXIST : -errno;
	if (p != want) {
		/* A kernel older than 4.17, or qemu-user: the flag was a hint. */
		munmap(p, len);
		return -EEXIST;
	}
	return 0;
}

/* Whether the host kernel, asked for any address, keeps to the guest's
 * range; cleared the first time it does not (aarch64: it starts at 2^48). */
static bool kernel_places_for_guest = true;

long place_anywhere(uint64_t hint, uint64_t len, uint64_t lo, uint64_t hi, uint64_t align, int prot,
		    int flags, int fd, off_t off)
{
	flags &= ~(MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (align < GUEST_PAGE)
		align = GUEST_PAGE;
	if (len > hi - lo)
		return -ENOMEM;
	hint = hint & ~(align - 1);
	if (hint >= lo && hint + len <= hi && hint + len > hint) {
		long r = place_exact(hint, len, prot, flags, fd, off);
		if (r != -EEXIST)
			return r ? r : (long)hint;
	}
	bool whole = lo <= rt_layout.mmap_base && hi >= rt_layout.guest_top;
	if (kernel_places_for_guest && whole && align == GUEST_PAGE) {
		void *p = mmap(NULL, len, prot, flags, fd, off);
		if (p == MAP_FAILED)
			return -errno;
		uint64_t a = (uintptr_t)p;
		if (a >= lo && a + len <= hi)
			return (long)a;
		munmap(p, len);
		kernel_places_for_guest = false;
	}
	/* Our own top-down search, below mmap_base first as the kernel does;
	 * each collision with memory we did not know about teaches us a
	 * foreign range. */
	for (int pass = 0; pass < 2; pass++) {
		uint64_t top = pass == 0 && rt_layout.mmap_base > lo && rt_layout.mmap_base < hi
				       ? rt_layout.mmap_base
				       : hi;
		for (int tries = 0; tries < 64; tries++) {
			uint64_t a = gmap_find_free(len, lo, top, align);
			if (!a)
				break;
			long r = place_exact(a, len, prot, flags, fd, off);
			if (r == 0)
				return (long)a;
			if (r != -EEXIST)
				return r;
			gmap_add_foreign(a, a + len);
		}
	}
	return -ENOMEM;
}

struct claim {
	uint64_t (*done)[2];
	size_t n, cap;
};

static int claim_hole(uint64_t start, uint64_t end, void *arg)
{
	struct claim *c = arg;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->done = realloc(c->done, c->cap * sizeof *c->done);
		if (!c->done)
			abort();
	}
	long r = place_exact(start, end - start, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r)
		return -ENOMEM;
	c->done[c->n][0] = start;
	c->done[c->n][1] = end;
	c->n++;
	return 0;
}

int place_claim_holes(uint64_t start, uint64_t end)
{
	struct claim c = {0};
	int r = gmap_holes(start, end, claim_hole, &c);
	if (r)
		for (size_t i = 0; i < c.n; i++)
			munmap((void *)(uintptr_t)c.done[i][0], c.done[i][1] - c.done[i][0]);
	free(c.done);
	return r;
}

const char *place_fd_name(int fd, const char *fallback)
{
	char link[32], path[4096];
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return gmap_intern(fallback);
	path[n] = 0;
	return gmap_intern(path);
}
