/* Benchmark harness: frame buffer, classic pcap loader, timing rounds. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* Frames decoded per timed round at least: long enough (a few ms) that the
 * clock's resolution and one interrupt do not matter. */
#define ROUND_MIN_FRAMES 200000u

uint64_t bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

int bench_frames_add(struct bench_frames *f, const uint8_t *data, uint32_t caplen,
                     uint32_t wirelen, uint64_t ts_ns, uint32_t linktype)
{
    size_t need = BENCH_RECORD_HDR + (size_t)caplen;
    if (f->size + need > f->cap) {
        size_t cap = f->cap ? f->cap : 1u << 20;
        while (cap < f->size + need)
            cap *= 2;
        uint8_t *b = realloc(f->buf, cap);
        if (b == NULL)
            return -1;
        f->buf = b;
        f->cap = cap;
    }
    if (f->n == f->nalloc) {
        uint32_t na = f->nalloc ? f->nalloc * 2 : 4096;
        struct bench_frame *v = realloc(f->v, na * sizeof *v);
        if (v == NULL)
            return -1;
        f->v = v;
        f->nalloc = na;
    }
    uint8_t *rec = f->buf + f->size;
    put32le(rec, (uint32_t)(ts_ns / 1000000000u));
    put32le(rec + 4, (uint32_t)(ts_ns % 1000000000u / 1000u));
    put32le(rec + 8, caplen);
    put32le(rec + 12, wirelen);
    memcpy(rec + BENCH_RECORD_HDR, data, caplen);
    /* Store the offset for now; bench_frames_finish() makes it a pointer. */
    f->v[f->n].data = (const uint8_t *)(uintptr_t)(f->size + BENCH_RECORD_HDR);
    f->v[f->n].len = caplen;
    f->v[f->n].linktype = linktype;
    f->n++;
    f->size += need;
    f->bytes += caplen;
    return 0;
}

/* Move the frames into memory backed by 2 MiB pages where the kernel
 * offers them (transparent huge pages in "madvise" mode): with 4 KiB pages a
 * trace of a million frames spans 200000 pages, and the TLB misses then cost
 * more than any decoder.  Every program gets the same buffer, so the
 * comparison stays fair; BENCH_NO_HUGEPAGES=1 keeps the malloc'd one. */
#define HUGE_PAGE (2u << 20)

/* At least @p len bytes, 2 MiB-aligned and advised for huge pages; *map
 * and *map_len are what munmap() takes.  NULL when the mapping fails. */
static uint8_t *huge_alloc(size_t len, void **map, size_t *map_len)
{
    size_t rounded = (len + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    uint8_t *m = mmap(NULL, rounded + HUGE_PAGE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uint8_t *aligned = (uint8_t *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
    (void)madvise(aligned, rounded, MADV_HUGEPAGE);
#endif
    *map = m;
    *map_len = rounded + HUGE_PAGE;
    return aligned;
}

static void frames_to_hugepages(struct bench_frames *f)
{
    if (f->size < HUGE_PAGE || getenv("BENCH_NO_HUGEPAGES") != NULL)
        return;
    uint8_t *aligned = huge_alloc(f->size, &f->map, &f->map_len);
    if (aligned == NULL)
        return;
    memcpy(aligned, f->buf, f->size);
    free(f->buf);
    f->buf = aligned;
    f->cap = f->map_len - HUGE_PAGE;
}

int bench_frames_pcap_image(const struct bench_frames *f, struct bench_image *img)
{
    memset(img, 0, sizeof *img);
    if (f->n == 0)
        return -1;
    for (uint32_t i = 1; i < f->n; i++)
        if (f->v[i].linktype != f->v[0].linktype)
            return -1;
    /* The buffer's bytes in use end after the last frame. */
    const struct bench_frame *last = &f->v[f->n - 1];
    size_t body = (size_t)(last->data + last->len - f->buf);
    img->len = 24 + body;
    /* The same kind of memory as the frames' (frames_to_hugepages()). */
    img->data = f->map != NULL ? huge_alloc(img->len, &img->map, &img->map_len)
                               : malloc(img->len);
    if (img->data == NULL)
        return -1;
    put32le(img->data, 0xa1b2c3d4u); /* microseconds, little-endian like the records */
    put32le(img->data + 4, 2u | 4u << 16);
    put32le(img->data + 8, 0);
    put32le(img->data + 12, 0);
    put32le(img->data + 16, 262144);
    put32le(img->data + 20, f->v[0].linktype);
    memcpy(img->data + 24, f->buf, body);
    return 0;
}

void bench_image_free(struct bench_image *img)
{
    if (img->map != NULL)
        munmap(img->map, img->map_len);
    else
        free(img->data);
    memset(img, 0, sizeof *img);
}

void bench_frames_finish(struct bench_frames *f, uint32_t max)
{
    if (max != 0 && f->n > max)
        f->n = max;
    frames_to_hugepages(f);
    f->bytes = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        f->v[i].data = f->buf + (uintptr_t)f->v[i].data;
        f->bytes += f->v[i].len;
    }
}

void bench_frames_free(struct bench_frames *f)
{
    if (f->map != NULL)
        munmap(f->map, f->map_len);
    else
        free(f->buf);
    free(f->v);
    memset(f, 0, sizeof *f);
}

static uint32_t get32(const uint8_t *p, int swap)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                 (uint32_t)p[3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}

int bench_frames_load_pcap(struct bench_frames *f, const char *path, uint32_t max, char *err,
                           size_t errlen)
{
    memset(f, 0, sizeof *f);
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    static uint8_t frame[262144];
    uint8_t gh[24], rh[16];
    int swap, nsec;
    if (fread(gh, 1, sizeof gh, in) != sizeof gh)
        goto bad;
    uint32_t magic = get32(gh, 0);
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du) {
        swap = 0;
    } else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u) {
        swap = 1;
        magic = __builtin_bswap32(magic);
    } else {
        goto bad;
    }
    nsec = magic == 0xa1b23c4du;
    uint32_t linktype = get32(gh + 20, swap) & 0xffffu;
    while (max == 0 || f->n < max) {
        size_t got = fread(rh, 1, sizeof rh, in);
        if (got == 0)
            break;
        if (got != sizeof rh)
            goto bad;
        uint32_t caplen = get32(rh + 8, swap);
        if (caplen > sizeof frame || fread(frame, 1, caplen, in) != caplen)
            goto bad;
        uint64_t ts = (uint64_t)get32(rh, swap) * 1000000000u +
                      (uint64_t)get32(rh + 4, swap) * (nsec ? 1u : 1000u);
        if (bench_frames_add(f, frame, caplen, get32(rh + 12, swap), ts, linktype) != 0) {
            snprintf(err, errlen, "%s: out of memory", path);
            fclose(in);
            bench_frames_free(f);
            return -1;
        }
    }
    fclose(in);
    bench_frames_finish(f, 0);
    return 0;
bad:
    snprintf(err, errlen, "%s: not a classic pcap file, or cut short", path);
    fclose(in);
    bench_frames_free(f);
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_run(const struct bench_frames *f, bench_pass_fn pass, void *ctx, uint32_t rounds,
               struct bench_result *r)
{
    double per[256], wall[256];
    if (rounds == 0)
        rounds = 1;
    if (rounds > 256)
        rounds = 256;
    uint32_t n = f->n ? f->n : 1;
    /* PKTD_BENCH_ROUND_FRAMES lowers the minimum, for instruction counting
     * under callgrind, where one pass is enough and time is not measured. */
    uint32_t min_frames = ROUND_MIN_FRAMES;
    const char *env = getenv("PKTD_BENCH_ROUND_FRAMES");
    if (env != NULL && atoi(env) > 0)
        min_frames = (uint32_t)atoi(env);
    uint32_t reps = (min_frames + n - 1) / n;
    memset(r, 0, sizeof *r);
    r->sink = pass(f, ctx); /* warm-up: caches, page faults, branch history */
    for (uint32_t i = 0; i < rounds; i++) {
        uint64_t w0 = bench_now_ns(), t0 = bench_thread_cpu_ns();
        for (uint32_t k = 0; k < reps; k++)
            r->sink += pass(f, ctx);
        uint64_t t1 = bench_thread_cpu_ns(), w1 = bench_now_ns();
        per[i] = (double)(t1 - t0) / ((double)reps * n);
        wall[i] = (double)(w1 - w0) / ((double)reps * n);
    }
    qsort(per, rounds, sizeof per[0], cmp_double);
    qsort(wall, rounds, sizeof wall[0], cmp_double);
    r->best_ns = per[0];
    r->median_ns = rounds % 2 ? per[rounds / 2] : (per[rounds / 2 - 1] + per[rounds / 2]) / 2;
    r->best_wall_ns = wall[0];
    r->rounds = rounds;
    r->reps = reps;
}

void bench_print(const char *name, uint32_t pkts, const struct bench_result *r)
{
    printf("# %s: rounds=%" PRIu32 " passes_per_round=%" PRIu32 " best_ns=%.2f median_ns=%.2f"
           " best_wall_ns=%.2f sink=%016" PRIx64 "\n",
           name, r->rounds, r->reps, r->best_ns, r->median_ns, r->best_wall_ns, r->sink);
    printf("%s pkts=%" PRIu32 " ns_per_pkt=%.2f mpps=%.2f\n", name, pkts, r->best_ns,
           r->best_ns > 0 ? 1000.0 / r->best_ns : 0.0);
    fflush(stdout);
}

int bench_parse_u32(const char *s, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || x > UINT32_MAX)
        return -1;
    *v = (uint32_t)x;
    return 0;
}

int bench_parse_args(int argc, char **argv, const char *prog, uint32_t *rounds, uint32_t *max,
                     const char **path)
{
    int c;
    while ((c = getopt(argc, argv, "r:n:")) != -1) {
        if (c == 'r' && bench_parse_u32(optarg, rounds) == 0 && *rounds > 0)
            continue;
        if (c == 'n' && bench_parse_u32(optarg, max) == 0)
            continue;
        goto usage;
    }
    if (optind + 1 != argc)
        goto usage;
    *path = argv[optind];
    return 0;
usage:
    fprintf(stderr, "usage: %s [-r ROUNDS] [-n MAXPKTS] FILE.pcap\n", prog);
    return -1;
}
