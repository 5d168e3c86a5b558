/*
 * nospin: the loop thread sleeps until its next timer instead of polling.
 *
 * sofia-sip 1.12.11 (su_base_port_run) gives epoll_wait(2) the time to the
 * next timer in whole milliseconds, rounded down. In the last millisecond
 * before a timer is due that timeout is 0, and the loop polls back to back
 * until the timer's time has come. nta keeps one agent timer on the next
 * transaction deadline (millisecond resolution), so a proxy with a few
 * hundred transactions a second nearly always has a timer less than 1 ms
 * away: the I-CSCF at 1000 REGISTER/s made 47 epoll_wait calls per
 * REGISTER, 44 of them empty polls (tests/bench/icscf-register.sh,
 * BENCH_SYSCOUNT=1), a fifth of its loop thread's CPU on this VM.
 *
 * nospin_attach() marks the calling thread, which must be the one that
 * runs the su_root. The module interposes epoll_wait(2) in the daemon
 * executable (the same way dia_nodelay interposes setsockopt): on a marked
 * thread, an empty poll with timeout 0 that directly follows another empty
 * poll with timeout 0 waits up to 1 ms for an event instead, so the timer
 * fires at most about 1 ms late (nta's timers count whole milliseconds
 * anyway) and any socket event or message from another thread (su_msg
 * writes to the loop's mailbox socket) still wakes the loop at once. The
 * first empty poll of a row is never stretched: the loop also polls with
 * timeout 0 when it has messages of its own thread queued, which no socket
 * signals. Other threads and calls with a timeout go to the kernel as they
 * are (epoll_pwait with no signal mask, same result and errno).
 */
#ifndef IMS_NOSPIN_H
#define IMS_NOSPIN_H

/* Mark the calling thread (the su_root's). Idempotent. */
void nospin_attach(void);

/* Empty polls stretched on this thread so far (tests, diagnostics). */
unsigned long nospin_stretched(void);

#endif
