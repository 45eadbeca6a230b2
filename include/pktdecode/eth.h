/**
 * @file pktdecode/eth.h
 * @brief Ethernet II with 802.1Q / 802.1ad tag stacks, and Linux cooked headers.
 *
 * Accessors return 0 (or NULL) when the layer is absent; check with
 * pktd_packet_has() when 0 is a valid value.  Pointers returned point into
 * the caller's buffer.  See packet.h for lifetime and thread-safety rules.
 */
#ifndef PKTDECODE_ETH_H
#define PKTDECODE_ETH_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** Buffer size that holds any MAC address pktd_mac_format() writes, NUL included ("aa:bb:cc:dd:ee:ff"). */
#define PKTD_MAC_STRLEN 18

/**
 * @brief Decode an Ethernet frame and every layer above it.
 *
 * Same as pktd_decode() with #PKTD_LINKTYPE_ETHERNET.  Tags with TPID 0x8100,
 * 0x88a8, 0x9100 or 0x9200 are decoded, at most #PKTD_VLAN_MAX_DEPTH.
 *
 * @param p    state to fill.
 * @param data the frame, from the destination MAC on; must outlive @p p.
 * @param len  captured length of @p data.
 * @return 0 or a negative code (see pktd_decode()).
 * @since 1.0
 */
PKTD_API int pktd_eth_parse(pktd_packet *p, const uint8_t *data, size_t len);

/**
 * @brief Destination MAC address.
 * @param p a decoded state.
 * @return Pointer to 6 bytes in the frame, or NULL without an Ethernet layer.
 * @since 1.0
 */
PKTD_API const uint8_t *pktd_eth_dst(const pktd_packet *p);

/**
 * @brief Source MAC address.
 * @param p a decoded state.
 * @return Pointer to 6 bytes in the frame, or NULL without an Ethernet layer.
 * @since 1.0
 */
PKTD_API const uint8_t *pktd_eth_src(const pktd_packet *p);

/**
 * @brief The EtherType after all VLAN tags (the protocol of the next layer).
 *
 * For a cooked (SLL/SLL2) capture, the protocol field.  Values below 0x600
 * are 802.3 lengths (#PKTD_F_ETH_8023).
 *
 * @param p a decoded state.
 * @return The EtherType in host order, or 0 without a link layer.
 * @since 1.0
 */
PKTD_API uint16_t pktd_eth_type(const pktd_packet *p);

/**
 * @brief Number of VLAN tags decoded (0 ... #PKTD_VLAN_MAX_DEPTH).
 * @param p a decoded state.
 * @return The tag count.
 * @since 1.0
 */
PKTD_API uint32_t pktd_vlan_count(const pktd_packet *p);

/**
 * @brief The tag protocol identifier of tag @p i (0 = outermost).
 * @param p a decoded state.
 * @param i tag index.
 * @return 0x8100, 0x88a8, ...; 0 if @p i is out of range.
 * @since 1.0
 */
PKTD_API uint16_t pktd_vlan_tpid(const pktd_packet *p, uint32_t i);

/**
 * @brief The 16-bit tag control information of tag @p i (0 = outermost).
 * @param p a decoded state.
 * @param i tag index.
 * @return PCP(3) DEI(1) VID(12); 0 if @p i is out of range.
 * @since 1.0
 */
PKTD_API uint16_t pktd_vlan_tci(const pktd_packet *p, uint32_t i);

/**
 * @brief The VLAN identifier (low 12 bits of the TCI) of tag @p i.
 * @param p a decoded state.
 * @param i tag index (0 = outermost).
 * @return 0 ... 4095; 0 if @p i is out of range.
 * @since 1.0
 */
PKTD_API uint16_t pktd_vlan_vid(const pktd_packet *p, uint32_t i);

/**
 * @brief The priority code point (top 3 bits of the TCI) of tag @p i.
 * @param p a decoded state.
 * @param i tag index (0 = outermost).
 * @return 0 ... 7; 0 if @p i is out of range.
 * @since 1.0
 */
PKTD_API uint8_t pktd_vlan_pcp(const pktd_packet *p, uint32_t i);

/**
 * @brief Decode a Linux cooked (SLL, LINKTYPE 113) frame and the layers above.
 * @param p    state to fill.
 * @param data the frame; must outlive @p p.
 * @param len  captured length.
 * @return 0 or a negative code (see pktd_decode()).
 * @since 1.0
 */
PKTD_API int pktd_sll_parse(pktd_packet *p, const uint8_t *data, size_t len);

/**
 * @brief Decode a Linux cooked v2 (SLL2, LINKTYPE 276) frame and the layers above.
 * @param p    state to fill.
 * @param data the frame; must outlive @p p.
 * @param len  captured length.
 * @return 0 or a negative code (see pktd_decode()).
 * @since 1.0
 */
PKTD_API int pktd_sll2_parse(pktd_packet *p, const uint8_t *data, size_t len);

/**
 * @brief Packet type of a cooked header (0 host, 1 broadcast, 2 multicast,
 *        3 other host, 4 outgoing).
 * @param p a decoded state.
 * @return The type, or 0 without a cooked header.
 * @since 1.0
 */
PKTD_API uint16_t pktd_sll_pkttype(const pktd_packet *p);

/**
 * @brief ARPHRD_ hardware type of a cooked header (1 = Ethernet).
 * @param p a decoded state.
 * @return The type, or 0 without a cooked header.
 * @since 1.0
 */
PKTD_API uint16_t pktd_sll_hatype(const pktd_packet *p);

/**
 * @brief Interface index of an SLL2 header.
 * @param p a decoded state.
 * @return The index, or 0 without an SLL2 header.
 * @since 1.0
 */
PKTD_API uint32_t pktd_sll2_ifindex(const pktd_packet *p);

/**
 * @brief Link-layer source address of a cooked header.
 * @param p   a decoded state.
 * @param len receives the address length, at most 8 (may be NULL).
 * @return Pointer into the frame, or NULL without a cooked header.
 * @since 1.0
 */
PKTD_API const uint8_t *pktd_sll_addr(const pktd_packet *p, size_t *len);

/**
 * @brief Format a 6-byte MAC address as "aa:bb:cc:dd:ee:ff" (lower case).
 *
 * Works like snprintf: writes at most @p len bytes, always NUL-terminated
 * when @p len > 0, and returns the length of the whole text, so a result
 * `>= len` means it was cut.  A buffer of #PKTD_MAC_STRLEN bytes is always
 * enough.  Never fails, never allocates.
 *
 * @param mac 6 bytes, e.g. from pktd_eth_src() or pktd_arp_sha(); NULL (an
 *            absent address) formats as the empty string.
 * @param buf destination (may be NULL when @p len is 0).
 * @param len size of @p buf in bytes.
 * @return The text length without the NUL: 17, or 0 for a NULL @p mac.
 * @since 1.0
 */
PKTD_API size_t pktd_mac_format(const uint8_t *mac, char *buf, size_t len);

PKTD_END_DECLS

#endif /* PKTDECODE_ETH_H */
