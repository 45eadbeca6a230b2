/* Columnar batches (batch.h) against the per-packet calls they replace.
 *
 * Every column of every row must equal what pktd_reader_next(), the reader
 * getters, pktd_decode() and pktd_packet_fields() give for the same record:
 * on every capture of tests/corpus/tcpdump with all fields selected, with
 * the other selection kinds (none, one, the 5-tuple), at batch boundaries,
 * on truncated and hostile files (same error, same rows before it), and
 * through pktd_batch_decode_frames() for the same frames in memory. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <pktdecode.h>

#include "parse_frames.h"

/* Check records every assertion that passes (a write to a file each): in
 * the loops over every row and column, fail only on a difference. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

#define CAP 7u /* a small capacity: many batch boundaries per file */
/* A capacity over two of the chunks of 64 rows that lib/batch.c gathers
 * before it fills the columns, plus a partial one. */
#define BIG_CAP 150u

/* The batch's columns, one set for CAP rows. */
struct cols {
    uint32_t f[PKTD_FIELD_COUNT_][BIG_CAP];
    uint32_t *fp[PKTD_FIELD_COUNT_];
    uint32_t sel[PKTD_FIELD_COUNT_];
    uint32_t nsel;
    uint64_t ts[BIG_CAP];
    uint32_t caplen[BIG_CAP], wire[BIG_CAP], lt[BIG_CAP], iface[BIG_CAP];
    int32_t status[BIG_CAP];
};

static pktd_batch *make_batch(struct cols *c, const uint32_t *sel, uint32_t nsel, uint32_t cap)
{
    memset(c, 0xa5, sizeof *c);
    c->nsel = nsel;
    for (uint32_t i = 0; i < nsel; i++) {
        c->sel[i] = sel[i];
        c->fp[i] = c->f[i];
    }
    pktd_batch *b;
    char err[PKTD_ERRBUF_SIZE];
    int rc = pktd_batch_create(&b, cap, sel, nsel, c->fp, err);
    ck_assert_msg(rc == 0, "create: %s", err);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_TS_NS, c->ts), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_CAPLEN, c->caplen), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_WIRE_LEN, c->wire), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_LINKTYPE, c->lt), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_INTERFACE, c->iface), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_STATUS, c->status), 0);
    return b;
}

/* Row `row` of the batch against the reader's current record. */
static void check_row(const struct cols *c, uint32_t row, const pktd_reader *r, const uint8_t *data,
                      size_t len, const char *what)
{
    pktd_packet p;
    uint32_t all[PKTD_FIELD_COUNT_];
    int rc = pktd_decode(&p, pktd_reader_linktype(r), data, len);
    (void)pktd_packet_fields(&p, all, PKTD_FIELD_COUNT_);
    EXPECT(c->status[row] == rc, "%s row %u: status %d != %d", what, row, c->status[row], rc);
    EXPECT(c->ts[row] == pktd_reader_ts_ns(r), "%s row %u: ts", what, row);
    EXPECT(c->caplen[row] == len, "%s row %u: caplen", what, row);
    EXPECT(c->wire[row] == pktd_reader_wire_len(r), "%s row %u: wire", what, row);
    EXPECT(c->lt[row] == pktd_reader_linktype(r), "%s row %u: linktype", what, row);
    EXPECT(c->iface[row] == pktd_reader_interface(r), "%s row %u: interface", what, row);
    for (uint32_t k = 0; k < c->nsel; k++)
        EXPECT(c->f[k][row] == all[c->sel[k]], "%s row %u: field %s = %u, fields() gives %u",
                      what, row, pktd_field_name(c->sel[k]), c->f[k][row], all[c->sel[k]]);
}

/* Batch-read the capture with one reader and walk it record by record with
 * another; compare every row and the final result.  Returns the rows. */
static uint64_t compare_file(const uint8_t *file, size_t size, const uint32_t *sel, uint32_t nsel,
                             uint32_t cap, uint32_t max_rows, const char *what)
{
    static struct cols c;
    pktd_reader *rb, *rr;
    if (pktd_reader_open_mem(&rb, file, size, NULL) < 0)
        return 0;
    ck_assert_int_eq(pktd_reader_open_mem(&rr, file, size, NULL), 0);
    pktd_batch *b = make_batch(&c, sel, nsel, cap);
    uint32_t limit = max_rows == 0 || max_rows > cap ? cap : max_rows;
    uint64_t total = 0;
    /* Frames in memory: the same rows through pktd_batch_decode_frames(). */
    static struct cols m;
    pktd_batch *bm = make_batch(&m, sel, nsel, cap);
    for (;;) {
        uint32_t rows = 12345;
        int rc = pktd_batch_read(b, rb, max_rows, &rows);
        ck_assert_uint_le(rows, limit);
        const uint8_t *frames[BIG_CAP];
        size_t lens[BIG_CAP];
        uint64_t ts[BIG_CAP];
        uint32_t lt = 0;
        int same_lt = 1;
        for (uint32_t i = 0; i < rows; i++) {
            const uint8_t *data;
            size_t len;
            ck_assert_int_eq(pktd_reader_next(rr, &data, &len), 1);
            check_row(&c, i, rr, data, len, what);
            frames[i] = data;
            lens[i] = len;
            ts[i] = pktd_reader_ts_ns(rr);
            if (i == 0)
                lt = pktd_reader_linktype(rr);
            same_lt &= lt == pktd_reader_linktype(rr);
        }
        /* The reader's buffer of a memory capture stays valid: decode the
         * frames again from memory and compare column by column. */
        if (rows > 0 && same_lt) {
            ck_assert_int_eq(pktd_batch_decode_frames(bm, lt, frames, lens, ts, rows), (int)rows);
            for (uint32_t k = 0; k < nsel; k++)
                ck_assert(memcmp(m.f[k], c.f[k], rows * sizeof(uint32_t)) == 0);
            ck_assert(memcmp(m.status, c.status, rows * sizeof(int32_t)) == 0);
            ck_assert(memcmp(m.ts, c.ts, rows * sizeof(uint64_t)) == 0);
            ck_assert(memcmp(m.caplen, c.caplen, rows * sizeof(uint32_t)) == 0);
        }
        total += rows;
        if (rc == 1) {
            ck_assert_uint_eq(rows, limit);
            continue;
        }
        /* End or error: exactly what the reader gives next. */
        const uint8_t *data;
        size_t len;
        ck_assert_msg(rc <= 0, "%s: %d", what, rc);
        int want = pktd_reader_next(rr, &data, &len);
        ck_assert_msg(rc == want, "%s: batch %d, reader %d", what, rc, want);
        break;
    }
    pktd_batch_close(b);
    pktd_batch_close(bm);
    pktd_reader_close(rb);
    pktd_reader_close(rr);
    return total;
}

static uint8_t *load(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    ck_assert_ptr_nonnull(buf);
    *size = fread(buf, 1, (size_t)n, f);
    fclose(f);
    return buf;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static uint32_t all_fields[PKTD_FIELD_COUNT_];
static const uint32_t tuple[] = {PKTD_FIELD_IPV4_SRC,  PKTD_FIELD_IPV4_DST,  PKTD_FIELD_IPV4_PROTO,
                                 PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_DPORT, PKTD_FIELD_UDP_SPORT,
                                 PKTD_FIELD_UDP_DPORT};
static const uint32_t one[] = {PKTD_FIELD_TCP_OPTIONS};

static void setup(void)
{
    /* Reversed, so that a column is not simply field i at index i. */
    for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
        all_fields[i] = PKTD_FIELD_COUNT_ - 1 - i;
}

/* Every capture of the corpus, every field and each selection kind. */
START_TEST(test_corpus)
{
    char dir[4096];
    fr_corpus_path(dir, sizeof dir, "");
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    uint64_t rows = 0;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with(de->d_name, ".pcap") && !ends_with(de->d_name, ".pcapng"))
            continue;
        char path[4096 + 256];
        snprintf(path, sizeof path, "%s%s", dir, de->d_name);
        size_t size;
        uint8_t *file = load(path, &size);
        ck_assert_ptr_nonnull(file);
        rows += compare_file(file, size, all_fields, PKTD_FIELD_COUNT_, CAP, 0, de->d_name);
        compare_file(file, size, tuple, 7, CAP, 0, de->d_name);
        compare_file(file, size, one, 1, CAP, 0, de->d_name);
        compare_file(file, size, NULL, 0, CAP, 0, de->d_name);
        compare_file(file, size, all_fields, PKTD_FIELD_COUNT_, BIG_CAP, 0, de->d_name);
        compare_file(file, size, tuple, 7, BIG_CAP, 0, de->d_name);
        free(file);
        files++;
    }
    closedir(d);
    ck_assert_int_gt(files, 800);
    ck_assert_uint_gt(rows, 10000);
}
END_TEST

/* A classic pcap in memory with `n` Ethernet/IPv4/UDP records. */
static size_t build_pcap(uint8_t *buf, uint32_t n)
{
    static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                    0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
    static const uint8_t frame[42] = {
        2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0,
        10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 8, 0, 0};
    size_t o = 0;
    memcpy(buf, hdr, sizeof hdr);
    o += sizeof hdr;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t rec[4] = {1000 + i, i, sizeof frame, sizeof frame + i};
        memcpy(buf + o, rec, sizeof rec);
        o += sizeof rec;
        memcpy(buf + o, frame, sizeof frame);
        buf[o + 35] = (uint8_t)i; /* source port low byte: rows differ */
        o += sizeof frame;
    }
    return o;
}

/* 1, N-1, N, N+1 rows for a batch of N, and max_rows of each size. */
START_TEST(test_boundaries)
{
    static uint8_t buf[24 + 20 * 58];
    const uint32_t n_rows[] = {0, 1, CAP - 1, CAP, CAP + 1, 2 * CAP, 2 * CAP + 1};
    const uint32_t maxes[] = {0, 1, CAP - 1, CAP, CAP + 1};
    for (size_t i = 0; i < sizeof n_rows / sizeof *n_rows; i++) {
        size_t size = build_pcap(buf, n_rows[i]);
        for (size_t j = 0; j < sizeof maxes / sizeof *maxes; j++) {
            ck_assert_uint_eq(compare_file(buf, size, all_fields, PKTD_FIELD_COUNT_, CAP, maxes[j], "built"),
                              n_rows[i]);
            ck_assert_uint_eq(compare_file(buf, size, tuple, 7, CAP, maxes[j], "built"), n_rows[i]);
        }
        /* Exactly N records with max N: 1 with N rows, then 0 with none. */
        if (n_rows[i] == CAP) {
            static struct cols c;
            pktd_reader *r;
            uint32_t rows;
            ck_assert_int_eq(pktd_reader_open_mem(&r, buf, size, NULL), 0);
            pktd_batch *b = make_batch(&c, tuple, 7, CAP);
            ck_assert_int_eq(pktd_batch_read(b, r, CAP, &rows), 1);
            ck_assert_uint_eq(rows, CAP);
            ck_assert_uint_eq(c.f[5][CAP - 1], 0x3039 - 0x39 + CAP - 1);
            ck_assert_uint_eq(c.wire[CAP - 1], 42 + CAP - 1);
            ck_assert_int_eq(pktd_batch_read(b, r, CAP, &rows), 0);
            ck_assert_uint_eq(rows, 0);
            pktd_batch_close(b);
            pktd_reader_close(r);
        }
    }
}
END_TEST

/* Cut and hostile files: the batch stops with the reader's error, after
 * the same rows. */
START_TEST(test_broken_files)
{
    static uint8_t buf[24 + 20 * 58];
    size_t size = build_pcap(buf, 20);
    for (size_t cut = 0; cut <= size; cut += 7)
        compare_file(buf, cut, all_fields, PKTD_FIELD_COUNT_, CAP, 0, "cut");
    /* Record 9's caplen far beyond the snap length. */
    size_t rec9 = 24 + 9 * 58;
    uint32_t huge = 0x7fffffff;
    memcpy(buf + rec9 + 8, &huge, 4);
    ck_assert_uint_eq(compare_file(buf, size, tuple, 7, CAP, 0, "hostile"), 9);
    static struct cols c;
    pktd_reader *r;
    uint32_t rows;
    ck_assert_int_eq(pktd_reader_open_mem(&r, buf, size, NULL), 0);
    pktd_batch *b = make_batch(&c, tuple, 7, CAP);
    ck_assert_int_eq(pktd_batch_read(b, r, 0, &rows), 1);
    ck_assert_uint_eq(rows, CAP);
    int rc = pktd_batch_read(b, r, 0, &rows);
    ck_assert_int_lt(rc, 0);
    ck_assert_uint_eq(rows, 2);
    ck_assert_int_eq(pktd_batch_read(b, r, 0, &rows), rc); /* sticky, as the reader */
    ck_assert_uint_eq(rows, 0);
    pktd_batch_close(b);
    pktd_reader_close(r);
}
END_TEST

START_TEST(test_arguments)
{
    pktd_batch *b = (pktd_batch *)&b;
    uint32_t col[4], *cols[2] = {col, col};
    char err[PKTD_ERRBUF_SIZE];
    uint32_t dup[2] = {PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_SPORT};
    uint32_t bad[1] = {PKTD_FIELD_COUNT_};
    ck_assert_int_eq(pktd_batch_create(NULL, 4, NULL, 0, NULL, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_create(&b, 0, NULL, 0, NULL, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(strstr(err, "capacity 0"));
    ck_assert_int_eq(pktd_batch_create(&b, 4, dup, 2, cols, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "tcp.sport is selected twice"));
    ck_assert_int_eq(pktd_batch_create(&b, 4, bad, 1, cols, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "unknown"));
    uint32_t *nullcol[1] = {NULL};
    ck_assert_int_eq(pktd_batch_create(&b, 4, dup, 1, nullcol, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_create(&b, 4, dup, 1, NULL, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_create(&b, 4, dup, 1, cols, err), 0);
    ck_assert_uint_eq(pktd_batch_capacity(b), 4);
    ck_assert_uint_eq(pktd_batch_capacity(NULL), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_COLUMN_COUNT, col), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_bind(NULL, PKTD_BATCH_STATUS, col), PKTD_E_INVALID_ARGUMENT);
    uint32_t rows = 9;
    ck_assert_int_eq(pktd_batch_read(b, NULL, 0, &rows), PKTD_E_INVALID_ARGUMENT);
    ck_assert_uint_eq(rows, 0);
    ck_assert_int_eq(pktd_batch_capture(b, NULL, 0, &rows), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_decode_frames(b, 1, NULL, NULL, NULL, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_batch_decode_frames(b, 1, NULL, NULL, NULL, 0), 0);
    /* More frames than the capacity: only the capacity; a NULL frame of
     * length 0 is a truncated row, not a crash. */
    const uint8_t *frames[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    size_t lens[6] = {0};
    int32_t status[4];
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_STATUS, status), 0);
    ck_assert_int_eq(pktd_batch_decode_frames(b, PKTD_LINKTYPE_ETHERNET, frames, lens, NULL, 6), 4);
    ck_assert_int_eq(status[3], PKTD_E_TRUNCATED);
    ck_assert_uint_eq(col[3], 0);
    pktd_batch_close(b);
    pktd_batch_close(NULL);
}
END_TEST

/* ---- The extractor of lib/batch_fast.h against the full decode ----
 *
 * A batch whose fields are all "plain" (the IPv4, TCP, UDP and ICMP header
 * fields) takes the common Ethernet frames without pktd_decode().  Its rows
 * must be exactly those of pktd_decode() + pktd_packet_fields(), status
 * included, for every frame: a built matrix of the shapes it takes and of
 * their neighbours (tags, IPv4 options, fragments, TCP options, UDP and IP
 * lengths, IPv6, ARP), each cut at every byte, with padding, and with
 * bytes replaced at random; every selection kind that has a loop of its
 * own in lib/batch.c; rows mixing taken and untaken frames in one call. */

#define FCAP 13u /* rows per call: the matrix crosses many boundaries */

static const uint32_t sel_flags[] = {PKTD_FIELD_IPV4_SRC,  PKTD_FIELD_IPV4_DST,  PKTD_FIELD_IPV4_PROTO,
                                     PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_DPORT, PKTD_FIELD_UDP_SPORT,
                                     PKTD_FIELD_UDP_DPORT, PKTD_FIELD_TCP_FLAGS};
static const uint32_t sel_some[] = {PKTD_FIELD_TCP_FLAGS, PKTD_FIELD_UDP_DPORT, PKTD_FIELD_IPV4_PROTO};
/* Every plain field (lib/batch.c's plain_fields), in an unusual order. */
static const uint32_t sel_plain[] = {
    PKTD_FIELD_ICMP_REST,      PKTD_FIELD_ICMP_CHECKSUM, PKTD_FIELD_ICMP_CODE,    PKTD_FIELD_ICMP_TYPE,
    PKTD_FIELD_UDP_CHECKSUM,   PKTD_FIELD_UDP_LEN,       PKTD_FIELD_UDP_DPORT,    PKTD_FIELD_UDP_SPORT,
    PKTD_FIELD_TCP_URGENT,     PKTD_FIELD_TCP_CHECKSUM,  PKTD_FIELD_TCP_WINDOW,   PKTD_FIELD_TCP_NS,
    PKTD_FIELD_TCP_FLAGS,      PKTD_FIELD_TCP_DOFF,      PKTD_FIELD_TCP_ACK,      PKTD_FIELD_TCP_SEQ,
    PKTD_FIELD_TCP_DPORT,      PKTD_FIELD_TCP_SPORT,     PKTD_FIELD_IPV4_DST,     PKTD_FIELD_IPV4_SRC,
    PKTD_FIELD_IPV4_CHECKSUM,  PKTD_FIELD_IPV4_PROTO,    PKTD_FIELD_IPV4_TTL,     PKTD_FIELD_IPV4_FRAG,
    PKTD_FIELD_IPV4_ID,        PKTD_FIELD_IPV4_TOTAL_LEN, PKTD_FIELD_IPV4_TOS,    PKTD_FIELD_IPV4_IHL};
/* The 5-tuple and a field only the decoder's state has: the general path. */
static const uint32_t sel_general[] = {PKTD_FIELD_IPV4_SRC,  PKTD_FIELD_IPV4_DST,  PKTD_FIELD_IPV4_PROTO,
                                       PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_DPORT, PKTD_FIELD_UDP_SPORT,
                                       PKTD_FIELD_UDP_DPORT, PKTD_FIELD_LAYERS};

struct fsel {
    const uint32_t *sel;
    uint32_t n;
    int meta; /* bind the per-row columns (the loops differ with and without) */
};
static const struct fsel fsels[] = {
    {tuple, 7, 0},      {tuple, 7, 1},     {sel_flags, 8, 1},   {sel_flags, 8, 0},
    {sel_plain, sizeof sel_plain / sizeof *sel_plain, 1},      {sel_some, 3, 1},
    {NULL, 0, 1},       {sel_general, 8, 1},
};

/* The frames under test: each an exact allocation, so that valgrind or
 * ASan see a read past its end. */
#define FMAX 400000u
static uint8_t **fframes;
static size_t *flens;
static uint32_t fcount;
static uint64_t frng = 0x9e3779b97f4a7c15ull;

static uint32_t frand(void)
{
    frng ^= frng << 13;
    frng ^= frng >> 7;
    frng ^= frng << 17;
    return (uint32_t)(frng >> 11);
}

static void frame_add(const uint8_t *data, size_t len)
{
    ck_assert_uint_lt(fcount, FMAX);
    fframes[fcount] = fr_exact_copy(data, len);
    flens[fcount] = len;
    fcount++;
}

/* The frame, cut at every length, padded, and with 1 to 3 bytes of its
 * first 80 replaced (8 times). */
static void fadd_variants(const struct fr *f)
{
    for (size_t cut = 0; cut <= f->len; cut++)
        frame_add(f->b, cut);
    struct fr g = *f;
    for (uint32_t pad = 1; pad <= 6; pad += 5) {
        g.b[g.len] = 0;
        g.len++;
        frame_add(g.b, g.len);
        (void)pad;
    }
    for (uint32_t m = 0; m < 8; m++) {
        g = *f;
        uint32_t span = f->len < 80 ? (uint32_t)f->len : 80;
        if (span == 0)
            break;
        for (uint32_t k = 0, nk = 1 + frand() % 3; k < nk; k++)
            g.b[frand() % span] = (uint8_t)frand();
        frame_add(g.b, g.len);
    }
}

/* Rows of every selection for the frames [0, fcount) against the decoder. */
static void fcompare(const char *what)
{
    static uint32_t col[PKTD_FIELD_COUNT_][FCAP + 1];
    uint32_t *cols[PKTD_FIELD_COUNT_];
    uint64_t ts[FCAP + 1], tsin[FCAP];
    uint32_t caplen[FCAP + 1], wire[FCAP + 1], lt[FCAP + 1], iface[FCAP + 1];
    int32_t status[FCAP + 1];
    for (uint32_t k = 0; k < PKTD_FIELD_COUNT_; k++)
        cols[k] = col[k];
    for (size_t s = 0; s < sizeof fsels / sizeof *fsels; s++) {
        const struct fsel *fs = &fsels[s];
        pktd_batch *b;
        ck_assert_int_eq(pktd_batch_create(&b, FCAP, fs->sel, fs->n, cols, NULL), 0);
        if (fs->meta) {
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_TS_NS, ts), 0);
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_CAPLEN, caplen), 0);
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_WIRE_LEN, wire), 0);
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_LINKTYPE, lt), 0);
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_INTERFACE, iface), 0);
            ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_STATUS, status), 0);
        }
        for (uint32_t first = 0; first < fcount; first += FCAP) {
            uint32_t n = fcount - first < FCAP ? fcount - first : FCAP;
            memset(col, 0xa5, sizeof col);
            memset(status, 0xa5, sizeof status);
            for (uint32_t i = 0; i < n; i++)
                tsin[i] = 1000u * (first + i) + 7;
            ck_assert_int_eq(pktd_batch_decode_frames(b, PKTD_LINKTYPE_ETHERNET,
                                                      (const uint8_t *const *)fframes + first,
                                                      flens + first, tsin, n),
                             (int)n);
            for (uint32_t i = 0; i < n; i++) {
                pktd_packet p;
                uint32_t all[PKTD_FIELD_COUNT_];
                int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, fframes[first + i], flens[first + i]);
                (void)pktd_packet_fields(&p, all, PKTD_FIELD_COUNT_);
                for (uint32_t k = 0; k < fs->n; k++)
                    EXPECT(col[k][i] == all[fs->sel[k]],
                                  "%s frame %u (%zu bytes), selection %zu: %s = %u, fields() gives %u",
                                  what, first + i, flens[first + i], s, pktd_field_name(fs->sel[k]),
                                  col[k][i], all[fs->sel[k]]);
                if (fs->meta) {
                    EXPECT(status[i] == rc, "%s frame %u (%zu bytes), selection %zu: status %d != %d",
                                  what, first + i, flens[first + i], s, status[i], rc);
                    EXPECT(ts[i] == tsin[i], "%s frame %u: ts", what, first + i);
                    EXPECT(caplen[i] == flens[first + i], "%s frame %u: caplen", what, first + i);
                    EXPECT(wire[i] == flens[first + i], "%s frame %u: wire", what, first + i);
                    EXPECT(lt[i] == PKTD_LINKTYPE_ETHERNET, "%s frame %u: linktype", what, first + i);
                    EXPECT(iface[i] == 0, "%s frame %u: interface", what, first + i);
                }
            }
            /* Nothing written past the rows. */
            for (uint32_t k = 0; k < fs->n; k++)
                ck_assert_uint_eq(col[k][n], 0xa5a5a5a5u);
            ck_assert_int_eq(status[n], (int32_t)0xa5a5a5a5u);
        }
        pktd_batch_close(b);
    }
    for (uint32_t i = 0; i < fcount; i++)
        free(fframes[i]);
    fcount = 0;
}

static void fsetup(void)
{
    fframes = calloc(FMAX, sizeof *fframes);
    flens = calloc(FMAX, sizeof *flens);
    ck_assert_ptr_nonnull(fframes);
    ck_assert_ptr_nonnull(flens);
    fcount = 0;
}

static void fteardown(void)
{
    free(fframes);
    free(flens);
}

/* Ethernet with the tags of configuration @p tags, then EtherType @p type. */
static const uint16_t tag_sets[][3] = {
    {0},                      /* untagged */
    {1, 0x8100},              /* one 802.1Q */
    {1, 0x88a8},              /* one 802.1ad */
    {2, 0x88a8, 0x8100},      /* QinQ */
    {2, 0x8100, 0x9100},      /* a TPID only eth.c knows */
    {3, 0x8100, 0x8100},      /* three tags (the third 0x8100 too) */
};
#define NTAGSETS (sizeof tag_sets / sizeof *tag_sets)

static void eth_tags(struct fr *f, uint32_t set, uint16_t type)
{
    const uint16_t *t = tag_sets[set];
    if (t[0] == 0) {
        fr_eth(f, type);
        return;
    }
    fr_eth(f, t[1]);
    if (t[0] == 1) {
        fr_vlan(f, 0x0064, type);
    } else if (t[0] == 2) {
        fr_vlan(f, 0x0064, t[2]);
        fr_vlan(f, 0x0065, type);
    } else {
        fr_vlan(f, 0x0064, 0x8100);
        fr_vlan(f, 0x0065, 0x8100);
        fr_vlan(f, 0x0066, type);
    }
}

static const uint8_t ipopt_nop[] = {1, 1, 1, 1};
static const uint8_t ipopt_rr[] = {7, 7, 4, 10, 0, 0, 1, 0};
static const uint8_t ipopt_badlen[] = {7, 1, 0, 0};
static const uint8_t ipopt_overrun[] = {7, 40, 4, 0};
static const uint8_t ipopt_eol_junk[] = {0, 7, 1, 0};
static const struct {
    const uint8_t *b;
    size_t n;
} ipopts[] = {{NULL, 0}, {ipopt_nop, 4}, {ipopt_rr, 8}, {ipopt_badlen, 4}, {ipopt_overrun, 4},
              {ipopt_eol_junk, 4}};

static const uint8_t topt_ts[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
static const uint8_t topt_ts_sack[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 10, 0, 0, 0, 3, 0, 0, 0, 4};
static const uint8_t topt_ts_other[] = {8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1};
static const uint8_t topt_syn[] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
static const uint8_t topt_badmss[] = {2, 3, 5, 1};
static const uint8_t topt_badsack[] = {1, 1, 5, 9, 0, 0, 0, 1, 0, 0, 0, 0};
static const uint8_t topt_nolen[] = {1, 1, 1, 8};
static const uint8_t topt_zero[] = {1, 1, 3, 0};
static const uint8_t topt_unknown[] = {30, 4, 0, 0};
static const struct {
    const uint8_t *b;
    size_t n;
} topts[] = {{NULL, 0},          {topt_ts, 12},     {topt_ts_sack, 24}, {topt_ts_other, 12},
             {topt_syn, 20},     {topt_badmss, 4},  {topt_badsack, 12}, {topt_nolen, 4},
             {topt_zero, 4},     {topt_unknown, 4}};
#define NTOPTS (sizeof topts / sizeof *topts)

/* IPv4 frame: tags, options, fragment field, then transport @p l4: 0..NTOPTS-1
 * TCP with that option set, NTOPTS UDP, +1 ICMP, +2 GRE, +3 protocol 99;
 * @p payload bytes after it. */
static void build4(struct fr *f, uint32_t tags, uint32_t opt, uint16_t frag, uint32_t l4,
                   uint32_t payload)
{
    fr_init(f);
    eth_tags(f, tags, 0x0800);
    struct fr_ip4 ip = {.id = 7, .frag = frag, .ttl = 64, .src = FR_IP_SRC, .dst = FR_IP_DST,
                        .opts = ipopts[opt].b, .optlen = ipopts[opt].n};
    ip.proto = l4 < NTOPTS ? 6 : l4 == NTOPTS ? 17 : l4 == NTOPTS + 1 ? 1 : l4 == NTOPTS + 2 ? 47 : 99;
    size_t ipo = fr_ip4(f, &ip);
    if (l4 < NTOPTS) {
        struct fr_tcp t = {.sport = 40000, .dport = 443, .seq = 1, .ack = 2, .flags = 0x18, .win = 512,
                           .opts = topts[l4].b, .optlen = topts[l4].n};
        fr_tcp(f, &t);
    } else if (l4 == NTOPTS) {
        size_t u = fr_udp(f, 5353, 53);
        fr_fill(f, 0x61, payload);
        fr_put_be16(f, u + 4, (uint16_t)(f->len - u));
    } else if (l4 == NTOPTS + 1) {
        fr_icmp(f, 8, 0, 0x12345678);
    } else if (l4 == NTOPTS + 2) {
        fr_be32(f, 0x00000800); /* GRE: IPv4 inside */
    }
    if (l4 != NTOPTS)
        fr_fill(f, 0x62, payload);
    fr_ip4_finish(f, ipo);
}

START_TEST(test_fast_ipv4_matrix)
{
    static const uint16_t frags[] = {0, 0x4000, 0x2000, 0x0010, 0x2010};
    struct fr f;
    for (uint32_t tags = 0; tags < NTAGSETS; tags++) {
        for (uint32_t opt = 0; opt < sizeof ipopts / sizeof *ipopts; opt++) {
            for (size_t fi = 0; fi < sizeof frags / sizeof *frags; fi++) {
                for (uint32_t l4 = 0; l4 < NTOPTS + 4; l4++) {
                    build4(&f, tags, opt, frags[fi], l4, l4 % 3 == 0 ? 0 : 9);
                    /* Every cut only for the common shapes: the rest once,
                     * padded, and mutated. */
                    if (opt <= 2 && (fi == 0 || fi == 2) && tags <= 3) {
                        fadd_variants(&f);
                    } else {
                        frame_add(f.b, f.len);
                    }
                }
            }
            fcompare("ipv4 matrix");
        }
    }
}
END_TEST

/* IPv4 and UDP lengths, header length and version around the values the
 * extractor takes; TCP data offsets 0 ... 15. */
START_TEST(test_fast_lengths)
{
    struct fr f;
    for (uint32_t tags = 0; tags < 4; tags++) {
        for (uint32_t first_frag = 0; first_frag < 2; first_frag++) {
            build4(&f, tags, 0, first_frag ? 0x2000 : 0, NTOPTS, 12);
            size_t ip = f.len - 20 - 8 - 12, udp = ip + 20;
            uint32_t seg = 20;
            const uint32_t ulens[] = {seg, 0, 1, 7, 8, seg - 1, seg + 1, 0xffff};
            for (size_t i = 0; i < sizeof ulens / sizeof *ulens; i++) {
                struct fr g = f;
                fr_put_be16(&g, udp + 4, (uint16_t)ulens[i]);
                fadd_variants(&g);
            }
            const uint32_t tots[] = {0, 19, 20, 27, 28, 39, 40, 41, 0xffff};
            for (size_t i = 0; i < sizeof tots / sizeof *tots; i++) {
                struct fr g = f;
                fr_put_be16(&g, ip + 2, (uint16_t)tots[i]);
                frame_add(g.b, g.len);
                g.b[g.len++] = 0; /* padded */
                frame_add(g.b, g.len);
            }
            for (uint32_t v = 0; v < 256; v += 1) {
                struct fr g = f;
                g.b[ip] = (uint8_t)v;
                frame_add(g.b, g.len);
            }
        }
        /* TCP with 40 bytes of options (NOPs), every data offset. */
        static const uint8_t nops[40] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                         1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        fr_init(&f);
        eth_tags(&f, tags, 0x0800);
        struct fr_ip4 ip4 = {.ttl = 64, .proto = 6, .src = FR_IP_SRC, .dst = FR_IP_DST};
        size_t ipo = fr_ip4(&f, &ip4);
        struct fr_tcp t = {.sport = 1, .dport = 2, .flags = 2, .opts = nops, .optlen = 40};
        size_t tcp = fr_tcp(&f, &t);
        fr_ip4_finish(&f, ipo);
        for (uint32_t doff = 0; doff < 16; doff++) {
            struct fr g = f;
            g.b[tcp + 12] = (uint8_t)(doff << 4);
            fadd_variants(&g);
            /* The fast timestamps shape at this offset, and cut short. */
            memcpy(g.b + tcp + 20, topt_ts, sizeof topt_ts);
            fadd_variants(&g);
        }
        fcompare("lengths");
    }
}
END_TEST

/* IPv6 (next headers, payload lengths, version), ARP, other EtherTypes. */
START_TEST(test_fast_other_shapes)
{
    static const uint8_t nexts[] = {6, 17, 58, 0, 44, 59, 47, 1};
    struct fr f;
    for (uint32_t tags = 0; tags < NTAGSETS; tags++) {
        for (size_t ni = 0; ni < sizeof nexts / sizeof *nexts; ni++) {
            for (uint32_t topt = 0; topt < 2; topt++) {
                fr_init(&f);
                eth_tags(&f, tags, 0x86dd);
                size_t ip = fr_be32(&f, 0x60000000u);
                fr_be16(&f, 0);
                fr_u8(&f, nexts[ni]);
                fr_u8(&f, 64);
                fr_fill(&f, 0x20, 16);
                fr_fill(&f, 0x21, 16);
                size_t l4 = f.len;
                if (nexts[ni] == 6) {
                    struct fr_tcp t = {.sport = 1, .dport = 2, .flags = 0x10,
                                       .opts = topt ? topt_ts : NULL, .optlen = topt ? 12 : 0};
                    fr_tcp(&f, &t);
                } else if (nexts[ni] == 17) {
                    fr_udp(&f, 3, 4);
                    fr_fill(&f, 0x63, topt ? 5 : 0);
                    fr_put_be16(&f, l4 + 4, (uint16_t)(f.len - l4));
                } else if (nexts[ni] == 58) {
                    fr_icmp(&f, 128, 0, 0x00010002);
                } else {
                    fr_be32(&f, 0x06000000u);
                    fr_be32(&f, 0);
                    struct fr_tcp t = {.sport = 1, .dport = 2};
                    fr_tcp(&f, &t);
                }
                fr_put_be16(&f, ip + 4, (uint16_t)(f.len - l4));
                fadd_variants(&f);
                struct fr g = f;
                fr_put_be16(&g, ip + 4, 0);
                frame_add(g.b, g.len);
                fr_put_be16(&g, ip + 4, (uint16_t)(f.len - l4 - 1));
                frame_add(g.b, g.len);
                fr_put_be16(&g, ip + 4, (uint16_t)(f.len - l4 + 1));
                frame_add(g.b, g.len);
                g = f;
                g.b[ip] = 0x40;
                frame_add(g.b, g.len);
            }
        }
        /* ARP: valid, sizes Ethernet / IPv4 do not allow, another hardware
         * type, every cut. */
        uint8_t mac[6] = {2, 0, 0, 0, 0, 9};
        fr_init(&f);
        eth_tags(&f, tags, 0x0806);
        size_t arp = fr_arp(&f, 1, mac, FR_IP_SRC, mac, FR_IP_DST);
        fadd_variants(&f);
        const uint8_t hp[][4] = {{0, 1, 5, 4}, {0, 1, 6, 6}, {0, 6, 8, 4}, {0, 6, 3, 2}, {0, 1, 0, 0}};
        for (size_t i = 0; i < sizeof hp / sizeof *hp; i++) {
            struct fr g = f;
            g.b[arp] = hp[i][0];
            g.b[arp + 1] = hp[i][1];
            g.b[arp + 4] = hp[i][2];
            g.b[arp + 5] = hp[i][3];
            fadd_variants(&g);
        }
        /* Other EtherTypes after the tags. */
        const uint16_t types[] = {0x8847, 0x05dc, 0x88cc, 0x8864, 0x0800};
        for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
            fr_init(&f);
            eth_tags(&f, tags, types[i]);
            fr_fill(&f, 0x45, 46);
            frame_add(f.b, f.len);
        }
        fcompare("ipv6, arp, other");
    }
}
END_TEST

/* Every frame of the corpus's Ethernet captures through the extractor's
 * selections (compare_file() covers the reader path; this the frames in
 * memory without per-row columns, which has a loop of its own). */
static void corpus_frame(const char *name, uint32_t linktype, uint32_t index, const uint8_t *data,
                         size_t len, void *ctx)
{
    (void)name;
    (void)index;
    (void)ctx;
    if (linktype != PKTD_LINKTYPE_ETHERNET)
        return;
    frame_add(data, len);
    if (fcount == FMAX)
        fcompare("corpus");
}

START_TEST(test_fast_corpus)
{
    ck_assert_int_gt(fr_corpus_each(corpus_frame, NULL), 800);
    fcompare("corpus");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("batch");
    TCase *tc = tcase_create("batch");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_corpus);
    tcase_add_test(tc, test_boundaries);
    tcase_add_test(tc, test_broken_files);
    tcase_add_test(tc, test_arguments);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("extractor");
    tcase_add_checked_fixture(tf, fsetup, fteardown);
    tcase_set_timeout(tf, 600);
    tcase_add_test(tf, test_fast_ipv4_matrix);
    tcase_add_test(tf, test_fast_lengths);
    tcase_add_test(tf, test_fast_other_shapes);
    tcase_add_test(tf, test_fast_corpus);
    suite_add_tcase(s, tf);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
