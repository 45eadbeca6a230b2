/* The keyed hash of the handles' hash tables (SipHash, written from the
 * paper by Aumasson and Bernstein, 2012), and the random key it needs.
 *
 * Why keyed: a table indexed by an unkeyed hash of packet fields can be
 * filled by crafted traffic into one chain, so each lookup becomes a linear
 * scan.  With a random per-handle key, an attacker who does not know the key
 * cannot predict which keys collide.
 *
 * One SipHash, two round counts: SipHash-2-4 (2 compression rounds per
 * 8-byte word, 4 finalization rounds), the paper's, for the defragmenter;
 * SipHash-1-3, the variant CPython and Rust's HashMap use against hash
 * flooding, for the flow table, where it is hashed once per packet.
 * Internal. */
#ifndef PKTD_KEYHASH_H
#define PKTD_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

/* The 128-bit key of one hash table: its two little-endian 64-bit halves. */
struct pktd__hashkey {
    uint64_t k0;
    uint64_t k1;
};

/* Fill @p key from getrandom(2); 0, or -errno of the failed call. */
int pktd__hashkey_random(struct pktd__hashkey *key);

/* SipHash-2-4 of @p len bytes at @p data under @p key. */
uint64_t pktd__siphash24(const struct pktd__hashkey *key, const void *data, size_t len);

/* SipHash-1-3 of @p len bytes at @p data under @p key. */
uint64_t pktd__siphash13(const struct pktd__hashkey *key, const void *data, size_t len);

#endif /* PKTD_KEYHASH_H */
