/* The Internet checksum (RFC 1071), used lazily by the *_checksum_ok
 * accessors: decoding itself never sums anything.  Not installed. */
#ifndef PKTD_CHECKSUM_H
#define PKTD_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* One's-complement sum of @p len bytes at @p p, as 16-bit big-endian words
 * (an odd last byte is padded with zero on the right), folded to 0 ... 0xffff.
 * The caller guarantees that the @p len bytes were captured. */
uint32_t pktd__csum_sum(const uint8_t *p, size_t len);

/* Fold a sum of several pktd__csum_sum() results and 16-bit words. */
static inline uint32_t pktd__csum_fold(uint64_t sum)
{
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    sum = (sum & 0xffffu) + (sum >> 16);
    return (uint32_t)sum;
}

/* A block that includes its own checksum field verifies when its sum is
 * all ones (the one's-complement of zero). */
static inline int pktd__csum_verifies(uint64_t sum)
{
    return pktd__csum_fold(sum) == 0xffffu;
}

/* What a *_checksum_ok / *_checksum_bad pair reports: each is 1 only for
 * its own outcome, and neither when the sum could not be computed (rule R3). */
enum { PKTD__CSUM_UNVERIFIED = -1, PKTD__CSUM_WRONG = 0, PKTD__CSUM_GOOD = 1 };

static inline int pktd__csum_result(uint64_t sum)
{
    return pktd__csum_verifies(sum) ? PKTD__CSUM_GOOD : PKTD__CSUM_WRONG;
}

#endif /* PKTD_CHECKSUM_H */
