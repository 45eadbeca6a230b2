/* AF_ALG skcipher handle.  The bound socket holds the algorithm and key;
 * one operation socket, kept across calls, carries requests.  A request
 * starts with a sendmsg carrying ALG_SET_OP and ALG_SET_IV; its data follows
 * in sends of at most `chunk` bytes, each read back before the next is
 * sent, so the kernel's queue never outgrows the socket send buffer (a send
 * into a full buffer sleeps until a read that a single thread can never
 * make: libkcapi issue 88).  While MSG_MORE is set the kernel only processes
 * whole chunks (chunksize) and keeps the IV it reached in its context, so
 * CBC and CTR continue correctly from one read to the next; the handle
 * mirrors how many bytes are queued so it never reads when the kernel would
 * wait for more input. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/alg.h>
#include <pktdecode/cipher.h>
#include <pktdecode/error.h>

#include "alg_handle.h"
#include "alg_sizes.h"

struct pktd_cipher {
    struct pktd__alg_handle a; /* transform and operation sockets, name, errmsg */
    int has_key;     /* a key was set successfully */
    int op_keyed;    /* a.op_fd counts as keyed: a new key would get EBUSY */
    int streaming;   /* between begin and end */
    size_t pending;  /* streamed bytes queued in the kernel, not yet read (< chunk_size) */
    size_t chunk;    /* most bytes queued at once on a.op_fd */
    struct pktd__alg_info info;
};

static void drop_op(pktd_cipher *c)
{
    pktd__alg_handle_drop_op(&c->a);
    c->op_keyed = 0;
    c->streaming = 0;
    c->pending = 0;
}

static int need_op(pktd_cipher *c)
{
    if (c->a.op_fd >= 0)
        return 0;
    int rc = pktd__alg_handle_need_op(&c->a);
    if (rc < 0)
        return rc;
    c->chunk = pktd__alg_op_chunk(c->a.op_fd, c->info.chunk_size);
    /* Accepted after the key was set, the socket holds a reference to the
     * keyed transform; before, it is a "nokey" socket until first used. */
    c->op_keyed = c->has_key;
    return 0;
}

int pktd_cipher_open(pktd_cipher **out, const char *name, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL)
        return pktd__alg_handle_report(NULL, PKTD_E_INVALID_ARGUMENT, "pktd_cipher_open", name,
                                       errbuf);
    *out = NULL;
    pktd_cipher *c = calloc(1, sizeof *c);
    if (c == NULL)
        return pktd__alg_handle_report(NULL, -ENOMEM, "pktd_cipher_open", name, errbuf);
    int rc = pktd__alg_handle_open(&c->a, PKTD_ALG_TYPE_SKCIPHER, name);
    if (rc < 0)
        goto fail;
    rc = pktd__alg_info_lookup(PKTD__ALG_SKCIPHER, name, NULL, &c->info, c->a.errmsg);
    if (rc < 0) {
        if (rc != -ENOMEM)
            rc = PKTD_E_UNSUPPORTED;
        goto fail;
    }
    if (c->info.chunk_size == 0 || c->info.block_size == 0) {
        rc = pktd__errmsgf(c->a.errmsg, PKTD_E_UNSUPPORTED,
                           "%s: the kernel reports no block or chunk size for it", name);
        goto fail;
    }
    /* Accepting now (a nokey socket until the key is set) sizes the
     * chunks, so pktd_cipher_max_len() is exact from the start. */
    rc = need_op(c);
    if (rc < 0)
        goto fail;
    *out = c;
    return 0;
fail:
    pktd__alg_handle_report(&c->a, rc, "pktd_cipher_open", name, errbuf);
    pktd__alg_handle_close(&c->a);
    free(c);
    return rc;
}

void pktd_cipher_close(pktd_cipher *c)
{
    if (c == NULL)
        return;
    pktd__alg_handle_close(&c->a);
    free(c);
}

void pktd_cipher_reset(pktd_cipher *c)
{
    if (c != NULL && c->streaming)
        drop_op(c);
}

int pktd_cipher_setkey(pktd_cipher *c, const uint8_t *key, size_t keylen)
{
    if (c == NULL || key == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    c->a.errmsg[0] = '\0';
    if (c->op_keyed || c->streaming)
        drop_op(c);
    int rc = pktd__alg_setkey(c->a.tfm_fd, c->a.name, key, keylen, c->a.errmsg);
    if (rc == 0)
        c->has_key = 1;
    return rc;
}

static int check_iv(pktd_cipher *c, const uint8_t *iv, size_t ivlen)
{
    if (ivlen != c->info.iv_size || (ivlen > 0 && iv == NULL)) {
        return pktd__errmsgf(c->a.errmsg, PKTD_E_INVALID_ARGUMENT,
                             "%s needs a %u-byte IV, got %zu bytes%s", c->a.name, c->info.iv_size,
                             ivlen, iv == NULL && ivlen > 0 ? " at NULL" : "");
    }
    return 0;
}

static int check_blocks(pktd_cipher *c, size_t len)
{
    if (c->info.whole_blocks && len % c->info.block_size != 0) {
        return pktd__errmsgf(c->a.errmsg, PKTD_E_INVALID_ARGUMENT,
                             "%s needs whole %u-byte blocks, got %zu bytes (pad the input)",
                             c->a.name, c->info.block_size, len);
    }
    return 0;
}

static int crypt_oneshot(pktd_cipher *c, int dir, const uint8_t *iv, size_t ivlen,
                         const uint8_t *in, size_t len, uint8_t *out)
{
    if (c == NULL || (len > 0 && (in == NULL || out == NULL)))
        return PKTD_E_INVALID_ARGUMENT;
    if (c->streaming)
        return PKTD_E_BAD_STATE;
    c->a.errmsg[0] = '\0';
    int rc = check_iv(c, iv, ivlen);
    if (rc == 0)
        rc = check_blocks(c, len);
    if (rc < 0 || len == 0)
        return rc;
    rc = need_op(c);
    if (rc < 0)
        return rc;
    if (!c->info.chains_iv && len > c->chunk) {
        return pktd__errmsgf(c->a.errmsg, PKTD_E_TOO_LARGE,
                             "%s cannot be split into requests; at most %zu bytes per call",
                             c->a.name, c->chunk);
    }
    size_t off = 0;
    while (off < len) {
        size_t n = len - off < c->chunk ? len - off : c->chunk;
        int more = off + n < len;
        rc = pktd__alg_send(c->a.op_fd, c->a.name, off == 0 ? dir : -1, iv, ivlen, in + off, n,
                            more, c->a.errmsg);
        c->op_keyed = 1;
        if (rc == 0)
            rc = pktd__alg_read_all(c->a.op_fd, c->a.name, out + off, n, c->a.errmsg);
        if (rc < 0) {
            drop_op(c);
            return rc;
        }
        off += n;
    }
    return 0;
}

int pktd_cipher_encrypt(pktd_cipher *c, const uint8_t *iv, size_t ivlen, const uint8_t *in,
                        size_t len, uint8_t *out)
{
    return crypt_oneshot(c, 1, iv, ivlen, in, len, out);
}

int pktd_cipher_decrypt(pktd_cipher *c, const uint8_t *iv, size_t ivlen, const uint8_t *in,
                        size_t len, uint8_t *out)
{
    return crypt_oneshot(c, 0, iv, ivlen, in, len, out);
}

int pktd_cipher_begin(pktd_cipher *c, uint32_t direction, const uint8_t *iv, size_t ivlen)
{
    if (c == NULL || direction > PKTD_CIPHER_ENCRYPT)
        return PKTD_E_INVALID_ARGUMENT;
    if (c->streaming)
        return PKTD_E_BAD_STATE;
    c->a.errmsg[0] = '\0';
    if (!c->info.chains_iv) {
        return pktd__errmsgf(c->a.errmsg, PKTD_E_UNSUPPORTED,
                             "%s does not carry its IV across requests: no streaming", c->a.name);
    }
    int rc = check_iv(c, iv, ivlen);
    if (rc < 0)
        return rc;
    rc = need_op(c);
    if (rc < 0)
        return rc;
    /* The request header alone, with MSG_MORE: data follows. */
    rc = pktd__alg_send(c->a.op_fd, c->a.name, (int)direction, iv, ivlen, NULL, 0, 1, c->a.errmsg);
    c->op_keyed = 1;
    if (rc < 0) {
        drop_op(c);
        return rc;
    }
    c->streaming = 1;
    c->pending = 0;
    return 0;
}

/* Feed in[0..len) and read back what the kernel will release; the last
 * piece goes without MSG_MORE when final is set, and then everything
 * pending is read. */
static int stream(pktd_cipher *c, const uint8_t *in, size_t len, uint8_t *out, size_t *outlen,
                  int final)
{
    size_t cs = c->info.chunk_size;
    for (;;) {
        size_t room = c->chunk - c->pending;
        size_t n = len < room ? len : room;
        int last = n == len;
        if (n > 0 || (last && final)) {
            int rc = pktd__alg_send(c->a.op_fd, c->a.name, -1, NULL, 0, in, n, !(last && final),
                                    c->a.errmsg);
            if (rc < 0)
                return rc;
        }
        in += n;
        len -= n;
        c->pending += n;
        size_t r = last && final ? c->pending : c->pending - c->pending % cs;
        if (r > 0) {
            int rc = pktd__alg_read_all(c->a.op_fd, c->a.name, out, r, c->a.errmsg);
            if (rc < 0)
                return rc;
            out += r;
            *outlen += r;
            c->pending -= r;
        }
        if (last)
            return 0;
    }
}

static int stream_args(pktd_cipher *c, const uint8_t *in, size_t len, size_t *outlen)
{
    if (c == NULL || outlen == NULL || (len > 0 && in == NULL))
        return PKTD_E_INVALID_ARGUMENT;
    *outlen = 0;
    if (!c->streaming)
        return PKTD_E_BAD_STATE;
    if (len > SIZE_MAX - c->info.chunk_size)
        return PKTD_E_INVALID_ARGUMENT;
    c->a.errmsg[0] = '\0';
    return 0;
}

static int out_room(pktd_cipher *c, uint8_t *out, size_t outcap, size_t need)
{
    if (need > 0 && (out == NULL || outcap < need)) {
        return pktd__errmsgf(c->a.errmsg, PKTD_E_INVALID_ARGUMENT,
                             "output room %zu < %zu bytes", outcap, need);
    }
    return 0;
}

int pktd_cipher_update(pktd_cipher *c, const uint8_t *in, size_t len, uint8_t *out,
                       size_t outcap, size_t *outlen)
{
    int rc = stream_args(c, in, len, outlen);
    if (rc < 0)
        return rc;
    size_t total = c->pending + len;
    rc = out_room(c, out, outcap, total - total % c->info.chunk_size);
    if (rc < 0)
        return rc;
    if (len == 0)
        return 0;
    rc = stream(c, in, len, out, outlen, 0);
    if (rc < 0)
        drop_op(c);
    return rc;
}

int pktd_cipher_end(pktd_cipher *c, const uint8_t *in, size_t len, uint8_t *out, size_t outcap,
                    size_t *outlen)
{
    int rc = stream_args(c, in, len, outlen);
    if (rc < 0)
        return rc;
    size_t total = c->pending + len;
    rc = check_blocks(c, total);
    if (rc == 0)
        rc = out_room(c, out, outcap, total);
    if (rc < 0)
        return rc;
    rc = stream(c, in, len, out, outlen, 1);
    if (rc < 0) {
        drop_op(c);
        return rc;
    }
    c->streaming = 0;
    c->pending = 0;
    return 0;
}

size_t pktd_cipher_iv_size(const pktd_cipher *c)
{
    return c != NULL ? c->info.iv_size : 0;
}

size_t pktd_cipher_block_size(const pktd_cipher *c)
{
    return c != NULL ? c->info.block_size : 0;
}

size_t pktd_cipher_chunk_size(const pktd_cipher *c)
{
    return c != NULL ? c->info.chunk_size : 0;
}

size_t pktd_cipher_key_min(const pktd_cipher *c)
{
    return c != NULL ? c->info.key_min : 0;
}

size_t pktd_cipher_key_max(const pktd_cipher *c)
{
    return c != NULL ? c->info.key_max : 0;
}

int pktd_cipher_can_stream(const pktd_cipher *c)
{
    return c != NULL && c->info.chains_iv;
}

size_t pktd_cipher_max_len(const pktd_cipher *c)
{
    if (c == NULL)
        return 0;
    return c->info.chains_iv ? SIZE_MAX : c->chunk;
}

const char *pktd_cipher_name(const pktd_cipher *c)
{
    return c != NULL ? c->a.name : "";
}

const char *pktd_cipher_errmsg(const pktd_cipher *c)
{
    return c != NULL ? c->a.errmsg : "";
}
