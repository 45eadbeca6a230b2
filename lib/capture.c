/* Live capture handle, the part common to every backend: life cycle,
 * options, errors, waiting, statistics.  The socket work is in the backends
 * (capture_ring.c: AF_PACKET, capture_inet.c: AF_INET), reached through
 * their struct pktd__cap_ops; the kernel filter is in capture_filter.c. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>
#include <pktdecode/packet.h>

#include "capture_int.h"
#include "common.h"

/* What to do about the common system errors, appended to the message. */
static const char *advice(int code)
{
    switch (code) {
    case -EPERM:
    case -EACCES:
        return " (run as root or grant CAP_NET_RAW, e.g. setcap cap_net_raw+ep PROGRAM)";
    case -ENODEV:
    case -ENXIO:
        return " (no such device: see `ip link` for the interface names)";
    case -ENETDOWN:
        return " (the interface is down: bring it up with `ip link set DEV up`)";
    case -EAFNOSUPPORT:
        return " (the kernel has no AF_PACKET support: CONFIG_PACKET)";
    case -ENOMEM:
        return " (not enough kernel memory: ask for a smaller buffer)";
    default:
        return "";
    }
}

int pktd__cap_fail_sys(pktd_capture *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pktd__verrmsgf(c->errmsg, code, fmt, ap);
    va_end(ap);
    return pktd__errmsgf(c->errmsg, code, "%s: %s%s", c->errmsg, pktd_strerror(code), advice(code));
}

int pktd__cap_device_up(pktd_capture *c, struct ifreq *ifr, int *ifindex)
{
    memset(ifr, 0, sizeof *ifr);
    memcpy(ifr->ifr_name, c->device, strlen(c->device) + 1);
    if (ioctl(c->fd, SIOCGIFINDEX, ifr) != 0)
        return pktd__cap_fail_sys(c, -errno, "SIOCGIFINDEX(%s)", c->device);
    *ifindex = ifr->ifr_ifindex;
    if (ioctl(c->fd, SIOCGIFFLAGS, ifr) != 0)
        return pktd__cap_fail_sys(c, -errno, "SIOCGIFFLAGS(%s)", c->device);
    if (!(ifr->ifr_flags & IFF_UP))
        return pktd__errmsgf(c->errmsg, -ENETDOWN,
                             "interface %s is down: bring it up with `ip link set %s up`",
                             c->device, c->device);
    return 0;
}

uint64_t pktd__cap_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int pktd_capture_create(pktd_capture **out, const char *device, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_capture_create: the handle pointer is NULL");
    *out = NULL;
    if (device != NULL && strlen(device) >= IF_NAMESIZE)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_capture_create: interface name \"%.*s...\" is longer than %u bytes",
                             IF_NAMESIZE, device, IF_NAMESIZE - 1u);
    pktd_capture *c = calloc(1, sizeof *c);
    if (c == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_capture_create: out of memory for the handle");
    if (device != NULL && strcmp(device, "any") != 0)
        memcpy(c->device, device, strlen(device) + 1);
    c->snaplen = PKTD_CAPTURE_DEFAULT_SNAPLEN;
    c->buffer_size = PKTD_CAPTURE_DEFAULT_BUFFER;
    c->timeout_ms = -1;
    c->direction = PKTD_CAPTURE_DIR_BOTH;
    c->fd = -1;
    atomic_init(&c->brk, 0);
    /* Created here, not at activation, so pktd_capture_breakloop() works at any
     * time without a check that could race with activation. */
    c->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (c->efd < 0) {
        int e = -errno;
        free(c);
        return pktd__errmsgf(errbuf, e, "pktd_capture_create: eventfd (for pktd_capture_breakloop): %s",
                             pktd_strerror(e));
    }
    *out = c;
    return 0;
}

const struct pktd__cap_ops *pktd__cap_backend(const pktd_capture *c)
{
    if (c->ip_family == 6)
        return &pktd__cap_inet6_ops;
    if (c->ip_proto != 0)
        return &pktd__cap_inet_ops;
    return c->linktype_req == PKTD_LINKTYPE_LINUX_SLL2 ? &pktd__cap_ring_sll2_ops : &pktd__cap_ring_ops;
}

static void deactivate(pktd_capture *c)
{
    if (c->ops != NULL)
        c->ops->close(c);
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->ops = NULL;
    c->version = 0;
    c->active = 0;
}

void pktd_capture_close(pktd_capture *c)
{
    if (c == NULL)
        return;
    deactivate(c);
    if (c->efd >= 0)
        close(c->efd);
    free(c->prog);
    free(c->expr);
    free(c);
}

/* Every option setter starts with this: the handle exists and is inactive. */
static int settable(pktd_capture *c)
{
    if (c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (c->active)
        return pktd__errmsgf(c->errmsg, PKTD_E_BAD_STATE,
                             "options cannot change after pktd_capture_activate(); "
                             "close the handle and create a new one");
    return 0;
}

int pktd_capture_set_ip_protocol(pktd_capture *c, uint32_t protocol)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    /* 0 would be IPPROTO_IP, 255 IPPROTO_RAW: both are send-only for raw sockets. */
    if (protocol == 0 || protocol > 254)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "IP protocol %u: must be 1 ... 254 (IPPROTO_RAW cannot receive)",
                             protocol);
    if (c->linktype_req != 0)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "IP protocol %u: the handle was set to hand out Linux cooked "
                             "(SLL2) link-layer packets", protocol);
    c->ip_proto = protocol;
    return 0;
}

int pktd_capture_set_ip_family(pktd_capture *c, uint32_t family)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (family != 4 && family != 6)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "IP family %u: must be 4 (AF_INET) or 6 (AF_INET6)", family);
    if (c->linktype_req != 0)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "IP family %u: the handle was set to hand out Linux cooked "
                             "(SLL2) link-layer packets", family);
    c->ip_family = family;
    return 0;
}

int pktd_capture_set_linktype(pktd_capture *c, uint32_t linktype)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (c->ip_proto != 0 || c->ip_family == 6)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "link type %u: an IP-protocol capture hands out IP packets "
                             "(LINKTYPE_RAW) only", linktype);
    if (linktype != PKTD_LINKTYPE_ETHERNET && linktype != PKTD_LINKTYPE_LINUX_SLL2)
        return pktd__errmsgf(c->errmsg, PKTD_E_UNSUPPORTED,
                             "link type %u: a link-layer capture hands out Ethernet (%u) or "
                             "Linux cooked v2 (%u) packets",
                             linktype, PKTD_LINKTYPE_ETHERNET, PKTD_LINKTYPE_LINUX_SLL2);
    c->linktype_req = linktype == PKTD_LINKTYPE_LINUX_SLL2 ? linktype : 0;
    return 0;
}

int pktd_capture_set_snaplen(pktd_capture *c, uint32_t snaplen)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (snaplen > PKTD_CAPTURE_DEFAULT_SNAPLEN)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT, "snap length %u: must be 1 ... %u",
                             snaplen, PKTD_CAPTURE_DEFAULT_SNAPLEN);
    c->snaplen = snaplen == 0 ? PKTD_CAPTURE_DEFAULT_SNAPLEN : snaplen;
    return 0;
}

int pktd_capture_set_promisc(pktd_capture *c, int on)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    c->promisc = on != 0;
    return 0;
}

int pktd_capture_set_buffer_size(pktd_capture *c, size_t bytes)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (bytes == 0)
        bytes = PKTD_CAPTURE_DEFAULT_BUFFER;
    /* The kernel counts blocks and frames in 32 bits; even with the largest
     * useful block (2^30 bytes) the ring cannot describe more than this. */
    if (bytes / ((size_t)1 << 30) >= 0xffffffffu)
        return pktd__errmsgf(c->errmsg, PKTD_E_TOO_LARGE,
                             "buffer of %zu bytes cannot be described to the kernel "
                             "(tpacket_req counts blocks in 32 bits)",
                             bytes);
    c->buffer_size = bytes;
    return 0;
}

int pktd_capture_set_block_timeout(pktd_capture *c, uint32_t ms)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (ms > 60000)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "block timeout %u ms: must be 0 (kernel default) ... 60000", ms);
    c->block_tmo_ms = ms;
    return 0;
}

int pktd_capture_set_timeout(pktd_capture *c, int32_t ms)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (ms < -1)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "timeout %d ms: must be -1 or more",
                             (int)ms);
    c->timeout_ms = ms;
    return 0;
}

int pktd_capture_set_immediate(pktd_capture *c, int on)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    c->immediate = on != 0;
    return 0;
}

int pktd_capture_set_tpacket_version(pktd_capture *c, uint32_t version)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (version != PKTD_CAPTURE_TPACKET_AUTO && version != PKTD_CAPTURE_TPACKET_V2 &&
        version != PKTD_CAPTURE_TPACKET_V3)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "TPACKET version %u: must be 0 (automatic), 2 or 3", version);
    c->version_req = version;
    return 0;
}

int pktd_capture_set_direction(pktd_capture *c, uint32_t dir)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    if (dir < PKTD_CAPTURE_DIR_IN || dir > PKTD_CAPTURE_DIR_BOTH)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "direction %u: must be PKTD_CAPTURE_DIR_IN, _OUT or _BOTH", dir);
    c->direction = dir;
    return 0;
}

int pktd_capture_set_fanout(pktd_capture *c, uint32_t mode, uint32_t group)
{
    int rc = settable(c);
    if (rc != 0)
        return rc;
    uint32_t type = mode & 0xffu;
    uint32_t flags = mode & ~0xffu;
    if ((type != PKTD_CAPTURE_FANOUT_HASH && type != PKTD_CAPTURE_FANOUT_LB &&
         type != PKTD_CAPTURE_FANOUT_CPU) ||
        (flags & ~(PKTD_CAPTURE_FANOUT_FLAG_ROLLOVER | PKTD_CAPTURE_FANOUT_FLAG_DEFRAG)) != 0)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "fanout mode 0x%x: must be HASH, LB or CPU with optional "
                             "ROLLOVER/DEFRAG flags",
                             mode);
    if (group > 0xffff)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "fanout group %u: must be 0 ... 65535",
                             group);
    c->fanout = 1;
    c->fanout_mode = mode;
    c->fanout_group = group;
    return 0;
}

int pktd_capture_set_nonblock(pktd_capture *c, int on)
{
    if (c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    c->nonblock = on != 0;
    return 0;
}

int pktd_capture_activate(pktd_capture *c)
{
    if (c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (c->active)
        return pktd__errmsgf(c->errmsg, PKTD_E_BAD_STATE, "the handle is already active");
    c->errmsg[0] = '\0';
    /* A break asked for before activation does not stop the first read. */
    (void)pktd__cap_take_break(c);
    c->st_received = c->st_dropped = c->st_delivered = c->st_filtered = 0;
    c->refilter_until_ns = 0;
    c->failed = 0;
    c->gone_ns = 0;
    int rc = pktd__cap_filter_refresh(c);
    if (rc != 0)
        return rc;
    c->ops = pktd__cap_backend(c);
    rc = c->ops->activate(c);
    if (rc >= 0 && !c->ops->link_layer &&
        (c->promisc || c->fanout || c->direction != PKTD_CAPTURE_DIR_BOTH)) {
        pktd__errmsgf(c->errmsg, PKTD_CAPTURE_WARNING,
                      "%s%spromiscuous mode, fanout and direction apply to link-layer capture "
                      "only; ignored for the %s",
                      rc == PKTD_CAPTURE_WARNING ? c->errmsg : "", rc == PKTD_CAPTURE_WARNING ? "; " : "",
                      c->ops->name);
        rc = PKTD_CAPTURE_WARNING;
    }
    if (rc < 0) {
        /* Leave nothing half open: the handle can be reconfigured and retried. */
        char msg[sizeof c->errmsg];
        memcpy(msg, c->errmsg, sizeof msg);
        deactivate(c);
        memcpy(c->errmsg, msg, sizeof msg);
        return rc;
    }
    c->active = 1;
    return rc;
}

static int readable(const pktd_capture *c)
{
    if (c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (!c->active)
        return PKTD_E_BAD_STATE;
    return 0;
}

int pktd__cap_take_break(pktd_capture *c)
{
    if (atomic_exchange(&c->brk, 0) == 0)
        return 0;
    uint64_t v;
    /* Empty the eventfd so the next wait blocks again. */
    ssize_t r = read(c->efd, &v, sizeof v);
    (void)r;
    return PKTD_E_BREAK;
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Start a read call: its wait ends at one deadline however many times the
 * read loops (packets the library drops, several waits). */
static void start_read(pktd_capture *c)
{
    c->deadline_ns = c->timeout_ms >= 0 ? monotonic_ns() + (uint64_t)c->timeout_ms * 1000000u : 0;
}

/* Milliseconds poll() may wait: 0 non-blocking, -1 forever, else what is
 * left until the deadline (rounded up, so a wait never ends early). */
static int wait_ms(const pktd_capture *c)
{
    if (c->nonblock)
        return 0;
    if (c->deadline_ns == 0)
        return -1;
    uint64_t now = monotonic_ns();
    if (now >= c->deadline_ns)
        return 0;
    uint64_t left = (c->deadline_ns - now + 999999u) / 1000000u;
    return left > INT32_MAX ? INT32_MAX : (int)left;
}

/* How long after an interface's removal the last packets the kernel holds
 * are waited for, beyond the block timeout (the kernel's own default block
 * timeout is at most 8 ms). */
#define REMOVED_GRACE_MS 200u

/* Whether the interface the handle is bound to no longer exists: the
 * kernel reports its removal as ENETDOWN, like an interface going down
 * (af_packet.c, packet_notifier), so ask whether its index still names one. */
static int interface_gone(const pktd_capture *c)
{
    char name[IF_NAMESIZE];
    return c->ifindex > 0 && if_indextoname((unsigned)c->ifindex, name) == NULL && errno == ENXIO;
}

/* Deleting an interface first takes it down, which is when ENETDOWN reaches
 * the socket, and unregisters it a moment later: give the removal up to
 * REMOVED_SETTLE_MS before calling the interface merely down (a cold path;
 * the test saw the index still present once, on a loaded machine). */
#define REMOVED_SETTLE_MS 500u
static int interface_gone_after_down(const pktd_capture *c)
{
    if (c->ifindex <= 0)
        return 0;
    for (unsigned waited = 0; waited < REMOVED_SETTLE_MS; waited += 10u) {
        if (interface_gone(c))
            return 1;
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return interface_gone(c);
}

/* The bound interface was deleted: nothing more can arrive, so the capture
 * ends (pktd_capture_next() and pktd_capture_dispatch() return this from now
 * on, after the packets already in the buffer).  The code stays the
 * kernel's -ENETDOWN, as documented since 1.0; the message tells removal
 * from an interface that is merely down. */
static __attribute__((cold)) int interface_removed(pktd_capture *c)
{
    c->failed = pktd__errmsgf(c->errmsg, -ENETDOWN, "interface %s was removed; capture stopped",
                              c->device);
    return c->failed;
}

int pktd__cap_wait(pktd_capture *c)
{
    /* pktd_capture_dispatch() after its first packet takes what the ring
     * already holds and returns; a poll(0) here would only repeat that
     * check in the kernel, once per ring block (a system call per block
     * handed over); errors and removals are seen by the next wait. */
    if (c->ready_only)
        return 0;
    struct pollfd pfd[2] = {
        {.fd = c->fd, .events = POLLIN},
        {.fd = c->efd, .events = POLLIN},
    };
    for (;;) {
        int ms = wait_ms(c);
        if (c->gone_ns != 0) {
            uint64_t now = monotonic_ns();
            if (now >= c->gone_ns)
                return interface_removed(c);
            uint64_t left = (c->gone_ns - now + 999999u) / 1000000u;
            if (ms < 0 || left < (uint64_t)ms)
                ms = (int)left;
        }
        int n = poll(pfd, 2, ms);
        if (n < 0) {
            if (errno == EINTR) {
                /* A signal handler may have asked for a break. */
                int b = pktd__cap_take_break(c);
                if (b != 0)
                    return b;
                continue;
            }
            return pktd__cap_fail_sys(c, -errno, "poll");
        }
        if (n == 0) {
            if (c->gone_ns != 0 && monotonic_ns() >= c->gone_ns)
                return interface_removed(c);
            return 0;
        }
        if (pfd[1].revents & POLLIN) {
            int b = pktd__cap_take_break(c);
            if (b != 0)
                return b;
            uint64_t v;
            ssize_t r = read(c->efd, &v, sizeof v); /* stale wakeup */
            (void)r;
        }
        if (pfd[0].revents & POLLIN)
            return 1;
        if (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0) {
                if (err == ENETDOWN && interface_gone_after_down(c)) {
                    /* Packets may still be on their way to user space (a
                     * TPACKET_V3 block is handed over when its timeout
                     * retires it): read them, then end. */
                    c->gone_ns = monotonic_ns() + ((uint64_t)c->block_tmo_ms + REMOVED_GRACE_MS) * 1000000u;
                    continue;
                }
                return pktd__cap_fail_sys(c, -err, "capture socket on %s",
                                          c->device[0] ? c->device : "all interfaces");
            }
            return pktd__errmsgf(c->errmsg, -EIO, "capture socket: poll reported an error");
        }
    }
}

int pktd_capture_next(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    int rc = readable(c);
    if (rc != 0)
        return rc;
    if (data == NULL || caplen == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (c->failed != 0)
        return c->failed;
    rc = pktd__cap_take_break(c);
    if (rc != 0)
        return rc;
    start_read(c);
    rc = c->ops->next(c, data, caplen);
    if (rc == 1)
        c->st_delivered++;
    return rc;
}

int pktd_capture_dispatch(pktd_capture *c, uint32_t max, pktd_capture_handler cb, void *user)
{
    int rc = readable(c);
    if (rc != 0)
        return rc;
    if (cb == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (c->failed != 0)
        return c->failed;
    rc = pktd__cap_take_break(c);
    if (rc != 0)
        return rc;
    start_read(c);
    uint32_t n = 0;
    int saved_nonblock = c->nonblock;
    for (;;) {
        const uint8_t *data;
        size_t caplen;
        rc = c->ops->next(c, &data, &caplen);
        if (rc != 1)
            break;
        c->st_delivered++;
        n++;
        int stop = cb(user, data, caplen, c->wire_len, c->ts_ns);
        if (stop != 0 || (max > 0 && n >= max) || n >= (uint32_t)INT_MAX)
            break;
        /* After the first packet take only what is ready: never wait again. */
        c->nonblock = 1;
        c->ready_only = 1;
        if (atomic_load(&c->brk) != 0) {
            /* Stopped by a break (from the callback, a signal or a thread):
             * say so, as libpcap does; the packets were handed over. */
            c->nonblock = saved_nonblock;
            c->ready_only = 0;
            return pktd__cap_take_break(c);
        }
    }
    c->nonblock = saved_nonblock;
    c->ready_only = 0;
    if (n > 0)
        return (int)n;
    return rc;
}

void pktd_capture_breakloop(pktd_capture *c)
{
    if (c == NULL)
        return;
    /* Only an atomic store and write(2): both async-signal-safe. */
    atomic_store(&c->brk, 1);
    uint64_t one = 1;
    ssize_t r = write(c->efd, &one, sizeof one);
    (void)r;
}

int pktd_capture_fd(const pktd_capture *c)
{
    int rc = readable(c);
    return rc != 0 ? rc : c->fd;
}

uint64_t pktd_capture_ts_ns(const pktd_capture *c) { return c != NULL ? c->ts_ns : 0; }
uint32_t pktd_capture_wire_len(const pktd_capture *c) { return c != NULL ? c->wire_len : 0; }
uint32_t pktd_capture_ifindex(const pktd_capture *c) { return c != NULL ? c->ifidx : 0; }
uint32_t pktd_capture_pkttype(const pktd_capture *c) { return c != NULL ? c->pkttype : 0; }
size_t pktd_capture_buffer_size(const pktd_capture *c) { return c != NULL && c->active ? c->buf_actual : 0; }

uint32_t pktd_capture_linktype(const pktd_capture *c)
{
    return c != NULL ? pktd__cap_backend(c)->linktype : 0;
}

uint32_t pktd_capture_snaplen(const pktd_capture *c) { return c != NULL ? c->snaplen : 0; }

uint32_t pktd_capture_tpacket_version(const pktd_capture *c)
{
    return c != NULL && c->active ? c->version : 0;
}

int pktd_capture_stats(pktd_capture *c, uint64_t *stats, size_t n)
{
    int rc = readable(c);
    if (rc != 0)
        return rc;
    if (stats == NULL && n > 0)
        return PKTD_E_INVALID_ARGUMENT;
    uint64_t pending = 0;
    rc = c->ops->stats(c, &pending);
    if (rc < 0)
        return rc;
    uint64_t v[PKTD_CAPTURE_STAT_COUNT] = {
        [PKTD_CAPTURE_STAT_RECEIVED] = c->st_received,
        [PKTD_CAPTURE_STAT_DROPPED] = c->st_dropped,
        [PKTD_CAPTURE_STAT_DELIVERED] = c->st_delivered,
        [PKTD_CAPTURE_STAT_FILTERED] = c->st_filtered,
        [PKTD_CAPTURE_STAT_PENDING] = pending,
    };
    size_t k = n < PKTD_CAPTURE_STAT_COUNT ? n : PKTD_CAPTURE_STAT_COUNT;
    for (size_t i = 0; i < k; i++)
        stats[i] = v[i];
    return (int)PKTD_CAPTURE_STAT_COUNT;
}

const char *pktd_capture_errmsg(const pktd_capture *c)
{
    return c != NULL ? c->errmsg : "";
}

void pktd__cap_test_hooks(pktd_capture *c, const struct pktd__cap_hooks *hooks)
{
    c->hooks = hooks;
}
