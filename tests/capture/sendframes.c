/* sendframes: writes hand-made Ethernet frames onto an interface through an
 * AF_PACKET socket, for the namespace capture tests.  Every frame is built
 * here, so the tests know exactly what was sent and how many.
 *
 *   sendframes -i DEV -k udp|tcp|icmp|arp|flood [-n COUNT] [-s SRCMAC]
 *              [-d DSTMAC] [-S SRCIP] [-D DSTIP] [-p SPORT] [-q DPORT]
 *              [-o ARPOP] [-v VID[:PCP[:TPID]]] [-l PAYLOAD] [-b BATCH]
 *
 * "flood" frames have EtherType 0x88b5 (local experimental) and a 32-bit
 * sequence number, and are sent with sendmmsg() in batches.  Prints
 * "sent N" and exits 0 when all COUNT frames were accepted by the kernel. */
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

int main(int argc, char **argv)
{
    const char *dev = NULL, *kind = "udp", *vlan = NULL;
    uint8_t src[6] = {2, 0, 0, 0, 0, 1}, dst[6] = {2, 0, 0, 0, 0, 2};
    struct in_addr sip, dip;
    inet_pton(AF_INET, "10.9.0.1", &sip);
    inet_pton(AF_INET, "10.9.0.2", &dip);
    unsigned long count = 1, sport = 40000, dport = 9000, arpop = 1, paylen = 18, batch = 64;
    int opt;
    while ((opt = getopt(argc, argv, "i:k:n:s:d:S:D:p:q:o:v:l:b:")) != -1) {
        switch (opt) {
        case 'i': dev = optarg; break;
        case 'k': kind = optarg; break;
        case 'n': count = strtoul(optarg, NULL, 0); break;
        case 's': if (parse_mac(optarg, src)) return 2; break;
        case 'd': if (parse_mac(optarg, dst)) return 2; break;
        case 'S': if (inet_pton(AF_INET, optarg, &sip) != 1) return 2; break;
        case 'D': if (inet_pton(AF_INET, optarg, &dip) != 1) return 2; break;
        case 'p': sport = strtoul(optarg, NULL, 0); break;
        case 'q': dport = strtoul(optarg, NULL, 0); break;
        case 'o': arpop = strtoul(optarg, NULL, 0); break;
        case 'v': vlan = optarg; break;
        case 'l': paylen = strtoul(optarg, NULL, 0); break;
        case 'b': batch = strtoul(optarg, NULL, 0); break;
        default: return 2;
        }
    }
    if (dev == NULL || batch == 0 || batch > 1024 || paylen > 1400) {
        fprintf(stderr, "usage: sendframes -i DEV -k KIND [options]\n");
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
    sll.sll_halen = 6;
    memcpy(sll.sll_addr, dst, 6);
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

    /* Link header, with an optional tag. */
    uint8_t tmpl[MAXFRAME];
    memset(tmpl, 0, sizeof tmpl);
    memcpy(tmpl, dst, 6);
    memcpy(tmpl + 6, src, 6);
    size_t l2 = 12;
    if (vlan != NULL) {
        unsigned vid = 0, pcp = 0, tpid = 0x8100;
        if (sscanf(vlan, "%u:%u:%x", &vid, &pcp, &tpid) < 1)
            return 2;
        put16(tmpl + l2, tpid);
        put16(tmpl + l2 + 2, pcp << 13 | vid);
        l2 += 4;
    }
    size_t len;
    int flood = strcmp(kind, "flood") == 0;
    if (strcmp(kind, "arp") == 0) {
        put16(tmpl + l2, ETH_P_ARP);
        uint8_t *a = tmpl + l2 + 2;
        put16(a, 1);
        put16(a + 2, ETH_P_IP);
        a[4] = 6;
        a[5] = 4;
        put16(a + 6, (unsigned)arpop);
        memcpy(a + 8, src, 6);
        memcpy(a + 14, &sip, 4);
        if (arpop == 2)
            memcpy(a + 18, dst, 6);
        memcpy(a + 24, &dip, 4);
        len = l2 + 2 + 28;
    } else if (flood) {
        put16(tmpl + l2, 0x88b5);
        len = l2 + 2 + 4 + paylen;
    } else {
        put16(tmpl + l2, ETH_P_IP);
        uint8_t *ip = tmpl + l2 + 2;
        uint8_t *l4 = ip + 20;
        size_t l4len;
        int proto;
        if (strcmp(kind, "tcp") == 0) {
            proto = 6;
            l4len = 20 + paylen;
            put16(l4, (unsigned)sport);
            put16(l4 + 2, (unsigned)dport);
            put32(l4 + 4, 1000);
            put32(l4 + 8, 0);
            l4[12] = 5 << 4;
            l4[13] = 0x18; /* PSH,ACK */
            put16(l4 + 14, 65535);
            for (size_t i = 0; i < paylen; i++)
                l4[20 + i] = (uint8_t)('a' + i % 26);
        } else if (strcmp(kind, "icmp") == 0) {
            proto = 1;
            l4len = 8 + paylen;
            l4[0] = 8; /* echo request */
            put16(l4 + 4, 0x1234);
            put16(l4 + 6, 1);
        } else {
            proto = 17;
            l4len = 8 + paylen;
            put16(l4, (unsigned)sport);
            put16(l4 + 2, (unsigned)dport);
            put16(l4 + 4, (unsigned)l4len);
            for (size_t i = 0; i < paylen; i++)
                l4[8 + i] = (uint8_t)i;
        }
        ip[0] = 0x45;
        put16(ip + 2, (unsigned)(20 + l4len));
        put16(ip + 4, 0x4242);
        put16(ip + 6, 0x4000);
        ip[8] = 64;
        ip[9] = (uint8_t)proto;
        memcpy(ip + 12, &sip, 4);
        memcpy(ip + 16, &dip, 4);
        put16(ip + 10, fold(sum16(ip, 20, 0)));
        if (proto == 1) {
            put16(l4 + 2, fold(sum16(l4, l4len, 0)));
        } else {
            uint32_t ph = sum16(ip + 12, 8, 0) + (uint32_t)proto + (uint32_t)l4len;
            uint16_t cs = fold(sum16(l4, l4len, ph));
            put16(l4 + (proto == 6 ? 16 : 6), cs == 0 && proto == 17 ? 0xffff : cs);
        }
        len = l2 + 2 + 20 + l4len;
    }
    if (len < 60)
        len = 60; /* minimum Ethernet frame without FCS */

    /* Batches of frames; in a flood each gets its sequence number. */
    uint8_t (*frames)[MAXFRAME] = calloc(batch, MAXFRAME);
    struct mmsghdr *msgs = calloc(batch, sizeof *msgs);
    struct iovec *iov = calloc(batch, sizeof *iov);
    if (frames == NULL || msgs == NULL || iov == NULL)
        return 1;
    for (unsigned long i = 0; i < batch; i++) {
        memcpy(frames[i], tmpl, len);
        iov[i].iov_base = frames[i];
        iov[i].iov_len = len;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    unsigned long sent = 0;
    unsigned retries = 0;
    while (sent < count) {
        unsigned long n = count - sent < batch ? count - sent : batch;
        if (flood)
            for (unsigned long i = 0; i < n; i++)
                put32(frames[i] + l2 + 2, (uint32_t)(sent + i));
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
        /* Partly sent: the next round renumbers from the first unsent frame. */
        sent += (unsigned long)r;
    }
    printf("sent %lu\n", sent);
    return sent == count ? 0 : 1;
}
