/* MPLS label stacks (RFC 3032): entries up to the bottom of the stack, then
 * IPv4 or IPv6 by the first nibble (RFC 4928: no protocol field exists; a
 * pseudowire, RFC 4385, is left undecoded).  The accessors of the entries. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

#define MPLS_BOS 0x100u /* bottom of stack, in the entry as a 32-bit word */

int pktd__mpls_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                     struct pktd__tun *t)
{
    uint32_t n = 0;
    uint32_t lse;
    do {
        if (pktd__unlikely(n == PKTD_MPLS_MAX_DEPTH))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_MPLS, PKTD_R_MPLS_DEPTH,
                              PKTD_MPLS_MAX_DEPTH, 0);
        uint32_t left = avail - n * PKTD__MPLS_LSE_LEN;
        if (pktd__unlikely(left < PKTD__MPLS_LSE_LEN))
            return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_MPLS, PKTD_R_MPLS_SHORT, n, left);
        lse = pktd__be32(h + n * PKTD__MPLS_LSE_LEN);
        n++;
    } while ((lse & MPLS_BOS) == 0);
    t->hlen = t->own_hlen = n * PKTD__MPLS_LSE_LEN;
    t->inner_len = avail - t->hlen;
    t->layers = PKTD__BIT(PKTD_LAYER_MPLS);
    t->next = PKTD__NEXT_IP;
    t->count = n;
    return 0;
}

uint32_t pktd_mpls_depth(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return pktd__has(s, PKTD_LAYER_MPLS) ? s->enc_count : 0;
}

int pktd_mpls_entry(const pktd_packet *p, uint32_t i, uint32_t *label, uint32_t *tc,
                    uint32_t *bos, uint32_t *ttl)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (s == NULL || !pktd__has(s, PKTD_LAYER_MPLS) || i >= s->enc_count)
        return 0;
    uint32_t lse = pktd__be32(s->data - s->enc_back + i * PKTD__MPLS_LSE_LEN);
    if (label != NULL)
        *label = lse >> 12;
    if (tc != NULL)
        *tc = (lse >> 9) & 7u;
    if (bos != NULL)
        *bos = (lse >> 8) & 1u;
    if (ttl != NULL)
        *ttl = lse & 0xffu;
    return 1;
}
