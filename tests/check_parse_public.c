/* Parse area through the PUBLIC shared library only (linked against
 * lib/libpktdecode.la, so only exported, versioned symbols resolve): a
 * decode, a few accessors of every layer, and an error message. */
#include "config.h"

#include <stdlib.h>

#include "parse_check.h"

START_TEST(test_public_decode)
{
    static const uint8_t opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 2};
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x8100);
    fr_vlan(&f, 10, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    struct fr_tcp t = {.sport = 22, .dport = 50022, .seq = 99, .flags = PKTD_TCP_ACK,
                       .opts = opts, .optlen = sizeof opts};
    size_t to = fr_tcp(&f, &t);
    fr_bytes(&f, "SSH-2.0", 7);
    fr_ip4_finish(&f, ipo);
    fr_tcp_finish(&f, ipo, to);

    ck_assert_uint_eq(pktd_packet_size(), sizeof(pktd_packet));
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_vlan_vid(&p, 0), 10);
    ck_assert_uint_eq(pktd_ipv4_dst(&p), FR_IP_DST);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    ck_assert_uint_eq(pktd_tcp_sport(&p), 22);
    ck_assert_uint_eq(pktd_tcp_seq(&p), 99);
    uint16_t mss = 0;
    uint8_t ws = 0;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 1);
    ck_assert_uint_eq(mss, 1460);
    ck_assert_int_eq(pktd_tcp_opt_wscale(&p, &ws), 1);
    ck_assert_uint_eq(ws, 2);
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    ASSERT_PAYLOAD(&p, f.b, 18 + 20 + 28, 7);

    f.b[18 + 20 + 12] = 0x40; /* data offset 4 */
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_DOFF, 4, 0);
    ASSERT_MSG(&p, "data offset 4 < 5");
    ck_assert_str_eq(pktd_layer_name(pktd_packet_error_layer(&p)), "tcp");
    ck_assert_str_eq(pktd_err_name(rc), "malformed");
    fr_touch_all(&p);
}
END_TEST

START_TEST(test_public_bare_parsers)
{
    struct fr f;
    fr_init(&f);
    fr_arp(&f, 1, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
    pktd_packet p;
    ASSERT_OK(&p, pktd_arp_parse(&p, f.b, f.len));
    ck_assert_uint_eq(pktd_arp_op(&p), 1);
    fr_init(&f);
    fr_udp(&f, 7, 9);
    fr_put_be16(&f, 4, 8);
    ASSERT_OK(&p, pktd_udp_parse(&p, f.b, f.len));
    ck_assert_uint_eq(pktd_udp_dport(&p), 9);
    fr_init(&f);
    fr_icmp(&f, 0, 0, 0x00070008u);
    ASSERT_OK(&p, pktd_icmp_parse(&p, f.b, f.len));
    uint16_t id = 0, seq = 0;
    ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 1);
    ck_assert_uint_eq(seq, 8);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_public");
    TCase *tc = tcase_create("public");
    tcase_add_test(tc, test_public_decode);
    tcase_add_test(tc, test_public_bare_parsers);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
