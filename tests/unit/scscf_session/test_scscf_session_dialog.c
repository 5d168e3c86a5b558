/* The S-CSCF's dialog table (sess_dialog.h): records made from a 2xx,
 * route sets toward each side from our place in the Record-Route, two
 * passes of one call, CSeq and target tracking, BYE, release by served
 * user and contact, expiry, the bound. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

#include "ims/sip.h"
#include "session/sess_dialog.h"

#define ALICE "sip:alice@open-ims.test"
#define BOB "sip:bob@open-ims.test"

static msg_t *parse(const char *text)
{
	msg_t *msg = NULL;

	assert_int_equal(sip_msg_parse(text, strlen(text), &msg), 0);
	return msg;
}

/* The INVITE as forwarded by a pass: alice's Contact. */
static msg_t *invite(void)
{
	return parse("INVITE sip:bob@open-ims.test SIP/2.0\r\n"
		     "Via: SIP/2.0/UDP 127.0.0.1:4060;branch=z9hG4bK1\r\n"
		     "Max-Forwards: 69\r\n"
		     "From: <sip:alice@open-ims.test>;tag=a1\r\n"
		     "To: <sip:bob@open-ims.test>\r\n"
		     "Call-ID: call-1\r\n"
		     "CSeq: 7 INVITE\r\n"
		     "Contact: <sip:alice@192.0.2.1:5070;transport=udp>\r\n"
		     "Content-Length: 0\r\n\r\n");
}

/* The 2xx: Record-Route top (nearest bob) to bottom (nearest alice):
 * P-CSCF of bob, our terminating pass, an AS, our originating pass,
 * P-CSCF of alice. */
static msg_t *ok(const char *to_tag)
{
	char buf[2048];

	snprintf(buf, sizeof buf,
		 "SIP/2.0 200 OK\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:4060;branch=z9hG4bK1\r\n"
		 "Record-Route: <sip:pcscf-b.test:4060;lr>\r\n"
		 "Record-Route: <sip:127.0.0.1:6060;lr;dlg=00000000000000bb>, <sip:as.test;lr>\r\n"
		 "Record-Route: <sip:127.0.0.1:6060;lr;dlg=00000000000000aa>\r\n"
		 "Record-Route: <sip:pcscf-a.test:4060;lr>\r\n"
		 "From: <sip:alice@open-ims.test>;tag=a1\r\n"
		 "To: <sip:bob@open-ims.test>;tag=%s\r\n"
		 "Call-ID: call-1\r\n"
		 "CSeq: 7 INVITE\r\n"
		 "Contact: <sip:bob@192.0.2.2:5080>\r\n"
		 "Content-Length: 0\r\n\r\n",
		 to_tag);
	return parse(buf);
}

static msg_t *in_dialog(const char *method, const char *from_tag, const char *to_tag,
			unsigned cseq, const char *contact)
{
	char buf[1024];

	snprintf(buf, sizeof buf,
		 "%s sip:x@192.0.2.9 SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:4060;branch=z9hG4bK9\r\n"
		 "Max-Forwards: 69\r\n"
		 "From: <sip:someone@open-ims.test>;tag=%s\r\n"
		 "To: <sip:other@open-ims.test>;tag=%s\r\n"
		 "Call-ID: call-1\r\n"
		 "CSeq: %u %s\r\n"
		 "%s%s%s"
		 "Content-Length: 0\r\n\r\n",
		 method, from_tag, to_tag, cseq, method, contact ? "Contact: <" : "",
		 contact ? contact : "", contact ? ">\r\n" : "");
	return parse(buf);
}

static void setup_table(struct sess_dialogs *t, size_t cap)
{
	assert_int_equal(sess_dialogs_init(t, cap, 3600), 0);
}

static struct sess_dialog *first_of(struct sess_dialogs *t)
{
	return t->oldest;
}

static void test_two_passes_route_sets(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite(), *resp = ok("b1");
	struct sess_dialog *d;

	(void)state;
	setup_table(&t, 10);
	/* The originating pass (token aa) serves alice. */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(resp), ALICE, NULL, 100), 0);
	d = first_of(&t);
	assert_non_null(d);
	assert_string_equal(d->call_id, "call-1");
	assert_string_equal(d->tag[SESS_DLG_CALLER], "a1");
	assert_string_equal(d->tag[SESS_DLG_CALLEE], "b1");
	assert_string_equal(d->target[SESS_DLG_CALLER], "sip:alice@192.0.2.1:5070;transport=udp");
	assert_string_equal(d->target[SESS_DLG_CALLEE], "sip:bob@192.0.2.2:5080");
	/* Toward bob: the AS, our terminating pass, bob's P-CSCF. */
	assert_string_equal(d->route[SESS_DLG_CALLEE],
			    "<sip:as.test;lr>, <sip:127.0.0.1:6060;lr;dlg=00000000000000bb>, "
			    "<sip:pcscf-b.test:4060;lr>");
	assert_string_equal(d->route[SESS_DLG_CALLER], "<sip:pcscf-a.test:4060;lr>");
	assert_int_equal(d->cseq[SESS_DLG_CALLER], 7);
	assert_int_equal(d->cseq[SESS_DLG_CALLEE], 0);
	assert_string_equal(d->user[SESS_DLG_ORIG], ALICE);
	assert_null(d->user[SESS_DLG_TERM]);
	assert_string_equal(d->ue[SESS_DLG_ORIG], "alice@192.0.2.1:5070");
	/* The terminating pass (token bb) serves bob: a record of its own. */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000bb", sip_object(req),
					     sip_object(resp), NULL, BOB, 100), 0);
	assert_int_equal(t.count, 2);
	d = t.newest;
	assert_string_equal(d->route[SESS_DLG_CALLEE], "<sip:pcscf-b.test:4060;lr>");
	assert_string_equal(d->route[SESS_DLG_CALLER],
			    "<sip:as.test;lr>, <sip:127.0.0.1:6060;lr;dlg=00000000000000aa>, "
			    "<sip:pcscf-a.test:4060;lr>");
	assert_string_equal(d->ue[SESS_DLG_TERM], "bob@192.0.2.2:5080");
	/* The same 2xx seen again by another hop of the first pass adds
	 * nothing but a served user. */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(resp), ALICE, NULL, 101), 0);
	assert_int_equal(t.count, 2);
	/* Not our pass: no entry with that token. */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000cc", sip_object(req),
					     sip_object(resp), ALICE, NULL, 101), -ENOENT);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(resp);
}

static void test_forked_2xx_two_records(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite(), *r1 = ok("b1"), *r2 = ok("b2");

	(void)state;
	setup_table(&t, 10);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r1), ALICE, NULL, 1), 0);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r2), ALICE, NULL, 1), 0);
	assert_int_equal(t.count, 2);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(r1);
	msg_destroy(r2);
}

static void test_cseq_target_and_bye(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite(), *resp = ok("b1"), *m;
	struct sess_dialog *d;

	(void)state;
	setup_table(&t, 10);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(resp), ALICE, NULL, 1), 0);
	d = first_of(&t);
	/* bob re-INVITEs with a new Contact: his CSeq space and target. */
	m = in_dialog("INVITE", "b1", "a1", 3, "sip:bob@192.0.2.3:5080");
	assert_ptr_equal(sess_dialog_request(&t, "00000000000000aa", sip_object(m)), d);
	msg_destroy(m);
	assert_int_equal(d->cseq[SESS_DLG_CALLEE], 3);
	assert_string_equal(d->target[SESS_DLG_CALLEE], "sip:bob@192.0.2.3:5080");
	/* alice's UPDATE; an older CSeq does not go back. */
	m = in_dialog("UPDATE", "a1", "b1", 9, NULL);
	sess_dialog_request(&t, "00000000000000aa", sip_object(m));
	msg_destroy(m);
	m = in_dialog("INFO", "a1", "b1", 8, NULL);
	sess_dialog_request(&t, "00000000000000aa", sip_object(m));
	msg_destroy(m);
	assert_int_equal(d->cseq[SESS_DLG_CALLER], 9);
	/* Tags of another dialog: nothing. */
	m = in_dialog("BYE", "a1", "zz", 10, NULL);
	assert_null(sess_dialog_request(&t, "00000000000000aa", sip_object(m)));
	msg_destroy(m);
	assert_int_equal(t.count, 1);
	/* BYE from either side ends it. */
	m = in_dialog("BYE", "b1", "a1", 4, NULL);
	assert_null(sess_dialog_request(&t, "00000000000000aa", sip_object(m)));
	msg_destroy(m);
	assert_int_equal(t.count, 0);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(resp);
}

struct seen {
	int n;
	int slot;
};

static void count_fn(void *ctx, const struct sess_dialog *d, int slot)
{
	struct seen *s = ctx;

	assert_non_null(d->user[slot]);
	s->n++;
	s->slot = slot;
}

static void test_release_by_user_and_contact(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite(), *r1 = ok("b1"), *r2 = ok("b2");
	struct seen seen = { 0 };

	(void)state;
	setup_table(&t, 10);
	/* Two dialogs of alice (originating); the second also bob's
	 * terminating case in the same pass (route_local). */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r1), ALICE, NULL, 1), 0);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000bb", sip_object(req),
					     sip_object(r2), ALICE, BOB, 1), 0);
	/* Another contact of bob went: nothing of his. */
	assert_int_equal(sess_dialogs_release(&t, BOB, "bob@192.0.2.99:5080", count_fn, &seen), 0);
	/* bob's contact went: the record where he is served. */
	assert_int_equal(sess_dialogs_release(&t, BOB, "bob@192.0.2.2:5080", count_fn, &seen), 1);
	assert_int_equal(seen.slot, SESS_DLG_TERM);
	assert_int_equal(t.count, 1);
	/* alice de-registered: the rest. */
	assert_int_equal(sess_dialogs_release(&t, ALICE, NULL, count_fn, &seen), 1);
	assert_int_equal(seen.n, 2);
	assert_int_equal(t.count, 0);
	assert_int_equal(sess_dialogs_release(&t, ALICE, NULL, count_fn, &seen), 0);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(r1);
	msg_destroy(r2);
}

static void test_expiry_and_cap(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite(), *r1 = ok("b1"), *r2 = ok("b2"), *r3 = ok("b3");

	(void)state;
	assert_int_equal(sess_dialogs_init(&t, 2, 60), 0);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r1), ALICE, NULL, 100), 0);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r2), ALICE, NULL, 130), 0);
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(r3), ALICE, NULL, 130), -ENOSPC);
	assert_int_equal(t.refused, 1);
	assert_int_equal(sess_dialogs_expire(&t, 159), 0);
	assert_int_equal(sess_dialogs_expire(&t, 160), 1);
	assert_int_equal(t.count, 1);
	/* The index still finds the survivor after its chain head went. */
	assert_int_equal(sess_dialogs_release(&t, ALICE, NULL, NULL, NULL), 1);
	assert_int_equal(t.count, 0);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(r1);
	msg_destroy(r2);
	msg_destroy(r3);
}

static void test_tokens_and_contact_keys(void **state)
{
	struct sess_dialogs t;
	char a[SESS_DLG_TOKEN_LEN + 1], b[SESS_DLG_TOKEN_LEN + 1], key[64];
	url_t u[1];
	char text[] = "sip:Alice@Host.Example.COM;transport=tcp";

	(void)state;
	setup_table(&t, 1);
	sess_dialog_token_new(&t, a);
	sess_dialog_token_new(&t, b);
	assert_int_equal(strlen(a), SESS_DLG_TOKEN_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(url_d(u, text), 0);
	assert_int_equal(sess_dialog_contact_key(u, key, sizeof key), 0);
	assert_string_equal(key, "Alice@host.example.com:5060");
	assert_int_equal(sess_dialog_contact_key(u, key, 8), -ENOSPC);
	sess_dialogs_free(&t);
}

static void test_malformed_2xx(void **state)
{
	struct sess_dialogs t;
	msg_t *req = invite();
	msg_t *resp = parse("SIP/2.0 200 OK\r\n"
			    "Via: SIP/2.0/UDP 127.0.0.1:4060;branch=z9hG4bK1\r\n"
			    "Record-Route: <sip:127.0.0.1:6060;lr;dlg=00000000000000aa>\r\n"
			    "From: <sip:alice@open-ims.test>;tag=a1\r\n"
			    "To: <sip:bob@open-ims.test>\r\n"
			    "Call-ID: call-1\r\n"
			    "CSeq: 7 INVITE\r\n"
			    "Content-Length: 0\r\n\r\n");

	(void)state;
	setup_table(&t, 4);
	/* No To tag: no dialog. */
	assert_int_equal(sess_dialog_confirm(&t, "00000000000000aa", sip_object(req),
					     sip_object(resp), ALICE, NULL, 1), -EBADMSG);
	assert_int_equal(t.count, 0);
	sess_dialogs_free(&t);
	msg_destroy(req);
	msg_destroy(resp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_passes_route_sets),
		cmocka_unit_test(test_forked_2xx_two_records),
		cmocka_unit_test(test_cseq_target_and_bye),
		cmocka_unit_test(test_release_by_user_and_contact),
		cmocka_unit_test(test_expiry_and_cap),
		cmocka_unit_test(test_tokens_and_contact_keys),
		cmocka_unit_test(test_malformed_2xx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
