/* What the tunnel decoders (mpls.c, pppoe.c, gre.c, vxlan.c, geneve.c,
 * gtpu.c) tell tunnel.c, which owns pktd_decode_inner().  Not installed.
 *
 * Each decoder validates the header that starts at @p h with @p avail bytes
 * (the tunnel's part of the outer buffer) and fills a pktd__tun; on an
 * error it records it in the inner state @p s (whose data is still @p h)
 * with pktd__fail() and returns the code. */
#ifndef PKTD_TUNNEL_INT_H
#define PKTD_TUNNEL_INT_H

#include <stdint.h>

#include "packet_impl.h"

/* How the bytes after a tunnel header are decoded (the inner link type). */
enum pktd__next {
    PKTD__NEXT_NONE = 0, /* not decoded: the rest is payload */
    PKTD__NEXT_ETH,      /* Ethernet */
    PKTD__NEXT_IPV4,
    PKTD__NEXT_IPV6,
    PKTD__NEXT_IP,       /* IPv4 or IPv6 by the first nibble; anything else not decoded */
    PKTD__NEXT_PPP,      /* a PPP frame without address and control (PPPoE) */
    PKTD__NEXT_MPLS      /* a label stack: the next tunnel level */
};

struct pktd__tun {
    uint32_t hlen;      /* bytes from the tunnel header to the inner bytes */
    uint32_t own_hlen;  /* the tunnel layer's own header (GRE without ERSPAN) */
    uint32_t inner_len; /* inner bytes (<= avail - hlen: a length field may cut) */
    uint32_t layers;    /* PKTD__BIT of the tunnel's layers */
    uint32_t next;      /* enum pktd__next */
    uint32_t count;     /* MPLS label stack entries */
};

/* The next-layer kind of an EtherType-valued protocol field (GRE, Geneve). */
uint32_t pktd__next_of_ethertype(uint32_t type);

int pktd__mpls_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                     struct pktd__tun *t);
int pktd__pppoe_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail, int session,
                      struct pktd__tun *t);
int pktd__gre_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                    struct pktd__tun *t);
int pktd__vxlan_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                      struct pktd__tun *t);
int pktd__geneve_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                       struct pktd__tun *t);
int pktd__gtpu_parse(struct pktd__packet *s, const uint8_t *h, uint32_t avail,
                     struct pktd__tun *t);

/* The main identifier of a tunnel header of @p avail captured bytes at
 * @p h (pktd_packet_tunnel_id()), 0 when not captured. */
uint32_t pktd__gre_id(const uint8_t *h, uint32_t avail);

/* pktd_tunnel_field() of a header that decoded (@p erspan: an ERSPAN
 * header with its fields follows the GRE header). */
int pktd__gre_field(const uint8_t *h, int erspan, uint32_t field, uint32_t *v);
int pktd__gtpu_field(const uint8_t *h, uint32_t hlen, uint32_t field, uint32_t *v);
int pktd__geneve_field(const uint8_t *h, uint32_t field, uint32_t *v);

/* pktd_tunnel_option_next() for Geneve and GTP-U. */
int pktd__geneve_option_next(const uint8_t *h, uint32_t *cursor, uint32_t *type,
                             const uint8_t **data, size_t *len);
int pktd__gtpu_ext_next(const uint8_t *h, uint32_t hlen, uint32_t *cursor, uint32_t *type,
                        const uint8_t **data, size_t *len);

#endif /* PKTD_TUNNEL_INT_H */
