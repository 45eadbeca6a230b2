/* The libpktdecode passes timed by `pktd-bench parse`. */
#ifndef PKTD_BENCH_WALK_PKTD_H
#define PKTD_BENCH_WALK_PKTD_H

#include <stdint.h>

#include "harness.h"

/* Decode every frame and read every field of every layer, as pktd-decode's
 * JSON record has them (doc/json.md), through the per-field accessors:
 * Ethernet addresses and type, each VLAN tag, ARP, IPv4 (with the option
 * bytes' length), TCP with every known option and the SACK blocks, UDP,
 * ICMP, the payload length, and the error details of a malformed frame. */
uint64_t walk_pktd_full(const struct bench_frames *f, void *ctx);

/* The same plus verification of the IPv4, TCP, UDP and ICMP checksums. */
uint64_t walk_pktd_csum(const struct bench_frames *f, void *ctx);

/* The same fields as walk_pktd_full, all copied by one pktd_packet_fields()
 * call per packet (fields.h) and read from the array. */
uint64_t walk_pktd_fields(const struct bench_frames *f, void *ctx);

/* pktd_decode() alone: validation and layer location, no field read but
 * the layer set. */
uint64_t walk_pktd_decode(const struct bench_frames *f, void *ctx);

/* The same, with the first 128 bytes of the frame 4 ahead prefetched, as a
 * capture loop can: what the decode costs once the headers are in cache
 * (a trace larger than the caches otherwise adds a cache miss or two per
 * frame, and IPv6's longer headers span more lines; doc/performance.md). */
uint64_t walk_pktd_decode_prefetch(const struct bench_frames *f, void *ctx);

/* The 5-tuple (IPv4 addresses and protocol, TCP or UDP ports) through
 * pktd_decode() and one accessor call per field. */
uint64_t walk_pktd_tuple(const struct bench_frames *f, void *ctx);

/* The same 5-tuple through a columnar batch (batch.h): ctx from
 * batch_pass_new(f) (NULL on failure), freed by batch_pass_free().  Their
 * names do not start with "walk": run-bench.sh -c counts the functions
 * named walk*, and the set-up is not part of a pass. */
uint64_t walk_pktd_batch(const struct bench_frames *f, void *ctx);
void *batch_pass_new(const struct bench_frames *f);
void batch_pass_free(void *ctx);

/* What an application reading a capture file does: a reader over the
 * trace as a pcap file in memory (pktd_reader_open_mem(), which prefetches
 * the bytes ahead of its position), pktd_decode() of each record, the layer
 * set.  ctx from read_pass_new(f) (NULL when out of memory or when the
 * frames have more than one link type), freed by read_pass_free(). */
uint64_t walk_pktd_read(const struct bench_frames *f, void *ctx);
void *read_pass_new(const struct bench_frames *f);
void read_pass_free(void *ctx);

#endif /* PKTD_BENCH_WALK_PKTD_H */
