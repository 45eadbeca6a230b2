#!/bin/sh
# Regenerate tests/data/follow_tshark.tsv: tshark's reassembled payload of
# every TCP stream that carries payload in the tcpdump corpus
# (tests/corpus/tcpdump), one line per stream:
#   file  stream  node0  node1  len0  sha256_0  missing0  len1  sha256_1  missing1
# node0 is tshark's "Node 0" (address:port, IPv6 addresses in brackets),
# len/sha256 of the bytes `tshark -q -z follow,tcp,raw,STREAM` prints for
# each node (its hex lines, decoded, without the "[N bytes missing in
# capture file]" marks tshark puts at holes; missing = the sum of those N).  A stream tshark lists but cannot
# follow (no "Node" lines, or "Node 0: :0": beep-oobr.pcap) is left out.  tests/streams/follow-tshark.py runs
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
            END { if (n0 != "" && n0 != ":0") printf "%s\t%s\t%s\t%s\t%s\t%s\n", f, s, n0, n1, h0, h1 }'
    done
done | python3 -c '
import hashlib, re, sys
# tshark marks a hole with the text "[N bytes missing in capture file]" and
# a NUL; pktd-follow writes nothing there: take the marks out, keep N.
MARK = re.compile(rb"\[(\d+) bytes missing in capture file\]\x00?")
def side(h):
    b = bytes.fromhex(h)
    missing = sum(int(m.group(1)) for m in MARK.finditer(b))
    b = MARK.sub(b"", b)
    return [str(len(b)), hashlib.sha256(b).hexdigest(), str(missing)]
for line in sys.stdin:
    f, s, n0, n1, h0, h1 = line.rstrip("\n").split("\t")
    print("\t".join([f, s, n0, n1] + side(h0) + side(h1)))
'
