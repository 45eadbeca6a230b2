/* IPv6 and ICMPv6 (1.1): hand-built frames for the fixed header, every
 * extension header, fragments, jumbograms, ICMPv6 and ND, the transport
 * checksums over the IPv6 pseudo-header, every malformed case with its
 * code, layer and reason, and every truncation point. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>

#include "parse_check.h"

static const uint8_t SRC[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t DST[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
static const uint8_t FINAL[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                  0,    0,    0,    0,    0, 0, 0, 0x99};
static const uint8_t MAC[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

/* Ethernet, then an IPv6 header (version 6, traffic class 0xab, flow label
 * 0xcdef0, hop limit 64); returns the IPv6 header's offset. */
static size_t v6(struct fr *f, uint8_t next)
{
    fr_init(f);
    fr_eth(f, 0x86dd);
    size_t at = fr_be32(f, 0x6abcdef0u);
    fr_be16(f, 0); /* payload length: v6_finish() */
    fr_u8(f, next);
    fr_u8(f, 64);
    fr_bytes(f, SRC, 16);
    fr_bytes(f, DST, 16);
    return at;
}

static void v6_finish(struct fr *f, size_t ip)
{
    fr_put_be16(f, ip + 4, (uint16_t)(f->len - ip - 40));
}

/* An extension header of the generic format, (units + 1) * 8 bytes, its
 * body one PadN option (valid as hop-by-hop or destination options). */
static size_t ext(struct fr *f, uint8_t next, uint8_t units)
{
    size_t at = fr_u8(f, next);
    fr_u8(f, units);
    size_t body = (size_t)(units + 1) * 8 - 2;
    fr_u8(f, 1);
    fr_u8(f, (uint8_t)(body - 2));
    fr_fill(f, 0, body - 2);
    return at;
}

static size_t frag(struct fr *f, uint8_t next, uint16_t offset, int more, uint32_t id)
{
    size_t at = fr_u8(f, next);
    fr_u8(f, 0);
    fr_be16(f, (uint16_t)(offset << 3 | (more ? 1 : 0)));
    fr_be32(f, id);
    return at;
}

/* Transport checksum at @p field over the IPv6 pseudo-header with
 * destination @p dst, from @p l4 to the frame end. */
static void csum6(struct fr *f, size_t l4, size_t field, uint8_t proto, const uint8_t *dst)
{
    uint32_t len = (uint32_t)(f->len - l4);
    fr_put_be16(f, field, 0);
    uint32_t sum = fr_ref_sum(SRC, 16, 0);
    sum = fr_ref_sum(dst, 16, sum);
    sum += proto + (len >> 16) + (len & 0xffffu);
    sum = fr_ref_sum(f->b + l4, len, sum);
    uint16_t c = (uint16_t)~fr_ref_fold(sum);
    if (proto == 17 && c == 0)
        c = 0xffff;
    fr_put_be16(f, field, c);
}

static size_t udp(struct fr *f, size_t payload)
{
    size_t at = fr_udp(f, 5353, 53);
    fr_fill(f, 0x5a, payload);
    fr_put_be16(f, at + 4, (uint16_t)(f->len - at));
    return at;
}

static int decode(pktd_packet *p, const struct fr *f)
{
    return pktd_decode(p, PKTD_LINKTYPE_ETHERNET, f->b, f->len);
}

static void fmt(const uint8_t *a, char *out)
{
    ck_assert_uint_lt(pktd_ipv6_format(a, out, PKTD_IPV6_STRLEN), PKTD_IPV6_STRLEN);
}

START_TEST(test_fixed_header_udp)
{
    struct fr f;
    size_t ip = v6(&f, 17);
    size_t u = udp(&f, 10);
    v6_finish(&f, ip);
    csum6(&f, u, u + 6, 17, DST);
    pktd_packet p;
    int rc = decode(&p, &f);
    ASSERT_OK(&p, rc);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0);
    ck_assert_uint_eq(pktd_eth_type(&p), 0x86dd);
    ck_assert_uint_eq(pktd_ipv6_version(&p), 6);
    ck_assert_uint_eq(pktd_ipv6_tclass(&p), 0xab);
    ck_assert_uint_eq(pktd_ipv6_flow(&p), 0xcdef0);
    ck_assert_uint_eq(pktd_ipv6_plen(&p), 18);
    ck_assert_uint_eq(pktd_ipv6_next(&p), 17);
    ck_assert_uint_eq(pktd_ipv6_hlim(&p), 64);
    ck_assert_ptr_eq(pktd_ipv6_src(&p), f.b + 22);
    ck_assert_ptr_eq(pktd_ipv6_dst(&p), f.b + 38);
    ck_assert_uint_eq(pktd_ipv6_ext_count(&p), 0);
    ck_assert_uint_eq(pktd_ipv6_jumbo_len(&p), 0);
    uint8_t proto = 0;
    size_t off = 0;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, &off), 1);
    ck_assert_uint_eq(proto, 17);
    ck_assert_uint_eq(off, 54);
    ck_assert_int_eq(pktd_ipv6_frag(&p, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_ipv6_routing(&p, NULL, NULL), 0);
    uint32_t c = 0;
    ck_assert_int_eq(pktd_ipv6_ext_next(&p, &c, NULL, NULL, NULL), 0);
    ASSERT_HEADER(&p, PKTD_LAYER_IPV6, f.b, 14, 40);
    ASSERT_HEADER(&p, PKTD_LAYER_UDP, f.b, 54, 8);
    ASSERT_PAYLOAD(&p, f.b, 62, 10);
    ck_assert_uint_eq(pktd_udp_sport(&p), 5353);
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* Other layers' calls report absence. */
    ck_assert_uint_eq(pktd_ipv4_src(&p), 0);
    ck_assert_uint_eq(pktd_icmpv6_type(&p), 0);
    ASSERT_CSUM(icmpv6, &p, CSUM_UNVERIFIED);
    ASSERT_CSUM(tcp, &p, CSUM_UNVERIFIED);
    /* A wrong byte: the checksum is verified and wrong. */
    f.b[f.len - 1] ^= 1;
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(udp, &p, CSUM_WRONG);
    /* Ethernet padding after the payload length. */
    f.b[f.len - 1] ^= 1;
    fr_fill(&f, 0, 6);
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV6_PADDING);
    ASSERT_PAYLOAD(&p, f.b, 62, 10);
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* Payload length beyond the capture: a flag, headers still decoded. */
    ASSERT_OK(&p, pktd_decode(&p, 1, f.b, 66));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV6_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED |
                                                 PKTD_F_UDP_TRUNCATED);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
}
END_TEST

START_TEST(test_udp_zero_checksum)
{
    struct fr f;
    size_t ip = v6(&f, 17);
    udp(&f, 4);
    v6_finish(&f, ip);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_UDP_ZERO_CSUM);
    ck_assert_uint_eq(pktd_udp_checksum(&p), 0);
    ASSERT_CSUM(udp, &p, CSUM_WRONG);
}
END_TEST

START_TEST(test_tcp_checksum)
{
    struct fr f;
    size_t ip = v6(&f, 6);
    struct fr_tcp t = {.sport = 443, .dport = 50000, .seq = 1, .ack = 2, .flags = 0x18,
                       .win = 1000};
    size_t tcp = fr_tcp(&f, &t);
    fr_fill(&f, 0x41, 7);
    v6_finish(&f, ip);
    csum6(&f, tcp, tcp + 16, 6, DST);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(TCP));
    ck_assert_uint_eq(pktd_tcp_sport(&p), 443);
    ASSERT_CSUM(tcp, &p, CSUM_GOOD);
    ASSERT_PAYLOAD(&p, f.b, 74, 7);
    f.b[tcp + 4] ^= 0x80;
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(tcp, &p, CSUM_WRONG);
}
END_TEST

/* Hop-by-hop, destination options, routing (type 2, one address, segments
 * left 1), atomic fragment, AH, then UDP whose checksum uses the routing
 * header's final destination (RFC 8200 8.1). */
START_TEST(test_extension_chain)
{
    struct fr f;
    size_t ip = v6(&f, 0);
    size_t hbh = ext(&f, 60, 0);
    size_t dst = ext(&f, 43, 1);
    size_t rt = fr_u8(&f, 44);
    fr_u8(&f, 2);
    fr_u8(&f, 2); /* type 2 */
    fr_u8(&f, 1); /* segments left */
    fr_be32(&f, 0);
    fr_bytes(&f, FINAL, 16);
    size_t fh = frag(&f, 51, 0, 0, 0x12345678u);
    size_t ah = fr_u8(&f, 17);
    fr_u8(&f, 4); /* (4 + 2) * 4 = 24 bytes */
    fr_fill(&f, 0xa5, 22);
    size_t u = udp(&f, 3);
    v6_finish(&f, ip);
    csum6(&f, u, u + 6, 17, FINAL);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), 0); /* atomic fragment: not a fragment */
    ck_assert_uint_eq(pktd_ipv6_ext_count(&p), 5);
    uint8_t proto;
    size_t off;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, &off), 1);
    ck_assert_uint_eq(proto, 17);
    ck_assert_uint_eq(off, u);
    static const uint8_t types[] = {0, 60, 43, 44, 51};
    const size_t at[] = {hbh, dst, rt, fh, ah};
    static const size_t lens[] = {8, 16, 24, 8, 24};
    uint32_t c = 0;
    uint8_t ty;
    const uint8_t *d;
    size_t n;
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(pktd_ipv6_ext_next(&p, &c, &ty, &d, &n), 1);
        ck_assert_uint_eq(ty, types[i]);
        ck_assert_ptr_eq(d, f.b + at[i]);
        ck_assert_uint_eq(n, lens[i]);
    }
    ck_assert_int_eq(pktd_ipv6_ext_next(&p, &c, &ty, &d, &n), 0);
    ck_assert_int_eq(pktd_ipv6_ext_next(&p, NULL, &ty, &d, &n), 0);
    uint8_t rtype = 0, segleft = 0;
    ck_assert_int_eq(pktd_ipv6_routing(&p, &rtype, &segleft), 1);
    ck_assert_uint_eq(rtype, 2);
    ck_assert_uint_eq(segleft, 1);
    uint16_t fo = 9;
    uint8_t m = 9;
    uint32_t id = 0;
    ck_assert_int_eq(pktd_ipv6_frag(&p, &fo, &m, &id), 1);
    ck_assert_uint_eq(fo, 0);
    ck_assert_uint_eq(m, 0);
    ck_assert_uint_eq(id, 0x12345678u);
    ASSERT_PAYLOAD(&p, f.b, u + 8, 3);
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* With segments left 0 the fixed header's destination is the final one:
     * the same checksum is now wrong. */
    f.b[rt + 3] = 0;
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(udp, &p, CSUM_WRONG);
    csum6(&f, u, u + 6, 17, DST);
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* An unknown routing type with segments left: the final destination is
     * unknown, so nothing is verified. */
    f.b[rt + 2] = 77;
    f.b[rt + 3] = 1;
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
}
END_TEST

/* The rest of the IANA list by the generic format; 59 ends the chain. */
START_TEST(test_generic_ext_headers)
{
    static const uint8_t kinds[] = {135, 139, 140, 253, 254};
    struct fr f;
    size_t ip = v6(&f, kinds[0]);
    for (int i = 0; i < 5; i++)
        ext(&f, i + 1 < 5 ? kinds[i + 1] : 59, (uint8_t)i);
    fr_fill(&f, 0xee, 5);
    v6_finish(&f, ip);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6));
    ck_assert_uint_eq(pktd_ipv6_ext_count(&p), 5);
    uint8_t proto;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, NULL), 1);
    ck_assert_uint_eq(proto, 59);
    size_t end = 54 + 8 + 16 + 24 + 32 + 40;
    ASSERT_PAYLOAD(&p, f.b, end, 5);
    /* ESP ends the chain too: what follows is encrypted. */
    ip = v6(&f, 60);
    ext(&f, 50, 0);
    fr_fill(&f, 0x77, 16);
    v6_finish(&f, ip);
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6));
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, NULL), 1);
    ck_assert_uint_eq(proto, 50);
    ASSERT_PAYLOAD(&p, f.b, 62, 16);
}
END_TEST

START_TEST(test_fragments)
{
    struct fr f;
    /* First fragment: UDP decoded, checksum not verifiable. */
    size_t ip = v6(&f, 44);
    frag(&f, 17, 0, 1, 7);
    size_t u = udp(&f, 8);
    v6_finish(&f, ip);
    csum6(&f, u, u + 6, 17, DST);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT);
    ASSERT_CSUM(udp, &p, CSUM_UNVERIFIED);
    /* A later fragment: no transport header, the fragment data is payload. */
    fr_put_be16(&f, 56, (uint16_t)(2 << 3 | 1));
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6));
    ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_FRAGMENT | PKTD_F_LATER_FRAGMENT);
    uint8_t proto;
    size_t off;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, &off), 1);
    ck_assert_uint_eq(proto, 17);
    ck_assert_uint_eq(off, 62);
    ASSERT_PAYLOAD(&p, f.b, 62, 16);
    uint16_t fo;
    uint8_t m;
    ck_assert_int_eq(pktd_ipv6_frag(&p, &fo, &m, NULL), 1);
    ck_assert_uint_eq(fo, 2);
    ck_assert_uint_eq(m, 1);
    /* M set and fragment data not a multiple of 8: malformed. */
    fr_fill(&f, 0, 3);
    v6_finish(&f, ip);
    int rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_FRAG_SIZE, 19, 0);
    ASSERT_MSG(&p, "fragment length 19 is not a multiple of 8");
    /* The last fragment (M 0) may have any length. */
    fr_put_be16(&f, 56, (uint16_t)(2 << 3));
    ASSERT_OK(&p, decode(&p, &f));
}
END_TEST

/* Hop-by-hop with a Jumbo Payload option of @p jlen, payload length @p plen. */
static size_t jumbo_frame(struct fr *f, uint16_t plen, uint32_t jlen, uint8_t optlen)
{
    size_t ip = v6(f, 0);
    fr_u8(f, 17);
    fr_u8(f, 0);
    fr_u8(f, 0xc2);
    fr_u8(f, optlen);
    fr_be32(f, jlen);
    size_t u = fr_udp(f, 1, 2);
    fr_put_be16(f, u + 4, 0);
    fr_fill(f, 0, 8);
    fr_put_be16(f, ip + 4, plen);
    return ip;
}

START_TEST(test_jumbogram)
{
    struct fr f;
    jumbo_frame(&f, 0, 70000, 4);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_ipv6_jumbo_len(&p), 70000);
    ck_assert_uint_eq(pktd_packet_flags(&p),
                      PKTD_F_IPV6_JUMBO | PKTD_F_IPV6_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED |
                          PKTD_F_UDP_LEN_ZERO | PKTD_F_UDP_TRUNCATED | PKTD_F_UDP_ZERO_CSUM);
    ASSERT_CSUM(udp, &p, CSUM_WRONG); /* checksum 0 over IPv6, even cut short */
    int rc;
    jumbo_frame(&f, 0, 65535, 4);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_LEN, 65535, 0);
    ASSERT_MSG(&p, "jumbo payload length 65535 <= 65535");
    jumbo_frame(&f, 24, 70000, 4);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_PLEN, 24, 0);
    jumbo_frame(&f, 0, 70000, 3);
    f.b[f.len - 17] = 0; /* keep the 8-byte header: option 3 bytes + Pad1 */
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_SIZE, 0xc2, 3);
    /* RFC 2675 3: a Jumbo Payload of 0 is invalid, not absent (review
     * finding: it was taken for a missing option with payload length 0 and
     * accepted beside a non-zero one). */
    jumbo_frame(&f, 0, 0, 4);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_LEN, 0, 0);
    ASSERT_MSG(&p, "jumbo payload length 0 <= 65535");
    jumbo_frame(&f, 24, 0, 4);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_PLEN, 24, 0);
    jumbo_frame(&f, 0, 1, 4);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_LEN, 1, 0);
    /* Payload length 0 and a hop-by-hop header without the option. */
    size_t ip = v6(&f, 0);
    ext(&f, 59, 0);
    (void)ip;
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_MISSING, 0, 0);
    /* A jumbogram cannot be fragmented. */
    ip = v6(&f, 0);
    fr_u8(&f, 44);
    fr_u8(&f, 0);
    fr_u8(&f, 0xc2);
    fr_u8(&f, 4);
    fr_be32(&f, 70000);
    frag(&f, 17, 0, 1, 1);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_JUMBO_FRAG, 0, 0);
}
END_TEST

START_TEST(test_len_zero)
{
    /* Payload length 0 without hop-by-hop (segmentation offload): the
     * captured bytes are used, as for IPv4's total length 0. */
    struct fr f;
    v6(&f, 17);
    udp(&f, 4);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_packet_flags(&p) & PKTD_F_IPV6_LEN_ZERO, PKTD_F_IPV6_LEN_ZERO);
    ASSERT_CSUM(udp, &p, CSUM_WRONG); /* checksum 0 over IPv6 */
    /* Without a length on the wire only the capture bounds the chain: an
     * extension header it cuts is truncated, not malformed (review
     * finding), whether its length byte or its body is missing, and also
     * for a hop-by-hop header that would have announced a jumbogram. */
    static const uint8_t first[] = {60, 43, 0};
    for (size_t i = 0; i < sizeof first; i++) {
        size_t ip = v6(&f, first[i]);
        ext(&f, 17, 1); /* 16 bytes */
        udp(&f, 4);
        (void)ip;
        for (size_t cut = ip + 40; cut < ip + 40 + 16; cut++) {
            int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f.b, cut);
            ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_TRUNC,
                        first[i], cut - ip - 40 < 2 ? 2 : 16);
        }
    }
}
END_TEST

START_TEST(test_malformed_chain)
{
    struct fr f;
    pktd_packet p;
    int rc;
    /* Bad version. */
    size_t ip = v6(&f, 59);
    f.b[ip] = 0x40;
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_VERSION, 4, 0);
    ASSERT_MSG(&p, "IP version 4 != 6");
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    /* Hop-by-hop after another header. */
    ip = v6(&f, 60);
    ext(&f, 0, 0);
    ext(&f, 59, 0);
    v6_finish(&f, ip);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_HBH_NOT_FIRST, 1, 0);
    /* Too many headers. */
    ip = v6(&f, 60);
    for (int i = 0; i < PKTD_IPV6_MAX_EXT; i++)
        ext(&f, 60, 0);
    ext(&f, 59, 0);
    v6_finish(&f, ip);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_MANY,
                PKTD_IPV6_MAX_EXT, 0);
    /* Exactly the limit is fine. */
    ip = v6(&f, 60);
    for (int i = 0; i < PKTD_IPV6_MAX_EXT - 1; i++)
        ext(&f, 60, 0);
    ext(&f, 59, 0);
    v6_finish(&f, ip);
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_ipv6_ext_count(&p), PKTD_IPV6_MAX_EXT);
    /* A header running past the payload length (inside the capture). */
    ip = v6(&f, 60);
    ext(&f, 59, 1);
    v6_finish(&f, ip);
    fr_put_be16(&f, ip + 4, 8);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_OVERRUN, 60, 8);
    /* ... and a payload length too short for even the length byte. */
    fr_put_be16(&f, ip + 4, 1);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_OVERRUN, 60, 1);
    /* Inside the payload length but past the capture: truncated. */
    fr_put_be16(&f, ip + 4, 16);
    rc = pktd_decode(&p, 1, f.b, f.len - 1);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_TRUNC, 60, 16);
    rc = pktd_decode(&p, 1, f.b, 55);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_IPV6, PKTD_R_IPV6_EXT_TRUNC, 60, 2);
}
END_TEST

START_TEST(test_malformed_options)
{
    struct fr f;
    pktd_packet p;
    int rc;
    /* An option overrunning its header. */
    size_t ip = v6(&f, 60);
    size_t d = ext(&f, 59, 0);
    f.b[d + 3] = 5; /* PadN of 5 in 6 bytes: 2 + 5 > 6 */
    v6_finish(&f, ip);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_OVERRUN, 5, 4);
    ASSERT_MSG(&p, "IPv6 option length 5 overruns 4 option bytes");
    /* An option whose length byte is missing: Pad1 x5, then type 1. */
    memset(f.b + d + 2, 0, 5);
    f.b[d + 7] = 1;
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_NOLEN, 1, 0);
    /* Pad1 only: valid. */
    f.b[d + 7] = 0;
    ASSERT_OK(&p, decode(&p, &f));
    /* Same in a hop-by-hop header. */
    f.b[ip + 6] = 0;
    f.b[d + 3] = 0;
    f.b[d + 2] = 1;
    f.b[d + 3] = 5;
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_OPT_OVERRUN, 5, 4);
}
END_TEST

/* ICMPv6: @p type with @p body bytes after the 4-byte header, checksummed. */
static size_t icmp6(struct fr *f, uint8_t type, const uint8_t *body, size_t n)
{
    size_t ip = v6(f, 58);
    size_t at = fr_u8(f, type);
    fr_u8(f, 0);
    fr_be16(f, 0);
    fr_bytes(f, body, n);
    v6_finish(f, ip);
    csum6(f, at, at + 2, 58, DST);
    return at;
}

START_TEST(test_icmpv6_echo)
{
    static const uint8_t body[] = {0x12, 0x34, 0x00, 0x07, 'h', 'i'};
    struct fr f;
    size_t at = icmp6(&f, 128, body, sizeof body);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(ICMPV6));
    ck_assert_uint_eq(pktd_icmpv6_type(&p), 128);
    ck_assert_uint_eq(pktd_icmpv6_code(&p), 0);
    ck_assert_uint_eq(pktd_icmpv6_rest(&p), 0x12340007u);
    uint16_t id = 0, seq = 0;
    ck_assert_int_eq(pktd_icmpv6_echo(&p, &id, &seq), 1);
    ck_assert_uint_eq(id, 0x1234);
    ck_assert_uint_eq(seq, 7);
    ck_assert_ptr_null(pktd_icmpv6_nd_target(&p));
    ASSERT_HEADER(&p, PKTD_LAYER_ICMPV6, f.b, at, 8);
    ASSERT_PAYLOAD(&p, f.b, at + 8, 2);
    ASSERT_CSUM(icmpv6, &p, CSUM_GOOD);
    f.b[f.len - 1] ^= 0xff;
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_CSUM(icmpv6, &p, CSUM_WRONG);
    /* ICMPv4's calls do not answer for ICMPv6. */
    ck_assert_int_eq(pktd_icmp_echo(&p, &id, &seq), 0);
    ASSERT_CSUM(icmp, &p, CSUM_UNVERIFIED);
    /* Fields. */
    uint32_t o[PKTD_FIELD_COUNT_];
    pktd_packet_fields(&p, o, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(o[PKTD_FIELD_ICMPV6_TYPE], 128);
    ck_assert_uint_eq(o[PKTD_FIELD_ICMPV6_REST], 0x12340007u);
    ck_assert_uint_eq(o[PKTD_FIELD_IPV6_SRC0], 0x20010db8u);
    ck_assert_uint_eq(o[PKTD_FIELD_IPV6_SRC3], 1);
    ck_assert_uint_eq(o[PKTD_FIELD_IPV6_DST3], 2);
    ck_assert_uint_eq(o[PKTD_FIELD_IPV6_FLOW], 0xcdef0);
    ck_assert_uint_eq(o[PKTD_FIELD_IPV6_UPPER], 58);
    ck_assert_uint_eq(o[PKTD_FIELD_ICMP_TYPE], 0);
    uint32_t field;
    ck_assert_int_eq(pktd_field_lookup("icmpv6.type", &field), 1);
    ck_assert_uint_eq(field, PKTD_FIELD_ICMPV6_TYPE);
    ck_assert_int_eq(pktd_field_lookup("ipv6.dst3", &field), 1);
    ck_assert_uint_eq(field, PKTD_FIELD_IPV6_DST3);
    /* A type without a fixed part of its own (RFC 4443 2.1: 4 header
     * bytes): the rest is the payload and pktd_icmpv6_rest() is 0, as its
     * documentation says (review finding: it promised bytes 4-7). */
    at = icmp6(&f, 200, body, sizeof body);
    ASSERT_OK(&p, decode(&p, &f));
    ASSERT_HEADER(&p, PKTD_LAYER_ICMPV6, f.b, at, 4);
    ASSERT_PAYLOAD(&p, f.b, at + 4, sizeof body);
    ck_assert_uint_eq(pktd_icmpv6_rest(&p), 0);
    pktd_packet_fields(&p, o, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(o[PKTD_FIELD_ICMPV6_REST], 0);
}
END_TEST

START_TEST(test_icmpv6_nd)
{
    /* Neighbor solicitation: reserved, target, source link-layer option. */
    uint8_t ns[4 + 16 + 8];
    memset(ns, 0, sizeof ns);
    memcpy(ns + 4, FINAL, 16);
    ns[20] = 1;
    ns[21] = 1;
    memcpy(ns + 22, MAC, 6);
    struct fr f;
    size_t at = icmp6(&f, 135, ns, sizeof ns);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_icmpv6_type(&p), 135);
    ck_assert_ptr_eq(pktd_icmpv6_nd_target(&p), f.b + at + 8);
    ASSERT_HEADER(&p, PKTD_LAYER_ICMPV6, f.b, at, 24);
    const uint8_t *a = NULL;
    size_t n = 0;
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 1, &a, &n), 1);
    ck_assert_ptr_eq(a, f.b + at + 26);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 2, &a, &n), 0);
    uint32_t c = 0;
    uint8_t t;
    ck_assert_int_eq(pktd_icmpv6_nd_option_next(&p, &c, &t, NULL, &n), 1);
    ck_assert_uint_eq(t, 1);
    ck_assert_uint_eq(n, 8);
    ck_assert_int_eq(pktd_icmpv6_nd_option_next(&p, &c, &t, NULL, &n), 0);
    ASSERT_CSUM(icmpv6, &p, CSUM_GOOD);
    uint16_t id;
    ck_assert_int_eq(pktd_icmpv6_echo(&p, &id, NULL), 0);
    /* Neighbor advertisement with the target link-layer option. */
    ns[20] = 2;
    icmp6(&f, 136, ns, sizeof ns);
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 2, &a, &n), 1);
    ck_assert_uint_eq(n, 6);
    ck_assert_ptr_nonnull(pktd_icmpv6_nd_target(&p));
    /* An option of length 0. */
    ns[21] = 0;
    icmp6(&f, 136, ns, sizeof ns);
    int rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_ND_OPT_LEN, 2, 0);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6));
    /* An option running past the message. */
    ns[21] = 2;
    icmp6(&f, 136, ns, sizeof ns);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_ND_OPT_OVERRUN, 16,
                8);
    /* Too short for its type (NS needs 24 bytes). */
    icmp6(&f, 135, ns, 16);
    rc = decode(&p, &f);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_TYPE_SHORT, 135, 24);
    /* Cut by the capture rather than short: truncated. */
    icmp6(&f, 135, ns, 20);
    rc = pktd_decode(&p, 1, f.b, f.len - 4);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_TYPE_TRUNC, 135, 20);
    /* Redirect: target at 8, destination at 24. */
    uint8_t rd[36];
    memset(rd, 0, sizeof rd);
    memcpy(rd + 4, FINAL, 16);
    at = icmp6(&f, 137, rd, sizeof rd);
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_ptr_eq(pktd_icmpv6_nd_target(&p), f.b + at + 8);
    ck_assert_int_eq(memcmp(pktd_icmpv6_nd_target(&p), FINAL, 16), 0);
    /* Fewer than 4 bytes. */
    icmp6(&f, 1, rd, 0);
    rc = pktd_decode(&p, 1, f.b, f.len - 1);
    ASSERT_STOP(&p, rc, PKTD_E_TRUNCATED, PKTD_LAYER_ICMPV6, PKTD_R_ICMPV6_SHORT, 3, 0);
}
END_TEST

START_TEST(test_links)
{
    /* Raw IPv6 under LINKTYPE_RAW and LINKTYPE_IPV6, and pktd_ipv6_parse(). */
    struct fr f;
    size_t ip = v6(&f, 17);
    size_t u = udp(&f, 2);
    v6_finish(&f, ip);
    csum6(&f, u, u + 6, 17, DST);
    pktd_packet p;
    static const uint32_t lts[] = {PKTD_LINKTYPE_RAW, PKTD_LINKTYPE_IPV6};
    for (int i = 0; i < 2; i++) {
        ASSERT_OK(&p, pktd_decode(&p, lts[i], f.b + 14, f.len - 14));
        ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV6) | L(UDP));
        ASSERT_CSUM(udp, &p, CSUM_GOOD);
    }
    ASSERT_OK(&p, pktd_ipv6_parse(&p, f.b + 14, f.len - 14));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(IPV6) | L(UDP));
    ck_assert_uint_eq(pktd_packet_linktype(&p), 0);
    /* Under a VLAN tag. */
    struct fr g;
    fr_init(&g);
    fr_eth(&g, 0x8100);
    fr_be16(&g, 5);
    fr_be16(&g, 0x86dd);
    fr_bytes(&g, f.b + 14, f.len - 14);
    ASSERT_OK(&p, pktd_decode(&p, 1, g.b, g.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(VLAN) | L(IPV6) | L(UDP));
    ASSERT_CSUM(udp, &p, CSUM_GOOD);
    /* Under a Linux cooked header. */
    fr_init(&g);
    fr_be16(&g, 0);
    fr_be16(&g, 1);
    fr_be16(&g, 6);
    fr_bytes(&g, MAC, 6);
    fr_be16(&g, 0);
    fr_be16(&g, 0x86dd);
    fr_bytes(&g, f.b + 14, f.len - 14);
    ASSERT_OK(&p, pktd_decode(&p, PKTD_LINKTYPE_LINUX_SLL, g.b, g.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(SLL) | L(IPV6) | L(UDP));
    /* LINKTYPE_IPV6 with an IPv4 packet: wrong version. */
    uint8_t v4[40] = {0x45};
    int rc = pktd_decode(&p, PKTD_LINKTYPE_IPV6, v4, sizeof v4);
    ASSERT_STOP(&p, rc, PKTD_E_MALFORMED, PKTD_LAYER_IPV6, PKTD_R_IPV6_VERSION, 4, 0);
}
END_TEST

/* An NS with two options cut at every length: the options after one that
 * runs past the capture are not read (an exact-size copy, so ASan and
 * valgrind see any read past the end), and the iterator stops there. */
START_TEST(test_nd_options_cut)
{
    uint8_t ns[4 + 16 + 16 + 8];
    memset(ns, 0, sizeof ns);
    memcpy(ns + 4, FINAL, 16);
    ns[20] = 14; /* an unknown option of 16 bytes */
    ns[21] = 2;
    ns[36] = 1;
    ns[37] = 1;
    memcpy(ns + 38, MAC, 6);
    struct fr f;
    size_t at = icmp6(&f, 135, ns, sizeof ns);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 1, NULL, NULL), 1);
    for (size_t n = at + 24; n < f.len; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        ASSERT_OK(&p, pktd_decode(&p, 1, b, n));
        ck_assert_uint_eq(pktd_packet_flags(&p), PKTD_F_IPV6_TRUNCATED | PKTD_F_PAYLOAD_TRUNCATED);
        uint32_t c = 0;
        size_t len = 0;
        int k = 0;
        while (pktd_icmpv6_nd_option_next(&p, &c, NULL, NULL, &len))
            k++;
        ck_assert_int_eq(k, n >= at + 40 ? 1 : 0);
        ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 1, NULL, NULL), 0);
        (void)fr_touch_all(&p);
        free(b);
    }
}
END_TEST

/* Every prefix of a frame with a full chain: each stops where its bytes
 * end, with the right code and layer, and no call reads past the end. */
START_TEST(test_every_truncation)
{
    struct fr f;
    size_t ip = v6(&f, 0);
    ext(&f, 43, 0);
    fr_u8(&f, 44);
    fr_u8(&f, 2);
    fr_u8(&f, 0);
    fr_u8(&f, 0);
    fr_fill(&f, 0, 20);
    frag(&f, 60, 0, 0, 1);
    ext(&f, 58, 1);
    size_t at = fr_u8(&f, 128);
    fr_u8(&f, 0);
    fr_be16(&f, 0);
    fr_be32(&f, 0x00010002u);
    v6_finish(&f, ip);
    csum6(&f, at, at + 2, 58, DST);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV6) | L(ICMPV6));
    ASSERT_CSUM(icmpv6, &p, CSUM_GOOD);
    for (size_t n = 0; n < f.len; n++) {
        uint8_t *b = fr_exact_copy(f.b, n);
        int rc = pktd_decode(&p, 1, b, n);
        ck_assert_int_eq(rc, PKTD_E_TRUNCATED);
        uint32_t layer = pktd_packet_error_layer(&p);
        if (n < 14)
            ck_assert_uint_eq(layer, PKTD_LAYER_ETH);
        else if (n < at)
            ck_assert_uint_eq(layer, PKTD_LAYER_IPV6);
        else
            ck_assert_uint_eq(layer, PKTD_LAYER_ICMPV6);
        if (n >= 14 && n < 54)
            ck_assert_uint_eq(pktd_packet_error_reason(&p), PKTD_R_IPV6_SHORT);
        (void)fr_touch_all(&p);
        ASSERT_CSUM(icmpv6, &p, CSUM_UNVERIFIED);
        free(b);
    }
}
END_TEST

START_TEST(test_format)
{
    static const char *const texts[] = {
        "::", "::1", "2001:db8::1", "fe80::202:2:4002:1002", "2001:db8:0:1:1:1:1:1",
        "2001:0:0:1::1", "1::", "::ffff:192.0.2.1", "::192.0.2.1", "1:2:3:4:5:6:7:8",
        "2001:db8::1:0:0:1", "ff02::1:ff00:1", "::2:3:4:5:6:7:8", "1:0:0:2::3"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        uint8_t a[16];
        ck_assert_int_eq(inet_pton(AF_INET6, texts[i], a), 1);
        char want[INET6_ADDRSTRLEN];
        ck_assert_ptr_nonnull(inet_ntop(AF_INET6, a, want, sizeof want));
        char got[PKTD_IPV6_STRLEN];
        fmt(a, got);
        ck_assert_str_eq(got, want);
        /* snprintf's contract when cut. */
        char small[5];
        size_t n = pktd_ipv6_format(a, small, sizeof small);
        ck_assert_uint_eq(n, strlen(want));
        ck_assert_int_eq(strncmp(small, want, 4), 0);
        ck_assert_uint_eq(strlen(small), n < 4 ? n : 4);
    }
    uint8_t all[16];
    memset(all, 0xff, sizeof all);
    char got[PKTD_IPV6_STRLEN];
    ck_assert_uint_eq(pktd_ipv6_format(all, got, sizeof got), PKTD_IPV6_STRLEN - 7);
    ck_assert_uint_eq(pktd_ipv6_format(NULL, got, sizeof got), 0);
    ck_assert_str_eq(got, "");
    ck_assert_uint_eq(pktd_ipv6_format(all, NULL, 0), 39);
}
END_TEST

/* R1/R4 on a state without IPv6 (an IPv4 frame) and with NULL arguments. */
START_TEST(test_absent)
{
    struct fr f;
    fr_init(&f);
    fr_eth(&f, 0x0800);
    struct fr_ip4 ipv4 = {.proto = 17};
    size_t ip = fr_ip4(&f, &ipv4);
    fr_udp(&f, 1, 2);
    fr_ip4_finish(&f, ip);
    pktd_packet p;
    ASSERT_OK(&p, decode(&p, &f));
    ck_assert_uint_eq(pktd_ipv6_plen(&p), 0);
    ck_assert_ptr_null(pktd_ipv6_src(&p));
    ck_assert_ptr_null(pktd_ipv6_dst(&p));
    uint8_t proto = 99;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &proto, NULL), 0);
    ck_assert_uint_eq(proto, 99);
    uint32_t c = 0;
    ck_assert_int_eq(pktd_ipv6_ext_next(&p, &c, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_icmpv6_nd_option_next(&p, &c, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_icmpv6_nd_lladdr(&p, 1, NULL, NULL), 0);
    ck_assert_int_eq(pktd_icmpv6_echo(&p, NULL, NULL), 0);
    ck_assert_int_eq(pktd_ipv6_frag(NULL, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_ipv6_routing(NULL, NULL, NULL), 0);
    ASSERT_CSUM(icmpv6, &p, CSUM_UNVERIFIED);
    ck_assert_int_eq(pktd_packet_has(&p, PKTD_LAYER_IPV6), 0);
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_IPV6), "ipv6");
    ck_assert_str_eq(pktd_layer_name(PKTD_LAYER_ICMPV6), "icmpv6");
    ck_assert_uint_eq(sizeof(pktd_packet), 256);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_ipv6");
    TCase *tc = tcase_create("ipv6");
    tcase_add_test(tc, test_fixed_header_udp);
    tcase_add_test(tc, test_udp_zero_checksum);
    tcase_add_test(tc, test_tcp_checksum);
    tcase_add_test(tc, test_extension_chain);
    tcase_add_test(tc, test_generic_ext_headers);
    tcase_add_test(tc, test_fragments);
    tcase_add_test(tc, test_jumbogram);
    tcase_add_test(tc, test_len_zero);
    tcase_add_test(tc, test_malformed_chain);
    tcase_add_test(tc, test_malformed_options);
    tcase_add_test(tc, test_icmpv6_echo);
    tcase_add_test(tc, test_icmpv6_nd);
    tcase_add_test(tc, test_links);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_nd_options_cut);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_absent);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
