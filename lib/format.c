/* Text forms of addresses (pktd_ipv4_format(), pktd_mac_format()), so that
 * every program prints them the same way and none needs inet_ntop() or a
 * format string of its own.  Both build the whole text on the stack and
 * copy what fits, with snprintf's return convention. */
#include "config.h"

#include <string.h>

#include <pktdecode/eth.h>
#include <pktdecode/ipv4.h>
#include <pktdecode/ipv6.h>

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

/* RFC 5952 4.2: "::" replaces the longest run of two or more zero groups
 * (the first on a tie); 4.3: lower-case hex without leading zeros; 5: an
 * IPv4-mapped address ends in dotted decimal (as inet_ntop writes it). */
size_t pktd_ipv6_format(const uint8_t *addr, char *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char text[PKTD_IPV6_STRLEN];
    size_t n = 0;
    if (addr == NULL)
        return put_text(text, 0, buf, len);
    unsigned g[8];
    for (unsigned i = 0; i < 8; i++)
        g[i] = (unsigned)addr[2 * i] << 8 | addr[2 * i + 1];
    int best = -1;
    int best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    /* inet_ntop's rule: IPv4-mapped (::ffff:a.b.c.d) and the deprecated
     * IPv4-compatible form (::a.b.c.d, but not :: or ::1, whose zero run is
     * longer than six groups). */
    int mapped = best == 0 && (best_len == 6 || (best_len == 5 && g[5] == 0xffffu));
    int groups = mapped ? 6 : 8;
    for (int i = 0; i < groups; i++) {
        if (i == best) {
            text[n++] = ':';
            text[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i != 0 && text[n - 1] != ':')
            text[n++] = ':';
        int started = 0;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (g[i] >> shift) & 0xfu;
            if (d != 0 || started || shift == 0) {
                text[n++] = hex[d];
                started = 1;
            }
        }
    }
    if (mapped) {
        if (text[n - 1] != ':')
            text[n++] = ':';
        uint32_t v4 = (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 |
                      (uint32_t)addr[14] << 8 | addr[15];
        n += pktd_ipv4_format(v4, text + n, sizeof(text) - n);
    }
    return put_text(text, n, buf, len);
}
