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

#include "hash_args.h"

#define READ_SIZE 65536

static const char *prog = "pktd-hash";

static void usage(void)
{
    fprintf(stderr, "usage: %s [-a ALG] [-k HEXKEY] [FILE...]\n", prog);
    exit(2);
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

    /* From here on there is one exit, at `out`, and it wipes the key. */
    static struct hash_args args;
    pktd_hash *h = NULL;
    uint8_t *buf = NULL;
    int status = 1;
    char err[160];
    if (hash_args_parse(&args, alg, hexkey, err, sizeof err) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        status = 2;
        goto out;
    }
    const char *name = args.name;

    /* Ask first, so that "unavailable" comes with its reason. */
    int cause = 0;
    int rc = pktd_alg_probe(PKTD_ALG_TYPE_HASH, name, args.keyed ? args.key : NULL, args.keylen,
                            &cause, NULL);
    if (rc == PKTD_E_UNAVAILABLE) {
        fprintf(stderr, "%s: %s: unavailable: %s (%s)\n", prog, name, pktd_alg_strerror(cause),
                pktd_err_name(cause));
        goto out;
    }
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s%s (%s)\n", prog, name, args.keyed ? "key refused: " : "",
                pktd_strerror(rc), pktd_err_name(rc));
        goto out;
    }

    char openerr[PKTD_ERRBUF_SIZE];
    rc = pktd_hash_open(&h, name, openerr);
    if (rc == 0 && args.keyed)
        rc = pktd_hash_setkey(h, args.key, args.keylen);
    hash_args_wipe(&args);
    if (rc < 0) {
        const char *why = h != NULL ? pktd_hash_errmsg(h) : openerr;
        fprintf(stderr, "%s: %s: %s (%s)%s%s\n", prog, name, pktd_strerror(rc), pktd_err_name(rc),
                why[0] != '\0' ? ": " : "", why);
        goto out;
    }

    buf = malloc(READ_SIZE);
    if (buf == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    status = 0;
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
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
        status = 1;
    }
out:
    hash_args_wipe(&args);
    if (buf != NULL) {
        hash_args_wipe_mem(buf, READ_SIZE);
        free(buf);
    }
    pktd_hash_close(h);
    return status;
}
