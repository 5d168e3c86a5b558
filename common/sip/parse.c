/* Parsing a SIP message from a buffer, checking it, serialising it. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>

#include <sofia-sip/msg_addr.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/msg_mclass.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>

#include "ims/log.h"
#include "ims/sip.h"
#include "sip_internal.h"

static msg_mclass_t const *ims_mclass;
static pthread_once_t ims_mclass_once = PTHREAD_ONCE_INIT;

static void mclass_init(void)
{
	/* sip_extend_mclass(NULL) clones the default class and adds the
	 * sip_extra.h headers (P-Asserted-Identity, P-Preferred-Identity...). */
	ims_mclass = sip_extend_mclass(NULL);
	if (!ims_mclass)
		ims_mclass = sip_default_mclass();
}

msg_mclass_t const *sip_msg_mclass(void)
{
	pthread_once(&ims_mclass_once, mclass_init);
	return ims_mclass;
}

/* Headers whose parse error does not make the request unprocessable: they
 * carry no routing or transaction state. RFC 4475 3.1.2.12 says a bad Date
 * may be ignored when the element does not need it. */
static const char *const tolerated_errors[] = {
	"Date", "Timestamp", "Organization", "Subject", "Priority",
	"User-Agent", "Server", "Warning", "Call-Info", "Error-Info",
	"Alert-Info", "In-Reply-To", NULL,
};

static int is_tolerated(const char *name)
{
	for (int i = 0; name && tolerated_errors[i]; i++)
		if (strcasecmp(name, tolerated_errors[i]) == 0)
			return 1;
	return 0;
}

/* sofia keeps a header it could not parse as msg_error_t (er_name set) and a
 * second instance of a single-valued header with its own class. */
static int check_errors(const sip_t *sip, char *why, size_t why_len)
{
	for (const sip_error_t *e = sip->sip_error; e; e = e->er_next) {
		const msg_hclass_t *hc = e->er_common->h_class;
		if (hc == sip_error_class || hc == msg_error_class) {
			if (is_tolerated(e->er_name))
				continue;
			sipi_why(why, why_len, "malformed %s header",
				 e->er_name ? e->er_name : "unnamed");
			return 400;
		}
		/* RFC 3261 7.3.1: only list headers may appear twice. */
		sipi_why(why, why_len, "duplicate %s header",
			 hc && hc->hc_name ? hc->hc_name : "single-valued");
		return 400;
	}
	return 0;
}

static int check_mandatory(const sip_t *sip, char *why, size_t why_len)
{
	/* RFC 3261 8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are
	 * mandatory in requests; Max-Forwards is not checked because RFC 2543
	 * elements omit it (RFC 4475 3.4.1). */
	const char *missing = !sip->sip_via ? "Via" : !sip->sip_from ? "From" :
		!sip->sip_to ? "To" : !sip->sip_call_id ? "Call-ID" :
		!sip->sip_cseq ? "CSeq" : NULL;

	if (missing) {
		sipi_why(why, why_len, "missing %s header", missing);
		return 400;
	}
	return 0;
}

static int check_version(const char *version, char *why, size_t why_len)
{
	if (version && strcasecmp(version, "SIP/2.0") == 0)
		return 0;
	sipi_why(why, why_len, "unsupported version %s", version ? version : "(none)");
	return 505;
}

static int check_request(const sip_t *sip, char *why, size_t why_len)
{
	const sip_request_t *rq = sip->sip_request;
	const sip_cseq_t *cs = sip->sip_cseq;

	/* A Request-URI sofia cannot parse (e.g. enclosed in <>, RFC 4475
	 * 3.1.2.7) is url_invalid; unknown schemes stay url_unknown (416 is
	 * the application's decision, RFC 4475 3.3.2). */
	if (!rq->rq_url->url_type || rq->rq_url->url_type == url_invalid) {
		sipi_why(why, why_len, "malformed Request-URI");
		return 400;
	}
	/* RFC 3261 8.1.1.5: the CSeq method MUST match the request method. */
	if (cs->cs_method != rq->rq_method ||
	    (rq->rq_method == sip_method_unknown &&
	     strcmp(cs->cs_method_name ? cs->cs_method_name : "",
		    rq->rq_method_name ? rq->rq_method_name : "") != 0)) {
		sipi_why(why, why_len, "CSeq method %s does not match %s",
			 cs->cs_method_name ? cs->cs_method_name : "?",
			 rq->rq_method_name ? rq->rq_method_name : "?");
		return 400;
	}
	return 0;
}

int sip_msg_check(const sip_t *sip, char *why, size_t why_len)
{
	int rc;

	if (!sip) {
		sipi_why(why, why_len, "no message");
		return 400;
	}
	if (!sip->sip_request && !sip->sip_status) {
		sipi_why(why, why_len, "no start line");
		return 400;
	}
	rc = check_version(sip->sip_request ? sip->sip_request->rq_version
			   : sip->sip_status->st_version, why, why_len);
	if (rc)
		return rc;
	if ((rc = check_errors(sip, why, why_len)) || (rc = check_mandatory(sip, why, why_len)))
		return rc;
	if (sip->sip_request && (rc = check_request(sip, why, why_len)))
		return rc;
	/* RFC 3261 18.3: a body shorter than Content-Length is an error; sofia
	 * frames by Content-Length, so any difference left means a bad frame. */
	if (sip->sip_content_length) {
		size_t body = sip->sip_payload ? sip->sip_payload->pl_len : 0;
		if (body != sip->sip_content_length->l_length) {
			sipi_why(why, why_len, "Content-Length %lu but body has %zu octets",
				 (unsigned long)sip->sip_content_length->l_length, body);
			return 400;
		}
	}
	return 0;
}

bool sip_request_is_well_formed(const sip_t *sip, char *why, size_t why_len)
{
	return sip_msg_check(sip, why, why_len) == 0;
}

int sip_msg_parse_why(const char *buf, size_t len, msg_t **out,
		      char *why, size_t why_len)
{
	msg_t *msg = NULL;
	int rc = 0, status;

	if (out)
		*out = NULL;
	if (!buf || !out || len == 0 || len > INT32_MAX) {
		sipi_why(why, why_len, "empty or oversized buffer");
		return -EINVAL;
	}
	msg = msg_make(sip_msg_mclass(), MSG_DO_EXTRACT_COPY, buf, (ssize_t)len);
	if (!msg) {
		sipi_why(why, why_len, "out of memory");
		return -ENOMEM;
	}
	if (msg_has_error(msg) || !sip_object(msg)) {
		/* sofia sets the error flag for a broken start line, a critical
		 * header it cannot parse, or an incomplete body. */
		sipi_why(why, why_len, "unparsable message (start line, framing or critical header)");
		rc = -EBADMSG;
		goto out;
	}
	status = sip_msg_check(sip_object(msg), why, why_len);
	if (status == 505)
		rc = -EPROTONOSUPPORT;
	else if (status)
		rc = -EBADMSG;
out:
	if (rc) {
		msg_destroy(msg);
		return rc;
	}
	*out = msg;
	return 0;
}

int sip_msg_parse(const char *buf, size_t len, msg_t **out)
{
	char why[128];
	int rc = sip_msg_parse_why(buf, len, out, why, sizeof why);

	if (rc)
		log_debug("sip: message rejected: %s", why);
	return rc;
}

int sip_msg_serialize(msg_t *msg, char *buf, size_t cap, size_t *len)
{
	msg_iovec_t small[32], *iov = small;
	isize_t n;
	size_t total = 0, off = 0;
	int rc = 0;

	if (!msg || !len)
		return -EINVAL;
	*len = 0;
	/* Encode headers added or changed since parsing; untouched ones keep
	 * the text they were parsed from. */
	if (msg_serialize(msg, NULL) < 0 || msg_prepare(msg) < 0)
		return -EINVAL;
	n = msg_iovec(msg, iov, 32);
	if (n > 32) {
		iov = calloc((size_t)n, sizeof *iov);
		if (!iov)
			return -ENOMEM;
		n = msg_iovec(msg, iov, n);
	}
	if (n < 0) {
		rc = -EINVAL;
		goto out;
	}
	for (isize_t i = 0; i < n; i++)
		total += iov[i].mv_len;
	*len = total;
	if (!buf || total > cap) {
		rc = -ENOSPC;
		goto out;
	}
	for (isize_t i = 0; i < n; i++) {
		memcpy(buf + off, iov[i].mv_base, iov[i].mv_len);
		off += iov[i].mv_len;
	}
out:
	if (iov != small)
		free(iov);
	return rc;
}
