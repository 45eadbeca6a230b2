#!/usr/bin/env python3
"""A tunnel endpoint in user space, for tests/capture/tunnels.sh.

usertunnel.py KIND TUNDEV IFACE LOCAL PEER PEERMAC READYFILE

Makes the TUN device TUNDEV (IP packets, no link header) and carries
everything the kernel routes into it to PEER, wrapped in KIND; what arrives
from PEER in KIND is unwrapped and written back to TUNDEV.  So the inner
packets are the kernel's own (ping, UDP, TCP and their answers) and only the
wrapping is ours, for the encapsulations this kernel cannot make with
iproute2, or at all (GTP-U, PPPoE):
  gre     GRE with checksum, key 4660 and sequence numbers, over IPv4
  ipip    IPv4 (protocol 4) and IPv6 (protocol 41) in IPv4
  geneve  Geneve, VNI 4660, one 8-byte option, carrying IP (UDP 6081)
  gtpu    GTPv1-U G-PDU, TEID 0x11223344 (UDP 2152), alternately with a
          sequence number and with a PDU session container extension header
  gremp   GRE (key 4661) carrying MPLS (label 3000) carrying IP
  pppoe   PPPoE session 0x42, PPP protocol 0x0021/0x0057 (Ethernet on IFACE)
  mpls    two labels, 1000 then 2000 (bottom of stack), on Ethernet on IFACE
Writes READYFILE once it receives; runs until killed.
"""
import fcntl
import os
import select
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
PACKET_OUTGOING = 4
GENEVE_OPTION = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x01\x02\x03\x04"


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ip_version(pkt):
    return pkt[0] >> 4 if pkt else 0


def ethertype_of(pkt):
    return 0x86DD if ip_version(pkt) == 6 else 0x0800


class Tunnel:
    def __init__(self, kind, iface, local, peer, peermac):
        self.kind, self.peer, self.seq = kind, peer, 0
        self.socks = []
        if kind in ("gre", "gremp"):
            self.socks = [socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)]
        elif kind == "ipip":
            self.socks = [socket.socket(socket.AF_INET, socket.SOCK_RAW, 4),
                          socket.socket(socket.AF_INET, socket.SOCK_RAW, 41)]
        elif kind in ("geneve", "gtpu"):
            port = 6081 if kind == "geneve" else 2152
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((local, port))
            self.port = port
            self.socks = [s]
        elif kind in ("pppoe", "mpls"):
            self.etype = 0x8864 if kind == "pppoe" else 0x8847
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(self.etype))
            s.bind((iface, self.etype))
            mac = bytes.fromhex(open(f"/sys/class/net/{iface}/address").read().strip().replace(":", ""))
            self.l2 = bytes.fromhex(peermac.replace(":", "")) + mac + struct.pack("!H", self.etype)
            self.socks = [s]
        else:
            raise SystemExit(f"usertunnel.py: unknown kind {kind}")

    def send(self, pkt):
        self.seq += 1
        k = self.kind
        if k == "gre":
            # C, K and S bits; checksum over the GRE header and payload.
            hdr = struct.pack("!HHHHII", 0xB000, ethertype_of(pkt), 0, 0, 4660, self.seq)
            csum = checksum(hdr + pkt)
            hdr = hdr[:4] + struct.pack("!H", csum) + hdr[6:]
            self.socks[0].sendto(hdr + pkt, (self.peer, 0))
        elif k == "gremp":
            mpls = struct.pack("!I", (3000 << 12) | (1 << 8) | 64)
            hdr = struct.pack("!HHI", 0x2000, 0x8847, 4661)
            self.socks[0].sendto(hdr + mpls + pkt, (self.peer, 0))
        elif k == "ipip":
            self.socks[1 if ip_version(pkt) == 6 else 0].sendto(pkt, (self.peer, 0))
        elif k == "geneve":
            hdr = struct.pack("!BBHI", len(GENEVE_OPTION) // 4, 0, ethertype_of(pkt), 4660 << 8)
            self.socks[0].sendto(hdr + GENEVE_OPTION + pkt, (self.peer, self.port))
        elif k == "gtpu":
            if self.seq % 2:
                # Flags 0x32: version 1, GTP, S (sequence number present).
                flags, opt = 0x32, struct.pack("!HBB", self.seq & 0xFFFF, 0, 0)
            else:
                # Flags 0x34: E, then a PDU session container (type 0x85,
                # 4 bytes: uplink, QFI 9) ending the extension chain.
                flags = 0x34
                opt = struct.pack("!HBB", 0, 0, 0x85) + bytes([1, 0x10, 0x09, 0])
            hdr = struct.pack("!BBHI", flags, 255, len(opt) + len(pkt), 0x11223344)
            self.socks[0].sendto(hdr + opt + pkt, (self.peer, self.port))
        elif k == "pppoe":
            ppp = struct.pack("!H", 0x0057 if ip_version(pkt) == 6 else 0x0021) + pkt
            self.socks[0].send(self.l2 + struct.pack("!BBHH", 0x11, 0, 0x42, len(ppp)) + ppp)
        elif k == "mpls":
            stack = struct.pack("!II", (1000 << 12) | 64, (2000 << 12) | (1 << 8) | 64)
            self.socks[0].send(self.l2 + stack + pkt)

    def recv(self, s):
        """The inner packet of what arrived on socket s, or None."""
        k = self.kind
        if k in ("pppoe", "mpls"):
            data, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                return None
            data = data[14:]
            if k == "pppoe":
                (length,) = struct.unpack("!H", data[4:6])
                return data[8:6 + length]
            while len(data) >= 4:  # to the bottom of the stack
                (entry,) = struct.unpack("!I", data[:4])
                data = data[4:]
                if entry & 0x100:
                    return data
            return None
        data, addr = s.recvfrom(65535)
        if addr[0] != self.peer:
            return None
        if k in ("gre", "gremp", "ipip"):
            data = data[(data[0] & 0xF) * 4:]  # raw sockets see the IPv4 header
        if k == "gremp":
            return data[12:]  # GRE with a key, one label
        if k == "gre":
            (flags,) = struct.unpack("!H", data[:2])
            off = 4 + 4 * (bool(flags & 0x8000) + bool(flags & 0x2000) + bool(flags & 0x1000))
            return data[off:]
        if k == "geneve":
            return data[8 + (data[0] & 0x3F) * 4:]
        if k == "gtpu":
            if not data[0] & 0x07:
                return data[8:]
            off, nxt = 12, data[11] if data[0] & 0x04 else 0
            while nxt:  # extension headers: length in 4-byte units, next type last
                n = data[off] * 4
                nxt = data[off + n - 1]
                off += n
            return data[off:]
        return data


def main():
    kind, tundev, iface, local, peer, peermac, ready = sys.argv[1:8]
    tun = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(tun, TUNSETIFF, struct.pack("16sH", tundev.encode(), IFF_TUN | IFF_NO_PI))
    t = Tunnel(kind, iface, local, peer, peermac)
    open(ready, "w").close()
    while True:
        r, _, _ = select.select([tun] + t.socks, [], [])
        for fd in r:
            if fd == tun:
                t.send(os.read(tun, 65535))
            else:
                inner = t.recv(fd)
                if inner:
                    try:
                        os.write(tun, inner)
                    except OSError:
                        pass  # TUNDEV not up yet: dropped, as a link would


if __name__ == "__main__":
    main()
