/* pktd-hash: sha256sum-compatible digests computed by the kernel (AF_ALG).
 *
 *   pktd-hash [-a ALG] [-k HEXKEY] [FILE...]
 *
 * Prints "HEX  NAME" per file exactly as sha256sum does (names holding a
 * backslash, newline or carriage return are escaped and the line starts
 * with a backslash); no FILE or "-" reads stdin.  -a picks any kernel hash
 * (default sha256); -k HEXKEY computes an HMAC: a plain hash name H becomes
 * hmac(H), a name that already has parentheses is used as it is.
 *
 * Exit status: 0; 1 when a file cannot be read or the algorithm cannot be
 * used (the message names it and says why, e.g. a kernel without AF_ALG);
 * 2 on a usage error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

#define READ_SIZE 65536

static const char *prog = "pktd-hash";

static void usage(void)
{
    fprintf(stderr, "usage: %s [-a ALG] [-k HEXKEY] [FILE...]\n", prog);
    exit(2);
}

static void wipe(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
    explicit_bzero(p, n);
#else
    volatile unsigned char *v = p;
    while (n-- > 0)
        *v++ = 0;
#endif
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Strict hex: an even number of hex digits.  Returns the byte count or -1. */
static long parse_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s);
    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(n / 2);
}

/* sha256sum's output line: a leading backslash and \\ \n \r escapes when
 * the name needs them. */
static void print_line(const uint8_t *md, int mdlen, const char *name)
{
    int esc = strpbrk(name, "\\\n\r") != NULL;
    if (esc)
        putchar('\\');
    for (int i = 0; i < mdlen; i++)
        printf("%02x", md[i]);
    fputs("  ", stdout);
    for (const char *p = name; *p != '\0'; p++) {
        if (esc && *p == '\\')
            fputs("\\\\", stdout);
        else if (esc && *p == '\n')
            fputs("\\n", stdout);
        else if (esc && *p == '\r')
            fputs("\\r", stdout);
        else
            putchar(*p);
    }
    putchar('\n');
}

/* Hash one file.  Returns 0, 1 (the file could not be read: reported,
 * go on) or -1 (the hash itself failed: reported, stop). */
static int hash_file(pktd_hash *h, const char *name, uint8_t *buf)
{
    int is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
        return 1;
    }
    int rc = 0, status = 0;
    for (;;) {
        ssize_t n = read(fd, buf, READ_SIZE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "%s: %s: %s\n", prog, name, strerror(errno));
            status = 1;
            break;
        }
        if (n == 0)
            break;
        rc = pktd_hash_update(h, buf, (size_t)n);
        if (rc < 0)
            break;
    }
    if (!is_stdin)
        close(fd);
    if (status != 0) {
        pktd_hash_reset(h);
        return status;
    }
    uint8_t md[PKTD_HASH_MAX_DIGEST];
    if (rc == 0)
        rc = pktd_hash_final(h, md, sizeof md);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s: %s\n", prog, pktd_hash_name(h), name,
                pktd_hash_errmsg(h)[0] != '\0' ? pktd_hash_errmsg(h) : pktd_strerror(rc));
        return -1;
    }
    print_line(md, rc, name);
    return 0;
}

int main(int argc, char **argv)
{
    const char *alg = "sha256";
    const char *hexkey = NULL;
    int opt;
    while ((opt = getopt(argc, argv, "a:k:h")) != -1) {
        switch (opt) {
        case 'a':
            alg = optarg;
            break;
        case 'k':
            hexkey = optarg;
            break;
        default:
            usage();
        }
    }

    uint8_t key[1024];
    long keylen = 0;
    if (hexkey != NULL) {
        keylen = parse_hex(hexkey, key, sizeof key);
        if (keylen < 0) {
            fprintf(stderr, "%s: -k needs an even number of hex digits (at most %zu bytes)\n",
                    prog, sizeof key);
            return 2;
        }
    }
    char name[PKTD_ALG_NAME_MAX + 1];
    int n = snprintf(name, sizeof name, hexkey != NULL && strchr(alg, '(') == NULL ? "hmac(%s)"
                                                                                 : "%s",
                     alg);
    if (n < 0 || (size_t)n >= sizeof name) {
        fprintf(stderr, "%s: %s: algorithm name too long\n", prog, alg);
        return 2;
    }

    /* Ask first, so that "unavailable" comes with its reason. */
    int reason = 0;
    int rc = pktd_alg_probe("hash", name, hexkey != NULL ? key : NULL, (size_t)keylen, &reason);
    if (rc == PKTD_E_UNAVAILABLE) {
        fprintf(stderr, "%s: %s: unavailable: %s (%s)\n", prog, name,
                pktd_alg_reason_string(reason), pktd_err_name(reason));
        wipe(key, sizeof key);
        return 1;
    }
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s%s (%s)\n", prog, name, hexkey != NULL ? "key refused: " : "",
                pktd_strerror(rc), pktd_err_name(rc));
        wipe(key, sizeof key);
        return 1;
    }

    pktd_hash *h = NULL;
    rc = pktd_hash_open(&h, name);
    if (rc == 0 && hexkey != NULL)
        rc = pktd_hash_setkey(h, key, (size_t)keylen);
    wipe(key, sizeof key);
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s (%s)%s%s\n", prog, name, pktd_strerror(rc), pktd_err_name(rc),
                h != NULL && pktd_hash_errmsg(h)[0] ? ": " : "", h != NULL ? pktd_hash_errmsg(h) : "");
        pktd_hash_close(h);
        return 1;
    }

    uint8_t *buf = malloc(READ_SIZE);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        pktd_hash_close(h);
        return 1;
    }
    int status = 0;
    if (optind >= argc) {
        status = hash_file(h, "-", buf) != 0;
    } else {
        for (int i = optind; i < argc; i++) {
            int r = hash_file(h, argv[i], buf);
            if (r != 0)
                status = 1;
            if (r < 0)
                break;
        }
    }
    wipe(buf, READ_SIZE);
    free(buf);
    pktd_hash_close(h);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = 1;
    }
    return status;
}
