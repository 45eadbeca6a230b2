#!/bin/sh
# The ABI baseline: `make check-abi` and `make update-abi-baseline`.
#
#   abi.sh check  LIB          compare LIB (the built libpktdecode.so.1, with
#                              debug info) with the committed baselines
#   abi.sh update LIB          write the baseline of this version from LIB
#                              (the Makefile rule builds LIB with -g -Og)
#
# Baselines: abi/<MAJOR.MINOR>/<multiarch triplet>/libpktdecode.so.1.xml,
# libabigail's abidw XML of the library restricted to the public headers.
# check compares the newest baseline with no tolerance at all: any
# difference, an added function included, fails, so every ABI change is a
# deliberate, reviewed update of the baseline (doc/abi.md).  Older baselines
# are compared with --no-added-syms: a later release may add functions,
# nothing else.
#
# abidiff's status is a bit set (abidiff(1)): 1 tool error, 2 usage error,
# 4 ABI change, 8 incompatible ABI change.  Any non-zero status fails,
# decoded in the message; 4 without 8 is not "harmless" here: libabigail
# reports some breaking changes (e.g. a struct that grows) with 4 alone.
#
# Environment: top_srcdir, top_builddir, CC, ABIDIFF, ABIDW (the Makefile
# rule sets them); PKTD_VERSION_MAJOR, PKTD_VERSION_MINOR for update.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${CC:=cc}" "${ABIDIFF:=abidiff}" "${ABIDW:=abidw}"
mode=${1:-}
lib=${2:-}
case $mode in check | update) ;; *)
    echo "usage: abi.sh check|update LIB" >&2
    exit 2
    ;;
esac
if [ ! -f "$lib" ]; then
    echo "abi.sh: $lib: no such library (build it first)" >&2
    exit 1
fi
tool=$ABIDIFF
[ "$mode" = update ] && tool=$ABIDW
if ! command -v "$tool" >/dev/null 2>&1; then
    echo "abi.sh: $tool not found: install abigail-tools (Debian: apt-get install abigail-tools)" >&2
    exit 1
fi
triplet=$($CC -print-multiarch 2>/dev/null)
[ -n "$triplet" ] || triplet=$($CC -dumpmachine)
# The types of the ABI: those declared in our headers and in the system
# headers they include (stdint.h, stddef.h).  Types defined anywhere else,
# the library's private structs behind the opaque handles, are not part of
# it.  The system directories matter: without them abidiff counts uint8_t
# and size_t as private too, and silently accepts a changed return or
# parameter type (verified with abigail-tools 2.2).
hdrs="$top_srcdir/include $top_builddir/include"
sys_hdrs=$(echo | $CC -E -Wp,-v -xc - 2>&1 | sed -n 's/^ \(\/[^ ]*\).*/\1/p')

decode() { # abidiff status -> words
    s=$1 words=
    [ $((s & 1)) -ne 0 ] && words="$words, tool error"
    [ $((s & 2)) -ne 0 ] && words="$words, usage error"
    [ $((s & 4)) -ne 0 ] && words="$words, ABI change"
    [ $((s & 8)) -ne 0 ] && words="$words, INCOMPATIBLE ABI change"
    echo "${words#, }"
}

if [ "$mode" = update ]; then
    ver=${PKTD_VERSION_MAJOR:?}.${PKTD_VERSION_MINOR:?}
    dir=$top_srcdir/abi/$ver/$triplet
    mkdir -p "$dir" || exit 1
    # Locations as bare file names and no build directory, so the file does
    # not depend on where the tree was built.
    # shellcheck disable=SC2046
    "$ABIDW" --annotate --no-corpus-path --short-locs --no-comp-dir-path \
        $(for h in $hdrs; do printf -- '--headers-dir %s ' "$h"; done) \
        --out-file "$dir/libpktdecode.so.1.xml" "$lib" || exit 1
    echo "wrote $dir/libpktdecode.so.1.xml ($("$ABIDW" --version 2>/dev/null))"
    exit 0
fi

baselines=$(ls -d "$top_srcdir"/abi/*/"$triplet"/libpktdecode.so.1.xml 2>/dev/null |
    sed 's|.*/abi/\([^/]*\)/.*|\1|' | sort -t. -k1,1n -k2,2n)
if [ -z "$baselines" ]; then
    echo "abi.sh: no ABI baseline for $triplet under $top_srcdir/abi (make update-abi-baseline on this architecture)" >&2
    exit 1
fi
newest=$(echo "$baselines" | tail -n 1)
echo "# $("$ABIDIFF" --version), library $lib, architecture $triplet"
status=0
for v in $baselines; do
    base=$top_srcdir/abi/$v/$triplet/libpktdecode.so.1.xml
    if [ "$v" = "$newest" ]; then
        how="exactly"
        set --
    else
        how="with additions allowed"
        set -- --no-added-syms
    fi
    # shellcheck disable=SC2046
    out=$("$ABIDIFF" --fail-no-debug-info "$@" \
        $(for h in $hdrs $sys_hdrs; do printf -- '--headers-dir2 %s ' "$h"; done) "$base" "$lib" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "ok - ABI matches the $v baseline $how"
    else
        echo "not ok - ABI differs from the $v baseline ($how): abidiff status $rc: $(decode $rc)"
        echo "$out" | sed 's/^/#   /'
        status=1
    fi
done
if [ $status -ne 0 ]; then
    echo "# An intended change (a new function in a new version node) needs a"
    echo "# reviewed baseline update: make update-abi-baseline (doc/abi.md)."
fi
exit $status
