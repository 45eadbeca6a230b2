/* The decoded-packet state: whole-frame decoding by link type, the generic
 * accessors (layers, flags, headers, payload) and the error details. */
#include "config.h"

#include <string.h>

#include <pktdecode/packet.h>

#include "packet_impl.h"
#include "proto.h"

PKTD__STATIC_ASSERT(PKTD_PACKET_SIZE % 8 == 0, "pktd_packet is an array of uint64_t");

/* PKTD_LAYER_COUNT_ is written out in the enum (Doxygen documents it); the
 * table is the truth. */
#define PKTD_LAYER_ONE_(name, value, str) +1
PKTD__STATIC_ASSERT(0 PKTD_LAYER_MAP(PKTD_LAYER_ONE_) == PKTD_LAYER_COUNT_,
                   "PKTD_LAYER_COUNT_ must count the rows of PKTD_LAYER_MAP");
#undef PKTD_LAYER_ONE_

size_t pktd_packet_size(void)
{
    return sizeof(pktd_packet);
}

int pktd__decode_begin(pktd_packet *p, uint32_t linktype, const uint8_t *data, size_t len,
                       struct pktd__packet **out)
{
    if (pktd__unlikely(p == NULL))
        return PKTD_E_INVALID_ARGUMENT;
    struct pktd__packet *s = pktd__pkt(p);
    *out = s;
    /* Offsets are 32-bit; a longer buffer (or NULL with bytes) is refused
     * with nothing decoded rather than silently cut. */
    if (pktd__unlikely((data == NULL && len != 0) || len > UINT32_MAX)) {
        pktd__packet_reset(s, linktype, NULL, 0);
        return pktd__fail(s, PKTD_E_INVALID_ARGUMENT, PKTD_LAYER_NONE, PKTD_R_ARGUMENT, 0, 0);
    }
    pktd__packet_reset(s, linktype, data, (uint32_t)len);
    return 0;
}

/* Raw IP (LINKTYPE_RAW): the version nibble chooses the protocol (IPv4 or
 * IPv6, pktd__ip_by_version()); any other version ends decoding without an
 * error and the whole frame is payload.  An empty frame goes to the IPv4
 * decoder, which reports it as truncated. */
static int decode_raw(struct pktd__packet *s)
{
    uint32_t version = s->caplen != 0 ? (uint32_t)(s->data[0] >> 4) : 4u;
    if (version != 4 && version != 6)
        return 0;
    return pktd__ip_by_version(s, version, 0);
}

/* The whole-frame decode after the argument check (pktd_decode() and
 * pktd_decode_with(): inlined in both, no extra call on the hot path). */
static inline int decode_link(struct pktd__packet *s)
{
    uint32_t linktype = s->linktype;
    switch (linktype) {
    case PKTD_LINKTYPE_ETHERNET:
        return pktd__eth_fast_decode(s);
    case PKTD_LINKTYPE_RAW:
    case PKTD_LINKTYPE_DLT_RAW:         /* DLT_RAW's number written as it is */
    case PKTD_LINKTYPE_DLT_RAW_OPENBSD: /* the same, from OpenBSD */
        return decode_raw(s);
    case PKTD_LINKTYPE_IPV4:
        return pktd__ipv4_decode(s, 0);
    case PKTD_LINKTYPE_IPV6:
        return pktd__ipv6_decode(s, 0);
    case PKTD_LINKTYPE_LINUX_SLL:
        return pktd__sll_decode(s);
    case PKTD_LINKTYPE_LINUX_SLL2:
        return pktd__sll2_decode(s);
    case PKTD_LINKTYPE_NULL:
    case PKTD_LINKTYPE_LOOP:
        return pktd__loopback_decode(s);
    case PKTD_LINKTYPE_PPP:
    case PKTD_LINKTYPE_PPP_HDLC:
        return pktd__ppp_decode(s);
    case PKTD_LINKTYPE_C_HDLC:
        return pktd__chdlc_decode(s);
    default:
        return pktd__fail(s, PKTD_E_UNSUPPORTED, PKTD_LAYER_LINK, PKTD_R_LINKTYPE, linktype, 0);
    }
}

int pktd_decode(pktd_packet *p, uint32_t linktype, const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, linktype, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    return decode_link(s);
}

int pktd_decode_with(pktd_packet *p, const pktd_decode_opts *opts, uint32_t linktype,
                     const uint8_t *data, size_t len)
{
    struct pktd__packet *s;
    int rc = pktd__decode_begin(p, linktype, data, len, &s);
    if (pktd__unlikely(rc != 0))
        return rc;
    if (opts != NULL) {
        const struct pktd__opts *d = (const struct pktd__opts *)(const void *)opts;
        memcpy(s->tun_ports, d->ports, sizeof s->tun_ports);
        s->tun_ports[3] = 0;
    }
    return decode_link(s);
}

uint32_t pktd_packet_layers(const pktd_packet *p)
{
    return pktd__cpkt(p)->layers;
}

int pktd_packet_has(const pktd_packet *p, uint32_t layer)
{
    return p != NULL && layer < PKTD_LAYER_COUNT_ && pktd__has(pktd__cpkt(p), layer);
}

uint32_t pktd_packet_flags(const pktd_packet *p)
{
    return pktd__cpkt(p)->flags;
}

uint32_t pktd_packet_linktype(const pktd_packet *p)
{
    return pktd__cpkt(p)->linktype;
}

int pktd_packet_header(const pktd_packet *p, uint32_t layer, const uint8_t **hdr, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    if (s == NULL || layer >= PKTD_LAYER_COUNT_ || !pktd__has(s, layer))
        return 0;
    uint32_t off;
    uint32_t n;
    switch (layer) {
    case PKTD_LAYER_SLL:
        off = 0;
        n = PKTD__SLL_HLEN;
        break;
    case PKTD_LAYER_SLL2:
        off = 0;
        n = PKTD__SLL2_HLEN;
        break;
    case PKTD_LAYER_ETH:
        off = 0;
        n = PKTD__ETH_HLEN;
        break;
    case PKTD_LAYER_LOOPBACK:
    case PKTD_LAYER_PPP:
    case PKTD_LAYER_CHDLC:
        off = 0;
        n = pktd__link_hlen(s, layer);
        break;
    case PKTD_LAYER_VLAN:
        off = s->vlan_off;
        n = 4u * s->vlan_count;
        break;
    case PKTD_LAYER_ARP:
    case PKTD_LAYER_IPV4:
    case PKTD_LAYER_IPV6: /* the fixed header; pktd_ipv6_ext_next() walks the rest */
        off = s->l3_off;
        n = s->l3_hlen;
        break;
    case PKTD_LAYER_MPLS:
    case PKTD_LAYER_PPPOE:
    case PKTD_LAYER_GRE:
    case PKTD_LAYER_VXLAN:
    case PKTD_LAYER_GENEVE:
    case PKTD_LAYER_GTPU:
        /* The tunnel header in front of an inner state's bytes. */
        if (hdr != NULL)
            *hdr = s->data - s->enc_back;
        if (len != NULL)
            *len = s->enc_hlen;
        return 1;
    case PKTD_LAYER_ERSPAN: /* between the GRE header and the inner bytes */
        if (hdr != NULL)
            *hdr = s->data - s->enc_back + s->enc_hlen;
        if (len != NULL)
            *len = s->enc_back - s->enc_hlen;
        return 1;
    default: /* TCP, UDP, ICMP, ICMPv6: the only other bits ever set */
        off = s->l4_off;
        n = s->l4_hlen;
        break;
    }
    if (hdr != NULL)
        *hdr = s->data + off;
    if (len != NULL)
        *len = n;
    return 1;
}

int pktd_packet_payload(const pktd_packet *p, const uint8_t **data, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    /* Nothing decoded because the first layer failed (or the arguments were
     * refused): there is no "after the last header". */
    if (s == NULL || (s->layers == 0 && s->error != 0))
        return 0;
    if (data != NULL)
        *data = s->data + s->payload_off;
    if (len != NULL)
        *len = s->payload_len;
    return 1;
}

int pktd_packet_error(const pktd_packet *p)
{
    return pktd__cpkt(p)->error;
}

uint32_t pktd_packet_error_layer(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s->error != 0 ? s->error_layer : PKTD_LAYER_NONE;
}

uint32_t pktd_packet_error_reason(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s->error != 0 ? s->error_reason : PKTD_R_NONE;
}

uint32_t pktd_packet_error_value(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s->error != 0 ? s->error_value : 0;
}

uint32_t pktd_packet_error_value2(const pktd_packet *p)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    return s->error != 0 ? s->error_value2 : 0;
}

const char *pktd_reason_string(uint32_t reason)
{
    switch (reason) {
#define PKTD_REASON_STR_(name, value, fmt) \
    case value:                            \
        return fmt;
        PKTD_REASON_MAP(PKTD_REASON_STR_)
#undef PKTD_REASON_STR_
    default:
        return "unknown reason";
    }
}

/* Decimal digits of @p v into @p out (at least 10 bytes); returns the count. */
static size_t format_u32(char *out, uint32_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (size_t i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

/* The reason formats hold only literal text and "%u" (at most two); they are
 * expanded here rather than by snprintf so no format string is ever taken
 * from a table at run time. */
int pktd_packet_error_format(const pktd_packet *p, char *buf, size_t size)
{
    if (p == NULL || (buf == NULL && size != 0))
        return PKTD_E_INVALID_ARGUMENT;
    const char *fmt = pktd_reason_string(pktd_packet_error_reason(p));
    uint32_t values[2] = {pktd_packet_error_value(p), pktd_packet_error_value2(p)};
    unsigned next = 0;
    size_t n = 0;
    for (const char *f = fmt; *f != '\0'; f++) {
        char digits[10];
        const char *piece = f;
        size_t piece_len = 1;
        if (f[0] == '%' && f[1] == 'u') {
            piece_len = format_u32(digits, next < 2 ? values[next] : 0);
            piece = digits;
            next++;
            f++;
        }
        for (size_t i = 0; i < piece_len; i++, n++) {
            if (n + 1 < size)
                buf[n] = piece[i];
        }
    }
    if (size > 0)
        buf[n < size ? n : size - 1] = '\0';
    return n > INT32_MAX ? INT32_MAX : (int)n;
}

const char *pktd_layer_name(uint32_t layer)
{
    switch (layer) {
#define PKTD_LAYER_STR_(name, value, str) \
    case value:                           \
        return str;
        PKTD_LAYER_MAP(PKTD_LAYER_STR_)
#undef PKTD_LAYER_STR_
    default:
        return "unknown";
    }
}
