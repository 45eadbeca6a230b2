/* Parse area: tcpdump's test captures (kept in tests/corpus/tcpdump/) for
 * the malformed cases a decoder must reject or flag, each decoded
 * from an exactly-sized copy with the expected, distinct result. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "parse_check.h"

#define MAX_RECS 64

struct capture {
    uint8_t *file;
    uint32_t linktype;
    int n;
    struct fr_rec rec[MAX_RECS];
};

static void load(struct capture *c, const char *name)
{
    char path[4096];
    fr_corpus_path(path, sizeof path, name);
    c->n = fr_pcap_load(path, &c->file, &c->linktype, c->rec, MAX_RECS);
    ck_assert_msg(c->n > 0, "cannot read %s", path);
}

/* Decode record @p i of @p c into @p p from an exact copy (returned; free). */
static uint8_t *decode(pktd_packet *p, const struct capture *c, int i, int *rc)
{
    uint8_t *b = fr_exact_copy(c->rec[i].data, c->rec[i].caplen);
    *rc = pktd_decode(p, c->linktype, b, c->rec[i].caplen);
    fr_touch_all(p);
    return b;
}

START_TEST(test_ipv4_invalid_hdr_length)
{
    struct capture c;
    load(&c, "ipv4_invalid_hdr_length.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_IHL, 16, 0);
    ASSERT_MSG(&p, "header length 16 < 20"); /* tcpdump: "bad-hlen 16" */
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_ipv4_invalid_length)
{
    struct capture c;
    load(&c, "ipv4_invalid_length.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 19, 0);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_ipv4_invalid_total_length)
{
    struct capture c;
    load(&c, "ipv4_invalid_total_length_2.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_TOTLEN, 19, 20);
    free(b);
    free(c.file);

    /* Total length 85 with 84 bytes captured ("1 bytes missing"): flagged;
     * the UDP length (64) is within what was captured, so the DNS payload
     * (56 bytes) is whole. */
    load(&c, "ipv4_invalid_total_length.pcap");
    b = decode(&p, &c, 0, &rc);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_UDP_PADDING);
    ck_assert_uint_eq(pktd_ipv4_total_len(&p), 85);
    ck_assert_uint_eq(pktd_udp_sport(&p), 39095);
    ck_assert_uint_eq(pktd_udp_dport(&p), 53);
    ASSERT_PAYLOAD(&p, b, 42, 56);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_tcp_heapoverflows)
{
    struct capture c;
    pktd_packet p;
    int rc;
    /* 46 bytes captured: 12 bytes of TCP. */
    load(&c, "tcp_header_heapoverflow.pcap");
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_SHORT, 12, 0);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_CSUM(ipv4, &p, CSUM_WRONG); /* "bad cksum 3030" */
    free(b);
    free(c.file);
    /* Data offset 15 (60 bytes) with 30 captured; total length 12336. */
    load(&c, "heapoverflow-tcp_print.pcap");
    b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, 60, 30);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_udp_length_heapoverflow)
{
    struct capture c;
    load(&c, "udp-length-heapoverflow.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, 4, 0);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_in_checksum_heapoverflow)
{
    struct capture c;
    load(&c, "heapoverflow-in_checksum.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    /* PIM (103) is not decoded: IP payload, cut short; the header checksum
     * is summed over the 20 captured header bytes only. */
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ck_assert_uint_eq(pktd_ipv4_proto(&p), 103);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_CSUM(ipv4, &p, CSUM_WRONG);
    ASSERT_PAYLOAD(&p, b, 34, c.rec[0].caplen - 34);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_arp_too_long_tha)
{
    struct capture c;
    load(&c, "arp-too-long-tha.pcap");
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    /* Hardware type 0x3030 with 14-byte addresses: allowed, and all 44
     * address bytes are captured. */
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(ARP));
    ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0x88a8);
    ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 48);
    ck_assert_uint_eq(pktd_vlan_pcp(&p, 0), 1);
    ck_assert_uint_eq(pktd_arp_htype(&p), 0x3030);
    ck_assert_uint_eq(pktd_arp_hlen(&p), 14);
    ck_assert_uint_eq(pktd_arp_plen(&p), 4);
    ASSERT_HEADER(&p, PKTD_LAYER_ARP, b, 18, 44);
    ck_assert_ptr_eq(pktd_arp_tpa_bytes(&p), b + 18 + 8 + 14 + 4 + 14);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_qinq)
{
    struct capture c;
    load(&c, "802.1ad_QinQ.pcap");
    ck_assert_int_eq(c.n, 2);
    pktd_packet p;
    for (int i = 0; i < 2; i++) {
        int rc;
        uint8_t *b = decode(&p, &c, i, &rc);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(ARP));
        ck_assert_uint_eq(pktd_vlan_count(&p), 2);
        ck_assert_uint_eq(pktd_vlan_tpid(&p, 0), 0x88a8);
        ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 200);
        ck_assert_uint_eq(pktd_vlan_tpid(&p, 1), 0x8100);
        ck_assert_uint_eq(pktd_vlan_vid(&p, 1), 2001);
        ck_assert_uint_eq(pktd_arp_op(&p), (uint16_t)(i + 1));
        const uint8_t *spa = pktd_arp_spa_bytes(&p), *tpa = pktd_arp_tpa_bytes(&p);
        ck_assert_mem_eq(i == 0 ? spa : tpa, "\xac\x15\x4f\x61", 4); /* 172.21.79.97 */
        ck_assert_mem_eq(i == 0 ? tpa : spa, "\xac\x15\x4f\x64", 4); /* 172.21.79.100 */
        ck_assert_uint_eq(i == 0 ? pktd_arp_spa(&p) : pktd_arp_tpa(&p), 0xac154f61u);
        ck_assert_uint_eq(i == 0 ? pktd_arp_tpa(&p) : pktd_arp_spa(&p), 0xac154f64u);
        ASSERT_PAYLOAD(&p, b, 50, 0);
        free(b);
    }
    free(c.file);
}
END_TEST

START_TEST(test_raw_link_types)
{
    struct capture c;
    pktd_packet p;
    int rc;
    static const char *const v4[] = {"LINKTYPE_RAW_ipv4.pcap", "LINKTYPE_IPV4.pcap"};
    for (int k = 0; k < 2; k++) {
        load(&c, v4[k]);
        uint8_t *b = decode(&p, &c, 0, &rc);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV4) | L(UDP));
        ck_assert_uint_eq(pktd_ipv4_src(&p), 0xc0a80164u); /* 192.168.1.100 */
        ck_assert_uint_eq(pktd_ipv4_dst(&p), 0x09090909u);
        ck_assert_uint_eq(pktd_udp_sport(&p), 12345);
        ck_assert_uint_eq(pktd_udp_dport(&p), 53);
        ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
        ASSERT_CSUM(udp, &p, CSUM_GOOD);
        ASSERT_PAYLOAD(&p, b, 28, 29);
        free(b);
        free(c.file);
    }
    /* IPv6 under LINKTYPE_RAW: decoded by the version nibble (since 1.1);
     * tshark: 2001:db8::1 > 2620:fe::9, UDP 12345, payload length 37. */
    load(&c, "LINKTYPE_RAW_ipv6.pcap");
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_ipv6_plen(&p), 37);
    ck_assert_uint_eq(pktd_udp_sport(&p), 12345);
    char text[PKTD_IPV6_STRLEN];
    pktd_ipv6_format(pktd_ipv6_src(&p), text, sizeof text);
    ck_assert_str_eq(text, "2001:db8::1");
    pktd_ipv6_format(pktd_ipv6_dst(&p), text, sizeof text);
    ck_assert_str_eq(text, "2620:fe::9");
    ASSERT_PAYLOAD(&p, b, 48, c.rec[0].caplen - 48);
    free(b);
    free(c.file);
    /* IPv6 under LINKTYPE_IPV4: malformed. */
    load(&c, "LINKTYPE_IPV4_invalid.pcap");
    ck_assert_uint_eq(c.linktype, PKTD_LINKTYPE_IPV4);
    b = decode(&p, &c, 0, &rc);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_VERSION, 6, 0);
    free(b);
    free(c.file);
}
END_TEST

START_TEST(test_sll_capture)
{
    struct capture c;
    load(&c, "lsp-ping-timestamp.pcap");
    ck_assert_uint_eq(c.linktype, PKTD_LINKTYPE_LINUX_SLL);
    pktd_packet p;
    int rc;
    uint8_t *b = decode(&p, &c, 0, &rc);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_sll_pkttype(&p), 3);
    ck_assert_uint_eq(pktd_sll_hatype(&p), 1);
    size_t alen = 0;
    const uint8_t *a = pktd_sll_addr(&p, &alen);
    ck_assert_uint_eq(alen, 6);
    ck_assert_mem_eq(a, "\x2e\x54\xd2\x6b\x74\x64", 6);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x1e000002u);
    ck_assert_uint_eq(pktd_udp_sport(&p), 3503);
    ck_assert_uint_eq(pktd_udp_dport(&p), 39381);
    /* An outgoing packet with checksum offload: tcpdump says
     * "bad udp cksum 0x203d -> 0x7fa4!". */
    ck_assert_uint_eq(pktd_udp_checksum(&p), 0x203d);
    ASSERT_CSUM(udp, &p, CSUM_WRONG);
    ASSERT_PAYLOAD(&p, b, 44, 32);
    free(b);
    free(c.file);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_corpus");
    TCase *tc = tcase_create("corpus");
    tcase_add_test(tc, test_ipv4_invalid_hdr_length);
    tcase_add_test(tc, test_ipv4_invalid_length);
    tcase_add_test(tc, test_ipv4_invalid_total_length);
    tcase_add_test(tc, test_tcp_heapoverflows);
    tcase_add_test(tc, test_udp_length_heapoverflow);
    tcase_add_test(tc, test_in_checksum_heapoverflow);
    tcase_add_test(tc, test_arp_too_long_tha);
    tcase_add_test(tc, test_qinq);
    tcase_add_test(tc, test_raw_link_types);
    tcase_add_test(tc, test_sll_capture);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
