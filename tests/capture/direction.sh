#!/bin/bash
# Direction: A pings B three times; on vB "in" sees the requests, "out" the
# replies, "both" all six.  On B's loopback every packet passes twice in the
# kernel (outgoing, then incoming): "both" shows it once, as do "in" and
# "out".  On all interfaces at once, each packet once as well.
# The captures end after 3 s without a packet: six of them start one after
# another before the first ping, which on a loaded machine took over 1 s.
. "${top_srcdir:-.}/tests/capture/lib.sh"

start_cap "$NSB" "$WORK/in.txt" -i vB -d in -I 3000 -A "$BPF_ICMP"
P_IN=$CAP_PID
start_cap "$NSB" "$WORK/out.txt" -i vB -d out -I 3000 -A "$BPF_ICMP"
P_OUT=$CAP_PID
start_cap "$NSB" "$WORK/both.txt" -i vB -I 3000 -A "$BPF_ICMP"
P_BOTH=$CAP_PID
start_cap "$NSB" "$WORK/lo.txt" -i lo -I 3000 -A "$BPF_ICMP"
P_LO=$CAP_PID
start_cap "$NSB" "$WORK/lo-out.txt" -i lo -d out -I 3000 -A "$BPF_ICMP"
P_LOOUT=$CAP_PID
start_cap "$NSB" "$WORK/any.txt" -I 3000 -A "$BPF_ICMP"
P_ANY=$CAP_PID
inA ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || fail "ping over the veth"
inB ping -c 2 -i 0.2 -W 2 127.0.0.1 >/dev/null || fail "ping over loopback"
for p in $P_IN $P_OUT $P_BOTH $P_LO $P_LOOUT $P_ANY; do wait_cap "$p"; done
for f in in out both lo lo-out any; do check_identity "$WORK/$f.txt"; done

expect "$(grep -c '^pkt ' "$WORK/in.txt")" 3 "in: packets"
expect "$(count 'type=0 eth=0800 src=02:00:00:00:00:01 dst=02:00:00:00:00:02 ip=10.77.0.1>10.77.0.2 proto=1 ttl=64 icmp=8/0' "$WORK/in.txt")" 3 "in: echo requests"
expect "$(grep -c '^pkt ' "$WORK/out.txt")" 3 "out: packets"
expect "$(count 'type=4 eth=0800 src=02:00:00:00:00:02 dst=02:00:00:00:00:01 ip=10.77.0.2>10.77.0.1 proto=1 ttl=64 icmp=0/0' "$WORK/out.txt")" 3 "out: echo replies"
expect "$(grep -c '^pkt ' "$WORK/both.txt")" 6 "both: packets"
# The other direction is decided in the kernel filter: not even counted.
expect "$(stat received "$WORK/in.txt")" 3 "in: received"
expect "$(stat received "$WORK/out.txt")" 3 "out: received"

expect "$(grep -c '^pkt ' "$WORK/lo.txt")" 4 "loopback, both: each packet once"
expect "$(count 'ip=127.0.0.1>127.0.0.1 proto=1 ttl=64 icmp=8/0' "$WORK/lo.txt")" 2 "loopback: requests"
expect "$(count 'ip=127.0.0.1>127.0.0.1 proto=1 ttl=64 icmp=0/0' "$WORK/lo.txt")" 2 "loopback: replies"
expect "$(grep -c '^pkt .* type=0 ' "$WORK/lo.txt")" 4 "loopback: the incoming copies"
expect "$(grep -c '^pkt .* type=4 ' "$WORK/lo-out.txt")" 4 "loopback, out: the outgoing copies"
expect "$(grep -c '^pkt ' "$WORK/any.txt")" 10 "all interfaces: 6 on vB and 4 on lo, each once"
note "in 3, out 3, both 6; loopback 4 (each once); all interfaces 10"
exit 0
