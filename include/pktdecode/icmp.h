/**
 * @file pktdecode/icmp.h
 * @brief ICMP for IPv4: type, code, checksum, echo identifier and sequence.
 *
 * Accessors read the caller's buffer: see packet.h for lifetime and
 * thread-safety rules (pure functions; the buffer must outlive the state).
 */
#ifndef PKTDECODE_ICMP_H
#define PKTDECODE_ICMP_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/**
 * @brief Decode a bare ICMP message (8-byte header, the rest is payload).
 * @param p    state to fill.
 * @param data the ICMP header; must outlive @p p.
 * @param len  captured length.
 * @return 0 or PKTD_E_TRUNCATED.
 * @since 1.0
 */
PKTD_API int pktd_icmp_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Message type (0 echo reply, 3 unreachable, 8 echo request, ...). @param p a decoded state. @return type; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_icmp_type(const pktd_packet *p);
/** @brief Message code. @param p a decoded state. @return code; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_icmp_code(const pktd_packet *p);
/** @brief Checksum field as sent. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_icmp_checksum(const pktd_packet *p);
/** @brief The 4 bytes after the checksum ("rest of header"). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint32_t pktd_icmp_rest(const pktd_packet *p);

/**
 * @brief Identifier and sequence of an echo request (8) or reply (0).
 * @param p   a decoded state.
 * @param id  receives the identifier (may be NULL).
 * @param seq receives the sequence number (may be NULL).
 * @return 1 for an echo message, 0 otherwise.
 * @since 1.0
 */
PKTD_API int pktd_icmp_echo(const pktd_packet *p, uint16_t *id, uint16_t *seq);

/**
 * @brief Whether the ICMP checksum was verified and is correct.
 *
 * Computed on demand over the whole message.  Behind IPv4 the message is
 * the IP payload, which must be complete (length known, not a fragment,
 * fully captured); after a bare pktd_icmp_parse() it is the bytes that were
 * given.  When it cannot be verified (or without ICMP) both this and
 * pktd_icmp_checksum_bad() return 0.
 *
 * @param p a decoded state.
 * @return 1 if verified and correct, else 0.
 * @since 1.0
 */
PKTD_API int pktd_icmp_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the ICMP checksum was verified and is wrong.
 * @param p a decoded state.
 * @return 1 if verified and wrong, else 0 (see pktd_icmp_checksum_ok()).
 * @since 1.0
 */
PKTD_API int pktd_icmp_checksum_bad(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_ICMP_H */
