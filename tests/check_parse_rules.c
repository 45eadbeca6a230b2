/* Parse area: the 1.0 API rules on every decode call, through the PUBLIC
 * library only (doc/design.md, "The API rules").
 *
 * R1: presence calls (headers, payload, option areas, iterators, known
 * options, SACK blocks, echo) return 1 or 0, also when the whole layer is
 * absent, so the natural `if (f(...))` and `while (f(...))` are right on any
 * packet.  R3: predicates return 1 or 0; a checksum is "ok" or "bad" only
 * when it was verified.  R10: one shape per kind of address, and the
 * library's formatting helpers. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "parse_check.h"

/* The packets every rule is checked on. */
enum shape { S_TCP_OPTS, S_UDP, S_ICMP_ECHO, S_ARP, S_IPV4_OPTS, S_BAD_CSUM, S_SHORT, S_ALIEN, S_N };

static const uint8_t tcp_opts[] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 5, 10, 0, 0,
                                   0, 1, 0, 0, 0, 2, 1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8};
#define TCP_NOPTS 8u /* MSS, NOP, WS, SACK-perm, SACK(1), NOP, NOP, TS */
static const uint8_t ip_opts[] = {0x94, 4, 0, 0}; /* Router Alert */

static int build(struct fr *f, enum shape s)
{
    fr_init(f);
    if (s == S_ARP) {
        fr_eth(f, 0x0806);
        fr_arp(f, 1, FR_MAC_SRC, FR_IP_SRC, FR_MAC_DST, FR_IP_DST);
        return PKTD_LINKTYPE_ETHERNET;
    }
    if (s == S_SHORT) {
        fr_eth(f, 0x0800);
        f->len = 10; /* not even an Ethernet header */
        return PKTD_LINKTYPE_ETHERNET;
    }
    if (s == S_ALIEN) {
        fr_bytes(f, "\x01\x02\x03\x04", 4);
        return 12345; /* a link type the library does not know */
    }
    fr_eth(f, 0x0800);
    uint8_t proto = s == S_UDP ? 17 : s == S_ICMP_ECHO ? 1 : 6;
    struct fr_ip4 ip = {.ttl = 64, .proto = proto, .src = FR_IP_SRC, .dst = FR_IP_DST};
    if (s == S_IPV4_OPTS) {
        ip.opts = ip_opts;
        ip.optlen = sizeof ip_opts;
    }
    size_t ipo = fr_ip4(f, &ip);
    if (s == S_UDP) {
        size_t uo = fr_udp(f, 53, 5353);
        fr_bytes(f, "dns", 3);
        fr_ip4_finish(f, ipo);
        fr_udp_finish(f, ipo, uo);
    } else if (s == S_ICMP_ECHO) {
        size_t io = fr_icmp(f, 8, 0, 0x12340007u);
        fr_bytes(f, "ping", 4);
        fr_ip4_finish(f, ipo);
        fr_icmp_finish(f, io);
    } else {
        struct fr_tcp t = {.sport = 80, .dport = 40000, .flags = PKTD_TCP_ACK};
        if (s == S_TCP_OPTS) {
            t.opts = tcp_opts;
            t.optlen = sizeof tcp_opts;
        }
        size_t to = fr_tcp(f, &t);
        fr_bytes(f, "GET", 3);
        fr_ip4_finish(f, ipo);
        fr_tcp_finish(f, ipo, to);
        if (s == S_BAD_CSUM)
            f->b[to + 16] ^= 0x5a;
    }
    return PKTD_LINKTYPE_ETHERNET;
}

#define ZERO_OR_ONE(x) ck_assert_msg((x) == 0 || (x) == 1, "%s = %d", #x, (x))

/* Every presence call and predicate returns 0 or 1 and agrees with the
 * layers; the natural loops end. */
static void check_presence(const pktd_packet *p, enum shape s)
{
    const uint8_t *d;
    size_t n;
    for (uint32_t l = 0; l < PKTD_LAYER_COUNT_ + 3; l++) {
        int r = pktd_packet_header(p, l, NULL, NULL);
        ck_assert_int_eq(r, pktd_packet_has(p, l));
    }
    ck_assert_int_eq(pktd_packet_header(p, UINT32_MAX, &d, &n), 0);
    int decoded = pktd_packet_layers(p) != 0;
    ck_assert_int_eq(pktd_packet_payload(p, NULL, NULL), decoded);
    int ip = pktd_packet_has(p, PKTD_LAYER_IPV4), tcp = pktd_packet_has(p, PKTD_LAYER_TCP);
    ck_assert_int_eq(pktd_ipv4_options(p, NULL, NULL), ip);
    ck_assert_int_eq(pktd_tcp_options(p, NULL, NULL), tcp);

    /* while (option_next): ends on every packet, with the expected count. */
    uint32_t cur = 0, count = 0;
    uint8_t kind;
    while (pktd_tcp_option_next(p, &cur, &kind, &d, &n) && count < 100)
        count++;
    ck_assert_uint_eq(count, s == S_TCP_OPTS ? TCP_NOPTS : 0);
    cur = 0;
    count = 0;
    while (pktd_ipv4_option_next(p, &cur, &kind, &d, &n) && count < 100)
        count++;
    ck_assert_uint_eq(count, s == S_IPV4_OPTS ? 1 : 0);

    uint16_t v16;
    uint8_t v8;
    uint32_t a, b;
    ck_assert_int_eq(pktd_tcp_opt_mss(p, &v16), s == S_TCP_OPTS);
    ck_assert_int_eq(pktd_tcp_opt_wscale(p, &v8), s == S_TCP_OPTS);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(p), s == S_TCP_OPTS);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(p, &a, &b), s == S_TCP_OPTS);
    count = 0;
    for (uint32_t i = 0; pktd_tcp_opt_sack_block(p, i, &a, &b) && i < 100; i++)
        count++;
    ck_assert_uint_eq(count, s == S_TCP_OPTS ? 1 : 0);
    ck_assert_uint_eq(count, pktd_tcp_opt_sack_count(p));
    ck_assert_int_eq(pktd_icmp_echo(p, &v16, &v16), s == S_ICMP_ECHO);

    /* Predicates. */
    ZERO_OR_ONE(pktd_ipv4_df(p));
    ZERO_OR_ONE(pktd_ipv4_mf(p));
    ZERO_OR_ONE(pktd_ipv4_rf(p));
    ZERO_OR_ONE(pktd_tcp_ns(p));
    ck_assert_int_eq(pktd_ipv4_checksum_ok(p), ip);
    ck_assert_int_eq(pktd_ipv4_checksum_bad(p), 0);
    ck_assert_int_eq(pktd_tcp_checksum_ok(p), tcp && s != S_BAD_CSUM);
    ck_assert_int_eq(pktd_tcp_checksum_bad(p), s == S_BAD_CSUM);
    ck_assert_int_eq(pktd_udp_checksum_ok(p), s == S_UDP);
    ck_assert_int_eq(pktd_udp_checksum_bad(p), 0);
    ck_assert_int_eq(pktd_icmp_checksum_ok(p), s == S_ICMP_ECHO);
    ck_assert_int_eq(pktd_icmp_checksum_bad(p), 0);
}

START_TEST(test_presence_everywhere)
{
    for (int s = 0; s < S_N; s++) {
        struct fr f;
        uint32_t linktype = (uint32_t)build(&f, (enum shape)s);
        pktd_packet p;
        int rc = pktd_decode(&p, linktype, f.b, f.len);
        ck_assert_int_eq(rc, s == S_SHORT ? PKTD_E_TRUNCATED : s == S_ALIEN ? PKTD_E_UNSUPPORTED : 0);
        check_presence(&p, (enum shape)s);
    }
}
END_TEST

/* The two traps of the old API, written as users write them: each line
 * misbehaved when a checksum or iterator returned a negative code. */
START_TEST(test_natural_conditions_on_udp)
{
    struct fr f;
    uint32_t linktype = (uint32_t)build(&f, S_UDP);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, linktype, f.b, f.len));
    int verified_tcp = 0;
    if (pktd_tcp_checksum_ok(&p))
        verified_tcp = 1;
    ck_assert_int_eq(verified_tcp, 0);
    uint32_t cur = 0, steps = 0;
    uint8_t kind;
    const uint8_t *d;
    size_t n;
    while (pktd_tcp_option_next(&p, &cur, &kind, &d, &n)) {
        if (++steps == 1000)
            break; /* the old API looped here forever */
    }
    ck_assert_uint_eq(steps, 0);
    /* The same for the other presence calls that returned codes. */
    uint32_t l, r;
    ck_assert(!pktd_tcp_opt_sack_block(&p, 0, &l, &r));
    ck_assert(!pktd_tcp_options(&p, &d, &n));
    ck_assert(!pktd_packet_header(&p, PKTD_LAYER_TCP, &d, &n));
    ck_assert(!pktd_icmp_checksum_ok(&p));
    /* A UDP packet without a checksum: not verified, so neither ok nor bad. */
    fr_put_be16(&f, 14 + 20 + 6, 0);
    ASSERT_OK(&p, pktd_decode(&p, linktype, f.b, f.len));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
}
END_TEST

/* R1: every presence call answers 0 for a NULL state (1.0 and 1.1 calls),
 * so a caller's `if`/`while` never needs its own check. */
START_TEST(test_presence_null_state)
{
    const uint8_t *d;
    size_t n;
    uint32_t cur = 0, a, b;
    uint16_t v16, w16;
    uint8_t v8, w8;
    ck_assert_int_eq(pktd_packet_has(NULL, PKTD_LAYER_ETH), 0);
    ck_assert_int_eq(pktd_packet_header(NULL, PKTD_LAYER_ETH, &d, &n), 0);
    ck_assert_int_eq(pktd_packet_payload(NULL, &d, &n), 0);
    ck_assert_int_eq(pktd_ipv4_options(NULL, &d, &n), 0);
    ck_assert_int_eq(pktd_ipv4_option_next(NULL, &cur, &v8, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_options(NULL, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_option_next(NULL, &cur, &v8, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_opt_mss(NULL, &v16), 0);
    ck_assert_int_eq(pktd_tcp_opt_wscale(NULL, &v8), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(NULL), 0);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(NULL, &a, &b), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_block(NULL, 0, &a, &b), 0);
    ck_assert_int_eq(pktd_icmp_echo(NULL, &v16, &w16), 0);
    /* 1.1 */
    ck_assert_int_eq(pktd_ipv6_upper(NULL, &v8, &n), 0);
    ck_assert_int_eq(pktd_ipv6_frag(NULL, &v16, &v8, &a), 0);
    ck_assert_int_eq(pktd_ipv6_routing(NULL, &v8, &w8), 0);
    ck_assert_int_eq(pktd_ipv6_ext_next(NULL, &cur, &v8, &d, &n), 0);
    ck_assert_int_eq(pktd_icmpv6_echo(NULL, &v16, &w16), 0);
    ck_assert_int_eq(pktd_icmpv6_nd_option_next(NULL, &cur, &v8, &d, &n), 0);
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(NULL, 1, &d, &n), 0);
    ck_assert_int_eq(pktd_ppp_has_address(NULL), 0);
    uint32_t t32, u32, w32;
    ck_assert_int_eq(pktd_tunnel_field(NULL, PKTD_TF_VNI, &t32), 0);
    ck_assert_int_eq(pktd_mpls_entry(NULL, 0, &t32, &u32, &w32, &a), 0);
    ck_assert_int_eq(pktd_tunnel_option_next(NULL, &cur, &t32, &d, &n), 0);
    ck_assert_uint_eq(cur, 0);
}
END_TEST

/* Out-parameters are written only on 1, and every one may be NULL. */
START_TEST(test_out_parameters)
{
    struct fr f;
    uint32_t linktype = (uint32_t)build(&f, S_UDP);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, linktype, f.b, f.len));
    const uint8_t *d = (const uint8_t *)&p;
    size_t n = 4242;
    uint16_t v16 = 4242;
    uint32_t a = 4242, b = 4242, cur = 0;
    uint8_t kind = 42;
    ck_assert_int_eq(pktd_tcp_options(&p, &d, &n), 0);
    ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_ARP, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &v16), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 0, &a, &b), 0);
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    ck_assert_ptr_eq(d, (const uint8_t *)&p);
    ck_assert_uint_eq(n, 4242);
    ck_assert_uint_eq(v16, 4242);
    ck_assert_uint_eq(a, 4242);
    ck_assert_uint_eq(b, 4242);
    ck_assert_uint_eq(kind, 42);
    ck_assert_uint_eq(cur, 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, NULL, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 1);
}
END_TEST

/* "Not for me" and "broken" are different codes (packet.h). */
START_TEST(test_not_for_me_vs_broken)
{
    struct fr f;
    pktd_packet p;
    uint32_t linktype = (uint32_t)build(&f, S_ALIEN);
    ck_assert_int_eq(pktd_decode(&p, linktype, f.b, f.len), PKTD_E_UNSUPPORTED);
    ck_assert_int_eq(pktd_packet_error(&p), PKTD_E_UNSUPPORTED);
    ck_assert_uint_eq(pktd_packet_error_layer(&p), PKTD_LAYER_LINK);
    linktype = (uint32_t)build(&f, S_TCP_OPTS);
    f.b[14 + 20 + 12] = 0x40; /* data offset 4 */
    ck_assert_int_eq(pktd_decode(&p, linktype, f.b, f.len), PKTD_E_MALFORMED);
    linktype = (uint32_t)build(&f, S_SHORT);
    ck_assert_int_eq(pktd_decode(&p, linktype, f.b, f.len), PKTD_E_TRUNCATED);
}
END_TEST

/* R10: an ARP IPv4 address has the shape of pktd_ipv4_src(). */
START_TEST(test_arp_address_shape)
{
    struct fr f;
    pktd_packet p;
    uint32_t linktype = (uint32_t)build(&f, S_ARP);
    ASSERT_OK(&p, pktd_decode(&p, linktype, f.b, f.len));
    ck_assert_uint_eq(pktd_arp_spa(&p), FR_IP_SRC);
    ck_assert_uint_eq(pktd_arp_tpa(&p), FR_IP_DST);
    uint32_t fields[PKTD_FIELD_COUNT_];
    (void)pktd_packet_fields(&p, fields, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(fields[PKTD_FIELD_ARP_SPA], pktd_arp_spa(&p));
    ck_assert_uint_eq(fields[PKTD_FIELD_ARP_TPA], pktd_arp_tpa(&p));
    ck_assert_mem_eq(pktd_arp_spa_bytes(&p), "\x0a\x00\x00\x01", 4);
}
END_TEST

START_TEST(test_ipv4_format)
{
    char buf[PKTD_IPV4_STRLEN];
    ck_assert_uint_eq(pktd_ipv4_format(0x0a000001u, buf, sizeof buf), 8);
    ck_assert_str_eq(buf, "10.0.0.1");
    ck_assert_uint_eq(pktd_ipv4_format(0, buf, sizeof buf), 7);
    ck_assert_str_eq(buf, "0.0.0.0");
    ck_assert_uint_eq(pktd_ipv4_format(UINT32_MAX, buf, sizeof buf), PKTD_IPV4_STRLEN - 1);
    ck_assert_str_eq(buf, "255.255.255.255");
    /* Every octet value in every position, against snprintf. */
    for (uint32_t v = 0; v < 256; v++) {
        uint32_t addr = v << 24 | (255 - v) << 16 | (v * 7 % 256) << 8 | (v * 13 % 256);
        char want[32];
        int wn = snprintf(want, sizeof want, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255,
                          (addr >> 8) & 255, addr & 255);
        ck_assert_uint_eq(pktd_ipv4_format(addr, buf, sizeof buf), (size_t)wn);
        ck_assert_str_eq(buf, want);
    }
    /* snprintf's contract: cut, NUL-terminated, full length returned. */
    char small[5] = "xxxx";
    ck_assert_uint_eq(pktd_ipv4_format(0xc0a80102u, small, sizeof small), 11);
    ck_assert_str_eq(small, "192.");
    ck_assert_uint_eq(pktd_ipv4_format(0xc0a80102u, NULL, 0), 11);
    small[0] = 'x';
    ck_assert_uint_eq(pktd_ipv4_format(0xc0a80102u, small, 1), 11);
    ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(test_mac_format)
{
    static const uint8_t mac[6] = {0x02, 0x00, 0xab, 0xcd, 0xef, 0x01};
    char buf[PKTD_MAC_STRLEN];
    ck_assert_uint_eq(pktd_mac_format(mac, buf, sizeof buf), PKTD_MAC_STRLEN - 1);
    ck_assert_str_eq(buf, "02:00:ab:cd:ef:01");
    char small[6] = "xxxxx";
    ck_assert_uint_eq(pktd_mac_format(mac, small, sizeof small), 17);
    ck_assert_str_eq(small, "02:00");
    ck_assert_uint_eq(pktd_mac_format(mac, NULL, 0), 17);
    /* An absent address (NULL from an accessor) is the empty text. */
    ck_assert_uint_eq(pktd_mac_format(NULL, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "");
    pktd_packet p;
    ASSERT_OK(&p, pktd_udp_parse(&p, FR_UDP_ONLY, 8));
    ck_assert_uint_eq(pktd_mac_format(pktd_eth_src(&p), buf, sizeof buf), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, test_presence_everywhere);
    tcase_add_test(tc, test_natural_conditions_on_udp);
    tcase_add_test(tc, test_out_parameters);
    tcase_add_test(tc, test_presence_null_state);
    tcase_add_test(tc, test_not_for_me_vs_broken);
    tcase_add_test(tc, test_arp_address_shape);
    tcase_add_test(tc, test_ipv4_format);
    tcase_add_test(tc, test_mac_format);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
