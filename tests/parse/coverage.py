#!/usr/bin/python3
"""Issue 13's coverage figure on a capture corpus: of the packets whose
network layer (IPv4, IPv6) and transport layer (TCP, UDP, ICMP, ICMPv6)
tshark decodes, how many does libpktdecode decode too, and the reverse.

    tests/parse/coverage.py [-d PKTD_DECODE] [-j JOBS] [-n TOP] [DIR]

DIR defaults to /work/shared/corpus/tcpdump (every *.pcap, *.pcapng, *.cap
in it); PKTD_DECODE to examples/pktd-decode of the current directory (a
build tree).  Per file it runs `tshark -T fields -e frame.protocols` (IP
reassembly off, so a later fragment has no transport for either decoder)
and `pktd-decode -j`, and compares packet by packet:

- network: tshark's path has `ip` or `ipv6`; ours has `ipv4` or `ipv6`.
- transport: the protocol tshark puts right after the first IP layer (IPv6
  extension headers skipped) is tcp, udp, icmp or icmpv6; ours has it.

A packet tshark decodes and we do not is a miss, counted with the reason:
our decode error (layer and message, numbers removed) or, without one,
tshark's path up to the IP layer (what sits between the link and IP).
Tunnels (a second IP layer not quoted by ICMP) are counted separately:
another part of the project decodes them.  Our first IP layer may sit
inside an "encap" object (an MPLS stack, a PPPoE session): that is where
tshark's first IP layer is too.  Two narrower figures follow the overall
one: the packets on link types we decode, and of those the packets in
which tshark reports no expert item of severity Error (its "Malformed
packet" and "Bad length" verdicts, among others).  Not a `make check` test (it
needs tshark and takes minutes); it prints figures and asserts nothing.
"""
import argparse
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys

TRANSPORT = ("tcp", "udp", "icmp", "icmpv6")
# IPv6 extension headers as tshark names them in frame.protocols.
IPV6_EXT = re.compile(r"^(ipv6\..*|ah)$")


def tshark_paths(path):
    """Frame number -> list of protocol names, from tshark."""
    out = subprocess.run(
        ["tshark", "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
         "-T", "fields", "-e", "frame.number", "-e", "frame.protocols",
         "-e", "_ws.expert.severity"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False).stdout
    frames = {}
    for line in out.splitlines():
        num, protos, sev = (line.split("\t") + ["", ""])[:3]
        if num.isdigit():
            # tshark's own verdict: an expert item of severity Error
            # (PI_ERROR, 0x00800000; malformed packets carry one).
            bad = any(v.isdigit() and int(v) >= 0x00800000 for v in sev.split(","))
            frames[int(num)] = (protos.split(":") if protos else [], bad)
    return frames


def ours(pktd_decode, path):
    """Frame number -> the decoded record (dict), from pktd-decode -j."""
    res = subprocess.run([pktd_decode, "-j", path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, check=False)
    recs = {}
    for line in res.stdout.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        recs[rec["n"]] = rec
    return recs


def tshark_layers(protos):
    """(network, transport, path to the IP layer, tunnel) of a tshark path."""
    ip_at = next((i for i, p in enumerate(protos) if p in ("ip", "ipv6")), None)
    if ip_at is None:
        return None, None, ":".join(protos), False
    rest = protos[ip_at + 1:]
    while rest and IPV6_EXT.match(rest[0]):
        rest = rest[1:]
    trans = rest[0] if rest and rest[0] in TRANSPORT else None
    # A second IP layer that no ICMP message quotes: a tunnel.
    tunnel = False
    for i, p in enumerate(protos[ip_at + 1:], ip_at + 1):
        if p in ("ip", "ipv6") and not any(q in ("icmp", "icmpv6") for q in protos[ip_at:i]):
            tunnel = True
            break
    return protos[ip_at], trans, ":".join(protos[:ip_at]), tunnel


def levels(rec):
    """The record's levels: itself, then each "encap" object inside it (the
    packet inside an MPLS stack, PPPoE session, GRE, VXLAN ... header)."""
    while rec:
        yield rec
        rec = rec.get("encap")


def our_layers(rec):
    """(network, transport) of the first level of ours with an IP layer:
    the level that tshark's first IP layer is at, whether the link header
    carries IP itself or through an MPLS stack or PPPoE session first."""
    for lv in levels(rec):
        net = "ipv4" if "ipv4" in lv else "ipv6" if "ipv6" in lv else None
        if net:
            return net, next((t for t in TRANSPORT if t in lv), None)
    return None, None


def our_reason(rec):
    # The error of the deepest level that has one: an inner packet that
    # failed says why the layers tshark decodes there are missing.
    err = None
    for lv in levels(rec):
        err = lv.get("error") or err
    if not err:
        return None
    msg = err.get("msg", "")
    # Numbers removed so that one reason is one line, but a link type's
    # number is the reason.
    if "link type" not in msg:
        msg = re.sub(r"\b\d+\b", "N", msg)
    return "%s: %s" % (err.get("layer"), msg)


def compare(args):
    pktd_decode, path = args
    name = os.path.basename(path)
    theirs = tshark_paths(path)
    mine = ours(pktd_decode, path)
    c = collections.Counter()
    miss_net, miss_trans, extra = collections.Counter(), collections.Counter(), collections.Counter()
    examples = {}
    for num, (protos, tshark_error) in theirs.items():
        rec = mine.get(num, {})
        net, trans, prefix, tunnel = tshark_layers(protos)
        our_net, our_trans = our_layers(rec)
        c["packets"] += 1
        if num not in mine:
            c["not read by pktd-decode"] += 1
        if tunnel:
            c["tunnel"] += 1
        reason = our_reason(rec) or "no error; tshark path " + (prefix or "-")
        # The two narrower figures: packets on a link type we decode
        # ("sup"), and of those the ones tshark itself finds no error in
        # ("clean").
        scopes = []
        if not reason.startswith("link: unsupported link type"):
            scopes.append("sup")
            if not tshark_error:
                scopes.append("clean")
        for kind, theirs_has, ours_has in (("net", net, our_net), ("trans", trans, our_trans == trans)):
            for sc in scopes:
                if theirs_has:
                    c["%s_tshark_%s" % (kind, sc)] += 1
                    if ours_has:
                        c["%s_both_%s" % (kind, sc)] += 1
        if net:
            c["net_tshark"] += 1
            if our_net:
                c["net_both"] += 1
            else:
                key = ("tunnel: " if tunnel else "") + reason
                miss_net[key] += 1
                examples.setdefault(("net", key), "%s#%d" % (name, num))
        elif our_net:
            extra["network only ours: tshark path " + ":".join(protos)] += 1
            examples.setdefault(("extra", "net"), "%s#%d" % (name, num))
        if trans:
            c["trans_tshark"] += 1
            if our_trans == trans:
                c["trans_both"] += 1
            else:
                key = ("tunnel: " if tunnel else "") + (
                    reason if our_trans is None else "we decode %s, tshark %s" % (our_trans, trans))
                miss_trans[key] += 1
                examples.setdefault(("trans", key), "%s#%d" % (name, num))
        elif our_trans:
            after = protos[protos.index(net) + 1:] if net else protos
            extra["%s only ours: tshark has %s" % (our_trans, ":".join(after[:2]) or "-")] += 1
    return c, miss_net, miss_trans, extra, examples


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default="/work/shared/corpus/tcpdump")
    ap.add_argument("-d", dest="pktd_decode", default="examples/pktd-decode")
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("-n", dest="top", type=int, default=12)
    a = ap.parse_args()
    if not os.access(a.pktd_decode, os.X_OK):
        sys.exit("coverage.py: %s: not an executable (build first, or -d)" % a.pktd_decode)
    files = sorted(os.path.join(a.dir, f) for f in os.listdir(a.dir)
                   if f.endswith((".pcap", ".pcapng", ".cap")))
    total = collections.Counter()
    miss_net, miss_trans, extra = collections.Counter(), collections.Counter(), collections.Counter()
    examples = {}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        for c, mn, mt, e, exs in ex.map(compare, [(a.pktd_decode, f) for f in files]):
            total.update(c)
            miss_net.update(mn)
            miss_trans.update(mt)
            extra.update(e)
            for k, v in exs.items():
                examples.setdefault(k, v)

    def pct(n, d):
        return "%.3f %%" % (100.0 * n / d) if d else "-"

    print("%d files, %d packets (tshark); %d not read by pktd-decode; %d in tunnels"
          % (len(files), total["packets"], total["not read by pktd-decode"], total["tunnel"]))
    print("network layer:   tshark %d, both %d: %s; missed %d (%d of them tunnels)"
          % (total["net_tshark"], total["net_both"], pct(total["net_both"], total["net_tshark"]),
             sum(miss_net.values()), sum(v for k, v in miss_net.items() if k.startswith("tunnel"))))
    print("transport layer: tshark %d, both %d: %s; missed %d (%d of them tunnels)"
          % (total["trans_tshark"], total["trans_both"],
             pct(total["trans_both"], total["trans_tshark"]), sum(miss_trans.values()),
             sum(v for k, v in miss_trans.items() if k.startswith("tunnel"))))
    for sc, what in (("sup", "on the link types we decode"),
                     ("clean", "on those, without a tshark expert error")):
        print("%s:" % what)
        for kind, name in (("net", "network layer:  "), ("trans", "transport layer:")):
            n, d = total["%s_both_%s" % (kind, sc)], total["%s_tshark_%s" % (kind, sc)]
            print("  %s tshark %d, both %d: %s; missed %d" % (name, d, n, pct(n, d), d - n))
    for title, counter, kind in (("network misses", miss_net, "net"),
                                 ("transport misses", miss_trans, "trans")):
        print("\nTop %s (packets, reason, first example):" % title)
        for key, n in counter.most_common(a.top):
            print("  %6d  %s  [%s]" % (n, key, examples.get((kind, key), "")))
    print("\nDecoded by us and not by tshark (packets):")
    for key, n in extra.most_common(a.top):
        print("  %6d  %s" % (n, key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
