#!/bin/sh
# Regenerate tests/data/defrag_tshark.tsv: every frame of the tcpdump corpus
# (tests/corpus/tcpdump) where tshark completes an IP reassembly, one line
# per frame:
#   file  frame  ip.reassembled.length  ipv6.reassembled.length
# (the reassembled payload: the bytes after the IPv4 header, after the
# IPv6 fragment header; repeated fields comma-separated).
# tests/check_defrag reassembles the corpus with pktd_defrag and compares,
# so make check needs no tshark.  Usage: tests/parse/defrag_tshark_gen.sh SRCDIR
set -eu
src=${1:-.}
cd "$src/tests/corpus/tcpdump"
for f in *.pcap *.pcapng; do
    tshark -r "$f" -Y 'ip.reassembled.length || ipv6.reassembled.length' -T fields \
        -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e ip.reassembled.length -e ipv6.reassembled.length 2>/dev/null |
        sed "s|^|$f	|" || true
done
