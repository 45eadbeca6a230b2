#!/bin/bash
# IPv6 at the IP layer (1.1): pktd-sniff-ip -6 on B prints exact lines for
# ICMPv6 echo requests (the default), UDP (-P 17) and TCP (-P 6) sent from A
# over IPv6; captest -6 checks the fields of the IPv6 header the library
# synthesizes (source, destination, next header, hop limit, payload length,
# traffic class, flow label) and that the payload behind it decodes.
. "${top_srcdir:-.}/tests/capture/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "no python3 to send UDP and TCP over IPv6"

# lib.sh turns IPv6 off: turn it on for vA/vB only, with no link-local
# address, router solicitation or DAD, and static neighbour entries, so the
# only IPv6 traffic is what this test sends.
for side in "$NSA vA fd00:77::1 fd00:77::2 02:00:00:00:00:02" \
            "$NSB vB fd00:77::2 fd00:77::1 02:00:00:00:00:01"; do
    set -- $side
    ip netns exec "$1" sh -c "echo 1 >/proc/sys/net/ipv6/conf/$2/addr_gen_mode &&
        echo 0 >/proc/sys/net/ipv6/conf/$2/router_solicitations &&
        echo 0 >/proc/sys/net/ipv6/conf/$2/accept_ra &&
        echo 0 >/proc/sys/net/ipv6/conf/$2/dad_transmits &&
        echo 0 >/proc/sys/net/ipv6/conf/$2/disable_ipv6" ||
        skip "cannot enable IPv6 on the veth (no IPv6 in this kernel?)"
    ip -n "$1" -6 addr add "$3/64" dev "$2" nodad || fail "ip -6 addr add $3"
    ip -n "$1" -6 neigh replace "$4" lladdr "$5" dev "$2" nud permanent || fail "ip -6 neigh $4"
done

# send6 udp|tcp PORT [TCLASS]: one UDP datagram of 5 bytes, or a TCP connect
# (SYN; B has no listener, so it answers RST, which A's TCP ignores).
send6() {
    inA "$PY" - "$@" <<'PYEOF' || fail "sending $*"
import socket, sys
kind, port = sys.argv[1], int(sys.argv[2])
if kind == "udp":
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    if len(sys.argv) > 3:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, int(sys.argv[3]))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 9)
    s.sendto(b"hello", ("fd00:77::2", port))
else:
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(("fd00:77::2", port))
    except ConnectionRefusedError:
        pass
PYEOF
}

run() {
    name=$1
    shift
    ip netns exec "$NSB" "$@" >"$WORK/$name" 2>"$WORK/$name.err" &
    RUN_PID=$!
    BG_PIDS="$BG_PIDS $RUN_PID"
    i=0
    until grep -q poll "/proc/$RUN_PID/wchan" 2>/dev/null; do
        sleep 0.02
        i=$((i + 1))
        [ $i -lt 500 ] || { cat "$WORK/$name.err"; fail "$name: the program did not start"; }
    done
}
finish() {
    wait "$RUN_PID" || { cat "$WORK/$1.err"; fail "$1: exit status $?"; }
    cmp -s "$WORK/$1" "$WORK/$1.want" || { diff "$WORK/$1.want" "$WORK/$1"; fail "$1: output differs"; }
    grep -q "^$2 packets\{0,1\} captured$" "$WORK/$1.err" || { cat "$WORK/$1.err"; fail "$1: statistics"; }
    note "$1: output exact"
}

# ---- pktd-sniff-ip -6: ICMPv6 by default (B sees A's echo requests only:
# its replies are outgoing), then UDP and TCP by number
run ip6-icmp "$SNIFF_IP" -6 -c 2
inA ping -6 -c 2 -i 0.2 -W 2 fd00:77::2 >/dev/null || fail "ping -6"
printf 'ICMPv6: fd00:77::1 -> fd00:77::2\n%.0s' 1 2 >"$WORK/ip6-icmp.want"
finish ip6-icmp 2

run ip6-udp "$SNIFF_IP" -6 -P 17 -c 2
send6 udp 6000
send6 udp 6001
printf 'UDP: fd00:77::1 -> fd00:77::2\n%.0s' 1 2 >"$WORK/ip6-udp.want"
finish ip6-udp 2

run ip6-tcp "$SNIFF_IP" -6 -P 6 -c 1
send6 tcp 6002
printf 'TCP: fd00:77::1 -> fd00:77::2\n' >"$WORK/ip6-tcp.want"
finish ip6-tcp 1

# A word that is no protocol is a usage error with -6 too.
ip netns exec "$NSB" "$SNIFF_IP" -6 -P nosuch >/dev/null 2>"$WORK/usage.err" && fail "-P nosuch accepted"
grep -q 'not a protocol' "$WORK/usage.err" || fail "-P nosuch: $(cat "$WORK/usage.err")"

# ---- the library: the synthesized header's fields, and the payload decoded
# behind it (ICMPv6 checksum verified over the built pseudo-header)
start_cap "$NSB" "$WORK/cap-icmp" -6 -i vB -c 1 -I 5000
inA ping -6 -c 1 -s 16 -t 7 -W 2 fd00:77::2 >/dev/null || fail "ping -6 -s 16"
wait_cap
check_identity "$WORK/cap-icmp"
grep -q ' caplen=64 len=64 ' "$WORK/cap-icmp" || fail "icmp: lengths: $(cat "$WORK/cap-icmp")"
grep -q ' ip6=fd00:77::1>fd00:77::2 next=58 hlim=7 plen=24 tclass=0 flow=0 icmp6=128/0 csum_ok=1 ' \
    "$WORK/cap-icmp" || fail "icmp: header fields: $(cat "$WORK/cap-icmp")"
grep -q " ifindex=$VB_IFINDEX " "$WORK/cap-icmp" || fail "icmp: ifindex: $(cat "$WORK/cap-icmp")"
note "ICMPv6 echo: synthesized header exact"

# UDP with traffic class 0x28 and hop limit 9: 8 + 5 bytes of payload.
start_cap "$NSB" "$WORK/cap-udp" -6 -P 17 -i vB -c 1 -I 5000
send6 udp 6010 40
wait_cap
check_identity "$WORK/cap-udp"
grep -q ' caplen=53 len=53 ' "$WORK/cap-udp" || fail "udp: lengths: $(cat "$WORK/cap-udp")"
grep -q ' ip6=fd00:77::1>fd00:77::2 next=17 hlim=9 plen=13 tclass=40 flow=0 udp=[0-9]*>6010 payload=5 ' \
    "$WORK/cap-udp" || fail "udp: header fields: $(cat "$WORK/cap-udp")"
note "UDP: synthesized header exact (traffic class from IPV6_TCLASS)"

# TCP SYN: next header 6, the segment decoded with its flags (SYN = 2).
start_cap "$NSB" "$WORK/cap-tcp" -6 -P 6 -i vB -c 1 -I 5000
send6 tcp 6011
wait_cap
check_identity "$WORK/cap-tcp"
line=$(grep '^pkt ' "$WORK/cap-tcp")
echo "$line" | grep -q ' ip6=fd00:77::1>fd00:77::2 next=6 hlim=64 plen=[0-9]* tclass=0 flow=0 tcp=[0-9]*>6011 flags=2 ' ||
    fail "tcp: header fields: $line"
caplen=$(echo "$line" | sed -n 's/.* caplen=\([0-9]*\) .*/\1/p')
plen=$(echo "$line" | sed -n 's/.* plen=\([0-9]*\) .*/\1/p')
expect "$plen" $((caplen - 40)) "tcp: payload length = captured - 40"
note "TCP: synthesized header exact"

# A filter compiled for LINKTYPE_IPV6 runs in user space on the built
# packet: only the datagram to port 6021 passes, the other is filtered.
start_cap "$NSB" "$WORK/cap-filt" -6 -P 17 -i vB -c 1 -I 5000 -e 'udp dst port 6021'
send6 udp 6020
send6 udp 6021
wait_cap
check_identity "$WORK/cap-filt"
expect "$(count ' udp=' "$WORK/cap-filt")" 1 "filter: packets delivered"
grep -q '>6021 ' "$WORK/cap-filt" || fail "filter: wrong packet: $(cat "$WORK/cap-filt")"
expect "$(stat filtered "$WORK/cap-filt")" 1 "filter: packets filtered"
note "filter in user space on the synthesized header"
