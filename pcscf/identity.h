/*
 * identity: the asserted identity of a request from a registered UE
 * (TS 24.229 5.2.6.3.1 / 5.2.6.3.3, RFC 3325 9.1).
 *
 * The UE is not trusted: every header only a trusted node may set
 * (id_untrusted_headers) is removed. If one of the UE's
 * P-Preferred-Identity values is among its registered IMPUs it becomes the
 * P-Asserted-Identity, else the default IMPU (the first of
 * P-Associated-URI) does; P-Preferred-Identity is then removed. The UE's
 * sec-agree headers go too (pcscf_strip_sec_agree).
 * Thread rules: none.
 */
#ifndef PCSCF_IDENTITY_H
#define PCSCF_IDENTITY_H

#include <sofia-sip/msg.h>

#include "registrations.h"

/* NULL-terminated list of header names removed from UE requests. */
extern const char *const id_untrusted_headers[];

/* Remove the untrusted headers from a request received from a UE. */
void id_strip_untrusted(msg_t *msg);

/* Strip, choose and insert P-Asserted-Identity. *asserted (may be NULL)
 * points into reg. 0, -EINVAL (reg without IMPU), -ENOMEM. */
int id_assert(msg_t *msg, const struct reg *reg, const char **asserted);

#endif
