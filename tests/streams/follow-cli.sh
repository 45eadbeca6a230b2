#!/bin/sh
# pktd-follow's command line: the files it writes and their names (IPv4,
# IPv6), the summary line, FILTER (matching, not matching, not compiling),
# and the exit statuses.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
fol="$top_builddir/examples/pktd-follow"
corpus="$top_srcdir/tests/corpus/tcpdump"
http="$corpus/accecn_handshake.pcap"   # one HTTP connection: 78 bytes up, 1448 down
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # description, expected, actual
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; fail=1; fi
}
fresh() { rm -rf "$tmp/o"; mkdir "$tmp/o"; }

fresh
"$fol" -o "$tmp/o" "$http" >"$tmp/out"; check "reads a capture" 0 $?
check "summary line" "1 31.133.146.248.16433-66.228.43.12.80 sent=78 received=1448 gaps=0/0 overlaps=0/0 differing=0/0 end=flushed/flushed" "$(cat "$tmp/out")"
check "two files, named by sender" "1-31.133.146.248.16433-66.228.43.12.80 1-66.228.43.12.80-31.133.146.248.16433" "$(ls "$tmp/o" | tr '\n' ' ' | sed 's/ $//')"
check "request bytes" 78 "$(wc -c <"$tmp/o/1-31.133.146.248.16433-66.228.43.12.80")"
check "request starts with GET" "GET /1M HTTP/1.1" "$(head -n 1 "$tmp/o/1-31.133.146.248.16433-66.228.43.12.80" | tr -d '\r')"

fresh
"$fol" -o "$tmp/o" "$http" "tcp port 80 and src host 66.228.43.12" >"$tmp/out"; check "a filter" 0 $?
check "filter: only the matching direction" "1 66.228.43.12.80-31.133.146.248.16433 sent=1448 received=0" "$(cut -d' ' -f1-4 "$tmp/out")"
fresh
"$fol" -o "$tmp/o" "$http" "port 9" >"$tmp/out"; check "a filter matching nothing" 0 $?
check "no connection" "" "$(cat "$tmp/out")$(ls "$tmp/o")"
"$fol" -o "$tmp/o" "$http" "port" >"$tmp/out" 2>"$tmp/err"; check "a filter that does not compile exits 1" 1 $?
grep -q 'filter expression "port"' "$tmp/err"; check "its message" 0 $?

fresh
"$fol" -o "$tmp/o" "$corpus/bigtcp-ipv6-hbh.pcap" >"$tmp/out"; check "IPv6" 0 $?
check "IPv6 names as inet_ntop" "1-2604:1380:4091:ce00::b.43913-2604:1380:4091:ce00::d.41851 1-2604:1380:4091:ce00::d.41851-2604:1380:4091:ce00::b.43913" "$(ls "$tmp/o" | tr '\n' ' ' | sed 's/ $//')"

fresh
"$fol" -o "$tmp/o" "$http" "$http" >"$tmp/out"; check "two files are one capture" 0 $?
check "the repeated packets are retransmissions" "1 31.133.146.248.16433-66.228.43.12.80 sent=78 received=1448 gaps=0/0 overlaps=78/1448" "$(cut -d' ' -f1-6 "$tmp/out")"

"$fol" -o "$tmp/o" "$tmp/missing.pcap" >/dev/null 2>"$tmp/err"; check "missing file exits 1" 1 $?
grep -q 'missing.pcap' "$tmp/err"; check "message names the file" 0 $?
head -c 300 "$http" >"$tmp/cut.pcap"
fresh
"$fol" -o "$tmp/o" "$tmp/cut.pcap" >"$tmp/out" 2>"$tmp/err"; check "cut file exits 1" 1 $?
"$fol" -o "$tmp/nodir" "$http" >/dev/null 2>&1; check "missing output directory exits 1" 1 $?
"$fol" "$http" >/dev/null 2>&1; check "no -o is a usage error" 2 $?
"$fol" -o "$tmp/o" >/dev/null 2>&1; check "no file is a usage error" 2 $?
"$fol" -m lots -o "$tmp/o" "$http" >/dev/null 2>&1; check "bad -m is a usage error" 2 $?
exit $fail
