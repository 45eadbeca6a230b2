/* IP defragmentation (defrag.h) in memory allocated once, at creation.
 *
 * Layout (one calloc per array, all in pktd_defrag_create()):
 * - a pool of fixed-size chunks; a fragment's bytes are a chain of chunks,
 *   its first chunk also carries the fragment's offset, length and the link
 *   to the next fragment of its datagram (kept sorted by offset, never
 *   overlapping); a datagram's first-fragment header is a chain too;
 * - a table of datagram slots, with a hash table of slot chains keyed by a
 *   SipHash of (zone, version, protocol, id, addresses) under a random
 *   per-handle key, and a list in arrival order for expiry and eviction;
 * - one output buffer where a completed datagram is assembled.
 * Chunks cost the same whatever a fragment holds, so an attacker's 8-byte
 * fragments are charged a whole chunk each: the accounting is the memory
 * really held, not the bytes carried.
 *
 * The policies (doc/design.md, "Reassembly (1.1): fragments") follow Linux
 * (net/ipv4/ip_fragment.c and inet_fragment.c since 4.19) for IPv4 and IPv6
 * alike: a fragment wholly inside bytes already held is a duplicate and
 * only it is dropped; any other overlap drops the whole datagram (RFC 5722
 * with erratum 3089); a fragment inconsistent with the end already known is
 * dropped alone. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/defrag.h>
#include <pktdecode/ipv6.h>

#include "checksum.h"
#include "errmsg.h"
#include "keyhash.h"
#include "packet_impl.h"
#include "proto.h"

#define NIL UINT32_MAX

/* Bytes of fragment data per chunk; a chunk is 256 bytes in all. */
#define CHUNK_DATA 240u
/* Largest reassembled datagram: an IPv6 fixed header and a 65,535-byte
 * payload (an IPv4 datagram is at most 65,535 bytes in all). */
#define OUT_MAX (PKTD__IPV6_HLEN + 65535u)
/* Largest IPv6 unfragmentable part the library decodes: the fixed header
 * and PKTD_IPV6_MAX_EXT headers of at most 2,048 bytes; in chunks. */
#define HDR_MAX_CHUNKS ((PKTD__IPV6_HLEN + PKTD_IPV6_MAX_EXT * 2048u) / CHUNK_DATA + 1u)
#define MAX_DATAGRAMS (1u << 20)

#define IPV4_MF 0x2000u
#define IPV4_OFFSET_MASK 0x1fffu

struct chunk {
    uint32_t next;      /* next chunk of the same piece, NIL at the end */
    /* In the first chunk of a fragment only: */
    uint32_t frag_next; /* the datagram's next fragment by offset */
    uint32_t off;       /* offset of the fragment's data in the datagram */
    uint32_t len;       /* bytes of data */
    uint8_t data[CHUNK_DATA];
};
PKTD__STATIC_ASSERT(sizeof(struct chunk) == 256, "a chunk is 256 bytes");

/* The key is hashed and compared as bytes: built zeroed, padding included. */
struct dkey {
    uint64_t zone;
    uint32_t id;
    uint8_t version;
    uint8_t proto; /* IPv4 only (0 for IPv6) */
    uint8_t pad_[2];
    uint8_t src[16]; /* an IPv4 address takes the first 4 bytes */
    uint8_t dst[16];
};

struct dgram {
    struct dkey key;
    uint64_t first_ts; /* capture time of the first fragment received */
    uint32_t hnext;    /* hash chain; free list when unused */
    uint32_t older;    /* arrival-order list */
    uint32_t newer;
    uint32_t frags;    /* first fragment (chunk index), sorted by offset */
    uint32_t hdr;      /* the offset-0 fragment's header, NIL until seen */
    uint32_t hdr_len;
    uint32_t end;      /* highest end held or announced by the last fragment */
    uint32_t covered;  /* data bytes held (fragments never overlap) */
    uint32_t nfrags;
    uint32_t nchunks;
    uint16_t frag_field; /* IPv4: the offset-0 fragment's flags/offset field */
    uint16_t patch_off;  /* IPv6: byte of hdr that named the fragment header */
    uint8_t frag_nh;     /* IPv6: the fragment header's next header */
    uint8_t have_last;
    uint8_t in_use;
};

struct pktd_defrag {
    struct pktd__hashkey hkey;
    struct chunk *chunks;
    uint32_t nchunks;
    uint32_t free_chunk; /* free list through chunk.next */
    uint32_t used_chunks;
    uint32_t used_high;
    struct dgram *dgrams;
    uint32_t ndgrams;
    uint32_t free_dgram;
    uint32_t oldest; /* arrival-order list ends */
    uint32_t newest;
    uint32_t *buckets;
    uint32_t bucket_mask;
    uint32_t max_fragments;
    uint64_t timeout_ns;
    size_t allocated;
    uint64_t stats[PKTD_DEFRAG_STAT_COUNT];
    uint8_t *out;
    char errmsg[PKTD_ERRBUF_SIZE];
};

/* A fragment as read from the packet. */
struct frag {
    struct dkey key;
    const uint8_t *ip;   /* the IP header */
    const uint8_t *data; /* the fragment's data */
    uint32_t off;        /* its offset in the datagram */
    uint32_t len;
    uint32_t hdr_len;    /* bytes before data to keep from the first fragment */
    uint32_t upper_min;  /* transport header bytes a first fragment must hold */
    uint32_t upper_have; /* ... and those it holds */
    uint16_t frag_field;
    uint16_t patch_off;
    uint8_t frag_nh;
    uint8_t more;
    uint8_t tcp;
};

/* ---- chunks ---- */

static uint32_t chunks_for(uint32_t len)
{
    return len == 0 ? 1u : (len + CHUNK_DATA - 1) / CHUNK_DATA;
}

static uint32_t free_chunks(const pktd_defrag *d)
{
    return d->nchunks - d->used_chunks;
}

/* Store @p len bytes (the caller checked that the chunks are free). */
static uint32_t piece_store(pktd_defrag *d, const uint8_t *src, uint32_t len)
{
    uint32_t n = chunks_for(len);
    uint32_t head = d->free_chunk;
    uint32_t c = head;
    for (uint32_t i = 0; i < n; i++) {
        struct chunk *ch = &d->chunks[c];
        uint32_t take = len > CHUNK_DATA ? CHUNK_DATA : len;
        memcpy(ch->data, src, take);
        src += take;
        len -= take;
        if (i + 1 == n) {
            d->free_chunk = ch->next;
            ch->next = NIL;
        } else {
            c = ch->next;
        }
    }
    d->used_chunks += n;
    if (d->used_chunks > d->used_high)
        d->used_high = d->used_chunks;
    return head;
}

static void piece_copy(const pktd_defrag *d, uint32_t c, uint8_t *dst, uint32_t len)
{
    while (len > 0) {
        uint32_t take = len > CHUNK_DATA ? CHUNK_DATA : len;
        memcpy(dst, d->chunks[c].data, take);
        dst += take;
        len -= take;
        c = d->chunks[c].next;
    }
}

static void piece_free(pktd_defrag *d, uint32_t c)
{
    while (c != NIL) {
        uint32_t next = d->chunks[c].next;
        d->chunks[c].next = d->free_chunk;
        d->free_chunk = c;
        d->used_chunks--;
        c = next;
    }
}

/* ---- datagram slots ---- */

static uint32_t bucket_of(const pktd_defrag *d, const struct dkey *k)
{
    return (uint32_t)pktd__siphash24(&d->hkey, k, sizeof *k) & d->bucket_mask;
}

static uint32_t dgram_find(const pktd_defrag *d, const struct dkey *k)
{
    for (uint32_t i = d->buckets[bucket_of(d, k)]; i != NIL; i = d->dgrams[i].hnext)
        if (memcmp(&d->dgrams[i].key, k, sizeof *k) == 0)
            return i;
    return NIL;
}

/* Free a datagram's chunks and slot; its fragments are counted by the
 * caller (reassembled, or under the drop counter @p drop_stat). */
static void dgram_release(pktd_defrag *d, uint32_t i)
{
    struct dgram *g = &d->dgrams[i];
    for (uint32_t f = g->frags; f != NIL;) {
        uint32_t next = d->chunks[f].frag_next;
        piece_free(d, f);
        f = next;
    }
    if (g->hdr != NIL)
        piece_free(d, g->hdr);
    uint32_t *pp = &d->buckets[bucket_of(d, &g->key)];
    while (*pp != i)
        pp = &d->dgrams[*pp].hnext;
    *pp = g->hnext;
    if (g->older != NIL)
        d->dgrams[g->older].newer = g->newer;
    else
        d->oldest = g->newer;
    if (g->newer != NIL)
        d->dgrams[g->newer].older = g->older;
    else
        d->newest = g->older;
    d->stats[PKTD_DEFRAG_STAT_HELD_FRAGMENTS] -= g->nfrags;
    d->stats[PKTD_DEFRAG_STAT_HELD_DATAGRAMS]--;
    g->in_use = 0;
    g->hnext = d->free_dgram;
    d->free_dgram = i;
}

/* Drop a datagram for a reason: its held fragments go to @p drop_stat. */
static void dgram_drop(pktd_defrag *d, uint32_t i, uint32_t drop_stat)
{
    d->stats[drop_stat] += d->dgrams[i].nfrags;
    d->stats[PKTD_DEFRAG_STAT_DATAGRAMS_DROPPED]++;
    if (drop_stat == PKTD_DEFRAG_STAT_DROP_TIMEOUT)
        d->stats[PKTD_DEFRAG_STAT_DATAGRAMS_TIMEOUT]++;
    else if (drop_stat == PKTD_DEFRAG_STAT_DROP_EVICTED)
        d->stats[PKTD_DEFRAG_STAT_DATAGRAMS_EVICTED]++;
    dgram_release(d, i);
}

static uint32_t dgram_new(pktd_defrag *d, const struct dkey *k, uint64_t ts)
{
    if (d->free_dgram == NIL)
        dgram_drop(d, d->oldest, PKTD_DEFRAG_STAT_DROP_EVICTED);
    uint32_t i = d->free_dgram;
    struct dgram *g = &d->dgrams[i];
    d->free_dgram = g->hnext;
    memset(g, 0, sizeof *g);
    g->key = *k;
    g->first_ts = ts;
    g->frags = NIL;
    g->hdr = NIL;
    g->in_use = 1;
    uint32_t b = bucket_of(d, k);
    g->hnext = d->buckets[b];
    d->buckets[b] = i;
    g->older = d->newest;
    g->newer = NIL;
    if (d->newest != NIL)
        d->dgrams[d->newest].newer = i;
    else
        d->oldest = i;
    d->newest = i;
    d->stats[PKTD_DEFRAG_STAT_HELD_DATAGRAMS]++;
    return i;
}

static int expire(pktd_defrag *d, uint64_t now)
{
    int n = 0;
    /* Arrival order: when capture time runs backwards a datagram may wait
     * behind a younger one, until that one goes. */
    while (d->oldest != NIL) {
        uint64_t t = d->dgrams[d->oldest].first_ts;
        if (now != UINT64_MAX && (now < t || now - t < d->timeout_ns))
            break;
        dgram_drop(d, d->oldest, PKTD_DEFRAG_STAT_DROP_TIMEOUT);
        n++;
    }
    return n;
}

/* ---- life cycle ---- */

int pktd_defrag_create(pktd_defrag **out, size_t budget, uint32_t max_datagrams,
                       uint32_t max_fragments, uint64_t timeout_ns, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_defrag_create: out is NULL");
    *out = NULL;
    if (budget == 0)
        budget = PKTD_DEFRAG_DEFAULT_BUDGET;
    if (max_datagrams == 0)
        max_datagrams = PKTD_DEFRAG_DEFAULT_DATAGRAMS;
    if (max_fragments == 0)
        max_fragments = PKTD_DEFRAG_DEFAULT_FRAGMENTS;
    if (timeout_ns == 0)
        timeout_ns = PKTD_DEFRAG_DEFAULT_TIMEOUT_NS;
    if (max_datagrams > MAX_DATAGRAMS)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_defrag_create: %u datagrams exceed the limit of %u",
                             max_datagrams, MAX_DATAGRAMS);
    if (max_fragments > PKTD_DEFRAG_MAX_FRAGMENTS)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_defrag_create: %u fragments per datagram exceed the limit of %u",
                             max_fragments, PKTD_DEFRAG_MAX_FRAGMENTS);
    uint32_t nbuckets = 1;
    while (nbuckets < 2 * max_datagrams)
        nbuckets <<= 1;
    size_t fixed = sizeof(pktd_defrag) + (size_t)max_datagrams * sizeof(struct dgram) +
                   (size_t)nbuckets * sizeof(uint32_t) + OUT_MAX;
    /* One largest datagram in the most fragments must fit on its own, so a
     * valid datagram always completes once the others are evicted. */
    size_t min_chunks = 65535u / CHUNK_DATA + max_fragments + HDR_MAX_CHUNKS;
    size_t minimum = fixed + min_chunks * sizeof(struct chunk);
    if (budget < minimum)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_defrag_create: a budget of %zu bytes is below the %zu "
                             "bytes %u datagrams of up to %u fragments need",
                             budget, minimum, max_datagrams, max_fragments);
    size_t nchunks = (budget - fixed) / sizeof(struct chunk);
    if (nchunks > UINT32_MAX - 1)
        nchunks = UINT32_MAX - 1;

    struct pktd__hashkey key;
    int rc = pktd__hashkey_random(&key);
    if (rc != 0)
        return pktd__errmsg(errbuf, "pktd_defrag_create: getrandom", NULL, rc);
    pktd_defrag *d = calloc(1, sizeof *d);
    if (d == NULL)
        return pktd__errmsg(errbuf, "pktd_defrag_create: calloc", "handle", -ENOMEM);
    d->chunks = malloc(nchunks * sizeof(struct chunk));
    d->dgrams = calloc(max_datagrams, sizeof(struct dgram));
    d->buckets = malloc((size_t)nbuckets * sizeof(uint32_t));
    d->out = malloc(OUT_MAX);
    if (d->chunks == NULL || d->dgrams == NULL || d->buckets == NULL || d->out == NULL) {
        pktd_defrag_close(d);
        return pktd__errmsg(errbuf, "pktd_defrag_create: malloc", "tables", -ENOMEM);
    }
    d->hkey = key;
    d->nchunks = (uint32_t)nchunks;
    for (uint32_t i = 0; i < d->nchunks; i++)
        d->chunks[i].next = i + 1 < d->nchunks ? i + 1 : NIL;
    d->free_chunk = 0;
    d->ndgrams = max_datagrams;
    for (uint32_t i = 0; i < max_datagrams; i++)
        d->dgrams[i].hnext = i + 1 < max_datagrams ? i + 1 : NIL;
    d->free_dgram = 0;
    d->oldest = d->newest = NIL;
    for (uint32_t i = 0; i < nbuckets; i++)
        d->buckets[i] = NIL;
    d->bucket_mask = nbuckets - 1;
    d->max_fragments = max_fragments;
    d->timeout_ns = timeout_ns;
    d->allocated = fixed + nchunks * sizeof(struct chunk);
    *out = d;
    return 0;
}

void pktd_defrag_close(pktd_defrag *d)
{
    if (d == NULL)
        return;
    free(d->chunks);
    free(d->dgrams);
    free(d->buckets);
    free(d->out);
    free(d);
}

const char *pktd_defrag_errmsg(const pktd_defrag *d)
{
    return d == NULL ? "" : d->errmsg;
}

int pktd_defrag_stats(const pktd_defrag *d, uint64_t *stats, size_t n)
{
    if (d == NULL || (stats == NULL && n > 0))
        return PKTD_E_INVALID_ARGUMENT;
    for (size_t i = 0; i < n && i < PKTD_DEFRAG_STAT_COUNT; i++) {
        switch (i) {
        case PKTD_DEFRAG_STAT_BYTES_IN_USE:
            stats[i] = (uint64_t)d->used_chunks * sizeof(struct chunk);
            break;
        case PKTD_DEFRAG_STAT_BYTES_HIGH:
            stats[i] = (uint64_t)d->used_high * sizeof(struct chunk);
            break;
        case PKTD_DEFRAG_STAT_BYTES_POOL:
            stats[i] = (uint64_t)d->nchunks * sizeof(struct chunk);
            break;
        case PKTD_DEFRAG_STAT_BYTES_ALLOCATED:
            stats[i] = d->allocated;
            break;
        default:
            stats[i] = d->stats[i];
        }
    }
    return (int)PKTD_DEFRAG_STAT_COUNT;
}

int pktd_defrag_expire(pktd_defrag *d, uint64_t now_ns)
{
    if (d == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    return expire(d, now_ns);
}

/* ---- reading a fragment from the decoded packet ---- */

static uint32_t upper_min(uint32_t proto)
{
    switch (proto) {
    case PKTD__IPPROTO_TCP:
        return PKTD__TCP_MIN_HLEN;
    case PKTD__IPPROTO_UDP:
        return PKTD__UDP_HLEN;
    case PKTD__IPPROTO_ICMP:
    case PKTD__IPPROTO_ICMPV6:
        return PKTD__ICMP_HLEN;
    default:
        return 0;
    }
}

/* An IPv6 extension header's length (RFC 8200 4; AH: RFC 4302 2.2). */
static uint32_t ext_len(uint32_t nh, const uint8_t *e)
{
    if (nh == PKTD__IPPROTO_FRAGMENT)
        return PKTD__IPV6_FRAG_HLEN;
    if (nh == PKTD__IPPROTO_AH)
        return (e[1] + 2u) * 4u;
    return (e[1] + 1u) * 8u;
}

enum read_result { READ_FRAGMENT, READ_WHOLE, READ_ATOMIC, READ_TRUNCATED, READ_INVALID };

static enum read_result read_ipv4(const struct pktd__packet *s, uint64_t zone, struct frag *f)
{
    const uint8_t *h = pktd__l3(s);
    uint32_t hl = s->l3_hlen;
    uint32_t field = pktd__be16(h + 6);
    if ((field & (IPV4_MF | IPV4_OFFSET_MASK)) == 0)
        return READ_WHOLE;
    memset(f, 0, sizeof *f);
    f->key.zone = zone;
    f->key.version = 4;
    f->key.proto = h[9];
    f->key.id = pktd__be16(h + 4);
    memcpy(f->key.src, h + 12, 4);
    memcpy(f->key.dst, h + 16, 4);
    f->ip = h;
    f->data = h + hl;
    f->hdr_len = hl;
    f->off = (field & IPV4_OFFSET_MASK) * 8u;
    f->more = (field & IPV4_MF) != 0;
    f->frag_field = (uint16_t)field;
    f->tcp = h[9] == PKTD__IPPROTO_TCP;
    if ((s->ip_info & PKTD__IP_PAY_KNOWN) == 0)
        return READ_INVALID; /* total length 0: the length is not on the wire */
    f->len = s->ip_pay_len;
    if (s->l3_off + hl + f->len > s->ip_end)
        return READ_TRUNCATED;
    f->upper_min = upper_min(h[9]);
    f->upper_have = f->len;
    return READ_FRAGMENT;
}

static enum read_result read_ipv6(const struct pktd__packet *s, uint64_t zone, struct frag *f)
{
    if (pktd__ip6_frag_off(s) == 0)
        return READ_WHOLE; /* and with PKTD__IP6_NO_EXT, nothing below is read */
    const uint8_t *h = pktd__l3(s);
    const uint8_t *fh = s->data + pktd__ip6_frag_off(s);
    uint32_t field = pktd__be16(fh + 2);
    memset(f, 0, sizeof *f);
    f->key.zone = zone;
    f->key.version = 6;
    f->key.id = pktd__be32(fh + 4);
    memcpy(f->key.src, h + 8, 16);
    memcpy(f->key.dst, h + 24, 16);
    f->ip = h;
    f->hdr_len = pktd__ip6_frag_off(s) - s->l3_off;
    f->data = fh + PKTD__IPV6_FRAG_HLEN;
    f->off = field & 0xfff8u;
    f->more = (field & 1u) != 0;
    f->frag_nh = fh[0];
    f->tcp = pktd__ip6_upper(s) == PKTD__IPPROTO_TCP;
    /* The byte that names the fragment header: the fixed header's next
     * header, or the first byte of the extension header before it.  The
     * decode validated the chain; it is walked again to find that byte
     * and a second fragment header (nested fragmentation: never valid,
     * and its datagram would still be a fragment). */
    f->patch_off = 6;
    uint32_t nh = h[6];
    uint32_t pos = PKTD__IPV6_HLEN;
    uint32_t nfrag = 0;
    for (uint32_t k = 0; k < pktd__ip6_ext_count(s); k++) {
        const uint8_t *e = h + pos;
        if (nh == PKTD__IPPROTO_FRAGMENT)
            nfrag++;
        if (pos < f->hdr_len)
            f->patch_off = (uint16_t)pos;
        pos += ext_len(nh, e);
        nh = e[0];
    }
    if (nfrag > 1)
        return READ_INVALID;
    if ((s->ip_info & PKTD__IP_PAY_KNOWN) == 0)
        return READ_INVALID;
    uint64_t wire_end = (uint64_t)pktd__ip6_upper_off(s) + s->ip_pay_len;
    uint64_t data_off = pktd__ip6_frag_off(s) + PKTD__IPV6_FRAG_HLEN;
    f->len = (uint32_t)(wire_end - data_off);
    if (wire_end > s->ip_end)
        return READ_TRUNCATED;
    if (f->off == 0 && !f->more)
        return READ_ATOMIC;
    f->upper_min = upper_min(pktd__ip6_upper(s));
    f->upper_have = (uint32_t)(wire_end - pktd__ip6_upper_off(s));
    return READ_FRAGMENT;
}

/* ---- assembling ---- */

static void ipv4_finish(uint8_t *o, uint32_t hl, uint32_t total, uint16_t frag_field)
{
    o[2] = (uint8_t)(total >> 8);
    o[3] = (uint8_t)total;
    uint32_t keep = frag_field & 0xc000u; /* reserved bit and DF */
    o[6] = (uint8_t)(keep >> 8);
    o[7] = 0;
    o[10] = o[11] = 0;
    uint32_t sum = pktd__csum_fold(pktd__csum_sum(o, hl));
    sum = ~sum & 0xffffu;
    o[10] = (uint8_t)(sum >> 8);
    o[11] = (uint8_t)sum;
}

/* The datagram is complete: assemble it into the output buffer.  Returns
 * its length, or 0 when it would pass 65,535 bytes. */
static uint32_t assemble(pktd_defrag *d, const struct dgram *g)
{
    uint64_t total = (uint64_t)g->hdr_len + g->end;
    uint64_t limit = g->key.version == 4 ? 65535u : PKTD__IPV6_HLEN + 65535u;
    if (total > limit)
        return 0;
    uint8_t *o = d->out;
    piece_copy(d, g->hdr, o, g->hdr_len);
    for (uint32_t f = g->frags; f != NIL; f = d->chunks[f].frag_next)
        piece_copy(d, f, o + g->hdr_len + d->chunks[f].off, d->chunks[f].len);
    if (g->key.version == 4) {
        ipv4_finish(o, g->hdr_len, (uint32_t)total, g->frag_field);
    } else {
        uint32_t plen = (uint32_t)total - PKTD__IPV6_HLEN;
        o[4] = (uint8_t)(plen >> 8);
        o[5] = (uint8_t)plen;
        o[g->patch_off] = g->frag_nh;
    }
    return (uint32_t)total;
}

/* Where [off, end) goes among the held fragments: 0 (no overlap; *prevp
 * is the link to insert at), 1 (all its bytes are held: a duplicate), or -1
 * (overlaps in part). */
static int place(pktd_defrag *d, struct dgram *g, uint32_t off, uint32_t end, uint32_t **prevp)
{
    uint32_t *pp = &g->frags;
    while (*pp != NIL && d->chunks[*pp].off + d->chunks[*pp].len <= off)
        pp = &d->chunks[*pp].frag_next;
    *prevp = pp;
    if (*pp == NIL || d->chunks[*pp].off >= end)
        return 0;
    /* Overlap: a duplicate if a run of adjacent fragments covers it all. */
    uint32_t c = *pp;
    if (d->chunks[c].off > off)
        return -1;
    uint32_t covered_to = d->chunks[c].off + d->chunks[c].len;
    while (covered_to < end) {
        c = d->chunks[c].frag_next;
        if (c == NIL || d->chunks[c].off != covered_to)
            return -1;
        covered_to += d->chunks[c].len;
    }
    return 1;
}

static int add_fragment(pktd_defrag *d, const struct frag *f, uint64_t ts, const uint8_t **data,
                        size_t *len)
{
    uint64_t *st = d->stats;
    uint32_t end = f->off + f->len;
    /* RFC 791 / RFC 8200 4.5: every fragment but the last carries a
     * multiple of 8 bytes; none is empty.  (Linux trims an IPv4 one; a
     * sender never produces it, so it is dropped here.) */
    if (f->len == 0 || (f->more && f->len % 8 != 0)) {
        st[PKTD_DEFRAG_STAT_DROP_INVALID]++;
        return 0;
    }
    /* Ping of death: the datagram would pass 65,535 bytes whatever its
     * header (IPv4: at least 20 bytes of it; IPv6: the payload length). */
    if (end > (f->key.version == 4 ? 65535u - PKTD__IPV4_MIN_HLEN : 65535u)) {
        st[PKTD_DEFRAG_STAT_DROP_TOO_BIG]++;
        return 0;
    }
    /* RFC 1858 / RFC 3128 / RFC 7112: the first fragment holds the whole
     * transport header; TCP data at offset 8 could rewrite its flags. */
    if ((f->off == 0 && f->upper_have < f->upper_min) || (f->tcp && f->off == 8)) {
        st[PKTD_DEFRAG_STAT_DROP_TINY]++;
        return 0;
    }

    uint32_t i = dgram_find(d, &f->key);
    struct dgram *g = i == NIL ? NULL : &d->dgrams[i];
    if (g != NULL) {
        /* The end a last fragment set is final (teardrop-style fragments
         * ending elsewhere are dropped alone, as Linux does). */
        if (!f->more ? (end < g->end || (g->have_last && end != g->end))
                     : (g->have_last && end > g->end)) {
            st[PKTD_DEFRAG_STAT_DROP_INVALID]++;
            return 0;
        }
    }
    uint32_t *at = NULL;
    if (g != NULL) {
        int where = place(d, g, f->off, end, &at);
        if (where == 1) {
            st[PKTD_DEFRAG_STAT_DROP_DUPLICATE]++;
            return 0;
        }
        if (where < 0) {
            st[PKTD_DEFRAG_STAT_DROP_OVERLAP]++;
            dgram_drop(d, i, PKTD_DEFRAG_STAT_DROP_OVERLAP);
            return 0;
        }
        if (g->nfrags >= d->max_fragments) {
            st[PKTD_DEFRAG_STAT_DROP_TOO_MANY]++;
            dgram_drop(d, i, PKTD_DEFRAG_STAT_DROP_TOO_MANY);
            return 0;
        }
    }

    /* Room: the oldest other datagrams are evicted until it fits (creation
     * guaranteed that a datagram within the limits fits alone). */
    uint32_t need = chunks_for(f->len) + (f->off == 0 ? chunks_for(f->hdr_len) : 0);
    while (free_chunks(d) < need) {
        uint32_t victim = d->oldest;
        if (victim == i)
            victim = d->dgrams[victim].newer;
        if (victim == NIL) {
            /* Cannot happen within the limits create checked; counted all
             * the same rather than lost. */
            st[PKTD_DEFRAG_STAT_DROP_EVICTED]++;
            return 0;
        }
        dgram_drop(d, victim, PKTD_DEFRAG_STAT_DROP_EVICTED);
    }
    if (g == NULL) {
        i = dgram_new(d, &f->key, ts);
        g = &d->dgrams[i];
        place(d, g, f->off, end, &at);
    }

    uint32_t c = piece_store(d, f->data, f->len);
    d->chunks[c].off = f->off;
    d->chunks[c].len = f->len;
    d->chunks[c].frag_next = *at;
    *at = c;
    if (f->off == 0) {
        g->hdr = piece_store(d, f->ip, f->hdr_len);
        g->hdr_len = f->hdr_len;
        g->frag_field = f->frag_field;
        g->patch_off = f->patch_off;
        g->frag_nh = f->frag_nh;
    }
    g->nfrags++;
    st[PKTD_DEFRAG_STAT_HELD_FRAGMENTS]++;
    g->covered += f->len;
    if (end > g->end)
        g->end = end;
    if (!f->more)
        g->have_last = 1;

    if (!g->have_last || g->covered != g->end || g->hdr == NIL)
        return 0;
    uint32_t total = assemble(d, g);
    if (total == 0) {
        dgram_drop(d, i, PKTD_DEFRAG_STAT_DROP_TOO_BIG);
        return 0;
    }
    st[PKTD_DEFRAG_STAT_DATAGRAMS]++;
    st[PKTD_DEFRAG_STAT_REASSEMBLED] += g->nfrags;
    dgram_release(d, i);
    if (data != NULL)
        *data = d->out;
    if (len != NULL)
        *len = total;
    return 1;
}

int pktd_defrag_add(pktd_defrag *d, const pktd_packet *p, uint64_t zone, uint64_t ts_ns,
                    const uint8_t **data, size_t *len)
{
    if (d == NULL || p == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    const struct pktd__packet *s = pktd__cpkt(p);
    struct frag f;
    enum read_result r;
    if (pktd__has(s, PKTD_LAYER_IPV4))
        r = read_ipv4(s, zone, &f);
    else if (pktd__has(s, PKTD_LAYER_IPV6))
        r = read_ipv6(s, zone, &f);
    else
        return pktd__errmsgf(d->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "pktd_defrag_add: the packet has no IPv4 or IPv6 layer");
    expire(d, ts_ns);
    switch (r) {
    case READ_WHOLE:
        d->stats[PKTD_DEFRAG_STAT_WHOLE]++;
        if (data != NULL)
            *data = pktd__l3(s);
        if (len != NULL)
            *len = s->ip_end - s->l3_off;
        return 1;
    case READ_ATOMIC: {
        /* The packet without its fragment header. */
        uint8_t *o = d->out;
        memcpy(o, f.ip, f.hdr_len);
        memcpy(o + f.hdr_len, f.data, f.len);
        uint32_t plen = f.hdr_len - PKTD__IPV6_HLEN + f.len;
        o[4] = (uint8_t)(plen >> 8);
        o[5] = (uint8_t)plen;
        o[f.patch_off] = f.frag_nh;
        d->stats[PKTD_DEFRAG_STAT_ATOMIC]++;
        if (data != NULL)
            *data = o;
        if (len != NULL)
            *len = (size_t)f.hdr_len + f.len;
        return 1;
    }
    case READ_TRUNCATED:
        d->stats[PKTD_DEFRAG_STAT_FRAGMENTS]++;
        d->stats[PKTD_DEFRAG_STAT_DROP_TRUNCATED]++;
        return 0;
    case READ_INVALID:
        d->stats[PKTD_DEFRAG_STAT_FRAGMENTS]++;
        d->stats[PKTD_DEFRAG_STAT_DROP_INVALID]++;
        return 0;
    case READ_FRAGMENT:
    default:
        d->stats[PKTD_DEFRAG_STAT_FRAGMENTS]++;
        return add_fragment(d, &f, ts_ns, data, len);
    }
}
