/* libpktdecode passes: what an application that wants every field does. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#include "walk_pktd.h"

/* Big-endian loads, and a 6-byte address as the number
 * pktd_packet_fields() gives (high 16 bits << 32 | low 32 bits), so that
 * the full and fields passes compute the same value from the same fields. */
static inline uint32_t be16(const uint8_t *p)
{
    return (uint32_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

static inline uint64_t mac48(const uint8_t *m)
{
    return (uint64_t)be16(m) << 32 | be32(m + 2);
}

static inline uint64_t read_eth(const pktd_packet *p, uint32_t layers)
{
    uint64_t s = 0;
    if (layers & (1u << PKTD_LAYER_ETH))
        s += mac48(pktd_eth_dst(p)) ^ mac48(pktd_eth_src(p));
    s += pktd_eth_type(p);
    if (layers & (1u << PKTD_LAYER_VLAN)) {
        /* Each tag's TPID and TCI (VID, PCP and DEI together). */
        uint32_t n = pktd_vlan_count(p);
        for (uint32_t i = 0; i < n; i++)
            s += (uint64_t)pktd_vlan_tpid(p, i) << 16 | pktd_vlan_tci(p, i);
    }
    return s;
}

static inline uint64_t read_arp(const pktd_packet *p)
{
    uint64_t s = pktd_arp_htype(p) + pktd_arp_ptype(p) + pktd_arp_op(p) + pktd_arp_hlen(p) +
                 pktd_arp_plen(p);
    /* The addresses, for 6-byte hardware and 4-byte protocol ones. */
    uint64_t addr = 0;
    if (pktd_arp_hlen(p) == 6)
        addr ^= mac48(pktd_arp_sha(p)) ^ mac48(pktd_arp_tha(p));
    if (pktd_arp_plen(p) == 4)
        addr ^= (uint64_t)be32(pktd_arp_spa_bytes(p)) ^ be32(pktd_arp_tpa_bytes(p));
    return s + addr;
}

static inline uint64_t read_ipv4(const pktd_packet *p)
{
    size_t opts_len = 0;
    (void)pktd_ipv4_options(p, NULL, &opts_len);
    /* The flags and offset as the 16-bit field they come from. */
    uint32_t frag = (uint32_t)pktd_ipv4_rf(p) << 15 | (uint32_t)pktd_ipv4_df(p) << 14 |
                    (uint32_t)pktd_ipv4_mf(p) << 13 | pktd_ipv4_frag_offset(p);
    return (uint64_t)pktd_ipv4_src(p) + pktd_ipv4_dst(p) + pktd_ipv4_ihl(p) + pktd_ipv4_tos(p) +
           pktd_ipv4_total_len(p) + pktd_ipv4_id(p) + frag + pktd_ipv4_ttl(p) +
           pktd_ipv4_proto(p) + pktd_ipv4_checksum(p) + opts_len;
}

/* The IPv6 fields pktd_packet_fields() has (addresses as four words). */
static inline uint64_t read_ipv6(const pktd_packet *p)
{
    const uint8_t *a = pktd_ipv6_src(p), *b = pktd_ipv6_dst(p);
    uint64_t s = (uint64_t)pktd_ipv6_tclass(p) + pktd_ipv6_flow(p) + pktd_ipv6_plen(p) +
                 pktd_ipv6_next(p) + pktd_ipv6_hlim(p) + pktd_ipv6_ext_count(p) +
                 pktd_ipv6_jumbo_len(p);
    for (int i = 0; i < 16; i += 4)
        s += (uint64_t)be32(a + i) + be32(b + i);
    uint8_t upper = 0;
    if (pktd_ipv6_upper(p, &upper, NULL))
        s += upper;
    uint16_t off = 0;
    uint8_t more = 0;
    uint32_t id = 0;
    if (pktd_ipv6_frag(p, &off, &more, &id))
        s += (uint64_t)((uint32_t)off << 3 | more) + id;
    return s;
}

static inline uint64_t read_tcp(const pktd_packet *p)
{
    uint64_t s = pktd_tcp_sport(p) + pktd_tcp_dport(p) + (uint64_t)pktd_tcp_seq(p) +
                 pktd_tcp_ack(p) + pktd_tcp_doff(p) + pktd_tcp_flags(p) + pktd_tcp_window(p) +
                 pktd_tcp_checksum(p) + pktd_tcp_urgent(p) + (uint64_t)pktd_tcp_ns(p);
    uint16_t mss;
    uint8_t ws;
    uint32_t val, ecr;
    if (pktd_tcp_opt_mss(p, &mss))
        s += mss;
    if (pktd_tcp_opt_wscale(p, &ws))
        s += ws;
    s += (uint64_t)pktd_tcp_opt_sack_perm(p);
    if (pktd_tcp_opt_timestamps(p, &val, &ecr))
        s += (uint64_t)val ^ ecr;
    uint32_t n = pktd_tcp_opt_sack_count(p);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t l, r;
        if (pktd_tcp_opt_sack_block(p, i, &l, &r))
            s += (uint64_t)l ^ r;
    }
    return s;
}

static inline uint64_t read_udp(const pktd_packet *p)
{
    return (uint64_t)pktd_udp_sport(p) + pktd_udp_dport(p) + pktd_udp_len(p) +
           pktd_udp_checksum(p);
}

static inline uint64_t read_icmp(const pktd_packet *p)
{
    return (uint64_t)pktd_icmp_type(p) + pktd_icmp_code(p) + pktd_icmp_checksum(p);
}

static inline uint64_t read_icmpv6(const pktd_packet *p)
{
    return (uint64_t)pktd_icmpv6_type(p) + pktd_icmpv6_code(p) + pktd_icmpv6_checksum(p) +
           pktd_icmpv6_rest(p);
}

static inline uint64_t read_all(const pktd_packet *p, int rc)
{
    uint32_t layers = pktd_packet_layers(p);
    uint64_t s = layers + pktd_packet_flags(p) + read_eth(p, layers);
    if (layers & (1u << PKTD_LAYER_ARP))
        s += read_arp(p);
    if (layers & (1u << PKTD_LAYER_IPV4))
        s += read_ipv4(p);
    else if (layers & (1u << PKTD_LAYER_IPV6))
        s += read_ipv6(p);
    if (layers & (1u << PKTD_LAYER_TCP))
        s += read_tcp(p);
    else if (layers & (1u << PKTD_LAYER_UDP))
        s += read_udp(p);
    else if (layers & (1u << PKTD_LAYER_ICMP))
        s += read_icmp(p);
    else if (layers & (1u << PKTD_LAYER_ICMPV6))
        s += read_icmpv6(p);
    size_t plen = 0;
    (void)pktd_packet_payload(p, NULL, &plen);
    s += plen;
    if (rc != 0)
        s += (uint64_t)pktd_packet_error_layer(p) << 8 | pktd_packet_error_reason(p);
    return s;
}

static inline uint64_t read_checksums(const pktd_packet *p, uint32_t layers)
{
    uint64_t s = 0;
    if (layers & (1u << PKTD_LAYER_IPV4))
        s += (uint64_t)(pktd_ipv4_checksum_ok(p) + 2);
    if (layers & (1u << PKTD_LAYER_TCP))
        s += (uint64_t)(pktd_tcp_checksum_ok(p) + 2) << 4;
    else if (layers & (1u << PKTD_LAYER_UDP))
        s += (uint64_t)(pktd_udp_checksum_ok(p) + 2) << 8;
    else if (layers & (1u << PKTD_LAYER_ICMP))
        s += (uint64_t)(pktd_icmp_checksum_ok(p) + 2) << 12;
    else if (layers & (1u << PKTD_LAYER_ICMPV6))
        s += (uint64_t)(pktd_icmpv6_checksum_ok(p) + 2) << 16;
    return s;
}

uint64_t walk_pktd_full(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        int rc = pktd_decode(&p, fr->linktype, fr->data, fr->len);
        s += read_all(&p, rc);
    }
    return s;
}

uint64_t walk_pktd_csum(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        int rc = pktd_decode(&p, fr->linktype, fr->data, fr->len);
        s += read_all(&p, rc) + read_checksums(&p, pktd_packet_layers(&p));
    }
    return s;
}

uint64_t walk_pktd_decode(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        s += (uint64_t)pktd_decode(&p, fr->linktype, fr->data, fr->len) +
             pktd_packet_layers(&p);
    }
    return s;
}

/* Frames ahead whose first two cache lines walk_pktd_decode_prefetch()
 * requests: far enough that they arrive before the decode reaches them. */
#define PREFETCH_AHEAD 4u

uint64_t walk_pktd_decode_prefetch(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        if (i + PREFETCH_AHEAD < f->n) {
            const struct bench_frame *next = &f->v[i + PREFETCH_AHEAD];
            __builtin_prefetch(next->data);
            if (next->len > 64)
                __builtin_prefetch(next->data + 64);
        }
        const struct bench_frame *fr = &f->v[i];
        s += (uint64_t)pktd_decode(&p, fr->linktype, fr->data, fr->len) +
             pktd_packet_layers(&p);
    }
    return s;
}

/* The same fields as read_all(), from the array pktd_packet_fields() fills. */
static inline uint64_t read_fields(const uint32_t *v)
{
    uint32_t layers = v[PKTD_FIELD_LAYERS];
    uint64_t s = layers + v[PKTD_FIELD_FLAGS] + v[PKTD_FIELD_ETH_TYPE];
    if (layers & (1u << PKTD_LAYER_ETH))
        s += ((uint64_t)v[PKTD_FIELD_ETH_DST_HI] << 32 | v[PKTD_FIELD_ETH_DST_LO]) ^
             ((uint64_t)v[PKTD_FIELD_ETH_SRC_HI] << 32 | v[PKTD_FIELD_ETH_SRC_LO]);
    if (layers & (1u << PKTD_LAYER_VLAN)) {
        s += (uint64_t)v[PKTD_FIELD_VLAN0_TPID] << 16 | v[PKTD_FIELD_VLAN0_TCI];
        if (v[PKTD_FIELD_VLAN_COUNT] > 1)
            s += (uint64_t)v[PKTD_FIELD_VLAN1_TPID] << 16 | v[PKTD_FIELD_VLAN1_TCI];
    }
    if (layers & (1u << PKTD_LAYER_ARP))
        s += (uint64_t)v[PKTD_FIELD_ARP_HTYPE] + v[PKTD_FIELD_ARP_PTYPE] + v[PKTD_FIELD_ARP_OP] +
             v[PKTD_FIELD_ARP_HLEN] + v[PKTD_FIELD_ARP_PLEN] +
             (((uint64_t)v[PKTD_FIELD_ARP_SHA_HI] << 32 | v[PKTD_FIELD_ARP_SHA_LO]) ^
              ((uint64_t)v[PKTD_FIELD_ARP_THA_HI] << 32 | v[PKTD_FIELD_ARP_THA_LO]) ^
              (uint64_t)v[PKTD_FIELD_ARP_SPA] ^ v[PKTD_FIELD_ARP_TPA]);
    if (layers & (1u << PKTD_LAYER_IPV4))
        s += (uint64_t)v[PKTD_FIELD_IPV4_SRC] + v[PKTD_FIELD_IPV4_DST] + v[PKTD_FIELD_IPV4_IHL] +
             v[PKTD_FIELD_IPV4_TOS] + v[PKTD_FIELD_IPV4_TOTAL_LEN] + v[PKTD_FIELD_IPV4_ID] +
             v[PKTD_FIELD_IPV4_FRAG] + v[PKTD_FIELD_IPV4_TTL] + v[PKTD_FIELD_IPV4_PROTO] +
             v[PKTD_FIELD_IPV4_CHECKSUM] + v[PKTD_FIELD_IPV4_OPTIONS_LEN];
    else if (layers & (1u << PKTD_LAYER_IPV6))
        /* Written out like IPv4's: GCC kept the 18-round loop (about 70
         * instructions per IPv6 packet, callgrind). */
        s += (uint64_t)v[PKTD_FIELD_IPV6_TCLASS] + v[PKTD_FIELD_IPV6_FLOW] +
             v[PKTD_FIELD_IPV6_PLEN] + v[PKTD_FIELD_IPV6_NEXT] + v[PKTD_FIELD_IPV6_HLIM] +
             v[PKTD_FIELD_IPV6_SRC0] + v[PKTD_FIELD_IPV6_SRC1] + v[PKTD_FIELD_IPV6_SRC2] +
             v[PKTD_FIELD_IPV6_SRC3] + v[PKTD_FIELD_IPV6_DST0] + v[PKTD_FIELD_IPV6_DST1] +
             v[PKTD_FIELD_IPV6_DST2] + v[PKTD_FIELD_IPV6_DST3] + v[PKTD_FIELD_IPV6_UPPER] +
             v[PKTD_FIELD_IPV6_EXT_COUNT] + v[PKTD_FIELD_IPV6_JUMBO_LEN] +
             v[PKTD_FIELD_IPV6_FRAG] + v[PKTD_FIELD_IPV6_FRAG_ID];
    if (layers & (1u << PKTD_LAYER_TCP)) {
        s += (uint64_t)v[PKTD_FIELD_TCP_SPORT] + v[PKTD_FIELD_TCP_DPORT] + v[PKTD_FIELD_TCP_SEQ] +
             v[PKTD_FIELD_TCP_ACK] + v[PKTD_FIELD_TCP_DOFF] + v[PKTD_FIELD_TCP_FLAGS] +
             v[PKTD_FIELD_TCP_WINDOW] + v[PKTD_FIELD_TCP_CHECKSUM] + v[PKTD_FIELD_TCP_URGENT] +
             v[PKTD_FIELD_TCP_NS];
        uint32_t has = v[PKTD_FIELD_TCP_OPTIONS];
        if (has != 0) {
            s += v[PKTD_FIELD_TCP_MSS] + v[PKTD_FIELD_TCP_WSCALE] +
                 ((has & PKTD_TCP_HAS_SACK_PERM) != 0) +
                 ((uint64_t)v[PKTD_FIELD_TCP_TSVAL] ^ v[PKTD_FIELD_TCP_TSECR]);
            for (uint32_t i = 0; i < v[PKTD_FIELD_TCP_SACK_COUNT] && i < 4; i++)
                s += (uint64_t)v[PKTD_FIELD_TCP_SACK0_LEFT + 2 * i] ^
                     v[PKTD_FIELD_TCP_SACK0_RIGHT + 2 * i];
        }
    } else if (layers & (1u << PKTD_LAYER_UDP)) {
        s += (uint64_t)v[PKTD_FIELD_UDP_SPORT] + v[PKTD_FIELD_UDP_DPORT] + v[PKTD_FIELD_UDP_LEN] +
             v[PKTD_FIELD_UDP_CHECKSUM];
    } else if (layers & (1u << PKTD_LAYER_ICMP)) {
        s += (uint64_t)v[PKTD_FIELD_ICMP_TYPE] + v[PKTD_FIELD_ICMP_CODE] +
             v[PKTD_FIELD_ICMP_CHECKSUM];
    } else if (layers & (1u << PKTD_LAYER_ICMPV6)) {
        s += (uint64_t)v[PKTD_FIELD_ICMPV6_TYPE] + v[PKTD_FIELD_ICMPV6_CODE] +
             v[PKTD_FIELD_ICMPV6_CHECKSUM] + v[PKTD_FIELD_ICMPV6_REST];
    }
    s += v[PKTD_FIELD_PAYLOAD_LEN];
    if (v[PKTD_FIELD_ERROR] != 0)
        s += (uint64_t)v[PKTD_FIELD_ERROR_LAYER] << 8 | v[PKTD_FIELD_ERROR_REASON];
    return s;
}

uint64_t walk_pktd_fields(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    uint32_t v[PKTD_FIELD_COUNT_];
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        (void)pktd_decode(&p, fr->linktype, fr->data, fr->len);
        (void)pktd_packet_fields(&p, v, PKTD_FIELD_COUNT_);
        s += read_fields(v);
    }
    return s;
}

/* The 5-tuple through the per-packet accessors: decode, then one call per
 * field (what a C flow table does without batches). */
uint64_t walk_pktd_tuple(const struct bench_frames *f, void *ctx)
{
    (void)ctx;
    uint64_t s = 0;
    pktd_packet p;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame *fr = &f->v[i];
        (void)pktd_decode(&p, fr->linktype, fr->data, fr->len);
        uint32_t layers = pktd_packet_layers(&p);
        s += (uint64_t)pktd_ipv4_src(&p) + pktd_ipv4_dst(&p) + pktd_ipv4_proto(&p);
        if (layers & (1u << PKTD_LAYER_TCP))
            s += pktd_tcp_sport(&p) + pktd_tcp_dport(&p);
        else if (layers & (1u << PKTD_LAYER_UDP))
            s += pktd_udp_sport(&p) + pktd_udp_dport(&p);
    }
    return s;
}

/* A columnar batch of the 5-tuple: the frame pointers and lengths, cut in
 * runs of one link type and at most BATCH_ROWS frames, are laid out once
 * (untimed, as a reader or a ring hands them over: a pcap file or an
 * interface has one link type), then each round makes one call per run
 * and sums every column of every row. */
#define BATCH_ROWS 256u
enum { T_SRC, T_DST, T_PROTO, T_TSPORT, T_TDPORT, T_USPORT, T_UDPORT, T_N };

struct walk_batch {
    pktd_batch *b;
    const uint8_t **frames;
    size_t *lens;
    struct batch_run {
        uint32_t first, n, linktype;
    } *runs;
    uint32_t nruns;
    uint32_t col[T_N][BATCH_ROWS];
};

void *batch_pass_new(const struct bench_frames *f)
{
    static const uint32_t sel[T_N] = {PKTD_FIELD_IPV4_SRC,  PKTD_FIELD_IPV4_DST,
                                      PKTD_FIELD_IPV4_PROTO, PKTD_FIELD_TCP_SPORT,
                                      PKTD_FIELD_TCP_DPORT,  PKTD_FIELD_UDP_SPORT,
                                      PKTD_FIELD_UDP_DPORT};
    struct walk_batch *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    uint32_t *cols[T_N];
    for (uint32_t k = 0; k < T_N; k++)
        cols[k] = w->col[k];
    w->frames = calloc(f->n + 1u, sizeof *w->frames);
    w->lens = calloc(f->n + 1u, sizeof *w->lens);
    w->runs = calloc(f->n + 1u, sizeof *w->runs);
    if (w->frames == NULL || w->lens == NULL || w->runs == NULL ||
        pktd_batch_create(&w->b, BATCH_ROWS, sel, T_N, cols, NULL) != 0) {
        batch_pass_free(w);
        return NULL;
    }
    for (uint32_t i = 0; i < f->n; i++) {
        w->frames[i] = f->v[i].data;
        w->lens[i] = f->v[i].len;
    }
    for (uint32_t i = 0; i < f->n;) {
        uint32_t lt = f->v[i].linktype, n = 1;
        while (n < BATCH_ROWS && i + n < f->n && f->v[i + n].linktype == lt)
            n++;
        w->runs[w->nruns++] = (struct batch_run){i, n, lt};
        i += n;
    }
    return w;
}

void batch_pass_free(void *ctx)
{
    struct walk_batch *w = ctx;
    if (w == NULL)
        return;
    pktd_batch_close(w->b);
    free(w->frames);
    free(w->lens);
    free(w->runs);
    free(w);
}

uint64_t walk_pktd_batch(const struct bench_frames *f, void *ctx)
{
    struct walk_batch *w = ctx;
    uint64_t s = 0;
    (void)f;
    for (uint32_t k = 0; k < w->nruns; k++) {
        const struct batch_run *run = &w->runs[k];
        int rows = pktd_batch_decode_frames(w->b, run->linktype, w->frames + run->first,
                                            w->lens + run->first, NULL, run->n);
        for (int r = 0; r < rows; r++)
            s += (uint64_t)w->col[T_SRC][r] + w->col[T_DST][r] + w->col[T_PROTO][r] +
                 w->col[T_TSPORT][r] + w->col[T_TDPORT][r] + w->col[T_USPORT][r] +
                 w->col[T_UDPORT][r];
    }
    return s;
}

void *read_pass_new(const struct bench_frames *f)
{
    struct bench_image *img = malloc(sizeof *img);
    if (img != NULL && bench_frames_pcap_image(f, img) != 0) {
        free(img);
        img = NULL;
    }
    return img;
}

void read_pass_free(void *ctx)
{
    if (ctx != NULL)
        bench_image_free(ctx);
    free(ctx);
}

uint64_t walk_pktd_read(const struct bench_frames *f, void *ctx)
{
    const struct bench_image *img = ctx;
    uint64_t s = 0;
    uint32_t n = 0;
    pktd_reader *r;
    pktd_packet p;
    const uint8_t *data;
    size_t len;
    if (pktd_reader_open_mem(&r, img->data, img->len, NULL) != 0)
        abort(); /* built above from frames the harness loaded */
    uint32_t linktype = pktd_reader_linktype(r);
    while (pktd_reader_next(r, &data, &len) == 1) {
        s += (uint64_t)pktd_decode(&p, linktype, data, len) + pktd_packet_layers(&p);
        n++;
    }
    pktd_reader_close(r);
    if (n != f->n)
        abort(); /* every frame, or the figure would be per the wrong count */
    return s;
}
