/* layout.c — the fixed guest memory layout (see harness.h). */
#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "tests/x86/layout.h"

uint8_t snip_ro_byte(unsigned offset)
{
	return (uint8_t)(offset * 7 + 0x5a);
}

static int map_at(uint64_t addr, size_t len, int prot)
{
	void *p = mmap((void *)(uintptr_t)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	return p == (void *)(uintptr_t)addr ? 0 : -1;
}

int snip_layout_map(void)
{
	if (map_at(SNIP_CODE_ADDR, SNIP_CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC) ||
	    map_at(SNIP_CODE_ADDR + SNIP_CODE_SIZE, 0x1000, PROT_NONE) ||
	    map_at(SNIP_MEM_ADDR, SNIP_MEM_SIZE, PROT_READ | PROT_WRITE) ||
	    map_at(SNIP_GUARD_ADDR, 0x1000, PROT_NONE) ||
	    map_at(SNIP_RO_ADDR, 0x1000, PROT_READ | PROT_WRITE))
		return -1;
	for (unsigned i = 0; i < 0x1000; i++)
		((uint8_t *)(uintptr_t)SNIP_RO_ADDR)[i] = snip_ro_byte(i);
	return mprotect((void *)(uintptr_t)SNIP_RO_ADDR, 0x1000, PROT_READ);
}

void snip_layout_load(const struct snip *s)
{
	uint8_t *code = (uint8_t *)(uintptr_t)s->init.rip;
	uint64_t room = SNIP_CODE_ADDR + SNIP_CODE_SIZE - s->init.rip;
	/* Code may run into the guard page after the code pages. */
	memcpy(code, s->code, s->len < room ? s->len : room);
	if (s->init.rip + s->len + 2 <= SNIP_CODE_ADDR + SNIP_CODE_SIZE) {
		code[s->len] = 0x0f; /* UD2: the end of every snippet */
		code[s->len + 1] = 0x0b;
	}
	memcpy((void *)(uintptr_t)SNIP_MEM_ADDR, s->init.mem, SNIP_MEM_SIZE);
}
