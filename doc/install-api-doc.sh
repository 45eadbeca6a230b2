#!/bin/sh
# Installs or uninstalls the Doxygen API reference built in DIR (doc/api):
#   install-api-doc.sh install|uninstall DIR
# HTML: DIR/html/... into $htmldir/html.  man3: DIR/man/man3/*.3 into
# $man3dir; a header's page X.h.3 becomes pktdecode_X.h.3 (pktdecode.h.3
# keeps its name) and the one-line `.so` pages that point to it follow;
# doxygen's page for an internal struct tag (opaque_.3) is left out.
# Environment: DESTDIR htmldir man3dir INSTALL_DATA MKDIR_P (from make).
set -eu
mode=$1 dir=$2
html=$DESTDIR$htmldir/html
man3=$DESTDIR$man3dir

# The installed name of a page.
page_name() {
    case $1 in
    pktd_* | PKTD_* | pktdecode.h.3) echo "$1" ;;
    *.h.3) echo "pktdecode_$1" ;;
    *) echo "" ;;
    esac
}

case $mode in
install)
    $MKDIR_P "$html" "$man3"
    (cd "$dir/html" && find . -type d) | while read -r d; do $MKDIR_P "$html/$d"; done
    (cd "$dir/html" && find . -type f) | while read -r f; do
        $INSTALL_DATA "$dir/html/$f" "$html/$f"
    done
    tmp=$(mktemp "${TMPDIR:-/tmp}/pktd-man3.XXXXXX")
    trap 'rm -f "$tmp"' EXIT
    n=0
    for src in "$dir"/man/man3/*.3; do
        name=$(page_name "${src##*/}")
        [ -n "$name" ] || continue
        # `.so man3/ipv4.h.3` must name the installed page.
        sed 's|^\.so man3/\([a-z0-9_]*\.h\.3\)$|.so man3/pktdecode_\1|; s|^\.so man3/pktdecode_pktdecode\.h\.3$|.so man3/pktdecode.h.3|' \
            "$src" >"$tmp"
        $INSTALL_DATA "$tmp" "$man3/$name"
        n=$((n + 1))
    done
    echo "installed the API reference: $html, $n man3 pages in $man3"
    ;;
uninstall)
    rm -rf "$html"
    rm -f "$man3"/pktd_*.3 "$man3"/PKTD_*.3 "$man3"/pktdecode_*.h.3 "$man3"/pktdecode.h.3
    ;;
*)
    echo "usage: install-api-doc.sh install|uninstall DIR" >&2
    exit 2
    ;;
esac
