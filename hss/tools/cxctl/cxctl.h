/*
 * ims-cxctl: a Diameter Cx client for tests and operators. Connects to one
 * HSS as a configured peer, sends one UAR, MAR, SAR or LIR built from the
 * command line and prints the answer, one "Path=value" line per AVP
 * (grouped AVPs as "Parent.Child=value"), after a first line
 * "result=base:NNNN" or "result=exp:NNNN" and "header=CODE/APP[ E]" (E: the
 * error bit). Binary octets print as hex.
 * Exit status: 0 answer received (whatever its result), 1 failure, 2 usage.
 *
 * "serve" plays an S-CSCF for HSS-initiated requests: it connects, prints
 * "ready" once the HSS peer is open, then for each RTR/PPR prints
 * "request=RTR", its AVPs as above and "answered=CODE", answering with
 * --answer-rtr/--answer-ppr (2001). Exit 0 after --count requests, 1 if
 * they did not come within --timeout.
 * "--repeat N --concurrency C" (mar, sar) is a load generator: N requests,
 * at most C in flight, user names from a %d pattern; prints rate and
 * latency percentiles instead of answers; with --dump FILE (mar) every
 * successful answer's first vector goes to FILE as "RAND||AUTN XRES" in hex,
 * written as it arrives (so a test can collect the SQNs of a burst that an
 * HSS crash cut short).
 */
#ifndef CXCTL_H
#define CXCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct msg;

struct cxctl_opts {
	const char *impi, *impu, *server, *visited, *scheme;
	const char *auth_hex;    /* SIP-Authorization (RAND||AUTS) as hex */
	long type;               /* User-Authorization-Type / Server-Assignment-Type */
	long items;              /* SIP-Number-Auth-Items */
	bool data_available;
	bool no_visited;         /* UAR without Visited-Network-Identifier */
	const char *user_data_out; /* write User-Data here */
	long repeat;             /* > 0: load mode, this many requests */
	long concurrency;        /* in flight at most (load mode) */
	long users;              /* distinct users: %d in impi/impu = i % users */
	long command_code;       /* > 0: send with this Command-Code (error paths) */
	long app_id;             /* > 0: send with this Application-Id in the header */
	const char *dump;        /* load mode, mar: "RAND||AUTN XRES" hex per 2001 */
	bool raw;                /* load mode over our own connection (raw.c) */
};

/* Load mode: o->repeat requests of cmd, at most o->concurrency in flight;
 * prints one summary line. 0, -EPROTO (some answer not 2001), -ETIMEDOUT. */
int cxctl_bench(uint32_t cmd, const char *name, const struct cxctl_opts *o, const char *realm,
		const char *dest, long timeout_s);
/* The same load over a TCP connection of our own to addr:port (--raw):
 * CER/CEA, requests pipelined and written in batches from one thread,
 * answers matched by Hop-by-Hop id, DWR answered, DPR at the end. The
 * messages are those of cxctl_bench (freeDiameter's message library and
 * dictionary: call after the node is started, with no peer configured);
 * freeDiameter's peer, routing and dispatch threads are not involved, so
 * the client's own CPU per request is small. Same summary line; no --dump. */
int cxctl_bench_raw(uint32_t cmd, const char *name, const struct cxctl_opts *o,
		    const char *realm, const char *dest, const char *addr, long port,
		    long timeout_s);
/* The summary line of both load modes; sorts lat_ms. */
void cxctl_bench_report(const char *name, double *lat_ms, long done, long ok, double secs,
			const struct cxctl_opts *o);
/* pattern with its first "%d" replaced by n (no printf on user text). */
void cxctl_subst(char *out, size_t len, const char *pattern, long n);
/* Request i of a load run: cmd built from o with user i % o->users put in
 * the IMPI/IMPU patterns. *out is the caller's (also on error, may be
 * NULL). */
int cxctl_load_request(uint32_t cmd, const struct cxctl_opts *o, long i, const char *realm,
		       const char *dest, struct msg **out);

struct cxctl_serve_opts {
	long answer_rtr, answer_ppr;
	long count;
	const char *user_data_out;
};

/* Register the RTR/PPR handlers (after dia_start). */
int cxctl_serve_register(const struct cxctl_serve_opts *o);
/* Wait until o->count requests were answered: 0 or -ETIMEDOUT. */
int cxctl_serve_wait(const struct cxctl_serve_opts *o, long timeout_s);

/* Add the command's AVPs to req (built by dia_new_request). 0 or -errno. */
int cxctl_build(uint32_t cmd, const struct cxctl_opts *o, struct msg *req);
/* Print the answer as described above. */
void cxctl_print(FILE *out, struct msg *ans, const char *user_data_out);
/* Only the AVP lines (for requests). */
void cxctl_print_avps(FILE *out, struct msg *msg, const char *user_data_out);

#endif
