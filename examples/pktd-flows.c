/* pktd-flows: the bidirectional flows of capture files, one record per flow
 * in order of each flow's first packet.  Interface: doc/programs.md,
 * "pktd-flows".
 *
 *   pktd-flows [-j] FILE...     ("-" reads standard input)
 *
 * The files are read as one input (a flow may span them); every flow still
 * open at the end is flushed with end "eof".  Exit status: 0 when every file
 * was read to its end, 1 when one could not be opened or read (the others
 * are still counted and the flows printed), 2 on a usage error. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode.h>

/* Table size and timeouts (doc/programs.md).  The capacity bounds the flows
 * open at once, not the flows printed. */
#define FLOWS_CAPACITY (1u << 18)
#define IDLE_TIMEOUT_NS (300ull * 1000000000ull)
#define ACTIVE_TIMEOUT_NS (3600ull * 1000000000ull)

struct record {
    uint64_t seq; /* the order of the flow's first packet */
    uint64_t first_ns, last_ns, zone;
    uint64_t pkts[2], bytes[2];
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    uint16_t vlan[PKTD_VLAN_MAX_DEPTH];
    uint8_t nvlan, version, proto, end;
    uint8_t flags[2];
};

struct collector {
    uint64_t *seq_of_id; /* per flow id: the seq of the live flow holding it */
    uint64_t next_seq;
    struct record *recs;
    size_t n, cap;
    int failed;
};

static void usage(FILE *out)
{
    fprintf(out, "usage: pktd-flows [-j] FILE...\n"
                 "  -j    JSON Lines output, one object per flow\n"
                 "  FILE  pcap or pcapng file; - for standard input\n");
}

static void put_addr(uint8_t out[16], uint32_t v4, const uint8_t *v6)
{
    memset(out, 0, 16);
    if (v6 != NULL) {
        memcpy(out, v6, 16);
    } else {
        out[0] = (uint8_t)(v4 >> 24);
        out[1] = (uint8_t)(v4 >> 16);
        out[2] = (uint8_t)(v4 >> 8);
        out[3] = (uint8_t)v4;
    }
}

/* The export callback: keep the ended flow's record for the output. */
static void collect(void *user, const pktd_flow *f)
{
    struct collector *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 1024;
        struct record *r = realloc(c->recs, cap * sizeof *r);
        if (r == NULL) {
            c->failed = 1;
            return;
        }
        c->recs = r;
        c->cap = cap;
    }
    struct record *r = &c->recs[c->n++];
    memset(r, 0, sizeof *r);
    r->seq = c->seq_of_id[pktd_flow_id(f)];
    r->first_ns = pktd_flow_first_ns(f);
    r->last_ns = pktd_flow_last_ns(f);
    r->zone = pktd_flow_zone(f);
    for (uint32_t d = 0; d < 2; d++) {
        r->pkts[d] = pktd_flow_packets(f, d);
        r->bytes[d] = pktd_flow_bytes(f, d);
        r->flags[d] = pktd_flow_tcp_flags(f, d);
    }
    r->version = (uint8_t)pktd_flow_ip_version(f);
    put_addr(r->src, pktd_flow_ipv4_src(f), pktd_flow_ipv6_src(f));
    put_addr(r->dst, pktd_flow_ipv4_dst(f), pktd_flow_ipv6_dst(f));
    r->sport = pktd_flow_sport(f);
    r->dport = pktd_flow_dport(f);
    r->nvlan = (uint8_t)pktd_flow_vlan_count(f);
    for (uint32_t i = 0; i < r->nvlan; i++)
        r->vlan[i] = pktd_flow_vlan_vid(f, i);
    r->proto = pktd_flow_proto(f);
    r->end = (uint8_t)pktd_flow_end(f);
}

static int by_seq(const void *a, const void *b)
{
    const struct record *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static void format_addr(const struct record *r, const uint8_t *a, char *buf, size_t len)
{
    if (r->version == 6) {
        (void)pktd_ipv6_format(a, buf, len);
    } else {
        uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
        (void)pktd_ipv4_format(v, buf, len);
    }
}

/* A tunnel's zone (see count_levels()) is its type in the high 32 bits and
 * its main identifier in the low ones. */
static const char *zone_id_key(uint32_t type)
{
    switch (type) {
    case PKTD_TUNNEL_VXLAN:
    case PKTD_TUNNEL_GENEVE:
        return "vni";
    case PKTD_TUNNEL_GRE:
        return "key";
    case PKTD_TUNNEL_GTPU:
        return "teid";
    case PKTD_TUNNEL_MPLS:
        return "label";
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        return "session";
    default:
        return NULL; /* IP in IP: no identifier */
    }
}

static void print_encap_json(uint64_t zone)
{
    if (zone == 0) {
        printf("null");
        return;
    }
    uint32_t type = (uint32_t)(zone >> 32), id = (uint32_t)zone;
    const char *key = zone_id_key(type);
    printf("{\"type\": \"%s\"", pktd_tunnel_name(type));
    if (key != NULL)
        printf(", \"%s\": %" PRIu32, key, id);
    printf("}");
}

static void format_encap_text(uint64_t zone, char *buf, size_t len)
{
    uint32_t type = (uint32_t)(zone >> 32), id = (uint32_t)zone;
    if (zone == 0)
        snprintf(buf, len, "-");
    else if (zone_id_key(type) == NULL)
        snprintf(buf, len, "%s", pktd_tunnel_name(type));
    else
        snprintf(buf, len, "%s:%" PRIu32, pktd_tunnel_name(type), id);
}

static void print_json(const struct record *r)
{
    char src[64], dst[64];
    format_addr(r, r->src, src, sizeof src);
    format_addr(r, r->dst, dst, sizeof dst);
    printf("{\"proto\": %u, \"src\": \"%s\", \"sport\": %u, \"dst\": \"%s\", \"dport\": %u, "
           "\"vlan\": [",
           r->proto, src, r->sport, dst, r->dport);
    for (unsigned i = 0; i < r->nvlan; i++)
        printf("%s%u", i ? ", " : "", r->vlan[i]);
    printf("], \"encap\": ");
    print_encap_json(r->zone);
    printf(", \"first_ns\": %" PRIu64 ", \"last_ns\": %" PRIu64 ", \"pkts_fwd\": %" PRIu64
           ", \"bytes_fwd\": %" PRIu64 ", \"pkts_rev\": %" PRIu64 ", \"bytes_rev\": %" PRIu64
           ", \"tcp_flags_fwd\": %u, \"tcp_flags_rev\": %u, \"end\": \"%s\"}\n",
           r->first_ns, r->last_ns, r->pkts[0], r->bytes[0], r->pkts[1], r->bytes[1],
           r->flags[0], r->flags[1], pktd_flow_end_name(r->end));
}

static void print_header(void)
{
    printf("# %-5s %-39s %5s %-39s %5s %-9s %-16s %-29s %12s %8s %12s %8s %12s %4s %4s %s\n",
           "proto", "src", "sport", "dst", "dport", "vlan", "encap", "first (UTC)", "duration",
           "pkts_fwd",
           "bytes_fwd", "pkts_rev", "bytes_rev", "ffwd", "frev", "end");
}

static void print_text(const struct record *r)
{
    char src[64], dst[64], vlan[64] = "-", first[64], encap[48];
    format_encap_text(r->zone, encap, sizeof encap);
    format_addr(r, r->src, src, sizeof src);
    format_addr(r, r->dst, dst, sizeof dst);
    size_t off = 0;
    for (unsigned i = 0; i < r->nvlan && off < sizeof vlan; i++)
        off += (size_t)snprintf(vlan + off, sizeof vlan - off, "%s%u", i ? "." : "", r->vlan[i]);
    time_t secs = (time_t)(r->first_ns / 1000000000u);
    struct tm tm;
    if (gmtime_r(&secs, &tm) != NULL)
        snprintf(first, sizeof first, "%04d-%02d-%02d %02d:%02d:%02d.%09u", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (unsigned)(r->first_ns % 1000000000u));
    else
        snprintf(first, sizeof first, "%" PRIu64, r->first_ns);
    uint64_t dur = r->last_ns - r->first_ns;
    printf("  %-5u %-39s %5u %-39s %5u %-9s %-16s %-29s %5" PRIu64 ".%06u %8" PRIu64
           " %12" PRIu64 " %8" PRIu64 " %12" PRIu64 " 0x%02x 0x%02x %s\n",
           r->proto, src, r->sport, dst, r->dport, vlan, encap, first, dur / 1000000000u,
           (unsigned)(dur % 1000000000u / 1000u), r->pkts[0], r->bytes[0], r->pkts[1],
           r->bytes[1], r->flags[0], r->flags[1], pktd_flow_end_name(r->end));
}

/* Count one frame at every level (pktd_packet_level_next()): the outer
 * packet in zone 0, then the packet each tunnel carries (down to
 * PKTD_TUNNEL_MAX_DEPTH levels) in the zone of the tunnel directly around
 * it: its type in the high 32 bits, its main identifier (VNI, GRE key,
 * TEID, top MPLS label, PPPoE session; 0 for IP in IP) in the low ones.
 * So a VXLAN frame counts in its outer UDP flow and in its inner flow, as
 * tshark's conversation tables count it, and the same inner 5-tuple in two
 * VNIs is two flows.  Bytes are the frame's length on the wire at every
 * level. */
static void count_levels(pktd_flow_table *t, struct collector *c, uint32_t linktype,
                         const uint8_t *data, size_t caplen, uint64_t ts_ns, size_t wire_len)
{
    pktd_packet lv[2];
    const pktd_packet *level;
    uint64_t zone;
    uint32_t cursor = 0, id;
    /* A packet decoded only in part (outer or inner) still has a flow when
     * its IP and transport headers were decoded; the table counts the
     * others. */
    (void)pktd_decode(&lv[0], linktype, data, caplen);
    while (pktd_packet_level_next(&lv[0], &cursor, lv, &level, &zone)) {
        int u = pktd_flow_table_update(t, level, ts_ns, wire_len, zone, &id, NULL);
        if (u == 2)
            c->seq_of_id[id] = c->next_seq++;
    }
}

/* Count one file's packets in the table; returns 0 when it was read to its
 * end, 1 otherwise (after saying why). */
static int read_file(const char *name, pktd_flow_table *t, struct collector *c)
{
    pktd_reader *r;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = strcmp(name, "-") == 0 ? pktd_reader_open_fd(&r, STDIN_FILENO, errbuf)
                                    : pktd_reader_open_path(&r, name, errbuf);
    if (rc < 0) {
        fprintf(stderr, "pktd-flows: %s: %s\n", name, errbuf);
        return 1;
    }
    const uint8_t *data;
    size_t caplen;
    while ((rc = pktd_reader_next(r, &data, &caplen)) == 1)
        count_levels(t, c, pktd_reader_linktype(r), data, caplen, pktd_reader_ts_ns(r),
                     pktd_reader_wire_len(r));
    int status = 0;
    if (rc < 0) {
        const char *detail = pktd_reader_errmsg(r);
        fprintf(stderr, "pktd-flows: %s: %s%s%s\n", name,
                rc == PKTD_E_TRUNCATED ? "truncated capture file" : pktd_strerror(rc),
                *detail ? ": " : "", detail);
        status = 1;
    }
    pktd_reader_close(r);
    return status;
}

int main(int argc, char **argv)
{
    int json = 0, opt;
    while ((opt = getopt(argc, argv, "jh")) != -1) {
        switch (opt) {
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }

    char errbuf[PKTD_ERRBUF_SIZE];
    pktd_flow_table *t;
    int rc = pktd_flow_table_create(&t, FLOWS_CAPACITY, IDLE_TIMEOUT_NS, ACTIVE_TIMEOUT_NS, errbuf);
    if (rc < 0) {
        fprintf(stderr, "pktd-flows: %s\n", errbuf);
        return 1;
    }
    struct collector c = {.seq_of_id = calloc(FLOWS_CAPACITY, sizeof(uint64_t))};
    if (c.seq_of_id == NULL || pktd_flow_table_set_export(t, collect, &c) < 0) {
        fprintf(stderr, "pktd-flows: out of memory\n");
        return 1;
    }
    int status = 0;
    for (int i = optind; i < argc; i++)
        status |= read_file(argv[i], t, &c);
    if (pktd_flow_table_flush(t) < 0 || c.failed) {
        fprintf(stderr, "pktd-flows: out of memory for the flow records\n");
        return 1;
    }

    uint64_t stats[PKTD_FLOW_STAT_COUNT];
    if (pktd_flow_table_stats(t, stats, PKTD_FLOW_STAT_COUNT) >= 0 &&
        stats[PKTD_FLOW_STAT_END_EVICTED] > 0)
        fprintf(stderr, "pktd-flows: %" PRIu64 " flows evicted early: more than %u open at once\n",
                stats[PKTD_FLOW_STAT_END_EVICTED], FLOWS_CAPACITY);

    qsort(c.recs, c.n, sizeof c.recs[0], by_seq);
    if (!json)
        print_header();
    for (size_t i = 0; i < c.n; i++) {
        if (json)
            print_json(&c.recs[i]);
        else
            print_text(&c.recs[i]);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("pktd-flows: standard output");
        status = 1;
    }
    free(c.recs);
    free(c.seq_of_id);
    pktd_flow_table_close(t);
    return status;
}
