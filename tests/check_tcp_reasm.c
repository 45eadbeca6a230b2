/* TCP stream reassembly (tcp_reasm.h): in order, out of order,
 * retransmission, overlaps with different data, sequence wrap, SYN/FIN/RST,
 * mid-stream pickup, gaps, huge windows, a full budget and many
 * connections.  Every test checks, after every segment, that the
 * reassembler's own accounting never exceeds its budget, and every
 * delivered byte against the byte that was sent at that stream offset. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/packet.h>
#include <pktdecode/tcp.h>
#include <pktdecode/tcp_reasm.h>

#define MAXF 1200
#define CAP 24576

/* What the callback saw, per connection and direction. */
struct side {
    uint8_t *buf;     /* delivered bytes at their stream offsets */
    uint64_t next;    /* offset the next event must start at */
    uint64_t data, gap;
    uint32_t gaps, ends, end_reason;
};
static struct side sides[MAXF][2];
static size_t budget_now;
static int store = 1;     /* keep delivered bytes (offsets below CAP) */
static int check_pat = 0; /* every delivered byte must be pat() at its offset */
static uint8_t pat(uint32_t flow, uint32_t dir, uint64_t i);
static pktd_tcp_reasm *cur_r;

static void reset_sides(void)
{
    for (int i = 0; i < MAXF; i++)
        for (int d = 0; d < 2; d++) {
            free(sides[i][d].buf);
            memset(&sides[i][d], 0, sizeof(sides[i][d]));
        }
}

static void on_event(void *user, uint32_t event, uint32_t flow, uint32_t dir, uint64_t off,
                     const uint8_t *data, size_t len)
{
    (void)user;
    ck_assert_uint_lt(flow, MAXF);
    ck_assert_uint_le(dir, 1);
    struct side *s = &sides[flow][dir];
    ck_assert_uint_eq(s->ends, 0); /* nothing after END */
    if (event == PKTD_TCP_REASM_END) {
        ck_assert_uint_eq(off, s->next);
        ck_assert_ptr_null(data);
        s->ends++;
        s->end_reason = (uint32_t)len;
        /* the direction's counters are readable in the END callback */
        uint64_t fs[PKTD_TCP_REASM_FLOW_COUNT];
        ck_assert_int_eq(pktd_tcp_reasm_flow_stats(cur_r, flow, dir, fs, PKTD_TCP_REASM_FLOW_COUNT),
                         PKTD_TCP_REASM_FLOW_COUNT);
        ck_assert_uint_eq(fs[PKTD_TCP_REASM_FLOW_DELIVERED], s->data);
        ck_assert_uint_eq(fs[PKTD_TCP_REASM_FLOW_GAP_BYTES], s->gap);
        return;
    }
    ck_assert_uint_eq(off, s->next); /* in order, no hole, no repeat */
    ck_assert_uint_gt(len, 0);
    if (event == PKTD_TCP_REASM_GAP) {
        ck_assert_ptr_null(data);
        s->gap += len;
        s->gaps++;
    } else {
        ck_assert_uint_eq(event, PKTD_TCP_REASM_DATA);
        ck_assert_ptr_nonnull(data);
        if (check_pat) {
            /* one assertion per event, not per byte: Check records every
             * assertion it passes, which made this test take seconds */
            size_t bad = len;
            for (size_t i = 0; i < len && bad == len; i++)
                if (data[i] != pat(flow, dir, off + i))
                    bad = i;
            ck_assert_msg(bad == len, "flow %u dir %u: byte at offset %llu is 0x%02x, want 0x%02x",
                          flow, dir, (unsigned long long)(off + bad), bad < len ? data[bad] : 0,
                          bad < len ? pat(flow, dir, off + bad) : 0);
        }
        if (store) {
            ck_assert_uint_le(off + len, CAP);
            if (s->buf == NULL)
                s->buf = calloc(1, CAP);
            memcpy(s->buf + off, data, len);
        }
        s->data += len;
    }
    s->next = off + len;
}

static uint64_t stat(pktd_tcp_reasm *r, uint32_t i)
{
    uint64_t st[PKTD_TCP_REASM_STAT_COUNT + 2];
    st[PKTD_TCP_REASM_STAT_COUNT] = 77;
    ck_assert_int_eq(pktd_tcp_reasm_stats(r, st, PKTD_TCP_REASM_STAT_COUNT + 2),
                     PKTD_TCP_REASM_STAT_COUNT);
    ck_assert_uint_eq(st[PKTD_TCP_REASM_STAT_COUNT], 77); /* beyond the known: untouched */
    return st[i];
}

static uint64_t fstat(pktd_tcp_reasm *r, uint32_t flow, uint32_t dir, uint32_t i)
{
    uint64_t st[PKTD_TCP_REASM_FLOW_COUNT];
    ck_assert_int_eq(pktd_tcp_reasm_flow_stats(r, flow, dir, st, PKTD_TCP_REASM_FLOW_COUNT),
                     PKTD_TCP_REASM_FLOW_COUNT);
    return st[i];
}

/* The handle's accounting against its budget. */
static void check_budget(pktd_tcp_reasm *r)
{
    uint64_t used = stat(r, PKTD_TCP_REASM_STAT_MEM_USED);
    ck_assert_uint_le(used, budget_now);
    ck_assert_uint_le(stat(r, PKTD_TCP_REASM_STAT_MEM_PEAK), budget_now);
    ck_assert_uint_le(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), used);
}

static pktd_tcp_reasm *mk(uint32_t capacity, size_t budget)
{
    pktd_tcp_reasm *r = NULL;
    char err[PKTD_ERRBUF_SIZE];
    reset_sides();
    budget_now = budget;
    ck_assert_int_eq(pktd_tcp_reasm_create(&r, capacity, budget, on_event, NULL, err), 0);
    cur_r = r;
    return r;
}

/* The byte sent at stream offset i of (flow, dir). */
static uint8_t pat(uint32_t flow, uint32_t dir, uint64_t i)
{
    return (uint8_t)(i * 7 + flow * 13 + dir * 101 + (i >> 8));
}

/* Feed one IPv4/TCP segment: payload given, or the pattern from @p off. */
static void seg(pktd_tcp_reasm *r, uint32_t flow, uint32_t dir, uint32_t seq, uint8_t flags,
                const uint8_t *payload, size_t len)
{
    static uint8_t f[40 + 70000];
    ck_assert_uint_le(len, 65000);
    memset(f, 0, 40);
    f[0] = 0x45;
    f[2] = (uint8_t)((40 + len) >> 8);
    f[3] = (uint8_t)(40 + len);
    f[8] = 64;
    f[9] = 6;
    f[12] = 10, f[15] = 1, f[16] = 10, f[19] = 2;
    f[20] = 0x12, f[21] = 0x34, f[22] = 0, f[23] = 80;
    f[24] = (uint8_t)(seq >> 24), f[25] = (uint8_t)(seq >> 16), f[26] = (uint8_t)(seq >> 8);
    f[27] = (uint8_t)seq;
    f[32] = 0x50;
    f[33] = flags;
    f[34] = 0xff;
    if (len != 0)
        memcpy(f + 40, payload, len);
    pktd_packet p;
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_IPV4, f, 40 + len), 0);
    ck_assert_int_eq(pktd_tcp_reasm_add(r, flow, dir, &p, 0), 0);
    check_budget(r);
}

/* Send pattern bytes [off, off + len) of a direction whose ISN is isn. */
static void pseg(pktd_tcp_reasm *r, uint32_t flow, uint32_t dir, uint32_t isn, uint64_t off,
                 size_t len, uint8_t flags)
{
    static uint8_t b[65536];
    for (size_t i = 0; i < len; i++)
        b[i] = pat(flow, dir, off + i);
    seg(r, flow, dir, (uint32_t)(isn + 1 + off), flags | PKTD_TCP_ACK, b, len);
}

/* The delivered bytes equal the pattern over [0, n) (no gaps expected). */
static void expect_stream(uint32_t flow, uint32_t dir, uint64_t n)
{
    struct side *s = &sides[flow][dir];
    ck_assert_uint_eq(s->data, n);
    ck_assert_uint_eq(s->gap, 0);
    uint64_t bad = n;
    for (uint64_t i = 0; i < n && bad == n; i++)
        if (s->buf[i] != pat(flow, dir, i))
            bad = i;
    ck_assert_msg(bad == n, "flow %u dir %u: stream byte %llu differs from the pattern", flow, dir,
                  (unsigned long long)bad);
}

START_TEST(in_order)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    seg(r, 1, 0, 1000, PKTD_TCP_SYN, NULL, 0);
    seg(r, 1, 1, 5000, PKTD_TCP_SYN | PKTD_TCP_ACK, NULL, 0);
    pseg(r, 1, 0, 1000, 0, 100, 0);
    pseg(r, 1, 1, 5000, 0, 300, 0);
    pseg(r, 1, 0, 1000, 100, 50, PKTD_TCP_FIN);
    ck_assert_uint_eq(sides[1][0].ends, 1);
    ck_assert_uint_eq(sides[1][0].end_reason, PKTD_TCP_REASM_END_FIN);
    ck_assert_uint_eq(sides[1][1].ends, 0);
    pseg(r, 1, 1, 5000, 300, 0, PKTD_TCP_FIN);
    ck_assert_uint_eq(sides[1][1].ends, 1);
    expect_stream(1, 0, 150);
    expect_stream(1, 1, 300);
    ck_assert_uint_eq(fstat(r, 1, 0, PKTD_TCP_REASM_FLOW_MIDSTREAM), 0);
    ck_assert_uint_eq(fstat(r, 1, 0, PKTD_TCP_REASM_FLOW_SEGMENTS), 3);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_DELIVERED), 450);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_MEM_PEAK), 0); /* nothing held */
    /* after the FIN: late segments are ignored and counted */
    pseg(r, 1, 0, 1000, 150, 10, 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_LATE), 1);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 1, PKTD_TCP_REASM_END_FLUSHED), 0);
    ck_assert_uint_eq(sides[1][0].ends, 1); /* no second END */
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(out_of_order)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    seg(r, 0, 0, 7, PKTD_TCP_SYN, NULL, 0);
    static const uint32_t order[] = {3, 1, 4, 0, 2, 6, 5, 9, 8, 7};
    for (int i = 0; i < 10; i++) {
        pseg(r, 0, 0, 7, order[i] * 1000u, 1000, 0);
        if (i < 3)
            ck_assert_uint_eq(sides[0][0].data, 0); /* held until 0 arrives */
    }
    expect_stream(0, 0, 10000);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_MEM_USED), 0);
    ck_assert_uint_gt(stat(r, PKTD_TCP_REASM_STAT_MEM_PEAK), 3000);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 0);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 0, PKTD_TCP_REASM_END_FLUSHED), 0);
    ck_assert_uint_eq(sides[0][0].end_reason, PKTD_TCP_REASM_END_FLUSHED);
    ck_assert_uint_eq(sides[0][1].ends, 0); /* the silent direction never ends */
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(retransmission)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    seg(r, 2, 1, 100, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 2, 1, 100, 0, 500, 0);
    pseg(r, 2, 1, 100, 0, 500, 0);   /* whole retransmission */
    pseg(r, 2, 1, 100, 400, 300, 0); /* partly new */
    pseg(r, 2, 1, 100, 900, 100, 0); /* held */
    pseg(r, 2, 1, 100, 900, 100, 0); /* held twice: same data */
    pseg(r, 2, 1, 100, 700, 200, 0);
    expect_stream(2, 1, 1000);
    ck_assert_uint_eq(fstat(r, 2, 1, PKTD_TCP_REASM_FLOW_OVERLAP_BYTES), 500 + 100 + 100);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_DIFFS), 0);
    pktd_tcp_reasm_close(r);
}
END_TEST

/* First seen wins; a differing overlap with held data is counted. */
START_TEST(overlap_different_data)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    uint8_t a[10], b[30];
    memset(a, 'A', sizeof(a));
    memset(b, 'B', sizeof(b));
    seg(r, 0, 0, 0, PKTD_TCP_SYN, NULL, 0);
    seg(r, 0, 0, 1 + 20, 0, a, 10);   /* held: [20, 30) 'A' */
    seg(r, 0, 0, 1 + 10, 0, b, 30);   /* held: [10, 20) and [30, 40) 'B'; [20, 30) differs */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_DIFFS), 1);
    seg(r, 0, 0, 1 + 20, 0, a, 10);   /* same again: overlap, no difference */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_DIFFS), 1);
    seg(r, 0, 0, 1 + 0, 0, b, 25);    /* in order; [20, 25) overlaps held 'A' and differs */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_DIFFS), 2);
    struct side *s = &sides[0][0];
    ck_assert_uint_eq(s->data, 40);
    for (int i = 0; i < 40; i++)
        ck_assert_uint_eq(s->buf[i], i >= 20 && i < 30 ? 'A' : 'B');
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 10 + 10 + 15);
    /* a delivered byte retransmitted with different data: dropped (not kept to compare) */
    seg(r, 0, 0, 1 + 0, 0, a, 10);
    ck_assert_uint_eq(s->data, 40);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 45);
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(sequence_wrap)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    uint32_t isn = 0xfffffe00u; /* data crosses 2^32 after 511 bytes */
    seg(r, 3, 0, isn, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 3, 0, isn, 0, 400, 0);
    pseg(r, 3, 0, isn, 800, 400, 0); /* past the wrap, held */
    pseg(r, 3, 0, isn, 400, 400, 0); /* across it */
    pseg(r, 3, 0, isn, 1200, 100, PKTD_TCP_FIN);
    expect_stream(3, 0, 1300);
    ck_assert_uint_eq(sides[3][0].end_reason, PKTD_TCP_REASM_END_FIN);
    pktd_tcp_reasm_close(r);

    /* a long stream: offsets keep growing past 2^32 across several wraps.
     * Jumps of 2^30 (each within the 2^31 window) with budget 0, so each
     * jump is a gap at once and no gigabytes need to be sent. */
    r = mk(1, 0);
    store = 0; /* offsets beyond the test's buffer: count only */
    seg(r, 0, 0, 5, PKTD_TCP_SYN, NULL, 0);
    uint8_t b[10];
    memset(b, 'x', sizeof(b));
    uint64_t off = 0;
    for (int i = 0; i < 12; i++) { /* 12 GiB */
        seg(r, 0, 0, (uint32_t)(6 + off), PKTD_TCP_ACK, b, sizeof(b));
        ck_assert_uint_eq(sides[0][0].next, off + sizeof(b));
        off += 1ull << 30;
    }
    seg(r, 0, 0, (uint32_t)(6 + off - (1ull << 30) + 10), PKTD_TCP_ACK, b, sizeof(b)); /* in order */
    store = 1;
    uint64_t total = off - (1ull << 30) + 20;
    ck_assert_uint_eq(sides[0][0].next, total);
    ck_assert_uint_gt(total, 2ull << 32); /* past 2^32 twice */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_DELIVERED), 13 * sizeof(b));
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_GAP_BYTES), total - 13 * sizeof(b));
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 0);
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(syn_fin_rst)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    /* FIN arrives before the data in front of it: END waits for it */
    seg(r, 0, 0, 50, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 0, 0, 50, 100, 20, PKTD_TCP_FIN);
    ck_assert_uint_eq(sides[0][0].ends, 0);
    pseg(r, 0, 0, 50, 0, 100, 0);
    ck_assert_uint_eq(sides[0][0].ends, 1);
    ck_assert_uint_eq(sides[0][0].end_reason, PKTD_TCP_REASM_END_FIN);
    expect_stream(0, 0, 120);

    /* data on the SYN (TCP Fast Open) starts at offset 0 */
    uint8_t d[5] = {1, 2, 3, 4, 5};
    seg(r, 1, 0, 900, PKTD_TCP_SYN, d, 5);
    ck_assert_uint_eq(sides[1][0].data, 5);
    ck_assert_mem_eq(sides[1][0].buf, d, 5);
    /* a retransmitted SYN adds nothing */
    seg(r, 1, 0, 900, PKTD_TCP_SYN, d, 5);
    ck_assert_uint_eq(sides[1][0].data, 5);

    /* RST ends both directions; held data is delivered after a gap first */
    seg(r, 2, 0, 10, PKTD_TCP_SYN, NULL, 0);
    seg(r, 2, 1, 20, PKTD_TCP_SYN | PKTD_TCP_ACK, NULL, 0);
    pseg(r, 2, 0, 10, 50, 50, 0); /* held behind a 50-byte hole */
    pseg(r, 2, 1, 20, 0, 0, PKTD_TCP_RST);
    ck_assert_uint_eq(sides[2][0].ends, 1);
    ck_assert_uint_eq(sides[2][1].ends, 1);
    ck_assert_uint_eq(sides[2][0].end_reason, PKTD_TCP_REASM_END_RST);
    ck_assert_uint_eq(sides[2][1].end_reason, PKTD_TCP_REASM_END_RST);
    ck_assert_uint_eq(sides[2][0].gap, 50);
    ck_assert_uint_eq(sides[2][0].data, 50);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), 0);
    pseg(r, 2, 0, 10, 0, 50, 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_LATE), 1);
    /* the id is reused after a flush: a new connection */
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 2, PKTD_TCP_REASM_END_EVICTED), 0);
    free(sides[2][0].buf); /* the record of the old connection, then a clean one */
    free(sides[2][1].buf);
    memset(&sides[2], 0, sizeof(sides[2]));
    seg(r, 2, 0, 77, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 2, 0, 77, 0, 10, 0);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 2, PKTD_TCP_REASM_END_EVICTED), 0);
    ck_assert_uint_eq(sides[2][0].end_reason, PKTD_TCP_REASM_END_EVICTED);
    expect_stream(2, 0, 10);
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(midstream)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    /* no SYN: the first segment seen is offset 0 */
    uint32_t isn = 123456;
    pseg(r, 0, 1, isn, 1000, 100, 0);
    pseg(r, 0, 1, isn, 1100, 100, 0);
    ck_assert_uint_eq(fstat(r, 0, 1, PKTD_TCP_REASM_FLOW_MIDSTREAM), 1);
    ck_assert_uint_eq(sides[0][1].data, 200);
    ck_assert_uint_eq(sides[0][1].buf[0], pat(0, 1, 1000));
    ck_assert_uint_eq(sides[0][1].buf[199], pat(0, 1, 1199));
    /* data from before the first segment is dropped and counted */
    pseg(r, 0, 1, isn, 900, 150, 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OLD_BYTES), 100);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 50);
    ck_assert_uint_eq(sides[0][1].data, 200);
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(gaps)
{
    pktd_tcp_reasm *r = mk(4, 1 << 16);
    seg(r, 0, 0, 0, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 0, 0, 0, 0, 100, 0);
    pseg(r, 0, 0, 0, 300, 100, 0);  /* hole [100, 300) */
    pseg(r, 0, 0, 0, 500, 100, PKTD_TCP_FIN); /* hole [400, 500) */
    ck_assert_uint_eq(sides[0][0].data, 100);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 0, PKTD_TCP_REASM_END_FLUSHED), 0);
    struct side *s = &sides[0][0];
    ck_assert_uint_eq(s->gaps, 2);
    ck_assert_uint_eq(s->gap, 300);
    ck_assert_uint_eq(s->data, 300);
    ck_assert_uint_eq(s->end_reason, PKTD_TCP_REASM_END_FIN);
    ck_assert_uint_eq(s->next, 600);
    for (int i = 300; i < 400; i++)
        ck_assert_uint_eq(s->buf[i], pat(0, 0, (uint64_t)i));
    /* a FIN beyond data never seen: a gap up to it */
    seg(r, 1, 0, 0, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 1, 0, 0, 40, 0, PKTD_TCP_FIN);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 1, PKTD_TCP_REASM_END_FLUSHED), 0);
    ck_assert_uint_eq(sides[1][0].gap, 40);
    ck_assert_uint_eq(sides[1][0].end_reason, PKTD_TCP_REASM_END_FIN);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_GAP_BYTES), 340);
    /* bytes the capture cut off (snap length) are a gap */
    seg(r, 2, 0, 0, PKTD_TCP_SYN, NULL, 0);
    static uint8_t f[40 + 100];
    memset(f, 0, sizeof(f));
    f[0] = 0x45, f[2] = 0, f[3] = 140, f[9] = 6, f[24 + 3] = 1, f[32] = 0x50, f[33] = 0x10;
    pktd_packet p;
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_IPV4, f, 40 + 60), 0); /* 40 of 100 cut */
    ck_assert_int_eq(pktd_tcp_reasm_add(r, 2, 0, &p, 0), 0);
    pseg(r, 2, 0, 0, 100, 10, PKTD_TCP_FIN);
    ck_assert_uint_eq(sides[2][0].data, 60);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 2, PKTD_TCP_REASM_END_FLUSHED), 0);
    ck_assert_uint_eq(sides[2][0].gap, 40);
    ck_assert_uint_eq(sides[2][0].data, 70);
    pktd_tcp_reasm_close(r);
}
END_TEST

/* Segments up to 2^31 ahead are held; further is "before": dropped. */
START_TEST(huge_window)
{
    pktd_tcp_reasm *r = mk(2, 1 << 16);
    seg(r, 0, 0, 0, PKTD_TCP_SYN, NULL, 0);
    uint8_t d[8] = "abcdefgh";
    seg(r, 0, 0, 1 + 0x7fff0000u, 0, d, 8); /* 2 GB ahead: held */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), 8);
    seg(r, 0, 0, 1 + 0x90000000u, 0, d, 8); /* more than 2^31 ahead: behind, dropped */
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OLD_BYTES), 8);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), 8);
    store = 0;
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 0, PKTD_TCP_REASM_END_FLUSHED), 0);
    store = 1;
    ck_assert_uint_eq(sides[0][0].gap, 0x7fff0000u);
    ck_assert_uint_eq(sides[0][0].data, 8);
    pktd_tcp_reasm_close(r);
}
END_TEST

/* Feed nflows connections, each of len bytes in segments of segsz, in a
 * shuffled order with duplicates; check every delivered byte. */
static void shuffled(pktd_tcp_reasm *r, uint32_t nflows, uint64_t len, uint32_t segsz,
                     unsigned seed)
{
    uint32_t nseg = (uint32_t)((len + segsz - 1) / segsz);
    size_t n = (size_t)nflows * 2 * nseg * 2;
    uint32_t *items = malloc(n * sizeof(*items));
    ck_assert_ptr_nonnull(items);
    size_t k = 0;
    for (uint32_t f = 0; f < nflows; f++)
        for (uint32_t d = 0; d < 2; d++)
            for (uint32_t i = 0; i < nseg; i++) {
                items[k++] = (f * 2 + d) * nseg + i;
                items[k++] = (f * 2 + d) * nseg + i; /* a duplicate */
            }
    srand(seed);
    for (size_t i = n - 1; i > 0; i--) {
        size_t j = (size_t)rand() % (i + 1);
        uint32_t t = items[i];
        items[i] = items[j];
        items[j] = t;
    }
    check_pat = 1; /* the callback checks every delivered byte */
    for (uint32_t f = 0; f < nflows; f++) {
        seg(r, f, 0, f * 1000u, PKTD_TCP_SYN, NULL, 0);
        seg(r, f, 1, 0xffffff00u - f, PKTD_TCP_SYN | PKTD_TCP_ACK, NULL, 0);
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t hid = items[i] / nseg, s = items[i] % nseg;
        uint32_t f = hid / 2, d = hid % 2;
        uint64_t off = (uint64_t)s * segsz;
        size_t l = off + segsz > len ? (size_t)(len - off) : segsz;
        pseg(r, f, d, d ? 0xffffff00u - f : f * 1000u, off, l, 0);
    }
    for (uint32_t f = 0; f < nflows; f++)
        ck_assert_int_eq(pktd_tcp_reasm_flush(r, f, PKTD_TCP_REASM_END_FLUSHED), 0);
    for (uint32_t f = 0; f < nflows; f++)
        for (uint32_t d = 0; d < 2; d++) {
            struct side *s = &sides[f][d];
            ck_assert_uint_eq(s->ends, 1);
            ck_assert_uint_eq(s->data + s->gap, len); /* every byte delivered or a gap */
        }
    check_pat = 0;
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_HELD_BYTES), 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_MEM_USED), 0);
    free(items);
}

START_TEST(budget_exhaustion)
{
    /* a budget of 6 chunks for 20 connections of shuffled data */
    size_t budget = 6 * (PKTD_TCP_REASM_CHUNK + 64);
    pktd_tcp_reasm *r = mk(20, budget);
    shuffled(r, 20, 20000, 700, 1);
    ck_assert_uint_gt(stat(r, PKTD_TCP_REASM_STAT_BUDGET_SKIPS), 0);
    ck_assert_uint_gt(stat(r, PKTD_TCP_REASM_STAT_GAP_BYTES), 0);
    ck_assert_uint_le(stat(r, PKTD_TCP_REASM_STAT_MEM_PEAK), budget);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_DELIVERED) +
                          stat(r, PKTD_TCP_REASM_STAT_GAP_BYTES),
                      20 * 2 * 20000ull);
    pktd_tcp_reasm_close(r);
    /* budget 0: nothing is held, every hole is skipped at once */
    r = mk(3, 0);
    shuffled(r, 3, 5000, 100, 2);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_MEM_PEAK), 0);
    pktd_tcp_reasm_close(r);
    /* a segment larger than the whole budget */
    r = mk(1, 2 * (PKTD_TCP_REASM_CHUNK + 64));
    seg(r, 0, 0, 0, PKTD_TCP_SYN, NULL, 0);
    pseg(r, 0, 0, 0, 5000, 3000, 0);
    ck_assert_uint_eq(sides[0][0].gap, 5000);
    ck_assert_uint_eq(sides[0][0].data, 3000);
    pktd_tcp_reasm_close(r);
}
END_TEST

START_TEST(many_connections)
{
    /* enough budget: every byte of 1000 connections arrives, no gap */
    pktd_tcp_reasm *r = mk(MAXF, 64u << 20);
    shuffled(r, 1000, 3000, 400, 3);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_GAP_BYTES), 0);
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_BUDGET_SKIPS), 0);
    for (uint32_t f = 0; f < 1000; f++) {
        expect_stream(f, 0, 3000);
        expect_stream(f, 1, 3000);
    }
    ck_assert_uint_eq(stat(r, PKTD_TCP_REASM_STAT_OVERLAP_BYTES), 1000 * 2 * 3000ull);
    pktd_tcp_reasm_close(r);
}
END_TEST

/* Re-entry from the callback (review finding, session 4): add and flush
 * are refused with PKTD_E_BAD_STATE (a flush used to free chunks the
 * running call still held), and a close is carried out when the call that
 * ran the callback returns, which then says PKTD_E_BAD_STATE. */
static pktd_tcp_reasm *reentry_r;
static int reentry_close, reentry_calls, reentry_flush_rc, reentry_add_rc;
static pktd_packet reentry_pkt;

static void reenter(void *user, uint32_t event, uint32_t flow, uint32_t dir, uint64_t off,
                    const uint8_t *data, size_t len)
{
    (void)user, (void)event, (void)dir, (void)off, (void)data, (void)len;
    reentry_calls++;
    if (reentry_close) {
        pktd_tcp_reasm_close(reentry_r);
        return;
    }
    reentry_flush_rc = pktd_tcp_reasm_flush(reentry_r, flow, PKTD_TCP_REASM_END_FLUSHED);
    reentry_add_rc = pktd_tcp_reasm_add(reentry_r, flow, 0, &reentry_pkt, 0);
}

START_TEST(reentry)
{
    static uint8_t f[40 + 4];
    f[0] = 0x45, f[3] = 44, f[8] = 64, f[9] = 6;
    f[12] = 10, f[15] = 1, f[16] = 10, f[19] = 2;
    f[20] = 0x12, f[21] = 0x34, f[23] = 80, f[32] = 0x50, f[33] = PKTD_TCP_ACK, f[34] = 0xff;
    memcpy(f + 40, "data", 4);
    ck_assert_int_eq(pktd_decode(&reentry_pkt, PKTD_LINKTYPE_IPV4, f, sizeof f), 0);
    char err[PKTD_ERRBUF_SIZE];

    reentry_close = 0;
    reentry_calls = 0;
    ck_assert_int_eq(pktd_tcp_reasm_create(&reentry_r, 2, 4096, reenter, NULL, err), 0);
    ck_assert_int_eq(pktd_tcp_reasm_add(reentry_r, 0, 0, &reentry_pkt, 0), 0);
    ck_assert_int_eq(reentry_calls, 1); /* the data, and nothing from the refused calls */
    ck_assert_int_eq(reentry_flush_rc, PKTD_E_BAD_STATE);
    ck_assert_int_eq(reentry_add_rc, PKTD_E_BAD_STATE);
    ck_assert_str_eq(pktd_tcp_reasm_errmsg(reentry_r),
                     "pktd_tcp_reasm_add: called from the callback");
    pktd_tcp_reasm_close(reentry_r);

    reentry_close = 1;
    reentry_calls = 0;
    ck_assert_int_eq(pktd_tcp_reasm_create(&reentry_r, 2, 4096, reenter, NULL, err), 0);
    ck_assert_int_eq(pktd_tcp_reasm_add(reentry_r, 0, 0, &reentry_pkt, 0), PKTD_E_BAD_STATE);
    ck_assert_int_eq(reentry_calls, 1); /* freed on the way out (valgrind/ASan: no leak, no use) */
}
END_TEST

START_TEST(arguments)
{
    pktd_tcp_reasm *r = NULL;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_tcp_reasm_create(&r, 0, 100, on_event, NULL, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "capacity 0"));
    ck_assert_ptr_null(r);
    ck_assert_int_eq(pktd_tcp_reasm_create(&r, 1, 100, NULL, NULL, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "callback"));
    ck_assert_int_eq(pktd_tcp_reasm_create(NULL, 1, 100, on_event, NULL, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    r = mk(2, 4096);
    ck_assert_str_eq(pktd_tcp_reasm_errmsg(r), "");
    uint8_t udp[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17};
    udp[25] = 8;
    pktd_packet p;
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_IPV4, udp, sizeof(udp)), 0);
    ck_assert_int_eq(pktd_tcp_reasm_add(r, 0, 0, &p, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_tcp_reasm_errmsg(r), "no decoded TCP"));
    ck_assert_int_eq(pktd_tcp_reasm_add(r, 2, 0, &p, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_tcp_reasm_errmsg(r), "flow id 2"));
    ck_assert_int_eq(pktd_tcp_reasm_add(r, 0, 2, &p, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_add(r, 0, 0, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_add(NULL, 0, 0, &p, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 5, PKTD_TCP_REASM_END_FLUSHED),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 0, PKTD_TCP_REASM_END_FIN), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_flush(r, 1, PKTD_TCP_REASM_END_FLUSHED), 0); /* unused id */
    ck_assert_int_eq(pktd_tcp_reasm_flow_stats(r, 2, 0, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_reasm_stats(NULL, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(pktd_tcp_reasm_errmsg(NULL), "");
    pktd_tcp_reasm_close(r);
    pktd_tcp_reasm_close(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tcp_reasm");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, in_order);
    tcase_add_test(tc, out_of_order);
    tcase_add_test(tc, retransmission);
    tcase_add_test(tc, overlap_different_data);
    tcase_add_test(tc, sequence_wrap);
    tcase_add_test(tc, syn_fin_rst);
    tcase_add_test(tc, midstream);
    tcase_add_test(tc, gaps);
    tcase_add_test(tc, huge_window);
    tcase_add_test(tc, budget_exhaustion);
    tcase_add_test(tc, many_connections);
    tcase_add_test(tc, reentry);
    tcase_add_test(tc, arguments);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    reset_sides();
    return failed == 0 ? 0 : 1;
}
