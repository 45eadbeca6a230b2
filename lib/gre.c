/* GRE (RFC 2784, with the key and sequence number of RFC 2890): flags,
 * protocol type, then the optional checksum, key and sequence number in
 * that order.  The protocol type is an EtherType: IPv4, IPv6, 0x6558
 * (transparent Ethernet bridging), MPLS, and ERSPAN (type I without a
 * header, type II 0x88be with one of 8 bytes, type III 0x22eb with 12 and
 * an optional 8-byte platform subheader) in front of a mirrored frame.
 *
 * Version 1 (PPTP's enhanced GRE, RFC 2637) and the routing of RFC 1701
 * (the R bit) are not decoded: PKTD_E_UNSUPPORTED. */
#include "config.h"

#include <pktdecode/tunnel.h>

#include "checksum.h"
#include "proto.h"
#include "tunnel_int.h"

#define GRE_C 0x8000u
#define GRE_R 0x4000u
#define GRE_K 0x2000u
#define GRE_S 0x1000u
#define GRE_VERSION 0x0007u
#define ERSPAN3_O 0x0001u   /* in bytes 10-11 of the type III header */
#define ERSPAN3_FT(w) (((w) >> 10) & 0x1fu)
#define ERSPAN_FT_ETHERNET 0u
#define ERSPAN_FT_IP 2u

/* Length of the GRE header itself, from its flags. */
static uint32_t gre_hlen(uint32_t flags)
{
    return PKTD__GRE_MIN_HLEN + ((flags & GRE_C) ? 4u : 0u) + ((flags & GRE_K) ? 4u : 0u) +
           ((flags & GRE_S) ? 4u : 0u);
}

/* The ERSPAN header after a GRE header of @p gl bytes: its length into
 * @p *el and the next layer; or a recorded error. */
static int erspan_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail, uint32_t gl,
                        uint32_t proto, uint32_t flags, uint32_t *el, uint32_t *next)
{
    const uint8_t *e = h + gl;
    uint32_t left = avail - gl;
    uint32_t need;
    uint32_t version;
    *next = PKTD__NEXT_ETH;
    if (proto == PKTD__ETHERTYPE_ERSPAN2) {
        if ((flags & GRE_S) == 0) {
            *el = 0; /* type I: the frame follows the GRE header */
            return 0;
        }
        need = PKTD__ERSPAN2_HLEN;
        version = 1;
    } else {
        need = PKTD__ERSPAN3_HLEN;
        version = 2;
    }
    if (pktd__unlikely(left < need))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ERSPAN, PKTD_R_ERSPAN_SHORT, need,
                          left);
    if (pktd__unlikely((uint32_t)(e[0] >> 4) != version))
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_ERSPAN, PKTD_R_ERSPAN_VERSION,
                          e[0] >> 4, 0);
    if (version == 2) {
        uint32_t w = pktd__be16(e + 10);
        if (w & ERSPAN3_O) {
            need += PKTD__ERSPAN3_SUBHDR_LEN;
            if (pktd__unlikely(left < need))
                return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_ERSPAN, PKTD_R_ERSPAN_SHORT,
                                  need, left);
        }
        uint32_t ft = ERSPAN3_FT(w);
        *next = ft == ERSPAN_FT_ETHERNET ? PKTD__NEXT_ETH
                : ft == ERSPAN_FT_IP     ? PKTD__NEXT_IP
                                         : PKTD__NEXT_NONE;
    }
    *el = need;
    return 0;
}

int pktd__gre_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                    struct pktd__tun *t)
{
    if (pktd__unlikely(avail < PKTD__GRE_MIN_HLEN))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GRE, PKTD_R_GRE_SHORT,
                          PKTD__GRE_MIN_HLEN, avail);
    uint32_t flags = pktd__be16(h);
    if (pktd__unlikely((flags & GRE_VERSION) != 0))
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_GRE, PKTD_R_GRE_VERSION,
                          flags & GRE_VERSION, 0);
    if (pktd__unlikely(flags & GRE_R))
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_GRE, PKTD_R_GRE_ROUTING, 0, 0);
    uint32_t gl = gre_hlen(flags);
    if (pktd__unlikely(avail < gl))
        return pktd__fail(s, PKTD_E_TRUNCATED, PKTD_LAYER_GRE, PKTD_R_GRE_SHORT, gl, avail);
    uint32_t proto = pktd__be16(h + 2);
    uint32_t el = 0;
    uint32_t next;
    t->layers = PKTD__BIT(PKTD_LAYER_GRE);
    if (proto == PKTD__ETHERTYPE_ERSPAN2 || proto == PKTD__ETHERTYPE_ERSPAN3) {
        /* The GRE layer stands even when the ERSPAN header fails. */
        s->layers = PKTD__BIT(PKTD_LAYER_GRE);
        s->enc_hlen = gl;
        pktd__set_payload(s, gl, avail);
        int rc = erspan_parse(s, h, avail, gl, proto, flags, &el, &next);
        if (rc != 0)
            return rc;
        if (el != 0)
            t->layers |= PKTD__BIT(PKTD_LAYER_ERSPAN);
    } else {
        next = pktd__next_of_ethertype(proto);
    }
    t->own_hlen = gl;
    t->hlen = gl + el;
    t->inner_len = avail - t->hlen;
    t->next = next;
    return 0;
}

uint32_t pktd__gre_id(const uint8_t *h, uint32_t avail)
{
    if (avail < PKTD__GRE_MIN_HLEN)
        return 0;
    uint32_t flags = pktd__be16(h);
    uint32_t at = PKTD__GRE_MIN_HLEN + ((flags & GRE_C) ? 4u : 0u);
    if ((flags & GRE_K) == 0 || avail < at + 4)
        return 0;
    return pktd__be32(h + at);
}

int pktd__gre_field(const uint8_t *h, int erspan, uint32_t field, uint32_t *v)
{
    uint32_t flags = pktd__be16(h);
    uint32_t gl = gre_hlen(flags);
    uint32_t at = PKTD__GRE_MIN_HLEN;
    const uint8_t *e = h + gl;
    switch (field) {
    case PKTD_TF_FLAGS:
        *v = flags;
        return 1;
    case PKTD_TF_VERSION:
        *v = flags & GRE_VERSION;
        return 1;
    case PKTD_TF_PROTOCOL:
        *v = pktd__be16(h + 2);
        return 1;
    case PKTD_TF_CHECKSUM:
        if ((flags & GRE_C) == 0)
            return 0;
        *v = pktd__be16(h + at);
        return 1;
    case PKTD_TF_KEY:
        at += (flags & GRE_C) ? 4u : 0u;
        if ((flags & GRE_K) == 0)
            return 0;
        *v = pktd__be32(h + at);
        return 1;
    case PKTD_TF_SEQ:
        at += ((flags & GRE_C) ? 4u : 0u) + ((flags & GRE_K) ? 4u : 0u);
        if ((flags & GRE_S) == 0)
            return 0;
        *v = pktd__be32(h + at);
        return 1;
    case PKTD_TF_ERSPAN_VERSION:
        if (!erspan)
            return 0;
        *v = e[0] >> 4;
        return 1;
    case PKTD_TF_SESSION: /* ERSPAN II and III: 10 bits in bytes 2-3 */
        if (!erspan)
            return 0;
        *v = pktd__be16(e + 2) & 0x3ffu;
        return 1;
    default:
        return 0;
    }
}

/* PKTD__CSUM_* of a GRE header with the C bit, over the whole GRE packet. */
static int gre_checksum_check(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_GRE) || (s->enc_info & PKTD__ENC_COMPLETE) == 0)
        return PKTD__CSUM_UNVERIFIED;
    const uint8_t *h = s->data - s->enc_back;
    if ((pktd__be16(h) & GRE_C) == 0)
        return PKTD__CSUM_UNVERIFIED;
    return pktd__csum_result(pktd__csum_sum(h, s->enc_back + s->caplen));
}

int pktd_gre_checksum_ok(const pktd_packet *p)
{
    return gre_checksum_check(p) == PKTD__CSUM_GOOD;
}

int pktd_gre_checksum_bad(const pktd_packet *p)
{
    return gre_checksum_check(p) == PKTD__CSUM_WRONG;
}
