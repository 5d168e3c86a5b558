/* The loop thread's epoll_wait wrapper (ims/nospin.h): a repeated empty
 * poll with timeout 0 waits up to 1 ms on the marked thread only, the
 * first empty poll of a row and polls that find events are never held. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include <cmocka.h>

#include "ims/nospin.h"

struct poller {
	int ep, ev;
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int setup(void **state)
{
	static struct poller p;
	struct epoll_event e = { .events = EPOLLIN };

	p.ep = epoll_create1(EPOLL_CLOEXEC);
	p.ev = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p.ep < 0 || p.ev < 0 || epoll_ctl(p.ep, EPOLL_CTL_ADD, p.ev, &e) != 0)
		return -1;
	*state = &p;
	return 0;
}

static int teardown(void **state)
{
	struct poller *p = *state;

	close(p->ev);
	close(p->ep);
	return 0;
}

/* One poll with timeout 0: its result, and how long it took (us). */
static int poll0(const struct poller *p, long long *took)
{
	struct epoll_event e;
	long long t0 = now_us();
	int n = epoll_wait(p->ep, &e, 1, 0);

	*took = now_us() - t0;
	return n;
}

/* Any poll with a timeout ends a row of empty polls. */
static void new_row(const struct poller *p)
{
	struct epoll_event e;

	nospin_attach();
	assert_int_equal(epoll_wait(p->ep, &e, 1, 1), 0);
}

static void *unmarked_thread(void *arg)
{
	const struct poller *p = arg;
	long long took;
	int i;

	for (i = 0; i < 3; i++)
		if (poll0(p, &took) != 0)
			return (void *)1;
	return (void *)(uintptr_t)(nospin_stretched() != 0);
}

static void test_nospin_other_threads_poll_as_asked(void **state)
{
	pthread_t t;
	void *failed = NULL;

	assert_int_equal(pthread_create(&t, NULL, unmarked_thread, *state), 0);
	assert_int_equal(pthread_join(t, &failed), 0);
	assert_null(failed);
}

static void test_nospin_second_empty_poll_waits(void **state)
{
	const struct poller *p = *state;
	unsigned long before;
	long long took;

	new_row(p);
	before = nospin_stretched();
	assert_int_equal(poll0(p, &took), 0);
	assert_int_equal(nospin_stretched(), before);      /* first of a row */
	assert_int_equal(poll0(p, &took), 0);
	assert_int_equal(nospin_stretched(), before + 1);
	assert_true(took >= 900);                          /* waited ~1 ms */
	/* A stretched poll ends the row: the next empty one is not held. */
	assert_int_equal(poll0(p, &took), 0);
	assert_int_equal(nospin_stretched(), before + 1);
}

static void test_nospin_poll_with_an_event_returns_it_and_restarts_the_row(void **state)
{
	const struct poller *p = *state;
	uint64_t one = 1, got;
	unsigned long before;
	long long took;

	new_row(p);
	before = nospin_stretched();
	assert_int_equal(poll0(p, &took), 0);
	assert_int_equal(write(p->ev, &one, sizeof one), (ssize_t)sizeof one);
	assert_int_equal(poll0(p, &took), 1);
	assert_int_equal(read(p->ev, &got, sizeof got), (ssize_t)sizeof got);
	assert_int_equal(poll0(p, &took), 0);              /* new row */
	assert_int_equal(nospin_stretched(), before);
}

static void test_nospin_timeouts_are_kept(void **state)
{
	const struct poller *p = *state;
	struct epoll_event e;
	unsigned long before;
	long long t0;

	new_row(p);
	before = nospin_stretched();
	t0 = now_us();
	assert_int_equal(epoll_wait(p->ep, &e, 1, 3), 0);
	assert_true(now_us() - t0 >= 2900);
	assert_int_equal(epoll_wait(p->ep, &e, 1, 3), 0);
	assert_int_equal(nospin_stretched(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nospin_other_threads_poll_as_asked),
		cmocka_unit_test(test_nospin_second_empty_poll_waits),
		cmocka_unit_test(test_nospin_poll_with_an_event_returns_it_and_restarts_the_row),
		cmocka_unit_test(test_nospin_timeouts_are_kept),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
