/* The library's one error-message formatter: see errmsg.h. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pktdecode/error.h>

#include "errmsg.h"

int pktd__verrmsgf(char *buf, int err, const char *fmt, va_list ap)
{
    if (buf == NULL)
        return err;
    /* Formatted aside, so that an argument may be buf's old text. */
    char tmp[PKTD_ERRBUF_SIZE];
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    memcpy(buf, tmp, sizeof tmp);
    return err;
}

int pktd__errmsgf(char *buf, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pktd__verrmsgf(buf, err, fmt, ap);
    va_end(ap);
    return err;
}

int pktd__errmsg(char *buf, const char *call, const char *what, int err)
{
    if (what != NULL)
        return pktd__errmsgf(buf, err, "%s(%.*s): %s", call, PKTD__ERRMSG_WHAT_MAX, what,
                             pktd_strerror(err));
    return pktd__errmsgf(buf, err, "%s: %s", call, pktd_strerror(err));
}

int pktd__errmsg_copy(char *errbuf, const char *msg, int err)
{
    if (msg != NULL && msg[0] != '\0')
        return pktd__errmsgf(errbuf, err, "%s", msg);
    return pktd__errmsgf(errbuf, err, "%s", pktd_strerror(err));
}
