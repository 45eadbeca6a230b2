"""What the Python sniffers share (as examples/sniff.c does for the C ones):
count parsing, giving up privileges once capturing, the read loop with
SIGINT/SIGTERM, the drain of what the ring still holds after a signal, and
tcpdump's three statistics lines."""
import ctypes
import errno
import os
import select
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pktdecode as P  # noqa: E402


def parse_count(text):
    """A packet count >= 1, else ValueError."""
    v = int(text, 10)
    if v < 1 or text.strip() != text:
        raise ValueError(text)
    return v


def give_up_privileges():
    """Once the capture is active nothing else needs a privilege, and the
    packets parsed from then on are anyone's to forge: as the C sniffers do
    (examples/privs.c), make the real user and group ids the effective and
    saved ones, clear every capability set (effective, permitted,
    inheritable, ambient) and set no_new_privs.  OSError when a step
    fails."""
    rgid = os.getresgid()[0]
    ruid = os.getresuid()[0]
    if set(os.getresgid()) != {rgid}:
        os.setresgid(rgid, rgid, rgid)
    if set(os.getresuid()) != {ruid}:
        os.setresuid(ruid, ruid, ruid)
    libc = ctypes.CDLL(None, use_errno=True)
    ul = ctypes.c_ulong

    def fail(what):
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))
    # PR_CAP_AMBIENT (47), PR_CAP_AMBIENT_CLEAR_ALL (4); EINVAL: no ambient set (< 4.3)
    if libc.prctl(47, ul(4), ul(0), ul(0), ul(0)) != 0 and ctypes.get_errno() != errno.EINVAL:
        fail("prctl(PR_CAP_AMBIENT_CLEAR_ALL)")

    class CapHeader(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
    # _LINUX_CAPABILITY_VERSION_3: two {effective, permitted, inheritable} words
    if libc.capset(ctypes.byref(CapHeader(0x20080522, 0)), (ctypes.c_uint32 * 6)()) != 0:
        fail("capset (clearing every capability)")
    if libc.prctl(38, ul(1), ul(0), ul(0), ul(0)) != 0:  # PR_SET_NO_NEW_PRIVS
        fail("prctl(PR_SET_NO_NEW_PRIVS)")


class _Stop(Exception):
    pass


def _on_signal(signum, frame):
    raise _Stop()


def run(prog, cap, on_packet, count, count_shown=False):
    """Read packets into one Packet and call on_packet(p) for each until
    count packets (None: no limit; with count_shown, count the packets for
    which on_packet returned true) or SIGINT/SIGTERM; then print the
    statistics ("captured": every packet read).  Returns the exit status."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    p = P.Packet()
    seen = shown = 0
    status = 0
    stopped = False
    try:
        while count is None or (shown if count_shown else seen) < count:
            # The read timeout (set before activation) brings control back
            # to Python regularly, so a signal's handler runs promptly.
            if cap.next_into(p):
                seen += 1
                shown += 1 if on_packet(p) else 0
    except _Stop:
        stopped = True
    except P.PktdError as e:
        print("%s: %s" % (prog, e), file=sys.stderr)
        status = 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if stopped:
        seen += _drain(cap, on_packet, p, None if count_shown else count, seen)
    print_stats(prog, cap, seen)
    return status


def _drain(cap, on_packet, p, count, seen):
    # What the ring still holds when the signal came (a partly filled
    # TPACKET_V3 block arrives at its timeout): read it for up to 0.5 s.
    n = 0
    deadline = time.monotonic() + 0.5
    try:
        cap.set_nonblock(True)
        while count is None or seen + n < count:
            if cap.next_into(p):
                n += 1
                on_packet(p)
                continue
            if cap.stats().get("pending", 0) == 0:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                break
            select.select([cap.fileno()], [], [], left)
    except P.PktdError:
        pass
    return n


def print_stats(prog, cap, captured):
    """tcpdump's words on stderr: captured, received by filter, dropped."""
    try:
        st = cap.stats()
    except P.PktdError as e:
        print("%s: statistics: %s" % (prog, e), file=sys.stderr)
        return
    received = st["received"] - st["filtered"] - st["pending"]
    for n, what in ((captured, "captured"), (received, "received by filter"),
                    (st["dropped"], "dropped by kernel")):
        print("%d packet%s %s" % (n, "" if n == 1 else "s", what), file=sys.stderr)
    sys.stderr.flush()
