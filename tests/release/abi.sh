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

# Every numeric macro and enum constant of the public headers, "NAME VALUE"
# per line: abidiff cannot see them (they appear in no function's type), so
# their values are kept in abi/<MAJOR.MINOR>/constants.txt and compared here.
constants() {
    ctmp=$(mktemp -d) || return 1
    inc="-I$top_builddir/include -I$top_srcdir/include"
    # shellcheck disable=SC2086
    $CC -E -dM $inc "$top_srcdir/include/pktdecode.h" |
        awk '$1 == "#define" && $2 ~ /^PKTD_[A-Z0-9_]*[A-Z0-9]$/ && $2 !~ /^PKTD_VERSION_/ {
                 body = $0; sub(/^#define[ \t]+[A-Z0-9_]+[ \t]*/, "", body)
                 if (body ~ /"/ || body ~ /__attribute__/) next
                 if (body ~ /[0-9]/ || body ~ /^[A-Z0-9_]+_MAX$/) print $2 }' >"$ctmp/names"
    # shellcheck disable=SC2086
    $CC -E $inc "$top_srcdir/include/pktdecode.h" | tr '\n' ' ' |
        grep -oE 'enum [a-z_]* *\{[^}]*\}' | grep -oE '[{,] *PKTD_[A-Z0-9_]*[A-Z0-9]\b' |
        sed 's/^[{,] *//' >>"$ctmp/names"
    {
        cat <<'EOF'
#include <pktdecode.h>
#include <stdio.h>
#define P(n) printf("%s %s%llu\n", #n, (n) < 0 ? "-" : "", \
                    (n) < 0 ? 0ULL - (unsigned long long)(n) : (unsigned long long)(n))
int main(void)
{
EOF
        sort -u "$ctmp/names" | sed 's/.*/    P(&);/'
        printf '    return 0;\n}\n'
    } >"$ctmp/c.c"
    # shellcheck disable=SC2086
    $CC -w $inc "$ctmp/c.c" -o "$ctmp/c" && "$ctmp/c" | LC_ALL=C sort
    rc=$?
    rm -rf "$ctmp"
    return $rc
}

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
    # not depend on where the tree was built.  The locations must stay:
    # without them (--no-show-locs) abidiff --headers-dir2 can no longer
    # tell public types from private ones and accepts a pktd_packet that
    # grows (checked with abigail-tools 2.2).  Line numbers change when the
    # sources do, so regenerating an unchanged ABI may still rewrite them.
    # shellcheck disable=SC2046
    "$ABIDW" --annotate --no-corpus-path --short-locs --no-comp-dir-path \
        $(for h in $hdrs; do printf -- '--headers-dir %s ' "$h"; done) \
        --out-file "$dir/libpktdecode.so.1.xml" "$lib" || exit 1
    echo "wrote $dir/libpktdecode.so.1.xml ($("$ABIDW" --version 2>/dev/null))"
    constants >"$top_srcdir/abi/$ver/constants.txt" || exit 1
    echo "wrote $top_srcdir/abi/$ver/constants.txt ($(wc -l <"$top_srcdir/abi/$ver/constants.txt") constants)"
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
# The constants: the newest list exactly, older ones as a subset.
ctmp2=$(mktemp -d) || exit 1
if ! constants >"$ctmp2/now"; then
    echo "not ok - cannot list the constants of the headers"
    status=1
fi
for v in $baselines; do
    list=$top_srcdir/abi/$v/constants.txt
    if [ ! -f "$list" ]; then
        echo "not ok - $list missing"
        status=1
        continue
    fi
    if [ "$v" = "$newest" ]; then
        if cmp -s "$list" "$ctmp2/now"; then
            echo "ok - the $(wc -l <"$list") constants equal the $v list"
        else
            echo "not ok - constants differ from the $v list (< $v, > now):"
            diff "$list" "$ctmp2/now" | grep '^[<>]' | sed 's/^/#   /'
            status=1
        fi
    else
        LC_ALL=C comm -23 "$list" "$ctmp2/now" >"$ctmp2/gone"
        if [ -s "$ctmp2/gone" ]; then
            echo "not ok - constants of $v changed or removed (their $v values):"
            sed 's/^/#   /' "$ctmp2/gone"
            status=1
        else
            echo "ok - every constant of $v keeps its value"
        fi
    fi
done
rm -rf "$ctmp2"
if [ $status -ne 0 ]; then
    echo "# An intended change (a new function in a new version node) needs a"
    echo "# reviewed baseline update: make update-abi-baseline (doc/abi.md)."
fi
exit $status
