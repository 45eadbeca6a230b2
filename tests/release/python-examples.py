#!/usr/bin/env python3
"""The installed Python examples on the build tree's library (no AF_ALG needed).

- pktd_pcap_ips.py prints, for tests/data/sample.pcap, exactly the packet
  numbers and IPv4 addresses of pktd-decode -j; an unreadable file exits 1
  with the reason, no argument exits 2.
- pktd_sha256.py and pktd_aes_cbc.py refuse bad usage with status 2; where
  the kernel has no AF_ALG (this project's hosts) they exit 1 and say why.
  Their known answers run in the AF_ALG VM (python-alg-examples.py through
  python-alg-vm.sh).

Environment: top_srcdir / top_builddir (set by `make check`); PKTDECODE_LIB
defaults to the build tree's library.
"""
import json
import os
import subprocess
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
pydir = os.path.join(srcdir, "examples", "python")
os.environ["PYTHONPATH"] = pydir
sys.path.insert(0, pydir)
import pktdecode as P  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures += 1
    return ok


def run(script, *args, stdin=b""):
    r = subprocess.run([sys.executable, os.path.join(pydir, script)] + list(args), input=stdin,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


sample = os.path.join(srcdir, "tests", "data", "sample.pcap")
decode = os.path.join(builddir, "examples", "pktd-decode")
want = []
for line in subprocess.run([decode, "-j", sample], stdout=subprocess.PIPE, check=True).stdout.splitlines():
    rec = json.loads(line)
    if "ipv4" in rec:
        want.append("%d %s -> %s" % (rec["n"], rec["ipv4"]["src"], rec["ipv4"]["dst"]))
rc, out, err = run("pktd_pcap_ips.py", sample)
check(rc == 0 and want and out.splitlines() == want,
      "pktd_pcap_ips.py prints pktd-decode -j's %d IPv4 packets and addresses (rc %d, %r)"
      % (len(want), rc, (out.splitlines()[:2], err)))
rc, out, err = run("pktd_pcap_ips.py", os.path.join(builddir, "no-such.pcap"))
check(rc == 1 and out == "" and "no-such.pcap" in err and "No such file" in err,
      "pktd_pcap_ips.py on a missing file: status 1, says which file and why (%r)" % err.strip())
rc, out, err = run("pktd_pcap_ips.py")
check(rc == 2 and "usage" in err, "pktd_pcap_ips.py without FILE: usage, status 2")

key, iv = "00" * 16, "00" * 16
for argv in (["-e", "-k", key], ["-e", "-d", "-k", key, "-i", iv], ["-e", "-k", "00", "-i", iv],
             ["-d", "-k", key, "-i", "zz"]):
    rc, out, err = run("pktd_aes_cbc.py", *argv)
    check(rc == 2 and "usage" in err, "pktd_aes_cbc.py %s: usage, status 2 (%r)" % (" ".join(argv), err.strip()))
rc, out, err = run("pktd_sha256.py")
check(rc == 2 and "usage" in err, "pktd_sha256.py without FILE: usage, status 2")

why = P.alg_probe("hash", "sha256")
if why is None:
    print("# AF_ALG is available here: the known answers are checked by python-alg-examples.py")
    for argv in (["pktd_sha256.py", sample], ["pktd_aes_cbc.py", "-e", "-k", key, "-i", iv]):
        rc, out, err = run(*argv, stdin=b"x")
        check(rc == 0 and out, "%s runs where AF_ALG is available" % argv[0])
else:
    print("# AF_ALG unavailable here: %s: %s" % why)
    for argv in (["pktd_sha256.py", sample], ["pktd_aes_cbc.py", "-e", "-k", key, "-i", iv]):
        rc, out, err = run(*argv, stdin=b"x")
        check(rc == 1 and out == "" and "AF_ALG" in err,
              "%s without AF_ALG: status 1, no output, says why (%r)" % (argv[0], err.strip()[:100]))

print("# %d failure(s)" % failures)
sys.exit(1 if failures else 0)
