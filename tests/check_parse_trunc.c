/* Parse area: every truncation point.  Each prefix 0..len of several valid
 * frames is copied into a buffer of exactly that size and decoded; the result
 * must be TRUNCATED at the right layer with the right values, or success with
 * the right flags, and every accessor is then called on the state (under
 * valgrind or ASan, any read past the prefix would be reported). */
#include "config.h"

#include <stdlib.h>

#include "parse_check.h"

/* What decoding a prefix should give. */
struct expect {
    int rc;
    uint32_t layer;  /* error layer */
    uint32_t reason;
    uint32_t v1, v2;
    uint32_t layers; /* layers present */
    uint32_t flags;
    int payload;     /* 1: payload_off/payload_len below apply */
    size_t payload_off, payload_len;
};

static struct expect stop(uint32_t layer, uint32_t reason, uint32_t v1, uint32_t v2,
                          uint32_t layers, uint32_t flags)
{
    struct expect e = {PKTD_E_TRUNCATED, layer, reason, v1, v2, layers, flags, 0, 0, 0};
    return e;
}

static struct expect ok(uint32_t layers, uint32_t flags, size_t poff, size_t plen)
{
    struct expect e = {0, 0, 0, 0, 0, layers, flags, 1, poff, plen};
    return e;
}

static void check_prefix(const uint8_t *frame, size_t n, uint32_t linktype,
                         const struct expect *e)
{
    uint8_t *b = fr_exact_copy(frame, n);
    pktd_packet p;
    int rc = pktd_decode(&p, linktype, b, n);
    if (e->rc != 0) {
        ASSERT_STOP(&p, rc, e->rc, e->layer, e->reason, e->v1, e->v2);
    } else {
        ASSERT_OK(&p, rc);
    }
    ck_assert_uint_eq(pktd_packet_layers(&p), e->layers);
    ck_assert_uint_eq(pktd_packet_flags(&p), e->flags);
    if (e->payload) {
        ASSERT_PAYLOAD(&p, b, e->payload_off, e->payload_len);
    }
    /* Layers before the failure stay readable, with their real values. */
    if (e->layers & L(ETH))
        ck_assert_mem_eq(pktd_eth_dst(&p), FR_MAC_DST, 6);
    if (e->layers & L(IPV4)) {
        ck_assert_uint_eq(pktd_ipv4_src(&p), FR_IP_SRC);
        ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    }
    /* The payload never extends past the prefix. */
    const uint8_t *pd;
    size_t pl;
    if (pktd_packet_payload(&p, &pd, &pl))
        ck_assert_uint_le((size_t)(pd - b) + pl, n);
    for (uint32_t l = 0; l < PKTD_LAYER_COUNT_; l++) {
        const uint8_t *h;
        size_t hl;
        if (pktd_packet_header(&p, l, &h, &hl))
            ck_assert_uint_le((size_t)(h - b) + hl, n);
    }
    fr_touch_all(&p);
    free(b);
}

/* Ethernet, one VLAN tag, IPv4 with 8 option bytes, TCP with 12 option
 * bytes, 10 payload bytes: 14 + 4 + 28 + 32 + 10 = 88. */
START_TEST(test_eth_vlan_ipv4opt_tcpopt)
{
    static const uint8_t ipopts[] = {1, 1, 0x94, 0x04, 0, 0, 1, 0};
    static const uint8_t tcpopts[] = {2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 8, 1, 0};
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x8100);
    fr_vlan(&f, 100, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .src = FR_IP_SRC, .dst = FR_IP_DST,
                        .opts = ipopts, .optlen = sizeof ipopts};
    size_t ipo = fr_ip4(&f, &ip);
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_SYN, .opts = tcpopts,
                       .optlen = sizeof tcpopts};
    size_t to = fr_tcp(&f, &t);
    fr_fill(&f, 0x61, 10);
    fr_ip4_finish(&f, ipo);
    fr_tcp_finish(&f, ipo, to);
    ck_assert_uint_eq(f.len, 88);
    const uint32_t EV = L(ETH) | L(VLAN), EVI = EV | L(IPV4);
    const uint32_t CUT = PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    for (size_t n = 0; n <= f.len; n++) {
        struct expect e;
        uint32_t m = (uint32_t)n;
        if (n < 14)
            e = stop(PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, m, 0, 0, 0);
        else if (n < 18)
            e = stop(PKTD_LAYER_VLAN, PKTD_R_VLAN_SHORT, m - 14, 0, L(ETH), 0);
        else if (n < 38)
            e = stop(PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, m - 18, 0, EV, 0);
        else if (n < 46)
            e = stop(PKTD_LAYER_IPV4, PKTD_R_IPV4_HDR_TRUNC, 28, m - 18, EV, 0);
        else if (n < 66)
            e = stop(PKTD_LAYER_TCP, PKTD_R_TCP_SHORT, m - 46, 0, EVI, CUT);
        else if (n < 78)
            e = stop(PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, 32, m - 46, EVI, CUT);
        else
            e = ok(EVI | L(TCP), n < 88 ? CUT : 0, 78, n - 78);
        if (n >= 46 && n < 78) { /* payload: the captured IP payload */
            e.payload = 1;
            e.payload_off = 46;
            e.payload_len = n - 46;
        }
        check_prefix(f.b, n, PKTD_LINKTYPE_ETHERNET, &e);
    }
    /* The decoded prefixes keep their option values; the checksum is only
     * verified for the whole segment. */
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, 80));
    uint16_t mss = 0;
    uint8_t ws = 0;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 1);
    ck_assert_uint_eq(mss, 1460);
    ck_assert_int_eq(pktd_tcp_opt_wscale(&p, &ws), 1);
    ck_assert_uint_eq(ws, 8);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(&p), 1);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
}
END_TEST

/* Ethernet / IPv4 / UDP with 13 payload bytes (55), padded to 60. */
START_TEST(test_eth_ipv4_udp)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    size_t uo = fr_udp(&f, 53, 33333);
    fr_bytes(&f, "\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00\x00", 13);
    fr_ip4_finish(&f, ipo);
    fr_udp_finish(&f, ipo, uo);
    fr_fill(&f, 0, 5);
    ck_assert_uint_eq(f.len, 60);
    const uint32_t EI = L(ETH) | L(IPV4);
    const uint32_t CUT = PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    for (size_t n = 0; n <= f.len; n++) {
        struct expect e;
        uint32_t m = (uint32_t)n;
        if (n < 14)
            e = stop(PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, m, 0, 0, 0);
        else if (n < 34)
            e = stop(PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, m - 14, 0, L(ETH), 0);
        else if (n < 42) {
            e = stop(PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, m - 34, 0, EI, CUT);
            e.payload = 1;
            e.payload_off = 34;
            e.payload_len = n - 34;
        } else if (n < 55)
            e = ok(EI | L(UDP), CUT | PKTD_F_UDP_TRUNCATED, 42, n - 42);
        else
            e = ok(EI | L(UDP), n > 55 ? PKTD_F_IPV4_PADDING : 0, 42, 13);
        check_prefix(f.b, n, PKTD_LINKTYPE_ETHERNET, &e);
    }
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, 54));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, 55));
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, 60));
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
}
END_TEST

/* Ethernet / IPv4 / ICMP echo request with 32 payload bytes: 74. */
START_TEST(test_icmp_echo)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 1, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    size_t io = fr_icmp(&f, 8, 0, 0xbeef0001u);
    for (int i = 0; i < 32; i++)
        fr_u8(&f, (uint8_t)(0x10 + i));
    fr_ip4_finish(&f, ipo);
    fr_icmp_finish(&f, io);
    ck_assert_uint_eq(f.len, 74);
    const uint32_t EI = L(ETH) | L(IPV4);
    const uint32_t CUT = PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    for (size_t n = 0; n <= f.len; n++) {
        struct expect e;
        uint32_t m = (uint32_t)n;
        if (n < 14)
            e = stop(PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, m, 0, 0, 0);
        else if (n < 34)
            e = stop(PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, m - 14, 0, L(ETH), 0);
        else if (n < 42)
            e = stop(PKTD_LAYER_ICMP, PKTD_R_ICMP_SHORT, m - 34, 0, EI, CUT);
        else
            e = ok(EI | L(ICMP), n < 74 ? CUT : 0, 42, n - 42);
        check_prefix(f.b, n, PKTD_LINKTYPE_ETHERNET, &e);
        if (n >= 42) {
            pktd_packet p;
            pktd_decode(&p, 1, f.b, n);
            uint16_t id = 0, seq = 0;
            ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 1);
            ck_assert_uint_eq(id, 0xbeef);
            ck_assert_uint_eq(seq, 1);
            ASSERT_CSUM(icmp, &p, n < 74 ? CSUM_UNVERIFIED : CSUM_GOOD);
        }
    }
}
END_TEST

/* Ethernet / ARP reply, padded to 60. */
START_TEST(test_arp)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0806);
    fr_arp(&f, 2, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
    fr_fill(&f, 0, 18);
    for (size_t n = 0; n <= f.len; n++) {
        struct expect e;
        uint32_t m = (uint32_t)n;
        if (n < 14)
            e = stop(PKTD_LAYER_ETH, PKTD_R_ETH_SHORT, m, 0, 0, 0);
        else if (n < 22)
            e = stop(PKTD_LAYER_ARP, PKTD_R_ARP_SHORT, m - 14, 0, L(ETH), 0);
        else if (n < 42)
            e = stop(PKTD_LAYER_ARP, PKTD_R_ARP_ADDR_SHORT, 28, m - 14, L(ETH), 0);
        else
            e = ok(L(ETH) | L(ARP), 0, 42, 0);
        check_prefix(f.b, n, PKTD_LINKTYPE_ETHERNET, &e);
    }
}
END_TEST

/* Linux cooked v2 / IPv4 / UDP (20 + 20 + 8 + 4 = 52). */
START_TEST(test_sll2_udp)
{
    struct fr f;
    fr_init(&f);
    fr_be16(&f, 0x0800);
    fr_be16(&f, 0);
    fr_be32(&f, 2);
    fr_be16(&f, 1);
    fr_u8(&f, 0);
    fr_u8(&f, 6);
    fr_bytes(&f, FR_MAC_SRC, 6);
    fr_be16(&f, 0);
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    size_t uo = fr_udp(&f, 1, 2);
    fr_bytes(&f, "abcd", 4);
    fr_ip4_finish(&f, ipo);
    fr_udp_finish(&f, ipo, uo);
    const uint32_t SI = L(SLL2) | L(IPV4);
    const uint32_t CUT = PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED;
    for (size_t n = 0; n <= f.len; n++) {
        struct expect e;
        uint32_t m = (uint32_t)n;
        if (n < 20)
            e = stop(PKTD_LAYER_SLL2, PKTD_R_SLL2_SHORT, m, 0, 0, 0);
        else if (n < 40)
            e = stop(PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, m - 20, 0, L(SLL2), 0);
        else if (n < 48)
            e = stop(PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, m - 40, 0, SI, CUT);
        else
            e = ok(SI | L(UDP), n < 52 ? CUT | PKTD_F_UDP_TRUNCATED : 0, 48, n - 48);
        check_prefix(f.b, n, PKTD_LINKTYPE_LINUX_SLL2, &e);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_trunc");
    TCase *tc = tcase_create("trunc");
    tcase_add_test(tc, test_eth_vlan_ipv4opt_tcpopt);
    tcase_add_test(tc, test_eth_ipv4_udp);
    tcase_add_test(tc, test_icmp_echo);
    tcase_add_test(tc, test_arp);
    tcase_add_test(tc, test_sll2_udp);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
