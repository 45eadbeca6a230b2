#!/usr/bin/env python3
"""The binding with the standard library alone (issue 15: numpy, pandas and
dask are optional).

In an interpreter where `import numpy`, `import pandas` and `import dask`
fail (they are made to, whatever is installed), these must still pass:
- tests/release/python-binding.py: the whole per-packet API against
  `pktd-decode -j` on the corpus;
- the array.array suite of tests/release/python-columns.py (read_columns,
  iter_batches, batch boundaries, errors; read_dataframe raises ImportError);
- chunks: plan_chunks() + read_chunk() of a corpus pcap and pcapng file
  equal read_columns() of the whole file (array.array columns);
- `import pktdecode.dask` works and read_pcaps() raises ImportError.
Nothing is skipped: the blocking needs no package.

Environment: top_srcdir, top_builddir (set by `make check`).
"""
import os
import subprocess
import sys

srcdir = os.path.abspath(os.environ.get("top_srcdir", "."))
builddir = os.path.abspath(os.environ.get("top_builddir", "."))
pkgdir = os.path.join(srcdir, "examples", "python")
BLOCK = ("import sys, runpy\n"
         "for m in ('numpy', 'pandas', 'dask'):\n"
         "    sys.modules[m] = None  # import raises ImportError\n")

CHUNKS = BLOCK + r'''
import array, os, sys
import pktdecode as P
assert P.numpy is None
corpus = os.path.join(os.environ["top_srcdir"], "tests", "corpus", "tcpdump")
bad = 0
for name in ("pim-packet-assortment.pcap", "OSPFv2_Capture_FINAL.pcapng", "LINKTYPE_RAW_ipv6.pcap"):
    path = os.path.join(corpus, name)
    whole = P.read_columns(path)
    for cb, mapped in ((1, False), (1000, False), (1000, True)):
        got = {k: array.array(v.typecode) for k, v in whole.items()}
        for c in P.plan_chunks(path, cb):
            part = P.read_chunk(c, mapped=mapped)
            for k in got:
                if type(part[k]) is not array.array:
                    bad += 1
                got[k].extend(part[k])
        ok = got == whole
        bad += not ok
        print(("ok - " if ok else "not ok - ") + "%s in chunks of %d bytes%s = read_columns (array.array)"
              % (name, cb, ", mapped" if mapped else ""))
    # chunk_image(): each chunk as a capture file of its own (what read_chunk
    # decodes by default) reads to the same rows
    import tempfile
    ok = True
    for c in P.plan_chunks(path, 700):
        with tempfile.NamedTemporaryFile(suffix=".cap") as t:
            t.write(P.chunk_image(c))
            t.flush()
            ok &= P.read_columns(t.name) == P.read_chunk(c)
    bad += not ok
    print(("ok - " if ok else "not ok - ") + "%s: every chunk_image() file reads as read_chunk()" % name)
import pktdecode.dask as PD
try:
    PD.read_pcaps(path)
    bad += 1
    print("not ok - read_pcaps without dask raises ImportError")
except ImportError as e:
    print("ok - read_pcaps without dask: ImportError (%s)" % str(e)[:60])
sys.exit(1 if bad else 0)
'''


def run(what, code, env):
    r = subprocess.call([sys.executable, "-c", code], env=env)
    print(("ok - " if r == 0 else "not ok - ") + "without numpy, pandas, dask: " + what +
          ("" if r == 0 else " (exit %d)" % r))
    return r == 0


def main():
    env = dict(os.environ, PYTHONPATH=pkgdir, top_srcdir=srcdir, top_builddir=builddir,
               PKTDECODE_LIB=os.path.abspath(os.environ.get(
                   "PKTDECODE_LIB", os.path.join(builddir, "lib", ".libs", "libpktdecode.so.1"))))
    env.pop("PKTDECODE_NO_NUMPY", None)  # the module must find out by itself
    rel = os.path.join(srcdir, "tests", "release")
    ok = run("python-binding.py", BLOCK + "runpy.run_path(%r, run_name='__main__')"
             % os.path.join(rel, "python-binding.py"), env)
    ok &= run("python-columns.py, array.array suite",
              BLOCK + "runpy.run_path(%r, run_name='__main__')" % os.path.join(rel, "python-columns.py"),
              dict(env, PYCOLUMNS_CHILD="array.array"))
    ok &= run("chunks and pktdecode.dask", CHUNKS, env)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
