#!/usr/bin/env python3
"""Benchmark (not a test): ns per packet from a capture file to columns of
the 5-tuple, timestamp, lengths and TCP flags, through
pktdecode.read_columns() (one pktd_batch_read() per 65536 rows), against
iter_batches() alone (without read_columns' final concatenation) and the
per-packet Python path (Reader.next_into() + Packet.field_array(),
appending to lists).  Best of 3 runs each.

    PYTHONPATH=examples/python PKTDECODE_LIB=lib/.libs/libpktdecode.so.1 \\
      /usr/bin/python3 tests/bench/py-columns.py TRACE [PER_PACKET_TRACE]

Run it under /usr/bin/python3 with numpy for numpy columns, with
PKTDECODE_NO_NUMPY=1 for array.array columns.  PER_PACKET_TRACE (default:
TRACE) lets the slow path run on a smaller file.
"""
import sys
import time

import pktdecode as P

COLS = ["ts_ns", "caplen", "len", "ipv4_src", "ipv4_dst", "ipv4_proto", "tcp_sport", "tcp_dport",
        "udp_sport", "udp_dport", "tcp_flags"]


def columns(path):
    c = P.read_columns(path, fields=COLS)
    return len(c["ts_ns"])


def batches(path):
    return sum(len(b["ts_ns"]) for b in P.iter_batches(path, fields=COLS))


def per_packet(path):
    idx = [P.FIELD_COLUMNS[n] for n in COLS if n in P.FIELD_COLUMNS]
    out = {n: [] for n in COLS}
    p = P.Packet()
    with P.Reader(path) as r:
        while r.next_into(p):
            f = p.field_array()
            out["ts_ns"].append(r.ts_ns())
            out["caplen"].append(p._caplen)
            out["len"].append(r.wire_len())
            for n, i in zip(COLS[3:], idx):
                out[n].append(f[i])
    return len(out["ts_ns"])


def best(fn, path):
    times = []
    for _ in range(3):
        t = time.perf_counter()
        n = fn(path)
        times.append(time.perf_counter() - t)
    return min(times) / n * 1e9, n


if __name__ == "__main__":
    trace = sys.argv[1]
    slow = sys.argv[2] if len(sys.argv) > 2 else trace
    kind = "numpy" if P.numpy is not None else "array.array"
    ns, n = best(columns, trace)
    print("read_columns (%s), %d packets: %.0f ns/packet" % (kind, n, ns))
    nsb, _ = best(batches, trace)
    print("iter_batches (%s), no concatenation: %.0f ns/packet" % (kind, nsb))
    ns2, n2 = best(per_packet, slow)
    print("per-packet next_into + field_array, %d packets: %.0f ns/packet" % (n2, ns2))
    print("ratio: %.1fx" % (ns2 / ns))
