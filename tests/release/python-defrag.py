#!/usr/bin/env python3
"""The Python binding's IP defragmenter, pktdecode.Defrag (defrag.h, 1.1).

- A UDP datagram cut into IPv4 fragments, given in reverse order, comes
  back byte for byte (checksum recomputed), and decodes to UDP.
- A partial overlap drops the datagram; a duplicate is counted; a whole
  packet comes back as it is; the stats say so and the accounting holds.
- tests/corpus/tcpdump/afs.pcap gives the 51 datagrams tshark reassembles.
- A budget too small raises PktdError with the library's sentence.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import struct
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
sys.path.insert(0, os.path.join(srcdir, "examples", "python"))
import pktdecode as P  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures += 1


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4(payload, ident, frag=0, proto=17):
    h = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                              bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])))
    h[10:12] = struct.pack("!H", csum(bytes(h)))
    return bytes(h) + payload


def invariant(st):
    drops = sum(v for k, v in st.items() if k.startswith("drop_"))
    return (st["fragments"] == st["reassembled"] + st["held_fragments"] + drops
            and st["bytes_in_use"] <= st["bytes_pool"])


udp = struct.pack("!HHHH", 1000, 2000, 8 + 2000, 0) + bytes(i * 7 % 256 for i in range(2000))
whole = ipv4(udp, 42)
pieces = [(0, 1000, True), (1000, 800, True), (1800, len(udp) - 1800, False)]
frags = [ipv4(udp[o:o + n], 42, (0x2000 if m else 0) | o // 8) for o, n, m in pieces]

with P.Defrag() as d:
    p = P.Packet()
    got = [d.add(P.Packet(f, P.LINKTYPE_RAW), 1000 + i) for i, f in enumerate(reversed(frags))]
    check(got[:2] == [None, None] and got[2] == whole,
          "three IPv4 fragments in reverse order give the datagram back byte for byte")
    q = P.Packet(got[2], P.LINKTYPE_RAW)
    check(q.has(P.LAYER_UDP) and q.rc == 0, "the datagram decodes to UDP")
    check(d.add(P.Packet(whole, P.LINKTYPE_RAW), 2000) == whole, "a whole packet comes back as it is")
    d.add(P.Packet(frags[0], P.LINKTYPE_RAW), 3000)
    d.add(P.Packet(frags[0], P.LINKTYPE_RAW), 3000)
    over = ipv4(udp[992:1400], 42, 0x2000 | 992 // 8)
    check(d.add(P.Packet(over, P.LINKTYPE_RAW), 3000) is None, "an overlapping fragment gives nothing")
    st = d.stats()
    check(st["datagrams"] == 1 and st["whole"] == 1 and st["drop_duplicate"] == 1
          and st["drop_overlap"] == 2 and st["held_datagrams"] == 0 and invariant(st),
          "stats: 1 datagram, 1 whole, 1 duplicate, 2 dropped for the overlap: %r" % st)
    check(len(st) == P.DEFRAG_STAT_COUNT and st["bytes_allocated"] <= P.DEFRAG_DEFAULT_BUDGET,
          "all %d counters, allocation within the default budget" % P.DEFRAG_STAT_COUNT)
    d.add(P.Packet(frags[0], P.LINKTYPE_RAW), 4000)
    check(d.expire() == 1 and d.stats()["drop_timeout"] == 1, "expire() drops what is held")

with P.Defrag(timeout_ns=2 ** 63) as d, P.Reader(os.path.join(srcdir, "tests", "corpus", "tcpdump",
                                                               "afs.pcap")) as r:
    n = 0
    for rec in r:
        p = P.Packet(rec.data, rec.linktype)
        if p.has(P.LAYER_IPV4) or p.has(P.LAYER_IPV6):
            d.add(p, rec.ts_ns)
    st = d.stats()
    check(st["datagrams"] == 51 and invariant(st), "afs.pcap: 51 datagrams, as tshark")

try:
    P.Defrag(budget=1000)
    check(False, "a budget of 1000 bytes is refused")
except P.PktdError as e:
    check(e.code == P.E_INVALID_ARGUMENT and "below the" in str(e),
          "a budget of 1000 bytes is refused: %s" % e)

print("# %d failure(s)" % failures)
sys.exit(1 if failures else 0)
