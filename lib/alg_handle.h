/* What the hash and skcipher handles share: the bound (transform) socket,
 * the operation socket accepted from it when first needed and dropped
 * after a failure, the algorithm name, the last error message, and the
 * open-time failure report into the caller's errbuf.  Not installed. */
#ifndef PKTD_ALG_HANDLE_H
#define PKTD_ALG_HANDLE_H

#include <stddef.h>

#include <pktdecode/error.h>

#include "alg_socket.h"

struct pktd__alg_handle {
    int tfm_fd;                   /* bound socket: algorithm and key */
    int op_fd;                    /* operation socket, -1 until needed or after a failure */
    char name[PKTD__ALG_NAME_SIZE];
    char errmsg[PKTD_ERRBUF_SIZE];
};

/* Check type and name, then socket(AF_ALG) + bind.  On failure nothing
 * stays open and a->errmsg says why. */
int pktd__alg_handle_open(struct pktd__alg_handle *a, const char *type, const char *name);

/* Accept the operation socket from the transform if there is none. */
int pktd__alg_handle_need_op(struct pktd__alg_handle *a);

/* Close the operation socket (its request or partial state with it). */
void pktd__alg_handle_drop_op(struct pktd__alg_handle *a);

/* Close both sockets. */
void pktd__alg_handle_close(struct pktd__alg_handle *a);

/* An open or clone failed with rc: copy the message (a->errmsg when a is
 * not NULL and has one, else what, e.g. "pktd_hash_open(sha256)", with
 * pktd_strerror(rc)) into errbuf (PKTD_ERRBUF_SIZE bytes, may be NULL).
 * Returns rc. */
int pktd__alg_handle_report(const struct pktd__alg_handle *a, int rc, const char *what,
                            const char *name, char *errbuf);

#endif /* PKTD_ALG_HANDLE_H */
