/* tcpdump filter expressions on frames in memory (filter.h): libpcap
 * compiles, as for a saved file (pcap_open_dead), and the capture area's
 * classic BPF checker and interpreter (capture_bpf.c) run the program, so
 * a frame is filtered exactly as a capture's user-space filter would. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBPCAP
#include <pcap/pcap.h>
#endif

#include <pktdecode/filter.h>

#include "capture_bpf.h"
#include "common.h"
#include "errmsg.h"

struct pktd_filter {
    size_t len;
    struct sock_filter prog[]; /* checked by pktd__bpf_check() */
};

int pktd_filter_create(pktd_filter **out, const char *expr, uint32_t linktype, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL || expr == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_filter_create: %s is NULL", out == NULL ? "out" : "expr");
    *out = NULL;
#ifdef HAVE_LIBPCAP
    pcap_t *p = pcap_open_dead(pktd__dlt_of(linktype), 262144);
    if (p == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pcap_open_dead failed");
    struct bpf_program fp;
    if (pcap_compile(p, &fp, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                      "filter expression \"%.*s\" for link type %u: %s", PKTD__ERRMSG_WHAT_MAX,
                      expr, linktype, pcap_geterr(p));
        pcap_close(p);
        return PKTD_E_INVALID_ARGUMENT;
    }
    pcap_close(p);
    PKTD__STATIC_ASSERT(sizeof(struct bpf_insn) == sizeof(struct sock_filter),
                       "libpcap's bpf_insn has the kernel's layout");
    struct pktd_filter *f = malloc(sizeof(*f) + (size_t)fp.bf_len * sizeof(f->prog[0]));
    if (f == NULL) {
        pcap_freecode(&fp);
        return pktd__errmsgf(errbuf, -ENOMEM, "out of memory for the compiled filter");
    }
    f->len = fp.bf_len;
    for (u_int i = 0; i < fp.bf_len; i++) {
        f->prog[i].code = fp.bf_insns[i].code;
        f->prog[i].jt = fp.bf_insns[i].jt;
        f->prog[i].jf = fp.bf_insns[i].jf;
        f->prog[i].k = fp.bf_insns[i].k;
    }
    pcap_freecode(&fp);
    int rc = pktd__bpf_check(f->prog, f->len, errbuf);
    if (rc != 0) {
        free(f);
        return rc;
    }
    *out = f;
    return 0;
#else
    (void)linktype;
    return pktd__errmsgf(errbuf, PKTD_E_UNSUPPORTED,
                         "filter expressions need libpcap, which this build of libpktdecode "
                         "was configured without");
#endif
}

int pktd_filter_match(const pktd_filter *f, const uint8_t *data, size_t caplen, size_t wire_len)
{
    if (f == NULL || data == NULL)
        return 0;
    struct pktd__bpf_aux aux;
    memset(&aux, 0, sizeof(aux));
    aux.len = wire_len > UINT32_MAX ? UINT32_MAX : (uint32_t)(wire_len < caplen ? caplen : wire_len);
    return pktd__bpf_run(f->prog, f->len, data, caplen, &aux) != 0;
}

void pktd_filter_close(pktd_filter *f)
{
    free(f);
}
