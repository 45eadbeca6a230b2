/* Test helper: builds pcap and pcapng images byte by byte, in either byte
 * order, so the tests control every field (including broken ones). */
#ifndef PKTD_TEST_FILE_BUILD_H
#define PKTD_TEST_FILE_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bb {
    uint8_t *p;
    size_t n, cap;
    int be;              /* 1: big-endian fields */
    size_t block_start;  /* pcapng: offset of the open block */
    size_t boundaries[256]; /* offsets where a record or block ends */
    size_t n_bound;
};

static inline void bb_init(struct bb *b, int be)
{
    memset(b, 0, sizeof *b);
    b->be = be;
}

static inline void bb_free(struct bb *b)
{
    free(b->p);
    b->p = NULL;
}

static inline void bb_bytes(struct bb *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        size_t c = b->cap ? b->cap : 256;
        while (c < b->n + n)
            c *= 2;
        b->p = realloc(b->p, c);
        if (b->p == NULL)
            abort();
        b->cap = c;
    }
    if (n)
        memcpy(b->p + b->n, d, n);
    b->n += n;
}

static inline void bb_u8(struct bb *b, uint8_t v)
{
    bb_bytes(b, &v, 1);
}

static inline void bb_u16(struct bb *b, uint16_t v)
{
    uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    if (!b->be) {
        x[0] = (uint8_t)v;
        x[1] = (uint8_t)(v >> 8);
    }
    bb_bytes(b, x, 2);
}

static inline void bb_u32(struct bb *b, uint32_t v)
{
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[b->be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
    bb_bytes(b, x, 4);
}

static inline void bb_u64(struct bb *b, uint64_t v)
{
    uint8_t x[8];
    for (int i = 0; i < 8; i++)
        x[b->be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
    bb_bytes(b, x, 8);
}

static inline void bb_zeros(struct bb *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bb_u8(b, 0);
}

static inline void bb_mark(struct bb *b)
{
    if (b->n_bound < sizeof b->boundaries / sizeof b->boundaries[0])
        b->boundaries[b->n_bound++] = b->n;
}

static inline void bb_set32(struct bb *b, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b->p[off + (size_t)(b->be ? 3 - i : i)] = (uint8_t)(v >> (8 * i));
}

/* Deterministic packet bytes for packet number k. */
static inline void bb_payload(struct bb *b, unsigned k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bb_u8(b, (uint8_t)(k * 31u + i * 7u));
}

/* ---- classic pcap ---- */
static inline void pcap_header(struct bb *b, int nano, uint16_t major, uint16_t minor,
                               uint32_t snaplen, uint32_t linktype_field)
{
    bb_u32(b, nano ? 0xa1b23c4du : 0xa1b2c3d4u);
    bb_u16(b, major);
    bb_u16(b, minor);
    bb_u32(b, 0);
    bb_u32(b, 0);
    bb_u32(b, snaplen);
    bb_u32(b, linktype_field);
    bb_mark(b);
}

static inline void pcap_record(struct bb *b, unsigned k, uint32_t sec, uint32_t frac,
                               uint32_t caplen, uint32_t wire)
{
    bb_u32(b, sec);
    bb_u32(b, frac);
    bb_u32(b, caplen);
    bb_u32(b, wire);
    bb_payload(b, k, caplen);
    bb_mark(b);
}

/* ---- pcapng ---- */
static inline void ng_begin(struct bb *b, uint32_t type)
{
    b->block_start = b->n;
    bb_u32(b, type);
    bb_u32(b, 0); /* patched by ng_end() */
}

static inline void ng_end(struct bb *b)
{
    while ((b->n - b->block_start) % 4)
        bb_u8(b, 0);
    uint32_t total = (uint32_t)(b->n - b->block_start + 4);
    bb_set32(b, b->block_start + 4, total);
    bb_u32(b, total);
    bb_mark(b);
}

static inline void ng_opt(struct bb *b, uint16_t code, const void *val, uint16_t len)
{
    bb_u16(b, code);
    bb_u16(b, len);
    bb_bytes(b, val, len);
    bb_zeros(b, (4u - (len & 3u)) & 3u);
}

static inline void ng_opt64(struct bb *b, uint16_t code, uint64_t v)
{
    bb_u16(b, code);
    bb_u16(b, 8);
    bb_u64(b, v);
}

static inline void ng_shb(struct bb *b)
{
    ng_begin(b, 0x0A0D0D0Au);
    bb_u32(b, 0x1A2B3C4Du);
    bb_u16(b, 1);
    bb_u16(b, 0);
    bb_u64(b, UINT64_MAX);
    ng_end(b);
}

/* tsresol < 0: no if_tsresol option; has_off: add if_tsoffset. */
static inline void ng_idb(struct bb *b, uint16_t linktype, uint32_t snaplen, int tsresol,
                          int has_off, int64_t off)
{
    ng_begin(b, 1);
    bb_u16(b, linktype);
    bb_u16(b, 0);
    bb_u32(b, snaplen);
    if (tsresol >= 0) {
        uint8_t v = (uint8_t)tsresol;
        ng_opt(b, 9, &v, 1);
    }
    if (has_off)
        ng_opt64(b, 14, (uint64_t)off);
    if (tsresol >= 0 || has_off)
        ng_opt(b, 0, NULL, 0);
    ng_end(b);
}

static inline void ng_epb(struct bb *b, unsigned k, uint32_t iface, uint64_t ts,
                          uint32_t caplen, uint32_t wire)
{
    ng_begin(b, 6);
    bb_u32(b, iface);
    bb_u32(b, (uint32_t)(ts >> 32));
    bb_u32(b, (uint32_t)ts);
    bb_u32(b, caplen);
    bb_u32(b, wire);
    bb_payload(b, k, caplen);
    ng_end(b);
}

static inline void ng_spb(struct bb *b, unsigned k, uint32_t wire, uint32_t stored)
{
    ng_begin(b, 3);
    bb_u32(b, wire);
    bb_payload(b, k, stored);
    ng_end(b);
}

static inline void ng_pb(struct bb *b, unsigned k, uint16_t iface, uint64_t ts,
                         uint32_t caplen, uint32_t wire)
{
    ng_begin(b, 2);
    bb_u16(b, iface);
    bb_u16(b, 0); /* drops */
    bb_u32(b, (uint32_t)(ts >> 32));
    bb_u32(b, (uint32_t)ts);
    bb_u32(b, caplen);
    bb_u32(b, wire);
    bb_payload(b, k, caplen);
    ng_end(b);
}

/* A block of any type with n opaque body bytes. */
static inline void ng_other(struct bb *b, uint32_t type, size_t n)
{
    ng_begin(b, type);
    bb_payload(b, 99, n);
    ng_end(b);
}

#endif /* PKTD_TEST_FILE_BUILD_H */
