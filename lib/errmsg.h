/* The one way the library builds an error message, for every handle.
 *
 * Messages go into buffers of PKTD_ERRBUF_SIZE bytes (a handle's errmsg
 * member, or the caller's errbuf of an open call).  Two forms:
 *
 *   pktd__errmsg(buf, "open", path, -errno)
 *       -> "open(/tmp/x.pcap): No such file or directory"
 *       for a failed system call: the call, what it was applied to (NULL:
 *       "open: ..."), and pktd_strerror(err);
 *   pktd__errmsgf(buf, code, "record %llu: caplen %lu exceeds ...", ...)
 *       for everything else: the text as formatted, nothing appended.
 *
 * Both return err/code unchanged, so a failure path is a single
 * `return pktd__errmsg(...);`.  buf may be NULL (nothing is written: an
 * open call's optional errbuf).  The arguments may point into buf itself
 * (the text is formatted aside first), so a message can be prefixed with
 * context: pktd__errmsgf(buf, rc, "%s: %s", name, buf).  Too long a text
 * is cut to fit; pktd__errmsg() cuts `what` (a path, say) to
 * PKTD__ERRMSG_WHAT_MAX characters so that the reason always fits, and a
 * caller prefixing a name should do the same ("%.*s").  Not installed. */
#ifndef PKTD_ERRMSG_H
#define PKTD_ERRMSG_H

#include <stdarg.h>

#include <pktdecode/error.h>

/* Longest object name (e.g. a path) put in front of a reason. */
#define PKTD__ERRMSG_WHAT_MAX 160

int pktd__errmsg(char *buf, const char *call, const char *what, int err);

int pktd__errmsgf(char *buf, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int pktd__verrmsgf(char *buf, int err, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Copies a handle's message into an open call's errbuf (NULL: nothing),
 * or, when the handle has none, pktd_strerror(err); returns err.  For the
 * open calls that free their half-built handle on failure. */
int pktd__errmsg_copy(char *errbuf, const char *msg, int err);

#endif /* PKTD_ERRMSG_H */
