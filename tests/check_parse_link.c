/* Parse area: the link types of release 1.1 without an Ethernet header:
 * BSD loopback (NULL in both byte orders, LOOP), PPP (PPP, PPP_HDLC; with
 * and without address/control, compressed and full protocol field), Cisco
 * HDLC (C_HDLC, and Cisco framing under PPP_HDLC), raw IPv6; every
 * truncation point of each header; unknown families and protocols; and
 * tcpdump captures of these link types, checked against tshark's values. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "parse_check.h"

/* Every IPv4 frame below is this IPv4/UDP packet after the link header. */
static void append_ip_udp(struct fr *f)
{
    struct fr_ip4 ip = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t ipo = fr_ip4(f, &ip);
    size_t udpo = fr_udp(f, 5000, 6000);
    fr_bytes(f, "hi", 2);
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, udpo);
}

/* 40 bytes of an IPv6 header (version 6) and 8 bytes after it. */
/* A minimal IPv6 packet: the fixed header (payload length 8, next header
 * 59 "no next header", hop limit 64, addresses 2001:db8::1 -> ::2) and 8
 * bytes of payload. */
static void append_ipv6(struct fr *f)
{
    static const uint8_t hdr[40] = {0x60, 0, 0, 0, 0, 8, 59, 64,
                                    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                                    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    for (size_t i = 0; i < sizeof hdr; i++)
        fr_u8(f, hdr[i]);
    fr_fill(f, 0xab, 8);
}

/* The IPv4/UDP packet of append_ip_udp() decoded after a @p hlen-byte link
 * header of @p layer. */
static void assert_ipv4_after(const pktd_packet *p, int rc, const uint8_t *b, uint32_t layer,
                              size_t hlen)
{
    ASSERT_OK(p, rc);
    ck_assert_uint_eq(pktd_packet_layers(p), (1u << layer) | L(IPV4) | L(UDP));
    ASSERT_HEADER(p, layer, b, 0, hlen);
    ASSERT_HEADER(p, PKTD_LAYER_IPV4, b, hlen, 20);
    ck_assert_uint_eq(pktd_ipv4_src(p), FR_IP_SRC);
    ck_assert_uint_eq(pktd_udp_dport(p), 6000);
    ASSERT_CSUM(ipv4, p, CSUM_GOOD);
    ASSERT_CSUM(udp, p, CSUM_GOOD);
    ASSERT_PAYLOAD(p, b, hlen + 28, 2);
    ck_assert_uint_eq(pktd_eth_type(p), 0);
}

/* Only the link header decoded, no error, the rest payload: an unknown
 * family or protocol (as an unknown EtherType on Ethernet). */
static void assert_link_only(const pktd_packet *p, int rc, const uint8_t *b, size_t len,
                             uint32_t layer, size_t hlen)
{
    ASSERT_OK(p, rc);
    ck_assert_uint_eq(pktd_packet_layers(p), 1u << layer);
    ASSERT_HEADER(p, layer, b, 0, hlen);
    ASSERT_PAYLOAD(p, b, hlen, len - hlen);
}

/* The IPv6 packet of append_ipv6() decoded after a @p hlen-byte link header
 * of @p layer (handed over by pktd__ip_by_version()). */
static void assert_ipv6_after(const pktd_packet *p, int rc, const uint8_t *b, size_t len,
                              uint32_t layer, size_t hlen)
{
    ASSERT_OK(p, rc);
    ck_assert_uint_eq(pktd_packet_layers(p), (1u << layer) | L(IPV6));
    ASSERT_HEADER(p, layer, b, 0, hlen);
    ASSERT_HEADER(p, PKTD_LAYER_IPV6, b, hlen, 40);
    ck_assert_uint_eq(len, hlen + 48);
    ck_assert_uint_eq(pktd_ipv6_plen(p), 8);
    ck_assert_uint_eq(pktd_ipv6_next(p), 59);
    ck_assert_uint_eq(pktd_ipv6_hlim(p), 64);
    ck_assert_int_eq(memcmp(pktd_ipv6_dst(p), b + hlen + 24, 16), 0);
    ASSERT_PAYLOAD(p, b, hlen + 40, 8);
}

enum { NULL_LE, NULL_BE, LOOP, N_LOOPBACK };
static const uint32_t loopback_linktype[N_LOOPBACK] = {PKTD_LINKTYPE_NULL, PKTD_LINKTYPE_NULL,
                                                       PKTD_LINKTYPE_LOOP};

/* A loopback header holding @p family in the byte order of @p kind. */
static void loopback_header(struct fr *f, int kind, uint32_t family)
{
    fr_init(f);
    if (kind == NULL_LE) {
        uint8_t le[4] = {(uint8_t)family, (uint8_t)(family >> 8), (uint8_t)(family >> 16),
                         (uint8_t)(family >> 24)};
        fr_bytes(f, le, 4);
    } else {
        fr_be32(f, family);
    }
}

START_TEST(test_loopback_ipv4)
{
    for (int k = 0; k < N_LOOPBACK; k++) {
        struct fr f;
        loopback_header(&f, k, 2);
        append_ip_udp(&f);
        uint8_t *b = fr_exact_copy(f.b, f.len);
        pktd_packet p;
        int rc = pktd_decode(&p, loopback_linktype[k], b, f.len);
        assert_ipv4_after(&p, rc, b, PKTD_LAYER_LOOPBACK, 4);
        ck_assert_uint_eq(pktd_loopback_family(&p), 2);
        ck_assert_uint_eq(pktd_packet_linktype(&p), loopback_linktype[k]);
        ck_assert_uint_eq(pktd_ppp_protocol(&p), 0);
        ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0);
        fr_touch_all(&p);
        free(b);
    }
}
END_TEST

START_TEST(test_loopback_ipv6)
{
    /* NetBSD/OpenBSD, FreeBSD, macOS. */
    static const uint32_t families[] = {24, 28, 30};
    for (int k = 0; k < N_LOOPBACK; k++) {
        for (size_t i = 0; i < 3; i++) {
            struct fr f;
            loopback_header(&f, k, families[i]);
            append_ipv6(&f);
            uint8_t *b = fr_exact_copy(f.b, f.len);
            pktd_packet p;
            int rc = pktd_decode(&p, loopback_linktype[k], b, f.len);
            assert_ipv6_after(&p, rc, b, f.len, PKTD_LAYER_LOOPBACK, 4);
            ck_assert_uint_eq(pktd_loopback_family(&p), families[i]);
            free(b);
        }
    }
}
END_TEST

START_TEST(test_loopback_unknown_family)
{
    /* Families that are not IP (AF_UNSPEC, AF_APPLETALK 16, AF_INET6 of
     * Linux 10 and Solaris 26, which no BSD writes), and under LOOP a family
     * in the wrong (little-endian) order: link layer only, no error. */
    static const uint32_t families[] = {0, 16, 10, 26, 0x7fff};
    pktd_packet p;
    for (int k = 0; k < N_LOOPBACK; k++) {
        for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
            struct fr f;
            loopback_header(&f, k, families[i]);
            append_ip_udp(&f);
            int rc = pktd_decode(&p, loopback_linktype[k], f.b, f.len);
            assert_link_only(&p, rc, f.b, f.len, PKTD_LAYER_LOOPBACK, 4);
            ck_assert_uint_eq(pktd_loopback_family(&p), families[i]);
        }
    }
    struct fr f;
    loopback_header(&f, NULL_LE, 2);
    append_ip_udp(&f);
    int rc = pktd_decode(&p, PKTD_LINKTYPE_LOOP, f.b, f.len);
    assert_link_only(&p, rc, f.b, f.len, PKTD_LAYER_LOOPBACK, 4);
    ck_assert_uint_eq(pktd_loopback_family(&p), 0x02000000u);
}
END_TEST

START_TEST(test_loopback_truncated)
{
    for (int k = 0; k < N_LOOPBACK; k++) {
        struct fr f;
        loopback_header(&f, k, 2);
        append_ip_udp(&f);
        pktd_packet p;
        for (uint32_t n = 0; n < 4; n++) {
            uint8_t *b = fr_exact_copy(f.b, n);
            int rc = pktd_decode(&p, loopback_linktype[k], b, n);
            ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_LOOPBACK, PKTD_R_LOOPBACK_SHORT, n,
                        0);
            ck_assert_uint_eq(pktd_packet_layers(&p), 0);
            ck_assert_uint_eq(pktd_loopback_family(&p), 0);
            ck_assert_int_eq(pktd_packet_payload(&p, NULL, NULL), 0);
            fr_touch_all(&p);
            free(b);
        }
        ASSERT_MSG(&p, "loopback header needs 4 bytes, have 3");
        /* The whole header and part of IPv4: the link layer stays readable. */
        uint8_t *b = fr_exact_copy(f.b, 10);
        int rc = pktd_decode(&p, loopback_linktype[k], b, 10);
        ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 6, 0);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(LOOPBACK));
        ck_assert_uint_eq(pktd_loopback_family(&p), 2);
        free(b);
    }
}
END_TEST

/* The four PPP header shapes: address/control present or not, protocol
 * field full (2 bytes) or compressed (1 byte, RFC 1661 6.5). */
struct ppp_shape {
    const char *hdr;
    size_t len;
    int has_address;
};
static const struct ppp_shape ppp_v4[] = {
    {"\xff\x03\x00\x21", 4, 1},
    {"\xff\x03\x21", 3, 1},
    {"\x00\x21", 2, 0},
    {"\x21", 1, 0},
};
static const uint32_t ppp_linktypes[] = {PKTD_LINKTYPE_PPP, PKTD_LINKTYPE_PPP_HDLC};

START_TEST(test_ppp_ipv4)
{
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < 4; i++) {
            struct fr f;
            fr_init(&f);
            fr_bytes(&f, ppp_v4[i].hdr, ppp_v4[i].len);
            append_ip_udp(&f);
            uint8_t *b = fr_exact_copy(f.b, f.len);
            pktd_packet p;
            int rc = pktd_decode(&p, ppp_linktypes[t], b, f.len);
            assert_ipv4_after(&p, rc, b, PKTD_LAYER_PPP, ppp_v4[i].len);
            ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x21);
            ck_assert_int_eq(pktd_ppp_has_address(&p), ppp_v4[i].has_address);
            ck_assert_uint_eq(pktd_ppp_control(&p), ppp_v4[i].has_address ? 3 : 0);
            ck_assert_uint_eq(pktd_loopback_family(&p), 0);
            ck_assert_uint_eq(pktd_chdlc_address(&p), 0);
            fr_touch_all(&p);
            free(b);
        }
    }
}
END_TEST

START_TEST(test_ppp_ipv6_and_others)
{
    static const struct {
        const char *hdr;
        size_t len;
        uint16_t proto;
        int ipv6;
    } cases[] = {
        {"\xff\x03\x00\x57", 4, 0x57, 1},   {"\xff\x03\x57", 3, 0x57, 1},
        {"\x00\x57", 2, 0x57, 1},           {"\x57", 1, 0x57, 1},
        {"\xff\x03\xc0\x21", 4, 0xc021, 0}, /* LCP */
        {"\x80\x21", 2, 0x8021, 0},         /* IPCP */
        {"\xff\x03\x02\x81", 4, 0x0281, 0}, /* MPLS: not decoded */
        {"\x3d", 1, 0x3d, 0},               /* multilink, compressed */
        /* A control byte other than 0x03 is taken as it is (tcpdump and
         * tshark do the same: tcpdump's ppp_error_hexdump.pcap). */
        {"\xff\x60\x7e\x80", 4, 0x7e80, 0},
        {"\xff\x5f\x21", 3, 0x21, -1},
    };
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            struct fr f;
            fr_init(&f);
            fr_bytes(&f, cases[i].hdr, cases[i].len);
            if (cases[i].ipv6 > 0)
                append_ipv6(&f);
            else
                append_ip_udp(&f);
            uint8_t *b = fr_exact_copy(f.b, f.len);
            pktd_packet p;
            int rc = pktd_decode(&p, ppp_linktypes[t], b, f.len);
            if (cases[i].ipv6 > 0)
                assert_ipv6_after(&p, rc, b, f.len, PKTD_LAYER_PPP, cases[i].len);
            else if (cases[i].ipv6 < 0)
                assert_ipv4_after(&p, rc, b, PKTD_LAYER_PPP, cases[i].len);
            else
                assert_link_only(&p, rc, b, f.len, PKTD_LAYER_PPP, cases[i].len);
            ck_assert_uint_eq(pktd_ppp_protocol(&p), cases[i].proto);
            ck_assert_int_eq(pktd_ppp_has_address(&p), b[0] == 0xff);
            ck_assert_uint_eq(pktd_ppp_control(&p), b[0] == 0xff ? b[1] : 0);
            free(b);
        }
    }
}
END_TEST

START_TEST(test_ppp_truncated)
{
    /* For each shape, the captured length n below the header and the
     * smallest header the n bytes allow: without the first protocol byte
     * its size is unknown (1 is the least), an even first byte needs 2. */
    static const struct {
        const char *hdr;
        size_t len;
        uint32_t need[4];
    } cases[] = {
        {"\xff\x03\x00\x21", 4, {1, 3, 3, 4}},
        {"\xff\x03\x21", 3, {1, 3, 3}},
        {"\x00\x21", 2, {1, 2}},
        {"\x21", 1, {1}},
    };
    for (size_t t = 0; t < 2; t++) {
        for (size_t i = 0; i < 4; i++) {
            pktd_packet p;
            for (uint32_t n = 0; n < cases[i].len; n++) {
                uint8_t *b = fr_exact_copy((const uint8_t *)cases[i].hdr, n);
                int rc = pktd_decode(&p, ppp_linktypes[t], b, n);
                ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_PPP, PKTD_R_PPP_SHORT,
                            cases[i].need[n], n);
                ck_assert_uint_eq(pktd_packet_layers(&p), 0);
                ck_assert_uint_eq(pktd_ppp_protocol(&p), 0);
                ck_assert_int_eq(pktd_ppp_has_address(&p), 0);
                fr_touch_all(&p);
                free(b);
            }
            /* The whole header alone: PPP, then a truncated IPv4. */
            uint8_t *b = fr_exact_copy((const uint8_t *)cases[i].hdr, cases[i].len);
            int rc = pktd_decode(&p, ppp_linktypes[t], b, cases[i].len);
            ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 0, 0);
            ck_assert_uint_eq(pktd_packet_layers(&p), L(PPP));
            ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x21);
            free(b);
        }
    }
    pktd_packet p;
    pktd_decode(&p, PKTD_LINKTYPE_PPP, (const uint8_t *)"\xff\x03\x00", 3);
    ASSERT_MSG(&p, "PPP header needs 4 bytes, have 3");
}
END_TEST

/* Cisco HDLC under LINKTYPE_C_HDLC, and Cisco framing under
 * LINKTYPE_PPP_HDLC (a first byte 0x0f or 0x8f). */
static const uint32_t chdlc_linktypes[] = {PKTD_LINKTYPE_C_HDLC, PKTD_LINKTYPE_PPP_HDLC};

START_TEST(test_chdlc)
{
    for (size_t t = 0; t < 2; t++) {
        for (int bcast = 0; bcast < 2; bcast++) {
            uint8_t addr = bcast ? 0x8f : 0x0f;
            pktd_packet p;
            struct fr f;
            fr_init(&f);
            fr_u8(&f, addr);
            fr_u8(&f, 0);
            fr_be16(&f, 0x0800);
            append_ip_udp(&f);
            uint8_t *b = fr_exact_copy(f.b, f.len);
            int rc = pktd_decode(&p, chdlc_linktypes[t], b, f.len);
            assert_ipv4_after(&p, rc, b, PKTD_LAYER_CHDLC, 4);
            ck_assert_uint_eq(pktd_chdlc_address(&p), addr);
            ck_assert_uint_eq(pktd_chdlc_control(&p), 0);
            ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0x0800);
            ck_assert_uint_eq(pktd_ppp_protocol(&p), 0);
            free(b);

            fr_put_be16(&f, 2, 0x86dd);
            f.len = 4;
            append_ipv6(&f);
            rc = pktd_decode(&p, chdlc_linktypes[t], f.b, f.len);
            assert_ipv6_after(&p, rc, f.b, f.len, PKTD_LAYER_CHDLC, 4);
            ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0x86dd);

            /* SLARP, CDP: the link layer only. */
            static const uint16_t others[] = {0x8035, 0x2000, 0x0806};
            for (size_t i = 0; i < 3; i++) {
                fr_put_be16(&f, 2, others[i]);
                rc = pktd_decode(&p, chdlc_linktypes[t], f.b, f.len);
                assert_link_only(&p, rc, f.b, f.len, PKTD_LAYER_CHDLC, 4);
                ck_assert_uint_eq(pktd_chdlc_protocol(&p), others[i]);
            }

            /* Every truncation point. */
            fr_put_be16(&f, 2, 0x0800);
            for (uint32_t n = 0; n < 4; n++) {
                /* Under PPP_HDLC an empty frame has no Cisco address: it is
                 * a truncated PPP header. */
                if (n == 0 && t == 1)
                    continue;
                b = fr_exact_copy(f.b, n);
                rc = pktd_decode(&p, chdlc_linktypes[t], b, n);
                ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_CHDLC, PKTD_R_CHDLC_SHORT, n,
                            0);
                ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0);
                fr_touch_all(&p);
                free(b);
            }
            ASSERT_MSG(&p, "Cisco HDLC header needs 4 bytes, have 3");
        }
    }
    /* A C_HDLC frame whose address is not Cisco's is still Cisco HDLC. */
    pktd_packet p;
    const uint8_t odd[4] = {0xff, 0x03, 0x08, 0x00};
    int rc = pktd_decode(&p, PKTD_LINKTYPE_C_HDLC, odd, 4);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV4, PKTD_R_IPV4_SHORT, 0, 0);
    ck_assert_uint_eq(pktd_chdlc_address(&p), 0xff);
}
END_TEST

START_TEST(test_raw_ipv6_links)
{
    struct fr f;
    fr_init(&f);
    append_ipv6(&f);
    pktd_packet p;
    /* LINKTYPE_IPV6 and LINKTYPE_RAW with version 6: handed to the IPv6
     * decoder, no link layer. */
    static const uint32_t lts[] = {PKTD_LINKTYPE_IPV6, PKTD_LINKTYPE_RAW};
    for (int i = 0; i < 2; i++) {
        int rc = pktd_decode(&p, lts[i], f.b, f.len);
        ASSERT_OK(&p, rc);
        ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV6));
        ASSERT_HEADER(&p, PKTD_LAYER_IPV6, f.b, 0, 40);
        ASSERT_PAYLOAD(&p, f.b, 40, 8);
    }
}
END_TEST

/* Link types 12 and 14 (DLT_RAW's numbers, written into files as they
 * are) decode exactly as LINKTYPE_RAW: every field but the link type, the
 * return value, the error details and the header bounds, for IPv4, IPv6,
 * another version nibble and every cut of each. */
START_TEST(test_dlt_raw_numbers)
{
    ck_assert_uint_eq(PKTD_LINKTYPE_DLT_RAW, 12);
    ck_assert_uint_eq(PKTD_LINKTYPE_DLT_RAW_OPENBSD, 14);
    struct fr v4, v6, other;
    fr_init(&v4);
    append_ip_udp(&v4);
    fr_init(&v6);
    append_ipv6(&v6);
    fr_init(&other);
    fr_u8(&other, 0x50);
    fr_fill(&other, 0, 30);
    const struct fr *frames[] = {&v4, &v6, &other};
    static const uint32_t lts[] = {PKTD_LINKTYPE_DLT_RAW, PKTD_LINKTYPE_DLT_RAW_OPENBSD};
    int decoded = 0;
    for (size_t k = 0; k < 3; k++) {
        for (size_t len = 0; len <= frames[k]->len; len++) {
            uint8_t *b = fr_exact_copy(frames[k]->b, len);
            pktd_packet want, got;
            uint32_t fw[PKTD_FIELD_COUNT_], fg[PKTD_FIELD_COUNT_];
            int rw = pktd_decode(&want, PKTD_LINKTYPE_RAW, b, len);
            pktd_packet_fields(&want, fw, PKTD_FIELD_COUNT_);
            for (size_t i = 0; i < 2; i++) {
                int rg = pktd_decode(&got, lts[i], b, len);
                pktd_packet_fields(&got, fg, PKTD_FIELD_COUNT_);
                ck_assert_int_eq(rg, rw);
                ck_assert_uint_eq(fg[PKTD_FIELD_LINKTYPE], lts[i]);
                fg[PKTD_FIELD_LINKTYPE] = fw[PKTD_FIELD_LINKTYPE];
                ck_assert_msg(memcmp(fg, fw, sizeof fw) == 0,
                              "link type %u, frame %zu cut at %zu: fields differ from LINKTYPE_RAW",
                              lts[i], k, len);
                ck_assert_uint_eq(pktd_packet_error_reason(&got), pktd_packet_error_reason(&want));
                for (uint32_t l = 0; l < PKTD_LAYER_COUNT_; l++) {
                    const uint8_t *hw = NULL, *hg = NULL;
                    size_t nw = 0, ng = 0;
                    ck_assert_int_eq(pktd_packet_header(&got, l, &hg, &ng),
                                     pktd_packet_header(&want, l, &hw, &nw));
                    ck_assert_ptr_eq(hg, hw);
                    ck_assert_uint_eq(ng, nw);
                }
                decoded += rg == 0 && (pktd_packet_layers(&got) & (L(IPV4) | L(IPV6))) != 0;
            }
            free(b);
        }
    }
    /* The whole IPv4 and IPv6 packets decoded, under both numbers. */
    ck_assert_int_ge(decoded, 4);
}
END_TEST

START_TEST(test_absent_and_names)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    append_ip_udp(&f);
    pktd_packet p;
    ASSERT_OK(&p, pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, f.len));
    ck_assert_uint_eq(pktd_loopback_family(&p), 0);
    ck_assert_uint_eq(pktd_ppp_protocol(&p), 0);
    ck_assert_int_eq(pktd_ppp_has_address(&p), 0);
    ck_assert_uint_eq(pktd_ppp_control(&p), 0);
    ck_assert_uint_eq(pktd_chdlc_address(&p), 0);
    ck_assert_uint_eq(pktd_chdlc_control(&p), 0);
    ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0);
    ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_LOOPBACK, NULL, NULL), 0);
    ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_PPP, NULL, NULL), 0);
    ck_assert_int_eq(pktd_packet_header(&p, PKTD_LAYER_CHDLC, NULL, NULL), 0);
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_LOOPBACK), "loopback");
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_PPP), "ppp");
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_CHDLC), "chdlc");
    /* The values are pinned: appended after the 1.0 layers and reasons. */
    ck_assert_uint_eq(PKTD_LAYER_LOOPBACK, 13);
    ck_assert_uint_eq(PKTD_LAYER_CHDLC, 15);
    ck_assert_uint_eq(PKTD_R_LOOPBACK_SHORT, 51);
    ck_assert_uint_eq(PKTD_R_CHDLC_SHORT, 53);
}
END_TEST

/* Captures from tcpdump's test suite; the expected values are tshark's
 * (null.family, ppp.*, chdlc.*, ip.*, udp.*, icmp.type). */
struct capture {
    uint8_t *file;
    uint32_t linktype;
    int n;
    struct fr_rec rec[64];
};

static void load(struct capture *c, const char *name, uint32_t linktype)
{
    char path[4096];
    fr_corpus_path(path, sizeof path, name);
    c->n = fr_pcap_load(path, &c->file, &c->linktype, c->rec, 64);
    ck_assert_msg(c->n > 0, "cannot read %s", path);
    ck_assert_uint_eq(c->linktype, linktype);
}

static int decode(pktd_packet *p, const struct capture *c, int i, uint8_t **copy)
{
    *copy = fr_exact_copy(c->rec[i].data, c->rec[i].caplen);
    int rc = pktd_decode(p, c->linktype, *copy, c->rec[i].caplen);
    fr_touch_all(p);
    return rc;
}

START_TEST(test_corpus)
{
    struct capture c;
    pktd_packet p;
    uint8_t *b;
    int rc;

    /* NULL, little-endian AF_INET: DNS over UDP on 127.0.0.1. */
    load(&c, "dns-badcookie.pcap", PKTD_LINKTYPE_NULL);
    rc = decode(&p, &c, 0, &b);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(LOOPBACK) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_loopback_family(&p), 2);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x7f000001u);
    ck_assert_uint_eq(pktd_udp_sport(&p), 54954);
    ck_assert_uint_eq(pktd_udp_dport(&p), 53);
    free(b);
    free(c.file);

    /* NULL, AF_INET6 of macOS (30): QUIC over UDP over IPv6. */
    load(&c, "quic_handshake.pcap", PKTD_LINKTYPE_NULL);
    rc = decode(&p, &c, 0, &b);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(LOOPBACK) | L(IPV6) | L(UDP));
    ASSERT_HEADER(&p, PKTD_LAYER_IPV6, b, 4, 40);
    ck_assert_uint_eq(pktd_ipv6_next(&p), 17);
    ck_assert_uint_eq(pktd_loopback_family(&p), 30);
    free(b);
    free(c.file);

    /* PPP with address and control: ICMP time exceeded. */
    load(&c, "icmp-rfc5837.pcap", PKTD_LINKTYPE_PPP);
    rc = decode(&p, &c, 0, &b);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(PPP) | L(IPV4) | L(ICMP));
    ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x0021);
    ck_assert_uint_eq(pktd_ppp_control(&p), 0x03);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x0a040002u); /* 10.4.0.2 */
    ck_assert_uint_eq(pktd_ipv4_dst(&p), 0x0c040404u); /* 12.4.4.4 */
    ck_assert_uint_eq(pktd_icmp_type(&p), 11);
    free(b);
    free(c.file);

    /* PPP without address and control: IPCP. */
    load(&c, "ppp-invalid-lengths.pcap", PKTD_LINKTYPE_PPP);
    rc = decode(&p, &c, 0, &b);
    assert_link_only(&p, rc, b, c.rec[0].caplen, PKTD_LAYER_PPP, 2);
    ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x8021);
    ck_assert_int_eq(pktd_ppp_has_address(&p), 0);
    free(b);
    free(c.file);

    /* PPP_HDLC with control 0x5f and an unknown protocol 0x7e08. */
    load(&c, "ppp_ip_udp_dns.pcap", PKTD_LINKTYPE_PPP_HDLC);
    rc = decode(&p, &c, 0, &b);
    assert_link_only(&p, rc, b, c.rec[0].caplen, PKTD_LAYER_PPP, 4);
    ck_assert_uint_eq(pktd_ppp_control(&p), 0x5f);
    ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x7e08);
    free(b);
    free(c.file);

    /* Cisco HDLC: SLARP (broadcast) and an ICMP echo (unicast). */
    load(&c, "HDLC.pcap", PKTD_LINKTYPE_C_HDLC);
    rc = decode(&p, &c, 0, &b);
    assert_link_only(&p, rc, b, c.rec[0].caplen, PKTD_LAYER_CHDLC, 4);
    ck_assert_uint_eq(pktd_chdlc_address(&p), 0x8f);
    ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0x8035);
    free(b);
    rc = decode(&p, &c, 6, &b);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(CHDLC) | L(IPV4) | L(ICMP));
    ck_assert_uint_eq(pktd_chdlc_address(&p), 0x0f);
    ck_assert_uint_eq(pktd_chdlc_control(&p), 0x00);
    ck_assert_uint_eq(pktd_chdlc_protocol(&p), 0x0800);
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0x0a000001u);
    ck_assert_uint_eq(pktd_icmp_type(&p), 8);
    free(b);
    free(c.file);

    /* PPP_HDLC cut to 2 bytes ("30 30"): a truncated 2-byte protocol field
     * is there; nothing is read beyond it. */
    load(&c, "heapoverflow-ppp_hdlc_if_print.pcap", PKTD_LINKTYPE_PPP_HDLC);
    rc = decode(&p, &c, 0, &b);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_ppp_protocol(&p), 0x3030);
    free(b);
    free(c.file);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_link");
    TCase *tc = tcase_create("link");
    tcase_add_test(tc, test_loopback_ipv4);
    tcase_add_test(tc, test_loopback_ipv6);
    tcase_add_test(tc, test_loopback_unknown_family);
    tcase_add_test(tc, test_loopback_truncated);
    tcase_add_test(tc, test_ppp_ipv4);
    tcase_add_test(tc, test_ppp_ipv6_and_others);
    tcase_add_test(tc, test_ppp_truncated);
    tcase_add_test(tc, test_chdlc);
    tcase_add_test(tc, test_raw_ipv6_links);
    tcase_add_test(tc, test_dlt_raw_numbers);
    tcase_add_test(tc, test_absent_and_names);
    tcase_add_test(tc, test_corpus);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
