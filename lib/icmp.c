/* ICMP for IPv4 (RFC 792): the 8-byte header (type, code, checksum, and
 * 4 bytes whose meaning depends on the type) and the message checksum. */
#include "config.h"

#include <pktdecode/icmp.h>

#include "checksum.h"
#include "packet_impl.h"
#include "proto.h"


int pktd__icmp_decode(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    uint32_t avail = end - off;
    if (pktd__unlikely(avail < PKTD__ICMP_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ICMP, PKTD_R_ICMP_SHORT, avail, 0);
    pktd__set_l4(s, PKTD_LAYER_ICMP, off, PKTD__ICMP_HLEN);
    pktd__set_payload(s, off + PKTD__ICMP_HLEN, end);
    return 0;
}

int pktd_icmp_parse(pktd_packet *p, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, 0, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return pktd__icmp_decode(s, 0, s->caplen);
}

static const uint8_t *icmp_hdr(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s != NULL && pktd__has(s, PKTD_LAYER_ICMP) ? pktd__l4(s) : NULL;
}

uint8_t pktd_icmp_type(const pktd_packet *p)
{
    const uint8_t *h = icmp_hdr(p);
    return h != NULL ? h[0] : 0;
}

uint8_t pktd_icmp_code(const pktd_packet *p)
{
    const uint8_t *h = icmp_hdr(p);
    return h != NULL ? h[1] : 0;
}

uint16_t pktd_icmp_checksum(const pktd_packet *p)
{
    const uint8_t *h = icmp_hdr(p);
    return h != NULL ? pktd__be16(h + 2) : 0;
}

uint32_t pktd_icmp_rest(const pktd_packet *p)
{
    const uint8_t *h = icmp_hdr(p);
    return h != NULL ? pktd__be32(h + 4) : 0;
}

int pktd_icmp_echo(const pktd_packet *p, uint16_t *id, uint16_t *seq)
{
    const uint8_t *h = icmp_hdr(p);
    if (h == NULL || (h[0] != PKTD__ICMP_ECHO_REQUEST && h[0] != PKTD__ICMP_ECHO_REPLY))
        return 0;
    if (id != NULL)
        *id = pktd__be16(h + 4);
    if (seq != NULL)
        *seq = pktd__be16(h + 6);
    return 1;
}

/* PKTD__CSUM_GOOD, PKTD__CSUM_WRONG or PKTD__CSUM_UNVERIFIED (checksum.h). */
static int icmp_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_ICMP))
        return PKTD__CSUM_UNVERIFIED;
    uint32_t off = s->l4_off;
    uint32_t len;
    if (pktd__has(s, PKTD_LAYER_IPV4)) {
        /* The message is the IP payload: it must be whole (not a fragment,
         * length on the wire) and fully captured. */
        if ((s->ip_info & PKTD__IP_SEG_COMPLETE) == 0)
            return PKTD__CSUM_UNVERIFIED;
        len = s->ip_pay_len;
        if (s->ip_end - off < len)
            return PKTD__CSUM_UNVERIFIED;
    } else {
        /* A bare parse: the message is the bytes the caller gave. */
        len = s->caplen - off;
    }
    return pktd__csum_result(pktd__csum_sum(s->data + off, len));
}

int pktd_icmp_checksum_ok(const pktd_packet *p)
{
    return icmp_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_icmp_checksum_bad(const pktd_packet *p)
{
    return icmp_checksum_check(p) == PKTD__CSUM_WRONG;
}
