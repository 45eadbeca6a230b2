/* VXLAN (RFC 7348): 8 bytes (flags, reserved, VNI, reserved), then an
 * Ethernet frame.  Without the I flag the VNI is not valid: the frame is
 * still decoded (as tcpdump and Wireshark do) but no VNI is reported. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

int pktd__vxlan_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                      struct pktd__tun *t)
{
    (void)h;
    if (pktd__unlikely(avail < PKTD__VXLAN_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_VXLAN, PKTD_R_VXLAN_SHORT, avail, 0);
    t->hlen = t->own_hlen = PKTD__VXLAN_HLEN;
    t->inner_len = avail - PKTD__VXLAN_HLEN;
    t->layers = PKTD__BIT(PKTD_LAYER_VXLAN);
    t->next = PKTD__NEXT_ETH;
    return 0;
}
