#!/usr/bin/env python3
"""pktd_sha256.py: SHA-256 of files, computed by the kernel through AF_ALG.

    pktd_sha256.py FILE...

Prints one line per file as sha256sum does ("-" reads standard input):

    ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  abc.txt

The file is streamed to the kernel in 64 KiB pieces (Hash.update()), so its
size does not matter.  Exit status 0, 1 when a file cannot be read or AF_ALG
is unavailable (the message says why), 2 on a usage error.
"""
import sys

import pktdecode as P

CHUNK = 65536


def sha256_file(f):
    """The SHA-256 digest (bytes) of everything left in the binary file f."""
    with P.Hash("sha256") as h:
        while True:
            data = f.read(CHUNK)
            if not data:
                return h.final()
            h.update(data)


def main(argv):
    """Command-line entry point: returns the exit status."""
    if len(argv) < 2:
        print("usage: pktd_sha256.py FILE...", file=sys.stderr)
        return 2
    status = 0
    for name in argv[1:]:
        try:
            if name == "-":
                digest = sha256_file(sys.stdin.buffer)
            else:
                with open(name, "rb") as f:
                    digest = sha256_file(f)
        except P.UnavailableError as e:
            print("pktd_sha256.py: %s" % e, file=sys.stderr)
            return 1
        except (OSError, P.PktdError) as e:
            print("pktd_sha256.py: %s: %s" % (name, e), file=sys.stderr)
            status = 1
            continue
        print("%s  %s" % (digest.hex(), name))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
