/* Fuzz target: bare IPv6 packets with extension headers, jumbograms,
 * fragments, and TCP/UDP/ICMPv6 above them, through pktd_decode() with
 * LINKTYPE_IPV6 (the first byte is forced to version 6 so that most inputs
 * get past the version check).  Invariants: check_packet.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[65536 + 64];
    if (size > sizeof buf)
        size = sizeof buf;
    memcpy(buf, data, size);
    if (size > 0)
        buf[0] = (uint8_t)(0x60 | (buf[0] & 0x0f));
    /* An exact-size copy so that a read past the end is seen by ASan. */
    uint8_t *copy = size > 0 ? malloc(size) : NULL;
    if (copy != NULL)
        memcpy(copy, buf, size);
    fuzz_decode_checked(FUZZ_DECODE, PKTD_LINKTYPE_IPV6, copy, size, fuzz_cursor(data, size));
    free(copy);
    return 0;
}
