# Shared setup of the namespace capture tests (sourced by tests/capture/*.sh).
#
# Two private test hosts: network namespaces A and B, joined by a veth pair
# vA (02:00:00:00:00:01, 10.77.0.1) <-> vB (02:00:00:00:00:02, 10.77.0.2),
# IPv6 off and static neighbour entries, so the only traffic is what a test
# sends.  Names are unique per run; everything is removed on exit, whether the
# test passes, fails or is interrupted.  Needs root; exits 77 (SKIP) with the
# reason when it is not root or `ip netns` cannot work here.

set -u
: "${top_builddir:=.}"
: "${top_srcdir:=.}"
CAPTEST="$top_builddir/tests/capture/captest"
SEND="$top_builddir/tests/capture/sendframes"
SNIFF="$top_builddir/examples/pktd-sniff"
SNIFF_IP="$top_builddir/examples/pktd-sniff-ip"
SNIFF_TCP="$top_builddir/examples/pktd-sniff-tcp"
SNIFF_ARP="$top_builddir/examples/pktd-sniff-arp"
DECODE="$top_builddir/examples/pktd-decode"
TESTNAME=$(basename "$0" .sh)

skip() { echo "SKIP: $TESTNAME: $*"; exit 77; }
fail() { echo "FAIL: $TESTNAME: $*"; exit 1; }
note() { echo "$TESTNAME: $*"; }

[ "$(id -u)" -eq 0 ] || skip "needs root: it creates network namespaces and opens raw sockets"
command -v ip >/dev/null 2>&1 || skip "iproute2's ip is not installed"

TAG=$(printf '%x%04x' $$ "$RANDOM")
NSA="pktd-a-$TAG"
NSB="pktd-b-$TAG"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pktd-cap.XXXXXX") || fail "mktemp"
BG_PIDS=

cleanup() {
    for p in $BG_PIDS; do kill "$p" 2>/dev/null; done
    for p in $BG_PIDS; do wait "$p" 2>/dev/null; done
    ip netns del "$NSA" 2>/dev/null
    ip netns del "$NSB" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NSA" 2>"$WORK/netns.err" ||
    skip "ip netns add failed, network namespaces unavailable: $(cat "$WORK/netns.err")"
ip netns add "$NSB" || fail "ip netns add $NSB"

inA() { ip netns exec "$NSA" "$@"; }
inB() { ip netns exec "$NSB" "$@"; }

# The two hosts and their link.
ip -n "$NSA" link add vA type veth peer name vB netns "$NSB" || fail "cannot create a veth pair"
for ns in "$NSA" "$NSB"; do
    ip netns exec "$ns" sh -c 'for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do
        [ -e "$f" ] && echo 1 >"$f"; done; true'
    ip -n "$ns" link set lo up
done
ip -n "$NSA" link set vA address 02:00:00:00:00:01
ip -n "$NSB" link set vB address 02:00:00:00:00:02
ip -n "$NSA" addr add 10.77.0.1/24 dev vA
ip -n "$NSB" addr add 10.77.0.2/24 dev vB
ip -n "$NSA" link set vA up
ip -n "$NSB" link set vB up
ip -n "$NSA" neigh replace 10.77.0.2 lladdr 02:00:00:00:00:02 dev vA nud permanent
ip -n "$NSB" neigh replace 10.77.0.1 lladdr 02:00:00:00:00:01 dev vB nud permanent

VB_IFINDEX=$(inB cat /sys/class/net/vB/ifindex) || fail "no ifindex for vB"

# Frames from A to B with the addresses above.
AB="-s 02:00:00:00:00:01 -d 02:00:00:00:00:02 -S 10.77.0.1 -D 10.77.0.2"

wait_file() {
    i=0
    while [ ! -e "$1" ]; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 200 ] || return 1
    done
}

# start_cap NS OUT [captest options...]: captest in the background, its
# output in OUT (stderr in OUT.err); returns once the handle is active.
# The process id is left in CAP_PID.
start_cap() {
    _ns=$1 _out=$2
    shift 2
    _rdy="$WORK/ready.$RANDOM$RANDOM"
    ip netns exec "$_ns" "$CAPTEST" -r "$_rdy" "$@" >"$_out" 2>"$_out.err" &
    CAP_PID=$!
    BG_PIDS="$BG_PIDS $CAP_PID"
    wait_file "$_rdy" || { cat "$_out.err"; fail "captest $* did not start"; }
}

# wait_cap [PID]: wait for a capture to end; fail if it failed.
wait_cap() {
    _pid=${1:-$CAP_PID}
    wait "$_pid" || fail "captest (pid $_pid) exited with status $?"
}

# stat NAME FILE: a number from captest's final "stats" line.
stat() { sed -n "s/^stats.* $1=\([0-9]*\).*/\1/p" "$2"; }

# count PATTERN FILE: lines matching (fixed string).
count() { grep -c -F -- "$1" "$2" || true; }

expect() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

# The identity every capture keeps: nothing lost uncounted.
check_identity() {
    _r=$(stat received "$1") _d=$(stat dropped "$1") _v=$(stat delivered "$1")
    _f=$(stat filtered "$1") _p=$(stat pending "$1")
    [ -n "$_r" ] || fail "no stats line in $1"
    [ "$_r" -eq $((_d + _v + _f + _p)) ] ||
        fail "received $_r != dropped $_d + delivered $_v + filtered $_f + pending $_p"
}

# BPF program (captest -A form): "ether proto 0x88b5" (the flood frames).
BPF_FLOOD="40 0 0 12;21 0 1 34997;6 0 0 262144;6 0 0 0"
# "ip proto icmp" on Ethernet.
BPF_ICMP="40 0 0 12;21 0 3 2048;48 0 0 23;21 0 1 1;6 0 0 262144;6 0 0 0"
