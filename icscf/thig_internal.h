/* THIG internals shared by thig_token.c and thig.c. */
#ifndef ICSCF_THIG_INTERNAL_H
#define ICSCF_THIG_INTERNAL_H

#include <openssl/evp.h>

#include "thig.h"

struct thig {
	EVP_CIPHER_CTX *enc, *dec; /* keyed once; each token sets its IV */
	uint8_t key[THIG_KEY_LEN];
	char hostport[300];
	thig_is_me_fn is_me;
	void *is_me_ctx;
};

#endif
