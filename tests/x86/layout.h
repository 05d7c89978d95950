/* layout.h — the fixed guest memory layout both runners share. */
#ifndef XLATE_TESTS_X86_LAYOUT_H
#define XLATE_TESTS_X86_LAYOUT_H

#include "tests/x86/harness.h"

/* Maps code (RWX), data (RW), guard (none) and read-only pages at their
 * fixed addresses. Returns 0 or -1. */
int snip_layout_map(void);
/* Copies a snippet's code (plus the final UD2) and memory into place. */
void snip_layout_load(const struct snip *s);
/* The byte pattern of the read-only page. */
uint8_t snip_ro_byte(unsigned offset);

#endif
