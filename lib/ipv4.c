/* IPv4 (RFC 791): header validation in tcpdump's order, length clamping,
 * options, fragments, and the dispatch to the transport decoders.
 *
 * Truncated (the capture ended inside the header) and malformed (a field
 * that no valid packet can hold) are kept apart: a total length above the
 * captured bytes is neither, only a flag, since the headers are intact. */
#include "config.h"

#include <pktdecode/ipv4.h>

#include "checksum.h"
#include "options.h"
#include "packet_impl.h"
#include "proto.h"

#define IPV4_DF 0x4000u
#define IPV4_MF 0x2000u
#define IPV4_RF 0x8000u
#define IPV4_OFFSET_MASK 0x1fffu

/* Options are validated up to End-of-list: EOL and NOP are one byte; every
 * other option needs its length byte, a length of at least 2, and no more
 * than the bytes left.  The length byte is never read when it is missing. */
static int ipv4_check_options(struct pktd__packet *s, const uint8_t *h, uint32_t hl)
{
    uint32_t i = PKTD__IPV4_MIN_HLEN;
    while (i < hl) {
        uint32_t kind = h[i];
        if (kind == PKTD__OPT_EOL)
            break;
        if (kind == PKTD__OPT_NOP) {
            i++;
            continue;
        }
        if (hl - i < 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_NOLEN, kind,
                              0);
        uint32_t olen = h[i + 1];
        if (olen < 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_LEN, olen,
                              0);
        if (olen > hl - i)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_OVERRUN,
                              olen, hl - i);
        i += olen;
    }
    return 0;
}

/* The rarely taken checks of the first byte (anything but 0x45). */
static int ipv4_check_vihl(struct pktd__packet *s, uint32_t vihl, uint32_t avail, uint32_t *hl)
{
    if ((vihl >> 4) != 4)
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_VERSION, vihl >> 4,
                          0);
    *hl = (vihl & 0x0fu) * 4;
    if (*hl < PKTD__IPV4_MIN_HLEN)
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_IHL, *hl, 0);
    if (*hl > avail)
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_HDR_TRUNC, *hl,
                          avail);
    return 0;
}

int pktd__ipv4_decode(struct pktd__packet *s, uint32_t off)
{
    uint32_t avail = s->caplen - off;
    if (pktd__unlikely(avail < PKTD__IPV4_MIN_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, avail, 0);
    const uint8_t *h = s->data + off;
    uint32_t hl = PKTD__IPV4_MIN_HLEN;
    if (pktd__unlikely(h[0] != 0x45)) {
        int rc = ipv4_check_vihl(s, h[0], avail, &hl);
        if (rc != 0)
            return rc;
    }

    /* The length flags are kept aside until the header is known to be
     * valid: a header rejected for its options leaves no IPv4 flag. */
    uint32_t tot = pktd__be16(h + 2);
    uint32_t end;
    uint32_t pay_len;
    uint32_t info;
    uint32_t flags = 0;
    if (pktd__likely(tot >= hl && tot <= avail)) {
        end = off + tot;
        pay_len = tot - hl;
        info = PKTD__IP_PAY_KNOWN;
        if (tot != avail)
            flags = PKTD_F_IPV4_PADDING;
    } else if (tot == 0) {
        /* Segmentation offload / BIG TCP: the length is not on the wire. */
        flags = PKTD_F_IPV4_LEN_ZERO;
        end = s->caplen;
        pay_len = avail - hl;
        info = 0;
    } else if (tot < hl) {
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_TOTLEN, tot, hl);
    } else {
        /* Longer than captured: headers intact, payload cut short. */
        flags = PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
        end = s->caplen;
        pay_len = tot - hl;
        info = PKTD__IP_PAY_KNOWN;
    }

    if (pktd__unlikely(hl > PKTD__IPV4_MIN_HLEN)) {
        int rc = ipv4_check_options(s, h, hl);
        if (rc != 0)
            return rc;
    }

    s->flags |= flags;
    pktd__set_l3(s, PKTD_LAYER_IPV4, off, hl);
    s->ip_end = end;
    s->ip_pay_len = pay_len;
    uint32_t pay_off = off + hl;
    pktd__set_payload(s, pay_off, end);

    uint32_t frag = pktd__be16(h + 6);
    if (pktd__unlikely((frag & (IPV4_MF | IPV4_OFFSET_MASK)) != 0)) {
        s->flags |= PKTD_F_FRAGMENT;
        if ((frag & IPV4_OFFSET_MASK) != 0) {
            /* The transport header is in the first fragment only. */
            s->flags |= PKTD_F_LATER_FRAGMENT;
            s->ip_info = (uint8_t)info;
            return 0;
        }
    } else if (info & PKTD__IP_PAY_KNOWN) {
        /* Not a fragment, length on the wire: the IP payload is the whole
         * transport segment, so its length can be checked and summed. */
        info |= PKTD__IP_SEG_COMPLETE;
    }
    s->ip_info = (uint8_t)info;

    switch (h[9]) {
    case PKTD__IPPROTO_TCP:
        return pktd__tcp_decode(s, pay_off, end);
    case PKTD__IPPROTO_UDP:
        return pktd__udp_decode(s, pay_off, end);
    case PKTD__IPPROTO_ICMP:
        return pktd__icmp_decode(s, pay_off, end);
    default:
        return pktd__ip_tunnel(s, h[9], pay_off, end);
    }
}

int pktd_ipv4_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__ipv4_decode(s, 0);
}

uint32_t pktd__ipv4_pseudo_sum(const struct pktd__packet *s, uint32_t proto, uint32_t len)
{
    const uint8_t *h = pktd__l3(s);
    return (uint32_t)pktd__be16(h + 12) + pktd__be16(h + 14) + pktd__be16(h + 16) +
           pktd__be16(h + 18) + proto + (len >> 16) + (len & 0xffffu);
}

static const uint8_t *ip_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_IPV4) ? pktd__l3(s) : NULL;
}

uint8_t pktd_ipv4_ihl(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? (uint8_t)(h[0] & 0x0fu) : 0;
}

uint8_t pktd_ipv4_tos(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? h[1] : 0;
}

uint16_t pktd_ipv4_total_len(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint16_t pktd_ipv4_id(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be16(h + 4) : 0;
}

static uint16_t ip_frag_field(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be16(h + 6) : 0;
}

int pktd_ipv4_df(const pktd_packet *p)
{
    return (ip_frag_field(p) & IPV4_DF) != 0;
}

int pktd_ipv4_mf(const pktd_packet *p)
{
    return (ip_frag_field(p) & IPV4_MF) != 0;
}

int pktd_ipv4_rf(const pktd_packet *p)
{
    return (ip_frag_field(p) & IPV4_RF) != 0;
}

uint16_t pktd_ipv4_frag_offset(const pktd_packet *p)
{
    return ip_frag_field(p) & IPV4_OFFSET_MASK;
}

uint8_t pktd_ipv4_ttl(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? h[8] : 0;
}

uint8_t pktd_ipv4_proto(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? h[9] : 0;
}

uint16_t pktd_ipv4_checksum(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be16(h + 10) : 0;
}

uint32_t pktd_ipv4_src(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be32(h + 12) : 0;
}

uint32_t pktd_ipv4_dst(const pktd_packet *p)
{
    const uint8_t *h = ip_hdr(p);
    return h != NULL ? pktd__be32(h + 16) : 0;
}

/* PKTD__CSUM_GOOD, PKTD__CSUM_WRONG or PKTD__CSUM_UNVERIFIED (checksum.h). */
static int ipv4_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV4))
        return PKTD__CSUM_UNVERIFIED;
    /* The header (options included) was fully captured to be decoded. */
    return pktd__csum_result(pktd__csum_sum(pktd__l3(s), s->l3_hlen));
}

int pktd_ipv4_checksum_ok(const pktd_packet *p)
{
    return ipv4_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_ipv4_checksum_bad(const pktd_packet *p)
{
    return ipv4_checksum_check(p) == PKTD__CSUM_WRONG;
}

int pktd_ipv4_options(const pktd_packet *p, const uint8_t **data, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (s == NULL || !pktd__has(s, PKTD_LAYER_IPV4))
        return 0;
    if (data != NULL)
        *data = pktd__l3(s) + PKTD__IPV4_MIN_HLEN;
    if (len != NULL)
        *len = s->l3_hlen - PKTD__IPV4_MIN_HLEN;
    return 1;
}

int pktd_ipv4_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *kind,
                          const uint8_t **data, size_t *len)
{
    if (p == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_IPV4))
        return 0;
    return pktd__option_next(pktd__l3(s) + PKTD__IPV4_MIN_HLEN,
                             s->l3_hlen - PKTD__IPV4_MIN_HLEN, cursor, kind, data, len);
}
