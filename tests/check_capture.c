/* Capture, the parts that need no privileges: classic BPF checks, the
 * user-space interpreter (cross-checked against libpcap's own on the
 * tcpdump corpus when libpcap is there), `tcpdump -ddd` text, ring geometry,
 * option setters and their errors.  Links the convenience library to reach
 * the internal helpers. */
#include "config.h"

#include <check.h>
#include <linux/if_packet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "capture_bpf.h"
#include "capture_int.h"

#ifdef HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#define INSN(c, t, f, k) {(uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k)}

/* "ip and udp dst port 53" written by hand for Ethernet. */
static const struct sock_filter udp53[] = {
    INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 12),
    INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 8, 0x0800),
    INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 23),
    INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 17),
    INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 20),
    INSN(BPF_JMP | BPF_JSET | BPF_K, 4, 0, 0x1fff),
    INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, 14),
    INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, 16),
    INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 53),
    INSN(BPF_RET | BPF_K, 0, 0, 65535),
    INSN(BPF_RET | BPF_K, 0, 0, 0),
};

static size_t make_udp(uint8_t *f, unsigned dport, int frag)
{
    memset(f, 0, 64);
    f[12] = 0x08;
    f[14] = 0x45;
    f[16] = 0;
    f[17] = 46;
    if (frag)
        f[21] = 8; /* fragment offset 8 */
    f[23] = 17;
    f[36] = (uint8_t)(dport >> 8);
    f[37] = (uint8_t)dport;
    return 60;
}

START_TEST(test_bpf_check_valid)
{
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd__bpf_check(udp53, 11, err), 0);
    struct sock_filter mem[] = {
        INSN(BPF_LD | BPF_IMM, 0, 0, 7),
        INSN(BPF_ST, 0, 0, 3),
        INSN(BPF_LDX | BPF_MEM, 0, 0, 3),
        INSN(BPF_MISC | BPF_TXA, 0, 0, 0),
        INSN(BPF_RET | BPF_A, 0, 0, 0),
    };
    ck_assert_int_eq(pktd__bpf_check(mem, 5, err), 0);
}
END_TEST

/* Each rule the kernel enforces, broken once. */
START_TEST(test_bpf_check_invalid)
{
    char err[PKTD_ERRBUF_SIZE];
    struct sock_filter p[3];

    ck_assert_int_eq(pktd__bpf_check(udp53, 0, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "empty"));

    struct sock_filter big[BPF_MAXINSNS + 1];
    for (size_t i = 0; i < BPF_MAXINSNS + 1; i++)
        big[i] = (struct sock_filter)INSN(BPF_RET | BPF_K, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(big, BPF_MAXINSNS + 1, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_check(big, BPF_MAXINSNS, err), 0);

    p[0] = (struct sock_filter)INSN(0xff, 0, 0, 0);
    p[1] = (struct sock_filter)INSN(BPF_RET | BPF_K, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 0: opcode 0xff is not allowed");

    p[0] = (struct sock_filter)INSN(BPF_RET | BPF_X, 0, 0, 0); /* the kernel refuses ret x */
    ck_assert_int_eq(pktd__bpf_check(p, 1, err), PKTD_E_INVALID_ARGUMENT);

    p[0] = (struct sock_filter)INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
    p[1] = (struct sock_filter)INSN(BPF_RET | BPF_K, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 0: jump past the end");

    p[0] = (struct sock_filter)INSN(BPF_JMP | BPF_JA, 0, 0, 1);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);

    p[0] = (struct sock_filter)INSN(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "division"));
    p[0] = (struct sock_filter)INSN(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);

    p[0] = (struct sock_filter)INSN(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);

    p[0] = (struct sock_filter)INSN(BPF_ST, 0, 0, 16);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "scratch"));

    p[0] = (struct sock_filter)INSN(BPF_LD | BPF_MEM, 0, 0, 2);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "before it is stored"));

    /* Stored on one path only: still invalid. */
    p[0] = (struct sock_filter)INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 5);
    p[1] = (struct sock_filter)INSN(BPF_ST, 0, 0, 1);
    p[2] = (struct sock_filter)INSN(BPF_LD | BPF_MEM, 0, 0, 1);
    struct sock_filter q[4] = {p[0], p[1], p[2], INSN(BPF_RET | BPF_A, 0, 0, 0)};
    ck_assert_int_eq(pktd__bpf_check(q, 4, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 2: scratch memory loaded before it is stored");

    p[0] = (struct sock_filter)INSN(BPF_LD | BPF_IMM, 0, 0, 0);
    ck_assert_int_eq(pktd__bpf_check(p, 1, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "not a return"));

    /* Scratch memory: the kernel carries the state before a RET to the
     * instruction after it.  M[0] is stored on the only jump into
     * instruction 4, but not before the RET at 3, so the kernel refuses. */
    struct sock_filter after_ret[] = {
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0), /* -> 1 or 3 */
        INSN(BPF_ST, 0, 0, 0),
        INSN(BPF_JMP | BPF_JA, 0, 0, 1),          /* -> 4 */
        INSN(BPF_RET | BPF_K, 0, 0, 0),
        INSN(BPF_LD | BPF_MEM, 0, 0, 0),
        INSN(BPF_RET | BPF_A, 0, 0, 0),
    };
    ck_assert_int_eq(pktd__bpf_check(after_ret, 6, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 4: scratch memory loaded before it is stored");
    after_ret[1] = (struct sock_filter)INSN(BPF_LD | BPF_IMM, 0, 0, 0); /* no store at all */
    after_ret[3] = (struct sock_filter)INSN(BPF_ST, 0, 0, 0); /* stored before 4 textually */
    after_ret[4] = (struct sock_filter)INSN(BPF_RET | BPF_K, 0, 0, 0);
    after_ret[5] = (struct sock_filter)INSN(BPF_LD | BPF_MEM, 0, 0, 0); /* after RET, none */
    struct sock_filter tail[7];
    memcpy(tail, after_ret, sizeof after_ret);
    tail[6] = (struct sock_filter)INSN(BPF_RET | BPF_A, 0, 0, 0);
    /* 0 -> 1 or 3; 2 -> 4: the store at 3 reaches 4 (RET) and, through
     * it, 5; the path 0-1-2 jumps to 4 without a store, so 5 is refused. */
    ck_assert_int_eq(pktd__bpf_check(tail, 7, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 5: scratch memory loaded before it is stored");
}
END_TEST

/* Ancillary offsets: the 16 the kernel knows (SKF_AD_OFF + 0, 4 ... 60) in
 * any load size; any other k >= SKF_AD_OFF of an absolute load is refused,
 * while indirect loads and ldx msh may use any k. */
START_TEST(test_bpf_check_ancillary)
{
    char err[PKTD_ERRBUF_SIZE];
    struct sock_filter p[2] = {INSN(0, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)};
    static const uint16_t sizes[3] = {BPF_W, BPF_H, BPF_B};
    for (uint32_t off = 0; off < 0x1000; off++) {
        for (int s = 0; s < 3; s++) {
            p[0] = (struct sock_filter)INSN(BPF_LD | BPF_ABS | sizes[s], 0, 0,
                                            (uint32_t)SKF_AD_OFF + off);
            int want = off < SKF_AD_MAX && off % 4 == 0 ? 0 : PKTD_E_INVALID_ARGUMENT;
            ck_assert_msg(pktd__bpf_check(p, 2, err) == want,
                          "SKF_AD_OFF+%u size %d: %s", (unsigned)off, s, err);
            p[0].code = (uint16_t)(BPF_LD | BPF_IND | sizes[s]);
            ck_assert_int_eq(pktd__bpf_check(p, 2, err), 0);
        }
        p[0] = (struct sock_filter)INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0,
                                        (uint32_t)SKF_AD_OFF + off);
        ck_assert_int_eq(pktd__bpf_check(p, 2, err), 0);
    }
    p[0] = (struct sock_filter)INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF + 1);
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 0: unknown ancillary offset SKF_AD_OFF+1");
    p[0].k = (uint32_t)SKF_AD_OFF + SKF_AD_MAX;
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF instruction 0: unknown ancillary offset SKF_AD_OFF+64");
    p[0].k = (uint32_t)SKF_AD_OFF - 1; /* network-relative, not ancillary */
    ck_assert_int_eq(pktd__bpf_check(p, 2, err), 0);
}
END_TEST

START_TEST(test_bpf_run)
{
    uint8_t f[64];
    struct pktd__bpf_aux aux = {.len = 60, .net_off = 14};
    size_t n = make_udp(f, 53, 0);
    ck_assert_uint_eq(pktd__bpf_run(udp53, 11, f, n, &aux), 65535);
    n = make_udp(f, 54, 0);
    ck_assert_uint_eq(pktd__bpf_run(udp53, 11, f, n, &aux), 0);
    n = make_udp(f, 53, 1);
    ck_assert_uint_eq(pktd__bpf_run(udp53, 11, f, n, &aux), 0);
    /* A load beyond the captured bytes rejects. */
    n = make_udp(f, 53, 0);
    ck_assert_uint_eq(pktd__bpf_run(udp53, 11, f, 37, &aux), 0);
    ck_assert_uint_eq(pktd__bpf_run(udp53, 11, f, 38, &aux), 65535);

    /* Ancillary loads, negative offsets, ALU, len. */
    struct sock_filter anc[] = {
        INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 4),
        INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF + SKF_AD_VLAN_TAG),
        INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 100),
        INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, (uint32_t)SKF_NET_OFF + 9),
        INSN(BPF_ALU | BPF_MUL | BPF_K, 0, 0, 2),
        INSN(BPF_RET | BPF_A, 0, 0, 0),
        INSN(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
        INSN(BPF_RET | BPF_A, 0, 0, 0),
    };
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd__bpf_check(anc, 9, err), 0);
    aux.pkttype = 4;
    aux.vlan_tci = 100;
    ck_assert_uint_eq(pktd__bpf_run(anc, 9, f, n, &aux), 34);
    aux.vlan_tci = 101;
    ck_assert_uint_eq(pktd__bpf_run(anc, 9, f, n, &aux), 60);
    /* An ancillary value the record does not carry rejects. */
    struct sock_filter cpu[] = {
        INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF + SKF_AD_CPU),
        INSN(BPF_RET | BPF_K, 0, 0, 1),
    };
    ck_assert_uint_eq(pktd__bpf_run(cpu, 2, f, n, &aux), 0);
    /* Division by a zero register rejects, as in the kernel. */
    struct sock_filter divx[] = {
        INSN(BPF_LD | BPF_IMM, 0, 0, 10),
        INSN(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),
        INSN(BPF_RET | BPF_K, 0, 0, 1),
    };
    ck_assert_uint_eq(pktd__bpf_run(divx, 3, f, n, &aux), 0);
}
END_TEST

/* Loads whose offset is computed (ld [x + k], ldx msh): the kernel reads
 * any k below 0 as a link-layer or network-relative offset, never as an
 * ancillary one (only absolute loads are converted to those), so landing at
 * or above SKF_AD_OFF reads about 1 MiB past the network header and drops
 * the packet.  tests/capture/bpf_run_kernel compares with the kernel. */
START_TEST(test_bpf_run_indirect)
{
    uint8_t f[64];
    size_t n = make_udp(f, 53, 0);
    struct pktd__bpf_aux aux = {.len = 60, .protocol = 0x0800, .pkttype = 4, .ifindex = 3,
                               .hatype = 1, .net_off = 14};
    char err[PKTD_ERRBUF_SIZE];
    const uint32_t ad = (uint32_t)SKF_AD_OFF;
    struct {
        struct sock_filter p[4];
        uint32_t want;
    } cases[] = {
        /* X + k in the ancillary range: dropped, not the ancillary value. */
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, ad), INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, SKF_AD_PROTOCOL),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, 0), INSN(BPF_LD | BPF_W | BPF_IND, 0, 0, ad + SKF_AD_IFINDEX),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, 4), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, ad),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        /* ldx msh of an ancillary k: dropped too. */
        {{INSN(BPF_LDX | BPF_B | BPF_MSH, 0, 0, ad + SKF_AD_PKTTYPE), INSN(BPF_MISC | BPF_TXA, 0, 0, 0),
          INSN(BPF_ALU | BPF_ADD | BPF_K, 0, 0, 1), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        /* Just below SKF_AD_OFF is network-relative (0xff000 + 14 + 3 here,
         * past the frame); SKF_NET_OFF + 9 through X is the IP protocol. */
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, ad - 1), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 0),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, (uint32_t)SKF_NET_OFF), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 9),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 17},
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, (uint32_t)SKF_LL_OFF), INSN(BPF_LD | BPF_H | BPF_IND, 0, 0, 12),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0x0800},
        /* X + k wraps at 32 bits: 0xffffffff + 24 is offset 23. */
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, 0xffffffffu), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 24),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 17},
        /* Negative and below SKF_LL_OFF: no such offset. */
        {{INSN(BPF_LDX | BPF_IMM, 0, 0, 0x80000000u), INSN(BPF_LD | BPF_B | BPF_IND, 0, 0, 0),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0},
        /* The absolute form still reads the ancillary value... */
        {{INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, ad + SKF_AD_PROTOCOL), INSN(BPF_RET | BPF_A, 0, 0, 0),
          INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0)}, 0x0800},
        /* ...and SKF_AD_ALU_XOR_X is A ^ X. */
        {{INSN(BPF_LD | BPF_IMM, 0, 0, 5), INSN(BPF_LDX | BPF_IMM, 0, 0, 3),
          INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, ad + SKF_AD_ALU_XOR_X), INSN(BPF_RET | BPF_A, 0, 0, 0)},
         6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(pktd__bpf_check(cases[i].p, 4, err) == 0, "case %zu: %s", i, err);
        uint32_t got = pktd__bpf_run(cases[i].p, 4, f, n, &aux);
        ck_assert_msg(got == cases[i].want, "case %zu: returned %u, want %u", i, (unsigned)got,
                      (unsigned)cases[i].want);
    }
}
END_TEST

START_TEST(test_bpf_text)
{
    struct sock_filter *p;
    size_t n;
    char err[PKTD_ERRBUF_SIZE];
    /* tcpdump -ddd 'udp' on Ethernet. */
    const char *ok = "6\n40 0 0 12\n21 0 3 2048\n48 0 0 23\n21 0 1 17\n6 0 0 262144\n6 0 0 0\n";
    ck_assert_int_eq(pktd__bpf_parse_text(ok, &p, &n, err), 0);
    ck_assert_uint_eq(n, 6);
    ck_assert_uint_eq(p[1].code, 21);
    ck_assert_uint_eq(p[1].jf, 3);
    ck_assert_uint_eq(p[1].k, 2048);
    ck_assert_uint_eq(p[4].k, 262144);
    ck_assert_int_eq(pktd__bpf_check(p, n, err), 0);
    free(p);
    /* The comma form (tcpdump -ddd | tr '\n' ','), CRLF and blanks. */
    ck_assert_int_eq(pktd__bpf_parse_text("2,48 0 0 23, 6 0 0 1,", &p, &n, err), 0);
    ck_assert_uint_eq(n, 2);
    free(p);
    ck_assert_int_eq(pktd__bpf_parse_text("\r\n1\r\n6 0 0 0\r\n\r\n", &p, &n, err), 0);
    free(p);

    ck_assert_int_eq(pktd__bpf_parse_text("", &p, &n, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(p);
    ck_assert_int_eq(pktd__bpf_parse_text("ip and udp", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "instruction count"));
    ck_assert_int_eq(pktd__bpf_parse_text("3\n6 0 0 0\n6 0 0 0\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(err, "BPF text: 2 of 3 instructions present");
    ck_assert_int_eq(pktd__bpf_parse_text("2\n6 0 0 0\n6 0 0\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "line 3"));
    ck_assert_int_eq(pktd__bpf_parse_text("1\n6 0 256 0\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_parse_text("1\n65536 0 0 0\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_parse_text("1\n6 0 0 4294967296\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_parse_text("1\n6 0 0 0 7\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_parse_text("1\n6 0 0 0\n6 0 0 0\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(err, "after the 1 announced"));
    ck_assert_int_eq(pktd__bpf_parse_text("4097\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd__bpf_parse_text("-1\n", &p, &n, err),
                     PKTD_E_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_ring_geometry)
{
    uint32_t bs, bn, fs, fn;
    /* Defaults: 4 MiB, full snap length. */
    ck_assert_int_eq(pktd__cap_ring_geometry(3, 262144, 0, 4u << 20, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_eq(bs % 4096, 0);
    ck_assert_uint_ge(bs, 65535 + 14);
    ck_assert_uint_eq((uint64_t)bs * bn, 4u << 20);
    ck_assert_uint_eq(fs, bs);
    ck_assert_uint_eq(fn, bn);
    ck_assert_uint_ge(bn, 8);
    /* Tiny request: at least two blocks, never zero (libpcap #548, #843). */
    ck_assert_int_eq(pktd__cap_ring_geometry(3, 262144, 0, 1000, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_eq(bn, 2);
    ck_assert_uint_ge(bs, 65535 + 14);
    ck_assert_int_eq(pktd__cap_ring_geometry(2, 96, 0, 1, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_eq(bn, 2);
    ck_assert_uint_eq(bs, 4096);
    ck_assert_uint_eq(fs % 16, 0);
    ck_assert_uint_ge(fs, 96 + TPACKET2_HDRLEN);
    ck_assert_uint_eq(fn, bn * (bs / fs));
    /* V2 frames hold a whole packet at the full snap length. */
    ck_assert_int_eq(pktd__cap_ring_geometry(2, 262144, 0, 64u << 20, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_ge(fs, 65535 + 14);
    ck_assert_uint_eq(bs, 1u << 20);
    ck_assert_uint_eq(fn, bn * (bs / fs));
    ck_assert_uint_ge((uint64_t)bs * bn, 64u << 20);
    /* With the interface's MTU known, a V2 frame holds an MTU-sized packet
     * with its Ethernet header and two tags, not 64 KiB... */
    uint32_t macoff = TPACKET_ALIGN(TPACKET2_HDRLEN + 16u) + 4u;
    ck_assert_int_eq(pktd__cap_ring_geometry(2, 262144, 1500, 4u << 20, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_eq(fs, TPACKET_ALIGN(macoff + 1500u + 14u + 8u));
    ck_assert_uint_lt(fs, 2048);
    ck_assert_uint_eq(fn, bn * (bs / fs));
    ck_assert_uint_ge((uint64_t)fs * fn, (4u << 20) - bs);
    /* ...or a snap length below that, whichever is smaller... */
    ck_assert_int_eq(pktd__cap_ring_geometry(2, 96, 1500, 4u << 20, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_eq(fs, TPACKET_ALIGN(macoff + 96u));
    /* ...and the MTU does not change V3, whose packets take their own length. */
    ck_assert_int_eq(pktd__cap_ring_geometry(3, 262144, 1500, 4u << 20, 4096, &bs, &bn, &fs, &fn), 0);
    ck_assert_uint_ge(bs, 65535 + 14);
    /* Rings beyond 4 GiB are computed in size_t without overflow... */
    ck_assert_int_eq(pktd__cap_ring_geometry(3, 262144, 0, (size_t)8 << 30, 4096, &bs, &bn, &fs, &fn),
                     0);
    ck_assert_uint_eq((uint64_t)bs * bn, (uint64_t)8 << 30);
    /* ...and what tpacket_req cannot describe is refused. */
    ck_assert_int_eq(
        pktd__cap_ring_geometry(2, 64, 0, (size_t)1 << 62, 4096, &bs, &bn, &fs, &fn),
        PKTD_E_TOO_LARGE);
}
END_TEST

START_TEST(test_setters)
{
    pktd_capture *c;
    char errbuf[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_capture_create(NULL, "lo", NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_create(NULL, "lo", errbuf), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(errbuf, "pktd_capture_create"));
    ck_assert_int_eq(pktd_capture_create(&c, "a-name-longer-than-15", NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(c);
    /* The first message says what was wrong. */
    ck_assert_int_eq(pktd_capture_create(&c, "a-name-longer-than-15", errbuf),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(errbuf, "longer than 15 bytes"));
    ck_assert_int_eq(pktd_capture_create(&c, NULL, errbuf), 0);
    ck_assert_str_eq(errbuf, "");
    pktd_capture_close(c);
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_str_eq(pktd_capture_errmsg(c), "");
    ck_assert_uint_eq(pktd_capture_snaplen(c), PKTD_CAPTURE_DEFAULT_SNAPLEN);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_ETHERNET);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 255), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "IPPROTO_RAW"));
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 6), 0);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_RAW);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 262145), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 0), 0);
    ck_assert_uint_eq(pktd_capture_snaplen(c), PKTD_CAPTURE_DEFAULT_SNAPLEN);
    ck_assert_int_eq(pktd_capture_set_snaplen(c, 96), 0);
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, SIZE_MAX), PKTD_E_TOO_LARGE);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "32 bits"));
    ck_assert_int_eq(pktd_capture_set_buffer_size(c, 1u << 20), 0);
    ck_assert_int_eq(pktd_capture_set_block_timeout(c, 60001), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_block_timeout(c, 10), 0);
    ck_assert_int_eq(pktd_capture_set_timeout(c, -2), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_timeout(c, -1), 0);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_tpacket_version(c, 2), 0);
    ck_assert_int_eq(pktd_capture_set_direction(c, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_direction(c, 4), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_direction(c, PKTD_CAPTURE_DIR_IN), 0);
    ck_assert_int_eq(pktd_capture_set_fanout(c, 7, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_fanout(c, PKTD_CAPTURE_FANOUT_HASH | 0x2000, 1),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_fanout(c, PKTD_CAPTURE_FANOUT_LB, 65536), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(
        pktd_capture_set_fanout(c, PKTD_CAPTURE_FANOUT_HASH | PKTD_CAPTURE_FANOUT_FLAG_DEFRAG, 65535), 0);
    ck_assert_int_eq(pktd_capture_set_promisc(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_immediate(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_nonblock(c, 1), 0);
    ck_assert_int_eq(pktd_capture_set_nonblock(NULL, 1), PKTD_E_INVALID_ARGUMENT);

    /* Reading before activation. */
    const uint8_t *d;
    size_t len;
    uint64_t st[PKTD_CAPTURE_STAT_COUNT];
    ck_assert_int_eq(pktd_capture_next(c, &d, &len), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_fd(c), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_capture_stats(c, st, PKTD_CAPTURE_STAT_COUNT), PKTD_E_BAD_STATE);
    ck_assert_uint_eq(pktd_capture_buffer_size(c), 0);
    ck_assert_uint_eq(pktd_capture_tpacket_version(c), 0);

    /* Filters, before activation. */
    uint8_t prog[16];
    memcpy(prog, &udp53[9], 8);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, prog, 1), 0);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, NULL, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, NULL, 0), 0);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, prog, 4097), PKTD_E_INVALID_ARGUMENT);
    memset(prog, 0xff, 8);
    ck_assert_int_eq(pktd_capture_set_filter_bpf(c, prog, 1), PKTD_E_INVALID_ARGUMENT);
    ck_assert_str_eq(pktd_capture_errmsg(c), "BPF instruction 0: opcode 0xffff is not allowed");
    ck_assert_int_eq(pktd_capture_set_filter_text(c, "1\n6 0 0 65535\n"), 0);
    ck_assert_int_eq(pktd_capture_set_filter_text(c, "not bpf"), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_filter_text(c, "1\n0 0 0 0\n"), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "not a return"));
    ck_assert_int_eq(pktd_capture_set_filter_text(c, NULL), PKTD_E_INVALID_ARGUMENT);
    if (pktd_capture_expr_available()) {
        ck_assert_int_eq(pktd_capture_set_filter_expr(c, "tcp port 80", 1), 0);
        ck_assert_int_eq(pktd_capture_set_filter_expr(c, "tcp port", 1), PKTD_E_INVALID_ARGUMENT);
        ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "filter expression \"tcp port\": "));
        ck_assert_int_eq(pktd_capture_set_filter_expr(c, "", 1), 0);
    } else {
        ck_assert_int_eq(pktd_capture_set_filter_expr(c, "tcp port 80", 1), PKTD_E_UNSUPPORTED);
        ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "libpcap"));
    }
    ck_assert_int_eq(pktd_capture_set_filter_expr(c, NULL, 1), 0);
    pktd_capture_breakloop(NULL);
    pktd_capture_close(c);
    pktd_capture_close(NULL);
    ck_assert_str_eq(pktd_capture_errmsg(NULL), "");
}
END_TEST

/* pktd_capture_set_ip_family() (1.1): its argument checks, the backend it
 * selects (seen through the link type), and its exclusion of cooked SLL2. */
START_TEST(test_set_ip_family)
{
    ck_assert_int_eq(pktd_capture_set_ip_family(NULL, 6), PKTD_E_INVALID_ARGUMENT);
    pktd_capture *c;
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    static const uint32_t bad[] = {0, 1, 5, 7, 10, 41, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(pktd_capture_set_ip_family(c, bad[i]), PKTD_E_INVALID_ARGUMENT);
        ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "must be 4 (AF_INET) or 6 (AF_INET6)"));
    }
    /* A refused call changes nothing. */
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_ETHERNET);
    /* 4 alone keeps the link layer (1.0's default). */
    ck_assert_int_eq(pktd_capture_set_ip_family(c, 4), 0);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_ETHERNET);
    /* 6 alone: IPv6 raw socket, ICMPv6 by default, synthesized headers. */
    ck_assert_int_eq(pktd_capture_set_ip_family(c, 6), 0);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_IPV6);
    ck_assert_int_eq(pktd_capture_set_linktype(c, PKTD_LINKTYPE_LINUX_SLL2), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_capture_set_ip_protocol(c, 17), 0);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_IPV6);
    /* Back to 4 with a protocol: the 1.0 AF_INET capture. */
    ck_assert_int_eq(pktd_capture_set_ip_family(c, 4), 0);
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_RAW);
    pktd_capture_close(c);

    /* A handle set to cooked SLL2 refuses IPv6 (and keeps SLL2). */
    ck_assert_int_eq(pktd_capture_create(&c, NULL, NULL), 0);
    ck_assert_int_eq(pktd_capture_set_linktype(c, PKTD_LINKTYPE_LINUX_SLL2), 0);
    ck_assert_int_eq(pktd_capture_set_ip_family(c, 6), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "SLL2"));
    ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_LINUX_SLL2);
    pktd_capture_close(c);

    /* After activation (needs CAP_NET_RAW: the namespace test sniff6.sh
     * covers the capture itself) the option is fixed. */
    ck_assert_int_eq(pktd_capture_create(&c, "lo", NULL), 0);
    ck_assert_int_eq(pktd_capture_set_ip_family(c, 6), 0);
    int rc = pktd_capture_activate(c);
    if (rc >= 0) {
        ck_assert_int_eq(pktd_capture_set_ip_family(c, 4), PKTD_E_BAD_STATE);
        ck_assert_uint_eq(pktd_capture_linktype(c), PKTD_LINKTYPE_IPV6);
    } else {
        ck_assert_ptr_nonnull(strstr(pktd_capture_errmsg(c), "socket(AF_INET6, SOCK_RAW, 58)"));
    }
    pktd_capture_close(c);
}
END_TEST

#ifdef HAVE_LIBPCAP
/* The interpreter against libpcap's own, on real frames: every Ethernet
 * frame of the tcpdump corpus through a set of expressions. */
static const char *const exprs[] = {
    "ip",
    "arp",
    "tcp",
    "udp port 53",
    "icmp or icmp6",
    "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0",
    "ip[8] < 64",
    "ether broadcast or ether multicast",
    "vlan",
    "vlan and ip",
    "net 10.0.0.0/8 and not port 22",
    "greater 200",
    "less 60",
    "ip and len > 100 and (ip[6:2] & 0x1fff) = 0",
    "tcp and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)",
    "ip6 and tcp",
    "ether[0] & 1 = 0 and ip[9] = 17",
    "portrange 1-1023",
};

START_TEST(test_bpf_vs_libpcap)
{
    const char *dir = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/corpus/tcpdump", dir != NULL ? dir : "..");
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "check_capture: no corpus at %s; interpreter cross-check skipped\n", path);
        return;
    }
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    ck_assert_ptr_nonnull(dead);
    struct bpf_program progs[sizeof exprs / sizeof exprs[0]];
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        ck_assert_msg(pcap_compile(dead, &progs[i], exprs[i], 1, PCAP_NETMASK_UNKNOWN) == 0,
                      "%s: %s", exprs[i], pcap_geterr(dead));
        char err[PKTD_ERRBUF_SIZE];
        ck_assert_int_eq(pktd__bpf_check((const struct sock_filter *)(const void *)progs[i].bf_insns,
                                         progs[i].bf_len, err),
                         0);
    }
    uint64_t frames = 0, matches = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 5, ".pcap") != 0)
            continue;
        char file[8192];
        snprintf(file, sizeof file, "%s/%s", path, e->d_name);
        char errbuf[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline(file, errbuf);
        if (p == NULL)
            continue;
        if (pcap_datalink(p) != DLT_EN10MB) {
            pcap_close(p);
            continue;
        }
        struct pcap_pkthdr *h;
        const u_char *data;
        while (pcap_next_ex(p, &h, &data) == 1) {
            frames++;
            struct pktd__bpf_aux aux = {.len = h->len, .net_off = 14};
            for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
                uint32_t want = (uint32_t)bpf_filter(progs[i].bf_insns, data, h->len, h->caplen);
                uint32_t got = pktd__bpf_run(
                    (const struct sock_filter *)(const void *)progs[i].bf_insns, progs[i].bf_len,
                    data, h->caplen, &aux);
                ck_assert_msg(got == want, "%s frame %llu, \"%s\": libpcap %u, ours %u", e->d_name,
                              (unsigned long long)frames, exprs[i], want, got);
                matches += got != 0;
            }
        }
        pcap_close(p);
    }
    closedir(d);
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        pcap_freecode(&progs[i]);
    pcap_close(dead);
    fprintf(stderr, "check_capture: interpreter agrees with libpcap on %llu frames x %zu "
                    "expressions (%llu matches)\n",
            (unsigned long long)frames, sizeof exprs / sizeof exprs[0],
            (unsigned long long)matches);
    ck_assert_uint_gt(frames, 1000);
    ck_assert_uint_gt(matches, 1000);
}
END_TEST
#endif

/* The IPv6 header the AF_INET6 backend builds: the payload length field
 * for an ordinary payload, and for one past 65 535 bytes (a GRO packet)
 * the RFC 2675 form, so the decoder reads the true length; before, the
 * field was written modulo 65536 (70 000 bytes read as 4 464). */
START_TEST(test_inet6_header)
{
    static uint8_t buf[48 + 70000];
    struct in6_addr src, dst;
    memset(&src, 0, sizeof src);
    memset(&dst, 0, sizeof dst);
    src.s6_addr[15] = 1;
    dst.s6_addr[15] = 2;
    uint8_t *payload = buf + 48;
    pktd_packet p;

    /* An ordinary payload: 40 bytes, payload length = the payload. */
    memset(payload, 0, 8);
    payload[0] = 128; /* echo request */
    size_t hl = pktd__inet6_header(payload, 0x2e, 8, 58, 64, &src, &dst);
    ck_assert_uint_eq(hl, 40);
    ck_assert_int_eq(pktd_decode(&p, 229, payload - hl, hl + 8), 0);
    ck_assert_uint_eq(pktd_ipv6_plen(&p), 8);
    ck_assert_uint_eq(pktd_ipv6_tclass(&p), 0x2e);
    ck_assert_uint_eq(pktd_ipv6_hlim(&p), 64);
    ck_assert_uint_eq(pktd_ipv6_next(&p), 58);
    ck_assert_uint_eq(pktd_ipv6_jumbo_len(&p), 0);
    ck_assert_mem_eq(pktd_ipv6_src(&p), src.s6_addr, 16);
    ck_assert_mem_eq(pktd_ipv6_dst(&p), dst.s6_addr, 16);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_ICMPV6));

    /* 65 535 bytes still fit the field. */
    hl = pktd__inet6_header(payload, 0, 65535, 17, 1, &src, &dst);
    ck_assert_uint_eq(hl, 40);
    ck_assert_uint_eq(((uint32_t)payload[-36] << 8) | payload[-35], 65535);

    /* 70 000 bytes of UDP: a jumbogram whose length counts the 8-byte
     * hop-by-hop header, and the upper layer found after it. */
    memset(payload, 0, 70000);
    payload[4] = 0; /* UDP length 0: RFC 2675 for a UDP jumbogram */
    payload[5] = 0;
    hl = pktd__inet6_header(payload, 0, 70000, 17, 9, &src, &dst);
    ck_assert_uint_eq(hl, 48);
    ck_assert_int_eq(pktd_decode(&p, 229, payload - hl, hl + 70000), 0);
    ck_assert_uint_eq(pktd_ipv6_plen(&p), 0);
    ck_assert_uint_eq(pktd_ipv6_next(&p), 0);
    ck_assert_uint_eq(pktd_ipv6_jumbo_len(&p), 70008);
    ck_assert_uint_eq(pktd_ipv6_ext_count(&p), 1);
    uint8_t up = 0;
    size_t off = 0;
    ck_assert_int_eq(pktd_ipv6_upper(&p, &up, &off), 1);
    ck_assert_uint_eq(up, 17);
    ck_assert_uint_eq(off, 48);
    ck_assert(pktd_packet_has(&p, PKTD_LAYER_UDP));
}
END_TEST

static Suite *capture_suite(void)
{
    Suite *s = suite_create("capture");
    TCase *tc = tcase_create("bpf");
    tcase_add_test(tc, test_bpf_check_valid);
    tcase_add_test(tc, test_bpf_check_invalid);
    tcase_add_test(tc, test_bpf_check_ancillary);
    tcase_add_test(tc, test_bpf_run);
    tcase_add_test(tc, test_bpf_run_indirect);
    tcase_add_test(tc, test_bpf_text);
#ifdef HAVE_LIBPCAP
    tcase_add_test(tc, test_bpf_vs_libpcap);
#endif
    suite_add_tcase(s, tc);
    tc = tcase_create("handle");
    tcase_add_test(tc, test_ring_geometry);
    tcase_add_test(tc, test_setters);
    tcase_add_test(tc, test_set_ip_family);
    tcase_add_test(tc, test_inet6_header);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(capture_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
