/* ICMPv6 (RFC 4443) and the Neighbor Discovery messages (RFC 4861): the
 * fixed part of each type, the ND options, and the checksum over the IPv6
 * pseudo-header. */
#include "config.h"

#include <pktdecode/icmpv6.h>

#include "checksum.h"
#include "packet_impl.h"
#include "proto.h"

/* The fixed part of a message of type @p type (RFC 4443 3-4, RFC 4861 4,
 * RFC 2710 3 / RFC 3810 5): what a valid message of that type has at least. */
static uint32_t icmpv6_min_len(uint32_t type)
{
    switch (type) {
    case 1: case 2: case 3: case 4:             /* errors */
    case PKTD__ICMPV6_ECHO_REQUEST:
    case PKTD__ICMPV6_ECHO_REPLY:
    case PKTD__ICMPV6_RS:
    case 143:                                   /* MLDv2 report */
        return 8;
    case PKTD__ICMPV6_RA:
        return 16;
    case 130: case 131: case 132:               /* MLD query, report, done */
    case PKTD__ICMPV6_NS:
    case PKTD__ICMPV6_NA:
        return 24;
    case PKTD__ICMPV6_REDIRECT:
        return 40;
    default:
        return PKTD__ICMPV6_HLEN;
    }
}

static int is_nd(uint32_t type)
{
    return type >= PKTD__ICMPV6_RS && type <= PKTD__ICMPV6_REDIRECT;
}

/* ND options from @p pos to the message end @p msg_end (when known, else
 * the capture): each has a non-zero length in 8-byte units and stays inside
 * the message.  Past the captured bytes nothing is checked. */
static int nd_check_options(struct pktd__packet *s, uint32_t pos, uint32_t msg_end,
                            int msg_known)
{
    uint32_t cap_end = s->ip_end;
    while (pos < msg_end) {
        /* An option may end past the capture: nothing after it is seen. */
        if (pos >= cap_end)
            return 0;
        if (msg_end - pos < 2) {
            if (!msg_known)
                return 0;
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6,
                              PKTD_R_ICMPV6_ND_OPT_OVERRUN, 0, msg_end - pos);
        }
        if (cap_end - pos < 2)
            return 0;
        const uint8_t *o = s->data + pos;
        uint32_t olen = (uint32_t)o[1] * 8;
        if (olen == 0)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_ND_OPT_LEN,
                              o[0], 0);
        if (olen > msg_end - pos) {
            if (!msg_known)
                return 0;
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6,
                              PKTD_R_ICMPV6_ND_OPT_OVERRUN, olen, msg_end - pos);
        }
        pos += olen;
    }
    return 0;
}

int pktd__icmpv6_decode(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    uint32_t avail = end - off;
    if (pktd__unlikely(avail < PKTD__ICMPV6_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_SHORT, avail, 0);
    uint32_t type = s->data[off];
    uint32_t need = icmpv6_min_len(type);
    /* The message length is known when IPv6 announces it and it is not cut
     * by fragmentation. */
    int msg_known = (s->ip_info & PKTD__IP_SEG_COMPLETE) != 0;
    uint32_t msg_len = msg_known ? s->ip_pay_len : avail;
    if (msg_known && msg_len < need)
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_TYPE_SHORT, type,
                          need);
    if (avail < need)
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_TYPE_TRUNC, type,
                          avail);
    if (is_nd(type)) {
        uint32_t msg_end = msg_known ? off + msg_len : end;
        int rc = nd_check_options(s, off + need, msg_end, msg_known);
        if (rc != 0)
            return rc;
    }
    pktd__set_l4(s, PKTD_LAYER_ICMPV6, off, need);
    pktd__set_payload(s, off + need, end);
    return 0;
}

static const uint8_t *icmpv6_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_ICMPV6) ? pktd__l4(s) : NULL;
}

uint8_t pktd_icmpv6_type(const pktd_packet *p)
{
    const uint8_t *h = icmpv6_hdr(p);
    return h != NULL ? h[0] : 0;
}

uint8_t pktd_icmpv6_code(const pktd_packet *p)
{
    const uint8_t *h = icmpv6_hdr(p);
    return h != NULL ? h[1] : 0;
}

uint16_t pktd_icmpv6_checksum(const pktd_packet *p)
{
    const uint8_t *h = icmpv6_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint32_t pktd_icmpv6_rest(const pktd_packet *p)
{
    const uint8_t *h = icmpv6_hdr(p);
    if (h == NULL || pktd__cpkt(p)->l4_hlen < 8)
        return 0;
    return pktd__be32(h + 4);
}

/* PKTD__CSUM_GOOD, PKTD__CSUM_WRONG or PKTD__CSUM_UNVERIFIED (checksum.h). */
static int icmpv6_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_ICMPV6))
        return PKTD__CSUM_UNVERIFIED;
    /* The whole message (not a fragment, length on the wire), all captured. */
    if ((s->ip_info & PKTD__IP_SEG_COMPLETE) == 0)
        return PKTD__CSUM_UNVERIFIED;
    uint32_t len = s->ip_pay_len;
    if (s->ip_end - s->l4_off < len)
        return PKTD__CSUM_UNVERIFIED;
    uint64_t sum;
    if (!pktd__ip_pseudo_sum(s, PKTD__IPPROTO_ICMPV6, len, &sum))
        return PKTD__CSUM_UNVERIFIED;
    sum += pktd__csum_sum(pktd__l4(s), len);
    return pktd__csum_result(sum);
}

int pktd_icmpv6_checksum_ok(const pktd_packet *p)
{
    return icmpv6_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_icmpv6_checksum_bad(const pktd_packet *p)
{
    return icmpv6_checksum_check(p) == PKTD__CSUM_WRONG;
}

int pktd_icmpv6_echo(const pktd_packet *p, uint16_t *id, uint16_t *seq)
{
    if (p == NULL)
        return 0;
    const uint8_t *h = icmpv6_hdr(p);
    if (h == NULL || (h[0] != PKTD__ICMPV6_ECHO_REQUEST && h[0] != PKTD__ICMPV6_ECHO_REPLY))
        return 0;
    if (id != NULL)
        *id = pktd__be16(h + 4);
    if (seq != NULL)
        *seq = pktd__be16(h + 6);
    return 1;
}

const uint8_t *pktd_icmpv6_nd_target(const pktd_packet *p)
{
    const uint8_t *h = icmpv6_hdr(p);
    if (h == NULL ||
        (h[0] != PKTD__ICMPV6_NS && h[0] != PKTD__ICMPV6_NA && h[0] != PKTD__ICMPV6_REDIRECT))
        return NULL;
    return h + 8;
}

/* The cursor is the offset of the next option from the end of the fixed
 * part; options were validated by the decode up to the capture. */
int pktd_icmpv6_nd_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *type,
                               const uint8_t **data, size_t *len)
{
    if (p == NULL || cursor == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_ICMPV6) || !is_nd(pktd__l4(s)[0]))
        return 0;
    uint32_t start = s->l4_off + s->l4_hlen;
    /* The message ends at the IPv6 payload end (clamped to the capture). */
    uint32_t end = s->ip_end;
    if ((s->ip_info & PKTD__IP_SEG_COMPLETE) != 0 && s->ip_pay_len < end - s->l4_off)
        end = s->l4_off + s->ip_pay_len;
    if (*cursor >= end - start || end - start - *cursor < 2)
        return 0;
    const uint8_t *o = s->data + start + *cursor;
    uint32_t olen = (uint32_t)o[1] * 8;
    if (olen == 0 || olen > end - start - *cursor)
        return 0;
    if (type != NULL)
        *type = o[0];
    if (data != NULL)
        *data = o;
    if (len != NULL)
        *len = olen;
    *cursor += olen;
    return 1;
}

int pktd_icmpv6_nd_lladdr(const pktd_packet *p, uint8_t option, const uint8_t **addr,
                          size_t *len)
{
    uint32_t c = 0;
    uint8_t t;
    const uint8_t *d;
    size_t n;
    while (pktd_icmpv6_nd_option_next(p, &c, &t, &d, &n)) {
        if (t == option && (option == PKTD__ND_OPT_SLLA || option == PKTD__ND_OPT_TLLA)) {
            if (addr != NULL)
                *addr = d + 2;
            if (len != NULL)
                *len = n - 2;
            return 1;
        }
    }
    return 0;
}
