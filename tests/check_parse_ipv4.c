/* Parse area: IPv4 fields, options and their iterator, the header checksum,
 * length handling (padding, total length 0, total length above the capture),
 * fragments, and every malformed or truncated header case. */
#include "config.h"

#include <stdlib.h>

#include "checksum.h" /* internal: pktd__csum_sum against the reference */
#include "parse_check.h"

#define ETH 14u

static const struct fr_ip4 ip_udp = {
    .tos = 0xb8, .id = 0x1234, .frag = 0x4000, .ttl = 64, .proto = 17,
    .src = FR_IP_SRC, .dst = FR_IP_DST};

/* Ethernet / IPv4 (@p ip) / UDP with @p paylen payload bytes. */
static void build(struct fr *f, const struct fr_ip4 *ip, size_t paylen)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    size_t ipo = fr_ip4(f, ip);
    size_t udpo = fr_udp(f, 4000, 53);
    for (size_t i = 0; i < paylen; i++)
        fr_u8(f, (uint8_t)(i * 7 + 1));
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, udpo);
}

START_TEST(test_fields)
{
    struct fr f;
    build(&f, &ip_udp, 11);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_ipv4_ihl(&p), 5);
    ck_assert_uint_eq(pktd_ipv4_tos(&p), 0xb8);
    ck_assert_uint_eq(pktd_ipv4_total_len(&p), 20 + 8 + 11);
    ck_assert_uint_eq(pktd_ipv4_id(&p), 0x1234);
    ck_assert_int_eq(pktd_ipv4_df(&p), 1);
    ck_assert_int_eq(pktd_ipv4_mf(&p), 0);
    ck_assert_int_eq(pktd_ipv4_rf(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_frag_offset(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_ttl(&p), 64);
    ck_assert_uint_eq(pktd_ipv4_proto(&p), 17);
    ck_assert_uint_eq(pktd_ipv4_checksum(&p), (uint16_t)(f.b[ETH + 10] << 8 | f.b[ETH + 11]));
    ck_assert_uint_ne(pktd_ipv4_checksum(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x0a000001u);
    ck_assert_uint_eq(pktd_ipv4_dst(&p), 0xc0a80102u);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    const uint8_t *d = NULL;
    size_t n = 99;
    ck_assert_int_eq(pktd_ipv4_options(&p, &d, &n), 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_eq(d, f.b + ETH + 20);
    ck_assert_int_eq(pktd_ipv4_options(&p, NULL, NULL), 1);
    uint32_t cur = 0;
    uint8_t kind;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
    ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, ETH, 20);
    ASSERT_PAYLOAD(&p, f.b, ETH + 28, 11);

    /* Flag bits one by one. */
    struct fr_ip4 ip = ip_udp;
    ip.frag = 0x8000;
    build(&f, &ip, 3);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_int_eq(pktd_ipv4_rf(&p), 1);
    ck_assert_int_eq(pktd_ipv4_df(&p), 0);
    ck_assert_int_eq(pktd_ipv4_mf(&p), 0);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);

    /* Absent layer: zeros and NOT_FOUND. */
    ASSERT_OK(&p, pktd_udp_parse(&p, f.b + ETH + 20, 11));
    ck_assert_uint_eq(pktd_ipv4_ihl(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0);
    ck_assert_uint_eq(pktd_ipv4_total_len(&p), 0);
    ck_assert_int_eq(pktd_ipv4_df(&p), 0);
    ASSERT_CSUM(ipv4, &p, CSUM_UNVERIFIED);
    ck_assert_int_eq(pktd_ipv4_options(&p, &d, &n), 0);
    cur = 0;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
}
END_TEST

START_TEST(test_bare_parse)
{
    struct fr f;
    build(&f, &ip_udp, 4);
    pktd_packet p;
    ASSERT_OK(&p, pktd_ipv4_parse(&p, f.b + ETH, f.len - ETH));
    ck_assert_uint_eq(pktd_packet_linktype(&p), 0);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV4) | L(UDP));
    ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, ETH, 20);
    ck_assert_uint_eq(pktd_udp_dport(&p), 53);
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
}
END_TEST

START_TEST(test_checksum)
{
    struct fr f;
    build(&f, &ip_udp, 0);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    /* Corrupt the checksum field, then a covered field. */
    f.b[ETH + 11] ^= 0x01;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_WRONG);
    f.b[ETH + 11] ^= 0x01;
    f.b[ETH + 8] = 63; /* TTL */
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_WRONG);
    /* Options are covered too. */
    static const uint8_t opts[] = {0x94, 0x04, 0x00, 0x00};
    struct fr_ip4 ip = ip_udp;
    ip.opts = opts;
    ip.optlen = sizeof opts;
    build(&f, &ip, 2);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    f.b[ETH + 23] = 1;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ASSERT_CSUM(ipv4, &p, CSUM_WRONG);
    /* A well-known header with checksum 0xb861, followed by nothing: the
     * UDP header is missing, the IPv4 header (and its checksum) is fine. */
    static const uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    uint8_t *b = fr_exact_copy(hdr, sizeof hdr);
    int rc = pktd_ipv4_parse(&p, b, sizeof hdr);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_UDP, PKTD_R_UDP_SHORT, 0, 0);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ck_assert_uint_eq(pktd_ipv4_checksum(&p), 0xb861);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0xc0a80001u);
    ck_assert_uint_eq(pktd_ipv4_dst(&p), 0xc0a800c7u);
    free(b);
}
END_TEST

/* The internal checksum against the slow reference, every length 0..300 at
 * every alignment, on pseudo-random bytes, in exactly-sized buffers. */
START_TEST(test_checksum_internal)
{
    uint8_t src[310];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof src; i++) {
        x = x * 1103515245u + 12345u;
        src[i] = (uint8_t)(x >> 16);
    }
    for (size_t align = 0; align < 8; align++) {
        for (size_t n = 0; n <= 300; n++) {
            uint8_t *b = fr_exact_copy(src + align, n);
            uint32_t want = fr_ref_fold(fr_ref_sum(b, n, 0));
            uint32_t got = pktd__csum_sum(b, n);
            /* 0 and 0xffff are the same one's-complement value. */
            if (want == 0xffff)
                want = 0;
            if (got == 0xffff)
                got = 0;
            ck_assert_uint_eq(got, want);
            free(b);
        }
    }
    /* Long inputs through the 64-bit path (from 64 bytes on), with patterned
     * bytes and with all ones (an overflow on every add). */
    static uint8_t big[65536];
    static const size_t lens[] = {64, 65, 95, 96, 1480, 1500, 9001, 65535, 65536};
    for (int pattern = 0; pattern < 2; pattern++) {
        for (size_t i = 0; i < sizeof big; i++)
            big[i] = pattern ? 0xff : (uint8_t)(i * 7u + 3u);
        for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
            uint8_t *b = fr_exact_copy(big + (k & 3), lens[k] - (k & 3));
            size_t n = lens[k] - (k & 3);
            uint32_t want = fr_ref_fold(fr_ref_sum(b, n, 0));
            uint32_t got = pktd__csum_sum(b, n);
            ck_assert_msg(got == want || (got == 0 && want == 0xffff) ||
                              (got == 0xffff && want == 0),
                          "%zu bytes, pattern %d: %#x, reference %#x", n, pattern, got, want);
            free(b);
        }
    }
    /* All ones: a long run of 0xff sums to one's-complement zero. */
    uint8_t ff[64];
    memset(ff, 0xff, sizeof ff);
    ck_assert(pktd__csum_verifies(pktd__csum_sum(ff, sizeof ff)));
    ck_assert_uint_eq(pktd__csum_fold(0x1fffeull), 0xffff);
    ck_assert_uint_eq(pktd__csum_fold(0xffffffffffffffffull), 0xffff);
}
END_TEST

START_TEST(test_options)
{
    /* NOP, Record Route (7 bytes: pointer + one address), EOL, padding. */
    static const uint8_t opts[] = {0x01, 0x07, 0x07, 0x04, 10, 1, 2, 3, 0x00, 0x00, 0x00, 0x00};
    struct fr_ip4 ip = ip_udp;
    ip.opts = opts;
    ip.optlen = sizeof opts;
    struct fr f;
    build(&f, &ip, 5);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_ipv4_ihl(&p), 8);
    ASSERT_HEADER(&p, PKTD_LAYER_IPV4, f.b, ETH, 32);
    ASSERT_HEADER(&p, PKTD_LAYER_UDP, f.b, ETH + 32, 8);
    ASSERT_PAYLOAD(&p, f.b, ETH + 40, 5);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    const uint8_t *d;
    size_t n;
    ck_assert_int_eq(pktd_ipv4_options(&p, &d, &n), 1);
    ck_assert_ptr_eq(d, f.b + ETH + 20);
    ck_assert_uint_eq(n, 12);
    uint32_t cur = 0;
    uint8_t kind = 99;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 7);
    ck_assert_uint_eq(n, 5);
    ck_assert_ptr_eq(d, f.b + ETH + 23);
    ck_assert_mem_eq(d, "\x04\x0a\x01\x02\x03", 5);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);

    /* Garbage after End-of-list is padding: not validated, not iterated. */
    static const uint8_t opts2[] = {0x94, 0x04, 0x00, 0x00, 0x00, 0x44, 0x00, 0x01};
    ip.opts = opts2;
    ip.optlen = sizeof opts2;
    build(&f, &ip, 0);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    cur = 0;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 0x94);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 1);
    ck_assert_uint_eq(kind, 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);

    /* The full 40 bytes: ten NOPs and a 30-byte option. */
    uint8_t big[40];
    memset(big, 1, 10);
    big[10] = 0x83; /* LSRR */
    big[11] = 30;
    memset(big + 12, 0x11, 28);
    ip.opts = big;
    ip.optlen = sizeof big;
    build(&f, &ip, 1);
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, f.len));
    ck_assert_uint_eq(pktd_ipv4_ihl(&p), 15);
    cur = 0;
    int count = 0;
    while (pktd_ipv4_option_next(&p, &cur, &kind, &d, &n) == 1)
        count++;
    ck_assert_int_eq(count, 11);
    ck_assert_uint_eq(kind, 0x83);
    ck_assert_uint_eq(n, 28);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_UDP));

    /* The iterator checks its arguments and a cursor it did not make. */
    cur = 0;
    /* R1: no state or no cursor is "no next option", never a negative code. */
    ck_assert_int_eq(pktd_ipv4_option_next(NULL, &cur, &kind, &d, &n), 0);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, NULL, &kind, &d, &n), 0);
    ck_assert_uint_eq(cur, 0);
    /* NULL out-parameters are skipped; the cursor moves as with all three. */
    uint32_t bare = 0, full = 0;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &bare, NULL, NULL, NULL), 1);
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &full, &kind, &d, &n), 1);
    ck_assert_uint_eq(bare, full);
    ck_assert_uint_gt(bare, 0);
    cur = 39; /* last byte: 0x11 as a kind with no length byte */
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
    cur = 38; /* inside the option: kind 0x11, length 0x11 > 2 left */
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
    cur = UINT32_MAX;
    ck_assert_int_eq(pktd_ipv4_option_next(&p, &cur, &kind, &d, &n), 0);
}
END_TEST

/* Options that stop decoding: @p opts (4 bytes) in an IHL 6 header. */
static int decode_opts(pktd_packet *p, struct fr *f, const uint8_t opts[4])
{
    struct fr_ip4 ip = ip_udp;
    ip.opts = opts;
    ip.optlen = 4;
    build(f, &ip, 0);
    return pktd_decode(p, 1, f->b, f->len);
}

START_TEST(test_options_malformed)
{
    struct fr f;
    pktd_packet p;
    /* A kind that needs a length, as the last byte of the header. */
    int rc = decode_opts(&p, &f, (const uint8_t[]){1, 1, 1, 0x44});
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_NOLEN, 0x44, 0);
    ASSERT_MSG(&p, "IPv4 option 68 has no length byte");
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_mem_eq(pktd_eth_dst(&p), FR_MAC_DST, 6);
    ASSERT_PAYLOAD(&p, f.b, ETH, f.len - ETH);
    /* Lengths 0 and 1. */
    rc = decode_opts(&p, &f, (const uint8_t[]){0x07, 0x01, 0, 0});
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_LEN, 1, 0);
    ASSERT_MSG(&p, "IPv4 option length 1 < 2");
    rc = decode_opts(&p, &f, (const uint8_t[]){1, 0x44, 0x00, 0});
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_LEN, 0, 0);
    /* Overrun: 8 bytes claimed, 3 left. */
    rc = decode_opts(&p, &f, (const uint8_t[]){1, 0x07, 0x08, 0});
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_OVERRUN, 8, 3);
    ASSERT_MSG(&p, "IPv4 option length 8 overruns 3 option bytes");
    /* Exactly filling the area is fine. */
    rc = decode_opts(&p, &f, (const uint8_t[]){1, 0x07, 0x03, 0});
    ASSERT_OK(&p, rc);
    /* Bare parse of exactly the header: the missing length byte is never
     * read (valgrind would see it past the end of the allocation). */
    decode_opts(&p, &f, (const uint8_t[]){1, 1, 1, 0x44});
    uint8_t *b = fr_exact_copy(f.b + ETH, 24);
    rc = pktd_ipv4_parse(&p, b, 24);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_NOLEN, 0x44, 0);
    free(b);
    /* A header rejected for its options sets no IPv4 flag, whatever its
     * total length says (padding here, then 0, then beyond the capture). */
    decode_opts(&p, &f, (const uint8_t[]){0x07, 0x01, 0, 0});
    fr_fill(&f, 0, 6);
    for (uint32_t tot = 0; tot <= 1; tot++) {
        if (tot == 1)
            fr_put_be16(&f, ETH + 2, 0);
        rc = pktd_decode(&p, 1, f.b, f.len);
        ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_LEN, 1, 0);
        ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    }
    fr_put_be16(&f, ETH + 2, (uint16_t)(f.len - ETH + 100));
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_OPT_LEN, 1, 0);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
}
END_TEST

START_TEST(test_header_malformed)
{
    struct fr f;
    pktd_packet p;
    build(&f, &ip_udp, 8);
    /* Version. */
    f.b[ETH] = 0x65;
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_VERSION, 6, 0);
    ASSERT_MSG(&p, "IP version 6 != 4");
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_uint_eq(pktd_eth_type(&p), 0x0800);
    ASSERT_PAYLOAD(&p, f.b, ETH, f.len - ETH);
    /* IHL below 5: the value is the byte count, as tcpdump prints it. */
    for (unsigned ihl = 0; ihl < 5; ihl++) {
        f.b[ETH] = (uint8_t)(0x40 | ihl);
        rc = pktd_decode(&p, 1, f.b, f.len);
        ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_IHL, ihl * 4, 0);
    }
    ASSERT_MSG(&p, "header length 16 < 20");
    /* IHL beyond the captured bytes: truncated, not malformed. */
    f.b[ETH] = 0x4f;
    rc = pktd_decode(&p, 1, f.b, ETH + 40);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_HDR_TRUNC, 60, 40);
    ASSERT_MSG(&p, "header length 60 beyond captured length 40");
    f.b[ETH] = 0x45;
    /* Captured below 20. */
    rc = pktd_decode(&p, 1, f.b, ETH + 19);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 19, 0);
    ASSERT_MSG(&p, "IPv4 header needs 20 bytes, have 19");
    /* Total length below the header length. */
    for (unsigned tot = 1; tot < 20; tot++) {
        fr_put_be16(&f, ETH + 2, (uint16_t)tot);
        rc = pktd_decode(&p, 1, f.b, f.len);
        ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_TOTLEN, tot, 20);
    }
    ASSERT_MSG(&p, "total length 19 < header length 20");
    /* ... with options: 23 < 24. */
    static const uint8_t ra[] = {0x94, 0x04, 0x00, 0x00};
    struct fr_ip4 ip = ip_udp;
    ip.opts = ra;
    ip.optlen = 4;
    build(&f, &ip, 8);
    fr_put_be16(&f, ETH + 2, 23);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV4, PKTD_R_IPV4_TOTLEN, 23, 24);
}
END_TEST

START_TEST(test_total_length_zero)
{
    struct fr f;
    build(&f, &ip_udp, 8);
    fr_put_be16(&f, ETH + 2, 0);
    fr_fill(&f, 0xee, 4); /* with a length of 0, these count as IP payload */
    pktd_packet p;
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    /* UDP length 16 < the 20 bytes of IP payload: padding. */
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO | PKTD_F_UDP_PADDING);
    ck_assert_uint_eq(pktd_ipv4_total_len(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, ETH + 28, 8);
    /* Unknown protocol: the payload is every captured byte. */
    f.b[ETH + 9] = 47;
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO);
    ASSERT_PAYLOAD(&p, f.b, ETH + 20, f.len - ETH - 20);
}
END_TEST

START_TEST(test_padding_and_truncation)
{
    struct fr f;
    build(&f, &ip_udp, 6); /* 14 + 20 + 8 + 6 = 48 */
    fr_fill(&f, 0, 12);    /* Ethernet padding to 60 */
    pktd_packet p;
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_PADDING);
    ASSERT_PAYLOAD(&p, f.b, ETH + 28, 6);
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* Unknown protocol with padding: the IP payload stops at the total length. */
    f.b[ETH + 9] = 250;
    fr_ip4_checksum(&f, ETH);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_PADDING);
    ASSERT_PAYLOAD(&p, f.b, ETH + 20, 14);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
    /* Cut inside the IP payload: flagged, the headers stay. */
    rc = pktd_decode(&p, 1, f.b, ETH + 30);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p),
                      PKTD_F_IPV4_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ASSERT_PAYLOAD(&p, f.b, ETH + 20, 10);
    ck_assert_uint_eq(pktd_ipv4_total_len(&p), 34);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
}
END_TEST

START_TEST(test_fragments)
{
    struct fr f;
    pktd_packet p;
    /* A later fragment (offset 185 * 8): no transport header. */
    struct fr_ip4 ip = ip_udp;
    ip.frag = 0x2000 | 185;
    build(&f, &ip, 12);
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT | PKTD_F_LATER_FRAGMENT);
    ck_assert_uint_eq(pktd_ipv4_frag_offset(&p), 185);
    ck_assert_int_eq(pktd_ipv4_mf(&p), 1);
    ck_assert_int_eq(pktd_ipv4_df(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, ETH + 20, 20);
    ck_assert_uint_eq(pktd_udp_sport(&p), 0);
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    /* The last fragment (MF clear, offset set). */
    fr_put_be16(&f, ETH + 6, 3);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT | PKTD_F_LATER_FRAGMENT);
    ck_assert_uint_eq(pktd_ipv4_frag_offset(&p), 3);
    /* Bytes that look like a bad transport header do not matter in a later
     * fragment. */
    memset(f.b + ETH + 20, 0, 8);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);

    /* A first fragment (MF, offset 0) of a 1000-byte datagram: the UDP
     * header is decoded, its length reaches past this fragment. */
    ip.frag = 0x2000;
    build(&f, &ip, 24);
    fr_put_be16(&f, ETH + 20 + 4, 1000);
    rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p),
                      PKTD_F_FRAGMENT | PKTD_F_UDP_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
    ck_assert_uint_eq(pktd_udp_len(&p), 1000);
    ASSERT_PAYLOAD(&p, f.b, ETH + 28, 24);
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    ASSERT_CSUM(ipv4, &p, CSUM_GOOD);
}
END_TEST

START_TEST(test_unknown_protocol)
{
    struct fr f;
    struct fr_ip4 ip = ip_udp;
    ip.proto = 47; /* GRE */
    fr_init(&f);
    fr_eth(&f, 0x0800);
    size_t ipo = fr_ip4(&f, &ip);
    fr_fill(&f, 0x33, 16);
    fr_ip4_finish(&f, ipo);
    pktd_packet p;
    int rc = pktd_decode(&p, 1, f.b, f.len);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ck_assert_uint_eq(pktd_ipv4_proto(&p), 47);
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ASSERT_PAYLOAD(&p, f.b, ETH + 20, 16);
}
END_TEST

/* Offsets beyond 64 KiB: a 70000-byte frame with IPv4 total length 0
 * (BIG TCP) carrying TCP. */
START_TEST(test_large_frame)
{
    size_t total = 70000;
    uint8_t *b = calloc(1, total);
    ck_assert_ptr_nonnull(b);
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    struct fr_ip4 ip = {.ttl = 64, .proto = 6, .src = FR_IP_SRC, .dst = FR_IP_DST};
    fr_ip4(&f, &ip);
    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = PKTD_TCP_ACK};
    fr_tcp(&f, &t);
    memcpy(b, f.b, f.len);
    pktd_packet p;
    int rc = pktd_decode(&p, 1, b, total);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV4_LEN_ZERO);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(TCP));
    ASSERT_PAYLOAD(&p, b, 54, total - 54);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    /* An unknown EtherType: 69986 bytes of payload. */
    fr_put_be16(&f, 12, 0x88b5);
    memcpy(b, f.b, 14);
    rc = pktd_decode(&p, 1, b, total);
    ASSERT_OK(&p, rc);
    ASSERT_PAYLOAD(&p, b, 14, total - 14);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_ipv4");
    TCase *tc = tcase_create("ipv4");
    tcase_add_test(tc, test_fields);
    tcase_add_test(tc, test_bare_parse);
    tcase_add_test(tc, test_checksum);
    tcase_add_test(tc, test_checksum_internal);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_options_malformed);
    tcase_add_test(tc, test_header_malformed);
    tcase_add_test(tc, test_total_length_zero);
    tcase_add_test(tc, test_padding_and_truncation);
    tcase_add_test(tc, test_fragments);
    tcase_add_test(tc, test_unknown_protocol);
    tcase_add_test(tc, test_large_frame);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
