/**
 * @file pktdecode/defrag.h
 * @brief IP defragmentation (IPv4 and IPv6) in a memory budget fixed at
 *        creation.  @since 1.1
 *
 * Feed every decoded IP packet (or only those with #PKTD_F_FRAGMENT) to
 * pktd_defrag_add() with its capture time; when a datagram is complete the
 * call returns 1 and gives the reassembled IP datagram (IP header and
 * payload), which pktd_decode() decodes with #PKTD_LINKTYPE_RAW (or
 * IPV4/IPV6) like any other packet.
 *
 * Key: a datagram is identified by source, destination, identification and
 * protocol (IPv4) or source, destination and identification (IPv6), plus a
 * 64-bit @e zone chosen by the caller: fragments given different zones never
 * mix.  Put there whatever tells apart address spaces in the caller's
 * capture: the VLAN id(s), the tunnel, the interface, the capture file.
 *
 * Memory: pktd_defrag_create() allocates everything the handle will ever
 * use, at most the budget given; nothing is allocated afterwards.  Fragment
 * bytes are kept in fixed-size chunks of one pool; a datagram that does not
 * fit makes room by evicting the oldest datagrams, and the handle's own
 * accounting (#PKTD_DEFRAG_STAT_BYTES_IN_USE) never exceeds the pool
 * (#PKTD_DEFRAG_STAT_BYTES_POOL).
 *
 * Nothing is lost silently: every fragment given to pktd_defrag_add() ends in
 * a reassembled datagram (#PKTD_DEFRAG_STAT_REASSEMBLED), is still held
 * (#PKTD_DEFRAG_STAT_HELD_FRAGMENTS), or is counted in exactly one of the
 * PKTD_DEFRAG_STAT_DROP_* counters.  The policies (overlaps, duplicates,
 * tiny fragments, sizes, expiry, eviction) are in doc/design.md,
 * "Reassembly (1.1): fragments".
 *
 * Thread safety: a handle is used by one thread at a time; different
 * handles are independent (each has its own random hash key).
 */
#ifndef PKTDECODE_DEFRAG_H
#define PKTDECODE_DEFRAG_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** @brief Opaque defragmenter (pktd_defrag_create()). @since 1.1 */
typedef struct pktd_defrag pktd_defrag;

/** @name Defaults of pktd_defrag_create() (a 0 argument takes them)
 * @{ */
/** Memory budget: 4 MiB (Linux's ipfrag_high_thresh). @since 1.1 */
#define PKTD_DEFRAG_DEFAULT_BUDGET ((size_t)4 << 20)
/** Datagrams in reassembly at once. @since 1.1 */
#define PKTD_DEFRAG_DEFAULT_DATAGRAMS 1024u
/** Fragments per datagram. @since 1.1 */
#define PKTD_DEFRAG_DEFAULT_FRAGMENTS 64u
/** Timeout, capture time from a datagram's first fragment: 30 s (Linux's
 *  ipfrag_time). @since 1.1 */
#define PKTD_DEFRAG_DEFAULT_TIMEOUT_NS 30000000000ull
/** Largest per-datagram fragment limit (65,536 bytes in 8-byte units). @since 1.1 */
#define PKTD_DEFRAG_MAX_FRAGMENTS 8192u
/** @} */

/** @name Statistics indexes of pktd_defrag_stats() (R7)
 * Counters grow; the GAUGE ones are current values.  Invariant:
 * FRAGMENTS = REASSEMBLED + HELD_FRAGMENTS + the sum of the DROP_* counters.
 * @{ */
/** Fragments accepted (atomic fragments and whole packets not included). */
#define PKTD_DEFRAG_STAT_FRAGMENTS 0u
/** Datagrams reassembled and returned. */
#define PKTD_DEFRAG_STAT_DATAGRAMS 1u
/** Fragments that ended in a returned datagram. */
#define PKTD_DEFRAG_STAT_REASSEMBLED 2u
/** IPv6 atomic fragments (offset 0, M 0) returned on their own (RFC 6946). */
#define PKTD_DEFRAG_STAT_ATOMIC 3u
/** Packets that were not fragments, returned as they are. */
#define PKTD_DEFRAG_STAT_WHOLE 4u
/** Dropped: the bytes were all held already (the datagram is kept). */
#define PKTD_DEFRAG_STAT_DROP_DUPLICATE 5u
/** Dropped: overlaps held bytes in part; the whole datagram is dropped. */
#define PKTD_DEFRAG_STAT_DROP_OVERLAP 6u
/** Dropped: a first fragment without the whole transport header
 *  (RFC 1858, RFC 7112), or a TCP fragment at offset 8 bytes. */
#define PKTD_DEFRAG_STAT_DROP_TINY 7u
/** Dropped: the datagram would pass 65,535 bytes (whole datagram dropped
 *  when found at completion). */
#define PKTD_DEFRAG_STAT_DROP_TOO_BIG 8u
/** Dropped: no data, a non-last fragment whose length is not a multiple of
 *  8, a last fragment ending before held bytes or where another ended, data
 *  past the end a last fragment set (teardrop-style). */
#define PKTD_DEFRAG_STAT_DROP_INVALID 9u
/** Dropped: the fragment was not captured whole (snap length). */
#define PKTD_DEFRAG_STAT_DROP_TRUNCATED 10u
/** Dropped: the datagram passed the per-datagram fragment limit (whole
 *  datagram dropped). */
#define PKTD_DEFRAG_STAT_DROP_TOO_MANY 11u
/** Dropped: held past the timeout (in capture time). */
#define PKTD_DEFRAG_STAT_DROP_TIMEOUT 12u
/** Dropped: evicted, oldest datagram first, to make room (budget or
 *  datagram capacity). */
#define PKTD_DEFRAG_STAT_DROP_EVICTED 13u
/** Datagrams dropped, for any of the reasons above. */
#define PKTD_DEFRAG_STAT_DATAGRAMS_DROPPED 14u
/** Datagrams dropped at their timeout. */
#define PKTD_DEFRAG_STAT_DATAGRAMS_TIMEOUT 15u
/** Datagrams evicted. */
#define PKTD_DEFRAG_STAT_DATAGRAMS_EVICTED 16u
/** GAUGE: fragments held now. */
#define PKTD_DEFRAG_STAT_HELD_FRAGMENTS 17u
/** GAUGE: datagrams in reassembly now. */
#define PKTD_DEFRAG_STAT_HELD_DATAGRAMS 18u
/** GAUGE: bytes of the chunk pool in use now (whole chunks). */
#define PKTD_DEFRAG_STAT_BYTES_IN_USE 19u
/** GAUGE: highest BYTES_IN_USE so far. */
#define PKTD_DEFRAG_STAT_BYTES_HIGH 20u
/** GAUGE: size of the chunk pool: BYTES_IN_USE never exceeds it. */
#define PKTD_DEFRAG_STAT_BYTES_POOL 21u
/** GAUGE: all bytes allocated at creation (pool, tables, output buffer,
 *  handle): at most the budget. */
#define PKTD_DEFRAG_STAT_BYTES_ALLOCATED 22u
/** Number of statistics in this release. */
#define PKTD_DEFRAG_STAT_COUNT 23u
/** @} */

/**
 * @brief Create a defragmenter; all its memory is allocated here.
 *
 * @param out           receives the handle (NULL on failure).
 * @param budget        bytes the handle may allocate in all (0: the
 *                      default); at least enough for the tables, the
 *                      output buffer and one largest datagram in the
 *                      most fragments allowed (about 350 KiB with the
 *                      defaults); the message says the minimum.
 * @param max_datagrams datagrams in reassembly at once (0: the default;
 *                      1 ... 1,048,576).
 * @param max_fragments fragments per datagram (0: the default; 1 ...
 *                      #PKTD_DEFRAG_MAX_FRAGMENTS).
 * @param timeout_ns    how long, in capture time from its first fragment,
 *                      a datagram is waited for (0: the default).
 * @param errbuf        receives the reason on failure (may be NULL; at
 *                      least #PKTD_ERRBUF_SIZE bytes).
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL @p out or a value out of
 *         range (a budget too small); -ENOMEM; -errno of getrandom(2).
 * @since 1.1
 */
PKTD_API int pktd_defrag_create(pktd_defrag **out, size_t budget, uint32_t max_datagrams,
                                uint32_t max_fragments, uint64_t timeout_ns,
                                char *errbuf) PKTD_WUR;

/**
 * @brief Free a defragmenter and everything it holds (held fragments are
 *        not counted: call pktd_defrag_expire() with UINT64_MAX first to
 *        count them as expired).
 * @param d a handle, or NULL.
 * @since 1.1
 */
PKTD_API void pktd_defrag_close(pktd_defrag *d);

/**
 * @brief Give a decoded packet to the defragmenter.
 *
 * The packet's IP layer (IPv4, or IPv6 with its fragment header) is used,
 * whatever happened to the layers above it.  First, datagrams whose timeout
 * has passed at @p ts_ns are dropped (pktd_defrag_expire()).  Then:
 * - not a fragment: returns 1 with @p data pointing to the packet's own IP
 *   header (in the caller's buffer, not copied) and @p len its bytes;
 * - an IPv6 atomic fragment (offset 0, M 0): returns 1 with the packet
 *   without its fragment header (RFC 6946: never mixed with other
 *   fragments);
 * - a fragment that completes its datagram: returns 1 with the datagram;
 * - any other fragment: held or dropped and counted; returns 0.
 *
 * A returned datagram is in the handle's output buffer, valid until the
 * next call on the handle.  IPv4: the first fragment's header (with its
 * options), total length set, MF and offset cleared (DF and the reserved
 * bit kept), header checksum recomputed.  IPv6: the first fragment's
 * headers up to the fragment header, which is removed (the previous next
 * header takes its value), payload length set.
 *
 * @param d      the handle.
 * @param p      a packet decoded with an IPv4 or IPv6 layer.
 * @param zone   the caller's address-space context (VLAN, tunnel,
 *               interface...): datagrams of different zones never mix.
 * @param ts_ns  the packet's capture time (ns).
 * @param data   receives the datagram on 1 (may be NULL).
 * @param len    receives its length on 1 (may be NULL).
 * @return 1: a datagram; 0: none (fragment held or dropped);
 *         PKTD_E_INVALID_ARGUMENT for a NULL @p d or @p p, or a packet
 *         without an IPv4 or IPv6 layer (not counted).
 * @since 1.1
 */
PKTD_API int pktd_defrag_add(pktd_defrag *d, const pktd_packet *p, uint64_t zone,
                             uint64_t ts_ns, const uint8_t **data, size_t *len) PKTD_WUR;

/**
 * @brief Drop the datagrams whose timeout has passed at @p now_ns (counted
 *        as DROP_TIMEOUT); UINT64_MAX drops all of them, e.g. at the end of
 *        a capture.
 * @param d      the handle.
 * @param now_ns the current capture time (ns).
 * @return the number of datagrams dropped; PKTD_E_INVALID_ARGUMENT for a
 *         NULL @p d.
 * @since 1.1
 */
PKTD_API int pktd_defrag_expire(pktd_defrag *d, uint64_t now_ns) PKTD_WUR;

/**
 * @brief Read the statistics (R7): fill @p stats[i] for the
 *        PKTD_DEFRAG_STAT_* indexes i below @p n.
 * @param d     the handle.
 * @param stats the array (may be NULL when @p n is 0).
 * @param n     its length.
 * @return the number of statistics the library knows
 *         (#PKTD_DEFRAG_STAT_COUNT in this release);
 *         PKTD_E_INVALID_ARGUMENT for a NULL @p d, or a NULL @p stats with
 *         @p n > 0.
 * @since 1.1
 */
PKTD_API int pktd_defrag_stats(const pktd_defrag *d, uint64_t *stats, size_t n) PKTD_WUR;

/**
 * @brief The message of the last failure on the handle ("" if none).
 * @param d the handle.
 * @return a string owned by the handle; "" for NULL.
 * @since 1.1
 */
PKTD_API const char *pktd_defrag_errmsg(const pktd_defrag *d);

PKTD_END_DECLS

#endif /* PKTDECODE_DEFRAG_H */
