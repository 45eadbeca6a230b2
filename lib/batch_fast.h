/* The columnar batch's extractor for the common frame (lib/batch.c):
 * which Ethernet frames it takes without pktd_decode(), and the headers
 * pktd_decode() would leave for them.  Not installed.
 *
 * Why: a batch of the 5-tuple needs a verdict (does the frame decode, and
 * which of IPv4, TCP, UDP, ICMP it holds) and a few header bytes, not the
 * decoder's state: writing that state is most of what pktd_decode() costs
 * (doc/performance.md, "Columnar batches").  Here a frame is recognised
 * from a few loads, every length checked, and nothing is written but the
 * result.
 *
 * The contract is exact equality: for a frame this function takes (returns
 * 1), pktd_decode(PKTD_LINKTYPE_ETHERNET) returns 0 and leaves exactly the
 * layers it reports, so every plain field (batch.c) reads the same bytes.
 * Every other frame (returns 0) gets the full decode.  The rules below are
 * those of eth.c, ipv4.c, ipv6.c, tcp.c, udp.c, icmp.c and arp.c for the
 * shapes taken (tests/check_batch compares the two on every frame of the
 * tcpdump corpus and on a built matrix, cut at every byte and mutated; the
 * batch fuzz target on every input):
 *
 *   Ethernet, 0, 1 or 2 tags of TPID 0x8100 / 0x88a8, then
 *   - IPv4: version 4, header length 20 ... 60 and captured, valid options,
 *     total length from the header length to the captured bytes; a later
 *     fragment ends there; otherwise TCP (header captured in the IP
 *     payload, valid options), UDP (8 bytes, a length udp.c accepts), ICMP
 *     (8 bytes) or any other protocol (no transport layer);
 *   - IPv6: version 6, payload length 1 to the captured bytes, next header
 *     TCP or UDP as above (extension headers, ICMPv6: the full decode);
 *   - ARP with the addresses captured and consistent sizes (arp.c).
 * Not taken: truncated IP packets, a total length of 0, anything else. */
#ifndef PKTD_BATCH_FAST_H
#define PKTD_BATCH_FAST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"
#include "options.h"
#include "proto.h"

/* What an absent header reads: 20 bytes cover every plain field's offset
 * + size (batch.c). */
static const uint8_t pktd__batch_zeros[20];

/* A 16-bit field as stored (network order), and a constant in that
 * order: the most common tests compare without swapping the bytes. */
static inline uint32_t pktd__fast_raw16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
#ifdef WORDS_BIGENDIAN
#define PKTD__FAST_NET16(v) ((uint32_t)(uint16_t)(v))
#else
#define PKTD__FAST_NET16(v) ((uint32_t)__builtin_bswap16((uint16_t)(v)))
#endif

/* The transport header of a frame taken (batch.c's PLAIN_* order). */
enum { PKTD__FAST_TCP = 1, PKTD__FAST_UDP = 2, PKTD__FAST_ICMP = 3, PKTD__FAST_NONE = 4 };

struct pktd__fast {
    const uint8_t *ip4; /* the IPv4 header (>= 20 bytes), or pktd__batch_zeros */
    const uint8_t *l4;  /* the transport header (TCP >= 20 bytes, UDP and ICMP
                         * >= 8), or pktd__batch_zeros */
    uint32_t kind;      /* PKTD__FAST_* */
};

/* IPv4 options as ipv4.c's ipv4_check_options() accepts them. */
static __attribute__((noinline)) int pktd__fast_ipv4_options_ok(const uint8_t *h, uint32_t hl)
{
    uint32_t i = 20;
    while (i < hl) {
        uint32_t kind = h[i];
        if (kind == PKTD__OPT_EOL)
            break;
        if (kind == PKTD__OPT_NOP) {
            i++;
            continue;
        }
        if (hl - i < 2)
            return 0;
        uint32_t olen = h[i + 1];
        if (olen < 2 || olen > hl - i)
            return 0;
        i += olen;
    }
    return 1;
}

/* TCP options as tcp.c's tcp_check_options() accepts them (from byte 20:
 * tcp.c's NOP, NOP, Timestamps shortcut accepts exactly what this walk
 * does over those 12 bytes). */
static inline int pktd__fast_tcp_options_ok(const uint8_t *h, uint32_t hl)
{
    uint32_t i = 20;
    while (i < hl) {
        uint32_t kind = h[i];
        if (kind == PKTD__OPT_EOL)
            break;
        if (kind == PKTD__OPT_NOP) {
            i++;
            continue;
        }
        if (hl - i < 2)
            return 0;
        uint32_t olen = h[i + 1];
        if (olen < 2 || olen > hl - i)
            return 0;
        switch (kind) { /* the known options' sizes (tcp.c's tcp_known_option()) */
        case 2: if (olen != 4) return 0; break;  /* MSS */
        case 3: if (olen != 3) return 0; break;  /* window scale */
        case 4: if (olen != 2) return 0; break;  /* SACK permitted */
        case 8: if (olen != 10) return 0; break; /* timestamps */
        case 5: /* SACK: 1 ... 4 blocks of 8 bytes */
            if (olen < 10 || olen > 34 || (olen - 2) % 8 != 0)
                return 0;
            break;
        default: break;
        }
        i += olen;
    }
    return 1;
}

/* A TCP header (@p seg >= 20 bytes at @p h) whose options are not the
 * fast shape: tcp.c's checks in full.  Out of line, and given no pointer
 * to the result: the caller's result stays in registers. */
static __attribute__((noinline)) int pktd__fast_tcp_slow(const uint8_t *h, uint32_t seg)
{
    uint32_t doff = h[12] >> 4;
    if (doff < 5 || doff * 4 > seg)
        return 0;
    return pktd__fast_tcp_options_ok(h, doff * 4);
}

/* The transport layer at @p h, @p seg bytes of IP payload (all captured:
 * the callers checked the IP length against the capture); @p first_frag:
 * an IPv4 first fragment (udp.c lets its length pass the IP payload).
 * A branch on TCP or UDP: branch-free versions were measured slower on the
 * plain mix (doc/performance.md section 11). */
static inline __attribute__((always_inline)) int
pktd__fast_l4(struct pktd__fast *f, const uint8_t *h, uint32_t proto, uint32_t seg,
              uint32_t first_frag)
{
    f->l4 = h;
    if (pktd__likely(proto == PKTD__IPPROTO_TCP)) {
        f->kind = PKTD__FAST_TCP;
        if (pktd__unlikely(seg < 20))
            return 0; /* tcp.c: the header is not whole */
        /* Data offset 5, or 8 with NOP, NOP, Timestamps (three segments in
         * four on the realistic mix, mixed with the others: computed
         * without a branch); other options and offsets walk.  The option
         * word is read at 20 from a segment of 32 bytes and more, else at
         * 16 (captured: seg >= 20), where what it holds does not matter:
         * the term is false without @c big. */
        uint32_t big = seg >= 32;
        uint32_t word = pktd__be32(h + 16 + 4 * big);
        uint32_t doff = h[12] >> 4;
        uint32_t ok = (doff == 5) | ((doff == 8) & big & (word == 0x0101080au));
        if (pktd__likely(ok != 0))
            return 1;
        return pktd__fast_tcp_slow(h, seg);
    }
    if (pktd__likely(proto == PKTD__IPPROTO_UDP)) {
        f->kind = PKTD__FAST_UDP;
        if (pktd__unlikely(seg < 8))
            return 0;
        /* udp.c: the length equal to the IP payload, 0, or 8 and more
         * and below it (padding), or above it in a first fragment only. */
        uint32_t ulen = pktd__be16(h + 4);
        return pktd__likely(ulen == seg) || ulen == 0 ||
               (ulen >= 8 && (ulen < seg || first_frag != 0));
    }
    if (proto == PKTD__IPPROTO_ICMP) {
        f->kind = PKTD__FAST_ICMP;
        return seg >= 8; /* icmp.c */
    }
    /* Any other protocol: no transport layer, and pktd__ip_tunnel() ends
     * the decode without error. */
    f->l4 = pktd__batch_zeros;
    f->kind = PKTD__FAST_NONE;
    return 1;
}

/* The IPv4 packet at @p ip, @p avail (>= 20) bytes captured from it:
 * 1 and *f filled when the extractor takes it. */
static inline __attribute__((always_inline)) int
pktd__fast_ipv4(struct pktd__fast *f, const uint8_t *ip, uint32_t avail)
{
    uint32_t hl = 20;
    if (pktd__unlikely(ip[0] != 0x45)) {
        hl = (ip[0] & 0x0fu) * 4;
        if (ip[0] >> 4 != 4 || hl < 20 || hl > avail)
            return 0;
    }
    /* From the header length to the captured bytes: below is
     * malformed, 0 is offload, above is cut by the capture. */
    uint32_t tot = pktd__be16(ip + 2);
    if (pktd__unlikely(tot - hl > avail - hl))
        return 0;
    if (pktd__unlikely(hl > 20) && !pktd__fast_ipv4_options_ok(ip, hl))
        return 0;
    uint32_t frag = pktd__fast_raw16(ip + 6);
    f->ip4 = ip;
    if (pktd__unlikely((frag & PKTD__FAST_NET16(0x1fffu)) != 0)) {
        /* A later fragment: no transport header (ipv4.c). */
        f->l4 = pktd__batch_zeros;
        f->kind = PKTD__FAST_NONE;
        return 1;
    }
    return pktd__fast_l4(f, ip + hl, ip[9], tot - hl, frag & PKTD__FAST_NET16(0x2000u));
}

/* 1: the frame (@p caplen bytes at @p d, link type Ethernet) decodes
 * without error to the headers *f describes; 0: decode it in full. */
static inline __attribute__((always_inline)) int
pktd__fast_frame(const uint8_t *d, size_t caplen, struct pktd__fast *f)
{
    /* Ethernet and the smallest IPv4 header, at least; the length fits the
     * decoder's 32-bit offsets; NULL data is the decoder's argument error. */
    if (pktd__unlikely(caplen - (14 + 20) > UINT32_MAX - (14 + 20) || d == NULL))
        return 0;
    uint32_t len = (uint32_t)caplen;
    /* Untagged IPv4 first: most frames, one test before the header. */
    if (pktd__likely(pktd__fast_raw16(d + 12) == PKTD__FAST_NET16(PKTD__ETHERTYPE_IPV4)))
        return pktd__fast_ipv4(f, d + 14, len - 14);
    uint32_t type = pktd__be16(d + 12);
    uint32_t l3 = 14;
    if (type == PKTD__TPID_8021Q || type == PKTD__TPID_8021AD) {
        /* eth.c reads tags while the type is one of its four TPIDs: after
         * one or two, only IPv4, IPv6 and ARP are taken below.  Bytes
         * 12-23 are there (34 and more). */
        type = pktd__be16(d + 16);
        l3 = 18;
        if (type == PKTD__TPID_8021Q || type == PKTD__TPID_8021AD) {
            type = pktd__be16(d + 20);
            l3 = 22;
        }
        if (len < l3 + 20)
            return 0;
    }
    const uint8_t *ip = d + l3;
    uint32_t avail = len - l3; /* >= 20 */
    if (type == PKTD__ETHERTYPE_IPV4)
        return pktd__fast_ipv4(f, ip, avail);
    f->ip4 = pktd__batch_zeros;
    if (type == PKTD__ETHERTYPE_IPV6) {
        if (avail < 40 || ip[0] >> 4 != 6)
            return 0;
        uint32_t plen = pktd__be16(ip + 4);
        uint32_t nh = ip[6];
        if (plen == 0 || plen > avail - 40 ||
            (nh != PKTD__IPPROTO_TCP && nh != PKTD__IPPROTO_UDP))
            return 0;
        return pktd__fast_l4(f, ip + 40, nh, plen, 0);
    }
    if (type == PKTD__ETHERTYPE_ARP) {
        /* arp.c: the sizes Ethernet and IPv4 fix, every address captured
         * (the 8-byte fixed part is: avail >= 20). */
        uint32_t hln = ip[4], pln = ip[5];
        if ((pktd__be16(ip) == PKTD__ARPHRD_ETHER && hln != 6) ||
            (pktd__be16(ip + 2) == PKTD__ETHERTYPE_IPV4 && pln != 4) ||
            avail < 8 + 2 * hln + 2 * pln)
            return 0;
        f->l4 = pktd__batch_zeros;
        f->kind = PKTD__FAST_NONE;
        return 1;
    }
    return 0;
}

#endif /* PKTD_BATCH_FAST_H */
