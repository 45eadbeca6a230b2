/* Internal helpers shared by every module: compile-time checks, branch
 * hints and unaligned big-endian loads.  Not installed. */
#ifndef PKTD_COMMON_H
#define PKTD_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PKTD__STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

#define pktd__likely(x) __builtin_expect(!!(x), 1)
#define pktd__unlikely(x) __builtin_expect(!!(x), 0)

/* Loads through memcpy: packet data has no alignment guarantee, and the
 * compiler turns these into single (byte-swapped) loads. */
static inline uint16_t pktd__be16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
#ifdef WORDS_BIGENDIAN
    return v;
#else
    return __builtin_bswap16(v);
#endif
}

static inline uint32_t pktd__be32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
#ifdef WORDS_BIGENDIAN
    return v;
#else
    return __builtin_bswap32(v);
#endif
}

static inline uint16_t pktd__le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t pktd__le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

#endif /* PKTD_COMMON_H */
