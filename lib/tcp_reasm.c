/* TCP stream reassembly (tcp_reasm.h): per direction, the next byte to
 * deliver and a list of held out-of-order chunks, sorted by stream offset
 * and never overlapping; one arena of fixed chunks shared by every
 * connection, with a free list and an arrival-order list (to pick whom to
 * give up on when it is full).  Stream offsets are 64-bit: a sequence
 * number is turned into an offset once, in serial arithmetic against the
 * next expected byte, so nothing after that compares sequence numbers
 * (doc/design.md, "TCP stream reassembly (1.1)"). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/tcp.h>
#include <pktdecode/tcp_reasm.h>

#include "errmsg.h"
#include "packet_impl.h"

#define NIL UINT32_MAX
#define CHUNK PKTD_TCP_REASM_CHUNK
#define MAX_CAPACITY (1u << 24)

enum { H_UNUSED = 0, H_OPEN, H_ENDED };

struct chunk {
    uint64_t off;    /* stream offset of data[0] */
    uint32_t next;   /* next held chunk of the same direction (offset order) */
    uint32_t older;  /* arrival list: the chunk allocated before this one */
    uint32_t newer;  /* ... and after */
    uint32_t owner;  /* direction: flow_id * 2 + dir */
    uint32_t len;    /* 1 ... CHUNK bytes used */
    uint8_t data[CHUNK];
};

struct half {
    uint64_t next_off; /* next byte to deliver */
    uint64_t fin_off;  /* stream offset of the FIN (valid with fin) */
    uint32_t base;     /* sequence number of stream offset 0 */
    uint32_t head;     /* first held chunk, NIL if none */
    uint32_t tail;     /* last held chunk */
    uint8_t state;     /* H_* */
    uint8_t fin;
    uint64_t c[PKTD_TCP_REASM_FLOW_COUNT];
};

struct pktd_tcp_reasm {
    pktd_tcp_reasm_fn fn;
    void *user;
    uint32_t capacity;
    uint32_t nchunks;
    uint32_t nfree;
    uint32_t free_head;
    uint32_t oldest; /* arrival list ends */
    uint32_t newest;
    struct half *halves; /* 2 * capacity */
    struct chunk *chunks;
    int in_callback;   /* the callback is running: add and flush refuse */
    int close_pending; /* pktd_tcp_reasm_close() was called from it */
    uint64_t st[PKTD_TCP_REASM_STAT_COUNT];
    char errmsg[PKTD_ERRBUF_SIZE];
};

int pktd_tcp_reasm_create(pktd_tcp_reasm **out, uint32_t capacity, size_t budget,
                          pktd_tcp_reasm_fn fn, void *user, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_create: out is NULL");
    *out = NULL;
    if (fn == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_create: the callback is NULL");
    if (capacity == 0 || capacity > MAX_CAPACITY)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_create: capacity %u is not in 1 ... %u", capacity,
                             MAX_CAPACITY);
    size_t n = budget / sizeof(struct chunk);
    if (n >= NIL)
        n = NIL - 1;
    struct pktd_tcp_reasm *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return pktd__errmsgf(errbuf, -ENOMEM, "pktd_tcp_reasm_create: calloc(%zu bytes): %s",
                             sizeof(*r), pktd_strerror(-ENOMEM));
    r->halves = calloc((size_t)capacity * 2, sizeof(*r->halves));
    r->chunks = n != 0 ? malloc(n * sizeof(*r->chunks)) : NULL;
    if (r->halves == NULL || (n != 0 && r->chunks == NULL)) {
        pktd_tcp_reasm_close(r);
        return pktd__errmsgf(errbuf, -ENOMEM,
                             "pktd_tcp_reasm_create: calloc/malloc for %u connections and a "
                             "%zu-byte budget: %s",
                             capacity, budget, pktd_strerror(-ENOMEM));
    }
    r->fn = fn;
    r->user = user;
    r->capacity = capacity;
    r->nchunks = (uint32_t)n;
    r->nfree = (uint32_t)n;
    for (uint32_t i = 0; i < r->nchunks; i++)
        r->chunks[i].next = i + 1 < r->nchunks ? i + 1 : NIL;
    r->free_head = n != 0 ? 0 : NIL;
    r->oldest = r->newest = NIL;
    for (size_t i = 0; i < (size_t)capacity * 2; i++)
        r->halves[i].head = r->halves[i].tail = NIL;
    *out = r;
    return 0;
}

void pktd_tcp_reasm_close(pktd_tcp_reasm *r)
{
    if (r == NULL)
        return;
    /* From inside the callback the call that ran it still walks the
     * handle: it frees it on its way out (settle()). */
    if (r->in_callback) {
        r->close_pending = 1;
        return;
    }
    free(r->chunks);
    free(r->halves);
    free(r);
}

const char *pktd_tcp_reasm_errmsg(const pktd_tcp_reasm *r)
{
    return r != NULL ? r->errmsg : "";
}

static void mem_changed(struct pktd_tcp_reasm *r)
{
    uint64_t used = (uint64_t)(r->nchunks - r->nfree) * sizeof(struct chunk);
    r->st[PKTD_TCP_REASM_STAT_MEM_USED] = used;
    if (used > r->st[PKTD_TCP_REASM_STAT_MEM_PEAK])
        r->st[PKTD_TCP_REASM_STAT_MEM_PEAK] = used;
}

static uint32_t chunk_alloc(struct pktd_tcp_reasm *r, uint32_t owner)
{
    uint32_t k = r->free_head;
    struct chunk *c = &r->chunks[k];
    r->free_head = c->next;
    r->nfree--;
    c->owner = owner;
    c->len = 0;
    c->newer = NIL;
    c->older = r->newest;
    if (r->newest != NIL)
        r->chunks[r->newest].newer = k;
    else
        r->oldest = k;
    r->newest = k;
    mem_changed(r);
    return k;
}

/* Free the first held chunk of h. */
static void pop_head(struct pktd_tcp_reasm *r, struct half *h)
{
    uint32_t k = h->head;
    struct chunk *c = &r->chunks[k];
    h->head = c->next;
    if (h->head == NIL)
        h->tail = NIL;
    h->c[PKTD_TCP_REASM_FLOW_HELD_BYTES] -= c->len;
    r->st[PKTD_TCP_REASM_STAT_HELD_BYTES] -= c->len;
    if (c->older != NIL)
        r->chunks[c->older].newer = c->newer;
    else
        r->oldest = c->newer;
    if (c->newer != NIL)
        r->chunks[c->newer].older = c->older;
    else
        r->newest = c->older;
    c->next = r->free_head;
    r->free_head = k;
    r->nfree++;
    mem_changed(r);
}

static void emit(struct pktd_tcp_reasm *r, uint32_t event, uint32_t hid, uint64_t off,
                 const uint8_t *data, size_t len)
{
    struct half *h = &r->halves[hid];
    if (event == PKTD_TCP_REASM_DATA) {
        if (len == 0)
            return;
        h->c[PKTD_TCP_REASM_FLOW_DELIVERED] += len;
        r->st[PKTD_TCP_REASM_STAT_DELIVERED] += len;
    } else if (event == PKTD_TCP_REASM_GAP) {
        if (len == 0)
            return;
        h->c[PKTD_TCP_REASM_FLOW_GAP_BYTES] += len;
        r->st[PKTD_TCP_REASM_STAT_GAP_BYTES] += len;
    }
    r->in_callback = 1;
    r->fn(r->user, event, hid >> 1, hid & 1, off, data, len);
    r->in_callback = 0;
}

/* The way out of add and flush: a close asked for inside the callback
 * happens here, and the call says so. */
static int settle(struct pktd_tcp_reasm *r, int rc)
{
    if (r->close_pending) {
        r->close_pending = 0;
        pktd_tcp_reasm_close(r);
        return PKTD_E_BAD_STATE;
    }
    return rc;
}

/* add and flush from inside the callback would free chunks the running
 * call still holds. */
static int refuse_reentry(struct pktd_tcp_reasm *r, const char *call)
{
    return pktd__errmsgf(r->errmsg, PKTD_E_BAD_STATE, "%s: called from the callback", call);
}

static void count_overlap(struct pktd_tcp_reasm *r, struct half *h, uint64_t bytes, int differs)
{
    h->c[PKTD_TCP_REASM_FLOW_OVERLAP_BYTES] += bytes;
    r->st[PKTD_TCP_REASM_STAT_OVERLAP_BYTES] += bytes;
    if (differs) {
        h->c[PKTD_TCP_REASM_FLOW_OVERLAP_DIFFS]++;
        r->st[PKTD_TCP_REASM_STAT_OVERLAP_DIFFS]++;
    }
}

/* Deliver the held chunks that are now in order. */
static void deliver_held(struct pktd_tcp_reasm *r, uint32_t hid)
{
    struct half *h = &r->halves[hid];
    while (h->head != NIL && r->chunks[h->head].off <= h->next_off) {
        struct chunk *c = &r->chunks[h->head];
        uint64_t end = c->off + c->len;
        if (end > h->next_off) {
            uint64_t skip = h->next_off - c->off;
            emit(r, PKTD_TCP_REASM_DATA, hid, h->next_off, c->data + skip, c->len - skip);
            h->next_off = end;
        }
        pop_head(r, h);
    }
}

/* Give up waiting for the hole before the first held chunk: a gap, then
 * what is in order after it. */
static void skip_hole(struct pktd_tcp_reasm *r, uint32_t hid, uint64_t to)
{
    struct half *h = &r->halves[hid];
    if (to > h->next_off) {
        emit(r, PKTD_TCP_REASM_GAP, hid, h->next_off, NULL, to - h->next_off);
        h->next_off = to;
    }
    deliver_held(r, hid);
}

static void end_half(struct pktd_tcp_reasm *r, uint32_t hid, uint32_t reason)
{
    struct half *h = &r->halves[hid];
    while (h->head != NIL)
        skip_hole(r, hid, r->chunks[h->head].off);
    if (h->fin) {
        skip_hole(r, hid, h->fin_off);
        reason = PKTD_TCP_REASM_END_FIN;
    }
    h->state = H_ENDED;
    emit(r, PKTD_TCP_REASM_END, hid, h->next_off, NULL, reason);
}

static void check_fin(struct pktd_tcp_reasm *r, uint32_t hid)
{
    struct half *h = &r->halves[hid];
    if (h->state == H_OPEN && h->fin && h->next_off >= h->fin_off)
        end_half(r, hid, PKTD_TCP_REASM_END_FIN);
}

/* The segment [o, o + len) starts at or before the next byte and ends after
 * it: deliver it, letting held chunks (first seen) win where they overlap. */
static void deliver_segment(struct pktd_tcp_reasm *r, uint32_t hid, uint64_t o,
                            const uint8_t *data, size_t len)
{
    struct half *h = &r->halves[hid];
    uint64_t end = o + len;
    if (o < h->next_off)
        count_overlap(r, h, h->next_off - o, 0); /* already delivered: not kept to compare */
    uint64_t cur = h->next_off;
    while (cur < end) {
        uint32_t k = h->head;
        if (k != NIL && r->chunks[k].off <= cur) {
            struct chunk *c = &r->chunks[k];
            uint64_t cend = c->off + c->len;
            uint64_t ov_end = cend < end ? cend : end;
            size_t n = (size_t)(ov_end - cur);
            count_overlap(r, h, n, memcmp(c->data + (cur - c->off), data + (cur - o), n) != 0);
            if (cend > cur)
                emit(r, PKTD_TCP_REASM_DATA, hid, cur, c->data + (cur - c->off),
                     (size_t)(cend - cur));
            cur = cend > cur ? cend : cur;
            h->next_off = cur;
            pop_head(r, h);
        } else {
            uint64_t lim = k != NIL && r->chunks[k].off < end ? r->chunks[k].off : end;
            emit(r, PKTD_TCP_REASM_DATA, hid, cur, data + (cur - o), (size_t)(lim - cur));
            cur = lim;
            h->next_off = cur;
        }
    }
    deliver_held(r, hid);
}

/* Hold the parts of [o, o + len) (after the next byte) that no held chunk
 * covers.  With dry set, only count the chunks that takes; otherwise store
 * (the caller made sure that many are free) and count the overlaps. */
static uint32_t hold(struct pktd_tcp_reasm *r, uint32_t hid, uint64_t o, const uint8_t *data,
                     size_t len, int dry)
{
    struct half *h = &r->halves[hid];
    uint64_t end = o + len, cur = o, prev_end = 0;
    uint32_t prev = NIL, k = h->head, need = 0, room = 0;
    int have_prev; /* prev_end and room describe a chunk (in a dry run, maybe one not made) */
    if (h->tail != NIL && r->chunks[h->tail].off + r->chunks[h->tail].len <= o) {
        prev = h->tail; /* the usual case: after everything held */
        k = NIL;
    }
    if (prev != NIL) {
        prev_end = r->chunks[prev].off + r->chunks[prev].len;
        room = CHUNK - r->chunks[prev].len;
    }
    have_prev = prev != NIL;
    while (cur < end) {
        while (k != NIL && r->chunks[k].off + r->chunks[k].len <= cur) {
            prev = k;
            prev_end = r->chunks[k].off + r->chunks[k].len;
            room = CHUNK - r->chunks[k].len;
            have_prev = 1;
            k = r->chunks[k].next;
        }
        if (k != NIL && r->chunks[k].off <= cur) {
            struct chunk *c = &r->chunks[k];
            uint64_t cend = c->off + c->len;
            uint64_t ov_end = cend < end ? cend : end;
            size_t n = (size_t)(ov_end - cur);
            if (!dry)
                count_overlap(r, h, n,
                              memcmp(c->data + (cur - c->off), data + (cur - o), n) != 0);
            cur = ov_end;
            continue;
        }
        uint64_t lim = k != NIL && r->chunks[k].off < end ? r->chunks[k].off : end;
        while (cur < lim) {
            size_t n;
            if (have_prev && prev_end == cur && room > 0) {
                n = (size_t)(lim - cur) < room ? (size_t)(lim - cur) : room;
                if (!dry) {
                    struct chunk *p = &r->chunks[prev];
                    memcpy(p->data + p->len, data + (cur - o), n);
                    p->len += (uint32_t)n;
                }
                room -= (uint32_t)n;
            } else {
                n = (size_t)(lim - cur) < CHUNK ? (size_t)(lim - cur) : CHUNK;
                need++;
                if (!dry) {
                    uint32_t nk = chunk_alloc(r, hid);
                    struct chunk *c = &r->chunks[nk];
                    c->off = cur;
                    c->len = (uint32_t)n;
                    memcpy(c->data, data + (cur - o), n);
                    c->next = k;
                    if (prev == NIL)
                        h->head = nk;
                    else
                        r->chunks[prev].next = nk;
                    if (k == NIL)
                        h->tail = nk;
                    prev = nk;
                }
                room = CHUNK - (uint32_t)n;
                have_prev = 1;
            }
            if (!dry) {
                h->c[PKTD_TCP_REASM_FLOW_HELD_BYTES] += n;
                r->st[PKTD_TCP_REASM_STAT_HELD_BYTES] += n;
            }
            cur += n;
            prev_end = cur;
        }
    }
    return need;
}

/* Place the payload [off, off + len) of direction hid. */
static void segment_in(struct pktd_tcp_reasm *r, uint32_t hid, int64_t off, const uint8_t *data,
                       size_t len)
{
    struct half *h = &r->halves[hid];
    if (off < 0) {
        uint64_t before = (uint64_t)-off;
        uint64_t drop = before < len ? before : len;
        r->st[PKTD_TCP_REASM_STAT_OLD_BYTES] += drop;
        data += drop;
        len -= (size_t)drop;
        off = 0;
    }
    if (len == 0)
        return;
    uint64_t o = (uint64_t)off;
    for (;;) {
        if (o + len <= h->next_off) {
            count_overlap(r, h, len, 0); /* a retransmission of delivered bytes */
            return;
        }
        if (o <= h->next_off) {
            deliver_segment(r, hid, o, data, len);
            return;
        }
        uint32_t need = hold(r, hid, o, data, len, 1);
        if (need <= r->nfree) {
            hold(r, hid, o, data, len, 0);
            return;
        }
        /* The arena is full: the direction holding the oldest chunk stops
         * waiting for its first hole; with nothing held at all (a segment
         * larger than the whole budget), this direction skips to it. */
        r->st[PKTD_TCP_REASM_STAT_BUDGET_SKIPS]++;
        if (r->oldest == NIL) {
            skip_hole(r, hid, o);
            continue;
        }
        uint32_t victim = r->chunks[r->oldest].owner;
        skip_hole(r, victim, r->chunks[r->halves[victim].head].off);
        if (victim != hid)
            check_fin(r, victim);
    }
}

static int bad(struct pktd_tcp_reasm *r, const char *what)
{
    return pktd__errmsgf(r->errmsg, PKTD_E_INVALID_ARGUMENT, "pktd_tcp_reasm_add: %s", what);
}

static int add_segment(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir, const pktd_packet *p);

int pktd_tcp_reasm_add(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir, const pktd_packet *p,
                       uint64_t ts_ns)
{
    (void)ts_ns;
    if (r == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (r->in_callback)
        return refuse_reentry(r, "pktd_tcp_reasm_add");
    return settle(r, add_segment(r, flow_id, dir, p));
}

static int add_segment(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir, const pktd_packet *p)
{
    if (p == NULL)
        return bad(r, "the packet is NULL");
    if (flow_id >= r->capacity)
        return pktd__errmsgf(r->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_add: flow id %u is not below the capacity %u",
                             flow_id, r->capacity);
    if (dir > 1)
        return pktd__errmsgf(r->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_add: direction %u is not 0 or 1", dir);
    const struct pktd__packet *s = pktd__cpkt(p);
    if (!pktd__has(s, PKTD_LAYER_TCP))
        return bad(r, "the packet has no decoded TCP header");
    const uint8_t *tcp = pktd__l4(s);
    uint8_t flags = tcp[13];
    uint32_t seq = pktd__be32(tcp + 4);
    const uint8_t *data = s->data + s->payload_off;
    size_t len = s->payload_len;
    /* The payload the IP header announces: bytes beyond the captured ones
     * are missing, and the FIN comes after them. */
    uint64_t wire_len = len;
    if ((s->ip_info & PKTD__IP_SEG_COMPLETE) != 0 && s->ip_pay_len >= s->l4_hlen &&
        s->ip_pay_len - s->l4_hlen > len)
        wire_len = s->ip_pay_len - s->l4_hlen;

    uint32_t hid = flow_id * 2 + dir;
    struct half *h = &r->halves[hid];
    r->st[PKTD_TCP_REASM_STAT_SEGMENTS]++;
    h->c[PKTD_TCP_REASM_FLOW_SEGMENTS]++;
    if (h->state == H_ENDED) {
        r->st[PKTD_TCP_REASM_STAT_LATE]++;
        return 0;
    }
    if (h->state == H_UNUSED) {
        h->state = H_OPEN;
        h->next_off = 0;
        h->fin = 0;
        if (flags & PKTD_TCP_SYN) {
            h->base = seq + 1;
            h->c[PKTD_TCP_REASM_FLOW_MIDSTREAM] = 0;
        } else {
            h->base = seq;
            h->c[PKTD_TCP_REASM_FLOW_MIDSTREAM] = 1;
        }
    }
    uint32_t data_seq = seq + ((flags & PKTD_TCP_SYN) ? 1u : 0u);
    /* Serial arithmetic: the offset within 2^31 of the next expected byte. */
    uint32_t rel = data_seq - h->base;
    int64_t off = (int64_t)h->next_off + (int32_t)(rel - (uint32_t)h->next_off);
    segment_in(r, hid, off, data, len);
    if ((flags & PKTD_TCP_FIN) && !h->fin && off + (int64_t)wire_len >= 0) {
        h->fin = 1;
        h->fin_off = (uint64_t)(off + (int64_t)wire_len);
    }
    if (flags & PKTD_TCP_RST) {
        for (uint32_t d = 0; d < 2; d++)
            if (r->halves[flow_id * 2 + d].state == H_OPEN)
                end_half(r, flow_id * 2 + d, PKTD_TCP_REASM_END_RST);
        return 0;
    }
    check_fin(r, hid);
    return 0;
}

static int flush_flow(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t reason);

int pktd_tcp_reasm_flush(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t reason)
{
    if (r == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (r->in_callback)
        return refuse_reentry(r, "pktd_tcp_reasm_flush");
    return settle(r, flush_flow(r, flow_id, reason));
}

static int flush_flow(pktd_tcp_reasm *r, uint32_t flow_id, uint32_t reason)
{
    if (flow_id >= r->capacity || (reason != PKTD_TCP_REASM_END_FLUSHED &&
                                   reason != PKTD_TCP_REASM_END_EVICTED))
        return pktd__errmsgf(r->errmsg, PKTD_E_INVALID_ARGUMENT,
                             "pktd_tcp_reasm_flush: flow id %u (capacity %u) or reason %u "
                             "out of range",
                             flow_id, r->capacity, reason);
    for (uint32_t d = 0; d < 2; d++)
        if (r->halves[flow_id * 2 + d].state == H_OPEN)
            end_half(r, flow_id * 2 + d, reason);
    for (uint32_t d = 0; d < 2; d++) {
        struct half *h = &r->halves[flow_id * 2 + d];
        memset(h, 0, sizeof(*h));
        h->head = h->tail = NIL;
    }
    return 0;
}

int pktd_tcp_reasm_flow_stats(const pktd_tcp_reasm *r, uint32_t flow_id, uint32_t dir,
                              uint64_t *stats, size_t n)
{
    if (r == NULL || flow_id >= r->capacity || dir > 1 || (stats == NULL && n != 0))
        return PKTD_E_INVALID_ARGUMENT;
    const struct half *h = &r->halves[flow_id * 2 + dir];
    for (size_t i = 0; i < n && i < PKTD_TCP_REASM_FLOW_COUNT; i++)
        stats[i] = h->c[i];
    return PKTD_TCP_REASM_FLOW_COUNT;
}

int pktd_tcp_reasm_stats(const pktd_tcp_reasm *r, uint64_t *stats, size_t n)
{
    if (r == NULL || (stats == NULL && n != 0))
        return PKTD_E_INVALID_ARGUMENT;
    for (size_t i = 0; i < n && i < PKTD_TCP_REASM_STAT_COUNT; i++)
        stats[i] = r->st[i];
    return PKTD_TCP_REASM_STAT_COUNT;
}
