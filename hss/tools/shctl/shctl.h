/*
 * ims-shctl: a Diameter Sh client (an application server's side) for tests
 * and operators. Sends one UDR, PUR or SNR to the HSS and prints the
 * answer: a first line "result=base:NNNN" or "result=exp:NNNN", then
 * "Expiry-Time=UNIX" and "User-Data=XML" (newlines folded to spaces) when
 * present. With --wait SEC it stays connected and prints each PNR received
 * as "pnr impu=URI User-Data=XML", answering it 2001.
 * Exit status: 0 answer 2001, 1 failure or any other result, 2 usage,
 * 3 fewer PNRs than --expect-pnr arrived within --wait.
 */
#ifndef SHCTL_H
#define SHCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct msg;

#define SHCTL_MAX_REFS 16

struct shctl_opts {
	const char *user;          /* Public-Identity */
	const char *msisdn;        /* digits -> TBCD MSISDN instead of --user */
	uint32_t refs[SHCTL_MAX_REFS];
	size_t n_refs;
	uint32_t sets[4];          /* Identity-Set values */
	size_t n_sets;
	const char *si[SHCTL_MAX_REFS];   /* Service-Indications */
	size_t n_si;
	const char *dsai_tags[SHCTL_MAX_REFS];
	size_t n_tags;
	const char *server_name;
	const char *data;          /* PUR User-Data (text) */
	size_t data_len;
	bool unsubscribe, send_data, no_identity, one_time;
	long expiry_s;             /* SNR Expiry-Time from now, 0 = none */
};

/* Parse "RepositoryData" or a number. -1 if neither. */
long shctl_ref(const char *s);
/* Add the command's AVPs to req (built by dia_new_request). 0 or -errno. */
int shctl_build(uint32_t cmd, const struct shctl_opts *o, struct msg *req);
/* Print the answer (see above); returns its result code (0 if none) and
 * whether it is experimental. */
uint32_t shctl_print(FILE *out, struct msg *ans, bool *exp);

#endif
