/* stack.c — the initial stack of an x86-64 Linux process, laid out as
 * binfmt_elf's create_elf_tables does, from the top down:
 *   8 zero bytes, AT_EXECFN string, env strings, arg strings (argv[0]
 *   lowest), random padding, 16-byte alignment, "x86_64", 16 random
 *   bytes, then (16-aligned) argc, argv[], NULL, envp[], NULL, auxv. */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "translator/runtime/runtime.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

static uint64_t put(uint64_t *sp, const void *data, size_t len)
{
	*sp -= len;
	memcpy((void *)(uintptr_t)*sp, data, len);
	return *sp;
}

static size_t count(char *const *v)
{
	size_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

uint64_t stack_build(uint64_t top, uint64_t size, const struct stack_params *p,
		     const uint64_t **auxv_out, size_t *auxv_bytes)
{
	size_t envc = count(p->envp), argc = (size_t)p->argc;
	size_t strings = strlen(p->execfn) + 1 + 64;
	for (size_t i = 0; i < envc; i++)
		strings += strlen(p->envp[i]) + 1;
	for (size_t i = 0; i < argc; i++)
		strings += strlen(p->argv[i]) + 1;
	/* The kernel refuses arguments beyond a quarter of the stack limit. */
	if (strings + (argc + envc) * 8 > size / 4)
		return 0;

	uint64_t *ptrs = malloc((argc + envc + 2) * sizeof *ptrs);
	if (!ptrs)
		return 0;
	uint64_t sp = top;
	const uint64_t zero = 0;
	put(&sp, &zero, 8);
	uint64_t execfn = put(&sp, p->execfn, strlen(p->execfn) + 1);
	for (size_t i = envc; i-- > 0;)
		ptrs[argc + 1 + i] = put(&sp, p->envp[i], strlen(p->envp[i]) + 1);
	for (size_t i = argc; i-- > 0;)
		ptrs[i] = put(&sp, p->argv[i], strlen(p->argv[i]) + 1);
	ptrs[argc] = 0;
	ptrs[argc + 1 + envc] = 0;

	sp = (sp - p->align_pad) & ~15ull;
	uint64_t platform = put(&sp, "x86_64", 7);
	uint64_t random = put(&sp, p->random16, 16);

	const struct elf_image *exe = p->exe;
	// clang-format off
	const uint64_t aux[] = {
		AT_MINSIGSTKSZ, p->minsigstksz,
		AT_HWCAP, p->hwcap,
		AT_PAGESZ, GUEST_PAGE,
		AT_CLKTCK, p->clktck,
		AT_PHDR, exe->phdr,
		AT_PHENT, exe->phent,
		AT_PHNUM, exe->phnum,
		AT_BASE, p->interp ? p->interp->bias : 0,
		AT_FLAGS, 0,
		AT_ENTRY, exe->entry,
		AT_UID, p->uid,
		AT_EUID, p->euid,
		AT_GID, p->gid,
		AT_EGID, p->egid,
		AT_SECURE, p->secure,
		AT_RANDOM, random,
		AT_HWCAP2, p->hwcap2,
		AT_EXECFN, execfn,
		AT_PLATFORM, platform,
		AT_NULL, 0,
	};
	// clang-format on
	size_t items = (argc + 1) + (envc + 1) + 1;
	sp = (sp - sizeof aux - items * 8) & ~15ull;
	uint64_t *out = (uint64_t *)(uintptr_t)sp;
	out[0] = argc;
	memcpy(out + 1, ptrs, (argc + envc + 2) * 8);
	memcpy(out + items, aux, sizeof aux);
	free(ptrs);

	uint64_t *copy = malloc(sizeof aux);
	if (!copy)
		return 0;
	memcpy(copy, aux, sizeof aux);
	*auxv_out = copy;
	*auxv_bytes = sizeof aux;
	return sp;
}
