/* pktd_batch_capture(): rows from a live capture on the loopback interface of
 * a private network namespace (unshare(CLONE_NEWNET): no other traffic).
 * Ten UDP datagrams of known lengths must come back as ten rows, in order,
 * at most the capacity per call, with the columns the datagrams imply.
 * Needs root; exits 77 otherwise. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pktdecode.h>

#define PORT 5555u
#define SENT 10u
#define CAP 4u

static void lo_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    ck_assert_int_eq(ioctl(s, SIOCGIFFLAGS, &ifr), 0);
    ifr.ifr_flags |= IFF_UP;
    ck_assert_int_eq(ioctl(s, SIOCSIFFLAGS, &ifr), 0);
    close(s);
}

START_TEST(test_capture_rows)
{
    lo_up();
    /* A receiver, so that the kernel sends no port-unreachable. */
    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(PORT)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(rx, (struct sockaddr *)&a, sizeof a), 0);

    pktd_capture *c;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_capture_create(&c, "lo", err), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 200), 0);
    int rc = pktd_capture_activate(c);
    ck_assert_msg(rc == 0, "activate: %d %s", rc, pktd_capture_errmsg(c));

    int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    uint8_t payload[64];
    memset(payload, 'x', sizeof payload);
    for (uint32_t i = 0; i < SENT; i++)
        ck_assert_int_eq(sendto(tx, payload, 10 + i, 0, (struct sockaddr *)&a, sizeof a), (ssize_t)(10 + i));

    static const uint32_t sel[] = {PKTD_FIELD_IPV4_SRC, PKTD_FIELD_IPV4_DST, PKTD_FIELD_IPV4_PROTO,
                                   PKTD_FIELD_UDP_DPORT, PKTD_FIELD_UDP_LEN, PKTD_FIELD_ERROR_REASON};
    enum { SRC, DST, PROTO, DPORT, ULEN, REASON, N };
    uint32_t col[N][CAP], *cols[N];
    for (int k = 0; k < N; k++)
        cols[k] = col[k];
    uint64_t ts[CAP];
    uint32_t caplen[CAP], wire[CAP], lt[CAP], iface[CAP];
    int32_t status[CAP];
    pktd_batch *b;
    ck_assert_int_eq(pktd_batch_create(&b, CAP, sel, N, cols, err), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_TS_NS, ts), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_CAPLEN, caplen), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_WIRE_LEN, wire), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_LINKTYPE, lt), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_INTERFACE, iface), 0);
    ck_assert_int_eq(pktd_batch_bind(b, PKTD_BATCH_STATUS, status), 0);

    uint32_t seen = 0, lo = if_nametoindex("lo");
    for (int tries = 0; seen < SENT && tries < 50; tries++) {
        uint32_t rows = 99;
        ck_assert_int_eq(pktd_batch_capture(b, c, 0, &rows), 0);
        ck_assert_uint_le(rows, CAP);
        for (uint32_t r = 0; r < rows; r++, seen++) {
            ck_assert_uint_lt(seen, SENT);
            uint32_t len = 10 + seen;
            ck_assert_int_eq(status[r], 0);
            ck_assert_uint_eq(lt[r], PKTD_LINKTYPE_ETHERNET);
            ck_assert_uint_eq(iface[r], lo);
            ck_assert_uint_eq(caplen[r], 14 + 20 + 8 + len);
            ck_assert_uint_eq(wire[r], 14 + 20 + 8 + len);
            ck_assert_uint_gt(ts[r], 0);
            ck_assert_uint_eq(col[SRC][r], INADDR_LOOPBACK);
            ck_assert_uint_eq(col[DST][r], INADDR_LOOPBACK);
            ck_assert_uint_eq(col[PROTO][r], 17);
            ck_assert_uint_eq(col[DPORT][r], PORT);
            ck_assert_uint_eq(col[ULEN][r], 8 + len);
            ck_assert_uint_eq(col[REASON][r], 0);
        }
    }
    ck_assert_uint_eq(seen, SENT);
    /* max_rows below the capacity is honoured. */
    ck_assert_int_eq(sendto(tx, payload, 10, 0, (struct sockaddr *)&a, sizeof a), 10);
    ck_assert_int_eq(sendto(tx, payload, 11, 0, (struct sockaddr *)&a, sizeof a), 11);
    uint32_t rows = 99;
    ck_assert_int_eq(pktd_batch_capture(b, c, 1, &rows), 0);
    ck_assert_uint_eq(rows, 1);
    ck_assert_uint_eq(col[ULEN][0], 18);
    pktd_batch_close(b);
    pktd_capture_close(c);
    close(tx);
    close(rx);
}
END_TEST

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: needs root (a private network namespace and CAP_NET_RAW)\n");
        return 77;
    }
    if (unshare(CLONE_NEWNET) != 0) {
        printf("SKIP: unshare(CLONE_NEWNET) failed: %s\n", strerror(errno));
        return 77;
    }
    Suite *s = suite_create("batch_capture");
    TCase *tc = tcase_create("batch_capture");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_capture_rows);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
