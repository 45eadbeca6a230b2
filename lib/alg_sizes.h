/* Sizes of AF_ALG algorithms (digest, block, IV, chunk, key) from a
 * built-in table, or from /proc/crypto for anything else the kernel offers.
 * NETLINK_CRYPTO is deliberately not used: it needs CONFIG_CRYPTO_USER,
 * which many kernels lack (libkcapi's init fails there).  Not installed. */
#ifndef PKTD_ALG_SIZES_H
#define PKTD_ALG_SIZES_H

#include <stddef.h>
#include <stdint.h>

#define PKTD__ALG_HASH 1
#define PKTD__ALG_SKCIPHER 2

struct pktd__alg_info {
    uint32_t digest_size; /* hash: bytes of a full digest */
    uint32_t block_size;  /* the algorithm's block size (1 for stream modes) */
    uint32_t iv_size;     /* skcipher: exact IV length the kernel demands */
    uint32_t chunk_size;  /* skcipher: unit the kernel processes streamed input in */
    uint32_t key_min;     /* skcipher: smallest and largest key; 0 for hashes */
    uint32_t key_max;
    uint8_t chains_iv;    /* skcipher: the IV left after a request continues
                           * the message, so input may be split into requests */
    uint8_t whole_blocks; /* skcipher: input must be a multiple of block_size */
    uint8_t from_proc;    /* found in /proc/crypto, not in the table */
};

/* The built-in table (including hmac(<table hash>)).  0 or PKTD_E_NOT_FOUND. */
int pktd__alg_info_builtin(int type, const char *name, struct pktd__alg_info *out);

/* Find name in the text of /proc/crypto.  0, PKTD_E_NOT_FOUND, or
 * PKTD_E_MALFORMED when the entry holds impossible sizes. */
int pktd__alg_info_parse(const char *text, size_t len, int type, const char *name,
                         struct pktd__alg_info *out);

/* Table first, then proc_path (NULL: /proc/crypto).  0, PKTD_E_NOT_FOUND
 * (with the reason in errmsg: NULL or PKTD_ERRBUF_SIZE bytes), PKTD_E_MALFORMED,
 * or -ENOMEM. */
int pktd__alg_info_lookup(int type, const char *name, const char *proc_path,
                          struct pktd__alg_info *out, char *errmsg);

#endif /* PKTD_ALG_SIZES_H */
