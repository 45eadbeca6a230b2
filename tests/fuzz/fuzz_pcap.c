/* Fuzz target: the classic pcap reader (both byte orders, micro- and
 * nanosecond magics) and everything it hands to the decoder.  Inputs that
 * start like pcapng belong to fuzz_pcapng and are skipped here, so this
 * target's corpus stays about pcap.  Invariants: check_reader.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 4 && fuzz_be32(data) == 0x0A0D0D0Au)
        return 0;
    fuzz_read_checked(data, size);
    return 0;
}
