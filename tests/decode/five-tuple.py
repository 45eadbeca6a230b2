#!/usr/bin/env python3
"""examples/five_tuple, the program users copy, must keep printing what the
library decodes: its lines are compared with the 5-tuples taken from
pktd-decode -j on the sample capture and a few tcpdump captures (pcapng,
DNS over UDP and TCP, nanosecond pcap).  Exit 0 when they agree, 1 otherwise.
"""
import json
import os
import subprocess
import sys

SRC = os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
DECODE = os.path.join(BUILD, "examples", "pktd-decode")
FIVE = os.path.join(BUILD, "examples", "five_tuple")
CORPUS = os.path.join(SRC, "tests", "corpus", "tcpdump")
FILES = [os.path.join(SRC, "tests", "data", "sample.pcap")] + [
    os.path.join(CORPUS, f) for f in ("bgp-role.pcapng", "dns_udp.pcap", "dns_tcp.pcap",
                                      "tcp-handshake-nano.pcap", "ipv4_tcp_http_xml.pcap")
    if os.path.exists(os.path.join(CORPUS, f))
]


def expected(path):
    out = subprocess.run([DECODE, "-j", path], check=True, capture_output=True, text=True).stdout
    lines = []
    for line in out.splitlines():
        rec = json.loads(line)
        ip = rec.get("ipv4")
        for proto in ("tcp", "udp"):
            if ip and proto in rec:
                t = rec[proto]
                lines.append(f"{rec['n']} {proto} {ip['src']}:{t['sport']} -> {ip['dst']}:{t['dport']}")
    return lines


def main():
    failures = 0
    for path in FILES:
        want = expected(path)
        got = subprocess.run([FIVE, path], check=True, capture_output=True, text=True).stdout.splitlines()
        name = os.path.basename(path)
        if not want:
            print(f"FAIL {name}: pktd-decode -j shows no TCP or UDP packet; pick another capture")
            failures += 1
        elif got == want:
            print(f"ok {name}: {len(got)} 5-tuples agree")
        else:
            failures += 1
            print(f"FAIL {name}: five_tuple printed {len(got)} lines, pktd-decode -j has {len(want)}")
            for g, w in zip(got, want):
                if g != w:
                    print(f"  first difference: five_tuple '{g}', expected '{w}'")
                    break
    # A file that is not a capture: a message and exit status 1.
    bad = subprocess.run([FIVE, os.path.join(SRC, "README")], capture_output=True, text=True)
    if bad.returncode == 1 and bad.stderr.startswith("five_tuple: "):
        print("ok not a capture file: exit 1 with a message")
    else:
        failures += 1
        print(f"FAIL not a capture file: exit {bad.returncode}, stderr {bad.stderr!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
