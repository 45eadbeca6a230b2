/* Per-packet output shared by the example programs (pktd-decode, pktd-sniff):
 * one tcpdump-like text line, or one JSON Lines record in the schema of
 * doc/json.md.  Not part of the library. */
#ifndef PKTD_EXAMPLES_PRINT_H
#define PKTD_EXAMPLES_PRINT_H

#include <stdint.h>
#include <stdio.h>

#include <pktdecode.h>

/* One decoded packet with its capture metadata. */
struct print_record {
    uint64_t n;        /* 1-based index in its file or capture */
    uint64_t ts_ns;    /* capture time, ns since the epoch */
    uint32_t caplen;   /* captured length */
    uint32_t wire_len; /* original length */
};

void pktd_print_text(FILE *out, const struct print_record *r, const pktd_packet *p);
void pktd_print_json(FILE *out, const struct print_record *r, const pktd_packet *p);

#endif
