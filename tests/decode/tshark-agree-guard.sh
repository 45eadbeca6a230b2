#!/bin/sh
# tshark-agree.py must not pass when tshark refuses its command line (a
# field or preference a tshark version does not know): before, every file
# was "not compared" and the run ended "0 fields compared ..., 0
# disagreements" with status 0.  A tshark that adds an unknown field stands
# in for such a version.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
real=$(command -v tshark) || { echo "SKIP: tshark is not installed"; exit 77; }
py=${PYTHON3:-python3}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/tshark" <<SHIM
#!/bin/sh
exec "$real" "\$@" -e no.such.field
SHIM
chmod +x "$tmp/tshark"
PATH="$tmp:$PATH" "$py" "$top_srcdir/tests/decode/tshark-agree.py" \
    "$top_srcdir/tests/data/sample.pcap" >"$tmp/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'usage error' "$tmp/out"; then
    echo "ok - tshark-agree.py fails when tshark refuses its fields"
    exit 0
fi
echo "FAIL - tshark-agree.py exited $rc with a tshark that refuses its fields:"
sed 's/^/# /' "$tmp/out"
exit 1
