/* Fuzz target: tunnels.  Byte 0 chooses the link type (as fuzz_decode.c),
 * byte 1 the UDP tunnel ports (the defaults, or all three on the port the
 * next two bytes give, so any UDP datagram can be taken for any UDP
 * tunnel); the rest is the frame.  The outer packet goes through every
 * check of fuzz_decode_checked(); then every inner level is decoded with
 * pktd_decode_inner() down to the nesting limit and past it.
 * Invariants on each inner state: its error agrees with the return code and
 * with the reason's code; every header, payload and option it reports lies
 * inside the input; the depth grows by one and stops at the limit; the MPLS
 * entries and option walks end; and the outer state is left unchanged. */
#include "config.h"

#include <string.h>

#include "fuzz.h"

static const uint32_t linktypes[] = {
    PKTD_LINKTYPE_ETHERNET, PKTD_LINKTYPE_RAW,  PKTD_LINKTYPE_LINUX_SLL, PKTD_LINKTYPE_IPV4,
    PKTD_LINKTYPE_LINUX_SLL2, PKTD_LINKTYPE_PPP, PKTD_LINKTYPE_IPV6,
};

static const uint8_t *in_lo, *in_hi; /* the input frame */

static void inside(const uint8_t *p, size_t n)
{
    FUZZ_CHECK(p >= in_lo && p <= in_hi && n <= (size_t)(in_hi - p));
}

/* The code every tunnel reason implies ("needs N bytes" is a truncation,
 * "not decoded" unsupported, the rest malformed). */
static int tunnel_reason_code(uint32_t r)
{
    switch (r) {
    case PKTD_R_TUNNEL_NONE:
        return PKTD_E_NOT_FOUND;
    case PKTD_R_MPLS_SHORT:
    case PKTD_R_PPPOE_SHORT:
    case PKTD_R_GRE_SHORT:
    case PKTD_R_ERSPAN_SHORT:
    case PKTD_R_VXLAN_SHORT:
    case PKTD_R_GENEVE_SHORT:
    case PKTD_R_GTPU_SHORT:
        return PKTD_E_TRUNCATED;
    case PKTD_R_GRE_VERSION:
    case PKTD_R_GRE_ROUTING:
    case PKTD_R_ERSPAN_VERSION:
    case PKTD_R_GENEVE_VERSION:
    case PKTD_R_GTPU_VERSION:
        return PKTD_E_UNSUPPORTED;
    default:
        return PKTD_E_MALFORMED;
    }
}

static void check_inner(const pktd_packet *outer, const pktd_packet *in, int rc)
{
    FUZZ_CHECK(rc == pktd_packet_error(in));
    uint32_t reason = pktd_packet_error_reason(in);
    if (rc != 0 && reason >= PKTD_R_TUNNEL_NONE && reason <= PKTD_R_GTPU_EXT_LEN)
        FUZZ_CHECK(rc == tunnel_reason_code(reason));
    if (rc == 0)
        FUZZ_CHECK(reason == PKTD_R_NONE);
    FUZZ_CHECK(pktd_packet_encap(in) == pktd_packet_tunnel(outer));
    uint32_t depth = pktd_packet_depth(in);
    FUZZ_CHECK(depth <= PKTD_TUNNEL_MAX_DEPTH);
    if (rc != PKTD_E_NOT_FOUND && reason != PKTD_R_TUNNEL_DEPTH)
        FUZZ_CHECK(depth == pktd_packet_depth(outer) + 1);
    char msg[PKTD_ERRBUF_SIZE];
    FUZZ_CHECK(pktd_packet_error_format(in, msg, sizeof msg) >= 0);
    for (uint32_t layer = 0; layer < PKTD_LAYER_COUNT_; layer++) {
        const uint8_t *h = NULL;
        size_t n = 0;
        if (pktd_packet_header(in, layer, &h, &n))
            inside(h, n);
        else
            FUZZ_CHECK(!pktd_packet_has(in, layer));
    }
    const uint8_t *pay = NULL;
    size_t plen = 0;
    if (pktd_packet_payload(in, &pay, &plen))
        inside(pay, plen);
    uint32_t v[PKTD_FIELD_COUNT_];
    FUZZ_CHECK(pktd_packet_fields(in, v, PKTD_FIELD_COUNT_) == PKTD_FIELD_COUNT_);
    FUZZ_CHECK(v[PKTD_FIELD_TUNNEL_TYPE] == pktd_packet_tunnel(in));
    for (uint32_t f = 0; f <= PKTD_TF_ERSPAN_VERSION + 1; f++) {
        uint32_t x = 0;
        int r = pktd_tunnel_field(in, f, &x);
        FUZZ_CHECK(r == 0 || r == 1);
    }
    uint32_t n = pktd_mpls_depth(in);
    FUZZ_CHECK(n <= PKTD_MPLS_MAX_DEPTH);
    for (uint32_t i = 0; i <= n; i++)
        FUZZ_CHECK(pktd_mpls_entry(in, i, NULL, NULL, NULL, NULL) == (i < n));
    uint32_t cursor = 0, type, count = 0;
    const uint8_t *d;
    size_t dl;
    while (pktd_tunnel_option_next(in, &cursor, &type, &d, &dl)) {
        inside(d, dl);
        FUZZ_CHECK(++count <= 1024);
    }
    FUZZ_CHECK(!(pktd_gre_checksum_ok(in) && pktd_gre_checksum_bad(in)));
    /* The 1.0 accessors read only inside the input too. */
    if (pktd_packet_has(in, PKTD_LAYER_ETH))
        inside(pktd_eth_src(in), 6);
    if (pktd_packet_has(in, PKTD_LAYER_IPV4))
        (void)pktd_ipv4_checksum_ok(in);
    if (pktd_packet_has(in, PKTD_LAYER_TCP))
        (void)pktd_tcp_checksum_ok(in);
    if (pktd_packet_has(in, PKTD_LAYER_UDP))
        (void)pktd_udp_checksum_ok(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    uint32_t lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
    pktd_decode_opts o;
    pktd_decode_opts_init(&o);
    if (data[1] & 1) {
        uint32_t port = fuzz_be16(data + 2);
        FUZZ_CHECK(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_VXLAN, port) == 0);
        FUZZ_CHECK(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_GENEVE, data[1] & 2 ? port : 0) == 0);
        FUZZ_CHECK(pktd_decode_opts_set_port(&o, PKTD_TUNNEL_GTPU, data[1] & 4 ? port : 0) == 0);
    }
    const uint8_t *frame = data + 4;
    size_t len = size - 4;
    in_lo = frame;
    in_hi = frame + len;
    /* The outer packet: every invariant of the decode target (with the
     * default ports), and the same result with the options. */
    int rc = fuzz_decode_checked(FUZZ_DECODE, lt, frame, len, 0);
    pktd_packet lv[PKTD_TUNNEL_MAX_DEPTH + 2];
    /* Defined bytes everywhere, so the copy below compares only them. */
    memset(lv, 0xa5, sizeof lv);
    FUZZ_CHECK(pktd_decode_with(&lv[0], &o, lt, frame, len) == rc);
    pktd_packet copy;
    for (int i = 1; i < PKTD_TUNNEL_MAX_DEPTH + 2; i++) {
        memcpy(&copy, &lv[i - 1], sizeof copy);
        int r = pktd_decode_inner(&lv[i - 1], &lv[i]);
        FUZZ_CHECK(memcmp(&copy, &lv[i - 1], sizeof copy) == 0);
        check_inner(&lv[i - 1], &lv[i], r);
        if (r == PKTD_E_NOT_FOUND)
            break;
        if (i == PKTD_TUNNEL_MAX_DEPTH + 1)
            FUZZ_CHECK(pktd_packet_error_reason(&lv[i]) == PKTD_R_TUNNEL_DEPTH);
        else
            FUZZ_CHECK(pktd_packet_error_reason(&lv[i]) != PKTD_R_TUNNEL_DEPTH);
    }
    return 0;
}
