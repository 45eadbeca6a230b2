#!/bin/bash
# The seed-parity sniffers (pktd-sniff-ip, -tcp, -arp) need CAP_NET_RAW only
# to open their socket; the packets they then parse are anyone's to forge.
# Once the capture is active each must hold no privilege at all, however it
# was started: set-user-ID root run by nobody (real, effective, saved and
# file-system uid nobody), by root, or as nobody with ambient capabilities:
# CapInh, CapPrm, CapEff and CapAmb all 0 and NoNewPrivs 1.  Each still
# captures and prints afterwards.  (pktd-sniff and pktd-bench: privs.sh.)
. "${top_srcdir:-.}/tests/capture/lib.sh"

command -v setpriv >/dev/null 2>&1 || skip "util-linux's setpriv is not installed"
NOBODY_UID=$(id -u nobody) || fail "no user 'nobody'"
NOBODY_GID=$(id -g nobody) || fail "no group for 'nobody'"

# A directory nobody can reach, on a file system that honours set-user-ID.
PUB=
for base in /tmp /var/tmp "$top_builddir"; do
    d=$(mktemp -d "$base/pktd-privs.XXXXXX" 2>/dev/null) || continue
    chmod 755 "$d"
    if ! findmnt -no OPTIONS -T "$d" | grep -qw nosuid &&
        setpriv --reuid "$NOBODY_UID" --regid "$NOBODY_GID" --clear-groups test -x "$d"; then
        PUB=$d
        break
    fi
    rmdir "$d"
done
trap 'cleanup; [ -z "$PUB" ] || rm -rf "$PUB"' EXIT
[ -n "$PUB" ] || skip "no directory that nobody can reach on a file system allowing set-user-ID"

# Self-contained builds (a set-user-ID program ignores LD_LIBRARY_PATH and a
# libtool wrapper script cannot be set-user-ID): set-user-ID root and plain.
for p in ip tcp arp; do
    cp "$top_builddir/tests/capture/pktd-sniff-$p-static" "$PUB/$p-suid" ||
        fail "copying pktd-sniff-$p-static"
    cp "$PUB/$p-suid" "$PUB/$p-plain"
    chown root:root "$PUB/$p-suid"
    chmod 4755 "$PUB/$p-suid"
    chmod 755 "$PUB/$p-plain"
done

# proc_status PID: "Uid r e s fs Cap{Inh,Prm,Eff,Amb} NoNewPrivs", one line.
proc_status() {
    awk '/^Uid:/ { u = $2 " " $3 " " $4 " " $5 }
         /^Cap(Inh|Prm|Eff|Amb):/ { c = c " " $2 }
         /^NoNewPrivs:/ { n = $2 }
         END { print u c, n }' "/proc/$1/status"
}
NOCAPS="0000000000000000 0000000000000000 0000000000000000 0000000000000000"

# check KIND HOW UID COMMAND...: start it in B with -c 1; once it waits for
# packets (asleep in poll(), reached only with the capture active) its ids
# must be UID four times, no capability, no_new_privs; then one packet of
# its kind must still be captured and printed, and it must exit 0.
check() {
    kind=$1 uid=$3
    name=pktd-sniff-$1-$2
    shift 3
    ip netns exec "$NSB" "$@" -c 1 >"$WORK/$name" 2>"$WORK/$name.err" &
    pid=$!
    BG_PIDS="$BG_PIDS $pid"
    i=0
    until grep -q poll "/proc/$pid/wchan" 2>/dev/null; do
        sleep 0.02
        i=$((i + 1))
        [ $i -lt 500 ] || { cat "$WORK/$name.err"; fail "$name: the program did not start"; }
    done
    expect "$(proc_status "$pid")" "$uid $uid $uid $uid $NOCAPS 1" \
        "$name: uids, CapInh CapPrm CapEff CapAmb, NoNewPrivs while capturing"
    # shellcheck disable=SC2086
    case $kind in
    ip) inA ping -c 1 -W 2 10.77.0.2 >/dev/null || fail "ping" ;;
    tcp) inA "$SEND" -i vA $AB -k tcp -p 40000 -q 8088 -l 10 >/dev/null || fail "sending" ;;
    arp) inA "$SEND" -i vA $AB -k arp -o 1 >/dev/null || fail "sending" ;;
    esac
    wait "$pid" || { cat "$WORK/$name.err"; fail "$name: exit status $?"; }
    case $kind in
    ip) want="ICMP: 10.77.0.1 -> 10.77.0.2" ;;
    tcp) want="Port 40000 -> 8088 [PSH,ACK] Seq=1000" ;;
    arp) want="Sender IP: 10.77.0.1" ;;
    esac
    grep -qxF "$want" "$WORK/$name" || { cat "$WORK/$name"; fail "$name: no '$want' line"; }
}

AS_NOBODY="setpriv --reuid $NOBODY_UID --regid $NOBODY_GID --clear-groups"
for p in ip tcp arp; do
    iface=
    [ "$p" = arp ] && iface="-i vB"
    # shellcheck disable=SC2086
    check "$p" suid-by-nobody "$NOBODY_UID" $AS_NOBODY "$PUB/$p-suid" $iface
    # shellcheck disable=SC2086
    check "$p" root 0 "$PUB/$p-plain" $iface
    # shellcheck disable=SC2086
    check "$p" ambient-caps "$NOBODY_UID" $AS_NOBODY --inh-caps +net_raw,+net_admin \
        --ambient-caps +net_raw,+net_admin "$PUB/$p-plain" $iface
    note "pktd-sniff-$p: no privilege left while capturing (set-uid by nobody, root, ambient capabilities); still captures"
done
exit 0
