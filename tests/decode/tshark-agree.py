#!/usr/bin/env python3
"""pktd-decode -j must agree with tshark, field by field.

For each capture given (default: the sample and a set of real captures from
tests/corpus/tcpdump), decode with pktd-decode -j and with tshark -T fields,
then compare every field of every layer both decoded, and check that neither
side decodes a first-level layer (IPv4 behind EtherType 0x0800, TCP/UDP/ICMP
behind a whole IPv4 header) that the other misses.  Exit 0 when all agree,
1 on any disagreement (each listed), 77 when tshark is not installed.
"""
import json
import os
import shutil
import struct
import subprocess
import sys

SRC = os.environ.get("top_srcdir", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
DECODE = os.path.join(BUILD, "examples", "pktd-decode")
CORPUS = os.path.join(SRC, "tests", "corpus", "tcpdump")

DEFAULT_FILES = [os.path.join(SRC, "tests", "data", "sample.pcap")] + [
    os.path.join(CORPUS, f) for f in (
        "802.1ad_QinQ.pcap", "dns_tcp.pcap", "dns_udp.pcap", "tcp-handshake-nano.pcap",
        "mptcp-v1.pcap", "ipv4_tcp_http_xml.pcap", "ntp.pcap", "syslog_udp.pcap",
        "LINKTYPE_IPV4.pcap", "LINKTYPE_RAW_ipv4.pcap", "icmp-rfc5837.pcap",
        "tcp_rst_data.pcap", "dhcp-rfc3004.pcap", "arp-too-long-tha.pcap",
        "ipv4_invalid_total_length.pcap", "ipv4_tcp_http_xml_tso.pcap",
        "udp-length-heapoverflow.pcap", "tcp_header_heapoverflow.pcap",
    )
] + [
    # The link types of 1.1 without Ethernet: NULL (IPv4 and macOS IPv6),
    # PPP (with and without address/control, MPLS), PPP_HDLC (odd control
    # bytes, a 2-byte capture), Cisco HDLC (IPv4, SLARP, CDP, CLNS).
    os.path.join(CORPUS, f) for f in (
        "dns-badcookie.pcap", "ikev2four.pcap", "ospf-gmpls.pcap", "tcp_rst_diag_payload.pcap",
        "tcp_rst_diag_payload-trunc.pcap", "quic_handshake.pcap", "bgp_vpn_attrset.pcap",
        "mpls-ldp-hello.pcap", "ppp-invalid-lengths.pcap", "icmp_inft_name_length_zero.pcap",
        "ppp_ip_udp_dns.pcap", "ppp_error_hexdump.pcap", "heapoverflow-ppp_hdlc_if_print.pcap",
        "HDLC.pcap", "ISIS_p2p_adjacency.pcap", "chdlc-slarp.pcap",
    )
] + [
    # IPv6 and ICMPv6 (1.1): ND, echo, router messages, TCP (offloaded and
    # jumbo-sized), UDP/DHCPv6, raw link types, routing, hop-by-hop and
    # fragment headers, a bad version.
    os.path.join(CORPUS, f) for f in (
        "icmpv6.pcap", "icmpv6-ns-nonce.pcap", "icmpv6-ra-pref64.pcap", "icmpv6-rfc7112.pcap",
        "ipv6-routing-header.pcap", "ipv6_jumbogram_1.pcap", "ipv6-bad-version.pcap",
        "gso-ipv6.pcap", "bigtcp-ipv6-hbh.pcap", "LINKTYPE_IPV6.pcap", "LINKTYPE_RAW_ipv6.pcap",
        "dhcpv6-ia-na.pcap", "dhcpv6-domain-list.pcap", "ipv6_frag6_negative_len.pcap",
        "ip6_frag_asan.pcap", "dcb_ets.pcap", "ipv6-srh-ext-header.pcap",
    )
]

FIELDS = [
    "frame.number", "frame.time_epoch", "frame.cap_len", "frame.len", "frame.protocols",
    "eth.src", "eth.dst", "eth.type", "eth.len", "vlan.id", "vlan.etype", "vlan.len", "ieee8021ad.id",
    "sll.etype", "sll.ltype",
    "null.family", "ppp.address", "ppp.control", "ppp.protocol",
    "chdlc.address", "chdlc.control", "chdlc.protocol",
    "arp.hw.type", "arp.proto.type", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4",
    "arp.dst.hw_mac", "arp.dst.proto_ipv4",
    "ip.src", "ip.dst", "ip.cur_rt", "ip.hdr_len", "ip.dsfield", "ip.len", "ip.id", "ip.flags.df",
    "ip.flags.mf", "ip.frag_offset", "ip.ttl", "ip.proto", "ip.checksum", "ip.checksum.status",
    "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack", "tcp.hdr_len", "tcp.flags",
    "tcp.window_size_value", "tcp.checksum", "tcp.urgent_pointer", "tcp.len",
    "tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.sack_perm",
    "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.options.sack_le",
    "tcp.options.sack_re",
    "udp.srcport", "udp.dstport", "udp.length", "udp.checksum",
    "icmp.type", "icmp.code", "icmp.checksum", "icmp.ident", "icmp.seq",
    "tcp.checksum.status", "udp.checksum.status",
    "ipv6.src", "ipv6.dst", "ipv6.tclass", "ipv6.flow", "ipv6.plen", "ipv6.nxt", "ipv6.hlim",
    "ipv6.fraghdr.offset", "ipv6.fraghdr.more", "ipv6.fraghdr.ident",
    "icmpv6.type", "icmpv6.code", "icmpv6.checksum", "icmpv6.checksum.status",
    "icmpv6.echo.identifier", "icmpv6.echo.sequence_number",
    "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address", "icmpv6.nd.rd.target_address",
    "_ws.malformed", "_ws.expert.message",
]

TSHARK_PREFS = [
    "-o", "ip.check_checksum:TRUE", "-o", "ip.defragment:FALSE",
    "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "tcp.analyze_sequence_numbers:FALSE",
    "-o", "tcp.desegment_tcp_streams:FALSE", "-o", "tcp.check_checksum:TRUE",
    "-o", "udp.check_checksum:TRUE", "-o", "ipv6.defragment:FALSE",
]


class TsharkFailed(Exception):
    pass


def tshark_rows(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=a", "-E", "aggregator=;"] + TSHARK_PREFS
    for f in FIELDS:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        # A file tshark cannot read to its end (a cut or bad record): there
        # is nothing to compare with; the caller says so.
        raise TsharkFailed(res.returncode, (res.stderr.strip().splitlines() or [""])[-1])
    out = res.stdout
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(FIELDS) - len(vals))
        rows.append({k: (v.split(";") if v else []) for k, v in zip(FIELDS, vals)})
    return rows


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def ns_from_epoch(s):
    """tshark's frame.time_epoch in ns.  A sub-second part of more than 9
    digits is a nanosecond count of 10^9 or more, which tshark prints as it
    stands (a pcap record's sub-second field out of range)."""
    sec, _, frac = s.partition(".")
    sign = -1 if sec.startswith("-") else 1
    sub = int(frac) if len(frac) > 9 else int((frac + "000000000")[:9])
    return int(sec) * 10**9 + sign * sub


def pcap_usec_fields(path):
    """The sub-second field of each record of a classic microsecond pcap
    file, as written; None for another format."""
    with open(path, "rb") as f:
        b = f.read()
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">"}.get(b[:4])
    if order is None:
        return None
    out, off = [], 24
    while off + 16 <= len(b):
        _, usec, caplen, _ = struct.unpack_from(order + "IIII", b, off)
        out.append(usec)
        off += 16 + caplen
    return out


class Checker:
    def __init__(self, name):
        self.name, self.errors, self.compared = name, [], 0
        # Differences on purpose (doc/design.md, "Agreement with tshark"):
        # not compared, but counted and printed by reason.
        self.skipped = {}
        self.tshark_malformed = False

    def skip(self, reason):
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def eq(self, n, what, ours, theirs):
        self.compared += 1
        if ours != theirs:
            self.errors.append(f"{self.name} #{n} {what}: pktd-decode {ours!r} != tshark {theirs!r}")

    def first(self, n, row, field, ours, conv=num):
        vals = row[field]
        if not vals and self.tshark_malformed:
            self.skip("a field tshark has not: it stopped at a malformed-packet exception")
            return
        if not vals:
            self.errors.append(f"{self.name} #{n} {field}: tshark has no value, pktd-decode {ours!r}")
            return
        self.eq(n, field, ours, conv(vals[0]))


def compare(path):
    name = os.path.basename(path)
    c = Checker(name)
    proc = subprocess.run([DECODE, "-j", path], capture_output=True, text=True)
    if proc.returncode != 0:
        return [f"{name}: pktd-decode exited {proc.returncode}: {proc.stderr.strip()}"], 0, {}
    ours = [json.loads(line) for line in proc.stdout.splitlines()]
    try:
        theirs = tshark_rows(path)
    except TsharkFailed as e:
        if e.args[0] != 2:
            # Not the file: tshark refused the command line (a field or a
            # preference this tshark does not know).  Every file would be
            # "not compared" and the run would pass having compared nothing.
            return [f"{name}: tshark exited {e.args[0]}, a usage error: {e.args[1]}"], 0, {}
        print(f"{name}: not compared: tshark exited {e.args[0]} ({e.args[1]})")
        return [], 0, {}
    c.eq(0, "packet count", len(ours), len(theirs))
    usecs = pcap_usec_fields(path)
    for o, t in zip(ours, theirs):
        n = o["n"]
        c.tshark_malformed = bool(t["_ws.malformed"])
        err = o.get("error", {})
        if err.get("layer") == "link" and err.get("code") == "unsupported":
            # A link type the library does not decode (issue 13 names the
            # ones it does): nothing to compare, and wiretap takes
            # pseudo-headers off some of them (frame lengths differ).
            c.skip("packet on a link type the library does not decode")
            continue
        c.first(n, t, "frame.number", n)
        ts = ns_from_epoch(t["frame.time_epoch"][0])
        if ts < 0:
            # On purpose (reader.h): pcap seconds are unsigned (to 2106);
            # tshark reads them, or an out-of-range nanosecond field, as
            # signed and prints a negative time.
            c.skip("a time tshark prints negative: seconds and sub-seconds read as unsigned")
        elif usecs is not None and n <= len(usecs) and usecs[n - 1] >= 10**6 and \
                ts % 10**9 == 0 and o["ts_ns"] == ts + usecs[n - 1] * 1000:
            # On purpose (reader.h): a microsecond field of 10^6 or more is
            # added as it stands; tshark shows the fraction 0.  Exactly
            # that case (the record's own field, read from the file): a
            # time off by whole seconds elsewhere is still a disagreement.
            c.skip("a microsecond field of 10^6 or more: added as it stands, tshark shows 0")
        else:
            # On purpose (reader.h): a time past 2^64 ns (year 2554) saturates.
            c.eq(n, "ts_ns", o["ts_ns"], min(ts, 2**64 - 1))
        c.first(n, t, "frame.cap_len", o["caplen"])
        c.first(n, t, "frame.len", o["len"])
        err_layer = o.get("error", {}).get("layer")
        protos = t["frame.protocols"][0].split(":") if t["frame.protocols"] else []
        if "eth" in o and ("isl" in protos or o["eth"]["dst"].startswith("01:00:0c:00:00:")):
            # Cisco ISL (destination 01:00:0c:00:00:xx, what Wireshark goes
            # by): not decoded; tshark's eth fields are those of the frame
            # inside.
            c.skip("Cisco ISL frame: tshark's eth fields are the inner frame's")
        elif "eth" in o:
            e = o["eth"]
            c.first(n, t, "eth.src", e["src"], str)
            c.first(n, t, "eth.dst", e["dst"], str)
            # The outer frame's tags only: an Ethernet frame inside (an MPLS
            # pseudowire, GRE, VXLAN) brings its own eth and vlan fields.
            # The outer frame's tags: the first run of Ethernet and tag
            # headers in tshark's path (what follows an MPLS, Arista or
            # tunnel header has eth and vlan fields of its own).
            outer = []
            for proto in protos:
                if proto not in ("eth", "ethertype", "vlan", "ieee8021ad"):
                    break
                outer.append(proto)
            n_ad, n_q = outer.count("ieee8021ad"), outer.count("vlan")
            vids = [num(v) for v in t["ieee8021ad.id"][:n_ad] + t["vlan.id"][:n_q]]
            c.eq(n, "vlan ids", e["vlan"], vids[:len(e["vlan"])] if err_layer == "vlan" else vids)
            # tshark has no field for the type after an 802.1ad tag that no
            # 802.1Q tag follows: compare the type only where it has one.
            # Below 0x600 the field is an 802.3 length (eth.len, vlan.len).
            if err_layer not in ("eth", "vlan") and not (n_ad and not n_q):
                if e["type"] < 0x600:
                    lens = t["vlan.len"][:n_q] if n_q else t["eth.len"][:1]
                    c.eq(n, "802.3 length (after tags)", e["type"], num(lens[-1]) if lens else None)
                else:
                    etypes = t["vlan.etype"][:n_q] if n_q else t["eth.type"][:1]
                    c.eq(n, "eth.type (after tags)", e["type"], num(etypes[-1]) if etypes else None)
        if "arp" in o:
            a = o["arp"]
            c.first(n, t, "arp.hw.type", a["htype"])
            c.first(n, t, "arp.proto.type", a["ptype"])
            c.first(n, t, "arp.opcode", a["op"])
            if a["htype"] == 1 and a["ptype"] == 0x800:
                c.first(n, t, "arp.src.hw_mac", a["sha"], str)
                c.first(n, t, "arp.src.proto_ipv4", a["spa"], str)
                c.first(n, t, "arp.dst.hw_mac", a["tha"], str)
                c.first(n, t, "arp.dst.proto_ipv4", a["tpa"], str)
        link = o.get("link")
        link_ip = False  # the link header says IPv4
        tshark_link = t["null.family"] or t["ppp.protocol"] or t["chdlc.protocol"]
        # PPP after a PPPoE session header is in the "encap" object; a GRE
        # version 1 header (PPTP) is refused on purpose (doc/design.md,
        # tunnels), and tshark's PPP is behind it.
        encaps, lv = [], o.get("encap")
        while lv:
            encaps.append(lv)
            lv = lv.get("encap")
        pppoe = [lv for lv in encaps if lv["type"] == "pppoe" and "link" in lv]
        if link is None and pppoe:
            c.first(n, t, "ppp.protocol", pppoe[0]["link"]["proto"])
        elif link is None and any(lv.get("error", {}).get("code") == "unsupported" for lv in encaps):
            pass
        elif link is None and t["null.family"] and not t["null.family"][0]:
            pass
        elif tshark_link and link is None and err_layer not in ("loopback", "ppp", "chdlc"):
            c.errors.append(f"{name} #{n}: tshark decodes the link header, pktd-decode does not")
        if link is not None:
            if "family" in link:
                # On purpose: a 4-byte header that is no AF value in either
                # byte order is not decoded (as tcpdump); tshark then tries
                # it as a 16-bit value or an EtherType and has no family.
                if t["null.family"] or link["family"] in (2, 24, 28, 30):
                    c.first(n, t, "null.family", link["family"])
                link_ip = link["family"] == 2
            elif link["type"] == 104 or "ctrl" in link and link.get("addr") != 255:
                c.first(n, t, "chdlc.address", link["addr"])
                c.first(n, t, "chdlc.control", link["ctrl"])
                c.first(n, t, "chdlc.protocol", link["proto"])
                link_ip = link["proto"] == 0x800
            else:
                c.eq(n, "ppp.address", link.get("addr"), num(t["ppp.address"][0]) if t["ppp.address"] else None)
                c.eq(n, "ppp.control", link.get("ctrl"), num(t["ppp.control"][0]) if t["ppp.control"] else None)
                c.first(n, t, "ppp.protocol", link["proto"])
                link_ip = link["proto"] == 0x21
        ip = o.get("ipv4")
        want_ip = ("eth" in o and o["eth"]["type"] == 0x800 and err_layer not in ("eth", "vlan")) or link_ip
        if want_ip and ip is None and err_layer != "ipv4":
            c.errors.append(f"{name} #{n}: tshark decodes IPv4, pktd-decode does not")
        if ip is not None:
            c.first(n, t, "ip.src", ip["src"], str)
            # With a source route option tshark's ip.dst is the route's
            # final destination; the header's field is its ip.cur_rt.
            c.first(n, t, "ip.cur_rt" if t["ip.cur_rt"] else "ip.dst", ip["dst"], str)
            c.first(n, t, "ip.hdr_len", ip["ihl"] * 4)
            c.first(n, t, "ip.dsfield", ip["tos"])
            c.first(n, t, "ip.len", ip["len"])
            c.first(n, t, "ip.id", ip["id"])
            c.first(n, t, "ip.flags.df", int(ip["df"]))
            c.first(n, t, "ip.flags.mf", int(ip["mf"]))
            c.first(n, t, "ip.frag_offset", ip["frag"])
            c.first(n, t, "ip.ttl", ip["ttl"])
            c.first(n, t, "ip.proto", ip["proto"])
            c.first(n, t, "ip.checksum", ip["csum"])
            # Wireshark checksum status: 1 good, 0 bad, 2 unverified.
            c.first(n, t, "ip.checksum.status", ip["csum_ok"], lambda s: s == "1")
        whole_ip = ip is not None and err_layer != "ipv4" and ip["frag"] == 0
        for layer, proto in (("tcp", 6), ("udp", 17), ("icmp", 1)):
            if whole_ip and ip["proto"] == proto and layer not in o and err_layer != layer:
                c.errors.append(f"{name} #{n}: tshark decodes {layer}, pktd-decode does not")
        v6 = o.get("ipv6")
        # tshark's first IPv6 header is an inner one when IPv4 comes first.
        # (An IPv6 header behind a tunnel or PPPoE header is in "encap":
        # tests/parse/tunnel_tshark.py compares those.)
        v6_in_v4 = err_layer == "ipv4" and err.get("msg") == "IP version 6 != 4"
        if t["ipv6.src"] and v6 is None and ip is None and v6_in_v4:
            # IPv6 behind EtherType 0x0800 or LINKTYPE_IPV4: a malformed
            # IPv4 header here; tshark's IPv4 dissector hands it to IPv6.
            c.skip("IPv6 behind an IPv4 type: malformed IPv4 on purpose")
        elif t["ipv6.src"] and v6 is None and ip is None and not encaps and \
                err_layer not in ("ipv6", "eth", "vlan", "loopback", "ppp", "chdlc"):
            c.errors.append(f"{name} #{n}: tshark decodes IPv6, pktd-decode does not")
        transport = True  # tshark decodes what follows the network layer
        if v6 is not None:
            c.first(n, t, "ipv6.src", v6["src"], str)
            c.first(n, t, "ipv6.dst", v6["dst"], str)
            c.first(n, t, "ipv6.tclass", v6["tc"])
            c.first(n, t, "ipv6.flow", v6["flow"])
            c.first(n, t, "ipv6.plen", v6["plen"])
            c.first(n, t, "ipv6.nxt", v6["nxt"])
            c.first(n, t, "ipv6.hlim", v6["hlim"])
            # On purpose (doc/design.md, IPv6): payload length 0 without a
            # hop-by-hop header is decoded over the capture (segmentation
            # offload); tshark stops at the IPv6 header.  What follows it
            # (extension headers, transport) is not compared.
            if v6["plen"] == 0 and not any(e["type"] == 0 for e in v6["ext"]):
                transport = False
            frags = [e for e in v6["ext"] if e["type"] == 44]
            if frags and transport:
                c.first(n, t, "ipv6.fraghdr.offset", frags[0]["frag"])
                c.first(n, t, "ipv6.fraghdr.more", int(frags[0]["mf"]))
                c.first(n, t, "ipv6.fraghdr.ident", frags[0]["id"])
        if not transport:
            o = {k: v for k, v in o.items() if k not in ("tcp", "udp", "icmpv6")}
        if "tcp" in o:
            tc = o["tcp"]
            c.first(n, t, "tcp.srcport", tc["sport"])
            c.first(n, t, "tcp.dstport", tc["dport"])
            c.first(n, t, "tcp.seq", tc["seq"])
            c.first(n, t, "tcp.ack", tc["ack"])
            c.first(n, t, "tcp.hdr_len", tc["doff"] * 4)
            c.first(n, t, "tcp.flags", tc["flags"], lambda s: num(s) & 0xFF)
            c.first(n, t, "tcp.window_size_value", tc["win"])
            c.first(n, t, "tcp.checksum", tc["csum"])
            c.first(n, t, "tcp.urgent_pointer", tc["urp"])
            # On purpose: IPv4 total length 0 (segmentation offload) leaves
            # the length the checksum covers unknown, so the library does not
            # verify it; tshark checks the captured bytes.
            if not (ip is not None and ip.get("len_zero")):
                csum_status(c, n, t, "tcp.checksum.status", tc)
            if err_layer is None:
                # payload_len counts the bytes present, tshark's tcp.len the
                # bytes the headers announce: equal when nothing was cut.
                # A first fragment's segment length is unknown before
                # reassembly: tshark gives none.
                if o["caplen"] == o["len"] and not (ip is not None and ip["mf"]):
                    c.first(n, t, "tcp.len", tc["payload_len"])
                opts = tc["opts"]
                c.eq(n, "tcp mss", opts.get("mss"), num(t["tcp.options.mss_val"][0]) if t["tcp.options.mss_val"] else None)
                c.eq(n, "tcp ws", opts.get("ws"), num(t["tcp.options.wscale.shift"][0]) if t["tcp.options.wscale.shift"] else None)
                c.eq(n, "tcp sack_perm", opts.get("sack_perm", False), bool(t["tcp.options.sack_perm"]))
                ts = [num(t["tcp.options.timestamp.tsval"][0]), num(t["tcp.options.timestamp.tsecr"][0])] \
                    if t["tcp.options.timestamp.tsval"] else None
                c.eq(n, "tcp ts", opts.get("ts"), ts)
                sack = [[num(l), num(r)] for l, r in zip(t["tcp.options.sack_le"], t["tcp.options.sack_re"])]
                c.eq(n, "tcp sack", opts.get("sack", []), sack)
        if "udp" in o and o["udp"]["len"] == 0 and ip is not None and ip.get("len_zero"):
            # UDP length 0 inside an IPv4 packet of total length 0 (BIG TCP,
            # segmentation offload): decoded over the captured bytes on
            # purpose (udp.h, PKTD_F_UDP_LEN_ZERO); tshark stops at "Bad
            # length value 0 < 8".
            c.skip("UDP length 0 in a segmentation-offload packet: tshark stops at UDP")
        elif "udp" in o:
            u = o["udp"]
            c.first(n, t, "udp.srcport", u["sport"])
            c.first(n, t, "udp.dstport", u["dport"])
            c.first(n, t, "udp.length", u["len"])
            c.first(n, t, "udp.checksum", u["csum"])
            csum_status(c, n, t, "udp.checksum.status", u)
        if "icmp" in o:
            i = o["icmp"]
            c.first(n, t, "icmp.type", i["type"])
            c.first(n, t, "icmp.code", i["code"])
            c.first(n, t, "icmp.checksum", i["csum"])
            if "id" in i:
                c.first(n, t, "icmp.ident", i["id"])
                c.first(n, t, "icmp.seq", i["seq"])
        if "icmpv6" in o:
            i = o["icmpv6"]
            c.first(n, t, "icmpv6.type", i["type"])
            c.first(n, t, "icmpv6.code", i["code"])
            c.first(n, t, "icmpv6.checksum", i["csum"])
            csum_status(c, n, t, "icmpv6.checksum.status", i)
            if "id" in i:
                c.first(n, t, "icmpv6.echo.identifier", i["id"])
                c.first(n, t, "icmpv6.echo.sequence_number", i["seq"])
            if "target" in i:
                field = {135: "icmpv6.nd.ns.target_address", 136: "icmpv6.nd.na.target_address",
                         137: "icmpv6.nd.rd.target_address"}[i["type"]]
                c.first(n, t, field, i["target"], str)
    return c.errors, c.compared, c.skipped


def csum_status(c, n, row, field, obj):
    """csum_ok against Wireshark's checksum status (1 good, 0 bad, 2 not
    verified): present exactly when tshark verified, then equal."""
    vals = row[field]
    theirs = {"1": True, "0": False}.get(vals[0]) if vals else None
    ours = obj.get("csum_ok")
    if ours is None and theirs is not None and any("exceeds" in m for m in row["_ws.expert.message"]):
        # The IP length says the packet is longer than the bytes captured
        # (tshark's expert info: "... length exceeds ..."): the library does
        # not verify a segment it does not have whole; tshark sums the bytes
        # it has.
        c.skip("checksum of a segment the IP length says was not captured whole: not verified")
        return
    if theirs is None and ours is not None and c.tshark_malformed:
        c.skip("a checksum tshark did not verify: it stopped at a malformed-packet exception")
        return
    c.eq(n, field, ours, theirs)


def main():
    if shutil.which("tshark") is None:
        print("SKIP: tshark is not installed (Debian: apt-get install tshark)")
        return 77
    files = sys.argv[1:] or DEFAULT_FILES
    failures, total, skipped = [], 0, {}
    for f in files:
        errs, compared, skips = compare(f)
        total += compared
        print(f"{os.path.basename(f)}: {compared} fields compared, {len(errs)} disagreements")
        failures += errs
        for k, v in skips.items():
            skipped[k] = skipped.get(k, 0) + v
    for e in failures:
        print("MISMATCH", e)
    for k, v in sorted(skipped.items(), key=lambda kv: -kv[1]):
        print(f"not compared on purpose: {v} x {k}")
    print(f"{total} fields compared over {len(files)} captures, {len(failures)} disagreements")
    if total == 0:
        print("FAIL: no field compared")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
