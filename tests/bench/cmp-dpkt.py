#!/usr/bin/env python3
"""bench-dpkt: the decode benchmark through dpkt (Python), for scale.

    cmp-dpkt.py [-r ROUNDS] [-n MAXPKTS] FILE.pcap

Loads the frames into a list of bytes objects (not timed), then times
passes of dpkt.ethernet.Ethernet(frame) over all of them, reading every
field of every layer dpkt builds (Ethernet, its VLAN tags, ARP, IPv4, TCP
with dpkt.tcp.parse_opts(), UDP, ICMP, the payload length), like
pktd-bench's full pass.  Prints the best round as
`dpkt pkts=N ns_per_pkt=X mpps=Y`.
"""
import argparse
import statistics
import struct
import sys
import time

import dpkt


def read_tcp(t):
    s = t.sport + t.dport + t.seq + t.ack + t.off + t.flags + t.win + t.sum + t.urp
    for kind, data in dpkt.tcp.parse_opts(t.opts):
        if kind == dpkt.tcp.TCP_OPT_MSS and len(data) == 2:
            s += struct.unpack("!H", data)[0]
        elif kind == dpkt.tcp.TCP_OPT_WSCALE and len(data) == 1:
            s += data[0]
        elif kind == dpkt.tcp.TCP_OPT_SACKOK:
            s += 1
        elif kind == dpkt.tcp.TCP_OPT_TIMESTAMP and len(data) == 8:
            a, b = struct.unpack("!II", data)
            s += a ^ b
        elif kind == dpkt.tcp.TCP_OPT_SACK:
            for i in range(0, len(data) - 7, 8):
                a, b = struct.unpack("!II", data[i:i + 8])
                s += a ^ b
        else:
            s += kind
    return s + len(t.data)


def decode(frame):
    try:
        e = dpkt.ethernet.Ethernet(frame)
    except (dpkt.UnpackError, dpkt.NeedData):
        return 1
    s = len(e.dst) + len(e.src) + e.type
    for tag in getattr(e, "vlan_tags", ()) or ():
        s += tag.id + tag.pri
    ip = e.data
    if isinstance(ip, dpkt.ip.IP):
        s += (ip.src[0] + ip.dst[0] + ip.hl + ip.tos + ip.len + ip.id + ip.df + ip.mf +
              ip.offset + ip.ttl + ip.p + ip.sum + len(ip.opts))
        l4 = ip.data
        if isinstance(l4, dpkt.tcp.TCP):
            s += read_tcp(l4)
        elif isinstance(l4, dpkt.udp.UDP):
            s += l4.sport + l4.dport + l4.ulen + l4.sum + len(l4.data)
        elif isinstance(l4, dpkt.icmp.ICMP):
            s += l4.type + l4.code + l4.sum
    elif isinstance(ip, dpkt.arp.ARP):
        s += ip.hrd + ip.pro + ip.hln + ip.pln + ip.op + len(ip.sha) + len(ip.spa)
    return s


def main():
    ap = argparse.ArgumentParser(prog="cmp-dpkt.py")
    ap.add_argument("-r", type=int, default=3, help="timed rounds")
    ap.add_argument("-n", type=int, default=0, help="use at most this many frames")
    ap.add_argument("file")
    a = ap.parse_args()
    frames = []
    with open(a.file, "rb") as f:
        for _, buf in dpkt.pcap.Reader(f):
            frames.append(bytes(buf))
            if a.n and len(frames) == a.n:
                break
    n = len(frames)
    sink = sum(decode(fr) for fr in frames)  # warm-up
    per = []
    for _ in range(max(1, a.r)):
        t0 = time.perf_counter_ns()
        for fr in frames:
            sink += decode(fr)
        per.append((time.perf_counter_ns() - t0) / max(1, n))
    best = min(per)
    print("# dpkt %s: rounds=%d passes_per_round=1 best_ns=%.2f median_ns=%.2f sink=%x"
          % (dpkt.__version__, len(per), best, statistics.median(per), sink & (2**64 - 1)))
    print("dpkt pkts=%d ns_per_pkt=%.2f mpps=%.2f" % (n, best, 1000.0 / best if best else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
