#!/bin/bash
# Capture on all interfaces with Linux cooked v2 headers (captest -i any
# -L sll2, pktd_capture_set_linktype): packets from three interfaces of
# host B (the veth vB, loopback and a point-to-point tun device, which has
# no Ethernet header) are all kept, each decoded as SLL2 with the index,
# hardware type and packet type of its interface; a filter expression
# compiled for SLL2 selects on the cooked packet; the pcap file says
# LINUX_SLL2 to tshark.  Without -L sll2 (1.0 behaviour) the tun packets
# are dropped and counted as filtered.
. "${top_srcdir:-.}/tests/capture/lib.sh"

[ -c /dev/net/tun ] || skip "no /dev/net/tun for the non-Ethernet interface"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# A tun device tn0 in B, held open by this script: on "go" it writes N
# IPv4/UDP datagrams 10.88.0.1:5200 -> 10.88.0.2:6200 into it, which the
# kernel receives on tn0 (ARPHRD_NONE, no link header).
cat >"$WORK/tun.py" <<'PYEOF'
import fcntl, os, struct, sys, time
ready, go, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", b"tn0", 0x0001 | 0x1000))  # TUNSETIFF TUN|NO_PI
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.02)
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
for i in range(n):
    udp = struct.pack("!HHHH", 5200, 6200, 8 + 12, 0) + b"tun-payload!"
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                      bytes([10, 88, 0, 1]), bytes([10, 88, 0, 2]))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    os.write(fd, hdr + udp)
time.sleep(1.5)
PYEOF

LO_IFINDEX=$(inB cat /sys/class/net/lo/ifindex) || fail "no ifindex for lo"
ZERO=00:00:00:00:00:00
LO="-s $ZERO -d $ZERO -S 127.0.0.1 -D 127.0.0.1"

# run_any OUT [captest options]: capture in B on all interfaces while A
# sends 5 UDP frames to B over the veth, B sends 3 UDP frames on lo and 4
# datagrams arrive on tn0.
run_any() {
    _o=$1
    shift
    rm -f "$WORK/tun.ready" "$WORK/tun.go"
    inB "$PY" "$WORK/tun.py" "$WORK/tun.ready" "$WORK/tun.go" 4 &
    TUN_PID=$!
    BG_PIDS="$BG_PIDS $TUN_PID"
    wait_file "$WORK/tun.ready" || fail "the tun helper did not start"
    ip -n "$NSB" link set tn0 up || fail "tn0 up"
    TN_IFINDEX=$(inB cat /sys/class/net/tn0/ifindex) || fail "no ifindex for tn0"
    start_cap "$NSB" "$_o" -i any -I 800 "$@"
    # shellcheck disable=SC2086
    {
        inA "$SEND" -i vA $AB -k udp -n 5 -p 5000 -q 6000 -l 30 &&
            inB "$SEND" -i lo $LO -k udp -n 3 -p 5100 -q 6100 -l 30
    } >/dev/null || fail "sending"
    touch "$WORK/tun.go"
    wait "$TUN_PID" || fail "the tun helper failed"
    wait_cap
    check_identity "$_o"
}

for mode in "-V 3" "-V 2 -C"; do
    out="$WORK/any.txt"
    # shellcheck disable=SC2086
    run_any "$out" -L sll2 $mode -w "$WORK/any.pcap"
    ip4="proto=17 ttl=64"
    expect "$(count "caplen=78 len=78 ifindex=$VB_IFINDEX type=0 sll2=$VB_IFINDEX/1/0 proto=0800 ip=10.77.0.1>10.77.0.2 $ip4 udp=5000>6000 payload=30 " "$out")" 5 "$mode: veth packets with vB's index"
    expect "$(count "caplen=78 len=78 ifindex=$LO_IFINDEX type=0 sll2=$LO_IFINDEX/772/0 proto=0800 ip=127.0.0.1>127.0.0.1 $ip4 udp=5100>6100 payload=30 " "$out")" 3 "$mode: loopback packets with lo's index"
    expect "$(count "caplen=60 len=60 ifindex=$TN_IFINDEX type=0 sll2=$TN_IFINDEX/65534/0 proto=0800 ip=10.88.0.1>10.88.0.2 $ip4 udp=5200>6200 payload=12 " "$out")" 4 "$mode: tun packets with tn0's index"
    expect "$(count " error=" "$out")" 0 "$mode: decode errors"
    expect "$(stat filtered "$out")" 0 "$mode: filtered"
    note "-L sll2 $mode: 5 veth, 3 loopback and 4 tun packets, each with its interface index"
done

if command -v tshark >/dev/null 2>&1; then
    tshark -r "$WORK/any.pcap" -Y "udp and not icmp" -T fields -e frame.protocols -e sll.ifindex \
        -e udp.dstport 2>/dev/null | tr '\t' ' ' >"$WORK/tshark.txt"
    expect "$(count "sll:ethertype:ip:udp:data $VB_IFINDEX 6000" "$WORK/tshark.txt")" 5 "tshark: veth packets"
    expect "$(count "sll:ethertype:ip:udp:data $LO_IFINDEX 6100" "$WORK/tshark.txt")" 3 "tshark: loopback packets"
    expect "$(count "sll:ethertype:ip:udp:data $TN_IFINDEX 6200" "$WORK/tshark.txt")" 4 "tshark: tun packets"
    expect "$(wc -l <"$WORK/tshark.txt")" 12 "tshark: UDP packets"
    note "tshark reads the file as LINUX_SLL2 with the interface indexes"
fi

# A filter compiled for SLL2 runs on the cooked packet: only tn0's datagrams.
out="$WORK/any-filter.txt"
run_any "$out" -L sll2 -e "udp dst port 6200 and ip src 10.88.0.1"
expect "$(grep -c '^pkt ' "$out")" 4 "filtered capture: packets"
expect "$(count "sll2=$TN_IFINDEX/65534/0 proto=0800 ip=10.88.0.1>10.88.0.2 $ip4 udp=5200>6200 " "$out")" 4 "filtered capture: tun packets"
[ "$(stat filtered "$out")" -ge 8 ] || fail "filtered capture: the 8 other packets are not counted as filtered"
note "-L sll2 -e: the SLL2 filter selects the 4 tun packets, the others counted as filtered"

# 1.0 behaviour kept without the option: Ethernet frames, tun packets dropped.
out="$WORK/any-eth.txt"
run_any "$out"
expect "$(count " sll2=" "$out")" 0 "Ethernet mode: cooked headers"
expect "$(count "ifindex=$TN_IFINDEX " "$out")" 0 "Ethernet mode: tun packets"
expect "$(count "ifindex=$VB_IFINDEX type=0 eth=0800 " "$out")" 5 "Ethernet mode: veth frames"
[ "$(stat filtered "$out")" -ge 4 ] || fail "Ethernet mode: the tun packets are not counted as filtered"
note "without -L: Ethernet frames as in 1.0, the 4 tun packets counted as filtered"

# A VLAN tag the kernel took off is put back after the cooked header.
out="$WORK/any-vlan.txt"
start_cap "$NSB" "$out" -i any -I 800 -L sll2 -d in
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k udp -n 2 -p 5300 -q 6300 -l 30 -v 42:5 >/dev/null || fail "sending tagged frames"
wait_cap
expect "$(count "caplen=82 len=82 ifindex=$VB_IFINDEX type=0 sll2=$VB_IFINDEX/1/0 proto=0800 vlan=8100/42/5 ip=10.77.0.1>10.77.0.2 proto=17 ttl=64 udp=5300>6300 payload=30 " "$out")" 2 "tagged frames"
note "-L sll2: an offloaded VLAN tag is back after the cooked header"

# pktd-sniff -i any: cooked headers, packets from the veth and from tn0.
rm -f "$WORK/tun.ready" "$WORK/tun.go"
inB "$PY" "$WORK/tun.py" "$WORK/tun.ready" "$WORK/tun.go" 4 &
TUN_PID=$!
BG_PIDS="$BG_PIDS $TUN_PID"
wait_file "$WORK/tun.ready" || fail "the tun helper did not start"
ip -n "$NSB" link set tn0 up || fail "tn0 up"
TN_IFINDEX=$(inB cat /sys/class/net/tn0/ifindex) || fail "no ifindex for tn0"
: >"$WORK/sniff.err"
inB "$SNIFF" -i any -c 9 -w "$WORK/sniff.pcap" 'udp and not icmp' 2>>"$WORK/sniff.err" &
SNIFF_PID=$!
BG_PIDS="$BG_PIDS $SNIFF_PID"
i=0
until grep -q "listening on any" "$WORK/sniff.err"; do
    sleep 0.05
    i=$((i + 1))
    [ $i -lt 200 ] || fail "pktd-sniff did not start: $(cat "$WORK/sniff.err")"
done
grep -q "listening on any, link-type LINUX_SLL2 (Linux cooked v2)," "$WORK/sniff.err" ||
    fail "pktd-sniff -i any: $(cat "$WORK/sniff.err")"
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k udp -n 5 -p 5000 -q 6000 -l 30 >/dev/null || fail "sending"
touch "$WORK/tun.go"
wait "$TUN_PID" || fail "the tun helper failed"
wait "$SNIFF_PID" || fail "pktd-sniff -i any failed: $(cat "$WORK/sniff.err")"
grep -q "^9 packets captured$" "$WORK/sniff.err" || fail "pktd-sniff -i any: $(cat "$WORK/sniff.err")"
if command -v tshark >/dev/null 2>&1; then
    tshark -r "$WORK/sniff.pcap" -T fields -e sll.ifindex -e udp.dstport 2>/dev/null | tr '\t' ' ' >"$WORK/sniff.txt"
    expect "$(count "$VB_IFINDEX 6000" "$WORK/sniff.txt")" 5 "pktd-sniff -i any: veth packets"
    expect "$(count "$TN_IFINDEX 6200" "$WORK/sniff.txt")" 4 "pktd-sniff -i any: tun packets"
fi
note "pktd-sniff -i any: LINUX_SLL2, 5 veth and 4 tun packets with their indexes"
