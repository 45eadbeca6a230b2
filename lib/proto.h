/* Protocol numbers and fixed header sizes, defined once for the decoder,
 * the capture code and the example programs.  Not installed.
 *
 * The names carry the PKTD__ prefix because the system headers define
 * ETH_HLEN, ETHERTYPE_IP, IPPROTO_TCP ... (with other types or spellings),
 * and a file may include both. */
#ifndef PKTD_PROTO_H
#define PKTD_PROTO_H

/* Link layer (IEEE 802.3, 802.1Q; Linux cooked headers). */
#define PKTD__ETH_HLEN 14u       /* destination, source, type */
#define PKTD__ETH_ALEN 6u        /* a MAC address */
#define PKTD__ETH_TYPE_OFF 12u   /* the type field in the Ethernet header */
#define PKTD__ETHERTYPE_MIN 0x0600u /* below: an 802.3 length field */
#define PKTD__VLAN_TAG_LEN 4u    /* TCI + the next type */
#define PKTD__SLL_HLEN 16u
#define PKTD__SLL2_HLEN 20u
#define PKTD__SLL_ADDR_MAX 8u    /* the cooked header's address field */

/* Link headers of release 1.1: BSD loopback (a 4-byte address family),
 * PPP (RFC 1661, 1662) and Cisco HDLC. */
#define PKTD__LOOPBACK_HLEN 4u
#define PKTD__AF_INET 2u
#define PKTD__AF_INET6_BSD 24u     /* NetBSD, OpenBSD, BSD/OS */
#define PKTD__AF_INET6_FREEBSD 28u /* FreeBSD, DragonFly BSD */
#define PKTD__AF_INET6_DARWIN 30u  /* macOS, iOS */
#define PKTD__PPP_ADDRESS 0xffu    /* all-stations address of HDLC-like framing */
#define PKTD__PPP_IPV4 0x0021u
#define PKTD__PPP_IPV6 0x0057u
#define PKTD__PPP_MPLS_UC 0x0281u /* RFC 3032 */
#define PKTD__PPP_MPLS_MC 0x0283u
#define PKTD__CHDLC_HLEN 4u        /* address, control, EtherType */
#define PKTD__CHDLC_UNICAST 0x0fu
#define PKTD__CHDLC_BROADCAST 0x8fu

/* EtherTypes, and the VLAN tag protocol identifiers the decoder accepts. */
#define PKTD__ETHERTYPE_IPV4 0x0800u
#define PKTD__ETHERTYPE_ARP 0x0806u
#define PKTD__ETHERTYPE_IPV6 0x86ddu
#define PKTD__TPID_8021Q 0x8100u
#define PKTD__TPID_8021AD 0x88a8u
#define PKTD__TPID_QINQ1 0x9100u /* pre-standard QinQ */
#define PKTD__TPID_QINQ2 0x9200u

/* Tunnels of release 1.1 (tunnel.h): EtherTypes (also GRE and Geneve
 * protocol types), IP protocols and fixed header sizes. */
#define PKTD__ETHERTYPE_MPLS_UC 0x8847u
#define PKTD__ETHERTYPE_MPLS_MC 0x8848u
#define PKTD__ETHERTYPE_PPPOE_DISC 0x8863u
#define PKTD__ETHERTYPE_PPPOE_SES 0x8864u
#define PKTD__ETHERTYPE_TEB 0x6558u     /* transparent Ethernet bridging */
#define PKTD__ETHERTYPE_ERSPAN2 0x88beu /* ERSPAN type I (no header) and II */
#define PKTD__ETHERTYPE_ERSPAN3 0x22ebu
#define PKTD__IPPROTO_IPIP 4u
#define PKTD__IPPROTO_IPV6 41u
#define PKTD__IPPROTO_GRE 47u
#define PKTD__MPLS_LSE_LEN 4u
#define PKTD__PPPOE_HLEN 6u
#define PKTD__GRE_MIN_HLEN 4u
#define PKTD__ERSPAN2_HLEN 8u
#define PKTD__ERSPAN3_HLEN 12u
#define PKTD__ERSPAN3_SUBHDR_LEN 8u /* platform-specific subheader (O bit) */
#define PKTD__VXLAN_HLEN 8u
#define PKTD__GENEVE_HLEN 8u
#define PKTD__GTPU_HLEN 8u
#define PKTD__GTPU_OPT_LEN 4u       /* sequence, N-PDU, next extension type */
#define PKTD__GTPU_GPDU 255u

/* ARP (RFC 826). */
#define PKTD__ARP_FIXED_LEN 8u
#define PKTD__ARPHRD_ETHER 1u
#define PKTD__ARP_OP_REQUEST 1u
#define PKTD__ARP_OP_REPLY 2u

/* IPv4 (RFC 791) and the protocol numbers decoded above it. */
#define PKTD__IPV4_MIN_HLEN 20u
#define PKTD__IPV4_ALEN 4u
#define PKTD__IPPROTO_ICMP 1u
#define PKTD__IPPROTO_TCP 6u
#define PKTD__IPPROTO_UDP 17u

/* IPv6 (RFC 8200), its extension headers (IANA list) and ICMPv6. */
#define PKTD__IPV6_HLEN 40u
#define PKTD__IPV6_ALEN 16u
#define PKTD__IPV6_FRAG_HLEN 8u
#define PKTD__IPPROTO_HOPOPTS 0u
#define PKTD__IPPROTO_ROUTING 43u
#define PKTD__IPPROTO_FRAGMENT 44u
#define PKTD__IPPROTO_ESP 50u
#define PKTD__IPPROTO_AH 51u
#define PKTD__IPPROTO_ICMPV6 58u
#define PKTD__IPPROTO_NONE 59u
#define PKTD__IPPROTO_DSTOPTS 60u
#define PKTD__IPPROTO_MOBILITY 135u
#define PKTD__IPPROTO_HIP 139u
#define PKTD__IPPROTO_SHIM6 140u
#define PKTD__IPPROTO_EXP1 253u
#define PKTD__IPPROTO_EXP2 254u
#define PKTD__ICMPV6_HLEN 4u
#define PKTD__ICMPV6_ECHO_REQUEST 128u
#define PKTD__ICMPV6_ECHO_REPLY 129u
#define PKTD__ICMPV6_RS 133u
#define PKTD__ICMPV6_RA 134u
#define PKTD__ICMPV6_NS 135u
#define PKTD__ICMPV6_NA 136u
#define PKTD__ICMPV6_REDIRECT 137u
#define PKTD__ND_OPT_SLLA 1u
#define PKTD__ND_OPT_TLLA 2u

/* Transport headers. */
#define PKTD__TCP_MIN_HLEN 20u
#define PKTD__TCP_SACK_BLOCK_LEN 8u /* one SACK block: left and right edge */
#define PKTD__UDP_HLEN 8u
#define PKTD__ICMP_HLEN 8u
#define PKTD__ICMP_ECHO_REPLY 0u
#define PKTD__ICMP_ECHO_REQUEST 8u

#endif /* PKTD_PROTO_H */
