#!/usr/bin/env python3
"""pktd_aes_cbc.py: AES-CBC encryption and decryption by the kernel (AF_ALG).

    pktd_aes_cbc.py -e|-d -k HEXKEY -i HEXIV [-n] [INPUT [OUTPUT]]

-e encrypts, -d decrypts INPUT (default: standard input) into OUTPUT
(default: standard output).  HEXKEY is 16, 24 or 32 bytes in hex (AES-128,
-192, -256), HEXIV 16 bytes in hex.  The plaintext is padded as in PKCS #7
(the padding is checked and removed on -d); -n turns padding off, and the
input must then be a whole number of 16-byte blocks.  The whole input is
read into memory.

    $ printf 'hello' | pktd_aes_cbc.py -e -k 000102030405060708090a0b0c0d0e0f \\
          -i 00000000000000000000000000000000 | pktd_aes_cbc.py -d \\
          -k 000102030405060708090a0b0c0d0e0f -i 00000000000000000000000000000000
    hello

Exit status 0, 1 when AF_ALG is unavailable, a file cannot be read or the
padding is wrong (the message says why), 2 on a usage error.
"""
import getopt
import sys

import pktdecode as P

BLOCK = 16
USAGE = "usage: pktd_aes_cbc.py -e|-d -k HEXKEY -i HEXIV [-n] [INPUT [OUTPUT]]"


def pad(data):
    """data with PKCS #7 padding to a whole number of AES blocks."""
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def unpad(data):
    """data without its PKCS #7 padding; ValueError when it is malformed."""
    n = data[-1] if data else 0
    if not 1 <= n <= BLOCK or len(data) % BLOCK or data[-n:] != bytes([n]) * n:
        raise ValueError("bad padding (wrong key or IV, or not encrypted with padding)")
    return data[:-n]


def aes_cbc(encrypt, key, iv, data, padding=True):
    """Encrypt (encrypt=True) or decrypt data with AES-CBC in the kernel."""
    with P.Cipher("cbc(aes)", key) as c:
        if encrypt:
            return c.encrypt(iv, pad(data) if padding else data)
        out = c.decrypt(iv, data)
        return unpad(out) if padding else out


def main(argv):
    """Command-line entry point: returns the exit status."""
    try:
        opts, args = getopt.getopt(argv[1:], "edk:i:n")
        opt = dict(opts)
        if ("-e" in opt) == ("-d" in opt) or "-k" not in opt or "-i" not in opt or len(args) > 2:
            raise getopt.GetoptError("one of -e and -d, and -k and -i, are required")
        key = bytes.fromhex(opt["-k"])
        iv = bytes.fromhex(opt["-i"])
        if len(key) not in (16, 24, 32) or len(iv) != BLOCK:
            raise getopt.GetoptError("the key is 16, 24 or 32 bytes and the IV 16 bytes, in hex")
    except (getopt.GetoptError, ValueError) as e:
        print("pktd_aes_cbc.py: %s\n%s" % (e, USAGE), file=sys.stderr)
        return 2
    padding = "-n" not in opt
    try:
        if args and args[0] != "-":
            with open(args[0], "rb") as f:
                data = f.read()
        else:
            data = sys.stdin.buffer.read()
        if not padding and len(data) % BLOCK:
            raise ValueError("with -n the input must be a whole number of %d-byte blocks, not %d bytes"
                             % (BLOCK, len(data)))
        out = aes_cbc("-e" in opt, key, iv, data, padding)
        if len(args) == 2 and args[1] != "-":
            with open(args[1], "wb") as f:
                f.write(out)
        else:
            sys.stdout.buffer.write(out)
            sys.stdout.buffer.flush()
    except (OSError, ValueError, P.PktdError) as e:
        print("pktd_aes_cbc.py: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
