/* Classic BPF in user space: the kernel's checks, an interpreter, and the
 * `tcpdump -ddd` text format.
 *
 * The checks mirror what SO_ATTACH_FILTER enforces (net/core/filter.c,
 * bpf_check_classic), so a program set before activation is rejected at the
 * setter with a message naming the instruction, not later by the kernel with
 * a bare EINVAL.  The interpreter reads packet offsets as the kernel's load
 * helpers do.  tests/capture/bpf_check_kernel and bpf_run_kernel compare
 * both with the running kernel on random programs. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/error.h>

#include "capture_bpf.h"
#include "errmsg.h"
#include "common.h"

#define BPF_MEMWORDS_ 16u

/* The opcodes the kernel accepts for classic socket filters. */
static int code_allowed(uint16_t code)
{
    switch (code) {
    case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
    case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
    case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
    case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
    case BPF_ALU | BPF_MOD | BPF_K: case BPF_ALU | BPF_MOD | BPF_X:
    case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
    case BPF_ALU | BPF_OR | BPF_K:  case BPF_ALU | BPF_OR | BPF_X:
    case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
    case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
    case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
    case BPF_ALU | BPF_NEG:
    case BPF_LD | BPF_W | BPF_ABS: case BPF_LD | BPF_H | BPF_ABS: case BPF_LD | BPF_B | BPF_ABS:
    case BPF_LD | BPF_W | BPF_IND: case BPF_LD | BPF_H | BPF_IND: case BPF_LD | BPF_B | BPF_IND:
    case BPF_LD | BPF_W | BPF_LEN:
    case BPF_LD | BPF_IMM:
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_W | BPF_LEN:
    case BPF_LDX | BPF_B | BPF_MSH:
    case BPF_LDX | BPF_IMM:
    case BPF_LDX | BPF_MEM:
    case BPF_ST:
    case BPF_STX:
    case BPF_MISC | BPF_TAX:
    case BPF_MISC | BPF_TXA:
    case BPF_RET | BPF_K:
    case BPF_RET | BPF_A:
    case BPF_JMP | BPF_JA:
    case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
    case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
    case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
    case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
        return 1;
    default:
        return 0;
    }
}

/* An absolute load at SKF_AD_OFF + off names an ancillary value the kernel
 * knows: bpf_anc_helper() lists SKF_AD_PROTOCOL (0) ... SKF_AD_VLAN_TPID (60),
 * every multiple of 4 below SKF_AD_MAX.  Any other k >= SKF_AD_OFF is refused
 * by bpf_check_classic(), whatever the load size. */
static int ancillary_known(uint32_t k)
{
    uint32_t off = k - (uint32_t)SKF_AD_OFF;
    return off < SKF_AD_MAX && off % 4 == 0;
}

static int check_fail(char *err, size_t pc, const char *what)
{
    return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT, "BPF instruction %zu: %s", pc, what);
}

int pktd__bpf_check(const struct sock_filter *prog, size_t len, char *err)
{
    if (prog == NULL || len == 0)
        return check_fail(err, 0, "empty program");
    if (len > BPF_MAXINSNS) {
        return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                             "BPF program of %zu instructions exceeds the kernel's limit of %u",
                             len, (unsigned)BPF_MAXINSNS);
    }
    for (size_t pc = 0; pc < len; pc++) {
        const struct sock_filter *f = &prog[pc];
        if (!code_allowed(f->code)) {
            return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                                 "BPF instruction %zu: opcode 0x%02x is not allowed", pc,
                                 (unsigned)f->code);
        }
        switch (f->code) {
        case BPF_ALU | BPF_DIV | BPF_K:
        case BPF_ALU | BPF_MOD | BPF_K:
            if (f->k == 0)
                return check_fail(err, pc, "division by constant zero");
            break;
        case BPF_ALU | BPF_LSH | BPF_K:
        case BPF_ALU | BPF_RSH | BPF_K:
            if (f->k >= 32)
                return check_fail(err, pc, "shift by 32 or more");
            break;
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX:
            if (f->k >= BPF_MEMWORDS_)
                return check_fail(err, pc, "scratch memory index above 15");
            break;
        case BPF_JMP | BPF_JA:
            if (f->k >= (uint32_t)(len - pc - 1))
                return check_fail(err, pc, "jump past the end");
            break;
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_LD | BPF_H | BPF_ABS:
        case BPF_LD | BPF_B | BPF_ABS:
            /* bpf_check_classic: "ancillary operation unknown or
             * unsupported".  Only absolute loads: an indirect load or ldx
             * msh with such a k is accepted and reads the packet. */
            if (f->k >= (uint32_t)SKF_AD_OFF && !ancillary_known(f->k)) {
                return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                                     "BPF instruction %zu: unknown ancillary offset SKF_AD_OFF+%u",
                                     pc, (unsigned)(f->k - (uint32_t)SKF_AD_OFF));
            }
            break;
        default:
            if (BPF_CLASS(f->code) == BPF_JMP &&
                (pc + 1u + f->jt >= len || pc + 1u + f->jf >= len))
                return check_fail(err, pc, "jump past the end");
            break;
        }
    }
    if (BPF_CLASS(prog[len - 1].code) != BPF_RET)
        return check_fail(err, len - 1, "the last instruction is not a return");

    /* Scratch memory must be stored before it is loaded, as the kernel's
     * check_load_and_stores() decides it.  All jumps go forward, so one pass
     * in program order sees every predecessor of an instruction before the
     * instruction itself.  The kernel's notion of predecessor is textual, not
     * control flow: an instruction inherits the state of the one before it
     * unless that one is a jump, even when it is a RET and so never falls
     * through.  We carry the state over a RET the same way, so that code
     * after a RET reached by jumps that all stored a cell is still refused
     * when the RET was reached without it (the kernel says EINVAL there). */
    uint16_t *valid = malloc(len * sizeof *valid);
    if (valid == NULL)
        return -ENOMEM;
    for (size_t i = 0; i < len; i++)
        valid[i] = 0xffffu;
    valid[0] = 0;
    int rc = 0;
    for (size_t pc = 0; pc < len && rc == 0; pc++) {
        const struct sock_filter *f = &prog[pc];
        uint16_t mem = valid[pc];
        switch (f->code) {
        case BPF_ST:
        case BPF_STX:
            mem = (uint16_t)(mem | (1u << f->k));
            break;
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
            if (!(mem & (1u << f->k)))
                rc = check_fail(err, pc, "scratch memory loaded before it is stored");
            break;
        default:
            break;
        }
        if (BPF_CLASS(f->code) == BPF_RET) {
            if (pc + 1 < len)
                valid[pc + 1] &= mem; /* as if it fell through: see above */
        } else if (f->code == (BPF_JMP | BPF_JA)) {
            valid[pc + 1 + f->k] &= mem;
        } else if (BPF_CLASS(f->code) == BPF_JMP) {
            valid[pc + 1 + f->jt] &= mem;
            valid[pc + 1 + f->jf] &= mem;
        } else {
            valid[pc + 1] &= mem; /* pc + 1 < len: the last instruction returns */
        }
    }
    free(valid);
    return rc;
}

/* The value of an absolute load at SKF_AD_OFF + off, as the kernel's
 * convert_bpf_extensions() computes it; 0 when the aux record does not carry
 * it (SKF_AD_MARK, SKF_AD_CPU, ...).  SKF_AD_ALU_XOR_X is not a load but
 * A ^ X. */
static int ancillary(const struct pktd__bpf_aux *aux, uint32_t off, uint32_t a, uint32_t x,
                     uint32_t *v)
{
    switch (off) {
    case SKF_AD_PROTOCOL: *v = aux->protocol; return 1;
    case SKF_AD_PKTTYPE: *v = aux->pkttype; return 1;
    case SKF_AD_IFINDEX: *v = aux->ifindex; return 1;
    case SKF_AD_HATYPE: *v = aux->hatype; return 1;
    case SKF_AD_VLAN_TAG: *v = aux->vlan_tci; return 1;
    case SKF_AD_VLAN_TAG_PRESENT: *v = aux->vlan_present; return 1;
    case SKF_AD_VLAN_TPID: *v = aux->vlan_tpid; return 1;
    case SKF_AD_ALU_XOR_X: *v = a ^ x; return 1;
    default: return 0;
    }
}

/* Load @p size bytes (4, 2 or 1) of the frame at offset @p k, the way the
 * kernel's packet load helpers read k (bpf_skb_load_helper_convert_offset in
 * 6.15+, bpf_internal_load_pointer_neg_helper before: same results) for
 * absolute and indirect loads and ldx msh:
 *   k as a signed 32-bit offset >= 0: from the start of the frame;
 *   SKF_NET_OFF <= k < 0: from the network header.  This includes the
 *     ancillary range SKF_AD_OFF ... -1: only an absolute load is turned
 *     into an ancillary value (convert_bpf_extensions); an indirect load
 *     or ldx msh landing there reads about 1 MiB past the network header,
 *     so it fails and the packet is dropped;
 *   SKF_LL_OFF <= k < SKF_NET_OFF: from the link-layer header, the start of
 *     a captured frame;
 *   below SKF_LL_OFF: no such offset, the packet is dropped.
 * Returns 0 when out of the captured bytes. */
static int load(const uint8_t *pkt, size_t caplen, const struct pktd__bpf_aux *aux, uint32_t k,
                unsigned size, uint32_t *v)
{
    uint64_t off;
    if (k < 0x80000000u)
        off = k;
    else if (k >= (uint32_t)SKF_NET_OFF)
        off = (uint64_t)aux->net_off + (k - (uint32_t)SKF_NET_OFF);
    else if (k >= (uint32_t)SKF_LL_OFF)
        off = k - (uint32_t)SKF_LL_OFF;
    else
        return 0;
    if (off + size > caplen)
        return 0;
    const uint8_t *p = pkt + off;
    *v = size == 4 ? pktd__be32(p) : size == 2 ? pktd__be16(p) : p[0];
    return 1;
}

uint32_t pktd__bpf_run(const struct sock_filter *prog, size_t len, const uint8_t *pkt,
                       size_t caplen, const struct pktd__bpf_aux *aux)
{
    uint32_t a = 0, x = 0, mem[BPF_MEMWORDS_] = {0}, v;
    for (size_t pc = 0; pc < len; pc++) {
        const struct sock_filter *f = &prog[pc];
        switch (f->code) {
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_LD | BPF_H | BPF_ABS:
        case BPF_LD | BPF_B | BPF_ABS:
        case BPF_LD | BPF_W | BPF_IND:
        case BPF_LD | BPF_H | BPF_IND:
        case BPF_LD | BPF_B | BPF_IND: {
            unsigned size = BPF_SIZE(f->code) == BPF_W ? 4 : BPF_SIZE(f->code) == BPF_H ? 2 : 1;
            int ok;
            if (BPF_MODE(f->code) == BPF_ABS && f->k >= (uint32_t)SKF_AD_OFF)
                ok = ancillary(aux, f->k - (uint32_t)SKF_AD_OFF, a, x, &v);
            else /* X + k wraps at 32 bits, as the kernel's int offset does */
                ok = load(pkt, caplen, aux, BPF_MODE(f->code) == BPF_IND ? x + f->k : f->k,
                          size, &v);
            if (!ok)
                return 0;
            a = v;
            break;
        }
        case BPF_LD | BPF_W | BPF_LEN: a = aux->len; break;
        case BPF_LDX | BPF_W | BPF_LEN: x = aux->len; break;
        case BPF_LD | BPF_IMM: a = f->k; break;
        case BPF_LDX | BPF_IMM: x = f->k; break;
        case BPF_LD | BPF_MEM: a = mem[f->k & 15]; break;
        case BPF_LDX | BPF_MEM: x = mem[f->k & 15]; break;
        case BPF_LDX | BPF_B | BPF_MSH:
            if (!load(pkt, caplen, aux, f->k, 1, &v))
                return 0;
            x = (v & 0xfu) << 2;
            break;
        case BPF_ST: mem[f->k & 15] = a; break;
        case BPF_STX: mem[f->k & 15] = x; break;
        case BPF_MISC | BPF_TAX: x = a; break;
        case BPF_MISC | BPF_TXA: a = x; break;
        case BPF_RET | BPF_K: return f->k;
        case BPF_RET | BPF_A: return a;
        case BPF_ALU | BPF_NEG: a = (uint32_t)-a; break;
        case BPF_JMP | BPF_JA: pc += f->k; break;
        default: {
            uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
            if (BPF_CLASS(f->code) == BPF_JMP) {
                int t;
                switch (BPF_OP(f->code)) {
                case BPF_JEQ: t = a == src; break;
                case BPF_JGT: t = a > src; break;
                case BPF_JGE: t = a >= src; break;
                default: t = (a & src) != 0; break; /* BPF_JSET */
                }
                pc += t ? f->jt : f->jf;
                break;
            }
            switch (BPF_OP(f->code)) {
            case BPF_ADD: a += src; break;
            case BPF_SUB: a -= src; break;
            case BPF_MUL: a *= src; break;
            case BPF_DIV: if (src == 0) return 0; a /= src; break;
            case BPF_MOD: if (src == 0) return 0; a %= src; break;
            case BPF_AND: a &= src; break;
            case BPF_OR: a |= src; break;
            case BPF_XOR: a ^= src; break;
            /* The kernel masks the shift count to 5 bits for X operands. */
            case BPF_LSH: a = a << (src & 31); break;
            case BPF_RSH: a = a >> (src & 31); break;
            default: return 0;
            }
            break;
        }
        }
    }
    return 0; /* not reached for a checked program */
}

/* Skip blanks (not newlines or commas). */
static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    return s;
}

/* Read one unsigned decimal no larger than max. */
static const char *read_number(const char *s, uint64_t max, uint64_t *out)
{
    s = skip_blanks(s);
    if (*s < '0' || *s > '9')
        return NULL;
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return NULL;
        s++;
    }
    *out = v;
    return s;
}

/* Skip one record separator (newline or comma, with blanks and blank lines);
 * sets *line to the number of newlines crossed. */
static const char *skip_separator(const char *s, unsigned *line, int *found)
{
    *found = 0;
    for (;;) {
        s = skip_blanks(s);
        if (*s == '\n') {
            (*line)++;
            *found = 1;
            s++;
        } else if (*s == ',') {
            *found = 1;
            s++;
        } else {
            return s;
        }
    }
}

int pktd__bpf_parse_text(const char *text, struct sock_filter **out, size_t *len, char *err)
{
    *out = NULL;
    *len = 0;
    if (text == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    unsigned line = 1;
    int sep;
    const char *s = skip_separator(text, &line, &sep);
    uint64_t n;
    const char *e = read_number(s, BPF_MAXINSNS, &n);
    if (e == NULL || n == 0) {
        return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                             "BPF text line %u: expected the instruction count (1 ... %u) that "
                             "tcpdump -ddd prints first",
                             line, (unsigned)BPF_MAXINSNS);
    }
    struct sock_filter *prog = calloc((size_t)n, sizeof *prog);
    if (prog == NULL)
        return -ENOMEM;
    s = e;
    for (size_t i = 0; i < n; i++) {
        s = skip_separator(s, &line, &sep);
        uint64_t code, jt, jf, k;
        const char *p = sep ? read_number(s, 0xffff, &code) : NULL;
        if (p != NULL)
            p = read_number(p, 0xff, &jt);
        if (p != NULL)
            p = read_number(p, 0xff, &jf);
        if (p != NULL)
            p = read_number(p, 0xffffffffu, &k);
        if (p != NULL) {
            p = skip_blanks(p);
            if (*p != '\n' && *p != ',' && *p != '\0')
                p = NULL;
        }
        if (p == NULL) {
            free(prog);
            if (*s == '\0')
                return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                                     "BPF text: %zu of %zu instructions present", i, (size_t)n);
            return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                                 "BPF text line %u: expected \"code jt jf k\" as decimal numbers "
                                 "(code <= 65535, jt and jf <= 255)",
                                 line);
        }
        prog[i].code = (uint16_t)code;
        prog[i].jt = (uint8_t)jt;
        prog[i].jf = (uint8_t)jf;
        prog[i].k = (uint32_t)k;
        s = p;
    }
    s = skip_separator(s, &line, &sep);
    if (*s != '\0') {
        free(prog);
        return pktd__errmsgf(err, PKTD_E_INVALID_ARGUMENT,
                             "BPF text line %u: text after the %zu announced instructions", line,
                             (size_t)n);
    }
    *out = prog;
    *len = (size_t)n;
    return 0;
}
