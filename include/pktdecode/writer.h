/**
 * @file pktdecode/writer.h
 * @brief Writing capture files: classic pcap and pcapng.
 *
 * A writer produces one capture with one link type and snap length:
 *
 * - classic pcap (#PKTD_FORMAT_PCAP): the 24-byte file header, then a
 *   16-byte record header per packet, in the writer's host byte order (as
 *   libpcap writes it), with the microsecond magic 0xa1b2c3d4 or, with
 *   #PKTD_WRITER_NANO, the nanosecond magic 0xa1b23c4d;
 * - pcapng (#PKTD_FORMAT_PCAPNG): one section header block (section length
 *   unknown, shb_userappl "libpktdecode"), one interface description block
 *   (interface 0, if_tsresol 6 for microseconds or 9 with #PKTD_WRITER_NANO,
 *   and with pktd_writer_open_fd_iface() if_name),
 *   an enhanced packet block per packet, and an interface statistics block
 *   per pktd_writer_stats() call, in host byte order.
 *
 * The file header is written as soon as the writer is opened (so an
 * unwritable descriptor fails there and a reader at the other end of a pipe
 * can start); packets then go through a fixed 64 KiB buffer and reach the
 * descriptor when it fills, on pktd_writer_flush() or on
 * pktd_writer_close().  Every write() is retried on EINTR and on short
 * writes; a failure returns `-errno` (the call is named in
 * pktd_writer_errmsg()) and puts the writer in a failed state in which every
 * later call returns the same code.  Writing to a pipe whose reader has gone
 * raises SIGPIPE: a program that wants -EPIPE instead must ignore SIGPIPE
 * itself (the library never touches signal dispositions).
 *
 * Every file the writer produces is read back by pktd_reader_open_path() and
 * by libpcap, tcpdump and tshark.
 *
 * A writer is used by one thread at a time; different writers are
 * independent.
 */
#ifndef PKTDECODE_WRITER_H
#define PKTDECODE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include <pktdecode/export.h>
#include <pktdecode/reader.h> /* PKTD_FORMAT_PCAP, PKTD_FORMAT_PCAPNG */

PKTD_BEGIN_DECLS

/** Opaque capture-file writer. */
typedef struct pktd_writer pktd_writer;

/** @name Writer flags (pktd_writer_open_path(), pktd_writer_open_fd())
 * @{ */
/** Nanosecond timestamps: pcap magic 0xa1b23c4d, pcapng if_tsresol 9.
 *  Without it timestamps are truncated to microseconds. */
#define PKTD_WRITER_NANO 0x1u
/** pktd_writer_open_path() refuses a path whose last component is a
 *  symbolic link (O_NOFOLLOW: `-ELOOP`) instead of writing to its target,
 *  dangling or not; for a program writing where another user could plant
 *  a link.  Ignored by pktd_writer_open_fd(). */
#define PKTD_WRITER_NOFOLLOW 0x2u
/** @} */

/** Snap length used when 0 is given (libpcap's default maximum). */
#define PKTD_WRITER_DEFAULT_SNAPLEN 262144u
/** Largest snap length accepted: every record then stays within
 *  #PKTD_READER_MAX_RECORD, so the library's reader reads it back. */
#define PKTD_WRITER_MAX_SNAPLEN (PKTD_READER_MAX_RECORD - 64u)

/** Longest interface name pktd_writer_open_fd_iface() takes, in bytes.
 *  @since 1.1 */
#define PKTD_WRITER_MAX_IF_NAME 64u

/** A pktd_writer_stats() counter with this value is unknown: the matching
 *  pcapng option is left out (as for an index at or after the array's
 *  length). */
#define PKTD_WRITER_STAT_NONE UINT64_MAX

/**
 * @brief Create (or truncate) a capture file and write its header.
 *
 * The file is opened with O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC (and
 * O_NOFOLLOW with #PKTD_WRITER_NOFOLLOW); a new file gets mode 0644 less
 * the umask (captures hold other people's traffic: not writable by
 * others).  The writer owns that descriptor and closes it in
 * pktd_writer_close().
 *
 * @param out      receives the writer; set to NULL on failure.
 * @param path     file name ("-" is not special here).
 * @param format   #PKTD_FORMAT_PCAP or #PKTD_FORMAT_PCAPNG.
 * @param linktype LINKTYPE_ value of every packet (at most 0xffff), e.g. 1
 *                 for Ethernet, 101 for raw IP.
 * @param snaplen  largest number of bytes saved per packet; longer packets
 *                 are cut to it.  0 means #PKTD_WRITER_DEFAULT_SNAPLEN; at
 *                 most #PKTD_WRITER_MAX_SNAPLEN.
 * @param flags    0 or a combination of #PKTD_WRITER_NANO and
 *                 #PKTD_WRITER_NOFOLLOW.
 * @param errbuf   NULL, or at least #PKTD_ERRBUF_SIZE bytes that receive the
 *                 whole message on failure, e.g. "open(/x/y.pcap): No such
 *                 file or directory" or "y.pcap: write(descriptor 3): No
 *                 space left on device"; untouched on success.
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL pointer, unknown format or flag,
 *         link type or snap length out of range); `-errno` from open()
 *         (-ELOOP: a symbolic link with #PKTD_WRITER_NOFOLLOW) or from
 *         write() of the file header; -ENOMEM.
 * @since 1.0
 */
PKTD_API int pktd_writer_open_path(pktd_writer **out, const char *path, uint32_t format,
                                   uint32_t linktype, uint32_t snaplen, uint32_t flags,
                                   char *errbuf) PKTD_WUR;

/**
 * @brief Write a capture to an open descriptor (a file, pipe or stdout).
 *
 * The descriptor is written sequentially, never seeked, and not closed by
 * the writer.
 *
 * @param out      receives the writer; set to NULL on failure.
 * @param fd       writable descriptor.
 * @param format   as pktd_writer_open_path().
 * @param linktype as pktd_writer_open_path().
 * @param snaplen  as pktd_writer_open_path().
 * @param flags    as pktd_writer_open_path().
 * @param errbuf   as pktd_writer_open_path() (the message begins
 *                 "descriptor N: ").
 * @return As pktd_writer_open_path() (PKTD_E_INVALID_ARGUMENT for fd < 0).
 * @since 1.0
 */
PKTD_API int pktd_writer_open_fd(pktd_writer **out, int fd, uint32_t format, uint32_t linktype,
                                 uint32_t snaplen, uint32_t flags, char *errbuf) PKTD_WUR;

/**
 * @brief Start a capture on an open descriptor, naming its interface.
 *
 * As pktd_writer_open_fd(); in addition, for #PKTD_FORMAT_PCAPNG, the
 * interface description block carries the option if_name with @p if_name
 * (tshark and capinfos show it as the interface's name).  Classic pcap has
 * no place for a name: it is then only checked.
 *
 * @param out      as pktd_writer_open_fd().
 * @param fd       as pktd_writer_open_fd().
 * @param format   as pktd_writer_open_path().
 * @param linktype as pktd_writer_open_path().
 * @param snaplen  as pktd_writer_open_path().
 * @param flags    as pktd_writer_open_path().
 * @param if_name  the interface's name, at most #PKTD_WRITER_MAX_IF_NAME
 *                 bytes; NULL or "" writes no name (as pktd_writer_open_fd()).
 * @param errbuf   as pktd_writer_open_fd().
 * @return As pktd_writer_open_fd(); PKTD_E_INVALID_ARGUMENT also for a
 *         name longer than #PKTD_WRITER_MAX_IF_NAME.
 * @since 1.1
 */
PKTD_API int pktd_writer_open_fd_iface(pktd_writer **out, int fd, uint32_t format,
                                       uint32_t linktype, uint32_t snaplen, uint32_t flags,
                                       const char *if_name, char *errbuf) PKTD_WUR;

/**
 * @brief Append one packet.
 *
 * @param w        the writer.
 * @param data     the packet bytes (may be NULL when @p caplen is 0).
 * @param caplen   bytes captured; more than the snap length are cut to it.
 * @param wire_len original length on the wire, at least @p caplen.
 * @param ts_ns    capture time in nanoseconds since the epoch (microsecond
 *                 files keep ts_ns / 1000).
 * @return 0; PKTD_E_INVALID_ARGUMENT (NULL writer or data, wire_len <
 *         caplen, or a pcap timestamp after 2106-02-07 that the 32-bit
 *         seconds field cannot hold); `-errno` from write() when the
 *         buffer had to be emptied; the sticky error of a failed writer.
 * @since 1.0
 */
PKTD_API int pktd_writer_write(pktd_writer *w, const uint8_t *data, size_t caplen,
                               uint32_t wire_len, uint64_t ts_ns) PKTD_WUR;

/**
 * @brief Record capture statistics: a pcapng interface statistics block.
 *
 * Takes the array pktd_capture_stats() fills, indexed by the capture's
 * PKTD_CAPTURE_STAT_* (pktdecode/capture.h), so a capture's statistics pass
 * straight through.  Each counter is a running total since the start of
 * the capture and becomes the pcapng option of its meaning:
 *
 * | index | option |
 * |---|---|
 * | PKTD_CAPTURE_STAT_RECEIVED | isb_ifrecv (tcpdump's "packets received by filter") |
 * | PKTD_CAPTURE_STAT_DROPPED | isb_osdrop (tcpdump's "packets dropped by kernel") |
 * | PKTD_CAPTURE_STAT_DELIVERED | isb_usrdeliv |
 *
 * PKTD_CAPTURE_STAT_FILTERED and PKTD_CAPTURE_STAT_PENDING have no pcapng option
 * and are not written.  A counter that is #PKTD_WRITER_STAT_NONE, or whose
 * index is at or after @p n, is unknown and its option is left out (with
 * none known, the block holds only the timestamp).  May be called several
 * times (e.g. periodically and at the end); readers show the last one.
 * Classic pcap has no place for statistics: the call then only checks its
 * arguments and returns 0.
 *
 * @param w     the writer.
 * @param stats counters indexed by PKTD_CAPTURE_STAT_* (may be NULL when @p n
 *              is 0).
 * @param n     the array's length (any: shorter leaves counters out,
 *              longer is fine).
 * @param ts_ns time of the statistics in ns since the epoch; 0 means the
 *              timestamp of the last packet written.
 * @return 0; PKTD_E_INVALID_ARGUMENT for a NULL writer, or a NULL array
 *         with @p n > 0; `-errno` from write(); the sticky error of a
 *         failed writer.
 * @since 1.0
 */
PKTD_API int pktd_writer_stats(pktd_writer *w, const uint64_t *stats, size_t n,
                               uint64_t ts_ns) PKTD_WUR;

/**
 * @brief Write out everything buffered, so a reader of the file or pipe
 *        sees every packet written so far (no fsync()).
 * @param w the writer.
 * @return 0; `-errno` from write(); PKTD_E_INVALID_ARGUMENT for NULL; the
 *         sticky error of a failed writer.
 * @since 1.0
 */
PKTD_API int pktd_writer_flush(pktd_writer *w) PKTD_WUR;

/**
 * @brief Flush, close the file (when opened by path) and free the writer.
 *
 * The writer is freed whatever the result.  The result must be checked
 * (#PKTD_WUR): it is the last chance to learn that packets were lost.
 *
 * @param w a writer, or NULL (then 0).
 * @return 0 when every byte reached the descriptor; otherwise the first
 *         error: `-errno` from write() or close(), or the sticky error of
 *         a failed writer.
 * @since 1.0
 */
PKTD_API int pktd_writer_close(pktd_writer *w) PKTD_WUR;

/**
 * @brief Details of the last error, e.g. "write: No space left on device".
 * @param w the writer.
 * @return A string owned by the writer, valid until the next call; "" if
 *         none or if @p w is NULL.
 * @since 1.0
 */
PKTD_API const char *pktd_writer_errmsg(const pktd_writer *w);

/**
 * @brief Bytes handed to the descriptor or buffered so far: the size the
 *        file has after the next flush.
 * @param w the writer.
 * @return bytes (0 for NULL).
 * @since 1.0
 */
PKTD_API uint64_t pktd_writer_bytes(const pktd_writer *w);

/**
 * @brief Packets written so far with pktd_writer_write().
 * @param w the writer.
 * @return packets (0 for NULL).
 * @since 1.0
 */
PKTD_API uint64_t pktd_writer_packets(const pktd_writer *w);

PKTD_END_DECLS

#endif /* PKTDECODE_WRITER_H */
