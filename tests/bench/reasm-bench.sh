#!/bin/bash
# `make bench-reasm` (or `make bench BENCH_REASM=1`): flows, TCP reassembly
# and IP defragmentation on the reasm mix (pktd-bench-gen -m reasm: the
# realistic mix plus swapped segments, retransmissions and IPv4 + IPv6
# fragments), the library's passes next to whole programs.  One table,
# one run; doc/performance.md §16 explains the method and holds a result.
#
#   reasm-bench.sh -b BUILDDIR [-n PACKETS] [-r ROUNDS] [-t TMPDIR]
#
#   -n PACKETS  size of the trace (default 1000000)
#   -r ROUNDS   timed rounds of each pktd-bench pass, best kept (default 5)
#   -t TMPDIR   where pktd-follow and tcpflow write their files (default
#               /dev/shm, a tmpfs, so the disk does not enter the figures;
#               deleted after each program)
#
# pktd-bench rows: thread CPU time per packet of the library's pass over
# the trace in memory, best round.  Program rows: one run each, user +
# system CPU time and maximum resident set size from GNU time
# (/usr/bin/time), divided by the trace's packets; the program reads the
# file itself.  A program that is not installed is listed as skipped.
set -u

builddir='' n=1000000 rounds=5 tmpdir=/dev/shm
while getopts b:n:r:t:h opt; do
    case $opt in
    b) builddir=$OPTARG ;;
    n) n=$OPTARG ;;
    r) rounds=$OPTARG ;;
    t) tmpdir=$OPTARG ;;
    h) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
    esac
done
[ -n "$builddir" ] || { echo "reasm-bench.sh: -b is required" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "reasm-bench.sh: needs GNU time (/usr/bin/time, Debian time)" >&2; exit 2; }

gen=$builddir/tests/bench/pktd-bench-gen
bench=$builddir/examples/pktd-bench
data=$builddir/tests/bench/data
mkdir -p "$data" || exit 1
file=$data/reasm-$n.pcap
if [ ! -s "$file" ] || [ "$gen" -nt "$file" ]; then
    echo "generating $file" >&2
    "$gen" -m reasm -n "$n" -o "$file.tmp" && mv "$file.tmp" "$file" || exit 1
fi
load0=$(cut -d' ' -f1-3 /proc/loadavg)
out=$(mktemp -d "$tmpdir/pktd-reasm.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
rows=$out/rows
notes=$out/notes
: >"$rows"
: >"$notes"

# pktd-bench PASS: "label|ns" of its last line (and of defrag's decode line).
pass() {
    local o
    o=$("$bench" "$1" -r "$rounds" "$file" 2>&1) || { echo "pktd-bench $1 failed: $o" >&2; return; }
    echo "$o" | sed -n "s/^decode pkts=/decode only pkts=/;s/^\([a-z ]*\) pkts=[0-9]* ns_per_pkt=\([0-9.]*\) .*/pktd-bench \1|\2/p" >>"$rows"
    echo "$o" | sed -n 's/^# libpktdecode [^;]*; one pass: /pktd-bench '"$1"': /p' >>"$notes"
}
pass flows
pass follow
pass defrag

# prog LABEL WRITES_DIR CMD...: one run under GNU time; "label|user+sys s|RSS".
prog() {
    local label=$1 dir=$2 t
    shift 2
    command -v "$1" >/dev/null 2>&1 || { echo "$label: skipped ($1 not installed)" >>"$notes"; return; }
    [ "$dir" = 1 ] && mkdir -p "$out/dir"
    t=$out/time
    if ! /usr/bin/time -f '%U %S %M' -o "$t" "$@" >"$out/stdout" 2>"$out/stderr"; then
        echo "$label: failed: $(tail -n 2 "$out/stderr")" >>"$notes"
        rm -rf "$out/dir"
        return
    fi
    if [ "$dir" = 1 ]; then
        echo "$label: $(find "$out/dir" -type f | wc -l) files, $(du -sb "$out/dir" | cut -f1) bytes" >>"$notes"
        rm -rf "$out/dir"
    fi
    awk -v l="$label" '{ printf "%s|%.2f|%.0f|%.2f + %.2f\n", l, $1 + $2, $3 / 1024, $1, $2 }' "$t" >>"$rows"
}
prog "pktd-flows" 0 "$builddir/examples/pktd-flows" "$file"
prog "tshark -z conv,tcp -z conv,udp" 0 tshark -n -q -z conv,tcp -z conv,udp -r "$file"
prog "softflowd -D -r (IPv4 + IPv6)" 0 softflowd -D -r "$file"
prog "argus -r -w /dev/null" 0 argus -r "$file" -w /dev/null
prog "pktd-follow -o DIR" 1 "$builddir/examples/pktd-follow" -o "$out/dir" "$file"
# Gaps left in the streams: pktd-follow's stats of the run above.
awk '{ for (i = 3; i <= NF; i++) { split($i, kv, "="); split(kv[2], ab, "/")
         if (kv[1] == "gaps" || kv[1] == "overlaps" || kv[1] == "differing") s[kv[1]] += ab[1] + ab[2] } }
     END { printf "pktd-follow: %d connections, gaps %d, overlapping bytes %d (retransmitted), differing %d\n",
           NR, s["gaps"], s["overlaps"], s["differing"] }' "$out/stdout" >>"$notes"
prog "tcpflow -r FILE -o DIR" 1 tcpflow -r "$file" -o "$out/dir"

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
echo "libpktdecode $("$bench" -V) flows and reassembly on $(basename "$file"):" \
    "$cpu, $(nproc) CPUs, load average $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '%-32s %8s %7s %13s %10s\n' "program" "ns/pkt" "CPU s" "(user + sys)" "max RSS MB"
awk -F'|' -v n="$n" '
NF == 2 { printf "%-32s %8.1f %7s %13s %10s\n", $1, $2, "-", "", "-" }
NF == 4 { printf "%-32s %8.0f %7.2f %13s %10s\n", $1, $2 * 1e9 / n, $2, "(" $4 ")", $3 }' "$rows"
echo "Notes:"
sed 's/^/  /' "$notes"
