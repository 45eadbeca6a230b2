#!/bin/sh
# pktd-decode's command line: exit statuses, -c, stdin, JSON Lines shape,
# and the text line of each protocol in the sample capture.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
dec="$top_builddir/examples/pktd-decode"
sample="$top_srcdir/tests/data/sample.pcap"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, expected, actual
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}

"$dec" "$sample" >"$tmp/text"; check "reads the sample" 0 $?
check "one text line per packet" 17 "$(wc -l <"$tmp/text")"
"$dec" -j "$sample" >"$tmp/json"; check "-j exit status" 0 $?
check "one JSON record per packet" 17 "$(wc -l <"$tmp/json")"
"$dec" -j -c 3 "$sample" >"$tmp/c3"; check "-c 3 exit status" 0 $?
check "-c 3 stops after 3" 3 "$(wc -l <"$tmp/c3")"
"$dec" -j - <"$sample" >"$tmp/stdin"; check "- reads stdin" 0 $?
cmp -s "$tmp/json" "$tmp/stdin"; check "stdin output equals file output" 0 $?
"$dec" -j "$sample" "$sample" >"$tmp/two"; check "two files" 0 $?
check "two files, both decoded" 34 "$(wc -l <"$tmp/two")"
check "n restarts per file" 2 "$(grep -c '^{"n":1,' "$tmp/two")"

"$dec" "$tmp/does-not-exist" >/dev/null 2>"$tmp/err"; check "missing file exits 1" 1 $?
grep -q 'does-not-exist' "$tmp/err"; check "message names the file" 0 $?
printf 'this is not a capture file\n' >"$tmp/notcap"
"$dec" "$tmp/notcap" >/dev/null 2>"$tmp/err"; check "non-capture file exits 1" 1 $?
grep -q 'notcap: not a pcap or pcapng' "$tmp/err"; check "message says why" 0 $?
head -c 110 "$sample" >"$tmp/cut"
"$dec" "$tmp/cut" >/dev/null 2>"$tmp/err"; check "cut file exits 1" 1 $?
grep -q 'cut: truncated' "$tmp/err"; check "cut file message" 0 $?
"$dec" >/dev/null 2>&1; check "no file is a usage error" 2 $?
"$dec" -x "$sample" >/dev/null 2>&1; check "bad option is a usage error" 2 $?
"$dec" -c nope "$sample" >/dev/null 2>&1; check "bad count is a usage error" 2 $?

# JSON: every record parses, keys of absent layers are absent, and the
# malformed TCP packet carries its error.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$tmp/json" <<'PY'; check "JSON records valid" 0 $?
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["n"] for r in recs] == list(range(1, 18)), "n sequence"
arp = recs[0]
assert arp["arp"] == {"htype": 1, "ptype": 2048, "op": 1, "sha": "02:00:00:00:00:01",
    "spa": "10.0.0.1", "tha": "00:00:00:00:00:00", "tpa": "10.0.0.2"}, arp
assert "ipv4" not in arp and "tcp" not in arp
syn = recs[4]
assert syn["tcp"]["opts"] == {"mss": 1460, "ws": 7, "sack_perm": True, "ts": [1000, 0]}, syn
assert syn["tcp"]["flags"] == 2 and syn["tcp"]["payload_len"] == 0
assert recs[7]["tcp"]["opts"]["sack"] == [[6001, 7001], [8001, 9001]]
assert recs[9]["udp"]["payload_len"] == 4, recs[9]   # Ethernet padding excluded
assert recs[10]["eth"]["vlan"] == [100] and recs[10]["eth"]["type"] == 2048
assert recs[11]["eth"]["vlan"] == [200, 5]
assert recs[12]["ipv4"]["opts_len"] == 4
assert recs[13]["ipv4"]["mf"] is True and "udp" in recs[13]
assert recs[14]["ipv4"]["frag"] == 2 and "udp" not in recs[14]
bad = recs[15]
assert bad["error"] == {"layer": "tcp", "code": "malformed", "msg": "data offset 4 < 5"}, bad
assert recs[16]["eth"]["type"] == 0x86dd and "ipv4" not in recs[16] and "error" not in recs[16]
assert all(r["ipv4"]["csum_ok"] for r in recs if "ipv4" in r)
PY
fi

# Text lines, tcpdump-like.
grep -q '^1 22:13:20.000000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1$' "$tmp/text"; check "ARP line" 0 $?
grep -q '^5 .* IP 10.0.0.1.40000 > 10.0.0.2.80: Flags \[S\], seq 1000, win 65535, options \[mss 1460,sackOK,TS val 1000 ecr 0,wscale 7\], length 0$' "$tmp/text"; check "TCP SYN line" 0 $?
grep -q '^3 .* IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 16962, seq 1, length 56$' "$tmp/text"; check "ICMP line" 0 $?
grep -q '^11 .* vlan 100, IP 10.0.0.1.1234 > 10.0.0.2.5678: UDP, length 14$' "$tmp/text"; check "VLAN UDP line" 0 $?
grep -q '^16 .*\[malformed tcp: data offset 4 < 5\]$' "$tmp/text"; check "malformed line" 0 $?

# Link types without Ethernet (1.1): the text of a packet whose link header
# says what follows is not decoded, and the JSON "link" object.
corpus="$top_srcdir/tests/corpus/tcpdump"
"$dec" -c 1 "$corpus/quic_handshake.pcap" | grep -q '^1 .* IP6 ::1.50606 > ::1.443: UDP, length 1200$'; check "IPv6 over loopback line" 0 $?
"$dec" -c 1 "$corpus/ppp-invalid-lengths.pcap" | grep -q '^1 .* PPP protocol 0x8021, length 58454$'; check "PPP line" 0 $?
"$dec" -c 1 "$corpus/HDLC.pcap" | grep -q '^1 .* Cisco HDLC protocol 0x8035, length 24$'; check "Cisco HDLC line" 0 $?
"$dec" -c 1 "$corpus/dns-badcookie.pcap" | grep -q '^1 .* IP 127.0.0.1.54954 > 127.0.0.1.53: UDP, length 40$'; check "IPv4 over loopback line" 0 $?
"$dec" -j -c 1 "$corpus/dns-badcookie.pcap" | grep -q '"caplen":72,"len":72,"link":{"type":0,"family":2},"ipv4":{'; check "loopback JSON" 0 $?
"$dec" -j -c 1 "$corpus/icmp-rfc5837.pcap" | grep -q '"link":{"type":9,"addr":255,"ctrl":3,"proto":33},"ipv4":{'; check "PPP JSON" 0 $?
"$dec" -j -c 1 "$corpus/HDLC.pcap" | grep -q '"link":{"type":104,"addr":143,"ctrl":0,"proto":32821}}$'; check "Cisco HDLC JSON" 0 $?

# IPv6 and ICMPv6 (1.1): lines checked against `tcpdump -n -r` on the same
# files (tcpdump also prints "RT6 (...)" and "HBH" for extension headers,
# which pktd-decode leaves out), and the JSON objects of doc/json.md.
"$dec" -c 1 "$corpus/gso-ipv6.pcap" | grep -q '^1 .* IP6 2604:1380:4091:ce00::b.36539 > 2604:1380:4091:ce00::d.45393: Flags \[P.\], seq 1110639583, ack 3034762532, win 169, options \[TS val 3655207884 ecr 3954243053\], length 7140$'; check "TCP over IPv6 line" 0 $?
"$dec" "$corpus/icmpv6-ns-nonce.pcap" | grep -q '^1 .* IP6 :: > ff02::1:ffe1:f: ICMP6, neighbor solicitation, who has fe80::546f:f7ff:fee1:f, length 32$'; check "ICMPv6 NS line" 0 $?
"$dec" -c 1 "$corpus/ipv6-routing-header.pcap" | grep -q '^1 .* IP6 2200::244:212:3fff:feae:22f7 > 2200::240:2:0:0:4: ICMP6, echo request, id 0, seq 0, length 8$'; check "ICMPv6 echo line" 0 $?
"$dec" -c 1 "$corpus/icmpv6.pcap" | grep -q '^1 .* IP6 fe80::b299:28ff:fec8:d66c > ff02::1: ICMP6, router advertisement, length 176$'; check "ICMPv6 RA line" 0 $?
"$dec" -c 1 "$corpus/icmpv6-rfc7112.pcap" | grep -q '^1 .* ICMP6, type 4, length 72$'; check "other ICMPv6 type line" 0 $?
"$dec" -c 2 "$corpus/ipv6-bad-version.pcap" | grep -q '^2 .* ethertype 0x86dd, length 86 \[malformed ipv6: IP version 0 != 6\]$'; check "malformed IPv6 line" 0 $?
"$dec" -j "$corpus/icmpv6-ns-nonce.pcap" | grep -q '"ipv6":{"src":"::","dst":"ff02::1:ffe1:f","tc":0,"flow":0,"plen":32,"nxt":58,"hlim":255,"ext":\[\],"proto":58},"icmpv6":{"type":135,"code":0,"csum":22126,"csum_ok":true,"target":"fe80::546f:f7ff:fee1:f"}}$'; check "ICMPv6 NS JSON" 0 $?
"$dec" -j -c 1 "$corpus/ipv6-routing-header.pcap" | grep -q '"plen":32,"nxt":43,"hlim":4,"ext":\[{"type":43,"len":24}\],"proto":58},"icmpv6":{"type":128,"code":0,"csum":54187,"csum_ok":true,"id":0,"seq":0}}$'; check "ICMPv6 echo JSON with routing header" 0 $?
"$dec" -j -c 1 "$corpus/LINKTYPE_IPV6.pcap" | grep -q '"ipv6":{"src":"2001:db8::1","dst":"2620:fe::9","tc":0,"flow":0,"plen":37,"nxt":17,"hlim":64,"ext":\[\],"proto":17},"udp":{"sport":12345,"dport":53,"len":37,"csum":39091,"csum_ok":true,"payload_len":29}}$'; check "UDP over IPv6 JSON" 0 $?
"$dec" -j -c 1 "$corpus/quic_handshake.pcap" | grep -q '"udp":{.*"csum":1227,"csum_ok":false,'; check "wrong UDP checksum over IPv6: csum_ok false" 0 $?
"$dec" -j "$sample" | sed -n 5p | grep -q '"tcp":{.*"csum_ok":true,"opts":'; check "tcp csum_ok over IPv4" 0 $?
"$dec" -j "$sample" | sed -n 14p | grep -q '"udp":{"sport":7000,"dport":7001,"len":32,"csum":12394,"payload_len":8}}$'; check "IPv4 first fragment: udp csum_ok absent" 0 $?
exit $fail
