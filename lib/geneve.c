/* Geneve (RFC 8926): version, option length (in 4-byte words), O and C
 * bits, protocol type (an EtherType: 0x6558 Ethernet, IPv4, IPv6), VNI,
 * then the options, each class, type, length (4-byte words) and data.  The
 * options are walked at decode time, so each is known to end inside the
 * option bytes before an accessor reads it. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

#define GENEVE_OPT_HLEN 4u

static uint32_t geneve_opt_bytes(const uint8_t *h)
{
    return (h[0] & 0x3fu) * 4u;
}

int pktd__geneve_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                       struct pktd__tun *t)
{
    if (pktd__unlikely(avail < PKTD__GENEVE_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GENEVE, PKTD_R_GENEVE_SHORT,
                          PKTD__GENEVE_HLEN, avail);
    if (pktd__unlikely((h[0] >> 6) != 0))
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_GENEVE, PKTD_R_GENEVE_VERSION,
                          h[0] >> 6, 0);
    uint32_t opt = geneve_opt_bytes(h);
    uint32_t hl = PKTD__GENEVE_HLEN + opt;
    if (pktd__unlikely(avail < hl))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GENEVE, PKTD_R_GENEVE_SHORT, hl,
                          avail);
    for (uint32_t at = 0; at < opt;) {
        uint32_t left = opt - at;
        /* left is a multiple of 4, so the option header is there */
        uint32_t olen = GENEVE_OPT_HLEN + (h[PKTD__GENEVE_HLEN + at + 3] & 0x1fu) * 4u;
        if (pktd__unlikely(olen > left))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_GENEVE,
                              PKTD_R_GENEVE_OPT_OVERRUN, olen, left);
        at += olen;
    }
    t->hlen = t->own_hlen = hl;
    t->inner_len = avail - hl;
    t->layers = PKTD__BIT(PKTD_LAYER_GENEVE);
    t->next = pktd__next_of_ethertype(pktd__be16(h + 2));
    return 0;
}

int pktd__geneve_field(const uint8_t *h, uint32_t field, uint32_t *v)
{
    switch (field) {
    case PKTD_TF_VNI:
        *v = pktd__be32(h + 4) >> 8;
        return 1;
    case PKTD_TF_VERSION:
        *v = h[0] >> 6;
        return 1;
    case PKTD_TF_FLAGS:
        *v = h[1] & 0xc0u;
        return 1;
    case PKTD_TF_PROTOCOL:
        *v = pktd__be16(h + 2);
        return 1;
    case PKTD_TF_OPT_LEN:
        *v = geneve_opt_bytes(h);
        return 1;
    default:
        return 0;
    }
}

int pktd__geneve_option_next(const uint8_t *h, uint32_t *cursor, uint32_t *type,
                             const uint8_t **data, size_t *len)
{
    uint32_t opt = geneve_opt_bytes(h);
    /* A cursor the walk did not hand out (not a multiple of 4, or with no
     * room for an option header) ends it, as does an option whose length
     * runs past the options (the decode checked the walk from 0 only). */
    if (*cursor % 4u != 0 || *cursor >= opt || opt - *cursor < GENEVE_OPT_HLEN)
        return 0;
    const uint8_t *o = h + PKTD__GENEVE_HLEN + *cursor;
    uint32_t dlen = (o[3] & 0x1fu) * 4u;
    if (dlen > opt - *cursor - GENEVE_OPT_HLEN)
        return 0;
    if (type != NULL)
        *type = (uint32_t)pktd__be16(o) << 8 | o[2];
    if (data != NULL)
        *data = o + GENEVE_OPT_HLEN;
    if (len != NULL)
        *len = dlen;
    *cursor += GENEVE_OPT_HLEN + dlen;
    return 1;
}
