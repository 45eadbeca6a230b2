/* captest: drives one capture handle for the namespace tests and prints one
 * line per packet in a fixed key=value form that the scripts compare, then
 * a statistics line.  Uses the public API only.
 *
 *   captest [-i DEV] [-P PROTO] [-c N] [-I IDLE_MS] [-B BYTES] [-s SNAP] [-p]
 *           [-d in|out|both] [-V 2|3] [-M] [-T BLOCK_MS] [-F hash|lb|cpu:GROUP]
 *           [-e EXPR] [-f DDDFILE] [-A "code jt jf k;..."] [-G EXPR@N]
 *           [-D DELAY_MS] [-r READYFILE] [-w FILE [-W pcap|pcapng] [-n]]
 *           [-C] [-N] [-q] [-L sll2] [-6]
 *
 * -6 captures IPv6 at the IP layer (pktd_capture_set_ip_family): per packet
 *    ip6=SRC>DST next=N hlim=N plen=N tclass=N flow=N of the synthesized header.
 * -L sll2 asks for Linux cooked v2 headers (pktd_capture_set_linktype).
 * Per packet:  pkt n=1 caplen=60 len=60 ifindex=3 type=0 eth=0800 ...
 *              (cooked: ... type=0 sll2=IFINDEX/HATYPE/PKTTYPE proto=0800 ...)
 * At the end:  stats received=.. dropped=.. delivered=.. filtered=..
 *              pending=.. seen=.. version=.. buffer=.. elapsed_ms=.. cpu_ns=..
 * Stops after N packets, after IDLE_MS (default 1500) without one, or on
 * SIGINT/SIGTERM (through pktd_capture_breakloop() in the signal handler). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode.h>
#include <pktdecode/writer.h>

static pktd_capture *g_cap;

static void on_signal(int sig)
{
    (void)sig;
    pktd_capture_breakloop(g_cap);
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "captest: %s: %s (%s): %s\n", what, pktd_strerror(rc), pktd_err_name(rc),
            g_cap != NULL ? pktd_capture_errmsg(g_cap) : "");
    exit(rc == -EPERM ? 3 : rc == -ENODEV ? 4 : rc == -ENETDOWN ? 5 : 1);
}

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void ip4(char *buf, size_t n, uint32_t a)
{
    snprintf(buf, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void ip4p(char *buf, size_t n, const uint8_t *p)
{
    snprintf(buf, n, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

static void mac(char *buf, size_t n, const uint8_t *m)
{
    snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

struct ctx {
    uint64_t seen;
    int quiet;
    pktd_writer *w;
    pktd_capture *cap;
};

static void print_packet(struct ctx *x, const uint8_t *data, size_t caplen, uint32_t wire,
                         uint64_t ts)
{
    x->seen++;
    if (x->w != NULL) {
        int rc = pktd_writer_write(x->w, data, caplen, wire, ts);
        if (rc != 0) {
            fprintf(stderr, "captest: write: %s\n", pktd_writer_errmsg(x->w));
            exit(1);
        }
    }
    if (x->quiet)
        return;
    pktd_packet p;
    int drc = pktd_decode(&p, pktd_capture_linktype(x->cap), data, caplen);
    printf("pkt n=%" PRIu64 " caplen=%zu len=%u ifindex=%u type=%u", x->seen, caplen, wire,
           pktd_capture_ifindex(x->cap), pktd_capture_pkttype(x->cap));
    char a[40], b[40];
    if (pktd_packet_has(&p, PKTD_LAYER_SLL2)) {
        printf(" sll2=%u/%u/%u proto=%04x", pktd_sll2_ifindex(&p), pktd_sll_hatype(&p),
               pktd_sll_pkttype(&p), pktd_eth_type(&p));
        for (uint32_t i = 0; i < pktd_vlan_count(&p); i++)
            printf(" vlan=%04x/%u/%u", pktd_vlan_tpid(&p, i), pktd_vlan_vid(&p, i),
                   pktd_vlan_pcp(&p, i));
    }
    if (pktd_packet_has(&p, PKTD_LAYER_ETH)) {
        mac(a, sizeof a, pktd_eth_src(&p));
        mac(b, sizeof b, pktd_eth_dst(&p));
        printf(" eth=%04x src=%s dst=%s", pktd_eth_type(&p), a, b);
        for (uint32_t i = 0; i < pktd_vlan_count(&p); i++)
            printf(" vlan=%04x/%u/%u", pktd_vlan_tpid(&p, i), pktd_vlan_vid(&p, i),
                   pktd_vlan_pcp(&p, i));
    }
    if (pktd_packet_has(&p, PKTD_LAYER_ARP)) {
        ip4p(a, sizeof a, pktd_arp_spa_bytes(&p));
        ip4p(b, sizeof b, pktd_arp_tpa_bytes(&p));
        printf(" arp=%u %s>%s", pktd_arp_op(&p), a, b);
    }
    if (pktd_packet_has(&p, PKTD_LAYER_IPV4)) {
        ip4(a, sizeof a, pktd_ipv4_src(&p));
        ip4(b, sizeof b, pktd_ipv4_dst(&p));
        printf(" ip=%s>%s proto=%u ttl=%u", a, b, pktd_ipv4_proto(&p), pktd_ipv4_ttl(&p));
    }
    if (pktd_packet_has(&p, PKTD_LAYER_IPV6)) {
        char s6[PKTD_IPV6_STRLEN], d6[PKTD_IPV6_STRLEN];
        (void)pktd_ipv6_format(pktd_ipv6_src(&p), s6, sizeof s6);
        (void)pktd_ipv6_format(pktd_ipv6_dst(&p), d6, sizeof d6);
        printf(" ip6=%s>%s next=%u hlim=%u plen=%u tclass=%u flow=%u", s6, d6, pktd_ipv6_next(&p),
               pktd_ipv6_hlim(&p), pktd_ipv6_plen(&p), pktd_ipv6_tclass(&p), pktd_ipv6_flow(&p));
    }
    if (pktd_packet_has(&p, PKTD_LAYER_ICMPV6))
        printf(" icmp6=%u/%u csum_ok=%d", pktd_icmpv6_type(&p), pktd_icmpv6_code(&p),
               pktd_icmpv6_checksum_ok(&p));
    if (pktd_packet_has(&p, PKTD_LAYER_UDP))
        printf(" udp=%u>%u", pktd_udp_sport(&p), pktd_udp_dport(&p));
    if (pktd_packet_has(&p, PKTD_LAYER_TCP))
        printf(" tcp=%u>%u flags=%u", pktd_tcp_sport(&p), pktd_tcp_dport(&p), pktd_tcp_flags(&p));
    if (pktd_packet_has(&p, PKTD_LAYER_ICMP))
        printf(" icmp=%u/%u", pktd_icmp_type(&p), pktd_icmp_code(&p));
    const uint8_t *pl;
    size_t pln;
    if (pktd_packet_payload(&p, &pl, &pln))
        printf(" payload=%zu", pln);
    if (drc != 0)
        printf(" error=%s", pktd_err_name(drc));
    /* Sequence number of the flood frames (EtherType 0x88b5). */
    if (caplen >= 18 && data[12] == 0x88 && data[13] == 0xb5)
        printf(" seq=%u", (unsigned)data[14] << 24 | (unsigned)data[15] << 16 |
                              (unsigned)data[16] << 8 | data[17]);
    printf(" ts=%" PRIu64 "\n", ts);
}

static int on_packet(void *user, const uint8_t *data, size_t caplen, uint32_t wire, uint64_t ts)
{
    print_packet(user, data, caplen, wire, ts);
    return 0;
}

/* "c jt jf k;c jt jf k" → packed 8-byte instructions in host order. */
static uint8_t *parse_array(const char *s, size_t *count)
{
    size_t cap = 16, n = 0;
    uint8_t *out = malloc(cap * 8);
    while (out != NULL && *s) {
        unsigned code, jt, jf;
        unsigned long k;
        int used = 0;
        if (sscanf(s, " %u %u %u %lu%n", &code, &jt, &jf, &k, &used) != 4)
            break;
        if (n == cap)
            out = realloc(out, (cap *= 2) * 8);
        if (out == NULL)
            break;
        uint16_t c16 = (uint16_t)code;
        uint8_t t = (uint8_t)jt, f = (uint8_t)jf;
        uint32_t k32 = (uint32_t)k;
        memcpy(out + n * 8, &c16, 2);
        out[n * 8 + 2] = t;
        out[n * 8 + 3] = f;
        memcpy(out + n * 8 + 4, &k32, 4);
        n++;
        s += used;
        while (*s == ';' || *s == ' ')
            s++;
    }
    *count = n;
    return out;
}

int main(int argc, char **argv)
{
    const char *dev = NULL, *expr = NULL, *dddfile = NULL, *array = NULL, *ready = NULL;
    const char *wfile = NULL, *wformat = "pcap", *change = NULL;
    long count = -1, idle = 1500, delay = 0, proto = 0;
    int promisc = 0, immediate = 0, use_dispatch = 0, nonblock = 0, nano = 0, quiet = 0, cooked = 0;
    int inet6 = 0;
    uint32_t dir = PKTD_CAPTURE_DIR_BOTH, version = 0, snap = 0, btmo = 0;
    size_t bufsize = 0;
    const char *fanout = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "i:P:c:I:B:s:pd:V:MT:F:e:f:A:G:D:r:w:W:nCNqL:6")) != -1) {
        switch (opt) {
        case 'i': dev = optarg; break;
        case 'P': proto = strtol(optarg, NULL, 0); break;
        case 'c': count = strtol(optarg, NULL, 0); break;
        case 'I': idle = strtol(optarg, NULL, 0); break;
        case 'B': bufsize = strtoull(optarg, NULL, 0); break;
        case 's': snap = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'p': promisc = 1; break;
        case 'd':
            dir = strcmp(optarg, "in") == 0    ? PKTD_CAPTURE_DIR_IN
                  : strcmp(optarg, "out") == 0 ? PKTD_CAPTURE_DIR_OUT
                                               : PKTD_CAPTURE_DIR_BOTH;
            break;
        case 'V': version = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'M': immediate = 1; break;
        case 'T': btmo = (uint32_t)strtoul(optarg, NULL, 0); break;
        case 'F': fanout = optarg; break;
        case 'e': expr = optarg; break;
        case 'f': dddfile = optarg; break;
        case 'A': array = optarg; break;
        case 'G': change = optarg; break;
        case 'D': delay = strtol(optarg, NULL, 0); break;
        case 'r': ready = optarg; break;
        case 'w': wfile = optarg; break;
        case 'W': wformat = optarg; break;
        case 'n': nano = 1; break;
        case 'C': use_dispatch = 1; break;
        case 'N': nonblock = 1; break;
        case 'q': quiet = 1; break;
        case 'L': cooked = strcmp(optarg, "sll2") == 0; break;
        case '6': inet6 = 1; break;
        default: return 2;
        }
    }
    int rc = pktd_capture_create(&g_cap, dev, NULL);
    if (rc != 0)
        die("pktd_capture_create", rc);
    if (proto != 0 && (rc = pktd_capture_set_ip_protocol(g_cap, (uint32_t)proto)) != 0)
        die("set_ip_protocol", rc);
    if (inet6 && (rc = pktd_capture_set_ip_family(g_cap, 6)) != 0)
        die("set_ip_family", rc);
    if (cooked && (rc = pktd_capture_set_linktype(g_cap, PKTD_LINKTYPE_LINUX_SLL2)) != 0)
        die("set_linktype", rc);
    if (snap != 0 && (rc = pktd_capture_set_snaplen(g_cap, snap)) != 0)
        die("set_snaplen", rc);
    if (bufsize != 0 && (rc = pktd_capture_set_buffer_size(g_cap, bufsize)) != 0)
        die("set_buffer_size", rc);
    if ((rc = pktd_capture_set_promisc(g_cap, promisc)) != 0)
        die("set_promisc", rc);
    if (dir != PKTD_CAPTURE_DIR_BOTH && (rc = pktd_capture_set_direction(g_cap, dir)) != 0)
        die("set_direction", rc);
    if (version != 0 && (rc = pktd_capture_set_tpacket_version(g_cap, version)) != 0)
        die("set_tpacket_version", rc);
    if (immediate && (rc = pktd_capture_set_immediate(g_cap, 1)) != 0)
        die("set_immediate", rc);
    if (btmo != 0 && (rc = pktd_capture_set_block_timeout(g_cap, btmo)) != 0)
        die("set_block_timeout", rc);
    if (fanout != NULL) {
        const char *colon = strchr(fanout, ':');
        uint32_t mode = strncmp(fanout, "lb", 2) == 0    ? PKTD_CAPTURE_FANOUT_LB
                        : strncmp(fanout, "cpu", 3) == 0 ? PKTD_CAPTURE_FANOUT_CPU
                                                         : PKTD_CAPTURE_FANOUT_HASH;
        uint32_t group = colon != NULL ? (uint32_t)strtoul(colon + 1, NULL, 0) : 1;
        if ((rc = pktd_capture_set_fanout(g_cap, mode, group)) != 0)
            die("set_fanout", rc);
    }
    if (expr != NULL && (rc = pktd_capture_set_filter_expr(g_cap, expr, 1)) != 0)
        die("set_filter_expr", rc);
    if (dddfile != NULL) {
        FILE *f = fopen(dddfile, "r");
        if (f == NULL) {
            perror(dddfile);
            return 1;
        }
        static char text[1 << 16];
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
        if ((rc = pktd_capture_set_filter_text(g_cap, text)) != 0)
            die("set_filter_text", rc);
    }
    if (array != NULL) {
        size_t n;
        uint8_t *prog = parse_array(array, &n);
        if (prog == NULL || n == 0) {
            fprintf(stderr, "captest: bad -A program\n");
            return 2;
        }
        if ((rc = pktd_capture_set_filter_bpf(g_cap, prog, (uint32_t)n)) != 0)
            die("set_filter_bpf", rc);
        free(prog);
    }
    if (idle >= 0 && (rc = pktd_capture_set_timeout(g_cap, (int32_t)idle)) != 0)
        die("set_timeout", rc);

    struct ctx x = {.quiet = quiet, .cap = g_cap};
    if (wfile != NULL) {
        uint32_t fmt = strcmp(wformat, "pcapng") == 0 ? PKTD_FORMAT_PCAPNG : PKTD_FORMAT_PCAP;
        rc = pktd_writer_open_path(&x.w, wfile, fmt, pktd_capture_linktype(g_cap), snap != 0 ? snap : 0,
                                   nano ? PKTD_WRITER_NANO : 0, NULL);
        if (rc != 0) {
            fprintf(stderr, "captest: %s: %s\n", wfile, pktd_strerror(rc));
            return 1;
        }
    }
    rc = pktd_capture_activate(g_cap);
    if (rc < 0)
        die("pktd_capture_activate", rc);
    if (rc == PKTD_CAPTURE_WARNING)
        fprintf(stderr, "captest: warning: %s\n", pktd_capture_errmsg(g_cap));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (ready != NULL) {
        int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
    }
    if (delay > 0) {
        struct timespec d = {delay / 1000, (delay % 1000) * 1000000L};
        while (nanosleep(&d, &d) != 0 && errno == EINTR)
            ;
    }
    if (nonblock && (rc = pktd_capture_set_nonblock(g_cap, 1)) != 0)
        die("set_nonblock", rc);

    uint64_t t0 = mono_ns();
    long change_at = -1;
    const char *change_expr = NULL;
    char change_buf[256];
    if (change != NULL) {
        snprintf(change_buf, sizeof change_buf, "%s", change);
        char *at = strrchr(change_buf, '@');
        if (at != NULL) {
            *at = '\0';
            change_at = strtol(at + 1, NULL, 0);
            change_expr = change_buf;
        }
    }
    int status = 0;
    for (;;) {
        if (count >= 0 && (long)x.seen >= count)
            break;
        if (change_expr != NULL && (long)x.seen == change_at) {
            if ((rc = pktd_capture_set_filter_expr(g_cap, change_expr, 1)) != 0)
                die("set_filter_expr (live)", rc);
            printf("filter changed\n");
            fflush(stdout);
            change_expr = NULL;
        }
        if (nonblock) {
            /* The caller's own poll on the handle's descriptor. */
            const uint8_t *data;
            size_t caplen;
            rc = pktd_capture_next(g_cap, &data, &caplen);
            if (rc == 1) {
                print_packet(&x, data, caplen, pktd_capture_wire_len(g_cap), pktd_capture_ts_ns(g_cap));
                continue;
            }
            if (rc < 0)
                break;
            struct pollfd pfd = {.fd = pktd_capture_fd(g_cap), .events = POLLIN};
            int n = poll(&pfd, 1, (int)idle);
            if (n == 0)
                break;
            continue;
        }
        if (use_dispatch) {
            rc = pktd_capture_dispatch(g_cap, count >= 0 ? (uint32_t)(count - (long)x.seen) : 0,
                                   on_packet, &x);
            if (rc <= 0)
                break;
        } else {
            const uint8_t *data;
            size_t caplen;
            rc = pktd_capture_next(g_cap, &data, &caplen);
            if (rc != 1)
                break;
            print_packet(&x, data, caplen, pktd_capture_wire_len(g_cap), pktd_capture_ts_ns(g_cap));
        }
    }
    if (rc < 0 && rc != PKTD_E_BREAK) {
        fprintf(stderr, "captest: read: %s: %s\n", pktd_strerror(rc), pktd_capture_errmsg(g_cap));
        status = 1;
    }
    uint64_t elapsed = mono_ns() - t0;
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    rc = pktd_capture_stats(g_cap, st, PKTD_CAPTURE_STAT_COUNT);
    if (rc < 0)
        die("pktd_capture_stats", rc);
    if (x.w != NULL) {
        if (pktd_writer_stats(x.w, st, PKTD_CAPTURE_STAT_COUNT, 0) != 0 ||
            pktd_writer_close(x.w) != 0) {
            fprintf(stderr, "captest: closing %s failed\n", wfile);
            status = 1;
        }
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
                      ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
    printf("stats received=%" PRIu64 " dropped=%" PRIu64 " delivered=%" PRIu64
           " filtered=%" PRIu64 " pending=%" PRIu64 " seen=%" PRIu64 " version=%u buffer=%zu"
           " elapsed_ms=%" PRIu64 " cpu_ns=%" PRIu64 "\n",
           st[0], st[1], st[2], st[3], st[4], x.seen, pktd_capture_tpacket_version(g_cap),
           pktd_capture_buffer_size(g_cap), elapsed / 1000000u, cpu_ns);
    pktd_capture_close(g_cap);
    return status;
}
