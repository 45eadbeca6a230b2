/* Shared pieces of the fuzz harnesses (tests/fuzz/fuzz_*.c).
 *
 * Each harness defines LLVMFuzzerTestOneInput().  With --enable-fuzzing it is
 * linked with libFuzzer (fuzz_<name>); in every build it is also linked with
 * replay.c (replay_<name>), which `make check` runs over the committed
 * corpus and regression inputs, so a finding stays fixed without clang.
 *
 * The harnesses check the library's documented contract, not just "no
 * crash": every returned pointer and length inside the input, every accessor
 * equal to the bytes it reads, iterators that end, error state that agrees
 * with the return code.  A violated invariant aborts with its location. */
#ifndef PKTD_FUZZ_H
#define PKTD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant on stderr and aborts: libFuzzer saves the input
 * as a crash, the replay driver fails the test. */
__attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))

/* The decode entry points a harness can go through. */
enum fuzz_entry {
    FUZZ_DECODE = 0, /* pktd_decode() with the given link type */
    FUZZ_ETH,        /* pktd_eth_parse() */
    FUZZ_SLL,        /* pktd_sll_parse() */
    FUZZ_SLL2,       /* pktd_sll2_parse() */
    FUZZ_ARP,        /* pktd_arp_parse() */
    FUZZ_IPV4,       /* pktd_ipv4_parse() */
    FUZZ_TCP,        /* pktd_tcp_parse() */
    FUZZ_UDP,        /* pktd_udp_parse() */
    FUZZ_ICMP        /* pktd_icmp_parse() */
};

/* Decodes @p data through @p entry (with @p linktype for FUZZ_DECODE) into
 * a zeroed state and into one full of garbage, checks every invariant on
 * both and that they read the same.  @p cursor is fed to the option
 * iterators as a hostile starting point.  Returns the decode result. */
int fuzz_decode_checked(enum fuzz_entry entry, uint32_t linktype, const uint8_t *data, size_t len,
                        uint32_t cursor);

/* Decodes a transport message bare (through @p bare) and behind a
 * synthetic IPv4 header of protocol @p proto whose total length, fragment
 * bits and checksums the selector @p shape chooses (ipv4_wrap.c). */
void fuzz_transport(enum fuzz_entry bare, uint8_t proto, uint8_t shape, const uint8_t *seg,
                    size_t n);

/* Reads a capture file image twice, from memory and through a descriptor
 * (a memfd), checks every reader invariant, that both ways agree packet by
 * packet, and decodes each packet with fuzz_decode_checked().  Returns the
 * number of packets read. */
uint64_t fuzz_read_checked(const uint8_t *data, size_t len);

/* Big-endian loads for the harnesses' own view of the bytes. */
static inline uint16_t fuzz_be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t fuzz_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* A hostile option-iterator cursor taken from the input's last byte:
 * usually inside the 40 option bytes, sometimes far outside. */
static inline uint32_t fuzz_cursor(const uint8_t *d, size_t n)
{
    if (n == 0)
        return 0;
    return d[n - 1] < 0xf0 ? d[n - 1] % 44u : 0xffffff00u | d[n - 1];
}

/* One's-complement sum (RFC 1071) of @p n bytes, folded to 16 bits. */
uint32_t fuzz_csum(uint64_t sum, const uint8_t *p, size_t n);

#endif /* PKTD_FUZZ_H */
