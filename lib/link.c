/* Link headers without an Ethernet header (release 1.1): BSD loopback
 * (LINKTYPE_NULL, LINKTYPE_LOOP), PPP (LINKTYPE_PPP, LINKTYPE_PPP_HDLC) and
 * Cisco HDLC (LINKTYPE_C_HDLC), and the dispatch to the IP decoders that
 * they and the raw IP link types share.
 *
 * Each header starts at offset 0 and is re-read by the accessors rather
 * than stored: it is at most 4 bytes, so the state needs no new field. */
#include "config.h"

#include <pktdecode/link.h>

#include "packet_impl.h"
#include "proto.h"

/* The one place where a link layer hands an IP packet over, by IP version
 * (callers pass 4 or 6 only). */
int pktd__ip_by_version(struct pktd__packet *s, uint32_t version, uint32_t off)
{
    if (pktd__likely(version == 4))
        return pktd__ipv4_decode(s, off);
    return pktd__ipv6_decode(s, off);
}

/* Address families that BSDs use for IP in a loopback header: AF_INET is 2
 * everywhere; AF_INET6 is 24 on NetBSD/OpenBSD/BSD/OS, 28 on FreeBSD and
 * DragonFly, 30 on macOS. */
static uint32_t family_ip_version(uint32_t family)
{
    switch (family) {
    case PKTD__AF_INET:
        return 4;
    case PKTD__AF_INET6_BSD:
    case PKTD__AF_INET6_FREEBSD:
    case PKTD__AF_INET6_DARWIN:
        return 6;
    default:
        return 0;
    }
}

/* The family as a number: LOOP is big-endian by definition; NULL is in the
 * capturing host's order, which a small value (every family is < 65536)
 * reveals.  Requires the 4 bytes to be captured. */
static uint32_t loopback_family(const uint8_t *h, uint32_t linktype)
{
    if (linktype == PKTD_LINKTYPE_LOOP)
        return pktd__be32(h);
    uint32_t v = pktd__le32(h);
    return (v & 0xffff0000u) != 0 ? __builtin_bswap32(v) : v;
}

int pktd__loopback_decode(struct pktd__packet *s)
{
    if (pktd__unlikely(s->caplen < PKTD__LOOPBACK_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_LOOPBACK, PKTD_R_LOOPBACK_SHORT,
                          s->caplen, 0);
    s->layers |= PKTD__BIT(PKTD_LAYER_LOOPBACK);
    pktd__set_payload(s, PKTD__LOOPBACK_HLEN, s->caplen);
    uint32_t v = family_ip_version(loopback_family(s->data, s->linktype));
    return v != 0 ? pktd__ip_by_version(s, v, PKTD__LOOPBACK_HLEN) : 0;
}

/* Cisco HDLC: address, control, EtherType; also under LINKTYPE_PPP_HDLC
 * when the first byte is a Cisco address. */
int pktd__chdlc_decode(struct pktd__packet *s)
{
    if (pktd__unlikely(s->caplen < PKTD__CHDLC_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_CHDLC, PKTD_R_CHDLC_SHORT, s->caplen,
                          0);
    s->layers |= PKTD__BIT(PKTD_LAYER_CHDLC);
    pktd__set_payload(s, PKTD__CHDLC_HLEN, s->caplen);
    uint16_t type = pktd__be16(s->data + 2);
    if (type == PKTD__ETHERTYPE_IPV4)
        return pktd__ip_by_version(s, 4, PKTD__CHDLC_HLEN);
    if (type == PKTD__ETHERTYPE_IPV6)
        return pktd__ip_by_version(s, 6, PKTD__CHDLC_HLEN);
    return 0; /* SLARP, CDP, CLNS, ...: the rest is payload */
}

/* Length of the address/control fields of a PPP header that starts with
 * the @p n captured bytes at @p h: 2 when the first byte is the all-stations
 * address 0xff (RFC 1662), else 0 (address and control omitted). */
static uint32_t ppp_addr_len(const uint8_t *h, uint32_t n)
{
    return n > 0 && h[0] == PKTD__PPP_ADDRESS ? 2u : 0u;
}

/* Length of the protocol field whose first byte is @p b: a value whose
 * first byte is odd is a compressed 1-byte field (RFC 1661 section 6.5;
 * uncompressed protocol numbers always have an even first byte). */
static uint32_t ppp_proto_len(uint8_t b)
{
    return (b & 1u) != 0 ? 1u : 2u;
}

int pktd__ppp_decode(struct pktd__packet *s)
{
    const uint8_t *h = s->data;
    uint32_t n = s->caplen;
    if (s->linktype == PKTD_LINKTYPE_PPP_HDLC && n > 0 &&
        (h[0] == PKTD__CHDLC_UNICAST || h[0] == PKTD__CHDLC_BROADCAST))
        return pktd__chdlc_decode(s);
    uint32_t off = ppp_addr_len(h, n);
    /* Without the first protocol byte the field's size is unknown: the
     * smallest header with it is reported. */
    uint32_t need = off + (n > off ? ppp_proto_len(h[off]) : 1u);
    if (pktd__unlikely(n < need))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_PPP, PKTD_R_PPP_SHORT, need, n);
    s->layers |= PKTD__BIT(PKTD_LAYER_PPP);
    pktd__set_payload(s, need, n);
    uint16_t proto = need - off == 1 ? h[off] : pktd__be16(h + off);
    if (proto == PKTD__PPP_IPV4)
        return pktd__ip_by_version(s, 4, need);
    if (proto == PKTD__PPP_IPV6)
        return pktd__ip_by_version(s, 6, need);
    if (proto == PKTD__PPP_MPLS_UC || proto == PKTD__PPP_MPLS_MC)
        return pktd__tunnel_at(s, PKTD_TUNNEL_MPLS, need, n); /* for pktd_decode_inner() */
    return 0; /* LCP, IPCP, ...: the rest is payload */
}

uint32_t pktd__link_hlen(const struct pktd__packet *s, uint32_t layer)
{
    if (layer == PKTD_LAYER_LOOPBACK)
        return PKTD__LOOPBACK_HLEN;
    if (layer == PKTD_LAYER_CHDLC)
        return PKTD__CHDLC_HLEN;
    uint32_t off = ppp_addr_len(s->data, s->caplen);
    return off + ppp_proto_len(s->data[off]);
}

uint32_t pktd_loopback_family(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_LOOPBACK) ? loopback_family(s->data, s->linktype) : 0;
}

uint16_t pktd_ppp_protocol(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_PPP))
        return 0;
    const uint8_t *h = s->data + ppp_addr_len(s->data, s->caplen);
    return ppp_proto_len(h[0]) == 1 ? h[0] : pktd__be16(h);
}

int pktd_ppp_has_address(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s != NULL && pktd__has(s, PKTD_LAYER_PPP) && ppp_addr_len(s->data, s->caplen) != 0;
}

uint8_t pktd_ppp_control(const pktd_packet *p)
{
    return pktd_ppp_has_address(p) ? pktd__cpkt(p)->data[1] : 0;
}

uint8_t pktd_chdlc_address(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_CHDLC) ? s->data[0] : 0;
}

uint8_t pktd_chdlc_control(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_CHDLC) ? s->data[1] : 0;
}

uint16_t pktd_chdlc_protocol(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_CHDLC) ? pktd__be16(s->data + 2) : 0;
}
