#!/bin/sh
# AF_ALG benchmark: one-shot sha256 digests and cbc(aes) encryptions of 64 B,
# 1 KiB and 64 KiB, through libpktdecode (pktd-bench hash|cipher) and, when
# given, libkcapi (bench-kcapi), alternately, in the same kernel.
#
#   alg-bench.sh [-d DIVISOR] PKTD_BENCH [BENCH_KCAPI]
#
# -d divides the operation counts (20000, 20000, 2000), e.g. inside an
# emulated VM.  POSIX sh with busybox-level tools only, so that the same
# script runs on the host and in the AF_ALG test VM.  Prints one line per
# measurement, `RESULT prog mode size ns_per_op MB/s`, then a table.
set -u
div=1
if [ "${1:-}" = -d ]; then
    div=$2
    shift 2
fi
pktd=${1:?usage: alg-bench.sh [-d DIVISOR] PKTD_BENCH [BENCH_KCAPI]}
kcapi=${2:-}
results=''
for mode in hash cipher; do
    for spec in 64:20000 1024:20000 65536:2000; do
        size=${spec%%:*}
        count=$((${spec##*:} / div))
        [ "$count" -gt 0 ] || count=1
        for prog in pktd kcapi; do
            if [ "$prog" = pktd ]; then
                cmd=$pktd
            else
                [ -n "$kcapi" ] || continue
                cmd=$kcapi
            fi
            last=$("$cmd" "$mode" "$count" "$size" 2>/dev/null | tail -n 1)
            case $last in
            "$mode ops="*)
                ns=$(echo "$last" | sed 's/.*ns_per_op=//')
                line="$prog $mode $size $ns $(awk -v s="$size" -v n="$ns" 'BEGIN { printf "%.1f", s * 1000 / n }')"
                ;;
            *unavailable*)
                line="$prog $mode $size unavailable -"
                ;;
            *)
                line="$prog $mode $size failed -"
                ;;
            esac
            echo "RESULT $line"
            results="$results$line
"
        done
    done
done
echo
printf '%-6s %-7s %7s %12s %10s\n' lib mode bytes ns/op MB/s
printf '%s' "$results" | while read -r prog mode size ns mbs; do
    printf '%-6s %-7s %7s %12s %10s\n' "$prog" "$mode" "$size" "$ns" "$mbs"
done
