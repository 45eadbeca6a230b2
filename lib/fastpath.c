/* The common Ethernet frame in one pass: untagged or with one or two
 * 802.1Q / 802.1ad tags, IPv4 with a 20-byte header and a consistent total
 * length, not a fragment; TCP or UDP on top.
 *
 * Why a second decoder: the general one (eth.c, ipv4.c, tcp.c, udp.c) takes
 * every decision one layer at a time, and on a realistic trace about half
 * of its time went to work this shape never needs (length cases that cannot
 * occur, the layer set rebuilt bit by bit, the payload bounds rewritten at
 * each layer).  Here the frame's shape is recognised first, from a few
 * loads, and the state is then written once.
 *
 * The contract is exact equality: for every frame, pktd_decode() with this
 * path gives the state the general path gives (tests/check_parse_fastpath
 * compares the two on every Ethernet frame of the test captures and on a
 * built matrix of the shapes below, cut and with bytes replaced; the decode
 * fuzz target compares them on every input).
 * Anything else is handed to the general decoder at the first layer that
 * is not the common shape, with exactly the state the general path would
 * have built up to there: ARP, other EtherTypes and short frames from the
 * start, before any state is written; IPv4 options, a total length that
 * is 0, short or longer than captured, and fragments at IPv4 (after the
 * link layer and its tags); other TCP options, odd UDP lengths, ICMP and
 * truncated transport headers at layer 4. */
#include "config.h"

#include "packet_impl.h"
#include "proto.h"

#define IPV4_FRAG_BITS 0x3fffu /* MF and the fragment offset */
#define TCP_TS_OFF 22u         /* the Timestamps option after NOP, NOP */
#define TCP_TS_HLEN 32u
#define TCP_NOP_NOP_TS 0x0101080au

/* A tag the general decoder accepts and this path handles: the 802.1Q and
 * 802.1ad TPIDs (0x9100 and 0x9200, rare, go the general way). */
static inline int fast_tpid(uint32_t type)
{
    return type == PKTD__TPID_8021Q || type == PKTD__TPID_8021AD;
}

/* Layer 4 of a frame whose IPv4 header starts at @p l3 and whose IP
 * packet ends at @p end (no fragment, length on the wire: SEG_COMPLETE). */
static inline int fast_l4(struct pktd__packet *s, const uint8_t *ip, uint32_t l3, uint32_t end)
{
    uint32_t l4 = l3 + PKTD__IPV4_MIN_HLEN;
    uint32_t seg = end - l4;
    const uint8_t *h = ip + PKTD__IPV4_MIN_HLEN;
    uint32_t hl;
    switch (ip[9]) {
    case PKTD__IPPROTO_TCP:
        if (pktd__unlikely(seg < PKTD__TCP_MIN_HLEN))
            return pktd__tcp_decode(s, l4, end);
        if (pktd__likely(h[12] >> 4 == 5)) {
            hl = PKTD__TCP_MIN_HLEN;
            memset(s->tcp_opt, 0, sizeof s->tcp_opt);
        } else if (h[12] >> 4 == TCP_TS_HLEN / 4 && seg >= TCP_TS_HLEN &&
                   pktd__be32(h + PKTD__TCP_MIN_HLEN) == TCP_NOP_NOP_TS) {
            /* NOP, NOP, Timestamps and nothing else: the shape of nearly
             * every segment of a Linux or BSD connection. */
            hl = TCP_TS_HLEN;
            memset(s->tcp_opt, 0, sizeof s->tcp_opt);
            s->tcp_opt[PKTD__TCPOPT_TS] = TCP_TS_OFF;
        } else {
            return pktd__tcp_decode(s, l4, end); /* other options: the walk */
        }
        pktd__set_l4(s, PKTD_LAYER_TCP, l4, hl);
        pktd__set_payload(s, l4 + hl, end);
        return 0;
    case PKTD__IPPROTO_UDP:
        /* The length field equal to the IP payload: nothing to flag. */
        if (pktd__unlikely(seg < PKTD__UDP_HLEN || pktd__be16(h + 4) != seg))
            return pktd__udp_decode(s, l4, end);
        s->udp_len = seg;
        pktd__set_l4(s, PKTD_LAYER_UDP, l4, PKTD__UDP_HLEN);
        pktd__set_payload(s, l4 + PKTD__UDP_HLEN, end);
        return pktd__udp_tunnel(s, l4, end); /* VXLAN, Geneve, GTP-U ports */
    case PKTD__IPPROTO_ICMP:
        return pktd__icmp_decode(s, l4, end);
    default:
        return pktd__ip_tunnel(s, ip[9], l4, end); /* GRE, IP in IP */
    }
}

int pktd__eth_fast_decode(struct pktd__packet *s)
{
    const uint8_t *d = s->data;
    uint32_t caplen = s->caplen;
    if (pktd__unlikely(caplen < PKTD__ETH_HLEN + PKTD__IPV4_MIN_HLEN))
        return pktd__eth_decode(s);
    uint32_t l3 = PKTD__ETH_HLEN;
    uint32_t type = pktd__be16(d + 12);
    uint32_t tags = 0;
    if (type != PKTD__ETHERTYPE_IPV4) {
        /* One tag, or two (QinQ), then IPv4; all of it captured. */
        if (!fast_tpid(type) || caplen < PKTD__ETH_HLEN + PKTD__VLAN_TAG_LEN + PKTD__IPV4_MIN_HLEN)
            return pktd__eth_decode(s);
        type = pktd__be16(d + 16);
        l3 = PKTD__ETH_HLEN + PKTD__VLAN_TAG_LEN;
        tags = 1;
        if (type != PKTD__ETHERTYPE_IPV4) {
            if (!fast_tpid(type) || caplen < PKTD__ETH_HLEN + 2 * PKTD__VLAN_TAG_LEN + PKTD__IPV4_MIN_HLEN)
                return pktd__eth_decode(s);
            type = pktd__be16(d + 20);
            l3 = PKTD__ETH_HLEN + 2 * PKTD__VLAN_TAG_LEN;
            tags = 2;
            if (type != PKTD__ETHERTYPE_IPV4)
                return pktd__eth_decode(s);
        }
    }
    /* The link state the general path leaves before IPv4.  The VLAN
     * offsets are written even without tags: they are read only with the
     * VLAN bit. */
    s->layers = PKTD__BIT(PKTD_LAYER_ETH) | (tags != 0 ? PKTD__BIT(PKTD_LAYER_VLAN) : 0);
    s->vlan_count = (uint8_t)tags;
    s->vlan_off = PKTD__ETH_HLEN;
    s->vlan_tpid0 = 12;
    s->eth_type = PKTD__ETHERTYPE_IPV4;

    const uint8_t *ip = d + l3;
    uint32_t avail = caplen - l3;
    uint32_t tot = pktd__be16(ip + 2);
    if (pktd__unlikely(ip[0] != 0x45 || tot < PKTD__IPV4_MIN_HLEN || tot > avail ||
                      (pktd__be16(ip + 6) & IPV4_FRAG_BITS) != 0)) {
        /* Options, odd lengths, fragments: the general IPv4 decoder, from
         * where it would have started. */
        pktd__set_payload(s, l3, caplen);
        return pktd__ipv4_decode(s, l3);
    }

    /* The state the general path leaves after IPv4, written once. */
    uint32_t end = l3 + tot;
    s->layers |= PKTD__BIT(PKTD_LAYER_IPV4);
    s->flags = tot != avail ? PKTD_F_IPV4_PADDING : 0;
    s->l3_off = l3;
    s->l3_hlen = PKTD__IPV4_MIN_HLEN;
    s->ip_end = end;
    s->ip_pay_len = tot - PKTD__IPV4_MIN_HLEN;
    s->ip_info = PKTD__IP_PAY_KNOWN | PKTD__IP_SEG_COMPLETE;
    pktd__set_payload(s, l3 + PKTD__IPV4_MIN_HLEN, end);
    return fast_l4(s, ip, l3, end);
}
