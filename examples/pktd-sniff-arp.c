/* pktd-sniff-arp: the seed's ARP sniffer on the library's link-layer
 * capture, with a kernel BPF filter that passes ARP only.  Interface:
 * doc/programs.md, "Seed-parity sniffers".
 *
 *   pktd-sniff-arp [-i IFACE] [-c COUNT]
 *
 * Per ARP packet a block:
 *   ==================================================
 *   ETHERNET FRAME
 *   Dest MAC: ff:ff:ff:ff:ff:ff
 *   Source MAC: 02:00:00:00:00:01
 *   ARP HEADER
 *   Hardware: 0001 (Ethernet)
 *   Protocol: 0800 (IPv4)
 *   Opcode: 0001 (Request)
 *   Sender MAC: 02:00:00:00:00:01
 *   Sender IP: 10.0.0.1
 *   Target MAC: 00:00:00:00:00:00
 *   Target IP: 10.0.0.2
 * Statistics on stderr at exit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

#include "proto.h"

#include "arp_print.h"
#include "privs.h"
#include "sniff.h"

static const char *prog = "pktd-sniff-arp";

/* ldh [12]; jeq #0x806 → accept the whole frame, else reject.  The kernel
 * runs it on the frame without its VLAN tags, so tagged ARP passes too. */
static const struct {
    uint16_t code;
    uint8_t jt, jf;
    uint32_t k;
} arp_only[] = {
    {0x28, 0, 0, 12},         /* ldh [12] */
    {0x15, 0, 1, PKTD__ETHERTYPE_ARP}, /* jeq #0x806 */
    {0x06, 0, 0, 262144},     /* ret #262144 */
    {0x06, 0, 0, 0},          /* ret #0 */
};

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
    if (arp_print_block(stdout, &p))
        fflush(stdout);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: %s [-i IFACE] [-c COUNT]\n", prog);
}

int main(int argc, char **argv)
{
    const char *iface = NULL;
    int64_t count = -1;
    int opt;
    while ((opt = getopt(argc, argv, "i:c:h")) != -1) {
        switch (opt) {
        case 'i': iface = optarg; break;
        case 'c':
            if ((count = sniff_parse_count(optarg)) < 0) {
                fprintf(stderr, "%s: -c: not a count: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&c, iface, errbuf);
    if (rc != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, iface != NULL ? iface : "any", errbuf);
        return 1;
    }
    /* 8-byte instructions in host byte order, as the library takes them. */
    uint8_t prog_host[4 * 8];
    for (size_t i = 0; i < 4; i++) {
        memcpy(prog_host + i * 8, &arp_only[i].code, 2);
        prog_host[i * 8 + 2] = arp_only[i].jt;
        prog_host[i * 8 + 3] = arp_only[i].jf;
        memcpy(prog_host + i * 8 + 4, &arp_only[i].k, 4);
    }
    if ((rc = pktd_capture_set_filter_bpf(c, prog_host, 4)) != 0) {
        fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
        return 1;
    }
    rc = pktd_capture_activate(c);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, iface != NULL ? iface : "any", pktd_capture_errmsg(c));
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
