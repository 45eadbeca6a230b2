/* The capture-file reader's invariants, checked on every input.
 *
 * The image is read from memory and again through a descriptor (a memfd,
 * so the buffered input path runs too); both must return the same packets
 * and the same final result.  For each packet the harness re-reads the
 * record itself: the pointer must be the record's data inside the image,
 * and caplen, wire length, interface, link type and (for the exact
 * resolutions) the timestamp must be what the record's bytes say.  Errors
 * must be sticky and explained, iteration must end within the bound the
 * smallest record size gives, and every packet is decoded with the decoder
 * checks from an exact-size copy (so an over-read past caplen is seen by
 * ASan, not hidden by the rest of the file). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

/* Packets per input that are also run through the decoder checks. */
#define DECODE_MAX 64

struct pkt {
    const uint8_t *data;
    size_t caplen;
    uint64_t ts, index, offset;
    uint32_t wire, linktype, iface, snaplen;
};

static uint32_t ld32(int be, const uint8_t *p)
{
    return be ? fuzz_be32(p)
              : ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

static uint16_t ld16(int be, const uint8_t *p)
{
    return be ? fuzz_be16(p) : (uint16_t)((p[1] << 8) | p[0]);
}

/* The harness's own walk over a pcapng image: section byte order and the
 * interface table at a given block offset.  The reader accepted every block
 * before that offset, so a plain walk is enough. */
struct ngwalk {
    size_t pos;
    int be;
    uint32_t nifs;
    uint32_t linktype[64];
    uint8_t tsresol[64];
    int ts_exact[64]; /* resolution 10^-k with k <= 9 and no offset */
};

static void ng_idb(struct ngwalk *w, const uint8_t *b, uint32_t blen)
{
    if (w->nifs >= 64) {
        w->nifs++;
        return;
    }
    uint32_t i = w->nifs++;
    w->linktype[i] = ld16(w->be, b + 8);
    w->tsresol[i] = 6;
    w->ts_exact[i] = 1;
    int seen_resol = 0;
    /* Options: code, length, value padded to 4, up to opt_endofopt. */
    size_t o = 16;
    while (o + 4 <= (size_t)blen - 4) {
        uint16_t code = ld16(w->be, b + o), olen = ld16(w->be, b + o + 2);
        if (code == 0)
            break;
        if (o + 4 + olen > (size_t)blen - 4)
            break;
        if (code == 9 && !seen_resol) {
            /* Only the plain form: anything odd is compared no further. */
            if (olen == 1)
                w->tsresol[i] = b[o + 4];
            else
                w->ts_exact[i] = 0;
            seen_resol = 1;
        }
        if (code == 14)
            w->ts_exact[i] = 0; /* an offset: compare only what needs no arithmetic */
        o += 4 + (((size_t)olen + 3) & ~(size_t)3);
    }
    if (w->tsresol[i] > 9)
        w->ts_exact[i] = 0;
}

/* Walks up to the block at @p target. */
static void ng_walk_to(struct ngwalk *w, const uint8_t *d, size_t len, size_t target)
{
    while (w->pos < target) {
        FUZZ_CHECK(w->pos + 12 <= len);
        const uint8_t *b = d + w->pos;
        uint32_t type = ld32(w->be, b);
        if (fuzz_be32(b) == 0x0A0D0D0Au) {
            w->be = fuzz_be32(b + 8) == 0x1A2B3C4Du;
            w->nifs = 0;
            type = 0x0A0D0D0Au;
        }
        uint32_t blen = ld32(w->be, b + 4);
        FUZZ_CHECK(blen >= 12 && w->pos + blen <= len);
        if (type == 1)
            ng_idb(w, b, blen);
        w->pos += blen;
    }
    FUZZ_CHECK(w->pos == target);
}

static void check_ng_record(struct ngwalk *w, const uint8_t *d, size_t len, const struct pkt *k)
{
    ng_walk_to(w, d, len, (size_t)k->offset);
    const uint8_t *b = d + k->offset;
    int be = w->be;
    uint32_t type = ld32(be, b), blen = ld32(be, b + 4);
    FUZZ_CHECK(blen >= 12 && k->offset + blen <= len);
    FUZZ_CHECK(ld32(be, b + blen - 4) == blen);
    uint64_t units = 0;
    int have_ts = 0;
    if (type == 6 || type == 2) {
        uint32_t iface = type == 6 ? ld32(be, b + 8) : ld16(be, b + 8);
        units = ((uint64_t)ld32(be, b + 12) << 32) | ld32(be, b + 16);
        have_ts = 1;
        FUZZ_CHECK(k->data == b + 28);
        FUZZ_CHECK(k->caplen == ld32(be, b + 20) && k->wire == ld32(be, b + 24));
        FUZZ_CHECK(k->iface == iface && iface < w->nifs);
        FUZZ_CHECK(28 + k->caplen <= (size_t)blen - 4);
    } else {
        FUZZ_CHECK(type == 3);
        FUZZ_CHECK(k->data == b + 12 && k->iface == 0 && w->nifs > 0);
        FUZZ_CHECK(k->wire == ld32(be, b + 8));
        FUZZ_CHECK(k->caplen <= k->wire && 12 + k->caplen <= (size_t)blen - 4);
        FUZZ_CHECK(k->ts == 0);
    }
    if (k->iface < 64) {
        FUZZ_CHECK(k->linktype == w->linktype[k->iface]);
        if (have_ts && w->ts_exact[k->iface]) {
            uint64_t mul = 1;
            for (int i = w->tsresol[k->iface]; i < 9; i++)
                mul *= 10;
            if (units <= UINT64_MAX / mul)
                FUZZ_CHECK(k->ts == units * mul);
        }
    }
}

static void check_pcap_record(const uint8_t *d, size_t len, const struct pkt *k)
{
    int be = fuzz_be32(d) == 0xa1b2c3d4u || fuzz_be32(d) == 0xa1b23c4du;
    int nano = fuzz_be32(d) == 0xa1b23c4du || fuzz_be32(d) == 0x4d3cb2a1u;
    FUZZ_CHECK(k->offset >= 24 && k->offset + 16 <= len);
    const uint8_t *h = d + k->offset;
    FUZZ_CHECK(k->data == h + 16);
    FUZZ_CHECK(k->caplen == ld32(be, h + 8) && k->wire == ld32(be, h + 12));
    FUZZ_CHECK(k->offset + 16 + k->caplen <= len);
    uint64_t frac = ld32(be, h + 4);
    FUZZ_CHECK(k->ts == (uint64_t)ld32(be, h) * 1000000000u + (nano ? frac : frac * 1000u));
    FUZZ_CHECK(k->linktype == (ld32(be, d + 20) & 0xffffu) && k->snaplen == ld32(be, d + 16));
    FUZZ_CHECK(k->iface == 0);
}

static int is_library_error(int rc)
{
    return rc == PKTD_E_TRUNCATED || rc == PKTD_E_MALFORMED || rc == PKTD_E_TOO_LARGE ||
           rc == PKTD_E_BAD_FILE || rc == PKTD_E_UNSUPPORTED;
}

static int next_pkt(pktd_reader *r, struct pkt *k)
{
    k->data = NULL;
    k->caplen = (size_t)-1;
    int rc = pktd_reader_next(r, &k->data, &k->caplen);
    if (rc == 1) {
        k->ts = pktd_reader_ts_ns(r);
        k->wire = pktd_reader_wire_len(r);
        k->linktype = pktd_reader_linktype(r);
        k->iface = pktd_reader_interface(r);
        k->snaplen = pktd_reader_snaplen(r);
        k->index = pktd_reader_packet_index(r);
        k->offset = pktd_reader_offset(r);
    }
    return rc;
}

/* Opens the image through a memfd; NULL when the system cannot make one
 * (the memory-mode checks still ran). */
static pktd_reader *open_via_fd(const uint8_t *data, size_t len, int *fd_out, int *rc_out)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    *fd_out = fd;
    if (fd < 0)
        return NULL;
    size_t done = 0;
    while (done < len) {
        ssize_t k = write(fd, data + done, len - done);
        FUZZ_CHECK(k > 0);
        done += (size_t)k;
    }
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    pktd_reader *r = (pktd_reader *)1;
    *rc_out = pktd_reader_open_fd(&r, fd, NULL);
    FUZZ_CHECK((*rc_out == 0) == (r != NULL));
    return r;
}

uint64_t fuzz_read_checked(const uint8_t *data, size_t len)
{
    pktd_reader *r = (pktd_reader *)1;
    int rc = pktd_reader_open_mem(&r, data, len, NULL);
    FUZZ_CHECK((rc == 0) == (r != NULL));
    int fd = -1, rc_fd = 0;
    pktd_reader *rf = open_via_fd(data, len, &fd, &rc_fd);
    if (fd >= 0)
        FUZZ_CHECK(rc_fd == rc);
    if (rc != 0) {
        FUZZ_CHECK(is_library_error(rc));
        if (fd >= 0)
            close(fd);
        return 0;
    }
    uint32_t fmt = pktd_reader_format(r);
    FUZZ_CHECK(len >= 4);
    if (fuzz_be32(data) == 0x0A0D0D0Au)
        FUZZ_CHECK(fmt == PKTD_FORMAT_PCAPNG);
    else
        FUZZ_CHECK(fmt == PKTD_FORMAT_PCAP && len >= 24);
    if (rf != NULL)
        FUZZ_CHECK(pktd_reader_format(rf) == fmt);
    FUZZ_CHECK(pktd_reader_packet_index(r) == 0);

    static struct ngwalk w;
    memset(&w, 0, sizeof w);
    /* Each record takes at least 12 bytes (a pcapng block; pcap: 16). */
    const uint64_t bound = len / 12 + 2;
    uint64_t n = 0, last_off = 0;
    int end;
    for (;;) {
        struct pkt a, b;
        end = next_pkt(r, &a);
        FUZZ_CHECK(end == 0 || end == 1 || is_library_error(end));
        if (rf != NULL) {
            int end_fd = next_pkt(rf, &b);
            FUZZ_CHECK(end_fd == end);
            if (end == 1) {
                FUZZ_CHECK(b.caplen == a.caplen && memcmp(a.data, b.data, a.caplen) == 0);
                FUZZ_CHECK(a.ts == b.ts && a.wire == b.wire && a.linktype == b.linktype);
                FUZZ_CHECK(a.iface == b.iface && a.snaplen == b.snaplen);
                FUZZ_CHECK(a.index == b.index && a.offset == b.offset);
            }
        }
        if (end != 1)
            break;
        n++;
        FUZZ_CHECK(n <= bound);
        FUZZ_CHECK(a.index == n);
        FUZZ_CHECK(a.caplen <= PKTD_READER_MAX_RECORD);
        FUZZ_CHECK(a.caplen == 0 || a.data != NULL);
        uintptr_t p = (uintptr_t)a.data, base = (uintptr_t)data;
        FUZZ_CHECK(a.caplen == 0 || (p >= base && p - base + a.caplen <= len));
        FUZZ_CHECK(n == 1 || a.offset > last_off);
        FUZZ_CHECK(a.offset < len);
        last_off = a.offset;
        if (fmt == PKTD_FORMAT_PCAP)
            check_pcap_record(data, len, &a);
        else
            check_ng_record(&w, data, len, &a);
        if (n <= DECODE_MAX) {
            uint8_t *copy = malloc(a.caplen ? a.caplen : 1);
            FUZZ_CHECK(copy != NULL);
            memcpy(copy, a.data, a.caplen);
            fuzz_decode_checked(FUZZ_DECODE, a.linktype, copy, a.caplen, (uint32_t)n);
            free(copy);
        }
    }
    const char *msg = pktd_reader_errmsg(r);
    FUZZ_CHECK(msg != NULL);
    if (end < 0) {
        /* Explained, and sticky: every later call repeats it. */
        FUZZ_CHECK(msg[0] != '\0');
        const uint8_t *d;
        size_t c;
        FUZZ_CHECK(pktd_reader_next(r, &d, &c) == end);
        FUZZ_CHECK(pktd_reader_next(r, &d, &c) == end);
    } else {
        const uint8_t *d;
        size_t c;
        FUZZ_CHECK(pktd_reader_next(r, &d, &c) == 0);
    }
    FUZZ_CHECK(pktd_reader_next(r, NULL, NULL) == PKTD_E_INVALID_ARGUMENT);
    pktd_reader_close(r);
    pktd_reader_close(rf);
    if (fd >= 0)
        close(fd);
    return n;
}
