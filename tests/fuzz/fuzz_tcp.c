/* Fuzz target: TCP headers with options.  Byte 0 chooses the shape of the
 * synthetic IPv4 header the segment is also decoded behind (ipv4_wrap.c);
 * the rest is the segment.  Invariants: check_packet.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    fuzz_transport(FUZZ_TCP, 6, data[0], data + 1, size - 1);
    return 0;
}
