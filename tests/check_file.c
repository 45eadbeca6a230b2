/* Capture files: the reader on hand-built pcap and pcapng images (every byte
 * order, magic and resolution), the three input paths (memory, descriptor
 * from a pipe, path) agreeing, every truncation point, hostile lengths, the
 * real tcpdump captures, and the writer read back byte for byte. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pktdecode.h>

#include "file_build.h"

/* ------------------------------------------------------------ helpers --- */

struct rec {
    uint64_t ts, off, index;
    uint32_t wire, lt, iface, snap;
    size_t cap;
    uint8_t *data;
};

struct result {
    int open_rc; /* 0 or the open error */
    int end_rc;  /* what pktd_reader_next() returned last: 0 or an error */
    uint32_t format;
    size_t n;
    struct rec *v;
    char errmsg[PKTD_ERRBUF_SIZE]; /* after a failed open: its errbuf without the prefix */
};

static void result_free(struct result *res)
{
    for (size_t i = 0; i < res->n; i++)
        free(res->v[i].data);
    free(res->v);
    memset(res, 0, sizeof *res);
}

static void read_all(pktd_reader *r, struct result *res)
{
    const uint8_t *d;
    size_t cap;
    int rc;
    res->format = pktd_reader_format(r);
    while ((rc = pktd_reader_next(r, &d, &cap)) == 1) {
        res->v = realloc(res->v, (res->n + 1) * sizeof *res->v);
        ck_assert_ptr_nonnull(res->v);
        struct rec *x = &res->v[res->n++];
        x->ts = pktd_reader_ts_ns(r);
        x->off = pktd_reader_offset(r);
        x->index = pktd_reader_packet_index(r);
        x->wire = pktd_reader_wire_len(r);
        x->lt = pktd_reader_linktype(r);
        x->iface = pktd_reader_interface(r);
        x->snap = pktd_reader_snaplen(r);
        x->cap = cap;
        x->data = malloc(cap ? cap : 1);
        ck_assert_ptr_nonnull(x->data);
        if (cap)
            memcpy(x->data, d, cap);
        ck_assert_uint_eq(x->index, res->n);
    }
    res->end_rc = rc;
    snprintf(res->errmsg, sizeof res->errmsg, "%s", pktd_reader_errmsg(r));
    /* Errors and the end are sticky: asking again changes nothing. */
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), rc);
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), rc);
}

/* M_MAPPED: pktd_reader_open_mapped() on a file (since 1.1). */
enum mode { M_MEM, M_PATH, M_FD, M_PIPE, M_MAPPED };
static const char *const mode_name[] = {"mem", "path", "fd", "pipe", "mapped"};

static char *tmp_path(void)
{
    static char path[256];
    const char *dir = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/pktd-file-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    return path;
}

static void write_file(const char *path, const uint8_t *img, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(img, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

/* Writes the image into a pipe from a child process in pseudo-random chunk
 * sizes (1 byte to 4 KiB), so the reader sees short reads at every kind of
 * position.  Returns the read end. */
static int pipe_feed(const uint8_t *img, size_t len, pid_t *child)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        uint32_t x = 2463534242u ^ (uint32_t)len;
        size_t off = 0;
        while (off < len) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            size_t n = (x & 1) ? 1 + (x >> 8) % 7 : 1 + (x >> 8) % 4096;
            if (n > len - off)
                n = len - off;
            ssize_t k = write(fds[1], img + off, n);
            if (k <= 0)
                _exit(k < 0 && errno == EPIPE ? 0 : 3);
            off += (size_t)k;
        }
        _exit(0);
    }
    close(fds[1]);
    *child = pid;
    return fds[0];
}

static void read_image(const uint8_t *img, size_t len, enum mode m, struct result *res)
{
    memset(res, 0, sizeof *res);
    pktd_reader *r = (pktd_reader *)1;
    int fd = -1;
    pid_t child = -1;
    char *path = NULL;
    char errbuf[PKTD_ERRBUF_SIZE], prefix[PKTD_ERRBUF_SIZE];
    memset(errbuf, 'X', sizeof errbuf);
    switch (m) {
    case M_MEM:
        res->open_rc = pktd_reader_open_mem(&r, img, len, errbuf);
        snprintf(prefix, sizeof prefix, "capture in memory: ");
        break;
    case M_PATH:
        path = tmp_path();
        write_file(path, img, len);
        res->open_rc = pktd_reader_open_path(&r, path, errbuf);
        snprintf(prefix, sizeof prefix, "%s: ", path);
        break;
    case M_FD:
        fd = memfd_create("pktd-test", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, img, len), (ssize_t)len);
        ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
        res->open_rc = pktd_reader_open_fd(&r, fd, errbuf);
        snprintf(prefix, sizeof prefix, "descriptor %d: ", fd);
        break;
    case M_PIPE:
        fd = pipe_feed(img, len, &child);
        res->open_rc = pktd_reader_open_fd(&r, fd, errbuf);
        snprintf(prefix, sizeof prefix, "descriptor %d: ", fd);
        break;
    case M_MAPPED:
        path = tmp_path();
        write_file(path, img, len);
        res->open_rc = pktd_reader_open_mapped(&r, path, errbuf);
        snprintf(prefix, sizeof prefix, "%s: ", path);
        break;
    }
    if (res->open_rc == 0) {
        ck_assert_ptr_nonnull(r);
        ck_assert_int_eq(errbuf[0], 'X'); /* untouched on success */
        read_all(r, res);
        pktd_reader_close(r);
    } else {
        /* The first message says what was opened and why it failed; the
         * detail after the prefix is the same in every mode. */
        ck_assert_ptr_null(r);
        ck_assert_ptr_nonnull(memchr(errbuf, '\0', sizeof errbuf));
        ck_assert_msg(strncmp(errbuf, prefix, strlen(prefix)) == 0, "\"%s\" lacks \"%s\"", errbuf,
                      prefix);
        ck_assert_str_ne(errbuf + strlen(prefix), "");
        snprintf(res->errmsg, sizeof res->errmsg, "%s", errbuf + strlen(prefix));
    }
    if (fd >= 0)
        close(fd);
    if (path)
        unlink(path);
    if (child > 0) {
        int st;
        ck_assert_int_eq(waitpid(child, &st, 0), child);
        ck_assert(WIFEXITED(st) || (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE));
    }
}

static void assert_same(const struct result *a, const struct result *b, const char *what)
{
    ck_assert_msg(a->open_rc == b->open_rc, "%s: open %d vs %d", what, a->open_rc, b->open_rc);
    ck_assert_msg(a->end_rc == b->end_rc, "%s: end %d vs %d (%s | %s)", what, a->end_rc,
                  b->end_rc, a->errmsg, b->errmsg);
    ck_assert_msg(a->n == b->n, "%s: %zu vs %zu packets", what, a->n, b->n);
    ck_assert_str_eq(a->errmsg, b->errmsg);
    ck_assert_uint_eq(a->format, b->format);
    for (size_t i = 0; i < a->n; i++) {
        const struct rec *x = &a->v[i], *y = &b->v[i];
        ck_assert_msg(x->ts == y->ts && x->off == y->off && x->wire == y->wire &&
                          x->lt == y->lt && x->iface == y->iface && x->snap == y->snap &&
                          x->cap == y->cap && memcmp(x->data, y->data, x->cap) == 0,
                      "%s: packet %zu differs", what, i + 1);
    }
}

/* Reads an image in every mode, checks the modes agree; *res gets the
 * memory-mode result. */
static void read_all_modes(const uint8_t *img, size_t len, struct result *res)
{
    read_image(img, len, M_MEM, res);
    for (int m = M_PATH; m <= M_MAPPED; m++) {
        struct result other;
        read_image(img, len, (enum mode)m, &other);
        assert_same(res, &other, mode_name[m]);
        result_free(&other);
    }
}

/* Checks packet k (1-based) of a result against the builder's payload. */
static void check_packet(const struct result *res, size_t k, unsigned payload_k, size_t cap,
                         uint32_t wire, uint64_t ts, uint32_t lt, uint32_t iface)
{
    ck_assert_uint_ge(res->n, k);
    const struct rec *x = &res->v[k - 1];
    ck_assert_uint_eq(x->cap, cap);
    ck_assert_uint_eq(x->wire, wire);
    ck_assert_uint_eq(x->ts, ts);
    ck_assert_uint_eq(x->lt, lt);
    ck_assert_uint_eq(x->iface, iface);
    struct bb exp;
    bb_init(&exp, 0);
    bb_payload(&exp, payload_k, cap);
    ck_assert(cap == 0 || memcmp(x->data, exp.p, cap) == 0);
    bb_free(&exp);
}

static int open_mem_rc(const struct bb *b)
{
    pktd_reader *r;
    int rc = pktd_reader_open_mem(&r, b->p, b->n, NULL);
    pktd_reader_close(r);
    return rc;
}

/* Opens (must succeed) and reads to the end; returns the final code and
 * copies the error message. */
static int read_mem_rc(const struct bb *b, size_t *npkts, char *msg, size_t msglen)
{
    struct result res;
    read_image(b->p, b->n, M_MEM, &res);
    ck_assert_msg(res.open_rc == 0, "open failed: %d", res.open_rc);
    if (npkts)
        *npkts = res.n;
    if (msg)
        snprintf(msg, msglen, "%s", res.errmsg);
    int rc = res.end_rc;
    result_free(&res);
    return rc;
}

/* -------------------------------------------------------- classic pcap --- */

static void build_pcap(struct bb *b, int be, int nano)
{
    bb_init(b, be);
    /* FCS-length and P bits above the link type must be ignored. */
    pcap_header(b, nano, 2, 4, 65535, 0x24000001u);
    pcap_record(b, 1, 1700000000u, nano ? 123456789u : 123456u, 60, 60);
    pcap_record(b, 2, 0, 0, 0, 0);
    pcap_record(b, 3, 1700000001u, nano ? 999999999u : 999999u, 100, 1514);
    /* caplen above the snaplen: real files have it; tolerated. */
    pcap_record(b, 4, 0xffffffffu, 1, 70000, 70000);
}

START_TEST(test_pcap_variants)
{
    for (int be = 0; be <= 1; be++) {
        for (int nano = 0; nano <= 1; nano++) {
            struct bb b;
            build_pcap(&b, be, nano);
            struct result res;
            read_all_modes(b.p, b.n, &res);
            ck_assert_int_eq(res.open_rc, 0);
            ck_assert_int_eq(res.end_rc, 0);
            ck_assert_str_eq(res.errmsg, "");
            ck_assert_uint_eq(res.format, PKTD_FORMAT_PCAP);
            ck_assert_uint_eq(res.n, 4);
            uint64_t f = nano ? 1 : 1000;
            check_packet(&res, 1, 1, 60, 60, 1700000000ull * 1000000000ull + 123456789ull / (nano ? 1 : 1000) * f, 1, 0);
            check_packet(&res, 2, 2, 0, 0, 0, 1, 0);
            check_packet(&res, 3, 3, 100, 1514,
                         1700000001ull * 1000000000ull + (nano ? 999999999ull : 999999000ull), 1, 0);
            check_packet(&res, 4, 4, 70000, 70000, 4294967295ull * 1000000000ull + f, 1, 0);
            ck_assert_uint_eq(res.v[0].off, 24);
            ck_assert_uint_eq(res.v[1].off, 24 + 16 + 60);
            ck_assert_uint_eq(res.v[0].snap, 65535);
            result_free(&res);
            bb_free(&b);
        }
    }
}
END_TEST

START_TEST(test_pcap_versions)
{
    static const uint16_t v[][3] = {{2, 4, 0}, {2, 3, 0}, {2, 2, 0}, {3, 0, 1}, {1, 0, 1}, {0, 0, 1}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct bb b;
        bb_init(&b, 0);
        pcap_header(&b, 0, v[i][0], v[i][1], 65535, 1);
        pcap_record(&b, 1, 1, 2, 10, 10);
        ck_assert_int_eq(open_mem_rc(&b), v[i][2] ? PKTD_E_BAD_FILE : 0);
        bb_free(&b);
    }
}
END_TEST

/* -------------------------------------------------------------- pcapng --- */

#define T0 1700000000ull

/* Three sections: the first in byte order `be` with three interfaces of
 * different link types and resolutions, SPBs, a PB and unknown blocks; the
 * second in the other byte order; the third checks SPB snaplen capping. */
static void build_pcapng(struct bb *b, int be)
{
    bb_init(b, be);
    ng_shb(b);
    ng_idb(b, 1, 0, -1, 0, 0);                   /* if 0: Ethernet, µs by default */
    ng_idb(b, 101, 65535, 9, 1, 10);             /* if 1: raw IP, ns, +10 s */
    ng_other(b, 4, 12);                          /* name resolution block */
    ng_idb(b, 113, 128, 0x80 | 20, 1, -5);       /* if 2: SLL, 2^-20 s, -5 s */
    ng_epb(b, 1, 0, T0 * 1000000u + 123456u, 60, 60);
    ng_epb(b, 2, 1, T0 * 1000000000u + 123456789u, 41, 41);
    ng_epb(b, 3, 2, (T0 << 20) | (1u << 19), 128, 1500); /* + 0.5 s */
    ng_spb(b, 4, 50, 50);                        /* caplen = wire: 50 */
    ng_spb(b, 5, 1000, 100);                     /* caplen = stored: 100 */
    ng_other(b, 5, 20);                          /* interface statistics */
    ng_other(b, 0x00000BADu, 8);                 /* custom block */
    ng_other(b, 0x80000001u, 0);                 /* reserved type, empty body */
    ng_pb(b, 6, 1, T0 * 1000000000u + 7u, 30, 31);
    /* Section 2: the other byte order, a fresh interface table. */
    b->be = !be;
    ng_shb(b);
    ng_idb(b, 228, 0, 3, 0, 0);                  /* if 0: IPv4, milliseconds */
    ng_epb(b, 7, 0, T0 * 1000u + 123u, 20, 20);
    /* Section 3: SPB capped by the interface's snaplen. */
    b->be = be;
    ng_shb(b);
    ng_idb(b, 1, 64, 6, 0, 0);
    ng_spb(b, 8, 100, 68);
}

START_TEST(test_pcapng_sections)
{
    for (int be = 0; be <= 1; be++) {
        struct bb b;
        build_pcapng(&b, be);
        struct result res;
        read_all_modes(b.p, b.n, &res);
        ck_assert_int_eq(res.open_rc, 0);
        ck_assert_msg(res.end_rc == 0, "%d %s", res.end_rc, res.errmsg);
        ck_assert_uint_eq(res.format, PKTD_FORMAT_PCAPNG);
        ck_assert_uint_eq(res.n, 8);
        check_packet(&res, 1, 1, 60, 60, T0 * 1000000000u + 123456000u, 1, 0);
        check_packet(&res, 2, 2, 41, 41, (T0 + 10) * 1000000000u + 123456789u, 101, 1);
        check_packet(&res, 3, 3, 128, 1500, (T0 - 5) * 1000000000u + 500000000u, 113, 2);
        check_packet(&res, 4, 4, 50, 50, 0, 1, 0);
        check_packet(&res, 5, 5, 100, 1000, 0, 1, 0);
        check_packet(&res, 6, 6, 30, 31, (T0 + 10) * 1000000000u + 7u, 101, 1);
        check_packet(&res, 7, 7, 20, 20, T0 * 1000000000u + 123000000u, 228, 0);
        check_packet(&res, 8, 8, 64, 100, 0, 1, 0);
        ck_assert_uint_eq(res.v[0].snap, 0);
        ck_assert_uint_eq(res.v[1].snap, 65535);
        ck_assert_uint_eq(res.v[2].snap, 128);
        ck_assert_uint_eq(res.v[7].snap, 64);
        result_free(&res);
        bb_free(&b);
    }
}
END_TEST

/* One interface with the given if_tsresol/if_tsoffset and one EPB at
 * `units`: returns the timestamp read (or fails the test). */
static uint64_t ts_for(int tsresol, int has_off, int64_t off, uint64_t units)
{
    struct bb b;
    bb_init(&b, 0);
    ng_shb(&b);
    ng_idb(&b, 1, 0, tsresol, has_off, off);
    ng_epb(&b, 1, 0, units, 4, 4);
    struct result res;
    read_image(b.p, b.n, M_MEM, &res);
    ck_assert_int_eq(res.open_rc, 0);
    ck_assert_msg(res.end_rc == 0, "%s", res.errmsg);
    ck_assert_uint_eq(res.n, 1);
    uint64_t ts = res.v[0].ts;
    result_free(&res);
    bb_free(&b);
    return ts;
}

START_TEST(test_pcapng_timestamps)
{
    const uint64_t M = UINT64_MAX;
    ck_assert_uint_eq(ts_for(-1, 0, 0, 1500000u), 1500000000u);     /* default µs */
    ck_assert_uint_eq(ts_for(6, 0, 0, 1500000u), 1500000000u);
    ck_assert_uint_eq(ts_for(9, 0, 0, M), M);                        /* ns: exact */
    ck_assert_uint_eq(ts_for(6, 0, 0, M), M);                        /* µs: saturates */
    ck_assert_uint_eq(ts_for(0, 0, 0, 10000000000ull), 10000000000000000000ull);
    ck_assert_uint_eq(ts_for(0, 0, 0, 20000000000ull), M);
    ck_assert_uint_eq(ts_for(12, 0, 0, 1234567890123456789ull), 1234567890123456ull); /* ps */
    ck_assert_uint_eq(ts_for(19, 0, 0, M), 1844674407u);
    ck_assert_uint_eq(ts_for(0x80, 0, 0, 5), 5000000000u);           /* 2^0 */
    ck_assert_uint_eq(ts_for(0x80 | 30, 0, 0, (5ull << 30) | (1ull << 29)), 5500000000u);
    ck_assert_uint_eq(ts_for(0x80 | 63, 0, 0, 1ull << 63), 1000000000u);
    ck_assert_uint_eq(ts_for(0x80 | 63, 0, 0, M), 1999999999u);
    ck_assert_uint_eq(ts_for(0x80 | 10, 0, 0, 1024ull * 1700000000u + 512u),
                      1700000000500000000ull);
    ck_assert_uint_eq(ts_for(0x80 | 1, 0, 0, M), M);                 /* 2^63 s: saturates */
    /* if_tsoffset, both signs, clamped at the ends of the range. */
    ck_assert_uint_eq(ts_for(0, 1, -100, 50), 0);
    ck_assert_uint_eq(ts_for(0, 1, 100, 50), 150000000000u);
    ck_assert_uint_eq(ts_for(9, 1, 1, M - 5), M);
    ck_assert_uint_eq(ts_for(9, 1, INT64_MIN, M), 0);
    ck_assert_uint_eq(ts_for(9, 1, INT64_MAX, 0), M);
    ck_assert_uint_eq(ts_for(9, 1, -1, 1000000000u), 0);
}
END_TEST

START_TEST(test_pcapng_bad_tsresol)
{
    static const int bad[] = {20, 0x7f, 0x80 | 64, 0xff};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct bb b;
        bb_init(&b, 0);
        ng_shb(&b);
        ng_idb(&b, 1, 0, bad[i], 0, 0);
        ng_epb(&b, 1, 0, 1, 4, 4);
        char msg[256];
        ck_assert_int_eq(read_mem_rc(&b, NULL, msg, sizeof msg), PKTD_E_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(msg, "if_tsresol"));
        bb_free(&b);
    }
}
END_TEST

/* ------------------------------------------------- every truncation point --- */

/* For each prefix of the image: memory and descriptor reads agree; a prefix
 * inside the file header fails to open (empty: BAD_FILE, else TRUNCATED);
 * after it, the reader returns exactly the packets whose records are
 * complete, then 0 if the prefix ends on a record boundary, else TRUNCATED. */
static void check_prefixes(const struct bb *b, size_t header_end)
{
    struct result full;
    read_image(b->p, b->n, M_MEM, &full);
    ck_assert_int_eq(full.end_rc, 0);
    /* The end of each packet's record: the first boundary after its start. */
    size_t *pend = calloc(full.n + 1, sizeof *pend);
    ck_assert_ptr_nonnull(pend);
    for (size_t i = 0; i < full.n; i++) {
        for (size_t k = 0; k < b->n_bound; k++) {
            if (b->boundaries[k] > full.v[i].off) {
                pend[i] = b->boundaries[k];
                break;
            }
        }
        ck_assert_uint_gt(pend[i], 0);
    }
    for (size_t len = 0; len < b->n; len++) {
        struct result res;
        read_image(b->p, len, M_MEM, &res);
        if (len == 0) {
            ck_assert_int_eq(res.open_rc, PKTD_E_BAD_FILE);
        } else if (len < header_end) {
            ck_assert_msg(res.open_rc == PKTD_E_TRUNCATED, "prefix %zu: open %d", len,
                          res.open_rc);
        } else {
            ck_assert_int_eq(res.open_rc, 0);
            size_t expect_n = 0;
            while (expect_n < full.n && pend[expect_n] <= len)
                expect_n++;
            int at_boundary = 0;
            for (size_t k = 0; k < b->n_bound; k++)
                at_boundary |= b->boundaries[k] == len;
            ck_assert_msg(res.n == expect_n, "prefix %zu: %zu packets, expected %zu", len, res.n,
                          expect_n);
            ck_assert_msg(res.end_rc == (at_boundary ? 0 : PKTD_E_TRUNCATED),
                          "prefix %zu: end %d (%s)", len, res.end_rc, res.errmsg);
            if (!at_boundary)
                ck_assert_str_ne(res.errmsg, "");
            for (size_t i = 0; i < res.n; i++)
                ck_assert_uint_eq(res.v[i].cap, full.v[i].cap);
        }
        /* The descriptor path meets the same ends at other buffer states:
         * all prefixes through a memfd, every 5th through a pipe; a mapped
         * file ends where memory does (the empty one is read, not mapped). */
        struct result other;
        read_image(b->p, len, M_FD, &other);
        assert_same(&res, &other, "fd prefix");
        result_free(&other);
        read_image(b->p, len, M_MAPPED, &other);
        assert_same(&res, &other, "mapped prefix");
        result_free(&other);
        if (len % 5 == 0) {
            read_image(b->p, len, M_PIPE, &other);
            assert_same(&res, &other, "pipe prefix");
            result_free(&other);
        }
        result_free(&res);
    }
    free(pend);
    result_free(&full);
}

START_TEST(test_truncation_pcap)
{
    for (int be = 0; be <= 1; be++) {
        struct bb b;
        bb_init(&b, be);
        pcap_header(&b, be, 2, 4, 65535, 1);
        pcap_record(&b, 1, 1, 2, 21, 21);
        pcap_record(&b, 2, 3, 4, 0, 0);
        pcap_record(&b, 3, 5, 6, 7, 60);
        check_prefixes(&b, 24);
        bb_free(&b);
    }
}
END_TEST

START_TEST(test_truncation_pcapng)
{
    for (int be = 0; be <= 1; be++) {
        struct bb b;
        bb_init(&b, be);
        ng_shb(&b);
        size_t shb_end = b.n;
        ng_idb(&b, 1, 0, 9, 1, 3);
        ng_epb(&b, 1, 0, 123, 13, 13);
        ng_other(&b, 5, 8);
        ng_spb(&b, 2, 9, 9);
        b.be = !be;
        ng_shb(&b);
        ng_idb(&b, 101, 0, -1, 0, 0);
        ng_epb(&b, 3, 0, 456, 0, 0);
        check_prefixes(&b, shb_end);
        bb_free(&b);
    }
}
END_TEST

/* ----------------------------------------------------- hostile headers --- */

START_TEST(test_bad_magic)
{
    static const uint8_t junk[] = "GIF89a........................";
    static const uint8_t ng_prefix[] = {0x0a, 0x0d, 0x0d};
    static const uint8_t le_prefix[] = {0xd4, 0xc3};
    pktd_reader *r = (pktd_reader *)1;
    ck_assert_int_eq(pktd_reader_open_mem(&r, junk, sizeof junk, NULL), PKTD_E_BAD_FILE);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(pktd_reader_open_mem(&r, junk, 3, NULL), PKTD_E_BAD_FILE);
    ck_assert_int_eq(pktd_reader_open_mem(&r, junk, 0, NULL), PKTD_E_BAD_FILE);
    ck_assert_int_eq(pktd_reader_open_mem(&r, NULL, 0, NULL), PKTD_E_BAD_FILE);
    ck_assert_int_eq(pktd_reader_open_mem(&r, ng_prefix, 3, NULL), PKTD_E_TRUNCATED);
    ck_assert_int_eq(pktd_reader_open_mem(&r, le_prefix, 2, NULL), PKTD_E_TRUNCATED);
    /* KUZNETZOV's modified pcap and other magics are not read. */
    static const uint8_t kuz[24] = {0x34, 0xcd, 0xb2, 0xa1, 2, 0, 4, 0};
    ck_assert_int_eq(pktd_reader_open_mem(&r, kuz, sizeof kuz, NULL), PKTD_E_BAD_FILE);
}
END_TEST

START_TEST(test_bad_arguments)
{
    pktd_reader *r = (pktd_reader *)1;
    const uint8_t *d;
    size_t n;
    ck_assert_int_eq(pktd_reader_open_mem(NULL, (const uint8_t *)"", 0, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_reader_open_mem(&r, NULL, 5, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(pktd_reader_open_fd(&r, -1, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_reader_open_path(&r, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_reader_open_path(NULL, "x", NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_reader_open_path(&r, "/nonexistent/pktd/file.pcap", NULL), -ENOENT);
    ck_assert_int_eq(pktd_reader_open_path(&r, "/", NULL), -EISDIR);
    ck_assert_int_eq(pktd_reader_next(NULL, &d, &n), PKTD_E_INVALID_ARGUMENT);
    pktd_reader_close(NULL);
    ck_assert_uint_eq(pktd_reader_ts_ns(NULL), 0);
    ck_assert_uint_eq(pktd_reader_format(NULL), 0);
    ck_assert_str_eq(pktd_reader_errmsg(NULL), "");
    /* An empty regular file and a pipe closed at once. */
    struct result res;
    read_image((const uint8_t *)"", 0, M_PATH, &res);
    ck_assert_int_eq(res.open_rc, PKTD_E_BAD_FILE);
    read_image((const uint8_t *)"", 0, M_PIPE, &res);
    ck_assert_int_eq(res.open_rc, PKTD_E_BAD_FILE);
}
END_TEST

/* EXPECT_MSG(call using eb, rc, message): the call fails with rc and its
 * errbuf eb holds exactly the message. */
#define EXPECT_MSG(call, want_rc, want_msg)                                                        \
    do {                                                                                           \
        char eb[PKTD_ERRBUF_SIZE];                                                                 \
        memset(eb, 'X', sizeof eb);                                                                \
        ck_assert_int_eq((call), (want_rc));                                                       \
        ck_assert_str_eq(eb, (want_msg));                                                          \
    } while (0)

/* Every failure of a reader or writer open call puts its full sentence in
 * errbuf: what was opened, which call failed or what is wrong, and why. */
START_TEST(test_open_messages)
{
    pktd_reader *r;
    pktd_writer *w;
    static const uint8_t junk[8] = {'k', 'u', 'z', 'n', 0, 0, 0, 0};
    static const uint8_t ng_prefix[] = {0x0a, 0x0d, 0x0d};
    char want[PKTD_ERRBUF_SIZE];

    /* Reader: arguments, open(), read(), the contents. */
    EXPECT_MSG(pktd_reader_open_mem(NULL, junk, 8, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_mem: out is NULL");
    EXPECT_MSG(pktd_reader_open_mem(&r, NULL, 5, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_mem: data is NULL but len is 5");
    EXPECT_MSG(pktd_reader_open_fd(&r, -2, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_fd: descriptor -2 is negative");
    EXPECT_MSG(pktd_reader_open_path(&r, NULL, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_path: path is NULL");
    EXPECT_MSG(pktd_reader_open_path(&r, "/nonexistent/pktd/file.pcap", eb), -ENOENT,
               "open(/nonexistent/pktd/file.pcap): No such file or directory");
    EXPECT_MSG(pktd_reader_open_mem(&r, junk, 8, eb), PKTD_E_BAD_FILE,
               "capture in memory: magic number 6b757a6e is neither pcap nor pcapng");
    EXPECT_MSG(pktd_reader_open_mem(&r, junk, 0, eb), PKTD_E_BAD_FILE,
               "capture in memory: empty file: not a pcap or pcapng capture");
    EXPECT_MSG(pktd_reader_open_mem(&r, junk, 3, eb), PKTD_E_BAD_FILE,
               "capture in memory: 3-byte file: not a pcap or pcapng capture");
    EXPECT_MSG(pktd_reader_open_mem(&r, ng_prefix, 3, eb), PKTD_E_TRUNCATED,
               "capture in memory: file ends after 3 bytes, inside the magic number");
    int fd = open("/", O_RDONLY | O_CLOEXEC); /* open() works, read() fails */
    ck_assert_int_ge(fd, 0);
    snprintf(want, sizeof want, "descriptor %d: read(descriptor %d, offset 0): Is a directory", fd,
             fd);
    EXPECT_MSG(pktd_reader_open_fd(&r, fd, eb), -EISDIR, want);
    close(fd);
    /* The message that used to be lost: open_path's is the file's detail. */
    char *path = tmp_path();
    write_file(path, junk, sizeof junk);
    snprintf(want, sizeof want, "%s: magic number 6b757a6e is neither pcap nor pcapng", path);
    EXPECT_MSG(pktd_reader_open_path(&r, path, eb), PKTD_E_BAD_FILE, want);
    static const uint8_t v1[24] = {0xd4, 0xc3, 0xb2, 0xa1, 1, 0, 0, 0};
    write_file(path, v1, sizeof v1);
    snprintf(want, sizeof want, "%s: pcap version 1.0 is not supported (2.x only)", path);
    EXPECT_MSG(pktd_reader_open_path(&r, path, eb), PKTD_E_BAD_FILE, want);
    /* Mapped: the same messages as by path, whether mapped or read. */
    EXPECT_MSG(pktd_reader_open_mapped(NULL, path, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_mapped: out is NULL");
    EXPECT_MSG(pktd_reader_open_mapped(&r, NULL, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_reader_open_mapped: path is NULL");
    EXPECT_MSG(pktd_reader_open_mapped(&r, "/nonexistent/pktd/file.pcap", eb), -ENOENT,
               "open(/nonexistent/pktd/file.pcap): No such file or directory");
    EXPECT_MSG(pktd_reader_open_mapped(&r, path, eb), PKTD_E_BAD_FILE, want);
    EXPECT_MSG(pktd_reader_open_mapped(&r, "/dev/null", eb), PKTD_E_BAD_FILE,
               "/dev/null: empty file: not a pcap or pcapng capture");
    ck_assert_int_eq(pktd_reader_open_path(&r, "/", want), -EISDIR); /* not mapped: read */
    EXPECT_MSG(pktd_reader_open_mapped(&r, "/", eb), -EISDIR, want);

    /* Writer: arguments, open(), write() of the file header. */
    EXPECT_MSG(pktd_writer_open_path(NULL, path, 1, 1, 0, 0, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_path: out is NULL");
    EXPECT_MSG(pktd_writer_open_path(&w, path, 3, 1, 0, 0, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_path: format 3 is neither PKTD_FORMAT_PCAP nor "
               "PKTD_FORMAT_PCAPNG");
    EXPECT_MSG(pktd_writer_open_fd(&w, 1, 1, 0x10000, 0, 0, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_fd: link type 65536 does not fit 16 bits");
    snprintf(want, sizeof want, "pktd_writer_open_path: snap length %lu exceeds the maximum %lu",
             (unsigned long)PKTD_WRITER_MAX_SNAPLEN + 1, (unsigned long)PKTD_WRITER_MAX_SNAPLEN);
    EXPECT_MSG(pktd_writer_open_path(&w, path, 1, 1, PKTD_WRITER_MAX_SNAPLEN + 1, 0, eb),
               PKTD_E_INVALID_ARGUMENT, want);
    EXPECT_MSG(pktd_writer_open_path(&w, path, 1, 1, 0, 0x80000000u, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_path: unknown flags 0x80000000");
    EXPECT_MSG(pktd_writer_open_path(&w, NULL, 1, 1, 0, 0, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_path: path is NULL");
    EXPECT_MSG(pktd_writer_open_fd(&w, -1, 1, 1, 0, 0, eb), PKTD_E_INVALID_ARGUMENT,
               "pktd_writer_open_fd: descriptor -1 is negative");
    EXPECT_MSG(pktd_writer_open_path(&w, "/nonexistent/dir/x.pcap", 1, 1, 0, 0, eb), -ENOENT,
               "open(/nonexistent/dir/x.pcap): No such file or directory");
    /* /dev/full: the open works, the header's write() fails. */
    fd = open("/dev/full", O_WRONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    snprintf(want, sizeof want, "descriptor %d: write(descriptor %d): No space left on device", fd,
             fd);
    EXPECT_MSG(pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAP, 1, 0, 0, eb), -ENOSPC, want);
    close(fd);
    char eb[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_writer_open_path(&w, "/dev/full", PKTD_FORMAT_PCAPNG, 1, 0, 0, eb),
                     -ENOSPC);
    ck_assert_msg(strncmp(eb, "/dev/full: write(descriptor ", 28) == 0 &&
                      strstr(eb, "): No space left on device") != NULL,
                  "%s", eb);

    /* Success leaves errbuf alone; a NULL errbuf is allowed either way. */
    memset(eb, 'X', sizeof eb);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, PKTD_FORMAT_PCAP, 1, 0, 0, eb), 0);
    ck_assert_int_eq(eb[0], 'X');
    ck_assert_int_eq(pktd_writer_close(w), 0);
    ck_assert_int_eq(pktd_reader_open_path(&r, path, eb), 0);
    ck_assert_int_eq(eb[0], 'X');
    pktd_reader_close(r);
    ck_assert_int_eq(pktd_reader_open_path(&r, "/nonexistent/x", NULL), -ENOENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, NULL, 1, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);

    /* A long path is cut, the reason is kept. */
    char longp[400];
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '/';
    longp[sizeof longp - 1] = '\0';
    ck_assert_int_eq(pktd_reader_open_path(&r, longp, eb), -ENAMETOOLONG);
    ck_assert_uint_lt(strlen(eb), PKTD_ERRBUF_SIZE - 1);
    ck_assert_msg(strncmp(eb, "open(/aaa", 9) == 0 && strstr(eb, "): File name too long"), "%s",
                  eb);
    unlink(path);
}
END_TEST

START_TEST(test_pcap_absurd_caplen)
{
    static const uint32_t caps[] = {0xffffffffu, PKTD_READER_MAX_RECORD + 1u, 0x80000000u};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        struct bb b;
        bb_init(&b, 1);
        pcap_header(&b, 0, 2, 4, 65535, 1);
        pcap_record(&b, 1, 1, 2, 10, 10);
        bb_u32(&b, 1);
        bb_u32(&b, 2);
        bb_u32(&b, caps[i]);
        bb_u32(&b, 10);
        bb_zeros(&b, 100);
        for (enum mode m = M_MEM; m <= M_PIPE; m++) {
            struct result res;
            read_image(b.p, b.n, m, &res);
            ck_assert_uint_eq(res.n, 1);
            ck_assert_int_eq(res.end_rc, PKTD_E_TOO_LARGE);
            char want[128];
            snprintf(want, sizeof want, "record 2 at offset 50: caplen %lu exceeds the 16777216-byte limit",
                     (unsigned long)caps[i]);
            ck_assert_str_eq(res.errmsg, want);
            result_free(&res);
        }
        bb_free(&b);
    }
    /* Exactly the limit is allowed: the file then just ends early. */
    struct bb b;
    bb_init(&b, 0);
    pcap_header(&b, 0, 2, 4, 65535, 1);
    bb_u32(&b, 1);
    bb_u32(&b, 2);
    bb_u32(&b, PKTD_READER_MAX_RECORD);
    bb_u32(&b, PKTD_READER_MAX_RECORD);
    bb_zeros(&b, 1000);
    for (enum mode m = M_MEM; m <= M_PIPE; m++) {
        struct result res;
        read_image(b.p, b.n, m, &res);
        ck_assert_int_eq(res.end_rc, PKTD_E_TRUNCATED);
        result_free(&res);
    }
    bb_free(&b);
}
END_TEST

/* A valid section then one broken block: `mutate` breaks it. */
static int ng_broken(int be, void (*mutate)(struct bb *), char *msg, size_t msglen, size_t *npk)
{
    struct bb b;
    bb_init(&b, be);
    ng_shb(&b);
    ng_idb(&b, 1, 0, -1, 0, 0);
    ng_epb(&b, 1, 0, 1, 10, 10);
    mutate(&b);
    int rc = read_mem_rc(&b, npk, msg, msglen);
    struct result res, other;
    read_image(b.p, b.n, M_MEM, &res);
    read_image(b.p, b.n, M_PIPE, &other);
    assert_same(&res, &other, "broken");
    result_free(&res);
    result_free(&other);
    bb_free(&b);
    return rc;
}

static void m_len_ffffffff(struct bb *b)
{
    ng_begin(b, 6);
    bb_zeros(b, 40);
    ng_end(b);
    bb_set32(b, b->block_start + 4, 0xffffffffu);
}
static void m_len_13(struct bb *b)
{
    ng_other(b, 6, 20);
    bb_set32(b, b->block_start + 4, 13);
}
static void m_len_8(struct bb *b)
{
    ng_other(b, 0xABCu, 20);
    bb_set32(b, b->block_start + 4, 8);
}
static void m_trailer(struct bb *b)
{
    ng_other(b, 5, 20);
    bb_set32(b, b->n - 4, 36);
}
static void m_undefined_if(struct bb *b)
{
    ng_epb(b, 2, 1, 5, 4, 4);
}
static void m_epb_caplen(struct bb *b)
{
    ng_epb(b, 2, 0, 5, 8, 8);
    bb_set32(b, b->block_start + 20, 9); /* caplen 9 > 8 data bytes */
}
static void m_epb_short(struct bb *b)
{
    ng_other(b, 6, 16);
}
static void m_new_section_if(struct bb *b)
{
    ng_shb(b); /* resets the table: interface 0 is gone */
    ng_epb(b, 2, 0, 5, 4, 4);
}
static void m_spb_no_if(struct bb *b)
{
    ng_shb(b);
    ng_spb(b, 2, 4, 4);
}
static void m_bad_bom(struct bb *b)
{
    ng_shb(b);
    bb_set32(b, b->block_start + 8, 0x11223344u);
}
static void m_shb_version(struct bb *b)
{
    ng_shb(b);
    b->p[b->block_start + 12] = b->be ? 0 : 2;
    b->p[b->block_start + 13] = b->be ? 2 : 0;
}
static void m_opt_overrun(struct bb *b)
{
    ng_begin(b, 1);
    bb_u16(b, 1);
    bb_u16(b, 0);
    bb_u32(b, 0);
    bb_u16(b, 2);  /* if_name */
    bb_u16(b, 40); /* longer than the block */
    bb_zeros(b, 8);
    ng_end(b);
}
static void m_tsresol_len(struct bb *b)
{
    ng_begin(b, 1);
    bb_u16(b, 1);
    bb_u16(b, 0);
    bb_u32(b, 0);
    ng_opt(b, 9, "\x06\x06", 2);
    ng_end(b);
}
static void m_shb_short(struct bb *b)
{
    ng_begin(b, 0x0A0D0D0Au);
    bb_u32(b, 0x1A2B3C4Du);
    bb_u16(b, 1);
    bb_u16(b, 0);
    ng_end(b); /* 24 bytes: no section length */
}

START_TEST(test_pcapng_hostile)
{
    static const struct {
        void (*mutate)(struct bb *);
        int rc;
        const char *msg;
    } cases[] = {
        {m_len_ffffffff, PKTD_E_TOO_LARGE, "block length 4294967295 exceeds the 16777216-byte limit"},
        {m_len_13, PKTD_E_MALFORMED, "block length 13 is not a multiple of 4"},
        {m_len_8, PKTD_E_MALFORMED, "block length 8 is less than 12"},
        {m_trailer, PKTD_E_MALFORMED, "trailing block length 36 differs from the leading 32"},
        {m_undefined_if, PKTD_E_MALFORMED, "packet for interface 1, but the section defines 1"},
        {m_epb_caplen, PKTD_E_MALFORMED, "captured length 9 exceeds the block's 8 data bytes"},
        {m_epb_short, PKTD_E_MALFORMED, "packet block body of 16 bytes, need 20"},
        {m_new_section_if, PKTD_E_MALFORMED, "packet for interface 0, but the section defines 0"},
        {m_spb_no_if, PKTD_E_MALFORMED, "packet for interface 0, but the section defines 0"},
        {m_bad_bom, PKTD_E_MALFORMED, "byte-order magic"},
        {m_shb_version, PKTD_E_MALFORMED, "pcapng version 2.0 is not supported"},
        {m_opt_overrun, PKTD_E_MALFORMED, "option 2 of length 40 runs past the block end"},
        {m_tsresol_len, PKTD_E_MALFORMED, "if_tsresol has length 2, not 1"},
        {m_shb_short, PKTD_E_MALFORMED, "section header length 20 is less than 28"},
    };
    for (int be = 0; be <= 1; be++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            char msg[256];
            size_t npk;
            int rc = ng_broken(be, cases[i].mutate, msg, sizeof msg, &npk);
            ck_assert_msg(rc == cases[i].rc, "case %zu be %d: %d (%s)", i, be, rc, msg);
            ck_assert_msg(strstr(msg, cases[i].msg) != NULL, "case %zu: \"%s\"", i, msg);
            ck_assert_msg(strstr(msg, "at offset ") != NULL, "case %zu: \"%s\"", i, msg);
            ck_assert_uint_eq(npk, 1); /* the good packet before it came through */
        }
    }
}
END_TEST

START_TEST(test_pcapng_bad_first_block)
{
    /* A first section header that is unusable means "not a capture". */
    struct bb b;
    bb_init(&b, 0);
    ng_shb(&b);
    bb_set32(&b, 8, 0x11223344u);
    ck_assert_int_eq(open_mem_rc(&b), PKTD_E_BAD_FILE);
    bb_set32(&b, 8, 0x1A2B3C4Du);
    bb_set32(&b, 4, 0xfffffff0u);
    ck_assert_int_eq(open_mem_rc(&b), PKTD_E_BAD_FILE);
    bb_set32(&b, 4, 30);
    ck_assert_int_eq(open_mem_rc(&b), PKTD_E_BAD_FILE);
    bb_free(&b);
    bb_init(&b, 1);
    m_shb_version(&b);
    ck_assert_int_eq(open_mem_rc(&b), PKTD_E_BAD_FILE);
    bb_free(&b);
    /* A first block with a length pointing past the end: truncated. */
    bb_init(&b, 0);
    ng_shb(&b);
    bb_set32(&b, 4, 64);
    bb_set32(&b, b.n - 4, 64);
    ck_assert_int_eq(open_mem_rc(&b), PKTD_E_TRUNCATED);
    bb_free(&b);
}
END_TEST

START_TEST(test_pcapng_interface_limit)
{
    struct bb b;
    bb_init(&b, 0);
    ng_shb(&b);
    for (unsigned i = 0; i < 65536; i++)
        ng_idb(&b, (uint16_t)(i & 0xff), i, -1, 0, 0);
    ng_epb(&b, 1, 65535, 1, 4, 4);
    size_t npk;
    char msg[256];
    ck_assert_int_eq(read_mem_rc(&b, &npk, msg, sizeof msg), 0);
    ck_assert_uint_eq(npk, 1);
    {
        struct result res;
        read_image(b.p, b.n, M_MEM, &res);
        ck_assert_uint_eq(res.v[0].lt, 0xff);
        ck_assert_uint_eq(res.v[0].snap, 65535);
        ck_assert_uint_eq(res.v[0].iface, 65535);
        result_free(&res);
    }
    ng_idb(&b, 1, 0, -1, 0, 0);
    ck_assert_int_eq(read_mem_rc(&b, &npk, msg, sizeof msg), PKTD_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(msg, "more than 65536 interfaces"));
    bb_free(&b);
}
END_TEST

/* A packet larger than the descriptor buffer's first size, through a pipe. */
START_TEST(test_large_record_pipe)
{
    struct bb b;
    bb_init(&b, 0);
    ng_shb(&b);
    ng_idb(&b, 1, 0, -1, 0, 0);
    ng_epb(&b, 1, 0, 1, 3000000, 3000000);
    ng_epb(&b, 2, 0, 2, 10, 10);
    struct result res;
    read_all_modes(b.p, b.n, &res);
    ck_assert_int_eq(res.end_rc, 0);
    ck_assert_uint_eq(res.n, 2);
    check_packet(&res, 1, 1, 3000000, 3000000, 1000, 1, 0);
    result_free(&res);
    bb_free(&b);
}
END_TEST

/* Deterministic mutations of valid images (bytes flipped, 32-bit fields
 * set to extremes): the reader never crashes, never returns a packet that
 * is not inside the image, and ends with a documented code; memory and
 * descriptor reads agree. */
static int allowed_end(int rc)
{
    return rc == 0 || rc == PKTD_E_TRUNCATED || rc == PKTD_E_MALFORMED ||
           rc == PKTD_E_TOO_LARGE || rc == PKTD_E_UNSUPPORTED;
}

static void mutate_and_read(const struct bb *orig, unsigned rounds, uint32_t seed)
{
    static const uint32_t extremes[] = {0, 1, 3, 11, 12, 0x7fffffffu, 0x80000000u, 0xfffffffcu,
                                        0xffffffffu, PKTD_READER_MAX_RECORD,
                                        PKTD_READER_MAX_RECORD + 4u};
    uint8_t *img = malloc(orig->n);
    ck_assert_ptr_nonnull(img);
    uint32_t x = seed;
    for (unsigned i = 0; i < rounds; i++) {
        memcpy(img, orig->p, orig->n);
        unsigned changes = 1 + i % 3;
        for (unsigned c = 0; c < changes; c++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            size_t pos = (x >> 4) % orig->n;
            if ((x & 3) == 0 && pos + 4 <= orig->n) {
                pos &= ~(size_t)3; /* fields are 32-bit aligned in both formats */
                uint32_t v = extremes[(x >> 20) % (sizeof extremes / sizeof extremes[0])];
                memcpy(img + pos, &v, 4);
            } else {
                img[pos] ^= (uint8_t)(1u << ((x >> 28) & 7));
            }
        }
        struct result res;
        read_image(img, orig->n, M_MEM, &res);
        if (res.open_rc == 0) {
            ck_assert_msg(allowed_end(res.end_rc), "round %u: end %d", i, res.end_rc);
            for (size_t k = 0; k < res.n; k++)
                ck_assert_uint_le(res.v[k].cap, orig->n);
        } else {
            ck_assert_msg(res.open_rc == PKTD_E_BAD_FILE || res.open_rc == PKTD_E_TRUNCATED,
                          "round %u: open %d", i, res.open_rc);
        }
        if (i % 8 == 0) {
            struct result other;
            read_image(img, orig->n, M_FD, &other);
            assert_same(&res, &other, "mutated");
            result_free(&other);
        }
        result_free(&res);
    }
    free(img);
}

START_TEST(test_mutations)
{
    for (int be = 0; be <= 1; be++) {
        struct bb b;
        bb_init(&b, be);
        pcap_header(&b, be, 2, 4, 65535, 1);
        pcap_record(&b, 1, 1, 2, 21, 21);
        pcap_record(&b, 2, 3, 4, 0, 0);
        pcap_record(&b, 3, 5, 6, 7, 60);
        mutate_and_read(&b, 1500, 0x9e3779b9u + (uint32_t)be);
        bb_free(&b);
        build_pcapng(&b, be);
        mutate_and_read(&b, 3000, 0x85ebca6bu + (uint32_t)be);
        bb_free(&b);
    }
}
END_TEST

/* A non-blocking descriptor without data: -EAGAIN is not sticky, and the
 * record read so far is kept. */
START_TEST(test_nonblocking_eagain)
{
    struct bb b;
    bb_init(&b, 0);
    pcap_header(&b, 0, 2, 4, 65535, 1);
    pcap_record(&b, 1, 1, 2, 100, 100);
    pcap_record(&b, 2, 3, 4, 50, 50);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_fd(&r, fds[0], NULL), -EAGAIN);
    ck_assert_ptr_null(r);
    size_t split = 24 + 16 + 60; /* inside the first record's data */
    ck_assert_int_eq(write(fds[1], b.p, split), (ssize_t)split);
    ck_assert_int_eq(pktd_reader_open_fd(&r, fds[0], NULL), 0);
    const uint8_t *d;
    size_t cap;
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), -EAGAIN);
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), -EAGAIN);
    ck_assert_int_eq(write(fds[1], b.p + split, b.n - split), (ssize_t)(b.n - split));
    close(fds[1]);
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), 1);
    ck_assert_uint_eq(cap, 100);
    ck_assert_uint_eq(pktd_reader_offset(r), 24);
    ck_assert_mem_eq(d, b.p + 40, 100);
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), 1);
    ck_assert_uint_eq(cap, 50);
    ck_assert_int_eq(pktd_reader_next(r, &d, &cap), 0);
    pktd_reader_close(r);
    close(fds[0]);
    bb_free(&b);
}
END_TEST

/* ------------------------------------------------- real tcpdump captures --- */

static uint8_t *load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    struct stat st;
    ck_assert_int_eq(fstat(fileno(f), &st), 0);
    uint8_t *p = malloc((size_t)st.st_size + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fread(p, 1, (size_t)st.st_size, f), (size_t)st.st_size);
    fclose(f);
    *len = (size_t)st.st_size;
    return p;
}

static char corpus_dir[4096];

static void set_corpus_dir(void)
{
    const char *src = getenv("top_srcdir");
    snprintf(corpus_dir, sizeof corpus_dir, "%s/tests/corpus/tcpdump", src ? src : ".");
}

/* pktd_reader_open_mapped() (1.1) reads a named pipe with read(2), as
 * pktd_reader_open_path() does, since a pipe cannot be mapped. */
START_TEST(test_mapped_fifo)
{
    struct bb b;
    build_pcap(&b, 0, 1);
    struct result want, got;
    read_image(b.p, b.n, M_MEM, &want);
    char *path = tmp_path();
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        FILE *f = fopen(path, "wb");
        _exit(f != NULL && fwrite(b.p, 1, b.n, f) == b.n && fclose(f) == 0 ? 0 : 3);
    }
    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_mapped(&r, path, NULL), 0);
    memset(&got, 0, sizeof got);
    read_all(r, &got);
    pktd_reader_close(r);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_same(&want, &got, "fifo");
    ck_assert_uint_eq(got.n, 4);
    unlink(path);
    result_free(&want);
    result_free(&got);
    bb_free(&b);
}
END_TEST

/* The documented difference: a mapped file is read as long as it was when
 * opened; records appended later are read by pktd_reader_open_path() only. */
START_TEST(test_mapped_snapshot)
{
    struct bb b;
    build_pcap(&b, 0, 0);
    ck_assert_uint_ge(b.n_bound, 3);
    size_t two = b.boundaries[2]; /* file header, records 1 and 2 */
    char *path = tmp_path();
    write_file(path, b.p, two);
    pktd_reader *mapped, *byread;
    ck_assert_int_eq(pktd_reader_open_mapped(&mapped, path, NULL), 0);
    ck_assert_int_eq(pktd_reader_open_path(&byread, path, NULL), 0);
    FILE *f = fopen(path, "ab");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b.p + two, 1, b.n - two, f), b.n - two);
    ck_assert_int_eq(fclose(f), 0);
    struct result m, p;
    memset(&m, 0, sizeof m);
    memset(&p, 0, sizeof p);
    read_all(mapped, &m);
    read_all(byread, &p);
    pktd_reader_close(mapped);
    pktd_reader_close(byread);
    ck_assert_int_eq(m.end_rc, 0);
    ck_assert_uint_eq(m.n, 2);
    ck_assert_int_eq(p.end_rc, 0);
    ck_assert_uint_eq(p.n, 4);
    ck_assert(m.v[1].cap == p.v[1].cap && memcmp(m.v[1].data, p.v[1].data, m.v[1].cap) == 0);
    unlink(path);
    result_free(&m);
    result_free(&p);
    bb_free(&b);
}
END_TEST

/* Every capture of tcpdump's test suite reads to a clean end, identically
 * from memory, a path and a pipe. */
START_TEST(test_corpus_all_modes)
{
    set_corpus_dir();
    DIR *dir = opendir(corpus_dir);
    ck_assert_msg(dir != NULL, "%s: %s", corpus_dir, strerror(errno));
    struct dirent *de;
    size_t files = 0, packets = 0;
    while ((de = readdir(dir)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (!(nl > 5 && strcmp(de->d_name + nl - 5, ".pcap") == 0) &&
            !(nl > 7 && strcmp(de->d_name + nl - 7, ".pcapng") == 0))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, de->d_name);
        size_t len;
        uint8_t *img = load(path, &len);
        struct result a, c;
        read_image(img, len, M_MEM, &a);
        ck_assert_msg(a.open_rc == 0 && a.end_rc == 0, "%s: %d %d %s", de->d_name, a.open_rc,
                      a.end_rc, a.errmsg);
        /* path: the reader's own descriptor on the real file */
        pktd_reader *r;
        ck_assert_int_eq(pktd_reader_open_path(&r, path, NULL), 0);
        memset(&c, 0, sizeof c);
        read_all(r, &c);
        pktd_reader_close(r);
        assert_same(&a, &c, de->d_name);
        result_free(&c);
        read_image(img, len, M_PIPE, &c);
        assert_same(&a, &c, de->d_name);
        result_free(&c);
        /* mapped: the real file in place */
        ck_assert_int_eq(pktd_reader_open_mapped(&r, path, NULL), 0);
        memset(&c, 0, sizeof c);
        read_all(r, &c);
        pktd_reader_close(r);
        assert_same(&a, &c, de->d_name);
        result_free(&c);
        files++;
        packets += a.n;
        result_free(&a);
        free(img);
    }
    closedir(dir);
    ck_assert_uint_ge(files, 800);
    ck_assert_uint_gt(packets, 10000);
}
END_TEST

/* Facts about a few corpus files, checked against tshark and libpcap. */
START_TEST(test_corpus_known_files)
{
    static const struct {
        const char *name;
        uint32_t format, lt;
        size_t n;
        uint64_t ts1; /* first packet */
        size_t cap1;
        uint32_t wire1;
    } k[] = {
        /* big-endian microsecond pcap */
        {"pptp.pcap", PKTD_FORMAT_PCAP, 1, 23, 954147395148077000ull, 62, 62},
        /* little-endian nanosecond pcap, Linux cooked */
        {"tcp-handshake-nano.pcap", PKTD_FORMAT_PCAP, 113, 3, 1418145369924505488ull, 76, 76},
        /* the largest 32-bit second: 2106-02-07 */
        {"time_2106_max.pcap", PKTD_FORMAT_PCAP, 1, 1, 4294967295000000000ull, 98, 98},
        /* pcapng with if_tsresol 9 */
        {"icmp-length-zero.pcapng", PKTD_FORMAT_PCAPNG, 1, 1, 1759756153000001000ull, 98, 98},
        /* pcapng with an ISB among the packets, link type 271 */
        {"vsock-1.pcapng", PKTD_FORMAT_PCAPNG, 271, 10, 1499949071261679299ull, 76, 76},
        /* pcapng beyond 2106: 64-bit timestamps */
        {"time_2107.pcapng", PKTD_FORMAT_PCAPNG, 1, 1, 4323283200000000000ull, 98, 98},
        {"empty.pcap", PKTD_FORMAT_PCAP, 1, 0, 0, 0, 0},
        {"empty.pcapng", PKTD_FORMAT_PCAPNG, 0, 0, 0, 0, 0},
    };
    set_corpus_dir();
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, k[i].name);
        pktd_reader *r;
        ck_assert_int_eq(pktd_reader_open_path(&r, path, NULL), 0);
        struct result res;
        memset(&res, 0, sizeof res);
        read_all(r, &res);
        pktd_reader_close(r);
        ck_assert_msg(res.end_rc == 0, "%s: %s", k[i].name, res.errmsg);
        ck_assert_uint_eq(res.format, k[i].format);
        ck_assert_msg(res.n == k[i].n, "%s: %zu packets", k[i].name, res.n);
        if (res.n) {
            ck_assert_uint_eq(res.v[0].lt, k[i].lt);
            if (k[i].cap1) {
                ck_assert_msg(res.v[0].ts == k[i].ts1, "%s: ts %llu", k[i].name,
                              (unsigned long long)res.v[0].ts);
                ck_assert_uint_eq(res.v[0].cap, k[i].cap1);
                ck_assert_uint_eq(res.v[0].wire, k[i].wire1);
            }
        }
        result_free(&res);
    }
}
END_TEST

/* -------------------------------------------------------------- writer --- */

static int host_is_be(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 0;
}

struct wpkt {
    size_t cap;
    uint32_t wire;
    uint64_t ts;
};

static const struct wpkt wpkts[] = {
    {60, 60, 1700000000123456789ull},
    {0, 0, 0},
    {1, 64, 1ull},
    {3, 3, 999999999ull},
    {1514, 1514, 1700000001000000001ull},
    {100000, 100000, 1700000002999999999ull}, /* larger than the 64 KiB buffer */
    {300, 300, 4294967295999999999ull},       /* last second pcap can hold */
};
#define N_WPKTS (sizeof wpkts / sizeof wpkts[0])

static void write_sample(pktd_writer *w, uint32_t snap_cut)
{
    (void)snap_cut;
    for (size_t i = 0; i < N_WPKTS; i++) {
        struct bb p;
        bb_init(&p, 0);
        bb_payload(&p, (unsigned)i + 1, wpkts[i].cap);
        ck_assert_int_eq(pktd_writer_write(w, p.p, wpkts[i].cap, wpkts[i].wire, wpkts[i].ts), 0);
        bb_free(&p);
    }
}

static void check_sample(const struct result *res, uint32_t format, int nano, uint32_t lt,
                         uint32_t snaplen)
{
    ck_assert_int_eq(res->open_rc, 0);
    ck_assert_msg(res->end_rc == 0, "%s", res->errmsg);
    ck_assert_uint_eq(res->format, format);
    ck_assert_uint_eq(res->n, N_WPKTS);
    for (size_t i = 0; i < N_WPKTS; i++) {
        size_t cap = wpkts[i].cap > snaplen ? snaplen : wpkts[i].cap;
        uint64_t ts = nano ? wpkts[i].ts : wpkts[i].ts / 1000u * 1000u;
        check_packet(res, i + 1, (unsigned)i + 1, cap, wpkts[i].wire, ts, lt, 0);
        ck_assert_uint_eq(res->v[i].snap, snaplen);
    }
}

/* pktd_writer_stats() cases: the capture's array as given, and the ISB
 * options expected, in file order (code, value; code 0 ends the list). */
#define NONE PKTD_WRITER_STAT_NONE
static const uint64_t stats_full[] = {1000, 20, 977, 3, 0};     /* every counter */
static const uint64_t stats_gaps[] = {10, NONE, 8, NONE, NONE}; /* dropped unknown */
static const uint64_t stats_none[] = {NONE, NONE, NONE, NONE, NONE};
static const uint64_t stats_zero[] = {0, 0, 0};                /* 0 is a known value */
static const uint64_t stats_long[] = {7, 6, 5, 4, 3, 2, 1, 0}; /* indexes not known yet */
static const struct {
    const uint64_t *stats;
    size_t n;
    uint64_t ts;
    uint64_t want[4][2];
} stats_cases[] = {
    {stats_full, 5, 0, {{4, 1000}, {7, 20}, {8, 977}}}, /* ts 0: the last packet's */
    {stats_full, 1, 123456789, {{4, 1000}}},            /* n cuts the array */
    {stats_full, 2, 2, {{4, 1000}, {7, 20}}},
    {stats_gaps, 5, 3, {{4, 10}, {8, 8}}},
    {stats_none, 5, 4, {{0}}},
    {NULL, 0, 5, {{0}}},
    {stats_zero, 3, 6, {{4, 0}, {7, 0}, {8, 0}}},
    {stats_long, 8, 7, {{4, 7}, {7, 6}, {8, 5}}},
};
#undef NONE

START_TEST(test_writer_round_trip)
{
    for (uint32_t format = PKTD_FORMAT_PCAP; format <= PKTD_FORMAT_PCAPNG; format++) {
        for (int nano = 0; nano <= 1; nano++) {
            for (int snapcase = 0; snapcase <= 1; snapcase++) {
                uint32_t snaplen = snapcase ? 200 : 0;
                uint32_t eff = snapcase ? 200 : PKTD_WRITER_DEFAULT_SNAPLEN;
                uint32_t lt = snapcase ? 101 : 1;
                char *path = tmp_path();
                pktd_writer *w = (pktd_writer *)1;
                ck_assert_int_eq(pktd_writer_open_path(&w, path, format, lt, snaplen,
                                                       nano ? PKTD_WRITER_NANO : 0, NULL),
                                 0);
                write_sample(w, eff);
                ck_assert_int_eq(pktd_writer_stats(w, stats_full, 5, 0), 0);
                ck_assert_uint_eq(pktd_writer_packets(w), N_WPKTS);
                uint64_t bytes = pktd_writer_bytes(w);
                ck_assert_int_eq(pktd_writer_close(w), 0);
                struct stat st;
                ck_assert_int_eq(stat(path, &st), 0);
                ck_assert_uint_eq((uint64_t)st.st_size, bytes);
                size_t len;
                uint8_t *img = load(path, &len);
                struct result res;
                read_all_modes(img, len, &res);
                check_sample(&res, format, nano, lt, eff);
                /* Host byte order, and the magic that says the resolution. */
                uint32_t magic;
                memcpy(&magic, img, 4);
                if (format == PKTD_FORMAT_PCAP)
                    ck_assert_uint_eq(magic, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
                else
                    ck_assert_uint_eq(magic, 0x0A0D0D0Au);
                result_free(&res);
                free(img);
                unlink(path);
            }
        }
    }
}
END_TEST

/* The pcap writer's bytes equal a hand-built file in host order. */
START_TEST(test_writer_pcap_bytes)
{
    for (int nano = 0; nano <= 1; nano++) {
        int fd = memfd_create("w", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        pktd_writer *w;
        ck_assert_int_eq(pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAP, 113, 96,
                                             nano ? PKTD_WRITER_NANO : 0, NULL),
                         0);
        struct bb p;
        bb_init(&p, 0);
        bb_payload(&p, 1, 150);
        ck_assert_int_eq(pktd_writer_write(w, p.p, 150, 150, 1234567891987654321ull), 0);
        ck_assert_int_eq(pktd_writer_write(w, p.p, 5, 9, 1000ull), 0);
        ck_assert_int_eq(pktd_writer_stats(w, stats_full, 5, 6), 0); /* no-op for pcap */
        ck_assert_int_eq(pktd_writer_stats(w, NULL, 1, 6), PKTD_E_INVALID_ARGUMENT);
        ck_assert_int_eq(pktd_writer_close(w), 0);
        bb_free(&p);
        struct bb e;
        bb_init(&e, host_is_be());
        pcap_header(&e, nano, 2, 4, 96, 113);
        pcap_record(&e, 1, 1234567891u, nano ? 987654321u : 987654u, 96, 150);
        pcap_record(&e, 1, 0, nano ? 1000u : 1u, 5, 9);
        off_t size = lseek(fd, 0, SEEK_END);
        ck_assert_int_eq(size, (off_t)e.n);
        uint8_t *got = malloc(e.n);
        ck_assert_int_eq(pread(fd, got, e.n, 0), (ssize_t)e.n);
        ck_assert_mem_eq(got, e.p, e.n);
        free(got);
        bb_free(&e);
        close(fd);
    }
}
END_TEST

static uint32_t h32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint16_t h16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* pktd_writer_open_fd_iface(): the IDB's if_name option, before if_tsresol;
 * no name with NULL or "" (the same bytes as pktd_writer_open_fd()); a name
 * too long refused. */
START_TEST(test_writer_if_name)
{
    static const char *names[] = {"vB", "", NULL};
    for (size_t i = 0; i < 3; i++) {
        int fd = memfd_create("w", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        pktd_writer *w;
        ck_assert_int_eq(pktd_writer_open_fd_iface(&w, fd, PKTD_FORMAT_PCAPNG, 1, 0,
                                                   PKTD_WRITER_NANO, names[i], NULL),
                         0);
        ck_assert_int_eq(pktd_writer_close(w), 0);
        uint8_t img[256];
        ssize_t size = pread(fd, img, sizeof img, 0);
        close(fd);
        ck_assert_int_gt(size, 12);
        size_t idb = h32(img + 4); /* the SHB's length: the IDB follows */
        ck_assert_uint_eq(h32(img + idb), 1);
        size_t len = h32(img + idb + 4);
        ck_assert_uint_eq(idb + len, (size_t)size);
        const uint8_t *o = img + idb + 16;
        if (i == 0) { /* option 2, length 2, "vB", 2 bytes of padding */
            ck_assert_uint_eq(h16(o), 2);
            ck_assert_uint_eq(h16(o + 2), 2);
            ck_assert_int_eq(memcmp(o + 4, "vB\0\0", 4), 0);
            o += 8;
        }
        ck_assert_uint_eq(h16(o), 9); /* if_tsresol */
        ck_assert_uint_eq(len, i == 0 ? 40u : 32u);
    }
    /* Classic pcap: checked, not written (24 bytes, as without a name). */
    int fd = memfd_create("w", MFD_CLOEXEC);
    pktd_writer *w;
    ck_assert_int_eq(pktd_writer_open_fd_iface(&w, fd, PKTD_FORMAT_PCAP, 1, 0, 0, "vB", NULL), 0);
    ck_assert_uint_eq(pktd_writer_bytes(w), 24);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    char name[PKTD_WRITER_MAX_IF_NAME + 2], eb[PKTD_ERRBUF_SIZE];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    ck_assert_int_eq(pktd_writer_open_fd_iface(&w, fd, PKTD_FORMAT_PCAPNG, 1, 0, 0, name, eb),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(eb, "pktd_writer_open_fd_iface: interface name of 65 bytes, more than 64");
    ck_assert_ptr_null(w);
    name[sizeof name - 2] = '\0'; /* 64 bytes: the longest */
    ck_assert_int_eq(pktd_writer_open_fd_iface(&w, fd, PKTD_FORMAT_PCAPNG, 1, 0, 0, name, eb), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    close(fd);
}
END_TEST

/* Walks the pcapng the writer made: SHB, IDB with the right if_tsresol,
 * EPBs, and ISBs carrying exactly the options expected from the arrays of
 * stats_cases, in order, and nothing else. */
START_TEST(test_writer_pcapng_blocks)
{
    const size_t ncases = sizeof stats_cases / sizeof stats_cases[0];
    int fd = memfd_create("w", MFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    pktd_writer *w;
    ck_assert_int_eq(pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAPNG, 1, 0, PKTD_WRITER_NANO, NULL),
                     0);
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"abcde", 5, 5, 77), 0);
    /* A NULL array with n > 0 is refused and writes nothing. */
    ck_assert_int_eq(pktd_writer_stats(w, NULL, 1, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(pktd_writer_errmsg(w), "statistics array is NULL but n is 1");
    for (size_t i = 0; i < ncases; i++)
        ck_assert_int_eq(
            pktd_writer_stats(w, stats_cases[i].stats, stats_cases[i].n, stats_cases[i].ts), 0);
    ck_assert_int_eq(pktd_writer_flush(w), 0);
    off_t size = lseek(fd, 0, SEEK_END);
    ck_assert_uint_eq((uint64_t)size, pktd_writer_bytes(w));
    ck_assert_int_eq(pktd_writer_close(w), 0);
    uint8_t *img = malloc((size_t)size);
    ck_assert_int_eq(pread(fd, img, (size_t)size, 0), size);
    close(fd);

    uint32_t types[16];
    size_t nb = 0, off = 0, isb = 0;
    while (off < (size_t)size) {
        uint32_t type = h32(img + off), len = h32(img + off + 4);
        ck_assert_uint_eq(len % 4, 0);
        ck_assert_uint_ge(len, 12);
        ck_assert_uint_le(off + len, (size_t)size);
        ck_assert_uint_eq(h32(img + off + len - 4), len);
        ck_assert_uint_lt(nb, 16);
        types[nb++] = type;
        const uint8_t *body = img + off + 8;
        if (type == 0x0A0D0D0Au) {
            ck_assert_uint_eq(h32(body), 0x1A2B3C4Du);
        } else if (type == 1) {
            /* options: if_tsresol = 9, then the end */
            uint16_t code;
            memcpy(&code, body + 8, 2);
            ck_assert_uint_eq(code, 9);
            ck_assert_uint_eq(body[12], 9);
        } else if (type == 5) {
            ck_assert_uint_lt(isb, ncases);
            ck_assert_uint_eq(h32(body), 0); /* interface 0 */
            uint64_t ts = ((uint64_t)h32(body + 4) << 32) | h32(body + 8);
            ck_assert_uint_eq(ts, stats_cases[isb].ts ? stats_cases[isb].ts : 77);
            /* The options, in order; then opt_endofopt and the trailer. */
            const uint64_t(*want)[2] = stats_cases[isb].want;
            const uint8_t *q = body + 12;
            size_t k = 0;
            for (; k < 4 && want[k][0] != 0; k++, q += 12) {
                uint16_t code, olen;
                uint64_t v;
                memcpy(&code, q, 2);
                memcpy(&olen, q + 2, 2);
                memcpy(&v, q + 4, 8);
                ck_assert_msg(code == want[k][0] && olen == 8 && v == want[k][1],
                              "case %zu option %zu: code %u len %u value %llu", isb, k, code, olen,
                              (unsigned long long)v);
            }
            if (k > 0) {
                ck_assert_uint_eq(h32(q), 0); /* opt_endofopt, length 0 */
                q += 4;
            }
            ck_assert_uint_eq((size_t)(q - (img + off)), (size_t)len - 4);
            ck_assert_uint_eq(len, 24u + 12u * k + (k > 0 ? 4u : 0u));
            isb++;
        }
        off += len;
    }
    ck_assert_uint_eq(off, (size_t)size);
    ck_assert_uint_eq(isb, ncases);
    ck_assert_uint_eq(nb, 3 + ncases);
    static const uint32_t want_types[] = {0x0A0D0D0Au, 1, 6};
    for (size_t i = 0; i < nb; i++)
        ck_assert_uint_eq(types[i], i < 3 ? want_types[i] : 5);
    /* The reader skips the statistics. */
    struct result res;
    read_image(img, (size_t)size, M_MEM, &res);
    ck_assert_int_eq(res.end_rc, 0);
    ck_assert_uint_eq(res.n, 1);
    ck_assert_uint_eq(res.v[0].ts, 77);
    result_free(&res);
    free(img);
}
END_TEST

START_TEST(test_writer_arguments)
{
    pktd_writer *w = (pktd_writer *)1;
    char *path = tmp_path();
    ck_assert_int_eq(pktd_writer_open_path(&w, path, 3, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(w);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, 0, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, 1, 0x10000, 0, 0, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, 1, 1, PKTD_WRITER_MAX_SNAPLEN + 1, 0, NULL),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, 1, 1, 0, 4, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, NULL, 1, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(NULL, path, 1, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_fd(&w, -1, 1, 1, 0, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_open_path(&w, "/nonexistent/dir/x.pcap", 1, 1, 0, 0, NULL),
                     -ENOENT);
    ck_assert_int_eq(pktd_writer_write(NULL, NULL, 0, 0, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_flush(NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_stats(NULL, NULL, 0, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_close(NULL), 0);
    ck_assert_str_eq(pktd_writer_errmsg(NULL), "");
    ck_assert_uint_eq(pktd_writer_bytes(NULL), 0);

    ck_assert_int_eq(pktd_writer_open_path(&w, path, PKTD_FORMAT_PCAP, 1, 0, 0, NULL), 0);
    /* Argument errors are reported but leave the writer usable. */
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"ab", 2, 1, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_writer_errmsg(w), "caplen 2 exceeds wire length 1"));
    ck_assert_int_eq(pktd_writer_write(w, NULL, 2, 2, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"ab", 2, 2, 4294967296000000000ull),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_writer_errmsg(w), "2106"));
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"ab", 2, 2, 5), 0);
    ck_assert_int_eq(pktd_writer_write(w, NULL, 0, 0, 6), 0);
    ck_assert_uint_eq(pktd_writer_packets(w), 2);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    struct result res;
    size_t len;
    uint8_t *img = load(path, &len);
    read_image(img, len, M_MEM, &res);
    ck_assert_uint_eq(res.n, 2);
    ck_assert_int_eq(res.end_rc, 0);
    result_free(&res);
    free(img);
    /* pcapng's 64-bit timestamps hold what pcap cannot. */
    ck_assert_int_eq(
        pktd_writer_open_path(&w, path, PKTD_FORMAT_PCAPNG, 1, 0, PKTD_WRITER_NANO, NULL), 0);
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"ab", 2, 2, UINT64_MAX), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    img = load(path, &len);
    read_image(img, len, M_MEM, &res);
    ck_assert_uint_eq(res.n, 1);
    ck_assert_uint_eq(res.v[0].ts, UINT64_MAX);
    result_free(&res);
    free(img);
    unlink(path);
}
END_TEST

/* A new file is created 0644 (under umask 0: exactly that), never
 * writable by others; an existing file keeps its mode. */
START_TEST(test_writer_file_mode)
{
    char *path = tmp_path();
    unlink(path);
    mode_t old = umask(0);
    pktd_writer *w;
    int rc = pktd_writer_open_path(&w, path, PKTD_FORMAT_PCAP, 1, 0, 0, NULL);
    umask(old);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0644);
    /* Truncating an existing file does not change its mode. */
    ck_assert_int_eq(chmod(path, 0600), 0);
    ck_assert_int_eq(pktd_writer_open_path(&w, path, PKTD_FORMAT_PCAP, 1, 0, 0, NULL), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    unlink(path);
}
END_TEST

/* PKTD_WRITER_NOFOLLOW: a symbolic link is refused and its target, present
 * or not, is untouched; without the flag the link is followed. */
START_TEST(test_writer_nofollow)
{
    char target[256], link[300], eb[PKTD_ERRBUF_SIZE];
    snprintf(target, sizeof target, "%s", tmp_path());
    snprintf(link, sizeof link, "%s.link", target);
    static const uint8_t keep[] = "precious, not a capture";
    write_file(target, keep, sizeof keep);
    unlink(link);
    ck_assert_int_eq(symlink(target, link), 0);
    pktd_writer *w = (pktd_writer *)1;
    ck_assert_int_eq(pktd_writer_open_path(&w, link, PKTD_FORMAT_PCAPNG, 1, 0,
                                           PKTD_WRITER_NOFOLLOW | PKTD_WRITER_NANO, eb),
                     -ELOOP);
    ck_assert_ptr_null(w);
    char want[PKTD_ERRBUF_SIZE + 300];
    snprintf(want, sizeof want,
             "open(%s): Too many levels of symbolic links (PKTD_WRITER_NOFOLLOW refuses a "
             "symbolic link)",
             link);
    ck_assert_str_eq(eb, want);
    size_t len;
    uint8_t *img = load(target, &len);
    ck_assert_uint_eq(len, sizeof keep);
    ck_assert_mem_eq(img, keep, sizeof keep);
    free(img);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));

    /* A dangling link: its target is not created. */
    ck_assert_int_eq(unlink(target), 0);
    ck_assert_int_eq(
        pktd_writer_open_path(&w, link, PKTD_FORMAT_PCAP, 1, 0, PKTD_WRITER_NOFOLLOW, NULL),
        -ELOOP);
    ck_assert_int_eq(lstat(target, &st), -1);
    ck_assert_int_eq(errno, ENOENT);

    /* Without the flag the link is followed (the default, as open(2)). */
    ck_assert_int_eq(pktd_writer_open_path(&w, link, PKTD_FORMAT_PCAP, 1, 0, 0, NULL), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_uint_eq((uint64_t)st.st_size, 24); /* the pcap file header */

    /* A regular file is written with the flag as without it; open_fd
     * ignores it. */
    ck_assert_int_eq(
        pktd_writer_open_path(&w, target, PKTD_FORMAT_PCAP, 1, 0, PKTD_WRITER_NOFOLLOW, NULL), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    int fd = open(target, O_WRONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(
        pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAP, 1, 0, PKTD_WRITER_NOFOLLOW, NULL), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    close(fd);
    unlink(link);
    unlink(target);
}
END_TEST

START_TEST(test_writer_write_errors)
{
    pktd_writer *w;
    /* /dev/full: the file header already fails with ENOSPC. */
    ck_assert_int_eq(pktd_writer_open_path(&w, "/dev/full", PKTD_FORMAT_PCAPNG, 1, 0, 0, NULL),
                     -ENOSPC);
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAP, 1, 0, 0, NULL), -EBADF);
    close(fd);

    /* A pipe whose reader leaves: EPIPE, sticky, reported again by close. */
    signal(SIGPIPE, SIG_IGN);
    for (uint32_t format = PKTD_FORMAT_PCAP; format <= PKTD_FORMAT_PCAPNG; format++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        ck_assert_int_eq(pktd_writer_open_fd(&w, fds[1], format, 1, 0, 0, NULL), 0);
        close(fds[0]);
        uint8_t pkt[1000] = {0};
        int rc = 0, i;
        for (i = 0; i < 1000 && rc == 0; i++)
            rc = pktd_writer_write(w, pkt, sizeof pkt, sizeof pkt, 1);
        ck_assert_int_eq(rc, -EPIPE);
        ck_assert_int_lt(i, 100); /* the 64 KiB buffer filled and failed */
        ck_assert_ptr_nonnull(strstr(pktd_writer_errmsg(w), "Broken pipe"));
        ck_assert_int_eq(pktd_writer_write(w, pkt, 1, 1, 1), -EPIPE);
        ck_assert_int_eq(pktd_writer_flush(w), -EPIPE);
        ck_assert_int_eq(pktd_writer_stats(w, stats_full, 5, 1), -EPIPE);
        ck_assert_int_eq(pktd_writer_close(w), -EPIPE);
        close(fds[1]);
    }
    /* A failed final write is reported by close. */
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_eq(pktd_writer_open_fd(&w, fds[1], PKTD_FORMAT_PCAP, 1, 0, 0, NULL), 0);
    ck_assert_int_eq(pktd_writer_write(w, (const uint8_t *)"x", 1, 1, 1), 0);
    close(fds[0]);
    ck_assert_int_eq(pktd_writer_close(w), -EPIPE);
    close(fds[1]);
}
END_TEST

/* Writer and reader on the two ends of a pipe, in two processes. */
START_TEST(test_writer_pipe_to_reader)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        pktd_writer *w;
        if (pktd_writer_open_fd(&w, fds[1], PKTD_FORMAT_PCAPNG, 1, 0, PKTD_WRITER_NANO, NULL) != 0)
            _exit(2);
        uint8_t pkt[1500];
        for (unsigned i = 0; i < 2000; i++) {
            memset(pkt, (int)i, sizeof pkt);
            if (pktd_writer_write(w, pkt, 100 + i % 1400, 1500, 1000000000ull + i) != 0)
                _exit(3);
        }
        if (pktd_writer_stats(w, (const uint64_t[]){2000, 0, 2000}, 3, 0) != 0)
            _exit(4);
        _exit(pktd_writer_close(w) == 0 ? 0 : 5);
    }
    close(fds[1]);
    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_fd(&r, fds[0], NULL), 0);
    const uint8_t *d;
    size_t cap;
    unsigned n = 0;
    int rc;
    while ((rc = pktd_reader_next(r, &d, &cap)) == 1) {
        ck_assert_uint_eq(cap, 100 + n % 1400);
        ck_assert_uint_eq(pktd_reader_ts_ns(r), 1000000000ull + n);
        ck_assert_uint_eq(d[0], (uint8_t)n);
        ck_assert_uint_eq(d[cap - 1], (uint8_t)n);
        n++;
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(n, 2000);
    pktd_reader_close(r);
    close(fds[0]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

/* ---------------------------------------------- chunks (1.1) --- */

/* Splits an image into record-aligned chunks of about chunk_bytes with
 * pktd_reader_skip(), builds each chunk as pktd_reader_header_ranges() says
 * (those ranges, then the chunk's bytes) and checks that the chunks read,
 * one after the other, to exactly the whole image's packets and end. */
static void check_chunks(const uint8_t *img, size_t len, uint64_t chunk_bytes, const char *what)
{
    struct result whole;
    read_image(img, len, M_MEM, &whole);
    ck_assert_int_eq(whole.open_rc, 0);

    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_mem(&r, img, len, NULL), 0);
    size_t k = 0; /* packets of the whole image matched so far */
    int rc;
    do {
        uint64_t start = pktd_reader_position(r);
        uint32_t nr = pktd_reader_header_ranges(r, NULL, NULL, 0);
        ck_assert_uint_ge(nr, 1);
        uint64_t *offs = calloc(nr, sizeof *offs);
        size_t *lens = calloc(nr, sizeof *lens);
        ck_assert(offs != NULL && lens != NULL);
        ck_assert_uint_eq(pktd_reader_header_ranges(r, offs, lens, nr), nr);
        uint64_t skipped = 99;
        rc = pktd_reader_skip(r, start + chunk_bytes, &skipped);
        uint64_t end = pktd_reader_position(r);
        ck_assert_uint_ge(end, start);
        if (rc == 1)
            ck_assert_uint_ge(end, start + chunk_bytes);
        /* the chunk image: the header ranges, then [start, end) */
        size_t clen = (size_t)(end - start);
        for (uint32_t i = 0; i < nr; i++) {
            ck_assert_uint_le(offs[i] + lens[i], start);
            clen += lens[i];
        }
        uint8_t *chunk = malloc(clen ? clen : 1), *q = chunk;
        ck_assert_ptr_nonnull(chunk);
        for (uint32_t i = 0; i < nr; i++) {
            memcpy(q, img + offs[i], lens[i]);
            q += lens[i];
        }
        memcpy(q, img + start, (size_t)(end - start));
        struct result part;
        read_image(chunk, clen, M_MEM, &part);
        ck_assert_msg(part.open_rc == 0, "%s: chunk at %llu: %s", what, (unsigned long long)start,
                      part.errmsg);
        if (rc >= 0) /* a failing record is not in the chunk */
            ck_assert_msg(part.end_rc == 0, "%s: chunk at %llu: %s", what,
                          (unsigned long long)start, part.errmsg);
        ck_assert_uint_eq(part.n, skipped);
        ck_assert_uint_le(k + part.n, whole.n);
        for (size_t i = 0; i < part.n; i++) {
            const struct rec *x = &part.v[i], *y = &whole.v[k + i];
            ck_assert_msg(x->ts == y->ts && x->wire == y->wire && x->lt == y->lt &&
                              x->iface == y->iface && x->snap == y->snap && x->cap == y->cap &&
                              memcmp(x->data, y->data, x->cap) == 0,
                          "%s (chunks of %llu): packet %zu differs", what,
                          (unsigned long long)chunk_bytes, k + i + 1);
        }
        k += part.n;
        result_free(&part);
        free(chunk);
        free(offs);
        free(lens);
    } while (rc == 1);
    /* The skips end as the reads do: the same count, code and message. */
    ck_assert_msg(k == whole.n, "%s: %zu of %zu packets in the chunks", what, k, whole.n);
    ck_assert_int_eq(rc, whole.end_rc);
    ck_assert_str_eq(pktd_reader_errmsg(r), whole.errmsg);
    /* Errors and the end stay: a further skip says the same. */
    uint64_t more = 7;
    ck_assert_int_eq(pktd_reader_skip(r, UINT64_MAX, &more), rc);
    ck_assert_uint_eq(more, 0);
    pktd_reader_close(r);

    /* Skipping to the end counts the packets. */
    ck_assert_int_eq(pktd_reader_open_mem(&r, img, len, NULL), 0);
    uint64_t count = 0;
    ck_assert_int_eq(pktd_reader_skip(r, UINT64_MAX, &count), whole.end_rc);
    ck_assert_uint_eq(count, whole.n);
    pktd_reader_close(r);
    result_free(&whole);
}

START_TEST(test_chunks_built)
{
    static const uint64_t sizes[] = {1, 13, 64, 100, 200, 1000, 100000};
    for (int be = 0; be <= 1; be++) {
        struct bb b;
        build_pcapng(&b, be);
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            check_chunks(b.p, b.n, sizes[i], be ? "pcapng be" : "pcapng le");
        bb_free(&b);
        for (int nano = 0; nano <= 1; nano++) {
            build_pcap(&b, be, nano);
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
                check_chunks(b.p, b.n, sizes[i], "pcap");
            /* cut inside the last record: the chunks end in its error */
            b.n -= 10;
            for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
                check_chunks(b.p, b.n, sizes[i], "truncated pcap");
            bb_free(&b);
        }
    }
}
END_TEST

/* The position starts after the file header; the header ranges follow the
 * sections and interfaces; bad arguments. */
START_TEST(test_chunk_ranges)
{
    struct bb b;
    build_pcapng(&b, 0);
    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_mem(&r, b.p, b.n, NULL), 0);
    uint64_t shb_len = pktd_reader_position(r);
    ck_assert_uint_gt(shb_len, 0);
    uint64_t off[4];
    size_t len[4];
    ck_assert_uint_eq(pktd_reader_header_ranges(r, off, len, 4), 1); /* no interface yet */
    ck_assert_uint_eq(off[0], 0);
    ck_assert_uint_eq(len[0], shb_len);
    uint64_t n = 9;
    ck_assert_int_eq(pktd_reader_skip(r, shb_len + 1, &n), 1); /* the 3 IDBs, then one packet */
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(pktd_reader_header_ranges(r, off, len, 2), 4); /* SHB + 3 IDBs */
    ck_assert_uint_eq(pktd_reader_header_ranges(r, off, len, 4), 4);
    ck_assert_uint_eq(off[1], shb_len);
    ck_assert(off[1] < off[2] && off[2] < off[3]);
    /* a position already past the offset skips nothing */
    ck_assert_int_eq(pktd_reader_skip(r, 1, &n), 1);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(pktd_reader_skip(r, UINT64_MAX, &n), 0);
    ck_assert_uint_eq(n, 7);
    /* the last section: its own SHB and one interface */
    ck_assert_uint_eq(pktd_reader_header_ranges(r, off, len, 4), 2);
    ck_assert_uint_gt(off[0], shb_len);
    ck_assert_uint_eq(pktd_reader_position(r), b.n);
    pktd_reader_close(r);
    bb_free(&b);

    build_pcap(&b, 1, 0);
    ck_assert_int_eq(pktd_reader_open_mem(&r, b.p, b.n, NULL), 0);
    ck_assert_uint_eq(pktd_reader_position(r), 24);
    ck_assert_uint_eq(pktd_reader_header_ranges(r, off, len, 4), 1);
    ck_assert_uint_eq(off[0], 0);
    ck_assert_uint_eq(len[0], 24);
    ck_assert_uint_eq(pktd_reader_header_ranges(r, NULL, NULL, 0), 1);
    pktd_reader_close(r);
    bb_free(&b);

    ck_assert_int_eq(pktd_reader_skip(NULL, 1, &n), PKTD_E_INVALID_ARGUMENT);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(pktd_reader_position(NULL), 0);
    ck_assert_uint_eq(pktd_reader_header_ranges(NULL, off, len, 4), 0);
}
END_TEST

/* Every capture of the corpus, in chunks of one record each and of 4 KiB. */
START_TEST(test_chunks_corpus)
{
    set_corpus_dir();
    DIR *dir = opendir(corpus_dir);
    ck_assert_msg(dir != NULL, "%s: %s", corpus_dir, strerror(errno));
    struct dirent *de;
    size_t files = 0;
    while ((de = readdir(dir)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (!(nl > 5 && strcmp(de->d_name + nl - 5, ".pcap") == 0) &&
            !(nl > 7 && strcmp(de->d_name + nl - 7, ".pcapng") == 0))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, de->d_name);
        size_t len;
        uint8_t *img = load(path, &len);
        check_chunks(img, len, 1, de->d_name);
        check_chunks(img, len, 4096, de->d_name);
        free(img);
        files++;
    }
    closedir(dir);
    ck_assert_uint_ge(files, 800);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("file");
    TCase *tr = tcase_create("reader");
    tcase_add_test(tr, test_pcap_variants);
    tcase_add_test(tr, test_pcap_versions);
    tcase_add_test(tr, test_pcapng_sections);
    tcase_add_test(tr, test_pcapng_timestamps);
    tcase_add_test(tr, test_pcapng_bad_tsresol);
    tcase_add_test(tr, test_bad_magic);
    tcase_add_test(tr, test_bad_arguments);
    tcase_add_test(tr, test_open_messages);
    tcase_add_test(tr, test_mapped_fifo);
    tcase_add_test(tr, test_mapped_snapshot);
    tcase_add_test(tr, test_pcap_absurd_caplen);
    tcase_add_test(tr, test_pcapng_hostile);
    tcase_add_test(tr, test_pcapng_bad_first_block);
    tcase_add_test(tr, test_pcapng_interface_limit);
    tcase_add_test(tr, test_large_record_pipe);
    tcase_add_test(tr, test_nonblocking_eagain);
    tcase_add_test(tr, test_chunks_built);
    tcase_add_test(tr, test_chunk_ranges);
    suite_add_tcase(s, tr);
    TCase *tt = tcase_create("truncation");
    tcase_add_test(tt, test_truncation_pcap);
    tcase_add_test(tt, test_truncation_pcapng);
    tcase_add_test(tt, test_mutations);
    suite_add_tcase(s, tt);
    TCase *tc = tcase_create("corpus");
    tcase_add_test(tc, test_corpus_all_modes);
    tcase_add_test(tc, test_corpus_known_files);
    tcase_add_test(tc, test_chunks_corpus);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("writer");
    tcase_add_test(tw, test_writer_round_trip);
    tcase_add_test(tw, test_writer_pcap_bytes);
    tcase_add_test(tw, test_writer_pcapng_blocks);
    tcase_add_test(tw, test_writer_arguments);
    tcase_add_test(tw, test_writer_if_name);
    tcase_add_test(tw, test_writer_file_mode);
    tcase_add_test(tw, test_writer_nofollow);
    tcase_add_test(tw, test_writer_write_errors);
    tcase_add_test(tw, test_writer_pipe_to_reader);
    suite_add_tcase(s, tw);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
