#!/bin/sh
# The files the writer writes are read by tcpdump and tshark with the right
# packets, lengths and timestamps: classic pcap and pcapng, microsecond and
# nanosecond resolution, to a path and through a pipe.  tests/file_tool
# writes them; `file_tool expect` prints what they must hold, computed from
# its packet table without the reader; `file_tool dump` is the library's
# reader, checked here against the same expectation.
set -u
: "${top_builddir:=.}"
tool="$top_builddir/tests/file_tool"

if ! command -v tshark >/dev/null 2>&1; then
    echo "SKIP: tshark is not installed (.ci/install-deps installs it)"
    exit 77
fi
for t in tcpdump capinfos; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "FAIL: $t is not installed (.ci/install-deps installs tcpdump and tshark)"
        exit 1
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktd-file-tools.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# check NAME EXPECTED-FILE ACTUAL-FILE
check() {
    if cmp -s "$2" "$3"; then
        echo "ok: $1"
    else
        echo "FAIL: $1"
        diff "$2" "$3" | sed 's/^/    /'
        fail=1
    fi
}

for fmt in pcap pcapng; do
    for res in us ns; do
        f="$tmp/sample-$res.$fmt"
        "$tool" expect "$res" >"$tmp/expect" || exit 1
        "$tool" write "$fmt" "$res" "$f" || { echo "FAIL: writing $f"; exit 1; }

        "$tool" dump "$f" >"$tmp/reader" 2>&1
        check "$fmt $res: the library's reader" "$tmp/expect" "$tmp/reader"

        # tshark prints 9 fractional digits for either resolution.
        tshark -r "$f" -T fields -e frame.number -e frame.time_epoch \
            -e frame.cap_len -e frame.len >"$tmp/tshark" 2>"$tmp/tshark.err"
        [ $? -eq 0 ] || { echo "FAIL: tshark -r $f:"; cat "$tmp/tshark.err"; fail=1; }
        check "$fmt $res: tshark" "$tmp/expect" "$tmp/tshark"

        # tcpdump -tt: one line per packet starting with the epoch time, at
        # the file's precision.
        cut_ts='s/^\([0-9]*\.[0-9]*\) .*/\1/'
        if [ "$res" = ns ]; then
            prec=--time-stamp-precision=nano
            awk -F'\t' '{ print $2 }' "$tmp/expect" >"$tmp/expect.ts"
        else
            prec=
            awk -F'\t' '{ print substr($2, 1, length($2) - 3) }' "$tmp/expect" >"$tmp/expect.ts"
        fi
        # shellcheck disable=SC2086
        tcpdump -r "$f" -nn -tt $prec >"$tmp/tcpdump" 2>"$tmp/tcpdump.err"
        [ $? -eq 0 ] || { echo "FAIL: tcpdump -r $f:"; cat "$tmp/tcpdump.err"; fail=1; }
        sed "$cut_ts" "$tmp/tcpdump" >"$tmp/tcpdump.ts"
        check "$fmt $res: tcpdump" "$tmp/expect.ts" "$tmp/tcpdump.ts"

        # The same file through a pipe: written to stdout, read from stdin.
        "$tool" write "$fmt" "$res" - | tcpdump -r - -nn -tt $prec 2>/dev/null |
            sed "$cut_ts" >"$tmp/pipe.ts"
        check "$fmt $res: writer | tcpdump -r -" "$tmp/expect.ts" "$tmp/pipe.ts"
        "$tool" write "$fmt" "$res" - | "$tool" dump - >"$tmp/pipe.reader" 2>&1
        check "$fmt $res: writer | reader" "$tmp/expect" "$tmp/pipe.reader"

        # pcapng: the interface statistics block is there for Wireshark.
        if [ "$fmt" = pcapng ]; then
            if capinfos "$f" 2>&1 | grep -q 'Number of stat entries = 1'; then
                echo "ok: $fmt $res: capinfos sees the statistics block"
            else
                echo "FAIL: $fmt $res: capinfos does not see one statistics block:"
                capinfos "$f" 2>&1 | sed 's/^/    /'
                fail=1
            fi
        fi
    done
done
exit $fail
