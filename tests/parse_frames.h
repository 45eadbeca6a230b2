/* Test helpers for the parse area: build frames byte by byte, with lengths
 * and checksums computed by a reference implementation that shares no code
 * with the library, and a minimal classic-pcap reader for the tcpdump
 * captures kept in tests/corpus/tcpdump/. */
#ifndef PKTD_TESTS_PARSE_FRAMES_H
#define PKTD_TESTS_PARSE_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FR_MAX 4096

/* A frame under construction. */
struct fr {
    uint8_t b[FR_MAX];
    size_t len;
};

void fr_init(struct fr *f);
/* Append raw bytes; returns the offset they start at. */
size_t fr_bytes(struct fr *f, const void *data, size_t n);
size_t fr_u8(struct fr *f, uint8_t v);
size_t fr_be16(struct fr *f, uint16_t v);
size_t fr_be32(struct fr *f, uint32_t v);
/* Append @p n copies of @p v. */
size_t fr_fill(struct fr *f, uint8_t v, size_t n);
void fr_put_be16(struct fr *f, size_t at, uint16_t v);

/* Ethernet header: dst 02:00:00:00:00:02, src 02:00:00:00:00:01. */
extern const uint8_t FR_MAC_DST[6];
extern const uint8_t FR_MAC_SRC[6];
size_t fr_eth(struct fr *f, uint16_t type);
/* One VLAN tag body (TCI + next type); its TPID is the type written before. */
size_t fr_vlan(struct fr *f, uint16_t tci, uint16_t next_type);

/* IPv4 header parameters (host order). */
struct fr_ip4 {
    uint8_t tos;
    uint16_t id;
    uint16_t frag; /* flags + offset field as on the wire */
    uint8_t ttl;
    uint8_t proto;
    uint32_t src;
    uint32_t dst;
    const uint8_t *opts; /* multiple of 4 bytes */
    size_t optlen;
};
#define FR_IP_SRC 0x0a000001u /* 10.0.0.1 */
#define FR_IP_DST 0xc0a80102u /* 192.168.1.2 */

/* Append an IPv4 header with total length and checksum left 0. */
size_t fr_ip4(struct fr *f, const struct fr_ip4 *ip);
/* Set total length = frame end - @p ip_off and compute the header checksum. */
void fr_ip4_finish(struct fr *f, size_t ip_off);
/* Recompute only the header checksum (after editing fields). */
void fr_ip4_checksum(struct fr *f, size_t ip_off);

struct fr_tcp {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint8_t ns;
    uint16_t win, urg;
    const uint8_t *opts; /* multiple of 4 bytes */
    size_t optlen;
};
size_t fr_tcp(struct fr *f, const struct fr_tcp *t);
size_t fr_udp(struct fr *f, uint16_t sport, uint16_t dport);
size_t fr_icmp(struct fr *f, uint8_t type, uint8_t code, uint32_t rest);

/* Transport checksums over the IPv4 pseudo-header, computed from the whole
 * rest of the frame starting at @p l4_off (call after fr_ip4_finish). */
void fr_tcp_finish(struct fr *f, size_t ip_off, size_t tcp_off);
/* UDP: sets the length to frame end - @p udp_off, then the checksum. */
void fr_udp_finish(struct fr *f, size_t ip_off, size_t udp_off);
void fr_icmp_finish(struct fr *f, size_t icmp_off);

/* ARP for Ethernet/IPv4 (hln 6, pln 4). */
size_t fr_arp(struct fr *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
              const uint8_t tha[6], uint32_t tpa);

/* A valid bare UDP header (ports 1 -> 2, length 8), to decode "something
 * else" and check that other layers' accessors report absence. */
extern const uint8_t FR_UDP_ONLY[8];

/* Reference one's-complement sum of big-endian 16-bit words. */
uint32_t fr_ref_sum(const uint8_t *p, size_t n, uint32_t sum);
uint16_t fr_ref_fold(uint32_t sum);

/* A copy of @p n bytes in a buffer of exactly @p n bytes (malloc), so that
 * valgrind or ASan see any read past the end.  Free with free(). */
uint8_t *fr_exact_copy(const uint8_t *data, size_t n);

/* Classic pcap reading for the test captures: the records of @p path.
 * Returns the number of records (at most @p max), or -1 if the file cannot
 * be read; data pointers point into *@p file, which the caller frees. */
struct fr_rec {
    const uint8_t *data;
    uint32_t caplen;
    uint32_t wirelen;
};
int fr_pcap_load(const char *path, uint8_t **file, uint32_t *linktype, struct fr_rec *recs,
                 int max);
/* $top_srcdir/tests/corpus/tcpdump/<name> into @p buf. */
void fr_corpus_path(char *buf, size_t size, const char *name);

/* Every frame of every capture (.pcap, .pcapng) in tests/corpus/tcpdump,
 * read with pktd_reader: @p fn gets the capture's name, its link type, the
 * frame's index in the capture and the frame.  The captures that are
 * deliberately broken files are skipped.  Returns the number of captures
 * read, or -1 if the directory cannot be opened. */
typedef void fr_corpus_fn(const char *name, uint32_t linktype, uint32_t index,
                          const uint8_t *data, size_t len, void *ctx);
int fr_corpus_each(fr_corpus_fn *fn, void *ctx);

/* Call every accessor, iterator and checksum function on @p p and mix the
 * results into one number, so that a test can run them all on any state
 * (under valgrind or ASan this shows that none reads outside the frame). */
struct pktd_packet;
uint64_t fr_touch_all(const struct pktd_packet *p);

#endif /* PKTD_TESTS_PARSE_FRAMES_H */
