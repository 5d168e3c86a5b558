/* admin_send: sending one HSS-initiated request and waiting for its answer,
 * judging the answer, and finding the S-CSCF's Diameter host (cx_admin.h). */
#include "cx/cx_admin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "ims/diameter.h"
#include "ims/log.h"

/* Handed to freeDiameter with each request; freed by whichever of the
 * answer or expiry callbacks runs. */
struct send_token {
	struct cx_admin *a;
	uint64_t seq;
};

static void token_deliver(struct send_token *t, struct msg **ans)
{
	struct cx_admin *a = t->a;

	pthread_mutex_lock(&a->lock);
	if (a->seq == t->seq && !a->answered) {
		a->answered = true;
		if (ans) {
			a->answer = *ans;
			*ans = NULL;
		}
		pthread_cond_broadcast(&a->cond);
	}
	pthread_mutex_unlock(&a->lock);
	free(t);
}

static void on_answer(void *data, struct msg **ans)
{
	token_deliver(data, ans);
	if (*ans) {   /* late: nobody waits for it any more */
		fd_msg_free(*ans);
		*ans = NULL;
	}
}

/* The request stays *req: freeDiameter frees it after we return. */
static void on_expire(void *data, DiamId_t sentto, size_t len, struct msg **req)
{
	(void)sentto;
	(void)len;
	(void)req;
	token_deliver(data, NULL);
}

int cx_admin_send(struct cx_admin *a, struct msg **req, struct msg **ans)
{
	long long to_ms = a->cfg->cx.admin_answer_timeout;
	struct send_token *t = malloc(sizeof *t);
	struct timespec expire, until;
	int ret = 0;

	*ans = NULL;
	if (!t) {
		fd_msg_free(*req);
		*req = NULL;
		return -ENOMEM;
	}
	pthread_mutex_lock(&a->lock);
	t->a = a;
	t->seq = ++a->seq;
	a->answered = false;
	a->answer = NULL;
	pthread_mutex_unlock(&a->lock);

	clock_gettime(CLOCK_REALTIME, &expire);
	expire.tv_sec += to_ms / 1000;
	expire.tv_nsec += (to_ms % 1000) * 1000000L;
	if (expire.tv_nsec >= 1000000000L) {
		expire.tv_sec++;
		expire.tv_nsec -= 1000000000L;
	}
	/* Our own deadline a little later: the expiry callback normally
	 * wakes us first. */
	until = expire;
	until.tv_sec += 2;
	if (fd_msg_send_timeout(req, on_answer, t, on_expire, &expire) != 0) {
		free(t);
		if (*req) {
			fd_msg_free(*req);
			*req = NULL;
		}
		return -EIO;
	}
	*req = NULL;
	pthread_mutex_lock(&a->lock);
	while (!a->answered && !a->stop && ret == 0)
		ret = pthread_cond_timedwait(&a->cond, &a->lock, &until);
	if (a->answered) {
		*ans = a->answer;
		a->answer = NULL;
		ret = *ans ? 0 : -ETIMEDOUT;
	} else {
		ret = a->stop ? -ECANCELED : -ETIMEDOUT;
	}
	a->seq++;    /* a callback still to come finds no waiter */
	pthread_mutex_unlock(&a->lock);
	return ret;
}

void cx_admin_judge(struct msg *ans, int err, const char *what, struct cx_admin_outcome *out)
{
	uint32_t code = 0;
	bool exp = false;

	out->code = 0;
	if (err != 0 || !ans) {
		out->verdict = CX_ADMIN_RETRY;
		snprintf(out->detail, sizeof out->detail, "%.180s: no answer (%s)", what,
			 strerror(err ? -err : ETIMEDOUT));
		return;
	}
	if (dia_answer_result(ans, &code, &exp) != 0) {
		out->verdict = CX_ADMIN_FAILED;
		snprintf(out->detail, sizeof out->detail, "%.180s: answer without a result code", what);
		return;
	}
	out->code = code;
	if (!exp && code == DIA_SUCCESS) {
		out->verdict = CX_ADMIN_DONE;
		snprintf(out->detail, sizeof out->detail, "%.180s: answered 2001", what);
		return;
	}
	/* RFC 6733 7.1.3: UNABLE_TO_DELIVER (peer not connected now) and
	 * TOO_BUSY may succeed later; other errors will not. */
	out->verdict = !exp && (code == DIA_UNABLE_TO_DELIVER || code == DIA_TOO_BUSY)
		       ? CX_ADMIN_RETRY : CX_ADMIN_FAILED;
	snprintf(out->detail, sizeof out->detail, "%.180s: answered %u%s", what, code,
		 exp ? " (experimental)" : "");
}

int cx_admin_scscf_host(const struct hss_config *cfg, const char *server_name,
			char *host, size_t hostlen, const char **realm)
{
	const struct hss_scscf_host *map = cfg->cx.scscf_hosts.items;
	const char *p = server_name, *at, *end;
	size_t n;

	*realm = cfg->diameter.realm;
	for (size_t i = 0; i < cfg->cx.scscf_hosts.n; i++) {
		if (strcmp(map[i].server_name, server_name) == 0) {
			if (map[i].diameter_realm)
				*realm = map[i].diameter_realm;
			n = strlen(map[i].diameter_host);
			if (n == 0 || n >= hostlen)
				return -EINVAL;
			memcpy(host, map[i].diameter_host, n + 1);
			return 0;
		}
	}
	/* sip:[user@]host[:port][;params] (RFC 3261 19.1.1) */
	if (strncasecmp(p, "sips:", 5) == 0)
		p += 5;
	else if (strncasecmp(p, "sip:", 4) == 0)
		p += 4;
	else
		return -EINVAL;
	at = strchr(p, '@');
	end = p + strcspn(p, ";?>");
	if (at && at < end)
		p = at + 1;
	if (*p == '[') {   /* IPv6 reference: keep it without brackets */
		const char *close = strchr(p, ']');
		if (!close || close > end)
			return -EINVAL;
		p++;
		end = close;
	} else {
		end = p + strcspn(p, ":;?>");
	}
	n = (size_t)(end - p);
	if (n == 0 || n >= hostlen)
		return -EINVAL;
	memcpy(host, p, n);
	host[n] = '\0';
	return 0;
}
