/* Text forms of addresses (pktd_ipv4_format(), pktd_mac_format()), so that
 * every program prints them the same way and none needs inet_ntop() or a
 * format string of its own.  Both build the whole text on the stack and
 * copy what fits, with snprintf's return convention. */
#include "config.h"

#include <string.h>

#include <pktdecode/eth.h>
#include <pktdecode/ipv4.h>

#include "proto.h"

/* Copy @p n bytes of @p text into @p buf as snprintf would; returns @p n. */
static size_t put_text(const char *text, size_t n, char *buf, size_t len)
{
    if (buf != NULL && len > 0) {
        size_t k = n < len ? n : len - 1;
        memcpy(buf, text, k);
        buf[k] = '\0';
    }
    return n;
}

size_t pktd_ipv4_format(uint32_t addr, char *buf, size_t len)
{
    char text[PKTD_IPV4_STRLEN];
    size_t n = 0;
    for (int shift = 24; shift >= 0; shift -= 8) {
        unsigned v = (addr >> shift) & 0xffu;
        if (v >= 100)
            text[n++] = (char)('0' + v / 100);
        if (v >= 10)
            text[n++] = (char)('0' + v / 10 % 10);
        text[n++] = (char)('0' + v % 10);
        if (shift != 0)
            text[n++] = '.';
    }
    return put_text(text, n, buf, len);
}

size_t pktd_mac_format(const uint8_t *mac, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char text[PKTD_MAC_STRLEN];
    size_t n = 0;
    if (mac != NULL) {
        for (unsigned i = 0; i < PKTD__ETH_ALEN; i++) {
            if (i != 0)
                text[n++] = ':';
            text[n++] = hex[mac[i] >> 4];
            text[n++] = hex[mac[i] & 0x0fu];
        }
    }
    return put_text(text, n, buf, len);
}
