/* sys_mem.c — brk and the mmap family with x86-64 semantics. Every guest
 * mapping is recorded (mem.c); placement never touches memory that is
 * not the guest's (place.c); code decoded from memory that changes is
 * dropped (codepage.c). Each call drops the decoded code of the range it
 * changes first, then works under the memory lock (see mem_lock). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include "translator/runtime/abi.h"
#include "translator/runtime/image.h"
#include "translator/runtime/runtime.h"
#include "translator/runtime/syscalls.h"

#define X86_MAP_32BIT	   0x40
#define MMAP_MIN_ADDR	   0x10000ull
#define MAP_32BIT_LO	   0x40000000ull /* x86-64 puts MAP_32BIT mappings in [1 GiB, 2 GiB) */
#define MAP_32BIT_HI	   0x80000000ull
#define X86_PROT_GROWSDOWN 0x01000000
#define X86_PROT_GROWSUP   0x02000000
#define X86_PROT_SEM	   0x8

static void record(uint64_t start, uint64_t len, uint32_t prot, uint64_t flags, int fd,
		   uint64_t off)
{
	struct gmap m = {.start = start, .end = start + len, .prot = prot};
	if ((flags & MAP_TYPE) != MAP_PRIVATE)
		m.flags |= GMAP_SHARED;
	if (flags & MAP_GROWSDOWN)
		m.flags |= GMAP_GROWSDOWN;
	struct stat st;
	if (!(flags & MAP_ANONYMOUS) && fstat(fd, &st) == 0) {
		m.offset = off;
		m.dev = st.st_dev;
		m.ino = st.st_ino;
		m.path = place_fd_name(fd, NULL);
	}
	gmap_insert(&m);
}

static bool in_guest(uint64_t addr, uint64_t len)
{
	return addr >= MMAP_MIN_ADDR && addr <= rt_layout.guest_top &&
	       len <= rt_layout.guest_top - addr;
}

static int unmap_part(uint64_t start, uint64_t end, void *arg)
{
	munmap((void *)(uintptr_t)start, end - start);
	return 0;
}

static long mmap_locked(const uint64_t a[6])
{
	uint64_t addr = a[0], len = PAGE_UP(a[1]), flags = a[3], off = a[5];
	uint32_t prot = (uint32_t)a[2];
	int fd = (int)a[4];
	if (!a[1] || off % GUEST_PAGE)
		return -EINVAL;
	if (len < a[1])
		return -ENOMEM;
	int hflags = (int)(flags & ~(X86_MAP_32BIT | MAP_FIXED | MAP_FIXED_NOREPLACE));
	int hprot = host_prot(prot);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr % GUEST_PAGE)
			return -EINVAL;
		if (!in_guest(addr, len))
			return -ENOMEM;
	}
	long r;
	if (flags & MAP_FIXED_NOREPLACE) {
		r = place_exact(addr, len, hprot, hflags, fd, (off_t)off);
		if (r)
			return r;
		r = (long)addr;
	} else if (flags & MAP_FIXED) {
		/* Only over guest memory, or where nothing is mapped. */
		if (place_claim_holes(addr, addr + len))
			return -ENOMEM;
		void *p = mmap((void *)(uintptr_t)addr, len, hprot, hflags | MAP_FIXED, fd,
			       (off_t)off);
		if (p == MAP_FAILED) {
			r = -errno;
			gmap_holes(addr, addr + len, unmap_part, NULL);
			return r;
		}
		r = (long)addr;
	} else {
		uint64_t lo = MMAP_MIN_ADDR, hi = rt_layout.guest_top;
		if (flags & X86_MAP_32BIT) {
			lo = MAP_32BIT_LO;
			hi = MAP_32BIT_HI;
		}
		r = place_anywhere(PAGE_DOWN(addr), len, lo, hi, GUEST_PAGE, hprot, hflags, fd,
				   (off_t)off);
		if (r < 0)
			return r;
	}
	record((uint64_t)r, len, prot, flags, fd, off);
	if ((prot & PROT_EXEC) && !(flags & MAP_ANONYMOUS) && image_mapped)
		image_mapped(fd, (uint64_t)r, len, off);
	return r;
}

long sys_mmap(struct cpu *cpu, const uint64_t a[6])
{
	if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED && a[0] % GUEST_PAGE == 0 &&
	    in_guest(a[0], PAGE_UP(a[1])))
		codepage_forget(a[0], a[0] + PAGE_UP(a[1]));
	mem_lock();
	long r = mmap_locked(a);
	mem_unlock();
	return r;
}

long sys_munmap(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t addr = a[0], len = PAGE_UP(a[1]);
	if (addr % GUEST_PAGE || !a[1] || len < a[1] || !in_guest(addr, len))
		return -EINVAL;
	codepage_forget(addr, addr + len);
	mem_lock();
	gmap_parts(addr, addr + len, unmap_part, NULL);
	gmap_remove(addr, addr + len);
	mem_unlock();
	return 0;
}

long sys_mprotect(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t addr = a[0], len = PAGE_UP(a[1]);
	uint32_t prot = (uint32_t)a[2];
	if (addr % GUEST_PAGE || len < a[1])
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | X86_PROT_SEM | X86_PROT_GROWSDOWN |
		     X86_PROT_GROWSUP))
		return -EINVAL;
	if (!len)
		return 0;
	if (prot & X86_PROT_GROWSDOWN) {
		/* Down to the start of the mapping (our stacks are not host
		 * growsdown mappings). */
		mem_lock();
		const struct gmap *m = gmap_find(addr);
		uint64_t start = m ? m->start : addr;
		mem_unlock();
		if (!m)
			return -ENOMEM;
		len += addr - start;
		addr = start;
	}
	prot &= PROT_READ | PROT_WRITE | PROT_EXEC;
	if (!in_guest(addr, len))
		return -ENOMEM;
	codepage_forget(addr, addr + len);
	long r = -ENOMEM;
	mem_lock();
	if (gmap_covered(addr, addr + len))
		r = mprotect((void *)(uintptr_t)addr, len, host_prot(prot))
			    ? -errno
			    : gmap_protect(addr, addr + len, prot);
	mem_unlock();
	return r;
}

static long mremap_locked(const uint64_t a[6])
{
	uint64_t old = a[0], old_len = PAGE_UP(a[1]), new_len = PAGE_UP(a[2]), flags = a[3];
	uint64_t dest = a[4];
	if (old % GUEST_PAGE || !new_len || new_len < a[2])
		return -EINVAL;
	const struct gmap *found = gmap_find(old);
	if (!found || !in_guest(old, old_len))
		return -EFAULT;
	struct gmap m = *found;
	m.offset += m.path ? old - m.start : 0;

	if (flags & MREMAP_FIXED) {
		if (dest % GUEST_PAGE)
			return -EINVAL;
		if (!in_guest(dest, new_len) || place_claim_holes(dest, dest + new_len))
			return -ENOMEM;
	} else if ((flags & MREMAP_MAYMOVE) && new_len > old_len) {
		/* Grow in place if the kernel can, else move to a place we
		 * chose (reserved first, so nothing else is replaced). */
		void *p = mremap((void *)(uintptr_t)old, old_len, new_len, 0);
		if (p != MAP_FAILED) {
			m.start = old;
			m.end = old + new_len;
			gmap_insert(&m);
			return (long)old;
		}
		long r = place_anywhere(0, new_len, MMAP_MIN_ADDR, rt_layout.guest_top, GUEST_PAGE,
					PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
					0);
		if (r < 0)
			return r;
		dest = (uint64_t)r;
		flags |= MREMAP_FIXED;
	}
	void *p = mremap((void *)(uintptr_t)old, old_len, new_len, (int)flags,
			 (void *)(uintptr_t)dest);
	if (p == MAP_FAILED) {
		long r = -errno;
		if ((flags & MREMAP_FIXED) && !(a[3] & MREMAP_FIXED))
			munmap((void *)(uintptr_t)dest, new_len);
		return r;
	}
	uint64_t at = (uintptr_t)p;
	if (at != old && !(flags & MREMAP_DONTUNMAP))
		gmap_remove(old, old + old_len);
	else if (at == old && new_len < old_len)
		gmap_remove(old + new_len, old + old_len);
	m.start = at;
	m.end = at + new_len;
	gmap_insert(&m);
	return (long)at;
}

long sys_mremap(struct cpu *cpu, const uint64_t a[6])
{
	if (a[0] % GUEST_PAGE || !in_guest(a[0], PAGE_UP(a[1])))
		return -EINVAL;
	codepage_forget(a[0], a[0] + PAGE_UP(a[1]));
	if ((a[3] & MREMAP_FIXED) && a[4] % GUEST_PAGE == 0 && in_guest(a[4], PAGE_UP(a[2])))
		codepage_forget(a[4], a[4] + PAGE_UP(a[2]));
	mem_lock();
	long r = mremap_locked(a);
	mem_unlock();
	return r;
}

long sys_madvise(struct cpu *cpu, const uint64_t a[6])
{
	uint64_t addr = a[0], len = PAGE_UP(a[1]);
	int advice = (int)a[2];
	if (addr % GUEST_PAGE || len < a[1])
		return -EINVAL;
	if (len && !in_guest(addr, len))
		return -ENOMEM;
	mem_lock();
	bool covered = gmap_covered(addr, addr + len);
	mem_unlock();
	if (!covered)
		return -ENOMEM;
	/* These replace the contents: decoded code there is stale. */
	if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE)
		codepage_forget(addr, addr + len);
	return abi_syscall(ABI_NR_madvise, a);
}

long sys_brk(struct cpu *cpu, const uint64_t a[6])
{
	struct rt_layout *l = &rt_layout;
	uint64_t want = a[0];
	mem_lock();
	uint64_t cur = l->brk_cur;
	mem_unlock();
	if (want < l->brk_start || want > l->guest_top)
		return (long)cur;
	if (PAGE_UP(want) < PAGE_UP(cur))
		codepage_forget(PAGE_UP(want), PAGE_UP(cur));
	mem_lock();
	uint64_t old_end = PAGE_UP(l->brk_cur), new_end = PAGE_UP(want);
	if (new_end > old_end) {
		if (place_exact(old_end, new_end - old_end, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
			want = l->brk_cur;
		else
			gmap_insert(&(struct gmap){.start = old_end,
						   .end = new_end,
						   .prot = PROT_READ | PROT_WRITE,
						   .flags = GMAP_HEAP});
	} else if (new_end < old_end) {
		munmap((void *)(uintptr_t)new_end, old_end - new_end);
		gmap_remove(new_end, old_end);
	}
	l->brk_cur = want;
	mem_unlock();
	return (long)want;
}

static long shmat_locked(int id, uint64_t addr, uint64_t len, int flags, key_t key)
{
	bool reserved = !addr;
	if (!addr) {
		long r = place_anywhere(0, len, MMAP_MIN_ADDR, rt_layout.guest_top, GUEST_PAGE,
					PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
					0);
		if (r < 0)
			return r;
		addr = (uint64_t)r;
		flags |= SHM_REMAP;
	} else if (!in_guest(addr, len)) {
		return -EINVAL;
	} else if ((flags & SHM_REMAP) && place_claim_holes(addr, addr + len)) {
		return -ENOMEM;
	}
	void *p = shmat(id, (void *)(uintptr_t)addr, flags);
	if (p == (void *)-1) {
		long r = -errno;
		if (reserved)
			munmap((void *)(uintptr_t)addr, len);
		return r;
	}
	uint32_t prot = PROT_READ | (flags & SHM_RDONLY ? 0 : PROT_WRITE) |
			(flags & SHM_EXEC ? PROT_EXEC : 0);
	char name[32];
	snprintf(name, sizeof name, "/SYSV%08x (deleted)", (unsigned)key);
	gmap_insert(&(struct gmap){.start = addr,
				   .end = addr + len,
				   .prot = prot,
				   .flags = GMAP_SHARED,
				   .ino = (uint64_t)id,
				   .path = gmap_intern(name)});
	return (long)addr;
}

/* SysV shared memory attaches are mappings too: placed by us (an aarch64
 * kernel would pick an address above 2^47) and recorded. */
long sys_shmat(struct cpu *cpu, const uint64_t a[6])
{
	int id = (int)a[0], flags = (int)a[2];
	uint64_t addr = a[1];
	struct shmid_ds ds;
	if (shmctl(id, IPC_STAT, &ds))
		return -errno;
	uint64_t len = PAGE_UP(ds.shm_segsz);
	if (addr && (flags & SHM_RND))
		addr = PAGE_DOWN(addr);
	if (addr && in_guest(addr, len))
		codepage_forget(addr, addr + len);
	mem_lock();
	long r = shmat_locked(id, addr, len, flags, ds.shm_perm.__key);
	mem_unlock();
	return r;
}

long sys_shmdt(struct cpu *cpu, const uint64_t a[6])
{
	mem_lock();
	const struct gmap *m = gmap_find(a[0]);
	uint64_t start = a[0], end = m ? m->end : a[0];
	mem_unlock();
	codepage_forget(start, end);
	mem_lock();
	long r = shmdt((void *)(uintptr_t)a[0]) ? -errno : 0;
	if (!r)
		gmap_remove(start, end);
	mem_unlock();
	return r;
}
