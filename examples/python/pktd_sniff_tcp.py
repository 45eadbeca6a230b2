#!/usr/bin/env python3
"""pktd_sniff_tcp.py: pktd-sniff-tcp on the Python binding.

    pktd_sniff_tcp.py [-c COUNT]

An IP-layer capture of TCP; for each segment that carries data, the two
lines pktd-sniff-tcp prints:

    Port 40000 -> 8088 [PSH,ACK] Seq=123456
    Data: <first 50 bytes, escaped>...

(flag names in the order FIN,SYN,RST,PSH,ACK,URG).  COUNT counts the
segments shown.  On exit tcpdump's three statistics lines go to stderr.  Needs
CAP_NET_RAW.  Exit status 0, 1 when the capture cannot start, 2 on a usage
error.
"""
import getopt
import sys

import _sniff
from _sniff import P

PROG = "pktd-sniff-tcp"
USAGE = "usage: %s [-c COUNT]" % PROG
FLAGS = [(P.TCP_FIN, "FIN"), (P.TCP_SYN, "SYN"), (P.TCP_RST, "RST"), (P.TCP_PSH, "PSH"),
         (P.TCP_ACK, "ACK"), (P.TCP_URG, "URG")]
ESCAPES = {0x5c: "\\\\", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t"}


def escape(data):
    return "".join(ESCAPES.get(b) or (chr(b) if 0x20 <= b < 0x7f else "\\x%02x" % b) for b in data)


def on_packet(p):
    if not p.has(P.LAYER_TCP):
        return
    payload = p.payload()
    if not payload:
        return
    f = p.tcp_flags()
    print("Port %d -> %d [%s] Seq=%d" % (p.tcp_sport(), p.tcp_dport(),
                                         ",".join(n for bit, n in FLAGS if f & bit), p.tcp_seq()))
    print("Data: %s..." % escape(payload[:50]), flush=True)
    return True


def main(argv):
    count = None
    try:
        opts, args = getopt.getopt(argv, "c:h")
    except getopt.GetoptError:
        print(USAGE, file=sys.stderr)
        return 2
    for o, v in opts:
        if o == "-c":
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
        cap = P.Capture()
        cap.set_ip_protocol(6)
        cap.set_timeout(200)
        cap.activate()
        _sniff.give_up_privileges()
    except (P.PktdError, OSError) as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    with cap:
        return _sniff.run(PROG, cap, on_packet, count, count_shown=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
