#!/usr/bin/env python3
"""Benchmark (reports, never asserts): Python from a capture file to columns
of timestamp, lengths, 5-tuple and TCP flags (issue 15), run by `make bench`.

    py-bench.py -b BUILDDIR [-q] [-k ROUNDS] [-f FILES]

1. End to end on the realistic trace of 1,000,000 packets
   (tests/bench/data/realistic-1000000.pcap, made by pktd-bench-gen when
   missing): read_columns() (numpy) with mapped=True (the file read in
   place, 1.1) and by read(2) (the default), iter_batches(mapped=True), the
   reader alone (count_packets(): every record read and checked, nothing
   decoded; mapped and by read(2)), and
   `dd bs=1M` of the file to /dev/null (the kernel's copy of the file out of
   the page cache alone, in a child process: its CPU time); these rows
   interleaved, round by round; then dpkt doing the same (dpkt.pcap.Reader,
   Ethernet/IP/TCP/UDP objects, appending to lists, then numpy arrays) on
   the same trace, one round.
2. Per packet from Python on the 100,000-packet trace: Reader.next_into()
   with Packet.five_tuple(), and with the accessors; scapy (rdpcap and its
   layers) on 10,000 packets.
3. dask: F files of 100,000 packets (seeds 1..F), a reduction
   (read_pcaps(..., mapped=True)["caplen"].sum() and the row count; the
   sync scheduler with mapped=False too) with the sync
   scheduler in this process, then a dask.distributed LocalCluster of 1 and
   of 2 worker processes (1 thread each); and the 2-worker time for 1, 2, 4
   ... F files (how it scales with the number of files).

Times: best of ROUNDS (default 3) wall-clock runs unless said, ns per
packet; process CPU time beside it for the single-process rows; part 1
also gives the median of the rounds (wall and CPU).  Ratios are
taken between rows of the same run only.  On a shared machine, say so
(the load average is printed).  -q: smaller traces (100k end to end,
10k per packet, 4 files), for a quick look.
"""
import argparse
import os
import subprocess
import sys
import time

COLS = ["ts_ns", "caplen", "len", "ipv4_src", "ipv4_dst", "ipv4_proto", "tcp_sport", "tcp_dport",
        "udp_sport", "udp_dport", "tcp_flags"]


def trace(builddir, mix, n, seed=None):
    data = os.path.join(builddir, "tests", "bench", "data")
    os.makedirs(data, exist_ok=True)
    gen = os.path.join(builddir, "tests", "bench", "pktd-bench-gen")
    f = os.path.join(data, "%s-%d%s.pcap" % (mix, n, "" if seed is None else "-s%d" % seed))
    if not os.path.exists(f) or os.path.getmtime(gen) > os.path.getmtime(f):
        cmd = [gen, "-m", mix, "-n", str(n), "-o", f + ".tmp"] + ([] if seed is None else ["-s", str(seed)])
        print("# generating %s" % f, file=sys.stderr)
        subprocess.check_call(cmd)
        os.rename(f + ".tmp", f)
    return f


def best(fn, rounds):
    """(best wall s, best CPU s, result) over rounds runs."""
    bw = bc = float("inf")
    out = None
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        bw, bc = min(bw, time.perf_counter() - t), min(bc, time.process_time() - c)
    return bw, bc, out


def row(label, n, wall, cpu=None, extra=""):
    ns = wall / n * 1e9
    print("%-52s %10.0f %10s %s" % (label, ns, "%.0f" % (cpu / n * 1e9) if cpu is not None else "-", extra))
    return (ns, cpu / n * 1e9 if cpu is not None else None)


def interleaved(fns, rounds):
    """Runs each of fns once per round, round after round (so that a change
    of the machine's load hits them all alike): {name: (walls, cpus)}."""
    out = {name: ([], []) for name, _ in fns}
    for _ in range(rounds):
        for name, fn in fns:
            w, c = fn()
            out[name][0].append(w)
            out[name][1].append(c)
    return out


def timed(fn):
    """fn() timed in this process: (wall s, CPU s)."""
    t, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - c


def timed_child(cmd):
    """A command run to its end: (wall s, its CPU s)."""
    t, c = time.perf_counter(), os.times()
    subprocess.check_call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    d = os.times()
    return time.perf_counter() - t, (d.children_user - c.children_user) + (d.children_system - c.children_system)


def row_med(label, n, walls, cpus):
    """A row with best and median, wall and CPU: (best wall, best CPU) ns."""
    import statistics
    ns = [v / n * 1e9 for v in (min(walls), statistics.median(walls), min(cpus), statistics.median(cpus))]
    print("%-52s %10.0f %10.0f   median %5.0f %5.0f" % (label, ns[0], ns[2], ns[1], ns[3]))
    return (ns[0], ns[2])


def ratio(label, a, b):
    """a / b, wall and (when both have it) CPU."""
    print("%-52s %9.1fx %9s" % (label, a[0] / b[0], "%.1fx" % (a[1] / b[1]) if a[1] and b[1] else "-"))


# ---------------------------------------------------------------- dpkt
def dpkt_columns(path):
    import dpkt
    import numpy
    cols = {k: [] for k in COLS}
    a = [cols[k].append for k in COLS]
    ip_t, tcp_t, udp_t = dpkt.ip.IP, dpkt.tcp.TCP, dpkt.udp.UDP
    u32 = int.from_bytes
    with open(path, "rb") as f:
        for ts, buf in dpkt.pcap.Reader(f):
            src = dst = proto = sp = dp = usp = udp = flags = 0
            try:
                e = dpkt.ethernet.Ethernet(buf)
                ip = e.data
                if isinstance(ip, ip_t):
                    src, dst, proto = u32(ip.src, "big"), u32(ip.dst, "big"), ip.p
                    l4 = ip.data
                    if isinstance(l4, tcp_t):
                        sp, dp, flags = l4.sport, l4.dport, l4.flags
                    elif isinstance(l4, udp_t):
                        usp, udp = l4.sport, l4.dport
            except (dpkt.UnpackError, dpkt.NeedData):
                pass
            for fn, v in zip(a, (int(ts * 1e9), len(buf), len(buf), src, dst, proto, sp, dp, usp, udp, flags)):
                fn(v)
    out = {k: numpy.array(v, dtype="uint64" if k == "ts_ns" else "uint32") for k, v in cols.items()}
    return len(out["ts_ns"])


# --------------------------------------------------------------- scapy
def scapy_columns(path):
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.utils import PcapReader
    out = []
    with PcapReader(path) as r:
        for p in r:
            if IP in p:
                ip = p[IP]
                l4 = ip.payload
                if isinstance(l4, TCP):
                    out.append((int(p.time * 1e9), len(p), ip.src, ip.dst, ip.proto, l4.sport, l4.dport, int(l4.flags)))
                elif isinstance(l4, UDP):
                    out.append((int(p.time * 1e9), len(p), ip.src, ip.dst, ip.proto, l4.sport, l4.dport, 0))
                else:
                    out.append((int(p.time * 1e9), len(p), ip.src, ip.dst, ip.proto, 0, 0, 0))
            else:
                out.append((int(p.time * 1e9), len(p), None, None, 0, 0, 0, 0))
    return len(out)


def main():
    ap = argparse.ArgumentParser(prog="py-bench.py")
    ap.add_argument("-b", required=True, help="build directory")
    ap.add_argument("-q", action="store_true", help="quick: small traces")
    ap.add_argument("-k", type=int, default=3, help="rounds (best of)")
    ap.add_argument("-f", type=int, default=8, help="files for the dask part")
    a = ap.parse_args()
    import pktdecode as P
    big = trace(a.b, "realistic", 100000 if a.q else 1000000)
    mid = trace(a.b, "realistic", 10000 if a.q else 100000)
    small = trace(a.b, "realistic", 1000 if a.q else 10000)
    nfiles = 4 if a.q else a.f
    print("Python (%s), libpktdecode %s, %d CPUs, load average %s" % (
        sys.version.split()[0], P.version_string(), os.cpu_count(), " ".join(open("/proc/loadavg").read().split()[:3])))
    print("best of %d; ns per packet, wall clock and process CPU time" % a.k)
    print("%-52s %10s %10s" % ("", "wall", "cpu"))
    n = P.count_packets(big)
    kind = "numpy" if P.numpy is not None else "array.array"
    print("%-52s %10s %10s   median  wall   cpu" % ("%d packets, %d rounds interleaved:" % (n, a.k), "", ""))
    cols = lambda: len(P.read_columns(big, COLS, mapped=True)["ts_ns"])  # noqa: E731
    cols_read = lambda: len(P.read_columns(big, COLS)["ts_ns"])  # noqa: E731
    m = interleaved([
        ("dd", lambda: timed_child(["dd", "if=" + big, "of=/dev/null", "bs=1M"])),
        ("count", lambda: timed(lambda: P.count_packets(big, mapped=True))),
        ("count_read", lambda: timed(lambda: P.count_packets(big))),
        ("columns", lambda: timed(cols)),
        ("columns_read", lambda: timed(cols_read)),
        ("batches", lambda: timed(lambda: sum(len(b["ts_ns"]) for b in P.iter_batches(big, fields=COLS,
                                                                                     mapped=True)))),
    ], a.k)
    dd = row_med("dd bs=1M of the file to /dev/null (the copy alone)", n, *m["dd"])
    floor = row_med("reader alone (count_packets, mapped=True)", n, *m["count"])
    row_med("reader alone, read(2) (the default)", n, *m["count_read"])
    e2e = row_med("read_columns -> %s, 11 columns, mapped=True" % kind, n, *m["columns"])
    e2e_read = row_med("read_columns, read(2) (the default)", n, *m["columns_read"])
    row_med("iter_batches (65536 rows), same columns, mapped", n, *m["batches"])
    ratio("  read_columns / reader alone", e2e, floor)
    ratio("  read_columns / dd of the file", e2e, dd)
    ratio("  read_columns read(2) / mapped", e2e_read, e2e)
    try:
        import dpkt  # noqa: F401
        import numpy  # noqa: F401
        w, c, _ = best(lambda: dpkt_columns(big), 1)
        d = row("dpkt, same columns (lists -> numpy), 1 round", n, w, c)
        ratio("  dpkt / read_columns mapped=True", d, e2e)
        ratio("  dpkt / read_columns (read(2), the default)", d, e2e_read)
    except ImportError as e:
        print("# dpkt: skipped (%s; Debian: python3-dpkt)" % e)

    def five():
        p, out = P.Packet(), []
        with P.Reader(mid) as r:
            while r.next_into(p):
                out.append(p.five_tuple())
        return len(out)

    def accessors():
        p, out = P.Packet(), []
        with P.Reader(mid) as r:
            while r.next_into(p):
                if p.has(P.LAYER_TCP):
                    out.append((p.ipv4_src(), p.ipv4_dst(), p.ipv4_proto(), p.tcp_sport(), p.tcp_dport()))
                elif p.has(P.LAYER_UDP):
                    out.append((p.ipv4_src(), p.ipv4_dst(), p.ipv4_proto(), p.udp_sport(), p.udp_dport()))
        return len(out)
    m = P.count_packets(mid)
    print("per packet, %d packets:" % m)
    w, c, _ = best(five, a.k)
    pp = row("  next_into + five_tuple()", m, w, c)
    w, c, _ = best(accessors, a.k)
    row("  next_into + has() + 5 accessors", m, w, c)
    s = P.count_packets(small)
    w, c, _ = best(lambda: len(P.read_columns(small, COLS)["ts_ns"]), a.k)
    e2e_small = row("read_columns, %d packets" % s, s, w, c)
    try:
        import scapy  # noqa: F401
        w, c, _ = best(lambda: scapy_columns(small), 1)
        sc = row("scapy PcapReader, same fields, %d packets, 1 round" % s, s, w, c)
        ratio("  scapy / read_columns", sc, e2e_small)
        ratio("  scapy / next_into + five_tuple()", sc, pp)
    except ImportError as e:
        print("# scapy: skipped (%s; Debian: python3-scapy)" % e)
    dask_part(a, P, nfiles)


def dask_part(a, P, nfiles):
    try:
        import dask
        import pktdecode.dask as PD
        from distributed import Client, LocalCluster
    except ImportError as e:
        print("# dask: skipped (%s; Debian: python3-dask python3-distributed)" % e)
        return
    import logging
    import warnings
    warnings.simplefilter("ignore")
    per = 10000 if a.q else 100000
    files = [trace(a.b, "realistic", per, seed) for seed in range(1, nfiles + 1)]
    total = per * nfiles

    def reduce(paths, mapped=True):
        df = PD.read_pcaps(paths, fields=["caplen", "tcp_dport"], mapped=mapped)
        return int(df["caplen"].sum().compute())

    print("dask: %d files of %d packets, read_pcaps(..., mapped=True)['caplen'].sum(), %d partitions "
          "(64 MiB chunks):" % (nfiles, per, len(PD.partitions(files))))
    with dask.config.set(scheduler="sync"):
        w, c, _ = best(lambda: reduce(files), a.k)
        one = row("  one process (sync scheduler)", total, w, c)
        w, c, _ = best(lambda: reduce(files, False), a.k)
        copied = row("  one process, mapped=False (chunks copied)", total, w, c)
    ratio("  mapped=False / mapped=True, one process", copied, one)
    res = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cl, Client(cl):
            reduce(files[:1])  # workers import pktdecode once
            w, _, _ = best(lambda: reduce(files), a.k)
            res[workers] = row("  LocalCluster, %d worker process%s" % (workers, "es" if workers > 1 else ""),
                               total, w)
            if workers == 2:
                k = 1
                while k <= nfiles:
                    w, _, _ = best(lambda: reduce(files[:k]), a.k)
                    row("    2 workers, %d file%s" % (k, "s" if k > 1 else ""), per * k, w, None,
                        "(%.2f s)" % w)
                    k *= 2
    ratio("  speed-up, 2 workers over 1 worker (wall)", res[1], res[2])
    ratio("  speed-up, 2 workers over one process (wall)", one, res[2])


if __name__ == "__main__":
    main()
