/**
 * @file pktdecode/packet.h
 * @brief The decoded-packet state, whole-frame decoding and error details.
 *
 * A #pktd_packet is an opaque, fixed-size value that the caller owns
 * (typically on the stack).  Decoding never allocates, never copies packet
 * bytes and never reads past the length given: the state records offsets
 * into the caller's buffer, and the accessors in eth.h, arp.h, ipv4.h,
 * tcp.h, udp.h and icmp.h read fields from that buffer in host byte order.
 *
 * Lifetime: the buffer passed to a decode call must stay valid and unchanged
 * while the state is used.  Thread safety: all functions are pure; a state
 * may be read from several threads, and different states may be decoded in
 * parallel.  Nothing sets errno or keeps global state.
 *
 * Results: a decode returns 0 when every recognised layer was decoded, or a
 * negative code (PKTD_E_TRUNCATED, PKTD_E_MALFORMED, PKTD_E_UNSUPPORTED)
 * when decoding stopped; the layers before the failing one stay readable,
 * and pktd_packet_error_layer() / pktd_packet_error_reason() say where and
 * why.  An unknown EtherType or IP protocol is not an error: decoding simply
 * ends there and the rest is payload.
 *
 * "Not for me" versus "broken": the code says which.  PKTD_E_UNSUPPORTED
 * means the library does not know the link type (nothing decoded, nothing
 * wrong with the packet: count it apart); PKTD_E_TRUNCATED means the
 * capture cut a header short (the snap length, not the sender);
 * PKTD_E_MALFORMED alone means the packet itself is broken.  A "malformed"
 * counter therefore tests `pktd_packet_error(p) == PKTD_E_MALFORMED`, never
 * `< 0`.
 *
 * Return conventions (doc/design.md, "The API rules"): presence calls
 * (options, headers, iterators) return 1 or 0, never a negative code, also
 * when the whole layer is absent; predicates (`*_ok`, `*_bad`, `*_has`,
 * flags) return 1 or 0; scalar accessors return the field in host order, 0
 * when the layer is absent.
 */
#ifndef PKTDECODE_PACKET_H
#define PKTDECODE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Size in bytes of #pktd_packet.  Fixed for the whole 1.x ABI. */
#define PKTD_PACKET_SIZE 256

/**
 * @brief Opaque decoded-packet state: allocate it anywhere, never look inside.
 *
 * 256 bytes, 8-byte aligned; in Python ctypes it is `c_uint64 * 32`.  It
 * needs no initialisation and no cleanup: every decode call resets it.
 */
typedef struct pktd_packet {
    uint64_t opaque_[PKTD_PACKET_SIZE / 8]; /**< private: do not use */
} pktd_packet;

/** @name Link types (pcap LINKTYPE_ values) accepted by pktd_decode()
 * @{ */
#define PKTD_LINKTYPE_ETHERNET 1     /**< Ethernet II / 802.3, with 802.1Q/802.1ad tags */
#define PKTD_LINKTYPE_RAW 101        /**< raw IP (the version nibble chooses IPv4 or, since 1.1, IPv6) */
#define PKTD_LINKTYPE_LINUX_SLL 113  /**< Linux cooked capture v1 */
#define PKTD_LINKTYPE_IPV4 228       /**< raw IPv4 */
#define PKTD_LINKTYPE_IPV6 229       /**< raw IPv6 (@since 1.1) */
#define PKTD_LINKTYPE_LINUX_SLL2 276 /**< Linux cooked capture v2 */
/** BSD loopback: a 4-byte address family in the capturing host's byte order.  @since 1.1 */
#define PKTD_LINKTYPE_NULL 0
/** PPP (RFC 1661), with or without address and control (RFC 1662).  @since 1.1 */
#define PKTD_LINKTYPE_PPP 9
/** PPP in HDLC-like framing, or Cisco HDLC framing (first byte 0x0f / 0x8f).  @since 1.1 */
#define PKTD_LINKTYPE_PPP_HDLC 50
/** Cisco HDLC: address, control, EtherType.  @since 1.1 */
#define PKTD_LINKTYPE_C_HDLC 104
/** 12, the value of DLT_RAW on most systems, which some programs write into
 *  files instead of #PKTD_LINKTYPE_RAW: decoded exactly as #PKTD_LINKTYPE_RAW
 *  (as libpcap on Linux and Wireshark read it).  @since 1.1 */
#define PKTD_LINKTYPE_DLT_RAW 12
/** 14, the value of DLT_RAW on OpenBSD, found in files for the same reason:
 *  decoded exactly as #PKTD_LINKTYPE_RAW (as Wireshark reads it).  @since 1.1 */
#define PKTD_LINKTYPE_DLT_RAW_OPENBSD 14
/** OpenBSD loopback: like #PKTD_LINKTYPE_NULL, the family in network byte order.  @since 1.1 */
#define PKTD_LINKTYPE_LOOP 108
/** @} */

/**
 * @brief The layer table: X(NAME, value, "name").
 *
 * The single source of the layer identifiers (enum #pktd_layer, as
 * PKTD_LAYER_NAME) and of their names (pktd_layer_name()).  Values are
 * fixed for 1.x; later releases only append.
 */
#define PKTD_LAYER_MAP(X)                                               \
    X(NONE, 0, "none")  /**< no layer / no error */                      \
    X(LINK, 1, "link")  /**< the link type itself */                     \
    X(SLL, 2, "sll")    /**< Linux cooked header v1 */                   \
    X(SLL2, 3, "sll2")  /**< Linux cooked header v2 */                   \
    X(ETH, 4, "eth")    /**< Ethernet header */                          \
    X(VLAN, 5, "vlan")  /**< one or more 802.1Q / 802.1ad tags */        \
    X(ARP, 6, "arp")    /**< ARP */                                      \
    X(IPV4, 7, "ipv4")  /**< IPv4 */                                     \
    X(TCP, 8, "tcp")    /**< TCP */                                      \
    X(UDP, 9, "udp")    /**< UDP */                                      \
    X(ICMP, 10, "icmp") /**< ICMP (for IPv4) */                         \
    X(IPV6, 11, "ipv6") /**< IPv6 and its extension headers (@since 1.1) */ \
    X(ICMPV6, 12, "icmpv6") /**< ICMPv6 (@since 1.1) */ \
    X(LOOPBACK, 13, "loopback") /**< BSD loopback header (NULL, LOOP); @since 1.1 */ \
    X(PPP, 14, "ppp")           /**< PPP header (PPP, PPP_HDLC); @since 1.1 */       \
    X(CHDLC, 15, "chdlc")       /**< Cisco HDLC header (C_HDLC, PPP_HDLC); @since 1.1 */ \
    X(MPLS, 16, "mpls")         /**< MPLS label stack of an inner state (tunnel.h); @since 1.1 */ \
    X(PPPOE, 17, "pppoe")       /**< PPPoE header of an inner state (tunnel.h); @since 1.1 */ \
    X(GRE, 18, "gre")           /**< GRE header of an inner state (tunnel.h); @since 1.1 */ \
    X(ERSPAN, 19, "erspan")     /**< ERSPAN header after GRE (tunnel.h); @since 1.1 */ \
    X(VXLAN, 20, "vxlan")       /**< VXLAN header of an inner state (tunnel.h); @since 1.1 */ \
    X(GENEVE, 21, "geneve")     /**< Geneve header and options (tunnel.h); @since 1.1 */ \
    X(GTPU, 22, "gtpu")         /**< GTP-U header and extension headers (tunnel.h); @since 1.1 */

/** Layer identifiers (see #PKTD_LAYER_MAP), used by pktd_packet_has() and the error details. */
enum pktd_layer {
/** Expands one row of #PKTD_LAYER_MAP into an enumerator (undefined right after). */
#define PKTD_LAYER_ENUM_(name, value, str) PKTD_LAYER_##name = value,
    PKTD_LAYER_MAP(PKTD_LAYER_ENUM_)
#undef PKTD_LAYER_ENUM_
    PKTD_LAYER_COUNT_ = 23 /**< number of identifiers; grows in later releases */
};

/** @name Packet flags (pktd_packet_flags()): conditions that are not errors
 * @{ */
/** IPv4 total length exceeds the captured bytes: headers valid, payload cut short. */
#define PKTD_F_IPV4_TRUNCATED 0x0001u
/** IPv4 total length was 0 (segmentation offload, BIG TCP): the captured length was used. */
#define PKTD_F_IPV4_LEN_ZERO 0x0002u
/** Bytes after the IPv4 total length (Ethernet padding) were excluded. */
#define PKTD_F_IPV4_PADDING 0x0004u
/** The IPv4 packet is a fragment (MF set or fragment offset non-zero); since 1.1 also an
 *  IPv6 packet with a Fragment header other than an atomic fragment (offset 0, M 0). */
#define PKTD_F_FRAGMENT 0x0008u
/** Non-first fragment (offset non-zero): it carries no transport header. */
#define PKTD_F_LATER_FRAGMENT 0x0010u
/** The UDP length exceeds the captured bytes (the payload is cut short). */
#define PKTD_F_UDP_TRUNCATED 0x0020u
/** UDP length field 0 (GSO or jumbogram): the IP payload length was used. */
#define PKTD_F_UDP_LEN_ZERO 0x0040u
/** The UDP length is shorter than the IP payload: trailing bytes excluded. */
#define PKTD_F_UDP_PADDING 0x0080u
/** The transport payload is shorter than the headers announce (snap length). */
#define PKTD_F_PAYLOAD_TRUNCATED 0x0100u
/** The Ethernet type field is an 802.3 length (< 0x600); no upper layer decoded. */
#define PKTD_F_ETH_8023 0x0200u
/** IPv6 payload length exceeds the captured bytes: headers valid, payload cut short.  @since 1.1 */
#define PKTD_F_IPV6_TRUNCATED 0x0400u
/** IPv6 payload length 0 without a Jumbo Payload option (segmentation offload): the
 *  captured length was used.  @since 1.1 */
#define PKTD_F_IPV6_LEN_ZERO 0x0800u
/** Bytes after the IPv6 payload length (Ethernet padding) were excluded.  @since 1.1 */
#define PKTD_F_IPV6_PADDING 0x1000u
/** IPv6 jumbogram (RFC 2675): the length is the Jumbo Payload option's.  @since 1.1 */
#define PKTD_F_IPV6_JUMBO 0x2000u
/** UDP over IPv6 with checksum 0, which RFC 8200 8.1 forbids except for the tunnels of
 *  RFC 6935; pktd_udp_checksum_bad() is 1 for it.  @since 1.1 */
#define PKTD_F_UDP_ZERO_CSUM 0x4000u
/** @} */

/** Most VLAN tags decoded in one frame; a deeper stack is PKTD_E_MALFORMED. */
#define PKTD_VLAN_MAX_DEPTH 8

/**
 * @brief The detailed reasons for a decode error: X(NAME, value, "format").
 *
 * Each malformed or truncated case has its own reason, pinned like the error
 * codes.  The format holds up to two `%u`, filled from
 * pktd_packet_error_value() and pktd_packet_error_value2() by
 * pktd_packet_error_format().
 */
#define PKTD_REASON_MAP(X)                                                        \
    X(NONE, 0, "no error")                                                        \
    X(LINKTYPE, 1, "unsupported link type %u")                                    \
    X(SLL_SHORT, 2, "cooked header needs 16 bytes, have %u")                      \
    X(SLL2_SHORT, 3, "cooked v2 header needs 20 bytes, have %u")                  \
    X(ETH_SHORT, 4, "Ethernet header needs 14 bytes, have %u")                    \
    X(VLAN_SHORT, 5, "VLAN tag needs 4 bytes, have %u")                           \
    X(VLAN_DEPTH, 6, "more than %u VLAN tags")                                    \
    X(ARP_SHORT, 7, "ARP header needs 8 bytes, have %u")                          \
    X(ARP_ADDR_SHORT, 8, "ARP addresses need %u bytes, have %u")                  \
    X(ARP_HLEN, 9, "hardware address length %u != 6 for Ethernet")                \
    X(ARP_PLEN, 10, "protocol address length %u != 4 for IPv4")                   \
    X(IPV4_SHORT, 11, "IPv4 header needs 20 bytes, have %u")                      \
    X(IPV4_VERSION, 12, "IP version %u != 4")                                     \
    X(IPV4_IHL, 13, "header length %u < 20")                                      \
    X(IPV4_HDR_TRUNC, 14, "header length %u beyond captured length %u")           \
    X(IPV4_TOTLEN, 15, "total length %u < header length %u")                      \
    X(IPV4_OPT_NOLEN, 16, "IPv4 option %u has no length byte")                    \
    X(IPV4_OPT_LEN, 17, "IPv4 option length %u < 2")                              \
    X(IPV4_OPT_OVERRUN, 18, "IPv4 option length %u overruns %u option bytes")     \
    X(TCP_SHORT, 19, "TCP header needs 20 bytes, have %u")                        \
    X(TCP_DOFF, 20, "data offset %u < 5")                                         \
    X(TCP_DOFF_LONG, 21, "header length %u beyond segment length %u")             \
    X(TCP_HDR_TRUNC, 22, "header length %u beyond captured length %u")            \
    X(TCP_OPT_NOLEN, 23, "TCP option %u has no length byte")                      \
    X(TCP_OPT_LEN, 24, "TCP option length %u < 2")                                \
    X(TCP_OPT_OVERRUN, 25, "TCP option length %u overruns %u option bytes")       \
    X(TCP_OPT_SIZE, 26, "TCP option %u has invalid length %u")                    \
    X(UDP_SHORT, 27, "UDP header needs 8 bytes, have %u")                         \
    X(UDP_LEN_SHORT, 28, "UDP length %u < 8")                                     \
    X(UDP_LEN_LONG, 29, "UDP length %u > IP payload length %u")                   \
    X(ICMP_SHORT, 30, "ICMP header needs 8 bytes, have %u")                       \
    X(ARGUMENT, 31, "invalid argument")                                           \
    X(IPV6_SHORT, 32, "IPv6 header needs 40 bytes, have %u")                      \
    X(IPV6_VERSION, 33, "IP version %u != 6")                                     \
    X(IPV6_EXT_TRUNC, 34, "IPv6 extension header %u needs %u bytes beyond the capture") \
    X(IPV6_EXT_OVERRUN, 35, "IPv6 extension header %u runs past the payload length %u") \
    X(IPV6_HBH_NOT_FIRST, 36, "hop-by-hop options header after %u extension headers") \
    X(IPV6_EXT_MANY, 37, "more than %u IPv6 extension headers")                   \
    X(IPV6_OPT_NOLEN, 38, "IPv6 option %u has no length byte")                    \
    X(IPV6_OPT_OVERRUN, 39, "IPv6 option length %u overruns %u option bytes")     \
    X(IPV6_OPT_SIZE, 40, "IPv6 option %u has invalid length %u")                  \
    X(IPV6_JUMBO_LEN, 41, "jumbo payload length %u <= 65535")                     \
    X(IPV6_JUMBO_PLEN, 42, "jumbo payload option with payload length %u != 0")    \
    X(IPV6_JUMBO_FRAG, 43, "jumbo payload option with a fragment header")         \
    X(IPV6_FRAG_SIZE, 44, "fragment length %u is not a multiple of 8")            \
    X(ICMPV6_SHORT, 45, "ICMPv6 header needs 4 bytes, have %u")                   \
    X(ICMPV6_TYPE_SHORT, 46, "ICMPv6 type %u needs %u bytes")                     \
    X(ICMPV6_TYPE_TRUNC, 47, "ICMPv6 type %u: %u bytes captured")                 \
    X(ICMPV6_ND_OPT_LEN, 48, "ND option %u has length 0")                         \
    X(ICMPV6_ND_OPT_OVERRUN, 49, "ND option length %u overruns %u bytes")         \
    X(IPV6_JUMBO_MISSING, 50, "payload length 0 and hop-by-hop header without jumbo payload option") \
    X(LOOPBACK_SHORT, 51, "loopback header needs 4 bytes, have %u")   /* @since 1.1 */ \
    X(PPP_SHORT, 52, "PPP header needs %u bytes, have %u")        /* @since 1.1 */ \
    X(CHDLC_SHORT, 53, "Cisco HDLC header needs 4 bytes, have %u") /* @since 1.1 */ \
    X(TUNNEL_NONE, 54, "no tunnel to decode")                      /* @since 1.1, tunnel.h */ \
    X(TUNNEL_DEPTH, 55, "more than %u nested tunnels")             /* @since 1.1 */ \
    X(MPLS_SHORT, 56, "MPLS label stack entry %u needs 4 bytes, have %u") /* @since 1.1 */ \
    X(MPLS_DEPTH, 57, "more than %u MPLS labels")                  /* @since 1.1 */ \
    X(PPPOE_SHORT, 58, "PPPoE header needs %u bytes, have %u")     /* @since 1.1 */ \
    X(PPPOE_VERTYPE, 59, "PPPoE version %u type %u, not 1 and 1")  /* @since 1.1 */ \
    X(PPPOE_CODE, 60, "PPPoE session code %u != 0")                /* @since 1.1 */ \
    X(PPPOE_LEN, 61, "PPPoE length %u leaves no PPP protocol")     /* @since 1.1 */ \
    X(GRE_SHORT, 62, "GRE header needs %u bytes, have %u")         /* @since 1.1 */ \
    X(GRE_VERSION, 63, "GRE version %u not decoded")               /* @since 1.1 */ \
    X(GRE_ROUTING, 64, "GRE routing (RFC 1701) not decoded")       /* @since 1.1 */ \
    X(ERSPAN_SHORT, 65, "ERSPAN header needs %u bytes, have %u")   /* @since 1.1 */ \
    X(ERSPAN_VERSION, 66, "ERSPAN version %u not decoded")         /* @since 1.1 */ \
    X(VXLAN_SHORT, 67, "VXLAN header needs 8 bytes, have %u")      /* @since 1.1 */ \
    X(GENEVE_SHORT, 68, "Geneve header needs %u bytes, have %u")   /* @since 1.1 */ \
    X(GENEVE_VERSION, 69, "Geneve version %u not decoded")         /* @since 1.1 */ \
    X(GENEVE_OPT_OVERRUN, 70, "Geneve option length %u overruns %u option bytes") /* @since 1.1 */ \
    X(GTPU_SHORT, 71, "GTP-U header needs %u bytes, have %u")      /* @since 1.1 */ \
    X(GTPU_VERSION, 72, "GTP version %u, protocol type %u: not GTPv1-U") /* @since 1.1 */ \
    X(GTPU_LENGTH, 73, "GTP-U headers need %u bytes, length field says %u") /* @since 1.1 */ \
    X(GTPU_EXT_LEN, 74, "GTP-U extension header %u has length 0")  /* @since 1.1 */

/** Detailed decode error reasons (see #PKTD_REASON_MAP). */
enum pktd_reason {
/** @cond INTERNAL */
#define PKTD_REASON_ENUM_(name, value, fmt) PKTD_R_##name = value,
/** @endcond */
    PKTD_REASON_MAP(PKTD_REASON_ENUM_)
#undef PKTD_REASON_ENUM_
};

/**
 * @brief sizeof(#pktd_packet), for bindings that allocate the state themselves.
 * @return #PKTD_PACKET_SIZE.
 * @since 1.0
 */
PKTD_API size_t pktd_packet_size(void);

/**
 * @brief Decode a whole frame of the given link type, every layer present.
 *
 * @param p        state to fill (any contents; it is reset).
 * @param linktype a pcap LINKTYPE_ value (#PKTD_LINKTYPE_ETHERNET, ...).
 * @param data     the captured bytes; must outlive @p p.
 * @param len      number of captured bytes at @p data.
 * @return 0 when every recognised layer decoded; PKTD_E_TRUNCATED when a
 *         header is cut short; PKTD_E_MALFORMED for an impossible field;
 *         PKTD_E_UNSUPPORTED for an unknown link type;
 *         PKTD_E_INVALID_ARGUMENT for NULL @p p, NULL @p data with a
 *         non-zero @p len, or @p len above 4 GiB.  The code is also kept in
 *         the state (pktd_packet_error()), which is why the decode calls,
 *         alone among the calls that return negative codes, are not
 *         declared PKTD_WUR: ignoring the result loses nothing.
 * @since 1.0
 */
PKTD_API int pktd_decode(pktd_packet *p, uint32_t linktype, const uint8_t *data, size_t len);

/**
 * @brief The layers decoded, as a bit set: bit n is set for layer n.
 * @param p a decoded state.
 * @return `1u << PKTD_LAYER_x` bits for every layer present.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_layers(const pktd_packet *p);

/**
 * @brief Whether a layer was decoded.
 * @param p     a decoded state.
 * @param layer a #pktd_layer value.
 * @return 1 if present, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_packet_has(const pktd_packet *p, uint32_t layer);

/**
 * @brief Conditions noticed while decoding that are not errors.
 * @param p a decoded state.
 * @return A set of PKTD_F_* bits.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_flags(const pktd_packet *p);

/**
 * @brief The link type the state was decoded with (0 for a per-layer parse).
 * @param p a decoded state.
 * @return The LINKTYPE_ value.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_linktype(const pktd_packet *p);

/**
 * @brief Locate one layer's header in the caller's buffer.
 *
 * A presence call: `if (pktd_packet_header(p, PKTD_LAYER_TCP, &h, &n))` is
 * safe on any packet.  The out-parameters are written only when it returns 1.
 *
 * @param p     a decoded state.
 * @param layer a #pktd_layer value.
 * @param hdr   receives a pointer to the header (may be NULL).
 * @param len   receives the header length in bytes, options included
 *              (may be NULL); for #PKTD_LAYER_VLAN, all tags together.
 * @return 1 if the layer is present, 0 if not (or @p layer is unknown).
 * @since 1.0
 */
PKTD_API int pktd_packet_header(const pktd_packet *p, uint32_t layer, const uint8_t **hdr,
                                size_t *len);

/**
 * @brief The bytes after the last decoded header.
 *
 * For TCP and UDP the transport payload, for an unknown IP protocol or a
 * later fragment the IP payload, for an unknown EtherType the bytes after the
 * link header.  Clamped to the IPv4 total length (and UDP length), so
 * Ethernet padding is never payload; only captured bytes are counted.  ARP
 * has no payload (the result is empty).  When decoding stopped with an
 * error, the bytes after the last layer that did decode (the failing layer
 * itself is never reported as present).
 *
 * A presence call: the out-parameters are written only when it returns 1.
 *
 * @param p    a decoded state.
 * @param data receives the payload pointer (may be NULL).
 * @param len  receives the payload length (may be NULL; may be 0).
 * @return 1 when at least one layer was decoded (the payload may be empty),
 *         0 when nothing was (the first layer failed or the arguments were
 *         refused).
 * @since 1.0
 */
PKTD_API int pktd_packet_payload(const pktd_packet *p, const uint8_t **data, size_t *len);

/**
 * @brief The error that stopped decoding, or 0.
 *
 * PKTD_E_UNSUPPORTED is "not for me" (unknown link type), PKTD_E_TRUNCATED
 * "cut by the capture", PKTD_E_MALFORMED "broken" (see the file overview).
 *
 * @param p a decoded state.
 * @return The same code the decode call returned.
 * @since 1.0
 */
PKTD_API int pktd_packet_error(const pktd_packet *p);

/**
 * @brief The layer at which decoding stopped (#PKTD_LAYER_NONE if none).
 * @param p a decoded state.
 * @return A #pktd_layer value.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_error_layer(const pktd_packet *p);

/**
 * @brief Why decoding stopped (PKTD_R_NONE if it did not).
 * @param p a decoded state.
 * @return A #pktd_reason value.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_error_reason(const pktd_packet *p);

/**
 * @brief The first value quoted by the reason's message (e.g. the data offset).
 * @param p a decoded state.
 * @return The offending value, or 0.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_error_value(const pktd_packet *p);

/**
 * @brief The second value quoted by the reason's message (e.g. the limit).
 * @param p a decoded state.
 * @return The value, or 0.
 * @since 1.0
 */
PKTD_API uint32_t pktd_packet_error_value2(const pktd_packet *p);

/**
 * @brief Format the error as text, e.g. "data offset 4 < 5".
 * @param p   a decoded state.
 * @param buf destination; always NUL-terminated when @p len > 0.
 * @param len size of @p buf in bytes.
 * @return The length of the full message (as snprintf), or
 *         PKTD_E_INVALID_ARGUMENT.
 * @since 1.0
 */
PKTD_API int pktd_packet_error_format(const pktd_packet *p, char *buf, size_t len) PKTD_WUR;

/**
 * @brief The format string of a reason, with `%u` placeholders.
 * @param reason a #pktd_reason value.
 * @return A static string; "unknown reason" for unknown values.
 * @since 1.0
 */
PKTD_API const char *pktd_reason_string(uint32_t reason);

/**
 * @brief The short lower-case name of a layer: "eth", "vlan", "arp", "ipv4",
 *        "tcp", "udp", "icmp", "sll", "sll2", "link"; from 1.1 also
 *        "loopback", "ppp", "chdlc", and the tunnel headers "mpls", "pppoe",
 *        "gre", "erspan", "vxlan", "geneve", "gtpu".
 * @param layer a #pktd_layer value.
 * @return A static string; "none" for #PKTD_LAYER_NONE, "unknown" otherwise.
 * @since 1.0
 */
PKTD_API const char *pktd_layer_name(uint32_t layer);

PKTD_END_DECLS

#endif /* PKTDECODE_PACKET_H */
