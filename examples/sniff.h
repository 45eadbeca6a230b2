/* What the four sniffers (pktd-sniff, pktd-sniff-ip, -tcp, -arp) share:
 * stopping on SIGINT/SIGTERM through pktd_capture_breakloop(), reading what is
 * still queued when the capture stops, and tcpdump's exit statistics
 * (privileges and -Z: privs.h).  Not part of the library. */
#ifndef PKTD_EXAMPLES_SNIFF_H
#define PKTD_EXAMPLES_SNIFF_H

#include <stdint.h>

#include <pktdecode.h>

/* SIGINT and SIGTERM call pktd_capture_breakloop(c); the handler only stores a
 * flag and writes to an eventfd, both async-signal-safe. */
void sniff_catch_signals(pktd_capture *c);
/* Nonzero once SIGINT or SIGTERM arrived. */
int sniff_stopped(void);

/* Parse a packet count; -1 when not a number >= 1. */
int64_t sniff_parse_count(const char *s);

/* After a signal: read, for at most half a second, what the ring still
 * holds (including the block the kernel hands over at its timeout), passing
 * each packet to @p cb.  Returns how many were read. */
uint64_t sniff_drain(pktd_capture *c, void (*cb)(void *, const uint8_t *, size_t), void *user);

/* tcpdump's three exit lines on stderr: "N packets captured",
 * "N packets received by filter", "N packets dropped by kernel" (singular
 * for 1, as tcpdump).  Received counts what the filter accepted and was
 * captured or dropped: packets the library discarded and packets still
 * queued when the capture stopped are left out, so captured + dropped =
 * received. */
void sniff_print_stats(const char *prog, pktd_capture *c, uint64_t captured);

/* The same, for a program that was handed packets it did not capture:
 * @p lost could not be written (the file to rotate into could not be
 * opened) and are counted as dropped; @p untaken were left unread when
 * the program stopped by itself (-G -W: the packet that needed one file
 * more) and, like packets still queued, are not counted as received. */
void sniff_print_stats_more(const char *prog, pktd_capture *c, uint64_t captured, uint64_t lost,
                            uint64_t untaken);

#endif
