/* pktd-follow: the reassembled payload of every TCP connection of capture
 * files, one file per direction, like tshark's follow,tcp,raw and tcpflow.
 * Interface: doc/programs.md, "pktd-follow".
 *
 *   pktd-follow [-m BYTES] -o DIR FILE... [FILTER]
 *
 * The flow table (flow.h) gives each TCP connection an id and each packet a
 * direction; the reassembler (tcp_reasm.h), indexed by those ids, delivers
 * each direction's bytes, which go to DIR/N-SRC.SPORT-DST.DPORT.  A packet
 * is followed only if it matches FILTER (filter.h), as if the files had
 * been filtered by `tcpdump -r FILE -w - FILTER` first.
 *
 * Exit status: 0 when every file was read, 1 when a file cannot be opened
 * or read, an output file cannot be written, or FILTER does not compile;
 * 2 on a usage error. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pktdecode.h>

#define CAPACITY 65536u

/* One followed connection (numbered from 1 in order of first packet). */
struct conn {
    char name[2][192];   /* file names (without DIR), [dir] */
    char label[192];     /* SRC.SPORT-DST.DPORT of direction 0 */
    FILE *out[2];        /* open output files, NULL when closed */
    uint64_t st[2][PKTD_TCP_REASM_FLOW_COUNT];
    uint32_t end[2];     /* END reason + 1, 0 when the direction never ended */
};

static struct conn *conns;
static size_t nconns, conns_cap;
static uint32_t conn_of[CAPACITY]; /* flow id -> index in conns + 1 (0: none) */
static const char *outdir;
static pktd_tcp_reasm *reasm;
static int failed;

static void usage(FILE *out)
{
    fprintf(out, "usage: pktd-follow [-m BYTES] -o DIR FILE... [FILTER]\n"
                 "  -o DIR    write N-SRC.SPORT-DST.DPORT files (one per direction) there\n"
                 "  -m BYTES  memory for out-of-order data (default 64 MiB)\n"
                 "  -V        print the library version\n"
                 "  FILE      pcap or pcapng file\n"
                 "  FILTER    tcpdump filter expression: follow only the packets it matches\n"
                 "            (the last argument, when it is not an existing file)\n");
}

static void close_all_outputs(void)
{
    for (size_t i = 0; i < nconns; i++)
        for (int d = 0; d < 2; d++)
            if (conns[i].out[d] != NULL) {
                if (fclose(conns[i].out[d]) != 0) {
                    fprintf(stderr, "pktd-follow: %s/%s: %s\n", outdir, conns[i].name[d],
                            strerror(errno));
                    failed = 1;
                }
                conns[i].out[d] = NULL;
            }
}

/* Open a direction's file: "w" creates it, "a" appends.  When the process
 * runs out of descriptors, every open file is closed and it tries again. */
static FILE *open_output(struct conn *c, int d, const char *mode)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", outdir, c->name[d]);
    FILE *f = fopen(path, mode);
    if (f == NULL && (errno == EMFILE || errno == ENFILE)) {
        close_all_outputs();
        f = fopen(path, mode);
    }
    if (f == NULL) {
        fprintf(stderr, "pktd-follow: %s: %s\n", path, strerror(errno));
        failed = 1;
    }
    return f;
}

static void on_stream(void *user, uint32_t event, uint32_t flow_id, uint32_t dir, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    (void)user;
    (void)offset;
    if (flow_id >= CAPACITY || conn_of[flow_id] == 0)
        return;
    struct conn *c = &conns[conn_of[flow_id] - 1];
    if (event == PKTD_TCP_REASM_DATA) {
        if (c->out[dir] == NULL && (c->out[dir] = open_output(c, (int)dir, "ab")) == NULL)
            return;
        if (fwrite(data, 1, len, c->out[dir]) != len) {
            fprintf(stderr, "pktd-follow: %s/%s: %s\n", outdir, c->name[dir], strerror(errno));
            failed = 1;
        }
    } else if (event == PKTD_TCP_REASM_END) {
        /* No more bytes this way: close now, so that finished connections
         * do not hold descriptors (and libc's list of open files stays
         * short) until the flow table lets them go. */
        if (c->out[dir] != NULL) {
            if (fclose(c->out[dir]) != 0) {
                fprintf(stderr, "pktd-follow: %s/%s: %s\n", outdir, c->name[dir], strerror(errno));
                failed = 1;
            }
            c->out[dir] = NULL;
        }
        c->end[dir] = (uint32_t)len + 1;
        if (pktd_tcp_reasm_flow_stats(reasm, flow_id, dir, c->st[dir],
                                      PKTD_TCP_REASM_FLOW_COUNT) < 0)
            memset(c->st[dir], 0, sizeof(c->st[dir]));
    }
}

/* The flow table ended a flow (timeout, eviction, end of input): end its
 * streams and free the id. */
static void on_export(void *user, const pktd_flow *f)
{
    (void)user;
    uint32_t id = pktd_flow_id(f);
    if (id >= CAPACITY || conn_of[id] == 0)
        return;
    uint32_t why = pktd_flow_end(f) == PKTD_FLOW_END_EVICTED ? PKTD_TCP_REASM_END_EVICTED
                                                              : PKTD_TCP_REASM_END_FLUSHED;
    if (pktd_tcp_reasm_flush(reasm, id, why) != 0)
        fprintf(stderr, "pktd-follow: %s\n", pktd_tcp_reasm_errmsg(reasm));
    struct conn *c = &conns[conn_of[id] - 1];
    for (int d = 0; d < 2; d++)
        if (c->out[d] != NULL) {
            if (fclose(c->out[d]) != 0) {
                fprintf(stderr, "pktd-follow: %s/%s: %s\n", outdir, c->name[d], strerror(errno));
                failed = 1;
            }
            c->out[d] = NULL;
        }
    conn_of[id] = 0;
}

static void endpoint(const pktd_flow *f, int src, char *buf, size_t len)
{
    char addr[INET6_ADDRSTRLEN];
    if (pktd_flow_ip_version(f) == 6)
        inet_ntop(AF_INET6, src ? pktd_flow_ipv6_src(f) : pktd_flow_ipv6_dst(f), addr,
                  sizeof(addr));
    else
        pktd_ipv4_format(src ? pktd_flow_ipv4_src(f) : pktd_flow_ipv4_dst(f), addr, sizeof(addr));
    snprintf(buf, len, "%s.%u", addr, src ? pktd_flow_sport(f) : pktd_flow_dport(f));
}

/* A new flow: number it and create its two (empty) files. */
static int new_conn(const pktd_flow *f, uint32_t id)
{
    if (nconns == conns_cap) {
        size_t n = conns_cap ? conns_cap * 2 : 256;
        struct conn *p = realloc(conns, n * sizeof(*p));
        if (p == NULL) {
            fprintf(stderr, "pktd-follow: out of memory\n");
            return -1;
        }
        conns = p;
        conns_cap = n;
    }
    struct conn *c = &conns[nconns++];
    memset(c, 0, sizeof(*c));
    char a[80], b[80];
    endpoint(f, 1, a, sizeof(a));
    endpoint(f, 0, b, sizeof(b));
    snprintf(c->label, sizeof(c->label), "%s-%s", a, b);
    snprintf(c->name[0], sizeof(c->name[0]), "%zu-%s-%s", nconns, a, b);
    snprintf(c->name[1], sizeof(c->name[1]), "%zu-%s-%s", nconns, b, a);
    conn_of[id] = (uint32_t)nconns;
    for (int d = 0; d < 2; d++) {
        FILE *o = open_output(c, d, "wb");
        if (o == NULL)
            return -1;
        c->out[d] = o;
    }
    return 0;
}

static int follow_file(const char *name, pktd_flow_table *t, const char *expr)
{
    pktd_reader *r;
    char err[PKTD_ERRBUF_SIZE];
    if (pktd_reader_open_path(&r, name, err) != 0) {
        fprintf(stderr, "pktd-follow: %s\n", err);
        return 1;
    }
    pktd_filter *flt = NULL;
    uint32_t flt_linktype = 0;
    const uint8_t *data;
    size_t caplen;
    int rc, status = 0;
    while ((rc = pktd_reader_next(r, &data, &caplen)) == 1) {
        uint32_t lt = pktd_reader_linktype(r);
        if (expr != NULL && (flt == NULL || flt_linktype != lt)) {
            pktd_filter_close(flt);
            if (pktd_filter_create(&flt, expr, lt, err) != 0) {
                fprintf(stderr, "pktd-follow: %s\n", err);
                status = 1;
                break;
            }
            flt_linktype = lt;
        }
        if (flt != NULL && !pktd_filter_match(flt, data, caplen, pktd_reader_wire_len(r)))
            continue;
        /* The TCP segment may sit inside tunnels: the first level that has
         * TCP is followed, keyed in the zone of the tunnel around it, as
         * pktd-flows keys it (pktd_packet_level_next()). */
        pktd_packet lv[2];
        const pktd_packet *pp = NULL, *level;
        uint64_t zone = 0, level_zone;
        uint32_t cursor = 0;
        (void)pktd_decode(&lv[0], lt, data, caplen);
        while (pktd_packet_level_next(&lv[0], &cursor, lv, &level, &level_zone)) {
            if (pktd_packet_has(level, PKTD_LAYER_TCP)) {
                pp = level;
                zone = level_zone;
                break;
            }
        }
        if (pp == NULL)
            continue;
        uint64_t ts = pktd_reader_ts_ns(r);
        uint32_t id, dir;
        int n = pktd_flow_table_update(t, pp, ts, pktd_reader_wire_len(r), zone, &id, &dir);
        if (n < 0) {
            fprintf(stderr, "pktd-follow: %s\n", pktd_flow_table_errmsg(t));
            status = 1;
            break;
        }
        if (n == 0 || id >= CAPACITY)
            continue;
        if (n == 2 && new_conn(pktd_flow_table_get(t, id), id) != 0) {
            status = 1;
            break;
        }
        if (conn_of[id] != 0 && pktd_tcp_reasm_add(reasm, id, dir, pp, ts) != 0) {
            fprintf(stderr, "pktd-follow: %s\n", pktd_tcp_reasm_errmsg(reasm));
            status = 1;
            break;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "pktd-follow: %s\n", pktd_reader_errmsg(r));
        status = 1;
    }
    pktd_filter_close(flt);
    pktd_reader_close(r);
    return status;
}

static const char *end_name(uint32_t e)
{
    static const char *const names[] = {"none", "fin", "rst", "flushed", "evicted"};
    return e < 5 ? names[e] : "?";
}

int main(int argc, char **argv)
{
    int opt;
    size_t budget = 64u << 20;
    while ((opt = getopt(argc, argv, "o:m:Vh")) != -1) {
        switch (opt) {
        case 'o':
            outdir = optarg;
            break;
        case 'm': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-') {
                fprintf(stderr, "pktd-follow: -m: not a byte count: %s\n", optarg);
                return 2;
            }
            budget = (size_t)v;
            break;
        }
        case 'V':
            printf("pktd-follow (libpktdecode) %s\n", pktd_version_string());
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (outdir == NULL || optind >= argc) {
        usage(stderr);
        return 2;
    }
    int nfiles = argc - optind;
    const char *expr = NULL;
    struct stat sb;
    if (nfiles > 1 && stat(argv[argc - 1], &sb) != 0) {
        expr = argv[argc - 1];
        nfiles--;
    }
    if (stat(outdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "pktd-follow: %s: not a directory\n", outdir);
        return 1;
    }
    char err[PKTD_ERRBUF_SIZE];
    pktd_flow_table *t;
    if (pktd_flow_table_create(&t, CAPACITY, 0, 0, err) != 0 ||
        pktd_flow_table_set_export(t, on_export, NULL) != 0) {
        fprintf(stderr, "pktd-follow: %s\n", err);
        return 1;
    }
    if (pktd_tcp_reasm_create(&reasm, CAPACITY, budget, on_stream, NULL, err) != 0) {
        fprintf(stderr, "pktd-follow: %s\n", err);
        pktd_flow_table_close(t);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < nfiles && status == 0; i++)
        status |= follow_file(argv[optind + i], t, expr);
    if (pktd_flow_table_flush(t) < 0) {
        fprintf(stderr, "pktd-follow: %s\n", pktd_flow_table_errmsg(t));
        status = 1;
    }
    close_all_outputs();
    for (size_t i = 0; i < nconns; i++) {
        const struct conn *c = &conns[i];
        int mid = c->st[0][PKTD_TCP_REASM_FLOW_MIDSTREAM] || c->st[1][PKTD_TCP_REASM_FLOW_MIDSTREAM];
        printf("%zu %s sent=%" PRIu64 " received=%" PRIu64 " gaps=%" PRIu64 "/%" PRIu64
               " overlaps=%" PRIu64 "/%" PRIu64 " differing=%" PRIu64 "/%" PRIu64 " end=%s/%s%s\n",
               i + 1, c->label, c->st[0][PKTD_TCP_REASM_FLOW_DELIVERED],
               c->st[1][PKTD_TCP_REASM_FLOW_DELIVERED], c->st[0][PKTD_TCP_REASM_FLOW_GAP_BYTES],
               c->st[1][PKTD_TCP_REASM_FLOW_GAP_BYTES], c->st[0][PKTD_TCP_REASM_FLOW_OVERLAP_BYTES],
               c->st[1][PKTD_TCP_REASM_FLOW_OVERLAP_BYTES],
               c->st[0][PKTD_TCP_REASM_FLOW_OVERLAP_DIFFS],
               c->st[1][PKTD_TCP_REASM_FLOW_OVERLAP_DIFFS], end_name(c->end[0]),
               end_name(c->end[1]), mid ? " midstream" : "");
    }
    pktd_tcp_reasm_close(reasm);
    pktd_flow_table_close(t);
    free(conns);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "pktd-follow: write error: %s\n", strerror(errno));
        return 1;
    }
    return status | failed;
}
