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

/** @cond INTERNAL */
#if defined(PKTD_BUILDING) && defined(__GNUC__)
# define PKTD_VISIBLE_ __attribute__((visibility("default")))
#else
# define PKTD_VISIBLE_
#endif
#if defined(__GNUC__)
# define PKTD_WUR_ __attribute__((warn_unused_result))
# define PKTD_DEPRECATED_(msg) __attribute__((deprecated(msg)))
#else
# define PKTD_WUR_
# define PKTD_DEPRECATED_(msg)
#endif
#ifdef __cplusplus
# define PKTD_BEGIN_DECLS_ extern "C" {
# define PKTD_END_DECLS_ }
#else
# define PKTD_BEGIN_DECLS_
# define PKTD_END_DECLS_
#endif
/** @endcond */

/** Marks a function as part of the public ABI (default visibility). */
#define PKTD_API PKTD_VISIBLE_
/** The result of this call must be checked: ignoring it loses an error. */
#define PKTD_WUR PKTD_WUR_
/** Marks a function that a later release replaced; @p msg names the replacement. */
#define PKTD_DEPRECATED(msg) PKTD_DEPRECATED_(msg)
/** Opens a block of C declarations (extern "C" under C++). */
#define PKTD_BEGIN_DECLS PKTD_BEGIN_DECLS_
/** Closes a block opened by #PKTD_BEGIN_DECLS. */
#define PKTD_END_DECLS PKTD_END_DECLS_

#endif /* PKTDECODE_EXPORT_H */
