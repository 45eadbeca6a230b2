/* AF_ALG availability: one probe that turns the kernel's "no" into
 * PKTD_E_UNAVAILABLE plus its cause, and the sentences that explain it. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <pktdecode/alg.h>
#include <pktdecode/error.h>

#include "alg_socket.h"

int pktd_alg_is_unavailable(int code)
{
    switch (code) {
    case PKTD_E_UNAVAILABLE:
    case -EAFNOSUPPORT:
    case -EPERM:
    case -EACCES:
    case -ENOENT:
    case -ENOKEY:
        return 1;
    default:
        return 0;
    }
}

const char *pktd_alg_strerror(int code)
{
    switch (code) {
    case 0:
        return "available";
    case -EAFNOSUPPORT:
        return "the kernel has no AF_ALG sockets (not built in, module not loaded), or "
               "/proc/sys/crypto/af_alg_restrict=2 forbids them";
    case -EPERM:
    case -EACCES:
        return "AF_ALG sockets are denied by security policy (a seccomp profile such as a "
               "container's default, or an LSM)";
    case -ENOENT:
        return "the kernel does not offer this algorithm to this process (unknown name, "
               "module not loaded, or restricted to privileged callers by af_alg_restrict)";
    case -ENOKEY:
        return "the algorithm needs a key";
    case PKTD_E_UNAVAILABLE:
        return "AF_ALG or the algorithm is not available to this process";
    default:
        return pktd_strerror(code);
    }
}

/* Map an availability errno to PKTD_E_UNAVAILABLE, recording its cause. */
static int verdict(int rc, int *cause)
{
    if (rc < 0 && rc != PKTD_E_UNAVAILABLE && pktd_alg_is_unavailable(rc)) {
        if (cause != NULL)
            *cause = rc;
        return PKTD_E_UNAVAILABLE;
    }
    return rc;
}

static int probe(const char *type, const char *name, const uint8_t *key, size_t keylen,
                 char *errmsg)
{
    /* A bad type or name is reported by pktd__alg_bind(), before it
     * touches the kernel; a NULL key with a length is refused here. */
    if (pktd__alg_check_name(type, name) == 0 && key == NULL && keylen > 0) {
        return pktd__errmsgf(errmsg, PKTD_E_INVALID_ARGUMENT,
                             "pktd_alg_probe(%s): a NULL key with length %zu", name, keylen);
    }
    int fd = -1, op = -1;
    int rc = pktd__alg_bind(type, name, &fd, errmsg);
    if (rc < 0)
        return rc;
    if (key != NULL) {
        rc = pktd__alg_setkey(fd, name, key, keylen, errmsg);
        if (rc < 0)
            goto out;
    }
    rc = pktd__alg_accept(fd, name, &op, errmsg);
    if (rc < 0)
        goto out;
    if (strcmp(type, PKTD_ALG_TYPE_HASH) == 0) {
        /* A digest of nothing: a keyed hash without its key fails with
         * ENOKEY here. */
        uint8_t md[64];
        rc = pktd__alg_send(op, name, -1, NULL, 0, NULL, 0, 0, errmsg);
        if (rc == 0) {
            rc = pktd__alg_read_some(op, name, md, sizeof md, errmsg);
            if (rc > 0)
                rc = 0;
        }
    } else {
        /* A cipher request without data: ENOKEY when no key was set. */
        rc = pktd__alg_send(op, name, 1, NULL, 0, NULL, 0, 0, errmsg);
    }
out:
    pktd__alg_close(&op);
    pktd__alg_close(&fd);
    return rc;
}

int pktd_alg_probe(const char *type, const char *name, const uint8_t *key, size_t keylen,
                   int *cause, char *errbuf)
{
    if (cause != NULL)
        *cause = 0;
    char msg[PKTD_ERRBUF_SIZE];
    msg[0] = '\0';
    int rc = probe(type, name, key, keylen, msg);
    if (errbuf != NULL)
        errbuf[0] = '\0';
    if (rc < 0)
        pktd__errmsgf(errbuf, rc, "%s", msg);
    return verdict(rc, cause);
}
