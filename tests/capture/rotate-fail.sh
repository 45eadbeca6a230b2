#!/bin/bash
# pktd-sniff -C when the next file cannot be opened: it stops with status 1,
# says which file, and its statistics still add up: the packet that needed
# the new file is counted as dropped (captured + dropped = received), not
# lost from every line.
. "${top_srcdir:-.}/tests/capture/lib.sh"

FLOOD="ether proto 0x88b5"
send_flood() { inA "$SEND" -i vA $AB -k flood -n "$1" -b 256 -l 46 >/dev/null || fail "sending"; }

# The name the first rotation opens is a directory: open(2) fails (EISDIR).
mkdir "$WORK/f.pcap1"
inB "$SNIFF" -i vB -q -w "$WORK/f.pcap" -C 1 "$FLOOD" 2>"$WORK/f.err" &
SNIFF_PID=$!
BG_PIDS="$BG_PIDS $SNIFF_PID"
i=0
until grep -q "listening on" "$WORK/f.err" 2>/dev/null; do
    sleep 0.05
    i=$((i + 1))
    [ $i -lt 200 ] || { cat "$WORK/f.err"; fail "pktd-sniff did not start"; }
done
# 64-byte frames, 80-byte records after the 24-byte header: 12 500 records
# make 1 000 024 bytes, past -C 1, so the 12 501st packet needs f.pcap1.
# Sent apart, so that no other packet is on its way when it fails.
send_flood 12500
sleep 1
kill -0 "$SNIFF_PID" 2>/dev/null || { cat "$WORK/f.err"; fail "stopped before the rotation"; }
send_flood 1
i=0
while kill -0 "$SNIFF_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -0 "$SNIFF_PID" 2>/dev/null &&
    fail "still running after the 12 501st packet (kernel drops in the first burst?)"
wait "$SNIFF_PID"
rc=$?
cat "$WORK/f.err"
expect "$rc" 1 "exit status when the next file cannot be opened"
grep -q "f.pcap1: open: " "$WORK/f.err" || fail "no message naming the file that could not be opened"
cap=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$WORK/f.err")
recv=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$WORK/f.err")
drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$WORK/f.err")
[ -n "$cap" ] && [ -n "$recv" ] && [ -n "$drop" ] || fail "no statistics"
expect "$recv" 12501 "received by filter"
expect $((cap + drop)) "$recv" "captured + dropped (the packet no file could take is dropped)"
expect "$(wc -c <"$WORK/f.pcap")" $((24 + 12500 * 80)) "f.pcap's size: every captured packet"
note "rotation into an unopenable file: $cap captured + $drop dropped = $recv received"
