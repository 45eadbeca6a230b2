/* SipHash-2-4 (keyhash.h): 2 compression rounds per 8-byte word, 4
 * finalization rounds, over little-endian words; the last word holds the
 * remaining bytes and the length modulo 256 in its top byte. */
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

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

#define SIPROUND()                                                                         \
    do {                                                                                   \
        v0 += v1;                                                                          \
        v1 = rotl(v1, 13);                                                                 \
        v1 ^= v0;                                                                          \
        v0 = rotl(v0, 32);                                                                 \
        v2 += v3;                                                                          \
        v3 = rotl(v3, 16);                                                                 \
        v3 ^= v2;                                                                          \
        v0 += v3;                                                                          \
        v3 = rotl(v3, 21);                                                                 \
        v3 ^= v0;                                                                          \
        v2 += v1;                                                                          \
        v1 = rotl(v1, 17);                                                                 \
        v1 ^= v2;                                                                          \
        v2 = rotl(v2, 32);                                                                 \
    } while (0)

uint64_t pktd__keyhash(const struct pktd__hashkey *key, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t v0 = key->k0 ^ 0x736f6d6570736575ull;
    uint64_t v1 = key->k1 ^ 0x646f72616e646f6dull;
    uint64_t v2 = key->k0 ^ 0x6c7967656e657261ull;
    uint64_t v3 = key->k1 ^ 0x7465646279746573ull;
    size_t words = len / 8;
    for (size_t i = 0; i < words; i++) {
        uint64_t m = load_le64(p + 8 * i);
        v3 ^= m;
        SIPROUND();
        SIPROUND();
        v0 ^= m;
    }
    uint64_t last = (uint64_t)(len & 0xffu) << 56;
    for (size_t i = 0; i < (len & 7u); i++)
        last |= (uint64_t)p[8 * words + i] << (8 * i);
    v3 ^= last;
    SIPROUND();
    SIPROUND();
    v0 ^= last;
    v2 ^= 0xff;
    SIPROUND();
    SIPROUND();
    SIPROUND();
    SIPROUND();
    return v0 ^ v1 ^ v2 ^ v3;
}
