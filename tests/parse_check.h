/* Assertions shared by the parse tests (Check). */
#ifndef PKTD_TESTS_PARSE_CHECK_H
#define PKTD_TESTS_PARSE_CHECK_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "parse_frames.h"

#define L(x) (1u << PKTD_LAYER_##x)

/* Decoding stopped with @p code at @p layer for @p reason with values
 * @p v1 / @p v2, and the state agrees with the return value. */
#define ASSERT_STOP(p, rc, code, layer, reason, v1, v2)                       \
    do {                                                                      \
        ck_assert_int_eq((rc), (code));                                       \
        ck_assert_int_eq(pktd_packet_error(p), (code));                       \
        ck_assert_uint_eq(pktd_packet_error_layer(p), (layer));               \
        ck_assert_uint_eq(pktd_packet_error_reason(p), (reason));             \
        ck_assert_uint_eq(pktd_packet_error_value(p), (v1));                  \
        ck_assert_uint_eq(pktd_packet_error_value2(p), (v2));                 \
        ck_assert(!pktd_packet_has((p), (layer)));                            \
    } while (0)

#define ASSERT_OK(p, rc)                                                       \
    do {                                                                       \
        ck_assert_int_eq((rc), 0);                                             \
        ck_assert_int_eq(pktd_packet_error(p), 0);                             \
        ck_assert_uint_eq(pktd_packet_error_layer(p), PKTD_LAYER_NONE);        \
        ck_assert_uint_eq(pktd_packet_error_reason(p), PKTD_R_NONE);           \
        ck_assert_uint_eq(pktd_packet_error_value(p), 0);                      \
        ck_assert_uint_eq(pktd_packet_error_value2(p), 0);                     \
    } while (0)

/* The formatted error message equals @p text. */
#define ASSERT_MSG(p, text)                                                    \
    do {                                                                       \
        char msg_[128];                                                        \
        int n_ = pktd_packet_error_format((p), msg_, sizeof msg_);             \
        ck_assert_str_eq(msg_, (text));                                        \
        ck_assert_int_eq(n_, (int)strlen(text));                               \
    } while (0)

/* The payload is @p n bytes at offset @p off of @p base. */
#define ASSERT_PAYLOAD(p, base, off, n)                                        \
    do {                                                                       \
        const uint8_t *pd_ = NULL;                                             \
        size_t pn_ = 99999;                                                    \
        ck_assert_int_eq(pktd_packet_payload((p), &pd_, &pn_), 1);             \
        ck_assert_ptr_eq(pd_, (base) + (off));                                 \
        ck_assert_uint_eq(pn_, (n));                                           \
    } while (0)

/* Header of @p layer is @p n bytes at offset @p off of @p base. */
#define ASSERT_HEADER(p, layer, base, off, n)                                  \
    do {                                                                       \
        const uint8_t *hd_ = NULL;                                             \
        size_t hn_ = 99999;                                                    \
        ck_assert_int_eq(pktd_packet_header((p), (layer), &hd_, &hn_), 1);     \
        ck_assert_ptr_eq(hd_, (base) + (off));                                 \
        ck_assert_uint_eq(hn_, (n));                                           \
    } while (0)

/* A checksum's pktd_X_checksum_ok() / pktd_X_checksum_bad() pair: GOOD
 * (verified, correct), WRONG (verified, wrong) or UNVERIFIED (neither). */
enum { CSUM_UNVERIFIED, CSUM_GOOD, CSUM_WRONG };
#define ASSERT_CSUM(layer, p, state)                                           \
    do {                                                                       \
        ck_assert_int_eq(pktd_##layer##_checksum_ok(p), (state) == CSUM_GOOD);  \
        ck_assert_int_eq(pktd_##layer##_checksum_bad(p), (state) == CSUM_WRONG); \
    } while (0)

/* Run every test of @p s and free it: the exit status of a test program. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif /* PKTD_TESTS_PARSE_CHECK_H */
