/* layout.c — where the guest's memory goes on this host.
 *
 * The runtime is a static-pie executable, so the host kernel puts its
 * image and its mmap'd memory where it likes: on x86-64 in the mmap area
 * (where guest mmaps also land: the kernel keeps them apart), on aarch64
 * with 48-bit addresses above 2^47 (out of the guest's reach entirely),
 * under qemu-user wherever qemu puts it. Two things would still collide:
 *  - the runtime's own program break, which the kernel puts at
 *    ELF_ET_DYN_BASE for a static-pie, exactly where x86-64 PIEs go. We
 *    block it with a PROT_NONE page at the break, so that the runtime's
 *    malloc falls back to mmap (glibc does so when brk fails);
 *  - guest mappings at fixed addresses (ET_EXEC images, MAP_FIXED, the
 *    stack, brk). Those are placed only where nothing is mapped
 *    (MAP_FIXED_NOREPLACE, place.c), so the runtime's memory is never
 *    overwritten; a guest MAP_FIXED over runtime memory fails with ENOMEM.
 * Guest memory stays below guest_top = 0x7ffffffff000 (less on hosts with
 * a smaller user address space), as on x86-64 Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "translator/runtime/runtime.h"

struct rt_process rt_proc;
struct rt_layout rt_layout;

uint64_t layout_random(uint64_t range)
{
	uint64_t r = 0;
	if (!rt_proc.randomize || range < GUEST_PAGE)
		return 0;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		return 0;
	return PAGE_DOWN(r % range);
}

static bool kernel_randomizes(void)
{
	if (personality(0xffffffff) & ADDR_NO_RANDOMIZE)
		return false;
	int fd = open("/proc/sys/kernel/randomize_va_space", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	char c = '2';
	ssize_t n = read(fd, &c, 1);
	close(fd);
	return !(n == 1 && c == '0');
}

/* The highest x86-64 user address this host can map: 2^47 - 4096, or
 * 2^k - 4096 on hosts with k < 47 bits of user address space. */
static uint64_t probe_top(void)
{
	for (int bits = 47; bits > 32; bits--) {
		uint64_t top = (1ull << bits) - GUEST_PAGE;
		long r = place_exact(top - GUEST_PAGE, GUEST_PAGE, PROT_NONE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r == 0)
			munmap((void *)(uintptr_t)(top - GUEST_PAGE), GUEST_PAGE);
		if (r == 0 || r == -EEXIST)
			return top;
	}
	return 1ull << 32;
}

/* Blocks the runtime's own brk: see the top of this file. */
static void block_runtime_brk(void)
{
	uint64_t brk = PAGE_UP((uintptr_t)sbrk(0));
	if (brk)
		mmap((void *)(uintptr_t)brk, GUEST_PAGE, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

static uint64_t stack_limit(void)
{
	struct rlimit rl;
	uint64_t s = 8 << 20;
	if (getrlimit(RLIMIT_STACK, &rl) == 0)
		s = rl.rlim_cur == RLIM_INFINITY ? 1ull << 30 : rl.rlim_cur;
	if (s < (128 << 10))
		s = 128 << 10;
	if (s > (1ull << 30))
		s = 1ull << 30;
	return PAGE_UP(s);
}

int layout_init(void)
{
	if (getauxval(AT_PAGESZ) != GUEST_PAGE)
		return -EINVAL;
	rt_proc.randomize = kernel_randomizes();
	block_runtime_brk();

	struct rt_layout *l = &rt_layout;
	l->guest_top = probe_top();
	l->stack_size = stack_limit();

	/* x86-64 randomises the stack top by up to 16 GiB, the mmap base by
	 * up to 2^28 pages below the stack gap. */
	uint64_t span = l->guest_top;
	uint64_t top =
		l->guest_top - layout_random(span / 8 < (16ull << 30) ? span / 8 : 16ull << 30);

	/* Keep clear of the host stack when it is in the guest's range (x86-64
	 * hosts, qemu-user): from the deepest it may grow to its top strings. */
	int here;
	uint64_t sp = (uintptr_t)&here;
	uint64_t host_hi = PAGE_UP((uint64_t)getauxval(AT_EXECFN)) + GUEST_PAGE;
	uint64_t host_lo = PAGE_DOWN(sp) - stack_limit() - (1 << 20);
	if (host_hi < sp)
		host_hi = PAGE_UP(sp) + GUEST_PAGE;
	uint64_t need = l->stack_size + (1 << 20);
	if (top > host_lo && top - need < host_hi)
		top = host_lo;
	l->stack_top = PAGE_DOWN(top);

	uint64_t gap = need > (128ull << 20) ? need : 128ull << 20;
	uint64_t rnd = layout_random(span / 64 < (1ull << 40) ? span / 64 : 1ull << 40);
	l->mmap_base = l->stack_top - l->stack_size - gap - rnd;
	return 0;
}
