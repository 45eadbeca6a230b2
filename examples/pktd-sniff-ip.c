/* pktd-sniff-ip: the seed's IP sniffer on the library's IP-layer capture
 * (an AF_INET raw socket for one protocol).  Interface: doc/programs.md,
 * "Seed-parity sniffers".
 *
 *   pktd-sniff-ip [-c COUNT] [-P PROTO]
 *
 * PROTO is a number or icmp, igmp, tcp, udp, rdp (default icmp).  One line
 * per packet: "ICMP: 10.0.0.1 -> 10.0.0.2".  Statistics on stderr at exit. */
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
    {"ICMP", 1}, {"IGMP", 2}, {"TCP", 6}, {"UDP", 17}, {"RDP", 27},
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
    if (!pktd_packet_has(&p, PKTD_LAYER_IPV4))
        return;
    unsigned proto = pktd_ipv4_proto(&p);
    const char *name = NULL;
    for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
        if (protos[i].number == proto)
            name = protos[i].name;
    if (name != NULL)
        printf("%s: ", name);
    else
        printf("Unknown(%u): ", proto);
    put_ip(pktd_ipv4_src(&p));
    fputs(" -> ", stdout);
    put_ip(pktd_ipv4_dst(&p));
    putchar('\n');
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int64_t count = -1;
    int proto = 1, opt;
    while ((opt = getopt(argc, argv, "c:P:h")) != -1) {
        switch (opt) {
        case 'c':
            if ((count = sniff_parse_count(optarg)) < 0) {
                fprintf(stderr, "%s: -c: not a count: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'P':
            if ((proto = parse_proto(optarg)) < 0) {
                fprintf(stderr, "%s: -P: not a protocol (1 ... 254, icmp, igmp, tcp, udp, rdp): %s\n",
                        prog, optarg);
                return 2;
            }
            break;
        case 'h':
            printf("usage: %s [-c COUNT] [-P PROTO]\n", prog);
            return 0;
        default:
            fprintf(stderr, "usage: %s [-c COUNT] [-P PROTO]\n", prog);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: %s [-c COUNT] [-P PROTO]\n", prog);
        return 2;
    }
    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&c, NULL, errbuf);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", prog, errbuf);
        return 1;
    }
    rc = pktd_capture_set_ip_protocol(c, (uint32_t)proto);
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
