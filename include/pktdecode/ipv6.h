/**
 * @file pktdecode/ipv6.h
 * @brief IPv6 (RFC 8200): the fixed header, the extension-header chain and
 *        the address text form.
 *
 * The IPv6 layer (#PKTD_LAYER_IPV6) is present when the fixed header and
 * the whole extension-header chain before the upper-layer protocol were
 * valid.  The payload length is clamped to the capture as IPv4's total
 * length is (#PKTD_F_IPV6_PADDING, #PKTD_F_IPV6_TRUNCATED,
 * #PKTD_F_IPV6_LEN_ZERO); a jumbogram (payload length 0 and a Jumbo Payload
 * option in the hop-by-hop header, RFC 2675) takes the option's length
 * (#PKTD_F_IPV6_JUMBO).
 *
 * Extension headers are walked while the next header is one of the IANA
 * list (RFC 8200, 6564): hop-by-hop (0, first only), routing (43), fragment
 * (44), destination options (60), AH (51, length (len+2)*4), Mobility
 * (135), HIP (139), Shim6 (140), experimental (253, 254).  ESP (50), No
 * Next Header (59) and any other value end the chain: that value is the
 * upper-layer protocol.  Options of the hop-by-hop and destination headers
 * are validated (Pad1, and every other option's length byte against the
 * header).  At most #PKTD_IPV6_MAX_EXT headers are walked.
 *
 * A fragment with a non-zero offset ends decoding at the fragment header
 * (#PKTD_F_FRAGMENT | #PKTD_F_LATER_FRAGMENT: no transport header); a first
 * fragment is decoded like IPv4's (#PKTD_F_FRAGMENT, checksums not
 * verifiable); an atomic fragment (offset 0, M 0) is a whole packet and sets
 * no flag.
 *
 * Addresses are `const uint8_t *` to their 16 bytes (rule R10); text comes
 * from pktd_ipv6_format().  Scalars are host order, 0 without the layer.
 *
 * @since 1.1
 */
#ifndef PKTDECODE_IPV6_H
#define PKTDECODE_IPV6_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** Buffer size that holds any text pktd_ipv6_format() writes, NUL included.  @since 1.1 */
#define PKTD_IPV6_STRLEN 46

/** Most extension headers walked in one packet (RFC 8200 4.1 allows each once, destination
 *  options twice: 8 in practice); a longer chain is PKTD_E_MALFORMED
 *  (reason PKTD_R_IPV6_EXT_MANY).  @since 1.1 */
#define PKTD_IPV6_MAX_EXT 16

/**
 * @brief Decode a raw IPv6 packet (no link header) and what it carries.
 * @param p    state to fill.
 * @param data the packet, starting with the IPv6 header.
 * @param len  captured bytes at @p data.
 * @return As pktd_decode().
 * @since 1.1
 */
PKTD_API int pktd_ipv6_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Version field (6).  @param p a decoded state.  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint8_t pktd_ipv6_version(const pktd_packet *p);
/** @brief Traffic class (DSCP and ECN).  @param p a decoded state.  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint8_t pktd_ipv6_tclass(const pktd_packet *p);
/** @brief Flow label (20 bits).  @param p a decoded state.  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint32_t pktd_ipv6_flow(const pktd_packet *p);
/** @brief Payload length field as on the wire (0 for a jumbogram).  @param p a decoded state.
 *  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint16_t pktd_ipv6_plen(const pktd_packet *p);
/** @brief Next header field of the fixed header.  @param p a decoded state.
 *  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint8_t pktd_ipv6_next(const pktd_packet *p);
/** @brief Hop limit.  @param p a decoded state.  @return The field, 0 without IPv6.  @since 1.1 */
PKTD_API uint8_t pktd_ipv6_hlim(const pktd_packet *p);
/** @brief Source address.  @param p a decoded state.
 *  @return Pointer to its 16 bytes in the caller's buffer, NULL without IPv6.  @since 1.1 */
PKTD_API const uint8_t *pktd_ipv6_src(const pktd_packet *p);
/** @brief Destination address (of the fixed header, not the routing header's final one).
 *  @param p a decoded state.
 *  @return Pointer to its 16 bytes in the caller's buffer, NULL without IPv6.  @since 1.1 */
PKTD_API const uint8_t *pktd_ipv6_dst(const pktd_packet *p);

/**
 * @brief The Jumbo Payload length of a jumbogram (RFC 2675).
 * @param p a decoded state.
 * @return The option's length (bytes after the fixed header), 0 when there is none.
 * @since 1.1
 */
PKTD_API uint32_t pktd_ipv6_jumbo_len(const pktd_packet *p);

/**
 * @brief Number of extension headers in the chain (ESP and the upper layer not counted).
 * @param p a decoded state.
 * @return The count, 0 without IPv6.
 * @since 1.1
 */
PKTD_API uint32_t pktd_ipv6_ext_count(const pktd_packet *p);

/**
 * @brief The upper-layer protocol that ends the extension chain, and where it starts.
 *
 * For a later fragment, the fragment header's next header and the start of
 * the fragment data; for ESP (50), the ESP header.
 *
 * @param p     a decoded state.
 * @param proto receives the protocol number (may be NULL).
 * @param off   receives its offset from the start of the decoded buffer (may be NULL).
 * @return 1 with IPv6, 0 without.
 * @since 1.1
 */
PKTD_API int pktd_ipv6_upper(const pktd_packet *p, uint8_t *proto, size_t *off);

/**
 * @brief The fragment header.
 * @param p      a decoded state.
 * @param offset receives the fragment offset in 8-byte units (may be NULL).
 * @param more   receives the M flag, 1 or 0 (may be NULL).
 * @param id     receives the identification (may be NULL).
 * @return 1 when the chain has a fragment header (atomic fragments included), 0 if not.
 * @since 1.1
 */
PKTD_API int pktd_ipv6_frag(const pktd_packet *p, uint16_t *offset, uint8_t *more,
                            uint32_t *id);

/**
 * @brief The (first) routing header.
 * @param p        a decoded state.
 * @param type     receives the routing type (may be NULL).
 * @param segleft  receives segments left (may be NULL).
 * @return 1 when the chain has a routing header, 0 if not.
 * @since 1.1
 */
PKTD_API int pktd_ipv6_routing(const pktd_packet *p, uint8_t *type, uint8_t *segleft);

/**
 * @brief Iterate over the extension headers, in order.
 *
 * Start with `*cursor == 0`: `while (pktd_ipv6_ext_next(p, &c, &t, &d, &n))`.
 *
 * @param p      a decoded state.
 * @param cursor iteration state (NULL: returns 0).
 * @param type   receives the header's protocol number (0, 43, 44, 60, 51, ...; may be NULL).
 * @param data   receives the whole header, from its next-header byte (may be NULL).
 * @param len    receives its length in bytes (may be NULL).
 * @return 1 with the next header, 0 at the end (or without IPv6).
 * @since 1.1
 */
PKTD_API int pktd_ipv6_ext_next(const pktd_packet *p, uint32_t *cursor, uint8_t *type,
                                const uint8_t **data, size_t *len);

/**
 * @brief Write an IPv6 address as text, as inet_ntop() and RFC 5952 do
 *        (lower-case hex, the longest run of two or more zero groups as
 *        "::", the first such run on a tie; "::ffff:a.b.c.d" for
 *        IPv4-mapped addresses).
 *
 * snprintf's contract: at most @p len bytes including the NUL are written,
 * and the return value is the full length, so `>= len` means it was cut.
 * A buffer of #PKTD_IPV6_STRLEN bytes is always enough.
 *
 * @param addr the 16 address bytes (NULL writes "").
 * @param buf  destination (may be NULL when @p len is 0).
 * @param len  size of @p buf.
 * @return The length of the full text.
 * @since 1.1
 */
PKTD_API size_t pktd_ipv6_format(const uint8_t *addr, char *buf, size_t len);

PKTD_END_DECLS

#endif /* PKTDECODE_IPV6_H */
