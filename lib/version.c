/* Run-time version: the values configure wrote into pktdecode/version.h. */
#include "config.h"

#include <pktdecode/version.h>

const char *pktd_version_string(void)
{
    return PKTD_VERSION_STRING;
}

unsigned pktd_version(void)
{
    return PKTD_VERSION_NUMBER;
}
