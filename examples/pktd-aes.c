/* pktd-aes: AES encryption and decryption by the kernel (AF_ALG), byte for
 * byte what `openssl enc -aes-<bits>-<mode> -K .. -iv ..` produces.
 *
 *   pktd-aes -e|-d [-m cbc|ctr|ecb] -K HEXKEY -iv HEXIV [-nopad] [-in FILE] [-out FILE]
 *
 * The key length picks AES-128/192/256 (32, 48 or 64 hex digits).  The IV
 * follows openssl's rules: fewer than 32 hex digits are padded with zero
 * bytes, more are ignored, both with openssl's warning; ecb takes none.
 * cbc and ecb use PKCS#7 padding unless -nopad.  Input is streamed through
 * the kernel in 64 KiB pieces, so files of any size work.
 *
 * Exit status: 0; 1 on "bad decrypt" (wrong padding or a ciphertext that is
 * not whole blocks), "bad encrypt" (-nopad with a partial block), a file
 * that cannot be read or written, or AES over AF_ALG unavailable (the
 * message says why); 2 on a usage error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pktdecode.h>

#define AES_BLOCK 16
#define READ_SIZE 65536

static const char *prog = "pktd-aes";

static void usage(void)
{
    fprintf(stderr,
            "usage: %s -e|-d [-m cbc|ctr|ecb] -K HEXKEY -iv HEXIV [-nopad] [-in FILE] "
            "[-out FILE]\n",
            prog);
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

/* openssl enc's hex rule: fill size bytes from the digits, high nibble
 * first; too few digits leave zero bytes, too many are ignored (each with
 * openssl's warning).  Returns 0, or -1 on a non-hex digit. */
static int hex_fill(const char *s, uint8_t *out, size_t size)
{
    size_t n = strlen(s);
    if (n > size * 2) {
        fprintf(stderr, "hex string is too long, ignoring excess\n");
        n = size * 2;
    } else if (n < size * 2) {
        fprintf(stderr, "hex string is too short, padding with zero bytes to length\n");
    }
    memset(out, 0, size);
    for (size_t i = 0; i < n; i++) {
        int v = hexval((unsigned char)s[i]);
        if (v < 0) {
            fprintf(stderr, "non-hex digit\n");
            return -1;
        }
        out[i / 2] |= (uint8_t)(i % 2 == 0 ? v << 4 : v);
    }
    return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* -out: plaintext after -d, so created readable by its owner only (mode
 * 0600; an existing file keeps its mode), and as root a symbolic link as
 * the last component is refused rather than followed: a link planted in a
 * shared directory would make root overwrite whatever it points to.
 * Returns the descriptor, or prints why and returns -1. */
static int open_output(const char *path)
{
    int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
    if (geteuid() == 0)
        flags |= O_NOFOLLOW;
    int fd = open(path, flags, 0600);
    if (fd >= 0)
        return fd;
    int err = errno;
    struct stat st;
    if ((flags & O_NOFOLLOW) && err == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
        fprintf(stderr, "%s: %s: is a symbolic link, not followed when running as root (give "
                        "the file it points to)\n", prog, path);
    else
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(err));
    return -1;
}

struct job {
    pktd_cipher *c;
    int decrypt, pad;
    int in_fd, out_fd;
    const char *out_name;
    uint8_t *inbuf, *outbuf;
    uint8_t hold[AES_BLOCK]; /* decrypt with padding: the last block seen */
    size_t held;
    uint64_t total;          /* input bytes */
};

/* Write plaintext or ciphertext.  When decrypting with padding the last
 * block is held back until the end tells whether it is the padded one. */
static int emit(struct job *j, const uint8_t *p, size_t n)
{
    if (!(j->decrypt && j->pad))
        return write_all(j->out_fd, p, n);
    if (n == 0)
        return 0;
    /* n is whole blocks here: cbc and ecb release output block by block. */
    if (j->held > 0 && write_all(j->out_fd, j->hold, j->held) < 0)
        return -1;
    if (write_all(j->out_fd, p, n - AES_BLOCK) < 0)
        return -1;
    memcpy(j->hold, p + n - AES_BLOCK, AES_BLOCK);
    j->held = AES_BLOCK;
    return 0;
}

static int cipher_error(struct job *j, int rc)
{
    fprintf(stderr, "%s: %s: %s (%s)\n", prog, pktd_cipher_name(j->c),
            pktd_cipher_errmsg(j->c)[0] != '\0' ? pktd_cipher_errmsg(j->c) : pktd_strerror(rc),
            pktd_err_name(rc));
    return 1;
}

static int run(struct job *j)
{
    for (;;) {
        ssize_t n = read(j->in_fd, j->inbuf, READ_SIZE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "%s: read: %s\n", prog, strerror(errno));
            return 1;
        }
        if (n == 0)
            break;
        j->total += (uint64_t)n;
        size_t done = 0;
        int rc = pktd_cipher_update(j->c, j->inbuf, (size_t)n, j->outbuf, READ_SIZE + AES_BLOCK,
                                    &done);
        if (rc < 0)
            return cipher_error(j, rc);
        if (emit(j, j->outbuf, done) < 0)
            goto write_fail;
    }

    uint8_t padding[AES_BLOCK];
    size_t padlen = 0;
    if (!j->decrypt && j->pad) {
        /* PKCS#7: 1..16 bytes, each holding the count. */
        padlen = AES_BLOCK - (size_t)(j->total % AES_BLOCK);
        memset(padding, (int)padlen, padlen);
    }
    if (j->pad && j->decrypt && j->total % AES_BLOCK != 0) {
        /* Like openssl, which releases a held block as soon as more input
         * follows it: every whole block is written, then the failure. */
        if (j->held > 0 && write_all(j->out_fd, j->hold, j->held) < 0)
            goto write_fail;
        fprintf(stderr, "bad decrypt\n");
        return 1;
    }
    size_t done = 0;
    int rc = pktd_cipher_end(j->c, padding, padlen, j->outbuf, READ_SIZE + AES_BLOCK, &done);
    if (rc == PKTD_E_INVALID_ARGUMENT) {
        /* A partial last block with -nopad: openssl's words. */
        fprintf(stderr, "%s\n", j->decrypt ? "bad decrypt" : "bad encrypt");
        return 1;
    }
    if (rc < 0)
        return cipher_error(j, rc);
    if (emit(j, j->outbuf, done) < 0)
        goto write_fail;

    if (j->decrypt && j->pad) {
        unsigned p = j->held == AES_BLOCK ? j->hold[AES_BLOCK - 1] : 0;
        int ok = p >= 1 && p <= AES_BLOCK;
        for (unsigned i = 0; ok && i < p; i++)
            ok = j->hold[AES_BLOCK - 1 - i] == p;
        if (!ok) {
            fprintf(stderr, "bad decrypt\n");
            return 1;
        }
        if (write_all(j->out_fd, j->hold, AES_BLOCK - p) < 0)
            goto write_fail;
    }
    return 0;
write_fail:
    fprintf(stderr, "%s: %s: %s\n", prog, j->out_name, strerror(errno));
    return 1;
}

int main(int argc, char **argv)
{
    int decrypt = 0, pad = 1;
    const char *mode = "cbc", *hexkey = NULL, *hexiv = NULL, *in_name = NULL, *out_name = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_arg = i + 1 < argc;
        if (strcmp(a, "-e") == 0)
            decrypt = 0;
        else if (strcmp(a, "-d") == 0)
            decrypt = 1;
        else if (strcmp(a, "-nopad") == 0)
            pad = 0;
        else if (strcmp(a, "-m") == 0 && has_arg)
            mode = argv[++i];
        else if (strcmp(a, "-K") == 0 && has_arg)
            hexkey = argv[++i];
        else if (strcmp(a, "-iv") == 0 && has_arg)
            hexiv = argv[++i];
        else if (strcmp(a, "-in") == 0 && has_arg)
            in_name = argv[++i];
        else if (strcmp(a, "-out") == 0 && has_arg)
            out_name = argv[++i];
        else
            usage();
    }
    int ecb = strcmp(mode, "ecb") == 0;
    if (!ecb && strcmp(mode, "cbc") != 0 && strcmp(mode, "ctr") != 0) {
        fprintf(stderr, "%s: -m %s: mode must be cbc, ctr or ecb\n", prog, mode);
        return 2;
    }
    if (strcmp(mode, "ctr") == 0)
        pad = 0; /* a stream mode: openssl pads nothing either */
    if (hexkey == NULL) {
        fprintf(stderr, "%s: -K HEXKEY is required\n", prog);
        return 2;
    }
    size_t klen = strlen(hexkey);
    if (klen != 32 && klen != 48 && klen != 64) {
        fprintf(stderr, "%s: -K needs 32, 48 or 64 hex digits (AES-128, -192, -256), got %zu\n",
                prog, klen);
        return 2;
    }

    int status = 1;
    uint8_t key[32], iv[AES_BLOCK];
    struct job j;
    memset(&j, 0, sizeof j);
    j.decrypt = decrypt;
    j.pad = pad;
    j.in_fd = STDIN_FILENO;
    j.out_fd = STDOUT_FILENO;
    j.out_name = out_name != NULL ? out_name : "stdout";

    if (hex_fill(hexkey, key, klen / 2) < 0) {
        fprintf(stderr, "invalid hex key value\n");
        goto out;
    }
    if (ecb) {
        if (hexiv != NULL)
            fprintf(stderr, "warning: iv not used by this cipher\n");
    } else if (hexiv == NULL) {
        fprintf(stderr, "iv undefined\n");
        goto out;
    } else if (hex_fill(hexiv, iv, sizeof iv) < 0) {
        fprintf(stderr, "invalid hex iv value\n");
        goto out;
    }

    if (in_name != NULL) {
        j.in_fd = open(in_name, O_RDONLY | O_CLOEXEC);
        if (j.in_fd < 0) {
            fprintf(stderr, "%s: %s: %s\n", prog, in_name, strerror(errno));
            goto out;
        }
    }

    char name[16];
    snprintf(name, sizeof name, "%s(aes)", mode);
    int cause = 0;
    char err[PKTD_ERRBUF_SIZE] = "";
    int rc = pktd_alg_probe(PKTD_ALG_TYPE_SKCIPHER, name, key, klen / 2, &cause, NULL);
    if (rc == PKTD_E_UNAVAILABLE) {
        fprintf(stderr, "%s: %s: unavailable: %s (%s)\n", prog, name, pktd_alg_strerror(cause),
                pktd_err_name(cause));
        goto out;
    }
    if (rc == 0)
        rc = pktd_cipher_open(&j.c, name, err);
    if (rc == 0)
        rc = pktd_cipher_setkey(j.c, key, klen / 2);
    if (rc == 0)
        rc = pktd_cipher_begin(j.c, decrypt ? PKTD_CIPHER_DECRYPT : PKTD_CIPHER_ENCRYPT,
                               ecb ? NULL : iv, ecb ? 0 : sizeof iv);
    if (rc < 0) {
        const char *why = j.c != NULL ? pktd_cipher_errmsg(j.c) : err;
        fprintf(stderr, "%s: %s: %s (%s)\n", prog, name, why[0] != '\0' ? why : pktd_strerror(rc),
                pktd_err_name(rc));
        goto out;
    }

    if (out_name != NULL && (j.out_fd = open_output(out_name)) < 0) {
        j.out_fd = STDOUT_FILENO;
        goto out;
    }
    j.inbuf = malloc(READ_SIZE);
    j.outbuf = malloc(READ_SIZE + AES_BLOCK);
    if (j.inbuf == NULL || j.outbuf == NULL) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    status = run(&j);
    if (j.out_fd != STDOUT_FILENO && close(j.out_fd) < 0 && status == 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, j.out_name, strerror(errno));
        status = 1;
    }
    j.out_fd = STDOUT_FILENO;
out:
    /* Keys, IVs and every byte of plaintext that passed through. */
    wipe(key, sizeof key);
    wipe(iv, sizeof iv);
    wipe(j.hold, sizeof j.hold);
    if (j.inbuf != NULL)
        wipe(j.inbuf, READ_SIZE);
    if (j.outbuf != NULL)
        wipe(j.outbuf, READ_SIZE + AES_BLOCK);
    free(j.inbuf);
    free(j.outbuf);
    pktd_cipher_close(j.c);
    if (j.in_fd != STDIN_FILENO)
        close(j.in_fd);
    if (j.out_fd != STDOUT_FILENO)
        close(j.out_fd);
    return status;
}
