#!/bin/bash
# Fetch Debian's cloud kernel for the AF_ALG test VM into a cache directory
# and print the directory that holds vmlinuz, config and the crypto modules.
#
#   vm-setup.sh [CACHE_DIR]
#
# CACHE_DIR defaults to $PKTD_ALG_VM_CACHE, else ~/.cache/libpktdecode-vm.
# The kernel is the current dependency of linux-image-cloud-amd64, fetched
# with `apt-get download` (no installation: nothing touches /boot) and
# unpacked with dpkg-deb; only the kernel image, its config and the crypto
# modules are kept (about 15 MB).  PKTD_ALG_VM_KERNEL_DEB=/path/to.deb uses
# a local package instead.  On failure prints the reason on stderr and
# exits 1.
set -u
set -o pipefail

fail() {
    echo "$*" >&2
    exit 1
}

cache=${1:-${PKTD_ALG_VM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/libpktdecode-vm}}
mkdir -p "$cache" 2> /dev/null || fail "cannot create the kernel cache $cache"

deb=${PKTD_ALG_VM_KERNEL_DEB:-}
if [ -n "$deb" ]; then
    [ -f "$deb" ] || fail "PKTD_ALG_VM_KERNEL_DEB=$deb: no such file"
    pkg=$(basename "$deb" .deb)
else
    command -v apt-cache > /dev/null || fail "apt-cache not found: not a Debian system"
    pkg=$(apt-cache depends linux-image-cloud-amd64 2> /dev/null |
        awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$pkg" ] || fail "apt knows no linux-image-cloud-amd64 (run apt-get update on Debian)"
fi

dir=$cache/$pkg
if [ -f "$dir/ok" ]; then
    echo "$dir"
    exit 0
fi

tmp=$(mktemp -d "$cache/.fetch.XXXXXX") || fail "cannot write to $cache"
trap 'rm -rf "$tmp"' EXIT
if [ -z "$deb" ]; then
    # apt-get download writes into the current directory; as root it warns
    # that the _apt user cannot write there, which is harmless.
    (cd "$tmp" && apt-get download -q "$pkg" > download.log 2>&1) ||
        fail "apt-get download $pkg failed: $(tail -n 2 "$tmp/download.log" | tr '\n' ' ')"
    deb=$(ls "$tmp"/*.deb 2> /dev/null | head -n 1)
    [ -n "$deb" ] || fail "apt-get download $pkg produced no .deb"
fi
dpkg-deb -x "$deb" "$tmp/x" || fail "dpkg-deb -x $deb failed"

mkdir -p "$tmp/k/modules"
vmlinuz=$(ls "$tmp"/x/boot/vmlinuz-* 2> /dev/null | head -n 1)
config=$(ls "$tmp"/x/boot/config-* 2> /dev/null | head -n 1)
crypto=$(ls -d "$tmp"/x/lib/modules/*/kernel/crypto 2> /dev/null | head -n 1)
[ -n "$vmlinuz" ] && [ -n "$config" ] && [ -n "$crypto" ] ||
    fail "$pkg lacks boot/vmlinuz-*, boot/config-* or lib/modules/*/kernel/crypto"
cp "$vmlinuz" "$tmp/k/vmlinuz"
cp "$config" "$tmp/k/config"
cp "$crypto"/*.ko "$tmp/k/modules/" 2> /dev/null ||
    fail "$pkg has no uncompressed crypto modules"
echo "$pkg" > "$tmp/k/ok"
rm -rf "$dir"
mv "$tmp/k" "$dir" || fail "cannot move the kernel into $dir"
echo "$dir"
