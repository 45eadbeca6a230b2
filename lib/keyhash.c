/* SipHash-c-d (keyhash.h): c compression rounds per 8-byte word, d
 * finalization rounds, over little-endian words; the last word holds the
 * remaining bytes and the length modulo 256 in its top byte.  One core
 * with the rounds as parameters, inlined into each entry point so that
 * the compiler unrolls it for its constants. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "keyhash.h"

int pktd__hashkey_random(struct pktd__hashkey *key)
{
    uint8_t buf[16];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = getrandom(buf + got, sizeof buf - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        got += (size_t)n;
    }
    memcpy(&key->k0, buf, 8);
    memcpy(&key->k1, buf + 8, 8);
    return 0;
}

static inline uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

/* Reads 8 bytes as a little-endian word, whatever the host order. */
static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* @p n SipRounds over the state v[0..3]. */
static inline void siprounds(uint64_t v[4], unsigned n)
{
#pragma GCC unroll 4
    for (unsigned r = 0; r < n; r++) {
        v[0] += v[1];
        v[1] = rotl(v[1], 13);
        v[1] ^= v[0];
        v[0] = rotl(v[0], 32);
        v[2] += v[3];
        v[3] = rotl(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = rotl(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = rotl(v[1], 17);
        v[1] ^= v[2];
        v[2] = rotl(v[2], 32);
    }
}

/* Always inlined, and the rounds unrolled: with constant rounds the code
 * is that of a hand-written SipHash-c-d (GCC -O2 otherwise keeps one
 * out-of-line copy looping over the rounds: 3% more instructions for a
 * flow key). */
static inline __attribute__((always_inline)) uint64_t
siphash(const struct pktd__hashkey *key, const void *data, size_t len, unsigned crounds,
        unsigned drounds)
{
    const uint8_t *p = data;
    /* "somepseudorandomlygeneratedbytes" */
    uint64_t v[4] = {key->k0 ^ 0x736f6d6570736575ull, key->k1 ^ 0x646f72616e646f6dull,
                     key->k0 ^ 0x6c7967656e657261ull, key->k1 ^ 0x7465646279746573ull};
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++) {
        uint64_t m = load_le64(p + 8 * i);
        v[3] ^= m;
        siprounds(v, crounds);
        v[0] ^= m;
    }
    uint64_t last = (uint64_t)(len & 0xffu) << 56;
    for (size_t i = 0; i < (len & 7u); i++)
        last |= (uint64_t)p[8 * words + i] << (8 * i);
    v[3] ^= last;
    siprounds(v, crounds);
    v[0] ^= last;
    v[2] ^= 0xff;
    siprounds(v, drounds);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint64_t pktd__siphash24(const struct pktd__hashkey *key, const void *data, size_t len)
{
    return siphash(key, data, len, 2, 4);
}

uint64_t pktd__siphash13(const struct pktd__hashkey *key, const void *data, size_t len)
{
    return siphash(key, data, len, 1, 3);
}
