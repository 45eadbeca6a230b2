/**
 * @file pktdecode/batch.h
 * @brief Columnar batches: decode many frames in one call into the
 *        caller's column arrays (structure of arrays).  @since 1.1
 *
 * A batch describes, once, which fields (#pktd_field indexes of fields.h) the
 * caller wants and where each column lives: one `uint32_t` array per
 * selected field, plus optional per-row columns (capture time, lengths, link
 * type, interface, decode status) bound with pktd_batch_bind().  Each call
 * then decodes up to the batch's row capacity of frames, from a capture file
 * (pktd_batch_read()), from frames in memory (pktd_batch_decode_frames()) or
 * from a live capture (pktd_batch_capture()), and stores row i of every
 * column at index i of its array.
 *
 * Only the selected fields are computed: a batch of the 5-tuple costs the
 * decode plus a handful of loads and stores per frame, where
 * pktd_packet_fields() would fill every field and the per-field accessors
 * would cost one out-of-line call each (doc/performance.md).
 *
 * Values: each field column holds, for each row, exactly the value
 * pktd_packet_fields() gives for that frame (0 for a layer that was not
 * decoded).  The status column holds what pktd_decode() returned: 0, or the
 * code that stopped the decode (PKTD_E_TRUNCATED, PKTD_E_MALFORMED, ...);
 * select #PKTD_FIELD_ERROR_LAYER and #PKTD_FIELD_ERROR_REASON for the details.
 *
 * Memory: pktd_batch_create() allocates the handle; nothing is allocated
 * afterwards.  The column arrays are the caller's and must hold at least the
 * batch's capacity of elements while the batch is used.
 *
 * Thread safety: a batch is used by one thread at a time; different batches
 * are independent.
 */
#ifndef PKTDECODE_BATCH_H
#define PKTDECODE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>
#include <pktdecode/export.h>
#include <pktdecode/fields.h>
#include <pktdecode/reader.h>

PKTD_BEGIN_DECLS

/** @brief Opaque columnar batch (pktd_batch_create()). @since 1.1 */
typedef struct pktd_batch pktd_batch;

/** @name Per-row columns of pktd_batch_bind()
 * Each is optional (not stored unless bound).  @since 1.1
 * @{ */
/** `uint64_t`: capture time, ns since the epoch (0 when the source has none). */
#define PKTD_BATCH_TS_NS 0u
/** `uint32_t`: captured bytes of the frame. */
#define PKTD_BATCH_CAPLEN 1u
/** `uint32_t`: original (wire) length. */
#define PKTD_BATCH_WIRE_LEN 2u
/** `uint32_t`: the link type the frame was decoded with. */
#define PKTD_BATCH_LINKTYPE 3u
/** `uint32_t`: interface: the pcapng interface id (pktd_reader_interface()),
 *  the capture's ifindex (pktd_capture_ifindex()), 0 for frames in memory. */
#define PKTD_BATCH_INTERFACE 4u
/** `int32_t`: what pktd_decode() returned for the frame (0: decoded). */
#define PKTD_BATCH_STATUS 5u
/** Number of per-row columns in this release. */
#define PKTD_BATCH_COLUMN_COUNT 6u
/** @} */

/**
 * @brief Create a batch for a field selection and a row capacity.
 *
 * @param out       receives the batch (NULL on failure).
 * @param capacity  rows each call may fill at most (1 ... INT32_MAX): every bound
 *                  array must hold this many elements.
 * @param fields    the selected #pktd_field indexes, in any order, each at
 *                  most once (may be NULL when @p nfields is 0).
 * @param nfields   how many (0 ... pktd_field_count()).
 * @param columns   `columns[i]` is the caller's `uint32_t` array for
 *                  `fields[i]` (may be NULL when @p nfields is 0).
 * @param errbuf    receives the reason on failure (may be NULL; at least
 *                  #PKTD_ERRBUF_SIZE bytes).
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL @p out, a capacity out of
 *         range, an unknown or repeated field, a NULL column; -ENOMEM.
 * @since 1.1
 */
PKTD_API int pktd_batch_create(pktd_batch **out, uint32_t capacity, const uint32_t *fields,
                               uint32_t nfields, uint32_t *const *columns, char *errbuf) PKTD_WUR;

/**
 * @brief Free a batch (the caller's arrays are untouched).
 * @param b a batch, or NULL.
 * @since 1.1
 */
PKTD_API void pktd_batch_close(pktd_batch *b);

/**
 * @brief Store a per-row column (PKTD_BATCH_TS_NS ...) in the caller's array.
 *
 * @param b      the batch.
 * @param column a PKTD_BATCH_* column index.
 * @param array  the array, of the column's type and at least the batch's
 *               capacity of elements; NULL stops storing the column.
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL @p b or an unknown column.
 * @since 1.1
 */
PKTD_API int pktd_batch_bind(pktd_batch *b, uint32_t column, void *array) PKTD_WUR;

/**
 * @brief The row capacity given at creation.
 * @param b the batch.
 * @return rows; 0 for NULL.
 * @since 1.1
 */
PKTD_API uint32_t pktd_batch_capacity(const pktd_batch *b);

/**
 * @brief Decode the next records of a capture file into the columns.
 *
 * Reads with pktd_reader_next() until @p max_rows (or the capacity) rows
 * are filled, the file ends or the reader fails.  A frame that does not
 * decode is still a row (its status says why).
 *
 * @param b        the batch.
 * @param r        an open reader.
 * @param max_rows most rows to fill; 0 or more than the capacity: the capacity.
 * @param rows     receives the rows filled, in every case (may be NULL).
 * @return 1 when the rows stopped at @p max_rows or the capacity (more may
 *         follow); 0 at the end of the file; a negative code as
 *         pktd_reader_next() gives it (pktd_reader_errmsg() has the
 *         details): the rows before the error are filled and valid;
 *         PKTD_E_INVALID_ARGUMENT for a NULL @p b or @p r.
 * @since 1.1
 */
PKTD_API int pktd_batch_read(pktd_batch *b, pktd_reader *r, uint32_t max_rows, uint32_t *rows) PKTD_WUR;

/**
 * @brief Decode frames held in memory into the columns.
 *
 * @param b        the batch.
 * @param linktype the link type of every frame.
 * @param frames   `frames[i]` is frame i (may be NULL only when its length is 0).
 * @param lens     `lens[i]` is its length in bytes (caplen and wire length).
 * @param ts_ns    capture times (may be NULL: the column gets 0).
 * @param n        frames (rows filled: at most the capacity).
 * @return the rows filled; PKTD_E_INVALID_ARGUMENT for a NULL @p b, or NULL
 *         @p frames or @p lens with @p n above 0.
 * @since 1.1
 */
PKTD_API int pktd_batch_decode_frames(pktd_batch *b, uint32_t linktype, const uint8_t *const *frames,
                                      const size_t *lens, const uint64_t *ts_ns, uint32_t n) PKTD_WUR;

/**
 * @brief Decode the packets a live capture has ready into the columns.
 *
 * One pktd_capture_dispatch() call, limited to @p max_rows and the capacity.
 *
 * @param b        the batch.
 * @param c        an active capture handle.
 * @param max_rows most rows to fill; 0 or more than the capacity: the capacity.
 * @param rows     receives the rows filled, in every case (may be NULL).
 * @return 0; a negative code as pktd_capture_dispatch() gives it (e.g.
 *         PKTD_E_BREAK): the rows before it are filled and valid;
 *         PKTD_E_INVALID_ARGUMENT for a NULL @p b or @p c.
 * @since 1.1
 */
PKTD_API int pktd_batch_capture(pktd_batch *b, pktd_capture *c, uint32_t max_rows, uint32_t *rows) PKTD_WUR;

PKTD_END_DECLS

#endif /* PKTDECODE_BATCH_H */
