#!/bin/sh
# pktd-bench's output format and exit status (doc/programs.md, "pktd-bench"),
# on the sample capture.  Only the format: timings are never checked.
set -u
: "${top_builddir:?run by make check}" "${top_srcdir:?run by make check}"
bench=$top_builddir/examples/pktd-bench
# A small minimum of decodes per round: this test checks formats, not speed.
PKTD_BENCH_ROUND_FRAMES=2000
export PKTD_BENCH_ROUND_FRAMES
decode=$top_builddir/examples/pktd-decode
sample=$top_srcdir/tests/data/sample.pcap
fail=0
tmp=${TMPDIR:-/tmp}/pktd-bench-format.$$
trap 'rm -f "$tmp"' EXIT

bad() { echo "FAIL: $*"; fail=1; }

# Packets in the sample, counted by another program: one JSON record each.
want=$("$decode" -j "$sample" | wc -l)
[ "$want" -gt 0 ] || bad "pktd-decode found no packets in $sample"

for mode in "" "-m full" "-m fields" "-m decode" "-m decode-prefetch" "-m read" "-m csum"; do
    # shellcheck disable=SC2086 # $mode is two words or none
    if ! "$bench" parse -r 2 $mode "$sample" >"$tmp"; then
        bad "pktd-bench parse $mode exited $?"
        continue
    fi
    last=$(tail -n 1 "$tmp")
    echo "parse $mode: $last"
    echo "$last" | grep -Eq '^parse pkts=[0-9]+ ns_per_pkt=[0-9]+\.[0-9]+ mpps=[0-9]+\.[0-9]+$' ||
        bad "parse $mode: last line '$last' is not 'parse pkts=N ns_per_pkt=X mpps=Y'"
    [ "$(echo "$last" | sed -n 's/^parse pkts=\([0-9]*\) .*/\1/p')" = "$want" ] ||
        bad "parse $mode: pkts is not $want"
done

# full and fields read the same fields two ways: the value they compute
# from them (sink=) must be the same, or one of them misreads.
sinks=$(for mode in full fields; do
    "$bench" parse -r 1 -m "$mode" "$sample" | sed -n 's/.* sink=\([0-9a-f]*\).*/\1/p'
done | sort -u | wc -l)
[ "$sinks" = 1 ] || bad "parse -m full and fields computed different values ($sinks)"
# decode and read decode the same frames, from the harness's buffer and
# from a reader over the same bytes: the same sum of results and layers.
sinks=$(for mode in decode read; do
    "$bench" parse -r 1 -m "$mode" "$sample" | sed -n 's/.* sink=\([0-9a-f]*\).*/\1/p'
done | sort -u | wc -l)
[ "$sinks" = 1 ] || bad "parse -m decode and read computed different values ($sinks)"

# AF_ALG: the result line where the kernel has AF_ALG, "unavailable" where not.
for mode in hash cipher; do
    out=$("$bench" "$mode" 3 64 2>/dev/null)
    rc=$?
    last=$(echo "$out" | tail -n 1)
    echo "$mode: $last (exit $rc)"
    if [ $rc -eq 0 ]; then
        echo "$last" | grep -Eq "^$mode ops=3 size=64 ns_per_op=[0-9]+\.[0-9]+\$" ||
            bad "$mode: last line '$last' is not '$mode ops=3 size=64 ns_per_op=X'"
    else
        if [ $rc -ne 1 ] || ! echo "$last" | grep -q "^$mode unavailable: "; then
            bad "$mode: exit $rc with '$last', want 0 or 1 with '$mode unavailable: ...'"
        fi
    fi
done
"$bench" cipher 3 63 >/dev/null 2>&1
[ $? -eq 2 ] || bad "cipher with a partial block must exit 2"
"$bench" hash 0 64 >/dev/null 2>&1
[ $? -eq 2 ] || bad "hash with COUNT 0 must exit 2"

"$bench" parse /nonexistent/file.pcap >/dev/null 2>&1
[ $? -eq 1 ] || bad "an unreadable file must exit 1"
"$bench" parse >/dev/null 2>&1
[ $? -eq 2 ] || bad "a missing FILE must exit 2"
# flows (1.1): the same last-line format, every packet of the sample.
if "$bench" flows -r 2 "$sample" >"$tmp"; then
    last=$(tail -n 1 "$tmp")
    echo "flows: $last"
    echo "$last" | grep -Eq "^flows pkts=$want ns_per_pkt=[0-9]+\.[0-9]+ mpps=[0-9]+\.[0-9]+\$" ||
        bad "flows: last line '$last' is not 'flows pkts=$want ns_per_pkt=X mpps=Y'"
else
    bad "pktd-bench flows exited $?"
fi

"$bench" parse -m nosuchmode "$sample" >/dev/null 2>&1
[ $? -eq 2 ] || bad "an unknown -m must exit 2"
"$bench" frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || bad "an unknown mode must exit 2"

exit $fail
