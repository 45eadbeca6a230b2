/* pktd-bench-flood: send Ethernet frames onto an interface at a fixed rate,
 * for the capture benchmark (tests/bench/capture-bench.sh runs it inside a
 * network namespace, on one end of a veth pair).
 *
 *   pktd-bench-flood -i IFACE [-r PPS] [-t SECONDS] [-n COUNT] [-f FILE.pcap] [-b BATCH]
 *
 * Frames: those of FILE (classic pcap, Ethernet), cycled, frames longer than
 * 1514 bytes skipped; without -f a 60-byte UDP frame to port 9999 (so that
 * `udp dst port 9999` keeps every one) whose source port counts up.  They go out through an AF_PACKET socket that bypasses the
 * qdisc, BATCH (default 32) per sendmmsg() call, paced so that the average
 * rate is PPS (default 1000000), for SECONDS or, with -n, until COUNT
 * frames are sent (SECONDS is then only a limit).  Prints `sent N secs S pps X` at the end.
 * Needs CAP_NET_RAW. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_BATCH 256
#define MAX_ETH_FRAME 1514u

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The built-in frame: Ethernet + IPv4 + UDP, 60 bytes with padding. */
static void small_frame(uint8_t *f)
{
    static const uint8_t hdr[42] = {
        0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,     /* Ethernet */
        0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, /* IPv4 */
        0x9c, 0x40, 0x27, 0x0f, 0, 8, 0, 0};                                /* UDP */
    uint32_t sum = 0;
    memset(f, 0, 60);
    memcpy(f, hdr, sizeof hdr);
    for (int i = 14; i < 34; i += 2)
        sum += (uint32_t)(f[i] << 8 | f[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    put16(f + 24, ~sum & 0xffff);
}

int main(int argc, char **argv)
{
    const char *iface = NULL, *file = NULL;
    uint32_t rate = 1000000, secs = 5, batch = 32, limit = 0;
    int c;
    while ((c = getopt(argc, argv, "i:r:t:n:f:b:")) != -1) {
        switch (c) {
        case 'i':
            iface = optarg;
            break;
        case 'r':
            if (bench_parse_u32(optarg, &rate) != 0 || rate == 0)
                goto usage;
            break;
        case 't':
            if (bench_parse_u32(optarg, &secs) != 0 || secs == 0)
                goto usage;
            break;
        case 'n':
            if (bench_parse_u32(optarg, &limit) != 0 || limit == 0)
                goto usage;
            break;
        case 'f':
            file = optarg;
            break;
        case 'b':
            if (bench_parse_u32(optarg, &batch) != 0 || batch == 0 || batch > MAX_BATCH)
                goto usage;
            break;
        default:
            goto usage;
        }
    }
    if (iface == NULL || optind != argc)
        goto usage;

    /* The frames to send. */
    struct bench_frames frames;
    static uint8_t own[60];
    uint32_t nframes;
    if (file != NULL) {
        char err[256];
        if (bench_frames_load_pcap(&frames, file, 0, err, sizeof err) != 0) {
            fprintf(stderr, "pktd-bench-flood: %s\n", err);
            return 1;
        }
        uint32_t k = 0;
        for (uint32_t i = 0; i < frames.n; i++)
            if (frames.v[i].linktype == 1 && frames.v[i].len >= 14 &&
                frames.v[i].len <= MAX_ETH_FRAME)
                frames.v[k++] = frames.v[i];
        frames.n = k;
        if (k == 0) {
            fprintf(stderr, "pktd-bench-flood: %s: no Ethernet frame of at most 1514 bytes\n",
                    file);
            return 1;
        }
        nframes = k;
    } else {
        small_frame(own);
        nframes = 0;
    }

    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "pktd-bench-flood: socket(AF_PACKET): %s\n", strerror(errno));
        return 1;
    }
    int one = 1;
    /* Straight to the driver: the qdisc would only add cost and drops. */
    (void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = (int)if_nametoindex(iface);
    sll.sll_protocol = 0;
    if (sll.sll_ifindex == 0) {
        fprintf(stderr, "pktd-bench-flood: %s: %s\n", iface, strerror(errno));
        return 1;
    }
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
        fprintf(stderr, "pktd-bench-flood: bind(%s): %s\n", iface, strerror(errno));
        return 1;
    }

    static struct mmsghdr msgs[MAX_BATCH];
    static struct iovec iov[MAX_BATCH];
    static uint8_t own_batch[MAX_BATCH][60];
    uint64_t sent = 0, next = 0;
    uint64_t t0 = bench_now_ns(), deadline = t0 + (uint64_t)secs * 1000000000u;
    uint64_t now = t0;
    while (now < deadline && (limit == 0 || sent < limit)) {
        /* Pace: never ahead of rate x elapsed by more than one batch. */
        uint64_t allowed = (uint64_t)((double)(now - t0) * rate / 1e9) + batch;
        if (sent + batch > allowed) {
            struct timespec ts = {0, 20000};
            nanosleep(&ts, NULL);
            now = bench_now_ns();
            continue;
        }
        for (uint32_t i = 0; i < batch; i++) {
            memset(&msgs[i], 0, sizeof msgs[i]);
            if (nframes > 0) {
                const struct bench_frame *fr = &frames.v[next++ % nframes];
                iov[i].iov_base = (void *)(uintptr_t)fr->data;
                iov[i].iov_len = fr->len;
            } else {
                memcpy(own_batch[i], own, sizeof own);
                put16(own_batch[i] + 34, 1024 + (uint32_t)(next++ % 60000));
                iov[i].iov_base = own_batch[i];
                iov[i].iov_len = sizeof own;
            }
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        uint32_t want = batch;
        if (limit != 0 && limit - sent < want)
            want = (uint32_t)(limit - sent);
        int n = sendmmsg(fd, msgs, want, 0);
        if (n < 0) {
            if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
                now = bench_now_ns();
                continue;
            }
            fprintf(stderr, "pktd-bench-flood: sendmmsg: %s\n", strerror(errno));
            return 1;
        }
        sent += (uint64_t)n;
        now = bench_now_ns();
    }
    double s = (double)(now - t0) / 1e9;
    printf("sent %" PRIu64 " secs %.3f pps %.0f\n", sent, s, sent / s);
    close(fd);
    if (file != NULL)
        bench_frames_free(&frames);
    return 0;
usage:
    fprintf(stderr, "usage: pktd-bench-flood -i IFACE [-r PPS] [-t SECONDS] [-n COUNT] [-f FILE.pcap] "
                    "[-b BATCH]\n");
    return 2;
}
