/* SipHash-1-3 for the flow table (flowhash.h). */
#include "config.h"

#include <string.h>

#include "flowhash.h"

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64u - r));
}

/* One SipRound over the state v[0..3]. */
#define SIPROUND(v0, v1, v2, v3)                                                  \
    do {                                                                          \
        v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);            \
        v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;                                  \
        v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;                                  \
        v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);            \
    } while (0)

/* Reads 8 bytes as a little-endian word, whatever the host order. */
static inline uint64_t load_le64(const uint8_t *b)
{
    uint64_t w = 0;
    for (unsigned i = 0; i < 8; i++)
        w |= (uint64_t)b[i] << (8u * i);
    return w;
}

uint64_t pktd__siphash13(const uint64_t k[2], const void *data, size_t len)
{
    const uint8_t *in = data;
    uint64_t v0 = k[0] ^ 0x736f6d6570736575ull; /* "somepseudorandomlygeneratedbytes" */
    uint64_t v1 = k[1] ^ 0x646f72616e646f6dull;
    uint64_t v2 = k[0] ^ 0x6c7967656e657261ull;
    uint64_t v3 = k[1] ^ 0x7465646279746573ull;
    size_t words = len / 8u;

    for (size_t i = 0; i < words; i++) {
        uint64_t m = load_le64(in + 8u * i);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    /* The last word: the remaining bytes, and the length's low byte on top. */
    uint64_t last = (uint64_t)(len & 0xffu) << 56;
    const uint8_t *tail = in + 8u * words;
    for (size_t i = 0; i < (len & 7u); i++)
        last |= (uint64_t)tail[i] << (8u * i);
    v3 ^= last;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= last;

    v2 ^= 0xffu;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}
