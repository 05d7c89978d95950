/* guest.c — runtime code reading and writing guest memory on the
 * guest's behalf: a bad guest pointer gives EFAULT, as in the kernel,
 * instead of crashing the translator. The SIGSEGV handler sends a fault
 * inside a copy back here (guest_copy_fault). */
#include <errno.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <string.h>

#include "translator/runtime/runtime.h"

/* volatile, and fenced around the copy: the compiler must neither drop
 * the store as dead nor move the guest access out of the window. */
static __thread sigjmp_buf *volatile recover;

#define GUARD_ON(jb)                                                                               \
	do {                                                                                       \
		recover = &(jb);                                                                   \
		atomic_signal_fence(memory_order_seq_cst);                                         \
	} while (0)
#define GUARD_OFF()                                                                                \
	do {                                                                                       \
		atomic_signal_fence(memory_order_seq_cst);                                         \
		recover = NULL;                                                                    \
	} while (0)

void guest_copy_fault(void)
{
	sigjmp_buf *r = recover;
	if (r) {
		recover = NULL;
		siglongjmp(*r, 1);
	}
}

long guest_read(void *dst, uint64_t src, size_t len)
{
	sigjmp_buf jb;
	if (sigsetjmp(jb, 0))
		return -EFAULT;
	GUARD_ON(jb);
	memcpy(dst, (const void *)(uintptr_t)src, len);
	GUARD_OFF();
	return 0;
}

long guest_write(uint64_t dst, const void *src, size_t len)
{
	sigjmp_buf jb;
	if (sigsetjmp(jb, 0))
		return -EFAULT;
	GUARD_ON(jb);
	memcpy((void *)(uintptr_t)dst, src, len);
	GUARD_OFF();
	return 0;
}

long guest_strncpy(char *dst, uint64_t src, size_t size)
{
	sigjmp_buf jb;
	if (sigsetjmp(jb, 0))
		return -EFAULT;
	GUARD_ON(jb);
	size_t n = strnlen((const char *)(uintptr_t)src, size);
	if (n < size)
		memcpy(dst, (const char *)(uintptr_t)src, n + 1);
	GUARD_OFF();
	return n < size ? (long)n : -ENAMETOOLONG;
}
