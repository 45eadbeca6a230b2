/* Fuzz target: the pcapng reader (sections in both byte orders, interfaces
 * with their own link type and timestamp resolution, enhanced, simple and
 * obsolete packet blocks, unknown blocks) and everything it hands to the
 * decoder.  Only inputs that start with a section header block are read,
 * so this target's corpus stays about pcapng.  Invariants:
 * check_reader.c. */
#include "config.h"

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || fuzz_be32(data) != 0x0A0D0D0Au)
        return 0;
    fuzz_read_checked(data, size);
    return 0;
}
