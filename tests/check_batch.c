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
    ck_assert_msg(c->status[row] == rc, "%s row %u: status %d != %d", what, row, c->status[row], rc);
    ck_assert_msg(c->ts[row] == pktd_reader_ts_ns(r), "%s row %u: ts", what, row);
    ck_assert_msg(c->caplen[row] == len, "%s row %u: caplen", what, row);
    ck_assert_msg(c->wire[row] == pktd_reader_wire_len(r), "%s row %u: wire", what, row);
    ck_assert_msg(c->lt[row] == pktd_reader_linktype(r), "%s row %u: linktype", what, row);
    ck_assert_msg(c->iface[row] == pktd_reader_interface(r), "%s row %u: interface", what, row);
    for (uint32_t k = 0; k < c->nsel; k++)
        ck_assert_msg(c->f[k][row] == all[c->sel[k]], "%s row %u: field %s = %u, fields() gives %u",
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
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
