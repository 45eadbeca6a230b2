/* AF_ALG against a real kernel: known-answer vectors (FIPS 180-4, RFC 4231,
 * NIST SP 800-38A, RFC 3602, RFC 3686), cross-checks with OpenSSL's
 * libcrypto on random data of awkward sizes, streaming in random splits,
 * clones, re-keying, error cases, and descriptor hygiene.
 *
 * Needs a kernel whose AF_ALG offers sha256 to this process: exits 77
 * (skip) with the cause otherwise.  `make check` runs it natively, and
 * inside a qemu VM with Debian's cloud kernel (tests/alg/vm.sh), where it
 * always runs.  PKTD_TEST_SEED reproduces a run's random data;
 * PKTD_ALG_TEST_SYSCTL=1 (set in the VM only) lets one test shrink the
 * system-wide socket buffer limits. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <pktdecode.h>

#include "alg_test.h"

#define MIB (1024u * 1024u)
#define BIG (MIB + 5u)

/* The awkward sizes of the issue: around a block, and around 64 KiB, which
 * is where the library splits input into requests. */
static const size_t sizes[] = {0, 1, 15, 16, 17, 65535, 65536, 65537, BIG};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static uint8_t *xmalloc(size_t n)
{
    uint8_t *p = malloc(n > 0 ? n : 1);
    ck_assert_ptr_nonnull(p);
    return p;
}

static void hex_to(const char *hex, uint8_t *out, size_t want)
{
    ck_assert_uint_eq(alg_test_hex(hex, out, want), want);
}

/* ------------------------------------------------------------ oracles --- */

static unsigned ossl_hash(const char *alg, const uint8_t *key, size_t keylen, const uint8_t *d,
                          size_t n, uint8_t *md)
{
    static const uint8_t empty[1];
    const char *inner = alg;
    char buf[64];
    if (strncmp(alg, "hmac(", 5) == 0) {
        snprintf(buf, sizeof buf, "%s", alg + 5);
        buf[strlen(buf) - 1] = '\0';
        inner = buf;
    }
    const EVP_MD *m = EVP_get_digestbyname(inner);
    ck_assert_msg(m != NULL, "OpenSSL has no digest %s", inner);
    unsigned len = 0;
    if (inner != alg) {
        ck_assert_ptr_nonnull(HMAC(m, key != NULL ? key : empty, (int)keylen, n ? d : empty, n,
                                   md, &len));
    } else {
        ck_assert_int_eq(EVP_Digest(n ? d : empty, n, md, &len, m, NULL), 1);
    }
    return len;
}

/* AES in mode ("cbc", "ctr", "ecb", "xts") without padding. */
static void ossl_crypt(const char *mode, const uint8_t *key, size_t keylen, const uint8_t *iv,
                       int enc, const uint8_t *in, size_t n, uint8_t *out)
{
    char name[32];
    size_t bits = strcmp(mode, "xts") == 0 ? keylen * 4 : keylen * 8;
    snprintf(name, sizeof name, "aes-%zu-%s", bits, mode);
    const EVP_CIPHER *c = EVP_get_cipherbyname(name);
    ck_assert_msg(c != NULL, "OpenSSL has no cipher %s", name);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(EVP_CipherInit_ex(ctx, c, NULL, key, iv, enc), 1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    int l1 = 0, l2 = 0;
    if (n > 0)
        ck_assert_int_eq(EVP_CipherUpdate(ctx, out, &l1, in, (int)n), 1);
    ck_assert_int_eq(EVP_CipherFinal_ex(ctx, out + l1, &l2), 1);
    ck_assert_uint_eq((size_t)(l1 + l2), n);
    EVP_CIPHER_CTX_free(ctx);
}

/* A random piece length for streaming: sometimes 0, often small, sometimes
 * beyond 64 KiB. */
static size_t rand_split(size_t rem)
{
    size_t k;
    switch (alg_test_rand() % 6) {
    case 0:
        k = 0;
        break;
    case 1:
        k = 1 + alg_test_rand() % 16;
        break;
    case 2:
        k = 1 + alg_test_rand() % 300;
        break;
    case 3:
        k = 1 + alg_test_rand() % 5000;
        break;
    case 4:
        k = 60000 + alg_test_rand() % 20000;
        break;
    default:
        k = rem;
        break;
    }
    return k < rem ? k : rem;
}

static int hash_stream_random(pktd_hash *h, const uint8_t *d, size_t n, uint8_t *md)
{
    size_t off = 0;
    while (off < n) {
        size_t k = rand_split(n - off);
        ck_assert_int_eq(pktd_hash_update(h, d + off, k), 0);
        off += k;
    }
    return pktd_hash_final(h, md, PKTD_HASH_MAX_DIGEST);
}

static void cipher_stream_random(pktd_cipher *c, uint32_t dir, const uint8_t *iv, size_t ivlen,
                                 const uint8_t *in, size_t n, uint8_t *out)
{
    size_t cs = pktd_cipher_chunk_size(c), in_off = 0, out_off = 0, done = 0;
    ck_assert_int_eq(pktd_cipher_begin(c, dir, iv, ivlen), 0);
    while (in_off < n) {
        size_t k = rand_split(n - in_off);
        if (k == n - in_off && alg_test_rand() % 2)
            break; /* leave the rest to end() */
        int rc = pktd_cipher_update(c, in + in_off, k, out + out_off, k + cs - 1, &done);
        ck_assert_msg(rc == 0, "update: %s", pktd_cipher_errmsg(c));
        ck_assert_uint_le(done, k + cs - 1);
        in_off += k;
        out_off += done;
        ck_assert_uint_le(out_off, in_off);
        ck_assert_uint_lt(in_off - out_off, cs);
    }
    int rc = pktd_cipher_end(c, in + in_off, n - in_off, out + out_off, n - in_off + cs - 1, &done);
    ck_assert_msg(rc == 0, "end: %s", pktd_cipher_errmsg(c));
    ck_assert_uint_eq(out_off + done, n);
}

static pktd_hash *hash_open(const char *name)
{
    pktd_hash *h = NULL;
    int rc = pktd_hash_open(&h, name, NULL);
    ck_assert_msg(rc == 0, "pktd_hash_open(%s): %s", name, pktd_strerror(rc));
    return h;
}

static pktd_cipher *cipher_open(const char *name, const uint8_t *key, size_t keylen)
{
    pktd_cipher *c = NULL;
    int rc = pktd_cipher_open(&c, name, NULL);
    ck_assert_msg(rc == 0, "pktd_cipher_open(%s): %s", name, pktd_strerror(rc));
    if (key != NULL) {
        rc = pktd_cipher_setkey(c, key, keylen);
        ck_assert_msg(rc == 0, "setkey(%s, %zu): %s", name, keylen, pktd_cipher_errmsg(c));
    }
    return c;
}

static void expect_digest(pktd_hash *h, const uint8_t *d, size_t n, const char *hex)
{
    uint8_t want[64], got[64];
    size_t wl = alg_test_hex(hex, want, sizeof want);
    int rc = pktd_hash_digest(h, d, n, got, sizeof got);
    ck_assert_msg(rc == (int)wl, "%s: digest returned %d (%s)", pktd_hash_name(h), rc,
                  pktd_hash_errmsg(h));
    ck_assert_mem_eq(got, want, wl);
    /* The same through update/final, one byte at a time for short inputs. */
    for (size_t i = 0; i < n; i += (n < 200 ? 1 : 4096)) {
        size_t k = n - i < (n < 200 ? 1u : 4096u) ? n - i : (n < 200 ? 1u : 4096u);
        ck_assert_int_eq(pktd_hash_update(h, d + i, k), 0);
    }
    ck_assert_int_eq(pktd_hash_final(h, got, sizeof got), (int)wl);
    ck_assert_mem_eq(got, want, wl);
}

/* --------------------------------------------------------------- hash --- */

static const char abc448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

START_TEST(test_sha256_fips180)
{
    pktd_hash *h = hash_open("sha256");
    ck_assert_uint_eq(pktd_hash_digest_size(h), 32);
    ck_assert_uint_eq(pktd_hash_block_size(h), 64);
    ck_assert_str_eq(pktd_hash_name(h), "sha256");
    expect_digest(h, (const uint8_t *)"", 0,
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect_digest(h, (const uint8_t *)"abc", 3,
                  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect_digest(h, (const uint8_t *)abc448, strlen(abc448),
                  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* No update at all: final is the digest of the empty message. */
    uint8_t md[32], want[32];
    hex_to("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", want, 32);
    ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), 32);
    ck_assert_mem_eq(md, want, 32);
    pktd_hash_close(h);
}
END_TEST

START_TEST(test_sha256_million_a)
{
    uint8_t *a = xmalloc(1000000);
    memset(a, 'a', 1000000);
    pktd_hash *h = hash_open("sha256");
    expect_digest(h, a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    uint8_t md[64], want[32];
    hex_to("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", want, 32);
    ck_assert_int_eq(hash_stream_random(h, a, 1000000, md), 32);
    ck_assert_mem_eq(md, want, 32);
    pktd_hash_close(h);
    free(a);
}
END_TEST

START_TEST(test_sha1_fips180)
{
    pktd_hash *h = hash_open("sha1");
    ck_assert_uint_eq(pktd_hash_digest_size(h), 20);
    expect_digest(h, (const uint8_t *)"abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    expect_digest(h, (const uint8_t *)abc448, strlen(abc448),
                  "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    pktd_hash_close(h);
}
END_TEST

struct rfc4231_case {
    const char *key_hex;
    size_t key_rep;       /* key_hex repeated this many times */
    const char *data;     /* text, or NULL: data_hex repeated data_rep times */
    const char *data_hex;
    size_t data_rep;
    const char *mac;
};

static const struct rfc4231_case rfc4231[] = {
    {"0b", 20, "Hi There", NULL, 0,
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {"4a656665", 1, "what do ya want for nothing?", NULL, 0,
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"aa", 20, NULL, "dd", 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
    {"0102030405060708090a0b0c0d0e0f10111213141516171819", 1, NULL, "cd", 50,
     "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
    {"0c", 20, "Test With Truncation", NULL, 0, "a3b6167473100ee06e0c796c2955552b"},
    {"aa", 131, "Test Using Larger Than Block-Size Key - Hash Key First", NULL, 0,
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {"aa", 131,
     "This is a test using a larger than block-size key and a larger than block-size data. "
     "The key needs to be hashed before being used by the HMAC algorithm.",
     NULL, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
};

START_TEST(test_hmac_rfc4231)
{
    pktd_hash *h = hash_open("hmac(sha256)");
    ck_assert_uint_eq(pktd_hash_digest_size(h), 32);
    for (size_t i = 0; i < sizeof rfc4231 / sizeof rfc4231[0]; i++) {
        const struct rfc4231_case *t = &rfc4231[i];
        uint8_t key[200], data[200], unit[32], want[32], got[64];
        size_t ul = alg_test_hex(t->key_hex, unit, sizeof unit), kl = 0, dl;
        for (size_t r = 0; r < t->key_rep; r++, kl += ul)
            memcpy(key + kl, unit, ul);
        if (t->data != NULL) {
            dl = strlen(t->data);
            memcpy(data, t->data, dl);
        } else {
            memset(data, 0, sizeof data);
            ul = alg_test_hex(t->data_hex, unit, sizeof unit);
            for (dl = 0; dl < ul * t->data_rep; dl += ul)
                memcpy(data + dl, unit, ul);
        }
        size_t ml = alg_test_hex(t->mac, want, sizeof want);
        ck_assert_int_eq(pktd_hash_setkey(h, key, kl), 0);
        /* Case 5 asks for a truncated MAC: the kernel returns the first
         * 16 bytes when the buffer is that small. */
        int rc = pktd_hash_digest(h, data, dl, got, ml);
        ck_assert_msg(rc == (int)ml, "RFC 4231 case %zu: rc %d (%s)", i + 1, rc,
                      pktd_hash_errmsg(h));
        ck_assert_msg(memcmp(got, want, ml) == 0, "RFC 4231 case %zu: wrong MAC", i + 1);
        ck_assert_int_eq(pktd_hash_update(h, data, dl / 2), 0);
        ck_assert_int_eq(pktd_hash_update(h, data + dl / 2, dl - dl / 2), 0);
        ck_assert_int_eq(pktd_hash_final(h, got, ml), (int)ml);
        ck_assert_msg(memcmp(got, want, ml) == 0, "RFC 4231 case %zu (split): wrong MAC", i + 1);
    }
    pktd_hash_close(h);
}
END_TEST

/* Every size, one-shot and in random splits, against OpenSSL. */
static void hash_vs_openssl(const char *alg, size_t max_size)
{
    uint8_t *d = xmalloc(BIG);
    alg_test_fill(d, BIG);
    pktd_hash *h = hash_open(alg);
    for (size_t i = 0; i < NSIZES; i++) {
        size_t n = sizes[i];
        if (n > max_size)
            continue;
        uint8_t want[64], got[64];
        unsigned wl = ossl_hash(alg, NULL, 0, d, n, want);
        ck_assert_uint_eq(pktd_hash_digest_size(h), wl);
        int rc = pktd_hash_digest(h, d, n, got, sizeof got);
        ck_assert_msg(rc == (int)wl, "%s size %zu: rc %d (%s)", alg, n, rc, pktd_hash_errmsg(h));
        ck_assert_msg(memcmp(got, want, wl) == 0, "%s one-shot size %zu differs", alg, n);
        ck_assert_int_eq(hash_stream_random(h, d, n, got), (int)wl);
        ck_assert_msg(memcmp(got, want, wl) == 0, "%s streamed size %zu differs", alg, n);
    }
    pktd_hash_close(h);
    free(d);
}

START_TEST(test_hash_vs_openssl)
{
    hash_vs_openssl("sha256", BIG);
    hash_vs_openssl("sha512", BIG);
    hash_vs_openssl("sha1", 65537);
    hash_vs_openssl("sha224", 65537);
    hash_vs_openssl("sha384", 65537);
    hash_vs_openssl("md5", 65537);
    hash_vs_openssl("sha3-256", 65537);
}
END_TEST

START_TEST(test_hmac_vs_openssl)
{
    static const char *algs[] = {"hmac(sha256)", "hmac(sha1)", "hmac(sha512)"};
    static const size_t keylens[] = {0, 1, 20, 32, 64, 65, 131, 200};
    uint8_t *d = xmalloc(BIG);
    alg_test_fill(d, BIG);
    for (size_t a = 0; a < 3; a++) {
        pktd_hash *h = hash_open(algs[a]);
        for (size_t k = 0; k < sizeof keylens / sizeof keylens[0]; k++) {
            uint8_t key[200], want[64], got[64];
            alg_test_fill(key, sizeof key);
            ck_assert_int_eq(pktd_hash_setkey(h, keylens[k] ? key : NULL, keylens[k]), 0);
            size_t n = sizes[(a + k) % NSIZES];
            if (a > 0 && n > 65537)
                n = 65537;
            unsigned wl = ossl_hash(algs[a], key, keylens[k], d, n, want);
            ck_assert_int_eq(pktd_hash_digest(h, d, n, got, sizeof got), (int)wl);
            ck_assert_msg(memcmp(got, want, wl) == 0, "%s key %zu size %zu", algs[a], keylens[k], n);
            ck_assert_int_eq(hash_stream_random(h, d, n, got), (int)wl);
            ck_assert_msg(memcmp(got, want, wl) == 0, "%s streamed key %zu size %zu", algs[a],
                          keylens[k], n);
        }
        pktd_hash_close(h);
    }
    free(d);
}
END_TEST

START_TEST(test_hash_clone)
{
    uint8_t d[70000], want[64], got[64];
    alg_test_fill(d, sizeof d);
    uint8_t key[37];
    alg_test_fill(key, sizeof key);

    for (int keyed = 0; keyed < 2; keyed++) {
        const char *alg = keyed ? "hmac(sha256)" : "sha256";
        pktd_hash *h = hash_open(alg);
        if (keyed)
            ck_assert_int_eq(pktd_hash_setkey(h, key, sizeof key), 0);

        /* Clone of a fresh handle: an independent fresh digest. */
        pktd_hash *fresh = NULL;
        ck_assert_int_eq(pktd_hash_clone(&fresh, h, NULL), 0);
        ck_assert_uint_eq(pktd_hash_digest_size(fresh), 32);
        unsigned wl = ossl_hash(alg, key, sizeof key, d, 1000, want);
        ck_assert_int_eq(pktd_hash_digest(fresh, d, 1000, got, sizeof got), (int)wl);
        ck_assert_mem_eq(got, want, wl);

        /* Common prefix of 66000 bytes (past 64 KiB), then two suffixes. */
        ck_assert_int_eq(pktd_hash_update(h, d, 66000), 0);
        pktd_hash *c1 = NULL, *c2 = NULL;
        ck_assert_int_eq(pktd_hash_clone(&c1, h, NULL), 0);
        ck_assert_int_eq(pktd_hash_clone(&c2, c1, NULL), 0); /* a clone of a clone */
        ck_assert_int_eq(pktd_hash_digest(c1, d, 1, got, sizeof got), PKTD_E_BAD_STATE);

        ck_assert_int_eq(pktd_hash_update(h, d + 66000, 4000), 0);
        ck_assert_int_eq(pktd_hash_final(h, got, sizeof got), (int)wl);
        ossl_hash(alg, key, sizeof key, d, 70000, want);
        ck_assert_mem_eq(got, want, wl);

        /* The parent is gone; the clones keep their state and the key. */
        pktd_hash_close(h);
        ck_assert_int_eq(pktd_hash_final(c1, got, sizeof got), (int)wl);
        ossl_hash(alg, key, sizeof key, d, 66000, want);
        ck_assert_mem_eq(got, want, wl);
        ck_assert_int_eq(pktd_hash_update(c2, d + 66000, 7), 0);
        ck_assert_int_eq(pktd_hash_final(c2, got, sizeof got), (int)wl);
        ossl_hash(alg, key, sizeof key, d, 66007, want);
        ck_assert_mem_eq(got, want, wl);
        /* A finished clone is an ordinary handle. */
        ck_assert_int_eq(pktd_hash_digest(c1, d, 5, got, sizeof got), (int)wl);
        ossl_hash(alg, key, sizeof key, d, 5, want);
        ck_assert_mem_eq(got, want, wl);
        pktd_hash_close(c1);
        pktd_hash_close(c2);
        pktd_hash_close(fresh);
    }
}
END_TEST

START_TEST(test_hash_rekey)
{
    uint8_t k1[16], k2[40], d[3000], want[64], got[64];
    alg_test_fill(k1, sizeof k1);
    alg_test_fill(k2, sizeof k2);
    alg_test_fill(d, sizeof d);
    pktd_hash *h = hash_open("hmac(sha256)");
    ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), 0);
    ck_assert_int_eq(pktd_hash_digest(h, d, sizeof d, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k1, sizeof k1, d, sizeof d, want);
    ck_assert_mem_eq(got, want, 32);
    /* Re-key after use, and mid-stream (the partial digest is dropped). */
    ck_assert_int_eq(pktd_hash_update(h, d, 100), 0);
    ck_assert_int_eq(pktd_hash_setkey(h, k2, sizeof k2), 0);
    ck_assert_int_eq(pktd_hash_digest(h, d, sizeof d, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k2, sizeof k2, d, sizeof d, want);
    ck_assert_mem_eq(got, want, 32);

    /* A clone made mid-message finishes that message on the original's
     * transform: the kernel refuses a new key for the original (EBUSY),
     * which keeps the old one, until the clone's message ends. */
    pktd_hash *c = NULL;
    ck_assert_int_eq(pktd_hash_update(h, d, 10), 0);
    ck_assert_int_eq(pktd_hash_clone(&c, h, NULL), 0);
    ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), -EBUSY);
    ck_assert_ptr_nonnull(strstr(pktd_hash_errmsg(h), "ALG_SET_KEY"));
    ck_assert_int_eq(pktd_hash_digest(h, d, sizeof d, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k2, sizeof k2, d, sizeof d, want);
    ck_assert_mem_eq(got, want, 32);
    ck_assert_int_eq(pktd_hash_final(c, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k2, sizeof k2, d, 10, want);
    ck_assert_mem_eq(got, want, 32);
    ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), 0);
    ck_assert_int_eq(pktd_hash_digest(h, d, sizeof d, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k1, sizeof k1, d, sizeof d, want);
    ck_assert_mem_eq(got, want, 32);
    /* The clone, its message over, still has k2. */
    ck_assert_int_eq(pktd_hash_digest(c, d, sizeof d, got, sizeof got), 32);
    ossl_hash("hmac(sha256)", k2, sizeof k2, d, sizeof d, want);
    ck_assert_mem_eq(got, want, 32);
    pktd_hash_close(c);
    pktd_hash_close(h);
}
END_TEST

/* HMAC-SHA-256 of msg under key, from libcrypto, compared with got. */
static void assert_hmac(const uint8_t *got, const uint8_t *key, size_t keylen, const char *msg,
                        const char *what)
{
    uint8_t want[64];
    ossl_hash("hmac(sha256)", key, keylen, (const uint8_t *)msg, strlen(msg), want);
    ck_assert_msg(memcmp(got, want, 32) == 0, "%s: not HMAC under its own key", what);
}

/* Issue 11: a clone keeps its own key.  Re-keying the original must not
 * change the clone's HMAC, nor re-keying the clone the original's, for a
 * clone of a fresh handle, a clone made mid-message (after its message),
 * and a clone whose original was closed. */
START_TEST(test_hash_clone_own_key)
{
    static const uint8_t k1[] = "key one", k2[] = "the second key", k3[] = "third";
    uint8_t md[64];
    for (int direction = 0; direction < 2; direction++) {
        for (int mid = 0; mid < 2; mid++) {
            pktd_hash *h = hash_open("hmac(sha256)");
            ck_assert_int_eq(pktd_hash_setkey(h, k1, sizeof k1), 0);
            pktd_hash *c = NULL;
            if (mid) {
                ck_assert_int_eq(pktd_hash_update(h, (const uint8_t *)"ab", 2), 0);
                ck_assert_int_eq(pktd_hash_clone(&c, h, NULL), 0);
                ck_assert_int_eq(pktd_hash_update(c, (const uint8_t *)"c", 1), 0);
                ck_assert_int_eq(pktd_hash_final(c, md, sizeof md), 32);
                assert_hmac(md, k1, sizeof k1, "abc", "clone's first message");
                pktd_hash_reset(h);
            } else {
                ck_assert_int_eq(pktd_hash_clone(&c, h, NULL), 0);
            }
            pktd_hash *rekeyed = direction == 0 ? h : c;
            pktd_hash *other = direction == 0 ? c : h;
            ck_assert_int_eq(pktd_hash_setkey(rekeyed, k2, sizeof k2), 0);
            ck_assert_int_eq(pktd_hash_digest(other, (const uint8_t *)"abc", 3, md, sizeof md),
                             32);
            assert_hmac(md, k1, sizeof k1, "abc", direction == 0 ? "clone after rekeying "
                                                                   "the original"
                                                                 : "original after rekeying "
                                                                   "the clone");
            ck_assert_int_eq(pktd_hash_digest(rekeyed, (const uint8_t *)"abc", 3, md, sizeof md),
                             32);
            assert_hmac(md, k2, sizeof k2, "abc", "the re-keyed handle");
            /* And once more, now that both have been used. */
            ck_assert_int_eq(pktd_hash_setkey(other, k3, sizeof k3), 0);
            ck_assert_int_eq(pktd_hash_digest(rekeyed, (const uint8_t *)"abc", 3, md, sizeof md),
                             32);
            assert_hmac(md, k2, sizeof k2, "abc", "the re-keyed handle after the other's rekey");
            ck_assert_int_eq(pktd_hash_digest(other, (const uint8_t *)"abc", 3, md, sizeof md),
                             32);
            assert_hmac(md, k3, sizeof k3, "abc", "the other handle's new key");
            /* A clone of a clone has the key of the handle it was made from,
             * and outlives it. */
            pktd_hash *cc = NULL;
            ck_assert_int_eq(pktd_hash_clone(&cc, rekeyed, NULL), 0);
            pktd_hash_close(h);
            pktd_hash_close(c);
            ck_assert_int_eq(pktd_hash_digest(cc, (const uint8_t *)"abc", 3, md, sizeof md), 32);
            assert_hmac(md, k2, sizeof k2, "abc", "clone of the re-keyed handle");
            pktd_hash_close(cc);
        }
    }
}
END_TEST

START_TEST(test_hash_errors)
{
    uint8_t md[64], key[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    int cause = 12345;

    /* Keyed hash without a key: ENOKEY, which counts as "unavailable". */
    pktd_hash *h = hash_open("hmac(sha256)");
    int rc = pktd_hash_digest(h, (const uint8_t *)"x", 1, md, sizeof md);
    ck_assert_int_eq(rc, -ENOKEY);
    ck_assert_int_eq(pktd_alg_is_unavailable(rc), 1);
    ck_assert_ptr_nonnull(strstr(pktd_hash_errmsg(h), "hmac(sha256)"));
    ck_assert_ptr_nonnull(strstr(pktd_hash_errmsg(h), pktd_alg_strerror(-ENOKEY)));
    ck_assert_int_eq(pktd_hash_update(h, (const uint8_t *)"x", 1), -ENOKEY);
    ck_assert_int_eq(pktd_hash_final(h, md, sizeof md), -ENOKEY);
    ck_assert_int_eq(pktd_hash_setkey(h, key, sizeof key), 0);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"x", 1, md, sizeof md), 32);
    pktd_hash_close(h);

    ck_assert_int_eq(pktd_alg_probe("hash", "hmac(sha256)", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -ENOKEY);
    ck_assert_int_eq(pktd_alg_probe("hash", "hmac(sha256)", key, sizeof key, &cause, NULL), 0);
    ck_assert_int_eq(cause, 0);
    ck_assert_int_eq(pktd_alg_probe("hash", "sha256", NULL, 0, &cause, NULL), 0);
    ck_assert_int_eq(pktd_alg_probe("hash", "sha256", key, sizeof key, &cause, NULL), -ENOSYS);

    /* Unknown algorithm: bind fails with ENOENT. */
    pktd_hash *u = (pktd_hash *)&cause;
    ck_assert_int_eq(pktd_hash_open(&u, "nosuchhash", NULL), -ENOENT);
    ck_assert_ptr_null(u);
    /* R8: the first message says which call, on what, why, and what it
     * means for AF_ALG. */
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_hash_open(&u, "nosuchhash", err), -ENOENT);
    ck_assert_msg(strstr(err, "bind(nosuchhash): ") == err &&
                      strstr(err, pktd_alg_strerror(-ENOENT)) != NULL,
                  "%s", err);
    ck_assert_int_eq(pktd_alg_probe(PKTD_ALG_TYPE_SKCIPHER, "cbc(aes)", NULL, 0, &cause, err),
                     PKTD_E_UNAVAILABLE);
    ck_assert_msg(strstr(err, "cbc(aes)") != NULL && strstr(err, pktd_alg_strerror(-ENOKEY)),
                  "%s", err);
    ck_assert_int_eq(pktd_alg_probe(PKTD_ALG_TYPE_HASH, "sha256", NULL, 0, &cause, err), 0);
    ck_assert_str_eq(err, "");
    ck_assert_int_eq(pktd_alg_probe("hash", "nosuchhash", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -ENOENT);
    ck_assert_int_eq(pktd_alg_probe("hash", "cbc(aes)", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -ENOENT);
    ck_assert_int_eq(pktd_hash_open(&u, "0123456789012345678901234567890123456789012345678901234567890123", NULL),
                     PKTD_E_INVALID_ARGUMENT);

    /* An unkeyed hash refuses a key and stays usable. */
    h = hash_open("sha256");
    ck_assert_int_eq(pktd_hash_setkey(h, key, sizeof key), -ENOSYS);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, sizeof md), 32);
    ck_assert_uint_eq(md[0], 0xba);
    /* Digest in the middle of an update sequence, then reset. */
    ck_assert_int_eq(pktd_hash_update(h, (const uint8_t *)"zzz", 3), 0);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, sizeof md),
                     PKTD_E_BAD_STATE);
    pktd_hash_reset(h);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, sizeof md), 32);
    ck_assert_uint_eq(md[0], 0xba);
    /* Buffer sizes: 0 is invalid, more than the digest gets the digest. */
    ck_assert_int_eq(pktd_hash_final(h, md, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_digest(h, NULL, 1, md, sizeof md), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_digest(h, (const uint8_t *)"abc", 3, md, 5), 5);
    ck_assert_uint_eq(md[4], 0x8f);
    pktd_hash_close(h);
}
END_TEST

START_TEST(test_hash_sizes_from_proc)
{
    static const struct {
        const char *name;
        uint32_t digest, block;
    } t[] = {{"md5", 16, 64},       {"sha1", 20, 64},      {"sha224", 28, 64},
             {"sha256", 32, 64},    {"sha384", 48, 128},   {"sha512", 64, 128},
             {"sha3-256", 32, 136}, {"hmac(sha1)", 20, 64}, {"hmac(sha512)", 64, 128}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        pktd_hash *h = hash_open(t[i].name);
        ck_assert_uint_eq(pktd_hash_digest_size(h), t[i].digest);
        ck_assert_uint_eq(pktd_hash_block_size(h), t[i].block);
        pktd_hash_close(h);
    }
    /* crc32c is not in the built-in table: its sizes come from
     * /proc/crypto.  Check value of CRC-32C("123456789") is 0xe3069283,
     * which the kernel stores little-endian. */
    pktd_hash *h = hash_open("crc32c");
    ck_assert_uint_eq(pktd_hash_digest_size(h), 4);
    ck_assert_uint_eq(pktd_hash_block_size(h), 1);
    expect_digest(h, (const uint8_t *)"123456789", 9, "839206e3");
    pktd_hash_close(h);
}
END_TEST

struct thread_job {
    pktd_hash *h;
    const uint8_t *d;
    size_t off;
    int ok;
};

static void *thread_main(void *arg)
{
    struct thread_job *j = arg;
    uint8_t got[64], want[64];
    j->ok = 1;
    /* Continue the shared prefix with this thread's own suffix. */
    if (pktd_hash_update(j->h, j->d + j->off, 5000) != 0 ||
        pktd_hash_final(j->h, got, sizeof got) != 32)
        j->ok = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned wl = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    EVP_DigestUpdate(ctx, j->d, 1000);
    EVP_DigestUpdate(ctx, j->d + j->off, 5000);
    EVP_DigestFinal_ex(ctx, want, &wl);
    EVP_MD_CTX_free(ctx);
    if (memcmp(got, want, 32) != 0)
        j->ok = 0;
    for (int i = 0; i < 50 && j->ok; i++) {
        size_t n = (size_t)i * 37;
        if (pktd_hash_digest(j->h, j->d + j->off, n, got, sizeof got) != 32)
            j->ok = 0;
        EVP_Digest(j->d + j->off, n, want, &wl, EVP_sha256(), NULL);
        if (memcmp(got, want, 32) != 0)
            j->ok = 0;
    }
    return NULL;
}

START_TEST(test_hash_threads_with_clones)
{
    enum { N = 4 };
    static uint8_t d[1000 + N * 5000];
    alg_test_fill(d, sizeof d);
    pktd_hash *h = hash_open("sha256");
    ck_assert_int_eq(pktd_hash_update(h, d, 1000), 0);
    pthread_t th[N];
    struct thread_job jobs[N];
    for (int i = 0; i < N; i++) {
        jobs[i].d = d;
        jobs[i].off = 1000 + (size_t)i * 5000;
        ck_assert_int_eq(pktd_hash_clone(&jobs[i].h, h, NULL), 0);
    }
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        ck_assert_msg(jobs[i].ok, "thread %d computed a wrong digest", i);
        pktd_hash_close(jobs[i].h);
    }
    pktd_hash_close(h);
}
END_TEST

/* ------------------------------------------------------------- cipher --- */

static const char *sp_plain = "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51 "
                              "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710";
static const char *key128 = "2b7e151628aed2a6abf7158809cf4f3c";
static const char *key256 = "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";

/* Known answer both ways, one-shot and streamed block by block. */
static void cipher_kat(const char *alg, const char *khex, const char *ivhex, const char *phex,
                       const char *chex)
{
    uint8_t key[32], iv[16], p[64], c[64], out[64 + 16];
    size_t kl = alg_test_hex(khex, key, sizeof key);
    size_t il = alg_test_hex(ivhex, iv, sizeof iv);
    size_t pl = alg_test_hex(phex, p, sizeof p);
    ck_assert_uint_eq(alg_test_hex(chex, c, sizeof c), pl);
    pktd_cipher *h = cipher_open(alg, key, kl);
    ck_assert_uint_eq(pktd_cipher_iv_size(h), il);
    ck_assert_int_eq(pktd_cipher_encrypt(h, iv, il, p, pl, out), 0);
    ck_assert_msg(memcmp(out, c, pl) == 0, "%s encrypt KAT", alg);
    ck_assert_int_eq(pktd_cipher_decrypt(h, iv, il, c, pl, out), 0);
    ck_assert_msg(memcmp(out, p, pl) == 0, "%s decrypt KAT", alg);
    for (int dir = 0; dir < 2; dir++) {
        const uint8_t *in = dir ? p : c, *want = dir ? c : p;
        size_t done = 0, total = 0, fed = 0;
        ck_assert_int_eq(pktd_cipher_begin(h, (uint32_t)dir, iv, il), 0);
        for (; pl - fed > 16; fed += 16) {
            ck_assert_int_eq(pktd_cipher_update(h, in + fed, 16, out + total, 31, &done), 0);
            ck_assert_uint_eq(done, 16);
            total += done;
        }
        ck_assert_int_eq(pktd_cipher_end(h, in + fed, pl - fed, out + total, sizeof out - total,
                                         &done),
                         0);
        total += done;
        ck_assert_uint_eq(total, pl);
        ck_assert_msg(memcmp(out, want, pl) == 0, "%s streamed KAT dir %d", alg, dir);
    }
    pktd_cipher_close(h);
}

START_TEST(test_sp800_38a)
{
    const char *iv = "000102030405060708090a0b0c0d0e0f";
    const char *ctr = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
    cipher_kat("cbc(aes)", key128, iv, sp_plain,
               "7649abac8119b246cee98e9b12e9197d 5086cb9b507219ee95db113a917678b2 "
               "73bed6b8e3c1743b7116e69e22229516 3ff1caa1681fac09120eca307586e1a7");
    cipher_kat("cbc(aes)", key256, iv, sp_plain,
               "f58c4c04d6e5f1ba779eabfb5f7bfbd6 9cfc4e967edb808d679f777bc6702c7d "
               "39f23369a9d9bacfa530e26304231461 b2eb05e2c39be9fcda6c19078c6a9d1b");
    cipher_kat("ctr(aes)", key128, ctr, sp_plain,
               "874d6191b620e3261bef6864990db6ce 9806f66b7970fdff8617187bb9fffdff "
               "5ae4df3edbd5d35e5b4f09020db03eab 1e031dda2fbe03d1792170a0f3009cee");
    cipher_kat("ctr(aes)", key256, ctr, sp_plain,
               "601ec313775789a5b7a7f504bbf3d228 f443e3ca4d62b59aca84e990cacaf5c5 "
               "2b0930daa23de94ce87017ba2d84988d dfc9c58db67aada613c2dd08457941a6");
}
END_TEST

START_TEST(test_rfc3602)
{
    uint8_t p[64];
    char phex[129];
    const char *t1 = "Single block msg";
    for (size_t i = 0; i < 16; i++)
        snprintf(phex + 2 * i, 3, "%02x", (unsigned char)t1[i]);
    cipher_kat("cbc(aes)", "06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
               phex, "e353779c1079aeb82708942dbe77181a");
    for (size_t i = 0; i < 32; i++)
        snprintf(phex + 2 * i, 3, "%02zx", i);
    cipher_kat("cbc(aes)", "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
               phex, "d296cd94c2cccf8a3a863028b5e1dc0a 7586602d253cfff91b8266bea6d61ab1");
    const char *t3 = "This is a 48-byte message (exactly 3 AES blocks)";
    ck_assert_uint_eq(strlen(t3), 48);
    for (size_t i = 0; i < 48; i++)
        snprintf(phex + 2 * i, 3, "%02x", (unsigned char)t3[i]);
    cipher_kat("cbc(aes)", "6c3ea0477630ce21a2ce334aa746c2cd", "c782dc4c098c66cbd9cd27d825682c81",
               phex,
               "d0a02b3836451753d493665d33f0e886 2dea54cdb293abc7506939276772f8d5 "
               "021c19216bad525c8579695d83ba2684");
    for (size_t i = 0; i < 64; i++)
        p[i] = (uint8_t)(0xa0 + i);
    for (size_t i = 0; i < 64; i++)
        snprintf(phex + 2 * i, 3, "%02x", p[i]);
    cipher_kat("cbc(aes)", "56e47a38c5598974bc46903dba290349", "8ce82eefbea0da3c44699ed7db51b7d9",
               phex,
               "c30e32ffedc0774e6aff6af0869f71aa 0f3af07a9a31a9c684db207eb0ef8e4e "
               "35907aa632c3ffdf868bb7b29d3d46ad 83ce9f9a102ee99d49a53e87f4c3da55");
}
END_TEST

/* One mode against OpenSSL: every size, both directions, one-shot,
 * in place, and streamed in random splits. */
static void cipher_vs_openssl(const char *mode, size_t keylen, size_t max_size)
{
    char alg[32];
    snprintf(alg, sizeof alg, "%s(aes)", mode);
    uint8_t key[32], iv[16];
    alg_test_fill(key, sizeof key);
    alg_test_fill(iv, sizeof iv);
    int ecb = strcmp(mode, "ecb") == 0, whole = ecb || strcmp(mode, "cbc") == 0;
    const uint8_t *ivp = ecb ? NULL : iv;
    size_t ivlen = ecb ? 0 : 16;
    uint8_t *in = xmalloc(BIG), *want = xmalloc(BIG), *out = xmalloc(BIG);
    alg_test_fill(in, BIG);
    pktd_cipher *c = cipher_open(alg, key, keylen);
    ck_assert_int_eq(pktd_cipher_can_stream(c), 1);
    ck_assert_uint_eq(pktd_cipher_max_len(c), SIZE_MAX);
    for (size_t i = 0; i < NSIZES; i++) {
        size_t n = sizes[i];
        if (n > max_size)
            continue;
        if (whole && n % 16 != 0) {
            /* Non-block-multiple CBC/ECB: refused before the kernel sees it. */
            ck_assert_int_eq(pktd_cipher_encrypt(c, ivp, ivlen, in, n, out),
                             PKTD_E_INVALID_ARGUMENT);
            ck_assert_ptr_nonnull(strstr(pktd_cipher_errmsg(c), "block"));
            n -= n % 16; /* and the whole blocks below it */
        }
        for (int enc = 1; enc >= 0; enc--) {
            ossl_crypt(mode, key, keylen, iv, enc, in, n, want);
            int rc = enc ? pktd_cipher_encrypt(c, ivp, ivlen, in, n, out)
                         : pktd_cipher_decrypt(c, ivp, ivlen, in, n, out);
            ck_assert_msg(rc == 0, "%s-%zu size %zu enc %d: %s", alg, keylen * 8, n, enc,
                          pktd_cipher_errmsg(c));
            ck_assert_msg(memcmp(out, want, n) == 0, "%s-%zu one-shot size %zu enc %d differs",
                          alg, keylen * 8, n, enc);
            memcpy(out, in, n);
            rc = enc ? pktd_cipher_encrypt(c, ivp, ivlen, out, n, out)
                     : pktd_cipher_decrypt(c, ivp, ivlen, out, n, out);
            ck_assert_int_eq(rc, 0);
            ck_assert_msg(memcmp(out, want, n) == 0, "%s in place size %zu differs", alg, n);
            memset(out, 0, n);
            cipher_stream_random(c, (uint32_t)enc, ivp, ivlen, in, n, out);
            ck_assert_msg(memcmp(out, want, n) == 0, "%s-%zu streamed size %zu enc %d differs",
                          alg, keylen * 8, n, enc);
        }
    }
    pktd_cipher_close(c);
    free(in);
    free(want);
    free(out);
}

START_TEST(test_cbc_vs_openssl)
{
    cipher_vs_openssl("cbc", 16, BIG);
    cipher_vs_openssl("cbc", 24, 65537);
    cipher_vs_openssl("cbc", 32, 65537);
}
END_TEST

START_TEST(test_ctr_vs_openssl)
{
    cipher_vs_openssl("ctr", 16, BIG);
    cipher_vs_openssl("ctr", 24, 65537);
    cipher_vs_openssl("ctr", 32, 65537);
}
END_TEST

START_TEST(test_ecb_vs_openssl)
{
    cipher_vs_openssl("ecb", 16, 65537);
    cipher_vs_openssl("ecb", 32, 65537);
}
END_TEST

START_TEST(test_xts)
{
    static const size_t xsizes[] = {16, 17, 31, 512, 4096, 65535, 65536};
    uint8_t key[64], iv[16];
    uint8_t *in = xmalloc(65537), *want = xmalloc(65537), *out = xmalloc(65537);
    alg_test_fill(in, 65537);
    for (size_t kl = 32; kl <= 64; kl += 32) {
        alg_test_fill(key, sizeof key);
        alg_test_fill(iv, sizeof iv);
        pktd_cipher *c = cipher_open("xts(aes)", key, kl);
        ck_assert_int_eq(pktd_cipher_can_stream(c), 0);
        ck_assert_uint_eq(pktd_cipher_max_len(c), 65536);
        ck_assert_uint_eq(pktd_cipher_key_min(c), 32);
        ck_assert_uint_eq(pktd_cipher_key_max(c), 64);
        for (size_t i = 0; i < sizeof xsizes / sizeof xsizes[0]; i++) {
            size_t n = xsizes[i];
            for (int enc = 1; enc >= 0; enc--) {
                ossl_crypt("xts", key, kl, iv, enc, in, n, want);
                int rc = enc ? pktd_cipher_encrypt(c, iv, 16, in, n, out)
                             : pktd_cipher_decrypt(c, iv, 16, in, n, out);
                ck_assert_msg(rc == 0, "xts size %zu: %s", n, pktd_cipher_errmsg(c));
                ck_assert_msg(memcmp(out, want, n) == 0, "xts-%zu size %zu enc %d differs", kl,
                              n, enc);
            }
        }
        /* XTS cannot be split: one request per message, no streaming. */
        ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, 65537, out), PKTD_E_TOO_LARGE);
        ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16), PKTD_E_UNSUPPORTED);
        /* Below one block the kernel refuses; the handle recovers. */
        ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, 15, out), -EINVAL);
        ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, 4096, out), 0);
        ossl_crypt("xts", key, kl, iv, 1, in, 4096, want);
        ck_assert_mem_eq(out, want, 4096);
        pktd_cipher_close(c);
    }
    free(in);
    free(want);
    free(out);
}
END_TEST

START_TEST(test_cipher_sizes_from_proc)
{
    /* rfc3686(ctr(aes)) is not in the built-in table: its sizes come from
     * /proc/crypto.  RFC 3686 test vector #1; the key is the AES key
     * followed by the 4-byte nonce. */
    uint8_t key[20], iv[8], p[16], want[16], out[16];
    hex_to("ae6852f8121067cc4bf7a5765577f39e 00000030", key, 20);
    memset(iv, 0, sizeof iv);
    memcpy(p, "Single block msg", 16);
    hex_to("e4095d4fb7a7b3792d6175a3261311b8", want, 16);
    pktd_cipher *c = cipher_open("rfc3686(ctr(aes))", key, sizeof key);
    ck_assert_uint_eq(pktd_cipher_iv_size(c), 8);
    ck_assert_uint_eq(pktd_cipher_block_size(c), 1);
    ck_assert_uint_eq(pktd_cipher_chunk_size(c), 16);
    ck_assert_uint_eq(pktd_cipher_key_min(c), 20);
    ck_assert_uint_eq(pktd_cipher_key_max(c), 36);
    /* Not known to carry its IV across requests: one request per call. */
    ck_assert_int_eq(pktd_cipher_can_stream(c), 0);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 8, p, 16, out), 0);
    ck_assert_mem_eq(out, want, 16);
    /* And against OpenSSL's CTR with the counter block nonce|iv|1. */
    uint8_t *in = xmalloc(40000), *o = xmalloc(40000), *w = xmalloc(40000), cb[16];
    alg_test_fill(in, 40000);
    alg_test_fill(key, 16);
    alg_test_fill(iv, 8);
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 20), 0);
    memcpy(cb, key + 16, 4);
    memcpy(cb + 4, iv, 8);
    memcpy(cb + 12, "\0\0\0\1", 4);
    ossl_crypt("ctr", key, 16, cb, 1, in, 39999, w);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 8, in, 39999, o), 0);
    ck_assert_mem_eq(o, w, 39999);
    pktd_cipher_close(c);
    free(in);
    free(o);
    free(w);
}
END_TEST

START_TEST(test_cipher_errors)
{
    uint8_t key[64], iv[17], buf[64], out[64];
    size_t done = 7;
    int cause = 99;
    alg_test_fill(key, sizeof key);
    alg_test_fill(iv, sizeof iv);
    alg_test_fill(buf, sizeof buf);

    pktd_cipher *c = cipher_open("cbc(aes)", NULL, 0);
    ck_assert_uint_eq(pktd_cipher_iv_size(c), 16);
    ck_assert_uint_eq(pktd_cipher_block_size(c), 16);
    ck_assert_uint_eq(pktd_cipher_chunk_size(c), 16);
    ck_assert_str_eq(pktd_cipher_name(c), "cbc(aes)");
    /* No key yet: ENOKEY, "unavailable". */
    int rc = pktd_cipher_encrypt(c, iv, 16, buf, 16, out);
    ck_assert_int_eq(rc, -ENOKEY);
    ck_assert_int_eq(pktd_alg_is_unavailable(rc), 1);
    /* Wrong key sizes: the kernel says EINVAL; the handle stays usable. */
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 15), -EINVAL);
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 20), -EINVAL);
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 33), -EINVAL);
    ck_assert_int_eq(pktd_cipher_setkey(c, NULL, 16), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 16), 0);
    /* Wrong IV sizes are refused before any system call. */
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 15, buf, 16, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 17, buf, 16, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 0, buf, 16, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, NULL, 16, buf, 16, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 8), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_begin(c, 2, iv, 16), PKTD_E_INVALID_ARGUMENT);
    /* Non-block-multiple CBC. */
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 17, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_decrypt(c, iv, 16, buf, 1, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 0, out), 0);
    /* Stream state errors. */
    ck_assert_int_eq(pktd_cipher_update(c, buf, 16, out, 64, &done), PKTD_E_BAD_STATE);
    ck_assert_uint_eq(done, 0);
    ck_assert_int_eq(pktd_cipher_end(c, buf, 16, out, 64, &done), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16), 0);
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 16, out), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_cipher_update(c, buf, 20, out, 15, &done), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_update(c, buf, 20, out, 35, &done), 0);
    ck_assert_uint_eq(done, 16);
    /* 4 bytes pending + 11 is not whole blocks: refused, stream intact. */
    ck_assert_int_eq(pktd_cipher_end(c, buf + 20, 11, out + 16, 48, &done),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_end(c, buf + 20, 12, out + 16, 15, &done),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_end(c, buf + 20, 12, out + 16, 48, &done), 0);
    ck_assert_uint_eq(done, 16);
    uint8_t want[32];
    ossl_crypt("cbc", key, 16, iv, 1, buf, 32, want);
    ck_assert_mem_eq(out, want, 32);
    /* Reset abandons a stream. */
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_DECRYPT, iv, 16), 0);
    ck_assert_int_eq(pktd_cipher_update(c, buf, 5, out, 64, &done), 0);
    pktd_cipher_reset(c);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 32, out), 0);
    ck_assert_mem_eq(out, want, 32);
    pktd_cipher_close(c);

    /* ecb takes no IV. */
    c = cipher_open("ecb(aes)", key, 16);
    ck_assert_uint_eq(pktd_cipher_iv_size(c), 0);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 16, out), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(c, NULL, 0, buf, 16, out), 0);
    pktd_cipher_close(c);

    /* xts keys are two AES keys. */
    c = cipher_open("xts(aes)", NULL, 0);
    ck_assert_int_eq(pktd_cipher_setkey(c, key, 16), -EINVAL);
    pktd_cipher_close(c);

    /* Unknown algorithms, and the probe. */
    pktd_cipher *u = NULL;
    ck_assert_int_eq(pktd_cipher_open(&u, "cbc(nosuchcipher)", NULL), -ENOENT);
    ck_assert_ptr_null(u);
    ck_assert_int_eq(pktd_cipher_open(&u, "sha256", NULL), -ENOENT);
    ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(nosuchcipher)", key, 16, &cause, NULL),
                     PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -ENOENT);
    ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(aes)", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -ENOKEY);
    ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(aes)", key, 16, &cause, NULL), 0);
    ck_assert_int_eq(cause, 0);
    ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(aes)", key, 17, &cause, NULL), -EINVAL);
    ck_assert_int_eq(pktd_alg_probe("aead", "gcm(aes)", NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
}
END_TEST

START_TEST(test_cipher_rekey)
{
    uint8_t k1[16], k2[32], iv[16], in[4096], out[4096], want[4096];
    alg_test_fill(k1, sizeof k1);
    alg_test_fill(k2, sizeof k2);
    alg_test_fill(iv, sizeof iv);
    alg_test_fill(in, sizeof in);
    pktd_cipher *c = cipher_open("ctr(aes)", k1, sizeof k1);
    for (int round = 0; round < 3; round++) {
        const uint8_t *k = round % 2 ? k2 : k1;
        size_t kl = round % 2 ? sizeof k2 : sizeof k1;
        if (round > 0)
            ck_assert_int_eq(pktd_cipher_setkey(c, k, kl), 0);
        ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, sizeof in, out), 0);
        ossl_crypt("ctr", k, kl, iv, 1, in, sizeof in, want);
        ck_assert_mem_eq(out, want, sizeof in);
    }
    /* Re-key in the middle of a stream abandons it. */
    size_t done;
    ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16), 0);
    ck_assert_int_eq(pktd_cipher_update(c, in, 100, out, 200, &done), 0);
    ck_assert_int_eq(pktd_cipher_setkey(c, k2, sizeof k2), 0);
    ck_assert_int_eq(pktd_cipher_update(c, in, 100, out, 200, &done), PKTD_E_BAD_STATE);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, sizeof in, out), 0);
    ossl_crypt("ctr", k2, sizeof k2, iv, 1, in, sizeof in, want);
    ck_assert_mem_eq(out, want, sizeof in);
    pktd_cipher_close(c);
}
END_TEST

/* libkcapi issue 88: a single thread that queues more than the socket send
 * buffer blocks forever.  Shrink the buffers system-wide (VM only), then
 * run large one-shot and streamed operations: they must finish (the Check
 * timeout catches a hang) and match OpenSSL. */
static int write_sysctl(const char *path, long v)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    int rc = fprintf(f, "%ld\n", v) > 0 ? 0 : -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static long read_sysctl(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f != NULL) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

START_TEST(test_small_socket_buffers)
{
    const char *dflt = "/proc/sys/net/core/wmem_default", *max = "/proc/sys/net/core/wmem_max";
    const char *allow = getenv("PKTD_ALG_TEST_SYSCTL");
    if (allow == NULL || strcmp(allow, "1") != 0) {
        fprintf(stderr, "test_small_socket_buffers: PKTD_ALG_TEST_SYSCTL unset, system-wide "
                        "buffer limits left alone (the VM run sets it)\n");
        return;
    }
    long old_d = read_sysctl(dflt), old_m = read_sysctl(max);
    ck_assert_int_gt(old_d, 0);
    ck_assert_int_eq(write_sysctl(dflt, 8192), 0);
    ck_assert_int_eq(write_sysctl(max, 8192), 0);

    uint8_t key[16], iv[16];
    alg_test_fill(key, sizeof key);
    alg_test_fill(iv, sizeof iv);
    uint8_t *in = xmalloc(BIG), *out = xmalloc(BIG), *want = xmalloc(BIG);
    alg_test_fill(in, BIG);
    pktd_cipher *c = cipher_open("ctr(aes)", key, sizeof key);
    pktd_cipher *b = cipher_open("cbc(aes)", key, sizeof key);
    ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, in, BIG, out), 0);
    ossl_crypt("ctr", key, 16, iv, 1, in, BIG, want);
    ck_assert_int_eq(memcmp(out, want, BIG), 0);
    ck_assert_int_eq(pktd_cipher_decrypt(b, iv, 16, in, MIB, out), 0);
    ossl_crypt("cbc", key, 16, iv, 0, in, MIB, want);
    ck_assert_int_eq(memcmp(out, want, MIB), 0);
    cipher_stream_random(b, PKTD_CIPHER_ENCRYPT, iv, 16, in, 300000, out);
    ossl_crypt("cbc", key, 16, iv, 1, in, 300000, want);
    ck_assert_int_eq(memcmp(out, want, 300000), 0);
    pktd_cipher *x = cipher_open("xts(aes)", NULL, 0);
    /* With a 16 KiB buffer one XTS request holds less than 64 KiB. */
    ck_assert_uint_lt(pktd_cipher_max_len(x), 65536);
    ck_assert_uint_gt(pktd_cipher_max_len(x), 4096);
    pktd_cipher_close(x);
    pktd_cipher_close(c);
    pktd_cipher_close(b);
    write_sysctl(dflt, old_d);
    write_sysctl(max, old_m);
    free(in);
    free(out);
    free(want);
}
END_TEST

/* Descriptors: every one the library opens is close-on-exec, and none is
 * left behind, on success or on any error path. */
START_TEST(test_descriptor_hygiene)
{
    struct alg_test_fds before;
    alg_test_fds_take(&before);
    uint8_t key[32], iv[16], buf[256], md[64];
    size_t done;
    int cause, cloexec_missing = 0;
    alg_test_fill(key, sizeof key);
    alg_test_fill(iv, sizeof iv);
    alg_test_fill(buf, sizeof buf);

    for (int round = 0; round < 20; round++) {
        pktd_hash *h = NULL, *c1 = NULL, *u = NULL;
        pktd_cipher *c = NULL, *x = NULL, *uc = NULL;
        ck_assert_int_eq(pktd_hash_open(&h, "hmac(sha256)", NULL), 0);
        ck_assert_int_eq(pktd_hash_digest(h, buf, 10, md, sizeof md), -ENOKEY);
        ck_assert_int_eq(pktd_hash_setkey(h, key, 32), 0);
        ck_assert_int_eq(pktd_hash_update(h, buf, 100), 0);
        ck_assert_int_eq(pktd_hash_clone(&c1, h, NULL), 0);
        ck_assert_int_eq(pktd_hash_setkey(h, key, 16), -EBUSY);
        ck_assert_int_eq(pktd_hash_open(&u, "nosuchhash", NULL), -ENOENT);
        ck_assert_int_eq(pktd_cipher_open(&c, "cbc(aes)", NULL), 0);
        ck_assert_int_eq(pktd_cipher_encrypt(c, iv, 16, buf, 16, buf), -ENOKEY);
        ck_assert_int_eq(pktd_cipher_setkey(c, key, 15), -EINVAL);
        ck_assert_int_eq(pktd_cipher_setkey(c, key, 32), 0);
        ck_assert_int_eq(pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16), 0);
        ck_assert_int_eq(pktd_cipher_update(c, buf, 100, buf + 128, 128, &done), 0);
        ck_assert_int_eq(pktd_cipher_open(&x, "xts(aes)", NULL), 0);
        ck_assert_int_eq(pktd_cipher_setkey(x, key, 32), 0);
        ck_assert_int_eq(pktd_cipher_encrypt(x, iv, 16, buf, 15, buf + 128), -EINVAL);
        ck_assert_int_eq(pktd_cipher_open(&uc, "nosuch(aes)", NULL), -ENOENT);
        ck_assert_int_eq(pktd_alg_probe("hash", "hmac(sha256)", NULL, 0, &cause, NULL),
                         PKTD_E_UNAVAILABLE);
        ck_assert_int_eq(pktd_alg_probe("skcipher", "nosuch", NULL, 0, &cause, NULL),
                         PKTD_E_UNAVAILABLE);
        ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(aes)", key, 3, &cause, NULL), -EINVAL);
        if (round == 0) {
            /* While open: all close-on-exec. */
            int n = alg_test_fds_new(&before, &cloexec_missing);
            ck_assert_int_ge(n, 5);
            ck_assert_int_eq(cloexec_missing, 0);
        }
        pktd_hash_close(h);
        pktd_hash_close(c1);
        pktd_cipher_close(c);
        pktd_cipher_close(x);
    }
    ck_assert_int_eq(alg_test_fds_new(&before, &cloexec_missing), 0);
}
END_TEST

int main(void)
{
    alg_test_seed();
    fprintf(stderr, "check_alg: PKTD_TEST_SEED=0x%016llx\n",
            (unsigned long long)alg_test_rng_state);
    int cause = 0;
    int rc = pktd_alg_probe("hash", "sha256", NULL, 0, &cause, NULL);
    if (rc != 0) {
        printf("SKIP: AF_ALG sha256 not usable here: %s (%s)\n",
               rc == PKTD_E_UNAVAILABLE ? pktd_alg_strerror(cause) : pktd_strerror(rc),
               pktd_err_name(rc == PKTD_E_UNAVAILABLE ? cause : rc));
        printf("      tests/alg/vm.tap runs these tests in a VM instead\n");
        return 77;
    }
    Suite *s = suite_create("alg");
    TCase *th = tcase_create("hash");
    tcase_add_test(th, test_sha256_fips180);
    tcase_add_test(th, test_sha256_million_a);
    tcase_add_test(th, test_sha1_fips180);
    tcase_add_test(th, test_hmac_rfc4231);
    tcase_add_test(th, test_hash_vs_openssl);
    tcase_add_test(th, test_hmac_vs_openssl);
    tcase_add_test(th, test_hash_clone);
    tcase_add_test(th, test_hash_rekey);
    tcase_add_test(th, test_hash_clone_own_key);
    tcase_add_test(th, test_hash_errors);
    tcase_add_test(th, test_hash_sizes_from_proc);
    tcase_add_test(th, test_hash_threads_with_clones);
    suite_add_tcase(s, th);
    TCase *tc = tcase_create("cipher");
    tcase_add_test(tc, test_sp800_38a);
    tcase_add_test(tc, test_rfc3602);
    tcase_add_test(tc, test_cbc_vs_openssl);
    tcase_add_test(tc, test_ctr_vs_openssl);
    tcase_add_test(tc, test_ecb_vs_openssl);
    tcase_add_test(tc, test_xts);
    tcase_add_test(tc, test_cipher_sizes_from_proc);
    tcase_add_test(tc, test_cipher_errors);
    tcase_add_test(tc, test_cipher_rekey);
    suite_add_tcase(s, tc);
    TCase *tl = tcase_create("limits");
    tcase_add_test(tl, test_small_socket_buffers);
    tcase_add_test(tl, test_descriptor_hygiene);
    suite_add_tcase(s, tl);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
