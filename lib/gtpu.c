/* GTPv1-U (3GPP TS 29.281): flags (version 1, protocol type 1, E, S, PN),
 * message type, length (the bytes after the first 8), TEID; with any of E,
 * S, PN set, 4 more bytes (sequence number, N-PDU number, next extension
 * header type), and with E the chain of extension headers, each a length
 * in 4-byte words, its content and the next type (0 ends the chain).  The
 * chain is walked and bounded by the length field at decode time.  A G-PDU
 * (type 255) carries an IPv4 or IPv6 packet (the first nibble tells); other
 * messages (echo, error indication, end marker) are left as payload. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

#define GTP_E 0x04u
#define GTP_S 0x02u
#define GTP_PN 0x01u
#define GTP_PT 0x10u

int pktd__gtpu_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                     struct pktd__tun *t)
{
    if (pktd__unlikely(avail < PKTD__GTPU_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GTPU, PKTD_R_GTPU_SHORT,
                          PKTD__GTPU_HLEN, avail);
    if (pktd__unlikely((h[0] >> 5) != 1 || (h[0] & GTP_PT) == 0))
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_GTPU, PKTD_R_GTPU_VERSION,
                          h[0] >> 5, (h[0] & GTP_PT) >> 4);
    uint32_t len = pktd__be16(h + 2);
    uint32_t hl = PKTD__GTPU_HLEN;
    if (h[0] & (GTP_E | GTP_S | GTP_PN)) {
        hl += PKTD__GTPU_OPT_LEN;
        for (;;) {
            if (pktd__unlikely(hl - PKTD__GTPU_HLEN > len))
                return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_GTPU, PKTD_R_GTPU_LENGTH,
                                  hl - PKTD__GTPU_HLEN, len);
            if (pktd__unlikely(avail < hl))
                return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GTPU, PKTD_R_GTPU_SHORT, hl,
                                  avail);
            /* The next extension type ends the optional part and each
             * extension header; without E the optional part has none. */
            uint32_t next = (hl == PKTD__GTPU_HLEN + PKTD__GTPU_OPT_LEN && !(h[0] & GTP_E))
                                ? 0
                                : h[hl - 1];
            if (next == 0)
                break;
            /* An extension header: its length byte must be captured to
             * know its size (the smallest one is 4 bytes). */
            if (pktd__unlikely(avail < hl + 1))
                return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GTPU, PKTD_R_GTPU_SHORT,
                                  hl + 4, avail);
            uint32_t elen = h[hl] * 4u;
            if (pktd__unlikely(elen == 0))
                return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_GTPU, PKTD_R_GTPU_EXT_LEN,
                                  next, 0);
            hl += elen;
        }
    }
    uint32_t rest = avail - hl;
    uint32_t body = len - (hl - PKTD__GTPU_HLEN);
    t->hlen = t->own_hlen = hl;
    t->inner_len = body < rest ? body : rest;
    t->layers = PKTD__BIT(PKTD_LAYER_GTPU);
    t->next = h[1] == PKTD__GTPU_GPDU ? PKTD__NEXT_IP : PKTD__NEXT_NONE;
    return 0;
}

int pktd__gtpu_field(const uint8_t *h, uint32_t hlen, uint32_t field, uint32_t *v)
{
    switch (field) {
    case PKTD_TF_FLAGS:
        *v = h[0];
        return 1;
    case PKTD_TF_VERSION:
        *v = h[0] >> 5;
        return 1;
    case PKTD_TF_MSG_TYPE:
        *v = h[1];
        return 1;
    case PKTD_TF_LENGTH:
        *v = pktd__be16(h + 2);
        return 1;
    case PKTD_TF_TEID:
        *v = pktd__be32(h + 4);
        return 1;
    case PKTD_TF_SEQ:
        if ((h[0] & GTP_S) == 0)
            return 0;
        *v = pktd__be16(h + 8);
        return 1;
    case PKTD_TF_NPDU:
        if ((h[0] & GTP_PN) == 0)
            return 0;
        *v = h[10];
        return 1;
    case PKTD_TF_OPT_LEN:
        *v = hlen - PKTD__GTPU_HLEN;
        return 1;
    default:
        return 0;
    }
}

int pktd__gtpu_ext_next(const uint8_t *h, uint32_t hlen, uint32_t *cursor, uint32_t *type,
                        const uint8_t **data, size_t *len)
{
    /* The cursor is the offset of the next extension header (0: start). */
    uint32_t at = *cursor;
    if (at == 0) {
        if ((h[0] & GTP_E) == 0)
            return 0;
        at = PKTD__GTPU_HLEN + PKTD__GTPU_OPT_LEN;
    }
    if (at < PKTD__GTPU_HLEN + PKTD__GTPU_OPT_LEN || at >= hlen)
        return 0;
    /* Non-zero and inside hlen for every cursor the walk hands out (the
     * decode checked the chain); any other cursor ends the walk instead of
     * giving a length past the header or a step of 0. */
    uint32_t elen = h[at] * 4u;
    if (elen == 0 || elen > hlen - at)
        return 0;
    if (type != NULL)
        *type = h[at - 1];
    if (data != NULL)
        *data = h + at + 1;
    if (len != NULL)
        *len = elen - 2;
    *cursor = at + elen;
    return 1;
}
