#!/bin/sh
# pktd-hash against sha256sum and friends, pktd-aes against `openssl enc`.
#
#   programs.sh               native run from `make check`: skips (77) unless
#                             AF_ALG works on this kernel
#   programs.sh prepare DIR   write the inputs and the reference tools'
#                             outputs into DIR (needs coreutils and openssl)
#   programs.sh verify DIR    run pktd-hash and pktd-aes (from $PKTD_BIN, or
#                             PATH) on DIR and compare with the references
#
# prepare runs on the host and verify inside the VM (tests/alg/vm.tap),
# which has only busybox: verify is plain POSIX sh.
#
# DIR/cases holds one case per line:  NAME STATUS STDIN TARGET ERRPAT PROG ARGS...
#   STATUS  the expected exit status
#   STDIN   a file of DIR fed to stdin, or - for none
#   TARGET  stdout, or the file the program writes (-out)
#   ERRPAT  an extended regex stderr must match ('.' for spaces), or -
# and DIR/NAME.want holds the exact bytes TARGET must contain.  A TARGET
# file the program created (umask 022) must have mode 600; when DIR/NAME.same
# exists it must still hold the bytes of DIR/NAME.same.want afterwards.

set -u

hexbytes() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

add() { printf '%s\n' "$*" >> cases; }

prepare() {
    mkdir -p "$1" && cd "$1" || exit 1
    : > cases
    for n in 0 1 15 16 17 4099 65535 65536 65537 1048581; do
        head -c $n /dev/urandom > f$n
    done
    printf 'x' > 'we\ird'
    key=$(hexbytes 37) k16=$(hexbytes 16) k24=$(hexbytes 24) k32=$(hexbytes 32) iv=$(hexbytes 16)

    # ---- pktd-hash: byte-identical to coreutils
    sha256sum f0 f1 f17 f65537 f1048581 > h_files.want
    add h_files 0 - stdout - pktd-hash f0 f1 f17 f65537 f1048581
    sha256sum < f1048581 > h_stdin.want
    add h_stdin 0 f1048581 stdout - pktd-hash
    sha256sum - f1 < f16 > h_dash.want
    add h_dash 0 f16 stdout - pktd-hash - f1
    for a in sha1 sha224 sha384 sha512 md5; do
        ${a}sum f0 f17 f65537 > h_$a.want
        add h_$a 0 - stdout - pktd-hash -a $a f0 f17 f65537
    done
    sha256sum 'we\ird' f1 > h_escape.want
    add h_escape 0 - stdout - pktd-hash 'we\ird' f1
    # HMAC: openssl prints "HMAC-SHA2-256(f)= hex"; sha256sum layout is "hex  f".
    hmac_lines() {
        alg=$1; shift
        for f in "$@"; do
            openssl dgst -$alg -mac HMAC -macopt hexkey:$key "$f" | sed 's/^.*)= //' | tr -d '\n'
            printf '  %s\n' "$f"
        done
    }
    hmac_lines sha256 f0 f17 f65537 > h_hmac.want
    add h_hmac 0 - stdout - pktd-hash -k $key f0 f17 f65537
    hmac_lines sha512 f4099 > h_hmac512.want
    add h_hmac512 0 - stdout - pktd-hash -a 'hmac(sha512)' -k $key f4099
    hmac_lines sha1 f17 > h_hmac1.want
    add h_hmac1 0 - stdout - pktd-hash -a sha1 -k $key f17
    sha256sum f1 nosuchfile f16 > h_missing.want 2> /dev/null
    add h_missing 1 - stdout 'nosuchfile:.No.such.file' pktd-hash f1 nosuchfile f16
    : > h_unknown.want
    add h_unknown 1 - stdout 'nosuchhash:.unavailable:.*ENOENT' pktd-hash -a nosuchhash f1
    : > h_nokey.want
    add h_nokey 1 - stdout 'hmac\(sha256\):.unavailable:.*needs.a.key.*ENOKEY' \
        pktd-hash -a 'hmac(sha256)' f1
    : > h_usage.want
    add h_usage 2 - stdout - pktd-hash -k xyz f1

    # ---- pktd-aes: byte-identical to openssl enc, and back
    for mode in cbc ctr ecb; do
        for bits in 128 192 256; do
            case $mode$bits in
            ecb128) k=$k16 files="f0 f1 f16 f17 f65536 f65537" ;;
            ecb192) continue ;;
            ecb256) k=$k32 files="f17 f65537" ;;
            *128) k=$k16 files="f0 f1 f15 f16 f17 f65535 f65536 f65537" ;;
            *192) k=$k24 files="f17 f65537" ;;
            *256) k=$k32 files="f0 f17 f65537" ;;
            esac
            case $mode$bits in cbc128 | ctr256) files="$files f1048581" ;; esac
            ivarg="-iv $iv"
            [ $mode = ecb ] && ivarg=
            for f in $files; do
                c=$mode${bits}_$f
                openssl enc -aes-$bits-$mode -K $k $ivarg -in $f -out e_$c.want || exit 1
                add e_$c 0 - stdout - pktd-aes -e -m $mode -K $k $ivarg -in $f
                cp $f d_$c.want
                add d_$c 0 - stdout - pktd-aes -d -m $mode -K $k $ivarg -in e_$c.want
            done
        done
    done
    for f in f16 f65536; do
        openssl enc -aes-128-cbc -nopad -K $k16 -iv $iv -in $f -out n_$f.want
        add n_$f 0 - stdout - pktd-aes -e -nopad -K $k16 -iv $iv -in $f
        cp $f nd_$f.want
        add nd_$f 0 - stdout - pktd-aes -d -nopad -K $k16 -iv $iv -in n_$f.want
    done
    openssl enc -aes-256-ecb -nopad -K $k32 -in f16 -out n_ecb.want
    add n_ecb 0 - stdout - pktd-aes -e -m ecb -nopad -K $k32 -in f16
    # Failures: the reference is what openssl wrote before giving up (the
    # whole blocks it had already processed), and it must fail too.
    ossl_fails() {
        want=$1
        shift
        if openssl enc "$@" > $want.want 2> /dev/null; then
            echo "openssl enc $* did not fail" >&2
            exit 1
        fi
    }
    ossl_fails n_partial -aes-128-cbc -nopad -K $k16 -iv $iv -in f17
    add n_partial 1 - stdout 'bad.encrypt' pktd-aes -e -nopad -K $k16 -iv $iv -in f17
    # A block that decrypts to a last byte of 0: invalid PKCS#7 for sure.
    head -c 16 /dev/zero > zero16
    head -c 48 f65537 > badpad.in
    cat zero16 >> badpad.in
    openssl enc -aes-128-cbc -nopad -K $k16 -iv $iv -in badpad.in -out badpad
    ossl_fails bad_pad -d -aes-128-cbc -K $k16 -iv $iv -in badpad
    add bad_pad 1 - stdout 'bad.decrypt' pktd-aes -d -K $k16 -iv $iv -in badpad
    ossl_fails bad_len -d -aes-128-cbc -K $k16 -iv $iv -in f65537
    add bad_len 1 - stdout 'bad.decrypt' pktd-aes -d -K $k16 -iv $iv -in f65537
    ossl_fails bad_len17 -d -aes-128-cbc -K $k16 -iv $iv -in f17
    add bad_len17 1 - stdout 'bad.decrypt' pktd-aes -d -K $k16 -iv $iv -in f17
    ossl_fails bad_nopad -d -aes-128-cbc -nopad -K $k16 -iv $iv -in f17
    add bad_nopad 1 - stdout 'bad.decrypt' pktd-aes -d -nopad -K $k16 -iv $iv -in f17
    ossl_fails bad_empty -d -aes-128-ecb -K $k16 -in f0
    add bad_empty 1 - stdout 'bad.decrypt' pktd-aes -d -m ecb -K $k16 -in f0
    openssl enc -aes-192-ctr -K $k24 -iv $iv -in f65537 -out s_ctr.want
    add s_ctr 0 f65537 stdout - pktd-aes -e -m ctr -K $k24 -iv $iv
    openssl enc -aes-128-cbc -K $k16 -iv $iv -in f4099 -out o_cbc.want
    add o_cbc 0 - o_cbc.got - pktd-aes -e -K $k16 -iv $iv -in f4099 -out o_cbc.got
    # -out: decrypted plaintext is created 0600, not world-readable; as root
    # a symbolic link planted where -out points is refused, its target kept.
    cp f4099 o_dec.want
    add o_dec 0 - o_dec.got - pktd-aes -d -K $k16 -iv $iv -in o_cbc.want -out o_dec.got
    if [ "$(id -u)" = 0 ]; then
        echo secret > o_link.same
        cp o_link.same o_link.same.want
        ln -s o_link.same o_link.lnk
        : > o_link.want
        add o_link 1 - stdout 'o_link.lnk:.is.a.symbolic.link' \
            pktd-aes -e -K $k16 -iv $iv -in f17 -out o_link.lnk
    fi
    # openssl's IV rules: short (or odd) hex is zero-padded, ecb ignores an IV.
    openssl enc -aes-128-cbc -K $k16 -iv 0011 -in f17 -out iv_short.want 2> /dev/null
    add iv_short 0 - stdout 'too.short' pktd-aes -e -K $k16 -iv 0011 -in f17
    openssl enc -aes-128-cbc -K $k16 -iv abc -in f17 -out iv_odd.want 2> /dev/null
    add iv_odd 0 - stdout - pktd-aes -e -K $k16 -iv abc -in f17
    openssl enc -aes-128-ecb -K $k16 -iv $iv -in f17 -out ecb_iv.want 2> /dev/null
    add ecb_iv 0 - stdout 'iv.not.used' pktd-aes -e -m ecb -K $k16 -iv $iv -in f17
    : > no_iv.want
    add no_iv 1 - stdout 'iv.undefined' pktd-aes -e -K $k16 -in f17
    : > no_in.want
    add no_in 1 - stdout 'nosuchfile:.No.such.file' pktd-aes -e -K $k16 -iv $iv -in nosuchfile
    : > bad_mode.want
    add bad_mode 2 - stdout - pktd-aes -e -m cfb -K $k16 -iv $iv -in f17
    : > bad_key.want
    add bad_key 2 - stdout - pktd-aes -e -K 0011 -iv $iv -in f17
}

verify() {
    cd "$1" || exit 1
    set -f # names such as hmac(sha512) and we\ird are not patterns
    pass=0
    fail=0
    umask 022
    while read -r name status stdin target errpat args; do
        [ -n "$name" ] || continue
        # shellcheck disable=SC2086 # split the arguments on purpose
        set -- $args
        prog=$1
        shift
        bin=${PKTD_BIN:+$PKTD_BIN/}$prog
        inp=/dev/null
        [ "$stdin" = - ] || inp=$stdin
        if [ "$target" = stdout ]; then
            got=$name.got
            "$bin" "$@" < "$inp" > "$got" 2> "$name.err"
            rc=$?
        else
            got=$target
            rm -f "$got"
            "$bin" "$@" < "$inp" > /dev/null 2> "$name.err"
            rc=$?
        fi
        why=
        if [ "$rc" != "$status" ]; then
            why="exit status $rc, expected $status"
        elif ! cmp -s "$got" "$name.want"; then
            why="output differs from the reference"
        elif [ "$errpat" != - ] && ! grep -Eq "$errpat" "$name.err"; then
            why="stderr does not match /$errpat/"
        elif [ "$target" != stdout ] && [ "$(stat -c %a "$got")" != 600 ]; then
            why="$got created with mode $(stat -c %a "$got"), expected 600"
        elif [ -e "$name.same" ] && ! cmp -s "$name.same" "$name.same.want"; then
            why="$name.same was changed"
        fi
        if [ -z "$why" ]; then
            echo "PASS prog $name"
            pass=$((pass + 1))
        else
            echo "FAIL prog $name: $why ($prog $*)"
            sed 's/^/    stderr: /' "$name.err" | head -n 5
            fail=$((fail + 1))
        fi
    done < cases
    echo "programs: $pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}

case ${1:-} in
prepare) prepare "$2" ;;
verify) verify "$2" ;;
'')
    bin=${top_builddir:?}/examples
    if ! out=$("$bin/pktd-hash" /dev/null 2>&1); then
        echo "SKIP: AF_ALG is not usable on this kernel: $out"
        echo "      (tests/alg/vm.tap runs these program tests in a VM)"
        exit 77
    fi
    for t in openssl sha256sum; do
        command -v $t > /dev/null || { echo "FAIL: $t is needed as the reference"; exit 1; }
    done
    tmp=$(mktemp -d) || exit 1
    trap 'rm -rf "$tmp"' EXIT
    (prepare "$tmp") || exit 1
    PKTD_BIN=$bin
    export PKTD_BIN
    (verify "$tmp")
    ;;
*)
    echo "usage: $0 [prepare DIR | verify DIR]" >&2
    exit 2
    ;;
esac
