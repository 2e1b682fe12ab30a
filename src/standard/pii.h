/*
 * pii.h - personal data: the key file, keyed hashes, sealed copies and
 * pseudonyms.
 *
 * A citizen ID is never stored in clear.  The store keeps
 *   hash   = BLAKE2b-16(k_prefix, id[0..5)) || BLAKE2b-112(k_hash, id)
 *            for keys and joins (the prefix keeps IDs of one registration
 *            office together; see pii.c);
 *   sealed = XChaCha20-Poly1305(k_seal, id)    so the operator can export it,
 *            with the nonce derived from the hash (deterministic, so the same
 *            ID always seals to the same bytes and re-imports are "unchanged").
 * A pseudonym is "P" + base32(BLAKE2b-80(k_pseudo, hash)): stable per key,
 * meaningless without it.  The three subkeys are derived from one 32-byte
 * master key kept in a 0600 key file made by `nawat init`.
 */
#ifndef NAWAT_PII_H
#define NAWAT_PII_H

#include <stddef.h>

#include "../base/err.h"

#define PII_HASH_LEN 16
#define PII_SEAL_OVERHEAD 16
#define PII_MAX_CLEAR 64
#define PII_SEALED_MAX (PII_MAX_CLEAR + PII_SEAL_OVERHEAD)
#define PII_PSEUDONYM_LEN 17 /* "P" + 16 base32 characters */

struct pii_key;

/* Creates a new key file (fails if it exists), mode 0600. */
int pii_key_create(const char *path, struct nw_err *err);
/* Loads a key file; refuses one readable by group or others. */
int pii_key_load(const char *path, struct pii_key **out, struct nw_err *err);
void pii_key_free(struct pii_key *k);
/* A fingerprint that the store keeps to tell a wrong key file (hex, 32 chars). */
void pii_key_fingerprint(const struct pii_key *k, char out[33]);

void pii_hash(const struct pii_key *k, const char *clear, size_t n, unsigned char out[PII_HASH_LEN]);
/* out must hold n + PII_SEAL_OVERHEAD bytes; n <= PII_MAX_CLEAR. */
int pii_seal(const struct pii_key *k, const char *clear, size_t n,
	     const unsigned char hash[PII_HASH_LEN], unsigned char *out, size_t *outlen);
/* out must hold sealed_len - PII_SEAL_OVERHEAD + 1 bytes (NUL-terminated). */
int pii_open(const struct pii_key *k, const unsigned char *sealed, size_t sealed_len,
	     const unsigned char hash[PII_HASH_LEN], char *out, size_t *outlen);
void pii_pseudonym(const struct pii_key *k, const unsigned char hash[PII_HASH_LEN],
		   char out[PII_PSEUDONYM_LEN + 1]);

/* The key file sealed with a passphrase (argon2id + XSalsa20-Poly1305), for
 * backups: written to out_path (not overwritten), read back by unseal, which
 * writes a 0600 key file at key_path (not overwritten). */
int pii_key_seal_file(const char *key_path, const char *passphrase, const char *out_path,
		      struct nw_err *err);
int pii_key_unseal_file(const char *sealed_path, const char *passphrase, const char *key_path,
			struct nw_err *err);

/* Must be called once before any other function (sodium_init). */
int pii_init(struct nw_err *err);

#endif
