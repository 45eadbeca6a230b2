#!/bin/sh
# AF_ALG benchmark: one-shot sha256 digests and cbc(aes) encryptions of 64 B,
# 1 KiB and 64 KiB, through libpktdecode (pktd-bench hash|cipher) and, when
# given, libkcapi (bench-kcapi), alternately, in the same kernel.
#
#   alg-bench.sh [-d DIVISOR] [-R REPEATS] PKTD_BENCH [BENCH_KCAPI]
#
# -d divides the operation counts (20000, 20000, 2000), e.g. inside an
# emulated VM; -R repeats the whole alternation (default 1) and keeps each
# figure's best run.  POSIX sh with busybox-level tools only, so that the
# same script runs on the host and in a VM (tests/bench/alg-vm.sh).  Prints one
# line per figure, `RESULT prog mode size ns_per_op MB/s`, then a table.
set -u
div=1 repeats=1
while [ $# -gt 0 ]; do
    case $1 in
    -d) div=$2; shift 2 ;;
    -R) repeats=$2; shift 2 ;;
    *) break ;;
    esac
done
pktd=${1:?usage: alg-bench.sh [-d DIVISOR] [-R REPEATS] PKTD_BENCH [BENCH_KCAPI]}
kcapi=${2:-}
raw=${TMPDIR:-/tmp}/alg-bench.$$
: >"$raw" || exit 1
trap 'rm -f "$raw"' EXIT
r=0
while [ "$r" -lt "$repeats" ]; do
    r=$((r + 1))
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
                "$mode ops="*) ns=${last##*ns_per_op=} ;;
                *unavailable*) ns=unavailable ;;
                *) ns=failed ;;
                esac
                echo "$prog $mode $size $ns" >>"$raw"
            done
        done
    done
done
# The best run of each figure, in the order measured.
awk '{
    k = $1 " " $2 " " $3
    if (!(k in best)) { order[++n] = k; best[k] = $4 }
    else if ($4 + 0 > 0 && (best[k] + 0 <= 0 || $4 + 0 < best[k] + 0)) best[k] = $4
}
END {
    for (i = 1; i <= n; i++) {
        split(order[i], f, " ")
        v = best[order[i]]
        mbs = (v + 0 > 0) ? sprintf("%.1f", f[3] * 1000 / v) : "-"
        print "RESULT " order[i] " " v " " mbs
    }
}' "$raw" >"$raw.best"
cat "$raw.best"
echo
printf '%-6s %-7s %7s %12s %10s\n' lib mode bytes ns/op MB/s
while read -r _ prog mode size ns mbs; do
    printf '%-6s %-7s %7s %12s %10s\n' "$prog" "$mode" "$size" "$ns" "$mbs"
done <"$raw.best"
rm -f "$raw.best"
