#!/bin/sh
# Install test: what a downstream project sees after `make install`.
#
# Run by `make installcheck` (so also by `make distcheck`) after the library
# was installed under $DESTDIR$prefix.  Using nothing but pkg-config pointed
# at that installation it
#   - checks the pkg-config module (version, flags),
#   - compiles every installed header on its own, as C99 (pedantic) and C++,
#   - builds tests/release/downstream.c shared and static and runs both,
#     checking which library each one actually uses,
#   - compares the packet count with the installed pktd-decode,
#   - checks that every installed program has a man page that renders
#     without a warning,
#   - imports the installed Python package with the python3 configure chose
#     (not the build tree's copy) and decodes a file with an installed
#     example.
#
# Environment (set by the installcheck-local rule): DESTDIR (may be empty),
# bindir libdir includedir pkgconfigdir mandir PACKAGE_VERSION top_srcdir,
# CC and CXX (optional), PYTHON pythondir docdir (the Python package and
# examples; PYTHON ":" when configure found no python3).  Exit 0 when everything passed, 1 otherwise.
set -u

: "${DESTDIR:=}" "${CC:=cc}" "${CXX:=}"
for v in bindir libdir includedir pkgconfigdir mandir PACKAGE_VERSION top_srcdir; do
    eval "val=\${$v:-}"
    if [ -z "$val" ]; then
        echo "installcheck: $v is not set" >&2
        exit 1
    fi
done

fails=0
pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; fails=$((fails + 1)); }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktd-installcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

LIB=$DESTDIR$libdir
BIN=$DESTDIR$bindir
sample=$top_srcdir/tests/data/sample.pcap

# pkg-config finds our module first; with DESTDIR the .pc file still names
# the final prefix, so the sysroot variable maps -I/-L into $DESTDIR (the
# standard staging-install setup).  Other modules (Requires.private) still
# come from the system search path.
PKG_CONFIG_PATH=$DESTDIR$pkgconfigdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PKG_CONFIG_PATH
if [ -n "$DESTDIR" ]; then
    PKG_CONFIG_SYSROOT_DIR=$DESTDIR
    export PKG_CONFIG_SYSROOT_DIR
fi
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

# ---- the pkg-config module --------------------------------------------------
modversion=$($PKG_CONFIG --modversion libpktdecode 2>&1)
if [ "$modversion" = "$PACKAGE_VERSION" ]; then
    pass "pkg-config --modversion libpktdecode = $modversion"
else
    fail "pkg-config --modversion libpktdecode: expected $PACKAGE_VERSION, got '$modversion'"
    exit 1
fi
cflags=$($PKG_CONFIG --cflags libpktdecode)
libs=$($PKG_CONFIG --libs libpktdecode)
slibs=$($PKG_CONFIG --libs --static libpktdecode)
echo "# cflags: $cflags"
echo "# libs: $libs"
echo "# libs --static: $slibs"
case " $cflags " in
*" -I$DESTDIR$includedir "*) pass "cflags point at the installed headers" ;;
*) case "$cflags" in
   "") [ "$includedir" = /usr/include ] && pass "cflags empty for /usr/include" ||
         fail "cflags empty but includedir is $includedir" ;;
   *) fail "cflags '$cflags' do not name $DESTDIR$includedir" ;;
   esac ;;
esac

# ---- the installed files ----------------------------------------------------
soname=$(readelf -d "$LIB/libpktdecode.so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = libpktdecode.so.1 ] && [ -e "$LIB/libpktdecode.so.1" ]; then
    pass "installed libpktdecode.so with soname $soname"
else
    fail "soname of $LIB/libpktdecode.so is '$soname', or libpktdecode.so.1 is missing"
fi
if [ -f "$LIB/libpktdecode.a" ]; then
    pass "installed libpktdecode.a"
else
    fail "no static library $LIB/libpktdecode.a"
fi

# ---- every public header stands alone, in C99 and in C++ --------------------
hdr_ok=0
hdr_bad=""
for h in "$DESTDIR$includedir"/pktdecode.h "$DESTDIR$includedir"/pktdecode/*.h; do
    name=${h#"$DESTDIR$includedir"/}
    # (the declaration keeps a macro-only header from being an empty unit)
    printf '#include <%s>\ntypedef int installcheck_unit;\n' "$name" >"$tmp/h.c"
    # shellcheck disable=SC2086
    if $CC -std=c99 -pedantic-errors -Wall -Wextra -Wstrict-prototypes -Werror $cflags \
        -fsyntax-only "$tmp/h.c" 2>"$tmp/h.err"; then
        hdr_ok=$((hdr_ok + 1))
    else
        hdr_bad="$hdr_bad $name"
        sed 's/^/#   /' "$tmp/h.err"
    fi
done
if [ -z "$hdr_bad" ]; then
    pass "$hdr_ok installed headers compile alone (C99, -pedantic-errors)"
else
    fail "headers that do not compile alone:$hdr_bad"
fi

if [ -z "$CXX" ] && command -v c++ >/dev/null 2>&1; then CXX=c++; fi
if [ -n "$CXX" ] && command -v "${CXX%% *}" >/dev/null 2>&1; then
    cat >"$tmp/cxx.cc" <<'EOF'
#include <pktdecode.h>
#include <cstdio>
int main()
{
    pktd_packet p;
    static const uint8_t frame[60] = {0};
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, frame, sizeof frame);
    std::printf("%s %s\n", pktd_version_string(), pktd_err_name(rc));
    return pktd_packet_size() == sizeof p ? 0 : 1;
}
EOF
    # shellcheck disable=SC2086
    if $CXX -Wall -Wextra -pedantic -Werror $cflags "$tmp/cxx.cc" -o "$tmp/cxx" $libs 2>"$tmp/cxx.err" &&
        out=$(LD_LIBRARY_PATH=$LIB "$tmp/cxx" 2>&1); then
        pass "C++ program links and runs ($out)"
    else
        sed 's/^/#   /' "$tmp/cxx.err"
        fail "C++ program against <pktdecode.h>"
    fi
else
    echo "# no C++ compiler: C++ check not run"
fi

# ---- the downstream program, shared ----------------------------------------
src=$top_srcdir/tests/release/downstream.c
# shellcheck disable=SC2086
if $CC -std=c99 -pedantic-errors -Wall -Wextra -Werror $cflags "$src" -o "$tmp/ds-shared" $libs 2>"$tmp/cc.err"; then
    pass "downstream.c builds with pkg-config --cflags --libs"
else
    sed 's/^/#   /' "$tmp/cc.err"
    fail "downstream.c does not build with pkg-config --cflags --libs"
fi
shared_out=
if [ -x "$tmp/ds-shared" ]; then
    if readelf -d "$tmp/ds-shared" | grep -q 'NEEDED.*\[libpktdecode\.so\.1\]'; then
        pass "shared program needs libpktdecode.so.1"
    else
        fail "shared program does not record NEEDED libpktdecode.so.1"
    fi
    # Which file the dynamic loader really picks (the installed one, not
    # some other copy on the system).
    loaded=$(LD_LIBRARY_PATH=$LIB LD_TRACE_LOADED_OBJECTS=1 "$tmp/ds-shared" |
        sed -n 's/.*libpktdecode\.so\.1 => \([^ ]*\).*/\1/p')
    if [ "$(readlink -f "$loaded")" = "$(readlink -f "$LIB/libpktdecode.so.1")" ]; then
        pass "shared program loads $LIB/libpktdecode.so.1"
    else
        fail "shared program loads '$loaded', not $LIB/libpktdecode.so.1"
    fi
    if shared_out=$(LD_LIBRARY_PATH=$LIB "$tmp/ds-shared" "$modversion" "$sample"); then
        pass "shared program runs: $shared_out"
    else
        fail "shared program failed: $shared_out"
    fi
fi

# ---- the downstream program, static ----------------------------------------
# -Bstatic around pkg-config's --static libs: libpktdecode.a and every
# private dependency it lists come from archives, libc stays shared.  A
# missing Libs.private entry shows up here as an undefined reference.
# shellcheck disable=SC2086
if $CC -std=c99 -pedantic-errors -Wall -Wextra -Werror $($PKG_CONFIG --cflags --static libpktdecode) \
    "$src" -o "$tmp/ds-static" -Wl,-Bstatic $slibs -Wl,-Bdynamic 2>"$tmp/cc.err"; then
    pass "downstream.c builds with pkg-config --cflags --libs --static"
else
    sed 's/^/#   /' "$tmp/cc.err"
    fail "downstream.c does not build with pkg-config --static"
fi
if [ -x "$tmp/ds-static" ]; then
    if readelf -d "$tmp/ds-static" | grep -q 'NEEDED.*libpktdecode'; then
        fail "static program still needs libpktdecode.so"
    else
        pass "static program has libpktdecode linked in"
    fi
    # No LD_LIBRARY_PATH: it must not need the installed .so at all.
    if static_out=$("$tmp/ds-static" "$modversion" "$sample"); then
        pass "static program runs: $static_out"
    else
        fail "static program failed: $static_out"
    fi
    if [ -n "$shared_out" ] && [ "$static_out" = "$shared_out" ]; then
        pass "shared and static programs agree"
    else
        fail "shared and static output differ: '$shared_out' vs '$static_out'"
    fi
fi

# ---- the installed pktd-decode agrees on the packet count ------------------
if [ -x "$BIN/pktd-decode" ]; then
    n=$(LD_LIBRARY_PATH=$LIB "$BIN/pktd-decode" -j "$sample" | wc -l)
    case "$shared_out" in
    *" packets=$n "*) pass "installed pktd-decode sees the same $n packets" ;;
    *) fail "installed pktd-decode printed $n records, downstream said '$shared_out'" ;;
    esac
else
    fail "pktd-decode not installed in $BIN"
fi

# ---- the documentation's examples build and run as shown --------------------
# The walk-through of the API reference's main page (doc/mainpage.md).
walk=
sed -n '/^```c$/,/^```$/p' "$top_srcdir/doc/mainpage.md" | sed '1d;$d' >"$tmp/walk.c"
# shellcheck disable=SC2086
if [ -s "$tmp/walk.c" ] &&
    $CC -std=c99 -Wall -Werror $cflags "$tmp/walk.c" -o "$tmp/walk" $libs 2>"$tmp/cc.err" &&
    walk=$(LD_LIBRARY_PATH=$LIB "$tmp/walk" "$sample") &&
    case "$shared_out" in *" tcp=$(echo "$walk" | grep -c ' -> ') "*) true ;; *) false ;; esac; then
    pass "doc/mainpage.md walk-through builds and prints the $(echo "$walk" | wc -l) TCP packets"
else
    sed 's/^/#   /' "$tmp/cc.err"
    fail "doc/mainpage.md walk-through (output: $(echo "$walk" | head -n 3 | tr '\n' '|'))"
fi

# ---- the Python package, where the system's python3 imports it -------------
# PYTHON is the interpreter configure chose (/usr/bin/python3 by default) and
# pythondir where `make install` put the package; ":" when there was none.
PYTHON=${PYTHON:-:}
if [ "$PYTHON" = : ] || ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "# no python3 found by configure: the Python package is not installed, not checked"
else
    PYDIR=$DESTDIR${pythondir:?}
    EXDIR=$DESTDIR${docdir:?}/examples/python
    if [ -f "$PYDIR/pktdecode/__init__.py" ] && [ -f "$PYDIR/pktdecode/_config.py" ]; then
        pass "Python package installed in $PYDIR/pktdecode"
    else
        fail "no Python package in $PYDIR/pktdecode (__init__.py, _config.py)"
    fi
    # Installed into the final place (no DESTDIR) under a prefix whose
    # directory the interpreter reads (Debian: /usr/local/lib/python3.X/
    # dist-packages): it must import with no PYTHONPATH at all.  Otherwise
    # (a staged install, a private prefix) PYTHONPATH names the directory.
    # With DESTDIR the library is not at $libdir yet: PKTDECODE_LIB names
    # the staged one; without, the package must find $libdir's by itself.
    pyenv="env -u PKTDECODE_LIB -u PYTHONPATH -u LD_LIBRARY_PATH"
    if [ -n "$DESTDIR" ]; then
        pyenv="$pyenv PYTHONPATH=$PYDIR PKTDECODE_LIB=$LIB/libpktdecode.so.1"
    elif "$PYTHON" -c "import sys; sys.exit('$pythondir' not in sys.path)"; then
        pass "$pythondir is on $PYTHON's default sys.path"
    else
        echo "# $pythondir is not on $PYTHON's default path (a prefix it does not read): PYTHONPATH used"
        pyenv="$pyenv PYTHONPATH=$PYDIR"
    fi
    # Run from an empty directory so that nothing of the source tree is
    # imported by accident.
    mkdir "$tmp/py" || exit 1
    # shellcheck disable=SC2086
    out=$(cd "$tmp/py" && $pyenv "$PYTHON" -c '
import os, sys, pktdecode as P, pktdecode._config as C
maps = open("/proc/self/maps").read().split()
lib = [m for m in maps if "/libpktdecode.so." in m]
print(os.path.realpath(P.__file__), C.LIBDIR, P.version_string(), os.path.realpath(lib[0]) if lib else "?", len(P.MISSING))
' 2>&1)
    want="$(readlink -f "$PYDIR/pktdecode/__init__.py") $libdir $modversion $(readlink -f "$LIB/libpktdecode.so.1") 0"
    if [ "$out" = "$want" ]; then
        pass "$PYTHON imports the installed package; it loads $LIB/libpktdecode.so.1 (LIBDIR $libdir), every function bound"
    else
        fail "installed Python package: got '$out', expected '$want'"
    fi
    # Outside an installation (no _config.py) the module falls back to the
    # soname through the dynamic loader.
    mkdir -p "$tmp/bare/pktdecode" && cp "$PYDIR/pktdecode/__init__.py" "$tmp/bare/pktdecode/" || exit 1
    out=$(cd "$tmp/py" && env -u PKTDECODE_LIB LD_LIBRARY_PATH="$LIB" PYTHONPATH="$tmp/bare" "$PYTHON" -c '
import os, pktdecode as P
lib = [m for m in open("/proc/self/maps").read().split() if "/libpktdecode.so." in m]
print(os.path.realpath(lib[0]) if lib else "?", len(P.MISSING))
' 2>&1)
    if [ "$out" = "$(readlink -f "$LIB/libpktdecode.so.1") 0" ]; then
        pass "the module without _config.py loads libpktdecode.so.1 by its soname"
    else
        fail "the module without _config.py, LD_LIBRARY_PATH=$LIB: '$out'"
    fi
    # An installed example decodes a file with the installed package.
    n=$(LD_LIBRARY_PATH=$LIB "$BIN/pktd-decode" -j "$sample" | grep -c '"ipv4":')
    # shellcheck disable=SC2086
    out=$(cd "$tmp/py" && $pyenv "$PYTHON" "$EXDIR/pktd_pcap_ips.py" "$sample" 2>&1)
    if [ "$(echo "$out" | head -n 1)" = "3 10.0.0.1 -> 10.0.0.2" ] && [ "$(echo "$out" | wc -l)" = "$n" ]; then
        pass "installed example pktd_pcap_ips.py prints the $n IPv4 packets of sample.pcap"
    else
        fail "installed pktd_pcap_ips.py: '$(echo "$out" | head -n 3 | tr '\n' '|')' ($n IPv4 packets expected)"
    fi
    for ex in pktd_sniff_ip.py pktd_sniff_tcp.py pktd_sniff_arp.py _sniff.py pktd_sha256.py pktd_aes_cbc.py; do
        [ -x "$EXDIR/$ex" ] || [ "$ex" = _sniff.py ] && [ -f "$EXDIR/$ex" ] ||
            fail "example $ex not installed (executable) in $EXDIR"
    done
    # The README's Python example, run as printed (from the source tree,
    # whose tests/data it names) with the installed package: the script's
    # own directory, not the current one, is on sys.path.
    # (the first such block: a second one shows the columns.)
    sed -n '/^    import pktdecode/,/^$/{p;/^$/q;}' "$top_srcdir/README" | sed 's/^    //' >"$tmp/readme.py"
    # shellcheck disable=SC2086
    out=$(cd "$top_srcdir" && $pyenv "$PYTHON" "$tmp/readme.py" 2>&1)
    if [ -s "$tmp/readme.py" ] && [ "$(echo "$out" | head -n 1)" = "10.0.0.1 40000 -> 10.0.0.2 80" ] &&
        case "$shared_out" in *" tcp=$(echo "$out" | wc -l) "*) true ;; *) false ;; esac; then
        pass "README's Python example prints the $(echo "$out" | wc -l) TCP packets"
    else
        fail "README's Python example: '$out'"
    fi
fi

# ---- every installed program has a man page, and it renders cleanly ---------
nprog=0
for prog in "$BIN"/pktd-*; do
    [ -e "$prog" ] || continue
    name=${prog##*/}
    page=$DESTDIR$mandir/man1/$name.1
    nprog=$((nprog + 1))
    if [ ! -f "$page" ]; then
        fail "no man page for $name ($page)"
        continue
    fi
    # groff -ww: every warning; the page must produce none.
    warn=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
    if [ -n "$warn" ]; then
        fail "man page $name.1 has warnings: $warn"
    elif ! grep -qi "^\.TH \"\?$name\"\? " "$page"; then
        fail "man page $name.1 has no .TH for $name"
    else
        pass "man page $name.1 installed and renders without warnings"
    fi
    # Every option the program's own usage text shows is in its page.
    opts=$(LD_LIBRARY_PATH=$LIB "$prog" -h 2>&1 </dev/null |
        grep -oE '(^|[][ |])-[A-Za-z]+' | sed 's/^[][ |]//' | sort -u)
    undocumented=
    for o in $opts; do
        grep -qE -- "\\\\$o([^A-Za-z]|\$)" "$page" || undocumented="$undocumented $o"
    done
    if [ -n "$opts" ] && [ -z "$undocumented" ]; then
        pass "man page $name.1 documents every option of its usage text:" $opts
    elif [ -z "$opts" ]; then
        fail "$name -h shows no options to compare with its man page"
    else
        fail "man page $name.1 misses options of its usage text:$undocumented"
    fi
done
[ "$nprog" -gt 0 ] || fail "no pktd-* program installed in $BIN"
for page in "$DESTDIR$mandir"/man1/pktd-*.1; do
    [ -e "$page" ] || continue
    name=${page##*/}
    [ -e "$BIN/${name%.1}" ] || fail "man page $name installed for a program that is not"
done

# ---- the API reference: HTML and man3 (when configure built it) ------------
if [ "${api_doc:-0}" = 1 ]; then
    html=$DESTDIR${htmldir:?}/html
    if [ -f "$html/index.html" ] && [ -f "$html/packet_8h.html" ]; then
        pass "API reference installed as HTML in $html"
    else
        fail "no API reference HTML in $html"
    fi
    # A function's page is a link to its header's page, which must exist
    # and render.
    man3=$DESTDIR$mandir/man3
    page=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou -I "$DESTDIR$mandir" "$man3/pktd_decode.3" 2>&1)
    case $page in
    *"pktdecode/packet.h"*"pktd_decode"*)
        pass "man3: pktd_decode.3 leads to pktdecode/packet.h's page ($(ls "$man3" | wc -l) pages)" ;;
    *) fail "man3: pktd_decode.3 missing or does not render: $(echo "$page" | head -n 3 | tr '\n' '|')" ;;
    esac
    for h in "$DESTDIR$includedir"/pktdecode/*.h; do
        [ -f "$man3/pktdecode_${h##*/}.3" ] || fail "man3: no page pktdecode_${h##*/}.3 for <pktdecode/${h##*/}>"
    done
else
    echo "# API reference not built (no doxygen or --disable-doxygen-doc): not checked"
fi

echo "# installcheck: $fails failure(s)"
[ "$fails" -eq 0 ]
