/* Fuzz target: bare IPv4 packets with options, fragments and their transport header, through pktd_ipv4_parse().
 * Invariants: check_packet.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode_checked(FUZZ_IPV4, 0, data, size, fuzz_cursor(data, size));
    return 0;
}
