/* Columnar batches (batch.h): decode many frames into the caller's columns.
 *
 * Each selected field is computed on its own from the decoded state by
 * field_value(), whose every case reads the field exactly as fill() in
 * fields.c does (tests/check_batch compares the two for every field on
 * every frame of the tcpdump corpus).  A switch per selected field and row,
 * rather than pktd_packet_fields() into a scratch array and a copy: a
 * 5-tuple batch then costs the decode plus seven loads and stores per row,
 * not 75 (doc/design.md, "Columnar batches (1.1)"). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/batch.h>

#include "errmsg.h"
#include "packet_impl.h"
#include "proto.h"

struct pktd_batch {
    uint32_t capacity;
    uint32_t nfields;
    void *meta[PKTD_BATCH_COLUMN_COUNT]; /* per-row columns, NULL: not stored */
    uint32_t fields[PKTD_FIELD_COUNT_];  /* selected fields, in the caller's order */
    uint32_t *cols[PKTD_FIELD_COUNT_];   /* cols[i]: the column of fields[i] */
};

#define HAS(layers, name) (((layers) & PKTD__BIT(PKTD_LAYER_##name)) != 0)

/* Offset of a known TCP option in the TCP header (0: absent). */
static inline uint32_t tcp_opt(const struct pktd__packet *s, uint32_t layers, uint32_t which)
{
    return HAS(layers, TCP) ? s->tcp_opt[which] : 0;
}

/* SACK block i's left (edge 0) or right (edge 1) edge, as fields.c. */
static uint32_t sack_edge(const struct pktd__packet *s, uint32_t layers, uint32_t i, uint32_t edge)
{
    uint32_t off = tcp_opt(s, layers, PKTD__TCPOPT_SACK);
    if (off == 0)
        return 0;
    const uint8_t *blk = pktd__l4(s) + off;
    uint32_t n = (blk[1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN; /* 1 ... 4, checked by the decoder */
    if (i >= n)
        return 0;
    return pktd__be32(blk + 2 + PKTD__TCP_SACK_BLOCK_LEN * i + 4 * edge);
}

static uint32_t tcp_options_bits(const struct pktd__packet *s, uint32_t layers)
{
    if (!HAS(layers, TCP))
        return 0;
    const uint8_t *opt = s->tcp_opt;
    return (opt[PKTD__TCPOPT_MSS] ? PKTD_TCP_HAS_MSS : 0) |
           (opt[PKTD__TCPOPT_WS] ? PKTD_TCP_HAS_WSCALE : 0) |
           (opt[PKTD__TCPOPT_SACK_PERM] ? PKTD_TCP_HAS_SACK_PERM : 0) |
           (opt[PKTD__TCPOPT_TS] ? PKTD_TCP_HAS_TIMESTAMPS : 0) |
           (opt[PKTD__TCPOPT_SACK] ? PKTD_TCP_HAS_SACK : 0);
}

/* ARP: the addresses as fields.c reads them (the decoder checked that all
 * four were captured). */
static uint32_t arp_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    if (!HAS(layers, ARP) || HAS(layers, IPV4))
        return 0;
    const uint8_t *h = pktd__l3(s);
    uint32_t hln = h[4], pln = h[5];
    const uint8_t *sha = h + 8, *spa = sha + hln, *tha = spa + pln, *tpa = tha + hln;
    int ipv4 = pln == PKTD__IPV4_ALEN && pktd__be16(h + 2) == PKTD__ETHERTYPE_IPV4;
    switch (f) {
    case PKTD_FIELD_ARP_HTYPE: return pktd__be16(h);
    case PKTD_FIELD_ARP_PTYPE: return pktd__be16(h + 2);
    case PKTD_FIELD_ARP_HLEN: return hln;
    case PKTD_FIELD_ARP_PLEN: return pln;
    case PKTD_FIELD_ARP_OP: return pktd__be16(h + 6);
    case PKTD_FIELD_ARP_SHA_HI: return hln == 6 ? pktd__be16(sha) : 0;
    case PKTD_FIELD_ARP_SHA_LO: return hln == 6 ? pktd__be32(sha + 2) : 0;
    case PKTD_FIELD_ARP_THA_HI: return hln == 6 ? pktd__be16(tha) : 0;
    case PKTD_FIELD_ARP_THA_LO: return hln == 6 ? pktd__be32(tha + 2) : 0;
    case PKTD_FIELD_ARP_SPA: return ipv4 ? pktd__be32(spa) : 0;
    case PKTD_FIELD_ARP_TPA: return ipv4 ? pktd__be32(tpa) : 0;
    default: return 0;
    }
}

/* Link-layer fields other than the Ethernet ones (VLAN, SLL, SLL2). */
static uint32_t link_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    const uint8_t *d = s->data;
    switch (f) {
    case PKTD_FIELD_VLAN_COUNT: return HAS(layers, VLAN) ? s->vlan_count : 0;
    case PKTD_FIELD_VLAN0_TPID: return HAS(layers, VLAN) ? pktd__be16(d + s->vlan_tpid0) : 0;
    case PKTD_FIELD_VLAN0_TCI: return HAS(layers, VLAN) ? pktd__be16(d + s->vlan_off) : 0;
    case PKTD_FIELD_VLAN1_TPID:
        return HAS(layers, VLAN) && s->vlan_count > 1 ? pktd__be16(d + s->vlan_off + 2) : 0;
    case PKTD_FIELD_VLAN1_TCI:
        return HAS(layers, VLAN) && s->vlan_count > 1 ? pktd__be16(d + s->vlan_off + 4) : 0;
    case PKTD_FIELD_SLL_PKTTYPE:
        return HAS(layers, SLL) ? pktd__be16(d) : HAS(layers, SLL2) ? d[10] : 0;
    case PKTD_FIELD_SLL_HATYPE:
        return HAS(layers, SLL) ? pktd__be16(d + 2) : HAS(layers, SLL2) ? pktd__be16(d + 8) : 0;
    case PKTD_FIELD_SLL2_IFINDEX:
        return !HAS(layers, SLL) && HAS(layers, SLL2) ? pktd__be32(d + 4) : 0;
    default: return 0;
    }
}

/* TCP option fields. */
static uint32_t tcp_opt_field(const struct pktd__packet *s, uint32_t layers, uint32_t f)
{
    const uint8_t *h = pktd__l4(s);
    uint32_t off;
    switch (f) {
    case PKTD_FIELD_TCP_OPTIONS: return tcp_options_bits(s, layers);
    case PKTD_FIELD_TCP_MSS:
        off = tcp_opt(s, layers, PKTD__TCPOPT_MSS);
        return off ? pktd__be16(h + off + 2) : 0;
    case PKTD_FIELD_TCP_WSCALE:
        off = tcp_opt(s, layers, PKTD__TCPOPT_WS);
        return off ? h[off + 2] : 0;
    case PKTD_FIELD_TCP_TSVAL:
        off = tcp_opt(s, layers, PKTD__TCPOPT_TS);
        return off ? pktd__be32(h + off + 2) : 0;
    case PKTD_FIELD_TCP_TSECR:
        off = tcp_opt(s, layers, PKTD__TCPOPT_TS);
        return off ? pktd__be32(h + off + 6) : 0;
    case PKTD_FIELD_TCP_SACK_COUNT:
        off = tcp_opt(s, layers, PKTD__TCPOPT_SACK);
        return off ? (h[off + 1] - 2u) / PKTD__TCP_SACK_BLOCK_LEN : 0;
    default:
        if (f >= PKTD_FIELD_TCP_SACK0_LEFT && f <= PKTD_FIELD_TCP_SACK3_RIGHT)
            return sack_edge(s, layers, (f - PKTD_FIELD_TCP_SACK0_LEFT) / 2,
                             (f - PKTD_FIELD_TCP_SACK0_LEFT) % 2);
        return 0;
    }
}

/* One field of a decoded state: the value pktd_packet_fields() stores at
 * index f.  The common fields (the 5-tuple, the layer set, the status) are
 * inline cases; the rarer groups are out-of-line helpers. */
static inline uint32_t field_value(const struct pktd__packet *s, uint32_t f)
{
    uint32_t layers = s->layers;
    const uint8_t *l3 = pktd__l3(s), *l4 = pktd__l4(s);
    int failed = s->error != 0;
    int ip = HAS(layers, IPV4), tcp = HAS(layers, TCP);
    int udp = !tcp && HAS(layers, UDP), icmp = !tcp && HAS(layers, ICMP);
    switch (f) {
    case PKTD_FIELD_LAYERS: return layers;
    case PKTD_FIELD_FLAGS: return s->flags;
    case PKTD_FIELD_ERROR: return (uint32_t)s->error;
    case PKTD_FIELD_ERROR_LAYER: return failed ? s->error_layer : 0;
    case PKTD_FIELD_ERROR_REASON: return failed ? s->error_reason : 0;
    case PKTD_FIELD_LINKTYPE: return s->linktype;
    case PKTD_FIELD_PAYLOAD_OFF: return layers != 0 || !failed ? s->payload_off : 0;
    case PKTD_FIELD_PAYLOAD_LEN: return layers != 0 || !failed ? s->payload_len : 0;
    case PKTD_FIELD_ETH_DST_HI: return HAS(layers, ETH) ? pktd__be16(s->data) : 0;
    case PKTD_FIELD_ETH_DST_LO: return HAS(layers, ETH) ? pktd__be32(s->data + 2) : 0;
    case PKTD_FIELD_ETH_SRC_HI: return HAS(layers, ETH) ? pktd__be16(s->data + 6) : 0;
    case PKTD_FIELD_ETH_SRC_LO: return HAS(layers, ETH) ? pktd__be32(s->data + 8) : 0;
    case PKTD_FIELD_ETH_TYPE:
        return layers & (PKTD__BIT(PKTD_LAYER_ETH) | PKTD__BIT(PKTD_LAYER_SLL) |
                         PKTD__BIT(PKTD_LAYER_SLL2))
                   ? s->eth_type
                   : 0;
    case PKTD_FIELD_IPV4_IHL: return ip ? l3[0] & 0x0fu : 0;
    case PKTD_FIELD_IPV4_TOS: return ip ? l3[1] : 0;
    case PKTD_FIELD_IPV4_TOTAL_LEN: return ip ? pktd__be16(l3 + 2) : 0;
    case PKTD_FIELD_IPV4_ID: return ip ? pktd__be16(l3 + 4) : 0;
    case PKTD_FIELD_IPV4_FRAG: return ip ? pktd__be16(l3 + 6) : 0;
    case PKTD_FIELD_IPV4_TTL: return ip ? l3[8] : 0;
    case PKTD_FIELD_IPV4_PROTO: return ip ? l3[9] : 0;
    case PKTD_FIELD_IPV4_CHECKSUM: return ip ? pktd__be16(l3 + 10) : 0;
    case PKTD_FIELD_IPV4_SRC: return ip ? pktd__be32(l3 + 12) : 0;
    case PKTD_FIELD_IPV4_DST: return ip ? pktd__be32(l3 + 16) : 0;
    case PKTD_FIELD_IPV4_OPTIONS_LEN: return ip ? s->l3_hlen - 20u : 0;
    case PKTD_FIELD_TCP_SPORT: return tcp ? pktd__be16(l4) : 0;
    case PKTD_FIELD_TCP_DPORT: return tcp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_TCP_SEQ: return tcp ? pktd__be32(l4 + 4) : 0;
    case PKTD_FIELD_TCP_ACK: return tcp ? pktd__be32(l4 + 8) : 0;
    case PKTD_FIELD_TCP_DOFF: return tcp ? l4[12] >> 4 : 0;
    case PKTD_FIELD_TCP_FLAGS: return tcp ? l4[13] : 0;
    case PKTD_FIELD_TCP_NS: return tcp ? l4[12] & 0x01u : 0;
    case PKTD_FIELD_TCP_WINDOW: return tcp ? pktd__be16(l4 + 14) : 0;
    case PKTD_FIELD_TCP_CHECKSUM: return tcp ? pktd__be16(l4 + 16) : 0;
    case PKTD_FIELD_TCP_URGENT: return tcp ? pktd__be16(l4 + 18) : 0;
    case PKTD_FIELD_UDP_SPORT: return udp ? pktd__be16(l4) : 0;
    case PKTD_FIELD_UDP_DPORT: return udp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_UDP_LEN: return udp ? pktd__be16(l4 + 4) : 0;
    case PKTD_FIELD_UDP_CHECKSUM: return udp ? pktd__be16(l4 + 6) : 0;
    case PKTD_FIELD_ICMP_TYPE: return icmp ? l4[0] : 0;
    case PKTD_FIELD_ICMP_CODE: return icmp ? l4[1] : 0;
    case PKTD_FIELD_ICMP_CHECKSUM: return icmp ? pktd__be16(l4 + 2) : 0;
    case PKTD_FIELD_ICMP_REST: return icmp ? pktd__be32(l4 + 4) : 0;
    default:
        if (f >= PKTD_FIELD_VLAN_COUNT && f <= PKTD_FIELD_SLL2_IFINDEX)
            return link_field(s, layers, f);
        if (f >= PKTD_FIELD_ARP_HTYPE && f <= PKTD_FIELD_ARP_TPA)
            return arp_field(s, layers, f);
        return tcp_opt_field(s, layers, f);
    }
}

int pktd_batch_create(pktd_batch **out, uint32_t capacity, const uint32_t *fields, uint32_t nfields,
                      uint32_t *const *columns, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_batch_create: out is NULL");
    *out = NULL;
    if (capacity == 0 || capacity > INT32_MAX)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: capacity %lu is not in 1 ... %ld",
                             (unsigned long)capacity, (long)INT32_MAX);
    if (nfields > PKTD_FIELD_COUNT_)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: %lu fields selected, this library knows %u",
                             (unsigned long)nfields, (unsigned)PKTD_FIELD_COUNT_);
    if (nfields > 0 && (fields == NULL || columns == NULL))
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_batch_create: %lu fields but fields or columns is NULL",
                             (unsigned long)nfields);
    uint8_t seen[PKTD_FIELD_COUNT_] = {0};
    for (uint32_t i = 0; i < nfields; i++) {
        if (fields[i] >= PKTD_FIELD_COUNT_)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: field %lu (selection entry %lu) is unknown",
                                 (unsigned long)fields[i], (unsigned long)i);
        if (seen[fields[i]]++)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: field %s is selected twice",
                                 pktd_field_name(fields[i]));
        if (columns[i] == NULL)
            return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                                 "pktd_batch_create: the column of field %s is NULL",
                                 pktd_field_name(fields[i]));
    }
    pktd_batch *b = calloc(1, sizeof *b);
    if (b == NULL)
        return pktd__errmsg(errbuf, "calloc", "batch handle", -ENOMEM);
    b->capacity = capacity;
    b->nfields = nfields;
    for (uint32_t i = 0; i < nfields; i++) {
        b->fields[i] = fields[i];
        b->cols[i] = columns[i];
    }
    *out = b;
    return 0;
}

void pktd_batch_close(pktd_batch *b)
{
    free(b);
}

int pktd_batch_bind(pktd_batch *b, uint32_t column, void *array)
{
    if (b == NULL || column >= PKTD_BATCH_COLUMN_COUNT)
        return PKTD_E_INVALID_ARGUMENT;
    b->meta[column] = array;
    return 0;
}

uint32_t pktd_batch_capacity(const pktd_batch *b)
{
    return b != NULL ? b->capacity : 0;
}

static inline uint32_t row_limit(const pktd_batch *b, uint32_t max_rows)
{
    return max_rows == 0 || max_rows > b->capacity ? b->capacity : max_rows;
}

/* Decode one frame and store row `row` of every bound column. */
static inline void put_row(pktd_batch *b, uint32_t row, uint32_t linktype, const uint8_t *data,
                           size_t caplen, uint32_t wire_len, uint64_t ts_ns, uint32_t iface)
{
    pktd_packet p;
    int rc = pktd_decode(&p, linktype, data, caplen);
    const struct pktd__packet *s = pktd__cpkt(&p);
    void *const *m = b->meta;
    if (m[PKTD_BATCH_TS_NS] != NULL)
        ((uint64_t *)m[PKTD_BATCH_TS_NS])[row] = ts_ns;
    if (m[PKTD_BATCH_CAPLEN] != NULL)
        ((uint32_t *)m[PKTD_BATCH_CAPLEN])[row] = caplen > UINT32_MAX ? UINT32_MAX : (uint32_t)caplen;
    if (m[PKTD_BATCH_WIRE_LEN] != NULL)
        ((uint32_t *)m[PKTD_BATCH_WIRE_LEN])[row] = wire_len;
    if (m[PKTD_BATCH_LINKTYPE] != NULL)
        ((uint32_t *)m[PKTD_BATCH_LINKTYPE])[row] = linktype;
    if (m[PKTD_BATCH_INTERFACE] != NULL)
        ((uint32_t *)m[PKTD_BATCH_INTERFACE])[row] = iface;
    if (m[PKTD_BATCH_STATUS] != NULL)
        ((int32_t *)m[PKTD_BATCH_STATUS])[row] = rc;
    for (uint32_t k = 0; k < b->nfields; k++)
        b->cols[k][row] = field_value(s, b->fields[k]);
}

int pktd_batch_read(pktd_batch *b, pktd_reader *r, uint32_t max_rows, uint32_t *rows)
{
    if (rows != NULL)
        *rows = 0;
    if (b == NULL || r == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    uint32_t limit = row_limit(b, max_rows), n = 0;
    int rc = 1;
    while (n < limit) {
        const uint8_t *data;
        size_t caplen;
        rc = pktd_reader_next(r, &data, &caplen);
        if (rc <= 0)
            break;
        put_row(b, n, pktd_reader_linktype(r), data, caplen, pktd_reader_wire_len(r),
                pktd_reader_ts_ns(r), pktd_reader_interface(r));
        n++;
    }
    if (rows != NULL)
        *rows = n;
    return rc;
}

int pktd_batch_decode_frames(pktd_batch *b, uint32_t linktype, const uint8_t *const *frames,
                             const size_t *lens, const uint64_t *ts_ns, uint32_t n)
{
    if (b == NULL || (n > 0 && (frames == NULL || lens == NULL)))
        return PKTD_E_INVALID_ARGUMENT;
    uint32_t limit = n < b->capacity ? n : b->capacity;
    for (uint32_t i = 0; i < limit; i++) {
        size_t len = lens[i];
        put_row(b, i, linktype, frames[i], len, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len,
                ts_ns != NULL ? ts_ns[i] : 0, 0);
    }
    return (int)limit;
}

struct capture_ctx {
    pktd_batch *b;
    pktd_capture *c;
    uint32_t row;
};

static int capture_row(void *user, const uint8_t *data, size_t caplen, uint32_t wire_len,
                       uint64_t ts_ns)
{
    struct capture_ctx *x = user;
    put_row(x->b, x->row, pktd_capture_linktype(x->c), data, caplen, wire_len, ts_ns,
            pktd_capture_ifindex(x->c));
    x->row++;
    /* The dispatch stops at its max anyway; this guards the capacity. */
    return x->row >= x->b->capacity;
}

int pktd_batch_capture(pktd_batch *b, pktd_capture *c, uint32_t max_rows, uint32_t *rows)
{
    if (rows != NULL)
        *rows = 0;
    if (b == NULL || c == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    struct capture_ctx x = {b, c, 0};
    int rc = pktd_capture_dispatch(c, row_limit(b, max_rows), capture_row, &x);
    if (rows != NULL)
        *rows = x.row;
    return rc < 0 ? rc : 0;
}
