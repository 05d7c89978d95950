/* atomic.c — the out-of-line parts of guest atomics (see sem_atomic.h). */
#include "config.h"

#include <sched.h>
#include <stdatomic.h>

#include "translator/x86/interp_priv.h"
#include "translator/x86/sem_atomic.h"

/* A spinlock, not a mutex: a guest fault can unwind out of the locked
 * region (x86_split_release from the fault path), and the critical
 * sections are a few loads and stores. */
static atomic_flag split = ATOMIC_FLAG_INIT;
static __thread bool split_held;

void x86_split_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&split, memory_order_acquire))
		sched_yield();
	split_held = true;
}

void x86_split_unlock(void)
{
	split_held = false;
	atomic_flag_clear_explicit(&split, memory_order_release);
}

void x86_split_release(void)
{
	if (split_held)
		x86_split_unlock();
}

#if defined(__x86_64__)
__attribute__((target("cx16")))
#endif
bool x86_cas16(uint64_t addr, uint64_t exp[2], const uint64_t want[2])
{
	unsigned __int128 *p = (unsigned __int128 *)(uintptr_t)addr;
	unsigned __int128 e = (unsigned __int128)exp[1] << 64 | exp[0];
	unsigned __int128 w = (unsigned __int128)want[1] << 64 | want[0];
	unsigned __int128 old = __sync_val_compare_and_swap(p, e, w);
	exp[0] = (uint64_t)old;
	exp[1] = (uint64_t)(old >> 64);
	return old == e;
}
