#!/usr/bin/env python3
"""TCP stream reassembly and filter expressions from Python (TcpReasm,
Filter; tcp_reasm.h, filter.h, since 1.1): out-of-order segments come back
in order, a hole is a gap, FIN ends a direction, the counters agree, an
exception in the callback reaches the caller, bad arguments raise
PktdError with the library's message, and a filter matches by port.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import struct
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
sys.path.insert(0, os.path.abspath(os.path.join(srcdir, "examples", "python")))
import pktdecode as P  # noqa: E402

failures = 0


def check(cond, what):
    global failures
    print("%s - %s" % ("ok" if cond else "not ok", what))
    if not cond:
        failures += 1


def segment(seq, flags, payload=b"", sport=1234):
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0, 64, 6, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    tcp = struct.pack(">HHIIBBHHH", sport, 80, seq, 0, 0x50, flags, 65535, 0, 0)
    return P.Packet(ip + tcp + payload, P.LINKTYPE_IPV4)


events = []
r = P.TcpReasm(4, 1 << 16, lambda *e: events.append(e))
SYN, FIN, ACK = 0x02, 0x01, 0x10
r.add(3, 0, segment(100, SYN))
r.add(3, 0, segment(101 + 5, ACK, b"world"))
check(events == [], "an out-of-order segment is held")
r.add(3, 0, segment(101, ACK, b"hello"))
data = b"".join(e[4] for e in events if e[0] == P.TCP_REASM_DATA)
check(data == b"helloworld", "delivered in order: %r" % data)
check([e[3] for e in events] == [0, 5], "offsets 0 and 5")
r.add(3, 0, segment(101 + 20, FIN | ACK))
r.flush(3)
kinds = [(e[0], e[5]) for e in events[2:]]
check(kinds == [(P.TCP_REASM_GAP, 10), (P.TCP_REASM_END, P.TCP_REASM_END_FIN)],
      "a gap up to the FIN, then END fin: %r" % kinds)
st = r.stats()
check(st[P.TCP_REASM_STAT_DELIVERED] == 10 and st[P.TCP_REASM_STAT_GAP_BYTES] == 10,
      "stats: 10 delivered, 10 gap")
check(st[P.TCP_REASM_STAT_MEM_PEAK] <= 1 << 16 and st[P.TCP_REASM_STAT_MEM_USED] == 0,
      "memory within the budget and all returned")
check(r.flow_stats(3, 0)[P.TCP_REASM_FLOW_DELIVERED] == 0, "a flushed id starts over")

try:
    r.add(4, 0, segment(1, SYN))
    check(False, "flow id beyond the capacity raises")
except P.PktdError as e:
    check(e.code == P.E_INVALID_ARGUMENT and "flow id 4" in str(e), "flow id beyond the capacity: %s" % e)


def boom(*e):
    raise KeyError("from the callback")


r2 = P.TcpReasm(1, 0, boom)
try:
    r2.add(0, 1, segment(7, ACK, b"x"))
    check(False, "a callback exception reaches the caller")
except KeyError:
    check(True, "a callback exception reaches the caller")
r2.close()
r.close()

try:
    P.TcpReasm(0, 100, lambda *e: None)
    check(False, "capacity 0 raises")
except P.PktdError as e:
    check("capacity 0" in str(e), "capacity 0: %s" % e)

if lib_has_pcap := bool(P.lib.pktd_capture_expr_available()):
    f = P.Filter("tcp src port 1234", P.LINKTYPE_IPV4)
    check(f.match(bytes(segment(1, ACK)._keep)), "filter matches port 1234")
    check(not f.match(bytes(segment(1, ACK, sport=99)._keep)), "filter rejects port 99")
    f.close()
    try:
        P.Filter("tcp port", P.LINKTYPE_RAW)
        check(False, "a bad expression raises")
    except P.PktdError as e:
        check("tcp port" in str(e), "a bad expression: %s" % e)

sys.exit(1 if failures else 0)
