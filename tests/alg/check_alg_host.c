/* AF_ALG on the build host, which need not have AF_ALG: the "unavailable"
 * path for real (a kernel without AF_ALG gives EAFNOSUPPORT; a seccomp
 * filter gives EPERM), the size table and the /proc/crypto reader (on a
 * /proc/crypto captured from Debian's 6.1 cloud kernel and on hand-made
 * entries), argument checks, and the availability helpers.  Links the
 * convenience library to reach the internal size functions. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <pktdecode.h>

#include "alg_sizes.h"
#include "alg_test.h"

#ifndef AF_ALG
# define AF_ALG 38
#endif

/* What socket(AF_ALG) says on this machine: 0 or -errno. */
static int host_af_alg(void)
{
    int s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -errno;
    close(s);
    return 0;
}

static char *fixture(size_t *len)
{
    const char *top = getenv("top_srcdir");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/alg/proc-crypto-6.1.txt", top != NULL ? top : ".");
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* err holds "<call>: <strerror>: <what that means for AF_ALG>". */
static void assert_sentence(const char *err, const char *call, int code)
{
    ck_assert_msg(strstr(err, call) == err, "\"%s\" does not start with %s", err, call);
    ck_assert_msg(strstr(err, pktd_strerror(code)) != NULL, "\"%s\" lacks \"%s\"", err,
                  pktd_strerror(code));
    ck_assert_msg(strstr(err, pktd_alg_strerror(code)) != NULL, "\"%s\" lacks \"%s\"", err,
                  pktd_alg_strerror(code));
    ck_assert_uint_lt(strlen(err), PKTD_ERRBUF_SIZE);
}

START_TEST(test_unavailable_for_real)
{
    struct alg_test_fds before;
    alg_test_fds_take(&before);
    int host = host_af_alg();
    uint8_t key[16] = {0};
    int cause = 1;
    pktd_hash *h = (pktd_hash *)&cause;
    pktd_cipher *c = (pktd_cipher *)&cause;
    if (host != 0) {
        /* This kernel refuses AF_ALG sockets (EAFNOSUPPORT without AF_ALG,
         * EPERM under a container profile): every entry point says so. */
        fprintf(stderr, "host: socket(AF_ALG) fails with %s: testing that path\n",
                pktd_err_name(host));
        ck_assert_int_eq(pktd_alg_probe("hash", "sha256", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
        ck_assert_int_eq(cause, host);
        ck_assert_int_eq(pktd_alg_probe("skcipher", "cbc(aes)", key, 16, &cause, NULL),
                         PKTD_E_UNAVAILABLE);
        ck_assert_int_eq(cause, host);
        ck_assert_int_eq(pktd_hash_open(&h, "sha256", NULL), host);
        ck_assert_ptr_null(h);
        ck_assert_int_eq(pktd_cipher_open(&c, "cbc(aes)", NULL), host);
        ck_assert_ptr_null(c);
        ck_assert_int_eq(pktd_alg_is_unavailable(host), 1);
        /* R8: the first message is the whole sentence: the call, the
         * algorithm, the system's words and what they mean for AF_ALG. */
        char err[PKTD_ERRBUF_SIZE];
        ck_assert_int_eq(pktd_hash_open(&h, "sha256", err), host);
        assert_sentence(err, "socket(AF_ALG) for sha256", host);
        ck_assert_int_eq(pktd_cipher_open(&c, "cbc(aes)", err), host);
        assert_sentence(err, "socket(AF_ALG) for cbc(aes)", host);
        ck_assert_int_eq(pktd_alg_probe(PKTD_ALG_TYPE_HASH, "sha1", NULL, 0, &cause, err),
                         PKTD_E_UNAVAILABLE);
        assert_sentence(err, "socket(AF_ALG) for sha1", host);
    } else {
        /* AF_ALG works here: an unknown algorithm is the unavailable case. */
        fprintf(stderr, "host: AF_ALG present: testing the unknown-algorithm path\n");
        ck_assert_int_eq(pktd_alg_probe("hash", "nosuchhash", NULL, 0, &cause, NULL),
                         PKTD_E_UNAVAILABLE);
        ck_assert_int_eq(cause, -ENOENT);
        ck_assert_int_eq(pktd_hash_open(&h, "nosuchhash", NULL), -ENOENT);
        ck_assert_ptr_null(h);
        ck_assert_int_eq(pktd_cipher_open(&c, "nosuch(aes)", NULL), -ENOENT);
        ck_assert_ptr_null(c);
        char err[PKTD_ERRBUF_SIZE];
        ck_assert_int_eq(pktd_hash_open(&h, "nosuchhash", err), -ENOENT);
        assert_sentence(err, "bind(nosuchhash)", -ENOENT);
        ck_assert_int_eq(pktd_cipher_open(&c, "nosuch(aes)", err), -ENOENT);
        assert_sentence(err, "bind(nosuch(aes))", -ENOENT);
    }
    int bad = 0;
    ck_assert_int_eq(alg_test_fds_new(&before, &bad), 0);
}
END_TEST

#if defined(__x86_64__)
# define HOST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
# define HOST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
# define HOST_AUDIT_ARCH AUDIT_ARCH_I386
#endif

/* A container's default seccomp profile makes socket(AF_ALG) fail with
 * EPERM.  Install such a filter in this (forked) test process and check the
 * probe reports it. */
START_TEST(test_unavailable_seccomp_eperm)
{
#if defined(HOST_AUDIT_ARCH) && defined(__NR_socket)
# ifdef WORDS_BIGENDIAN
    const unsigned lo = 4;
# else
    const unsigned lo = 0;
# endif
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HOST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]) + lo),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_ALG, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fp = {(unsigned short)(sizeof prog / sizeof prog[0]), prog};
    ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fp, 0, 0) != 0) {
        fprintf(stderr, "seccomp filters unavailable here (%s): EPERM path not exercised\n",
                strerror(errno));
        ck_assert_int_eq(errno, EINVAL);
        return;
    }
    int cause = 0;
    ck_assert_int_eq(host_af_alg(), -EPERM);
    ck_assert_int_eq(pktd_alg_probe("hash", "sha256", NULL, 0, &cause, NULL), PKTD_E_UNAVAILABLE);
    ck_assert_int_eq(cause, -EPERM);
    ck_assert_ptr_nonnull(strstr(pktd_alg_strerror(cause), "policy"));
    pktd_hash *h = NULL;
    ck_assert_int_eq(pktd_hash_open(&h, "sha256", NULL), -EPERM);
    ck_assert_int_eq(pktd_alg_is_unavailable(-EPERM), 1);
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_hash_open(&h, "sha256", err), -EPERM);
    assert_sentence(err, "socket(AF_ALG) for sha256", -EPERM);
    ck_assert_ptr_nonnull(strstr(err, "policy"));
#else
    fprintf(stderr, "no seccomp architecture constant for this CPU: EPERM path not exercised\n");
#endif
}
END_TEST

START_TEST(test_availability_helpers)
{
    static const int yes[] = {PKTD_E_UNAVAILABLE, -EAFNOSUPPORT, -EPERM, -EACCES, -ENOENT,
                              -ENOKEY};
    static const int no[] = {0, 1, -EINVAL, -EBUSY, -ENOMEM, -EMFILE, PKTD_E_INVALID_ARGUMENT,
                             PKTD_E_UNSUPPORTED, PKTD_E_BAD_STATE};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        ck_assert_int_eq(pktd_alg_is_unavailable(yes[i]), 1);
        const char *s = pktd_alg_strerror(yes[i]);
        ck_assert_ptr_nonnull(s);
        ck_assert_uint_gt(strlen(s), 10);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_int_eq(pktd_alg_is_unavailable(no[i]), 0);
    ck_assert_ptr_nonnull(strstr(pktd_alg_strerror(-EAFNOSUPPORT), "no AF_ALG"));
    ck_assert_ptr_nonnull(strstr(pktd_alg_strerror(-ENOENT), "privileged"));
    ck_assert_ptr_nonnull(strstr(pktd_alg_strerror(-ENOKEY), "key"));
    ck_assert_str_eq(pktd_alg_strerror(0), "available");
    ck_assert_str_eq(pktd_alg_strerror(-EBUSY), pktd_strerror(-EBUSY));
    ck_assert_str_ne(pktd_alg_strerror(-EPERM), pktd_alg_strerror(-ENOENT));
}
END_TEST

START_TEST(test_argument_checks)
{
    int cause = 5;
    pktd_hash *h = NULL;
    pktd_cipher *c = NULL;
    char longname[80];
    memset(longname, 'a', sizeof longname);
    longname[64] = '\0';
    ck_assert_int_eq(pktd_alg_probe("hash", longname, NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    longname[63] = '\0';
    ck_assert_int_eq(strlen(longname), PKTD_ALG_NAME_MAX);
    ck_assert_int_eq(pktd_alg_probe("aead", "gcm(aes)", NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_alg_probe(NULL, "sha256", NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_alg_probe("hash", NULL, NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_alg_probe("hash", "", NULL, 0, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_alg_probe("hash", "sha256", NULL, 3, &cause, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_open(NULL, "sha256", NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_open(&h, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_open(&c, "", NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_ptr_null(c);
    /* NULL handles: no crash, neutral answers. */
    pktd_hash_close(NULL);
    pktd_hash_reset(NULL);
    pktd_cipher_close(NULL);
    pktd_cipher_reset(NULL);
    ck_assert_uint_eq(pktd_hash_digest_size(NULL), 0);
    ck_assert_str_eq(pktd_hash_errmsg(NULL), "");
    ck_assert_uint_eq(pktd_cipher_max_len(NULL), 0);
    ck_assert_int_eq(pktd_cipher_can_stream(NULL), 0);
    ck_assert_int_eq(pktd_hash_update(NULL, NULL, 0), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_cipher_encrypt(NULL, NULL, 0, NULL, 0, NULL), PKTD_E_INVALID_ARGUMENT);
    ck_assert_int_eq(pktd_hash_clone(&h, NULL, NULL), PKTD_E_INVALID_ARGUMENT);
    /* Every refusal fills errbuf with what was wrong. */
    char err[PKTD_ERRBUF_SIZE];
    ck_assert_int_eq(pktd_alg_probe("aead", "gcm(aes)", NULL, 0, &cause, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(strstr(err, "\"aead\"") != NULL && strstr(err, PKTD_ALG_TYPE_SKCIPHER) != NULL,
                  "%s", err);
    longname[63] = 'a';
    ck_assert_int_eq(pktd_hash_open(&h, longname, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(strstr(err, "64 bytes, at most 63") != NULL, "%s", err);
    ck_assert_int_eq(pktd_cipher_open(&c, "", err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(strstr(err, "empty") != NULL, "%s", err);
    ck_assert_int_eq(pktd_alg_probe(PKTD_ALG_TYPE_HASH, "sha256", NULL, 3, &cause, err),
                     PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(strstr(err, "NULL key") != NULL, "%s", err);
    ck_assert_int_eq(pktd_hash_open(NULL, "sha256", err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(strstr(err, "pktd_hash_open(sha256)") == err, "%s", err);
    ck_assert_int_eq(pktd_hash_clone(&h, NULL, err), PKTD_E_INVALID_ARGUMENT);
    ck_assert_msg(err[0] != '\0', "clone: empty errbuf");
}
END_TEST

START_TEST(test_builtin_table)
{
    struct pktd__alg_info i;
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "sha256", &i), 0);
    ck_assert_uint_eq(i.digest_size, 32);
    ck_assert_uint_eq(i.block_size, 64);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "hmac(sha384)", &i), 0);
    ck_assert_uint_eq(i.digest_size, 48);
    ck_assert_uint_eq(i.block_size, 128);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "hmac(nosuch)", &i), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "hmac()", &i), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "hmac(sha256", &i), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, "cbc(aes)", &i), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, "sha256", &i), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, "cbc(aes)", &i), 0);
    ck_assert_uint_eq(i.iv_size, 16);
    ck_assert_uint_eq(i.block_size, 16);
    ck_assert(i.chains_iv && i.whole_blocks);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, "ctr(aes)", &i), 0);
    ck_assert_uint_eq(i.block_size, 1);
    ck_assert_uint_eq(i.chunk_size, 16);
    ck_assert(i.chains_iv && !i.whole_blocks);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, "ecb(aes)", &i), 0);
    ck_assert_uint_eq(i.iv_size, 0);
    ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, "xts(aes)", &i), 0);
    ck_assert_uint_eq(i.key_min, 32);
    ck_assert_uint_eq(i.key_max, 64);
    ck_assert(!i.chains_iv);
}
END_TEST

/* The table must agree with what a real kernel reports. */
START_TEST(test_table_agrees_with_kernel)
{
    size_t len;
    char *text = fixture(&len);
    static const char *hashes[] = {"md5", "sha1", "sha224", "sha256", "sha384", "sha512",
                                   "sha3-256", "hmac(sha256)"};
    for (size_t k = 0; k < sizeof hashes / sizeof hashes[0]; k++) {
        struct pktd__alg_info t, p;
        ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_HASH, hashes[k], &t), 0);
        ck_assert_msg(pktd__alg_info_parse(text, len, PKTD__ALG_HASH, hashes[k], &p) == 0,
                      "%s not in the captured /proc/crypto", hashes[k]);
        ck_assert_uint_eq(p.digest_size, t.digest_size);
        ck_assert_uint_eq(p.block_size, t.block_size);
        ck_assert(p.from_proc && !t.from_proc);
    }
    static const char *ciphers[] = {"cbc(aes)", "ctr(aes)", "ecb(aes)", "xts(aes)"};
    for (size_t k = 0; k < sizeof ciphers / sizeof ciphers[0]; k++) {
        struct pktd__alg_info t, p;
        ck_assert_int_eq(pktd__alg_info_builtin(PKTD__ALG_SKCIPHER, ciphers[k], &t), 0);
        ck_assert_msg(pktd__alg_info_parse(text, len, PKTD__ALG_SKCIPHER, ciphers[k], &p) == 0,
                      "%s not in the captured /proc/crypto", ciphers[k]);
        ck_assert_uint_eq(p.iv_size, t.iv_size);
        ck_assert_uint_eq(p.block_size, t.block_size);
        ck_assert_uint_eq(p.chunk_size, t.chunk_size);
        ck_assert_uint_eq(p.key_min, t.key_min);
        ck_assert_uint_eq(p.key_max, t.key_max);
        ck_assert_uint_eq(p.whole_blocks, t.whole_blocks);
        /* /proc/crypto cannot tell whether an IV chains; xts is refused. */
        ck_assert_uint_eq(p.chains_iv, strcmp(ciphers[k], "xts(aes)") != 0);
    }
    struct pktd__alg_info p;
    ck_assert_int_eq(pktd__alg_info_parse(text, len, PKTD__ALG_SKCIPHER, "rfc3686(ctr(aes))", &p), 0);
    ck_assert_uint_eq(p.iv_size, 8);
    ck_assert_uint_eq(p.key_min, 20);
    ck_assert_uint_eq(p.key_max, 36);
    ck_assert_uint_eq(p.chunk_size, 16);
    ck_assert_uint_eq(p.block_size, 1);
    ck_assert_uint_eq(p.chains_iv, 0);
    ck_assert_int_eq(pktd__alg_info_parse(text, len, PKTD__ALG_HASH, "crc32c", &p), 0);
    ck_assert_uint_eq(p.digest_size, 4);
    /* A hash name asked as a cipher, and the reverse, are not found. */
    ck_assert_int_eq(pktd__alg_info_parse(text, len, PKTD__ALG_SKCIPHER, "sha256", &p),
                     PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_parse(text, len, PKTD__ALG_HASH, "cbc(aes)", &p),
                     PKTD_E_NOT_FOUND);
    free(text);
}
END_TEST

START_TEST(test_proc_parser_edges)
{
    struct pktd__alg_info p;
    /* Internal entries are skipped; the public one after them is used. */
    const char *t1 = "name         : cbc(des3_ede)\n"
                     "internal     : yes\n"
                     "type         : skcipher\n"
                     "blocksize    : 99\n"
                     "min keysize  : 1\nmax keysize  : 1\nivsize : 1\n\n"
                     "name         : cbc(des3_ede)\n"
                     "driver       : cbc(des3_ede-generic)\n"
                     "internal     : no\n"
                     "type         : skcipher\n"
                     "async        : no\n"
                     "blocksize    : 8\n"
                     "min keysize  : 24\n"
                     "max keysize  : 24\n"
                     "ivsize       : 8\n"
                     "chunksize    : 8\n"
                     "walksize     : 8\n";
    ck_assert_int_eq(pktd__alg_info_parse(t1, strlen(t1), PKTD__ALG_SKCIPHER, "cbc(des3_ede)", &p),
                     0);
    ck_assert_uint_eq(p.block_size, 8);
    ck_assert_uint_eq(p.iv_size, 8);
    ck_assert_uint_eq(p.key_min, 24);
    ck_assert(p.chains_iv && p.whole_blocks && p.from_proc);
    /* Old kernels: blkcipher, no chunksize (the block size is the unit). */
    const char *t2 = "name : ctr(sm4)\ntype : blkcipher\nblocksize : 1\nmin keysize : 16\n"
                     "max keysize : 16\nivsize : 16\n";
    ck_assert_int_eq(pktd__alg_info_parse(t2, strlen(t2), PKTD__ALG_SKCIPHER, "ctr(sm4)", &p), 0);
    ck_assert_uint_eq(p.chunk_size, 1);
    ck_assert(p.chains_iv && !p.whole_blocks);
    /* Nested templates are not trusted to chain. */
    const char *t3 = "name : cts(cbc(aes))\ntype : skcipher\nblocksize : 16\nmin keysize : 16\n"
                     "max keysize : 32\nivsize : 16\nchunksize : 16\n";
    ck_assert_int_eq(pktd__alg_info_parse(t3, strlen(t3), PKTD__ALG_SKCIPHER, "cts(cbc(aes))", &p),
                     0);
    ck_assert(!p.chains_iv && !p.whole_blocks);
    /* Impossible sizes are refused. */
    const char *t4 = "name : evil\ntype : shash\nblocksize : 64\ndigestsize : 4096\n";
    ck_assert_int_eq(pktd__alg_info_parse(t4, strlen(t4), PKTD__ALG_HASH, "evil", &p),
                     PKTD_E_MALFORMED);
    const char *t5 = "name : evil2\ntype : skcipher\nblocksize : 16\nmin keysize : 32\n"
                     "max keysize : 16\nivsize : 16\n";
    ck_assert_int_eq(pktd__alg_info_parse(t5, strlen(t5), PKTD__ALG_SKCIPHER, "evil2", &p),
                     PKTD_E_MALFORMED);
    const char *t6 = "name : evil3\ntype : skcipher\nblocksize : 16\nmin keysize : 16\n"
                     "max keysize : 16\nivsize : 4000\n";
    ck_assert_int_eq(pktd__alg_info_parse(t6, strlen(t6), PKTD__ALG_SKCIPHER, "evil3", &p),
                     PKTD_E_MALFORMED);
    /* Garbage, truncation, empty text. */
    const char *t7 = "name : sha256\ntype : shash\nblocksize : \ndigestsize : 32";
    ck_assert_int_eq(pktd__alg_info_parse(t7, strlen(t7), PKTD__ALG_HASH, "sha256", &p),
                     PKTD_E_MALFORMED);
    ck_assert_int_eq(pktd__alg_info_parse("", 0, PKTD__ALG_HASH, "sha256", &p), PKTD_E_NOT_FOUND);
    ck_assert_int_eq(pktd__alg_info_parse("::::\n\n\n:", 9, PKTD__ALG_HASH, "sha256", &p),
                     PKTD_E_NOT_FOUND);
    /* Missing /proc/crypto: not found, with the cause. */
    char msg[PKTD_ERRBUF_SIZE] = "";
    ck_assert_int_eq(pktd__alg_info_lookup(PKTD__ALG_HASH, "nosuch", "/nonexistent/crypto", &p,
                                           msg),
                     PKTD_E_NOT_FOUND);
    ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/crypto"));
    ck_assert_int_eq(pktd__alg_info_lookup(PKTD__ALG_HASH, "sha1", "/nonexistent/crypto", &p, msg),
                     0);
    ck_assert_uint_eq(p.digest_size, 20);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("alg_host");
    TCase *tc = tcase_create("host");
    tcase_add_test(tc, test_unavailable_for_real);
    tcase_add_test(tc, test_unavailable_seccomp_eperm);
    tcase_add_test(tc, test_availability_helpers);
    tcase_add_test(tc, test_argument_checks);
    tcase_add_test(tc, test_builtin_table);
    tcase_add_test(tc, test_table_agrees_with_kernel);
    tcase_add_test(tc, test_proc_parser_edges);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* The seccomp test must not outlive its own process. */
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
