/* libpktdecode passes: what an application that wants every field does. */
#include "config.h"

#include <string.h>

#include <pktdecode.h>

#include "walk_pktd.h"

/* The 6 bytes of a MAC address as one number (two loads). */
static inline uint64_t mac48(const uint8_t *m)
{
    uint32_t hi;
    uint16_t lo;
    memcpy(&hi, m, 4);
    memcpy(&lo, m + 4, 2);
    return (uint64_t)hi << 16 | lo;
}

static inline uint64_t read_eth(const pktd_packet *p, uint32_t layers)
{
    uint64_t s = 0;
    if (layers & (1u << PKTD_LAYER_ETH))
        s += mac48(pktd_eth_dst(p)) ^ mac48(pktd_eth_src(p));
    s += pktd_eth_type(p);
    if (layers & (1u << PKTD_LAYER_VLAN)) {
        uint32_t n = pktd_vlan_count(p);
        for (uint32_t i = 0; i < n; i++)
            s += (uint64_t)pktd_vlan_tpid(p, i) << 16 | pktd_vlan_vid(p, i) |
                 (uint64_t)pktd_vlan_pcp(p, i) << 12;
    }
    return s;
}

static inline uint64_t read_arp(const pktd_packet *p)
{
    uint64_t s = pktd_arp_htype(p) + pktd_arp_ptype(p) + pktd_arp_op(p) + pktd_arp_hlen(p) +
                 pktd_arp_plen(p);
    const uint8_t *a = pktd_arp_sha(p), *b = pktd_arp_spa(p);
    const uint8_t *c = pktd_arp_tha(p), *d = pktd_arp_tpa(p);
    /* Ethernet/IPv4 ARP: 6-byte hardware and 4-byte protocol addresses. */
    if (a != NULL && pktd_arp_hlen(p) == 6 && pktd_arp_plen(p) == 4) {
        uint32_t spa, tpa;
        memcpy(&spa, b, 4);
        memcpy(&tpa, d, 4);
        s += mac48(a) ^ mac48(c) ^ spa ^ tpa;
    }
    return s;
}

static inline uint64_t read_ipv4(const pktd_packet *p)
{
    size_t opts_len = 0;
    (void)pktd_ipv4_options(p, NULL, &opts_len);
    return (uint64_t)pktd_ipv4_src(p) + pktd_ipv4_dst(p) + pktd_ipv4_ihl(p) + pktd_ipv4_tos(p) +
           pktd_ipv4_total_len(p) + pktd_ipv4_id(p) + ((uint64_t)pktd_ipv4_df(p) << 1) +
           ((uint64_t)pktd_ipv4_mf(p) << 2) + pktd_ipv4_frag_offset(p) + pktd_ipv4_ttl(p) +
           pktd_ipv4_proto(p) + pktd_ipv4_checksum(p) + opts_len;
}

static inline uint64_t read_tcp(const pktd_packet *p)
{
    uint64_t s = pktd_tcp_sport(p) + pktd_tcp_dport(p) + (uint64_t)pktd_tcp_seq(p) +
                 pktd_tcp_ack(p) + pktd_tcp_doff(p) + pktd_tcp_flags(p) + pktd_tcp_window(p) +
                 pktd_tcp_checksum(p) + pktd_tcp_urgent(p);
    uint16_t mss;
    uint8_t ws;
    uint32_t val, ecr;
    if (pktd_tcp_opt_mss(p, &mss))
        s += mss;
    if (pktd_tcp_opt_wscale(p, &ws))
        s += ws;
    s += (uint64_t)pktd_tcp_opt_sack_perm(p);
    if (pktd_tcp_opt_timestamps(p, &val, &ecr))
        s += (uint64_t)val ^ ecr;
    uint32_t n = pktd_tcp_opt_sack_count(p);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l, r;
        if (pktd_tcp_opt_sack_block(p, i, &l, &r) == 0)
            s += (uint64_t)l ^ r;
    }
    return s;
}

static inline uint64_t read_udp(const pktd_packet *p)
{
    return (uint64_t)pktd_udp_sport(p) + pktd_udp_dport(p) + pktd_udp_len(p) +
           pktd_udp_checksum(p);
}

static inline uint64_t read_icmp(const pktd_packet *p)
{
    return (uint64_t)pktd_icmp_type(p) + pktd_icmp_code(p) + pktd_icmp_checksum(p);
}

static inline uint64_t read_all(const pktd_packet *p, int rc)
{
    uint32_t layers = pktd_packet_layers(p);
    uint64_t s = layers + pktd_packet_flags(p) + read_eth(p, layers);
    if (layers & (1u << PKTD_LAYER_ARP))
        s += read_arp(p);
    if (layers & (1u << PKTD_LAYER_IPV4))
        s += read_ipv4(p);
    if (layers & (1u << PKTD_LAYER_TCP))
        s += read_tcp(p);
    else if (layers & (1u << PKTD_LAYER_UDP))
        s += read_udp(p);
    else if (layers & (1u << PKTD_LAYER_ICMP))
        s += read_icmp(p);
    size_t plen = 0;
    (void)pktd_packet_payload(p, NULL, &plen);
    s += plen;
    if (rc != 0)
        s += (uint64_t)pktd_packet_error_layer(p) << 8 | pktd_packet_error_reason(p);
    return s;
}

static inline uint64_t read_checksums(const pktd_packet *p, uint32_t layers)
{
    uint64_t s = 0;
    if (layers & (1u << PKTD_LAYER_IPV4))
        s += (uint64_t)(pktd_ipv4_checksum_ok(p) + 2);
    if (layers & (1u << PKTD_LAYER_TCP))
        s += (uint64_t)(pktd_tcp_checksum_ok(p) + 2) << 4;
    else if (layers & (1u << PKTD_LAYER_UDP))
        s += (uint64_t)(pktd_udp_checksum_ok(p) + 2) << 8;
    else if (layers & (1u << PKTD_LAYER_ICMP))
        s += (uint64_t)(pktd_icmp_checksum_ok(p) + 2) << 12;
    return s;
}

uint64_t walk_pktd_full(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        int rc = pktd_decode(&p, fr->linktype, fr->data, fr->len);
        s += read_all(&p, rc);
    }
    return s;
}

uint64_t walk_pktd_csum(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        int rc = pktd_decode(&p, fr->linktype, fr->data, fr->len);
        s += read_all(&p, rc) + read_checksums(&p, pktd_packet_layers(&p));
    }
    return s;
}

uint64_t walk_pktd_decode(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        s += (uint64_t)pktd_decode(&p, fr->linktype, fr->data, fr->len) +
             pktd_packet_layers(&p);
    }
    return s;
}
