/* Classic BPF in user space: checking a program the way the kernel will,
 * running it on a captured frame, and reading `tcpdump -ddd` text.  Used by
 * the capture handle for filters it cannot leave to the kernel (packets from
 * before a filter change, VLAN expressions).  Not installed. */
#ifndef PKTD_CAPTURE_BPF_H
#define PKTD_CAPTURE_BPF_H

#include <stddef.h>
#include <stdint.h>

#include <linux/filter.h>

/* What the kernel's ancillary loads (SKF_AD_*) return for one frame. */
struct pktd__bpf_aux {
    uint32_t len;       /* wire length (BPF_LEN) */
    uint32_t protocol;  /* EtherType, host order (SKF_AD_PROTOCOL) */
    uint32_t pkttype;   /* PACKET_HOST ... (SKF_AD_PKTTYPE) */
    uint32_t ifindex;   /* SKF_AD_IFINDEX */
    uint32_t hatype;    /* ARPHRD_* (SKF_AD_HATYPE) */
    uint32_t vlan_tci;  /* SKF_AD_VLAN_TAG */
    uint32_t vlan_present;
    uint32_t vlan_tpid; /* SKF_AD_VLAN_TPID */
    uint32_t net_off;   /* network header offset in the frame (SKF_NET_OFF) */
};

/* Check a program against the kernel's rules for classic BPF
 * (bpf_check_classic): length, allowed opcodes, jumps inside the program,
 * scratch memory indexes and stores before loads (with the kernel's
 * carrying of that state past a RET), known ancillary offsets, division by a
 * constant zero, shifts below 32, a final return.
 * Returns 0, or PKTD_E_INVALID_ARGUMENT with a message in err (NULL, or
 * PKTD_ERRBUF_SIZE bytes: built by pktd__errmsgf). */
int pktd__bpf_check(const struct sock_filter *prog, size_t len, char *err);

/* Run a checked program on @p caplen bytes of a frame.  Returns the number
 * of bytes to keep (0 = reject).  A load outside the captured bytes or an
 * ancillary value the aux record does not carry rejects the frame, as the
 * kernel rejects a load outside the packet.  Only absolute loads read
 * ancillary values: an indirect load or ldx msh whose offset falls at or
 * above SKF_AD_OFF rejects, as in the kernel. */
uint32_t pktd__bpf_run(const struct sock_filter *prog, size_t len, const uint8_t *pkt,
                       size_t caplen, const struct pktd__bpf_aux *aux);

/* Parse `tcpdump -ddd` output: a count, then "code jt jf k" per instruction,
 * separated by newlines or commas.  On success *out is malloc()ed.  Returns
 * 0, PKTD_E_INVALID_ARGUMENT (message in err, as for pktd__bpf_check) or
 * -ENOMEM. */
int pktd__bpf_parse_text(const char *text, struct sock_filter **out, size_t *len, char *err);

#ifdef HAVE_LIBPCAP
#include <pcap/dlt.h>
#include <pktdecode/packet.h>

/* libpcap's DLT_ value for a pcap LINKTYPE_ value (pcap_open_dead() takes
 * a DLT): the same number, except raw IP, whose DLT differs between
 * platforms: LINKTYPE_RAW (101), and DLT_RAW's own numbers found in files
 * (12; 14, OpenBSD's, which libpcap elsewhere does not know).  For the
 * expressions of pktd_filter_create() and of the capture handle. */
static inline int pktd__dlt_of(uint32_t linktype)
{
    switch (linktype) {
    case PKTD_LINKTYPE_RAW:
    case PKTD_LINKTYPE_DLT_RAW:
    case PKTD_LINKTYPE_DLT_RAW_OPENBSD:
        return DLT_RAW;
    default:
        return (int)linktype;
    }
}
#endif

#endif /* PKTD_CAPTURE_BPF_H */
