#!/bin/sh
# pktd-decode on tunnels (issue 14): the text line (tcpdump's words for the
# tunnel, then the inner packet's line) and the JSON "encap" object
# (CONTRACT.md), on captures of tcpdump's test suite and a GTP-U capture
# built here.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
dec="$top_builddir/examples/pktd-decode"
corpus="$top_srcdir/tests/corpus/tcpdump"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, expected, actual
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}
line() { # description, file, count, grep -x pattern
  "$dec" -c "$3" "$corpus/$2" | tail -n 1 | grep -q -x -- "$4"; check "$1" 0 $?
}
jline() { # description, file, count, grep pattern
  "$dec" -j -c "$3" "$corpus/$2" | tail -n 1 | grep -q -- "$4"; check "$1" 0 $?
}

line "VXLAN line" vxlan.pcap 1 '1 [0-9:.]* IP 192.168.203.1.45149 > 192.168.202.1.4789: VXLAN, flags \[I\] (0x08), vni 100: IP 192.168.203.3 > 192.168.203.5: ICMP echo request, id 1292, seq 1, length 64'
jline "VXLAN JSON: outer keys as 1.0, then encap" vxlan.pcap 1 '"udp":{"sport":45149,"dport":4789,"len":114,"csum":0,"payload_len":106},"encap":{"type":"vxlan","vni":100,"eth":{"src":"00:16:3e:37:f6:04","dst":"00:30:88:01:00:02","type":2048,"vlan":\[\]},"ipv4":{"src":"192.168.203.3","dst":"192.168.203.5",.*"icmp":{"type":8,"code":0,"csum":63218,"id":1292,"seq":1}}}$'
line "Geneve line" geneve.pcap 1 '1 [0-9:.]* IP 20.0.0.1.12618 > 20.0.0.2.6081: Geneve, vni 0xa, proto 0x6558, options \[8 bytes\]: IP 30.0.0.1 > 30.0.0.2: ICMP echo request, id 10578, seq 23, length 64'
jline "Geneve JSON" geneve.pcap 1 '"encap":{"type":"geneve","vni":10,"eth":{'
line "GRE with ERSPAN II line" erspan-type-ii-1.pcap 1 '1 [0-9:.]* IP 1.1.1.2 > 192.168.255.5: GREv0, seq 171, length 88: ERSPAN v1, session 666: IP 10.48.6.1 > 224.0.0.13: proto 103, length 38'
jline "GRE JSON: proto, seq" erspan-type-ii-1.pcap 1 '"proto":47,.*"encap":{"type":"gre","proto":35006,"seq":171,"erspan_ver":1,"erspan_session":666,"eth":{'
line "GRE with key, payload not decoded" various_gre.pcap 11 '11 [0-9:.]* vlan 1213, IP 10.172.64.7 > 10.172.64.6: GREv0, key=0x28, length 44: length 36'
jline "GRE JSON: key" various_gre.pcap 11 '"encap":{"type":"gre","proto":35081,"key":40}}$'
line "MPLS line (over PPP)" mpls-traceroute.pcap 1 '1 [0-9:.]* MPLS (label 100704, tc 0, \[S\], ttl 1) IP 12.4.4.4.42315 > 12.1.1.1.33435: UDP, length 12'
jline "MPLS JSON: labels" mpls-traceroute.pcap 1 '"encap":{"type":"mpls","labels":\[100704\],"ipv4":{"src":"12.4.4.4",.*"udp":{"sport":42315,"dport":33435,"len":20,"csum":0,"payload_len":12}}}$'
line "PPPoE session line" pppoes.pcap 1 '1 [0-9:.]* PPPoE \[ses 0x17\] PPP protocol 0xc021, length 14'
jline "PPPoE JSON: session" pppoes.pcap 1 '"eth":{[^}]*"type":34916,[^}]*},"encap":{"type":"pppoe","session":23,"link":{"type":9,"proto":49185}}}$'
line "PPPoE discovery line" pppoe.pcap 1 '1 [0-9:.]* PPPoE \[code 0x09\] \[ses 0x0\] length 18'
line "IPv6 in IPv6 line" ipv6-srh-ext-header.pcap 1 '1 [0-9:.]* IP6 a:b:c:12::1 > a:b:c:2::f1:0: IP6 a:b:c:12::1 > b2::2: ICMP6, echo request, id 1774, seq 1, length 64'
jline "IP in IP JSON: nothing extra" ipv6-srh-ext-header.pcap 1 '"encap":{"type":"ipip","ipv6":{"src":"a:b:c:12::1","dst":"b2::2",'
jline "truncated ERSPAN: the inner error is in encap" erspan-type-iii-pb-1.pcap 1 '"encap":{"type":"gre","proto":8939,"seq":4280811777,"error":{"layer":"erspan","code":"truncated","msg":"ERSPAN header needs 20 bytes, have 15"}}}$'

# GTP-U (no capture in tcpdump's suite): Ethernet, IPv4, UDP 2152, a G-PDU
# with the S flag and a PDU session container, carrying IPv4/UDP; and the
# same in VXLAN (vni 7): nesting in the JSON.
python3 - "$tmp/gtp.pcap" <<'PY' || { echo "FAIL building the GTP-U capture"; exit 1; }
import struct, sys
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ip(proto, src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload
def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
eth = lambda t, payload: b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + struct.pack("!H", t) + payload
inner = ip(17, [10, 1, 0, 1], [10, 1, 0, 2], udp(5000, 53, b"hello"))
ext = struct.pack("!HBB", 0x1234, 0, 0x85) + bytes([1, 0x10, 0x09, 0])
gtp = struct.pack("!BBHI", 0x36, 255, len(ext) + len(inner), 0xabcd) + ext + inner
f1 = eth(0x0800, ip(17, [192, 0, 2, 1], [192, 0, 2, 2], udp(2152, 2152, gtp)))
vx = struct.pack("!II", 0x08000000, 7 << 8) + f1
f2 = eth(0x0800, ip(17, [198, 51, 100, 1], [198, 51, 100, 2], udp(40000, 4789, vx)))
with open(sys.argv[1], "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate((f1, f2)):
        out.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)
PY
"$dec" "$tmp/gtp.pcap" >"$tmp/gtp.txt"; check "GTP-U capture decodes" 0 $?
grep -q -x '1 [0-9:.]* IP 192.0.2.1.2152 > 192.0.2.2.2152: GTPv1-U (teid 43981, len 41): IP 10.1.0.1.5000 > 10.1.0.2.53: UDP, length 5' "$tmp/gtp.txt"; check "GTP-U line" 0 $?
grep -q -x '2 [0-9:.]* IP 198.51.100.1.40000 > 198.51.100.2.4789: VXLAN, flags \[I\] (0x08), vni 7: IP 192.0.2.1.2152 > 192.0.2.2.2152: GTPv1-U (teid 43981, len 41): IP 10.1.0.1.5000 > 10.1.0.2.53: UDP, length 5' "$tmp/gtp.txt"; check "GTP-U in VXLAN line" 0 $?
"$dec" -j "$tmp/gtp.pcap" >"$tmp/gtp.json"; check "GTP-U JSON" 0 $?
python3 - "$tmp/gtp.json" <<'PY'; check "GTP-U JSON: teid, nesting" 0 $?
import json, sys
a, b = [json.loads(l) for l in open(sys.argv[1])]
e = a["encap"]
assert e["type"] == "gtpu" and e["teid"] == 0xabcd, e
assert e["ipv4"]["src"] == "10.1.0.1" and e["udp"]["dport"] == 53 and e["udp"]["payload_len"] == 5, e
assert "eth" not in e and "error" not in e and "encap" not in e, e
assert a["udp"]["dport"] == 2152 and "error" not in a, a
v = b["encap"]
assert v["type"] == "vxlan" and v["vni"] == 7 and v["udp"]["dport"] == 2152, v
assert v["encap"] == e, (v["encap"], e)
assert b["udp"]["dport"] == 4789 and b["ipv4"]["src"] == "198.51.100.1", b
PY
exit $fail
