/* Fault tests for the AF_ALG handles (hash.h, cipher.h), with OpenSSL's
 * libcrypto as the independent oracle:
 *
 * - wrong key sizes (cbc(aes), ctr(aes), xts(aes)) and a key on an unkeyed
 *   hash: refused, and the handle still works with a right key;
 * - wrong IV sizes for one-shot and streaming operations: refused before
 *   any system call, the handle still works;
 * - a key change while an operation is open: the partial digest or the
 *   unfinished stream is abandoned as documented, and the next result is
 *   the new key's; a key change refused with -EBUSY while a clone made
 *   mid-message is still finishing that message on the original's transform;
 * - 100 MiB hashed in updates of random sizes (0 to 300 000 bytes, across
 *   the library's 64 KiB pieces), against libcrypto;
 * - truncated reads: digests read into buffers shorter than the digest,
 *   stream output buffers too small (refused, nothing lost);
 * - 10 000 open/close cycles of each handle kind, clones included, with no
 *   descriptor or memory growth.
 *
 * The host kernel of this project's machines has no AF_ALG: there the
 * program exits 77; the alg area's VM harness (tests/alg/) runs it on a
 * kernel that has it. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <pktdecode.h>

#include "resources.h"

#define CYCLES 10000

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)next_rand();
}

static const uint8_t key32[32] = {0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe,
                                  0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81,
                                  0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7,
                                  0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4};
static const uint8_t iv16[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static pktd_cipher *cipher(const char *name)
{
    pktd_cipher *c;
    int rc = pktd_cipher_open(&c, name, NULL);
    ck_assert_msg(rc == 0, "pktd_cipher_open(%s): %d (%s)", name, rc, pktd_err_name(rc));
    return c;
}

static pktd_hash *hash(const char *name)
{
    pktd_hash *h;
    int rc = pktd_hash_open(&h, name, NULL);
    ck_assert_msg(rc == 0, "pktd_hash_open(%s): %d (%s)", name, rc, pktd_err_name(rc));
    return h;
}

/* libcrypto's AES-256-CBC of @p n bytes, no padding. */
static void ref_cbc(const uint8_t *key, const uint8_t *iv, const uint8_t *in, size_t n,
                    uint8_t *out)
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    ck_assert_int_eq(EVP_EncryptInit_ex(x, EVP_aes_256_cbc(), NULL, key, iv), 1);
    EVP_CIPHER_CTX_set_padding(x, 0);
    ck_assert_int_eq(EVP_EncryptUpdate(x, out, &l1, in, (int)n), 1);
    ck_assert_int_eq(EVP_EncryptFinal_ex(x, out + l1, &l2), 1);
    ck_assert_int_eq(l1 + l2, (int)n);
    EVP_CIPHER_CTX_free(x);
}

/* ------------------------------------------------------------ key sizes */

START_TEST(test_wrong_key_sizes)
{
    static const size_t bad_aes[] = {0, 1, 8, 15, 17, 20, 31, 33, 48, 64, 4096};
    const char *names[] = {"cbc(aes)", "ctr(aes)", "ecb(aes)"};
    uint8_t big[4096];
    fill(big, sizeof big);
    for (size_t k = 0; k < 3; k++) {
        pktd_cipher *c = cipher(names[k]);
        for (size_t i = 0; i < sizeof bad_aes / sizeof bad_aes[0]; i++) {
            int rc = pktd_cipher_setkey(c, big, bad_aes[i]);
            ck_assert_msg(rc == -EINVAL || rc == PKTD_E_INVALID_ARGUMENT,
                          "%s key of %zu bytes: %d", names[k], bad_aes[i], rc);
        }
        /* Never keyed successfully: operations say so. */
        uint8_t blk[16] = {0}, out[16];
        int rc = pktd_cipher_encrypt(c, k == 2 ? NULL : iv16, k == 2 ? 0 : 16, blk, 16, out);
        ck_assert_msg(rc == -ENOKEY, "%s without key: %d", names[k], rc);
        /* A right key afterwards: the handle works. */
        ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
        ck_assert_int_eq(pktd_cipher_encrypt(c, k == 2 ? NULL : iv16, k == 2 ? 0 : 16, blk, 16,
                                             out),
                         0);
        /* A wrong key after a right one is refused and ... */
        ck_assert_int_eq(pktd_cipher_setkey(c, big, 17), -EINVAL);
        pktd_cipher_close(c);
    }
    /* xts(aes) takes two AES keys: 32, 48 or 64 bytes. */
    pktd_cipher *x = cipher("xts(aes)");
    ck_assert_int_eq(pktd_cipher_setkey(x, big, 16), -EINVAL);
    ck_assert_int_eq(pktd_cipher_setkey(x, big, 40), -EINVAL);
    ck_assert_int_eq(pktd_cipher_setkey(x, big, 64), 0);
    pktd_cipher_close(x);
    /* A key for a hash that takes none; a NULL key with a length. */
    pktd_hash *h = hash("sha256");
    ck_assert_int_eq(pktd_hash_setkey(h, key32, 16), -ENOSYS);
    uint8_t md[32];
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, sizeof md), 32);
    pktd_hash_close(h);
    h = hash("hmac(sha256)");
    ck_assert_int_eq(pktd_hash_setkey(h, NULL, 5), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), -ENOKEY);
    /* HMAC takes any key length, longer than the block size included. */
    ck_assert_int_eq(pktd_hash_setkey(h, big, sizeof big), 0);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, sizeof md), 32);
    uint8_t ref[32];
    unsigned rl = 0;
    HMAC(EVP_sha256(), big, (int)sizeof big, (const uint8_t *)"abc", 3, ref, &rl);
    ck_assert_int_eq(memcmp(md, ref, 32), 0);
    pktd_hash_close(h);
}
END_TEST

/* ------------------------------------------------------------- IV sizes */

START_TEST(test_wrong_iv_sizes)
{
    pktd_cipher *c = cipher("cbc(aes)");
    ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
    uint8_t in[64], out[64], ref[64];
    fill(in, sizeof in);
    static const size_t bad[] = {0, 1, 8, 15, 17, 32};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t ivbuf[32] = {0};
        ck_assert_int_eq(pktd_cipher_encrypt(c, ivbuf, bad[i], in, 64, out),
                         PKTD_E_INVALID_ARGUMENT);
        ck_assert_int_eq(pktd_cipher_decrypt(c, ivbuf, bad[i], in, 64, out),
                         PKTD_E_INVALID_ARGUMENT);
        ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, ivbuf, bad[i]),
                         PKTD_E_INVALID_ARGUMENT);
    }
    ck_assert_int_eq(pktd_cipher_encrypt(c, NULL, 16, in, 64, out), PKTD_E_INVALID_ARGUMENT);
    /* Still works, and right. */
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv16, 16, in, 64, out), 0);
    ref_cbc(key32, iv16, in, 64, ref);
    ck_assert_int_eq(memcmp(out, ref, 64), 0);
    pktd_cipher_close(c);
    /* ecb has no IV: one given is refused. */
    c = cipher("ecb(aes)");
    ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
    ck_assert_int_eq(pktd_cipher_iv_size(c), 0);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv16, 16, in, 64, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, NULL, 0, in, 64, out), 0);
    pktd_cipher_close(c);
}
END_TEST

/* -------------------------------------------- key change mid-operation */

START_TEST(test_key_change_during_operation)
{
    static const uint8_t k1[] = "first key", k2[] = "second, longer key";
    uint8_t data[100000], md[32], ref[32];
    unsigned rl;
    fill(data, sizeof data);

    /* Hash: a partial digest, a new key: the partial is abandoned, the
     * next digest is the new key's over what follows only. */
    pktd_hash *h = hash("hmac(sha256)");
    ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), 0);
    ck_assert_int_eq(pktd_hash_update(h, data, 70000), 0);
    ck_assert_int_eq(pktd_hash_setkey(h, k2, sizeof k2), 0);
    ck_assert_int_eq(pktd_hash_update(h, data + 70000, 30000), 0);
    ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), 32);
    HMAC(EVP_sha256(), k2, (int)sizeof k2, data + 70000, 30000, ref, &rl);
    ck_assert_int_eq(memcmp(md, ref, 32), 0);

    /* A clone made mid-message finishes that message on the original's
     * transform: until then the original's key cannot change under it
     * (-EBUSY), and the handle stays usable with the old key. */
    pktd_hash *clone;
    ck_assert_int_eq(pktd_hash_update(h, data, 1000), 0);
    ck_assert_int_eq(pktd_hash_clone(&clone, h, NULL), 0);
    ck_assert_int_eq(pktd_hash_update(clone, data + 1000, 1000), 0);
    int rc = pktd_hash_setkey(h, k1, sizeof k1);
    ck_assert_msg(rc == -EBUSY, "setkey with a used clone: %d", rc);
    ck_assert_int_eq(pktd_hash_final(clone, md, sizeof md), 32);
    HMAC(EVP_sha256(), k2, (int)sizeof k2, data, 2000, ref, &rl);
    ck_assert_int_eq(memcmp(md, ref, 32), 0);
    pktd_hash_close(clone);
    ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), 0);
    ck_assert_int_eq(pktd_hash_digest(h, data, 5000, md, sizeof md), 32);
    HMAC(EVP_sha256(), k1, (int)sizeof k1, data, 5000, ref, &rl);
    ck_assert_int_eq(memcmp(md, ref, 32), 0);
    pktd_hash_close(h);

    /* Cipher: a stream is open, the key changes: the stream is abandoned
     * (continuing it is refused) and one-shot operations use the new key. */
    uint8_t k3[32], out[4096], ref2[4096];
    size_t n;
    fill(k3, sizeof k3);
    pktd_cipher *c = cipher("cbc(aes)");
    ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv16, 16), 0);
    ck_assert_int_eq(pktd_cipher_update(c, data, 1000, out, sizeof out, &n), 0);
    ck_assert_int_eq(pktd_cipher_setkey(c, k3, 32), 0);
    ck_assert_int_eq(pktd_cipher_update(c, data, 16, out, sizeof out, &n), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv16, 16, data, 4096, out), 0);
    ref_cbc(k3, iv16, data, 4096, ref2);
    ck_assert_int_eq(memcmp(out, ref2, 4096), 0);
    pktd_cipher_close(c);
}
END_TEST

/* ----------------------------------------------- 100 MiB, random pieces */

START_TEST(test_hash_100mib_random_updates)
{
    const size_t total = 100u << 20;
    const size_t chunk = 1u << 20;
    uint8_t *buf = malloc(chunk + 300000);
    ck_assert_ptr_nonnull(buf);
    pktd_hash *h = hash("sha256");
    EVP_MD_CTX *ref = EVP_MD_CTX_new();
    ck_assert_int_eq(EVP_DigestInit_ex(ref, EVP_sha256(), NULL), 1);
    size_t done = 0, updates = 0;
    while (done < total) {
        size_t n = (size_t)(next_rand() % 300001u);
        if (next_rand() % 8 == 0)
            n = (size_t)(next_rand() % 3); /* tiny and empty updates too */
        if (n > total - done)
            n = total - done;
        fill(buf, n);
        ck_assert_int_eq(pktd_hash_update(h, n ? buf : NULL, n), 0);
        ck_assert_int_eq(EVP_DigestUpdate(ref, buf, n), 1);
        done += n;
        updates++;
    }
    uint8_t md[32], want[32];
    unsigned wl = 0;
    ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), 32);
    ck_assert_int_eq(EVP_DigestFinal_ex(ref, want, &wl), 1);
    ck_assert_int_eq(memcmp(md, want, 32), 0);
    printf("100 MiB in %zu updates of random size: sha256 agrees with libcrypto\n", updates);
    EVP_MD_CTX_free(ref);
    pktd_hash_close(h);
    free(buf);
}
END_TEST

/* ------------------------------------------------------ truncated reads */

START_TEST(test_truncated_reads)
{
    pktd_hash *h = hash("sha512");
    uint8_t full[64], part[64], want[64];
    unsigned wl = 0;
    EVP_Digest("abc", 3, want, &wl, EVP_sha512(), NULL);
    for (size_t len = 1; len <= 64; len += 7) {
        memset(part, 0xee, sizeof part);
        ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, part, len), (int)len);
        ck_assert_int_eq(memcmp(part, want, len), 0);
        if (len < 64)
            ck_assert_uint_eq(part[len], 0xee); /* nothing written past mdlen */
    }
    ck_assert_int_eq(pktd_hash_final(h, full, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, full, 64), 64);
    ck_assert_int_eq(memcmp(full, want, 64), 0);
    pktd_hash_close(h);

    /* A stream's output buffer too small: refused, nothing consumed, the
     * stream goes on and the whole result is right. */
    pktd_cipher *c = cipher("cbc(aes)");
    ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
    uint8_t in[4096], out[4096 + 64], ref[4096];
    fill(in, sizeof in);
    ref_cbc(key32, iv16, in, sizeof in, ref);
    size_t n = 0, got = 0;
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv16, 16), 0);
    ck_assert_int_eq(pktd_cipher_update(c, in, 1000, out, 10, &n), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_update(c, in, 1000, out, sizeof out, &n), 0);
    got += n;
    ck_assert_int_eq(pktd_cipher_end(c, in + 1000, 3000, out + got, 5, &n),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_end(c, in + 1000, 3096, out + got, sizeof out - got, &n), 0);
    got += n;
    ck_assert_uint_eq(got, sizeof in);
    ck_assert_int_eq(memcmp(out, ref, sizeof in), 0);
    pktd_cipher_close(c);
}
END_TEST

/* --------------------------------------------------------------- cycles */

enum kind { HASH, HMAC_KEYED, HASH_CLONE, CIPHER, CIPHER_STREAM_ABANDONED, UNKNOWN_ALG, KINDS };

static const char *const kind_name[KINDS] = {
    "sha256 digest", "hmac(sha256) keyed digest", "hash clone", "cbc(aes) encrypt",
    "cbc(aes) stream abandoned by close", "unknown algorithm (open fails)"};

static void cycle(enum kind k)
{
    uint8_t md[32], buf[64] = {0}, out[64];
    size_t n;
    pktd_hash *h, *h2;
    pktd_cipher *c;
    switch (k) {
    case HASH:
    case HMAC_KEYED:
    case HASH_CLONE:
        h = hash(k == HMAC_KEYED ? "hmac(sha256)" : "sha256");
        if (k == HMAC_KEYED)
            ck_assert_int_eq(pktd_hash_setkey(h, key32, 32), 0);
        ck_assert_int_eq(pktd_hash_update(h, buf, sizeof buf), 0);
        if (k == HASH_CLONE) {
            ck_assert_int_eq(pktd_hash_clone(&h2, h, NULL), 0);
            ck_assert_int_eq(pktd_hash_final(h2, md, sizeof md), 32);
            pktd_hash_close(h2);
        }
        ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), 32);
        pktd_hash_close(h);
        break;
    case CIPHER:
    case CIPHER_STREAM_ABANDONED:
        c = cipher("cbc(aes)");
        ck_assert_int_eq(pktd_cipher_setkey(c, key32, 32), 0);
        if (k == CIPHER) {
            ck_assert_int_eq(pktd_cipher_encrypt(c, iv16, 16, buf, 64, out), 0);
        } else {
            ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv16, 16), 0);
            ck_assert_int_eq(pktd_cipher_update(c, buf, 40, out, sizeof out, &n), 0);
        }
        pktd_cipher_close(c);
        break;
    default:
        ck_assert_int_eq(pktd_hash_open(&h, "no-such-hash-xyz", NULL), -ENOENT);
        break;
    }
}

START_TEST(test_cycles)
{
    enum kind k = (enum kind)_i;
    for (int i = 0; i < 100; i++)
        cycle(k);
    struct resources before = resources_now();
    for (int i = 0; i < CYCLES; i++)
        cycle(k);
    struct resources after = resources_now();
    const char *grew = resources_grew(&before, &after, 4096);
    ck_assert_msg(grew == NULL, "%s, %d cycles: %s", kind_name[k], CYCLES, grew);
    printf("%s: %d cycles, descriptors %ld -> %ld, heap %ld -> %ld, resident %ld -> %ld KiB\n",
           kind_name[k], CYCLES, before.fds, after.fds, before.heap, after.heap, before.rss_kib,
           after.rss_kib);
}
END_TEST

int main(void)
{
    int cause = 0;
    int rc = pktd_alg_probe("hash", "sha256", NULL, 0, &cause, NULL);
    if (rc != 0) {
        printf("SKIP: AF_ALG sha256 unavailable here (%s, cause %s): the alg area's VM "
               "harness runs this test\n",
               pktd_err_name(rc), pktd_err_name(cause));
        return 77;
    }
    Suite *s = suite_create("AF_ALG faults");
    TCase *tc = tcase_create("alg");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_wrong_key_sizes);
    tcase_add_test(tc, test_wrong_iv_sizes);
    tcase_add_test(tc, test_key_change_during_operation);
    tcase_add_test(tc, test_hash_100mib_random_updates);
    tcase_add_test(tc, test_truncated_reads);
    tcase_add_loop_test(tc, test_cycles, 0, KINDS);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists each test */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
