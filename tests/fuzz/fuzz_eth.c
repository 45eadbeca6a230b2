/* Fuzz target: Ethernet frames with 802.1Q/802.1ad tag stacks, through pktd_eth_parse().
 * Invariants: check_packet.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode_checked(FUZZ_ETH, 0, data, size, fuzz_cursor(data, size));
    return 0;
}
