/* Text and JSON rendering of a decoded packet for the example programs.
 * Field names and order follow the JSON schema in doc/json.md; keys of absent
 * layers are left out. */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "print.h"
#include "proto.h"

static void put_ipv4(FILE *out, uint32_t a)
{
    char text[PKTD_IPV4_STRLEN];
    (void)pktd_ipv4_format(a, text, sizeof text);
    fputs(text, out);
}

/* A hardware address: the library's text for a MAC, colon-separated hex
 * for the other sizes ARP and the cooked headers can carry. */
static void put_mac(FILE *out, const uint8_t *a, size_t n)
{
    if (n == PKTD__ETH_ALEN) {
        char text[PKTD_MAC_STRLEN];
        (void)pktd_mac_format(a, text, sizeof text);
        fputs(text, out);
        return;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(out, i ? ":%02x" : "%02x", a[i]);
}

/* An ARP protocol address: dotted quad for 4-byte ones (an IPv4 address
 * when ptype is IPv4, read as one otherwise), hex for the other sizes. */
static void put_arp_paddr(FILE *out, const pktd_packet *p, int target)
{
    size_t n = pktd_arp_plen(p);
    if (pktd_arp_ptype(p) == PKTD__ETHERTYPE_IPV4 && n == PKTD__IPV4_ALEN) {
        put_ipv4(out, target ? pktd_arp_tpa(p) : pktd_arp_spa(p));
        return;
    }
    const uint8_t *a = target ? pktd_arp_tpa_bytes(p) : pktd_arp_spa_bytes(p);
    if (n == PKTD__IPV4_ALEN)
        put_ipv4(out, (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]);
    else
        put_mac(out, a, n);
}

static void put_ipv6(FILE *out, const uint8_t *a)
{
    char text[PKTD_IPV6_STRLEN];
    (void)pktd_ipv6_format(a, text, sizeof text);
    fputs(text, out);
}

/* The "csum_ok" key of tcp, udp and icmpv6 (1.1): present only when the
 * library could verify the checksum (not for a truncated capture or an IPv4
 * fragment). */
static void json_csum_ok(FILE *out, int ok, int bad)
{
    if (ok || bad)
        fprintf(out, ",\"csum_ok\":%s", ok ? "true" : "false");
}

static void put_error_msg(FILE *out, const pktd_packet *p, int json)
{
    char msg[160];
    if (pktd_packet_error_format(p, msg, sizeof msg) < 0)
        msg[0] = '\0';
    if (!json) {
        fputs(msg, out);
        return;
    }
    /* Messages come from the library's fixed table: escape anyway. */
    for (const char *s = msg; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static size_t payload_len(const pktd_packet *p)
{
    size_t len = 0;
    pktd_packet_payload(p, NULL, &len);
    return len;
}

/* ------------------------------------------------------------------ JSON */

static void json_eth(FILE *out, const pktd_packet *p)
{
    fputs(",\"eth\":{\"src\":\"", out);
    put_mac(out, pktd_eth_src(p), PKTD__ETH_ALEN);
    fputs("\",\"dst\":\"", out);
    put_mac(out, pktd_eth_dst(p), PKTD__ETH_ALEN);
    fprintf(out, "\",\"type\":%u,\"vlan\":[", pktd_eth_type(p));
    uint32_t nv = pktd_vlan_count(p);
    for (uint32_t i = 0; i < nv; i++)
        fprintf(out, i ? ",%u" : "%u", pktd_vlan_vid(p, i));
    fputs("]}", out);
}

static void json_sll(FILE *out, const pktd_packet *p)
{
    size_t alen = 0;
    const uint8_t *addr = pktd_sll_addr(p, &alen);
    fprintf(out, ",\"sll\":{\"pkttype\":%u,\"hatype\":%u,\"type\":%u", pktd_sll_pkttype(p),
            pktd_sll_hatype(p), pktd_eth_type(p));
    if (pktd_packet_has(p, PKTD_LAYER_SLL2))
        fprintf(out, ",\"ifindex\":%u", pktd_sll2_ifindex(p));
    fputs(",\"addr\":\"", out);
    if (addr != NULL)
        put_mac(out, addr, alen);
    fputs("\"}", out);
}

/* Link headers without an "eth" object (1.1): what the header said. */
static void json_link(FILE *out, const pktd_packet *p)
{
    fprintf(out, ",\"link\":{\"type\":%u", pktd_packet_linktype(p));
    if (pktd_packet_has(p, PKTD_LAYER_LOOPBACK))
        fprintf(out, ",\"family\":%u", pktd_loopback_family(p));
    if (pktd_packet_has(p, PKTD_LAYER_PPP)) {
        if (pktd_ppp_has_address(p))
            fprintf(out, ",\"addr\":255,\"ctrl\":%u", pktd_ppp_control(p));
        fprintf(out, ",\"proto\":%u", pktd_ppp_protocol(p));
    }
    if (pktd_packet_has(p, PKTD_LAYER_CHDLC))
        fprintf(out, ",\"addr\":%u,\"ctrl\":%u,\"proto\":%u", pktd_chdlc_address(p),
                pktd_chdlc_control(p), pktd_chdlc_protocol(p));
    fputc('}', out);
}

static int has_link(const pktd_packet *p)
{
    return pktd_packet_has(p, PKTD_LAYER_LOOPBACK) || pktd_packet_has(p, PKTD_LAYER_PPP) ||
           pktd_packet_has(p, PKTD_LAYER_CHDLC);
}

static void json_arp(FILE *out, const pktd_packet *p)
{
    size_t hl = pktd_arp_hlen(p);
    fprintf(out, ",\"arp\":{\"htype\":%u,\"ptype\":%u,\"op\":%u,\"sha\":\"", pktd_arp_htype(p),
            pktd_arp_ptype(p), pktd_arp_op(p));
    put_mac(out, pktd_arp_sha(p), hl);
    fputs("\",\"spa\":\"", out);
    put_arp_paddr(out, p, 0);
    fputs("\",\"tha\":\"", out);
    put_mac(out, pktd_arp_tha(p), hl);
    fputs("\",\"tpa\":\"", out);
    put_arp_paddr(out, p, 1);
    fputs("\"}", out);
}

/* The IPv4 total length, or for a header whose field is 0 (segmentation
 * offload) the length actually captured from the IPv4 header on, as tshark
 * reports it; the "len_zero" key marks that case. */
static unsigned ipv4_effective_len(const pktd_packet *p, const struct print_record *r)
{
    unsigned field = pktd_ipv4_total_len(p);
    if (field != 0 || !(pktd_packet_flags(p) & PKTD_F_IPV4_LEN_ZERO))
        return field;
    static const uint32_t link_layers[] = {PKTD_LAYER_ETH, PKTD_LAYER_SLL, PKTD_LAYER_SLL2,
                                           PKTD_LAYER_IPV4};
    const uint8_t *first = NULL, *ip = NULL;
    for (size_t i = 0; i < sizeof link_layers / sizeof link_layers[0] && first == NULL; i++)
        pktd_packet_header(p, link_layers[i], &first, NULL);
    pktd_packet_header(p, PKTD_LAYER_IPV4, &ip, NULL);
    return (unsigned)(r->caplen - (size_t)(ip - first));
}

static void json_ipv4(FILE *out, const pktd_packet *p, const struct print_record *r)
{
    size_t opts_len = 0;
    pktd_ipv4_options(p, NULL, &opts_len);
    fputs(",\"ipv4\":{\"src\":\"", out);
    put_ipv4(out, pktd_ipv4_src(p));
    fputs("\",\"dst\":\"", out);
    put_ipv4(out, pktd_ipv4_dst(p));
    fprintf(out,
            "\",\"ihl\":%u,\"tos\":%u,\"len\":%u,\"id\":%u,\"df\":%s,\"mf\":%s,\"frag\":%u,"
            "\"ttl\":%u,\"proto\":%u,\"csum\":%u,\"csum_ok\":%s,\"opts_len\":%zu",
            pktd_ipv4_ihl(p), pktd_ipv4_tos(p), ipv4_effective_len(p, r), pktd_ipv4_id(p),
            pktd_ipv4_df(p) ? "true" : "false", pktd_ipv4_mf(p) ? "true" : "false",
            pktd_ipv4_frag_offset(p), pktd_ipv4_ttl(p), pktd_ipv4_proto(p), pktd_ipv4_checksum(p),
            pktd_ipv4_checksum_ok(p) == 1 ? "true" : "false", opts_len);
    if (pktd_packet_flags(p) & PKTD_F_IPV4_LEN_ZERO)
        fputs(",\"len_zero\":true", out);
    fputc('}', out);
}

static void json_ipv6(FILE *out, const pktd_packet *p)
{
    uint8_t proto = 0;
    pktd_ipv6_upper(p, &proto, NULL);
    fputs(",\"ipv6\":{\"src\":\"", out);
    put_ipv6(out, pktd_ipv6_src(p));
    fputs("\",\"dst\":\"", out);
    put_ipv6(out, pktd_ipv6_dst(p));
    fprintf(out, "\",\"tc\":%u,\"flow\":%" PRIu32 ",\"plen\":%u,\"nxt\":%u,\"hlim\":%u,\"ext\":[",
            pktd_ipv6_tclass(p), pktd_ipv6_flow(p), pktd_ipv6_plen(p), pktd_ipv6_next(p),
            pktd_ipv6_hlim(p));
    uint32_t cursor = 0;
    uint8_t type;
    size_t len;
    const char *sep = "";
    while (pktd_ipv6_ext_next(p, &cursor, &type, NULL, &len)) {
        fprintf(out, "%s{\"type\":%u,\"len\":%zu", sep, type, len);
        uint16_t off;
        uint8_t more;
        uint32_t id;
        if (type == PKTD__IPPROTO_FRAGMENT && pktd_ipv6_frag(p, &off, &more, &id))
            fprintf(out, ",\"frag\":%u,\"mf\":%s,\"id\":%" PRIu32, off, more ? "true" : "false",
                    id);
        fputc('}', out);
        sep = ",";
    }
    fprintf(out, "],\"proto\":%u}", proto);
}

static void json_tcp_opts(FILE *out, const pktd_packet *p)
{
    const char *sep = "";
    uint16_t mss;
    uint8_t ws;
    uint32_t tsval, tsecr;
    fputs(",\"opts\":{", out);
    if (pktd_tcp_opt_mss(p, &mss)) {
        fprintf(out, "%s\"mss\":%u", sep, mss);
        sep = ",";
    }
    if (pktd_tcp_opt_wscale(p, &ws)) {
        fprintf(out, "%s\"ws\":%u", sep, ws);
        sep = ",";
    }
    if (pktd_tcp_opt_sack_perm(p)) {
        fprintf(out, "%s\"sack_perm\":true", sep);
        sep = ",";
    }
    if (pktd_tcp_opt_timestamps(p, &tsval, &tsecr)) {
        fprintf(out, "%s\"ts\":[%" PRIu32 ",%" PRIu32 "]", sep, tsval, tsecr);
        sep = ",";
    }
    uint32_t ns = pktd_tcp_opt_sack_count(p);
    if (ns > 0) {
        fprintf(out, "%s\"sack\":[", sep);
        for (uint32_t i = 0; i < ns; i++) {
            uint32_t l = 0, r = 0;
            pktd_tcp_opt_sack_block(p, i, &l, &r);
            fprintf(out, "%s[%" PRIu32 ",%" PRIu32 "]", i ? "," : "", l, r);
        }
        fputc(']', out);
    }
    fputc('}', out);
}

static void json_tcp(FILE *out, const pktd_packet *p)
{
    fprintf(out,
            ",\"tcp\":{\"sport\":%u,\"dport\":%u,\"seq\":%" PRIu32 ",\"ack\":%" PRIu32
            ",\"doff\":%u,\"flags\":%u,\"win\":%u,\"csum\":%u,\"urp\":%u",
            pktd_tcp_sport(p), pktd_tcp_dport(p), pktd_tcp_seq(p), pktd_tcp_ack(p),
            pktd_tcp_doff(p), pktd_tcp_flags(p), pktd_tcp_window(p), pktd_tcp_checksum(p),
            pktd_tcp_urgent(p));
    json_csum_ok(out, pktd_tcp_checksum_ok(p), pktd_tcp_checksum_bad(p));
    json_tcp_opts(out, p);
    fprintf(out, ",\"payload_len\":%zu}", payload_len(p));
}

static void json_udp(FILE *out, const pktd_packet *p)
{
    fprintf(out, ",\"udp\":{\"sport\":%u,\"dport\":%u,\"len\":%u,\"csum\":%u",
            pktd_udp_sport(p), pktd_udp_dport(p), pktd_udp_len(p), pktd_udp_checksum(p));
    json_csum_ok(out, pktd_udp_checksum_ok(p), pktd_udp_checksum_bad(p));
    fprintf(out, ",\"payload_len\":%zu}", payload_len(p));
}

static void json_icmp(FILE *out, const pktd_packet *p)
{
    uint16_t id, seq;
    fprintf(out, ",\"icmp\":{\"type\":%u,\"code\":%u,\"csum\":%u", pktd_icmp_type(p),
            pktd_icmp_code(p), pktd_icmp_checksum(p));
    if (pktd_icmp_echo(p, &id, &seq))
        fprintf(out, ",\"id\":%u,\"seq\":%u", id, seq);
    fputc('}', out);
}

static void json_icmpv6(FILE *out, const pktd_packet *p)
{
    uint16_t id, seq;
    fprintf(out, ",\"icmpv6\":{\"type\":%u,\"code\":%u,\"csum\":%u", pktd_icmpv6_type(p),
            pktd_icmpv6_code(p), pktd_icmpv6_checksum(p));
    json_csum_ok(out, pktd_icmpv6_checksum_ok(p), pktd_icmpv6_checksum_bad(p));
    if (pktd_icmpv6_echo(p, &id, &seq))
        fprintf(out, ",\"id\":%u,\"seq\":%u", id, seq);
    const uint8_t *target = pktd_icmpv6_nd_target(p);
    if (target != NULL) {
        fputs(",\"target\":\"", out);
        put_ipv6(out, target);
        fputc('"', out);
    }
    fputc('}', out);
}

static void json_packet(FILE *out, const struct print_record *r, const pktd_packet *p);

/* The captured bytes of a tunnel's inner packet: from its first header to
 * the end of the outer packet's payload (what ipv4_effective_len() needs
 * as the record's caplen). */
static struct print_record inner_record(const struct print_record *r, const pktd_packet *outer,
                                        const pktd_packet *inner)
{
    struct print_record ir = *r;
    const uint8_t *pay = NULL, *first = NULL;
    size_t len = 0;
    static const uint32_t firsts[] = {PKTD_LAYER_ETH, PKTD_LAYER_PPP, PKTD_LAYER_IPV4,
                                      PKTD_LAYER_IPV6};
    for (size_t i = 0; i < sizeof firsts / sizeof firsts[0] && first == NULL; i++)
        pktd_packet_header(inner, firsts[i], &first, NULL);
    if (pktd_packet_payload(outer, &pay, &len) && first != NULL && first >= pay &&
        first <= pay + len)
        ir.caplen = ir.wire_len = (uint32_t)(pay + len - first);
    return ir;
}

/* The identifiers of the tunnel an inner state came through, as the
 * "encap" object's keys (doc: CONTRACT.md). */
static void json_tunnel_ids(FILE *out, const pktd_packet *in)
{
    uint32_t v;
    switch (pktd_packet_encap(in)) {
    case PKTD_TUNNEL_VXLAN:
    case PKTD_TUNNEL_GENEVE:
        if (pktd_tunnel_field(in, PKTD_TF_VNI, &v))
            fprintf(out, ",\"vni\":%" PRIu32, v);
        break;
    case PKTD_TUNNEL_GRE:
        if (pktd_tunnel_field(in, PKTD_TF_PROTOCOL, &v))
            fprintf(out, ",\"proto\":%" PRIu32, v);
        if (pktd_tunnel_field(in, PKTD_TF_KEY, &v))
            fprintf(out, ",\"key\":%" PRIu32, v);
        if (pktd_tunnel_field(in, PKTD_TF_SEQ, &v))
            fprintf(out, ",\"seq\":%" PRIu32, v);
        if (pktd_tunnel_field(in, PKTD_TF_ERSPAN_VERSION, &v))
            fprintf(out, ",\"erspan_ver\":%" PRIu32, v);
        if (pktd_tunnel_field(in, PKTD_TF_SESSION, &v))
            fprintf(out, ",\"erspan_session\":%" PRIu32, v);
        break;
    case PKTD_TUNNEL_MPLS: {
        uint32_t n = pktd_mpls_depth(in);
        fputs(",\"labels\":[", out);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t label = 0;
            pktd_mpls_entry(in, i, &label, NULL, NULL, NULL);
            fprintf(out, i ? ",%" PRIu32 : "%" PRIu32, label);
        }
        fputc(']', out);
        break;
    }
    case PKTD_TUNNEL_GTPU:
        if (pktd_tunnel_field(in, PKTD_TF_TEID, &v))
            fprintf(out, ",\"teid\":%" PRIu32, v);
        break;
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        if (pktd_tunnel_field(in, PKTD_TF_SESSION, &v))
            fprintf(out, ",\"session\":%" PRIu32, v);
        break;
    default: /* IP in IP: nothing of its own */
        break;
    }
}

/* The "encap" object of a packet that continues into a tunnel: the
 * tunnel's type and identifiers, then the inner packet's keys, recursively. */
static void json_encap(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    pktd_packet in;
    (void)pktd_decode_inner(p, &in);
    struct print_record ir = inner_record(r, p, &in);
    fprintf(out, ",\"encap\":{\"type\":\"%s\"", pktd_tunnel_name(pktd_packet_tunnel(p)));
    json_tunnel_ids(out, &in);
    json_packet(out, &ir, &in);
    fputc('}', out);
}

/* The keys of one packet's layers, its error and its tunnel. */
static void json_packet(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    if (pktd_packet_has(p, PKTD_LAYER_SLL) || pktd_packet_has(p, PKTD_LAYER_SLL2))
        json_sll(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_ETH))
        json_eth(out, p);
    if (has_link(p))
        json_link(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_ARP))
        json_arp(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_IPV4))
        json_ipv4(out, p, r);
    if (pktd_packet_has(p, PKTD_LAYER_IPV6))
        json_ipv6(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_TCP))
        json_tcp(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_UDP))
        json_udp(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_ICMP))
        json_icmp(out, p);
    if (pktd_packet_has(p, PKTD_LAYER_ICMPV6))
        json_icmpv6(out, p);
    int err = pktd_packet_error(p);
    if (err < 0) {
        fprintf(out, ",\"error\":{\"layer\":\"%s\",\"code\":\"%s\",\"msg\":\"",
                pktd_layer_name(pktd_packet_error_layer(p)), pktd_err_name(err));
        put_error_msg(out, p, 1);
        fputs("\"}", out);
    }
    if (pktd_packet_tunnel(p) != PKTD_TUNNEL_NONE)
        json_encap(out, r, p);
}

void pktd_print_json(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    fprintf(out, "{\"n\":%" PRIu64 ",\"ts_ns\":%" PRIu64 ",\"caplen\":%" PRIu32 ",\"len\":%" PRIu32,
            r->n, r->ts_ns, r->caplen, r->wire_len);
    json_packet(out, r, p);
    fputs("}\n", out);
}

/* ------------------------------------------------------------------ text */

static struct print_record inner_record(const struct print_record *r, const pktd_packet *outer,
                                        const pktd_packet *inner);

static void text_time(FILE *out, uint64_t ts_ns)
{
    time_t sec = (time_t)(ts_ns / 1000000000u);
    struct tm tm;
    gmtime_r(&sec, &tm);
    fprintf(out, "%02d:%02d:%02d.%09" PRIu64, tm.tm_hour, tm.tm_min, tm.tm_sec,
            ts_ns % 1000000000u);
}

static void text_tcp_flags(FILE *out, uint8_t f)
{
    /* tcpdump's letters: S F R P U E W, '.' for ACK, "none" for no flag. */
    static const struct { uint8_t bit; char c; } names[] = {
        {PKTD_TCP_SYN, 'S'}, {PKTD_TCP_FIN, 'F'}, {PKTD_TCP_RST, 'R'}, {PKTD_TCP_PSH, 'P'},
        {PKTD_TCP_URG, 'U'}, {PKTD_TCP_ECE, 'E'}, {PKTD_TCP_CWR, 'W'}, {PKTD_TCP_ACK, '.'},
    };
    fputs("Flags [", out);
    if (f == 0)
        fputs("none", out);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (f & names[i].bit)
            fputc(names[i].c, out);
    fputc(']', out);
}

static void text_tcp_opts(FILE *out, const pktd_packet *p)
{
    uint16_t mss;
    uint8_t ws;
    uint32_t tsval, tsecr;
    const char *sep = "";
    size_t olen = 0;
    pktd_tcp_options(p, NULL, &olen);
    if (olen == 0)
        return;
    fputs(", options [", out);
    if (pktd_tcp_opt_mss(p, &mss)) {
        fprintf(out, "%smss %u", sep, mss);
        sep = ",";
    }
    if (pktd_tcp_opt_sack_perm(p)) {
        fprintf(out, "%ssackOK", sep);
        sep = ",";
    }
    if (pktd_tcp_opt_timestamps(p, &tsval, &tsecr)) {
        fprintf(out, "%sTS val %" PRIu32 " ecr %" PRIu32, sep, tsval, tsecr);
        sep = ",";
    }
    if (pktd_tcp_opt_wscale(p, &ws)) {
        fprintf(out, "%swscale %u", sep, ws);
        sep = ",";
    }
    uint32_t ns = pktd_tcp_opt_sack_count(p);
    if (ns > 0) {
        fprintf(out, "%ssack %u", sep, ns);
        for (uint32_t i = 0; i < ns; i++) {
            uint32_t l = 0, r = 0;
            pktd_tcp_opt_sack_block(p, i, &l, &r);
            fprintf(out, " {%" PRIu32 ":%" PRIu32 "}", l, r);
        }
    }
    fputc(']', out);
}

static void text_arp(FILE *out, const pktd_packet *p)
{
    size_t hl = pktd_arp_hlen(p);
    uint16_t op = pktd_arp_op(p);
    fputs("ARP, ", out);
    if (op == PKTD__ARP_OP_REQUEST) {
        fputs("Request who-has ", out);
        put_arp_paddr(out, p, 1);
        fputs(" tell ", out);
        put_arp_paddr(out, p, 0);
    } else if (op == PKTD__ARP_OP_REPLY) {
        fputs("Reply ", out);
        put_arp_paddr(out, p, 0);
        fputs(" is-at ", out);
        put_mac(out, pktd_arp_sha(p), hl);
    } else {
        fprintf(out, "op %u ", op);
        put_arp_paddr(out, p, 0);
        fputs(" > ", out);
        put_arp_paddr(out, p, 1);
    }
}

static void text_tunnel(FILE *out, const struct print_record *r, const pktd_packet *p);

/* The TCP or UDP part of an IPv4 or IPv6 line, after the addresses. */
static void text_tcp_udp(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    if (pktd_packet_has(p, PKTD_LAYER_TCP)) {
        text_tcp_flags(out, pktd_tcp_flags(p));
        fprintf(out, ", seq %" PRIu32, pktd_tcp_seq(p));
        if (pktd_tcp_flags(p) & PKTD_TCP_ACK)
            fprintf(out, ", ack %" PRIu32, pktd_tcp_ack(p));
        fprintf(out, ", win %u", pktd_tcp_window(p));
        text_tcp_opts(out, p);
        fprintf(out, ", length %zu", payload_len(p));
    } else if (pktd_packet_tunnel(p) != PKTD_TUNNEL_NONE) {
        text_tunnel(out, r, p); /* VXLAN, Geneve, GTP-U instead of "UDP" */
    } else {
        fprintf(out, "UDP, length %zu", payload_len(p));
    }
}

static void text_ipv4(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    uint32_t src = pktd_ipv4_src(p), dst = pktd_ipv4_dst(p);
    int tcp = pktd_packet_has(p, PKTD_LAYER_TCP), udp = pktd_packet_has(p, PKTD_LAYER_UDP);
    fputs("IP ", out);
    put_ipv4(out, src);
    if (tcp || udp)
        fprintf(out, ".%u", tcp ? pktd_tcp_sport(p) : pktd_udp_sport(p));
    fputs(" > ", out);
    put_ipv4(out, dst);
    if (tcp || udp)
        fprintf(out, ".%u", tcp ? pktd_tcp_dport(p) : pktd_udp_dport(p));
    fputs(": ", out);
    if (tcp || udp) {
        text_tcp_udp(out, r, p);
    } else if (pktd_packet_has(p, PKTD_LAYER_ICMP)) {
        uint16_t id, seq;
        uint8_t type = pktd_icmp_type(p);
        if (pktd_icmp_echo(p, &id, &seq))
            fprintf(out, "ICMP echo %s, id %u, seq %u", type == PKTD__ICMP_ECHO_REQUEST ? "request" : "reply", id, seq);
        else
            fprintf(out, "ICMP type %u code %u", type, pktd_icmp_code(p));
        fprintf(out, ", length %zu", payload_len(p) + PKTD__ICMP_HLEN);
    } else if (pktd_packet_tunnel(p) != PKTD_TUNNEL_NONE) {
        text_tunnel(out, r, p); /* GRE, IP in IP */
    } else {
        fprintf(out, "proto %u", pktd_ipv4_proto(p));
        if (pktd_packet_flags(p) & PKTD_F_FRAGMENT)
            fprintf(out, " frag id %u offset %u%s", pktd_ipv4_id(p),
                    pktd_ipv4_frag_offset(p) * 8u, pktd_ipv4_mf(p) ? "+" : "");
        fprintf(out, ", length %zu", payload_len(p));
    }
}

/* The ICMPv6 message length as tcpdump prints it: from the ICMPv6 header to
 * the end the IPv6 payload length (or Jumbo Payload length) announces; for
 * a payload length of 0 without a jumbogram (segmentation offload), to the
 * end of what was decoded. */
static size_t icmpv6_length(const pktd_packet *p)
{
    const uint8_t *ip = NULL, *icmp = NULL, *pay = NULL;
    size_t plen = pktd_ipv6_plen(p), paylen = 0;
    pktd_packet_header(p, PKTD_LAYER_IPV6, &ip, NULL);
    pktd_packet_header(p, PKTD_LAYER_ICMPV6, &icmp, NULL);
    pktd_packet_payload(p, &pay, &paylen);
    if (plen == 0)
        plen = pktd_ipv6_jumbo_len(p);
    if (plen == 0 || ip == NULL || icmp == NULL)
        return pay != NULL && icmp != NULL ? (size_t)(pay + paylen - icmp) : 0;
    return (size_t)(ip + PKTD__IPV6_HLEN + plen - icmp);
}

/* tcpdump's wording for the common ICMPv6 messages, the type number for
 * the others. */
static void text_icmpv6(FILE *out, const pktd_packet *p)
{
    uint16_t id, seq;
    uint8_t type = pktd_icmpv6_type(p);
    const uint8_t *target = pktd_icmpv6_nd_target(p);
    fputs("ICMP6, ", out);
    if (pktd_icmpv6_echo(p, &id, &seq)) {
        fprintf(out, "echo %s, id %u, seq %u",
                type == PKTD__ICMPV6_ECHO_REQUEST ? "request" : "reply", id, seq);
    } else if (type == PKTD__ICMPV6_NS && target != NULL) {
        fputs("neighbor solicitation, who has ", out);
        put_ipv6(out, target);
    } else if (type == PKTD__ICMPV6_NA && target != NULL) {
        fputs("neighbor advertisement, tgt is ", out);
        put_ipv6(out, target);
    } else if (type == PKTD__ICMPV6_RS) {
        fputs("router solicitation", out);
    } else if (type == PKTD__ICMPV6_RA) {
        fputs("router advertisement", out);
    } else {
        fprintf(out, "type %u", type);
    }
    fprintf(out, ", length %zu", icmpv6_length(p));
}

static void text_ipv6(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    int tcp = pktd_packet_has(p, PKTD_LAYER_TCP), udp = pktd_packet_has(p, PKTD_LAYER_UDP);
    fputs("IP6 ", out);
    put_ipv6(out, pktd_ipv6_src(p));
    if (tcp || udp)
        fprintf(out, ".%u", tcp ? pktd_tcp_sport(p) : pktd_udp_sport(p));
    fputs(" > ", out);
    put_ipv6(out, pktd_ipv6_dst(p));
    if (tcp || udp)
        fprintf(out, ".%u", tcp ? pktd_tcp_dport(p) : pktd_udp_dport(p));
    fputs(": ", out);
    if (tcp || udp) {
        text_tcp_udp(out, r, p);
    } else if (pktd_packet_has(p, PKTD_LAYER_ICMPV6)) {
        text_icmpv6(out, p);
    } else if (pktd_packet_tunnel(p) != PKTD_TUNNEL_NONE) {
        text_tunnel(out, r, p); /* GRE, IP in IP */
    } else {
        uint8_t proto = 0, more = 0;
        uint16_t off = 0;
        uint32_t id = 0;
        pktd_ipv6_upper(p, &proto, NULL);
        fprintf(out, "proto %u", proto);
        if (pktd_ipv6_frag(p, &off, &more, &id) && (off != 0 || more))
            fprintf(out, " frag id %" PRIu32 " offset %u%s", id, off * 8u, more ? "+" : "");
        fprintf(out, ", length %zu", payload_len(p));
    }
}

/* One packet's text after the number and time: its layers, its error, and
 * the tunnel it continues into. */
static void text_packet(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    uint32_t nv = pktd_vlan_count(p);
    for (uint32_t i = 0; i < nv; i++)
        fprintf(out, "vlan %u, ", pktd_vlan_vid(p, i));
    if (pktd_packet_has(p, PKTD_LAYER_ARP))
        text_arp(out, p);
    else if (pktd_packet_has(p, PKTD_LAYER_IPV4))
        text_ipv4(out, r, p);
    else if (pktd_packet_has(p, PKTD_LAYER_IPV6))
        text_ipv6(out, r, p);
    else if (pktd_packet_tunnel(p) != PKTD_TUNNEL_NONE) /* MPLS, PPPoE */
        text_tunnel(out, r, p);
    else if (pktd_packet_has(p, PKTD_LAYER_ETH) || pktd_packet_has(p, PKTD_LAYER_SLL) ||
             pktd_packet_has(p, PKTD_LAYER_SLL2))
        fprintf(out, "ethertype 0x%04x, length %" PRIu32, pktd_eth_type(p), r->wire_len);
    else if (pktd_packet_has(p, PKTD_LAYER_LOOPBACK))
        fprintf(out, "loopback family %u, length %" PRIu32, pktd_loopback_family(p),
                r->wire_len);
    else if (pktd_packet_has(p, PKTD_LAYER_PPP))
        fprintf(out, "PPP protocol 0x%04x, length %" PRIu32, pktd_ppp_protocol(p), r->wire_len);
    else if (pktd_packet_has(p, PKTD_LAYER_CHDLC))
        fprintf(out, "Cisco HDLC protocol 0x%04x, length %" PRIu32, pktd_chdlc_protocol(p),
                r->wire_len);
    else if (pktd_packet_encap(p) == PKTD_TUNNEL_NONE)
        fprintf(out, "length %" PRIu32, r->wire_len);
    else if (pktd_packet_error(p) == 0) /* a tunnel's payload not decoded */
        fprintf(out, "length %zu", payload_len(p));
    int err = pktd_packet_error(p);
    if (err < 0) {
        fprintf(out, " [%s %s: ", pktd_err_name(err), pktd_layer_name(pktd_packet_error_layer(p)));
        put_error_msg(out, p, 0);
        fputc(']', out);
    }
}

/* The tunnel header in tcpdump's words (print-vxlan.c, print-gre.c,
 * print-mpls.c, print-pppoe.c, print-gtp.c), from the inner state. */
static void text_tunnel_header(FILE *out, const pktd_packet *outer, const pktd_packet *in)
{
    uint32_t v, w;
    switch (pktd_packet_tunnel(outer)) {
    case PKTD_TUNNEL_VXLAN:
        if (pktd_tunnel_field(in, PKTD_TF_FLAGS, &v)) {
            fprintf(out, "VXLAN, flags [%s] (0x%02" PRIx32 ")", (v & 0x08u) ? "I" : ".", v);
            if (pktd_tunnel_field(in, PKTD_TF_VNI, &w))
                fprintf(out, ", vni %" PRIu32, w);
        } else {
            fputs("VXLAN", out);
        }
        break;
    case PKTD_TUNNEL_GENEVE:
        fputs("Geneve", out);
        if (pktd_tunnel_field(in, PKTD_TF_VNI, &v))
            fprintf(out, ", vni 0x%" PRIx32, v);
        if (pktd_tunnel_field(in, PKTD_TF_PROTOCOL, &v))
            fprintf(out, ", proto 0x%04" PRIx32, v);
        if (pktd_tunnel_field(in, PKTD_TF_OPT_LEN, &v) && v != 0)
            fprintf(out, ", options [%" PRIu32 " bytes]", v);
        break;
    case PKTD_TUNNEL_GTPU:
        fputs("GTPv1-U", out);
        if (pktd_tunnel_field(in, PKTD_TF_TEID, &v) && pktd_tunnel_field(in, PKTD_TF_LENGTH, &w))
            fprintf(out, " (teid %" PRIu32 ", len %" PRIu32 ")", v, w);
        break;
    case PKTD_TUNNEL_GRE:
        fputs("GREv0", out);
        if (pktd_tunnel_field(in, PKTD_TF_KEY, &v))
            fprintf(out, ", key=0x%" PRIx32, v);
        if (pktd_tunnel_field(in, PKTD_TF_SEQ, &v))
            fprintf(out, ", seq %" PRIu32, v);
        fprintf(out, ", length %zu", payload_len(outer));
        if (pktd_tunnel_field(in, PKTD_TF_ERSPAN_VERSION, &v) &&
            pktd_tunnel_field(in, PKTD_TF_SESSION, &w))
            fprintf(out, ": ERSPAN v%" PRIu32 ", session %" PRIu32, v, w);
        break;
    case PKTD_TUNNEL_MPLS: {
        uint32_t n = pktd_mpls_depth(in);
        fputs("MPLS", out);
        for (uint32_t i = 0; i < n; i++) {
            uint32_t label = 0, tc = 0, bos = 0, ttl = 0;
            pktd_mpls_entry(in, i, &label, &tc, &bos, &ttl);
            fprintf(out, "%s(label %" PRIu32 ", tc %" PRIu32 "%s, ttl %" PRIu32 ")",
                    i ? ", " : " ", label, tc, bos ? ", [S]" : "", ttl);
        }
        break;
    }
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        fputs("PPPoE", out);
        if (pktd_tunnel_field(in, PKTD_TF_CODE, &v) && v != 0)
            fprintf(out, " [code 0x%02" PRIx32 "]", v);
        if (pktd_tunnel_field(in, PKTD_TF_SESSION, &v))
            fprintf(out, " [ses 0x%" PRIx32 "]", v);
        break;
    default: /* IP in IP: the inner line alone, as tcpdump */
        break;
    }
}

/* A tunnel: its header, then the inner packet's text (or the error that
 * stopped it). */
static void text_tunnel(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    pktd_packet in;
    (void)pktd_decode_inner(p, &in);
    struct print_record ir = inner_record(r, p, &in);
    uint32_t t = pktd_packet_tunnel(p);
    text_tunnel_header(out, p, &in);
    if (pktd_packet_error(&in) != 0 && pktd_packet_payload(&in, NULL, NULL) == 0)
        ; /* the tunnel header failed: its error follows */
    else if (t == PKTD_TUNNEL_MPLS || t == PKTD_TUNNEL_PPPOE || t == PKTD_TUNNEL_PPPOED)
        fputc(' ', out);
    else if (t != PKTD_TUNNEL_IPIP)
        fputs(": ", out);
    text_packet(out, &ir, &in);
}

void pktd_print_text(FILE *out, const struct print_record *r, const pktd_packet *p)
{
    fprintf(out, "%" PRIu64 " ", r->n);
    text_time(out, r->ts_ns);
    fputc(' ', out);
    text_packet(out, r, p);
    fputc('\n', out);
}
