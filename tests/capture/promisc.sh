#!/bin/bash
# Promiscuous mode, observed: B's veth is a port of a bridge br0, and a
# capture on br0 sees frames for another host's MAC address only when br0 is
# promiscuous (the bridge hands a frame to its own interface only for its
# address, broadcasts, or in promiscuous mode).  The mode comes from a
# PACKET_ADD_MEMBERSHIP of the handle, so it ends when the handle closes.
. "${top_srcdir:-.}/tests/capture/lib.sh"

ip -n "$NSB" link add br0 type bridge 2>"$WORK/br.err" ||
    fail "cannot create a bridge: $(cat "$WORK/br.err")"
ip -n "$NSB" link set vB master br0
ip -n "$NSB" link set br0 up
promiscuity() { inB ip -d link show br0 | sed -n 's/.* promiscuity \([0-9]*\) .*/\1/p'; }
expect "$(promiscuity)" 0 "br0 promiscuity before"

traffic() {
    # 4 UDP frames for a MAC address nobody has, 2 broadcast ARP requests.
    inA "$SEND" -i vA -d 02:00:00:00:00:99 -S 10.77.0.1 -D 10.77.0.9 -k udp -n 4 >/dev/null &&
        inA "$SEND" -i vA -d ff:ff:ff:ff:ff:ff -S 10.77.0.1 -D 10.77.0.9 -k arp -n 2 >/dev/null ||
        fail "sending"
}

start_cap "$NSB" "$WORK/plain.txt" -i br0 -d in -I 800
traffic
wait_cap
expect "$(grep -c '^pkt ' "$WORK/plain.txt")" 2 "not promiscuous: packets"
expect "$(count 'type=1 eth=0806' "$WORK/plain.txt")" 2 "not promiscuous: broadcasts"

start_cap "$NSB" "$WORK/promisc.txt" -i br0 -d in -I 800 -p
expect "$(promiscuity)" 1 "br0 promiscuity while capturing"
flags=$(inB cat /sys/class/net/br0/flags)
[ $((flags & 0x100)) -ne 0 ] || fail "IFF_PROMISC not set on br0 (flags $flags)"
traffic
wait_cap
check_identity "$WORK/promisc.txt"
expect "$(grep -c '^pkt ' "$WORK/promisc.txt")" 6 "promiscuous: packets"
expect "$(count 'type=3 eth=0800 src=02:00:00:00:00:01 dst=02:00:00:00:00:99' "$WORK/promisc.txt")" 4 "promiscuous: other host's frames"
expect "$(promiscuity)" 0 "br0 promiscuity after the handle closed"
note "other hosts' frames seen only in promiscuous mode; the mode ended with the handle"
exit 0
