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

/** Indexes into the array pktd_packet_fields() fills.  Fixed for 1.x. */
enum pktd_field {
    /* The decode as a whole. */
    PKTD_FIELD_LAYERS = 0,       /**< pktd_packet_layers() */
    PKTD_FIELD_FLAGS = 1,        /**< pktd_packet_flags() */
    PKTD_FIELD_ERROR = 2,        /**< pktd_packet_error(), as uint32_t (0 = none) */
    PKTD_FIELD_ERROR_LAYER = 3,  /**< pktd_packet_error_layer() */
    PKTD_FIELD_ERROR_REASON = 4, /**< pktd_packet_error_reason() */
    PKTD_FIELD_LINKTYPE = 5,     /**< pktd_packet_linktype() */
    PKTD_FIELD_PAYLOAD_OFF = 6,  /**< pktd_packet_payload(): offset of the data in the buffer (0 if none) */
    PKTD_FIELD_PAYLOAD_LEN = 7,  /**< pktd_packet_payload(): length (0 if none) */
    /* Link layer. */
    PKTD_FIELD_ETH_DST_HI = 8,   /**< pktd_eth_dst(): bytes 0-1 */
    PKTD_FIELD_ETH_DST_LO = 9,   /**< pktd_eth_dst(): bytes 2-5 */
    PKTD_FIELD_ETH_SRC_HI = 10,  /**< pktd_eth_src(): bytes 0-1 */
    PKTD_FIELD_ETH_SRC_LO = 11,  /**< pktd_eth_src(): bytes 2-5 */
    PKTD_FIELD_ETH_TYPE = 12,    /**< pktd_eth_type() */
    PKTD_FIELD_VLAN_COUNT = 13,  /**< pktd_vlan_count() */
    PKTD_FIELD_VLAN0_TPID = 14,  /**< pktd_vlan_tpid(p, 0) */
    PKTD_FIELD_VLAN0_TCI = 15,   /**< pktd_vlan_tci(p, 0) */
    PKTD_FIELD_VLAN1_TPID = 16,  /**< pktd_vlan_tpid(p, 1) */
    PKTD_FIELD_VLAN1_TCI = 17,   /**< pktd_vlan_tci(p, 1) */
    PKTD_FIELD_SLL_PKTTYPE = 18, /**< pktd_sll_pkttype() */
    PKTD_FIELD_SLL_HATYPE = 19,  /**< pktd_sll_hatype() */
    PKTD_FIELD_SLL2_IFINDEX = 20, /**< pktd_sll2_ifindex() */
    /* ARP. */
    PKTD_FIELD_ARP_HTYPE = 21,   /**< pktd_arp_htype() */
    PKTD_FIELD_ARP_PTYPE = 22,   /**< pktd_arp_ptype() */
    PKTD_FIELD_ARP_HLEN = 23,    /**< pktd_arp_hlen() */
    PKTD_FIELD_ARP_PLEN = 24,    /**< pktd_arp_plen() */
    PKTD_FIELD_ARP_OP = 25,      /**< pktd_arp_op() */
    PKTD_FIELD_ARP_SHA_HI = 26,  /**< pktd_arp_sha(): bytes 0-1, when pktd_arp_hlen() is 6 */
    PKTD_FIELD_ARP_SHA_LO = 27,  /**< pktd_arp_sha(): bytes 2-5, when pktd_arp_hlen() is 6 */
    PKTD_FIELD_ARP_SPA = 28,     /**< pktd_arp_spa() in host order, when pktd_arp_plen() is 4 */
    PKTD_FIELD_ARP_THA_HI = 29,  /**< pktd_arp_tha(): bytes 0-1, when pktd_arp_hlen() is 6 */
    PKTD_FIELD_ARP_THA_LO = 30,  /**< pktd_arp_tha(): bytes 2-5, when pktd_arp_hlen() is 6 */
    PKTD_FIELD_ARP_TPA = 31,     /**< pktd_arp_tpa() in host order, when pktd_arp_plen() is 4 */
    /* IPv4. */
    PKTD_FIELD_IPV4_IHL = 32,    /**< pktd_ipv4_ihl() */
    PKTD_FIELD_IPV4_TOS = 33,    /**< pktd_ipv4_tos() */
    PKTD_FIELD_IPV4_TOTAL_LEN = 34, /**< pktd_ipv4_total_len() */
    PKTD_FIELD_IPV4_ID = 35,     /**< pktd_ipv4_id() */
    PKTD_FIELD_IPV4_FRAG = 36,   /**< bytes 6-7: 0x8000 reserved (pktd_ipv4_rf()), 0x4000 DF, 0x2000 MF, low 13 bits pktd_ipv4_frag_offset() */
    PKTD_FIELD_IPV4_TTL = 37,    /**< pktd_ipv4_ttl() */
    PKTD_FIELD_IPV4_PROTO = 38,  /**< pktd_ipv4_proto() */
    PKTD_FIELD_IPV4_CHECKSUM = 39, /**< pktd_ipv4_checksum() */
    PKTD_FIELD_IPV4_SRC = 40,    /**< pktd_ipv4_src() */
    PKTD_FIELD_IPV4_DST = 41,    /**< pktd_ipv4_dst() */
    PKTD_FIELD_IPV4_OPTIONS_LEN = 42, /**< pktd_ipv4_options(): length */
    /* TCP. */
    PKTD_FIELD_TCP_SPORT = 43,   /**< pktd_tcp_sport() */
    PKTD_FIELD_TCP_DPORT = 44,   /**< pktd_tcp_dport() */
    PKTD_FIELD_TCP_SEQ = 45,     /**< pktd_tcp_seq() */
    PKTD_FIELD_TCP_ACK = 46,     /**< pktd_tcp_ack() */
    PKTD_FIELD_TCP_DOFF = 47,    /**< pktd_tcp_doff() */
    PKTD_FIELD_TCP_FLAGS = 48,   /**< pktd_tcp_flags() */
    PKTD_FIELD_TCP_NS = 49,      /**< pktd_tcp_ns() */
    PKTD_FIELD_TCP_WINDOW = 50,  /**< pktd_tcp_window() */
    PKTD_FIELD_TCP_CHECKSUM = 51, /**< pktd_tcp_checksum() */
    PKTD_FIELD_TCP_URGENT = 52,  /**< pktd_tcp_urgent() */
    PKTD_FIELD_TCP_OPTIONS = 53, /**< PKTD_TCP_HAS_* bits of the known options present */
    PKTD_FIELD_TCP_MSS = 54,     /**< pktd_tcp_opt_mss() value */
    PKTD_FIELD_TCP_WSCALE = 55,  /**< pktd_tcp_opt_wscale() value */
    PKTD_FIELD_TCP_TSVAL = 56,   /**< pktd_tcp_opt_timestamps() TSval */
    PKTD_FIELD_TCP_TSECR = 57,   /**< pktd_tcp_opt_timestamps() TSecr */
    PKTD_FIELD_TCP_SACK_COUNT = 58, /**< pktd_tcp_opt_sack_count() */
    PKTD_FIELD_TCP_SACK0_LEFT = 59, /**< pktd_tcp_opt_sack_block(p, 0) left edge */
    PKTD_FIELD_TCP_SACK0_RIGHT = 60, /**< pktd_tcp_opt_sack_block(p, 0) right edge */
    PKTD_FIELD_TCP_SACK1_LEFT = 61, /**< pktd_tcp_opt_sack_block(p, 1) left edge */
    PKTD_FIELD_TCP_SACK1_RIGHT = 62, /**< pktd_tcp_opt_sack_block(p, 1) right edge */
    PKTD_FIELD_TCP_SACK2_LEFT = 63, /**< pktd_tcp_opt_sack_block(p, 2) left edge */
    PKTD_FIELD_TCP_SACK2_RIGHT = 64, /**< pktd_tcp_opt_sack_block(p, 2) right edge */
    PKTD_FIELD_TCP_SACK3_LEFT = 65, /**< pktd_tcp_opt_sack_block(p, 3) left edge */
    PKTD_FIELD_TCP_SACK3_RIGHT = 66, /**< pktd_tcp_opt_sack_block(p, 3) right edge */
    /* UDP. */
    PKTD_FIELD_UDP_SPORT = 67,   /**< pktd_udp_sport() */
    PKTD_FIELD_UDP_DPORT = 68,   /**< pktd_udp_dport() */
    PKTD_FIELD_UDP_LEN = 69,     /**< pktd_udp_len() */
    PKTD_FIELD_UDP_CHECKSUM = 70, /**< pktd_udp_checksum() */
    /* ICMP. */
    PKTD_FIELD_ICMP_TYPE = 71,   /**< pktd_icmp_type() */
    PKTD_FIELD_ICMP_CODE = 72,   /**< pktd_icmp_code() */
    PKTD_FIELD_ICMP_CHECKSUM = 73, /**< pktd_icmp_checksum() */
    PKTD_FIELD_ICMP_REST = 74,   /**< pktd_icmp_rest() */
    PKTD_FIELD_COUNT_ = 75       /**< number of fields in this release; grows later */
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
 * @param count its length in elements; #PKTD_FIELD_COUNT_ for all.
 * @return The number of fields this library knows (#PKTD_FIELD_COUNT_ of its
 *         release), whatever @p count is: `pktd_packet_fields(p, NULL, 0)`
 *         asks the library how large an array it can fill.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_fields(const pktd_packet *p, uint32_t *out, uint32_t count);

/**
 * @brief The short name of a field, e.g. "ipv4.src", "tcp.sack0_left".
 *
 * Meant for bindings and generic writers that build a name-to-value map.
 *
 * @param field a #pktd_field value.
 * @return A static string; "unknown" for an index this library does not know.
 * @since 1.0
 */
PKTD_API const char *pktd_field_name(uint32_t field);

PKTD_END_DECLS

#endif /* PKTDECODE_FIELDS_H */
