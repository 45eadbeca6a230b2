/* pktd-sniff: tcpdump-like live capture.  Interface: doc/programs.md,
 * "pktd-sniff".
 *
 *   pktd-sniff [-i IFACE] [-c COUNT] [-j] [-q] [-l] [-w FILE [--pcapng]
 *              [-C MB] [-G SECONDS] [-W N]] [-s SNAPLEN] [-p] [-B KiB]
 *              [-Z USER] [FILTER...]
 *
 * One line per packet (the same text or JSON Lines as pktd-decode), or a
 * pcap (or pcapng) file with -w, rotated with -C/-G/-W (sniff_files.h).  Stops after COUNT packets or on SIGINT/SIGTERM, then
 * prints tcpdump's three statistics lines on stderr.  Exit status 0, 1 when
 * the capture cannot start or fails, 2 on a usage error. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode.h>
#include <pktdecode/writer.h>

#include "print.h"
#include "privs.h"
#include "sniff.h"
#include "sniff_files.h"

static const char *prog = "pktd-sniff";

/* The ring block timeout when writing a file (see main()). */
#define SNIFF_FILE_BLOCK_MS 100u

static void usage(FILE *out)
{
    fprintf(out,
            "usage: pktd-sniff [-i IFACE] [-c COUNT] [-j] [-q] [-l]\n"
            "                  [-w FILE [--pcapng] [-C MB] [-G SECONDS] [-W N]] [-s SNAPLEN] [-p]\n"
            "                  [-B KiB] [-Z USER] [FILTER...]\n"
            "  -i IFACE   capture on IFACE (default: all interfaces)\n"
            "  -c COUNT   stop after COUNT packets\n"
            "  -j         JSON Lines, one object per packet (pktd-decode's schema)\n"
            "  -q         print nothing per packet\n"
            "  -l         flush standard output after each packet\n"
            "  -w FILE    write the packets to FILE as pcap (- for standard output)\n"
            "  --pcapng   write pcapng instead, with the capture statistics at the end\n"
            "  -C MB      a new file when the current one exceeds MB million bytes:\n"
            "             FILE, FILE1, FILE2 ...\n"
            "  -G SECONDS a new file every SECONDS, FILE strftime-formatted\n"
            "  -W N       with -C: a ring of N files FILE0 ... (FILE<N-1>);\n"
            "             with -G alone: stop after N files\n"
            "  -s SNAPLEN keep at most SNAPLEN bytes per packet (0: 262144)\n"
            "  -p         do not put the interface in promiscuous mode\n"
            "  -B KiB     ring buffer size in KiB (default 4096)\n"
            "  -Z USER    after opening the socket, run as USER (FILE is opened as USER)\n"
            "  FILTER     a tcpdump filter expression\n");
}

struct sink {
    int json, quiet, line;
    uint64_t n;
    uint64_t max; /* -c COUNT, 0 for no limit */
    pktd_capture *cap;
    pktd_writer *w; /* files.w while writing */
    struct sniff_files files;
    int rotating;   /* -C or -G */
    int done;       /* -G -W: the last file is full */
    int failed;
    /* Packets the library handed over that are in no file: one that a
     * rotation failed to find a file for (counted as dropped), and the one
     * that -G -W's end left unwritten (counted as not received). */
    uint64_t lost, untaken;
};

/* The capture's running totals, as the pcapng statistics block takes
 * them; NULL when they cannot be read. */
static const uint64_t *capture_stats(struct sink *s, uint64_t st[PKTD_CAPTURE_STAT_COUNT])
{
    memset(st, 0, PKTD_CAPTURE_STAT_COUNT * sizeof st[0]);
    if (pktd_capture_stats(s->cap, st, PKTD_CAPTURE_STAT_COUNT) <= 0)
        return NULL;
    st[PKTD_CAPTURE_STAT_DELIVERED] = s->n; /* what this program handled */
    return st;
}

/* -C / -G: switch files before the packet that needs a new one. */
static int rotate(struct sink *s, uint64_t ts_ns)
{
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    const uint64_t *stp = s->files.format == PKTD_FORMAT_PCAPNG ? capture_stats(s, st) : NULL;
    int rc = sniff_files_before(&s->files, ts_ns, stp);
    if (rc == 1)
        s->done = 1;
    else if (rc < 0)
        s->failed = 1;
    s->w = s->files.w;
    return rc;
}

/* pktd_capture_dispatch()'s callback: the whole batch of ready packets is
 * handed over in one library call, with length and time as arguments (the
 * per-packet pktd_capture_next() + getter calls cost as much again as the
 * writing: doc/performance.md, "pktd-sniff").  Non-zero stops the batch. */
static int on_packet(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                     uint64_t ts_ns)
{
    struct sink *s = user;
    if (s->rotating && s->files.w != NULL) {
        int rc = rotate(s, ts_ns);
        if (rc < 0) {
            s->lost++; /* no file to write it to */
            return 1;
        }
        if (rc > 0) {
            s->untaken++; /* -G -W: the capture ends before it */
            return 1;
        }
    }
    s->n++;
    if (s->w != NULL) {
        int rc = pktd_writer_write(s->w, data, caplen, wire_len, ts_ns);
        if (rc != 0 && !s->failed) {
            fprintf(stderr, "%s: %s\n", prog, pktd_writer_errmsg(s->w));
            s->failed = 1;
        }
        return s->failed || (s->max != 0 && s->n >= s->max);
    }
    if (!s->quiet) {
        pktd_packet p;
        struct print_record rec = {
            .n = s->n,
            .ts_ns = ts_ns,
            .caplen = (uint32_t)caplen,
            .wire_len = wire_len,
        };
        (void)pktd_decode(&p, pktd_capture_linktype(s->cap), data, caplen);
        if (s->json)
            pktd_print_json(stdout, &rec, &p);
        else
            pktd_print_text(stdout, &rec, &p);
        if (s->line)
            fflush(stdout);
    }
    return s->max != 0 && s->n >= s->max;
}

/* sniff_drain()'s callback, after pktd_capture_next(): the getters give
 * what dispatch passes as arguments. */
static void on_drained(void *user, const uint8_t *data, size_t caplen)
{
    struct sink *s = user;
    if (s->failed || s->done || (s->max != 0 && s->n >= s->max))
        return;
    (void)on_packet(user, data, caplen, pktd_capture_wire_len(s->cap), pktd_capture_ts_ns(s->cap));
}

/* The filter words joined by spaces, as tcpdump takes them. */
static char *join_words(char **w, int n)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *s = malloc(len);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i > 0)
            strcat(s, " ");
        strcat(s, w[i]);
    }
    return s;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "\r" + counts, once a second, for -w captures watched on a terminal. */
static void live_count(struct sink *s, uint64_t *last)
{
    uint64_t now = mono_ms();
    if (now - *last < 1000)
        return;
    *last = now;
    uint64_t st[PKTD_CAPTURE_STAT_COUNT] = {0};
    if (pktd_capture_stats(s->cap, st, PKTD_CAPTURE_STAT_COUNT) < 0)
        return;
    fprintf(stderr, "\r%" PRIu64 " packets captured, %" PRIu64 " dropped", s->n,
            st[PKTD_CAPTURE_STAT_DROPPED]);
}

int main(int argc, char **argv)
{
    const char *iface = NULL, *wfile = NULL, *user = NULL;
    int64_t count = -1;
    int promisc = 1, opt;
    uint32_t snaplen = 0;
    uint64_t kib = 0;
    struct sink s = {0};
    uint64_t cmb = 0;
    uint32_t gsecs = 0, wfiles = 0;
    int pcapng = 0;
    enum { OPT_PCAPNG = 256 };
    static const struct option longopts[] = {
        {"pcapng", no_argument, NULL, OPT_PCAPNG},
        {NULL, 0, NULL, 0},
    };
    while ((opt = getopt_long(argc, argv, "+i:c:jqlw:s:pB:Z:C:G:W:Vh", longopts, NULL)) != -1) {
        char *end;
        switch (opt) {
        case 'i': iface = optarg; break;
        case 'c':
            if ((count = sniff_parse_count(optarg)) < 0) {
                fprintf(stderr, "%s: -c: not a count: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'j': s.json = 1; break;
        case 'q': s.quiet = 1; break;
        case 'l': s.line = 1; break;
        case 'w': wfile = optarg; break;
        case 's':
            errno = 0;
            snaplen = (uint32_t)strtoul(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || snaplen > PKTD_CAPTURE_DEFAULT_SNAPLEN) {
                fprintf(stderr, "%s: -s: snap length must be 0 ... %u: %s\n", prog,
                        PKTD_CAPTURE_DEFAULT_SNAPLEN, optarg);
                return 2;
            }
            break;
        case 'p': promisc = 0; break;
        case 'B':
            errno = 0;
            kib = strtoull(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || kib == 0 || kib > (SIZE_MAX >> 10)) {
                fprintf(stderr, "%s: -B: not a size in KiB: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'Z': user = optarg; break;
        case OPT_PCAPNG: pcapng = 1; break;
        case 'C':
            errno = 0;
            cmb = strtoull(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || cmb == 0 || cmb > UINT64_MAX / 1000000u) {
                fprintf(stderr, "%s: -C: not a size in millions of bytes: %s\n", prog, optarg);
                return 2;
            }
            break;
        case 'G':
        case 'W': {
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || v == 0 || v > 1000000000ul) {
                fprintf(stderr, "%s: -%c: not a number from 1 to 1000000000: %s\n", prog, opt, optarg);
                return 2;
            }
            if (opt == 'G')
                gsecs = (uint32_t)v;
            else
                wfiles = (uint32_t)v;
            break;
        }
        case 'V':
            printf("pktd-sniff (libpktdecode) %s\n", pktd_version_string());
            return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    int to_file = wfile != NULL && strcmp(wfile, "-") != 0;
    if ((pcapng || cmb || gsecs || wfiles) && wfile == NULL) {
        fprintf(stderr, "%s: --pcapng, -C, -G and -W need -w FILE\n", prog);
        return 2;
    }
    if ((cmb || gsecs) && !to_file) {
        fprintf(stderr, "%s: -C and -G rotate files: -w - (standard output) cannot be\n", prog);
        return 2;
    }
    if (wfiles && !cmb && !gsecs) {
        fprintf(stderr, "%s: -W needs -C or -G\n", prog);
        return 2;
    }
    /* The user first: an unknown one stops us before any file is touched. */
    struct privs_user zuser;
    if (user != NULL && privs_lookup_user(prog, user, &zuser) != 0)
        return 1;
    char *expr = optind < argc ? join_words(argv + optind, argc - optind) : NULL;

    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    int rc = pktd_capture_create(&c, iface, errbuf);
    if (rc != 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, iface != NULL ? iface : "any", errbuf);
        return 1;
    }
    s.cap = c;
    /* -i any: every interface, behind Linux cooked v2 headers, as tcpdump. */
    if ((iface != NULL && strcmp(iface, "any") == 0 &&
         (rc = pktd_capture_set_linktype(c, PKTD_LINKTYPE_LINUX_SLL2)) != 0) ||
        (rc = pktd_capture_set_promisc(c, promisc && iface != NULL)) != 0 ||
        (rc = pktd_capture_set_snaplen(c, snaplen)) != 0 || (rc = pktd_capture_set_timeout(c, 1000)) != 0) {
        fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
        return 1;
    }
    /* Writing a file, the ring's blocks are handed over when full rather
     * than at the kernel's block timeout, which it derives from the link's
     * speed: 1 ms on a veth (which says 10 Gb/s), so that a flood below
     * that rate was handed over in blocks partly used (800 instead of 550
     * wakeups per 2 million packets, and a ring that holds fewer packets;
     * doc/performance.md §8).  100 ms keeps a file at most that far
     * behind, well within the half second sniff_drain() waits for the
     * last block. */
    if (wfile != NULL && (rc = pktd_capture_set_block_timeout(c, SNIFF_FILE_BLOCK_MS)) != 0) {
        fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
        return 1;
    }
    if (kib != 0 && (rc = pktd_capture_set_buffer_size(c, (size_t)kib << 10)) != 0) {
        fprintf(stderr, "%s: -B %" PRIu64 ": %s\n", prog, kib, pktd_capture_errmsg(c));
        return 1;
    }
    if (expr != NULL && (rc = pktd_capture_set_filter_expr(c, expr, 1)) != 0) {
        fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
        return 1;
    }
    rc = pktd_capture_activate(c);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, iface != NULL ? iface : "any", pktd_capture_errmsg(c));
        return 1;
    }
    if (rc == PKTD_CAPTURE_WARNING)
        fprintf(stderr, "%s: warning: %s\n", prog, pktd_capture_errmsg(c));
    /* The socket is open: nothing else needs the privileges we were
     * started with, and the file is opened without them. */
    if (privs_drop_setid(prog) != 0)
        return 1;
    if (user != NULL && privs_become(prog, &zuser) != 0)
        return 1;
    if (wfile != NULL) {
        s.files = (struct sniff_files){
            .prog = prog,
            .path = wfile,
            .if_name = iface != NULL ? iface : "any",
            .format = pcapng ? PKTD_FORMAT_PCAPNG : PKTD_FORMAT_PCAP,
            .max_bytes = cmb * 1000000u,
            .secs = gsecs,
            .nfiles = wfiles,
            .linktype = pktd_capture_linktype(c),
            .snaplen = pktd_capture_snaplen(c),
        };
        s.rotating = cmb != 0 || gsecs != 0;
        if (sniff_files_open(&s.files, time(NULL)) != 0)
            return 1;
        s.w = s.files.w;
    }
    /* Socket and file are open: packets are parsed with no capability left
     * (and no_new_privs), -Z or not, as tcpdump does.  -Z did it already. */
    if (user == NULL && privs_give_up_all(prog) != 0)
        return 1;
    sniff_catch_signals(c);
    fprintf(stderr, "%s: listening on %s, link-type %s, snapshot length %u bytes\n", prog,
            iface != NULL ? iface : "any",
            pktd_capture_linktype(c) == PKTD_LINKTYPE_ETHERNET     ? "EN10MB (Ethernet)"
            : pktd_capture_linktype(c) == PKTD_LINKTYPE_LINUX_SLL2 ? "LINUX_SLL2 (Linux cooked v2)"
                                                                   : "RAW",
            pktd_capture_snaplen(c));
    static char outbuf[1 << 16];
    if (wfile == NULL || to_file) /* else standard output carries the capture file */
        setvbuf(stdout, outbuf, s.line ? _IOLBF : _IOFBF, sizeof outbuf);

    int show_count = to_file && isatty(STDERR_FILENO);
    uint64_t last = mono_ms();
    int status = 0;
    s.max = count > 0 ? (uint64_t)count : 0;
    while (s.max == 0 || s.n < s.max) {
        rc = pktd_capture_dispatch(c, 0, on_packet, &s);
        if (rc == PKTD_E_BREAK)
            break;
        if (rc < 0) {
            fprintf(stderr, "%s: %s\n", prog, pktd_capture_errmsg(c));
            status = 1;
            break;
        }
        if (s.failed) {
            status = 1;
            break;
        }
        if (s.done)
            break;
        if (show_count)
            live_count(&s, &last);
    }
    if (sniff_stopped())
        sniff_drain(c, on_drained, &s);
    if (show_count)
        fputc('\n', stderr);
    if (s.files.w != NULL) {
        uint64_t st[PKTD_CAPTURE_STAT_COUNT];
        if (sniff_files_close(&s.files, capture_stats(&s, st)) != 0)
            status = 1;
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = 1;
    }
    sniff_print_stats_more(prog, c, s.n, s.lost, s.untaken);
    pktd_capture_close(c);
    free(expr);
    return status;
}
