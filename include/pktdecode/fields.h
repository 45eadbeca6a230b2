/**
 * @file pktdecode/fields.h
 * @brief Every decoded field in one call: a caller's `uint32_t` array
 *        indexed by #pktd_field.
 *
 * The accessors of eth.h, arp.h, ipv4.h, tcp.h, udp.h and icmp.h read one
 * field per call.  An application that wants most fields of every packet (a
 * flow exporter, a JSON writer, a binding in a language where each foreign
 * call costs far more than the decode) can instead fill an array with all of
 * them in one call to pktd_packet_fields(), then read the array.
 *
 * Every value is the one the matching accessor returns (the `@ref` in each
 * field's description), as a `uint32_t`; fields of a layer that was not
 * decoded are 0, like the accessors.  Addresses of 6 bytes are split into a
 * high 16-bit and a low 32-bit half, both in host order: the address
 * 02:00:00:00:00:01 gives HI = 0x0200, LO = 0x00000001.  IPv4 addresses are
 * in host order, as pktd_ipv4_src() returns them.  Only the first two VLAN
 * tags and the first four SACK blocks have fields (pktd_vlan_tci() and
 * pktd_tcp_opt_sack_block() reach every one); the cooked header's address
 * and the option iterators have none.
 *
 * Extensibility: the indexes are fixed for the whole 1.x ABI and later
 * releases only append fields (#PKTD_FIELD_COUNT_ grows).  The caller passes
 * the length of its array; the library writes at most that many values and
 * returns how many fields it knows, so an old program keeps working with a
 * new library (the extra fields are not written) and a new program can see
 * that an old library did not fill the fields it does not know.
 *
 * Trade-off (measured in doc/performance.md): one out-of-line call instead of
 * dozens, and the array is plain memory that any language can read; but the
 * call fills every field whether it is read or not, so an application that
 * reads only the ports is better served by the two accessors.
 *
 * Lifetime and thread safety: as for every accessor (packet.h).  Values are
 * copied: the array stays valid after the buffer is gone.
 */
#ifndef PKTDECODE_FIELDS_H
#define PKTDECODE_FIELDS_H

#include <stdint.h>

#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** @name Bits of #PKTD_FIELD_TCP_OPTIONS: which known TCP options are present
 * @{ */
#define PKTD_TCP_HAS_MSS 0x01u        /**< maximum segment size (kind 2) */
#define PKTD_TCP_HAS_WSCALE 0x02u     /**< window scale (kind 3) */
#define PKTD_TCP_HAS_SACK_PERM 0x04u  /**< SACK permitted (kind 4) */
#define PKTD_TCP_HAS_TIMESTAMPS 0x08u /**< timestamps (kind 8) */
#define PKTD_TCP_HAS_SACK 0x10u       /**< SACK blocks (kind 5) */
/** @} */

/**
 * @brief The field table: X(NAME, index, "name").
 *
 * The single source of the field indexes (enum #pktd_field, as
 * PKTD_FIELD_NAME) and of their short names (pktd_field_name(),
 * pktd_field_lookup()).  The short name is always the lower-case NAME with
 * its first `_` made a `.`: PKTD_FIELD_IPV4_TOTAL_LEN is "ipv4.total_len",
 * so a binding can derive its constants from the names the library returns
 * (the Python binding does).  The comment on each row says which accessor
 * gives the same value.  Indexes are fixed for 1.x; later releases only
 * append rows.
 */
#define PKTD_FIELD_MAP(X)                                                          \
    /* The decode as a whole. */ \
    X(LAYERS, 0, "layers") /**< pktd_packet_layers() */ \
    X(FLAGS, 1, "flags") /**< pktd_packet_flags() */ \
    X(ERROR, 2, "error") /**< pktd_packet_error(), as uint32_t (0 = none) */ \
    X(ERROR_LAYER, 3, "error.layer") /**< pktd_packet_error_layer() */ \
    X(ERROR_REASON, 4, "error.reason") /**< pktd_packet_error_reason() */ \
    X(LINKTYPE, 5, "linktype") /**< pktd_packet_linktype() */ \
    X(PAYLOAD_OFF, 6, "payload.off") /**< pktd_packet_payload(): offset of the data in the buffer (0 if none) */ \
    X(PAYLOAD_LEN, 7, "payload.len") /**< pktd_packet_payload(): length (0 if none) */ \
    /* Link layer. */ \
    X(ETH_DST_HI, 8, "eth.dst_hi") /**< pktd_eth_dst(): bytes 0-1 */ \
    X(ETH_DST_LO, 9, "eth.dst_lo") /**< pktd_eth_dst(): bytes 2-5 */ \
    X(ETH_SRC_HI, 10, "eth.src_hi") /**< pktd_eth_src(): bytes 0-1 */ \
    X(ETH_SRC_LO, 11, "eth.src_lo") /**< pktd_eth_src(): bytes 2-5 */ \
    X(ETH_TYPE, 12, "eth.type") /**< pktd_eth_type() */ \
    X(VLAN_COUNT, 13, "vlan.count") /**< pktd_vlan_count() */ \
    X(VLAN0_TPID, 14, "vlan0.tpid") /**< pktd_vlan_tpid(p, 0) */ \
    X(VLAN0_TCI, 15, "vlan0.tci") /**< pktd_vlan_tci(p, 0) */ \
    X(VLAN1_TPID, 16, "vlan1.tpid") /**< pktd_vlan_tpid(p, 1) */ \
    X(VLAN1_TCI, 17, "vlan1.tci") /**< pktd_vlan_tci(p, 1) */ \
    X(SLL_PKTTYPE, 18, "sll.pkttype") /**< pktd_sll_pkttype() */ \
    X(SLL_HATYPE, 19, "sll.hatype") /**< pktd_sll_hatype() */ \
    X(SLL2_IFINDEX, 20, "sll2.ifindex") /**< pktd_sll2_ifindex() */ \
    /* ARP. */ \
    X(ARP_HTYPE, 21, "arp.htype") /**< pktd_arp_htype() */ \
    X(ARP_PTYPE, 22, "arp.ptype") /**< pktd_arp_ptype() */ \
    X(ARP_HLEN, 23, "arp.hlen") /**< pktd_arp_hlen() */ \
    X(ARP_PLEN, 24, "arp.plen") /**< pktd_arp_plen() */ \
    X(ARP_OP, 25, "arp.op") /**< pktd_arp_op() */ \
    X(ARP_SHA_HI, 26, "arp.sha_hi") /**< pktd_arp_sha(): bytes 0-1, when pktd_arp_hlen() is 6 */ \
    X(ARP_SHA_LO, 27, "arp.sha_lo") /**< pktd_arp_sha(): bytes 2-5, when pktd_arp_hlen() is 6 */ \
    X(ARP_SPA, 28, "arp.spa") /**< pktd_arp_spa(): host order, 0 unless IPv4 (ptype 0x0800, plen 4) */ \
    X(ARP_THA_HI, 29, "arp.tha_hi") /**< pktd_arp_tha(): bytes 0-1, when pktd_arp_hlen() is 6 */ \
    X(ARP_THA_LO, 30, "arp.tha_lo") /**< pktd_arp_tha(): bytes 2-5, when pktd_arp_hlen() is 6 */ \
    X(ARP_TPA, 31, "arp.tpa") /**< pktd_arp_tpa(): host order, 0 unless IPv4 (ptype 0x0800, plen 4) */ \
    /* IPv4. */ \
    X(IPV4_IHL, 32, "ipv4.ihl") /**< pktd_ipv4_ihl() */ \
    X(IPV4_TOS, 33, "ipv4.tos") /**< pktd_ipv4_tos() */ \
    X(IPV4_TOTAL_LEN, 34, "ipv4.total_len") /**< pktd_ipv4_total_len() */ \
    X(IPV4_ID, 35, "ipv4.id") /**< pktd_ipv4_id() */ \
    X(IPV4_FRAG, 36, "ipv4.frag") /**< bytes 6-7: 0x8000 reserved (pktd_ipv4_rf()), 0x4000 DF, 0x2000 MF, low 13 bits pktd_ipv4_frag_offset() */ \
    X(IPV4_TTL, 37, "ipv4.ttl") /**< pktd_ipv4_ttl() */ \
    X(IPV4_PROTO, 38, "ipv4.proto") /**< pktd_ipv4_proto() */ \
    X(IPV4_CHECKSUM, 39, "ipv4.checksum") /**< pktd_ipv4_checksum() */ \
    X(IPV4_SRC, 40, "ipv4.src") /**< pktd_ipv4_src() */ \
    X(IPV4_DST, 41, "ipv4.dst") /**< pktd_ipv4_dst() */ \
    X(IPV4_OPTIONS_LEN, 42, "ipv4.options_len") /**< pktd_ipv4_options(): length */ \
    /* TCP. */ \
    X(TCP_SPORT, 43, "tcp.sport") /**< pktd_tcp_sport() */ \
    X(TCP_DPORT, 44, "tcp.dport") /**< pktd_tcp_dport() */ \
    X(TCP_SEQ, 45, "tcp.seq") /**< pktd_tcp_seq() */ \
    X(TCP_ACK, 46, "tcp.ack") /**< pktd_tcp_ack() */ \
    X(TCP_DOFF, 47, "tcp.doff") /**< pktd_tcp_doff() */ \
    X(TCP_FLAGS, 48, "tcp.flags") /**< pktd_tcp_flags() */ \
    X(TCP_NS, 49, "tcp.ns") /**< pktd_tcp_ns() */ \
    X(TCP_WINDOW, 50, "tcp.window") /**< pktd_tcp_window() */ \
    X(TCP_CHECKSUM, 51, "tcp.checksum") /**< pktd_tcp_checksum() */ \
    X(TCP_URGENT, 52, "tcp.urgent") /**< pktd_tcp_urgent() */ \
    X(TCP_OPTIONS, 53, "tcp.options") /**< PKTD_TCP_HAS_* bits of the known options present */ \
    X(TCP_MSS, 54, "tcp.mss") /**< pktd_tcp_opt_mss() value */ \
    X(TCP_WSCALE, 55, "tcp.wscale") /**< pktd_tcp_opt_wscale() value */ \
    X(TCP_TSVAL, 56, "tcp.tsval") /**< pktd_tcp_opt_timestamps() TSval */ \
    X(TCP_TSECR, 57, "tcp.tsecr") /**< pktd_tcp_opt_timestamps() TSecr */ \
    X(TCP_SACK_COUNT, 58, "tcp.sack_count") /**< pktd_tcp_opt_sack_count() */ \
    X(TCP_SACK0_LEFT, 59, "tcp.sack0_left") /**< pktd_tcp_opt_sack_block(p, 0) left edge */ \
    X(TCP_SACK0_RIGHT, 60, "tcp.sack0_right") /**< pktd_tcp_opt_sack_block(p, 0) right edge */ \
    X(TCP_SACK1_LEFT, 61, "tcp.sack1_left") /**< pktd_tcp_opt_sack_block(p, 1) left edge */ \
    X(TCP_SACK1_RIGHT, 62, "tcp.sack1_right") /**< pktd_tcp_opt_sack_block(p, 1) right edge */ \
    X(TCP_SACK2_LEFT, 63, "tcp.sack2_left") /**< pktd_tcp_opt_sack_block(p, 2) left edge */ \
    X(TCP_SACK2_RIGHT, 64, "tcp.sack2_right") /**< pktd_tcp_opt_sack_block(p, 2) right edge */ \
    X(TCP_SACK3_LEFT, 65, "tcp.sack3_left") /**< pktd_tcp_opt_sack_block(p, 3) left edge */ \
    X(TCP_SACK3_RIGHT, 66, "tcp.sack3_right") /**< pktd_tcp_opt_sack_block(p, 3) right edge */ \
    /* UDP. */ \
    X(UDP_SPORT, 67, "udp.sport") /**< pktd_udp_sport() */ \
    X(UDP_DPORT, 68, "udp.dport") /**< pktd_udp_dport() */ \
    X(UDP_LEN, 69, "udp.len") /**< pktd_udp_len() */ \
    X(UDP_CHECKSUM, 70, "udp.checksum") /**< pktd_udp_checksum() */ \
    /* ICMP. */ \
    X(ICMP_TYPE, 71, "icmp.type") /**< pktd_icmp_type() */ \
    X(ICMP_CODE, 72, "icmp.code") /**< pktd_icmp_code() */ \
    X(ICMP_CHECKSUM, 73, "icmp.checksum") /**< pktd_icmp_checksum() */ \
    X(ICMP_REST, 74, "icmp.rest") /**< pktd_icmp_rest() */ \
    /* IPv6 (@since 1.1). */ \
    X(IPV6_TCLASS, 75, "ipv6.tclass") /**< pktd_ipv6_tclass() (@since 1.1) */ \
    X(IPV6_FLOW, 76, "ipv6.flow") /**< pktd_ipv6_flow() (@since 1.1) */ \
    X(IPV6_PLEN, 77, "ipv6.plen") /**< pktd_ipv6_plen() (@since 1.1) */ \
    X(IPV6_NEXT, 78, "ipv6.next") /**< pktd_ipv6_next() (@since 1.1) */ \
    X(IPV6_HLIM, 79, "ipv6.hlim") /**< pktd_ipv6_hlim() (@since 1.1) */ \
    X(IPV6_SRC0, 80, "ipv6.src0") /**< pktd_ipv6_src() bytes 0-3, host order (@since 1.1) */ \
    X(IPV6_SRC1, 81, "ipv6.src1") /**< pktd_ipv6_src() bytes 4-7 (@since 1.1) */ \
    X(IPV6_SRC2, 82, "ipv6.src2") /**< pktd_ipv6_src() bytes 8-11 (@since 1.1) */ \
    X(IPV6_SRC3, 83, "ipv6.src3") /**< pktd_ipv6_src() bytes 12-15 (@since 1.1) */ \
    X(IPV6_DST0, 84, "ipv6.dst0") /**< pktd_ipv6_dst() bytes 0-3, host order (@since 1.1) */ \
    X(IPV6_DST1, 85, "ipv6.dst1") /**< pktd_ipv6_dst() bytes 4-7 (@since 1.1) */ \
    X(IPV6_DST2, 86, "ipv6.dst2") /**< pktd_ipv6_dst() bytes 8-11 (@since 1.1) */ \
    X(IPV6_DST3, 87, "ipv6.dst3") /**< pktd_ipv6_dst() bytes 12-15 (@since 1.1) */ \
    X(IPV6_UPPER, 88, "ipv6.upper") /**< pktd_ipv6_upper() protocol (@since 1.1) */ \
    X(IPV6_EXT_COUNT, 89, "ipv6.ext_count") /**< pktd_ipv6_ext_count() (@since 1.1) */ \
    X(IPV6_JUMBO_LEN, 90, "ipv6.jumbo_len") /**< pktd_ipv6_jumbo_len() (@since 1.1) */ \
    X(IPV6_FRAG, 91, "ipv6.frag") /**< fragment header bytes 2-3: offset << 3 | M, 0 without one (@since 1.1) */ \
    X(IPV6_FRAG_ID, 92, "ipv6.frag_id") /**< pktd_ipv6_frag() id (@since 1.1) */ \
    /* ICMPv6 (@since 1.1). */ \
    X(ICMPV6_TYPE, 93, "icmpv6.type") /**< pktd_icmpv6_type() (@since 1.1) */ \
    X(ICMPV6_CODE, 94, "icmpv6.code") /**< pktd_icmpv6_code() (@since 1.1) */ \
    X(ICMPV6_CHECKSUM, 95, "icmpv6.checksum") /**< pktd_icmpv6_checksum() (@since 1.1) */ \
    X(ICMPV6_REST, 96, "icmpv6.rest") /**< pktd_icmpv6_rest() (@since 1.1) */ \
    /* Tunnels (@since 1.1, tunnel.h): the tunnel the packet continues into. */ \
    X(TUNNEL_TYPE, 97, "tunnel.type") /**< pktd_packet_tunnel() (@since 1.1) */ \
    X(TUNNEL_ID, 98, "tunnel.id") /**< pktd_packet_tunnel_id() (@since 1.1) */

/** Indexes into the array pktd_packet_fields() fills (see #PKTD_FIELD_MAP).  Fixed for 1.x. */
enum pktd_field {
/** Expands one row of #PKTD_FIELD_MAP into an enumerator (undefined right after). */
#define PKTD_FIELD_ENUM_(name, value, str) PKTD_FIELD_##name = value,
    PKTD_FIELD_MAP(PKTD_FIELD_ENUM_)
#undef PKTD_FIELD_ENUM_
    PKTD_FIELD_COUNT_ = 99 /**< number of fields in this release; grows later */
};

/**
 * @brief Copy every decoded field into @p out, indexed by #pktd_field.
 *
 * Writes `out[i]` for every i below both @p count and the number of fields
 * this library knows; fields of layers that were not decoded are 0.  Cost:
 * one call, a few stores per field of each layer present (doc/performance.md).
 *
 * @param p     a decoded state.
 * @param out   the caller's array (may be NULL when @p count is 0).
 * @param count its length in elements; #PKTD_FIELD_COUNT_ (or
 *              pktd_field_count()) for all.
 * @return The number of fields this library knows (#PKTD_FIELD_COUNT_ of its
 *         release), whatever @p count is: `pktd_packet_fields(p, NULL, 0)`
 *         asks the library how large an array it can fill.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_fields(const pktd_packet *p, uint32_t *out, size_t count);

/**
 * @brief The number of fields this library knows (#PKTD_FIELD_COUNT_ of its
 *        release): valid indexes are 0 ... pktd_field_count() - 1.
 * @return The count; the same as `pktd_packet_fields(NULL, NULL, 0)`.
 * @since 1.0
 */
PKTD_API uint32_t pktd_field_count(void);

/**
 * @brief The short name of a field, e.g. "ipv4.src", "tcp.sack0_left".
 *
 * Meant for bindings and generic writers that build a name-to-value map;
 * the name is the enum name in lower case with its first `_` made a `.`
 * (#PKTD_FIELD_MAP).
 *
 * @param field a #pktd_field value.
 * @return A static string; "unknown" for an index this library does not know.
 * @since 1.0
 */
PKTD_API const char *pktd_field_name(uint32_t field);

/**
 * @brief The index of the field with short name @p name ("tcp.dport").
 * @param name  a short name as pktd_field_name() returns it (may be NULL).
 * @param field receives the #pktd_field index (may be NULL).
 * @return 1 if this library knows the field, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_field_lookup(const char *name, uint32_t *field);

PKTD_END_DECLS

#endif /* PKTDECODE_FIELDS_H */
