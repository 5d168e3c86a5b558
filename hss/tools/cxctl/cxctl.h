/*
 * ims-cxctl: a Diameter Cx client for tests and operators. Connects to one
 * HSS as a configured peer, sends one UAR, MAR, SAR or LIR built from the
 * command line and prints the answer, one "Path=value" line per AVP
 * (grouped AVPs as "Parent.Child=value"), after a first line
 * "result=base:NNNN" or "result=exp:NNNN". Binary octets print as hex.
 * Exit status: 0 answer received (whatever its result), 1 failure, 2 usage.
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
};

/* Add the command's AVPs to req (built by dia_new_request). 0 or -errno. */
int cxctl_build(uint32_t cmd, const struct cxctl_opts *o, struct msg *req);
/* Print the answer as described above. */
void cxctl_print(FILE *out, struct msg *ans, const char *user_data_out);

#endif
