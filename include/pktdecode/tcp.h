/**
 * @file pktdecode/tcp.h
 * @brief TCP: every header field, flags, options and payload.
 *
 * Options are validated while decoding: a kind other than End-of-list or NOP
 * with no length byte, a length below 2, a length that overruns the option
 * area, or a known option with the wrong size (MSS 4, window scale 3,
 * SACK-permitted 2, timestamps 10, SACK 2 + 8n) stops decoding with
 * PKTD_E_MALFORMED.  Bytes after End-of-list are padding and are not
 * validated.  When a known option appears twice, its accessor reports the
 * first one.
 *
 * Accessors read the caller's buffer: see packet.h for lifetime and
 * thread-safety rules (pure functions; the buffer must outlive the state).
 */
#ifndef PKTDECODE_TCP_H
#define PKTDECODE_TCP_H

#include <pktdecode/packet.h>

PKTD_BEGIN_DECLS

/** @name TCP flag bits (byte 13 of the header), as returned by pktd_tcp_flags()
 * @{ */
#define PKTD_TCP_FIN 0x01u /**< FIN */
#define PKTD_TCP_SYN 0x02u /**< SYN */
#define PKTD_TCP_RST 0x04u /**< RST */
#define PKTD_TCP_PSH 0x08u /**< PSH */
#define PKTD_TCP_ACK 0x10u /**< ACK */
#define PKTD_TCP_URG 0x20u /**< URG */
#define PKTD_TCP_ECE 0x40u /**< ECE */
#define PKTD_TCP_CWR 0x80u /**< CWR */
/** @} */

/**
 * @brief Decode a bare TCP header with its options; the rest is payload.
 * @param p    state to fill.
 * @param data the TCP header; must outlive @p p.
 * @param len  captured length of the segment.
 * @return 0, PKTD_E_TRUNCATED or PKTD_E_MALFORMED.
 * @since 1.0
 */
PKTD_API int pktd_tcp_parse(pktd_packet *p, const uint8_t *data, size_t len);

/** @brief Source port. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_tcp_sport(const pktd_packet *p);
/** @brief Destination port. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_tcp_dport(const pktd_packet *p);
/** @brief Sequence number. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint32_t pktd_tcp_seq(const pktd_packet *p);
/** @brief Acknowledgment number. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint32_t pktd_tcp_ack(const pktd_packet *p);
/** @brief Data offset in 32-bit words (5 ... 15). @param p a decoded state. @return offset; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_tcp_doff(const pktd_packet *p);
/** @brief Flags byte (PKTD_TCP_FIN ... PKTD_TCP_CWR). @param p a decoded state. @return flags; 0 if absent. @since 1.0 */
PKTD_API uint8_t pktd_tcp_flags(const pktd_packet *p);
/** @brief The NS (ECN nonce, RFC 3540) bit. @param p a decoded state. @return 1 or 0. @since 1.0 */
PKTD_API int pktd_tcp_ns(const pktd_packet *p);
/** @brief Window field (unscaled). @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_tcp_window(const pktd_packet *p);
/** @brief Checksum field as sent. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_tcp_checksum(const pktd_packet *p);
/** @brief Urgent pointer. @param p a decoded state. @return host order; 0 if absent. @since 1.0 */
PKTD_API uint16_t pktd_tcp_urgent(const pktd_packet *p);

/**
 * @brief Maximum segment size option (kind 2).
 * @param p   a decoded state.
 * @param mss receives the value (may be NULL).
 * @return 1 if present, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_tcp_opt_mss(const pktd_packet *p, uint16_t *mss);

/**
 * @brief Window scale option (kind 3).
 * @param p     a decoded state.
 * @param shift receives the shift count (may be NULL).
 * @return 1 if present, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_tcp_opt_wscale(const pktd_packet *p, uint8_t *shift);

/**
 * @brief SACK-permitted option (kind 4).
 * @param p a decoded state.
 * @return 1 if present, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_tcp_opt_sack_perm(const pktd_packet *p);

/**
 * @brief Timestamps option (kind 8).
 * @param p   a decoded state.
 * @param val receives TSval (may be NULL).
 * @param ecr receives TSecr (may be NULL).
 * @return 1 if present, 0 if not.
 * @since 1.0
 */
PKTD_API int pktd_tcp_opt_timestamps(const pktd_packet *p, uint32_t *val, uint32_t *ecr);

/**
 * @brief Number of SACK blocks (kind 5), 0 ... 4.
 * @param p a decoded state.
 * @return The count; 0 without a SACK option.
 * @since 1.0
 */
PKTD_API uint32_t pktd_tcp_opt_sack_count(const pktd_packet *p);

/**
 * @brief One SACK block.
 *
 * `for (uint32_t i = 0; pktd_tcp_opt_sack_block(p, i, &l, &r); i++)` visits
 * every block.
 *
 * @param p     a decoded state.
 * @param i     block index (0 = first).
 * @param left  receives the left edge (may be NULL).
 * @param right receives the right edge (may be NULL).
 * @return 1 if block @p i is present, 0 if not (no TCP, no SACK option, or
 *         @p i >= pktd_tcp_opt_sack_count()).
 * @since 1.0
 */
PKTD_API int pktd_tcp_opt_sack_block(const pktd_packet *p, uint32_t i, uint32_t *left,
                                     uint32_t *right);

/**
 * @brief The raw option bytes (header bytes after the first 20).
 * @param p    a decoded state.
 * @param data receives a pointer into the buffer (may be NULL).
 * @param len  receives 0 ... 40 (may be NULL).
 * @return 1 with TCP (the area may be empty: @p len 0), 0 without; the
 *         out-parameters are written only when it returns 1.
 * @since 1.0
 */
PKTD_API int pktd_tcp_options(const pktd_packet *p, const uint8_t **data, size_t *len);

/**
 * @brief Iterate over every TCP option, known or not.
 *
 * Start with `*cursor = 0`, then `while (pktd_tcp_option_next(p, &c, &k,
 * &d, &n))`: safe on any packet (without TCP the loop does not run).
 * End-of-list and NOP are produced with no data; iteration stops after
 * End-of-list or at the end of the option area.
 *
 * @param p      a decoded state.
 * @param cursor iteration state, 0 to start (NULL: returns 0).
 * @param kind   receives the option kind (may be NULL).
 * @param data   receives the value bytes, after kind and length (may be NULL).
 * @param len    receives the value length (may be NULL).
 * @return 1 when an option was produced (out-parameters written, cursor
 *         advanced), 0 at the end, without TCP or with a NULL cursor.
 * @since 1.0
 */
PKTD_API int pktd_tcp_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *kind,
                                  const uint8_t **data, size_t *len);

/**
 * @brief Whether the TCP checksum was verified and is correct.
 *
 * Computed on demand over the IPv4 pseudo-header and the segment.  It can
 * be verified only for TCP over IPv4, the whole segment captured, its
 * length known (IPv4 total length not 0) and not a fragment; otherwise both
 * this and pktd_tcp_checksum_bad() return 0.
 *
 * @param p a decoded state.
 * @return 1 if verified and correct, else 0.
 * @since 1.0
 */
PKTD_API int pktd_tcp_checksum_ok(const pktd_packet *p);

/**
 * @brief Whether the TCP checksum was verified and is wrong.
 * @param p a decoded state.
 * @return 1 if verified and wrong, else 0 (see pktd_tcp_checksum_ok()).
 * @since 1.0
 */
PKTD_API int pktd_tcp_checksum_bad(const pktd_packet *p);

PKTD_END_DECLS

#endif /* PKTDECODE_TCP_H */
