/* Store API against a private MariaDB provisioned by run.sh (IMS_DB_*). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <mysql.h>

#include "store/store.h"
#include "store/store_sh.h"

static const uint8_t alice_k[16] = { 0x46, 0x5b, 0x5c, 0xe8, 0xb1, 0x99, 0xb4, 0x9f,
				     0xaa, 0x5f, 0x0a, 0x2e, 0xe2, 0x38, 0xa6, 0xbc };
static const uint8_t alice_op[16] = { 0xcd, 0xc2, 0x02, 0xd5, 0x12, 0x3e, 0x20, 0xf6,
				      0x2b, 0x6d, 0x67, 0x6a, 0xc7, 0x2c, 0xb3, 0x18 };

static struct store_config db_config(void)
{
	const char *port = getenv("IMS_DB_PORT");
	struct store_config c = {
		.host = getenv("IMS_DB_HOST"),
		.port = port ? (unsigned int)atoi(port) : 0,
		.user = getenv("IMS_DB_USER"),
		.password = getenv("IMS_DB_PASSWORD"),
		.database = getenv("IMS_DB_NAME"),
		.connect_timeout_s = 5,
		.read_timeout_s = 10,
	};
	return c;
}

static int setup(void **state)
{
	struct store_config c = db_config();
	struct store *st = NULL;

	if (store_open(&c, &st))
		return -1;
	*state = st;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	return 0;
}

static void test_schema_check_accepts_current_version(void **state)
{
	char msg[256];
	unsigned int v = 0;

	assert_int_equal(store_schema_check(*state, msg, sizeof(msg)), 0);
	assert_int_equal(store_schema_version(*state, &v), 0);
	assert_int_equal(v, IMS_STORE_SCHEMA_VERSION);
}

static void test_auth_data_reads_back_exactly(void **state)
{
	struct store_auth a;

	assert_int_equal(store_auth_get(*state, "alice@open-ims.test", &a), 0);
	assert_true(a.has_k);
	assert_memory_equal(a.k, alice_k, 16);
	assert_true(a.has_op);
	assert_false(a.op_is_opc);
	assert_memory_equal(a.op, alice_op, 16);
	assert_int_equal(a.amf[0], 0x80);
	assert_int_equal(a.amf[1], 0x00);
	assert_int_equal(a.schemes, STORE_AUTH_AKAV1_MD5 | STORE_AUTH_DIGEST_MD5);
	assert_true(a.has_password);
	assert_string_equal(a.password, "alice");
	assert_false(a.has_ha1);
	assert_string_equal(a.realm, "open-ims.test");
	store_auth_wipe(&a);
	assert_false(a.has_k);
	/* bob's key differs: a wrong vector must not match */
	assert_int_equal(store_auth_get(*state, "bob@open-ims.test", &a), 0);
	assert_memory_not_equal(a.k, alice_k, 16);
	store_auth_wipe(&a);
}

static void test_unknown_impi_is_enoent(void **state)
{
	struct store_auth a;
	struct store_impu u;

	assert_int_equal(store_auth_get(*state, "nobody@open-ims.test", &a), -ENOENT);
	assert_int_equal(store_impu_get(*state, "sip:nobody@open-ims.test", &u), -ENOENT);
	assert_int_equal(store_sqn_set(*state, "nobody@open-ims.test", 1), -ENOENT);
}

static void test_sqn_cas_rejects_stale_value(void **state)
{
	struct store_auth a;

	assert_int_equal(store_sqn_advance(*state, "alice@open-ims.test", 0, 32), 0);
	/* a second writer still believing SQN=0 loses */
	assert_int_equal(store_sqn_advance(*state, "alice@open-ims.test", 0, 64), -EAGAIN);
	assert_int_equal(store_auth_get(*state, "alice@open-ims.test", &a), 0);
	assert_int_equal(a.sqn, 32);
	/* CAS to the same value still succeeds (matched row) */
	assert_int_equal(store_sqn_advance(*state, "alice@open-ims.test", 32, 32), 0);
	assert_int_equal(store_sqn_advance(*state, "nobody@open-ims.test", 0, 1), -ENOENT);
	assert_int_equal(store_sqn_advance(*state, "alice@open-ims.test", 32,
					   STORE_SQN_MAX + 1), -EINVAL);
	/* resync sets unconditionally; 48-bit values survive */
	assert_int_equal(store_sqn_set(*state, "alice@open-ims.test", STORE_SQN_MAX), 0);
	assert_int_equal(store_auth_get(*state, "alice@open-ims.test", &a), 0);
	assert_true(a.sqn == STORE_SQN_MAX);
	assert_int_equal(store_sqn_set(*state, "alice@open-ims.test", 0), 0);
	store_auth_wipe(&a);
}

static void test_implicit_set_keeps_order(void **state)
{
	struct store_impu *set = NULL;
	size_t n = 0;

	assert_int_equal(store_implicit_set_get(*state, "tel:+4930100001", &set, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(set[0].identity, "sip:alice@open-ims.test");
	assert_int_equal(set[0].implicit_set_pos, 0);
	assert_string_equal(set[1].identity, "tel:+4930100001");
	assert_int_equal(set[0].implicit_set_id, set[1].implicit_set_id);
	assert_true(set[0].service_profile_id != 0);
	free(set);
	assert_int_equal(store_implicit_set_get(*state, "sip:x@y", &set, &n), -ENOENT);
	assert_null(set);
}

static void test_reg_set_updates_whole_implicit_set(void **state)
{
	struct store_impu u;

	assert_int_equal(store_reg_set(*state, "tel:+4930100001", "alice@open-ims.test",
				       STORE_REGISTERED, "sip:scscf.open-ims.test:6060"), 0);
	assert_int_equal(store_impu_get(*state, "sip:alice@open-ims.test", &u), 0);
	assert_int_equal(u.reg_state, STORE_REGISTERED);
	assert_string_equal(u.scscf_name, "sip:scscf.open-ims.test:6060");
	assert_string_equal(u.last_impi, "alice@open-ims.test");
	assert_false(u.barred);
	assert_true(u.can_register);
	assert_int_equal(u.type, STORE_IMPU_PUBLIC_USER);
	/* another subscriber's set is untouched */
	assert_int_equal(store_impu_get(*state, "sip:bob@open-ims.test", &u), 0);
	assert_int_equal(u.reg_state, STORE_NOT_REGISTERED);
	assert_string_equal(u.scscf_name, "");
	assert_int_equal(store_scscf_clear(*state, "sip:alice@open-ims.test"), 0);
	assert_int_equal(store_impu_get(*state, "tel:+4930100001", &u), 0);
	assert_string_equal(u.scscf_name, "");
	assert_int_equal(u.reg_state, STORE_REGISTERED);
	assert_int_equal(store_reg_set(*state, "sip:alice@open-ims.test", NULL,
				       STORE_NOT_REGISTERED, NULL), 0);
	assert_int_equal(store_impu_get(*state, "tel:+4930100001", &u), 0);
	assert_int_equal(u.reg_state, STORE_NOT_REGISTERED);
	assert_string_equal(u.last_impi, "alice@open-ims.test");
	assert_int_equal(store_reg_set(*state, "sip:nobody@x", NULL, STORE_REGISTERED, NULL),
			 -ENOENT);
	assert_int_equal(store_reg_set(*state, "sip:alice@open-ims.test", NULL, 7, NULL), -EINVAL);
}

static void test_impi_impu_mismatch_detected(void **state)
{
	assert_int_equal(store_impi_impu_check(*state, "alice@open-ims.test",
					       "sip:alice@open-ims.test"), 0);
	assert_int_equal(store_impi_impu_check(*state, "alice@open-ims.test",
					       "sip:bob@open-ims.test"), -EACCES);
	assert_int_equal(store_impi_impu_check(*state, "nobody@open-ims.test",
					       "sip:alice@open-ims.test"), -ENOENT);
	assert_int_equal(store_impi_impu_check(*state, "alice@open-ims.test",
					       "sip:nobody@open-ims.test"), -ENOENT);
}

static void test_shared_impu_lists_both_impis(void **state)
{
	struct store_strv sv = { 0 };

	assert_int_equal(store_impu_impis(*state, "sip:shared@open-ims.test", &sv), 0);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "alice@open-ims.test");
	assert_string_equal(sv.v[1], "bob@open-ims.test");
	store_strv_free(&sv);
	assert_int_equal(store_impu_impis(*state, "sip:nobody@open-ims.test", &sv), -ENOENT);
	assert_int_equal(store_impi_impus(*state, "alice@open-ims.test", &sv), 0);
	assert_int_equal(sv.n, 3);
	assert_string_equal(sv.v[0], "sip:alice@open-ims.test");
	store_strv_free(&sv);
}

static void test_service_profile_loads_ifcs_in_priority_order(void **state)
{
	struct store_service_profile *sp = NULL;
	struct store_impu u;

	assert_int_equal(store_impu_get(*state, "sip:alice@open-ims.test", &u), 0);
	assert_int_equal(store_service_profile_get(*state, u.service_profile_id, &sp), 0);
	assert_int_equal(sp->n_ifcs, 2);
	struct store_ifc *f = &sp->ifcs[0];
	assert_int_equal(f->priority, 0);
	assert_string_equal(f->as_server_name, "sip:as.open-ims.test:5070");
	assert_int_equal(f->default_handling, 1);
	assert_string_equal(f->service_info, "hello");
	assert_int_equal(f->profile_part_indicator, -1);
	assert_true(f->condition_type_cnf);
	assert_int_equal(f->n_spts, 2);
	assert_int_equal(f->spts[0].type, STORE_SPT_METHOD);
	assert_string_equal(f->spts[0].value, "INVITE");
	assert_false(f->spts[0].negated);
	assert_int_equal(f->spts[1].type, STORE_SPT_SESSION_CASE);
	assert_int_equal(f->spts[1].session_case, 0);
	f = &sp->ifcs[1];
	assert_int_equal(f->priority, 1);
	assert_false(f->condition_type_cnf);
	assert_true(f->include_register_request);
	assert_null(f->service_info);
	assert_int_equal(f->n_spts, 2);
	assert_int_equal(f->spts[0].type, STORE_SPT_SIP_HEADER);
	assert_string_equal(f->spts[0].header, "Event");
	assert_string_equal(f->spts[0].value, ".*reg.*");
	assert_true(f->spts[1].negated);
	assert_string_equal(f->spts[1].value, "MESSAGE");
	store_service_profile_free(sp);
	assert_int_equal(store_service_profile_get(*state, 999999, &sp), -ENOENT);
	assert_null(sp);
}

static void test_caps_returns_mandatory_optional_and_names(void **state)
{
	struct store_caps c;

	assert_int_equal(store_caps_get(*state, "alice@open-ims.test", &c), 0);
	assert_int_equal(c.n_mandatory, 2);
	assert_int_equal(c.mandatory[0], 1);
	assert_int_equal(c.mandatory[1], 2);
	assert_int_equal(c.n_optional, 1);
	assert_int_equal(c.optional[0], 3);
	assert_int_equal(c.server_names.n, 1);
	assert_string_equal(c.server_names.v[0], "sip:scscf.open-ims.test:6060");
	store_caps_free(&c);
	/* no IMPI: the default set */
	assert_int_equal(store_caps_get(*state, NULL, &c), 0);
	assert_int_equal(c.n_mandatory, 2);
	store_caps_free(&c);
}

static void test_visited_network_allowed_per_subscription(void **state)
{
	assert_int_equal(store_visited_network_allowed(*state, "alice@open-ims.test", "roam.test"), 0);
	assert_int_equal(store_visited_network_allowed(*state, "bob@open-ims.test", "roam.test"),
			 -EACCES);
	assert_int_equal(store_visited_network_allowed(*state, "alice@open-ims.test", "other.test"),
			 -EACCES);
	assert_int_equal(store_visited_network_allowed(*state, "nobody@x", "roam.test"), -ENOENT);
}

static void test_wildcard_psi_matches_whole_identity(void **state)
{
	struct store_impu u;

	assert_int_equal(store_wildcard_psi_find(*state, "sip:chatroom-42@open-ims.test", &u), 0);
	assert_string_equal(u.identity, "sip:chatroom-!.*!@open-ims.test");
	assert_int_equal(u.type, STORE_IMPU_WILDCARD_PSI);
	assert_int_equal(store_wildcard_psi_find(*state, "sip:alice@open-ims.test", &u), -ENOENT);
	/* anchored: a match inside a longer identity does not count */
	assert_int_equal(store_wildcard_psi_find(*state, "sip:xsip:chatroom-1@open-ims.test", &u),
			 -ENOENT);
}

/* KILL the store's connection from a second one. */
static void kill_connection(unsigned long id)
{
	struct store_config c = db_config();
	MYSQL *m = mysql_init(NULL);
	char q[64];

	assert_non_null(mysql_real_connect(m, c.host, c.user, c.password, c.database,
					   c.port, NULL, 0));
	snprintf(q, sizeof(q), "KILL %lu", id);
	assert_int_equal(mysql_query(m, q), 0);
	mysql_close(m);
}

#define ALICE_SIP "sip:alice@open-ims.test"
#define ALICE "alice@open-ims.test"
#define SCSCF1 "sip:scscf.open-ims.test:6060"

/* UAR read: one statement; capabilities only when no S-CSCF name is stored
 * or they are asked for. */
static void test_uar_read_carries_caps_only_without_scscf(void **state)
{
	struct store_impu u;
	struct store_caps c;

	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED, NULL), 0);
	assert_int_equal(store_impu_get_caps(*state, ALICE_SIP, ALICE, false, &u, &c), 0);
	assert_string_equal(u.identity, ALICE_SIP);
	assert_int_equal(c.n_mandatory, 2);
	assert_int_equal(c.mandatory[1], 2);
	assert_int_equal(c.n_optional, 1);
	assert_int_equal(c.optional[0], 3);
	assert_int_equal(c.server_names.n, 1);
	assert_string_equal(c.server_names.v[0], SCSCF1);
	store_caps_free(&c);
	assert_int_equal(store_reg_set(*state, ALICE_SIP, ALICE, STORE_REGISTERED, SCSCF1), 0);
	assert_int_equal(store_impu_get_caps(*state, "tel:+4930100001", ALICE, false, &u, &c), 0);
	assert_string_equal(u.scscf_name, SCSCF1);
	assert_string_equal(u.last_impi, ALICE);
	assert_int_equal(u.reg_state, STORE_REGISTERED);
	assert_int_equal(c.n_mandatory + c.n_optional + c.server_names.n, 0);
	assert_int_equal(store_impu_get_caps(*state, ALICE_SIP, ALICE, true, &u, &c), 0);
	assert_int_equal(c.n_mandatory, 2);
	store_caps_free(&c);
	assert_int_equal(store_impu_get_caps(*state, "sip:bob@open-ims.test", ALICE, false, &u, &c),
			 -EACCES);
	assert_int_equal(store_impu_get_caps(*state, ALICE_SIP, "nobody@x", false, &u, &c), -ENOENT);
	assert_int_equal(store_impu_get_caps(*state, "sip:nobody@x", ALICE, false, &u, &c), -ENOENT);
	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED, NULL), 0);
}

/* SAR read: the implicit set, where the IMPU is in it, and the check. */
static void test_sar_read_checks_and_returns_the_set(void **state)
{
	struct store_impu *set = NULL;
	size_t n = 0, pos = 9;
	unsigned int n_impis = 0;

	assert_int_equal(store_implicit_set_checked(*state, "tel:+4930100001", ALICE, &set, &n,
						    &pos, &n_impis), 0);
	assert_int_equal(n, 2);
	assert_int_equal(pos, 1);
	assert_string_equal(set[0].identity, ALICE_SIP);
	assert_string_equal(set[1].identity, "tel:+4930100001");
	assert_int_equal(n_impis, 1);
	free(set);
	assert_int_equal(store_implicit_set_checked(*state, "sip:shared@open-ims.test",
						    "bob@open-ims.test", &set, &n, &pos, &n_impis), 0);
	assert_int_equal(n_impis, 2);
	assert_string_equal(set[pos].identity, "sip:shared@open-ims.test");
	free(set);
	assert_int_equal(store_implicit_set_checked(*state, ALICE_SIP, NULL, &set, &n, &pos, NULL), 0);
	assert_int_equal(pos, 0);
	free(set);
	set = NULL;
	assert_int_equal(store_implicit_set_checked(*state, "sip:bob@open-ims.test", ALICE, &set, &n,
						    &pos, NULL), -EACCES);
	assert_null(set);
	assert_int_equal(store_implicit_set_checked(*state, ALICE_SIP, "nobody@x", &set, &n, &pos,
						    NULL), -ENOENT);
	assert_int_equal(store_implicit_set_checked(*state, "sip:nobody@x", ALICE, &set, &n, &pos,
						    NULL), -ENOENT);
	assert_null(set);
}

/* MAR read: the auth data and the IMPU's check and registration, one
 * statement. */
static void test_mar_read_checks_impu_with_the_auth_data(void **state)
{
	struct store_auth a;
	struct store_impu_reg reg;

	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_UNREGISTERED, SCSCF1), 0);
	assert_int_equal(store_auth_get_checked(*state, ALICE, "tel:+4930100001", &a, &reg), 0);
	assert_memory_equal(a.k, alice_k, 16);
	assert_true(a.has_k && a.has_op && a.has_password);
	assert_int_equal(a.schemes, STORE_AUTH_AKAV1_MD5 | STORE_AUTH_DIGEST_MD5);
	assert_int_equal(reg.reg_state, STORE_UNREGISTERED);
	assert_string_equal(reg.scscf_name, SCSCF1);
	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED, NULL), 0);
	assert_int_equal(store_auth_get_checked(*state, ALICE, ALICE_SIP, &a, &reg), 0);
	assert_int_equal(reg.reg_state, STORE_NOT_REGISTERED);
	assert_string_equal(reg.scscf_name, "");
	assert_int_equal(store_auth_get_checked(*state, ALICE, "sip:bob@open-ims.test", &a, &reg),
			 -EACCES);
	assert_false(a.has_k);
	assert_int_equal(store_auth_get_checked(*state, ALICE, "sip:nobody@x", &a, &reg), -ENOENT);
	assert_int_equal(store_auth_get_checked(*state, "nobody@x", ALICE_SIP, &a, &reg), -ENOENT);
	store_auth_wipe(&a);
}

/* MAR: the SQN reservation carries the S-CSCF name, all or nothing. */
static void test_sqn_advance_reg_writes_both_or_nothing(void **state)
{
	struct store_auth a;
	struct store_impu u;
	uint64_t sqn;

	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED, NULL), 0);
	assert_int_equal(store_auth_get(*state, ALICE, &a), 0);
	sqn = a.sqn;
	assert_int_equal(store_sqn_advance_reg(*state, ALICE, sqn + 1, sqn + 64, "tel:+4930100001",
					       STORE_NOT_REGISTERED, SCSCF1), -EAGAIN);
	assert_int_equal(store_impu_get(*state, ALICE_SIP, &u), 0);
	assert_string_equal(u.scscf_name, "");
	assert_int_equal(store_sqn_advance_reg(*state, ALICE, sqn, sqn + 64, "tel:+4930100001",
					       STORE_NOT_REGISTERED, SCSCF1), 0);
	assert_int_equal(store_auth_get(*state, ALICE, &a), 0);
	assert_int_equal(a.sqn, sqn + 64);
	assert_int_equal(store_impu_get(*state, ALICE_SIP, &u), 0);
	assert_string_equal(u.scscf_name, SCSCF1);
	assert_int_equal(u.reg_state, STORE_NOT_REGISTERED);
	assert_int_equal(store_sqn_advance_reg(*state, ALICE, sqn + 64, sqn + 128, "sip:nobody@x",
					       STORE_NOT_REGISTERED, SCSCF1), -EAGAIN);
	assert_int_equal(store_auth_get(*state, ALICE, &a), 0);
	assert_int_equal(a.sqn, sqn + 64);
	assert_int_equal(store_reg_set(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED, NULL), 0);
	store_auth_wipe(&a);
}

/* The SAR write finds out in the same statement whether an AS subscribed
 * to the registration state of the set (TS 29.328 IMSUserState = 11,
 * S-CSCFName = 12), and then writes the whole set all the same. */
static void test_reg_set_unwatched_tells_of_a_subscription(void **state)
{
	struct store_sh_as as = { .snr_refs = UINT64_C(1) << 11 }, got;
	struct store_impu *set = NULL;
	size_t n = 0;
	bool watched = true;

	assert_int_equal(store_reg_set_unwatched(*state, ALICE_SIP, ALICE, STORE_REGISTERED,
						 SCSCF1, 2, 11, 12, &watched), 0);
	assert_false(watched);
	snprintf(as.name, sizeof as.name, "watcher");
	snprintf(as.host, sizeof as.host, "watcher.open-ims.test");
	snprintf(as.realm, sizeof as.realm, "open-ims.test");
	assert_int_equal(store_sh_as_add(*state, &as), 0);
	assert_int_equal(store_sh_as_by_host(*state, as.host, &got), 0);
	assert_int_equal(store_sh_sub_add(*state, got.id, "tel:+4930100001", 11, "", "", 0, false),
			 0);
	assert_int_equal(store_reg_set_unwatched(*state, ALICE_SIP, NULL, STORE_NOT_REGISTERED,
						 NULL, 2, 11, 12, &watched), 0);
	assert_true(watched);
	assert_int_equal(store_implicit_set_get(*state, ALICE_SIP, &set, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(set[i].reg_state, STORE_NOT_REGISTERED);
		assert_string_equal(set[i].scscf_name, "");
	}
	free(set);
	assert_int_equal(store_reg_set_unwatched(*state, "sip:nobody@x", NULL, STORE_REGISTERED,
						 NULL, 1, 11, 12, &watched), -ENOENT);
	assert_int_equal(store_sh_as_del(*state, "watcher"), 0);
}

/* The change-log mark moves with a logged change and with its taking. */
static void test_change_log_mark_moves_with_a_change(void **state)
{
	uint64_t m0, r0, m1, r1, m2, r2;

	assert_int_equal(store_sh_change_mark(*state, &m0, &r0), 0);
	assert_int_equal(store_sh_change_add(*state, ALICE_SIP, 13, 0), 0);
	assert_int_equal(store_sh_change_mark(*state, &m1, &r1), 0);
	assert_true(m1 > m0);
	assert_int_equal(r1, r0 + 1);
	assert_int_equal(store_sh_change_take(*state, m1), 0);
	assert_int_equal(store_sh_change_mark(*state, &m2, &r2), 0);
	assert_int_equal(r2, r0);
	assert_true(m2 != m1 || r2 != r1);
}

static void test_reconnect_after_kill_reprepares_statements(void **state)
{
	struct store *st = *state;
	struct store_auth a;
	unsigned long before = store_connection_id(st);

	/* statements are prepared and cached first */
	assert_int_equal(store_auth_get(st, "alice@open-ims.test", &a), 0);
	kill_connection(before);
	assert_int_equal(store_auth_get(st, "alice@open-ims.test", &a), 0);
	assert_memory_equal(a.k, alice_k, 16);
	assert_true(store_connection_id(st) != before);
	/* and inside a transaction (store_reg_set retries the whole one) */
	before = store_connection_id(st);
	kill_connection(before);
	assert_int_equal(store_reg_set(st, "sip:bob@open-ims.test", "bob@open-ims.test",
				       STORE_REGISTERED, "sip:scscf.open-ims.test:6060"), 0);
	assert_true(store_connection_id(st) != before);
	store_auth_wipe(&a);
}

static void test_open_unreachable_server_fails(void **state)
{
	struct store_config c = db_config();
	struct store *st = (struct store *)1;

	c.port = 1;  /* nothing listens there */
	c.connect_timeout_s = 2;
	assert_int_equal(store_open(&c, &st), -ENOTCONN);
	assert_null(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema_check_accepts_current_version),
		cmocka_unit_test(test_auth_data_reads_back_exactly),
		cmocka_unit_test(test_unknown_impi_is_enoent),
		cmocka_unit_test(test_sqn_cas_rejects_stale_value),
		cmocka_unit_test(test_implicit_set_keeps_order),
		cmocka_unit_test(test_reg_set_updates_whole_implicit_set),
		cmocka_unit_test(test_impi_impu_mismatch_detected),
		cmocka_unit_test(test_shared_impu_lists_both_impis),
		cmocka_unit_test(test_service_profile_loads_ifcs_in_priority_order),
		cmocka_unit_test(test_caps_returns_mandatory_optional_and_names),
		cmocka_unit_test(test_visited_network_allowed_per_subscription),
		cmocka_unit_test(test_wildcard_psi_matches_whole_identity),
		cmocka_unit_test(test_uar_read_carries_caps_only_without_scscf),
		cmocka_unit_test(test_sar_read_checks_and_returns_the_set),
		cmocka_unit_test(test_mar_read_checks_impu_with_the_auth_data),
		cmocka_unit_test(test_reg_set_unwatched_tells_of_a_subscription),
		cmocka_unit_test(test_sqn_advance_reg_writes_both_or_nothing),
		cmocka_unit_test(test_change_log_mark_moves_with_a_change),
		cmocka_unit_test(test_reconnect_after_kill_reprepares_statements),
		cmocka_unit_test(test_open_unreachable_server_fails),
	};
	int rc;

	if (store_library_init())
		return 1;
	rc = cmocka_run_group_tests(tests, setup, teardown);
	store_library_end();
	return rc;
}
