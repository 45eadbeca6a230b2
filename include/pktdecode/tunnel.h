/**
 * @file pktdecode/tunnel.h
 * @brief Tunnels and encapsulations: MPLS, PPPoE, GRE (and ERSPAN), IP in
 *        IP, VXLAN, Geneve, GTP-U.  The outer packet keeps its meaning; the
 *        inner packet is decoded on request into a second state.  @since 1.1
 *
 * **Recognition.**  pktd_decode() notices where a packet continues into a
 * tunnel: EtherType 0x8847/0x8848 (MPLS), 0x8864 (PPPoE session), 0x8863
 * (PPPoE discovery); IP protocol 47 (GRE), 4 and 41 (IP in IP, over IPv4
 * and IPv6, not in fragments); UDP destination port 4789 (VXLAN), 6081
 * (Geneve), 2152 (GTP-U), or the ports given to pktd_decode_with().  It
 * records only which tunnel and where (pktd_packet_tunnel()): the outer
 * packet's layers, payload, flags and error are exactly those of release
 * 1.0, and a broken tunnel header never makes the outer decode fail.
 *
 * **The inner packet.**  pktd_decode_inner() validates the tunnel header
 * and decodes what it carries into a second, caller-provided #pktd_packet,
 * whose bytes start after the tunnel header (an inner Ethernet header is at
 * offset 0, as on the wire).  Every accessor works on it; its layers start
 * with the tunnel's layer (#PKTD_LAYER_MPLS, #PKTD_LAYER_PPPOE,
 * #PKTD_LAYER_GRE, #PKTD_LAYER_ERSPAN, #PKTD_LAYER_VXLAN,
 * #PKTD_LAYER_GENEVE, #PKTD_LAYER_GTPU; IP in IP has no header of its own),
 * then the inner link and network layers.  Its pktd_packet_linktype() says
 * how the inner bytes were decoded: #PKTD_LINKTYPE_ETHERNET,
 * #PKTD_LINKTYPE_IPV4, #PKTD_LINKTYPE_IPV6, #PKTD_LINKTYPE_RAW (by version
 * nibble), #PKTD_LINKTYPE_PPP (PPPoE), #PKTD_LINKTYPE_MPLS (a label stack
 * follows: itself a tunnel, one level deeper), or 0 when the tunnel carries
 * something not decoded (the rest is payload).  The same call on the inner
 * state decodes the next level, down to #PKTD_TUNNEL_MAX_DEPTH levels.  A
 * malformed inner packet is an error of the inner state only.
 *
 * **Identifiers** of the tunnel header that a state was decoded from are
 * read with pktd_tunnel_field(), pktd_mpls_entry() and
 * pktd_tunnel_option_next() on the inner state; the main identifier of the
 * tunnel a packet continues into is pktd_packet_tunnel_id() on the outer
 * state (also a field of pktd_packet_fields()).
 *
 * MPLS: a stack of at most #PKTD_MPLS_MAX_DEPTH entries up to the one with
 * the bottom-of-stack bit; then IPv4 or IPv6 by the first nibble (4 or 6).
 * Any other first nibble is a pseudowire (RFC 4385: a control word starting
 * with nibble 0, or an Ethernet frame without one) whose type the label
 * alone defines: it is not decoded (linktype 0, the rest is payload).
 */
#ifndef PKTDECODE_TUNNEL_H
#define PKTDECODE_TUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** LINKTYPE_MPLS (pcap): the inner state of GRE carrying MPLS starts with a label stack.
 *  Not accepted by pktd_decode().  @since 1.1 */
#define PKTD_LINKTYPE_MPLS 219

/** Most nested tunnels decoded: pktd_decode_inner() fills levels 1 to 4; a fifth is
 *  PKTD_E_MALFORMED (reason PKTD_R_TUNNEL_DEPTH).  @since 1.1 */
#define PKTD_TUNNEL_MAX_DEPTH 4

/** Most MPLS label stack entries decoded; a deeper stack is PKTD_E_MALFORMED
 *  (reason PKTD_R_MPLS_DEPTH).  @since 1.1 */
#define PKTD_MPLS_MAX_DEPTH 16

/** @name Default UDP destination ports of the UDP tunnels
 * @{ */
#define PKTD_VXLAN_PORT 4789  /**< VXLAN, RFC 7348 (IANA).  @since 1.1 */
#define PKTD_GENEVE_PORT 6081 /**< Geneve, RFC 8926 (IANA).  @since 1.1 */
#define PKTD_GTPU_PORT 2152   /**< GTP-U, 3GPP TS 29.281.  @since 1.1 */
/** @} */

/**
 * @brief The tunnel table: X(NAME, value, "name").
 *
 * The single source of the tunnel types (enum #pktd_tunnel, as
 * PKTD_TUNNEL_NAME) and of their names (pktd_tunnel_name(); the names are
 * pktd-decode's JSON `encap.type`).  Later releases only append.
 */
#define PKTD_TUNNEL_MAP(X)                                                    \
    X(NONE, 0, "none")         /**< no tunnel */                              \
    X(MPLS, 1, "mpls")         /**< MPLS label stack (EtherType 0x8847/0x8848) */ \
    X(PPPOE, 2, "pppoe")       /**< PPPoE session stage (EtherType 0x8864) */ \
    X(PPPOED, 3, "pppoed")     /**< PPPoE discovery stage (EtherType 0x8863): no inner packet */ \
    X(GRE, 4, "gre")           /**< GRE, RFC 2784/2890 (IP protocol 47), also ERSPAN */ \
    X(IPIP, 5, "ipip")         /**< IP in IP (IP protocol 4 or 41) */        \
    X(VXLAN, 6, "vxlan")       /**< VXLAN, RFC 7348 (UDP) */                  \
    X(GENEVE, 7, "geneve")     /**< Geneve, RFC 8926 (UDP) */                 \
    X(GTPU, 8, "gtpu")         /**< GTPv1-U, 3GPP TS 29.281 (UDP) */

/** Tunnel types (see #PKTD_TUNNEL_MAP).  @since 1.1 */
enum pktd_tunnel {
/** Expands one row of #PKTD_TUNNEL_MAP into an enumerator (undefined right after). */
#define PKTD_TUNNEL_ENUM_(name, value, str) PKTD_TUNNEL_##name = value,
    PKTD_TUNNEL_MAP(PKTD_TUNNEL_ENUM_)
#undef PKTD_TUNNEL_ENUM_
    PKTD_TUNNEL_COUNT_ = 9 /**< number of types; grows in later releases */
};

/**
 * @brief The tunnel header fields pktd_tunnel_field() reads.
 *
 * Each applies to the tunnel types named; for any other it is absent.
 * @since 1.1
 */
enum pktd_tunnel_field {
    PKTD_TF_VNI = 0,            /**< VXLAN (only with the I flag), Geneve: 24-bit VNI */
    PKTD_TF_FLAGS = 1,          /**< VXLAN: flags byte; GRE: the 16 bits of flags and version;
                                     GTP-U: flags byte; Geneve: O and C bits (0x80, 0x40) */
    PKTD_TF_VERSION = 2,        /**< GRE (0), Geneve (0), GTP (1), PPPoE (1) version */
    PKTD_TF_PROTOCOL = 3,       /**< GRE, Geneve: protocol type (an EtherType) */
    PKTD_TF_CHECKSUM = 4,       /**< GRE: checksum (C bit set) */
    PKTD_TF_KEY = 5,            /**< GRE: key (K bit set) */
    PKTD_TF_SEQ = 6,            /**< GRE: sequence number (S bit); GTP-U: sequence number (S flag) */
    PKTD_TF_TEID = 7,           /**< GTP-U: tunnel endpoint identifier */
    PKTD_TF_MSG_TYPE = 8,       /**< GTP-U: message type (255 = G-PDU) */
    PKTD_TF_LENGTH = 9,         /**< GTP-U: length field; PPPoE: length field */
    PKTD_TF_NPDU = 10,          /**< GTP-U: N-PDU number (PN flag) */
    PKTD_TF_SESSION = 11,       /**< PPPoE: session id; ERSPAN: session id */
    PKTD_TF_CODE = 12,          /**< PPPoE: code (0 in the session stage) */
    PKTD_TF_OPT_LEN = 13,       /**< Geneve: option bytes; GTP-U: extension header bytes */
    PKTD_TF_ERSPAN_VERSION = 14 /**< GRE carrying ERSPAN: its version (1 = type II, 2 = type III) */
};

/**
 * @brief Opaque decode options: which UDP ports are which tunnel.
 *
 * 32 bytes the caller owns (no global state: two threads may use different
 * ports); fill with pktd_decode_opts_init(), change with
 * pktd_decode_opts_set_port(), pass to pktd_decode_with().  The inner
 * states of a packet inherit the ports it was decoded with.
 * @since 1.1
 */
typedef struct pktd_decode_opts {
    uint64_t opaque_[4]; /**< private: do not use */
} pktd_decode_opts;

/**
 * @brief Fill @p o with the defaults (VXLAN 4789, Geneve 6081, GTP-U 2152).
 * @param o options to fill (NULL: nothing happens).
 * @since 1.1
 */
PKTD_API void pktd_decode_opts_init(pktd_decode_opts *o);

/**
 * @brief Set the UDP destination port of a UDP tunnel type.
 *
 * One port per type; 0 turns the type off.  Two types on one port: the
 * first of VXLAN, Geneve, GTP-U wins.
 * @param o      options filled by pktd_decode_opts_init().
 * @param tunnel #PKTD_TUNNEL_VXLAN, #PKTD_TUNNEL_GENEVE or #PKTD_TUNNEL_GTPU.
 * @param port   the UDP destination port, or 0.
 * @return 0, or PKTD_E_INVALID_ARGUMENT (NULL @p o, another tunnel type,
 *         a port above 65535).
 * @since 1.1
 */
PKTD_API int pktd_decode_opts_set_port(pktd_decode_opts *o, uint32_t tunnel,
                                       uint32_t port) PKTD_WUR;

/**
 * @brief The UDP port of a UDP tunnel type in @p o.
 * @param o      options.
 * @param tunnel a tunnel type.
 * @return The port, 0 when off, NULL @p o or not a UDP tunnel type.
 * @since 1.1
 */
PKTD_API uint32_t pktd_decode_opts_port(const pktd_decode_opts *o, uint32_t tunnel);

/**
 * @brief pktd_decode() with options (the UDP tunnel ports).
 * @param p        state to fill.
 * @param opts     options, or NULL for the defaults (then exactly pktd_decode()).
 * @param linktype as pktd_decode().
 * @param data     as pktd_decode().
 * @param len      as pktd_decode().
 * @return As pktd_decode().
 * @since 1.1
 */
PKTD_API int pktd_decode_with(pktd_packet *p, const pktd_decode_opts *opts, uint32_t linktype,
                              const uint8_t *data, size_t len);

/**
 * @brief Decode the packet inside the tunnel that @p outer continues into.
 *
 * @p outer is unchanged; @p inner is reset and filled (its bytes are in
 * @p outer's buffer, which must outlive both).  Call again with the inner
 * state as outer for the next level.
 *
 * @param outer a decoded state (from pktd_decode(), pktd_decode_with() or
 *              this call).
 * @param inner state to fill; must not be @p outer.
 * @return 0 when the tunnel header and every recognised inner layer
 *         decoded; PKTD_E_NOT_FOUND when @p outer continues into no tunnel
 *         (reason PKTD_R_TUNNEL_NONE); PKTD_E_MALFORMED past
 *         #PKTD_TUNNEL_MAX_DEPTH levels (PKTD_R_TUNNEL_DEPTH); the tunnel
 *         header's error (PKTD_E_TRUNCATED, PKTD_E_MALFORMED,
 *         PKTD_E_UNSUPPORTED, with its layer and reason), or the inner
 *         packet's, as pktd_decode(); PKTD_E_INVALID_ARGUMENT for NULL or
 *         equal pointers.  The code is kept in @p inner
 *         (pktd_packet_error()).
 * @since 1.1
 */
PKTD_API int pktd_decode_inner(const pktd_packet *outer, pktd_packet *inner);

/**
 * @brief The tunnel a packet continues into, as recognised by the decode.
 * @param p a decoded state.
 * @return A #pktd_tunnel value, #PKTD_TUNNEL_NONE when there is none.
 * @since 1.1
 */
PKTD_API uint32_t pktd_packet_tunnel(const pktd_packet *p);

/**
 * @brief The main identifier of the tunnel a packet continues into.
 *
 * MPLS: the top label; PPPoE: the session id; GRE: the key (0 without);
 * VXLAN, Geneve: the VNI; GTP-U: the TEID; IP in IP: 0.  0 too when the
 * bytes holding it were not captured (pktd_decode_inner() says why).
 * @param p a decoded state.
 * @return The identifier, 0 without a tunnel.
 * @since 1.1
 */
PKTD_API uint32_t pktd_packet_tunnel_id(const pktd_packet *p);

/**
 * @brief The tunnel a state was decoded from by pktd_decode_inner().
 * @param p a decoded state.
 * @return A #pktd_tunnel value; #PKTD_TUNNEL_NONE for an outer packet.
 * @since 1.1
 */
PKTD_API uint32_t pktd_packet_encap(const pktd_packet *p);

/**
 * @brief The nesting level of a state: 0 for an outer packet, n for the
 *        state filled by the n-th pktd_decode_inner() of a chain.
 * @param p a decoded state.
 * @return The level, 0 to #PKTD_TUNNEL_MAX_DEPTH.
 * @since 1.1
 */
PKTD_API uint32_t pktd_packet_depth(const pktd_packet *p);

/**
 * @brief The flow zone of the packet inside the tunnel @p p continues
 *        into: the tunnel type in the high 32 bits, its main identifier
 *        (pktd_packet_tunnel_id()) in the low 32.
 *
 * The zone to give pktd_flow_table_update() (or pktd_defrag_add()) for the
 * inner packet, so that the same inner addresses and ports in two VNIs, two
 * GRE keys or two kinds of tunnel are two flows.  Never 0 with a tunnel
 * (no tunnel type is 0), so 0 stays the outer packet's zone.
 * @param p a decoded state.
 * @return The zone, 0 when @p p continues into no tunnel.
 * @since 1.1
 */
PKTD_API uint64_t pktd_packet_tunnel_zone(const pktd_packet *p);

/**
 * @brief Walk a packet and every packet nested in its tunnels, each with
 *        its flow zone.
 *
 * Each call gives the next level: first @p p itself, in zone 0; then the
 * packet inside the tunnel it continues into, decoded by
 * pktd_decode_inner() into @p levels, in the zone of that tunnel
 * (pktd_packet_tunnel_zone() of the level around it); and so on, until a
 * level continues into no tunnel or is at depth #PKTD_TUNNEL_MAX_DEPTH.
 * A level whose decode stopped part-way is still given (its code is
 * pktd_packet_error()), as what decoded may still have a flow:
 *
 *     pktd_packet lv[2];
 *     const pktd_packet *l;
 *     uint64_t zone;
 *     uint32_t c = 0;
 *     (void)pktd_decode(&lv[0], linktype, data, len);
 *     while (pktd_packet_level_next(&lv[0], &c, lv, &l, &zone))
 *         pktd_flow_table_update(t, l, ts_ns, wire_len, zone, NULL, NULL);
 *
 * The levels are decoded into the two states of @p levels in turn: a level
 * stays valid until the call after the next one.  @p p may be `&levels[0]`
 * (as above: it is overwritten by the second inner level, when it is no
 * longer needed), not `&levels[1]`.
 * @param p      a decoded state, the first level.
 * @param cursor iteration state: 0 to start (NULL: returns 0).
 * @param levels an array of two states the inner levels are decoded into
 *               (NULL: only @p p is given).
 * @param level  receives the level (may be NULL).
 * @param zone   receives its zone (may be NULL).
 * @return 1 with the next level, 0 after the last.
 * @since 1.1
 */
PKTD_API int pktd_packet_level_next(const pktd_packet *p, uint32_t *cursor, pktd_packet *levels,
                                    const pktd_packet **level, uint64_t *zone);

/**
 * @brief The lower-case name of a tunnel type ("vxlan", "gre", ...).
 * @param tunnel a #pktd_tunnel value.
 * @return A static string; "unknown" for unknown values.
 * @since 1.1
 */
PKTD_API const char *pktd_tunnel_name(uint32_t tunnel);

/**
 * @brief A field of the tunnel header a state was decoded from.
 *
 * A presence call: 1 when the header has the field (e.g. the GRE key only
 * with the K bit), 0 otherwise, also for an outer packet or a state whose
 * tunnel header failed to decode.
 * @param p     a state filled by pktd_decode_inner().
 * @param field a #pktd_tunnel_field value.
 * @param value receives the field in host order (may be NULL).
 * @return 1 or 0.
 * @since 1.1
 */
PKTD_API int pktd_tunnel_field(const pktd_packet *p, uint32_t field, uint32_t *value);

/**
 * @brief The number of MPLS label stack entries of a state decoded from MPLS.
 * @param p a decoded state.
 * @return 1 to #PKTD_MPLS_MAX_DEPTH, 0 without #PKTD_LAYER_MPLS.
 * @since 1.1
 */
PKTD_API uint32_t pktd_mpls_depth(const pktd_packet *p);

/**
 * @brief One MPLS label stack entry (index 0 is the top of the stack).
 * @param p     a state decoded from MPLS.
 * @param i     the entry's index.
 * @param label receives the 20-bit label (may be NULL).
 * @param tc    receives the 3-bit traffic class (may be NULL).
 * @param bos   receives the bottom-of-stack bit, 0 or 1 (may be NULL).
 * @param ttl   receives the TTL (may be NULL).
 * @return 1 with the entry, 0 when @p i is not below pktd_mpls_depth().
 * @since 1.1
 */
PKTD_API int pktd_mpls_entry(const pktd_packet *p, uint32_t i, uint32_t *label, uint32_t *tc,
                             uint32_t *bos, uint32_t *ttl);

/**
 * @brief Walk the Geneve options or the GTP-U extension headers of the
 *        tunnel header a state was decoded from.
 *
 * Start with `*cursor == 0`: `while (pktd_tunnel_option_next(p, &c, &t, &d, &n))`.
 * Every option was bounded by the decode, so the walk never leaves the header.
 * @param p      a state filled by pktd_decode_inner().
 * @param cursor iteration state (NULL: returns 0).
 * @param type   receives, for Geneve, class << 8 | type; for GTP-U, the
 *               extension header type (may be NULL).
 * @param data   receives the option's data after its own header (Geneve:
 *               the 4-byte option header; GTP-U: the length byte), may be NULL.
 * @param len    receives the data length in bytes (GTP-U: without the
 *               next-type byte at its end), may be NULL.
 * @return 1 with the next option, 0 at the end (or for other tunnels).
 * @since 1.1
 */
PKTD_API int pktd_tunnel_option_next(const pktd_packet *p, uint32_t *cursor, uint32_t *type,
                                     const uint8_t **data, size_t *len);

/**
 * @brief Whether the GRE checksum (C bit) was verified and is correct.
 *
 * Verified only when the whole GRE packet (header and payload, to the end
 * of the IP packet) was captured.
 * @param p a state decoded from GRE.
 * @return 1 or 0.
 * @since 1.1
 */
PKTD_API int pktd_gre_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the GRE checksum was verified and is wrong.
 * @param p a state decoded from GRE.
 * @return 1 or 0 (0 also when it could not be verified).
 * @since 1.1
 */
PKTD_API int pktd_gre_checksum_bad(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_TUNNEL_H */
