/* IP defragmentation (defrag.h): reassembly in every order, the policies
 * (duplicates, overlaps, tiny, too big, teardrop, expiry, eviction,
 * capacity), IPv6 extension headers and atomic fragments, the handle's own
 * accounting, and the tcpdump corpus against tshark's reassembly
 * (tests/data/defrag_tshark.tsv, written by tests/parse/defrag_tshark_gen.sh).
 *
 * Every test checks the accounting invariant of defrag.h after each call:
 * FRAGMENTS = REASSEMBLED + HELD_FRAGMENTS + the drops, and the bytes in use
 * never pass the pool, nor the allocation the budget. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "parse_check.h"
#include "parse_frames.h"

#define US 1000ull
#define SEC 1000000000ull

static uint8_t orig[70000];
static size_t orig_len;
static size_t orig_hl;     /* IPv4: header length; IPv6: the unfragmentable part */
static uint8_t orig_nh;    /* IPv6: next header after the unfragmentable part */
static size_t orig_nh_pos; /* IPv6: the byte that holds it */
static uint64_t budget_given;

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void ipv4_csum(uint8_t *h, size_t hl)
{
    uint32_t sum = 0;
    h[10] = h[11] = 0;
    for (size_t i = 0; i < hl; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(h + 10, ~sum & 0xffff);
}

/* An IPv4 datagram: header (hl bytes, options NOPs), transport header and a
 * byte pattern. */
static void make_v4(size_t hl, uint8_t proto, uint16_t id, size_t payload)
{
    memset(orig, 0, sizeof orig);
    orig[0] = (uint8_t)(0x40 | hl / 4);
    put16(orig + 2, (uint32_t)(hl + payload));
    put16(orig + 4, id);
    orig[8] = 64;
    orig[9] = proto;
    memcpy(orig + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    for (size_t i = 20; i < hl; i++)
        orig[i] = 1; /* NOP */
    for (size_t i = 0; i < payload; i++)
        orig[hl + i] = (uint8_t)(i * 7 + 3);
    if (proto == 17) {
        put16(orig + hl, 1000);
        put16(orig + hl + 2, 2000);
        put16(orig + hl + 4, (uint32_t)payload);
        put16(orig + hl + 6, 0); /* no checksum */
    }
    ipv4_csum(orig, hl);
    orig_len = hl + payload;
    orig_hl = hl;
}

static size_t frag_v4(uint8_t *out, size_t off, size_t len, int mf)
{
    memcpy(out, orig, orig_hl);
    put16(out + 2, (uint32_t)(orig_hl + len));
    put16(out + 6, (uint32_t)((mf ? 0x2000 : 0) | off / 8));
    memcpy(out + orig_hl, orig + orig_hl + off, len);
    ipv4_csum(out, orig_hl);
    return orig_hl + len;
}

/* An IPv6 datagram: fixed header, with @p ext a hop-by-hop and a destination
 * options header (unfragmentable) before the fragment header, then a
 * destination options header and UDP (fragmentable). */
static void make_v6(int ext, size_t udp_payload)
{
    memset(orig, 0, sizeof orig);
    orig[0] = 0x60;
    orig[7] = 64;
    orig[8] = 0x20, orig[9] = 0x01, orig[23] = 1;
    orig[24] = 0x20, orig[25] = 0x01, orig[39] = 2;
    size_t pos = 40;
    orig_nh_pos = 6;
    if (ext) {
        orig[6] = 0;         /* hop-by-hop */
        orig[pos] = 60;      /* then destination options */
        orig[pos + 2] = 1;   /* PadN of 4 */
        orig[pos + 3] = 4;
        pos += 8;
        orig_nh_pos = pos;
        orig[pos] = 60;      /* fragmentable: destination options */
        orig[pos + 2] = 1;
        orig[pos + 3] = 4;
        pos += 8;
        orig_hl = pos;
        orig_nh = 60;
        orig[pos] = 17;
        orig[pos + 2] = 1;
        orig[pos + 3] = 4;
        pos += 8;
    } else {
        orig[6] = 17;
        orig_hl = 40;
        orig_nh = 17;
    }
    size_t udp = pos;
    put16(orig + udp, 1000);
    put16(orig + udp + 2, 2000);
    put16(orig + udp + 4, (uint32_t)(8 + udp_payload));
    put16(orig + udp + 6, 0x1234);
    for (size_t i = 0; i < udp_payload; i++)
        orig[udp + 8 + i] = (uint8_t)(i * 5 + 1);
    orig_len = udp + 8 + udp_payload;
    put16(orig + 4, (uint32_t)(orig_len - 40));
}

static size_t frag_v6(uint8_t *out, size_t off, size_t len, int m, uint32_t id)
{
    memcpy(out, orig, orig_hl);
    out[orig_nh_pos] = 44;
    uint8_t *f = out + orig_hl;
    f[0] = orig_nh;
    f[1] = 0;
    put16(f + 2, (uint32_t)(off | (m ? 1 : 0)));
    f[4] = (uint8_t)(id >> 24), f[5] = (uint8_t)(id >> 16), f[6] = (uint8_t)(id >> 8),
    f[7] = (uint8_t)id;
    memcpy(f + 8, orig + orig_hl + off, len);
    put16(out + 4, (uint32_t)(orig_hl - 40 + 8 + len));
    return orig_hl + 8 + len;
}

static void check_invariant(const pktd_defrag *d)
{
    uint64_t s[PKTD_DEFRAG_STAT_COUNT];
    ck_assert_int_eq(pktd_defrag_stats(d, s, PKTD_DEFRAG_STAT_COUNT), PKTD_DEFRAG_STAT_COUNT);
    uint64_t sum = s[PKTD_DEFRAG_STAT_REASSEMBLED] + s[PKTD_DEFRAG_STAT_HELD_FRAGMENTS];
    for (unsigned i = PKTD_DEFRAG_STAT_DROP_DUPLICATE; i <= PKTD_DEFRAG_STAT_DROP_EVICTED; i++)
        sum += s[i];
    ck_assert_uint_eq(s[PKTD_DEFRAG_STAT_FRAGMENTS], sum);
    ck_assert_uint_le(s[PKTD_DEFRAG_STAT_BYTES_IN_USE], s[PKTD_DEFRAG_STAT_BYTES_POOL]);
    ck_assert_uint_le(s[PKTD_DEFRAG_STAT_BYTES_HIGH], s[PKTD_DEFRAG_STAT_BYTES_POOL]);
    ck_assert_uint_le(s[PKTD_DEFRAG_STAT_BYTES_ALLOCATED], budget_given);
    if (s[PKTD_DEFRAG_STAT_HELD_DATAGRAMS] == 0)
        ck_assert_uint_eq(s[PKTD_DEFRAG_STAT_BYTES_IN_USE], 0);
}

static uint64_t stat(const pktd_defrag *d, unsigned i)
{
    uint64_t s[PKTD_DEFRAG_STAT_COUNT];
    ck_assert_int_eq(pktd_defrag_stats(d, s, PKTD_DEFRAG_STAT_COUNT), PKTD_DEFRAG_STAT_COUNT);
    return s[i];
}

static pktd_defrag *create(size_t budget, uint32_t dgrams, uint32_t frags, uint64_t timeout)
{
    pktd_defrag *d = NULL;
    char err[PKTD_ERRBUF_SIZE] = "";
    int rc = pktd_defrag_create(&d, budget, dgrams, frags, timeout, err);
    ck_assert_msg(rc == 0, "%s", err);
    budget_given = budget != 0 ? budget : PKTD_DEFRAG_DEFAULT_BUDGET;
    return d;
}

static pktd_packet pkt;
static const uint8_t *out_data;
static size_t out_len;

/* Decode @p buf as raw IP and give it to @p d; returns what add returned. */
static int feed(pktd_defrag *d, const uint8_t *buf, size_t len, uint64_t zone, uint64_t ts)
{
    (void)pktd_decode(&pkt, PKTD_LINKTYPE_RAW, buf, len);
    out_data = NULL;
    out_len = 0;
    int rc = pktd_defrag_add(d, &pkt, zone, ts, &out_data, &out_len);
    check_invariant(d);
    return rc;
}

/* The output equals the original datagram and decodes to UDP. */
static void assert_orig(void)
{
    ck_assert_ptr_nonnull(out_data);
    ck_assert_uint_eq(out_len, orig_len);
    ck_assert_int_eq(memcmp(out_data, orig, orig_len), 0);
    pktd_packet q;
    ck_assert_int_eq(pktd_decode(&q, PKTD_LINKTYPE_RAW, out_data, out_len), 0);
    ck_assert_int_eq(pktd_packet_flags(&q) & PKTD_F_FRAGMENT, 0);
    if (pktd_packet_has(&q, PKTD_LAYER_IPV4))
        ck_assert_int_eq(pktd_ipv4_checksum_ok(&q), 1);
}

/* Fragments of orig in pieces of @p size (multiple of 8), in @p order. */
static int feed_order(pktd_defrag *d, int v6, size_t size, const unsigned *order, unsigned n,
                      uint64_t zone, uint32_t id)
{
    static uint8_t buf[70000];
    size_t data = orig_len - orig_hl;
    int got = 0;
    for (unsigned k = 0; k < n; k++) {
        size_t off = order[k] * size;
        size_t len = off + size < data ? size : data - off;
        int mf = off + len < data;
        size_t bl = v6 ? frag_v6(buf, off, len, mf, id) : frag_v4(buf, off, len, mf);
        int rc = feed(d, buf, bl, zone, k * US);
        ck_assert_int_ge(rc, 0);
        if (rc == 1) {
            ck_assert_uint_eq(k, n - 1);
            got++;
        }
    }
    return got;
}

static unsigned nfrags_of(size_t size)
{
    return (unsigned)((orig_len - orig_hl + size - 1) / size);
}

START_TEST(test_in_order_and_reverse)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    unsigned order[64];
    for (int v6 = 0; v6 <= 1; v6++) {
        if (v6)
            make_v6(0, 3000);
        else
            make_v4(20, 17, 77, 3000);
        unsigned n = nfrags_of(1480);
        for (unsigned k = 0; k < n; k++)
            order[k] = k;
        ck_assert_int_eq(feed_order(d, v6, 1480, order, n, 0, 1), 1);
        assert_orig();
        for (unsigned k = 0; k < n; k++)
            order[k] = n - 1 - k;
        ck_assert_int_eq(feed_order(d, v6, 1480, order, n, 0, 2), 1);
        assert_orig();
    }
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DATAGRAMS), 4);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_BYTES_IN_USE), 0);
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_random_order)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    unsigned order[64];
    srand(12345);
    for (int round = 0; round < 40; round++) {
        int v6 = round & 1;
        if (v6)
            make_v6(round & 2, 8000);
        else
            make_v4(round & 2 ? 60 : 20, 17, (uint16_t)round, 8000);
        unsigned n = nfrags_of(184);
        ck_assert_uint_le(n, 64);
        for (unsigned k = 0; k < n; k++)
            order[k] = k;
        for (unsigned k = n - 1; k > 0; k--) {
            unsigned j = (unsigned)rand() % (k + 1);
            unsigned t = order[k];
            order[k] = order[j];
            order[j] = t;
        }
        ck_assert_int_eq(feed_order(d, v6, 184, order, n, 0, (uint32_t)round), 1);
        assert_orig();
    }
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DATAGRAMS), 40);
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_duplicates)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2000];
    make_v4(20, 17, 5, 2000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 1000, 1), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 1000, 1), 0, 1), 0);
    /* Inside a run of two fragments: also a duplicate. */
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 1000, 504, 1), 0, 2), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 992, 16, 1), 0, 3), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_DUPLICATE), 2);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 1504, 496, 0), 0, 4), 1);
    assert_orig();
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_REASSEMBLED), 3);
    pktd_defrag_close(d);
}
END_TEST

/* A partial overlap drops the whole datagram, IPv4 (as Linux) and IPv6
 * (RFC 5722); the datagram can then come again whole. */
START_TEST(test_overlaps)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    for (int v6 = 0; v6 <= 1; v6++) {
        if (v6)
            make_v6(1, 2000);
        else
            make_v4(20, 17, 6, 2000);
        size_t (*mk)(uint8_t *, size_t, size_t, int) = NULL;
#define FR(off, len, m) (v6 ? frag_v6(buf, off, len, m, 9) : frag_v4(buf, off, len, m))
        (void)mk;
        uint64_t before = stat(d, PKTD_DEFRAG_STAT_DROP_OVERLAP);
        ck_assert_int_eq(feed(d, buf, FR(0, 800, 1), 0, 0), 0);
        ck_assert_int_eq(feed(d, buf, FR(800, 400, 1), 0, 0), 0);
        ck_assert_int_eq(feed(d, buf, FR(1192, 400, 1), 0, 0), 0); /* 8 bytes into the last */
        ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_OVERLAP) - before, 3);
        ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 0);
        ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_BYTES_IN_USE), 0);
        /* Starting before a held fragment and ending inside it. */
        ck_assert_int_eq(feed(d, buf, FR(800, 400, 1), 0, 0), 0);
        ck_assert_int_eq(feed(d, buf, FR(792, 16, 1), 0, 0), 0);
        ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_OVERLAP) - before, 5);
        size_t data = orig_len - orig_hl;
        ck_assert_int_eq(feed(d, buf, FR(0, 1000, 1), 0, 0), 0);
        ck_assert_int_eq(feed(d, buf, FR(1000, data - 1000, 0), 0, 0), 1);
        assert_orig();
#undef FR
    }
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_tiny)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    /* TCP: a first fragment of 16 bytes cannot hold the 20-byte header. */
    make_v4(20, 6, 7, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 16, 1), 0, 0), 0);
    /* RFC 1858: TCP data at offset 8 could rewrite the flags. */
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 8, 16, 1), 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TINY), 2);
    /* UDP: 8 bytes are enough. */
    make_v4(20, 17, 8, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 8, 1), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 8, 992, 0), 0, 0), 1);
    assert_orig();
    /* IPv6, RFC 7112: the first fragment ends inside the header chain's
     * upper layer (only the destination options header, no UDP header). */
    make_v6(1, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v6(buf, 0, 8, 1, 3), 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TINY), 3);
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_too_big)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    static uint8_t buf[70000];
    /* Ping of death: offset 65528 + 16 bytes. */
    make_v4(20, 17, 9, 65000);
    size_t n = frag_v4(buf, 0, 16, 0);
    put16(buf + 6, 65528 / 8);
    ipv4_csum(buf, 20);
    ck_assert_int_eq(feed(d, buf, n, 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TOO_BIG), 1);
    /* 60-byte header + 65480 bytes: each fragment fits, the datagram not. */
    make_v4(60, 17, 10, 65472);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 65472, 1), 0, 0), 0);
    memset(buf + 60, 0, 8);
    n = frag_v4(buf, 0, 0, 0);
    put16(buf + 2, 68);
    put16(buf + 6, 65472 / 8);
    ipv4_csum(buf, 60);
    ck_assert_int_eq(feed(d, buf, n + 8, 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TOO_BIG), 3);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 0);
    pktd_defrag_close(d);
}
END_TEST

/* Teardrop: the last fragment ends inside bytes already held. */
START_TEST(test_teardrop_and_invalid)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    make_v4(20, 17, 11, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 48, 1), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 24, 8, 0), 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_INVALID), 1);
    /* A non-last fragment of 12 bytes; an empty fragment. */
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 48, 12, 1), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 48, 0, 1), 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_INVALID), 3);
    /* The last fragment sets the end: data past it, another end. */
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 56, 400, 0), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 456, 8, 1), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 448, 16, 0), 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_INVALID), 5);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_FRAGMENTS), 2);
    /* Truncated by the capture. */
    size_t n = frag_v4(buf, 448, 400, 1);
    ck_assert_int_eq(feed(d, buf, n - 100, 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TRUNCATED), 1);
    pktd_defrag_close(d);
}
END_TEST

/* A second fragment header (nested fragmentation) and an IPv4 fragment
 * with total length 0 (the length is not on the wire) are invalid. */
START_TEST(test_nested_and_len_zero)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    make_v6(0, 600);
    size_t n = frag_v6(buf, 0, 200, 0, 7); /* an atomic fragment header ... */
    /* ... followed by a later fragment's header: 40 + 8 + 8 + data. */
    memmove(buf + 56, buf + 48, n - 48);
    buf[40] = 44;
    buf[48] = 17, buf[49] = 0, buf[50] = 0, buf[51] = 8 | 1; /* offset 8, M */
    buf[52] = buf[53] = buf[54] = 0, buf[55] = 9;
    put16(buf + 4, (uint32_t)(n + 8 - 40));
    ck_assert_int_eq(feed(d, buf, n + 8, 0, 0), 0);
    ck_assert_int_ne(pktd_packet_flags(&pkt) & PKTD_F_FRAGMENT, 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_INVALID), 1);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_ATOMIC), 0);
    make_v4(20, 17, 16, 1000);
    n = frag_v4(buf, 0, 400, 1);
    put16(buf + 2, 0);
    ipv4_csum(buf, 20);
    ck_assert_int_eq(feed(d, buf, n, 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_INVALID), 2);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_FRAGMENTS), 0);
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_expiry)
{
    pktd_defrag *d = create(0, 0, 0, 5 * SEC);
    uint8_t buf[2100];
    make_v4(20, 17, 12, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 400, 1), 0, 100 * SEC), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 400, 400, 1), 0, 104 * SEC), 0);
    make_v4(20, 17, 13, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 400, 1), 0, 103 * SEC), 0);
    /* At 105 s the first datagram's 5 s have passed, not the second's. */
    make_v4(20, 17, 12, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 800, 200, 0), 0, 105 * SEC), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TIMEOUT), 2);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DATAGRAMS_TIMEOUT), 1);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 2);
    ck_assert_int_eq(pktd_defrag_expire(d, 107 * SEC), 0);
    ck_assert_int_eq(pktd_defrag_expire(d, 108 * SEC), 1);
    ck_assert_int_eq(pktd_defrag_expire(d, UINT64_MAX), 1);
    check_invariant(d);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TIMEOUT), 4);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_BYTES_IN_USE), 0);
    pktd_defrag_close(d);
}
END_TEST

/* The smallest budget: incomplete datagrams of big fragments are evicted
 * oldest first; the handle's accounting never passes its pool, and a valid
 * datagram still completes. */
START_TEST(test_budget_pressure)
{
    pktd_defrag *d = NULL;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_defrag_create(&d, 1000, 64, 16, 0, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(d);
    ck_assert_ptr_nonnull(strstr(err, "budget of 1000 bytes is below the "));
    size_t minimum = strtoul(strstr(err, "below the ") + 10, NULL, 10);
    ck_assert_uint_gt(minimum, 65536);
    ck_assert_int_eq(pktd_defrag_create(&d, minimum - 1, 64, 16, 0, err),
                     PKTD_E_INVALID_ARGUMENT);
    d = create(minimum, 64, 16, 0);
    uint64_t pool = stat(d, PKTD_DEFRAG_STAT_BYTES_POOL);
    static uint8_t buf[70000];
    for (uint16_t id = 0; id < 200; id++) {
        make_v4(20, 17, id, 60000);
        ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 8000, 1), 0, id * US), 0);
        ck_assert_int_eq(feed(d, buf, frag_v4(buf, 16000, 8000, 1), 0, id * US), 0);
        ck_assert_uint_le(stat(d, PKTD_DEFRAG_STAT_BYTES_IN_USE), pool);
    }
    ck_assert_uint_gt(stat(d, PKTD_DEFRAG_STAT_DATAGRAMS_EVICTED), 150);
    ck_assert_uint_gt(stat(d, PKTD_DEFRAG_STAT_BYTES_HIGH), pool / 2);
    /* The newest is still held: it was not the oldest. */
    make_v4(20, 17, 199, 60000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 8000, 8000, 1), 0, 300 * US), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 24000, 36000, 0), 0, 300 * US), 1);
    assert_orig();
    /* A largest datagram in the most fragments fits alone. */
    make_v4(20, 17, 999, 65512);
    unsigned order[16];
    for (unsigned k = 0; k < 16; k++)
        order[k] = 15 - k;
    ck_assert_int_eq(feed_order(d, 0, 4096, order, 16, 0, 0), 1);
    assert_orig();
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_capacity)
{
    pktd_defrag *d = create(0, 16, 0, 0);
    uint8_t buf[2100];
    for (uint32_t i = 0; i < 1000; i++) {
        make_v4(20, 17, (uint16_t)i, 1000);
        orig[15] = (uint8_t)(i >> 8); /* distinct sources too */
        ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 400, 1), 0, i * US), 0);
        ck_assert_uint_le(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 16);
    }
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DATAGRAMS_EVICTED), 1000 - 16);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_EVICTED), 1000 - 16);
    /* The 16 newest complete. */
    for (uint32_t i = 984; i < 1000; i++) {
        make_v4(20, 17, (uint16_t)i, 1000);
        orig[15] = (uint8_t)(i >> 8);
        ipv4_csum(orig, 20);
        ck_assert_int_eq(feed(d, buf, frag_v4(buf, 400, 600, 0), 0, 2000 * US), 1);
        assert_orig();
    }
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_too_many)
{
    pktd_defrag *d = create(0, 0, 4, 0);
    uint8_t buf[2100];
    make_v4(20, 17, 14, 800);
    unsigned order[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    ck_assert_int_eq(feed_order(d, 0, 104, order, 8, 0, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_DROP_TOO_MANY), 5);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_FRAGMENTS), 3);
    (void)buf;
    pktd_defrag_close(d);
}
END_TEST

/* RFC 6946: an atomic fragment is returned alone, without its fragment
 * header, and does not touch a datagram of the same id. */
START_TEST(test_atomic_and_whole)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    make_v6(1, 600);
    ck_assert_int_eq(feed(d, buf, frag_v6(buf, 0, 400, 1, 5), 0, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v6(buf, 0, orig_len - orig_hl, 0, 5), 0, 0), 1);
    assert_orig();
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_ATOMIC), 1);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_FRAGMENTS), 1);
    /* A whole packet comes back as it is, from the caller's buffer. */
    make_v4(20, 17, 1, 100);
    ck_assert_int_eq(feed(d, orig, orig_len, 0, 0), 1);
    ck_assert_ptr_eq(out_data, orig);
    ck_assert_uint_eq(out_len, orig_len);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_WHOLE), 1);
    /* The rest of the IPv6 datagram still completes it. */
    make_v6(1, 600);
    ck_assert_int_eq(feed(d, buf, frag_v6(buf, 400, orig_len - orig_hl - 400, 0, 5), 0, 0), 1);
    assert_orig();
    pktd_defrag_close(d);
}
END_TEST

/* Fragments of different zones, or IPv4 protocols, never mix. */
START_TEST(test_zones)
{
    pktd_defrag *d = create(0, 0, 0, 0);
    uint8_t buf[2100];
    make_v4(20, 17, 15, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 0, 400, 1), 1, 0), 0);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 400, 600, 0), 2, 0), 0);
    make_v4(20, 6, 15, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 400, 600, 0), 1, 0), 0);
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_HELD_DATAGRAMS), 3);
    make_v4(20, 17, 15, 1000);
    ck_assert_int_eq(feed(d, buf, frag_v4(buf, 400, 600, 0), 1, 0), 1);
    assert_orig();
    pktd_defrag_close(d);
}
END_TEST

START_TEST(test_arguments)
{
    pktd_defrag *d = NULL;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_defrag_create(NULL, 0, 0, 0, 0, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_defrag_create(&d, 0, 0, PKTD_DEFRAG_MAX_FRAGMENTS + 1, 0, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "fragments per datagram"));
    d = create(0, 0, 0, 0);
    ck_assert_uint_le(stat(d, PKTD_DEFRAG_STAT_BYTES_ALLOCATED), PKTD_DEFRAG_DEFAULT_BUDGET);
    ck_assert_int_eq(pktd_defrag_add(NULL, &pkt, 0, 0, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    /* ARP is no IP packet: refused, not counted. */
    uint8_t arp[42] = {[12] = 0x08, [13] = 0x06};
    (void)pktd_decode(&pkt, PKTD_LINKTYPE_ETHERNET, arp, sizeof arp);
    ck_assert_int_eq(pktd_defrag_add(d, &pkt, 0, 0, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_defrag_errmsg(d), "no IPv4 or IPv6 layer"));
    ck_assert_uint_eq(stat(d, PKTD_DEFRAG_STAT_FRAGMENTS), 0);
    ck_assert_int_eq(pktd_defrag_stats(d, NULL, 0), PKTD_DEFRAG_STAT_COUNT);
    ck_assert_int_eq(pktd_defrag_stats(d, NULL, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(pktd_defrag_errmsg(NULL), "");
    pktd_defrag_close(d);
    pktd_defrag_close(NULL);
}
END_TEST

/* ---- the tcpdump corpus against tshark ---- */

#define MAX_ROWS 4096
struct row {
    char file[128];
    uint32_t frame;
    uint32_t len; /* reassembled payload */
    int seen;
};
static struct row rows[MAX_ROWS];
static unsigned nrows;

static void load_rows(void)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/defrag_tshark.tsv", top != NULL ? top : ".");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL) {
        ck_assert_uint_lt(nrows, MAX_ROWS);
        struct row *r = &rows[nrows];
        char v4[64] = "", v6[64] = "";
        int n = sscanf(line, "%127[^\t]\t%u\t%63[^\t\n]\t%63[^\t\n]", r->file, &r->frame, v4, v6);
        if (n < 3) /* IPv4 column empty: IPv6 only */
            n = sscanf(line, "%127[^\t]\t%u\t\t%63[^\t\n]", r->file, &r->frame, v6);
        ck_assert_int_ge(n, 3);
        /* One reassembly per frame in this corpus (no comma lists). */
        ck_assert_ptr_null(strchr(v4, ','));
        ck_assert_ptr_null(strchr(v6, ','));
        r->len = (uint32_t)strtoul(v4[0] != '\0' ? v4 : v6, NULL, 10);
        nrows++;
    }
    fclose(f);
}

struct corpus_state {
    char file[128];
    pktd_defrag *d;
    uint64_t datagrams;
    unsigned agree, extra;
};

static void corpus_frame(const char *name, uint32_t linktype, uint32_t index, const uint8_t *data,
                         size_t len, void *ctx)
{
    struct corpus_state *st = ctx;
    if (strcmp(st->file, name) != 0) {
        pktd_defrag_close(st->d);
        /* tshark has no timeout: neither here. */
        st->d = create(0, 0, 0, UINT64_MAX);
        snprintf(st->file, sizeof st->file, "%s", name);
        st->datagrams = 0;
    }
    pktd_packet p;
    (void)pktd_decode(&p, linktype, data, len);
    if (!pktd_packet_has(&p, PKTD_LAYER_IPV4) && !pktd_packet_has(&p, PKTD_LAYER_IPV6))
        return;
    const uint8_t *odata;
    size_t olen;
    int rc = pktd_defrag_add(st->d, &p, 0, 0, &odata, &olen);
    ck_assert_int_ge(rc, 0);
    check_invariant(st->d);
    uint64_t n = stat(st->d, PKTD_DEFRAG_STAT_DATAGRAMS);
    if (n == st->datagrams)
        return;
    st->datagrams = n;
    /* The payload tshark reports: after the IPv4 header, or after the
     * IPv6 headers that preceded the fragment header. */
    size_t hdr;
    if (pktd_packet_has(&p, PKTD_LAYER_IPV4)) {
        hdr = (size_t)pktd_ipv4_ihl(&p) * 4;
    } else {
        const uint8_t *ip = NULL, *e = NULL;
        size_t iplen = 0;
        uint32_t cur = 0;
        uint8_t type = 0;
        ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_IPV6, &ip, &iplen), 1);
        while (pktd_ipv6_ext_next(&p, &cur, &type, &e, NULL) && type != 44)
            ;
        ck_assert_uint_eq(type, 44);
        hdr = (size_t)(e - ip);
    }
    pktd_packet q;
    ck_assert_int_ge(pktd_decode(&q, PKTD_LINKTYPE_RAW, odata, olen), 0);
    for (unsigned i = 0; i < nrows; i++) {
        if (rows[i].frame == index + 1 && strcmp(rows[i].file, name) == 0) {
            ck_assert_msg(rows[i].len == olen - hdr, "%s frame %u: tshark %u bytes, pktd %zu",
                          name, index + 1, rows[i].len, olen - hdr);
            rows[i].seen = 1;
            st->agree++;
            return;
        }
    }
    fprintf(stderr, "%s frame %u: reassembled %zu bytes, tshark did not\n", name, index + 1,
            olen - hdr);
    st->extra++;
}

START_TEST(test_corpus_tshark)
{
    load_rows();
    ck_assert_uint_gt(nrows, 40);
    struct corpus_state st = {.d = NULL};
    ck_assert_int_gt(fr_corpus_each(corpus_frame, &st), 800);
    pktd_defrag_close(st.d);
    for (unsigned i = 0; i < nrows; i++)
        ck_assert_msg(rows[i].seen, "%s frame %u: tshark reassembled %u bytes, pktd did not",
                      rows[i].file, rows[i].frame, rows[i].len);
    fprintf(stderr, "defrag vs tshark: %u datagrams agree, %u only here\n", st.agree, st.extra);
    ck_assert_uint_eq(st.agree, nrows);
    ck_assert_uint_eq(st.extra, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("defrag");
    TCase *tc = tcase_create("defrag");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_in_order_and_reverse);
    tcase_add_test(tc, test_random_order);
    tcase_add_test(tc, test_duplicates);
    tcase_add_test(tc, test_overlaps);
    tcase_add_test(tc, test_tiny);
    tcase_add_test(tc, test_too_big);
    tcase_add_test(tc, test_teardrop_and_invalid);
    tcase_add_test(tc, test_nested_and_len_zero);
    tcase_add_test(tc, test_expiry);
    tcase_add_test(tc, test_budget_pressure);
    tcase_add_test(tc, test_capacity);
    tcase_add_test(tc, test_too_many);
    tcase_add_test(tc, test_atomic_and_whole);
    tcase_add_test(tc, test_zones);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    TCase *tc2 = tcase_create("corpus");
    tcase_set_timeout(tc2, 600);
    tcase_add_test(tc2, test_corpus_tshark);
    suite_add_tcase(s, tc2);
    return run_suite(s);
}
