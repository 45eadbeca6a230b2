/* Fuzz target: the IP defragmenter (defrag.h), fed a sequence of packets
 * read from the input, into a handle of the smallest budget (8 datagrams of
 * up to 8 fragments) so that eviction, the fragment limit and expiry are
 * reached.  Records, until the input ends:
 *
 *   ctl  (1 byte): bit 0 synthetic fragment / raw packet, bit 1 the zone,
 *                  bits 4-7 how far the capture clock moves (x 100 ms);
 *   synthetic (6 bytes): flags (bit 0 IPv6, bit 1 more fragments, bits 2-3
 *                  protocol UDP/TCP/ICMP/ESP, bit 4 small offset), id,
 *                  offset (2 bytes, 8-byte units), length (2 bytes, up to
 *                  4 KiB): a valid IPv4 or IPv6 fragment is built around a
 *                  byte pattern;
 *   raw: a length byte and that many bytes, decoded as raw IP.
 *
 * Invariants after every call: defrag.h's (every fragment reassembled,
 * held or counted in one drop counter), the bytes in use within the pool
 * and the allocation within the budget; a returned datagram decodes and is
 * at most 65,575 bytes; at the end, expiring everything leaves nothing held
 * and no byte in use. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define BUDGET_TRIES 4

static void check_stats(const pktd_defrag *d, size_t budget)
{
    uint64_t s[PKTD_DEFRAG_STAT_COUNT];
    FUZZ_CHECK(pktd_defrag_stats(d, s, PKTD_DEFRAG_STAT_COUNT) == (int)PKTD_DEFRAG_STAT_COUNT);
    uint64_t sum = s[PKTD_DEFRAG_STAT_REASSEMBLED] + s[PKTD_DEFRAG_STAT_HELD_FRAGMENTS];
    for (unsigned i = PKTD_DEFRAG_STAT_DROP_DUPLICATE; i <= PKTD_DEFRAG_STAT_DROP_EVICTED; i++)
        sum += s[i];
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_FRAGMENTS] == sum);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_BYTES_IN_USE] <= s[PKTD_DEFRAG_STAT_BYTES_POOL]);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_BYTES_HIGH] <= s[PKTD_DEFRAG_STAT_BYTES_POOL]);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_BYTES_ALLOCATED] <= budget);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_HELD_DATAGRAMS] <= 8);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_HELD_FRAGMENTS] <= 8 * s[PKTD_DEFRAG_STAT_HELD_DATAGRAMS]);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_DATAGRAMS_DROPPED] >=
               s[PKTD_DEFRAG_STAT_DATAGRAMS_TIMEOUT] + s[PKTD_DEFRAG_STAT_DATAGRAMS_EVICTED]);
    if (s[PKTD_DEFRAG_STAT_HELD_DATAGRAMS] == 0)
        FUZZ_CHECK(s[PKTD_DEFRAG_STAT_BYTES_IN_USE] == 0);
}

static size_t build(uint8_t *b, const uint8_t *r)
{
    static const uint8_t protos[4] = {17, 6, 1, 50};
    int v6 = r[0] & 1;
    int more = (r[0] >> 1) & 1;
    uint8_t proto = protos[(r[0] >> 2) & 3];
    uint32_t off = (uint32_t)(r[2] << 8 | r[3]) & 0x1fffu;
    if (r[0] & 0x10)
        off &= 0x3fu;
    size_t len = (size_t)(r[4] << 8 | r[5]) & 0xfffu;
    size_t n;
    if (!v6) {
        memset(b, 0, 20);
        b[0] = 0x45;
        b[2] = (uint8_t)((20 + len) >> 8);
        b[3] = (uint8_t)(20 + len);
        b[5] = r[1];
        b[6] = (uint8_t)((more ? 0x20 : 0) | off >> 8);
        b[7] = (uint8_t)off;
        b[8] = 64;
        b[9] = proto;
        b[12] = 10, b[15] = 1, b[16] = 10, b[19] = 2;
        n = 20;
    } else {
        memset(b, 0, 48);
        b[0] = 0x60;
        b[4] = (uint8_t)((8 + len) >> 8);
        b[5] = (uint8_t)(8 + len);
        b[6] = 44;
        b[7] = 64;
        b[8] = 0x20, b[23] = 1, b[24] = 0x20, b[39] = 2;
        b[40] = proto == 1 ? 58 : proto;
        b[42] = (uint8_t)(off >> 5);
        b[43] = (uint8_t)((off << 3) | (more ? 1 : 0));
        b[47] = r[1];
        n = 48;
    }
    for (size_t i = 0; i < len; i++)
        b[n + i] = (uint8_t)(off * 8 + i);
    return n + len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t pkt_buf[48 + 4096];
    /* The smallest budget these limits accept: the message names it. */
    char err[PKTD_ERRBUF_SIZE];
    pktd_defrag *d = NULL;
    size_t budget = 1;
    FUZZ_CHECK(pktd_defrag_create(&d, budget, 8, 8, 1000000000ull, err) ==
               PKTD_E_INVALID_ARGUMENT);
    const char *below = strstr(err, "below the ");
    FUZZ_CHECK(below != NULL);
    budget = (size_t)strtoull(below + 10, NULL, 10);
    FUZZ_CHECK(pktd_defrag_create(&d, budget, 8, 8, 1000000000ull, err) == 0);

    uint64_t ts = 0;
    size_t pos = 0;
    pktd_packet p;
    while (pos < size) {
        uint8_t ctl = data[pos++];
        ts += (uint64_t)(ctl >> 4) * 100000000ull;
        const uint8_t *pk;
        size_t n;
        if (ctl & 1) {
            if (size - pos < 6)
                break;
            n = build(pkt_buf, data + pos);
            pk = pkt_buf;
            pos += 6;
        } else {
            if (pos >= size)
                break;
            n = data[pos++];
            if (n > size - pos)
                n = size - pos;
            pk = data + pos;
            pos += n;
        }
        (void)pktd_decode(&p, PKTD_LINKTYPE_RAW, pk, n);
        const uint8_t *out = NULL;
        size_t out_len = 0;
        int rc = pktd_defrag_add(d, &p, (ctl >> 1) & 1, ts, &out, &out_len);
        int ip = pktd_packet_has(&p, PKTD_LAYER_IPV4) || pktd_packet_has(&p, PKTD_LAYER_IPV6);
        FUZZ_CHECK(ip ? (rc == 0 || rc == 1) : rc == PKTD_E_INVALID_ARGUMENT);
        if (rc == 1) {
            FUZZ_CHECK(out != NULL && out_len >= 20 && out_len <= 40 + 65535);
            pktd_packet q;
            (void)pktd_decode(&q, PKTD_LINKTYPE_RAW, out, out_len);
            FUZZ_CHECK(pktd_packet_has(&q, PKTD_LAYER_IPV4) ||
                       pktd_packet_has(&q, PKTD_LAYER_IPV6));
            FUZZ_CHECK((pktd_packet_flags(&q) & PKTD_F_FRAGMENT) == 0);
        }
        check_stats(d, budget);
    }
    FUZZ_CHECK(pktd_defrag_expire(d, UINT64_MAX) >= 0);
    check_stats(d, budget);
    uint64_t s[PKTD_DEFRAG_STAT_COUNT];
    FUZZ_CHECK(pktd_defrag_stats(d, s, PKTD_DEFRAG_STAT_COUNT) == (int)PKTD_DEFRAG_STAT_COUNT);
    FUZZ_CHECK(s[PKTD_DEFRAG_STAT_HELD_FRAGMENTS] == 0 && s[PKTD_DEFRAG_STAT_BYTES_IN_USE] == 0);
    pktd_defrag_close(d);
    return 0;
}
