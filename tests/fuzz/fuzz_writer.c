/* Fuzz target: writer round trip.  The input describes a capture (format,
 * resolution, snap length, link type, then packets with their lengths and
 * timestamps, and statistics calls); it is written with pktd_writer to a
 * memfd, read back with pktd_reader, and every packet must come back as
 * written: bytes cut to the snap length, wire length, timestamp (truncated
 * to microseconds unless nanosecond), link type.  Arguments the writer
 * must refuse (caplen above the wire length, a pcap timestamp after 2106)
 * must be refused without breaking the writer.  The file is then run
 * through the reader checks of check_reader.c as well. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_PKTS 64

struct want {
    const uint8_t *data;
    size_t cap;
    uint32_t wire;
    uint64_t ts;
};

/* Consumes up to @p n bytes of the input as a little-endian number. */
static uint64_t take(const uint8_t **d, size_t *left, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && *left > 0; i++, (*d)++, (*left)--)
        v |= (uint64_t)**d << (8 * i);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *d = data;
    size_t left = size;
    if (left < 3)
        return 0;
    uint32_t mode = (uint32_t)take(&d, &left, 1);
    uint32_t format = (mode & 1u) ? PKTD_FORMAT_PCAPNG : PKTD_FORMAT_PCAP;
    uint32_t flags = (mode & 2u) ? PKTD_WRITER_NANO : 0;
    uint32_t snap_arg = (mode >> 2) & 3u;
    uint32_t snaplen = snap_arg == 0 ? 0 : snap_arg == 1 ? 64 : snap_arg == 2 ? 65535 : 1 + (mode >> 4);
    uint32_t eff_snap = snaplen ? snaplen : PKTD_WRITER_DEFAULT_SNAPLEN;
    uint32_t linktype = (uint32_t)take(&d, &left, 2);

    int fd = memfd_create("fuzz-writer", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    pktd_writer *w = (pktd_writer *)1;
    int rc = pktd_writer_open_fd(&w, fd, format, linktype, snaplen, flags, NULL);
    FUZZ_CHECK(rc == 0 && w != NULL);

    static struct want want[MAX_PKTS];
    size_t n = 0;
    while (left >= 4 && n < MAX_PKTS) {
        uint32_t op = (uint32_t)take(&d, &left, 1);
        if ((op & 0x0fu) == 0x0fu) {
            /* Statistics: one pcapng interface statistics block (pcap: no-op). */
            uint64_t v = take(&d, &left, 2);
            const uint64_t st[] = {v, (op & 0x10u) ? PKTD_WRITER_STAT_NONE : v / 2, v, 0, 0};
            /* n = 0 ... 3: the counters beyond it are left out. */
            rc = pktd_writer_stats(w, st, (op >> 6) & 0x7u, (op & 0x20u) ? 0 : v * 1000u);
            FUZZ_CHECK(rc == 0);
            continue;
        }
        size_t cap = (size_t)take(&d, &left, 2) % 1600u;
        if (cap > left)
            cap = left;
        uint32_t wire = (uint32_t)cap + (uint32_t)take(&d, &left, 1);
        if (op & 0x10u)
            wire = cap > 0 ? (uint32_t)cap - 1 : 0; /* refused when cap > 0 */
        uint64_t ts = take(&d, &left, 5) * 977u;
        if (op & 0x20u)
            ts = UINT64_MAX - ts; /* beyond what pcap's 32-bit seconds hold */
        if (cap > left)
            cap = left;
        const uint8_t *bytes = d;
        d += cap;
        left -= cap;
        rc = pktd_writer_write(w, bytes, cap, wire, ts);
        int refuse = wire < cap || (format == PKTD_FORMAT_PCAP && ts / 1000000000u > UINT32_MAX);
        if (refuse) {
            FUZZ_CHECK(rc == PKTD_E_INVALID_ARGUMENT);
            FUZZ_CHECK(pktd_writer_errmsg(w)[0] != '\0');
            continue;
        }
        FUZZ_CHECK(rc == 0);
        want[n].data = bytes;
        want[n].cap = cap < eff_snap ? cap : eff_snap;
        want[n].wire = wire;
        want[n].ts = flags ? ts : ts / 1000u * 1000u;
        n++;
        FUZZ_CHECK(pktd_writer_packets(w) == n);
        if (op & 0x40u)
            FUZZ_CHECK(pktd_writer_flush(w) == 0);
    }
    uint64_t bytes_written = pktd_writer_bytes(w);
    FUZZ_CHECK(pktd_writer_close(w) == 0);

    off_t fsize = lseek(fd, 0, SEEK_END);
    FUZZ_CHECK(fsize >= 0 && (uint64_t)fsize == bytes_written);
    uint8_t *file = malloc((size_t)fsize);
    FUZZ_CHECK(file != NULL);
    FUZZ_CHECK(pread(fd, file, (size_t)fsize, 0) == fsize);
    close(fd);

    pktd_reader *r;
    FUZZ_CHECK(pktd_reader_open_mem(&r, file, (size_t)fsize, NULL) == 0);
    FUZZ_CHECK(pktd_reader_format(r) == format);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p;
        size_t c;
        FUZZ_CHECK(pktd_reader_next(r, &p, &c) == 1);
        FUZZ_CHECK(c == want[i].cap && memcmp(p, want[i].data, c) == 0);
        FUZZ_CHECK(pktd_reader_wire_len(r) == want[i].wire);
        FUZZ_CHECK(pktd_reader_ts_ns(r) == want[i].ts);
        FUZZ_CHECK(pktd_reader_linktype(r) == linktype && pktd_reader_interface(r) == 0);
        FUZZ_CHECK(pktd_reader_snaplen(r) == eff_snap);
    }
    const uint8_t *p;
    size_t c;
    FUZZ_CHECK(pktd_reader_next(r, &p, &c) == 0);
    pktd_reader_close(r);
    FUZZ_CHECK(fuzz_read_checked(file, (size_t)fsize) == n);
    free(file);
    return 0;
}
