/*
 * hss_aka_tool: the UE (USIM) side of AKA for the HSS integration test.
 *   verify K OP RAND||AUTN XRES   check MAC-A and RES == XRES; print "sqn=N"
 *   auts K OP RAND SQN_MS         print RAND||AUTS (SIP-Authorization) as hex
 *   sqns K OP                     stdin: "RAND||AUTN XRES" lines (ims-cxctl
 *                                 --dump); verify each, print its SQN
 * Hex arguments; exit 0 ok, 1 the check failed, 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/milenage.h"
#include "auth/vector.h"

static int hex(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };
		char *end;
		out[i] = (uint8_t)strtoul(b, &end, 16);
		if (*end)
			return -1;
	}
	return 0;
}

/* Batch verify: one SQN per line; 1 if any line does not verify. */
static int sqns(const uint8_t k[16], const uint8_t opc[16])
{
	char line[256], ras[128], xs[64];
	uint8_t ra[32], xres[8], res[8];
	uint64_t sqn;
	int rc = 0;

	while (fgets(line, sizeof line, stdin)) {
		if (sscanf(line, "%127s %63s", ras, xs) != 2 || hex(ras, ra, 32) || hex(xs, xres, 8) ||
		    auth_autn_verify(k, opc, ra, ra + 16, &sqn, res) != 0 || memcmp(res, xres, 8)) {
			fprintf(stderr, "does not verify: %s", line);
			rc = 1;
			continue;
		}
		printf("%llu\n", (unsigned long long)sqn);
	}
	return rc;
}

int main(int argc, char **argv)
{
	uint8_t k[16], op[16], opc[16], ra[32], xres[8], res[8], auts[AUTH_AUTS_LEN];
	uint64_t sqn = 0;

	if (argc == 4 && strcmp(argv[1], "sqns") == 0) {
		if (hex(argv[2], k, 16) || hex(argv[3], op, 16) || milenage_opc(k, op, opc))
			return 2;
		return sqns(k, opc);
	}
	if (argc != 6 || hex(argv[2], k, 16) || hex(argv[3], op, 16) || milenage_opc(k, op, opc))
		return 2;
	if (strcmp(argv[1], "verify") == 0) {
		if (hex(argv[4], ra, 32) || hex(argv[5], xres, 8))
			return 2;
		if (auth_autn_verify(k, opc, ra, ra + 16, &sqn, res) != 0) {
			fprintf(stderr, "MAC-A does not verify\n");
			return 1;
		}
		if (memcmp(res, xres, 8) != 0) {
			fprintf(stderr, "RES differs from XRES\n");
			return 1;
		}
		printf("sqn=%llu\n", (unsigned long long)sqn);
		return 0;
	}
	if (strcmp(argv[1], "auts") == 0) {
		if (hex(argv[4], ra, 16))
			return 2;
		if (auth_auts_build(k, opc, ra, strtoull(argv[5], NULL, 10), auts) != 0)
			return 1;
		for (size_t i = 0; i < 16; i++)
			printf("%02x", ra[i]);
		for (size_t i = 0; i < AUTH_AUTS_LEN; i++)
			printf("%02x", auts[i]);
		printf("\n");
		return 0;
	}
	return 2;
}
