/* Every decoded field in one call (fields.h).
 *
 * Each value is read exactly as its accessor reads it (tests/check_parse_fields
 * compares the two on every frame of the test captures), but straight from
 * the state, without a call, a presence test and a return per field.  Each
 * group of fields (link, layer 3, layer 4, TCP options) is either stored
 * whole or cleared with a constant-size memset, which compilers turn into a
 * few vector stores: clearing the whole array first would cost a `rep stos`
 * of 300 bytes per packet. */
#include "config.h"

#include <string.h>

#include <pktdecode/fields.h>

#include "packet_impl.h"
#include "proto.h"


/* Clear fields FIRST ... LAST (a constant range of at most 32 fields).
 *
 * In pieces of at most 16 fields (64 bytes): GCC expands a constant memset
 * of more than about 80 bytes into `rep stosq`, whose start-up alone costs
 * tens of cycles, while two pieces stay a handful of vector stores.  The
 * piece count is a compile-time constant, so only one branch of each
 * conditional is compiled. */
#define CLEAR_MAX_PIECE 16u
#define CLEAR(o, first, last)                                                    \
    do {                                                                         \
        PKTD__STATIC_ASSERT((last) - (first) + 1 <= 2 * CLEAR_MAX_PIECE, "split"); \
        if ((last) - (first) + 1 > CLEAR_MAX_PIECE) {                            \
            memset((o) + (first), 0, CLEAR_MAX_PIECE * sizeof *(o));             \
            memset((o) + (first) + CLEAR_MAX_PIECE, 0,                           \
                   ((last) - (first) + 1 - CLEAR_MAX_PIECE) * sizeof *(o));      \
        } else {                                                                 \
            memset((o) + (first), 0, ((last) - (first) + 1) * sizeof *(o));      \
        }                                                                        \
    } while (0)

/* A 6-byte address as its high 16 and low 32 bits. */
static inline void put_mac(uint32_t *o, uint32_t hi, const uint8_t *m)
{
    o[hi] = pktd__be16(m);
    o[hi + 1] = pktd__be32(m + 2);
}

static void fill_link(const struct pktd__packet *s, uint32_t *o, uint32_t layers)
{
    const uint8_t *d = s->data;
    CLEAR(o, PKTD_FIELD_ETH_DST_HI, PKTD_FIELD_SLL2_IFINDEX);
    if (layers & PKTD__BIT(PKTD_LAYER_ETH)) {
        put_mac(o, PKTD_FIELD_ETH_DST_HI, d);
        put_mac(o, PKTD_FIELD_ETH_SRC_HI, d + 6);
    }
    if (layers & (PKTD__BIT(PKTD_LAYER_ETH) | PKTD__BIT(PKTD_LAYER_SLL) |
                  PKTD__BIT(PKTD_LAYER_SLL2)))
        o[PKTD_FIELD_ETH_TYPE] = s->eth_type;
    if (layers & PKTD__BIT(PKTD_LAYER_VLAN)) {
        /* Tag 0's TPID is the link header's type field; tag 1's is the type
         * field that ends tag 0. */
        o[PKTD_FIELD_VLAN_COUNT] = s->vlan_count;
        o[PKTD_FIELD_VLAN0_TPID] = pktd__be16(d + s->vlan_tpid0);
        o[PKTD_FIELD_VLAN0_TCI] = pktd__be16(d + s->vlan_off);
        if (s->vlan_count > 1) {
            o[PKTD_FIELD_VLAN1_TPID] = pktd__be16(d + s->vlan_off + 2);
            o[PKTD_FIELD_VLAN1_TCI] = pktd__be16(d + s->vlan_off + 4);
        }
    }
    if (layers & PKTD__BIT(PKTD_LAYER_SLL)) {
        o[PKTD_FIELD_SLL_PKTTYPE] = pktd__be16(d);
        o[PKTD_FIELD_SLL_HATYPE] = pktd__be16(d + 2);
    } else if (layers & PKTD__BIT(PKTD_LAYER_SLL2)) {
        o[PKTD_FIELD_SLL_PKTTYPE] = d[10];
        o[PKTD_FIELD_SLL_HATYPE] = pktd__be16(d + 8);
        o[PKTD_FIELD_SLL2_IFINDEX] = pktd__be32(d + 4);
    }
}

static void fill_arp(const uint8_t *h, uint32_t *o)
{
    uint32_t hln = h[4], pln = h[5];
    o[PKTD_FIELD_ARP_HTYPE] = pktd__be16(h);
    o[PKTD_FIELD_ARP_PTYPE] = pktd__be16(h + 2);
    o[PKTD_FIELD_ARP_HLEN] = hln;
    o[PKTD_FIELD_ARP_PLEN] = pln;
    o[PKTD_FIELD_ARP_OP] = pktd__be16(h + 6);
    CLEAR(o, PKTD_FIELD_ARP_SHA_HI, PKTD_FIELD_ARP_TPA);
    /* The decoder checked that all four addresses were captured. */
    const uint8_t *sha = h + 8, *spa = sha + hln, *tha = spa + pln, *tpa = tha + hln;
    if (hln == 6) {
        put_mac(o, PKTD_FIELD_ARP_SHA_HI, sha);
        put_mac(o, PKTD_FIELD_ARP_THA_HI, tha);
    }
    /* As pktd_arp_spa(): an IPv4 address only when the protocol is IPv4. */
    if (pln == PKTD__IPV4_ALEN && pktd__be16(h + 2) == PKTD__ETHERTYPE_IPV4) {
        o[PKTD_FIELD_ARP_SPA] = pktd__be32(spa);
        o[PKTD_FIELD_ARP_TPA] = pktd__be32(tpa);
    }
}

static void fill_ipv4(const struct pktd__packet *s, const uint8_t *h, uint32_t *o)
{
    o[PKTD_FIELD_IPV4_IHL] = h[0] & 0x0fu;
    o[PKTD_FIELD_IPV4_TOS] = h[1];
    o[PKTD_FIELD_IPV4_TOTAL_LEN] = pktd__be16(h + 2);
    o[PKTD_FIELD_IPV4_ID] = pktd__be16(h + 4);
    o[PKTD_FIELD_IPV4_FRAG] = pktd__be16(h + 6);
    o[PKTD_FIELD_IPV4_TTL] = h[8];
    o[PKTD_FIELD_IPV4_PROTO] = h[9];
    o[PKTD_FIELD_IPV4_CHECKSUM] = pktd__be16(h + 10);
    o[PKTD_FIELD_IPV4_SRC] = pktd__be32(h + 12);
    o[PKTD_FIELD_IPV4_DST] = pktd__be32(h + 16);
    o[PKTD_FIELD_IPV4_OPTIONS_LEN] = s->l3_hlen - 20u;
}

static void fill_tcp(const struct pktd__packet *s, const uint8_t *h, uint32_t *o)
{
    o[PKTD_FIELD_TCP_SPORT] = pktd__be16(h);
    o[PKTD_FIELD_TCP_DPORT] = pktd__be16(h + 2);
    o[PKTD_FIELD_TCP_SEQ] = pktd__be32(h + 4);
    o[PKTD_FIELD_TCP_ACK] = pktd__be32(h + 8);
    o[PKTD_FIELD_TCP_DOFF] = h[12] >> 4;
    o[PKTD_FIELD_TCP_NS] = h[12] & 0x01u;
    o[PKTD_FIELD_TCP_FLAGS] = h[13];
    o[PKTD_FIELD_TCP_WINDOW] = pktd__be16(h + 14);
    o[PKTD_FIELD_TCP_CHECKSUM] = pktd__be16(h + 16);
    o[PKTD_FIELD_TCP_URGENT] = pktd__be16(h + 18);
    /* The option slots hold each known option's offset in the header (0:
     * absent), located and size-checked by the decoder. */
    CLEAR(o, PKTD_FIELD_TCP_OPTIONS, PKTD_FIELD_TCP_SACK3_RIGHT);
    uint64_t slots;
    memcpy(&slots, s->tcp_opt, sizeof slots);
    if (slots == 0)
        return;
    const uint8_t *opt = s->tcp_opt;
    uint32_t has = 0;
    if (opt[PKTD__TCPOPT_MSS] != 0) {
        has |= PKTD_TCP_HAS_MSS;
        o[PKTD_FIELD_TCP_MSS] = pktd__be16(h + opt[PKTD__TCPOPT_MSS] + 2);
    }
    if (opt[PKTD__TCPOPT_WS] != 0) {
        has |= PKTD_TCP_HAS_WSCALE;
        o[PKTD_FIELD_TCP_WSCALE] = h[opt[PKTD__TCPOPT_WS] + 2];
    }
    if (opt[PKTD__TCPOPT_SACK_PERM] != 0)
        has |= PKTD_TCP_HAS_SACK_PERM;
    if (opt[PKTD__TCPOPT_TS] != 0) {
        has |= PKTD_TCP_HAS_TIMESTAMPS;
        o[PKTD_FIELD_TCP_TSVAL] = pktd__be32(h + opt[PKTD__TCPOPT_TS] + 2);
        o[PKTD_FIELD_TCP_TSECR] = pktd__be32(h + opt[PKTD__TCPOPT_TS] + 6);
    }
    if (opt[PKTD__TCPOPT_SACK] != 0) {
        const uint8_t *b = h + opt[PKTD__TCPOPT_SACK];
        uint32_t n = (b[1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN; /* 1 ... 4, checked by the decoder */
        has |= PKTD_TCP_HAS_SACK;
        o[PKTD_FIELD_TCP_SACK_COUNT] = n;
        for (uint32_t i = 0; i < n; i++) {
            o[PKTD_FIELD_TCP_SACK0_LEFT + 2 * i] = pktd__be32(b + 2 + PKTD__TCP_SACK_BLOCK_LEN * i);
            o[PKTD_FIELD_TCP_SACK0_RIGHT + 2 * i] = pktd__be32(b + 6 + PKTD__TCP_SACK_BLOCK_LEN * i);
        }
    }
    o[PKTD_FIELD_TCP_OPTIONS] = has;
}

/* Two big-endian 32-bit words at @p p into o[0] and o[1].  On a
 * little-endian machine one 64-bit load, swap, rotate and store: the eight
 * words of IPv6's addresses in 16 instructions instead of 24 (callgrind). */
static inline void put_be32_pair(uint32_t *o, const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, sizeof v);
    v = __builtin_bswap64(v); /* the first word in the high half */
    v = v >> 32 | v << 32;
    memcpy(o, &v, sizeof v);
#else
    o[0] = pktd__be32(p);
    o[1] = pktd__be32(p + 4);
#endif
}

/* IPv6 and ICMPv6 (1.1), filled before the TCP early return below. */
static void fill_ipv6(const struct pktd__packet *s, uint32_t *o, uint32_t layers)
{
    if (layers & PKTD__BIT(PKTD_LAYER_IPV6)) {
        const uint8_t *h = pktd__l3(s);
        o[PKTD_FIELD_IPV6_TCLASS] = pktd__be16(h) >> 4 & 0xffu;
        o[PKTD_FIELD_IPV6_FLOW] = pktd__be32(h) & 0xfffffu;
        o[PKTD_FIELD_IPV6_PLEN] = pktd__be16(h + 4);
        o[PKTD_FIELD_IPV6_NEXT] = h[6];
        o[PKTD_FIELD_IPV6_HLIM] = h[7];
        /* Written out: GCC -O2 kept the four-round loop (12 instructions
         * of loop control per packet, callgrind). */
        PKTD__STATIC_ASSERT(PKTD_FIELD_IPV6_SRC3 == PKTD_FIELD_IPV6_SRC0 + 3 &&
                                PKTD_FIELD_IPV6_DST0 == PKTD_FIELD_IPV6_SRC0 + 4 &&
                                PKTD_FIELD_IPV6_DST3 == PKTD_FIELD_IPV6_SRC0 + 7,
                            "the address words are consecutive fields");
        put_be32_pair(o + PKTD_FIELD_IPV6_SRC0, h + 8);
        put_be32_pair(o + PKTD_FIELD_IPV6_SRC2, h + 16);
        put_be32_pair(o + PKTD_FIELD_IPV6_DST0, h + 24);
        put_be32_pair(o + PKTD_FIELD_IPV6_DST2, h + 32);
        if (pktd__ip6_no_ext(s)) {
            /* No extension header (the fast path's slots are not written). */
            o[PKTD_FIELD_IPV6_UPPER] = h[6];
            CLEAR(o, PKTD_FIELD_IPV6_EXT_COUNT, PKTD_FIELD_IPV6_FRAG_ID);
        } else {
            o[PKTD_FIELD_IPV6_UPPER] = s->ip6_upper_;
            o[PKTD_FIELD_IPV6_EXT_COUNT] = s->ip6_ext_count_;
            o[PKTD_FIELD_IPV6_JUMBO_LEN] = s->ip6_jumbo_;
            if (s->ip6_frag_off_ != 0) {
                o[PKTD_FIELD_IPV6_FRAG] = pktd__be16(s->data + s->ip6_frag_off_ + 2) & 0xfff9u;
                o[PKTD_FIELD_IPV6_FRAG_ID] = pktd__be32(s->data + s->ip6_frag_off_ + 4);
            } else {
                CLEAR(o, PKTD_FIELD_IPV6_FRAG, PKTD_FIELD_IPV6_FRAG_ID);
            }
        }
    } else {
        CLEAR(o, PKTD_FIELD_IPV6_TCLASS, PKTD_FIELD_IPV6_FRAG_ID);
    }
    if (layers & PKTD__BIT(PKTD_LAYER_ICMPV6)) {
        const uint8_t *l4 = pktd__l4(s);
        o[PKTD_FIELD_ICMPV6_TYPE] = l4[0];
        o[PKTD_FIELD_ICMPV6_CODE] = l4[1];
        o[PKTD_FIELD_ICMPV6_CHECKSUM] = pktd__be16(l4 + 2);
        o[PKTD_FIELD_ICMPV6_REST] = s->l4_hlen >= 8 ? pktd__be32(l4 + 4) : 0;
    } else {
        CLEAR(o, PKTD_FIELD_ICMPV6_TYPE, PKTD_FIELD_ICMPV6_REST);
    }
}

static void fill(const struct pktd__packet *s, uint32_t *o)
{
    uint32_t layers = s->layers;
    int failed = s->error != 0;
    o[PKTD_FIELD_LAYERS] = layers;
    o[PKTD_FIELD_FLAGS] = s->flags;
    o[PKTD_FIELD_ERROR] = (uint32_t)s->error;
    o[PKTD_FIELD_ERROR_LAYER] = failed ? s->error_layer : 0;
    o[PKTD_FIELD_ERROR_REASON] = failed ? s->error_reason : 0;
    o[PKTD_FIELD_LINKTYPE] = s->linktype;
    /* As pktd_packet_payload(): nothing when the first layer failed. */
    int payload = layers != 0 || !failed;
    o[PKTD_FIELD_PAYLOAD_OFF] = payload ? s->payload_off : 0;
    o[PKTD_FIELD_PAYLOAD_LEN] = payload ? s->payload_len : 0;
    o[PKTD_FIELD_TUNNEL_TYPE] = s->tun_type;
    o[PKTD_FIELD_TUNNEL_ID] = s->tun_type != 0 ? pktd__tunnel_id(s) : 0;
    fill_link(s, o, layers);
    if (pktd__likely(layers & PKTD__BIT(PKTD_LAYER_IPV4))) {
        CLEAR(o, PKTD_FIELD_ARP_HTYPE, PKTD_FIELD_ARP_TPA);
        fill_ipv4(s, pktd__l3(s), o);
    } else {
        CLEAR(o, PKTD_FIELD_IPV4_IHL, PKTD_FIELD_IPV4_OPTIONS_LEN);
        if (layers & PKTD__BIT(PKTD_LAYER_ARP))
            fill_arp(pktd__l3(s), o);
        else
            CLEAR(o, PKTD_FIELD_ARP_HTYPE, PKTD_FIELD_ARP_TPA);
    }
    fill_ipv6(s, o, layers);
    if (pktd__likely(layers & PKTD__BIT(PKTD_LAYER_TCP))) {
        fill_tcp(s, pktd__l4(s), o);
        CLEAR(o, PKTD_FIELD_UDP_SPORT, PKTD_FIELD_ICMP_REST);
        return;
    }
    CLEAR(o, PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_SACK3_RIGHT);
    if (layers & PKTD__BIT(PKTD_LAYER_UDP)) {
        const uint8_t *l4 = pktd__l4(s);
        o[PKTD_FIELD_UDP_SPORT] = pktd__be16(l4);
        o[PKTD_FIELD_UDP_DPORT] = pktd__be16(l4 + 2);
        o[PKTD_FIELD_UDP_LEN] = pktd__be16(l4 + 4);
        o[PKTD_FIELD_UDP_CHECKSUM] = pktd__be16(l4 + 6);
    } else {
        CLEAR(o, PKTD_FIELD_UDP_SPORT, PKTD_FIELD_UDP_CHECKSUM);
    }
    if (layers & PKTD__BIT(PKTD_LAYER_ICMP)) {
        const uint8_t *l4 = pktd__l4(s);
        o[PKTD_FIELD_ICMP_TYPE] = l4[0];
        o[PKTD_FIELD_ICMP_CODE] = l4[1];
        o[PKTD_FIELD_ICMP_CHECKSUM] = pktd__be16(l4 + 2);
        o[PKTD_FIELD_ICMP_REST] = pktd__be32(l4 + 4);
    } else {
        CLEAR(o, PKTD_FIELD_ICMP_TYPE, PKTD_FIELD_ICMP_REST);
    }
}

uint32_t pktd_packet_fields(const pktd_packet *p, uint32_t *out, size_t count)
{
    if (p == NULL || out == NULL || count == 0)
        return PKTD_FIELD_COUNT_;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (pktd__likely(count >= PKTD_FIELD_COUNT_)) {
        fill(s, out); /* entries beyond ours are the caller's: untouched */
    } else {
        uint32_t all[PKTD_FIELD_COUNT_];
        fill(s, all);
        memcpy(out, all, count * sizeof *out);
    }
    return PKTD_FIELD_COUNT_;
}

uint32_t pktd_field_count(void)
{
    return PKTD_FIELD_COUNT_;
}

/* The names, from the one table in fields.h. */
static const char *const field_names[PKTD_FIELD_COUNT_] = {
#define PKTD_FIELD_NAME_(name, value, str) [value] = str,
    PKTD_FIELD_MAP(PKTD_FIELD_NAME_)
#undef PKTD_FIELD_NAME_
};

/* PKTD_FIELD_COUNT_ is written out in the enum (Doxygen documents it); the
 * table is the truth. */
#define PKTD_FIELD_ONE_(name, value, str) +1
PKTD__STATIC_ASSERT(0 PKTD_FIELD_MAP(PKTD_FIELD_ONE_) == PKTD_FIELD_COUNT_,
                   "PKTD_FIELD_COUNT_ must count the rows of PKTD_FIELD_MAP");
#undef PKTD_FIELD_ONE_

const char *pktd_field_name(uint32_t field)
{
    if (field >= PKTD_FIELD_COUNT_ || field_names[field] == NULL)
        return "unknown";
    return field_names[field];
}

/* A linear search: 75 short strings, meant for set-up, not per packet. */
int pktd_field_lookup(const char *name, uint32_t *field)
{
    if (name == NULL)
        return 0;
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++) {
        if (field_names[i] != NULL && strcmp(field_names[i], name) == 0) {
            if (field != NULL)
                *field = i;
            return 1;
        }
    }
    return 0;
}
