#!/bin/bash
# `make bench`: generate the workloads, run every decoder on each of them
# side by side, print one table.  doc/performance.md explains the method.
#
#   run-bench.sh -b BUILDDIR -s SRCDIR [-q] [-c] [-N NICE] [-R OUTER] [-r INNER] [-w LIST]
#
#   -q        quick: only the four 10k-packet mixes
#   -c        count instructions per packet with callgrind instead of
#             timing (repeatable on a busy machine; needs valgrind)
#   -N NICE   run every program under `nice -n NICE` (e.g. -10 as root, so
#             that other work on a shared machine preempts it less)
#   -R OUTER  interleaved repetitions of the whole program list (default 3)
#   -r INNER  timed rounds inside each program run (default 5)
#   -w LIST   workloads, e.g. "realistic:10000 plain:10000" (MIX:PACKETS)
#
# The ipv6 mix is the realistic one over IPv6; after the table, the pktd
# rows of each ipv6 workload are printed next to those of the realistic
# workload of the same size, with their ratio (of the best figures and of
# the medians).
#
# Each program loads the trace into memory (untimed), then times INNER
# rounds of >= 200000 frame decodes and reports its best round.  The program
# list is run OUTER times in turn, so that a burst of load on the machine
# hits every program alike, and the best of all OUTER x INNER rounds is kept.
# Ratios are only ever taken between figures of this one run.  Times are
# thread CPU time (examples/bench/harness.h), so descheduled time does not count;
# cache and TLB contents lost to other work still do.
set -u

builddir='' srcdir='' quick=0 outer=3 inner=5 workloads='' count=0 nice=''
while getopts b:s:qcN:R:r:w:h opt; do
    case $opt in
    c) count=1 ;;
    N) nice=$OPTARG ;;
    b) builddir=$OPTARG ;;
    s) srcdir=$OPTARG ;;
    q) quick=1 ;;
    R) outer=$OPTARG ;;
    r) inner=$OPTARG ;;
    w) workloads=$OPTARG ;;
    h) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
    esac
done
if [ -z "$builddir" ] || [ -z "$srcdir" ]; then
    echo "run-bench.sh: -b and -s are required" >&2
    exit 2
fi

if [ "$count" = 1 ]; then
    command -v valgrind >/dev/null 2>&1 || { echo "run-bench.sh: -c needs valgrind" >&2; exit 2; }
    outer=1 inner=1
fi
if [ -z "$workloads" ]; then
    workloads="realistic:10000 plain:10000 options:10000 ipv6:10000"
    [ "$quick" = 1 ] || workloads="$workloads realistic:1000 ipv6:1000 realistic:100000 realistic:1000000"
fi

gen=$builddir/tests/bench/pktd-bench-gen
bench=$builddir/examples/pktd-bench
data=$builddir/tests/bench/data
mkdir -p "$data" || exit 1
results=$(mktemp) || exit 1
notes=$(mktemp) || exit 1
trap 'rm -f "$results" "$notes"' EXIT

# A Python 3 that has dpkt (the first python3 on PATH may be a virtualenv
# or pyenv shim without Debian's python3-dpkt).
dpkt_python=
for py in python3 /usr/bin/python3; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import dpkt' 2>/dev/null; then
        dpkt_python=$py
        break
    fi
done

# The programs: "label|command" (FILE is appended).
programs="floor|$builddir/tests/bench/bench-floor -r $inner
pktd decode only|$bench parse -m decode -r $inner
pktd decode+prefetch|$bench parse -m decode-prefetch -r $inner
pktd read+decode|$bench parse -m read -r $inner
pktd full|$bench parse -m full -r $inner
pktd fields|$bench parse -m fields -r $inner
pktd 5-tuple accessors|$bench parse -m tuple -r $inner
pktd 5-tuple batch|$bench parse -m batch -r $inner
pktd full+csum|$bench parse -m csum -r $inner"
if [ -x "$builddir/tests/bench/bench-libtrace" ]; then
    programs="$programs
libtrace|$builddir/tests/bench/bench-libtrace -m packet -r $inner
libtrace chain|$builddir/tests/bench/bench-libtrace -m chain -r $inner"
else
    echo "libtrace: not built (configure found no libtrace3-dev)" >>"$notes"
fi
if [ -x "$builddir/tests/bench/bench-libtins" ]; then
    programs="$programs
libtins|$builddir/tests/bench/bench-libtins -r $inner"
else
    echo "libtins: not built (configure found no libtins-dev or no C++ compiler)" >>"$notes"
fi
if [ "$count" = 1 ]; then
    echo "dpkt: not counted (its instructions are the Python interpreter's)" >>"$notes"
elif [ -n "$dpkt_python" ]; then
    programs="$programs
dpkt|$dpkt_python $srcdir/tests/bench/cmp-dpkt.py -r 1"
    echo "dpkt: timed on the workloads of at most 10000 packets only (1 round per repetition)" >>"$notes"
else
    echo "dpkt: skipped (no python3 with dpkt: Debian python3-dpkt)" >>"$notes"
fi

# Generate a workload unless it exists and is newer than the generator.
trace_for() {
    mix=${1%%:*} n=${1##*:}
    f=$data/$mix-$n.pcap
    if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
        echo "generating $f" >&2
        "$gen" -m "$mix" -n "$n" -o "$f.tmp" && mv "$f.tmp" "$f" || return 1
    fi
    echo "$f"
}

# Every trace first, so that the repetitions below can go round the
# workloads too: a ratio between two workloads (IPv6 / IPv4) is then taken
# between figures measured alternately, not minutes apart.
for w in $workloads; do
    trace_for "$w" >/dev/null || { echo "run-bench.sh: cannot generate $w" >&2; exit 1; }
done
i=0
while [ "$i" -lt "$outer" ]; do
    i=$((i + 1))
    for w in $workloads; do
        file=$(trace_for "$w") || exit 1
        n=${w##*:}
        echo "$programs" | while IFS='|' read -r label cmd; do
            if [ "$label" = dpkt ] && { [ "$n" -gt 10000 ] || [ "$count" = 1 ]; }; then
                continue
            fi
            if [ "$count" = 1 ]; then
                # Only the timed pass function and what it calls are counted:
                # one warm-up pass and one timed pass.
                cg=$(mktemp)
                # shellcheck disable=SC2086 # cmd is a command line
                # (libtool --mode=execute: pktd-bench is a libtool wrapper script)
                PKTD_BENCH_ROUND_FRAMES=1 "$builddir/libtool" --mode=execute valgrind -q --tool=callgrind --callgrind-out-file="$cg" \
                    --toggle-collect='walk*' $cmd "$file" >/dev/null 2>&1 ||
                    { echo "$label failed under callgrind on $file" >&2; rm -f "$cg"; continue; }
                ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p;s/^totals: *\([0-9]*\).*/\1/p' "$cg" | head -n 1)
                rm -f "$cg"
                [ -n "$ir" ] && echo "$w|$label|$(awk -v ir="$ir" -v n="$n" 'BEGIN { printf "%.2f", ir / (2 * n) }')" >>"$results"
                printf '.' >&2
                continue
            fi
            # shellcheck disable=SC2086 # cmd is a command line
            out=$(${nice:+nice -n "$nice"} $cmd "$file" 2>&1) || { echo "$label failed on $file: $out" >&2; continue; }
            ns=$(echo "$out" | tail -n 1 | sed -n 's/.* ns_per_pkt=\([0-9.]*\) .*/\1/p')
            [ -n "$ns" ] && echo "$w|$label|$ns" >>"$results"
            printf '.' >&2
        done
    done
done
echo >&2

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)
echo
echo "libpktdecode $("$bench" -V) decode benchmark: $cpu, $(nproc) CPUs," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$count" = 1 ]; then
    unit=instr
    echo "Instructions per packet counted by callgrind (column 'ns/pkt' holds instructions;"
    echo "Mpps is meaningless here).  Ratios as in the timed table."
else
    unit=ns
    echo "Best of $outer x $inner rounds per program, in ns of CPU time per packet (lower is better)${nice:+, nice $nice}."
    echo "Ratios: the row's ns divided by the floor's and by pktd full's, same workload, same run."
fi
echo
awk -F'|' -v workloads="$workloads" -v unit="$unit" '
function human(n) {
    if (n % 1000000 == 0) return (n / 1000000) "M"
    if (n % 1000 == 0) return (n / 1000) "k"
    return n
}
{
    if (!(($1, $2) in best)) order[$1] = order[$1] "|" $2
    if (!(($1, $2) in best) || $3 + 0 < best[$1, $2]) best[$1, $2] = $3 + 0
}
END {
    printf "%-16s %-16s %9s %8s %8s %10s\n", "workload", "program", unit "/pkt", "Mpps", "/floor", "/pktd full"
    nw = split(workloads, ws, " ")
    for (k = 1; k <= nw; k++) {
        w = ws[k]; split(w, mn, ":")
        name = mn[1] " " human(mn[2])
        fl = best[w, "floor"]; full = best[w, "pktd full"]
        np = split(substr(order[w], 2), progs, "|")
        for (j = 1; j <= np; j++) {
            p = progs[j]; ns = best[w, p]
            rf = (fl > 0) ? sprintf("%.2f", ns / fl) : "-"
            rp = (full > 0) ? sprintf("%.2f", ns / full) : "-"
            mpps = unit == "ns" ? sprintf("%.2f", 1000 / ns) : "-"
            printf "%-16s %-16s %9.2f %8s %8s %10s\n", name, p, ns, mpps, rf, rp
        }
        printf "\n"
    }
}' "$results"
# IPv6 next to IPv4: the same traffic model, so the ratio is the cost of
# the IP version (issue 13's target: within 10 %).  Beside the best figures,
# the median of the repetitions (each one program run's best round).
awk -F'|' -v workloads="$workloads" -v unit="$unit" '
function median(w, p,    n, i, j, t, v) {
    n = split(all[w, p], v, " ")
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{
    if (!(($1, $2) in best) || $3 + 0 < best[$1, $2]) best[$1, $2] = $3 + 0
    all[$1, $2] = all[$1, $2] " " $3
}
END {
    nw = split(workloads, ws, " ")
    for (k = 1; k <= nw; k++) {
        split(ws[k], mn, ":")
        if (mn[1] != "ipv6" || !(("realistic:" mn[2], "pktd decode only") in best)) continue
        v4 = "realistic:" mn[2]; v6 = ws[k]
        if (!header++)
            printf "IPv6 mix next to the realistic IPv4 mix (%s/pkt, best of the run; v6/v4 of the\n" \
                "best figures and of the medians of the repetitions; the floor reads the\n" \
                "EtherType and the ports, IPv6'"'"'s 20 bytes further into the frame):\n" \
                "%-8s %-24s %9s %9s %8s %8s\n", unit, "packets", "program", "IPv4", "IPv6", "v6/v4",
                "median"
        # (the 5-tuple passes read the IPv4 addresses only: not compared)
        n = split("floor|pktd decode only|pktd decode+prefetch|pktd read+decode|pktd full|pktd fields|pktd full+csum", ps, "|")
        for (j = 1; j <= n; j++) {
            p = ps[j]
            if (!((v4, p) in best) || !((v6, p) in best)) continue
            printf "%-8s %-24s %9.2f %9.2f %8.2f %8.2f\n", mn[2], p, best[v4, p], best[v6, p],
                best[v6, p] / best[v4, p], median(v6, p) / median(v4, p)
        }
    }
    if (header) printf "\n"
}' "$results"
if [ -s "$notes" ]; then
    echo "Notes:"
    sed 's/^/  /' "$notes"
fi
