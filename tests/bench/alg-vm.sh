#!/bin/bash
# AF_ALG benchmark inside a VM whose kernel has AF_ALG (the build host may
# have none): boots Debian's cloud kernel (fetched by tests/alg/vm-setup.sh,
# the AF_ALG tests' kernel) in qemu with an initramfs holding busybox, the
# AF_ALG modules, pktd-bench, bench-kcapi (libkcapi) and strace, runs
# tests/bench/alg-bench.sh there, counts the system calls of one steady-state
# operation of each library with strace, and prints both tables.
#
#   alg-vm.sh -b BUILDDIR -s SRCDIR [-d DIVISOR] [-R REPEATS] [-a kvm|tcg]
#
# -d divides tests/bench/alg-bench.sh's operation counts (default 1 with KVM,
# 20 under emulation); -R repeats the alternation and keeps each figure's
# best run (default 3).  -a picks the accelerator: TCG by default, as for
# the AF_ALG tests (nested KVM inside a cloud VM crashed the guest here);
# -a kvm where KVM works.  Under TCG every instruction is emulated: only the
# ratio between the two libraries, measured in the same boot, means
# anything, and the absolute figures say nothing about real hardware.  Exits 77 when the VM cannot run (no qemu, no static busybox,
# no kernel package).
set -u

builddir='' srcdir='' div='' accel='' repeats=3
while getopts b:s:d:a:R: opt; do
    case $opt in
    b) builddir=$OPTARG ;;
    s) srcdir=$OPTARG ;;
    d) div=$OPTARG ;;
    a) accel=$OPTARG ;;
    R) repeats=$OPTARG ;;
    *) exit 2 ;;
    esac
done
if [ -z "$builddir" ] || [ -z "$srcdir" ]; then
    echo "usage: alg-vm.sh -b BUILDDIR -s SRCDIR [-d DIVISOR] [-R REPEATS] [-a kvm|tcg]" >&2
    exit 2
fi
skip() { echo "AF_ALG VM benchmark skipped: $*"; exit 77; }

[ "$(uname -m)" = x86_64 ] || skip "the VM kernel is amd64"
qemu=$(command -v qemu-system-x86_64) || skip "no qemu-system-x86_64 (Debian: qemu-system-x86)"
busybox=$(command -v busybox || echo /bin/busybox)
if [ ! -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
    skip "no static busybox (Debian: busybox-static)"
fi
for t in cpio gzip; do command -v $t >/dev/null || skip "$t not found"; done
kdir=$(bash "$srcdir/tests/alg/vm-setup.sh" 2>&1) || skip "no kernel for the VM: $kdir"
[ -x "$builddir/tests/bench/bench-kcapi" ] || echo "note: bench-kcapi not built (libkcapi-dev): pktd only" >&2

[ -n "$accel" ] || accel=tcg
[ -n "$div" ] || { [ "$accel" = kvm ] && div=1 || div=20; }

work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,lib/pktd,modules,etc,tests,proc,sys,dev,tmp} || exit 1

# A program and the shared libraries it needs (the loader at its own path).
copy_prog() {
    local real libs lib
    real=$("$builddir/libtool" --mode=execute echo "$1") || return 1
    cp "$real" "$root/bin/$2" || return 1
    libs=$("$builddir/libtool" --mode=execute ldd "$1" |
        awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }') || return 1
    for lib in $libs; do
        case $lib in
        */ld-linux*) mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib" ;;
        *) cp -L "$lib" "$root/lib/pktd/" ;;
        esac || return 1
    done
}
copy_prog "$builddir/examples/pktd-bench" pktd-bench || { echo "cannot copy pktd-bench (built?)" >&2; exit 1; }
kcapi=''
if [ -x "$builddir/tests/bench/bench-kcapi" ]; then
    copy_prog "$builddir/tests/bench/bench-kcapi" bench-kcapi && kcapi=/bin/bench-kcapi
fi
if strace_bin=$(command -v strace); then
    copy_prog "$strace_bin" strace
fi
cp "$busybox" "$root/bin/busybox"
cp "$srcdir/tests/bench/alg-bench.sh" "$root/tests/"

# Modules: AF_ALG and its hash and skcipher interfaces when the kernel has
# them as modules; sha256, aes and cbc are built into Debian's cloud kernel.
: >"$root/etc/modules"
# crypto_user (NETLINK_CRYPTO) is what libkcapi asks for algorithm sizes.
for spec in af_alg:CONFIG_CRYPTO_USER_API algif_hash:CONFIG_CRYPTO_USER_API_HASH \
    crypto_user:CONFIG_CRYPTO_USER \
    algif_skcipher:CONFIG_CRYPTO_USER_API_SKCIPHER sha256_generic:CONFIG_CRYPTO_SHA256 \
    aes_generic:CONFIG_CRYPTO_AES cbc:CONFIG_CRYPTO_CBC; do
    mod=${spec%%:*} sym=${spec##*:}
    case $(grep -E "^$sym=" "$kdir/config" | cut -d= -f2) in
    y) ;;
    m) cp "$kdir/modules/$mod.ko" "$root/modules/" && echo "$mod" >>"$root/etc/modules" ;;
    *) skip "kernel $(cat "$kdir/ok") lacks $sym" ;;
    esac
done

cat >"$root/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin LD_LIBRARY_PATH=/lib/pktd
mount -t proc proc /proc
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
for m in \$(cat /etc/modules); do insmod /modules/\$m.ko || echo "BENCHVM insmod \$m FAILED"; done
echo "BENCHVM kernel \$(uname -r) cpus \$(grep -c ^processor /proc/cpuinfo)"
cd /tmp
sh /tests/alg-bench.sh -d $div -R $repeats /bin/pktd-bench $kcapi
# System calls per steady-state one-shot operation: strace logs every call
# of a run with 100 and with 200 operations; per system call name, the
# difference over 100 is the per-operation figure (set-up and exit cancel).
if [ -x /bin/strace ]; then
    for prog in /bin/pktd-bench $kcapi; do
        for mode in hash cipher; do
            for size in 64 65536; do
                strace -o /tmp/a \$prog \$mode 100 \$size >/dev/null 2>&1
                strace -o /tmp/b \$prog \$mode 200 \$size >/dev/null 2>&1
                for f in a b; do
                    awk '/^[a-z_0-9]+\(/ { sub(/\(.*/, ""); c[\$0]++ } END { for (k in c) print k, c[k] }' /tmp/\$f >/tmp/\$f.n
                done
                echo "BENCHVM syscalls \$(basename \$prog) \$mode \$size \$(awk 'NR == FNR { a[\$1] = \$2; next } { d = \$2 - a[\$1]; if (d > 0) printf "%s:%g ", \$1, d / 100 }' /tmp/a.n /tmp/b.n)"
            done
        done
    done
fi
echo "BENCHVM done"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz" || exit 1

console=$work/console.log
cpu=max
[ "$accel" = kvm ] && cpu=host,-arch-capabilities
timeout 3000 "$qemu" -accel "$accel" -cpu "$cpu" -smp 1 -m 768 -nographic -no-reboot -nic none \
    -kernel "$kdir/vmlinuz" -initrd "$work/initrd.gz" \
    -append "console=ttyS0 quiet loglevel=3 panic=-1" </dev/null >"$console" 2>&1
# Serial console: CR LF line ends and the firmware's terminal escapes.
tr -d '\r' <"$console" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$console.txt"
grep -q "^BENCHVM done" "$console.txt" || {
    echo "the VM did not finish; its console:" >&2
    tail -n 40 "$console.txt" >&2
    exit 1
}
echo "AF_ALG in a VM: $(grep 'BENCHVM kernel' "$console.txt" | sed 's/.*BENCHVM kernel/kernel/'), qemu -accel $accel" \
    "($("$qemu" --version | head -n 1)), operation counts divided by $div, best of $repeats"
[ "$accel" = tcg ] && echo "(emulated CPU: compare the two libraries, not the absolute figures)"
grep '^RESULT ' "$console.txt" | awk '
{ key = $3 " " $4; v[$2, key] = $5; m[$2, key] = $6; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
END {
    printf "%-7s %7s %14s %10s %14s %10s %9s\n", "mode", "bytes", "pktd ns/op", "MB/s", "kcapi ns/op", "MB/s", "kcapi/pktd"
    for (i = 1; i <= n; i++) {
        split(order[i], k, " ")
        p = v["pktd", order[i]]; q = v["kcapi", order[i]]
        r = (p + 0 > 0 && q + 0 > 0) ? sprintf("%.2f", q / p) : "-"
        printf "%-7s %7s %14s %10s %14s %10s %9s\n", k[1], k[2], p, m["pktd", order[i]], \
            (q == "" ? "-" : q), (q == "" ? "-" : m["kcapi", order[i]]), r
    }
}'
echo
echo "System calls per one-shot operation (strace: a run of 200 operations minus one of 100, / 100):"
grep '^BENCHVM syscalls ' "$console.txt" | awk '{
    total = 0; names = ""
    for (i = 6; i <= NF; i++) { split($i, kv, ":"); total += kv[2]; names = names " " $i }
    printf "  %-12s %-6s %6s bytes: %g (%s )\n", $3, $4, $5, total, names
}'
