#!/bin/bash
# Exact counts and decoded fields of UDP, TCP, ICMP and ARP sent from host A
# to host B, captured on B: hand-made frames (known byte for byte) through
# both ring versions and every read style (next, dispatch, non-blocking with
# the caller's own poll), then traffic from the real network stacks (ping,
# a UDP exchange and a TCP connection).
. "${top_srcdir:-.}/tests/capture/lib.sh"

for mode in "-V 3" "-V 2" "-V 3 -C" "-V 2 -C" "-V 3 -N" "-M"; do
    out="$WORK/crafted.txt"
    # Only what arrives: B's own answers (RST, port unreachable, echo and
    # ARP replies) leave through vB and are outgoing.
    # shellcheck disable=SC2086
    start_cap "$NSB" "$out" -i vB -d in -I 800 $mode
    # shellcheck disable=SC2086
    {
        inA "$SEND" -i vA $AB -k udp -n 5 -p 5000 -q 6000 -l 30 &&
            inA "$SEND" -i vA $AB -k tcp -n 3 -p 5001 -q 6001 &&
            inA "$SEND" -i vA $AB -k icmp -n 4 &&
            inA "$SEND" -i vA $AB -k arp -n 2 -o 1
    } >/dev/null || fail "sending"
    wait_cap
    check_identity "$out"
    expect "$(grep -c '^pkt ' "$out")" 14 "$mode: packets"
    expect "$(stat received "$out")" 14 "$mode: received"
    expect "$(stat delivered "$out")" 14 "$mode: delivered"
    expect "$(stat dropped "$out")" 0 "$mode: dropped"
    expect "$(stat filtered "$out")" 0 "$mode: filtered"
    common="type=0 eth=0800 src=02:00:00:00:00:01 dst=02:00:00:00:00:02 ip=10.77.0.1>10.77.0.2"
    expect "$(count "caplen=72 len=72 ifindex=$VB_IFINDEX $common proto=17 ttl=64 udp=5000>6000 payload=30 " "$out")" 5 "$mode: UDP"
    expect "$(count "caplen=72 len=72 ifindex=$VB_IFINDEX $common proto=6 ttl=64 tcp=5001>6001 flags=24 payload=18 " "$out")" 3 "$mode: TCP"
    expect "$(count "caplen=60 len=60 ifindex=$VB_IFINDEX $common proto=1 ttl=64 icmp=8/0 payload=18 " "$out")" 4 "$mode: ICMP"
    expect "$(count "caplen=60 len=60 ifindex=$VB_IFINDEX type=0 eth=0806 src=02:00:00:00:00:01 dst=02:00:00:00:00:02 arp=1 10.77.0.1>10.77.0.2 " "$out")" 2 "$mode: ARP"
    # Frames in the order sent, timestamps never going back.
    awk '/^pkt /{ for (i = 1; i <= NF; i++) if ($i ~ /^ts=/) { t = substr($i, 4) + 0;
         if (t < last) exit 1; last = t } }' "$out" || fail "$mode: timestamps out of order"
    note "$mode: 14 frames, fields and counts exact"
done

# ---- the real stacks: ping, UDP, TCP
cat >"$WORK/server.py" <<'EOF'
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("10.77.0.2", 7777))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.77.0.2", 7778))
t.listen(1)
open(sys.argv[1], "w").close()
for _ in range(4):
    data, peer = u.recvfrom(2048)
    u.sendto(data.upper(), peer)
c, _ = t.accept()
got = b""
while True:
    d = c.recv(4096)
    if not d:
        break
    got += d
c.close()
print(len(got))
EOF
cat >"$WORK/client.py" <<'EOF'
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
for i in range(4):
    u.sendto(b"datagram %d" % i, ("10.77.0.2", 7777))
    assert u.recvfrom(2048)[0] == (b"DATAGRAM %d" % i)
t = socket.create_connection(("10.77.0.2", 7778), timeout=5)
t.sendall(b"hello over tcp, 29 bytes long")
t.close()
EOF
inB python3 "$WORK/server.py" "$WORK/server.ready" >"$WORK/server.out" &
SERVER=$!
BG_PIDS="$BG_PIDS $SERVER"
wait_file "$WORK/server.ready" || fail "server did not start"

# 3 s without a packet ends it: the Python client starting after the ping
# took over 1 s on a loaded machine.
start_cap "$NSB" "$WORK/stack.txt" -i vB -I 3000
inA ping -c 3 -i 0.2 -W 2 10.77.0.2 >/dev/null || fail "ping"
inA python3 "$WORK/client.py" || fail "UDP/TCP client"
wait "$SERVER" || fail "server"
expect "$(cat "$WORK/server.out")" 29 "bytes the TCP server received"
wait_cap
out="$WORK/stack.txt"
check_identity "$out"
expect "$(count "ip=10.77.0.1>10.77.0.2 proto=1 ttl=64 icmp=8/0" "$out")" 3 "echo requests"
expect "$(count "type=4 eth=0800 src=02:00:00:00:00:02 dst=02:00:00:00:00:01 ip=10.77.0.2>10.77.0.1 proto=1 ttl=64 icmp=0/0" "$out")" 3 "echo replies"
expect "$(grep 'udp=[0-9]*>7777 payload=10 ' "$out" | grep -c 'type=0 ')" 4 "UDP requests"
expect "$(grep -c 'udp=7777>[0-9]* payload=10 ' "$out")" 4 "UDP replies"
expect "$(grep -c 'tcp=[0-9]*>7778 flags=2 ' "$out")" 1 "SYN"
expect "$(grep -c 'tcp=7778>[0-9]* flags=18 ' "$out")" 1 "SYN-ACK"
data=$(grep 'tcp=[0-9]*>7778 ' "$out" | sed -n 's/.* payload=\([0-9]*\) .*/\1/p' | awk '{ s += $1 } END { print s }')
expect "$data" 29 "TCP payload bytes from A"
expect "$(grep -c '^pkt ' "$out")" "$(stat delivered "$out")" "lines vs delivered"
note "ping, UDP and TCP through the stacks: fields and counts exact"
exit 0
