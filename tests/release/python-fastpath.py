#!/usr/bin/env python3
"""The per-packet fast path of the binding (issue 15: decode + 5-tuple in
at most 2 us from Python).

- Packet.five_tuple() equals, for every packet of the corpus, what the
  accessors give: (ipv4_src, ipv4_dst, ipv4_proto) or the IPv6 addresses as
  128-bit ints and ipv6_upper, then the TCP or UDP ports (0 otherwise);
  None without IPv4 or IPv6.
- Reader.next_into() (two foreign calls per packet, three for pcapng)
  decodes exactly what Packet(record.data, record.linktype) decodes, for
  pcap and pcapng files with several link types; a closed reader raises
  ValueError; a truncated file raises PktdError with the reader's message.
- read_columns() fills its arrays in place (no concatenation) and grows
  them when the file has more records than its estimate: on a built file of
  200,000 records, large then small (so the estimate from the first 65536
  is short), it equals iter_batches() row for row, with numpy columns when
  numpy is importable and array.array columns (PKTDECODE_NO_NUMPY=1); the
  rows before a truncated record come with the error.
Standard library only.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import glob
import os
import sys
import tempfile

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
    return ok


def slow_tuple(p):
    if p.has(P.LAYER_IPV4):
        src, dst, proto = p.ipv4_src(), p.ipv4_dst(), p.ipv4_proto()
    elif p.has(P.LAYER_IPV6):
        src, dst = int.from_bytes(p.ipv6_src(), "big"), int.from_bytes(p.ipv6_dst(), "big")
        proto = p.ipv6_upper()[0] if p.ipv6_upper() else None
        if proto is None:
            proto = p.field_array()[P.FIELD_IPV6_UPPER]
    else:
        return None
    if p.has(P.LAYER_TCP):
        return src, dst, proto, p.tcp_sport(), p.tcp_dport()
    return src, dst, proto, p.udp_sport(), p.udp_dport()


corpus = os.path.join(srcdir, "tests", "corpus", "tcpdump")
files = sorted(glob.glob(os.path.join(corpus, "*.pcap")) + glob.glob(os.path.join(corpus, "*.pcapng")))
bad_tuple, bad_decode, packets, v4, v6, none = [], [], 0, 0, 0, 0
for path in files:
    fast, slow = P.Packet(), None
    try:
        with P.Reader(path) as r, P.Reader(path) as r2:
            records = iter(r2)
            while r.next_into(fast):
                rec = next(records)
                slow = P.Packet(rec.data, rec.linktype)
                packets += 1
                if fast.rc != slow.rc or fast.field_array()[:] != slow.field_array()[:]:
                    bad_decode.append("%s #%d" % (os.path.basename(path), packets))
                t = fast.five_tuple()
                if t != slow_tuple(slow):
                    bad_tuple.append("%s #%d: %r" % (os.path.basename(path), packets, t))
                if t is None:
                    none += 1
                elif fast.has(P.LAYER_IPV4):
                    v4 += 1
                else:
                    v6 += 1
            if next(records, None) is not None:
                bad_decode.append("%s: next_into ended before iteration" % os.path.basename(path))
    except P.PktdError:
        pass  # a corpus file the reader refuses: the binding test covers it
for b in bad_decode[:5] + bad_tuple[:5]:
    print("#   " + b)
check(packets > 10000 and not bad_decode,
      "next_into() decodes as Packet(record.data, record.linktype): %d packets of %d files"
      % (packets, len(files)))
check(not bad_tuple and v4 > 1000 and v6 > 100 and none > 100,
      "five_tuple() = the accessors' values (%d IPv4, %d IPv6, %d without IP)" % (v4, v6, none))

# pcapng with several link types: next_into asks the link type per packet.
path = os.path.join(corpus, "OSPFv2_Capture_FINAL.pcapng")
with P.Reader(path) as r:
    p = P.Packet()
    n = 0
    while r.next_into(p):
        n += 1
        ok_lt = p.packet_linktype() == r.linktype()
    check(n > 0 and ok_lt, "pcapng: next_into decodes with the record's link type")
r = P.Reader(path)
r.close()
try:
    r.next_into(P.Packet())
    check(False, "next_into on a closed reader raises ValueError")
except ValueError:
    check(True, "next_into on a closed reader raises ValueError")

with open(os.path.join(corpus, "pim-packet-assortment.pcap"), "rb") as f:
    data = f.read()
with tempfile.NamedTemporaryFile(suffix=".pcap") as tmp:
    tmp.write(data[:-3])
    tmp.flush()
    msgs = []
    for how in ("next_into", "iterate"):
        try:
            with P.Reader(tmp.name) as r:
                if how == "next_into":
                    p = P.Packet()
                    while r.next_into(p):
                        pass
                else:
                    for _ in r:
                        pass
            msgs.append(None)
        except P.PktdError as e:
            msgs.append((e.code, e.detail))
    check(msgs[0] is not None and msgs[0] == msgs[1] and msgs[0][0] == P.E_TRUNCATED,
          "a truncated file: next_into and iteration raise the same PktdError (%s)" % (msgs[0],))


# read_columns() past its first estimate (a child per column type).
GROW = r"""
import array, os, struct, sys, tempfile
import pktdecode as P
frame = bytes.fromhex("ffffffffffff020000000001080045000028000140004006000"
                      "00a0000010a000002d4310050000000010000000050021000"
                      "00000000")
with tempfile.NamedTemporaryFile(suffix=".pcap") as f:
    recs = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
    for i in range(200000):
        pad = 400 if i < 70000 else 0
        data = frame[:34] + struct.pack(">HH", 1000 + i % 60000, 80) + frame[38:] + bytes(pad)
        recs.append(struct.pack("<IIII", i, i % 1000000, len(data), len(data)) + data)
    f.write(b"".join(recs))
    f.flush()
    cols = ["ts_ns", "caplen", "tcp_sport", "ipv4_src", "status"]
    whole = P.read_columns(f.name, cols)
    want = {k: [] for k in cols}
    for b in P.iter_batches(f.name, batch_rows=7777, fields=cols):
        for k in cols:
            want[k].extend(b[k])
    ok = all(list(whole[k]) == want[k] for k in cols) and len(whole["ts_ns"]) == 200000
    ok &= list(whole["tcp_sport"][:3]) == [1000, 1001, 1002]
    ok &= whole["caplen"][0] == len(frame) + 400 and whole["caplen"][-1] == len(frame)
    f.truncate(os.path.getsize(f.name) - 7)
    try:
        P.read_columns(f.name, cols)
        ok = False
    except P.PktdError as e:
        ok &= e.code == P.E_TRUNCATED and len(e.columns["ts_ns"]) == 199999
        ok &= list(e.columns["tcp_sport"]) == want["tcp_sport"][:199999]
    print("# columns: %s" % type(whole["ts_ns"]).__name__)
    sys.exit(0 if ok else 1)
"""
import subprocess  # noqa: E402
kinds = [("array.array", dict(os.environ, PKTDECODE_NO_NUMPY="1"))]
if subprocess.call([sys.executable, "-c", "import numpy"], stderr=subprocess.DEVNULL) == 0:
    kinds.append(("numpy", dict(os.environ)))
else:
    print("# numpy is not importable by %s: the numpy columns are tested by python-columns.py"
          % sys.executable)
for kind, env in kinds:
    env["PYTHONPATH"] = os.path.join(srcdir, "examples", "python")
    env["PKTDECODE_LIB"] = os.path.abspath(env["PKTDECODE_LIB"])
    check(subprocess.call([sys.executable, "-c", GROW], env=env) == 0,
          "read_columns (%s) of 200,000 records, past its first estimate, = iter_batches(); "
          "a truncated record raises with the rows before it" % kind)

print("# %d failure(s)" % failures)
sys.exit(1 if failures else 0)
