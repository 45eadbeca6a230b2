/* Live capture: the handle's private layout and the backend interface,
 * shared by capture.c (generic handle: life cycle, options, errors, waiting,
 * statistics), the backends capture_ring.c (AF_PACKET TPACKET_V3/V2 ring),
 * capture_inet.c (AF_INET raw socket) and capture_inet6.c (AF_INET6, 1.1),
 * and capture_filter.c (kernel filter attachment).  Not installed.  doc/design.md, "Capture backends",
 * says how to add a backend. */
#ifndef PKTD_CAPTURE_INT_H
#define PKTD_CAPTURE_INT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>
#include <net/if.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_bpf.h"
#include "errmsg.h"
#include "proto.h"

/* Room kept in front of each frame so a VLAN tag the kernel removed can be
 * put back without copying the frame (PACKET_RESERVE): one tag. */
#define PKTD__CAP_VLAN_LEN PKTD__VLAN_TAG_LEN

/* Largest packet a ring slot is sized for: an IPv4 datagram plus link header
 * and two VLAN tags.  Bigger (GRO/BIG TCP) packets are cut by the kernel,
 * with their wire length kept. */
#define PKTD__CAP_MAX_PKT (65535u + PKTD__ETH_HLEN + 2u * PKTD__VLAN_TAG_LEN + PKTD__CAP_VLAN_LEN)

struct pktd__cap_ops;

/* Test hooks: a handle's pointer to them is NULL except in the tests that
 * set it (pktd__cap_test_hooks), so none of their fields are in the handle. */
struct pktd__cap_hooks {
    size_t fail_ring_above;   /* pretend PACKET_RX_RING fails above this size (0: off) */
    size_t totalram;          /* pretend the machine has this much memory (0: off) */
    /* Called when a TPACKET_V3 block or V2 frame passes to user space,
     * before the library reads anything in it: the fault tests corrupt
     * what the kernel wrote. */
    void (*ring_ready)(void *arg, uint8_t *area, size_t len, uint32_t version);
    void *arg;
};

struct pktd_capture {
    /* ---- options (create .. activate) ---- */
    char device[IF_NAMESIZE]; /* "" = all interfaces */
    uint32_t ip_proto;        /* 0 = link layer, else AF_INET raw for this protocol */
    uint32_t linktype_req;    /* link layer: 0 = Ethernet, else LINKTYPE_LINUX_SLL2 */
    uint32_t ip_family;       /* IP layer: 4 (AF_INET, the default) or 6 (AF_INET6, 1.1) */
    uint32_t snaplen;
    int promisc;
    size_t buffer_size;
    uint32_t block_tmo_ms;
    int32_t timeout_ms;
    int immediate;
    uint32_t version_req;
    uint32_t direction;
    int fanout;
    uint32_t fanout_mode;
    uint32_t fanout_group;
    int nonblock;
    int ready_only;           /* dispatch past its first packet: no wait, not even poll(0) */
    uint64_t deadline_ns;     /* CLOCK_MONOTONIC end of the current read's wait; 0 = none */

    /* ---- filter ---- */
    struct sock_filter *prog; /* user program, NULL = none */
    size_t prog_len;
    int prog_userland;        /* run in user space on the re-tagged frame (vlan expressions) */
    char *expr;               /* expression to recompile if the link type changes */
    int expr_optimize;
    uint32_t expr_linktype;   /* link type the expression was compiled for */
    uint32_t expr_snaplen;    /* snap length it was compiled with */

    /* ---- state ---- */
    const struct pktd__cap_ops *ops; /* the active backend, NULL while inactive */
    int active;
    int fd;
    int efd;                  /* eventfd for pktd_capture_breakloop() */
    atomic_int brk;           /* break requested */
    int ifindex;              /* 0 = all */
    int lo_ifindex;           /* loopback's index in this namespace, 0 if none */
    size_t buf_actual;

    /* Packets from before a filter change are re-checked in user space: any
     * ring frame stamped at or before this time (ns). */
    uint64_t refilter_until_ns;

    /* ---- AF_PACKET ring (capture_ring.c) ---- */
    uint32_t version;         /* 2 or 3; 0 while inactive or with another backend */
    uint8_t *map;
    size_t map_len;
    uint32_t block_size, block_nr, frame_size, frame_nr;
    uint32_t cur;             /* V3: current block; V2: current frame */
    int holding;              /* the current block/frame belongs to us */
    uint8_t *next_pkt;        /* V3: next packet header in the current block */
    uint8_t *blk_end;         /* V3: end of the current block */
    uint32_t pkts_left;       /* V3: packets after next_pkt in the current block */
    uint32_t blk_max_pkts;    /* V3: most packets a block of block_size can hold */

    /* ---- AF_INET raw socket (capture_inet.c, capture_rawsock.c) ---- */
    uint8_t *rxbuf;           /* one datagram */
    size_t rxbuf_len;
    uint32_t inet_drops_seen; /* last cumulative socket drop count read */
    /* AF_INET6 (capture_inet6.c) uses the same three: rxbuf holds the
     * synthesized 40-byte IPv6 header, then the datagram's payload. */

    /* ---- the current packet ---- */
    uint64_t ts_ns;
    uint32_t wire_len;
    uint32_t ifidx;
    uint32_t pkttype;

    /* A failure that ends the capture (a corrupt ring): pktd_capture_next()
     * and pktd_capture_dispatch() return it from then on; 0 = none. */
    int failed;
    /* The bound interface was removed: CLOCK_MONOTONIC time (ns) after
     * which the capture ends with "interface X was removed"; 0 = not. */
    uint64_t gone_ns;

    /* ---- statistics (running totals) ---- */
    uint64_t st_received;
    uint64_t st_dropped;
    uint64_t st_delivered;
    uint64_t st_filtered;

    const struct pktd__cap_hooks *hooks; /* NULL outside the tests */

    char errmsg[PKTD_ERRBUF_SIZE];
};

/* One capture backend: the socket kind, its link type and what differs
 * between backends.  The generic code (capture.c, capture_filter.c) reaches
 * a backend only through this table, chosen by pktd__cap_backend() and kept
 * in c->ops at activation. */
struct pktd__cap_ops {
    const char *name;         /* for messages: "AF_PACKET ring" */
    uint32_t linktype;        /* LINKTYPE_* of the packets handed out */
    /* The socket sees both directions at the link layer: the kernel filter
     * gets the direction prefix, and promiscuous mode, fanout and direction
     * apply (else activation warns that they are ignored). */
    uint8_t link_layer;
    /* Without a user filter the kernel filter still cuts packets to the
     * snap length (saves buffer space). */
    uint8_t kernel_snap;
    /* The kernel removes VLAN tags before the filter runs: programs testing
     * "vlan" run in user space on the re-tagged frame. */
    uint8_t vlan_offload;
    /* The library counts received packets itself, so packets drained from
     * the socket at a filter change count as received and filtered. */
    uint8_t counts_received;
    /* The library builds the link header the caller sees (cooked SLL2), so
     * the user program never runs in the kernel, only in user space on the
     * built packet (the kernel still tests the direction). */
    uint8_t builds_header;

    /* Open c->fd and make it capture; on failure the generic code calls
     * close.  Returns 0, PKTD_CAPTURE_WARNING or < 0 with c->errmsg set. */
    int (*activate)(pktd_capture *c);
    /* The next packet: 1 (data, caplen and c->ts_ns, wire_len, ifidx,
     * pkttype set), 0 timeout, or < 0.  Waits with pktd__cap_wait(). */
    int (*next)(pktd_capture *c, const uint8_t **data, size_t *caplen);
    /* Add the kernel's counts since the last call into c->st_*; set
     * *pending to the packets queued but not yet read.  0 or < 0. */
    int (*stats)(pktd_capture *c, uint64_t *pending);
    /* Free what activate set up, except c->fd (closed by the caller). */
    void (*close)(pktd_capture *c);
};

extern const struct pktd__cap_ops pktd__cap_ring_ops; /* capture_ring.c */
/* The same ring handing out every interface's packets behind a built Linux
 * cooked v2 header (capture_ring.c). */
extern const struct pktd__cap_ops pktd__cap_ring_sll2_ops;
extern const struct pktd__cap_ops pktd__cap_inet_ops; /* capture_inet.c */
/* AF_INET6 raw socket behind a synthesized IPv6 header (capture_inet6.c). */
extern const struct pktd__cap_ops pktd__cap_inet6_ops;

/* What the AF_INET and AF_INET6 raw-socket backends share
 * (capture_rawsock.c). */
struct msghdr;
struct cmsghdr;
struct iovec;
/* socket(@p family, SOCK_RAW, @p proto) into c->fd (@p family_name in the
 * message), rejecting every packet until pktd__cap_inet_finish(), bound
 * to the handle's device if one was named, with SO_TIMESTAMPNS.  0 or < 0. */
int pktd__cap_inet_open(pktd_capture *c, int family, const char *family_name, uint32_t proto);
/* The rest of the activation, after the family's options: SO_RXQ_OVFL,
 * the receive buffer, a datagram buffer of @p rxbuf_len bytes, the drop
 * count to start from, and the filter.  0 or < 0. */
int pktd__cap_inet_finish(pktd_capture *c, size_t rxbuf_len);
/* A receive header for one buffer (@p iov) and @p ctl_len bytes of room
 * for control messages at @p ctl, no address. */
void pktd__cap_inet_msg(struct msghdr *msg, struct iovec *iov, void *ctl, size_t ctl_len);
/* Receive one datagram with @p msg (buffers set by the caller; each
 * attempt starts from it again): retries EINTR, waits with
 * pktd__cap_wait() while nothing is queued, counts it received.  1 with
 * *len = the length MSG_TRUNC reports (may pass the buffer), 0 on
 * timeout, or < 0. */
int pktd__cap_inet_recv(pktd_capture *c, struct msghdr *msg, size_t *len);
/* A control message of the socket level (SOL_SOCKET): the timestamp into
 * *ts_ns, or the cumulative drop count, accounted.  1 when @p cm was one,
 * 0 for any other (the family's). */
int pktd__cap_inet_cmsg(pktd_capture *c, const struct cmsghdr *cm, uint64_t *ts_ns);
/* Hand out the packet of @p snap bytes at @p pkt: its time (@p ts_ns, the
 * clock's now when 0), wire length, PKTD_CAPTURE_PKT_HOST, and the
 * snapshot length cut.  Returns 1. */
int pktd__cap_inet_deliver(pktd_capture *c, uint64_t ts_ns, uint32_t wire_len,
                           const uint8_t *pkt, size_t snap, const uint8_t **data, size_t *caplen);
int pktd__cap_inet_stats(pktd_capture *c, uint64_t *pending);
void pktd__cap_inet_close(pktd_capture *c);

/* The backend the handle's options select (capture.c): the only place that
 * knows every backend. */
const struct pktd__cap_ops *pktd__cap_backend(const pktd_capture *c);

/* A failed system call: c->errmsg = the formatted text (pktd__errmsgf: it
 * may quote errmsg itself), then ": <pktd_strerror(code)>" and, for common
 * errno values, what to do about it; returns @p code.  Every other capture
 * error is a plain pktd__errmsgf(c->errmsg, code, ...). */
int pktd__cap_fail_sys(pktd_capture *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The index of c->device (the handle's socket asks), failing with the
 * call and its reason, or with "interface X is down" when it is not up;
 * @p ifr keeps the device's name and flags for further ioctls.  Shared by
 * the ring and the raw-socket backends. */
int pktd__cap_device_up(pktd_capture *c, struct ifreq *ifr, int *ifindex);

/* The IPv6 header (and, for a payload past 65 535 bytes, a hop-by-hop
 * Jumbo Payload header) capture_inet6.c writes in front of @p payload,
 * whose 48 preceding bytes are free; returns its length (exposed for the
 * unit tests). */
struct in6_addr;
size_t pktd__inet6_header(uint8_t *payload, uint32_t tclass, size_t plen, uint32_t nh,
                          uint32_t hops, const struct in6_addr *src, const struct in6_addr *dst);

/* Nanoseconds since the epoch (CLOCK_REALTIME, as packet timestamps). */
uint64_t pktd__cap_now_ns(void);

/* Wait until fd is readable, the timeout passes or a break is requested.
 * Returns 1 readable, 0 timeout, PKTD_E_BREAK, or -errno. */
int pktd__cap_wait(pktd_capture *c);
/* Consume a pending break request: PKTD_E_BREAK if there was one, else 0. */
int pktd__cap_take_break(pktd_capture *c);

/* Ring geometry for a request (capture_ring.c, exposed for the unit tests);
 * @p mtu: the interface's MTU that sizes V2 frames, 0 when unknown. */
int pktd__cap_ring_geometry(uint32_t version, uint32_t snaplen, uint32_t mtu, size_t bytes,
                            size_t pagesize, uint32_t *block_size, uint32_t *block_nr,
                            uint32_t *frame_size, uint32_t *frame_nr);

/* Kernel filter (capture_filter.c): build the program for the handle's
 * direction and user filter and attach it; with @p drain, first reject
 * everything and empty the socket queue (a filter change on a live socket). */
int pktd__cap_filter_install(pktd_capture *c, int drain);
/* Attach the one-instruction reject-all program. */
int pktd__cap_filter_reject_all(pktd_capture *c);
/* Recompile a filter expression if the mode or snap length changed since. */
int pktd__cap_filter_refresh(pktd_capture *c);

/* Install test hooks (NULL removes them); only the internal tests call it.
 * The hooks must outlive their use by the handle. */
void pktd__cap_test_hooks(pktd_capture *c, const struct pktd__cap_hooks *hooks);

#endif /* PKTD_CAPTURE_INT_H */
