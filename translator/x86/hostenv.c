/* hostenv.c — what a few instructions need from the host: time (RDTSC,
 * RDTSCP), the processor number (RDTSCP, RDPID) and entropy (RDRAND,
 * RDSEED). */
#include "config.h"

#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "translator/x86/sem_system.h"

/* The TSC runs at X86_TSC_HZ from the monotonic clock: invariant, and the
 * same on every host. */
uint64_t x86_rdtsc(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) *
	       (X86_TSC_HZ / 1000000000u);
}

/* IA32_TSC_AUX as Linux sets it: node << 12 | cpu. */
uint32_t x86_tsc_aux(void)
{
	unsigned cpu = 0, node = 0;
	if (syscall(SYS_getcpu, &cpu, &node, NULL) != 0)
		return 0;
	return (node & 0xfffff) << 12 | (cpu & 0xfff);
}

bool x86_rdrand(uint64_t *v)
{
	return getrandom(v, sizeof *v, 0) == (ssize_t)sizeof *v;
}
