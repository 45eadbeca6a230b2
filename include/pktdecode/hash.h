/**
 * @file pktdecode/hash.h
 * @brief Kernel hashes and HMAC through AF_ALG.
 *
 * A #pktd_hash computes digests with any hash the kernel offers to AF_ALG:
 * "sha1", "sha224", "sha256", "sha384", "sha512", "md5", "sha3-256", keyed
 * "hmac(sha256)", and so on.  Read pktdecode/alg.h first: AF_ALG may be
 * unavailable, and it is deprecated upstream and slow for small inputs
 * (doc/afalg.md).
 *
 * Use:
 * @code
 * pktd_hash *h;
 * char err[PKTD_ERRBUF_SIZE];
 * int rc = pktd_hash_open(&h, "hmac(sha256)", err);  // socket + bind; err says why not
 * rc = pktd_hash_setkey(h, key, keylen);             // keyed hashes only
 * rc = pktd_hash_digest(h, msg, len, md, sizeof md); // one shot, or:
 * rc = pktd_hash_update(h, part1, n1);               // streaming ...
 * rc = pktd_hash_update(h, part2, n2);
 * rc = pktd_hash_final(h, md, sizeof md);            // ... returns the length
 * pktd_hash_close(h);
 * @endcode
 *
 * **Cost.** The handle keeps one operation socket and reuses it, so after
 * the first call a one-shot digest of up to 64 KiB is two system calls (a
 * send and a read); longer inputs take one send per 64 KiB.
 *
 * **State.** Between pktd_hash_update() and pktd_hash_final() the handle
 * holds a partial digest (the kernel's MSG_MORE state: every update is sent
 * with MSG_MORE, and the final read ends it).  pktd_hash_clone() copies such
 * a partial state into a new handle, e.g. to hash a common prefix once.
 * After any failed operation the handle drops its operation socket, so the
 * next call starts from a clean state.
 *
 * **Threads.** A handle is used by one thread at a time (the kernel
 * rejects concurrent writers on one operation socket with EBUSY).  For
 * parallel use give each thread its own handle, e.g. a pktd_hash_clone();
 * different handles are independent.
 *
 * **Keys and descriptors.** A handle keeps a copy of its key (so that
 * pktd_hash_clone() can key the clone's own transform); the copy is wiped
 * when the key is replaced, when setting it fails and when the handle is
 * closed.  All descriptors are close-on-exec and no error path leaks one
 * (pktdecode/alg.h).
 */
#ifndef PKTDECODE_HASH_H
#define PKTDECODE_HASH_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Opaque AF_ALG hash handle. */
typedef struct pktd_hash pktd_hash;

/** Largest digest any kernel hash produces, in bytes (a buffer this big always suffices). */
#define PKTD_HASH_MAX_DIGEST 64

/**
 * @brief Open a hash handle: create an AF_ALG socket and bind it to @p name.
 *
 * The digest size comes from a built-in table (md5, sha1, sha224, sha256,
 * sha384, sha512, sha3-*, sm3 and hmac() of these) or, for any other name,
 * from /proc/crypto (not from NETLINK_CRYPTO, which many kernels lack).
 *
 * @param out    receives the handle; set to NULL on failure.
 * @param name   kernel hash name, at most #PKTD_ALG_NAME_MAX bytes.
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive, on
 *               failure, the whole sentence: the call that failed, on what,
 *               why, and for an unavailable algorithm what that means (see
 *               pktd_alg_strerror()); "" on success.
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL, empty or too long name);
 *         `-EAFNOSUPPORT`, `-EPERM`, `-EACCES` from socket() or `-ENOENT`
 *         from bind() when unavailable (pktd_alg_is_unavailable());
 *         PKTD_E_UNSUPPORTED when the kernel binds the name but its sizes
 *         are neither in the table nor in /proc/crypto; -ENOMEM, -EMFILE.
 *         No descriptor stays open on failure.
 * @since 1.0
 */
PKTD_API int pktd_hash_open(pktd_hash **out, const char *name, char *errbuf) PKTD_WUR;

/**
 * @brief Close a handle and its descriptors.
 * @param h a handle, or NULL.
 * @since 1.0
 */
PKTD_API void pktd_hash_close(pktd_hash *h);

/**
 * @brief Set (or change) the key of a keyed hash such as hmac(sha256).
 *
 * The key goes to the kernel with setsockopt(ALG_SET_KEY) on the handle's
 * own bound socket, and the handle keeps a copy for pktd_hash_clone()
 * (wiped when replaced, on failure and by pktd_hash_close()).  Any partial
 * digest of @p h is abandoned.  Clones and the handle they were cloned
 * from have separate keys: a new key for one never changes another.  The
 * one exception is short-lived: while a clone made in the middle of a
 * message is still finishing that message, it uses the original's
 * transform, and the kernel refuses a new key for the original with
 * `-EBUSY` (the old key then stays in force) until the clone's
 * pktd_hash_final(), pktd_hash_reset(), pktd_hash_setkey() or
 * pktd_hash_close().
 *
 * @param h      the handle.
 * @param key    key bytes (any length for HMAC).
 * @param keylen key length.
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL key with a length); `-ENOSYS`
 *         when the hash takes no key; `-EINVAL` when the kernel rejects the
 *         key (the handle then has no key: keyed operations fail with
 *         `-ENOKEY`); `-EBUSY` (see above); `-ENOMEM`.  The handle stays
 *         usable.
 * @since 1.0
 */
PKTD_API int pktd_hash_setkey(pktd_hash *h, const uint8_t *key, size_t keylen) PKTD_WUR;

/**
 * @brief Add data to the digest being computed.
 *
 * Sends @p data with MSG_MORE (in pieces of at most 64 KiB), so the kernel
 * keeps the partial state until pktd_hash_final().  A zero-length update
 * makes no system call.
 *
 * @param h    the handle.
 * @param data bytes to hash (may be NULL when @p len is 0).
 * @param len  their number.
 * @return 0; `-ENOKEY` for a keyed hash without key; another `-errno` from
 *         accept4() or send().  On failure the partial digest is lost.
 * @since 1.0
 */
PKTD_API int pktd_hash_update(pktd_hash *h, const uint8_t *data, size_t len) PKTD_WUR;

/**
 * @brief Finish the digest of everything passed to pktd_hash_update().
 *
 * Without any update this is the digest of the empty message.  @p mdlen
 * smaller than the digest size gives the leading bytes (a truncated MAC,
 * as in RFC 4231 test case 5).  The handle is then ready for a new digest.
 *
 * @param h     the handle.
 * @param md    receives the digest.
 * @param mdlen room in @p md (at least 1; #PKTD_HASH_MAX_DIGEST always suffices).
 * @return the number of bytes written (min(@p mdlen, digest size));
 *         PKTD_E_INVALID_ARGUMENT; `-ENOKEY`; another `-errno` from read().
 * @since 1.0
 */
PKTD_API int pktd_hash_final(pktd_hash *h, uint8_t *md, size_t mdlen) PKTD_WUR;

/**
 * @brief One-shot digest of @p data.
 *
 * Two system calls (send, read) once the handle has its operation socket;
 * one more send per extra 64 KiB of input.
 *
 * @param h     the handle; must not be in the middle of an update sequence.
 * @param data  bytes to hash (may be NULL when @p len is 0).
 * @param len   their number.
 * @param md    receives the digest.
 * @param mdlen room in @p md, as for pktd_hash_final().
 * @return the number of digest bytes written; PKTD_E_BAD_STATE when
 *         updates are pending (finish them or call pktd_hash_reset());
 *         PKTD_E_INVALID_ARGUMENT; `-ENOKEY`; another `-errno`.
 * @since 1.0
 */
PKTD_API int pktd_hash_digest(pktd_hash *h, const uint8_t *data, size_t len, uint8_t *md,
                              size_t mdlen) PKTD_WUR;

/**
 * @brief Copy a handle, including a partial digest, into a new handle.
 *
 * The new handle has the same algorithm and its own transform socket
 * keyed with a copy of the same key, and continues from the same partial
 * state (the kernel exports and imports it when the operation socket is
 * accepted from).  The two then evolve independently, keys included
 * (pktd_hash_setkey() on one never changes the other), and may be used by
 * different threads.  A clone made from a handle without pending updates
 * starts a fresh digest.  Cost: socket, bind, setsockopt for a keyed hash,
 * and accept4 when updates are pending.
 *
 * @param out    receives the clone; set to NULL on failure.
 * @param h      the handle to copy.
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive the
 *               whole sentence on failure, as for pktd_hash_open().
 * @return 0; `-ENOKEY` (keyed hash without key, with pending updates);
 *         -EMFILE, -ENOMEM, another `-errno` from socket(), bind(),
 *         setsockopt() or accept4().
 * @since 1.0
 */
PKTD_API int pktd_hash_clone(pktd_hash **out, const pktd_hash *h, char *errbuf) PKTD_WUR;

/**
 * @brief Abandon a partial digest; the next call starts a new message.
 * @param h the handle (NULL is ignored).
 * @since 1.0
 */
PKTD_API void pktd_hash_reset(pktd_hash *h);

/** @brief Size of a full digest. @param h the handle. @return bytes (e.g. 32 for sha256). @since 1.0 */
PKTD_API size_t pktd_hash_digest_size(const pktd_hash *h);
/** @brief Block size of the hash. @param h the handle. @return bytes (e.g. 64 for sha256). @since 1.0 */
PKTD_API size_t pktd_hash_block_size(const pktd_hash *h);
/** @brief The algorithm name given to pktd_hash_open(). @param h the handle. @return a string owned by the handle. @since 1.0 */
PKTD_API const char *pktd_hash_name(const pktd_hash *h);

/**
 * @brief Which call failed last, e.g. "send(hmac(sha256)): Required key not
 *        available: the algorithm needs a key".
 * @param h the handle.
 * @return A string owned by the handle, valid until the next call, shorter
 *         than #PKTD_ERRBUF_SIZE; "" if none.
 * @since 1.0
 */
PKTD_API const char *pktd_hash_errmsg(const pktd_hash *h);

PKTD_END_DECLS

#endif /* PKTDECODE_HASH_H */
