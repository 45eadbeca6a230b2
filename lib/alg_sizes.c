/* Algorithm sizes: a small built-in table for the algorithms people use,
 * and a /proc/crypto reader for the rest.  /proc/crypto lists an algorithm
 * once it is instantiated, which bind() has just done, so a handle looks it
 * up after binding. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode/error.h>

#include "alg_sizes.h"
#include "alg_socket.h"

/* Largest digest the kernel's hash API produces (HASH_MAX_DIGESTSIZE). */
#define HASH_DIGEST_MAX 64u
/* /proc/crypto is tens of KiB; refuse anything absurd. */
#define PROC_CRYPTO_MAX (4u * 1024u * 1024u)

struct hash_row {
    const char *name;
    uint32_t digest_size;
    uint32_t block_size;
};

static const struct hash_row hash_table[] = {
    {"md5", 16, 64},      {"sha1", 20, 64},      {"sha224", 28, 64},    {"sha256", 32, 64},
    {"sha384", 48, 128},  {"sha512", 64, 128},   {"sha3-224", 28, 144}, {"sha3-256", 32, 136},
    {"sha3-384", 48, 104}, {"sha3-512", 64, 72}, {"sm3", 32, 64},
};

struct cipher_row {
    const char *name;
    uint32_t block_size, iv_size, chunk_size, key_min, key_max;
    uint8_t chains_iv, whole_blocks;
};

/* The CBC and CTR templates leave the next IV (last ciphertext block, next
 * counter) in the request, so the kernel's context IV continues the message
 * from one read to the next; ECB has no IV.  XTS does not: each request
 * restarts the tweak (libkcapi issue 92), so XTS input cannot be split. */
static const struct cipher_row cipher_table[] = {
    {"cbc(aes)", 16, 16, 16, 16, 32, 1, 1},
    {"ecb(aes)", 16, 0, 16, 16, 32, 1, 1},
    {"ctr(aes)", 1, 16, 16, 16, 32, 1, 0},
    {"xts(aes)", 16, 16, 16, 32, 64, 0, 0},
};

static const struct hash_row *find_hash(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof hash_table / sizeof hash_table[0]; i++)
        if (strlen(hash_table[i].name) == len && memcmp(hash_table[i].name, name, len) == 0)
            return &hash_table[i];
    return NULL;
}

int pktd__alg_info_builtin(int type, const char *name, struct pktd__alg_info *out)
{
    memset(out, 0, sizeof *out);
    if (name == NULL)
        return PKTD_E_NOT_FOUND;
    size_t n = strlen(name);
    if (type == PKTD__ALG_HASH) {
        const struct hash_row *h = find_hash(name, n);
        /* hmac(H) has the digest and block size of H. */
        if (h == NULL && n > 6 && memcmp(name, "hmac(", 5) == 0 && name[n - 1] == ')')
            h = find_hash(name + 5, n - 6);
        if (h == NULL)
            return PKTD_E_NOT_FOUND;
        out->digest_size = h->digest_size;
        out->block_size = h->block_size;
        return 0;
    }
    if (type == PKTD__ALG_SKCIPHER) {
        for (size_t i = 0; i < sizeof cipher_table / sizeof cipher_table[0]; i++) {
            const struct cipher_row *c = &cipher_table[i];
            if (strcmp(c->name, name) != 0)
                continue;
            out->block_size = c->block_size;
            out->iv_size = c->iv_size;
            out->chunk_size = c->chunk_size;
            out->key_min = c->key_min;
            out->key_max = c->key_max;
            out->chains_iv = c->chains_iv;
            out->whole_blocks = c->whole_blocks;
            return 0;
        }
    }
    return PKTD_E_NOT_FOUND;
}

/* mode(inner) where inner is a plain cipher name, e.g. "cbc(des3_ede)". */
static int is_simple_mode(const char *name, const char *mode)
{
    size_t m = strlen(mode), n = strlen(name);
    if (n < m + 3 || memcmp(name, mode, m) != 0 || name[m] != '(' || name[n - 1] != ')')
        return 0;
    for (size_t i = m + 1; i + 1 < n; i++)
        if (name[i] == '(' || name[i] == ')' || name[i] == ',')
            return 0;
    return 1;
}

/* One "key : value" entry of the block being parsed. */
struct proc_entry {
    char name[PKTD__ALG_NAME_SIZE];
    char type[PKTD__ALG_NAME_SIZE];
    int internal;
    long blocksize, digestsize, ivsize, chunksize, min_key, max_key;
};

static void entry_reset(struct proc_entry *e)
{
    memset(e, 0, sizeof *e);
    e->blocksize = e->digestsize = e->ivsize = e->chunksize = e->min_key = e->max_key = -1;
}

static int type_matches(int type, const char *t)
{
    if (type == PKTD__ALG_HASH)
        return strcmp(t, "shash") == 0 || strcmp(t, "ahash") == 0;
    if (type == PKTD__ALG_SKCIPHER)
        return strcmp(t, "skcipher") == 0 || strcmp(t, "blkcipher") == 0 ||
               strcmp(t, "ablkcipher") == 0;
    return 0;
}

/* 1: the entry is the algorithm (out filled), 0: not it, <0: bad sizes. */
static int entry_take(const struct proc_entry *e, int type, const char *name,
                      struct pktd__alg_info *out)
{
    if (e->internal || strcmp(e->name, name) != 0 || !type_matches(type, e->type))
        return 0;
    memset(out, 0, sizeof *out);
    out->from_proc = 1;
    if (e->blocksize < 1 || e->blocksize > 4096)
        return PKTD_E_MALFORMED;
    out->block_size = (uint32_t)e->blocksize;
    if (type == PKTD__ALG_HASH) {
        if (e->digestsize < 1 || e->digestsize > (long)HASH_DIGEST_MAX)
            return PKTD_E_MALFORMED;
        out->digest_size = (uint32_t)e->digestsize;
        return 1;
    }
    if (e->ivsize < 0 || e->ivsize > (long)PKTD__ALG_IV_MAX || e->min_key < 0 ||
        e->max_key < e->min_key || e->max_key > 1024)
        return PKTD_E_MALFORMED;
    out->iv_size = (uint32_t)e->ivsize;
    out->key_min = (uint32_t)e->min_key;
    out->key_max = (uint32_t)e->max_key;
    /* Kernels before the skcipher rework print no chunksize: the walk unit
     * was the block size then. */
    long chunk = e->chunksize > 0 ? e->chunksize : e->blocksize;
    if (chunk > 4096)
        return PKTD_E_MALFORMED;
    out->chunk_size = (uint32_t)chunk;
    /* Only modes known to leave a continuing IV may be split across
     * requests; for anything else the whole message is one request. */
    if (is_simple_mode(name, "cbc") || is_simple_mode(name, "ecb")) {
        out->chains_iv = 1;
        out->whole_blocks = out->block_size > 1;
    } else if (is_simple_mode(name, "ctr")) {
        out->chains_iv = 1;
    }
    return 1;
}

static long parse_num(const char *v)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno != 0 || end == v)
        return -1;
    return x;
}

static void entry_field(struct proc_entry *e, const char *key, const char *val)
{
    if (strcmp(key, "name") == 0)
        snprintf(e->name, sizeof e->name, "%s", val);
    else if (strcmp(key, "type") == 0)
        snprintf(e->type, sizeof e->type, "%s", val);
    else if (strcmp(key, "internal") == 0)
        e->internal = strcmp(val, "yes") == 0;
    else if (strcmp(key, "blocksize") == 0)
        e->blocksize = parse_num(val);
    else if (strcmp(key, "digestsize") == 0)
        e->digestsize = parse_num(val);
    else if (strcmp(key, "ivsize") == 0)
        e->ivsize = parse_num(val);
    else if (strcmp(key, "chunksize") == 0)
        e->chunksize = parse_num(val);
    else if (strcmp(key, "min keysize") == 0)
        e->min_key = parse_num(val);
    else if (strcmp(key, "max keysize") == 0)
        e->max_key = parse_num(val);
}

static void trim(const char **b, const char **e)
{
    while (*b < *e && (**b == ' ' || **b == '\t'))
        (*b)++;
    while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

int pktd__alg_info_parse(const char *text, size_t len, int type, const char *name,
                         struct pktd__alg_info *out)
{
    struct proc_entry e;
    entry_reset(&e);
    const char *p = text, *end = text + len;
    for (;;) {
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        const char *le = nl != NULL ? nl : end;
        const char *kb = p, *ke = p;
        while (ke < le && *ke != ':')
            ke++;
        if (ke < le) {
            const char *vb = ke + 1, *ve = le;
            trim(&kb, &ke);
            trim(&vb, &ve);
            char key[32], val[PKTD__ALG_NAME_SIZE];
            if ((size_t)(ke - kb) < sizeof key && (size_t)(ve - vb) < sizeof val) {
                memcpy(key, kb, (size_t)(ke - kb));
                key[ke - kb] = '\0';
                memcpy(val, vb, (size_t)(ve - vb));
                val[ve - vb] = '\0';
                entry_field(&e, key, val);
            }
        } else {
            /* A blank line (or the end of the text) closes an entry. */
            int rc = entry_take(&e, type, name, out);
            if (rc != 0)
                return rc < 0 ? rc : 0;
            entry_reset(&e);
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    /* The last entry, when the text does not end with a blank line. */
    int rc = entry_take(&e, type, name, out);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    memset(out, 0, sizeof *out);
    return PKTD_E_NOT_FOUND;
}

/* Read a whole (small) file into a malloc'd, NUL-terminated buffer. */
static int slurp(const char *path, char **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t cap = 65536, n = 0;
    char *b = malloc(cap);
    int rc = 0;
    if (b == NULL) {
        close(fd);
        return -ENOMEM;
    }
    for (;;) {
        if (cap - n < 4096) {
            if (cap >= PROC_CRYPTO_MAX) {
                rc = PKTD_E_TOO_LARGE;
                break;
            }
            char *nb = realloc(b, cap * 2);
            if (nb == NULL) {
                rc = -ENOMEM;
                break;
            }
            b = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, b + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (rc < 0) {
        free(b);
        return rc;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

int pktd__alg_info_lookup(int type, const char *name, const char *proc_path,
                          struct pktd__alg_info *out, char *errmsg)
{
    if (pktd__alg_info_builtin(type, name, out) == 0)
        return 0;
    const char *path = proc_path != NULL ? proc_path : "/proc/crypto";
    char *text = NULL;
    size_t len = 0;
    int rc = slurp(path, &text, &len);
    if (rc < 0) {
        return pktd__errmsgf(errmsg, rc == -ENOMEM ? rc : PKTD_E_NOT_FOUND,
                             "sizes of %s unknown: not in the built-in table, and %s: %s", name,
                             path, pktd_strerror(rc));
    }
    rc = pktd__alg_info_parse(text, len, type, name, out);
    free(text);
    if (rc < 0)
        pktd__errmsgf(errmsg, rc, "sizes of %s unknown: %s in %s", name,
                      rc == PKTD_E_MALFORMED ? "impossible sizes" : "no entry", path);
    return rc;
}
