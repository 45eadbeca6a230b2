/* pktd-bench: measure libpktdecode.  Interface: doc/programs.md, "pktd-bench".
 *
 *   pktd-bench parse [-r ROUNDS] [-m full|fields|decode|decode-prefetch|read|csum|tuple|batch] FILE
 *   pktd-bench hash COUNT SIZE
 *   pktd-bench cipher COUNT SIZE
 *   pktd-bench capture [-w FILE] [-B KiB] IFACE SECONDS
 *   pktd-bench flows [-r ROUNDS] FILE
 *   pktd-bench defrag [-r ROUNDS] FILE
 *   pktd-bench follow [-r ROUNDS] FILE
 *
 * parse: loads every frame of FILE (pcap or pcapng) into one contiguous
 * buffer, then times ROUNDS rounds (default 9) of full decodes of all of them
 * and prints, last, `parse pkts=N ns_per_pkt=X mpps=Y` for the best round.
 * -m full (the default) reads every field of every layer, every TCP option,
 * through the per-field accessors; fields reads the same fields from the
 * array one pktd_packet_fields() call fills; decode only decodes;
 * decode-prefetch decodes with the headers of the frame 4 ahead prefetched
 * (the decode's cost without the trace's cache misses); csum is
 * full plus the verification of every checksum; tuple reads the 5-tuple
 * (IPv4 addresses and protocol, TCP or UDP ports) with one accessor call per
 * field; batch reads the same 5-tuple from a columnar batch (batch.h) of 256
 * frames per call; read decodes the frames as they come out of a reader
 * over the trace as a pcap file in memory (pktd_reader_open_mem(): what a
 * program reading a capture file does, the reader's prefetching included).
 *
 * hash / cipher: COUNT one-shot AF_ALG operations on SIZE bytes through one
 * handle (sha256 digests; cbc(aes) encryptions with a 128-bit key, SIZE a
 * multiple of 16), after one untimed warm-up operation; prints, last,
 * `hash ops=COUNT size=SIZE ns_per_op=X` (or `cipher ...`).  Where the
 * kernel offers no AF_ALG (or not the algorithm) it prints
 * `hash unavailable: REASON` and exits 1.
 *
 * capture: captures on IFACE with the default ring (or -B KiB) for SECONDS
 * from the first packet on, writing every packet to FILE as pcap if -w is
 * given (tests/bench/capture-bench.sh compares it with `tcpdump -w /dev/null`),
 * and prints, last,
 * `capture pkts=N secs=S pps=X received=R drops=D cpu_ns_per_pkt=Y`:
 * packets delivered, their rate, the kernel's received and dropped counters,
 * and the process's user + system CPU time (getrusage) per delivered packet.
 *
 * flows (1.1): as parse, but each pass decodes every frame and counts it in
 * a flow table (flow.h; pktd-flows' capacity and timeouts, the frame's
 * capture time and wire length), then flushes the table; prints, last,
 * `flows pkts=N ns_per_pkt=X mpps=Y`, and the flows of one pass on a `#`
 * line.
 * defrag: like parse -m decode, and every IP packet also goes through one
 * IP defragmenter (defrag.h, default limits, zone 0, no expiry); prints,
 * last, `defrag pkts=N ns_per_pkt=X mpps=Y` and, before it, the decode-only
 * figure of the same frames and how many fragments and datagrams one pass
 * gave, so the defragmenter's own cost is the difference.
 * follow (1.1): like parse, but each round decodes every frame, counts it in
 * a flow table (flow.h, 65536 flows, no timeouts) and gives every TCP
 * segment to a reassembler (tcp_reasm.h, 64 MiB budget) whose callback
 * reads the first and last byte of each range, then flushes both; prints
 * `follow pkts=N ns_per_pkt=X mpps=Y` (what pktd-follow does, minus the
 * files).
 *
 * Exit status: 0 on success, 1 when the file cannot be read or the
 * operation fails or is unavailable, 2 on a usage error.  The method is described in doc/performance.md. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <pktdecode.h>

#include "bench/harness.h"
#include "bench/walk_pktd.h"
#include "privs.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: pktd-bench parse [-r ROUNDS] [-m full|fields|decode|decode-prefetch|read|csum|tuple|batch] FILE\n"
                 "       pktd-bench hash COUNT SIZE\n"
                 "       pktd-bench cipher COUNT SIZE\n"
                 "       pktd-bench capture [-w FILE] [-B KiB] IFACE SECONDS\n"
                 "       pktd-bench flows [-r ROUNDS] FILE\n"
                 "       pktd-bench defrag [-r ROUNDS] FILE\n"
                 "       pktd-bench -V\n"
                 "  parse   time full decodes of every frame of FILE (pcap or pcapng),\n"
                 "          loaded into memory first; prints the best round\n"
                 "  -r N    timed rounds (default 9)\n"
                 "  -m      full: every field of every layer, one accessor call each\n"
                 "          (default); fields: the same fields from one pktd_packet_fields()\n"
                 "          call; decode: decoding only; decode-prefetch: the same with the\n"
                 "          headers of the frame 4 ahead prefetched; read: decoding only, the\n"
                 "          frames read from the trace as a pcap file in memory by a reader;\n"
                 "          csum: full plus IPv4/TCP/UDP/ICMP\n"
                 "          checksum verification; tuple: the 5-tuple, one accessor call\n"
                 "          each; batch: the 5-tuple from columnar batches (batch.h)\n"
                 "  hash    COUNT one-shot AF_ALG sha256 digests of SIZE bytes, one handle\n"
                 "  cipher  COUNT one-shot AF_ALG cbc(aes) encryptions of SIZE bytes\n"
                 "          (128-bit key; SIZE a multiple of 16)\n"
                 "  follow  decode + flow table + TCP reassembly of FILE, -r rounds\n"
                 "  capture capture on IFACE for SECONDS (from the first packet); -w writes\n"
                 "          pcap to FILE, -B sets the ring size; prints packets/s, drops and\n"
                 "          CPU time per packet\n"
                 "  flows   time decoding every frame of FILE and counting it in a flow\n"
                 "          table (pktd-flows' settings), then flushing it; best round\n"
                 "  defrag  time decodes plus the IP defragmenter over every frame of FILE\n");
}

/* Every frame of @p path into @p f through the library's reader. */
static int load(const char *path, struct bench_frames *f)
{
    pktd_reader *r;
    int rc = pktd_reader_open_path(&r, path, NULL);
    if (rc < 0) {
        fprintf(stderr, "pktd-bench: %s: %s\n", path, pktd_strerror(rc));
        return -1;
    }
    const uint8_t *data;
    size_t caplen;
    memset(f, 0, sizeof *f);
    while ((rc = pktd_reader_next(r, &data, &caplen)) == 1) {
        if (f->n == UINT32_MAX ||
            bench_frames_add(f, data, (uint32_t)caplen, pktd_reader_wire_len(r),
                             pktd_reader_ts_ns(r), pktd_reader_linktype(r)) != 0) {
            fprintf(stderr, "pktd-bench: %s: out of memory\n", path);
            pktd_reader_close(r);
            return -1;
        }
    }
    if (rc < 0) {
        const char *detail = pktd_reader_errmsg(r);
        fprintf(stderr, "pktd-bench: %s: %s%s%s\n", path, pktd_strerror(rc), *detail ? ": " : "",
                detail);
        pktd_reader_close(r);
        return -1;
    }
    pktd_reader_close(r);
    bench_frames_finish(f, 0);
    return 0;
}

/* flows: one pass = decode + flow table update of every frame, then a
 * flush, so every pass starts from an empty table.  The capture time and
 * wire length come from the pcap record header the harness wrote before
 * each frame (microseconds). */
struct flows_ctx {
    pktd_flow_table *t;
    uint64_t flows;
};

static void flows_count(void *user, const pktd_flow *f)
{
    struct flows_ctx *c = user;
    c->flows += pktd_flow_packets(f, PKTD_FLOW_FWD);
}

static uint32_t get32le(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t walk_flows(const struct bench_frames *f, void *ctx)
{
    struct flows_ctx *c = ctx;
    uint64_t sink = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        const uint8_t *rec = fr->data - BENCH_RECORD_HDR;
        uint64_t ts = (uint64_t)get32le(rec) * 1000000000u + (uint64_t)get32le(rec + 4) * 1000u;
        pktd_packet p;
        uint32_t id = 0;
        (void)pktd_decode(&p, fr->linktype, fr->data, fr->len);
        sink += (uint64_t)pktd_flow_table_update(c->t, &p, ts, get32le(rec + 12), 0, &id, NULL) + id;
    }
    sink += (uint64_t)pktd_flow_table_flush(c->t);
    return sink + c->flows;
}

static int cmd_flows(int argc, char **argv)
{
    uint32_t rounds = 9;
    int c;
    while ((c = getopt(argc, argv, "r:")) != -1) {
        if (c != 'r' || bench_parse_u32(optarg, &rounds) != 0 || rounds == 0 || rounds > 256) {
            usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    struct bench_frames f;
    if (load(argv[optind], &f) != 0)
        return 1;
    char errbuf[PKTD_ERRBUF_SIZE];
    struct flows_ctx ctx = {0};
    if (pktd_flow_table_create(&ctx.t, 1u << 18, 300ull * 1000000000u, 3600ull * 1000000000u,
                               errbuf) < 0 ||
        pktd_flow_table_set_export(ctx.t, flows_count, &ctx) < 0) {
        fprintf(stderr, "pktd-bench: %s\n", errbuf);
        bench_frames_free(&f);
        return 1;
    }
    /* One untimed pass for the figures of the # line. */
    (void)walk_flows(&f, &ctx);
    uint64_t st[PKTD_FLOW_STAT_COUNT];
    if (pktd_flow_table_stats(ctx.t, st, PKTD_FLOW_STAT_COUNT) < 0)
        memset(st, 0, sizeof st);
    struct bench_result res;
    bench_run(&f, walk_flows, &ctx, rounds, &res);
    printf("# libpktdecode %s, %" PRIu32 " frames, %" PRIu64 " bytes; one pass: %" PRIu64
           " flows, %" PRIu64 " packets keyed, %" PRIu64 " evicted, longest chain %" PRIu64 "\n",
           pktd_version_string(), f.n, f.bytes, st[PKTD_FLOW_STAT_CREATED],
           st[PKTD_FLOW_STAT_KEYED], st[PKTD_FLOW_STAT_END_EVICTED], st[PKTD_FLOW_STAT_MAX_CHAIN]);
    bench_print("flows", f.n, &res);
    pktd_flow_table_close(ctx.t);
    bench_frames_free(&f);
    return 0;
}

/* The passes of `parse -m`, with the set-up some of them need beside the
 * frames (made untimed, before the rounds). */
static const struct parse_mode {
    const char *name;
    bench_pass_fn pass;
    void *(*ctx_new)(const struct bench_frames *f); /* NULL: no context */
    void (*ctx_free)(void *ctx);
    const char *ctx_fails; /* why ctx_new can return NULL */
} parse_modes[] = {
    {"full", walk_pktd_full, NULL, NULL, NULL},
    {"decode", walk_pktd_decode, NULL, NULL, NULL},
    {"decode-prefetch", walk_pktd_decode_prefetch, NULL, NULL, NULL},
    {"csum", walk_pktd_csum, NULL, NULL, NULL},
    {"fields", walk_pktd_fields, NULL, NULL, NULL},
    {"tuple", walk_pktd_tuple, NULL, NULL, NULL},
    {"batch", walk_pktd_batch, batch_pass_new, batch_pass_free, "out of memory"},
    {"read", walk_pktd_read, read_pass_new, read_pass_free,
     "it needs frames of one link type, and memory"},
};

static int cmd_parse(int argc, char **argv)
{
    uint32_t rounds = 9;
    const struct parse_mode *mode = &parse_modes[0];
    int c;
    while ((c = getopt(argc, argv, "r:m:")) != -1) {
        switch (c) {
        case 'r':
            if (bench_parse_u32(optarg, &rounds) != 0 || rounds == 0 || rounds > 256)
                goto bad;
            break;
        case 'm':
            mode = NULL;
            for (size_t k = 0; k < sizeof parse_modes / sizeof parse_modes[0]; k++)
                if (strcmp(optarg, parse_modes[k].name) == 0)
                    mode = &parse_modes[k];
            if (mode == NULL)
                goto bad;
            break;
        default:
            goto bad;
        }
    }
    if (optind + 1 != argc)
        goto bad;

    struct bench_frames f;
    if (load(argv[optind], &f) != 0)
        return 1;
    struct bench_result res;
    void *ctx = NULL;
    if (mode->ctx_new != NULL && (ctx = mode->ctx_new(&f)) == NULL) {
        fprintf(stderr, "pktd-bench: cannot set up -m %s (%s)\n", mode->name, mode->ctx_fails);
        bench_frames_free(&f);
        return 1;
    }
    bench_run(&f, mode->pass, ctx, rounds, &res);
    if (mode->ctx_free != NULL)
        mode->ctx_free(ctx);
    printf("# libpktdecode %s, %" PRIu32 " frames, %" PRIu64 " bytes\n", pktd_version_string(),
           f.n, f.bytes);
    bench_print("parse", f.n, &res);
    bench_frames_free(&f);
    return 0;
bad:
    usage(stderr);
    return 2;
}

/* follow: the flow table and the reassembler, made once, emptied after each round. */
struct follow_ctx {
    pktd_flow_table *t;
    pktd_tcp_reasm *r;
    uint64_t sum;
};

static void follow_data(void *user, uint32_t event, uint32_t flow_id, uint32_t dir,
                        uint64_t offset, const uint8_t *data, size_t len)
{
    struct follow_ctx *c = user;
    (void)flow_id, (void)dir, (void)offset;
    if (event == PKTD_TCP_REASM_DATA)
        c->sum += (uint64_t)data[0] + data[len - 1] + len;
}

static void follow_export(void *user, const pktd_flow *f)
{
    struct follow_ctx *c = user;
    if (pktd_tcp_reasm_flush(c->r, pktd_flow_id(f), PKTD_TCP_REASM_END_FLUSHED) != 0)
        abort(); /* ids come from the table: cannot be out of range */
}

static uint64_t follow_pass(const struct bench_frames *f, void *ctx)
{
    struct follow_ctx *c = ctx;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        (void)pktd_decode(&p, fr->linktype, fr->data, fr->len);
        uint32_t id, dir;
        if (pktd_flow_table_update(c->t, &p, 0, fr->len, 0, &id, &dir) > 0 &&
            pktd_packet_has(&p, PKTD_LAYER_TCP) && pktd_tcp_reasm_add(c->r, id, dir, &p, 0) != 0)
            abort();
    }
    if (pktd_flow_table_flush(c->t) < 0)
        abort();
    return c->sum;
}

static int cmd_follow(int argc, char **argv)
{
    uint32_t rounds = 9;
    int opt;
    while ((opt = getopt(argc, argv, "r:")) != -1) {
        if (opt != 'r' || bench_parse_u32(optarg, &rounds) != 0 || rounds == 0 || rounds > 256) {
            usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    struct bench_frames f;
    if (load(argv[optind], &f) != 0)
        return 1;
    struct follow_ctx c = {0};
    char err[PKTD_ERRBUF_SIZE];
    if (pktd_flow_table_create(&c.t, 65536, 0, 0, err) != 0 ||
        pktd_flow_table_set_export(c.t, follow_export, &c) != 0 ||
        pktd_tcp_reasm_create(&c.r, 65536, 64u << 20, follow_data, &c, err) != 0) {
        fprintf(stderr, "pktd-bench: %s\n", err);
        pktd_flow_table_close(c.t);
        bench_frames_free(&f);
        return 1;
    }
    struct bench_result res;
    bench_run(&f, follow_pass, &c, rounds, &res);
    printf("# libpktdecode %s, %" PRIu32 " frames, %" PRIu64 " bytes\n", pktd_version_string(),
           f.n, f.bytes);
    bench_print("follow", f.n, &res);
    pktd_tcp_reasm_close(c.r);
    pktd_flow_table_close(c.t);
    bench_frames_free(&f);
    return 0;
}

/* An AF_ALG failure: "unavailable" on stdout when the kernel cannot do it. */
static int alg_failed(const char *mode, const char *what, int rc, const char *detail)
{
    if (pktd_alg_is_unavailable(rc))
        printf("%s unavailable: %s: %s\n", mode, what, pktd_strerror(rc));
    fprintf(stderr, "pktd-bench: %s: %s: %s%s%s\n", mode, what, pktd_strerror(rc),
            detail != NULL && *detail ? ": " : "", detail != NULL ? detail : "");
    return 1;
}

static void alg_print(const char *mode, uint32_t count, uint32_t size, uint64_t ns)
{
    double per = count ? (double)ns / count : 0.0;
    printf("# %s: %.1f MB/s, %.0f ops/s\n", mode, per > 0 ? size * 1000.0 / per : 0.0,
           per > 0 ? 1e9 / per : 0.0);
    printf("%s ops=%" PRIu32 " size=%" PRIu32 " ns_per_op=%.1f\n", mode, count, size, per);
}

static int cmd_alg(const char *mode, int argc, char **argv)
{
    uint32_t count, size;
    if (argc != 3 || bench_parse_u32(argv[1], &count) != 0 || bench_parse_u32(argv[2], &size) != 0 ||
        count == 0 || (strcmp(mode, "cipher") == 0 && size % 16 != 0)) {
        usage(stderr);
        return 2;
    }
    uint8_t *in = malloc(size ? size : 1), *out = malloc(size ? size : 1);
    if (in == NULL || out == NULL) {
        free(in);
        free(out);
        fprintf(stderr, "pktd-bench: out of memory\n");
        return 1;
    }
    for (uint32_t i = 0; i < size; i++)
        in[i] = (uint8_t)(i * 131u + 7u);
    int status = 0;
    if (strcmp(mode, "hash") == 0) {
        pktd_hash *h;
        uint8_t md[PKTD_HASH_MAX_DIGEST];
        char err[PKTD_ERRBUF_SIZE];
        int rc = pktd_hash_open(&h, "sha256", err);
        if (rc < 0) {
            status = alg_failed(mode, "sha256", rc, err);
        } else if ((rc = pktd_hash_digest(h, in, size, md, sizeof md)) < 0) {
            status = alg_failed(mode, "sha256 digest", rc, pktd_hash_errmsg(h));
        } else {
            uint64_t t0 = bench_now_ns();
            for (uint32_t i = 0; i < count && rc >= 0; i++)
                rc = pktd_hash_digest(h, in, size, md, sizeof md);
            uint64_t t1 = bench_now_ns();
            if (rc < 0)
                status = alg_failed(mode, "sha256 digest", rc, pktd_hash_errmsg(h));
            else
                alg_print(mode, count, size, t1 - t0);
        }
        pktd_hash_close(h);
    } else {
        static const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
        static const uint8_t iv[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        pktd_cipher *c;
        char err[PKTD_ERRBUF_SIZE];
        int rc = pktd_cipher_open(&c, "cbc(aes)", err);
        if (rc < 0) {
            status = alg_failed(mode, "cbc(aes)", rc, err);
        } else if ((rc = pktd_cipher_setkey(c, key, sizeof key)) < 0 ||
                   (rc = pktd_cipher_encrypt(c, iv, sizeof iv, in, size, out)) < 0) {
            status = alg_failed(mode, "cbc(aes) encrypt", rc, pktd_cipher_errmsg(c));
        } else {
            uint64_t t0 = bench_now_ns();
            for (uint32_t i = 0; i < count && rc >= 0; i++)
                rc = pktd_cipher_encrypt(c, iv, sizeof iv, in, size, out);
            uint64_t t1 = bench_now_ns();
            if (rc < 0)
                status = alg_failed(mode, "cbc(aes) encrypt", rc, pktd_cipher_errmsg(c));
            else
                alg_print(mode, count, size, t1 - t0);
        }
        pktd_cipher_close(c);
    }
    free(in);
    free(out);
    return status;
}

/* decode + pktd_defrag_add() on every IP packet; ctx is the handle. */
static uint64_t walk_defrag(const struct bench_frames *f, void *ctx)
{
    pktd_defrag *d = ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        (void)pktd_decode(&p, fr->linktype, fr->data, fr->len);
        if ((pktd_packet_layers(&p) & (1u << PKTD_LAYER_IPV4 | 1u << PKTD_LAYER_IPV6)) == 0)
            continue;
        const uint8_t *out;
        size_t len;
        if (pktd_defrag_add(d, &p, 0, 0, &out, &len) == 1)
            s += len;
    }
    return s;
}

static int cmd_defrag(int argc, char **argv)
{
    uint32_t rounds = 9;
    int c;
    while ((c = getopt(argc, argv, "r:")) != -1) {
        if (c == 'r' && bench_parse_u32(optarg, &rounds) == 0 && rounds > 0 && rounds <= 256)
            continue;
        usage(stderr);
        return 2;
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    struct bench_frames f;
    if (load(argv[optind], &f) != 0)
        return 1;
    char err[PKTD_ERRBUF_SIZE];
    pktd_defrag *d;
    /* No expiry: the frames are replayed over and over. */
    int rc = pktd_defrag_create(&d, 0, 0, 0, UINT64_MAX, err);
    if (rc < 0) {
        fprintf(stderr, "pktd-bench: %s\n", err);
        bench_frames_free(&f);
        return 1;
    }
    uint64_t st[PKTD_DEFRAG_STAT_COUNT];
    (void)walk_defrag(&f, d);
    if (pktd_defrag_stats(d, st, PKTD_DEFRAG_STAT_COUNT) < 0) {
        fprintf(stderr, "pktd-bench: pktd_defrag_stats failed\n");
        pktd_defrag_close(d);
        bench_frames_free(&f);
        return 1;
    }
    struct bench_result base, res;
    bench_run(&f, walk_pktd_decode, NULL, rounds, &base);
    bench_run(&f, walk_defrag, d, rounds, &res);
    printf("# libpktdecode %s, %" PRIu32 " frames, %" PRIu64 " bytes; one pass: %" PRIu64
           " fragments, %" PRIu64 " datagrams\n",
           pktd_version_string(), f.n, f.bytes, st[PKTD_DEFRAG_STAT_FRAGMENTS],
           st[PKTD_DEFRAG_STAT_DATAGRAMS]);
    bench_print("decode", f.n, &base);
    bench_print("defrag", f.n, &res);
    pktd_defrag_close(d);
    bench_frames_free(&f);
    return 0;
}

struct capture_ctx {
    pktd_writer *w;
    uint64_t pkts;
    int err;
};

static int on_packet(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                     uint64_t ts_ns)
{
    struct capture_ctx *x = user;
    x->pkts++;
    if (x->w != NULL && x->err == 0)
        x->err = pktd_writer_write(x->w, data, caplen, wire_len, ts_ns);
    return 0;
}

static uint64_t cpu_ns(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
           ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
}

static int cmd_capture(int argc, char **argv)
{
    const char *out_path = NULL;
    uint32_t kib = 0, secs;
    int c;
    while ((c = getopt(argc, argv, "w:B:")) != -1) {
        if (c == 'w')
            out_path = optarg;
        else if (c == 'B' && bench_parse_u32(optarg, &kib) == 0 && kib > 0 && kib <= UINT32_MAX / 1024)
            continue;
        else
            goto bad;
    }
    if (optind + 2 != argc || bench_parse_u32(argv[optind + 1], &secs) != 0 || secs == 0)
        goto bad;
    const char *iface = argv[optind];

    pktd_capture *cap;
    struct capture_ctx x = {NULL, 0, 0};
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&cap, iface, errbuf);
    if (rc == 0 && kib > 0)
        rc = pktd_capture_set_buffer_size(cap, (size_t)kib * 1024u);
    if (rc == 0)
        rc = pktd_capture_set_timeout(cap, 100);
    if (rc == 0)
        rc = pktd_capture_activate(cap);
    if (rc < 0) {
        fprintf(stderr, "pktd-bench: capture %s: %s: %s\n", iface, pktd_strerror(rc),
                cap != NULL ? pktd_capture_errmsg(cap) : errbuf);
        pktd_capture_close(cap);
        return 1;
    }
    /* The socket is open: a set-user-ID start gives up its borrowed ids
     * before the file is opened (privs.h). */
    int out_fd = -1;
    if (privs_drop_setid("pktd-bench") != 0 ||
        (out_path != NULL && (out_fd = privs_open_output("pktd-bench", out_path)) < 0)) {
        pktd_capture_close(cap);
        return 1;
    }
    if (out_path != NULL) {
        rc = pktd_writer_open_fd(&x.w, out_fd, PKTD_FORMAT_PCAP, pktd_capture_linktype(cap), 0, 0,
                                 NULL);
        if (rc < 0) {
            fprintf(stderr, "pktd-bench: %s: %s\n", out_path, pktd_strerror(rc));
            close(out_fd);
            pktd_capture_close(cap);
            return 1;
        }
    }
    /* Nothing privileged is left to do: no capability while capturing. */
    if (privs_give_up_all("pktd-bench") != 0) {
        if (x.w != NULL && pktd_writer_close(x.w) < 0)
            fprintf(stderr, "pktd-bench: %s: write failed\n", out_path);
        if (out_fd >= 0)
            close(out_fd);
        pktd_capture_close(cap);
        return 1;
    }
    /* The clock starts with the first packet, so the rate is the flood's;
     * without any packet for 30 s the result is 0 packets. */
    uint64_t wait_end = bench_now_ns() + 30000000000u;
    while ((rc = pktd_capture_dispatch(cap, 0, on_packet, &x)) == 0 && bench_now_ns() < wait_end)
        ;
    uint64_t first = x.pkts;
    uint64_t t0 = bench_now_ns(), c0 = cpu_ns(), t1 = t0;
    uint64_t end = t0 + (uint64_t)secs * 1000000000u;
    while (rc >= 0 && x.err >= 0 && (t1 = bench_now_ns()) < end)
        rc = pktd_capture_dispatch(cap, 0, on_packet, &x);
    uint64_t c1 = cpu_ns();
    uint64_t st[PKTD_CAPTURE_STAT_COUNT] = {0};
    int srs = pktd_capture_stats(cap, st, PKTD_CAPTURE_STAT_COUNT);
    int status = 0;
    if (rc < 0 || x.err < 0 || srs < 0) {
        int e = rc < 0 ? rc : x.err < 0 ? x.err : srs;
        fprintf(stderr, "pktd-bench: capture %s: %s: %s\n", iface, pktd_strerror(e),
                rc < 0 || srs < 0 ? pktd_capture_errmsg(cap) : pktd_writer_errmsg(x.w));
        status = 1;
    } else {
        uint64_t pkts = x.pkts - first;
        double s = (double)(t1 - t0) / 1e9;
        printf("# capture: %s, TPACKET_V%" PRIu32 ", ring %zu bytes, writing %s\n", iface,
               pktd_capture_tpacket_version(cap), pktd_capture_buffer_size(cap),
               out_path != NULL ? out_path : "nothing");
        printf("capture pkts=%" PRIu64 " secs=%.3f pps=%.0f received=%" PRIu64 " drops=%" PRIu64
               " cpu_ns_per_pkt=%.1f\n",
               pkts, s, s > 0 ? pkts / s : 0.0, st[PKTD_CAPTURE_STAT_RECEIVED],
               st[PKTD_CAPTURE_STAT_DROPPED], pkts ? (double)(c1 - c0) / pkts : 0.0);
    }
    if (x.w != NULL) {
        int wrc = pktd_writer_close(x.w);
        if ((close(out_fd) != 0 || wrc < 0) && status == 0) {
            fprintf(stderr, "pktd-bench: %s: write failed\n", out_path);
            status = 1;
        }
    }
    pktd_capture_close(cap);
    return status;
bad:
    usage(stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *mode = argv[1];
    if (strcmp(mode, "-h") == 0 || strcmp(mode, "--help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(mode, "-V") == 0) {
        printf("%s\n", pktd_version_string());
        return 0;
    }
    /* The mode's own options follow it. */
    argc--;
    argv++;
    if (strcmp(mode, "parse") == 0)
        return cmd_parse(argc, argv);
    if (strcmp(mode, "hash") == 0 || strcmp(mode, "cipher") == 0)
        return cmd_alg(mode, argc, argv);
    if (strcmp(mode, "capture") == 0)
        return cmd_capture(argc, argv);
    if (strcmp(mode, "flows") == 0)
        return cmd_flows(argc, argv);
    if (strcmp(mode, "defrag") == 0)
        return cmd_defrag(argc, argv);
    if (strcmp(mode, "follow") == 0)
        return cmd_follow(argc, argv);
    fprintf(stderr, "pktd-bench: unknown mode '%s'\n", mode);
    usage(stderr);
    return 2;
}
