/* IPv6 (RFC 8200): the fixed header, the extension-header chain (RFC 6564's
 * generic format, AH's own length rule, the fragment header), jumbograms
 * (RFC 2675), and the dispatch to the transport decoders.
 *
 * Lengths are checked in two steps, as for IPv4: a header that runs past
 * the payload length the packet announces is malformed; one that stays
 * inside it but runs past the captured bytes is truncated. */
#include "config.h"

#include <pktdecode/ipv6.h>

#include "checksum.h"
#include "packet_impl.h"
#include "proto.h"

#define IPV6_OPT_PAD1 0u
#define IPV6_OPT_JUMBO 0xc2u
#define IPV6_JUMBO_OPT_LEN 4u
#define IPV6_FRAG_OFFSET(f) ((uint32_t)(f) >> 3)
#define IPV6_FRAG_M 0x0001u

/* Extension headers known by their format (IANA "IPv6 Extension Header
 * Types"); ESP is on that list but ends the chain, since what follows it is
 * encrypted. */
static int is_ext_header(uint32_t nh)
{
    switch (nh) {
    case PKTD__IPPROTO_HOPOPTS:
    case PKTD__IPPROTO_ROUTING:
    case PKTD__IPPROTO_FRAGMENT:
    case PKTD__IPPROTO_DSTOPTS:
    case PKTD__IPPROTO_AH:
    case PKTD__IPPROTO_MOBILITY:
    case PKTD__IPPROTO_HIP:
    case PKTD__IPPROTO_SHIM6:
    case PKTD__IPPROTO_EXP1:
    case PKTD__IPPROTO_EXP2:
        return 1;
    default:
        return 0;
    }
}

/* Length of an extension header from its second byte (RFC 8200 4.3-4.6,
 * RFC 4302 2.2 for AH, RFC 6564 for the rest). */
static uint32_t ext_header_len(uint32_t nh, const uint8_t *h)
{
    if (nh == PKTD__IPPROTO_FRAGMENT)
        return PKTD__IPV6_FRAG_HLEN;
    if (nh == PKTD__IPPROTO_AH)
        return ((uint32_t)h[1] + 2) * 4;
    return ((uint32_t)h[1] + 1) * 8;
}

/* The options of a hop-by-hop or destination options header of @p hl bytes:
 * Pad1 is one byte, every other option a type, a length and that many
 * bytes, all inside the header.  A Jumbo Payload option (hop-by-hop only)
 * must have 4 bytes; its value goes to @p jumbo and @p has_jumbo is set
 * (the value itself may be 0, which is invalid, not absent). */
static int ipv6_check_options(struct pktd__packet *s, const uint8_t *h, uint32_t hl,
                              int hop_by_hop, uint32_t *jumbo, int *has_jumbo)
{
    uint32_t i = 2;
    while (i < hl) {
        uint32_t type = h[i];
        if (type == IPV6_OPT_PAD1) {
            i++;
            continue;
        }
        if (hl - i < 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_NOLEN, type,
                              0);
        uint32_t olen = h[i + 1];
        if (olen > hl - i - 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_OVERRUN,
                              olen, hl - i - 2);
        if (hop_by_hop && type == IPV6_OPT_JUMBO) {
            if (olen != IPV6_JUMBO_OPT_LEN)
                return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_SIZE,
                                  type, olen);
            *jumbo = pktd__be32(h + i + 2);
            *has_jumbo = 1;
        }
        i += 2 + olen;
    }
    return 0;
}

int pktd__ipv6_decode(struct pktd__packet *s, uint32_t off)
{
    uint32_t avail = s->caplen - off;
    if (pktd__unlikely(avail < PKTD__IPV6_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_SHORT, avail, 0);
    const uint8_t *h = s->data + off;
    if (pktd__unlikely((h[0] >> 4) != 6))
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_VERSION, h[0] >> 4,
                          0);

    uint32_t pay_off = off + PKTD__IPV6_HLEN;
    uint32_t cap_pay = avail - PKTD__IPV6_HLEN;
    uint32_t plen = pktd__be16(h + 4);
    /* wire_end: where the packet says it ends (may lie beyond the capture);
     * end: the same, clamped to the captured bytes. */
    uint64_t wire_end;
    uint32_t info;
    uint32_t flags = 0;
    if (pktd__likely(plen != 0)) {
        wire_end = (uint64_t)pay_off + plen;
        info = PKTD__IP_PAY_KNOWN;
        if (plen < cap_pay)
            flags = PKTD_F_IPV6_PADDING;
        else if (plen > cap_pay)
            flags = PKTD_F_IPV6_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    } else {
        /* A jumbogram (decided at the hop-by-hop header) or segmentation
         * offload: the length is not on the wire. */
        wire_end = s->caplen;
        info = 0;
        flags = PKTD_F_IPV6_LEN_ZERO;
    }

    uint32_t nh = h[6];
    uint32_t pos = pay_off;
    uint32_t count = 0;
    uint32_t jumbo = 0;
    int has_jumbo = 0;
    uint32_t frag_off = 0;
    uint32_t rt_off = 0;
    int later_fragment = 0;
    while (is_ext_header(nh)) {
        if (nh == PKTD__IPPROTO_HOPOPTS && count != 0)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_HBH_NOT_FIRST,
                              count, 0);
        if (count == PKTD_IPV6_MAX_EXT)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_MANY,
                              PKTD_IPV6_MAX_EXT, 0);
        /* The length byte first, then the whole header: each against the
         * announced end (malformed), then against the capture (truncated).
         * Without an announced end (payload length 0, no jumbo option yet)
         * only the capture bounds the chain: a cut header is truncated. */
        int announced = (info & PKTD__IP_PAY_KNOWN) != 0;
        uint32_t need = 2;
        if (announced && wire_end - pos < need)
            goto overrun;
        if (s->caplen - pos < need)
            goto truncated;
        const uint8_t *e = s->data + pos;
        need = ext_header_len(nh, e);
        if (announced && wire_end - pos < need)
            goto overrun;
        if (s->caplen - pos < need)
            goto truncated;

        if (nh == PKTD__IPPROTO_HOPOPTS || nh == PKTD__IPPROTO_DSTOPTS) {
            int rc = ipv6_check_options(s, e, need, nh == PKTD__IPPROTO_HOPOPTS, &jumbo,
                                        &has_jumbo);
            if (rc != 0)
                return rc;
            /* RFC 2675 3: payload length 0 announces a jumbogram when a
             * hop-by-hop header follows; it must then have the option. */
            if (nh == PKTD__IPPROTO_HOPOPTS && plen == 0 && !has_jumbo)
                return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                                  PKTD_R_IPV6_JUMBO_MISSING, 0, 0);
            /* RFC 2675 3: an option of 65535 or less (0 included) is
             * invalid, whatever the payload length says. */
            if (has_jumbo && nh == PKTD__IPPROTO_HOPOPTS) {
                if (plen != 0)
                    return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                                      PKTD_R_IPV6_JUMBO_PLEN, plen, 0);
                if (jumbo <= 0xffffu)
                    return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                                      PKTD_R_IPV6_JUMBO_LEN, jumbo, 0);
                /* From here the option's length is the packet's. */
                wire_end = (uint64_t)pay_off + jumbo;
                info = PKTD__IP_PAY_KNOWN;
                flags = PKTD_F_IPV6_JUMBO;
                if (wire_end < s->caplen)
                    flags |= PKTD_F_IPV6_PADDING;
                else if (wire_end > s->caplen)
                    flags |= PKTD_F_IPV6_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
                if (wire_end < (uint64_t)pos + need)
                    goto overrun;
            }
        } else if (nh == PKTD__IPPROTO_ROUTING) {
            if (rt_off == 0)
                rt_off = pos;
        } else if (nh == PKTD__IPPROTO_FRAGMENT) {
            uint32_t f = pktd__be16(e + 2);
            if (frag_off == 0)
                frag_off = pos;
            if (IPV6_FRAG_OFFSET(f) != 0 || (f & IPV6_FRAG_M) != 0) {
                /* RFC 2675 3: a jumbogram cannot be fragmented. */
                if (has_jumbo)
                    return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                                      PKTD_R_IPV6_JUMBO_FRAG, 0, 0);
                flags |= PKTD_F_FRAGMENT;
                /* RFC 8200 4.5: every fragment but the last carries a
                 * multiple of 8 bytes. */
                uint64_t frag_len = wire_end - (pos + need);
                if ((f & IPV6_FRAG_M) != 0 && (info & PKTD__IP_PAY_KNOWN) != 0 &&
                    frag_len % 8 != 0)
                    return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                                      PKTD_R_IPV6_FRAG_SIZE, (uint32_t)frag_len, 0);
                if (IPV6_FRAG_OFFSET(f) != 0) {
                    /* The rest is fragment data, not headers. */
                    flags |= PKTD_F_LATER_FRAGMENT;
                    later_fragment = 1;
                }
            }
        }
        count++;
        nh = e[0];
        pos += need;
        if (later_fragment)
            break;
        continue;
    overrun:
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_OVERRUN, nh,
                          (uint32_t)(wire_end - pay_off));
    truncated:
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_TRUNC, nh, need);
    }

    uint32_t end = wire_end < s->caplen ? (uint32_t)wire_end : s->caplen;
    s->flags |= flags;
    pktd__set_l3(s, PKTD_LAYER_IPV6, off, PKTD__IPV6_HLEN);
    s->ip_end = end;
    s->ip_pay_len = (info & PKTD__IP_PAY_KNOWN) != 0 ? (uint32_t)(wire_end - pos) : end - pos;
    s->ip6_upper_off_ = pos;
    s->ip6_frag_off_ = frag_off;
    s->ip6_rt_off_ = rt_off;
    s->ip6_jumbo_ = jumbo;
    s->ip6_upper_ = (uint8_t)nh;
    s->ip6_ext_count_ = (uint8_t)count;
    pktd__set_payload(s, pos, end);
    if ((info & PKTD__IP_PAY_KNOWN) != 0 && (flags & PKTD_F_FRAGMENT) == 0)
        info |= PKTD__IP_SEG_COMPLETE;
    s->ip_info = (uint8_t)info;
    if (later_fragment)
        return 0;

    switch (nh) {
    case PKTD__IPPROTO_TCP:
        return pktd__tcp_decode(s, pos, end);
    case PKTD__IPPROTO_UDP:
        return pktd__udp_decode(s, pos, end);
    case PKTD__IPPROTO_ICMPV6:
        return pktd__icmpv6_decode(s, pos, end);
    default:
        return pktd__ip_tunnel(s, nh, pos, end);
    }
}

int pktd_ipv6_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__ipv6_decode(s, 0);
}

/* The destination a transport checksum covers (RFC 8200 8.1): the fixed
 * header's, unless a routing header still has segments to visit, in which
 * case the final one, in the last address slot of types 0 (RFC 2460) and 2
 * (RFC 6275) or segment list [0] of a segment routing header (type 4, RFC
 * 8754).  NULL for another type (RPL's compressed addresses, ...). */
static const uint8_t *final_destination(const struct pktd__packet *s)
{
    const uint8_t *h = pktd__l3(s);
    uint32_t rt_off = pktd__ip6_rt_off(s);
    if (rt_off == 0)
        return h + 24;
    const uint8_t *r = s->data + rt_off;
    uint32_t rlen = ((uint32_t)r[1] + 1) * 8;
    if (r[3] == 0)
        return h + 24;
    switch (r[2]) {
    case 0:
    case 2:
        if (rlen < 8 + PKTD__IPV6_ALEN)
            return NULL;
        return r + 8 + ((rlen - 8) / PKTD__IPV6_ALEN - 1) * PKTD__IPV6_ALEN;
    case 4:
        if (rlen < 8 + PKTD__IPV6_ALEN)
            return NULL;
        return r + 8;
    default:
        return NULL;
    }
}

int pktd__ip_pseudo_sum(const struct pktd__packet *s, uint32_t proto, uint32_t len,
                        uint64_t *sum)
{
    if (pktd__has(s, PKTD_LAYER_IPV4)) {
        *sum = pktd__ipv4_pseudo_sum(s, proto, len);
        return 1;
    }
    if (!pktd__has(s, PKTD_LAYER_IPV6))
        return 0;
    const uint8_t *dst = final_destination(s);
    if (dst == NULL)
        return 0;
    *sum = (uint64_t)pktd__csum_sum(pktd__l3(s) + 8, PKTD__IPV6_ALEN) +
           pktd__csum_sum(dst, PKTD__IPV6_ALEN) + proto + (len >> 16) + (len & 0xffffu);
    return 1;
}

static const uint8_t *ip6_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_IPV6) ? pktd__l3(s) : NULL;
}

uint8_t pktd_ipv6_version(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? (uint8_t)(h[0] >> 4) : 0;
}

uint8_t pktd_ipv6_tclass(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? (uint8_t)(pktd__be16(h) >> 4) : 0;
}

uint32_t pktd_ipv6_flow(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? pktd__be32(h) & 0xfffffu : 0;
}

uint16_t pktd_ipv6_plen(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? pktd__be16(h + 4) : 0;
}

uint8_t pktd_ipv6_next(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? h[6] : 0;
}

uint8_t pktd_ipv6_hlim(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? h[7] : 0;
}

const uint8_t *pktd_ipv6_src(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? h + 8 : NULL;
}

const uint8_t *pktd_ipv6_dst(const pktd_packet *p)
{
    const uint8_t *h = ip6_hdr(p);
    return h != NULL ? h + 24 : NULL;
}

uint32_t pktd_ipv6_jumbo_len(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_IPV6) ? pktd__ip6_jumbo(s) : 0;
}

uint32_t pktd_ipv6_ext_count(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_IPV6) ? pktd__ip6_ext_count(s) : 0;
}

int pktd_ipv6_upper(const pktd_packet *p, uint8_t *proto, size_t *off)
{
    if (p == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV6))
        return 0;
    if (proto != NULL)
        *proto = (uint8_t)pktd__ip6_upper(s);
    if (off != NULL)
        *off = pktd__ip6_upper_off(s);
    return 1;
}

int pktd_ipv6_frag(const pktd_packet *p, uint16_t *offset, uint8_t *more, uint32_t *id)
{
    if (p == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV6) || pktd__ip6_frag_off(s) == 0)
        return 0;
    const uint8_t *f = s->data + pktd__ip6_frag_off(s);
    uint32_t v = pktd__be16(f + 2);
    if (offset != NULL)
        *offset = (uint16_t)IPV6_FRAG_OFFSET(v);
    if (more != NULL)
        *more = (uint8_t)(v & IPV6_FRAG_M);
    if (id != NULL)
        *id = pktd__be32(f + 4);
    return 1;
}

int pktd_ipv6_routing(const pktd_packet *p, uint8_t *type, uint8_t *segleft)
{
    if (p == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV6) || pktd__ip6_rt_off(s) == 0)
        return 0;
    const uint8_t *r = s->data + pktd__ip6_rt_off(s);
    if (type != NULL)
        *type = r[2];
    if (segleft != NULL)
        *segleft = r[3];
    return 1;
}

/* The cursor counts the headers already returned; the chain was validated
 * by the decode, so it is walked again from the start (at most
 * PKTD_IPV6_MAX_EXT headers). */
int pktd_ipv6_ext_next(const pktd_packet *p, uint32_t *cursor, uint8_t *type,
                       const uint8_t **data, size_t *len)
{
    if (p == NULL || cursor == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV6) || *cursor >= pktd__ip6_ext_count(s))
        return 0;
    const uint8_t *h = pktd__l3(s);
    uint32_t nh = h[6];
    const uint8_t *e = h + PKTD__IPV6_HLEN;
    for (uint32_t i = 0; i < *cursor; i++) {
        uint32_t hl = ext_header_len(nh, e);
        nh = e[0];
        e += hl;
    }
    if (type != NULL)
        *type = (uint8_t)nh;
    if (data != NULL)
        *data = e;
    if (len != NULL)
        *len = ext_header_len(nh, e);
    (*cursor)++;
    return 1;
}
