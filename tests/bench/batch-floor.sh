#!/bin/bash
# The 5-tuple batch against the unchecked floor, timed interleaved: the
# two programs run in turn ROUNDS times on each workload, and the ratio of
# their times is printed for the best round of each and as the median of
# the per-round ratios (doc/performance.md, "Columnar batches").
#
#   batch-floor.sh -b BUILDDIR [-n ROUNDS] [-N NICE] [WORKLOAD...]
#
# WORKLOAD is MIX:PACKETS as for run-bench.sh (default: the four 10k
# mixes); the traces are those run-bench.sh generates (run `make bench`
# or run-bench.sh once first, or this script generates them).
set -u
builddir='' rounds=11 nice=''
while getopts b:n:N: opt; do
    case $opt in
    b) builddir=$OPTARG ;;
    n) rounds=$OPTARG ;;
    N) nice=$OPTARG ;;
    *) exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ -n "$builddir" ] || { echo "batch-floor.sh: -b is required" >&2; exit 2; }
[ $# -gt 0 ] || set -- realistic:10000 plain:10000 options:10000 ipv6:10000
gen=$builddir/tests/bench/pktd-bench-gen
floor=$builddir/tests/bench/bench-floor
bench=$builddir/examples/pktd-bench
data=$builddir/tests/bench/data
mkdir -p "$data" || exit 1
ns() { sed -n 's/.* ns_per_pkt=\([0-9.]*\) .*/\1/p' | tail -n 1; }
printf '%-16s %9s %9s %8s %8s\n' workload floor batch best median
for w in "$@"; do
    mix=${w%%:*} n=${w##*:}
    f=$data/$mix-$n.pcap
    if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
        "$gen" -m "$mix" -n "$n" -o "$f.tmp" && mv "$f.tmp" "$f" || exit 1
    fi
    fl='' ba='' ratios=''
    for _ in $(seq "$rounds"); do
        a=$(${nice:+nice -n "$nice"} "$floor" -r 3 "$f" | ns)
        b=$(${nice:+nice -n "$nice"} "$bench" parse -m batch -r 3 "$f" | ns)
        fl="$fl $a" ba="$ba $b"
        ratios="$ratios $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", b / a }')"
    done
    bf=$(echo "$fl" | tr ' ' '\n' | sed '/^$/d' | sort -g | head -n 1)
    bb=$(echo "$ba" | tr ' ' '\n' | sed '/^$/d' | sort -g | head -n 1)
    med=$(echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    printf '%-16s %9.2f %9.2f %8.2f %8.2f\n' "$mix $n" "$bf" "$bb" "$(awk -v a="$bf" -v b="$bb" 'BEGIN { print b / a }')" "$med"
done
