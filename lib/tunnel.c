/* Tunnels: where the decode notices them, pktd_decode_inner() (the tunnel
 * header, then the inner bytes by the link decoders), the decode options
 * and the accessors common to every tunnel.  The headers themselves are in
 * mpls.c, pppoe.c, gre.c, vxlan.c, geneve.c and gtpu.c.
 *
 * Why the outer state only notes the tunnel: a 1.0 program must see the
 * outer packet exactly as before (layers, payload, error), and a program
 * that does not look inside must not pay for it; the tunnel header is
 * validated when, and only when, the inner packet is asked for. */
#include "config.h"

#include <string.h>

#include <pktdecode/tunnel.h>

#include "proto.h"
#include "tunnel_int.h"

PKTD__STATIC_ASSERT(PKTD_LAYER_COUNT_ <= 32, "layers must fit the 32-bit layer mask");

PKTD__STATIC_ASSERT(sizeof(struct pktd__opts) <= sizeof(pktd_decode_opts),
                    "pktd__opts must fit in pktd_decode_opts");

int pktd__ethertype_tunnel(struct pktd__packet *s, uint32_t type, uint32_t off)
{
    uint32_t t;
    switch (type) {
    case PKTD__ETHERTYPE_MPLS_UC:
    case PKTD__ETHERTYPE_MPLS_MC:
        t = PKTD_TUNNEL_MPLS;
        break;
    case PKTD__ETHERTYPE_PPPOE_SES:
        t = PKTD_TUNNEL_PPPOE;
        break;
    case PKTD__ETHERTYPE_PPPOE_DISC:
        t = PKTD_TUNNEL_PPPOED;
        break;
    default:
        return 0;
    }
    pktd__tunnel_at(s, t, off, s->caplen);
    return 1;
}

int pktd__ip_tunnel(struct pktd__packet *s, uint32_t proto, uint32_t off, uint32_t end)
{
    /* A fragment holds only part of the inner packet: not decoded. */
    if (s->flags & PKTD_F_FRAGMENT)
        return 0;
    if (proto == PKTD__IPPROTO_GRE) {
        pktd__tunnel_at(s, PKTD_TUNNEL_GRE, off, end);
    } else if (proto == PKTD__IPPROTO_IPIP || proto == PKTD__IPPROTO_IPV6) {
        pktd__tunnel_at(s, PKTD_TUNNEL_IPIP, off, end);
        s->tun_hint = proto == PKTD__IPPROTO_IPIP ? 4 : 6;
    }
    return 0;
}

uint32_t pktd__next_of_ethertype(uint32_t type)
{
    switch (type) {
    case PKTD__ETHERTYPE_IPV4:
        return PKTD__NEXT_IPV4;
    case PKTD__ETHERTYPE_IPV6:
        return PKTD__NEXT_IPV6;
    case PKTD__ETHERTYPE_TEB:
        return PKTD__NEXT_ETH;
    case PKTD__ETHERTYPE_MPLS_UC:
    case PKTD__ETHERTYPE_MPLS_MC:
        return PKTD__NEXT_MPLS;
    default:
        return PKTD__NEXT_NONE;
    }
}

static uint32_t tunnel_layer(uint32_t type)
{
    switch (type) {
    case PKTD_TUNNEL_MPLS:
        return PKTD_LAYER_MPLS;
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        return PKTD_LAYER_PPPOE;
    case PKTD_TUNNEL_GRE:
        return PKTD_LAYER_GRE;
    case PKTD_TUNNEL_VXLAN:
        return PKTD_LAYER_VXLAN;
    case PKTD_TUNNEL_GENEVE:
        return PKTD_LAYER_GENEVE;
    case PKTD_TUNNEL_GTPU:
        return PKTD_LAYER_GTPU;
    default: /* IP in IP has no header of its own */
        return PKTD_LAYER_NONE;
    }
}

/* Decode the inner bytes (the state is based at them) as @p next says. */
static int decode_next(struct pktd__packet *s, uint32_t next)
{
    uint32_t v;
    switch (next) {
    case PKTD__NEXT_ETH:
        s->linktype = PKTD_LINKTYPE_ETHERNET;
        return pktd__eth_fast_decode(s);
    case PKTD__NEXT_IPV4:
        s->linktype = PKTD_LINKTYPE_IPV4;
        return pktd__ipv4_decode(s, 0);
    case PKTD__NEXT_IPV6:
        s->linktype = PKTD_LINKTYPE_IPV6;
        return pktd__ipv6_decode(s, 0);
    case PKTD__NEXT_IP:
        /* As LINKTYPE_RAW, but nothing at all (an empty G-PDU, a
         * pseudowire) is not an IPv4 packet cut short. */
        v = s->caplen != 0 ? (uint32_t)(s->data[0] >> 4) : 0u;
        if (v != 4 && v != 6)
            return 0;
        s->linktype = PKTD_LINKTYPE_RAW;
        return pktd__ip_by_version(s, v, 0);
    case PKTD__NEXT_PPP:
        s->linktype = PKTD_LINKTYPE_PPP;
        return pktd__ppp_decode(s);
    case PKTD__NEXT_MPLS:
        s->linktype = PKTD_LINKTYPE_MPLS;
        return pktd__tunnel_at(s, PKTD_TUNNEL_MPLS, 0, s->caplen);
    default:
        return 0;
    }
}

int pktd_decode_inner(const pktd_packet *outer, pktd_packet *inner)
{
    if (inner == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    struct pktd__packet *s = pktd__pkt(inner);
    if (outer == NULL || outer == inner) {
        pktd__packet_reset(s, 0, NULL, 0);
        return pktd__fail(s, PKTD_E_INVALID_ARGUMENT, PKTD_LAYER_NONE, PKTD_R_ARGUMENT, 0, 0);
    }
    const struct pktd__packet *o = pktd__cpkt(outer);
    uint32_t type = o->tun_type;
    uint32_t depth = o->depth + 1u;
    const uint8_t *h = type != 0 ? o->data + o->tun_off : NULL;
    uint32_t avail = type != 0 ? o->tun_end - o->tun_off : 0;
    pktd__packet_reset(s, 0, h, avail);
    memcpy(s->tun_ports, o->tun_ports, sizeof s->tun_ports);
    s->depth = (uint8_t)(depth <= PKTD_TUNNEL_MAX_DEPTH ? depth : PKTD_TUNNEL_MAX_DEPTH + 1);
    s->enc_type = (uint8_t)type;
    s->enc_back = 0;
    s->enc_hlen = 0;
    s->enc_count = 0;
    s->enc_info = 0;
    if (type == PKTD_TUNNEL_NONE)
        return pktd__fail(s, PKTD_E_NOT_FOUND, PKTD_LAYER_NONE, PKTD_R_TUNNEL_NONE, 0, 0);
    if (pktd__unlikely(depth > PKTD_TUNNEL_MAX_DEPTH))
        return pktd__fail(s, PKTD_E_MALFORMED, tunnel_layer(type), PKTD_R_TUNNEL_DEPTH,
                          PKTD_TUNNEL_MAX_DEPTH, 0);
    struct pktd__tun t = {0};
    int rc;
    switch (type) {
    case PKTD_TUNNEL_MPLS:
        rc = pktd__mpls_parse(s, h, avail, &t);
        break;
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        rc = pktd__pppoe_parse(s, h, avail, type == PKTD_TUNNEL_PPPOE, &t);
        break;
    case PKTD_TUNNEL_GRE:
        rc = pktd__gre_parse(s, h, avail, &t);
        break;
    case PKTD_TUNNEL_VXLAN:
        rc = pktd__vxlan_parse(s, h, avail, &t);
        break;
    case PKTD_TUNNEL_GENEVE:
        rc = pktd__geneve_parse(s, h, avail, &t);
        break;
    case PKTD_TUNNEL_GTPU:
        rc = pktd__gtpu_parse(s, h, avail, &t);
        break;
    default: /* IP in IP: the inner packet starts right away */
        t.inner_len = avail;
        t.next = o->tun_hint == 4 ? PKTD__NEXT_IPV4 : PKTD__NEXT_IPV6;
        rc = 0;
        break;
    }
    if (rc != 0)
        return rc;
    /* The state is based at the inner bytes, so an inner Ethernet header
     * is at offset 0 like any link header; the tunnel header stays
     * reachable enc_back bytes before. */
    s->data = h + t.hlen;
    s->caplen = t.inner_len;
    s->layers = 0;
    s->enc_back = t.hlen;
    s->enc_hlen = t.own_hlen;
    s->enc_count = (uint8_t)t.count;
    /* Every byte of the tunnel's packet captured: the outer IP and UDP
     * lengths were on the wire (or it is a link-level tunnel of a frame
     * whose end is the capture's). */
    s->enc_info = (o->flags & (PKTD_F_PAYLOAD_TRUNCATED | PKTD_F_IPV4_TRUNCATED |
                               PKTD_F_IPV6_TRUNCATED | PKTD_F_UDP_TRUNCATED)) == 0
                      ? PKTD__ENC_COMPLETE
                      : 0;
    pktd__set_payload(s, 0, s->caplen);
    rc = decode_next(s, t.next);
    /* The link decoders write the layer set whole: the tunnel's go after. */
    s->layers |= t.layers;
    return rc;
}

uint32_t pktd_packet_tunnel(const pktd_packet *p)
{
    return pktd__cpkt(p)->tun_type;
}

uint32_t pktd_packet_tunnel_id(const pktd_packet *p)
{
    return pktd__tunnel_id(pktd__cpkt(p));
}

uint32_t pktd__tunnel_id(const struct pktd__packet *s)
{
    if (s->tun_type == PKTD_TUNNEL_NONE)
        return 0;
    const uint8_t *h = s->data + s->tun_off;
    uint32_t avail = s->tun_end - s->tun_off;
    switch (s->tun_type) {
    case PKTD_TUNNEL_MPLS:
        return avail >= 4 ? pktd__be32(h) >> 12 : 0;
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        return avail >= 4 ? pktd__be16(h + 2) : 0;
    case PKTD_TUNNEL_GRE:
        return pktd__gre_id(h, avail);
    case PKTD_TUNNEL_VXLAN:
    case PKTD_TUNNEL_GENEVE:
        return avail >= 7 ? (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6] : 0;
    case PKTD_TUNNEL_GTPU:
        return avail >= 8 ? pktd__be32(h + 4) : 0;
    default:
        return 0;
    }
}

uint32_t pktd_packet_encap(const pktd_packet *p)
{
    return pktd__cpkt(p)->enc_type;
}

uint32_t pktd_packet_depth(const pktd_packet *p)
{
    uint32_t d = pktd__cpkt(p)->depth;
    return d <= PKTD_TUNNEL_MAX_DEPTH ? d : PKTD_TUNNEL_MAX_DEPTH;
}

uint64_t pktd_packet_tunnel_zone(const pktd_packet *p)
{
    uint32_t type = pktd_packet_tunnel(p);
    return type == PKTD_TUNNEL_NONE ? 0 : (uint64_t)type << 32 | pktd_packet_tunnel_id(p);
}

/* Level k (k >= 1) of the walk is decoded into levels[k & 1] from level
 * k - 1: @p p for k == 1, else levels[(k - 1) & 1].  So level k - 1 is
 * only overwritten by level k + 1, and p may be levels[0] (it is needed
 * for level 1 only, decoded into levels[1]). */
int pktd_packet_level_next(const pktd_packet *p, uint32_t *cursor, pktd_packet *levels,
                           const pktd_packet **level, uint64_t *zone)
{
    if (p == NULL || cursor == NULL || *cursor > PKTD_TUNNEL_MAX_DEPTH + 1u)
        return 0;
    uint32_t k = *cursor;
    if (k == 0) {
        if (level != NULL)
            *level = p;
        if (zone != NULL)
            *zone = 0;
        *cursor = 1;
        return 1;
    }
    if (levels == NULL || p == &levels[1])
        return 0;
    const pktd_packet *outer = k == 1 ? p : &levels[(k - 1) & 1u];
    if (pktd_packet_tunnel(outer) == PKTD_TUNNEL_NONE ||
        pktd_packet_depth(outer) >= PKTD_TUNNEL_MAX_DEPTH)
        return 0;
    pktd_packet *inner = &levels[k & 1u];
    /* A level whose decode stopped part-way is still given: what decoded
     * (its IP and transport headers, say) may be all the caller needs, and
     * the code is kept in the state (pktd_packet_error()). */
    (void)pktd_decode_inner(outer, inner);
    if (level != NULL)
        *level = inner;
    if (zone != NULL)
        *zone = pktd_packet_tunnel_zone(outer);
    *cursor = k + 1;
    return 1;
}

const char *pktd_tunnel_name(uint32_t tunnel)
{
    switch (tunnel) {
#define PKTD_TUNNEL_STR_(name, value, str) \
    case value:                            \
        return str;
        PKTD_TUNNEL_MAP(PKTD_TUNNEL_STR_)
#undef PKTD_TUNNEL_STR_
    default:
        return "unknown";
    }
}

/* The tunnel header of a state whose tunnel layer decoded, or NULL. */
static const uint8_t *enc_header(const struct pktd__packet *s)
{
    if (s == NULL)
        return NULL;
    uint32_t layer = tunnel_layer(s->enc_type);
    if (layer == PKTD_LAYER_NONE || !pktd__has(s, layer))
        return NULL;
    return s->data - s->enc_back;
}

int pktd_tunnel_field(const pktd_packet *p, uint32_t field, uint32_t *value)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    const uint8_t *h = enc_header(s);
    uint32_t v = 0;
    int ok = 0;
    if (h == NULL)
        return 0;
    switch (s->enc_type) {
    case PKTD_TUNNEL_PPPOE:
    case PKTD_TUNNEL_PPPOED:
        ok = 1;
        if (field == PKTD_TF_VERSION)
            v = h[0] >> 4;
        else if (field == PKTD_TF_CODE)
            v = h[1];
        else if (field == PKTD_TF_SESSION)
            v = pktd__be16(h + 2);
        else if (field == PKTD_TF_LENGTH)
            v = pktd__be16(h + 4);
        else
            ok = 0;
        break;
    case PKTD_TUNNEL_GRE:
        ok = pktd__gre_field(h, pktd__has(s, PKTD_LAYER_ERSPAN), field, &v);
        break;
    case PKTD_TUNNEL_VXLAN:
        if (field == PKTD_TF_FLAGS) {
            v = h[0];
            ok = 1;
        } else if (field == PKTD_TF_VNI && (h[0] & 0x08u) != 0) {
            v = pktd__be32(h + 4) >> 8;
            ok = 1;
        }
        break;
    case PKTD_TUNNEL_GENEVE:
        ok = pktd__geneve_field(h, field, &v);
        break;
    case PKTD_TUNNEL_GTPU:
        ok = pktd__gtpu_field(h, s->enc_hlen, field, &v);
        break;
    default: /* MPLS: pktd_mpls_entry() */
        break;
    }
    if (ok && value != NULL)
        *value = v;
    return ok;
}

int pktd_tunnel_option_next(const pktd_packet *p, uint32_t *cursor, uint32_t *type,
                            const uint8_t **data, size_t *len)
{
    const struct pktd__packet *s = pktd__cpkt(p);
    const uint8_t *h = enc_header(s);
    if (h == NULL || cursor == NULL)
        return 0;
    if (s->enc_type == PKTD_TUNNEL_GENEVE)
        return pktd__geneve_option_next(h, cursor, type, data, len);
    if (s->enc_type == PKTD_TUNNEL_GTPU)
        return pktd__gtpu_ext_next(h, s->enc_hlen, cursor, type, data, len);
    return 0;
}

void pktd_decode_opts_init(pktd_decode_opts *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof *o);
    struct pktd__opts *d = (struct pktd__opts *)(void *)o;
    d->ports[0] = PKTD_VXLAN_PORT;
    d->ports[1] = PKTD_GENEVE_PORT;
    d->ports[2] = PKTD_GTPU_PORT;
}

/* Index of a UDP tunnel type in the ports, or -1. */
static int port_slot(uint32_t tunnel)
{
    switch (tunnel) {
    case PKTD_TUNNEL_VXLAN:
        return 0;
    case PKTD_TUNNEL_GENEVE:
        return 1;
    case PKTD_TUNNEL_GTPU:
        return 2;
    default:
        return -1;
    }
}

int pktd_decode_opts_set_port(pktd_decode_opts *o, uint32_t tunnel, uint32_t port)
{
    int i = port_slot(tunnel);
    if (o == NULL || i < 0 || port > 65535)
        return PKTD_E_INVALID_ARGUMENT;
    ((struct pktd__opts *)(void *)o)->ports[i] = (uint16_t)port;
    return 0;
}

uint32_t pktd_decode_opts_port(const pktd_decode_opts *o, uint32_t tunnel)
{
    int i = port_slot(tunnel);
    if (o == NULL || i < 0)
        return 0;
    return ((const struct pktd__opts *)(const void *)o)->ports[i];
}
