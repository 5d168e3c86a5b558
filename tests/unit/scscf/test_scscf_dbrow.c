/*
 * The MariaDB store's pure parts: a row built from a registration set or a
 * reg-event subscription reads back into the same state (key, IMPI,
 * wall-clock expiry, contacts, profile); a damaged or empty row is refused
 * without crashing; the changed-key set coalesces repeated changes, hands
 * keys over once, and overflows into a full rewrite instead of growing or
 * blocking; the store reports every change of a set (old and new key).
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

#include "registrar/reg_dirty.h"
#include "registrar/reg_load_pool.h"
#include "registrar/reg_row.h"
#include "registrar/reg_store.h"

#define XML_FMT \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<IMSSubscription><PrivateID>%s@open-ims.test</PrivateID><ServiceProfile>" \
	"<PublicIdentity><Identity>%s</Identity></PublicIdentity>" \
	"<PublicIdentity><Identity>%s</Identity></PublicIdentity>" \
	"<InitialFilterCriteria><Priority>0</Priority></InitialFilterCriteria>" \
	"</ServiceProfile></IMSSubscription>\n"

static struct reg_profile *profile_of(const char *user, const char *id1, const char *id2)
{
	struct reg_profile *p = NULL;
	char xml[1024];

	snprintf(xml, sizeof xml, XML_FMT, user, id1, id2);
	assert_int_equal(reg_profile_parse(xml, strlen(xml), &p), 0);
	return p;
}

static struct reg_record *add_user(struct reg_store *st, const char *user, int64_t now,
				   int64_t ttl)
{
	char impu[128], impi[128], tel[128], uri[128];
	struct reg_profile *p;
	struct reg_record *rec = NULL;
	struct reg_binding b = { .call_id = "cid-9", .cseq = 42, .path = "<sip:term@pcscf:4060;lr>",
				 .received = "192.0.2.9:5062", .instance = "<urn:uuid:9>",
				 .reg_id = 2, .q = 500 };

	snprintf(impu, sizeof impu, "sip:%s@open-ims.test", user);
	snprintf(tel, sizeof tel, "tel:+49301%s", user);
	snprintf(impi, sizeof impi, "%s@open-ims.test", user);
	snprintf(uri, sizeof uri, "sip:%s@10.0.0.9:5062", user);
	p = profile_of(user, impu, tel);
	b.uri = uri;
	b.expires = ttl;
	assert_int_equal(reg_store_put(st, impu, impi, &p, &rec), 0);
	assert_int_equal(reg_store_apply(st, rec, &b, 1, false, now), 0);
	return rec;
}

static void test_set_row_round_trip_keeps_contacts_and_wall_expiry(void **state)
{
	struct reg_store a, b;
	struct reg_record *rec;
	struct reg_row row;
	bool kept;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	rec = add_user(&a, "alice", 1000, 600);
	assert_int_equal(reg_row_from_set(&row, rec, 1000, 70000), 0);
	assert_int_equal(row.kind, REG_ROW_SET);
	assert_string_equal(row.key, "sip:alice@open-ims.test");
	assert_string_equal(row.impi, "alice@open-ims.test");
	assert_int_equal(row.expires_wall, 70600);
	assert_non_null(row.data);
	reg_store_free(&a);

	/* Another boot (store clock 7), 100 s of wall time later. */
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 7, 70100, &kept), 0);
	assert_true(kept);
	rec = reg_store_find(&b, "tel:+49301alice");
	assert_non_null(rec);
	assert_string_equal(rec->impi, "alice@open-ims.test");
	assert_int_equal(rec->n_contacts, 1);
	assert_string_equal(rec->contacts[0].uri, "sip:alice@10.0.0.9:5062");
	assert_string_equal(rec->contacts[0].path, "<sip:term@pcscf:4060;lr>");
	assert_string_equal(rec->contacts[0].call_id, "cid-9");
	assert_string_equal(rec->contacts[0].instance, "<urn:uuid:9>");
	assert_int_equal(rec->contacts[0].cseq, 42);
	assert_int_equal(rec->contacts[0].reg_id, 2);
	assert_int_equal(rec->contacts[0].q, 500);
	assert_int_equal(rec->contacts[0].expires, 7 + 500);
	/* The same row again: the set is held already, dropped quietly. */
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 7, 70100, &kept), 0);
	assert_false(kept);
	assert_int_equal(b.n_records, 1);
	reg_row_clear(&row);
	reg_store_free(&b);
}

static void test_expired_set_row_is_not_loaded(void **state)
{
	struct reg_store a, b;
	struct reg_row row;
	bool kept;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	assert_int_equal(reg_row_from_set(&row, add_user(&a, "bob", 0, 60), 0, 1000), 0);
	reg_store_free(&a);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 0, 1061, &kept), 0);
	assert_false(kept);
	assert_int_equal(b.n_records, 0);
	reg_row_clear(&row);
	reg_store_free(&b);
}

static void test_sub_row_round_trip(void **state)
{
	struct reg_events ea, eb;
	struct reg_sub *s = calloc(1, sizeof *s);
	struct reg_row row;
	bool kept;

	(void)state;
	assert_non_null(s);
	s->call_id = strdup("sub-1");
	s->impu = strdup("sip:alice@open-ims.test");
	s->subscriber = strdup("sip:pcscf@pcscf.open-ims.test");
	s->local_tag = strdup("lt");
	s->local_uri = strdup("<sip:alice@open-ims.test>");
	s->remote = strdup("<sip:pcscf@pcscf.open-ims.test>;tag=rt");
	s->target = strdup("sip:pcscf@127.0.0.1:4060");
	s->next_hop = strdup("sip:pcscf@127.0.0.1:4060");
	s->cseq = 7;
	s->version = 2;
	s->expires = 300;
	assert_int_equal(reg_events_init(&ea, 10, 3600), 0);
	assert_int_equal(reg_events_restore(&ea, s), 0);
	assert_int_equal(reg_row_from_sub(&row, s, 0, 1000), 0);
	assert_int_equal(row.kind, REG_ROW_SUB);
	assert_string_equal(row.key, "sub-1");
	assert_string_equal(row.impi, "sip:alice@open-ims.test");
	assert_int_equal(row.expires_wall, 1300);
	reg_events_free(&ea);

	assert_int_equal(reg_events_init(&eb, 10, 3600), 0);
	assert_int_equal(reg_row_load(row.data, row.len, NULL, &eb, 0, 1100, &kept), 0);
	assert_false(kept);
	s = reg_htab_find(&eb.by_call_id, "sub-1");
	assert_non_null(s);
	assert_int_equal(s->expires, 200);
	assert_int_equal(s->version, 2);
	reg_row_clear(&row);
	reg_events_free(&eb);
}

static void test_damaged_rows_are_refused(void **state)
{
	static const char *const bad[] = { "R\n", "X\n", "R\nS 99999999\nabc\n", "U\nS -\n",
					   "R\nS 3\nabc" };
	struct reg_store st;
	struct reg_events ev;
	size_t i;
	bool kept;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	assert_int_equal(reg_events_init(&ev, 10, 3600), 0);
	assert_int_equal(reg_row_load(NULL, 0, &st, &ev, 0, 0, &kept), -EBADMSG);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(reg_row_load(bad[i], strlen(bad[i]), &st, &ev, 0, 0, &kept),
				 -EBADMSG);
	assert_int_equal(st.n_records, 0);
	assert_int_equal(ev.count, 0);
	reg_events_free(&ev);
	reg_store_free(&st);
}

static void test_dirty_coalesces_by_key_and_hands_over_once(void **state)
{
	struct reg_dirty d;
	char **keys;
	size_t n;
	bool full;
	int i;

	(void)state;
	assert_int_equal(reg_dirty_init(&d, 100), 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(reg_dirty_add(&d, 'R', "sip:alice@open-ims.test"), 0);
		assert_int_equal(reg_dirty_add(&d, 'U', "sip:alice@open-ims.test"), 0);
	}
	assert_int_equal(reg_dirty_add(&d, 'R', "sip:bob@open-ims.test"), 0);
	assert_int_equal(reg_dirty_count(&d), 3);
	reg_dirty_take(&d, &keys, &n, &full);
	assert_int_equal(n, 3);
	assert_false(full);
	assert_string_equal(keys[0], "Rsip:alice@open-ims.test");
	assert_string_equal(keys[1], "Usip:alice@open-ims.test");
	assert_string_equal(keys[2], "Rsip:bob@open-ims.test");
	reg_dirty_keys_free(keys, n);
	assert_int_equal(reg_dirty_count(&d), 0);
	/* After the hand-over the same key is new again. */
	assert_int_equal(reg_dirty_add(&d, 'R', "sip:alice@open-ims.test"), 0);
	assert_int_equal(reg_dirty_count(&d), 1);
	reg_dirty_free(&d);
}

static void test_dirty_overflow_means_full_rewrite(void **state)
{
	struct reg_dirty d;
	char key[32], **keys;
	size_t n;
	bool full;
	int i;

	(void)state;
	assert_int_equal(reg_dirty_init(&d, 4), 0);
	for (i = 0; i < 4; i++) {
		snprintf(key, sizeof key, "k%d", i);
		assert_int_equal(reg_dirty_add(&d, 'R', key), 0);
	}
	assert_int_equal(reg_dirty_add(&d, 'R', "k0"), 0); /* known: still coalesced */
	assert_int_equal(reg_dirty_add(&d, 'R', "k4"), -ENOSPC);
	assert_true(d.overflow);
	assert_int_equal(reg_dirty_count(&d), 4);
	reg_dirty_take(&d, &keys, &n, &full);
	assert_true(full);
	reg_dirty_keys_free(keys, n);
	assert_false(d.overflow);
	assert_int_equal(reg_dirty_add(&d, 'R', "k5"), 0);
	reg_dirty_free(&d);
}

struct touched {
	char keys[8][64];
	int n;
};

static void on_touch(void *ctx, const struct reg_record *rec)
{
	struct touched *t = ctx;

	if (t->n < 8)
		snprintf(t->keys[t->n++], sizeof t->keys[0], "%s", reg_row_set_key(rec));
}

/* A PPR that reorders the set: the old first IMPU and the new one are
 * both reported, so the old row is deleted and the new one written. */
static void test_store_reports_old_and_new_key(void **state)
{
	struct touched t = { .n = 0 };
	struct reg_store st;
	struct reg_record *rec;
	struct reg_profile *p;

	(void)state;
	assert_int_equal(reg_store_init(&st, 10), 0);
	rec = add_user(&st, "carol", 0, 600);
	st.touch = on_touch;
	st.touch_ctx = &t;
	p = profile_of("carol", "tel:+49301carol", "sip:carol@open-ims.test");
	assert_int_equal(reg_store_set_profile(&st, rec, &p), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.keys[0], "sip:carol@open-ims.test");
	assert_string_equal(t.keys[1], "tel:+49301carol");
	assert_int_equal(reg_store_expire_record(&st, rec, 600), 0);
	assert_int_equal(t.n, 3);
	reg_store_remove(&st, rec);
	assert_int_equal(t.n, 4);
	assert_string_equal(t.keys[3], "tel:+49301carol");
	st.touch = NULL;
	reg_store_free(&st);
}

/* A row keeps the profile's parts beside its XML: while the compiled iFCs
 * it names are in memory (another user of the profile), the load rebuilds
 * the profile from the parts without parsing the XML; when they are not,
 * or the parts are inconsistent, it parses the XML. Shown with a row whose
 * XML was altered after writing: the identities then tell which way the
 * profile was built. A row of the older format (no parts) still loads. */
static void test_set_row_profile_from_parts_or_xml(void **state)
{
	struct reg_store a, b;
	struct reg_record *rec;
	struct reg_row row;
	char *at, *k;
	bool kept;

	(void)state;
	assert_int_equal(reg_store_init(&a, 10), 0);
	rec = add_user(&a, "alice", 0, 600);
	assert_int_equal(reg_row_from_set(&row, rec, 0, 1000), 0);
	k = strstr(row.data, "K 1 2\n");
	assert_non_null(k);
	at = strstr(row.data, "<Identity>sip:alice");
	assert_non_null(at);
	assert_true(at < k);
	at[strlen("<Identity>sip:ali")] = 'x'; /* the XML now says sip:alixe */

	/* alice's set still held in a: its compiled iFCs are cached. */
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 0, 1000, &kept), 0);
	assert_true(kept);
	rec = reg_store_find(&b, "sip:alice@open-ims.test");
	assert_non_null(rec);
	assert_null(reg_store_find(&b, "sip:alixe@open-ims.test"));
	assert_string_equal(rec->profile->private_id, "alice@open-ims.test");
	assert_int_equal(rec->profile->n_ids, 2);
	assert_string_equal(rec->profile->ids[1].uri, "tel:+49301alice");
	assert_ptr_equal(rec->profile->ifc_ref[0],
			 reg_store_find(&a, "sip:alice@open-ims.test")->profile->ifc_ref[0]);
	assert_int_equal(rec->profile->xml_len, strlen(rec->profile->xml));
	assert_non_null(strstr(rec->profile->xml, "sip:alixe"));
	reg_store_free(&b);

	/* Inconsistent parts (a ServiceProfile index out of range): parsed. */
	at = strstr(k, "I 0 0\n");
	assert_non_null(at);
	at[4] = '7';
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 0, 1000, &kept), 0);
	assert_true(kept);
	assert_non_null(reg_store_find(&b, "sip:alixe@open-ims.test"));
	reg_store_free(&b);
	at[4] = '0';

	/* Nobody holds the profile any more: parsed from the XML. */
	reg_store_free(&a);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 0, 1000, &kept), 0);
	assert_true(kept);
	assert_non_null(reg_store_find(&b, "sip:alixe@open-ims.test"));
	reg_store_free(&b);

	/* Hostile counts in the parts: the row is refused, nothing crashes. */
	memcpy(k, "K 9 2\n", 6);
	assert_int_equal(reg_store_init(&b, 10), 0);
	assert_int_equal(reg_row_load(row.data, row.len, &b, NULL, 0, 1000, &kept), -EBADMSG);
	assert_false(kept);
	reg_store_free(&b);
	reg_row_clear(&row);
}

/* Rows read by the load pool come out in the order they went in, with
 * each row's own result (a damaged one among good ones), whatever the
 * number of workers; a full ring refuses more (the loop pops first); the
 * pool freed with rows pending leaks nothing. */
static void test_load_pool_keeps_row_order(void **state)
{
	enum { N = 600 };
	static struct reg_row rows[N];
	struct reg_store a, b;
	struct reg_load_pool *pool;
	struct reg_item it;
	size_t workers, i, in, out;
	char user[48];
	bool kept;
	int rc;

	(void)state;
	assert_int_equal(reg_store_init(&a, N), 0);
	for (i = 0; i < N; i++) {
		snprintf(user, sizeof user, "u%zu", i);
		assert_int_equal(reg_row_from_set(&rows[i], add_user(&a, user, 0, 600), 0, 1000), 0);
	}
	reg_store_free(&a);
	for (workers = 0; workers <= 3; workers++) {
		assert_int_equal(reg_store_init(&b, N), 0);
		assert_int_equal(reg_load_pool_create(workers, 0, 1000, &pool), 0);
		assert_false(reg_load_pool_pop(pool, &it, &rc));
		for (in = out = 0; out < N;) {
			char *data = NULL;

			if (in < N) {
				/* Every 7th row damaged: its result must stay its own. */
				data = malloc(rows[in].len);
				assert_non_null(data);
				memcpy(data, rows[in].data, rows[in].len);
				if (in % 7 == 3)
					data[0] = 'X';
				if (reg_load_pool_push(pool, data, rows[in].len) == 0) {
					in++;
					continue;
				}
				free(data);
				assert_int_equal(reg_load_pool_pending(pool), 256);
			}
			assert_true(reg_load_pool_pop(pool, &it, &rc));
			if (out % 7 == 3) {
				assert_int_equal(rc, -EBADMSG);
				reg_item_clear(&it);
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(it.kind, 'R');
				snprintf(user, sizeof user, "u%zu@open-ims.test", out);
				assert_string_equal(it.impi, user);
				assert_int_equal(reg_persist_add_item(&it, &b, NULL, &kept), 0);
				assert_true(kept);
			}
			out++;
		}
		assert_false(reg_load_pool_pop(pool, &it, &rc));
		assert_int_equal(b.n_records, N - (N + 3) / 7);
		/* Destroyed with rows still queued. */
		for (i = 0; i < 20; i++) {
			char *data = malloc(rows[i].len);

			assert_non_null(data);
			memcpy(data, rows[i].data, rows[i].len);
			assert_int_equal(reg_load_pool_push(pool, data, rows[i].len), 0);
		}
		reg_load_pool_destroy(pool);
		reg_store_free(&b);
	}
	for (i = 0; i < N; i++)
		reg_row_clear(&rows[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_row_round_trip_keeps_contacts_and_wall_expiry),
		cmocka_unit_test(test_expired_set_row_is_not_loaded),
		cmocka_unit_test(test_sub_row_round_trip),
		cmocka_unit_test(test_damaged_rows_are_refused),
		cmocka_unit_test(test_dirty_coalesces_by_key_and_hands_over_once),
		cmocka_unit_test(test_dirty_overflow_means_full_rewrite),
		cmocka_unit_test(test_store_reports_old_and_new_key),
		cmocka_unit_test(test_load_pool_keeps_row_order),
		cmocka_unit_test(test_set_row_profile_from_parts_or_xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
