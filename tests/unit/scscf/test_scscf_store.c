/*
 * Registrar storage: the hash table, records of implicit sets found by
 * every IMPU, contact updates (add, refresh, remove, "*", bounds, CSeq
 * order) and expiry driven by an explicit clock.
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
#include <malloc.h>

#include "registrar/reg_htab.h"
#include "registrar/reg_store.h"

/* A profile as the XML parser would give it: ids[] in HSS order. */
static struct reg_profile *profile_of(const char *impi, const char *const *uris, size_t n)
{
	struct reg_profile *p = calloc(1, sizeof *p);

	assert_non_null(p);
	p->private_id = strdup(impi);
	p->ids = calloc(n, sizeof *p->ids);
	p->ifc_xml = calloc(1, sizeof *p->ifc_xml);
	p->n_profiles = 1;
	for (size_t i = 0; i < n; i++)
		p->ids[i].uri = strdup(uris[i]);
	p->n_ids = n;
	return p;
}

static const char *const alice_set[] = { "sip:alice@open-ims.test", "tel:+4930100001" };

static void test_htab_finds_removes_and_grows(void **state)
{
	struct reg_htab t;
	char keys[2000][16];
	int i;

	(void)state;
	assert_int_equal(reg_htab_init(&t, 4), 0);
	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d", i);
		assert_int_equal(reg_htab_insert(&t, keys[i], keys[i]), 0);
	}
	assert_int_equal(reg_htab_insert(&t, "k7", NULL), -EEXIST);
	assert_true(t.n_buckets >= 2000);
	for (i = 0; i < 2000; i++)
		assert_ptr_equal(reg_htab_find(&t, keys[i]), keys[i]);
	assert_null(reg_htab_find(&t, "k2000"));
	/* Remove with the wrong value is refused. */
	assert_int_equal(reg_htab_remove(&t, "k5", keys[6]), -ENOENT);
	assert_int_equal(reg_htab_remove(&t, "k5", keys[5]), 0);
	assert_null(reg_htab_find(&t, "k5"));
	assert_int_equal(t.count, 1999);
	reg_htab_free(&t);
}

static void test_store_put_indexes_every_impu_of_the_set(void **state)
{
	struct reg_store st;
	struct reg_profile *p = profile_of("alice@open-ims.test", alice_set, 2);
	struct reg_record *rec = NULL;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	assert_int_equal(reg_store_put(&st, "tel:+4930100001", "alice@open-ims.test", &p, &rec), 0);
	assert_null(p);
	assert_ptr_equal(reg_store_find(&st, "sip:alice@open-ims.test"), rec);
	assert_ptr_equal(reg_store_find(&st, "tel:+4930100001"), rec);
	assert_null(reg_store_find(&st, "sip:bob@open-ims.test"));
	assert_string_equal(rec->impi, "alice@open-ims.test");
	/* A second put for the same set updates, never duplicates. */
	p = profile_of("alice@open-ims.test", alice_set, 1);
	assert_int_equal(reg_store_put(&st, "sip:alice@open-ims.test", "alice@open-ims.test", &p,
				       NULL), 0);
	assert_int_equal(st.n_records, 1);
	assert_null(reg_store_find(&st, "tel:+4930100001"));
	reg_store_free(&st);
}

static void test_store_put_refuses_impu_outside_profile(void **state)
{
	struct reg_store st;
	struct reg_profile *p = profile_of("alice@open-ims.test", alice_set, 2);

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	assert_int_equal(reg_store_put(&st, "sip:mallory@open-ims.test", "alice@open-ims.test",
				       &p, NULL), -EINVAL);
	assert_non_null(p);
	assert_int_equal(st.n_records, 0);
	reg_profile_free(p);
	reg_store_free(&st);
}

static struct reg_record *alice(struct reg_store *st)
{
	struct reg_profile *p = profile_of("alice@open-ims.test", alice_set, 2);
	struct reg_record *rec = NULL;

	assert_int_equal(reg_store_put(st, alice_set[0], "alice@open-ims.test", &p, &rec), 0);
	return rec;
}

static void test_store_contacts_add_refresh_remove(void **state)
{
	struct reg_store st;
	struct reg_record *rec;
	struct reg_binding b[2] = {
		{ .uri = "sip:alice@10.0.0.1:5060", .path = "<sip:term@pcscf;lr>", .call_id = "c1",
		  .cseq = 1, .expires = 600 },
		{ .uri = "sip:alice@10.0.0.2:5060", .call_id = "c2", .cseq = 1, .expires = 300 },
	};
	size_t left;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	rec = alice(&st);
	assert_int_equal(reg_store_check(&st, rec, b, 2, false, &left), 0);
	assert_int_equal(left, 2);
	assert_int_equal(reg_store_apply(&st, rec, b, 2, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 2);
	assert_int_equal(rec->next_expiry, 1300);
	assert_string_equal(rec->contacts[0].path, "<sip:term@pcscf;lr>");
	/* Refresh the second with a higher CSeq, same Call-ID. */
	b[1].cseq = 2;
	b[1].expires = 900;
	assert_int_equal(reg_store_apply(&st, rec, &b[1], 1, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 2);
	assert_int_equal(rec->next_expiry, 1600);
	/* Remove the first. */
	b[0].cseq = 2;
	b[0].expires = 0;
	assert_int_equal(reg_store_check(&st, rec, b, 1, false, &left), 0);
	assert_int_equal(left, 1);
	assert_int_equal(reg_store_apply(&st, rec, b, 1, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 1);
	assert_string_equal(rec->contacts[0].uri, "sip:alice@10.0.0.2:5060");
	/* "*": everything goes. */
	assert_int_equal(reg_store_check(&st, rec, NULL, 0, true, &left), 0);
	assert_int_equal(left, 0);
	assert_int_equal(reg_store_apply(&st, rec, NULL, 0, true, 1000), 0);
	assert_int_equal(rec->n_contacts, 0);
	reg_store_free(&st);
}

/* RFC 5626 6: a binding with +sip.instance and reg-id replaces the one of the
 * same instance and reg-id even from a new Contact URI (NAT rebinding); a
 * second reg-id is a second flow; without reg-id the URI decides. */
static void test_store_outbound_flows_match_instance_and_reg_id(void **state)
{
	struct reg_store st;
	struct reg_record *rec;
	const char *inst = "\"<urn:uuid:00000000-0000-1000-8000-000a95a0e128>\"";
	struct reg_binding b[3] = {
		{ .uri = "sip:alice@10.0.0.1:5060", .instance = inst, .reg_id = 1, .call_id = "c",
		  .cseq = 1, .expires = 600 },
		{ .uri = "sip:alice@10.0.0.1:5062", .instance = inst, .reg_id = 2, .call_id = "c",
		  .cseq = 1, .expires = 600 },
		{ .uri = "sip:alice@192.0.2.7:40000", .instance = inst, .reg_id = 1, .call_id = "c",
		  .cseq = 2, .expires = 600 },
	};
	size_t left;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	rec = alice(&st);
	assert_int_equal(reg_store_apply(&st, rec, b, 2, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 2);
	/* Flow 1 again, from another address: replaces, not added. */
	assert_int_equal(reg_store_check(&st, rec, &b[2], 1, false, &left), 0);
	assert_int_equal(left, 2);
	assert_int_equal(reg_store_apply(&st, rec, &b[2], 1, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 2);
	for (size_t i = 0; i < rec->n_contacts; i++) {
		assert_string_not_equal(rec->contacts[i].uri, "sip:alice@10.0.0.1:5060");
		if (rec->contacts[i].reg_id == 1) {
			assert_string_equal(rec->contacts[i].uri, "sip:alice@192.0.2.7:40000");
			assert_int_equal(rec->contacts[i].event, REG_EV_REFRESHED);
		}
	}
	/* The same flow with an old CSeq in the same Call-ID is stale. */
	b[2].cseq = 1;
	assert_int_equal(reg_store_check(&st, rec, &b[2], 1, false, &left), -EALREADY);
	/* De-registering flow 2 by its instance and reg-id. */
	b[1].cseq = 3;
	b[1].expires = 0;
	b[1].uri = "sip:alice@198.51.100.1:1";
	assert_int_equal(reg_store_apply(&st, rec, &b[1], 1, false, 1000), 0);
	assert_int_equal(rec->n_contacts, 1);
	assert_int_equal(rec->contacts[0].reg_id, 1);
	reg_store_free(&st);
}

static void test_store_check_rejects_old_cseq_and_too_many_contacts(void **state)
{
	struct reg_store st;
	struct reg_record *rec;
	struct reg_binding b = { .uri = "sip:a@1.2.3.4", .call_id = "c", .cseq = 5, .expires = 60 };
	struct reg_binding more[3] = {
		{ .uri = "sip:b@1.2.3.4", .expires = 60 },
		{ .uri = "sip:c@1.2.3.4", .expires = 60 },
		{ .uri = "sip:c@1.2.3.4", .expires = 60 }, /* listed twice: counts once */
	};
	size_t left;

	(void)state;
	assert_int_equal(reg_store_init(&st, 3), 0);
	rec = alice(&st);
	assert_int_equal(reg_store_apply(&st, rec, &b, 1, false, 0), 0);
	/* RFC 3261 10.3 step 7: same Call-ID, CSeq not higher. */
	assert_int_equal(reg_store_check(&st, rec, &b, 1, false, &left), -EALREADY);
	b.cseq = 4;
	assert_int_equal(reg_store_check(&st, rec, &b, 1, false, &left), -EALREADY);
	assert_int_equal(reg_store_check(&st, rec, more, 3, false, &left), 0);
	assert_int_equal(left, 3);
	st.max_contacts = 2;
	assert_int_equal(reg_store_check(&st, rec, more, 3, false, &left), -EMLINK);
	assert_int_equal(rec->n_contacts, 1); /* check changes nothing */
	reg_store_free(&st);
}

static int gone_count;
static char gone_impi[64];

static void on_gone(void *ctx, const struct reg_record *rec)
{
	(void)ctx;
	gone_count++;
	snprintf(gone_impi, sizeof gone_impi, "%s", rec->impi);
}

static void test_store_expire_drops_contacts_then_records(void **state)
{
	struct reg_store st;
	struct reg_record *rec;
	struct reg_binding b[2] = {
		{ .uri = "sip:a@1.2.3.4", .expires = 10 },
		{ .uri = "sip:b@1.2.3.4", .expires = 20 },
	};

	(void)state;
	gone_count = 0;
	assert_int_equal(reg_store_init(&st, 10), 0);
	rec = alice(&st);
	assert_int_equal(reg_store_apply(&st, rec, b, 2, false, 100), 0);
	assert_int_equal(reg_store_expire(&st, 109, on_gone, NULL), 0);
	assert_int_equal(rec->n_contacts, 2);
	assert_int_equal(reg_store_expire(&st, 110, on_gone, NULL), 0);
	assert_int_equal(rec->n_contacts, 1);
	assert_int_equal(gone_count, 0);
	assert_int_equal(reg_store_expire(&st, 120, on_gone, NULL), 1);
	assert_int_equal(gone_count, 1);
	assert_string_equal(gone_impi, "alice@open-ims.test");
	assert_null(reg_store_find(&st, "tel:+4930100001"));
	assert_int_equal(st.n_records, 0);
	reg_store_free(&st);
}

/* What a registered user costs: profile as the HSS writes it (two IMPUs,
 * one iFC), one contact with Path and Call-ID. Target < 4 KB. Measured
 * with mallinfo2, which sees nothing under ASan (then only printed). */
static void test_store_memory_per_user_below_4k(void **state)
{
	enum { USERS = 5000 };
	struct reg_store st;
	struct mallinfo2 before, after;
	char xml[1024], impu[64], tel[64];
	size_t per_user;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	before = mallinfo2();
	for (int i = 0; i < USERS; i++) {
		struct reg_profile *p = NULL;
		struct reg_record *rec = NULL;
		struct reg_binding b = { .uri = NULL, .path = "<sip:term@pcscf.open-ims.test:4060;lr>",
					 .call_id = "a84b4c76e66710@pc33.open-ims.test", .cseq = 2,
					 .expires = 600 };
		char contact[80];
		int n;

		snprintf(impu, sizeof impu, "sip:user%05d@open-ims.test", i);
		snprintf(tel, sizeof tel, "tel:+49301%05d", i);
		n = snprintf(xml, sizeof xml,
			     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IMSSubscription>"
			     "<PrivateID>user%05d@open-ims.test</PrivateID><ServiceProfile>"
			     "<PublicIdentity><Identity>%s</Identity></PublicIdentity>"
			     "<PublicIdentity><Identity>%s</Identity></PublicIdentity>"
			     "<InitialFilterCriteria><Priority>0</Priority><TriggerPoint>"
			     "<ConditionTypeCNF>0</ConditionTypeCNF><SPT><ConditionNegated>0"
			     "</ConditionNegated><Group>0</Group><Method>INVITE</Method></SPT>"
			     "</TriggerPoint><ApplicationServer><ServerName>sip:as.open-ims.test"
			     "</ServerName><DefaultHandling>0</DefaultHandling></ApplicationServer>"
			     "</InitialFilterCriteria></ServiceProfile></IMSSubscription>",
			     i, impu, tel);
		assert_int_equal(reg_profile_parse(xml, (size_t)n, &p), 0);
		assert_int_equal(reg_store_put(&st, impu, "impi", &p, &rec), 0);
		snprintf(contact, sizeof contact, "sip:user%05d@10.1.%d.%d:5060", i, i / 250, i % 250);
		b.uri = contact;
		assert_int_equal(reg_store_apply(&st, rec, &b, 1, false, 0), 0);
	}
	after = mallinfo2();
	per_user = (after.uordblks - before.uordblks) / USERS;
	if (after.uordblks > before.uordblks)
		print_message("memory per registered user: %zu bytes (%d users)\n", per_user, USERS);
	else
		print_message("memory per registered user: not measurable (sanitizer allocator)\n");
	assert_int_equal(st.n_records, USERS);
	if (after.uordblks > before.uordblks)
		assert_true(per_user < 4096);
	reg_store_free(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_htab_finds_removes_and_grows),
		cmocka_unit_test(test_store_put_indexes_every_impu_of_the_set),
		cmocka_unit_test(test_store_put_refuses_impu_outside_profile),
		cmocka_unit_test(test_store_contacts_add_refresh_remove),
		cmocka_unit_test(test_store_outbound_flows_match_instance_and_reg_id),
		cmocka_unit_test(test_store_check_rejects_old_cseq_and_too_many_contacts),
		cmocka_unit_test(test_store_expire_drops_contacts_then_records),
		cmocka_unit_test(test_store_memory_per_user_below_4k),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
