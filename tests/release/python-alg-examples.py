#!/usr/bin/env python3
"""Known answers of the AF_ALG examples pktd_sha256.py and pktd_aes_cbc.py.

Runs where the kernel has AF_ALG: inside the qemu VM of
tests/release/python-alg-vm.sh, which copies the examples beside it.
- pktd_sha256.py: FIPS 180-4's "abc", the empty file, and a 200,000-byte
  file (several 64 KiB pieces) against hashlib; "-" reads standard input;
  a missing file gives status 1 and the others are still printed.
- pktd_aes_cbc.py: SP 800-38A F.2.1 / F.2.2 (CBC-AES128, two blocks, -n)
  both ways, a padded round trip of odd-length data with an AES-256 key,
  the padding of a 16-byte message, and a truncated ciphertext refused
  with status 1.

Environment: PKTD_PYTHON_DIR (the directory holding the pktdecode package
and the examples; default: examples/python of top_srcdir), PKTDECODE_LIB.
"""
import hashlib
import os
import subprocess
import sys
import tempfile

srcdir = os.environ.get("top_srcdir", ".")
pydir = os.environ.get("PKTD_PYTHON_DIR", os.path.join(srcdir, "examples", "python"))
os.environ["PYTHONPATH"] = pydir
failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures += 1
    return ok


def run(script, *args, stdin=b""):
    r = subprocess.run([sys.executable, "-S", "-B", os.path.join(pydir, script)] + list(args),
                       input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout, r.stderr.decode()


tmp = tempfile.mkdtemp()
abc, empty, big = (os.path.join(tmp, n) for n in ("abc", "empty", "big"))
with open(abc, "wb") as f:
    f.write(b"abc")
open(empty, "wb").close()
bigdata = bytes(i * 7 % 251 for i in range(200000))
with open(big, "wb") as f:
    f.write(bigdata)

rc, out, err = run("pktd_sha256.py", abc, empty, big)
want = ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  %s\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  %s\n"
        "%s  %s\n" % (abc, empty, hashlib.sha256(bigdata).hexdigest(), big))
check(rc == 0 and out.decode() == want, "pktd_sha256.py: abc, empty, 200000 bytes (%r %r)" % (out, err))
rc, out, err = run("pktd_sha256.py", "-", stdin=b"abc")
check(rc == 0 and out.decode().startswith("ba7816bf") and out.decode().endswith("  -\n"),
      "pktd_sha256.py - reads standard input")
rc, out, err = run("pktd_sha256.py", os.path.join(tmp, "missing"), abc)
check(rc == 1 and out.decode().startswith("ba7816bf") and "missing" in err,
      "pktd_sha256.py: a missing file is status 1, the others still printed (%r)" % err.strip())

key = "2b7e151628aed2a6abf7158809cf4f3c"
iv = "000102030405060708090a0b0c0d0e0f"
pt = bytes.fromhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
ct = bytes.fromhex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2")
rc, out, err = run("pktd_aes_cbc.py", "-e", "-n", "-k", key, "-i", iv, stdin=pt)
check(rc == 0 and out == ct, "pktd_aes_cbc.py -e -n: SP 800-38A F.2.1 (%s %r)" % (out.hex(), err))
rc, out, err = run("pktd_aes_cbc.py", "-d", "-n", "-k", key, "-i", iv, stdin=ct)
check(rc == 0 and out == pt, "pktd_aes_cbc.py -d -n: SP 800-38A F.2.2 (%s %r)" % (out.hex(), err))
rc, out, err = run("pktd_aes_cbc.py", "-e", "-k", key, "-i", iv, stdin=pt[:16])
check(rc == 0 and len(out) == 32 and out[:16] == ct[:16],
      "pktd_aes_cbc.py -e pads a 16-byte message with a whole block")

key256 = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"
msg = b"hello, AF_ALG: 29 bytes long."
ctf = os.path.join(tmp, "ct")
rc1, out, err1 = run("pktd_aes_cbc.py", "-e", "-k", key256, "-i", iv, "-", ctf, stdin=msg)
rc2, out2, err2 = run("pktd_aes_cbc.py", "-d", "-k", key256, "-i", iv, ctf)
check(rc1 == 0 and rc2 == 0 and os.path.getsize(ctf) == 32 and out2 == msg,
      "pktd_aes_cbc.py: padded AES-256 round trip through a file (%r %r)" % (err1, err2))
with open(ctf, "rb") as f:
    rc, out, err = run("pktd_aes_cbc.py", "-d", "-k", key256, "-i", iv, stdin=f.read()[:20])
check(rc == 1 and out == b"" and err, "pktd_aes_cbc.py -d: a truncated ciphertext is status 1 (%r)" % err.strip())

print("# %d failure(s)" % failures)
sys.exit(1 if failures else 0)
