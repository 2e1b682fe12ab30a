/*
 * sha256.h - SHA-256 of a stream (submissions record the SHA-256 of every
 * file).  OpenSSL's libcrypto: it uses the CPU's SHA extensions, ten times
 * the speed of a portable implementation, and imports hash every byte.
 */
#ifndef NAWAT_SHA256_H
#define NAWAT_SHA256_H

#include <stddef.h>

struct sha256 {
	void *ctx; /* SHA256_CTX * */
};

int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *p, size_t n);
/* Writes the digest and releases the context. */
void sha256_final(struct sha256 *h, unsigned char out[32]);
/* Releases without a digest (after a failure). */
void sha256_release(struct sha256 *h);

#endif
