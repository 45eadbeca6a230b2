/* Helpers shared by the AF_ALG tests: a seeded PRNG (the VM may have no
 * entropy early in boot, and a failure must be reproducible), hex, and
 * descriptor accounting through /proc/self/fd. */
#ifndef PKTD_ALG_TEST_H
#define PKTD_ALG_TEST_H

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: deterministic test data from PKTD_TEST_SEED (or a default). */
static uint64_t alg_test_rng_state = 0x9e3779b97f4a7c15ull;

static inline void alg_test_seed(void)
{
    const char *s = getenv("PKTD_TEST_SEED");
    if (s != NULL && *s != '\0')
        alg_test_rng_state = strtoull(s, NULL, 0) | 1u;
}

static inline uint64_t alg_test_rand(void)
{
    uint64_t x = alg_test_rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    alg_test_rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static inline void alg_test_fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(alg_test_rand() >> 56);
}

/* Parse a hex string (spaces ignored) into out; returns the byte count. */
static inline size_t alg_test_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s != '\0'; s++) {
        int v;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F')
            v = *s - 'A' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            if (n < cap)
                out[n] = (uint8_t)(hi << 4 | v);
            n++;
            hi = -1;
        }
    }
    return n;
}

/* The open descriptors, as a bitmap of the first 1024 numbers. */
struct alg_test_fds {
    uint8_t open[1024];
    int count;
};

static inline void alg_test_fds_take(struct alg_test_fds *f)
{
    memset(f, 0, sizeof *f);
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return;
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        if (fd == self || fd < 0 || fd >= 1024)
            continue;
        f->open[fd] = 1;
        f->count++;
    }
    closedir(d);
}

/* Descriptors open now that were not in before, and how many of them lack
 * FD_CLOEXEC. */
static inline int alg_test_fds_new(const struct alg_test_fds *before, int *not_cloexec)
{
    struct alg_test_fds now;
    alg_test_fds_take(&now);
    int n = 0;
    *not_cloexec = 0;
    for (int fd = 0; fd < 1024; fd++) {
        if (now.open[fd] && !before->open[fd]) {
            n++;
            int fl = fcntl(fd, F_GETFD);
            if (fl < 0 || !(fl & FD_CLOEXEC))
                (*not_cloexec)++;
        }
    }
    return n;
}

#endif /* PKTD_ALG_TEST_H */
