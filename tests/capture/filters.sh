#!/bin/bash
# Kernel filters between two hosts: a BPF instruction array, `tcpdump -ddd`
# text (a stored file, and tcpdump's own output when tcpdump is installed),
# tcpdump expressions compiled by libpcap, a filter replaced while packets
# are queued, and the messages for bad filters.
. "${top_srcdir:-.}/tests/capture/lib.sh"

# Mixed traffic: 5 UDP to 6000, 4 UDP to 6001, 3 TCP to 6001, 2 ICMP, 2 ARP.
send_mix() {
    # shellcheck disable=SC2086
    {
        inA "$SEND" -i vA $AB -k udp -n 5 -q 6000 &&
            inA "$SEND" -i vA $AB -k udp -n 4 -q 6001 &&
            inA "$SEND" -i vA $AB -k tcp -n 3 -q 6001 &&
            inA "$SEND" -i vA $AB -k icmp -n 2 &&
            inA "$SEND" -i vA $AB -k arp -n 2
    } >/dev/null || fail "sending"
}

# run_filter NAME EXPECTED captest-options...: only matching packets are
# received at all (the kernel filtered the rest).
run_filter() {
    name=$1 want=$2
    shift 2
    out="$WORK/$name.txt"
    start_cap "$NSB" "$out" -i vB -d in -I 800 "$@"
    send_mix
    wait_cap
    check_identity "$out"
    expect "$(grep -c '^pkt ' "$out")" "$want" "$name: packets"
    expect "$(stat received "$out")" "$want" "$name: received (kernel-filtered)"
    note "$name: $want packets"
}

# "udp dst port 6001" as instructions (tcpdump -dd, IPv4 part).
UDP6001="40 0 0 12;21 0 8 2048;48 0 0 23;21 0 6 17;40 0 0 20;69 4 0 8191;177 0 0 14;72 0 0 16;21 0 1 6001;6 0 0 262144;6 0 0 0"
run_filter array 4 -A "$UDP6001"
grep '^pkt ' "$WORK/array.txt" | grep -v -q 'udp=40000>6001 ' && fail "array: a packet that is not UDP to 6001"
run_filter ddd-file 4 -f "$top_srcdir/tests/capture/udp-dport-6001.ddd"
run_filter icmp-array 2 -A "$BPF_ICMP"

if command -v tcpdump >/dev/null 2>&1; then
    # tcpdump's own -ddd output for an Ethernet interface, read back by us.
    inB tcpdump -i vB -ddd 'tcp or arp' >"$WORK/tcp-arp.ddd" 2>/dev/null || fail "tcpdump -ddd"
    run_filter ddd-tcpdump 5 -f "$WORK/tcp-arp.ddd"
else
    note "tcpdump not installed: its -ddd output not tried (the stored file was)"
fi

if "$CAPTEST" -e 'udp' -i nosuchdev0 2>&1 | grep -q 'need libpcap'; then
    note "built without libpcap: expression filters report 'unsupported' (checked):"
    "$CAPTEST" -e 'udp' 2>&1 | grep -q 'unsupported' || fail "no 'unsupported' without libpcap"
else
    run_filter expr-udp 9 -e 'udp'
    run_filter expr-port 7 -e 'dst port 6001'
    run_filter expr-or 4 -e 'icmp or arp'
    run_filter expr-not 7 -e 'not udp'

    # Replace the filter while packets it no longer wants are queued: after
    # the change only the new filter's packets are delivered; the queued ones
    # are counted as filtered, nothing goes missing.
    out="$WORK/change.txt"
    start_cap "$NSB" "$out" -i vB -d in -I 800 -V 3 -T 50 -e 'udp dst port 6000' -G 'udp dst port 6001@2'
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB -k udp -n 5 -q 6000 >/dev/null
    i=0
    until grep -q '^filter changed' "$out"; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 100 ] || fail "the filter was not changed"
    done
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB -k udp -n 4 -q 6001 >/dev/null
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB -k udp -n 3 -q 6000 >/dev/null
    wait_cap
    check_identity "$out"
    expect "$(grep -c '^pkt .*udp=40000>6000 ' "$out")" 2 "change: packets before the change"
    expect "$(sed -n '/^filter changed/,$p' "$out" | grep -c '^pkt .*udp=40000>6001 ')" 4 "change: new filter's packets"
    expect "$(sed -n '/^filter changed/,$p' "$out" | grep -c '^pkt .*>6000 ')" 0 "change: old filter's packets after the change"
    expect "$(stat filtered "$out")" 3 "change: queued packets the new filter rejects"
    expect "$(stat received "$out")" 9 "change: received"
    note "live filter change: 2 before, 4 after, 3 queued ones rejected and counted"
fi

# Bad filters: the program says which and why, and does not start.
"$CAPTEST" -i vB -A "6 0 0 0;21 0 9 1;6 0 0 0" >"$WORK/bad" 2>&1 && fail "bad array accepted"
grep -q 'BPF instruction 1: jump past the end' "$WORK/bad" || fail "bad array message: $(cat "$WORK/bad")"
printf '3\n6 0 0 0\nudp\n6 0 0 0\n' >"$WORK/bad.ddd"
"$CAPTEST" -i vB -f "$WORK/bad.ddd" >"$WORK/bad" 2>&1 && fail "bad -ddd text accepted"
grep -q 'BPF text line 3: expected "code jt jf k"' "$WORK/bad" || fail "bad text message: $(cat "$WORK/bad")"
if "$CAPTEST" -e 'udp' -i nosuchdev0 2>&1 | grep -q 'need libpcap'; then :; else
    "$CAPTEST" -i vB -e 'udp port' >"$WORK/bad" 2>&1 && fail "bad expression accepted"
    grep -q 'filter expression "udp port": ' "$WORK/bad" || fail "bad expression message: $(cat "$WORK/bad")"
fi
note "bad array, text and expression refused with their reasons"
exit 0
