/*
 * dia_nodelay: Diameter over TCP without Nagle's algorithm.
 *
 * freeDiameter 1.2.1 (libfdcore, fd_tcp_setsockopt) sets TCP_NODELAY to 0
 * on every Diameter TCP socket (RFC 3539 3.2 suggests Nagle). With Nagle
 * and the peer's delayed ACK, a request or answer written while an earlier
 * one is still unacknowledged waits for that ACK, up to 40 ms on Linux.
 * Measured on loopback (tests/bench/reg-load.sh): an AKA registration
 * (2 UAR, MAR, SAR) took 55 ms at 50/s and the chain collapsed near 100/s.
 * freeDiameter gives no access to its sockets, so this file interposes
 * setsockopt(2) in the daemon executable: a request to turn TCP_NODELAY off
 * turns it on; every other call goes to the kernel unchanged (raw syscall,
 * same return value and errno). Nobody in our daemons wants Nagle on.
 * dia_nodelay_link() exists only so the linker keeps this object.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dia_internal.h"

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	static const int on = 1;

	if (level == IPPROTO_TCP && name == TCP_NODELAY && val && len >= sizeof(int) &&
	    *(const int *)val == 0)
		val = &on;
	return (int)syscall(SYS_setsockopt, fd, level, name, val, len);
}

void dia_nodelay_link(void)
{
}
