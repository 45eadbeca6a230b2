#!/usr/bin/env python3
"""Write tests/data/sample.pcap: a small, deterministic Ethernet capture that
exercises every layer libpktdecode decodes (the Quick start's demo input and
the tshark agreement test's main input).

Plain struct packing, no third-party modules, so anyone can regenerate it:
    python3 tests/data/make-sample.py tests/data/sample.pcap
"""
import struct
import sys

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
BCAST = b"\xff" * 6
IP_A = bytes([10, 0, 0, 1])
IP_B = bytes([10, 0, 0, 2])


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, etype, payload, vlans=()):
    hdr = dst + src
    for tpid, tci in vlans:
        hdr += struct.pack("!HH", tpid, tci)
    frame = hdr + struct.pack("!H", etype) + payload
    return frame + b"\0" * max(0, 60 - len(frame))  # Ethernet minimum: padding


def ipv4(src, dst, proto, payload, ident=0x1234, ttl=64, df=True, mf=False, frag=0,
         opts=b"", tos=0, total=None):
    ihl = 5 + len(opts) // 4
    tot = total if total is not None else ihl * 4 + len(payload)
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, tot, ident, flags, ttl, proto, 0,
                      src, dst) + opts
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def pseudo(src, dst, proto, length):
    return src + dst + struct.pack("!BBH", 0, proto, length)


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", opts=b"", win=65535, doff=None):
    off = doff if doff is not None else 5 + len(opts) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags, win, 0, 0) + opts
    c = csum(pseudo(src, dst, 6, len(hdr) + len(payload)) + hdr + payload)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:] + payload


def udp(src, dst, sport, dport, payload):
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    c = csum(pseudo(src, dst, 17, len(hdr) + len(payload)) + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + payload


def icmp_echo(typ, ident, seq, payload):
    hdr = struct.pack("!BBHHH", typ, 0, 0, ident, seq)
    c = csum(hdr + payload)
    return hdr[:2] + struct.pack("!H", c) + hdr[4:] + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


# TCP options
MSS = struct.pack("!BBH", 2, 4, 1460)
SACKP = b"\x04\x02"
NOP = b"\x01"
WS = b"\x03\x03\x07"
def TS(val, ecr): return struct.pack("!BBII", 8, 10, val, ecr)
def SACK(*blocks): return struct.pack("!BB", 5, 2 + 8 * len(blocks)) + b"".join(
    struct.pack("!II", l, r) for l, r in blocks)


def frames():
    f = []
    # ARP who-has and reply
    f.append(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, IP_A, b"\0" * 6, IP_B)))
    f.append(eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, IP_B, MAC_A, IP_A)))
    # ICMP echo request / reply
    body = bytes(range(48))
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 1, icmp_echo(8, 0x4242, 1, body), ident=1)))
    f.append(eth(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 1, icmp_echo(0, 0x4242, 1, body), ident=2)))
    # TCP handshake with every common option, data, SACK, FIN
    syn_opts = MSS + SACKP + TS(1000, 0) + NOP + WS
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, tcp(IP_A, IP_B, 40000, 80, 1000, 0, 0x02, opts=syn_opts), ident=3)))
    f.append(eth(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 6, tcp(IP_B, IP_A, 80, 40000, 5000, 1001, 0x12, opts=syn_opts), ident=4)))
    ts_opts = NOP + NOP + TS(1001, 1000)
    req = b"GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n"
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, tcp(IP_A, IP_B, 40000, 80, 1001, 5001, 0x18, req, opts=ts_opts), ident=5)))
    sack_opts = NOP + NOP + TS(1002, 1001) + NOP + NOP + SACK((6001, 7001), (8001, 9001))
    f.append(eth(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 6, tcp(IP_B, IP_A, 80, 40000, 5001, 1001 + len(req), 0x10, opts=sack_opts), ident=6)))
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, tcp(IP_A, IP_B, 40000, 80, 1001 + len(req), 5001, 0x11), ident=7)))
    # UDP (DNS-like) query, short enough to need Ethernet padding
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 5353, 53, b"\x12\x34\x01\x00"), ident=8)))
    # UDP in an 802.1Q tag, and TCP in an 802.1ad + 802.1Q (QinQ) stack
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 1234, 5678, b"tagged payload"), ident=9), vlans=[(0x8100, (3 << 13) | 100)]))
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, tcp(IP_A, IP_B, 40001, 443, 77, 0, 0x02, opts=MSS), ident=10), vlans=[(0x88a8, 200), (0x8100, 5)]))
    # IPv4 with options (router alert + NOP padding)
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 9, 9, b"opts"), ident=11, opts=b"\x94\x04\x00\x00")))
    # A UDP datagram in two fragments: first (MF) and last (offset 2 = 16 bytes)
    dgram = udp(IP_A, IP_B, 7000, 7001, bytes(range(24)))
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, dgram[:16], ident=0x777, df=False, mf=True)))
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, dgram[16:], ident=0x777, df=False, frag=2)))
    # Malformed: TCP data offset 4
    f.append(eth(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, tcp(IP_A, IP_B, 1, 2, 0, 0, 0x02, doff=4), ident=12)))
    # An IPv6 frame: decoded up to Ethernet only
    v6 = bytes.fromhex("6000000000083b40") + bytes(16) + bytes(15) + b"\x01" + bytes(8)
    f.append(eth(MAC_B, MAC_A, 0x86DD, v6))
    return f


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "sample.pcap"
    with open(out, "wb") as fh:
        # Classic pcap, microseconds, little endian, Ethernet.
        fh.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        t = 1700000000
        for i, fr in enumerate(frames()):
            fh.write(struct.pack("<IIII", t + i // 4, (i * 125003) % 1000000, len(fr), len(fr)))
            fh.write(fr)


if __name__ == "__main__":
    main()
