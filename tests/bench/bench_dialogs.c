/*
 * bench_dialogs: cost of the S-CSCF's dialog records (scscf/session/
 * sess_dialog.h): N dialogs confirmed from a realistic 2xx (4 Record-Route
 * entries, two passes' worth of route set), then every one found again by
 * an in-dialog request and ended by BYE. Prints heap bytes per record
 * (mallinfo2 before/after, the index included) and microseconds per
 * confirm and per BYE. Usage: bench_dialogs [N (100000)].
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sofia-sip/sip_header.h>

#include "ims/sip.h"
#include "session/sess_dialog.h"

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static msg_t *parse(const char *text)
{
	msg_t *msg = NULL;

	if (sip_msg_parse(text, strlen(text), &msg) != 0) {
		fprintf(stderr, "bench_dialogs: cannot parse\n%s", text);
		exit(1);
	}
	return msg;
}

static msg_t *ok_for(unsigned i, const char *token)
{
	char buf[2048];

	snprintf(buf, sizeof buf,
		 "SIP/2.0 200 OK\r\n"
		 "Via: SIP/2.0/UDP 10.0.0.30:4060;branch=z9hG4bK%u\r\n"
		 "Record-Route: <sip:10.0.0.31:4060;lr>\r\n"
		 "Record-Route: <sip:10.0.0.40:6060;lr;dlg=%s>\r\n"
		 "Record-Route: <sip:as.open-ims.test:5065;lr>\r\n"
		 "Record-Route: <sip:10.0.0.30:4060;lr>\r\n"
		 "From: <sip:user%05u@open-ims.test>;tag=%u-caller-tag\r\n"
		 "To: <sip:user%05u@open-ims.test>;tag=%u-callee-tag\r\n"
		 "Call-ID: %u-3c26a8f1b5e4d9c2@10.1.2.3\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Contact: <sip:user%05u@10.1.2.4:5060;transport=udp>\r\n"
		 "Content-Length: 0\r\n\r\n",
		 i, token, i % 100000, i, (i + 1) % 100000, i, i, (i + 1) % 100000);
	return parse(buf);
}

static msg_t *bye_for(unsigned i)
{
	char buf[1024];

	snprintf(buf, sizeof buf,
		 "BYE sip:user%05u@10.1.2.4:5060 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 10.0.0.30:4060;branch=z9hG4bKb%u\r\n"
		 "Max-Forwards: 69\r\n"
		 "From: <sip:user%05u@open-ims.test>;tag=%u-caller-tag\r\n"
		 "To: <sip:user%05u@open-ims.test>;tag=%u-callee-tag\r\n"
		 "Call-ID: %u-3c26a8f1b5e4d9c2@10.1.2.3\r\n"
		 "CSeq: 2 BYE\r\n"
		 "Content-Length: 0\r\n\r\n",
		 (i + 1) % 100000, i, i % 100000, i, (i + 1) % 100000, i, i);
	return parse(buf);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	msg_t *req = parse("INVITE sip:x@open-ims.test SIP/2.0\r\n"
			   "Via: SIP/2.0/UDP 10.0.0.30:4060;branch=z9hG4bKi\r\n"
			   "Max-Forwards: 69\r\n"
			   "From: <sip:user00001@open-ims.test>;tag=1\r\n"
			   "To: <sip:x@open-ims.test>\r\n"
			   "Call-ID: i\r\n"
			   "CSeq: 1 INVITE\r\n"
			   "Contact: <sip:user00001@10.1.2.3:5060;transport=udp>\r\n"
			   "Content-Length: 0\r\n\r\n");
	char (*tokens)[SESS_DLG_TOKEN_LEN + 1] = calloc(n ? n : 1, sizeof *tokens);
	msg_t **oks = calloc(n ? n : 1, sizeof *oks), **byes = calloc(n ? n : 1, sizeof *byes);
	struct sess_dialogs t;
	struct mallinfo2 m0, m1;
	char served[64];
	double t0, t_confirm, t_bye;
	unsigned i;

	if (!tokens || !oks || !byes || sess_dialogs_init(&t, n, 3600) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		sess_dialog_token_new(&t, tokens[i]);
		oks[i] = ok_for(i, tokens[i]);
		byes[i] = bye_for(i);
	}
	m0 = mallinfo2();
	t0 = now_us();
	for (i = 0; i < n; i++) {
		snprintf(served, sizeof served, "sip:user%05u@open-ims.test", i % 100000);
		if (sess_dialog_confirm(&t, tokens[i], sip_object(req), sip_object(oks[i]), served,
					NULL, 1) < 0)
			return 1;
	}
	t_confirm = now_us() - t0;
	m1 = mallinfo2();
	t0 = now_us();
	for (i = 0; i < n; i++)
		sess_dialog_request(&t, tokens[i], sip_object(byes[i]));
	t_bye = now_us() - t0;
	printf("dialogs: %u recorded, %zu left after their BYEs\n", n, t.count);
	printf("dialogs: %.0f heap bytes per record (index included), "
	       "%.2f us per confirm (2xx), %.2f us per BYE\n",
	       n ? (double)(m1.uordblks - m0.uordblks) / n : 0.0, n ? t_confirm / n : 0.0,
	       n ? t_bye / n : 0.0);
	sess_dialogs_free(&t);
	for (i = 0; i < n; i++) {
		msg_destroy(oks[i]);
		msg_destroy(byes[i]);
	}
	msg_destroy(req);
	free(tokens);
	free(oks);
	free(byes);
	return t.count == 0 ? 0 : 1;
}
