/* AF_PACKET capture through a TPACKET_V3 (or V2) memory-mapped ring.
 *
 * Setup order (as netsniff-ng, and libpcap since 1.10): a socket with
 * protocol 0 receives nothing; version, reserve and ring are set, the ring
 * mapped, the filter attached, and only then is the socket bound to
 * ETH_P_ALL.  No unfiltered packet can reach the ring, so no drain is needed
 * at activation.
 *
 * Ownership of a block (V3) or frame (V2) passes between kernel and user
 * through its status word: read with acquire semantics before touching the
 * data, hand back with a release store of TP_STATUS_KERNEL (the "proper
 * memory sync" fix of libpcap 1.10.0, issue #898). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/sockios.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"

/* Block descriptor header size, as the kernel's BLK_PLUS_PRIV(0). */
#define BLK_HDR_LEN ((sizeof(struct tpacket_block_desc) + 7u) & ~7u)

/* The least a packet takes in the ring, and the least MAC offset the kernel
 * gives (tpacket_rcv: header, sockaddr_ll, then our reserve): offsets the
 * kernel writes are checked against these and the block or frame end. */
#define V3_PKT_MIN ((uint32_t)TPACKET3_HDRLEN)
#define V3_MAC_MIN ((uint32_t)TPACKET3_HDRLEN + PKTD__CAP_VLAN_LEN)
#define V2_MAC_MIN ((uint32_t)TPACKET2_HDRLEN + PKTD__CAP_VLAN_LEN)
/* A packet header offset must keep the header aligned (the kernel aligns to
 * TPACKET_ALIGNMENT; the struct needs only this). */
#define V3_HDR_MISALIGNED(off) (((off) & (_Alignof(struct tpacket3_hdr) - 1u)) != 0)

/* The block size a V3 ring refused by the kernel (ENOMEM) is halved down
 * to before it is made smaller (create_ring()). */
#define V3_RETRY_BLOCK (256u << 10)

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096u;
}

static uint32_t snap_effective(uint32_t snaplen)
{
    return snaplen < PKTD__CAP_MAX_PKT ? snaplen : PKTD__CAP_MAX_PKT;
}

int pktd__cap_ring_geometry(uint32_t version, uint32_t snaplen, uint32_t mtu, size_t bytes,
                            size_t pagesize, uint32_t *block_size, uint32_t *block_nr,
                            uint32_t *frame_size, uint32_t *frame_nr)
{
    size_t hdrlen = version == 3 ? TPACKET3_HDRLEN : TPACKET2_HDRLEN;
    /* Where the kernel puts the MAC header (tpacket_rcv, SOCK_RAW): the
     * header, room for a 16-byte link header, aligned, plus our reserve. */
    size_t macoff = TPACKET_ALIGN(hdrlen + 16u) + PKTD__CAP_VLAN_LEN;
    /* A V2 frame holds the longest packet the interface can pass: its MTU
     * plus the Ethernet header and two tags, when it is known (libpcap
     * sizes frames the same way); else an IPv4 datagram's worth.  V3
     * packets take only their own length in a block. */
    uint32_t pkt = snap_effective(snaplen);
    if (version == 2 && mtu != 0 && (uint64_t)mtu + PKTD__ETH_HLEN + 2u * PKTD__VLAN_TAG_LEN < pkt)
        pkt = mtu + PKTD__ETH_HLEN + 2u * PKTD__VLAN_TAG_LEN;
    size_t frame = TPACKET_ALIGN(macoff + pkt);
    size_t need = version == 3 ? BLK_HDR_LEN + frame : frame;
    size_t block = pagesize;
    while (block < need)
        block <<= 1;
    /* Bigger blocks waste less of the ring (V2: a frame never straddles a
     * block) and mean fewer wakeups: V3 wakes the reader once per block
     * handed over, and under a flood each wakeup (poll, sleep, switch back)
     * costs more than a thousand packets' own work (doc/performance.md §8:
     * the default 4 MiB ring as 8 blocks of 512 KiB instead of 16 of
     * 256 KiB took pktd-sniff from 1 100 to 650 wakeups per 2 million
     * packets and its CPU per packet down by a fifth).  Stop at 1 MiB, and
     * keep at least 8 blocks when the ring is large enough. */
    size_t cap = 1u << 20;
    while (block < cap && block * 2u <= bytes / 8u)
        block <<= 1;
    if (block > (size_t)INT_MAX) /* the kernel takes the block size as an int */
        return PKTD_E_TOO_LARGE;
    size_t nr = bytes / block + (bytes % block != 0);
    if (nr < 2)
        nr = 2; /* one block loses packets while it is being read (libpcap #843) */
    size_t per_block = version == 3 ? 1u : block / frame;
    if (nr > UINT32_MAX || nr > UINT32_MAX / per_block)
        return PKTD_E_TOO_LARGE;
    *block_size = (uint32_t)block;
    *block_nr = (uint32_t)nr;
    /* V3 keeps variable-size packets in blocks; its "frames" only have to
     * satisfy tpacket_req's consistency check, so one frame per block. */
    *frame_size = version == 3 ? (uint32_t)block : (uint32_t)frame;
    *frame_nr = (uint32_t)(nr * per_block);
    return 0;
}

/* Interface index, flags and hardware type of c->device. */
static int lookup_device(pktd_capture *c, int *ifindex, int *hatype)
{
    struct ifreq ifr;
    int rc = pktd__cap_device_up(c, &ifr, ifindex);
    if (rc != 0)
        return rc;
    if (ioctl(c->fd, SIOCGIFHWADDR, &ifr) != 0)
        return pktd__cap_fail_sys(c, -errno, "SIOCGIFHWADDR(%s)", c->device);
    *hatype = ifr.ifr_hwaddr.sa_family;
    return 0;
}

static int loopback_index(pktd_capture *c)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    return ioctl(c->fd, SIOCGIFINDEX, &ifr) == 0 ? ifr.ifr_ifindex : 0;
}

static size_t machine_memory(const pktd_capture *c)
{
    if (c->hooks != NULL && c->hooks->totalram != 0)
        return c->hooks->totalram;
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        return 0;
    return (size_t)si.totalram * si.mem_unit;
}

static int set_version(pktd_capture *c)
{
    int want_v2 = c->immediate || c->version_req == PKTD_CAPTURE_TPACKET_V2;
    if (c->immediate && c->version_req == PKTD_CAPTURE_TPACKET_V3)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "immediate mode needs TPACKET_V2: V3 hands packets over in blocks");
    int v = TPACKET_V3;
    if (!want_v2) {
        if (setsockopt(c->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) == 0) {
            c->version = 3;
            return 0;
        }
        if (c->version_req == PKTD_CAPTURE_TPACKET_V3)
            return pktd__cap_fail_sys(c, -errno, "setsockopt(PACKET_VERSION, TPACKET_V3)");
    }
    v = TPACKET_V2;
    if (setsockopt(c->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(PACKET_VERSION, TPACKET_V2)");
    c->version = 2;
    return 0;
}

/* Whether the interface may hand the taps packets longer than its MTU:
 * TCP or UDP segmentation in hardware (outgoing packets reach the taps
 * before the NIC cuts them) and large or generic receive offload (merged
 * incoming packets); libpcap asks the same questions.  Software GSO is not
 * one: it segments before the taps see the packet.  An interface that
 * does not answer (no ethtool support) is assumed to offload. */
static int offloads(const pktd_capture *c)
{
    static const uint32_t cmds[] = {ETHTOOL_GTSO, ETHTOOL_GUFO, ETHTOOL_GGRO, ETHTOOL_GFLAGS};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        struct ethtool_value ev = {.cmd = cmds[i]};
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        memcpy(ifr.ifr_name, c->device, strlen(c->device) + 1);
        ifr.ifr_data = (void *)&ev;
        if (ioctl(c->fd, SIOCETHTOOL, &ifr) != 0) {
            if (errno == EOPNOTSUPP && cmds[i] == ETHTOOL_GUFO)
                continue; /* UFO was removed from the kernel (4.14) */
            return 1;
        }
        if (cmds[i] == ETHTOOL_GFLAGS ? (ev.data & ETH_FLAG_LRO) != 0 : ev.data != 0)
            return 1;
    }
    return 0;
}

/* The MTU a V2 frame is sized from: the interface's, when packets cannot
 * be longer (an MTU raised during the capture cuts longer packets, their
 * wire length kept, as in libpcap); 0 (size for 64 KiB) on all interfaces,
 * with offloads, or when the MTU cannot be read. */
static uint32_t frame_mtu(const pktd_capture *c)
{
    if (c->ifindex == 0 || c->ifindex == c->lo_ifindex)
        return 0;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, c->device, strlen(c->device) + 1);
    if (ioctl(c->fd, SIOCGIFMTU, &ifr) != 0 || ifr.ifr_mtu <= 0)
        return 0;
    return offloads(c) ? 0 : (uint32_t)ifr.ifr_mtu;
}

/* Ask for the ring; on ENOMEM retry with 5 % fewer blocks (at least one
 * fewer), down to two.  Returns 0, PKTD_CAPTURE_WARNING (smaller ring) or < 0. */
static int create_ring(pktd_capture *c)
{
    size_t want = c->buffer_size;
    size_t mem = machine_memory(c);
    int halved = mem != 0 && want > mem / 2;
    if (halved)
        want = mem / 2;
    uint32_t bs, bn, fs, fn;
    int rc = pktd__cap_ring_geometry(c->version, c->snaplen, c->version == 2 ? frame_mtu(c) : 0,
                                     want, page_size(), &bs, &bn, &fs, &fn);
    if (rc != 0)
        return pktd__errmsgf(c->errmsg, rc,
                             "ring of %zu bytes cannot be described to the kernel", want);
    size_t first_bytes = (size_t)bs * bn;
    uint32_t per_block = fn / bn;
    for (;;) {
        union {
            struct tpacket_req req;
            struct tpacket_req3 req3;
        } r;
        memset(&r, 0, sizeof r);
        r.req3.tp_block_size = bs;
        r.req3.tp_block_nr = bn;
        r.req3.tp_frame_size = fs;
        r.req3.tp_frame_nr = bn * per_block;
        if (c->version == 3)
            r.req3.tp_retire_blk_tov = c->block_tmo_ms; /* 0: the kernel chooses */
        size_t bytes = (size_t)bs * bn;
        int err;
        if (c->hooks != NULL && c->hooks->fail_ring_above != 0 &&
            bytes > c->hooks->fail_ring_above) {
            err = ENOMEM; /* unit tests: pretend the kernel ran out of memory */
        } else if (setsockopt(c->fd, SOL_PACKET, PACKET_RX_RING, &r,
                              c->version == 3 ? sizeof r.req3 : sizeof r.req) == 0) {
            break;
        } else {
            err = errno;
        }
        /* V3 blocks above 256 KiB are first halved, the ring's size kept:
         * the kernel allocates each block in one piece, which may fail
         * where smaller ones succeed; then the ring shrinks as before. */
        if (err == ENOMEM && c->version == 3 && bs > V3_RETRY_BLOCK && bn <= UINT32_MAX / 2u) {
            bs /= 2u;
            bn *= 2u;
            fs = bs;
            continue;
        }
        if (err != ENOMEM || bn <= 2)
            return pktd__cap_fail_sys(c, -err,
                                      "setsockopt(PACKET_RX_RING, %u blocks of %u KiB = %zu KiB)",
                                      bn, bs >> 10, bytes >> 10);
        uint32_t fewer = bn / 20u > 0 ? bn / 20u : 1u;
        bn = bn - fewer < 2 ? 2 : bn - fewer;
    }
    c->block_size = bs;
    c->block_nr = bn;
    c->frame_size = fs;
    c->frame_nr = bn * per_block;
    c->map_len = (size_t)bs * bn;
    c->buf_actual = c->map_len;
    int retried = c->map_len < first_bytes;
    if (!halved && !retried)
        return 0;
    /* The warning: each reason the ring is smaller than asked, then its size. */
    c->errmsg[0] = '\0';
    if (halved)
        pktd__errmsgf(c->errmsg, 0,
                      "ring of %zu KiB exceeds half of the machine's memory (%zu KiB); ",
                      c->buffer_size >> 10, mem >> 10);
    if (retried)
        pktd__errmsgf(c->errmsg, 0,
                      "%sthe kernel could not allocate %zu KiB (ENOMEM); retried smaller; ",
                      c->errmsg, first_bytes >> 10);
    return pktd__errmsgf(c->errmsg, PKTD_CAPTURE_WARNING,
                         "%susing a ring of %zu KiB (%u blocks of %u KiB)",
                         c->errmsg, c->map_len >> 10, bn, bs >> 10);
}

static int ring_activate(pktd_capture *c)
{
    int warning = 0;
    c->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return pktd__cap_fail_sys(c, -errno, "socket(AF_PACKET, SOCK_RAW)");
    c->ifindex = 0;
    int rc;
    if (c->device[0] != '\0') {
        int hatype = 0;
        rc = lookup_device(c, &c->ifindex, &hatype);
        if (rc != 0)
            return rc;
        if (!c->ops->builds_header && hatype != ARPHRD_ETHER && hatype != ARPHRD_LOOPBACK)
            return pktd__errmsgf(c->errmsg, PKTD_E_UNSUPPORTED,
                                 "interface %s has hardware type %d: only Ethernet and "
                                 "loopback interfaces are supported (any interface with "
                                 "the Linux cooked link type)",
                                 c->device, hatype);
    }
    c->lo_ifindex = loopback_index(c);

    /* Ask for precise receive timestamps: without a socket that wants them
     * the kernel leaves packets unstamped, and the ring falls back to a
     * coarse clock of jiffy resolution (tpacket_get_timestamp). */
    int one = 1;
    if (setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_TIMESTAMPNS)");
    rc = set_version(c);
    if (rc != 0)
        return rc;
    unsigned reserve = PKTD__CAP_VLAN_LEN; /* must precede PACKET_RX_RING */
    if (setsockopt(c->fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(PACKET_RESERVE)");
    rc = create_ring(c);
    if (rc < 0)
        return rc;
    if (rc == PKTD_CAPTURE_WARNING)
        warning = 1;
    void *m = mmap(NULL, c->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
    if (m == MAP_FAILED) {
        c->map_len = 0;
        return pktd__cap_fail_sys(c, -errno, "mmap of the %zu KiB ring", c->buf_actual >> 10);
    }
    c->map = m;
    c->cur = 0;
    c->holding = 0;
    c->pkts_left = 0;
    c->next_pkt = NULL;
    c->blk_end = NULL;
    c->blk_max_pkts = c->version == 3 ? (uint32_t)((c->block_size - BLK_HDR_LEN) / V3_PKT_MIN) : 0;

    if (c->promisc && c->ifindex != 0) {
        struct packet_mreq mr;
        memset(&mr, 0, sizeof mr);
        mr.mr_ifindex = c->ifindex;
        mr.mr_type = PACKET_MR_PROMISC;
        if (setsockopt(c->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0)
            return pktd__cap_fail_sys(c, -errno, "setsockopt(PACKET_ADD_MEMBERSHIP, promiscuous)");
    } else if (c->promisc) {
        /* Keep a ring warning already recorded, and add this one. */
        pktd__errmsgf(c->errmsg, PKTD_CAPTURE_WARNING,
                      "%s%spromiscuous mode is not available when capturing "
                      "on all interfaces", warning ? c->errmsg : "", warning ? "; " : "");
        warning = 1;
    }

    /* The filter goes on before bind.  A fanout member first rejects
     * everything, so the packets that reach it between bind and joining the
     * group (when it is not yet sharing) are not seen twice. */
    rc = c->fanout ? pktd__cap_filter_reject_all(c) : pktd__cap_filter_install(c, 0);
    if (rc != 0)
        return rc;

    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = c->ifindex;
    if (bind(c->fd, (struct sockaddr *)&sll, sizeof sll) != 0)
        return pktd__cap_fail_sys(c, -errno, "bind(%s)", c->device[0] ? c->device : "all interfaces");
    /* An interface that is down makes bind succeed and report ENETDOWN in
     * SO_ERROR (af_packet.c, packet_do_bind). */
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr != 0)
        return pktd__cap_fail_sys(c, -soerr, "bind(%s)", c->device[0] ? c->device : "all interfaces");

    if (c->fanout) {
        uint32_t arg = c->fanout_group | (c->fanout_mode << 16);
        if (setsockopt(c->fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) != 0)
            return pktd__cap_fail_sys(c, -errno,
                                      "setsockopt(PACKET_FANOUT, group %u, mode 0x%x): members must "
                                      "use the same mode and interface",
                                      c->fanout_group, c->fanout_mode);
        rc = pktd__cap_filter_install(c, 0);
        if (rc != 0)
            return rc;
    }
    if (!warning)
        c->errmsg[0] = '\0';
    return warning ? PKTD_CAPTURE_WARNING : 0;
}

static void ring_close(pktd_capture *c)
{
    if (c->map != NULL)
        munmap(c->map, c->map_len);
    c->map = NULL;
    c->map_len = 0;
    c->buf_actual = 0;
    c->holding = 0;
}

static struct tpacket_block_desc *block_at(const pktd_capture *c, uint32_t i)
{
    return (struct tpacket_block_desc *)(void *)(c->map + (size_t)i * c->block_size);
}

static void *frame_at(const pktd_capture *c, uint32_t i)
{
    uint32_t per_block = c->block_size / c->frame_size;
    return c->map + (size_t)(i / per_block) * c->block_size + (size_t)(i % per_block) * c->frame_size;
}

static uint32_t load_acquire(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void ring_release(pktd_capture *c)
{
    if (!c->holding)
        return;
    if (c->version == 3) {
        store_release(&block_at(c, c->cur)->hdr.bh1.block_status, TP_STATUS_KERNEL);
        c->cur = (c->cur + 1) % c->block_nr;
        c->pkts_left = 0;
        c->next_pkt = NULL;
    } else {
        struct tpacket2_hdr *h = frame_at(c, c->cur);
        store_release(&h->tp_status, TP_STATUS_KERNEL);
        c->cur = (c->cur + 1) % c->frame_nr;
    }
    c->holding = 0;
}

/* The fields both header versions have, gathered for deliver(). */
struct ring_pkt {
    uint8_t *hdr;
    const struct sockaddr_ll *sll;
    uint32_t status, len, snaplen, sec, nsec;
    uint16_t mac, net, vlan_tci, vlan_tpid;
    uint32_t room; /* bytes from hdr to the end of its block or frame */
};

static uint32_t bpf_aux_run(const pktd_capture *c, const struct ring_pkt *r, const uint8_t *frame,
                            size_t caplen, int tags_inline)
{
    struct pktd__bpf_aux aux = {
        .len = r->len,
        .protocol = ntohs(r->sll->sll_protocol),
        .pkttype = r->sll->sll_pkttype,
        .ifindex = (uint32_t)r->sll->sll_ifindex,
        .hatype = r->sll->sll_hatype,
        .net_off = (uint32_t)(r->net - r->mac),
    };
    if (!tags_inline && (r->vlan_tci != 0 || (r->status & TP_STATUS_VLAN_VALID))) {
        aux.vlan_present = 1;
        aux.vlan_tci = r->vlan_tci;
        aux.vlan_tpid = (r->status & TP_STATUS_VLAN_TPID_VALID) ? r->vlan_tpid : PKTD__TPID_8021Q;
    }
    return pktd__bpf_run(c->prog, c->prog_len, frame, caplen, &aux);
}

/* Apply the user-space checks to one ring packet, put its VLAN tag back,
 * and hand it out.  Returns 1 when delivered, 0 when the library drops it
 * (counted in st_filtered).  Forced inline into both ring walks: as a call
 * it was about 20 of the ~250 instructions a captured packet costs
 * (pktd-bench capture writing pcap), and GCC does not inline it alone. */
static inline __attribute__((always_inline)) int deliver(pktd_capture *c, const struct ring_pkt *r,
                                                         const uint8_t **data, size_t *caplen)
{
    uint8_t *frame = r->hdr + r->mac;
    size_t snap = r->snaplen;
    uint32_t wire = r->len;
    uint32_t pkttype = r->sll->sll_pkttype;
    uint32_t ifidx = (uint32_t)r->sll->sll_ifindex;
    uint64_t ts = (uint64_t)r->sec * 1000000000u + r->nsec;

    /* The kernel filter already removes these; checked again so that a
     * packet that slipped past (no filter attached) is counted, not shown. */
    if (pkttype == PACKET_OUTGOING) {
        if (c->direction == PKTD_CAPTURE_DIR_IN ||
            (c->direction == PKTD_CAPTURE_DIR_BOTH && ifidx == (uint32_t)c->lo_ifindex))
            goto drop;
    } else if (c->direction == PKTD_CAPTURE_DIR_OUT) {
        goto drop;
    }
    if (c->ifindex == 0 && r->sll->sll_hatype != ARPHRD_ETHER &&
        r->sll->sll_hatype != ARPHRD_LOOPBACK)
        goto drop; /* all interfaces: a frame that is not Ethernet-framed */

    /* Packets from before a filter change meet the new filter here. */
    if (c->prog != NULL && !c->prog_userland && ts <= c->refilter_until_ns) {
        uint32_t keep = bpf_aux_run(c, r, frame, snap, 0);
        if (keep == 0)
            goto drop;
        if (keep < snap)
            snap = keep;
    }

    /* Put back the tag the kernel took out (802.1Q or the TPID it reports). */
    if ((r->vlan_tci != 0 || (r->status & TP_STATUS_VLAN_VALID)) && snap >= 12u) {
        uint16_t tpid = (r->status & TP_STATUS_VLAN_TPID_VALID) ? r->vlan_tpid : PKTD__TPID_8021Q;
        memmove(frame - PKTD__CAP_VLAN_LEN, frame, PKTD__ETH_TYPE_OFF);
        frame -= PKTD__CAP_VLAN_LEN;
        uint8_t *tag = frame + PKTD__ETH_TYPE_OFF; /* TPID, then TCI */
        tag[0] = (uint8_t)(tpid >> 8);
        tag[1] = (uint8_t)tpid;
        tag[2] = (uint8_t)(r->vlan_tci >> 8);
        tag[3] = (uint8_t)r->vlan_tci;
        snap += PKTD__CAP_VLAN_LEN;
        wire += PKTD__CAP_VLAN_LEN;
    }

    if (c->prog != NULL && c->prog_userland) {
        uint32_t keep = bpf_aux_run(c, r, frame, snap, 1);
        if (keep == 0)
            goto drop;
        if (keep < snap)
            snap = keep;
    }
    if (snap > c->snaplen)
        snap = c->snaplen;
    c->ts_ns = ts;
    c->wire_len = wire;
    c->ifidx = ifidx;
    c->pkttype = pkttype;
    *data = frame;
    *caplen = snap;
    return 1;
drop:
    c->st_filtered++;
    return 0;
}

/* Where a cooked header may start at the earliest: after the tpacket
 * header, whose status word the kernel still reads.  The kernel puts the
 * network header at least 16 + PACKET_RESERVE bytes after the sockaddr_ll
 * (tpacket_rcv), so the 20-byte header and a 4-byte tag fit in front of it
 * and overwrite at most the sockaddr_ll, read before. */
#define SLL2_NET_MIN(hdrlen) ((uint32_t)(hdrlen) + 16u + PKTD__CAP_VLAN_LEN)

static __attribute__((noinline, cold)) int corrupt(pktd_capture *c, const char *field, uint64_t value,
                                                   const char *limit, uint64_t bound);

/* deliver() for the cooked link type: replace the link header by a Linux
 * cooked v2 header built from the sockaddr_ll (as libpcap does for
 * LINKTYPE_LINUX_SLL2), put back a VLAN tag the kernel removed, and run
 * the user program here on the result.  Returns 1 delivered, 0 dropped
 * (counted in st_filtered), < 0 for an impossible network offset. */
static inline __attribute__((always_inline)) int deliver_sll2(pktd_capture *c, const struct ring_pkt *r,
                                                              uint32_t hdrlen, const uint8_t **data,
                                                              size_t *caplen)
{
    const struct sockaddr_ll *sll = r->sll;
    uint32_t pkttype = sll->sll_pkttype;
    uint32_t ifidx = (uint32_t)sll->sll_ifindex;
    if (pkttype == PACKET_OUTGOING) {
        if (c->direction == PKTD_CAPTURE_DIR_IN ||
            (c->direction == PKTD_CAPTURE_DIR_BOTH && ifidx == (uint32_t)c->lo_ifindex))
            goto drop;
    } else if (c->direction == PKTD_CAPTURE_DIR_OUT) {
        goto drop;
    }
    uint32_t net = r->net;
    if (pktd__unlikely(net < r->mac || net < SLL2_NET_MIN(hdrlen) || net > r->room))
        return corrupt(c, "tp_net", net, "tp_mac .. bytes left", r->room);
    uint32_t linklen = net - r->mac;
    size_t snap = r->snaplen > linklen ? r->snaplen - linklen : 0; /* network layer on */
    uint32_t wire = r->len > linklen ? r->len - linklen : 0;
    int tagged = r->vlan_tci != 0 || (r->status & TP_STATUS_VLAN_VALID);
    uint32_t hlen = PKTD__SLL2_HLEN + (tagged ? PKTD__CAP_VLAN_LEN : 0u);

    /* Gather the fields before writing: the header may overlap the
     * sockaddr_ll. */
    uint8_t h[PKTD__SLL2_HLEN + PKTD__CAP_VLAN_LEN];
    uint16_t proto = ntohs(sll->sll_protocol);
    uint16_t hatype = sll->sll_hatype;
    uint8_t halen = sll->sll_halen < PKTD__SLL_ADDR_MAX ? sll->sll_halen : PKTD__SLL_ADDR_MAX;
    memset(h, 0, sizeof h);
    if (tagged) {
        uint16_t tpid = (r->status & TP_STATUS_VLAN_TPID_VALID) ? r->vlan_tpid : PKTD__TPID_8021Q;
        h[PKTD__SLL2_HLEN] = (uint8_t)(r->vlan_tci >> 8);
        h[PKTD__SLL2_HLEN + 1] = (uint8_t)r->vlan_tci;
        h[PKTD__SLL2_HLEN + 2] = (uint8_t)(proto >> 8);
        h[PKTD__SLL2_HLEN + 3] = (uint8_t)proto;
        proto = tpid;
    }
    h[0] = (uint8_t)(proto >> 8); /* protocol; 2 bytes reserved, zero */
    h[1] = (uint8_t)proto;
    h[4] = (uint8_t)(ifidx >> 24); /* interface index */
    h[5] = (uint8_t)(ifidx >> 16);
    h[6] = (uint8_t)(ifidx >> 8);
    h[7] = (uint8_t)ifidx;
    h[8] = (uint8_t)(hatype >> 8); /* ARPHRD_ type */
    h[9] = (uint8_t)hatype;
    h[10] = (uint8_t)pkttype;
    h[11] = halen;
    memcpy(h + 12, sll->sll_addr, halen);
    uint8_t *frame = r->hdr + net - hlen;
    memcpy(frame, h, hlen);
    snap += hlen;
    wire += hlen;

    if (c->prog != NULL) {
        struct pktd__bpf_aux aux = {
            .len = wire,
            .protocol = ntohs(sll->sll_protocol),
            .pkttype = pkttype,
            .ifindex = ifidx,
            .hatype = hatype,
            .net_off = hlen,
        };
        uint32_t keep = pktd__bpf_run(c->prog, c->prog_len, frame, snap, &aux);
        if (keep == 0)
            goto drop;
        if (keep < snap)
            snap = keep;
    }
    if (snap > c->snaplen)
        snap = c->snaplen;
    c->ts_ns = (uint64_t)r->sec * 1000000000u + r->nsec;
    c->wire_len = wire;
    c->ifidx = ifidx;
    c->pkttype = pkttype;
    *data = frame;
    *caplen = snap;
    return 1;
drop:
    c->st_filtered++;
    return 0;
}

/* The kernel-written ring holds an impossible offset or count: stop the
 * capture (pktd_capture_next() returns the error from now on) rather than read
 * outside the block or frame.  Out of line: never taken. */
static __attribute__((noinline, cold)) int corrupt(pktd_capture *c, const char *field, uint64_t value,
                                                   const char *limit, uint64_t bound)
{
    c->failed = pktd__errmsgf(c->errmsg, PKTD_E_MALFORMED,
                              "corrupted TPACKET_V%u ring on %s (%s %u): %s %llu is out of "
                              "range (%s: %llu); capture stopped",
                              c->version, c->device[0] ? c->device : "all interfaces",
                              c->version == 3 ? "block" : "frame", c->cur, field,
                              (unsigned long long)value, limit, (unsigned long long)bound);
    c->pkts_left = 0;
    return c->failed;
}

/* Which of a V3 packet's offsets is out of range (room: bytes from its
 * header to the block end). */
static __attribute__((noinline, cold)) int corrupt_v3_pkt(pktd_capture *c, uint32_t mac, uint32_t snap,
                                                          uint32_t room)
{
    if (mac < V3_MAC_MIN)
        return corrupt(c, "tp_mac", mac, "least offset the kernel gives", V3_MAC_MIN);
    if (mac > room)
        return corrupt(c, "tp_mac", mac, "bytes left in the block", room);
    return corrupt(c, "tp_snaplen", snap, "bytes after tp_mac in the block", room - mac);
}

/* Take the current block: its packet count and first offset must fit. */
static int take_block(pktd_capture *c, struct tpacket_block_desc *bd)
{
    uint8_t *base = (uint8_t *)bd;
    if (pktd__unlikely(c->hooks != NULL && c->hooks->ring_ready != NULL))
        c->hooks->ring_ready(c->hooks->arg, base, c->block_size, 3);
    c->holding = 1;
    uint32_t n = bd->hdr.bh1.num_pkts;
    uint32_t first = bd->hdr.bh1.offset_to_first_pkt;
    if (pktd__unlikely(n > c->blk_max_pkts))
        return corrupt(c, "num_pkts", n, "a block holds at most", c->blk_max_pkts);
    if (pktd__unlikely(n > 0 && (first < BLK_HDR_LEN || first > c->block_size - V3_PKT_MIN ||
                                V3_HDR_MISALIGNED(first))))
        return corrupt(c, "offset_to_first_pkt", first, "block size", c->block_size);
    c->pkts_left = n;
    c->next_pkt = base + first;
    c->blk_end = base + c->block_size;
    return 0;
}

/* One packet from a V3 block; @p cooked (a constant in each caller) hands
 * it out behind a cooked header. */
static inline __attribute__((always_inline)) int next_v3(pktd_capture *c, const uint8_t **data,
                                                         size_t *caplen, const int cooked)
{
    for (;;) {
        if (c->holding && c->pkts_left == 0)
            ring_release(c);
        if (!c->holding) {
            struct tpacket_block_desc *bd = block_at(c, c->cur);
            if (!(load_acquire(&bd->hdr.bh1.block_status) & TP_STATUS_USER)) {
                int rc = pktd__cap_wait(c);
                if (rc <= 0)
                    return rc;
                continue;
            }
            int rc = take_block(c, bd);
            if (rc != 0)
                return rc;
            continue;
        }
        /* next_pkt is at least V3_PKT_MIN bytes before the block end (checked
         * when it was set), so the header and sockaddr_ll are inside.  The
         * packet must be too; one branch each in the usual case (which
         * field is wrong is worked out only on failure). */
        uint8_t *p = c->next_pkt;
        struct tpacket3_hdr *h = (struct tpacket3_hdr *)(void *)p;
        /* The block was written by the CPU that received the packets: ask
         * for the lines a few small packets ahead (about 160 bytes each with
         * their headers) while this one is handled.  A hint only: it never
         * faults, even past the block.  Measured interleaved under a flood
         * of 60-byte frames: 10-20 % less CPU per packet (doc/performance.md
         * §8). */
        __builtin_prefetch(p + 512);
        __builtin_prefetch(p + 576);
        size_t room = (size_t)(c->blk_end - p); /* >= V3_PKT_MIN */
        uint32_t mac = h->tp_mac, snap = h->tp_snaplen;
        if (pktd__unlikely(mac < V3_MAC_MIN || (uint64_t)mac + snap > room))
            return corrupt_v3_pkt(c, mac, snap, (uint32_t)room);
        if (--c->pkts_left > 0) {
            uint32_t next = h->tp_next_offset;
            if (pktd__unlikely(next > room - V3_PKT_MIN || next < V3_PKT_MIN ||
                              V3_HDR_MISALIGNED(next)))
                return corrupt(c, "tp_next_offset", next, "bytes left in the block", room);
            c->next_pkt = p + next;
        }
        struct ring_pkt r = {
            .hdr = (uint8_t *)h,
            .sll = (const struct sockaddr_ll *)(const void *)((uint8_t *)h +
                                                             TPACKET_ALIGN(sizeof *h)),
            .status = h->tp_status,
            .len = h->tp_len,
            .snaplen = snap,
            .sec = h->tp_sec,
            .nsec = h->tp_nsec,
            .mac = (uint16_t)mac,
            .net = h->tp_net,
            .vlan_tci = (uint16_t)h->hv1.tp_vlan_tci,
            .vlan_tpid = h->hv1.tp_vlan_tpid,
            .room = (uint32_t)room,
        };
        if (cooked) {
            int rc = deliver_sll2(c, &r, (uint32_t)TPACKET3_HDRLEN, data, caplen);
            if (rc != 0)
                return rc;
        } else if (deliver(c, &r, data, caplen)) {
            return 1;
        }
    }
}

static inline __attribute__((always_inline)) int next_v2(pktd_capture *c, const uint8_t **data,
                                                         size_t *caplen, const int cooked)
{
    for (;;) {
        ring_release(c);
        struct tpacket2_hdr *h = frame_at(c, c->cur);
        uint32_t status = load_acquire(&h->tp_status);
        if (!(status & TP_STATUS_USER)) {
            int rc = pktd__cap_wait(c);
            if (rc <= 0)
                return rc;
            continue;
        }
        if (pktd__unlikely(c->hooks != NULL && c->hooks->ring_ready != NULL))
            c->hooks->ring_ready(c->hooks->arg, (uint8_t *)h, c->frame_size, 2);
        c->holding = 1;
        uint32_t mac = h->tp_mac, snap = h->tp_snaplen;
        if (pktd__unlikely(mac < V2_MAC_MIN))
            return corrupt(c, "tp_mac", mac, "least offset the kernel gives", V2_MAC_MIN);
        if (pktd__unlikely(mac > c->frame_size))
            return corrupt(c, "tp_mac", mac, "frame size", c->frame_size);
        if (pktd__unlikely(snap > c->frame_size - mac))
            return corrupt(c, "tp_snaplen", snap, "bytes after tp_mac in the frame",
                           c->frame_size - mac);
        struct ring_pkt r = {
            .hdr = (uint8_t *)h,
            .sll = (const struct sockaddr_ll *)(const void *)((uint8_t *)h +
                                                             TPACKET_ALIGN(sizeof *h)),
            .status = status,
            .len = h->tp_len,
            .snaplen = snap,
            .sec = h->tp_sec,
            .nsec = h->tp_nsec,
            .mac = (uint16_t)mac,
            .net = h->tp_net,
            .vlan_tci = h->tp_vlan_tci,
            .vlan_tpid = h->tp_vlan_tpid,
            .room = c->frame_size,
        };
        if (cooked) {
            int rc = deliver_sll2(c, &r, (uint32_t)TPACKET2_HDRLEN, data, caplen);
            if (rc != 0)
                return rc;
        } else if (deliver(c, &r, data, caplen)) {
            return 1;
        }
    }
}

static int ring_next(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    return c->version == 3 ? next_v3(c, data, caplen, 0) : next_v2(c, data, caplen, 0);
}

static int ring_next_sll2(pktd_capture *c, const uint8_t **data, size_t *caplen)
{
    return c->version == 3 ? next_v3(c, data, caplen, 1) : next_v2(c, data, caplen, 1);
}

/* Packets in the ring not yet handed out. */
static uint64_t ring_pending(const pktd_capture *c)
{
    uint64_t n = 0;
    if (c->map == NULL)
        return 0;
    if (c->version == 3) {
        /* Ready blocks, the unread rest of the one being read, and the
         * block the kernel is filling: the one with the highest sequence
         * number, if the kernel still owns it. */
        uint64_t top_seq = 0;
        uint32_t top = 0;
        for (uint32_t i = 0; i < c->block_nr; i++) {
            struct tpacket_block_desc *bd = block_at(c, i);
            uint32_t st = load_acquire(&bd->hdr.bh1.block_status);
            if (bd->hdr.bh1.seq_num >= top_seq) {
                top_seq = bd->hdr.bh1.seq_num;
                top = i;
            }
            if (c->holding && i == c->cur)
                n += c->pkts_left;
            else if (st & TP_STATUS_USER)
                n += bd->hdr.bh1.num_pkts;
        }
        struct tpacket_block_desc *bd = block_at(c, top);
        if (top_seq != 0 && !(load_acquire(&bd->hdr.bh1.block_status) & TP_STATUS_USER) &&
            !(c->holding && top == c->cur))
            n += bd->hdr.bh1.num_pkts;
    } else {
        for (uint32_t i = 0; i < c->frame_nr; i++) {
            if (c->holding && i == c->cur)
                continue;
            struct tpacket2_hdr *h = frame_at(c, i);
            if (load_acquire(&h->tp_status) & TP_STATUS_USER)
                n++;
        }
    }
    return n;
}

static int ring_stats(pktd_capture *c, uint64_t *pending)
{
    /* Count the ring first: a packet arriving in between is then counted
     * as received and not yet as pending, never the other way round. */
    *pending = ring_pending(c);
    struct tpacket_stats_v3 st;
    socklen_t len = sizeof st;
    memset(&st, 0, sizeof st);
    if (getsockopt(c->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
        return pktd__cap_fail_sys(c, -errno, "getsockopt(PACKET_STATISTICS)");
    /* The kernel resets its counters on every read and has already added
     * the drops into tp_packets. */
    c->st_received += st.tp_packets;
    c->st_dropped += st.tp_drops;
    return 0;
}

const struct pktd__cap_ops pktd__cap_ring_ops = {
    .name = "AF_PACKET ring",
    .linktype = 1, /* LINKTYPE_ETHERNET */
    .link_layer = 1,
    .kernel_snap = 1,
    .vlan_offload = 1,
    .counts_received = 0, /* the kernel counts (PACKET_STATISTICS) */
    .activate = ring_activate,
    .next = ring_next,
    .stats = ring_stats,
    .close = ring_close,
};

/* The same socket and ring; the packets go out behind a built Linux cooked
 * v2 header, from every kind of interface. */
const struct pktd__cap_ops pktd__cap_ring_sll2_ops = {
    .name = "AF_PACKET ring (Linux cooked v2)",
    .linktype = 276, /* LINKTYPE_LINUX_SLL2 */
    .link_layer = 1,
    .kernel_snap = 0, /* the kernel would count the snap length from the link header */
    .vlan_offload = 0, /* the user program runs in user space anyway */
    .counts_received = 0,
    .builds_header = 1,
    .activate = ring_activate,
    .next = ring_next_sll2,
    .stats = ring_stats,
    .close = ring_close,
};
