/* bench-kcapi: pktd-bench's hash and cipher modes through libkcapi, to put
 * the two AF_ALG wrappers side by side in the same kernel.
 *
 *   bench-kcapi hash|cipher COUNT SIZE
 *
 * hash: COUNT kcapi_md_digest() calls (sha256, one handle); cipher: COUNT
 * kcapi_cipher_encrypt() calls (cbc(aes), 128-bit key, one handle, the
 * library's default access heuristic), after one untimed warm-up
 * operation, exactly like `pktd-bench hash|cipher`.  Prints, last,
 * `hash ops=COUNT size=SIZE ns_per_op=X` (or `cipher ...`), or
 * `hash unavailable: REASON` and exits 1. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kcapi.h>

#include "harness.h"

static int failed(const char *mode, const char *what, long rc)
{
    printf("%s unavailable: %s: %s\n", mode, what, strerror((int)-rc));
    return 1;
}

int main(int argc, char **argv)
{
    uint32_t count, size;
    if (argc != 4 || (strcmp(argv[1], "hash") != 0 && strcmp(argv[1], "cipher") != 0) ||
        bench_parse_u32(argv[2], &count) != 0 || bench_parse_u32(argv[3], &size) != 0 || count == 0 ||
        (strcmp(argv[1], "cipher") == 0 && size % 16 != 0)) {
        fprintf(stderr, "usage: bench-kcapi hash|cipher COUNT SIZE\n");
        return 2;
    }
    const char *mode = argv[1];
    uint8_t *in = malloc(size ? size : 1), *out = malloc(size ? size : 1);
    if (in == NULL || out == NULL)
        return 1;
    for (uint32_t i = 0; i < size; i++)
        in[i] = (uint8_t)(i * 131u + 7u);
    char ver[64];
    kcapi_versionstring(ver, sizeof ver);
    printf("# %s\n", ver);

    struct kcapi_handle *h = NULL;
    ssize_t rc;
    uint64_t t0, t1;
    if (strcmp(mode, "hash") == 0) {
        uint8_t md[32];
        if ((rc = kcapi_md_init(&h, "sha256", 0)) < 0)
            return failed(mode, "sha256", (long)rc);
        if ((rc = kcapi_md_digest(h, in, size, md, sizeof md)) < 0)
            return failed(mode, "sha256 digest", (long)rc);
        t0 = bench_now_ns();
        for (uint32_t i = 0; i < count && rc >= 0; i++)
            rc = kcapi_md_digest(h, in, size, md, sizeof md);
        t1 = bench_now_ns();
        kcapi_md_destroy(h);
    } else {
        static const uint8_t key[16] = {0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                        0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c};
        static const uint8_t iv[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        if ((rc = kcapi_cipher_init(&h, "cbc(aes)", 0)) < 0)
            return failed(mode, "cbc(aes)", (long)rc);
        if ((rc = kcapi_cipher_setkey(h, key, sizeof key)) < 0 ||
            (rc = kcapi_cipher_encrypt(h, in, size, iv, out, size, KCAPI_ACCESS_HEURISTIC)) < 0)
            return failed(mode, "cbc(aes) encrypt", (long)rc);
        t0 = bench_now_ns();
        for (uint32_t i = 0; i < count && rc >= 0; i++)
            rc = kcapi_cipher_encrypt(h, in, size, iv, out, size, KCAPI_ACCESS_HEURISTIC);
        t1 = bench_now_ns();
        kcapi_cipher_destroy(h);
    }
    if (rc < 0) {
        fprintf(stderr, "bench-kcapi: %s: %s\n", mode, strerror((int)-rc));
        return 1;
    }
    double per = (double)(t1 - t0) / count;
    printf("# %s: %.1f MB/s\n", mode, per > 0 ? size * 1000.0 / per : 0.0);
    printf("%s ops=%" PRIu32 " size=%" PRIu32 " ns_per_op=%.1f\n", mode, count, size, per);
    free(in);
    free(out);
    return 0;
}
