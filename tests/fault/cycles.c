/* 10 000 open/close cycles of every capture-file handle (reader from
 * memory, from a descriptor, from a path; writer to a path and to a
 * descriptor, pcap and pcapng), plus failed opens, with no descriptor and
 * no memory left behind.  The live-capture and AF_ALG handles have the
 * same test in capture_faults.c and alg_faults.c (they need root or the
 * VM). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

#include "resources.h"

#define CYCLES 10000
#define WARMUP 100

/* tmpfs when there is one: 10 000 file creations are about the library,
 * not the disk. */
static char dir[64];
static char good[4200], bad[4200], out[4200];
static uint8_t image[2048];
static size_t image_len;

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/pktd-cycles-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(good, sizeof good, "%s/good.pcap", dir);
    snprintf(bad, sizeof bad, "%s/bad.pcap", dir);
    snprintf(out, sizeof out, "%s/out.pcapng", dir);
    /* A small capture made by the writer, and a file that is not one. */
    pktd_writer *w;
    ck_assert_int_eq(pktd_writer_open_path(&w, good, PKTD_FORMAT_PCAP, 1, 0, 0, NULL), 0);
    static const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 8, 6};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(pktd_writer_write(w, frame, sizeof frame, 60, 1000u * (unsigned)i), 0);
    ck_assert_int_eq(pktd_writer_close(w), 0);
    int fd = open(good, O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ssize_t n = read(fd, image, sizeof image);
    ck_assert_int_gt(n, 0);
    image_len = (size_t)n;
    close(fd);
    fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ck_assert_int_eq(write(fd, "GIF89a, not a capture", 21), 21);
    close(fd);
}

static void teardown(void)
{
    unlink(good);
    unlink(bad);
    unlink(out);
    rmdir(dir);
}

/* Reads every packet: a cycle exercises the whole handle, not just open. */
static void drain(pktd_reader *r)
{
    const uint8_t *d;
    size_t c;
    int n = 0, rc;
    while ((rc = pktd_reader_next(r, &d, &c)) == 1)
        n++;
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(n, 3);
}

enum kind {
    READER_MEM,
    READER_FD,
    READER_PATH,
    READER_PATH_BAD,
    READER_PATH_MISSING,
    WRITER_PATH_PCAP,
    WRITER_PATH_PCAPNG,
    WRITER_FD,
    KINDS
};

static const char *const kind_name[KINDS] = {
    "reader from memory", "reader from a descriptor", "reader from a path",
    "reader of a non-capture (open fails)", "reader of a missing file (open fails)",
    "pcap writer to a path", "pcapng writer to a path", "writer to a descriptor"};

static void cycle(enum kind k)
{
    pktd_reader *r = NULL;
    pktd_writer *w = NULL;
    static const uint8_t pkt[40] = {0x45};
    int fd;
    switch (k) {
    case READER_MEM:
        ck_assert_int_eq(pktd_reader_open_mem(&r, image, image_len, NULL), 0);
        drain(r);
        pktd_reader_close(r);
        break;
    case READER_FD:
        fd = open(good, O_RDONLY | O_CLOEXEC);
        ck_assert_int_eq(pktd_reader_open_fd(&r, fd, NULL), 0);
        drain(r);
        pktd_reader_close(r);
        close(fd); /* the reader does not own it */
        break;
    case READER_PATH:
        ck_assert_int_eq(pktd_reader_open_path(&r, good, NULL), 0);
        drain(r);
        pktd_reader_close(r);
        break;
    case READER_PATH_BAD:
        ck_assert_int_eq(pktd_reader_open_path(&r, bad, NULL), PKTD_E_BAD_FILE);
        ck_assert_ptr_null(r);
        break;
    case READER_PATH_MISSING:
        ck_assert_int_eq(pktd_reader_open_path(&r, "/nonexistent/x.pcap", NULL), -ENOENT);
        break;
    case WRITER_PATH_PCAP:
    case WRITER_PATH_PCAPNG:
        ck_assert_int_eq(pktd_writer_open_path(
                             &w, out, k == WRITER_PATH_PCAP ? PKTD_FORMAT_PCAP : PKTD_FORMAT_PCAPNG,
                             101, 0, PKTD_WRITER_NANO, NULL),
                         0);
        ck_assert_int_eq(pktd_writer_write(w, pkt, sizeof pkt, 40, 1), 0);
        ck_assert_int_eq(pktd_writer_close(w), 0);
        break;
    default:
        fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_eq(pktd_writer_open_fd(&w, fd, PKTD_FORMAT_PCAPNG, 1, 128, 0, NULL), 0);
        ck_assert_int_eq(pktd_writer_write(w, pkt, sizeof pkt, 40, 1), 0);
        ck_assert_int_eq(pktd_writer_stats(w, (const uint64_t[]){1, 0, 1}, 3, 0), 0);
        ck_assert_int_eq(pktd_writer_close(w), 0);
        close(fd);
        break;
    }
}

START_TEST(test_cycles)
{
    enum kind k = (enum kind)_i;
    for (int i = 0; i < WARMUP; i++)
        cycle(k);
    struct resources before = resources_now();
    for (int i = 0; i < CYCLES; i++)
        cycle(k);
    struct resources after = resources_now();
    /* 10 000 cycles: a leak of one byte per cycle would show as 10 KB. */
    const char *grew = resources_grew(&before, &after, 4096);
    ck_assert_msg(grew == NULL, "%s, %d cycles: %s", kind_name[k], CYCLES, grew);
    printf("%s: %d cycles, descriptors %ld -> %ld, heap %ld -> %ld, resident %ld -> %ld KiB\n",
           kind_name[k], CYCLES, before.fds, after.fds, before.heap, after.heap, before.rss_kib,
           after.rss_kib);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("open/close cycles");
    TCase *tc = tcase_create("files");
    tcase_set_timeout(tc, 900);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_cycles, 0, KINDS);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
