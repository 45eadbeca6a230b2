/* The capture-file formats' constants, in one place for the reader
 * (reader.c, reader_pcap.c, reader_pcapng.c) and the writer (writer.c).
 * Layouts: draft-ietf-opsawg-pcap and draft-ietf-opsawg-pcapng.
 * Not installed. */
#ifndef PKTD_FILEFORMAT_H
#define PKTD_FILEFORMAT_H

/* Classic pcap: the magic as a number (its bytes in the file follow the
 * writer's byte order), the two header sizes. */
#define PKTD__PCAP_MAGIC_US 0xa1b2c3d4u /* microsecond timestamps */
#define PKTD__PCAP_MAGIC_NS 0xa1b23c4du /* nanosecond timestamps */
#define PKTD__PCAP_FILE_HEADER_LEN 24u
#define PKTD__PCAP_RECORD_HEADER_LEN 16u

/* pcapng block types. */
#define PKTD__PCAPNG_BT_SHB 0x0A0D0D0Au /* section header: a palindrome */
#define PKTD__PCAPNG_BT_IDB 1u          /* interface description */
#define PKTD__PCAPNG_BT_PB 2u           /* packet (obsolete) */
#define PKTD__PCAPNG_BT_SPB 3u          /* simple packet */
#define PKTD__PCAPNG_BT_ISB 5u          /* interface statistics */
#define PKTD__PCAPNG_BT_EPB 6u          /* enhanced packet */

/* The section header's byte-order magic, and how it reads when the
 * section was written in the other byte order. */
#define PKTD__PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define PKTD__PCAPNG_BYTE_ORDER_MAGIC_SWAPPED 0x4D3C2B1Au

/* Every block: type, total length, body, total length again. */
#define PKTD__PCAPNG_BLOCK_MIN_LEN 12u
/* Section header: block header 8 + byte-order magic 4 + version 4 +
 * section length 8 + trailer 4. */
#define PKTD__PCAPNG_SHB_MIN_LEN 28u

/* Option codes, per block type (opt_endofopt ends every option list). */
#define PKTD__PCAPNG_OPT_ENDOFOPT 0u
#define PKTD__PCAPNG_OPT_SHB_USERAPPL 4u
#define PKTD__PCAPNG_OPT_IF_NAME 2u
#define PKTD__PCAPNG_OPT_IF_TSRESOL 9u
#define PKTD__PCAPNG_OPT_IF_TSOFFSET 14u
#define PKTD__PCAPNG_OPT_ISB_IFRECV 4u
#define PKTD__PCAPNG_OPT_ISB_IFDROP 5u
#define PKTD__PCAPNG_OPT_ISB_FILTERACCEPT 6u
#define PKTD__PCAPNG_OPT_ISB_OSDROP 7u
#define PKTD__PCAPNG_OPT_ISB_USRDELIV 8u

#endif /* PKTD_FILEFORMAT_H */
