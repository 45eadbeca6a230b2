/* Columnar batches (batch.h): decode many frames into the caller's columns.
 *
 * Only the selected fields are computed.  The "plain" ones (a fixed
 * offset in the IPv4, TCP, UDP or ICMP header: the whole 5-tuple) are read
 * from a per-row copy of those headers at an offset chosen at create time,
 * by one loop per column over chunks of rows; the others by field_value(),
 * whose every case reads the field exactly as fill() in fields.c does
 * (tests/check_batch compares the two for every field on every frame of
 * the tcpdump corpus).  When every selected field is plain, the common
 * Ethernet frame is not decoded at all: the extractor of batch_fast.h
 * checks it and the columns are written from its two header addresses
 * (fast_row(); the other frames are decoded in full, slow_row()).
 * doc/design.md, "Columnar batches (1.1)"; doc/performance.md §11. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/batch.h>

#include "batch_fast.h"
#include "errmsg.h"
#include "packet_impl.h"
#include "proto.h"
#include "reader_int.h"

/* A "plain" field: an integer of 1, 2 or 4 bytes at a fixed offset in the
 * IPv4, TCP, UDP or ICMP header, present as fields.c decides (see
 * PLAIN_*), optionally shifted and masked.  The IPv4,
 * TCP (without options), UDP and ICMP header fields are all of this shape,
 * so a batch reads them with the same few branch-free instructions each
 * (an absent layer reads from a block of zeros), without the indirect jump
 * per field and row that a switch costs.  Index: #pktd_field; size 0: not
 * plain (computed by field_value()). */
struct plain {
    uint8_t hdr; /* PLAIN_*: the header, with the presence rule of its fields */
    uint8_t off;
    uint8_t size;
    uint8_t shift;
    uint32_t bits; /* mask after the shift */
};
/* The headers of plain fields, as fields.c decides their presence: IPv4
 * with the IPv4 layer, TCP with TCP, UDP and ICMP only without TCP. */
enum { PLAIN_IPV4, PLAIN_TCP, PLAIN_UDP, PLAIN_ICMP, PLAIN_N };

#define IP4(off, size) {PLAIN_IPV4, off, size, 0, 0xffffffffu}
#define TCP(off, size) {PLAIN_TCP, off, size, 0, 0xffffffffu}
#define L4(off, size, hdr) {hdr, off, size, 0, 0xffffffffu}
static const struct plain plain_fields[PKTD_FIELD_COUNT_] = {
    [PKTD_FIELD_IPV4_IHL] = {PLAIN_IPV4, 0, 1, 0, 0x0fu},
    [PKTD_FIELD_IPV4_TOS] = IP4(1, 1),
    [PKTD_FIELD_IPV4_TOTAL_LEN] = IP4(2, 2),
    [PKTD_FIELD_IPV4_ID] = IP4(4, 2),
    [PKTD_FIELD_IPV4_FRAG] = IP4(6, 2),
    [PKTD_FIELD_IPV4_TTL] = IP4(8, 1),
    [PKTD_FIELD_IPV4_PROTO] = IP4(9, 1),
    [PKTD_FIELD_IPV4_CHECKSUM] = IP4(10, 2),
    [PKTD_FIELD_IPV4_SRC] = IP4(12, 4),
    [PKTD_FIELD_IPV4_DST] = IP4(16, 4),
    [PKTD_FIELD_TCP_SPORT] = TCP(0, 2),
    [PKTD_FIELD_TCP_DPORT] = TCP(2, 2),
    [PKTD_FIELD_TCP_SEQ] = TCP(4, 4),
    [PKTD_FIELD_TCP_ACK] = TCP(8, 4),
    [PKTD_FIELD_TCP_DOFF] = {PLAIN_TCP, 12, 1, 4, 0x0fu},
    [PKTD_FIELD_TCP_FLAGS] = TCP(13, 1),
    [PKTD_FIELD_TCP_NS] = {PLAIN_TCP, 12, 1, 0, 0x01u},
    [PKTD_FIELD_TCP_WINDOW] = TCP(14, 2),
    [PKTD_FIELD_TCP_CHECKSUM] = TCP(16, 2),
    [PKTD_FIELD_TCP_URGENT] = TCP(18, 2),
    [PKTD_FIELD_UDP_SPORT] = L4(0, 2, PLAIN_UDP),
    [PKTD_FIELD_UDP_DPORT] = L4(2, 2, PLAIN_UDP),
    [PKTD_FIELD_UDP_LEN] = L4(4, 2, PLAIN_UDP),
    [PKTD_FIELD_UDP_CHECKSUM] = L4(6, 2, PLAIN_UDP),
    [PKTD_FIELD_ICMP_TYPE] = L4(0, 1, PLAIN_ICMP),
    [PKTD_FIELD_ICMP_CODE] = L4(1, 1, PLAIN_ICMP),
    [PKTD_FIELD_ICMP_CHECKSUM] = L4(2, 2, PLAIN_ICMP),
    [PKTD_FIELD_ICMP_REST] = L4(4, 4, PLAIN_ICMP),
};
#undef IP4
#undef TCP
#undef L4

/* What an absent header's plain fields read (batch_fast.h). */
#define zeros pktd__batch_zeros

/* One decoded row as the column loops read it: a copy of each plain
 * header (zeros when the header is absent, as fields.c decides) and the
 * per-row values.  Copied rather than pointed to, so that a plain column
 * reads its field at one fixed offset of the row (chosen at create time)
 * with no per-row pointer or layer test, and so that a reader's rows can
 * be gathered in chunks although its record buffer is only valid until the
 * next record. */
struct row {
    uint8_t ip[20];   /* PLAIN_IPV4: the decoder checked 20 bytes are there */
    uint8_t tcp[20];  /* PLAIN_TCP: at least 20 bytes */
    uint8_t udp[8];   /* PLAIN_UDP */
    uint8_t icmp[8];  /* PLAIN_ICMP: the 8 bytes the decoder checked */
    uint64_t ts_ns;   /* PKTD_BATCH_TS_NS */
    uint32_t meta[PKTD_BATCH_COLUMN_COUNT]; /* the other per-row columns, by index */
};
static const uint8_t plain_hdr_off[PLAIN_N] = {
    [PLAIN_IPV4] = offsetof(struct row, ip),
    [PLAIN_TCP] = offsetof(struct row, tcp),
    [PLAIN_UDP] = offsetof(struct row, udp),
    [PLAIN_ICMP] = offsetof(struct row, icmp),
};

/* A selected column: the field, and its plain description copied in (size
 * 0: computed by field_value()) with the field's offset in struct row. */
struct column {
    uint32_t *col;
    uint32_t field;
    uint32_t row_off;
    struct plain plain;
};

/* The extractor (batch_fast.h) serves a batch whose selected fields are
 * all plain (any per-row columns): FAST_TUPLE when they are among the
 * tuple slots below (the 5-tuple and the TCP flags: what a flow table and
 * Python's read_columns() select), each computed by its own statement;
 * FAST_PLAIN for the other plain fields, read through their struct plain.
 * FAST_OFF: some field needs the decoder's state, every row is decoded. */
enum { FAST_OFF, FAST_TUPLE, FAST_PLAIN };
enum { T_SRC, T_DST, T_PROTO, T_TSPORT, T_TDPORT, T_USPORT, T_UDPORT, T_TFLAGS, T_N };
static const uint32_t tuple_field[T_N] = {
    [T_SRC] = PKTD_FIELD_IPV4_SRC,    [T_DST] = PKTD_FIELD_IPV4_DST,
    [T_PROTO] = PKTD_FIELD_IPV4_PROTO, [T_TSPORT] = PKTD_FIELD_TCP_SPORT,
    [T_TDPORT] = PKTD_FIELD_TCP_DPORT, [T_USPORT] = PKTD_FIELD_UDP_SPORT,
    [T_UDPORT] = PKTD_FIELD_UDP_DPORT, [T_TFLAGS] = PKTD_FIELD_TCP_FLAGS,
};
#define T_BIT(t) (1u << (t))
/* The 5-tuple alone, and with the TCP flags: loops of their own. */
#define T_TUPLE5                                                                          \
    (T_BIT(T_SRC) | T_BIT(T_DST) | T_BIT(T_PROTO) | T_BIT(T_TSPORT) | T_BIT(T_TDPORT) |   \
     T_BIT(T_USPORT) | T_BIT(T_UDPORT))
#define T_TUPLE5_FLAGS (T_TUPLE5 | T_BIT(T_TFLAGS))

struct pktd_batch {
    uint32_t fast;  /* FAST_* */
    uint32_t tmask; /* FAST_TUPLE: T_BIT() of each selected slot */
    uint32_t *tcol[T_N]; /* FAST_TUPLE: the slot's column (NULL: not selected) */
    uint32_t capacity;
    uint32_t nfields;
    uint32_t nslow, nplain;
    uint32_t nmeta; /* per-row columns bound */
    void *meta[PKTD_BATCH_COLUMN_COUNT]; /* per-row columns, NULL: not stored */
    uint32_t meta_bound[PKTD_BATCH_COLUMN_COUNT]; /* indexes of the nmeta bound ones */
    uint32_t hdr_used; /* bit PLAIN_*: a plain column reads that header */
    struct column cols[PKTD_FIELD_COUNT_]; /* in the caller's order */
    uint32_t slow[PKTD_FIELD_COUNT_];      /* indexes in cols of the fields field_value() computes */
    uint32_t plain[PKTD_FIELD_COUNT_];     /* ... and of the plain ones */
};

#define HAS(layers, name) (((layers) & PKTD__BIT(PKTD_LAYER_##name)) != 0)

/* Offset of a known TCP option in the TCP header (0: absent). */
static inline uint32_t tcp_opt(const struct pktd__packet *s, uint32_t layers, uint32_t which)
{
    return HAS(layers, TCP) ? s->tcp_opt[which] : 0;
}

/* SACK block i's left (edge 0) or right (edge 1) edge, as fields.c. */
static uint32_t sack_edge(const struct pktd__packet *s, uint32_t layers, uint32_t i, uint32_t edge)
{
    uint32_t off = tcp_opt(s, layers, PKTD__TCPOPT_SACK);
    if (off == 0)
        return 0;
    const uint8_t *blk = pktd__l4(s) + off;
    uint32_t n = (blk[1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN; /* 1 ... 4, checked by the decoder */
    if (i >= n)
        return 0;
    return pktd__be32(blk + 2 + PKTD__TCP_SACK_BLOCK_LEN * i + 4 * edge);
}

static uint32_t tcp_options_bits(const struct pktd__packet *s, uint32_t layers)
{
    if (!HAS(layers, TCP))
        return 0;
    const uint8_t *opt = s->tcp_opt;
    return (opt[PKTD__TCPOPT_MSS] ? PKTD_TCP_HAS_MSS : 0) |
           (opt[PKTD__TCPOPT_WS] ? PKTD_TCP_HAS_WSCALE : 0) |
           (opt[PKTD__TCPOPT_SACK_PERM] ? PKTD_TCP_HAS_SACK_PERM : 0) |
           (opt[PKTD__TCPOPT_TS] ? PKTD_TCP_HAS_TIMESTAMPS : 0) |
           (opt[PKTD__TCPOPT_SACK] ? PKTD_TCP_HAS_SACK : 0);
}

/* ARP: the addresses as fields.c reads them (the decoder checked that all
 * four were captured). */
static uint32_t arp_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    if (!HAS(layers, ARP) || HAS(layers, IPV4))
        return 0;
    const uint8_t *h = pktd__l3(s);
    uint32_t hln = h[4], pln = h[5];
    const uint8_t *sha = h + 8, *spa = sha + hln, *tha = spa + pln, *tpa = tha + hln;
    int ipv4 = pln == PKTD__IPV4_ALEN && pktd__be16(h + 2) == PKTD__ETHERTYPE_IPV4;
    switch (f) {
    case PKTD_FIELD_ARP_HTYPE: return pktd__be16(h);
    case PKTD_FIELD_ARP_PTYPE: return pktd__be16(h + 2);
    case PKTD_FIELD_ARP_HLEN: return hln;
    case PKTD_FIELD_ARP_PLEN: return pln;
    case PKTD_FIELD_ARP_OP: return pktd__be16(h + 6);
    case PKTD_FIELD_ARP_SHA_HI: return hln == 6 ? pktd__be16(sha) : 0;
    case PKTD_FIELD_ARP_SHA_LO: return hln == 6 ? pktd__be32(sha + 2) : 0;
    case PKTD_FIELD_ARP_THA_HI: return hln == 6 ? pktd__be16(tha) : 0;
    case PKTD_FIELD_ARP_THA_LO: return hln == 6 ? pktd__be32(tha + 2) : 0;
    case PKTD_FIELD_ARP_SPA: return ipv4 ? pktd__be32(spa) : 0;
    case PKTD_FIELD_ARP_TPA: return ipv4 ? pktd__be32(tpa) : 0;
    default: return 0;
    }
}

/* Link-layer fields other than the Ethernet ones (VLAN, SLL, SLL2). */
static uint32_t link_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    const uint8_t *d = s->data;
    switch (f) {
    case PKTD_FIELD_VLAN_COUNT: return HAS(layers, VLAN) ? s->vlan_count : 0;
    case PKTD_FIELD_VLAN0_TPID: return HAS(layers, VLAN) ? pktd__be16(d + s->vlan_tpid0) : 0;
    case PKTD_FIELD_VLAN0_TCI: return HAS(layers, VLAN) ? pktd__be16(d + s->vlan_off) : 0;
    case PKTD_FIELD_VLAN1_TPID:
        return HAS(layers, VLAN) && s->vlan_count > 1 ? pktd__be16(d + s->vlan_off + 2) : 0;
    case PKTD_FIELD_VLAN1_TCI:
        return HAS(layers, VLAN) && s->vlan_count > 1 ? pktd__be16(d + s->vlan_off + 4) : 0;
    case PKTD_FIELD_SLL_PKTTYPE:
        return HAS(layers, SLL) ? pktd__be16(d) : HAS(layers, SLL2) ? d[10] : 0;
    case PKTD_FIELD_SLL_HATYPE:
        return HAS(layers, SLL) ? pktd__be16(d + 2) : HAS(layers, SLL2) ? pktd__be16(d + 8) : 0;
    case PKTD_FIELD_SLL2_IFINDEX:
        return !HAS(layers, SLL) && HAS(layers, SLL2) ? pktd__be32(d + 4) : 0;
    default: return 0;
    }
}

/* TCP option fields. */
static uint32_t tcp_opt_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    const uint8_t *h = pktd__l4(s);
    uint32_t off;
    switch (f) {
    case PKTD_FIELD_TCP_OPTIONS: return tcp_options_bits(s, layers);
    case PKTD_FIELD_TCP_MSS:
        off = tcp_opt(s, layers, PKTD__TCPOPT_MSS);
        return off ? pktd__be16(h + off + 2) : 0;
    case PKTD_FIELD_TCP_WSCALE:
        off = tcp_opt(s, layers, PKTD__TCPOPT_WS);
        return off ? h[off + 2] : 0;
    case PKTD_FIELD_TCP_TSVAL:
        off = tcp_opt(s, layers, PKTD__TCPOPT_TS);
        return off ? pktd__be32(h + off + 2) : 0;
    case PKTD_FIELD_TCP_TSECR:
        off = tcp_opt(s, layers, PKTD__TCPOPT_TS);
        return off ? pktd__be32(h + off + 6) : 0;
    case PKTD_FIELD_TCP_SACK_COUNT:
        off = tcp_opt(s, layers, PKTD__TCPOPT_SACK);
        return off ? (h[off + 1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN : 0;
    default:
        if (f >= PKTD_FIELD_TCP_SACK0_LEFT && f <= PKTD_FIELD_TCP_SACK3_RIGHT)
            return sack_edge(s, layers, (f - PKTD_FIELD_TCP_SACK0_LEFT) / 2,
                             (f - PKTD_FIELD_TCP_SACK0_LEFT) % 2);
        return 0;
    }
}

/* One field of a decoded state: the value pktd_packet_fields() stores at
 * index f.  The common fields (the 5-tuple, the layer set, the status) are
 * inline cases; the rarer groups are out-of-line helpers. */
/* IPv6 and ICMPv6 (1.1), read as fields.c's fill_ipv6() reads them. */
static uint32_t ipv6_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    if (f >= PKTD_FIELD_ICMPV6_TYPE) {
        if (!HAS(layers, ICMPV6))
            return 0;
        const uint8_t *l4 = pktd__l4(s);
        switch (f) {
        case PKTD_FIELD_ICMPV6_TYPE: return l4[0];
        case PKTD_FIELD_ICMPV6_CODE: return l4[1];
        case PKTD_FIELD_ICMPV6_CHECKSUM: return pktd__be16(l4 + 2);
        default: return s->l4_hlen >= 8 ? pktd__be32(l4 + 4) : 0;
        }
    }
    if (!HAS(layers, IPV6))
        return 0;
    const uint8_t *h = pktd__l3(s);
    if (f >= PKTD_FIELD_IPV6_SRC0 && f <= PKTD_FIELD_IPV6_SRC3)
        return pktd__be32(h + 8 + 4 * (f - PKTD_FIELD_IPV6_SRC0));
    if (f >= PKTD_FIELD_IPV6_DST0 && f <= PKTD_FIELD_IPV6_DST3)
        return pktd__be32(h + 24 + 4 * (f - PKTD_FIELD_IPV6_DST0));
    switch (f) {
    case PKTD_FIELD_IPV6_TCLASS: return pktd__be16(h) >> 4 & 0xffu;
    case PKTD_FIELD_IPV6_FLOW: return pktd__be32(h) & 0xfffffu;
    case PKTD_FIELD_IPV6_PLEN: return pktd__be16(h + 4);
    case PKTD_FIELD_IPV6_NEXT: return h[6];
    case PKTD_FIELD_IPV6_HLIM: return h[7];
    case PKTD_FIELD_IPV6_UPPER: return pktd__ip6_upper(s);
    case PKTD_FIELD_IPV6_EXT_COUNT: return pktd__ip6_ext_count(s);
    case PKTD_FIELD_IPV6_JUMBO_LEN: return pktd__ip6_jumbo(s);
    case PKTD_FIELD_IPV6_FRAG:
        return pktd__ip6_frag_off(s) != 0
                   ? pktd__be16(s->data + pktd__ip6_frag_off(s) + 2) & 0xfff9u
                   : 0;
    default: /* PKTD_FIELD_IPV6_FRAG_ID */
        return pktd__ip6_frag_off(s) != 0 ? pktd__be32(s->data + pktd__ip6_frag_off(s) + 4) : 0;
    }
}

__attribute__((noinline)) static uint32_t field_value(const struct pktd__packet *s, uint32_t f)
{
    uint32_t layers = s->layers;
    const uint8_t *l3 = pktd__l3(s), *l4 = pktd__l4(s);
    int failed = s->error != 0;
    int ip = HAS(layers, IPV4), tcp = HAS(layers, TCP);
    int udp = !tcp && HAS(layers, UDP), icmp = !tcp && HAS(layers, ICMP);
    switch (f) {
    case PKTD_FIELD_LAYERS: return layers;
    case PKTD_FIELD_FLAGS: return s->flags;
    case PKTD_FIELD_ERROR: return (uint32_t)s->error;
    case PKTD_FIELD_ERROR_LAYER: return failed ? s->error_layer : 0;
    case PKTD_FIELD_ERROR_REASON: return failed ? s->error_reason : 0;
    case PKTD_FIELD_LINKTYPE: return s->linktype;
    case PKTD_FIELD_PAYLOAD_OFF: return layers != 0 || !failed ? s->payload_off : 0;
    case PKTD_FIELD_PAYLOAD_LEN: return layers != 0 || !failed ? s->payload_len : 0;
    case PKTD_FIELD_TUNNEL_TYPE: return s->tun_type;
    case PKTD_FIELD_TUNNEL_ID: return s->tun_type != 0 ? pktd__tunnel_id(s) : 0;
    case PKTD_FIELD_ETH_DST_HI: return HAS(layers, ETH) ? pktd__be16(s->data) : 0;
    case PKTD_FIELD_ETH_DST_LO: return HAS(layers, ETH) ? pktd__be32(s->data + 2) : 0;
    case PKTD_FIELD_ETH_SRC_HI: return HAS(layers, ETH) ? pktd__be16(s->data + 6) : 0;
    case PKTD_FIELD_ETH_SRC_LO: return HAS(layers, ETH) ? pktd__be32(s->data + 8) : 0;
    case PKTD_FIELD_ETH_TYPE:
        return layers & (PKTD__BIT(PKTD_LAYER_ETH) | PKTD__BIT(PKTD_LAYER_SLL) |
                         PKTD__BIT(PKTD_LAYER_SLL2))
                   ? s->eth_type
                   : 0;
    case PKTD_FIELD_IPV4_IHL: return ip ? l3[0] & 0x0fu : 0;
    case PKTD_FIELD_IPV4_TOS: return ip ? l3[1] : 0;
    case PKTD_FIELD_IPV4_TOTAL_LEN: return ip ? pktd__be16(l3 + 2) : 0;
    case PKTD_FIELD_IPV4_ID: return ip ? pktd__be16(l3 + 4) : 0;
    case PKTD_FIELD_IPV4_FRAG: return ip ? pktd__be16(l3 + 6) : 0;
    case PKTD_FIELD_IPV4_TTL: return ip ? l3[8] : 0;
    case PKTD_FIELD_IPV4_PROTO: return ip ? l3[9] : 0;
    case PKTD_FIELD_IPV4_CHECKSUM: return ip ? pktd__be16(l3 + 10) : 0;
    case PKTD_FIELD_IPV4_SRC: return ip ? pktd__be32(l3 + 12) : 0;
    case PKTD_FIELD_IPV4_DST: return ip ? pktd__be32(l3 + 16) : 0;
    case PKTD_FIELD_IPV4_OPTIONS_LEN: return ip ? s->l3_hlen - 20u : 0;
    case PKTD_FIELD_TCP_SPORT: return tcp ? pktd__be16(l4) : 0;
    case PKTD_FIELD_TCP_DPORT: return tcp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_TCP_SEQ: return tcp ? pktd__be32(l4 + 4) : 0;
    case PKTD_FIELD_TCP_ACK: return tcp ? pktd__be32(l4 + 8) : 0;
    case PKTD_FIELD_TCP_DOFF: return tcp ? l4[12] >> 4 : 0;
    case PKTD_FIELD_TCP_FLAGS: return tcp ? l4[13] : 0;
    case PKTD_FIELD_TCP_NS: return tcp ? l4[12] & 0x01u : 0;
    case PKTD_FIELD_TCP_WINDOW: return tcp ? pktd__be16(l4 + 14) : 0;
    case PKTD_FIELD_TCP_CHECKSUM: return tcp ? pktd__be16(l4 + 16) : 0;
    case PKTD_FIELD_TCP_URGENT: return tcp ? pktd__be16(l4 + 18) : 0;
    case PKTD_FIELD_UDP_SPORT: return udp ? pktd__be16(l4) : 0;
    case PKTD_FIELD_UDP_DPORT: return udp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_UDP_LEN: return udp ? pktd__be16(l4 + 4) : 0;
    case PKTD_FIELD_UDP_CHECKSUM: return udp ? pktd__be16(l4 + 6) : 0;
    case PKTD_FIELD_ICMP_TYPE: return icmp ? l4[0] : 0;
    case PKTD_FIELD_ICMP_CODE: return icmp ? l4[1] : 0;
    case PKTD_FIELD_ICMP_CHECKSUM: return icmp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_ICMP_REST: return icmp ? pktd__be32(l4 + 4) : 0;
    default:
        if (f >= PKTD_FIELD_VLAN_COUNT && f <= PKTD_FIELD_SLL2_IFINDEX)
            return link_field(s, layers, f);
        if (f >= PKTD_FIELD_ARP_HTYPE && f <= PKTD_FIELD_ARP_TPA)
            return arp_field(s, layers, f);
        if (f >= PKTD_FIELD_IPV6_TCLASS)
            return ipv6_field(s, layers, f);
        return tcp_opt_field(s, layers, f);
    }
}

int pktd_batch_create(pktd_batch **out, uint32_t capacity, const uint32_t *fields, uint32_t nfields,
                      uint32_t *const *columns, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_batch_create: out is NULL");
    *out = NULL;
    if (capacity == 0 || capacity > INT32_MAX)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: capacity %lu is not in 1 ... %ld",
                             (unsigned long)capacity, (long)INT32_MAX);
    if (nfields > PKTD_FIELD_COUNT_)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: %lu fields selected, this library knows %u",
                             (unsigned long)nfields, (unsigned)PKTD_FIELD_COUNT_);
    if (nfields > 0 && (fields == NULL || columns == NULL))
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: %lu fields but fields or columns is NULL",
                             (unsigned long)nfields);
    uint8_t seen[PKTD_FIELD_COUNT_] = {0};
    for (uint32_t i = 0; i < nfields; i++) {
        if (fields[i] >= PKTD_FIELD_COUNT_)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: field %lu (selection entry %lu) is unknown",
                                 (unsigned long)fields[i], (unsigned long)i);
        if (seen[fields[i]]++)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: field %s is selected twice",
                                 pktd_field_name(fields[i]));
        if (columns[i] == NULL)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: the column of field %s is NULL",
                                 pktd_field_name(fields[i]));
    }
    pktd_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return pktd__errmsg(errbuf, "calloc", "batch handle", -ENOMEM);
    b->capacity = capacity;
    b->nfields = nfields;
    for (uint32_t i = 0; i < nfields; i++) {
        b->cols[i].col = columns[i];
        b->cols[i].field = fields[i];
        b->cols[i].plain = plain_fields[fields[i]];
        b->cols[i].row_off = plain_hdr_off[b->cols[i].plain.hdr] + b->cols[i].plain.off;
        if (b->cols[i].plain.size != 0) {
            b->plain[b->nplain++] = i;
            b->hdr_used |= 1u << b->cols[i].plain.hdr;
        }
        else
            b->slow[b->nslow++] = i;
    }
    b->fast = b->nslow == 0 ? FAST_TUPLE : FAST_OFF;
    for (uint32_t i = 0; i < nfields && b->fast == FAST_TUPLE; i++) {
        uint32_t t = 0;
        while (t < T_N && tuple_field[t] != fields[i])
            t++;
        if (t == T_N) {
            b->fast = FAST_PLAIN;
        } else {
            b->tmask |= T_BIT(t);
            b->tcol[t] = columns[i];
        }
    }
    *out = b;
    return 0;
}

void pktd_batch_close(pktd_batch *b)
{
    free(b);
}

int pktd_batch_bind(pktd_batch *b, uint32_t column, void *array)
{
    if (b == NULL || column >= PKTD_BATCH_COLUMN_COUNT)
        return PKTD_E_INVALID_ARGUMENT;
    b->meta[column] = array;
    b->nmeta = 0;
    for (uint32_t i = 0; i < PKTD_BATCH_COLUMN_COUNT; i++)
        if (b->meta[i] != NULL)
            b->meta_bound[b->nmeta++] = i;
    return 0;
}

uint32_t pktd_batch_capacity(const pktd_batch *b)
{
    return b != NULL ? b->capacity : 0;
}

static inline uint32_t row_limit(const pktd_batch *b, uint32_t max_rows)
{
    return max_rows == 0 || max_rows > b->capacity ? b->capacity : max_rows;
}

#define BATCH_CHUNK 64u /* rows gathered before the columns are filled */

/* Rows first ... first + n - 1 of one plain column, from the gathered
 * rows.  Column by column, so that the field's description stays in
 * registers and the loop is a few branch-free instructions per row; one
 * loop per load size. */
static void put_plain(const struct column *c, const struct row *rows, uint32_t first, uint32_t n)
{
    const uint32_t off = c->row_off, shift = c->plain.shift, bits = c->plain.bits;
    uint32_t *out = c->col + first;
#define PLAIN_LOOP(VALUE)                                                                   \
    for (uint32_t i = 0; i < n; i++) {                                                      \
        const uint8_t *q = (const uint8_t *)&rows[i] + off;                                  \
        out[i] = (VALUE);                                                                    \
    }
    /* Most fields are whole bytes: their loops neither shift nor mask. */
    if (shift == 0 && bits == 0xffffffffu) {
        if (c->plain.size == 1)
            PLAIN_LOOP(q[0])
        else if (c->plain.size == 2)
            PLAIN_LOOP(pktd__be16(q))
        else
            PLAIN_LOOP(pktd__be32(q))
    } else if (c->plain.size == 1) {
        PLAIN_LOOP((uint32_t)(q[0] >> shift) & bits)
    } else if (c->plain.size == 2) {
        PLAIN_LOOP((uint32_t)(pktd__be16(q) >> shift) & bits)
    } else {
        PLAIN_LOOP((pktd__be32(q) >> shift) & bits)
    }
#undef PLAIN_LOOP
}

/* Rows first ... first + n - 1 of the bound per-row columns and of the
 * plain columns. */
static void put_columns(const pktd_batch *b, const struct row *rows, uint32_t first, uint32_t n)
{
    for (uint32_t k = 0; k < b->nmeta; k++) {
        uint32_t m = b->meta_bound[k];
        if (m == PKTD_BATCH_TS_NS) {
            uint64_t *out = (uint64_t *)b->meta[m] + first;
            for (uint32_t i = 0; i < n; i++)
                out[i] = rows[i].ts_ns;
        } else { /* uint32_t, or int32_t for the status: the same bits */
            uint32_t *out = (uint32_t *)b->meta[m] + first;
            for (uint32_t i = 0; i < n; i++)
                out[i] = rows[i].meta[m];
        }
    }
    for (uint32_t k = 0; k < b->nplain; k++)
        put_plain(&b->cols[b->plain[k]], rows, first, n);
}

/* Decode one frame; store row `row` of the columns that are not plain;
 * gather the rest of the row in *rw for put_columns(). */
__attribute__((always_inline)) static inline void put_row(pktd_batch *b, uint32_t row, uint32_t linktype, const uint8_t *data,
                           size_t caplen, uint32_t wire_len, uint64_t ts_ns, uint32_t iface,
                           struct row *rw)
{
    pktd_packet p;
    int rc = pktd_decode(&p, linktype, data, caplen);
    const struct pktd__packet *s = pktd__cpkt(&p);
    /* The tests below are the same for every row of a batch: predicted. */
    if (b->nmeta != 0) {
        rw->ts_ns = ts_ns;
        rw->meta[PKTD_BATCH_CAPLEN] = caplen > UINT32_MAX ? UINT32_MAX : (uint32_t)caplen;
        rw->meta[PKTD_BATCH_WIRE_LEN] = wire_len;
        rw->meta[PKTD_BATCH_LINKTYPE] = linktype;
        rw->meta[PKTD_BATCH_INTERFACE] = iface;
        rw->meta[PKTD_BATCH_STATUS] = (uint32_t)rc;
    }
    for (uint32_t k = 0; k < b->nslow; k++) {
        const struct column *c = &b->cols[b->slow[k]];
        c->col[row] = field_value(s, c->field);
    }
    /* Offsets of absent layers may be stale: their fields read the zeros
     * instead.  Chosen once per row by a conditional source address, so
     * that the column loops have no test at all (whether a row is TCP or
     * UDP is not predictable). */
    uint32_t layers = s->layers, used = b->hdr_used;
    int tcp = (layers & PKTD__BIT(PKTD_LAYER_TCP)) != 0;
    const uint8_t *l4 = pktd__l4(s);
    if (used & 1u << PLAIN_IPV4)
        memcpy(rw->ip, layers & PKTD__BIT(PKTD_LAYER_IPV4) ? pktd__l3(s) : zeros, sizeof rw->ip);
    if (used & 1u << PLAIN_TCP)
        memcpy(rw->tcp, tcp ? l4 : zeros, sizeof rw->tcp);
    if (used & 1u << PLAIN_UDP)
        memcpy(rw->udp, !tcp && (layers & PKTD__BIT(PKTD_LAYER_UDP)) ? l4 : zeros, sizeof rw->udp);
    if (used & 1u << PLAIN_ICMP)
        memcpy(rw->icmp, !tcp && (layers & PKTD__BIT(PKTD_LAYER_ICMP)) ? l4 : zeros,
               sizeof rw->icmp);
}

/* A frame whose buffer is only valid now (a capture's packet): the whole
 * row at once. */
static void put_one_row(pktd_batch *b, uint32_t row, uint32_t linktype, const uint8_t *data,
                        size_t caplen, uint32_t wire_len, uint64_t ts_ns, uint32_t iface)
{
    struct row rw;
    put_row(b, row, linktype, data, caplen, wire_len, ts_ns, iface, &rw);
    put_columns(b, &rw, row, 1);
}

/* Fast-path batches (b->fast != FAST_OFF): each row is written as soon as
 * it is read, by the extractor for the frames batch_fast.h takes, by the
 * full decode for the others.  No chunk: nothing needs a copy of the
 * frame. */

/* The per-row columns of one row.  The tests are the same for every row
 * of a batch: predicted. */
static inline __attribute__((always_inline)) void
put_meta(const pktd_batch *b, uint32_t row, uint32_t linktype, size_t caplen, uint32_t wire_len,
         uint64_t ts_ns, uint32_t iface, int32_t status)
{
    if (b->nmeta == 0)
        return;
    if (b->meta[PKTD_BATCH_TS_NS] != NULL)
        ((uint64_t *)b->meta[PKTD_BATCH_TS_NS])[row] = ts_ns;
    if (b->meta[PKTD_BATCH_CAPLEN] != NULL)
        ((uint32_t *)b->meta[PKTD_BATCH_CAPLEN])[row] =
            caplen > UINT32_MAX ? UINT32_MAX : (uint32_t)caplen;
    if (b->meta[PKTD_BATCH_WIRE_LEN] != NULL)
        ((uint32_t *)b->meta[PKTD_BATCH_WIRE_LEN])[row] = wire_len;
    if (b->meta[PKTD_BATCH_LINKTYPE] != NULL)
        ((uint32_t *)b->meta[PKTD_BATCH_LINKTYPE])[row] = linktype;
    if (b->meta[PKTD_BATCH_INTERFACE] != NULL)
        ((uint32_t *)b->meta[PKTD_BATCH_INTERFACE])[row] = iface;
    if (b->meta[PKTD_BATCH_STATUS] != NULL)
        ((int32_t *)b->meta[PKTD_BATCH_STATUS])[row] = status;
}

/* A frame the extractor does not take: decoded in full, every column from
 * the state (field_value() covers the plain fields too), and the per-row
 * columns.  Out of line: the extractor's loop keeps its registers. */
static __attribute__((noinline)) void slow_row(const pktd_batch *b, uint32_t row,
                                               uint32_t linktype, const uint8_t *data,
                                               size_t caplen, uint32_t wire_len, uint64_t ts_ns,
                                               uint32_t iface)
{
    pktd_packet p;
    int rc = pktd_decode(&p, linktype, data, caplen);
    const struct pktd__packet *s = pktd__cpkt(&p);
    for (uint32_t k = 0; k < b->nfields; k++)
        b->cols[k].col[row] = field_value(s, b->cols[k].field);
    put_meta(b, row, linktype, caplen, wire_len, ts_ns, iface, rc);
}

/* FAST_TUPLE: the selected slots of @p mask (a constant in the
 * specialised loops, so that the untaken tests fold away).  Absent layers
 * read pktd__batch_zeros or are masked: no branch on the frame's shape. */
static inline __attribute__((always_inline)) void
put_tuple(const pktd_batch *b, uint32_t row, const struct pktd__fast *f, uint32_t mask)
{
    const uint8_t *ip = f->ip4;
    uint32_t ports = pktd__be32(f->l4); /* every transport header has 4 bytes */
    uint32_t tcp = f->kind == PKTD__FAST_TCP ? 0xffffffffu : 0;
    uint32_t udp = f->kind == PKTD__FAST_UDP ? 0xffffffffu : 0;
    if (mask & T_BIT(T_SRC))
        b->tcol[T_SRC][row] = pktd__be32(ip + 12);
    if (mask & T_BIT(T_DST))
        b->tcol[T_DST][row] = pktd__be32(ip + 16);
    if (mask & T_BIT(T_PROTO))
        b->tcol[T_PROTO][row] = ip[9];
    if (mask & T_BIT(T_TSPORT))
        b->tcol[T_TSPORT][row] = ports >> 16 & tcp;
    if (mask & T_BIT(T_TDPORT))
        b->tcol[T_TDPORT][row] = ports & 0xffffu & tcp;
    if (mask & T_BIT(T_USPORT))
        b->tcol[T_USPORT][row] = ports >> 16 & udp;
    if (mask & T_BIT(T_UDPORT))
        b->tcol[T_UDPORT][row] = ports & 0xffffu & udp;
    if (mask & T_BIT(T_TFLAGS)) /* byte 13: only a TCP header surely has it */
        b->tcol[T_TFLAGS][row] = (tcp ? f->l4 : zeros)[13];
}

/* FAST_PLAIN: every column through its struct plain, from the header
 * the frame has or the zeros. */
static void put_fast_plain(const pktd_batch *b, uint32_t row, const struct pktd__fast *f)
{
    const uint8_t *base[PKTD__FAST_NONE + 1] = {f->ip4, zeros, zeros, zeros, zeros};
    base[f->kind] = f->l4; /* PKTD__FAST_* are PLAIN_*; NONE is a spare slot */
    for (uint32_t k = 0; k < b->nplain; k++) {
        const struct column *c = &b->cols[b->plain[k]];
        const uint8_t *q = base[c->plain.hdr] + c->plain.off;
        uint32_t v = c->plain.size == 1 ? q[0] : c->plain.size == 2 ? pktd__be16(q) : pktd__be32(q);
        c->col[row] = v >> c->plain.shift & c->plain.bits;
    }
}

PKTD__STATIC_ASSERT((int)PKTD__FAST_TCP == (int)PLAIN_TCP && (int)PKTD__FAST_UDP == (int)PLAIN_UDP &&
                        (int)PKTD__FAST_ICMP == (int)PLAIN_ICMP && (int)PKTD__FAST_NONE == (int)PLAIN_N,
                    "the extractor's kinds index the plain headers");

/* One row of a fast-path batch.  @p fast, @p mask and @p meta are
 * b->fast, b->tmask and b->nmeta != 0, or constants equal to them (the
 * specialised loops of pktd_batch_decode_frames()).  The capture time is
 * read from @p ts (NULL: 0) only where it is stored. */
static inline __attribute__((always_inline)) void
fast_row(const pktd_batch *b, uint32_t row, uint32_t linktype, const uint8_t *data, size_t caplen,
         uint32_t wire_len, const uint64_t *ts, uint32_t iface, uint32_t fast, uint32_t mask,
         int meta)
{
    struct pktd__fast f;
    if (pktd__likely(linktype == PKTD_LINKTYPE_ETHERNET) && pktd__fast_frame(data, caplen, &f)) {
        if (fast == FAST_TUPLE)
            put_tuple(b, row, &f, mask);
        else
            put_fast_plain(b, row, &f);
        if (meta)
            put_meta(b, row, linktype, caplen, wire_len, ts != NULL ? *ts : 0, iface, 0);
    } else {
        slow_row(b, row, linktype, data, caplen, wire_len, ts != NULL ? *ts : 0, iface);
    }
}

/* Frames ahead whose first two cache lines are requested: a trace's frames are
 * hundreds of bytes apart, each row's headers are a new line, and the
 * loop is too long for the processor to run far enough ahead by itself
 * (about 8 % on the realistic mix, doc/performance.md).  16 rather than
 * 8 since the 5-tuple loop got shorter (a row is about 20 instructions
 * fewer): about 5 % less time on the realistic mix, 32 no better.  The
 * second line: about 5 % less on the realistic mix, 20 % on plain; with
 * it, 10 rows ahead rather than 16: about 4 % less on both (two
 * requests per row), 8 no better. */
#define PREFETCH_ROWS 10u

/* A frame of pktd_batch_decode_frames() the extractor does not take: its
 * per-row values computed here, so that the extractor's loop neither
 * computes nor keeps them. */
static __attribute__((noinline)) void slow_frame(const pktd_batch *b, uint32_t i,
                                                 const uint8_t *const *frames,
                                                 const size_t *lens, const uint64_t *ts_ns)
{
    size_t len = lens[i];
    slow_row(b, i, PKTD_LINKTYPE_ETHERNET, frames[i], len,
             len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, ts_ns != NULL ? ts_ns[i] : 0, 0);
}

/* Row @p i of pktd_batch_decode_frames() in a fast-path batch (Ethernet);
 * @p fast, @p mask and @p meta as in fast_row(). */
static inline __attribute__((always_inline)) void
fast_frame(const pktd_batch *b, uint32_t i, const uint8_t *const *frames, const size_t *lens,
           const uint64_t *ts_ns, uint32_t fast, uint32_t mask, int meta)
{
    struct pktd__fast f;
    const uint8_t *data = frames[i];
    size_t len = lens[i];
    if (pktd__likely(pktd__fast_frame(data, len, &f))) {
        if (fast == FAST_TUPLE)
            put_tuple(b, i, &f, mask);
        else
            put_fast_plain(b, i, &f);
        if (meta)
            put_meta(b, i, PKTD_LINKTYPE_ETHERNET, len,
                     len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
                     ts_ns != NULL ? ts_ns[i] : 0, 0, 0);
    } else {
        slow_frame(b, i, frames, lens, ts_ns);
    }
}

/* pktd_batch_decode_frames() of a fast-path batch, with @p fast, @p mask
 * and @p meta as in fast_row(); Ethernet frames only (the link type is
 * tested once). */
static inline __attribute__((always_inline)) void
fast_frames(const pktd_batch *b, const uint8_t *const *frames, const size_t *lens,
            const uint64_t *ts_ns, uint32_t n, uint32_t fast, uint32_t mask, int meta)
{
    uint32_t i = 0;
    for (; i + PREFETCH_ROWS < n; i++) {
        /* The line of the frame's start and the one of byte 60: a row
         * reads bytes 12 to 57 (a TCP timestamps word; 61 with a tag), and
         * a frame starts anywhere in its line, so these bytes cross into
         * a second line for most frames (a prefetch never faults; the
         * address is computed as an integer: the frame may be shorter). */
        const uint8_t *ahead = frames[i + PREFETCH_ROWS];
        __builtin_prefetch(ahead);
        __builtin_prefetch((const void *)((uintptr_t)ahead + 60));
        fast_frame(b, i, frames, lens, ts_ns, fast, mask, meta);
    }
    for (; i < n; i++)
        fast_frame(b, i, frames, lens, ts_ns, fast, mask, meta);
}

/* The 5-tuple alone (a flow table's selection): a function of its own, so
 * that its loop is allocated registers apart from the other loops of
 * pktd_batch_decode_frames(). */
static __attribute__((noinline)) void tuple5_frames(const pktd_batch *b,
                                                    const uint8_t *const *frames,
                                                    const size_t *lens, const uint64_t *ts_ns,
                                                    uint32_t n)
{
    fast_frames(b, frames, lens, ts_ns, n, FAST_TUPLE, T_TUPLE5, 0);
}

/* pktd_batch_read() of a fast-path batch: up to @p limit records into
 * rows 0 ..., their count in *@p n; returns what pktd_reader_next() last
 * returned.  @p fast, @p mask and @p meta as in fast_row(). */
static inline __attribute__((always_inline)) int
fast_records(const pktd_batch *b, pktd_reader *r, uint32_t limit, uint32_t *n, uint32_t fast,
             uint32_t mask, int meta)
{
    int rc = 1;
    uint32_t row = 0;
    while (row < limit) {
        const uint8_t *data;
        size_t caplen;
        rc = pktd_reader_next(r, &data, &caplen);
        if (rc <= 0)
            break;
        fast_row(b, row, r->linktype, data, caplen, r->wire_len, &r->ts_ns, r->iface, fast, mask,
                 meta);
        row++;
    }
    *n = row;
    return rc;
}

int pktd_batch_read(pktd_batch *b, pktd_reader *r, uint32_t max_rows, uint32_t *rows)
{
    if (rows != NULL)
        *rows = 0;
    if (b == NULL || r == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    uint32_t limit = row_limit(b, max_rows), n = 0;
    int rc = 1;
    if (b->fast != FAST_OFF) {
        /* Python's read_columns() selection has a loop of its own. */
        if (b->fast == FAST_TUPLE && b->tmask == T_TUPLE5_FLAGS)
            rc = fast_records(b, r, limit, &n, FAST_TUPLE, T_TUPLE5_FLAGS, 1);
        else
            rc = fast_records(b, r, limit, &n, b->fast, b->tmask, b->nmeta != 0);
        if (rows != NULL)
            *rows = n;
        return rc;
    }
    /* A chunk of records is gathered (each row copies what its columns
     * need, the record's buffer being valid only until the next record),
     * then each column is filled over the chunk.  The record's values are
     * read from the reader directly: these are what pktd_reader_ts_ns()
     * ... pktd_reader_interface() return after pktd_reader_next(). */
    struct row chunk[BATCH_CHUNK];
    while (n < limit && rc > 0) {
        uint32_t want = limit - n < BATCH_CHUNK ? limit - n : BATCH_CHUNK, k = 0;
        while (k < want) {
            const uint8_t *data;
            size_t caplen;
            rc = pktd_reader_next(r, &data, &caplen);
            if (rc <= 0)
                break;
            put_row(b, n + k, r->linktype, data, caplen, r->wire_len, r->ts_ns, r->iface,
                    &chunk[k]);
            k++;
        }
        put_columns(b, chunk, n, k);
        n += k;
    }
    if (rows != NULL)
        *rows = n;
    return rc;
}

int pktd_batch_decode_frames(pktd_batch *b, uint32_t linktype, const uint8_t *const *frames,
                             const size_t *lens, const uint64_t *ts_ns, uint32_t n)
{
    if (b == NULL || (n > 0 && (frames == NULL || lens == NULL)))
        return PKTD_E_INVALID_ARGUMENT;
    uint32_t limit = n < b->capacity ? n : b->capacity;
    if (b->fast != FAST_OFF) {
        /* The selections of a flow table and of Python's read_columns()
         * get loops of their own (their tests fold away); the rest one
         * loop that tests. */
        if (linktype != PKTD_LINKTYPE_ETHERNET) {
            for (uint32_t i = 0; i < limit; i++) {
                size_t len = lens[i];
                slow_row(b, i, linktype, frames[i], len,
                         len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
                         ts_ns != NULL ? ts_ns[i] : 0, 0);
            }
        } else if (b->fast == FAST_TUPLE && b->tmask == T_TUPLE5 && b->nmeta == 0) {
            tuple5_frames(b, frames, lens, ts_ns, limit);
        } else if (b->fast == FAST_TUPLE && b->tmask == T_TUPLE5_FLAGS) {
            fast_frames(b, frames, lens, ts_ns, limit, FAST_TUPLE, T_TUPLE5_FLAGS, 1);
        } else {
            fast_frames(b, frames, lens, ts_ns, limit, b->fast, b->tmask, b->nmeta != 0);
        }
        return (int)limit;
    }
    /* The frames stay valid for the whole call: decode a chunk of rows,
     * then fill each plain column over the chunk (doc/design.md). */
    struct row chunk[BATCH_CHUNK];
    for (uint32_t first = 0; first < limit; first += BATCH_CHUNK) {
        uint32_t k = limit - first < BATCH_CHUNK ? limit - first : BATCH_CHUNK;
        for (uint32_t i = 0; i < k; i++) {
            size_t len = lens[first + i];
            put_row(b, first + i, linktype, frames[first + i], len,
                    len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
                    ts_ns != NULL ? ts_ns[first + i] : 0, 0, &chunk[i]);
        }
        put_columns(b, chunk, first, k);
    }
    return (int)limit;
}

struct capture_ctx {
    pktd_batch *b;
    pktd_capture *c;
    uint32_t row;
};

static int capture_row(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                       uint64_t ts_ns)
{
    struct capture_ctx *x = user;
    if (x->b->fast != FAST_OFF)
        fast_row(x->b, x->row, pktd_capture_linktype(x->c), data, caplen, wire_len, &ts_ns,
                 pktd_capture_ifindex(x->c), x->b->fast, x->b->tmask, x->b->nmeta != 0);
    else
        put_one_row(x->b, x->row, pktd_capture_linktype(x->c), data, caplen, wire_len, ts_ns,
                pktd_capture_ifindex(x->c));
    x->row++;
    /* The dispatch stops at its max anyway; this guards the capacity. */
    return x->row >= x->b->capacity;
}

int pktd_batch_capture(pktd_batch *b, pktd_capture *c, uint32_t max_rows, uint32_t *rows)
{
    if (rows != NULL)
        *rows = 0;
    if (b == NULL || c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    struct capture_ctx x = {b, c, 0};
    int rc = pktd_capture_dispatch(c, row_limit(b, max_rows), capture_row, &x);
    if (rows != NULL)
        *rows = x.row;
    return rc < 0 ? rc : 0;
}
