/*
 * Registrar bindings across restarts: a snapshot written and read back
 * keeps records, contacts (Path, Call-ID, CSeq, instance, reg-id, q,
 * received) and profiles; expiry moves with the wall clock and what
 * expired meanwhile is dropped; a truncated or garbage file never crashes
 * and keeps what came before the damage. Also the PPR profile swap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registrar/reg_persist.h"
#include "registrar/reg_store.h"

#define XML_FMT \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<IMSSubscription><PrivateID>%s@open-ims.test</PrivateID><ServiceProfile>" \
	"<PublicIdentity><Identity>sip:%s@open-ims.test</Identity></PublicIdentity>" \
	"<PublicIdentity><Identity>tel:+49301%s</Identity></PublicIdentity>" \
	"<InitialFilterCriteria><Priority>0</Priority></InitialFilterCriteria>" \
	"</ServiceProfile></IMSSubscription>\n"

static char path[256];

static int setup(void **state)
{
	(void)state;
	snprintf(path, sizeof path, "%s/scscf-persist-%d.state",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	char tmp[300];

	(void)state;
	unlink(path);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	unlink(tmp);
	return 0;
}

/* Registers user with one contact expiring at now + ttl. */
static void add_user(struct reg_store *st, const char *user, int64_t now, int64_t ttl)
{
	char xml[1024], impu[128], impi[128], uri[128];
	struct reg_profile *p = NULL;
	struct reg_record *rec = NULL;
	struct reg_binding b = { .call_id = "cid-1", .cseq = 3, .path = "<sip:term@pcscf:4060;lr>",
				 .received = "192.0.2.1:5060", .instance = "<urn:uuid:1>",
				 .reg_id = 1, .q = 700 };

	snprintf(xml, sizeof xml, XML_FMT, user, user, user);
	snprintf(impu, sizeof impu, "sip:%s@open-ims.test", user);
	snprintf(impi, sizeof impi, "%s@open-ims.test", user);
	snprintf(uri, sizeof uri, "sip:%s@10.0.0.1:5060", user);
	b.uri = uri;
	b.expires = ttl;
	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), 0);
	assert_int_equal(reg_store_put(st, impu, impi, &p, &rec), 0);
	assert_int_equal(reg_store_apply(st, rec, &b, 1, false, now), 0);
}

static void test_snapshot_round_trip_keeps_bindings_and_profiles(void **state)
{
	struct reg_store a, b;
	struct reg_record *rec;
	size_t loaded;
	bool damaged;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	add_user(&a, "alice", 1000, 600);
	add_user(&a, "bob", 1000, 300);
	assert_int_equal(reg_persist_save(&a, NULL, path, 1000, 50000), 0);
	reg_store_free(&a);

	/* Restart: another boot (monotonic clock at 5), 100 s of wall time later. */
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_persist_load(&b, NULL, path, 5, 50100, &loaded, &damaged), 0);
	assert_int_equal(loaded, 2);
	assert_false(damaged);
	rec = reg_store_find(&b, "tel:+49301alice");
	assert_non_null(rec);
	assert_ptr_equal(reg_store_find(&b, "sip:alice@open-ims.test"), rec);
	assert_string_equal(rec->impi, "alice@open-ims.test");
	assert_int_equal(rec->n_contacts, 1);
	assert_string_equal(rec->contacts[0].uri, "sip:alice@10.0.0.1:5060");
	assert_string_equal(rec->contacts[0].path, "<sip:term@pcscf:4060;lr>");
	assert_string_equal(rec->contacts[0].call_id, "cid-1");
	assert_string_equal(rec->contacts[0].received, "192.0.2.1:5060");
	assert_string_equal(rec->contacts[0].instance, "<urn:uuid:1>");
	assert_int_equal(rec->contacts[0].cseq, 3);
	assert_int_equal(rec->contacts[0].reg_id, 1);
	assert_int_equal(rec->contacts[0].q, 700);
	assert_int_equal(rec->contacts[0].expires, 5 + 500); /* 600 - 100 s gone */
	assert_non_null(rec->profile->ifc_xml[0]);
	assert_non_null(strstr(rec->profile->xml, "<PrivateID>alice@open-ims.test"));
	reg_store_free(&b);
}

static void test_expired_bindings_are_dropped_on_load(void **state)
{
	struct reg_store a, b;
	size_t loaded;
	bool damaged;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	add_user(&a, "alice", 0, 600);
	add_user(&a, "bob", 0, 60);
	assert_int_equal(reg_persist_save(&a, NULL, path, 0, 10000), 0);
	reg_store_free(&a);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_persist_load(&b, NULL, path, 0, 10000 + 61, &loaded, &damaged), 0);
	assert_int_equal(loaded, 1);
	assert_non_null(reg_store_find(&b, "sip:alice@open-ims.test"));
	assert_null(reg_store_find(&b, "sip:bob@open-ims.test"));
	reg_store_free(&b);
}

static void truncate_to(off_t len)
{
	assert_int_equal(truncate(path, len), 0);
}

static void test_truncated_or_garbage_file_keeps_the_good_part(void **state)
{
	struct reg_store a, b;
	struct stat sb;
	size_t loaded, first_kept = 0;
	bool damaged;
	off_t full, cut;
	FILE *f;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	add_user(&a, "alice", 0, 600);
	add_user(&a, "bob", 0, 600);
	assert_int_equal(reg_persist_save(&a, NULL, path, 0, 0), 0);
	assert_int_equal(stat(path, &sb), 0);
	full = sb.st_size;
	/* Every cut point: never a crash, never more than was whole. */
	for (cut = full - 1; cut >= 0; cut -= 7) {
		assert_int_equal(reg_persist_save(&a, NULL, path, 0, 0), 0);
		truncate_to(cut);
		assert_int_equal(reg_store_init(&b, 10), 0);
		assert_int_equal(reg_persist_load(&b, NULL, path, 0, 0, &loaded, &damaged), 0);
		assert_true(loaded < 2);
		if (loaded == 1 && !first_kept)
			first_kept = 1;
		reg_store_free(&b);
	}
	assert_int_equal(first_kept, 1); /* a cut in the second record keeps the first */
	reg_store_free(&a);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("IMSREG 1\nR\nS 99999999999\nxx", f);
	fclose(f);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_persist_load(&b, NULL, path, 0, 0, &loaded, &damaged), 0);
	assert_true(damaged);
	assert_int_equal(loaded, 0);
	reg_store_free(&b);

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a state file\n", f);
	fclose(f);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_persist_load(&b, NULL, path, 0, 0, &loaded, &damaged), 0);
	assert_true(damaged);
	reg_store_free(&b);
}

static void test_missing_file_is_a_first_start(void **state)
{
	struct reg_store b;
	size_t loaded;
	bool damaged;

	(void)state;
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_persist_load(&b, NULL, path, 0, 0, &loaded, &damaged), -ENOENT);
	reg_store_free(&b);
}

static struct reg_sub *sub_of(const char *call_id, int64_t expires)
{
	struct reg_sub *s = calloc(1, sizeof *s);

	assert_non_null(s);
	s->call_id = strdup(call_id);
	s->impu = strdup("sip:alice@open-ims.test");
	s->subscriber = strdup("sip:pcscf@pcscf.open-ims.test");
	s->local_tag = strdup("lt");
	s->local_uri = strdup("<sip:alice@open-ims.test>");
	s->remote = strdup("<sip:pcscf@pcscf.open-ims.test>;tag=rt");
	s->target = strdup("sip:pcscf@127.0.0.1:4060");
	s->next_hop = strdup("sip:pcscf@127.0.0.1:4060");
	s->cseq = 7;
	s->remote_cseq = 1;
	s->version = 3;
	s->expires = expires;
	return s;
}

/* Subscriptions come back with their dialog, a CSeq safely above the last
 * one sent, and without those that expired meanwhile. */
static void test_subscriptions_survive_with_a_cseq_gap(void **state)
{
	struct reg_events ea, eb;
	struct reg_store a, b;
	struct reg_sub *s;
	size_t loaded;
	bool damaged;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	assert_int_equal(reg_events_init(&ea, 10, 3600), 0);
	add_user(&a, "alice", 0, 600);
	assert_int_equal(reg_events_restore(&ea, sub_of("live", 500)), 0);
	assert_int_equal(reg_events_restore(&ea, sub_of("short", 50)), 0);
	s = sub_of("live", 500);
	assert_int_equal(reg_events_restore(&ea, s), -EEXIST); /* same Call-ID */
	reg_sub_free(s);
	assert_int_equal(reg_persist_save(&a, &ea, path, 0, 1000), 0);
	reg_events_free(&ea);
	reg_store_free(&a);

	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_events_init(&eb, 10, 3600), 0);
	assert_int_equal(reg_persist_load(&b, &eb, path, 0, 1100, &loaded, &damaged), 0);
	assert_int_equal(loaded, 1);
	assert_false(damaged);
	assert_int_equal(eb.count, 1);
	s = reg_htab_find(&eb.by_call_id, "live");
	assert_non_null(s);
	assert_null(reg_htab_find(&eb.by_call_id, "short"));
	assert_int_equal(s->cseq, 7 + REG_PERSIST_CSEQ_GAP);
	assert_int_equal(s->version, 3);
	assert_int_equal(s->expires, 400);
	assert_null(s->routes);
	assert_string_equal(s->remote, "<sip:pcscf@pcscf.open-ims.test>;tag=rt");
	reg_events_free(&eb);
	reg_store_free(&b);
}

/* PPR: a new profile re-indexes the set; one sharing no IMPU is refused. */
static void test_profile_swap_reindexes_the_set(void **state)
{
	static const char swap[] =
		"<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID><ServiceProfile>"
		"<PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>"
		"<PublicIdentity><Identity>sip:alice-work@open-ims.test</Identity>"
		"</PublicIdentity></ServiceProfile></IMSSubscription>";
	static const char other[] =
		"<IMSSubscription><PrivateID>x@open-ims.test</PrivateID><ServiceProfile>"
		"<PublicIdentity><Identity>sip:x@open-ims.test</Identity></PublicIdentity>"
		"</ServiceProfile></IMSSubscription>";
	struct reg_store st;
	struct reg_profile *p = NULL;
	struct reg_record *rec;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	add_user(&st, "alice", 0, 600);
	rec = reg_store_find(&st, "sip:alice@open-ims.test");
	assert_int_equal(reg_profile_parse(other, strlen(other), &p), 0);
	assert_int_equal(reg_store_set_profile(&st, rec, &p), -EINVAL);
	assert_non_null(p);
	reg_profile_free(p);
	p = NULL;
	assert_int_equal(reg_profile_parse(swap, strlen(swap), &p), 0);
	assert_int_equal(reg_store_set_profile(&st, rec, &p), 0);
	assert_null(p);
	assert_ptr_equal(reg_store_find(&st, "sip:alice-work@open-ims.test"), rec);
	assert_null(reg_store_find(&st, "tel:+49301alice"));
	assert_int_equal(rec->n_contacts, 1);
	reg_store_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_snapshot_round_trip_keeps_bindings_and_profiles,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_expired_bindings_are_dropped_on_load, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_truncated_or_garbage_file_keeps_the_good_part,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_is_a_first_start, setup, teardown),
		cmocka_unit_test(test_profile_swap_reindexes_the_set),
		cmocka_unit_test_setup_teardown(test_subscriptions_survive_with_a_cseq_gap, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
