/* next_hop: see next_hop.h for the contract. */
#include "next_hop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/url.h>

#include "ims/log.h"

#define HOSTS_MAX (1024 * 1024)  /* a larger hosts file is not read */
#define MAX_NAMESERVERS 3        /* as many as sofia and glibc use */

struct next_hop_cache {
	char *hosts_path, *resolv_path;
	char *hosts;                 /* text of the hosts file, or NULL */
	struct timespec hosts_mtime;
	time_t hosts_checked;        /* monotonic second of the last stat() */
	time_t dns_checked;          /* monotonic second of the last probe */
	bool dns_usable;
	time_t warned;               /* last "no nameserver" warning */
};

static time_t mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return ts.tv_sec;
}

struct next_hop_cache *next_hop_cache_new(const char *hosts_path, const char *resolv_path)
{
	struct next_hop_cache *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->hosts_path = strdup(hosts_path ? hosts_path : "/etc/hosts");
	c->resolv_path = strdup(resolv_path ? resolv_path : "/etc/resolv.conf");
	if (!c->hosts_path || !c->resolv_path) {
		next_hop_cache_free(c);
		return NULL;
	}
	c->hosts_checked = c->dns_checked = -1;
	return c;
}

void next_hop_cache_free(struct next_hop_cache *c)
{
	if (!c)
		return;
	free(c->hosts_path);
	free(c->resolv_path);
	free(c->hosts);
	free(c);
}

bool next_hop_is_ip_literal(const char *host)
{
	char buf[INET6_ADDRSTRLEN + 2];
	unsigned char addr[sizeof(struct in6_addr)];
	size_t n = strlen(host);

	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		if (n - 2 >= sizeof buf)
			return false;
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		return inet_pton(AF_INET6, buf, addr) == 1;
	}
	return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* Next whitespace-separated word of line [*p, end), or 0 length at the end. */
static size_t next_word(const char **p, const char *end)
{
	const char *s = *p;
	size_t n = 0;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (s + n < end && s[n] != ' ' && s[n] != '\t')
		n++;
	*p = s;
	return n;
}

int next_hop_hosts_lookup(const char *text, const char *name, char *addr, size_t addrlen)
{
	size_t name_len = strlen(name);
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		const char *hash = memchr(line, '#', (size_t)(end - line));
		const char *p = line, *ip;
		size_t n, ip_len;

		if (hash)
			end = hash;
		if (end > line && end[-1] == '\r')
			end--;
		ip_len = next_word(&p, end);
		ip = p;
		p += ip_len;
		while (ip_len && (n = next_word(&p, end)) > 0) {
			if (n == name_len && strncasecmp(p, name, n) == 0 && ip_len < addrlen) {
				memcpy(addr, ip, ip_len);
				addr[ip_len] = '\0';
				if (next_hop_is_ip_literal(addr))
					return 0;
			}
			p += n;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

static char *read_small_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(HOSTS_MAX + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, HOSTS_MAX, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The hosts text, re-read when the file changed (stat at most once a second). */
static const char *hosts_text(struct next_hop_cache *c)
{
	time_t now = mono_seconds();
	struct stat st;

	if (now == c->hosts_checked)
		return c->hosts;
	c->hosts_checked = now;
	if (stat(c->hosts_path, &st) != 0) {
		free(c->hosts);
		c->hosts = NULL;
		return NULL;
	}
	if (c->hosts && st.st_mtim.tv_sec == c->hosts_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == c->hosts_mtime.tv_nsec)
		return c->hosts;
	free(c->hosts);
	c->hosts = read_small_file(c->hosts_path);
	c->hosts_mtime = st.st_mtim;
	return c->hosts;
}

/* True when some nameserver of resolv.conf accepts a UDP connect(). */
static bool probe_nameservers(const char *path)
{
	char *text = read_small_file(path);
	const char *line = text;
	int tried = 0;
	bool ok = false;

	if (!text)
		return true; /* no resolv.conf: sofia asks 127.0.0.1, reachable */
	while (line && *line && !ok && tried < MAX_NAMESERVERS) {
		const char *nl = strchr(line, '\n');
		char ns[INET6_ADDRSTRLEN + 1];
		struct sockaddr_storage ss = { 0 };
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		socklen_t len = 0;
		int fd;

		if (sscanf(line, " nameserver %46s", ns) == 1) {
			tried++;
			if (inet_pton(AF_INET, ns, &sin->sin_addr) == 1) {
				sin->sin_family = AF_INET;
				sin->sin_port = htons(53);
				len = sizeof *sin;
			} else if (inet_pton(AF_INET6, ns, &sin6->sin6_addr) == 1) {
				sin6->sin6_family = AF_INET6;
				sin6->sin6_port = htons(53);
				len = sizeof *sin6;
			}
			fd = len ? socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
			if (fd >= 0) {
				ok = connect(fd, (struct sockaddr *)&ss, len) == 0;
				close(fd);
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (tried == 0)
		ok = true; /* sofia falls back to 127.0.0.1 */
	free(text);
	return ok;
}

static bool dns_usable(struct next_hop_cache *c)
{
	time_t now = mono_seconds();

	if (now != c->dns_checked) {
		c->dns_checked = now;
		c->dns_usable = probe_nameservers(c->resolv_path);
	}
	return c->dns_usable;
}

int next_hop_resolve(struct next_hop_cache *c, msg_t *msg, const char *next_hop,
		     char *buf, size_t buflen, const char **use)
{
	sip_t *sip = sip_object(msg);
	su_home_t *home = msg_home(msg);
	url_t const *target = NULL;
	url_t *parsed = NULL, copy;
	char addr[INET6_ADDRSTRLEN + 3];
	const char *hosts;

	*use = next_hop;
	if (next_hop)
		target = parsed = url_hdup(home, URL_STRING_MAKE(next_hop)->us_url);
	else if (sip && sip->sip_route)
		target = sip->sip_route->r_url;
	else if (sip && sip->sip_request)
		target = sip->sip_request->rq_url;
	if (!target || !target->url_host || next_hop_is_ip_literal(target->url_host))
		goto keep;
	hosts = hosts_text(c);
	if (hosts && next_hop_hosts_lookup(hosts, target->url_host, addr + 1, sizeof addr - 2) == 0) {
		copy = *target;
		if (strchr(addr + 1, ':')) {
			addr[0] = '[';
			strcat(addr, "]");
			copy.url_host = addr;
		} else {
			copy.url_host = addr + 1;
		}
		if (url_e(buf, (isize_t)buflen, &copy) < (issize_t)buflen) {
			*use = buf;
			goto keep;
		}
	}
	if (dns_usable(c))
		goto keep;
	if (c->warned != mono_seconds()) {
		c->warned = mono_seconds();
		log_warn("SIP: cannot resolve %s: not in %s and no nameserver of %s is reachable",
			 target->url_host, c->hosts_path, c->resolv_path);
	}
	if (parsed)
		su_free(home, parsed);
	return -EHOSTUNREACH;
keep:
	if (parsed)
		su_free(home, parsed);
	return 0;
}
