#!/usr/bin/env python3
"""The Python sniffers (examples/python/pktd_sniff_{ip,tcp,arp}.py) behave
like the C programs pktd-sniff-ip, pktd-sniff-tcp and pktd-sniff-arp.

Each pair runs side by side on the same traffic, in a private network
namespace this test creates (its loopback, and a veth pair for ARP), and
must print the same lines on stdout and the same statistics on stderr:
- pktd-sniff-ip: ICMP echo (request + reply), UDP with -P udp, an
  unassigned protocol with -P 253 (Unknown(253));
- pktd-sniff-tcp: a TCP connection carrying text and binary data;
- pktd-sniff-arp: an ARP request, a reply and a RARP request on a veth.
Then, without CAP_NET_RAW (as nobody), both fail with status 1 and say why.
Once capturing, each of the six holds no privilege any more: CapInh, CapPrm,
CapEff and CapAmb 0 and NoNewPrivs 1 (they are started by root).

Needs root (namespaces, raw sockets): exits 77 otherwise.
Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import shutil
import socket
import struct
import subprocess
import sys
import time

srcdir = os.path.abspath(os.environ.get("top_srcdir", "."))
builddir = os.path.abspath(os.environ.get("top_builddir", "."))
os.environ["top_srcdir"], os.environ["top_builddir"] = srcdir, builddir

if os.geteuid() != 0:
    print("SKIP: needs root: raw sockets and a private network namespace")
    sys.exit(77)
if os.environ.get("PKTD_IN_NETNS") != "1":
    if not shutil.which("unshare") or not shutil.which("ip"):
        print("SKIP: needs unshare(1) and ip(8) (util-linux, iproute2)")
        sys.exit(77)
    env = dict(os.environ, PKTD_IN_NETNS="1")
    rc = subprocess.call(["unshare", "--net", sys.executable, os.path.abspath(__file__)], env=env)
    if rc == 1 and subprocess.call(["unshare", "--net", "true"]) != 0:
        print("SKIP: cannot create a network namespace here")
        sys.exit(77)
    sys.exit(rc)

# ------------------------------------------------ inside our own namespace
os.environ["PKTDECODE_LIB"] = os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1")
pydir = os.path.join(srcdir, "examples", "python")
failures = 0


def check(ok, what):
    global failures
    print(("ok - " if ok else "not ok - ") + what)
    if not ok:
        failures += 1
    return ok


def sh(*cmd):
    subprocess.run(cmd, check=True)


sh("ip", "link", "set", "lo", "up")


def raw_sockets(proto):
    """Raw IP sockets open for a protocol (/proc/net/raw: the port is the protocol)."""
    with open("/proc/net/raw") as f:
        return sum(1 for line in f.readlines()[1:] if line.split()[1].endswith(":%04X" % proto))


def packet_sockets(ifindex):
    """AF_PACKET sockets bound to ETH_P_ALL on an interface (/proc/net/packet)."""
    with open("/proc/net/packet") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return sum(1 for r in rows if int(r[3], 16) == 0x0003 and int(r[4]) == ifindex)


def start(argv_c, argv_py):
    c = subprocess.Popen([os.path.join(builddir, "examples", argv_c[0])] + argv_c[1:],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    py = subprocess.Popen([sys.executable, os.path.join(pydir, argv_py[0])] + argv_py[1:],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return c, py


def wait_until(cond, what, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            # The socket exists; give activation (ring, filter, bind) a moment.
            time.sleep(0.3)
            return True
    check(False, "timed out waiting for " + what)
    return False


def no_privileges(pair, name):
    """Each process of the pair, now capturing, gives up every capability
    and sets no_new_privs (waited for: it happens right after activation)."""
    keys = ("CapInh", "CapPrm", "CapEff", "CapAmb", "NoNewPrivs")
    none = ["0000000000000000"] * 4 + ["1"]
    for proc in pair:
        state = None
        end = time.monotonic() + 10.0
        while time.monotonic() < end and proc.poll() is None:
            with open("/proc/%d/status" % proc.pid) as f:
                fields = dict(line.split(":", 1) for line in f)
            state = [fields[k].strip() for k in keys]
            if state == none:
                break
            time.sleep(0.05)
        prog = proc.args[1] if proc.args[0] == sys.executable else proc.args[0]
        check(state == none, "%s: %s holds no privilege while capturing (%s: %s)"
              % (name, os.path.basename(prog), " ".join(keys), state))


def finish(pair, name, expect_lines):
    outs = []
    for proc in pair:
        try:
            out, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            check(False, "%s: %s did not stop after its count" % (name, proc.args[0]))
        outs.append((proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")))
    (rc_c, out_c, err_c), (rc_py, out_py, err_py) = outs
    print("# C:      " + out_c.replace("\n", "\n#         ").rstrip())
    print("# C err:  " + err_c.replace("\n", "\n#         ").rstrip())
    print("# Python err: " + err_py.replace("\n", "\n#         ").rstrip())
    check(rc_c == 0 and rc_py == 0, "%s: both exit 0 (C %s, Python %s)" % (name, rc_c, rc_py))
    check(out_c == out_py and all(line in out_c for line in expect_lines) and out_c,
          "%s: same output from both (%d lines)" % (name, out_c.count("\n")))
    if out_c != out_py:
        print("# Python: " + out_py.replace("\n", "\n#         ").rstrip())
    check(err_c == err_py, "%s: same statistics on stderr" % name)


def icmp_echo(seq):
    body = struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq) + b"pktdecode" * 4
    s = sum(struct.unpack("!%dH" % (len(body) // 2), body))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return body[:2] + struct.pack("!H", ~s & 0xffff) + body[4:]


# ---- pktd-sniff-ip: ICMP echo request + reply, twice -> 4 packets
pair = start(["pktd-sniff-ip", "-c", "4"], ["pktd_sniff_ip.py", "-c", "4"])
if wait_until(lambda: raw_sockets(1) >= 2, "the ICMP sniffers"):
    no_privileges(pair, "pktd-sniff-ip (ICMP)")
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as s:
        for seq in (1, 2):
            s.sendto(icmp_echo(seq), ("127.0.0.1", 0))
            time.sleep(0.05)
finish(pair, "pktd-sniff-ip (ICMP)", ["ICMP: 127.0.0.1 -> 127.0.0.1\n"])

# ---- -P udp: two datagrams
pair = start(["pktd-sniff-ip", "-c", "2", "-P", "udp"], ["pktd_sniff_ip.py", "-c", "2", "-P", "udp"])
if wait_until(lambda: raw_sockets(17) >= 2, "the UDP sniffers"):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.2", 0))
        for _ in range(2):
            s.sendto(b"x" * 10, ("127.0.0.1", 9))
            time.sleep(0.05)
finish(pair, "pktd-sniff-ip -P udp", ["UDP: 127.0.0.2 -> 127.0.0.1\n"])

# ---- -P 253 (reserved for experiments): Unknown(253)
pair = start(["pktd-sniff-ip", "-c", "1", "-P", "253"], ["pktd_sniff_ip.py", "-c", "1", "-P", "253"])
if wait_until(lambda: raw_sockets(253) >= 2, "the protocol 253 sniffers"):
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, 253) as s:
        s.sendto(b"experiment", ("127.0.0.1", 0))
finish(pair, "pktd-sniff-ip -P 253", ["Unknown(253): 127.0.0.1 -> 127.0.0.1\n"])

# ---- pktd-sniff-tcp: two data segments (text, binary) on a connection
pair = start(["pktd-sniff-tcp", "-c", "2"], ["pktd_sniff_tcp.py", "-c", "2"])
if wait_until(lambda: raw_sockets(6) >= 2, "the TCP sniffers"):
    no_privileges(pair, "pktd-sniff-tcp")
    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 8088))
        srv.listen(1)
        cli = socket.create_connection(("127.0.0.1", 8088))
        conn, _ = srv.accept()
        cli.sendall(b"GET / HTTP/1.0\r\nHost: example\r\n\tand a line long enough to be cut at fifty bytes\r\n\r\n")
        conn.recv(4096)
        time.sleep(0.05)
        conn.sendall(bytes(range(0, 40)) + b"\\ end")
        cli.recv(4096)
        time.sleep(0.05)
        conn.close()
        cli.close()
finish(pair, "pktd-sniff-tcp", ["-> 8088 [PSH,ACK] Seq=", "Data: GET / HTTP/1.0\\r\\nHost:", "Data: \\x00\\x01"])

# ---- pktd-sniff-arp: three ARP frames into a veth
sh("ip", "link", "add", "pk0", "type", "veth", "peer", "name", "pk1")
sh("ip", "link", "set", "pk0", "up")
sh("ip", "link", "set", "pk1", "up")
ifindex = socket.if_nametoindex("pk1")
pair = start(["pktd-sniff-arp", "-i", "pk1", "-c", "3"], ["pktd_sniff_arp.py", "-i", "pk1", "-c", "3"])
if wait_until(lambda: packet_sockets(ifindex) >= 2, "the ARP sniffers"):
    no_privileges(pair, "pktd-sniff-arp")
    mac1, mac2 = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")
    ip1, ip2 = socket.inet_aton("10.0.0.1"), socket.inet_aton("10.0.0.2")

    def arp(dst, src, op, sha, spa, tha, tpa, ethertype=0x0806):
        return (dst + src + struct.pack("!H", ethertype) + struct.pack("!HHBBH", 1, 0x0800, 6, 4, op)
                + sha + spa + tha + tpa).ljust(60, b"\0")
    frames = [arp(b"\xff" * 6, mac1, 1, mac1, ip1, b"\0" * 6, ip2),
              arp(mac1, mac2, 2, mac2, ip2, mac1, ip1),
              arp(b"\xff" * 6, mac1, 3, mac1, b"\0" * 4, mac1, b"\0" * 4, ethertype=0x0806)]
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind(("pk0", 0))
        for fr in frames:
            s.send(fr)
            time.sleep(0.05)
finish(pair, "pktd-sniff-arp", ["Opcode: 0001 (Request)\n", "Opcode: 0002 (Reply)\n",
                                "Opcode: 0003 (RARP Request)\n", "Sender IP: 10.0.0.1\n",
                                "Target MAC: 02:00:00:00:00:01\n", "ETHERNET FRAME\n"])
sh("ip", "link", "del", "pk0")

# ---- without CAP_NET_RAW: status 1 and a reason, from both
if shutil.which("setpriv"):
    drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"]
    for c, py in ((["pktd-sniff-ip"], ["pktd_sniff_ip.py"]), (["pktd-sniff-arp"], ["pktd_sniff_arp.py"])):
        res = []
        for argv in (drop + [os.path.join(builddir, "examples", ".libs", c[0])],
                     drop + [sys.executable, os.path.join(pydir, py[0])]):
            env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(builddir, "lib", ".libs"))
            r = subprocess.run(argv + ["-c", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env, timeout=15)
            res.append((r.returncode, r.stderr.decode(errors="replace").strip()))
        print("# C: %r\n# Python: %r" % tuple(res))
        check(all(rc == 1 and ("root" in msg or "CAP_NET_RAW" in msg or "ermission" in msg)
                  for rc, msg in res), "%s without CAP_NET_RAW: both exit 1 and say why" % c[0])
else:
    print("# setpriv not found: unprivileged check not run")

sys.exit(1 if failures else 0)
