/**
 * @file pktdecode/arp.h
 * @brief ARP: the fixed header and variable-length addresses.
 *
 * Any hardware and protocol address length is accepted when the packet holds
 * the 8 + 2*hln + 2*pln bytes it announces; Ethernet (htype 1) requires
 * hln 6 and IPv4 (ptype 0x0800) requires pln 4, as the kernel does.
 *
 * Addresses (the library's one shape per kind): hardware addresses are byte
 * pointers (pktd_arp_sha(), pktd_arp_tha(), pktd_arp_hlen() bytes, like
 * pktd_eth_src()); an IPv4 protocol address is a host-order `uint32_t`
 * (pktd_arp_spa(), pktd_arp_tpa(), like pktd_ipv4_src()), 0 unless the
 * protocol is IPv4 (ptype 0x0800, plen 4).  Protocol addresses of any other
 * kind are read as pktd_arp_plen() bytes with pktd_arp_spa_bytes() and
 * pktd_arp_tpa_bytes().
 *
 * Accessors read the caller's buffer: see packet.h for lifetime and
 * thread-safety rules (pure functions; the buffer must outlive the state).
 */
#ifndef PKTDECODE_ARP_H
#define PKTDECODE_ARP_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/**
 * @brief Decode a bare ARP packet (no link header).
 * @param p    state to fill.
 * @param data the ARP header; must outlive @p p.
 * @param len  captured length.
 * @return 0, PKTD_E_TRUNCATED or PKTD_E_MALFORMED.
 * @since 1.0
 */
PKTD_API int pktd_arp_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Hardware type (1 = Ethernet). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_arp_htype(const pktd_packet *p);
/** @brief Protocol type (0x0800 = IPv4). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_arp_ptype(const pktd_packet *p);
/** @brief Hardware address length. @param p a decoded state. @return bytes; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_arp_hlen(const pktd_packet *p);
/** @brief Protocol address length. @param p a decoded state. @return bytes; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_arp_plen(const pktd_packet *p);
/** @brief Operation (1 request, 2 reply, ...). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_arp_op(const pktd_packet *p);
/** @brief Sender hardware address. @param p a decoded state. @return pktd_arp_hlen() bytes in the buffer, or NULL. @since 1.0 */
PKTD_API const uint8_t *pktd_arp_sha(const pktd_packet *p);
/**
 * @brief Sender IPv4 address.
 * @param p a decoded state.
 * @return Host order (10.0.0.1 = 0x0a000001); 0 without ARP or when the
 *         protocol is not IPv4 (ptype 0x0800 with plen 4).
 * @since 1.0
 */
PKTD_API uint32_t pktd_arp_spa(const pktd_packet *p);
/** @brief Sender protocol address of any kind. @param p a decoded state. @return pktd_arp_plen() bytes in the buffer, or NULL without ARP. @since 1.0 */
PKTD_API const uint8_t *pktd_arp_spa_bytes(const pktd_packet *p);
/** @brief Target hardware address. @param p a decoded state. @return pktd_arp_hlen() bytes in the buffer, or NULL. @since 1.0 */
PKTD_API const uint8_t *pktd_arp_tha(const pktd_packet *p);
/**
 * @brief Target IPv4 address.
 * @param p a decoded state.
 * @return Host order; 0 without ARP or when the protocol is not IPv4
 *         (ptype 0x0800 with plen 4).
 * @since 1.0
 */
PKTD_API uint32_t pktd_arp_tpa(const pktd_packet *p);
/** @brief Target protocol address of any kind. @param p a decoded state. @return pktd_arp_plen() bytes in the buffer, or NULL without ARP. @since 1.0 */
PKTD_API const uint8_t *pktd_arp_tpa_bytes(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_ARP_H */
