/* Fuzz target: whole-frame decoding for every link type pktd_decode()
 * knows.  Byte 0 chooses the link type (Ethernet, raw IP, Linux cooked v1
 * and v2, raw IPv4, or an unknown one); the rest is the frame.
 * Invariants: check_packet.c; for Ethernet also that the fast path
 * (lib/fastpath.c) and the general decoder give the same fields, error
 * values, checksum verdicts and header bounds, over IPv4 and IPv6. */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "packet_impl.h"

/* Two decodes of the same bytes locate the same headers: presence, start
 * and length of every layer. */
static void same_headers(const pktd_packet *a, const pktd_packet *b)
{
    for (uint32_t layer = 0; layer < PKTD_LAYER_COUNT_; layer++) {
        const uint8_t *ha = NULL, *hb = NULL;
        size_t la = 0, lb = 0;
        FUZZ_CHECK(pktd_packet_header(a, layer, &ha, &la) == pktd_packet_header(b, layer, &hb, &lb));
        FUZZ_CHECK(ha == hb && la == lb);
    }
}

static void fast_equals_general(const uint8_t *data, size_t len)
{
    pktd_packet fast, gen;
    struct pktd__packet *s;
    /* Different garbage in the two states: nothing stale may show. */
    memset(&fast, 0xa5, sizeof fast);
    memset(&gen, 0x5a, sizeof gen);
    int rf = pktd_decode(&fast, PKTD_LINKTYPE_ETHERNET, data, len);
    int rg = pktd__decode_begin(&gen, PKTD_LINKTYPE_ETHERNET, data, len, &s);
    if (rg == 0)
        rg = pktd__eth_decode(s);
    FUZZ_CHECK(rf == rg);
    uint32_t vf[PKTD_FIELD_COUNT_], vg[PKTD_FIELD_COUNT_];
    pktd_packet_fields(&fast, vf, PKTD_FIELD_COUNT_);
    pktd_packet_fields(&gen, vg, PKTD_FIELD_COUNT_);
    FUZZ_CHECK(memcmp(vf, vg, sizeof vf) == 0);
    FUZZ_CHECK(pktd_packet_error_value(&fast) == pktd_packet_error_value(&gen));
    FUZZ_CHECK(pktd_packet_error_value2(&fast) == pktd_packet_error_value2(&gen));
    FUZZ_CHECK(pktd_ipv4_checksum_ok(&fast) == pktd_ipv4_checksum_ok(&gen));
    FUZZ_CHECK(pktd_tcp_checksum_ok(&fast) == pktd_tcp_checksum_ok(&gen));
    FUZZ_CHECK(pktd_udp_checksum_ok(&fast) == pktd_udp_checksum_ok(&gen));
    FUZZ_CHECK(pktd_icmp_checksum_ok(&fast) == pktd_icmp_checksum_ok(&gen));
    FUZZ_CHECK(pktd_ipv4_checksum_bad(&fast) == pktd_ipv4_checksum_bad(&gen));
    FUZZ_CHECK(pktd_tcp_checksum_bad(&fast) == pktd_tcp_checksum_bad(&gen));
    FUZZ_CHECK(pktd_udp_checksum_bad(&fast) == pktd_udp_checksum_bad(&gen));
    FUZZ_CHECK(pktd_icmp_checksum_bad(&fast) == pktd_icmp_checksum_bad(&gen));
    FUZZ_CHECK(pktd_icmpv6_checksum_ok(&fast) == pktd_icmpv6_checksum_ok(&gen));
    FUZZ_CHECK(pktd_icmpv6_checksum_bad(&fast) == pktd_icmpv6_checksum_bad(&gen));
    same_headers(&fast, &gen);
}

/* DLT_RAW's numbers 12 and 14 decode exactly as LINKTYPE_RAW: every field
 * but the link type, the return value, the error reason, header bounds. */
static void dlt_raw_equals_raw(const uint8_t *data, size_t len, int rc)
{
    static const uint32_t numbers[] = {PKTD_LINKTYPE_DLT_RAW, PKTD_LINKTYPE_DLT_RAW_OPENBSD};
    pktd_packet raw, alias;
    uint32_t vr[PKTD_FIELD_COUNT_], va[PKTD_FIELD_COUNT_];
    FUZZ_CHECK(pktd_decode(&raw, PKTD_LINKTYPE_RAW, data, len) == rc);
    pktd_packet_fields(&raw, vr, PKTD_FIELD_COUNT_);
    for (size_t i = 0; i < 2; i++) {
        FUZZ_CHECK(pktd_decode(&alias, numbers[i], data, len) == rc);
        pktd_packet_fields(&alias, va, PKTD_FIELD_COUNT_);
        FUZZ_CHECK(va[PKTD_FIELD_LINKTYPE] == numbers[i]);
        va[PKTD_FIELD_LINKTYPE] = PKTD_LINKTYPE_RAW;
        FUZZ_CHECK(memcmp(va, vr, sizeof vr) == 0);
        FUZZ_CHECK(pktd_packet_error_reason(&alias) == pktd_packet_error_reason(&raw));
        same_headers(&alias, &raw);
    }
}

/* Chosen by the first byte (tests/fuzz/make-seeds.py's LINK_SEL); the 1.1
 * link types are appended so the committed seeds keep their link type
 * (index 5, once the unknown 0, is LINKTYPE_NULL since 1.1). */
static const uint32_t linktypes[] = {
    PKTD_LINKTYPE_ETHERNET, PKTD_LINKTYPE_RAW,       PKTD_LINKTYPE_LINUX_SLL,
    PKTD_LINKTYPE_IPV4,     PKTD_LINKTYPE_LINUX_SLL2, PKTD_LINKTYPE_NULL,
    147 /* LINKTYPE_USER0: unknown */, 0xffffffffu /* unknown */,
    PKTD_LINKTYPE_PPP,      PKTD_LINKTYPE_PPP_HDLC,  PKTD_LINKTYPE_C_HDLC,
    PKTD_LINKTYPE_LOOP,     PKTD_LINKTYPE_IPV6,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint32_t lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
    int rc = fuzz_decode_checked(FUZZ_DECODE, lt, data + 1, size - 1, fuzz_cursor(data, size));
    /* The per-link-type entry points must agree with pktd_decode(). */
    if (lt == PKTD_LINKTYPE_ETHERNET) {
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_ETH, 0, data + 1, size - 1, 0) == rc);
        fast_equals_general(data + 1, size - 1);
    }
    else if (lt == PKTD_LINKTYPE_LINUX_SLL)
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_SLL, 0, data + 1, size - 1, 0) == rc);
    else if (lt == PKTD_LINKTYPE_LINUX_SLL2)
        FUZZ_CHECK(fuzz_decode_checked(FUZZ_SLL2, 0, data + 1, size - 1, 0) == rc);
    else if (lt == PKTD_LINKTYPE_RAW)
        dlt_raw_equals_raw(data + 1, size - 1, rc);
    return 0;
}
