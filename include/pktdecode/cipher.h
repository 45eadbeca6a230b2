/**
 * @file pktdecode/cipher.h
 * @brief Kernel symmetric ciphers (skcipher) through AF_ALG.
 *
 * A #pktd_cipher encrypts and decrypts with any skcipher the kernel offers
 * to AF_ALG: "cbc(aes)", "ctr(aes)", "ecb(aes)", "xts(aes)", and others
 * such as "cbc(des3_ede)" or "rfc3686(ctr(aes))".  Read pktdecode/alg.h
 * first: AF_ALG may be unavailable, and it is deprecated upstream and slow
 * for small inputs (doc/afalg.md).
 *
 * Use:
 * @code
 * pktd_cipher *c;
 * char err[PKTD_ERRBUF_SIZE];
 * int rc = pktd_cipher_open(&c, "cbc(aes)", err);            // err says why not
 * rc = pktd_cipher_setkey(c, key, 16);
 * rc = pktd_cipher_encrypt(c, iv, 16, in, len, out);         // one shot, or:
 * rc = pktd_cipher_begin(c, PKTD_CIPHER_ENCRYPT, iv, 16);     // streaming
 * rc = pktd_cipher_update(c, in1, n1, out, cap, &done);       // done <= n1 + chunk - 1
 * rc = pktd_cipher_end(c, in2, n2, out + done, cap2, &done2);
 * pktd_cipher_close(c);
 * @endcode
 *
 * **Sizes** (IV, block, chunk, key range) come from a built-in table for
 * cbc/ctr/ecb/xts(aes) and from /proc/crypto for anything else, never from
 * NETLINK_CRYPTO.  Data is not padded: cbc and ecb need whole blocks
 * (pktd-aes adds PKCS#7 padding itself).
 *
 * **Large inputs** move in pieces of at most 64 KiB, each read back before
 * the next is sent, so a send never waits for socket buffer space (the
 * hang of libkcapi issue 88), and the IV the kernel leaves after each piece
 * continues the message: CBC and CTR results do not depend on how the input
 * was split (cf. libkcapi issue 127).  Modes whose IV does not chain that
 * way (xts, and names not known to chain) take one request per message: at
 * most pktd_cipher_max_len() bytes, and no streaming.
 *
 * **Cost.** One operation socket is kept and reused: a one-shot operation
 * on up to 64 KiB is two system calls (sendmsg with the IV, read).
 *
 * **Failures.** After a failed operation the handle drops its operation
 * socket (the kernel's request state is unknown) and accepts a fresh one on
 * the next call; the key stays set.
 *
 * **Threads.** One thread at a time per handle (the kernel returns EBUSY to
 * concurrent writers); open one handle per thread.
 */
#ifndef PKTDECODE_CIPHER_H
#define PKTDECODE_CIPHER_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Opaque AF_ALG skcipher handle. */
typedef struct pktd_cipher pktd_cipher;

/** @name Directions for pktd_cipher_begin() (the kernel's ALG_OP_ values)
 * @{ */
#define PKTD_CIPHER_DECRYPT 0u /**< decrypt */
#define PKTD_CIPHER_ENCRYPT 1u /**< encrypt */
/** @} */

/**
 * @brief Open a cipher handle: create an AF_ALG socket, bind it to @p name
 *        and accept its operation socket.
 *
 * @param out    receives the handle; set to NULL on failure.
 * @param name   kernel skcipher name, at most #PKTD_ALG_NAME_MAX bytes.
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive, on
 *               failure, the whole sentence: the call that failed, on what,
 *               why, and for an unavailable algorithm what that means (see
 *               pktd_alg_strerror()); "" on success.
 * @return 0; PKTD_E_INVALID_ARGUMENT; `-EAFNOSUPPORT`, `-EPERM`,
 *         `-EACCES`, `-ENOENT` when unavailable (pktd_alg_is_unavailable());
 *         PKTD_E_UNSUPPORTED when the sizes are neither in the table nor in
 *         /proc/crypto; -ENOMEM, -EMFILE.  Nothing stays open on failure.
 * @since 1.0
 */
PKTD_API int pktd_cipher_open(pktd_cipher **out, const char *name, char *errbuf) PKTD_WUR;

/**
 * @brief Close a handle and its descriptors.
 * @param c a handle, or NULL.
 * @since 1.0
 */
PKTD_API void pktd_cipher_close(pktd_cipher *c);

/**
 * @brief Set or change the key (setsockopt(ALG_SET_KEY) on the bound socket).
 *
 * The library keeps no copy.  An unfinished stream is abandoned.
 *
 * @param c      the handle.
 * @param key    key bytes.
 * @param keylen key length: 16, 24 or 32 for AES (32, 48 or 64 for xts(aes)).
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL key); `-EINVAL` when the kernel
 *         rejects the key length (or, for xts, two equal halves in FIPS mode).
 * @since 1.0
 */
PKTD_API int pktd_cipher_setkey(pktd_cipher *c, const uint8_t *key, size_t keylen) PKTD_WUR;

/**
 * @brief Encrypt @p len bytes in one call.
 *
 * @param c     the handle, with a key; not streaming.
 * @param iv    the IV (NULL when the mode has none, e.g. ecb).
 * @param ivlen must equal pktd_cipher_iv_size().
 * @param in    input.
 * @param len   input length: a multiple of the block size for cbc and ecb;
 *              at most pktd_cipher_max_len().  0 succeeds without a system call.
 * @param out   receives @p len bytes; may equal @p in, must not otherwise overlap.
 * @return 0; PKTD_E_INVALID_ARGUMENT (IV length, partial block, NULL
 *         buffers); PKTD_E_TOO_LARGE (beyond pktd_cipher_max_len());
 *         PKTD_E_BAD_STATE (a stream is open); `-ENOKEY` (no key);
 *         `-EINVAL` (the kernel rejected the length, e.g. xts below 16
 *         bytes); another `-errno` from sendmsg() or read().
 * @since 1.0
 */
PKTD_API int pktd_cipher_encrypt(pktd_cipher *c, const uint8_t *iv, size_t ivlen,
                                 const uint8_t *in, size_t len, uint8_t *out) PKTD_WUR;

/**
 * @brief Decrypt @p len bytes in one call.  Parameters and return values as
 *        pktd_cipher_encrypt().
 * @param c the handle. @param iv the IV. @param ivlen its length.
 * @param in input. @param len its length. @param out output.
 * @return as pktd_cipher_encrypt().
 * @since 1.0
 */
PKTD_API int pktd_cipher_decrypt(pktd_cipher *c, const uint8_t *iv, size_t ivlen,
                                 const uint8_t *in, size_t len, uint8_t *out) PKTD_WUR;

/**
 * @brief Start a message that arrives in pieces (one sendmsg with the IV).
 *
 * The kernel keeps the IV and advances it as data is processed, so
 * pktd_cipher_update() and pktd_cipher_end() continue the same CBC or CTR
 * message however the input is split.
 *
 * @param c         the handle, with a key; not already streaming.
 * @param direction #PKTD_CIPHER_ENCRYPT or #PKTD_CIPHER_DECRYPT.
 * @param iv        the IV (NULL when the mode has none).
 * @param ivlen     must equal pktd_cipher_iv_size().
 * @return 0; PKTD_E_UNSUPPORTED when the mode's IV does not chain
 *         (pktd_cipher_can_stream() is 0); PKTD_E_BAD_STATE;
 *         PKTD_E_INVALID_ARGUMENT; `-ENOKEY`; another `-errno`.
 * @since 1.0
 */
PKTD_API int pktd_cipher_begin(pktd_cipher *c, uint32_t direction, const uint8_t *iv,
                               size_t ivlen) PKTD_WUR;

/**
 * @brief Process the next piece of a message.
 *
 * Output is produced in whole chunks (pktd_cipher_chunk_size()); up to
 * chunk-1 bytes stay inside the kernel until the next update or the end.
 *
 * @param c      the streaming handle.
 * @param in     input (may be NULL when @p len is 0).
 * @param len    its length.
 * @param out    output; must not overlap @p in.
 * @param outcap room in @p out: @p len + chunk size - 1 always suffices.
 * @param outlen receives the number of bytes written.
 * @return 0; PKTD_E_BAD_STATE (no begin); PKTD_E_INVALID_ARGUMENT
 *         (@p outcap too small: nothing was processed); another `-errno`,
 *         after which the stream is abandoned.
 * @since 1.0
 */
PKTD_API int pktd_cipher_update(pktd_cipher *c, const uint8_t *in, size_t len, uint8_t *out,
                                size_t outcap, size_t *outlen) PKTD_WUR;

/**
 * @brief Process the last piece of a message and everything still pending.
 *
 * @param c      the streaming handle.
 * @param in     the last input (may be NULL when @p len is 0).
 * @param len    its length.
 * @param out    output; must not overlap @p in.
 * @param outcap room in @p out: @p len + chunk size - 1 always suffices.
 * @param outlen receives the number of bytes written.
 * @return 0, and the handle is ready for a new message;
 *         PKTD_E_INVALID_ARGUMENT when the message would not be a whole
 *         number of blocks (cbc, ecb) or @p outcap is too small: nothing was
 *         processed and the stream stays open; PKTD_E_BAD_STATE; another
 *         `-errno`, after which the stream is abandoned.
 * @since 1.0
 */
PKTD_API int pktd_cipher_end(pktd_cipher *c, const uint8_t *in, size_t len, uint8_t *out,
                             size_t outcap, size_t *outlen) PKTD_WUR;

/**
 * @brief Abandon an unfinished stream.
 * @param c the handle (NULL is ignored).
 * @since 1.0
 */
PKTD_API void pktd_cipher_reset(pktd_cipher *c);

/** @brief IV length the mode needs. @param c the handle. @return bytes (16 for cbc/ctr/xts(aes), 0 for ecb). @since 1.0 */
PKTD_API size_t pktd_cipher_iv_size(const pktd_cipher *c);
/** @brief Block size. @param c the handle. @return bytes (16 for cbc/ecb/xts(aes), 1 for ctr). @since 1.0 */
PKTD_API size_t pktd_cipher_block_size(const pktd_cipher *c);
/** @brief Unit in which streamed output is produced. @param c the handle. @return bytes (16 for the AES modes). @since 1.0 */
PKTD_API size_t pktd_cipher_chunk_size(const pktd_cipher *c);
/** @brief Smallest key length. @param c the handle. @return bytes. @since 1.0 */
PKTD_API size_t pktd_cipher_key_min(const pktd_cipher *c);
/** @brief Largest key length. @param c the handle. @return bytes. @since 1.0 */
PKTD_API size_t pktd_cipher_key_max(const pktd_cipher *c);
/** @brief Whether the IV chains across requests, allowing streaming and inputs of any size. @param c the handle. @return 1 or 0. @since 1.0 */
PKTD_API int pktd_cipher_can_stream(const pktd_cipher *c);
/** @brief Largest one-shot input. @param c the handle. @return SIZE_MAX when pktd_cipher_can_stream(), else one request's limit (64 KiB, less with a small net.core.wmem_max). @since 1.0 */
PKTD_API size_t pktd_cipher_max_len(const pktd_cipher *c);
/** @brief The algorithm name given to pktd_cipher_open(). @param c the handle. @return a string owned by the handle. @since 1.0 */
PKTD_API const char *pktd_cipher_name(const pktd_cipher *c);

/**
 * @brief Which call failed last, e.g. "sendmsg(cbc(aes)): Required key not
 *        available: the algorithm needs a key".
 * @param c the handle.
 * @return A string owned by the handle, valid until the next call, shorter
 *         than #PKTD_ERRBUF_SIZE; "" if none.
 * @since 1.0
 */
PKTD_API const char *pktd_cipher_errmsg(const pktd_cipher *c);

PKTD_END_DECLS

#endif /* PKTDECODE_CIPHER_H */
