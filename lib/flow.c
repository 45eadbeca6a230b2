/* The flow table (flow.h; doc/design.md, "Flow table (1.1)").
 *
 * One allocation at creation holds everything: the flow records (indexed
 * by flow id), the bucket heads and the handle.  A record is on at most one
 * of two lists: the free list (through `hnext`), or a hash chain plus two
 * doubly linked lists, one in order of last update (the LRU list: its head
 * is the flow idle longest, which idle expiry and eviction take) and one in
 * order of creation (the age list: its head is the oldest flow, which the
 * active timeout takes, and flush walks it to export in first-packet order).
 * The LRU order is kept lazily ("second chance"): an update only sets the
 * flow's `touched` flag, in the record it already reads, instead of
 * unlinking it and linking it at the tail (which touched two or three other
 * records, each a likely cache miss in a large table); a touched flow found
 * at the head is moved to the tail then.  Each move pays for an update, so
 * every operation is amortized O(1) besides the hash chain walk, whose
 * length the keyed hash keeps short: at most 0.5 flows per bucket on
 * average, and a chain longer than a few flows needs an attacker who knows
 * the key. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/eth.h>
#include <pktdecode/flow.h>
#include <pktdecode/ipv4.h>
#include <pktdecode/ipv6.h>
#include <pktdecode/tcp.h>
#include <pktdecode/udp.h>

#include "errmsg.h"
#include "flow_int.h"
#include "keyhash.h"
#include "proto.h"

#define NIL UINT32_MAX
#define MAX_CAPACITY (1u << 24)

#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_ACK 0x10u

/* The canonical key: the two endpoints in a fixed order (the smaller
 * address/port pair first), so both directions give the same bytes.  64
 * bytes, no padding, hashed whole. */
struct flow_key {
    uint64_t zone;
    uint8_t addr[2][16]; /* IPv4: the 4 bytes in network order, then zeros */
    uint16_t port[2];
    uint16_t vlan[PKTD_VLAN_MAX_DEPTH];
    uint8_t proto;
    uint8_t version;
    uint8_t nvlan;
    uint8_t pad;
};
_Static_assert(sizeof(struct flow_key) == 64, "flow key has no padding");

struct pktd_flow {
    struct flow_key key;
    uint64_t first_ns, last_ns;
    uint64_t pkts[2], bytes[2];
    uint64_t hash;
    uint32_t id;
    uint32_t hnext;              /* hash chain, or free list */
    uint32_t lru_prev, lru_next; /* order of last update */
    uint32_t age_prev, age_next; /* order of creation */
    uint8_t src_is_lo;           /* key.addr[0] is the first sender */
    uint8_t tcp_flags[2];
    uint8_t tcp_state;
    uint8_t closed_by; /* PKTD_FLOW_END_FIN/RST once the connection closed */
    uint8_t end;
    uint8_t live;
    uint8_t touched; /* updated since it was last placed at the LRU tail */
};

struct list {
    uint32_t head, tail;
};

struct pktd_flow_table {
    struct pktd_flow *flows;
    uint32_t *buckets;
    uint32_t capacity, mask, count;
    uint32_t free_head;
    struct list lru, age;
    uint64_t idle_ns, active_ns;
    struct pktd__hashkey key;
    pktd_flow_export_fn export_fn;
    void *export_user;
    int in_export;
    int close_pending; /* pktd_flow_table_close() was called from the callback */
    uint64_t stats[PKTD_FLOW_STAT_COUNT];
    char errmsg[PKTD_ERRBUF_SIZE];
};

/* ---- the two ordered lists (links are chosen by offset) ---------------- */

#define LINK_PREV(t, i, which) (*(which ? &(t)->flows[i].age_prev : &(t)->flows[i].lru_prev))
#define LINK_NEXT(t, i, which) (*(which ? &(t)->flows[i].age_next : &(t)->flows[i].lru_next))

static void list_append(pktd_flow_table *t, struct list *l, int which, uint32_t i)
{
    LINK_PREV(t, i, which) = l->tail;
    LINK_NEXT(t, i, which) = NIL;
    if (l->tail != NIL)
        LINK_NEXT(t, l->tail, which) = i;
    else
        l->head = i;
    l->tail = i;
}

static void list_remove(pktd_flow_table *t, struct list *l, int which, uint32_t i)
{
    uint32_t prev = LINK_PREV(t, i, which), next = LINK_NEXT(t, i, which);
    if (prev != NIL)
        LINK_NEXT(t, prev, which) = next;
    else
        l->head = next;
    if (next != NIL)
        LINK_PREV(t, next, which) = prev;
    else
        l->tail = prev;
}

#define LRU 0
#define AGE 1

/* ---- creation ---------------------------------------------------------- */

int pktd_flow_table_create(pktd_flow_table **out, uint32_t capacity, uint64_t idle_timeout_ns,
                           uint64_t active_timeout_ns, char *errbuf)
{
    if (out == NULL)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT, "pktd_flow_table_create: out is NULL");
    *out = NULL;
    if (capacity == 0 || capacity > MAX_CAPACITY)
        return pktd__errmsgf(errbuf, PKTD_E_INVALID_ARGUMENT,
                             "pktd_flow_table_create: capacity %u is not in 1 ... %u", capacity,
                             MAX_CAPACITY);
    /* Buckets: the power of two at or above twice the capacity (load <= 0.5). */
    uint32_t nbuckets = 2;
    while (nbuckets < 2u * capacity)
        nbuckets <<= 1;

    size_t flows_off = (sizeof(pktd_flow_table) + 63u) & ~(size_t)63u;
    size_t buckets_off = flows_off + (size_t)capacity * sizeof(struct pktd_flow);
    size_t total = buckets_off + (size_t)nbuckets * sizeof(uint32_t);
    uint8_t *mem = aligned_alloc(64, (total + 63u) & ~(size_t)63u);
    if (mem == NULL)
        return pktd__errmsg(errbuf, "aligned_alloc", "flow table", -ENOMEM);
    memset(mem, 0, sizeof(pktd_flow_table));
    pktd_flow_table *t = (pktd_flow_table *)mem;
    t->flows = (struct pktd_flow *)(mem + flows_off);
    t->buckets = (uint32_t *)(mem + buckets_off);
    t->capacity = capacity;
    t->mask = nbuckets - 1u;
    t->idle_ns = idle_timeout_ns;
    t->active_ns = active_timeout_ns;
    int rc = pktd__hashkey_random(&t->key);
    if (rc < 0) {
        free(mem);
        return pktd__errmsg(errbuf, "getrandom", "flow table hash key", rc);
    }
    memset(t->buckets, 0xff, (size_t)nbuckets * sizeof(uint32_t));
    memset(t->flows, 0, (size_t)capacity * sizeof(struct pktd_flow));
    /* Free list in id order, so a fresh table hands out 0, 1, 2 ... */
    for (uint32_t i = 0; i < capacity; i++) {
        t->flows[i].id = i;
        t->flows[i].hnext = i + 1u < capacity ? i + 1u : NIL;
    }
    t->free_head = 0;
    t->lru.head = t->lru.tail = NIL;
    t->age.head = t->age.tail = NIL;
    *out = t;
    return 0;
}

void pktd_flow_table_close(pktd_flow_table *t)
{
    /* From inside the export callback the table is still being walked by
     * the call that ran the callback: that call frees it on its way out
     * (settle()). */
    if (t != NULL && t->in_export) {
        t->close_pending = 1;
        return;
    }
    free(t);
}

/* The way out of every call that can run the export callback: a close
 * asked for inside it happens here, and the call says so. */
static int settle(pktd_flow_table *t, int rc)
{
    if (t->close_pending) {
        free(t);
        return PKTD_E_BAD_STATE;
    }
    return rc;
}

int pktd_flow_table_set_export(pktd_flow_table *t, pktd_flow_export_fn fn, void *user)
{
    if (t == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (t->in_export)
        return pktd__errmsgf(t->errmsg, PKTD_E_BAD_STATE,
                             "pktd_flow_table_set_export: called from the export callback");
    t->export_fn = fn;
    t->export_user = user;
    return 0;
}

/* ---- ending a flow ----------------------------------------------------- */

static const uint32_t end_stat[PKTD_FLOW_END_COUNT] = {
    [PKTD_FLOW_END_FIN] = PKTD_FLOW_STAT_END_FIN,
    [PKTD_FLOW_END_RST] = PKTD_FLOW_STAT_END_RST,
    [PKTD_FLOW_END_IDLE] = PKTD_FLOW_STAT_END_IDLE,
    [PKTD_FLOW_END_ACTIVE] = PKTD_FLOW_STAT_END_ACTIVE,
    [PKTD_FLOW_END_EVICTED] = PKTD_FLOW_STAT_END_EVICTED,
    [PKTD_FLOW_END_EOF] = PKTD_FLOW_STAT_END_EOF,
};

/* Exports flow i (a closed TCP connection ends as it closed, whatever
 * noticed it), then unlinks it and returns its id to the free list. */
static void end_flow(pktd_flow_table *t, uint32_t i, uint32_t end)
{
    struct pktd_flow *f = &t->flows[i];
    if (f->closed_by != 0)
        end = f->closed_by;
    f->end = (uint8_t)end;
    t->stats[end_stat[end]]++;
    if (t->export_fn != NULL) {
        t->in_export = 1;
        t->export_fn(t->export_user, f);
        t->in_export = 0;
    }
    uint32_t *link = &t->buckets[f->hash & t->mask];
    while (*link != i)
        link = &t->flows[*link].hnext;
    *link = f->hnext;
    list_remove(t, &t->lru, LRU, i);
    list_remove(t, &t->age, AGE, i);
    f->live = 0;
    f->hnext = t->free_head;
    t->free_head = i;
    t->count--;
}

static int idle_passed(const pktd_flow_table *t, const struct pktd_flow *f, uint64_t now)
{
    return t->idle_ns != 0 && now > f->last_ns && now - f->last_ns > t->idle_ns;
}

static int active_passed(const pktd_flow_table *t, const struct pktd_flow *f, uint64_t now)
{
    return t->active_ns != 0 && now > f->first_ns && now - f->first_ns > t->active_ns;
}

/* The least recently updated flow: touched flows at the head go to the
 * tail first (second chance).  NIL when the table is empty. */
static uint32_t lru_head(pktd_flow_table *t)
{
    uint32_t h;
    while ((h = t->lru.head) != NIL && t->flows[h].touched) {
        t->flows[h].touched = 0;
        list_remove(t, &t->lru, LRU, h);
        list_append(t, &t->lru, LRU, h);
    }
    return h;
}

/* Ends the flows at the heads of the two lists while their timeout has
 * passed.  Capture time that goes backwards can leave a flow that has
 * expired behind one that has not; it ends when it reaches the head, or at
 * its own next packet (update checks the flow it finds). */
static int expire(pktd_flow_table *t, uint64_t now)
{
    int n = 0;
    uint32_t h;
    while (!t->close_pending && t->idle_ns != 0 && (h = lru_head(t)) != NIL &&
           idle_passed(t, &t->flows[h], now)) {
        end_flow(t, h, PKTD_FLOW_END_IDLE);
        n++;
    }
    while (!t->close_pending && t->age.head != NIL &&
           active_passed(t, &t->flows[t->age.head], now)) {
        end_flow(t, t->age.head, PKTD_FLOW_END_ACTIVE);
        n++;
    }
    return n;
}

int pktd_flow_table_expire(pktd_flow_table *t, uint64_t now_ns)
{
    if (t == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (t->in_export)
        return pktd__errmsgf(t->errmsg, PKTD_E_BAD_STATE,
                             "pktd_flow_table_expire: called from the export callback");
    int n = expire(t, now_ns);
    return settle(t, n);
}

int pktd_flow_table_flush(pktd_flow_table *t)
{
    if (t == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (t->in_export)
        return pktd__errmsgf(t->errmsg, PKTD_E_BAD_STATE,
                             "pktd_flow_table_flush: called from the export callback");
    int n = 0;
    while (!t->close_pending && t->age.head != NIL) {
        end_flow(t, t->age.head, PKTD_FLOW_END_EOF);
        n++;
    }
    return settle(t, n);
}

/* ---- keying a packet --------------------------------------------------- */

/* Fills the canonical key of p; returns 1 and whether the sender is the
 * key's first endpoint, or 0 (no key) after counting why. */
static int make_key(pktd_flow_table *t, const pktd_packet *p, uint64_t zone, struct flow_key *k,
                    int *sender_is_lo)
{
    uint8_t src[16] = {0}, dst[16] = {0};
    uint16_t sport = 0, dport = 0;
    uint8_t proto;

    memset(k, 0, sizeof *k);
    if (pktd_packet_has(p, PKTD_LAYER_IPV4)) {
        uint32_t s = pktd_ipv4_src(p), d = pktd_ipv4_dst(p);
        for (unsigned b = 0; b < 4; b++) {
            src[b] = (uint8_t)(s >> (24u - 8u * b));
            dst[b] = (uint8_t)(d >> (24u - 8u * b));
        }
        proto = pktd_ipv4_proto(p);
        k->version = 4;
    } else if (pktd_packet_has(p, PKTD_LAYER_IPV6)) {
        memcpy(src, pktd_ipv6_src(p), 16);
        memcpy(dst, pktd_ipv6_dst(p), 16);
        (void)pktd_ipv6_upper(p, &proto, NULL);
        k->version = 6;
    } else {
        t->stats[PKTD_FLOW_STAT_NOT_IP]++;
        return 0;
    }
    if (pktd_packet_flags(p) & PKTD_F_LATER_FRAGMENT) {
        t->stats[PKTD_FLOW_STAT_LATER_FRAGMENT]++;
        return 0;
    }
    if (proto == PKTD__IPPROTO_TCP || proto == PKTD__IPPROTO_UDP) {
        if (pktd_packet_has(p, PKTD_LAYER_TCP)) {
            sport = pktd_tcp_sport(p);
            dport = pktd_tcp_dport(p);
        } else if (pktd_packet_has(p, PKTD_LAYER_UDP)) {
            sport = pktd_udp_sport(p);
            dport = pktd_udp_dport(p);
        } else {
            t->stats[PKTD_FLOW_STAT_NO_TRANSPORT]++;
            return 0;
        }
    }
    k->proto = proto;
    k->zone = zone;
    uint32_t nvlan = pktd_vlan_count(p);
    if (nvlan > PKTD_VLAN_MAX_DEPTH)
        nvlan = PKTD_VLAN_MAX_DEPTH;
    k->nvlan = (uint8_t)nvlan;
    for (uint32_t i = 0; i < nvlan; i++)
        k->vlan[i] = pktd_vlan_vid(p, i);

    int c = memcmp(src, dst, 16);
    int lo = c < 0 || (c == 0 && sport <= dport);
    memcpy(k->addr[0], lo ? src : dst, 16);
    memcpy(k->addr[1], lo ? dst : src, 16);
    k->port[0] = lo ? sport : dport;
    k->port[1] = lo ? dport : sport;
    *sender_is_lo = lo;
    return 1;
}

static uint32_t lookup(pktd_flow_table *t, const struct flow_key *k, uint64_t h)
{
    uint32_t steps = 0;
    uint32_t i = t->buckets[h & t->mask];
    while (i != NIL) {
        steps++;
        const struct pktd_flow *f = &t->flows[i];
        if (f->hash == h && memcmp(&f->key, k, sizeof *k) == 0)
            break;
        i = f->hnext;
    }
    if (steps > t->stats[PKTD_FLOW_STAT_MAX_CHAIN])
        t->stats[PKTD_FLOW_STAT_MAX_CHAIN] = steps;
    return i;
}

static uint32_t create(pktd_flow_table *t, const struct flow_key *k, uint64_t h, int sender_is_lo,
                       uint64_t ts)
{
    if (t->free_head == NIL)
        end_flow(t, lru_head(t), PKTD_FLOW_END_EVICTED);
    uint32_t i = t->free_head;
    struct pktd_flow *f = &t->flows[i];
    t->free_head = f->hnext;
    memset(f, 0, sizeof *f);
    f->key = *k;
    f->hash = h;
    f->id = i;
    f->src_is_lo = (uint8_t)sender_is_lo;
    f->first_ns = f->last_ns = ts;
    f->live = 1;
    uint32_t *bucket = &t->buckets[h & t->mask];
    f->hnext = *bucket;
    *bucket = i;
    list_append(t, &t->lru, LRU, i);
    list_append(t, &t->age, AGE, i);
    t->count++;
    t->stats[PKTD_FLOW_STAT_CREATED]++;
    return i;
}

/* TCP bookkeeping of one segment in direction dir. */
static void tcp_track(struct pktd_flow *f, uint8_t flags, uint32_t dir, int created)
{
    f->tcp_flags[dir] |= flags;
    if (created && (flags & (TCP_SYN | TCP_ACK)) != TCP_SYN)
        f->tcp_state |= PKTD_FLOW_TCP_MIDSTREAM;
    if (flags & TCP_SYN)
        f->tcp_state |= dir ? PKTD_FLOW_TCP_SYN_REV : PKTD_FLOW_TCP_SYN_FWD;
    if (flags & TCP_FIN)
        f->tcp_state |= dir ? PKTD_FLOW_TCP_FIN_REV : PKTD_FLOW_TCP_FIN_FWD;
    if (flags & TCP_RST)
        f->tcp_state |= dir ? PKTD_FLOW_TCP_RST_REV : PKTD_FLOW_TCP_RST_FWD;
    if (f->closed_by == 0) {
        if (flags & TCP_RST)
            f->closed_by = PKTD_FLOW_END_RST;
        else if ((f->tcp_state & (PKTD_FLOW_TCP_FIN_FWD | PKTD_FLOW_TCP_FIN_REV)) ==
                 (PKTD_FLOW_TCP_FIN_FWD | PKTD_FLOW_TCP_FIN_REV))
            f->closed_by = PKTD_FLOW_END_FIN;
        if (f->closed_by != 0)
            f->tcp_state |= PKTD_FLOW_TCP_CLOSED;
    }
}

int pktd_flow_table_update(pktd_flow_table *t, const pktd_packet *p, uint64_t ts_ns,
                           size_t wire_len, uint64_t zone, uint32_t *flow_id, uint32_t *dir)
{
    if (t == NULL || p == NULL) {
        if (t != NULL)
            pktd__errmsgf(t->errmsg, PKTD_E_INVALID_ARGUMENT, "pktd_flow_table_update: packet is NULL");
        return PKTD_E_INVALID_ARGUMENT;
    }
    if (t->in_export)
        return pktd__errmsgf(t->errmsg, PKTD_E_BAD_STATE,
                             "pktd_flow_table_update: called from the export callback");
    t->stats[PKTD_FLOW_STAT_PACKETS]++;
    expire(t, ts_ns);
    if (t->close_pending)
        return settle(t, 0);

    struct flow_key k;
    int sender_is_lo;
    if (!make_key(t, p, zone, &k, &sender_is_lo))
        return 0;
    t->stats[PKTD_FLOW_STAT_KEYED]++;

    int is_tcp = k.proto == PKTD__IPPROTO_TCP && pktd_packet_has(p, PKTD_LAYER_TCP);
    uint8_t flags = is_tcp ? pktd_tcp_flags(p) : 0;
    uint64_t h = pktd__siphash13(&t->key, &k, sizeof k);
    uint32_t i = lookup(t, &k, h);
    if (i != NIL) {
        struct pktd_flow *f = &t->flows[i];
        if (idle_passed(t, f, ts_ns))
            end_flow(t, i, PKTD_FLOW_END_IDLE), i = NIL;
        else if (active_passed(t, f, ts_ns))
            end_flow(t, i, PKTD_FLOW_END_ACTIVE), i = NIL;
        else if (f->closed_by != 0 && (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN)
            end_flow(t, i, f->closed_by), i = NIL; /* a new connection on the same ports */
    }
    int created = i == NIL;
    if (created)
        i = create(t, &k, h, sender_is_lo, ts_ns);

    struct pktd_flow *f = &t->flows[i];
    uint32_t d = (uint32_t)sender_is_lo == f->src_is_lo ? PKTD_FLOW_FWD : PKTD_FLOW_REV;
    f->pkts[d]++;
    f->bytes[d] += wire_len;
    /* Capture time can go backwards (clock steps, merged files): the
     * flow's times are the earliest and latest seen, as tshark's are. */
    if (ts_ns > f->last_ns)
        f->last_ns = ts_ns;
    if (ts_ns < f->first_ns)
        f->first_ns = ts_ns;
    if (is_tcp)
        tcp_track(f, flags, d, created);
    if (!created)
        f->touched = 1;
    if (flow_id != NULL)
        *flow_id = i;
    if (dir != NULL)
        *dir = d;
    return settle(t, created ? 2 : 1);
}

/* ---- queries ----------------------------------------------------------- */

const pktd_flow *pktd_flow_table_get(const pktd_flow_table *t, uint32_t flow_id)
{
    if (t == NULL || flow_id >= t->capacity || !t->flows[flow_id].live)
        return NULL;
    return &t->flows[flow_id];
}

uint32_t pktd_flow_table_capacity(const pktd_flow_table *t)
{
    return t != NULL ? t->capacity : 0;
}

uint32_t pktd_flow_table_count(const pktd_flow_table *t)
{
    return t != NULL ? t->count : 0;
}

int pktd_flow_table_stats(const pktd_flow_table *t, uint64_t *stats, size_t n)
{
    if (t == NULL || (stats == NULL && n > 0))
        return PKTD_E_INVALID_ARGUMENT;
    for (size_t i = 0; i < n && i < PKTD_FLOW_STAT_COUNT; i++)
        stats[i] = t->stats[i];
    for (size_t i = PKTD_FLOW_STAT_COUNT; i < n; i++)
        stats[i] = 0;
    return PKTD_FLOW_STAT_COUNT;
}

const char *pktd_flow_table_errmsg(const pktd_flow_table *t)
{
    return t != NULL ? t->errmsg : "";
}

uint32_t pktd__flow_table_bucket(const pktd_flow_table *t, uint32_t flow_id)
{
    return (uint32_t)(t->flows[flow_id].hash & t->mask);
}

void pktd__flow_table_set_key(pktd_flow_table *t, uint64_t k0, uint64_t k1)
{
    t->key.k0 = k0;
    t->key.k1 = k1;
}

/* ---- flow records ------------------------------------------------------ */

/* The endpoint that sent the first packet is "src". */
static const uint8_t *addr_of(const pktd_flow *f, int src)
{
    return f->key.addr[(src != 0) == (f->src_is_lo != 0) ? 0 : 1];
}

static uint16_t port_of(const pktd_flow *f, int src)
{
    return f->key.port[(src != 0) == (f->src_is_lo != 0) ? 0 : 1];
}

static uint32_t ipv4_of(const pktd_flow *f, int src)
{
    if (f == NULL || f->key.version != 4)
        return 0;
    const uint8_t *a = addr_of(f, src);
    return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

uint32_t pktd_flow_id(const pktd_flow *f) { return f != NULL ? f->id : 0; }
uint32_t pktd_flow_ip_version(const pktd_flow *f) { return f != NULL ? f->key.version : 0; }
uint8_t pktd_flow_proto(const pktd_flow *f) { return f != NULL ? f->key.proto : 0; }
uint32_t pktd_flow_ipv4_src(const pktd_flow *f) { return ipv4_of(f, 1); }
uint32_t pktd_flow_ipv4_dst(const pktd_flow *f) { return ipv4_of(f, 0); }

const uint8_t *pktd_flow_ipv6_src(const pktd_flow *f)
{
    return f != NULL && f->key.version == 6 ? addr_of(f, 1) : NULL;
}

const uint8_t *pktd_flow_ipv6_dst(const pktd_flow *f)
{
    return f != NULL && f->key.version == 6 ? addr_of(f, 0) : NULL;
}

uint16_t pktd_flow_sport(const pktd_flow *f) { return f != NULL ? port_of(f, 1) : 0; }
uint16_t pktd_flow_dport(const pktd_flow *f) { return f != NULL ? port_of(f, 0) : 0; }
uint32_t pktd_flow_vlan_count(const pktd_flow *f) { return f != NULL ? f->key.nvlan : 0; }

uint16_t pktd_flow_vlan_vid(const pktd_flow *f, uint32_t i)
{
    return f != NULL && i < f->key.nvlan ? f->key.vlan[i] : 0;
}

uint64_t pktd_flow_zone(const pktd_flow *f) { return f != NULL ? f->key.zone : 0; }
uint64_t pktd_flow_first_ns(const pktd_flow *f) { return f != NULL ? f->first_ns : 0; }
uint64_t pktd_flow_last_ns(const pktd_flow *f) { return f != NULL ? f->last_ns : 0; }

uint64_t pktd_flow_packets(const pktd_flow *f, uint32_t dir)
{
    return f != NULL && dir < 2 ? f->pkts[dir] : 0;
}

uint64_t pktd_flow_bytes(const pktd_flow *f, uint32_t dir)
{
    return f != NULL && dir < 2 ? f->bytes[dir] : 0;
}

uint8_t pktd_flow_tcp_flags(const pktd_flow *f, uint32_t dir)
{
    return f != NULL && dir < 2 ? f->tcp_flags[dir] : 0;
}

uint32_t pktd_flow_tcp_state(const pktd_flow *f) { return f != NULL ? f->tcp_state : 0; }
uint32_t pktd_flow_end(const pktd_flow *f) { return f != NULL ? f->end : 0; }

const char *pktd_flow_end_name(uint32_t end)
{
    static const char *const names[PKTD_FLOW_END_COUNT] = {
        "none", "fin", "rst", "idle", "active", "evicted", "eof",
    };
    return end < PKTD_FLOW_END_COUNT ? names[end] : "unknown";
}
