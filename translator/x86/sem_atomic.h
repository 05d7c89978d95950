/* sem_atomic.h — LOCK-prefixed and implicitly locked (XCHG, CMPXCHG8B/16B)
 * memory operations on identity-mapped guest memory.
 *
 * Aligned accesses use host atomics (sequentially consistent, like x86
 * locked operations). A misaligned locked access (an x86 "split lock") has
 * no host equivalent; it runs under one global lock, which makes it atomic
 * against other split locks and plain accesses of other threads that do
 * not overlap it, not against a concurrent aligned atomic on the same
 * bytes. Real programs do not rely on that; the hardware itself discourages
 * split locks (some kernels kill a process for them).
 */
#ifndef XLATE_X86_SEM_ATOMIC_H
#define XLATE_X86_SEM_ATOMIC_H

#include "translator/x86/sem.h"

/* The split-lock fallback (atomic.c). A fault inside releases it. */
void x86_split_lock(void);
void x86_split_unlock(void);
/* CMPXCHG16B on a 16-byte aligned address: compares mem with exp[0..1]; on
 * success stores want[0..1], else loads mem into exp. */
bool x86_cas16(uint64_t addr, uint64_t exp[2], const uint64_t want[2]);

SEM_INLINE bool sem_is_aligned(uint64_t addr, unsigned size)
{
	return (addr & (size - 1)) == 0;
}

/* Compare-and-swap of `size` bytes at addr: returns whether it stored
 * `want`; on failure *exp receives the current value. */
SEM_INLINE bool sem_cas(uint64_t addr, unsigned size, uint64_t *exp, uint64_t want)
{
	void *p = (void *)(uintptr_t)addr;
	bool ok;
	if (sem_is_aligned(addr, size)) {
		switch (size) {
		case 1: {
			uint8_t e = (uint8_t)*exp;
			ok = __atomic_compare_exchange_n((uint8_t *)p, &e, (uint8_t)want, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			*exp = e;
			return ok;
		}
		case 2: {
			uint16_t e = (uint16_t)*exp;
			ok = __atomic_compare_exchange_n((uint16_t *)p, &e, (uint16_t)want, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			*exp = e;
			return ok;
		}
		case 4: {
			uint32_t e = (uint32_t)*exp;
			ok = __atomic_compare_exchange_n((uint32_t *)p, &e, (uint32_t)want, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
			*exp = e;
			return ok;
		}
		default:
			return __atomic_compare_exchange_n((uint64_t *)p, exp, want, false,
							   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
		}
	}
	x86_split_lock();
	{
		uint64_t cur = sem_load(addr, size);
		ok = cur == (*exp & sem_mask(size));
		if (ok)
			sem_store(addr, size, want);
		else
			*exp = cur;
	}
	x86_split_unlock();
	return ok;
}

/* Atomic exchange (XCHG with memory). */
SEM_INLINE uint64_t sem_xchg_mem(uint64_t addr, unsigned size, uint64_t v)
{
	uint64_t old = sem_load(addr, size);
	while (!sem_cas(addr, size, &old, v))
		;
	return old;
}

#endif
