/* bpf_check_kernel: our classic BPF checker (pktd__bpf_check) against the
 * running kernel's (bpf_check_classic, reached through SO_ATTACH_FILTER).
 *
 * Generates random programs biased toward what the checker must judge:
 * ancillary loads with known and unknown SKF_AD_OFF offsets, scratch memory
 * stores and loads with jumps and RETs in the middle (so some loads are
 * reached before any store on some path), jumps past the end, division and
 * shifts by bad constants, unknown opcodes, programs not ending in a RET.
 * Each program is attached to a socket; the kernel's verdict (0 or EINVAL)
 * must equal ours for every program.
 *
 *   PKTD_TEST_SEED   the seed (default below; printed either way)
 *   PKTD_BPF_PROGRAMS how many programs (default 200000)
 *
 * Needs no privileges.  Exits 77 only when no socket accepts a valid
 * filter (SO_ATTACH_FILTER unavailable, e.g. under a seccomp sandbox). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pktdecode/error.h>

#include "capture_bpf.h"

#define MAX_LEN 48

static uint64_t rng_state;

/* xorshift64*, as in the other tests: same seed, same programs. */
static uint64_t rnd64(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd(uint32_t n) /* 0 .. n-1 */
{
    return (uint32_t)((rnd64() >> 32) % n);
}

/* What a program contains, for the figures printed at the end. */
enum feature {
    F_ANC_KNOWN,
    F_ANC_UNKNOWN,
    F_MEM_LOAD,
    F_LOAD_AFTER_RET,
    F_JUMP_OUT,
    F_DIV_ZERO,
    F_BAD_SHIFT,
    F_BAD_OPCODE,
    F_NO_FINAL_RET,
    F_COUNT
};

static const char *const feature_names[F_COUNT] = {
    "known ancillary load (SKF_AD_OFF+0..60)",
    "unknown ancillary offset (k >= SKF_AD_OFF)",
    "scratch load (ld/ldx M[])",
    "scratch load after a RET in the middle",
    "jump past the end",
    "division or modulo by constant zero",
    "constant shift >= 32",
    "odd or random opcode (mostly not allowed)",
    "last instruction not a RET",
};

static const uint16_t size_bits[3] = {BPF_W, BPF_H, BPF_B};

static uint32_t ancillary_k(unsigned *features)
{
    if (rnd(3) != 0) {
        *features |= 1u << F_ANC_KNOWN;
        return (uint32_t)SKF_AD_OFF + 4u * rnd(16); /* SKF_AD_PROTOCOL .. SKF_AD_VLAN_TPID */
    }
    *features |= 1u << F_ANC_UNKNOWN;
    switch (rnd(5)) {
    case 0: return (uint32_t)SKF_AD_OFF + 4u * rnd(16) + 1u + rnd(3); /* between two */
    case 1: return (uint32_t)SKF_AD_OFF + SKF_AD_MAX + 4u * rnd(8);   /* past the last */
    case 2: return 0xffffffffu;
    default: return (uint32_t)SKF_AD_OFF + rnd(0x1000);               /* anywhere */
    }
}

/* A packet offset: plain, link-layer or network-relative, or anything. */
static uint32_t packet_k(void)
{
    switch (rnd(5)) {
    case 0: return (uint32_t)SKF_NET_OFF + rnd(64);
    case 1: return (uint32_t)SKF_LL_OFF + rnd(64);
    case 2: return (uint32_t)SKF_AD_OFF - 1u - rnd(16); /* just below the ancillary range */
    case 3: return (uint32_t)rnd64();
    default: return rnd(80);
    }
}

/* Scratch index: mostly the first few cells so stores and loads meet. */
static uint32_t mem_k(void)
{
    return rnd(16) == 0 ? rnd(24) : rnd(3);
}

static uint8_t jump_off(size_t pc, size_t len, unsigned *features)
{
    size_t room = len - pc - 1; /* targets pc+1 .. len-1 are inside */
    uint8_t off = rnd(20) == 0 || room == 0 ? (uint8_t)rnd(256) : (uint8_t)rnd((uint32_t)room);
    if (pc + 1u + off >= len)
        *features |= 1u << F_JUMP_OUT;
    return off;
}

static struct sock_filter random_insn(size_t pc, size_t len, unsigned *features)
{
    struct sock_filter f = {0, 0, 0, 0};
    uint32_t pick = rnd(100);
    if (pick < 14) {
        f.code = (uint16_t)(BPF_LD | BPF_ABS | size_bits[rnd(3)]);
        f.k = ancillary_k(features);
    } else if (pick < 22) {
        f.code = (uint16_t)(BPF_LD | (rnd(2) ? BPF_ABS : BPF_IND) | size_bits[rnd(3)]);
        f.k = packet_k();
    } else if (pick < 42) {
        static const uint16_t mem_codes[4] = {BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM, BPF_ST,
                                              BPF_STX};
        f.code = mem_codes[rnd(4)];
        f.k = mem_k();
    } else if (pick < 58) {
        static const uint16_t ops[4] = {BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET};
        f.code = (uint16_t)(BPF_JMP | ops[rnd(4)] | (rnd(2) ? BPF_K : BPF_X));
        f.jt = jump_off(pc, len, features);
        f.jf = jump_off(pc, len, features);
        f.k = rnd(4);
    } else if (pick < 64) {
        size_t room = len - pc - 1;
        f.code = BPF_JMP | BPF_JA;
        f.k = rnd(8) == 0 || room == 0 ? rnd(300) : rnd((uint32_t)room);
        if (f.k >= room)
            *features |= 1u << F_JUMP_OUT;
    } else if (pick < 74) {
        f.code = (uint16_t)(BPF_RET | (rnd(2) ? BPF_K : BPF_A));
        f.k = rnd(2) ? 0xffffu : 0;
    } else if (pick < 88) {
        static const uint16_t ops[11] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND,
                                         BPF_OR,  BPF_XOR, BPF_LSH, BPF_RSH, BPF_NEG};
        uint16_t op = ops[rnd(11)];
        f.code = (uint16_t)(BPF_ALU | op | (op != BPF_NEG && rnd(2) ? BPF_X : BPF_K));
        uint32_t r = rnd(4);
        f.k = r == 0 ? 0 : r == 1 ? 31u + rnd(3) : r == 2 ? (uint32_t)rnd64() : 1u + rnd(8);
        if ((op == BPF_DIV || op == BPF_MOD) && BPF_SRC(f.code) == BPF_K && f.k == 0)
            *features |= 1u << F_DIV_ZERO;
        if ((op == BPF_LSH || op == BPF_RSH) && BPF_SRC(f.code) == BPF_K && f.k >= 32)
            *features |= 1u << F_BAD_SHIFT;
    } else if (pick < 97) {
        static const uint16_t misc[8] = {
            BPF_MISC | BPF_TAX, BPF_MISC | BPF_TXA, BPF_LD | BPF_IMM,   BPF_LDX | BPF_IMM,
            BPF_LD | BPF_W | BPF_LEN, BPF_LDX | BPF_W | BPF_LEN, BPF_LDX | BPF_B | BPF_MSH,
            BPF_LDX | BPF_B | BPF_MSH};
        f.code = misc[rnd(8)];
        f.k = f.code == (BPF_LDX | BPF_B | BPF_MSH) && rnd(2) ? ancillary_k(features) : packet_k();
    } else {
        *features |= 1u << F_BAD_OPCODE;
        /* Near misses (ret x, ldx abs as seccomp uses it, ld abs of a
         * double word, misc codes) or a random code. */
        static const uint16_t odd[6] = {BPF_RET | BPF_X, BPF_LDX | BPF_W | BPF_ABS,
                                        BPF_LD | 0x18 | BPF_ABS, BPF_MISC | 0x10,
                                        BPF_ALU | 0xe0, BPF_JMP | 0x50};
        f.code = rnd(2) ? odd[rnd(6)] : (uint16_t)rnd(0x10000);
        f.k = (uint32_t)rnd64();
        f.jt = (uint8_t)rnd(4);
        f.jf = (uint8_t)rnd(4);
    }
    return f;
}

static int is_ret(uint16_t code)
{
    return BPF_CLASS(code) == BPF_RET;
}

/* Features that need the whole program. */
static void program_features(const struct sock_filter *p, size_t len, unsigned *features)
{
    int ret_seen = 0;
    for (size_t i = 0; i < len; i++) {
        uint16_t c = p[i].code;
        if (c == (BPF_LD | BPF_MEM) || c == (BPF_LDX | BPF_MEM)) {
            *features |= 1u << F_MEM_LOAD;
            if (ret_seen)
                *features |= 1u << F_LOAD_AFTER_RET;
        }
        if (is_ret(c) && i + 1 < len)
            ret_seen = 1;
    }
    if (!is_ret(p[len - 1].code))
        *features |= 1u << F_NO_FINAL_RET;
}

/* The kernel's verdict: 0 accepted, 1 rejected (EINVAL), -1 other error. */
static int kernel_verdict(int sock, struct sock_filter *p, size_t len, int *err)
{
    struct sock_fprog fp = {(unsigned short)len, p};
    if (setsockopt(sock, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) == 0)
        return 0;
    *err = errno;
    return errno == EINVAL ? 1 : -1;
}

static void print_program(const struct sock_filter *p, size_t len)
{
    printf("  %zu\n", len);
    for (size_t i = 0; i < len; i++)
        printf("  %u %u %u %" PRIu32 "\n", (unsigned)p[i].code, (unsigned)p[i].jt,
               (unsigned)p[i].jf, (uint32_t)p[i].k);
}

/* A socket that takes a classic filter: AF_INET first, AF_UNIX otherwise. */
static int filter_socket(char *why, size_t whylen)
{
    static const int families[2] = {AF_INET, AF_UNIX};
    struct sock_filter accept_all[1] = {{BPF_RET | BPF_K, 0, 0, 0xffffffffu}};
    for (int i = 0; i < 2; i++) {
        int s = socket(families[i], SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0) {
            snprintf(why, whylen, "socket(%s): %s", i == 0 ? "AF_INET" : "AF_UNIX",
                     strerror(errno));
            continue;
        }
        int err = 0;
        if (kernel_verdict(s, accept_all, 1, &err) == 0)
            return s;
        snprintf(why, whylen, "setsockopt(SO_ATTACH_FILTER) of \"ret #-1\" on %s: %s",
                 i == 0 ? "AF_INET" : "AF_UNIX", strerror(err));
        close(s);
    }
    return -1;
}

int main(void)
{
    uint64_t seed = 0x5ec0b9f11ull;
    const char *s = getenv("PKTD_TEST_SEED");
    if (s != NULL && *s != '\0')
        seed = strtoull(s, NULL, 0);
    rng_state = seed | 1u;
    unsigned long programs = 200000;
    s = getenv("PKTD_BPF_PROGRAMS");
    if (s != NULL && *s != '\0')
        programs = strtoul(s, NULL, 0);

    char why[160] = "";
    int sock = filter_socket(why, sizeof why);
    if (sock < 0) {
        printf("SKIP: no socket takes a classic BPF filter: %s\n", why);
        return 77;
    }
    printf("seed PKTD_TEST_SEED=0x%" PRIx64 ", %lu programs\n", seed, programs);

    unsigned long with[F_COUNT] = {0}, disagree_with[F_COUNT] = {0};
    unsigned long kernel_accepts = 0, kernel_rejects = 0;
    unsigned long we_accept_kernel_rejects = 0, we_reject_kernel_accepts = 0, shown = 0;
    struct sock_filter p[MAX_LEN];
    for (unsigned long n = 0; n < programs; n++) {
        size_t len = rnd(4) == 0 ? 1 + rnd(4) : 4 + rnd(MAX_LEN - 3);
        unsigned features = 0;
        for (size_t i = 0; i + 1 < len; i++)
            p[i] = random_insn(i, len, &features);
        if (rnd(10) != 0) /* most programs end in a RET, so the later checks run */
            p[len - 1] = (struct sock_filter){(uint16_t)(BPF_RET | (rnd(2) ? BPF_K : BPF_A)), 0,
                                              0, 0xffffu};
        else
            p[len - 1] = random_insn(len - 1, len, &features);
        program_features(p, len, &features);

        char msg[PKTD_ERRBUF_SIZE] = "";
        int ours = pktd__bpf_check(p, len, msg);
        if (ours != 0 && ours != PKTD_E_INVALID_ARGUMENT) {
            printf("FAIL: pktd__bpf_check returned %d on program %lu\n", ours, n);
            return 1;
        }
        int err = 0;
        int kernel = kernel_verdict(sock, p, len, &err);
        if (kernel < 0) {
            printf("FAIL: setsockopt(SO_ATTACH_FILTER) on program %lu: %s (not EINVAL)\n", n,
                   strerror(err));
            return 1;
        }
        kernel_accepts += kernel == 0;
        kernel_rejects += kernel == 1;
        for (int f = 0; f < F_COUNT; f++)
            with[f] += (features >> f) & 1u;
        if ((ours == 0) == (kernel == 0))
            continue;
        if (ours == 0)
            we_accept_kernel_rejects++;
        else
            we_reject_kernel_accepts++;
        for (int f = 0; f < F_COUNT; f++)
            disagree_with[f] += (features >> f) & 1u;
        if (shown++ < 5) {
            printf("DISAGREE program %lu: kernel %s, pktd__bpf_check %s%s\n", n,
                   kernel == 0 ? "accepts" : "rejects (EINVAL)", ours == 0 ? "accepts" : "rejects: ",
                   msg);
            print_program(p, len);
        }
    }
    close(sock);

    printf("kernel accepted %lu, rejected %lu\n", kernel_accepts, kernel_rejects);
    printf("programs with each feature (disagreements among them):\n");
    for (int f = 0; f < F_COUNT; f++)
        printf("  %-45s %7lu (%lu)\n", feature_names[f], with[f], disagree_with[f]);
    printf("disagreements: %lu (we accept what the kernel rejects: %lu, we reject what it "
           "accepts: %lu)\n",
           we_accept_kernel_rejects + we_reject_kernel_accepts, we_accept_kernel_rejects,
           we_reject_kernel_accepts);
    if (we_accept_kernel_rejects + we_reject_kernel_accepts != 0) {
        printf("FAIL: pktd__bpf_check and the kernel disagree (replay with "
               "PKTD_TEST_SEED=0x%" PRIx64 ")\n",
               seed);
        return 1;
    }
    printf("PASS: identical verdicts on all %lu programs\n", programs);
    return 0;
}
