/**
 * @file pktdecode/export.h
 * @brief Symbol export and function attribute macros.
 *
 * The library is built with hidden visibility; only declarations marked
 * #PKTD_API are exported, and each exported symbol carries a version node
 * (PKTDECODE_1.0, ...) from lib/libpktdecode.map.
 */
#ifndef PKTDECODE_EXPORT_H
#define PKTDECODE_EXPORT_H

#if defined(PKTD_BUILDING) && defined(__GNUC__)
/** Marks a function as part of the public ABI. */
# define PKTD_API __attribute__((visibility("default")))
#else
# define PKTD_API
#endif

#if defined(__GNUC__)
/** The result of this call must be checked: ignoring it loses an error. */
# define PKTD_WUR __attribute__((warn_unused_result))
/** Marks a function that a later release replaced; @p msg names the replacement. */
# define PKTD_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
# define PKTD_WUR
# define PKTD_DEPRECATED(msg)
#endif

#ifdef __cplusplus
# define PKTD_BEGIN_DECLS extern "C" {
# define PKTD_END_DECLS }
#else
/** Opens a block of C declarations (extern "C" under C++). */
# define PKTD_BEGIN_DECLS
/** Closes a block opened by #PKTD_BEGIN_DECLS. */
# define PKTD_END_DECLS
#endif

#endif /* PKTDECODE_EXPORT_H */
