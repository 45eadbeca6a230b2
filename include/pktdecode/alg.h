/**
 * @file pktdecode/alg.h
 * @brief AF_ALG: is the kernel's crypto API usable here, and if not, why.
 *
 * The hash (pktdecode/hash.h) and skcipher (pktdecode/cipher.h) handles
 * reach the Linux kernel's crypto API through `socket(AF_ALG)`.  Whether
 * that works depends on the kernel and on policy, so ask first:
 * pktd_alg_probe() says whether an algorithm can be used and, if not, why.
 *
 * Read doc/afalg.md before choosing AF_ALG: upstream Linux now calls it
 * deprecated, Linux 7.3 and later restrict most algorithms (sha256,
 * hmac(sha256), cbc(aes), ctr(aes), ecb(aes)) to callers with CAP_NET_ADMIN
 * or CAP_SYS_ADMIN by default (`/proc/sys/crypto/af_alg_restrict`), and it
 * is slower than user-space crypto, by an order of magnitude for
 * packet-sized buffers, because every operation costs system calls.
 *
 * **Unavailable.**  Four system errors mean "AF_ALG or this algorithm
 * cannot be used by this process", not "something broke":
 * | code             | call    | cause |
 * |------------------|---------|-------|
 * | `-EAFNOSUPPORT`  | socket  | kernel without AF_ALG, or `af_alg_restrict=2` |
 * | `-EPERM`, `-EACCES` | socket | denied by policy: a container's seccomp profile, an LSM |
 * | `-ENOENT`        | bind    | unknown algorithm, its module not loaded, or restricted to privileged callers |
 * | `-ENOKEY`        | send    | a keyed algorithm (hmac(...), every cipher) used without a key |
 *
 * pktd_alg_probe() turns them into PKTD_E_UNAVAILABLE plus the cause;
 * the handles' functions return them as they are, and
 * pktd_alg_is_unavailable() recognises them.  pktd_alg_strerror() explains
 * them in a sentence, and the opening calls' `errbuf` and the handles'
 * errmsg strings already end with that sentence.  Nothing blocks or
 * crashes on these paths.
 *
 * **Descriptors** are all close-on-exec.  **Keys** are handed to the
 * kernel with setsockopt().  A cipher handle keeps no copy; a hash handle
 * keeps one so that a clone can key its own transform, and wipes it with
 * explicit_bzero() when the key is replaced or fails and on close.  The
 * library wipes its control-message buffers (IVs) after use.
 */
#ifndef PKTDECODE_ALG_H
#define PKTDECODE_ALG_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Longest algorithm name accepted, in bytes (the kernel's salg_name holds 64 with the NUL). */
#define PKTD_ALG_NAME_MAX 63

/** @name AF_ALG algorithm types, for pktd_alg_probe()
 * @{ */
#define PKTD_ALG_TYPE_HASH "hash"         /**< hashes and HMAC (pktdecode/hash.h) */
#define PKTD_ALG_TYPE_SKCIPHER "skcipher" /**< symmetric ciphers (pktdecode/cipher.h) */
/** @} */

/**
 * @brief Check whether an AF_ALG algorithm can be used, and if not, why.
 *
 * Creates an AF_ALG socket, binds it to @p name, sets @p key if given,
 * accepts an operation socket and runs one empty operation (a digest of
 * nothing, or a cipher request without data), then closes everything.
 * About six system calls; no data is processed.
 *
 * Without a key the probe asks "can this algorithm be used without a key":
 * hmac(...) and every cipher then report PKTD_E_UNAVAILABLE with cause
 * `-ENOKEY`.  Pass the key you will use to probe a keyed algorithm.
 *
 * @param type   #PKTD_ALG_TYPE_HASH or #PKTD_ALG_TYPE_SKCIPHER.
 * @param name   kernel algorithm name, e.g. "sha256", "hmac(sha256)", "cbc(aes)".
 * @param key    key bytes, or NULL.
 * @param keylen key length (0 when @p key is NULL).
 * @param cause  if not NULL, receives 0 when available, else the `-errno`
 *               that made it unavailable (see the table in this file).
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes: "" when usable,
 *               else the whole sentence: which call failed, on what, why,
 *               and for an unavailable algorithm what that means, e.g.
 *               "socket(AF_ALG) for sha256: Address family not supported by
 *               protocol: the kernel has no AF_ALG sockets (...)".
 * @return 0 when usable; PKTD_E_UNAVAILABLE with @p cause set;
 *         PKTD_E_INVALID_ARGUMENT (unknown type, empty or too long name,
 *         NULL key with a length); `-EINVAL` or `-ENOSYS` when the kernel
 *         rejects the key (wrong length; a hash that takes no key); another
 *         `-errno` (e.g. -EMFILE, -ENOMEM) when a system call failed for
 *         another cause than availability.
 * @since 1.0
 * Thread-safe: uses only its own descriptors.
 */
PKTD_API int pktd_alg_probe(const char *type, const char *name, const uint8_t *key,
                            size_t keylen, int *cause, char *errbuf) PKTD_WUR;

/**
 * @brief Whether a return code means "AF_ALG or the algorithm is unavailable".
 *
 * @param code a code returned by pktd_alg_probe() or any pktd_hash_* /
 *             pktd_cipher_* function.
 * @return 1 for PKTD_E_UNAVAILABLE, `-EAFNOSUPPORT`, `-EPERM`, `-EACCES`,
 *         `-ENOENT` and `-ENOKEY`; 0 otherwise.  Thread-safe.
 * @since 1.0
 */
PKTD_API int pktd_alg_is_unavailable(int code);

/**
 * @brief A return code explained for AF_ALG: for the unavailability codes,
 *        what they mean here.
 *
 * @param code the cause from pktd_alg_probe(), or any code returned by an
 *             AF_ALG function.
 * @return A static string, never NULL: e.g. for `-EAFNOSUPPORT` "the kernel
 *         has no AF_ALG sockets (not built in, module not loaded), or
 *         /proc/sys/crypto/af_alg_restrict=2 forbids them"; "available"
 *         for 0; for codes that pktd_alg_is_unavailable() does not
 *         recognise, pktd_strerror(code).  Thread-safe.
 * @since 1.0
 */
PKTD_API const char *pktd_alg_strerror(int code);

PKTD_END_DECLS

#endif /* PKTDECODE_ALG_H */
