/* Digest (RFC 2617/7616) and AKAv1-MD5 (RFC 3310) helpers against every case
 * of tests/data/vectors/digest-aka.txt. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ims/digest.h"

#define MAX_KV 48
#define MAX_CASES 32

struct vcase {
	char *key[MAX_KV];
	char *val[MAX_KV];
	int n;
};

static struct vcase cases[MAX_CASES];
static int n_cases;

static const char *get(const struct vcase *c, const char *key)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->key[i], key) == 0)
			return strcmp(c->val[i], "(absent)") == 0 ? NULL : c->val[i];
	return NULL;
}

static int load_vectors(void **state)
{
	FILE *f = fopen(IMS_SHARED_DIR "/vectors/digest-aka.txt", "r");
	char line[1024];
	struct vcase *cur = NULL;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#')
			continue;
		if (!line[0]) {
			cur = NULL;
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		if (!cur) {
			if (n_cases == MAX_CASES)
				break;
			cur = &cases[n_cases++];
		}
		if (cur->n < MAX_KV) {
			cur->key[cur->n] = strdup(line);
			cur->val[cur->n] = strdup(eq + 1);
			cur->n++;
		}
	}
	fclose(f);
	return n_cases > 0 ? 0 : -1;
}

static int free_vectors(void **state)
{
	for (int c = 0; c < n_cases; c++)
		for (int i = 0; i < cases[c].n; i++) {
			free(cases[c].key[i]);
			free(cases[c].val[i]);
		}
	return 0;
}

static size_t hex_decode(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* request parameters of a case */
static struct digest_request request_of(const struct vcase *c, uint8_t *body, size_t cap)
{
	struct digest_request rq = { 0 };
	bool aka;

	assert_int_equal(digest_alg_parse(get(c, "algorithm"), &rq.alg, &aka), 0);
	rq.method = get(c, "method");
	rq.uri = get(c, "uri");
	rq.nonce = get(c, "nonce");
	rq.qop = get(c, "qop");
	rq.nc = get(c, "nc");
	rq.cnonce = get(c, "cnonce");
	if (get(c, "body_hex")) {
		rq.body_len = hex_decode(get(c, "body_hex"), body, cap);
		rq.body = body;
	}
	return rq;
}

/* HA1 from the case's password: raw octets (password_hex, AKA RES) or text */
static void ha1_of(const struct vcase *c, enum digest_alg alg, char ha1[DIGEST_HEX_MAX])
{
	uint8_t pw[64];

	if (get(c, "password_hex")) {
		size_t n = hex_decode(get(c, "password_hex"), pw, sizeof pw);
		if (n >= DIGEST_AKA_RES_MIN)
			assert_int_equal(digest_aka_ha1(get(c, "username"), get(c, "realm"), pw, n, ha1), 0);
		else /* resync request: empty password (aka-7) */
			assert_int_equal(digest_ha1(alg, get(c, "username"), get(c, "realm"), pw, n, ha1), 0);
	} else {
		const char *p = get(c, "password");
		assert_non_null(p);
		assert_int_equal(digest_ha1(alg, get(c, "username"), get(c, "realm"), p, strlen(p), ha1), 0);
	}
}

static void test_every_vector_gives_ha1_ha2_response(void **state)
{
	int checked = 0;

	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		uint8_t body[256];
		char ha1[DIGEST_HEX_MAX], ha2[DIGEST_HEX_MAX], resp[DIGEST_HEX_MAX];
		struct digest_request rq = request_of(c, body, sizeof body);

		print_message("case %s\n", get(c, "case"));
		ha1_of(c, rq.alg, ha1);
		assert_string_equal(ha1, get(c, "ha1"));
		assert_int_equal(digest_ha2(&rq, ha2), 0);
		assert_string_equal(ha2, get(c, "ha2"));
		assert_int_equal(digest_response(&rq, ha1, resp), 0);
		assert_string_equal(resp, get(c, "response"));
		assert_int_equal(digest_verify(&rq, ha1, get(c, "response")), 0);
		checked++;
	}
	/* 7 AKA + 5 MD5 + 1 SHA-256 cases in the file */
	assert_true(checked >= 13);
}

static void test_corrupted_vector_does_not_verify(void **state)
{
	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		uint8_t body[256];
		char ha1[DIGEST_HEX_MAX], bad[DIGEST_HEX_MAX];
		struct digest_request rq = request_of(c, body, sizeof body);

		ha1_of(c, rq.alg, ha1);
		/* flip one hex character of the expected response */
		snprintf(bad, sizeof bad, "%s", get(c, "response"));
		bad[5] = bad[5] == '0' ? '1' : '0';
		assert_int_equal(digest_verify(&rq, ha1, bad), -EACCES);
		/* and one of HA1 */
		ha1[0] = ha1[0] == 'a' ? 'b' : 'a';
		assert_int_equal(digest_verify(&rq, ha1, get(c, "response")), -EACCES);
	}
}

/* RFC 3310 3.4: the password is RES as octets; a UE (or HSS) hashing the
 * hex text of RES gets a different response that must not verify. */
static void test_aka_res_hex_text_password_is_rejected(void **state)
{
	int seen = 0;

	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		const char *wrong = get(c, "wrong_response_if_password_is_res_hex_text");
		uint8_t body[8];
		char good_ha1[DIGEST_HEX_MAX], text_ha1[DIGEST_HEX_MAX], resp[DIGEST_HEX_MAX];

		if (!wrong)
			continue;
		struct digest_request rq = request_of(c, body, sizeof body);
		const char *res_hex = get(c, "res_hex");
		ha1_of(c, rq.alg, good_ha1);
		assert_int_equal(digest_ha1(DIGEST_MD5, get(c, "username"), get(c, "realm"),
					    res_hex, strlen(res_hex), text_ha1), 0);
		assert_int_equal(digest_response(&rq, text_ha1, resp), 0);
		assert_string_equal(resp, wrong);
		assert_int_equal(digest_verify(&rq, good_ha1, wrong), -EACCES);
		seen++;
	}
	assert_true(seen >= 6);
}

/* aka-5: RES has a 0x00 octet; SIPp 3.6.1 hashes it with strlen(). */
static void test_aka_res_with_nul_octet_is_not_truncated(void **state)
{
	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		const char *sipp = get(c, "sipp361_response_res_truncated_at_first_nul");
		uint8_t res[16], body[8];
		char ha1[DIGEST_HEX_MAX], trunc_ha1[DIGEST_HEX_MAX], resp[DIGEST_HEX_MAX];

		if (!sipp)
			continue;
		struct digest_request rq = request_of(c, body, sizeof body);
		size_t n = hex_decode(get(c, "res_hex"), res, sizeof res);
		size_t cut = strnlen((const char *)res, n);
		assert_true(cut < n);
		assert_int_equal(digest_aka_ha1(get(c, "username"), get(c, "realm"), res, n, ha1), 0);
		assert_int_equal(digest_ha1(DIGEST_MD5, get(c, "username"), get(c, "realm"),
					    res, cut, trunc_ha1), 0);
		assert_int_equal(digest_response(&rq, trunc_ha1, resp), 0);
		assert_string_equal(resp, sipp);
		assert_string_not_equal(sipp, get(c, "response"));
		assert_int_equal(digest_verify(&rq, ha1, sipp), -EACCES);
		assert_int_equal(digest_verify(&rq, ha1, get(c, "response")), 0);
		return;
	}
	fail_msg("no aka case with sipp361_response_res_truncated_at_first_nul");
}

static void test_aka_nonce_build_and_parse_match_vectors(void **state)
{
	int seen = 0;

	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		uint8_t rnd[16], autn[16], sd[64], prnd[16], pautn[16], psd[64];
		size_t sd_len = 0, psd_len = 99;
		char nonce[DIGEST_AKA_NONCE_MAX];

		if (!get(c, "rand_hex") || !get(c, "autn_hex"))
			continue;
		hex_decode(get(c, "rand_hex"), rnd, sizeof rnd);
		hex_decode(get(c, "autn_hex"), autn, sizeof autn);
		if (get(c, "server_data_hex"))
			sd_len = hex_decode(get(c, "server_data_hex"), sd, sizeof sd);
		assert_int_equal(digest_aka_nonce_build(rnd, autn, sd, sd_len, nonce, sizeof nonce), 0);
		assert_string_equal(nonce, get(c, "nonce"));
		assert_int_equal(digest_aka_nonce_parse(nonce, prnd, pautn, psd, sizeof psd, &psd_len), 0);
		assert_memory_equal(prnd, rnd, 16);
		assert_memory_equal(pautn, autn, 16);
		assert_int_equal(psd_len, sd_len);
		if (sd_len)
			assert_memory_equal(psd, sd, sd_len);
		seen++;
	}
	assert_true(seen >= 6);
}

static void test_aka_auts_decodes_to_14_octets(void **state)
{
	for (int i = 0; i < n_cases; i++) {
		const struct vcase *c = &cases[i];
		uint8_t auts[14], want[14], rnd[16], autn[16];

		if (!get(c, "auts_param"))
			continue;
		hex_decode(get(c, "auts_hex"), want, sizeof want);
		assert_int_equal(digest_aka_auts_decode(get(c, "auts_param"), auts), 0);
		assert_memory_equal(auts, want, 14);
		/* RAND of the resync comes from the nonce of the challenge */
		assert_int_equal(digest_aka_nonce_parse(get(c, "nonce"), rnd, autn, NULL, 0, NULL), 0);
		uint8_t mar[30];
		hex_decode(get(c, "sip_authorization_data_for_mar_hex"), mar, sizeof mar);
		assert_memory_equal(mar, rnd, 16);
		assert_memory_equal(mar + 16, auts, 14);
		return;
	}
	fail_msg("no resync case in the vectors");
}

static void test_aka_rejects_bad_nonce_and_auts(void **state)
{
	uint8_t rnd[16], autn[16], auts[14], sd[4];
	size_t sd_len;

	/* 31 octets: too short for RAND||AUTN */
	assert_int_equal(digest_aka_nonce_parse("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfrw==",
						rnd, autn, NULL, 0, NULL), -EINVAL);
	/* invalid character */
	assert_int_equal(digest_aka_nonce_parse("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M*",
						rnd, autn, NULL, 0, NULL), -EINVAL);
	/* bad length (one char past a quad) */
	assert_int_equal(digest_aka_nonce_parse("I1U8vpY3qJ0hiuZNrke/NVXzKLQ1d7m5Sp/6w1Tfr7M=A",
						rnd, autn, NULL, 0, NULL), -EINVAL);
	/* server data larger than the caller's buffer */
	assert_int_equal(digest_aka_nonce_parse("dLDNYDGhyDObK2ziuMShhtlhu9URrp8HSeeF3RJibvIAESIzRFVmd4iZqrvM3e7/",
						rnd, autn, sd, sizeof sd, &sd_len), -ENOSPC);
	/* AUTS of 13 and 15 octets */
	assert_int_equal(digest_aka_auts_decode("RR6L7AQ7NTIgh15JKg==", auts), -EINVAL);
	assert_int_equal(digest_aka_auts_decode("RR6L7AQ7NTIgh15JKgkA", auts), -EINVAL);
	assert_int_equal(digest_aka_auts_decode("RR6L7AQ7NTIgh15J Kgk=", auts), -EINVAL);
	/* unpadded AUTS is accepted */
	assert_int_equal(digest_aka_auts_decode("RR6L7AQ7NTIgh15JKgk", auts), 0);
	/* RES length out of TS 33.102 bounds */
	char ha1[DIGEST_HEX_MAX];
	assert_int_equal(digest_aka_ha1("u", "r", rnd, 3, ha1), -EINVAL);
	assert_int_equal(digest_aka_ha1("u", "r", rnd, 17, ha1), -EINVAL);
}

static void test_base64_round_trip_all_lengths(void **state)
{
	uint8_t in[40], out[40];
	char enc[64];
	size_t n;

	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 37 + 11);
	for (size_t len = 0; len <= sizeof in; len++) {
		assert_int_equal(digest_base64_encode(in, len, enc, sizeof enc), 0);
		assert_int_equal(strlen(enc), ((len + 2) / 3) * 4);
		assert_int_equal(digest_base64_decode(enc, out, sizeof out, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(out, in, len);
	}
	assert_int_equal(digest_base64_encode(in, 40, enc, 10), -ENOSPC);
	/* non-canonical trailing bits */
	assert_int_equal(digest_base64_decode("QR==", out, sizeof out, &n), -EINVAL);
	assert_int_equal(digest_base64_decode("QQ==", out, sizeof out, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'A');
}

static void test_digest_rejects_bad_input(void **state)
{
	enum digest_alg alg;
	bool aka = true;
	char out[DIGEST_HEX_MAX];
	struct digest_request rq = { .alg = DIGEST_MD5, .method = "REGISTER", .uri = "sip:x",
				     .nonce = "n", .qop = "auth" };

	assert_int_equal(digest_alg_parse(NULL, &alg, &aka), 0);
	assert_int_equal(alg, DIGEST_MD5);
	assert_false(aka);
	assert_int_equal(digest_alg_parse("sha-256", &alg, NULL), 0);
	assert_int_equal(alg, DIGEST_SHA256);
	assert_int_equal(digest_alg_parse("MD5-sess", &alg, NULL), -EINVAL);
	assert_int_equal(digest_alg_parse("AKAv2-MD5", &alg, NULL), -EINVAL);
	/* qop=auth without nc/cnonce */
	assert_int_equal(digest_response(&rq, "00", out), -EINVAL);
	rq.qop = "auth-conf";
	assert_int_equal(digest_ha2(&rq, out), -EINVAL);
	assert_false(digest_hex_equal("abc", "abcd"));
	assert_true(digest_hex_equal("ABCdef", "abcDEF"));
	assert_false(digest_hex_equal("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_vector_gives_ha1_ha2_response),
		cmocka_unit_test(test_corrupted_vector_does_not_verify),
		cmocka_unit_test(test_aka_res_hex_text_password_is_rejected),
		cmocka_unit_test(test_aka_res_with_nul_octet_is_not_truncated),
		cmocka_unit_test(test_aka_nonce_build_and_parse_match_vectors),
		cmocka_unit_test(test_aka_auts_decodes_to_14_octets),
		cmocka_unit_test(test_aka_rejects_bad_nonce_and_auts),
		cmocka_unit_test(test_base64_round_trip_all_lengths),
		cmocka_unit_test(test_digest_rejects_bad_input),
	};
	return cmocka_run_group_tests(tests, load_vectors, free_vectors);
}
