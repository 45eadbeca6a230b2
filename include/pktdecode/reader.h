/**
 * @file pktdecode/reader.h
 * @brief Reading capture files: classic pcap and pcapng.
 *
 * The format is detected from the first four bytes.  Classic pcap is read in
 * both byte orders with microsecond or nanosecond timestamps; pcapng with
 * section header, interface description, enhanced, simple and obsolete packet
 * blocks in both byte orders, several sections and interfaces, each with its
 * own link type and timestamp resolution (if_tsresol, if_tsoffset).  Other
 * block types are skipped.
 *
 * Hostile files: every length field is checked against the data present and
 * against #PKTD_READER_MAX_RECORD before anything is allocated or read; a bad
 * file gives PKTD_E_BAD_FILE, PKTD_E_TRUNCATED, PKTD_E_MALFORMED or
 * PKTD_E_TOO_LARGE, with details from pktd_reader_errmsg().
 *
 * Choices where files disagree with the specifications:
 * - an empty file is PKTD_E_BAD_FILE; a file of 1 to 3 bytes is
 *   PKTD_E_TRUNCATED if they begin a pcap or pcapng magic, else
 *   PKTD_E_BAD_FILE; a first pcapng block that is not a usable section
 *   header is PKTD_E_BAD_FILE;
 * - a pcap record's caplen above the file's snaplen is accepted (real
 *   files have it; tshark shows the whole record, libpcap cuts it) up to
 *   #PKTD_READER_MAX_RECORD, and the whole record is returned;
 * - pcap seconds are unsigned (valid to 2106); a sub-second field of 10^6
 *   µs or 10^9 ns or more is added as it stands;
 * - pcapng timestamps are converted exactly from any if_tsresol up to
 *   10^-19 or 2^-63 s (finer: PKTD_E_UNSUPPORTED); values beyond the
 *   uint64 nanosecond range (year 2554) or made negative by if_tsoffset
 *   saturate at UINT64_MAX or 0;
 * - a section may describe at most 65536 interfaces (more:
 *   PKTD_E_TOO_LARGE); a packet for an undefined interface is
 *   PKTD_E_MALFORMED.
 *
 * A reader is used by one thread at a time; different readers are
 * independent.
 */
#ifndef PKTDECODE_READER_H
#define PKTDECODE_READER_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/error.h> /* PKTD_ERRBUF_SIZE */
#include <pktdecode/export.h>

PKTD_BEGIN_DECLS

/** Opaque capture-file reader. */
typedef struct pktd_reader pktd_reader;

/** Largest record (pcap packet or pcapng block) the reader accepts, in bytes. */
#define PKTD_READER_MAX_RECORD (16u * 1024u * 1024u)

/** @name File formats (pktd_reader_format())
 * @{ */
#define PKTD_FORMAT_PCAP 1   /**< classic pcap */
#define PKTD_FORMAT_PCAPNG 2 /**< pcapng */
/** @} */

/**
 * @brief Open a capture file by path ("-" is not special here).
 * @param out    receives the reader; set to NULL on failure.
 * @param path   file name.
 * @param errbuf NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive the
 *               whole message on failure, e.g. "open(x.pcap): No such file
 *               or directory" or "x.pcap: magic number 00000000 is neither
 *               pcap nor pcapng"; untouched on success.
 * @return 0; `-errno` from open() or read(); PKTD_E_BAD_FILE when the file
 *         is not pcap or pcapng; PKTD_E_TRUNCATED when it ends inside the
 *         file header; -ENOMEM; PKTD_E_INVALID_ARGUMENT.
 * @since 1.0
 */
PKTD_API int pktd_reader_open_path(pktd_reader **out, const char *path, char *errbuf) PKTD_WUR;

/**
 * @brief Read a capture from an open descriptor (a file, pipe or stdin).
 *
 * The descriptor is read sequentially and is not closed by the reader.
 *
 * @param out    receives the reader; set to NULL on failure.
 * @param fd     readable descriptor.
 * @param errbuf as pktd_reader_open_path() (the message begins
 *               "descriptor N: ").
 * @return As pktd_reader_open_path().
 * @since 1.0
 */
PKTD_API int pktd_reader_open_fd(pktd_reader **out, int fd, char *errbuf) PKTD_WUR;

/**
 * @brief Read a capture held in memory, without copying it.
 * @param out    receives the reader; set to NULL on failure.
 * @param data   the whole file image; must outlive the reader.
 * @param len    its length.
 * @param errbuf as pktd_reader_open_path() (the message begins "capture in
 *               memory: ").
 * @return As pktd_reader_open_path().
 * @since 1.0
 */
PKTD_API int pktd_reader_open_mem(pktd_reader **out, const uint8_t *data, size_t len,
                                  char *errbuf) PKTD_WUR;

/**
 * @brief Open a capture file by path and read it in place, mapped into
 *        memory, without the copy read(2) makes.
 *
 * Reads the same records, with the same checks, errors and messages, as
 * pktd_reader_open_path(); only the way the bytes arrive differs.  A
 * regular file is mapped read-only (mmap) and read as pktd_reader_open_mem()
 * reads memory, asking the CPU to load the bytes ahead of the read
 * position: on a file in the page cache this costs less than having the
 * kernel copy it (doc/performance.md, section 12).  Anything that cannot be
 * mapped (a pipe, a device, an empty file or one of unknown size such as
 * /proc files, a file larger than the address space, mmap() refused) is
 * read with read(2) exactly as pktd_reader_open_path() reads it.
 *
 * Differences that remain: the reader sees the file as long as it was
 * when opened (records appended later are not read; pktd_reader_open_path()
 * reads on to wherever the end is when it gets there); and, as with any
 * mapping, if another process shortens the file while the reader is open,
 * or the storage fails, touching the lost bytes raises SIGBUS instead of
 * returning an error.  Use pktd_reader_open_path() for a file that may
 * shrink or lives on storage that may fail.
 *
 * @param out    receives the reader; set to NULL on failure.
 * @param path   file name.
 * @param errbuf as pktd_reader_open_path() (the message begins with the
 *               path).
 * @return As pktd_reader_open_path().
 * @since 1.1
 */
PKTD_API int pktd_reader_open_mapped(pktd_reader **out, const char *path, char *errbuf) PKTD_WUR;

/**
 * @brief Close a reader and free its memory.
 * @param r a reader, or NULL.
 * @since 1.0
 */
PKTD_API void pktd_reader_close(pktd_reader *r);

/**
 * @brief Advance to the next packet.
 *
 * @param r      the reader.
 * @param data   receives the packet bytes, valid until the next call to
 *               pktd_reader_next() or pktd_reader_close().
 * @param caplen receives the captured length.
 * @return 1 for a packet, 0 at the end of the file, or a negative code
 *         (PKTD_E_TRUNCATED: the file ends inside a record;
 *         PKTD_E_MALFORMED, PKTD_E_TOO_LARGE, PKTD_E_UNSUPPORTED for an
 *         if_tsresol finer than 10^-19 or 2^-63 s, `-errno` from read()).
 *         After an error every further call returns the same error,
 *         except -EAGAIN from a non-blocking descriptor: the partial
 *         record is kept and a later call continues it.
 * @since 1.0
 */
PKTD_API int pktd_reader_next(pktd_reader *r, const uint8_t **data, size_t *caplen) PKTD_WUR;

/** @brief Capture time of the current packet. @param r the reader. @return ns since the epoch (0 for pcapng simple packets). @since 1.0 */
PKTD_API uint64_t pktd_reader_ts_ns(const pktd_reader *r);
/** @brief Original (wire) length of the current packet. @param r the reader. @return bytes. @since 1.0 */
PKTD_API uint32_t pktd_reader_wire_len(const pktd_reader *r);
/** @brief Link type of the current packet (pcap LINKTYPE_ value). @param r the reader. @return link type; for pcap the file's. @since 1.0 */
PKTD_API uint32_t pktd_reader_linktype(const pktd_reader *r);
/** @brief pcapng interface id of the current packet (0 for pcap). @param r the reader. @return interface id. @since 1.0 */
PKTD_API uint32_t pktd_reader_interface(const pktd_reader *r);
/** @brief The file format. @param r the reader. @return #PKTD_FORMAT_PCAP or #PKTD_FORMAT_PCAPNG. @since 1.0 */
PKTD_API uint32_t pktd_reader_format(const pktd_reader *r);
/** @brief Snap length of the current packet's file or interface. @param r the reader. @return bytes (0 = unlimited in pcapng). @since 1.0 */
PKTD_API uint32_t pktd_reader_snaplen(const pktd_reader *r);
/** @brief 1-based index of the current packet in the file. @param r the reader. @return index (0 before the first). @since 1.0 */
PKTD_API uint64_t pktd_reader_packet_index(const pktd_reader *r);
/** @brief Byte offset in the file of the current (or failing) record. @param r the reader. @return offset. @since 1.0 */
PKTD_API uint64_t pktd_reader_offset(const pktd_reader *r);

/** @name Splitting a capture into chunks (1.1)
 * A large capture can be decoded in parallel, by several processes or
 * machines, as record-aligned chunks that each read on their own: one
 * reader walks the file with pktd_reader_skip() to chunk boundaries and, at
 * each, notes pktd_reader_position() and the pktd_reader_header_ranges().
 * A chunk is then the bytes of those ranges followed by the file's bytes
 * from that position to the next boundary: a capture file in its own right
 * (pktd_reader_open_mem() reads it), whose records are exactly the chunk's
 * records of the whole file, with the same timestamps, lengths, link types
 * and pcapng interface ids.
 * @{ */

/**
 * @brief Skip whole records, without returning them, to a byte offset.
 *
 * Reads on as pktd_reader_next() does: every check it makes is made, and
 * pcapng section header and interface description blocks change the
 * reader's state as they would; but no record is returned.  Stops after the
 * first record that ends at or after @p offset (so at a record boundary, at
 * most one record beyond it), or at the end of the file.  A position
 * already at or after @p offset skips nothing.
 *
 * @param r       the reader.
 * @param offset  file offset to reach; UINT64_MAX skips to the end (so
 *                @p packets counts the file's remaining packets).
 * @param packets receives the number of packet records skipped, in every
 *                case (may be NULL).
 * @return 1 when stopped at or after @p offset (more records may follow);
 *         0 at the end of the file; a negative code as pktd_reader_next()
 *         (then the reader is failed as it would be);
 *         PKTD_E_INVALID_ARGUMENT for a NULL @p r.
 * @since 1.1
 */
PKTD_API int pktd_reader_skip(pktd_reader *r, uint64_t offset, uint64_t *packets) PKTD_WUR;

/**
 * @brief Byte offset of the next record: where the next pktd_reader_next()
 *        or pktd_reader_skip() starts reading.
 * @param r the reader.
 * @return offset counted from the first byte the reader read (the start of
 *         the file for pktd_reader_open_path()); 0 for NULL.
 * @since 1.1
 */
PKTD_API uint64_t pktd_reader_position(const pktd_reader *r);

/**
 * @brief The byte ranges of the file that a chunk starting at
 *        pktd_reader_position() needs in front of it to read on its own.
 *
 * pcap: one range, the 24-byte file header.  pcapng: the current section's
 * header block, then each interface description block of the section read
 * so far, in file order (their order is their interface id).  Offsets are
 * counted as pktd_reader_position() counts them.
 *
 * @param r       the reader.
 * @param offsets receives the first @p n range offsets (may be NULL).
 * @param lengths receives their lengths in bytes (may be NULL).
 * @param n       room in each array.
 * @return the number of ranges, which may exceed @p n (call again with more
 *         room; a pcapng section has at most 65537); 0 for NULL @p r.
 * @since 1.1
 */
PKTD_API uint32_t pktd_reader_header_ranges(const pktd_reader *r, uint64_t *offsets, size_t *lengths,
                                            uint32_t n);
/** @} */

/**
 * @brief Details of the last error, e.g. "record at offset 40: caplen 300000 > snaplen 65535".
 * @param r the reader.
 * @return A string owned by the reader, valid until the next call; "" if none.
 * @since 1.0
 */
PKTD_API const char *pktd_reader_errmsg(const pktd_reader *r);

PKTD_END_DECLS

#endif /* PKTDECODE_READER_H */
