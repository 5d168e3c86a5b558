/* heap: see ims/heap.h for the contract. */
#include "ims/heap.h"

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/mman.h>

#include <sofia-sip/su_wait.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

static uintptr_t populated_to; /* heap end already faulted in (page aligned) */
static bool unsupported;

void heap_tune(void)
{
	mallopt(M_TRIM_THRESHOLD, HEAP_TRIM_THRESHOLD);
	mallopt(M_TOP_PAD, HEAP_TOP_PAD);
}

long heap_prefault(void)
{
	static uintptr_t page;
	uintptr_t end, from = populated_to;

	if (unsupported)
		return 0;
	if (!page)
		page = (uintptr_t)sysconf(_SC_PAGESIZE);
	end = (uintptr_t)sbrk(0);
	if (end == (uintptr_t)-1 || end == 0)
		return 0;
	end &= ~(page - 1);
	if (from == 0 || from > end) {
		/* First call, or the heap was trimmed: what lies below is either
		 * faulted in already or will be when used; start from here. */
		populated_to = end;
		return 0;
	}
	if (end == from)
		return 0;
	if (madvise((void *)from, end - from, MADV_POPULATE_WRITE) != 0) {
		int err = errno;

		if (err == EINVAL || err == ENOSYS)
			unsupported = true;
		populated_to = end;
		return -err;
	}
	populated_to = end;
	return (long)(end - from);
}

static void on_prepoll(su_prepoll_magic_t *magic, su_root_t *root)
{
	(void)magic;
	(void)root;
	heap_prefault();
}

int heap_attach(su_root_t *root)
{
	heap_tune();
	return su_root_add_prepoll(root, on_prepoll, NULL) == 0 ? 0 : -EBUSY;
}
