#!/bin/bash
# The capturing programs and their privileges (security review, issue 11).
# A set-user-ID root pktd-sniff or pktd-bench run by an unprivileged user
# gives the borrowed ids up once the socket is open: it cannot write through
# a link to root's file nor create root-owned files, and still writes a
# capture tcpdump reads, as that user, mode 0644.  Root never follows a link
# for -w.  -Z looks the user up before touching the file, opens the file as
# that user, and leaves no capability and no_new_privs set, also when it
# already runs as that user (ambient capabilities).  Without -Z, root keeps
# no capability either once the socket and the file are open.
. "${top_srcdir:-.}/tests/capture/lib.sh"

command -v setpriv >/dev/null 2>&1 || skip "util-linux's setpriv is not installed"
command -v tcpdump >/dev/null 2>&1 || skip "tcpdump is not installed (it reads the files)"
NOBODY_UID=$(id -u nobody) || fail "no user 'nobody'"
NOBODY_GID=$(id -g nobody) || fail "no group for 'nobody'"
BENCH="$top_builddir/examples/pktd-bench"

# A command run by nobody (words to expand, for `ip netns exec`).
NOBODY="setpriv --reuid $NOBODY_UID --regid $NOBODY_GID --clear-groups"

# A directory nobody can reach, on a file system that honours set-user-ID
# ($WORK and the build tree may be under a root-only or nosuid parent).
PUB=
for base in /tmp /var/tmp "$top_builddir"; do
    d=$(mktemp -d "$base/pktd-privs.XXXXXX" 2>/dev/null) || continue
    chmod 755 "$d"
    if ! findmnt -no OPTIONS -T "$d" | grep -qw nosuid && $NOBODY test -x "$d"; then
        PUB=$d
        break
    fi
    rmdir "$d"
done
trap 'cleanup; [ -z "$PUB" ] || rm -rf "$PUB"' EXIT
[ -n "$PUB" ] || skip "no directory that nobody can reach on a file system allowing set-user-ID"

# Self-contained builds (no wrapper script, no build-tree library): set-user-ID
# root copies, and a plain one.
for p in sniff bench; do
    cp "$top_builddir/tests/capture/pktd-$p-static" "$PUB/$p-suid" || fail "copying pktd-$p-static"
    chown root:root "$PUB/$p-suid"
    chmod 4755 "$PUB/$p-suid"
done
cp "$top_builddir/tests/capture/pktd-sniff-static" "$PUB/sniff-plain"
chmod 755 "$PUB/sniff-plain"
mkdir "$PUB/own" "$PUB/root"                    # nobody's directory; root's
chown "$NOBODY_UID:$NOBODY_GID" "$PUB/own"
echo secret >"$PUB/root/victim"
chmod 600 "$PUB/root/victim"
ln -s "$PUB/root/victim" "$PUB/own/link"

victim_intact() {
    expect "$(cat "$PUB/root/victim")" secret "$1: root's file through the link"
    expect "$(command stat -c '%u %a' "$PUB/root/victim")" "0 600" "$1: root's file owner and mode"
}

# Programs started in the background are exec'ed directly (not through a
# shell function), so $! is the program itself and signals reach it.

# shellcheck disable=SC2086
# run_b OUT CMD...: CMD in namespace B while A sends a frame every 0.1 s;
# after 5 s it gets SIGINT.  Its status is left in RC.
run_b() {
    _out=$1
    shift
    ip netns exec "$NSB" "$@" >"$_out" 2>"$_out.err" &
    _p=$!
    BG_PIDS="$BG_PIDS $_p"
    _i=0
    while kill -0 "$_p" 2>/dev/null && [ $_i -lt 50 ]; do
        # shellcheck disable=SC2086
        inA "$SEND" -i vA $AB -k flood -n 1 >/dev/null
        sleep 0.1
        _i=$((_i + 1))
    done
    kill -INT "$_p" 2>/dev/null
    wait "$_p"
    RC=$?
}

wait_listening() {
    _i=0
    until grep -q 'listening on' "$1" 2>/dev/null; do
        sleep 0.05
        _i=$((_i + 1))
        [ $_i -lt 200 ] || { cat "$1"; fail "pktd-sniff did not start"; }
    done
}

packets() { tcpdump -nn -r "$1" 2>/dev/null | grep -c "^[0-9]"; }

# proc_status PID: "Uid r e s fs Cap{Inh,Prm,Eff,Amb} NoNewPrivs", one line.
proc_status() {
    awk '/^Uid:/ { u = $2 " " $3 " " $4 " " $5 }
         /^Cap(Inh|Prm|Eff|Amb):/ { c = c " " $2 }
         /^NoNewPrivs:/ { n = $2 }
         END { print u c, n }' "/proc/$1/status"
}
NOCAPS="0000000000000000 0000000000000000 0000000000000000 0000000000000000"
N4="$NOBODY_UID $NOBODY_UID $NOBODY_UID $NOBODY_UID"

# ---- set-user-ID root pktd-sniff run by nobody
run_b "$WORK/s-link" $NOBODY "$PUB/sniff-suid" -i vB -c 1 -q -w "$PUB/own/link"
expect "$RC" 1 "set-uid, -w through a link to root's file: exit status"
victim_intact "set-uid pktd-sniff -w link"
run_b "$WORK/s-root" $NOBODY "$PUB/sniff-suid" -i vB -c 1 -q -w "$PUB/root/new.pcap"
expect "$RC" 1 "set-uid, -w into root's directory: exit status"
[ ! -e "$PUB/root/new.pcap" ] || fail "set-uid pktd-sniff created $(command stat -c '%U %a' "$PUB/root/new.pcap") root/new.pcap"
umask 0
run_b "$WORK/s-rootz" $NOBODY "$PUB/sniff-suid" -i vB -c 1 -q -Z nobody -w "$PUB/root/z.pcap"
umask 022
expect "$RC" 1 "set-uid -Z nobody, -w into root's directory: exit status"
[ ! -e "$PUB/root/z.pcap" ] || fail "set-uid pktd-sniff -Z nobody created $(command stat -c '%U %a' "$PUB/root/z.pcap") root/z.pcap"
note "set-uid pktd-sniff run by nobody: no write through a link, no root-owned file"

umask 0
ip netns exec "$NSB" $NOBODY "$PUB/sniff-suid" -i vB -q -w "$PUB/own/ok.pcap" >/dev/null 2>"$WORK/s-ok.err" &
P=$!
umask 022
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/s-ok.err"
expect "$(proc_status "$P" | cut -d' ' -f1-4)" "$N4" "set-uid pktd-sniff: real, effective, saved, fs uid"
expect "$(proc_status "$P" | cut -d' ' -f7)" 0000000000000000 "set-uid pktd-sniff: CapEff"
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k flood -n 5 >/dev/null
kill -INT "$P"
wait "$P" || { cat "$WORK/s-ok.err"; fail "set-uid pktd-sniff -w: status $?"; }
expect "$(command stat -c '%u %a' "$PUB/own/ok.pcap")" "$NOBODY_UID 644" "set-uid pktd-sniff -w (umask 0): owner, mode"
expect "$(packets "$PUB/own/ok.pcap")" 5 "set-uid pktd-sniff -w: packets tcpdump reads"
note "set-uid pktd-sniff run by nobody: captures as nobody, file 0644 that tcpdump reads"

# ---- set-user-ID root pktd-bench capture -w run by nobody
run_b "$WORK/b-link" $NOBODY "$PUB/bench-suid" capture -w "$PUB/own/link" vB 1
expect "$RC" 1 "set-uid pktd-bench, -w through a link to root's file: exit status"
victim_intact "set-uid pktd-bench capture -w link"
run_b "$WORK/b-root" $NOBODY "$PUB/bench-suid" capture -w "$PUB/root/b.pcap" vB 1
expect "$RC" 1 "set-uid pktd-bench, -w into root's directory: exit status"
[ ! -e "$PUB/root/b.pcap" ] || fail "set-uid pktd-bench created $(command stat -c '%U %a' "$PUB/root/b.pcap") root/b.pcap"
umask 0
run_b "$WORK/b-ok" $NOBODY "$PUB/bench-suid" capture -w "$PUB/own/b.pcap" vB 1
umask 022
expect "$RC" 0 "set-uid pktd-bench capture -w: exit status"
expect "$(command stat -c '%u %a' "$PUB/own/b.pcap")" "$NOBODY_UID 644" "set-uid pktd-bench -w (umask 0): owner, mode"
n=$(packets "$PUB/own/b.pcap")
[ "$n" -ge 1 ] || fail "set-uid pktd-bench -w: tcpdump reads $n packets"
note "set-uid pktd-bench capture run by nobody: the same"

# ---- root does not follow a link for -w
run_b "$WORK/r-link" "$SNIFF" -i vB -c 1 -q -w "$PUB/own/link"
expect "$RC" 1 "root pktd-sniff -w link: exit status"
grep -q 'is a symbolic link, not followed when running as root' "$WORK/r-link.err" ||
    { cat "$WORK/r-link.err"; fail "root pktd-sniff -w link: message"; }
victim_intact "root pktd-sniff -w link"
run_b "$WORK/rb-link" "$BENCH" capture -w "$PUB/own/link" vB 1
expect "$RC" 1 "root pktd-bench capture -w link: exit status"
victim_intact "root pktd-bench -w link"
note "root: -w never follows a symbolic link"

# ---- root does not overwrite a file through a hard link (a second name of
# someone else's file; possible where fs.protected_hardlinks is 0)
echo secret >"$PUB/root/hvictim"
chmod 600 "$PUB/root/hvictim"
ln "$PUB/root/hvictim" "$PUB/own/hlink" || fail "cannot make a hard link"
run_b "$WORK/r-hlink" "$SNIFF" -i vB -c 1 -q -w "$PUB/own/hlink"
expect "$RC" 1 "root pktd-sniff -w hardlink: exit status"
grep -q 'hard links, not overwritten when running as root' "$WORK/r-hlink.err" ||
    { cat "$WORK/r-hlink.err"; fail "root pktd-sniff -w hardlink: message"; }
expect "$(cat "$PUB/root/hvictim")" secret "root pktd-sniff -w hardlink: the other name's content"
run_b "$WORK/rb-hlink" "$BENCH" capture -w "$PUB/own/hlink" vB 1
expect "$RC" 1 "root pktd-bench capture -w hardlink: exit status"
expect "$(cat "$PUB/root/hvictim")" secret "root pktd-bench -w hardlink: the other name's content"
note "root: -w never writes through a hard link"

# ---- -Z with an unknown user: the output file is not touched
printf 'keep me\n' >"$WORK/keep.pcap"
touch -d @1000000000 "$WORK/keep.pcap"
run_b "$WORK/z-unknown" "$SNIFF" -i vB -q -w "$WORK/keep.pcap" -Z "nosuchuser-$TAG"
expect "$RC" 1 "-Z unknown user: exit status"
grep -q "nosuchuser-$TAG: no such user" "$WORK/z-unknown.err" || { cat "$WORK/z-unknown.err"; fail "-Z unknown user: message"; }
expect "$(cat "$WORK/keep.pcap")" "keep me" "-Z unknown user: the file's content"
expect "$(command stat -c %Y "$WORK/keep.pcap")" 1000000000 "-Z unknown user: the file's mtime"
note "-Z unknown user: exit 1, the output file untouched"

# ---- -Z nobody started as root: nobody, no capability, no_new_privs, file as nobody
ip netns exec "$NSB" "$SNIFF" -i vB -q -Z nobody -w "$PUB/own/z.pcap" >/dev/null 2>"$WORK/z.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/z.err"
expect "$(proc_status "$P")" "$N4 $NOCAPS 1" "-Z nobody from root: uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs"
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k flood -n 11 >/dev/null
kill -INT "$P"
wait "$P" || fail "pktd-sniff -Z nobody: status $?"
expect "$(command stat -c %u "$PUB/own/z.pcap")" "$NOBODY_UID" "-Z nobody: the file is created by nobody"
expect "$(packets "$PUB/own/z.pcap")" 11 "-Z nobody: packets in the file"
note "-Z nobody from root: no capability left, no_new_privs, file created as nobody"

# ---- -Z naming the user it already runs as, with ambient capabilities
ip netns exec "$NSB" setpriv --reuid "$NOBODY_UID" --regid "$NOBODY_GID" --clear-groups \
    --inh-caps +net_raw,+net_admin --ambient-caps +net_raw,+net_admin \
    "$PUB/sniff-plain" -i vB -q -Z nobody >/dev/null 2>"$WORK/zself.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/zself.err"
expect "$(proc_status "$P")" "$N4 $NOCAPS 1" "-Z nobody as nobody with capabilities: uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs"
kill -INT "$P"
wait "$P" || fail "pktd-sniff -Z (already that user): status $?"
note "-Z naming the current user: every capability set cleared, no_new_privs"

# ---- root without -Z: once the socket and the file are open, no capability
# is left while packets are parsed (as tcpdump drops them); -w still works
ip netns exec "$NSB" "$SNIFF" -i vB -q -w "$WORK/root.pcap" >/dev/null 2>"$WORK/root.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/root.err"
expect "$(proc_status "$P")" "0 0 0 0 $NOCAPS 1" "root pktd-sniff -w: uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs"
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k flood -n 3 >/dev/null
kill -INT "$P"
wait "$P" || { cat "$WORK/root.err"; fail "root pktd-sniff -w: status $?"; }
expect "$(packets "$WORK/root.pcap")" 3 "root pktd-sniff -w: packets tcpdump reads"
ip netns exec "$NSB" "$SNIFF" -i vB >/dev/null 2>"$WORK/root-print.err" &
P=$!
BG_PIDS="$BG_PIDS $P"
wait_listening "$WORK/root-print.err"
expect "$(proc_status "$P")" "0 0 0 0 $NOCAPS 1" "root pktd-sniff (printing): uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs"
kill -INT "$P"
wait "$P" || fail "root pktd-sniff (printing): status $?"
note "root without -Z: no capability left once capturing, no_new_privs; -w still written"

# ---- root pktd-bench capture: the same while it measures
ip netns exec "$NSB" "$BENCH" capture -w "$WORK/bench-root.pcap" vB 2 >"$WORK/bench-root" 2>&1 &
P=$!
BG_PIDS="$BG_PIDS $P"
# It prints nothing when ready: wait until it sleeps in poll(), which it
# reaches only with the capture active and the file open.
i=0
until grep -q poll "/proc/$P/wchan" 2>/dev/null; do
    sleep 0.02
    i=$((i + 1))
    [ $i -lt 500 ] || { cat "$WORK/bench-root"; fail "root pktd-bench capture did not start"; }
done
expect "$(proc_status "$P")" "0 0 0 0 $NOCAPS 1" "root pktd-bench capture: uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs"
# shellcheck disable=SC2086
inA "$SEND" -i vA $AB -k flood -n 3 >/dev/null
wait "$P" || { cat "$WORK/bench-root"; fail "root pktd-bench capture: status $?"; }
expect "$(packets "$WORK/bench-root.pcap")" 3 "root pktd-bench capture -w: packets tcpdump reads"
note "root pktd-bench capture: no capability left while measuring; -w still written"
