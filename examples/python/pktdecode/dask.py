"""pktdecode.dask: many captures, or one large capture, as one dask DataFrame.

    import pktdecode.dask
    df = pktdecode.dask.read_pcaps(["a.pcap", "b.pcapng"], fields=["ts_ns", "ipv4_src", "tcp_dport"])
    df.groupby("tcp_dport").size().compute()

With a dask.distributed cluster (Client(...)) the partitions are decoded by
its workers, in parallel, on as many cores or machines as it has; the
workers need this package and libpktdecode, and the files at the same paths.

This module imports without dask; read_pcaps() needs dask[dataframe]
(Debian: python3-dask, plus python3-distributed for a cluster), numpy and
pandas, and says so when they are missing.
"""

import glob
import os

import pktdecode as _P

__all__ = ["read_pcaps", "partitions", "read_partition", "meta"]

#: Default chunk size: files larger than this are cut into record-aligned
#: chunks of about this many bytes, one partition each.
CHUNK_BYTES = 64 * 1024 * 1024


def _need(what):
    try:
        import dask  # noqa: F401
        import dask.dataframe  # noqa: F401
        import pandas  # noqa: F401
    except ImportError as e:
        raise ImportError("pktdecode.dask.%s needs dask with dask.dataframe, and pandas (%s); install "
                          "them (Debian: apt install python3-dask python3-pandas, and "
                          "python3-distributed for a cluster)" % (what, e)) from e
    if _P.numpy is None:
        raise ImportError("pktdecode.dask.%s needs numpy columns (numpy is missing, or "
                          "PKTDECODE_NO_NUMPY is set)" % what)


def _expand(paths):
    """A path, a glob pattern or a list of them -> the list of files."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    out = []
    for p in paths:
        p = os.fspath(p)
        if isinstance(p, str) and glob.has_magic(p):
            found = sorted(glob.glob(p))
            if not found:
                raise FileNotFoundError("no file matches %r" % p)
            out.extend(found)
        else:
            out.append(p)
    return out


def partitions(paths, chunk_bytes=CHUNK_BYTES):
    """The partitions read_pcaps() makes, as a list of pktdecode.Chunk, in
    file order: one per file of at most chunk_bytes bytes (the file is not
    read here), else the record-aligned chunks of pktdecode.plan_chunks()
    (the file is read once, here, to find the record boundaries; a file the
    reader refuses raises PktdError now).  chunk_bytes=None: one partition
    per file, whatever its size.  A whole-file partition is a Chunk with
    end -1 and packets -1 (not counted, read to its end)."""
    parts = []
    for path in _expand(paths):
        size = os.stat(path).st_size  # FileNotFoundError now rather than in a worker
        if chunk_bytes is None or size <= chunk_bytes:
            # The whole file: no header ranges, no packet count (the
            # partition reads to the end of the file).
            parts.append(_P.Chunk(path, 0, -1, (), -1, 0))
        else:
            parts.extend(_P.plan_chunks(path, chunk_bytes))
    return parts


def meta(fields=None):
    """An empty pandas DataFrame with the columns and dtypes read_pcaps()
    gives for fields (from the library's field table)."""
    _need("meta")
    import pandas
    return pandas.DataFrame(_P._empty_columns(_P._column_selection(fields)[2]))


def read_partition(part, fields=None, mapped=False):
    """Decode one partition (a Chunk from partitions()) into a pandas
    DataFrame; its index is the packet's index in its file, from 0.
    mapped as in read_pcaps()."""
    import pandas
    if part.end < 0:
        cols = _P.read_columns(part.path, fields, mapped)
    else:
        cols = _P.read_chunk(part, fields, mapped)
    n = len(next(iter(cols.values()))) if cols else 0
    return pandas.DataFrame(cols, index=pandas.RangeIndex(part.first, part.first + n), copy=False)


def read_pcaps(paths, fields=None, chunk_bytes=CHUNK_BYTES, mapped=False):
    """Read pcap and pcapng files as one dask DataFrame.

    paths: a file, a glob pattern ("captures/*.pcap") or a list of them.
    fields: column names as pktdecode.read_columns() takes them (None: all).
    chunk_bytes: a file larger than this is cut into record-aligned chunks of
    about this size, one partition each, so that one large capture is
    decoded on many cores; smaller files are one partition each.  None: one
    partition per file.
    mapped: False (the default) has each partition read its bytes with
    read(2) or os.pread(); True maps the files and decodes in place (one
    copy less, but a file shortened while a partition is decoded kills that
    worker with SIGBUS instead of raising PktdError: map only files that
    nothing else writes; pktdecode.read_chunk()).

    The rows are the records in file order, files in the order given, with
    exactly the values read_columns() gives for the same file (the dtypes of
    pktdecode.read_columns(); the index of a row is the packet's index in
    its file, from 0).  Cutting a file reads it once now (see partitions());
    decoding happens when the DataFrame is computed, in the workers of the
    active dask scheduler or distributed Client.
    """
    _need("read_pcaps")
    import dask
    import dask.dataframe as dd
    _P._column_selection(fields)  # a bad column name fails here, not in a worker
    parts = partitions(paths, chunk_bytes)
    if not parts:
        raise ValueError("read_pcaps: no file given")
    load = dask.delayed(read_partition, pure=True)
    return dd.from_delayed([load(p, fields, mapped) for p in parts], meta=meta(fields),
                           verify_meta=False)
