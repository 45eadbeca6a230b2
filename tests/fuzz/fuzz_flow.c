/* Fuzz target: the flow table (flow.h) over a stream of frames.
 *
 * Input: one control byte (capacity 1 ... 16, idle timeout 0/1/2/3 us,
 * active timeout 0/3/6/9 us), then records: a 2-byte big-endian frame
 * length, a signed time step (x 100 ns, so capture time also goes
 * backwards), a byte whose bit 7 picks raw IP instead of Ethernet and whose
 * low 2 bits are the zone, then the frame.
 *
 * Invariants: an update returns 0, 1 or 2; a keyed packet's id is below the
 * capacity and names a live flow whose protocol, addresses and ports are
 * the packet's (in the direction reported); never more live flows than the
 * capacity; the statistics add up (every packet counted once as keyed or
 * under one cause, every created flow exported once under one end); after
 * the final flush the exported flows hold exactly the keyed packets and
 * their bytes, each with an end in range and first <= last. */
#include "config.h"

#include <string.h>

#include "fuzz.h"

struct totals {
    uint64_t flows, pkts, bytes;
    uint32_t cap;
};

static void on_export(void *user, const pktd_flow *f)
{
    struct totals *t = user;
    FUZZ_CHECK(pktd_flow_id(f) < t->cap);
    FUZZ_CHECK(pktd_flow_end(f) > PKTD_FLOW_END_NONE && pktd_flow_end(f) < PKTD_FLOW_END_COUNT);
    FUZZ_CHECK(pktd_flow_first_ns(f) <= pktd_flow_last_ns(f));
    FUZZ_CHECK(pktd_flow_packets(f, 0) + pktd_flow_packets(f, 1) > 0);
    FUZZ_CHECK(pktd_flow_packets(f, 0) > 0); /* the first packet is fwd */
    t->flows++;
    t->pkts += pktd_flow_packets(f, 0) + pktd_flow_packets(f, 1);
    t->bytes += pktd_flow_bytes(f, 0) + pktd_flow_bytes(f, 1);
}

/* The flow's endpoints are the packet's, in the reported direction. */
static void check_key(const pktd_packet *p, const pktd_flow *f, uint32_t dir)
{
    if (pktd_packet_has(p, PKTD_LAYER_IPV4)) {
        FUZZ_CHECK(pktd_flow_ip_version(f) == 4);
        FUZZ_CHECK(pktd_flow_proto(f) == pktd_ipv4_proto(p));
        uint32_t s = dir == PKTD_FLOW_FWD ? pktd_flow_ipv4_src(f) : pktd_flow_ipv4_dst(f);
        FUZZ_CHECK(s == pktd_ipv4_src(p));
    } else {
        FUZZ_CHECK(pktd_flow_ip_version(f) == 6);
        const uint8_t *s = dir == PKTD_FLOW_FWD ? pktd_flow_ipv6_src(f) : pktd_flow_ipv6_dst(f);
        FUZZ_CHECK(s != NULL && memcmp(s, pktd_ipv6_src(p), 16) == 0);
    }
    uint16_t sport = dir == PKTD_FLOW_FWD ? pktd_flow_sport(f) : pktd_flow_dport(f);
    if (pktd_packet_has(p, PKTD_LAYER_TCP))
        FUZZ_CHECK(sport == pktd_tcp_sport(p));
    else if (pktd_packet_has(p, PKTD_LAYER_UDP))
        FUZZ_CHECK(sport == pktd_udp_sport(p));
    FUZZ_CHECK(pktd_flow_vlan_count(f) == (pktd_vlan_count(p) < PKTD_VLAN_MAX_DEPTH
                                               ? pktd_vlan_count(p)
                                               : PKTD_VLAN_MAX_DEPTH));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    data++, size--;
    struct totals tot = {.cap = 1u + (ctl & 15u)};
    pktd_flow_table *t;
    if (pktd_flow_table_create(&t, tot.cap, (ctl >> 4 & 3u) * 1000u, (ctl >> 6) * 3000u, NULL) != 0)
        return 0;
    FUZZ_CHECK(pktd_flow_table_set_export(t, on_export, &tot) == 0);

    uint64_t ts = 1000000, keyed = 0, keyed_bytes = 0, created = 0;
    while (size >= 4) {
        size_t len = (size_t)data[0] << 8 | data[1];
        int8_t step = (int8_t)data[2];
        uint8_t how = data[3];
        data += 4, size -= 4;
        if (len > size)
            len = size;
        ts = (uint64_t)((int64_t)ts + step * 100);
        pktd_packet p;
        uint32_t lt = (how & 0x80u) ? PKTD_LINKTYPE_RAW : PKTD_LINKTYPE_ETHERNET;
        (void)pktd_decode(&p, lt, data, len);
        uint32_t id = UINT32_MAX, dir = UINT32_MAX;
        size_t wire = len + (how & 0x40u);
        int rc = pktd_flow_table_update(t, &p, ts, wire, how & 3u, &id, &dir);
        FUZZ_CHECK(rc == 0 || rc == 1 || rc == 2);
        if (rc == 0) {
            FUZZ_CHECK(id == UINT32_MAX && dir == UINT32_MAX);
        } else {
            FUZZ_CHECK(id < tot.cap && dir <= 1);
            const pktd_flow *f = pktd_flow_table_get(t, id);
            FUZZ_CHECK(f != NULL && pktd_flow_id(f) == id);
            FUZZ_CHECK(pktd_flow_zone(f) == (how & 3u));
            FUZZ_CHECK(pktd_flow_end(f) == PKTD_FLOW_END_NONE);
            check_key(&p, f, dir);
            if (rc == 2) {
                created++;
                FUZZ_CHECK(dir == PKTD_FLOW_FWD);
                FUZZ_CHECK(pktd_flow_packets(f, 0) == 1 && pktd_flow_packets(f, 1) == 0);
            }
            keyed++;
            keyed_bytes += wire;
        }
        FUZZ_CHECK(pktd_flow_table_count(t) <= tot.cap);
        data += len, size -= len;
    }
    if (ctl & 1u)
        FUZZ_CHECK(pktd_flow_table_expire(t, ts + 5000) >= 0);
    uint32_t live = pktd_flow_table_count(t);
    FUZZ_CHECK(pktd_flow_table_flush(t) == (int)live);
    FUZZ_CHECK(pktd_flow_table_count(t) == 0);

    uint64_t s[PKTD_FLOW_STAT_COUNT];
    FUZZ_CHECK(pktd_flow_table_stats(t, s, PKTD_FLOW_STAT_COUNT) == PKTD_FLOW_STAT_COUNT);
    FUZZ_CHECK(s[PKTD_FLOW_STAT_KEYED] == keyed);
    FUZZ_CHECK(s[PKTD_FLOW_STAT_PACKETS] == s[PKTD_FLOW_STAT_KEYED] + s[PKTD_FLOW_STAT_NOT_IP] +
                                                s[PKTD_FLOW_STAT_NO_TRANSPORT] +
                                                s[PKTD_FLOW_STAT_LATER_FRAGMENT]);
    FUZZ_CHECK(s[PKTD_FLOW_STAT_CREATED] == created);
    uint64_t ended = 0;
    for (unsigned i = PKTD_FLOW_STAT_END_FIN; i <= PKTD_FLOW_STAT_END_EOF; i++)
        ended += s[i];
    FUZZ_CHECK(ended == created && tot.flows == created);
    FUZZ_CHECK(tot.pkts == keyed && tot.bytes == keyed_bytes);
    pktd_flow_table_close(t);
    return 0;
}
