/* pktd-sniff-tcp: the seed's TCP sniffer on the library's IP-layer capture
 * (an AF_INET raw socket for TCP).  Interface: doc/programs.md, "Seed-parity
 * sniffers".
 *
 *   pktd-sniff-tcp [-c COUNT]
 *
 * For each TCP segment that carries data (COUNT counts these):
 *   Port 40000 -> 8088 [PSH,ACK] Seq=123456
 *   Data: <the first 50 payload bytes, escaped>...
 * Flags in the order FIN,SYN,RST,PSH,ACK,URG.  Printable ASCII stands for
 * itself; \\, \n, \r, \t and \xNN escape the rest.  Statistics on stderr. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

#include "proto.h"

#include "privs.h"
#include "sniff.h"

static const char *prog = "pktd-sniff-tcp";

struct sink {
    pktd_capture *cap;
    uint64_t n;       /* packets read */
    uint64_t printed; /* segments with data shown */
};

static void put_escaped(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = d[i];
        if (b == '\\')
            fputs("\\\\", stdout);
        else if (b == '\n')
            fputs("\\n", stdout);
        else if (b == '\r')
            fputs("\\r", stdout);
        else if (b == '\t')
            fputs("\\t", stdout);
        else if (b >= 0x20 && b < 0x7f)
            putchar(b);
        else
            printf("\\x%02x", b);
    }
}

static void on_packet(void *user, const uint8_t *data, size_t caplen)
{
    struct sink *s = user;
    s->n++;
    pktd_packet p;
    (void)pktd_decode(&p, pktd_capture_linktype(s->cap), data, caplen);
    const uint8_t *pl;
    size_t pln;
    if (!pktd_packet_has(&p, PKTD_LAYER_TCP) || !pktd_packet_payload(&p, &pl, &pln) ||
        pln == 0)
        return;
    static const struct {
        uint8_t bit;
        const char *name;
    } flags[] = {{0x01, "FIN"}, {0x02, "SYN"}, {0x04, "RST"},
                 {0x08, "PSH"}, {0x10, "ACK"}, {0x20, "URG"}};
    uint8_t f = pktd_tcp_flags(&p);
    printf("Port %u -> %u [", pktd_tcp_sport(&p), pktd_tcp_dport(&p));
    const char *sep = "";
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (f & flags[i].bit) {
            printf("%s%s", sep, flags[i].name);
            sep = ",";
        }
    printf("] Seq=%u\nData: ", pktd_tcp_seq(&p));
    put_escaped(pl, pln < 50 ? pln : 50);
    puts("...");
    fflush(stdout);
    s->printed++;
}

int main(int argc, char **argv)
{
    int64_t count = -1;
    int opt;
    while ((opt = getopt(argc, argv, "c:h")) != -1) {
        switch (opt) {
        case 'c':
            if ((count = sniff_parse_count(optarg)) < 0) {
                fprintf(stderr, "%s: -c: not a count: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'h':
            printf("usage: %s [-c COUNT]\n", prog);
            return 0;
        default:
            fprintf(stderr, "usage: %s [-c COUNT]\n", prog);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "usage: %s [-c COUNT]\n", prog);
        return 2;
    }
    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&c, NULL, errbuf);
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", prog, errbuf);
        return 1;
    }
    rc = pktd_capture_set_ip_protocol(c, PKTD__IPPROTO_TCP);
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
    struct sink s = {c, 0, 0};
    int status = 0;
    while (count < 0 || s.printed < (uint64_t)count) {
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
