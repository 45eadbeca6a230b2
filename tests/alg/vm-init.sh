#!/bin/busybox sh
# /init of the AF_ALG test VM (packed by tests/alg/vm.tap).  Loads the
# AF_ALG modules, runs the library tests, the program tests and the system
# call count, prints every result on the console as "ALGVM ..." lines for
# the host to grep, and powers off.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
echo "ALGVM boot uptime=$(cut -d' ' -f1 /proc/uptime) kernel=$(uname -r)"

# The kernel has no modprobe to call: load AF_ALG and every template the
# tests bind (AES, CBC, HMAC, SHA-1/256, MD5 and CRC32C are built in).
for m in $(cat /etc/alg-modules); do
    if insmod /modules/$m.ko; then
        echo "ALGVM module $m loaded"
    else
        echo "ALGVM module $m FAILED"
    fi
done

export LD_LIBRARY_PATH=/lib/pktd
export PKTD_TEST_SEED=$(cat /etc/seed)
cd /tmp

start=$(cut -d' ' -f1 /proc/uptime)
CK_VERBOSITY=verbose CK_DEFAULT_TIMEOUT=900 PKTD_ALG_TEST_SYSCTL=1 /bin/check_alg 2>&1
echo "ALGVM check_alg rc=$?"
echo "ALGVM time check_alg start=$start end=$(cut -d' ' -f1 /proc/uptime)"

# The robustness area's AF_ALG fault tests, when vm.tap could copy them in.
if [ -x /bin/alg_faults ]; then
    start=$(cut -d' ' -f1 /proc/uptime)
    CK_VERBOSITY=verbose CK_DEFAULT_TIMEOUT=900 /bin/alg_faults 2>&1
    echo "ALGVM alg_faults rc=$?"
    echo "ALGVM time alg_faults start=$start end=$(cut -d' ' -f1 /proc/uptime)"
fi

start=$(cut -d' ' -f1 /proc/uptime)
PKTD_BIN=/bin sh /tests/programs.sh verify /prog 2>&1
echo "ALGVM programs rc=$?"
echo "ALGVM time programs start=$start end=$(cut -d' ' -f1 /proc/uptime)"

# System calls of one steady-state operation: the lines strace logs between
# the two getppid() markers of alg-syscount, per operation.
count_calls() { # what count size
    # (LeakSanitizer cannot run under ptrace, should this be a sanitizer build.)
    if ASAN_OPTIONS=detect_leaks=0 strace -o /tmp/trace /bin/alg-syscount "$1" "$2" "$3"; then
        calls=$(awk '/^getppid\(/ { m++; next } m == 1 { n++ } END { print n + 0 }' /tmp/trace)
        names=$(awk '/^getppid\(/ { m++; next } m == 1 { sub(/\(.*/, ""); c[$0]++ }
                     END { for (k in c) { printf "%s%s:%d", s, k, c[k]; s = "," } }' /tmp/trace)
        echo "ALGVM syscalls $1 size=$3 ops=$2 calls=$calls names=$names"
    else
        echo "ALGVM syscalls $1 size=$3 FAILED"
    fi
}
if [ -x /bin/strace ]; then
    count_calls hash 100 64
    count_calls hash 100 65536
    count_calls hash 10 200000
    count_calls cipher 100 64
    count_calls cipher 100 65536
else
    echo "ALGVM syscalls skipped: no strace on the host"
fi

[ -f /etc/dump-crypto ] && { echo "ALGVM-BEGIN-PROC-CRYPTO"; cat /proc/crypto; echo "ALGVM-END-PROC-CRYPTO"; }
echo "ALGVM done uptime=$(cut -d' ' -f1 /proc/uptime)"
poweroff -f
