/* The flow table (flow.h) on built frames: keying in both directions, VLAN
 * and zone separation, timeouts in capture time, eviction and its
 * accounting, TCP ends, IPv6, ICMP, packets without a key, a flood past the
 * capacity, the keyed hash, and the argument checks. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "flow_int.h"
#include "parse_frames.h"

#define SEC 1000000000ull
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

/* ---- frames ------------------------------------------------------------ */

struct pkt {
    uint32_t src, dst;
    uint8_t proto;
    uint16_t sport, dport;
    uint8_t flags;
    const uint16_t *vlans;
    unsigned nvlan;
    uint16_t frag;
};

/* An Ethernet frame (with p->nvlan 802.1Q tags) carrying IPv4 and TCP,
 * UDP or ICMP, decoded into *out. */
static void decode4(pktd_packet *out, const struct pkt *p, struct fr *f)
{
    fr_init(f);
    fr_eth(f, p->nvlan ? 0x8100 : 0x0800);
    for (unsigned i = 0; i < p->nvlan; i++)
        fr_vlan(f, p->vlans[i], i + 1 < p->nvlan ? 0x8100 : 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = p->proto, .src = p->src, .dst = p->dst, .frag = p->frag};
    size_t ip_off = fr_ip4(f, &ip);
    if (p->proto == 6) {
        struct fr_tcp t = {.sport = p->sport, .dport = p->dport, .seq = 1, .flags = p->flags,
                           .win = 1000};
        fr_tcp(f, &t);
    } else if (p->proto == 17) {
        size_t u = fr_udp(f, p->sport, p->dport);
        fr_fill(f, 0xab, 10);
        fr_ip4_finish(f, ip_off);
        fr_udp_finish(f, ip_off, u);
    } else if (p->proto == 1) {
        fr_icmp(f, 8, 0, 0x00010001);
    }
    fr_ip4_finish(f, ip_off);
    (void)pktd_decode(out, PKTD_LINKTYPE_ETHERNET, f->b, f->len);
}

static int upd(pktd_flow_table *t, const struct pkt *p, uint64_t ts, uint64_t zone, uint32_t *id,
               uint32_t *dir)
{
    struct fr f;
    pktd_packet pk;
    decode4(&pk, p, &f);
    return pktd_flow_table_update(t, &pk, ts, f.len, zone, id, dir);
}

/* Raw IPv6 (LINKTYPE_IPV6) with TCP (flags) or ICMPv6 echo. */
static int upd6(pktd_flow_table *t, uint8_t last_src, uint8_t last_dst, uint8_t nxt,
                uint16_t sport, uint16_t dport, uint8_t flags, uint64_t ts, uint32_t *id,
                uint32_t *dir)
{
    uint8_t b[80] = {0x60, 0, 0, 0};
    size_t l4 = nxt == 6 ? 20 : 8;
    b[4] = 0;
    b[5] = (uint8_t)l4;
    b[6] = nxt;
    b[7] = 64;
    b[8] = 0x20, b[9] = 0x01, b[10] = 0x0d, b[11] = 0xb8, b[23] = last_src;
    b[24] = 0x20, b[25] = 0x01, b[26] = 0x0d, b[27] = 0xb8, b[39] = last_dst;
    uint8_t *h = b + 40;
    if (nxt == 6) {
        h[0] = (uint8_t)(sport >> 8), h[1] = (uint8_t)sport;
        h[2] = (uint8_t)(dport >> 8), h[3] = (uint8_t)dport;
        h[12] = 0x50;
        h[13] = flags;
        h[14] = 0x10;
    } else {
        h[0] = 128; /* echo request */
        h[5] = 7;   /* id */
    }
    pktd_packet p;
    (void)pktd_decode(&p, PKTD_LINKTYPE_IPV6, b, 40 + l4);
    return pktd_flow_table_update(t, &p, ts, 40 + l4, 0, id, dir);
}

/* ---- an export recorder ------------------------------------------------ */

#define REC_MAX 64
struct exported {
    unsigned n;
    uint32_t id[REC_MAX], end[REC_MAX];
    uint64_t pkts[REC_MAX][2], first[REC_MAX];
    uint64_t total;
    pktd_flow_table *table; /* for the re-entrancy test */
    int reentry_rc;
};

static void record(void *user, const pktd_flow *f)
{
    struct exported *e = user;
    e->total++;
    if (e->table != NULL) {
        pktd_packet p;
        memset(&p, 0, sizeof p);
        e->reentry_rc = pktd_flow_table_update(e->table, &p, 0, 0, 0, NULL, NULL);
    }
    if (e->n >= REC_MAX)
        return;
    e->id[e->n] = pktd_flow_id(f);
    e->end[e->n] = pktd_flow_end(f);
    e->pkts[e->n][0] = pktd_flow_packets(f, 0);
    e->pkts[e->n][1] = pktd_flow_packets(f, 1);
    e->first[e->n] = pktd_flow_first_ns(f);
    e->n++;
}

static pktd_flow_table *table(uint32_t cap, uint64_t idle, uint64_t active, struct exported *e)
{
    pktd_flow_table *t;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_flow_table_create(&t, cap, idle, active, err), 0);
    if (e != NULL) {
        memset(e, 0, sizeof *e);
        ck_assert_int_eq(pktd_flow_table_set_export(t, record, e), 0);
    }
    return t;
}

static uint64_t stat(const pktd_flow_table *t, unsigned i)
{
    uint64_t s[PKTD_FLOW_STAT_COUNT];
    ck_assert_int_eq(pktd_flow_table_stats(t, s, PKTD_FLOW_STAT_COUNT), PKTD_FLOW_STAT_COUNT);
    return s[i];
}

static const struct pkt AB = {.src = FR_IP_SRC, .dst = FR_IP_DST, .proto = 6, .sport = 40000,
                              .dport = 80};

static struct pkt rev(struct pkt p)
{
    uint32_t a = p.src;
    uint16_t s = p.sport;
    p.src = p.dst, p.dst = a;
    p.sport = p.dport, p.dport = s;
    return p;
}

/* ---- tests ------------------------------------------------------------- */

START_TEST(test_both_directions)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    uint32_t id, id2, dir;
    struct fr f;
    pktd_packet pk;
    decode4(&pk, &AB, &f);
    size_t len1 = f.len;

    ck_assert_int_eq(upd(t, &(struct pkt){.src = FR_IP_SRC, .dst = FR_IP_DST, .proto = 6,
                                          .sport = 40000, .dport = 80, .flags = TCP_SYN},
                         100, 0, &id, &dir),
                     2);
    ck_assert_uint_eq(dir, PKTD_FLOW_FWD);
    ck_assert_int_eq(upd(t, &(struct pkt){.src = FR_IP_DST, .dst = FR_IP_SRC, .proto = 6,
                                          .sport = 80, .dport = 40000,
                                          .flags = TCP_SYN | TCP_ACK},
                         200, 0, &id2, &dir),
                     1);
    ck_assert_uint_eq(id2, id);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    ck_assert_int_eq(upd(t, &(struct pkt){.src = FR_IP_SRC, .dst = FR_IP_DST, .proto = 6,
                                          .sport = 40000, .dport = 80, .flags = TCP_ACK},
                         300, 0, &id2, &dir),
                     1);
    ck_assert_uint_eq(dir, PKTD_FLOW_FWD);

    const pktd_flow *fl = pktd_flow_table_get(t, id);
    ck_assert_ptr_nonnull(fl);
    ck_assert_uint_eq(pktd_flow_id(fl), id);
    ck_assert_uint_eq(pktd_flow_ip_version(fl), 4);
    ck_assert_uint_eq(pktd_flow_proto(fl), 6);
    ck_assert_uint_eq(pktd_flow_ipv4_src(fl), FR_IP_SRC);
    ck_assert_uint_eq(pktd_flow_ipv4_dst(fl), FR_IP_DST);
    ck_assert_ptr_null(pktd_flow_ipv6_src(fl));
    ck_assert_uint_eq(pktd_flow_sport(fl), 40000);
    ck_assert_uint_eq(pktd_flow_dport(fl), 80);
    ck_assert_uint_eq(pktd_flow_packets(fl, PKTD_FLOW_FWD), 2);
    ck_assert_uint_eq(pktd_flow_packets(fl, PKTD_FLOW_REV), 1);
    ck_assert_uint_eq(pktd_flow_packets(fl, 2), 0);
    ck_assert_uint_eq(pktd_flow_bytes(fl, PKTD_FLOW_FWD), 2 * len1);
    ck_assert_uint_eq(pktd_flow_bytes(fl, PKTD_FLOW_REV), len1);
    ck_assert_uint_eq(pktd_flow_first_ns(fl), 100);
    ck_assert_uint_eq(pktd_flow_last_ns(fl), 300);
    ck_assert_uint_eq(pktd_flow_tcp_flags(fl, PKTD_FLOW_FWD), TCP_SYN | TCP_ACK);
    ck_assert_uint_eq(pktd_flow_tcp_flags(fl, PKTD_FLOW_REV), TCP_SYN | TCP_ACK);
    ck_assert_uint_eq(pktd_flow_tcp_state(fl), PKTD_FLOW_TCP_SYN_FWD | PKTD_FLOW_TCP_SYN_REV);
    ck_assert_uint_eq(pktd_flow_end(fl), PKTD_FLOW_END_NONE);
    ck_assert_uint_eq(pktd_flow_vlan_count(fl), 0);
    ck_assert_uint_eq(pktd_flow_zone(fl), 0);
    ck_assert_uint_eq(pktd_flow_table_count(t), 1);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_PACKETS), 3);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_KEYED), 3);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_CREATED), 1);
    pktd_flow_table_close(t);
}
END_TEST

/* The first packet sent by the "higher" endpoint makes it the flow's src. */
START_TEST(test_src_is_first_sender)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    uint32_t id, dir;
    struct pkt ba = rev(AB);
    ck_assert_int_eq(upd(t, &ba, 1, 0, &id, &dir), 2);
    ck_assert_uint_eq(dir, PKTD_FLOW_FWD);
    ck_assert_int_eq(upd(t, &AB, 2, 0, &id, &dir), 1);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    const pktd_flow *fl = pktd_flow_table_get(t, id);
    ck_assert_uint_eq(pktd_flow_ipv4_src(fl), FR_IP_DST);
    ck_assert_uint_eq(pktd_flow_sport(fl), 80);
    ck_assert_uint_eq(pktd_flow_dport(fl), 40000);
    ck_assert_uint_eq(pktd_flow_tcp_state(fl) & PKTD_FLOW_TCP_MIDSTREAM, PKTD_FLOW_TCP_MIDSTREAM);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_vlan_separation)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    static const uint16_t v10[] = {10}, v20[] = {20}, v10_20[] = {10, 20};
    struct pkt p = AB;
    uint32_t ids[4], dir;
    ck_assert_int_eq(upd(t, &p, 1, 0, &ids[0], &dir), 2);
    p.vlans = v10, p.nvlan = 1;
    ck_assert_int_eq(upd(t, &p, 2, 0, &ids[1], &dir), 2);
    p.vlans = v20;
    ck_assert_int_eq(upd(t, &p, 3, 0, &ids[2], &dir), 2);
    p.vlans = v10_20, p.nvlan = 2;
    ck_assert_int_eq(upd(t, &p, 4, 0, &ids[3], &dir), 2);
    struct pkt r = rev(p); /* the reverse direction on the same tags */
    uint32_t id;
    ck_assert_int_eq(upd(t, &r, 5, 0, &id, &dir), 1);
    ck_assert_uint_eq(id, ids[3]);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    ck_assert_uint_eq(pktd_flow_table_count(t), 4);
    const pktd_flow *fl = pktd_flow_table_get(t, ids[3]);
    ck_assert_uint_eq(pktd_flow_vlan_count(fl), 2);
    ck_assert_uint_eq(pktd_flow_vlan_vid(fl, 0), 10);
    ck_assert_uint_eq(pktd_flow_vlan_vid(fl, 1), 20);
    ck_assert_uint_eq(pktd_flow_vlan_vid(fl, 2), 0);
    ck_assert_uint_eq(pktd_flow_vlan_vid(pktd_flow_table_get(t, ids[2]), 0), 20);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_zone_separation)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    uint32_t a, b, c, dir;
    struct pkt r = rev(AB);
    ck_assert_int_eq(upd(t, &AB, 1, 0, &a, &dir), 2);
    ck_assert_int_eq(upd(t, &AB, 2, 4789, &b, &dir), 2);
    ck_assert_int_eq(upd(t, &r, 3, 4789, &c, &dir), 1);
    ck_assert_uint_eq(c, b);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    ck_assert_uint_ne(a, b);
    ck_assert_uint_eq(pktd_flow_zone(pktd_flow_table_get(t, b)), 4789);
    ck_assert_uint_eq(pktd_flow_packets(pktd_flow_table_get(t, a), PKTD_FLOW_FWD), 1);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_idle_timeout)
{
    struct exported e;
    pktd_flow_table *t = table(16, 10 * SEC, 0, &e);
    uint32_t a, b, dir;
    struct pkt other = AB;
    other.dport = 443;
    ck_assert_int_eq(upd(t, &AB, 0, 0, &a, &dir), 2);
    ck_assert_int_eq(upd(t, &other, 5 * SEC, 0, &b, &dir), 2);
    /* Exactly the timeout is not past it. */
    ck_assert_int_eq(pktd_flow_table_expire(t, 10 * SEC), 0);
    ck_assert_uint_eq(e.n, 0);
    /* Another flow's packet past a's timeout ends a, not b. */
    struct pkt third = AB;
    third.dport = 22;
    uint32_t c;
    ck_assert_int_eq(upd(t, &third, 10 * SEC + 1, 0, &c, NULL), 2);
    ck_assert_uint_eq(e.n, 1);
    ck_assert_uint_eq(e.id[0], a);
    ck_assert_uint_eq(e.end[0], PKTD_FLOW_END_IDLE);
    /* a's id was free again before the new flow needed one. */
    ck_assert_uint_eq(c, a);
    ck_assert_uint_eq(pktd_flow_dport(pktd_flow_table_get(t, c)), 22);
    ck_assert_uint_eq(pktd_flow_dport(pktd_flow_table_get(t, b)), 443);
    /* The explicit call ends the rest, in capture time. */
    ck_assert_int_eq(pktd_flow_table_expire(t, 100 * SEC), 2);
    ck_assert_uint_eq(e.n, 3);
    ck_assert_uint_eq(pktd_flow_table_count(t), 0);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_IDLE), 3);
    /* The flow's own late packet starts a new flow. */
    ck_assert_int_eq(upd(t, &AB, 200 * SEC, 0, NULL, NULL), 2);
    ck_assert_int_eq(upd(t, &AB, 211 * SEC, 0, NULL, NULL), 2);
    ck_assert_uint_eq(e.n, 4);
    /* Time going backwards expires nothing and keeps last_ns. */
    ck_assert_int_eq(upd(t, &AB, 150 * SEC, 0, &a, NULL), 1);
    ck_assert_uint_eq(pktd_flow_last_ns(pktd_flow_table_get(t, a)), 211 * SEC);
    ck_assert_uint_eq(pktd_flow_first_ns(pktd_flow_table_get(t, a)), 150 * SEC);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_active_timeout)
{
    struct exported e;
    pktd_flow_table *t = table(16, 10 * SEC, 5 * SEC, &e);
    uint32_t id, first_id = 0;
    for (unsigned s = 0; s <= 5; s++) {
        ck_assert_int_eq(upd(t, &AB, s * SEC, 0, &id, NULL), s == 0 ? 2 : 1);
        if (s == 0)
            first_id = id;
    }
    ck_assert_uint_eq(e.n, 0);
    ck_assert_int_eq(upd(t, &AB, 6 * SEC, 0, &id, NULL), 2);
    ck_assert_uint_eq(e.n, 1);
    ck_assert_uint_eq(e.id[0], first_id);
    ck_assert_uint_eq(e.end[0], PKTD_FLOW_END_ACTIVE);
    ck_assert_uint_eq(e.pkts[0][0], 6);
    ck_assert_uint_eq(pktd_flow_first_ns(pktd_flow_table_get(t, id)), 6 * SEC);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_ACTIVE), 1);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_eviction)
{
    struct exported e;
    pktd_flow_table *t = table(4, 0, 0, &e);
    uint32_t ids[6];
    struct pkt p = AB;
    for (unsigned i = 0; i < 4; i++) {
        p.sport = (uint16_t)(1000 + i);
        ck_assert_int_eq(upd(t, &p, i, 0, &ids[i], NULL), 2);
    }
    /* Touch flow 0, so flow 1 is the least recently updated. */
    p.sport = 1000;
    ck_assert_int_eq(upd(t, &p, 10, 0, NULL, NULL), 1);
    for (unsigned i = 4; i < 6; i++) {
        p.sport = (uint16_t)(1000 + i);
        ck_assert_int_eq(upd(t, &p, 10 + i, 0, &ids[i], NULL), 2);
    }
    ck_assert_uint_eq(e.n, 2);
    ck_assert_uint_eq(e.id[0], ids[1]);
    ck_assert_uint_eq(e.id[1], ids[2]);
    ck_assert_uint_eq(e.end[0], PKTD_FLOW_END_EVICTED);
    ck_assert_uint_eq(e.end[1], PKTD_FLOW_END_EVICTED);
    /* The evicted ids are handed out again, and stay below the capacity. */
    ck_assert_uint_eq(ids[4], ids[1]);
    ck_assert_uint_eq(ids[5], ids[2]);
    ck_assert_uint_eq(pktd_flow_table_count(t), 4);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_EVICTED), 2);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_CREATED), 6);
    /* Flush exports the rest in first-packet order. */
    ck_assert_int_eq(pktd_flow_table_flush(t), 4);
    ck_assert_uint_eq(e.n, 6);
    ck_assert_uint_eq(e.id[2], ids[0]);
    ck_assert_uint_eq(e.id[3], ids[3]);
    ck_assert_uint_eq(e.id[4], ids[4]);
    ck_assert_uint_eq(e.id[5], ids[5]);
    for (unsigned i = 2; i < 6; i++)
        ck_assert_uint_eq(e.end[i], PKTD_FLOW_END_EOF);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_EOF), 4);
    ck_assert_uint_eq(pktd_flow_table_count(t), 0);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_flood_past_capacity)
{
    struct exported e;
    const uint32_t cap = 1000, n = 100000;
    pktd_flow_table *t = table(cap, 0, 0, &e);
    struct pkt p = AB;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t id;
        p.src = 0x0a000000u + i;
        p.sport = (uint16_t)i;
        ck_assert_int_eq(upd(t, &p, i, 0, &id, NULL), 2);
        ck_assert_uint_lt(id, cap);
    }
    ck_assert_uint_eq(pktd_flow_table_count(t), cap);
    ck_assert_uint_eq(e.total, n - cap);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_CREATED), n);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_EVICTED), n - cap);
    ck_assert_int_eq(pktd_flow_table_flush(t), (int)cap);
    ck_assert_uint_eq(e.total, n);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_EOF), cap);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_KEYED), n);
    /* A keyed hash at load 0.5: no long chains for sequential addresses. */
    ck_assert_uint_le(stat(t, PKTD_FLOW_STAT_MAX_CHAIN), 12);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_fin_and_rst)
{
    struct exported e;
    pktd_flow_table *t = table(16, 10 * SEC, 0, &e);
    struct pkt r = rev(AB);
    uint32_t id, id2;
    ck_assert_int_eq(upd(t, &(struct pkt){.src = AB.src, .dst = AB.dst, .proto = 6,
                                          .sport = AB.sport, .dport = AB.dport, .flags = TCP_SYN},
                         1, 0, &id, NULL),
                     2);
    ck_assert_int_eq(upd(t, &(struct pkt){.src = r.src, .dst = r.dst, .proto = 6,
                                          .sport = r.sport, .dport = r.dport,
                                          .flags = TCP_FIN | TCP_ACK},
                         2, 0, NULL, NULL),
                     1);
    ck_assert_uint_eq(pktd_flow_tcp_state(pktd_flow_table_get(t, id)) & PKTD_FLOW_TCP_CLOSED, 0);
    struct pkt fin = AB;
    fin.flags = TCP_FIN | TCP_ACK;
    ck_assert_int_eq(upd(t, &fin, 3, 0, NULL, NULL), 1);
    ck_assert_uint_eq(pktd_flow_tcp_state(pktd_flow_table_get(t, id)),
                      PKTD_FLOW_TCP_SYN_FWD | PKTD_FLOW_TCP_FIN_FWD | PKTD_FLOW_TCP_FIN_REV |
                          PKTD_FLOW_TCP_CLOSED);
    /* The last ACK still belongs to the closed flow. */
    struct pkt ack = r;
    ack.flags = TCP_ACK;
    ck_assert_int_eq(upd(t, &ack, 4, 0, &id2, NULL), 1);
    ck_assert_uint_eq(id2, id);
    ck_assert_uint_eq(e.n, 0);
    /* A new SYN on the same ports ends it (FIN) and starts a new flow. */
    struct pkt syn = AB;
    syn.flags = TCP_SYN;
    ck_assert_int_eq(upd(t, &syn, 5, 0, &id2, NULL), 2);
    ck_assert_uint_eq(e.n, 1);
    ck_assert_uint_eq(e.end[0], PKTD_FLOW_END_FIN);
    ck_assert_uint_eq(e.pkts[0][0], 2);
    ck_assert_uint_eq(e.pkts[0][1], 2);
    /* RST closes it; the idle timeout then reports RST, not IDLE. */
    struct pkt rst = r;
    rst.flags = TCP_RST;
    ck_assert_int_eq(upd(t, &rst, 6, 0, NULL, NULL), 1);
    ck_assert_uint_eq(pktd_flow_tcp_state(pktd_flow_table_get(t, id2)) &
                          (PKTD_FLOW_TCP_RST_REV | PKTD_FLOW_TCP_CLOSED),
                      PKTD_FLOW_TCP_RST_REV | PKTD_FLOW_TCP_CLOSED);
    ck_assert_int_eq(pktd_flow_table_expire(t, 100 * SEC), 1);
    ck_assert_uint_eq(e.n, 2);
    ck_assert_uint_eq(e.end[1], PKTD_FLOW_END_RST);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_FIN), 1);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_RST), 1);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_END_IDLE), 0);
    /* A closed flow flushed at the end keeps its end too. */
    ck_assert_int_eq(upd(t, &syn, 200 * SEC, 0, NULL, NULL), 2);
    ck_assert_int_eq(upd(t, &rst, 200 * SEC, 0, NULL, NULL), 1);
    ck_assert_int_eq(upd(t, &(struct pkt){.src = AB.src, .dst = AB.dst, .proto = 17,
                                          .sport = 1, .dport = 2},
                         200 * SEC, 0, NULL, NULL),
                     2);
    ck_assert_int_eq(pktd_flow_table_flush(t), 2);
    ck_assert_uint_eq(e.end[2], PKTD_FLOW_END_RST);
    ck_assert_uint_eq(e.end[3], PKTD_FLOW_END_EOF);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_ipv6_and_icmpv6)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    uint32_t id, id2, dir;
    ck_assert_int_eq(upd6(t, 9, 1, 6, 5000, 443, TCP_SYN, 1, &id, &dir), 2);
    ck_assert_int_eq(upd6(t, 1, 9, 6, 443, 5000, TCP_SYN | TCP_ACK, 2, &id2, &dir), 1);
    ck_assert_uint_eq(id2, id);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    const pktd_flow *fl = pktd_flow_table_get(t, id);
    ck_assert_uint_eq(pktd_flow_ip_version(fl), 6);
    ck_assert_uint_eq(pktd_flow_ipv4_src(fl), 0);
    ck_assert_ptr_nonnull(pktd_flow_ipv6_src(fl));
    ck_assert_uint_eq(pktd_flow_ipv6_src(fl)[15], 9);
    ck_assert_uint_eq(pktd_flow_ipv6_dst(fl)[15], 1);
    ck_assert_uint_eq(pktd_flow_ipv6_src(fl)[0], 0x20);
    ck_assert_uint_eq(pktd_flow_sport(fl), 5000);
    ck_assert_uint_eq(pktd_flow_bytes(fl, PKTD_FLOW_REV), 60);
    /* ICMPv6: ports 0, both directions one flow. */
    ck_assert_int_eq(upd6(t, 9, 1, 58, 0, 0, 0, 3, &id, &dir), 2);
    ck_assert_int_eq(upd6(t, 1, 9, 58, 0, 0, 0, 4, &id2, &dir), 1);
    ck_assert_uint_eq(id2, id);
    fl = pktd_flow_table_get(t, id);
    ck_assert_uint_eq(pktd_flow_proto(fl), 58);
    ck_assert_uint_eq(pktd_flow_sport(fl), 0);
    ck_assert_uint_eq(pktd_flow_dport(fl), 0);
    ck_assert_uint_eq(pktd_flow_tcp_state(fl), 0);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_icmp)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    struct pkt ping = {.src = FR_IP_SRC, .dst = FR_IP_DST, .proto = 1};
    struct pkt pong = rev(ping);
    uint32_t id, id2, dir;
    ck_assert_int_eq(upd(t, &ping, 1, 0, &id, &dir), 2);
    ck_assert_int_eq(upd(t, &pong, 2, 0, &id2, &dir), 1);
    ck_assert_uint_eq(id2, id);
    ck_assert_uint_eq(dir, PKTD_FLOW_REV);
    const pktd_flow *fl = pktd_flow_table_get(t, id);
    ck_assert_uint_eq(pktd_flow_proto(fl), 1);
    ck_assert_uint_eq(pktd_flow_sport(fl), 0);
    ck_assert_uint_eq(pktd_flow_tcp_flags(fl, 0), 0);
    /* UDP with the same addresses is another flow. */
    struct pkt udp = {.src = FR_IP_SRC, .dst = FR_IP_DST, .proto = 17, .sport = 53, .dport = 53};
    ck_assert_int_eq(upd(t, &udp, 3, 0, &id2, &dir), 2);
    ck_assert_uint_ne(id2, id);
    pktd_flow_table_close(t);
}
END_TEST

START_TEST(test_not_keyed)
{
    pktd_flow_table *t = table(16, 0, 0, NULL);
    struct fr f;
    pktd_packet p;
    uint32_t id = 77, dir = 77;
    /* ARP */
    fr_init(&f);
    fr_eth(&f, 0x0806);
    fr_arp(&f, 1, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
    (void)pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ck_assert_int_eq(pktd_flow_table_update(t, &p, 1, f.len, 0, &id, &dir), 0);
    ck_assert_uint_eq(id, 77);
    ck_assert_uint_eq(dir, 77);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_NOT_IP), 1);
    /* A later IPv4 fragment (offset 185 * 8) */
    struct pkt frag = AB;
    frag.frag = 185;
    ck_assert_int_eq(upd(t, &frag, 2, 0, &id, NULL), 0);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_LATER_FRAGMENT), 1);
    /* The first fragment has its ports: keyed. */
    frag.frag = 0x2000; /* MF */
    ck_assert_int_eq(upd(t, &frag, 3, 0, &id, NULL), 2);
    /* TCP cut inside its header */
    decode4(&p, &AB, &f);
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len - 10), PKTD_E_TRUNCATED);
    ck_assert_int_eq(pktd_flow_table_update(t, &p, 4, f.len, 0, &id, NULL), 0);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_NO_TRANSPORT), 1);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_PACKETS), 4);
    ck_assert_uint_eq(stat(t, PKTD_FLOW_STAT_KEYED), 1);
    pktd_flow_table_close(t);
}
END_TEST

/* Two tables put the same flows in different buckets (random keys). */
START_TEST(test_tables_hash_apart)
{
    pktd_flow_table *a = table(64, 0, 0, NULL), *b = table(64, 0, 0, NULL);
    struct pkt p = AB;
    unsigned same = 0;
    for (unsigned i = 0; i < 64; i++) {
        uint32_t ia, ib;
        p.sport = (uint16_t)(2000 + i);
        ck_assert_int_eq(upd(a, &p, i, 0, &ia, NULL), 2);
        ck_assert_int_eq(upd(b, &p, i, 0, &ib, NULL), 2);
        ck_assert_uint_eq(ia, ib); /* ids come from the free list, not the hash */
        same += pktd__flow_table_bucket(a, ia) == pktd__flow_table_bucket(b, ib);
    }
    /* 64 flows in 128 buckets: equal by chance for about 1 in 128 each. */
    ck_assert_uint_lt(same, 16);
    pktd_flow_table_close(a);
    pktd_flow_table_close(b);
}
END_TEST

/* Flows crafted to collide under one key (found by trying ports against a
 * table with that key) make a long chain in a table with that key, and
 * short chains in a table with its own random key. */
START_TEST(test_crafted_collisions_need_the_key)
{
    enum { WANT = 48 };
    pktd_flow_table *probe = table(256, 0, 0, NULL);
    pktd__flow_table_set_key(probe, 0x0123456789abcdefull, 0xfedcba9876543210ull);
    uint16_t ports[WANT];
    unsigned found = 0;
    struct pkt p = AB;
    uint32_t target = UINT32_MAX;
    for (uint32_t port = 1; port < 65536 && found < WANT; port++) {
        uint32_t id;
        p.sport = (uint16_t)port;
        ck_assert_int_eq(upd(probe, &p, port, 0, &id, NULL), 2);
        uint32_t bucket = pktd__flow_table_bucket(probe, id);
        if (target == UINT32_MAX)
            target = bucket;
        if (bucket == target)
            ports[found++] = (uint16_t)port;
    }
    ck_assert_uint_eq(found, WANT);
    pktd_flow_table_close(probe);

    pktd_flow_table *known = table(256, 0, 0, NULL), *fresh = table(256, 0, 0, NULL);
    pktd__flow_table_set_key(known, 0x0123456789abcdefull, 0xfedcba9876543210ull);
    for (unsigned i = 0; i < WANT; i++) {
        p.sport = ports[i];
        ck_assert_int_eq(upd(known, &p, i, 0, NULL, NULL), 2);
        ck_assert_int_eq(upd(fresh, &p, i, 0, NULL, NULL), 2);
    }
    /* The last insert walked the whole chain of the others. */
    ck_assert_uint_eq(stat(known, PKTD_FLOW_STAT_MAX_CHAIN), WANT - 1);
    ck_assert_uint_le(stat(fresh, PKTD_FLOW_STAT_MAX_CHAIN), 8);
    pktd_flow_table_close(known);
    pktd_flow_table_close(fresh);
}
END_TEST

START_TEST(test_reentry_refused)
{
    struct exported e;
    pktd_flow_table *t = table(1, 0, 0, &e);
    e.table = t;
    struct pkt p = AB;
    ck_assert_int_eq(upd(t, &p, 1, 0, NULL, NULL), 2);
    p.sport = 1;
    ck_assert_int_eq(upd(t, &p, 2, 0, NULL, NULL), 2); /* evicts the first */
    ck_assert_uint_eq(e.n, 1);
    ck_assert_int_eq(e.reentry_rc, PKTD_E_BAD_STATE);
    ck_assert_str_eq(pktd_flow_table_errmsg(t),
                     "pktd_flow_table_update: called from the export callback");
    pktd_flow_table_close(t);
}
END_TEST

/* pktd_flow_table_close() from the export callback: carried out when the
 * call that ran the callback returns, which then says PKTD_E_BAD_STATE; no
 * flow is exported after it (it was a use after free; valgrind and ASan
 * see the difference). */
static unsigned closing_calls;
static void close_from_callback(void *user, const pktd_flow *f)
{
    (void)f;
    closing_calls++;
    pktd_flow_table_close(user);
}

START_TEST(test_close_from_callback)
{
    for (int how = 0; how < 3; how++) { /* flush, expire, eviction by update */
        pktd_flow_table *t;
        char err[PKTD_ERRBUF_SIZE];
        ck_assert_int_eq(pktd_flow_table_create(&t, 2, 10, 0, err), 0);
        ck_assert_int_eq(pktd_flow_table_set_export(t, close_from_callback, t), 0);
        struct pkt p = AB;
        ck_assert_int_eq(upd(t, &p, 1, 0, NULL, NULL), 2);
        p.sport = 1;
        ck_assert_int_eq(upd(t, &p, 2, 0, NULL, NULL), 2);
        closing_calls = 0;
        if (how == 0) {
            ck_assert_int_eq(pktd_flow_table_flush(t), PKTD_E_BAD_STATE);
        } else if (how == 1) {
            ck_assert_int_eq(pktd_flow_table_expire(t, 100), PKTD_E_BAD_STATE);
        } else {
            p.sport = 2; /* a third flow in a table of two: an eviction */
            ck_assert_int_eq(upd(t, &p, 3, 0, NULL, NULL), PKTD_E_BAD_STATE);
        }
        ck_assert_uint_eq(closing_calls, 1); /* the second flow was not exported */
    }
}
END_TEST

START_TEST(test_arguments)
{
    pktd_flow_table *t = (pktd_flow_table *)1;
    char err[PKTD_ERRBUF_SIZE] = "";
    ck_assert_int_eq(pktd_flow_table_create(&t, 0, 0, 0, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err, "pktd_flow_table_create: capacity 0 is not in 1 ... 16777216");
    ck_assert_int_eq(pktd_flow_table_create(&t, (1u << 24) + 1, 0, 0, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_create(NULL, 1, 0, 0, err), PKTD_E_INVALID_ARGUMENT);
    pktd_packet p;
    memset(&p, 0, sizeof p);
    ck_assert_int_eq(pktd_flow_table_update(NULL, &p, 0, 0, 0, NULL, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_expire(NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_flush(NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_set_export(NULL, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_stats(NULL, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(pktd_flow_table_get(NULL, 0));
    ck_assert_uint_eq(pktd_flow_table_capacity(NULL), 0);
    ck_assert_uint_eq(pktd_flow_table_count(NULL), 0);
    ck_assert_str_eq(pktd_flow_table_errmsg(NULL), "");
    pktd_flow_table_close(NULL);
    ck_assert_uint_eq(pktd_flow_packets(NULL, 0), 0);
    ck_assert_ptr_null(pktd_flow_ipv6_src(NULL));
    ck_assert_str_eq(pktd_flow_end_name(PKTD_FLOW_END_EVICTED), "evicted");
    ck_assert_str_eq(pktd_flow_end_name(PKTD_FLOW_END_COUNT), "unknown");

    t = table(3, 0, 0, NULL);
    ck_assert_uint_eq(pktd_flow_table_capacity(t), 3);
    ck_assert_int_eq(pktd_flow_table_update(t, NULL, 0, 0, 0, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_stats(t, NULL, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_flow_table_stats(t, NULL, 0), PKTD_FLOW_STAT_COUNT);
    uint64_t s[PKTD_FLOW_STAT_COUNT + 2];
    memset(s, 0xff, sizeof s);
    ck_assert_int_eq(pktd_flow_table_stats(t, s, PKTD_FLOW_STAT_COUNT + 2), PKTD_FLOW_STAT_COUNT);
    ck_assert_uint_eq(s[PKTD_FLOW_STAT_COUNT + 1], 0);
    ck_assert_ptr_null(pktd_flow_table_get(t, 0));
    ck_assert_ptr_null(pktd_flow_table_get(t, 3));
    pktd_flow_table_close(t);
}
END_TEST

static Suite *flow_suite(void)
{
    Suite *s = suite_create("flow");
    TCase *tc = tcase_create("table");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_both_directions);
    tcase_add_test(tc, test_src_is_first_sender);
    tcase_add_test(tc, test_vlan_separation);
    tcase_add_test(tc, test_zone_separation);
    tcase_add_test(tc, test_idle_timeout);
    tcase_add_test(tc, test_active_timeout);
    tcase_add_test(tc, test_eviction);
    tcase_add_test(tc, test_flood_past_capacity);
    tcase_add_test(tc, test_fin_and_rst);
    tcase_add_test(tc, test_ipv6_and_icmpv6);
    tcase_add_test(tc, test_icmp);
    tcase_add_test(tc, test_not_keyed);
    tcase_add_test(tc, test_tables_hash_apart);
    tcase_add_test(tc, test_crafted_collisions_need_the_key);
    tcase_add_test(tc, test_reentry_refused);
    tcase_add_test(tc, test_close_from_callback);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(flow_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
