#!/usr/bin/env python3
"""Scale-out (issue 15): pktdecode.plan_chunks(), read_chunk() and
pktdecode.dask.read_pcaps().

- Cutting a capture into record-aligned chunks and decoding each chunk on
  its own gives, row for row and column by column (values and dtypes),
  exactly read_dataframe() of the whole file: corpus pcap files, a corpus
  pcapng file, two pcapng files concatenated (two sections), and a built
  pcapng file with three interfaces of different link types and timestamp
  resolutions (one defined after packets of the others), a second section
  in the other byte order, simple packet blocks and blocks without packets;
  for chunk sizes from 1 byte (one record per chunk) to the whole file.
- read_pcaps() of one file, of several files and of a glob pattern, with
  and without chunking and with a field selection, equals read_dataframe()
  of the files one after the other (the index is the packet's index in its
  file); its meta has the dtypes of the columns.
- The same through a dask.distributed LocalCluster of 2 worker processes,
  which both decode partitions; a bad file raises PktdError, with the
  reader's message, through the cluster too.
- A truncated file: plan_chunks() raises the reader's error (the same code
  and message as read_columns()).  A file truncated while read_chunk()
  decodes a chunk of it: the rows come out whole (the default reads the
  chunk with pread first; mapped=True is compared for equal rows too).
- pktdecode.dask imports without dask, and read_pcaps() then raises an
  ImportError that says what to install.

Runs under this interpreter or /usr/bin/python3, whichever imports dask,
distributed, pandas and numpy (SKIP, exit 77, only when none does: CI
installs python3-dask and python3-distributed, .ci/install-deps).

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import subprocess
import sys

srcdir = os.path.abspath(os.environ.get("top_srcdir", "."))
builddir = os.path.abspath(os.environ.get("top_builddir", "."))
pkgdir = os.path.join(srcdir, "examples", "python")
corpus = os.path.join(srcdir, "tests", "corpus", "tcpdump")
NEEDED = "import dask, dask.dataframe, distributed, pandas, numpy"


def orchestrate():
    for exe in (sys.executable, "/usr/bin/python3"):
        if os.path.exists(exe) and subprocess.call([exe, "-c", NEEDED], stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL) == 0:
            env = dict(os.environ, PYTHONPATH=pkgdir, PYDASK_CHILD="1",
                       PKTDECODE_LIB=os.path.abspath(os.environ.get(
                           "PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))))
            env.pop("PKTDECODE_NO_NUMPY", None)
            print("# under %s" % exe)
            sys.stdout.flush()
            sys.exit(subprocess.call([exe, os.path.abspath(__file__)], env=env))
    print("SKIP: neither %s nor /usr/bin/python3 can %r (Debian: apt install python3-dask "
          "python3-distributed python3-pandas python3-numpy)" % (sys.executable, NEEDED))
    sys.exit(77)


# ------------------------------------------------ a pcapng file built here
def _block(be, btype, body):
    import struct
    o = ">" if be else "<"
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack(o + "II", btype, n) + body + struct.pack(o + "I", n)


def _shb(be):
    import struct
    o = ">" if be else "<"
    return _block(be, 0x0A0D0D0A, struct.pack(o + "IHHq", 0x1A2B3C4D, 1, 0, -1))


def _idb(be, linktype, tsresol=None):
    import struct
    o = ">" if be else "<"
    opts = b""
    if tsresol is not None:
        opts = struct.pack(o + "HHB3x", 9, 1, tsresol) + struct.pack(o + "HH", 0, 0)
    return _block(be, 1, struct.pack(o + "HHI", linktype, 0, 0) + opts)


def _epb(be, iface, ts, frame, wire=None):
    import struct
    o = ">" if be else "<"
    return _block(be, 6, struct.pack(o + "IIIII", iface, ts >> 32, ts & 0xffffffff, len(frame),
                                      wire or len(frame)) + frame)


def _spb(be, frame):
    import struct
    return _block(be, 3, struct.pack((">" if be else "<") + "I", len(frame)) + frame)


def built_pcapng(path, P):
    """Three interfaces (Ethernet in µs, raw IP in ns, Ethernet in 2^-10 s,
    the third defined after packets), other blocks, a second section in the
    other byte order with simple packets."""
    eth, raw = [], []
    for name in ("802.1ad_QinQ.pcap", "afs.pcap", "pim-packet-assortment.pcap"):
        with P.Reader(os.path.join(corpus, name)) as r:
            eth += [rec.data for rec in r if rec.linktype == P.LINKTYPE_ETHERNET][:40]
    for name in ("LINKTYPE_RAW_ipv4.pcap", "LINKTYPE_RAW_ipv6.pcap"):
        with P.Reader(os.path.join(corpus, name)) as r:
            raw += [rec.data for rec in r]
    out = [_shb(0), _idb(0, 1), _idb(0, 101, 9), _block(0, 4, b"\0" * 8)]
    t = 1700000000 * 10 ** 6
    for i in range(30):
        out.append(_epb(0, i % 2, t * (1000 if i % 2 else 1) + i, eth[i] if i % 2 == 0 else raw[i % len(raw)]))
        if i == 15:
            out.append(_idb(0, 1, 0x80 | 10))
            out.append(_block(0, 5, b"\0" * 12))
        if i > 15 and i % 3 == 0:
            out.append(_epb(0, 2, (1700000000 << 10) + i, eth[i + 1], len(eth[i + 1]) + 7))
    out += [_shb(1), _idb(1, 1)]
    for i in range(10):
        out.append(_spb(1, eth[i]) if i % 2 else _epb(1, 0, t + i, eth[i]))
    with open(path, "wb") as f:
        f.write(b"".join(out))


def suite():
    import glob
    import shutil
    import tempfile
    import warnings

    import dask
    import pandas
    import pktdecode as P
    import pktdecode.dask as PD
    failures = [0]

    def check(ok, what):
        print(("ok - " if ok else "not ok - ") + what)
        sys.stdout.flush()
        if not ok:
            failures[0] += 1
        return ok

    def same(df, want, what):
        ok = (list(df.columns) == list(want.columns) and list(df.dtypes) == list(want.dtypes)
              and len(df) == len(want) and df.equals(want))
        if not ok:
            print("# got %d rows %s, want %d rows %s" % (len(df), list(df.dtypes)[:6], len(want),
                                                        list(want.dtypes)[:6]))
        return check(ok, what)

    tmp = tempfile.mkdtemp(prefix="pktd-dask-")
    try:
        ng = os.path.join(tmp, "built.pcapng")
        built_pcapng(ng, P)
        two = os.path.join(tmp, "two-sections.pcapng")
        with open(two, "wb") as f:
            for name in ("ahcp.pcapng", "OSPFv2_Capture_FINAL.pcapng"):
                with open(os.path.join(corpus, name), "rb") as g:
                    f.write(g.read())
        files = [os.path.join(corpus, n) for n in ("802.1ad_QinQ.pcap", "LINKTYPE_RAW_ipv6.pcap",
                                                   "pim-packet-assortment.pcap", "3560_CDP.pcap",
                                                   "OSPFv2_Capture_FINAL.pcapng")] + [ng, two]

        # The built file is what it claims to be.
        want = P.read_dataframe(ng)
        check(sorted(set(want["interface"])) == [0, 1, 2] and sorted(set(want["linktype"])) == [1, 101]
              and (want["status"] == 0).sum() > 40,
              "built pcapng: three interfaces, two link types, packets that decode")
        chunks = P.plan_chunks(ng, 1)
        check(max(len(c.header) for c in chunks) == 4 and len({c.header[0] for c in chunks}) == 2,
              "built pcapng: chunks carry up to the SHB and 3 IDBs, of two sections")
        check(P.count_packets(ng) == len(want) == sum(c.packets for c in chunks),
              "count_packets() and the chunks' counts are the file's packets")

        # Chunks decoded one by one equal the whole file.
        for path in files:
            want = P.read_dataframe(path)
            size = os.path.getsize(path)
            for cb in sorted({1, 100, 4096, size // 3 or 1, size}):
                parts = [PD.read_partition(c) for c in P.plan_chunks(path, cb)]
                same(pandas.concat(parts), want, "%s in chunks of %d bytes (%d chunks) = read_dataframe()"
                     % (os.path.basename(path), cb, len(parts)))
            cb = size // 3 or 1
            parts = [PD.read_partition(c, mapped=True) for c in P.plan_chunks(path, cb)]
            same(pandas.concat(parts), want, "%s in chunks of %d bytes, mapped = read_dataframe()"
                 % (os.path.basename(path), cb))

        # read_pcaps(), local scheduler.
        with dask.config.set(scheduler="sync"):
            for path in (ng, files[0]):
                for cb in (None, 1000):
                    df = PD.read_pcaps(path, chunk_bytes=cb)
                    check(list(df.dtypes) == list(P.read_dataframe(path).dtypes),
                          "read_pcaps meta has the columns' dtypes")
                    same(df.compute(), P.read_dataframe(path), "read_pcaps(%s, chunk_bytes=%s) = read_dataframe()"
                         % (os.path.basename(path), cb))
            sel = ["ts_ns", "ipv4_src", "tcp_dport", "interface", "ipv6.src0"]
            same(PD.read_pcaps(files, fields=sel, chunk_bytes=2000).compute(),
                 pandas.concat([P.read_dataframe(f, sel) for f in files]),
                 "read_pcaps(7 files, a field selection, chunks of 2000 bytes) = the files' read_dataframe()")
            pattern = os.path.join(corpus, "LINKTYPE_*.pcap")
            same(PD.read_pcaps(pattern).compute(),
                 pandas.concat([P.read_dataframe(f) for f in sorted(glob.glob(pattern))]),
                 "read_pcaps(a glob pattern) reads the matching files in sorted order")
            for cb in (None, 1000):
                same(PD.read_pcaps(files, chunk_bytes=cb, mapped=True).compute(),
                     pandas.concat([P.read_dataframe(f) for f in files]),
                     "read_pcaps(7 files, chunk_bytes=%s, mapped=True) = the files' read_dataframe()" % cb)

        # A file shortened while a chunk is decoded (a capture program
        # rotating its files): by default the chunk's bytes were read
        # before decoding, so the rows come out whole.  (mapped=True would
        # die of SIGBUS here, which is why it is not the default.)
        victim = os.path.join(tmp, "rotated.pcap")

        def truncated_while_read(victim, cb):
            last = P.plan_chunks(victim, cb)[-1]
            want = P.read_chunk(last)
            real_from_bytes = P.Reader.from_bytes

            def truncate_then_open(data):
                with open(victim, "r+b") as f:
                    f.truncate(0)
                return real_from_bytes(data)
            P.Reader.from_bytes = truncate_then_open
            try:
                got = P.read_chunk(last)
            finally:
                P.Reader.from_bytes = real_from_bytes
            import numpy
            check(os.path.getsize(victim) == 0 and list(got) == list(want)
                  and all(numpy.array_equal(got[k], want[k]) for k in want)
                  and len(got["status"]) == last.packets > 0,
                  "a file truncated to 0 while read_chunk() decodes a %d-byte chunk: the %d rows, whole"
                  % (last.end - last.start, last.packets))

        for cb in (1000, os.path.getsize(files[2])):  # a small chunk and a large one (read apart)
            shutil.copyfile(files[2], victim)
            truncated_while_read(victim, cb)

        # A file shortened before read_chunk() copies the chunk: PktdError
        # (E_TRUNCATED, where the file ended), for the small chunk (a
        # bytearray) and the large one (an anonymous mapping, which must be
        # unmapped without a BufferError hiding the error), with os.preadv()
        # and without it (the os.pread() loop).
        for cb in (1000, os.path.getsize(files[2])):
            for drop_preadv in (False, True):
                shutil.copyfile(files[2], victim)
                last = P.plan_chunks(victim, cb)[-1]
                with open(victim, "r+b") as f:
                    f.truncate(last.start + 10)
                saved = getattr(os, "preadv", None)
                if drop_preadv and saved is not None:
                    del os.preadv
                try:
                    P.read_chunk(last)
                    got = "no error"
                except P.PktdError as e:
                    got = e.code
                except Exception as e:  # noqa: BLE001 - what the test reports
                    got = "%s: %s" % (type(e).__name__, e)
                finally:
                    if saved is not None:
                        os.preadv = saved
                check(got == P.E_TRUNCATED,
                      "a %d-byte chunk of a file shortened before read_chunk() reads it%s: "
                      "PktdError E_TRUNCATED (got %s)"
                      % (last.end - last.start, " (no os.preadv)" if drop_preadv else "", got))

        # A truncated file: the reader's error, at planning.
        bad = os.path.join(tmp, "truncated.pcap")
        with open(files[0], "rb") as f:
            data = f.read()
        with open(bad, "wb") as f:
            f.write(data[:-5])
        try:
            P.read_columns(bad)
            check(False, "read_columns raises on a truncated file")
        except P.PktdError as e:
            want_err = (e.code, e.detail)
        try:
            PD.read_pcaps(bad, chunk_bytes=100)
            check(False, "read_pcaps(truncated, chunked) raises")
        except P.PktdError as e:
            check((e.code, e.detail) == want_err and "file ends inside" in e.detail,
                  "a truncated file: plan_chunks raises the reader's error (%s)" % e.detail)

        # dask.distributed: a LocalCluster of 2 worker processes.
        from distributed import Client, LocalCluster
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                              silence_logs=40) as cluster, Client(cluster) as client:
                check(len(client.scheduler_info()["workers"]) == 2, "LocalCluster: 2 worker processes")
                df = PD.read_pcaps(files, chunk_bytes=3000)
                parts = df.to_delayed()
                futures = client.compute(parts)
                got = client.gather(futures)
                where = client.who_has(futures)
                workers = {w for ws in where.values() for w in ws}
                same(pandas.concat(got), pandas.concat([P.read_dataframe(f) for f in files]),
                     "LocalCluster: read_pcaps(7 files, %d partitions) = the files' read_dataframe()"
                     % len(parts))
                check(len(workers) == 2, "both workers decoded partitions (%d)" % len(workers))
                same(PD.read_pcaps(ng, chunk_bytes=200).compute(), P.read_dataframe(ng),
                     "LocalCluster: the built multi-interface pcapng in 200-byte chunks")
                try:
                    PD.read_pcaps([files[0], bad], chunk_bytes=None).compute()
                    check(False, "LocalCluster: a truncated file raises")
                except P.PktdError as e:
                    check((e.code, e.detail) == want_err,
                          "LocalCluster: a truncated file raises PktdError from the worker, with the "
                          "reader's message")
    finally:
        shutil.rmtree(tmp)

    # Without dask: the module imports; read_pcaps says what is missing.
    code = ("import sys; sys.modules['dask'] = None\n"
            "import pktdecode.dask as PD\n"
            "parts = PD.partitions(%r)\n"
            "assert len(parts) == 1 and parts[0].path == %r\n"
            "try:\n    PD.read_pcaps(%r)\nexcept ImportError as e:\n    print(e)\n    sys.exit(0)\n"
            "sys.exit(3)\n") % (files[0], files[0], files[0])
    r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = r.stdout.decode()
    check(r.returncode == 0 and "python3-dask" in out,
          "without dask: pktdecode.dask imports, read_pcaps raises ImportError naming python3-dask (%s)"
          % out.strip()[:80])
    print("# %d failure(s)" % failures[0])
    sys.exit(1 if failures[0] else 0)


if __name__ == "__main__":
    if os.environ.get("PYDASK_CHILD"):
        suite()
    else:
        orchestrate()
