/* P-Charging-Vector and P-Charging-Function-Addresses (RFC 7315 4.5, 4.6;
 * TS 24.229 7.2A.5). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sofia-sip/su_string.h>

#include "sip_internal.h"

int sip_hdr_charging_vector(msg_t *msg, struct sip_charging_vector *out)
{
	su_home_t *home = msg_home(msg);
	char *value;
	int rc;

	if (!msg || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	value = sipi_unknown_join(home, sip_object(msg), "P-Charging-Vector", &rc);
	if (!value)
		return rc;
	rc = sipi_params(home, value, &out->params, &out->n_params);
	if (rc)
		return rc;
	out->icid_value = sip_hdr_param_find(out->params, out->n_params, "icid-value");
	out->icid_generated_at = sip_hdr_param_find(out->params, out->n_params, "icid-generated-at");
	out->orig_ioi = sip_hdr_param_find(out->params, out->n_params, "orig-ioi");
	out->term_ioi = sip_hdr_param_find(out->params, out->n_params, "term-ioi");
	/* RFC 7315 4.6: icid-value is the one mandatory parameter. */
	if (!out->icid_value || !*out->icid_value)
		return -EBADMSG;
	return 0;
}

/* Values that are not tokens (e.g. IPv6 references) go quoted. */
static char *param_value(su_home_t *home, const char *v)
{
	return sipi_is_token(v) ? su_strdup(home, v) : su_sprintf(home, "\"%s\"", v);
}

/* Append ";name=value" (no ";" first) to buf at *o; values that are not
 * tokens (e.g. IPv6 references) go quoted. -ENOSPC when it does not fit. */
static int put_param(char *buf, size_t len, size_t *o, const char *name, const char *v)
{
	int w = snprintf(buf + *o, len - *o, sipi_is_token(v) ? "%s%s=%s" : "%s%s=\"%s\"",
			 *o ? ";" : "", name, v);

	if (w < 0 || (size_t)w >= len - *o)
		return -ENOSPC;
	*o += (size_t)w;
	return 0;
}

/* Built on the stack: the message (kept by the server transaction for up
 * to 32 s on the P-CSCF) gets only the header line, not the intermediate
 * strings. */
int sip_hdr_add_charging_vector(msg_t *msg, const struct sip_charging_vector *pcv)
{
	const char *names[] = { "icid-value", "icid-generated-at", "orig-ioi", "term-ioi" };
	char buf[1024];
	size_t o = 0;
	int rc = 0;

	if (!msg || !pcv || !pcv->icid_value || !*pcv->icid_value)
		return -EINVAL;
	const char *vals[] = { pcv->icid_value, pcv->icid_generated_at, pcv->orig_ioi,
			       pcv->term_ioi };
	for (size_t i = 0; rc == 0 && i < 4; i++)
		if (vals[i])
			rc = put_param(buf, sizeof buf, &o, names[i], vals[i]);
	return rc < 0 ? rc : sip_hdr_add_raw(msg, "P-Charging-Vector", buf);
}

static int push(su_home_t *home, const char ***v, size_t *n, const char *item)
{
	const char **nv = su_realloc(home, (void *)*v, (*n + 2) * sizeof *nv);

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = item;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

int sip_hdr_charging_addrs(msg_t *msg, struct sip_charging_addrs *out)
{
	su_home_t *home = msg_home(msg);
	struct sip_hdr_param *params = NULL;
	size_t n = 0;
	char *value;
	int rc;

	if (!msg || !out)
		return -EINVAL;
	memset(out, 0, sizeof *out);
	value = sipi_unknown_join(home, sip_object(msg), "P-Charging-Function-Addresses", &rc);
	if (!value)
		return rc;
	/* Several header instances were joined with ","; the grammar itself
	 * separates parameters with ";" (RFC 7315 4.5), accept both. */
	for (char *p = value; *p; p++)
		if (*p == ',')
			*p = ';';
	rc = sipi_params(home, value, &params, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!params[i].value || !*params[i].value)
			continue;
		if (strcasecmp(params[i].name, "ccf") == 0)
			rc = push(home, &out->ccf, &out->n_ccf, params[i].value);
		else if (strcasecmp(params[i].name, "ecf") == 0)
			rc = push(home, &out->ecf, &out->n_ecf, params[i].value);
	}
	if (!rc && out->n_ccf + out->n_ecf == 0)
		rc = -EBADMSG;
	return rc;
}

int sip_hdr_add_charging_addrs(msg_t *msg, const struct sip_charging_addrs *pcfa)
{
	su_home_t *home = msg_home(msg);
	char *s = su_strdup(home, "");

	if (!msg || !pcfa || pcfa->n_ccf + pcfa->n_ecf == 0)
		return -EINVAL;
	for (size_t i = 0; s && i < pcfa->n_ccf + pcfa->n_ecf; i++) {
		int ccf = i < pcfa->n_ccf;
		const char *v = ccf ? pcfa->ccf[i] : pcfa->ecf[i - pcfa->n_ccf];
		if (!v || !*v)
			return -EINVAL;
		s = su_sprintf(home, "%s%s%s=%s", s, i ? ";" : "", ccf ? "ccf" : "ecf",
			       param_value(home, v));
	}
	if (!s)
		return -ENOMEM;
	return sip_hdr_add_raw(msg, "P-Charging-Function-Addresses", s);
}
