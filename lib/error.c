/* Error messages and names, generated from the one table in error.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <pktdecode/error.h>

#include "common.h"

const char *pktd_strerror(int code)
{
    switch (code) {
    case 0:
        return "success";
#define PKTD_ERROR_MSG_(name, value, str, msg) \
    case value:                               \
        return msg;
        PKTD_ERROR_MAP(PKTD_ERROR_MSG_)
#undef PKTD_ERROR_MSG_
    default:
        break;
    }
    if (code < 0 && code > -1000) {
#ifdef HAVE_STRERRORDESC_NP
        /* strerrordesc_np returns a static string: thread-safe, unlike strerror. */
        const char *s = strerrordesc_np(-code);
        if (s != NULL)
            return s;
#endif
        return "system error";
    }
    return "unknown error";
}

const char *pktd_err_name(int code)
{
    switch (code) {
    case 0:
        return "ok";
#define PKTD_ERROR_NAME_(name, value, str, msg) \
    case value:                                \
        return str;
        PKTD_ERROR_MAP(PKTD_ERROR_NAME_)
#undef PKTD_ERROR_NAME_
    default:
        break;
    }
    if (code < 0 && code > -1000) {
#ifdef HAVE_STRERRORNAME_NP
        const char *s = strerrorname_np(-code);
        if (s != NULL)
            return s;
#endif
        return "errno";
    }
    return "unknown";
}
