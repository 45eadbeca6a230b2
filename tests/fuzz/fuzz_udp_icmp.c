/* Fuzz target: UDP and ICMP.  Byte 0: bit 0 chooses ICMP over UDP; byte 1
 * the shape of the synthetic IPv4 header the message is also decoded
 * behind (ipv4_wrap.c); the rest is the message.  Invariants:
 * check_packet.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    if (data[0] & 1u)
        fuzz_transport(FUZZ_ICMP, 1, data[1], data + 2, size - 2);
    else
        fuzz_transport(FUZZ_UDP, 17, data[1], data + 2, size - 2);
    return 0;
}
