/* Parse area: pktd_packet_fields() and pktd_field_name() (fields.h), through
 * the public library.  Every field must equal what its accessor returns, on
 * every frame of tcpdump's 830 test captures (each decoded from an
 * exactly-sized copy, so valgrind or ASan would see a read past the frame)
 * and on built frames for the cases the captures lack; the array length
 * rules; the names. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "parse_check.h"

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void mac(uint32_t *e, uint32_t hi, const uint8_t *m)
{
    e[hi] = (uint32_t)(m[0] << 8 | m[1]);
    e[hi + 1] = be32(m + 2);
}

/* The array as the per-field accessors describe the state. */
static void expected(const pktd_packet *p, const uint8_t *base, uint32_t *e)
{
    memset(e, 0, PKTD_FIELD_COUNT_ * sizeof *e);
    e[PKTD_FIELD_LAYERS] = pktd_packet_layers(p);
    e[PKTD_FIELD_FLAGS] = pktd_packet_flags(p);
    e[PKTD_FIELD_ERROR] = (uint32_t)pktd_packet_error(p);
    e[PKTD_FIELD_ERROR_LAYER] = pktd_packet_error_layer(p);
    e[PKTD_FIELD_ERROR_REASON] = pktd_packet_error_reason(p);
    e[PKTD_FIELD_LINKTYPE] = pktd_packet_linktype(p);
    const uint8_t *pl;
    size_t n;
    if (pktd_packet_payload(p, &pl, &n)) {
        e[PKTD_FIELD_PAYLOAD_OFF] = (uint32_t)(pl - base);
        e[PKTD_FIELD_PAYLOAD_LEN] = (uint32_t)n;
    }
    if (pktd_eth_dst(p) != NULL) {
        mac(e, PKTD_FIELD_ETH_DST_HI, pktd_eth_dst(p));
        mac(e, PKTD_FIELD_ETH_SRC_HI, pktd_eth_src(p));
    }
    e[PKTD_FIELD_ETH_TYPE] = pktd_eth_type(p);
    e[PKTD_FIELD_VLAN_COUNT] = pktd_vlan_count(p);
    e[PKTD_FIELD_VLAN0_TPID] = pktd_vlan_tpid(p, 0);
    e[PKTD_FIELD_VLAN0_TCI] = pktd_vlan_tci(p, 0);
    e[PKTD_FIELD_VLAN1_TPID] = pktd_vlan_tpid(p, 1);
    e[PKTD_FIELD_VLAN1_TCI] = pktd_vlan_tci(p, 1);
    e[PKTD_FIELD_SLL_PKTTYPE] = pktd_sll_pkttype(p);
    e[PKTD_FIELD_SLL_HATYPE] = pktd_sll_hatype(p);
    e[PKTD_FIELD_SLL2_IFINDEX] = pktd_sll2_ifindex(p);
    e[PKTD_FIELD_ARP_HTYPE] = pktd_arp_htype(p);
    e[PKTD_FIELD_ARP_PTYPE] = pktd_arp_ptype(p);
    e[PKTD_FIELD_ARP_HLEN] = pktd_arp_hlen(p);
    e[PKTD_FIELD_ARP_PLEN] = pktd_arp_plen(p);
    e[PKTD_FIELD_ARP_OP] = pktd_arp_op(p);
    if (pktd_arp_sha(p) != NULL && pktd_arp_hlen(p) == 6) {
        mac(e, PKTD_FIELD_ARP_SHA_HI, pktd_arp_sha(p));
        mac(e, PKTD_FIELD_ARP_THA_HI, pktd_arp_tha(p));
    }
    e[PKTD_FIELD_ARP_SPA] = pktd_arp_spa(p);
    e[PKTD_FIELD_ARP_TPA] = pktd_arp_tpa(p);
    e[PKTD_FIELD_IPV4_IHL] = pktd_ipv4_ihl(p);
    e[PKTD_FIELD_IPV4_TOS] = pktd_ipv4_tos(p);
    e[PKTD_FIELD_IPV4_TOTAL_LEN] = pktd_ipv4_total_len(p);
    e[PKTD_FIELD_IPV4_ID] = pktd_ipv4_id(p);
    e[PKTD_FIELD_IPV4_FRAG] = (uint32_t)pktd_ipv4_rf(p) << 15 | (uint32_t)pktd_ipv4_df(p) << 14 |
                              (uint32_t)pktd_ipv4_mf(p) << 13 | pktd_ipv4_frag_offset(p);
    e[PKTD_FIELD_IPV4_TTL] = pktd_ipv4_ttl(p);
    e[PKTD_FIELD_IPV4_PROTO] = pktd_ipv4_proto(p);
    e[PKTD_FIELD_IPV4_CHECKSUM] = pktd_ipv4_checksum(p);
    e[PKTD_FIELD_IPV4_SRC] = pktd_ipv4_src(p);
    e[PKTD_FIELD_IPV4_DST] = pktd_ipv4_dst(p);
    if (pktd_ipv4_options(p, NULL, &n))
        e[PKTD_FIELD_IPV4_OPTIONS_LEN] = (uint32_t)n;
    e[PKTD_FIELD_TCP_SPORT] = pktd_tcp_sport(p);
    e[PKTD_FIELD_TCP_DPORT] = pktd_tcp_dport(p);
    e[PKTD_FIELD_TCP_SEQ] = pktd_tcp_seq(p);
    e[PKTD_FIELD_TCP_ACK] = pktd_tcp_ack(p);
    e[PKTD_FIELD_TCP_DOFF] = pktd_tcp_doff(p);
    e[PKTD_FIELD_TCP_FLAGS] = pktd_tcp_flags(p);
    e[PKTD_FIELD_TCP_NS] = (uint32_t)pktd_tcp_ns(p);
    e[PKTD_FIELD_TCP_WINDOW] = pktd_tcp_window(p);
    e[PKTD_FIELD_TCP_CHECKSUM] = pktd_tcp_checksum(p);
    e[PKTD_FIELD_TCP_URGENT] = pktd_tcp_urgent(p);
    uint32_t has = 0, a = 0, b = 0;
    uint16_t mss = 0;
    uint8_t ws = 0;
    if (pktd_tcp_opt_mss(p, &mss)) {
        has |= PKTD_TCP_HAS_MSS;
        e[PKTD_FIELD_TCP_MSS] = mss;
    }
    if (pktd_tcp_opt_wscale(p, &ws)) {
        has |= PKTD_TCP_HAS_WSCALE;
        e[PKTD_FIELD_TCP_WSCALE] = ws;
    }
    if (pktd_tcp_opt_sack_perm(p))
        has |= PKTD_TCP_HAS_SACK_PERM;
    if (pktd_tcp_opt_timestamps(p, &a, &b)) {
        has |= PKTD_TCP_HAS_TIMESTAMPS;
        e[PKTD_FIELD_TCP_TSVAL] = a;
        e[PKTD_FIELD_TCP_TSECR] = b;
    }
    uint32_t sacks = pktd_tcp_opt_sack_count(p);
    if (sacks > 0)
        has |= PKTD_TCP_HAS_SACK;
    e[PKTD_FIELD_TCP_SACK_COUNT] = sacks;
    for (uint32_t i = 0; i < sacks && i < 4; i++) {
        ck_assert_int_eq(pktd_tcp_opt_sack_block(p, i, &a, &b), 1);
        e[PKTD_FIELD_TCP_SACK0_LEFT + 2 * i] = a;
        e[PKTD_FIELD_TCP_SACK0_RIGHT + 2 * i] = b;
    }
    e[PKTD_FIELD_TCP_OPTIONS] = has;
    e[PKTD_FIELD_UDP_SPORT] = pktd_udp_sport(p);
    e[PKTD_FIELD_UDP_DPORT] = pktd_udp_dport(p);
    e[PKTD_FIELD_UDP_LEN] = pktd_udp_len(p);
    e[PKTD_FIELD_UDP_CHECKSUM] = pktd_udp_checksum(p);
    e[PKTD_FIELD_ICMP_TYPE] = pktd_icmp_type(p);
    e[PKTD_FIELD_ICMP_CODE] = pktd_icmp_code(p);
    e[PKTD_FIELD_ICMP_CHECKSUM] = pktd_icmp_checksum(p);
    e[PKTD_FIELD_ICMP_REST] = pktd_icmp_rest(p);
    e[PKTD_FIELD_IPV6_TCLASS] = pktd_ipv6_tclass(p);
    e[PKTD_FIELD_IPV6_FLOW] = pktd_ipv6_flow(p);
    e[PKTD_FIELD_IPV6_PLEN] = pktd_ipv6_plen(p);
    e[PKTD_FIELD_IPV6_NEXT] = pktd_ipv6_next(p);
    e[PKTD_FIELD_IPV6_HLIM] = pktd_ipv6_hlim(p);
    const uint8_t *a6 = pktd_ipv6_src(p);
    const uint8_t *b6 = pktd_ipv6_dst(p);
    for (uint32_t i = 0; a6 != NULL && i < 4; i++) {
        e[PKTD_FIELD_IPV6_SRC0 + i] = (uint32_t)a6[4 * i] << 24 | (uint32_t)a6[4 * i + 1] << 16 |
                                      (uint32_t)a6[4 * i + 2] << 8 | a6[4 * i + 3];
        e[PKTD_FIELD_IPV6_DST0 + i] = (uint32_t)b6[4 * i] << 24 | (uint32_t)b6[4 * i + 1] << 16 |
                                      (uint32_t)b6[4 * i + 2] << 8 | b6[4 * i + 3];
    }
    uint8_t up = 0;
    if (pktd_ipv6_upper(p, &up, NULL))
        e[PKTD_FIELD_IPV6_UPPER] = up;
    e[PKTD_FIELD_IPV6_EXT_COUNT] = pktd_ipv6_ext_count(p);
    e[PKTD_FIELD_IPV6_JUMBO_LEN] = pktd_ipv6_jumbo_len(p);
    uint16_t fo = 0;
    uint8_t fm = 0;
    uint32_t fid = 0;
    if (pktd_ipv6_frag(p, &fo, &fm, &fid)) {
        e[PKTD_FIELD_IPV6_FRAG] = (uint32_t)fo << 3 | fm;
        e[PKTD_FIELD_IPV6_FRAG_ID] = fid;
    }
    e[PKTD_FIELD_ICMPV6_TYPE] = pktd_icmpv6_type(p);
    e[PKTD_FIELD_ICMPV6_CODE] = pktd_icmpv6_code(p);
    e[PKTD_FIELD_ICMPV6_CHECKSUM] = pktd_icmpv6_checksum(p);
    e[PKTD_FIELD_ICMPV6_REST] = pktd_icmpv6_rest(p);
    e[PKTD_FIELD_TUNNEL_TYPE] = pktd_packet_tunnel(p);
    e[PKTD_FIELD_TUNNEL_ID] = pktd_packet_tunnel_id(p);
}

/* Layers seen with the fields checked, over all the frames compared. */
static uint32_t layers_seen;
static uint64_t frames_compared;

/* Decode @p len bytes (from an exact copy) and compare the two views. */
static void compare(uint32_t linktype, const uint8_t *data, size_t len, const char *what)
{
    uint8_t *b = fr_exact_copy(data, len);
    pktd_packet p;
    (void)pktd_decode(&p, linktype, b, len);
    uint32_t got[PKTD_FIELD_COUNT_ + 1], want[PKTD_FIELD_COUNT_];
    got[PKTD_FIELD_COUNT_] = 0xdeadbeefu;
    ck_assert_uint_eq(pktd_packet_fields(&p, got, PKTD_FIELD_COUNT_), PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(got[PKTD_FIELD_COUNT_], 0xdeadbeefu);
    expected(&p, b, want);
    /* Check records every assertion that passes: assert only on a
     * difference, which kept this test's valgrind run in minutes. */
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
        if (got[i] != want[i])
            ck_abort_msg("%s: field %s = %u, accessor says %u", what, pktd_field_name(i), got[i],
                         want[i]);
    layers_seen |= pktd_packet_layers(&p);
    frames_compared++;
    free(b);
}

static void compare_corpus_frame(const char *name, uint32_t linktype, uint32_t index,
                                 const uint8_t *data, size_t len, void *ctx)
{
    (void)index;
    (void)ctx;
    compare(linktype, data, len, name);
}

START_TEST(test_corpus)
{
    int files = fr_corpus_each(compare_corpus_frame, NULL);
    ck_assert_int_gt(files, 800);
    /* The captures reach every layer the fields cover but SLL2 (built in
     * test_built_frames). */
    uint32_t want = L(ETH) | L(VLAN) | L(SLL) | L(ARP) | L(IPV4) | L(TCP) | L(UDP) | L(ICMP) |
                    L(IPV6) | L(ICMPV6);
    ck_assert_uint_eq(layers_seen & want, want);
    fprintf(stderr, "fields: %llu frames of %d captures compared\n",
            (unsigned long long)frames_compared, files);
}
END_TEST

/* What the captures may lack: two VLAN tags, four SACK blocks, ARP, a
 * Linux cooked v2 header, a failure before any layer. */
START_TEST(test_built_frames)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x88a8);
    fr_vlan(&f, 0xa00b, 0x8100);
    fr_vlan(&f, 0x2123, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .frag = 0x4000, .src = FR_IP_SRC,
                        .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    static const uint8_t opts[] = {2, 4, 5, 0xb4, 4, 2, 5, 34,
                                   1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                                   31, 32};
    struct fr_tcp t = {.sport = 443, .dport = 50000, .seq = 7, .ack = 9,
                       .flags = PKTD_TCP_ACK, .opts = opts, .optlen = sizeof opts};
    size_t to = fr_tcp(&f, &t);
    fr_ip4_finish(&f, ipo);
    fr_tcp_finish(&f, ipo, to);
    compare(1, f.b, f.len, "QinQ + 4 SACK blocks");

    pktd_packet p;
    uint32_t v[PKTD_FIELD_COUNT_];
    (void)pktd_decode(&p, 1, f.b, f.len);
    pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_VLAN_COUNT], 2);
    ck_assert_uint_eq(v[PKTD_FIELD_VLAN0_TPID], 0x88a8);
    ck_assert_uint_eq(v[PKTD_FIELD_VLAN1_TCI], 0x2123);
    ck_assert_uint_eq(v[PKTD_FIELD_TCP_OPTIONS],
                      PKTD_TCP_HAS_MSS | PKTD_TCP_HAS_SACK_PERM | PKTD_TCP_HAS_SACK);
    ck_assert_uint_eq(v[PKTD_FIELD_TCP_MSS], 1460);
    ck_assert_uint_eq(v[PKTD_FIELD_TCP_SACK_COUNT], 4);
    ck_assert_uint_eq(v[PKTD_FIELD_TCP_SACK3_RIGHT], 0x1d1e1f20u);
    ck_assert_uint_eq(v[PKTD_FIELD_IPV4_SRC], FR_IP_SRC);

    static const uint8_t sha[6] = {2, 0, 0, 0, 0, 1}, tha[6] = {0};
    fr_init(&f);
    fr_eth(&f, 0x0806);
    fr_arp(&f, 1, sha, 0x0a000001u, tha, 0x0a000002u);
    compare(1, f.b, f.len, "ARP");
    (void)pktd_decode(&p, 1, f.b, f.len);
    pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_ARP_SHA_HI], 0x0200);
    ck_assert_uint_eq(v[PKTD_FIELD_ARP_SHA_LO], 1);
    ck_assert_uint_eq(v[PKTD_FIELD_ARP_TPA], 0x0a000002u);

    /* Linux cooked v2: protocol, reserved, ifindex, hatype, pkttype, address
     * length, 8 address bytes; then IPv4 / ICMP. */
    fr_init(&f);
    fr_be16(&f, 0x0800);
    fr_be16(&f, 0);
    fr_be32(&f, 7);
    fr_be16(&f, 1);
    fr_u8(&f, 4);
    fr_u8(&f, 6);
    fr_bytes(&f, sha, 6);
    fr_be16(&f, 0);
    ip.proto = 1;
    ipo = fr_ip4(&f, &ip);
    size_t co = fr_icmp(&f, 8, 0, 0x12340001u);
    fr_ip4_finish(&f, ipo);
    fr_icmp_finish(&f, co);
    compare(PKTD_LINKTYPE_LINUX_SLL2, f.b, f.len, "SLL2 + ICMP");
    (void)pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL2, f.b, f.len);
    pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_LAYERS], L(SLL2) | L(IPV4) | L(ICMP));
    ck_assert_uint_eq(v[PKTD_FIELD_SLL2_IFINDEX], 7);
    ck_assert_uint_eq(v[PKTD_FIELD_SLL_PKTTYPE], 4);
    ck_assert_uint_eq(v[PKTD_FIELD_ICMP_REST], 0x12340001u);

    /* Truncated before the first layer: no payload, the error fields. */
    fr_init(&f);
    fr_eth(&f, 0x0806);
    fr_arp(&f, 1, sha, 0x0a000001u, tha, 0x0a000002u);
    compare(1, f.b, 10, "10-byte frame");
    (void)pktd_decode(&p, 1, f.b, 10);
    pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_ERROR], (uint32_t)PKTD_E_TRUNCATED);
    ck_assert_uint_eq(v[PKTD_FIELD_ERROR_LAYER], PKTD_LAYER_ETH);
    ck_assert_uint_eq(v[PKTD_FIELD_PAYLOAD_LEN], 0);
    compare(9999, f.b, f.len, "unknown link type");
}
END_TEST

START_TEST(test_array_length)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(&f, &ip);
    size_t uo = fr_udp(&f, 53, 5353);
    fr_ip4_finish(&f, ipo);
    fr_udp_finish(&f, ipo, uo);
    pktd_packet p;
    ck_assert_int_eq(pktd_decode(&p, 1, f.b, f.len), 0);

    uint32_t all[PKTD_FIELD_COUNT_], v[PKTD_FIELD_COUNT_ + 8];
    ck_assert_uint_eq(pktd_packet_fields(&p, all, PKTD_FIELD_COUNT_), PKTD_FIELD_COUNT_);
    /* Asking the size writes nothing. */
    ck_assert_uint_eq(pktd_packet_fields(&p, NULL, 0), PKTD_FIELD_COUNT_);
    v[0] = 77;
    ck_assert_uint_eq(pktd_packet_fields(&p, v, 0), PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[0], 77);
    /* A shorter array (an older program): exactly that many, the same values. */
    for (uint32_t n = 1; n <= PKTD_FIELD_COUNT_ + 8; n++) {
        for (uint32_t i = 0; i < PKTD_FIELD_COUNT_ + 8; i++)
            v[i] = 0xa5a5a5a5u;
        ck_assert_uint_eq(pktd_packet_fields(&p, v, n), PKTD_FIELD_COUNT_);
        for (uint32_t i = 0; i < PKTD_FIELD_COUNT_ + 8; i++) {
            if (i < n && i < PKTD_FIELD_COUNT_)
                ck_assert_uint_eq(v[i], all[i]);
            else
                ck_assert_uint_eq(v[i], 0xa5a5a5a5u);
        }
    }
    ck_assert_uint_eq(all[PKTD_FIELD_UDP_DPORT], 5353);
}
END_TEST

START_TEST(test_names)
{
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++) {
        const char *n = pktd_field_name(i);
        ck_assert_ptr_nonnull(n);
        ck_assert_str_ne(n, "unknown");
        for (uint32_t k = 0; k < i; k++)
            ck_assert_str_ne(n, pktd_field_name(k));
    }
    ck_assert_str_eq(pktd_field_name(PKTD_FIELD_IPV4_SRC), "ipv4.src");
    ck_assert_str_eq(pktd_field_name(PKTD_FIELD_TCP_SACK3_RIGHT), "tcp.sack3_right");
    ck_assert_str_eq(pktd_field_name(PKTD_FIELD_COUNT_), "unknown");
    ck_assert_str_eq(pktd_field_name(UINT32_MAX), "unknown");
}
END_TEST

/* One table (PKTD_FIELD_MAP): the enum, the names and the lookup agree,
 * and every short name is the enum name in lower case with its first '_'
 * made a '.', the rule bindings rely on to name their constants. */
START_TEST(test_one_table)
{
    static const struct {
        const char *sym;
        uint32_t value;
        const char *name;
    } rows[] = {
#define ROW_(name, value, str) {#name, value, str},
        PKTD_FIELD_MAP(ROW_)
#undef ROW_
    };
    size_t nrows = sizeof rows / sizeof rows[0];
    ck_assert_uint_eq(nrows, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(pktd_field_count(), PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(pktd_packet_fields(NULL, NULL, 0), pktd_field_count());
    for (size_t i = 0; i < nrows; i++) {
        ck_assert_uint_eq(rows[i].value, i);
        ck_assert_str_eq(pktd_field_name(rows[i].value), rows[i].name);
        char want[64];
        size_t k = 0;
        int dotted = 0;
        for (const char *c = rows[i].sym; *c != '\0' && k + 1 < sizeof want; c++, k++) {
            if (*c == '_' && !dotted) {
                want[k] = '.';
                dotted = 1;
            } else {
                want[k] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
            }
        }
        want[k] = '\0';
        ck_assert_str_eq(rows[i].name, want);
        uint32_t idx = UINT32_MAX;
        ck_assert_int_eq(pktd_field_lookup(rows[i].name, &idx), 1);
        ck_assert_uint_eq(idx, i);
        ck_assert_int_eq(pktd_field_lookup(rows[i].name, NULL), 1);
    }
    uint32_t idx = 77;
    ck_assert_int_eq(pktd_field_lookup("tcp.nope", &idx), 0);
    ck_assert_uint_eq(idx, 77); /* untouched when absent */
    ck_assert_int_eq(pktd_field_lookup("", &idx), 0);
    ck_assert_int_eq(pktd_field_lookup(NULL, &idx), 0);
    ck_assert_int_eq(pktd_field_lookup("unknown", &idx), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_fields");
    TCase *tc = tcase_create("fields");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_corpus);
    tcase_add_test(tc, test_built_frames);
    tcase_add_test(tc, test_array_length);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_one_table);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
