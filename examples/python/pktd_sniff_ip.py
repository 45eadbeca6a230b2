#!/usr/bin/env python3
"""pktd_sniff_ip.py: pktd-sniff-ip on the Python binding.

    pktd_sniff_ip.py [-c COUNT] [-P PROTO]

An IP-layer capture (AF_INET raw socket) of one IP protocol, ICMP by
default (PROTO: 1 ... 254, or icmp, igmp, tcp, udp, rdp), printing one line
per packet exactly as pktd-sniff-ip does:

    ICMP: 10.0.0.1 -> 10.0.0.2

Protocol names: ICMP, IGMP, TCP, UDP, RDP, else Unknown(N).  On exit
tcpdump's three statistics lines go to stderr.  Needs CAP_NET_RAW.  Exit
status 0, 1 when the capture cannot start, 2 on a usage error.
"""
import getopt
import sys

import _sniff
from _sniff import P

PROG = "pktd-sniff-ip"
USAGE = "usage: %s [-c COUNT] [-P PROTO]" % PROG
PROTOS = {"ICMP": 1, "IGMP": 2, "TCP": 6, "UDP": 17, "RDP": 27}
NAMES = {v: k for k, v in PROTOS.items()}


def parse_proto(text):
    if text.upper() in PROTOS:
        return PROTOS[text.upper()]
    v = int(text, 10)
    if not 1 <= v <= 254:
        raise ValueError(text)
    return v


def main(argv):
    count, proto = None, 1
    try:
        opts, args = getopt.getopt(argv, "c:P:h")
    except getopt.GetoptError:
        print(USAGE, file=sys.stderr)
        return 2
    for o, v in opts:
        try:
            if o == "-c":
                count = _sniff.parse_count(v)
            elif o == "-P":
                proto = parse_proto(v)
            else:
                print(USAGE)
                return 0
        except ValueError:
            print("%s: %s: not a %s: %s" % (PROG, o, "count" if o == "-c" else "protocol", v),
                  file=sys.stderr)
            return 2
    if args:
        print(USAGE, file=sys.stderr)
        return 2

    def on_packet(p):
        if p.has(P.LAYER_IPV4):
            n = p.ipv4_proto()
            print("%s: %s -> %s" % (NAMES.get(n, "Unknown(%d)" % n), p.ipv4_src_str(),
                                    p.ipv4_dst_str()), flush=True)

    try:
        cap = P.Capture()
        cap.set_ip_protocol(proto)
        cap.set_timeout(200)
        cap.activate()
        _sniff.give_up_privileges()
    except (P.PktdError, OSError) as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    with cap:
        return _sniff.run(PROG, cap, on_packet, count)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
