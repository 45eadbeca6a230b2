/* Capture-file reader internals shared by the input layer (reader.c) and
 * the two format parsers (reader_pcap.c, reader_pcapng.c).  Not installed. */
#ifndef PKTD_READER_INT_H
#define PKTD_READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>
#include <pktdecode/reader.h>

/* Most pcapng interfaces one section may describe.  Real captures have a
 * handful; the limit keeps a hostile file from making the table huge. */
#define PKTD__READER_MAX_INTERFACES 65536u

/* Descriptor input is read in chunks of this size at least; the buffer grows
 * only when a single record is larger. */
#define PKTD__READER_CHUNK (64u * 1024u)

/* The largest window fetch() ever has to hold: one record plus the pcap
 * record header in front of it. */
#define PKTD__READER_MAX_WINDOW (PKTD_READER_MAX_RECORD + 64u)

/* Timestamp unit of one pcapng interface (if_tsresol, if_tsoffset). */
struct pktd__iface {
    uint32_t linktype;
    uint32_t snaplen;
    uint8_t ts_pow2; /* 1: units of 2^-ts_exp s; 0: units of 10^-ts_exp s */
    uint8_t ts_exp;
    int64_t ts_offset_s; /* if_tsoffset: seconds added to every timestamp */
    /* Where its interface description block lies in the file, for
     * pktd_reader_header_ranges(). */
    uint64_t idb_offset;
    uint32_t idb_len;
};

struct pktd_reader {
    /* Input.  The unread part of the file is the window [pos, end) of
     * `mem` (memory mode) or `buf` (descriptor mode). */
    int fd;      /* -1 in memory mode */
    int owns_fd; /* opened by pktd_reader_open_path(): closed by us */
    const uint8_t *mem;
    void *map; /* pktd_reader_open_mapped(): our mapping of the file (`mem`) */
    size_t map_len;
    uint8_t *buf;
    size_t buf_cap;
    size_t pos, end;
    uint64_t consumed; /* file offset of `pos` */
    size_t prefetched; /* memory mode: `mem` is prefetched up to here */
    int eof;

    /* Format. */
    uint32_t format;
    int big_endian; /* byte order of the file (pcap) or current section */
    int pcap_nano;
    uint32_t file_snaplen, file_linktype;
    struct pktd__iface *ifs;
    uint32_t n_ifs, cap_ifs;
    uint64_t block_index; /* pcapng blocks read so far */
    uint64_t shb_offset;  /* pcapng: the current section header block */
    uint32_t shb_len;

    /* The current packet. */
    uint64_t packet_index;
    uint64_t record_offset;
    uint64_t ts_ns;
    uint32_t wire_len;
    uint32_t linktype;
    uint32_t snaplen;
    uint32_t iface;

    int err; /* sticky error, 0 if none */
    char errmsg[PKTD_ERRBUF_SIZE];
};

/* Loads in a given byte order (be: big-endian), independent of the host's. */
static inline uint16_t pktd__ld16(int be, const uint8_t *p)
{
    return (uint16_t)(be ? (p[0] << 8) | p[1] : (p[1] << 8) | p[0]);
}

static inline uint32_t pktd__ld32(int be, const uint8_t *p)
{
    if (be)
        return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) | ((uint32_t)p[1] << 8) | p[0];
}

/* Loads in the byte order of the file (pcap) or current section (pcapng). */
static inline uint16_t pktd__rd16(const struct pktd_reader *r, const uint8_t *p)
{
    return pktd__ld16(r->big_endian, p);
}

static inline uint32_t pktd__rd32(const struct pktd_reader *r, const uint8_t *p)
{
    return pktd__ld32(r->big_endian, p);
}

/* pktd__reader_fetch() when the window does not hold the n bytes (or n is
 * over the limit): reads more, or says why it cannot. */
int pktd__reader_fetch_more(struct pktd_reader *r, size_t n, const uint8_t **p);

/* Makes n bytes at the read position available in *p without consuming
 * them.  Returns 1, 0 when the input ended cleanly with nothing left,
 * PKTD_E_TRUNCATED when it ended with fewer than n bytes left (the count is
 * pktd__reader_avail()), or -errno from read().  Inline: nearly every call
 * finds the bytes already in the window. */
static inline int pktd__reader_fetch(struct pktd_reader *r, size_t n, const uint8_t **p)
{
    if (__builtin_expect(n <= r->end - r->pos && n <= PKTD__READER_MAX_WINDOW, 1)) {
        *p = (r->fd < 0 ? r->mem : r->buf) + r->pos;
        return 1;
    }
    return pktd__reader_fetch_more(r, n, p);
}

/* Bytes left in the window (after a short fetch: what the file still had). */
static inline size_t pktd__reader_avail(const struct pktd_reader *r)
{
    return r->end - r->pos;
}

/* How far ahead of the read position a reader of memory (a mapped file)
 * asks the CPU to load the bytes.  The reader touches only each record's
 * header and first bytes, one record after the other: without this, every
 * record waits a whole memory latency for its header (the next record's
 * place is known only once this one's header is read), which costs more
 * than streaming the whole file in.  Read ahead by bytes instead, every
 * cache line, so the loads overlap and run at the memory's bandwidth.
 * (Descriptor input needs none: read() has just copied the window.) */
#define PKTD__READER_PREFETCH_AHEAD 4096u
#define PKTD__READER_PREFETCH_LINE 64u

/* Moves the read position n bytes forward (n <= the last fetch). */
static inline void pktd__reader_consume(struct pktd_reader *r, size_t n)
{
    r->pos += n;
    r->consumed += n;
    if (r->fd < 0) {
        size_t to = r->end - r->pos > PKTD__READER_PREFETCH_AHEAD ? r->pos + PKTD__READER_PREFETCH_AHEAD
                                                                  : r->end;
        size_t i = r->prefetched;
        /* Locality 2 (prefetcht1 on x86): into L2, not L1, which the
         * decode needs; 5% faster than into L1 on the 1M trace. */
        for (; i < to; i += PKTD__READER_PREFETCH_LINE)
            __builtin_prefetch(r->mem + i, 0, 2);
        r->prefetched = i;
    }
}

/* Records an error with its details in the handle and returns it; the
 * error becomes sticky except -EAGAIN (a non-blocking descriptor). */
int pktd__reader_fail(struct pktd_reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format parsers.  *_open() reads the file header (the read position is at
 * offset 0, at least 4 bytes are available); *_next() as pktd_reader_next(). */
int pktd__pcap_open(struct pktd_reader *r);
int pktd__pcap_next(struct pktd_reader *r, const uint8_t **data, size_t *caplen);
int pktd__pcapng_open(struct pktd_reader *r);
int pktd__pcapng_next(struct pktd_reader *r, const uint8_t **data, size_t *caplen);

/* Converts a pcapng timestamp in units of the interface to ns since the
 * epoch, saturating at 0 and UINT64_MAX (exposed for the unit tests). */
uint64_t pktd__pcapng_ts_to_ns(const struct pktd__iface *ifc, uint64_t units);

#endif /* PKTD_READER_INT_H */
