#!/usr/bin/env python3
"""Benchmark (reports, never asserts): read_columns() of one file under two
or more builds of the library and binding, interleaved round by round in
one run, beside `dd bs=1M` of the same file to /dev/null (the kernel's copy
of the file alone), so that a machine whose load changes hits every build
alike.  Each build runs in a child process per round; the time is taken
around the call only (not the import).

    py-ab.py [-k ROUNDS] [-w columns|count] -f FILE LABEL=LIB:PYPATH[:VAR=VALUE...] ...

LIB: the libpktdecode.so.1 to load (PKTDECODE_LIB); PYPATH: the directory
holding the pktdecode package (PYTHONPATH); VAR=VALUE: more environment
(e.g. PKTDECODE_MAPPED=1: this script then passes mapped=True, 1.1).
-w count times count_packets() instead.
Prints best and median, wall clock and CPU time (the child's own), in ns
per packet.  Example, main against a branch, both built in place:

    py-ab.py -k 7 -f tests/bench/data/realistic-1000000.pcap \\
        main=/work/main/lib/.libs/libpktdecode.so.1:/work/main/examples/python \\
        new=lib/.libs/libpktdecode.so.1:examples/python \\
        new-mapped=lib/.libs/libpktdecode.so.1:examples/python:PKTDECODE_MAPPED=1
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

COLS = ["ts_ns", "caplen", "len", "ipv4_src", "ipv4_dst", "ipv4_proto", "tcp_sport", "tcp_dport",
        "udp_sport", "udp_dport", "tcp_flags"]
CHILD = r'''
import os, sys, time
import pktdecode as P
path, what, cols = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
t, c = time.perf_counter(), time.process_time()
kw = {"mapped": True} if os.environ.get("PKTDECODE_MAPPED") else {}
n = P.count_packets(path, **kw) if what == "count" else len(P.read_columns(path, cols, **kw)["ts_ns"])
print(n, time.perf_counter() - t, time.process_time() - c)
'''


def main():
    ap = argparse.ArgumentParser(prog="py-ab.py")
    ap.add_argument("-k", type=int, default=5, help="rounds")
    ap.add_argument("-f", required=True, help="capture file")
    ap.add_argument("-w", default="columns", choices=("columns", "count"))
    ap.add_argument("builds", nargs="+", help="LABEL=LIB:PYPATH[:VAR=VALUE...]")
    a = ap.parse_args()
    runs = {"dd bs=1M to /dev/null": []}
    n = None
    for _ in range(a.k):
        t, c = time.perf_counter(), os.times()
        subprocess.check_call(["dd", "if=" + a.f, "of=/dev/null", "bs=1M"], stderr=subprocess.DEVNULL)
        d = os.times()
        runs["dd bs=1M to /dev/null"].append((time.perf_counter() - t, d.children_user - c.children_user
                                               + d.children_system - c.children_system))
        for b in a.builds:
            label, spec = b.split("=", 1)
            parts = spec.split(":")
            env = dict(os.environ, PKTDECODE_LIB=os.path.abspath(parts[0]), PYTHONPATH=os.path.abspath(parts[1]))
            env.update(kv.split("=", 1) for kv in parts[2:])
            out = subprocess.check_output([sys.executable, "-c", CHILD, a.f, a.w, ",".join(COLS)], env=env).split()
            if n is not None and int(out[0]) != n:
                sys.exit("%s: %s packets, others %d" % (label, out[0], n))
            n = int(out[0])
            runs.setdefault(label, []).append((float(out[1]), float(out[2])))
    print("load average %s; %d rounds; %d packets; %s" % (" ".join(open("/proc/loadavg").read().split()[:3]),
                                                          a.k, n, "read_columns, 11 columns" if a.w == "columns"
                                                          else "count_packets"))
    print("%-28s %9s %9s %9s %9s   (ns per packet)" % ("", "wall best", "median", "cpu best", "median"))
    for label, v in runs.items():
        w, c = [x[0] / n * 1e9 for x in v], [x[1] / n * 1e9 for x in v]
        print("%-28s %9.1f %9.1f %9.1f %9.1f" % (label, min(w), statistics.median(w), min(c), statistics.median(c)))


if __name__ == "__main__":
    main()
