/*
 * tls: the optional TLS transport on Gm and the RFC 3329 security
 * agreement for the "tls" mechanism. See pcscf.h.
 *
 * sofia-sip's TLS tport (OpenSSL) takes a directory holding agent.pem
 * (private key and certificate, PEM, concatenated) and cafile.pem; we
 * build one from the configured cert/key/ca files in a private 0700
 * directory, let sofia read it while the tport is made, then remove it.
 * UE certificates are not asked for (TPTLS_VERIFY_NONE): a UE proves who
 * it is with IMS AKA, TLS only protects the hop (TS 33.203 allows TLS on
 * Gm for non-3GPP access; IPsec ("ipsec-3gpp") is not implemented).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sofia-sip/nta_tport.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/tport.h>
#include <sofia-sip/tport_tag.h>

#include "pcscf.h"

/* Append the file at path to out; 0 or -errno. */
static int append_file(FILE *out, const char *path)
{
	char buf[4096];
	size_t n;
	FILE *in = fopen(path, "r");
	int rc = 0;

	if (!in)
		return -errno;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n) {
			rc = -EIO;
			break;
		}
	if (ferror(in))
		rc = -EIO;
	fclose(in);
	return rc;
}

/* dir/name := concatenation of a and b (b may be NULL). */
static int write_pem(const char *dir, const char *name, const char *a, const char *b)
{
	char path[512];
	FILE *f;
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	rc = append_file(f, a);
	if (rc == 0 && b)
		rc = append_file(f, b);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	return rc;
}

static void remove_dir(const char *dir)
{
	char path[512];

	snprintf(path, sizeof path, "%s/agent.pem", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/cafile.pem", dir);
	unlink(path);
	rmdir(dir);
}

int pcscf_tls_start(struct pcscf *n)
{
	const struct pcscf_tls_config *t = &n->cfg->tls;
	const struct sipagent_config *s = &n->cfg->sip;
	char dir[] = "/tmp/ims-pcscf-tls.XXXXXX", url[200];
	bool v6 = strchr(s->address, ':') != NULL;
	int rc;

	if (!t->port)
		return 0;
	if (!t->cert || !t->key) {
		log_err("tls: port %u needs tls.cert and tls.key", t->port);
		return -EINVAL;
	}
	if (!mkdtemp(dir))
		return -errno;
	rc = write_pem(dir, "agent.pem", t->key, t->cert);
	if (rc == 0)
		rc = write_pem(dir, "cafile.pem", t->ca ? t->ca : t->cert, NULL);
	if (rc < 0) {
		log_err("tls: cannot read %s / %s: %s", t->key, t->cert, strerror(-rc));
		goto out;
	}
	snprintf(url, sizeof url, "sips:%s%s%s:%u", v6 ? "[" : "", s->address,
		 v6 ? "]" : "", t->port);
	if (nta_agent_add_tport(sipagent_nta(n->sip), URL_STRING_MAKE(url),
				TPTAG_CERTIFICATE(dir),
				TPTAG_TLS_VERIFY_POLICY(TPTLS_VERIFY_NONE), TAG_END()) < 0) {
		log_err("tls: cannot listen on %s (certificate, key, or port)", url);
		rc = -EADDRINUSE;
		goto out;
	}
	log_notice("SIP listening on TLS port %u", t->port);
out:
	remove_dir(dir);
	return rc;
}

static bool offers(const sip_security_client_t *sc, const char *mech)
{
	for (; sc; sc = sc->sa_next)
		if (sc->sa_mec && strcasecmp(sc->sa_mec, mech) == 0)
			return true;
	return false;
}

static bool requires_sec_agree(const sip_t *sip)
{
	const sip_require_t *r;

	for (r = sip->sip_require; r; r = r->k_next)
		for (size_t i = 0; r->k_items && r->k_items[i]; i++)
			if (strcasecmp(r->k_items[i], "sec-agree") == 0)
				return true;
	for (r = (const sip_require_t *)sip->sip_proxy_require; r; r = r->k_next)
		for (size_t i = 0; r->k_items && r->k_items[i]; i++)
			if (strcasecmp(r->k_items[i], "sec-agree") == 0)
				return true;
	return false;
}

int pcscf_sec_agree(struct pcscf *n, nta_incoming_t *irq, const sip_t *sip,
		    const struct flow *src)
{
	char server[64];

	/* RFC 3329 2.3.1: the UE lists its mechanisms in Security-Client and
	 * asks with Require: sec-agree; the first hop answers 494 with the
	 * mechanisms it serves. We serve "tls" only; a UE already on TLS has
	 * what it asked for (the Security-* headers are stripped before the
	 * request goes on, TS 24.229 5.2.2.1). "ipsec-3gpp" alone is not
	 * served: such a request goes on without an agreement, as before. */
	if (!n->cfg->tls.port || !requires_sec_agree(sip) || src->proto == FLOW_TLS ||
	    !offers(sip->sip_security_client, "tls"))
		return 1;
	snprintf(server, sizeof server, "tls;q=0.1");
	log_info("REGISTER from %s asks sec-agree: 494, Security-Server: tls (port %u)", src->ip,
		 n->cfg->tls.port);
	nta_incoming_treply(irq, 494, "Security Agreement Required",
			    SIPTAG_SECURITY_SERVER_STR(server), TAG_END());
	nta_incoming_destroy(irq);
	return 0;
}
