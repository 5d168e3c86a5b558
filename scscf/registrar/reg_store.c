/* reg_store: see reg_store.h for the contract. */
#include "reg_store.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int reg_store_init(struct reg_store *st, size_t max_contacts)
{
	memset(st, 0, sizeof *st);
	st->max_contacts = max_contacts ? max_contacts : 1;
	return reg_htab_init(&st->by_impu, 1024);
}

void reg_contact_clear(struct reg_contact *c)
{
	free(c->uri);
	free(c->path);
	free(c->call_id);
	free(c->received);
	free(c->instance);
	memset(c, 0, sizeof *c);
}

static void unindex(struct reg_store *st, struct reg_record *rec)
{
	size_t i;

	for (i = 0; rec->profile && i < rec->profile->n_ids; i++)
		reg_htab_remove(&st->by_impu, rec->profile->ids[i].uri, rec);
}

static void record_free(struct reg_record *rec)
{
	size_t i;

	for (i = 0; i < rec->n_contacts; i++)
		reg_contact_clear(&rec->contacts[i]);
	free(rec->contacts);
	reg_profile_free(rec->profile);
	free(rec->impi);
	free(rec);
}

static void touch(struct reg_store *st, const struct reg_record *rec)
{
	if (st->touch && rec->profile)
		st->touch(st->touch_ctx, rec);
}

void reg_store_remove(struct reg_store *st, struct reg_record *rec)
{
	if (!rec)
		return;
	touch(st, rec);
	unindex(st, rec);
	if (rec->prev)
		rec->prev->next = rec->next;
	else
		st->head = rec->next;
	if (rec->next)
		rec->next->prev = rec->prev;
	st->n_records--;
	record_free(rec);
}

void reg_store_free(struct reg_store *st)
{
	while (st->head)
		reg_store_remove(st, st->head);
	reg_htab_free(&st->by_impu);
}

struct reg_record *reg_store_find(const struct reg_store *st, const char *impu)
{
	return reg_htab_find(&st->by_impu, impu);
}

/* Index every IMPU of rec's profile; an IMPU held by another record takes
 * that record out first (the HSS's latest view of the set wins). */
static int index_record(struct reg_store *st, struct reg_record *rec)
{
	size_t i;
	int rc;

	for (i = 0; i < rec->profile->n_ids; i++) {
		const char *uri = rec->profile->ids[i].uri;
		struct reg_record *other = reg_htab_find(&st->by_impu, uri);

		if (other == rec)
			continue; /* duplicated identity in the document */
		if (other)
			reg_store_remove(st, other);
		rc = reg_htab_insert(&st->by_impu, uri, rec);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int reg_store_put(struct reg_store *st, const char *impu, const char *impi,
		  struct reg_profile **profile, struct reg_record **out)
{
	struct reg_record *rec;
	char *impi_copy;
	int rc;

	if (!impu || !impi || !profile || !*profile || reg_profile_find(*profile, impu) < 0)
		return -EINVAL;
	impi_copy = strdup(impi);
	if (!impi_copy)
		return -ENOMEM;
	rec = reg_store_find(st, impu);
	if (rec) {
		touch(st, rec);
		unindex(st, rec);
		reg_profile_free(rec->profile);
		free(rec->impi);
	} else {
		rec = calloc(1, sizeof *rec);
		if (!rec) {
			free(impi_copy);
			return -ENOMEM;
		}
		rec->next = st->head;
		if (st->head)
			st->head->prev = rec;
		st->head = rec;
		st->n_records++;
	}
	rec->impi = impi_copy;
	rec->profile = *profile;
	*profile = NULL;
	rc = index_record(st, rec);
	if (rc < 0) {
		reg_store_remove(st, rec);
		return rc;
	}
	touch(st, rec);
	if (out)
		*out = rec;
	return 0;
}

/* The existing binding b updates: RFC 5626 6 — with +sip.instance and
 * reg-id, the one of the same instance and reg-id whatever its Contact URI
 * (the flow came back from another address); otherwise (RFC 3261 10.3) the
 * one with the same Contact URI. */
static long find_contact(const struct reg_contact *c, size_t n, const struct reg_binding *b)
{
	size_t i;
	bool flow = b->instance && b->reg_id > 0;

	for (i = 0; i < n; i++) {
		if (flow) {
			if (c[i].instance && c[i].reg_id == b->reg_id &&
			    strcmp(c[i].instance, b->instance) == 0)
				return (long)i;
		} else if (c[i].uri && strcmp(c[i].uri, b->uri) == 0) {
			return (long)i;
		}
	}
	return -1;
}

int reg_store_check(const struct reg_store *st, const struct reg_record *rec,
		    const struct reg_binding *b, size_t n, bool remove_all,
		    size_t *remaining)
{
	size_t i, j, count = 0;
	const struct reg_contact *cur = rec ? rec->contacts : NULL;
	size_t n_cur = rec ? rec->n_contacts : 0;

	if (!remove_all)
		count = n_cur;
	for (i = 0; i < n; i++) {
		long k = remove_all ? -1 : find_contact(cur, n_cur, &b[i]);
		bool seen = false;

		/* A URI listed twice in one REGISTER counts once. */
		for (j = 0; j < i; j++)
			if (strcmp(b[j].uri, b[i].uri) == 0)
				seen = true;
		if (seen)
			continue;
		if (k >= 0 && b[i].call_id && cur[k].call_id &&
		    strcmp(b[i].call_id, cur[k].call_id) == 0 && b[i].cseq <= cur[k].cseq)
			return -EALREADY;
		if (k >= 0 && b[i].expires == 0)
			count--;
		else if (k < 0 && b[i].expires > 0)
			count++;
	}
	if (count > st->max_contacts)
		return -EMLINK;
	if (remaining)
		*remaining = count;
	return 0;
}

static int dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static void recompute_expiry(struct reg_record *rec)
{
	size_t i;

	rec->next_expiry = INT64_MAX;
	for (i = 0; i < rec->n_contacts; i++)
		if (rec->contacts[i].expires < rec->next_expiry)
			rec->next_expiry = rec->contacts[i].expires;
}

int reg_store_apply(struct reg_store *st, struct reg_record *rec,
		    const struct reg_binding *b, size_t n, bool remove_all, int64_t now)
{
	struct reg_contact *fresh, *grown;
	size_t i, cap;
	int rc = 0;

	fresh = calloc(n ? n : 1, sizeof *fresh);
	if (!fresh)
		return -ENOMEM;
	/* Copy everything first so a failed allocation changes nothing. */
	for (i = 0; i < n; i++) {
		if (b[i].expires == 0)
			continue;
		if ((rc = dup_opt(b[i].uri, &fresh[i].uri)) < 0 ||
		    (rc = dup_opt(b[i].path, &fresh[i].path)) < 0 ||
		    (rc = dup_opt(b[i].call_id, &fresh[i].call_id)) < 0 ||
		    (rc = dup_opt(b[i].received, &fresh[i].received)) < 0 ||
		    (rc = dup_opt(b[i].instance, &fresh[i].instance)) < 0)
			goto out;
		fresh[i].reg_id = b[i].reg_id;
		fresh[i].q = b[i].q ? b[i].q : 1000;
		fresh[i].event = find_contact(rec->contacts, rec->n_contacts, &b[i]) >= 0 &&
					 !remove_all ? REG_EV_REFRESHED : REG_EV_REGISTERED;
		fresh[i].cseq = b[i].cseq;
		fresh[i].expires = now + b[i].expires;
	}
	cap = rec->n_contacts + n;
	grown = realloc(rec->contacts, (cap ? cap : 1) * sizeof *grown);
	if (!grown) {
		rc = -ENOMEM;
		goto out;
	}
	rec->contacts = grown;
	if (remove_all) {
		for (i = 0; i < rec->n_contacts; i++)
			reg_contact_clear(&rec->contacts[i]);
		rec->n_contacts = 0;
	}
	for (i = 0; i < n; i++) {
		long k = find_contact(rec->contacts, rec->n_contacts, &b[i]);

		if (k >= 0) {
			reg_contact_clear(&rec->contacts[k]);
			rec->contacts[k] = rec->contacts[--rec->n_contacts];
		}
		if (b[i].expires > 0) {
			rec->contacts[rec->n_contacts++] = fresh[i];
			memset(&fresh[i], 0, sizeof fresh[i]);
		}
	}
	recompute_expiry(rec);
	touch(st, rec);
out:
	for (i = 0; i < n; i++)
		reg_contact_clear(&fresh[i]);
	free(fresh);
	return rc;
}

size_t reg_store_expire_record(struct reg_store *st, struct reg_record *rec, int64_t now)
{
	size_t i;

	for (i = 0; i < rec->n_contacts;) {
		if (rec->contacts[i].expires <= now) {
			reg_contact_clear(&rec->contacts[i]);
			rec->contacts[i] = rec->contacts[--rec->n_contacts];
		} else {
			i++;
		}
	}
	recompute_expiry(rec);
	touch(st, rec);
	return rec->n_contacts;
}

size_t reg_store_expire(struct reg_store *st, int64_t now,
			void (*gone)(void *ctx, const struct reg_record *rec), void *ctx)
{
	struct reg_record *rec = st->head, *next;
	size_t removed = 0;

	for (; rec; rec = next) {
		next = rec->next;
		if (rec->next_expiry > now)
			continue;
		if (reg_store_expire_record(st, rec, now) == 0) {
			if (gone)
				gone(ctx, rec);
			/* gone() must not remove records, so next stays valid. */
			reg_store_remove(st, rec);
			removed++;
		}
	}
	return removed;
}

int reg_store_set_profile(struct reg_store *st, struct reg_record *rec,
			  struct reg_profile **profile)
{
	struct reg_profile *old = rec->profile;
	size_t i;
	bool kept = false;
	int rc;

	for (i = 0; i < old->n_ids && !kept; i++)
		kept = reg_profile_find(*profile, old->ids[i].uri) >= 0;
	if (!kept)
		return -EINVAL;
	touch(st, rec);
	unindex(st, rec);
	rec->profile = *profile;
	*profile = NULL;
	reg_profile_free(old);
	rc = index_record(st, rec);
	if (rc < 0)
		reg_store_remove(st, rec);
	else
		touch(st, rec);
	return rc;
}

int reg_store_restore(struct reg_store *st, char *impi, struct reg_profile *profile,
		      struct reg_contact *contacts, size_t n)
{
	struct reg_record *rec;
	size_t i;

	for (i = 0; i < profile->n_ids; i++)
		if (reg_htab_find(&st->by_impu, profile->ids[i].uri))
			return -EEXIST;
	rec = calloc(1, sizeof *rec);
	if (!rec)
		return -ENOMEM;
	rec->impi = impi;
	rec->profile = profile;
	rec->contacts = contacts;
	rec->n_contacts = n;
	recompute_expiry(rec);
	rec->next = st->head;
	if (st->head)
		st->head->prev = rec;
	st->head = rec;
	st->n_records++;
	if (index_record(st, rec) < 0) {
		/* Give the caller its memory back untouched. */
		unindex(st, rec);
		rec->impi = NULL;
		rec->profile = NULL;
		rec->contacts = NULL;
		rec->n_contacts = 0;
		reg_store_remove(st, rec);
		return -ENOMEM;
	}
	return 0;
}
