/* Benchmark harness shared by pktd-bench and the comparison programs: every
 * frame of a capture in one contiguous buffer, and a timer that runs a pass
 * over all of them several times and keeps the best and the median.
 *
 * Every program lays the frames out the same way, as a classic pcap file
 * body: a 16-byte record header, then the frame, back to back (so no frame
 * is specially aligned, as in a mapped capture file).  The record headers
 * are there for libtrace, whose packets point at one; the others ignore
 * them.  Loading is never timed. */
#ifndef PKTD_BENCH_HARNESS_H
#define PKTD_BENCH_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One frame: its bytes inside frames.buf. */
struct bench_frame {
    const uint8_t *data;
    uint32_t len;      /* captured length */
    uint32_t linktype; /* pcap LINKTYPE_ value */
};

struct bench_frames {
    uint8_t *buf; /* record header + frame, back to back */
    size_t size, cap;
    struct bench_frame *v;
    uint32_t n, nalloc;
    uint64_t bytes; /* captured bytes, headers excluded */
    void *map;      /* mapping buf lives in after bench_frames_finish(), or NULL */
    size_t map_len;
};

/* Size of the per-frame record header in the buffer. */
#define BENCH_RECORD_HDR 16u

/* Append one frame (after a synthesised pcap record header).  Returns 0 or
 * -1 when out of memory. */
int bench_frames_add(struct bench_frames *f, const uint8_t *data, uint32_t caplen,
                     uint32_t wirelen, uint64_t ts_ns, uint32_t linktype);

/* Fix the frame pointers once every frame was added (the buffer moves while
 * it grows).  Keeps at most @p max frames (0: all). */
void bench_frames_finish(struct bench_frames *f, uint32_t max);

/* Load a classic pcap file (either byte order, micro- or nanosecond) with
 * no help from libpktdecode, for the comparison programs.  Returns 0, or -1
 * with a message in @p err. */
int bench_frames_load_pcap(struct bench_frames *f, const char *path, uint32_t max, char *err,
                           size_t errlen);

void bench_frames_free(struct bench_frames *f);

/* The frames as a classic pcap file in memory: a file header, then the
 * buffer as it is, in the same kind of memory as the frames. */
struct bench_image {
    uint8_t *data;
    size_t len;
    void *map; /* mapping data lives in, or NULL (malloc'd) */
    size_t map_len;
};

/* 0, or -1 when out of memory or when the frames have more than one link
 * type (a pcap file has one). */
int bench_frames_pcap_image(const struct bench_frames *f, struct bench_image *img);
void bench_image_free(struct bench_image *img);

/* One timed pass over every frame; returns a value derived from the fields
 * it read, so that the compiler cannot drop the work. */
typedef uint64_t (*bench_pass_fn)(const struct bench_frames *f, void *ctx);

/* Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), not wall
 * time: on a machine shared with other work, time spent descheduled is not
 * the decoder's.  The best round's wall time is kept for reference. */
struct bench_result {
    double best_ns;      /* per packet, best round (CPU time) */
    double median_ns;    /* per packet, median round (CPU time) */
    double best_wall_ns; /* per packet, best round (wall time) */
    uint32_t rounds;  /* rounds timed */
    uint32_t reps;    /* passes over the frames per round */
    uint64_t sink;    /* the passes' results, combined */
};

/* Time @p rounds rounds of enough passes to decode at least 200000 frames
 * each (a 1k-frame trace is decoded many times per round, a 1M-frame trace
 * once), after one untimed warm-up pass.  The environment variable
 * PKTD_BENCH_ROUND_FRAMES replaces the 200000 (tests/bench/run-bench.sh -c sets
 * it to 1 to count instructions under callgrind). */
void bench_run(const struct bench_frames *f, bench_pass_fn pass, void *ctx, uint32_t rounds,
               struct bench_result *r);

/* Print the result: a comment line with the details, then the
 * doc/programs.md-style summary `NAME pkts=N ns_per_pkt=X mpps=Y`. */
void bench_print(const char *name, uint32_t pkts, const struct bench_result *r);

/* Monotonic time in nanoseconds. */
uint64_t bench_now_ns(void);

/* CPU time of the calling thread in nanoseconds. */
uint64_t bench_thread_cpu_ns(void);

/* A decimal uint32_t, the whole string (no sign, no trailing bytes):
 * 0, or -1 when @p s is not one. */
int bench_parse_u32(const char *s, uint32_t *v);

/* Common command line of the comparison programs:
 *   PROG [-r ROUNDS] [-n MAXPKTS] FILE
 * Returns 0, or prints usage and returns -1. */
int bench_parse_args(int argc, char **argv, const char *prog, uint32_t *rounds, uint32_t *max,
                     const char **path);

#ifdef __cplusplus
}
#endif

#endif /* PKTD_BENCH_HARNESS_H */
