/* Fuzz target: whole-frame decoding for every link type pktd_decode()
 * knows.  Byte 0 chooses the link type (Ethernet, raw IP, Linux cooked v1
 * and v2, raw IPv4, or an unknown one); the rest is the frame.
 * Invariants: check_packet.c. */
#include "config.h"

#include "fuzz.h"

static const uint32_t linktypes[] = {
    PKTD_LINKTYPE_ETHERNET, PKTD_LINKTYPE_RAW,       PKTD_LINKTYPE_LINUX_SLL,
    PKTD_LINKTYPE_IPV4,     PKTD_LINKTYPE_LINUX_SLL2, 0 /* unknown: 0 itself */,
    147 /* LINKTYPE_USER0 */, 0xffffffffu,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint32_t lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
    int rc = fuzz_decode_checked(FUZZ_DECODE, lt, data + 1, size - 1, fuzz_cursor(data, size));
    /* The per-link-type entry points must agree with pktd_decode(). */
    if (lt == PKTD_LINKTYPE_ETHERNET)
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_ETH, 0, data + 1, size - 1, 0) == rc);
    else if (lt == PKTD_LINKTYPE_LINUX_SLL)
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_SLL, 0, data + 1, size - 1, 0) == rc);
    else if (lt == PKTD_LINKTYPE_LINUX_SLL2)
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_SLL2, 0, data + 1, size - 1, 0) == rc);
    return 0;
}
