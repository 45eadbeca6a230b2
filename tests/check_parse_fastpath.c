/* Parse area: the Ethernet fast path (lib/fastpath.c) against the general
 * decoder it short-cuts.  Its contract is exact equality, so every frame is
 * decoded both ways -- pktd_decode() (fast path first) and the general
 * layer-by-layer decoder called directly -- and everything a caller can
 * observe is compared: the return value, every field, the error values,
 * each header's bounds, the option areas, the four checksum verdicts, and
 * every accessor and iterator mixed into one number (fr_touch_all).
 *
 * Frames: every Ethernet frame of tcpdump's test captures, a matrix built
 * here of the shapes the fast path takes and the ones it must hand over
 * (tags, total lengths, fragments, TCP option layouts, UDP lengths), the
 * same for IPv6 (payload lengths, extension headers, next headers, hop
 * limits, UDP checksum 0), each
 * of them mutated at random positions of its headers (fixed seed) and,
 * for the built frames and the first frames of each capture, cut at every
 * length up to the transport header.  Every decode reads an
 * exactly-sized copy, so valgrind or ASan see any read past the frame. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet_impl.h"
#include "parse_check.h"

/* Lengths up to which every cut is tried: Ethernet, two tags, IPv6 and a
 * TCP header with 12 bytes of options (IPv4's 20-byte header fits too). */
#define CUT_ALL_UPTO 100u
#define MUTATIONS 4u
#define CORPUS_CUT_FRAMES 3u

static uint64_t frames_compared;
static uint64_t fast_shapes;  /* frames fully decoded as Ethernet/IPv4/TCP or UDP */
static uint64_t fast6_shapes; /* the same over IPv6 without extension headers */

/* Check's ck_assert_* report every passing assertion to the parent process
 * (a write(2) each); at over a million comparisons that is most of the run
 * time, so the comparisons here only call into Check when they fail. */
#define REQUIRE(cond, ...)              \
    do {                                \
        if (!(cond))                    \
            ck_abort_msg(__VA_ARGS__);  \
    } while (0)

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint32_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

static int general_decode(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, PKTD_LINKTYPE_ETHERNET, data, len, &s);
    if (rc != 0)
        return rc;
    return pktd__eth_decode(s);
}

static void same_header(const pktd_packet *a, const pktd_packet *b, uint32_t layer,
                        const char *what)
{
    const uint8_t *ha = NULL, *hb = NULL;
    size_t la = 0, lb = 0;
    int ra = pktd_packet_header(a, layer, &ha, &la);
    int rb = pktd_packet_header(b, layer, &hb, &lb);
    REQUIRE(ra == rb && ha == hb && la == lb, "%s: %s header differs (%d %zu / %d %zu)", what,
            pktd_layer_name(layer), ra, la, rb, lb);
}

/* Decode @p len bytes (from an exact copy) both ways and compare; with
 * @p all, also every accessor and iterator (which hash the whole frame: too
 * slow for every cut and mutation). */
static void same(const uint8_t *data, size_t len, const char *what, int all)
{
    uint8_t *b = fr_exact_copy(data, len);
    pktd_packet fast, gen;
    /* Different garbage in the two states: nothing stale may show. */
    memset(&fast, 0xa5, sizeof fast);
    memset(&gen, 0x5a, sizeof gen);
    int rf = pktd_decode(&fast, PKTD_LINKTYPE_ETHERNET, b, len);
    int rg = general_decode(&gen, b, len);
    REQUIRE(rf == rg, "%s (%zu bytes): fast path %d, general %d", what, len, rf, rg);
    REQUIRE(pktd_eth_parse(&fast, b, len) == rg, "%s: pktd_eth_parse differs", what);

#define SAME_RESULT(fn) \
    REQUIRE(fn(&fast) == fn(&gen), "%s (%zu bytes): %s differs", what, len, #fn)
    uint32_t vf[PKTD_FIELD_COUNT_], vg[PKTD_FIELD_COUNT_];
    pktd_packet_fields(&fast, vf, PKTD_FIELD_COUNT_);
    pktd_packet_fields(&gen, vg, PKTD_FIELD_COUNT_);
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
        REQUIRE(vf[i] == vg[i], "%s (%zu bytes): %s fast %u, general %u", what, len,
                pktd_field_name(i), vf[i], vg[i]);
    SAME_RESULT(pktd_packet_error_value);
    SAME_RESULT(pktd_packet_error_value2);
    for (uint32_t layer = 0; layer < PKTD_LAYER_COUNT_; layer++)
        same_header(&fast, &gen, layer, what);
    SAME_RESULT(pktd_ipv4_checksum_ok);
    SAME_RESULT(pktd_tcp_checksum_ok);
    SAME_RESULT(pktd_udp_checksum_ok);
    SAME_RESULT(pktd_icmp_checksum_ok);
    SAME_RESULT(pktd_ipv4_checksum_bad);
    SAME_RESULT(pktd_tcp_checksum_bad);
    SAME_RESULT(pktd_udp_checksum_bad);
    SAME_RESULT(pktd_icmp_checksum_bad);
    SAME_RESULT(pktd_icmpv6_checksum_ok);
    SAME_RESULT(pktd_icmpv6_checksum_bad);
    if (all)
        REQUIRE(fr_touch_all(&fast) == fr_touch_all(&gen), "%s (%zu bytes): accessors differ",
                what, len);


    uint32_t l4 = PKTD__BIT(PKTD_LAYER_TCP) | PKTD__BIT(PKTD_LAYER_UDP);
    if (rg == 0 && (vg[PKTD_FIELD_LAYERS] & PKTD__BIT(PKTD_LAYER_IPV4)) &&
        (vg[PKTD_FIELD_LAYERS] & l4))
        fast_shapes++;
    if (rg == 0 && (vg[PKTD_FIELD_LAYERS] & PKTD__BIT(PKTD_LAYER_IPV6)) &&
        (vg[PKTD_FIELD_LAYERS] & l4) && vg[PKTD_FIELD_IPV6_EXT_COUNT] == 0)
        fast6_shapes++;
    frames_compared++;
    free(b);
}

/* The frame, with @p cuts every cut of it up to CUT_ALL_UPTO bytes, and
 * MUTATIONS copies with one header byte changed. */
static void same_cut_and_mutated(const uint8_t *data, size_t len, const char *what, int cuts)
{
    same(data, len, what, 1);
    for (size_t n = 0; cuts && n < len && n <= CUT_ALL_UPTO; n++)
        same(data, n, what, 0);
    if (len == 0)
        return;
    static const uint8_t values[] = {0x00, 0xff, 0x45, 0x46, 0x4f, 0x08, 0x81, 0x88, 0xa8,
                                     0x06, 0x11, 0x01, 0x50, 0x80, 0x20, 0x3f, 0x0a, 0x14};
    uint8_t m[FR_MAX];
    size_t n = len < sizeof m ? len : sizeof m;
    size_t span = n < CUT_ALL_UPTO ? n : CUT_ALL_UPTO;
    for (uint32_t k = 0; k < MUTATIONS; k++) {
        memcpy(m, data, n);
        uint32_t r = next_random();
        m[r % span] = (r >> 16) & 1 ? values[(r >> 8) % sizeof values] : (uint8_t)(r >> 20);
        same(m, n, what, 0);
    }
}

/* Per capture: whether it is Ethernet, and its frames. */
static void same_corpus_frame(const char *name, uint32_t linktype, uint32_t index,
                              const uint8_t *data, size_t len, void *ctx)
{
    uint32_t *ethernet_captures = ctx;
    if (linktype != PKTD_LINKTYPE_ETHERNET)
        return;
    if (index == 0)
        (*ethernet_captures)++;
    /* Every cut of the first frames of each capture (the built matrix cuts
     * all of its frames). */
    same_cut_and_mutated(data, len, name, index < CORPUS_CUT_FRAMES);
}

START_TEST(test_corpus)
{
    uint32_t ethernet = 0;
    uint64_t before = frames_compared;
    uint64_t shapes6 = fast6_shapes;
    ck_assert_int_gt(fr_corpus_each(same_corpus_frame, &ethernet), 800);
    ck_assert_uint_gt(ethernet, 450);
    fprintf(stderr, "fastpath: %u Ethernet captures, %llu decodes compared, %llu complete "
            "IPv6/TCP or UDP\n", ethernet, (unsigned long long)(frames_compared - before),
            (unsigned long long)(fast6_shapes - shapes6));
    /* The captures have IPv6 of the fast shape (over a thousand frames). */
    ck_assert_uint_gt(fast6_shapes - shapes6, 100);
}
END_TEST

/* Ethernet with @p tags tags (TPIDs from @p tpid), then an IPv4 header
 * with @p frag, protocol @p proto and, with @p ip_options, 4 option bytes.
 * Returns the IPv4 offset. */
static size_t build(struct fr *f, uint32_t tags, const uint16_t tpid[2], uint16_t frag,
                    uint8_t proto, int ip_options)
{
    static const uint8_t nops[] = {1, 1, 1, 0}; /* NOP, NOP, NOP, End */
    fr_init(f);
    if (tags == 0) {
        fr_eth(f, 0x0800);
    } else {
        fr_eth(f, tpid[0]);
        for (uint32_t i = 0; i < tags; i++)
            fr_vlan(f, (uint16_t)(0x2000 + i), i + 1 < tags ? tpid[1] : 0x0800);
    }
    struct fr_ip4 ip = {.ttl = 64, .proto = proto, .frag = frag, .id = 0x1234,
                        .src = FR_IP_SRC, .dst = FR_IP_DST};
    if (ip_options) {
        ip.opts = nops;
        ip.optlen = sizeof nops;
    }
    return fr_ip4(f, &ip);
}

/* TCP option layouts: none, the fast one, and ones that need the walk. */
static const uint8_t opt_ts[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
static const uint8_t opt_ts_sack[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
                                      1, 1, 5, 10, 0, 0, 1, 0, 0, 0, 2, 0};
static const uint8_t opt_ts_other_order[] = {8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1};
static const uint8_t opt_syn[] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1,
                                  0, 0, 0, 0, 1, 3, 3, 7};
static const uint8_t opt_bad_len[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 2, 1, 0, 0};

START_TEST(test_built_matrix)
{
    static const uint16_t tpids[][2] = {
        {0x8100, 0x8100}, {0x88a8, 0x8100}, {0x8100, 0x88a8}, {0x9100, 0x8100}, {0x8100, 0x9200}};
#define N_TCP_OPTS (sizeof tcp_opts / sizeof tcp_opts[0])
    static const uint16_t frags[] = {0, 0x4000, 0x8000, 0x2000, 0x0001, 0x2010};
    static const struct {
        const uint8_t *opts;
        size_t len;
    } tcp_opts[] = {{NULL, 0},
                    {opt_ts, sizeof opt_ts},
                    {opt_ts_sack, sizeof opt_ts_sack},
                    {opt_ts_other_order, sizeof opt_ts_other_order},
                    {opt_syn, sizeof opt_syn},
                    {opt_bad_len, sizeof opt_bad_len}};
    /* Ways to end the frame: exact, Ethernet padding, total length edited
     * to 0, to less than the IPv4 header, to more than captured, and to a
     * valid length that ends inside the transport header: 4 bytes after
     * the IPv4 header (short of UDP's 8), 24 (short of TCP with
     * timestamps). */
    static const int endings[] = {0, 1, 2, 3, 4, 5, 6};
    static const uint8_t protos[] = {6, 17, 1, 47, 58};
    uint64_t before = frames_compared;
    for (int ipopt = 0; ipopt <= 1; ipopt++)
    for (uint32_t tags = 0; tags <= 2; tags++)
        for (size_t t = 0; t < (tags ? sizeof tpids / sizeof tpids[0] : 1); t++)
            for (size_t fi = 0; fi < (ipopt ? 2 : sizeof frags / sizeof frags[0]); fi++)
                for (size_t pi = 0; pi < sizeof protos; pi++)
                    for (size_t oi = 0; oi < (protos[pi] == 6 ? N_TCP_OPTS : 4); oi++)
                        for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
                            struct fr f;
                            size_t ipo = build(&f, tags, tpids[t], frags[fi], protos[pi], ipopt);
                            size_t hl = ipopt ? 24 : 20;
                            size_t l4 = 0;
                            if (protos[pi] == 6) {
                                struct fr_tcp tcp = {.sport = 80, .dport = 4242, .seq = 1,
                                                     .ack = 2, .flags = PKTD_TCP_ACK,
                                                     .win = 512, .opts = tcp_opts[oi].opts,
                                                     .optlen = tcp_opts[oi].len};
                                l4 = fr_tcp(&f, &tcp);
                            } else if (protos[pi] == 17) {
                                l4 = fr_udp(&f, 53, 5353);
                            } else if (protos[pi] == 1 || protos[pi] == 58) {
                                l4 = fr_icmp(&f, protos[pi] == 1 ? 8 : 128, 0, 0x00010002u);
                            } else {
                                fr_fill(&f, 0x11, 4);
                            }
                            fr_fill(&f, 0x61, oi * 3); /* payload, a few sizes */
                            fr_ip4_finish(&f, ipo);
                            if (protos[pi] == 17) {
                                fr_udp_finish(&f, ipo, l4);
                                /* UDP length variants: right, 0, short, long. */
                                if (oi == 1)
                                    fr_put_be16(&f, l4 + 4, 0);
                                else if (oi == 2)
                                    fr_put_be16(&f, l4 + 4, 8);
                                else if (oi == 3)
                                    fr_put_be16(&f, l4 + 4, (uint16_t)(f.len - l4 + 4));
                            } else if (protos[pi] == 6) {
                                fr_tcp_finish(&f, ipo, l4);
                            }
                            switch (endings[e]) {
                            case 1:
                                fr_fill(&f, 0, 6);
                                break;
                            case 2:
                                fr_put_be16(&f, ipo + 2, 0);
                                break;
                            case 3:
                                fr_put_be16(&f, ipo + 2, 19);
                                break;
                            case 4:
                                fr_put_be16(&f, ipo + 2, (uint16_t)(f.len - ipo + 100));
                                break;
                            case 5:
                                fr_put_be16(&f, ipo + 2, (uint16_t)(hl + 4));
                                break;
                            case 6:
                                fr_put_be16(&f, ipo + 2, (uint16_t)(hl + 24));
                                break;
                            default:
                                break;
                            }
                            same_cut_and_mutated(f.b, f.len, "built", 1);
                        }
    /* Tag stacks the fast path hands over: three tags, and tags in front
     * of ARP or IPv6. */
    static const uint16_t inner[] = {0x0800, 0x0806, 0x86dd};
    for (uint32_t tags = 1; tags <= 3; tags++)
        for (size_t k = 0; k < sizeof inner / sizeof inner[0]; k++) {
            struct fr f;
            fr_init(&f);
            fr_eth(&f, 0x88a8);
            for (uint32_t i = 0; i < tags; i++)
                fr_vlan(&f, (uint16_t)(0x3000 + i), i + 1 < tags ? 0x8100 : inner[k]);
            if (inner[k] == 0x0800) {
                struct fr_ip4 ip = {.ttl = 1, .proto = 17, .src = FR_IP_SRC, .dst = FR_IP_DST};
                size_t ipo = fr_ip4(&f, &ip);
                size_t l4 = fr_udp(&f, 7, 9);
                fr_ip4_finish(&f, ipo);
                fr_udp_finish(&f, ipo, l4);
            } else if (inner[k] == 0x0806) {
                static const uint8_t sha[6] = {2, 0, 0, 0, 0, 1}, tha[6] = {0};
                fr_arp(&f, 1, sha, FR_IP_SRC, tha, FR_IP_DST);
            } else {
                fr_fill(&f, 0x60, 40);
            }
            same_cut_and_mutated(f.b, f.len, "built tags", 1);
        }
    fprintf(stderr, "fastpath: %llu decodes of built frames compared, %llu complete L4\n",
            (unsigned long long)(frames_compared - before), (unsigned long long)fast_shapes);
    /* The matrix must reach the shapes the fast path decodes itself. */
    ck_assert_uint_gt(fast_shapes, 1000);
}
END_TEST

/* IPv6: source 2001:db8::1, destination 2001:db8::2, after Ethernet and
 * @p tags tags; payload length left 0 (v6_finish()).  Returns its offset. */
static const uint8_t V6_SRC[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t V6_DST[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

static size_t build6(struct fr *f, uint32_t tags, const uint16_t tpid[2], uint8_t next,
                     uint8_t hlim)
{
    fr_init(f);
    if (tags == 0) {
        fr_eth(f, 0x86dd);
    } else {
        fr_eth(f, tpid[0]);
        for (uint32_t i = 0; i < tags; i++)
            fr_vlan(f, (uint16_t)(0x2000 + i), i + 1 < tags ? tpid[1] : 0x86dd);
    }
    size_t at = fr_be32(f, 0x6e012345u); /* traffic class 0xe0, a flow label */
    fr_be16(f, 0);
    fr_u8(f, next);
    fr_u8(f, hlim);
    fr_bytes(f, V6_SRC, 16);
    fr_bytes(f, V6_DST, 16);
    return at;
}

static void v6_finish(struct fr *f, size_t ip)
{
    fr_put_be16(f, ip + 4, (uint16_t)(f->len - ip - 40));
}

/* The transport checksum at @p field over the IPv6 pseudo-header, from
 * @p l4 to the frame end (RFC 8200 8.1; UDP's 0 is sent as 0xffff). */
static void v6_csum(struct fr *f, size_t l4, size_t field, uint8_t proto)
{
    uint32_t len = (uint32_t)(f->len - l4);
    fr_put_be16(f, field, 0);
    uint32_t sum = fr_ref_sum(V6_SRC, 16, 0);
    sum = fr_ref_sum(V6_DST, 16, sum);
    sum += proto + (len >> 16) + (len & 0xffffu);
    sum = fr_ref_sum(f->b + l4, len, sum);
    uint16_t c = (uint16_t)~fr_ref_fold(sum);
    fr_put_be16(f, field, proto == 17 && c == 0 ? 0xffff : c);
}

START_TEST(test_built_matrix_ipv6)
{
    static const uint16_t tpids[][2] = {{0x8100, 0x8100}, {0x88a8, 0x8100}, {0x9100, 0x8100}};
    static const struct {
        const uint8_t *opts;
        size_t len;
    } tcp_opts[] = {{NULL, 0},
                    {opt_ts, sizeof opt_ts},
                    {opt_ts_sack, sizeof opt_ts_sack},
                    {opt_syn, sizeof opt_syn},
                    {opt_bad_len, sizeof opt_bad_len}};
    /* The upper layer: TCP, UDP, ICMPv6, ICMP's number (not over IPv6),
     * No Next Header, GRE; and TCP or UDP behind hop-by-hop, destination
     * options, routing, an atomic fragment, a first fragment; a later
     * fragment; hop-by-hop with Router Alert and PadN 0 (the fast path's
     * layout), and the same first eight bytes in a 16-byte header. */
    enum { UP_TCP, UP_UDP, UP_ICMPV6, UP_ICMP, UP_NONE, UP_GRE, UP_HBH, UP_DST, UP_RT,
           UP_FRAG_ATOMIC, UP_FRAG_FIRST, UP_FRAG_LATER, UP_HBH_RA, UP_HBH_RA16, UP_N };
    /* Ways to end the frame: exact, Ethernet padding, payload length 0,
     * 4 (inside UDP's and TCP's header), 24 (inside TCP with timestamps),
     * one byte short, longer than captured, version 4 in the version
     * nibble, UDP checksum 0. */
    enum { END_EXACT, END_PAD, END_PLEN0, END_PLEN4, END_PLEN24, END_SHORT1, END_LONG,
           END_VERSION, END_UDP_CSUM0, END_N };
    static const uint8_t hlims[] = {64, 0, 1, 255};
    uint64_t before = frames_compared, shapes_before = fast6_shapes;
    uint32_t k = 0;
    for (uint32_t tags = 0; tags <= 2; tags++)
        for (size_t t = 0; t < (tags ? sizeof tpids / sizeof tpids[0] : 1); t++)
            for (uint32_t up = 0; up < UP_N; up++)
                for (size_t oi = 0; oi < sizeof tcp_opts / sizeof tcp_opts[0]; oi++)
                    for (uint32_t e = 0; e < END_N; e++, k++) {
                        static const uint8_t first_nh[UP_N] = {6, 17, 58, 1, 59, 47, 0,
                                                               60, 43, 44, 44, 44, 0, 0};
                        /* Behind an extension header: TCP on even
                         * option layouts, UDP on odd ones. */
                        uint8_t l4p = up == UP_UDP ? 17 : up == UP_ICMPV6 ? 58
                                      : up == UP_ICMP ? 1 : up == UP_NONE ? 59
                                      : up == UP_GRE ? 47 : up == UP_TCP ? 6
                                      : oi % 2 ? 17 : 6;
                        struct fr f;
                        size_t ip = build6(&f, tags, tpids[t], first_nh[up],
                                           hlims[k % sizeof hlims]);
                        switch (up) {
                        case UP_HBH:
                        case UP_DST:
                            fr_u8(&f, l4p);
                            fr_u8(&f, 0);
                            fr_u8(&f, 1); /* PadN of 4 */
                            fr_u8(&f, 4);
                            fr_fill(&f, 0, 4);
                            break;
                        case UP_RT:
                            fr_u8(&f, l4p);
                            fr_u8(&f, 0);
                            fr_u8(&f, 4); /* type 4, segments left 0 */
                            fr_u8(&f, 0);
                            fr_fill(&f, 0, 4);
                            break;
                        case UP_FRAG_ATOMIC:
                        case UP_FRAG_FIRST:
                        case UP_FRAG_LATER:
                            fr_u8(&f, l4p);
                            fr_u8(&f, 0);
                            /* offset 0 (M 0 or 1), or offset 8 bytes */
                            fr_be16(&f, up == UP_FRAG_FIRST ? 1 : up == UP_FRAG_LATER ? 8 : 0);
                            fr_be32(&f, 0x01020304u);
                            break;
                        case UP_HBH_RA:
                        case UP_HBH_RA16:
                            fr_u8(&f, l4p);
                            fr_u8(&f, up == UP_HBH_RA16 ? 1 : 0);
                            fr_u8(&f, 5); /* Router Alert, MLD */
                            fr_u8(&f, 2);
                            fr_be16(&f, 0);
                            fr_u8(&f, 1); /* PadN of 0 */
                            fr_u8(&f, 0);
                            if (up == UP_HBH_RA16) {
                                fr_u8(&f, 1); /* PadN of 6 */
                                fr_u8(&f, 6);
                                fr_fill(&f, 0, 6);
                            }
                            break;
                        default:
                            break;
                        }
                        size_t l4 = f.len;
                        if (l4p == 6) {
                            struct fr_tcp tcp = {.sport = 443, .dport = 50000, .seq = 7,
                                                 .ack = 9, .flags = PKTD_TCP_ACK, .win = 1024,
                                                 .opts = tcp_opts[oi].opts,
                                                 .optlen = tcp_opts[oi].len};
                            fr_tcp(&f, &tcp);
                        } else if (l4p == 17) {
                            fr_udp(&f, 53, 5353);
                        } else if (l4p == 58 || l4p == 1) {
                            fr_icmp(&f, l4p == 58 ? 128 : 8, 0, 0x00010002u);
                        }
                        /* A payload whose size keeps a first fragment's
                         * data a multiple of 8 for TCP without options. */
                        fr_fill(&f, 0x61, up == UP_FRAG_FIRST ? 4 : oi * 3);
                        v6_finish(&f, ip);
                        if (l4p == 17) {
                            fr_put_be16(&f, l4 + 4, (uint16_t)(f.len - l4));
                            /* UDP length variants: right, 0, short, long. */
                            if (up == UP_UDP && oi == 1)
                                fr_put_be16(&f, l4 + 4, 0);
                            else if (up == UP_UDP && oi == 2)
                                fr_put_be16(&f, l4 + 4, 8);
                            else if (up == UP_UDP && oi == 3)
                                fr_put_be16(&f, l4 + 4, (uint16_t)(f.len - l4 + 4));
                            v6_csum(&f, l4, l4 + 6, 17);
                        } else if (l4p == 6) {
                            v6_csum(&f, l4, l4 + 16, 6);
                        } else if (l4p == 58) {
                            v6_csum(&f, l4, l4 + 2, 58);
                        }
                        size_t hl = l4 - ip - 40; /* extension header bytes */
                        switch (e) {
                        case END_PAD:
                            fr_fill(&f, 0, 6);
                            break;
                        case END_PLEN0:
                            fr_put_be16(&f, ip + 4, 0);
                            break;
                        case END_PLEN4:
                            fr_put_be16(&f, ip + 4, (uint16_t)(hl + 4));
                            break;
                        case END_PLEN24:
                            fr_put_be16(&f, ip + 4, (uint16_t)(hl + 24));
                            break;
                        case END_SHORT1:
                            fr_put_be16(&f, ip + 4, (uint16_t)(f.len - ip - 41));
                            break;
                        case END_LONG:
                            fr_put_be16(&f, ip + 4, (uint16_t)(f.len - ip - 40 + 100));
                            break;
                        case END_VERSION:
                            f.b[ip] = (uint8_t)(0x40 | (f.b[ip] & 0x0f));
                            break;
                        case END_UDP_CSUM0:
                            if (l4p == 17)
                                fr_put_be16(&f, l4 + 6, 0);
                            break;
                        default:
                            break;
                        }
                        same_cut_and_mutated(f.b, f.len, "built IPv6", 1);
                    }
    fprintf(stderr, "fastpath: %llu decodes of built IPv6 frames compared, %llu complete L4 "
            "without extension headers\n",
            (unsigned long long)(frames_compared - before),
            (unsigned long long)(fast6_shapes - shapes_before));
    /* The matrix must reach the IPv6 shapes the fast path decodes itself. */
    ck_assert_uint_gt(fast6_shapes - shapes_before, 500);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("parse_fastpath");
    TCase *tc = tcase_create("fastpath");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, test_built_matrix);
    tcase_add_test(tc, test_built_matrix_ipv6);
    tcase_add_test(tc, test_corpus);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
