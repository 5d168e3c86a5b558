/* Routing sofia-sip's su_log output into log.h, one line per event. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sofia-sip/su_log.h>

#include "ims/log.h"
#include "ims/sip.h"

/* Exported by libsofia-sip-ua but declared only in its private headers. */
extern su_log_t nta_log[];
extern su_log_t tport_log[];

/* sofia writes one event as several fragments (e.g. "%s: " then the rest)
 * and ends it with '\n'. Fragments are gathered per thread, so concurrent
 * threads cannot interleave within a line. */
static __thread char line_buf[1024];
static __thread size_t line_len;

static void emit(const char *tag, const char *text, size_t len)
{
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len)
		ims_log(IMS_LOG_NOTICE, "sofia/%s: %.*s", tag, (int)len, text);
}

static void sofia_logger(void *stream, char const *fmt, va_list ap)
{
	const char *tag = stream ? stream : "su";
	char frag[1024];
	int n = vsnprintf(frag, sizeof frag, fmt, ap);
	size_t flen;

	if (n < 0)
		return;
	flen = (size_t)n < sizeof frag ? (size_t)n : sizeof frag - 1;
	for (size_t i = 0; i < flen; i++) {
		if (line_len < sizeof line_buf - 1)
			line_buf[line_len++] = frag[i];
		if (frag[i] == '\n' || line_len == sizeof line_buf - 1) {
			emit(tag, line_buf, line_len);
			line_len = 0;
		}
	}
}

void sip_log_route(void)
{
	/* The stream argument is the tag, a static string. */
	su_log_redirect(su_log_default, sofia_logger, (void *)"su");
	su_log_redirect(nta_log, sofia_logger, (void *)"nta");
	su_log_redirect(tport_log, sofia_logger, (void *)"tport");
}
