/* pktd-hash's key parsing (examples/hash_args.c) leaves no key bytes behind
 * on any failure (issue 11): a bad hex digit part way through the key, an
 * odd number of digits, a key too long, and an algorithm name too long
 * after a good key.  Each case starts from a buffer full of 0xa5, so a byte
 * the parser wrote or never cleared shows.  Exit 0 or 1 (Automake). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hash_args.h"

static int failures;

static void expect_wiped(const char *what, const char *alg, const char *hexkey)
{
    static struct hash_args a;
    char err[160] = "";
    memset(&a, 0xa5, sizeof a);
    int rc = hash_args_parse(&a, alg, hexkey, err, sizeof err);
    size_t left = 0;
    for (size_t i = 0; i < sizeof a.key; i++)
        left += a.key[i] != 0;
    if (rc != -1 || left != 0 || a.keylen != 0 || err[0] == '\0') {
        printf("FAIL %s: rc %d, %zu key bytes not zero, keylen %zu, message \"%s\"\n", what, rc,
               left, a.keylen, err);
        failures++;
    } else {
        printf("ok   %s: %s\n", what, err);
    }
}

static void expect_ok(const char *what, const char *alg, const char *hexkey, const char *name,
                      size_t keylen)
{
    static struct hash_args a;
    char err[160] = "";
    memset(&a, 0xa5, sizeof a);
    int rc = hash_args_parse(&a, alg, hexkey, err, sizeof err);
    if (rc != 0 || strcmp(a.name, name) != 0 || a.keylen != keylen) {
        printf("FAIL %s: rc %d, name \"%s\", keylen %zu (%s)\n", what, rc, a.name, a.keylen, err);
        failures++;
        return;
    }
    hash_args_wipe(&a);
    for (size_t i = 0; i < sizeof a.key; i++) {
        if (a.key[i] != 0) {
            printf("FAIL %s: hash_args_wipe left byte %zu\n", what, i);
            failures++;
            return;
        }
    }
    printf("ok   %s\n", what);
}

int main(void)
{
    static char long_alg[PKTD_ALG_NAME_MAX + 10];
    memset(long_alg, 'x', sizeof long_alg - 1);
    static char long_key[2 * HASH_ARGS_KEY_MAX + 3];
    memset(long_key, 'a', sizeof long_key - 1);

    expect_wiped("bad hex digit part way", "sha256", "00112233445566778899zz");
    expect_wiped("odd number of digits", "sha256", "0011223");
    expect_wiped("key longer than the buffer", "sha256", long_key);
    expect_wiped("algorithm name too long after a good key", long_alg, "deadbeefcafe");
    expect_wiped("hmac() of a name that no longer fits", long_alg + 5, "0102030405");
    expect_ok("plain hash", "sha256", NULL, "sha256", 0);
    expect_ok("key makes hmac()", "sha1", "0b0b0b", "hmac(sha1)", 3);
    expect_ok("name with parentheses kept", "hmac(sha512)", "", "hmac(sha512)", 0);
    return failures == 0 ? 0 : 1;
}
