/* fake_x86.h — see fake_x86.c. */
#ifndef XLATE_TEST_FAKE_X86_H
#define XLATE_TEST_FAKE_X86_H

#include "translator/x86/x86.h"

struct fake_x86 {
	int invalidations;
	uint64_t last_addr, last_len;
};
extern struct fake_x86 fake_x86;

#endif
