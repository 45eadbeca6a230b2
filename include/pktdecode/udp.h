/**
 * @file pktdecode/udp.h
 * @brief UDP: ports, length checks, checksum, payload.
 *
 * A UDP length below 8 is PKTD_E_MALFORMED, above the IP payload
 * PKTD_E_MALFORMED; above the captured bytes (but within the IP payload)
 * the header is kept and #PKTD_F_UDP_TRUNCATED set; 0 (GSO, jumbograms)
 * uses the IP payload length and sets #PKTD_F_UDP_LEN_ZERO.  In a first
 * fragment (#PKTD_F_FRAGMENT) a length above the IP payload is expected (the
 * datagram continues in later fragments): #PKTD_F_UDP_TRUNCATED and
 * #PKTD_F_PAYLOAD_TRUNCATED are set instead of an error.
 *
 * Accessors read the caller's buffer: see packet.h for lifetime and
 * thread-safety rules (pure functions; the buffer must outlive the state).
 */
#ifndef PKTDECODE_UDP_H
#define PKTDECODE_UDP_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/**
 * @brief Decode a bare UDP header; the rest, up to the UDP length, is payload.
 * @param p    state to fill.
 * @param data the UDP header; must outlive @p p.
 * @param len  captured length of the datagram.
 * @return 0, PKTD_E_TRUNCATED or PKTD_E_MALFORMED.
 * @since 1.0
 */
PKTD_API int pktd_udp_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Source port. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_udp_sport(const pktd_packet *p);
/** @brief Destination port. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_udp_dport(const pktd_packet *p);
/** @brief Length field (header + payload). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_udp_len(const pktd_packet *p);
/** @brief Checksum field as sent (0 = none). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_udp_checksum(const pktd_packet *p);

/**
 * @brief Whether the UDP checksum was verified and is correct.
 *
 * Computed on demand over the IPv4 pseudo-header and the datagram.  It can
 * be verified only for UDP over IPv4 with a checksum (field not 0: "not
 * used" is not verified), the whole datagram captured, its length known and
 * not a fragment; otherwise both this and pktd_udp_checksum_bad() return 0.
 *
 * @param p a decoded state.
 * @return 1 if verified and correct, else 0.
 * @since 1.0
 */
PKTD_API int pktd_udp_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the UDP checksum was verified and is wrong.
 * @param p a decoded state.
 * @return 1 if verified and wrong, else 0 (see pktd_udp_checksum_ok()).
 * @since 1.0
 */
PKTD_API int pktd_udp_checksum_bad(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_UDP_H */
