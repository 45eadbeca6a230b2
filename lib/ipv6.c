/* IPv6 (RFC 8200): the fixed header, extension headers and the dispatch to
 * the transport decoders. */
#include "config.h"

#include "packet_impl.h"

/* Interface stub: decoding ends at the IPv6 header and the rest is payload,
 * as for an unknown EtherType.  The decoder proper replaces this body. */
int pktd__ipv6_decode(struct pktd__packet *s, uint32_t off)
{
    if (off <= s->caplen)
        pktd__set_payload(s, off, s->caplen);
    return 0;
}
