/* The AF_ALG socket layer shared by the hash and skcipher handles: create
 * and bind the transform socket, accept operation sockets, set keys, and
 * move data with sends and reads that retry after signals.  Not installed.
 *
 * Every function returns 0 (or a byte count) or a negative code, and on a
 * system failure writes "call(name): what went wrong" into the caller's errmsg
 * buffer (NULL, or PKTD_ERRBUF_SIZE bytes: see errmsg.h), so the handle can
 * say which call failed. */
#ifndef PKTD_ALG_SOCKET_H
#define PKTD_ALG_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#include "errmsg.h"

/* Largest amount of data handed to the kernel in one send before the
 * matching output is read back.  64 KiB is ALG_MAX_PAGES (16) pages and
 * well below the default socket send buffer, so a send never waits for
 * buffer space that only a read could free (the hang of libkcapi issue 88). */
#define PKTD__ALG_CHUNK_MAX 65536u

/* Size of the salg_name field of struct sockaddr_alg, terminator included. */
#define PKTD__ALG_NAME_SIZE 64u

/* Longest IV the control-message buffer holds (the kernel's largest
 * skcipher IV today is 32 bytes). */
#define PKTD__ALG_IV_MAX 64u

/* Check an algorithm type and name before anything touches the kernel:
 * type "hash" or "skcipher", name 1..63 bytes.  Returns 0 or
 * PKTD_E_INVALID_ARGUMENT. */
int pktd__alg_check_name(const char *type, const char *name);

/* socket(AF_ALG) + bind(type, name).  *fd receives a close-on-exec
 * descriptor; on failure nothing stays open and *fd is -1. */
int pktd__alg_bind(const char *type, const char *name, int *fd, char *errmsg);

/* accept4() an operation socket from a bound socket (a fresh state) or from
 * an operation socket (a hash: a copy of its partial state).  *op is
 * close-on-exec, -1 on failure. */
int pktd__alg_accept(int fd, const char *name, int *op, char *errmsg);

/* ALG_SET_KEY on the bound socket (operation sockets have no setsockopt). */
int pktd__alg_setkey(int fd, const char *name, const uint8_t *key, size_t keylen, char *errmsg);

/* How many bytes a cipher operation socket may queue before its output is
 * read, so that a send never blocks: at most PKTD__ALG_CHUNK_MAX, one page
 * less than the socket's send buffer as the kernel counts it (whole pages),
 * a multiple of align.  When the buffer is smaller than the chunk needs,
 * the socket's SO_SNDBUF is raised first (within net.core.wmem_max). */
size_t pktd__alg_op_chunk(int op, size_t align);

/* Send all of data[0..len) on an operation socket, MSG_MORE when more is
 * set.  A zero-length send still happens: without MSG_MORE it ends the
 * input.  When op_dir is 0 (decrypt) or 1 (encrypt) the first sendmsg
 * carries ALG_SET_OP, and ALG_SET_IV when ivlen > 0: a new cipher request.
 * op_dir -1 sends plain data.  Returns 0 or -errno. */
int pktd__alg_send(int op, const char *name, int op_dir, const uint8_t *iv, size_t ivlen,
                   const uint8_t *data, size_t len, int more, char *errmsg);

/* One read() of at most len bytes (a hash digest: the kernel returns
 * min(len, digest size)).  Returns the byte count or -errno. */
int pktd__alg_read_some(int op, const char *name, uint8_t *buf, size_t len, char *errmsg);

/* Read exactly len bytes of cipher output, looping over short reads.
 * Returns 0 or -errno (-EIO when the kernel returns no data). */
int pktd__alg_read_all(int op, const char *name, uint8_t *buf, size_t len, char *errmsg);

/* Close *fd if open and set it to -1, keeping errno. */
void pktd__alg_close(int *fd);

/* Write "call(name): message for err" into errmsg ("call for name" when
 * call has parentheses itself), followed by pktd_alg_strerror(err) when
 * err means "unavailable"; built with pktd__errmsg/pktd__errmsgf.
 * Returns err. */
int pktd__alg_errmsg(char *errmsg, const char *call, const char *name, int err);

/* Wipe memory in a way the compiler cannot drop. */
void pktd__alg_wipe(void *p, size_t len);

#endif /* PKTD_ALG_SOCKET_H */
