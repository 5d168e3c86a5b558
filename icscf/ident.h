/*
 * ident: identities the I-CSCF derives from a request (TS 24.229 5.3.1.2,
 * 5.3.2.1; TS 23.003 13): the IMPI and IMPU of a REGISTER, the public
 * identity a Request-URI names, whether a REGISTER removes every binding,
 * and the static tel number table.
 * Pure functions over sofia structures; strings are written into caller
 * buffers. Return 0, -ENOENT (nothing to derive), -ENAMETOOLONG, -EINVAL.
 */
#ifndef ICSCF_IDENT_H
#define ICSCF_IDENT_H

#include <stdbool.h>
#include <stddef.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

#include "icscf.h"

/* "sip:user@host" (port, parameters and headers removed), "sip:host",
 * or "tel:number" (parameters removed). */
int ident_impu_of_url(const url_t *url, char *out, size_t cap);

/* IMPI: the Authorization username, else derived from the To URI by
 * removing scheme, port and parameters (TS 24.229 5.3.1.2). */
int ident_impi_of_register(msg_t *msg, const sip_t *sip, char *out, size_t cap);

/* True when every Contact of the REGISTER has expiry 0 (its expires
 * parameter, else the Expires header), or "Contact: *" with Expires: 0. */
bool ident_is_deregistration(const sip_t *sip);

/* The E.164 number of a tel URI or a sip URI with user=phone, visual
 * separators removed, into out. -ENOENT when url is neither. */
int ident_global_number(const url_t *url, char *out, size_t cap);

/* The SIP URI configured for number (separators ignored), or NULL. */
const char *ident_tel_lookup(const struct icscf_config *cfg, const char *number);

#endif
