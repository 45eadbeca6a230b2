#!/bin/sh
# A program built against libpktdecode 1.0 runs unchanged against this
# library: the binary kept in tests/release/abi-1.0 (see its README) must
# find every symbol it needs (PKTDECODE_1.0 only) and print exactly what it
# printed with the 1.0 library.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
dir=$top_srcdir/tests/release/abi-1.0
bin=$dir/pktd-decode-1.0.x86_64-linux-gnu
lib=$top_builddir/lib/.libs
fail() { echo "FAIL: old-binary: $*"; exit 1; }
case $(uname -m) in
x86_64) ;;
*) echo "SKIP: old-binary: the kept 1.0 binary is for x86_64, this is $(uname -m)"; exit 77 ;;
esac
[ -f "$lib/libpktdecode.so.1" ] || { echo "SKIP: old-binary: no shared library built (--disable-shared)"; exit 77; }
# The binary may have lost its execute bit on the way (a tarball, a copy).
work=$(mktemp -d) || fail "mktemp"
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/pktd-decode-1.0" && chmod 755 "$work/pktd-decode-1.0" || fail "copying $bin"
# Every symbol version it needs from us is PKTDECODE_1.0.
need=$(readelf -V "$work/pktd-decode-1.0" | sed -n 's/.*Name: \(PKTDECODE_[0-9.]*\).*/\1/p' | sort -u | tr '\n' ' ')
[ "$need" = "PKTDECODE_1.0 " ] || fail "it needs symbol versions '$need', expected only PKTDECODE_1.0"
# A sanitizer build's library needs its runtime loaded first, and the kept
# binary is not instrumented: preload it (tests/robust.am exports the name).
preload=
if [ -n "${PKTD_SANITIZER_PRELOAD:-}" ]; then
    preload=$PKTD_SANITIZER_PRELOAD
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
C=$top_srcdir/tests/corpus/tcpdump
for f in afs mptcp-v0 bgp-4byte-asn dhcp-rfc4388 ssh arp-oobr; do
    for m in "" "-j"; do
        echo "== $f.pcap $m"
        LD_PRELOAD=$preload LD_LIBRARY_PATH=$lib "$work/pktd-decode-1.0" $m -c 40 "$C/$f.pcap"
        echo "== exit $?"
    done
done >"$work/got.txt" 2>"$work/err.txt"
[ -s "$work/err.txt" ] && { cat "$work/err.txt"; fail "it wrote to stderr"; }
if ! cmp -s "$dir/expected.txt" "$work/got.txt"; then
    diff -u "$dir/expected.txt" "$work/got.txt" | head -n 40
    fail "its output against this library differs from its output against 1.0"
fi
echo "ok: pktd-decode built against 1.0 runs unchanged ($(grep -c '^== exit 0' "$work/got.txt") runs, $(wc -l <"$work/got.txt") lines equal)"
