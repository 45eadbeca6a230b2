/**
 * @file pktdecode/icmpv6.h
 * @brief ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861).
 *
 * The ICMPv6 layer (#PKTD_LAYER_ICMPV6) is decoded above IPv6 when the
 * upper-layer protocol is 58.  Its header (pktd_packet_header()) is the
 * fixed part of the message type: 8 bytes for error and echo messages and
 * router solicitations, 16 for router advertisements, 24 for neighbor
 * solicitations/advertisements and MLD queries/reports, 40 for redirects,
 * 4 for other types; a message shorter than that is PKTD_E_MALFORMED
 * (reason PKTD_R_ICMPV6_TYPE_SHORT), one cut by the capture PKTD_E_TRUNCATED.
 * The options of ND messages (types 133-137) are validated: no option of
 * length 0, none running past the message.
 *
 * @since 1.1
 */
#ifndef PKTDECODE_ICMPV6_H
#define PKTDECODE_ICMPV6_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>
#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** @brief Message type.  @param p a decoded state.  @return The field, 0 without ICMPv6.  @since 1.1 */
PKTD_API uint8_t pktd_icmpv6_type(const pktd_packet *p);
/** @brief Message code.  @param p a decoded state.  @return The field, 0 without ICMPv6.  @since 1.1 */
PKTD_API uint8_t pktd_icmpv6_code(const pktd_packet *p);
/** @brief Checksum field.  @param p a decoded state.  @return The field, 0 without ICMPv6.  @since 1.1 */
PKTD_API uint16_t pktd_icmpv6_checksum(const pktd_packet *p);
/** @brief Bytes 4-7 of the message (pointer, MTU, echo id and sequence, ND flags...) for
 *  a type whose fixed part has them: the errors (1-4), echo (128, 129), MLD (130-132,
 *  143) and ND (133-137).  For any other type only the first 4 bytes are a header
 *  (RFC 4443 2.1), so this is 0 even when more bytes follow (they are the payload).
 *  @param p a decoded state.  @return Them as a host-order value; 0 without ICMPv6 or
 *  for another type.  @since 1.1 */
PKTD_API uint32_t pktd_icmpv6_rest(const pktd_packet *p);

/**
 * @brief Whether the checksum (over the IPv6 pseudo-header, with the final
 *        destination of a routing header) was verified and is correct.
 * @param p a decoded state.
 * @return 1 or 0; 0 when it cannot be verified (no ICMPv6, a fragment, a
 *         message cut by the capture or of unknown length).
 * @since 1.1
 */
PKTD_API int pktd_icmpv6_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the checksum was verified and is wrong.
 * @param p a decoded state.
 * @return 1 or 0; 0 when it cannot be verified (see pktd_icmpv6_checksum_ok()).
 * @since 1.1
 */
PKTD_API int pktd_icmpv6_checksum_bad(const pktd_packet *p);

/**
 * @brief Identifier and sequence number of an echo request (128) or reply (129).
 * @param p   a decoded state.
 * @param id  receives the identifier (may be NULL).
 * @param seq receives the sequence number (may be NULL).
 * @return 1 for an echo message, 0 otherwise.
 * @since 1.1
 */
PKTD_API int pktd_icmpv6_echo(const pktd_packet *p, uint16_t *id, uint16_t *seq);

/**
 * @brief The target address of a neighbor solicitation (135), neighbor
 *        advertisement (136) or redirect (137).
 * @param p a decoded state.
 * @return Pointer to its 16 bytes in the caller's buffer, NULL for another message.
 * @since 1.1
 */
PKTD_API const uint8_t *pktd_icmpv6_nd_target(const pktd_packet *p);

/**
 * @brief Iterate over the options of an ND message (types 133-137).
 *
 * Only options whose bytes were all captured are returned.  Start with
 * `*cursor == 0`.
 *
 * @param p      a decoded state.
 * @param cursor iteration state (NULL: returns 0).
 * @param type   receives the option type (may be NULL).
 * @param data   receives the whole option, from its type byte (may be NULL).
 * @param len    receives its length in bytes (a multiple of 8; may be NULL).
 * @return 1 with the next option, 0 at the end (or for another message).
 * @since 1.1
 */
PKTD_API int pktd_icmpv6_nd_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *type,
                                        const uint8_t **data, size_t *len);

/**
 * @brief The link-layer address of the first Source (type 1) or Target (type 2)
 *        Link-Layer Address option of an ND message.
 * @param p      a decoded state.
 * @param option 1 (source) or 2 (target).
 * @param addr   receives a pointer to the address bytes (may be NULL).
 * @param len    receives their number: the option's length less 2 (6 for
 *               Ethernet, followed by no padding; may be NULL).
 * @return 1 when the option is present, 0 if not.
 * @since 1.1
 */
PKTD_API int pktd_icmpv6_nd_lladdr(const pktd_packet *p, uint8_t option, const uint8_t **addr,
                                   size_t *len);

PKTD_END_DECLS

#endif /* PKTDECODE_ICMPV6_H */
