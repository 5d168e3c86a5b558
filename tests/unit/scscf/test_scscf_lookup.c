/*
 * What session control asks of the registrar (registrar.h): the state of
 * an IMPU (registered, barred, not registered), its contacts highest q
 * first with Path / received / instance, and its profile with the iFC XML.
 * The registrar is started on a state file written beforehand, which also
 * checks a registrar really restores its bindings at start.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sofia-sip/su.h>
#include <sofia-sip/su_wait.h>

#include "registrar/reg_persist.h"
#include "registrar/registrar.h"

static const char xml[] =
	"<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID><ServiceProfile>"
	"<PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>"
	"<PublicIdentity><BarringIndication>1</BarringIndication>"
	"<Identity>sip:alice-barred@open-ims.test</Identity></PublicIdentity>"
	"<InitialFilterCriteria><Priority>0</Priority><ApplicationServer>"
	"<ServerName>sip:as.open-ims.test</ServerName><DefaultHandling>0</DefaultHandling>"
	"</ApplicationServer></InitialFilterCriteria>"
	"</ServiceProfile><ServiceProfile>"
	"<PublicIdentity><Identity>tel:+4930100001</Identity></PublicIdentity>"
	"</ServiceProfile></IMSSubscription>";

static int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static void write_state(const char *path)
{
	struct reg_store st;
	struct reg_profile *p = NULL;
	struct reg_record *rec = NULL;
	const struct reg_binding b[] = {
		{ .uri = "sip:alice@10.0.0.1:5060", .q = 300, .expires = 600, .call_id = "c",
		  .cseq = 1 },
		{ .uri = "sip:alice@10.0.0.2:5060", .q = 900, .expires = 600, .call_id = "c",
		  .cseq = 1, .path = "<sip:term@pcscf.open-ims.test:4060;lr>",
		  .received = "192.0.2.9:4000", .instance = "<urn:uuid:9>", .reg_id = 1 },
	};

	assert_int_equal(reg_store_init(&st, 10), 0);
	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), 0);
	assert_int_equal(reg_store_put(&st, "sip:alice@open-ims.test", "alice@open-ims.test", &p,
				       &rec), 0);
	assert_int_equal(reg_store_apply(&st, rec, b, 2, false, mono_now()), 0);
	assert_int_equal(reg_persist_save(&st, NULL, path, mono_now(), (int64_t)time(NULL)), 0);
	reg_store_free(&st);
}

static void test_lookup_answers_state_contacts_and_profile(void **state)
{
	char path[256];
	struct scscf_registrar_config cfg = {
		.default_expires = 3600, .min_expires = 60, .max_expires = 7200,
		.max_contacts = 10, .challenge_timeout = 30000, .max_challenges = 100,
		.cx_timeout = 1000, .max_challenges_per_impi = 5, .max_subscriptions = 10,
		.subscribe_max_expires = 3600, .state_interval = 2000,
	};
	struct registrar_params p = {
		.cfg = &cfg, .realm = "open-ims.test", .server_name = "sip:scscf.open-ims.test",
		.hostport = "127.0.0.1:6060", .hss_realm = "open-ims.test",
	};
	struct registrar_contact cs[4];
	const struct reg_profile *prof;
	struct registrar *r = NULL;
	su_root_t *root;

	(void)state;
	snprintf(path, sizeof path, "%s/scscf-lookup-%d.state",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	write_state(path);
	cfg.state_file = path;
	assert_int_equal(su_init(), 0);
	root = su_root_create(NULL);
	assert_non_null(root);
	p.root = root;
	assert_int_equal(registrar_create(&p, &r), 0);
	assert_int_equal(registrar_count_users(r), 1);

	assert_int_equal(registrar_impu_state(r, "sip:alice@open-ims.test"), REGISTRAR_REGISTERED);
	assert_int_equal(registrar_impu_state(r, "tel:+4930100001"), REGISTRAR_REGISTERED);
	assert_int_equal(registrar_impu_state(r, "sip:alice-barred@open-ims.test"),
			 REGISTRAR_BARRED);
	assert_int_equal(registrar_impu_state(r, "sip:bob@open-ims.test"),
			 REGISTRAR_NOT_REGISTERED);

	/* Highest q first; cap respected; unknown IMPU has none. */
	assert_int_equal(registrar_contacts(r, "tel:+4930100001", cs, 4), 2);
	assert_string_equal(cs[0].uri, "sip:alice@10.0.0.2:5060");
	assert_int_equal(cs[0].q, 900);
	assert_string_equal(cs[0].path, "<sip:term@pcscf.open-ims.test:4060;lr>");
	assert_string_equal(cs[0].received, "192.0.2.9:4000");
	assert_string_equal(cs[0].instance, "<urn:uuid:9>");
	assert_true(cs[0].expires_in > 590 && cs[0].expires_in <= 600);
	assert_string_equal(cs[1].uri, "sip:alice@10.0.0.1:5060");
	assert_null(cs[1].path);
	assert_int_equal(registrar_contacts(r, "sip:alice@open-ims.test", cs, 1), 1);
	assert_int_equal(cs[0].q, 900);
	assert_int_equal(registrar_contacts(r, "sip:bob@open-ims.test", cs, 4), 0);

	prof = registrar_profile(r, "sip:alice@open-ims.test");
	assert_non_null(prof);
	assert_int_equal(prof->n_ids, 3);
	assert_non_null(prof->ifc_xml[prof->ids[0].profile]);
	assert_non_null(strstr(prof->ifc_xml[prof->ids[0].profile], "sip:as.open-ims.test"));
	assert_null(registrar_profile(r, "sip:bob@open-ims.test"));

	/* Without a SIP agent the reg event package is not offered. */
	assert_int_equal(registrar_on_subscribe(r, NULL, NULL), 501);

	registrar_destroy(r);
	su_root_destroy(root);
	su_deinit();
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_answers_state_contacts_and_profile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
