/* pktd-sniff-arp's per-packet block; see arp_print.h. */
#include "config.h"

#include <stdio.h>

#include <pktdecode.h>

#include "arp_print.h"

static void put_mac(FILE *out, const char *label, const uint8_t *m)
{
    if (m == NULL) {
        fprintf(out, "%s: ?\n", label);
        return;
    }
    fprintf(out, "%s: %02x:%02x:%02x:%02x:%02x:%02x\n", label, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void put_ip(FILE *out, const char *label, const uint8_t *a)
{
    if (a == NULL)
        fprintf(out, "%s: ?\n", label);
    else
        fprintf(out, "%s: %u.%u.%u.%u\n", label, a[0], a[1], a[2], a[3]);
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
    put_mac(out, "Dest MAC", pktd_eth_dst(p));
    put_mac(out, "Source MAC", pktd_eth_src(p));
    fputs("ARP HEADER\n", out);
    fprintf(out, "Hardware: %04x (%s)\n", htype, htype == 1 ? "Ethernet" : "Unknown");
    fprintf(out, "Protocol: %04x (%s)\n", ptype, ptype == 0x0800 ? "IPv4" : "Unknown");
    fprintf(out, "Opcode: %04x (%s)\n", op, opcode_name(op));
    put_mac(out, "Sender MAC", pktd_arp_sha(p));
    put_ip(out, "Sender IP", pktd_arp_spa(p));
    put_mac(out, "Target MAC", pktd_arp_tha(p));
    put_ip(out, "Target IP", pktd_arp_tpa(p));
    return 1;
}
