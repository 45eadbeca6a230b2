/* pktd-sniff-arp's per-packet block; see arp_print.h. */
#include "config.h"

#include <stdio.h>

#include <pktdecode.h>

#include "proto.h"

#include "arp_print.h"

/* Addresses are printed with the lengths the header gives (hln, pln), as
 * the Python twin does: hardware bytes as hex joined by ':', protocol bytes
 * as decimal joined by '.' (a MAC and a dotted quad for Ethernet/IPv4),
 * and "?" when there is none.  The library's ARP layer guarantees those
 * bytes were captured; nothing beyond them is read. */
static void put_addr(FILE *out, const char *label, const uint8_t *a, unsigned len, int hex)
{
    fprintf(out, "%s: ", label);
    if (a == NULL || len == 0)
        fputc('?', out);
    for (unsigned i = 0; a != NULL && i < len; i++) {
        if (i > 0)
            fputc(hex ? ':' : '.', out);
        if (hex)
            fprintf(out, "%02x", a[i]);
        else
            fprintf(out, "%u", a[i]);
    }
    fputc('\n', out);
}

static void put_mac(FILE *out, const char *label, const uint8_t *m, unsigned len)
{
    put_addr(out, label, m, len, 1);
}

static void put_ip(FILE *out, const char *label, const uint8_t *a, unsigned len)
{
    put_addr(out, label, a, len, 0);
}

static const char *opcode_name(unsigned op)
{
    switch (op) {
    case 1: return "Request";
    case 2: return "Reply";
    case 3: return "RARP Request";
    case 4: return "RARP Reply";
    default: return "Unknown";
    }
}

int arp_print_block(FILE *out, const pktd_packet *p)
{
    if (!pktd_packet_has(p, PKTD_LAYER_ARP))
        return 0;
    unsigned htype = pktd_arp_htype(p), ptype = pktd_arp_ptype(p), op = pktd_arp_op(p);
    fputs("==================================================\n", out);
    fputs("ETHERNET FRAME\n", out);
    put_mac(out, "Dest MAC", pktd_eth_dst(p), PKTD__ETH_ALEN);
    put_mac(out, "Source MAC", pktd_eth_src(p), PKTD__ETH_ALEN);
    fputs("ARP HEADER\n", out);
    fprintf(out, "Hardware: %04x (%s)\n", htype, htype == 1 ? "Ethernet" : "Unknown");
    fprintf(out, "Protocol: %04x (%s)\n", ptype, ptype == PKTD__ETHERTYPE_IPV4 ? "IPv4" : "Unknown");
    fprintf(out, "Opcode: %04x (%s)\n", op, opcode_name(op));
    unsigned hln = pktd_arp_hlen(p), pln = pktd_arp_plen(p);
    put_mac(out, "Sender MAC", pktd_arp_sha(p), hln);
    put_ip(out, "Sender IP", pktd_arp_spa_bytes(p), pln);
    put_mac(out, "Target MAC", pktd_arp_tha(p), hln);
    put_ip(out, "Target IP", pktd_arp_tpa_bytes(p), pln);
    return 1;
}
