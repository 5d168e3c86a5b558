/* nospin: see ims/nospin.h for the contract. */
#include "ims/nospin.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/epoll.h>

/* How long a repeated empty poll may wait: the rounding of su_base_port_run. */
#define NOSPIN_WAIT_MS 1

static _Thread_local bool marked;
static _Thread_local bool last_empty; /* previous call: timeout 0, no event */
static _Thread_local unsigned long stretched;

void nospin_attach(void)
{
	marked = true;
}

unsigned long nospin_stretched(void)
{
	return stretched;
}

int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout)
{
	int n = epoll_pwait(epfd, events, maxevents, timeout, NULL);

	if (!marked)
		return n;
	if (n != 0 || timeout != 0) {
		last_empty = false;
		return n;
	}
	if (!last_empty) {
		last_empty = true;
		return 0;
	}
	/* The next empty poll starts a new row: a message the timers just
	 * queued on this thread is never held up. */
	last_empty = false;
	stretched++;
	return epoll_pwait(epfd, events, maxevents, NOSPIN_WAIT_MS, NULL);
}
