/* ARP (RFC 826): an 8-byte fixed header, then sender and target addresses
 * whose sizes the header gives (hln hardware bytes, pln protocol bytes).
 *
 * The sizes are honoured, not assumed: the addresses must all be captured,
 * and the two combinations whose sizes are fixed by definition (Ethernet
 * hardware = 6, IPv4 protocol = 4) must match, as the kernel's flow
 * dissector requires.  tcpdump's arp-too-long-tha.pcap (hln 14 with
 * Ethernet-looking data) is the over-read this prevents. */
#include "config.h"

#include <pktdecode/arp.h>

#include "packet_impl.h"
#include "proto.h"


int pktd__arp_decode(struct pktd__packet *s, uint32_t off)
{
    uint32_t avail = s->caplen - off;
    if (pktd__unlikely(avail < PKTD__ARP_FIXED_LEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ARP, PKTD_R_ARP_SHORT, avail, 0);
    const uint8_t *h = s->data + off;
    uint32_t hln = h[4];
    uint32_t pln = h[5];
    if (pktd__be16(h) == PKTD__ARPHRD_ETHER && hln != 6)
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ARP, PKTD_R_ARP_HLEN, hln, 0);
    if (pktd__be16(h + 2) == PKTD__ETHERTYPE_IPV4 && pln != 4)
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_ARP, PKTD_R_ARP_PLEN, pln, 0);
    uint32_t need = PKTD__ARP_FIXED_LEN + 2 * hln + 2 * pln;
    if (pktd__unlikely(avail < need))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ARP, PKTD_R_ARP_ADDR_SHORT, need,
                          avail);
    pktd__set_l3(s, PKTD_LAYER_ARP, off, need);
    /* ARP has no payload; what follows is link-layer padding, which is never
     * reported as payload. */
    pktd__set_payload(s, off + need, off + need);
    return 0;
}

int pktd_arp_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__arp_decode(s, 0);
}

static const uint8_t *arp_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_ARP) ? pktd__l3(s) : NULL;
}

uint16_t pktd_arp_htype(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? pktd__be16(h) : 0;
}

uint16_t pktd_arp_ptype(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint8_t pktd_arp_hlen(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h[4] : 0;
}

uint8_t pktd_arp_plen(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h[5] : 0;
}

uint16_t pktd_arp_op(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? pktd__be16(h + 6) : 0;
}

const uint8_t *pktd_arp_sha(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h + PKTD__ARP_FIXED_LEN : NULL;
}

const uint8_t *pktd_arp_spa_bytes(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h + PKTD__ARP_FIXED_LEN + h[4] : NULL;
}

/* An IPv4 protocol address (ptype IPv4, plen 4) in host order, else 0: the
 * one shape of an IPv4 address (R10).  The decoder checked that the
 * addresses were captured. */
static uint32_t arp_ipv4(const uint8_t *h, const uint8_t *addr)
{
    if (h == NULL || pktd__be16(h + 2) != PKTD__ETHERTYPE_IPV4 || h[5] != PKTD__IPV4_ALEN)
        return 0;
    return pktd__be32(addr);
}

uint32_t pktd_arp_spa(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return arp_ipv4(h, pktd_arp_spa_bytes(p));
}

const uint8_t *pktd_arp_tha(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h + PKTD__ARP_FIXED_LEN + h[4] + h[5] : NULL;
}

const uint8_t *pktd_arp_tpa_bytes(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return h != NULL ? h + PKTD__ARP_FIXED_LEN + 2 * h[4] + h[5] : NULL;
}

uint32_t pktd_arp_tpa(const pktd_packet *p)
{
    const uint8_t *h = arp_hdr(p);
    return arp_ipv4(h, pktd_arp_tpa_bytes(p));
}
