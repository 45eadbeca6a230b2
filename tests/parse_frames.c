/* Frame builders and helpers for the parse tests (see parse_frames.h). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "parse_frames.h"

const uint8_t FR_MAC_DST[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
const uint8_t FR_MAC_SRC[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
const uint8_t FR_UDP_ONLY[8] = {0, 1, 0, 2, 0, 8, 0, 0};

static void fr_die(const char *msg)
{
    fprintf(stderr, "parse_frames: %s\n", msg);
    abort();
}

void fr_init(struct fr *f)
{
    memset(f, 0, sizeof *f);
}

size_t fr_bytes(struct fr *f, const void *data, size_t n)
{
    if (n > FR_MAX - f->len)
        fr_die("frame too long");
    size_t at = f->len;
    if (n > 0)
        memcpy(f->b + at, data, n);
    f->len += n;
    return at;
}

size_t fr_u8(struct fr *f, uint8_t v)
{
    return fr_bytes(f, &v, 1);
}

size_t fr_be16(struct fr *f, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return fr_bytes(f, b, 2);
}

size_t fr_be32(struct fr *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return fr_bytes(f, b, 4);
}

size_t fr_fill(struct fr *f, uint8_t v, size_t n)
{
    if (n > FR_MAX - f->len)
        fr_die("frame too long");
    size_t at = f->len;
    memset(f->b + at, v, n);
    f->len += n;
    return at;
}

void fr_put_be16(struct fr *f, size_t at, uint16_t v)
{
    f->b[at] = (uint8_t)(v >> 8);
    f->b[at + 1] = (uint8_t)v;
}

size_t fr_eth(struct fr *f, uint16_t type)
{
    size_t at = fr_bytes(f, FR_MAC_DST, 6);
    fr_bytes(f, FR_MAC_SRC, 6);
    fr_be16(f, type);
    return at;
}

size_t fr_vlan(struct fr *f, uint16_t tci, uint16_t next_type)
{
    size_t at = fr_be16(f, tci);
    fr_be16(f, next_type);
    return at;
}

size_t fr_ip4(struct fr *f, const struct fr_ip4 *ip)
{
    if (ip->optlen % 4 != 0 || ip->optlen > 40)
        fr_die("IPv4 options must be a multiple of 4, at most 40");
    size_t at = fr_u8(f, (uint8_t)(0x40 | (5 + ip->optlen / 4)));
    fr_u8(f, ip->tos);
    fr_be16(f, 0); /* total length: fr_ip4_finish */
    fr_be16(f, ip->id);
    fr_be16(f, ip->frag);
    fr_u8(f, ip->ttl);
    fr_u8(f, ip->proto);
    fr_be16(f, 0); /* checksum */
    fr_be32(f, ip->src);
    fr_be32(f, ip->dst);
    fr_bytes(f, ip->opts, ip->optlen);
    return at;
}

void fr_ip4_checksum(struct fr *f, size_t ip_off)
{
    size_t hl = (size_t)(f->b[ip_off] & 0x0f) * 4;
    fr_put_be16(f, ip_off + 10, 0);
    fr_put_be16(f, ip_off + 10, (uint16_t)~fr_ref_fold(fr_ref_sum(f->b + ip_off, hl, 0)));
}

void fr_ip4_finish(struct fr *f, size_t ip_off)
{
    fr_put_be16(f, ip_off + 2, (uint16_t)(f->len - ip_off));
    fr_ip4_checksum(f, ip_off);
}

size_t fr_tcp(struct fr *f, const struct fr_tcp *t)
{
    if (t->optlen % 4 != 0 || t->optlen > 40)
        fr_die("TCP options must be a multiple of 4, at most 40");
    size_t at = fr_be16(f, t->sport);
    fr_be16(f, t->dport);
    fr_be32(f, t->seq);
    fr_be32(f, t->ack);
    fr_u8(f, (uint8_t)(((5 + t->optlen / 4) << 4) | (t->ns & 1)));
    fr_u8(f, t->flags);
    fr_be16(f, t->win);
    fr_be16(f, 0); /* checksum: fr_tcp_finish */
    fr_be16(f, t->urg);
    fr_bytes(f, t->opts, t->optlen);
    return at;
}

size_t fr_udp(struct fr *f, uint16_t sport, uint16_t dport)
{
    size_t at = fr_be16(f, sport);
    fr_be16(f, dport);
    fr_be16(f, 0); /* length: fr_udp_finish */
    fr_be16(f, 0);
    return at;
}

size_t fr_icmp(struct fr *f, uint8_t type, uint8_t code, uint32_t rest)
{
    size_t at = fr_u8(f, type);
    fr_u8(f, code);
    fr_be16(f, 0);
    fr_be32(f, rest);
    return at;
}

static uint32_t pseudo_sum(const struct fr *f, size_t ip_off, uint8_t proto, size_t len)
{
    uint32_t sum = fr_ref_sum(f->b + ip_off + 12, 8, 0);
    return sum + proto + (uint32_t)len;
}

void fr_tcp_finish(struct fr *f, size_t ip_off, size_t tcp_off)
{
    size_t len = f->len - tcp_off;
    fr_put_be16(f, tcp_off + 16, 0);
    uint32_t sum = fr_ref_sum(f->b + tcp_off, len, pseudo_sum(f, ip_off, 6, len));
    fr_put_be16(f, tcp_off + 16, (uint16_t)~fr_ref_fold(sum));
}

void fr_udp_finish(struct fr *f, size_t ip_off, size_t udp_off)
{
    size_t len = f->len - udp_off;
    fr_put_be16(f, udp_off + 4, (uint16_t)len);
    fr_put_be16(f, udp_off + 6, 0);
    uint32_t sum = fr_ref_sum(f->b + udp_off, len, pseudo_sum(f, ip_off, 17, len));
    uint16_t c = (uint16_t)~fr_ref_fold(sum);
    fr_put_be16(f, udp_off + 6, c == 0 ? 0xffff : c); /* 0 means "no checksum" */
}

void fr_icmp_finish(struct fr *f, size_t icmp_off)
{
    fr_put_be16(f, icmp_off + 2, 0);
    uint32_t sum = fr_ref_sum(f->b + icmp_off, f->len - icmp_off, 0);
    fr_put_be16(f, icmp_off + 2, (uint16_t)~fr_ref_fold(sum));
}

size_t fr_arp(struct fr *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
              const uint8_t tha[6], uint32_t tpa)
{
    size_t at = fr_be16(f, 1);
    fr_be16(f, 0x0800);
    fr_u8(f, 6);
    fr_u8(f, 4);
    fr_be16(f, op);
    fr_bytes(f, sha, 6);
    fr_be32(f, spa);
    fr_bytes(f, tha, 6);
    fr_be32(f, tpa);
    return at;
}

/* Plain RFC 1071 loop over big-endian words: slow and obviously right. */
uint32_t fr_ref_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;
    for (i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
        sum = (sum & 0xffff) + (sum >> 16);
    }
    if (i < n) {
        sum += (uint32_t)p[i] << 8;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

uint16_t fr_ref_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

uint8_t *fr_exact_copy(const uint8_t *data, size_t n)
{
    uint8_t *p = malloc(n > 0 ? n : 1);
    if (p == NULL)
        fr_die("out of memory");
    if (n > 0)
        memcpy(p, data, n);
    return p;
}

static uint32_t rd32(const uint8_t *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}

int fr_pcap_load(const char *path, uint8_t **file, uint32_t *linktype, struct fr_rec *recs,
                 int max)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return -1;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL)
                fr_die("out of memory");
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    *file = buf;
    if (len < 24)
        return -1;
    uint32_t magic = rd32(buf, 0);
    int swap;
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du)
        swap = 0;
    else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u)
        swap = 1;
    else
        return -1;
    *linktype = rd32(buf + 20, swap) & 0x0fffffffu;
    size_t off = 24;
    int n = 0;
    while (n < max && len - off >= 16) {
        uint32_t incl = rd32(buf + off + 8, swap);
        uint32_t orig = rd32(buf + off + 12, swap);
        off += 16;
        if (incl > len - off)
            break;
        recs[n].data = buf + off;
        recs[n].caplen = incl;
        recs[n].wirelen = orig;
        n++;
        off += incl;
    }
    return n;
}

void fr_corpus_path(char *buf, size_t size, const char *name)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, size, "%s/tests/corpus/tcpdump/%s", top != NULL ? top : ".", name);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull;
}

static uint64_t mix_bytes(uint64_t h, const uint8_t *p, size_t n)
{
    if (p == NULL)
        return mix(h, 0xdead);
    for (size_t i = 0; i < n; i++)
        h = mix(h, p[i]);
    return h;
}

uint64_t fr_touch_all(const pktd_packet *p)
{
    uint64_t h = 0xcbf29ce484222325ull;
    const uint8_t *d;
    size_t n;
    h = mix(h, pktd_packet_layers(p));
    h = mix(h, pktd_packet_flags(p));
    h = mix(h, pktd_packet_linktype(p));
    for (uint32_t l = 0; l <= PKTD_LAYER_COUNT_; l++) {
        h = mix(h, (uint64_t)pktd_packet_has(p, l));
        if (pktd_packet_header(p, l, &d, &n))
            h = mix_bytes(h, d, n);
    }
    if (pktd_packet_payload(p, &d, &n))
        h = mix_bytes(h, d, n);
    h = mix(h, (uint64_t)pktd_packet_error(p));
    h = mix(h, pktd_packet_error_layer(p));
    h = mix(h, pktd_packet_error_reason(p));
    h = mix(h, pktd_packet_error_value(p));
    h = mix(h, pktd_packet_error_value2(p));
    char msg[128];
    h = mix(h, (uint64_t)pktd_packet_error_format(p, msg, sizeof msg));
    /* link */
    h = mix_bytes(h, pktd_eth_dst(p), 6);
    h = mix_bytes(h, pktd_eth_src(p), 6);
    h = mix(h, pktd_eth_type(p));
    h = mix(h, pktd_vlan_count(p));
    for (uint32_t i = 0; i <= PKTD_VLAN_MAX_DEPTH; i++) {
        h = mix(h, pktd_vlan_tpid(p, i));
        h = mix(h, pktd_vlan_tci(p, i));
        h = mix(h, pktd_vlan_vid(p, i));
        h = mix(h, pktd_vlan_pcp(p, i));
    }
    h = mix(h, pktd_sll_pkttype(p));
    h = mix(h, pktd_sll_hatype(p));
    h = mix(h, pktd_sll2_ifindex(p));
    d = pktd_sll_addr(p, &n);
    h = mix_bytes(h, d, n);
    /* ARP */
    h = mix(h, pktd_arp_htype(p));
    h = mix(h, pktd_arp_ptype(p));
    h = mix(h, pktd_arp_op(p));
    h = mix_bytes(h, pktd_arp_sha(p), pktd_arp_hlen(p));
    h = mix_bytes(h, pktd_arp_spa_bytes(p), pktd_arp_plen(p));
    h = mix(h, pktd_arp_spa(p));
    h = mix_bytes(h, pktd_arp_tha(p), pktd_arp_hlen(p));
    h = mix_bytes(h, pktd_arp_tpa_bytes(p), pktd_arp_plen(p));
    h = mix(h, pktd_arp_tpa(p));
    /* IPv4 */
    h = mix(h, pktd_ipv4_ihl(p));
    h = mix(h, pktd_ipv4_tos(p));
    h = mix(h, pktd_ipv4_total_len(p));
    h = mix(h, pktd_ipv4_id(p));
    h = mix(h, (uint64_t)pktd_ipv4_df(p));
    h = mix(h, (uint64_t)pktd_ipv4_mf(p));
    h = mix(h, (uint64_t)pktd_ipv4_rf(p));
    h = mix(h, pktd_ipv4_frag_offset(p));
    h = mix(h, pktd_ipv4_ttl(p));
    h = mix(h, pktd_ipv4_proto(p));
    h = mix(h, pktd_ipv4_checksum(p));
    h = mix(h, pktd_ipv4_src(p));
    h = mix(h, pktd_ipv4_dst(p));
    h = mix(h, (uint64_t)pktd_ipv4_checksum_ok(p));
    h = mix(h, (uint64_t)pktd_ipv4_checksum_bad(p));
    if (pktd_ipv4_options(p, &d, &n))
        h = mix_bytes(h, d, n);
    uint32_t cur = 0;
    uint8_t kind;
    while (pktd_ipv4_option_next(p, &cur, &kind, &d, &n) == 1)
        h = mix_bytes(mix(h, kind), d, n);
    /* TCP */
    h = mix(h, pktd_tcp_sport(p));
    h = mix(h, pktd_tcp_dport(p));
    h = mix(h, pktd_tcp_seq(p));
    h = mix(h, pktd_tcp_ack(p));
    h = mix(h, pktd_tcp_doff(p));
    h = mix(h, pktd_tcp_flags(p));
    h = mix(h, (uint64_t)pktd_tcp_ns(p));
    h = mix(h, pktd_tcp_window(p));
    h = mix(h, pktd_tcp_checksum(p));
    h = mix(h, pktd_tcp_urgent(p));
    uint16_t mss = 0;
    uint8_t ws = 0;
    uint32_t a = 0, b = 0;
    h = mix(h, (uint64_t)pktd_tcp_opt_mss(p, &mss) + mss);
    h = mix(h, (uint64_t)pktd_tcp_opt_wscale(p, &ws) + ws);
    h = mix(h, (uint64_t)pktd_tcp_opt_sack_perm(p));
    h = mix(h, (uint64_t)pktd_tcp_opt_timestamps(p, &a, &b) + a + b);
    for (uint32_t i = 0; i <= pktd_tcp_opt_sack_count(p); i++) {
        a = b = 0;
        h = mix(h, (uint64_t)pktd_tcp_opt_sack_block(p, i, &a, &b) + a + b);
    }
    if (pktd_tcp_options(p, &d, &n))
        h = mix_bytes(h, d, n);
    cur = 0;
    while (pktd_tcp_option_next(p, &cur, &kind, &d, &n) == 1)
        h = mix_bytes(mix(h, kind), d, n);
    h = mix(h, (uint64_t)pktd_tcp_checksum_ok(p));
    h = mix(h, (uint64_t)pktd_tcp_checksum_bad(p));
    /* UDP, ICMP */
    h = mix(h, pktd_udp_sport(p));
    h = mix(h, pktd_udp_dport(p));
    h = mix(h, pktd_udp_len(p));
    h = mix(h, pktd_udp_checksum(p));
    h = mix(h, (uint64_t)pktd_udp_checksum_ok(p));
    h = mix(h, (uint64_t)pktd_udp_checksum_bad(p));
    h = mix(h, pktd_icmp_type(p));
    h = mix(h, pktd_icmp_code(p));
    h = mix(h, pktd_icmp_checksum(p));
    h = mix(h, pktd_icmp_rest(p));
    uint16_t id = 0, seq = 0;
    h = mix(h, (uint64_t)pktd_icmp_echo(p, &id, &seq) + id + seq);
    h = mix(h, (uint64_t)pktd_icmp_checksum_ok(p));
    h = mix(h, (uint64_t)pktd_icmp_checksum_bad(p));
    /* IPv6 and ICMPv6 (1.1). */
    h = mix(h, (uint64_t)pktd_ipv6_version(p) + pktd_ipv6_tclass(p) + pktd_ipv6_flow(p) +
                   pktd_ipv6_plen(p) + pktd_ipv6_next(p) + pktd_ipv6_hlim(p) +
                   pktd_ipv6_jumbo_len(p) + pktd_ipv6_ext_count(p));
    const uint8_t *a6 = pktd_ipv6_src(p);
    if (a6 != NULL) {
        char text[PKTD_IPV6_STRLEN];
        h = mix(h, pktd_ipv6_format(a6, text, sizeof text) + text[0]);
        h = mix(h, pktd_ipv6_format(pktd_ipv6_dst(p), text, sizeof text) + text[0]);
    }
    uint8_t u8 = 0, u8b = 0;
    size_t off = 0;
    h = mix(h, (uint64_t)pktd_ipv6_upper(p, &u8, &off) + u8 + off);
    uint16_t fo = 0;
    uint32_t fid = 0;
    h = mix(h, (uint64_t)pktd_ipv6_frag(p, &fo, &u8, &fid) + fo + u8 + fid);
    h = mix(h, (uint64_t)pktd_ipv6_routing(p, &u8, &u8b) + u8 + u8b);
    cur = 0;
    while (pktd_ipv6_ext_next(p, &cur, &u8, &d, &n))
        h = mix(h, (uint64_t)u8 + n + d[n - 1]);
    h = mix(h, (uint64_t)pktd_icmpv6_type(p) + pktd_icmpv6_code(p) + pktd_icmpv6_checksum(p) +
                   pktd_icmpv6_rest(p));
    h = mix(h, (uint64_t)pktd_icmpv6_checksum_ok(p) + pktd_icmpv6_checksum_bad(p));
    h = mix(h, (uint64_t)pktd_icmpv6_echo(p, &id, &seq) + id + seq);
    const uint8_t *tgt = pktd_icmpv6_nd_target(p);
    if (tgt != NULL)
        h = mix(h, tgt[15]);
    cur = 0;
    while (pktd_icmpv6_nd_option_next(p, &cur, &u8, &d, &n))
        h = mix(h, (uint64_t)u8 + n + d[n - 1]);
    h = mix(h, (uint64_t)pktd_icmpv6_nd_lladdr(p, 1, &d, &n));
    return h;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

int fr_corpus_each(fr_corpus_fn *fn, void *ctx)
{
    char dir[4096];
    fr_corpus_path(dir, sizeof dir, "");
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with(de->d_name, ".pcap") && !ends_with(de->d_name, ".pcapng"))
            continue;
        char path[4096 + 256];
        snprintf(path, sizeof path, "%s%s", dir, de->d_name);
        pktd_reader *r;
        if (pktd_reader_open_path(&r, path, NULL) < 0)
            continue; /* a few captures are deliberately broken files */
        const uint8_t *data;
        size_t caplen;
        for (uint32_t i = 0; pktd_reader_next(r, &data, &caplen) == 1; i++)
            fn(de->d_name, pktd_reader_linktype(r), i, data, caplen, ctx);
        pktd_reader_close(r);
        files++;
    }
    closedir(d);
    return files;
}
