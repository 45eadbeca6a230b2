#!/bin/bash
# The seed-parity sniffers between two hosts, exact output lines:
# pktd-sniff-ip (ICMP by default, -P by name or number, Unknown(N)),
# pktd-sniff-tcp (segments with data: ports, flags, Seq, first 50 bytes
# escaped) and pktd-sniff-arp (one block per ARP packet).
. "${top_srcdir:-.}/tests/capture/lib.sh"

# run NAME PROGRAM ARGS... : start it in B; the caller sends, then waits.
run() {
    name=$1
    shift
    ip netns exec "$NSB" "$@" >"$WORK/$name" 2>"$WORK/$name.err" &
    RUN_PID=$!
    BG_PIDS="$BG_PIDS $RUN_PID"
    # These programs print nothing when ready: wait until the process sleeps
    # in poll(), which it reaches only after the capture is active.
    i=0
    until grep -q poll "/proc/$RUN_PID/wchan" 2>/dev/null; do
        sleep 0.02
        i=$((i + 1))
        [ $i -lt 500 ] || fail "$name: the program did not start"
    done
}
finish() {
    wait "$RUN_PID" || { cat "$WORK/$1.err"; fail "$1: exit status $?"; }
    cmp -s "$WORK/$1" "$WORK/$1.want" || { diff "$WORK/$1.want" "$WORK/$1"; fail "$1: output differs"; }
    grep -q "^$2 packets\{0,1\} captured$" "$WORK/$1.err" || { cat "$WORK/$1.err"; fail "$1: statistics"; }
    note "$1: output exact"
}

# ---- pktd-sniff-ip: ping through the stack, ICMP by default
run ip-icmp "$SNIFF_IP" -c 3
inA ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || fail "ping"
printf 'ICMP: 10.77.0.1 -> 10.77.0.2\n%.0s' 1 2 3 >"$WORK/ip-icmp.want"
finish ip-icmp 3

for p in "udp:UDP:-k udp" "17:UDP:-k udp" "TCP:TCP:-k tcp" "igmp:IGMP:-k ip -x 2" "rdp:RDP:-k ip -x 27" "253:Unknown(253):-k ip -x 253"; do
    arg=${p%%:*} rest=${p#*:}
    label=${rest%%:*} kind=${rest#*:}
    run "ip-$arg" "$SNIFF_IP" -P "$arg" -c 2
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB $kind -n 2 >/dev/null || fail "sending"
    printf '%s: 10.77.0.1 -> 10.77.0.2\n' "$label" "$label" >"$WORK/ip-$arg.want"
    finish "ip-$arg" 2
done

# ---- pktd-sniff-tcp: two segments with data (letters, then every byte
# value from 0 up, escaped), B's RST answers carry none and are not shown
run tcp "$SNIFF_TCP" -c 2
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k tcp -p 40000 -q 8088 -l 60 >/dev/null &&
    inA "$SEND" -i vA $AB -k tcp -p 40001 -q 8089 -l 40 -X >/dev/null || fail "sending"
{
    echo 'Port 40000 -> 8088 [PSH,ACK] Seq=1000'
    echo 'Data: abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwx...'
    echo 'Port 40001 -> 8089 [PSH,ACK] Seq=1000'
    printf '%s' 'Data: \x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11'
    printf '%s\n' '\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&'"'"'...'
} >"$WORK/tcp.want"
wait "$RUN_PID" || fail "pktd-sniff-tcp: exit status $?"
cmp -s "$WORK/tcp" "$WORK/tcp.want" || { diff "$WORK/tcp.want" "$WORK/tcp"; fail "tcp: output differs"; }
note "tcp: output exact"

# ---- pktd-sniff-arp: a request and B's reply
run arp "$SNIFF_ARP" -i vB -c 2
# shellcheck disable=SC2086
inA "$SEND" -i vA -s 02:00:00:00:00:01 -d ff:ff:ff:ff:ff:ff -S 10.77.0.1 -D 10.77.0.2 -k arp -o 1 >/dev/null ||
    fail "sending"
cat >"$WORK/arp.want" <<'WANT'
==================================================
ETHERNET FRAME
Dest MAC: ff:ff:ff:ff:ff:ff
Source MAC: 02:00:00:00:00:01
ARP HEADER
Hardware: 0001 (Ethernet)
Protocol: 0800 (IPv4)
Opcode: 0001 (Request)
Sender MAC: 02:00:00:00:00:01
Sender IP: 10.77.0.1
Target MAC: 00:00:00:00:00:00
Target IP: 10.77.0.2
==================================================
ETHERNET FRAME
Dest MAC: 02:00:00:00:00:01
Source MAC: 02:00:00:00:00:02
ARP HEADER
Hardware: 0001 (Ethernet)
Protocol: 0800 (IPv4)
Opcode: 0002 (Reply)
Sender MAC: 02:00:00:00:00:02
Sender IP: 10.77.0.2
Target MAC: 02:00:00:00:00:01
Target IP: 10.77.0.1
WANT
finish arp 2
exit 0
