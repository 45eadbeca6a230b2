/**
 * @file pktdecode.h
 * @brief libpktdecode umbrella header: include this one.
 *
 * Each module has its own header under pktdecode/; this file includes all
 * of them.  See the main page of the API documentation for the architecture.
 */
#ifndef PKTDECODE_H
#define PKTDECODE_H

#include <pktdecode/export.h>
#include <pktdecode/version.h>
#include <pktdecode/error.h>
/* decoding */
#include <pktdecode/packet.h>
#include <pktdecode/eth.h>
#include <pktdecode/link.h>
#include <pktdecode/arp.h>
#include <pktdecode/ipv4.h>
#include <pktdecode/ipv6.h>
#include <pktdecode/tcp.h>
#include <pktdecode/udp.h>
#include <pktdecode/icmp.h>
#include <pktdecode/icmpv6.h>
#include <pktdecode/tunnel.h>
#include <pktdecode/fields.h>
/* capture files */
#include <pktdecode/reader.h>
#include <pktdecode/writer.h>
/* live capture */
#include <pktdecode/capture.h>
#include <pktdecode/batch.h>
#include <pktdecode/defrag.h>
#include <pktdecode/flow.h>
#include <pktdecode/tcp_reasm.h>
#include <pktdecode/filter.h>
/* AF_ALG */
#include <pktdecode/alg.h>
#include <pktdecode/hash.h>
#include <pktdecode/cipher.h>

#endif /* PKTDECODE_H */
