#!/bin/sh
# pktd-flows (doc/programs.md): JSON Lines and table output on corpus
# captures, flows spanning files, order of first packets, exit statuses.
set -u
top=${top_srcdir:-.}
prog=${top_builddir:-.}/examples/pktd-flows
corpus=$top/tests/corpus/tcpdump
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fail=1; fi
}

# mptcp-v0.pcap: two SSH connections; the first ends with RST, the second with FIN.
"$prog" -j "$corpus/mptcp-v0.pcap" >"$tmp/j" 2>"$tmp/err"
check "exit 0 on a readable file" test $? -eq 0
cat >"$tmp/want" <<'X'
{"proto": 6, "src": "10.2.1.2", "sport": 35961, "dst": "10.1.1.2", "dport": 22, "vlan": [], "encap": null, "first_ns": 1361796995701161000, "last_ns": 1361797001599719000, "pkts_fwd": 110, "bytes_fwd": 12429, "pkts_rev": 80, "bytes_rev": 12049, "tcp_flags_fwd": 30, "tcp_flags_rev": 26, "end": "rst"}
{"proto": 6, "src": "10.2.1.2", "sport": 41221, "dst": "10.1.2.2", "dport": 22, "vlan": [], "encap": null, "first_ns": 1361796995788254000, "last_ns": 1361797004766202000, "pkts_fwd": 43, "bytes_fwd": 4774, "pkts_rev": 31, "bytes_rev": 5894, "tcp_flags_fwd": 27, "tcp_flags_rev": 27, "end": "fin"}
X
check "JSON records of mptcp-v0.pcap" cmp -s "$tmp/j" "$tmp/want"
check "nothing on stderr" test ! -s "$tmp/err"

# A VLAN-tagged flow lists its ids.
"$prog" -j "$corpus/ipv4_tcp_http_xml.pcap" >"$tmp/v"
check "vlan ids in JSON" grep -q '"vlan": \[[0-9]' "$tmp/v"

# The same file twice is one input: UDP flows continue (packets double,
# records do not) ...
"$prog" -j "$corpus/afs.pcap" >"$tmp/u1"
"$prog" -j "$corpus/afs.pcap" "$corpus/afs.pcap" >"$tmp/u2"
check "two files are one input" test "$(wc -l <"$tmp/u2")" -eq "$(wc -l <"$tmp/u1")"
check "counts span the files" sh -c "head -1 '$tmp/u1' | grep -q '\"pkts_fwd\": 11, \"bytes_fwd\": 1163,' &&
    head -1 '$tmp/u2' | grep -q '\"pkts_fwd\": 22, \"bytes_fwd\": 2326,'"
# ... while a closed TCP connection is not continued by a new SYN.
"$prog" -j "$corpus/mptcp-v0.pcap" "$corpus/mptcp-v0.pcap" >"$tmp/jj"
check "a SYN after RST/FIN starts a new flow" test "$(wc -l <"$tmp/jj")" -eq 4

# Table: a comment header and one line per flow, same order as JSON.
"$prog" "$corpus/afs.pcap" >"$tmp/t"
"$prog" -j "$corpus/afs.pcap" >"$tmp/tj"
check "table header" sh -c "head -1 '$tmp/t' | grep -q '^# proto'"
check "table has a line per flow" test "$(($(wc -l <"$tmp/t") - 1))" -eq "$(wc -l <"$tmp/tj")"
check "table order = JSON order" sh -c "tail -n +2 '$tmp/t' | awk '{print \$2, \$3, \$4, \$5}' >'$tmp/a'; sed 's/.*\"src\": \"\\([^\"]*\\)\", \"sport\": \\([0-9]*\\), \"dst\": \"\\([^\"]*\\)\", \"dport\": \\([0-9]*\\).*/\\1 \\2 \\3 \\4/' '$tmp/tj' >'$tmp/b'; cmp -s '$tmp/a' '$tmp/b'"
check "first_ns ascending" sh -c "sed 's/.*\"first_ns\": \\([0-9]*\\).*/\\1/' '$tmp/tj' | sort -c -n"

# Tunnels: a VXLAN frame counts in its outer UDP flow (encap null) and in
# its inner TCP flow, whose encap is the VXLAN with its VNI; geneve.pcap's
# ICMP goes out in VNI 10 and comes back in VNI 11: two zones, two flows.
"$prog" -j "$corpus/gso-ipv4-vxlan-ipv4.pcap" >"$tmp/x"
check "VXLAN: the outer UDP flow" grep -q '"proto": 17, .*"dport": 4789, "vlan": \[\], "encap": null' "$tmp/x"
check "VXLAN: the inner TCP flow in its VNI" grep -q '"proto": 6, .*"encap": {"type": "vxlan", "vni": 5001}' "$tmp/x"
"$prog" "$corpus/geneve.pcap" >"$tmp/g"
check "Geneve: inner flows in the table per VNI" sh -c "grep -q ' geneve:10 ' '$tmp/g' && grep -q ' geneve:11 ' '$tmp/g'"

# Exit statuses.
"$prog" -j "$tmp/missing.pcap" "$corpus/mptcp-v0.pcap" >"$tmp/m" 2>"$tmp/merr"
check "exit 1 for a missing file" test $? -eq 1
check "the message names the file" grep -q 'missing.pcap' "$tmp/merr"
check "the other file is still counted" test "$(wc -l <"$tmp/m")" -eq 2
"$prog" >/dev/null 2>&1
check "exit 2 without a file" test $? -eq 2
"$prog" -x "$corpus/mptcp-v0.pcap" >/dev/null 2>&1
check "exit 2 for an unknown option" test $? -eq 2
"$prog" -h >"$tmp/h"
check "-h prints usage" grep -q '^usage: pktd-flows' "$tmp/h"
exit $fail
