/* The flow table's keyed hash: SipHash-1-3 (Aumasson and Bernstein's
 * SipHash with one compression and three finalization rounds, the variant
 * CPython and Rust's HashMap use against hash flooding).  A 128-bit key
 * drawn per table makes bucket indexes unpredictable to whoever crafts the
 * traffic.  Written from the published description.  Not installed. */
#ifndef PKTD_FLOWHASH_H
#define PKTD_FLOWHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-1-3 of len bytes under the key k[0], k[1] (the key's two
 * little-endian 64-bit halves). */
uint64_t pktd__siphash13(const uint64_t k[2], const void *data, size_t len);

#endif /* PKTD_FLOWHASH_H */
