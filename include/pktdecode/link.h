/**
 * @file pktdecode/link.h
 * @brief Link headers without an Ethernet header: BSD loopback (NULL, LOOP),
 *        PPP (PPP, PPP_HDLC) and Cisco HDLC (C_HDLC).  @since 1.1
 *
 * pktd_decode() decodes these link types and dispatches by what the header
 * says: IPv4 (AF_INET 2, PPP protocol 0x0021, EtherType 0x0800) to the IPv4
 * decoder, IPv6 (AF_INET6 24, 28 or 30, PPP 0x0057, EtherType 0x86dd) to the
 * IPv6 decoder (ipv6.h).  Any other value is not an error, as an unknown
 * EtherType is not on Ethernet: decoding ends after the link header and the
 * rest is payload.  A link header cut short is PKTD_E_TRUNCATED
 * (PKTD_R_LOOPBACK_SHORT, PKTD_R_PPP_SHORT, PKTD_R_CHDLC_SHORT).
 *
 * Accessors follow the API rules: the field in host order, 0 when the layer
 * is absent (pktd_packet_has() tells a real 0 apart).
 */
#ifndef PKTDECODE_LINK_H
#define PKTDECODE_LINK_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/**
 * @brief The address family of a BSD loopback header (#PKTD_LAYER_LOOPBACK).
 *
 * LINKTYPE_NULL stores the family in the byte order of the host that
 * captured; it is returned as a number whatever that order was (a value
 * with its low 16 bits zero was written by a host of the other byte order
 * and is swapped, as tcpdump and Wireshark do).  LINKTYPE_LOOP stores it in
 * network byte order.  2 is IPv4; 24, 28 and 30 are IPv6 (NetBSD/OpenBSD,
 * FreeBSD, macOS).
 *
 * @param p a decoded state.
 * @return The family, or 0 without a loopback header.
 * @since 1.1
 */
PKTD_API uint32_t pktd_loopback_family(const pktd_packet *p);

/**
 * @brief The PPP protocol number (#PKTD_LAYER_PPP), e.g. 0x0021 for IPv4.
 *
 * A compressed 1-byte protocol field (RFC 1661, the first byte odd) is
 * returned as its value (0x21 for IPv4).
 *
 * @param p a decoded state.
 * @return The protocol, or 0 without a PPP header.
 * @since 1.1
 */
PKTD_API uint16_t pktd_ppp_protocol(const pktd_packet *p);

/**
 * @brief Whether the PPP header starts with address and control fields.
 *
 * HDLC-like framing (RFC 1662): a first byte 0xff is the address field,
 * the next byte the control field (0x03; any value is accepted, as
 * tcpdump and Wireshark do).
 *
 * @param p a decoded state.
 * @return 1 when the PPP header has them, 0 otherwise (or without PPP).
 * @since 1.1
 */
PKTD_API int pktd_ppp_has_address(const pktd_packet *p);

/**
 * @brief The PPP control field (normally 0x03).
 * @param p a decoded state.
 * @return The field, or 0 when absent (see pktd_ppp_has_address()).
 * @since 1.1
 */
PKTD_API uint8_t pktd_ppp_control(const pktd_packet *p);

/**
 * @brief The Cisco HDLC address (#PKTD_LAYER_CHDLC): 0x0f unicast, 0x8f broadcast.
 * @param p a decoded state.
 * @return The address byte, or 0 without a Cisco HDLC header.
 * @since 1.1
 */
PKTD_API uint8_t pktd_chdlc_address(const pktd_packet *p);

/**
 * @brief The Cisco HDLC control byte (0x00).
 * @param p a decoded state.
 * @return The control byte, or 0 without a Cisco HDLC header.
 * @since 1.1
 */
PKTD_API uint8_t pktd_chdlc_control(const pktd_packet *p);

/**
 * @brief The Cisco HDLC protocol, an EtherType (0x0800 IPv4, 0x8035 SLARP, ...).
 * @param p a decoded state.
 * @return The protocol, or 0 without a Cisco HDLC header.
 * @since 1.1
 */
PKTD_API uint16_t pktd_chdlc_protocol(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_LINK_H */
