/* reg_persist: see reg_persist.h for the contract and the file format. */
#include "reg_persist.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ims/log.h"

#define PERSIST_MAGIC "IMSREG 1\n"
#define PERSIST_STR_MAX (REG_PROFILE_MAX_XML + 1)
#define PERSIST_MAX_CONTACTS 1000

static int put_str(FILE *f, const char *s, size_t len)
{
	if (!s)
		return fputs("S -\n", f) < 0 ? -EIO : 0;
	if (fprintf(f, "S %zu\n", len) < 0 || fwrite(s, 1, len, f) != len || fputc('\n', f) < 0)
		return -EIO;
	return 0;
}

/* The "K" section: what a restart needs to rebuild the profile without
 * parsing its XML (reg_profile_restore). Left out when a ServiceProfile
 * has no digest (a profile built by hand). */
static int put_profile_parts(FILE *f, const struct reg_profile *p)
{
	size_t i;
	int rc;

	for (i = 0; i < p->n_profiles; i++)
		if (!reg_profile_key_digest(p, (unsigned)i))
			return 0;
	if (!p->private_id || fprintf(f, "K %zu %zu\n", p->n_profiles, p->n_ids) < 0 ||
	    (rc = put_str(f, p->private_id, strlen(p->private_id))) < 0)
		return -EIO;
	for (i = 0; i < p->n_profiles; i++) {
		const char *d = reg_profile_key_digest(p, (unsigned)i);

		if ((rc = put_str(f, d, strlen(d))) < 0)
			return rc;
	}
	for (i = 0; i < p->n_ids; i++)
		if (fprintf(f, "I %d %u\n", p->ids[i].barred ? 1 : 0, p->ids[i].profile) < 0 ||
		    (rc = put_str(f, p->ids[i].uri, strlen(p->ids[i].uri))) < 0)
			return -EIO;
	return 0;
}

int reg_persist_put_record(FILE *f, const struct reg_record *rec, int64_t now, int64_t wall)
{
	size_t i;
	int rc;

	if (fputs("R\n", f) < 0 || (rc = put_str(f, rec->impi, strlen(rec->impi))) < 0 ||
	    (rc = put_str(f, rec->profile->xml, rec->profile->xml_len)) < 0 ||
	    (rc = put_profile_parts(f, rec->profile)) < 0 ||
	    fprintf(f, "N %zu\n", rec->n_contacts) < 0)
		return -EIO;
	for (i = 0; i < rec->n_contacts; i++) {
		const struct reg_contact *c = &rec->contacts[i];

#define STR(x) put_str(f, (x), (x) ? strlen(x) : 0)
		if ((rc = STR(c->uri)) < 0 || (rc = STR(c->path)) < 0 ||
		    (rc = STR(c->call_id)) < 0 || (rc = STR(c->received)) < 0 ||
		    (rc = STR(c->instance)) < 0)
			return rc;
#undef STR
		if (fprintf(f, "C %" PRIu32 " %u %u %" PRIu32 " %" PRId64 "\n", c->reg_id,
			    (unsigned)c->q, (unsigned)c->event, c->cseq,
			    c->expires - now + wall) < 0)
			return -EIO;
	}
	return fputs("E\n", f) < 0 ? -EIO : 0;
}

/* fsync the directory holding path so the rename itself is durable. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int reg_persist_put_sub(FILE *f, const struct reg_sub *s, int64_t now, int64_t wall)
{
	const char *v[] = { s->call_id, s->impu, s->subscriber, s->local_tag, s->local_uri,
			    s->remote, s->target, s->routes, s->next_hop };
	size_t i;
	int rc;

	if (fputs("U\n", f) < 0)
		return -EIO;
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		if ((rc = put_str(f, v[i], v[i] ? strlen(v[i]) : 0)) < 0)
			return rc;
	if (fprintf(f, "V %" PRIu32 " %" PRIu32 " %u %" PRId64 "\nE\n", s->cseq, s->remote_cseq,
		    s->version, s->expires - now + wall) < 0)
		return -EIO;
	return 0;
}

int reg_persist_save(const struct reg_store *st, const struct reg_events *ev, const char *path,
		     int64_t now, int64_t wall)
{
	const struct reg_sub *sub;
	const struct reg_record *rec;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 5);
	FILE *f = NULL;
	int rc = 0;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmp", 5);
	f = fopen(tmp, "we");
	if (!f) {
		rc = -errno;
		goto out;
	}
	if (fputs(PERSIST_MAGIC, f) < 0)
		rc = -EIO;
	for (rec = st->head; rc == 0 && rec; rec = rec->next)
		if (rec->profile && rec->profile->xml)
			rc = reg_persist_put_record(f, rec, now, wall);
	for (sub = ev ? ev->head : NULL; rc == 0 && sub; sub = sub->next)
		rc = reg_persist_put_sub(f, sub, now, wall);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	f = NULL;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc == 0)
		sync_dir(path);
	else
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

/* ---- loading ---- */

/* One "X ...\n" line into buf (NUL-terminated, newline removed). */
static int get_line(FILE *f, char *buf, size_t cap)
{
	size_t n;

	if (!fgets(buf, (int)cap, f))
		return -EBADMSG;
	n = strlen(buf);
	if (n == 0 || buf[n - 1] != '\n')
		return -EBADMSG;
	buf[n - 1] = '\0';
	return 0;
}

/* *out NULL for "S -"; *len its length. */
static int get_str(FILE *f, char **out, size_t *len)
{
	char line[64], *end;
	unsigned long long n;
	char *s;

	*out = NULL;
	if (len)
		*len = 0;
	if (get_line(f, line, sizeof line) < 0 || strncmp(line, "S ", 2) != 0)
		return -EBADMSG;
	if (strcmp(line + 2, "-") == 0)
		return 0;
	errno = 0;
	n = strtoull(line + 2, &end, 10);
	if (errno || *end || end == line + 2 || n > PERSIST_STR_MAX)
		return -EBADMSG;
	s = malloc(n + 1);
	if (!s)
		return -ENOMEM;
	if (fread(s, 1, n, f) != n || fgetc(f) != '\n' || memchr(s, '\0', n)) {
		free(s);
		return -EBADMSG;
	}
	s[n] = '\0';
	*out = s;
	if (len)
		*len = n;
	return 0;
}

static int get_contact(FILE *f, struct reg_contact *c, int64_t now, int64_t wall)
{
	char line[128];
	unsigned q, ev;
	int64_t exp_wall;
	int rc;

	if ((rc = get_str(f, &c->uri, NULL)) < 0 || (rc = get_str(f, &c->path, NULL)) < 0 ||
	    (rc = get_str(f, &c->call_id, NULL)) < 0 || (rc = get_str(f, &c->received, NULL)) < 0 ||
	    (rc = get_str(f, &c->instance, NULL)) < 0)
		return rc;
	if (!c->uri || get_line(f, line, sizeof line) < 0 ||
	    sscanf(line, "C %" SCNu32 " %u %u %" SCNu32 " %" SCNd64, &c->reg_id, &q, &ev,
		   &c->cseq, &exp_wall) != 5 || q > 1000 || ev > REG_EV_REFRESHED)
		return -EBADMSG;
	c->q = (uint16_t)q;
	c->event = (uint8_t)ev;
	c->expires = exp_wall - wall + now;
	return 0;
}

/* The parts of a "K" section (put_profile_parts). */
struct profile_parts {
	char *private_id;
	char *digests[REG_PROFILE_MAX_PROFILES];
	struct reg_identity ids[REG_PROFILE_MAX_IDENTITIES];
	size_t n_profiles, n_ids;
};

static void parts_clear(struct profile_parts *pp)
{
	size_t i;

	free(pp->private_id);
	for (i = 0; i < pp->n_profiles; i++)
		free(pp->digests[i]);
	for (i = 0; i < pp->n_ids; i++)
		free(pp->ids[i].uri);
	memset(pp, 0, sizeof *pp);
}

/* Reads the section after its "K <profiles> <ids>" line (in line). */
static int get_profile_parts(FILE *f, const char *line, struct profile_parts *pp)
{
	char buf[64];
	size_t np, ni, i;
	unsigned barred, sp;
	int rc;

	if (sscanf(line, "K %zu %zu", &np, &ni) != 2 || np == 0 || ni == 0 ||
	    np > REG_PROFILE_MAX_PROFILES || ni > REG_PROFILE_MAX_IDENTITIES)
		return -EBADMSG;
	if ((rc = get_str(f, &pp->private_id, NULL)) < 0)
		return rc;
	for (; pp->n_profiles < np; pp->n_profiles++)
		if ((rc = get_str(f, &pp->digests[pp->n_profiles], NULL)) < 0)
			return rc;
	for (i = 0; i < ni; i++) {
		if (get_line(f, buf, sizeof buf) < 0 ||
		    sscanf(buf, "I %u %u", &barred, &sp) != 2 || barred > 1)
			return -EBADMSG;
		pp->ids[i].barred = barred == 1;
		pp->ids[i].profile = sp;
		pp->n_ids++;
		if ((rc = get_str(f, &pp->ids[i].uri, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* The record's profile: rebuilt from its parts when the compiled iFCs it
 * names are cached already, else (or without parts) parsed from xml. */
static int record_profile(const char *xml, size_t len, const struct profile_parts *pp,
			  struct reg_profile **out)
{
	int rc;

	if (pp->private_id) {
		rc = reg_profile_restore(xml, len, pp->private_id, pp->ids, pp->n_ids,
					 (const char *const *)pp->digests, pp->n_profiles, out);
		if (rc != -ENOENT && rc != -EINVAL)
			return rc;
	}
	return reg_profile_parse(xml, len, out);
}

/* Reads one record (after its "R" line) into it: live contacts only; a
 * record left without any is nothing to add (it->kind 0). */
static int read_record(FILE *f, int64_t now, int64_t wall, struct reg_item *it)
{
	struct reg_contact *cs = NULL;
	struct profile_parts pp = { .private_id = NULL };
	char line[64], *impi = NULL, *xml = NULL, *end;
	size_t xml_len, n = 0, live = 0, i;
	unsigned long long want;
	int rc;

	if ((rc = get_str(f, &impi, NULL)) < 0 || (rc = get_str(f, &xml, &xml_len)) < 0)
		goto out;
	rc = -EBADMSG;
	if (!impi || !xml || get_line(f, line, sizeof line) < 0)
		goto out;
	/* "K" since the parts were kept; rows written before have none. */
	if (strncmp(line, "K ", 2) == 0) {
		rc = get_profile_parts(f, line, &pp);
		if (rc < 0)
			goto out;
		rc = -EBADMSG;
		if (get_line(f, line, sizeof line) < 0)
			goto out;
	}
	if (strncmp(line, "N ", 2) != 0)
		goto out;
	want = strtoull(line + 2, &end, 10);
	if (*end || want > PERSIST_MAX_CONTACTS)
		goto out;
	n = (size_t)want;
	cs = calloc(n ? n : 1, sizeof *cs);
	if (!cs) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct reg_contact c = { 0 };

		rc = get_contact(f, &c, now, wall);
		if (rc == 0 && c.expires > now)
			cs[live++] = c;
		else
			reg_contact_clear(&c);
		if (rc < 0)
			goto out;
	}
	rc = -EBADMSG;
	if (get_line(f, line, sizeof line) < 0 || strcmp(line, "E") != 0)
		goto out;
	rc = 0;
	if (live == 0)
		goto out;
	rc = record_profile(xml, xml_len, &pp, &it->prof);
	if (rc < 0)
		goto out;
	it->kind = 'R';
	it->impi = impi;
	it->contacts = cs;
	it->n_contacts = live;
	impi = NULL;
	cs = NULL;
	live = 0;
out:
	for (i = 0; i < live; i++)
		reg_contact_clear(&cs[i]);
	free(cs);
	free(impi);
	free(xml);
	parts_clear(&pp);
	return rc;
}

/* Reads one subscription (after its "U" line); an expired one is nothing
 * to add. */
static int read_sub(FILE *f, int64_t now, int64_t wall, struct reg_item *it)
{
	struct reg_sub *s = calloc(1, sizeof *s);
	char **v[9], line[128];
	int64_t exp_wall;
	size_t i;
	int rc;

	if (!s)
		return -ENOMEM;
	v[0] = &s->call_id, v[1] = &s->impu, v[2] = &s->subscriber, v[3] = &s->local_tag;
	v[4] = &s->local_uri, v[5] = &s->remote, v[6] = &s->target, v[7] = &s->routes;
	v[8] = &s->next_hop;
	for (i = 0, rc = 0; i < 9 && rc == 0; i++)
		rc = get_str(f, v[i], NULL);
	if (rc < 0)
		goto out;
	rc = -EBADMSG;
	for (i = 0; i < 9; i++)
		if (i != 7 && !*v[i])
			goto out;
	if (get_line(f, line, sizeof line) < 0 ||
	    sscanf(line, "V %" SCNu32 " %" SCNu32 " %u %" SCNd64, &s->cseq, &s->remote_cseq,
		   &s->version, &exp_wall) != 4 ||
	    get_line(f, line, sizeof line) < 0 || strcmp(line, "E") != 0)
		goto out;
	rc = 0;
	s->expires = exp_wall - wall + now;
	s->cseq += REG_PERSIST_CSEQ_GAP;
	if (s->expires > now) {
		it->kind = 'U';
		it->sub = s;
		s = NULL;
	}
out:
	reg_sub_free(s);
	return rc;
}

int reg_persist_read_item(FILE *f, int64_t now, int64_t wall, struct reg_item *it)
{
	char line[8];

	memset(it, 0, sizeof *it);
	if (!fgets(line, sizeof line, f))
		return feof(f) ? -ENODATA : -EIO;
	if (strcmp(line, "R\n") == 0)
		return read_record(f, now, wall, it);
	if (strcmp(line, "U\n") == 0)
		return read_sub(f, now, wall, it);
	return -EBADMSG;
}

int reg_persist_add_item(struct reg_item *it, struct reg_store *st, struct reg_events *ev,
			 bool *kept)
{
	int rc = 0;

	*kept = false;
	if (it->kind == 'R') {
		rc = reg_store_restore(st, it->impi, it->prof, it->contacts, it->n_contacts);
		if (rc == 0) {
			it->impi = NULL;
			it->prof = NULL;
			it->contacts = NULL;
			it->n_contacts = 0;
			*kept = true;
		} else if (rc == -EEXIST) {
			log_warn("state: impi %s listed twice, the later one dropped", it->impi);
			rc = 0;
		}
	} else if (it->kind == 'U' && ev && reg_events_restore(ev, it->sub) == 0) {
		it->sub = NULL;
	}
	reg_item_clear(it);
	return rc;
}

void reg_item_clear(struct reg_item *it)
{
	size_t i;

	for (i = 0; i < it->n_contacts; i++)
		reg_contact_clear(&it->contacts[i]);
	free(it->contacts);
	reg_profile_free(it->prof);
	free(it->impi);
	reg_sub_free(it->sub);
	memset(it, 0, sizeof *it);
}

int reg_persist_get_item(FILE *f, struct reg_store *st, struct reg_events *ev, int64_t now,
			 int64_t wall, bool *kept)
{
	struct reg_item it;
	int rc = reg_persist_read_item(f, now, wall, &it);

	*kept = false;
	if (rc < 0) {
		reg_item_clear(&it);
		return rc;
	}
	return reg_persist_add_item(&it, st, ev, kept);
}

int reg_persist_load(struct reg_store *st, struct reg_events *ev, const char *path, int64_t now,
		     int64_t wall, size_t *loaded, bool *damaged)
{
	char magic[sizeof PERSIST_MAGIC];
	bool more = true, kept = false;
	FILE *f = fopen(path, "re");
	int rc = 0;

	*loaded = 0;
	*damaged = false;
	if (!f)
		return -errno;
	if (!fgets(magic, sizeof magic, f) || strcmp(magic, PERSIST_MAGIC) != 0) {
		log_warn("state %s: not a bindings file, ignored", path);
		*damaged = true;
		goto out;
	}
	while (more) {
		rc = reg_persist_get_item(f, st, ev, now, wall, &kept);
		if (rc == -ENODATA) {
			more = false;
			rc = 0;
		}
		if (rc == -ENOMEM)
			goto out;
		if (rc < 0) {
			/* A torn or corrupt tail: keep what came before. */
			log_warn("state %s: damaged after %zu record(s), the rest discarded", path,
				 *loaded);
			*damaged = true;
			rc = 0;
			break;
		}
		if (kept)
			(*loaded)++;
	}
out:
	fclose(f);
	return rc;
}
