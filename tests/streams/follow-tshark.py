#!/usr/bin/env python3
"""pktd-follow agrees byte for byte with tshark's follow,tcp,raw on every TCP
stream of the tcpdump corpus that carries payload.

tests/data/follow_tshark.tsv (tests/streams/follow_tshark_gen.sh) holds, per
stream, tshark's two endpoints and the length and SHA-256 of each
direction's bytes.  pktd-follow runs on each file; a connection is matched
to a tshark stream by its endpoints (either way round) and, when the same
endpoints carry several connections, by rank among those that delivered
bytes.  Two intentional differences (doc/design.md, "TCP stream
reassembly (1.1)"):

- At a hole tshark 4.0 writes the text "[N bytes missing in capture
  file]"; pktd-follow writes nothing (the summary counts the gap).  The
  generator takes tshark's marks out (and records their N), so the bytes
  must be equal, and pktd-follow's gap count must equal N.
- Sometimes (a hole right at the start of a direction picked up
  mid-stream) tshark 4.0 writes nothing after the hole at all; pktd-follow
  writes the bytes after it.  Such a direction is accepted when
  pktd-follow reports gaps for it and tshark's bytes are exactly the start
  of pktd-follow's (their SHA-256 is compared with that of pktd-follow's
  first bytes).
- Directions where tshark's follow output is wrong, listed in
  TSHARK_WRONG with the reason and the SHA-256 pktd-follow must give
  instead: the concatenation of tshark's own tcp.payload fields of that
  direction in sequence order (checked by hand with `tshark -Y
  "tcp.stream==N && tcp.srcport==P && tcp.len>0" -T fields -e tcp.seq -e
  tcp.payload | sort -n`).
- Captures pktd-follow does not open (link types the decoder does not
  know, TCP inside tunnels), listed in NOT_DECODED with the reason: no
  connection is expected there; if one appears and agrees, the test says
  to drop the entry.

Exit 0 when everything else agrees, 1 otherwise.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
FOLLOW = os.path.join(BUILD, "examples", "pktd-follow")
CORPUS = os.path.join(SRC, "tests", "corpus", "tcpdump")
TSV = os.path.join(SRC, "tests", "data", "follow_tshark.tsv")

# (file, tshark stream, "src.port" of the direction): (why tshark is wrong,
# SHA-256 of the direction's tcp.payload fields in sequence order).
TSHARK_WRONG = {
    ("of10_s4810.pcap", 0, "10.0.0.81.56068"): (
        "tshark's follow drops two segments of OpenFlow packet-ins that carry an "
        "STP frame and marks 137 bytes missing",
        "242062000dcf8b695f4f0111b9a5a6790f1a64f3d0271907b9cb6cd0d78fdb1b"),
    ("of13_ericsson.pcapng", 9, "127.0.0.1.6633"): (
        "both ends are 127.0.0.1: tshark's follow puts 127.0.0.1.6633's later "
        "segments in the other direction",
        "eb1dce5d2145625e7ca505da347ba39bef9b2860251850f0f4216f0850813cc2"),
    ("of13_ericsson.pcapng", 9, "127.0.0.1.58449"): (
        "both ends are 127.0.0.1: tshark's follow mixes the two directions",
        "a1ca3072a8d36f4173710727ceb9b82fc5caf3e293ca4063757e1f8c3f1161bf"),
}

# (file, tshark stream): why pktd-follow has the stream's two directions in
# two connections.  Each direction must still be found, byte for byte, as
# the sending direction of one of them.
ZONE_SPLIT = {
    ("geneve.pcap", 0): "the connection goes out in Geneve VNI 10 and comes back in VNI 11; "
                        "pktd-follow keys a connection by the tunnel around it (as pktd-flows), "
                        "so each direction is a connection of its own",
}

# file: why pktd-follow finds none of its TCP connections.
NOT_DECODED = {
    "arcnet-rfc1051-arp-icmp-http.pcap": "ARCNET link type (7), not decoded",
    "arcnet-rfc1201-arp-icmp-http.pcap": "ARCNET link type (129), not decoded",
    "bgp-aigp.pcap": "Juniper link type (178), not decoded",
    "ipoib.pcap": "IP over InfiniBand link type (242), not decoded",
    "wccp_redirect_gre.pcap": "TCP inside GRE: tunnels are not opened",
}


def endpoint(node):
    """tshark's "addr:port" / "[v6addr]:port" -> pktd-follow's "addr.port"."""
    addr, port = node.rsplit(":", 1)
    return addr.strip("[]") + "." + port


def follow(path, outdir):
    out = subprocess.run([FOLLOW, "-o", outdir, path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"pktd-follow {path}: exit {out.returncode}: {out.stderr.strip()}")
    conns = []
    for line in out.stdout.splitlines():
        m = re.match(r"(\d+) (\S+) sent=(\d+) received=(\d+) gaps=(\d+)/(\d+) ", line)
        if not m:
            raise RuntimeError(f"pktd-follow {path}: bad summary line {line!r}")
        conns.append((int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4)),
                      int(m.group(5)), int(m.group(6))))
    return conns


def digest(path, n=None):
    with open(path, "rb") as f:
        data = f.read()
    if n is not None:
        data = data[:n]
    return len(data), hashlib.sha256(data).hexdigest()


def main():
    rows = {}
    with open(TSV) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            rows.setdefault(fields[0], []).append(fields)
    failures = compared = prefix = skipped = 0
    for name, streams in sorted(rows.items()):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                conns = follow(os.path.join(CORPUS, name), tmp)
            except RuntimeError as e:
                print(f"FAIL {e}")
                failures += 1
                continue
            if name in NOT_DECODED:
                if conns:
                    print(f"FAIL {name}: pktd-follow finds connections now; drop it from NOT_DECODED")
                    failures += 1
                else:
                    print(f"ok (not decoded) {name}: {NOT_DECODED[name]}")
                    skipped += len(streams)
                continue
            used = set()
            for fname, stream, n0, n1, l0, h0, m0, l1, h1, m1 in streams:
                a, b = endpoint(n0), endpoint(n1)
                split = ZONE_SPLIT.get((name, int(stream)))
                if split is not None:
                    compared += 1
                    for src, dst, want in ((a, b, (int(l0), h0)), (b, a, (int(l1), h1))):
                        files = [(n, os.path.join(tmp, f"{n}-{src}-{dst}")) for n, *_ in conns]
                        hits = [n for n, f in files if os.path.exists(f) and digest(f) == want]
                        if hits:
                            print(f"ok (split by tunnel) {name} stream {stream} {src} -> {dst} "
                                  f"in connection {hits[0]}: {split}")
                        else:
                            print(f"FAIL {name} stream {stream} {src} -> {dst}: no connection has "
                                  f"tshark's {want}")
                            failures += 1
                    continue
                found = None
                for n, label, sent, received, g0, g1 in conns:
                    if n in used or sent + received == 0:
                        continue
                    if label in (f"{a}-{b}", f"{b}-{a}"):
                        found = (n, g0 if label == f"{a}-{b}" else g1, g1 if label == f"{a}-{b}" else g0)
                        break
                compared += 1
                if found is None:
                    print(f"FAIL {name} stream {stream} {a} <-> {b}: pktd-follow has no such connection")
                    failures += 1
                    continue
                n, gaps_ab, gaps_ba = found
                used.add(n)
                for src, dst, want, gaps, missing in ((a, b, (int(l0), h0), gaps_ab, int(m0)),
                                                      (b, a, (int(l1), h1), gaps_ba, int(m1))):
                    path = os.path.join(tmp, f"{n}-{src}-{dst}")
                    got = digest(path)
                    wrong = TSHARK_WRONG.get((name, int(stream), src))
                    if wrong is not None:
                        if got == want:
                            print(f"FAIL {name} stream {stream} {src}: agrees with tshark now; "
                                  "drop it from TSHARK_WRONG")
                            failures += 1
                        elif got[1] == wrong[1]:
                            print(f"ok (tshark is wrong) {name} stream {stream} {src} -> {dst}: {wrong[0]}")
                        else:
                            print(f"FAIL {name} stream {stream} {src} -> {dst}: pktd-follow {got}, "
                                  f"tcp.payload in order {wrong[1]}")
                            failures += 1
                        continue
                    if got == want:
                        if missing and gaps != missing:
                            print(f"FAIL {name} stream {stream} {src} -> {dst}: tshark marks {missing} "
                                  f"bytes missing, pktd-follow counts {gaps}")
                            failures += 1
                        continue
                    if gaps > 0 and got[0] > want[0] and digest(path, want[0]) == want:
                        prefix += 1
                        print(f"ok (tshark stops at a hole) {name} stream {stream} {src} -> {dst}: "
                              f"tshark {want[0]} bytes, pktd-follow {got[0]} after a {gaps}-byte gap")
                        continue
                    print(f"FAIL {name} stream {stream} {src} -> {dst}: tshark {want}, pktd-follow {got}")
                    failures += 1
    print(f"{compared} streams compared ({prefix} directions where tshark stops at a hole), "
          f"{skipped} in captures not decoded, {failures} failures")
    return 1 if failures or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
