/**
 * @file pktdecode/capture.h
 * @brief Live capture: an AF_PACKET mmap ring or an AF_INET raw socket
 *        behind one opaque handle.
 *
 * Life cycle (as libpcap's): pktd_capture_create() → pktd_capture_set_*() →
 * pktd_capture_activate() → pktd_capture_next() / pktd_capture_dispatch() →
 * pktd_capture_close().  Options are set between create and activate; after
 * activation an option setter returns PKTD_E_BAD_STATE, except the filter
 * setters and pktd_capture_set_nonblock(), which may be called at any time.
 *
 * Two modes:
 * - **link layer** (the default): an AF_PACKET SOCK_RAW socket for all
 *   protocols (ETH_P_ALL) on one interface or on all of them, read through a
 *   TPACKET_V3 memory-mapped ring (TPACKET_V2 when V3 is unavailable or
 *   immediate delivery is asked for).  Packets are Ethernet frames
 *   (#PKTD_LINKTYPE_ETHERNET); 802.1Q/802.1ad tags that the kernel removed
 *   are put back in the frame.
 * - **IP layer** (pktd_capture_set_ip_protocol()): an AF_INET SOCK_RAW socket
 *   for one IP protocol; packets are IPv4 datagrams with their header
 *   (#PKTD_LINKTYPE_RAW), after reassembly, incoming only.
 * - **IPv6 layer** (1.1, pktd_capture_set_ip_family() with 6): an AF_INET6
 *   SOCK_RAW socket for one protocol (ICMPv6 by default).  The kernel hands
 *   such a socket only the upper-layer payload, so the library *synthesizes*
 *   a fixed IPv6 header in front of it and the packets are
 *   #PKTD_LINKTYPE_IPV6: see pktd_capture_set_ip_family() for which fields
 *   are real.
 *
 * Setup order (link layer): the socket is opened with protocol 0, so it
 * receives nothing; the ring is set up, the kernel filter attached, and only
 * then the socket is bound to ETH_P_ALL, so no unfiltered packet enters the
 * ring.  A filter replaced on an active handle first rejects everything,
 * drains what was queued, then attaches the new program; packets already in
 * the ring from before the change are checked against the new program in
 * user space, so every packet delivered after the setter returns matched it.
 *
 * Statistics (pktd_capture_stats()) are 64-bit running totals that account for
 * every packet that passed the kernel filter: received = dropped by the
 * kernel + delivered + discarded by the library + still pending in the ring.
 *
 * Errors: every function returns 0 (or a count) on success, `-errno` for a
 * failed system call, or a library code; pktd_capture_errmsg() then names the
 * failing call and says what to do (e.g. "run as root or grant
 * CAP_NET_RAW").
 *
 * Thread safety: a handle is used by one thread at a time, except
 * pktd_capture_breakloop(), which any thread or a signal handler may call.
 * Different handles are independent.  Packet data returned by
 * pktd_capture_next() stays valid until the next pktd_capture_next(),
 * pktd_capture_dispatch(), filter change or pktd_capture_close() on that handle.
 *
 * Privileges: activation needs CAP_NET_RAW (root); promiscuous mode on some
 * interfaces and fanout need nothing more.
 */
#ifndef PKTDECODE_CAPTURE_H
#define PKTDECODE_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Opaque live-capture handle. */
typedef struct pktd_capture pktd_capture;

/** pktd_capture_activate() succeeded but changed a request (see pktd_capture_errmsg()). */
#define PKTD_CAPTURE_WARNING 1

/** Default snap length: libpcap's maximum. */
#define PKTD_CAPTURE_DEFAULT_SNAPLEN 262144u
/** Default ring (link layer) or socket receive buffer (IP layer) size: 4 MiB. */
#define PKTD_CAPTURE_DEFAULT_BUFFER (4u * 1024u * 1024u)
/** Largest number of classic BPF instructions the kernel accepts. */
#define PKTD_CAPTURE_BPF_MAXINSNS 4096u

/** @name Directions (pktd_capture_set_direction())
 * @{ */
#define PKTD_CAPTURE_DIR_IN 1u   /**< packets received by the host */
#define PKTD_CAPTURE_DIR_OUT 2u  /**< packets sent by the host */
#define PKTD_CAPTURE_DIR_BOTH 3u /**< both (default); on loopback each packet once */
/** @} */

/** @name Fanout modes (pktd_capture_set_fanout()), the kernel's PACKET_FANOUT_* values
 * @{ */
#define PKTD_CAPTURE_FANOUT_HASH 0u /**< by flow hash: a flow stays on one handle */
#define PKTD_CAPTURE_FANOUT_LB 1u   /**< round robin */
#define PKTD_CAPTURE_FANOUT_CPU 2u  /**< by the CPU that received the packet */
/** Flag: move packets to another member when this one's ring is full. */
#define PKTD_CAPTURE_FANOUT_FLAG_ROLLOVER 0x1000u
/** Flag: reassemble IP fragments before hashing. */
#define PKTD_CAPTURE_FANOUT_FLAG_DEFRAG 0x8000u
/** @} */

/** @name TPACKET versions (pktd_capture_set_tpacket_version())
 * @{ */
#define PKTD_CAPTURE_TPACKET_AUTO 0u /**< V3, else V2 (V2 in immediate mode) */
#define PKTD_CAPTURE_TPACKET_V2 2u   /**< one fixed-size frame per packet */
#define PKTD_CAPTURE_TPACKET_V3 3u   /**< variable-size packets in blocks */
/** @} */

/** @name Packet types (pktd_capture_pkttype()), the kernel's PACKET_* values
 * @{ */
#define PKTD_CAPTURE_PKT_HOST 0u      /**< to this host */
#define PKTD_CAPTURE_PKT_BROADCAST 1u /**< link-layer broadcast */
#define PKTD_CAPTURE_PKT_MULTICAST 2u /**< link-layer multicast */
#define PKTD_CAPTURE_PKT_OTHERHOST 3u /**< to another host (promiscuous) */
#define PKTD_CAPTURE_PKT_OUTGOING 4u  /**< sent by this host */
/** @} */

/** @name Statistics indexes (pktd_capture_stats())
 * @{ */
/** Packets that passed the kernel filter, dropped ones included
 *  (tcpdump's "packets received by filter"). */
#define PKTD_CAPTURE_STAT_RECEIVED 0u
/** Packets the kernel dropped because the ring or socket buffer was full
 *  (tcpdump's "packets dropped by kernel"). */
#define PKTD_CAPTURE_STAT_DROPPED 1u
/** Packets handed to the caller by pktd_capture_next() or pktd_capture_dispatch(). */
#define PKTD_CAPTURE_STAT_DELIVERED 2u
/** Packets the library received but did not deliver: the loopback's
 *  duplicate of an outgoing packet, packets from before a filter change that
 *  the new filter rejects, packets a user-space filter rejects, frames of a
 *  non-Ethernet interface when capturing on all interfaces. */
#define PKTD_CAPTURE_STAT_FILTERED 3u
/** Packets in the ring not read yet (link layer; 0 in IP mode). */
#define PKTD_CAPTURE_STAT_PENDING 4u
/** Number of counters in this release. */
#define PKTD_CAPTURE_STAT_COUNT 5u
/** @} */

/**
 * @brief Per-packet callback of pktd_capture_dispatch().
 *
 * @param user     the pointer given to pktd_capture_dispatch().
 * @param data     the packet; valid only during the call.
 * @param caplen   bytes at @p data.
 * @param wire_len original length.
 * @param ts_ns    capture time, ns since the epoch.
 * @return 0 to continue, non-zero to stop the batch after this packet.
 */
typedef int (*pktd_capture_handler)(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                                uint64_t ts_ns);

/**
 * @brief Create a capture handle (no system resources are taken yet).
 *
 * @param out    receives the handle; set to NULL on failure.
 * @param device interface name, or NULL, "" or "any" for all interfaces
 *               (link layer: every interface; IP layer: no binding).
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive, on
 *               failure, a sentence saying what failed and why ("" on
 *               success).  Later failures: pktd_capture_errmsg().
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL @p out, name longer than 15
 *         bytes); -ENOMEM; `-errno` from eventfd().
 * @since 1.0
 */
PKTD_API int pktd_capture_create(pktd_capture **out, const char *device, char *errbuf) PKTD_WUR;

/**
 * @brief Close the socket, unmap the ring, free the handle.
 *
 * Promiscuous mode taken by the handle ends with it.
 * @param c a handle, or NULL.
 * @since 1.0
 */
PKTD_API void pktd_capture_close(pktd_capture *c);

/**
 * @brief Capture at the IP layer: an AF_INET raw socket for one protocol.
 * @param c        a handle not yet activated.
 * @param protocol IP protocol number 1 ... 254 (1 ICMP, 6 TCP, 17 UDP).
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE after activation.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_ip_protocol(pktd_capture *c, uint32_t protocol) PKTD_WUR;

/**
 * @brief Largest number of bytes kept per packet.
 * @param c       a handle not yet activated.
 * @param snaplen 1 ... #PKTD_CAPTURE_DEFAULT_SNAPLEN (0 = the default).
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_snaplen(pktd_capture *c, uint32_t snaplen) PKTD_WUR;

/**
 * @brief Promiscuous mode (off by default), through PACKET_ADD_MEMBERSHIP so
 *        it ends when the handle closes.  Ignored, with a warning, on all
 *        interfaces and in IP mode.
 * @param c  a handle not yet activated.
 * @param on 1 to enable, 0 to disable.
 * @return 0; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_promisc(pktd_capture *c, int on) PKTD_WUR;

/**
 * @brief Ring size (link layer) or socket receive buffer size (IP layer).
 *
 * The ring is rounded up to whole blocks, at least two.  It is kernel memory
 * that cannot be swapped: when the kernel cannot allocate it, activation
 * retries with 5 % fewer blocks each time (as libpcap does) and warns; a
 * request above half of the machine's memory starts from that half.
 *
 * @param c     a handle not yet activated.
 * @param bytes size in bytes (0 = #PKTD_CAPTURE_DEFAULT_BUFFER).
 * @return 0; PKTD_E_TOO_LARGE when the ring could not be described to the
 *         kernel (more than 2^32 - 1 frames or blocks); PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_buffer_size(pktd_capture *c, size_t bytes) PKTD_WUR;

/**
 * @brief TPACKET_V3 block timeout: a partly filled block is handed over
 *        after this long.
 * @param c  a handle not yet activated.
 * @param ms milliseconds, 1 ... 60000; 0 lets the kernel choose (8 ms on
 *           most interfaces; the default).
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_block_timeout(pktd_capture *c, uint32_t ms) PKTD_WUR;

/**
 * @brief How long pktd_capture_next() and pktd_capture_dispatch() wait for a packet.
 * @param c  a handle not yet activated.
 * @param ms milliseconds; -1 waits until a packet arrives or
 *           pktd_capture_breakloop() is called (the default).
 * @return 0; PKTD_E_INVALID_ARGUMENT for values below -1; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_timeout(pktd_capture *c, int32_t ms) PKTD_WUR;

/**
 * @brief Immediate mode: every packet is readable as soon as it arrives
 *        (TPACKET_V2, one frame per packet) instead of in blocks.
 *
 * A V2 frame holds a whole packet up to the snap length (at most 64 KiB
 * plus headers, the size of an aggregated GRO/TSO packet), whatever the
 * packet's real size: the default 4 MiB ring then has about 60 frames.  For
 * bursts of small packets lower the snap length or raise the buffer; V3
 * (the default) packs packets by their real size.
 *
 * @param c  a handle not yet activated.
 * @param on 1 to enable.
 * @return 0; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_immediate(pktd_capture *c, int on) PKTD_WUR;

/**
 * @brief Force a ring version (for tests and old kernels).
 * @param c       a handle not yet activated.
 * @param version #PKTD_CAPTURE_TPACKET_AUTO, #PKTD_CAPTURE_TPACKET_V2 or
 *                #PKTD_CAPTURE_TPACKET_V3.
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_tpacket_version(pktd_capture *c, uint32_t version) PKTD_WUR;

/**
 * @brief Which packets to capture: received, sent or both.
 *
 * Implemented in the kernel filter (packet type), so unwanted packets are not
 * even counted.  With #PKTD_CAPTURE_DIR_BOTH on the loopback interface (or on
 * all interfaces) the outgoing copy of each loopback packet is left out: it
 * comes back as an incoming one.
 *
 * @param c   a handle not yet activated (link layer only).
 * @param dir #PKTD_CAPTURE_DIR_IN, #PKTD_CAPTURE_DIR_OUT or #PKTD_CAPTURE_DIR_BOTH.
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_direction(pktd_capture *c, uint32_t dir) PKTD_WUR;

/**
 * @brief Join a PACKET_FANOUT group: handles (in this or other processes)
 *        with the same group id and mode on the same interface share its
 *        packets, each packet going to exactly one of them.
 *
 * The handle joins while its filter still rejects everything, so no packet
 * reaches it twice; start traffic that must not be missed after every member
 * is active.
 *
 * @param c     a handle not yet activated (link layer only).
 * @param mode  #PKTD_CAPTURE_FANOUT_HASH, #PKTD_CAPTURE_FANOUT_LB or
 *              #PKTD_CAPTURE_FANOUT_CPU, optionally ORed with
 *              #PKTD_CAPTURE_FANOUT_FLAG_ROLLOVER and #PKTD_CAPTURE_FANOUT_FLAG_DEFRAG.
 * @param group group id, 0 ... 65535.
 * @return 0; PKTD_E_INVALID_ARGUMENT; PKTD_E_BAD_STATE.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_fanout(pktd_capture *c, uint32_t mode, uint32_t group) PKTD_WUR;

/**
 * @brief Non-blocking reads: pktd_capture_next() and pktd_capture_dispatch() return
 *        0 at once when no packet is ready.  May be called at any time.
 * @param c  a handle.
 * @param on 1 for non-blocking, 0 for blocking.
 * @return 0; PKTD_E_INVALID_ARGUMENT for NULL.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_nonblock(pktd_capture *c, int on) PKTD_WUR;

/**
 * @brief Kernel filter from classic BPF instructions.
 *
 * @p prog holds @p count 8-byte instructions (8 * @p count bytes), each laid out as the kernel's
 * `struct sock_filter` in host byte order: uint16 code, uint8 jt, uint8 jf,
 * uint32 k (tcpdump -dd prints them).  The program is checked with the
 * kernel's rules for classic BPF (valid opcodes, known ancillary offsets,
 * jumps inside the program, scratch memory indexes and stores before loads,
 * no constant division by 0 or shift by 32 or more, ending with a return)
 * and copied.  Before activation it is attached before the socket starts
 * receiving; afterwards it replaces the current filter (see the file
 * description).  A program returning N keeps at most N bytes.
 *
 * @param c     a handle.
 * @param prog  the instructions (any alignment); NULL with @p count 0 removes
 *              the filter.
 * @param count 1 ... #PKTD_CAPTURE_BPF_MAXINSNS.
 * @return 0; PKTD_E_INVALID_ARGUMENT for an invalid program (errmsg says
 *         which instruction); `-errno` from setsockopt(SO_ATTACH_FILTER) on
 *         an active handle; -ENOMEM.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_filter_bpf(pktd_capture *c, const uint8_t *prog, uint32_t count) PKTD_WUR;

/**
 * @brief Kernel filter from the text `tcpdump -ddd` prints: the instruction
 *        count on the first line, then one "code jt jf k" line (decimal) per
 *        instruction.
 * @param c    a handle.
 * @param text the program text.
 * @return As pktd_capture_set_filter_bpf(); PKTD_E_INVALID_ARGUMENT for bad text
 *         (errmsg names the line).
 * @since 1.0
 */
PKTD_API int pktd_capture_set_filter_text(pktd_capture *c, const char *text) PKTD_WUR;

/**
 * @brief Kernel filter from a tcpdump filter expression, compiled by
 *        libpcap's pcap_compile() for the handle's link type and snap length.
 *
 * Available when the library was built with libpcap
 * (pktd_capture_expr_available()).  Expressions that mention "vlan" are run in
 * user space on the frame with its tags put back, because the kernel filter
 * sees frames without the tags the kernel removed; their rejections count as
 * #PKTD_CAPTURE_STAT_FILTERED.  Set the IP protocol before the expression.
 *
 * @param c        a handle.
 * @param expr     the expression ("" or NULL removes the filter).
 * @param optimize 1 to let libpcap optimise the program.
 * @return As pktd_capture_set_filter_bpf(); PKTD_E_INVALID_ARGUMENT when libpcap
 *         rejects the expression (errmsg has libpcap's message);
 *         PKTD_E_UNSUPPORTED when built without libpcap.
 * @since 1.0
 */
PKTD_API int pktd_capture_set_filter_expr(pktd_capture *c, const char *expr, int optimize) PKTD_WUR;

/**
 * @brief Whether pktd_capture_set_filter_expr() is available (built with libpcap).
 * @return 1 or 0.
 * @since 1.0
 */
PKTD_API int pktd_capture_expr_available(void);

/**
 * @brief Open the socket, set up the ring and filter, start receiving.
 *
 * @param c a handle created by pktd_capture_create().
 * @return 0; #PKTD_CAPTURE_WARNING when it succeeded with a change the errmsg
 *         describes (smaller ring, promiscuous mode not available);
 *         -EPERM without CAP_NET_RAW; -ENODEV for an unknown interface;
 *         -ENETDOWN when it is down; -ENOMEM when not even a two-block ring
 *         could be allocated; -EAFNOSUPPORT without AF_PACKET; other
 *         `-errno` values from the call errmsg names; PKTD_E_BAD_STATE when
 *         already active.  On failure the handle stays inactive and may be
 *         reconfigured and activated again.
 * @since 1.0
 */
PKTD_API int pktd_capture_activate(pktd_capture *c) PKTD_WUR;

/**
 * @brief Wait for and return the next packet, without copying it.
 *
 * @param c      an active handle.
 * @param data   receives a pointer to the packet (in the ring), valid until
 *               the next read call, filter change or pktd_capture_close().
 * @param caplen receives the captured length.
 * @return 1 for a packet; 0 when the timeout expired or, non-blocking, none
 *         was ready; PKTD_E_BREAK when pktd_capture_breakloop() was called;
 *         `-errno` (-ENETDOWN when the interface went down or away; since
 *         1.1 errmsg then says "interface X was removed; capture stopped"
 *         when it was deleted, after the packets that arrived before it,
 *         and every later read returns the same error);
 *         PKTD_E_MALFORMED when the kernel's ring holds an impossible offset
 *         or count (errmsg names the field and its value): the capture has
 *         stopped and every later read returns the same error;
 *         PKTD_E_BAD_STATE before activation.
 * @since 1.0
 */
PKTD_API int pktd_capture_next(pktd_capture *c, const uint8_t **data, size_t *caplen) PKTD_WUR;

/**
 * @brief Hand the packets that are ready to a callback.
 *
 * Waits (as pktd_capture_next()) until at least one packet is ready, then calls
 * @p cb for each ready packet, up to @p max.  The packet getters
 * (pktd_capture_ifindex() ...) describe the packet during the callback.
 *
 * @param c    an active handle.
 * @param max  most packets to process; 0: all that are ready.
 * @param cb   the callback.
 * @param user passed to @p cb.
 * @return the number of packets processed (0 on timeout); PKTD_E_BREAK when
 *         pktd_capture_breakloop() was called before or during the batch (the
 *         packets handed to @p cb until then stay processed and counted);
 *         negative codes as pktd_capture_next().
 * @since 1.0
 */
PKTD_API int pktd_capture_dispatch(pktd_capture *c, uint32_t max, pktd_capture_handler cb, void *user) PKTD_WUR;

/**
 * @brief Make the current or next wait of pktd_capture_next() /
 *        pktd_capture_dispatch() return PKTD_E_BREAK.
 *
 * Async-signal-safe and callable from any thread (an atomic flag and a write
 * to an eventfd).  One call stops one wait or batch.
 * @param c the handle.
 * @since 1.0
 */
PKTD_API void pktd_capture_breakloop(pktd_capture *c);

/**
 * @brief The descriptor to poll() for readability (POLLIN) before reading.
 * @param c an active handle.
 * @return the socket descriptor, or PKTD_E_BAD_STATE before activation.
 * @since 1.0
 */
PKTD_API int pktd_capture_fd(const pktd_capture *c) PKTD_WUR;

/** @brief Capture time of the current packet. @param c the handle. @return ns since the epoch. @since 1.0 */
PKTD_API uint64_t pktd_capture_ts_ns(const pktd_capture *c);
/** @brief Original length of the current packet. @param c the handle. @return bytes. @since 1.0 */
PKTD_API uint32_t pktd_capture_wire_len(const pktd_capture *c);
/** @brief Interface index the current packet was seen on. @param c the handle. @return ifindex (0 if unknown). @since 1.0 */
PKTD_API uint32_t pktd_capture_ifindex(const pktd_capture *c);
/** @brief Packet type of the current packet. @param c the handle. @return a PKTD_CAPTURE_PKT_ value (IP mode: #PKTD_CAPTURE_PKT_HOST). @since 1.0 */
PKTD_API uint32_t pktd_capture_pkttype(const pktd_capture *c);
/** @brief Link type of the packets. @param c the handle. @return #PKTD_LINKTYPE_ETHERNET (1) or #PKTD_LINKTYPE_RAW (101); since 1.1 also #PKTD_LINKTYPE_LINUX_SLL2 (276) or #PKTD_LINKTYPE_IPV6 (229). @since 1.0 */
PKTD_API uint32_t pktd_capture_linktype(const pktd_capture *c);
/** @brief The snap length in effect. @param c the handle. @return bytes. @since 1.0 */
PKTD_API uint32_t pktd_capture_snaplen(const pktd_capture *c);
/** @brief Size of the ring (link layer) or receive buffer (IP layer) actually obtained. @param c the handle. @return bytes; 0 before activation. @since 1.0 */
PKTD_API size_t pktd_capture_buffer_size(const pktd_capture *c);
/** @brief The TPACKET version in use. @param c the handle. @return 2 or 3; 0 in IP mode or before activation. @since 1.0 */
PKTD_API uint32_t pktd_capture_tpacket_version(const pktd_capture *c);

/**
 * @brief Read the statistics as 64-bit running totals since activation.
 *
 * Fills `stats[i]` for the indexes PKTD_CAPTURE_STAT_* below @p n (more than
 * #PKTD_CAPTURE_STAT_COUNT is fine: the rest is not touched).  Not a `const`
 * query: it adds the kernel's counters, which reset on every read, into the
 * handle's totals.  When no packet is
 * arriving, received = dropped + delivered + filtered + pending exactly.
 *
 * @param c     an active handle.
 * @param stats destination array.
 * @param n     its length.
 * @return the number of counters the library knows (#PKTD_CAPTURE_STAT_COUNT in
 *         this version; it may grow), whatever @p n is; PKTD_E_BAD_STATE
 *         before activation; `-errno` from getsockopt(PACKET_STATISTICS).
 * @since 1.0
 */
PKTD_API int pktd_capture_stats(pktd_capture *c, uint64_t *stats, size_t n) PKTD_WUR;

/**
 * @brief What the last failure (or activation warning) was, naming the
 *        system call and what to do.
 * @param c the handle.
 * @return a string owned by the handle, valid until the next call on it; ""
 *         if none or if @p c is NULL.
 * @since 1.0
 */
PKTD_API const char *pktd_capture_errmsg(const pktd_capture *c);

/**
 * @brief Choose the link-layer header of the packets a link-layer capture
 *        hands out.
 *
 * #PKTD_LINKTYPE_ETHERNET (the default, as in 1.0) hands out Ethernet frames
 * and, on all interfaces, drops (and counts as filtered) frames from
 * interfaces that are not Ethernet or loopback.  #PKTD_LINKTYPE_LINUX_SLL2
 * hands out every packet of every interface behind a Linux cooked v2 header
 * (20 bytes: protocol, interface index, hardware type, packet type and
 * source address, as tcpdump `-i any` writes them), so pktd_decode() with
 * #PKTD_LINKTYPE_LINUX_SLL2 reads them and pktd_sll2_ifindex() says which
 * interface each came from.  With SLL2 the snap length counts the cooked
 * header, a VLAN tag the kernel removed is put back after it (protocol
 * 0x8100 or the kernel's TPID, then the tag and the inner protocol), and
 * the filter program (compiled for SLL2: pktd_capture_set_filter_expr()
 * does so after this call) runs in user space on the cooked packet, while
 * the kernel still tests the direction.  pktd_capture_linktype() reports the
 * choice.
 *
 * @param c        an inactive link-layer handle (no
 *                 pktd_capture_set_ip_protocol()).
 * @param linktype #PKTD_LINKTYPE_ETHERNET or #PKTD_LINKTYPE_LINUX_SLL2
 *                 (pktdecode/packet.h).
 * @return 0; PKTD_E_UNSUPPORTED for another link type;
 *         PKTD_E_INVALID_ARGUMENT for NULL or an IP-protocol capture;
 *         PKTD_E_BAD_STATE after activation.
 * @since 1.1
 */
PKTD_API int pktd_capture_set_linktype(pktd_capture *c, uint32_t linktype) PKTD_WUR;

/**
 * @brief Capture at the IP layer of IPv4 or IPv6.
 *
 * 4 (the default) keeps 1.0's behaviour: an IP-layer capture
 * (pktd_capture_set_ip_protocol()) uses an AF_INET raw socket.  6 makes the
 * handle an IPv6 IP-layer capture: an AF_INET6 SOCK_RAW socket for the
 * protocol set with pktd_capture_set_ip_protocol(), or ICMPv6 (58) when none
 * was set, incoming packets only.
 *
 * Such a socket never receives the IPv6 header (the kernel removes it and
 * any extension headers), so each packet handed out is a **synthesized**
 * fixed IPv6 header followed by the upper-layer payload, link type
 * #PKTD_LINKTYPE_IPV6 (pktd_capture_linktype()), which pktd_decode() reads:
 * - version 6; payload length = the payload's length; next header = the
 *   socket's protocol (extension headers the packet had are not shown);
 * - hop limit from IPV6_HOPLIMIT, source address from the sender's
 *   sockaddr_in6, destination address (and the interface) from
 *   IPV6_PKTINFO;
 * - traffic class from IPV6_TCLASS when the kernel reports it, else 0;
 *   flow label always 0 (not reported to raw sockets).
 * The wire length counts the 40-byte built header.  A filter
 * (pktd_capture_set_filter_expr(), compiled for #PKTD_LINKTYPE_IPV6) runs in
 * user space on the built packet.
 *
 * @param c      an inactive handle not set to #PKTD_LINKTYPE_LINUX_SLL2.
 * @param family 4 or 6.
 * @return 0; PKTD_E_INVALID_ARGUMENT for NULL, another family or a handle
 *         set to hand out Linux cooked packets; PKTD_E_BAD_STATE after
 *         activation.
 * @since 1.1
 */
PKTD_API int pktd_capture_set_ip_family(pktd_capture *c, uint32_t family) PKTD_WUR;

PKTD_END_DECLS

#endif /* PKTDECODE_CAPTURE_H */
