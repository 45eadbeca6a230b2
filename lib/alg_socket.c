/* AF_ALG socket layer: the only file that talks to the kernel's crypto
 * sockets.  Plain socket/bind/accept4/setsockopt/sendmsg/read: no vmsplice
 * (zero-copy is gone from the kernel since 7.2 and was the door for
 * CVE-2026-31431) and no AIO (it only pays off with several requests in
 * flight, which one handle per thread never has). */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_alg.h>

#include <pktdecode/alg.h>
#include <pktdecode/error.h>

#include "alg_socket.h"
#include "common.h"

#ifndef AF_ALG
# define AF_ALG 38
#endif
#ifndef SOL_ALG
# define SOL_ALG 279
#endif

int pktd__alg_check_name(const char *type, const char *name)
{
    if (type == NULL || name == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    if (strcmp(type, PKTD_ALG_TYPE_HASH) != 0 && strcmp(type, PKTD_ALG_TYPE_SKCIPHER) != 0)
        return PKTD_E_INVALID_ARGUMENT;
    size_t n = strlen(name);
    if (n == 0 || n >= PKTD__ALG_NAME_SIZE)
        return PKTD_E_INVALID_ARGUMENT;
    return 0;
}

/* Why pktd__alg_check_name() said no, in a sentence. */
static void name_errmsg(char *errmsg, const char *type, const char *name)
{
    int rc = PKTD_E_INVALID_ARGUMENT;
    if (type == NULL || (strcmp(type, PKTD_ALG_TYPE_HASH) != 0 &&
                         strcmp(type, PKTD_ALG_TYPE_SKCIPHER) != 0))
        pktd__errmsgf(errmsg, rc,
                      "AF_ALG type %s%s%s: must be \"" PKTD_ALG_TYPE_HASH
                      "\" or \"" PKTD_ALG_TYPE_SKCIPHER "\"",
                      type != NULL ? "\"" : "", type != NULL ? type : "NULL",
                      type != NULL ? "\"" : "");
    else if (name == NULL)
        pktd__errmsgf(errmsg, rc, "AF_ALG %s: no algorithm name (NULL)", type);
    else if (name[0] == '\0')
        pktd__errmsgf(errmsg, rc, "AF_ALG %s: empty algorithm name", type);
    else
        pktd__errmsgf(errmsg, rc, "AF_ALG %s name \"%.40s...\": %zu bytes, at most %u", type, name,
                      strlen(name), PKTD__ALG_NAME_SIZE - 1);
}

int pktd__alg_errmsg(char *errmsg, const char *call, const char *name, int err)
{
    /* "bind(sha256)", but "socket(AF_ALG) for sha256"; then strerror and,
     * when the error means "unavailable", what that means for AF_ALG. */
    if (strchr(call, '(') != NULL)
        pktd__errmsgf(errmsg, err, "%s for %s: %s", call, name, pktd_strerror(err));
    else
        pktd__errmsg(errmsg, call, name, err);
    if (pktd_alg_is_unavailable(err))
        pktd__errmsgf(errmsg, err, "%s: %s", errmsg, pktd_alg_strerror(err));
    return err;
}

void pktd__alg_close(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;
        close(*fd);
        errno = saved;
        *fd = -1;
    }
}

void pktd__alg_wipe(void *p, size_t len)
{
    if (p == NULL || len == 0)
        return;
#ifdef HAVE_EXPLICIT_BZERO
    explicit_bzero(p, len);
#else
    /* A volatile function pointer: the compiler cannot prove the call is a
     * plain memset of dead memory, so it cannot remove it. */
    static void *(*const volatile wipe)(void *, int, size_t) = memset;
    wipe(p, 0, len);
#endif
}

int pktd__alg_bind(const char *type, const char *name, int *fd, char *errmsg)
{
    *fd = -1;
    int rc = pktd__alg_check_name(type, name);
    if (rc < 0) {
        name_errmsg(errmsg, type, name);
        return rc;
    }

    struct sockaddr_alg sa;
    memset(&sa, 0, sizeof sa);
    sa.salg_family = AF_ALG;
    memcpy(sa.salg_type, type, strlen(type) + 1);
    memcpy(sa.salg_name, name, strlen(name) + 1);

    int s = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (s < 0) {
        rc = -errno;
        pktd__alg_errmsg(errmsg, "socket(AF_ALG)", name, rc);
        return rc;
    }
    if (bind(s, (const struct sockaddr *)&sa, sizeof sa) < 0) {
        rc = -errno;
        pktd__alg_errmsg(errmsg, "bind", name, rc);
        pktd__alg_close(&s);
        return rc;
    }
    *fd = s;
    return 0;
}

int pktd__alg_accept(int fd, const char *name, int *op, char *errmsg)
{
    int s;
    do
        s = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    while (s < 0 && errno == EINTR);
    if (s < 0) {
        *op = -1;
        int rc = -errno;
        pktd__alg_errmsg(errmsg, "accept4", name, rc);
        return rc;
    }
    *op = s;
    return 0;
}

int pktd__alg_setkey(int fd, const char *name, const uint8_t *key, size_t keylen, char *errmsg)
{
    if (keylen > 0x7fffffffu)
        return PKTD_E_INVALID_ARGUMENT;
    if (setsockopt(fd, SOL_ALG, ALG_SET_KEY, key, (socklen_t)keylen) < 0) {
        int rc = -errno;
        pktd__alg_errmsg(errmsg, "setsockopt(ALG_SET_KEY)", name, rc);
        return rc;
    }
    return 0;
}

static size_t page_size(void)
{
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096u;
}

static size_t usable_sndbuf(int op, size_t page)
{
    int v = 0;
    socklen_t len = sizeof v;
    if (getsockopt(op, SOL_SOCKET, SO_SNDBUF, &v, &len) < 0 || v <= 0)
        return page;
    /* The kernel counts queued data against the buffer rounded down to
     * whole pages, and never less than one page (af_alg_sndbuf()). */
    size_t b = (size_t)v & ~(page - 1);
    return b < page ? page : b;
}

size_t pktd__alg_op_chunk(int op, size_t align)
{
    size_t page = page_size();
    size_t want = PKTD__ALG_CHUNK_MAX + page;
    size_t buf = usable_sndbuf(op, page);
    if (buf < want) {
        /* Ask for enough room; the kernel doubles the request and caps it
         * at net.core.wmem_max, so read back what it granted. */
        int req = (int)want;
        if (setsockopt(op, SOL_SOCKET, SO_SNDBUF, &req, sizeof req) == 0)
            buf = usable_sndbuf(op, page);
    }
    /* One page of slack: the kernel checks for a free page, not a free
     * byte, before it copies each new page of a send. */
    size_t chunk = buf > page ? buf - page : page / 2;
    if (chunk > PKTD__ALG_CHUNK_MAX)
        chunk = PKTD__ALG_CHUNK_MAX;
    if (align > 1) {
        chunk -= chunk % align;
        if (chunk == 0)
            chunk = align;
    }
    return chunk;
}

int pktd__alg_send(int op, const char *name, int op_dir, const uint8_t *iv, size_t ivlen,
                   const uint8_t *data, size_t len, int more, char *errmsg)
{
    if (ivlen > PKTD__ALG_IV_MAX)
        return PKTD_E_INVALID_ARGUMENT;
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(uint32_t)) +
                    CMSG_SPACE(sizeof(struct af_alg_iv) + PKTD__ALG_IV_MAX)];
    } ctl;
    size_t ctllen = 0;
    if (op_dir >= 0) {
        memset(&ctl, 0, sizeof ctl);
        struct msghdr tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.msg_control = ctl.buf;
        tmp.msg_controllen = CMSG_SPACE(sizeof(uint32_t)) +
                             (ivlen > 0 ? CMSG_SPACE(sizeof(struct af_alg_iv) + ivlen) : 0);
        struct cmsghdr *c = CMSG_FIRSTHDR(&tmp);
        c->cmsg_level = SOL_ALG;
        c->cmsg_type = ALG_SET_OP;
        c->cmsg_len = CMSG_LEN(sizeof(uint32_t));
        uint32_t dir = op_dir ? ALG_OP_ENCRYPT : ALG_OP_DECRYPT;
        memcpy(CMSG_DATA(c), &dir, sizeof dir);
        if (ivlen > 0) {
            c = CMSG_NXTHDR(&tmp, c);
            c->cmsg_level = SOL_ALG;
            c->cmsg_type = ALG_SET_IV;
            c->cmsg_len = CMSG_LEN(sizeof(struct af_alg_iv) + ivlen);
            struct af_alg_iv *aiv = (struct af_alg_iv *)(void *)CMSG_DATA(c);
            aiv->ivlen = (uint32_t)ivlen;
            memcpy(aiv->iv, iv, ivlen);
        }
        ctllen = tmp.msg_controllen;
    }

    int rc = 0;
    size_t off = 0;
    for (;;) {
        struct iovec iov;
        iov.iov_base = (void *)(uintptr_t)(data + off);
        iov.iov_len = len - off;
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (ctllen > 0) {
            msg.msg_control = ctl.buf;
            msg.msg_controllen = ctllen;
        }
        ssize_t r = sendmsg(op, &msg, more ? MSG_MORE : 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            pktd__alg_errmsg(errmsg, ctllen > 0 ? "sendmsg" : "send", name, rc);
            break;
        }
        if (r == 0 && off < len) {
            rc = -EIO;
            pktd__alg_errmsg(errmsg, "send", name, rc);
            break;
        }
        /* The request has started: the rest, if a signal split the send,
         * is plain data for the same request. */
        if (ctllen > 0) {
            pktd__alg_wipe(&ctl, sizeof ctl);
            ctllen = 0;
        }
        off += (size_t)r;
        if (off >= len)
            break;
    }
    if (ctllen > 0)
        pktd__alg_wipe(&ctl, sizeof ctl);
    return rc;
}

int pktd__alg_read_some(int op, const char *name, uint8_t *buf, size_t len, char *errmsg)
{
    ssize_t r;
    do
        r = read(op, buf, len);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        int rc = -errno;
        pktd__alg_errmsg(errmsg, "read", name, rc);
        return rc;
    }
    return (int)r;
}

int pktd__alg_read_all(int op, const char *name, uint8_t *buf, size_t len, char *errmsg)
{
    while (len > 0) {
        ssize_t r = read(op, buf, len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int rc = -errno;
            pktd__alg_errmsg(errmsg, "read", name, rc);
            return rc;
        }
        if (r == 0) {
            pktd__alg_errmsg(errmsg, "read", name, -EIO);
            return -EIO;
        }
        buf += r;
        len -= (size_t)r;
    }
    return 0;
}
