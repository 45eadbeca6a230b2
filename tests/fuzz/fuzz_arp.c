/* Fuzz target: bare ARP packets (any hardware/protocol address size), through pktd_arp_parse().
 * Invariants: check_packet.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode_checked(FUZZ_ARP, 0, data, size, fuzz_cursor(data, size));
    return 0;
}
