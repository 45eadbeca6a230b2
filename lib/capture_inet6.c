/* IPv6 IP-layer capture (1.1): an AF_INET6 SOCK_RAW socket for one protocol
 * (ICMPv6 unless another is set), the IPv6 twin of capture_inet.c (what
 * they do alike is in capture_rawsock.c).
 *
 * An AF_INET6 raw socket never hands out the IPv6 header (RFC 3542 3: the
 * kernel strips it and any extension headers): only the upper-layer payload,
 * the source in the sockaddr_in6 and the rest in control messages.  So the
 * library writes a fixed IPv6 header in front of each payload and hands out
 * LINKTYPE_IPV6 packets that pktd_decode() reads like captured ones:
 *   version 6; traffic class from IPV6_TCLASS (0 if the kernel gave none);
 *   flow label 0 (a raw socket does not report it); payload length = the
 *   payload's length; next header = the socket's protocol (the extension
 *   headers are gone); hop limit from IPV6_HOPLIMIT; source from the
 *   sockaddr_in6; destination from IPV6_PKTINFO (which also gives the
 *   interface).
 * The kernel filter cannot see that header, so a user filter (compiled for
 * LINKTYPE_IPV6) runs in user space on the built packet (builds_header). */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"
#include "errmsg.h"

#define INET6_HLEN 40u
#define INET6_JUMBO_HLEN 8u  /* a hop-by-hop header holding only the Jumbo Payload option */
#define INET6_ROOM (INET6_HLEN + INET6_JUMBO_HLEN) /* reserved in front of the payload */
/* The payload bytes kept per packet.  MSG_TRUNC still reports a longer
 * one (a GRO "BIG TCP" packet can pass 64 KiB): its length is told in the
 * header, and the capture is then shorter than the packet. */
#define INET6_MAX_PAYLOAD 65535u

/* The protocol the socket receives: the one set, else ICMPv6. */
static uint32_t inet6_proto(const pktd_capture *c)
{
    return c->ip_proto != 0 ? c->ip_proto : 58u; /* IPPROTO_ICMPV6 */
}

static int inet6_activate(pktd_capture *c)
{
    int rc = pktd__cap_inet_open(c, AF_INET6, "AF_INET6", inet6_proto(c));
    if (rc != 0)
        return rc;
    int one = 1;
    if (setsockopt(c->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(IPV6_RECVPKTINFO)");
    if (setsockopt(c->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(IPV6_RECVHOPLIMIT)");
    /* Without it the traffic class is written as 0, as documented. */
    (void)setsockopt(c->fd, IPPROTO_IPV6, IPV6_RECVTCLASS, &one, sizeof one);
    return pktd__cap_inet_finish(c, INET6_ROOM + INET6_MAX_PAYLOAD);
}

/* Write the IPv6 header in front of the @p plen payload bytes at
 * @p payload (INET6_ROOM bytes before it are the caller's) and return its
 * length.  The payload length field has 16 bits: a longer payload is told
 * the way RFC 2675 tells it, payload length 0 and a hop-by-hop header with
 * a Jumbo Payload option (whose value counts that header too), so the
 * decoder reads the true length instead of one wrapped modulo 65536. */
size_t pktd__inet6_header(uint8_t *payload, uint32_t tclass, size_t plen, uint32_t nh,
                          uint32_t hops, const struct in6_addr *src, const struct in6_addr *dst)
{
    int jumbo = plen > 0xffffu;
    size_t hlen = jumbo ? INET6_ROOM : INET6_HLEN;
    uint8_t *h = payload - hlen;
    uint32_t w = (6u << 28) | ((tclass & 0xffu) << 20); /* flow label 0 */
    uint32_t pl = jumbo ? 0u : (uint32_t)plen;
    h[0] = (uint8_t)(w >> 24);
    h[1] = (uint8_t)(w >> 16);
    h[2] = (uint8_t)(w >> 8);
    h[3] = (uint8_t)w;
    h[4] = (uint8_t)(pl >> 8);
    h[5] = (uint8_t)pl;
    h[6] = (uint8_t)(jumbo ? 0u : nh); /* 0: hop-by-hop options */
    h[7] = (uint8_t)hops;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    if (jumbo) {
        uint8_t *o = h + INET6_HLEN;
        o[0] = (uint8_t)nh;
        o[1] = 0;    /* header length: 8 bytes */
        o[2] = 0xc2; /* Jumbo Payload */
        o[3] = 4;
        uint32_t j = (uint32_t)(plen + INET6_JUMBO_HLEN);
        o[4] = (uint8_t)(j >> 24);
        o[5] = (uint8_t)(j >> 16);
        o[6] = (uint8_t)(j >> 8);
        o[7] = (uint8_t)j;
    }
    return hlen;
}

static int inet6_next(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) +
                    2 * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint32_t))];
    } ctl;
    for (;;) {
        struct sockaddr_in6 from;
        struct iovec iov = {c->rxbuf + INET6_ROOM, c->rxbuf_len - INET6_ROOM};
        struct msghdr msg;
        pktd__cap_inet_msg(&msg, &iov, ctl.buf, sizeof ctl.buf);
        memset(&from, 0, sizeof from);
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        size_t n;
        int rc = pktd__cap_inet_recv(c, &msg, &n);
        if (rc <= 0)
            return rc;
        /* The control buffer has room for every message enabled above, so
         * a cut one means the kernel sent something this code does not
         * know: a timestamp or an address could be missing, and a packet
         * with made-up metadata is worse than a stop that says why. */
        if (msg.msg_flags & MSG_CTRUNC)
            return pktd__errmsgf(c->errmsg, PKTD_E_UNSUPPORTED,
                                  "recvmsg: control messages cut (MSG_CTRUNC, %zu bytes of room)",
                                  sizeof ctl.buf);
        uint64_t ts = 0;
        uint32_t tclass = 0, hops = 0;
        struct in6_addr dst;
        memset(&dst, 0, sizeof dst);
        c->ifidx = (uint32_t)c->ifindex;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
            if (pktd__cap_inet_cmsg(c, cm, &ts))
                continue; /* the timestamp, the drop count */
            if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
                struct in6_pktinfo pi;
                memcpy(&pi, CMSG_DATA(cm), sizeof pi);
                dst = pi.ipi6_addr;
                c->ifidx = (uint32_t)pi.ipi6_ifindex;
            } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT) {
                int v;
                memcpy(&v, CMSG_DATA(cm), sizeof v);
                hops = (uint32_t)v;
            } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_TCLASS) {
                int v;
                memcpy(&v, CMSG_DATA(cm), sizeof v);
                tclass = (uint32_t)v;
            }
        }
        size_t room = c->rxbuf_len - INET6_ROOM;
        size_t got = n < room ? n : room;
        /* MSG_TRUNC reports the payload's full length (a filter cannot
         * trim it: the kernel program only accepts or rejects here). */
        uint8_t *payload = c->rxbuf + INET6_ROOM;
        size_t hlen = pktd__inet6_header(payload, tclass, n, inet6_proto(c), hops,
                                         &from.sin6_addr, &dst);
        uint8_t *pkt = payload - hlen;
        size_t snap = hlen + got;
        uint32_t wire = (uint32_t)(hlen + n);
        if (c->prog != NULL) {
            struct pktd__bpf_aux aux = {
                .len = wire,
                .protocol = 0x86ddu,
                .pkttype = 0, /* PACKET_HOST */
                .ifindex = c->ifidx,
                .hatype = 0,
                .net_off = 0,
            };
            uint32_t keep = pktd__bpf_run(c->prog, c->prog_len, pkt, snap, &aux);
            if (keep == 0) {
                c->st_filtered++;
                continue;
            }
            if (keep < snap)
                snap = keep;
        }
        return pktd__cap_inet_deliver(c, ts, wire, pkt, snap, data, caplen);
    }
}

const struct pktd__cap_ops pktd__cap_inet6_ops = {
    .name = "IPv6 layer (AF_INET6 raw socket)",
    .linktype = 229, /* LINKTYPE_IPV6 */
    .link_layer = 0,   /* raw(7): incoming packets of one protocol only */
    .kernel_snap = 0,
    .vlan_offload = 0,
    .counts_received = 1,
    /* The IPv6 header is built here: the user program runs in user space. */
    .builds_header = 1,
    .activate = inet6_activate,
    .next = inet6_next,
    .stats = pktd__cap_inet_stats,
    .close = pktd__cap_inet_close,
};
