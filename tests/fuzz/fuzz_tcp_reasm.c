/* Fuzz target: TCP stream reassembly (tcp_reasm.h).  The input is a list of
 * operations on a reassembler of 4 connections and a budget of 3 chunks:
 *   byte 0     op: bits 0-1 connection, bit 2 direction, bit 7 flush instead
 *   byte 1     TCP flags
 *   bytes 2-3  sequence number, low 16 bits (the high bits are fixed per
 *              direction, near 2^32, so wrap-around is reached); bit 15 of
 *              byte 2-3 with flag URG set: jump by 2^31 - 1
 *   byte 4     payload length (0 ... 255), then that many payload bytes.
 * Invariants: each direction's events start where the previous one ended,
 * DATA carries bytes and GAP none, nothing follows END, the arena never
 * holds more than the budget, and after the final flush nothing is held and
 * every byte delivered or declared a gap is accounted in the statistics. */
#include "config.h"

#include <string.h>

#include "fuzz.h"

#define NCONN 4
#define BUDGET (3 * (PKTD_TCP_REASM_CHUNK + 64))

struct state {
    uint64_t next[NCONN][2];
    int ended[NCONN][2];
    uint64_t data, gap;
};

static void on_event(void *user, uint32_t event, uint32_t flow, uint32_t dir, uint64_t off,
                     const uint8_t *data, size_t len)
{
    struct state *s = user;
    FUZZ_CHECK(flow < NCONN && dir < 2);
    FUZZ_CHECK(!s->ended[flow][dir]);
    FUZZ_CHECK(off == s->next[flow][dir]);
    if (event == PKTD_TCP_REASM_END) {
        FUZZ_CHECK(data == NULL && len <= PKTD_TCP_REASM_END_EVICTED);
        s->ended[flow][dir] = 1;
        return;
    }
    FUZZ_CHECK(len > 0);
    if (event == PKTD_TCP_REASM_DATA) {
        FUZZ_CHECK(data != NULL);
        volatile uint8_t sink = data[0] ^ data[len - 1];
        (void)sink;
        s->data += len;
    } else {
        FUZZ_CHECK(event == PKTD_TCP_REASM_GAP && data == NULL);
        s->gap += len;
    }
    s->next[flow][dir] = off + len;
}

static void check_budget(const pktd_tcp_reasm *r)
{
    uint64_t st[PKTD_TCP_REASM_STAT_COUNT];
    FUZZ_CHECK(pktd_tcp_reasm_stats(r, st, PKTD_TCP_REASM_STAT_COUNT) ==
               PKTD_TCP_REASM_STAT_COUNT);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_MEM_USED] <= BUDGET);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_MEM_PEAK] <= BUDGET);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_HELD_BYTES] <= st[PKTD_TCP_REASM_STAT_MEM_USED]);
}

static void flushed(struct state *s, uint32_t c)
{
    for (int d = 0; d < 2; d++) {
        s->next[c][d] = 0;
        s->ended[c][d] = 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct state s;
    memset(&s, 0, sizeof(s));
    pktd_tcp_reasm *r;
    if (pktd_tcp_reasm_create(&r, NCONN, BUDGET, on_event, &s, NULL) != 0)
        return 0;
    uint8_t frame[40 + 255];
    size_t i = 0;
    while (i + 5 <= size) {
        uint8_t op = data[i], flags = data[i + 1];
        uint32_t c = op & 3u, dir = (op >> 2) & 1u;
        uint32_t lo = (uint32_t)data[i + 2] << 8 | data[i + 3];
        size_t len = data[i + 4];
        i += 5;
        if (op & 0x80u) {
            uint32_t why = (op & 0x40u) ? PKTD_TCP_REASM_END_EVICTED : PKTD_TCP_REASM_END_FLUSHED;
            FUZZ_CHECK(pktd_tcp_reasm_flush(r, c, why) == 0);
            flushed(&s, c);
            continue;
        }
        if (len > size - i)
            len = size - i;
        uint32_t seq = (0xffff0000u + dir * 0x8000u) + lo;
        if ((flags & 0x20u) && (lo & 0x8000u))
            seq += 0x7fffffffu;
        memset(frame, 0, 40);
        frame[0] = 0x45;
        frame[2] = (uint8_t)((40 + len) >> 8);
        frame[3] = (uint8_t)(40 + len);
        frame[8] = 64;
        frame[9] = 6;
        frame[24] = (uint8_t)(seq >> 24);
        frame[25] = (uint8_t)(seq >> 16);
        frame[26] = (uint8_t)(seq >> 8);
        frame[27] = (uint8_t)seq;
        frame[32] = 0x50;
        frame[33] = flags;
        memcpy(frame + 40, data + i, len);
        i += len;
        pktd_packet p;
        FUZZ_CHECK(pktd_decode(&p, PKTD_LINKTYPE_IPV4, frame, 40 + len) == 0);
        FUZZ_CHECK(pktd_tcp_reasm_add(r, c, dir, &p, 0) == 0);
        check_budget(r);
    }
    for (uint32_t c = 0; c < NCONN; c++) {
        FUZZ_CHECK(pktd_tcp_reasm_flush(r, c, PKTD_TCP_REASM_END_FLUSHED) == 0);
        flushed(&s, c);
    }
    uint64_t st[PKTD_TCP_REASM_STAT_COUNT];
    FUZZ_CHECK(pktd_tcp_reasm_stats(r, st, PKTD_TCP_REASM_STAT_COUNT) ==
               PKTD_TCP_REASM_STAT_COUNT);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_HELD_BYTES] == 0);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_MEM_USED] == 0);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_DELIVERED] == s.data);
    FUZZ_CHECK(st[PKTD_TCP_REASM_STAT_GAP_BYTES] == s.gap);
    pktd_tcp_reasm_close(r);
    return 0;
}
