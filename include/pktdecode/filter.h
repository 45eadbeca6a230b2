/**
 * @file pktdecode/filter.h
 * @brief tcpdump filter expressions run on frames in memory.  @since 1.1
 *
 * The capture handle installs filters in the kernel
 * (pktd_capture_set_filter_expr()); this handle runs the same kind of
 * expression on frames the caller already has (a capture file, a ring),
 * as `tcpdump -r FILE EXPR` does: the expression is compiled by libpcap for
 * the frames' link type and the program is checked and run by the
 * library's classic BPF interpreter.  Compiled as for a saved file, the
 * program reads only the captured bytes and, as its length (BPF_LEN), the
 * wire length (no Linux ancillary data: a VLAN expression reads the tags in
 * the frame).
 *
 * Memory: pktd_filter_create() allocates the handle and the program;
 * pktd_filter_match() allocates nothing.  A filter is read-only once made:
 * several threads may match with it at once.
 */
#ifndef PKTDECODE_FILTER_H
#define PKTDECODE_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** @brief Opaque compiled filter (pktd_filter_create()). @since 1.1 */
typedef struct pktd_filter pktd_filter;

/**
 * @brief Compile a tcpdump filter expression for frames of one link type.
 *
 * @param out      receives the filter (NULL on failure).
 * @param expr     the expression (pcap-filter(7)); "" matches everything.
 * @param linktype the frames' pcap LINKTYPE_ value (#PKTD_LINKTYPE_ETHERNET, ...).
 * @param errbuf   receives the reason on failure, libpcap's message for a
 *                 bad expression (may be NULL; at least #PKTD_ERRBUF_SIZE bytes).
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL argument, the expression does
 *         not compile for that link type); PKTD_E_UNSUPPORTED when the
 *         library was built without libpcap (pktd_capture_expr_available());
 *         -ENOMEM.
 * @since 1.1
 */
PKTD_API int pktd_filter_create(pktd_filter **out, const char *expr, uint32_t linktype,
                                char *errbuf) PKTD_WUR;

/**
 * @brief Whether a frame matches.
 * @param f        the filter.
 * @param data     the captured bytes.
 * @param caplen   how many.
 * @param wire_len the frame's length on the wire (at least @p caplen).
 * @return 1 when it matches, 0 when not (or for a NULL @p f or @p data).
 * @since 1.1
 */
PKTD_API int pktd_filter_match(const pktd_filter *f, const uint8_t *data, size_t caplen,
                               size_t wire_len);

/**
 * @brief Free a filter.
 * @param f a filter, or NULL.
 * @since 1.1
 */
PKTD_API void pktd_filter_close(pktd_filter *f);

PKTD_END_DECLS

#endif /* PKTDECODE_FILTER_H */
