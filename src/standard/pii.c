/* pii.c - keyed hashes, sealed copies and pseudonyms (see pii.h). */
#include "pii.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/mem.h"

#define KEY_MAGIC "nawat-pii-key-v1"

struct pii_key {
	unsigned char master[crypto_kdf_KEYBYTES];
	unsigned char k_hash[crypto_generichash_KEYBYTES];
	unsigned char k_seal[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char k_pseudo[crypto_generichash_KEYBYTES];
	unsigned char k_check[crypto_generichash_KEYBYTES];
	unsigned char k_prefix[crypto_generichash_KEYBYTES];
	uint64_t id; /* this key among those the process loaded (pii_hash's memo) */
};

int pii_init(struct nw_err *err)
{
	if (sodium_init() < 0)
		return err_msg(err, NAWAT_ECRYPTO, "เริ่มต้นไลบรารีเข้ารหัสไม่สำเร็จ",
			       "could not initialise libsodium");
	return 0;
}

int pii_key_create(const char *path, struct nw_err *err)
{
	unsigned char master[crypto_kdf_KEYBYTES];
	char hex[crypto_kdf_KEYBYTES * 2 + 1];
	char text[128];
	int fd, n;

	crypto_kdf_keygen(master);
	sodium_bin2hex(hex, sizeof hex, master, sizeof master);
	sodium_memzero(master, sizeof master);
	n = snprintf(text, sizeof text, "%s\n%s\n", KEY_MAGIC, hex);
	sodium_memzero(hex, sizeof hex);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		sodium_memzero(text, sizeof text);
		if (errno == EEXIST)
			return err_set(err, NAWAT_EEXIST, "มีไฟล์กุญแจอยู่แล้ว: %s (ไม่เขียนทับ)",
				       "key file already exists: %s (not overwritten)", path);
		return err_set(err, NAWAT_EIO, "สร้างไฟล์กุญแจไม่ได้: %s", "cannot create key file: %s", path);
	}
	if (write(fd, text, (size_t)n) != n || fsync(fd) != 0) {
		sodium_memzero(text, sizeof text);
		close(fd);
		unlink(path);
		return err_set(err, NAWAT_EIO, "เขียนไฟล์กุญแจไม่ได้: %s", "cannot write key file: %s", path);
	}
	sodium_memzero(text, sizeof text);
	if (close(fd) != 0)
		return err_set(err, NAWAT_EIO, "เขียนไฟล์กุญแจไม่ได้: %s", "cannot write key file: %s", path);
	return 0;
}

static uint64_t key_ids;

static void derive(struct pii_key *k)
{
	crypto_kdf_derive_from_key(k->k_hash, sizeof k->k_hash, 1, "nawat-id", k->master);
	crypto_kdf_derive_from_key(k->k_seal, sizeof k->k_seal, 2, "nawat-id", k->master);
	crypto_kdf_derive_from_key(k->k_pseudo, sizeof k->k_pseudo, 3, "nawat-id", k->master);
	crypto_kdf_derive_from_key(k->k_check, sizeof k->k_check, 4, "nawat-id", k->master);
	crypto_kdf_derive_from_key(k->k_prefix, sizeof k->k_prefix, 5, "nawat-id", k->master);
	k->id = __atomic_add_fetch(&key_ids, 1, __ATOMIC_RELAXED);
}

int pii_key_load(const char *path, struct pii_key **out, struct nw_err *err)
{
	char text[256];
	struct pii_key *k;
	struct stat st;
	const char *hex;
	size_t binlen;
	ssize_t n;
	int fd, rc = 0;

	*out = NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return err_set(err, NAWAT_ECRYPTO,
			       "ไม่พบไฟล์กุญแจข้อมูลส่วนบุคคล: %s (สร้างด้วย nawat init หรือระบุด้วย --key)",
			       "personal-data key file not found: %s (make one with nawat init or give --key)",
			       path);
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		close(fd);
		return err_set(err, NAWAT_ECRYPTO,
			       "ไฟล์กุญแจ %s ต้องอ่านได้เฉพาะเจ้าของ (chmod 600)",
			       "key file %s must be readable by its owner only (chmod 600)", path);
	}
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n < 0)
		n = 0;
	text[n] = '\0';
	k = sodium_malloc(sizeof *k);
	if (!k) {
		sodium_memzero(text, sizeof text);
		return err_generic(err, NAWAT_ENOMEM);
	}
	hex = text + strlen(KEY_MAGIC) + 1;
	if (strncmp(text, KEY_MAGIC "\n", strlen(KEY_MAGIC) + 1) != 0 ||
	    sodium_hex2bin(k->master, sizeof k->master, hex, strlen(hex), "\r\n", &binlen, NULL) != 0 ||
	    binlen != sizeof k->master) {
		rc = err_set(err, NAWAT_ECRYPTO, "ไฟล์กุญแจเสียหายหรือไม่ใช่ไฟล์กุญแจของ nawat: %s",
			     "damaged key file or not a nawat key file: %s", path);
		sodium_free(k);
		k = NULL;
	} else {
		derive(k);
	}
	sodium_memzero(text, sizeof text);
	*out = k;
	return rc;
}

void pii_key_free(struct pii_key *k)
{
	if (k)
		sodium_free(k);
}

void pii_key_fingerprint(const struct pii_key *k, char out[33])
{
	unsigned char h[16];

	crypto_generichash(h, sizeof h, (const unsigned char *)"nawat-key-check", 15, k->k_check,
			   sizeof k->k_check);
	sodium_bin2hex(out, 33, h, sizeof h);
}

/*
 * The first five characters of a citizen ID name the office that registered
 * it (type, province, district), so the students of one school share a few
 * of them.  The hash keeps that locality: two bytes keyed on the prefix, then
 * fourteen on the whole ID.  Rows of one school stay near each other in the
 * key index (an import touches a few pages, not the whole index); the store
 * learns only which IDs share an unnamed registration office.
 */
#define PII_PREFIX 5
#define PII_PREFIX_HASH 2

/* The prefixes this thread hashed last, by their digits' value: a school's
 * students share a few, and a keyed hash costs about as much as the whole
 * ID's (88% of the demo's students find theirs here). */
#define PREFIX_MEMO 64

void pii_hash(const struct pii_key *k, const char *clear, size_t n, unsigned char out[PII_HASH_LEN])
{
	static __thread struct {
		uint64_t key;
		unsigned char n;
		char prefix[PII_PREFIX];
		unsigned char hash[PII_PREFIX_HASH];
	} memo[PREFIX_MEMO];
	size_t p = n < PII_PREFIX ? n : PII_PREFIX, i, slot = 0;

	for (i = 0; i < p; i++)
		slot = slot * 10 + (unsigned char)clear[i];
	slot %= PREFIX_MEMO;
	if (memo[slot].key == k->id && memo[slot].n == p && !memcmp(memo[slot].prefix, clear, p)) {
		memcpy(out, memo[slot].hash, PII_PREFIX_HASH);
	} else {
		crypto_generichash(out, PII_PREFIX_HASH, (const unsigned char *)clear, p, k->k_prefix,
				   sizeof k->k_prefix);
		memo[slot].key = k->id;
		memo[slot].n = (unsigned char)p;
		memcpy(memo[slot].prefix, clear, p);
		memcpy(memo[slot].hash, out, PII_PREFIX_HASH);
	}
	crypto_generichash(out + PII_PREFIX_HASH, PII_HASH_LEN - PII_PREFIX_HASH,
			   (const unsigned char *)clear, n, k->k_hash, sizeof k->k_hash);
}

static void nonce_of(const unsigned char hash[PII_HASH_LEN],
		     unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES])
{
	memset(nonce, 0, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	memcpy(nonce, hash, PII_HASH_LEN);
}

int pii_seal(const struct pii_key *k, const char *clear, size_t n,
	     const unsigned char hash[PII_HASH_LEN], unsigned char *out, size_t *outlen)
{
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long clen;

	if (n > PII_MAX_CLEAR)
		return NAWAT_ELIMIT;
	nonce_of(hash, nonce);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out, &clen, (const unsigned char *)clear, n,
						   NULL, 0, NULL, nonce, k->k_seal);
	*outlen = (size_t)clen;
	return 0;
}

int pii_open(const struct pii_key *k, const unsigned char *sealed, size_t sealed_len,
	     const unsigned char hash[PII_HASH_LEN], char *out, size_t *outlen)
{
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	unsigned long long mlen;

	if (sealed_len < PII_SEAL_OVERHEAD || sealed_len > PII_SEALED_MAX)
		return NAWAT_ECRYPTO;
	nonce_of(hash, nonce);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &mlen, NULL, sealed,
						       sealed_len, NULL, 0, nonce, k->k_seal) != 0)
		return NAWAT_ECRYPTO;
	out[mlen] = '\0';
	*outlen = (size_t)mlen;
	return 0;
}

void pii_pseudonym(const struct pii_key *k, const unsigned char hash[PII_HASH_LEN],
		   char out[PII_PSEUDONYM_LEN + 1])
{
	static const char b32[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	unsigned char h[10];
	unsigned int acc = 0, bits = 0;
	size_t i, o = 0;

	crypto_generichash(h, sizeof h, hash, PII_HASH_LEN, k->k_pseudo, sizeof k->k_pseudo);
	out[o++] = 'P';
	for (i = 0; i < sizeof h; i++) {
		acc = (acc << 8) | h[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	out[o] = '\0';
}

#define SEALED_MAGIC "nawat-sealed-key-v1"

static int read_small(const char *path, char *buf, size_t n, size_t *len)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return -1;
	*len = fread(buf, 1, n - 1, fp);
	buf[*len] = '\0';
	fclose(fp);
	return 0;
}

int pii_key_seal_file(const char *key_path, const char *passphrase, const char *out_path,
		      struct nw_err *err)
{
	unsigned char salt[crypto_pwhash_SALTBYTES], nonce[crypto_secretbox_NONCEBYTES];
	unsigned char k[crypto_secretbox_KEYBYTES], box[256 + crypto_secretbox_MACBYTES];
	unsigned char blob[sizeof salt + sizeof nonce + sizeof box];
	char clear[256], b64[sodium_base64_ENCODED_LEN(sizeof blob, sodium_base64_VARIANT_ORIGINAL)];
	size_t n, blen;
	int fd, rc = 0;

	if (read_small(key_path, clear, sizeof clear, &n) || n < 16)
		return err_set(err, NAWAT_ECRYPTO, "อ่านไฟล์กุญแจ %s ไม่ได้", "cannot read the key file %s", key_path);
	randombytes_buf(salt, sizeof salt);
	randombytes_buf(nonce, sizeof nonce);
	if (crypto_pwhash(k, sizeof k, passphrase, strlen(passphrase), salt, crypto_pwhash_OPSLIMIT_MODERATE,
			  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(clear, sizeof clear);
		return err_generic(err, NAWAT_ENOMEM);
	}
	crypto_secretbox_easy(box, (unsigned char *)clear, n, nonce, k);
	sodium_memzero(clear, sizeof clear);
	sodium_memzero(k, sizeof k);
	memcpy(blob, salt, sizeof salt);
	memcpy(blob + sizeof salt, nonce, sizeof nonce);
	memcpy(blob + sizeof salt + sizeof nonce, box, n + crypto_secretbox_MACBYTES);
	blen = sizeof salt + sizeof nonce + n + crypto_secretbox_MACBYTES;
	sodium_bin2base64(b64, sizeof b64, blob, blen, sodium_base64_VARIANT_ORIGINAL);
	fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return err_set(err, errno == EEXIST ? NAWAT_EEXIST : NAWAT_EIO,
			       "เขียนไฟล์กุญแจที่ผนึกไว้ %s ไม่ได้ (มีอยู่แล้วหรือไม่?)",
			       "cannot write the sealed key %s (does it exist?)", out_path);
	if (dprintf(fd, "%s\n%s\n", SEALED_MAGIC, b64) < 0 || fsync(fd) != 0)
		rc = err_set(err, NAWAT_EIO, "เขียนไฟล์ %s ไม่ได้", "cannot write %s", out_path);
	close(fd);
	return rc;
}

int pii_key_unseal_file(const char *sealed_path, const char *passphrase, const char *key_path,
			struct nw_err *err)
{
	unsigned char blob[512], k[crypto_secretbox_KEYBYTES], clear[256];
	char text[1024];
	const unsigned char *salt, *nonce;
	size_t n, blen;
	int fd, rc = 0;

	if (read_small(sealed_path, text, sizeof text, &n) ||
	    strncmp(text, SEALED_MAGIC "\n", strlen(SEALED_MAGIC) + 1) ||
	    sodium_base642bin(blob, sizeof blob, text + strlen(SEALED_MAGIC) + 1, n - strlen(SEALED_MAGIC) - 1,
			      "\r\n", &blen, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    blen < crypto_pwhash_SALTBYTES + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return err_set(err, NAWAT_ECRYPTO, "ไฟล์กุญแจที่ผนึกไว้ %s เสียหาย", "damaged sealed key %s", sealed_path);
	salt = blob;
	nonce = blob + crypto_pwhash_SALTBYTES;
	if (crypto_pwhash(k, sizeof k, passphrase, strlen(passphrase), salt, crypto_pwhash_OPSLIMIT_MODERATE,
			  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_generic(err, NAWAT_ENOMEM);
	n = blen - crypto_pwhash_SALTBYTES - crypto_secretbox_NONCEBYTES;
	if (crypto_secretbox_open_easy(clear, nonce + crypto_secretbox_NONCEBYTES, n, nonce, k) != 0) {
		sodium_memzero(k, sizeof k);
		return err_msg(err, NAWAT_ECRYPTO, "รหัสผ่านของกุญแจไม่ถูกต้อง", "wrong passphrase for the sealed key");
	}
	sodium_memzero(k, sizeof k);
	n -= crypto_secretbox_MACBYTES;
	fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		sodium_memzero(clear, sizeof clear);
		return err_set(err, errno == EEXIST ? NAWAT_EEXIST : NAWAT_EIO,
			       "มีไฟล์กุญแจ %s อยู่แล้ว (ไม่เขียนทับ)", "key file %s exists (not overwritten)", key_path);
	}
	if (write(fd, clear, n) != (ssize_t)n || fsync(fd) != 0)
		rc = err_set(err, NAWAT_EIO, "เขียนไฟล์กุญแจไม่ได้: %s", "cannot write key file: %s", key_path);
	sodium_memzero(clear, sizeof clear);
	close(fd);
	return rc;
}
