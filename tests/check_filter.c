/* Filter expressions on frames in memory (filter.h). */
#include "config.h"

#include <check.h>
#include <string.h>

#include <pktdecode.h>

/* A raw IPv4 TCP segment 10.0.0.1:port -> 10.0.0.2:80. */
static size_t tcp4(uint8_t *f, uint16_t sport)
{
    memset(f, 0, 40);
    f[0] = 0x45, f[3] = 40, f[8] = 64, f[9] = 6;
    f[12] = 10, f[15] = 1, f[16] = 10, f[19] = 2;
    f[20] = (uint8_t)(sport >> 8), f[21] = (uint8_t)sport, f[23] = 80;
    f[32] = 0x50, f[33] = 0x10;
    return 40;
}

START_TEST(match)
{
    if (!pktd_capture_expr_available())
        return; /* built without libpcap: the "unsupported" test covers it */
    uint8_t f[14 + 40];
    pktd_filter *flt;
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_filter_create(&flt, "tcp src port 1234 and dst host 10.0.0.2",
                                        PKTD_LINKTYPE_RAW, err), 0);
    size_t n = tcp4(f, 1234);
    ck_assert_int_eq(pktd_filter_match(flt, f, n, n), 1);
    tcp4(f, 1235);
    ck_assert_int_eq(pktd_filter_match(flt, f, n, n), 0);
    ck_assert_int_eq(pktd_filter_match(flt, f, 10, 40), 0); /* the ports were not captured */
    ck_assert_int_eq(pktd_filter_match(NULL, f, n, n), 0);
    pktd_filter_close(flt);
    /* DLT_RAW's numbers written into files as they are (12; 14 on OpenBSD,
     * unknown to libpcap elsewhere): filtered as raw IP too (1.1). */
    static const uint32_t raw_numbers[] = {PKTD_LINKTYPE_DLT_RAW, PKTD_LINKTYPE_DLT_RAW_OPENBSD};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(pktd_filter_create(&flt, "tcp src port 1234", raw_numbers[i], err), 0);
        n = tcp4(f, 1234);
        ck_assert_int_eq(pktd_filter_match(flt, f, n, n), 1);
        tcp4(f, 1235);
        ck_assert_int_eq(pktd_filter_match(flt, f, n, n), 0);
        pktd_filter_close(flt);
    }
    /* Ethernet: the same segment behind an Ethernet header */
    ck_assert_int_eq(pktd_filter_create(&flt, "tcp port 80", PKTD_LINKTYPE_ETHERNET, err), 0);
    memset(f, 0, 14);
    f[12] = 0x08;
    tcp4(f + 14, 999);
    ck_assert_int_eq(pktd_filter_match(flt, f, 54, 54), 1);
    ck_assert_int_eq(pktd_filter_match(flt, f + 14, 40, 40), 0); /* not an Ethernet frame */
    pktd_filter_close(flt);
    /* "len" is the wire length */
    ck_assert_int_eq(pktd_filter_create(&flt, "len > 100", PKTD_LINKTYPE_RAW, err), 0);
    ck_assert_int_eq(pktd_filter_match(flt, f + 14, 40, 40), 0);
    ck_assert_int_eq(pktd_filter_match(flt, f + 14, 40, 1500), 1);
    pktd_filter_close(flt);
    /* "" matches everything */
    ck_assert_int_eq(pktd_filter_create(&flt, "", PKTD_LINKTYPE_RAW, err), 0);
    ck_assert_int_eq(pktd_filter_match(flt, f, 1, 1), 1);
    pktd_filter_close(flt);
}
END_TEST

START_TEST(errors)
{
    pktd_filter *flt = (pktd_filter *)&flt;
    char err[PKTD_ERRBUF_SIZE];
    int rc = pktd_filter_create(&flt, "tcp port", PKTD_LINKTYPE_RAW, err);
    ck_assert_ptr_null(flt);
    if (pktd_capture_expr_available()) {
        ck_assert_int_eq(rc, PKTD_E_INVALID_ARGUMENT);
        ck_assert_ptr_nonnull(strstr(err, "filter expression \"tcp port\" for link type 101: "));
    } else {
        ck_assert_int_eq(rc, PKTD_E_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(err, "libpcap"));
    }
    ck_assert_int_eq(pktd_filter_create(&flt, NULL, 1, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "expr is NULL"));
    ck_assert_int_eq(pktd_filter_create(NULL, "tcp", 1, NULL), PKTD_E_INVALID_ARGUMENT);
    pktd_filter_close(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("filter");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, match);
    tcase_add_test(tc, errors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
