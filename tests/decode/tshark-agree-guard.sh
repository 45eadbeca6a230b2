#!/bin/sh
# tshark-agree.py must fail where a real difference or a broken run could
# hide: (1) tshark refuses its command line (a field or preference a tshark
# version does not know; a tshark that adds an unknown field stands in for
# it): before, every file was "not compared" and the run ended "0 fields
# compared ..., 0 disagreements" with status 0; (2) times off by whole
# seconds on records whose fraction is 0, which the exclusion for a
# microsecond field of 10^6 or more used to swallow.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
real=$(command -v tshark) || { echo "SKIP: tshark is not installed"; exit 77; }
py=${PYTHON3:-python3}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
# expect RC PATTERN WHAT: a run of tshark-agree.py (status RC, output in $tmp/out) must
# have failed with status 1 and printed PATTERN.
expect() {
    if [ "$1" -eq 1 ] && grep -q "$2" "$tmp/out"; then
        echo "ok - $3"
    else
        echo "FAIL - tshark-agree.py exited $1, not 1 with '$2': $3"
        sed 's/^/# /' "$tmp/out"
        fail=1
    fi
}

cat >"$tmp/tshark" <<SHIM
#!/bin/sh
exec "$real" "\$@" -e no.such.field
SHIM
chmod +x "$tmp/tshark"
PATH="$tmp:$PATH" "$py" "$top_srcdir/tests/decode/tshark-agree.py" \
    "$top_srcdir/tests/data/sample.pcap" >"$tmp/out" 2>&1
rc=$?
expect "$rc" 'usage error' "tshark-agree.py fails when tshark refuses its fields"

# The exclusion for a microsecond field of 10^6 or more must not hide a
# time that is off by whole seconds: a pktd-decode whose times are one
# second late, on a record whose sub-second field is 0 (tshark prints the
# fraction 0 there too), is a disagreement.
mkdir "$tmp/b" "$tmp/b/examples"
cat >"$tmp/b/examples/pktd-decode" <<SHIM
#!/bin/sh
"$top_builddir/examples/pktd-decode" "\$@" | "$py" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    r["ts_ns"] += 10**9
    print(json.dumps(r))'
SHIM
chmod +x "$tmp/b/examples/pktd-decode"
top_builddir="$tmp/b" "$py" "$top_srcdir/tests/decode/tshark-agree.py" \
    "$top_srcdir/tests/corpus/tcpdump/time_2039.pcap" >"$tmp/out" 2>&1
rc=$?
expect "$rc" 'MISMATCH time_2039.pcap #1 ts_ns' \
    "a time one second late on a record of fraction 0 is a disagreement"
exit $fail
