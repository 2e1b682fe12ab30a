/* sha256.c - SHA-256 through libcrypto's SHA256_* calls (see sha256.h). */
#include "sha256.h"

/* The digest's own calls, not EVP: EVP's first use loads OpenSSL's
 * providers and configuration, 1.7 MiB more of an import's peak memory,
 * for the same code underneath (the same speed, with the CPU's SHA
 * extensions).  OpenSSL 3 marks them deprecated. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include "err.h"
#include "mem.h"

int sha256_init(struct sha256 *h)
{
	h->ctx = nw_malloc(sizeof(SHA256_CTX));
	if (!h->ctx || SHA256_Init(h->ctx) != 1) {
		nw_free(h->ctx);
		h->ctx = NULL;
		return NAWAT_ENOMEM;
	}
	return 0;
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
	if (h->ctx && n)
		SHA256_Update(h->ctx, p, n);
}

void sha256_final(struct sha256 *h, unsigned char out[32])
{
	if (h->ctx)
		SHA256_Final(out, h->ctx);
	sha256_release(h);
}

void sha256_release(struct sha256 *h)
{
	nw_free(h->ctx);
	h->ctx = NULL;
}
