#!/usr/bin/env python3
"""The Python binding (examples/python/pktdecode/__init__.py) against the built library.

- The binding declares every exported function, with the argument and
  return types of its C declaration (parsed from the public headers), and
  mirrors every numeric macro and enum value of the headers.
- Decoding the sample capture and all of tcpdump's test captures through the
  binding gives, record by record and field by field, exactly what
  `pktd-decode -j` prints for the same files (in one run of each).
- The zero-copy path, in-memory and descriptor readers, the writer round
  trip, and errors raised as PktdError with pktd_strerror's message.
(AF_ALG: tests/release/python-alg.py.)

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import ctypes
import errno
import glob
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
libpath = os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1")
os.environ.setdefault("PKTDECODE_LIB", libpath)
sys.path.insert(0, os.path.join(srcdir, "examples", "python"))
import pktdecode as P  # noqa: E402

failures = 0


def check(ok, what):
    global failures
    if ok:
        print("ok - " + what)
    else:
        print("not ok - " + what)
        failures += 1
    return ok


t0 = time.time()
check(os.path.realpath(P.lib._name) == os.path.realpath(os.environ["PKTDECODE_LIB"]),
      "binding loaded %s" % os.environ["PKTDECODE_LIB"])

# ------------------------------------------------ declarations vs headers
headers = sorted(glob.glob(os.path.join(srcdir, "include", "pktdecode", "*.h")))
headers.append(os.path.join(builddir, "include", "pktdecode", "version.h"))  # generated
# (an in-tree build has version.h in the source directory too: count it once)
headers = sorted(set(os.path.realpath(h) for h in headers))
text = ""
for h in headers:
    with open(h) as f:
        text += f.read() + "\n"
# Comments out, so documentation cannot look like a declaration.
code = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
code = re.sub(r"//[^\n]*", " ", code)
decls = {}
for m in re.finditer(r"PKTD_API\s+([^;(]*?)\b(pktd_\w+)\s*\(([^;]*?)\)\s*(?:PKTD_WUR\s*)?;", code, re.S):
    decls[m.group(2)] = (" ".join(m.group(1).split()), [" ".join(a.split()) for a in m.group(3).split(",")])

with open(os.path.join(srcdir, "lib", "libpktdecode.map")) as f:
    mapped = set(re.findall(r"^\s*(pktd_\w+);", f.read(), re.M))

C_SCALARS = {"int": ctypes.c_int, "unsigned": ctypes.c_uint, "unsigned int": ctypes.c_uint,
             "uint8_t": ctypes.c_uint8, "uint16_t": ctypes.c_uint16, "uint32_t": ctypes.c_uint32,
             "uint64_t": ctypes.c_uint64, "int32_t": ctypes.c_int32, "size_t": ctypes.c_size_t}


def expected_ctype(ctype, is_return):
    """The ctypes type the binding must use for a C type (None = void)."""
    t = re.sub(r"\bconst\b", "", ctype)
    t = " ".join(re.sub(r"\s*\*", " *", t).split())
    if t == "void":
        return None
    if t in C_SCALARS:
        return C_SCALARS[t]
    if t == "char *":
        return ctypes.c_char_p
    if t == "pktd_capture_handler":
        return P.CAPTURE_HANDLER
    if t == "pktd_flow_export_fn":
        return P.FLOW_EXPORT
    if t == "pktd_tcp_reasm_fn":
        return P.TCP_REASM_FN
    if t == "pktd_packet *":
        return ctypes.POINTER(ctypes.c_uint64)
    stars = t.count("*")
    base = t.replace("*", "").strip()
    if stars == 1 and base in C_SCALARS and base != "uint8_t":
        return ctypes.POINTER(C_SCALARS[base])
    if stars == 1 and base == "uint8_t":   # a buffer, or one byte returned
        return (ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8))
    if stars == 1:          # void *, opaque handles: an address
        return ctypes.c_void_p
    if stars == 2:          # const uint8_t **, pktd_x **: an address returned
        return ctypes.POINTER(ctypes.c_void_p)
    raise ValueError("no ctypes rule for C type %r" % ctype)


def strip_name(param):
    if param in ("void", ""):
        return None
    return re.sub(r"\s*\b\w+$", "", param) if re.search(r"[\w*]\s*\b\w+$", param) else param


protos = {name: (res, args) for name, res, args in P._PROTOTYPES}
bad = []
for name, (ret, params) in sorted(decls.items()):
    if name not in protos:
        bad.append("%s: declared in a header, no prototype in the binding" % name)
        continue
    res, args = protos[name]
    want_res = expected_ctype(ret, True)
    if res not in (want_res if isinstance(want_res, tuple) else (want_res,)):
        bad.append("%s: returns %s, binding says %s" % (name, ret, res))
    ptypes = [strip_name(p) for p in params]
    ptypes = [p for p in ptypes if p is not None]
    want = [expected_ctype(p, False) for p in ptypes]
    if len(want) != len(args) or any(a not in (w if isinstance(w, tuple) else (w,))
                                     for w, a in zip(want, args)):
        bad.append("%s(%s): binding has %s" % (name, ", ".join(ptypes), args))
for name in protos:
    if name not in decls:
        bad.append("%s: in the binding, not declared in any public header" % name)
for b in bad:
    print("#   " + b)
check(not bad, "%d prototypes match the %d PKTD_API declarations of the headers" % (len(protos), len(decls)))

# Every declaration's Doxygen comment says since when it exists (Doxygen
# itself checks @param and @return, not @since).
nosince = [m.group(2) for m in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/)\s*PKTD_API\s+[^;(]*?\b(pktd_\w+)\s*\(",
                                           text, re.S) if "@since" not in m.group(1)]
documented = len(re.findall(r"\*/\s*PKTD_API\b", text))
check(not nosince and documented == len(decls),
      "%d of %d declarations have a doc comment, all with @since%s"
      % (documented, len(decls), (": missing in " + " ".join(nosince)) if nosince else ""))

unmapped = sorted(set(decls) - mapped)
check(sorted(mapped - set(decls)) == [], "every symbol of lib/libpktdecode.map is declared in a header")
if unmapped:
    print("# declared but not (yet) in the version script: " + " ".join(unmapped))
missing = sorted(set(P.MISSING) - set(unmapped))
check(not missing, "the built library exports every mapped function the binding declares"
      + (" (missing: %s)" % " ".join(missing) if missing else ""))

# ------------------------------------------------------ constants vs headers
defines = {}
for m in re.finditer(r"^#define\s+PKTD_(\w+)\s+(.+?)\s*(?:/\*.*)?$", code, re.M):
    name, expr = m.group(1), m.group(2).strip()
    if expr.endswith("\\") or name.endswith("_") or name.startswith("VERSION_"):
        continue
    py = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uU]?[lL]*\b", r"\1", expr)
    py = py.replace("UINT64_MAX", str(2 ** 64 - 1))
    py = re.sub(r"\bPKTD_(\w+)", lambda mm: "defines[%r]" % mm.group(1), py)
    if not re.fullmatch(r"[\w\s()+\-*/<>|&'\[\]]+", py) or re.search(r"[a-zA-Z_]\w*\(", py.replace("defines[", "")):
        continue
    try:
        defines[name] = eval(py, {"defines": defines})
    except (KeyError, SyntaxError, NameError, TypeError):
        continue
enums = {}
for m in re.finditer(r"\bPKTD_((?:LAYER|FIELD)_\w+)\s*=\s*(-?\d+)", code):
    if not m.group(1).endswith("_"):
        enums[m.group(1)] = int(m.group(2))
# The layer and field enums are generated from one table each (X-macros).
for table in ("LAYER", "FIELD"):
    body = re.search(r"#define PKTD_%s_MAP\(X\)((?:[^\n]*\\\n)*[^\n]*)" % table, code).group(1)
    for m in re.finditer(r"X\((\w+),\s*(\d+),\s*\"", body):
        enums[table + "_" + m.group(1)] = int(m.group(2))
for m in re.finditer(r"X\((\w+),\s*(-\d+),\s*\"", code):
    enums["E_" + m.group(1)] = int(m.group(2))
wrong = ["PKTD_%s = %s, binding %r" % (n, v, getattr(P, n, "absent"))
         for n, v in sorted({**defines, **enums}.items()) if getattr(P, n, None) != v]
for w in wrong:
    print("#   " + w)
check(not wrong and len(defines) > 40 and len(enums) > 15,
      "binding has all %d numeric macros and %d enum/error values of the headers"
      % (len(defines), len(enums)))
check(P.lib.pktd_packet_size() == ctypes.sizeof(P.Packet._STATE_TYPE) == P.PACKET_SIZE,
      "pktd_packet_size() == sizeof(c_uint64 * %d) == PKTD_PACKET_SIZE" % len(P.Packet._STATE_TYPE()))
with open(os.path.join(builddir, "include", "pktdecode", "version.h")) as f:
    vstr = re.search(r'PKTD_VERSION_STRING "([^"]+)"', f.read()).group(1)
check(P.version_string() == vstr and P.version() // 10000 == int(vstr.split(".")[0]),
      "version_string() = %s, version() = %d" % (P.version_string(), P.version()))

# ------------------------------------- decoding agrees with pktd-decode -j
files = [os.path.join(srcdir, "tests", "data", "sample.pcap")]
files += sorted(glob.glob(os.path.join(srcdir, "tests", "corpus", "tcpdump", "*.pcap")) +
                glob.glob(os.path.join(srcdir, "tests", "corpus", "tcpdump", "*.pcapng")))
decoder = os.path.join(builddir, "examples", ".libs", "pktd-decode")
env = dict(os.environ)
if os.path.exists(decoder):   # libtool's real binary, on the built library
    env["LD_LIBRARY_PATH"] = os.path.dirname(libpath) + ":" + env.get("LD_LIBRARY_PATH", "")
else:
    decoder = os.path.join(builddir, "examples", "pktd-decode")
proc = subprocess.run([decoder, "-j"] + files, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
c_records = [json.loads(line) for line in proc.stdout.decode().splitlines()]

py_records, py_failed = [], 0
for path in files:
    try:
        reader = P.Reader(path)
    except P.PktdError:
        py_failed += 1
        continue
    with reader:
        try:
            for rec in reader:
                p = rec.decode()
                d = {"n": rec.index, "ts_ns": rec.ts_ns, "caplen": rec.caplen, "len": rec.wire_len}
                d.update(p.to_dict())
                py_records.append(d)
        except P.PktdError:
            py_failed += 1


def flatten(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


diffs = 0
for i, (a, b) in enumerate(zip(c_records, py_records)):
    fa, fb = flatten(a), flatten(b)
    if fa != fb:
        diffs += 1
        if diffs <= 5:
            for k in sorted(set(fa) | set(fb)):
                if fa.get(k, "<absent>") != fb.get(k, "<absent>"):
                    print("#   record %d (n=%s) %s: pktd-decode %r, binding %r"
                          % (i, a.get("n"), k, fa.get(k, "<absent>"), fb.get(k, "<absent>")))
check(len(c_records) == len(py_records),
      "same number of records: pktd-decode %d, binding %d" % (len(c_records), len(py_records)))
check(diffs == 0 and len(c_records) > 1000,
      "%d records from %d files agree field by field (%d differ)" % (len(c_records), len(files), diffs))
seen = set()
for r in py_records:
    seen.update(k for k in r if k in ("sll", "eth", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6"))
    seen.update(k + ".csum_ok" for k in ("tcp", "udp") if "csum_ok" in r.get(k, {}))
    if r.get("eth", {}).get("vlan"):
        seen.add("vlan")
    if "error" in r:
        seen.add("error:" + r["error"]["code"])
    if r.get("tcp", {}).get("opts"):
        seen.update("tcp." + o for o in r["tcp"]["opts"])
needed = {"sll", "eth", "vlan", "arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "icmpv6", "tcp.csum_ok",
          "udp.csum_ok", "error:truncated", "error:malformed",
          "tcp.mss", "tcp.ws", "tcp.sack_perm", "tcp.ts", "tcp.sack"}
check(needed <= seen, "the comparison covered %s" % ", ".join(sorted(needed & seen))
      + ("" if needed <= seen else "; never seen: " + ", ".join(sorted(needed - seen))))

encaps = set()
for r in py_records:
    e = r.get("encap")
    while e:
        encaps.add(e["type"])
        e = e.get("encap")
check({"vxlan", "geneve", "gre", "mpls", "pppoe", "pppoed", "ipip"} <= encaps,
      "the comparison covered the encap objects of %s" % ", ".join(sorted(encaps)))

# ------------------------------------------------------------- tunnels (1.1)
corpus = os.path.join(srcdir, "tests", "corpus", "tcpdump")


def first(name, ports=None):
    with P.Reader(os.path.join(corpus, name)) as rd:
        rec = next(iter(rd))
        p = P.Packet()
        p.decode_with(rec.data, rec.linktype, ports)
        return p


vx = first("vxlan.pcap")
vi = vx.inner()
gen = first("geneve.pcap").inner()
mp = first("mpls-traceroute.pcap").inner()
plain = first("vxlan_port_8472.pcap")
custom = first("vxlan_port_8472.pcap", {"vxlan": 8472})
opts = P.DecodeOpts(geneve=0)
tunnel_shapes = [
    ("outer tunnel_name()", vx.tunnel_name(), "vxlan"),
    ("outer packet_tunnel()", vx.packet_tunnel(), P.TUNNEL_VXLAN),
    ("outer packet_tunnel_id()", vx.packet_tunnel_id(), 100),
    ("outer layers unchanged", vx.layers(), ["eth", "ipv4", "udp"]),
    ("inner rc", vi.rc, 0),
    ("inner layers", vi.layers(), ["eth", "ipv4", "icmp", "vxlan"]),
    ("inner encap_name()", vi.encap_name(), "vxlan"),
    ("inner packet_depth()", vi.packet_depth(), 1),
    ("inner tunnel_field('vni')", vi.tunnel_field("vni"), 100),
    ("inner tunnel_field(TF_KEY)", vi.tunnel_field(P.TF_KEY), None),
    ("inner tunnel_fields()", vi.tunnel_fields(), {"vni": 100, "flags": 8}),
    ("inner header('vxlan') length", len(vi.header("vxlan")), 8),
    ("inner ipv4_src_str()", vi.ipv4_src_str(), "192.168.203.3"),
    ("inner inner() without a tunnel", vi.inner(), None),
    ("Geneve options", [t for t, _ in gen.tunnel_option_list()], [gen.tunnel_option_list()[0][0]]),
    ("Geneve vni", gen.tunnel_field("vni"), 10),
    ("MPLS entries", mp.mpls_entries(), [(100704, 0, 1, 1)]),
    ("MPLS depth", mp.mpls_depth(), 1),
    ("GRE checksum_ok() without GRE", mp.gre_checksum_ok(), False),
    ("port 8472 is no tunnel by default", plain.tunnel_name(), None),
    ("port 8472 with DecodeOpts", custom.tunnel_name(), "vxlan"),
    ("custom port inner", custom.inner().has("eth"), True),
    ("DecodeOpts ports", (opts.port("vxlan"), opts.port("geneve"), opts.port(P.TUNNEL_GTPU)),
     (4789, 0, 2152)),
]
bad = ["%s = %r, want %r" % (w, got, want) for w, got, want in tunnel_shapes if got != want]
try:
    opts.set_port("gre", 1)
    bad.append("set_port('gre') did not raise")
except P.PktdError as e:
    if e.code != P.E_INVALID_ARGUMENT:
        bad.append("set_port('gre') raised %r" % e)
check(not bad, "tunnels: inner(), tunnel accessors, MPLS entries, options, DecodeOpts%s"
      % ("" if not bad else ": " + "; ".join(bad[:4])))

# ---------------------------------------------- readers, writer, zero copy
sample = files[0]
with open(sample, "rb") as f:
    sample_bytes = f.read()
with P.Reader(sample) as r:
    copies = [(rec.index, rec.decode().to_dict()) for rec in r]
with P.Reader.from_bytes(sample_bytes) as r:
    p = P.Packet()
    inplace = []
    while r.next_into(p):
        inplace.append((r.packet_index(), p.to_dict()))
check(copies == inplace and len(copies) == 17,
      "Reader.from_bytes + next_into (zero copy) = Reader(path) iteration (%d packets)" % len(copies))
fd = os.open(sample, os.O_RDONLY)
try:
    with P.Reader.from_fd(fd) as r:
        n_fd = sum(1 for _ in r)
finally:
    os.close(fd)
check(n_fd == len(copies), "Reader.from_fd reads the same %d packets" % n_fd)

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "copy.pcapng")
    with P.Reader(sample) as r:
        recs = list(r)
    with P.Writer(out, P.FORMAT_PCAPNG, P.LINKTYPE_ETHERNET, 0, P.WRITER_NANO) as w:
        for rec in recs:
            w.write(rec.data, rec.wire_len, rec.ts_ns)
        w.stats(received=len(recs), dropped=0)
        w.stats(**{"received": 9, "dropped": 1, "delivered": 8, "filtered": 0, "pending": 0})
        written = w.packets()
    with P.Reader(out) as r:
        back = list(r)
        fmt = r.format()
    check(written == len(recs) and fmt == P.FORMAT_PCAPNG
          and [(b.data, b.ts_ns, b.wire_len) for b in back] == [(a.data, a.ts_ns, a.wire_len) for a in recs],
          "Writer (pcapng, ns) round trip: %d packets identical" % written)
    # The interface statistics blocks hold exactly the counters given, as
    # isb_ifrecv (4), isb_osdrop (7), isb_usrdeliv (8); filtered and pending
    # have no pcapng option.
    with open(out, "rb") as f:
        img = f.read()
    isbs, off = [], 0
    while off < len(img):
        btype, blen = struct.unpack_from("=II", img, off)
        if btype == 5:
            opts, q = [], off + 20
            while q < off + blen - 4:
                code, olen = struct.unpack_from("=HH", img, q)
                if code == 0:
                    break
                opts.append((code, struct.unpack_from("=Q", img, q + 4)[0]))
                q += 4 + (olen + 3) // 4 * 4
            isbs.append(opts)
        off += blen
    check(isbs == [[(4, len(recs)), (7, 0)], [(4, 9), (7, 1), (8, 8)]],
          "Writer.stats: statistics blocks %r" % isbs)

    notcap = os.path.join(tmp, "not-a-capture")
    with open(notcap, "wb") as f:
        f.write(b"this is not a capture file at all\n")
    try:
        P.Reader(notcap)
        check(False, "a non-capture file raises")
    except P.PktdError as e:
        check(e.code == P.E_BAD_FILE and e.name == "bad_file" and P.strerror(P.E_BAD_FILE) in str(e)
              and e.detail == notcap + ": magic number 74686973 is neither pcap nor pcapng",
              "non-capture file: PktdError %s %r, the library's sentence as detail" % (e.name, str(e)))
    try:
        P.Reader(os.path.join(tmp, "absent.pcap"))
        check(False, "a missing file raises")
    except P.PktdError as e:
        check(e.code == -errno.ENOENT and e.errno == errno.ENOENT and e.name == "ENOENT"
              and e.detail == "open(%s): No such file or directory" % os.path.join(tmp, "absent.pcap"),
              "missing file: PktdError %s errno %s %r" % (e.name, e.errno, str(e)))
    try:
        P.Writer(os.path.join(tmp, "no", "such", "dir.pcap"))
        check(False, "a writer in a missing directory raises")
    except P.PktdError as e:
        check(e.code == -errno.ENOENT and e.detail.startswith("open(") and e.detail.endswith(
              "dir.pcap): No such file or directory"), "writer open failure: detail %r" % e.detail)

# A capture handle that cannot be created: the first exception carries the
# library's sentence (pktd_capture_create's errbuf); no privileges needed.
try:
    P.Capture("a-name-longer-than-15")
    check(False, "an over-long interface name raises")
except P.PktdError as e:
    check(e.code == P.E_INVALID_ARGUMENT and "longer than 15 bytes" in e.detail,
          "Capture(over-long name): PktdError %s %r" % (e.name, e.detail))

# A cut TCP header: a record, not an exception.
with P.Reader(sample) as r:
    frames = [rec.data for rec in r]
p = P.Packet()
rc = p.decode(frames[4][:14 + 20 + 10])
check(rc == P.E_TRUNCATED and p.error()[:2] == ("tcp", "truncated") and p.has("ipv4") and not p.has("tcp"),
      "cut frame: decode() returns E_TRUNCATED, error() = %r" % (p.error(),))
try:
    r = P.lib.pktd_decode(None, 1, None, 5)
    check(r == P.E_INVALID_ARGUMENT, "NULL state: E_INVALID_ARGUMENT")
except Exception as e:  # a crash would not get here, an exception is a bug
    check(False, "NULL state raised %r" % e)

# Every field in one call: Packet.fields() against the accessors.
bad = []
for data in frames:
    p = P.Packet(data)
    fl = p.fields()
    for name, value in (("layers", P.lib.pktd_packet_layers(p._state)),
                        ("ipv4.src", p.ipv4_src()), ("ipv4.ttl", p.ipv4_ttl()),
                        ("tcp.dport", p.tcp_dport()), ("tcp.seq", p.tcp_seq()),
                        ("udp.sport", p.udp_sport()), ("icmp.type", p.icmp_type()),
                        ("eth.type", p.eth_type())):
        if fl[name] != value:
            bad.append("%s = %r, accessor %r" % (name, fl[name], value))
arr = P.Packet(frames[4]).field_array()
if arr[P.FIELD_TCP_DPORT] != P.Packet(frames[4]).tcp_dport() or len(arr) != P.FIELD_COUNT_:
    bad.append("field_array()[FIELD_TCP_DPORT] = %d" % arr[P.FIELD_TCP_DPORT])
check(len(P.FIELD_NAMES) == P.lib.pktd_packet_fields(None, None, 0) > 70 and not bad,
      "Packet.fields(): %d fields, the accessors' values on %d frames%s"
      % (len(P.FIELD_NAMES), len(frames), "" if not bad else ": " + "; ".join(bad[:3])))

# The binding takes its field constants and names from the library.
check(P.FIELD_COUNT_ == P.lib.pktd_field_count() == len(P.FIELD_NAMES)
      and all(getattr(P, "FIELD_" + n.upper().replace(".", "_")) == i for i, n in enumerate(P.FIELD_NAMES))
      and "_FIELD_ENUM" not in vars(P),
      "FIELD_* and FIELD_NAMES come from the library (%d fields)" % P.FIELD_COUNT_)

# One rule for return shapes: presence -> value or None, predicates -> bool.
udp = P.Packet(next(d for d in frames if P.Packet(d).has("udp")))
tcp = P.Packet(frames[4])
shapes = [
    ("tcp_opt_mss() on UDP", udp.tcp_opt_mss(), None),
    ("tcp_opt_sack_block(0) on UDP", udp.tcp_opt_sack_block(0), None),
    ("tcp_opt_sack_block(99) on TCP", tcp.tcp_opt_sack_block(99), None),
    ("tcp_options() on UDP", udp.tcp_options(), None),
    ("header('tcp') on UDP", udp.header("tcp"), None),
    ("tcp_option_list() on UDP", udp.tcp_option_list(), []),
    ("icmp_echo() on TCP", tcp.icmp_echo(), None),
    ("tcp_checksum_ok() on UDP", udp.tcp_checksum_ok(), False),
    ("tcp_checksum_bad() on UDP", udp.tcp_checksum_bad(), False),
    ("tcp_checksum_ok() on TCP", tcp.tcp_checksum_ok(), True),
]
bad = ["%s = %r, want %r" % (w, got, want) for w, got, want in shapes
       if got != want or type(got) is not type(want)]
for name in ("tcp_opt_sack_perm", "ipv4_df", "ipv4_mf", "ipv4_rf", "tcp_ns", "ipv4_checksum_ok",
             "ipv4_checksum_bad", "udp_checksum_ok", "udp_checksum_bad", "icmp_checksum_ok",
             "icmp_checksum_bad"):
    for pk in (udp, tcp):
        if type(getattr(pk, name)()) is not bool:
            bad.append("%s() returns %r, not a bool" % (name, getattr(pk, name)()))
check(not bad, "return shapes: presence gives a value or None, predicates a bool%s"
      % ("" if not bad else ": " + "; ".join(bad[:4])))

# Docstrings say what a method returns, not just the C name.
thin = [n for n in dir(P.Packet) if not n.startswith("_") and callable(getattr(P.Packet, n))
        and len((getattr(P.Packet, n).__doc__ or "").split()) < 6]
check(not thin, "every public Packet method has a real docstring%s" % (": " + " ".join(thin) if thin else ""))

# A library that cannot be loaded: the error names PKTDECODE_LIB and where it looked.
for env_lib, want in (("/nonexistent/libpktdecode.so.1", "PKTDECODE_LIB=/nonexistent/libpktdecode.so.1"),
                      (None, "PKTDECODE_LIB")):
    env = {k: v for k, v in os.environ.items() if k not in ("PKTDECODE_LIB", "LD_LIBRARY_PATH")}
    if env_lib:
        env["PKTDECODE_LIB"] = env_lib
    r = subprocess.run([sys.executable, "-c", "import pktdecode"], env=dict(env, PYTHONPATH=os.path.join(
        srcdir, "examples", "python")), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = r.stderr.decode()
    if env_lib is None and r.returncode == 0:
        print("# an installed libpktdecode was found without PKTDECODE_LIB: not checked")
        continue
    check(r.returncode != 0 and "LibraryNotFoundError" in err and want in err
          and (env_lib or "libpktdecode.so.1" in err),
          "failed load (%s): LibraryNotFoundError naming %s" % (env_lib or "no PKTDECODE_LIB", want))

check(P.ipv4_format(0xc0a80102) == "192.168.1.2" and P.mac_format(b"\x02\x00\x00\xab\xcd\xef")
      == "02:00:00:ab:cd:ef" and P.mac_format(None) == "",
      "ipv4_format() and mac_format() use the library's formatting")

print("# %.1f s, %d failure(s)" % (time.time() - t0, failures))
sys.exit(1 if failures else 0)
