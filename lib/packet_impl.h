/* Private layout of pktd_packet and the helpers the layer decoders share.
 * Not installed.
 *
 * The state keeps offsets, never pointers into the frame (except the base),
 * and a header is located by `data + offset` only once its presence bit is
 * set.  Offsets are uint32_t: a frame may exceed 64 KiB (pktd_decode
 * accepts up to 4 GiB - 1).
 *
 * Reset cost: a decode writes the handful of fields listed in
 * pktd__packet_reset(); everything else is written by the layer that owns it
 * before its presence bit is set, and every reader checks that bit (or
 * `error`) first, so stale contents from a previous decode are never seen. */
#ifndef PKTD_PACKET_IMPL_H
#define PKTD_PACKET_IMPL_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/packet.h>
#include <pktdecode/tunnel.h>

#include "common.h"
#include "proto.h"

/* Layer bit. */
#define PKTD__BIT(layer) (1u << (layer))

/* Marker for "the length the IP header announces for its payload is not the
 * whole transport segment" (no IPv4 layer, total length 0, or a fragment). */
#define PKTD__LEN_UNKNOWN UINT32_MAX

/* Indexes into pktd__packet.tcp_opt: offset of each known option from the
 * start of the TCP header (0 = absent; options start at byte 20). */
enum {
    PKTD__TCPOPT_MSS = 0,
    PKTD__TCPOPT_WS = 1,
    PKTD__TCPOPT_SACK_PERM = 2,
    PKTD__TCPOPT_TS = 3,
    PKTD__TCPOPT_SACK = 4,
    PKTD__TCPOPT_N = 8 /* array size: one 8-byte store clears it */
};

/* Private bits in pktd__packet.ip_info. */
#define PKTD__IP_SEG_COMPLETE 0x01u /* ip_pay_len is the whole transport segment */
#define PKTD__IP_PAY_KNOWN 0x02u    /* ip_pay_len comes from the total length field */
/* IPv6 without extension headers, decoded by the fast path (fastpath.c):
 * the ip6_* slots below are not written (six stores fewer on the common
 * IPv6 frame); read them through pktd__ip6_*(), which derive them. */
#define PKTD__IP6_NO_EXT 0x04u

struct pktd__packet {
    const uint8_t *data;   /* caller's buffer */
    uint32_t caplen;       /* captured bytes at data */
    uint32_t linktype;     /* LINKTYPE_ value, 0 for a per-layer parse */
    uint32_t layers;       /* PKTD__BIT(layer) for each layer decoded */
    uint32_t flags;        /* PKTD_F_* */
    int32_t error;         /* 0 or the code decode returned */
    uint8_t error_layer;   /* valid when error != 0 */
    uint8_t error_reason;  /* valid when error != 0 */
    uint8_t vlan_count;    /* tags decoded (reset with every decode) */
    uint8_t ip_info;       /* PKTD__IP_* (reset with every decode) */
    uint32_t error_value;  /* valid when error != 0 */
    uint32_t error_value2; /* valid when error != 0 */
    /* The link header (Ethernet, SLL, SLL2) always starts at offset 0.
     * Layer 3 is ARP or IPv4, layer 4 TCP, UDP or ICMP: one slot each. */
    uint32_t vlan_off;     /* first tag (TCI), valid with the VLAN bit */
    uint32_t vlan_tpid0;   /* offset of the first tag's TPID (in the link header) */
    uint32_t l3_off;       /* valid with the ARP or IPv4 bit */
    uint32_t l4_off;       /* valid with the TCP, UDP or ICMP bit */
    uint16_t l3_hlen;
    uint16_t l4_hlen;
    uint16_t eth_type;     /* EtherType after the tags / cooked protocol field */
    uint16_t reserved_;
    uint32_t payload_off;  /* bytes after the last decoded header ... */
    uint32_t payload_len;  /* ... clamped to captured / IP / UDP lengths */
    uint32_t ip_end;       /* end of the IPv4 packet in the buffer (clamped to caplen) */
    uint32_t ip_pay_len;   /* payload length the IPv4 header announces */
    uint32_t udp_len;      /* UDP length in effect (the field, or the IP payload if 0) */
    uint8_t tcp_opt[PKTD__TCPOPT_N];
    /* IPv6 (valid with its bit): the extension chain, as offsets into the
     * buffer (0 = no such header: the fixed header comes first).  Not
     * written with PKTD__IP6_NO_EXT, so read only through pktd__ip6_*()
     * (the trailing _ makes a direct read stand out, and a reader written
     * against the old names fail to compile). */
    uint32_t ip6_upper_off_; /* the upper-layer header (end of the chain) */
    uint32_t ip6_frag_off_;  /* the fragment header */
    uint32_t ip6_rt_off_;    /* the first routing header */
    uint32_t ip6_jumbo_;     /* Jumbo Payload length, 0 if none */
    uint8_t ip6_upper_;      /* upper-layer protocol */
    uint8_t ip6_ext_count_;  /* extension headers in the chain */
    uint8_t reserved6_[2];
    /* Tunnels (tunnel.c).  The tunnel this packet continues into, noticed by
     * the decode (valid when tun_type != 0): its header spans tun_off ..
     * tun_end of this buffer.  tun_ports: the UDP ports of VXLAN, Geneve,
     * GTP-U (0 = off), written by every decode (one 8-byte store). */
    uint32_t tun_off;
    uint32_t tun_end;
    uint16_t tun_ports[4];
    uint8_t tun_type;  /* PKTD_TUNNEL_*, 0 = none (reset by every decode) */
    uint8_t tun_hint;  /* IP in IP: the inner IP version */
    /* The tunnel header this state was decoded from (pktd_decode_inner):
     * it starts enc_back bytes before data; its own layer is enc_hlen bytes
     * (GRE without ERSPAN, the MPLS stack). */
    uint8_t depth;     /* 0 outer, 1..PKTD_TUNNEL_MAX_DEPTH inner */
    uint8_t enc_type;  /* PKTD_TUNNEL_*, 0 for an outer packet */
    uint32_t enc_back;
    uint32_t enc_hlen; /* 32 bits: a GTP-U header can pass 65 535 bytes */
    uint8_t enc_count; /* MPLS: label stack entries */
    uint8_t enc_info;  /* PKTD__ENC_* */
};

/* Private bits in pktd__packet.enc_info. */
#define PKTD__ENC_COMPLETE 0x01u /* every byte of the tunnel's packet was captured */

PKTD__STATIC_ASSERT(sizeof(struct pktd__packet) <= PKTD_PACKET_SIZE,
                   "pktd__packet must fit in pktd_packet");
PKTD__STATIC_ASSERT(alignof(struct pktd__packet) <= 8, "pktd__packet alignment must be <= 8");
PKTD__STATIC_ASSERT(sizeof(pktd_packet) == PKTD_PACKET_SIZE, "pktd_packet size is ABI");
PKTD__STATIC_ASSERT(PKTD_LAYER_COUNT_ <= 32, "layers must fit the 32-bit layer mask");

/* The public type is storage only; every access goes through this view. */
static inline struct pktd__packet *pktd__pkt(pktd_packet *p)
{
    return (struct pktd__packet *)(void *)p;
}

static inline const struct pktd__packet *pktd__cpkt(const pktd_packet *p)
{
    return (const struct pktd__packet *)(const void *)p;
}

static inline int pktd__has(const struct pktd__packet *s, uint32_t layer)
{
    return (s->layers & PKTD__BIT(layer)) != 0;
}

/* Headers of the layer-3 and layer-4 slots (check the layer bit first). */
static inline const uint8_t *pktd__l3(const struct pktd__packet *s)
{
    return s->data + s->l3_off;
}

static inline const uint8_t *pktd__l4(const struct pktd__packet *s)
{
    return s->data + s->l4_off;
}

/* The IPv6 extension-chain slots (check the IPv6 bit first); without
 * extension headers (PKTD__IP6_NO_EXT) the upper layer follows the fixed
 * header, named by its next header field, and the rest is 0. */
static inline int pktd__ip6_no_ext(const struct pktd__packet *s)
{
    return (s->ip_info & PKTD__IP6_NO_EXT) != 0;
}

static inline uint32_t pktd__ip6_upper_off(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? s->l3_off + PKTD__IPV6_HLEN : s->ip6_upper_off_;
}

static inline uint32_t pktd__ip6_upper(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? s->data[s->l3_off + 6] : s->ip6_upper_;
}

static inline uint32_t pktd__ip6_frag_off(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? 0 : s->ip6_frag_off_;
}

static inline uint32_t pktd__ip6_rt_off(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? 0 : s->ip6_rt_off_;
}

static inline uint32_t pktd__ip6_jumbo(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? 0 : s->ip6_jumbo_;
}

static inline uint32_t pktd__ip6_ext_count(const struct pktd__packet *s)
{
    return pktd__ip6_no_ext(s) ? 0 : s->ip6_ext_count_;
}

/* Start a decode: only what every reader checks before trusting a field. */
static inline void pktd__packet_reset(struct pktd__packet *s, uint32_t linktype,
                                      const uint8_t *data, uint32_t len)
{
    s->data = data;
    s->caplen = len;
    s->linktype = linktype;
    s->layers = 0;
    s->flags = 0;
    s->error = 0;
    s->vlan_count = 0;
    s->ip_info = 0;
    s->payload_off = 0;
    s->payload_len = len;
    s->tun_type = 0;
    s->tun_ports[0] = PKTD_VXLAN_PORT;
    s->tun_ports[1] = PKTD_GENEVE_PORT;
    s->tun_ports[2] = PKTD_GTPU_PORT;
    s->tun_ports[3] = 0;
    s->depth = 0;
    s->enc_type = 0;
}

/* Record why decoding stopped; returns @p code for tail calls. */
static inline int pktd__fail(struct pktd__packet *s, int code, uint32_t layer, uint32_t reason,
                             uint32_t v1, uint32_t v2)
{
    s->error = code;
    s->error_layer = (uint8_t)layer;
    s->error_reason = (uint8_t)reason;
    s->error_value = v1;
    s->error_value2 = v2;
    return code;
}

static inline void pktd__set_l3(struct pktd__packet *s, uint32_t layer, uint32_t off,
                                uint32_t hlen)
{
    s->layers |= PKTD__BIT(layer);
    s->l3_off = off;
    s->l3_hlen = (uint16_t)hlen;
}

static inline void pktd__set_l4(struct pktd__packet *s, uint32_t layer, uint32_t off,
                                uint32_t hlen)
{
    s->layers |= PKTD__BIT(layer);
    s->l4_off = off;
    s->l4_hlen = (uint16_t)hlen;
}

static inline void pktd__set_payload(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    s->payload_off = off;
    s->payload_len = end - off;
}

/* Shared argument check of every decode entry point: NULL state, NULL data
 * with bytes, or a length that does not fit the 32-bit offsets. */
int pktd__decode_begin(pktd_packet *p, uint32_t linktype, const uint8_t *data, size_t len,
                       struct pktd__packet **out);

/* Layer decoders.  @p off is where the header starts; @p end is the first
 * byte not belonging to this layer's data (caplen, or the clamped IPv4 end).
 * Each validates its header, records it, sets the payload, and continues with
 * the next layer; the return value is the decode result. */
int pktd__ethertype_decode(struct pktd__packet *s, uint16_t type, uint32_t type_off,
                           uint32_t off);
int pktd__vlan_decode(struct pktd__packet *s, uint32_t tpid_off, uint32_t off);
int pktd__eth_decode(struct pktd__packet *s);
/* The same result as pktd__eth_decode(), faster for the common frame
 * (fastpath.c); what whole-frame decoding of Ethernet calls. */
int pktd__eth_fast_decode(struct pktd__packet *s);
int pktd__sll_decode(struct pktd__packet *s);
int pktd__sll2_decode(struct pktd__packet *s);
/* Link headers of release 1.1 (link.c), each at offset 0. */
int pktd__loopback_decode(struct pktd__packet *s);
int pktd__ppp_decode(struct pktd__packet *s);
int pktd__chdlc_decode(struct pktd__packet *s);
/* Header length of a decoded LOOPBACK, PPP or CHDLC layer. */
uint32_t pktd__link_hlen(const struct pktd__packet *s, uint32_t layer);
/* Hand the IP packet at @p off over to the decoder of IP @p version (4 or
 * 6): the one place to connect the IPv6 decoder. */
int pktd__ip_by_version(struct pktd__packet *s, uint32_t version, uint32_t off);
int pktd__arp_decode(struct pktd__packet *s, uint32_t off);
int pktd__ipv4_decode(struct pktd__packet *s, uint32_t off);
/* IPv6 (RFC 8200) at @p off, with its extension headers and the transport
 * above them; same contract as pktd__ipv4_decode() (the link-type decoders
 * call it for EtherType 0x86DD, AF_INET6, version nibble 6). */
int pktd__ipv6_decode(struct pktd__packet *s, uint32_t off);
int pktd__tcp_decode(struct pktd__packet *s, uint32_t off, uint32_t end);
int pktd__udp_decode(struct pktd__packet *s, uint32_t off, uint32_t end);
int pktd__icmp_decode(struct pktd__packet *s, uint32_t off, uint32_t end);
int pktd__icmpv6_decode(struct pktd__packet *s, uint32_t off, uint32_t end);

/* Tunnels (tunnel.c).  Record that the packet continues into tunnel @p type
 * whose header spans @p off .. @p end; decoding ends there without error. */
static inline int pktd__tunnel_at(struct pktd__packet *s, uint32_t type, uint32_t off,
                                  uint32_t end)
{
    s->tun_type = (uint8_t)type;
    s->tun_off = off;
    s->tun_end = end;
    return 0;
}

/* pktd_packet_tunnel_id() of the state. */
uint32_t pktd__tunnel_id(const struct pktd__packet *s);
/* The private view of pktd_decode_opts: the three UDP tunnel ports, as
 * stored in pktd__packet.tun_ports (tunnel.c, packet.c). */
struct pktd__opts {
    uint16_t ports[4];
};
/* Whether EtherType @p type at @p off is a tunnel (MPLS, PPPoE): 1 when it
 * is (and noted), else 0. */
int pktd__ethertype_tunnel(struct pktd__packet *s, uint32_t type, uint32_t off);
/* IP protocol 4, 41 or 47 at @p off (IP packet end @p end), not in
 * fragments: noted; returns 0 (the decode result) in every case. */
int pktd__ip_tunnel(struct pktd__packet *s, uint32_t proto, uint32_t off, uint32_t end);
/* A UDP datagram whose header is at @p off and payload ends at @p end:
 * a tunnel when its destination port is one of tun_ports. */
static inline int pktd__udp_tunnel(struct pktd__packet *s, uint32_t off, uint32_t end)
{
    uint16_t dp = (uint16_t)pktd__be16(s->data + off + 2);
    uint32_t type;
    if (pktd__likely(dp != s->tun_ports[0] && dp != s->tun_ports[1] && dp != s->tun_ports[2]))
        return 0;
    /* An unused slot is not port 0; a first fragment holds only part of
     * the inner packet (as for IP protocols 4, 41, 47: no tunnel). */
    if (dp == 0 || (s->flags & PKTD_F_FRAGMENT) != 0)
        return 0;
    type = dp == s->tun_ports[0]   ? PKTD_TUNNEL_VXLAN
           : dp == s->tun_ports[1] ? PKTD_TUNNEL_GENEVE
                                   : PKTD_TUNNEL_GTPU;
    return pktd__tunnel_at(s, type, off + 8u, end);
}

/* IPv4 pseudo-header sum for a transport checksum (in the big-endian word
 * domain of checksum.h); requires the IPv4 layer. */
uint32_t pktd__ipv4_pseudo_sum(const struct pktd__packet *s, uint32_t proto, uint32_t len);

/* The pseudo-header sum of the IP layer under the transport, IPv4 or IPv6
 * (with the final destination of a routing header, RFC 8200 8.1), into
 * @p sum; returns 1, or 0 when there is no IP layer or the final
 * destination is unknown (a routing type whose addresses we cannot read). */
int pktd__ip_pseudo_sum(const struct pktd__packet *s, uint32_t proto, uint32_t len,
                        uint64_t *sum);

#endif /* PKTD_PACKET_IMPL_H */
