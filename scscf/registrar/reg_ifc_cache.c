/* reg_ifc_cache: see reg_ifc_cache.h for the contract. */
#include "reg_ifc_cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ifc/ifc.h"
#include "reg_htab.h"

/* The one table of the process: profiles are parsed wherever Cx answers
 * and restored rows arrive, with no registrar at hand (reg_profile.h). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct reg_htab table;
static bool ready;

static void entry_free(struct reg_ifc_entry *e)
{
	free(e->key);
	free(e->ifc_xml);
	ifc_profile_free(e->ifc);
	free(e);
}

struct reg_ifc_entry *reg_ifc_cache_find(const char *key)
{
	struct reg_ifc_entry *e = NULL;

	pthread_mutex_lock(&lock);
	if (ready) {
		e = reg_htab_find(&table, key);
		if (e)
			e->refs++;
	}
	pthread_mutex_unlock(&lock);
	return e;
}

int reg_ifc_cache_add(const char *key, char *ifc_xml, struct ifc_profile *ifc,
		      struct reg_ifc_entry **out)
{
	struct reg_ifc_entry *e = calloc(1, sizeof *e), *had;
	int rc = 0;

	*out = NULL;
	if (!e || !(e->key = strdup(key))) {
		free(e);
		free(ifc_xml);
		ifc_profile_free(ifc);
		return -ENOMEM;
	}
	e->ifc_xml = ifc_xml;
	e->ifc = ifc;
	e->refs = 1;
	pthread_mutex_lock(&lock);
	if (!ready) {
		rc = reg_htab_init(&table, 64);
		ready = rc == 0;
	}
	had = ready ? reg_htab_find(&table, key) : NULL;
	if (had) {
		had->refs++;
		*out = had;
	} else if (ready && (rc = reg_htab_insert(&table, e->key, e)) == 0) {
		*out = e;
		e = NULL;
	}
	pthread_mutex_unlock(&lock);
	if (e)
		entry_free(e);
	return *out ? 0 : rc < 0 ? rc : -ENOMEM;
}

void reg_ifc_cache_put(struct reg_ifc_entry *e)
{
	bool last;

	if (!e)
		return;
	pthread_mutex_lock(&lock);
	last = --e->refs == 0;
	if (last) {
		reg_htab_remove(&table, e->key, e);
		if (table.count == 0) { /* nothing cached: nothing kept either */
			reg_htab_free(&table);
			ready = false;
		}
	}
	pthread_mutex_unlock(&lock);
	if (last)
		entry_free(e);
}

size_t reg_ifc_cache_count(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = ready ? table.count : 0;
	pthread_mutex_unlock(&lock);
	return n;
}
