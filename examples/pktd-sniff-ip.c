/* pktd-sniff-ip: the seed's IP sniffer on the library's IP-layer capture
 * (an AF_INET raw socket for one protocol).  Interface: doc/programs.md,
 * "Seed-parity sniffers".
 *
 *   pktd-sniff-ip [-6] [-c COUNT] [-P PROTO]
 *
 * PROTO is a number or icmp, igmp, tcp, udp, rdp (icmpv6 with -6; default
 * icmp, or icmpv6 with -6).  One line per packet: "ICMP: 10.0.0.1 ->
 * 10.0.0.2", with -6 "ICMPv6: fe80::1 -> fe80::2" (an AF_INET6 raw socket;
 * the library synthesizes the IPv6 header).  Statistics on stderr at exit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <pktdecode.h>

#include "privs.h"
#include "sniff.h"

static const char *prog = "pktd-sniff-ip";

static const struct {
    const char *name;
    unsigned number;
} protos[] = {
    {"ICMP", 1}, {"IGMP", 2}, {"TCP", 6}, {"UDP", 17}, {"RDP", 27}, {"ICMPv6", 58},
};

static int parse_proto(const char *s)
{
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
        if (strcasecmp(s, protos[i].name) == 0)
            return (int)protos[i].number;
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > 254)
        return -1;
    return (int)v;
}

static const char *proto_name(unsigned proto)
{
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
        if (protos[i].number == proto)
            return protos[i].name;
    return NULL;
}

static void put_ip(uint32_t a)
{
    printf("%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

struct sink {
    pktd_capture *cap;
    uint64_t n;
};

static void on_packet(void *user, const uint8_t *data, size_t caplen)
{
    struct sink *s = user;
    s->n++;
    pktd_packet p;
    (void)pktd_decode(&p, pktd_capture_linktype(s->cap), data, caplen);
    int v6 = pktd_packet_has(&p, PKTD_LAYER_IPV6);
    if (!v6 && !pktd_packet_has(&p, PKTD_LAYER_IPV4))
        return;
    /* The synthesized IPv6 header's next header is the socket's protocol. */
    unsigned proto = v6 ? pktd_ipv6_next(&p) : pktd_ipv4_proto(&p);
    const char *name = proto_name(proto);
    if (name != NULL)
        printf("%s: ", name);
    else
        printf("Unknown(%u): ", proto);
    if (v6) {
        char src[PKTD_IPV6_STRLEN], dst[PKTD_IPV6_STRLEN];
        (void)pktd_ipv6_format(pktd_ipv6_src(&p), src, sizeof src);
        (void)pktd_ipv6_format(pktd_ipv6_dst(&p), dst, sizeof dst);
        printf("%s -> %s", src, dst);
    } else {
        put_ip(pktd_ipv4_src(&p));
        fputs(" -> ", stdout);
        put_ip(pktd_ipv4_dst(&p));
    }
    putchar('\n');
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int64_t count = -1;
    int proto = 0, opt, family = 4;
    while ((opt = getopt(argc, argv, "6c:P:h")) != -1) {
        switch (opt) {
        case '6':
            family = 6;
            break;
        case 'c':
            if ((count = sniff_parse_count(optarg)) < 0) {
                fprintf(stderr, "%s: -c: not a count: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'P':
            if ((proto = parse_proto(optarg)) < 0) {
                fprintf(stderr,
                        "%s: -P: not a protocol (1 ... 254, icmp, igmp, tcp, udp, rdp, icmpv6): %s\n",
                        prog, optarg);
                return 2;
            }
            break;
        case 'h':
            printf("usage: %s [-6] [-c COUNT] [-P PROTO]\n", prog);
            return 0;
        default:
            fprintf(stderr, "usage: %s [-6] [-c COUNT] [-P PROTO]\n", prog);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: %s [-6] [-c COUNT] [-P PROTO]\n", prog);
        return 2;
    }
    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&c, NULL, errbuf);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", prog, errbuf);
        return 1;
    }
    if (proto == 0)
        proto = family == 6 ? 58 : 1; /* ICMPv6 or ICMP */
    rc = pktd_capture_set_ip_protocol(c, (uint32_t)proto);
    if (rc == 0 && family == 6)
        rc = pktd_capture_set_ip_family(c, 6);
    if (rc == 0)
        rc = pktd_capture_activate(c);
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
        pktd_capture_close(c);
        return 1;
    }
    /* The socket is open: nothing after this needs a privilege, and the
     * packets it reads are anyone's to forge. */
    if (privs_give_up_all(prog) < 0) {
        pktd_capture_close(c);
        return 1;
    }
    sniff_catch_signals(c);
    struct sink s = {c, 0};
    int status = 0;
    while (count < 0 || s.n < (uint64_t)count) {
        const uint8_t *data;
        size_t caplen;
        rc = pktd_capture_next(c, &data, &caplen);
        if (rc == 1) {
            on_packet(&s, data, caplen);
        } else if (rc == PKTD_E_BREAK) {
            break;
        } else if (rc < 0) {
            fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
            status = 1;
            break;
        }
    }
    if (sniff_stopped())
        sniff_drain(c, on_packet, &s);
    sniff_print_stats(prog, c, s.n);
    pktd_capture_close(c);
    return status;
}
