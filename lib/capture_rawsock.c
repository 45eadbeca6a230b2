/* What the two raw-socket backends share: capture_inet.c (AF_INET) and
 * capture_inet6.c (AF_INET6).  Both read one datagram per recvmsg() from a
 * SOCK_RAW socket for one protocol, with the timestamp (SO_TIMESTAMPNS),
 * the socket's drop count (SO_RXQ_OVFL) and their family's packet info as
 * control messages; SO_MEMINFO gives the drop count at any time for the
 * statistics.  Each backend keeps only what its family does differently:
 * its socket options, its control messages, where the packet starts. */
#include "config.h"

#include <errno.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

/* Bind the raw socket to the handle's device, if one was named. */
static int bind_device(pktd_capture *c)
{
    c->ifindex = 0;
    if (c->device[0] == '\0')
        return 0;
    struct ifreq ifr;
    int ifindex;
    int rc = pktd__cap_device_up(c, &ifr, &ifindex);
    if (rc != 0)
        return rc;
    c->ifindex = ifindex;
    if (setsockopt(c->fd, SOL_SOCKET, SO_BINDTODEVICE, c->device,
                   (socklen_t)strlen(c->device)) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_BINDTODEVICE, %s)", c->device);
    return 0;
}

int pktd__cap_inet_open(pktd_capture *c, int family, const char *family_name, uint32_t proto)
{
    c->fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, (int)proto);
    if (c->fd < 0)
        return pktd__cap_fail_sys(c, -errno, "socket(%s, SOCK_RAW, %u)", family_name, proto);
    /* The socket receives from now on: reject everything until the real
     * filter is attached, then drain (pktd__cap_inet_finish()). */
    int rc = pktd__cap_filter_reject_all(c);
    if (rc == 0)
        rc = bind_device(c);
    if (rc != 0)
        return rc;
    int one = 1;
    if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_TIMESTAMPNS)");
    return 0;
}

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

void pktd__cap_inet_close(pktd_capture *c)
{
    free(c->rxbuf);
    c->rxbuf = NULL;
    c->rxbuf_len = 0;
    c->buf_actual = 0;
}

/* Account for drops up to the socket's cumulative counter @p total. */
static void account_drops(pktd_capture *c, uint32_t total)
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
        account_drops(c, mi[SK_MEMINFO_DROPS]);
    return 0;
}

void pktd__cap_inet_msg(struct msghdr *msg, struct iovec *iov, void *ctl, size_t ctl_len)
{
    memset(msg, 0, sizeof *msg);
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = ctl;
    msg->msg_controllen = ctl_len;
}

int pktd__cap_inet_recv(pktd_capture *c, struct msghdr *msg, size_t *len)
{
    /* Every attempt starts from the caller's header: recvmsg() writes
     * its lengths and flags back. */
    const struct msghdr start = *msg;
    for (;;) {
        *msg = start;
        ssize_t n = recvmsg(c->fd, msg, MSG_DONTWAIT | MSG_TRUNC);
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
        *len = (size_t)n;
        return 1;
    }
}

int pktd__cap_inet_cmsg(pktd_capture *c, const struct cmsghdr *cm, uint64_t *ts_ns)
{
    if (cm->cmsg_level != SOL_SOCKET)
        return 0;
    if (cm->cmsg_type == SCM_TIMESTAMPNS) {
        struct timespec t;
        memcpy(&t, CMSG_DATA(cm), sizeof t);
        *ts_ns = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
        return 1;
    }
    if (cm->cmsg_type == SO_RXQ_OVFL) {
        uint32_t total;
        memcpy(&total, CMSG_DATA(cm), sizeof total);
        account_drops(c, total);
        return 1;
    }
    return 0;
}

int pktd__cap_inet_deliver(pktd_capture *c, uint64_t ts_ns, uint32_t wire_len,
                           const uint8_t *pkt, size_t snap, const uint8_t **data, size_t *caplen)
{
    c->ts_ns = ts_ns != 0 ? ts_ns : pktd__cap_now_ns();
    c->wire_len = wire_len;
    c->pkttype = PKTD_CAPTURE_PKT_HOST;
    *data = pkt;
    *caplen = snap < c->snaplen ? snap : c->snaplen;
    return 1;
}
