#!/bin/sh
# Regenerate tests/data/ipv6_tshark.tsv: tshark's view of every IPv6 frame
# of the tcpdump corpus (tests/corpus/tcpdump), one line per frame:
#   file  frame  ipv6.src ipv6.dst ipv6.plen ipv6.nxt ipv6.hlim ipv6.tclass
#   ipv6.flow tcp.srcport tcp.dstport udp.srcport udp.dstport icmpv6.type
#   icmpv6.code
# (repeated fields are comma-separated: tunnels, ICMPv6 errors quoting a
# packet).  tests/check_parse_ipv6_tshark compares the decoder with it, so
# make check needs no tshark.  Usage: tests/parse/ipv6_tshark_gen.sh SRCDIR
set -eu
src=${1:-.}
cd "$src/tests/corpus/tcpdump"
for f in *.pcap *.pcapng; do
    tshark -r "$f" -Y ipv6 -T fields -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e ipv6.src -e ipv6.dst -e ipv6.plen -e ipv6.nxt -e ipv6.hlim \
        -e ipv6.tclass -e ipv6.flow -e tcp.srcport -e tcp.dstport -e udp.srcport \
        -e udp.dstport -e icmpv6.type -e icmpv6.code 2>/dev/null | sed "s|^|$f	|" || true
done
