#!/bin/bash
# Live capture written with the library's pcap/pcapng writer and read back by
# tshark, tcpdump and the library's own reader (pktd-decode): the same
# packets, lengths and timestamps as the capture saw, in classic pcap with
# micro- and nanosecond timestamps and in pcapng (whose interface statistics
# block carries the capture's counters), also cut to a snap length.
. "${top_srcdir:-.}/tests/capture/lib.sh"
command -v tshark >/dev/null 2>&1 || fail "tshark is needed (Debian: tshark); .ci/install-deps installs it"
command -v tcpdump >/dev/null 2>&1 || fail "tcpdump is needed (Debian: tcpdump)"

send_mix() {
    # shellcheck disable=SC2086
    {
        inA "$SEND" -i vA $AB -k udp -n 3 -l 100 &&
            inA "$SEND" -i vA $AB -k tcp -n 2 &&
            inA "$SEND" -i vA $AB -k icmp -n 2 -v 100:5 &&
            inA "$SEND" -i vA $AB -k arp -n 1
    } >/dev/null || fail "sending"
}

# lengths and times from captest's lines: "caplen len ts"
from_captest() { sed -n 's/^pkt .* caplen=\([0-9]*\) len=\([0-9]*\) .* ts=\([0-9]*\)$/\1 \2 \3/p' "$1"; }

for fmt in "pcap" "pcap -n" "pcapng -n" "pcapng -n -s 40"; do
    name=$(echo "$fmt" | tr -d ' -')
    file="$WORK/$name.cap"
    out="$WORK/$name.txt"
    # shellcheck disable=SC2086
    start_cap "$NSB" "$out" -i vB -d in -I 800 -w "$file" -W $fmt
    send_mix
    wait_cap
    check_identity "$out"
    n=$(grep -c '^pkt ' "$out")
    expect "$n" 8 "$fmt: packets captured"
    # Microsecond files keep the microseconds of each nanosecond stamp.
    # (string arithmetic: awk's numbers cannot hold nanoseconds since 1970)
    case $fmt in *-n*) us=0 ;; *) us=1 ;; esac
    from_captest "$out" | awk -v us=$us '{ t = $3; if (us) t = substr(t, 1, length(t) - 3) "000";
        print $1, $2, t }' >"$WORK/want"

    # tshark (one run: it is slow to start): lengths, times as text
    # without the dot, VLAN tag and ARP opcode of each packet.
    tshark -n -r "$file" -T fields -E separator=, -e frame.cap_len -e frame.len -e frame.time_epoch \
        -e vlan.id -e vlan.priority -e arp.opcode >"$WORK/tshark.all" 2>"$WORK/tshark.err" ||
        fail "$fmt: tshark: $(cat "$WORK/tshark.err")"
    awk -F, '{ sub(/\./, "", $3); t = $3; while (length(t) < 19) t = t "0"; print $1, $2, t }' \
        "$WORK/tshark.all" >"$WORK/tshark"
    cmp -s "$WORK/want" "$WORK/tshark" || { diff "$WORK/want" "$WORK/tshark"; fail "$fmt: tshark reads other packets"; }
    expect "$(grep -c '^[0-9]*,[0-9]*,[0-9.]*,100,5,$' "$WORK/tshark.all")" 2 "$fmt: tshark sees the VLAN tags"
    expect "$(grep -c ',,,1$' "$WORK/tshark.all")" 1 "$fmt: tshark sees the ARP request"

    # tcpdump
    tcpdump -r "$file" -nn -tt --time-stamp-precision=nano >"$WORK/tcpdump" 2>"$WORK/tcpdump.err" ||
        fail "$fmt: tcpdump: $(cat "$WORK/tcpdump.err")"
    expect "$(wc -l <"$WORK/tcpdump")" 8 "$fmt: tcpdump's packets"
    awk '{ sub(/\./, "", $1); print $1 }' "$WORK/tcpdump" >"$WORK/tcpdump.ts"
    awk '{ print $3 }' "$WORK/want" | cmp -s - "$WORK/tcpdump.ts" || fail "$fmt: tcpdump's timestamps differ"

    # the library's reader
    "$DECODE" -j "$file" >"$WORK/decode" || fail "$fmt: pktd-decode"
    python3 - "$WORK/decode" >"$WORK/decoded" <<'PY' || fail "$fmt: pktd-decode output"
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["caplen"], r["len"], r["ts_ns"])
PY
    cmp -s "$WORK/want" "$WORK/decoded" || { diff "$WORK/want" "$WORK/decoded"; fail "$fmt: pktd-decode reads other packets"; }

    case $fmt in
    pcapng*)
        # The interface statistics block: received, dropped, delivered.
        python3 - "$file" >"$WORK/isb" <<'PY' || fail "$fmt: no statistics block"
import struct, sys
d = open(sys.argv[1], "rb").read()
o, found = 0, None
while o + 12 <= len(d):
    t, l = struct.unpack_from("=II", d, o)
    if t == 5:
        p, opts = o + 20, {}
        while p + 4 <= o + l - 4:
            c, n = struct.unpack_from("=HH", d, p)
            if c == 0:
                break
            if n == 8:
                opts[c] = struct.unpack_from("=Q", d, p + 4)[0]
            p += 4 + (n + 3) // 4 * 4
        found = opts
    o += l
print(found[4], found[7], found[8])
PY
        expect "$(cat "$WORK/isb")" "$(stat received "$out") $(stat dropped "$out") $(stat delivered "$out")" "$fmt: isb_ifrecv, isb_osdrop, isb_usrdeliv"
        capinfos "$file" 2>/dev/null | grep -q 'Number of stat entries = 1' || fail "$fmt: capinfos sees no statistics"
        ;;
    esac
    case $fmt in *-s*) expect "$(awk '$1 != 40' "$WORK/want" | wc -l)" 0 "$fmt: every packet cut to 40 bytes" ;; esac
    note "$fmt: 8 packets read back identically by tshark, tcpdump and pktd-decode"
done
exit 0
