#!/bin/sh
# Regenerate tests/data/tunnel_tshark.tsv: tshark's view of the tunnels in a
# set of captures, one line per frame, for tests/parse/tunnel_tshark.py
# (which compares pktd-decode -j's "encap" objects and inner 5-tuples with
# it, so make check needs no tshark).  The captures are tcpdump's with an
# encapsulation (tests/corpus/tcpdump, BSD licence in its LICENSE) and the
# tunnels made between two network namespaces (tests/data/tunnels, written
# by tests/capture/tunnels.sh).
#
# Usage: tests/parse/tunnel_tshark_gen.sh SRCDIR [FILE...] > tunnel_tshark.tsv
# FILE defaults to the list below; a FILE is named as given (relative to
# SRCDIR when it is not absolute).  Columns: file, then the fields below in
# order; repeated fields are all their occurrences, comma-separated, in
# packet order (a tunnel repeats ip.src, tcp.srcport, ...: the occurrence
# belonging to each header is found by counting frame.protocols' entries).
set -eu
src=${1:-.}
[ $# -gt 0 ] && shift
cd "$src"
FIELDS="frame.number frame.protocols eth.src eth.dst ip.src ip.dst ip.proto
ipv6.src ipv6.dst ipv6.nxt tcp.srcport tcp.dstport udp.srcport udp.dstport
vxlan.vni geneve.vni geneve.proto_type gre.flags_and_version gre.proto gre.key
gre.sequence_number erspan.version erspan.spanid mpls.label mpls.bottom
pppoe.session_id gtp.teid icmp.type icmpv6.type"
if [ $# -eq 0 ]; then
    c=tests/corpus/tcpdump
    set -- \
        $c/vxlan.pcap $c/gso-ipv4-vxlan-ipv4.pcap $c/gso-ipv4-vxlan-ipv6.pcap \
        $c/gso-ipv6-vxlan-ipv4.pcap $c/gso-ipv6-vxlan-ipv6.pcap \
        $c/geneve.pcap $c/geneve-gcp.pcap $c/gso-ipv4-geneve-ipv4.pcap \
        $c/gso-ipv4-geneve-ipv6.pcap $c/gso-ipv6-geneve-ipv4.pcap $c/gso-ipv6-geneve-ipv6.pcap \
        $c/various_gre.pcap $c/wccp_redirect_gre.pcap $c/pptp.pcap $c/gre-heapoverflow-2.pcap \
        $c/nhrp-trace.pcap $c/isis-infinite-loop.pcap \
        $c/erspan-type-i-1.pcap $c/erspan-type-i-2.pcap $c/erspan-type-i-3.pcap \
        $c/erspan-type-i-4.pcap $c/erspan-type-ii-1.pcap $c/erspan-type-ii-2.pcap \
        $c/erspan-type-ii-3.pcap $c/erspan-type-iii-ft-0.pcap $c/erspan-type-iii-ft-7.pcap \
        $c/erspan-type-iii-pb-1.pcap \
        $c/lspping-fec-ldp.pcap $c/lspping-fec-rsvp.pcap $c/mpls-traceroute.pcap \
        $c/tok2str-oobr-2.pcap $c/mpls-label-heapoverflow.pcap $c/mpls-over-udp.pcap \
        $c/arista_ether.pcap \
        $c/pppoes.pcap $c/pppoe.pcap \
        $c/kday1.pcap $c/kday3.pcap $c/LINKTYPE_IPV4_invalid.pcap \
        $c/bad-ipv4-version-pgm-heapoverflow.pcap \
        tests/data/tunnels/*.pcap
fi
args=
for f in $FIELDS; do args="$args -e $f"; done
for f in "$@"; do
    # Every frame of the file, tunnelled or not: a tunnel one side finds
    # and the other does not is a disagreement too.
    # shellcheck disable=SC2086
    tshark -n -r "$f" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
        -T fields -E separator=/t -E occurrence=a -E aggregator=, $args 2>/dev/null |
        sed "s|^|$f	|"
done
