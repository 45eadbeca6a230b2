/* bench-floor: the cheapest walk that still finds the ports, to put a floor
 * under every decoder's figure.
 *
 *   bench-floor [-r ROUNDS] [-n MAXPKTS] FILE.pcap
 *
 * Per frame it reads the EtherType, skips 802.1Q/802.1ad tags, and for an
 * IPv4 TCP or UDP packet that is not a later fragment, reads the two ports
 * after IHL*4 bytes; for an IPv6 packet whose next header is TCP or UDP, the
 * two ports after the 40-byte fixed header (a packet with an extension
 * header is skipped, which only makes the floor lower).  Nothing is
 * checked: no lengths, no version, no header lengths.  On the ipv6 mix this
 * is what sets the memory cost apart from the decoder's: both mixes' floors
 * touch the bytes from the EtherType to the ports, and IPv6's are 20 bytes
 * further into the frame.  On hostile input this reads past the frame; it exists only to
 * show what touching the headers costs on this machine. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "harness.h"

static inline uint32_t be16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return __builtin_bswap16(v);
}

static uint64_t walk_floor(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        const uint8_t *d = f->v[i].data;
        uint32_t o = 14;
        uint32_t type = be16(d + 12);
        while (type == 0x8100 || type == 0x88a8) {
            type = be16(d + o + 2);
            o += 4;
        }
        const uint8_t *ip = d + o;
        if (type == 0x86dd) {
            uint32_t nh = ip[6];
            if (nh == 6 || nh == 17)
                s += be16(ip + 40) + be16(ip + 42);
            continue;
        }
        if (type != 0x0800)
            continue;
        uint32_t proto = ip[9];
        if ((proto == 6 || proto == 17) && (be16(ip + 6) & 0x1fff) == 0) {
            const uint8_t *l4 = ip + (ip[0] & 0x0f) * 4;
            s += be16(l4) + be16(l4 + 2);
        }
    }
    return s;
}

int main(int argc, char **argv)
{
    uint32_t rounds = 9, max = 0;
    const char *path;
    char err[256];
    struct bench_frames f;
    struct bench_result r;
    if (bench_parse_args(argc, argv, "bench-floor", &rounds, &max, &path) != 0)
        return 2;
    if (bench_frames_load_pcap(&f, path, max, err, sizeof err) != 0) {
        fprintf(stderr, "bench-floor: %s\n", err);
        return 1;
    }
    bench_run(&f, walk_floor, NULL, rounds, &r);
    bench_print("floor", f.n, &r);
    bench_frames_free(&f);
    return 0;
}
