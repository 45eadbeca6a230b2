/* UDP (RFC 768): the length field against the IP payload and the capture,
 * and the checksum over the IPv4 pseudo-header.
 *
 * The length is compared with the IP payload the IPv4 header announces
 * (tcpdump's order): below 8 is malformed, above the IP payload is malformed
 * unless the packet is a first fragment (the datagram continues in later
 * fragments), below it is padding, and above the captured bytes only a flag.
 * Without a known IP payload (a bare parse, or IPv4 total length 0) only the
 * captured bytes are known, and they bound nothing but the payload. */
#include "config.h"

#include <pktdecode/udp.h>

#include "checksum.h"
#include "packet_impl.h"
#include "proto.h"


int pktd__udp_decode(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    uint32_t avail = end - off;
    if (pktd__unlikely(avail < PKTD__UDP_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, avail, 0);
    uint32_t ulen = pktd__be16(s->data + off + 4);
    int ip_known = (s->ip_info & PKTD__IP_PAY_KNOWN) != 0;
    uint32_t ip_pay = ip_known ? s->ip_pay_len : avail;
    uint32_t eff = ulen;
    if (pktd__likely(ulen == ip_pay)) {
        /* the common case: nothing to flag */
    } else if (ulen == 0) {
        /* GSO or jumbogram: the length is the IP payload's. */
        s->flags |= PKTD_F_UDP_LEN_ZERO;
        eff = ip_pay;
    } else if (ulen < PKTD__UDP_HLEN) {
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_UDP, PKTD_R_UDP_LEN_SHORT, ulen, 0);
    } else if (ulen < ip_pay) {
        s->flags |= PKTD_F_UDP_PADDING;
    } else if (ip_known && (s->flags & PKTD_F_FRAGMENT) == 0) {
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_UDP, PKTD_R_UDP_LEN_LONG, ulen,
                          ip_pay);
    }
    /* Here ulen > ip_pay only for a first fragment or an unknown IP payload:
     * the datagram goes on beyond the bytes we have. */
    uint32_t pay_end = end;
    s->flags &= ~PKTD_F_PAYLOAD_TRUNCATED;
    if (eff > avail)
        s->flags |= PKTD_F_UDP_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    else
        pay_end = off + eff;
    s->udp_len = eff;
    if (pktd__has(s, PKTD_LAYER_IPV6) && pktd__be16(s->data + off + 6) == 0)
        s->flags |= PKTD_F_UDP_ZERO_CSUM;
    pktd__set_l4(s, PKTD_LAYER_UDP, off, PKTD__UDP_HLEN);
    pktd__set_payload(s, off + PKTD__UDP_HLEN, pay_end);
    return pktd__udp_tunnel(s, off, pay_end);
}

int pktd_udp_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__udp_decode(s, 0, s->caplen);
}

static const uint8_t *udp_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_UDP) ? pktd__l4(s) : NULL;
}

uint16_t pktd_udp_sport(const pktd_packet *p)
{
    const uint8_t *h = udp_hdr(p);
    return h != NULL ? pktd__be16(h) : 0;
}

uint16_t pktd_udp_dport(const pktd_packet *p)
{
    const uint8_t *h = udp_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint16_t pktd_udp_len(const pktd_packet *p)
{
    const uint8_t *h = udp_hdr(p);
    return h != NULL ? pktd__be16(h + 4) : 0;
}

uint16_t pktd_udp_checksum(const pktd_packet *p)
{
    const uint8_t *h = udp_hdr(p);
    return h != NULL ? pktd__be16(h + 6) : 0;
}

/* PKTD__CSUM_GOOD, PKTD__CSUM_WRONG or PKTD__CSUM_UNVERIFIED (checksum.h). */
static int udp_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_UDP))
        return PKTD__CSUM_UNVERIFIED;
    const uint8_t *h = pktd__l4(s);
    if (pktd__be16(h + 6) == 0) {
        /* Over IPv4 the sender computed no checksum.  Over IPv6 the
         * checksum is mandatory (RFC 8200 8.1): 0 is wrong, whatever the
         * bytes, except for the tunnels of RFC 6935 that only the receiver
         * knows about (PKTD_F_UDP_ZERO_CSUM tells it apart). */
        return pktd__has(s, PKTD_LAYER_IPV6) ? PKTD__CSUM_WRONG : PKTD__CSUM_UNVERIFIED;
    }
    /* Only a whole datagram can be summed: not a fragment, length known,
     * and every byte captured (the sum stays inside the captured data). */
    if ((s->ip_info & PKTD__IP_SEG_COMPLETE) == 0)
        return PKTD__CSUM_UNVERIFIED;
    uint32_t len = s->udp_len;
    if (s->ip_end - s->l4_off < len)
        return PKTD__CSUM_UNVERIFIED;
    uint64_t sum;
    if (!pktd__ip_pseudo_sum(s, PKTD__IPPROTO_UDP, len, &sum))
        return PKTD__CSUM_UNVERIFIED;
    sum += pktd__csum_sum(h, len);
    return pktd__csum_result(sum);
}

int pktd_udp_checksum_ok(const pktd_packet *p)
{
    return udp_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_udp_checksum_bad(const pktd_packet *p)
{
    return udp_checksum_check(p) == PKTD__CSUM_WRONG;
}
