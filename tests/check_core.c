/* Core: version numbers agree with the headers, and the error table gives
 * every code a distinct, stable name and a message. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

START_TEST(test_version)
{
    ck_assert_str_eq(pktd_version_string(), PACKAGE_VERSION);
    ck_assert_str_eq(pktd_version_string(), PKTD_VERSION_STRING);
    ck_assert_uint_eq(pktd_version(), PKTD_VERSION_NUMBER);
    ck_assert_uint_eq(pktd_version(), PKTD_VERSION_MAJOR * 10000u + PKTD_VERSION_MINOR * 100u +
                                          PKTD_VERSION_PATCH);
    ck_assert_uint_eq(PKTD_VERSION_MAJOR, 1);
}
END_TEST

/* Pinned values: these numbers are ABI and must never change. */
START_TEST(test_error_values_pinned)
{
    ck_assert_int_eq(PKTD_OK, 0);
    ck_assert_int_eq(PKTD_E_TRUNCATED, -1001);
    ck_assert_int_eq(PKTD_E_MALFORMED, -1002);
    ck_assert_int_eq(PKTD_E_UNSUPPORTED, -1003);
    ck_assert_int_eq(PKTD_E_INVALID_ARGUMENT, -1004);
    ck_assert_int_eq(PKTD_E_NOT_FOUND, -1005);
    ck_assert_int_eq(PKTD_E_BAD_FILE, -1020);
    ck_assert_int_eq(PKTD_E_TOO_LARGE, -1021);
    ck_assert_int_eq(PKTD_E_BAD_STATE, -1040);
    ck_assert_int_eq(PKTD_E_BREAK, -1041);
    ck_assert_int_eq(PKTD_E_UNAVAILABLE, -1060);
}
END_TEST

static const int all_codes[] = {
#define X(name, value, str, msg) value,
    PKTD_ERROR_MAP(X)
#undef X
};

START_TEST(test_error_table)
{
    size_t n = sizeof all_codes / sizeof all_codes[0];
    for (size_t i = 0; i < n; i++) {
        int c = all_codes[i];
        ck_assert_int_le(c, -1000);
        ck_assert_int_ge(c, -1999);
        ck_assert_str_ne(pktd_strerror(c), "unknown error");
        ck_assert_str_ne(pktd_err_name(c), "unknown");
        for (size_t j = i + 1; j < n; j++) {
            ck_assert_int_ne(c, all_codes[j]);
            ck_assert_str_ne(pktd_err_name(c), pktd_err_name(all_codes[j]));
        }
    }
    ck_assert_str_eq(pktd_err_name(PKTD_E_TRUNCATED), "truncated");
    ck_assert_str_eq(pktd_err_name(PKTD_E_MALFORMED), "malformed");
    ck_assert_str_eq(pktd_err_name(0), "ok");
}
END_TEST

START_TEST(test_errno_codes)
{
    ck_assert_str_eq(pktd_err_name(-EPERM), "EPERM");
    ck_assert_str_eq(pktd_strerror(-EPERM), "Operation not permitted");
    ck_assert_str_eq(pktd_err_name(-EAFNOSUPPORT), "EAFNOSUPPORT");
    /* Unknown values give a fixed string, never NULL, never an allocation. */
    ck_assert_str_eq(pktd_strerror(-1500), "unknown error");
    ck_assert_str_eq(pktd_strerror(12345), "unknown error");
    ck_assert_str_eq(pktd_err_name(-1500), "unknown");
    ck_assert_ptr_nonnull(pktd_strerror(-999));
    ck_assert_ptr_nonnull(pktd_strerror(-2147483647 - 1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_error_values_pinned);
    tcase_add_test(tc, test_error_table);
    tcase_add_test(tc, test_errno_codes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
