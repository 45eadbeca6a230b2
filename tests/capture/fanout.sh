#!/bin/bash
# PACKET_FANOUT: two handles in one group on vB share its packets, every
# packet reaching exactly one of them.  Round robin (lb) with numbered flood
# frames; by flow hash with 2000 UDP flows (distinct source ports); by CPU.
. "${top_srcdir:-.}/tests/capture/lib.sh"

# fanout MODE GROUP KIND N: run two members, send, check the union.
fanout() {
    mode=$1 group=$2 kind=$3 n=$4
    start_cap "$NSB" "$WORK/$mode.1" -i vB -d in -I 1000 -F "$mode:$group" -B 16777216
    p1=$CAP_PID
    start_cap "$NSB" "$WORK/$mode.2" -i vB -d in -I 1000 -F "$mode:$group" -B 16777216
    p2=$CAP_PID
    if [ "$kind" = flood ]; then
        # shellcheck disable=SC2086
        inA "$SEND" -i vA $AB -k flood -n "$n" -b 128 >/dev/null || fail "sending"
        key='s/.* seq=\([0-9]*\) .*/\1/p'
    else
        # shellcheck disable=SC2086
        inA "$SEND" -i vA $AB -k udp -r -p 10000 -n "$n" -b 128 >/dev/null || fail "sending"
        key='s/.* udp=\([0-9]*\)>.*/\1/p'
    fi
    wait_cap "$p1"
    wait_cap "$p2"
    for f in "$WORK/$mode.1" "$WORK/$mode.2"; do
        check_identity "$f"
        expect "$(stat dropped "$f")" 0 "$mode: drops"
    done
    a=$(grep -c '^pkt ' "$WORK/$mode.1")
    b=$(grep -c '^pkt ' "$WORK/$mode.2")
    expect $((a + b)) "$n" "$mode: packets of both members"
    sed -n "$key" "$WORK/$mode.1" "$WORK/$mode.2" | sort -n >"$WORK/$mode.keys"
    expect "$(sort -nu "$WORK/$mode.keys" | wc -l)" "$n" "$mode: distinct packets (each seen once)"
    expect "$(wc -l <"$WORK/$mode.keys")" "$n" "$mode: packets seen"
    note "$mode: $n packets, $a + $b, each exactly once"
    A=$a B=$b
}

fanout lb 4242 flood 20000
# Round robin: an even split, to within the members' start.
[ "$A" -ge 9000 ] && [ "$B" -ge 9000 ] || fail "lb: uneven split $A / $B"
fanout hash 4243 udp 2000
[ "$A" -gt 100 ] && [ "$B" -gt 100 ] || fail "hash: 2000 flows not shared: $A / $B"
fanout cpu 4244 flood 5000
exit 0
