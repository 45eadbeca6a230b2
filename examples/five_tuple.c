/* five_tuple: the smallest complete libpktdecode program, meant to be
 * copied.  It reads a pcap or pcapng file and prints the 5-tuple of every
 * IPv4 packet that carries TCP or UDP, one line each:
 *
 *     5 tcp 10.0.0.1:40000 -> 10.0.0.2:80
 *
 * (packet number in the file, protocol, source, destination).  Build it
 * against an installed library with
 *
 *     cc five_tuple.c $(pkg-config --cflags --libs libpktdecode) -o five_tuple
 *
 * `make check` builds it from the tree and compares its output with
 * pktd-decode -j (tests/decode/five-tuple.py).  It is not installed. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

#include <pktdecode.h>

/* The library gives an IPv4 address as a host-order number
 * (10.0.0.1 = 0x0a000001). */
static void print_ipv4(uint32_t a)
{
    printf("%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 0xff),
           (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: five_tuple FILE\n");
        return 2;
    }

    /* A failed open fills err with the whole story ("open(x.pcap): No such
     * file or directory", "x.pcap: magic number ... is neither pcap nor
     * pcapng"). */
    pktd_reader *r;
    char err[PKTD_ERRBUF_SIZE];
    int rc = pktd_reader_open_path(&r, argv[1], err);
    if (rc < 0) {
        fprintf(stderr, "five_tuple: %s\n", err);
        return 1;
    }

    const uint8_t *data;
    size_t len;
    uint64_t n = 0;
    /* pktd_reader_next() returns 1 per packet, 0 at the end of the file
     * and a negative code when the file is damaged. */
    while ((rc = pktd_reader_next(r, &data, &len)) == 1) {
        n++;
        /* The decoded state lives on the stack: nothing is allocated.  A
         * packet that is malformed further in still has the layers decoded
         * before the problem, so the return value is not needed here. */
        pktd_packet p;
        (void)pktd_decode(&p, pktd_reader_linktype(r), data, len);
        if (!pktd_packet_has(&p, PKTD_LAYER_IPV4))
            continue;

        const char *proto;
        uint16_t sport, dport;
        if (pktd_packet_has(&p, PKTD_LAYER_TCP)) {
            proto = "tcp";
            sport = pktd_tcp_sport(&p);
            dport = pktd_tcp_dport(&p);
        } else if (pktd_packet_has(&p, PKTD_LAYER_UDP)) {
            proto = "udp";
            sport = pktd_udp_sport(&p);
            dport = pktd_udp_dport(&p);
        } else {
            continue;
        }

        printf("%" PRIu64 " %s ", n, proto);
        print_ipv4(pktd_ipv4_src(&p));
        printf(":%u -> ", (unsigned)sport);
        print_ipv4(pktd_ipv4_dst(&p));
        printf(":%u\n", (unsigned)dport);
    }
    if (rc < 0)
        fprintf(stderr, "five_tuple: %s: %s\n", argv[1], pktd_reader_errmsg(r));
    pktd_reader_close(r);
    return rc < 0 ? 1 : 0;
}
