/**
 * @file pktdecode/tcp_reasm.h
 * @brief TCP stream reassembly in a fixed memory budget.  @since 1.1
 *
 * A reassembler turns the TCP segments of many connections into each
 * direction's byte stream, delivered in order through one callback:
 *
 * - #PKTD_TCP_REASM_DATA: @p len bytes at @p data, starting at stream
 *   offset @p offset (0 = the first byte after the SYN, or the first byte
 *   seen when the connection was picked up mid-stream);
 * - #PKTD_TCP_REASM_GAP: @p len bytes at @p offset were never seen and
 *   never will be delivered (@p data is NULL);
 * - #PKTD_TCP_REASM_END: the direction ended; @p len is the reason
 *   (#PKTD_TCP_REASM_END_FIN ...), @p data is NULL.  Each direction that
 *   saw a segment ends exactly once.
 *
 * Connections are not looked up here: the caller (normally a flow table,
 * flow.h) gives every segment a connection id below the capacity and a
 * direction (0: sent by the connection's first sender, 1: the reverse), and
 * calls pktd_tcp_reasm_flush() when the connection is over (expired,
 * evicted, end of input) so that the id can be reused.
 *
 * Policy (doc/design.md, "TCP stream reassembly (1.1)"):
 * - Sequence numbers are compared in serial arithmetic (RFC 1982): a segment
 *   is placed within 2^31 bytes either side of the next expected byte, and
 *   stream offsets are 64-bit, so the stream goes on across sequence wrap.
 * - First-seen data wins: bytes already delivered or held are never
 *   replaced by a retransmission.  Overlapping bytes are counted; when the
 *   overlap is with held (not yet delivered) bytes, the two are compared
 *   and a difference is counted (#PKTD_TCP_REASM_STAT_OVERLAP_DIFFS).
 * - Out-of-order segments are held in an arena of fixed-size chunks
 *   allocated by pktd_tcp_reasm_create(); nothing is allocated afterwards.
 *   When the arena is full, the direction holding the oldest held chunk
 *   stops waiting: a gap is declared up to its first held byte and its held
 *   data that is then in order is delivered (#PKTD_TCP_REASM_STAT_BUDGET_SKIPS).
 * - A SYN sets the initial sequence number; without one the direction
 *   starts at the first segment seen (pktd_tcp_reasm_flow_stats()
 *   #PKTD_TCP_REASM_FLOW_MIDSTREAM).  A FIN ends its direction once every
 *   byte before it is delivered or declared a gap; a RST ends both
 *   directions (held data is delivered after gaps first).  Segments that
 *   arrive after their direction ended are counted and ignored.
 *
 * Thread safety: a reassembler is used by one thread at a time.  The
 * callback may read the reassembler (pktd_tcp_reasm_flow_stats(),
 * pktd_tcp_reasm_stats(), pktd_tcp_reasm_errmsg()); pktd_tcp_reasm_add()
 * and pktd_tcp_reasm_flush() from inside it return PKTD_E_BAD_STATE, and a
 * pktd_tcp_reasm_close() from inside it is carried out when the call that
 * ran the callback returns (which then returns PKTD_E_BAD_STATE).
 */
#ifndef PKTDECODE_TCP_REASM_H
#define PKTDECODE_TCP_REASM_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** @brief Opaque TCP reassembler (pktd_tcp_reasm_create()). @since 1.1 */
typedef struct pktd_tcp_reasm pktd_tcp_reasm;

/** @name Events of the delivery callback  @since 1.1
 * @{ */
#define PKTD_TCP_REASM_DATA 0u /**< in-order bytes of one direction */
#define PKTD_TCP_REASM_GAP 1u  /**< bytes never seen (@p len of them) */
#define PKTD_TCP_REASM_END 2u  /**< the direction ended (reason in @p len) */
/** @} */

/** @name Reasons of #PKTD_TCP_REASM_END  @since 1.1
 * @{ */
#define PKTD_TCP_REASM_END_FIN 0u     /**< FIN reached */
#define PKTD_TCP_REASM_END_RST 1u     /**< RST seen (in either direction) */
#define PKTD_TCP_REASM_END_FLUSHED 2u /**< pktd_tcp_reasm_flush(): timeout, end of input */
#define PKTD_TCP_REASM_END_EVICTED 3u /**< pktd_tcp_reasm_flush(): the flow was evicted */
/** @} */

/**
 * @brief The delivery callback.
 * @param user    the pointer given to pktd_tcp_reasm_create().
 * @param event   #PKTD_TCP_REASM_DATA, #PKTD_TCP_REASM_GAP or #PKTD_TCP_REASM_END.
 * @param flow_id the connection id given with the segment.
 * @param dir     0 or 1, as given with the segment.
 * @param offset  stream offset of the first byte (DATA, GAP) or of the end
 *                of the stream (END).
 * @param data    the bytes (DATA; valid only during the call), else NULL.
 * @param len     bytes (DATA, GAP) or the END reason.
 * @since 1.1
 */
typedef void (*pktd_tcp_reasm_fn)(void *user, uint32_t event, uint32_t flow_id, uint32_t dir,
                                  uint64_t offset, const uint8_t *data, size_t len);

/** @name Statistics indexes (pktd_tcp_reasm_stats())  @since 1.1
 * @{ */
#define PKTD_TCP_REASM_STAT_SEGMENTS 0u      /**< segments given to pktd_tcp_reasm_add() */
#define PKTD_TCP_REASM_STAT_DELIVERED 1u     /**< bytes delivered (DATA events) */
#define PKTD_TCP_REASM_STAT_GAP_BYTES 2u     /**< bytes declared gaps */
#define PKTD_TCP_REASM_STAT_OVERLAP_BYTES 3u /**< bytes received again (retransmitted, overlapping) and dropped */
#define PKTD_TCP_REASM_STAT_OVERLAP_DIFFS 4u /**< overlaps with held bytes whose data differed */
#define PKTD_TCP_REASM_STAT_HELD_BYTES 5u    /**< payload bytes held out of order now */
#define PKTD_TCP_REASM_STAT_MEM_USED 6u      /**< arena bytes in use now (chunks x chunk size) */
#define PKTD_TCP_REASM_STAT_MEM_PEAK 7u      /**< highest MEM_USED so far (never above the budget) */
#define PKTD_TCP_REASM_STAT_BUDGET_SKIPS 8u  /**< gaps declared because the arena was full */
#define PKTD_TCP_REASM_STAT_LATE 9u          /**< segments after their direction ended, ignored */
#define PKTD_TCP_REASM_STAT_OLD_BYTES 10u    /**< bytes before the stream start (mid-stream pickup), dropped */
#define PKTD_TCP_REASM_STAT_COUNT 11u        /**< number of counters in this release */
/** @} */

/** @name Per-direction counters (pktd_tcp_reasm_flow_stats())  @since 1.1
 * @{ */
#define PKTD_TCP_REASM_FLOW_DELIVERED 0u     /**< bytes delivered */
#define PKTD_TCP_REASM_FLOW_GAP_BYTES 1u     /**< bytes declared gaps */
#define PKTD_TCP_REASM_FLOW_OVERLAP_BYTES 2u /**< bytes received again and dropped */
#define PKTD_TCP_REASM_FLOW_OVERLAP_DIFFS 3u /**< overlaps with held bytes that differed */
#define PKTD_TCP_REASM_FLOW_MIDSTREAM 4u     /**< 1: no SYN, picked up mid-stream; 0: started by a SYN */
#define PKTD_TCP_REASM_FLOW_SEGMENTS 5u      /**< segments seen */
#define PKTD_TCP_REASM_FLOW_HELD_BYTES 6u    /**< bytes held out of order now */
#define PKTD_TCP_REASM_FLOW_COUNT 7u         /**< number of counters in this release */
/** @} */

/** Size of one arena chunk: held data is stored in chunks of this many bytes. @since 1.1 */
#define PKTD_TCP_REASM_CHUNK 512u

/**
 * @brief Create a reassembler.
 *
 * Allocates the per-connection state (@p capacity connections) and the
 * arena for out-of-order data (at most @p budget bytes: chunks of
 * #PKTD_TCP_REASM_CHUNK payload bytes plus their bookkeeping, counted in
 * full against the budget).  Nothing is allocated afterwards.
 *
 * @param out      receives the reassembler (NULL on failure).
 * @param capacity connection ids are 0 ... capacity - 1 (1 ... 2^24).
 * @param budget   bytes for held out-of-order data; 0 holds nothing (every
 *                 out-of-order segment then skips over a gap).
 * @param fn       the delivery callback (not NULL).
 * @param user     passed to @p fn.
 * @param errbuf   receives the reason on failure (may be NULL; at least
 *                 #PKTD_ERRBUF_SIZE bytes).
 * @return 0; PKTD_E_INVALID_ARGUMENT; -ENOMEM.
 * @since 1.1
 */
PKTD_API int pktd_tcp_reasm_create(pktd_tcp_reasm **out, uint32_t capacity, size_t budget,
                                   pktd_tcp_reasm_fn fn, void *user, char *errbuf) PKTD_WUR;

/**
 * @brief Free a reassembler without delivering anything more.
 * @param r a reassembler, or NULL.
 * @since 1.1
 */
PKTD_API void pktd_tcp_reasm_close(pktd_tcp_reasm *r);

/**
 * @brief Give one decoded TCP segment to its connection.
 *
 * Delivers through the callback whatever the segment puts in order (before
 * returning).  Only captured payload bytes are used: bytes the capture cut
 * off become a gap.
 *
 * @param r       the reassembler.
 * @param flow_id the connection (below the capacity).
 * @param dir     0 or 1.
 * @param p       a packet decoded with a TCP layer (pktd_decode()).
 * @param ts_ns   capture time (reserved for timeouts; may be 0).
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL argument, an id or
 *         direction out of range, or a packet without TCP (message in
 *         pktd_tcp_reasm_errmsg()).
 * @since 1.1
 */
PKTD_API int pktd_tcp_reasm_add(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir,
                                const pktd_packet *p, uint64_t ts_ns) PKTD_WUR;

/**
 * @brief End a connection and free its id.
 *
 * For each direction that saw a segment and has not ended: held data is
 * delivered (with a GAP before each hole), then a GAP up to a FIN seen
 * beyond the delivered bytes, then END with @p reason (or
 * #PKTD_TCP_REASM_END_FIN when the FIN was the end).  The id is then free
 * for a new connection.  Flushing an unused id does nothing.
 *
 * @param r       the reassembler.
 * @param flow_id the connection.
 * @param reason  #PKTD_TCP_REASM_END_FLUSHED or #PKTD_TCP_REASM_END_EVICTED.
 * @return 0; PKTD_E_INVALID_ARGUMENT.
 * @since 1.1
 */
PKTD_API int pktd_tcp_reasm_flush(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t reason) PKTD_WUR;

/**
 * @brief One direction's counters (PKTD_TCP_REASM_FLOW_*).
 *
 * Valid from the first segment until pktd_tcp_reasm_flush() returns (so
 * also inside the END callback).
 *
 * @param r       the reassembler.
 * @param flow_id the connection.
 * @param dir     0 or 1.
 * @param stats   receives `stats[i]` for each index below @p n.
 * @param n       entries of @p stats.
 * @return #PKTD_TCP_REASM_FLOW_COUNT (the counters the library knows);
 *         PKTD_E_INVALID_ARGUMENT.
 * @since 1.1
 */
PKTD_API int pktd_tcp_reasm_flow_stats(const pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir,
                                       uint64_t *stats, size_t n) PKTD_WUR;

/**
 * @brief The reassembler's counters (PKTD_TCP_REASM_STAT_*).
 * @param r     the reassembler.
 * @param stats receives `stats[i]` for each index below @p n (more than
 *              #PKTD_TCP_REASM_STAT_COUNT is fine: the rest is untouched).
 * @param n     entries of @p stats.
 * @return #PKTD_TCP_REASM_STAT_COUNT; PKTD_E_INVALID_ARGUMENT.
 * @since 1.1
 */
PKTD_API int pktd_tcp_reasm_stats(const pktd_tcp_reasm *r, uint64_t *stats, size_t n) PKTD_WUR;

/**
 * @brief The message of the last failed call.
 * @param r the reassembler.
 * @return a sentence, "" when nothing failed; "" for NULL.
 * @since 1.1
 */
PKTD_API const char *pktd_tcp_reasm_errmsg(const pktd_tcp_reasm *r);

PKTD_END_DECLS

#endif /* PKTDECODE_TCP_REASM_H */
