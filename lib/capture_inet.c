/* IP-layer capture: an AF_INET SOCK_RAW socket for one protocol, what the
 * seed's IP and TCP sniffers use.  Packets are IPv4 datagrams with their
 * header (LINKTYPE_RAW), after reassembly, incoming only (raw(7) sockets see
 * what the host receives for that protocol).
 *
 * There is no ring: one recvmsg() per packet, with the timestamp
 * (SO_TIMESTAMPNS), the interface (IP_PKTINFO) and the socket's drop count
 * (SO_RXQ_OVFL) as control messages; SO_MEMINFO gives the drop count at any
 * time for the statistics.  What the AF_INET6 backend does alike is in
 * capture_rawsock.c. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"

#define INET_MAX_DATAGRAM 65535u

static int inet_activate(pktd_capture *c)
{
    int rc = pktd__cap_inet_open(c, AF_INET, "AF_INET", c->ip_proto);
    if (rc != 0)
        return rc;
    int one = 1;
    if (setsockopt(c->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(IP_PKTINFO)");
    return pktd__cap_inet_finish(c, INET_MAX_DATAGRAM);
}

static int inet_next(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(struct in_pktinfo)) +
                    CMSG_SPACE(sizeof(uint32_t))];
    } ctl;
    struct iovec iov = {c->rxbuf, c->rxbuf_len};
    struct msghdr msg;
    pktd__cap_inet_msg(&msg, &iov, ctl.buf, sizeof ctl.buf);
    size_t n;
    int rc = pktd__cap_inet_recv(c, &msg, &n);
    if (rc <= 0)
        return rc;
    uint64_t ts = 0;
    c->ifidx = (uint32_t)c->ifindex;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
        if (!pktd__cap_inet_cmsg(c, cm, &ts) && cm->cmsg_level == IPPROTO_IP &&
            cm->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pi;
            memcpy(&pi, CMSG_DATA(cm), sizeof pi);
            c->ifidx = (uint32_t)pi.ipi_ifindex;
        }
    }
    size_t got = n < c->rxbuf_len ? n : c->rxbuf_len;
    /* A filter's return value trims the datagram in the kernel, and
     * MSG_TRUNC then reports the trimmed length: the IPv4 total length
     * is the original one. */
    uint32_t wire = (uint32_t)n;
    if (got >= 4 && (c->rxbuf[0] >> 4) == 4 && pktd__be16(c->rxbuf + 2) > wire)
        wire = pktd__be16(c->rxbuf + 2);
    return pktd__cap_inet_deliver(c, ts, wire, c->rxbuf, got, data, caplen);
}

const struct pktd__cap_ops pktd__cap_inet_ops = {
    .name = "IP layer (AF_INET raw socket)",
    .linktype = 101, /* LINKTYPE_RAW */
    .link_layer = 0,   /* raw(7): incoming packets of one protocol only */
    .kernel_snap = 0,  /* one datagram buffer, no ring to save: cut in user space */
    .vlan_offload = 0, /* the IP layer has no VLAN tags */
    .counts_received = 1,
    .activate = inet_activate,
    .next = inet_next,
    .stats = pktd__cap_inet_stats,
    .close = pktd__cap_inet_close,
};
