/* The common Ethernet frame in one pass: untagged or with one or two
 * 802.1Q / 802.1ad tags, then either IPv4 with a 20-byte header and a
 * consistent total length, not a fragment, or IPv6 without extension
 * headers and with a payload length within the capture (release 1.1); TCP
 * or UDP on top, or an ICMPv6 echo.  Also (fast_ipv6_ext()) IPv6 with one
 * fragment header or one hop-by-hop header holding only a Router Alert,
 * whose layer 4 then goes to the general decoders.
 *
 * Why a second decoder: the general one (eth.c, ipv4.c, ipv6.c, tcp.c,
 * udp.c) takes every decision one layer at a time, and on a realistic trace
 * about half of its time went to work this shape never needs (length cases
 * that cannot occur, the layer set rebuilt bit by bit, the payload bounds
 * rewritten at each layer, for IPv6 the extension-header loop).  Here the
 * frame's shape is recognised first, from a few loads, and the state is
 * then written once.
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
 * link layer and its tags); for IPv6 a payload length of 0 or longer than
 * captured and any next header but TCP, UDP and ICMPv6 (other extension
 * headers and chains above all) at IPv6; other TCP options, odd UDP
 * lengths, ICMP, ICMPv6 but echoes and truncated transport headers at
 * layer 4. */
#include "config.h"

#include "packet_impl.h"
#include "proto.h"

#define IPV4_FRAG_BITS 0x3fffu /* MF and the fragment offset */
#define TCP_TS_OFF 22u         /* the Timestamps option after NOP, NOP */
#define TCP_TS_HLEN 32u
#define TCP_NOP_NOP_TS 0x0101080au
#define IPV6_FRAG_M 0x0001u    /* the fragment header's M flag */
#define IPV6_EXT8_HLEN 8u      /* a fragment header, a hop-by-hop header of length 0 */
#define ICMPV6_ECHO_HLEN 8u    /* type, code, checksum, identifier, sequence */

/* The next headers fast_ipv6() takes: TCP, UDP, ICMPv6 (all below 64). */
#define IPV6_FAST_UPPER                                                    \
    ((UINT64_C(1) << PKTD__IPPROTO_TCP) | (UINT64_C(1) << PKTD__IPPROTO_UDP) | \
     (UINT64_C(1) << PKTD__IPPROTO_ICMPV6))

/* A tag the general decoder accepts and this path handles: the 802.1Q and
 * 802.1ad TPIDs (0x9100 and 0x9200, rare, go the general way). */
static inline int fast_tpid(uint32_t type)
{
    return type == PKTD__TPID_8021Q || type == PKTD__TPID_8021AD;
}

/* The payload the IP layer leaves (@p l4 to @p end): what a layer-4
 * decoder that fails, or a protocol without a decoder, leaves behind.  The
 * callers of fast_l4() do not write it: the fast TCP and UDP cases replace
 * it at once (on IPv6 the four stores of the IP layer's lengths and this
 * payload were one vector store built from three registers). */
static inline void ip_payload(struct pktd__packet *s, uint32_t l4, uint32_t end)
{
    pktd__set_payload(s, l4, end);
}

/* Layer 4 of a frame whose transport header (protocol @p proto) starts at
 * offset @p l4, at @p h, and whose IP packet ends at @p end (no fragment,
 * length on the wire: SEG_COMPLETE); @p ipv6 says which IP is below (a
 * constant at each call, so the test folds away).  The payload is not yet
 * written (ip_payload()): each case writes it.  Inlined into
 * fast_ipv6() and into fast_l4_ipv4(): GCC had made one out-of-line copy
 * for both, with @p ipv6 passed at run time and a jump from either IP. */
static inline __attribute__((always_inline)) int
fast_l4(struct pktd__packet *s, const uint8_t *h, uint32_t proto, uint32_t l4, uint32_t end,
        int ipv6)
{
    uint32_t seg = end - l4;
    uint32_t hl;
    /* TCP first: three frames in four (callgrind: -1.5 instructions per
     * frame on every mix; the compiler tested UDP and ICMPv6 first). */
    switch (__builtin_expect(proto, PKTD__IPPROTO_TCP)) {
    case PKTD__IPPROTO_TCP:
        if (pktd__unlikely(seg < PKTD__TCP_MIN_HLEN)) {
            ip_payload(s, l4, end);
            return pktd__tcp_decode(s, l4, end);
        }
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
            ip_payload(s, l4, end);
            return pktd__tcp_decode(s, l4, end); /* other options: the walk */
        }
        pktd__set_l4(s, PKTD_LAYER_TCP, l4, hl);
        pktd__set_payload(s, l4 + hl, end);
        return 0;
    case PKTD__IPPROTO_UDP:
        /* The length field equal to the IP payload: nothing to flag. */
        if (pktd__unlikely(seg < PKTD__UDP_HLEN || pktd__be16(h + 4) != seg)) {
            ip_payload(s, l4, end);
            return pktd__udp_decode(s, l4, end);
        }
        /* RFC 8200 8.1: a zero checksum over IPv6 is flagged. */
        if (ipv6 && pktd__be16(h + 6) == 0)
            s->flags |= PKTD_F_UDP_ZERO_CSUM;
        s->udp_len = seg;
        pktd__set_l4(s, PKTD_LAYER_UDP, l4, PKTD__UDP_HLEN);
        pktd__set_payload(s, l4 + PKTD__UDP_HLEN, end);
        return pktd__udp_tunnel(s, l4, end); /* VXLAN, Geneve, GTP-U ports */
    case PKTD__IPPROTO_ICMP:
        /* Each ICMP is handed over, over its own IP only (fast_ipv6() lets
         * no other protocol through). */
        if (!ipv6) {
            ip_payload(s, l4, end);
            return pktd__icmp_decode(s, l4, end);
        }
        break;
    case PKTD__IPPROTO_ICMPV6:
        if (!ipv6)
            break;
        /* Echo request and reply, the common ICMPv6 of a trace: their
         * 8-byte fixed part and nothing to check beyond its length (the
         * message is whole here: seg is the payload length).  The rest,
         * Neighbor Discovery above all (its options), to icmpv6.c. */
        if (pktd__likely(seg >= ICMPV6_ECHO_HLEN) &&
            (h[0] == PKTD__ICMPV6_ECHO_REQUEST || h[0] == PKTD__ICMPV6_ECHO_REPLY)) {
            pktd__set_l4(s, PKTD_LAYER_ICMPV6, l4, ICMPV6_ECHO_HLEN);
            pktd__set_payload(s, l4 + ICMPV6_ECHO_HLEN, end);
            return 0;
        }
        ip_payload(s, l4, end);
        return pktd__icmpv6_decode(s, l4, end);
    default:
        break;
    }
    ip_payload(s, l4, end);
    return pktd__ip_tunnel(s, proto, l4, end); /* GRE, IP in IP */
}

/* Layer 4 over IPv4: a function of its own, reached by a tail call, so
 * that pktd__eth_fast_decode() saves no more registers. */
static __attribute__((noinline)) int fast_l4_ipv4(struct pktd__packet *s, const uint8_t *h,
                                                  uint32_t proto, uint32_t l4, uint32_t end)
{
    return fast_l4(s, h, proto, l4, end, 0);
}

/* Short, extension headers, a jumbogram or offload length, a length past
 * the capture: the general IPv6 decoder, from where it would have started. */
static int ipv6_general(struct pktd__packet *s, uint32_t l3)
{
    pktd__set_payload(s, l3, s->caplen);
    return pktd__ipv6_decode(s, l3);
}

/* IPv6 at @p l3 (header at @p ip) whose payload length @p plen (1 to the
 * @p cap_pay bytes captured after the fixed header) starts with one 8-byte
 * extension header followed by TCP, UDP or ICMPv6: a fragment header (the
 * fragments of a datagram: the one extension header a realistic trace has
 * on more than a percent of its IPv6 packets), or a hop-by-hop header
 * holding only a Router Alert and a PadN of 0 (the layout Linux sends with
 * MLD and RSVP, and the ipv6 mix's).  The state ipv6.c leaves after a
 * chain of that one header, written once; layer 4 as ipv6.c hands it over
 * (the general decoders: a first fragment's transport header is not
 * whole).  Anything else (another header or option layout, a short
 * payload, a size that is not a multiple of 8 before the last fragment,
 * another header after it) to ipv6.c. */
static __attribute__((noinline)) int fast_ipv6_ext(struct pktd__packet *s, uint32_t l3,
                                                   const uint8_t *ip, uint32_t plen,
                                                   uint32_t cap_pay)
{
    const uint8_t *e = ip + PKTD__IPV6_HLEN;
    uint32_t ext = ip[6];
    uint32_t ext_off = l3 + PKTD__IPV6_HLEN;
    uint32_t pos = ext_off + IPV6_EXT8_HLEN;
    uint32_t end = ext_off + plen;
    uint32_t nh = e[0];
    if (pktd__unlikely(plen < IPV6_EXT8_HLEN || nh >= 64 || ((IPV6_FAST_UPPER >> nh) & 1) == 0))
        return ipv6_general(s, l3);
    uint32_t flags = plen != cap_pay ? PKTD_F_IPV6_PADDING : 0;
    uint32_t info = PKTD__IP_PAY_KNOWN | PKTD__IP_SEG_COMPLETE;
    uint32_t frag_off = 0;
    uint32_t offset = 0;
    if (ext == PKTD__IPPROTO_FRAGMENT) {
        uint32_t f = pktd__be16(e + 2);
        uint32_t more = f & IPV6_FRAG_M;
        offset = f >> 3;
        /* RFC 8200 4.5: every fragment but the last carries a multiple of
         * 8 bytes (ipv6.c's reason; it fails the packet). */
        if (pktd__unlikely(more != 0 && (plen - IPV6_EXT8_HLEN) % 8 != 0))
            return ipv6_general(s, l3);
        frag_off = ext_off;
        if (offset != 0 || more != 0) {
            flags |= PKTD_F_FRAGMENT;
            info = PKTD__IP_PAY_KNOWN;
        } /* else an atomic fragment (RFC 6946): whole */
        if (offset != 0)
            flags |= PKTD_F_LATER_FRAGMENT;
    } else {
        /* Hop-by-hop: length byte 0 (8 bytes), Router Alert (5, length 2,
         * any value), PadN of 0 (1, 0). */
        uint32_t w0 = pktd__be32(e), w1 = pktd__be32(e + 4);
        if (pktd__unlikely((w0 & 0x00ffffffu) != 0x000502u || (w1 & 0xffffu) != 0x0100u))
            return ipv6_general(s, l3);
    }
    s->flags = flags;
    pktd__set_l3(s, PKTD_LAYER_IPV6, l3, PKTD__IPV6_HLEN);
    s->ip_end = end;
    s->ip_pay_len = plen - IPV6_EXT8_HLEN;
    s->ip6_upper_off_ = pos;
    s->ip6_frag_off_ = frag_off;
    s->ip6_rt_off_ = 0;
    s->ip6_jumbo_ = 0;
    s->ip6_upper_ = (uint8_t)nh;
    s->ip6_ext_count_ = 1;
    pktd__set_payload(s, pos, end);
    s->ip_info = (uint8_t)info;
    if (offset != 0)
        return 0; /* fragment data, no transport header */
    switch (nh) {
    case PKTD__IPPROTO_TCP:
        return pktd__tcp_decode(s, pos, end);
    case PKTD__IPPROTO_UDP:
        return pktd__udp_decode(s, pos, end);
    default:
        return pktd__icmpv6_decode(s, pos, end);
    }
}

/* IPv6 at @p l3, the link state written.  The state the general path
 * leaves after a fixed header with a payload length inside the capture and
 * no extension header, written once.  Not inlined: in the caller it cost
 * the IPv4 frames two register saves and restores (callgrind: +4
 * instructions per frame); a tail call costs IPv6 one jump.  The caller
 * passes the header's address and the bytes captured from it, which it
 * has in registers (reloading them here cost two loads). */
static __attribute__((noinline)) int
fast_ipv6(struct pktd__packet *s, uint32_t l3, const uint8_t *ip, uint32_t avail)
{
    if (pktd__unlikely(avail < PKTD__IPV6_HLEN))
        return ipv6_general(s, l3);
    uint32_t cap_pay = avail - PKTD__IPV6_HLEN;
    uint32_t plen = pktd__be16(ip + 4);
    uint32_t nh = ip[6];
    /* plen - 1 >= cap_pay: a payload length of 0 or past the capture. */
    if (pktd__unlikely(ip[0] >> 4 != 6 || plen - 1 >= cap_pay))
        return ipv6_general(s, l3);
    if (pktd__unlikely(nh >= 64 || ((IPV6_FAST_UPPER >> nh) & 1) == 0)) {
        if (nh == PKTD__IPPROTO_FRAGMENT || nh == PKTD__IPPROTO_HOPOPTS)
            return fast_ipv6_ext(s, l3, ip, plen, cap_pay);
        return ipv6_general(s, l3);
    }
    uint32_t l4 = l3 + PKTD__IPV6_HLEN;
    uint32_t end = l4 + plen;
    s->layers |= PKTD__BIT(PKTD_LAYER_IPV6);
    s->flags = plen != cap_pay ? PKTD_F_IPV6_PADDING : 0;
    s->l3_off = l3;
    s->l3_hlen = PKTD__IPV6_HLEN;
    s->ip_end = end;
    s->ip_pay_len = plen;
    /* The extension-chain slots are derived from the bit (packet_impl.h). */
    s->ip_info = PKTD__IP_PAY_KNOWN | PKTD__IP_SEG_COMPLETE | PKTD__IP6_NO_EXT;
    return fast_l4(s, ip + PKTD__IPV6_HLEN, nh, l4, end, 1);
}

/* The link state the general path leaves before IP (@p tags tags, then
 * EtherType @p type).  The VLAN offsets are written even without tags:
 * they are read only with the VLAN bit. */
static inline void fast_link(struct pktd__packet *s, uint32_t tags, uint32_t type)
{
    s->layers = PKTD__BIT(PKTD_LAYER_ETH) | (tags != 0 ? PKTD__BIT(PKTD_LAYER_VLAN) : 0);
    s->vlan_count = (uint8_t)tags;
    s->vlan_off = PKTD__ETH_HLEN;
    s->vlan_tpid0 = 12;
    s->eth_type = (uint16_t)type;
}

/* An EtherType this path takes over. */
static inline int fast_ip_type(uint32_t type)
{
    return type == PKTD__ETHERTYPE_IPV4 || type == PKTD__ETHERTYPE_IPV6;
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
        /* IPv6, or one tag, or two (QinQ), then IPv4 or IPv6; at least an
         * IPv4 header's worth captured (IPv6's: fast_ipv6()).  Untagged
         * IPv6 first, without the tag tests. */
        if (type == PKTD__ETHERTYPE_IPV6) {
            fast_link(s, 0, PKTD__ETHERTYPE_IPV6);
            return fast_ipv6(s, PKTD__ETH_HLEN, d + PKTD__ETH_HLEN, caplen - PKTD__ETH_HLEN);
        }
        if (!fast_tpid(type) ||
            caplen < PKTD__ETH_HLEN + PKTD__VLAN_TAG_LEN + PKTD__IPV4_MIN_HLEN)
            return pktd__eth_decode(s);
        type = pktd__be16(d + 16);
        l3 = PKTD__ETH_HLEN + PKTD__VLAN_TAG_LEN;
        tags = 1;
        if (!fast_ip_type(type)) {
            if (!fast_tpid(type) ||
                caplen < PKTD__ETH_HLEN + 2 * PKTD__VLAN_TAG_LEN + PKTD__IPV4_MIN_HLEN)
                return pktd__eth_decode(s);
            type = pktd__be16(d + 20);
            l3 = PKTD__ETH_HLEN + 2 * PKTD__VLAN_TAG_LEN;
            tags = 2;
            if (!fast_ip_type(type))
                return pktd__eth_decode(s);
        }
        if (type == PKTD__ETHERTYPE_IPV6) {
            fast_link(s, tags, PKTD__ETHERTYPE_IPV6);
            return fast_ipv6(s, l3, d + l3, caplen - l3);
        }
    }
    fast_link(s, tags, PKTD__ETHERTYPE_IPV4);

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
    return fast_l4_ipv4(s, ip + PKTD__IPV4_MIN_HLEN, ip[9], l3 + PKTD__IPV4_MIN_HLEN, end);
}
