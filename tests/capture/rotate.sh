#!/bin/bash
# pktd-sniff's output files: -C (size), -C -W (ring), -G (time, strftime
# names), -G -W (stop after N files) and --pcapng (statistics block with
# the drop counts), each file read back by tshark on its own.  Under a
# flood, the packets of all the files are exactly those captured: every
# sequence number once.
. "${top_srcdir:-.}/tests/capture/lib.sh"
command -v tshark >/dev/null 2>&1 || skip "needs tshark to read the files back"
command -v capinfos >/dev/null 2>&1 || skip "needs capinfos (wireshark-common)"
command -v python3 >/dev/null 2>&1 || skip "needs python3 to read the pcapng statistics block"

FLOOD="ether proto 0x88b5"

# sniff OUT ARGS...: pktd-sniff in B in the background (stderr in OUT.err),
# returns once it listens; its pid in SNIFF_PID.
sniff() {
    _err=$1.err
    shift
    ip netns exec "$NSB" "$SNIFF" -i vB -q "$@" 2>"$_err" &
    SNIFF_PID=$!
    BG_PIDS="$BG_PIDS $SNIFF_PID"
    i=0
    until grep -q "listening on" "$_err" 2>/dev/null; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 200 ] || { cat "$_err"; fail "pktd-sniff $* did not start"; }
    done
}

# stop OUT: SIGINT, wait for its exit (status 0).
stop() {
    kill -INT "$SNIFF_PID"
    wait "$SNIFF_PID" || { cat "$1.err"; fail "pktd-sniff exited with status $?"; }
}

captured() { sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$1.err"; }
dropped() { sed -n 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$1.err"; }

# seqs FILE...: the flood frames' sequence numbers (decimal), one a line,
# each file read by tshark on its own.
seqs() {
    for f in "$@"; do
        tshark -n -r "$f" -T fields -e data.data 2>"$WORK/tshark.err" ||
            fail "tshark cannot read $f: $(cat "$WORK/tshark.err")"
    done | while read -r hex; do echo $((16#${hex:0:8})); done
}

send_flood() { inA "$SEND" -i vA $AB -k flood -n "$1" -b 256 -l 46 >/dev/null || fail "sending"; }

# --- -C 1: files of at most 1,000,000 bytes + the packet that crossed it.
N=60000
sniff "$WORK/c" -w "$WORK/c.pcap" -C 1 "$FLOOD"
send_flood $N
sleep 1.5
stop "$WORK/c"
cap=$(captured "$WORK/c") drop=$(dropped "$WORK/c")
[ -n "$cap" ] || fail "-C: no statistics"
expect $((cap + drop)) $N "-C: captured + dropped"
files=("$WORK/c.pcap")
for k in $(seq 1 9); do [ -e "$WORK/c.pcap$k" ] && files+=("$WORK/c.pcap$k"); done
# 64-byte frames, 80-byte records: a file passes 1 000 000 bytes at its
# 12 500th record, so 60 000 make 5 files (the last one 80 % full).
expect "${#files[@]}" 5 "-C 1: files c.pcap, c.pcap1 ... c.pcap4"
[ -e "$WORK/c.pcap5" ] && fail "-C 1: a sixth file"
for f in "${files[@]:0:4}"; do
    sz=$(wc -c <"$f")
    [ "$sz" -gt 1000000 ] && [ "$sz" -le $((1000000 + 80)) ] ||
        fail "-C 1: $f has $sz bytes, not just over 1000000"
done
seqs "${files[@]}" >"$WORK/c.seq"
expect "$(wc -l <"$WORK/c.seq")" "$cap" "-C: packets in all the files"
expect "$(sort -n -u "$WORK/c.seq" | wc -l)" "$cap" "-C: distinct sequence numbers"
# In capture order across the files: nothing reordered at a rotation.
sort -n -c "$WORK/c.seq" || fail "-C: sequence numbers out of order across the files"
note "-C 1: $cap packets ($drop dropped) in ${#files[@]} files, each once"

# --- -C 1 -W 3: a ring FILE0 FILE1 FILE2 that wrapped: the newest packets.
sniff "$WORK/r" -w "$WORK/r.pcap" -C 1 -W 3 "$FLOOD"
send_flood $N
sleep 1.5
stop "$WORK/r"
cap=$(captured "$WORK/r") drop=$(dropped "$WORK/r")
for k in 0 1 2; do [ -s "$WORK/r.pcap$k" ] || fail "-W 3: no r.pcap$k"; done
[ -e "$WORK/r.pcap" ] || [ -e "$WORK/r.pcap3" ] && fail "-W 3: a file outside the ring"
# Five files' worth: r.pcap0 and r.pcap1 were written twice, so the ring
# holds the 4th (r.pcap0), 5th (r.pcap1) and 3rd (r.pcap2) files.
seqs "$WORK/r.pcap2" "$WORK/r.pcap0" "$WORK/r.pcap1" >"$WORK/r.seq"
sort -n -c "$WORK/r.seq" || fail "-W 3: the ring's files are not the 3rd, 4th and 5th"
last=$(tail -n 1 "$WORK/r.seq")
n3=$(wc -l <"$WORK/r.seq")
[ "$drop" != 0 ] || expect "$last" $((N - 1)) "-W 3: the last packet is in the ring"
[ "$drop" != 0 ] || expect "$(sort -n -u "$WORK/r.seq" | wc -l)" "$n3" "-W 3: distinct packets"
[ "$drop" != 0 ] || expect $(( $(head -n 1 "$WORK/r.seq") + n3 - 1)) "$last" "-W 3: contiguous packets"
note "-C 1 -W 3: the ring wrapped, its 3 files hold the newest $n3 of $cap packets"

# --- -G 1: a new file per second, named by strftime.
sniff "$WORK/g" -w "$WORK/g-%Y%m%d%H%M%S.pcap" -G 1 "$FLOOD"
for k in 1 2 3; do
    send_flood 10
    sleep 1.2
done
stop "$WORK/g"
expect "$(captured "$WORK/g")" 30 "-G: captured"
ls "$WORK" | grep -E '^g-[0-9]{14}\.pcap$' >"$WORK/g.names"
n=$(wc -l <"$WORK/g.names")
[ "$n" -ge 3 ] || fail "-G 1: $n files for 3 bursts 1.2 s apart"
ls "$WORK"/g-* | grep -v -E '/g-[0-9]{14}\.pcap$' && fail "-G: a file not named by the time"
total=0
while read -r name; do
    c=$(seqs "$WORK/$name" | wc -l)
    total=$((total + c))
done <"$WORK/g.names"
expect "$total" 30 "-G 1: packets in all the files"
note "-G 1: 30 packets in $n files named by the time"

# --- -G 2 -W 2: stops by itself (status 0) when a third file is needed.
# The first file starts at the whole second it was opened in, so the first
# burst (sent at once) is less than 2 s after it; bursts 2.5 s apart.
sniff "$WORK/gw" -w "$WORK/gw-%H%M%S.pcap" -G 2 -W 2 "$FLOOD"
for k in 1 2 3; do
    send_flood 5
    [ $k = 3 ] || sleep 2.5
done
i=0
while kill -0 "$SNIFF_PID" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$SNIFF_PID" 2>/dev/null && fail "-G 2 -W 2: still running after a third burst"
wait "$SNIFF_PID" || fail "-G 2 -W 2: exit status $?"
expect "$(ls "$WORK" | grep -c -E '^gw-[0-9]{6}\.pcap$')" 2 "-G 2 -W 2: files"
expect "$(captured "$WORK/gw")" 10 "-G 2 -W 2: packets captured (two bursts)"
expect "$(seqs "$WORK"/gw-*.pcap | wc -l)" 10 "-G 2 -W 2: packets in the files"
note "-G 2 -W 2: stopped when a third file was needed"

# --- --pcapng with -C: every file pcapng, readable alone, its interface
# named (if_name) with if_tsresol 9, each with a statistics block; the last
# one's counts are the capture's.
sniff "$WORK/n" --pcapng -w "$WORK/n.pcapng" -C 1 "$FLOOD"
send_flood 20000
sleep 1.5
stop "$WORK/n"
cap=$(captured "$WORK/n") drop=$(dropped "$WORK/n")
expect $((cap + drop)) 20000 "--pcapng: captured + dropped"
nfiles=("$WORK/n.pcapng" "$WORK/n.pcapng1")
[ -e "$WORK/n.pcapng2" ] && fail "--pcapng -C 1: a third file"
for f in "${nfiles[@]}"; do
    capinfos "$f" >"$WORK/capinfos" 2>&1 || fail "capinfos $f: $(cat "$WORK/capinfos")"
    grep -q 'File type: *Wireshark/... - pcapng' "$WORK/capinfos" || fail "$f is not pcapng"
    grep -q 'Name = vB$' "$WORK/capinfos" || fail "$f: no if_name vB: $(cat "$WORK/capinfos")"
    grep -q 'Time resolution = 0x09' "$WORK/capinfos" || fail "$f: no if_tsresol 9"
    grep -q 'Number of stat entries = 1' "$WORK/capinfos" || fail "$f: no statistics block"
done
seqs "${nfiles[@]}" >"$WORK/n.seq"
expect "$(sort -n -u "$WORK/n.seq" | wc -l)" "$cap" "--pcapng: distinct packets in the files"
# isb_osdrop isb_usrdeliv of FILE's last statistics block.
isb() {
    python3 - "$1" <<'PY' || fail "$1: no statistics block"
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
print(found.get(7), found.get(8))
PY
}
# isb_osdrop = the kernel's drops, isb_usrdeliv = the packets captured.
expect "$(isb "$WORK/n.pcapng1")" "$drop $cap" "--pcapng: isb_osdrop, isb_usrdeliv"
note "--pcapng -C 1: 2 pcapng files of interface vB, $cap packets, statistics $drop dropped"

# --- --pcapng with drops: a 256 KiB ring and a stopped reader; the
# statistics block says how many the kernel dropped, as pktd-sniff does.
sniff "$WORK/d" --pcapng -B 256 -w "$WORK/d.pcapng" "$FLOOD"
kill -STOP "$SNIFF_PID"
send_flood 20000
kill -CONT "$SNIFF_PID"
sleep 1.5
stop "$WORK/d"
cap=$(captured "$WORK/d") drop=$(dropped "$WORK/d")
expect $((cap + drop)) 20000 "--pcapng with drops: captured + dropped"
[ "$drop" -gt 0 ] || fail "--pcapng: a 256 KiB ring dropped nothing of 1.28 MB"
expect "$(isb "$WORK/d.pcapng")" "$drop $cap" "--pcapng with drops: isb_osdrop, isb_usrdeliv"
expect "$(seqs "$WORK/d.pcapng" | wc -l)" "$cap" "--pcapng with drops: packets tshark reads"
note "--pcapng: $drop drops recorded in the statistics block"

# --- as root, a symbolic link where a rotation would open its next file is
# refused (privs.h), not followed: exit 1, the link's target untouched.
ln -s "$WORK/victim" "$WORK/s.pcap1"
sniff "$WORK/s" -w "$WORK/s.pcap" -C 1 "$FLOOD"
send_flood 20000
i=0
while kill -0 "$SNIFF_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT "$SNIFF_PID" 2>/dev/null
wait "$SNIFF_PID"
expect $? 1 "-C onto a symbolic link: exit status"
grep -q "s.pcap1: is a symbolic link, not followed" "$WORK/s.err" || fail "-C onto a symbolic link: $(cat "$WORK/s.err")"
[ -e "$WORK/victim" ] && fail "-C: the symbolic link was followed"
expect "$(seqs "$WORK/s.pcap" | wc -l)" "$(captured "$WORK/s")" "-C onto a symbolic link: the first file holds what was captured"
note "-C: a symbolic link as the next file is refused"

# --- usage errors (status 2) before anything is opened.
for args in "-C 1" "-G 1" "-W 2" "--pcapng" "-w - -C 1" "-w $WORK/u -W 2" "-w $WORK/u -C 0" "-w $WORK/u -G x"; do
    # shellcheck disable=SC2086
    "$SNIFF" $args >/dev/null 2>&1
    expect $? 2 "usage error: $args"
done
exit 0
