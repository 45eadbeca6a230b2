/* bpf_run_kernel: our classic BPF interpreter (pktd__bpf_run) against the
 * running kernel's, on the same frames.
 *
 * In a private network namespace, a packet socket on lo carries the program
 * under test; another packet socket sends a frame of our own bytes, then a
 * marker frame.  The kernel's verdict is what arrives first: the frame
 * (accepted, cut to the program's return value) or the marker (dropped).
 * pktd__bpf_run on the same bytes, with the ancillary values of lo, must
 * give the same verdict and length.  The programs are hand-picked cases and
 * random ones biased toward loads whose offset is computed: indirect loads
 * and ldx msh landing in the ancillary range (the kernel drops there; only
 * absolute loads read ancillary values), the network and link-layer ranges,
 * wrapping X + k, and ancillary absolute loads.
 *
 *   PKTD_TEST_SEED    the seed (default below; printed either way)
 *   PKTD_BPF_PROGRAMS how many random programs (default 20000)
 *
 * Needs root for the namespace and packet sockets; exits 77 otherwise. */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <pktdecode/error.h>

#include "capture_bpf.h"

#define ETHERTYPE_TEST 0x88b5 /* IEEE local experimental: nothing else uses it */
#define MARKER 0xaa           /* first source MAC byte of the marker frame */
#define PREFIX_LEN 10
#define MAX_PROG 12
#define MAX_FRAME 128

static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd(uint32_t n)
{
    return (uint32_t)((rnd64() >> 32) % n);
}

#define INSN(c, t, f, k) ((struct sock_filter){(uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k)})

/* Where a computed offset lands, as the kernel reads it (signed 32 bits). */
enum landing { L_PLAIN, L_LL, L_NET, L_ANC, L_NONE, L_COUNT };
static const char *const landing_names[L_COUNT] = {
    "at or above 0 (frame)", "SKF_LL_OFF range", "SKF_NET_OFF range (below SKF_AD_OFF)",
    "SKF_AD_OFF range (ancillary)", "below SKF_LL_OFF"};

static enum landing landing_of(uint32_t k)
{
    if (k < 0x80000000u)
        return L_PLAIN;
    if (k >= (uint32_t)SKF_AD_OFF)
        return L_ANC;
    if (k >= (uint32_t)SKF_NET_OFF)
        return L_NET;
    if (k >= (uint32_t)SKF_LL_OFF)
        return L_LL;
    return L_NONE;
}

static unsigned long ind_landed[L_COUNT], msh_landed[L_COUNT], anc_loads;

static uint32_t interesting_offset(void)
{
    switch (rnd(8)) {
    case 0: return (uint32_t)SKF_AD_OFF + 4u * rnd(16) + (rnd(4) == 0 ? rnd(4) : 0);
    case 1: return (uint32_t)SKF_AD_OFF - 1u - rnd(8);
    case 2: return (uint32_t)SKF_NET_OFF + rnd(80);
    case 3: return (uint32_t)SKF_LL_OFF + rnd(80);
    case 4: return 0xffffffffu - rnd(8);
    case 5: return 0x80000000u + rnd(8);
    case 6: return (uint32_t)rnd64();
    default: return rnd(80);
    }
}

static const uint16_t sizes[3] = {BPF_W, BPF_H, BPF_B};

/* A random program of length 2 .. MAX_PROG ending in a RET; counts where
 * its computed loads land when X is known at generation time. */
static size_t random_program(struct sock_filter *p)
{
    static const uint32_t carried[8] = {SKF_AD_PROTOCOL, SKF_AD_PKTTYPE, SKF_AD_IFINDEX,
                                        SKF_AD_HATYPE, SKF_AD_VLAN_TAG, SKF_AD_VLAN_TAG_PRESENT,
                                        SKF_AD_VLAN_TPID, SKF_AD_ALU_XOR_X};
    size_t len = 2 + rnd(MAX_PROG - 1);
    int x_known = 1;
    uint32_t x = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        uint32_t pick = rnd(100);
        if (pick < 25) {
            x = interesting_offset();
            x_known = 1;
            p[i] = INSN(BPF_LDX | BPF_IMM, 0, 0, x);
        } else if (pick < 55) {
            uint32_t k = rnd(2) ? rnd(80) : interesting_offset();
            p[i] = INSN(BPF_LD | BPF_IND | sizes[rnd(3)], 0, 0, k);
            if (x_known)
                ind_landed[landing_of(x + k)]++;
        } else if (pick < 63) {
            uint32_t k = interesting_offset();
            p[i] = INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, k);
            msh_landed[landing_of(k)]++;
            x_known = 0;
        } else if (pick < 73) {
            p[i] = INSN(BPF_LD | BPF_ABS | sizes[rnd(3)], 0, 0,
                        (uint32_t)SKF_AD_OFF + carried[rnd(8)]);
            anc_loads++;
        } else if (pick < 80) {
            uint32_t k = interesting_offset();
            if (k >= (uint32_t)SKF_AD_OFF) /* an absolute load there is ancillary */
                k = rnd(80);
            p[i] = INSN(BPF_LD | BPF_ABS | sizes[rnd(3)], 0, 0, k);
        } else if (pick < 86) {
            p[i] = INSN(BPF_MISC | BPF_TAX, 0, 0, 0);
            x_known = 0;
        } else if (pick < 92) {
            p[i] = INSN(BPF_ALU | BPF_ADD | BPF_K, 0, 0, rnd(2) ? rnd(64) : interesting_offset());
        } else if (pick < 97) {
            size_t room = len - i - 1;
            p[i] = INSN(BPF_JMP | BPF_JEQ | BPF_K, rnd((uint32_t)room), rnd((uint32_t)room),
                        rnd(4));
            x_known = 0; /* paths merge */
        } else {
            p[i] = INSN(BPF_RET | BPF_A, 0, 0, 0);
        }
    }
    p[len - 1] = rnd(4) ? INSN(BPF_RET | BPF_A, 0, 0, 0) : INSN(BPF_RET | BPF_K, 0, 0, rnd(100));
    return len;
}

static int set_lo_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    close(s);
    return rc;
}

struct rig {
    int rx, tx;
    struct sockaddr_ll to;
    struct sock_filter prog[PREFIX_LEN + MAX_PROG];
};

/* The prefix in front of every program under test: drop lo's outgoing copy
 * and foreign frames, accept the marker, then leave A = X = 0 as at the
 * start of a program. */
static void make_prefix(struct sock_filter *p)
{
    p[0] = INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE);
    p[1] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, PACKET_OUTGOING);
    p[2] = INSN(BPF_RET | BPF_K, 0, 0, 0);
    p[3] = INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 12);
    p[4] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, ETHERTYPE_TEST);
    p[5] = INSN(BPF_RET | BPF_K, 0, 0, 0);
    p[6] = INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 6);
    p[7] = INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, MARKER);
    p[8] = INSN(BPF_RET | BPF_K, 0, 0, 0xffff);
    p[9] = INSN(BPF_LD | BPF_IMM, 0, 0, 0);
}

/* The kernel's result for the program on the frame: -1 dropped, else the
 * length delivered; -2 on a system failure (message printed). */
static long kernel_run(struct rig *r, const struct sock_filter *p, size_t len,
                       const uint8_t *frame, size_t flen)
{
    memcpy(r->prog + PREFIX_LEN, p, len * sizeof *p);
    struct sock_fprog fp = {(unsigned short)(PREFIX_LEN + len), r->prog};
    if (setsockopt(r->rx, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) != 0) {
        printf("FAIL: setsockopt(SO_ATTACH_FILTER): %s\n", strerror(errno));
        return -2;
    }
    uint8_t marker[60] = {0};
    marker[6] = MARKER;
    marker[12] = ETHERTYPE_TEST >> 8;
    marker[13] = ETHERTYPE_TEST & 0xff;
    const struct sockaddr *to = (const struct sockaddr *)&r->to;
    if (sendto(r->tx, frame, flen, 0, to, sizeof r->to) != (ssize_t)flen ||
        sendto(r->tx, marker, sizeof marker, 0, to, sizeof r->to) != (ssize_t)sizeof marker) {
        printf("FAIL: sendto(AF_PACKET, lo): %s\n", strerror(errno));
        return -2;
    }
    long got = -1;
    for (;;) {
        uint8_t buf[MAX_FRAME + 64];
        ssize_t n = recv(r->rx, buf, sizeof buf, 0);
        if (n < 0) {
            printf("FAIL: recv(AF_PACKET) waiting for the marker: %s\n", strerror(errno));
            return -2;
        }
        if (n >= 7 && buf[6] == MARKER && (size_t)n == sizeof marker)
            return got;
        got = n;
    }
}

static void print_program(const struct sock_filter *p, size_t len)
{
    printf("  %zu\n", len);
    for (size_t i = 0; i < len; i++)
        printf("  %u %u %u %" PRIu32 "\n", (unsigned)p[i].code, (unsigned)p[i].jt,
               (unsigned)p[i].jf, (uint32_t)p[i].k);
}

int main(void)
{
    if (geteuid() != 0) {
        printf("SKIP: bpf_run_kernel needs root (a network namespace, packet sockets)\n");
        return 77;
    }
    if (unshare(CLONE_NEWNET) != 0) {
        printf("SKIP: unshare(CLONE_NEWNET) failed: %s\n", strerror(errno));
        return 77;
    }
    if (set_lo_up() != 0) {
        printf("FAIL: cannot bring up lo in the test namespace: %s\n", strerror(errno));
        return 1;
    }
    /* One CPU: both frames go through the same backlog queue, in order. */
    int cpu = sched_getcpu();
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu < 0 ? 0 : cpu, &set);
    if (cpu < 0 || sched_setaffinity(0, sizeof set, &set) != 0) {
        printf("FAIL: sched_setaffinity(CPU %d): %s\n", cpu, strerror(errno));
        return 1;
    }

    uint64_t seed = 0xb9f1d00dull;
    const char *s = getenv("PKTD_TEST_SEED");
    if (s != NULL && *s != '\0')
        seed = strtoull(s, NULL, 0);
    rng_state = seed | 1u;
    unsigned long programs = 20000;
    s = getenv("PKTD_BPF_PROGRAMS");
    if (s != NULL && *s != '\0')
        programs = strtoul(s, NULL, 0);

    struct rig r;
    memset(&r, 0, sizeof r);
    unsigned lo = if_nametoindex("lo");
    r.rx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    r.tx = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (lo == 0 || r.rx < 0 || r.tx < 0) {
        printf("FAIL: lo (%u) or socket(AF_PACKET): %s\n", lo, strerror(errno));
        return 1;
    }
    struct sockaddr_ll at = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
                             .sll_ifindex = (int)lo};
    struct timeval tv = {2, 0}; /* only against a hang: the marker always comes */
    if (bind(r.rx, (struct sockaddr *)&at, sizeof at) != 0 ||
        setsockopt(r.rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
        printf("FAIL: bind/SO_RCVTIMEO on the packet socket: %s\n", strerror(errno));
        return 1;
    }
    r.to = (struct sockaddr_ll){.sll_family = AF_PACKET, .sll_ifindex = (int)lo, .sll_halen = 6};
    make_prefix(r.prog);

    /* What the kernel's ancillary loads give for a frame received on lo. */
    struct pktd__bpf_aux aux = {.protocol = ETHERTYPE_TEST, .pkttype = PACKET_HOST,
                               .ifindex = lo, .hatype = ARPHRD_LOOPBACK, .net_off = 14};

    const uint32_t ad = (uint32_t)SKF_AD_OFF;
    const struct sock_filter fixed[][3] = {
        {INSN(BPF_LDX | BPF_IMM, 0, 0, ad), INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, SKF_AD_PROTOCOL),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
        {INSN(BPF_LDX | BPF_IMM, 0, 0, 0), INSN(BPF_LD | BPF_W | BPF_IND, 0, 0, ad + SKF_AD_IFINDEX),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
        {INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, ad + SKF_AD_HATYPE), INSN(BPF_MISC | BPF_TXA, 0, 0, 0),
         INSN(BPF_RET | BPF_K, 0, 0, 40)},
        {INSN(BPF_LDX | BPF_IMM, 0, 0, ad - 1), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 0),
         INSN(BPF_RET | BPF_K, 0, 0, 40)},
        {INSN(BPF_LDX | BPF_IMM, 0, 0, (uint32_t)SKF_NET_OFF), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 5),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
        {INSN(BPF_LDX | BPF_IMM, 0, 0, (uint32_t)SKF_LL_OFF), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 20),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
        {INSN(BPF_LDX | BPF_IMM, 0, 0, 0xffffffffu), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 21),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
        {INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, ad + SKF_AD_PROTOCOL), INSN(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x3f),
         INSN(BPF_RET | BPF_A, 0, 0, 0)},
    };
    const size_t nfixed = sizeof fixed / sizeof fixed[0];
    printf("seed PKTD_TEST_SEED=0x%" PRIx64 ", %zu fixed and %lu random programs\n", seed, nfixed,
           programs);

    unsigned long accepted = 0, dropped = 0, mismatches = 0;
    for (unsigned long n = 0; n < nfixed + programs; n++) {
        struct sock_filter p[MAX_PROG];
        size_t len = 3;
        if (n < nfixed)
            memcpy(p, fixed[n], sizeof fixed[n]);
        else
            len = random_program(p);
        char err[PKTD_ERRBUF_SIZE];
        if (pktd__bpf_check(p, len, err) != 0) {
            printf("FAIL: program %lu does not pass pktd__bpf_check: %s\n", n, err);
            print_program(p, len);
            return 1;
        }
        uint8_t frame[MAX_FRAME];
        size_t flen = 15 + rnd(MAX_FRAME - 14);
        for (size_t i = 0; i < flen; i++)
            frame[i] = (uint8_t)rnd64();
        memset(frame, 0, 6); /* lo's address: PACKET_HOST */
        frame[6] = 0x02;
        frame[12] = ETHERTYPE_TEST >> 8;
        frame[13] = ETHERTYPE_TEST & 0xff;
        aux.len = (uint32_t)flen;

        uint32_t ours = pktd__bpf_run(p, len, frame, flen, &aux);
        long want = ours == 0 ? -1 : (long)(ours < flen ? ours : flen);
        long got = kernel_run(&r, p, len, frame, flen);
        if (got == -2)
            return 1;
        if (got < 0)
            dropped++;
        else
            accepted++;
        if (got == want)
            continue;
        if (mismatches++ < 5) {
            printf("MISMATCH program %lu on a %zu-byte frame: kernel %s %ld, pktd__bpf_run %u\n", n,
                   flen, got < 0 ? "dropped" : "delivered", got, (unsigned)ours);
            print_program(p, len);
        }
    }
    printf("kernel delivered %lu, dropped %lu\n", accepted, dropped);
    printf("computed loads by where X + k landed (random programs, X known):\n");
    for (int l = 0; l < L_COUNT; l++)
        printf("  %-40s ld [x + k]: %6lu   ldx msh: %6lu\n", landing_names[l], ind_landed[l],
               msh_landed[l]);
    printf("ancillary absolute loads: %lu\n", anc_loads);
    if (mismatches != 0) {
        printf("FAIL: %lu programs where pktd__bpf_run and the kernel differ (replay with "
               "PKTD_TEST_SEED=0x%" PRIx64 ")\n",
               mismatches, seed);
        return 1;
    }
    printf("PASS: same verdict and length on all %lu programs\n", nfixed + programs);
    return 0;
}
