/*
 * reg_reginfo: the body of a reg event NOTIFY, application/reginfo+xml
 * (RFC 3680 5.3, TS 24.229 5.4.2.1.2), written with libxml2's
 * xmlTextWriter so every value is escaped.
 *
 * Element and attribute ids are derived from the AOR / contact URI (a hash)
 * so they stay the same from one NOTIFY to the next (RFC 3680 5.3.1).
 * Ownership: *out is malloc'd (caller frees). Thread rules: none.
 * Returns 0, -ENOMEM or -EINVAL.
 */
#ifndef SCSCF_REG_REGINFO_H
#define SCSCF_REG_REGINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reginfo_contact {
	const char *uri;
	bool active;             /* state "active", else "terminated" */
	const char *event;       /* registered, refreshed, expired, deactivated,
				    unregistered, rejected, ... */
	long long expires;       /* seconds left; < 0: attribute left out */
	const char *call_id;     /* may be NULL */
	uint32_t cseq;
	const char *instance;    /* +sip.instance, as an unknown-param; may be NULL */
};

struct reginfo_registration {
	const char *aor;
	bool active;             /* state "active", else "terminated" */
	const struct reginfo_contact *contacts;
	size_t n_contacts;
};

/* version: the subscription's counter (RFC 3680 5.3.1, from 0);
 * state is always "full" (TS 24.229 5.4.2.1.2 lets us send full state). */
int reginfo_write(unsigned version, const struct reginfo_registration *regs, size_t n,
		  char **out, size_t *len);

#endif
