/*
 * keys: the ck/ik the S-CSCF put in a 401 (TS 24.229 5.2.2.1, TS 33.203
 * 7.1), kept per IMPI for the security association the P-CSCF sets up with
 * the UE (IPsec is not implemented yet: the keys are stored, not used).
 *
 * Bounded (max entries; when full the oldest is replaced) and short-lived
 * (an entry older than ttl seconds is dropped on access). The keys are
 * secrets: never logged. Thread rules: none (loop thread in the daemon).
 */
#ifndef PCSCF_KEYS_H
#define PCSCF_KEYS_H

#include <stddef.h>

struct key_store;

int key_store_create(size_t max, long long ttl, struct key_store **out);
void key_store_destroy(struct key_store *s);
/* Store (or replace) the hex ck/ik of impi. 0, -EINVAL, -ENOMEM. */
int key_store_put(struct key_store *s, const char *impi, const char *ck, const char *ik,
		  long long now);
/* 0 and pointers to the stored hex strings, or -ENOENT. */
int key_store_get(struct key_store *s, const char *impi, const char **ck, const char **ik,
		  long long now);
size_t key_store_count(const struct key_store *s);

#endif
