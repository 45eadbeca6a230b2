#!/usr/bin/env python3
"""pktd-decode -j's tunnels must agree with tshark's, frame by frame.

For every frame of the captures in tests/data/tunnel_tshark.tsv (tshark's
fields, written by tests/parse/tunnel_tshark_gen.sh, so make check needs no
tshark), or of the captures named with --live (tshark run now), the chain of
encapsulations pktd-decode -j prints (the nested "encap" objects of
../shared/CONTRACT.md) is compared level by level with the one tshark's
frame.protocols shows:
  - the same number of levels, and at each level the same tunnel type;
  - the tunnel's identifiers: VXLAN and Geneve VNI, GRE protocol, key and
    sequence number, ERSPAN version and session, MPLS labels, PPPoE
    session, GTP-U TEID;
  - the level's network header (IPv4/IPv6 source, destination, IPv4
    protocol or IPv6 next header) and transport (TCP/UDP ports, ICMP/ICMPv6
    type): the inner 5-tuple at each level;
  - the inner Ethernet addresses (VXLAN, Geneve, GRE transparent bridging).
A frame whose decoding stopped with an error is compared up to the layer
that failed.  Known, intended differences are listed in EXPECTED below with
the reason; each must still occur (a stale entry fails too), every other
difference fails the test.  Exit 0 when all agree, 1 otherwise, 77 when
--live is asked for without tshark.
"""
import json
import os
import shutil
import subprocess
import sys

SRC = os.environ.get("top_srcdir", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
DECODE = os.path.join(BUILD, "examples", "pktd-decode")
GEN = os.path.join(SRC, "tests", "parse", "tunnel_tshark_gen.sh")
TSV = os.path.join(SRC, "tests", "data", "tunnel_tshark.tsv")

COLUMNS = """file frame.number frame.protocols eth.src eth.dst ip.src ip.dst ip.proto
ipv6.src ipv6.dst ipv6.nxt tcp.srcport tcp.dstport udp.srcport udp.dstport
vxlan.vni geneve.vni geneve.proto_type gre.flags_and_version gre.proto gre.key
gre.sequence_number erspan.version erspan.spanid mpls.label mpls.bottom
pppoe.session_id gtp.teid icmp.type icmpv6.type""".split()

# tshark's protocol name that starts an encapsulation -> CONTRACT's type.
TUNNEL_TYPES = {"vxlan": "vxlan", "geneve": "geneve", "gre": "gre", "mpls": "mpls",
                "pppoes": "pppoe", "pppoed": "pppoed", "gtp": "gtpu"}

# Intended differences: (file name, frame numbers or None for all, the start
# of the message, why).  Each must match at least one difference.
EXPECTED = [
    # Payloads of GRE that are not a packet the library decodes.
    ("various_gre.pcap", None, "level 1 (gre): tshark decodes IPv4",
     "GRE protocol 0x8909 (Cisco MetaData: a tag before the IP header) is not decoded"),
    ("various_gre.pcap", None, "level 2 (gre): tshark decodes a gre tunnel",
     "the same: the GRE inside the IPv4 behind Cisco MetaData"),
    ("wccp_redirect_gre.pcap", [1], "level 1 (gre): tshark decodes",
     "GRE protocol 0x883e (WCCP redirect header before the IP header) is not decoded"),
    ("nhrp-trace.pcap", [1], "level 1 (gre): tshark decodes IPv4",
     "NHRP (GRE protocol 0x2001) is not a tunnelled packet: tshark's IPv4 is the one an NHRP "
     "error indication quotes"),
    # GRE headers the decoder refuses with an error (the outer layers stay).
    ("pptp.pcap", [16], "level 1 (gre): pktd-decode stops in gre: unsupported",
     "GRE version 1 (PPTP's enhanced GRE, RFC 2637) is not decoded: issue 14 asks for "
     "RFC 2784/2890 GRE"),
    ("gre-heapoverflow-2.pcap", [2], "level 1 (gre): pktd-decode stops in gre: unsupported",
     "a fuzzed header with the routing bit (RFC 1701 source routing) is refused; tshark "
     "still reads its protocol field"),
    ("erspan-type-iii-pb-1.pcap", [1], "level 1 (gre): pktd-decode stops in erspan: truncated",
     "the ERSPAN type III header is cut (15 of 20 bytes): the library gives no partial "
     "fields, tshark shows the version and session read from the part present"),
    # Not IP in IP: an IPv6 header where IPv4 belongs (EtherType 0x0800,
    # LINKTYPE_IPV4).  tshark's IPv4 dissector hands it to IPv6, so
    # frame.protocols says ip:ipv6; the library reports the IPv4 header
    # malformed (version 6), as 1.0 did (tests/decode/tshark-agree.py).
    ("kday1.pcap", [1], "level 1 (ipip): not reached, pktd-decode stops in ipv4: malformed",
     "IPv6 behind EtherType 0x0800: a malformed IPv4 header, not a tunnel"),
    ("kday3.pcap", [2], "level 1 (ipip): not reached, pktd-decode stops in ipv4: malformed",
     "the same"),
    ("LINKTYPE_IPV4_invalid.pcap", [1], "level 1 (ipip): not reached, pktd-decode stops in ipv4: malformed",
     "IPv6 on LINKTYPE_IPV4: the same"),
    ("bad-ipv4-version-pgm-heapoverflow.pcap", [1],
     "level 1 (ipip): not reached, pktd-decode stops in ipv4: malformed", "the same"),
    # Encapsulations outside issue 14's list.
    ("mpls-over-udp.pcap", None, "level 1 (mpls): tshark decodes a mpls tunnel",
     "MPLS in UDP (RFC 7510, port 6635) is not among the encapsulations decoded"),
    ("arista_ether.pcap", None, "level ",
     "Arista's timestamp header (EtherType 0xd28b, AVSP) is not decoded, so neither is the "
     "IPv4 or MPLS after it"),
]

# The layers of the tunnel headers themselves: an error there stops the
# level before its identifiers (the outer layers stay readable).
TUNNEL_LAYERS = ("gre", "erspan", "mpls", "pppoe", "pppoed", "vxlan", "geneve", "gtpu")


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def parse_row(vals):
    vals = vals + [""] * (len(COLUMNS) - len(vals))
    row = {k: (v.split(",") if v else []) for k, v in zip(COLUMNS, vals)}
    row["file"] = vals[0]
    row["frame"] = int(vals[1])
    row["protos"] = vals[2].split(":") if vals[2] else []
    return row


def is_ip(tok):
    return tok in ("ip", "ipv6")


def tshark_levels(row):
    """The encapsulation levels of one tshark row: a list of dicts with
    type (None for the outermost), ids, net (ver, src, dst, proto), l4
    (name, sport, dport), eth (src, dst)."""
    seen = {}      # protocol name -> occurrences so far
    levels = [{"type": None, "ids": {}, "net": None, "l4": None, "eth": None}]
    prev = None    # previous protocol, IPv6 extension headers skipped
    after_net = False  # the token right after the level's network header
    mpls_labels = row["mpls.label"]
    mpls_bottom = row["mpls.bottom"]
    mpls_pos = 0
    gre_key_pos = gre_seq_pos = 0

    def occ(field, tok):
        vals = row[field]
        i = seen.get(tok, 0)
        return vals[i] if i < len(vals) else None

    for tok in row["protos"]:
        if tok.startswith("ipv6.") or tok == "ethertype":
            continue
        lvl = levels[-1]
        newtype = TUNNEL_TYPES.get(tok)
        if newtype is None and is_ip(tok) and is_ip(prev or ""):
            newtype = "ipip"
        if newtype is not None:
            ids = {}
            if tok == "vxlan":
                ids["vni"] = num(occ("vxlan.vni", tok))
            elif tok == "geneve":
                ids["vni"] = num(occ("geneve.vni", tok))
            elif tok == "gre":
                fl = occ("gre.flags_and_version", tok)
                flags = num(fl) if fl else 0
                ids["proto"] = num(occ("gre.proto", tok))
                ids["key"] = None
                ids["seq"] = None
                if flags & 0x2000 and gre_key_pos < len(row["gre.key"]):
                    ids["key"] = num(row["gre.key"][gre_key_pos])
                    gre_key_pos += 1
                if flags & 0x1000 and gre_seq_pos < len(row["gre.sequence_number"]):
                    ids["seq"] = num(row["gre.sequence_number"][gre_seq_pos])
                    gre_seq_pos += 1
            elif tok == "mpls":
                labels = []
                while mpls_pos < len(mpls_labels):
                    labels.append(num(mpls_labels[mpls_pos]))
                    bottom = mpls_pos < len(mpls_bottom) and num(mpls_bottom[mpls_pos])
                    mpls_pos += 1
                    if bottom:
                        break
                ids["labels"] = labels
            elif tok in ("pppoes", "pppoed"):
                # tshark names both pppoe.session_id; count them together.
                v = row["pppoe.session_id"]
                i = seen.get("pppoe", 0)
                ids["session"] = num(v[i]) if i < len(v) else None
                seen["pppoe"] = i + 1
            elif tok == "gtp":
                ids["teid"] = num(occ("gtp.teid", tok))
            levels.append({"type": newtype, "ids": ids, "net": None, "l4": None, "eth": None})
            lvl = levels[-1]
            after_net = False
        if tok == "erspan" and lvl["type"] == "gre":
            ver, span = occ("erspan.version", tok), occ("erspan.spanid", tok)
            lvl["ids"]["erspan_ver"] = num(ver) if ver else None
            lvl["ids"]["erspan_session"] = num(span) if span else None
        if tok == "eth" and lvl["eth"] is None and lvl["net"] is None:
            lvl["eth"] = (occ("eth.src", tok), occ("eth.dst", tok))
        if is_ip(tok) and lvl["net"] is None:
            if tok == "ip":
                lvl["net"] = (4, occ("ip.src", tok), occ("ip.dst", tok), occ("ip.proto", tok))
            else:
                lvl["net"] = (6, occ("ipv6.src", tok), occ("ipv6.dst", tok), occ("ipv6.nxt", tok))
            after_net = True
        elif after_net:
            after_net = False
            if tok in ("tcp", "udp") and lvl["l4"] is None:
                sp, dp = occ(tok + ".srcport", tok), occ(tok + ".dstport", tok)
                if sp is not None and dp is not None:
                    lvl["l4"] = (tok, int(sp), int(dp))
            elif tok in ("icmp", "icmpv6") and lvl["l4"] is None:
                ty = occ(tok + ".type", tok)
                if ty is not None:
                    lvl["l4"] = (tok, int(ty), None)
        seen[tok] = seen.get(tok, 0) + 1
        prev = tok
    return levels


def our_levels(rec):
    """The same from one pktd-decode -j record, plus the layer an error
    stopped at (and at which level)."""
    levels = []
    obj = rec
    err = None
    while obj is not None:
        lvl = {"type": obj.get("type") if levels else None, "ids": {}, "net": None,
               "l4": None, "eth": None, "obj": obj}
        if levels:
            lvl["ids"] = {k: v for k, v in obj.items()
                          if k not in ("type", "eth", "ipv4", "ipv6", "tcp", "udp", "icmp",
                                       "icmpv6", "arp", "link", "encap", "error")}
        if "eth" in obj:
            lvl["eth"] = (obj["eth"]["src"], obj["eth"]["dst"])
        if "ipv4" in obj:
            ip = obj["ipv4"]
            lvl["net"] = (4, ip["src"], ip["dst"], str(ip["proto"]))
        elif "ipv6" in obj:
            ip = obj["ipv6"]
            lvl["net"] = (6, ip["src"], ip["dst"], str(ip["nxt"]))
        for l4 in ("tcp", "udp"):
            if l4 in obj:
                lvl["l4"] = (l4, obj[l4]["sport"], obj[l4]["dport"])
        for l4 in ("icmp", "icmpv6"):
            if l4 in obj:
                lvl["l4"] = (l4, obj[l4]["type"], None)
        if "error" in obj and err is None:
            e = obj["error"]
            err = (len(levels), e.get("layer"), f"{e.get('code')}: {e.get('msg')}")
        levels.append(lvl)
        obj = obj.get("encap")
    return levels, err


def labels_of(ids):
    labels = ids.get("labels")
    if labels is None:
        return None
    return [e["label"] if isinstance(e, dict) else e for e in labels]


def compare_ids(typ, ours, theirs, diff):
    if typ in ("vxlan", "geneve"):
        diff("vni", ours.get("vni"), theirs.get("vni"))
    elif typ == "gre":
        diff("gre proto", ours.get("proto"), theirs.get("proto"))
        diff("gre key", ours.get("key"), theirs.get("key"))
        diff("gre seq", ours.get("seq"), theirs.get("seq"))
        diff("erspan version", ours.get("erspan_ver"), theirs.get("erspan_ver"))
        diff("erspan session", ours.get("erspan_session"), theirs.get("erspan_session"))
    elif typ == "mpls":
        diff("mpls labels", labels_of(ours), theirs.get("labels"))
    elif typ in ("pppoe", "pppoed"):
        diff("pppoe session", ours.get("session"), theirs.get("session"))
    elif typ == "gtpu":
        diff("gtpu teid", ours.get("teid"), theirs.get("teid"))


def compare_frame(name, rec, row, out):
    """Append (frame, message) for every difference of one frame."""
    theirs = tshark_levels(row)
    ours, err = our_levels(rec)
    frame = row["frame"]
    stats = {"levels": 0, "fields": 0, "errors": int(err is not None)}

    for k in range(max(len(ours), len(theirs))):
        o = ours[k] if k < len(ours) else None
        t = theirs[k] if k < len(theirs) else None
        stopped = err is not None and err[0] <= k  # our decoding ended at or before this level
        where = f"level {k}" + (f" ({t['type']})" if t and t["type"] else "")

        def diff(what, a, b):
            stats["fields"] += 1
            if a != b:
                out.append((frame, f"{where} {what}: pktd-decode {a!r} != tshark {b!r}"))

        if o is None:
            if err is not None and err[0] == k - 1 and err[1] not in TUNNEL_LAYERS:
                # The level above failed before its tunnel (a malformed
                # outer header): listed, EXPECTED says why.
                out.append((frame, f"{where}: not reached, pktd-decode stops in {err[1]}: {err[2]}"))
                continue
            if err is not None and err[0] == k - 1:
                continue  # the tunnel header itself failed: listed at level k - 1
            out.append((frame, f"{where}: tshark decodes a {t['type']} tunnel, pktd-decode does not"
                               + (f" (error in {err[1]})" if err else "")))
            continue
        if t is None:
            out.append((frame, f"level {k}: pktd-decode decodes a {o['type']} tunnel, tshark does not"))
            continue
        stats["levels"] += 1
        if k > 0:
            diff("type", o["type"], t["type"])
            if o["type"] != t["type"]:
                continue
            e = o["obj"].get("error")
            if e is not None and e.get("layer") in TUNNEL_LAYERS:
                # Refused tunnel header: listed (EXPECTED says why), and
                # only the identifiers printed before the error compared.
                out.append((frame, f"{where}: pktd-decode stops in {e['layer']}: {e.get('code')}: "
                                   f"{e.get('msg')}"))
                theirs_ids = {key: v for key, v in t["ids"].items() if key in o["ids"]}
                compare_ids(t["type"], o["ids"], theirs_ids, diff)
                continue
            compare_ids(t["type"], o["ids"], t["ids"], diff)
        if t["eth"] is not None and o["eth"] is not None:
            diff("eth src/dst", o["eth"], t["eth"])
        elif t["eth"] is not None and k > 0 and not stopped:
            out.append((frame, f"{where}: tshark decodes the inner Ethernet header, pktd-decode does not"))
        if t["net"] is not None and o["net"] is not None:
            diff("network src/dst/proto", o["net"], t["net"])
        elif t["net"] is not None and not stopped:
            out.append((frame, f"{where}: tshark decodes IPv{t['net'][0]} {t['net'][1]} > {t['net'][2]},"
                               " pktd-decode does not"))
        elif o["net"] is not None and t["net"] is None:
            out.append((frame, f"{where}: pktd-decode decodes {o['net']}, tshark does not"))
        if t["l4"] is not None and o["l4"] is not None:
            diff("transport", o["l4"], t["l4"])
        elif t["l4"] is not None and not stopped and o["net"] is not None:
            # (without the network header, already reported, no transport)
            out.append((frame, f"{where}: tshark decodes {t['l4']}, pktd-decode does not"))
        elif o["l4"] is not None and t["l4"] is None:
            out.append((frame, f"{where}: pktd-decode decodes {o['l4']}, tshark does not"))
    return stats


def decode(path):
    proc = subprocess.run([DECODE, "-j", path], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"pktd-decode -j {path} exited {proc.returncode}: {proc.stderr.strip()}")
    return [json.loads(line) for line in proc.stdout.splitlines()]


def load_rows(lines):
    files = {}
    for line in lines:
        if line.strip():
            row = parse_row(line.rstrip("\n").split("\t"))
            files.setdefault(row["file"], []).append(row)
    return files


def main(argv):
    live = argv[:1] == ["--live"]
    if live:
        if shutil.which("tshark") is None:
            print("SKIP: tshark is not installed (Debian: apt-get install tshark)")
            return 77
        out = subprocess.run(["sh", GEN, "/"] + [os.path.abspath(f) for f in argv[1:]],
                             capture_output=True, text=True, check=True).stdout
        files = load_rows(out.splitlines())
        base = "/"
        expected = []
    else:
        with open(TSV) as f:
            files = load_rows(f)
        base = SRC
        expected = EXPECTED
    used = [0] * len(expected)
    failures, intended = [], []
    total_frames = total_levels = total_fields = 0
    for fname, rows in files.items():
        recs = decode(os.path.join(base, fname))
        name = os.path.basename(fname)
        diffs = []
        if len(recs) != len(rows):
            diffs.append((0, f"{len(recs)} records, tshark {len(rows)} frames"))
        levels = fields = errors = 0
        for rec, row in zip(recs, rows):
            st = compare_frame(name, rec, row, diffs)
            levels += st["levels"]
            fields += st["fields"]
            errors += st["errors"]
        total_frames += len(rows)
        total_levels += levels
        total_fields += fields
        bad = 0
        for frame, msg in diffs:
            for i, (ef, frames, start, _why) in enumerate(expected):
                if ef == name and (frames is None or frame in frames) and msg.startswith(start):
                    used[i] += 1
                    intended.append(f"{name} #{frame} {msg}")
                    break
            else:
                failures.append(f"{name} #{frame} {msg}")
                bad += 1
        print(f"{name}: {len(rows)} frames ({errors} with a decode error, compared up to it), "
              f"{levels} levels, {fields} fields compared, "
              f"{bad} disagreements, {len(diffs) - bad} intended differences")
    for i, (ef, frames, start, why) in enumerate(expected):
        if used[i] == 0:
            failures.append(f"stale EXPECTED entry (it no longer occurs): {ef} {frames} {start!r}: {why}")
        else:
            print(f"intended: {ef} {start!r} x{used[i]}: {why}")
    for f in failures:
        print("MISMATCH", f)
    print(f"{total_frames} frames of {len(files)} captures, {total_levels} levels, "
          f"{total_fields} fields compared; {len(intended)} intended differences, "
          f"{len(failures)} disagreements")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
