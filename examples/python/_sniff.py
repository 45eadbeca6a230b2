"""What the Python sniffers share (as examples/sniff.c does for the C ones):
count parsing, the read loop with SIGINT/SIGTERM, the drain of what the ring
still holds after a signal, and tcpdump's three statistics lines."""
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
