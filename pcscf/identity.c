/* identity: see identity.h for the contract. */
#include "identity.h"

#include <errno.h>
#include <strings.h>

#include <sofia-sip/sip_extra.h>
#include <sofia-sip/su_alloc.h>
#include <sofia-sip/url.h>

#include "ims/sip.h"

#include "pcscf.h"

/* Headers a UE may not set (TS 24.229 5.2.6.3.3 and 5.2.7: the P-CSCF
 * removes them, or replaces them, on requests from the UE). */
const char *const id_untrusted_headers[] = {
	"P-Asserted-Identity",            /* RFC 3325 9.1 */
	"P-Charging-Function-Addresses",  /* TS 24.229 5.2.6.3.x */
	"P-Served-User",                  /* RFC 5502: S-CSCF/AS only */
	"P-Profile-Key",                  /* RFC 5002: I-CSCF/S-CSCF only */
	"P-Asserted-Service",             /* RFC 6050: the UE sends P-Preferred-Service */
	NULL,
};

void id_strip_untrusted(msg_t *msg)
{
	pcscf_remove_headers(msg, id_untrusted_headers);
}

/* The first P-Preferred-Identity that the UE registered, or NULL. */
static const char *preferred(msg_t *msg, const struct reg *reg)
{
	sip_p_preferred_identity_t const *ppi = NULL;

	if (sip_hdr_p_preferred_identity(msg, &ppi) < 0)
		return NULL;
	for (; ppi; ppi = ppi->ppid_next) {
		char *s = url_as_string(msg_home(msg), ppi->ppid_url);

		for (size_t i = 0; s && i < reg->n_impus; i++)
			if (strcasecmp(reg->impus[i], s) == 0)
				return reg->impus[i];
	}
	return NULL;
}

int id_assert(msg_t *msg, const struct reg *reg, const char **asserted)
{
	const char *id;
	int rc;

	if (!msg || !reg || reg->n_impus == 0)
		return -EINVAL;
	id_strip_untrusted(msg);
	pcscf_strip_sec_agree(msg);
	id = preferred(msg, reg);
	if (!id)
		id = reg->impus[0];
	pcscf_remove_header(msg, "P-Preferred-Identity");
	rc = sip_hdr_add_p_asserted_identity(msg, NULL, id);
	if (rc == 0 && asserted)
		*asserted = id;
	return rc;
}
