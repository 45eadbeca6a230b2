/* The decoder's invariants, checked on every input the fuzzers produce.
 *
 * Everything here uses the public API only and re-reads the raw bytes
 * itself, so an accessor that disagrees with the bytes, a pointer outside
 * the input, an iterator that does not end, or an error state that
 * contradicts the return code is a finding.  The input is decoded twice,
 * into a zeroed state and into one full of garbage; the two must read the
 * same, which catches a field that a decode forgot to reset. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define NLAYERS PKTD_LAYER_COUNT_
#define MAX_OPTS 41 /* 40 option bytes: at most 40 one-byte options, + 1 */

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
    abort();
}

uint32_t fuzz_csum(uint64_t sum, const uint8_t *p, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2)
        sum += fuzz_be16(p + i);
    if (i < n)
        sum += (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint32_t)sum;
}

struct opt {
    uint8_t kind;
    int64_t off; /* of the value bytes, from the start of the input */
    size_t len;
};

/* Everything the public API says about one decoded state, with pointers
 * turned into offsets from the input (-1 for NULL), so two states decoded
 * from the same input can be compared with memcmp. */
struct view {
    int rc, err, pay_rc, err_fmt_len;
    uint32_t layers, flags, linktype, elayer, ereason, ev1, ev2;
    int64_t hoff[NLAYERS];
    int64_t ip6_upper_off; /* pktd_ipv6_upper(), -1 without IPv6 */
    size_t hlen[NLAYERS];
    int64_t pay_off;
    size_t pay_len;
    char err_fmt[160];

    int64_t eth_dst, eth_src;
    uint16_t eth_type;
    uint32_t vlan_count;
    uint16_t vlan_tpid[PKTD_VLAN_MAX_DEPTH + 2], vlan_tci[PKTD_VLAN_MAX_DEPTH + 2];
    uint16_t vlan_vid[PKTD_VLAN_MAX_DEPTH + 2];
    uint8_t vlan_pcp[PKTD_VLAN_MAX_DEPTH + 2];
    uint16_t sll_pkttype, sll_hatype;
    uint32_t sll2_ifindex;
    int64_t sll_addr;
    size_t sll_addr_len;
    uint32_t loopback_family;
    uint16_t ppp_proto, chdlc_proto;
    int ppp_has_addr;
    uint8_t ppp_ctrl, chdlc_addr, chdlc_ctrl;

    uint16_t arp_htype, arp_ptype, arp_op;
    uint8_t arp_hlen, arp_plen;
    int64_t arp_sha, arp_spa, arp_tha, arp_tpa;
    uint32_t arp_spa_ip, arp_tpa_ip;

    uint8_t ip_ihl, ip_tos, ip_ttl, ip_proto;
    uint16_t ip_total, ip_id, ip_frag, ip_csum;
    int ip_df, ip_mf, ip_rf, ip_csum_ok, ip_opt_rc;
    uint32_t ip_src, ip_dst;
    int64_t ip_opt_off;
    size_t ip_opt_len, ip_nopts;
    struct opt ip_opts[MAX_OPTS];

    uint16_t tcp_sport, tcp_dport, tcp_window, tcp_csum, tcp_urgent, tcp_mss;
    uint32_t tcp_seq, tcp_ack, tcp_ts_val, tcp_ts_ecr, tcp_sack_count;
    uint32_t tcp_sack[5][2];
    int tcp_sack_rc[5];
    uint8_t tcp_doff, tcp_flags, tcp_ws;
    int tcp_ns, tcp_has_mss, tcp_has_ws, tcp_sack_perm, tcp_has_ts, tcp_csum_ok, tcp_opt_rc;
    int64_t tcp_opt_off;
    size_t tcp_opt_len, tcp_nopts;
    struct opt tcp_opts[MAX_OPTS];

    uint16_t udp_sport, udp_dport, udp_len, udp_csum;
    int udp_csum_ok;

    uint8_t icmp_type, icmp_code;
    uint16_t icmp_csum, icmp_id, icmp_seq;
    uint32_t icmp_rest;
    int icmp_echo, icmp_csum_ok;
};

struct input {
    const uint8_t *data;
    size_t len;
};

/* Offset of a pointer the library returned; it must lie inside the input
 * (one past the end is allowed for empty ranges). */
static int64_t off_of(const struct input *in, const uint8_t *p)
{
    if (p == NULL)
        return -1;
    uintptr_t a = (uintptr_t)p, b = (uintptr_t)in->data;
    FUZZ_CHECK(a >= b && a - b <= in->len);
    return (int64_t)(a - b);
}

/* Iterates an option list to its end, with a bound on the steps: the
 * iterator must terminate, move forward, and stay inside the area. */
static size_t read_options(const struct input *in, const pktd_packet *p, int tcp, int64_t area,
                           size_t area_len, struct opt *out)
{
    uint32_t cursor = 0;
    size_t n = 0;
    for (;;) {
        uint8_t kind = 0xee;
        const uint8_t *d = NULL;
        size_t l = 0;
        uint32_t before = cursor;
        int r = tcp ? pktd_tcp_option_next(p, &cursor, &kind, &d, &l)
                    : pktd_ipv4_option_next(p, &cursor, &kind, &d, &l);
        FUZZ_CHECK(r == 0 || r == 1);
        if (r == 0)
            break;
        FUZZ_CHECK(n < MAX_OPTS - 1);
        FUZZ_CHECK(cursor > before && cursor <= area_len);
        int64_t o = off_of(in, d);
        FUZZ_CHECK(o >= area && (size_t)(o - area) + l <= area_len);
        out[n].kind = kind;
        out[n].off = o;
        out[n].len = l;
        n++;
    }
    return n;
}

/* A hostile starting cursor must never lead outside the option area. */
static void options_from_cursor(const struct input *in, const pktd_packet *p, int tcp,
                                int64_t area, size_t area_len, uint32_t cursor)
{
    for (size_t steps = 0;; steps++) {
        uint8_t kind;
        const uint8_t *d;
        size_t l;
        uint32_t before = cursor;
        int r = tcp ? pktd_tcp_option_next(p, &cursor, &kind, &d, &l)
                    : pktd_ipv4_option_next(p, &cursor, &kind, &d, &l);
        FUZZ_CHECK(r == 0 || r == 1);
        if (r == 0)
            return;
        FUZZ_CHECK(steps < 64);
        FUZZ_CHECK(cursor > before && cursor <= area_len);
        int64_t o = off_of(in, d);
        FUZZ_CHECK(o >= area && (size_t)(o - area) + l <= area_len);
    }
}

/* The *_checksum_ok / *_checksum_bad pair as one value: 1 verified and
 * correct, 0 verified and wrong, CSUM_UNVERIFIED when it could not be
 * computed.  Both are predicates (1 or 0) and never both 1. */
#define CSUM_UNVERIFIED (-1)
static int csum_state(int ok, int bad)
{
    FUZZ_CHECK((ok == 0 || ok == 1) && (bad == 0 || bad == 1) && !(ok && bad));
    return ok ? 1 : bad ? 0 : CSUM_UNVERIFIED;
}

static void read_view(const struct input *in, const pktd_packet *p, int rc, struct view *v)
{
    memset(v, 0, sizeof *v);
    v->rc = rc;
    v->err = pktd_packet_error(p);
    v->layers = pktd_packet_layers(p);
    v->flags = pktd_packet_flags(p);
    v->linktype = pktd_packet_linktype(p);
    v->elayer = pktd_packet_error_layer(p);
    v->ereason = pktd_packet_error_reason(p);
    v->ev1 = pktd_packet_error_value(p);
    v->ev2 = pktd_packet_error_value2(p);
    v->err_fmt_len = pktd_packet_error_format(p, v->err_fmt, sizeof v->err_fmt);

    for (uint32_t l = 0; l < NLAYERS; l++) {
        const uint8_t *h = NULL;
        size_t hl = 0;
        int r = pktd_packet_header(p, l, &h, &hl);
        FUZZ_CHECK(r == 0 || r == 1);
        FUZZ_CHECK(r == pktd_packet_has(p, l));
        FUZZ_CHECK(r == (int)((v->layers >> l) & 1u));
        v->hoff[l] = r == 1 ? off_of(in, h) : -1;
        v->hlen[l] = r == 1 ? hl : 0;
        if (r == 1)
            FUZZ_CHECK(hl > 0 && (size_t)v->hoff[l] + hl <= in->len);
    }
    size_t up = 0;
    v->ip6_upper_off = pktd_ipv6_upper(p, NULL, &up) == 1 ? (int64_t)up : -1;
    FUZZ_CHECK(pktd_packet_has(p, NLAYERS) == 0 && pktd_packet_has(p, 0xffffffffu) == 0);
    FUZZ_CHECK(pktd_packet_header(p, NLAYERS, NULL, NULL) == 0);

    const uint8_t *pd = NULL;
    v->pay_rc = pktd_packet_payload(p, &pd, &v->pay_len);
    v->pay_off = v->pay_rc == 1 ? off_of(in, pd) : -1;
    if (v->pay_rc != 1)
        v->pay_len = 0;

    v->eth_dst = off_of(in, pktd_eth_dst(p));
    v->eth_src = off_of(in, pktd_eth_src(p));
    v->eth_type = pktd_eth_type(p);
    v->vlan_count = pktd_vlan_count(p);
    for (uint32_t i = 0; i < PKTD_VLAN_MAX_DEPTH + 2; i++) {
        v->vlan_tpid[i] = pktd_vlan_tpid(p, i);
        v->vlan_tci[i] = pktd_vlan_tci(p, i);
        v->vlan_vid[i] = pktd_vlan_vid(p, i);
        v->vlan_pcp[i] = pktd_vlan_pcp(p, i);
    }
    v->sll_pkttype = pktd_sll_pkttype(p);
    v->sll_hatype = pktd_sll_hatype(p);
    v->sll2_ifindex = pktd_sll2_ifindex(p);
    v->sll_addr_len = 12345;
    v->sll_addr = off_of(in, pktd_sll_addr(p, &v->sll_addr_len));
    v->loopback_family = pktd_loopback_family(p);
    v->ppp_proto = pktd_ppp_protocol(p);
    v->ppp_has_addr = pktd_ppp_has_address(p);
    v->ppp_ctrl = pktd_ppp_control(p);
    v->chdlc_addr = pktd_chdlc_address(p);
    v->chdlc_ctrl = pktd_chdlc_control(p);
    v->chdlc_proto = pktd_chdlc_protocol(p);

    v->arp_htype = pktd_arp_htype(p);
    v->arp_ptype = pktd_arp_ptype(p);
    v->arp_op = pktd_arp_op(p);
    v->arp_hlen = pktd_arp_hlen(p);
    v->arp_plen = pktd_arp_plen(p);
    v->arp_sha = off_of(in, pktd_arp_sha(p));
    v->arp_spa = off_of(in, pktd_arp_spa_bytes(p));
    v->arp_tha = off_of(in, pktd_arp_tha(p));
    v->arp_tpa = off_of(in, pktd_arp_tpa_bytes(p));
    v->arp_spa_ip = pktd_arp_spa(p);
    v->arp_tpa_ip = pktd_arp_tpa(p);

    v->ip_ihl = pktd_ipv4_ihl(p);
    v->ip_tos = pktd_ipv4_tos(p);
    v->ip_ttl = pktd_ipv4_ttl(p);
    v->ip_proto = pktd_ipv4_proto(p);
    v->ip_total = pktd_ipv4_total_len(p);
    v->ip_id = pktd_ipv4_id(p);
    v->ip_frag = pktd_ipv4_frag_offset(p);
    v->ip_csum = pktd_ipv4_checksum(p);
    v->ip_df = pktd_ipv4_df(p);
    v->ip_mf = pktd_ipv4_mf(p);
    v->ip_rf = pktd_ipv4_rf(p);
    v->ip_src = pktd_ipv4_src(p);
    v->ip_dst = pktd_ipv4_dst(p);
    v->ip_csum_ok = csum_state(pktd_ipv4_checksum_ok(p), pktd_ipv4_checksum_bad(p));
    const uint8_t *od = NULL;
    v->ip_opt_rc = pktd_ipv4_options(p, &od, &v->ip_opt_len);
    v->ip_opt_off = v->ip_opt_rc == 1 ? off_of(in, od) : -1;
    if (v->ip_opt_rc == 1) {
        FUZZ_CHECK((size_t)v->ip_opt_off + v->ip_opt_len <= in->len);
        v->ip_nopts = read_options(in, p, 0, v->ip_opt_off, v->ip_opt_len, v->ip_opts);
    } else {
        v->ip_opt_len = 0;
    }

    v->tcp_sport = pktd_tcp_sport(p);
    v->tcp_dport = pktd_tcp_dport(p);
    v->tcp_seq = pktd_tcp_seq(p);
    v->tcp_ack = pktd_tcp_ack(p);
    v->tcp_doff = pktd_tcp_doff(p);
    v->tcp_flags = pktd_tcp_flags(p);
    v->tcp_ns = pktd_tcp_ns(p);
    v->tcp_window = pktd_tcp_window(p);
    v->tcp_csum = pktd_tcp_checksum(p);
    v->tcp_urgent = pktd_tcp_urgent(p);
    v->tcp_has_mss = pktd_tcp_opt_mss(p, &v->tcp_mss);
    v->tcp_has_ws = pktd_tcp_opt_wscale(p, &v->tcp_ws);
    v->tcp_sack_perm = pktd_tcp_opt_sack_perm(p);
    v->tcp_has_ts = pktd_tcp_opt_timestamps(p, &v->tcp_ts_val, &v->tcp_ts_ecr);
    v->tcp_sack_count = pktd_tcp_opt_sack_count(p);
    for (uint32_t i = 0; i < 5; i++)
        v->tcp_sack_rc[i] = pktd_tcp_opt_sack_block(p, i, &v->tcp_sack[i][0], &v->tcp_sack[i][1]);
    v->tcp_csum_ok = csum_state(pktd_tcp_checksum_ok(p), pktd_tcp_checksum_bad(p));
    v->tcp_opt_rc = pktd_tcp_options(p, &od, &v->tcp_opt_len);
    v->tcp_opt_off = v->tcp_opt_rc == 1 ? off_of(in, od) : -1;
    if (v->tcp_opt_rc == 1) {
        FUZZ_CHECK((size_t)v->tcp_opt_off + v->tcp_opt_len <= in->len);
        v->tcp_nopts = read_options(in, p, 1, v->tcp_opt_off, v->tcp_opt_len, v->tcp_opts);
    } else {
        v->tcp_opt_len = 0;
    }

    v->udp_sport = pktd_udp_sport(p);
    v->udp_dport = pktd_udp_dport(p);
    v->udp_len = pktd_udp_len(p);
    v->udp_csum = pktd_udp_checksum(p);
    v->udp_csum_ok = csum_state(pktd_udp_checksum_ok(p), pktd_udp_checksum_bad(p));

    v->icmp_type = pktd_icmp_type(p);
    v->icmp_code = pktd_icmp_code(p);
    v->icmp_csum = pktd_icmp_checksum(p);
    v->icmp_rest = pktd_icmp_rest(p);
    v->icmp_echo = pktd_icmp_echo(p, &v->icmp_id, &v->icmp_seq);
    v->icmp_csum_ok = csum_state(pktd_icmp_checksum_ok(p), pktd_icmp_checksum_bad(p));
}

static int has(const struct view *v, uint32_t layer)
{
    return (v->layers >> layer) & 1u;
}

/* Where a layer sits in the stack: link, tags, network, transport (the
 * 1.1 layers were appended to the ids, so the ids are not in this order). */
static int stack_rank(uint32_t layer)
{
    switch (layer) {
    case PKTD_LAYER_LINK:
    case PKTD_LAYER_SLL:
    case PKTD_LAYER_SLL2:
    case PKTD_LAYER_ETH:
    case PKTD_LAYER_LOOPBACK:
    case PKTD_LAYER_PPP:
    case PKTD_LAYER_CHDLC:
        return 1;
    case PKTD_LAYER_VLAN:
        return 2;
    case PKTD_LAYER_ARP:
    case PKTD_LAYER_IPV4:
    case PKTD_LAYER_IPV6:
        return 3;
    default:
        return 4;
    }
}

/* Error codes and reasons agree: a "needs N bytes" reason is a truncation,
 * an impossible field is malformed, an unknown link type unsupported. */
static int reason_code(uint32_t reason)
{
    switch (reason) {
    case PKTD_R_LINKTYPE:
        return PKTD_E_UNSUPPORTED;
    case PKTD_R_SLL_SHORT:
    case PKTD_R_SLL2_SHORT:
    case PKTD_R_ETH_SHORT:
    case PKTD_R_VLAN_SHORT:
    case PKTD_R_ARP_SHORT:
    case PKTD_R_ARP_ADDR_SHORT:
    case PKTD_R_IPV4_SHORT:
    case PKTD_R_IPV4_HDR_TRUNC:
    case PKTD_R_TCP_SHORT:
    case PKTD_R_TCP_HDR_TRUNC:
    case PKTD_R_UDP_SHORT:
    case PKTD_R_ICMP_SHORT:
    case PKTD_R_LOOPBACK_SHORT:
    case PKTD_R_PPP_SHORT:
    case PKTD_R_CHDLC_SHORT:
    case PKTD_R_IPV6_SHORT:
    case PKTD_R_IPV6_EXT_TRUNC:
    case PKTD_R_ICMPV6_SHORT:
    case PKTD_R_ICMPV6_TYPE_TRUNC:
        return PKTD_E_TRUNCATED;
    case PKTD_R_NONE:
        return 0;
    case PKTD_R_ARGUMENT:
        return PKTD_E_INVALID_ARGUMENT;
    default:
        return PKTD_E_MALFORMED;
    }
}

/* The layer a reason belongs to. */
static uint32_t reason_layer(uint32_t reason)
{
    switch (reason) {
    case PKTD_R_LINKTYPE:
        return PKTD_LAYER_LINK;
    case PKTD_R_SLL_SHORT:
        return PKTD_LAYER_SLL;
    case PKTD_R_SLL2_SHORT:
        return PKTD_LAYER_SLL2;
    case PKTD_R_ETH_SHORT:
        return PKTD_LAYER_ETH;
    case PKTD_R_VLAN_SHORT:
    case PKTD_R_VLAN_DEPTH:
        return PKTD_LAYER_VLAN;
    case PKTD_R_ARP_SHORT:
    case PKTD_R_ARP_ADDR_SHORT:
    case PKTD_R_ARP_HLEN:
    case PKTD_R_ARP_PLEN:
        return PKTD_LAYER_ARP;
    case PKTD_R_UDP_SHORT:
    case PKTD_R_UDP_LEN_SHORT:
    case PKTD_R_UDP_LEN_LONG:
        return PKTD_LAYER_UDP;
    case PKTD_R_ICMP_SHORT:
        return PKTD_LAYER_ICMP;
    case PKTD_R_LOOPBACK_SHORT:
        return PKTD_LAYER_LOOPBACK;
    case PKTD_R_PPP_SHORT:
        return PKTD_LAYER_PPP;
    case PKTD_R_CHDLC_SHORT:
        return PKTD_LAYER_CHDLC;
    case PKTD_R_ICMPV6_SHORT:
    case PKTD_R_ICMPV6_TYPE_SHORT:
    case PKTD_R_ICMPV6_TYPE_TRUNC:
    case PKTD_R_ICMPV6_ND_OPT_LEN:
    case PKTD_R_ICMPV6_ND_OPT_OVERRUN:
        return PKTD_LAYER_ICMPV6;
    default:
        if ((reason >= PKTD_R_IPV6_SHORT && reason <= PKTD_R_IPV6_FRAG_SIZE) ||
            reason == PKTD_R_IPV6_JUMBO_MISSING)
            return PKTD_LAYER_IPV6;
        if (reason >= PKTD_R_IPV4_SHORT && reason <= PKTD_R_IPV4_OPT_OVERRUN)
            return PKTD_LAYER_IPV4;
        if (reason >= PKTD_R_TCP_SHORT && reason <= PKTD_R_TCP_OPT_SIZE)
            return PKTD_LAYER_TCP;
        return PKTD_LAYER_NONE;
    }
}

static void check_error(const struct view *v, const pktd_packet *p, size_t len)
{
    FUZZ_CHECK(v->rc == 0 || v->rc == PKTD_E_TRUNCATED || v->rc == PKTD_E_MALFORMED ||
               v->rc == PKTD_E_UNSUPPORTED);
    FUZZ_CHECK(v->err == v->rc);
    if (v->rc == 0) {
        FUZZ_CHECK(v->elayer == PKTD_LAYER_NONE && v->ereason == PKTD_R_NONE);
        FUZZ_CHECK(v->ev1 == 0 && v->ev2 == 0);
        FUZZ_CHECK(strcmp(v->err_fmt, "no error") == 0);
    } else {
        FUZZ_CHECK(reason_code(v->ereason) == v->rc);
        FUZZ_CHECK(reason_layer(v->ereason) == v->elayer);
        /* Decoding stops at the failing layer: nothing above it is decoded
         * and the failing layer itself is not reported present. */
        FUZZ_CHECK(v->elayer > PKTD_LAYER_NONE && v->elayer < NLAYERS);
        for (uint32_t l = PKTD_LAYER_SLL; l < NLAYERS; l++)
            if (has(v, l))
                FUZZ_CHECK(stack_rank(l) < stack_rank(v->elayer));
        if (v->rc == PKTD_E_TRUNCATED) {
            /* "needs N bytes, have M": M is what was there, below N. */
            FUZZ_CHECK(v->ev1 <= len || v->ereason == PKTD_R_ARP_ADDR_SHORT ||
                       v->ereason == PKTD_R_IPV6_EXT_TRUNC || v->ereason == PKTD_R_ICMPV6_TYPE_TRUNC ||
                       v->ereason == PKTD_R_IPV4_HDR_TRUNC || v->ereason == PKTD_R_TCP_HDR_TRUNC ||
                       v->ereason == PKTD_R_PPP_SHORT);
            /* PPP: "needs N bytes, have M", M the whole frame. */
            if (v->ereason == PKTD_R_PPP_SHORT)
                FUZZ_CHECK(v->ev2 == len && v->ev1 > len && v->ev1 <= 4);
        }
        FUZZ_CHECK(strcmp(pktd_reason_string(v->ereason), "unknown reason") != 0);
    }
    /* The formatted message: snprintf semantics at every buffer size. */
    FUZZ_CHECK(v->err_fmt_len >= 0 && (size_t)v->err_fmt_len == strlen(v->err_fmt));
    FUZZ_CHECK(pktd_packet_error_format(p, NULL, 0) == v->err_fmt_len);
    for (size_t size = 1; size <= (size_t)v->err_fmt_len + 1; size += 7) {
        char small[160];
        memset(small, 'x', sizeof small);
        FUZZ_CHECK(pktd_packet_error_format(p, small, size) == v->err_fmt_len);
        FUZZ_CHECK(strlen(small) == size - 1 && memcmp(small, v->err_fmt, size - 1) == 0);
        FUZZ_CHECK(small[size] == 'x');
    }
    FUZZ_CHECK(strcmp(pktd_layer_name(v->elayer), "unknown") != 0);
}

/* Which layer may come first, and what the state reports as link type. */
static void check_stack(const struct view *v, enum fuzz_entry entry, uint32_t linktype,
                        size_t len)
{
    uint32_t first_ok; /* bit set of layers allowed at offset 0 */
    uint32_t want_link = 0;
    const uint32_t transport = (1u << PKTD_LAYER_TCP) | (1u << PKTD_LAYER_UDP) |
                               (1u << PKTD_LAYER_ICMP) | (1u << PKTD_LAYER_ICMPV6);
    switch (entry) {
    case FUZZ_DECODE:
        want_link = linktype;
        switch (linktype) {
        case PKTD_LINKTYPE_ETHERNET:
            first_ok = 1u << PKTD_LAYER_ETH;
            break;
        case PKTD_LINKTYPE_LINUX_SLL:
            first_ok = 1u << PKTD_LAYER_SLL;
            break;
        case PKTD_LINKTYPE_LINUX_SLL2:
            first_ok = 1u << PKTD_LAYER_SLL2;
            break;
        case PKTD_LINKTYPE_RAW:
        case PKTD_LINKTYPE_DLT_RAW:         /* DLT_RAW's numbers in files (1.1) */
        case PKTD_LINKTYPE_DLT_RAW_OPENBSD:
            first_ok = (1u << PKTD_LAYER_IPV4) | (1u << PKTD_LAYER_IPV6);
            break;
        case PKTD_LINKTYPE_IPV4:
            first_ok = 1u << PKTD_LAYER_IPV4;
            break;
        case PKTD_LINKTYPE_NULL:
        case PKTD_LINKTYPE_LOOP:
            first_ok = 1u << PKTD_LAYER_LOOPBACK;
            break;
        case PKTD_LINKTYPE_PPP:
            first_ok = 1u << PKTD_LAYER_PPP;
            break;
        case PKTD_LINKTYPE_PPP_HDLC:
            first_ok = (1u << PKTD_LAYER_PPP) | (1u << PKTD_LAYER_CHDLC);
            break;
        case PKTD_LINKTYPE_C_HDLC:
            first_ok = 1u << PKTD_LAYER_CHDLC;
            break;
        case PKTD_LINKTYPE_IPV6:
            first_ok = 1u << PKTD_LAYER_IPV6;
            break;
        default:
            first_ok = 0;
            FUZZ_CHECK(v->rc == PKTD_E_UNSUPPORTED && v->elayer == PKTD_LAYER_LINK);
            FUZZ_CHECK(v->ev1 == linktype);
            break;
        }
        break;
    case FUZZ_ETH:
        want_link = PKTD_LINKTYPE_ETHERNET;
        first_ok = 1u << PKTD_LAYER_ETH;
        break;
    case FUZZ_SLL:
        want_link = PKTD_LINKTYPE_LINUX_SLL;
        first_ok = 1u << PKTD_LAYER_SLL;
        break;
    case FUZZ_SLL2:
        want_link = PKTD_LINKTYPE_LINUX_SLL2;
        first_ok = 1u << PKTD_LAYER_SLL2;
        break;
    case FUZZ_ARP:
        first_ok = 1u << PKTD_LAYER_ARP;
        break;
    case FUZZ_IPV4:
        first_ok = 1u << PKTD_LAYER_IPV4;
        break;
    case FUZZ_TCP:
        first_ok = 1u << PKTD_LAYER_TCP;
        break;
    case FUZZ_UDP:
        first_ok = 1u << PKTD_LAYER_UDP;
        break;
    default:
        first_ok = 1u << PKTD_LAYER_ICMP;
        break;
    }
    FUZZ_CHECK(v->linktype == want_link);
    FUZZ_CHECK(v->rc != PKTD_E_UNSUPPORTED || v->layers == 0);
    FUZZ_CHECK((v->layers & 3u) == 0); /* NONE and LINK are never layers */
    FUZZ_CHECK(v->layers >> NLAYERS == 0);

    /* Present headers are contiguous from offset 0 in stacking order, at
     * most one per level; IPv6's extension headers lie between its fixed
     * header and the upper layer. */
    static const uint32_t order[] = {
        PKTD_LAYER_SLL,   PKTD_LAYER_SLL2, PKTD_LAYER_ETH,  PKTD_LAYER_LOOPBACK, PKTD_LAYER_PPP,
        PKTD_LAYER_CHDLC, PKTD_LAYER_VLAN, PKTD_LAYER_ARP,  PKTD_LAYER_IPV4,     PKTD_LAYER_IPV6,
        PKTD_LAYER_TCP,   PKTD_LAYER_UDP,  PKTD_LAYER_ICMP, PKTD_LAYER_ICMPV6};
    /* Every layer but NONE, LINK and the tunnel headers (1.1, MPLS to GTPU,
     * which only an inner state of pktd_decode_inner() has: never one of
     * these decodes) is in the order above. */
    FUZZ_CHECK(sizeof order / sizeof order[0] == NLAYERS - 2 - (PKTD_LAYER_GTPU - PKTD_LAYER_MPLS + 1));
    FUZZ_CHECK((v->layers >> PKTD_LAYER_MPLS) == 0);
    size_t at = 0;
    uint32_t seen = 0;
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        uint32_t l = order[k];
        if (!has(v, l))
            continue;
        if (seen == 0)
            FUZZ_CHECK((first_ok >> l) & 1u);
        FUZZ_CHECK(v->hoff[l] == (int64_t)at);
        at += v->hlen[l];
        FUZZ_CHECK(at <= len);
        if (l == PKTD_LAYER_IPV6) {
            FUZZ_CHECK(v->ip6_upper_off >= (int64_t)at && v->ip6_upper_off <= (int64_t)len);
            at = (size_t)v->ip6_upper_off;
        }
        seen |= 1u << l;
    }
    const uint32_t link = (1u << PKTD_LAYER_SLL) | (1u << PKTD_LAYER_SLL2) |
                          (1u << PKTD_LAYER_ETH) | (1u << PKTD_LAYER_LOOPBACK) |
                          (1u << PKTD_LAYER_PPP) | (1u << PKTD_LAYER_CHDLC);
    const uint32_t vlan_link =
        (1u << PKTD_LAYER_SLL) | (1u << PKTD_LAYER_SLL2) | (1u << PKTD_LAYER_ETH);
    const uint32_t net =
        (1u << PKTD_LAYER_ARP) | (1u << PKTD_LAYER_IPV4) | (1u << PKTD_LAYER_IPV6);
    FUZZ_CHECK(__builtin_popcount(seen & link) <= 1);
    FUZZ_CHECK(__builtin_popcount(seen & net) <= 1);
    FUZZ_CHECK(__builtin_popcount(seen & transport) <= 1);
    if (has(v, PKTD_LAYER_VLAN))
        FUZZ_CHECK(seen & vlan_link);
    if (has(v, PKTD_LAYER_ARP))
        FUZZ_CHECK((seen & transport) == 0);
    if ((seen & transport) != 0 && entry != FUZZ_TCP && entry != FUZZ_UDP && entry != FUZZ_ICMP)
        FUZZ_CHECK(has(v, PKTD_LAYER_IPV4) || has(v, PKTD_LAYER_IPV6));
    if (has(v, PKTD_LAYER_ICMP) && entry != FUZZ_ICMP)
        FUZZ_CHECK(has(v, PKTD_LAYER_IPV4));
    if (has(v, PKTD_LAYER_ICMPV6))
        FUZZ_CHECK(has(v, PKTD_LAYER_IPV6));

    /* The payload is what follows the last decoded header. */
    if (v->layers == 0 && v->rc != 0) {
        FUZZ_CHECK(v->pay_rc == 0);
    } else {
        FUZZ_CHECK(v->pay_rc == 1);
        FUZZ_CHECK(v->pay_off == (int64_t)at);
        FUZZ_CHECK((size_t)v->pay_off + v->pay_len <= len);
    }
}

/* The link headers of 1.1 (loopback, PPP, Cisco HDLC), re-read from the
 * bytes: each starts at offset 0. */
static void check_link_11(const struct view *v, const uint8_t *d)
{
    if (has(v, PKTD_LAYER_LOOPBACK)) {
        FUZZ_CHECK(v->hoff[PKTD_LAYER_LOOPBACK] == 0 && v->hlen[PKTD_LAYER_LOOPBACK] == 4);
        uint32_t be = fuzz_be32(d);
        uint32_t le = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
                      (uint32_t)d[3] << 24;
        uint32_t want = v->linktype == PKTD_LINKTYPE_LOOP ? be : (le >> 16) != 0 ? be : le;
        FUZZ_CHECK(v->loopback_family == want);
    } else {
        FUZZ_CHECK(v->loopback_family == 0);
    }
    if (has(v, PKTD_LAYER_PPP)) {
        size_t a = d[0] == 0xff ? 2 : 0;
        size_t n = a + ((d[a] & 1) ? 1 : 2);
        FUZZ_CHECK(v->hoff[PKTD_LAYER_PPP] == 0 && v->hlen[PKTD_LAYER_PPP] == n);
        FUZZ_CHECK(v->ppp_has_addr == (a != 0) && v->ppp_ctrl == (a != 0 ? d[1] : 0));
        FUZZ_CHECK(v->ppp_proto == (n - a == 1 ? d[a] : fuzz_be16(d + a)));
    } else {
        FUZZ_CHECK(v->ppp_proto == 0 && v->ppp_has_addr == 0 && v->ppp_ctrl == 0);
    }
    if (has(v, PKTD_LAYER_CHDLC)) {
        FUZZ_CHECK(v->hoff[PKTD_LAYER_CHDLC] == 0 && v->hlen[PKTD_LAYER_CHDLC] == 4);
        FUZZ_CHECK(v->chdlc_addr == d[0] && v->chdlc_ctrl == d[1]);
        FUZZ_CHECK(v->chdlc_proto == fuzz_be16(d + 2));
        /* Under PPP_HDLC only a Cisco address makes it Cisco HDLC. */
        if (v->linktype == PKTD_LINKTYPE_PPP_HDLC)
            FUZZ_CHECK(d[0] == 0x0f || d[0] == 0x8f);
    } else {
        FUZZ_CHECK(v->chdlc_addr == 0 && v->chdlc_ctrl == 0 && v->chdlc_proto == 0);
    }
}

static void check_link(const struct view *v, const uint8_t *d, size_t len)
{
    check_link_11(v, d);
    static const uint16_t tpids[] = {0x8100, 0x88a8, 0x9100, 0x9200};
    int64_t e = v->hoff[PKTD_LAYER_ETH];
    if (has(v, PKTD_LAYER_ETH)) {
        FUZZ_CHECK(v->hlen[PKTD_LAYER_ETH] == 14);
        FUZZ_CHECK(v->eth_dst == e && v->eth_src == e + 6);
    } else {
        FUZZ_CHECK(v->eth_dst == -1 && v->eth_src == -1);
    }
    int64_t s = -1;
    if (has(v, PKTD_LAYER_SLL)) {
        s = v->hoff[PKTD_LAYER_SLL];
        const uint8_t *h = d + s;
        FUZZ_CHECK(v->hlen[PKTD_LAYER_SLL] == 16);
        FUZZ_CHECK(v->sll_pkttype == fuzz_be16(h) && v->sll_hatype == fuzz_be16(h + 2));
        size_t alen = fuzz_be16(h + 4);
        FUZZ_CHECK(v->sll_addr == s + 6 && v->sll_addr_len == (alen > 8 ? 8 : alen));
        FUZZ_CHECK(v->sll2_ifindex == 0);
    } else if (has(v, PKTD_LAYER_SLL2)) {
        s = v->hoff[PKTD_LAYER_SLL2];
        const uint8_t *h = d + s;
        FUZZ_CHECK(v->hlen[PKTD_LAYER_SLL2] == 20);
        FUZZ_CHECK(v->sll_pkttype == h[10] && v->sll_hatype == fuzz_be16(h + 8));
        FUZZ_CHECK(v->sll2_ifindex == fuzz_be32(h + 4));
        FUZZ_CHECK(v->sll_addr == s + 12 && v->sll_addr_len == (h[11] > 8 ? 8u : h[11]));
    } else {
        FUZZ_CHECK(v->sll_pkttype == 0 && v->sll_hatype == 0 && v->sll2_ifindex == 0);
        FUZZ_CHECK(v->sll_addr == -1 && v->sll_addr_len == 0);
    }

    /* The link header's own protocol field. */
    int64_t type_at = has(v, PKTD_LAYER_ETH) ? e + 12
                      : has(v, PKTD_LAYER_SLL)  ? s + 14
                      : has(v, PKTD_LAYER_SLL2) ? s
                                                : -1;
    if (has(v, PKTD_LAYER_VLAN)) {
        int64_t t = v->hoff[PKTD_LAYER_VLAN];
        uint32_t n = v->vlan_count;
        FUZZ_CHECK(n >= 1 && n <= PKTD_VLAN_MAX_DEPTH);
        FUZZ_CHECK(v->hlen[PKTD_LAYER_VLAN] == 4 * n);
        /* The first tag's TPID is the link header's protocol field: just
         * before the tag on Ethernet and SLL, but at the start of the
         * 20-byte header on SLL2.  Each later TPID ends the tag before. */
        FUZZ_CHECK(type_at >= 0 && (type_at == t - 2 || has(v, PKTD_LAYER_SLL2)));
        for (uint32_t i = 0; i < n; i++) {
            int64_t tpid_at = i == 0 ? type_at : t + 4 * i - 2;
            uint16_t tpid = fuzz_be16(d + tpid_at), tci = fuzz_be16(d + t + 4 * i);
            int is_tpid = 0;
            for (size_t k = 0; k < 4; k++)
                is_tpid |= tpid == tpids[k];
            FUZZ_CHECK(is_tpid);
            FUZZ_CHECK(v->vlan_tpid[i] == tpid && v->vlan_tci[i] == tci);
            FUZZ_CHECK(v->vlan_vid[i] == (tci & 0xfff) && v->vlan_pcp[i] == tci >> 13);
        }
        type_at = t + 4 * n - 2;
        for (size_t k = 0; k < 4; k++)
            FUZZ_CHECK(fuzz_be16(d + type_at) != tpids[k]);
    } else {
        FUZZ_CHECK(v->vlan_count == 0);
    }
    for (uint32_t i = v->vlan_count; i < PKTD_VLAN_MAX_DEPTH + 2; i++)
        FUZZ_CHECK(v->vlan_tpid[i] == 0 && v->vlan_tci[i] == 0 && v->vlan_vid[i] == 0 &&
                   v->vlan_pcp[i] == 0);
    if (type_at >= 0) {
        FUZZ_CHECK(v->eth_type == fuzz_be16(d + type_at));
        /* What follows a link header is decided by its protocol field. */
        uint16_t t = v->eth_type;
        if (has(v, PKTD_LAYER_IPV4) || (v->rc != 0 && v->elayer == PKTD_LAYER_IPV4))
            FUZZ_CHECK(t == 0x0800);
        if (has(v, PKTD_LAYER_ARP) || (v->rc != 0 && v->elayer == PKTD_LAYER_ARP))
            FUZZ_CHECK(t == 0x0806);
        if (v->rc == 0 && t == 0x0800)
            FUZZ_CHECK(has(v, PKTD_LAYER_IPV4));
        if (v->rc == 0 && t == 0x0806)
            FUZZ_CHECK(has(v, PKTD_LAYER_ARP));
        if (has(v, PKTD_LAYER_IPV6) || (v->rc != 0 && v->elayer == PKTD_LAYER_IPV6))
            FUZZ_CHECK(t == 0x86dd);
        if (v->rc == 0 && t == 0x86dd)
            FUZZ_CHECK(has(v, PKTD_LAYER_IPV6));
        if (v->flags & PKTD_F_ETH_8023)
            FUZZ_CHECK(t < 0x600 && (has(v, PKTD_LAYER_ETH)));
        if (has(v, PKTD_LAYER_ETH) && t < 0x600)
            FUZZ_CHECK(v->flags & PKTD_F_ETH_8023);
    } else {
        FUZZ_CHECK(v->eth_type == 0 && (v->flags & PKTD_F_ETH_8023) == 0);
    }
    (void)len;
}

static void check_arp(const struct view *v, const uint8_t *d)
{
    if (!has(v, PKTD_LAYER_ARP)) {
        FUZZ_CHECK(v->arp_htype == 0 && v->arp_ptype == 0 && v->arp_op == 0);
        FUZZ_CHECK(v->arp_hlen == 0 && v->arp_plen == 0);
        FUZZ_CHECK(v->arp_sha == -1 && v->arp_spa == -1 && v->arp_tha == -1 && v->arp_tpa == -1);
        FUZZ_CHECK(v->arp_spa_ip == 0 && v->arp_tpa_ip == 0);
        return;
    }
    int64_t a = v->hoff[PKTD_LAYER_ARP];
    const uint8_t *h = d + a;
    uint32_t hl = h[4], pl = h[5];
    FUZZ_CHECK(v->arp_htype == fuzz_be16(h) && v->arp_ptype == fuzz_be16(h + 2));
    FUZZ_CHECK(v->arp_op == fuzz_be16(h + 6));
    FUZZ_CHECK(v->arp_hlen == hl && v->arp_plen == pl);
    FUZZ_CHECK(v->hlen[PKTD_LAYER_ARP] == 8 + 2 * hl + 2 * pl);
    FUZZ_CHECK(v->arp_sha == a + 8 && v->arp_spa == a + 8 + hl);
    FUZZ_CHECK(v->arp_tha == a + 8 + hl + pl && v->arp_tpa == a + 8 + 2 * hl + pl);
    /* An IPv4 protocol address is a host-order value only when it is one. */
    int ipv4 = v->arp_ptype == 0x0800 && pl == 4;
    FUZZ_CHECK(v->arp_spa_ip == (ipv4 ? fuzz_be32(h + 8 + hl) : 0));
    FUZZ_CHECK(v->arp_tpa_ip == (ipv4 ? fuzz_be32(h + 8 + 2 * hl + pl) : 0));
    if (v->arp_htype == 1)
        FUZZ_CHECK(hl == 6);
    if (v->arp_ptype == 0x0800)
        FUZZ_CHECK(pl == 4);
}

/* The documented TCP/IPv4 option rules, walked independently: returns 0
 * when the list is valid up to End-of-list, and fills @p out with what the
 * iterator must produce. */
static int model_options(const uint8_t *a, size_t n, int tcp, int64_t base, struct opt *out,
                         size_t *count)
{
    size_t i = 0, k = 0;
    while (i < n) {
        uint8_t kind = a[i];
        if (kind == 0 || kind == 1) {
            out[k].kind = kind;
            out[k].off = base + (int64_t)i + 1;
            out[k].len = 0;
            k++;
            i++;
            if (kind == 0)
                break;
            continue;
        }
        if (n - i < 2)
            return -1;
        size_t ol = a[i + 1];
        if (ol < 2 || ol > n - i)
            return -1;
        if (tcp) {
            int ok = 1;
            switch (kind) {
            case 2: ok = ol == 4; break;
            case 3: ok = ol == 3; break;
            case 4: ok = ol == 2; break;
            case 8: ok = ol == 10; break;
            case 5: ok = ol >= 10 && ol <= 34 && (ol - 2) % 8 == 0; break;
            default: break;
            }
            if (!ok)
                return -1;
        }
        out[k].kind = kind;
        out[k].off = base + (int64_t)i + 2;
        out[k].len = ol - 2;
        k++;
        i += ol;
    }
    *count = k;
    return 0;
}

static void check_opts_equal(const struct opt *a, size_t na, const struct opt *b, size_t nb)
{
    FUZZ_CHECK(na == nb);
    for (size_t i = 0; i < na; i++)
        FUZZ_CHECK(a[i].kind == b[i].kind && a[i].off == b[i].off && a[i].len == b[i].len);
}

/* IPv4 facts the transport checks need: whether the segment is whole and
 * how long the header says it is. */
struct ipinfo {
    int present, whole;
    size_t seg_len; /* total length - header length, when whole */
    int v6;         /* IPv6: the pseudo-header is its addresses */
    int64_t dst6;   /* IPv6: offset of the pseudo-header's destination, -1 if unknown */
};

static struct ipinfo check_ipv4(const struct view *v, const uint8_t *d, size_t len,
                                uint32_t cursor, const struct input *in, const pktd_packet *p)
{
    struct ipinfo ii = {0, 0, 0, 0, -1};
    if (!has(v, PKTD_LAYER_IPV4)) {
        FUZZ_CHECK(v->ip_ihl == 0 && v->ip_tos == 0 && v->ip_ttl == 0 && v->ip_proto == 0);
        FUZZ_CHECK(v->ip_total == 0 && v->ip_id == 0 && v->ip_frag == 0 && v->ip_csum == 0);
        FUZZ_CHECK(v->ip_df == 0 && v->ip_mf == 0 && v->ip_rf == 0);
        FUZZ_CHECK(v->ip_src == 0 && v->ip_dst == 0);
        FUZZ_CHECK(v->ip_csum_ok == CSUM_UNVERIFIED && v->ip_opt_rc == 0);
        if (!has(v, PKTD_LAYER_IPV6))
            FUZZ_CHECK((v->flags & (PKTD_F_FRAGMENT | PKTD_F_LATER_FRAGMENT)) == 0);
        return ii;
    }
    int64_t o = v->hoff[PKTD_LAYER_IPV4];
    const uint8_t *h = d + o;
    size_t avail = len - (size_t)o;
    size_t hl = (size_t)(h[0] & 15) * 4;
    FUZZ_CHECK(h[0] >> 4 == 4 && hl >= 20 && hl <= avail);
    FUZZ_CHECK(v->hlen[PKTD_LAYER_IPV4] == hl && v->ip_ihl == hl / 4);
    FUZZ_CHECK(v->ip_tos == h[1] && v->ip_total == fuzz_be16(h + 2));
    FUZZ_CHECK(v->ip_id == fuzz_be16(h + 4));
    uint16_t fr = fuzz_be16(h + 6);
    FUZZ_CHECK(v->ip_frag == (fr & 0x1fff) && v->ip_df == !!(fr & 0x4000) &&
               v->ip_mf == !!(fr & 0x2000) && v->ip_rf == !!(fr & 0x8000));
    FUZZ_CHECK(v->ip_ttl == h[8] && v->ip_proto == h[9] && v->ip_csum == fuzz_be16(h + 10));
    FUZZ_CHECK(v->ip_src == fuzz_be32(h + 12) && v->ip_dst == fuzz_be32(h + 16));
    FUZZ_CHECK(v->ip_csum_ok == (fuzz_csum(0, h, hl) == 0xffff));

    /* Options: the raw area, the iterator, and the documented rules. */
    FUZZ_CHECK(v->ip_opt_rc == 1 && v->ip_opt_off == o + 20 && v->ip_opt_len == hl - 20);
    struct opt model[MAX_OPTS];
    size_t nmodel = 0;
    FUZZ_CHECK(model_options(h + 20, hl - 20, 0, o + 20, model, &nmodel) == 0);
    check_opts_equal(v->ip_opts, v->ip_nopts, model, nmodel);
    options_from_cursor(in, p, 0, o + 20, hl - 20, cursor);

    /* Lengths and flags. */
    size_t tot = v->ip_total;
    int frag = (fr & 0x3fff) != 0;
    FUZZ_CHECK(!!(v->flags & PKTD_F_FRAGMENT) == frag);
    FUZZ_CHECK(!!(v->flags & PKTD_F_LATER_FRAGMENT) == ((fr & 0x1fff) != 0));
    FUZZ_CHECK(!!(v->flags & PKTD_F_IPV4_LEN_ZERO) == (tot == 0));
    FUZZ_CHECK(tot == 0 || tot >= hl);
    FUZZ_CHECK(!!(v->flags & PKTD_F_IPV4_TRUNCATED) == (tot > avail));
    FUZZ_CHECK(!!(v->flags & PKTD_F_IPV4_PADDING) == (tot != 0 && tot < avail));
    if (fr & 0x1fff) {
        FUZZ_CHECK(!has(v, PKTD_LAYER_TCP) && !has(v, PKTD_LAYER_UDP) &&
                   !has(v, PKTD_LAYER_ICMP));
        FUZZ_CHECK(v->rc == 0);
    }
    /* The payload never runs past the total length: padding is not payload. */
    size_t ip_end = tot != 0 && tot < avail ? (size_t)o + tot : len;
    if (v->pay_rc == 1)
        FUZZ_CHECK((size_t)v->pay_off + v->pay_len <= ip_end);
    if (v->rc == 0 && !has(v, PKTD_LAYER_UDP))
        FUZZ_CHECK((size_t)v->pay_off + v->pay_len == ip_end);
    /* After the IP header comes what the protocol field says. */
    uint8_t proto = h[9];
    if (has(v, PKTD_LAYER_TCP) || v->elayer == PKTD_LAYER_TCP)
        FUZZ_CHECK(proto == 6);
    if (has(v, PKTD_LAYER_UDP) || v->elayer == PKTD_LAYER_UDP)
        FUZZ_CHECK(proto == 17);
    if (has(v, PKTD_LAYER_ICMP) || v->elayer == PKTD_LAYER_ICMP)
        FUZZ_CHECK(proto == 1);
    if (v->rc == 0 && (fr & 0x1fff) == 0 && (proto == 6 || proto == 17 || proto == 1))
        FUZZ_CHECK(has(v, PKTD_LAYER_TCP) || has(v, PKTD_LAYER_UDP) || has(v, PKTD_LAYER_ICMP));

    ii.present = 1;
    ii.whole = tot != 0 && !frag;
    ii.seg_len = tot != 0 ? tot - hl : 0;
    return ii;
}

/* A transport checksum, checked against an independent computation when
 * the library says it could compute it. */
static void check_l4_csum(int got, const struct ipinfo *ii, const uint8_t *d, size_t len,
                          int64_t l4_off, size_t l4_len, uint32_t proto, int64_t ip_off)
{
    if (!ii->present) {
        FUZZ_CHECK(got == CSUM_UNVERIFIED);
        return;
    }
    if (!ii->whole || (size_t)l4_off + l4_len > len) {
        FUZZ_CHECK(got == CSUM_UNVERIFIED);
        return;
    }
    if (ii->v6 && ii->dst6 < 0)
        return; /* a routing header's final destination: not modelled here */
    FUZZ_CHECK(got == 0 || got == 1);
    const uint8_t *ip = d + ip_off;
    uint64_t sum;
    if (ii->v6) {
        sum = proto + (l4_len >> 16) + (l4_len & 0xffff);
        for (int i = 0; i < 16; i += 2)
            sum += (uint64_t)fuzz_be16(ip + 8 + i) + fuzz_be16(d + ii->dst6 + i);
    } else {
        sum = (uint64_t)fuzz_be16(ip + 12) + fuzz_be16(ip + 14) + fuzz_be16(ip + 16) +
              fuzz_be16(ip + 18) + proto + l4_len;
    }
    FUZZ_CHECK(got == (fuzz_csum(sum, d + l4_off, l4_len) == 0xffff));
}

static int64_t ii_ip_off(const struct view *v, const struct ipinfo *ii)
{
    return v->hoff[ii->v6 ? PKTD_LAYER_IPV6 : PKTD_LAYER_IPV4];
}

/* IPv6: the fixed header against the bytes, the extension headers the
 * iterator returns laid end to end up to the upper layer, the flags. */
static struct ipinfo check_ipv6(const struct view *v, const uint8_t *d, size_t len,
                                const pktd_packet *p)
{
    struct ipinfo ii = {0, 0, 0, 1, -1};
    if (!has(v, PKTD_LAYER_IPV6)) {
        FUZZ_CHECK(pktd_ipv6_src(p) == NULL && pktd_ipv6_plen(p) == 0);
        FUZZ_CHECK(pktd_ipv6_ext_count(p) == 0 && pktd_ipv6_upper(p, NULL, NULL) == 0);
        FUZZ_CHECK((v->flags & (PKTD_F_IPV6_TRUNCATED | PKTD_F_IPV6_PADDING |
                                PKTD_F_IPV6_LEN_ZERO | PKTD_F_IPV6_JUMBO)) == 0);
        ii.v6 = 0;
        return ii;
    }
    int64_t o = v->hoff[PKTD_LAYER_IPV6];
    const uint8_t *h = d + o;
    FUZZ_CHECK(v->hlen[PKTD_LAYER_IPV6] == 40 && (size_t)o + 40 <= len);
    FUZZ_CHECK(h[0] >> 4 == 6 && pktd_ipv6_version(p) == 6);
    FUZZ_CHECK(pktd_ipv6_plen(p) == fuzz_be16(h + 4) && pktd_ipv6_next(p) == h[6]);
    FUZZ_CHECK(pktd_ipv6_hlim(p) == h[7] && pktd_ipv6_src(p) == h + 8 &&
               pktd_ipv6_dst(p) == h + 24);
    FUZZ_CHECK(pktd_ipv6_flow(p) == (fuzz_be32(h) & 0xfffff));
    uint32_t c = 0, n = 0;
    uint8_t type;
    const uint8_t *e;
    size_t elen;
    size_t at = (size_t)o + 40;
    int rt_segleft = 0;
    while (pktd_ipv6_ext_next(p, &c, &type, &e, &elen)) {
        FUZZ_CHECK(e == d + at && elen >= 8 && at + elen <= len && n < PKTD_IPV6_MAX_EXT);
        if (type == 43 && e[3] != 0)
            rt_segleft = 1;
        at += elen;
        n++;
    }
    FUZZ_CHECK(n == pktd_ipv6_ext_count(p));
    FUZZ_CHECK(v->ip6_upper_off == (int64_t)at);
    size_t plen = fuzz_be16(h + 4);
    size_t avail = len - (size_t)o - 40;
    uint32_t jumbo = pktd_ipv6_jumbo_len(p);
    FUZZ_CHECK(!!(v->flags & PKTD_F_IPV6_JUMBO) == (jumbo != 0));
    FUZZ_CHECK(!!(v->flags & PKTD_F_IPV6_LEN_ZERO) == (plen == 0 && jumbo == 0));
    uint64_t wire = plen != 0 ? plen : jumbo;
    if (wire != 0) {
        FUZZ_CHECK(!!(v->flags & PKTD_F_IPV6_TRUNCATED) == (wire > avail));
        FUZZ_CHECK(!!(v->flags & PKTD_F_IPV6_PADDING) == (wire < avail));
        FUZZ_CHECK(at <= (size_t)o + 40 + wire);
    }
    if (v->flags & PKTD_F_LATER_FRAGMENT)
        FUZZ_CHECK(!has(v, PKTD_LAYER_TCP) && !has(v, PKTD_LAYER_UDP) &&
                   !has(v, PKTD_LAYER_ICMPV6));
    ii.present = 1;
    ii.whole = wire != 0 && !(v->flags & PKTD_F_FRAGMENT);
    ii.seg_len = wire != 0 ? (size_t)(o + 40 + (int64_t)wire - (int64_t)at) : 0;
    ii.dst6 = rt_segleft ? -1 : o + 24;
    return ii;
}

static void check_icmpv6(const struct view *v, const uint8_t *d, size_t len,
                         const struct ipinfo *ii, const pktd_packet *p)
{
    int csum = pktd_icmpv6_checksum_ok(p) ? 1 : pktd_icmpv6_checksum_bad(p) ? 0 : CSUM_UNVERIFIED;
    if (!has(v, PKTD_LAYER_ICMPV6)) {
        FUZZ_CHECK(pktd_icmpv6_type(p) == 0 && pktd_icmpv6_checksum(p) == 0);
        FUZZ_CHECK(csum == CSUM_UNVERIFIED && pktd_icmpv6_nd_target(p) == NULL);
        return;
    }
    int64_t o = v->hoff[PKTD_LAYER_ICMPV6];
    const uint8_t *h = d + o;
    FUZZ_CHECK(v->hlen[PKTD_LAYER_ICMPV6] >= 4 && pktd_icmpv6_type(p) == h[0]);
    FUZZ_CHECK(pktd_icmpv6_code(p) == h[1] && pktd_icmpv6_checksum(p) == fuzz_be16(h + 2));
    const uint8_t *t = pktd_icmpv6_nd_target(p);
    FUZZ_CHECK(t == NULL || (t == h + 8 && (size_t)o + 24 <= len));
    uint32_t c = 0;
    uint8_t type;
    const uint8_t *e;
    size_t elen;
    size_t at = (size_t)o + v->hlen[PKTD_LAYER_ICMPV6];
    while (pktd_icmpv6_nd_option_next(p, &c, &type, &e, &elen)) {
        FUZZ_CHECK(e == d + at && elen >= 8 && elen % 8 == 0 && at + elen <= len);
        at += elen;
    }
    check_l4_csum(csum, ii, d, len, o, ii->seg_len, 58, v->hoff[PKTD_LAYER_IPV6]);
}

static void check_tcp(const struct view *v, const uint8_t *d, size_t len, const struct ipinfo *ii,
                      uint32_t cursor, const struct input *in, const pktd_packet *p)
{
    if (!has(v, PKTD_LAYER_TCP)) {
        FUZZ_CHECK(v->tcp_sport == 0 && v->tcp_dport == 0 && v->tcp_seq == 0 && v->tcp_ack == 0);
        FUZZ_CHECK(v->tcp_doff == 0 && v->tcp_flags == 0 && v->tcp_ns == 0);
        FUZZ_CHECK(v->tcp_window == 0 && v->tcp_csum == 0 && v->tcp_urgent == 0);
        FUZZ_CHECK(!v->tcp_has_mss && !v->tcp_has_ws && !v->tcp_sack_perm && !v->tcp_has_ts);
        FUZZ_CHECK(v->tcp_sack_count == 0 && v->tcp_sack_rc[0] == 0);
        FUZZ_CHECK(v->tcp_csum_ok == CSUM_UNVERIFIED && v->tcp_opt_rc == 0);
        return;
    }
    int64_t o = v->hoff[PKTD_LAYER_TCP];
    const uint8_t *h = d + o;
    size_t hl = (size_t)(h[12] >> 4) * 4;
    FUZZ_CHECK(hl >= 20 && v->hlen[PKTD_LAYER_TCP] == hl);
    FUZZ_CHECK(v->tcp_sport == fuzz_be16(h) && v->tcp_dport == fuzz_be16(h + 2));
    FUZZ_CHECK(v->tcp_seq == fuzz_be32(h + 4) && v->tcp_ack == fuzz_be32(h + 8));
    FUZZ_CHECK(v->tcp_doff == h[12] >> 4 && v->tcp_ns == (h[12] & 1) && v->tcp_flags == h[13]);
    FUZZ_CHECK(v->tcp_window == fuzz_be16(h + 14) && v->tcp_csum == fuzz_be16(h + 16));
    FUZZ_CHECK(v->tcp_urgent == fuzz_be16(h + 18));
    if (ii->whole)
        FUZZ_CHECK(hl <= ii->seg_len);

    FUZZ_CHECK(v->tcp_opt_rc == 1 && v->tcp_opt_off == o + 20 && v->tcp_opt_len == hl - 20);
    struct opt model[MAX_OPTS];
    size_t nmodel = 0;
    FUZZ_CHECK(model_options(h + 20, hl - 20, 1, o + 20, model, &nmodel) == 0);
    check_opts_equal(v->tcp_opts, v->tcp_nopts, model, nmodel);
    options_from_cursor(in, p, 1, o + 20, hl - 20, cursor);

    /* The known-option accessors report the first occurrence. */
    const struct opt *first[9] = {0};
    for (size_t i = 0; i < nmodel; i++)
        if (model[i].kind < 9 && first[model[i].kind] == NULL)
            first[model[i].kind] = &model[i];
    FUZZ_CHECK(v->tcp_has_mss == (first[2] != NULL));
    if (first[2])
        FUZZ_CHECK(v->tcp_mss == fuzz_be16(d + first[2]->off));
    FUZZ_CHECK(v->tcp_has_ws == (first[3] != NULL));
    if (first[3])
        FUZZ_CHECK(v->tcp_ws == d[first[3]->off]);
    FUZZ_CHECK(v->tcp_sack_perm == (first[4] != NULL));
    FUZZ_CHECK(v->tcp_has_ts == (first[8] != NULL));
    if (first[8])
        FUZZ_CHECK(v->tcp_ts_val == fuzz_be32(d + first[8]->off) &&
                   v->tcp_ts_ecr == fuzz_be32(d + first[8]->off + 4));
    uint32_t nsack = first[5] ? (uint32_t)first[5]->len / 8 : 0;
    FUZZ_CHECK(v->tcp_sack_count == nsack && nsack <= 4);
    for (uint32_t i = 0; i < 5; i++) {
        FUZZ_CHECK(v->tcp_sack_rc[i] == (i < nsack));
        if (i < nsack)
            FUZZ_CHECK(v->tcp_sack[i][0] == fuzz_be32(d + first[5]->off + 8 * i) &&
                       v->tcp_sack[i][1] == fuzz_be32(d + first[5]->off + 8 * i + 4));
        else
            FUZZ_CHECK(v->tcp_sack_rc[i] == 0);
    }
    check_l4_csum(v->tcp_csum_ok, ii, d, len, o, ii->seg_len, 6, ii_ip_off(v, ii));
}

static void check_udp(const struct view *v, const uint8_t *d, size_t len, const struct ipinfo *ii)
{
    if (!has(v, PKTD_LAYER_UDP)) {
        FUZZ_CHECK(v->udp_sport == 0 && v->udp_dport == 0 && v->udp_len == 0 && v->udp_csum == 0);
        FUZZ_CHECK(v->udp_csum_ok == CSUM_UNVERIFIED);
        FUZZ_CHECK((v->flags & (PKTD_F_UDP_TRUNCATED | PKTD_F_UDP_LEN_ZERO | PKTD_F_UDP_PADDING)) ==
                   0);
        return;
    }
    int64_t o = v->hoff[PKTD_LAYER_UDP];
    const uint8_t *h = d + o;
    FUZZ_CHECK(v->hlen[PKTD_LAYER_UDP] == 8);
    FUZZ_CHECK(v->udp_sport == fuzz_be16(h) && v->udp_dport == fuzz_be16(h + 2));
    FUZZ_CHECK(v->udp_len == fuzz_be16(h + 4) && v->udp_csum == fuzz_be16(h + 6));
    size_t ulen = v->udp_len;
    FUZZ_CHECK(ulen == 0 || ulen >= 8);
    FUZZ_CHECK(!!(v->flags & PKTD_F_UDP_LEN_ZERO) == (ulen == 0));
    if (ulen >= 8 && v->pay_rc == 1)
        FUZZ_CHECK((size_t)v->pay_off + v->pay_len <= (size_t)o + ulen);
    if (ii->whole && !(v->flags & PKTD_F_FRAGMENT))
        FUZZ_CHECK(ulen <= ii->seg_len);
    if (!ii->present) {
        FUZZ_CHECK(v->udp_csum_ok == CSUM_UNVERIFIED);
    } else if (v->udp_csum == 0) {
        /* None sent: nothing to verify over IPv4, wrong over IPv6. */
        FUZZ_CHECK(v->udp_csum_ok == (ii->v6 ? 0 : CSUM_UNVERIFIED));
        FUZZ_CHECK(!!(v->flags & PKTD_F_UDP_ZERO_CSUM) == ii->v6);
    } else {
        size_t eff = ulen != 0 ? ulen : ii->seg_len;
        check_l4_csum(v->udp_csum_ok, ii, d, len, o, eff, 17, ii_ip_off(v, ii));
    }
}

static void check_icmp(const struct view *v, const uint8_t *d, size_t len, const struct ipinfo *ii)
{
    if (!has(v, PKTD_LAYER_ICMP)) {
        FUZZ_CHECK(v->icmp_type == 0 && v->icmp_code == 0 && v->icmp_csum == 0);
        FUZZ_CHECK(v->icmp_rest == 0 && v->icmp_echo == 0);
        FUZZ_CHECK(v->icmp_csum_ok == CSUM_UNVERIFIED);
        return;
    }
    int64_t o = v->hoff[PKTD_LAYER_ICMP];
    const uint8_t *h = d + o;
    FUZZ_CHECK(v->hlen[PKTD_LAYER_ICMP] == 8);
    FUZZ_CHECK(v->icmp_type == h[0] && v->icmp_code == h[1]);
    FUZZ_CHECK(v->icmp_csum == fuzz_be16(h + 2) && v->icmp_rest == fuzz_be32(h + 4));
    FUZZ_CHECK(v->icmp_echo == (h[0] == 0 || h[0] == 8));
    if (v->icmp_echo)
        FUZZ_CHECK(v->icmp_id == fuzz_be16(h + 4) && v->icmp_seq == fuzz_be16(h + 6));
    if (ii->present) {
        if (!ii->whole || (size_t)o + ii->seg_len > len)
            FUZZ_CHECK(v->icmp_csum_ok == CSUM_UNVERIFIED);
        else
            FUZZ_CHECK(v->icmp_csum_ok == (fuzz_csum(0, h, ii->seg_len) == 0xffff));
    } else {
        FUZZ_CHECK(v->icmp_csum_ok == (fuzz_csum(0, h, len - (size_t)o) == 0xffff));
    }
}

static int run_entry(pktd_packet *p, enum fuzz_entry entry, uint32_t linktype, const uint8_t *d,
                     size_t len)
{
    switch (entry) {
    case FUZZ_DECODE:
        return pktd_decode(p, linktype, d, len);
    case FUZZ_ETH:
        return pktd_eth_parse(p, d, len);
    case FUZZ_SLL:
        return pktd_sll_parse(p, d, len);
    case FUZZ_SLL2:
        return pktd_sll2_parse(p, d, len);
    case FUZZ_ARP:
        return pktd_arp_parse(p, d, len);
    case FUZZ_IPV4:
        return pktd_ipv4_parse(p, d, len);
    case FUZZ_TCP:
        return pktd_tcp_parse(p, d, len);
    case FUZZ_UDP:
        return pktd_udp_parse(p, d, len);
    default:
        return pktd_icmp_parse(p, d, len);
    }
}

int fuzz_decode_checked(enum fuzz_entry entry, uint32_t linktype, const uint8_t *data, size_t len,
                        uint32_t cursor)
{
    static struct view v1, v2; /* large: keep them off the stack */
    struct input in = {data, len};
    pktd_packet clean, dirty;
    memset(&clean, 0, sizeof clean);
    memset(&dirty, 0xa5, sizeof dirty);

    int rc = run_entry(&clean, entry, linktype, data, len);
    read_view(&in, &clean, rc, &v1);
    check_error(&v1, &clean, len);
    check_stack(&v1, entry, linktype, len);
    check_link(&v1, data, len);
    check_arp(&v1, data);
    struct ipinfo ii = check_ipv4(&v1, data, len, cursor, &in, &clean);
    if (!ii.present)
        ii = check_ipv6(&v1, data, len, &clean);
    check_icmpv6(&v1, data, len, &ii, &clean);
    check_tcp(&v1, data, len, &ii, cursor, &in, &clean);
    check_udp(&v1, data, len, &ii);
    check_icmp(&v1, data, len, &ii);

    /* Same input, a state full of garbage: every answer must be the same. */
    int rc2 = run_entry(&dirty, entry, linktype, data, len);
    FUZZ_CHECK(rc2 == rc);
    read_view(&in, &dirty, rc2, &v2);
    FUZZ_CHECK(memcmp(&v1, &v2, sizeof v1) == 0);
    return rc;
}
