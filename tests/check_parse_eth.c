/* Parse area: the packet state, link layers (Ethernet, VLAN stacks, Linux
 * cooked v1/v2, raw IP link types), error details and their formatting. */
#include "config.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>

#include "parse_check.h"

/* Ethernet / IPv4 / UDP with a 5-byte payload "hello". */
static void build_eth_udp(struct fr *f)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t udpo = fr_udp(f, 1234, 53);
    fr_bytes(f, "hello", 5);
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, udpo);
}

/* IPv4 / UDP ("hi") without a link header, appended to @p f. */
static void append_ip_udp(struct fr *f)
{
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t udpo = fr_udp(f, 5000, 6000);
    fr_bytes(f, "hi", 2);
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, udpo);
}

START_TEST(test_sizes)
{
    ck_assert_uint_eq(pktd_packet_size(), PKTD_PACKET_SIZE);
    ck_assert_uint_eq(sizeof(pktd_packet), PKTD_PACKET_SIZE);
    ck_assert_uint_eq(PKTD_PACKET_SIZE, 256);
    ck_assert_uint_eq(alignof(pktd_packet), 8);
    ck_assert_uint_eq(PKTD_VLAN_MAX_DEPTH, 8);
}
END_TEST

START_TEST(test_eth_basic)
{
    struct fr f;
    build_eth_udp(&f);
    pktd_packet p;
    for (int via = 0; via < 2; via++) {
        memset(&p, 0xa5, sizeof p); /* any contents: decode resets */
        int rc = via == 0 ? pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len)
                          : pktd_eth_parse(&p, f.b, f.len);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
        ck_assert_uint_eq(pktd_packet_flags(&p), 0);
        ck_assert_uint_eq(pktd_packet_linktype(&p), PKTD_LINKTYPE_ETHERNET);
        ck_assert(pktd_packet_has(&p, PKTD_LAYER_ETH));
        ck_assert(!pktd_packet_has(&p, PKTD_LAYER_VLAN));
        ck_assert(!pktd_packet_has(&p, PKTD_LAYER_LINK));
        ck_assert_ptr_eq(pktd_eth_dst(&p), f.b);
        ck_assert_ptr_eq(pktd_eth_src(&p), f.b + 6);
        ck_assert_mem_eq(pktd_eth_dst(&p), FR_MAC_DST, 6);
        ck_assert_mem_eq(pktd_eth_src(&p), FR_MAC_SRC, 6);
        ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
        ck_assert_uint_eq(pktd_vlan_count(&p), 0);
        ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0);
        ck_assert_uint_eq(pktd_vlan_tci(&p, 0), 0);
        ASSERT_HEADER(&p, PKTD_LAYER_ETH, f.b, 0, 14);
        ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, 14, 20);
        ASSERT_HEADER(&p, PKTD_LAYER_UDP, f.b, 34, 8);
        ASSERT_PAYLOAD(&p, f.b, 42, 5);
        ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_VLAN, NULL, NULL), 0);
        ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_LINK, NULL, NULL), 0);
        ck_assert_int_eq(pktd_packet_header(&p, 99, NULL, NULL), 0);
        ck_assert_int_eq(pktd_packet_has(&p, 99), 0);
        ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_ETH, NULL, NULL), 1);
        ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 1);
        ASSERT_MSG(&p, "no error");
        /* Not present: the cooked-header accessors say so. */
        ck_assert_uint_eq(pktd_sll_pkttype(&p), 0);
        ck_assert_uint_eq(pktd_sll_hatype(&p), 0);
        ck_assert_uint_eq(pktd_sll2_ifindex(&p), 0);
        size_t alen = 99;
        ck_assert_ptr_null(pktd_sll_addr(&p, &alen));
        ck_assert_uint_eq(alen, 0);
        ck_assert_uint_eq(pktd_udp_sport(&p), 1234);
        ck_assert_uint_eq(pktd_udp_dport(&p), 53);
    }
}
END_TEST

START_TEST(test_eth_short)
{
    struct fr f;
    build_eth_udp(&f);
    pktd_packet p;
    for (size_t n = 0; n < 14; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, b, n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, n, 0);
        ck_assert_uint_eq(pktd_packet_layers(&p), 0);
        ck_assert_ptr_null(pktd_eth_dst(&p));
        ck_assert_uint_eq(pktd_eth_type(&p), 0);
        ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 0);
        fr_touch_all(&p);
        free(b);
    }
    pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, 13);
    ASSERT_MSG(&p, "Ethernet header needs 14 bytes, have 13");
    /* NULL data with no bytes is a valid, empty frame. */
    int rc = pktd_eth_parse(&p, NULL, 0);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, 0, 0);
}
END_TEST

START_TEST(test_eth_unknown_type)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x88b5); /* IEEE 802 local experimental (IPv6 is decoded since 1.1) */
    fr_fill(&f, 0x60, 40);
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_uint_eq(pktd_eth_type(&p), 0x88b5);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, 14, 40);
    /* The bare header with nothing after it: empty payload, no error. */
    rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, 14);
    ASSERT_OK(&p, rc);
    ASSERT_PAYLOAD(&p, f.b, 14, 0);
}
END_TEST

START_TEST(test_eth_8023)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 46);
    fr_bytes(&f, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8); /* LLC/SNAP */
    fr_fill(&f, 0, 38);
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_ETH_8023);
    ck_assert_uint_eq(pktd_eth_type(&p), 46);
    ASSERT_PAYLOAD(&p, f.b, 14, 46);
    /* 0x05ff is still a length, 0x0600 is an (unknown) EtherType. */
    fr_put_be16(&f, 12, 0x05ff);
    pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_ETH_8023);
    fr_put_be16(&f, 12, 0x0600);
    pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    /* A length after a VLAN tag. */
    fr_init(&f);
    fr_eth(&f, 0x8100);
    fr_vlan(&f, 7, 40);
    fr_fill(&f, 0xaa, 40);
    rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_ETH_8023);
    ck_assert_uint_eq(pktd_eth_type(&p), 40);
    ASSERT_PAYLOAD(&p, f.b, 18, 40);
}
END_TEST

START_TEST(test_vlan_single)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x8100);
    uint16_t tci = (uint16_t)(5u << 13 | 1u << 12 | 100u); /* PCP 5, DEI, VID 100 */
    fr_vlan(&f, tci, 0x0800);
    append_ip_udp(&f);
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_vlan_count(&p), 1);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0x8100);
    ck_assert_uint_eq(pktd_vlan_tci(&p, 0), tci);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 100);
    ck_assert_uint_eq(pktd_vlan_pcp(&p, 0), 5);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 1), 0);
    ck_assert_uint_eq(pktd_vlan_tci(&p, 1), 0);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 1), 0);
    ck_assert_uint_eq(pktd_vlan_pcp(&p, 1), 0);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, UINT32_MAX), 0);
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
    ASSERT_HEADER(&p, PKTD_LAYER_ETH, f.b, 0, 14);
    ASSERT_HEADER(&p, PKTD_LAYER_VLAN, f.b, 14, 4);
    ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, 18, 20);
    ASSERT_PAYLOAD(&p, f.b, 46, 2);
    ck_assert_uint_eq(pktd_udp_sport(&p), 5000);
}
END_TEST

START_TEST(test_vlan_qinq_and_tpids)
{
    static const uint16_t tpids[] = {0x88a8, 0x8100, 0x9100, 0x9200};
    struct fr f;
    fr_init(&f);
    fr_eth(&f, tpids[0]);
    fr_vlan(&f, 200, tpids[1]);
    fr_vlan(&f, 2001, tpids[2]);
    fr_vlan(&f, 3u << 13 | 7, tpids[3]);
    fr_vlan(&f, 4095, 0x0806);
    fr_arp(&f, 1, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(ARP));
    ck_assert_uint_eq(pktd_vlan_count(&p), 4);
    static const uint16_t vids[] = {200, 2001, 7, 4095};
    for (uint32_t i = 0; i < 4; i++) {
        ck_assert_uint_eq(pktd_vlan_tpid(&p, i), tpids[i]);
        ck_assert_uint_eq(pktd_vlan_vid(&p, i), vids[i]);
    }
    ck_assert_uint_eq(pktd_vlan_pcp(&p, 2), 3);
    ck_assert_uint_eq(pktd_vlan_pcp(&p, 3), 0);
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0806);
    ASSERT_HEADER(&p, PKTD_LAYER_VLAN, f.b, 14, 16);
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, 30, 28);
    ck_assert_uint_eq(pktd_arp_op(&p), 1);
}
END_TEST

/* A stack of @p n tags of TPID 0x8100, then IPv4/UDP. */
static void build_vlan_stack(struct fr *f, unsigned n)
{
    fr_init(f);
    fr_eth(f, 0x8100);
    for (unsigned i = 0; i < n; i++)
        fr_vlan(f, (uint16_t)(i + 1), i + 1 < n ? 0x8100 : 0x0800);
    append_ip_udp(f);
}

START_TEST(test_vlan_depth)
{
    struct fr f;
    pktd_packet p;
    build_vlan_stack(&f, PKTD_VLAN_MAX_DEPTH);
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_vlan_count(&p), PKTD_VLAN_MAX_DEPTH);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 7), 8);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 7), 0x8100);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_UDP));

    build_vlan_stack(&f, PKTD_VLAN_MAX_DEPTH + 1);
    rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_VLAN, PKTD_R_VLAN_DEPTH,
                PKTD_VLAN_MAX_DEPTH, 0);
    ASSERT_MSG(&p, "more than 8 VLAN tags");
    /* The Ethernet header stays readable; the tags are not reported. */
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_mem_eq(pktd_eth_src(&p), FR_MAC_SRC, 6);
    ck_assert_uint_eq(pktd_eth_type(&p), 0x8100);
    ck_assert_uint_eq(pktd_vlan_count(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, 14, f.len - 14);

    /* Depth is reported even when the 9th tag itself is not captured. */
    rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, 14 + 4 * PKTD_VLAN_MAX_DEPTH);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_VLAN, PKTD_R_VLAN_DEPTH,
                PKTD_VLAN_MAX_DEPTH, 0);
}
END_TEST

START_TEST(test_vlan_truncated)
{
    struct fr f;
    pktd_packet p;
    build_vlan_stack(&f, 2);
    for (size_t n = 14; n < 22; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, b, n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_VLAN, PKTD_R_VLAN_SHORT, (n - 14) % 4,
                    0);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
        ck_assert_mem_eq(pktd_eth_dst(&p), FR_MAC_DST, 6);
        fr_touch_all(&p);
        free(b);
    }
    pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, 16);
    ASSERT_MSG(&p, "VLAN tag needs 4 bytes, have 2");
}
END_TEST

/* Linux cooked v1 header. */
static void sll_header(struct fr *f, uint16_t pkttype, uint16_t hatype, uint16_t halen,
                       uint16_t proto)
{
    fr_be16(f, pkttype);
    fr_be16(f, hatype);
    fr_be16(f, halen);
    fr_bytes(f, "\x2e\x54\xd2\x6b\x74\x64\xee\xff", 8);
    fr_be16(f, proto);
}

START_TEST(test_sll)
{
    struct fr f;
    fr_init(&f);
    sll_header(&f, 4, 1, 6, 0x0800);
    struct fr_ip4 ip = {.ttl = 1, .proto = 1, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    size_t io = fr_icmp(&f, 8, 0, 0x00010002);
    fr_fill(&f, 0x5a, 16);
    fr_ip4_finish(&f, ipo);
    fr_icmp_finish(&f, io);
    pktd_packet p;
    for (int via = 0; via < 2; via++) {
        int rc = via == 0 ? pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, f.b, f.len)
                          : pktd_sll_parse(&p, f.b, f.len);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL) | L(IPV4) | L(ICMP));
        ck_assert_uint_eq(pktd_packet_linktype(&p), PKTD_LINKTYPE_LINUX_SLL);
        ck_assert_uint_eq(pktd_sll_pkttype(&p), 4);
        ck_assert_uint_eq(pktd_sll_hatype(&p), 1);
        ck_assert_uint_eq(pktd_sll2_ifindex(&p), 0);
        size_t alen = 0;
        ck_assert_ptr_eq(pktd_sll_addr(&p, &alen), f.b + 6);
        ck_assert_uint_eq(alen, 6);
        ck_assert_ptr_eq(pktd_sll_addr(&p, NULL), f.b + 6);
        ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
        ck_assert_ptr_null(pktd_eth_dst(&p));
        ck_assert_ptr_null(pktd_eth_src(&p));
        ASSERT_HEADER(&p, PKTD_LAYER_SLL, f.b, 0, 16);
        ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, 16, 20);
        ck_assert_uint_eq(pktd_icmp_type(&p), 8);
        ASSERT_CSUM(icmp, &p, CSUM_GOOD);
        ASSERT_PAYLOAD(&p, f.b, 44, 16);
    }
    /* A longer address than the 8-byte field: clamped. */
    fr_put_be16(&f, 4, 20);
    pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, f.b, f.len);
    size_t alen = 0;
    pktd_sll_addr(&p, &alen);
    ck_assert_uint_eq(alen, 8);
    /* Protocol values below 0x600 are Linux pseudo-protocols: stop. */
    fr_put_be16(&f, 14, 0x0004);
    int rc = pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL));
    ck_assert_uint_eq(pktd_eth_type(&p), 4);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, 16, f.len - 16);
    /* Short header. */
    for (size_t n = 0; n < 16; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        rc = pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, b, n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_SLL, PKTD_R_SLL_SHORT, n, 0);
        fr_touch_all(&p);
        free(b);
    }
    ASSERT_MSG(&p, "cooked header needs 16 bytes, have 15");
}
END_TEST

START_TEST(test_sll_vlan)
{
    struct fr f;
    fr_init(&f);
    sll_header(&f, 0, 1, 6, 0x8100);
    fr_vlan(&f, 42, 0x0800);
    append_ip_udp(&f);
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL) | L(VLAN) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_vlan_count(&p), 1);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0x8100);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 42);
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
    ASSERT_HEADER(&p, PKTD_LAYER_VLAN, f.b, 16, 4);
}
END_TEST

/* Linux cooked v2 header. */
static void sll2_header(struct fr *f, uint16_t proto, uint32_t ifindex, uint16_t hatype,
                        uint8_t pkttype, uint8_t halen)
{
    fr_be16(f, proto);
    fr_be16(f, 0);
    fr_be32(f, ifindex);
    fr_be16(f, hatype);
    fr_u8(f, pkttype);
    fr_u8(f, halen);
    fr_bytes(f, FR_MAC_SRC, 6);
    fr_be16(f, 0);
}

START_TEST(test_sll2)
{
    struct fr f;
    fr_init(&f);
    sll2_header(&f, 0x0806, 7, 1, 1, 6);
    fr_arp(&f, 2, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
    pktd_packet p;
    for (int via = 0; via < 2; via++) {
        int rc = via == 0 ? pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL2, f.b, f.len)
                          : pktd_sll2_parse(&p, f.b, f.len);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL2) | L(ARP));
        ck_assert_uint_eq(pktd_packet_linktype(&p), PKTD_LINKTYPE_LINUX_SLL2);
        ck_assert_uint_eq(pktd_sll2_ifindex(&p), 7);
        ck_assert_uint_eq(pktd_sll_pkttype(&p), 1);
        ck_assert_uint_eq(pktd_sll_hatype(&p), 1);
        size_t alen = 0;
        ck_assert_ptr_eq(pktd_sll_addr(&p, &alen), f.b + 12);
        ck_assert_uint_eq(alen, 6);
        ck_assert_uint_eq(pktd_eth_type(&p), 0x0806);
        ASSERT_HEADER(&p, PKTD_LAYER_SLL2, f.b, 0, 20);
        ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, 20, 28);
        ck_assert_uint_eq(pktd_arp_op(&p), 2);
    }
    /* VLAN: the first TPID is the protocol field at offset 0. */
    fr_init(&f);
    sll2_header(&f, 0x88a8, 3, 1, 0, 6);
    fr_vlan(&f, 10, 0x8100);
    fr_vlan(&f, 20, 0x0800);
    append_ip_udp(&f);
    int rc = pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL2, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_vlan_count(&p), 2);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0x88a8);
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 1), 0x8100);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 10);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 1), 20);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_UDP));
    /* Short header. */
    for (size_t n = 0; n < 20; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        rc = pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL2, b, n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_SLL2, PKTD_R_SLL2_SHORT, n, 0);
        fr_touch_all(&p);
        free(b);
    }
    ASSERT_MSG(&p, "cooked v2 header needs 20 bytes, have 19");
}
END_TEST

START_TEST(test_linktype_unsupported)
{
    struct fr f;
    build_eth_udp(&f);
    pktd_packet p;
    int rc = pktd_decode(&p, 105, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_UNSUPPORTED, PKTD_LAYER_LINK, PKTD_R_LINKTYPE, 105, 0);
    ASSERT_MSG(&p, "unsupported link type 105");
    ck_assert_uint_eq(pktd_packet_layers(&p), 0);
    ck_assert_uint_eq(pktd_packet_linktype(&p), 105);
    ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 0);
    rc = pktd_decode(&p, 147, f.b, f.len); /* LINKTYPE_USER0 */
    ASSERT_STOP(&p, rc, PKTD_E_UNSUPPORTED, PKTD_LAYER_LINK, PKTD_R_LINKTYPE, 147, 0);
}
END_TEST

START_TEST(test_raw_ip_links)
{
    struct fr f;
    fr_init(&f);
    append_ip_udp(&f);
    pktd_packet p;
    /* IPv4 under both raw link types. */
    static const uint32_t lts[] = {PKTD_LINKTYPE_RAW, PKTD_LINKTYPE_IPV4};
    for (int i = 0; i < 2; i++) {
        int rc = pktd_decode(&p, lts[i], f.b, f.len);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV4) | L(UDP));
        ck_assert_uint_eq(pktd_packet_linktype(&p), lts[i]);
        ck_assert_uint_eq(pktd_eth_type(&p), 0);
        ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, 0, 20);
        ASSERT_PAYLOAD(&p, f.b, 28, 2);
    }
    /* An IPv6 packet (next header 59, payload length 8): LINKTYPE_RAW
     * decodes it by its version nibble (since 1.1); LINKTYPE_IPV4 says the
     * version is wrong. */
    struct fr g;
    fr_init(&g);
    fr_u8(&g, 0x60);
    fr_fill(&g, 0, 3);
    fr_u8(&g, 0);
    fr_u8(&g, 8);
    fr_u8(&g, 59);
    fr_fill(&g, 0, 41);
    int rc = pktd_decode(&p, PKTD_LINKTYPE_RAW, g.b, g.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV6));
    ASSERT_PAYLOAD(&p, g.b, 40, 8);
    rc = pktd_decode(&p, PKTD_LINKTYPE_IPV4, g.b, g.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_VERSION, 6, 0);
    ASSERT_MSG(&p, "IP version 6 != 4");
    /* A lone IPv6 version byte is a truncated IPv6 header for LINKTYPE_RAW. */
    uint8_t *one = fr_exact_copy(g.b, 1);
    rc = pktd_decode(&p, PKTD_LINKTYPE_RAW, one, 1);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_SHORT, 1, 0);
    free(one);
    /* Empty and short frames are truncated IPv4. */
    rc = pktd_decode(&p, PKTD_LINKTYPE_RAW, f.b, 0);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 0, 0);
    rc = pktd_decode(&p, PKTD_LINKTYPE_RAW, f.b, 10);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 10, 0);
    rc = pktd_decode(&p, PKTD_LINKTYPE_IPV4, f.b, 19);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 19, 0);
}
END_TEST

START_TEST(test_invalid_arguments)
{
    struct fr f;
    build_eth_udp(&f);
    pktd_packet p;
    ck_assert_int_eq(pktd_decode(NULL, 1, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_eth_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_sll_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_sll2_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_arp_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_ipv4_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_tcp_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_udp_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_icmp_parse(NULL, f.b, f.len), PKTD_E_INVALID_ARGUMENT);

    int rc = pktd_decode(&p, 1, NULL, 5);
    ASSERT_STOP(&p, rc, PKTD_E_INVALID_ARGUMENT, PKTD_LAYER_NONE, PKTD_R_ARGUMENT, 0, 0);
    ASSERT_MSG(&p, "invalid argument");
    ck_assert_uint_eq(pktd_packet_layers(&p), 0);
    ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 0);
    fr_touch_all(&p);
    rc = pktd_udp_parse(&p, NULL, 8);
    ck_assert_int_eq(rc, PKTD_E_INVALID_ARGUMENT);
#if SIZE_MAX > UINT32_MAX
    /* More than 4 GiB - 1 cannot be described by the 32-bit offsets; the
     * buffer is not touched (it is only 60 bytes). */
    rc = pktd_decode(&p, 1, f.b, (size_t)UINT32_MAX + 1);
    ASSERT_STOP(&p, rc, PKTD_E_INVALID_ARGUMENT, PKTD_LAYER_NONE, PKTD_R_ARGUMENT, 0, 0);
#endif
    ck_assert_int_eq(pktd_packet_error_format(NULL, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_packet_error_format(&p, NULL, 5), PKTD_E_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_state_reset)
{
    /* A TCP segment with options, then an ARP frame into the same state:
     * nothing of the first decode may show through. */
    static const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1};
    struct fr a;
    fr_init(&a);
    fr_eth(&a, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .src = FR_IP_SRC, .dst = FR_IP_DST,
                        .frag = 0x2000};
    size_t ipo = fr_ip4(&a, &ip);
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_SYN, .opts = opts,
                       .optlen = sizeof opts};
    fr_tcp(&a, &t);
    fr_ip4_finish(&a, ipo);
    struct fr b;
    fr_init(&b);
    fr_eth(&b, 0x0806);
    fr_arp(&b, 1, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);

    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, a.b, a.len));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 1);
    ASSERT_OK(&p, pktd_decode(&p, 1, b.b, b.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(ARP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 0);
    ck_assert_uint_eq(pktd_tcp_sport(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    ASSERT_CSUM(ipv4, &p, CSUM_UNVERIFIED);
    /* An error, then a good decode: the error is gone. */
    pktd_decode(&p, 1, b.b, 20);
    ck_assert_int_eq(pktd_packet_error(&p), PKTD_E_TRUNCATED);
    ASSERT_OK(&p, pktd_decode(&p, 1, a.b, a.len));
    ASSERT_MSG(&p, "no error");
    /* A bare parse after a full decode: linktype 0, no link layer. */
    ASSERT_OK(&p, pktd_arp_parse(&p, b.b + 14, b.len - 14));
    ck_assert_uint_eq(pktd_packet_linktype(&p), 0);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ARP));
    ck_assert_uint_eq(pktd_eth_type(&p), 0);
    ck_assert_uint_eq(pktd_vlan_count(&p), 0);
}
END_TEST

START_TEST(test_names_and_reasons)
{
    static const char *const names[] = {"none", "link", "sll",  "sll2", "eth", "vlan",
                                        "arp",  "ipv4", "tcp", "udp",  "icmp", "ipv6", "icmpv6",
                                        "loopback", "ppp", "chdlc", "mpls", "pppoe", "gre",
                                        "erspan", "vxlan", "geneve", "gtpu"};
    ck_assert_uint_eq(sizeof names / sizeof names[0], PKTD_LAYER_COUNT_);
    for (uint32_t l = 0; l < PKTD_LAYER_COUNT_; l++)
        ck_assert_str_eq(pktd_layer_name(l), names[l]);
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_COUNT_), "unknown");
    ck_assert_str_eq(pktd_layer_name(UINT32_MAX), "unknown");

    static const struct {
        uint32_t value;
        const char *fmt;
    } reasons[] = {
#define X(name, value, fmt) {value, fmt},
        PKTD_REASON_MAP(X)
#undef X
    };
    size_t n = sizeof reasons / sizeof reasons[0];
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_eq(reasons[i].value, i); /* dense, in order, pinned */
        ck_assert_str_eq(pktd_reason_string(reasons[i].value), reasons[i].fmt);
        /* Only "%u" conversions, at most two. */
        int count = 0;
        for (const char *c = reasons[i].fmt; *c; c++) {
            if (*c == '%') {
                ck_assert_int_eq(c[1], 'u');
                count++;
            }
        }
        ck_assert_int_le(count, 2);
    }
    ck_assert_str_eq(pktd_reason_string((uint32_t)n), "unknown reason");
    ck_assert_str_eq(pktd_reason_string(UINT32_MAX), "unknown reason");
    /* Pinned values. */
    ck_assert_uint_eq(PKTD_R_NONE, 0);
    ck_assert_uint_eq(PKTD_R_LINKTYPE, 1);
    ck_assert_uint_eq(PKTD_R_VLAN_DEPTH, 6);
    ck_assert_uint_eq(PKTD_R_IPV4_IHL, 13);
    ck_assert_uint_eq(PKTD_R_TCP_DOFF, 20);
    ck_assert_uint_eq(PKTD_R_TCP_OPT_SIZE, 26);
    ck_assert_uint_eq(PKTD_R_ICMP_SHORT, 30);
    ck_assert_uint_eq(PKTD_R_ARGUMENT, 31);
}
END_TEST

START_TEST(test_error_format_buffer)
{
    struct fr f;
    build_eth_udp(&f);
    pktd_packet p;
    pktd_decode(&p, 1, f.b, 13);
    const char *full = "Ethernet header needs 14 bytes, have 13";
    int len = (int)strlen(full);
    ck_assert_int_eq(pktd_packet_error_format(&p, NULL, 0), len);
    char buf[64];
    memset(buf, 'x', sizeof buf);
    ck_assert_int_eq(pktd_packet_error_format(&p, buf, 0), len);
    ck_assert_int_eq(buf[0], 'x'); /* size 0: nothing written */
    ck_assert_int_eq(pktd_packet_error_format(&p, buf, 1), len);
    ck_assert_str_eq(buf, "");
    ck_assert_int_eq(pktd_packet_error_format(&p, buf, 9), len);
    ck_assert_str_eq(buf, "Ethernet");
    ck_assert_int_eq(pktd_packet_error_format(&p, buf, (size_t)len), len);
    ck_assert_str_eq(buf, "Ethernet header needs 14 bytes, have 1");
    ck_assert_int_eq(pktd_packet_error_format(&p, buf, (size_t)len + 1), len);
    ck_assert_str_eq(buf, full);
    /* Large values are printed in full. */
    pktd_decode(&p, UINT32_MAX, f.b, f.len);
    ASSERT_MSG(&p, "unsupported link type 4294967295");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_eth");
    TCase *tc = tcase_create("eth");
    tcase_add_test(tc, test_sizes);
    tcase_add_test(tc, test_eth_basic);
    tcase_add_test(tc, test_eth_short);
    tcase_add_test(tc, test_eth_unknown_type);
    tcase_add_test(tc, test_eth_8023);
    tcase_add_test(tc, test_vlan_single);
    tcase_add_test(tc, test_vlan_qinq_and_tpids);
    tcase_add_test(tc, test_vlan_depth);
    tcase_add_test(tc, test_vlan_truncated);
    tcase_add_test(tc, test_sll);
    tcase_add_test(tc, test_sll_vlan);
    tcase_add_test(tc, test_sll2);
    tcase_add_test(tc, test_linktype_unsupported);
    tcase_add_test(tc, test_raw_ip_links);
    tcase_add_test(tc, test_invalid_arguments);
    tcase_add_test(tc, test_state_reset);
    tcase_add_test(tc, test_names_and_reasons);
    tcase_add_test(tc, test_error_format_buffer);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
