/* Tunnels (tunnel.h): hand-built frames for every encapsulation, each
 * malformed and truncated tunnel header, nesting at the limit and past it,
 * the UDP ports, and the outer packet left exactly as 1.0 decodes it. */
#include "config.h"

#include <stdlib.h>

#include "packet_impl.h"
#include "parse_check.h"

/* Decoded frames point into exact copies (an over-read is caught by
 * valgrind/ASan), freed at the end of each test. */
static uint8_t *copies[16];
static size_t ncopies;

static const uint8_t *exact(const struct fr *f, size_t len)
{
    ck_assert_uint_lt(ncopies, sizeof copies / sizeof copies[0]);
    uint8_t *b = fr_exact_copy(f->b, len);
    copies[ncopies++] = b;
    return b;
}

static void free_copies(void)
{
    while (ncopies > 0)
        free(copies[--ncopies]);
}

/* The state the general (layer-by-layer) Ethernet path gives. */
static void general_decode(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    ck_assert_int_eq(pktd__decode_begin(p, PKTD_LINKTYPE_ETHERNET, data, len, &s), 0);
    (void)pktd__eth_decode(s);
}

/* Decode an Ethernet frame and check the fast path gave the general
 * path's state, tunnel fields included. */
static int decode_eth(pktd_packet *p, const uint8_t *b, size_t len)
{
    int rc = pktd_decode(p, PKTD_LINKTYPE_ETHERNET, b, len);
    pktd_packet g;
    general_decode(&g, b, len);
    uint32_t vf[PKTD_FIELD_COUNT_], vg[PKTD_FIELD_COUNT_];
    pktd_packet_fields(p, vf, PKTD_FIELD_COUNT_);
    pktd_packet_fields(&g, vg, PKTD_FIELD_COUNT_);
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
        ck_assert_msg(vf[i] == vg[i], "field %s: fast %u, general %u", pktd_field_name(i), vf[i],
                      vg[i]);
    return rc;
}

static const struct fr_ip4 ip_udp = {.ttl = 64, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};

/* Ethernet, IPv4, UDP to @p dport; returns the UDP header's offset. */
static size_t outer_udp(struct fr *f, size_t *ipo, uint16_t dport)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    *ipo = fr_ip4(f, &ip_udp);
    return fr_udp(f, 51000, dport);
}

static void finish_udp(struct fr *f, size_t ipo, size_t udpo)
{
    fr_ip4_finish(f, ipo);
    fr_udp_finish(f, ipo, udpo);
}

/* An inner IPv4/TCP packet 172.16.0.1:1234 -> 172.16.0.2:80 (SYN). */
static size_t inner_ip_tcp(struct fr *f)
{
    static const struct fr_ip4 ip = {.ttl = 63, .proto = 6, .src = 0xac100001u,
                                     .dst = 0xac100002u};
    size_t at = fr_ip4(f, &ip);
    struct fr_tcp t = {.sport = 1234, .dport = 80, .seq = 7, .flags = PKTD_TCP_SYN, .win = 100};
    size_t tcp = fr_tcp(f, &t);
    fr_ip4_finish(f, at);
    fr_tcp_finish(f, at, tcp);
    return at;
}

static size_t inner_eth_ip_tcp(struct fr *f)
{
    size_t at = fr_eth(f, 0x0800);
    inner_ip_tcp(f);
    return at;
}

/* The inner TCP packet decoded, whatever the link in front. */
static void assert_inner_tcp(const pktd_packet *in)
{
    ck_assert(pktd_packet_has(in, PKTD_LAYER_IPV4));
    ck_assert_uint_eq(pktd_ipv4_src(in), 0xac100001u);
    ck_assert_uint_eq(pktd_tcp_sport(in), 1234);
    ck_assert_uint_eq(pktd_tcp_dport(in), 80);
    ck_assert_int_eq(pktd_tcp_checksum_ok(in), 1);
}

static uint32_t field(const pktd_packet *p, uint32_t f)
{
    uint32_t v = 0xdeadbeef;
    ck_assert_msg(pktd_tunnel_field(p, f, &v) == 1, "field %u absent", f);
    return v;
}

static void vxlan_frame(struct fr *f, size_t *udpo, uint8_t flags, uint32_t vni)
{
    size_t ipo;
    *udpo = outer_udp(f, &ipo, PKTD_VXLAN_PORT);
    fr_u8(f, flags);
    fr_fill(f, 0, 3);
    fr_be32(f, vni << 8);
    inner_eth_ip_tcp(f);
    finish_udp(f, ipo, *udpo);
}

START_TEST(test_vxlan)
{
    struct fr f;
    size_t udpo;
    vxlan_frame(&f, &udpo, 0x08, 42);
    const uint8_t *b = exact(&f, f.len);
    pktd_packet p, in;
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    /* The outer packet as 1.0 sees it. */
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ASSERT_PAYLOAD(&p, b, udpo + 8, f.len - udpo - 8);
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_VXLAN);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 42);
    ck_assert_uint_eq(pktd_packet_encap(&p), PKTD_TUNNEL_NONE);
    ck_assert_uint_eq(pktd_packet_depth(&p), 0);
    uint32_t v[PKTD_FIELD_COUNT_];
    pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_TUNNEL_TYPE], PKTD_TUNNEL_VXLAN);
    ck_assert_uint_eq(v[PKTD_FIELD_TUNNEL_ID], 42);

    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(VXLAN) | L(ETH) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_ETHERNET);
    ck_assert_uint_eq(pktd_packet_encap(&in), PKTD_TUNNEL_VXLAN);
    ck_assert_uint_eq(pktd_packet_depth(&in), 1);
    ck_assert_uint_eq(pktd_packet_tunnel(&in), PKTD_TUNNEL_NONE);
    ASSERT_HEADER(&in, PKTD_LAYER_VXLAN, b, udpo + 8, 8);
    ASSERT_HEADER(&in, PKTD_LAYER_ETH, b, udpo + 16, 14);
    ck_assert_ptr_eq(pktd_eth_src(&in), b + udpo + 16 + 6);
    ck_assert_uint_eq(field(&in, PKTD_TF_VNI), 42);
    ck_assert_uint_eq(field(&in, PKTD_TF_FLAGS), 0x08);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_KEY, NULL), 0);
    assert_inner_tcp(&in);
    pktd_packet_fields(&in, v, PKTD_FIELD_COUNT_);
    ck_assert_uint_eq(v[PKTD_FIELD_TCP_DPORT], 80);
    ck_assert_uint_eq(v[PKTD_FIELD_TUNNEL_TYPE], 0);
    /* The inner state has no tunnel: the next level is "not found". */
    pktd_packet in2;
    ASSERT_STOP(&in2, pktd_decode_inner(&in, &in2), PKTD_E_NOT_FOUND, PKTD_LAYER_NONE,
                PKTD_R_TUNNEL_NONE, 0, 0);

    /* Without the I flag the frame is decoded, the VNI is not reported. */
    vxlan_frame(&f, &udpo, 0x00, 42);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_VNI, NULL), 0);
    assert_inner_tcp(&in);
    free_copies();
}
END_TEST

START_TEST(test_vxlan_broken)
{
    struct fr f;
    size_t udpo;
    pktd_packet p, in;
    vxlan_frame(&f, &udpo, 0x08, 7);
    /* Cut inside the VXLAN header: the outer decode is unaffected (UDP
     * only flags its payload as cut), the inner one reports it. */
    for (size_t cut = 0; cut < 8; cut++) {
        const uint8_t *b = exact(&f, udpo + 8 + cut);
        ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + cut));
        ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_VXLAN);
        ck_assert_uint_eq(pktd_packet_tunnel_id(&p), cut >= 7 ? 7 : 0);
        ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_VXLAN,
                    PKTD_R_VXLAN_SHORT, (uint32_t)cut, 0);
        ck_assert_uint_eq(pktd_packet_layers(&in), 0);
        ck_assert_int_eq(pktd_packet_payload(&in, NULL, NULL), 0);
        ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_VNI, NULL), 0);
        free_copies();
    }
    /* A first fragment (MF) is no tunnel: only part of the inner packet is there. */
    {
        struct fr g = f;
        fr_put_be16(&g, 14 + 6, 0x2000);
        fr_ip4_checksum(&g, 14);
        const uint8_t *fb = exact(&g, g.len);
        ASSERT_OK(&p, decode_eth(&p, fb, g.len));
        ck_assert_uint_eq(pktd_packet_flags(&p) & PKTD_F_FRAGMENT, PKTD_F_FRAGMENT);
        ck_assert(pktd_packet_has(&p, PKTD_LAYER_UDP));
        ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);
    }
    /* A malformed inner IPv4 header: the inner state stops at IPv4, every
     * outer layer stays readable and error-free. */
    f.b[udpo + 16 + 14] = 0x44; /* IHL 4 */
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_IPV4,
                PKTD_R_IPV4_IHL, 16, 0);
    ck_assert_uint_eq(pktd_packet_layers(&in), L(VXLAN) | L(ETH));
    ck_assert_uint_eq(field(&in, PKTD_TF_VNI), 7);
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_udp_dport(&p), PKTD_VXLAN_PORT);
    free_copies();
}
END_TEST

START_TEST(test_ports)
{
    struct fr f;
    size_t ipo;
    size_t udpo = outer_udp(&f, &ipo, 8472); /* Linux's historic VXLAN port */
    fr_be32(&f, 0x08000000u);
    fr_be32(&f, 5u << 8);
    inner_eth_ip_tcp(&f);
    finish_udp(&f, ipo, udpo);
    const uint8_t *b = exact(&f, f.len);
    pktd_packet p, in;
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);

    pktd_decode_opts o;
    pktd_decode_opts_init(&o);
    ck_assert_uint_eq(pktd_decode_opts_port(&o, PKTD_TUNNEL_VXLAN), 4789);
    ck_assert_uint_eq(pktd_decode_opts_port(&o, PKTD_TUNNEL_GENEVE), 6081);
    ck_assert_uint_eq(pktd_decode_opts_port(&o, PKTD_TUNNEL_GTPU), 2152);
    ck_assert_uint_eq(pktd_decode_opts_port(&o, PKTD_TUNNEL_GRE), 0);
    ck_assert_uint_eq(pktd_decode_opts_port(NULL, PKTD_TUNNEL_VXLAN), 0);
    ck_assert_int_eq(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_VXLAN, 8472), 0);
    ck_assert_int_eq(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_GRE, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_VXLAN, 65536),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_decode_opts_set_port(NULL, PKTD_TUNNEL_VXLAN, 1),
                     PKTD_E_INVALID_ARGUMENT);
    pktd_decode_opts_init(NULL); /* harmless */
    ASSERT_OK(&p, pktd_decode_with(&p, &o, PKTD_LINKTYPE_ETHERNET, b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4) | L(UDP));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_VXLAN);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 5);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    assert_inner_tcp(&in);
    /* NULL options: the defaults, exactly pktd_decode(). */
    ASSERT_OK(&p, pktd_decode_with(&p, NULL, PKTD_LINKTYPE_ETHERNET, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);

    /* Port 0 turns the default off; a datagram to port 0 is no tunnel. */
    vxlan_frame(&f, &udpo, 0x08, 1);
    b = exact(&f, f.len);
    ck_assert_int_eq(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_VXLAN, 0), 0);
    ASSERT_OK(&p, pktd_decode_with(&p, &o, PKTD_LINKTYPE_ETHERNET, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);
    fr_put_be16(&f, udpo + 2, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, pktd_decode_with(&p, &o, PKTD_LINKTYPE_ETHERNET, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);

    /* The ports are inherited by the inner levels: VXLAN on 8472 inside
     * VXLAN on 8472. */
    ck_assert_int_eq(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_VXLAN, 8472), 0);
    udpo = outer_udp(&f, &ipo, 8472);
    fr_be32(&f, 0x08000000u);
    fr_be32(&f, 5u << 8);
    fr_eth(&f, 0x0800);
    size_t ipo2 = fr_ip4(&f, &ip_udp);
    size_t udpo2 = fr_udp(&f, 1, 8472);
    fr_be32(&f, 0x08000000u);
    fr_be32(&f, 6u << 8);
    inner_eth_ip_tcp(&f);
    finish_udp(&f, ipo2, udpo2);
    finish_udp(&f, ipo, udpo);
    b = exact(&f, f.len);
    pktd_packet in2;
    ASSERT_OK(&p, pktd_decode_with(&p, &o, PKTD_LINKTYPE_ETHERNET, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_tunnel(&in), PKTD_TUNNEL_VXLAN);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&in), 6);
    ASSERT_OK(&in2, pktd_decode_inner(&in, &in2));
    ck_assert_uint_eq(pktd_packet_depth(&in2), 2);
    assert_inner_tcp(&in2);
    free_copies();
}
END_TEST

/* Geneve with @p optlen option bytes (already built by the caller in
 * @p opts), protocol @p proto. */
static size_t geneve_frame(struct fr *f, uint8_t ver_optlen, uint16_t proto,
                           const uint8_t *opts, size_t optlen, int inner_eth)
{
    size_t ipo;
    size_t udpo = outer_udp(f, &ipo, PKTD_GENEVE_PORT);
    fr_u8(f, ver_optlen);
    fr_u8(f, 0x40); /* C */
    fr_be16(f, proto);
    fr_be32(f, 0x123456u << 8);
    fr_bytes(f, opts, optlen);
    if (inner_eth)
        inner_eth_ip_tcp(f);
    else
        inner_ip_tcp(f);
    finish_udp(f, ipo, udpo);
    return udpo;
}

START_TEST(test_geneve)
{
    /* Two options: class 0x0102 type 3 with 4 data bytes, class 0xffff type
     * 0x80 with none. */
    static const uint8_t opts[] = {1, 2, 3, 1, 0xa, 0xb, 0xc, 0xd, 0xff, 0xff, 0x80, 0};
    struct fr f;
    pktd_packet p, in;
    size_t udpo = geneve_frame(&f, 3, 0x6558, opts, sizeof opts, 1);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_GENEVE);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0x123456);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GENEVE) | L(ETH) | L(IPV4) | L(TCP));
    ASSERT_HEADER(&in, PKTD_LAYER_GENEVE, b, udpo + 8, 20);
    ck_assert_uint_eq(field(&in, PKTD_TF_VNI), 0x123456);
    ck_assert_uint_eq(field(&in, PKTD_TF_VERSION), 0);
    ck_assert_uint_eq(field(&in, PKTD_TF_FLAGS), 0x40);
    ck_assert_uint_eq(field(&in, PKTD_TF_PROTOCOL), 0x6558);
    ck_assert_uint_eq(field(&in, PKTD_TF_OPT_LEN), 12);
    uint32_t c = 0, type;
    const uint8_t *d;
    size_t n;
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &type, &d, &n), 1);
    ck_assert_uint_eq(type, 0x010203);
    ck_assert_ptr_eq(d, b + udpo + 8 + 8 + 4);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &type, &d, &n), 1);
    ck_assert_uint_eq(type, 0xffff80);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, NULL, NULL, NULL, NULL), 0);
    assert_inner_tcp(&in);

    /* IPv4 directly (protocol 0x0800). */
    geneve_frame(&f, 0, 0x0800, NULL, 0, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_IPV4);
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GENEVE) | L(IPV4) | L(TCP));
    assert_inner_tcp(&in);

    /* An option longer than the option bytes. */
    static const uint8_t bad[] = {1, 2, 3, 2, 0, 0, 0, 0};
    geneve_frame(&f, 2, 0x6558, bad, sizeof bad, 1);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_GENEVE,
                PKTD_R_GENEVE_OPT_OVERRUN, 12, 8);
    /* Version 1. */
    geneve_frame(&f, 0x40, 0x6558, NULL, 0, 1);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_GENEVE,
                PKTD_R_GENEVE_VERSION, 1, 0);
    /* Options cut by the capture, and the fixed header cut. */
    udpo = geneve_frame(&f, 3, 0x6558, opts, sizeof opts, 1);
    b = exact(&f, udpo + 8 + 14);
    ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + 14));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GENEVE,
                PKTD_R_GENEVE_SHORT, 20, 14);
    b = exact(&f, udpo + 8 + 5);
    ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + 5));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GENEVE,
                PKTD_R_GENEVE_SHORT, 8, 5);
    free_copies();
}
END_TEST

/* GTP-U: flags, type, then the optional part and extensions in @p ext
 * (written as they are), and an inner IPv4 packet when @p gpdu; the length
 * field is computed unless @p len_override. */
static size_t gtpu_frame(struct fr *f, uint8_t flags, uint8_t type, const uint8_t *ext,
                         size_t extlen, int len_delta)
{
    size_t ipo;
    size_t udpo = outer_udp(f, &ipo, PKTD_GTPU_PORT);
    size_t g = fr_u8(f, flags);
    fr_u8(f, type);
    fr_be16(f, 0);
    fr_be32(f, 0xcafe0001u);
    fr_bytes(f, ext, extlen);
    if (type == 255)
        inner_ip_tcp(f);
    fr_put_be16(f, g + 2, (uint16_t)((int)(f->len - g - 8) + len_delta));
    finish_udp(f, ipo, udpo);
    return udpo;
}

START_TEST(test_gtpu)
{
    struct fr f;
    pktd_packet p, in;
    size_t udpo = gtpu_frame(&f, 0x30, 255, NULL, 0, 0);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_GTPU);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0xcafe0001u);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GTPU) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_RAW);
    ASSERT_HEADER(&in, PKTD_LAYER_GTPU, b, udpo + 8, 8);
    ck_assert_uint_eq(field(&in, PKTD_TF_TEID), 0xcafe0001u);
    ck_assert_uint_eq(field(&in, PKTD_TF_MSG_TYPE), 255);
    ck_assert_uint_eq(field(&in, PKTD_TF_VERSION), 1);
    ck_assert_uint_eq(field(&in, PKTD_TF_LENGTH), 40);
    ck_assert_uint_eq(field(&in, PKTD_TF_OPT_LEN), 0);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_SEQ, NULL), 0);
    assert_inner_tcp(&in);

    /* S, PN and E: sequence 0x1234, N-PDU 9, a PDU session container
     * (type 0x85, length 1: 2 bytes of content) ending the chain. */
    static const uint8_t ext[] = {0x12, 0x34, 9, 0x85, 1, 0xaa, 0xbb, 0};
    udpo = gtpu_frame(&f, 0x37, 255, ext, sizeof ext, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ASSERT_HEADER(&in, PKTD_LAYER_GTPU, b, udpo + 8, 16);
    ck_assert_uint_eq(field(&in, PKTD_TF_SEQ), 0x1234);
    ck_assert_uint_eq(field(&in, PKTD_TF_NPDU), 9);
    ck_assert_uint_eq(field(&in, PKTD_TF_OPT_LEN), 8);
    uint32_t c = 0, type;
    const uint8_t *d;
    size_t n;
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &type, &d, &n), 1);
    ck_assert_uint_eq(type, 0x85);
    ck_assert_ptr_eq(d, b + udpo + 8 + 13);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &type, &d, &n), 0);
    assert_inner_tcp(&in);

    /* Extension header of length 0. */
    static const uint8_t ext0[] = {0, 0, 0, 0x85, 0, 0, 0, 0};
    gtpu_frame(&f, 0x34, 255, ext0, sizeof ext0, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_EXT_LEN, 0x85, 0);
    /* The extension runs past the length field. */
    static const uint8_t ext1[] = {0, 0, 0, 0x85, 1, 0, 0, 0};
    gtpu_frame(&f, 0x34, 1, ext1, sizeof ext1, -2);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_LENGTH, 8, 6);
    /* Cut by the capture in the optional part, and in an extension. */
    udpo = gtpu_frame(&f, 0x37, 255, ext, sizeof ext, 0);
    b = exact(&f, udpo + 8 + 10);
    ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + 10));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_SHORT, 12, 10);
    b = exact(&f, udpo + 8 + 14);
    ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + 14));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_SHORT, 16, 14);
    b = exact(&f, udpo + 8 + 7);
    ASSERT_OK(&p, decode_eth(&p, b, udpo + 8 + 7));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_SHORT, 8, 7);
    free_copies();
    /* GTPv2 and GTP' are not GTP-U. */
    gtpu_frame(&f, 0x48, 255, NULL, 0, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_VERSION, 2, 0);
    gtpu_frame(&f, 0x20, 255, NULL, 0, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_GTPU,
                PKTD_R_GTPU_VERSION, 1, 0);
    /* An echo request: the header only, nothing inner decoded. */
    gtpu_frame(&f, 0x32, 1, (const uint8_t[]){0, 1, 0, 0}, 4, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GTPU));
    ck_assert_uint_eq(pktd_packet_linktype(&in), 0);
    ck_assert_uint_eq(field(&in, PKTD_TF_SEQ), 1);
    free_copies();
}
END_TEST

static const struct fr_ip4 ip_gre = {.ttl = 64, .proto = 47, .src = FR_IP_SRC, .dst = FR_IP_DST};

/* IPv4 carrying GRE with @p flags, protocol @p proto and the optional
 * words in @p opt; returns the GRE header's offset. */
static size_t gre_frame(struct fr *f, size_t *ipo, uint16_t flags, uint16_t proto,
                        const uint32_t *opt, size_t nopt)
{
    fr_init(f);
    fr_eth(f, 0x0800);
    *ipo = fr_ip4(f, &ip_gre);
    size_t at = fr_be16(f, flags);
    fr_be16(f, proto);
    for (size_t i = 0; i < nopt; i++)
        fr_be32(f, opt[i]);
    return at;
}

START_TEST(test_gre)
{
    struct fr f;
    size_t ipo;
    pktd_packet p, in;
    /* Plain GRE carrying IPv4. */
    size_t g = gre_frame(&f, &ipo, 0, 0x0800, NULL, 0);
    inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ASSERT_PAYLOAD(&p, b, g, f.len - g);
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_GRE);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_IPV4);
    ASSERT_HEADER(&in, PKTD_LAYER_GRE, b, g, 4);
    ck_assert_uint_eq(field(&in, PKTD_TF_PROTOCOL), 0x0800);
    ck_assert_uint_eq(field(&in, PKTD_TF_FLAGS), 0);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_KEY, NULL), 0);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_SEQ, NULL), 0);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_CHECKSUM, NULL), 0);
    ASSERT_CSUM(gre, &in, CSUM_UNVERIFIED);
    assert_inner_tcp(&in);

    /* Checksum, key and sequence number, carrying Ethernet (0x6558). */
    static const uint32_t opt[] = {0, 0x1000002au, 77};
    g = gre_frame(&f, &ipo, 0xb000, 0x6558, opt, 3);
    inner_eth_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    fr_put_be16(&f, g + 4, (uint16_t)~fr_ref_fold(fr_ref_sum(f.b + g, f.len - g, 0)));
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0x1000002au);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE) | L(ETH) | L(IPV4) | L(TCP));
    ASSERT_HEADER(&in, PKTD_LAYER_GRE, b, g, 16);
    ck_assert_uint_eq(field(&in, PKTD_TF_KEY), 0x1000002au);
    ck_assert_uint_eq(field(&in, PKTD_TF_SEQ), 77);
    ck_assert_uint_eq(field(&in, PKTD_TF_FLAGS), 0xb000);
    ck_assert_uint_eq(field(&in, PKTD_TF_VERSION), 0);
    ASSERT_CSUM(gre, &in, CSUM_GOOD);
    assert_inner_tcp(&in);
    f.b[f.len - 1] ^= 1; /* a payload byte: the GRE checksum is wrong */
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ASSERT_CSUM(gre, &in, CSUM_WRONG);
    /* Cut by the capture: not verifiable. */
    b = exact(&f, f.len - 1);
    ASSERT_OK(&p, decode_eth(&p, b, f.len - 1));
    (void)pktd_decode_inner(&p, &in);
    ASSERT_CSUM(gre, &in, CSUM_UNVERIFIED);
    /* The header cut inside its key. */
    b = exact(&f, g + 10);
    ASSERT_OK(&p, decode_eth(&p, b, g + 10));
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0);
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GRE,
                PKTD_R_GRE_SHORT, 16, 10);
    b = exact(&f, g + 3);
    ASSERT_OK(&p, decode_eth(&p, b, g + 3));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_GRE,
                PKTD_R_GRE_SHORT, 4, 3);
    free_copies();

    /* Version 1 (PPTP) and routing (RFC 1701): not decoded. */
    gre_frame(&f, &ipo, 0x2001, 0x880b, opt, 2);
    fr_ip4_finish(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_GRE,
                PKTD_R_GRE_VERSION, 1, 0);
    gre_frame(&f, &ipo, 0x4000, 0x0800, opt, 2);
    fr_ip4_finish(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_GRE,
                PKTD_R_GRE_ROUTING, 0, 0);
    /* An unknown protocol: the GRE header, the rest is payload. */
    g = gre_frame(&f, &ipo, 0, 0x9999, NULL, 0);
    fr_fill(&f, 0x77, 10);
    fr_ip4_finish(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE));
    ck_assert_uint_eq(pktd_packet_linktype(&in), 0);
    ASSERT_PAYLOAD(&in, b, g + 4, 10);
    free_copies();
}
END_TEST

START_TEST(test_erspan)
{
    struct fr f;
    size_t ipo;
    pktd_packet p, in;
    /* Type II: GRE with S, protocol 0x88be, 8-byte header, version 1,
     * session 666. */
    static const uint32_t seq[] = {5};
    size_t g = gre_frame(&f, &ipo, 0x1000, 0x88be, seq, 1);
    fr_be16(&f, 0x1000 | 101); /* version 1, VLAN 101 */
    fr_be16(&f, 666);
    fr_be32(&f, 0);
    inner_eth_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE) | L(ERSPAN) | L(ETH) | L(IPV4) | L(TCP));
    ASSERT_HEADER(&in, PKTD_LAYER_GRE, b, g, 8);
    ASSERT_HEADER(&in, PKTD_LAYER_ERSPAN, b, g + 8, 8);
    ck_assert_uint_eq(field(&in, PKTD_TF_ERSPAN_VERSION), 1);
    ck_assert_uint_eq(field(&in, PKTD_TF_SESSION), 666);
    ck_assert_uint_eq(field(&in, PKTD_TF_SEQ), 5);
    assert_inner_tcp(&in);
    /* ERSPAN header cut: the GRE layer stands. */
    b = exact(&f, g + 12);
    ASSERT_OK(&p, decode_eth(&p, b, g + 12));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_ERSPAN,
                PKTD_R_ERSPAN_SHORT, 8, 4);
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE));
    ASSERT_HEADER(&in, PKTD_LAYER_GRE, b, g, 8);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_SESSION, NULL), 0);
    free_copies();

    /* Type I: no S bit, no ERSPAN header. */
    g = gre_frame(&f, &ipo, 0, 0x88be, NULL, 0);
    inner_eth_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE) | L(ETH) | L(IPV4) | L(TCP));
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_ERSPAN_VERSION, NULL), 0);

    /* Type III, version 2, session 3, with the platform subheader (O). */
    g = gre_frame(&f, &ipo, 0x1000, 0x22eb, seq, 1);
    fr_be16(&f, 0x2000);
    fr_be16(&f, 3);
    fr_be32(&f, 0x11223344u); /* timestamp */
    fr_be16(&f, 0);
    fr_be16(&f, 0x0001); /* frame type 0 (Ethernet), O */
    fr_fill(&f, 0, 8);
    inner_eth_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ASSERT_HEADER(&in, PKTD_LAYER_ERSPAN, b, g + 8, 20);
    ck_assert_uint_eq(field(&in, PKTD_TF_ERSPAN_VERSION), 2);
    ck_assert_uint_eq(field(&in, PKTD_TF_SESSION), 3);
    assert_inner_tcp(&in);
    /* A wrong version. */
    f.b[g + 8] = 0x30;
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_UNSUPPORTED, PKTD_LAYER_ERSPAN,
                PKTD_R_ERSPAN_VERSION, 3, 0);
    free_copies();
}
END_TEST

/* GRE carrying MPLS carrying IPv4: two levels. */
START_TEST(test_gre_mpls)
{
    struct fr f;
    size_t ipo;
    pktd_packet p, in, in2;
    size_t g = gre_frame(&f, &ipo, 0, 0x8847, NULL, 0);
    fr_be32(&f, 16u << 12 | 0x100 | 64);
    inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(GRE));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_MPLS);
    ck_assert_uint_eq(pktd_packet_tunnel(&in), PKTD_TUNNEL_MPLS);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&in), 16);
    ASSERT_OK(&in2, pktd_decode_inner(&in, &in2));
    ck_assert_uint_eq(pktd_packet_depth(&in2), 2);
    ck_assert_uint_eq(pktd_packet_layers(&in2), L(MPLS) | L(IPV4) | L(TCP));
    ASSERT_HEADER(&in2, PKTD_LAYER_MPLS, b, g + 4, 4);
    assert_inner_tcp(&in2);
    free_copies();
}
END_TEST

START_TEST(test_ipip)
{
    struct fr f;
    pktd_packet p, in;
    /* IPv4 in IPv4 (4) and IPv6 in IPv4 (41). */
    struct fr_ip4 ip = {.ttl = 64, .proto = 4, .src = FR_IP_SRC, .dst = FR_IP_DST};
    fr_init(&f);
    fr_eth(&f, 0x0800);
    size_t ipo = fr_ip4(&f, &ip);
    size_t inner = inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH) | L(IPV4));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_IPIP);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_encap(&in), PKTD_TUNNEL_IPIP);
    ASSERT_HEADER(&in, PKTD_LAYER_IPV4, b, inner, 20);
    assert_inner_tcp(&in);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_VNI, NULL), 0);

    /* Protocol 41 with an IPv4 inside: the IPv6 decoder says so. */
    f.b[ipo + 9] = 41;
    fr_ip4_checksum(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_IPV6,
                PKTD_R_IPV6_VERSION, 4, 0);
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_IPV6);

    /* A fragment is not decoded as a tunnel. */
    f.b[ipo + 9] = 4;
    fr_put_be16(&f, ipo + 6, 0x2000);
    fr_ip4_checksum(&f, ipo);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);

    /* IPv4 in IPv6 (next header 4), from a raw IPv6 link. */
    fr_init(&f);
    fr_be32(&f, 0x60000000u);
    fr_be16(&f, 40);
    fr_u8(&f, 4);
    fr_u8(&f, 64);
    fr_fill(&f, 0x20, 32);
    inner_ip_tcp(&f);
    b = exact(&f, f.len);
    ASSERT_OK(&p, pktd_decode(&p, PKTD_LINKTYPE_IPV6, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_IPIP);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ASSERT_HEADER(&in, PKTD_LAYER_IPV4, b, 40, 20);
    assert_inner_tcp(&in);
    free_copies();
}
END_TEST

static size_t mpls_frame(struct fr *f, uint16_t type, uint32_t labels)
{
    fr_init(f);
    fr_eth(f, type);
    size_t at = f->len;
    for (uint32_t i = 0; i < labels; i++)
        fr_be32(f, (100u + i) << 12 | (uint32_t)(i % 8) << 9 | (i + 1 == labels ? 0x100u : 0) |
                       (64u - i));
    return at;
}

START_TEST(test_mpls)
{
    struct fr f;
    pktd_packet p, in;
    size_t m = mpls_frame(&f, 0x8847, 2);
    inner_ip_tcp(&f);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_layers(&p), L(ETH));
    ck_assert_uint_eq(pktd_eth_type(&p), 0x8847);
    ASSERT_PAYLOAD(&p, b, 14, f.len - 14);
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_MPLS);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 100);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(MPLS) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_RAW);
    ASSERT_HEADER(&in, PKTD_LAYER_MPLS, b, m, 8);
    ck_assert_uint_eq(pktd_mpls_depth(&in), 2);
    uint32_t label, tc, bos, ttl;
    ck_assert_int_eq(pktd_mpls_entry(&in, 0, &label, &tc, &bos, &ttl), 1);
    ck_assert_uint_eq(label, 100);
    ck_assert_uint_eq(tc, 0);
    ck_assert_uint_eq(bos, 0);
    ck_assert_uint_eq(ttl, 64);
    ck_assert_int_eq(pktd_mpls_entry(&in, 1, &label, &tc, &bos, &ttl), 1);
    ck_assert_uint_eq(label, 101);
    ck_assert_uint_eq(tc, 1);
    ck_assert_uint_eq(bos, 1);
    ck_assert_uint_eq(ttl, 63);
    ck_assert_int_eq(pktd_mpls_entry(&in, 2, &label, NULL, NULL, NULL), 0);
    ck_assert_int_eq(pktd_mpls_entry(&p, 0, NULL, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(pktd_mpls_depth(&p), 0);
    assert_inner_tcp(&in);

    /* Behind a VLAN tag, and multicast MPLS. */
    fr_init(&f);
    fr_eth(&f, 0x8100);
    fr_vlan(&f, 5, 0x8848);
    fr_be32(&f, 7u << 12 | 0x100 | 1);
    inner_ip_tcp(&f);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_MPLS);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    assert_inner_tcp(&in);

    /* A pseudowire control word (first nibble 0): not decoded. */
    mpls_frame(&f, 0x8847, 1);
    fr_be32(&f, 0);
    inner_eth_ip_tcp(&f);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(MPLS));
    ck_assert_uint_eq(pktd_packet_linktype(&in), 0);
    ASSERT_PAYLOAD(&in, b, 18, f.len - 18);
    free_copies();

    /* The depth limit: 16 entries decode, 17 do not. */
    mpls_frame(&f, 0x8847, PKTD_MPLS_MAX_DEPTH);
    inner_ip_tcp(&f);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_mpls_depth(&in), PKTD_MPLS_MAX_DEPTH);
    mpls_frame(&f, 0x8847, PKTD_MPLS_MAX_DEPTH + 1);
    inner_ip_tcp(&f);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_MPLS,
                PKTD_R_MPLS_DEPTH, PKTD_MPLS_MAX_DEPTH, 0);
    /* Cut in the second entry, and no entry at all. */
    mpls_frame(&f, 0x8847, 2);
    b = exact(&f, 14 + 6);
    ASSERT_OK(&p, decode_eth(&p, b, 14 + 6));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_MPLS,
                PKTD_R_MPLS_SHORT, 1, 2);
    b = exact(&f, 14);
    ASSERT_OK(&p, decode_eth(&p, b, 14));
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0);
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_MPLS,
                PKTD_R_MPLS_SHORT, 0, 0);
    free_copies();
}
END_TEST

static size_t pppoe_frame(struct fr *f, uint16_t type, uint8_t vertype, uint8_t code,
                          uint16_t session, int len_delta)
{
    fr_init(f);
    fr_eth(f, type);
    size_t at = fr_u8(f, vertype);
    fr_u8(f, code);
    fr_be16(f, session);
    fr_be16(f, 0);
    if (type == 0x8864) {
        fr_be16(f, 0x0021);
        inner_ip_tcp(f);
    } else {
        fr_be32(f, 0x01010000u); /* Service-Name, empty */
    }
    fr_put_be16(f, at + 4, (uint16_t)((int)(f->len - at - 6) + len_delta));
    return at;
}

START_TEST(test_pppoe)
{
    struct fr f;
    pktd_packet p, in;
    size_t h = pppoe_frame(&f, 0x8864, 0x11, 0, 0x1234, 0);
    fr_fill(&f, 0, 6); /* Ethernet padding: excluded by the PPPoE length */
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_PPPOE);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0x1234);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(PPPOE) | L(PPP) | L(IPV4) | L(TCP));
    ck_assert_uint_eq(pktd_packet_linktype(&in), PKTD_LINKTYPE_PPP);
    ASSERT_HEADER(&in, PKTD_LAYER_PPPOE, b, h, 6);
    ck_assert_uint_eq(pktd_ppp_protocol(&in), 0x0021);
    ck_assert_uint_eq(field(&in, PKTD_TF_SESSION), 0x1234);
    ck_assert_uint_eq(field(&in, PKTD_TF_CODE), 0);
    ck_assert_uint_eq(field(&in, PKTD_TF_VERSION), 1);
    ck_assert_uint_eq(field(&in, PKTD_TF_LENGTH), 2 + 40);
    ck_assert_uint_eq(pktd_packet_flags(&in) & PKTD_F_IPV4_PADDING, 0);
    assert_inner_tcp(&in);

    /* Malformed: version/type, a session code, no PPP protocol. */
    pppoe_frame(&f, 0x8864, 0x21, 0, 1, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_PPPOE,
                PKTD_R_PPPOE_VERTYPE, 2, 1);
    pppoe_frame(&f, 0x8864, 0x11, 7, 1, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_PPPOE,
                PKTD_R_PPPOE_CODE, 7, 0);
    pppoe_frame(&f, 0x8864, 0x11, 0, 1, -42);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_MALFORMED, PKTD_LAYER_PPPOE,
                PKTD_R_PPPOE_LEN, 0, 0);
    /* Truncated header. */
    b = exact(&f, 14 + 5);
    ASSERT_OK(&p, decode_eth(&p, b, 14 + 5));
    ASSERT_STOP(&in, pktd_decode_inner(&p, &in), PKTD_E_TRUNCATED, PKTD_LAYER_PPPOE,
                PKTD_R_PPPOE_SHORT, 6, 5);
    free_copies();

    /* Discovery (PADI): recognised, the tags are payload. */
    h = pppoe_frame(&f, 0x8863, 0x11, 0x09, 0, 0);
    b = exact(&f, f.len);
    ASSERT_OK(&p, decode_eth(&p, b, f.len));
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_PPPOED);
    ASSERT_OK(&in, pktd_decode_inner(&p, &in));
    ck_assert_uint_eq(pktd_packet_layers(&in), L(PPPOE));
    ck_assert_uint_eq(field(&in, PKTD_TF_CODE), 0x09);
    ASSERT_PAYLOAD(&in, b, h + 6, 4);
    free_copies();
}
END_TEST

/* IPv4 in IPv4, @p levels deep, TCP at the bottom. */
static void ipip_chain(struct fr *f, int levels)
{
    struct fr_ip4 ip = {.ttl = 64, .proto = 4, .src = FR_IP_SRC, .dst = FR_IP_DST};
    size_t offs[8];
    fr_init(f);
    fr_eth(f, 0x0800);
    for (int i = 0; i < levels; i++)
        offs[i] = fr_ip4(f, &ip);
    inner_ip_tcp(f);
    for (int i = levels - 1; i >= 0; i--)
        fr_ip4_finish(f, offs[i]);
}

START_TEST(test_nesting)
{
    struct fr f;
    pktd_packet lv[PKTD_TUNNEL_MAX_DEPTH + 2];
    /* 4 tunnels: levels 1..4 decode, the last is the TCP packet. */
    ipip_chain(&f, PKTD_TUNNEL_MAX_DEPTH);
    const uint8_t *b = exact(&f, f.len);
    ASSERT_OK(&lv[0], decode_eth(&lv[0], b, f.len));
    for (int i = 1; i <= PKTD_TUNNEL_MAX_DEPTH; i++) {
        ASSERT_OK(&lv[i], pktd_decode_inner(&lv[i - 1], &lv[i]));
        ck_assert_uint_eq(pktd_packet_depth(&lv[i]), (uint32_t)i);
    }
    assert_inner_tcp(&lv[PKTD_TUNNEL_MAX_DEPTH]);
    /* 5 tunnels: the fifth is refused, the four above stay intact. */
    ipip_chain(&f, PKTD_TUNNEL_MAX_DEPTH + 1);
    b = exact(&f, f.len);
    ASSERT_OK(&lv[0], decode_eth(&lv[0], b, f.len));
    for (int i = 1; i <= PKTD_TUNNEL_MAX_DEPTH; i++)
        ASSERT_OK(&lv[i], pktd_decode_inner(&lv[i - 1], &lv[i]));
    ck_assert_uint_eq(pktd_packet_tunnel(&lv[PKTD_TUNNEL_MAX_DEPTH]), PKTD_TUNNEL_IPIP);
    pktd_packet *last = &lv[PKTD_TUNNEL_MAX_DEPTH + 1];
    ASSERT_STOP(last, pktd_decode_inner(&lv[PKTD_TUNNEL_MAX_DEPTH], last), PKTD_E_MALFORMED,
                PKTD_LAYER_NONE, PKTD_R_TUNNEL_DEPTH, PKTD_TUNNEL_MAX_DEPTH, 0);
    ASSERT_MSG(last, "more than 4 nested tunnels");
    ck_assert_uint_eq(pktd_packet_depth(last), PKTD_TUNNEL_MAX_DEPTH);
    ck_assert_int_eq(pktd_packet_payload(last, NULL, NULL), 0);
    ck_assert(pktd_packet_has(&lv[PKTD_TUNNEL_MAX_DEPTH], PKTD_LAYER_IPV4));
    free_copies();
}
END_TEST

/* Two states decoded alike: the same error, layers, flags and fields. */
static void assert_same(const pktd_packet *a, const pktd_packet *b)
{
    ck_assert_int_eq(pktd_packet_error(a), pktd_packet_error(b));
    ck_assert_uint_eq(pktd_packet_layers(a), pktd_packet_layers(b));
    ck_assert_uint_eq(pktd_packet_flags(a), pktd_packet_flags(b));
    ck_assert_uint_eq(pktd_packet_depth(a), pktd_packet_depth(b));
    uint32_t va[PKTD_FIELD_COUNT_], vb[PKTD_FIELD_COUNT_];
    pktd_packet_fields(a, va, PKTD_FIELD_COUNT_);
    pktd_packet_fields(b, vb, PKTD_FIELD_COUNT_);
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
        ck_assert_msg(va[i] == vb[i], "field %s: %u, %u", pktd_field_name(i), va[i], vb[i]);
}

/* pktd_packet_level_next() on the frame in @p f: @p n levels, the zones
 * of levels 1.. in @p zones, each level equal to what pktd_decode_inner()
 * gives, the outer state left alone; then the walk stays ended.  Returns
 * the last level's state, in @p lv (copied there when it is the frame's
 * own state, which lives on this function's stack). */
static const pktd_packet *walk(const struct fr *f, pktd_packet lv[2], uint32_t n,
                               const uint64_t *zones)
{
    const uint8_t *b = exact(f, f->len);
    pktd_packet p, ref[PKTD_TUNNEL_MAX_DEPTH + 1];
    (void)decode_eth(&p, b, f->len);
    ref[0] = p;
    const pktd_packet *level = NULL;
    uint64_t zone = 1;
    uint32_t c = 0, k = 0;
    while (pktd_packet_level_next(&p, &c, lv, &level, &zone)) {
        ck_assert_uint_lt(k, n);
        ck_assert_uint_eq(c, k + 1);
        ck_assert_uint_eq(zone, k == 0 ? 0 : zones[k - 1]);
        if (k == 0) {
            ck_assert_ptr_eq(level, &p);
        } else {
            ck_assert_uint_eq(pktd_packet_tunnel_zone(&ref[k - 1]), zones[k - 1]);
            (void)pktd_decode_inner(&ref[k - 1], &ref[k]);
            ck_assert_ptr_eq(level, &lv[k & 1u]);
            assert_same(level, &ref[k]);
        }
        k++;
    }
    ck_assert_uint_eq(k, n);
    assert_same(&p, &ref[0]);
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, &level, &zone), 0);
    ck_assert_uint_eq(c, n);
    if (level == &p) { /* no tunnel: the level is this frame's own p */
        lv[0] = p;
        level = &lv[0];
    }
    return level;
}

#define ZONE(type, id) ((uint64_t)PKTD_TUNNEL_##type << 32 | (uint32_t)(id))

/* The flow zone and the level walk (session 5): every kind of tunnel, none,
 * nested ones, the depth limit, a level that fails part-way, arguments. */
START_TEST(test_levels)
{
    struct fr f;
    size_t udpo, ipo;
    pktd_packet lv[2];
    /* No tunnel: the packet alone, in zone 0. */
    fr_init(&f);
    fr_eth(&f, 0x0800);
    inner_ip_tcp(&f);
    assert_inner_tcp(walk(&f, lv, 1, NULL));
    /* One level of each kind, the identifier in the low 32 bits. */
    vxlan_frame(&f, &udpo, 0x08, 0xabcdef);
    uint64_t z = ZONE(VXLAN, 0xabcdef);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    geneve_frame(&f, 0, 0x6558, NULL, 0, 1);
    z = ZONE(GENEVE, 0x123456);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    gtpu_frame(&f, 0x30, 255, NULL, 0, 0);
    z = ZONE(GTPU, 0xcafe0001u);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    static const uint32_t key = 0xfedcba98u;
    gre_frame(&f, &ipo, 0x2000, 0x0800, &key, 1);
    inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    z = ZONE(GRE, key);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    gre_frame(&f, &ipo, 0, 0x0800, NULL, 0);
    inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    z = ZONE(GRE, 0);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    ipip_chain(&f, 1);
    z = ZONE(IPIP, 0);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    mpls_frame(&f, 0x8847, 2);
    inner_ip_tcp(&f);
    z = ZONE(MPLS, 100);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    pppoe_frame(&f, 0x8864, 0x11, 0, 0x1234, 0);
    z = ZONE(PPPOE, 0x1234);
    assert_inner_tcp(walk(&f, lv, 2, &z));
    pppoe_frame(&f, 0x8863, 0x11, 0x09, 0x4321, 0);
    z = ZONE(PPPOED, 0x4321);
    ck_assert_uint_eq(pktd_packet_layers(walk(&f, lv, 2, &z)), L(PPPOE));
    free_copies();
    /* Nested: GRE carrying MPLS, two levels in two zones. */
    gre_frame(&f, &ipo, 0, 0x8847, NULL, 0);
    fr_be32(&f, 16u << 12 | 0x100 | 64);
    inner_ip_tcp(&f);
    fr_ip4_finish(&f, ipo);
    const uint64_t gre_mpls[] = {ZONE(GRE, 0), ZONE(MPLS, 16)};
    assert_inner_tcp(walk(&f, lv, 3, gre_mpls));
    /* At the depth limit every level is given; past it the walk ends at
     * depth PKTD_TUNNEL_MAX_DEPTH, on a level that still has a tunnel. */
    const uint64_t ipip[PKTD_TUNNEL_MAX_DEPTH] = {ZONE(IPIP, 0), ZONE(IPIP, 0), ZONE(IPIP, 0),
                                                  ZONE(IPIP, 0)};
    ipip_chain(&f, PKTD_TUNNEL_MAX_DEPTH);
    assert_inner_tcp(walk(&f, lv, PKTD_TUNNEL_MAX_DEPTH + 1, ipip));
    ipip_chain(&f, PKTD_TUNNEL_MAX_DEPTH + 1);
    ck_assert_uint_eq(pktd_packet_tunnel(walk(&f, lv, PKTD_TUNNEL_MAX_DEPTH + 1, ipip)),
                      PKTD_TUNNEL_IPIP);
    free_copies();
    /* In place: the outer packet in lv[0], overwritten by level 2. */
    ipip_chain(&f, 3);
    const uint8_t *b = exact(&f, f.len);
    (void)decode_eth(&lv[0], b, f.len);
    const pktd_packet *level;
    uint32_t c = 0, k = 0;
    while (pktd_packet_level_next(&lv[0], &c, lv, &level, NULL))
        ck_assert_uint_eq(pktd_packet_depth(level), k++);
    ck_assert_uint_eq(k, 4);
    assert_inner_tcp(level);
    /* A level that fails part-way is still given, with its error. */
    vxlan_frame(&f, &udpo, 0x08, 7);
    b = exact(&f, f.len - 10);
    pktd_packet p;
    (void)decode_eth(&p, b, f.len - 10);
    c = 0;
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, NULL, NULL), 1);
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, &level, NULL), 1);
    ck_assert_int_eq(pktd_packet_error(level), PKTD_E_TRUNCATED);
    ck_assert(pktd_packet_has(level, PKTD_LAYER_VXLAN));
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, &level, NULL), 0);
    /* Arguments: NULL state or cursor, a cursor never handed out, no
     * levels (the packet only), the packet in levels[1]. */
    uint64_t zone = 5;
    c = 0;
    ck_assert_int_eq(pktd_packet_level_next(NULL, &c, lv, &level, &zone), 0);
    ck_assert_int_eq(pktd_packet_level_next(&p, NULL, lv, &level, &zone), 0);
    c = PKTD_TUNNEL_MAX_DEPTH + 2;
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, &level, &zone), 0);
    c = UINT32_MAX;
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, lv, &level, &zone), 0);
    ck_assert_uint_eq(zone, 5);
    c = 0;
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, NULL, &level, &zone), 1);
    ck_assert_ptr_eq(level, &p);
    ck_assert_uint_eq(zone, 0);
    ck_assert_int_eq(pktd_packet_level_next(&p, &c, NULL, &level, &zone), 0);
    lv[1] = p;
    c = 0;
    ck_assert_int_eq(pktd_packet_level_next(&lv[1], &c, lv, NULL, NULL), 1);
    ck_assert_int_eq(pktd_packet_level_next(&lv[1], &c, lv, NULL, NULL), 0);
    ck_assert_uint_eq(pktd_packet_tunnel_zone(&p), ZONE(VXLAN, 7));
    free_copies();
}
END_TEST

START_TEST(test_arguments_and_names)
{
    pktd_packet p, in;
    ck_assert_int_eq(pktd_decode_inner(NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_decode_inner(NULL, &in), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_packet_error(&in), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, NULL, 0), PKTD_E_TRUNCATED);
    ck_assert_int_eq(pktd_decode_inner(&p, &p), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, NULL, 0), PKTD_E_TRUNCATED);
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_NONE);
    ck_assert_uint_eq(pktd_packet_tunnel_id(&p), 0);
    ck_assert_int_eq(pktd_decode_inner(&p, &in), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_VNI, NULL), 0);
    uint32_t c = 0;
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, NULL, NULL, NULL), 0);
    static const char *const names[] = {"none", "mpls", "pppoe", "pppoed", "gre",
                                        "ipip", "vxlan", "geneve", "gtpu"};
    ck_assert_uint_eq(sizeof names / sizeof names[0], PKTD_TUNNEL_COUNT_);
    for (uint32_t t = 0; t < PKTD_TUNNEL_COUNT_; t++)
        ck_assert_str_eq(pktd_tunnel_name(t), names[t]);
    ck_assert_str_eq(pktd_tunnel_name(PKTD_TUNNEL_COUNT_), "unknown");
    ck_assert_str_eq(pktd_field_name(PKTD_FIELD_TUNNEL_TYPE), "tunnel.type");
    ck_assert_str_eq(pktd_field_name(PKTD_FIELD_TUNNEL_ID), "tunnel.id");
    /* Pinned values. */
    ck_assert_uint_eq(PKTD_LAYER_GTPU, 22);
    ck_assert_uint_eq(PKTD_R_TUNNEL_NONE, 54);
    ck_assert_uint_eq(PKTD_R_GTPU_EXT_LEN, 74);
}
END_TEST

/* Review findings (session 4): iterator cursors the walk never hands out
 * end the walk instead of reading past the header or looping, and a GTP-U
 * header longer than 65 535 bytes keeps its length (it was cut to 16 bits:
 * header length 4, options length 0xfffffffc, no extension headers). */
START_TEST(test_cursors_and_long_gtpu)
{
    /* Geneve with one 4-byte option, ending the buffer (a malloc'd copy so
     * that ASan and valgrind see a read past it). */
    size_t n = 14 + 20 + 8 + 12;
    uint8_t *b = calloc(1, n);
    ck_assert_ptr_nonnull(b);
    b[12] = 0x08;
    uint8_t *ip = b + 14;
    ip[0] = 0x45, ip[3] = 40, ip[8] = 64, ip[9] = 17;
    uint8_t *u = ip + 20;
    u[2] = 6081 >> 8, u[3] = 6081 & 0xff, u[5] = 20;
    uint8_t *g = u + 8;
    g[0] = 1, g[2] = 0x65, g[3] = 0x58;
    pktd_packet p, in;
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, b, n), 0);
    (void)pktd_decode_inner(&p, &in);
    ck_assert_uint_eq(pktd_packet_encap(&in), PKTD_TUNNEL_GENEVE);
    uint32_t c = 0, t;
    const uint8_t *d;
    size_t dl;
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &t, &d, &dl), 1);
    ck_assert_uint_eq(dl, 0);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &t, &d, &dl), 0);
    for (c = 1; c < 8; c++) {
        uint32_t cc = c;
        ck_assert_msg(pktd_tunnel_option_next(&in, &cc, &t, &d, &dl) == 0, "cursor %u", c);
    }
    free(b);

    /* GTP-U with one 4-byte extension header; cursors inside it or in the
     * fixed header end the walk. */
    uint8_t f[14 + 20 + 8 + 16] = {0};
    f[12] = 0x08;
    ip = f + 14;
    ip[0] = 0x45, ip[3] = 44, ip[8] = 64, ip[9] = 17;
    u = ip + 20;
    u[2] = 2152 >> 8, u[3] = 2152 & 0xff, u[5] = 24;
    g = u + 8;
    g[0] = 0x34, g[1] = 1, g[3] = 8, g[11] = 0x85, g[12] = 1;
    ck_assert_int_eq(pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, f, sizeof f), 0);
    (void)pktd_decode_inner(&p, &in);
    ck_assert_uint_eq(pktd_packet_encap(&in), PKTD_TUNNEL_GTPU);
    c = 0;
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &t, &d, &dl), 1);
    ck_assert_uint_eq(t, 0x85);
    ck_assert_uint_eq(dl, 2);
    ck_assert_int_eq(pktd_tunnel_option_next(&in, &c, &t, &d, &dl), 0);
    for (c = 1; c < 16; c++) {
        if (c == 12)
            continue; /* the one cursor the walk hands out */
        uint32_t cc = c;
        ck_assert_msg(pktd_tunnel_option_next(&in, &cc, &t, &d, &dl) == 0, "cursor %u", c);
    }

    /* GTP-U of 65 540 header bytes: 65 extension headers, behind an IPv4
     * total length of 0 and a UDP length of 0 (segmentation offload). */
    uint32_t gl = 65540;
    n = 14 + 20 + 8 + gl;
    b = calloc(1, n);
    ck_assert_ptr_nonnull(b);
    b[12] = 0x08;
    ip = b + 14;
    ip[0] = 0x45, ip[8] = 64, ip[9] = 17;
    u = ip + 20;
    u[2] = 2152 >> 8, u[3] = 2152 & 0xff;
    g = u + 8;
    g[0] = 0x34, g[1] = 0x01, g[2] = 0xff, g[3] = 0xff;
    uint32_t hl = 12;
    for (int i = 0; i < 65; i++) {
        uint32_t elen = i < 64 ? 1020 : 248;
        g[hl - 1] = 0x85;
        g[hl] = (uint8_t)(elen / 4);
        hl += elen;
    }
    ck_assert_uint_eq(hl, gl);
    (void)pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, b, n);
    ck_assert_uint_eq(pktd_packet_tunnel(&p), PKTD_TUNNEL_GTPU);
    (void)pktd_decode_inner(&p, &in);
    ck_assert(pktd_packet_has(&in, PKTD_LAYER_GTPU));
    const uint8_t *h;
    size_t hlen;
    ck_assert_int_eq(pktd_packet_header(&in, PKTD_LAYER_GTPU, &h, &hlen), 1);
    ck_assert_uint_eq(hlen, gl);
    uint32_t opt = 0;
    ck_assert_int_eq(pktd_tunnel_field(&in, PKTD_TF_OPT_LEN, &opt), 1);
    ck_assert_uint_eq(opt, gl - 8);
    int k = 0;
    c = 0;
    while (pktd_tunnel_option_next(&in, &c, &t, &d, &dl) && k < 1000)
        k++;
    ck_assert_int_eq(k, 65);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_tunnel");
    TCase *tc = tcase_create("tunnel");
    tcase_add_test(tc, test_vxlan);
    tcase_add_test(tc, test_vxlan_broken);
    tcase_add_test(tc, test_ports);
    tcase_add_test(tc, test_geneve);
    tcase_add_test(tc, test_gtpu);
    tcase_add_test(tc, test_gre);
    tcase_add_test(tc, test_erspan);
    tcase_add_test(tc, test_gre_mpls);
    tcase_add_test(tc, test_ipip);
    tcase_add_test(tc, test_mpls);
    tcase_add_test(tc, test_pppoe);
    tcase_add_test(tc, test_nesting);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_arguments_and_names);
    tcase_add_test(tc, test_cursors_and_long_gtpu);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
