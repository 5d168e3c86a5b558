/* next_hop (common/sipagent/next_hop.c): hosts-file lookup, IP literals,
 * and refusal of names when no nameserver can be reached. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sofia-sip/msg.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_tag.h>

#include "../../../common/sipagent/next_hop.h"
#include "ims/sip.h"

static const char hosts[] =
	"127.0.0.1\tlocalhost\n"
	"# 10.0.0.9 scscf.open-ims.test (commented out)\n"
	"10.77.0.41 scscf.open-ims.test scscf # trailing comment\n"
	"fd00::7   pcscf6.open-ims.test\r\n"
	"not-an-ip broken.test\n"
	"   \n"
	"10.77.0.20 ICSCF.Open-IMS.test";

static void test_ip_literals(void **state)
{
	(void)state;
	assert_true(next_hop_is_ip_literal("127.0.0.1"));
	assert_true(next_hop_is_ip_literal("[fd00::1]"));
	assert_true(next_hop_is_ip_literal("fd00::1"));
	assert_false(next_hop_is_ip_literal("open-ims.test"));
	assert_false(next_hop_is_ip_literal("[open-ims.test]"));
	assert_false(next_hop_is_ip_literal("1.2.3"));
	assert_false(next_hop_is_ip_literal(""));
}

static void test_hosts_lookup(void **state)
{
	char a[64];

	(void)state;
	assert_int_equal(next_hop_hosts_lookup(hosts, "scscf.open-ims.test", a, sizeof a), 0);
	assert_string_equal(a, "10.77.0.41");
	assert_int_equal(next_hop_hosts_lookup(hosts, "scscf", a, sizeof a), 0);
	assert_string_equal(a, "10.77.0.41");
	assert_int_equal(next_hop_hosts_lookup(hosts, "icscf.open-ims.test", a, sizeof a), 0);
	assert_string_equal(a, "10.77.0.20");
	assert_int_equal(next_hop_hosts_lookup(hosts, "pcscf6.open-ims.test", a, sizeof a), 0);
	assert_string_equal(a, "fd00::7");
	assert_int_equal(next_hop_hosts_lookup(hosts, "comment", a, sizeof a), -ENOENT);
	assert_int_equal(next_hop_hosts_lookup(hosts, "broken.test", a, sizeof a), -ENOENT);
	assert_int_equal(next_hop_hosts_lookup(hosts, "open-ims.test", a, sizeof a), -ENOENT);
	assert_int_equal(next_hop_hosts_lookup(hosts, "scscf.open-ims", a, sizeof a), -ENOENT);
	assert_int_equal(next_hop_hosts_lookup(hosts, "scscf", a, 4), -ENOENT); /* too small */
	assert_int_equal(next_hop_hosts_lookup("", "x", a, sizeof a), -ENOENT);
}

struct files {
	char dir[64], hosts[96], resolv[96];
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int files_setup(void **state)
{
	struct files *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/test_next_hop.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->hosts, sizeof f->hosts, "%s/hosts", f->dir);
	snprintf(f->resolv, sizeof f->resolv, "%s/resolv.conf", f->dir);
	write_file(f->hosts, hosts);
	*state = f;
	return 0;
}

static int files_teardown(void **state)
{
	struct files *f = *state;

	unlink(f->hosts);
	unlink(f->resolv);
	rmdir(f->dir);
	free(f);
	return 0;
}

static msg_t *request(const char *ruri, const char *route)
{
	msg_t *m = msg_create(sip_default_mclass(), 0);
	sip_t *sip = sip_object(m);

	assert_non_null(m);
	assert_int_equal(sip_add_tl(m, sip,
				    SIPTAG_REQUEST(sip_request_create(msg_home(m), SIP_METHOD_MESSAGE,
								      URL_STRING_MAKE(ruri), NULL)),
				    TAG_IF(route, SIPTAG_ROUTE_STR(route)), TAG_END()),
			 0);
	return m;
}

static void test_resolve(void **state)
{
	struct files *f = *state;
	struct next_hop_cache *c;
	const char *use;
	char buf[256];
	msg_t *m;

	/* A nameserver nobody can reach: 0.0.0.0 port 53 connects (local),
	 * so use an address with no route: the IPv6 discard prefix may have
	 * one; a link-local address with no scope id never connects. */
	write_file(f->resolv, "# none reachable\nnameserver fe80::1\n");
	c = next_hop_cache_new(f->hosts, f->resolv);
	assert_non_null(c);

	m = request("sip:alice@open-ims.test", NULL);
	/* IP literal next hop: as given. */
	assert_int_equal(next_hop_resolve(c, m, "sip:10.1.2.3:6060;lr", buf, sizeof buf, &use), 0);
	assert_string_equal(use, "sip:10.1.2.3:6060;lr");
	/* Name in hosts: rewritten, port and parameters kept. */
	assert_int_equal(next_hop_resolve(c, m, "sip:scscf.open-ims.test:6060;transport=tcp;lr",
					  buf, sizeof buf, &use), 0);
	assert_ptr_equal(use, buf);
	assert_string_equal(use, "sip:10.77.0.41:6060;transport=tcp;lr");
	assert_int_equal(next_hop_resolve(c, m, "sip:pcscf6.open-ims.test", buf, sizeof buf, &use), 0);
	assert_string_equal(use, "sip:[fd00::7]");
	/* Unknown name, no nameserver reachable: refused (no sofia lookup). */
	assert_int_equal(next_hop_resolve(c, m, NULL, buf, sizeof buf, &use), -EHOSTUNREACH);
	msg_destroy(m);

	/* The top Route decides, not the Request-URI. */
	m = request("sip:alice@open-ims.test", "<sip:icscf.open-ims.test:5060;lr>");
	assert_int_equal(next_hop_resolve(c, m, NULL, buf, sizeof buf, &use), 0);
	assert_string_equal(use, "sip:10.77.0.20:5060;lr");
	msg_destroy(m);
	m = request("sip:alice@127.0.0.1:15060", NULL);
	assert_int_equal(next_hop_resolve(c, m, NULL, buf, sizeof buf, &use), 0);
	assert_null(use);
	msg_destroy(m);
	next_hop_cache_free(c);

	/* A reachable nameserver (loopback): names are left to sofia. */
	write_file(f->resolv, "nameserver 127.0.0.1\n");
	c = next_hop_cache_new(f->hosts, f->resolv);
	m = request("sip:alice@open-ims.test", NULL);
	assert_int_equal(next_hop_resolve(c, m, NULL, buf, sizeof buf, &use), 0);
	assert_null(use);
	msg_destroy(m);
	next_hop_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_literals),
		cmocka_unit_test(test_hosts_lookup),
		cmocka_unit_test_setup_teardown(test_resolve, files_setup, files_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
