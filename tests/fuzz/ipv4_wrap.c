/* Transport fuzzing: each segment the fuzzer makes is decoded bare and
 * again behind a synthetic IPv4 header, so the paths that depend on the IP
 * layer (segment length from the total length, fragments, total length 0,
 * checksums over the pseudo-header) see fuzzer-controlled segments without
 * the fuzzer having to build a valid IPv4 header first.  A selector byte
 * chooses the header's shape. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Selector bits. */
#define SHAPE_LEN_MASK 0x03u  /* total length: exact, 0, short by k, long by k */
#define SHAPE_MF 0x04u        /* more-fragments set */
#define SHAPE_LATER 0x08u     /* non-zero fragment offset */
#define SHAPE_K(s) (((s) >> 4) & 7u)
#define SHAPE_FIX_CSUM 0x80u  /* write the correct transport checksum */

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void fuzz_transport(enum fuzz_entry bare, uint8_t proto, uint8_t shape, const uint8_t *seg,
                    size_t n)
{
    fuzz_decode_checked(bare, 0, seg, n, fuzz_cursor(seg, n));
    if (n > 65535 - 20)
        return;

    size_t len = 20 + n;
    uint8_t *pkt = malloc(len); /* exact size: ASan sees any over-read */
    FUZZ_CHECK(pkt != NULL);
    memcpy(pkt + 20, seg, n);
    uint8_t *h = pkt;
    memset(h, 0, 20);
    h[0] = 0x45;
    size_t tot = len;
    switch (shape & SHAPE_LEN_MASK) {
    case 1:
        tot = 0;
        break;
    case 2:
        tot = len > SHAPE_K(shape) * 4 + 1 ? len - SHAPE_K(shape) * 4 - 1 : 0;
        break;
    case 3:
        tot = len + SHAPE_K(shape) * 8 + 1;
        if (tot > 65535)
            tot = 65535;
        break;
    default:
        break;
    }
    put16(h + 2, (uint32_t)tot);
    put16(h + 4, 0x1234);
    put16(h + 6, ((shape & SHAPE_MF) ? 0x2000u : 0) | ((shape & SHAPE_LATER) ? 185u : 0));
    h[8] = 64;
    h[9] = proto;
    const uint8_t addrs[8] = {10, 0, 0, 1, 192, 0, 2, 7};
    memcpy(h + 12, addrs, 8);

    /* A correct transport checksum now and then, so the "valid" answer is
     * reached too (a fuzzer cannot solve one's-complement sums). */
    if ((shape & SHAPE_FIX_CSUM) && tot == len) {
        uint8_t *l4 = pkt + 20;
        size_t at = proto == 6 ? 16 : proto == 17 ? 6 : 2;
        if (proto == 17 && n >= 8)
            put16(l4 + 4, (uint32_t)n);
        if (n >= at + 2) {
            put16(l4 + at, 0);
            uint64_t sum = 0;
            if (proto != 1)
                sum = (uint64_t)fuzz_be16(h + 12) + fuzz_be16(h + 14) + fuzz_be16(h + 16) +
                      fuzz_be16(h + 18) + proto + n;
            uint32_t c = ~fuzz_csum(sum, l4, n) & 0xffffu;
            if (proto == 17 && c == 0)
                c = 0xffff;
            put16(l4 + at, c);
        }
    }
    put16(h + 10, ~fuzz_csum(0, h, 20) & 0xffffu);
    fuzz_decode_checked(FUZZ_IPV4, 0, pkt, len, fuzz_cursor(seg, n));
    fuzz_decode_checked(FUZZ_DECODE, PKTD_LINKTYPE_RAW, pkt, len, fuzz_cursor(seg, n));
    free(pkt);
}
