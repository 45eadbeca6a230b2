/* The part of the hash and skcipher handles that is the same for both (see
 * alg_handle.h). */
#include "config.h"

#include <string.h>

#include "alg_handle.h"

int pktd__alg_handle_open(struct pktd__alg_handle *a, const char *type, const char *name)
{
    a->tfm_fd = a->op_fd = -1;
    a->name[0] = '\0';
    a->errmsg[0] = '\0';
    int rc = pktd__alg_bind(type, name, &a->tfm_fd, a->errmsg);
    if (rc < 0)
        return rc;
    memcpy(a->name, name, strlen(name) + 1); /* bound checked by pktd__alg_bind() */
    return 0;
}

int pktd__alg_handle_need_op(struct pktd__alg_handle *a)
{
    if (a->op_fd >= 0)
        return 0;
    return pktd__alg_accept(a->tfm_fd, a->name, &a->op_fd, a->errmsg);
}

void pktd__alg_handle_drop_op(struct pktd__alg_handle *a)
{
    pktd__alg_close(&a->op_fd);
}

void pktd__alg_handle_close(struct pktd__alg_handle *a)
{
    pktd__alg_close(&a->op_fd);
    pktd__alg_close(&a->tfm_fd);
}

int pktd__alg_handle_report(const struct pktd__alg_handle *a, int rc, const char *what,
                            const char *name, char *errbuf)
{
    if (errbuf == NULL)
        return rc;
    if (a != NULL && a->errmsg[0] != '\0')
        return pktd__errmsgf(errbuf, rc, "%s", a->errmsg);
    return pktd__alg_errmsg(errbuf, what, name != NULL ? name : "", rc);
}
