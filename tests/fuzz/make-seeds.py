#!/usr/bin/env python3
"""Builds seed inputs for every fuzz target from real captures.

    make-seeds.py --out DIR CAPTURE_OR_DIR...

Reads pcap and pcapng files with its own small parser (independent of the
library under test) and writes DIR/<target>/<sha1 of content>:

  eth       Ethernet frames (link type 1), VLAN tags included
  arp       ARP packets, from the ARP header on
  ipv4      IPv4 packets, from the IPv4 header on
  ipv6      IPv6 packets, from the IPv6 header on
  tcp       selector byte + TCP segment              (fuzz_tcp.c)
  udp_icmp  protocol byte + selector + UDP/ICMP msg  (fuzz_udp_icmp.c)
  decode    link-type byte + frame                   (fuzz_decode.c)
  pcap      pcap files, cut to whole records within 16 KiB
  pcapng    pcapng files, cut to whole blocks within 16 KiB
  writer    capture descriptions for the round trip  (fuzz_writer.c)
  flow      control byte + frames with time steps     (fuzz_flow.c)

At most PER_FILE packets of each kind are taken from one capture, so no
single large capture dominates; identical inputs are written once.
`make fuzz-merge` then keeps the ones that add coverage.
"""
import argparse
import hashlib
import os
import struct
import sys

PER_FILE = 24
FILE_CUT = 16384
LINK_SEL = {1: 0, 101: 1, 113: 2, 228: 3, 276: 4, 0: 5,  # fuzz_decode.c's table
            9: 8, 50: 9, 104: 10, 108: 11, 229: 12}
VLAN_TPIDS = (0x8100, 0x88A8, 0x9100, 0x9200)


def read_pcap(buf):
    """Yields (linktype, frame, record_end_offset) for a classic pcap image."""
    magic = buf[:4]
    if magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    elif magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    else:
        return
    if len(buf) < 24:
        return
    linktype = struct.unpack(e + "I", buf[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(buf):
        cap = struct.unpack(e + "I", buf[off + 8:off + 12])[0]
        if off + 16 + cap > len(buf):
            return
        yield linktype, buf[off + 16:off + 16 + cap], off + 16 + cap
        off += 16 + cap


def read_pcapng(buf):
    """Yields (linktype, frame, block_end_offset) for a pcapng image."""
    off, e, ifs = 0, "<", []
    while off + 12 <= len(buf):
        if buf[off:off + 4] == b"\x0a\x0d\x0d\x0a":
            bom = buf[off + 8:off + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            ifs = []
        btype, blen = struct.unpack(e + "II", buf[off:off + 8])
        if blen < 12 or off + blen > len(buf):
            return
        body = buf[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 8:
            ifs.append(struct.unpack(e + "H", body[:2])[0])
        elif btype in (2, 6) and len(body) >= 20:
            iface = struct.unpack(e + ("I" if btype == 6 else "H"), body[:4 if btype == 6 else 2])[0]
            cap = struct.unpack(e + "I", body[12:16])[0]
            if iface < len(ifs) and 20 + cap <= len(body):
                yield ifs[iface], body[20:20 + cap], off + blen
        elif btype == 3 and len(body) >= 4 and ifs:
            wire = struct.unpack(e + "I", body[:4])[0]
            yield ifs[0], body[4:4 + min(wire, len(body) - 4)], off + blen
        off += blen


def network_layer(linktype, f):
    """Returns (ethertype, offset of the network header) or None."""
    if linktype == 1:
        if len(f) < 14:
            return None
        t, off = struct.unpack(">H", f[12:14])[0], 14
        while t in VLAN_TPIDS and off + 4 <= len(f):
            t, off = struct.unpack(">H", f[off + 2:off + 4])[0], off + 4
        return t, off
    if linktype == 113 and len(f) >= 16:
        return struct.unpack(">H", f[14:16])[0], 16
    if linktype == 276 and len(f) >= 20:
        return struct.unpack(">H", f[0:2])[0], 20
    if linktype in (101, 228) and f and f[0] >> 4 == 4:
        return 0x0800, 0
    return None


class Seeds:
    def __init__(self, out):
        self.out = out
        self.count = {}

    def add(self, target, data):
        d = os.path.join(self.out, target)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, hashlib.sha1(data).hexdigest())
        if not os.path.exists(path):
            with open(path, "wb") as fh:
                fh.write(data)
            self.count[target] = self.count.get(target, 0) + 1


def writer_seed(packets, mode, linktype):
    """Encodes packets the way fuzz_writer.c reads them."""
    out = bytearray([mode]) + struct.pack("<H", linktype)
    for i, f in enumerate(packets):
        f = f[:1599]
        op = 0x40 if i % 3 == 2 else 0
        out += bytes([op]) + struct.pack("<H", len(f)) + bytes([i * 7 % 256])
        out += struct.pack("<Q", 1_700_000_000_000 + i * 12_345)[:5] + f
    out += bytes([0x0F]) + struct.pack("<H", len(packets))  # a statistics block
    return bytes(out)


def flow_seed(records, ctl):
    """Encodes up to 32 Ethernet or raw-IP frames the way fuzz_flow.c reads them."""
    out = bytearray([ctl])
    prev = None
    for i, (linktype, f, _) in enumerate(records[:32]):
        if linktype not in (1, 101):
            continue
        f = f[:2048]
        step = 1 if prev is None else (i * 37) % 256  # some steps are negative
        how = (0x80 if linktype == 101 else 0) | (i % 5 == 4)
        out += struct.pack(">HBB", len(f), step, how) + f
        prev = f
    return bytes(out) if len(out) > 1 else None


def seed_file(seeds, path):
    with open(path, "rb") as fh:
        buf = fh.read()
    ng = buf[:4] == b"\x0a\x0d\x0d\x0a"
    records = list(read_pcapng(buf) if ng else read_pcap(buf))
    if not records and not ng and buf[:4] not in (b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1",
                                                   b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"):
        return
    # The file itself, cut at the last whole record within FILE_CUT.
    cut = min(len(buf), FILE_CUT)
    ends = [end for _, _, end in records if end <= FILE_CUT]
    if len(buf) > FILE_CUT:
        cut = ends[-1] if ends else FILE_CUT
    seeds.add("pcapng" if ng else "pcap", buf[:cut])

    taken = {}

    def take(target, data):
        if taken.get(target, 0) < PER_FILE:
            taken[target] = taken.get(target, 0) + 1
            seeds.add(target, data)

    for linktype, f, _ in records:
        take("decode", bytes([LINK_SEL.get(linktype, 6)]) + f)
        if linktype == 1:
            take("eth", f)
        nl = network_layer(linktype, f)
        if nl is None:
            continue
        etype, off = nl
        if etype == 0x0806:
            take("arp", f[off:])
        if etype == 0x86DD and len(f) >= off + 40:
            take("ipv6", f[off:])
        if etype != 0x0800 or len(f) < off + 20 or f[off] >> 4 != 4:
            continue
        ip = f[off:]
        take("ipv4", ip)
        ihl = (ip[0] & 15) * 4
        tot = struct.unpack(">H", ip[2:4])[0]
        if struct.unpack(">H", ip[6:8])[0] & 0x1FFF:
            continue  # later fragment: no transport header
        seg = ip[ihl:tot] if ihl <= tot <= len(ip) else ip[ihl:]
        shape = 0x80 if len(seg) % 2 else 0x00  # exact length, half with a fixed checksum
        if ip[9] == 6:
            take("tcp", bytes([shape]) + seg)
        elif ip[9] == 17:
            take("udp_icmp", bytes([0, shape]) + seg)
        elif ip[9] == 1:
            take("udp_icmp", bytes([1, shape]) + seg)

    fs = flow_seed(records, len(seeds.count) * 29 % 256)
    if fs is not None:
        seeds.add("flow", fs)

    frames = [f for _, f, _ in records[:8]]
    if frames:
        lt = records[0][0]
        n = len(seeds.count)
        seeds.add("writer", writer_seed(frames, (n * 5) % 16, lt))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()
    seeds = Seeds(args.out)
    files = []
    for p in args.inputs:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, n) for n in os.listdir(p)
                            if n.endswith((".pcap", ".pcapng")))
        else:
            files.append(p)
    for path in files:
        try:
            seed_file(seeds, path)
        except (struct.error, IndexError) as exc:
            print(f"make-seeds: {path}: skipped ({exc})", file=sys.stderr)
    for target in sorted(seeds.count):
        print(f"{target}: {seeds.count[target]} seeds")


if __name__ == "__main__":
    main()
