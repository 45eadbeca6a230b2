/* pktd-sniff's output files (-w FILE with --pcapng, -C, -G, -W): which file
 * a packet goes to, with tcpdump's meaning of those options, and opening
 * each file the way privs.h says (after the privilege drop, a symbolic
 * link refused while running as root).  Not part of the library.
 *
 *   -C MB   before a packet is written, a file already larger than MB
 *           millions of bytes is closed and the next one opened: FILE,
 *           FILE1, FILE2 ... (with -W N: FILE0 ... FILE<N-1>, numbers
 *           padded to the width of N-1, and back to FILE0 after the last);
 *   -G S    a packet S seconds or more after the current file's start
 *           (both in packet time) goes to a new file named by strftime(3)
 *           on FILE at that packet's (local) time; with -C the numbers
 *           start again at each new -G file; with -W N and no -C the
 *           capture stops when an (N+1)th file would be needed.
 *
 * The packet that triggers a rotation goes to the new file: none is lost or
 * written twice.  A pcapng file gets, before it is closed, an interface
 * statistics block with the capture's running totals. */
#ifndef PKTD_EXAMPLES_SNIFF_FILES_H
#define PKTD_EXAMPLES_SNIFF_FILES_H

#include <limits.h>
#include <stdint.h>
#include <time.h>

#include <pktdecode.h>
#include <pktdecode/writer.h>

struct sniff_files {
    /* Set by the caller before sniff_files_open(). */
    const char *prog;
    const char *path;    /* -w FILE, not "-" when rotating */
    const char *if_name; /* the pcapng interface's name (may be NULL) */
    uint32_t format;     /* PKTD_FORMAT_PCAP or PKTD_FORMAT_PCAPNG */
    uint64_t max_bytes;  /* -C in bytes, 0 for none */
    uint32_t secs;       /* -G, 0 for none */
    uint32_t nfiles;     /* -W, 0 for none */
    uint32_t linktype, snaplen;
    /* State. */
    pktd_writer *w;
    int fd;              /* -1 for standard output */
    uint32_t width;      /* digits of the -W numbers */
    uint32_t number;     /* -C: the current file's number */
    uint32_t made;       /* -G: files opened so far */
    uint64_t start;      /* -G: the current file's start, s since the epoch */
    char name[PATH_MAX];
};

/* The name of a file: @p f's pattern (strftime'd at @p t with -G) and,
 * with -C, its number.  Returns -1 (and says why) when it does not fit. */
int sniff_files_name(struct sniff_files *f, time_t t);

/* Open the first file (or standard output for "-"), named at time @p t.
 * Returns 0, or prints why and returns -1. */
int sniff_files_open(struct sniff_files *f, time_t t);

/* Before writing a packet captured at @p ts_ns: rotate
 * when -C or -G says so.  @p stats (PKTD_CAPTURE_STAT_COUNT counters, may
 * be NULL) go into the closing file when it is pcapng.  Returns 0 to write
 * the packet, 1 when -G -W's last file is full (stop), or prints why and
 * returns -1. */
int sniff_files_before(struct sniff_files *f, uint64_t ts_ns, const uint64_t *stats);

/* Close the current file, after its statistics (@p stats as above) when it
 * is pcapng.  Returns 0, or prints why and returns -1. */
int sniff_files_close(struct sniff_files *f, const uint64_t *stats);

#endif
