/* AF_ALG hash handle.  The bound (transform) socket holds the algorithm and
 * the key; one operation socket, accepted lazily and then reused, carries
 * the data.  The kernel's rules decide the call sequence:
 *   - every send but the one that completes a message carries MSG_MORE
 *     (since Linux 5.9 a stray send without it ends the message);
 *   - a read finishes the digest, pending MSG_MORE data included, and
 *     leaves the socket ready for the next message;
 *   - accept() on the operation socket copies its partial state (clone);
 *   - the key may change only while no keyed operation socket exists. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode/error.h>
#include <pktdecode/hash.h>

#include "alg_sizes.h"
#include "alg_socket.h"

struct pktd_hash {
    int tfm_fd;     /* bound socket: algorithm and key */
    int op_fd;      /* operation socket, -1 until needed or after a failure */
    int pending;    /* MSG_MORE data sent: a partial digest is in the kernel */
    uint32_t digest_size;
    uint32_t block_size;
    char name[PKTD__ALG_NAME_SIZE];
    char errmsg[PKTD__ALG_ERRMSG_SIZE];
};

/* Forget the operation socket and any partial state with it. */
static void drop_op(pktd_hash *h)
{
    pktd__alg_close(&h->op_fd);
    h->pending = 0;
}

static int need_op(pktd_hash *h)
{
    if (h->op_fd >= 0)
        return 0;
    return pktd__alg_accept(h->tfm_fd, h->name, &h->op_fd, h->errmsg, sizeof h->errmsg);
}

int pktd_hash_open(pktd_hash **out, const char *name)
{
    if (out == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    *out = NULL;
    int rc = pktd__alg_check_name("hash", name);
    if (rc < 0)
        return rc;
    pktd_hash *h = calloc(1, sizeof *h);
    if (h == NULL)
        return -ENOMEM;
    h->tfm_fd = h->op_fd = -1;
    snprintf(h->name, sizeof h->name, "%s", name);
    rc = pktd__alg_bind("hash", name, &h->tfm_fd, h->errmsg, sizeof h->errmsg);
    if (rc < 0)
        goto fail;
    struct pktd__alg_info info;
    rc = pktd__alg_info_lookup(PKTD__ALG_HASH, name, NULL, &info, h->errmsg, sizeof h->errmsg);
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
    pktd__alg_close(&h->tfm_fd);
    free(h);
    return rc;
}

void pktd_hash_close(pktd_hash *h)
{
    if (h == NULL)
        return;
    pktd__alg_close(&h->op_fd);
    pktd__alg_close(&h->tfm_fd);
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
    h->errmsg[0] = '\0';
    /* Our own keyed operation socket would make the kernel refuse the new
     * key (EBUSY); a fresh one is accepted on the next use. */
    drop_op(h);
    static const uint8_t none[1];
    return pktd__alg_setkey(h->tfm_fd, h->name, key != NULL ? key : none, keylen, h->errmsg,
                            sizeof h->errmsg);
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
        int rc = pktd__alg_send(h->op_fd, h->name, -1, NULL, 0, data + off, n, more, h->errmsg,
                                sizeof h->errmsg);
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
    h->errmsg[0] = '\0';
    int rc = need_op(h);
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
    int rc = pktd__alg_read_some(h->op_fd, h->name, md, mdlen, h->errmsg, sizeof h->errmsg);
    h->pending = 0;
    return rc;
}

int pktd_hash_final(pktd_hash *h, uint8_t *md, size_t mdlen)
{
    if (h == NULL || md == NULL || mdlen == 0)
        return PKTD_E_INVALID_ARGUMENT;
    h->errmsg[0] = '\0';
    int rc = need_op(h);
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
    h->errmsg[0] = '\0';
    int rc = need_op(h);
    if (rc == 0)
        rc = send_pieces(h, data, len, 0);
    if (rc == 0)
        rc = read_digest(h, md, mdlen);
    if (rc < 0)
        drop_op(h);
    return rc;
}

int pktd_hash_clone(pktd_hash **out, const pktd_hash *h)
{
    if (out == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    *out = NULL;
    if (h == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    pktd_hash *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -ENOMEM;
    memcpy(c->name, h->name, sizeof c->name);
    c->digest_size = h->digest_size;
    c->block_size = h->block_size;
    c->op_fd = -1;
    int rc = 0;
    /* The clone's own descriptor of the same transform: it shares the key,
     * and lets the clone accept fresh operation sockets later. */
    c->tfm_fd = fcntl(h->tfm_fd, F_DUPFD_CLOEXEC, 0);
    if (c->tfm_fd < 0) {
        rc = -errno;
        goto fail;
    }
    if (h->pending && h->op_fd >= 0) {
        rc = pktd__alg_accept(h->op_fd, c->name, &c->op_fd, c->errmsg, sizeof c->errmsg);
        if (rc < 0)
            goto fail;
        c->pending = 1;
    }
    *out = c;
    return 0;
fail:
    pktd__alg_close(&c->op_fd);
    pktd__alg_close(&c->tfm_fd);
    free(c);
    return rc;
}

uint32_t pktd_hash_digest_size(const pktd_hash *h)
{
    return h != NULL ? h->digest_size : 0;
}

uint32_t pktd_hash_block_size(const pktd_hash *h)
{
    return h != NULL ? h->block_size : 0;
}

const char *pktd_hash_name(const pktd_hash *h)
{
    return h != NULL ? h->name : "";
}

const char *pktd_hash_errmsg(const pktd_hash *h)
{
    return h != NULL ? h->errmsg : "";
}
