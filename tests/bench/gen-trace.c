/* pktd-bench-gen: write a synthetic but realistic Ethernet capture (classic
 * pcap) for the decode benchmarks.  Deterministic: the same options and seed
 * always give the same bytes, so figures from different runs and machines
 * describe the same workload.
 *
 *   pktd-bench-gen [-n COUNT] [-m realistic|plain|options|ipv6|reasm] [-s SEED]
 *                  [-S SNAPLEN] -o FILE
 *
 * The traffic is modelled, not sampled: up to 32 interleaved TCP
 * connections (handshake, bulk or request/response data, SACK episodes
 * after a simulated loss, FIN or RST), next to DNS, QUIC-sized UDP, NTP,
 * fragmented UDP datagrams, ICMP echo and unreachables, and ARP.  Each
 * connection is untagged, 802.1Q-tagged or QinQ (802.1ad outer tag).  Every
 * checksum is correct and frames below 60 bytes carry Ethernet padding, as
 * a capture from a switch mirror port would.
 *
 * Mixes:
 *   realistic  Linux-like (TS + SACK, 70% of connections) and Windows-like
 *              (no TS) TCP, 20% of flows tagged, ~1% IPv4 options, ~1%
 *              fragments, ARP and ICMP: the default.
 *   plain      only Ethernet + IPv4 (no options) + TCP without options or
 *              UDP: the branch-light common path.
 *   options    everything as heavy as it gets: QinQ on every frame, 40 bytes
 *              of IPv4 options on every IPv4 packet, 40 bytes of TCP options
 *              (TS + 3 SACK blocks) on every TCP segment.
 *   ipv6       realistic, over IPv6 (release 1.1): the same flows, tags and
 *              weights; ~1% of packets with a hop-by-hop header (Router
 *              Alert) where IPv4 had options, fragment headers where it
 *              fragmented, ICMPv6 echo and port unreachable for ICMP, and
 *              Neighbor Solicitation / Advertisement for ARP.
 *   reasm      realistic, plus what reassemblers meet (issue 17, 1.1): ~2.5%
 *              of the bulk server segments delivered after the next one
 *              (two adjacent segments of a connection swapped), ~1.5%
 *              retransmitted at once with the same bytes (a new IPv4
 *              identification), and 30% of the fragmented UDP datagrams
 *              sent over IPv6 with fragment headers instead of as IPv4
 *              fragments.  The other mixes keep their bytes. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FRAME 9018u
#define NFLOWS 32u
#define NCLIENTS 200u
#define NSERVERS 60u

/* ------------------------------------------------------------------ PRNG --
 * splitmix64: tiny, fast, fully determined by the seed. */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint32_t rnd_range(uint32_t lo, uint32_t hi)
{
    return lo + (uint32_t)(rnd64() % ((uint64_t)hi - lo + 1));
}

/* True with probability pct/1000. */
static int chance(uint32_t permille)
{
    return rnd64() % 1000 < permille;
}

static void rnd_fill(uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint64_t v = rnd64();
        memcpy(p, &v, 8);
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        uint64_t v = rnd64();
        memcpy(p, &v, n);
    }
}

/* ---------------------------------------------------------- byte helpers -- */
static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* One's-complement sum of big-endian 16-bit words (odd tail padded). */
static uint32_t sum16(const uint8_t *p, size_t n, uint32_t acc)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static uint16_t fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffffu) + (acc >> 16);
    return (uint16_t)~acc;
}

/* ------------------------------------------------------------ the model -- */
struct host {
    uint8_t mac[6];
    uint32_t ip;
    uint8_t ip6[16]; /* 2001:db8: + ip + a random interface id (ipv6 mix) */
    uint8_t ttl;    /* initial TTL of its OS, minus the hops to the tap */
    uint16_t ip_id; /* next IPv4 identification */
};

enum vlan_kind { VLAN_NONE, VLAN_ONE, VLAN_QINQ };

struct link {
    enum vlan_kind vlan;
    uint16_t vid_outer, vid_inner;
};

enum tcp_state { T_SYN, T_SYNACK, T_ACK, T_DATA, T_FIN1, T_FIN2, T_LASTACK, T_DONE };

struct flow {
    struct host *cli, *srv;
    struct link link;
    uint16_t sport, dport;
    uint32_t cseq, sseq;     /* next sequence number of each side */
    uint32_t cts, sts;       /* TSval clocks */
    enum tcp_state state;
    int ts;                  /* timestamps negotiated */
    int sack;                /* SACK permitted */
    int bulk;                /* bulk download, else request/response */
    uint32_t left;           /* data segments still to send */
    uint32_t unacked;        /* server segments since the last client ACK */
    uint32_t sack_left;      /* ACKs still to carry SACK blocks */
    uint32_t sack_blocks;    /* blocks they carry */
    int turn;                /* request/response: 0 client, 1 server */
    int rst;                 /* ends with a reset */
};

struct mix {
    const char *name;
    uint32_t vlan1_pm, qinq_pm;  /* per flow, per mille */
    uint32_t ts_pm;              /* TCP flows with timestamps + SACK */
    uint32_t ipopt_pm;           /* IPv4 packets with options */
    int max_tcp_opts;            /* 40 option bytes on every segment */
    int no_tcp_opts;             /* no TCP options at all */
    uint32_t w_tcp, w_dns, w_quic, w_small, w_frag, w_ping, w_unreach, w_arp;
    int ipv6;                    /* IPv6 instead of IPv4 */
    /* reasm mix only (0 elsewhere, and then no random draw is made, so
     * the other mixes keep their bytes): per mille of bulk server data
     * segments */
    uint32_t reorder_pm;         /* delivered after the next one */
    uint32_t retrans_pm;         /* sent twice */
    uint32_t frag6_pm;           /* fragmented datagrams sent over IPv6 */
};

static const struct mix mixes[] = {
    {"realistic", 160, 40, 700, 10, 0, 0, 820, 50, 60, 10, 6, 15, 3, 15, 0, 0, 0, 0},
    {"plain", 0, 0, 0, 0, 0, 1, 850, 50, 90, 10, 0, 0, 0, 0, 0, 0, 0, 0},
    {"options", 0, 1000, 1000, 1000, 1, 0, 820, 50, 60, 10, 6, 15, 3, 15, 0, 0, 0, 0},
    {"ipv6", 160, 40, 700, 10, 0, 0, 820, 50, 60, 10, 6, 15, 3, 15, 1, 0, 0, 0},
    {"reasm", 160, 40, 700, 10, 0, 0, 820, 50, 60, 10, 6, 15, 3, 15, 0, 25, 15, 300},
};

/* The reasm mix's IPv6 datagrams: the mix is switched to this one while
 * they are written (everything that reads mix->ipv6 follows). */
static const struct mix reasm_over_ipv6 = {
    "reasm-ipv6", 160, 40, 700, 10, 0, 0, 820, 50, 60, 10, 6, 15, 3, 15, 1, 0, 0, 0};

static const struct mix *mix;
static struct host clients[NCLIENTS], servers[NSERVERS], gateway;
static struct flow flows[NFLOWS];

/* Output state. */
static FILE *out;
static uint32_t snaplen = 65535;
static uint64_t ts_us = 1700000000ull * 1000000ull;
static uint64_t written, limit;
static int warming; /* connections being advanced to a random point: no output */
static uint8_t frame[MAX_FRAME];
/* reasm mix: emit() keeps the next frame here when hold_next is set, and
 * release_held() writes it later (a segment delivered out of order). */
static uint8_t held[MAX_FRAME];
static size_t held_len;
static int hold_next;

static void host_init(struct host *h, uint32_t ip, int windows, int remote)
{
    rnd_fill(h->mac, 6);
    h->mac[0] = (uint8_t)((h->mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
    h->ip = ip;
    static const uint8_t prefix[4] = {0x20, 0x01, 0x0d, 0xb8};
    memcpy(h->ip6, prefix, 4);
    put32(h->ip6 + 4, ip);
    if (mix->ipv6 || mix->frag6_pm) /* the IPv4 mixes keep their bytes */
        rnd_fill(h->ip6 + 8, 8);
    h->ttl = (uint8_t)((windows ? 128 : 64) - (remote ? rnd_range(5, 20) : 0));
    h->ip_id = (uint16_t)rnd64();
}

static void link_init(struct link *l)
{
    uint32_t r = rnd_range(0, 999);
    l->vlan = r < mix->qinq_pm ? VLAN_QINQ : r < mix->qinq_pm + mix->vlan1_pm ? VLAN_ONE : VLAN_NONE;
    l->vid_outer = (uint16_t)rnd_range(2, 4094);
    l->vid_inner = (uint16_t)rnd_range(2, 4094);
}

/* Write the Ethernet header (and tags); returns its length. */
static size_t put_eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, const struct link *l,
                      uint16_t type)
{
    size_t o = 12;
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    if (l->vlan == VLAN_QINQ) {
        put16(f + o, 0x88a8);
        put16(f + o + 2, (uint32_t)rnd_range(0, 7) << 13 | l->vid_outer);
        o += 4;
    }
    if (l->vlan != VLAN_NONE) {
        put16(f + o, 0x8100);
        put16(f + o + 2, (uint32_t)rnd_range(0, 7) << 13 | l->vid_inner);
        o += 4;
    }
    put16(f + o, type);
    return o + 2;
}

/* IPv4 options: Router Alert (4 bytes, the common case: IGMP, RSVP) or, in
 * the options-heavy mix, Record Route filling the 40 option bytes. */
static size_t ipv4_options(uint8_t *o)
{
    if (!chance(mix->ipopt_pm))
        return 0;
    if (!mix->max_tcp_opts && chance(800)) {
        o[0] = 148; /* Router Alert */
        o[1] = 4;
        o[2] = o[3] = 0;
        return 4;
    }
    o[0] = 1; /* NOP, then Record Route with 9 slots: 1 + 39 = 40 */
    o[1] = 7;
    o[2] = 39;
    o[3] = 4 + 4 * (uint8_t)rnd_range(0, 8);
    rnd_fill(o + 4, 36);
    return 40;
}

/* Write an IPv4 header at @p h; returns its length.  The checksum is final. */
static size_t put_ipv4(uint8_t *h, struct host *src, const struct host *dst, uint8_t proto,
                       size_t payload, uint16_t frag, int df)
{
    size_t ol = ipv4_options(h + 20);
    size_t hl = 20 + ol;
    h[0] = (uint8_t)(0x40 | hl / 4);
    h[1] = chance(100) ? 0xb8 : 0; /* some EF-marked traffic */
    put16(h + 2, (uint32_t)(hl + payload));
    put16(h + 4, src->ip_id++);
    put16(h + 6, (df ? 0x4000u : 0) | frag);
    h[8] = src->ttl;
    h[9] = proto;
    put16(h + 10, 0);
    put32(h + 12, src->ip);
    put32(h + 16, dst->ip);
    put16(h + 10, fold(sum16(h, hl, 0)));
    return hl;
}

/* IPv6 (ipv6 mix): the fixed header, a hop-by-hop header with Router
 * Alert on ~1% of packets (where IPv4 has options), and a fragment header
 * when @p frag (IPv4's MF << 13 | offset / 8) is not 0.  Returns the
 * length of all of it. */
static size_t put_ipv6(uint8_t *h, struct host *src, const struct host *dst, uint8_t proto,
                       size_t payload, uint16_t frag)
{
    size_t hl = 40;
    uint8_t *next = h + 6;
    put32(h, 0x60000000u | (chance(100) ? 0xb8u << 20 : 0) | (src->ip_id * 2654435761u & 0xfffffu));
    h[7] = src->ttl;
    memcpy(h + 8, src->ip6, 16);
    memcpy(h + 24, dst->ip6, 16);
    if (chance(mix->ipopt_pm)) {
        uint8_t *e = h + hl;
        *next = 0;
        next = e;
        e[1] = 0;
        e[2] = 5; /* Router Alert (RFC 2711), then PadN of 2 */
        e[3] = 2;
        e[4] = e[5] = 0;
        e[6] = 1;
        e[7] = 0;
        hl += 8;
    }
    if (frag != 0) {
        uint8_t *e = h + hl;
        *next = 44;
        next = e;
        e[1] = 0;
        put16(e + 2, (uint32_t)(frag & 0x1fffu) << 3 | (frag & 0x2000u ? 1 : 0));
        put32(e + 4, src->ip_id);
        hl += 8;
    }
    *next = proto;
    src->ip_id++;
    put16(h + 4, (uint32_t)(hl - 40 + payload));
    return hl;
}

/* The network header of the mix's IP version; see put_ipv4, put_ipv6. */
static size_t put_ip(uint8_t *h, struct host *src, const struct host *dst, uint8_t proto,
                     size_t payload, uint16_t frag, int df)
{
    if (mix->ipv6)
        return put_ipv6(h, src, dst, proto, payload, frag);
    return put_ipv4(h, src, dst, proto, payload, frag, df);
}

static uint16_t ip_ethertype(void)
{
    return mix->ipv6 ? 0x86dd : 0x0800;
}

/* The pseudo-header sum of the IP header at @p ip (either version). */
static uint32_t pseudo_sum(const uint8_t *ip, uint8_t proto, size_t len)
{
    if ((ip[0] >> 4) == 6)
        return sum16(ip + 8, 32, 0) + proto + (uint32_t)len;
    return sum16(ip + 12, 8, 0) + proto + (uint32_t)len;
}

static void emit(size_t len)
{
    if (warming || written == limit) {
        hold_next = 0;
        return;
    }
    while (len < 60)
        frame[len++] = 0; /* Ethernet minimum frame: padding */
    if (hold_next) {
        memcpy(held, frame, len);
        held_len = len;
        hold_next = 0;
        return;
    }
    uint32_t cap = len < snaplen ? (uint32_t)len : snaplen;
    uint8_t rec[16];
    ts_us += rnd_range(1, 400);
    put32le(rec, (uint32_t)(ts_us / 1000000u));
    put32le(rec + 4, (uint32_t)(ts_us % 1000000u));
    put32le(rec + 8, cap);
    put32le(rec + 12, (uint32_t)len);
    if (fwrite(rec, 1, 16, out) != 16 || fwrite(frame, 1, cap, out) != cap) {
        perror("pktd-bench-gen: write");
        exit(1);
    }
    written++;
}

/* Write the frame emit() held back, if any. */
static void release_held(void)
{
    if (held_len == 0)
        return;
    memcpy(frame, held, held_len);
    size_t len = held_len;
    held_len = 0;
    emit(len);
}

/* ------------------------------------------------------------------- TCP -- */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

static size_t put_ts(uint8_t *o, uint32_t val, uint32_t ecr)
{
    o[0] = 1;
    o[1] = 1;
    o[2] = 8;
    o[3] = 10;
    put32(o + 4, val);
    put32(o + 8, ecr);
    return 12;
}

/* The MSS of a 1500-byte MTU: 20 bytes less over IPv6's 40-byte header. */
static uint32_t mss_base(void)
{
    return mix->ipv6 ? 1440 : 1460;
}

/* The options of one segment; returns their length (a multiple of 4). */
static size_t tcp_options(uint8_t *o, const struct flow *fl, int from_client, uint8_t flags,
                          uint32_t sack_blocks, uint32_t ack)
{
    uint32_t val = from_client ? fl->cts : fl->sts;
    uint32_t ecr = from_client ? fl->sts : fl->cts;
    if (mix->no_tcp_opts)
        return 0;
    if (flags & TH_SYN) {
        if (fl->ts) { /* Linux: MSS, SACK-permitted, TS, NOP, WS = 20 */
            o[0] = 2, o[1] = 4;
            put16(o + 2, mss_base());
            o[4] = 4, o[5] = 2;
            o[6] = 8, o[7] = 10;
            put32(o + 8, val);
            put32(o + 12, (flags & TH_ACK) ? ecr : 0);
            o[16] = 1;
            o[17] = 3, o[18] = 3, o[19] = 7;
            return 20;
        }
        /* Windows: MSS, NOP, WS, NOP, NOP, SACK-permitted = 12 */
        o[0] = 2, o[1] = 4;
        put16(o + 2, mss_base());
        o[4] = 1;
        o[5] = 3, o[6] = 3, o[7] = 8;
        o[8] = 1, o[9] = 1;
        o[10] = 4, o[11] = 2;
        return 12;
    }
    size_t n = 0;
    if (fl->ts)
        n = put_ts(o, val, ecr);
    if (sack_blocks > 0) {
        o[n] = 1;
        o[n + 1] = 1;
        o[n + 2] = 5;
        o[n + 3] = (uint8_t)(2 + 8 * sack_blocks);
        n += 4;
        uint32_t edge = ack + 1448 * rnd_range(1, 4);
        for (uint32_t i = 0; i < sack_blocks; i++) {
            put32(o + n, edge);
            put32(o + n + 4, edge + 1448 * rnd_range(1, 3));
            edge += 1448 * rnd_range(5, 9);
            n += 8;
        }
    }
    return n;
}

static void tcp_segment(struct flow *fl, int from_client, uint8_t flags, size_t payload,
                        uint32_t sack_blocks)
{
    struct host *src = from_client ? fl->cli : fl->srv;
    struct host *dst = from_client ? fl->srv : fl->cli;
    uint32_t *seq = from_client ? &fl->cseq : &fl->sseq;
    uint32_t ack = from_client ? fl->sseq : fl->cseq;
    uint8_t opts[40];
    size_t ol = tcp_options(opts, fl, from_client, flags, sack_blocks, ack);
    size_t l2 = put_eth(frame, from_client ? gateway.mac : dst->mac,
                        from_client ? src->mac : gateway.mac, &fl->link, ip_ethertype());
    size_t tl = 20 + ol;
    uint8_t *ip = frame + l2;
    size_t hl = put_ip(ip, src, dst, 6, tl + payload, 0, 1);
    uint8_t *t = ip + hl;
    put16(t, from_client ? fl->sport : fl->dport);
    put16(t + 2, from_client ? fl->dport : fl->sport);
    put32(t + 4, *seq);
    put32(t + 8, (flags & TH_ACK) ? ack : 0);
    t[12] = (uint8_t)(tl / 4 << 4);
    t[13] = flags;
    put16(t + 14, (flags & TH_SYN) ? 64240 : rnd_range(500, 65535));
    put16(t + 16, 0);
    put16(t + 18, 0);
    memcpy(t + 20, opts, ol);
    rnd_fill(t + tl, payload);
    put16(t + 16, fold(sum16(t, tl + payload, pseudo_sum(ip, 6, tl + payload))));
    *seq += (uint32_t)payload + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
    if (from_client)
        fl->cts += rnd_range(0, 3);
    else
        fl->sts += rnd_range(0, 3);
    size_t len = l2 + hl + tl + payload;
    int held_back = hold_next; /* not retransmitted before it is sent */
    emit(len);
    if (payload > 0 && mix->retrans_pm && !held_back && !mix->ipv6 && chance(mix->retrans_pm)) {
        /* The same segment again (reasm mix, IPv4): same bytes, the next
         * IPv4 identification, as a sender's retransmission would be. */
        put16(ip + 4, src->ip_id++);
        put16(ip + 10, 0);
        put16(ip + 10, fold(sum16(ip, hl, 0)));
        emit(len);
    }
}

static const uint16_t server_ports[] = {443, 443, 443, 443, 443, 443, 443, 443, 443, 443,
                                        443, 443, 80,  80,  80,  22,  3306, 8080, 25, 993};

static void flow_new(struct flow *fl)
{
    memset(fl, 0, sizeof *fl);
    fl->cli = &clients[rnd_range(0, NCLIENTS - 1)];
    fl->srv = &servers[rnd_range(0, NSERVERS - 1)];
    link_init(&fl->link);
    fl->sport = (uint16_t)rnd_range(32768, 60999);
    fl->dport = server_ports[rnd_range(0, sizeof server_ports / sizeof server_ports[0] - 1)];
    fl->cseq = (uint32_t)rnd64();
    fl->sseq = (uint32_t)rnd64();
    fl->cts = (uint32_t)rnd64();
    fl->sts = (uint32_t)rnd64();
    fl->ts = chance(mix->ts_pm);
    fl->sack = !mix->no_tcp_opts;
    fl->bulk = chance(300);
    fl->left = fl->bulk ? rnd_range(20, 400) : rnd_range(2, 20);
    fl->rst = chance(50);
    fl->state = T_SYN;
}

/* SACK blocks a client ACK carries: after a loss, 1-3 blocks for a few ACKs;
 * in the options-heavy mix always 3 (with TS that fills the 40 bytes). */
static uint32_t client_sack(struct flow *fl)
{
    if (mix->max_tcp_opts)
        return 3;
    if (!fl->sack)
        return 0;
    if (fl->sack_left == 0 && chance(20)) {
        fl->sack_left = rnd_range(1, 4);
        fl->sack_blocks = rnd_range(1, fl->ts ? 3 : 4);
    }
    if (fl->sack_left == 0)
        return 0;
    fl->sack_left--;
    return fl->sack_blocks;
}

static void flow_step(struct flow *fl)
{
    uint32_t heavy = mix->max_tcp_opts ? 3 : 0; /* options mix: SACK on every segment */
    switch (fl->state) {
    case T_SYN:
        tcp_segment(fl, 1, TH_SYN, 0, 0);
        fl->state = T_SYNACK;
        break;
    case T_SYNACK:
        tcp_segment(fl, 0, TH_SYN | TH_ACK, 0, 0);
        fl->state = T_ACK;
        break;
    case T_ACK:
        tcp_segment(fl, 1, TH_ACK, 0, heavy);
        fl->state = T_DATA;
        break;
    case T_DATA:
        if (fl->bulk) {
            /* The server streams full segments; the client ACKs every
             * second one (delayed ACK). */
            if (fl->unacked >= 2) {
                tcp_segment(fl, 1, TH_ACK, 0, client_sack(fl));
                fl->unacked = 0;
            } else if (fl->left >= 3 && mix->reorder_pm && chance(mix->reorder_pm)) {
                /* reasm mix: this segment reaches the tap after the next. */
                size_t mss = mss_base() - (fl->ts ? 12 : 0);
                hold_next = 1;
                tcp_segment(fl, 0, TH_ACK, mss, heavy);
                tcp_segment(fl, 0, TH_ACK, mss, heavy);
                release_held();
                fl->unacked += 2;
                fl->left -= 2;
            } else {
                size_t mss = mss_base() - (fl->ts ? 12 : 0);
                tcp_segment(fl, 0, fl->left == 1 ? TH_PSH | TH_ACK : TH_ACK, mss, heavy);
                fl->unacked++;
                fl->left--;
            }
        } else if (fl->turn == 0) {
            tcp_segment(fl, 1, TH_PSH | TH_ACK, rnd_range(60, 800), heavy);
            fl->turn = 1;
        } else if (fl->turn == 1) {
            tcp_segment(fl, 0, TH_PSH | TH_ACK, rnd_range(100, mss_base() - 12), heavy);
            fl->turn = 2;
            fl->left--;
        } else {
            tcp_segment(fl, 1, TH_ACK, 0, client_sack(fl));
            fl->turn = 0;
        }
        if (fl->left == 0)
            fl->state = T_FIN1;
        break;
    case T_FIN1:
        if (fl->rst) {
            tcp_segment(fl, 0, TH_RST | TH_ACK, 0, 0);
            fl->state = T_DONE;
        } else {
            tcp_segment(fl, 1, TH_FIN | TH_ACK, 0, heavy);
            fl->state = T_FIN2;
        }
        break;
    case T_FIN2:
        tcp_segment(fl, 0, TH_FIN | TH_ACK, 0, heavy);
        fl->state = T_LASTACK;
        break;
    case T_LASTACK:
        tcp_segment(fl, 1, TH_ACK, 0, heavy);
        fl->state = T_DONE;
        break;
    case T_DONE:
        break;
    }
    if (fl->state == T_DONE)
        flow_new(fl);
}

/* ------------------------------------------------------------- UDP, ICMP -- */
static void udp_datagram(struct host *src, struct host *dst, const struct link *l, int from_gw,
                         uint16_t sport, uint16_t dport, size_t payload)
{
    size_t l2 = put_eth(frame, from_gw ? dst->mac : gateway.mac, from_gw ? gateway.mac : src->mac,
                        l, ip_ethertype());
    uint8_t *ip = frame + l2;
    size_t hl = put_ip(ip, src, dst, 17, 8 + payload, 0, 0);
    uint8_t *u = ip + hl;
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint32_t)(8 + payload));
    put16(u + 6, 0);
    rnd_fill(u + 8, payload);
    uint16_t c = fold(sum16(u, 8 + payload, pseudo_sum(ip, 17, 8 + payload)));
    put16(u + 6, c == 0 ? 0xffff : c);
    emit(l2 + hl + 8 + payload);
}

/* A UDP datagram too big for the MTU, sent as IPv4 fragments: the first
 * (MF, offset 0) carries the UDP header, the others only data. */
static void udp_fragmented(struct host *src, struct host *dst, const struct link *l)
{
    static uint8_t dgram[8 + 8000];
    size_t payload = rnd_range(2000, 8000);
    size_t total = 8 + payload;
    uint8_t ph[40]; /* the addresses where pseudo_sum() reads them */
    put16(dgram, rnd_range(1024, 65535));
    put16(dgram + 2, 4500); /* IPsec NAT-T, a common fragmenter */
    put16(dgram + 4, (uint32_t)total);
    put16(dgram + 6, 0);
    rnd_fill(dgram + 8, payload);
    if (mix->ipv6) {
        ph[0] = 0x60;
        memcpy(ph + 8, src->ip6, 16);
        memcpy(ph + 24, dst->ip6, 16);
    } else {
        ph[0] = 0x45;
        put32(ph + 12, src->ip);
        put32(ph + 16, dst->ip);
    }
    put16(dgram + 6, fold(sum16(dgram, total, pseudo_sum(ph, 17, total))));
    uint16_t id = src->ip_id;
    for (size_t off = 0; off < total;) {
        size_t l2 = put_eth(frame, gateway.mac, src->mac, l, ip_ethertype());
        uint8_t *ip = frame + l2;
        /* IPv6: 1500 - 40 - 8 bytes of fragment header, a multiple of 8. */
        size_t room = mix->ipv6 ? 1448 : 1480 - (mix->max_tcp_opts ? 40 : 0);
        size_t n = total - off > room ? room : total - off;
        int more = off + n < total;
        src->ip_id = id; /* every fragment keeps the datagram's id */
        size_t hl = put_ip(ip, src, dst, 17, n, (uint16_t)((more ? 0x2000u : 0) | off / 8), 0);
        memcpy(ip + hl, dgram + off, n);
        emit(l2 + hl + n);
        off += n;
    }
}

static void icmp_message(struct host *src, struct host *dst, const struct link *l, int from_gw,
                         uint8_t type, uint8_t code, uint32_t rest, const uint8_t *body,
                         size_t blen)
{
    size_t l2 = put_eth(frame, from_gw ? dst->mac : gateway.mac, from_gw ? gateway.mac : src->mac,
                        l, ip_ethertype());
    uint8_t *ip = frame + l2;
    /* ICMPv6 (RFC 4443): echo 128/129, port unreachable 1/4; its checksum
     * covers the pseudo-header. */
    uint8_t proto = mix->ipv6 ? 58 : 1;
    if (mix->ipv6) {
        type = type == 8 ? 128 : type == 0 ? 129 : type == 3 ? 1 : type;
        code = type == 1 && code == 3 ? 4 : code;
    }
    size_t hl = put_ip(ip, src, dst, proto, 8 + blen, 0, 0);
    uint8_t *c = ip + hl;
    c[0] = type;
    c[1] = code;
    put16(c + 2, 0);
    put32(c + 4, rest);
    memcpy(c + 8, body, blen);
    put16(c + 2, fold(sum16(c, 8 + blen, mix->ipv6 ? pseudo_sum(ip, 58, 8 + blen) : 0)));
    emit(l2 + hl + 8 + blen);
}

static void ping(void)
{
    struct host *a = &clients[rnd_range(0, NCLIENTS - 1)];
    struct host *b = &servers[rnd_range(0, NSERVERS - 1)];
    struct link l;
    uint8_t body[56];
    link_init(&l);
    rnd_fill(body, sizeof body);
    uint32_t idseq = (uint32_t)rnd_range(1, 65535) << 16 | rnd_range(1, 65535);
    icmp_message(a, b, &l, 0, 8, 0, idseq, body, sizeof body);
    icmp_message(b, a, &l, 1, 0, 0, idseq, body, sizeof body);
}

/* Port unreachable quoting the offending IPv4 header and 8 UDP bytes. */
static void unreachable(void)
{
    struct host *a = &clients[rnd_range(0, NCLIENTS - 1)];
    struct host *b = &servers[rnd_range(0, NSERVERS - 1)];
    struct link l = {VLAN_NONE, 0, 0};
    uint8_t quote[48];
    if (mix->ipv6) {
        /* The offending IPv6 header and 8 UDP bytes. */
        memset(quote, 0, sizeof quote);
        quote[0] = 0x60;
        put16(quote + 4, 32);
        quote[6] = 17;
        quote[7] = 64;
        memcpy(quote + 8, a->ip6, 16);
        memcpy(quote + 24, b->ip6, 16);
        put16(quote + 40, rnd_range(32768, 60999));
        put16(quote + 42, rnd_range(1, 1023));
        put16(quote + 44, 32);
        icmp_message(b, a, &l, 1, 3, 3, 0, quote, sizeof quote);
        return;
    }
    size_t hl = 20;
    memset(quote, 0, sizeof quote);
    quote[0] = 0x45;
    put16(quote + 2, 60);
    quote[8] = 64;
    quote[9] = 17;
    put32(quote + 12, a->ip);
    put32(quote + 16, b->ip);
    put16(quote + 10, fold(sum16(quote, hl, 0)));
    put16(quote + hl, rnd_range(32768, 60999));
    put16(quote + hl + 2, rnd_range(1, 1023));
    put16(quote + hl + 4, 40);
    icmp_message(b, a, &l, 1, 3, 3, 0, quote, 28);
}

static void dns(void)
{
    struct host *c = &clients[rnd_range(0, NCLIENTS - 1)];
    struct host *r = &servers[0]; /* the resolver */
    struct link l;
    link_init(&l);
    uint16_t port = (uint16_t)rnd_range(32768, 60999);
    udp_datagram(c, r, &l, 0, port, 53, rnd_range(28, 60));
    udp_datagram(r, c, &l, 1, 53, port, rnd_range(60, 400));
}

static void quic(void)
{
    struct host *c = &clients[rnd_range(0, NCLIENTS - 1)];
    struct host *s = &servers[rnd_range(1, NSERVERS - 1)];
    struct link l;
    link_init(&l);
    if (chance(500))
        udp_datagram(s, c, &l, 1, 443, (uint16_t)rnd_range(32768, 60999), rnd_range(1200, 1350));
    else
        udp_datagram(c, s, &l, 0, (uint16_t)rnd_range(32768, 60999), 443, rnd_range(30, 1250));
}

static void small_udp(void)
{
    static const uint16_t ports[] = {123, 514, 161, 5353};
    struct host *c = &clients[rnd_range(0, NCLIENTS - 1)];
    struct host *s = &servers[rnd_range(1, NSERVERS - 1)];
    struct link l;
    link_init(&l);
    uint16_t p = ports[rnd_range(0, 3)];
    udp_datagram(c, s, &l, 0, p, p, p == 123 ? 48 : rnd_range(40, 300));
}

static void fragments(void)
{
    struct link l;
    link_init(&l);
    const struct mix *saved = mix;
    if (mix->frag6_pm && chance(mix->frag6_pm))
        mix = &reasm_over_ipv6; /* reasm mix: IPv6 fragment headers */
    udp_fragmented(&clients[rnd_range(0, NCLIENTS - 1)], &servers[rnd_range(1, NSERVERS - 1)], &l);
    mix = saved;
}

/* ------------------------------------------------------------------- ARP -- */
/* IPv6's ARP (RFC 4861): a Neighbor Solicitation to the solicited-node
 * multicast address with the source link-layer address option, and the
 * Advertisement with the target's, hop limit 255. */
static void nd_pair(struct host *a, const struct link *l)
{
    for (int adv = 0; adv < 2; adv++) {
        uint8_t dmac[6] = {0x33, 0x33, 0xff, gateway.ip6[13], gateway.ip6[14], gateway.ip6[15]};
        size_t o = put_eth(frame, adv ? a->mac : dmac, adv ? gateway.mac : a->mac, l, 0x86dd);
        uint8_t *ip = frame + o;
        struct host *src = adv ? &gateway : a;
        uint8_t ttl = src->ttl;
        src->ttl = 255;
        size_t hl = put_ipv6(ip, src, adv ? a : &gateway, 58, 32, 0);
        src->ttl = ttl;
        if (!adv) { /* ff02::1:ffXX:XXXX */
            static const uint8_t sn[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
            memcpy(ip + 24, sn, 13);
            memcpy(ip + 37, gateway.ip6 + 13, 3);
        }
        uint8_t *c = ip + hl;
        c[0] = adv ? 136 : 135;
        c[1] = 0;
        put16(c + 2, 0);
        put32(c + 4, adv ? 0x60000000u : 0); /* Solicited, Override */
        memcpy(c + 8, gateway.ip6, 16);
        c[24] = adv ? 2 : 1; /* target / source link-layer address */
        c[25] = 1;
        memcpy(c + 26, adv ? gateway.mac : a->mac, 6);
        put16(c + 2, fold(sum16(c, 32, pseudo_sum(ip, 58, 32))));
        emit(o + hl + 32);
    }
}

static void arp_pair(void)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    struct host *a = &clients[rnd_range(0, NCLIENTS - 1)];
    struct link l;
    link_init(&l);
    if (mix->ipv6) {
        nd_pair(a, &l);
        return;
    }
    for (int reply = 0; reply < 2; reply++) {
        size_t o = put_eth(frame, reply ? a->mac : bcast, reply ? gateway.mac : a->mac, &l, 0x0806);
        uint8_t *p = frame + o;
        put16(p, 1);
        put16(p + 2, 0x0800);
        p[4] = 6;
        p[5] = 4;
        put16(p + 6, reply ? 2 : 1);
        memcpy(p + 8, reply ? gateway.mac : a->mac, 6);
        put32(p + 14, reply ? gateway.ip : a->ip);
        if (reply)
            memcpy(p + 18, a->mac, 6);
        else
            memset(p + 18, 0, 6);
        put32(p + 24, reply ? a->ip : gateway.ip);
        emit(o + 28);
    }
}

/* ------------------------------------------------------------------ main -- */
static void usage(FILE *f)
{
    fprintf(f, "usage: pktd-bench-gen [-n COUNT] [-m realistic|plain|options|ipv6|reasm]\n"
               "                      [-s SEED] [-S SNAPLEN] -o FILE\n");
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno != 0 || end == s || *end != '\0' || s[0] == '-' ? -1 : 0;
}

int main(int argc, char **argv)
{
    uint64_t count = 100000, seed = 1, snap = 65535;
    const char *path = NULL, *mix_name = "realistic";
    int c;
    while ((c = getopt(argc, argv, "n:m:s:S:o:h")) != -1) {
        switch (c) {
        case 'n':
            if (parse_u64(optarg, &count) != 0)
                goto bad;
            break;
        case 'm':
            mix_name = optarg;
            break;
        case 's':
            if (parse_u64(optarg, &seed) != 0)
                goto bad;
            break;
        case 'S':
            if (parse_u64(optarg, &snap) != 0 || snap < 60 || snap > 65535)
                goto bad;
            break;
        case 'o':
            path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            goto bad;
        }
    }
    if (path == NULL || optind != argc)
        goto bad;
    for (size_t i = 0; i < sizeof mixes / sizeof mixes[0]; i++)
        if (strcmp(mixes[i].name, mix_name) == 0)
            mix = &mixes[i];
    if (mix == NULL)
        goto bad;

    rng_state = seed;
    snaplen = (uint32_t)snap;
    limit = count;
    out = fopen(path, "wb");
    if (out == NULL) {
        fprintf(stderr, "pktd-bench-gen: %s: %s\n", path, strerror(errno));
        return 1;
    }
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    uint8_t gh[24];
    put32le(gh, 0xa1b2c3d4u);
    gh[4] = 2, gh[5] = 0, gh[6] = 4, gh[7] = 0;
    memset(gh + 8, 0, 8);
    put32le(gh + 16, snaplen);
    put32le(gh + 20, 1); /* LINKTYPE_ETHERNET */
    if (fwrite(gh, 1, sizeof gh, out) != sizeof gh)
        goto werr;

    for (uint32_t i = 0; i < NCLIENTS; i++)
        host_init(&clients[i], 0x0a000000u | (i / 250 + 1) << 8 | (i % 250 + 2), chance(300), 0);
    for (uint32_t i = 0; i < NSERVERS; i++)
        host_init(&servers[i], (uint32_t)rnd64() | 0x01000000u, 0, 1);
    host_init(&gateway, 0x0a000001u, 0, 0);
    /* Start the connections at different points of their life. */
    warming = 1;
    for (uint32_t i = 0; i < NFLOWS; i++) {
        flow_new(&flows[i]);
        for (uint32_t k = rnd_range(0, 30); k > 0; k--)
            flow_step(&flows[i]);
    }
    warming = 0;

    const struct mix *m = mix;
    uint32_t total = m->w_tcp + m->w_dns + m->w_quic + m->w_small + m->w_frag + m->w_ping +
                     m->w_unreach + m->w_arp;
    while (written < limit) {
        uint32_t r = rnd_range(0, total - 1);
        if (r < m->w_tcp) {
            flow_step(&flows[rnd_range(0, NFLOWS - 1)]);
            continue;
        }
        r -= m->w_tcp;
        if (r < m->w_dns) {
            dns();
            continue;
        }
        r -= m->w_dns;
        if (r < m->w_quic) {
            quic();
            continue;
        }
        r -= m->w_quic;
        if (r < m->w_small) {
            small_udp();
            continue;
        }
        r -= m->w_small;
        if (r < m->w_frag) {
            fragments();
            continue;
        }
        r -= m->w_frag;
        if (r < m->w_ping) {
            ping();
            continue;
        }
        r -= m->w_ping;
        if (r < m->w_unreach) {
            unreachable();
            continue;
        }
        arp_pair();
    }
    if (fclose(out) != 0) {
        out = NULL;
        goto werr;
    }
    return 0;
werr:
    perror("pktd-bench-gen: write");
    return 1;
bad:
    usage(stderr);
    return 2;
}
