/* image_exports.c — the runtime functions an image may call, by name: the
 * out-of-line helpers the semantics call, libc's mem* functions and the
 * lookup for indirect transfers. The list (image_exports.def) is made at
 * build time from what translator/aot/probe.c — every op's semantics,
 * compiled as lifted code is — leaves undefined; the loader refuses an
 * image that names anything else. */
#include "config.h"

#include <string.h>

#include "translator/runtime/image.h"
#include "translator/x86/sem_alu.h"
#include "translator/x86/sem_branch.h"
#include "translator/x86/sem_move.h"
#include "translator/x86/sem_shift.h"
#include "translator/x86/sem_simd_int.h"
#include "translator/x86/sem_sse.h"
#include "translator/x86/sem_system.h"
#include "translator/x86/sem_x87.h"

static const struct {
	const char *name;
	void (*fn)(void);
} exports[] = {
#define X(name) {#name, (void (*)(void))name},
#include "translator/runtime/image_exports.def"
#undef X
};

void *image_export(const char *name)
{
	for (size_t i = 0; i < sizeof exports / sizeof *exports; i++)
		if (!strcmp(exports[i].name, name))
			return (void *)exports[i].fn;
	return NULL;
}
