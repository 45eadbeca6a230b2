#!/usr/bin/env python3
"""pktd_pcap_ips.py: read a capture and print the IP addresses of each packet.

    pktd_pcap_ips.py FILE

FILE is a pcap or pcapng file.  For every packet that carries IPv4, one
line with its number in the file (from 1) and its addresses:

    3 10.0.0.1 -> 10.0.0.2

Packets without IPv4 (ARP, ...) print nothing.  Exit status 0, 1 when the
file cannot be read (the message says why), 2 on a usage error.
"""
import sys

import pktdecode as P


def ip_lines(path):
    """Yield "N SRC -> DST" for every IPv4 packet of the capture at path."""
    p = P.Packet()
    n = 0
    with P.Reader(path) as r:
        while r.next_into(p):
            n += 1
            if p.has("ipv4"):
                yield "%d %s -> %s" % (n, p.ipv4_src_str(), p.ipv4_dst_str())


def main(argv):
    """Command-line entry point: returns the exit status."""
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: pktd_pcap_ips.py FILE", file=sys.stderr)
        return 2
    try:
        for line in ip_lines(argv[1]):
            print(line)
    except P.PktdError as e:
        print("pktd_pcap_ips.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
