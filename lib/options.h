/* The kind-length-value option lists of IPv4 and TCP: one iterator for
 * both.  Not installed. */
#ifndef PKTD_OPTIONS_H
#define PKTD_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h>

#define PKTD__OPT_EOL 0u
#define PKTD__OPT_NOP 1u

/* Produce the option at *cursor in the @p len option bytes at @p area.
 *
 * The decoder already validated the list up to End-of-list, but the cursor
 * comes from the caller, so every step is re-checked against @p len: an
 * option that would need bytes beyond the area ends the iteration instead of
 * being read.  End-of-list moves the cursor to the end (bytes after it are
 * padding and were never validated). */
static inline int pktd__option_next(const uint8_t *area, uint32_t len, uint32_t *cursor,
                                    uint8_t *kind, const uint8_t **data, size_t *vlen)
{
    if (cursor == NULL || kind == NULL || data == NULL || vlen == NULL)
        return PKTD_E_INVALID_ARGUMENT;
    uint32_t at = *cursor;
    if (at >= len)
        return 0;
    uint8_t k = area[at];
    if (k == PKTD__OPT_EOL || k == PKTD__OPT_NOP) {
        *kind = k;
        *data = area + at + 1;
        *vlen = 0;
        *cursor = k == PKTD__OPT_EOL ? len : at + 1;
        return 1;
    }
    if (len - at < 2)
        return 0;
    uint32_t olen = area[at + 1];
    if (olen < 2 || olen > len - at)
        return 0;
    *kind = k;
    *data = area + at + 2;
    *vlen = olen - 2;
    *cursor = at + olen;
    return 1;
}

#endif /* PKTD_OPTIONS_H */
