#!/usr/bin/python3
"""Regenerate tests/data/flow_tshark.tsv: tshark's TCP and UDP conversation
tables (`tshark -q -z conv,tcp -z conv,udp`) of the tcpdump corpus captures
listed in tests/data/flow_tshark.files, one line per conversation:

    file proto addr_a port_a addr_b port_b frames_ab bytes_ab frames_ba bytes_ba start_ns duration

(a and b in tshark's column order, "ab" its "->" columns; start_ns is its
"Relative Start" in ns from the file's first frame, negative when the
file's first frame is not its earliest; duration its 4-decimal
text).  tshark 4.0 prints bytes with units ("12 kB") past 9999, so the exact
bytes come from the same tshark's per-frame fields (frame.len summed per
tcp.stream / udp.stream and direction); the script checks that those sums
give the conversation table's frame counts and its printed bytes, and
writes -1 (not compared) where they cannot be told apart.  tests/check_flow_tshark compares the flow table with this file, so
make check needs no tshark.

Usage: tests/flow/flow_tshark_gen.py SRCDIR > tests/data/flow_tshark.tsv
"""
import os
import re
import subprocess
import sys
from collections import defaultdict

src = sys.argv[1] if len(sys.argv) > 1 else "."
corpus = os.path.join(src, "tests/corpus/tcpdump")
files = [l.strip() for l in open(os.path.join(src, "tests/data/flow_tshark.files"))
         if l.strip() and not l.startswith("#")]

LINE = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+) (bytes|kB|MB|GB)\s+(\d+) (\d+) (bytes|kB|MB|GB)"
                  r"\s+(\d+) (\d+) (bytes|kB|MB|GB)\s+(-?)(\d+)\.(\d{9})\s+(\S+)$")


def split_ep(s):
    i = s.rindex(":")
    return s[:i], int(s[i + 1:])


def human(n):
    """tshark 4.0's format_size for the conversation table (SI units)."""
    if n < 10000:
        return "%d bytes" % n
    for unit in ("kB", "MB", "GB"):
        n //= 1000
        if n < 10000:
            return "%d %s" % (n, unit)
    return "%d TB" % n


# IP reassembly off: tshark then counts every fragment as the frame it is
# and dissects UDP/TCP in first fragments only, as the flow table does
# (later fragments have no ports; a caller that wants datagrams feeds the
# defragmenter's output).  With reassembly on, tshark counts a fragmented
# datagram once, at its last fragment, with that fragment's length.
def tshark(args):
    return subprocess.run(["tshark", "-n", "-o", "ip.defragment:FALSE", "-o",
                           "ipv6.defragment:FALSE"] + args, capture_output=True, text=True, check=False).stdout


def per_frame(path, proto):
    """(stream -> {(addr, port): [frames, bytes]}) from tshark's per-frame fields."""
    out = tshark(["-r", path, "-Y", proto, "-T", "fields", "-E", "separator=\t", "-E",
                  "occurrence=a", "-E", "aggregator=,", "-e", "frame.len", "-e", proto + ".stream",
                  "-e", "ip.src", "-e", "ipv6.src", "-e", proto + ".srcport"])
    streams = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for line in out.splitlines():
        flen, stream, ip4, ip6, sport = (line.split("\t") + [""] * 5)[:5]
        if stream == "":
            continue  # tshark decoded no stream index (header cut short)
        ss, ports = stream.split(","), sport.split(",")
        addrs = [a for a in (ip4.split(",") + ip6.split(",")) if a]
        if len(ss) != 1 or len(ports) != 1 or len(addrs) != 1:
            # Tunnels and ICMP errors: several headers in one frame.  Marked
            # so that the conversation's bytes are not claimed exact.
            for s in ss:
                if s:
                    streams[int(s)][("?", 0)][0] += 1
            continue
        e = streams[int(ss[0])][(addrs[0], int(ports[0]))]
        e[0] += 1
        e[1] += int(flen)
    return streams


for f in files:
    path = os.path.join(corpus, f)
    conv = tshark(["-q", "-r", path, "-z", "conv,tcp", "-z", "conv,udp"])
    frames = {"tcp": per_frame(path, "tcp"), "udp": per_frame(path, "udp")}
    section = None
    for line in conv.splitlines():
        if line.startswith("TCP Conversations"):
            section = "tcp"
        elif line.startswith("UDP Conversations"):
            section = "udp"
        m = LINE.match(line)
        if not m or section is None:
            continue
        (a, b, fba, bba, uba, fab, bab, uab, _ft, _bt, _ut, neg, ss, frac, dur) = m.groups()
        (aa, pa), (ab, pb) = split_ep(a), split_ep(b)
        start_ns = (int(ss) * 1000000000 + int(frac)) * (-1 if neg else 1)
        # Find the stream with these endpoints and frame counts.
        exact = None
        for st in frames[section].values():
            if ("?", 0) in st:
                continue
            ea, eb = st.get((aa, pa), [0, 0]), st.get((ab, pb), [0, 0])
            if set(st) <= {(aa, pa), (ab, pb)} and ea[0] == int(fab) and eb[0] == int(fba) \
                    and human(ea[1]) == "%s %s" % (bab, uab) and human(eb[1]) == "%s %s" % (bba, uba):
                if exact is not None and exact != (ea[1], eb[1]):
                    exact = "ambiguous"
                    break
                exact = (ea[1], eb[1])
        if exact is None or exact == "ambiguous":
            # Not derivable (a tunnel or an ICMP error in the stream): the
            # bytes are written -1 and only frames and times are compared.
            print("%s: no exact byte count for %s" % (f, line), file=sys.stderr)
            exact = (-1, -1)
        proto = 6 if section == "tcp" else 17
        print("\t".join(str(x) for x in (f, proto, aa, pa, ab, pb, fab, exact[0], fba, exact[1],
                                          start_ns, dur)))
