#!/usr/bin/env python3
"""The flow table from Python (pktdecode.FlowTable, Flow, read_flows; 1.1).

- read_flows() gives, flow by flow and key by key, the records
  `pktd-flows -j` prints for the same captures (TCP with FIN and RST ends,
  UDP, ICMP, IPv6, VLAN tags, tunnels (nested too), several files as one
  input); Packet.levels() walks the tunnel levels as inner() does.
- FlowTable: update() results (new flow, direction), get(), count(),
  stats() names and values, idle expiry in capture time, eviction with its
  end name, flush(), on_export errors raised by the call that ended the flow,
  and the creation error's message.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import json
import os
import subprocess
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
sys.path.insert(0, os.path.join(srcdir, "examples", "python"))
import pktdecode  # noqa: E402

corpus = os.path.join(srcdir, "tests", "corpus", "tcpdump")
tunnels = os.path.join(srcdir, "tests", "data", "tunnels")  # tests/capture/tunnels.sh's captures
failures = 0


def check(cond, what):
    global failures
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failures += 1


def frame(src, dst, sport, dport, flags):
    """Ethernet + IPv4 + TCP, enough for the decoder (checksums are not needed)."""
    eth = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00"
    ip = bytes([0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0]) + bytes(src) + bytes(dst)
    tcp = sport.to_bytes(2, "big") + dport.to_bytes(2, "big") + bytes(8) + bytes([0x50, flags]) + bytes(6)
    return eth + ip + tcp


for files in (["mptcp-v0.pcap"], ["afs.pcap"], ["ipv4_tcp_http_xml.pcap"], ["dhcpv4v6-rfc5970-rfc8572.pcap"],
              ["babel.pcap", "afs.pcap", "mptcp-v0.pcap"], ["gso-ipv4-vxlan-ipv4.pcap"], ["geneve.pcap"],
              ["ns-user-gtpu.pcap"], ["ns-user-mpls.pcap"], ["ns-user-pppoe.pcap"], ["ns-user-ipip.pcap"],
              ["ns-user-gre.pcap"], ["ns-vxlan-in-gre.pcap"]):
    paths = [os.path.join(corpus if not f.startswith("ns-") else tunnels, f) for f in files]
    out = subprocess.run([os.path.join(builddir, "examples", "pktd-flows"), "-j"] + paths,
                         capture_output=True, text=True, check=True).stdout
    want = [json.loads(line) for line in out.splitlines()]
    got = [f.as_dict() for f in pktdecode.read_flows(paths)]
    check(got == want and len(want) > 0, "read_flows == pktd-flows -j on %s (%d flows)" % (" ".join(files), len(want)))

# Packet.levels() (pktd_packet_level_next): the packet, then each inner()
# level, in the zone of the tunnel around it; nested tunnels included.
nlevels, same = 0, True
for name in ("ns-vxlan-in-gre.pcap", "ns-user-mpls.pcap", "ns-user-pppoe.pcap"):
    with pktdecode.Reader(os.path.join(tunnels, name)) as r:
        for rec in r:
            p = pktdecode.Packet(rec.data, rec.linktype)
            want, level, zone = [], p, 0
            while True:
                want.append((zone, level.to_dict()))
                if not level.packet_tunnel() or level.packet_depth() >= pktdecode.TUNNEL_MAX_DEPTH:
                    break
                zone = level.packet_tunnel() << 32 | level.packet_tunnel_id()
                same &= level.packet_tunnel_zone() == zone
                level = level.inner()
            got = [(z, lv.to_dict()) for lv, z in p.levels()]
            same &= got == want
            nlevels += len(got)
check(same and nlevels > 0, "levels() == the inner() chain, zones == tunnel << 32 | id (%d levels)" % nlevels)

SEC = 10 ** 9
A, B = [10, 0, 0, 1], [10, 0, 0, 2]
t = pktdecode.FlowTable(2, idle_timeout_ns=10 * SEC)
check(t.capacity() == 2 and t.count() == 0, "capacity and count of a new table")
p = pktdecode.Packet(frame(A, B, 40000, 80, 0x02))
fid, d, new = t.update(p, 1 * SEC, 60)
check(d == pktdecode.FLOW_FWD and new, "first packet: new flow, forward")
p.decode(frame(B, A, 80, 40000, 0x12))
check(t.update(p, 2 * SEC, 60) == (fid, pktdecode.FLOW_REV, False), "reply: same flow, reverse")
f = t.get(fid)
check((f.src, f.sport, f.dst, f.dport, f.pkts_fwd, f.pkts_rev, f.bytes_fwd, f.tcp_flags_rev, f.end)
      == ("10.0.0.1", 40000, "10.0.0.2", 80, 1, 1, 60, 0x12, "none"), "get(): the live flow's fields")
check(t.get(1 - fid) is None, "get() of a free id is None")
arp = pktdecode.Packet(bytes(12) + b"\x08\x06" + bytes(28))
check(t.update(arp, 3 * SEC, 42) is None, "a packet without a flow key")
for port in (1, 2):  # two more flows in a table of 2: one eviction
    p.decode(frame(A, B, port, 80, 0x02))
    t.update(p, 4 * SEC, 60)
check([x.end for x in t.ended] == ["evicted"], "eviction ends the least recently updated flow")
check(t.expire(100 * SEC) == 2 and [x.end for x in t.ended[1:]] == ["idle", "idle"], "expire() in capture time")
st = t.stats()
check(st["packets"] == 5 and st["keyed"] == 4 and st["not_ip"] == 1 and st["created"] == 3
      and st["end_evicted"] == 1 and st["end_idle"] == 2, "stats() by name: %r" % st)
p.decode(frame(A, B, 9, 9, 0x02))
t.update(p, 200 * SEC, 60)
check(t.flush() == 1 and t.ended[-1].end == "eof" and t.count() == 0, "flush() ends the rest with eof")
t.close()


def boom(flow):
    raise RuntimeError("export failed")


t = pktdecode.FlowTable(4, on_export=boom)
p.decode(frame(A, B, 1, 2, 0x02))
t.update(p, 1, 60)
try:
    t.flush()
    check(False, "an on_export exception is raised by flush()")
except RuntimeError as e:
    check(str(e) == "export failed", "an on_export exception is raised by flush()")
t.close()

try:
    pktdecode.FlowTable(0)
    check(False, "capacity 0 is refused")
except pktdecode.PktdError as e:
    check(e.code == pktdecode.E_INVALID_ARGUMENT and "capacity 0" in str(e), "capacity 0 is refused: %s" % e)
sys.exit(1 if failures else 0)
