/* PPPoE (RFC 2516): the 6-byte header of both stages.  The session stage
 * (EtherType 0x8864) carries a PPP frame without address and control, which
 * link.c's PPP decoder reads; the discovery stage (0x8863) carries tags,
 * left as payload. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

#define PPPOE_VERTYPE 0x11u /* version 1, type 1 */

int pktd__pppoe_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail, int session,
                      struct pktd__tun *t)
{
    if (pktd__unlikely(avail < PKTD__PPPOE_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_PPPOE, PKTD_R_PPPOE_SHORT,
                          PKTD__PPPOE_HLEN, avail);
    if (pktd__unlikely(h[0] != PPPOE_VERTYPE))
        return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_PPPOE, PKTD_R_PPPOE_VERTYPE,
                          h[0] >> 4, h[0] & 0x0fu);
    uint32_t len = pktd__be16(h + 4);
    if (session) {
        if (pktd__unlikely(h[1] != 0))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_PPPOE, PKTD_R_PPPOE_CODE, h[1],
                              0);
        if (pktd__unlikely(len == 0))
            return pktd__fail(s, PKTD_E_MALFORMED, PKTD_LAYER_PPPOE, PKTD_R_PPPOE_LEN, len, 0);
    }
    uint32_t rest = avail - PKTD__PPPOE_HLEN;
    t->hlen = t->own_hlen = PKTD__PPPOE_HLEN;
    /* The length excludes Ethernet padding; beyond the capture the PPP
     * and IP decoders see the bytes there are. */
    t->inner_len = len < rest ? len : rest;
    t->layers = PKTD__BIT(PKTD_LAYER_PPPOE);
    t->next = session ? PKTD__NEXT_PPP : PKTD__NEXT_NONE;
    return 0;
}
