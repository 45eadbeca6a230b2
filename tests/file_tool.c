/* Test helper for tests/file_tools.sh: writes a known capture with the
 * library's writer, prints what a capture holds according to the library's
 * reader, or prints what the written capture must hold (from the packet
 * table alone, without the reader), in tshark's field format:
 * "number<TAB>epoch seconds.nanoseconds<TAB>caplen<TAB>wire length".
 *
 *   file_tool write pcap|pcapng us|ns OUT   (OUT "-" = standard output)
 *   file_tool expect us|ns
 *   file_tool dump FILE                      (FILE "-" = standard input)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#define SNAPLEN 1000u

/* The packets: Ethernet + IPv4 + UDP of these wire sizes, at these times. */
static const struct {
    uint32_t wire;
    uint64_t ts_ns;
} pkts[] = {
    {60, 1700000000123456789ull},
    {98, 1700000000999999999ull},
    {1514, 1700000001000000001ull}, /* cut to SNAPLEN */
    {342, 1700000002500000000ull},
    {64, 2000000000000000123ull},
};
#define N_PKTS (sizeof pkts / sizeof pkts[0])

static void build_frame(uint8_t *f, uint32_t len, unsigned k)
{
    memset(f, 0, len);
    static const uint8_t hdr[] = {
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02, /* dst */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01, /* src */
        0x08, 0x00,                         /* IPv4 */
    };
    memcpy(f, hdr, sizeof hdr);
    uint8_t *ip = f + 14;
    uint32_t iplen = len - 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(iplen >> 8);
    ip[3] = (uint8_t)iplen;
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    ip[10] = (uint8_t)(~sum >> 8);
    ip[11] = (uint8_t)~sum;
    uint8_t *udp = ip + 20;
    uint32_t ulen = iplen - 20;
    udp[0] = 0x30;
    udp[1] = (uint8_t)(0x39 + k); /* source port 12345 + k */
    udp[2] = 0x00;
    udp[3] = 0x35; /* 53 */
    udp[4] = (uint8_t)(ulen >> 8);
    udp[5] = (uint8_t)ulen;
}

static int do_write(const char *fmt, const char *res, const char *out)
{
    uint32_t format = strcmp(fmt, "pcapng") == 0 ? PKTD_FORMAT_PCAPNG : PKTD_FORMAT_PCAP;
    uint32_t flags = strcmp(res, "ns") == 0 ? PKTD_WRITER_NANO : 0;
    pktd_writer *w;
    char err[PKTD_ERRBUF_SIZE];
    int rc = strcmp(out, "-") == 0 ? pktd_writer_open_fd(&w, 1, format, 1, SNAPLEN, flags, err)
                                   : pktd_writer_open_path(&w, out, format, 1, SNAPLEN, flags, err);
    if (rc < 0) {
        fprintf(stderr, "file_tool: %s\n", err);
        return 1;
    }
    static uint8_t frame[2000];
    for (unsigned k = 0; k < N_PKTS; k++) {
        build_frame(frame, pkts[k].wire, k);
        rc = pktd_writer_write(w, frame, pkts[k].wire, pkts[k].wire, pkts[k].ts_ns);
        if (rc < 0) {
            fprintf(stderr, "file_tool: write: %s %s\n", pktd_strerror(rc), pktd_writer_errmsg(w));
            break;
        }
    }
    /* received 7, kernel drops 2, delivered 5 */
    const uint64_t st[PKTD_CAPTURE_STAT_COUNT] = {[PKTD_CAPTURE_STAT_RECEIVED] = 7,
                                              [PKTD_CAPTURE_STAT_DROPPED] = 2,
                                              [PKTD_CAPTURE_STAT_DELIVERED] = N_PKTS,
                                              [PKTD_CAPTURE_STAT_FILTERED] = PKTD_WRITER_STAT_NONE,
                                              [PKTD_CAPTURE_STAT_PENDING] = PKTD_WRITER_STAT_NONE};
    if (rc == 0)
        rc = pktd_writer_stats(w, st, PKTD_CAPTURE_STAT_COUNT, 0);
    int close_rc = pktd_writer_close(w); /* after a failure: the same error */
    if (rc == 0)
        rc = close_rc;
    if (rc < 0) {
        fprintf(stderr, "file_tool: %s: %s\n", out, pktd_strerror(rc));
        return 1;
    }
    return 0;
}

static int do_expect(const char *res)
{
    int ns = strcmp(res, "ns") == 0;
    for (unsigned k = 0; k < N_PKTS; k++) {
        uint64_t t = ns ? pkts[k].ts_ns : pkts[k].ts_ns / 1000u * 1000u;
        uint32_t cap = pkts[k].wire > SNAPLEN ? SNAPLEN : pkts[k].wire;
        printf("%u\t%llu.%09llu\t%lu\t%lu\n", k + 1, (unsigned long long)(t / 1000000000u),
               (unsigned long long)(t % 1000000000u), (unsigned long)cap,
               (unsigned long)pkts[k].wire);
    }
    return 0;
}

static int do_dump(const char *in)
{
    pktd_reader *r;
    char err[PKTD_ERRBUF_SIZE];
    int rc =
        strcmp(in, "-") == 0 ? pktd_reader_open_fd(&r, 0, err) : pktd_reader_open_path(&r, in, err);
    if (rc < 0) {
        fprintf(stderr, "file_tool: %s\n", err);
        return 1;
    }
    const uint8_t *d;
    size_t cap;
    while ((rc = pktd_reader_next(r, &d, &cap)) == 1) {
        uint64_t t = pktd_reader_ts_ns(r);
        printf("%llu\t%llu.%09llu\t%zu\t%lu\n", (unsigned long long)pktd_reader_packet_index(r),
               (unsigned long long)(t / 1000000000u), (unsigned long long)(t % 1000000000u), cap,
               (unsigned long)pktd_reader_wire_len(r));
    }
    if (rc < 0)
        fprintf(stderr, "file_tool: %s: %s: %s\n", in, pktd_strerror(rc), pktd_reader_errmsg(r));
    pktd_reader_close(r);
    return rc < 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "write") == 0)
        return do_write(argv[2], argv[3], argv[4]);
    if (argc == 3 && strcmp(argv[1], "expect") == 0)
        return do_expect(argv[2]);
    if (argc == 3 && strcmp(argv[1], "dump") == 0)
        return do_dump(argv[2]);
    fprintf(stderr, "usage: file_tool write pcap|pcapng us|ns OUT | expect us|ns | dump FILE\n");
    return 2;
}
