/* Linux cooked capture headers, v1 (LINKTYPE_LINUX_SLL, 16 bytes) and v2
 * (LINKTYPE_LINUX_SLL2, 20 bytes).
 *
 * v1: packet type(2) ARPHRD type(2) address length(2) address(8) protocol(2)
 * v2: protocol(2) reserved(2) ifindex(4) ARPHRD type(2) packet type(1)
 *     address length(1) address(8)
 *
 * The protocol field is an EtherType when it is >= 0x600; smaller values are
 * Linux's pseudo-protocols (ETH_P_802_3, ETH_P_802_2, ...) or a netlink
 * family, and decoding stops there without an error.  libpcap puts a VLAN
 * tag the kernel stripped back as protocol 0x8100 followed by TCI + type,
 * so tags are decoded as on Ethernet. */
#include "config.h"

#include <pktdecode/eth.h>

#include "packet_impl.h"
#include "proto.h"


static int cooked_next(struct pktd__packet *s, uint32_t proto_off, uint32_t off)
{
    uint16_t proto = pktd__be16(s->data + proto_off);
    if (proto < 0x0600u) {
        s->eth_type = proto;
        pktd__set_payload(s, off, s->caplen);
        return 0;
    }
    return pktd__ethertype_decode(s, proto, proto_off, off);
}

int pktd__sll_decode(struct pktd__packet *s)
{
    if (pktd__unlikely(s->caplen < PKTD__SLL_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_SLL, PKTD_R_SLL_SHORT, s->caplen, 0);
    s->layers |= PKTD__BIT(PKTD_LAYER_SLL);
    return cooked_next(s, 14, PKTD__SLL_HLEN);
}

int pktd__sll2_decode(struct pktd__packet *s)
{
    if (pktd__unlikely(s->caplen < PKTD__SLL2_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_SLL2, PKTD_R_SLL2_SHORT, s->caplen,
                          0);
    s->layers |= PKTD__BIT(PKTD_LAYER_SLL2);
    return cooked_next(s, 0, PKTD__SLL2_HLEN);
}

int pktd_sll_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, PKTD_LINKTYPE_LINUX_SLL, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__sll_decode(s);
}

int pktd_sll2_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, PKTD_LINKTYPE_LINUX_SLL2, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__sll2_decode(s);
}

uint16_t pktd_sll_pkttype(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (pktd__has(s, PKTD_LAYER_SLL))
        return pktd__be16(s->data);
    if (pktd__has(s, PKTD_LAYER_SLL2))
        return s->data[10];
    return 0;
}

uint16_t pktd_sll_hatype(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (pktd__has(s, PKTD_LAYER_SLL))
        return pktd__be16(s->data + 2);
    if (pktd__has(s, PKTD_LAYER_SLL2))
        return pktd__be16(s->data + 8);
    return 0;
}

uint32_t pktd_sll2_ifindex(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_SLL2) ? pktd__be32(s->data + 4) : 0;
}

/* The address field is always 8 bytes; the length field says how many are
 * used and may claim more (e.g. 20-byte InfiniBand addresses), so it is
 * clamped to the field. */
const uint8_t *pktd_sll_addr(const pktd_packet *p, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    const uint8_t *h;
    uint32_t n;
    if (pktd__has(s, PKTD_LAYER_SLL)) {
        h = s->data;
        n = pktd__be16(h + 4);
        h += 6;
    } else if (pktd__has(s, PKTD_LAYER_SLL2)) {
        h = s->data;
        n = h[11];
        h += 12;
    } else {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = n < PKTD__SLL_ADDR_MAX ? n : PKTD__SLL_ADDR_MAX;
    return h;
}
