#!/bin/sh
# README's "Installing into a prefix", followed as written.
#
# Run by `make installcheck` after `make install` (so by `make distcheck`,
# which installs into a prefix of its own).  The README's block starts with
# the configure/make/install line, already done here; every line after it
# runs unchanged, with HOME a temporary directory whose "pktd" is the
# installed prefix and a working directory that holds the source tree's
# examples/ and tests/.  LD_LIBRARY_PATH is unset, as for a new user.
#
# Environment (set by the installcheck-local rule): DESTDIR (may be empty),
# prefix, top_srcdir, CC.  Exit 0 when the block runs and prints what it
# should, 1 otherwise; not run (exit 0, with a note) under DESTDIR, where
# the files are not at the prefix they were configured for.
set -u
: "${DESTDIR:=}" "${CC:=cc}"
if [ -n "$DESTDIR" ]; then
    echo "# prefix.sh: staged install (DESTDIR=$DESTDIR): README's prefix block not run (make distcheck runs it)"
    exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pktd-prefix.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
readme=$top_srcdir/README

# The block: from the configure line to the next blank line, unindented.
sed -n '/^    \.\/configure --prefix="\$HOME\/pktd"/,/^$/p' "$readme" | sed 's/^    //' >"$tmp/block"
first=$(head -n 1 "$tmp/block")
case $first in
'./configure --prefix="$HOME/pktd" && make -j"$(nproc)" && make install') ;;
*) echo "not ok - README has no prefix block starting with ./configure --prefix=\"\$HOME/pktd\" (found: '$first')"; exit 1 ;;
esac
sed '1d' "$tmp/block" >"$tmp/rest.sh"
if ! [ -s "$tmp/rest.sh" ] || ! grep -q five_tuple "$tmp/rest.sh"; then
    echo "not ok - README's prefix block has no commands after the install line"
    exit 1
fi
echo "# README's commands after the install line:"
sed 's/^/#   /' "$tmp/rest.sh"

mkdir "$tmp/home" "$tmp/work"
ln -s "$prefix" "$tmp/home/pktd"
ln -s "$top_srcdir/examples" "$tmp/work/examples"
ln -s "$top_srcdir/tests" "$tmp/work/tests"
out=$(cd "$tmp/work" && env -u LD_LIBRARY_PATH -u PKG_CONFIG_PATH HOME="$tmp/home" CC="$CC" \
    sh -e "$tmp/rest.sh" 2>&1)
rc=$?
echo "$out" | sed 's/^/#   /'
fails=0
if [ $rc -ne 0 ]; then
    echo "not ok - README's prefix block exits $rc"
    fails=1
fi
case $out in
*"1 22:13:20.000000000 ARP, Request who-has 10.0.0.2 tell 10.0.0.1"*)
    echo "ok - installed pktd-decode runs from PATH, without LD_LIBRARY_PATH" ;;
*) echo "not ok - installed pktd-decode did not print the sample's first packet"; fails=1 ;;
esac
case $out in
*"5 tcp 10.0.0.1:40000 -> 10.0.0.2:80"*)
    echo "ok - five_tuple built with pkg-config and -rpath runs without LD_LIBRARY_PATH" ;;
*) echo "not ok - five_tuple built as the README says did not print the first 5-tuple"; fails=1 ;;
esac
exit $fails
