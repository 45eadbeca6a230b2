/* Ethernet II / 802.3, 802.1Q / 802.1ad tag stacks, and the EtherType
 * dispatch shared with the Linux cooked headers (sll.c). */
#include "config.h"

#include <pktdecode/eth.h>

#include "packet_impl.h"
#include "proto.h"


static inline int is_vlan_tpid(uint16_t type)
{
    return type == PKTD__TPID_8021Q || type == PKTD__TPID_8021AD || type == PKTD__TPID_QINQ1 ||
           type == PKTD__TPID_QINQ2;
}

/* The link header ended at @p off with protocol @p type, read from the 2
 * bytes at @p type_off (where a first VLAN tag's TPID is). */
int pktd__ethertype_decode(struct pktd__packet *s, uint16_t type, uint32_t type_off,
                           uint32_t off)
{
    s->eth_type = type;
    pktd__set_payload(s, off, s->caplen);
    if (pktd__likely(type == PKTD__ETHERTYPE_IPV4))
        return pktd__ipv4_decode(s, off);
    if (type == PKTD__ETHERTYPE_IPV6)
        return pktd__ipv6_decode(s, off);
    if (type == PKTD__ETHERTYPE_ARP)
        return pktd__arp_decode(s, off);
    if (pktd__unlikely(is_vlan_tpid(type)))
        return pktd__vlan_decode(s, type_off, off);
    pktd__ethertype_tunnel(s, type, off); /* MPLS, PPPoE: noted for pktd_decode_inner() */
    return 0; /* the rest is payload */
}

/* A tag stack starting at @p off; the first TPID is the 2 bytes at
 * @p tpid_off (the link header's type field).  Each tag is TCI + the next
 * type, so the tags occupy 4 bytes each from @p off on. */
int pktd__vlan_decode(struct pktd__packet *s, uint32_t tpid_off, uint32_t off)
{
    uint32_t n = 0;
    uint32_t pos = off;
    uint16_t type;
    do {
        if (pktd__unlikely(n == PKTD_VLAN_MAX_DEPTH))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_VLAN, PKTD_R_VLAN_DEPTH,
                              PKTD_VLAN_MAX_DEPTH, 0);
        if (pktd__unlikely(s->caplen - pos < PKTD__VLAN_TAG_LEN))
            return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_VLAN, PKTD_R_VLAN_SHORT,
                              s->caplen - pos, 0);
        type = pktd__be16(s->data + pos + 2);
        pos += PKTD__VLAN_TAG_LEN;
        n++;
    } while (is_vlan_tpid(type));
    s->layers |= PKTD__BIT(PKTD_LAYER_VLAN);
    s->vlan_off = off;
    s->vlan_count = (uint8_t)n;
    s->vlan_tpid0 = tpid_off;
    s->eth_type = type;
    pktd__set_payload(s, pos, s->caplen);
    if (pktd__likely(type == PKTD__ETHERTYPE_IPV4))
        return pktd__ipv4_decode(s, pos);
    if (type == PKTD__ETHERTYPE_IPV6)
        return pktd__ipv6_decode(s, pos);
    if (type == PKTD__ETHERTYPE_ARP)
        return pktd__arp_decode(s, pos);
    if (pktd__ethertype_tunnel(s, type, pos))
        return 0;
    /* Inside an Ethernet frame, a small inner type is an 802.3 length. */
    if (type < PKTD__ETHERTYPE_MIN && pktd__has(s, PKTD_LAYER_ETH))
        s->flags |= PKTD_F_ETH_8023;
    return 0;
}

int pktd__eth_decode(struct pktd__packet *s)
{
    if (pktd__unlikely(s->caplen < PKTD__ETH_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, s->caplen, 0);
    s->layers |= PKTD__BIT(PKTD_LAYER_ETH);
    uint16_t type = pktd__be16(s->data + 12);
    if (pktd__likely(type == PKTD__ETHERTYPE_IPV4)) {
        s->eth_type = type;
        pktd__set_payload(s, PKTD__ETH_HLEN, s->caplen);
        return pktd__ipv4_decode(s, PKTD__ETH_HLEN);
    }
    if (pktd__unlikely(type < PKTD__ETHERTYPE_MIN)) {
        /* 802.3 length: LLC/SNAP is not decoded; the rest is payload. */
        s->eth_type = type;
        s->flags |= PKTD_F_ETH_8023;
        pktd__set_payload(s, PKTD__ETH_HLEN, s->caplen);
        return 0;
    }
    return pktd__ethertype_decode(s, type, 12, PKTD__ETH_HLEN);
}

int pktd_eth_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, PKTD_LINKTYPE_ETHERNET, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__eth_fast_decode(s);
}

const uint8_t *pktd_eth_dst(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_ETH) ? s->data : NULL;
}

const uint8_t *pktd_eth_src(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_ETH) ? s->data + 6 : NULL;
}

uint16_t pktd_eth_type(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    const uint32_t link =
        PKTD__BIT(PKTD_LAYER_ETH) | PKTD__BIT(PKTD_LAYER_SLL) | PKTD__BIT(PKTD_LAYER_SLL2);
    return (s->layers & link) != 0 ? s->eth_type : 0;
}

uint32_t pktd_vlan_count(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_VLAN) ? s->vlan_count : 0;
}

uint16_t pktd_vlan_tpid(const pktd_packet *p, uint32_t i)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_VLAN) || i >= s->vlan_count)
        return 0;
    /* Tag 0's TPID is the link header's type field; tag i's is the type
     * field that ends tag i-1. */
    uint32_t at = i == 0 ? s->vlan_tpid0 : s->vlan_off + PKTD__VLAN_TAG_LEN * i - 2;
    return pktd__be16(s->data + at);
}

uint16_t pktd_vlan_tci(const pktd_packet *p, uint32_t i)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_VLAN) || i >= s->vlan_count)
        return 0;
    return pktd__be16(s->data + s->vlan_off + PKTD__VLAN_TAG_LEN * i);
}

uint16_t pktd_vlan_vid(const pktd_packet *p, uint32_t i)
{
    return pktd_vlan_tci(p, i) & 0x0fffu;
}

uint8_t pktd_vlan_pcp(const pktd_packet *p, uint32_t i)
{
    return (uint8_t)(pktd_vlan_tci(p, i) >> 13);
}
