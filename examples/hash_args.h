/* pktd-hash's command-line key and algorithm: the hex key parsed into a
 * buffer and the kernel name built from -a and -k.  Kept apart from main()
 * so that a test can check the key is wiped on every failure. */
#ifndef PKTD_EXAMPLES_HASH_ARGS_H
#define PKTD_EXAMPLES_HASH_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode.h>

/* Longest -k key, in bytes. */
#define HASH_ARGS_KEY_MAX 1024

struct hash_args {
    uint8_t key[HASH_ARGS_KEY_MAX];
    size_t keylen;
    int keyed;                         /* -k was given */
    char name[PKTD_ALG_NAME_MAX + 1];  /* kernel algorithm name */
};

/* Fill a from -a ALG and -k HEXKEY (NULL when absent): a plain hash name H
 * becomes hmac(H) with a key, a name with parentheses is used as it is.
 * Returns 0, or -1 after writing why into err (errlen bytes); on failure
 * every byte of a->key is zero, whatever step failed. */
int hash_args_parse(struct hash_args *a, const char *alg, const char *hexkey, char *err,
                    size_t errlen);

/* Wipe a's key (explicit_bzero where available). */
void hash_args_wipe(struct hash_args *a);

/* Wipe n bytes at p in a way the compiler cannot drop. */
void hash_args_wipe_mem(void *p, size_t n);

#endif /* PKTD_EXAMPLES_HASH_ARGS_H */
