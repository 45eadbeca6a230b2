/* sendframes: writes hand-made Ethernet frames onto an interface through an
 * AF_PACKET socket, for the namespace capture tests.  Every frame is built
 * here, so the tests know exactly what was sent and how many.
 *
 *   sendframes -i DEV -k udp|tcp|icmp|arp|ip|flood [-n COUNT] [-s SRCMAC]
 *              [-d DSTMAC] [-S SRCIP] [-D DSTIP] [-p SPORT] [-q DPORT] [-r]
 *              [-o ARPOP] [-x IPPROTO] [-v VID[:PCP[:TPID]]] [-l PAYLOAD] [-X]
 *              [-b BATCH]
 *
 * -r gives frame i the source port SPORT + i (distinct flows); -X fills
 * TCP/UDP payloads with the bytes 0, 1, 2, ... instead of letters; kind "ip"
 * is a bare IPv4 datagram of protocol IPPROTO.  "flood" frames have
 * EtherType 0x88b5 (local experimental) and a 32-bit sequence number.  All
 * frames go out with sendmmsg() in batches.  Prints "sent N" and exits 0
 * when all COUNT frames were accepted by the kernel. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXFRAME 1514

static int parse_mac(const char *s, uint8_t *m)
{
    unsigned v[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        m[i] = (uint8_t)v[i];
    return 0;
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

struct opts {
    const char *kind;
    uint8_t src[6], dst[6];
    struct in_addr sip, dip;
    unsigned long sport, dport, arpop, paylen, ipproto;
    int vary_port, binary;
    int vlan;
    unsigned vid, pcp, tpid;
};

/* Frame number i; returns its length. */
static size_t build(const struct opts *o, uint8_t *f, unsigned long i)
{
    memset(f, 0, MAXFRAME);
    memcpy(f, o->dst, 6);
    memcpy(f + 6, o->src, 6);
    size_t l2 = 12;
    if (o->vlan) {
        put16(f + l2, o->tpid);
        put16(f + l2 + 2, o->pcp << 13 | o->vid);
        l2 += 4;
    }
    size_t len;
    unsigned sport = (unsigned)(o->vary_port ? o->sport + i : o->sport) & 0xffff;
    if (strcmp(o->kind, "arp") == 0) {
        put16(f + l2, ETH_P_ARP);
        uint8_t *a = f + l2 + 2;
        put16(a, 1);
        put16(a + 2, ETH_P_IP);
        a[4] = 6;
        a[5] = 4;
        put16(a + 6, (unsigned)o->arpop);
        memcpy(a + 8, o->src, 6);
        memcpy(a + 14, &o->sip, 4);
        if (o->arpop == 2)
            memcpy(a + 18, o->dst, 6);
        memcpy(a + 24, &o->dip, 4);
        len = l2 + 2 + 28;
    } else if (strcmp(o->kind, "flood") == 0) {
        put16(f + l2, 0x88b5);
        put32(f + l2 + 2, (uint32_t)i);
        len = l2 + 2 + 4 + o->paylen;
    } else {
        put16(f + l2, ETH_P_IP);
        uint8_t *ip = f + l2 + 2;
        uint8_t *l4 = ip + 20;
        size_t l4len;
        unsigned proto;
        if (strcmp(o->kind, "tcp") == 0) {
            proto = 6;
            l4len = 20 + o->paylen;
            put16(l4, sport);
            put16(l4 + 2, (unsigned)o->dport);
            put32(l4 + 4, 1000);
            put32(l4 + 8, 0);
            l4[12] = 5 << 4;
            l4[13] = 0x18; /* PSH,ACK */
            put16(l4 + 14, 65535);
            for (size_t k = 0; k < o->paylen; k++)
                l4[20 + k] = o->binary ? (uint8_t)k : (uint8_t)('a' + k % 26);
        } else if (strcmp(o->kind, "icmp") == 0) {
            proto = 1;
            l4len = 8 + o->paylen;
            l4[0] = 8; /* echo request */
            put16(l4 + 4, 0x1234);
            put16(l4 + 6, (unsigned)(i + 1));
        } else if (strcmp(o->kind, "ip") == 0) {
            proto = (unsigned)o->ipproto;
            l4len = o->paylen;
        } else {
            proto = 17;
            l4len = 8 + o->paylen;
            put16(l4, sport);
            put16(l4 + 2, (unsigned)o->dport);
            put16(l4 + 4, (unsigned)l4len);
            for (size_t k = 0; k < o->paylen; k++)
                l4[8 + k] = o->binary ? (uint8_t)k : (uint8_t)('a' + k % 26);
        }
        ip[0] = 0x45;
        put16(ip + 2, (unsigned)(20 + l4len));
        put16(ip + 4, 0x4242);
        put16(ip + 6, 0x4000);
        ip[8] = 64;
        ip[9] = (uint8_t)proto;
        memcpy(ip + 12, &o->sip, 4);
        memcpy(ip + 16, &o->dip, 4);
        put16(ip + 10, fold(sum16(ip, 20, 0)));
        if (proto == 1) {
            put16(l4 + 2, fold(sum16(l4, l4len, 0)));
        } else if (proto == 6 || proto == 17) {
            uint32_t ph = sum16(ip + 12, 8, 0) + proto + (uint32_t)l4len;
            uint16_t cs = fold(sum16(l4, l4len, ph));
            put16(l4 + (proto == 6 ? 16 : 6), cs == 0 && proto == 17 ? 0xffff : cs);
        }
        len = l2 + 2 + 20 + l4len;
    }
    return len < 60 ? 60 : len; /* minimum Ethernet frame without FCS */
}

int main(int argc, char **argv)
{
    const char *dev = NULL, *vlan = NULL;
    struct opts o = {.kind = "udp",
                     .src = {2, 0, 0, 0, 0, 1},
                     .dst = {2, 0, 0, 0, 0, 2},
                     .sport = 40000,
                     .dport = 9000,
                     .arpop = 1,
                     .paylen = 18,
                     .ipproto = 253};
    inet_pton(AF_INET, "10.9.0.1", &o.sip);
    inet_pton(AF_INET, "10.9.0.2", &o.dip);
    unsigned long count = 1, batch = 64;
    int opt;
    while ((opt = getopt(argc, argv, "i:k:n:s:d:S:D:p:q:ro:x:v:l:Xb:")) != -1) {
        switch (opt) {
        case 'i': dev = optarg; break;
        case 'k': o.kind = optarg; break;
        case 'n': count = strtoul(optarg, NULL, 0); break;
        case 's': if (parse_mac(optarg, o.src)) return 2; break;
        case 'd': if (parse_mac(optarg, o.dst)) return 2; break;
        case 'S': if (inet_pton(AF_INET, optarg, &o.sip) != 1) return 2; break;
        case 'D': if (inet_pton(AF_INET, optarg, &o.dip) != 1) return 2; break;
        case 'p': o.sport = strtoul(optarg, NULL, 0); break;
        case 'q': o.dport = strtoul(optarg, NULL, 0); break;
        case 'r': o.vary_port = 1; break;
        case 'o': o.arpop = strtoul(optarg, NULL, 0); break;
        case 'x': o.ipproto = strtoul(optarg, NULL, 0); break;
        case 'v': vlan = optarg; break;
        case 'l': o.paylen = strtoul(optarg, NULL, 0); break;
        case 'X': o.binary = 1; break;
        case 'b': batch = strtoul(optarg, NULL, 0); break;
        default: return 2;
        }
    }
    if (dev == NULL || batch == 0 || batch > 1024 || o.paylen > 1400) {
        fprintf(stderr, "usage: sendframes -i DEV -k KIND [options]\n");
        return 2;
    }
    if (vlan != NULL) {
        o.vlan = 1;
        o.tpid = 0x8100;
        if (sscanf(vlan, "%u:%u:%x", &o.vid, &o.pcp, &o.tpid) < 1)
            return 2;
    }
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("socket(AF_PACKET)");
        return 1;
    }
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = (int)if_nametoindex(dev);
    if (sll.sll_ifindex == 0) {
        perror(dev);
        return 1;
    }
    /* Bound with protocol 0: send only, never on the receive path. */
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
        perror("bind");
        return 1;
    }
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);

    uint8_t (*frames)[MAXFRAME] = calloc(batch, MAXFRAME);
    struct mmsghdr *msgs = calloc(batch, sizeof *msgs);
    struct iovec *iov = calloc(batch, sizeof *iov);
    if (frames == NULL || msgs == NULL || iov == NULL)
        return 1;
    for (unsigned long i = 0; i < batch; i++) {
        iov[i].iov_base = frames[i];
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned long sent = 0;
    unsigned retries = 0;
    while (sent < count) {
        unsigned long n = count - sent < batch ? count - sent : batch;
        for (unsigned long i = 0; i < n; i++)
            iov[i].iov_len = build(&o, frames[i], sent + i);
        int r = sendmmsg(fd, msgs, (unsigned)n, 0);
        if (r < 0) {
            if ((errno == ENOBUFS || errno == EAGAIN || errno == EINTR) && retries++ < 100000) {
                struct timespec ts = {0, 20000};
                nanosleep(&ts, NULL);
                continue;
            }
            perror("sendmmsg");
            break;
        }
        /* Partly sent: the next round rebuilds from the first unsent frame. */
        sent += (unsigned long)r;
    }
    printf("sent %lu\n", sent);
    free(frames);
    free(msgs);
    free(iov);
    close(fd);
    return sent == count ? 0 : 1;
}
