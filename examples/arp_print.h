/* pktd-sniff-arp's block for one ARP packet (CONTRACT.md, "Seed-parity
 * sniffers"), apart from the capture so tests can feed it any frame. */
#ifndef PKTD_EXAMPLES_ARP_PRINT_H
#define PKTD_EXAMPLES_ARP_PRINT_H

#include <stdio.h>

#include <pktdecode.h>

/* Print the block for @p p to @p out; nothing when @p p has no ARP layer.
 * Returns 1 when a block was printed, else 0. */
int arp_print_block(FILE *out, const pktd_packet *p);

#endif
