/* Kernel filters of the capture handle: the filter setters, the program the
 * socket really gets (direction test + user program, or a snap-length
 * return), the reject-all-then-drain replacement on a live socket, and
 * tcpdump expressions compiled by libpcap.
 *
 * Direction is decided in the kernel with the packet-type ancillary load,
 * so packets the caller does not want are neither stored in the ring nor
 * counted as received (libpcap tests direction in user space, after the
 * kernel has counted them). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#include <pktdecode/capture.h>
#include <pktdecode/error.h>

#include "capture_int.h"
#include "common.h"

/* Longest direction prefix below. */
#define PREFIX_MAX 7u

static struct sock_filter insn(uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
    struct sock_filter f = {code, jt, jf, k};
    return f;
}

/* Instructions that reject unwanted directions, then reset A and X so the
 * user program starts as it would alone.  Returns the count written. */
static size_t direction_prefix(const pktd_capture *c, struct sock_filter *p)
{
    const uint32_t pkttype = (uint32_t)SKF_AD_OFF + SKF_AD_PKTTYPE;
    const uint32_t ifidx = (uint32_t)SKF_AD_OFF + SKF_AD_IFINDEX;
    size_t n = 0;
    if (!pktd__cap_backend(c)->link_layer)
        return 0; /* e.g. AF_INET raw sockets see incoming packets only */
    if (c->direction == PKTD_CAPTURE_DIR_IN || c->direction == PKTD_CAPTURE_DIR_OUT) {
        p[n++] = insn(BPF_LD | BPF_B | BPF_ABS, 0, 0, pkttype);
        /* IN: outgoing falls through to the reject; OUT: everything else does. */
        p[n++] = c->direction == PKTD_CAPTURE_DIR_IN ? insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, PACKET_OUTGOING)
                                                 : insn(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, PACKET_OUTGOING);
        p[n++] = insn(BPF_RET | BPF_K, 0, 0, 0);
    } else if (c->lo_ifindex > 0 && (c->ifindex == 0 || c->ifindex == c->lo_ifindex)) {
        /* Both directions on loopback: each packet passes twice, as outgoing
         * and as incoming; keep the incoming copy. */
        if (c->ifindex == 0) {
            p[n++] = insn(BPF_LD | BPF_W | BPF_ABS, 0, 0, ifidx);
            p[n++] = insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, (uint32_t)c->lo_ifindex);
        }
        p[n++] = insn(BPF_LD | BPF_B | BPF_ABS, 0, 0, pkttype);
        p[n++] = insn(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, PACKET_OUTGOING);
        p[n++] = insn(BPF_RET | BPF_K, 0, 0, 0);
    }
    if (n > 0) {
        p[n++] = insn(BPF_LD | BPF_IMM, 0, 0, 0);
        p[n++] = insn(BPF_LDX | BPF_IMM, 0, 0, 0);
    }
    return n;
}

int pktd__cap_filter_reject_all(pktd_capture *c)
{
    struct sock_filter reject = insn(BPF_RET | BPF_K, 0, 0, 0);
    struct sock_fprog fp = {1, &reject};
    if (setsockopt(c->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) != 0)
        return pktd__cap_fail_sys(c, -errno, "setsockopt(SO_ATTACH_FILTER, reject all)");
    return 0;
}

/* Read and discard everything queued on the socket (AF_INET: the only
 * buffer; AF_PACKET with a ring: normally nothing). */
static int drain(pktd_capture *c)
{
    int flags = fcntl(c->fd, F_GETFL);
    if (flags < 0)
        return pktd__cap_fail_sys(c, -errno, "fcntl(F_GETFL)");
    uint8_t byte;
    for (;;) {
        ssize_t n = recv(c->fd, &byte, 1, MSG_TRUNC | MSG_DONTWAIT);
        if (n >= 0) {
            if (c->active && c->ops->counts_received) {
                /* Received under the old filter, never delivered. */
                c->st_received++;
                c->st_filtered++;
            }
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        return pktd__cap_fail_sys(c, -errno, "recv while draining the socket");
    }
}

int pktd__cap_filter_install(pktd_capture *c, int replacing)
{
    struct sock_filter prefix[PREFIX_MAX];
    size_t np = direction_prefix(c, prefix);
    int kernel_prog = c->prog != NULL && !c->prog_userland && !pktd__cap_backend(c)->builds_header;
    if (kernel_prog && np + c->prog_len > BPF_MAXINSNS) {
        c->prog_userland = 1; /* too long with the prefix: run it in user space */
        kernel_prog = 0;
    }

    /* Without a user program the kernel still cuts packets to the snap
     * length, which saves ring space (libpcap notes the same). */
    size_t body = kernel_prog ? c->prog_len : 1;
    int need = np > 0 || kernel_prog ||
               (pktd__cap_backend(c)->kernel_snap && c->snaplen < PKTD_CAPTURE_DEFAULT_SNAPLEN);
    struct sock_filter *all = NULL;
    if (need) {
        all = malloc((np + body) * sizeof *all);
        if (all == NULL)
            return pktd__errmsgf(c->errmsg, -ENOMEM, "out of memory building the kernel filter");
        memcpy(all, prefix, np * sizeof *all);
        if (kernel_prog)
            memcpy(all + np, c->prog, c->prog_len * sizeof *all);
        else /* a built header: the library cuts, after replacing the link header */
            all[np] = insn(BPF_RET | BPF_K, 0, 0,
                           pktd__cap_backend(c)->builds_header ? UINT32_MAX : c->snaplen);
    }

    int rc = 0;
    if (replacing) {
        rc = pktd__cap_filter_reject_all(c);
        if (rc == 0)
            rc = drain(c);
        if (rc != 0)
            goto out;
    }
    if (need) {
        struct sock_fprog fp = {(unsigned short)(np + body), all};
        if (setsockopt(c->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp) != 0) {
            int e = errno;
            if (kernel_prog && e == ENOMEM) {
                /* optmem_max too small for the program: run it in user space
                 * (libpcap's fallback) and let the kernel test direction only. */
                free(all);
                c->prog_userland = 1;
                return pktd__cap_filter_install(c, 0);
            }
            rc = pktd__cap_fail_sys(c, -e, "setsockopt(SO_ATTACH_FILTER, %zu instructions)",
                                    np + body);
            goto out;
        }
    } else if (replacing || c->fanout) {
        int unused = 0; /* the kernel wants an int-sized option value */
        if (setsockopt(c->fd, SOL_SOCKET, SO_DETACH_FILTER, &unused, sizeof unused) != 0 &&
            errno != ENOENT &&
            errno != ENONET) {
            rc = pktd__cap_fail_sys(c, -errno, "setsockopt(SO_DETACH_FILTER)");
            goto out;
        }
    }
    if (replacing) {
        /* Ring frames stamped up to now arrived under the old filter. */
        c->refilter_until_ns = pktd__cap_now_ns();
    }
out:
    free(all);
    return rc;
}

/* Replace the handle's program by @p prog (owned by the handle from now
 * on; NULL removes it) and, on a live handle, attach it. */
static int use_program(pktd_capture *c, struct sock_filter *prog, size_t len, int userland)
{
    free(c->prog);
    c->prog = prog;
    c->prog_len = len;
    c->prog_userland = userland;
    if (!c->active)
        return 0;
    return pktd__cap_filter_install(c, 1);
}

int pktd_capture_set_filter_bpf(pktd_capture *c, const uint8_t *prog, uint32_t count)
{
    if (c == NULL || (prog == NULL && count != 0))
        return PKTD_E_INVALID_ARGUMENT;
    free(c->expr);
    c->expr = NULL;
    if (count == 0)
        return use_program(c, NULL, 0, 0);
    if (count > BPF_MAXINSNS)
        return pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "BPF program of %u instructions exceeds the kernel's limit of %u",
                             count, (unsigned)BPF_MAXINSNS);
    struct sock_filter *p = malloc((size_t)count * sizeof *p);
    if (p == NULL)
        return pktd__errmsgf(c->errmsg, -ENOMEM, "out of memory copying the BPF program");
    PKTD__STATIC_ASSERT(sizeof(struct sock_filter) == 8, "sock_filter is 8 bytes");
    memcpy(p, prog, (size_t)count * sizeof *p);
    int rc = pktd__bpf_check(p, count, c->errmsg);
    if (rc != 0) {
        free(p);
        return rc;
    }
    return use_program(c, p, count, 0);
}

int pktd_capture_set_filter_text(pktd_capture *c, const char *text)
{
    if (c == NULL || text == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    struct sock_filter *p = NULL;
    size_t n = 0;
    int rc = pktd__bpf_parse_text(text, &p, &n, c->errmsg);
    if (rc == -ENOMEM)
        return pktd__errmsgf(c->errmsg, rc, "out of memory reading the BPF text");
    if (rc != 0)
        return rc;
    rc = pktd__bpf_check(p, n, c->errmsg);
    if (rc != 0) {
        free(p);
        return rc;
    }
    free(c->expr);
    c->expr = NULL;
    return use_program(c, p, n, 0);
}

int pktd_capture_expr_available(void)
{
#ifdef HAVE_LIBPCAP
    return 1;
#else
    return 0;
#endif
}

#ifdef HAVE_LIBPCAP
/* Whether the expression uses the "vlan" primitive (a whole word). */
static int mentions_vlan(const char *s)
{
    for (const char *p = s; (p = strstr(p, "vlan")) != NULL; p += 4) {
        int before = p == s || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z') ||
                                 (p[-1] >= '0' && p[-1] <= '9') || p[-1] == '_');
        char a = p[4];
        int after = !((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9') ||
                      a == '_');
        if (before && after)
            return 1;
    }
    return 0;
}

static int compile_expr(pktd_capture *c, const char *expr, int optimize, struct sock_filter **out,
                        size_t *len)
{
    /* The backend's link type: DLT_RAW for the IP layer, so programs start
     * at the IP header, as the kernel runs them on AF_INET raw sockets. */
    pcap_t *p = pcap_open_dead(pktd__dlt_of(pktd__cap_backend(c)->linktype), (int)c->snaplen);
    if (p == NULL)
        return pktd__errmsgf(c->errmsg, -ENOMEM, "pcap_open_dead failed");
    struct bpf_program fp;
    if (pcap_compile(p, &fp, expr, optimize, PCAP_NETMASK_UNKNOWN) != 0) {
        pktd__errmsgf(c->errmsg, PKTD_E_INVALID_ARGUMENT, "filter expression \"%s\": %s", expr,
                      pcap_geterr(p));
        pcap_close(p);
        return PKTD_E_INVALID_ARGUMENT;
    }
    pcap_close(p);
    PKTD__STATIC_ASSERT(sizeof(struct bpf_insn) == sizeof(struct sock_filter),
                       "libpcap's bpf_insn has the kernel's layout");
    struct sock_filter *prog = malloc((size_t)fp.bf_len * sizeof *prog);
    if (prog == NULL) {
        pcap_freecode(&fp);
        return pktd__errmsgf(c->errmsg, -ENOMEM, "out of memory copying the compiled filter");
    }
    for (u_int i = 0; i < fp.bf_len; i++)
        prog[i] = insn(fp.bf_insns[i].code, fp.bf_insns[i].jt, fp.bf_insns[i].jf, fp.bf_insns[i].k);
    size_t n = fp.bf_len;
    pcap_freecode(&fp);
    int rc = pktd__bpf_check(prog, n, c->errmsg);
    if (rc != 0) {
        free(prog);
        return rc;
    }
    *out = prog;
    *len = n;
    return 0;
}
#endif

int pktd_capture_set_filter_expr(pktd_capture *c, const char *expr, int optimize)
{
    if (c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (expr == NULL || expr[0] == '\0') {
        free(c->expr);
        c->expr = NULL;
        return use_program(c, NULL, 0, 0);
    }
#ifdef HAVE_LIBPCAP
    char *copy = strdup(expr);
    if (copy == NULL)
        return pktd__errmsgf(c->errmsg, -ENOMEM, "out of memory");
    struct sock_filter *prog = NULL;
    size_t n = 0;
    int rc = compile_expr(c, expr, optimize, &prog, &n);
    if (rc != 0) {
        free(copy);
        return rc;
    }
    free(c->expr);
    c->expr = copy;
    c->expr_optimize = optimize;
    const struct pktd__cap_ops *be = pktd__cap_backend(c);
    c->expr_linktype = be->linktype;
    c->expr_snaplen = c->snaplen;
    /* The kernel sees frames whose VLAN tags it removed, so a compiled
     * "vlan" test could never match there; run such programs on the frame
     * with its tags back in. */
    return use_program(c, prog, n, be->vlan_offload && mentions_vlan(expr));
#else
    (void)optimize;
    return pktd__errmsgf(c->errmsg, PKTD_E_UNSUPPORTED,
                         "filter expressions need libpcap: this libpktdecode was built "
                         "without it (configure --with-libpcap); use a BPF program instead");
#endif
}

/* Recompile the expression when the mode or snap length changed after it
 * was set (called at activation). */
int pktd__cap_filter_refresh(pktd_capture *c)
{
#ifdef HAVE_LIBPCAP
    if (c->expr == NULL)
        return 0;
    if (pktd__cap_backend(c)->linktype == c->expr_linktype && c->snaplen == c->expr_snaplen)
        return 0;
    char *expr = c->expr;
    c->expr = NULL;
    int rc = pktd_capture_set_filter_expr(c, expr, c->expr_optimize);
    free(expr);
    return rc;
#else
    (void)c;
    return 0;
#endif
}
