/* Shared parts of the sniffer programs; see sniff.h. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sniff.h"

static pktd_capture *volatile g_cap;
static volatile sig_atomic_t g_stopped;

static void on_signal(int sig)
{
    (void)sig;
    g_stopped = 1;
    pktd_capture_breakloop(g_cap);
}

void sniff_catch_signals(pktd_capture *c)
{
    g_cap = c;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int sniff_stopped(void)
{
    return g_stopped != 0;
}

int64_t sniff_parse_count(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1)
        return -1;
    return v;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t sniff_drain(pktd_capture *c, void (*cb)(void *, const uint8_t *, size_t), void *user)
{
    uint64_t n = 0;
    uint64_t deadline = mono_ms() + 500;
    if (pktd_capture_set_nonblock(c, 1) != 0)
        return 0; /* only for a NULL handle */
    for (;;) {
        const uint8_t *data;
        size_t caplen;
        int rc = pktd_capture_next(c, &data, &caplen);
        if (rc == 1) {
            cb(user, data, caplen);
            n++;
            continue;
        }
        if (rc < 0 && rc != PKTD_E_BREAK)
            break;
        uint64_t st[PKTD_CAPTURE_STAT_COUNT] = {0};
        if (pktd_capture_stats(c, st, PKTD_CAPTURE_STAT_COUNT) < 0 || st[PKTD_CAPTURE_STAT_PENDING] == 0)
            break;
        uint64_t now = mono_ms();
        if (now >= deadline)
            break;
        /* The rest sits in a block the kernel hands over at its timeout. */
        struct pollfd pfd = {.fd = pktd_capture_fd(c), .events = POLLIN};
        (void)poll(&pfd, 1, (int)(deadline - now));
    }
    return n;
}

void sniff_print_stats(const char *prog, pktd_capture *c, uint64_t captured)
{
    sniff_print_stats_more(prog, c, captured, 0, 0);
}

void sniff_print_stats_more(const char *prog, pktd_capture *c, uint64_t captured, uint64_t lost,
                            uint64_t untaken)
{
    uint64_t st[PKTD_CAPTURE_STAT_COUNT] = {0};
    int rc = pktd_capture_stats(c, st, PKTD_CAPTURE_STAT_COUNT);
    if (rc < 0) {
        fprintf(stderr, "%s: statistics: %s\n", prog, pktd_capture_errmsg(c));
        return;
    }
    uint64_t received = st[PKTD_CAPTURE_STAT_RECEIVED] - st[PKTD_CAPTURE_STAT_FILTERED] -
                        st[PKTD_CAPTURE_STAT_PENDING] - untaken;
    uint64_t dropped = st[PKTD_CAPTURE_STAT_DROPPED] + lost;
    fprintf(stderr, "%" PRIu64 " packet%s captured\n", captured, captured == 1 ? "" : "s");
    fprintf(stderr, "%" PRIu64 " packet%s received by filter\n", received,
            received == 1 ? "" : "s");
    fprintf(stderr, "%" PRIu64 " packet%s dropped by kernel\n", dropped, dropped == 1 ? "" : "s");
}
