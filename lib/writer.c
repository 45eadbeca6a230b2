/* Capture-file writer: classic pcap and pcapng in host byte order, through
 * a fixed buffer.  Layouts: draft-ietf-opsawg-pcap and -pcapng. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode/capture.h> /* PKTD_CAPTURE_STAT_* */
#include <pktdecode/error.h>
#include <pktdecode/version.h>
#include <pktdecode/writer.h>

#include "common.h"
#include "errmsg.h"
#include "fileformat.h"

#define WRITER_BUF_SIZE (64u * 1024u)

#define WRITER_FLAGS (PKTD_WRITER_NANO | PKTD_WRITER_NOFOLLOW)

/* Short local names for the constants of fileformat.h. */
#define BT_SHB PKTD__PCAPNG_BT_SHB
#define BT_IDB PKTD__PCAPNG_BT_IDB
#define BT_ISB PKTD__PCAPNG_BT_ISB
#define BT_EPB PKTD__PCAPNG_BT_EPB
#define OPT_ENDOFOPT PKTD__PCAPNG_OPT_ENDOFOPT

#define USERAPPL "libpktdecode " PKTD_VERSION_STRING

struct pktd_writer {
    int fd;
    int owns_fd;
    uint32_t format;
    uint32_t snaplen;
    int nano;
    int err; /* sticky error, 0 if none */
    uint64_t bytes;
    uint64_t packets;
    uint64_t last_ts_ns;
    size_t len; /* bytes waiting in buf */
    char errmsg[PKTD_ERRBUF_SIZE];
    uint8_t buf[WRITER_BUF_SIZE];
};

static int writer_fail(struct pktd_writer *w, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int writer_fail(struct pktd_writer *w, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pktd__verrmsgf(w->errmsg, code, fmt, ap);
    va_end(ap);
    return code;
}

/* A failed write leaves an unknown prefix in the file: nothing written
 * afterwards could be trusted, so the failure sticks. */
static int write_all(struct pktd_writer *w, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(w->fd, p, n);
        if (k < 0) {
            int e = errno;
            if (e == EINTR)
                continue;
            w->err = -e;
            return writer_fail(w, -e, "write(descriptor %d): %s", w->fd, pktd_strerror(-e));
        }
        if (k == 0) { /* only for n == 0 by POSIX; never loop on it */
            w->err = -EIO;
            return writer_fail(w, -EIO, "write(descriptor %d): wrote nothing", w->fd);
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int flush_buf(struct pktd_writer *w)
{
    int rc = write_all(w, w->buf, w->len);
    w->len = 0;
    return rc;
}

/* put() when @p n bytes do not fit the buffer: write the buffer out, then
 * buffer the data, or write it directly when it is larger than the whole
 * buffer.  Out of line: rare, and it keeps put() small enough to inline. */
static __attribute__((noinline)) int put_slow(struct pktd_writer *w, const void *data,
                                              size_t n)
{
    int rc = flush_buf(w);
    if (rc < 0)
        return rc;
    if (n > sizeof w->buf) {
        rc = write_all(w, data, n);
        if (rc < 0)
            return rc;
        w->bytes += n;
        return 0;
    }
    memcpy(w->buf, data, n);
    w->len = n;
    w->bytes += n;
    return 0;
}

/* Appends bytes to the output.  Inlined into every caller, so that the
 * common case (the bytes fit the buffer) is a compare and a copy: a
 * capture writing pcap spends about half its time here. */
static inline int put(struct pktd_writer *w, const void *data, size_t n)
{
    if (pktd__unlikely(n > sizeof w->buf - w->len))
        return put_slow(w, data, n);
    if (n > 0)
        memcpy(w->buf + w->len, data, n);
    w->len += n;
    w->bytes += n;
    return 0;
}

static int put32(struct pktd_writer *w, uint32_t v)
{
    return put(w, &v, sizeof v);
}

static int put_zeros(struct pktd_writer *w, size_t n)
{
    static const uint8_t zeros[4];
    return put(w, zeros, n);
}

/* pcapng blocks are built in a small scratch area in host order. */
struct blk {
    uint8_t b[128];
    size_t n;
};

static void blk_u16(struct blk *k, uint16_t v)
{
    memcpy(k->b + k->n, &v, 2);
    k->n += 2;
}

static void blk_u32(struct blk *k, uint32_t v)
{
    memcpy(k->b + k->n, &v, 4);
    k->n += 4;
}

static void blk_u64(struct blk *k, uint64_t v)
{
    memcpy(k->b + k->n, &v, 8);
    k->n += 8;
}

static void blk_opt(struct blk *k, uint16_t code, const void *val, uint16_t len)
{
    blk_u16(k, code);
    blk_u16(k, len);
    if (len > 0) /* opt_endofopt has no value (and may pass NULL) */
        memcpy(k->b + k->n, val, len);
    size_t padded = ((size_t)len + 3u) & ~(size_t)3u;
    memset(k->b + k->n + len, 0, padded - len);
    k->n += padded;
}

/* Starts a block: type and a length patched by blk_end(). */
static void blk_begin(struct blk *k, uint32_t type)
{
    k->n = 0;
    blk_u32(k, type);
    blk_u32(k, 0);
}

static int blk_end(struct pktd_writer *w, struct blk *k)
{
    uint32_t total = (uint32_t)(k->n + 4);
    memcpy(k->b + 4, &total, 4);
    blk_u32(k, total);
    return put(w, k->b, k->n);
}

static int write_file_header(struct pktd_writer *w, uint32_t linktype, const char *if_name)
{
    if (w->format == PKTD_FORMAT_PCAP) {
        uint8_t h[PKTD__PCAP_FILE_HEADER_LEN];
        uint32_t magic = w->nano ? PKTD__PCAP_MAGIC_NS : PKTD__PCAP_MAGIC_US;
        uint16_t major = 2, minor = 4;
        uint32_t zero = 0;
        memcpy(h, &magic, 4);
        memcpy(h + 4, &major, 2);
        memcpy(h + 6, &minor, 2);
        memcpy(h + 8, &zero, 4);  /* thiszone: always 0 */
        memcpy(h + 12, &zero, 4); /* sigfigs: always 0 */
        memcpy(h + 16, &w->snaplen, 4);
        memcpy(h + 20, &linktype, 4);
        return put(w, h, sizeof h);
    }
    struct blk k;
    blk_begin(&k, BT_SHB);
    blk_u32(&k, PKTD__PCAPNG_BYTE_ORDER_MAGIC);
    blk_u16(&k, 1);
    blk_u16(&k, 0);
    blk_u64(&k, UINT64_MAX); /* section length: not known in advance */
    blk_opt(&k, PKTD__PCAPNG_OPT_SHB_USERAPPL, USERAPPL, (uint16_t)(sizeof USERAPPL - 1));
    blk_opt(&k, OPT_ENDOFOPT, NULL, 0);
    int rc = blk_end(w, &k);
    if (rc < 0)
        return rc;
    blk_begin(&k, BT_IDB);
    blk_u16(&k, (uint16_t)linktype);
    blk_u16(&k, 0);
    blk_u32(&k, w->snaplen);
    uint8_t tsresol = w->nano ? 9 : 6;
    if (if_name != NULL && if_name[0] != '\0') /* length checked: fits the block */
        blk_opt(&k, PKTD__PCAPNG_OPT_IF_NAME, if_name, (uint16_t)strlen(if_name));
    blk_opt(&k, PKTD__PCAPNG_OPT_IF_TSRESOL, &tsresol, 1);
    blk_opt(&k, OPT_ENDOFOPT, NULL, 0);
    return blk_end(w, &k);
}

/* Common tail of the two constructors: on failure the message goes to
 * errbuf, prefixed with what was being opened, and a descriptor the writer
 * opened is closed. */
static int writer_open(pktd_writer **out, int fd, int owns_fd, const char *what, uint32_t format,
                       uint32_t linktype, uint32_t snaplen, uint32_t flags, const char *if_name,
                       char *errbuf)
{
    struct pktd_writer *w = calloc(1, sizeof *w);
    if (w == NULL) {
        if (owns_fd)
            close(fd);
        return pktd__errmsgf(errbuf, -ENOMEM, "%.*s: cannot allocate a writer",
                             PKTD__ERRMSG_WHAT_MAX, what);
    }
    w->fd = fd;
    w->owns_fd = owns_fd;
    w->format = format;
    w->snaplen = snaplen ? snaplen : PKTD_WRITER_DEFAULT_SNAPLEN;
    w->nano = (flags & PKTD_WRITER_NANO) != 0;
    /* The header goes out at once, so a descriptor that cannot be written
     * fails here, and a reader at the other end of a pipe can start. */
    int rc = write_file_header(w, linktype, if_name);
    if (rc == 0)
        rc = flush_buf(w);
    if (rc < 0) {
        pktd__errmsgf(errbuf, rc, "%.*s: %s", PKTD__ERRMSG_WHAT_MAX, what, w->errmsg);
        if (owns_fd)
            close(fd);
        free(w);
        return rc;
    }
    *out = w;
    return 0;
}

static int check_open_args(const char *call, uint32_t format, uint32_t linktype, uint32_t snaplen,
                           uint32_t flags, char *errbuf)
{
    if (format != PKTD_FORMAT_PCAP && format != PKTD_FORMAT_PCAPNG)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "%s: format %lu is neither PKTD_FORMAT_PCAP nor PKTD_FORMAT_PCAPNG",
                             call, (unsigned long)format);
    if (linktype > 0xffffu)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "%s: link type %lu does not fit 16 bits", call,
                             (unsigned long)linktype);
    if (snaplen > PKTD_WRITER_MAX_SNAPLEN)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "%s: snap length %lu exceeds the maximum %lu", call,
                             (unsigned long)snaplen, (unsigned long)PKTD_WRITER_MAX_SNAPLEN);
    if (flags & ~WRITER_FLAGS)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "%s: unknown flags 0x%lx", call,
                             (unsigned long)(flags & ~WRITER_FLAGS));
    return 0;
}

/* Both descriptor openers: the same checks, messages naming the caller. */
static int open_fd(const char *call, pktd_writer **out, int fd, uint32_t format,
                   uint32_t linktype, uint32_t snaplen, uint32_t flags, const char *if_name,
                   char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "%s: out is NULL", call);
    *out = NULL;
    int rc = check_open_args(call, format, linktype, snaplen, flags, errbuf);
    if (rc < 0)
        return rc;
    if (fd < 0)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "%s: descriptor %d is negative", call,
                             fd);
    if (if_name != NULL && strlen(if_name) > PKTD_WRITER_MAX_IF_NAME)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "%s: interface name of %zu bytes, more than %u", call,
                             strlen(if_name), PKTD_WRITER_MAX_IF_NAME);
    char what[32];
    snprintf(what, sizeof what, "descriptor %d", fd);
    return writer_open(out, fd, 0, what, format, linktype, snaplen, flags, if_name, errbuf);
}

int pktd_writer_open_fd(pktd_writer **out, int fd, uint32_t format, uint32_t linktype,
                        uint32_t snaplen, uint32_t flags, char *errbuf)
{
    return open_fd("pktd_writer_open_fd", out, fd, format, linktype, snaplen, flags, NULL, errbuf);
}

int pktd_writer_open_fd_iface(pktd_writer **out, int fd, uint32_t format, uint32_t linktype,
                              uint32_t snaplen, uint32_t flags, const char *if_name, char *errbuf)
{
    return open_fd("pktd_writer_open_fd_iface", out, fd, format, linktype, snaplen, flags, if_name,
                   errbuf);
}

int pktd_writer_open_path(pktd_writer **out, const char *path, uint32_t format, uint32_t linktype,
                          uint32_t snaplen, uint32_t flags, char *errbuf)
{
    static const char call[] = "pktd_writer_open_path";
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "%s: out is NULL", call);
    *out = NULL;
    int rc = check_open_args(call, format, linktype, snaplen, flags, errbuf);
    if (rc < 0)
        return rc;
    if (path == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "%s: path is NULL", call);
    int oflags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    if (flags & PKTD_WRITER_NOFOLLOW)
        oflags |= O_NOFOLLOW;
    /* 0644: a capture holds other hosts' traffic; no one else may alter it. */
    int fd = open(path, oflags, 0644);
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP && (flags & PKTD_WRITER_NOFOLLOW))
            return pktd__errmsgf(errbuf, -e,
                                 "open(%.*s): %s (PKTD_WRITER_NOFOLLOW refuses a symbolic link)",
                                 PKTD__ERRMSG_WHAT_MAX, path, pktd_strerror(-e));
        return pktd__errmsg(errbuf, "open", path, -e);
    }
    return writer_open(out, fd, 1, path, format, linktype, snaplen, flags, NULL, errbuf);
}

int pktd_writer_write(pktd_writer *w, const uint8_t *data, size_t caplen, uint32_t wire_len,
                      uint64_t ts_ns)
{
    if (w == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (w->err)
        return w->err;
    if (data == NULL && caplen > 0)
        return writer_fail(w, PKTD_E_INVALID_ARGUMENT, "packet data is NULL");
    if (caplen > wire_len)
        return writer_fail(w, PKTD_E_INVALID_ARGUMENT, "caplen %zu exceeds wire length %lu", caplen,
                           (unsigned long)wire_len);
    uint32_t cap = caplen > w->snaplen ? w->snaplen : (uint32_t)caplen;
    int rc;
    if (w->format == PKTD_FORMAT_PCAP) {
        uint64_t sec = ts_ns / 1000000000u;
        if (sec > UINT32_MAX)
            return writer_fail(w, PKTD_E_INVALID_ARGUMENT,
                               "timestamp %llu ns is after 2106: pcap cannot hold it",
                               (unsigned long long)ts_ns);
        uint32_t frac = (uint32_t)(ts_ns - sec * 1000000000u);
        uint32_t hdr[4] = {(uint32_t)sec, w->nano ? frac : frac / 1000u, cap, wire_len};
        if (pktd__likely(sizeof hdr + cap <= sizeof w->buf - w->len)) {
            /* The usual case: record header and data into the buffer with
             * one check (put() twice costs a second check and update).
             * The four fields are stored one by one: copying hdr[] made
             * GCC store them to the stack and load them back as one 16-byte
             * value, a failed store-to-load forwarding that cost about as
             * much as the rest of the function (perf annotate, pktd-sniff
             * under a flood). */
            uint8_t *p = w->buf + w->len;
            memcpy(p, &hdr[0], 4);
            memcpy(p + 4, &hdr[1], 4);
            memcpy(p + 8, &hdr[2], 4);
            memcpy(p + 12, &hdr[3], 4);
            if (cap > 0)
                memcpy(p + sizeof hdr, data, cap);
            w->len += sizeof hdr + cap;
            w->bytes += sizeof hdr + cap;
            rc = 0;
        } else {
            rc = put(w, hdr, sizeof hdr);
            if (rc == 0)
                rc = put(w, data, cap);
        }
    } else {
        uint64_t units = w->nano ? ts_ns : ts_ns / 1000u;
        uint32_t pad = (4u - (cap & 3u)) & 3u;
        uint32_t total = 32u + cap + pad;
        uint32_t hdr[7] = {
            BT_EPB, total, 0 /* interface */, (uint32_t)(units >> 32), (uint32_t)units, cap,
            wire_len,
        };
        rc = put(w, hdr, sizeof hdr);
        if (rc == 0)
            rc = put(w, data, cap);
        if (rc == 0)
            rc = put_zeros(w, pad);
        if (rc == 0)
            rc = put32(w, total);
    }
    if (rc < 0)
        return rc;
    w->packets++;
    w->last_ts_ns = ts_ns;
    return 0;
}

/* The capture's counters that pcapng has an interface statistics option
 * for, in the order the options are written.  PKTD_CAPTURE_STAT_FILTERED and
 * _PENDING have none (isb_filteraccept counts what a filter accepted, not
 * what the library withheld), and no capture counter is isb_ifdrop; a
 * counter added to the capture later gets a row here if pcapng has one. */
static const struct {
    uint32_t index; /* PKTD_CAPTURE_STAT_* */
    uint16_t code;  /* isb_* option */
} isb_options[] = {
    {PKTD_CAPTURE_STAT_RECEIVED, PKTD__PCAPNG_OPT_ISB_IFRECV},
    {PKTD_CAPTURE_STAT_DROPPED, PKTD__PCAPNG_OPT_ISB_OSDROP},
    {PKTD_CAPTURE_STAT_DELIVERED, PKTD__PCAPNG_OPT_ISB_USRDELIV},
};

int pktd_writer_stats(pktd_writer *w, const uint64_t *stats, size_t n, uint64_t ts_ns)
{
    if (w == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (w->err)
        return w->err;
    if (stats == NULL && n > 0)
        return writer_fail(w, PKTD_E_INVALID_ARGUMENT, "statistics array is NULL but n is %zu", n);
    if (w->format == PKTD_FORMAT_PCAP)
        return 0; /* classic pcap has no statistics record */
    if (ts_ns == 0)
        ts_ns = w->last_ts_ns;
    uint64_t units = w->nano ? ts_ns : ts_ns / 1000u;
    struct blk k;
    /* header 8, interface and timestamp 12, options of 12, end 4, trailer 4 */
    PKTD__STATIC_ASSERT(28u + 12u * (sizeof isb_options / sizeof isb_options[0]) <= sizeof k.b,
                       "an interface statistics block fits the scratch area");
    blk_begin(&k, BT_ISB);
    blk_u32(&k, 0); /* interface */
    blk_u32(&k, (uint32_t)(units >> 32));
    blk_u32(&k, (uint32_t)units);
    int any = 0;
    for (size_t i = 0; i < sizeof isb_options / sizeof isb_options[0]; i++) {
        /* Beyond the caller's array, or UINT64_MAX: not known, left out. */
        if (isb_options[i].index >= n || stats[isb_options[i].index] == PKTD_WRITER_STAT_NONE)
            continue;
        blk_opt(&k, isb_options[i].code, &stats[isb_options[i].index], 8);
        any = 1;
    }
    if (any)
        blk_opt(&k, OPT_ENDOFOPT, NULL, 0);
    return blk_end(w, &k);
}

int pktd_writer_flush(pktd_writer *w)
{
    if (w == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (w->err)
        return w->err;
    return flush_buf(w);
}

int pktd_writer_close(pktd_writer *w)
{
    if (w == NULL)
        return 0;
    int rc = w->err ? w->err : flush_buf(w);
    if (w->owns_fd && close(w->fd) < 0 && rc == 0)
        rc = -errno; /* e.g. EIO or EDQUOT reported only at close on NFS */
    free(w);
    return rc;
}

const char *pktd_writer_errmsg(const pktd_writer *w)
{
    return w ? w->errmsg : "";
}

uint64_t pktd_writer_bytes(const pktd_writer *w)
{
    return w ? w->bytes : 0;
}

uint64_t pktd_writer_packets(const pktd_writer *w)
{
    return w ? w->packets : 0;
}
