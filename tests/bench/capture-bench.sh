#!/bin/bash
# Capture benchmark: pktd-bench capture against tcpdump, both writing pcap
# to /dev/null, on one end of a veth pair flooded from the other end.
#
#   capture-bench.sh -b BUILDDIR [-t SECONDS] [-p PPS] [-f FILE.pcap] [-R ROUNDS]
#
#   -t SECONDS  measured time per run (default 5)
#   -p PPS      flood rate (default 1000000)
#   -f FILE     frames to send (classic pcap, cycled); default: 60-byte UDP
#   -R ROUNDS   runs of each capturer, alternating (default 2)
#
# Two network namespaces made here (and removed on exit) hold the two ends
# of the veth pair, so the flood never leaves them.  The flood runs on CPU
# 0, the capturer on CPU 1; the sender's CPU (which also does the kernel's
# receive work for the veth) limits the rate the flood reaches: "flood:"
# lines report it.  CPU time per packet is the capturing process's
# user + system time divided by the packets it captured: getrusage() inside
# pktd-bench (over the measured window), /proc/PID/stat for tcpdump (over
# its whole life, which adds its start-up, a few ms).  Needs root,
# iproute2 and, for the comparison, tcpdump; exits 77 when it cannot run.
set -u

builddir='' secs=5 pps=1000000 file='' rounds=2
while getopts b:t:p:f:R:h opt; do
    case $opt in
    b) builddir=$OPTARG ;;
    t) secs=$OPTARG ;;
    p) pps=$OPTARG ;;
    f) file=$OPTARG ;;
    R) rounds=$OPTARG ;;
    h) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
    esac
done
[ -n "$builddir" ] || { echo "capture-bench.sh: -b BUILDDIR is required" >&2; exit 2; }

skip() { echo "capture benchmark skipped: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, AF_PACKET)"
command -v ip >/dev/null 2>&1 || skip "needs ip (iproute2)"
command -v taskset >/dev/null 2>&1 || skip "needs taskset (util-linux)"
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (flood and capture on different ones)"
have_tcpdump=1
command -v tcpdump >/dev/null 2>&1 || have_tcpdump=0

bench=$builddir/examples/pktd-bench
flood=$builddir/tests/bench/pktd-bench-flood
# libtool wrapper scripts re-exec the real program; run that one directly
# so that /proc/PID and getrusage() see the capturer itself.
[ -x "$builddir/examples/.libs/pktd-bench" ] && bench="$builddir/examples/.libs/pktd-bench"
export LD_LIBRARY_PATH="$builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

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

# Large batches: the sender's CPU is the limit of the flood rate.
flood_args=(-i veth-tx -r "$pps" -t $((secs + 2)) -b 256)
[ -n "$file" ] && flood_args+=(-f "$file")

# One pktd-bench run: prints "pkts pps drops cpu_ns_per_pkt".
run_pktd() {
    ip netns exec "$rx" taskset -c 1 "$bench" capture -w /dev/null veth-rx "$secs" \
        >"$tmp/pktd.out" 2>"$tmp/pktd.err" &
    local pid=$!
    sleep 1
    ip netns exec "$tx" taskset -c 0 "$flood" "${flood_args[@]}" >"$tmp/flood.out" || return 1
    wait "$pid" || { cat "$tmp/pktd.err" >&2; return 1; }
    sed -n 's/^capture pkts=\([0-9]*\) secs=[0-9.]* pps=\([0-9]*\) received=[0-9]* drops=\([0-9]*\) cpu_ns_per_pkt=\([0-9.]*\)$/\1 \2 \3 \4/p' \
        "$tmp/pktd.out"
}

# One tcpdump run: the same figures from its exit statistics and /proc.
run_tcpdump() {
    ip netns exec "$rx" taskset -c 1 tcpdump -i veth-rx -n -w /dev/null 2>"$tmp/td.err" &
    local pid=$! i=0
    while ! grep -q "listening on" "$tmp/td.err" 2>/dev/null && [ $i -lt 50 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    local start=$SECONDS
    ip netns exec "$tx" taskset -c 0 "$flood" -i veth-tx -r "$pps" -t "$secs" -b 256 \
        ${file:+-f "$file"} >"$tmp/flood.out" || { kill "$pid"; return 1; }
    local elapsed=$((SECONDS - start))
    sleep 0.5
    # utime and stime: fields 14 and 15 of /proc/PID/stat, in clock ticks.
    local ticks
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    kill -INT "$pid"
    wait "$pid"
    local cap drop
    cap=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$tmp/td.err")
    drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' "$tmp/td.err")
    local fsecs
    fsecs=$(sed -n 's/.* secs \([0-9.]*\) .*/\1/p' "$tmp/flood.out")
    [ -n "$fsecs" ] || fsecs=$elapsed
    awk -v c="$cap" -v d="$drop" -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v s="$fsecs" \
        'BEGIN { printf "%d %.0f %d %.1f\n", c, c / s, d, (c > 0) ? t * 1e9 / hz / c : 0 }'
}

echo "capture benchmark: veth flood at $pps pps for ${secs}s${file:+ of frames from $file}" \
    "(60-byte UDP frames unless -f), $rounds rounds"
printf '%-10s %-5s %10s %10s %8s %12s\n' program round captured pkts/s drops cpu_ns/pkt
best_p='' best_t=''
for r in $(seq 1 "$rounds"); do
    read -r cap rate drops cpu < <(run_pktd) || true
    if [ -n "${cap:-}" ]; then
        printf '%-10s %-5s %10s %10s %8s %12s\n' pktd-bench "$r" "$cap" "$rate" "$drops" "$cpu"
        echo "flood: $(cat "$tmp/flood.out")" >>"$tmp/floods"
        best_p=$(awk -v a="$best_p" -v b="$cpu" 'BEGIN { print (a == "" || b < a) ? b : a }')
    else
        echo "pktd-bench run $r failed" >&2
    fi
    cap='' rate='' drops='' cpu=''
    [ "$have_tcpdump" = 1 ] || continue
    read -r cap rate drops cpu < <(run_tcpdump) || true
    if [ -n "${cap:-}" ]; then
        printf '%-10s %-5s %10s %10s %8s %12s\n' tcpdump "$r" "$cap" "$rate" "$drops" "$cpu"
        echo "flood: $(cat "$tmp/flood.out")" >>"$tmp/floods"
        best_t=$(awk -v a="$best_t" -v b="$cpu" 'BEGIN { print (a == "" || b < a) ? b : a }')
    else
        echo "tcpdump run $r failed:" >&2
        cat "$tmp/td.err" >&2
    fi
    cap='' rate='' drops='' cpu=''
done
sed 's/^/  /' "$tmp/floods" 2>/dev/null
if [ -n "$best_p" ] && [ -n "$best_t" ]; then
    awk -v p="$best_p" -v t="$best_t" \
        'BEGIN { printf "best CPU/packet: pktd-bench %.1f ns, tcpdump %.1f ns, ratio %.2f\n", p, t, p / t }'
elif [ "$have_tcpdump" = 0 ]; then
    echo "tcpdump not installed: no comparison"
fi
