/* bench_sip_parse [N]: parse a realistic IMS REGISTER N times (default
 * 200000) through sip_msg_parse and read its typed headers, as a S-CSCF
 * does per request. Prints one line with the rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ims/sip.h"

/* ~700 octets: a UE's REGISTER after the P-CSCF (TS 24.229 5.2.2.1). */
static const char register_msg[] =
	"REGISTER sip:open-ims.test SIP/2.0\r\n"
	"Via: SIP/2.0/UDP pcscf.visited.net:5060;branch=z9hG4bKpcscf1a\r\n"
	"Max-Forwards: 69\r\n"
	"Path: <sip:term@pcscf.visited.net;lr>\r\n"
	"Supported: path, sec-agree\r\n"
	"From: <sip:alice@open-ims.test>;tag=4fa3\r\n"
	"To: <sip:alice@open-ims.test>\r\n"
	"Call-ID: a84b4c76e66710@2001:db8::10\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Contact: <sip:alice@[2001:db8::10]:5062>;expires=600000\r\n"
	"Authorization: Digest username=\"alice@open-ims.test\", realm=\"open-ims.test\", "
	"nonce=\"I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=\", uri=\"sip:open-ims.test\", "
	"response=\"8989073c387c374f6f99dd66da921d63\", algorithm=AKAv1-MD5, qop=auth, "
	"nc=00000001, cnonce=\"0a4f113b\", integrity-protected=\"ip-assoc-yes\"\r\n"
	"P-Visited-Network-ID: visited.net\r\n"
	"Expires: 600000\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse and read what a registrar reads; returns 0 on success. */
static int one(size_t len)
{
	msg_t *msg = NULL;
	struct sip_auth_credentials cr;
	const char **ids;
	size_t n;
	int rc = sip_msg_parse(register_msg, len, &msg);

	if (rc)
		return rc;
	sip_t *sip = sip_object(msg);
	if (!sip->sip_path || !sip->sip_contact || !sip->sip_contact->m_url->url_host ||
	    !sip_hdr_supports_path(sip) ||
	    sip_auth_credentials_parse(msg, sip_auth_find_realm(sip->sip_authorization,
								"open-ims.test"), &cr) ||
	    sip_hdr_visited_network_ids(msg, &ids, &n))
		rc = -1;
	msg_destroy(msg);
	return rc;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;
	size_t len = strlen(register_msg);
	double t0, dt;

	if (n <= 0) {
		fprintf(stderr, "usage: %s [N>0]\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < 1000; i++)          /* warm up */
		if (one(len)) {
			fprintf(stderr, "sip_parse: message did not parse\n");
			return 1;
		}
	t0 = now();
	for (long i = 0; i < n; i++)
		if (one(len))
			return 1;
	dt = now() - t0;
	printf("sip_parse: %ld msgs in %.3f s = %.0f msgs/s (%.2f us/msg), %zu-byte REGISTER\n",
	       n, dt, (double)n / dt, dt * 1e6 / (double)n, len);
	return 0;
}
