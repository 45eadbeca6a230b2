/* pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks
 * `type, total_length, body, total_length`, grouped in sections that each
 * start with a section header block (SHB) fixing the byte order and
 * resetting the interface table.  Packets come from enhanced (EPB), simple
 * (SPB) and obsolete (PB) packet blocks; every other block is validated
 * and skipped. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/error.h>

#include "common.h"
#include "fileformat.h"
#include "reader_int.h"

/* Short local names for the constants of fileformat.h. */
#define BT_SHB PKTD__PCAPNG_BT_SHB
#define BT_IDB PKTD__PCAPNG_BT_IDB
#define BT_PB PKTD__PCAPNG_BT_PB
#define BT_SPB PKTD__PCAPNG_BT_SPB
#define BT_EPB PKTD__PCAPNG_BT_EPB
#define SHB_MIN_LEN PKTD__PCAPNG_SHB_MIN_LEN
#define BLOCK_MIN_LEN PKTD__PCAPNG_BLOCK_MIN_LEN
#define OPT_ENDOFOPT PKTD__PCAPNG_OPT_ENDOFOPT
#define OPT_IF_TSRESOL PKTD__PCAPNG_OPT_IF_TSRESOL
#define OPT_IF_TSOFFSET PKTD__PCAPNG_OPT_IF_TSOFFSET

#define NS_PER_S 1000000000u

static const uint64_t pow10_table[20] = {
    1u,
    10u,
    100u,
    1000u,
    10000u,
    100000u,
    1000000u,
    10000000u,
    100000000u,
    1000000000u,
    10000000000u,
    100000000000u,
    1000000000000u,
    10000000000000u,
    100000000000000u,
    1000000000000000u,
    10000000000000000u,
    100000000000000000u,
    1000000000000000000u,
    10000000000000000000u,
};

/* (a * m) >> n for n in 1..63 with a < 2^n, exactly, without a 128-bit
 * type: the 96-bit product is formed from two 32x32 halves. */
static uint64_t mul_shift(uint64_t a, uint32_t m, unsigned n)
{
    uint64_t lo = (a & 0xffffffffu) * m;
    uint64_t hi = (a >> 32) * m;
    uint64_t low64 = lo + (hi << 32);
    uint64_t high64 = (hi >> 32) + (low64 < lo);
    return (high64 << (64 - n)) | (low64 >> n);
}

/* ns + off seconds, clamped to [0, UINT64_MAX]: the offset is applied in
 * seconds first so that no intermediate value can overflow. */
static uint64_t add_offset(uint64_t ns, int64_t off)
{
    /* |off| as unsigned, also for INT64_MIN */
    uint64_t mag = off < 0 ? (uint64_t)(-(off + 1)) + 1u : (uint64_t)off;
    uint64_t d = mag > UINT64_MAX / NS_PER_S ? UINT64_MAX : mag * NS_PER_S;
    if (off < 0)
        return ns < d ? 0 : ns - d;
    return ns > UINT64_MAX - d ? UINT64_MAX : ns + d;
}

uint64_t pktd__pcapng_ts_to_ns(const struct pktd__iface *ifc, uint64_t units)
{
    uint64_t sec, frac_ns;
    if (ifc->ts_pow2) {
        unsigned n = ifc->ts_exp;
        if (n == 0) {
            sec = units;
            frac_ns = 0;
        } else {
            sec = units >> n;
            frac_ns = mul_shift(units & ((UINT64_C(1) << n) - 1u), NS_PER_S, n);
        }
    } else {
        uint64_t div = pow10_table[ifc->ts_exp];
        sec = units / div;
        uint64_t frac = units % div;
        frac_ns = ifc->ts_exp <= 9 ? frac * pow10_table[9 - ifc->ts_exp]
                                   : frac / pow10_table[ifc->ts_exp - 9];
    }
    /* Beyond UINT64_MAX ns (the year 2554) the value cannot be represented:
     * saturate rather than wrap, so ordering is kept. */
    uint64_t ns = sec > UINT64_MAX / NS_PER_S ? UINT64_MAX : sec * NS_PER_S;
    ns = ns > UINT64_MAX - frac_ns ? UINT64_MAX : ns + frac_ns;
    return ifc->ts_offset_s ? add_offset(ns, ifc->ts_offset_s) : ns;
}

/* Context for error messages: which block, where. */
struct block_ctx {
    unsigned long long index, off;
    uint32_t type;
};

#define BLOCK_FMT "block %llu (type 0x%08lx) at offset %llu: "
#define BLOCK_ARGS(c) (c)->index, (unsigned long)(c)->type, (c)->off

static int parse_shb(struct pktd_reader *r, const struct block_ctx *c, const uint8_t *p,
                     uint32_t len)
{
    if (len < SHB_MIN_LEN)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "section header length %lu is less than %u",
                                 BLOCK_ARGS(c), (unsigned long)len, SHB_MIN_LEN);
    uint16_t major = pktd__rd16(r, p + 12), minor = pktd__rd16(r, p + 14);
    if (major != 1)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "pcapng version %u.%u is not supported (1.x only)",
                                 BLOCK_ARGS(c), major, minor);
    r->n_ifs = 0; /* interface ids are per section */
    r->shb_offset = c->off;
    r->shb_len = len;
    return 0;
}

static int add_interface(struct pktd_reader *r, const struct block_ctx *c,
                         const struct pktd__iface *ifc)
{
    if (r->n_ifs >= PKTD__READER_MAX_INTERFACES)
        return pktd__reader_fail(r, PKTD_E_TOO_LARGE,
                                 BLOCK_FMT "more than %u interfaces in one section", BLOCK_ARGS(c),
                                 PKTD__READER_MAX_INTERFACES);
    if (r->n_ifs == r->cap_ifs) {
        uint32_t ncap = r->cap_ifs ? r->cap_ifs * 2u : 4u;
        if (ncap > PKTD__READER_MAX_INTERFACES)
            ncap = PKTD__READER_MAX_INTERFACES;
        /* ncap <= 65536 entries of 24 bytes: the product cannot overflow. */
        PKTD__STATIC_ASSERT(PKTD__READER_MAX_INTERFACES <= SIZE_MAX / sizeof(struct pktd__iface),
                           "interface table size fits size_t");
        struct pktd__iface *n = realloc(r->ifs, (size_t)ncap * sizeof *n);
        if (n == NULL)
            return pktd__reader_fail(r, -ENOMEM, BLOCK_FMT "cannot grow the interface table",
                                     BLOCK_ARGS(c));
        r->ifs = n;
        r->cap_ifs = ncap;
    }
    r->ifs[r->n_ifs++] = *ifc;
    return 0;
}

static int parse_idb(struct pktd_reader *r, const struct block_ctx *c, const uint8_t *body,
                     uint32_t body_len)
{
    if (body_len < 8)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "interface description body of %lu bytes, need 8",
                                 BLOCK_ARGS(c), (unsigned long)body_len);
    struct pktd__iface ifc = {
        .linktype = pktd__rd16(r, body),
        .snaplen = pktd__rd32(r, body + 4),
        .ts_pow2 = 0,
        .ts_exp = 6, /* the default resolution: microseconds */
        .ts_offset_s = 0,
        .idb_offset = c->off,
        .idb_len = body_len + BLOCK_MIN_LEN,
    };
    const uint8_t *q = body + 8;
    uint32_t left = body_len - 8;
    while (left >= 4) {
        uint16_t code = pktd__rd16(r, q), olen = pktd__rd16(r, q + 2);
        if (code == OPT_ENDOFOPT)
            break;
        uint32_t padded = ((uint32_t)olen + 3u) & ~3u;
        if (padded > left - 4)
            return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                     BLOCK_FMT "option %u of length %u runs past the block end",
                                     BLOCK_ARGS(c), code, olen);
        const uint8_t *val = q + 4;
        if (code == OPT_IF_TSRESOL) {
            if (olen != 1)
                return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                         BLOCK_FMT "if_tsresol has length %u, not 1", BLOCK_ARGS(c),
                                         olen);
            ifc.ts_pow2 = (val[0] & 0x80u) != 0;
            ifc.ts_exp = val[0] & 0x7fu;
            /* 10^-19 s and 2^-63 s are the finest units whose divisor fits
             * 64 bits; nothing real comes near them. */
            if (ifc.ts_pow2 ? ifc.ts_exp > 63 : ifc.ts_exp > 19)
                return pktd__reader_fail(r, PKTD_E_UNSUPPORTED,
                                         BLOCK_FMT "if_tsresol 0x%02x is finer than supported",
                                         BLOCK_ARGS(c), val[0]);
        } else if (code == OPT_IF_TSOFFSET) {
            if (olen != 8)
                return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                         BLOCK_FMT "if_tsoffset has length %u, not 8",
                                         BLOCK_ARGS(c), olen);
            uint64_t a = pktd__rd32(r, val), b = pktd__rd32(r, val + 4);
            uint64_t v = r->big_endian ? (a << 32) | b : (b << 32) | a;
            memcpy(&ifc.ts_offset_s, &v, sizeof v); /* two's complement */
        }
        q += 4 + padded;
        left -= 4 + padded;
    }
    return add_interface(r, c, &ifc);
}

/* Sets the current packet from a packet block's fields. */
static int set_packet(struct pktd_reader *r, const struct block_ctx *c, uint32_t iface,
                      int has_ts, uint64_t ts_units, uint32_t wire)
{
    if (iface >= r->n_ifs)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "packet for interface %lu, but the section defines %lu",
                                 BLOCK_ARGS(c), (unsigned long)iface, (unsigned long)r->n_ifs);
    const struct pktd__iface *ifc = &r->ifs[iface];
    r->ts_ns = has_ts ? pktd__pcapng_ts_to_ns(ifc, ts_units) : 0;
    r->wire_len = wire;
    r->linktype = ifc->linktype;
    r->snaplen = ifc->snaplen;
    r->iface = iface;
    return 0;
}

/* Reads the next block into *p (the whole block, lengths validated).
 * Returns 1, 0 at a clean end, or an error. */
static int read_block(struct pktd_reader *r, struct block_ctx *c, const uint8_t **p,
                      uint32_t *len_out, int *big_endian_out)
{
    c->index = (unsigned long long)r->block_index + 1;
    c->off = (unsigned long long)r->consumed;
    c->type = 0;
    int rc = pktd__reader_fetch(r, 8, p);
    if (rc == 0)
        return 0;
    if (rc == PKTD_E_TRUNCATED)
        return pktd__reader_fail(r, rc,
                                 "block %llu at offset %llu: file ends inside the block header "
                                 "(%zu bytes present)",
                                 c->index, c->off, pktd__reader_avail(r));
    if (rc < 0)
        return rc;

    /* The SHB type reads the same in both byte orders; its byte-order magic
     * decides how to read its own length and everything after it. */
    int be = r->big_endian;
    if (memcmp(*p, "\x0a\x0d\x0d\x0a", 4) == 0) {
        c->type = BT_SHB;
        rc = pktd__reader_fetch(r, 12, p);
        if (rc == PKTD_E_TRUNCATED)
            return pktd__reader_fail(r, rc,
                                     BLOCK_FMT "file ends inside the byte-order magic",
                                     BLOCK_ARGS(c));
        if (rc < 0)
            return rc;
        const uint8_t *m = *p + 8;
        uint32_t bom_be = pktd__ld32(1, m);
        if (bom_be == PKTD__PCAPNG_BYTE_ORDER_MAGIC)
            be = 1;
        else if (bom_be == PKTD__PCAPNG_BYTE_ORDER_MAGIC_SWAPPED)
            be = 0;
        else
            return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                     BLOCK_FMT "byte-order magic 0x%08lx is not 0x1a2b3c4d",
                                     BLOCK_ARGS(c), (unsigned long)bom_be);
    }
    if (c->type != BT_SHB)
        c->type = pktd__ld32(be, *p);
    uint32_t len = pktd__ld32(be, *p + 4);
    if (len > PKTD_READER_MAX_RECORD)
        return pktd__reader_fail(r, PKTD_E_TOO_LARGE,
                                 BLOCK_FMT "block length %lu exceeds the %lu-byte limit",
                                 BLOCK_ARGS(c), (unsigned long)len,
                                 (unsigned long)PKTD_READER_MAX_RECORD);
    if (len < BLOCK_MIN_LEN)
        return pktd__reader_fail(r, PKTD_E_MALFORMED, BLOCK_FMT "block length %lu is less than 12",
                                 BLOCK_ARGS(c), (unsigned long)len);
    if (len % 4 != 0)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "block length %lu is not a multiple of 4", BLOCK_ARGS(c),
                                 (unsigned long)len);
    rc = pktd__reader_fetch(r, len, p);
    if (rc == PKTD_E_TRUNCATED)
        return pktd__reader_fail(r, rc,
                                 BLOCK_FMT "file ends inside the block (length %lu, %zu bytes "
                                 "present)",
                                 BLOCK_ARGS(c), (unsigned long)len, pktd__reader_avail(r));
    if (rc < 0)
        return rc;
    uint32_t trail = pktd__ld32(be, *p + len - 4);
    if (trail != len)
        return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                 BLOCK_FMT "trailing block length %lu differs from the leading %lu",
                                 BLOCK_ARGS(c), (unsigned long)trail, (unsigned long)len);
    *len_out = len;
    *big_endian_out = be;
    return 1;
}

int pktd__pcapng_open(struct pktd_reader *r)
{
    struct block_ctx c;
    const uint8_t *p;
    uint32_t len;
    int be;
    r->record_offset = 0;
    int rc = read_block(r, &c, &p, &len, &be);
    if (rc == 0) /* cannot happen: reader.c saw the 4-byte block type */
        return pktd__reader_fail(r, PKTD_E_TRUNCATED, "pcapng file ends inside the section header");
    if (rc < 0)
        goto bad;
    r->big_endian = be;
    rc = parse_shb(r, &c, p, len);
    if (rc < 0)
        goto bad;
    r->block_index++;
    pktd__reader_consume(r, len);
    return 0;
bad:
    /* A first block that is not a usable section header: whatever the
     * detail (kept in the message), the file is not one we can read. */
    if (rc == PKTD_E_MALFORMED || rc == PKTD_E_TOO_LARGE || rc == PKTD_E_UNSUPPORTED)
        rc = PKTD_E_BAD_FILE;
    r->err = rc;
    return rc;
}

int pktd__pcapng_next(struct pktd_reader *r, const uint8_t **data, size_t *caplen)
{
    for (;;) {
        struct block_ctx c;
        const uint8_t *p;
        uint32_t len;
        int be;
        r->record_offset = r->consumed;
        int rc = read_block(r, &c, &p, &len, &be);
        if (rc <= 0)
            return rc;
        const uint8_t *body = p + 8;
        uint32_t body_len = len - BLOCK_MIN_LEN;

        switch (c.type) {
        case BT_SHB: {
            int old = r->big_endian;
            r->big_endian = be;
            rc = parse_shb(r, &c, p, len);
            if (rc < 0) {
                r->big_endian = old;
                return rc;
            }
            break;
        }
        case BT_IDB:
            rc = parse_idb(r, &c, body, body_len);
            if (rc < 0)
                return rc;
            break;
        case BT_EPB:
        case BT_PB: {
            if (body_len < 20)
                return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                         BLOCK_FMT "packet block body of %lu bytes, need 20",
                                         BLOCK_ARGS(&c), (unsigned long)body_len);
            /* EPB: 32-bit interface id; PB: 16-bit id, 16-bit drop count. */
            uint32_t iface = c.type == BT_EPB ? pktd__rd32(r, body) : pktd__rd16(r, body);
            uint64_t ts = ((uint64_t)pktd__rd32(r, body + 4) << 32) | pktd__rd32(r, body + 8);
            uint32_t cap = pktd__rd32(r, body + 12);
            uint32_t wire = pktd__rd32(r, body + 16);
            if (cap > body_len - 20)
                return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                         BLOCK_FMT "captured length %lu exceeds the block's %lu "
                                                   "data bytes",
                                         BLOCK_ARGS(&c), (unsigned long)cap,
                                         (unsigned long)(body_len - 20));
            rc = set_packet(r, &c, iface, 1, ts, wire);
            if (rc < 0)
                return rc;
            *data = body + 20;
            *caplen = cap;
            goto packet;
        }
        case BT_SPB: {
            if (body_len < 4)
                return pktd__reader_fail(r, PKTD_E_MALFORMED,
                                         BLOCK_FMT "simple packet block body of %lu bytes, need 4",
                                         BLOCK_ARGS(&c), (unsigned long)body_len);
            uint32_t wire = pktd__rd32(r, body);
            rc = set_packet(r, &c, 0, 0, 0, wire);
            if (rc < 0)
                return rc;
            /* No captured length in an SPB: the packet is what fits. */
            uint32_t cap = body_len - 4;
            if (wire < cap)
                cap = wire;
            if (r->ifs[0].snaplen != 0 && r->ifs[0].snaplen < cap)
                cap = r->ifs[0].snaplen;
            *data = body + 4;
            *caplen = cap;
            goto packet;
        }
        default:
            break; /* statistics, name resolution, secrets, custom... */
        }
        r->block_index++;
        pktd__reader_consume(r, len);
        continue;
    packet:
        r->block_index++;
        r->packet_index++;
        pktd__reader_consume(r, len);
        return 1;
    }
}
