/* The kind-length-value option lists of IPv4 and TCP: one iterator for
 * both.  Not installed. */
#ifndef PKTD_OPTIONS_H
#define PKTD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>

#define PKTD__OPT_EOL 0u
#define PKTD__OPT_NOP 1u

/* Produce the option at *cursor in the @p len option bytes at @p area:
 * 1 with the out-parameters written (each may be NULL), 0 at the end or
 * with a NULL cursor, never a negative code (presence rule R1).
 *
 * The decoder already validated the list up to End-of-list, but the cursor
 * comes from the caller, so every step is re-checked against @p len: an
 * option that would need bytes beyond the area ends the iteration instead of
 * being read.  End-of-list moves the cursor to the end (bytes after it are
 * padding and were never validated). */
static inline int pktd__option_next(const uint8_t *area, uint32_t len, uint32_t *cursor,
                                    uint8_t *kind, const uint8_t **data, size_t *vlen)
{
    if (cursor == NULL)
        return 0;
    uint32_t at = *cursor;
    if (at >= len)
        return 0;
    uint8_t k = area[at];
    uint32_t value_off = at + 1;
    uint32_t next;
    uint32_t n = 0;
    if (k == PKTD__OPT_EOL || k == PKTD__OPT_NOP) {
        next = k == PKTD__OPT_EOL ? len : at + 1;
    } else {
        if (len - at < 2)
            return 0;
        uint32_t olen = area[at + 1];
        if (olen < 2 || olen > len - at)
            return 0;
        value_off = at + 2;
        n = olen - 2;
        next = at + olen;
    }
    if (kind != NULL)
        *kind = k;
    if (data != NULL)
        *data = area + value_off;
    if (vlen != NULL)
        *vlen = n;
    *cursor = next;
    return 1;
}

#endif /* PKTD_OPTIONS_H */
