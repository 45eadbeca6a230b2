/* Replays inputs through a fuzz target's LLVMFuzzerTestOneInput() without
 * libFuzzer, so `make check` (with any compiler, under the sanitizers or
 * valgrind) runs every committed corpus and regression input through the
 * same invariant checks as the fuzzer.
 *
 *   replay_<name> [FILE|DIR]...
 *
 * Without arguments it replays $top_srcdir/tests/fuzz/corpus/<name> and,
 * when present, $top_srcdir/tests/fuzz/regress/<name> (crash reproducers).
 * Each input is copied into a buffer of exactly its size, as libFuzzer
 * does, so a one-byte over-read is an ASan or valgrind error.  A broken
 * invariant aborts and the failing file is named; FUZZ_REPLAY_VERBOSE=1
 * names every file as it goes (to find the input behind a valgrind
 * report, which does not stop the run). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error FUZZ_NAME must name the target
#endif

static unsigned long n_inputs;
static unsigned long long n_bytes;
static int verbose;

/* The input being replayed, named when the run dies on it (an invariant's
 * abort(), a crash, or a sanitizer report). */
static char current[4096];

static void name_current(void)
{
    static const char pre[] = "replay: failing input: ";
    if (write(2, pre, sizeof pre - 1) < 0 || write(2, current, strlen(current)) < 0 ||
        write(2, "\n", 1) < 0)
        return;
}

static void on_fatal_signal(int sig)
{
    name_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Provided by the sanitizer runtime when there is one. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int replay_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    size_t got = 0;
    while (buf != NULL && got < len) {
        ssize_t k = read(fd, buf + got, len - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (buf == NULL || got != len) {
        fprintf(stderr, "replay: %s: short read\n", path);
        free(buf);
        return -1;
    }
    snprintf(current, sizeof current, "%s", path);
    if (verbose)
        fprintf(stderr, "%s\n", path);
    LLVMFuzzerTestOneInput(len ? buf : NULL, len);
    free(buf);
    n_inputs++;
    n_bytes += len;
    return 0;
}

static int only_files(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int replay_path(const char *path, int must_exist)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (!must_exist && errno == ENOENT)
            return 0;
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    struct dirent **names;
    int n = scandir(path, &names, only_files, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name);
        if (rc == 0 && strcmp(names[i]->d_name, "README") != 0)
            rc = replay_path(sub, 1);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;
    verbose = getenv("FUZZ_REPLAY_VERBOSE") != NULL;
    signal(SIGABRT, on_fatal_signal);
    signal(SIGSEGV, on_fatal_signal);
    signal(SIGBUS, on_fatal_signal);
    if (__sanitizer_set_death_callback != NULL)
        __sanitizer_set_death_callback(name_current);
    if (argc > 1) {
        for (int i = 1; i < argc && rc == 0; i++)
            rc = replay_path(argv[i], 1);
    } else {
        const char *top = getenv("top_srcdir");
        char dir[4096];
        if (top == NULL)
            top = ".";
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top, FUZZ_NAME);
        rc = replay_path(dir, 1);
        snprintf(dir, sizeof dir, "%s/tests/fuzz/regress/%s", top, FUZZ_NAME);
        if (rc == 0)
            rc = replay_path(dir, 0);
    }
    if (rc != 0)
        return 99;
    printf("fuzz_%s: %lu inputs (%llu bytes) replayed, every invariant held\n", FUZZ_NAME,
           n_inputs, n_bytes);
    return n_inputs > 0 ? 0 : 99;
}
