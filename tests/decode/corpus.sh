#!/bin/sh
# Decode every capture of tcpdump's test suite (tests/corpus/tcpdump, 830
# files, many of them deliberately hostile) in one pktd-decode run, under
# valgrind memcheck when it is installed: no crash, no invalid read, no leak.
# The files pktd-decode refuses must be exactly those listed, with the same
# reason, in tests/decode/corpus-expected.txt (regenerate it with
# `corpus.sh --update` after reviewing a change).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
dec="$top_builddir/examples/pktd-decode"
corpus="$top_srcdir/tests/corpus/tcpdump"
expected="$top_srcdir/tests/decode/corpus-expected.txt"
update=${1:-}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# pktd-decode is a libtool wrapper script in the build tree: run the real
# binary against the just-built library.
real="$top_builddir/examples/.libs/pktd-decode"
if [ -x "$real" ]; then
  LD_LIBRARY_PATH="$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
  dec=$real
fi

set -- "$corpus"/*.pcap "$corpus"/*.pcapng
echo "decoding $# captures"
runner=
if [ "${PKTD_SANITIZERS:-no}" = yes ]; then
  # valgrind cannot run ASan programs; ASan + UBSan check this run, and any
  # report they print fails the stderr check below.
  echo "built with --enable-sanitizers: ASan and UBSan instead of valgrind"
elif command -v valgrind >/dev/null 2>&1; then
  runner="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=all"
  echo "under valgrind memcheck"
else
  echo "valgrind not installed: running without it"
fi
(cd "$corpus" && $runner "$dec" -j "$@" >"$tmp/out" 2>"$tmp/err")
rc=$?
records=$(wc -l <"$tmp/out")
echo "exit status $rc, $records JSON records"
case $rc in
  0|1) ;;
  99) echo "FAIL: valgrind found errors:"; grep -v '^pktd-decode: ' "$tmp/err" | head -50; exit 1 ;;
  *) echo "FAIL: pktd-decode died with status $rc"; tail -20 "$tmp/err"; exit 1 ;;
esac
if grep -v '^pktd-decode: ' "$tmp/err" | grep -q .; then
  echo "FAIL: unexpected output on stderr:"; grep -v '^pktd-decode: ' "$tmp/err" | head -20; exit 1
fi
# Every record must be valid JSON, and each file must yield as many packets
# as capinfos (or, for the 14 link types capinfos refuses, tcpdump) counted
# when tests/decode/corpus-counts.txt was made.
if command -v python3 >/dev/null 2>&1; then
  python3 - "$tmp/out" "$top_srcdir/tests/decode/corpus-counts.txt" "$@" <<'PY' || exit 1
import json, os, sys
out, counts_file, files = sys.argv[1], sys.argv[2], sys.argv[3:]
counts = {}
for line in open(counts_file):
    name, n, _src = line.split()
    counts[name] = int(n)
runs = []
for line in open(out):
    n = json.loads(line)["n"]
    if n == 1:
        runs.append(0)
    runs[-1] += 1
    if runs[-1] != n:
        sys.exit("FAIL: packet numbers out of sequence")
want = [counts[os.path.basename(f)] for f in files if counts[os.path.basename(f)] > 0]
if runs != want:
    for f, (a, b) in zip([f for f in files if counts[os.path.basename(f)] > 0], zip(runs, want)):
        if a != b:
            sys.exit(f"FAIL: {os.path.basename(f)}: {a} packets decoded, {b} expected")
    sys.exit(f"FAIL: {len(runs)} files with packets decoded, {len(want)} expected")
print(f"{sum(runs)} packets in {len(runs)} files: counts agree with capinfos/tcpdump")
PY
fi
sed "s|^pktd-decode: $corpus/||" "$tmp/err" | sort >"$tmp/refused"
if [ "$update" = --update ] || [ "${CORPUS_UPDATE:-}" = 1 ]; then
  cp "$tmp/refused" "$expected"; echo "updated $expected"; exit 0
fi
echo "$(wc -l <"$tmp/refused") captures refused (expected $(wc -l <"$expected"))"
if ! diff -u "$expected" "$tmp/refused"; then
  echo "FAIL: the refused captures differ from $expected"; exit 1
fi
exit 0
