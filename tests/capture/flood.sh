#!/bin/bash
# A flood of 300000 frames from A to B: captured + dropped == sent, exactly,
# with the drops the kernel counted.  Once with a large ring and a reader
# that keeps up (TPACKET_V3), once with a 1 MiB ring and a reader that
# starts only after the sender is done (TPACKET_V2), so the kernel must drop
# most of them.  Prints the rates measured.
. "${top_srcdir:-.}/tests/capture/lib.sh"

N=${PKTD_FLOOD_FRAMES:-300000}
[ "$N" -ge 300000 ] || fail "PKTD_FLOOD_FRAMES must be at least 300000"

# Frames lost before any capture could see them (the veth's receive
# backlog) would make the identity unprovable: they must be none.
rx_dropped() { inB cat /sys/class/net/vB/statistics/rx_dropped; }

ms() { date +%s%3N; }

flood() {
    name=$1
    shift
    out="$WORK/$name.txt"
    rx0=$(rx_dropped)
    start_cap "$NSB" "$out" -i vB -d in -q -I 1500 -A "$BPF_FLOOD" "$@"
    t0=$(ms)
    # shellcheck disable=SC2086
    inA "$SEND" -i vA $AB -k flood -n "$N" -b 256 -l 46 >"$WORK/$name.sent" || fail "$name: sending"
    t1=$(ms)
    wait_cap
    rx1=$(rx_dropped)
    expect "$(cat "$WORK/$name.sent")" "sent $N" "$name: frames sent"
    expect $((rx1 - rx0)) 0 "$name: frames the veth dropped before the capture"
    check_identity "$out"
    r=$(stat received "$out") d=$(stat dropped "$out") v=$(stat delivered "$out")
    expect "$r" "$N" "$name: received"
    expect $((v + d)) "$N" "$name: captured + dropped"
    expect "$(stat filtered "$out")" 0 "$name: filtered"
    expect "$(stat pending "$out")" 0 "$name: pending"
    send_ms=$((t1 - t0))
    [ "$send_ms" -gt 0 ] || send_ms=1
    cpu=$(stat cpu_ns "$out")
    note "$name: $N frames sent in $send_ms ms ($((N * 1000 / send_ms)) frames/s); captured $v, dropped $d; ring $(stat buffer "$out") bytes, TPACKET_V$(stat version "$out"); reader CPU $((cpu / 1000000)) ms = $((cpu / (v > 0 ? v : 1))) ns per captured frame"
}

flood keep-up -V 3 -B 67108864
flood slow-reader -V 2 -B 1048576 -D 2500 -w "$WORK/slow.pcapng" -W pcapng -n
d=$(stat dropped "$WORK/slow-reader.txt")
v=$(stat delivered "$WORK/slow-reader.txt")
[ "$d" -gt 0 ] || fail "slow-reader: a 1 MiB ring held $N frames? dropped $d"
# The pcapng file has the frames captured, and its statistics block the
# counts: received, dropped by the kernel, delivered.
python3 - "$WORK/slow.pcapng" >"$WORK/isb" <<'PY' || fail "no statistics block in the pcapng file"
import struct, sys
d = open(sys.argv[1], "rb").read()
o, epb, isb = 0, 0, None
while o + 12 <= len(d):
    t, l = struct.unpack_from("=II", d, o)
    if t == 6:
        epb += 1
    elif t == 5:
        p, isb = o + 20, {}
        while p + 4 <= o + l - 4:
            c, n = struct.unpack_from("=HH", d, p)
            if c == 0:
                break
            if n == 8:
                isb[c] = struct.unpack_from("=Q", d, p + 4)[0]
            p += 4 + (n + 3) // 4 * 4
    o += l
print(epb, isb[4], isb[7], isb[8])
PY
expect "$(cat "$WORK/isb")" "$v $N $d $v" "slow-reader pcapng: packets, isb_ifrecv, isb_osdrop, isb_usrdeliv"
if command -v capinfos >/dev/null 2>&1; then
    expect "$(capinfos -M -c "$WORK/slow.pcapng" 2>/dev/null | sed -n 's/^Number of packets: *//p')" "$v" "capinfos: packets"
fi
note "slow-reader: the pcapng file holds the $v frames and the drop count $d"
exit 0
