#!/bin/sh
# The release tarball holds every file of the git tree that the project
# ships: `make distcheck` proves that what is in the tarball builds and
# passes its tests, not that nothing was forgotten (a test data file that no
# test of the tarball reads yet, a document, an example).  This compares the
# two lists.
#
#   dist-contents.sh TARBALL [SRCDIR]
#
# Files that belong to the repository only: .ci/ (CI scripts), .git*
# files, and the .gitkeep placeholders.  Exit 0 when nothing else is
# missing, 1 otherwise; 77 when SRCDIR is not a git checkout.
set -u
tarball=${1:?usage: dist-contents.sh TARBALL [SRCDIR]}
srcdir=${2:-.}
if ! git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "SKIP: $srcdir is not a git checkout"
    exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C
export LC_ALL
git -C "$srcdir" ls-files | grep -vE '^\.ci/|(^|/)\.git[a-z]*$|(^|/)\.gitkeep$' | sort >"$tmp/git"
case $tarball in
*.xz) tar -tJf "$tarball" ;;
*.gz) tar -tzf "$tarball" ;;
*) tar -tf "$tarball" ;;
esac | sed 's|^[^/]*/||; /\/$/d; /^$/d' | sort >"$tmp/dist" || exit 1
comm -23 "$tmp/git" "$tmp/dist" >"$tmp/missing"
n=$(wc -l <"$tmp/git")
if [ -s "$tmp/missing" ]; then
    echo "not ok - $(wc -l <"$tmp/missing") of $n files in git are not in $tarball; by directory:"
    sed 's|/[^/]*$||' "$tmp/missing" | uniq -c | sed 's/^/#   /'
    echo "# the first ones:"
    head -n 40 "$tmp/missing" | sed 's/^/#   /'
    exit 1
fi
echo "ok - all $n shipped files of the git tree are in $tarball"
