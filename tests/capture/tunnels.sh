#!/bin/bash
# Real tunnels between the test namespaces, made by the kernel with iproute2
# (VXLAN over IPv4 and IPv6, Geneve, GRE, GRE-tap, IP-in-IP, SIT, ip6tnl,
# ip6gre, MPLS), over the veth pair A-B; GRE, IP-in-IP, Geneve, GTP-U, PPPoE
# and MPLS (and MPLS in GRE) wrapped in user space around a TUN device (usertunnel.py), whatever
# the kernel has; and VXLAN inside that GRE (two levels).  Through each: ping, a UDP
# datagram to a closed port (and its ICMP port unreachable), a TCP SYN to a
# closed port (and its RST), over IPv4 and, where the tunnel carries it,
# IPv6.  The underlay is captured on B by our own pktd-sniff -w, then:
#   (a) tshark reads the file (when installed);
#   (b) pktd-decode -j finds, for every flow sent, the tunnel (type, VNI or
#       key) and the inner 5-tuple that was sent (no tshark needed);
#   (c) pktd-decode -j agrees with tshark on every frame: tunnel levels,
#       their ids and the inner 5-tuples (tests/parse/tunnel_tshark.py --live).
# A tunnel type this kernel cannot make is skipped with a note; the test is
# skipped (77) only without root, network namespaces or any tunnel type.
# With TUNNEL_PCAP_DIR set, the captures are copied there
# (tests/data/tunnels holds them, so the decode comparison also runs where
# namespaces are not available).
. "${top_srcdir:-.}/tests/capture/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is needed to read pktd-decode's JSON"
HAVE_TSHARK=0
command -v tshark >/dev/null 2>&1 && HAVE_TSHARK=1
[ $HAVE_TSHARK = 1 ] || note "tshark not installed: checks (a) and (c) are skipped, (b) runs"

wait_listening() {
    i=0
    until grep -q 'listening on' "$1" 2>/dev/null; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 200 ] || { cat "$1"; fail "pktd-sniff did not start"; }
    done
}

# IPv6 on the underlay, for the tunnels over IPv6 (made once, when needed).
V6_UNDERLAY=0
v6_underlay() {
    [ $V6_UNDERLAY = 1 ] && return 0
    inA sysctl -qw net.ipv6.conf.vA.disable_ipv6=0 || fail "IPv6 on vA"
    inB sysctl -qw net.ipv6.conf.vB.disable_ipv6=0 || fail "IPv6 on vB"
    ip -n "$NSA" addr add fd77::1/64 dev vA nodad || fail "fd77::1"
    ip -n "$NSB" addr add fd77::2/64 dev vB nodad || fail "fd77::2"
    ip -n "$NSA" neigh replace fd77::2 lladdr 02:00:00:00:00:02 dev vA nud permanent
    ip -n "$NSB" neigh replace fd77::1 lladdr 02:00:00:00:00:01 dev vB nud permanent
    V6_UNDERLAY=1
}

# mk NAME ARGS-A -- ARGS-B: `ip link add NAME type ...` in A and in B.
# Returns 1 (with the reason in $WORK/mk.err) when this kernel cannot.
mk() {
    _name=$1
    shift
    _a='' _b='' _side=a
    for w in "$@"; do
        if [ "$w" = "--" ]; then _side=b; continue; fi
        if [ $_side = a ]; then _a="$_a $w"; else _b="$_b $w"; fi
    done
    # shellcheck disable=SC2086
    ip -n "$NSA" link add "$_name" $_a 2>"$WORK/mk.err" || return 1
    # shellcheck disable=SC2086
    ip -n "$NSB" link add "$_name" $_b 2>>"$WORK/mk.err" || fail "$_name in B: $(cat "$WORK/mk.err")"
}

# inner DEV L2 V4NET V6NET: addresses .1 (A) and .2 (B) on the tunnel
# device, up; static neighbours when it carries Ethernet (L2=1).
inner() {
    _dev=$1 _l2=$2 _v4=$3 _v6=$4
    for s in A:1 B:2; do
        ns=$NSA
        [ "${s%:*}" = B ] && ns=$NSB
        h=${s#*:}
        [ "$_l2" = 1 ] && ip -n "$ns" link set "$_dev" address "02:00:00:00:88:0$h"
        if [ -n "$_v6" ]; then
            ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$_dev.disable_ipv6=0" || fail "IPv6 on $_dev"
            ip -n "$ns" addr add "$_v6::$h/64" dev "$_dev" nodad || fail "$_v6::$h on $_dev"
        fi
        [ -n "$_v4" ] && { ip -n "$ns" addr add "$_v4.$h/24" dev "$_dev" || fail "$_v4.$h on $_dev"; }
        ip -n "$ns" link set "$_dev" up || fail "$_dev up"
    done
    if [ "$_l2" = 1 ]; then
        for s in A:2 B:1; do
            ns=$NSA
            [ "${s%:*}" = B ] && ns=$NSB
            h=${s#*:}
            [ -n "$_v4" ] && ip -n "$ns" neigh replace "$_v4.$h" lladdr "02:00:00:00:88:0$h" dev "$_dev" nud permanent
            [ -n "$_v6" ] && ip -n "$ns" neigh replace "$_v6::$h" lladdr "02:00:00:00:88:0$h" dev "$_dev" nud permanent
        done
    fi
}

# traffic V4NET V6NET: from A to B through the tunnel; the ping last, as it
# returns only once its reply crossed vB, after everything sent before.
traffic() {
    _v4=$1 _v6=$2
    for dst in ${_v4:+$_v4.2} ${_v6:+$_v6::2}; do
        inA timeout 5 bash -c "echo udp-through-the-tunnel >/dev/udp/$dst/7001" ||
            fail "UDP to $dst"
        inA timeout 5 bash -c "exec 3<>/dev/tcp/$dst/7002" 2>"$WORK/tcp.err" &&
            fail "TCP to the closed port $dst:7002 was accepted"
        grep -q 'Connection refused' "$WORK/tcp.err" ||
            fail "TCP to the closed port $dst:7002 was not refused: $(cat "$WORK/tcp.err")"
        inA ping -c 2 -i 0.2 -W 2 "$dst" >/dev/null || fail "ping $dst through the tunnel"
    done
}

TRIED='' MADE='' SKIPPED=''
# run KIND TYPE IDS DEV L2 V4NET V6NET: capture the traffic through the
# tunnel DEV made just before, check it, remove DEV.
run() {
    kind=$1 type=$2 ids=$3 dev=$4 l2=$5 v4=$6 v6=$7
    inner "$dev" "$l2" "$v4" "$v6"
    pcap="$WORK/ns-$kind.pcap"
    ip netns exec "$NSB" "$SNIFF" -i vB -w "$pcap" >"$pcap.out" 2>"$pcap.err" &
    pid=$!
    BG_PIDS="$BG_PIDS $pid"
    wait_listening "$pcap.err"
    traffic "$v4" "$v6"
    kill -INT "$pid"
    wait "$pid"
    rc=$?
    [ $rc = 0 ] || { cat "$pcap.err"; fail "$kind: pktd-sniff exited with status $rc"; }
    if [ -n "${TUNNEL_PCAP_DIR:-}" ]; then
        cp "$pcap" "$TUNNEL_PCAP_DIR/" || fail "cannot copy $pcap to $TUNNEL_PCAP_DIR"
    fi
    if [ -n "${USER_PIDS:-}" ]; then
        # shellcheck disable=SC2086
        kill $USER_PIDS
        # shellcheck disable=SC2086
        wait $USER_PIDS 2>/dev/null
        USER_PIDS=
    else
        ip -n "$NSA" link del "$dev"
        ip -n "$NSB" link del "$dev"
    fi
    if [ $HAVE_TSHARK = 1 ]; then
        n=$(tshark -n -r "$pcap" 2>"$WORK/tshark.err" | wc -l)
        [ -s "$WORK/tshark.err" ] && grep -v '^Running as user' "$WORK/tshark.err" | grep -q . &&
            { cat "$WORK/tshark.err"; fail "$kind: tshark cannot read our capture"; }
        [ "$n" -gt 0 ] || fail "$kind: tshark reads no packet of our capture"
    fi
    "$DECODE" -j "$pcap" >"$pcap.json" || fail "$kind: pktd-decode -j"
    python3 - "$pcap.json" "$type" "$ids" "$v4" "$v6" <<'PY' || fail "$kind: the tunnel or the flows sent through it are not in pktd-decode's JSON"
import json, sys
path, typ, ids, v4, v6 = sys.argv[1:]
ids = json.loads(ids)
# The innermost level of each record behind a tunnel of the expected type
# and ids (MPLS: a level whose labels start with the ones given).
found = []
for line in open(path):
    obj = json.loads(line)
    ok = False
    while "encap" in obj:
        obj = obj["encap"]
        if obj.get("type") == typ and all(
                (k == "labels" and [e["label"] if isinstance(e, dict) else e for e in obj.get(k, [])][:len(v)] == v)
                or obj.get(k) == v for k, v in ids.items()):
            ok = True
    if ok:
        found.append(obj)
def count(fam, src, dst, pred):
    return sum(1 for o in found if fam in o and o[fam]["src"] == src and o[fam]["dst"] == dst and pred(o))
bad = []
def want(what, n, exp):
    if n != exp:
        bad.append(f"{what}: {n} packets, expected {exp}")
for fam, net in (("ipv4", v4 and v4 + "."), ("ipv6", v6 and v6 + "::")):
    if not net:
        continue
    a, b = net + "1", net + "2"
    icmp = "icmp" if fam == "ipv4" else "icmpv6"
    req, rep = (8, 0) if fam == "ipv4" else (128, 129)
    want(f"{fam} echo requests {a} > {b}", count(fam, a, b, lambda o: o.get(icmp, {}).get("type") == req), 2)
    want(f"{fam} echo replies {b} > {a}", count(fam, b, a, lambda o: o.get(icmp, {}).get("type") == rep), 2)
    want(f"{fam} UDP {a} > {b}:7001", count(fam, a, b, lambda o: o.get("udp", {}).get("dport") == 7001), 1)
    want(f"{fam} port unreachable {b} > {a}", count(fam, b, a, lambda o: o.get(icmp, {}).get("type") in (3, 1)), 1)
    want(f"{fam} TCP SYN {a} > {b}:7002", count(fam, a, b, lambda o: o.get("tcp", {}).get("dport") == 7002 and o["tcp"]["flags"] & 2), 1)
    want(f"{fam} TCP RST {b}:7002 > {a}", count(fam, b, a, lambda o: o.get("tcp", {}).get("sport") == 7002 and o["tcp"]["flags"] & 4), 1)
for m in bad:
    print(f"{typ} {ids}: {m}")
sys.exit(1 if bad else 0)
PY
    if [ $HAVE_TSHARK = 1 ]; then
        python3 "$top_srcdir/tests/parse/tunnel_tshark.py" --live "$pcap" >"$pcap.cmp" 2>&1 ||
            { cat "$pcap.cmp"; fail "$kind: pktd-decode and tshark disagree"; }
    fi
    MADE="$MADE $kind"
    note "$kind: $(tr -cd '\n' <"$pcap.json" | wc -c) packets, tunnel and inner flows found$([ $HAVE_TSHARK = 1 ] && echo ', tshark agrees')"
}

# try KIND ...: make the tunnel or note why not.
try() {
    kind=$1
    shift
    TRIED="$TRIED $kind"
    if mk "$@"; then
        return 0
    fi
    SKIPPED="$SKIPPED $kind"
    note "$kind: skipped, this kernel cannot make it: $(tr '\n' ' ' <"$WORK/mk.err")"
    return 1
}

U4A="local 10.77.0.1 remote 10.77.0.2"
U4B="local 10.77.0.2 remote 10.77.0.1"
U6A="local fd77::1 remote fd77::2"
U6B="local fd77::2 remote fd77::1"

try vxlan tvx type vxlan id 42 dstport 4789 $U4A dev vA -- type vxlan id 42 dstport 4789 $U4B dev vB &&
    run vxlan vxlan '{"vni": 42}' tvx 1 10.88.1 fd88:1
v6_underlay
try vxlan6 tvx6 type vxlan id 43 dstport 4789 $U6A dev vA -- type vxlan id 43 dstport 4789 $U6B dev vB &&
    run vxlan6 vxlan '{"vni": 43}' tvx6 1 10.88.2 fd88:2
try geneve tgn type geneve id 44 dstport 6081 remote 10.77.0.2 -- type geneve id 44 dstport 6081 remote 10.77.0.1 &&
    run geneve geneve '{"vni": 44}' tgn 1 10.88.3 fd88:3
try gre tgre type gre $U4A key 45 -- type gre $U4B key 45 &&
    run gre gre '{"key": 45}' tgre 0 10.88.4 fd88:4
try gretap tgtap type gretap $U4A key 46 -- type gretap $U4B key 46 &&
    run gretap gre '{"key": 46, "proto": 25944}' tgtap 1 10.88.5 fd88:5
try ipip tipip type ipip $U4A -- type ipip $U4B &&
    run ipip ipip '{}' tipip 0 10.88.6 ""
try sit tsit type sit $U4A -- type sit $U4B &&
    run sit ipip '{}' tsit 0 "" fd88:7
try ip6tnl t6tnl type ip6tnl mode any $U6A -- type ip6tnl mode any $U6B &&
    run ip6tnl ipip '{}' t6tnl 0 10.88.8 fd88:8
try ip6gre t6gre type ip6gre $U6A key 47 -- type ip6gre $U6B key 47 &&
    run ip6gre gre '{"key": 47}' t6gre 0 10.88.9 fd88:9

# The same traffic through encapsulations made in user space
# (tests/capture/usertunnel.py) for the kinds iproute2 cannot make (GTP-U,
# PPPoE) or this kernel may lack: the inner packets are still the kernel's.
# user_start KIND: the two user-space endpoints, TUN device "tu" in each.
user_start() {
    kind=$1
    USER_PIDS=
    for s in A:1:2 B:2:1; do
        ns=$NSA
        [ "${s%%:*}" = B ] && ns=$NSB
        me=$(echo "$s" | cut -d: -f2) peer=${s##*:}
        rdy="$WORK/user-$kind.${s%%:*}"
        rm -f "$rdy"
        ip netns exec "$ns" python3 "$top_srcdir/tests/capture/usertunnel.py" "$kind" tu \
            "v${s%%:*}" "10.77.0.$me" "10.77.0.$peer" "02:00:00:00:00:0$peer" "$rdy" \
            2>"$rdy.err" &
        USER_PIDS="$USER_PIDS $!"
        BG_PIDS="$BG_PIDS $!"
        wait_file "$rdy" || { cat "$rdy.err"; fail "usertunnel.py $kind did not start"; }
        ip -n "$ns" link set tu mtu 1400
    done
}
# urun KIND TYPE IDS NET
urun() {
    user_start "$1"
    run "user-$1" "$2" "$3" tu 0 "10.89.$4" "fd89:$4"
}
TRIED="$TRIED user-gre user-ipip user-geneve user-gtpu user-pppoe user-mpls user-gremp"
urun gre gre '{"key": 4660}' 1
urun ipip ipip '{}' 2
urun geneve geneve '{"vni": 4660}' 3
urun gtpu gtpu '{"teid": 287454020}' 4
urun pppoe pppoe '{"session": 66}' 5
urun mpls mpls '{"labels": [1000, 2000]}' 6
urun gremp mpls '{"labels": [3000]}' 8

# Nesting: the kernel's VXLAN over the user-space GRE, two tunnel levels.
user_start gre
inner tu 0 10.89.7 ""
TRIED="$TRIED vxlan-in-gre"
if mk tvxn type vxlan id 48 dstport 4789 local 10.89.7.1 remote 10.89.7.2 -- \
    type vxlan id 48 dstport 4789 local 10.89.7.2 remote 10.89.7.1; then
    ip -n "$NSA" link set tvxn mtu 1300
    ip -n "$NSB" link set tvxn mtu 1300
    run vxlan-in-gre vxlan '{"vni": 48}' tvxn 1 10.88.11 fd88:11
    ip -n "$NSA" link del tvxn
    ip -n "$NSB" link del tvxn
else
    kill $USER_PIDS
    wait $USER_PIDS 2>/dev/null
    SKIPPED="$SKIPPED vxlan-in-gre"
    note "vxlan-in-gre: skipped, this kernel cannot make VXLAN: $(tr '\n' ' ' <"$WORK/mk.err")"
fi

# MPLS: A pushes label 100 on its way to B's 10.88.10.2, B pops it and
# delivers locally; B answers with label 101 the same way.
TRIED="$TRIED mpls"
echo "no /proc/sys/net/mpls: mpls_router is not loaded" >"$WORK/mk.err"
if inB test -d /proc/sys/net/mpls && inA test -d /proc/sys/net/mpls &&
    ip -n "$NSA" route add 10.88.10.2/32 encap mpls 100 via inet 10.77.0.2 dev vA 2>"$WORK/mk.err"; then
    for s in A:1:101 B:2:100; do
        ns=$NSA
        [ "${s%%:*}" = B ] && ns=$NSB
        h=$(echo "$s" | cut -d: -f2) label=${s##*:}
        ip netns exec "$ns" sysctl -qw net.mpls.platform_labels=1024 || fail "mpls platform_labels"
        ip netns exec "$ns" sysctl -qw "net.mpls.conf.v${s%%:*}.input=1" || fail "mpls input"
        ip -n "$ns" addr add "10.88.10.$h/32" dev lo || fail "10.88.10.$h"
        ip -n "$ns" -f mpls route add "$label" dev lo || fail "mpls route $label"
    done
    ip -n "$NSB" route add 10.88.10.1/32 encap mpls 101 via inet 10.77.0.1 dev vB || fail "route to A over MPLS"
    pcap="$WORK/ns-mpls.pcap"
    ip netns exec "$NSB" "$SNIFF" -i vB -w "$pcap" >"$pcap.out" 2>"$pcap.err" &
    pid=$!
    BG_PIDS="$BG_PIDS $pid"
    wait_listening "$pcap.err"
    inA ping -c 2 -i 0.2 -W 2 -I 10.88.10.1 10.88.10.2 >/dev/null || fail "ping over MPLS"
    kill -INT "$pid"
    wait "$pid" || fail "mpls: pktd-sniff exited with status $?"
    if [ -n "${TUNNEL_PCAP_DIR:-}" ]; then
        cp "$pcap" "$TUNNEL_PCAP_DIR/" || fail "cannot copy $pcap to $TUNNEL_PCAP_DIR"
    fi
    "$DECODE" -j "$pcap" >"$pcap.json" || fail "mpls: pktd-decode -j"
    python3 - "$pcap.json" <<'PY' || fail "mpls: the labelled pings are not in pktd-decode's JSON"
import json, sys
seen = {100: 0, 101: 0}
for line in open(sys.argv[1]):
    e = json.loads(line).get("encap", {})
    labels = [x["label"] if isinstance(x, dict) else x for x in e.get("labels", [])]
    if e.get("type") == "mpls" and labels[:1] in ([100], [101]) and "icmp" in e:
        seen[labels[0]] += 1
sys.exit(0 if seen == {100: 2, 101: 2} else print("labelled echo packets:", seen) or 1)
PY
    if [ $HAVE_TSHARK = 1 ]; then
        python3 "$top_srcdir/tests/parse/tunnel_tshark.py" --live "$pcap" >"$pcap.cmp" 2>&1 ||
            { cat "$pcap.cmp"; fail "mpls: pktd-decode and tshark disagree"; }
    fi
    MADE="$MADE mpls"
    note "mpls: labels 100 and 101 found on the pings$([ $HAVE_TSHARK = 1 ] && echo ', tshark agrees')"
else
    SKIPPED="$SKIPPED mpls"
    note "mpls: skipped, this kernel has no MPLS forwarding (mpls_router, mpls_iptunnel): $(tr '\n' ' ' <"$WORK/mk.err" 2>/dev/null)"
fi

[ -n "$MADE" ] || skip "this kernel can make none of the tunnel types:$TRIED"
note "tunnels made and checked:$MADE; not available here:${SKIPPED:- none}"
exit 0
