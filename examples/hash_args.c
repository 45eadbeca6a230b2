/* pktd-hash's key and algorithm arguments (see hash_args.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hash_args.h"

void hash_args_wipe_mem(void *p, size_t n)
{
#ifdef HAVE_EXPLICIT_BZERO
    explicit_bzero(p, n);
#else
    volatile unsigned char *v = p;
    while (n-- > 0)
        *v++ = 0;
#endif
}

void hash_args_wipe(struct hash_args *a)
{
    hash_args_wipe_mem(a->key, sizeof a->key);
    a->keylen = 0;
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

/* Strict hex: an even number of hex digits, at most the key buffer.  A bad
 * digit part way leaves the bytes before it in the buffer: the caller
 * wipes. */
static int parse_hex(struct hash_args *a, const char *s)
{
    size_t n = strlen(s);
    if (n % 2 != 0 || n / 2 > sizeof a->key)
        return -1;
    for (size_t i = 0; i < n; i += 2) {
        int hi = hexval((unsigned char)s[i]), lo = hexval((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        a->key[i / 2] = (uint8_t)(hi << 4 | lo);
    }
    a->keylen = n / 2;
    return 0;
}

int hash_args_parse(struct hash_args *a, const char *alg, const char *hexkey, char *err,
                    size_t errlen)
{
    a->keylen = 0;
    a->keyed = hexkey != NULL;
    if (hexkey != NULL && parse_hex(a, hexkey) < 0) {
        snprintf(err, errlen, "-k needs an even number of hex digits (at most %zu bytes)",
                 sizeof a->key);
        goto fail;
    }
    int n = snprintf(a->name, sizeof a->name,
                     hexkey != NULL && strchr(alg, '(') == NULL ? "hmac(%s)" : "%s", alg);
    if (n < 0 || (size_t)n >= sizeof a->name) {
        snprintf(err, errlen, "%s: algorithm name too long", alg);
        goto fail;
    }
    return 0;
fail:
    /* The one failure exit: whatever was parsed goes. */
    hash_args_wipe(a);
    return -1;
}
