/* Classic pcap: a 24-byte file header, then records of a 16-byte header and
 * the packet bytes, all in the writer's byte order (see
 * draft-ietf-opsawg-pcap).  reader.c has already matched the magic. */
#include "config.h"

#include <pktdecode/error.h>

#include "fileformat.h"
#include "reader_int.h"

#define PCAP_FILE_HEADER_LEN PKTD__PCAP_FILE_HEADER_LEN
#define PCAP_RECORD_HEADER_LEN PKTD__PCAP_RECORD_HEADER_LEN

int pktd__pcap_open(struct pktd_reader *r)
{
    const uint8_t *p;
    int rc = pktd__reader_fetch(r, PCAP_FILE_HEADER_LEN, &p);
    if (rc == PKTD_E_TRUNCATED || rc == 0)
        return pktd__reader_fail(r, PKTD_E_TRUNCATED,
                                 "pcap file ends after %zu bytes, inside the 24-byte file header",
                                 pktd__reader_avail(r));
    if (rc < 0)
        return rc;
    uint16_t major = pktd__rd16(r, p + 4), minor = pktd__rd16(r, p + 6);
    /* Every pcap writer since 1998 writes 2.4; older 2.x minors differ only
     * in fields we do not read.  Version 1 files are long extinct. */
    if (major != 2)
        return pktd__reader_fail(r, PKTD_E_BAD_FILE, "pcap version %u.%u is not supported (2.x only)",
                                 major, minor);
    r->file_snaplen = pktd__rd32(r, p + 16);
    /* The upper 16 bits carry FCS information, not the link type. */
    r->file_linktype = pktd__rd32(r, p + 20) & 0xffffu;
    r->linktype = r->file_linktype;
    r->snaplen = r->file_snaplen;
    pktd__reader_consume(r, PCAP_FILE_HEADER_LEN);
    return 0;
}

int pktd__pcap_next(struct pktd_reader *r, const uint8_t **data, size_t *caplen)
{
    const uint8_t *p;
    unsigned long long recno = (unsigned long long)r->packet_index + 1;
    unsigned long long off = (unsigned long long)r->consumed;
    r->record_offset = r->consumed;

    int rc = pktd__reader_fetch(r, PCAP_RECORD_HEADER_LEN, &p);
    if (rc == 0)
        return 0; /* a clean end: the file stops at a record boundary */
    if (rc == PKTD_E_TRUNCATED)
        return pktd__reader_fail(r, rc,
                                 "record %llu at offset %llu: file ends inside the 16-byte record "
                                 "header (%zu bytes present)",
                                 recno, off, pktd__reader_avail(r));
    if (rc < 0)
        return rc;

    uint32_t cap = pktd__rd32(r, p + 8);
    uint32_t wire = pktd__rd32(r, p + 12);
    /* caplen above the file's snaplen occurs in real files (writers that
     * changed the snaplen mid-capture), and libpcap reads them; so accept
     * it, bounded only by the library's record limit. */
    if (cap > PKTD_READER_MAX_RECORD)
        return pktd__reader_fail(r, PKTD_E_TOO_LARGE,
                                 "record %llu at offset %llu: caplen %lu exceeds the %lu-byte limit",
                                 recno, off, (unsigned long)cap,
                                 (unsigned long)PKTD_READER_MAX_RECORD);

    rc = pktd__reader_fetch(r, PCAP_RECORD_HEADER_LEN + (size_t)cap, &p);
    if (rc == PKTD_E_TRUNCATED || rc == 0)
        return pktd__reader_fail(r, PKTD_E_TRUNCATED,
                                 "record %llu at offset %llu: file ends inside the packet data "
                                 "(caplen %lu, %zu bytes present)",
                                 recno, off, (unsigned long)cap,
                                 pktd__reader_avail(r) - PCAP_RECORD_HEADER_LEN);
    if (rc < 0)
        return rc;

    uint64_t sec = pktd__rd32(r, p), frac = pktd__rd32(r, p + 4);
    /* No overflow: sec < 2^32 gives at most 4.3e18 ns, frac*1000 < 4.3e12. */
    r->ts_ns = sec * 1000000000u + (r->pcap_nano ? frac : frac * 1000u);
    r->wire_len = wire;
    r->linktype = r->file_linktype;
    r->snaplen = r->file_snaplen;
    r->iface = 0;
    r->packet_index++;
    *data = p + PCAP_RECORD_HEADER_LEN;
    *caplen = cap;
    pktd__reader_consume(r, PCAP_RECORD_HEADER_LEN + (size_t)cap);
    return 1;
}
