#!/usr/bin/env python3
"""The Python binding's AF_ALG wrappers (Hash, Cipher, alg_probe).

Where the kernel offers AF_ALG (the qemu VM of tests/release/python-alg-vm.sh,
or a host kernel with the modules): known answers from FIPS 180-4, RFC 4231
and SP 800-38A, streaming against one-shot, copy() of a partial digest, a
re-key, and errors raised as PktdError with the handle's errmsg.  Where it
does not (this project's CI hosts): alg_probe() says why, and Hash/Cipher
raise UnavailableError with that cause.

Environment: PKTDECODE_LIB (the library to load; default: the build tree's),
PKTD_PYTHON_DIR (the directory holding the pktdecode package; default: examples/python of the
source tree), top_srcdir / top_builddir (set by `make check`).
"""
import os
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
sys.path.insert(0, os.environ.get("PKTD_PYTHON_DIR", os.path.join(srcdir, "examples", "python")))
import pktdecode as P  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures += 1


def raises(fn, what, exc=P.PktdError):
    try:
        fn()
    except exc as e:
        return e
    check(False, what + " raises " + exc.__name__)
    return None


why = P.alg_probe("hash", "sha256")
if why is not None:
    print("# AF_ALG unavailable here: %s (%s)" % why)
    check(why[0] in ("EAFNOSUPPORT", "EPERM", "EACCES", "ENOENT") and len(why[1]) > 10,
          "alg_probe('hash', 'sha256') says why: %s" % why[0])
    e = raises(lambda: P.Hash("sha256"), "Hash('sha256')", P.UnavailableError)
    if e is not None:
        check(e.code < 0 and e.name == why[0] and why[1] in str(e),
              "Hash('sha256') raises UnavailableError: %s" % e)
        check(e.detail.startswith("socket(AF_ALG) for sha256: ") and why[1] in e.detail,
              "the first message is the whole sentence (call, algorithm, why): %s" % e.detail)
    e = raises(lambda: P.Cipher("cbc(aes)"), "Cipher('cbc(aes)')", P.UnavailableError)
    if e is not None:
        check(e.code < 0 and "cbc(aes)" in str(e), "Cipher('cbc(aes)') raises UnavailableError: %s" % e)
    sys.exit(1 if failures else 0)

print("# AF_ALG available: running known answers through the binding")
ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
with P.Hash("sha256") as h:
    check(h.digest_size() == 32 and h.block_size() == 64 and h.name() == "sha256",
          "sha256 sizes 32/64 and name")
    check(h.hexdigest(b"abc") == ABC, "sha256('abc') (FIPS 180-4)")
    check(h.hexdigest(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "sha256('')")
    h.update(b"a").update(b"b")
    partial = h.copy()
    h.update(b"c")
    check(h.final().hex() == ABC, "sha256 streamed in pieces")
    with partial:
        partial.update(b"c")
        check(partial.final().hex() == ABC, "copy() of a partial digest continues it")
    big = bytes(range(256)) * 1000 + b"x"          # 256001 bytes: several 64 KiB chunks
    one = h.digest(big)
    for i in range(0, len(big), 70000):
        h.update(big[i:i + 70000])
    check(h.final() == one and len(one) == 32, "256001 bytes: streamed = one-shot")
# RFC 4231 test case 2: key "Jefe"
with P.Hash("hmac(sha256)", b"Jefe") as h:
    check(h.hexdigest(b"what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "hmac(sha256) RFC 4231 case 2")
    h.setkey(b"\x0b" * 20)
    check(h.hexdigest(b"Hi There") ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "re-key: RFC 4231 case 1")
with P.Hash("hmac(sha256)") as h:
    e = raises(lambda: h.digest(b"x"), "hmac without a key")
    if e is not None:
        check(e.name == "ENOKEY" and e.detail, "hmac without a key: %s" % e)
e = raises(lambda: P.Hash("no-such-hash"), "an unknown hash", P.UnavailableError)
if e is not None:
    check(e.name == "ENOENT", "unknown hash: UnavailableError %s" % e)
check(e is None or e.detail.startswith("bind(no-such-hash): "), "unknown hash: the message names bind()")
check(P.alg_probe("hash", "no-such-hash")[0] == "ENOENT", "alg_probe of an unknown hash: ENOENT")
# A copy keeps its own key (issue 11): re-keying one leaves the other alone.
JEFE = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
CASE1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
with P.Hash("hmac(sha256)", b"Jefe") as h:
    c = h.copy()
    h.setkey(b"\x0b" * 20)
    check(c.hexdigest(b"what do ya want for nothing?") == JEFE, "copy() keeps its key when the original is re-keyed")
    check(h.hexdigest(b"Hi There") == CASE1, "the re-keyed original has the new key")
    c.setkey(b"\x0b" * 20)
    h.setkey(b"Jefe")
    check(c.hexdigest(b"Hi There") == CASE1 and h.hexdigest(b"what do ya want for nothing?") == JEFE,
          "re-keying the original again leaves the re-keyed copy alone")
    c.close()
check(P.alg_probe("skcipher", "cbc(aes)")[0] == "ENOKEY", "alg_probe of cbc(aes) without a key: ENOKEY")

# SP 800-38A F.2.1 (CBC-AES128) and F.5.1 (CTR-AES128), all four blocks
key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
pt = bytes.fromhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                   "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710")
cbc_iv = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
cbc_ct = bytes.fromhex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
                       "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7")
ctr_iv = bytes.fromhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
ctr_ct = bytes.fromhex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
                       "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee")
with P.Cipher("cbc(aes)", key) as c:
    check(c.iv_size() == 16 and c.block_size() == 16 and c.key_min() == 16 and c.key_max() == 32,
          "cbc(aes) sizes: iv 16, block 16, keys 16..32")
    check(c.encrypt(cbc_iv, pt) == cbc_ct, "cbc(aes) SP 800-38A F.2.1 encrypt")
    check(c.decrypt(cbc_iv, cbc_ct) == pt, "cbc(aes) SP 800-38A F.2.2 decrypt")
    if c.can_stream():
        c.begin(P.CIPHER_ENCRYPT, cbc_iv)
        out = c.update(pt[:20]) + c.update(pt[20:41])
        out += c.end(pt[41:])
        check(out == cbc_ct, "cbc(aes) streamed in 20/21/23-byte pieces = one-shot")
    e = raises(lambda: c.encrypt(cbc_iv, pt[:17]), "cbc(aes) of 17 bytes")
    if e is not None:
        check(e.code == P.E_INVALID_ARGUMENT, "cbc(aes) of a partial block: %s" % e)
    e = raises(lambda: c.setkey(b"short"), "a 5-byte AES key")
    if e is not None:
        check(e.code < 0 and e.detail, "a 5-byte AES key: %s" % e)
with P.Cipher("ctr(aes)", key) as c:
    check(c.encrypt(ctr_iv, pt) == ctr_ct, "ctr(aes) SP 800-38A F.5.1")
    check(c.encrypt(ctr_iv, pt[:37]) == ctr_ct[:37], "ctr(aes) of 37 bytes (no padding)")

sys.exit(1 if failures else 0)
