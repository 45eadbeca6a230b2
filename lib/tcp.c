/* TCP (RFC 9293): header and option validation, the known options located
 * once while decoding so their accessors are O(1), the option iterator and
 * the checksum over the IPv4 pseudo-header.
 *
 * The option walk runs only when the data offset is above 5; a plain
 * 20-byte header costs two comparisons. */
#include "config.h"

#include <string.h>

#include <pktdecode/tcp.h>

#include "checksum.h"
#include "options.h"
#include "packet_impl.h"
#include "proto.h"

#define TCPOPT_MSS 2u
#define TCPOPT_WS 3u
#define TCPOPT_SACK_PERM 4u
#define TCPOPT_SACK 5u
#define TCPOPT_TS 8u
#define SACK_MAX_BLOCKS 4u

/* A known option's slot in tcp_opt and whether its length is right. */
static int tcp_known_option(uint32_t kind, uint32_t olen, int *slot)
{
    switch (kind) {
    case TCPOPT_MSS:
        *slot = PKTD__TCPOPT_MSS;
        return olen == 4;
    case TCPOPT_WS:
        *slot = PKTD__TCPOPT_WS;
        return olen == 3;
    case TCPOPT_SACK_PERM:
        *slot = PKTD__TCPOPT_SACK_PERM;
        return olen == 2;
    case TCPOPT_TS:
        *slot = PKTD__TCPOPT_TS;
        return olen == 10;
    case TCPOPT_SACK:
        *slot = PKTD__TCPOPT_SACK;
        return olen >= 2 + PKTD__TCP_SACK_BLOCK_LEN && olen <= 2 + PKTD__TCP_SACK_BLOCK_LEN * SACK_MAX_BLOCKS &&
               (olen - 2) % PKTD__TCP_SACK_BLOCK_LEN == 0;
    default:
        *slot = -1;
        return 1;
    }
}

/* Walk the options up to End-of-list.  A kind other than EOL/NOP needs its
 * length byte: with one byte left the length is never read (libtrace's
 * over-read), it is reported.  Lengths 0 and 1 would loop forever in a naive
 * walker; here they are malformed.  The first occurrence of a known option
 * is the one the accessors report.  The walk starts at offset @p i of the
 * header (20, or after options already recognised) and ends at @p hl. */
static int tcp_check_options(struct pktd__packet *s, const uint8_t *h, uint32_t i, uint32_t hl)
{
    while (i < hl) {
        uint32_t kind = h[i];
        if (kind == PKTD__OPT_EOL)
            break;
        if (kind == PKTD__OPT_NOP) {
            i++;
            continue;
        }
        if (hl - i < 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_NOLEN, kind, 0);
        uint32_t olen = h[i + 1];
        if (olen < 2)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_LEN, olen, 0);
        if (olen > hl - i)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_OVERRUN, olen,
                              hl - i);
        int slot;
        if (!tcp_known_option(kind, olen, &slot))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_OPT_SIZE, kind,
                              olen);
        if (slot >= 0 && s->tcp_opt[slot] == 0)
            s->tcp_opt[slot] = (uint8_t)i;
        i += olen;
    }
    return 0;
}

int pktd__tcp_decode(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    uint32_t avail = end - off;
    if (pktd__unlikely(avail < PKTD__TCP_MIN_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_SHORT, avail, 0);
    const uint8_t *h = s->data + off;
    uint32_t doff = h[12] >> 4;
    uint32_t hl = doff * 4;
    memset(s->tcp_opt, 0, sizeof s->tcp_opt);
    if (pktd__unlikely(doff != 5)) {
        if (doff < 5)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_DOFF, doff, 0);
        /* With the segment length known from IP, a header longer than the
         * segment is impossible; otherwise it is only cut by the capture. */
        if ((s->ip_info & PKTD__IP_SEG_COMPLETE) != 0 && hl > s->ip_pay_len)
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_TCP, PKTD_R_TCP_DOFF_LONG, hl,
                              s->ip_pay_len);
        if (hl > avail)
            return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_TCP, PKTD_R_TCP_HDR_TRUNC, hl,
                              avail);
        /* Fast path: nearly every segment of a connection with timestamps
         * (Linux, BSD, macOS) starts its options with NOP, NOP, Timestamps
         * (alone at data offset 8, or before SACK blocks).  One comparison
         * replaces those three steps of the walk, with exactly their
         * result; the walk goes on after them, if anything follows. */
        uint32_t start = PKTD__TCP_MIN_HLEN;
        if (hl >= PKTD__TCP_MIN_HLEN + 12 && pktd__be32(h + PKTD__TCP_MIN_HLEN) == 0x0101080au) {
            s->tcp_opt[PKTD__TCPOPT_TS] = PKTD__TCP_MIN_HLEN + 2;
            start = PKTD__TCP_MIN_HLEN + 12;
        }
        int rc = tcp_check_options(s, h, start, hl);
        if (rc != 0)
            return rc;
    }
    pktd__set_l4(s, PKTD_LAYER_TCP, off, hl);
    pktd__set_payload(s, off + hl, end);
    return 0;
}

int pktd_tcp_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__tcp_decode(s, 0, s->caplen);
}

static const uint8_t *tcp_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_TCP) ? pktd__l4(s) : NULL;
}

uint16_t pktd_tcp_sport(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be16(h) : 0;
}

uint16_t pktd_tcp_dport(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint32_t pktd_tcp_seq(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be32(h + 4) : 0;
}

uint32_t pktd_tcp_ack(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be32(h + 8) : 0;
}

uint8_t pktd_tcp_doff(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? (uint8_t)(h[12] >> 4) : 0;
}

uint8_t pktd_tcp_flags(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? h[13] : 0;
}

int pktd_tcp_ns(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? (h[12] & 0x01) : 0;
}

uint16_t pktd_tcp_window(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be16(h + 14) : 0;
}

uint16_t pktd_tcp_checksum(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be16(h + 16) : 0;
}

uint16_t pktd_tcp_urgent(const pktd_packet *p)
{
    const uint8_t *h = tcp_hdr(p);
    return h != NULL ? pktd__be16(h + 18) : 0;
}

/* The option in @p slot, pointing at its kind byte, or NULL. */
static const uint8_t *tcp_opt(const pktd_packet *p, int slot)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (s == NULL || !pktd__has(s, PKTD_LAYER_TCP) || s->tcp_opt[slot] == 0)
        return NULL;
    return pktd__l4(s) + s->tcp_opt[slot];
}

int pktd_tcp_opt_mss(const pktd_packet *p, uint16_t *mss)
{
    const uint8_t *o = tcp_opt(p, PKTD__TCPOPT_MSS);
    if (o == NULL)
        return 0;
    if (mss != NULL)
        *mss = pktd__be16(o + 2);
    return 1;
}

int pktd_tcp_opt_wscale(const pktd_packet *p, uint8_t *shift)
{
    const uint8_t *o = tcp_opt(p, PKTD__TCPOPT_WS);
    if (o == NULL)
        return 0;
    if (shift != NULL)
        *shift = o[2];
    return 1;
}

int pktd_tcp_opt_sack_perm(const pktd_packet *p)
{
    return tcp_opt(p, PKTD__TCPOPT_SACK_PERM) != NULL;
}

int pktd_tcp_opt_timestamps(const pktd_packet *p, uint32_t *val, uint32_t *ecr)
{
    const uint8_t *o = tcp_opt(p, PKTD__TCPOPT_TS);
    if (o == NULL)
        return 0;
    if (val != NULL)
        *val = pktd__be32(o + 2);
    if (ecr != NULL)
        *ecr = pktd__be32(o + 6);
    return 1;
}

uint32_t pktd_tcp_opt_sack_count(const pktd_packet *p)
{
    const uint8_t *o = tcp_opt(p, PKTD__TCPOPT_SACK);
    return o != NULL ? (o[1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN : 0;
}

int pktd_tcp_opt_sack_block(const pktd_packet *p, uint32_t i, uint32_t *left, uint32_t *right)
{
    if (i >= pktd_tcp_opt_sack_count(p))
        return 0;
    const uint8_t *b = tcp_opt(p, PKTD__TCPOPT_SACK) + 2 + PKTD__TCP_SACK_BLOCK_LEN * i;
    if (left != NULL)
        *left = pktd__be32(b);
    if (right != NULL)
        *right = pktd__be32(b + 4);
    return 1;
}

int pktd_tcp_options(const pktd_packet *p, const uint8_t **data, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (s == NULL || !pktd__has(s, PKTD_LAYER_TCP))
        return 0;
    if (data != NULL)
        *data = pktd__l4(s) + PKTD__TCP_MIN_HLEN;
    if (len != NULL)
        *len = s->l4_hlen - PKTD__TCP_MIN_HLEN;
    return 1;
}

int pktd_tcp_option_next(const pktd_packet *p, uint32_t *cursor, uint8_t *kind,
                         const uint8_t **data, size_t *len)
{
    if (p == NULL)
        return 0;
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_TCP))
        return 0;
    return pktd__option_next(pktd__l4(s) + PKTD__TCP_MIN_HLEN,
                             s->l4_hlen - PKTD__TCP_MIN_HLEN, cursor, kind, data, len);
}

/* PKTD__CSUM_GOOD, PKTD__CSUM_WRONG or PKTD__CSUM_UNVERIFIED (checksum.h). */
static int tcp_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_TCP))
        return PKTD__CSUM_UNVERIFIED;
    /* The segment length must come from the IP header (not 0, not a
     * fragment), and every byte of it must have been captured: the sum never
     * reads past the validated, captured bytes. */
    if ((s->ip_info & PKTD__IP_SEG_COMPLETE) == 0)
        return PKTD__CSUM_UNVERIFIED;
    uint32_t seg = s->ip_pay_len;
    uint32_t captured = s->ip_end - s->l4_off;
    if (captured < seg)
        return PKTD__CSUM_UNVERIFIED;
    uint64_t sum;
    if (!pktd__ip_pseudo_sum(s, PKTD__IPPROTO_TCP, seg, &sum))
        return PKTD__CSUM_UNVERIFIED;
    sum += pktd__csum_sum(pktd__l4(s), seg);
    return pktd__csum_result(sum);
}

int pktd_tcp_checksum_ok(const pktd_packet *p)
{
    return tcp_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_tcp_checksum_bad(const pktd_packet *p)
{
    return tcp_checksum_check(p) == PKTD__CSUM_WRONG;
}
