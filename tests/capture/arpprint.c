/* pktd-sniff-arp's printing (examples/arp_print.c) on ARP frames whose
 * address lengths are not Ethernet/IPv4's: it prints what hln and pln say
 * is there (the Python twin's "?" when a length is 0), never more.  Each
 * frame ends exactly where an inaccessible page begins, so a byte read past
 * it is a SIGSEGV, with or without a sanitizer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pktdecode.h>

#include "../../examples/arp_print.h"

static const char *const HR = "==================================================\n";

struct tcase {
    const char *name;
    const uint8_t *frame;
    size_t len;
    const char *want; /* the block after the ==== line; NULL: no block */
};

#define ETH_HDR 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x06

/* The review's frame: htype 0, ptype 0x0806, hln 0, pln 0: nothing after the
 * fixed header. */
static const uint8_t zero_lengths[] = {ETH_HDR, 0, 0, 0x08, 0x06, 0, 0, 0, 1};
/* hln 0, pln 4 (a protocol address only). */
static const uint8_t no_hw[] = {ETH_HDR, 0, 0, 0x08, 0x00, 0, 4, 0, 2, 10, 0, 0, 1, 10, 0, 0, 2};
/* hln 2, pln 3: short addresses, printed whole. */
static const uint8_t short_addrs[] = {ETH_HDR, 0, 6, 0x12, 0x34, 2, 3, 0, 1,
                                      0xaa, 0xbb, 1, 2, 3, 0xcc, 0xdd, 4, 5, 6};
/* hln 8, pln 16: long addresses, printed whole. */
static const uint8_t long_addrs[] = {
    ETH_HDR, 0, 0x20, 0x86, 0xdd, 8, 16, 0, 2,
    1, 2, 3, 4, 5, 6, 7, 8,
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    9, 10, 11, 12, 13, 14, 15, 16,
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
/* Ethernet/IPv4 lengths (6/4) with the target addresses cut off. */
static const uint8_t truncated[] = {ETH_HDR, 0, 1, 0x08, 0x00, 6, 4, 0, 1,
                                    0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1, 0, 0};
/* A normal request: CONTRACT.md's block. */
static const uint8_t request[] = {ETH_HDR, 0, 1, 0x08, 0x00, 6, 4, 0, 1,
                                  0x02, 0, 0, 0, 0, 0x01, 10, 0, 0, 1,
                                  0, 0, 0, 0, 0, 0, 10, 0, 0, 2};

#define HEAD "ETHERNET FRAME\nDest MAC: ff:ff:ff:ff:ff:ff\nSource MAC: 02:00:00:00:00:01\nARP HEADER\n"

static const struct tcase cases[] = {
    {"hln 0, pln 0", zero_lengths, sizeof zero_lengths,
     HEAD "Hardware: 0000 (Unknown)\nProtocol: 0806 (Unknown)\nOpcode: 0001 (Request)\n"
          "Sender MAC: ?\nSender IP: ?\nTarget MAC: ?\nTarget IP: ?\n"},
    {"hln 0, pln 4", no_hw, sizeof no_hw,
     HEAD "Hardware: 0000 (Unknown)\nProtocol: 0800 (IPv4)\nOpcode: 0002 (Reply)\n"
          "Sender MAC: ?\nSender IP: 10.0.0.1\nTarget MAC: ?\nTarget IP: 10.0.0.2\n"},
    {"hln 2, pln 3", short_addrs, sizeof short_addrs,
     HEAD "Hardware: 0006 (Unknown)\nProtocol: 1234 (Unknown)\nOpcode: 0001 (Request)\n"
          "Sender MAC: aa:bb\nSender IP: 1.2.3\nTarget MAC: cc:dd\nTarget IP: 4.5.6\n"},
    {"hln 8, pln 16", long_addrs, sizeof long_addrs,
     HEAD "Hardware: 0020 (Unknown)\nProtocol: 86dd (Unknown)\nOpcode: 0002 (Reply)\n"
          "Sender MAC: 01:02:03:04:05:06:07:08\n"
          "Sender IP: 254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1\n"
          "Target MAC: 09:0a:0b:0c:0d:0e:0f:10\n"
          "Target IP: 254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.2\n"},
    {"hln 6, pln 4 truncated", truncated, sizeof truncated, NULL},
    {"Ethernet/IPv4 request", request, sizeof request,
     HEAD "Hardware: 0001 (Ethernet)\nProtocol: 0800 (IPv4)\nOpcode: 0001 (Request)\n"
          "Sender MAC: 02:00:00:00:00:01\nSender IP: 10.0.0.1\n"
          "Target MAC: 00:00:00:00:00:00\nTarget IP: 10.0.0.2\n"},
};

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0); /* the log shows each case before a crash */
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *mem = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED || mprotect(mem + page, (size_t)page, PROT_NONE) != 0) {
        perror("arpprint: mmap/mprotect");
        return 99;
    }
    int failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct tcase *t = &cases[i];
        uint8_t *frame = mem + page - t->len; /* the guard page follows */
        memcpy(frame, t->frame, t->len);
        pktd_packet p;
        (void)pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, frame, t->len);
        char *got = NULL;
        size_t got_len = 0;
        FILE *out = open_memstream(&got, &got_len);
        if (out == NULL) {
            perror("arpprint: open_memstream");
            return 99;
        }
        int printed = arp_print_block(out, &p);
        fclose(out);
        char want[1024] = "";
        if (t->want != NULL)
            snprintf(want, sizeof want, "%s%s", HR, t->want);
        if (printed != (t->want != NULL) || strcmp(got, want) != 0) {
            printf("FAIL: %s: printed %d, expected:\n%s---- got:\n%s----\n", t->name, printed,
                   want, got);
            failed = 1;
        } else {
            printf("ok: %s\n", t->name);
        }
        free(got);
    }
    return failed;
}
