/**
 * @file pktdecode/error.h
 * @brief Error codes: one table, pinned values, pktd_strerror().
 *
 * Every fallible function returns an `int`: 0 (or a non-negative count or
 * length) on success, a negative code on failure.  Two kinds of negative
 * value exist and never overlap:
 *
 * - library codes in the reserved range -1999 ... -1000 (#pktd_error), for
 *   conditions the library itself detects (a truncated header, a malformed
 *   file, an unsupported link type);
 * - `-errno` (-1 ... -999) for a failed system call, e.g. `-EPERM` when
 *   opening a raw socket without CAP_NET_RAW.  The function's documentation
 *   names the system call.
 *
 * Values never change once released: a code may be added, never renumbered
 * or reused.  pktd_strerror() and pktd_err_name() accept either kind.
 */
#ifndef PKTDECODE_ERROR_H
#define PKTDECODE_ERROR_H

#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/**
 * @brief The error table: X(NAME, value, "name", "message").
 *
 * The single source of the codes, their names and messages; the library
 * builds enum #pktd_error (as PKTD_E_NAME), pktd_strerror() and
 * pktd_err_name() from it.  Ranges: -1000..-1019 decoding, -1020..-1039
 * capture files, -1040..-1059 live capture, -1060..-1079 AF_ALG.
 *
 * | code | value | meaning |
 * |---|---|---|
 * | PKTD_E_TRUNCATED | -1001 | the input ends before the header or record is complete (a capture cut by its snap length) |
 * | PKTD_E_MALFORMED | -1002 | a header field holds an impossible value |
 * | PKTD_E_UNSUPPORTED | -1003 | unsupported link type, protocol, format or feature |
 * | PKTD_E_INVALID_ARGUMENT | -1004 | a NULL pointer, a size out of range, a bad option |
 * | PKTD_E_NOT_FOUND | -1005 | the requested layer, option or item is absent |
 * | PKTD_E_BAD_FILE | -1020 | not a pcap or pcapng file |
 * | PKTD_E_TOO_LARGE | -1021 | a length field exceeds the library's limit |
 * | PKTD_E_BAD_STATE | -1040 | e.g. a setter called after activation |
 * | PKTD_E_BREAK | -1041 | a read loop stopped by pktd_capture_breakloop() |
 * | PKTD_E_UNAVAILABLE | -1060 | the kernel facility or algorithm is not available to this process |
 */
#define PKTD_ERROR_MAP(X)                                                              \
    X(TRUNCATED, -1001, "truncated",                                                   \
      "input ends before the header or record it contains is complete")               \
    X(MALFORMED, -1002, "malformed", "a header field holds an impossible value")       \
    X(UNSUPPORTED, -1003, "unsupported",                                               \
      "unsupported link type, protocol, format or feature")                            \
    X(INVALID_ARGUMENT, -1004, "invalid_argument", "invalid argument")                 \
    X(NOT_FOUND, -1005, "not_found", "the requested item is not present")             \
    X(BAD_FILE, -1020, "bad_file", "not a pcap or pcapng capture file")                \
    X(TOO_LARGE, -1021, "too_large", "a length field exceeds the library's limit")     \
    X(BAD_STATE, -1040, "bad_state", "call not valid in the handle's current state")   \
    X(BREAK, -1041, "break", "loop stopped by pktd_capture_breakloop()")                   \
    X(UNAVAILABLE, -1060, "unavailable",                                               \
      "the kernel facility or algorithm is not available to this process")

/**
 * @brief Size in bytes of an error-message buffer.
 *
 * Every call that creates or opens a handle takes a last parameter
 * `char *errbuf` (may be NULL) of at least this many bytes, which receives
 * the full message when the call fails; the handles' `*_errmsg()` strings
 * never exceed it either (terminating NUL included).
 * @since 1.0
 */
#define PKTD_ERRBUF_SIZE 256

/** Library error codes (see #PKTD_ERROR_MAP for the messages). */
enum pktd_error {
    PKTD_OK = 0, /**< success */
/** @cond INTERNAL */
#define PKTD_ERROR_ENUM_(name, value, str, msg) PKTD_E_##name = value,
/** @endcond */
    PKTD_ERROR_MAP(PKTD_ERROR_ENUM_)
#undef PKTD_ERROR_ENUM_
};

/**
 * @brief A human-readable message for a return code.
 *
 * @param code a library code, a negated errno value, or 0.
 * @return A static string; never NULL ("unknown error" for codes that are
 *         neither).  Thread-safe, never allocates.
 * @since 1.0
 */
PKTD_API const char *pktd_strerror(int code);

/**
 * @brief The short name of a return code.
 *
 * Lower case for library codes ("truncated", "malformed", ...), the errno
 * symbol for system codes ("EPERM"), "ok" for 0, "unknown" otherwise.  These
 * names appear in pktd-decode's JSON output.
 *
 * @param code any return code.
 * @return A static string; never NULL.  Thread-safe.
 * @since 1.0
 */
PKTD_API const char *pktd_err_name(int code);

PKTD_END_DECLS

#endif /* PKTDECODE_ERROR_H */
