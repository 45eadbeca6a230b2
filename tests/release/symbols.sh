#!/bin/sh
# The exported symbols of the built libpktdecode.so.1, with binutils only.
#
# - The defined dynamic symbols (nm -D --defined-only) are exactly those of
#   lib/libpktdecode.sym, each with the version recorded there
#   (name@@PKTDECODE_1.x, one per line), and exactly the names the version
#   script lib/libpktdecode.map lists, in the same version node.
# - Every pktd_ symbol is the default version (@@) of a PKTDECODE_1.x node
#   (readelf --dyn-syms), a function, never a variable (a variable's size
#   would be frozen into every program that uses it).
# - Nothing but pktd_* and the version nodes themselves is exported.
# - The soname is libpktdecode.so.1.
#
# After an intended change (a new function in a new node, doc/abi.md):
# `make update-abi-baseline` rewrites lib/libpktdecode.sym.
set -u
LC_ALL=C
export LC_ALL
: "${top_srcdir:=.}" "${top_builddir:=.}"
lib=$top_builddir/lib/.libs/libpktdecode.so.1
sym=$top_srcdir/lib/libpktdecode.sym
map=$top_srcdir/lib/libpktdecode.map
for t in nm readelf; do
    command -v $t >/dev/null 2>&1 || { echo "SKIP: $t (binutils) not found"; exit 77; }
done
[ -f "$lib" ] || { echo "not ok - $lib not built"; exit 1; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; fails=$((fails + 1)); }
show() { sed 's/^/#   /' "$1"; }

# nm: every defined dynamic symbol, versioned (binutils >= 2.35 prints @@).
nm -D --defined-only "$lib" | awk '{ print $2, $3 }' >"$tmp/nm"
# The version nodes appear as absolute symbols named after the node.
grep -v '^A PKTDECODE_1\.[0-9][0-9]*$' "$tmp/nm" >"$tmp/exported"
awk '{ print $2 }' "$tmp/exported" | sort >"$tmp/names.nm"
if grep -v '^[Ti] pktd_' "$tmp/exported" >"$tmp/other"; then
    fail "only pktd_* functions are exported; also:"
    show "$tmp/other"
else
    pass "only pktd_* functions are exported ($(wc -l <"$tmp/exported") symbols)"
fi

# readelf: the same symbols with their versions, for the committed list.
readelf --dyn-syms -W "$lib" |
    awk '$7 != "UND" && $8 ~ /^pktd_/ { print $8, $4 }' | sort >"$tmp/readelf"
awk '{ print $1 }' "$tmp/readelf" >"$tmp/names.readelf"
if grep -v '^pktd_[a-z0-9_]*@@PKTDECODE_1\.[0-9][0-9]* FUNC$' "$tmp/readelf" >"$tmp/bad"; then
    fail "every pktd_ symbol is a FUNC carrying @@PKTDECODE_1.x; not these:"
    show "$tmp/bad"
else
    pass "every pktd_ symbol is a function with a default PKTDECODE_1.x version"
fi
if cmp -s "$tmp/names.nm" "$tmp/names.readelf"; then
    pass "nm -D and readelf --dyn-syms agree"
else
    fail "nm -D and readelf --dyn-syms disagree:"
    diff "$tmp/names.nm" "$tmp/names.readelf" | sed 's/^/#   /'
fi

# The committed list.
grep -v '^#' "$sym" | sed '/^$/d' | sort >"$tmp/sym"
if cmp -s "$tmp/names.readelf" "$tmp/sym"; then
    pass "exported symbols and versions = lib/libpktdecode.sym ($(wc -l <"$tmp/sym"))"
else
    fail "exported symbols differ from lib/libpktdecode.sym (< committed, > built):"
    diff "$tmp/sym" "$tmp/names.readelf" | grep '^[<>]' | sed 's/^/#   /'
fi

# The version script: names by node, as the linker was told.
awk '
    /^[ \t]*PKTDECODE_1\.[0-9]+[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); next }
    /^[ \t]*local:/ { node = "" }
    node != "" && /^[ \t]*pktd_[a-z0-9_]*;/ { s = $1; sub(/;.*/, "", s); print s "@@" node }
' "$map" | sort >"$tmp/map"
if cmp -s "$tmp/map" "$tmp/sym"; then
    pass "lib/libpktdecode.map lists the same symbols in the same nodes"
else
    fail "lib/libpktdecode.map and lib/libpktdecode.sym differ (< map, > sym):"
    diff "$tmp/map" "$tmp/sym" | grep '^[<>]' | sed 's/^/#   /'
fi

soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = libpktdecode.so.1 ]; then
    pass "soname $soname"
else
    fail "soname is '$soname', not libpktdecode.so.1"
fi

[ "$fails" -eq 0 ]
