/* AF_ALG availability: one probe that turns the kernel's "no" into
 * PKTD_E_UNAVAILABLE plus the reason, and the sentences that explain it. */
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

const char *pktd_alg_reason_string(int reason)
{
    switch (reason) {
    case 0:
        return "available";
    case -EAFNOSUPPORT:
        return "the kernel has no AF_ALG sockets (not built in, module not loaded, or "
               "af_alg_restrict=2)";
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
        return pktd_strerror(reason);
    }
}

/* Map an availability errno to PKTD_E_UNAVAILABLE, recording the reason. */
static int verdict(int rc, int *reason)
{
    if (rc < 0 && rc != PKTD_E_UNAVAILABLE && pktd_alg_is_unavailable(rc)) {
        if (reason != NULL)
            *reason = rc;
        return PKTD_E_UNAVAILABLE;
    }
    return rc;
}

int pktd_alg_probe(const char *type, const char *name, const uint8_t *key, size_t keylen,
                   int *reason)
{
    if (reason != NULL)
        *reason = 0;
    int rc = pktd__alg_check_name(type, name);
    if (rc < 0)
        return rc;
    if (key == NULL && keylen > 0)
        return PKTD_E_INVALID_ARGUMENT;

    int fd = -1, op = -1;
    rc = pktd__alg_bind(type, name, &fd, NULL, 0);
    if (rc < 0)
        return verdict(rc, reason);
    if (key != NULL) {
        rc = pktd__alg_setkey(fd, name, key, keylen, NULL, 0);
        if (rc < 0)
            goto out;
    }
    rc = pktd__alg_accept(fd, name, &op, NULL, 0);
    if (rc < 0)
        goto out;
    if (strcmp(type, "hash") == 0) {
        /* A digest of nothing: a keyed hash without its key fails with
         * ENOKEY here. */
        uint8_t md[64];
        rc = pktd__alg_send(op, name, -1, NULL, 0, NULL, 0, 0, NULL, 0);
        if (rc == 0) {
            rc = pktd__alg_read_some(op, name, md, sizeof md, NULL, 0);
            if (rc > 0)
                rc = 0;
        }
    } else {
        /* A cipher request without data: ENOKEY when no key was set. */
        rc = pktd__alg_send(op, name, 1, NULL, 0, NULL, 0, 0, NULL, 0);
    }
out:
    pktd__alg_close(&op);
    pktd__alg_close(&fd);
    return verdict(rc, reason);
}
