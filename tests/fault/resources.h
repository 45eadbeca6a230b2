/* Resource accounting for the open/close cycle tests: descriptors from
 * /proc/self/fd, resident memory from /proc/self/statm, heap in use from
 * mallinfo2().
 *
 * Under ASan (freed memory sits in a quarantine) or valgrind (its own
 * allocator) the memory figures mean nothing; there the leak checkers do
 * that part and only descriptors are compared. */
#ifndef PKTD_FAULT_RESOURCES_H
#define PKTD_FAULT_RESOURCES_H

#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct resources {
    long fds;
    long rss_kib;
    long heap;
};

static inline long count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

static inline long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "re");
    long size = 0, resident = 0;
    if (f == NULL)
        return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static inline struct resources resources_now(void)
{
    struct resources r;
    r.fds = count_fds();
    r.rss_kib = rss_kib();
    r.heap = (long)mallinfo2().uordblks;
    return r;
}

#if defined(__SANITIZE_ADDRESS__)
#define PKTD_FAULT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PKTD_FAULT_ASAN 1
#endif
#endif

/* Whether memory figures can be trusted in this process. */
static inline int memory_figures_valid(void)
{
#ifdef PKTD_FAULT_ASAN
    return 0;
#else
    return getenv("PKTD_UNDER_VALGRIND") == NULL;
#endif
}

/* Checks a cycle test's figures: no descriptor more, and (when the figures
 * mean something) no heap growth beyond @p slack bytes and no resident
 * growth beyond 1 MiB.  Returns NULL or what grew. */
static inline const char *resources_grew(const struct resources *before,
                                         const struct resources *after, long slack)
{
    static char why[160];
    if (after->fds != before->fds) {
        snprintf(why, sizeof why, "descriptors %ld -> %ld", before->fds, after->fds);
        return why;
    }
    if (!memory_figures_valid())
        return NULL;
    if (after->heap - before->heap > slack) {
        snprintf(why, sizeof why, "heap in use %ld -> %ld bytes", before->heap, after->heap);
        return why;
    }
    if (after->rss_kib - before->rss_kib > 1024) {
        snprintf(why, sizeof why, "resident %ld -> %ld KiB", before->rss_kib, after->rss_kib);
        return why;
    }
    return NULL;
}

#endif /* PKTD_FAULT_RESOURCES_H */
