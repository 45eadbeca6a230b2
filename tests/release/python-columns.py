#!/usr/bin/env python3
"""Columnar reading from Python: pktdecode.read_columns(), iter_batches(),
read_dataframe(), ipv4_text(), ipv6_text() (issue 15).

- Every column equals, row by row, what the per-packet path gives for the
  same record (Packet.field_array() after Packet.decode(), and the
  Record's ts_ns, caplen, wire_len, linktype, interface), for every record
  of several tcpdump corpus files (Ethernet, VLAN, IPv6, raw IP, pcapng,
  a file that does not decode) and every field.
- Batch boundaries: batch_rows 1, N-1, N, N+1 give the same rows in
  batches of the expected sizes.
- A truncated file: the good rows are yielded, then PktdError with the
  reader's code and message (the same as Reader iteration raises).
- The whole-file functions read by read(2) by default and, with
  mapped=True (1.1), read the file mapped: the same rows and errors both
  ways, for the corpus files, a truncated file and a named pipe (read, not
  mapped); iter_batches(mapped=True) maps the file and unmaps it when
  closed, and by default maps nothing.
- A field selection, read_dataframe() == read_columns() (or ImportError
  without pandas), the address helpers against the library's formatters.

Both column types are exercised: the suite runs once per configuration, in
a child process each: array.array (PKTDECODE_NO_NUMPY=1), and numpy in
every interpreter among this one and /usr/bin/python3 that imports numpy.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import subprocess
import sys

srcdir = os.environ.get("top_srcdir", ".")
builddir = os.environ.get("top_builddir", ".")
os.environ.setdefault("PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))
pkgdir = os.path.abspath(os.path.join(srcdir, "examples", "python"))
corpus = os.path.join(srcdir, "tests", "corpus", "tcpdump")
FILES = ["802.1ad_QinQ.pcap", "LINKTYPE_IPV6.pcap", "LINKTYPE_RAW_ipv6.pcap", "EIGRP_ipv6.pcap",
         "OSPFv2_Capture_FINAL.pcapng", "ahcp.pcapng", "afs.pcap", "pim-packet-assortment.pcap",
         "arp-oobr.pcap", "LINKTYPE_IPV6_invalid.pcap", "3560_CDP.pcap"]


def orchestrate():
    """Run the suite in each configuration this host can run."""
    interpreters = []
    for exe in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(exe) and os.path.realpath(exe) not in [os.path.realpath(e) for e in interpreters]:
            interpreters.append(exe)
    runs = [(sys.executable, "array.array", {"PKTDECODE_NO_NUMPY": "1"})]
    for exe in interpreters:
        if subprocess.call([exe, "-c", "import numpy"], stderr=subprocess.DEVNULL) == 0:
            runs.append((exe, "numpy", {}))
    if len(runs) == 1:
        print("# numpy is not importable by %s: only the array.array path runs here"
              % " or ".join(interpreters))
    failed = 0
    for exe, kind, env in runs:
        print("# %s columns under %s" % (kind, exe))
        e = dict(os.environ, PYTHONPATH=pkgdir, PYCOLUMNS_CHILD=kind, **env)
        e["PKTDECODE_LIB"] = os.path.abspath(e["PKTDECODE_LIB"])
        rc = subprocess.call([exe, os.path.abspath(__file__)], env=e)
        if rc != 0:
            print("not ok - the %s suite under %s (exit %d)" % (kind, exe, rc))
            failed += 1
    sys.exit(1 if failed else 0)


def suite(kind):
    import array
    import tempfile
    import pktdecode as P
    failures = [0]

    def check(ok, what):
        print(("ok - " if ok else "not ok - ") + "[%s] %s" % (kind, what))
        if not ok:
            failures[0] += 1
        return ok

    if kind == "numpy":
        import numpy
        check(P.numpy is numpy, "the module uses numpy")
        coltype = numpy.ndarray
    else:
        check(P.numpy is None, "PKTDECODE_NO_NUMPY=1: the module ignores numpy")
        coltype = array.array

    def per_packet(path):
        """The per-packet path: (rows as dicts, the PktdError or None)."""
        rows, err = [], None
        p = P.Packet()
        try:
            with P.Reader(path) as r:
                for rec in r:
                    rc = p.decode(rec.data, rec.linktype)
                    row = dict(zip((n.replace(".", "_") for n in P.FIELD_NAMES), p.field_array()))
                    row.update(ts_ns=rec.ts_ns, caplen=rec.caplen, len=rec.wire_len,
                               interface=rec.interface, status=rc)
                    if row["linktype"] != rec.linktype:  # the field is the record's link type
                        check(False, "%s: linktype field %d, record %d" % (path, row["linktype"], rec.linktype))
                    rows.append(row)
        except P.PktdError as e:
            err = e
        return rows, err

    def as_list(col):
        return [int(v) for v in col]

    def same_rows(cols, rows, names):
        for name in names:
            want = [row[name] for row in rows]
            got = as_list(cols[name])
            if got != want:
                bad = next(i for i in range(min(len(got), len(want)) or 1) if i >= len(got) or got[i] != want[i])
                return "column %s differs (rows %d vs %d, first at %d)" % (name, len(got), len(want), bad)
        return ""

    check(set(P.COLUMNS) == set(n.replace(".", "_") for n in P.FIELD_NAMES)
          | {"ts_ns", "caplen", "len", "interface", "status"}, "COLUMNS: fields + per-row columns")
    check(P.FIELD_COLUMNS["ipv4_src"] == P.FIELD_IPV4_SRC and P.FIELD_COLUMNS["tcp_sport"] == P.FIELD_TCP_SPORT,
          "column names map to the library's field indexes")

    total = 0
    for fname in FILES:
        path = os.path.join(corpus, fname)
        rows, err = per_packet(path)
        total += len(rows)
        try:
            cols = P.read_columns(path)
            cerr = None
        except P.PktdError as e:
            cols, cerr = e.columns, e
        check(list(cols) == list(P.COLUMNS) and all(isinstance(c, coltype) for c in cols.values()),
              "%s: every column, of %s" % (fname, coltype.__name__))
        check(all(len(c) == len(rows) for c in cols.values()), "%s: %d rows" % (fname, len(rows)))
        diff = same_rows(cols, rows, P.COLUMNS)
        check(not diff, "%s: every column equals the per-packet path %s" % (fname, diff))
        check((err is None) == (cerr is None) and (err is None or (err.code, err.detail) == (cerr.code, cerr.detail)),
              "%s: same reader error (%s)" % (fname, err))
    check(total > 1000, "compared %d records" % total)
    check(any(r["status"] != 0 for r in per_packet(os.path.join(corpus, "LINKTYPE_IPV6_invalid.pcap"))[0]),
          "the corpus has a frame that does not decode (status column exercised)")

    # batch boundaries
    path = os.path.join(corpus, "pim-packet-assortment.pcap")
    whole = P.read_columns(path)
    n = len(whole["ts_ns"])
    check(n >= 3, "boundary file has %d rows" % n)
    for rows in (1, n - 1, n, n + 1):
        batches = list(P.iter_batches(path, batch_rows=rows))
        sizes = [len(b["ts_ns"]) for b in batches]
        want = [rows] * (n // rows) + ([n % rows] if n % rows else [])
        merged = {k: sum((as_list(b[k]) for b in batches), []) for k in P.COLUMNS}
        check(sizes == want and all(merged[k] == as_list(whole[k]) for k in P.COLUMNS),
              "batch_rows=%d: batches of %s, the same rows" % (rows, sizes))
    try:
        list(P.iter_batches(path, batch_rows=0))
        check(False, "batch_rows=0 raises ValueError")
    except ValueError:
        check(True, "batch_rows=0 raises ValueError")

    # a selection, in its order; dotted names accepted; unknown names refused
    sel = ["ts_ns", "ipv4.src", "ipv4_dst", "tcp_sport", "tcp_dport", "ipv4_proto", "len", "tcp_flags"]
    part = P.read_columns(path, fields=sel)
    check(list(part) == [s.replace(".", "_") for s in sel]
          and all(as_list(part[k]) == as_list(whole[k]) for k in part), "a selection: its columns, same values")
    for bad in (["nope"], ["ts_ns", "ts_ns"]):
        try:
            P.read_columns(path, fields=bad)
            check(False, "fields=%r raises ValueError" % bad)
        except ValueError:
            check(True, "fields=%r raises ValueError" % bad)
    empty = P.read_columns(os.path.join(corpus, "802.1ad_QinQ.pcap"), fields=[])
    check(empty == {}, "fields=[]: no columns")

    # a truncated file: the good rows, then the reader's error
    with open(path, "rb") as f:
        data = f.read()
    with tempfile.TemporaryDirectory() as d:
        cut = os.path.join(d, "cut.pcap")
        with open(cut, "wb") as f:
            f.write(data[:-5])
        rows, err = per_packet(cut)
        check(err is not None and len(rows) == n - 1, "per-packet path: %d rows, then %s" % (len(rows), err))
        for br in (1, 65536):
            got, cerr = [], None
            try:
                for b in P.iter_batches(cut, batch_rows=br):
                    got.append(b)
            except P.PktdError as e:
                cerr = e
            ngot = sum(len(b["ts_ns"]) for b in got)
            check(cerr is not None and (cerr.code, cerr.detail) == (err.code, err.detail) and ngot == n - 1,
                  "truncated, batch_rows=%d: %d good rows yielded, then PktdError %s" % (br, ngot, cerr))
        try:
            P.read_columns(cut)
            check(False, "read_columns of a truncated file raises")
        except P.PktdError as e:
            check((e.code, e.detail) == (err.code, err.detail) and not same_rows(e.columns, rows, P.COLUMNS),
                  "read_columns of a truncated file: PktdError, .columns = the good rows")
        head = os.path.join(d, "empty.pcap")
        with open(head, "wb") as f:
            f.write(data[:24])  # the pcap file header, no record
        e = P.read_columns(head)
        check(list(e) == list(P.COLUMNS) and all(len(c) == 0 and isinstance(c, coltype) for c in e.values())
              and list(P.iter_batches(head)) == [], "a file without records: empty columns, no batch")
        try:
            P.read_columns(os.path.join(d, "missing.pcap"))
            check(False, "a missing file raises PktdError")
        except P.PktdError as e:
            check(e.name == "ENOENT", "a missing file raises PktdError ENOENT")

    # With mapped=True the whole-file functions read the file mapped in
    # place (1.1): the same rows and errors as reading it with read(2), the
    # default; a named pipe cannot be mapped and is read.
    if "pktd_reader_open_mapped" not in P.MISSING:
        def mapped_now(path):
            with open("/proc/self/maps") as f:
                return os.path.realpath(path) in f.read()

        def both(fn):
            return fn(True), fn(False)

        def outcome(fn):
            try:
                return fn(), None
            except P.PktdError as e:
                return getattr(e, "columns", None), (e.code, e.detail)

        def same(a, b):
            return list(a) == list(b) and all(as_list(a[k]) == as_list(b[k]) for k in a)

        for fname in FILES:
            fp = os.path.join(corpus, fname)
            (m, me), (r, re_) = both(lambda m: outcome(lambda: P.read_columns(fp, mapped=m)))
            check(me == re_ and same(m, r), "%s: read_columns mapped == read(2)" % fname)
            m, r = both(lambda m: P.count_packets(fp, mapped=m))
            check(m == r, "%s: count_packets mapped == read(2) (%d)" % (fname, m))
        with P.Reader.mapped(path) as rm, P.Reader(path) as rr:
            def recs(r):
                return [(x.data, x.wire_len, x.ts_ns, x.linktype, x.index, x.interface) for x in r]
            check(recs(rm) == recs(rr), "Reader.mapped() == Reader(), record by record")
        gen = P.iter_batches(path, batch_rows=1, mapped=True)
        next(gen)
        check(mapped_now(path), "iter_batches(mapped=True) maps the file while it reads")
        gen.close()
        check(not mapped_now(path), "... and unmaps it when closed")
        gen = P.iter_batches(path, batch_rows=1)
        next(gen)
        check(not mapped_now(path), "iter_batches() reads with read(2) by default (no SIGBUS risk)")
        gen.close()
        got = P.read_columns(path, mapped=True)
        check(same(got, whole), "read_columns(mapped=True) == read_columns()")
        with tempfile.TemporaryDirectory() as d:
            cut = os.path.join(d, "cut.pcap")
            with open(cut, "wb") as f:
                f.write(data[:-5])
            (m, me), (r, re_) = both(lambda m: outcome(lambda: P.read_columns(cut, mapped=m)))
            check(me is not None and me == re_ and same(m, r),
                  "a truncated file: the same rows and error mapped and by read(2) (%s)" % (me,))
            fifo = os.path.join(d, "fifo.pcap")
            os.mkfifo(fifo)
            pid = os.fork()
            if pid == 0:
                with open(fifo, "wb") as f:
                    f.write(data)
                os._exit(0)
            got = P.read_columns(fifo, mapped=True)
            os.waitpid(pid, 0)
            check(same(got, whole), "a named pipe: read with read(2), the same rows")
            check(not mapped_now(cut), "nothing left mapped")

    # A file shortened by another process while it is read (a capture ring
    # reusing its names): by default a clear end or PktdError, never a
    # crash.  Mapped, this is the SIGBUS the review found (exit -7); run in
    # a child so that a crash is reported here rather than ending the suite.
    with tempfile.TemporaryDirectory() as d:
        shrink = os.path.join(d, "shrink.pcap")
        with open(os.path.join(corpus, "afs.pcap"), "rb") as f, open(shrink, "wb") as g:
            g.write(f.read())
        child = (
            "import os, sys, pktdecode as P\n"
            "gen = P.iter_batches(sys.argv[1], batch_rows=16)\n"
            "n = len(next(gen)['ts_ns'])\n"
            "os.truncate(sys.argv[1], 0)\n"
            "try:\n"
            "    n += sum(len(b['ts_ns']) for b in gen)\n"
            "    print('end', n)\n"
            "except P.PktdError as e:\n"
            "    print('error', n, e.name)\n")
        r = subprocess.run([sys.executable, "-c", child, shrink], capture_output=True, text=True)
        check(r.returncode == 0 and r.stdout.split()[:1] in (["end"], ["error"]),
              "a file truncated while iter_batches() reads it: a clean end or PktdError, "
              "not a crash (exit %d, %s)" % (r.returncode, (r.stdout + r.stderr).strip()[-200:]))

    # address helpers against the library's formatters
    v4 = P.read_columns(os.path.join(corpus, "afs.pcap"), fields=["ipv4_src"])["ipv4_src"]
    check(P.ipv4_text(v4) == [P.ipv4_format(int(a)) for a in v4] and len(v4) > 0, "ipv4_text == ipv4_format")
    v6 = P.read_columns(os.path.join(corpus, "EIGRP_ipv6.pcap"), fields=["ipv6_src%d" % i for i in range(4)])
    want = [P.ipv6_format(b"".join(int(v6["ipv6_src%d" % i][r]).to_bytes(4, "big") for i in range(4)))
            for r in range(len(v6["ipv6_src0"]))]
    check(P.ipv6_text(*(v6["ipv6_src%d" % i] for i in range(4))) == want and want and want[0] != "::",
          "ipv6_text == ipv6_format (%s)" % (want[:1],))

    # pandas
    try:
        import pandas  # noqa: F401
        have_pandas = True
    except ImportError:
        have_pandas = False
    if have_pandas:
        df = P.read_dataframe(path)
        check(list(df.columns) == list(P.COLUMNS) and len(df) == n
              and all(df[k].tolist() == as_list(whole[k]) for k in P.COLUMNS), "read_dataframe == read_columns")
        dfs = P.read_dataframe(path, fields=sel)
        check(list(dfs.columns) == [s.replace(".", "_") for s in sel], "read_dataframe with a selection")
    else:
        try:
            P.read_dataframe(path)
            check(False, "read_dataframe without pandas raises ImportError")
        except ImportError as e:
            check("needs pandas" in str(e), "read_dataframe without pandas: ImportError (%s)" % e)
    sys.exit(1 if failures[0] else 0)


if __name__ == "__main__":
    if os.environ.get("PYCOLUMNS_CHILD"):
        suite(os.environ["PYCOLUMNS_CHILD"])
    else:
        orchestrate()
