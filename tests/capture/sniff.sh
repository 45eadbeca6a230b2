#!/bin/bash
# pktd-sniff between two hosts: its text and JSON Lines are pktd-decode's
# for the same packets (it also writes them with -w), tcpdump's exit
# statistics with captured + dropped = received, reading what is still queued
# on SIGINT, a filter expression, the live count on a terminal, and every
# error path (no such device, interface down, no CAP_NET_RAW, impossible
# ring, bad filter, usage).
. "${top_srcdir:-.}/tests/capture/lib.sh"

send_mix() {
    # shellcheck disable=SC2086
    {
        inA "$SEND" -i vA $AB -k udp -n 3 -q 6000 &&
            inA "$SEND" -i vA $AB -k tcp -n 2 -q 6001 &&
            inA "$SEND" -i vA $AB -k icmp -n 2 -v 100:5 &&
            inA "$SEND" -i vA $AB -k arp -n 1
    } >/dev/null || fail "sending"
}

# vB up again, with the neighbour entry an interface loses when it goes down.
restore_vB() {
    ip -n "$NSB" link set vB up
    ip -n "$NSB" neigh replace 10.77.0.1 lladdr 02:00:00:00:00:01 dev vB nud permanent
}

# Wait until the program has said it is listening.
wait_listening() {
    i=0
    until grep -q 'listening on' "$1" 2>/dev/null; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 200 ] || { cat "$1"; fail "pktd-sniff did not start"; }
    done
}

# check_stats FILE CAPTURED: tcpdump's three lines, and their identity.
check_stats() {
    c=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$1")
    r=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$1")
    d=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$1")
    [ -n "$c" ] && [ -n "$r" ] && [ -n "$d" ] || { cat "$1"; fail "$1: tcpdump's statistics lines missing"; }
    expect "$c" "$2" "$1: packets captured"
    expect $((c + d)) "$r" "$1: captured + dropped = received by filter"
}

# Programs started in the background are exec'ed directly (not through a
# shell function), so $! is the program itself and signals reach it.

# ---- the same packets through three instances: text, JSON, -w file
ip netns exec "$NSB" "$SNIFF" -i vB -c 14 -l >"$WORK/text" 2>"$WORK/text.err" &
P1=$!
ip netns exec "$NSB" "$SNIFF" -i vB -c 14 -j >"$WORK/json" 2>"$WORK/json.err" &
P2=$!
ip netns exec "$NSB" "$SNIFF" -i vB -c 14 -w "$WORK/sniff.pcap" >"$WORK/w.out" 2>"$WORK/w.err" &
P3=$!
BG_PIDS="$BG_PIDS $P1 $P2 $P3"
for f in text json w; do wait_listening "$WORK/$f.err"; done
# 8 frames, and B's 6 answers: 3 port unreachable, 2 RST, 1 ARP reply (the
# tagged echo requests are for a VLAN B does not have).
send_mix
for p in $P1 $P2 $P3; do wait "$p" || fail "pktd-sniff exited with status $?"; done
expect "$(wc -l <"$WORK/text")" 14 "text lines"
expect "$(wc -l <"$WORK/json")" 14 "JSON lines"
for f in text json w; do check_stats "$WORK/$f.err" 14; done
[ -s "$WORK/w.out" ] && fail "-w printed packets on stdout"
"$DECODE" "$WORK/sniff.pcap" >"$WORK/decoded.text" || fail "pktd-decode of the -w file"
"$DECODE" -j "$WORK/sniff.pcap" >"$WORK/decoded.json" || fail "pktd-decode -j of the -w file"
cmp -s "$WORK/text" "$WORK/decoded.text" || { diff "$WORK/text" "$WORK/decoded.text"; fail "text differs from pktd-decode's"; }
cmp -s "$WORK/json" "$WORK/decoded.json" || { diff "$WORK/json" "$WORK/decoded.json"; fail "JSON differs from pktd-decode's"; }
python3 - "$WORK/json" <<'PY' || { cat "$WORK/json"; fail "JSON content"; }
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["n"] for r in recs] == list(range(1, 15)), "numbering"
unreach = [r for r in recs if r.get("icmp", {}).get("type") == 3]
assert len(unreach) == 3 and all(r["ipv4"]["src"] == "10.77.0.2" for r in unreach), unreach
rst = [r for r in recs if "tcp" in r and r["tcp"]["flags"] == 4]
assert len(rst) == 2 and all(r["tcp"]["sport"] == 6001 for r in rst), rst
udp = [r for r in recs if "udp" in r and r["udp"]["dport"] == 6000]
assert len(udp) == 3 and all(r["ipv4"]["src"] == "10.77.0.1" and r["eth"]["vlan"] == [] for r in udp), udp
icmp = [r for r in recs if r.get("icmp", {}).get("type") == 8]
assert len(icmp) == 2 and all(r["eth"]["vlan"] == [100] and r["caplen"] == 64 for r in icmp), icmp
arp = [r for r in recs if "arp" in r and r["arp"]["op"] == 1]
assert len(arp) == 1 and arp[0]["arp"]["spa"] == "10.77.0.1" and arp[0]["arp"]["tpa"] == "10.77.0.2", arp
reply = [r for r in recs if "arp" in r and r["arp"]["op"] == 2]
assert len(reply) == 1 and reply[0]["arp"]["sha"] == "02:00:00:00:00:02", reply
PY
if command -v tshark >/dev/null 2>&1; then
    expect "$(tshark -n -r "$WORK/sniff.pcap" 2>/dev/null | wc -l)" 14 "tshark: packets in the -w file"
fi
expect "$(tcpdump -nn -r "$WORK/sniff.pcap" 2>/dev/null | wc -l)" 14 "tcpdump: packets in the -w file"
note "text, JSON Lines and -w agree with pktd-decode, tshark and tcpdump; statistics lines exact"

# ---- a filter expression of several words; SIGINT reads what is queued
if "$CAPTEST" -e 'udp' -i nosuchdev0 2>&1 | grep -q 'need libpcap'; then
    note "built without libpcap: the filter expression part is not run"
else
    ip netns exec "$NSB" "$SNIFF" -i vB -l udp and dst port 6002 >"$WORK/f" 2>"$WORK/f.err" &
    P=$!
    BG_PIDS="$BG_PIDS $P"
    wait_listening "$WORK/f.err"
    send_mix
    inA "$SEND" -i vA $AB -k udp -n 4 -q 6002 >/dev/null
    kill -INT "$P"
    wait "$P" || fail "pktd-sniff after SIGINT: status $?"
    expect "$(wc -l <"$WORK/f")" 4 "filter: lines"
    expect "$(grep -c 'IP 10.77.0.1.40000 > 10.77.0.2.6002: UDP' "$WORK/f")" 4 "filter: UDP to 6002"
    check_stats "$WORK/f.err" 4
    note "'udp and dst port 6002': 4 packets, all read after SIGINT"
fi

# ---- promiscuous by default on an interface, not with -p; -s cuts packets
promisc_of() { inB ip -d link show vB | sed -n 's/.* promiscuity \([0-9]*\) .*/\1/p'; }
ip netns exec "$NSB" "$SNIFF" -i vB -j -s 40 >"$WORK/s40" 2>"$WORK/s40.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/s40.err"
expect "$(promisc_of)" 1 "vB promiscuity under pktd-sniff -i vB"
inA "$SEND" -i vA $AB -k flood -n 3 >/dev/null
kill -INT "$P"
wait "$P" || fail "pktd-sniff -s 40: status $?"
expect "$(grep -c '"caplen":40,"len":60,' "$WORK/s40")" 3 "-s 40: packets cut to 40 bytes"
expect "$(promisc_of)" 0 "vB promiscuity after pktd-sniff ended"
ip netns exec "$NSB" "$SNIFF" -i vB -p -q >/dev/null 2>"$WORK/p.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/p.err"
expect "$(promisc_of)" 0 "vB promiscuity under pktd-sniff -p"
kill -INT "$P"
wait "$P" || fail "pktd-sniff -p: status $?"
note "promiscuous by default, not with -p; -s 40 cuts to 40 bytes"

# ---- the interface goes down under a running capture: an error, exit 1
ip netns exec "$NSB" "$SNIFF" -i vB -q >/dev/null 2>"$WORK/down.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/down.err"
ip -n "$NSB" link set vB down
wait "$P"
expect "$?" 1 "interface taken down: exit status"
grep -q 'capture socket on vB: Network is down (the interface is down' "$WORK/down.err" ||
    { cat "$WORK/down.err"; fail "interface taken down: message"; }
restore_vB
note "interface taken down during the capture: reported, exit 1"

# ---- -Z: tests/capture/privs.sh (with the set-user-ID and -w file cases)

# ---- the live count: once a second on a terminal, never into a file
if command -v script >/dev/null 2>&1; then
    (sleep 0.3; for _ in 1 2 3 4 5; do inA "$SEND" -i vA $AB -k flood -n 2 >/dev/null; sleep 0.2; done) &
    T=$!
    BG_PIDS="$BG_PIDS $T"
    script -qfec "timeout -s INT 3.2 ip netns exec $NSB $SNIFF -i vB -w $WORK/tty.pcap" /dev/null >"$WORK/tty.log" 2>&1
    wait "$T"
    n=$(tr '\r' '\n' <"$WORK/tty.log" | grep -c '^[0-9]* packets captured, [0-9]* dropped')
    [ "$n" -ge 2 ] && [ "$n" -le 4 ] || { cat -A "$WORK/tty.log"; fail "live count lines on the terminal: $n"; }
    tr '\r' '\n' <"$WORK/tty.log" | grep -q '^10 packets captured$' || { cat -A "$WORK/tty.log"; fail "final count on the terminal"; }
    grep -c 'packets captured, ' "$WORK/w.err" | grep -q '^0$' || fail "live count written to a file"
    note "live count: $n updates on a terminal, none into a file"
else
    fail "script(1) (bsdutils) is needed for the terminal test"
fi

# ---- errors: what happened and what to do, exit status 1
err() { # err NAME EXPECTED-TEXT command...
    name=$1 text=$2
    shift 2
    "$@" >"$WORK/err.out" 2>&1
    st=$?
    expect "$st" 1 "$name: exit status"
    grep -q -F -- "$text" "$WORK/err.out" || { cat "$WORK/err.out"; fail "$name: message lacks '$text'"; }
}
err "no such device" "SIOCGIFINDEX(nosuchdev0): No such device (no such device: see \`ip link\`" inB "$SNIFF" -i nosuchdev0
ip -n "$NSB" link set vB down
err "interface down" "interface vB is down: bring it up with \`ip link set vB up\`" inB "$SNIFF" -i vB
restore_vB
err "no CAP_NET_RAW" "socket(AF_PACKET, SOCK_RAW): Operation not permitted (run as root or grant CAP_NET_RAW" \
    inB setpriv --bounding-set -net_raw -- "$SNIFF" -i vB
if setpriv --reuid 65534 --regid 65534 --clear-groups -- test -x "$SNIFF" 2>/dev/null &&
    setpriv --reuid 65534 --regid 65534 --clear-groups -- test -r "$(dirname "$SNIFF")/.libs" 2>/dev/null; then
    err "not root" "run as root or grant CAP_NET_RAW" \
        inB setpriv --reuid 65534 --regid 65534 --clear-groups -- "$SNIFF" -i vB
    err "not root, IP layer" "run as root or grant CAP_NET_RAW" \
        inB setpriv --reuid 65534 --regid 65534 --clear-groups -- "$SNIFF_IP" -c 1
else
    note "the build tree is not readable by nobody: not-root checked with CAP_NET_RAW removed only"
fi
err "ring too large" "cannot be described to the kernel" inB "$SNIFF" -i vB -B 9007199254740992
if "$CAPTEST" -e 'udp' -i nosuchdev0 2>&1 | grep -q 'need libpcap'; then
    err "no libpcap" "filter expressions need libpcap" inB "$SNIFF" -i vB udp
else
    err "bad filter" 'filter expression "udp port": ' inB "$SNIFF" -i vB udp port
fi
"$SNIFF" -c abc >/dev/null 2>&1
expect "$?" 2 "usage error: exit status"
note "errors: no such device, interface down, no CAP_NET_RAW, ring too large, bad filter, usage"
exit 0
