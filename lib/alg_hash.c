/* AF_ALG hash handle.  The bound (transform) socket holds the algorithm and
 * the key; one operation socket, accepted lazily and then reused, carries
 * the data.  The kernel's rules decide the call sequence:
 *   - every send but the one that completes a message carries MSG_MORE
 *     (since Linux 5.9 a stray send without it ends the message);
 *   - a read finishes the digest, pending MSG_MORE data included, and
 *     leaves the socket ready for the next message;
 *   - accept() on the operation socket copies its partial state (clone),
 *     but the new socket belongs to the same transform as the old one;
 *   - the key may change only while no keyed operation socket exists.
 * A clone therefore gets a transform socket of its own, keyed with the same
 * key, so that re-keying one handle never changes the other: the handle
 * keeps a copy of its key for that (wiped when replaced, on close and on
 * every failure).  Only a clone made mid-message borrows an operation
 * socket of its origin's transform, for the rest of that one message. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/alg.h>
#include <pktdecode/error.h>
#include <pktdecode/hash.h>

#include "alg_handle.h"
#include "alg_sizes.h"

struct pktd_hash {
    struct pktd__alg_handle a; /* transform and operation sockets, name, errmsg */
    int pending;    /* MSG_MORE data sent: a partial digest is in the kernel */
    int op_borrowed; /* a.op_fd was accepted from another handle's operation
                      * socket (a clone mid-message): it belongs to that
                      * handle's transform and is dropped after this message */
    uint8_t *key;   /* copy of the key set, to key clones; NULL when none */
    size_t keylen;
    size_t digest_size;
    size_t block_size;
};

/* Forget the operation socket and any partial state with it. */
static void drop_op(pktd_hash *h)
{
    pktd__alg_handle_drop_op(&h->a);
    h->pending = 0;
    h->op_borrowed = 0;
}

/* Wipe and free the key copy. */
static void forget_key(pktd_hash *h)
{
    if (h->key != NULL) {
        pktd__alg_wipe(h->key, h->keylen);
        free(h->key);
    }
    h->key = NULL;
    h->keylen = 0;
}

/* A message has ended: an operation socket borrowed from another handle's
 * transform is given back, so the next message uses this handle's own
 * transform and key. */
static void message_done(pktd_hash *h)
{
    h->pending = 0;
    if (h->op_borrowed)
        drop_op(h);
}

int pktd_hash_open(pktd_hash **out, const char *name, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL)
        return pktd__alg_handle_report(NULL, PKTD_E_INVALID_ARGUMENT, "pktd_hash_open", name,
                                       errbuf);
    *out = NULL;
    pktd_hash *h = calloc(1, sizeof *h);
    if (h == NULL)
        return pktd__alg_handle_report(NULL, -ENOMEM, "pktd_hash_open", name, errbuf);
    int rc = pktd__alg_handle_open(&h->a, PKTD_ALG_TYPE_HASH, name);
    if (rc < 0)
        goto fail;
    struct pktd__alg_info info;
    rc = pktd__alg_info_lookup(PKTD__ALG_HASH, name, NULL, &info, h->a.errmsg);
    if (rc < 0) {
        if (rc != -ENOMEM)
            rc = PKTD_E_UNSUPPORTED;
        goto fail;
    }
    h->digest_size = info.digest_size;
    h->block_size = info.block_size;
    *out = h;
    return 0;
fail:
    pktd__alg_handle_report(&h->a, rc, "pktd_hash_open", name, errbuf);
    pktd__alg_handle_close(&h->a);
    free(h);
    return rc;
}

void pktd_hash_close(pktd_hash *h)
{
    if (h == NULL)
        return;
    pktd__alg_handle_close(&h->a);
    forget_key(h);
    free(h);
}

void pktd_hash_reset(pktd_hash *h)
{
    if (h != NULL)
        drop_op(h);
}

int pktd_hash_setkey(pktd_hash *h, const uint8_t *key, size_t keylen)
{
    if (h == NULL || (key == NULL && keylen > 0))
        return PKTD_E_INVALID_ARGUMENT;
    h->a.errmsg[0] = '\0';
    /* The copy that keys clones, made first so that a failed allocation
     * leaves the kernel's key and ours as they were. */
    uint8_t *copy = malloc(keylen > 0 ? keylen : 1);
    if (copy == NULL) {
        return pktd__errmsgf(h->a.errmsg, -ENOMEM,
                             "%s: no memory for a copy of the key", h->a.name);
    }
    if (keylen > 0)
        memcpy(copy, key, keylen);
    /* Our own keyed operation socket would make the kernel refuse the new
     * key (EBUSY); a fresh one is accepted on the next use. */
    drop_op(h);
    int rc = pktd__alg_setkey(h->a.tfm_fd, h->a.name, copy, keylen, h->a.errmsg);
    if (rc < 0) {
        pktd__alg_wipe(copy, keylen);
        free(copy);
        /* EBUSY: the kernel refused before touching the key, the old one
         * stands.  Any other failure may leave the transform without a
         * key (the kernel marks it as needing one), and a clone must not
         * get a key the original may no longer have. */
        if (rc != -EBUSY)
            forget_key(h);
        return rc;
    }
    forget_key(h);
    h->key = copy;
    h->keylen = keylen;
    return 0;
}

/* Send len bytes in pieces of at most 64 KiB; the last piece carries
 * MSG_MORE only if more_at_end is set. */
static int send_pieces(pktd_hash *h, const uint8_t *data, size_t len, int more_at_end)
{
    size_t off = 0;
    do {
        size_t n = len - off;
        if (n > PKTD__ALG_CHUNK_MAX)
            n = PKTD__ALG_CHUNK_MAX;
        int more = off + n < len || more_at_end;
        int rc = pktd__alg_send(h->a.op_fd, h->a.name, -1, NULL, 0, data + off, n, more,
                                h->a.errmsg);
        if (rc < 0)
            return rc;
        off += n;
    } while (off < len);
    return 0;
}

int pktd_hash_update(pktd_hash *h, const uint8_t *data, size_t len)
{
    if (h == NULL || (data == NULL && len > 0))
        return PKTD_E_INVALID_ARGUMENT;
    if (len == 0)
        return 0;
    h->a.errmsg[0] = '\0';
    int rc = pktd__alg_handle_need_op(&h->a);
    if (rc == 0)
        rc = send_pieces(h, data, len, 1);
    if (rc < 0) {
        drop_op(h);
        return rc;
    }
    h->pending = 1;
    return 0;
}

static int read_digest(pktd_hash *h, uint8_t *md, size_t mdlen)
{
    if (mdlen > h->digest_size)
        mdlen = h->digest_size;
    int rc = pktd__alg_read_some(h->a.op_fd, h->a.name, md, mdlen, h->a.errmsg);
    message_done(h);
    return rc;
}

int pktd_hash_final(pktd_hash *h, uint8_t *md, size_t mdlen)
{
    if (h == NULL || md == NULL || mdlen == 0)
        return PKTD_E_INVALID_ARGUMENT;
    h->a.errmsg[0] = '\0';
    int rc = pktd__alg_handle_need_op(&h->a);
    if (rc == 0)
        rc = read_digest(h, md, mdlen);
    if (rc < 0)
        drop_op(h);
    return rc;
}

int pktd_hash_digest(pktd_hash *h, const uint8_t *data, size_t len, uint8_t *md, size_t mdlen)
{
    if (h == NULL || (data == NULL && len > 0) || md == NULL || mdlen == 0)
        return PKTD_E_INVALID_ARGUMENT;
    if (h->pending)
        return PKTD_E_BAD_STATE;
    h->a.errmsg[0] = '\0';
    int rc = pktd__alg_handle_need_op(&h->a);
    if (rc == 0)
        rc = send_pieces(h, data, len, 0);
    if (rc == 0)
        rc = read_digest(h, md, mdlen);
    if (rc < 0)
        drop_op(h);
    return rc;
}

int pktd_hash_clone(pktd_hash **out, const pktd_hash *h, char *errbuf)
{
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (out == NULL || h == NULL) {
        if (out != NULL)
            *out = NULL;
        return pktd__alg_handle_report(NULL, PKTD_E_INVALID_ARGUMENT, "pktd_hash_clone", "",
                                       errbuf);
    }
    *out = NULL;
    pktd_hash *c = calloc(1, sizeof *c);
    if (c == NULL)
        return pktd__alg_handle_report(NULL, -ENOMEM, "pktd_hash_clone", h->a.name, errbuf);
    c->digest_size = h->digest_size;
    c->block_size = h->block_size;
    /* A transform of its own, keyed with the same key: re-keying either
     * handle later leaves the other alone. */
    int rc = pktd__alg_handle_open(&c->a, PKTD_ALG_TYPE_HASH, h->a.name);
    if (rc < 0)
        goto fail;
    if (h->key != NULL) {
        c->key = malloc(h->keylen > 0 ? h->keylen : 1);
        if (c->key == NULL) {
            rc = -ENOMEM;
            goto fail;
        }
        if (h->keylen > 0)
            memcpy(c->key, h->key, h->keylen);
        c->keylen = h->keylen;
        rc = pktd__alg_setkey(c->a.tfm_fd, c->a.name, c->key, c->keylen, c->a.errmsg);
        if (rc < 0)
            goto fail;
    }
    if (h->pending && h->a.op_fd >= 0) {
        /* The partial state can only be copied by accepting from the
         * original's operation socket, which ties the copy to the
         * original's transform (same key) until this message ends. */
        rc = pktd__alg_accept(h->a.op_fd, c->a.name, &c->a.op_fd, c->a.errmsg);
        if (rc < 0)
            goto fail;
        c->pending = 1;
        c->op_borrowed = 1;
    }
    *out = c;
    return 0;
fail:
    pktd__alg_handle_report(&c->a, rc, "pktd_hash_clone", h->a.name, errbuf);
    pktd__alg_handle_close(&c->a);
    forget_key(c);
    free(c);
    return rc;
}

size_t pktd_hash_digest_size(const pktd_hash *h)
{
    return h != NULL ? h->digest_size : 0;
}

size_t pktd_hash_block_size(const pktd_hash *h)
{
    return h != NULL ? h->block_size : 0;
}

const char *pktd_hash_name(const pktd_hash *h)
{
    return h != NULL ? h->a.name : "";
}

const char *pktd_hash_errmsg(const pktd_hash *h)
{
    return h != NULL ? h->a.errmsg : "";
}
