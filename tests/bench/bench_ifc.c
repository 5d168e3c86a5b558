/* bench_ifc [N]: the S-CSCF's iFC work per request. Compiles a realistic
 * 8-iFC ServiceProfile N/100 times, then walks it (ifc_next from the start
 * to the end, as for one originating INVITE with SDP) N times (default
 * 200000). Prints one line with both rates. Then the same walk over 10
 * iFCs of 5 SPTs each (method, session case, Request-URI, header and SDP
 * line, CNF: every SPT of the first nine is evaluated before the header
 * fails; the tenth matches), printed as microseconds per request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ifc.h"

#define SPT(g, body) "<SPT><ConditionNegated>0</ConditionNegated><Group>" #g "</Group>" body "</SPT>"
#define IFC(prio, cnf, spts, as) \
	"<InitialFilterCriteria><Priority>" #prio "</Priority><TriggerPoint><ConditionTypeCNF>" \
	#cnf "</ConditionTypeCNF>" spts "</TriggerPoint><ApplicationServer><ServerName>" as \
	"</ServerName><DefaultHandling>0</DefaultHandling></ApplicationServer></InitialFilterCriteria>"

static const char profile[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID>"
	"<ServiceProfile><PublicIdentity><Identity>sip:alice@open-ims.test</Identity></PublicIdentity>"
	IFC(0, 1, SPT(0, "<Method>REGISTER</Method>"), "sip:presence.open-ims.test")
	IFC(1, 0, SPT(0, "<Method>SUBSCRIBE</Method>") SPT(0, "<SIPHeader><Header>Event</Header>"
	    "<Content>^presence</Content></SIPHeader>"), "sip:presence.open-ims.test")
	IFC(2, 1, SPT(0, "<Method>MESSAGE</Method>") SPT(1, "<SIPHeader><Header>Accept-Contact</Header>"
	    "<Content>\\+g\\.3gpp\\.smsip</Content></SIPHeader>"), "sip:ipsmgw.open-ims.test")
	IFC(3, 1, SPT(0, "<Method>INVITE</Method>") SPT(1, "<SessionCase>0</SessionCase>")
	    SPT(2, "<RequestURI>^(sip|tel):\\+?[0-9]+</RequestURI>"), "sip:tas.open-ims.test")
	IFC(4, 1, SPT(0, "<Method>INVITE</Method>") SPT(1, "<SessionDescription><Line>m</Line>"
	    "<Content>^video</Content></SessionDescription>"), "sip:video.open-ims.test")
	IFC(5, 0, SPT(0, "<Method>INVITE</Method>") SPT(0, "<SIPHeader><Header>P-Asserted-Identity</Header>"
	    "<Content>@open-ims\\.test</Content></SIPHeader>"), "sip:cdiv.open-ims.test")
	IFC(6, 1, SPT(0, "<Method>OPTIONS</Method>"), "sip:options.open-ims.test")
	IFC(7, 0, SPT(0, "<Method>INVITE</Method>") SPT(0, "<SessionCase>1</SessionCase>"),
	    "sip:mrf.open-ims.test")
	"</ServiceProfile></IMSSubscription>";

static const char sdp[] =
	"v=0\r\no=- 2890844526 2890844526 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
	"m=audio 49170 RTP/AVP 0 8 97\r\na=rtpmap:97 AMR/8000\r\n"
	"m=video 51372 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

static const struct ifc_header headers[] = {
	{ "Via", "SIP/2.0/UDP pcscf.open-ims.test:5060;branch=z9hG4bK-1" },
	{ "Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-ue" },
	{ "Max-Forwards", "69" },
	{ "Route", "<sip:orig@scscf.open-ims.test:6060;lr>" },
	{ "From", "<sip:alice@open-ims.test>;tag=1" },
	{ "To", "<tel:+4930123456>" },
	{ "Call-ID", "a84b4c76e66710@10.0.0.1" },
	{ "CSeq", "1 INVITE" },
	{ "Contact", "<sip:alice@10.0.0.1:5060>" },
	{ "P-Asserted-Identity", "<sip:alice@open-ims.test>" },
	{ "Accept-Contact", "*;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"" },
	{ "Content-Type", "application/sdp" },
};

/* 10 iFCs x 5 SPTs (CNF, one group each): the 9 first fail on their 4th
 * SPT (a header content that is not there), the 10th matches. */
static int wide_profile(char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				      "<IMSSubscription><PrivateID>alice@open-ims.test</PrivateID>"
				      "<ServiceProfile><PublicIdentity><Identity>"
				      "sip:alice@open-ims.test</Identity></PublicIdentity>");

	for (int i = 0; i < 10 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off,
			"<InitialFilterCriteria><Priority>%d</Priority><TriggerPoint>"
			"<ConditionTypeCNF>1</ConditionTypeCNF>"
			SPT(0, "<Method>INVITE</Method>") SPT(1, "<SessionCase>0</SessionCase>")
			SPT(2, "<RequestURI>^tel:\\+49</RequestURI>")
			"<SPT><ConditionNegated>0</ConditionNegated><Group>3</Group><SIPHeader>"
			"<Header>Accept-Contact</Header><Content>%s</Content></SIPHeader></SPT>"
			SPT(4, "<SessionDescription><Line>m</Line><Content>^audio</Content>"
			    "</SessionDescription>")
			"</TriggerPoint><ApplicationServer><ServerName>sip:as%d.open-ims.test"
			"</ServerName><DefaultHandling>0</DefaultHandling></ApplicationServer>"
			"</InitialFilterCriteria>",
			i, i == 9 ? "mmtel" : "no-such-service", i);
	if (off < len)
		off += (size_t)snprintf(buf + off, len - off, "</ServiceProfile></IMSSubscription>");
	return off < len ? (int)off : -1;
}

/* n full walks of p for req; returns the matches seen. */
static long walk(const struct ifc_profile *p, const struct ifc_request *req,
		 const struct ifc_context *ctx, long n)
{
	const struct ifc_filter *f;
	long hits = 0;

	for (long i = 0; i < n; i++)
		for (int pos = ifc_next(p, req, ctx, IFC_START, &f); pos >= 0;
		     pos = ifc_next(p, req, ctx, pos, &f))
			hits++;
	return hits;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct ifc_request req = {
		.method = "INVITE", .request_uri = "tel:+4930123456",
		.headers = headers, .n_headers = sizeof headers / sizeof headers[0],
		.content_type = "application/sdp", .body = sdp, .body_len = sizeof sdp - 1,
	};
	struct ifc_context ctx = { IFC_SC_ORIGINATING, IFC_USER_REGISTERED };
	struct ifc_profile *p = NULL;
	long hits, parses = n / 100 > 0 ? n / 100 : 1;
	double t0, t1, t2;
	size_t count;

	t0 = now();
	for (long i = 0; i < parses; i++) {
		ifc_profile_free(p);
		if (ifc_profile_parse(profile, sizeof profile - 1, 0, &p) != 0) {
			fprintf(stderr, "bench_ifc: profile does not parse\n");
			return 1;
		}
	}
	t1 = now();
	hits = walk(p, &req, &ctx, n);
	t2 = now();
	count = ifc_profile_count(p);
	ifc_profile_free(p);
	if (hits != 3 * n) { /* TAS, video AS, CDIV AS */
		fprintf(stderr, "bench_ifc: %ld matches, expected %ld\n", hits, 3 * n);
		return 1;
	}
	printf("bench_ifc: %ld profile compiles in %.3f s = %.0f/s; %ld walks of %zu iFCs "
	       "(3 matches each) in %.3f s = %.0f walks/s\n",
	       parses, t1 - t0, (double)parses / (t1 - t0), n, count,
	       t2 - t1, (double)n / (t2 - t1));

	{
		static char wide[16384];
		int wlen = wide_profile(wide, sizeof wide);

		p = NULL;
		if (wlen < 0 || ifc_profile_parse(wide, (size_t)wlen, 0, &p) != 0) {
			fprintf(stderr, "bench_ifc: the 10x5 profile does not parse\n");
			return 1;
		}
		t1 = now();
		hits = walk(p, &req, &ctx, n);
		t2 = now();
		count = ifc_profile_count(p);
		ifc_profile_free(p);
		if (hits != n) {
			fprintf(stderr, "bench_ifc: 10x5: %ld matches, expected %ld\n", hits, n);
			return 1;
		}
		printf("bench_ifc: %zu iFCs of 5 SPTs each, one match: %.2f us per request "
		       "(%ld walks in %.3f s)\n", count, (t2 - t1) * 1e6 / (double)n, n, t2 - t1);
	}
	return 0;
}
