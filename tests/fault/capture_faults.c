/* Fault tests for live capture, in a private network namespace with a veth
 * pair (v0 captured, v1 to send on), so no traffic leaves the test:
 *
 * - the interface is taken down, or deleted, while a thread is blocked in
 *   pktd_capture_next(): the call returns -ENETDOWN with an explanation, within
 *   seconds, and the handle can still be polled and closed;
 * - another thread stops a blocking read: the capture API allows only
 *   pktd_capture_breakloop() from another thread (capture.h: a handle is used
 *   by one thread at a time), so the tested pattern is breakloop, then the
 *   reading thread returns PKTD_E_BREAK, then close, from either thread;
 *   closing a handle while another thread is inside pktd_capture_next() is a
 *   use-after-free by design and is not done here (doc/robustness.md);
 * - signals without SA_RESTART (EINTR) during a wait: the wait goes on to
 *   its deadline or its packet, never returns -EINTR, never hangs;
 * - ring allocation failure: a size no ring can have, the kernel refusing
 *   every ring (simulated through the capture area's test hook, so the
 *   machine's memory is never really exhausted), then reconfiguring the
 *   same handle; a ring cut down to what the kernel gives;
 * - a corrupt ring: each offset and count the kernel writes into a
 *   TPACKET_V3 block or V2 frame (num_pkts, offset_to_first_pkt, tp_mac,
 *   tp_snaplen, tp_next_offset) set out of range through the capture
 *   area's ring_ready test hook: PKTD_E_MALFORMED naming the field and its
 *   value, the capture stops, and no packet handed out reaches outside the
 *   ring mapping;
 * - 10 000 create/activate/close cycles of every handle kind, failed
 *   activations included, with no descriptor or memory growth.
 *
 * Needs root (CAP_NET_RAW, CAP_SYS_ADMIN for the namespace) and veth;
 * without them it exits 77 and says why. */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pktdecode.h>

#include "capture_int.h" /* pktd__cap_test_hooks() */
#include "resources.h"

#define CYCLES 10000
/* Closing a packet socket waits for an RCU grace period (tens of ms on a
 * busy machine); handles are independent, so the cycles run in parallel
 * threads, whose closes share grace periods. */
#define CYCLE_THREADS 50
#define RING (128u * 1024u)
#define ETHERTYPE_TEST 0x88b5 /* IEEE local experimental */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void veth_up(void)
{
    sh("ip link del v0 2>/dev/null");
    ck_assert_int_eq(sh("ip link add v0 type veth peer name v1 && ip link set v0 up && "
                        "ip link set v1 up"),
                     0);
}

static void veth_gone(void)
{
    sh("ip link del v0 2>/dev/null");
}

/* One broadcast frame of the test EtherType, sent on v1 (arrives on v0). */
static void send_frame(void)
{
    int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(s, 0);
    struct sockaddr_ll sa;
    memset(&sa, 0, sizeof sa);
    sa.sll_family = AF_PACKET;
    sa.sll_ifindex = (int)if_nametoindex("v1");
    sa.sll_halen = 6;
    memset(sa.sll_addr, 0xff, 6);
    uint8_t f[60];
    memset(f, 0, sizeof f);
    memset(f, 0xff, 6);
    f[6] = 0x02;
    f[11] = 0x01;
    f[12] = ETHERTYPE_TEST >> 8;
    f[13] = ETHERTYPE_TEST & 0xff;
    memcpy(f + 14, "pktdecode fault test", 20);
    ck_assert_int_eq(sendto(s, f, sizeof f, 0, (struct sockaddr *)&sa, sizeof sa), (ssize_t)sizeof f);
    close(s);
}

static pktd_capture *open_cap(const char *dev, uint32_t version, int32_t timeout_ms)
{
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, dev, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, version), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, RING), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, timeout_ms), 0);
    /* Each packet at once: immediate mode with V2, short blocks with V3. */
    if (version == PKTD_CAPTURE_TPACKET_V2)
        ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    else
        ck_assert_int_eq(pktd_capture_set_block_timeout(c, 5), 0);
    int rc = pktd_capture_activate(c);
    ck_assert_msg(rc == 0 || rc == PKTD_CAPTURE_WARNING, "activate %s: %d %s", dev, rc,
                  pktd_capture_errmsg(c));
    return c;
}

/* Reads until the first non-packet result; counts packets of our type. */
struct reader {
    pktd_capture *c;
    volatile int packets;
    int rc;
    uint64_t t_end;
    char errmsg[256];
};

static void *read_until_error(void *arg)
{
    struct reader *r = arg;
    for (;;) {
        const uint8_t *d;
        size_t n;
        int rc = pktd_capture_next(r->c, &d, &n);
        if (rc == 1) {
            if (n >= 14 && d[12] == (ETHERTYPE_TEST >> 8) && d[13] == (ETHERTYPE_TEST & 0xff))
                r->packets++;
            continue;
        }
        r->rc = rc;
        r->t_end = mono_ms();
        snprintf(r->errmsg, sizeof r->errmsg, "%s", pktd_capture_errmsg(r->c));
        return NULL;
    }
}

static int join_within(pthread_t t, unsigned seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += seconds;
    return pthread_timedjoin_np(t, NULL, &ts);
}

/* ------------------------------------------- interface down or deleted */

static void interface_fails_while_reading(uint32_t version, const char *how, int want_rc,
                                         const char *want_msg)
{
    veth_up();
    struct reader r = {open_cap("v0", version, -1), 0, 0, 0, ""};
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, read_until_error, &r), 0);
    /* A packet first, so the thread is known to be in its blocking wait. */
    uint64_t t0 = mono_ms();
    while (r.packets == 0 && mono_ms() - t0 < 5000) {
        send_frame();
        usleep(20000);
    }
    ck_assert_int_gt(r.packets, 0);
    usleep(100000);
    uint64_t t_fault = mono_ms();
    ck_assert_int_eq(sh("ip link %s", how), 0);
    int j = join_within(t, 10);
    ck_assert_msg(j == 0, "TPACKET_V%u, `ip link %s`: pktd_capture_next still blocked after 10 s",
                  version, how);
    printf("TPACKET_V%u, ip link %s: %s after %llu ms: %s\n", version, how,
           pktd_err_name(r.rc), (unsigned long long)(r.t_end - t_fault), r.errmsg);
    ck_assert_msg(r.rc == want_rc, "TPACKET_V%u, ip link %s: %d (%s) %s", version, how, r.rc,
                  pktd_err_name(r.rc), r.errmsg);
    ck_assert_msg(strstr(r.errmsg, want_msg) != NULL, "TPACKET_V%u, ip link %s: \"%s\" lacks \"%s\"",
                  version, how, r.errmsg, want_msg);
    /* Afterwards the handle still answers (non-blocking: no hang) and closes. */
    ck_assert_int_eq(pktd_capture_set_nonblock(r.c, 1), 0);
    const uint8_t *d;
    size_t n;
    int rc = pktd_capture_next(r.c, &d, &n);
    ck_assert_msg(rc <= 0, "after the fault: %d", rc);
    uint64_t stats[PKTD_CAPTURE_STAT_COUNT];
    ck_assert_int_ge(pktd_capture_stats(r.c, stats, PKTD_CAPTURE_STAT_COUNT), 0);
    pktd_capture_close(r.c);
    veth_gone();
}

START_TEST(test_down_while_reading)
{
    interface_fails_while_reading(_i ? PKTD_CAPTURE_TPACKET_V2 : PKTD_CAPTURE_TPACKET_V3, "set v0 down",
                                  -ENETDOWN, "bring it up");
}
END_TEST

START_TEST(test_deleted_while_reading)
{
    /* Deleted: said so, not "bring it up" (the code stays -ENETDOWN, as
     * documented for 1.0). */
    interface_fails_while_reading(_i ? PKTD_CAPTURE_TPACKET_V2 : PKTD_CAPTURE_TPACKET_V3, "del v0",
                                  -ENETDOWN, "interface v0 was removed; capture stopped");
}
END_TEST

/* ------------------------------------------ stop a reader from elsewhere */

struct stopper {
    pktd_capture *c;
    unsigned delay_us;
};

static void *break_after(void *arg)
{
    struct stopper *s = arg;
    usleep(s->delay_us);
    pktd_capture_breakloop(s->c);
    return NULL;
}

static void *next_once(void *arg)
{
    struct reader *r = arg;
    const uint8_t *d;
    size_t n;
    while ((r->rc = pktd_capture_next(r->c, &d, &n)) == 1)
        continue;
    return NULL;
}

START_TEST(test_breakloop_then_close)
{
    veth_up();
    /* The break lands before, during or after the start of the wait: each
     * time the blocked call returns PKTD_E_BREAK, and closing after it is
     * safe in the reading thread ... */
    for (unsigned i = 0; i < 200; i++) {
        pktd_capture *c = open_cap("v0", i % 2 ? PKTD_CAPTURE_TPACKET_V2 : PKTD_CAPTURE_TPACKET_V3, -1);
        struct stopper s = {c, (i * 37u) % 3000u};
        pthread_t t;
        ck_assert_int_eq(pthread_create(&t, NULL, break_after, &s), 0);
        const uint8_t *d;
        size_t n;
        int rc;
        while ((rc = pktd_capture_next(c, &d, &n)) == 1)
            continue; /* stray traffic: the break is still to come */
        ck_assert_int_eq(join_within(t, 10), 0);
        ck_assert_msg(rc == PKTD_E_BREAK, "round %u: %d", i, rc);
        pktd_capture_close(c);
    }
    /* ... and in the thread that asked for the break, once the reader has
     * returned. */
    for (unsigned i = 0; i < 50; i++) {
        struct reader r = {open_cap("v0", PKTD_CAPTURE_TPACKET_V3, -1), 0, 0, 0, ""};
        pthread_t t;
        ck_assert_int_eq(pthread_create(&t, NULL, next_once, &r), 0);
        usleep(i * 100u);
        pktd_capture_breakloop(r.c);
        ck_assert_int_eq(join_within(t, 10), 0);
        ck_assert_int_eq(r.rc, PKTD_E_BREAK);
        pktd_capture_close(r.c);
    }
    veth_gone();
}
END_TEST

/* ------------------------------------------------------------ EINTR */

static volatile sig_atomic_t n_signals;

static void on_signal(int sig)
{
    (void)sig;
    n_signals++;
}

/* SIGALRM every 5 ms, without SA_RESTART: every blocking call is cut. */
static void signal_storm(int on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_signal : SIG_IGN;
    sa.sa_flags = 0;
    ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, on ? 5000 : 0}, {0, on ? 5000 : 0}};
    ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void *send_later(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL); /* the storm is for the reader */
    usleep(200000);
    send_frame();
    return NULL;
}

static int next_of_type(pktd_capture *c)
{
    for (;;) {
        const uint8_t *d;
        size_t n;
        int rc = pktd_capture_next(c, &d, &n);
        if (rc != 1)
            return rc;
        if (n >= 14 && d[12] == (ETHERTYPE_TEST >> 8) && d[13] == (ETHERTYPE_TEST & 0xff))
            return 1;
    }
}

START_TEST(test_eintr)
{
    veth_up();
    for (int ip = 0; ip <= 1; ip++) {
        pktd_capture *c;
        if (ip) {
            /* IP layer: an AF_INET raw socket; only the timeout is checked. */
            ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
            ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 253), 0);
            ck_assert_int_eq(pktd_capture_set_timeout(c, 300), 0);
            ck_assert_int_eq(pktd_capture_activate(c), 0);
        } else {
            c = open_cap("v0", PKTD_CAPTURE_TPACKET_V3, 300);
        }
        n_signals = 0;
        signal_storm(1);
        uint64_t t0 = mono_ms();
        int rc = ip ? pktd_capture_next(c, &(const uint8_t *){NULL}, &(size_t){0}) : next_of_type(c);
        uint64_t dt = mono_ms() - t0;
        signal_storm(0);
        /* The whole timeout, through some 60 interruptions, then 0. */
        ck_assert_msg(rc == 0, "%s: %d (%s) after %llu ms and %d signals", ip ? "IP" : "ring", rc,
                      pktd_err_name(rc), (unsigned long long)dt, (int)n_signals);
        ck_assert_uint_ge(dt, 290);
        ck_assert_uint_lt(dt, 3000);
        ck_assert_int_gt(n_signals, 5);
        if (!ip) {
            /* A packet arriving during the storm is delivered. */
            ck_assert_int_eq(pktd_capture_set_timeout(c, -1), PKTD_E_BAD_STATE);
            pktd_capture_close(c);
            c = open_cap("v0", PKTD_CAPTURE_TPACKET_V3, 5000);
            pthread_t t;
            ck_assert_int_eq(pthread_create(&t, NULL, send_later, NULL), 0);
            n_signals = 0;
            signal_storm(1);
            rc = next_of_type(c);
            signal_storm(0);
            ck_assert_int_eq(join_within(t, 10), 0);
            ck_assert_msg(rc == 1, "packet during the storm: %d (%s)", rc, pktd_err_name(rc));
            ck_assert_int_gt(n_signals, 5);
        }
        pktd_capture_close(c);
    }
    veth_gone();
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

/* --------------------------------------------------- ring allocation */

START_TEST(test_ring_allocation_failure)
{
    veth_up();
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "v0", NULL), 0);
    /* No ring can be this large: refused by the setter, handle unharmed. */
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, SIZE_MAX), PKTD_E_TOO_LARGE);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 2000), 0);

    /* The kernel refuses every ring, two blocks included: -ENOMEM, said
     * plainly, nothing left open. */
    long fds = count_fds();
    ring_limits(c, 1, 0);
    ck_assert_int_eq(pktd_capture_activate(c), -ENOMEM);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "PACKET_RX_RING"));
    ck_assert_int_eq(pktd_capture_fd(c), PKTD_E_BAD_STATE);
    ck_assert_int_eq(count_fds(), fds);
    /* ... again and again (no descriptor left per failure) ... */
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(pktd_capture_activate(c), -ENOMEM);
    ck_assert_int_eq(count_fds(), fds);
    /* ... and the same handle, reconfigured, captures. */
    ring_limits(c, 0, 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, RING), 0);
    ck_assert_int_eq(pktd_capture_activate(c), 0);
    send_frame();
    ck_assert_int_eq(next_of_type(c), 1);
    pktd_capture_close(c);

    /* The kernel gives less than asked: a smaller ring, a warning, and
     * capture works. */
    ck_assert_int_eq(pktd_capture_create(&c, "v0", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 32u << 20), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 2000), 0);
    ring_limits(c, 512u << 10, 0);
    ck_assert_int_eq(pktd_capture_activate(c), PKTD_CAPTURE_WARNING);
    ck_assert_uint_le(pktd_capture_buffer_size(c), 512u << 10);
    ck_assert_str_ne(pktd_capture_errmsg(c), "");
    send_frame();
    ck_assert_int_eq(next_of_type(c), 1);
    pktd_capture_close(c);
    veth_gone();
}
END_TEST

/* ------------------------------------------------------ corrupt ring */

struct corruption {
    uint32_t version;
    const char *field; /* as the library names it in its message */
    uint32_t value;
    int needs_two;     /* the block must hold a second packet */
};

static const struct corruption corruptions[] = {
    {3, "num_pkts", 0xffffffffu, 0},
    {3, "offset_to_first_pkt", 0xfffffff0u, 0},
    {3, "offset_to_first_pkt", 2, 0},
    {3, "tp_mac", 0xffff, 0},
    {3, "tp_mac", 0, 0},
    {3, "tp_snaplen", 0xfffffff0u, 0},
    {3, "tp_next_offset", 0xfffffff0u, 1},
    {3, "tp_next_offset", 0, 1},
    {3, "tp_next_offset", 0x1002, 1}, /* inside the block, misaligned */
    {2, "tp_mac", 0xffff, 0},
    {2, "tp_mac", 0, 0},
    {2, "tp_snaplen", 0xfffffff0u, 0},
};
#define N_CORRUPTIONS (sizeof corruptions / sizeof corruptions[0])

struct corrupter {
    const struct corruption *k;
    int done;
};

/* The ring_ready hook: the kernel has just handed @p area over; write the
 * bad value where the kernel wrote the good one. */
static void corrupt_ring(void *arg, uint8_t *area, size_t len, uint32_t version)
{
    struct corrupter *x = arg;
    (void)len;
    if (x->done || version != x->k->version)
        return;
    const char *f = x->k->field;
    uint32_t v = x->k->value;
    if (version == 3) {
        struct tpacket_block_desc *bd = (struct tpacket_block_desc *)(void *)area;
        if (x->k->needs_two && bd->hdr.bh1.num_pkts < 2)
            return; /* a block of one packet: wait for the next */
        struct tpacket3_hdr *h =
            (struct tpacket3_hdr *)(void *)(area + bd->hdr.bh1.offset_to_first_pkt);
        if (strcmp(f, "num_pkts") == 0)
            bd->hdr.bh1.num_pkts = v;
        else if (strcmp(f, "offset_to_first_pkt") == 0)
            bd->hdr.bh1.offset_to_first_pkt = v;
        else if (strcmp(f, "tp_mac") == 0)
            h->tp_mac = (uint16_t)v;
        else if (strcmp(f, "tp_snaplen") == 0)
            h->tp_snaplen = v;
        else
            h->tp_next_offset = v;
    } else {
        struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)area;
        if (strcmp(f, "tp_mac") == 0)
            h->tp_mac = (uint16_t)v;
        else
            h->tp_snaplen = v;
    }
    x->done = 1;
}

static int count_packet(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                        uint64_t ts_ns)
{
    (void)data, (void)caplen, (void)wire_len, (void)ts_ns;
    ++*(int *)user;
    return 0;
}

/* A packet handed out lies inside the ring mapping. */
static void assert_in_ring(const pktd_capture *c, const uint8_t *d, size_t n, const char *what)
{
    uintptr_t lo = (uintptr_t)c->map, hi = lo + c->map_len, p = (uintptr_t)d;
    ck_assert_msg(p >= lo && p <= hi && n <= hi - p,
                  "%s: packet of %zu bytes at %p is outside the ring [%p, %p)", what, n,
                  (const void *)d, (const void *)c->map, (const void *)(c->map + c->map_len));
}

START_TEST(test_corrupt_ring)
{
    const struct corruption *k = &corruptions[_i];
    char what[96];
    snprintf(what, sizeof what, "TPACKET_V%u, %s = %u", k->version, k->field, k->value);
    veth_up();
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "v0", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, k->version), 0);
    /* Small slots (16 KiB blocks, 224-byte frames): every bad offset
     * above points past its block or frame. */
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 128), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, RING), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, 500), 0);
    if (k->version == 2)
        ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    else
        ck_assert_int_eq(pktd_capture_set_block_timeout(c, 100), 0);
    ck_assert_int_eq(pktd_capture_activate(c), 0);
    struct corrupter x = {k, 0};
    const struct pktd__cap_hooks hooks = {.ring_ready = corrupt_ring, .arg = &x};
    pktd__cap_test_hooks(c, &hooks);

    /* Three frames at once usually share a V3 block; retry until the hook
     * has corrupted a slot. */
    const uint8_t *d;
    size_t n;
    int rc = 0;
    for (int round = 0; !x.done; round++) {
        ck_assert_msg(round < 20, "%s: no slot to corrupt after 20 rounds", what);
        for (int j = 0; j < 3; j++)
            send_frame();
        while ((rc = pktd_capture_next(c, &d, &n)) == 1 && !x.done)
            assert_in_ring(c, d, n, what);
        if (!x.done)
            ck_assert_msg(rc == 0, "%s: before the corruption: %d %s", what, rc,
                          pktd_capture_errmsg(c));
    }
    /* Packets before the bad offset may still come out, inside the ring;
     * then the error. */
    for (int j = 0; rc == 1 && j < 4; j++) {
        assert_in_ring(c, d, n, what);
        rc = pktd_capture_next(c, &d, &n);
    }
    if (rc == 1)
        assert_in_ring(c, d, n, what);
    ck_assert_msg(rc == PKTD_E_MALFORMED, "%s: %d (%s) %s", what, rc, pktd_err_name(rc),
                  pktd_capture_errmsg(c));
    char value[16];
    snprintf(value, sizeof value, " %u ", k->value);
    ck_assert_msg(strstr(pktd_capture_errmsg(c), k->field) != NULL &&
                      strstr(pktd_capture_errmsg(c), value) != NULL,
                  "%s: message names neither field nor value: %s", what, pktd_capture_errmsg(c));
    printf("%s: %s\n", what, pktd_capture_errmsg(c));
    /* The capture has stopped: more frames change nothing. */
    send_frame();
    ck_assert_int_eq(pktd_capture_next(c, &d, &n), PKTD_E_MALFORMED);
    int delivered = 0;
    ck_assert_int_eq(pktd_capture_dispatch(c, 0, count_packet, &delivered), PKTD_E_MALFORMED);
    ck_assert_int_eq(delivered, 0);
    pktd_capture_close(c);
    veth_gone();
}
END_TEST

/* ------------------------------------------------------------- cycles */

enum kind { CREATE_ONLY, RING_V3, RING_V2, IP_LAYER, NO_SUCH_DEVICE, DEVICE_DOWN, KINDS };

static const char *const kind_name[KINDS] = {
    "create/close", "TPACKET_V3 ring", "TPACKET_V2 ring", "IP-layer raw socket",
    "activation failing (no such device)", "activation failing (interface down)"};

static void cycle(enum kind k)
{
    pktd_capture *c;
    int rc;
    switch (k) {
    case CREATE_ONLY:
        ck_assert_int_eq(pktd_capture_create(&c, "v0", NULL), 0);
        ck_assert_int_eq(pktd_capture_set_snaplen(c, 128), 0);
        break;
    case RING_V3:
    case RING_V2:
        c = open_cap("v0", k == RING_V3 ? PKTD_CAPTURE_TPACKET_V3 : PKTD_CAPTURE_TPACKET_V2, 0);
        ck_assert_int_ge(pktd_capture_set_nonblock(c, 1), 0);
        {
            const uint8_t *d;
            size_t n;
            ck_assert_int_ge(pktd_capture_next(c, &d, &n), 0);
        }
        break;
    case IP_LAYER:
        ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
        ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 253), 0);
        ck_assert_int_eq(pktd_capture_set_buffer_size(c, RING), 0);
        rc = pktd_capture_activate(c);
        ck_assert_msg(rc == 0 || rc == PKTD_CAPTURE_WARNING, "%d %s", rc, pktd_capture_errmsg(c));
        break;
    case NO_SUCH_DEVICE:
        ck_assert_int_eq(pktd_capture_create(&c, "nosuch0", NULL), 0);
        ck_assert_int_eq(pktd_capture_activate(c), -ENODEV);
        break;
    default:
        ck_assert_int_eq(pktd_capture_create(&c, "v1", NULL), 0); /* kept down by the test */
        ck_assert_int_eq(pktd_capture_set_buffer_size(c, RING), 0);
        ck_assert_int_eq(pktd_capture_activate(c), -ENETDOWN);
        break;
    }
    pktd_capture_close(c);
}

struct cycler {
    enum kind k;
    int n;
};

static void *run_cycles(void *arg)
{
    struct cycler *cy = arg;
    for (int i = 0; i < cy->n; i++)
        cycle(cy->k);
    return NULL;
}

/* @p total cycles of kind @p k spread over CYCLE_THREADS threads. */
static void cycles_parallel(enum kind k, int total)
{
    pthread_t t[CYCLE_THREADS];
    struct cycler cy[CYCLE_THREADS];
    for (int i = 0; i < CYCLE_THREADS; i++) {
        cy[i].k = k;
        cy[i].n = total / CYCLE_THREADS + (i < total % CYCLE_THREADS);
        ck_assert_int_eq(pthread_create(&t[i], NULL, run_cycles, &cy[i]), 0);
    }
    for (int i = 0; i < CYCLE_THREADS; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
}

START_TEST(test_cycles)
{
    enum kind k = (enum kind)_i;
    /* Under valgrind every ring set-up is emulated (minutes per thousand):
     * there the run looks for memory errors and leaks, which 200 cycles
     * show as well; the 10 000-cycle growth check runs in the plain and
     * sanitizer builds. */
    const int cycles = getenv("PKTD_UNDER_VALGRIND") != NULL ? 200 : CYCLES;
    veth_up();
    if (k == DEVICE_DOWN)
        ck_assert_int_eq(sh("ip link set v1 down"), 0);
    /* A first round sets up every thread's malloc arena. */
    cycles_parallel(k, 2 * CYCLE_THREADS);
    struct resources before = resources_now();
    uint64_t t0 = mono_ms();
    cycles_parallel(k, cycles);
    struct resources after = resources_now();
    /* mallinfo2() sees only the main arena, where thread start-up leaves
     * a varying amount: descriptors and resident memory are the measure
     * here, the leak checkers (LSan, valgrind) the exact one. */
    const char *grew = resources_grew(&before, &after, 1 << 20);
    ck_assert_msg(grew == NULL, "%s, %d cycles: %s", kind_name[k], cycles, grew);
    printf("%s: %d cycles in %llu ms (%d threads), descriptors %ld -> %ld, heap %ld -> %ld, "
           "resident %ld -> %ld KiB\n",
           kind_name[k], cycles, (unsigned long long)(mono_ms() - t0), CYCLE_THREADS, before.fds,
           after.fds, before.heap, after.heap, before.rss_kib, after.rss_kib);
    veth_gone();
}
END_TEST

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: needs root (CAP_NET_RAW and a private network namespace)\n");
        return 77;
    }
    if (unshare(CLONE_NEWNET) != 0) {
        printf("SKIP: unshare(CLONE_NEWNET): %s\n", strerror(errno));
        return 77;
    }
    /* No IPv6 autoconfiguration chatter on the test interfaces. */
    sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 "
       "2>/dev/null");
    if (sh("ip link add v0 type veth peer name v1") != 0) {
        printf("SKIP: cannot create a veth pair (ip link add ... type veth)\n");
        return 77;
    }
    sh("ip link del v0");
    Suite *s = suite_create("capture faults");
    TCase *tc = tcase_create("capture");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_down_while_reading, 0, 2);
    tcase_add_loop_test(tc, test_deleted_while_reading, 0, 2);
    tcase_add_test(tc, test_breakloop_then_close);
    tcase_add_test(tc, test_eintr);
    tcase_add_test(tc, test_ring_allocation_failure);
    tcase_add_loop_test(tc, test_corrupt_ring, 0, (int)N_CORRUPTIONS);
    tcase_add_loop_test(tc, test_cycles, 0, KINDS);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
