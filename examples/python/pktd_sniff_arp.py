#!/usr/bin/env python3
"""pktd_sniff_arp.py: pktd-sniff-arp on the Python binding.

    pktd_sniff_arp.py [-i IFACE] [-c COUNT]

A link-layer capture (AF_PACKET ring) with a kernel BPF filter that keeps
only ARP, printing per ARP packet the block pktd-sniff-arp prints:

    ==================================================
    ETHERNET FRAME
    Dest MAC: ff:ff:ff:ff:ff:ff
    Source MAC: 02:00:00:00:00:01
    ARP HEADER
    Hardware: 0001 (Ethernet)
    Protocol: 0800 (IPv4)
    Opcode: 0001 (Request)
    Sender MAC: 02:00:00:00:00:01
    Sender IP: 10.0.0.1
    Target MAC: 00:00:00:00:00:00
    Target IP: 10.0.0.2

On exit tcpdump's three statistics lines go to stderr.  Needs CAP_NET_RAW.
Exit status 0, 1 when the capture cannot start, 2 on a usage error.
"""
import getopt
import sys

import _sniff
from _sniff import P

PROG = "pktd-sniff-arp"
USAGE = "usage: %s [-i IFACE] [-c COUNT]" % PROG
# ldh [12]; jeq #0x806 jt 0 jf 1; ret #0x40000; ret #0  (the kernel runs it
# on the frame without its VLAN tags, so tagged ARP passes too)
ARP_ONLY = [(0x28, 0, 0, 12), (0x15, 0, 1, 0x0806), (0x06, 0, 0, 0x40000), (0x06, 0, 0, 0)]
OPCODES = {1: "Request", 2: "Reply", 3: "RARP Request", 4: "RARP Reply"}


def mac(b):
    return P.mac_str(b) if b else "?"


def ip(b):
    return P.ipv4_str(b) if b else "?"


def on_packet(p):
    if not p.has(P.LAYER_ARP):
        return
    htype, ptype, op = p.arp_htype(), p.arp_ptype(), p.arp_op()
    print("=" * 50)
    print("ETHERNET FRAME")
    print("Dest MAC: " + mac(p.eth_dst()))
    print("Source MAC: " + mac(p.eth_src()))
    print("ARP HEADER")
    print("Hardware: %04x (%s)" % (htype, "Ethernet" if htype == 1 else "Unknown"))
    print("Protocol: %04x (%s)" % (ptype, "IPv4" if ptype == 0x0800 else "Unknown"))
    print("Opcode: %04x (%s)" % (op, OPCODES.get(op, "Unknown")))
    print("Sender MAC: " + mac(p.arp_sha()))
    print("Sender IP: " + ip(p.arp_spa_bytes()))
    print("Target MAC: " + mac(p.arp_tha()))
    print("Target IP: " + ip(p.arp_tpa_bytes()), flush=True)


def main(argv):
    iface, count = None, None
    try:
        opts, args = getopt.getopt(argv, "i:c:h")
    except getopt.GetoptError:
        print(USAGE, file=sys.stderr)
        return 2
    for o, v in opts:
        if o == "-i":
            iface = v
        elif o == "-c":
            try:
                count = _sniff.parse_count(v)
            except ValueError:
                print("%s: -c: not a count: %s" % (PROG, v), file=sys.stderr)
                return 2
        else:
            print(USAGE)
            return 0
    if args:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        cap = P.Capture(iface)
        cap.set_filter_bpf(ARP_ONLY)
        cap.set_timeout(200)
        cap.activate()
        _sniff.give_up_privileges()
    except (P.PktdError, OSError) as e:
        print("%s: %s: %s" % (PROG, iface or "any", e), file=sys.stderr)
        return 1
    with cap:
        return _sniff.run(PROG, cap, on_packet, count)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
