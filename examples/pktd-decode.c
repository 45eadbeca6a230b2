/* pktd-decode: decode pcap/pcapng files offline, one line or one JSON record
 * per packet.  Interface: doc/programs.md, "pktd-decode".
 *
 *   pktd-decode [-j] [-c COUNT] FILE...     ("-" reads standard input)
 *
 * Exit status: 0 when every file was read (malformed packets included, each
 * with its error), 1 when a file cannot be opened, is not a capture file or
 * is cut short, 2 on a usage error. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

#include "print.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: pktd-decode [-j] [-c COUNT] FILE...\n"
                 "  -j        JSON Lines output, one object per packet\n"
                 "  -c COUNT  stop after COUNT packets\n"
                 "  -V        print the library version\n"
                 "  FILE      pcap or pcapng file; - for standard input\n");
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* Decode one file; returns 0 when it was read to its end, 1 otherwise. */
static int decode_file(const char *name, int json, uint64_t *left)
{
    pktd_reader *r;
    int rc = strcmp(name, "-") == 0 ? pktd_reader_open_fd(&r, STDIN_FILENO, NULL)
                                    : pktd_reader_open_path(&r, name, NULL);
    if (rc < 0) {
        fprintf(stderr, "pktd-decode: %s: %s\n", name, pktd_strerror(rc));
        return 1;
    }
    const uint8_t *data;
    size_t caplen;
    while (*left > 0 && (rc = pktd_reader_next(r, &data, &caplen)) == 1) {
        pktd_packet p;
        struct print_record rec = {
            .n = pktd_reader_packet_index(r),
            .ts_ns = pktd_reader_ts_ns(r),
            .caplen = (uint32_t)caplen,
            .wire_len = pktd_reader_wire_len(r),
        };
        /* A malformed packet is reported in its record, not as a failure. */
        (void)pktd_decode(&p, pktd_reader_linktype(r), data, caplen);
        if (json)
            pktd_print_json(stdout, &rec, &p);
        else
            pktd_print_text(stdout, &rec, &p);
        (*left)--;
    }
    int status = 0;
    if (rc < 0) {
        const char *detail = pktd_reader_errmsg(r);
        fprintf(stderr, "pktd-decode: %s: %s%s%s\n", name,
                rc == PKTD_E_TRUNCATED ? "truncated capture file" : pktd_strerror(rc),
                *detail ? ": " : "", detail);
        status = 1;
    }
    pktd_reader_close(r);
    return status;
}

int main(int argc, char **argv)
{
    int json = 0, opt;
    uint64_t left = UINT64_MAX;
    while ((opt = getopt(argc, argv, "jc:Vh")) != -1) {
        switch (opt) {
        case 'j':
            json = 1;
            break;
        case 'c':
            if (parse_count(optarg, &left) < 0) {
                fprintf(stderr, "pktd-decode: -c: not a count: %s\n", optarg);
                return 2;
            }
            break;
        case 'V':
            printf("pktd-decode (libpktdecode) %s\n", pktd_version_string());
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    int status = 0;
    for (int i = optind; i < argc && left > 0; i++)
        status |= decode_file(argv[i], json, &left);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "pktd-decode: write error: %s\n", strerror(errno));
        return 1;
    }
    return status;
}
