/* Parse area: TCP fields, flags, the known options and the option iterator,
 * every malformed header and option case, payload clamping and the checksum
 * over the IPv4 pseudo-header. */
#include "config.h"

#include <stdlib.h>

#include "parse_check.h"

#define ETH 14u
#define TCP_OFF (ETH + 20u)

/* Ethernet / IPv4 / TCP (@p t) / @p paylen payload bytes, checksums right. */
static void build(struct fr *f, const struct fr_tcp *t, size_t paylen)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .frag = 0x4000, .src = FR_IP_SRC,
                        .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t to = fr_tcp(f, t);
    for (size_t i = 0; i < paylen; i++)
        fr_u8(f, (uint8_t)('a' + i % 26));
    fr_ip4_finish(f, ipo);
    fr_tcp_finish(f, ipo, to);
}

START_TEST(test_fields)
{
    struct fr_tcp t = {.sport = 40000, .dport = 8088, .seq = 123456, .ack = 0x89abcdefu,
                       .flags = PKTD_TCP_PSH | PKTD_TCP_ACK, .ns = 1, .win = 65535,
                       .urg = 7};
    struct fr f;
    build(&f, &t, 5);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ck_assert_uint_eq(pktd_tcp_sport(&p), 40000);
    ck_assert_uint_eq(pktd_tcp_dport(&p), 8088);
    ck_assert_uint_eq(pktd_tcp_seq(&p), 123456);
    ck_assert_uint_eq(pktd_tcp_ack(&p), 0x89abcdefu);
    ck_assert_uint_eq(pktd_tcp_doff(&p), 5);
    ck_assert_uint_eq(pktd_tcp_flags(&p), PKTD_TCP_PSH | PKTD_TCP_ACK);
    ck_assert_int_eq(pktd_tcp_ns(&p), 1);
    ck_assert_uint_eq(pktd_tcp_window(&p), 65535);
    ck_assert_uint_eq(pktd_tcp_urgent(&p), 7);
    ck_assert_uint_eq(pktd_tcp_checksum(&p),
                      (uint16_t)(f.b[TCP_OFF + 16] << 8 | f.b[TCP_OFF + 17]));
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    ASSERT_HEADER(&p, PKTD_LAYER_TCP, f.b, TCP_OFF, 20);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 20, 5);
    ck_assert_mem_eq(f.b + TCP_OFF + 20, "abcde", 5);
    /* No options. */
    const uint8_t *d;
    size_t n = 99;
    ck_assert_int_eq(pktd_tcp_options(&p, &d, &n), 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pktd_tcp_options(&p, NULL, NULL), 1);
    uint32_t cur = 0;
    uint8_t kind;
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    uint16_t mss = 1;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 0);
    ck_assert_uint_eq(mss, 1); /* untouched */
    ck_assert_int_eq(pktd_tcp_opt_wscale(&p, NULL), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(&p), 0);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, NULL, NULL), 0);
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 0, NULL, NULL), 0);

    /* Every flag bit, one at a time, and NS clear. */
    for (unsigned bit = 0; bit < 8; bit++) {
        t.flags = (uint8_t)(1u << bit);
        t.ns = 0;
        build(&f, &t, 0);
        ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
        ck_assert_uint_eq(pktd_tcp_flags(&p), 1u << bit);
        ck_assert_int_eq(pktd_tcp_ns(&p), 0);
        ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    }
    ck_assert_uint_eq(PKTD_TCP_FIN | PKTD_TCP_SYN | PKTD_TCP_RST | PKTD_TCP_PSH | PKTD_TCP_ACK |
                          PKTD_TCP_URG | PKTD_TCP_ECE | PKTD_TCP_CWR,
                      0xff);

    /* Absent layer. */
    ASSERT_OK(&p, pktd_udp_parse(&p, FR_UDP_ONLY, 8));
    ck_assert_uint_eq(pktd_tcp_sport(&p), 0);
    ck_assert_uint_eq(pktd_tcp_doff(&p), 0);
    ck_assert_int_eq(pktd_tcp_ns(&p), 0);
    ck_assert_int_eq(pktd_tcp_options(&p, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 0);
}
END_TEST

START_TEST(test_known_options)
{
    /* A SYN as Linux sends it: MSS, SACK-permitted, timestamps, NOP, WS. */
    static const uint8_t syn[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x00, 0x01, 0x02, 0x03,
                                  0xfe, 0xdc, 0xba, 0x98, 1, 3, 3, 7};
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_SYN, .opts = syn,
                       .optlen = sizeof syn};
    struct fr f;
    build(&f, &t, 0);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_tcp_doff(&p), 10);
    ASSERT_HEADER(&p, PKTD_LAYER_TCP, f.b, TCP_OFF, 40);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 40, 0);
    uint16_t mss = 0;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 1);
    ck_assert_uint_eq(mss, 1460);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 1);
    uint8_t ws = 0;
    ck_assert_int_eq(pktd_tcp_opt_wscale(&p, &ws), 1);
    ck_assert_uint_eq(ws, 7);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(&p), 1);
    uint32_t val = 0, ecr = 0;
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, &val, &ecr), 1);
    ck_assert_uint_eq(val, 0x00010203u);
    ck_assert_uint_eq(ecr, 0xfedcba98u);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, NULL, NULL), 1);
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 0);
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    const uint8_t *d;
    size_t n;
    ck_assert_int_eq(pktd_tcp_options(&p, &d, &n), 1);
    ck_assert_ptr_eq(d, f.b + TCP_OFF + 20);
    ck_assert_uint_eq(n, 20);

    /* The iterator yields every option in order, with its value bytes. */
    static const struct {
        uint8_t kind;
        size_t len;
        size_t at; /* offset of the value in the option area */
    } want[] = {{2, 2, 2}, {4, 0, 6}, {8, 8, 8}, {1, 0, 17}, {3, 1, 19}};
    uint32_t cur = 0;
    uint8_t kind;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 1);
        ck_assert_uint_eq(kind, want[i].kind);
        ck_assert_uint_eq(n, want[i].len);
        if (want[i].len > 0)
            ck_assert_ptr_eq(d, f.b + TCP_OFF + 20 + want[i].at);
    }
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    /* Argument checks. */
    cur = 0;
    /* R1: no state or no cursor is "no next option", never a negative code. */
    ck_assert_int_eq(pktd_tcp_option_next(NULL, &cur, &kind, &d, &n), 0);
    ck_assert_int_eq(pktd_tcp_option_next(&p, NULL, &kind, &d, &n), 0);
    ck_assert_uint_eq(cur, 0);
    /* NULL out-parameters are skipped; the cursor moves as with all three. */
    uint32_t bare = 0, full = 0;
    ck_assert_int_eq(pktd_tcp_option_next(&p, &bare, NULL, NULL, NULL), 1);
    ck_assert_int_eq(pktd_tcp_option_next(&p, &full, &kind, &d, &n), 1);
    ck_assert_uint_eq(bare, full);
    ck_assert_uint_gt(bare, 0);
    /* A cursor the iterator did not make: checked, never read past. */
    cur = 19; /* the WS shift byte 7: kind 7, "length" beyond the area */
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
    cur = 3; /* MSS low byte 0xb4 as a kind, length 4 fits: produced */
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 0xb4);
    cur = 1000;
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
}
END_TEST

START_TEST(test_sack_and_unknown_options)
{
    /* NOP NOP SACK(3 blocks) NOP NOP TS, 40 bytes. */
    uint8_t o[40];
    size_t i = 0;
    o[i++] = 1;
    o[i++] = 1;
    o[i++] = 5;
    o[i++] = 26;
    for (uint32_t b = 0; b < 6; b++) {
        uint32_t v = 1000u * (b + 1);
        o[i++] = (uint8_t)(v >> 24);
        o[i++] = (uint8_t)(v >> 16);
        o[i++] = (uint8_t)(v >> 8);
        o[i++] = (uint8_t)v;
    }
    o[i++] = 1;
    o[i++] = 1;
    o[i++] = 8;
    o[i++] = 10;
    memset(o + i, 0x42, 8);
    i += 8;
    ck_assert_uint_eq(i, 40);
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_ACK, .opts = o, .optlen = 40};
    struct fr f;
    build(&f, &t, 3);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_tcp_doff(&p), 15);
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 3);
    for (uint32_t b = 0; b < 3; b++) {
        uint32_t l = 0, r = 0;
        ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, b, &l, &r), 1);
        ck_assert_uint_eq(l, 1000u * (2 * b + 1));
        ck_assert_uint_eq(r, 1000u * (2 * b + 2));
    }
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 2, NULL, NULL), 1);
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 3, NULL, NULL), 0);
    uint32_t val = 0;
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, &val, NULL), 1);
    ck_assert_uint_eq(val, 0x42424242u);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 0);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 60, 3);
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);

    /* Four SACK blocks (34 bytes), the most that fit. */
    uint8_t o4[36] = {1, 1, 5, 34};
    for (size_t k = 4; k < 36; k++)
        o4[k] = (uint8_t)k;
    t.opts = o4;
    t.optlen = sizeof o4;
    build(&f, &t, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 4);
    uint32_t r = 0;
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 3, NULL, &r), 1);
    ck_assert_uint_eq(r, 0x20212223u);

    /* Unknown kinds (MPTCP 30, TFO 34, experimental 254) pass through the
     * iterator; a duplicate MSS: the first one counts. EOL then garbage
     * that would be malformed: not validated, not iterated. */
    static const uint8_t ou[] = {30, 6, 0xa, 0xb, 0xc, 0xd, 2, 4, 0x01, 0x00, 2, 4, 0x02, 0x00,
                                 34, 2, 254, 4, 0xf9, 0x89, 0, 0x02, 0x01, 0xff};
    t.opts = ou;
    t.optlen = sizeof ou;
    build(&f, &t, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    uint16_t mss = 0;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 1);
    ck_assert_uint_eq(mss, 256);
    static const uint8_t kinds[] = {30, 2, 2, 34, 254, 0};
    static const size_t lens[] = {4, 2, 2, 0, 2, 0};
    uint32_t cur = 0;
    uint8_t kind;
    const uint8_t *d;
    size_t n;
    for (size_t k = 0; k < sizeof kinds; k++) {
        ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 1);
        ck_assert_uint_eq(kind, kinds[k]);
        ck_assert_uint_eq(n, lens[k]);
    }
    ck_assert_int_eq(pktd_tcp_option_next(&p, &cur, &kind, &d, &n), 0);
}
END_TEST

/* NOP, NOP, Timestamps first: recognised without the walk (tcp.c's fast
 * path); the results must be exactly the walk's, alone or followed by more
 * options, and a bad option after the prefix is still found. */
START_TEST(test_timestamps_first)
{
    uint8_t o[40] = {1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_ACK, .opts = o, .optlen = 12};
    struct fr f;
    pktd_packet p;
    uint32_t val = 0, ecr = 0, l = 0, r = 0;
    build(&f, &t, 5);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_tcp_doff(&p), 8);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, &val, &ecr), 1);
    ck_assert_uint_eq(val, 0x11223344u);
    ck_assert_uint_eq(ecr, 0x55667788u);
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 0);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(&p), 0);
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 32, 5);

    /* ... then NOP, NOP, SACK with one block, and a second TS (ignored: the
     * first occurrence counts). */
    static const uint8_t more[] = {1, 1, 5, 10, 0, 0, 0, 7, 0, 0, 0, 9,
                                   8, 10, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0};
    memcpy(o + 12, more, sizeof more);
    t.optlen = 12 + sizeof more;
    build(&f, &t, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_tcp_doff(&p), 15);
    ck_assert_int_eq(pktd_tcp_opt_timestamps(&p, &val, NULL), 1);
    ck_assert_uint_eq(val, 0x11223344u);
    ck_assert_uint_eq(pktd_tcp_opt_sack_count(&p), 1);
    ck_assert_int_eq(pktd_tcp_opt_sack_block(&p, 0, &l, &r), 1);
    ck_assert_uint_eq(l, 7);
    ck_assert_uint_eq(r, 9);

    /* ... then an option of length 1: malformed, as found by the walk. */
    static const uint8_t bad[] = {30, 1, 0, 0};
    memcpy(o + 12, bad, sizeof bad);
    t.optlen = 16;
    build(&f, &t, 0);
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_LEN, 1, 0);

    /* The prefix with a wrong TS length is not the fast path: the walk
     * reports the size. */
    o[3] = 12;
    t.optlen = 16;
    build(&f, &t, 0);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_SIZE, 8, 12);
}
END_TEST

/* Decode a TCP header whose 4-byte option area is @p opts. */
static int decode_opts4(pktd_packet *p, struct fr *f, const uint8_t *opts, size_t optlen)
{
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_SYN, .opts = opts,
                       .optlen = optlen};
    build(f, &t, 0);
    return pktd_decode(p, 1, f->b, f->len);
}

#define OPT_STOP(opts, reason, v1, v2)                                                    \
    do {                                                                                  \
        static const uint8_t o_[] = opts;                                                 \
        int rc_ = decode_opts4(&p, &f, o_, sizeof o_);                                    \
        ASSERT_STOP(&p, rc_, PKTD_E_MALFORMED, PKTD_LAYER_TCP, (reason), (v1), (v2));     \
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));                      \
        ck_assert_uint_eq(pktd_ipv4_src(&p), FR_IP_SRC);                                  \
        ASSERT_PAYLOAD(&p, f.b, TCP_OFF, f.len - TCP_OFF);                                \
        ck_assert_int_eq(pktd_tcp_opt_mss(&p, NULL), 0);                                  \
    } while (0)
#define B(...) {__VA_ARGS__}

START_TEST(test_options_malformed)
{
    struct fr f;
    pktd_packet p;
    /* Kind >= 2 as the last byte: no length byte. */
    OPT_STOP(B(1, 1, 1, 2), PKTD_R_TCP_OPT_NOLEN, 2, 0);
    ASSERT_MSG(&p, "TCP option 2 has no length byte");
    OPT_STOP(B(1, 1, 1, 200), PKTD_R_TCP_OPT_NOLEN, 200, 0);
    /* Lengths 0 and 1 (a naive walker loops forever on 0). */
    OPT_STOP(B(30, 0, 0, 0), PKTD_R_TCP_OPT_LEN, 0, 0);
    ASSERT_MSG(&p, "TCP option length 0 < 2");
    OPT_STOP(B(1, 30, 1, 0), PKTD_R_TCP_OPT_LEN, 1, 0);
    /* Overrun. */
    OPT_STOP(B(1, 30, 4, 0), PKTD_R_TCP_OPT_OVERRUN, 4, 3);
    ASSERT_MSG(&p, "TCP option length 4 overruns 3 option bytes");
    OPT_STOP(B(30, 255, 0, 0), PKTD_R_TCP_OPT_OVERRUN, 255, 4);
    /* Known options of the wrong size. */
    OPT_STOP(B(2, 3, 5, 1), PKTD_R_TCP_OPT_SIZE, 2, 3);
    ASSERT_MSG(&p, "TCP option 2 has invalid length 3");
    OPT_STOP(B(2, 2, 1, 1), PKTD_R_TCP_OPT_SIZE, 2, 2);
    OPT_STOP(B(3, 4, 7, 0), PKTD_R_TCP_OPT_SIZE, 3, 4);
    OPT_STOP(B(3, 2, 1, 1), PKTD_R_TCP_OPT_SIZE, 3, 2);
    OPT_STOP(B(4, 3, 0, 1), PKTD_R_TCP_OPT_SIZE, 4, 3);
    OPT_STOP(B(4, 4, 0, 0), PKTD_R_TCP_OPT_SIZE, 4, 4);
    OPT_STOP(B(8, 8, 1, 2, 3, 4, 5, 6), PKTD_R_TCP_OPT_SIZE, 8, 8);
    OPT_STOP(B(8, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), PKTD_R_TCP_OPT_SIZE, 8, 12);
    OPT_STOP(B(5, 2, 1, 1), PKTD_R_TCP_OPT_SIZE, 5, 2);
    OPT_STOP(B(5, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), PKTD_R_TCP_OPT_SIZE, 5, 12);
    OPT_STOP(B(5, 9, 1, 2, 3, 4, 5, 6, 7, 1, 1, 1), PKTD_R_TCP_OPT_SIZE, 5, 9);
    /* A bad option after good ones. */
    OPT_STOP(B(2, 4, 5, 0xb4, 1, 1, 8, 2), PKTD_R_TCP_OPT_SIZE, 8, 2);

    /* Bare parse of exactly the header in an exact-size buffer: the missing
     * length byte is never read (valgrind/ASan would report it). */
    static const uint8_t nolen[] = {1, 1, 1, 8};
    decode_opts4(&p, &f, nolen, sizeof nolen);
    uint8_t *b = fr_exact_copy(f.b + TCP_OFF, 24);
    int rc = pktd_tcp_parse(&p, b, 24);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_NOLEN, 8, 0);
    ck_assert_uint_eq(pktd_packet_layers(&p), 0);
    ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 0);
    free(b);
}
END_TEST

START_TEST(test_header_malformed)
{
    struct fr f;
    pktd_packet p;
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_ACK};
    build(&f, &t, 40);
    /* Data offset below 5. */
    for (unsigned doff = 0; doff < 5; doff++) {
        f.b[TCP_OFF + 12] = (uint8_t)(doff << 4);
        int rc = pktd_decode(&p, 1, f.b, f.len);
        ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_DOFF, doff, 0);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
        ck_assert_uint_eq(pktd_ipv4_dst(&p), FR_IP_DST);
        ASSERT_PAYLOAD(&p, f.b, TCP_OFF, 60);
    }
    ASSERT_MSG(&p, "data offset 4 < 5");
    /* Longer than the segment the IP header announces (60 > 30), although
     * the bytes are captured (Ethernet padding): malformed. */
    build(&f, &t, 10);
    fr_fill(&f, 0, 40);
    f.b[TCP_OFF + 12] = 0xf0;
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_DOFF_LONG, 60, 30);
    ASSERT_MSG(&p, "header length 60 beyond segment length 30");
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF, 30);
    /* Same, but the IP total length is 0: the segment length is unknown,
     * so 60 within 30 + 40 captured bytes is a header (its option area is
     * the 10 payload bytes, made NOPs here, then zeros = End-of-list) ... */
    fr_put_be16(&f, ETH + 2, 0);
    memset(f.b + TCP_OFF + 20, 1, 10);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 60, 10);
    /* ... and 60 beyond 50 captured bytes is truncation. */
    rc = pktd_decode(&p, 1, f.b, TCP_OFF + 50);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, 60, 50);
    ASSERT_MSG(&p, "header length 60 beyond captured length 50");
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO);
    /* A segment longer than captured (IP truncated): header cut = truncated. */
    struct fr_tcp big = t;
    static const uint8_t o[40] = {1};
    big.opts = o;
    big.optlen = sizeof o;
    build(&f, &big, 100);
    rc = pktd_decode(&p, 1, f.b, TCP_OFF + 30);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, 60, 30);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    /* Fewer than 20 bytes. */
    for (size_t n = 0; n < 20; n++) {
        rc = pktd_decode(&p, 1, f.b, TCP_OFF + n);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_SHORT, n, 0);
        ASSERT_PAYLOAD(&p, f.b, TCP_OFF, n);
    }
    ASSERT_MSG(&p, "TCP header needs 20 bytes, have 19");
    /* An IP total length that ends inside the TCP header (Ethernet padding
     * after it): the header is cut by the IP packet, not by the capture. */
    build(&f, &t, 0);
    fr_fill(&f, 0, 30);
    fr_put_be16(&f, ETH + 2, 20 + 12);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_SHORT, 12, 0);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_PADDING);
}
END_TEST

START_TEST(test_bare_parse)
{
    static const uint8_t opts[] = {2, 4, 0x23, 0x28, 1, 1, 4, 2};
    struct fr_tcp t = {.sport = 443, .dport = 50000, .seq = 7, .flags = PKTD_TCP_SYN,
                       .opts = opts, .optlen = sizeof opts};
    struct fr f;
    build(&f, &t, 9);
    pktd_packet p;
    uint8_t *b = fr_exact_copy(f.b + TCP_OFF, f.len - TCP_OFF);
    ASSERT_OK(&p, pktd_tcp_parse(&p, b, f.len - TCP_OFF));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&p), 0);
    ck_assert_uint_eq(pktd_tcp_sport(&p), 443);
    ck_assert_uint_eq(pktd_tcp_dport(&p), 50000);
    uint16_t mss = 0;
    ck_assert_int_eq(pktd_tcp_opt_mss(&p, &mss), 1);
    ck_assert_uint_eq(mss, 9000);
    ck_assert_int_eq(pktd_tcp_opt_sack_perm(&p), 1);
    ASSERT_HEADER(&p, PKTD_LAYER_TCP, b, 0, 28);
    ASSERT_PAYLOAD(&p, b, 28, 9);
    /* No IPv4 pseudo-header: the checksum cannot be verified. */
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    /* Without the IP length, a long data offset is only truncation. */
    int rc = pktd_tcp_parse(&p, b, 27);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, 28, 27);
    free(b);
}
END_TEST

START_TEST(test_checksum)
{
    struct fr_tcp t = {.sport = 1000, .dport = 80, .seq = 1, .flags = PKTD_TCP_PSH};
    struct fr f;
    pktd_packet p;
    /* Odd and even payload lengths. */
    for (size_t n = 0; n < 12; n++) {
        build(&f, &t, n);
        ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
        ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    }
    /* Corrupt a payload byte, a header byte, the pseudo-header (address). */
    build(&f, &t, 11);
    f.b[f.len - 1] ^= 0x80;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(tcp, &p, CSUM_WRONG);
    build(&f, &t, 11);
    f.b[TCP_OFF + 4] ^= 1;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(tcp, &p, CSUM_WRONG);
    build(&f, &t, 11);
    f.b[ETH + 15] ^= 1;
    fr_ip4_checksum(&f, ETH);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    ASSERT_CSUM(tcp, &p, CSUM_WRONG);
    /* Ethernet padding is not summed. */
    build(&f, &t, 3);
    fr_fill(&f, 0x77, 9);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_PADDING);
    ASSERT_PAYLOAD(&p, f.b, TCP_OFF + 20, 3);
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    /* Not fully captured: never summed past the capture. */
    build(&f, &t, 11);
    uint8_t *b = fr_exact_copy(f.b, f.len - 1);
    ASSERT_OK(&p, pktd_decode(&p, 1, b, f.len - 1));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_PAYLOAD(&p, b, TCP_OFF + 20, 10);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    free(b);
    /* Length unknown (IPv4 total length 0). */
    fr_put_be16(&f, ETH + 2, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    /* First fragment: the segment continues elsewhere. */
    build(&f, &t, 11);
    fr_put_be16(&f, ETH + 6, 0x2000);
    fr_ip4_checksum(&f, ETH);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_TCP));
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
}
END_TEST

/* A real segment from the corpus: the TSO capture (IPv4 total length 0). */
START_TEST(test_corpus_tso)
{
    char path[4096];
    fr_corpus_path(path, sizeof path, "ipv4_tcp_http_xml_tso.pcap");
    uint8_t *file = NULL;
    uint32_t lt = 0;
    struct fr_rec r[4];
    int n = fr_pcap_load(path, &file, &lt, r, 4);
    ck_assert_int_ge(n, 1);
    ck_assert_uint_eq(lt, 1);
    pktd_packet p;
    uint8_t *b = fr_exact_copy(r[0].data, r[0].caplen);
    ASSERT_OK(&p, pktd_decode(&p, lt, b, r[0].caplen));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x1e07b579u); /* 30.7.181.121 */
    ck_assert_uint_eq(pktd_tcp_dport(&p), 8080);
    ck_assert_uint_eq(pktd_tcp_flags(&p), PKTD_TCP_PSH | PKTD_TCP_ACK);
    ASSERT_PAYLOAD(&p, b, 54, r[0].caplen - 54);
    ck_assert_mem_eq(b + 54, "POST ", 5);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    free(b);
    free(file);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_tcp");
    TCase *tc = tcase_create("tcp");
    tcase_add_test(tc, test_fields);
    tcase_add_test(tc, test_known_options);
    tcase_add_test(tc, test_sack_and_unknown_options);
    tcase_add_test(tc, test_timestamps_first);
    tcase_add_test(tc, test_options_malformed);
    tcase_add_test(tc, test_header_malformed);
    tcase_add_test(tc, test_bare_parse);
    tcase_add_test(tc, test_checksum);
    tcase_add_test(tc, test_corpus_tso);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
