/* Capture on a live socket, in a private network namespace of this test
 * (unshare(CLONE_NEWNET): only a loopback interface, no other traffic):
 * TPACKET_V3 and V2 rings, the IP layer, direction, exact statistics and
 * drop accounting, filters replaced on a live handle, break-loop from a
 * thread and from a signal handler, non-blocking reads, the pollable
 * descriptor, and the error paths (no such device, interface down, no
 * CAP_NET_RAW, ring too large).  Needs root; exits 77 otherwise. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/ethtool.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode.h>

#include "capture_int.h"

#define INSN(c, t, f, k) {(uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k)}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int set_lo(int up)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        if (up)
            ifr.ifr_flags |= IFF_UP;
        else
            ifr.ifr_flags &= ~IFF_UP;
        rc = ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    close(s);
    return rc;
}

/* A UDP receiver on 127.0.0.1:port, so the kernel sends no port-unreachable. */
static int udp_listen(unsigned port)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    int big = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    return s;
}

static void udp_send(unsigned port, unsigned n, size_t len)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    uint8_t buf[2048];
    memset(buf, 'x', sizeof buf);
    for (unsigned i = 0; i < n; i++)
        ck_assert_int_eq(sendto(s, buf, len, 0, (struct sockaddr *)&a, sizeof a), (ssize_t)len);
    close(s);
}

/* Open a link-layer handle on lo with common test settings. */
static pktd_capture *open_lo(uint32_t version, int32_t timeout_ms)
{
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, version), 0);
    ck_assert_int_eq(pktd_capture_set_block_timeout(c, 5), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, timeout_ms), 0);
    return c;
}

static void activate(pktd_capture *c)
{
    int rc = pktd_capture_activate(c);
    ck_assert_msg(rc == 0, "activate: %d %s", rc, pktd_capture_errmsg(c));
}

static void stats(pktd_capture *c, uint64_t *st)
{
    ck_assert_int_eq(pktd_capture_stats(c, st, PKTD_CAPTURE_STAT_COUNT), (int)PKTD_CAPTURE_STAT_COUNT);
    /* Nothing is lost uncounted. */
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED],
                      st[PKTD_CAPTURE_STAT_DROPPED] + st[PKTD_CAPTURE_STAT_DELIVERED] +
                          st[PKTD_CAPTURE_STAT_FILTERED] + st[PKTD_CAPTURE_STAT_PENDING]);
}

static const uint32_t versions[] = {PKTD_CAPTURE_TPACKET_V3, PKTD_CAPTURE_TPACKET_V2};

START_TEST(test_lo_capture)
{
    uint32_t v = versions[_i];
    int r = udp_listen(4001);
    pktd_capture *c = open_lo(v, 2000);
    activate(c);
    ck_assert_uint_eq(pktd_capture_tpacket_version(c), v);
    ck_assert_uint_ge(pktd_capture_buffer_size(c), PKTD_CAPTURE_DEFAULT_BUFFER);
    ck_assert_int_ge(pktd_capture_fd(c), 0);
    uint64_t t0 = now_ns();
    udp_send(4001, 5, 100);
    uint64_t t1 = now_ns();
    uint64_t prev = 0;
    for (int i = 0; i < 5; i++) {
        const uint8_t *d;
        size_t len;
        ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
        /* Zero copy: the packet is in the mapped ring. */
        ck_assert(d > c->map && d + len <= c->map + c->map_len);
        ck_assert_uint_eq(len, 14 + 20 + 8 + 100);
        ck_assert_uint_eq(pktd_capture_wire_len(c), len);
        ck_assert_uint_eq(pktd_capture_ifindex(c), if_nametoindex("lo"));
        /* Each loopback packet once: the outgoing copy is filtered out. */
        ck_assert_uint_eq(pktd_capture_pkttype(c), PKTD_CAPTURE_PKT_HOST);
        ck_assert_uint_ge(pktd_capture_ts_ns(c), t0);
        ck_assert_uint_le(pktd_capture_ts_ns(c), t1);
        /* Precise stamps (SO_TIMESTAMPNS): a coarse clock would repeat. */
        ck_assert_uint_gt(pktd_capture_ts_ns(c), prev);
        prev = pktd_capture_ts_ns(c);
        pktd_packet p;
        ck_assert_int_eq(pktd_decode(&p, pktd_capture_linktype(c), d, len), 0);
        ck_assert_uint_eq(pktd_udp_dport(&p), 4001);
        ck_assert_uint_eq(pktd_ipv4_dst(&p), INADDR_LOOPBACK);
    }
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    const uint8_t *d;
    size_t len;
    sleep_ms(30); /* longer than the block timeout: nothing is held back */
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 5);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], 5);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DROPPED], 0);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_FILTERED], 0);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_PENDING], 0);
    /* A larger array is fine; its tail is left alone. */
    uint64_t big[PKTD_CAPTURE_STAT_COUNT + 2] = {0};
    big[PKTD_CAPTURE_STAT_COUNT + 1] = 77;
    ck_assert_int_eq(pktd_capture_stats(c, big, PKTD_CAPTURE_STAT_COUNT + 2), (int)PKTD_CAPTURE_STAT_COUNT);
    ck_assert_uint_eq(big[PKTD_CAPTURE_STAT_COUNT + 1], 77);
    /* A shorter one: one counter filled, the number known returned (R7). */
    big[1] = 77;
    ck_assert_int_eq(pktd_capture_stats(c, big, 1), (int)PKTD_CAPTURE_STAT_COUNT);
    ck_assert_uint_eq(big[1], 77);
    ck_assert_int_eq(pktd_capture_stats(c, NULL, 0), (int)PKTD_CAPTURE_STAT_COUNT);
    pktd_capture_close(c);
    close(r);
}
END_TEST

/* Direction on loopback: OUT sees the outgoing copies, IN the incoming
 * ones, BOTH on all interfaces each packet once. */
START_TEST(test_direction)
{
    static const struct {
        const char *dev;
        uint32_t dir;
        uint32_t pkttype;
    } cases[] = {
        {"lo", PKTD_CAPTURE_DIR_OUT, PKTD_CAPTURE_PKT_OUTGOING},
        {"lo", PKTD_CAPTURE_DIR_IN, PKTD_CAPTURE_PKT_HOST},
        {NULL, PKTD_CAPTURE_DIR_BOTH, PKTD_CAPTURE_PKT_HOST},
        {NULL, PKTD_CAPTURE_DIR_OUT, PKTD_CAPTURE_PKT_OUTGOING},
    };
    int r = udp_listen(4002);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        pktd_capture *c;
        ck_assert_int_eq(pktd_capture_create(&c, cases[k].dev, NULL), 0);
        ck_assert_int_eq(pktd_capture_set_direction(c, cases[k].dir), 0);
        ck_assert_int_eq(pktd_capture_set_timeout(c, 300), 0);
        ck_assert_int_eq(pktd_capture_set_block_timeout(c, 5), 0);
        activate(c);
        udp_send(4002, 3, 10);
        const uint8_t *d;
        size_t len;
        unsigned n = 0;
        while (pktd_capture_next(c, &d, &len) == 1) {
            ck_assert_uint_eq(pktd_capture_pkttype(c), cases[k].pkttype);
            n++;
        }
        ck_assert_msg(n == 3, "case %zu: %u packets", k, n);
        uint64_t st[PKTD_CAPTURE_STAT_COUNT];
        stats(c, st);
        /* Decided in the kernel: the other direction is not even counted. */
        ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 3);
        ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_FILTERED], 0);
        pktd_capture_close(c);
    }
    close(r);
}
END_TEST

START_TEST(test_bad_state)
{
    pktd_capture *c = open_lo(0, 10);
    activate(c);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 100), PKTD_E_BAD_STATE);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "after pktd_capture_activate"));
    ck_assert_int_eq(pktd_capture_set_promisc(c, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 1 << 20), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_block_timeout(c, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_immediate(c, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, 2), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_direction(c, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_fanout(c, 0, 1), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 6), PKTD_E_BAD_STATE);
    /* These stay available on an active handle. */
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_filter_text(c, "1\n6 0 0 65535\n"), 0);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, NULL, 0), 0);
    pktd_capture_close(c);
}
END_TEST

START_TEST(test_no_such_device)
{
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "nosuchdev0", NULL), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENODEV);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "SIOCGIFINDEX(nosuchdev0)"));
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "no such device"));
    ck_assert_int_eq(pktd_capture_fd(c), PKTD_E_BAD_STATE);
    pktd_capture_close(c);
    ck_assert_int_eq(pktd_capture_create(&c, "nosuchdev0", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 1), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENODEV);
    pktd_capture_close(c);
}
END_TEST

/* A fresh namespace has its loopback down.  The test's own namespace is
 * entered again at the end, for the tests after this one when Check runs
 * them all in one process (CK_FORK=no, as under valgrind). */
START_TEST(test_interface_down)
{
    int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(home, 0);
    ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENETDOWN);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "interface lo is down"));
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "ip link set lo up"));
    /* The failed handle can be activated once the cause is gone. */
    ck_assert_int_eq(set_lo(1), 0);
    activate(c);
    pktd_capture_close(c);
    ck_assert_int_eq(set_lo(0), 0);
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 6), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENETDOWN);
    pktd_capture_close(c);
    ck_assert_int_eq(setns(home, CLONE_NEWNET), 0);
    close(home);
}
END_TEST

/* Without CAP_NET_RAW: taken out of the effective set only, and put back
 * at the end, so that the tests after this one still have it when Check
 * runs them all in one process (CK_FORK=no, as under valgrind). */
START_TEST(test_no_cap_net_raw)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2], saved[2];
    ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
    memcpy(saved, d, sizeof saved);
    d[CAP_NET_RAW / 32].effective &= ~(1u << (CAP_NET_RAW % 32));
    ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -EPERM);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "socket(AF_PACKET, SOCK_RAW)"));
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "run as root or grant CAP_NET_RAW"));
    pktd_capture_close(c);
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 6), 0);
    ck_assert_int_eq(pktd_capture_activate(c), -EPERM);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "CAP_NET_RAW"));
    pktd_capture_close(c);
    ck_assert_int_eq(syscall(SYS_capset, &h, saved), 0);
}
END_TEST

struct counter {
    unsigned n;
    unsigned stop_after;
    size_t last_len;
    pktd_capture *break_cap; /* call pktd_capture_breakloop() on it at stop_after */
};

static int count_cb(void *user, const uint8_t *data, size_t caplen, uint32_t wire, uint64_t ts)
{
    struct counter *k = user;
    ck_assert_ptr_nonnull(data);
    ck_assert_uint_eq(caplen, wire);
    ck_assert_uint_gt(ts, 0);
    k->n++;
    k->last_len = caplen;
    if (k->break_cap != NULL) {
        if (k->n == k->stop_after)
            pktd_capture_breakloop(k->break_cap);
        return 0;
    }
    return k->stop_after != 0 && k->n >= k->stop_after;
}

static void *break_later(void *arg)
{
    sleep_ms(100);
    pktd_capture_breakloop(arg);
    return NULL;
}

static pktd_capture *g_sig_cap;
static void on_alarm(int sig)
{
    (void)sig;
    pktd_capture_breakloop(g_sig_cap);
}

START_TEST(test_breakloop)
{
    pktd_capture *c = open_lo(0, -1);
    activate(c);
    const uint8_t *d;
    size_t len;
    /* From another thread, while blocked without a timeout. */
    pthread_t t;
    uint64_t t0 = mono_ms();
    ck_assert_int_eq(pthread_create(&t, NULL, break_later, c), 0);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), PKTD_E_BREAK);
    ck_assert_uint_ge(mono_ms() - t0, 90);
    pthread_join(t, NULL);
    /* From a signal handler (SA_RESTART: poll is not interrupted into EINTR
     * by itself, the eventfd wakes it). */
    g_sig_cap = c;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 0}, {0, 100000}};
    t0 = mono_ms();
    ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), PKTD_E_BREAK);
    ck_assert_uint_ge(mono_ms() - t0, 90);
    /* Also through dispatch. */
    ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
    struct counter k = {0, 0, 0, NULL};
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, count_cb, &k), PKTD_E_BREAK);
    ck_assert_uint_eq(k.n, 0);
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    /* A break requested before the call: returned at once, and only once. */
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    pktd_capture_breakloop(c);
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, count_cb, &k), PKTD_E_BREAK);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    pktd_capture_breakloop(c);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), PKTD_E_BREAK);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    pktd_capture_close(c);
}
END_TEST

START_TEST(test_nonblock_timeout_poll)
{
    int r = udp_listen(4003);
    pktd_capture *c = open_lo(versions[_i], 150);
    activate(c);
    const uint8_t *d;
    size_t len;
    uint64_t t0 = mono_ms();
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    uint64_t waited = mono_ms() - t0;
    ck_assert_uint_ge(waited, 150);
    ck_assert_uint_lt(waited, 1000);
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    t0 = mono_ms();
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    ck_assert_uint_lt(mono_ms() - t0, 20);
    /* The descriptor becomes readable when a packet is ready. */
    struct pollfd pfd = {.fd = pktd_capture_fd(c), .events = POLLIN};
    ck_assert_int_eq(poll(&pfd, 1, 0), 0);
    udp_send(4003, 1, 10);
    ck_assert_int_eq(poll(&pfd, 1, 1000), 1);
    ck_assert(pfd.revents & POLLIN);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    pktd_capture_close(c);
    close(r);
}
END_TEST

START_TEST(test_dispatch)
{
    int r = udp_listen(4004);
    pktd_capture *c = open_lo(versions[_i], 500);
    activate(c);
    udp_send(4004, 7, 20);
    sleep_ms(30);
    struct counter k = {0, 0, 0, NULL};
    int rc = pktd_capture_dispatch(c, 3, count_cb, &k);
    ck_assert_int_eq(rc, 3);
    ck_assert_uint_eq(k.n, 3);
    k.stop_after = 4;
    rc = pktd_capture_dispatch(c, 0, count_cb, &k);
    ck_assert_int_eq(rc, 1); /* the callback asked to stop */
    k.stop_after = 0;
    while (k.n < 7) {
        rc = pktd_capture_dispatch(c, 0, count_cb, &k);
        ck_assert_int_gt(rc, 0);
    }
    ck_assert_uint_eq(k.n, 7);
    ck_assert_uint_eq(k.last_len, 14 + 20 + 8 + 20);
    /* A break from inside the callback ends the batch with PKTD_E_BREAK;
     * the rest stays for the next call. */
    udp_send(4004, 5, 20);
    sleep_ms(30);
    struct counter b = {0, 2, 0, c};
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, count_cb, &b), PKTD_E_BREAK);
    ck_assert_uint_eq(b.n, 2);
    b.break_cap = NULL;
    b.stop_after = 0;
    while (b.n < 5)
        ck_assert_int_gt(pktd_capture_dispatch(c, 0, count_cb, &b), 0);
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, count_cb, &k), 0);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], 12);
    pktd_capture_close(c);
    close(r);
}
END_TEST

/* Packets not read yet are counted as pending; the exact identity holds. */
START_TEST(test_pending)
{
    int r = udp_listen(4005);
    pktd_capture *c = open_lo(versions[_i], 500);
    activate(c);
    udp_send(4005, 6, 10);
    sleep_ms(50);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 6);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_PENDING], 6);
    const uint8_t *d;
    size_t len;
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_PENDING], 4);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], 2);
    /* Sent after the first block was handed over: pending in the block the
     * kernel is still filling (V3) counts too. */
    udp_send(4005, 2, 10);
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 8);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_PENDING], 6);
    pktd_capture_close(c);
    close(r);
}
END_TEST

/* A ring far too small for a burst: the kernel drops, and every packet is
 * still accounted for, exactly. */
START_TEST(test_drops)
{
    int r = udp_listen(4006);
    pktd_capture *c = open_lo(versions[_i], 200);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 64), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 8192), 0);
    activate(c);
    ck_assert_uint_le(pktd_capture_buffer_size(c), 16384);
    const unsigned sent = 2000;
    udp_send(4006, sent, 100);
    const uint8_t *d;
    size_t len;
    unsigned got = 0;
    while (pktd_capture_next(c, &d, &len) == 1) {
        ck_assert_uint_eq(len, 64);
        ck_assert_uint_eq(pktd_capture_wire_len(c), 14 + 20 + 8 + 100);
        got++;
    }
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], sent);
    ck_assert_uint_gt(st[PKTD_CAPTURE_STAT_DROPPED], 0);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], got);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DROPPED] + got, sent);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_PENDING], 0);
    pktd_capture_close(c);
    close(r);
}
END_TEST

/* "udp dst port P" for Ethernet, as tcpdump -dd would give it. */
static void udp_port_prog(struct sock_filter *p, unsigned port)
{
    const struct sock_filter f[] = {
        INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 12),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 8, 0x0800),
        INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 23),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 17),
        INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 20),
        INSN(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 0x1fff),
        INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 14),
        INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, 16),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, port),
        INSN(BPF_RET | BPF_K, 0, 0, 262144),
        INSN(BPF_RET | BPF_K, 0, 0, 0),
    };
    memcpy(p, f, sizeof f);
}

/* Replacing the filter of a live handle: packets queued under the old
 * filter that the new one rejects are never delivered (and are counted);
 * afterwards only the new filter's packets arrive. */
START_TEST(test_filter_change)
{
    int ra = udp_listen(4101), rb = udp_listen(4102);
    pktd_capture *c = open_lo(versions[_i], 300);
    struct sock_filter prog[11];
    udp_port_prog(prog, 4101);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, (const uint8_t *)prog, 11), 0);
    activate(c);
    udp_send(4101, 3, 10);
    udp_send(4102, 3, 10);
    const uint8_t *d;
    size_t len;
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1); /* one 4101 read, two queued */
    udp_port_prog(prog, 4102);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, (const uint8_t *)prog, 11), 0);
    udp_send(4101, 3, 10);
    udp_send(4102, 4, 10);
    unsigned n = 0;
    while (pktd_capture_next(c, &d, &len) == 1) {
        pktd_packet p;
        ck_assert_int_eq(pktd_decode(&p, 1, d, len), 0);
        ck_assert_uint_eq(pktd_udp_dport(&p), 4102);
        n++;
    }
    ck_assert_uint_eq(n, 4);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 3 + 4);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], 1 + 4);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_FILTERED], 2);
    /* And back to no filter at all. */
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, NULL, 0), 0);
    udp_send(4101, 2, 10);
    n = 0;
    while (pktd_capture_next(c, &d, &len) == 1)
        n++;
    ck_assert_uint_eq(n, 2);
    pktd_capture_close(c);
    close(ra);
    close(rb);
}
END_TEST

START_TEST(test_filter_expr)
{
    if (!pktd_capture_expr_available()) {
        fprintf(stderr, "check_capture_live: built without libpcap, expression test skipped\n");
        return;
    }
    int ra = udp_listen(4201), rb = udp_listen(4202);
    pktd_capture *c = open_lo(0, 300);
    ck_assert_int_eq(pktd_capture_set_filter_expr(c, "udp dst port 4202", 1), 0);
    activate(c);
    udp_send(4201, 3, 10);
    udp_send(4202, 2, 10);
    const uint8_t *d;
    size_t len;
    unsigned n = 0;
    while (pktd_capture_next(c, &d, &len) == 1)
        n++;
    ck_assert_uint_eq(n, 2);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 2); /* filtered in the kernel */
    /* A bad expression on a live handle leaves the old filter in place. */
    ck_assert_int_eq(pktd_capture_set_filter_expr(c, "udp dst port", 1), PKTD_E_INVALID_ARGUMENT);
    udp_send(4201, 1, 10);
    udp_send(4202, 1, 10);
    n = 0;
    while (pktd_capture_next(c, &d, &len) == 1)
        n++;
    ck_assert_uint_eq(n, 1);
    pktd_capture_close(c);
    close(ra);
    close(rb);
}
END_TEST

/* The ring-limit test hooks: the kernel refusing rings above a size, or the
 * machine having little memory (used by one handle at a time). */
static struct pktd__cap_hooks ring_limit_hooks;

static void ring_limits(pktd_capture *c, size_t fail_above, size_t totalram)
{
    ring_limit_hooks.fail_ring_above = fail_above;
    ring_limit_hooks.totalram = totalram;
    pktd__cap_test_hooks(c, fail_above != 0 || totalram != 0 ? &ring_limit_hooks : NULL);
}

/* The ring-size fallbacks: ENOMEM from PACKET_RX_RING is simulated by a
 * test hook (the kernel cannot be made to fail its allocation on demand
 * without starving the machine); the rest is the real kernel. */
START_TEST(test_ring_too_large)
{
    pktd_capture *c = open_lo(0, 10);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 8u << 20), 0);
    ring_limits(c, 1u << 20, 0);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_CAPTURE_WARNING);
    ck_assert_uint_le(pktd_capture_buffer_size(c), 1u << 20);
    ck_assert_uint_ge(pktd_capture_buffer_size(c), 1u << 19);
    /* Each reason ends with "; " before the ring obtained. */
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c),
                                 "could not allocate 8192 KiB (ENOMEM); retried smaller; using a ring"));
    pktd_capture_close(c);

    c = open_lo(0, 10);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 64u << 20), 0);
    ring_limits(c, 0, 16u << 20);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_CAPTURE_WARNING);
    ck_assert_uint_eq(pktd_capture_buffer_size(c), 8u << 20);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "exceeds half of the machine's memory"));
    pktd_capture_close(c);

    /* Not even two blocks: an error that says what failed and what to do. */
    c = open_lo(0, 10);
    ring_limits(c, 4096, 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENOMEM);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "PACKET_RX_RING, 2 blocks"));
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "ask for a smaller buffer"));
    ck_assert_int_eq(pktd_capture_fd(c), PKTD_E_BAD_STATE);
    pktd_capture_close(c);
}
END_TEST

START_TEST(test_ip_layer)
{
    int r = udp_listen(4301);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 17), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 200), 0);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 30), 0);
    activate(c);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_RAW);
    ck_assert_uint_eq(pktd_capture_tpacket_version(c), 0);
    uint64_t t0 = now_ns();
    udp_send(4301, 3, 100);
    const uint8_t *d;
    size_t len;
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
        ck_assert_uint_eq(len, 30);
        ck_assert_uint_eq(pktd_capture_wire_len(c), 20 + 8 + 100);
        ck_assert_uint_eq(d[0], 0x45);
        ck_assert_uint_eq(d[9], 17);
        ck_assert_uint_eq(pktd_capture_ifindex(c), if_nametoindex("lo"));
        ck_assert_uint_ge(pktd_capture_ts_ns(c), t0);
        pktd_packet p;
        (void)pktd_decode(&p, pktd_capture_linktype(c), d, len);
        ck_assert(pktd_packet_has(&p, PKTD_LAYER_IPV4));
        ck_assert_uint_eq(pktd_udp_dport(&p), 4301);
    }
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 0);
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 3);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], 3);
    pktd_capture_close(c);

    if (pktd_capture_expr_available()) {
        /* Expressions compile for raw IP in this mode. */
        ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
        ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 17), 0);
        ck_assert_int_eq(pktd_capture_set_timeout(c, 200), 0);
        ck_assert_int_eq(pktd_capture_set_filter_expr(c, "udp dst port 4302", 1), 0);
        int r2 = udp_listen(4302);
        activate(c);
        udp_send(4301, 2, 10);
        udp_send(4302, 3, 10);
        unsigned n = 0;
        while (pktd_capture_next(c, &d, &len) == 1)
            n++;
        ck_assert_uint_eq(n, 3);
        pktd_capture_close(c);
        close(r2);
    }
    close(r);
}
END_TEST

/* The IP layer's socket buffer overflows: drops counted, exactly. */
START_TEST(test_ip_layer_drops)
{
    int r = udp_listen(4303);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 17), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 200), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 4096), 0);
    activate(c);
    const unsigned sent = 500;
    udp_send(4303, sent, 200);
    const uint8_t *d;
    size_t len;
    unsigned got = 0;
    while (pktd_capture_next(c, &d, &len) == 1)
        got++;
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    stats(c, st);
    ck_assert_uint_gt(st[PKTD_CAPTURE_STAT_DROPPED], 0);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_DELIVERED], got);
    ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], sent);
    pktd_capture_close(c);
    close(r);
}
END_TEST

START_TEST(test_promisc_all_warns)
{
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "any", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_promisc(c, 1), 0);
    /* A break asked for before activation is forgotten by it. */
    pktd_capture_breakloop(c);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 0), 0);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_CAPTURE_WARNING);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "promiscuous mode is not available"));
    ck_assert_int_ge(pktd_capture_fd(c), 0);
    const uint8_t *d;
    size_t len;
    ck_assert_int_ne(pktd_capture_next(c, &d, &len), PKTD_E_BREAK);
    pktd_capture_close(c);
    /* Two warnings at once: both are in the message. */
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_promisc(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 8u << 20), 0);
    ring_limits(c, 1u << 20, 0);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_CAPTURE_WARNING);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "retried smaller"));
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "; promiscuous mode is not available"));
    pktd_capture_close(c);
    /* Immediate mode insists on V2. */
    c = open_lo(PKTD_CAPTURE_TPACKET_V3, 10);
    ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_E_INVALID_ARGUMENT);
    pktd_capture_close(c);
    c = open_lo(0, 10);
    ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    activate(c);
    ck_assert_uint_eq(pktd_capture_tpacket_version(c), 2);
    pktd_capture_close(c);
}
END_TEST

/* Keeps sending UDP to 127.0.0.1:4501 until told to stop. */
static volatile int g_noise_stop;
static void *noise(void *arg)
{
    (void)arg;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(4501)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    char b[32] = "noise";
    while (!g_noise_stop)
        (void)sendto(s, b, sizeof b, 0, (struct sockaddr *)&a, sizeof a);
    close(s);
    return NULL;
}

/* Handles activated with a filter while other traffic flows: not one packet
 * from before the filter took effect may get through (the socket receives
 * nothing until the ring and filter exist; the IP layer rejects everything
 * and drains before the filter goes on). */
START_TEST(test_no_unfiltered_window)
{
    int r = udp_listen(4501), r2 = udp_listen(4502);
    g_noise_stop = 0;
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, noise, NULL), 0);
    sleep_ms(20);
    struct sock_filter prog[11];
    udp_port_prog(prog, 4502);
    /* The same test for raw IP: "udp dst port 4502" from the IP header. */
    const struct sock_filter ipprog[] = {
        INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 9),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 17),
        INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 6),
        INSN(BPF_JMP | BPF_JSET | BPF_K, 3, 0, 0x1fff),
        INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0),
        INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, 2),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 4502),
        INSN(BPF_RET | BPF_K, 0, 0, 0),
        INSN(BPF_RET | BPF_K, 0, 0, 65535),
    };
    for (int round = 0; round < 40; round++) {
        pktd_capture *c;
        int ip = round % 2;
        ck_assert_int_eq(pktd_capture_create(&c, ip ? NULL : "lo", NULL), 0);
        if (ip) {
            ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 17), 0);
            ck_assert_int_eq(pktd_capture_set_filter_bpf(c, (const uint8_t *)ipprog, 9), 0);
        } else {
            ck_assert_int_eq(pktd_capture_set_tpacket_version(c, round % 4 == 0 ? 2 : 3), 0);
            ck_assert_int_eq(pktd_capture_set_block_timeout(c, 1), 0);
            ck_assert_int_eq(pktd_capture_set_filter_bpf(c, (const uint8_t *)prog, 11), 0);
        }
        ck_assert_int_eq(pktd_capture_set_timeout(c, 10), 0);
        activate(c);
        udp_send(4502, 1, 8);
        const uint8_t *d;
        size_t len;
        unsigned n = 0;
        int rc;
        while ((rc = pktd_capture_next(c, &d, &len)) == 1) {
            pktd_packet p;
            (void)pktd_decode(&p, pktd_capture_linktype(c), d, len);
            ck_assert_msg(pktd_udp_dport(&p) == 4502, "round %d: a packet to port %u got in",
                          round, pktd_udp_dport(&p));
            n++;
        }
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(n, 1);
        uint64_t st[PKTD_CAPTURE_STAT_COUNT];
        stats(c, st);
        ck_assert_uint_eq(st[PKTD_CAPTURE_STAT_RECEIVED], 1);
        pktd_capture_close(c);
    }
    g_noise_stop = 1;
    pthread_join(t, NULL);
    close(r);
    close(r2);
}
END_TEST

/* The V3 block timeout: a lone packet waits in its block until then. */
START_TEST(test_block_timeout)
{
    int r = udp_listen(4601);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, PKTD_CAPTURE_TPACKET_V3), 0);
    ck_assert_int_eq(pktd_capture_set_block_timeout(c, 400), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 2000), 0);
    activate(c);
    udp_send(4601, 1, 8);
    uint64_t t0 = mono_ms();
    const uint8_t *d;
    size_t len;
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
    uint64_t waited = mono_ms() - t0;
    ck_assert_msg(waited >= 150 && waited < 1500, "packet handed over after %llu ms",
                  (unsigned long long)waited);
    pktd_capture_close(c);
    /* Immediate mode: no wait at all. */
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 2000), 0);
    activate(c);
    udp_send(4601, 1, 8);
    t0 = mono_ms();
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
    ck_assert_uint_lt(mono_ms() - t0, 100);
    pktd_capture_close(c);
    close(r);
}
END_TEST

/* ---- V2 frames sized from the interface's MTU (a veth pair in the test's
 * namespace; offloads switched off on the capturing end, since with them
 * the kernel may hand the taps packets longer than the MTU). */

static void set_offload(const char *dev, uint32_t cmd, uint32_t on)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    struct ethtool_value ev = {.cmd = cmd, .data = on};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, dev);
    ifr.ifr_data = (void *)&ev;
    ck_assert_msg(ioctl(s, SIOCETHTOOL, &ifr) == 0, "SIOCETHTOOL(%s, 0x%x): %s", dev, cmd,
                  strerror(errno));
    close(s);
}

/* Send @p n broadcast frames of @p len bytes (EtherType 0x88b5) on @p dev. */
static void send_frames(const char *dev, unsigned n, size_t len)
{
    int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_ll a = {.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(dev),
                            .sll_halen = 6};
    uint8_t f[1514];
    ck_assert_uint_le(len, sizeof f);
    memset(f, 0xab, sizeof f);
    memset(f, 0xff, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x07", 6);
    f[12] = 0x88;
    f[13] = 0xb5;
    for (unsigned i = 0; i < n; i++)
        ck_assert_int_eq(sendto(s, f, len, 0, (struct sockaddr *)&a, sizeof a), (ssize_t)len);
    close(s);
}

START_TEST(test_v2_frame_mtu)
{
    /* IPv6 off on the pair before it comes up: otherwise the kernel's own
     * MLD reports and router solicitations (90 and 70 bytes) can arrive
     * among the test's frames. */
    int rc = system("ip link add pkm0 type veth peer name pkm1 && "
                    "for f in /proc/sys/net/ipv6/conf/pkm0/disable_ipv6 "
                    "/proc/sys/net/ipv6/conf/pkm1/disable_ipv6; do "
                    "if [ -e $f ]; then echo 1 >$f || exit 1; fi; done && "
                    "ip link set pkm0 up && ip link set pkm1 up");
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 127) {
        printf("check_capture_live: test_v2_frame_mtu skipped: iproute2's ip is not installed\n");
        return;
    }
    ck_assert_msg(rc == 0, "cannot create the veth pair pkm0/pkm1");
    set_offload("pkm1", ETHTOOL_STSO, 0);
    set_offload("pkm1", ETHTOOL_SGRO, 0);
    uint32_t macoff = TPACKET_ALIGN(TPACKET2_HDRLEN + 16u) + PKTD__CAP_VLAN_LEN;
    static const uint32_t snaps[] = {0, 100};
    for (size_t k = 0; k < 2; k++) {
        pktd_capture *c;
        ck_assert_int_eq(pktd_capture_create(&c, "pkm1", NULL), 0);
        ck_assert_int_eq(pktd_capture_set_tpacket_version(c, PKTD_CAPTURE_TPACKET_V2), 0);
        ck_assert_int_eq(pktd_capture_set_snaplen(c, snaps[k]), 0);
        ck_assert_int_eq(pktd_capture_set_timeout(c, 2000), 0);
        activate(c);
        /* MTU 1500: room for 1500 + Ethernet header + two tags, or the snap length. */
        uint32_t pkt = snaps[k] != 0 ? snaps[k] : 1500u + 14u + 8u;
        ck_assert_uint_eq(c->frame_size, TPACKET_ALIGN(macoff + pkt));
        send_frames("pkm0", 3, 1514);
        for (int i = 0; i < 3; i++) {
            const uint8_t *d;
            size_t len;
            ck_assert_int_eq(pktd_capture_next(c, &d, &len), 1);
            /* Full-size frames arrive whole (or cut at the snap length). */
            ck_assert_uint_eq(len, snaps[k] != 0 ? snaps[k] : 1514u);
            ck_assert_uint_eq(pktd_capture_wire_len(c), 1514);
            ck_assert_uint_eq(d[len - 1], 0xab);
        }
        pktd_capture_close(c);
    }
    /* With segmentation offload on, packets may exceed the MTU: 64 KiB frames. */
    set_offload("pkm1", ETHTOOL_STSO, 1);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "pkm1", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, PKTD_CAPTURE_TPACKET_V2), 0);
    activate(c);
    ck_assert_uint_ge(c->frame_size, 65535u + 14u);
    pktd_capture_close(c);
    ck_assert_int_eq(system("ip link del pkm0"), 0);
}
END_TEST

static Suite *live_suite(void)
{
    Suite *s = suite_create("capture-live");
    TCase *tc = tcase_create("loopback");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, test_lo_capture, 0, 2);
    tcase_add_test(tc, test_direction);
    tcase_add_test(tc, test_bad_state);
    tcase_add_loop_test(tc, test_nonblock_timeout_poll, 0, 2);
    tcase_add_loop_test(tc, test_dispatch, 0, 2);
    tcase_add_loop_test(tc, test_pending, 0, 2);
    tcase_add_loop_test(tc, test_drops, 0, 2);
    tcase_add_loop_test(tc, test_filter_change, 0, 2);
    tcase_add_test(tc, test_filter_expr);
    tcase_add_test(tc, test_breakloop);
    tcase_add_test(tc, test_ip_layer);
    tcase_add_test(tc, test_ip_layer_drops);
    tcase_add_test(tc, test_promisc_all_warns);
    tcase_add_test(tc, test_no_unfiltered_window);
    tcase_add_test(tc, test_block_timeout);
    tcase_add_test(tc, test_v2_frame_mtu);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_no_such_device);
    tcase_add_test(tc, test_interface_down);
    tcase_add_test(tc, test_no_cap_net_raw);
    tcase_add_test(tc, test_ring_too_large);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: check_capture_live needs root (raw sockets, a private network namespace)\n");
        return 77;
    }
    if (unshare(CLONE_NEWNET) != 0) {
        printf("SKIP: unshare(CLONE_NEWNET) failed: %s\n", strerror(errno));
        return 77;
    }
    if (set_lo(1) != 0) {
        printf("FAIL: cannot bring up lo in the test namespace: %s\n", strerror(errno));
        return 1;
    }
    SRunner *sr = srunner_create(live_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
