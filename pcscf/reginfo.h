/*
 * reginfo: reading a reg event NOTIFY body (RFC 3680 application/reginfo+xml)
 * for what the P-CSCF acts on (TS 24.229 5.2.3): whether the registration
 * of one of a UE's IMPUs, or its contact, was terminated by the network
 * (network-initiated de-registration, TS 24.229 5.2.5.2).
 *
 * Parsing uses libxml2 without entity expansion or network access.
 * Thread rules: none.
 */
#ifndef PCSCF_REGINFO_H
#define PCSCF_REGINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "registrations.h"

/* 1 when body terminates reg (a <registration> of one of its IMPUs in
 * state "terminated", or a <contact> matching its contact in state
 * "terminated"), 0 when not, -EBADMSG when body is not reginfo XML. */
int reginfo_terminates(const char *body, size_t len, const struct reg *reg);

#endif
