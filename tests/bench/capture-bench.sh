#!/bin/bash
# Capture benchmark: pktd-bench capture, pktd-sniff and tcpdump, each
# writing pcap to /dev/null, on one end of a veth pair flooded from the
# other end.
#
#   capture-bench.sh -b BUILDDIR [-B BASEDIR] [-n FRAMES] [-p PPS] [-f FILE.pcap] [-R ROUNDS]
#
#   -n FRAMES   frames per run (default 2000000)
#   -p PPS      flood rate (default 1000000: as fast as the sender goes)
#   -f FILE     frames to send (classic pcap, cycled); default: 60-byte UDP
#               frames to port 9999
#   -R ROUNDS   runs of each capturer, alternating (default 2)
#   -B BASEDIR  also run BASEDIR's pktd-sniff with BASEDIR's library (another
#               build tree, e.g. of the main branch) as "sniff-base", in the
#               same alternation: a before/after comparison in one run
#
# Two network namespaces made here (and removed on exit) hold the two ends
# of the veth pair, so the flood never leaves them.  The flood runs on CPU
# 0, the capturer on CPU 1; the sender's CPU (which also does the kernel's
# receive work for the veth) limits the rate the flood reaches: "flood:"
# lines report it.  The capturers:
#   pktd-bench  pktd-bench capture -w /dev/null IFACE (no filter)
#   pktd-sniff  pktd-sniff -q -w /dev/null 'udp dst port 9999'
#   sniff-base  (-B) the same pktd-sniff command from BASEDIR
#   tcpdump     tcpdump -q -w /dev/null 'udp dst port 9999'
# CPU time per packet is the capturing process's time on the CPU during the
# flood (the first field of /proc/PID/schedstat, in ns, read just before
# and just after the flood) divided by the packets it captured; the best
# and the median of the rounds without drops are printed.  Needs root,
# iproute2 and, for the comparison, tcpdump; exits 77 when it cannot run.
set -u

builddir='' basedir='' frames=2000000 pps=1000000 file='' rounds=2
while getopts b:B:n:p:f:R:h opt; do
    case $opt in
    b) builddir=$OPTARG ;;
    B) basedir=$OPTARG ;;
    n) frames=$OPTARG ;;
    p) pps=$OPTARG ;;
    f) file=$OPTARG ;;
    R) rounds=$OPTARG ;;
    h) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
    esac
done
[ -n "$builddir" ] || { echo "capture-bench.sh: -b BUILDDIR is required" >&2; exit 2; }

skip() { echo "capture benchmark skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, AF_PACKET)"
command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
command -v taskset >/dev/null 2>&1 || skip "needs taskset (util-linux)"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (flood and capture on different ones)"
[ -r /proc/self/schedstat ] || skip "needs /proc/PID/schedstat (CONFIG_SCHED_INFO)"
have_tcpdump=1
command -v tcpdump >/dev/null 2>&1 || have_tcpdump=0

bench=$builddir/examples/pktd-bench
sniff=$builddir/examples/pktd-sniff
flood=$builddir/tests/bench/pktd-bench-flood
# libtool wrapper scripts re-exec the real program; run that one directly
# so that /proc/PID is the capturer itself.
[ -x "$builddir/examples/.libs/pktd-bench" ] && bench="$builddir/examples/.libs/pktd-bench"
[ -x "$builddir/examples/.libs/pktd-sniff" ] && sniff="$builddir/examples/.libs/pktd-sniff"
base_sniff=
if [ -n "$basedir" ]; then
    base_sniff=$basedir/examples/pktd-sniff
    [ -x "$basedir/examples/.libs/pktd-sniff" ] && base_sniff="$basedir/examples/.libs/pktd-sniff"
    [ -x "$base_sniff" ] || { echo "capture-bench.sh: no pktd-sniff in $basedir" >&2; exit 2; }
fi
export LD_LIBRARY_PATH="$builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
filter='udp dst port 9999'

tx=pktdb-tx-$$ rx=pktdb-rx-$$
tmp=$(mktemp -d) || exit 1
cleanup() {
    ip netns del "$tx" 2>/dev/null
    ip netns del "$rx" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if ! ip netns add "$tx" || ! ip netns add "$rx"; then
    skip "cannot create network namespaces"
fi
ip link add veth-tx netns "$tx" type veth peer name veth-rx netns "$rx" ||
    skip "cannot create a veth pair"
for ns in "$tx" "$rx"; do
    # No IPv6 autoconfiguration chatter on the link being measured.
    ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6' 2>/dev/null
    ip -n "$ns" link set lo up
done
ip -n "$tx" link set veth-tx up && ip -n "$rx" link set veth-rx up || exit 1

# Large batches: the sender's CPU is the limit of the flood rate.  The time
# limit only guards against a sender far slower than expected.
limit=$((2 * frames / pps + 60))
flood_args=(-i veth-tx -r "$pps" -n "$frames" -t "$limit" -b 256)
[ -n "$file" ] && flood_args+=(-f "$file")

oncpu() { awk '{ print $1 }' "/proc/$1/schedstat"; }

# wait_for TEXT FILE: until FILE holds TEXT (at most 5 s).
wait_for() {
    local i=0
    while ! grep -q "$1" "$2" 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# flood_around PID: the flood, with PID's CPU time read around it; leaves
# the ns in $tmp/cpu and the flood's line in $tmp/flood.out.
flood_around() {
    local t0 t1
    t0=$(oncpu "$1") || return 1
    ip netns exec "$tx" taskset -c 0 "$flood" "${flood_args[@]}" >"$tmp/flood.out" || return 1
    sleep 0.3 # the ring's last block reaches the capturer at its timeout
    t1=$(oncpu "$1") || return 1
    echo $((t1 - t0)) >"$tmp/cpu"
}

# Each run prints "pkts drops cpu_ns".
run_pktd_bench() {
    # Its window starts at the first packet and must outlast the flood
    # (the sender reaches 350 000-490 000 frames/s here, see
    # doc/performance.md): the CPU time is read while it still runs.
    local window=$((frames / 250000 + 3))
    ip netns exec "$rx" taskset -c 1 "$bench" capture -w /dev/null veth-rx "$window" \
        >"$tmp/cap.out" 2>"$tmp/cap.err" &
    local pid=$!
    sleep 1
    flood_around "$pid" || { echo "pktd-bench: its window ended before the flood" >&2; kill "$pid"; return 1; }
    wait "$pid" || { cat "$tmp/cap.err" >&2; return 1; }
    local pd
    pd=$(sed -n 's/^capture pkts=\([0-9]*\) .* drops=\([0-9]*\) .*/\1 \2/p' "$tmp/cap.out")
    echo "$pd $(cat "$tmp/cpu")"
}

# pktd-sniff or tcpdump (the same options): stopped with SIGINT after the
# flood, figures from their exit statistics.
run_tcpdump_like() {
    ip netns exec "$rx" taskset -c 1 "$@" -i veth-rx -q -w /dev/null "$filter" 2>"$tmp/cap.err" &
    local pid=$!
    wait_for "listening on" "$tmp/cap.err"
    flood_around "$pid" || { kill "$pid"; return 1; }
    kill -INT "$pid"
    wait "$pid"
    local cap drop
    cap=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$tmp/cap.err")
    drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$tmp/cap.err")
    [ -n "$cap" ] || { cat "$tmp/cap.err" >&2; return 1; }
    echo "$cap $drop $(cat "$tmp/cpu")"
}

echo "capture benchmark: $frames frames flooded at up to $pps pps" \
    "${file:+from $file }(60-byte UDP frames to port 9999 unless -f), $rounds rounds"
printf '%-10s %-5s %10s %10s %8s %12s\n' program round sent captured drops cpu_ns/pkt
declare -A best
declare -A all
progs=(pktd-bench pktd-sniff)
[ -n "$base_sniff" ] && progs+=(sniff-base)
[ "$have_tcpdump" = 1 ] && progs+=(tcpdump)
for r in $(seq 1 "$rounds"); do
    for prog in "${progs[@]}"; do
        case $prog in
        pktd-bench) out=$(run_pktd_bench) ;;
        pktd-sniff) out=$(run_tcpdump_like "$sniff") ;;
        sniff-base) out=$(LD_LIBRARY_PATH="$basedir/lib/.libs" run_tcpdump_like "$base_sniff") ;;
        tcpdump) out=$(run_tcpdump_like tcpdump -n) ;;
        esac
        read -r cap drops cpu <<<"$out"
        sent=$(sed -n 's/^sent \([0-9]*\) .*/\1/p' "$tmp/flood.out")
        if [ -z "${cap:-}" ] || [ -z "${cpu:-}" ] || [ "$cap" = 0 ]; then
            echo "$prog run $r failed" >&2
            continue
        fi
        per=$(awk -v c="$cpu" -v n="$cap" 'BEGIN { printf "%.1f", c / n }')
        printf '%-10s %-5s %10s %10s %8s %12s\n' "$prog" "$r" "$sent" "$cap" "$drops" "$per"
        echo "flood: $(cat "$tmp/flood.out")" >>"$tmp/floods"
        # Only a run without drops counts: a capturer that fell behind (a
        # busy CPU 1) did less work per packet than one that kept up.
        [ "${drops:-0}" = 0 ] && all[$prog]="${all[$prog]:-} $per" &&
            best[$prog]=$(awk -v a="${best[$prog]:-}" -v b="$per" 'BEGIN { print (a == "" || b < a) ? b : a }')
    done
done
# median PROG: of its runs without drops.
median() {
    printf '%s\n' ${all[$1]:-} | sort -g |
        awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
sed 's/^/  /' "$tmp/floods" 2>/dev/null
line="best CPU/packet of the runs without drops:"
for prog in "${progs[@]}"; do
    [ -n "${best[$prog]:-}" ] && line="$line $prog ${best[$prog]} ns,"
done
echo "${line%,}"
line="median CPU/packet of the runs without drops:"
for prog in "${progs[@]}"; do
    [ -n "${best[$prog]:-}" ] && line="$line $prog $(median "$prog") ns,"
done
echo "${line%,}"
if [ -n "${best[tcpdump]:-}" ]; then
    for prog in pktd-bench pktd-sniff sniff-base; do
        [ -n "${best[$prog]:-}" ] &&
            awk -v p="${best[$prog]}" -v t="${best[tcpdump]}" -v pm="$(median "$prog")" \
                -v tm="$(median tcpdump)" -v n="$prog" \
                'BEGIN { printf "ratio %s / tcpdump: %.2f (medians %.2f)\n", n, p / t, pm / tm }'
    done
elif [ "$have_tcpdump" = 1 ]; then
    echo "no run of tcpdump without drops: no comparison"
else
    echo "tcpdump not installed: no comparison"
fi
