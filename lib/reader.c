/* Capture-file reader: the handle, buffered input from a descriptor or a
 * memory image, format detection and the accessors.  The formats themselves
 * are parsed in reader_pcap.c and reader_pcapng.c. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pktdecode/error.h>
#include <pktdecode/reader.h>

#include "common.h"
#include "errmsg.h"
#include "fileformat.h"
#include "reader_int.h"

int pktd__reader_fail(struct pktd_reader *r, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pktd__verrmsgf(r->errmsg, code, fmt, ap);
    va_end(ap);
    /* A non-blocking descriptor with no data yet is not a broken file: the
     * window still holds the partial record, so a later call resumes. */
    if (code != -EAGAIN && code != -EWOULDBLOCK)
        r->err = code;
    return code;
}

/* Grows the descriptor buffer to hold at least `need` bytes. */
static int reader_grow(struct pktd_reader *r, size_t need)
{
    size_t cap = r->buf_cap ? r->buf_cap : PKTD__READER_CHUNK;
    while (cap < need)
        cap = cap > PKTD__READER_MAX_WINDOW / 2 ? PKTD__READER_MAX_WINDOW : cap * 2;
    if (cap == r->buf_cap)
        return 0;
    uint8_t *nb = realloc(r->buf, cap);
    if (nb == NULL)
        return pktd__reader_fail(r, -ENOMEM, "cannot allocate a %zu-byte read buffer", cap);
    r->buf = nb;
    r->buf_cap = cap;
    return 0;
}

int pktd__reader_fetch_more(struct pktd_reader *r, size_t n, const uint8_t **p)
{
    /* Callers check lengths against the limit first; this is the backstop
     * that keeps any length from turning into an allocation. */
    if (n > PKTD__READER_MAX_WINDOW)
        return pktd__reader_fail(r, PKTD_E_TOO_LARGE, "at offset %llu: %zu-byte read exceeds the limit",
                                 (unsigned long long)r->consumed, n);
    while (r->end - r->pos < n) {
        if (r->eof || r->fd < 0) {
            r->eof = 1;
            return r->end == r->pos ? 0 : PKTD_E_TRUNCATED;
        }
        if (r->pos > 0) {
            memmove(r->buf, r->buf + r->pos, r->end - r->pos);
            r->end -= r->pos;
            r->pos = 0;
        }
        if (n > r->buf_cap || r->buf_cap == 0) {
            int rc = reader_grow(r, n);
            if (rc < 0)
                return rc;
        }
        ssize_t k = read(r->fd, r->buf + r->end, r->buf_cap - r->end);
        if (k < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            return pktd__reader_fail(r, -e, "read(descriptor %d, offset %llu): %s", r->fd,
                                     (unsigned long long)(r->consumed + (r->end - r->pos)),
                                     pktd_strerror(-e));
        }
        if (k == 0)
            r->eof = 1;
        r->end += (size_t)k;
    }
    *p = (r->fd < 0 ? r->mem : r->buf) + r->pos;
    return 1;
}

/* A 32-bit constant as bytes in file order, big- or little-endian. */
#define BYTES_BE(v) {(uint8_t)((v) >> 24), (uint8_t)((v) >> 16), (uint8_t)((v) >> 8), (uint8_t)(v)}
#define BYTES_LE(v) {(uint8_t)(v), (uint8_t)((v) >> 8), (uint8_t)((v) >> 16), (uint8_t)((v) >> 24)}

/* The magics a capture file can start with, as bytes in file order. */
static const uint8_t known_magics[][4] = {
    BYTES_BE(PKTD__PCAP_MAGIC_US),  /* pcap, microseconds, big-endian */
    BYTES_LE(PKTD__PCAP_MAGIC_US),  /* pcap, microseconds, little-endian */
    BYTES_BE(PKTD__PCAP_MAGIC_NS),  /* pcap, nanoseconds, big-endian */
    BYTES_LE(PKTD__PCAP_MAGIC_NS),  /* pcap, nanoseconds, little-endian */
    BYTES_BE(PKTD__PCAPNG_BT_SHB), /* pcapng section header block */
};

/* Reads the magic and hands over to the format's header parser. */
static int reader_start(struct pktd_reader *r)
{
    const uint8_t *p;
    int rc = pktd__reader_fetch(r, 4, &p);
    if (rc == 0)
        return pktd__reader_fail(r, PKTD_E_BAD_FILE, "empty file: not a pcap or pcapng capture");
    if (rc == PKTD_E_TRUNCATED) {
        /* 1-3 bytes: truncated if they begin a capture magic, else junk. */
        size_t have = pktd__reader_avail(r);
        const uint8_t *q = (r->fd < 0 ? r->mem : r->buf) + r->pos;
        for (size_t i = 0; i < sizeof known_magics / sizeof known_magics[0]; i++)
            if (memcmp(q, known_magics[i], have) == 0)
                return pktd__reader_fail(r, PKTD_E_TRUNCATED,
                                         "file ends after %zu bytes, inside the magic number", have);
        return pktd__reader_fail(r, PKTD_E_BAD_FILE, "%zu-byte file: not a pcap or pcapng capture",
                                 have);
    }
    if (rc < 0)
        return rc;
    if (memcmp(p, known_magics[4], 4) == 0) {
        r->format = PKTD_FORMAT_PCAPNG;
        return pktd__pcapng_open(r);
    }
    for (int i = 0; i < 4; i++) {
        if (memcmp(p, known_magics[i], 4) == 0) {
            r->format = PKTD_FORMAT_PCAP;
            r->big_endian = (i % 2) == 0;
            r->pcap_nano = i >= 2;
            return pktd__pcap_open(r);
        }
    }
    return pktd__reader_fail(r, PKTD_E_BAD_FILE,
                             "magic number %02x%02x%02x%02x is neither pcap nor pcapng", p[0], p[1],
                             p[2], p[3]);
}

/* Common tail of the three constructors: on failure the handle's message
 * goes to errbuf, prefixed with what was being opened, and the handle is
 * freed. */
static int reader_finish_open(pktd_reader **out, struct pktd_reader *r, const char *what,
                              char *errbuf)
{
    int rc = reader_start(r);
    if (rc < 0) {
        if (r->errmsg[0] == '\0')
            pktd__errmsgf(r->errmsg, rc, "%s", pktd_strerror(rc));
        pktd__errmsgf(errbuf, rc, "%.*s: %s", PKTD__ERRMSG_WHAT_MAX, what, r->errmsg);
        pktd_reader_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

static struct pktd_reader *reader_alloc(void)
{
    struct pktd_reader *r = calloc(1, sizeof *r);
    if (r != NULL)
        r->fd = -1;
    return r;
}

int pktd_reader_open_fd(pktd_reader **out, int fd, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_reader_open_fd: out is NULL");
    *out = NULL;
    if (fd < 0)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_reader_open_fd: descriptor %d is negative", fd);
    struct pktd_reader *r = reader_alloc();
    if (r == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_reader_open_fd: cannot allocate a reader");
    r->fd = fd;
    char what[32];
    snprintf(what, sizeof what, "descriptor %d", fd);
    return reader_finish_open(out, r, what, errbuf);
}

int pktd_reader_open_path(pktd_reader **out, const char *path, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_reader_open_path: out is NULL");
    *out = NULL;
    if (path == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_reader_open_path: path is NULL");
    struct pktd_reader *r = reader_alloc();
    if (r == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_reader_open_path: cannot allocate a reader");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(r);
        return pktd__errmsg(errbuf, "open", path, -e);
    }
    r->fd = fd;
    r->owns_fd = 1;
    return reader_finish_open(out, r, path, errbuf);
}

int pktd_reader_open_mem(pktd_reader **out, const uint8_t *data, size_t len, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_reader_open_mem: out is NULL");
    *out = NULL;
    if (data == NULL && len > 0)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_reader_open_mem: data is NULL but len is %zu", len);
    struct pktd_reader *r = reader_alloc();
    if (r == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_reader_open_mem: cannot allocate a reader");
    r->mem = data;
    r->end = len;
    r->eof = 1;
    return reader_finish_open(out, r, "capture in memory", errbuf);
}

/* Maps a regular file read-only for pktd_reader_open_mapped(): the address,
 * or NULL for anything that is better read with read(2) (not a regular
 * file, empty or of an unknown size as /proc files are, larger than the
 * address space, or mmap() refused). */
static void *reader_map(int fd, size_t *len)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > (uint64_t)SIZE_MAX)
        return NULL;
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return NULL;
    /* Ask the kernel to read ahead of the faults when the file is not in
     * the page cache yet; advice only, its failure changes nothing. */
    (void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
    *len = (size_t)st.st_size;
    return m;
}

int pktd_reader_open_mapped(pktd_reader **out, const char *path, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_reader_open_mapped: out is NULL");
    *out = NULL;
    if (path == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_reader_open_mapped: path is NULL");
    struct pktd_reader *r = reader_alloc();
    if (r == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_reader_open_mapped: cannot allocate a reader");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        free(r);
        return pktd__errmsg(errbuf, "open", path, -e);
    }
    size_t len = 0;
    void *m = reader_map(fd, &len);
    if (m == NULL) {
        /* Read it as pktd_reader_open_path() does. */
        r->fd = fd;
        r->owns_fd = 1;
    } else {
        close(fd); /* the mapping keeps the file; read-only: nothing to lose */
        r->map = m;
        r->map_len = len;
        r->mem = m;
        r->end = len;
        r->eof = 1;
    }
    return reader_finish_open(out, r, path, errbuf);
}

void pktd_reader_close(pktd_reader *r)
{
    if (r == NULL)
        return;
    if (r->owns_fd)
        close(r->fd); /* read-only: nothing to lose if close() fails */
    if (r->map != NULL)
        munmap(r->map, r->map_len); /* fails only for a bad range, which this is not */
    free(r->buf);
    free(r->ifs);
    free(r);
}

int pktd_reader_next(pktd_reader *r, const uint8_t **data, size_t *caplen)
{
    if (r == NULL || data == NULL || caplen == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (r->err)
        return r->err;
    r->errmsg[0] = '\0';
    if (r->format == PKTD_FORMAT_PCAP)
        return pktd__pcap_next(r, data, caplen);
    return pktd__pcapng_next(r, data, caplen);
}

uint64_t pktd_reader_ts_ns(const pktd_reader *r)
{
    return r ? r->ts_ns : 0;
}

uint32_t pktd_reader_wire_len(const pktd_reader *r)
{
    return r ? r->wire_len : 0;
}

uint32_t pktd_reader_linktype(const pktd_reader *r)
{
    return r ? r->linktype : 0;
}

uint32_t pktd_reader_interface(const pktd_reader *r)
{
    return r ? r->iface : 0;
}

uint32_t pktd_reader_format(const pktd_reader *r)
{
    return r ? r->format : 0;
}

uint32_t pktd_reader_snaplen(const pktd_reader *r)
{
    return r ? r->snaplen : 0;
}

uint64_t pktd_reader_packet_index(const pktd_reader *r)
{
    return r ? r->packet_index : 0;
}

uint64_t pktd_reader_offset(const pktd_reader *r)
{
    return r ? r->record_offset : 0;
}

const char *pktd_reader_errmsg(const pktd_reader *r)
{
    return r ? r->errmsg : "";
}

/* ---- 1.1: splitting a capture into chunks that read on their own ---- */

int pktd_reader_skip(pktd_reader *r, uint64_t offset, uint64_t *packets)
{
    uint64_t n = 0;
    int rc = 1;
    if (r == NULL) {
        rc = PKTD_E_INVALID_ARGUMENT;
    } else if (r->err) {
        rc = r->err;
    } else {
        /* The format parsers themselves, so that a skipped record is
         * checked exactly as a read one and pcapng section and interface
         * blocks change the state as they would; only the per-call work of
         * pktd_reader_next() and of returning each record is saved. */
        int (*next)(struct pktd_reader *, const uint8_t **, size_t *) =
            r->format == PKTD_FORMAT_PCAP ? pktd__pcap_next : pktd__pcapng_next;
        const uint8_t *data;
        size_t caplen;
        r->errmsg[0] = '\0';
        while (r->consumed < offset) {
            rc = next(r, &data, &caplen);
            if (rc <= 0)
                break;
            n++;
        }
    }
    if (packets != NULL)
        *packets = n;
    return rc;
}

uint64_t pktd_reader_position(const pktd_reader *r)
{
    return r ? r->consumed : 0;
}

uint32_t pktd_reader_header_ranges(const pktd_reader *r, uint64_t *offsets, size_t *lengths,
                                   uint32_t n)
{
    if (r == NULL)
        return 0;
    if (r->format == PKTD_FORMAT_PCAP) {
        if (n > 0) {
            if (offsets != NULL)
                offsets[0] = 0;
            if (lengths != NULL)
                lengths[0] = PKTD__PCAP_FILE_HEADER_LEN;
        }
        return 1;
    }
    /* pcapng: the section header, then the section's interfaces in the
     * order they were defined (their position is their interface id).
     * n_ifs <= 65536, so the count fits. */
    for (uint32_t i = 0; i <= r->n_ifs && i < n; i++) {
        uint64_t off = i == 0 ? r->shb_offset : r->ifs[i - 1].idb_offset;
        uint32_t len = i == 0 ? r->shb_len : r->ifs[i - 1].idb_len;
        if (offsets != NULL)
            offsets[i] = off;
        if (lengths != NULL)
            lengths[i] = len;
    }
    return r->n_ifs + 1u;
}
