/* pktd-sniff's output files and their rotation; see sniff_files.h. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"
#include "sniff_files.h"

/* -G's names: the pattern is the user's -w FILE, as for tcpdump. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static size_t format_time(char *buf, size_t n, const char *pattern, const struct tm *tm)
{
    return strftime(buf, n, pattern, tm);
}
#pragma GCC diagnostic pop

int sniff_files_name(struct sniff_files *f, time_t t)
{
    char base[PATH_MAX];
    if (f->secs != 0) {
        struct tm tm;
        if (localtime_r(&t, &tm) == NULL || format_time(base, sizeof base, f->path, &tm) == 0) {
            fprintf(stderr, "%s: %s: the file name is empty or too long once its time is "
                            "filled in\n", f->prog, f->path);
            return -1;
        }
    } else if (snprintf(base, sizeof base, "%s", f->path) >= (int)sizeof base) {
        fprintf(stderr, "%s: %s: file name too long\n", f->prog, f->path);
        return -1;
    }
    int n;
    /* tcpdump's names: FILE for the first -C file unless -W pads numbers. */
    if (f->max_bytes == 0 || (f->number == 0 && f->width == 0))
        n = snprintf(f->name, sizeof f->name, "%s", base);
    else
        n = snprintf(f->name, sizeof f->name, "%s%0*" PRIu32, base, (int)f->width, f->number);
    if (n < 0 || (size_t)n >= sizeof f->name) {
        fprintf(stderr, "%s: %s: file name too long\n", f->prog, base);
        return -1;
    }
    return 0;
}

/* Open f->name (or standard output for "-") and write its header. */
static int open_current(struct sniff_files *f)
{
    int to_stdout = strcmp(f->path, "-") == 0;
    f->fd = -1;
    if (!to_stdout && (f->fd = privs_open_output(f->prog, f->name)) < 0)
        return -1;
    char err[PKTD_ERRBUF_SIZE];
    int rc = pktd_writer_open_fd_iface(&f->w, to_stdout ? STDOUT_FILENO : f->fd, f->format,
                                       f->linktype, f->snaplen, PKTD_WRITER_NANO, f->if_name, err);
    if (rc != 0) {
        fprintf(stderr, "%s: %s: %s\n", f->prog, to_stdout ? "standard output" : f->name, err);
        if (f->fd >= 0)
            close(f->fd);
        f->fd = -1;
        f->w = NULL;
        return -1;
    }
    return 0;
}

int sniff_files_open(struct sniff_files *f, time_t t)
{
    f->width = 0;
    for (uint32_t v = f->nfiles > 0 ? f->nfiles - 1 : 0; v > 0; v /= 10)
        f->width++;
    f->number = 0;
    f->made = 1;
    f->start = (uint64_t)t;
    if (strcmp(f->path, "-") != 0 && sniff_files_name(f, t) != 0)
        return -1;
    return open_current(f);
}

int sniff_files_close(struct sniff_files *f, const uint64_t *stats)
{
    if (f->w == NULL)
        return 0;
    int rc = 0;
    if (stats != NULL && f->format == PKTD_FORMAT_PCAPNG)
        rc = pktd_writer_stats(f->w, stats, PKTD_CAPTURE_STAT_COUNT, 0);
    int crc = pktd_writer_close(f->w);
    f->w = NULL;
    if (rc == 0)
        rc = crc;
    if (f->fd >= 0 && close(f->fd) != 0 && rc == 0)
        rc = -errno;
    f->fd = -1;
    if (rc != 0) {
        fprintf(stderr, "%s: %s: write failed: %s\n", f->prog,
                strcmp(f->path, "-") == 0 ? "standard output" : f->name, pktd_strerror(rc));
        return -1;
    }
    return 0;
}

int sniff_files_before(struct sniff_files *f, uint64_t ts_ns, const uint64_t *stats)
{
    uint64_t now = ts_ns / 1000000000u;
    int by_time = f->secs != 0 && now >= f->start + f->secs;
    int by_size = f->max_bytes != 0 && pktd_writer_bytes(f->w) > f->max_bytes;
    if (!by_time && !by_size)
        return 0;
    if (by_time) {
        if (f->nfiles != 0 && f->max_bytes == 0 && f->made >= f->nfiles)
            return 1; /* -G -W: the last file is done */
        f->made++;
        f->start = now;
        f->number = 0;
    } else {
        f->number++;
        /* -C -W: a ring; with -G as well -W only sets the width (tcpdump). */
        if (f->nfiles != 0 && f->secs == 0 && f->number >= f->nfiles)
            f->number = 0;
    }
    if (sniff_files_close(f, stats) != 0)
        return -1;
    if (sniff_files_name(f, (time_t)now) != 0)
        return -1;
    return open_current(f);
}
