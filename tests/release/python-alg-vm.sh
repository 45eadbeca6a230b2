#!/bin/bash
# The Python binding's AF_ALG wrappers against a kernel that has AF_ALG:
# boot Debian's cloud kernel (fetched by tests/alg/vm-setup.sh, as the
# AF_ALG tests do) in qemu with an initramfs holding busybox, Debian's
# python3 with its standard library, the built libpktdecode.so.1,
# the package examples/python/pktdecode, the AF_ALG examples, and
# tests/release/python-alg.py and python-alg-examples.py, and run those
# tests inside.  Its "ok"/"not ok" lines come back on the serial console.
#
# Exits 77 (SKIP) only when the machine cannot run the VM: not x86_64, no
# qemu-system-x86_64, no static busybox, no /usr/bin/python3, or no kernel
# (vm-setup.sh says why).  Environment as tests/alg/vm.tap:
# PKTD_ALG_VM_CACHE, PKTD_ALG_VM_KERNEL_DEB, PKTD_ALG_VM_ACCEL (default tcg),
# PKTD_ALG_VM_TIMEOUT (seconds, default 600).
set -u
srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-$PWD}

skip() {
    echo "SKIP: $*"
    exit 77
}
[ "$(uname -m)" = x86_64 ] || skip "the VM runs Debian's cloud-amd64 kernel: needs an x86_64 host"
qemu=$(command -v qemu-system-x86_64) || skip "qemu-system-x86_64 not found (Debian: qemu-system-x86)"
busybox=$(command -v busybox || echo /bin/busybox)
[ -x "$busybox" ] || skip "busybox not found (Debian: busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && skip "$busybox is dynamically linked; the VM needs a static one"
python=$(readlink -f /usr/bin/python3 2>/dev/null) && [ -x "$python" ] ||
    skip "/usr/bin/python3 not found (Debian: python3)"
for t in cpio gzip ldd; do
    command -v $t >/dev/null || skip "$t not found"
done
mkdir -p "$builddir/tests/release"
kdir=$(bash "$srcdir/tests/alg/vm-setup.sh" 2>"$builddir/tests/release/python-alg-vm.err") ||
    skip "no kernel for the VM: $(cat "$builddir/tests/release/python-alg-vm.err")"
lib=$(readlink -f "$builddir/lib/.libs/libpktdecode.so.1") && [ -f "$lib" ] || {
    echo "not ok - $builddir/lib/.libs/libpktdecode.so.1 is not built"
    exit 1
}

work=$builddir/tests/release/python-alg-vm.d
root=$work/root
rm -rf "$work"
mkdir -p "$root"/{bin,lib/pktd,modules,py,proc,sys,dev,tmp} || exit 1
cp "$busybox" "$root/bin/busybox" || exit 1

# Copy a file with the shared libraries ldd lists for it, at their paths.
copy_with_libs() { # file destination
    local l
    mkdir -p "$(dirname "$2")" && cp -L "$1" "$2" || return 1
    for l in $(ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
        [ -e "$root$l" ] || { mkdir -p "$root$(dirname "$l")" && cp -L "$l" "$root$l"; } || return 1
    done
}
copy_with_libs "$python" "$root/usr/bin/python3" || exit 1
copy_with_libs "$lib" "$root/lib/pktd/libpktdecode.so.1" || exit 1
# The standard library, without what a test never imports.
stdlib=$("$python" -S -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
(cd "$(dirname "$stdlib")" &&
    tar cf - --exclude=test --exclude=idlelib --exclude=tkinter --exclude=turtledemo \
        --exclude=ensurepip --exclude=lib2to3 --exclude=pydoc_data --exclude=site-packages \
        --exclude=dist-packages --exclude=config-\* "$(basename "$stdlib")") |
    (mkdir -p "$root$(dirname "$stdlib")" && cd "$root$(dirname "$stdlib")" && tar xf -) || exit 1
for so in "$root$stdlib"/lib-dynload/*.so; do
    copy_with_libs "${so#"$root"}" "$so" || exit 1
done
mkdir -p "$root/py/pktdecode" && cp "$srcdir/examples/python/pktdecode/__init__.py" "$root/py/pktdecode/" &&
    cp "$srcdir/tests/release/python-alg.py" "$srcdir/tests/release/python-alg-examples.py" \
        "$srcdir/examples/python/pktd_sha256.py" "$srcdir/examples/python/pktd_aes_cbc.py" "$root/py/" || exit 1
# A --enable-sanitizers library needs the ASan runtime loaded first into the
# uninstrumented python3 (as configure arranges on the host); copy_with_libs
# already put the runtime at its path in the tree.
asan=$(ldd "$lib" 2>/dev/null | awk '$1 ~ /^libasan/ && $3 ~ /^\// { print $3 }')
if [ -n "$asan" ]; then
    echo "export LD_PRELOAD=$asan ASAN_OPTIONS=detect_leaks=0" >"$root/py/env"
else
    : >"$root/py/env"
fi

# AF_ALG and the templates the test binds, where the kernel has them as
# modules (built-in ones need nothing).
: >"$root/modules/list"
while read -r mod sym; do
    if grep -q "^$sym=m" "$kdir/config"; then
        cp "$kdir/modules/$mod.ko" "$root/modules/" || exit 1
        echo "$mod" >>"$root/modules/list"
    fi
done <<'EOF'
af_alg CONFIG_CRYPTO_USER_API
algif_hash CONFIG_CRYPTO_USER_API_HASH
algif_skcipher CONFIG_CRYPTO_USER_API_SKCIPHER
aes_generic CONFIG_CRYPTO_AES
cbc CONFIG_CRYPTO_CBC
ctr CONFIG_CRYPTO_CTR
hmac CONFIG_CRYPTO_HMAC
sha256_generic CONFIG_CRYPTO_SHA256
EOF
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
for m in $(cat /modules/list); do insmod /modules/$m.ko || echo "PYVM insmod $m failed"; done
echo "PYVM start uptime=$(cut -d' ' -f1 /proc/uptime)"
. /py/env
export PKTDECODE_LIB=/lib/pktd/libpktdecode.so.1 PKTD_PYTHON_DIR=/py
/usr/bin/python3 -S -B /py/python-alg.py 2>&1
rc=$?
/usr/bin/python3 -S -B /py/python-alg-examples.py 2>&1 || rc=1
echo "PYVM rc=$rc uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz" || exit 1

t0=$SECONDS
timeout "${PKTD_ALG_VM_TIMEOUT:-600}" "$qemu" -accel "${PKTD_ALG_VM_ACCEL:-tcg}" -m 768 \
    -nographic -no-reboot -nic none -kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1" </dev/null >"$work/console.log" 2>&1
qrc=$?
tr -d '\r' <"$work/console.log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$work/console.txt"
echo "# kernel $(cat "$kdir/ok"), initramfs $(du -k "$work/initrd.gz" | cut -f1) KiB, VM $((SECONDS - t0)) s, qemu status $qrc"
grep -E '^(ok|not ok|#|PYVM)' "$work/console.txt"
rc=$(sed -n 's/^PYVM rc=\([0-9]*\).*/\1/p' "$work/console.txt")
if [ -z "$rc" ]; then
    echo "not ok - the test did not finish in the VM (qemu status $qrc); console:"
    tail -n 30 "$work/console.txt" | sed 's/^/#   /'
    exit 1
fi
grep -q '^ok - sha256' "$work/console.txt" || {
    echo "not ok - AF_ALG was not available in the VM"
    exit 1
}
rm -rf "$work"
exit "$rc"
