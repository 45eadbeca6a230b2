/* IP-layer capture: an AF_INET SOCK_RAW socket for one protocol, what the
 * seed's IP and TCP sniffers use.  Packets are IPv4 datagrams with their
 * header (LINKTYPE_RAW), after reassembly, incoming only (raw(7) sockets see
 * what the host receives for that protocol).
 *
 * There is no ring: one recvmsg() per packet, with the timestamp
 * (SO_TIMESTAMPNS), the interface (IP_PKTINFO) and the socket's drop count
 * (SO_RXQ_OVFL) as control messages; SO_MEMINFO gives the drop count at any
 * time for the statistics. */
#include "config.h"

#include <errno.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

#define INET_MAX_DATAGRAM 65535u

/* Bind the raw socket to the handle's device, if one was named (shared with
 * capture_inet6.c). */
int pktd__cap_inet_bind_device(pktd_capture *c)
{
    c->ifindex = 0;
    if (c->device[0] == '\0')
        return 0;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, c->device, strlen(c->device) + 1);
    if (ioctl(c->fd, SIOCGIFINDEX, &ifr) != 0)
        return pktd__cap_fail_sys(c, -errno, "SIOCGIFINDEX(%s)", c->device);
    c->ifindex = ifr.ifr_ifindex;
    if (ioctl(c->fd, SIOCGIFFLAGS, &ifr) != 0)
        return pktd__cap_fail_sys(c, -errno, "SIOCGIFFLAGS(%s)", c->device);
    if (!(ifr.ifr_flags & IFF_UP))
        return pktd__errmsgf(c->errmsg, -ENETDOWN,
                             "interface %s is down: bring it up with `ip link set %s up`",
                             c->device, c->device);
    if (setsockopt(c->fd, SOL_SOCKET, SO_BINDTODEVICE, c->device,
                   (socklen_t)strlen(c->device)) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_BINDTODEVICE, %s)", c->device);
    return 0;
}

/* The rest of a raw socket's activation, after its family's options: the
 * receive buffer, a datagram buffer of @p rxbuf_len bytes, the drop count
 * to start from, and the filter (shared with capture_inet6.c). */
int pktd__cap_inet_finish(pktd_capture *c, size_t rxbuf_len)
{
    int one = 1;
    (void)setsockopt(c->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one); /* best effort */

    /* SO_RCVBUFFORCE passes rmem_max with CAP_NET_ADMIN; else SO_RCVBUF,
     * which the kernel caps at net.core.rmem_max. */
    int want = c->buffer_size > (size_t)(INT32_MAX / 2) ? INT32_MAX / 2 : (int)c->buffer_size;
    if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) != 0 &&
        setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof want) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_RCVBUF, %d)", want);
    int got = 0;
    socklen_t len = sizeof got;
    if (getsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &got, &len) != 0)
        return pktd__cap_fail_sys(c, -errno, "getsockopt(SO_RCVBUF)");
    c->buf_actual = got > 0 ? (size_t)got : 0;

    c->rxbuf_len = rxbuf_len;
    c->rxbuf = malloc(c->rxbuf_len);
    if (c->rxbuf == NULL)
        return pktd__errmsgf(c->errmsg, -ENOMEM, "out of memory for the receive buffer");

    /* Drops before this point belong to no capture. */
    uint32_t mi[SK_MEMINFO_VARS];
    len = sizeof mi;
    memset(mi, 0, sizeof mi);
    if (getsockopt(c->fd, SOL_SOCKET, SO_MEMINFO, mi, &len) == 0 &&
        len > SK_MEMINFO_DROPS * sizeof mi[0])
        c->inet_drops_seen = mi[SK_MEMINFO_DROPS];
    else
        c->inet_drops_seen = 0;

    int rc = pktd__cap_filter_install(c, 1);
    if (rc != 0)
        return rc;
    c->errmsg[0] = '\0';
    return 0;
}

static int inet_activate(pktd_capture *c)
{
    c->fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, (int)c->ip_proto);
    if (c->fd < 0)
        return pktd__cap_fail_sys(c, -errno, "socket(AF_INET, SOCK_RAW, %u)", c->ip_proto);
    /* The socket receives from now on: reject everything until the real
     * filter is attached, then drain (pktd__cap_filter_install below). */
    int rc = pktd__cap_filter_reject_all(c);
    if (rc == 0)
        rc = pktd__cap_inet_bind_device(c);
    if (rc != 0)
        return rc;
    int one = 1;
    if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_TIMESTAMPNS)");
    if (setsockopt(c->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(IP_PKTINFO)");
    return pktd__cap_inet_finish(c, INET_MAX_DATAGRAM);
}

void pktd__cap_inet_close(pktd_capture *c)
{
    free(c->rxbuf);
    c->rxbuf = NULL;
    c->rxbuf_len = 0;
    c->buf_actual = 0;
}

/* Account for drops up to the socket's cumulative counter @p total. */
void pktd__cap_inet_account_drops(pktd_capture *c, uint32_t total)
{
    uint32_t delta = total - c->inet_drops_seen; /* the kernel counter wraps at 2^32 */
    c->inet_drops_seen = total;
    c->st_dropped += delta;
    c->st_received += delta;
}

/* Statistics: the kernel keeps only the drop count; received packets are
 * counted as they are read. */
int pktd__cap_inet_stats(pktd_capture *c, uint64_t *pending)
{
    *pending = 0;
    uint32_t mi[SK_MEMINFO_VARS];
    socklen_t len = sizeof mi;
    memset(mi, 0, sizeof mi);
    if (getsockopt(c->fd, SOL_SOCKET, SO_MEMINFO, mi, &len) != 0) {
        if (errno == ENOPROTOOPT)
            return 0; /* before Linux 4.12: the SO_RXQ_OVFL messages keep the count */
        return pktd__cap_fail_sys(c, -errno, "getsockopt(SO_MEMINFO)");
    }
    if (len > SK_MEMINFO_DROPS * sizeof mi[0])
        pktd__cap_inet_account_drops(c, mi[SK_MEMINFO_DROPS]);
    return 0;
}

static int inet_next(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(struct in_pktinfo)) +
                    CMSG_SPACE(sizeof(uint32_t))];
    } ctl;
    for (;;) {
        struct iovec iov = {c->rxbuf, c->rxbuf_len};
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof ctl.buf;
        ssize_t n = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return pktd__cap_fail_sys(c, -errno, "recvmsg");
            int rc = pktd__cap_wait(c);
            if (rc <= 0)
                return rc;
            continue;
        }
        c->st_received++;
        uint64_t ts = 0;
        c->ifidx = (uint32_t)c->ifindex;
        for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
            if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
                struct timespec t;
                memcpy(&t, CMSG_DATA(cm), sizeof t);
                ts = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
            } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
                struct in_pktinfo pi;
                memcpy(&pi, CMSG_DATA(cm), sizeof pi);
                c->ifidx = (uint32_t)pi.ipi_ifindex;
            } else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
                uint32_t total;
                memcpy(&total, CMSG_DATA(cm), sizeof total);
                pktd__cap_inet_account_drops(c, total);
            }
        }
        size_t got = (size_t)n < c->rxbuf_len ? (size_t)n : c->rxbuf_len;
        /* A filter's return value trims the datagram in the kernel, and
         * MSG_TRUNC then reports the trimmed length: the IPv4 total length
         * is the original one. */
        uint32_t wire = (uint32_t)n;
        if (got >= 4 && (c->rxbuf[0] >> 4) == 4 && pktd__be16(c->rxbuf + 2) > wire)
            wire = pktd__be16(c->rxbuf + 2);
        c->ts_ns = ts != 0 ? ts : pktd__cap_now_ns();
        c->wire_len = wire;
        c->pkttype = PKTD_CAPTURE_PKT_HOST;
        *data = c->rxbuf;
        *caplen = got < c->snaplen ? got : c->snaplen;
        return 1;
    }
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
