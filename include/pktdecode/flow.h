/**
 * @file pktdecode/flow.h
 * @brief Flow table: bidirectional flows with counters, TCP state, idle and
 *        active timeouts and an export callback, in a fixed capacity.
 *        @since 1.1
 *
 * A flow is the set of packets that share a key: the IP protocol, both
 * addresses (IPv4 or IPv6), both ports (TCP and UDP; 0 for every other
 * protocol, ICMP and ICMPv6 included), the VLAN ids of the frame (outermost
 * first, all of them) and a caller-given 64-bit @e zone.  The key is
 * bidirectional: A->B and B->A are the same flow.  Direction 0 ("fwd") is
 * what the sender of the flow's first packet sends, direction 1 ("rev") the
 * other way.
 *
 * The zone separates flows that the packet's own headers cannot: a tunnel
 * identifier (a VXLAN VNI, a GTP TEID, ...), a capture interface, a
 * customer.  The library never derives it; 0 means "none".
 *
 * Each flow gets an id below the table's capacity, stable from its first
 * packet until it is exported, so a caller can keep per-flow state in an
 * array of capacity elements indexed by it (the TCP stream reassembler does).
 * A flow ends, and is handed to the export callback, when:
 * - TCP: both sides sent FIN (#PKTD_FLOW_END_FIN) or one sent RST
 *   (#PKTD_FLOW_END_RST) and then a new connection (a SYN without ACK)
 *   reuses the key, or the flow's idle timeout passes (a closed flow ends
 *   with FIN or RST, not IDLE);
 * - no packet arrived for the idle timeout (#PKTD_FLOW_END_IDLE);
 * - the flow has lasted the active timeout (#PKTD_FLOW_END_ACTIVE; its
 *   next packet starts a new flow, as NetFlow and IPFIX do);
 * - the table is full and a new flow needs its slot: the least recently
 *   updated flow is evicted (#PKTD_FLOW_END_EVICTED);
 * - the caller flushes the table (#PKTD_FLOW_END_EOF, or FIN/RST for a TCP
 *   flow already closed).
 *
 * Time is capture time (the @p ts_ns given to pktd_flow_table_update()),
 * never the clock: timeouts are checked on every update and by
 * pktd_flow_table_expire().  A timestamp earlier than a flow's last one
 * expires nothing; a flow's first and last times are the earliest and latest
 * of its packets.
 *
 * Memory: pktd_flow_table_create() allocates everything; nothing is
 * allocated afterwards.  The hash is keyed with a random key drawn per table
 * (getrandom()), so traffic crafted to collide one table's buckets does not
 * collide another's, and a lookup stays short (doc/design.md, "Flow table").
 *
 * Thread safety: a table is used by one thread at a time; different tables
 * are independent.
 */
#ifndef PKTDECODE_FLOW_H
#define PKTDECODE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/**
 * @brief Opaque flow table (pktd_flow_table_create()). @since 1.1 */
typedef struct pktd_flow_table pktd_flow_table;

/** @brief Opaque flow record, read with the pktd_flow_* accessors. @since 1.1 */
typedef struct pktd_flow pktd_flow;

/** @name Directions of a flow
 * @{ */
/** Sent by the flow's first sender (the flow's source). @since 1.1 */
#define PKTD_FLOW_FWD 0u
/** Sent to the flow's first sender. @since 1.1 */
#define PKTD_FLOW_REV 1u
/** @} */

/** @name How a flow ended (pktd_flow_end())
 * @{ */
/** The flow has not ended (a live flow read with pktd_flow_table_get()). @since 1.1 */
#define PKTD_FLOW_END_NONE 0u
/** TCP: both sides sent FIN. @since 1.1 */
#define PKTD_FLOW_END_FIN 1u
/** TCP: a side sent RST. @since 1.1 */
#define PKTD_FLOW_END_RST 2u
/** No packet for the idle timeout. @since 1.1 */
#define PKTD_FLOW_END_IDLE 3u
/** The flow lasted the active timeout. @since 1.1 */
#define PKTD_FLOW_END_ACTIVE 4u
/** Evicted to make room for a new flow in a full table. @since 1.1 */
#define PKTD_FLOW_END_EVICTED 5u
/** Still open when the table was flushed (end of input). @since 1.1 */
#define PKTD_FLOW_END_EOF 6u
/** Number of values in this release. @since 1.1 */
#define PKTD_FLOW_END_COUNT 7u
/** @} */

/** @name TCP state bits (pktd_flow_tcp_state())
 * @{ */
/** fwd sent SYN. @since 1.1 */
#define PKTD_FLOW_TCP_SYN_FWD 0x01u
/** rev sent SYN. @since 1.1 */
#define PKTD_FLOW_TCP_SYN_REV 0x02u
/** fwd sent FIN. @since 1.1 */
#define PKTD_FLOW_TCP_FIN_FWD 0x04u
/** rev sent FIN. @since 1.1 */
#define PKTD_FLOW_TCP_FIN_REV 0x08u
/** fwd sent RST. @since 1.1 */
#define PKTD_FLOW_TCP_RST_FWD 0x10u
/** rev sent RST. @since 1.1 */
#define PKTD_FLOW_TCP_RST_REV 0x20u
/** The flow was picked up without its opening SYN (first packet not a SYN). @since 1.1 */
#define PKTD_FLOW_TCP_MIDSTREAM 0x40u
/** The connection is closed (both FINs, or an RST): a new SYN starts a new flow. @since 1.1 */
#define PKTD_FLOW_TCP_CLOSED 0x80u
/** @} */

/** @name Statistics indexes (pktd_flow_table_stats())
 * @{ */
/** Packets given to pktd_flow_table_update(). @since 1.1 */
#define PKTD_FLOW_STAT_PACKETS 0u
/** Of those, packets counted in a flow. @since 1.1 */
#define PKTD_FLOW_STAT_KEYED 1u
/** Packets without an IP layer (ARP, decode stopped before IP, ...). @since 1.1 */
#define PKTD_FLOW_STAT_NOT_IP 2u
/** IP packets whose TCP/UDP/ICMP header was not decoded (truncated or
 *  malformed), so that no ports could be read.  @since 1.1 */
#define PKTD_FLOW_STAT_NO_TRANSPORT 3u
/** IP fragments after the first (no ports): not counted in a flow; feed the
 *  reassembled datagram instead.  @since 1.1 */
#define PKTD_FLOW_STAT_LATER_FRAGMENT 4u
/** Flows created. @since 1.1 */
#define PKTD_FLOW_STAT_CREATED 5u
/** Flows exported with #PKTD_FLOW_END_FIN. @since 1.1 */
#define PKTD_FLOW_STAT_END_FIN 6u
/** Flows exported with #PKTD_FLOW_END_RST. @since 1.1 */
#define PKTD_FLOW_STAT_END_RST 7u
/** Flows exported with #PKTD_FLOW_END_IDLE. @since 1.1 */
#define PKTD_FLOW_STAT_END_IDLE 8u
/** Flows exported with #PKTD_FLOW_END_ACTIVE. @since 1.1 */
#define PKTD_FLOW_STAT_END_ACTIVE 9u
/** Flows exported with #PKTD_FLOW_END_EVICTED (the table was full). @since 1.1 */
#define PKTD_FLOW_STAT_END_EVICTED 10u
/** Flows exported with #PKTD_FLOW_END_EOF. @since 1.1 */
#define PKTD_FLOW_STAT_END_EOF 11u
/** Longest hash chain walked by a lookup so far (a gauge, not a sum). @since 1.1 */
#define PKTD_FLOW_STAT_MAX_CHAIN 12u
/** Number of counters in this release. @since 1.1 */
#define PKTD_FLOW_STAT_COUNT 13u
/** @} */

/**
 * @brief The export callback: called once for every flow that ends.
 *
 * @p f is valid only during the call; its id is handed to no other flow
 * before the call returns.  The callback may read any flow of the table
 * (pktd_flow_table_get()) but must not update, expire or flush it (those
 * calls return PKTD_E_BAD_STATE from inside the callback).  A
 * pktd_flow_table_close() from inside the callback is carried out when the
 * call that ran the callback returns: no further flow is exported, the
 * table is freed, and that call returns PKTD_E_BAD_STATE.
 * The caller's pointer comes first, as in the library's other callbacks
 * (pktd_capture_dispatch()'s handler, #pktd_tcp_reasm_fn).
 * @param user the pointer given to pktd_flow_table_set_export().
 * @param f    the ended flow (pktd_flow_end() says why).
 * @since 1.1
 */
typedef void (*pktd_flow_export_fn)(void *user, const pktd_flow *f);

/**
 * @brief Create a flow table.
 *
 * @param out                receives the table (NULL on failure).
 * @param capacity           most flows held at once (1 ... 2^24); flow ids
 *                           are below it.
 * @param idle_timeout_ns    a flow with no packet for longer than this ends
 *                           (#PKTD_FLOW_END_IDLE); 0: never.
 * @param active_timeout_ns  a flow older than this (last packet minus first)
 *                           ends at its next packet or expiry check
 *                           (#PKTD_FLOW_END_ACTIVE); 0: never.
 * @param errbuf             receives the reason on failure (may be NULL; at
 *                           least #PKTD_ERRBUF_SIZE bytes).
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL @p out or a capacity out of
 *         range; -ENOMEM; the getrandom() error.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_create(pktd_flow_table **out, uint32_t capacity,
                                    uint64_t idle_timeout_ns, uint64_t active_timeout_ns,
                                    char *errbuf) PKTD_WUR;

/**
 * @brief Free a table.  Flows still in it are not exported (call
 *        pktd_flow_table_flush() first to get them).
 * @param t a table, or NULL.
 * @since 1.1
 */
PKTD_API void pktd_flow_table_close(pktd_flow_table *t);

/**
 * @brief Set the export callback (none at creation: ended flows are then
 *        only counted).
 * @param t    the table.
 * @param fn   the callback, or NULL for none.
 * @param user passed to every call of @p fn.
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL @p t; PKTD_E_BAD_STATE
 *         from inside the callback.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_set_export(pktd_flow_table *t, pktd_flow_export_fn fn,
                                        void *user) PKTD_WUR;

/**
 * @brief Count a decoded packet in its flow.
 *
 * First expires the flows whose idle or active timeout has passed at
 * @p ts_ns (the export callback runs for each), then finds or creates the
 * packet's flow (evicting the least recently updated flow when the table is
 * full) and counts the packet in it.  A packet that has no flow key (no
 * IPv4/IPv6 layer, no decoded TCP/UDP header for TCP/UDP, a fragment after
 * the first) is counted in the statistics only.  A decode that stopped
 * after the transport header (an error in TCP options, say) still has a key.
 *
 * @param t        the table.
 * @param p        the packet, decoded by pktd_decode() or a *_parse() call.
 * @param ts_ns    its capture time (ns).
 * @param wire_len its length on the wire (pktd_reader_wire_len(),
 *                 pktd_capture_wire_len()): the bytes counted, as tshark's
 *                 conversation table counts them.
 * @param zone     the caller's zone (tunnel id, interface, ...; 0: none),
 *                 part of the key.
 * @param flow_id  receives the flow's id (may be NULL; written only when
 *                 the result is 1 or 2).
 * @param dir      receives #PKTD_FLOW_FWD or #PKTD_FLOW_REV (may be NULL;
 *                 written only when the result is 1 or 2).
 * @return 2 when the packet started a new flow, 1 when it was counted in an
 *         existing flow, 0 when it has no flow key; PKTD_E_INVALID_ARGUMENT
 *         for a NULL @p t or @p p; PKTD_E_BAD_STATE from inside the
 *         export callback.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_update(pktd_flow_table *t, const pktd_packet *p, uint64_t ts_ns,
                                    size_t wire_len, uint64_t zone, uint32_t *flow_id,
                                    uint32_t *dir) PKTD_WUR;

/**
 * @brief Export every flow whose idle or active timeout has passed at
 *        @p now_ns (capture time); call it when no packet came for a while.
 * @param t      the table.
 * @param now_ns the current capture time (ns).
 * @return the number of flows exported; PKTD_E_INVALID_ARGUMENT for a NULL
 *         @p t; PKTD_E_BAD_STATE from inside the export callback.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_expire(pktd_flow_table *t, uint64_t now_ns) PKTD_WUR;

/**
 * @brief Export every flow (end of input), in the order of their first
 *        packets: #PKTD_FLOW_END_EOF, or FIN/RST for a closed TCP flow.
 *        The table is empty afterwards and can be used again.
 * @param t the table.
 * @return the number of flows exported; PKTD_E_INVALID_ARGUMENT for a NULL
 *         @p t; PKTD_E_BAD_STATE from inside the export callback.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_flush(pktd_flow_table *t) PKTD_WUR;

/**
 * @brief A live flow by id (to read its counters before it ends).
 * @param t       the table.
 * @param flow_id an id returned by pktd_flow_table_update().
 * @return the flow, valid until the next update, expire, flush or close;
 *         NULL when no live flow has that id or @p t is NULL.
 * @since 1.1
 */
PKTD_API const pktd_flow *pktd_flow_table_get(const pktd_flow_table *t, uint32_t flow_id);

/**
 * @brief The capacity given at creation.
 * @param t the table.
 * @return flows; 0 for NULL.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_table_capacity(const pktd_flow_table *t);

/**
 * @brief How many flows are live (not yet exported).
 * @param t the table.
 * @return flows; 0 for NULL.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_table_count(const pktd_flow_table *t);

/**
 * @brief The table's counters (PKTD_FLOW_STAT_*).
 * @param t     the table.
 * @param stats receives counter i at index i, for i below @p n (may be NULL
 *              when @p n is 0).
 * @param n     the array's length.
 * @return the number of counters the library knows (#PKTD_FLOW_STAT_COUNT
 *         in this release); PKTD_E_INVALID_ARGUMENT for a NULL @p t, or a
 *         NULL @p stats with @p n > 0.
 * @since 1.1
 */
PKTD_API int pktd_flow_table_stats(const pktd_flow_table *t, uint64_t *stats, size_t n) PKTD_WUR;

/**
 * @brief The message of the last failed call on the table.
 * @param t the table.
 * @return a sentence; "" when nothing failed; never NULL.
 * @since 1.1
 */
PKTD_API const char *pktd_flow_table_errmsg(const pktd_flow_table *t);

/** @name Flow record accessors
 * Each takes a flow given to the export callback or returned by
 * pktd_flow_table_get(), and returns 0 (NULL for pointers) for a NULL flow.
 * "src" is the sender of the flow's first packet.
 * @{ */
/** @brief The flow's id (below the table's capacity).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_id(const pktd_flow *f);
/**
 * @brief 4 or 6.
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_ip_version(const pktd_flow *f);
/**
 * @brief The IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint8_t pktd_flow_proto(const pktd_flow *f);
/**
 * @brief src's IPv4 address, host order; 0 for an IPv6 flow.
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_ipv4_src(const pktd_flow *f);
/**
 * @brief dst's IPv4 address, host order; 0 for an IPv6 flow.
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_ipv4_dst(const pktd_flow *f);
/**
 * @brief src's 16-byte IPv6 address; NULL for an IPv4 flow.
 * @param f the flow (may be NULL).
 * @return the value described; NULL for a NULL flow.
 * @since 1.1
 */
PKTD_API const uint8_t *pktd_flow_ipv6_src(const pktd_flow *f);
/**
 * @brief dst's 16-byte IPv6 address; NULL for an IPv4 flow.
 * @param f the flow (may be NULL).
 * @return the value described; NULL for a NULL flow.
 * @since 1.1
 */
PKTD_API const uint8_t *pktd_flow_ipv6_dst(const pktd_flow *f);
/**
 * @brief src's port (TCP, UDP; 0 otherwise).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint16_t pktd_flow_sport(const pktd_flow *f);
/**
 * @brief dst's port (TCP, UDP; 0 otherwise).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint16_t pktd_flow_dport(const pktd_flow *f);
/**
 * @brief Number of VLAN ids in the key (0 ... #PKTD_VLAN_MAX_DEPTH).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_vlan_count(const pktd_flow *f);
/**
 * @brief VLAN id @p i (0: outermost); 0 when @p i is out of range.
 * @param f the flow (may be NULL).
 * @param i the index, 0 for the outermost tag.
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint16_t pktd_flow_vlan_vid(const pktd_flow *f, uint32_t i);
/**
 * @brief The zone given to pktd_flow_table_update().
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint64_t pktd_flow_zone(const pktd_flow *f);
/**
 * @brief Earliest capture time of the flow's packets (ns): the first packet's,
 *  unless capture time went backwards.
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint64_t pktd_flow_first_ns(const pktd_flow *f);
/**
 * @brief Latest capture time of the flow's packets (ns).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint64_t pktd_flow_last_ns(const pktd_flow *f);
/**
 * @brief Packets sent in direction @p dir (#PKTD_FLOW_FWD, #PKTD_FLOW_REV; 0 otherwise).
 * @param f the flow (may be NULL).
 * @param dir #PKTD_FLOW_FWD or #PKTD_FLOW_REV.
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint64_t pktd_flow_packets(const pktd_flow *f, uint32_t dir);
/**
 * @brief Wire bytes (whole frames) sent in direction @p dir.
 * @param f the flow (may be NULL).
 * @param dir #PKTD_FLOW_FWD or #PKTD_FLOW_REV.
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint64_t pktd_flow_bytes(const pktd_flow *f, uint32_t dir);
/**
 * @brief OR of the TCP flag bytes (pktd_tcp_flags()) sent in direction @p dir.
 * @param f the flow (may be NULL).
 * @param dir #PKTD_FLOW_FWD or #PKTD_FLOW_REV.
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint8_t pktd_flow_tcp_flags(const pktd_flow *f, uint32_t dir);
/**
 * @brief TCP state bits (PKTD_FLOW_TCP_*); 0 for other protocols.
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_tcp_state(const pktd_flow *f);
/**
 * @brief How the flow ended (PKTD_FLOW_END_*; #PKTD_FLOW_END_NONE while live).
 * @param f the flow (may be NULL).
 * @return the value described; 0 for a NULL flow.
 * @since 1.1
 */
PKTD_API uint32_t pktd_flow_end(const pktd_flow *f);
/** @} */

/**
 * @brief The name of a PKTD_FLOW_END_* value: "none", "fin", "rst", "idle",
 *        "active", "evicted", "eof" (the JSON of pktd-flows).
 * @param end the value.
 * @return the name; "unknown" for other values; never NULL.
 * @since 1.1
 */
PKTD_API const char *pktd_flow_end_name(uint32_t end);

PKTD_END_DECLS

#endif /* PKTDECODE_FLOW_H */
