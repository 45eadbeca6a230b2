/**
 * @file pktdecode/ipv4.h
 * @brief IPv4: every header field, options, fragments, header checksum.
 *
 * Lengths: the packet is clamped to its total length (Ethernet padding is
 * excluded, #PKTD_F_IPV4_PADDING); a total length above the captured bytes
 * keeps the header and sets #PKTD_F_IPV4_TRUNCATED; a total length of 0
 * (segmentation offload) uses the captured length and sets
 * #PKTD_F_IPV4_LEN_ZERO.  A fragment with a non-zero offset yields no
 * transport header (#PKTD_F_LATER_FRAGMENT).  The first fragment (MF set,
 * offset 0) is decoded down to the transport header.
 *
 * Accessors read the caller's buffer: see packet.h for lifetime and
 * thread-safety rules (pure functions; the buffer must outlive the state).
 */
#ifndef PKTDECODE_IPV4_H
#define PKTDECODE_IPV4_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** Buffer size that holds any address pktd_ipv4_format() writes, NUL included ("255.255.255.255"). */
#define PKTD_IPV4_STRLEN 16

/**
 * @brief Decode a raw IPv4 packet and its transport header.
 * @param p    state to fill.
 * @param data the IPv4 header; must outlive @p p.
 * @param len  captured length.
 * @return 0 or a negative code (see pktd_decode()).
 * @since 1.0
 */
PKTD_API int pktd_ipv4_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Header length in 32-bit words (5 ... 15). @param p a decoded state. @return IHL; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_ipv4_ihl(const pktd_packet *p);
/** @brief Type of service byte (DSCP << 2 | ECN). @param p a decoded state. @return TOS; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_ipv4_tos(const pktd_packet *p);
/** @brief Total length field. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_ipv4_total_len(const pktd_packet *p);
/** @brief Identification field. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_ipv4_id(const pktd_packet *p);
/** @brief Don't-fragment flag. @param p a decoded state. @return 1 or 0. @since 1.0 */
PKTD_API int pktd_ipv4_df(const pktd_packet *p);
/** @brief More-fragments flag. @param p a decoded state. @return 1 or 0. @since 1.0 */
PKTD_API int pktd_ipv4_mf(const pktd_packet *p);
/** @brief Reserved (evil) flag bit. @param p a decoded state. @return 1 or 0. @since 1.0 */
PKTD_API int pktd_ipv4_rf(const pktd_packet *p);
/** @brief Fragment offset in 8-byte units. @param p a decoded state. @return 0 ... 8191. @since 1.0 */
PKTD_API uint16_t pktd_ipv4_frag_offset(const pktd_packet *p);
/** @brief Time to live. @param p a decoded state. @return TTL; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_ipv4_ttl(const pktd_packet *p);
/** @brief Protocol number (6 TCP, 17 UDP, 1 ICMP, ...). @param p a decoded state. @return protocol; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_ipv4_proto(const pktd_packet *p);
/** @brief Header checksum field as sent. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_ipv4_checksum(const pktd_packet *p);
/** @brief Source address. @param p a decoded state. @return host order (10.0.0.1 = 0x0a000001); 0 if absent. @since 1.0 */
PKTD_API uint32_t pktd_ipv4_src(const pktd_packet *p);
/** @brief Destination address. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint32_t pktd_ipv4_dst(const pktd_packet *p);

/**
 * @brief Whether the header checksum was verified and is correct.
 *
 * Computed on demand, over the header only (which decoding guarantees was
 * captured).  Never 1 together with pktd_ipv4_checksum_bad().
 *
 * @param p a decoded state.
 * @return 1 if correct, 0 if wrong or without IPv4.
 * @since 1.0
 */
PKTD_API int pktd_ipv4_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the header checksum was verified and is wrong.
 * @param p a decoded state.
 * @return 1 if wrong, 0 if correct or without IPv4.
 * @since 1.0
 */
PKTD_API int pktd_ipv4_checksum_bad(const pktd_packet *p);

/**
 * @brief The raw option bytes (header bytes after the first 20).
 * @param p    a decoded state.
 * @param data receives a pointer into the buffer (may be NULL).
 * @param len  receives 0 ... 40 (may be NULL).
 * @return 1 with IPv4 (the area may be empty: @p len 0), 0 without; the
 *         out-parameters are written only when it returns 1.
 * @since 1.0
 */
PKTD_API int pktd_ipv4_options(const pktd_packet *p, const uint8_t **data, size_t *len);

/**
 * @brief Iterate over IPv4 options.
 *
 * Start with `*cursor = 0`, then `while (pktd_ipv4_option_next(p, &c, &k,
 * &d, &n))`: safe on any packet (without IPv4 the loop does not run).
 * End-of-list and NOP are reported as options with no data; iteration ends
 * after End-of-list or at the end of the area.  (Malformed options never
 * reach here: decoding rejects them.)
 *
 * @param p      a decoded state.
 * @param cursor iteration state, 0 to start (NULL: returns 0).
 * @param kind   receives the option type byte (may be NULL).
 * @param data   receives the option's value bytes, after type and length
 *               (may be NULL).
 * @param len    receives the value length (may be NULL).
 * @return 1 when an option was produced (out-parameters written, cursor
 *         advanced), 0 at the end, without IPv4 or with a NULL cursor.
 * @since 1.0
 */
PKTD_API int pktd_ipv4_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *kind,
                                   const uint8_t **data, size_t *len);

/**
 * @brief Format a host-order IPv4 address as dotted quad ("10.0.0.1").
 *
 * Works like snprintf: writes at most @p len bytes, always NUL-terminated
 * when @p len > 0, and returns the length of the whole text, so a result
 * `>= len` means it was cut.  A buffer of #PKTD_IPV4_STRLEN bytes is always
 * enough.  Never fails, never allocates.
 *
 * @param addr the address in host order, as pktd_ipv4_src() returns it.
 * @param buf  destination (may be NULL when @p len is 0).
 * @param len  size of @p buf in bytes.
 * @return The text length without the NUL (7 ... 15).
 * @since 1.0
 */
PKTD_API size_t pktd_ipv4_format(uint32_t addr, char *buf, size_t len);

PKTD_END_DECLS

#endif /* PKTDECODE_IPV4_H */
