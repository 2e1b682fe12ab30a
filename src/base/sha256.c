/* sha256.c - SHA-256 through libcrypto's EVP interface (see sha256.h). */
#include "sha256.h"

#include <openssl/evp.h>

#include "err.h"

int sha256_init(struct sha256 *h)
{
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h->ctx);
		h->ctx = NULL;
		return NAWAT_ENOMEM;
	}
	return 0;
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
	if (h->ctx && n)
		EVP_DigestUpdate(h->ctx, p, n);
}

void sha256_final(struct sha256 *h, unsigned char out[32])
{
	unsigned int len = 32;

	if (h->ctx)
		EVP_DigestFinal_ex(h->ctx, out, &len);
	sha256_release(h);
}

void sha256_release(struct sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}
