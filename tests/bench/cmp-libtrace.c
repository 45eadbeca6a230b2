/* bench-libtrace: the decode benchmark through libtrace 3, for comparison.
 *
 *   bench-libtrace [-m packet|chain] [-r ROUNDS] [-n MAXPKTS] FILE.pcap
 *
 * libtrace reads packets through its capture formats; it has no call that
 * decodes a frame from memory without copying it (trace_construct_packet()
 * calls gettimeofday(), reallocates and copies every frame, and
 * trace_prepare_packet() is not exported by Debian's libtrace3).  So one
 * libtrace_packet_t is attached to a "pcapfile" dead trace once, by
 * trace_construct_packet(), and then, per frame, pointed at the frame's pcap
 * record in the in-memory buffer with its cached layer pointers cleared:
 * exactly the state libtrace's own pcap reader leaves a packet in
 * (trace_prepare_packet sets header, payload and type, then
 * trace_clear_cache resets the same fields).  What is timed is therefore
 * libtrace's header location and the field reads, not I/O.
 *
 * -m packet (default): the packet API, trace_get_layer2(),
 *    trace_get_layer3(), trace_get_transport(), trace_get_payload_from_*();
 *    libtrace 3.0 follows only 0x8100 tags, so on QinQ frames (0x88a8 outer
 *    tag) it stops at layer 2, and it reads no fields it does not find.
 * -m chain: the pointer-chaining calls from the Ethernet header on
 *    (trace_get_payload_from_layer2/_vlan/_ip), following 0x88a8 tags too,
 *    so every frame is decoded as far as libpktdecode decodes it.
 *
 * Either way every field of every layer found is read, like pktd-bench's
 * full pass: Ethernet addresses and type, VLAN tags, ARP, IPv4, TCP with
 * every option (trace_get_next_option) and the payload length, UDP, ICMP. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libtrace.h>

#include "harness.h"

static int chain_mode;

static inline uint64_t mac48(const uint8_t *m)
{
    uint32_t hi;
    uint16_t lo;
    memcpy(&hi, m, 4);
    memcpy(&lo, m + 4, 2);
    return (uint64_t)hi << 16 | lo;
}

/* Every TCP option, decoded like pktd's known-option accessors. */
static uint64_t read_tcp_options(libtrace_tcp_t *t)
{
    uint64_t s = 0;
    unsigned char *ptr = (unsigned char *)(t + 1);
    int len = t->doff * 4 - 20;
    unsigned char type, olen, *data;
    while (len > 0 && trace_get_next_option(&ptr, &len, &type, &olen, &data)) {
        uint32_t a, b;
        switch (type) {
        case 2:
            if (olen == 4) {
                uint16_t mss;
                memcpy(&mss, data, 2);
                s += ntohs(mss);
            }
            break;
        case 3:
            if (olen == 3)
                s += data[0];
            break;
        case 4:
            s += 1;
            break;
        case 8:
            if (olen == 10) {
                memcpy(&a, data, 4);
                memcpy(&b, data + 4, 4);
                s += (uint64_t)ntohl(a) ^ ntohl(b);
            }
            break;
        case 5:
            for (int i = 0; i + 8 <= olen - 2; i += 8) {
                memcpy(&a, data + i, 4);
                memcpy(&b, data + i + 4, 4);
                s += (uint64_t)ntohl(a) ^ ntohl(b);
            }
            break;
        default:
            s += type;
        }
    }
    return s;
}

static uint64_t read_transport(void *l4, uint8_t proto, uint32_t rem)
{
    uint64_t s = 0;
    if (l4 == NULL)
        return 0;
    if (proto == 6 && rem >= sizeof(libtrace_tcp_t)) {
        libtrace_tcp_t *t = l4;
        s += (uint64_t)ntohs(t->source) + ntohs(t->dest) + ntohl(t->seq) + ntohl(t->ack_seq) +
             t->doff + ((const uint8_t *)t)[13] + ntohs(t->window) + ntohs(t->check) +
             ntohs(t->urg_ptr);
        if ((uint32_t)t->doff * 4 <= rem)
            s += read_tcp_options(t);
        uint32_t prem = rem;
        if (trace_get_payload_from_tcp(t, &prem) != NULL)
            s += prem;
    } else if (proto == 17 && rem >= sizeof(libtrace_udp_t)) {
        libtrace_udp_t *u = l4;
        s += (uint64_t)ntohs(u->source) + ntohs(u->dest) + ntohs(u->len) + ntohs(u->check);
        uint32_t prem = rem;
        if (trace_get_payload_from_udp(u, &prem) != NULL)
            s += prem;
    } else if (proto == 1 && rem >= 4) {
        libtrace_icmp_t *c = l4;
        s += (uint64_t)c->type + c->code + ntohs(c->checksum);
    }
    return s;
}

static uint64_t read_ip(libtrace_ip_t *ip)
{
    uint16_t off = ntohs(ip->ip_off);
    return (uint64_t)ntohl(ip->ip_src.s_addr) + ntohl(ip->ip_dst.s_addr) + ip->ip_hl +
           ip->ip_tos + ntohs(ip->ip_len) + ntohs((uint16_t)ip->ip_id) +
           ((off & 0x4000) ? 2 : 0) + ((off & 0x2000) ? 4 : 0) + (off & 0x1fff) + ip->ip_ttl +
           ip->ip_p + ntohs(ip->ip_sum) + (uint32_t)(ip->ip_hl * 4 - 20);
}

static uint64_t read_arp(const uint8_t *a, uint32_t rem)
{
    if (rem < 28)
        return 0;
    uint32_t spa, tpa;
    memcpy(&spa, a + 14, 4);
    memcpy(&tpa, a + 24, 4);
    return (uint64_t)(a[0] << 8 | a[1]) + (a[2] << 8 | a[3]) + a[4] + a[5] +
           (a[6] << 8 | a[7]) + (mac48(a + 8) ^ mac48(a + 18) ^ spa ^ tpa);
}

/* Tags from @p l3 on while @p type is a TPID; returns what follows. */
static void *read_vlans(void *l3, uint16_t *type, uint32_t *rem, uint64_t *s, int qinq)
{
    while (l3 != NULL && (*type == 0x8100 || (qinq && *type == 0x88a8))) {
        const uint8_t *tag = l3;
        if (*rem < 4)
            return NULL;
        *s += (uint64_t)*type << 16 | ((tag[0] & 0x0f) << 8 | tag[1]) | (uint64_t)(tag[0] >> 5) << 12;
        l3 = trace_get_payload_from_vlan(l3, type, rem);
    }
    return l3;
}

static uint64_t decode_packet_api(libtrace_packet_t *pkt)
{
    uint64_t s = 0;
    libtrace_linktype_t lt;
    uint32_t rem;
    libtrace_ether_t *e = trace_get_layer2(pkt, &lt, &rem);
    if (e == NULL || lt != TRACE_TYPE_ETH || rem < sizeof *e)
        return 1;
    s += mac48(e->ether_dhost) ^ mac48(e->ether_shost);
    /* The tags, read the way a libtrace user must: trace_get_layer3()
     * skips them without reporting them. */
    uint16_t type = ntohs(e->ether_type);
    uint32_t trem = rem - sizeof *e;
    (void)read_vlans(e + 1, &type, &trem, &s, 0);
    void *l3 = trace_get_layer3(pkt, &type, &rem);
    s += type;
    if (l3 == NULL)
        return s;
    if (type == 0x0800 && rem >= sizeof(libtrace_ip_t)) {
        s += read_ip(l3);
        uint8_t proto;
        void *l4 = trace_get_transport(pkt, &proto, &rem);
        s += read_transport(l4, proto, rem);
    } else if (type == 0x0806) {
        s += read_arp(l3, rem);
    }
    return s;
}

static uint64_t decode_chain(libtrace_packet_t *pkt)
{
    uint64_t s = 0;
    libtrace_linktype_t lt;
    uint32_t rem;
    libtrace_ether_t *e = trace_get_layer2(pkt, &lt, &rem);
    if (e == NULL || lt != TRACE_TYPE_ETH || rem < sizeof *e)
        return 1;
    s += mac48(e->ether_dhost) ^ mac48(e->ether_shost);
    uint16_t type;
    void *l3 = trace_get_payload_from_layer2(e, lt, &type, &rem);
    l3 = read_vlans(l3, &type, &rem, &s, 1);
    s += type;
    if (l3 == NULL)
        return s;
    if (type == 0x0800 && rem >= sizeof(libtrace_ip_t)) {
        libtrace_ip_t *ip = l3;
        s += read_ip(ip);
        uint8_t proto = 0;
        void *l4 = trace_get_payload_from_ip(ip, &proto, &rem);
        s += read_transport(l4, proto, rem);
    } else if (type == 0x0806) {
        s += read_arp(l3, rem);
    }
    return s;
}

static libtrace_packet_t *pkt;

/* Point the packet at one in-memory pcap record, as libtrace's pcap reader
 * does (trace_prepare_packet + trace_clear_cache), without the read. */
static inline void attach(const struct bench_frame *fr)
{
    pkt->header = (void *)(uintptr_t)(fr->data - BENCH_RECORD_HDR);
    pkt->payload = (void *)(uintptr_t)fr->data;
    pkt->type = TRACE_RT_DLT_EN10MB;
    pkt->l2_header = NULL;
    pkt->l3_header = NULL;
    pkt->l4_header = NULL;
    pkt->link_type = 0;
    pkt->l3_ethertype = 0;
    pkt->transport_proto = 0;
    pkt->capture_length = -1;
    pkt->wire_length = -1;
    pkt->payload_length = -1;
    pkt->l2_remaining = 0;
    pkt->l3_remaining = 0;
    pkt->l4_remaining = 0;
}

static uint64_t walk(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        if (f->v[i].linktype != 1)
            continue;
        attach(&f->v[i]);
        s += chain_mode ? decode_chain(pkt) : decode_packet_api(pkt);
    }
    return s;
}

int main(int argc, char **argv)
{
    uint32_t rounds = 9, max = 0;
    const char *path;
    char err[256];
    struct bench_frames f;
    struct bench_result r;
    /* -m is ours; the rest is the common command line. */
    if (argc > 2 && strcmp(argv[1], "-m") == 0) {
        if (strcmp(argv[2], "chain") == 0)
            chain_mode = 1;
        else if (strcmp(argv[2], "packet") != 0)
            return fprintf(stderr, "bench-libtrace: -m packet|chain\n"), 2;
        argv[2] = argv[0];
        argc -= 2;
        argv += 2;
    }
    if (bench_parse_args(argc, argv, "bench-libtrace [-m packet|chain]", &rounds, &max, &path) != 0)
        return 2;
    if (bench_frames_load_pcap(&f, path, max, err, sizeof err) != 0) {
        fprintf(stderr, "bench-libtrace: %s\n", err);
        return 1;
    }
    /* Attach the packet to libtrace's pcap dead trace (and give it a buffer
     * of its own, which attach() leaves alone). */
    static const uint8_t dummy[60];
    pkt = trace_create_packet();
    if (pkt == NULL)
        return fprintf(stderr, "bench-libtrace: trace_create_packet failed\n"), 1;
    trace_construct_packet(pkt, TRACE_TYPE_ETH, dummy, sizeof dummy);
    bench_run(&f, walk, NULL, rounds, &r);
    bench_print(chain_mode ? "libtrace-chain" : "libtrace", f.n, &r);
    trace_destroy_packet(pkt);
    bench_frames_free(&f);
    return 0;
}
