/* Fault tests for capture files: real captures (tcpdump's test suite, the
 * sample, and files the writer makes) cut at every byte, with absurd
 * lengths patched into every record in turn, and with unknown blocks
 * inserted between every pair of pcapng blocks.
 *
 * The oracle is the reader's own full read of the intact file plus an
 * independent walk of the record boundaries: a prefix must give exactly
 * the packets that end inside it, identical to the full read, then a clean
 * end at a boundary and PKTD_E_TRUNCATED anywhere else; a patched length
 * must give the packets before it intact and then the documented error;
 * an inserted unknown block must change nothing.  Every image is read
 * from an exact-size copy (so ASan or valgrind sees any over-read) and
 * through a descriptor. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pktdecode.h>

#define MAX_PKTS 4096
#define MAX_BOUNDS 8192

struct image {
    uint8_t *p;
    size_t n;
};

struct pkt {
    uint64_t offset, ts, sum;
    size_t cap;
    uint32_t wire, linktype, iface;
};

struct result {
    int open_rc, end_rc;
    size_t n;
    struct pkt v[MAX_PKTS];
};

enum mode { M_MEM, M_FD };

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s != NULL ? s : ".";
}

static struct image load(const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", srcdir(), rel);
    struct image im = {NULL, 0};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
    struct stat st;
    ck_assert_int_eq(fstat(fd, &st), 0);
    im.n = (size_t)st.st_size;
    im.p = malloc(im.n);
    ck_assert_ptr_nonnull(im.p);
    ck_assert_int_eq(read(fd, im.p, im.n), (ssize_t)im.n);
    close(fd);
    return im;
}

/* FNV-1a over the packet bytes: enough to compare packets between reads. */
static uint64_t fnv(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* Reads @p len bytes of @p img: from an exact-size heap copy, or through a
 * memfd holding just those bytes. */
static void read_image(const uint8_t *img, size_t len, enum mode m, struct result *res)
{
    memset(res, 0, sizeof *res);
    uint8_t *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    memcpy(copy, img, len);
    int fd = -1;
    pktd_reader *r = NULL;
    if (m == M_MEM) {
        res->open_rc = pktd_reader_open_mem(&r, copy, len, NULL);
    } else {
        fd = memfd_create("fault", MFD_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, img, len), (ssize_t)len);
        ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
        res->open_rc = pktd_reader_open_fd(&r, fd, NULL);
    }
    ck_assert_int_eq(res->open_rc == 0, r != NULL);
    if (r != NULL) {
        const uint8_t *d;
        size_t c;
        int rc;
        while ((rc = pktd_reader_next(r, &d, &c)) == 1) {
            ck_assert_uint_lt(res->n, MAX_PKTS);
            struct pkt *k = &res->v[res->n++];
            k->offset = pktd_reader_offset(r);
            k->ts = pktd_reader_ts_ns(r);
            k->cap = c;
            k->sum = fnv(d, c);
            k->wire = pktd_reader_wire_len(r);
            k->linktype = pktd_reader_linktype(r);
            k->iface = pktd_reader_interface(r);
        }
        res->end_rc = rc;
        if (rc < 0) {
            ck_assert_str_ne(pktd_reader_errmsg(r), "");
            ck_assert_int_eq(pktd_reader_next(r, &d, &c), rc); /* sticky */
        }
        pktd_reader_close(r);
    }
    if (fd >= 0)
        close(fd);
    free(copy);
}

static void assert_same_packets(const struct result *a, const struct result *b, size_t n,
                                const char *what, size_t cut)
{
    for (size_t i = 0; i < n; i++) {
        const struct pkt *x = &a->v[i], *y = &b->v[i];
        ck_assert_msg(x->offset == y->offset && x->ts == y->ts && x->cap == y->cap &&
                          x->sum == y->sum && x->wire == y->wire && x->linktype == y->linktype &&
                          x->iface == y->iface,
                      "%s at %zu: packet %zu differs", what, cut, i);
    }
}

static uint32_t ld32(int be, const uint8_t *p)
{
    return be ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]
              : ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

static void st32(int be, uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
}

static int is_ng(const struct image *im)
{
    return im->n >= 4 && memcmp(im->p, "\x0a\x0d\x0d\x0a", 4) == 0;
}

static int pcap_be(const struct image *im)
{
    return im->p[0] == 0xa1;
}

/* The harness's own walk: every offset at which a record (pcap: the file
 * header, then each record; pcapng: each block) ends, with each block's
 * start and section byte order.  Returns the count. */
struct bound {
    size_t start, end;
    int be;
    uint32_t type;
};

static size_t walk(const struct image *im, struct bound *b)
{
    size_t n = 0, off = 0;
    if (!is_ng(im)) {
        int be = pcap_be(im);
        b[n++] = (struct bound){0, 24, be, 0};
        for (off = 24; off + 16 <= im->n;) {
            size_t end = off + 16 + ld32(be, im->p + off + 8);
            ck_assert_uint_le(end, im->n);
            b[n++] = (struct bound){off, end, be, 1};
            off = end;
        }
    } else {
        int be = 0;
        while (off + 12 <= im->n) {
            if (memcmp(im->p + off, "\x0a\x0d\x0d\x0a", 4) == 0)
                be = im->p[off + 8] == 0x1a;
            uint32_t type = ld32(be, im->p + off), len = ld32(be, im->p + off + 4);
            ck_assert_uint_ge(len, 12);
            ck_assert_uint_le(off + len, im->n);
            ck_assert_uint_lt(n, MAX_BOUNDS);
            b[n++] = (struct bound){off, off + len, be, type};
            off += len;
        }
    }
    ck_assert_uint_eq(off, im->n);
    return n;
}

static struct bound bounds[MAX_BOUNDS];
static struct result full, part, other;

/* ------------------------------------------------------ cut at every byte */

static void cut_everywhere(const struct image *im, const char *name)
{
    read_image(im->p, im->n, M_MEM, &full);
    ck_assert_msg(full.open_rc == 0 && full.end_rc == 0, "%s: intact file: %d/%d", name,
                  full.open_rc, full.end_rc);
    ck_assert_uint_gt(full.n, 0);
    size_t nb = walk(im, bounds);
    /* Packet i ends where the record that starts at its offset ends. */
    static size_t pkt_end[MAX_PKTS];
    for (size_t i = 0, j = 0; i < full.n; i++) {
        while (j < nb && bounds[j].start != full.v[i].offset)
            j++;
        ck_assert_msg(j < nb, "%s: packet %zu at %llu is not at a record start", name, i,
                      (unsigned long long)full.v[i].offset);
        pkt_end[i] = bounds[j].end;
    }
    size_t header_end = bounds[0].end;
    for (size_t cut = 0; cut <= im->n; cut++) {
        read_image(im->p, cut, M_MEM, &part);
        if (cut < header_end) {
            /* No complete file header: nothing opens. */
            ck_assert_msg(part.open_rc == PKTD_E_TRUNCATED || part.open_rc == PKTD_E_BAD_FILE,
                          "%s cut at %zu: open %d", name, cut, part.open_rc);
            ck_assert_int_eq(part.open_rc == PKTD_E_BAD_FILE, cut == 0);
        } else {
            size_t want = 0, at_bound = 0;
            while (want < full.n && pkt_end[want] <= cut)
                want++;
            for (size_t j = 0; j < nb; j++)
                at_bound |= bounds[j].end == cut;
            ck_assert_msg(part.open_rc == 0, "%s cut at %zu: open %d", name, cut, part.open_rc);
            ck_assert_msg(part.n == want, "%s cut at %zu: %zu packets, want %zu", name, cut,
                          part.n, want);
            ck_assert_msg(part.end_rc == (at_bound ? 0 : PKTD_E_TRUNCATED),
                          "%s cut at %zu: end %d", name, cut, part.end_rc);
            assert_same_packets(&part, &full, want, name, cut);
        }
        /* The descriptor path: every byte for small files, else every 3rd. */
        if (im->n <= 4096 || cut % 3 == 0) {
            read_image(im->p, cut, M_FD, &other);
            ck_assert_int_eq(other.open_rc, part.open_rc);
            ck_assert_int_eq(other.end_rc, part.end_rc);
            ck_assert_uint_eq(other.n, part.n);
            assert_same_packets(&other, &part, part.n, name, cut);
        }
    }
}

/* Real captures of each kind: pcap little- and big-endian, micro- and
 * nanoseconds, several link types; pcapng with statistics blocks. */
static const char *const real_files[] = {
    "tests/data/sample.pcap",                       /* LE µs Ethernet, every layer */
    "tests/corpus/tcpdump/pptp.pcap",               /* big-endian */
    "tests/corpus/tcpdump/isup.pcap",               /* big-endian */
    "tests/corpus/tcpdump/tcp-handshake-nano.pcap", /* nanosecond magic */
    "tests/corpus/tcpdump/dhcp-option-108.pcapng",  /* with an interface statistics block */
    "tests/corpus/tcpdump/vsock-1.pcapng",          /* statistics block, other link type */
    "tests/corpus/tcpdump/nhrp.pcapng",
};

START_TEST(test_cut_real_files)
{
    struct image im = load(real_files[_i]);
    cut_everywhere(&im, real_files[_i]);
    free(im.p);
}
END_TEST

/* Two pcapng files back to back are one file with two sections; the
 * second section must forget the first one's interfaces. */
START_TEST(test_cut_two_sections)
{
    struct image a = load("tests/corpus/tcpdump/vsock-1.pcapng");
    struct image b = load("tests/corpus/tcpdump/icmp-length-zero.pcapng");
    struct image im = {malloc(a.n + b.n), a.n + b.n};
    ck_assert_ptr_nonnull(im.p);
    memcpy(im.p, a.p, a.n);
    memcpy(im.p + a.n, b.p, b.n);
    cut_everywhere(&im, "vsock-1 + icmp-length-zero");
    free(a.p);
    free(b.p);
    free(im.p);
}
END_TEST

/* What the writer makes, in both formats and resolutions, statistics
 * blocks included, cut everywhere too. */
START_TEST(test_cut_written_files)
{
    struct image src = load("tests/data/sample.pcap");
    pktd_reader *r;
    ck_assert_int_eq(pktd_reader_open_mem(&r, src.p, src.n, NULL), 0);
    const uint32_t format = _i & 1 ? PKTD_FORMAT_PCAPNG : PKTD_FORMAT_PCAP;
    const uint32_t flags = _i & 2 ? PKTD_WRITER_NANO : 0;
    int fd = memfd_create("written", MFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    pktd_writer *w;
    ck_assert_int_eq(pktd_writer_open_fd(&w, fd, format, pktd_reader_linktype(r), 96, flags, NULL),
                     0);
    const uint8_t *d;
    size_t c;
    uint64_t n = 0;
    while (pktd_reader_next(r, &d, &c) == 1) {
        ck_assert_int_eq(pktd_writer_write(w, d, c, pktd_reader_wire_len(r), pktd_reader_ts_ns(r)),
                         0);
        if (++n % 3 == 0)
            ck_assert_int_eq(pktd_writer_stats(w, (const uint64_t[]){n, 1, n, 0, 0}, 5, 0), 0);
    }
    ck_assert_int_eq(pktd_writer_close(w), 0);
    pktd_reader_close(r);
    struct image im;
    im.n = (size_t)lseek(fd, 0, SEEK_END);
    im.p = malloc(im.n);
    ck_assert_int_eq(pread(fd, im.p, im.n, 0), (ssize_t)im.n);
    close(fd);
    cut_everywhere(&im, "written");
    free(im.p);
    free(src.p);
}
END_TEST

/* --------------------------------------------------------- absurd lengths */

/* Patches one 32-bit field and checks: the packets before the record come
 * through intact, then the reader stops with @p want (or one of the codes
 * in @p alt), and no packet is ever returned past the file's end. */
static void patched(const struct image *im, size_t rec, size_t field_off, int be, uint32_t v,
                    int want, int alt, const char *what)
{
    uint8_t *p = malloc(im->n);
    ck_assert_ptr_nonnull(p);
    memcpy(p, im->p, im->n);
    st32(be, p + field_off, v);
    for (int m = M_MEM; m <= M_FD; m++) {
        read_image(p, im->n, (enum mode)m, &part);
        ck_assert_int_eq(part.open_rc, 0);
        size_t before = 0;
        while (before < full.n && full.v[before].offset < bounds[rec].start)
            before++;
        ck_assert_msg(part.n >= before, "%s: %zu packets before record %zu, got %zu", what,
                      before, rec, part.n);
        assert_same_packets(&part, &full, before, what, rec);
        ck_assert_msg(part.end_rc == want || part.end_rc == alt,
                      "%s (record %zu, value %lu): end %d (%s), want %d", what, rec,
                      (unsigned long)v, part.end_rc, pktd_err_name(part.end_rc), want);
    }
    free(p);
}

START_TEST(test_absurd_lengths)
{
    struct image im = load(real_files[_i]);
    read_image(im.p, im.n, M_MEM, &full);
    ck_assert_int_eq(full.end_rc, 0);
    size_t nb = walk(&im, bounds);
    const uint32_t max = PKTD_READER_MAX_RECORD;
    for (size_t j = 1; j < nb; j++) {
        struct bound b = bounds[j];
        if (!is_ng(&im)) {
            /* pcap caplen: above the limit, and within it but past the end. */
            patched(&im, j, b.start + 8, b.be, 0xffffffffu, PKTD_E_TOO_LARGE, 0, "caplen ~0");
            patched(&im, j, b.start + 8, b.be, max + 1, PKTD_E_TOO_LARGE, 0, "caplen max+1");
            patched(&im, j, b.start + 8, b.be, max, PKTD_E_TRUNCATED, 0, "caplen max");
            patched(&im, j, b.start + 8, b.be, (uint32_t)(im.n - b.start), PKTD_E_TRUNCATED, 0,
                    "caplen past the end");
            continue;
        }
        /* pcapng block length: above the limit, below the minimum, not a
         * multiple of 4, past the end, and disagreeing with the trailer. */
        patched(&im, j, b.start + 4, b.be, 0xfffffffcu, PKTD_E_TOO_LARGE, 0, "block len ~3");
        patched(&im, j, b.start + 4, b.be, max + 4, PKTD_E_TOO_LARGE, 0, "block len max+4");
        patched(&im, j, b.start + 4, b.be, 8, PKTD_E_MALFORMED, 0, "block len 8");
        patched(&im, j, b.start + 4, b.be, (uint32_t)(b.end - b.start) + 1, PKTD_E_MALFORMED, 0,
                "block len +1");
        patched(&im, j, b.start + 4, b.be, (uint32_t)(im.n - b.start) + 4, PKTD_E_TRUNCATED,
                PKTD_E_MALFORMED, "block len past the end");
        patched(&im, j, b.end - 4, b.be, (uint32_t)(b.end - b.start) + 4, PKTD_E_MALFORMED, 0,
                "trailer");
        if (b.type == 6) {
            /* An enhanced packet block's caplen beyond its body. */
            patched(&im, j, b.start + 20, b.be, 0xffffffffu, PKTD_E_MALFORMED, 0, "EPB caplen ~0");
            patched(&im, j, b.start + 20, b.be, (uint32_t)(b.end - b.start) - 31, PKTD_E_MALFORMED,
                    0, "EPB caplen +1");
            patched(&im, j, b.start + 8, b.be, 0xffffffffu, PKTD_E_MALFORMED, 0, "EPB interface");
        }
    }
    free(im.p);
}
END_TEST

/* ---------------------------------------------------- unknown block types */

START_TEST(test_unknown_blocks)
{
    /* Block types a reader of packets has no use for: custom blocks (both
     * copy flags), name resolution, statistics, decryption secrets, the
     * systemd journal, and numbers nobody assigned. */
    static const uint32_t types[] = {0x00000BADu, 0x40000BADu, 4, 5, 0xA, 9,
                                     0x12345678u, 0x7fffffffu, 0x80000001u};
    const char *files[] = {"tests/corpus/tcpdump/dhcp-option-108.pcapng",
                           "tests/corpus/tcpdump/nhrp.pcapng"};
    for (size_t f = 0; f < 2; f++) {
        struct image im = load(files[f]);
        read_image(im.p, im.n, M_MEM, &full);
        ck_assert_int_eq(full.end_rc, 0);
        size_t nb = walk(&im, bounds);
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
            for (size_t bodylen = 0; bodylen <= 20; bodylen += 20) {
                /* After every block but none before the section header. */
                for (size_t j = 0; j < nb; j++) {
                    size_t at = bounds[j].end, blen = 12 + bodylen;
                    struct image x = {malloc(im.n + blen), im.n + blen};
                    ck_assert_ptr_nonnull(x.p);
                    memcpy(x.p, im.p, at);
                    uint8_t *b = x.p + at;
                    st32(bounds[j].be, b, types[t]);
                    st32(bounds[j].be, b + 4, (uint32_t)blen);
                    memset(b + 8, 0x5a, bodylen);
                    st32(bounds[j].be, b + 8, 32473); /* a PEN, for the custom blocks */
                    st32(bounds[j].be, b + blen - 4, (uint32_t)blen);
                    memcpy(x.p + at + blen, im.p + at, im.n - at);
                    for (int m = M_MEM; m <= M_FD; m++) {
                        read_image(x.p, x.n, (enum mode)m, &part);
                        ck_assert_msg(part.open_rc == 0 && part.end_rc == 0,
                                      "type %#lx after block %zu: %d/%d",
                                      (unsigned long)types[t], j, part.open_rc, part.end_rc);
                        ck_assert_uint_eq(part.n, full.n);
                        for (size_t i = 0; i < full.n; i++) {
                            /* Same packets; offsets after the insertion move. */
                            struct pkt k = part.v[i];
                            if (k.offset > at)
                                k.offset -= blen;
                            ck_assert(k.offset == full.v[i].offset && k.sum == full.v[i].sum &&
                                      k.cap == full.v[i].cap && k.ts == full.v[i].ts &&
                                      k.iface == full.v[i].iface);
                        }
                    }
                    free(x.p);
                }
            }
        }
        /* An unknown block whose length is absurd is still refused. */
        size_t at = bounds[0].end;
        struct image x = {malloc(im.n + 12), im.n + 12};
        memcpy(x.p, im.p, at);
        st32(0, x.p + at, 0x12345678u);
        st32(0, x.p + at + 4, 0xfffffff0u);
        st32(0, x.p + at + 8, 12);
        memcpy(x.p + at + 12, im.p + at, im.n - at);
        read_image(x.p, x.n, M_MEM, &part);
        ck_assert_int_eq(part.end_rc, PKTD_E_TOO_LARGE);
        ck_assert_uint_eq(part.n, 0);
        free(x.p);
        free(im.p);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("file faults");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_cut_real_files, 0, sizeof real_files / sizeof real_files[0]);
    tcase_add_test(tc, test_cut_two_sections);
    tcase_add_loop_test(tc, test_cut_written_files, 0, 4);
    tcase_add_loop_test(tc, test_absurd_lengths, 0, sizeof real_files / sizeof real_files[0]);
    tcase_add_test(tc, test_unknown_blocks);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
