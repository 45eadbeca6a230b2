/* Fuzz target: columnar batches (batch.h) over a capture file.
 *
 * Input: one control byte, then a pcap or pcapng file.  The control byte
 * picks the row capacity (1 ... 8) and the selection (none, one field, the
 * 5-tuple, with bit 5 the TCP flags too, all fields in reverse order).
 * Invariants: every row of every
 * column equals what pktd_reader_next(), the reader getters, pktd_decode()
 * and pktd_packet_fields() give for the same record through a second
 * reader; the batch ends with the result that reader gives next; no row is
 * written beyond the rows reported (the spare slot of every column keeps
 * its marker); each frame decoded from memory by pktd_batch_decode_frames()
 * (per-row columns bound or, with bit 6, not: lib/batch.c has loops for
 * both) gives the same columns. */
#include "config.h"

#include <string.h>

#include "fuzz.h"

#define MAX_ROWS 8u
#define MARK 0xa5a5a5a5u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t ctl = data[0];
    data++;
    size--;
    uint32_t cap = 1 + (ctl & 7u);
    uint32_t sel[PKTD_FIELD_COUNT_], nsel = 0;
    static const uint32_t tuple[] = {PKTD_FIELD_IPV4_SRC,  PKTD_FIELD_IPV4_DST,  PKTD_FIELD_IPV4_PROTO,
                                     PKTD_FIELD_TCP_SPORT, PKTD_FIELD_TCP_DPORT, PKTD_FIELD_UDP_SPORT,
                                     PKTD_FIELD_UDP_DPORT};
    switch ((ctl >> 3) & 3u) {
    case 0: break;
    case 1: sel[nsel++] = (ctl >> 5) * 9u % PKTD_FIELD_COUNT_; break;
    case 2:
        memcpy(sel, tuple, sizeof tuple);
        nsel = 7;
        if (ctl & 0x20u)
            sel[nsel++] = PKTD_FIELD_TCP_FLAGS;
        break;
    default:
        for (uint32_t i = 0; i < PKTD_FIELD_COUNT_; i++)
            sel[nsel++] = PKTD_FIELD_COUNT_ - 1 - i;
    }
    static uint32_t col[PKTD_FIELD_COUNT_][MAX_ROWS + 1];
    uint32_t *cols[PKTD_FIELD_COUNT_];
    for (uint32_t k = 0; k < PKTD_FIELD_COUNT_; k++)
        cols[k] = col[k];
    uint64_t ts[MAX_ROWS + 1];
    uint32_t caplen[MAX_ROWS + 1], wire[MAX_ROWS + 1], lt[MAX_ROWS + 1], iface[MAX_ROWS + 1];
    int32_t status[MAX_ROWS + 1];

    pktd_reader *rb, *rr;
    if (pktd_reader_open_mem(&rb, data, size, NULL) != 0)
        return 0;
    FUZZ_CHECK(pktd_reader_open_mem(&rr, data, size, NULL) == 0);
    pktd_batch *b;
    FUZZ_CHECK(pktd_batch_create(&b, cap, sel, nsel, cols, NULL) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_TS_NS, ts) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_CAPLEN, caplen) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_WIRE_LEN, wire) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_LINKTYPE, lt) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_INTERFACE, iface) == 0);
    FUZZ_CHECK(pktd_batch_bind(b, PKTD_BATCH_STATUS, status) == 0);
    /* The same frames from memory, one call per frame. */
    static uint32_t mcol[PKTD_FIELD_COUNT_][1];
    uint32_t *mcols[PKTD_FIELD_COUNT_];
    for (uint32_t k = 0; k < PKTD_FIELD_COUNT_; k++)
        mcols[k] = mcol[k];
    int32_t mstatus[1];
    pktd_batch *bm;
    FUZZ_CHECK(pktd_batch_create(&bm, 1, sel, nsel, mcols, NULL) == 0);
    if ((ctl & 0x40u) == 0)
        FUZZ_CHECK(pktd_batch_bind(bm, PKTD_BATCH_STATUS, mstatus) == 0);
    for (uint32_t round = 0; round < 100000; round++) {
        for (uint32_t k = 0; k < nsel; k++)
            col[k][cap] = MARK;
        status[cap] = (int32_t)MARK;
        uint32_t rows = MARK;
        int rc = pktd_batch_read(b, rb, 0, &rows);
        FUZZ_CHECK(rows <= cap);
        FUZZ_CHECK(rc <= 1);
        FUZZ_CHECK(rc != 1 || rows == cap);
        FUZZ_CHECK(status[cap] == (int32_t)MARK);
        for (uint32_t k = 0; k < nsel; k++)
            FUZZ_CHECK(col[k][cap] == MARK);
        for (uint32_t i = 0; i < rows; i++) {
            const uint8_t *d;
            size_t len;
            FUZZ_CHECK(pktd_reader_next(rr, &d, &len) == 1);
            pktd_packet p;
            uint32_t all[PKTD_FIELD_COUNT_];
            int drc = pktd_decode(&p, pktd_reader_linktype(rr), d, len);
            (void)pktd_packet_fields(&p, all, PKTD_FIELD_COUNT_);
            FUZZ_CHECK(status[i] == drc);
            FUZZ_CHECK(ts[i] == pktd_reader_ts_ns(rr));
            FUZZ_CHECK(caplen[i] == len);
            FUZZ_CHECK(wire[i] == pktd_reader_wire_len(rr));
            FUZZ_CHECK(lt[i] == pktd_reader_linktype(rr));
            FUZZ_CHECK(iface[i] == pktd_reader_interface(rr));
            for (uint32_t k = 0; k < nsel; k++)
                FUZZ_CHECK(col[k][i] == all[sel[k]]);
            FUZZ_CHECK(pktd_batch_decode_frames(bm, pktd_reader_linktype(rr), &d, &len, NULL, 1) == 1);
            for (uint32_t k = 0; k < nsel; k++)
                FUZZ_CHECK(mcol[k][0] == all[sel[k]]);
            FUZZ_CHECK((ctl & 0x40u) != 0 || mstatus[0] == drc);
        }
        if (rc != 1) {
            const uint8_t *d;
            size_t len;
            FUZZ_CHECK(pktd_reader_next(rr, &d, &len) == rc);
            break;
        }
    }
    pktd_batch_close(b);
    pktd_batch_close(bm);
    pktd_reader_close(rb);
    pktd_reader_close(rr);
    return 0;
}
