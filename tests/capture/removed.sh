#!/bin/bash
# An interface deleted during a capture: the capture ends on its own with
# "interface vB was removed; capture stopped" (not advice to bring it up),
# after handing over every packet that arrived before (also those in a
# TPACKET_V3 block the kernel had not yet retired), with its statistics and
# a complete file.  Once through the library (captest, both ring versions)
# and once through pktd-sniff -w, whose file tshark then reads.
. "${top_srcdir:-.}/tests/capture/lib.sh"

# wait_exit PID: its exit status, or fail when it does not end by itself.
wait_exit() {
    _i=0
    while kill -0 "$1" 2>/dev/null; do
        sleep 0.05
        _i=$((_i + 1))
        [ $_i -lt 200 ] || fail "the capture did not stop after the interface was removed"
    done
    wait "$1"
}

# new_link: recreate the veth pair the previous round deleted.
new_link() {
    ip -n "$NSA" link add vA type veth peer name vB netns "$NSB" || fail "cannot create a veth pair"
    ip -n "$NSA" link set vA address 02:00:00:00:00:01
    ip -n "$NSB" link set vB address 02:00:00:00:00:02
    ip -n "$NSA" link set vA up
    ip -n "$NSB" link set vB up
}

# The frames sent over the veth are in the capture's ring when sendframes
# returns (veth delivery runs in the sender's softirq), so deleting vB at
# once loses none.  A long block timeout (-T 1000): the five frames are
# still in the block the kernel is filling when the interface goes.
first=1
for mode in "-V 3 -T 1000" "-V 2"; do
    [ $first -eq 1 ] || new_link
    first=0
    out="$WORK/removed.txt"
    # shellcheck disable=SC2086
    start_cap "$NSB" "$out" -i vB -d in -I 20000 $mode -w "$WORK/removed.pcap"
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB -k udp -n 5 -p 5000 -q 6000 >/dev/null || fail "sending"
    ip -n "$NSB" link del vB || fail "deleting vB"
    st=0
    wait_exit "$CAP_PID" || st=$?
    expect "$st" 1 "$mode: captest's exit status"
    grep -q "captest: read: Network is down: interface vB was removed; capture stopped$" "$out.err" ||
        fail "$mode: no removal message: $(cat "$out.err")"
    expect "$(count "bring it up" "$out.err")" 0 "$mode: advice to bring it up"
    check_identity "$out"
    expect "$(stat delivered "$out")" 5 "$mode: delivered"
    expect "$(count "udp=5000>6000" "$out")" 5 "$mode: packets"
    if command -v tshark >/dev/null 2>&1; then
        expect "$(tshark -r "$WORK/removed.pcap" 2>/dev/null | wc -l)" 5 "$mode: packets tshark reads"
    fi
    note "$mode: 5 packets, then 'interface vB was removed', statistics and a complete file"
done

# pktd-sniff: prints the message and its statistics, and closes the file.
new_link
: >"$WORK/sniff.err"
inB "$SNIFF" -i vB -w "$WORK/sniff.pcap" 'udp' 2>>"$WORK/sniff.err" &
SNIFF_PID=$!
BG_PIDS="$BG_PIDS $SNIFF_PID"
i=0
until grep -q "listening on vB" "$WORK/sniff.err"; do
    sleep 0.05
    i=$((i + 1))
    [ $i -lt 200 ] || fail "pktd-sniff did not start: $(cat "$WORK/sniff.err")"
done
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k udp -n 7 -p 5000 -q 6000 >/dev/null || fail "sending"
ip -n "$NSB" link del vB || fail "deleting vB"
st=0
wait_exit "$SNIFF_PID" || st=$?
expect "$st" 1 "pktd-sniff's exit status"
grep -q "^pktd-sniff: interface vB was removed; capture stopped$" "$WORK/sniff.err" ||
    fail "pktd-sniff: no removal message: $(cat "$WORK/sniff.err")"
grep -q "^7 packets captured$" "$WORK/sniff.err" || fail "pktd-sniff: no '7 packets captured': $(cat "$WORK/sniff.err")"
grep -q "^[0-9]* packets received by filter$" "$WORK/sniff.err" || fail "pktd-sniff: no 'received by filter' line"
grep -q "^0 packets dropped by kernel$" "$WORK/sniff.err" || fail "pktd-sniff: no 'dropped by kernel' line"
if command -v tshark >/dev/null 2>&1; then
    expect "$(tshark -r "$WORK/sniff.pcap" -Y udp 2>/dev/null | wc -l)" 7 "pktd-sniff: packets tshark reads"
fi
note "pktd-sniff: 7 packets, the removal message, its statistics and a complete file"
