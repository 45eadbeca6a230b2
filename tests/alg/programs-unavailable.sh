#!/bin/sh
# pktd-hash and pktd-aes where AF_ALG cannot be used, natively on this host:
# they must exit 1, name the algorithm, say why (with the errno name), write
# nothing to stdout and create no output file.  On a kernel without AF_ALG
# that is the EAFNOSUPPORT path; where AF_ALG works, an unknown algorithm
# (ENOENT) stands in.  Usage errors exit 2 either way.
set -u
bin=${top_builddir:?}/examples
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# What socket(AF_ALG) says here, asked independently of the library.
host=$(python3 -c '
import errno, socket
try:
    socket.socket(38, socket.SOCK_SEQPACKET, 0).close(); print("ok")
except OSError as e:
    print(errno.errorcode.get(e.errno, e.errno))' 2> /dev/null) || host=unknown
echo "host: socket(AF_ALG) -> $host"

check() { # name expected-status stderr-regex command...
    name=$1 want=$2 pat=$3
    shift 3
    "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    why=
    if [ "$rc" != "$want" ]; then
        why="exit status $rc, expected $want"
    elif [ -s "$tmp/out" ]; then
        why="wrote to stdout"
    elif [ "$pat" != - ] && ! grep -Eq "$pat" "$tmp/err"; then
        why="stderr does not match /$pat/"
    fi
    if [ -z "$why" ]; then
        echo "PASS $name: $(head -n 1 "$tmp/err")"
    else
        echo "FAIL $name: $why"
        sed 's/^/    stderr: /' "$tmp/err"
        fail=1
    fi
}

printf 'abc' > "$tmp/in"
key=000102030405060708090a0b0c0d0e0f
if [ "$host" = ok ]; then
    check hash-unknown 1 'nosuchhash: unavailable: .*\(ENOENT\)' \
        "$bin/pktd-hash" -a nosuchhash "$tmp/in"
    check hash-nokey 1 'hmac\(sha1\): unavailable: the algorithm needs a key \(ENOKEY\)' \
        "$bin/pktd-hash" -a 'hmac(sha1)' "$tmp/in"
else
    case $host in
    EAFNOSUPPORT) why='the kernel has no AF_ALG' ;;
    EPERM | EACCES) why='denied by security policy' ;;
    *) why='.' ;;
    esac
    check hash-default 1 "^pktd-hash: sha256: unavailable: .*$why.*\\($host\\)" \
        "$bin/pktd-hash" "$tmp/in"
    check hash-stdin 1 "sha256: unavailable: .*\\($host\\)" "$bin/pktd-hash" < "$tmp/in"
    check hash-alg 1 "sha512: unavailable: .*\\($host\\)" "$bin/pktd-hash" -a sha512 "$tmp/in"
    check hash-hmac 1 "hmac\\(sha256\\): unavailable: .*\\($host\\)" \
        "$bin/pktd-hash" -k 0011 "$tmp/in"
    for m in cbc ctr ecb; do
        check aes-$m 1 "^pktd-aes: $m\\(aes\\): unavailable: .*$why.*\\($host\\)" \
            "$bin/pktd-aes" -e -m $m -K $key -iv $key -in "$tmp/in" -out "$tmp/never"
    done
    check aes-decrypt 1 "cbc\\(aes\\): unavailable: .*\\($host\\)" \
        "$bin/pktd-aes" -d -K $key -iv $key < "$tmp/in"
    if [ -e "$tmp/never" ]; then
        echo "FAIL aes: created the output file although nothing could be encrypted"
        fail=1
    fi
fi
check hash-usage 2 '^usage: pktd-hash' "$bin/pktd-hash" -x
check hash-badkey 2 'hex digits' "$bin/pktd-hash" -k 0g1
check aes-usage 2 '^usage: pktd-aes' "$bin/pktd-aes" -e -bogus
check aes-badkey 2 '32, 48 or 64 hex digits' "$bin/pktd-aes" -e -K 0011 -iv 00
check aes-badmode 2 'mode must be cbc, ctr or ecb' "$bin/pktd-aes" -e -m ofb -K $key -iv 00
check aes-nokey 2 'K HEXKEY is required' "$bin/pktd-aes" -e -iv 00
exit $fail
