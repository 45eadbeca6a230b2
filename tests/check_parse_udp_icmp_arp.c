/* Parse area: UDP (length cases, checksum), ICMP (echo, checksum) and ARP
 * (fixed and variable address sizes, malformed and truncated cases). */
#include "config.h"

#include <stdlib.h>

#include "parse_check.h"

#define ETH 14u
#define L4 (ETH + 20u)

/* Ethernet / IPv4 / UDP with @p paylen payload bytes; checksums right. */
static void build_udp(struct fr *f, size_t paylen, uint16_t frag)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .frag = frag, .src = FR_IP_SRC,
                        .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t uo = fr_udp(f, 5353, 53);
    for (size_t i = 0; i < paylen; i++)
        fr_u8(f, (uint8_t)(0x80 + i));
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, uo);
}

START_TEST(test_udp_fields)
{
    struct fr f;
    build_udp(&f, 30, 0);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ck_assert_uint_eq(pktd_udp_sport(&p), 5353);
    ck_assert_uint_eq(pktd_udp_dport(&p), 53);
    ck_assert_uint_eq(pktd_udp_len(&p), 38);
    ck_assert_uint_eq(pktd_udp_checksum(&p), (uint16_t)(f.b[L4 + 6] << 8 | f.b[L4 + 7]));
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    ASSERT_HEADER(&p, PKTD_LAYER_UDP, f.b, L4, 8);
    ASSERT_PAYLOAD(&p, f.b, L4 + 8, 30);
    /* Absent. */
    ASSERT_OK(&p, pktd_icmp_parse(&p, f.b, 8));
    ck_assert_uint_eq(pktd_udp_sport(&p), 0);
    ck_assert_uint_eq(pktd_udp_len(&p), 0);
    ck_assert_uint_eq(pktd_udp_checksum(&p), 0);
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
}
END_TEST

START_TEST(test_udp_checksum)
{
    struct fr f;
    pktd_packet p;
    for (size_t n = 0; n < 10; n++) {
        build_udp(&f, n, 0);
        ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
        ASSERT_CSUM(udp, &p, CSUM_GOOD);
        if (n > 0) {
            f.b[f.len - 1] ^= 0x10;
            ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
            ASSERT_CSUM(udp, &p, CSUM_WRONG);
        }
    }
    /* Field 0: no checksum was sent, nothing to verify. */
    build_udp(&f, 5, 0);
    fr_put_be16(&f, L4 + 6, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_udp_checksum(&p), 0);
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    /* A corrupted pseudo-header field (the protocol is part of it). */
    build_udp(&f, 5, 0);
    f.b[ETH + 12] ^= 0x01;
    fr_ip4_checksum(&f, ETH);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(udp, &p, CSUM_WRONG);
    /* Not fully captured. */
    build_udp(&f, 5, 0);
    uint8_t *b = fr_exact_copy(f.b, f.len - 2);
    ASSERT_OK(&p, pktd_decode(&p, 1, b, f.len - 2));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    free(b);
    /* Bare parse: no IPv4 pseudo-header. */
    ASSERT_OK(&p, pktd_udp_parse(&p, f.b + L4, 13));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
}
END_TEST

START_TEST(test_udp_lengths)
{
    struct fr f;
    pktd_packet p;
    /* UDP length below the IP payload: padding inside IP, clamped. */
    build_udp(&f, 10, 0);
    fr_put_be16(&f, L4 + 4, 12);
    fr_put_be16(&f, L4 + 6, 0);
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_PADDING);
    ck_assert_uint_eq(pktd_udp_len(&p), 12);
    ASSERT_PAYLOAD(&p, f.b, L4 + 8, 4);
    /* ... and its checksum covers the UDP length only. */
    {
        struct fr g;
        fr_init(&g);
        fr_eth(&g, 0x0800);
        struct fr_ip4 ip = {.ttl = 9, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
        size_t ipo = fr_ip4(&g, &ip);
        size_t uo = fr_udp(&g, 7, 7);
        fr_bytes(&g, "abcde", 5);
        fr_udp_finish(&g, ipo, uo); /* length 13 */
        fr_fill(&g, 0x99, 6);       /* inside the IP packet, outside UDP */
        fr_ip4_finish(&g, ipo);
        ASSERT_OK(&p, pktd_decode(&p, 1, g.b, g.len));
        ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_PADDING);
        ASSERT_PAYLOAD(&p, g.b, L4 + 8, 5);
        ASSERT_CSUM(udp, &p, CSUM_GOOD);
    }
    /* Below 8: malformed. */
    for (unsigned ulen = 1; ulen < 8; ulen++) {
        fr_put_be16(&f, L4 + 4, (uint16_t)ulen);
        rc = pktd_decode(&p, 1, f.b, f.len);
        ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_UDP, PKTD_R_UDP_LEN_SHORT, ulen, 0);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
        ASSERT_PAYLOAD(&p, f.b, L4, 18);
    }
    ASSERT_MSG(&p, "UDP length 7 < 8");
    /* Above the IP payload: malformed. */
    fr_put_be16(&f, L4 + 4, 19);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_UDP, PKTD_R_UDP_LEN_LONG, 19, 18);
    ASSERT_MSG(&p, "UDP length 19 > IP payload length 18");
    /* 0: GSO / jumbogram, the IP payload length is used. */
    fr_put_be16(&f, L4 + 4, 0);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_LEN_ZERO);
    ck_assert_uint_eq(pktd_udp_len(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, L4 + 8, 10);
    /* Within the IP payload but beyond the capture: flagged. */
    build_udp(&f, 10, 0);
    uint8_t *b = fr_exact_copy(f.b, f.len - 3);
    rc = pktd_decode(&p, 1, b, f.len - 3);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_UDP_TRUNCATED |
                                                 PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_PAYLOAD(&p, b, L4 + 8, 7);
    free(b);
    /* IP truncated, but the (shorter) UDP datagram is all there. */
    build_udp(&f, 10, 0);
    fr_put_be16(&f, L4 + 4, 12);
    rc = pktd_decode(&p, 1, f.b, f.len - 3);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_UDP_PADDING);
    ASSERT_PAYLOAD(&p, f.b, L4 + 8, 4);
    /* Fewer than 8 bytes. */
    for (size_t n = 0; n < 8; n++) {
        rc = pktd_decode(&p, 1, f.b, L4 + n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, n, 0);
    }
    ASSERT_MSG(&p, "UDP header needs 8 bytes, have 7");
}
END_TEST

START_TEST(test_udp_bare)
{
    struct fr f;
    build_udp(&f, 10, 0);
    pktd_packet p;
    uint8_t *b = fr_exact_copy(f.b + L4, 18);
    ASSERT_OK(&p, pktd_udp_parse(&p, b, 18));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ASSERT_PAYLOAD(&p, b, 8, 10);
    /* Without IP, a length above the bytes given is only a flag ... */
    ASSERT_OK(&p, pktd_udp_parse(&p, b, 12));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_PAYLOAD(&p, b, 8, 4);
    /* ... and trailing bytes are padding. */
    b[5] = 10;
    ASSERT_OK(&p, pktd_udp_parse(&p, b, 18));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_PADDING);
    ASSERT_PAYLOAD(&p, b, 8, 2);
    b[5] = 0;
    ASSERT_OK(&p, pktd_udp_parse(&p, b, 18));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_LEN_ZERO);
    ASSERT_PAYLOAD(&p, b, 8, 10);
    b[5] = 3;
    int rc = pktd_udp_parse(&p, b, 18);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_UDP, PKTD_R_UDP_LEN_SHORT, 3, 0);
    rc = pktd_udp_parse(&p, b, 7);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, 7, 0);
    free(b);
}
END_TEST

/* Ethernet / IPv4 / ICMP (@p type) with @p paylen payload bytes. */
static void build_icmp(struct fr *f, uint8_t type, uint8_t code, uint32_t rest, size_t paylen)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 1, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t io = fr_icmp(f, type, code, rest);
    for (size_t i = 0; i < paylen; i++)
        fr_u8(f, (uint8_t)i);
    fr_ip4_finish(f, ipo);
    fr_icmp_finish(f, io);
}

START_TEST(test_icmp)
{
    struct fr f;
    pktd_packet p;
    build_icmp(&f, 8, 0, 0x1234000au, 56);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(ICMP));
    ck_assert_uint_eq(pktd_icmp_type(&p), 8);
    ck_assert_uint_eq(pktd_icmp_code(&p), 0);
    ck_assert_uint_eq(pktd_icmp_checksum(&p), (uint16_t)(f.b[L4 + 2] << 8 | f.b[L4 + 3]));
    ck_assert_uint_eq(pktd_icmp_rest(&p), 0x1234000au);
    uint16_t id = 0, seq = 0;
    ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 1);
    ck_assert_uint_eq(id, 0x1234);
    ck_assert_uint_eq(seq, 10);
    ck_assert_int_eq(pktd_icmp_echo(&p, NULL, NULL), 1);
    ASSERT_CSUM(icmp, &p, CSUM_GOOD);
    ASSERT_HEADER(&p, PKTD_LAYER_ICMP, f.b, L4, 8);
    ASSERT_PAYLOAD(&p, f.b, L4 + 8, 56);
    /* Echo reply. */
    build_icmp(&f, 0, 0, 0x00050006u, 3);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 1);
    ck_assert_uint_eq(id, 5);
    ck_assert_uint_eq(seq, 6);
    ASSERT_CSUM(icmp, &p, CSUM_GOOD);
    /* Destination unreachable (3/3, next-hop MTU in the rest): not echo. */
    build_icmp(&f, 3, 3, 0x000005dcu, 28);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_icmp_type(&p), 3);
    ck_assert_uint_eq(pktd_icmp_code(&p), 3);
    ck_assert_uint_eq(pktd_icmp_rest(&p), 1500);
    id = 77;
    ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 0);
    ck_assert_uint_eq(id, 77);
    ASSERT_CSUM(icmp, &p, CSUM_GOOD);
    /* Corrupt: odd-length message, last byte flipped. */
    build_icmp(&f, 8, 0, 1, 7);
    f.b[f.len - 1] ^= 0xff;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(icmp, &p, CSUM_WRONG);
    /* Truncated message: flagged, checksum refused. */
    build_icmp(&f, 8, 0, 1, 20);
    uint8_t *b = fr_exact_copy(f.b, f.len - 5);
    ASSERT_OK(&p, pktd_decode(&p, 1, b, f.len - 5));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_PAYLOAD(&p, b, L4 + 8, 15);
    ASSERT_CSUM(icmp, &p, CSUM_UNVERIFIED);
    free(b);
    /* Short header. */
    for (size_t n = 0; n < 8; n++) {
        int rc = pktd_decode(&p, 1, f.b, L4 + n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ICMP, PKTD_R_ICMP_SHORT, n, 0);
        ck_assert_uint_eq(pktd_ipv4_proto(&p), 1);
    }
    ASSERT_MSG(&p, "ICMP header needs 8 bytes, have 7");
    /* Absent. */
    ASSERT_OK(&p, pktd_udp_parse(&p, FR_UDP_ONLY, 8));
    ck_assert_uint_eq(pktd_icmp_type(&p), 0);
    ck_assert_uint_eq(pktd_icmp_rest(&p), 0);
    ck_assert_int_eq(pktd_icmp_echo(&p, NULL, NULL), 0);
    ASSERT_CSUM(icmp, &p, CSUM_UNVERIFIED);
}
END_TEST

START_TEST(test_icmp_bare)
{
    struct fr f;
    build_icmp(&f, 8, 0, 0x00010001u, 9);
    pktd_packet p;
    size_t n = f.len - L4;
    uint8_t *b = fr_exact_copy(f.b + L4, n);
    ASSERT_OK(&p, pktd_icmp_parse(&p, b, n));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ICMP));
    ASSERT_PAYLOAD(&p, b, 8, 9);
    /* Without IP, the message is the bytes given. */
    ASSERT_CSUM(icmp, &p, CSUM_GOOD);
    ASSERT_OK(&p, pktd_icmp_parse(&p, b, n - 1));
    ASSERT_CSUM(icmp, &p, CSUM_WRONG);
    int rc = pktd_icmp_parse(&p, b, 7);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ICMP, PKTD_R_ICMP_SHORT, 7, 0);
    free(b);
}
END_TEST

static const uint8_t THA_ZERO[6] = {0};

START_TEST(test_arp)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0806);
    fr_arp(&f, 1, FR_MAC_SRC, 0x0a000001u, THA_ZERO, 0x0a0000feu);
    fr_fill(&f, 0, 18); /* padding to 60 */
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(ARP));
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0806);
    ck_assert_uint_eq(pktd_arp_htype(&p), 1);
    ck_assert_uint_eq(pktd_arp_ptype(&p), 0x0800);
    ck_assert_uint_eq(pktd_arp_hlen(&p), 6);
    ck_assert_uint_eq(pktd_arp_plen(&p), 4);
    ck_assert_uint_eq(pktd_arp_op(&p), 1);
    ck_assert_ptr_eq(pktd_arp_sha(&p), f.b + ETH + 8);
    ck_assert_ptr_eq(pktd_arp_spa_bytes(&p), f.b + ETH + 14);
    ck_assert_ptr_eq(pktd_arp_tha(&p), f.b + ETH + 18);
    ck_assert_ptr_eq(pktd_arp_tpa_bytes(&p), f.b + ETH + 24);
    ck_assert_mem_eq(pktd_arp_sha(&p), FR_MAC_SRC, 6);
    ck_assert_mem_eq(pktd_arp_spa_bytes(&p), "\x0a\x00\x00\x01", 4);
    ck_assert_mem_eq(pktd_arp_tha(&p), THA_ZERO, 6);
    ck_assert_mem_eq(pktd_arp_tpa_bytes(&p), "\x0a\x00\x00\xfe", 4);
    /* IPv4 addresses have one shape everywhere: host order, as pktd_ipv4_src(). */
    ck_assert_uint_eq(pktd_arp_spa(&p), 0x0a000001u);
    ck_assert_uint_eq(pktd_arp_tpa(&p), 0x0a0000feu);
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, ETH, 28);
    /* Trailing Ethernet padding is not payload. */
    ASSERT_PAYLOAD(&p, f.b, ETH + 28, 0);
    /* Bare parse. */
    ASSERT_OK(&p, pktd_arp_parse(&p, f.b + ETH, 28));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ARP));
    ck_assert_uint_eq(pktd_arp_op(&p), 1);
    /* Absent. */
    ASSERT_OK(&p, pktd_udp_parse(&p, FR_UDP_ONLY, 8));
    ck_assert_uint_eq(pktd_arp_htype(&p), 0);
    ck_assert_uint_eq(pktd_arp_ptype(&p), 0);
    ck_assert_uint_eq(pktd_arp_hlen(&p), 0);
    ck_assert_uint_eq(pktd_arp_plen(&p), 0);
    ck_assert_uint_eq(pktd_arp_op(&p), 0);
    ck_assert_ptr_null(pktd_arp_sha(&p));
    ck_assert_ptr_null(pktd_arp_spa_bytes(&p));
    ck_assert_ptr_null(pktd_arp_tha(&p));
    ck_assert_ptr_null(pktd_arp_tpa_bytes(&p));
    ck_assert_uint_eq(pktd_arp_spa(&p), 0);
    ck_assert_uint_eq(pktd_arp_tpa(&p), 0);
}
END_TEST

/* ARP with arbitrary sizes: @p hln / @p pln, addresses filled with 0xAn. */
static size_t build_arp_sized(struct fr *f, uint16_t htype, uint16_t ptype, uint8_t hln,
                              uint8_t pln)
{
    fr_init(f);
    fr_eth(f, 0x0806);
    fr_be16(f, htype);
    fr_be16(f, ptype);
    fr_u8(f, hln);
    fr_u8(f, pln);
    fr_be16(f, 2);
    fr_fill(f, 0xa1, hln);
    fr_fill(f, 0xa2, pln);
    fr_fill(f, 0xa3, hln);
    fr_fill(f, 0xa4, pln);
    return 8u + 2u * hln + 2u * pln;
}

START_TEST(test_arp_sizes)
{
    struct fr f;
    pktd_packet p;
    /* IEEE 802 hardware, IPv6 protocol addresses (hln 6, pln 16): fine. */
    size_t need = build_arp_sized(&f, 6, 0x86dd, 6, 16);
    ck_assert_uint_eq(need, 52);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, ETH, 52);
    ck_assert_ptr_eq(pktd_arp_spa_bytes(&p), f.b + ETH + 14);
    ck_assert_ptr_eq(pktd_arp_tha(&p), f.b + ETH + 30);
    ck_assert_ptr_eq(pktd_arp_tpa_bytes(&p), f.b + ETH + 36);
    ck_assert_uint_eq(pktd_arp_tpa_bytes(&p)[15], 0xa4);
    /* Not IPv4: no host-order IPv4 address to give. */
    ck_assert_uint_eq(pktd_arp_spa(&p), 0);
    ck_assert_uint_eq(pktd_arp_tpa(&p), 0);
    /* 4-byte protocol addresses that are not IPv4 are not read as IPv4. */
    build_arp_sized(&f, 6, 0x1234, 6, 4);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_arp_spa(&p), 0);
    ck_assert_uint_eq(pktd_arp_tpa(&p), 0);
    ck_assert_uint_eq(pktd_arp_spa_bytes(&p)[0], 0xa2);
    /* No addresses at all (hln 0, pln 0): the 8-byte header only. */
    build_arp_sized(&f, 99, 0x1234, 0, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, ETH, 8);
    ck_assert_ptr_eq(pktd_arp_sha(&p), pktd_arp_tha(&p));
    /* Ethernet hardware needs hln 6. */
    build_arp_sized(&f, 1, 0x0800, 14, 4);
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_ARP, PKTD_R_ARP_HLEN, 14, 0);
    ASSERT_MSG(&p, "hardware address length 14 != 6 for Ethernet");
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ASSERT_PAYLOAD(&p, f.b, ETH, f.len - ETH);
    /* IPv4 protocol needs pln 4. */
    build_arp_sized(&f, 1, 0x0800, 6, 16);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_ARP, PKTD_R_ARP_PLEN, 16, 0);
    ASSERT_MSG(&p, "protocol address length 16 != 4 for IPv4");
    /* Other hardware may use 14-byte addresses with IPv4 (tcpdump's
     * arp-too-long-tha case is valid when the bytes are there). */
    build_arp_sized(&f, 0x3030, 0x0800, 14, 4);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_arp_hlen(&p), 14);
    /* ... and truncated when they are not. */
    uint8_t *b = fr_exact_copy(f.b, f.len - 1);
    rc = pktd_decode(&p, 1, b, f.len - 1);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ARP, PKTD_R_ARP_ADDR_SHORT, 44, 43);
    ASSERT_MSG(&p, "ARP addresses need 44 bytes, have 43");
    free(b);
    /* Fixed header short. */
    for (size_t n = 0; n < 8; n++) {
        rc = pktd_decode(&p, 1, f.b, ETH + n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ARP, PKTD_R_ARP_SHORT, n, 0);
    }
    ASSERT_MSG(&p, "ARP header needs 8 bytes, have 7");
    /* Largest sizes: 8 + 2*255 + 2*255 bytes. */
    need = build_arp_sized(&f, 2, 0x0801, 255, 255);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, f.b, ETH, need);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_udp_icmp_arp");
    TCase *tc = tcase_create("udp_icmp_arp");
    tcase_add_test(tc, test_udp_fields);
    tcase_add_test(tc, test_udp_checksum);
    tcase_add_test(tc, test_udp_lengths);
    tcase_add_test(tc, test_udp_bare);
    tcase_add_test(tc, test_icmp);
    tcase_add_test(tc, test_icmp_bare);
    tcase_add_test(tc, test_arp);
    tcase_add_test(tc, test_arp_sizes);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
