#!/bin/sh
# Regenerate tests/data/follow_tshark.tsv: tshark's reassembled payload of
# every TCP stream that carries payload in the tcpdump corpus
# (tests/corpus/tcpdump), one line per stream:
#   file  stream  node0  node1  len0  sha256_0  len1  sha256_1
# node0 is tshark's "Node 0" (address:port, IPv6 addresses in brackets),
# len/sha256 of the bytes `tshark -q -z follow,tcp,raw,STREAM` prints for
# each node (its hex lines, decoded).  A stream tshark lists but cannot
# follow (no "Node" lines: beep-oobr.pcap) is left out.  tests/streams/follow-tshark.py runs
# pktd-follow on the same files and compares, so make check needs no
# tshark.  Usage:
#   tests/streams/follow_tshark_gen.sh SRCDIR [FILE...] > tests/data/follow_tshark.tsv
# FILEs (names in the corpus directory) restrict it to those captures; the
# default is every capture (about 15 minutes on a loaded 2-core machine).
set -eu
src=${1:-.}
[ $# -gt 0 ] && shift
cd "$src/tests/corpus/tcpdump"
[ $# -gt 0 ] || set -- *.pcap *.pcapng
for f in "$@"; do
    streams=$(tshark -r "$f" -Y "tcp.len>0" -T fields -e tcp.stream 2>/dev/null | sort -un) || true
    for s in $streams; do
        tshark -r "$f" -q -z "follow,tcp,raw,$s" 2>/dev/null | awk -v f="$f" -v s="$s" '
            /^Node 0: / { n0 = $3 }
            /^Node 1: / { n1 = $3 }
            /^\t[0-9a-f]+$/ { sub(/^\t/, ""); h1 = h1 $0; next }
            /^[0-9a-f]+$/ { h0 = h0 $0 }
            END { if (n0 != "") printf "%s\t%s\t%s\t%s\t%s\t%s\n", f, s, n0, n1, h0, h1 }'
    done
done | python3 -c '
import hashlib, sys
for line in sys.stdin:
    f, s, n0, n1, h0, h1 = line.rstrip("\n").split("\t")
    b0, b1 = bytes.fromhex(h0), bytes.fromhex(h1)
    print("\t".join([f, s, n0, n1, str(len(b0)), hashlib.sha256(b0).hexdigest(),
                     str(len(b1)), hashlib.sha256(b1).hexdigest()]))
'
