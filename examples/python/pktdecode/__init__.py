"""pktdecode: libpktdecode from Python, over ctypes (no compiler needed).

    import pktdecode
    with pktdecode.Reader("trace.pcap") as r:
        for rec in r:
            p = pktdecode.Packet(rec.data, rec.linktype)
            if p.has(pktdecode.LAYER_TCP):
                print(p.ipv4_src_str(), p.tcp_sport(), "->", p.ipv4_dst_str(), p.tcp_dport())

The fast loop reads a capture in place and every field in one call:

    p = pktdecode.Packet()
    with pktdecode.Reader("trace.pcap") as r:
        while r.next_into(p):                 # decode without copying
            f = p.field_array()               # every field, one foreign call
            if f[pktdecode.FIELD_LAYERS] >> pktdecode.LAYER_TCP & 1:
                print(f[pktdecode.FIELD_TCP_DPORT])

A whole file as columns, one foreign call per batch of records (numpy
arrays, or array.array without numpy; a pandas DataFrame):

    cols = pktdecode.read_columns("trace.pcap", fields=["ipv4_src", "tcp_dport"])
    df = pktdecode.read_dataframe("trace.pcap")

Many files, or one large file cut into record-aligned chunks (plan_chunks(),
read_chunk()), as one dask DataFrame decoded on many cores or machines:

    import pktdecode.dask
    ddf = pktdecode.dask.read_pcaps("captures/*.pcap", fields=["ts_ns", "tcp_dport"])

doc/python.md documents this module (help(pktdecode) shows the same).

Loading the library: PKTDECODE_LIB, when set, names the file to load (the
tests point it at the library just built).  Otherwise a package installed by
`make install` loads the library installed with it (the libdir configure
wrote into pktdecode._config), and then, as a copy outside an installation
does, libpktdecode.so.1 through the dynamic loader and
ctypes.util.find_library().  When nothing loads, LibraryNotFoundError (an
OSError) says every place it looked.

Names follow the C API without its prefix: pktd_tcp_sport(p) is
Packet.tcp_sport(), PKTD_LINKTYPE_ETHERNET is LINKTYPE_ETHERNET.  A C
function that returns a negative code raises PktdError, whose message comes
from pktd_strerror() (plus the handle's errmsg when there is one); decoding
is the exception: a packet that does not decode completely is data, not a
failure, so Packet.decode() returns the code and Packet.error() describes it.

Lifetime: a Packet keeps a reference to the bytes it decoded.  A Reader or
Capture record's .data is a copy; Reader.next_into() and
Capture.next_into() decode in place, without copying, and that Packet is
valid only until the next read from the same handle.

Only the standard library is used (numpy and pandas when present, for
read_columns() and read_dataframe()); Python 3.6 or later.
"""

import array
import ctypes
import ctypes.util
import errno
import os
import socket
import sys
import struct
from ctypes import (CFUNCTYPE, POINTER, byref, c_char_p, c_int, c_int32, c_size_t,
                    c_uint8, c_uint16, c_uint32, c_uint64, c_void_p)

__all__ = ["PktdError", "UnavailableError", "LibraryNotFoundError", "Packet", "Reader", "Record", "Writer",
           "Capture", "Hash", "Cipher", "alg_probe", "version", "version_string", "strerror",
           "err_name", "ipv4_format", "mac_format", "lib", "read_columns", "iter_batches",
           "read_dataframe", "ipv4_text", "ipv6_text", "Chunk", "plan_chunks", "read_chunk", "chunk_image",
           "count_packets", "Defrag", "TcpReasm", "Filter", "FlowTable", "Flow", "read_flows"]


class LibraryNotFoundError(OSError):
    """libpktdecode could not be loaded; the message lists every place tried
    and how to point PKTDECODE_LIB at the library."""


def _load():
    path = os.environ.get("PKTDECODE_LIB")
    if path:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            raise LibraryNotFoundError(
                "cannot load libpktdecode from PKTDECODE_LIB=%s: %s (PKTDECODE_LIB must name "
                "the shared library file, e.g. /usr/local/lib/libpktdecode.so.1)" % (path, e)) from e
    tried = []
    # The libdir of the installation this package belongs to: written by
    # `make install` (_config.py is generated, absent from the source tree),
    # so an installed module does not pick another copy on the loader path.
    try:
        from . import _config
    except ImportError:
        _config = None
    if _config is not None and _config.LIBDIR:
        installed = os.path.join(_config.LIBDIR, "libpktdecode.so.1")
        if os.path.exists(installed):
            try:
                return ctypes.CDLL(installed)
            except OSError as e:
                tried.append("%s (the installed library, pktdecode._config.LIBDIR): %s" % (installed, e))
        else:
            tried.append("%s (pktdecode._config.LIBDIR): no such file" % installed)
    try:
        return ctypes.CDLL("libpktdecode.so.1")
    except OSError as e:
        tried.append("libpktdecode.so.1 through the dynamic loader's search path "
                     "(LD_LIBRARY_PATH, ld.so.cache, /lib, /usr/lib): %s" % e)
    found = ctypes.util.find_library("pktdecode")
    if found:
        try:
            return ctypes.CDLL(found)
        except OSError as e:
            tried.append("%s (found by ctypes.util.find_library): %s" % (found, e))
    else:
        tried.append("ctypes.util.find_library('pktdecode'): nothing found")
    raise LibraryNotFoundError(
        "cannot load libpktdecode; tried " + "; ".join(tried) +
        ". Install the library, or set PKTDECODE_LIB to the path of libpktdecode.so.1 "
        "(e.g. PKTDECODE_LIB=/path/to/build/lib/.libs/libpktdecode.so.1)")


#: The loaded library (ctypes.CDLL): every pktd_ function with its prototype.
lib = _load()

# ---------------------------------------------------------------- prototypes
_STATE = POINTER(c_uint64)        # pktd_packet * (a c_uint64 array)
_H = c_void_p                     # any opaque handle pointer
_BUF = c_void_p                   # const uint8_t * input (bytes, ctypes buffer)
_OUTPTR = POINTER(c_void_p)       # const uint8_t ** output
_OUTSIZE = POINTER(c_size_t)
_U8P, _U16P, _U32P, _U64P = POINTER(c_uint8), POINTER(c_uint16), POINTER(c_uint32), POINTER(c_uint64)

#: C callback type of pktd_capture_dispatch().
CAPTURE_HANDLER = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, c_uint32, c_uint64)
#: C callback type of pktd_flow_table_set_export() (since 1.1).
FLOW_EXPORT = CFUNCTYPE(None, c_void_p, c_void_p)
#: C callback type of the TCP reassembler (pktd_tcp_reasm_fn, since 1.1):
#: user, event, flow_id, dir, offset, data, len.
TCP_REASM_FN = CFUNCTYPE(None, c_void_p, c_uint32, c_uint32, c_uint32, c_uint64, c_void_p, c_size_t)

# One line per C function: name, return type, argument types.  Functions that
# take only `const pktd_packet *` are also made Packet methods (below).
_PROTOTYPES = [
    # core
    ("pktd_version_string", c_char_p, []),
    ("pktd_version", ctypes.c_uint, []),
    ("pktd_strerror", c_char_p, [c_int]),
    ("pktd_err_name", c_char_p, [c_int]),
    # decoding: the state, whole frames, errors
    ("pktd_packet_size", c_size_t, []),
    ("pktd_decode", c_int, [_STATE, c_uint32, _BUF, c_size_t]),
    ("pktd_packet_layers", c_uint32, [_STATE]),
    ("pktd_packet_has", c_int, [_STATE, c_uint32]),
    ("pktd_packet_flags", c_uint32, [_STATE]),
    ("pktd_packet_linktype", c_uint32, [_STATE]),
    ("pktd_packet_header", c_int, [_STATE, c_uint32, _OUTPTR, _OUTSIZE]),
    ("pktd_packet_payload", c_int, [_STATE, _OUTPTR, _OUTSIZE]),
    ("pktd_packet_error", c_int, [_STATE]),
    ("pktd_packet_error_layer", c_uint32, [_STATE]),
    ("pktd_packet_error_reason", c_uint32, [_STATE]),
    ("pktd_packet_error_value", c_uint32, [_STATE]),
    ("pktd_packet_error_value2", c_uint32, [_STATE]),
    ("pktd_packet_error_format", c_int, [_STATE, ctypes.c_char_p, c_size_t]),
    ("pktd_reason_string", c_char_p, [c_uint32]),
    ("pktd_layer_name", c_char_p, [c_uint32]),
    # link layer
    ("pktd_eth_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_eth_dst", c_void_p, [_STATE]),
    ("pktd_eth_src", c_void_p, [_STATE]),
    ("pktd_eth_type", c_uint16, [_STATE]),
    ("pktd_vlan_count", c_uint32, [_STATE]),
    ("pktd_vlan_tpid", c_uint16, [_STATE, c_uint32]),
    ("pktd_vlan_tci", c_uint16, [_STATE, c_uint32]),
    ("pktd_vlan_vid", c_uint16, [_STATE, c_uint32]),
    ("pktd_vlan_pcp", c_uint8, [_STATE, c_uint32]),
    ("pktd_sll_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_sll2_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_sll_pkttype", c_uint16, [_STATE]),
    ("pktd_sll_hatype", c_uint16, [_STATE]),
    ("pktd_sll2_ifindex", c_uint32, [_STATE]),
    ("pktd_sll_addr", c_void_p, [_STATE, _OUTSIZE]),
    ("pktd_mac_format", c_size_t, [_BUF, c_char_p, c_size_t]),
    # link headers without Ethernet (1.1)
    ("pktd_loopback_family", c_uint32, [_STATE]),
    ("pktd_ppp_protocol", c_uint16, [_STATE]),
    ("pktd_ppp_has_address", c_int, [_STATE]),
    ("pktd_ppp_control", c_uint8, [_STATE]),
    ("pktd_chdlc_address", c_uint8, [_STATE]),
    ("pktd_chdlc_control", c_uint8, [_STATE]),
    ("pktd_chdlc_protocol", c_uint16, [_STATE]),
    # ARP
    ("pktd_arp_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_arp_htype", c_uint16, [_STATE]),
    ("pktd_arp_ptype", c_uint16, [_STATE]),
    ("pktd_arp_hlen", c_uint8, [_STATE]),
    ("pktd_arp_plen", c_uint8, [_STATE]),
    ("pktd_arp_op", c_uint16, [_STATE]),
    ("pktd_arp_sha", c_void_p, [_STATE]),
    ("pktd_arp_spa", c_uint32, [_STATE]),
    ("pktd_arp_spa_bytes", c_void_p, [_STATE]),
    ("pktd_arp_tha", c_void_p, [_STATE]),
    ("pktd_arp_tpa", c_uint32, [_STATE]),
    ("pktd_arp_tpa_bytes", c_void_p, [_STATE]),
    # IPv4
    ("pktd_ipv4_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_ipv4_ihl", c_uint8, [_STATE]),
    ("pktd_ipv4_tos", c_uint8, [_STATE]),
    ("pktd_ipv4_total_len", c_uint16, [_STATE]),
    ("pktd_ipv4_id", c_uint16, [_STATE]),
    ("pktd_ipv4_df", c_int, [_STATE]),
    ("pktd_ipv4_mf", c_int, [_STATE]),
    ("pktd_ipv4_rf", c_int, [_STATE]),
    ("pktd_ipv4_frag_offset", c_uint16, [_STATE]),
    ("pktd_ipv4_ttl", c_uint8, [_STATE]),
    ("pktd_ipv4_proto", c_uint8, [_STATE]),
    ("pktd_ipv4_checksum", c_uint16, [_STATE]),
    ("pktd_ipv4_src", c_uint32, [_STATE]),
    ("pktd_ipv4_dst", c_uint32, [_STATE]),
    ("pktd_ipv4_checksum_ok", c_int, [_STATE]),
    ("pktd_ipv4_checksum_bad", c_int, [_STATE]),
    ("pktd_ipv4_format", c_size_t, [c_uint32, c_char_p, c_size_t]),
    ("pktd_ipv4_options", c_int, [_STATE, _OUTPTR, _OUTSIZE]),
    ("pktd_ipv4_option_next", c_int, [_STATE, _U32P, _U8P, _OUTPTR, _OUTSIZE]),
    # TCP
    ("pktd_tcp_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_tcp_sport", c_uint16, [_STATE]),
    ("pktd_tcp_dport", c_uint16, [_STATE]),
    ("pktd_tcp_seq", c_uint32, [_STATE]),
    ("pktd_tcp_ack", c_uint32, [_STATE]),
    ("pktd_tcp_doff", c_uint8, [_STATE]),
    ("pktd_tcp_flags", c_uint8, [_STATE]),
    ("pktd_tcp_ns", c_int, [_STATE]),
    ("pktd_tcp_window", c_uint16, [_STATE]),
    ("pktd_tcp_checksum", c_uint16, [_STATE]),
    ("pktd_tcp_urgent", c_uint16, [_STATE]),
    ("pktd_tcp_opt_mss", c_int, [_STATE, _U16P]),
    ("pktd_tcp_opt_wscale", c_int, [_STATE, _U8P]),
    ("pktd_tcp_opt_sack_perm", c_int, [_STATE]),
    ("pktd_tcp_opt_timestamps", c_int, [_STATE, _U32P, _U32P]),
    ("pktd_tcp_opt_sack_count", c_uint32, [_STATE]),
    ("pktd_tcp_opt_sack_block", c_int, [_STATE, c_uint32, _U32P, _U32P]),
    ("pktd_tcp_options", c_int, [_STATE, _OUTPTR, _OUTSIZE]),
    ("pktd_tcp_option_next", c_int, [_STATE, _U32P, _U8P, _OUTPTR, _OUTSIZE]),
    ("pktd_tcp_checksum_ok", c_int, [_STATE]),
    ("pktd_tcp_checksum_bad", c_int, [_STATE]),
    # UDP
    ("pktd_udp_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_udp_sport", c_uint16, [_STATE]),
    ("pktd_udp_dport", c_uint16, [_STATE]),
    ("pktd_udp_len", c_uint16, [_STATE]),
    ("pktd_udp_checksum", c_uint16, [_STATE]),
    ("pktd_udp_checksum_ok", c_int, [_STATE]),
    ("pktd_udp_checksum_bad", c_int, [_STATE]),
    # ICMP
    ("pktd_icmp_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_icmp_type", c_uint8, [_STATE]),
    ("pktd_icmp_code", c_uint8, [_STATE]),
    ("pktd_icmp_checksum", c_uint16, [_STATE]),
    ("pktd_icmp_rest", c_uint32, [_STATE]),
    ("pktd_icmp_echo", c_int, [_STATE, _U16P, _U16P]),
    ("pktd_icmp_checksum_ok", c_int, [_STATE]),
    ("pktd_icmp_checksum_bad", c_int, [_STATE]),
    # IPv6 (1.1)
    ("pktd_ipv6_parse", c_int, [_STATE, _BUF, c_size_t]),
    ("pktd_ipv6_version", c_uint8, [_STATE]),
    ("pktd_ipv6_tclass", c_uint8, [_STATE]),
    ("pktd_ipv6_flow", c_uint32, [_STATE]),
    ("pktd_ipv6_plen", c_uint16, [_STATE]),
    ("pktd_ipv6_next", c_uint8, [_STATE]),
    ("pktd_ipv6_hlim", c_uint8, [_STATE]),
    ("pktd_ipv6_src", c_void_p, [_STATE]),
    ("pktd_ipv6_dst", c_void_p, [_STATE]),
    ("pktd_ipv6_jumbo_len", c_uint32, [_STATE]),
    ("pktd_ipv6_ext_count", c_uint32, [_STATE]),
    ("pktd_ipv6_upper", c_int, [_STATE, _U8P, _OUTSIZE]),
    ("pktd_ipv6_frag", c_int, [_STATE, _U16P, _U8P, _U32P]),
    ("pktd_ipv6_routing", c_int, [_STATE, _U8P, _U8P]),
    ("pktd_ipv6_ext_next", c_int, [_STATE, _U32P, _U8P, _OUTPTR, _OUTSIZE]),
    ("pktd_ipv6_format", c_size_t, [c_void_p, c_char_p, c_size_t]),
    # ICMPv6 (1.1)
    ("pktd_icmpv6_type", c_uint8, [_STATE]),
    ("pktd_icmpv6_code", c_uint8, [_STATE]),
    ("pktd_icmpv6_checksum", c_uint16, [_STATE]),
    ("pktd_icmpv6_rest", c_uint32, [_STATE]),
    ("pktd_icmpv6_checksum_ok", c_int, [_STATE]),
    ("pktd_icmpv6_checksum_bad", c_int, [_STATE]),
    ("pktd_icmpv6_echo", c_int, [_STATE, _U16P, _U16P]),
    ("pktd_icmpv6_nd_target", c_void_p, [_STATE]),
    ("pktd_icmpv6_nd_option_next", c_int, [_STATE, _U32P, _U8P, _OUTPTR, _OUTSIZE]),
    ("pktd_icmpv6_nd_lladdr", c_int, [_STATE, c_uint8, _OUTPTR, _OUTSIZE]),
    # every field in one call (fields.h)
    ("pktd_packet_fields", c_uint32, [_STATE, _U32P, c_size_t]),
    ("pktd_field_count", c_uint32, []),
    ("pktd_field_name", c_char_p, [c_uint32]),
    ("pktd_field_lookup", c_int, [c_char_p, _U32P]),
    # capture files: reading
    ("pktd_reader_open_path", c_int, [POINTER(_H), c_char_p, c_char_p]),
    ("pktd_reader_open_fd", c_int, [POINTER(_H), c_int, c_char_p]),
    ("pktd_reader_open_mem", c_int, [POINTER(_H), _BUF, c_size_t, c_char_p]),
    ("pktd_reader_close", None, [_H]),
    ("pktd_reader_next", c_int, [_H, _OUTPTR, _OUTSIZE]),
    ("pktd_reader_ts_ns", c_uint64, [_H]),
    ("pktd_reader_wire_len", c_uint32, [_H]),
    ("pktd_reader_linktype", c_uint32, [_H]),
    ("pktd_reader_interface", c_uint32, [_H]),
    ("pktd_reader_format", c_uint32, [_H]),
    ("pktd_reader_snaplen", c_uint32, [_H]),
    ("pktd_reader_packet_index", c_uint64, [_H]),
    ("pktd_reader_offset", c_uint64, [_H]),
    ("pktd_reader_errmsg", c_char_p, [_H]),
    # capture files: writing
    ("pktd_writer_open_path", c_int, [POINTER(_H), c_char_p, c_uint32, c_uint32, c_uint32, c_uint32, c_char_p]),
    ("pktd_writer_open_fd", c_int, [POINTER(_H), c_int, c_uint32, c_uint32, c_uint32, c_uint32, c_char_p]),
    ("pktd_writer_open_fd_iface", c_int, [POINTER(_H), c_int, c_uint32, c_uint32, c_uint32, c_uint32, c_char_p, c_char_p]),
    ("pktd_writer_write", c_int, [_H, _BUF, c_size_t, c_uint32, c_uint64]),
    ("pktd_writer_stats", c_int, [_H, _U64P, c_size_t, c_uint64]),
    ("pktd_writer_flush", c_int, [_H]),
    ("pktd_writer_close", c_int, [_H]),
    ("pktd_writer_errmsg", c_char_p, [_H]),
    ("pktd_writer_bytes", c_uint64, [_H]),
    ("pktd_writer_packets", c_uint64, [_H]),
    # live capture
    ("pktd_capture_create", c_int, [POINTER(_H), c_char_p, c_char_p]),
    ("pktd_capture_close", None, [_H]),
    ("pktd_capture_set_ip_protocol", c_int, [_H, c_uint32]),
    ("pktd_capture_set_linktype", c_int, [_H, c_uint32]),  # 1.1
    ("pktd_capture_set_ip_family", c_int, [_H, c_uint32]),  # 1.1
    ("pktd_capture_set_snaplen", c_int, [_H, c_uint32]),
    ("pktd_capture_set_promisc", c_int, [_H, c_int]),
    ("pktd_capture_set_buffer_size", c_int, [_H, c_size_t]),
    ("pktd_capture_set_block_timeout", c_int, [_H, c_uint32]),
    ("pktd_capture_set_timeout", c_int, [_H, c_int32]),
    ("pktd_capture_set_immediate", c_int, [_H, c_int]),
    ("pktd_capture_set_tpacket_version", c_int, [_H, c_uint32]),
    ("pktd_capture_set_direction", c_int, [_H, c_uint32]),
    ("pktd_capture_set_fanout", c_int, [_H, c_uint32, c_uint32]),
    ("pktd_capture_set_nonblock", c_int, [_H, c_int]),
    ("pktd_capture_set_filter_bpf", c_int, [_H, _BUF, c_uint32]),
    ("pktd_capture_set_filter_text", c_int, [_H, c_char_p]),
    ("pktd_capture_set_filter_expr", c_int, [_H, c_char_p, c_int]),
    ("pktd_capture_expr_available", c_int, []),
    ("pktd_capture_activate", c_int, [_H]),
    ("pktd_capture_next", c_int, [_H, _OUTPTR, _OUTSIZE]),
    ("pktd_capture_dispatch", c_int, [_H, c_uint32, CAPTURE_HANDLER, c_void_p]),
    ("pktd_capture_breakloop", None, [_H]),
    ("pktd_capture_fd", c_int, [_H]),
    ("pktd_capture_ts_ns", c_uint64, [_H]),
    ("pktd_capture_wire_len", c_uint32, [_H]),
    ("pktd_capture_ifindex", c_uint32, [_H]),
    ("pktd_capture_pkttype", c_uint32, [_H]),
    ("pktd_capture_linktype", c_uint32, [_H]),
    ("pktd_capture_snaplen", c_uint32, [_H]),
    ("pktd_capture_buffer_size", c_size_t, [_H]),
    ("pktd_capture_tpacket_version", c_uint32, [_H]),
    ("pktd_capture_stats", c_int, [_H, _U64P, c_size_t]),
    ("pktd_capture_errmsg", c_char_p, [_H]),
    # AF_ALG: availability, hashes, ciphers
    ("pktd_alg_probe", c_int, [c_char_p, c_char_p, _BUF, c_size_t, POINTER(c_int), c_char_p]),
    ("pktd_alg_is_unavailable", c_int, [c_int]),
    ("pktd_alg_strerror", c_char_p, [c_int]),
    ("pktd_hash_open", c_int, [POINTER(_H), c_char_p, c_char_p]),
    ("pktd_hash_close", None, [_H]),
    ("pktd_hash_setkey", c_int, [_H, _BUF, c_size_t]),
    ("pktd_hash_update", c_int, [_H, _BUF, c_size_t]),
    ("pktd_hash_final", c_int, [_H, c_void_p, c_size_t]),
    ("pktd_hash_digest", c_int, [_H, _BUF, c_size_t, c_void_p, c_size_t]),
    ("pktd_hash_clone", c_int, [POINTER(_H), _H, c_char_p]),
    ("pktd_hash_reset", None, [_H]),
    ("pktd_hash_digest_size", c_size_t, [_H]),
    ("pktd_hash_block_size", c_size_t, [_H]),
    ("pktd_hash_name", c_char_p, [_H]),
    ("pktd_hash_errmsg", c_char_p, [_H]),
    ("pktd_cipher_open", c_int, [POINTER(_H), c_char_p, c_char_p]),
    ("pktd_cipher_close", None, [_H]),
    ("pktd_cipher_setkey", c_int, [_H, _BUF, c_size_t]),
    ("pktd_cipher_encrypt", c_int, [_H, _BUF, c_size_t, _BUF, c_size_t, c_void_p]),
    ("pktd_cipher_decrypt", c_int, [_H, _BUF, c_size_t, _BUF, c_size_t, c_void_p]),
    ("pktd_cipher_begin", c_int, [_H, c_uint32, _BUF, c_size_t]),
    ("pktd_cipher_update", c_int, [_H, _BUF, c_size_t, c_void_p, c_size_t, _OUTSIZE]),
    ("pktd_cipher_end", c_int, [_H, _BUF, c_size_t, c_void_p, c_size_t, _OUTSIZE]),
    ("pktd_cipher_reset", None, [_H]),
    ("pktd_cipher_iv_size", c_size_t, [_H]),
    ("pktd_cipher_block_size", c_size_t, [_H]),
    ("pktd_cipher_chunk_size", c_size_t, [_H]),
    ("pktd_cipher_key_min", c_size_t, [_H]),
    ("pktd_cipher_key_max", c_size_t, [_H]),
    ("pktd_cipher_can_stream", c_int, [_H]),
    ("pktd_cipher_max_len", c_size_t, [_H]),
    ("pktd_cipher_name", c_char_p, [_H]),
    ("pktd_cipher_errmsg", c_char_p, [_H]),
    # columnar batches (batch.h, since 1.1)
    ("pktd_batch_create", c_int, [POINTER(_H), c_uint32, _U32P, c_uint32, POINTER(c_void_p), c_char_p]),
    ("pktd_batch_close", None, [_H]),
    ("pktd_batch_bind", c_int, [_H, c_uint32, c_void_p]),
    ("pktd_batch_capacity", c_uint32, [_H]),
    ("pktd_batch_read", c_int, [_H, _H, c_uint32, _U32P]),
    ("pktd_batch_decode_frames", c_int, [_H, c_uint32, POINTER(c_void_p), _OUTSIZE, _U64P, c_uint32]),
    ("pktd_batch_capture", c_int, [_H, _H, c_uint32, _U32P]),
    # flow table (flow.h, since 1.1)
    ("pktd_flow_table_create", c_int, [POINTER(_H), c_uint32, c_uint64, c_uint64, c_char_p]),
    ("pktd_flow_table_close", None, [_H]),
    ("pktd_flow_table_set_export", c_int, [_H, FLOW_EXPORT, c_void_p]),
    ("pktd_flow_table_update", c_int, [_H, _STATE, c_uint64, c_size_t, c_uint64, _U32P, _U32P]),
    ("pktd_flow_table_expire", c_int, [_H, c_uint64]),
    ("pktd_flow_table_flush", c_int, [_H]),
    ("pktd_flow_table_get", c_void_p, [_H, c_uint32]),
    ("pktd_flow_table_capacity", c_uint32, [_H]),
    ("pktd_flow_table_count", c_uint32, [_H]),
    ("pktd_flow_table_stats", c_int, [_H, _U64P, c_size_t]),
    ("pktd_flow_table_errmsg", c_char_p, [_H]),
    ("pktd_flow_id", c_uint32, [c_void_p]),
    ("pktd_flow_ip_version", c_uint32, [c_void_p]),
    ("pktd_flow_proto", c_uint8, [c_void_p]),
    ("pktd_flow_ipv4_src", c_uint32, [c_void_p]),
    ("pktd_flow_ipv4_dst", c_uint32, [c_void_p]),
    ("pktd_flow_ipv6_src", c_void_p, [c_void_p]),
    ("pktd_flow_ipv6_dst", c_void_p, [c_void_p]),
    ("pktd_flow_sport", c_uint16, [c_void_p]),
    ("pktd_flow_dport", c_uint16, [c_void_p]),
    ("pktd_flow_vlan_count", c_uint32, [c_void_p]),
    ("pktd_flow_vlan_vid", c_uint16, [c_void_p, c_uint32]),
    ("pktd_flow_zone", c_uint64, [c_void_p]),
    ("pktd_flow_first_ns", c_uint64, [c_void_p]),
    ("pktd_flow_last_ns", c_uint64, [c_void_p]),
    ("pktd_flow_packets", c_uint64, [c_void_p, c_uint32]),
    ("pktd_flow_bytes", c_uint64, [c_void_p, c_uint32]),
    ("pktd_flow_tcp_flags", c_uint8, [c_void_p, c_uint32]),
    ("pktd_flow_tcp_state", c_uint32, [c_void_p]),
    ("pktd_flow_end", c_uint32, [c_void_p]),
    ("pktd_flow_end_name", c_char_p, [c_uint32]),
    # tunnels (tunnel.h, since 1.1)
    ("pktd_decode_opts_init", None, [c_void_p]),
    ("pktd_decode_opts_set_port", c_int, [c_void_p, c_uint32, c_uint32]),
    ("pktd_decode_opts_port", c_uint32, [c_void_p, c_uint32]),
    ("pktd_decode_with", c_int, [_STATE, c_void_p, c_uint32, _BUF, c_size_t]),
    ("pktd_decode_inner", c_int, [_STATE, _STATE]),
    ("pktd_packet_tunnel", c_uint32, [_STATE]),
    ("pktd_packet_tunnel_id", c_uint32, [_STATE]),
    ("pktd_packet_encap", c_uint32, [_STATE]),
    ("pktd_packet_depth", c_uint32, [_STATE]),
    ("pktd_tunnel_name", c_char_p, [c_uint32]),
    ("pktd_tunnel_field", c_int, [_STATE, c_uint32, _U32P]),
    ("pktd_mpls_depth", c_uint32, [_STATE]),
    ("pktd_mpls_entry", c_int, [_STATE, c_uint32, _U32P, _U32P, _U32P, _U32P]),
    ("pktd_tunnel_option_next", c_int, [_STATE, _U32P, _U32P, _OUTPTR, _OUTSIZE]),
    ("pktd_gre_checksum_ok", c_int, [_STATE]),
    ("pktd_gre_checksum_bad", c_int, [_STATE]),
    ("pktd_packet_tunnel_zone", c_uint64, [_STATE]),
    ("pktd_packet_level_next", c_int, [_STATE, _U32P, _STATE, _OUTPTR, _U64P]),
    # capture files: record-aligned chunks (reader.h, since 1.1)
    ("pktd_reader_skip", c_int, [_H, c_uint64, _U64P]),
    ("pktd_reader_position", c_uint64, [_H]),
    ("pktd_reader_header_ranges", c_uint32, [_H, _U64P, _OUTSIZE, c_uint32]),
    # capture files: read mapped in memory (reader.h, since 1.1)
    ("pktd_reader_open_mapped", c_int, [POINTER(_H), c_char_p, c_char_p]),
    # IP defragmentation (defrag.h, since 1.1)
    ("pktd_defrag_create", c_int, [POINTER(_H), c_size_t, c_uint32, c_uint32, c_uint64, c_char_p]),
    ("pktd_defrag_close", None, [_H]),
    ("pktd_defrag_add", c_int, [_H, _STATE, c_uint64, c_uint64, _OUTPTR, _OUTSIZE]),
    ("pktd_defrag_expire", c_int, [_H, c_uint64]),
    ("pktd_defrag_stats", c_int, [_H, _U64P, c_size_t]),
    ("pktd_defrag_errmsg", c_char_p, [_H]),
    # TCP stream reassembly (tcp_reasm.h, since 1.1)
    ("pktd_tcp_reasm_create", c_int, [POINTER(_H), c_uint32, c_size_t, TCP_REASM_FN, c_void_p, c_char_p]),
    ("pktd_tcp_reasm_close", None, [_H]),
    ("pktd_tcp_reasm_add", c_int, [_H, c_uint32, c_uint32, _STATE, c_uint64]),
    ("pktd_tcp_reasm_flush", c_int, [_H, c_uint32, c_uint32]),
    ("pktd_tcp_reasm_flow_stats", c_int, [_H, c_uint32, c_uint32, _U64P, c_size_t]),
    ("pktd_tcp_reasm_stats", c_int, [_H, _U64P, c_size_t]),
    ("pktd_tcp_reasm_errmsg", c_char_p, [_H]),
    # filter expressions on frames in memory (filter.h, since 1.1)
    ("pktd_filter_create", c_int, [POINTER(_H), c_char_p, c_uint32, c_char_p]),
    ("pktd_filter_match", c_int, [_H, _BUF, c_size_t, c_size_t]),
    ("pktd_filter_close", None, [_H]),
]

#: Names of the C functions this module declares (tests compare it with the
#: library's exported symbols).
PROTOTYPES = tuple(name for name, _, _ in _PROTOTYPES)

#: Functions declared here that the loaded library does not export (an older
#: 1.x library than this module): calling one raises NotImplementedError.
MISSING = []


class _Missing:
    def __init__(self, name):
        self.__name__ = name

    def __call__(self, *args):
        raise NotImplementedError("%s is not in the loaded libpktdecode (%s)"
                                  % (self.__name__, lib.pktd_version_string().decode()))


for _name, _res, _args in _PROTOTYPES:
    try:
        _fn = getattr(lib, _name)
    except AttributeError:
        MISSING.append(_name)
        setattr(lib, _name, _Missing(_name))
        continue
    _fn.restype = _res
    _fn.argtypes = _args
del _name, _res, _args, _fn


# The per-packet hot path (Packet accessors, Reader.next_into()) calls these
# copies of a few functions, declared with plain addresses (c_void_p, an
# int) instead of typed pointers: ctypes then converts each argument
# without a type check, a third cheaper per call (doc/python.md, "Speed").
# They are the same C functions, from a second handle on the same loaded
# library, so the typed declarations of `lib` stay as the C headers say.
try:
    _fastlib = ctypes.CDLL(lib._name, handle=lib._handle)
except (AttributeError, OSError):
    _fastlib = None


def _fast(name, res, args):
    """name from _fastlib with the given types, or lib's own declaration."""
    if _fastlib is None or name in MISSING:
        return getattr(lib, name)
    fn = getattr(_fastlib, name)
    fn.restype, fn.argtypes = res, args
    return fn


_f_decode = _fast("pktd_decode", c_int, [c_void_p, c_uint32, c_void_p, c_size_t])
_f_has = _fast("pktd_packet_has", c_int, [c_void_p, c_uint32])
_f_fields = _fast("pktd_packet_fields", c_uint32, [c_void_p, c_void_p, c_size_t])
_f_level_next = _fast("pktd_packet_level_next", c_int, [c_void_p] * 5)
_f_reader_next = _fast("pktd_reader_next", c_int, [c_void_p, c_void_p, c_void_p])
_f_reader_linktype = _fast("pktd_reader_linktype", c_uint32, [c_void_p])
_f_reader_record = tuple(_fast("pktd_reader_" + _n, _t, [c_void_p]) for _n, _t in (
    ("wire_len", c_uint32), ("ts_ns", c_uint64), ("linktype", c_uint32), ("packet_index", c_uint64),
    ("interface", c_uint32)))


def _s(b):
    return b.decode("utf-8", "replace") if b is not None else ""


# ------------------------------------------------------------------ errors
def strerror(code):
    """pktd_strerror(): the message for a return code (library or -errno)."""
    return _s(lib.pktd_strerror(code))


def err_name(code):
    """pktd_err_name(): "truncated", "EPERM", "ok", ... for a return code."""
    return _s(lib.pktd_err_name(code))


class PktdError(Exception):
    """A libpktdecode call failed.

    code: the negative return code; name: pktd_err_name(code); strerror:
    pktd_strerror(code); detail: the handle's errmsg (may be empty);
    errno: the errno value for a system failure, else None.
    """

    def __init__(self, code, detail="", call=""):
        self.code = code
        self.name = err_name(code)
        self.strerror = strerror(code)
        self.detail = detail or ""
        self.call = call
        self.errno = -code if -1000 < code < 0 else None
        msg = "%s (%s)" % (self.strerror, self.name)
        if self.detail:
            msg += ": " + self.detail
        if call:
            msg = call + ": " + msg
        super().__init__(msg)

    def __reduce__(self):
        # Picklable with its attributes (.columns too), so that an error
        # raised in a dask or multiprocessing worker reaches the caller.
        return (type(self), (self.code, self.detail, self.call), self.__dict__)


class UnavailableError(PktdError):
    """The kernel facility or algorithm is unavailable (PKTD_E_UNAVAILABLE)."""


def _raise(code, detail="", call=""):
    cls = UnavailableError if code == E_UNAVAILABLE else PktdError
    raise cls(code, detail, call)


def _check(code, call, handle_errmsg=None):
    if code < 0:
        _raise(code, handle_errmsg() if handle_errmsg else "", call)
    return code


# Library error codes, found by asking the library (one table in error.h):
# E_TRUNCATED = -1001, ...  ERRORS maps the lower-case names to the codes.
ERRORS = {}
for _code in range(-1000, -2000, -1):
    _n = err_name(_code)
    if _n != "unknown":
        ERRORS[_n] = _code
        globals()["E_" + _n.upper()] = _code
del _code, _n

# Layers, likewise: LAYER_ETH = 4, ...; LAYERS maps names to identifiers.
LAYERS = {}
for _i in range(0, 64):
    _n = _s(lib.pktd_layer_name(_i))
    if _n == "unknown":
        break
    LAYERS[_n] = _i
    globals()["LAYER_" + _n.upper()] = _i
del _i, _n

# Tunnel types (tunnel.h, since 1.1), likewise: TUNNEL_VXLAN = 6, ...;
# TUNNELS maps the names ("vxlan", the JSON encap.type) to them.
TUNNELS = {}
if "pktd_tunnel_name" not in MISSING:
    for _i in range(0, 64):
        _n = _s(lib.pktd_tunnel_name(_i))
        if _n == "unknown":
            break
        TUNNELS[_n] = _i
        globals()["TUNNEL_" + _n.upper()] = _i
    del _i, _n

# ------------------------------------------------------------ constants
# Macros of the public headers (values, not functionality); the test suite
# compares every one with the headers.
PACKET_SIZE = 256
ERRBUF_SIZE = 256
LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_LINUX_SLL2 = 1, 101, 113, 228, 276
LINKTYPE_NULL, LINKTYPE_PPP, LINKTYPE_PPP_HDLC, LINKTYPE_C_HDLC, LINKTYPE_LOOP, LINKTYPE_IPV6 = 0, 9, 50, 104, 108, 229
LINKTYPE_DLT_RAW, LINKTYPE_DLT_RAW_OPENBSD = 12, 14  # DLT_RAW written as it is (1.1)
# Tunnels (tunnel.h, since 1.1): the inner link type of GRE carrying MPLS,
# the limits, the default UDP ports, the tunnel header fields (TF_*).
LINKTYPE_MPLS = 219
TUNNEL_MAX_DEPTH, MPLS_MAX_DEPTH = 4, 16
VXLAN_PORT, GENEVE_PORT, GTPU_PORT = 4789, 6081, 2152
TF_VNI, TF_FLAGS, TF_VERSION, TF_PROTOCOL, TF_CHECKSUM, TF_KEY, TF_SEQ, TF_TEID = range(8)
TF_MSG_TYPE, TF_LENGTH, TF_NPDU, TF_SESSION, TF_CODE, TF_OPT_LEN, TF_ERSPAN_VERSION = range(8, 15)
#: The TF_* constants by the name pktd-decode -j uses for them.
TUNNEL_FIELDS = {"vni": TF_VNI, "flags": TF_FLAGS, "version": TF_VERSION, "proto": TF_PROTOCOL,
                 "checksum": TF_CHECKSUM, "key": TF_KEY, "seq": TF_SEQ, "teid": TF_TEID,
                 "msg_type": TF_MSG_TYPE, "length": TF_LENGTH, "npdu": TF_NPDU,
                 "session": TF_SESSION, "code": TF_CODE, "opt_len": TF_OPT_LEN,
                 "erspan_ver": TF_ERSPAN_VERSION}
F_IPV4_TRUNCATED, F_IPV4_LEN_ZERO, F_IPV4_PADDING, F_FRAGMENT = 0x1, 0x2, 0x4, 0x8
F_LATER_FRAGMENT, F_UDP_TRUNCATED, F_UDP_LEN_ZERO, F_UDP_PADDING = 0x10, 0x20, 0x40, 0x80
F_PAYLOAD_TRUNCATED, F_ETH_8023 = 0x100, 0x200
F_IPV6_TRUNCATED, F_IPV6_LEN_ZERO, F_IPV6_PADDING, F_IPV6_JUMBO = 0x400, 0x800, 0x1000, 0x2000
F_UDP_ZERO_CSUM = 0x4000
IPV6_STRLEN, IPV6_MAX_EXT = 46, 16
VLAN_MAX_DEPTH = 8
IPV4_STRLEN, MAC_STRLEN = 16, 18
TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR = (1 << i for i in range(8))
TCP_HAS_MSS, TCP_HAS_WSCALE, TCP_HAS_SACK_PERM, TCP_HAS_TIMESTAMPS, TCP_HAS_SACK = 0x1, 0x2, 0x4, 0x8, 0x10
FORMAT_PCAP, FORMAT_PCAPNG = 1, 2
READER_MAX_RECORD = 16 * 1024 * 1024
WRITER_NANO = 0x1
WRITER_NOFOLLOW = 0x2
WRITER_DEFAULT_SNAPLEN = 262144
WRITER_MAX_SNAPLEN = READER_MAX_RECORD - 64
WRITER_STAT_NONE = 2 ** 64 - 1
WRITER_MAX_IF_NAME = 64  # pktd_writer_open_fd_iface(), since 1.1
# Per-row columns of pktd_batch_bind() (batch.h), since 1.1.
BATCH_TS_NS, BATCH_CAPLEN, BATCH_WIRE_LEN, BATCH_LINKTYPE, BATCH_INTERFACE, BATCH_STATUS = range(6)
BATCH_COLUMN_COUNT = 6
CAPTURE_WARNING = 1
CAPTURE_DEFAULT_SNAPLEN = 262144
CAPTURE_DEFAULT_BUFFER = 4 * 1024 * 1024
CAPTURE_BPF_MAXINSNS = 4096
CAPTURE_DIR_IN, CAPTURE_DIR_OUT, CAPTURE_DIR_BOTH = 1, 2, 3
CAPTURE_FANOUT_HASH, CAPTURE_FANOUT_LB, CAPTURE_FANOUT_CPU = 0, 1, 2
CAPTURE_FANOUT_FLAG_ROLLOVER, CAPTURE_FANOUT_FLAG_DEFRAG = 0x1000, 0x8000
CAPTURE_TPACKET_AUTO, CAPTURE_TPACKET_V2, CAPTURE_TPACKET_V3 = 0, 2, 3
CAPTURE_PKT_HOST, CAPTURE_PKT_BROADCAST, CAPTURE_PKT_MULTICAST, CAPTURE_PKT_OTHERHOST, CAPTURE_PKT_OUTGOING = range(5)
CAPTURE_STAT_RECEIVED, CAPTURE_STAT_DROPPED, CAPTURE_STAT_DELIVERED, CAPTURE_STAT_FILTERED, CAPTURE_STAT_PENDING = range(5)
CAPTURE_STAT_COUNT = 5


def version_string():
    """pktd_version_string(), e.g. "1.0.0"."""
    return _s(lib.pktd_version_string())


def version():
    """pktd_version(): MAJOR*10000 + MINOR*100 + PATCH."""
    return lib.pktd_version()


# --------------------------------------------------------------- helpers
def _buffer(data):
    """(object to keep alive, argument for a const uint8_t *, length)."""
    if isinstance(data, bytes):
        return data, data, len(data)
    if isinstance(data, (bytearray, memoryview)) and not (isinstance(data, memoryview) and data.readonly):
        n = memoryview(data).nbytes
        buf = (ctypes.c_char * n).from_buffer(data) if n else b""
        return buf, buf, n
    data = bytes(data)
    return data, data, len(data)


def _at(addr, n):
    return ctypes.string_at(addr, n) if addr and n else b""


def mac_str(b):
    """6 (or any number of) bytes as aa:bb:cc:dd:ee:ff."""
    return ":".join("%02x" % x for x in b)


def ipv4_str(v):
    """A host-order IPv4 address (int) or 4 bytes as dotted quad (pure
    Python, the same text as ipv4_format())."""
    if isinstance(v, int):
        v = v.to_bytes(4, "big")
    return ".".join(str(x) for x in v)


def ipv4_format(addr):
    """pktd_ipv4_format(): a host-order IPv4 address (int) as "10.0.0.1",
    formatted by the library."""
    buf = ctypes.create_string_buffer(IPV4_STRLEN)
    lib.pktd_ipv4_format(addr, buf, len(buf))
    return _s(buf.value)


def _csum_ok(obj, ok, bad):
    """The "csum_ok" key of doc/json.md: only when the checksum was verified."""
    if ok or bad:
        obj["csum_ok"] = bool(ok)


def ipv6_format(addr):
    """pktd_ipv6_format(): 16 address bytes as text ("2001:db8::1"),
    formatted by the library as inet_ntop does."""
    if len(addr) != 16:
        raise ValueError("an IPv6 address is 16 bytes")
    buf = ctypes.create_string_buffer(IPV6_STRLEN)
    src = ctypes.create_string_buffer(bytes(addr), 16)
    lib.pktd_ipv6_format(ctypes.addressof(src), buf, len(buf))
    return _s(buf.value)


def mac_format(mac):
    """pktd_mac_format(): 6 bytes as "aa:bb:cc:dd:ee:ff", formatted by the
    library; "" for None (an absent address)."""
    if mac is None:
        return ""
    mac = bytes(mac)
    if len(mac) < 6:
        raise ValueError("a MAC address has 6 bytes, got %d" % len(mac))
    buf = ctypes.create_string_buffer(MAC_STRLEN)
    lib.pktd_mac_format(mac, buf, len(buf))
    return _s(buf.value)


# ---------------------------------------------------------------- Packet
# The fields pktd_packet_fields() fills, read from the library (its one
# table, PKTD_FIELD_MAP in fields.h), not copied here: FIELD_NAMES[i] is
# the short name of index i ("ipv4.src"), and FIELD_IPV4_SRC = 40 etc. are
# derived from it (the short name is the C enum name in lower case with its
# first "_" made a ".", so the constants match the C names).  A library
# that knows more fields gives more constants; FIELD_COUNT_ is its count.
def _field_count():
    if "pktd_field_count" not in MISSING:
        return lib.pktd_field_count()
    if "pktd_packet_fields" not in MISSING:
        return lib.pktd_packet_fields(None, None, 0)
    return 0


#: Short names of the fields pktd_packet_fields() fills ("ipv4.src",
#: "tcp.sport", ...), in index order, as the loaded library names them.
FIELD_NAMES = [_s(lib.pktd_field_name(_i)) for _i in range(_field_count())]
#: Maps each short name to its index (the inverse of FIELD_NAMES).
FIELDS = {_n: _i for _i, _n in enumerate(FIELD_NAMES)}
for _i, _n in enumerate(FIELD_NAMES):
    globals()["FIELD_" + _n.upper().replace(".", "_")] = _i
FIELD_COUNT_ = len(FIELD_NAMES)
# For Packet.five_tuple(): layer bits and the first IPv6 address words.
_BIT_IPV4, _BIT_IPV6, _BIT_TCP = (1 << LAYERS.get("ipv4", 63), 1 << LAYERS.get("ipv6", 63),
                                  1 << LAYERS.get("tcp", 63))
_V6S, _V6D = FIELDS.get("ipv6.src0", 0), FIELDS.get("ipv6.dst0", 0)
if FIELD_NAMES:
    del _i, _n


class DecodeOpts:
    """pktd_decode_opts: which UDP destination ports are VXLAN, Geneve and
    GTP-U (the defaults 4789, 6081, 2152); DecodeOpts(vxlan=8472) changes
    one, 0 turns one off.  Pass it to Packet.decode_with()."""

    __slots__ = ("_raw",)

    def __init__(self, vxlan=None, geneve=None, gtpu=None):
        self._raw = ctypes.create_string_buffer(32)
        lib.pktd_decode_opts_init(self._raw)
        for name, port in (("vxlan", vxlan), ("geneve", geneve), ("gtpu", gtpu)):
            if port is not None:
                self.set_port(name, port)

    def set_port(self, tunnel, port):
        """pktd_decode_opts_set_port(): the port of "vxlan", "geneve" or "gtpu" (or TUNNEL_*)."""
        if isinstance(tunnel, str):
            tunnel = TUNNELS[tunnel]
        _check(lib.pktd_decode_opts_set_port(self._raw, tunnel, port), "pktd_decode_opts_set_port")

    def port(self, tunnel):
        """pktd_decode_opts_port(): the port of a UDP tunnel type, 0 when off."""
        if isinstance(tunnel, str):
            tunnel = TUNNELS[tunnel]
        return lib.pktd_decode_opts_port(self._raw, tunnel)


class Packet:
    """The decoded-packet state (pktd_packet: c_uint64 * (pktd_packet_size() / 8)).

    Packet(data, linktype) decodes at once; Packet() makes an empty state for
    decode(), Reader.next_into(), Capture.next_into() or the per-layer parse
    methods.  Every C accessor that takes only the state is a method of the
    same name without "pktd_" (tcp_sport(), ipv4_ttl(), packet_flags(), ...).

    One rule for return shapes (the C rules R1, R3, R4 of doc/design.md):

    - a field (tcp_sport(), ipv4_src(), ...) is an int, 0 when the packet has
      no such layer, as in C; has(LAYER_TCP) tells a real 0 apart;
    - something that may be absent (an option, a header, a SACK block, an
      echo id: tcp_opt_mss(), header(), tcp_opt_sack_block(i),
      icmp_echo()) is its value, or None when absent; never an exception;
    - a yes/no question (has(), ipv4_df(), tcp_opt_sack_perm(),
      tcp_checksum_ok(), tcp_checksum_bad(), ...) is a bool.

    To read many fields of many packets, field_array() gets all of them in
    one foreign call (see doc/python.md).
    """

    __slots__ = ("_state", "_keep", "_caplen", "rc", "_addr", "_fa", "_lv")

    _STATE_TYPE = c_uint64 * (lib.pktd_packet_size() // 8)

    def __init__(self, data=None, linktype=LINKTYPE_ETHERNET):
        self._state = self._STATE_TYPE()
        self._addr = ctypes.addressof(self._state)  # for the c_void_p fast calls
        self._fa = None  # five_tuple()'s field array, made once
        self._lv = None  # levels()' two inner states, made once
        self._keep = None
        self._caplen = 0
        self.rc = 0
        if data is not None:
            self.decode(data, linktype)

    def decode(self, data, linktype=LINKTYPE_ETHERNET):
        """pktd_decode(): every layer of a frame.  Returns 0 or the negative
        code that stopped decoding (see error()); never raises for a bad
        packet, only for a bad argument."""
        if type(data) is bytes:  # the common case, without _buffer()
            keep, arg, n = data, data, len(data)
        else:
            keep, arg, n = _buffer(data)
        self._keep, self._caplen = keep, n
        self.rc = lib.pktd_decode(self._state, linktype, arg, n)
        if self.rc == E_INVALID_ARGUMENT:
            _raise(self.rc, call="pktd_decode")
        return self.rc

    def decode_with(self, data, linktype=LINKTYPE_ETHERNET, ports=None):
        """pktd_decode_with(): decode() with the UDP tunnel ports of a
        DecodeOpts (or a dict such as {"vxlan": 8472}; None: the defaults).
        Returns 0 or the negative code."""
        if ports is not None and not isinstance(ports, DecodeOpts):
            ports = DecodeOpts(**ports)
        keep, arg, n = _buffer(data)
        self._keep, self._caplen = keep, n
        self.rc = lib.pktd_decode_with(self._state, None if ports is None else ports._raw,
                                       linktype, arg, n)
        if self.rc == E_INVALID_ARGUMENT:
            _raise(self.rc, call="pktd_decode_with")
        return self.rc

    # -- tunnels (tunnel.h, since 1.1)
    def inner(self):
        """pktd_decode_inner(): the packet inside the tunnel this one
        continues into, as a new Packet (its rc the result), or None when
        there is no tunnel (packet_tunnel() == TUNNEL_NONE).  Call inner()
        on the result for the next level."""
        if lib.pktd_packet_tunnel(self._state) == 0:
            return None
        p = Packet()
        p.rc = lib.pktd_decode_inner(self._state, p._state)
        self._inner_bytes(p)
        return p

    def _inner_bytes(self, p):
        """What a Packet p decoded from this one's tunnel keeps of its bytes:
        this packet's buffer, and its captured length, to the end of this
        packet's payload (what _ipv4_len() needs for a total length of 0)."""
        p._keep = self._keep
        p._caplen = 0
        ptr, n, first = c_void_p(), c_size_t(), c_void_p()
        if lib.pktd_packet_payload(self._state, byref(ptr), byref(n)) == 1:
            for layer in (LAYER_ETH, LAYER_PPP, LAYER_IPV4, LAYER_IPV6):
                if lib.pktd_packet_header(p._state, layer, byref(first), None) == 1:
                    p._caplen = ptr.value + n.value - first.value
                    break

    def levels(self):
        """pktd_packet_level_next(): this packet and the packet inside each
        of its tunnels, as (packet, zone) pairs: itself in zone 0, then each
        inner level (down to TUNNEL_MAX_DEPTH) in the zone of the tunnel
        around it (packet_tunnel_zone()), as pktd-flows counts them.  A level
        that failed part-way is given too (its rc says why).  The inner levels
        are two states this Packet owns, used in turn: each stays valid
        until the level after the next, or the next levels() (inner() gives
        a Packet of its own)."""
        lv = self._lv
        if lv is None:
            self._lv = lv = _levels_workspace(self._STATE_TYPE)
        q0, q1, cur, level, zone, cur_a, level_a, zone_a = lv
        # The first level is the packet itself in zone 0 (the call's
        # contract): given without a foreign call, the walk goes on from
        # cursor 1.
        yield self, 0
        me, a0 = self._addr, q0._addr
        outer = self
        cur.value = 1
        while _f_level_next(me, cur_a, a0, level_a, zone_a) == 1:
            p = q0 if level.value == a0 else q1
            p.rc = lib.pktd_packet_error(p._state)
            outer._inner_bytes(p)
            outer = p
            yield p, zone.value

    def tunnel_name(self):
        """The name of the tunnel this packet continues into ("vxlan",
        "gre", ...), None when there is none."""
        t = lib.pktd_packet_tunnel(self._state)
        return _s(lib.pktd_tunnel_name(t)) if t else None

    def encap_name(self):
        """The name of the tunnel this (inner) packet was decoded from, None
        for an outer packet."""
        t = lib.pktd_packet_encap(self._state)
        return _s(lib.pktd_tunnel_name(t)) if t else None

    def tunnel_field(self, field):
        """pktd_tunnel_field(): a field (TF_VNI, ... or "vni") of the tunnel
        header this inner packet was decoded from, or None when absent."""
        if isinstance(field, str):
            field = TUNNEL_FIELDS[field]
        v = c_uint32()
        if lib.pktd_tunnel_field(self._state, field, byref(v)) != 1:
            return None
        return v.value

    def tunnel_fields(self):
        """Every field of the tunnel header present, by its TUNNEL_FIELDS name."""
        return {n: v for n, v in ((n, self.tunnel_field(f)) for n, f in TUNNEL_FIELDS.items())
                if v is not None}

    def mpls_entry(self, i):
        """pktd_mpls_entry(): (label, tc, bos, ttl) of stack entry i, or None."""
        v = [c_uint32() for _ in range(4)]
        if lib.pktd_mpls_entry(self._state, i, *[byref(x) for x in v]) != 1:
            return None
        return tuple(x.value for x in v)

    def mpls_entries(self):
        """Every MPLS label stack entry, top first, as mpls_entry() tuples."""
        return [self.mpls_entry(i) for i in range(lib.pktd_mpls_depth(self._state))]

    def tunnel_option_list(self):
        """pktd_tunnel_option_next(): the Geneve options or GTP-U extension
        headers as (type, data) pairs (Geneve type = class << 8 | type)."""
        out, cur, t, ptr, n = [], c_uint32(0), c_uint32(), c_void_p(), c_size_t()
        while lib.pktd_tunnel_option_next(self._state, byref(cur), byref(t), byref(ptr),
                                          byref(n)) == 1:
            out.append((t.value, _at(ptr.value, n.value)))
        return out

    def _decode_at(self, linktype, addr, n, keep):
        # Zero-copy decode of library-owned memory (reader, capture ring).
        self._keep, self._caplen = keep, n
        self.rc = _f_decode(self._addr, linktype, addr, n)
        return self.rc

    def _parse(self, fn, data):
        keep, arg, n = _buffer(data)
        self._keep, self._caplen = keep, n
        self.rc = fn(self._state, arg, n)
        return self.rc

    def eth_parse(self, data):
        """pktd_eth_parse(): an Ethernet frame and the layers above; returns 0 or the negative code."""
        return self._parse(lib.pktd_eth_parse, data)

    def sll_parse(self, data):
        """pktd_sll_parse(): a Linux cooked v1 frame and the layers above; returns 0 or the negative code."""
        return self._parse(lib.pktd_sll_parse, data)

    def sll2_parse(self, data):
        """pktd_sll2_parse(): a Linux cooked v2 frame and the layers above; returns 0 or the negative code."""
        return self._parse(lib.pktd_sll2_parse, data)

    def arp_parse(self, data):
        """pktd_arp_parse(): decode an ARP message alone (no link header); returns 0 or the negative code."""
        return self._parse(lib.pktd_arp_parse, data)

    def ipv4_parse(self, data):
        """pktd_ipv4_parse(): an IPv4 packet and the layers above; returns 0 or the negative code."""
        return self._parse(lib.pktd_ipv4_parse, data)

    def tcp_parse(self, data):
        """pktd_tcp_parse(): decode a TCP segment alone (no IP header); returns 0 or the negative code."""
        return self._parse(lib.pktd_tcp_parse, data)

    def udp_parse(self, data):
        """pktd_udp_parse(): decode a UDP datagram alone (no IP header); returns 0 or the negative code."""
        return self._parse(lib.pktd_udp_parse, data)

    def ipv6_parse(self, data):
        """pktd_ipv6_parse(): decode a raw IPv6 packet and what it carries; returns 0 or the negative code."""
        return self._parse(lib.pktd_ipv6_parse, data)

    def icmp_parse(self, data):
        """pktd_icmp_parse(): decode an ICMP message alone (no IP header); returns 0 or the negative code."""
        return self._parse(lib.pktd_icmp_parse, data)

    # -- state and errors
    def has(self, layer):
        """pktd_packet_has(): whether a layer (LAYER_TCP, ... or "tcp") was decoded."""
        if type(layer) is not int:
            layer = LAYERS[layer] if isinstance(layer, str) else int(layer)
        return _f_has(self._addr, layer) == 1

    def field_array(self):
        """pktd_packet_fields(): every field in one foreign call, as the
        c_uint32 array it fills, indexed by the FIELD_* constants
        (p.field_array()[FIELD_TCP_DPORT]); 0 for layers not decoded.  The
        fast way to read many fields: reading 15 of them this way took 3.3
        instead of 7.3 us per packet with one call per field
        (doc/performance.md)."""
        arr = (c_uint32 * len(FIELD_NAMES))()
        lib.pktd_packet_fields(self._state, arr, len(arr))
        return arr

    def five_tuple(self):
        """(src, dst, proto, sport, dport) of an IPv4 or IPv6 packet, in one
        foreign call, or None without IP.

        Addresses are ints (IPv4: 32 bits, as ipv4_src(); IPv6: 128 bits,
        the 16 bytes big-endian; ipaddress.ip_address() or ipv4_format()
        give text, has(LAYER_IPV6) tells which); proto is the IPv4 protocol
        or the IPv6 upper-layer protocol after the extension headers; the
        ports are TCP's or UDP's, 0 for other protocols.  A packet with
        both IPv4 and IPv6 headers (a tunnel) gives IPv4's, as the fields
        of field_array() hold one header of each."""
        f = self._fa
        if f is None:
            f = self._fa = (c_uint32 * FIELD_COUNT_)()
        _f_fields(self._addr, f, FIELD_COUNT_)
        layers = f[0]
        if layers & _BIT_IPV4:
            src, dst, proto = f[FIELD_IPV4_SRC], f[FIELD_IPV4_DST], f[FIELD_IPV4_PROTO]
        elif layers & _BIT_IPV6:
            src = f[_V6S] << 96 | f[_V6S + 1] << 64 | f[_V6S + 2] << 32 | f[_V6S + 3]
            dst = f[_V6D] << 96 | f[_V6D + 1] << 64 | f[_V6D + 2] << 32 | f[_V6D + 3]
            proto = f[FIELD_IPV6_UPPER]
        else:
            return None
        if layers & _BIT_TCP:
            return src, dst, proto, f[FIELD_TCP_SPORT], f[FIELD_TCP_DPORT]
        return src, dst, proto, f[FIELD_UDP_SPORT], f[FIELD_UDP_DPORT]

    def fields(self):
        """Every field as a dict from the names of FIELD_NAMES ("ipv4.src",
        ...) to their values: convenient, but building the dict costs more
        than field_array()."""
        return dict(zip(FIELD_NAMES, self.field_array()))

    def layers(self):
        """The names of the layers decoded, outermost first."""
        bits = lib.pktd_packet_layers(self._state)
        return [n for n, i in sorted(LAYERS.items(), key=lambda t: t[1]) if bits >> i & 1]

    def header(self, layer):
        """pktd_packet_header(): the header bytes of a layer (LAYER_TCP or
        "tcp"), options included, or None when the layer is absent."""
        if isinstance(layer, str):
            layer = LAYERS[layer]
        ptr, n = c_void_p(), c_size_t()
        if lib.pktd_packet_header(self._state, layer, byref(ptr), byref(n)) != 1:
            return None
        return _at(ptr.value, n.value)

    def payload(self):
        """pktd_packet_payload(): the bytes after the last decoded header
        (b"" when there are none), or None when nothing was decoded."""
        ptr, n = c_void_p(), c_size_t()
        if lib.pktd_packet_payload(self._state, byref(ptr), byref(n)) != 1:
            return None
        return _at(ptr.value, n.value)

    def payload_len(self):
        """Length of payload() without copying it (0 when nothing was decoded)."""
        n = c_size_t()
        if lib.pktd_packet_payload(self._state, None, byref(n)) != 1:
            return 0
        return n.value

    def error_format(self):
        """pktd_packet_error_format(): the error as text ("" if none)."""
        buf = ctypes.create_string_buffer(256)
        n = lib.pktd_packet_error_format(self._state, buf, len(buf))
        if n >= len(buf):
            buf = ctypes.create_string_buffer(n + 1)
            lib.pktd_packet_error_format(self._state, buf, len(buf))
        return _s(buf.value)

    def error(self):
        """None, or (layer name, error name, message) of the error that
        stopped decoding: ("tcp", "malformed", "data offset 4 < 5")."""
        rc = lib.pktd_packet_error(self._state)
        if rc >= 0:
            return None
        return (_s(lib.pktd_layer_name(lib.pktd_packet_error_layer(self._state))),
                err_name(rc), self.error_format())

    # -- addresses as bytes
    def eth_dst(self):
        """pktd_eth_dst(): the destination MAC as 6 bytes, or None without Ethernet."""
        return _at(lib.pktd_eth_dst(self._state), 6) or None

    def eth_src(self):
        """pktd_eth_src(): the source MAC as 6 bytes, or None without Ethernet."""
        return _at(lib.pktd_eth_src(self._state), 6) or None

    def sll_addr(self):
        """pktd_sll_addr(): the cooked header's source address bytes, or None."""
        n = c_size_t()
        addr = lib.pktd_sll_addr(self._state, byref(n))
        return _at(addr, n.value) if addr else None

    def arp_sha(self):
        """pktd_arp_sha(): the sender hardware address, arp_hlen() bytes, or None without ARP."""
        return _at(lib.pktd_arp_sha(self._state), lib.pktd_arp_hlen(self._state)) or None

    def arp_tha(self):
        """pktd_arp_tha(): the target hardware address, arp_hlen() bytes, or None without ARP."""
        return _at(lib.pktd_arp_tha(self._state), lib.pktd_arp_hlen(self._state)) or None

    def arp_spa_bytes(self):
        """pktd_arp_spa_bytes(): the sender protocol address, arp_plen()
        bytes of any protocol, or None without ARP.  For IPv4 use arp_spa(),
        an int like ipv4_src()."""
        return _at(lib.pktd_arp_spa_bytes(self._state), lib.pktd_arp_plen(self._state)) or None

    def arp_tpa_bytes(self):
        """pktd_arp_tpa_bytes(): the target protocol address, arp_plen()
        bytes of any protocol, or None without ARP.  For IPv4 use arp_tpa()."""
        return _at(lib.pktd_arp_tpa_bytes(self._state), lib.pktd_arp_plen(self._state)) or None

    def ipv4_src_str(self):
        """The IPv4 source address as a dotted quad ("0.0.0.0" without IPv4)."""
        return ipv4_str(lib.pktd_ipv4_src(self._state))

    def ipv4_dst_str(self):
        """The IPv4 destination address as a dotted quad ("0.0.0.0" without IPv4)."""
        return ipv4_str(lib.pktd_ipv4_dst(self._state))

    # -- VLAN tags (index 0 = outermost)
    def vlan_tpid(self, i):
        """pktd_vlan_tpid(): the TPID of tag i (0 = outermost): 0x8100,
        0x88a8, ...; 0 when there is no tag i."""
        return lib.pktd_vlan_tpid(self._state, i)

    def vlan_tci(self, i):
        """pktd_vlan_tci(): the 16-bit TCI of tag i (0 = outermost); 0 when
        there is no tag i."""
        return lib.pktd_vlan_tci(self._state, i)

    def vlan_vid(self, i):
        """pktd_vlan_vid(): the VLAN ID (0 ... 4095) of tag i (0 =
        outermost); 0 when there is no tag i."""
        return lib.pktd_vlan_vid(self._state, i)

    def vlan_pcp(self, i):
        """pktd_vlan_pcp(): the priority (0 ... 7) of tag i (0 =
        outermost); 0 when there is no tag i."""
        return lib.pktd_vlan_pcp(self._state, i)

    def vlans(self):
        """The VLAN IDs of every tag, outermost first ([] without tags)."""
        return [lib.pktd_vlan_vid(self._state, i) for i in range(lib.pktd_vlan_count(self._state))]

    # -- options
    def _options(self, fn):
        ptr, n = c_void_p(), c_size_t()
        if fn(self._state, byref(ptr), byref(n)) != 1:
            return None
        return _at(ptr.value, n.value)

    def ipv4_options(self):
        """pktd_ipv4_options(): the raw option bytes (b"" for a 20-byte
        header), or None without IPv4."""
        return self._options(lib.pktd_ipv4_options)

    def tcp_options(self):
        """pktd_tcp_options(): the raw option bytes (b"" for a 20-byte
        header), or None without TCP."""
        return self._options(lib.pktd_tcp_options)

    def _iter_options(self, fn):
        cursor, kind, ptr, n = c_uint32(0), c_uint8(), c_void_p(), c_size_t()
        while fn(self._state, byref(cursor), byref(kind), byref(ptr), byref(n)) == 1:
            yield kind.value, _at(ptr.value, n.value)

    def ipv4_option_list(self):
        """pktd_ipv4_option_next() over every IPv4 option: [(kind, data),
        ...] with End-of-list and NOP as (0, b"") and (1, b""); [] without
        IPv4 or options."""
        return list(self._iter_options(lib.pktd_ipv4_option_next))

    def tcp_option_list(self):
        """pktd_tcp_option_next() over every TCP option, known or not:
        [(kind, data), ...] with End-of-list and NOP as (0, b"") and
        (1, b""); [] without TCP or options."""
        return list(self._iter_options(lib.pktd_tcp_option_next))

    def tcp_opt_mss(self):
        """pktd_tcp_opt_mss(): the maximum segment size option, or None
        when absent (or without TCP)."""
        v = c_uint16()
        return v.value if lib.pktd_tcp_opt_mss(self._state, byref(v)) == 1 else None

    def tcp_opt_wscale(self):
        """pktd_tcp_opt_wscale(): the window scale shift count, or None
        when absent (or without TCP)."""
        v = c_uint8()
        return v.value if lib.pktd_tcp_opt_wscale(self._state, byref(v)) == 1 else None

    def tcp_opt_timestamps(self):
        """pktd_tcp_opt_timestamps(): (TSval, TSecr), or None when absent
        (or without TCP)."""
        a, b = c_uint32(), c_uint32()
        return (a.value, b.value) if lib.pktd_tcp_opt_timestamps(self._state, byref(a), byref(b)) == 1 else None

    def tcp_opt_sack_block(self, i):
        """pktd_tcp_opt_sack_block(): (left, right) of SACK block i (0 =
        first), or None when there is no block i."""
        a, b = c_uint32(), c_uint32()
        if lib.pktd_tcp_opt_sack_block(self._state, i, byref(a), byref(b)) != 1:
            return None
        return a.value, b.value

    def tcp_opt_sack_blocks(self):
        """Every SACK block: [(left, right), ...]; [] without one."""
        return [self.tcp_opt_sack_block(i) for i in range(lib.pktd_tcp_opt_sack_count(self._state))]

    def ipv6_src(self):
        """pktd_ipv6_src(): the source address as 16 bytes, or None without IPv6."""
        return _at(lib.pktd_ipv6_src(self._state), 16) or None

    def ipv6_dst(self):
        """pktd_ipv6_dst(): the destination address as 16 bytes, or None without IPv6."""
        return _at(lib.pktd_ipv6_dst(self._state), 16) or None

    def ipv6_upper(self):
        """pktd_ipv6_upper(): (protocol, offset in the frame) of the upper
        layer after the extension headers, or None without IPv6."""
        proto, off = c_uint8(), c_size_t()
        return (proto.value, off.value) if lib.pktd_ipv6_upper(self._state, byref(proto), byref(off)) == 1 else None

    def ipv6_frag(self):
        """pktd_ipv6_frag(): (offset in 8-byte units, M, id) of the fragment
        header, or None without one."""
        o, m, i = c_uint16(), c_uint8(), c_uint32()
        return (o.value, m.value, i.value) if lib.pktd_ipv6_frag(self._state, byref(o), byref(m), byref(i)) == 1 else None

    def ipv6_routing(self):
        """pktd_ipv6_routing(): (type, segments left) of the first routing
        header, or None without one."""
        t, n = c_uint8(), c_uint8()
        return (t.value, n.value) if lib.pktd_ipv6_routing(self._state, byref(t), byref(n)) == 1 else None

    def ipv6_ext_list(self):
        """pktd_ipv6_ext_next() over the extension headers: [(type, bytes), ...]."""
        return list(self._iter_options(lib.pktd_ipv6_ext_next))

    def icmpv6_echo(self):
        """pktd_icmpv6_echo(): (id, seq) of an echo request (128) or reply
        (129), or None."""
        a, b = c_uint16(), c_uint16()
        return (a.value, b.value) if lib.pktd_icmpv6_echo(self._state, byref(a), byref(b)) == 1 else None

    def icmpv6_nd_target(self):
        """pktd_icmpv6_nd_target(): the target address (16 bytes) of an NS,
        NA or redirect, or None."""
        return _at(lib.pktd_icmpv6_nd_target(self._state), 16) or None

    def icmpv6_nd_option_list(self):
        """pktd_icmpv6_nd_option_next() over the ND options: [(type, bytes), ...]."""
        return list(self._iter_options(lib.pktd_icmpv6_nd_option_next))

    def icmpv6_nd_lladdr(self, option):
        """pktd_icmpv6_nd_lladdr(): the link-layer address bytes of the first
        source (1) or target (2) link-layer address option, or None."""
        ptr, n = c_void_p(), c_size_t()
        return _at(ptr.value, n.value) if lib.pktd_icmpv6_nd_lladdr(self._state, option, byref(ptr), byref(n)) == 1 else None

    def icmp_echo(self):
        """pktd_icmp_echo(): (id, seq) of an echo request (type 8) or reply
        (type 0), or None for another message (or without ICMP)."""
        a, b = c_uint16(), c_uint16()
        return (a.value, b.value) if lib.pktd_icmp_echo(self._state, byref(a), byref(b)) == 1 else None

    def _ipv4_len(self):
        # The total length field; when it is 0 (segmentation offload,
        # PKTD_F_IPV4_LEN_ZERO) the bytes captured from the IPv4 header on,
        # as pktd-decode -j and tshark report it.
        field = self.ipv4_total_len()
        if field or not self.packet_flags() & F_IPV4_LEN_ZERO:
            return field
        ptr, first = c_void_p(), c_void_p()
        for layer in (LAYER_ETH, LAYER_SLL, LAYER_SLL2, LAYER_LOOPBACK, LAYER_PPP, LAYER_CHDLC,
                      LAYER_IPV4):
            if lib.pktd_packet_header(self._state, layer, byref(first), None) == 1:
                break
        lib.pktd_packet_header(self._state, LAYER_IPV4, byref(ptr), None)
        return self._caplen - (ptr.value - first.value)

    # -- everything, as pktd-decode -j prints it
    def to_dict(self):
        """The layers as the JSON Lines schema of pktd-decode -j (doc/json.md),
        without the record keys (n, ts_ns, caplen, len)."""
        d = {}
        if self.has(LAYER_SLL) or self.has(LAYER_SLL2):
            sll = {"pkttype": self.sll_pkttype(), "hatype": self.sll_hatype(),
                   "type": self.eth_type(), "addr": mac_str(self.sll_addr() or b"")}
            if self.has(LAYER_SLL2):
                sll["ifindex"] = self.sll2_ifindex()
            d["sll"] = sll
        if self.has(LAYER_ETH):
            d["eth"] = {"src": mac_str(self.eth_src()), "dst": mac_str(self.eth_dst()),
                        "type": self.eth_type(), "vlan": self.vlans()}
        if self.has(LAYER_LOOPBACK) or self.has(LAYER_PPP) or self.has(LAYER_CHDLC):
            link = {"type": self.packet_linktype()}
            if self.has(LAYER_LOOPBACK):
                link["family"] = self.loopback_family()
            if self.has(LAYER_PPP):
                if self.ppp_has_address():
                    link["addr"], link["ctrl"] = 255, self.ppp_control()
                link["proto"] = self.ppp_protocol()
            if self.has(LAYER_CHDLC):
                link.update(addr=self.chdlc_address(), ctrl=self.chdlc_control(),
                            proto=self.chdlc_protocol())
            d["link"] = link
        if self.has(LAYER_ARP):
            d["arp"] = {"htype": self.arp_htype(), "ptype": self.arp_ptype(), "op": self.arp_op(),
                        "sha": mac_str(self.arp_sha() or b""), "spa": ipv4_str(self.arp_spa_bytes() or b""),
                        "tha": mac_str(self.arp_tha() or b""), "tpa": ipv4_str(self.arp_tpa_bytes() or b"")}
        if self.has(LAYER_IPV4):
            d["ipv4"] = {"src": self.ipv4_src_str(), "dst": self.ipv4_dst_str(),
                         "ihl": self.ipv4_ihl(), "tos": self.ipv4_tos(), "len": self._ipv4_len(),
                         "id": self.ipv4_id(), "df": bool(self.ipv4_df()), "mf": bool(self.ipv4_mf()),
                         "frag": self.ipv4_frag_offset(), "ttl": self.ipv4_ttl(),
                         "proto": self.ipv4_proto(), "csum": self.ipv4_checksum(),
                         "csum_ok": bool(self.ipv4_checksum_ok()),
                         "opts_len": len(self.ipv4_options() or b"")}
            if self.packet_flags() & F_IPV4_LEN_ZERO:
                d["ipv4"]["len_zero"] = True
        if self.has(LAYER_IPV6):
            ext = []
            for typ, data in self.ipv6_ext_list():
                e = {"type": typ, "len": len(data)}
                if typ == 44 and self.ipv6_frag() is not None:
                    e["frag"], mf, e["id"] = self.ipv6_frag()
                    e["mf"] = bool(mf)
                ext.append(e)
            d["ipv6"] = {"src": ipv6_format(self.ipv6_src()), "dst": ipv6_format(self.ipv6_dst()),
                         "tc": self.ipv6_tclass(), "flow": self.ipv6_flow(), "plen": self.ipv6_plen(),
                         "nxt": self.ipv6_next(), "hlim": self.ipv6_hlim(), "ext": ext,
                         "proto": self.ipv6_upper()[0]}
        if self.has(LAYER_TCP):
            opts = {}
            if self.tcp_opt_mss() is not None:
                opts["mss"] = self.tcp_opt_mss()
            if self.tcp_opt_wscale() is not None:
                opts["ws"] = self.tcp_opt_wscale()
            if self.tcp_opt_sack_perm():
                opts["sack_perm"] = True
            if self.tcp_opt_timestamps() is not None:
                opts["ts"] = list(self.tcp_opt_timestamps())
            if self.tcp_opt_sack_count():
                opts["sack"] = [list(b) for b in self.tcp_opt_sack_blocks()]
            d["tcp"] = {"sport": self.tcp_sport(), "dport": self.tcp_dport(), "seq": self.tcp_seq(),
                        "ack": self.tcp_ack(), "doff": self.tcp_doff(), "flags": self.tcp_flags(),
                        "win": self.tcp_window(), "csum": self.tcp_checksum(), "urp": self.tcp_urgent(),
                        "opts": opts, "payload_len": self.payload_len()}
            _csum_ok(d["tcp"], self.tcp_checksum_ok(), self.tcp_checksum_bad())
        if self.has(LAYER_UDP):
            d["udp"] = {"sport": self.udp_sport(), "dport": self.udp_dport(), "len": self.udp_len(),
                        "csum": self.udp_checksum(), "payload_len": self.payload_len()}
            _csum_ok(d["udp"], self.udp_checksum_ok(), self.udp_checksum_bad())
        if self.has(LAYER_ICMP):
            icmp = {"type": self.icmp_type(), "code": self.icmp_code(), "csum": self.icmp_checksum()}
            echo = self.icmp_echo()
            if echo is not None:
                icmp["id"], icmp["seq"] = echo
            d["icmp"] = icmp
        if self.has(LAYER_ICMPV6):
            icmp6 = {"type": self.icmpv6_type(), "code": self.icmpv6_code(),
                     "csum": self.icmpv6_checksum()}
            _csum_ok(icmp6, self.icmpv6_checksum_ok(), self.icmpv6_checksum_bad())
            echo = self.icmpv6_echo()
            if echo is not None:
                icmp6["id"], icmp6["seq"] = echo
            target = self.icmpv6_nd_target()
            if target is not None:
                icmp6["target"] = ipv6_format(target)
            d["icmpv6"] = icmp6
        err = self.error()
        if err is not None:
            d["error"] = {"layer": err[0], "code": err[1], "msg": err[2]}
        if lib.pktd_packet_tunnel(self._state) != 0:
            d["encap"] = self._encap_dict()
        return d

    # The JSON keys of each tunnel's identifiers (CONTRACT.md).
    _ENCAP_KEYS = {"vxlan": ("vni",), "geneve": ("vni",), "gtpu": ("teid",),
                   "gre": ("proto", "key", "seq", "erspan_ver"), "pppoe": ("session",),
                   "pppoed": ("session",), "mpls": (), "ipip": ()}

    def _encap_dict(self):
        inner = self.inner()
        name = self.tunnel_name()
        e = {"type": name}
        for key in self._ENCAP_KEYS.get(name, ()):
            v = inner.tunnel_field(key)
            if v is not None:
                e[key] = v
        if name == "gre":
            session = inner.tunnel_field(TF_SESSION)
            if session is not None:
                e["erspan_session"] = session
        if name == "mpls":
            e["labels"] = [entry[0] for entry in inner.mpls_entries()]
        e.update(inner.to_dict())
        return e


def _levels_workspace(state_type):
    """Packet.levels()' workspace: two Packets over one array of two states
    (pktd_packet_level_next() decodes into levels[0] and levels[1]), and
    its out-parameters with their addresses, made once per Packet."""
    pair = (state_type * 2)()
    qs = []
    for i in range(2):
        q = Packet.__new__(Packet)
        q._state = pair[i]  # shares pair's memory, keeps it alive
        q._addr = ctypes.addressof(q._state)
        q._fa = q._lv = q._keep = None
        q._caplen = q.rc = 0
        qs.append(q)
    outs = (c_uint32(), c_void_p(), c_uint64())
    return tuple(qs) + outs + tuple(ctypes.addressof(o) for o in outs)


# What each generated accessor returns, for its docstring (help(Packet)).
# Scalars follow the C rule: the field in host order, 0 when the packet has
# no such layer (check has() when 0 is a valid value).  Predicates (a C int
# that is 1 or 0) become bool.
_ACCESSOR_DOCS = {
    "packet_layers": "The layers decoded, as a bit set: bit n for layer n (LAYER_*).",
    "packet_flags": "Conditions that are not errors: a set of F_* bits.",
    "packet_linktype": "The link type decoded with (LINKTYPE_*; 0 for a per-layer parse).",
    "packet_error": "The code that stopped decoding (E_TRUNCATED, E_MALFORMED, E_UNSUPPORTED), or 0.",
    "packet_error_layer": "The layer (LAYER_*) at which decoding stopped, or 0.",
    "packet_error_reason": "Why decoding stopped: a pktd_reason value, 0 if it did not.",
    "packet_error_value": "The first value quoted by the error message, or 0.",
    "packet_error_value2": "The second value quoted by the error message, or 0.",
    "packet_tunnel": "The tunnel (TUNNEL_*) this packet continues into, recognised by the decode; 0 if none.",
    "packet_tunnel_id": ("The main id of that tunnel: MPLS top label, PPPoE session, GRE key, "
                         "VXLAN/Geneve VNI, GTP-U TEID; 0 if none or not captured."),
    "packet_encap": "The tunnel (TUNNEL_*) an inner packet was decoded from; 0 for an outer packet.",
    "packet_depth": "The nesting level: 0 for an outer packet, n for the n-th inner()."
                    ,
    "packet_tunnel_zone": ("The flow zone of the packet inside the tunnel this one continues into: "
                           "the tunnel type << 32 | its main id (levels()); 0 if none."),
    "mpls_depth": "The number of MPLS label stack entries of a packet decoded from MPLS.",
    "gre_checksum_ok": "Whether the GRE checksum was verified and is correct.",
    "gre_checksum_bad": "Whether the GRE checksum was verified and is wrong.",
    "eth_type": "The EtherType after every VLAN tag (or the cooked header's protocol).",
    "vlan_count": "The number of VLAN tags decoded (0 ... VLAN_MAX_DEPTH).",
    "sll_pkttype": "Cooked header packet type (0 host, 1 broadcast, 2 multicast, 3 other host, 4 outgoing).",
    "sll_hatype": "Cooked header ARPHRD_ hardware type (1 = Ethernet).",
    "sll2_ifindex": "SLL2 interface index.",
    "loopback_family": "BSD loopback address family as a number, whatever its byte order (2 IPv4; 24, 28, 30 IPv6).",
    "ppp_protocol": "PPP protocol number (0x0021 IPv4, 0x0057 IPv6, ...), a compressed field as its value.",
    "ppp_has_address": "Whether the PPP header starts with address and control (HDLC-like framing).",
    "ppp_control": "PPP control field (normally 0x03); 0 when the header has none.",
    "chdlc_address": "Cisco HDLC address (0x0f unicast, 0x8f broadcast).",
    "chdlc_control": "Cisco HDLC control byte.",
    "chdlc_protocol": "Cisco HDLC protocol, an EtherType (0x0800 IPv4, 0x8035 SLARP, ...).",
    "arp_htype": "ARP hardware type (1 = Ethernet).",
    "arp_ptype": "ARP protocol type (0x0800 = IPv4).",
    "arp_hlen": "ARP hardware address length in bytes.",
    "arp_plen": "ARP protocol address length in bytes.",
    "arp_op": "ARP operation (1 request, 2 reply, ...).",
    "arp_spa": "ARP sender IPv4 address as an int like ipv4_src(); 0 unless ptype is IPv4 with plen 4.",
    "arp_tpa": "ARP target IPv4 address as an int like ipv4_dst(); 0 unless ptype is IPv4 with plen 4.",
    "ipv4_ihl": "IPv4 header length in 32-bit words (5 ... 15).",
    "ipv4_tos": "IPv4 type of service byte (DSCP << 2 | ECN).",
    "ipv4_total_len": "IPv4 total length field.",
    "ipv4_id": "IPv4 identification field.",
    "ipv4_df": "Whether the don't-fragment flag is set.",
    "ipv4_mf": "Whether the more-fragments flag is set.",
    "ipv4_rf": "Whether the reserved flag bit is set.",
    "ipv4_frag_offset": "IPv4 fragment offset in 8-byte units.",
    "ipv4_ttl": "IPv4 time to live.",
    "ipv4_proto": "IPv4 protocol number (6 TCP, 17 UDP, 1 ICMP, ...).",
    "ipv4_checksum": "IPv4 header checksum field as sent.",
    "ipv4_src": "IPv4 source address as an int (10.0.0.1 = 0x0a000001); ipv4_src_str() for text.",
    "ipv4_dst": "IPv4 destination address as an int; ipv4_dst_str() for text.",
    "ipv4_checksum_ok": "Whether the IPv4 header checksum was verified and is correct.",
    "ipv4_checksum_bad": "Whether the IPv4 header checksum was verified and is wrong.",
    "tcp_sport": "TCP source port.",
    "tcp_dport": "TCP destination port.",
    "tcp_seq": "TCP sequence number.",
    "tcp_ack": "TCP acknowledgment number.",
    "tcp_doff": "TCP data offset in 32-bit words (5 ... 15).",
    "tcp_flags": "TCP flags byte (TCP_FIN ... TCP_CWR bits).",
    "tcp_ns": "Whether the TCP NS (ECN nonce) bit is set.",
    "tcp_window": "TCP window field (unscaled).",
    "tcp_checksum": "TCP checksum field as sent.",
    "tcp_urgent": "TCP urgent pointer.",
    "tcp_opt_sack_perm": "Whether the TCP SACK-permitted option is present.",
    "tcp_opt_sack_count": "The number of TCP SACK blocks (0 ... 4).",
    "tcp_checksum_ok": ("Whether the TCP checksum was verified and is correct (needs TCP over IPv4, "
                        "the whole segment captured, not a fragment)."),
    "tcp_checksum_bad": "Whether the TCP checksum was verified and is wrong.",
    "udp_sport": "UDP source port.",
    "udp_dport": "UDP destination port.",
    "udp_len": "UDP length field (header + payload).",
    "udp_checksum": "UDP checksum field as sent (0 = none).",
    "udp_checksum_ok": ("Whether the UDP checksum was verified and is correct (never for a "
                        "datagram sent without one, checksum field 0)."),
    "udp_checksum_bad": "Whether the UDP checksum was verified and is wrong.",
    "icmp_type": "ICMP message type (0 echo reply, 3 unreachable, 8 echo request, ...).",
    "icmp_code": "ICMP message code.",
    "icmp_checksum": "ICMP checksum field as sent.",
    "icmp_rest": "The 4 ICMP header bytes after the checksum, as an int.",
    "icmp_checksum_ok": "Whether the ICMP checksum was verified and is correct.",
    "icmp_checksum_bad": "Whether the ICMP checksum was verified and is wrong.",
}


def _state_method(cname, res):
    fn = _fast(cname, res, [c_void_p])  # takes Packet._addr
    name = cname[5:]
    predicate = res is c_int and cname != "pktd_packet_error"
    if predicate:
        def method(self):
            return fn(self._addr) == 1
    else:
        def method(self):
            return fn(self._addr)
    method.__name__ = method.__qualname__ = name
    what = _ACCESSOR_DOCS.get(name, "The value %s() returns." % cname)
    layer = next((label for prefix, label in _LAYER_OF_PREFIX if name.startswith(prefix)), None)
    if predicate:
        absent = " False without %s." % layer if layer else ""
        method.__doc__ = "%s() -> bool\n\n%s%s  C: %s()." % (name, what, absent, cname)
    else:
        absent = " 0 without %s." % layer if layer else ""
        method.__doc__ = "%s() -> int\n\n%s%s  C: %s()." % (name, what, absent, cname)
    return method


# Which layer an accessor reads, by its name, for "0 without ..." above.
_LAYER_OF_PREFIX = (("eth_", "a link layer"), ("vlan_", "VLAN tags"), ("sll2_", "an SLL2 header"),
                    ("sll_", "a cooked header"), ("loopback_", "a loopback header"),
                    ("ppp_", "a PPP header"), ("chdlc_", "a Cisco HDLC header"), ("arp_", "ARP"), ("ipv4_", "IPv4"),
                    ("tcp_", "TCP"), ("udp_", "UDP"), ("icmpv6_", "ICMPv6"), ("icmp_", "ICMP"),
                    ("ipv6_", "IPv6"), ("mpls_", "MPLS"), ("gre_", "GRE"))


# Every accessor that takes only the state becomes a method, unless the class
# wraps it by hand above (addresses, options).
for _name, _res, _args in _PROTOTYPES:
    if _args == [_STATE] and not hasattr(Packet, _name[5:]):
        setattr(Packet, _name[5:], _state_method(_name, _res))
del _name, _res, _args


# ----------------------------------------------------------------- files
class Record:
    """One packet from a Reader or a Capture: data (bytes, a copy), caplen,
    wire_len, ts_ns, linktype, and index / interface (files) or ifindex /
    pkttype (live capture)."""

    __slots__ = ("data", "wire_len", "ts_ns", "linktype", "index", "interface", "ifindex", "pkttype")

    def __init__(self, data, wire_len, ts_ns, linktype, index=0, interface=0, ifindex=0, pkttype=0):
        self.data, self.wire_len, self.ts_ns, self.linktype = data, wire_len, ts_ns, linktype
        self.index, self.interface, self.ifindex, self.pkttype = index, interface, ifindex, pkttype

    @property
    def caplen(self):
        return len(self.data)

    def decode(self):
        """A Packet of this record's bytes."""
        return Packet(self.data, self.linktype)


class _Handle:
    """Shared close / context-manager plumbing of the opaque handles."""

    _close = None

    def __init__(self):
        self._h = c_void_p()

    def _errmsg(self):
        return ""

    def close(self):
        """Release the handle (idempotent)."""
        if self._h:
            h, self._h = self._h, c_void_p()
            return self._close(h)
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def _need(self):
        if not self._h:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._h


class Reader(_Handle):
    """A pcap or pcapng file: Reader(path), Reader.from_fd(fd) or
    Reader.from_bytes(data).  Iterating yields Record objects."""

    _close = staticmethod(lib.pktd_reader_close)

    def __init__(self, path=None, _open=None):
        super().__init__()
        if _open is None:
            p = os.fsencode(path)
            _open = lambda out, eb: (lib.pktd_reader_open_path(out, p, eb), None)
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        rc, self._keep = _open(byref(self._h), eb)
        # The library's sentence names what was opened and why it failed.
        _check(rc, "open %s" % (path if path is not None else "capture"), lambda: _s(eb.value))

    @classmethod
    def mapped(cls, path):
        """Read a file mapped into memory in place (pktd_reader_open_mapped(),
        since 1.1): the same records and errors as Reader(path), without the
        kernel's copy of the file; a pipe or anything else that cannot be
        mapped is read as Reader(path) reads it.  The file is read as long
        as it was when opened, and one shortened by another process while
        it is read kills the process with SIGBUS (doc/python.md)."""
        p = os.fsencode(path)
        return cls(path, lambda out, eb: (lib.pktd_reader_open_mapped(out, p, eb), None))

    @classmethod
    def from_fd(cls, fd):
        """Read from an open descriptor (not closed by the reader)."""
        return cls(None, lambda out, eb: (lib.pktd_reader_open_fd(out, fd, eb), None))

    @classmethod
    def from_bytes(cls, data):
        """Read a capture held in memory (kept referenced, not copied)."""
        keep, arg, n = _buffer(data)
        return cls(None, lambda out, eb: (lib.pktd_reader_open_mem(out, arg, n, eb), keep))

    def _errmsg(self):
        return _s(lib.pktd_reader_errmsg(self._h)) if self._h else ""

    def _next(self):
        ptr, n = c_void_p(), c_size_t()
        rc = lib.pktd_reader_next(self._need(), byref(ptr), byref(n))
        _check(rc, "pktd_reader_next", self._errmsg)
        return rc, ptr.value, n.value

    def next_into(self, packet):
        """Read the next packet and decode it into packet in place, without a
        copy (valid until the next read).  Returns False at the end."""
        # The per-packet hot path: two foreign calls (one more for pcapng,
        # whose link type may change per interface), out-parameters made
        # once per reader, no helper calls.
        try:
            out = self._out
        except AttributeError:
            out = self._out = self._outputs()
        ptr, n, ptr_addr, n_addr, lt = out
        rc = _f_reader_next(self._h, ptr_addr, n_addr)
        if rc != 1:
            if rc == 0:
                return False
            if not self._h:
                self._need()  # ValueError: closed
            _check(rc, "pktd_reader_next", self._errmsg)
        caplen = n.value
        packet._keep, packet._caplen = self, caplen
        packet.rc = _f_decode(packet._addr, lt if lt is not None else _f_reader_linktype(self._h),
                              ptr.value, caplen)
        return True

    def _outputs(self):
        ptr, n = c_void_p(), c_size_t()
        # A pcap file has one link type: asked once.
        lt = lib.pktd_reader_linktype(self._need()) if lib.pktd_reader_format(self._h) == FORMAT_PCAP else None
        return ptr, n, ctypes.addressof(ptr), ctypes.addressof(n), lt

    def __iter__(self):
        wire, ts, lt, index, iface = _f_reader_record
        while True:
            rc, addr, n = self._next()
            if rc == 0:
                return
            h = self._h
            yield Record(ctypes.string_at(addr, n) if n else b"", wire(h), ts(h), lt(h), index(h), iface(h))

    def ts_ns(self):
        """pktd_reader_ts_ns() of the current packet."""
        return lib.pktd_reader_ts_ns(self._need())

    def wire_len(self):
        """pktd_reader_wire_len() of the current packet."""
        return lib.pktd_reader_wire_len(self._need())

    def linktype(self):
        """pktd_reader_linktype() of the current packet."""
        return lib.pktd_reader_linktype(self._need())

    def interface(self):
        """pktd_reader_interface() of the current packet."""
        return lib.pktd_reader_interface(self._need())

    def format(self):
        """pktd_reader_format(): FORMAT_PCAP or FORMAT_PCAPNG."""
        return lib.pktd_reader_format(self._need())

    def snaplen(self):
        """pktd_reader_snaplen()."""
        return lib.pktd_reader_snaplen(self._need())

    def packet_index(self):
        """pktd_reader_packet_index(): 1-based index of the current packet."""
        return lib.pktd_reader_packet_index(self._need())

    def offset(self):
        """pktd_reader_offset(): file offset of the current (or failing) record."""
        return lib.pktd_reader_offset(self._need())

    def errmsg(self):
        """pktd_reader_errmsg()."""
        return self._errmsg()


class Writer(_Handle):
    """A pcap or pcapng file being written: Writer(path, FORMAT_PCAP,
    linktype, snaplen, flags) or Writer.from_fd(fd, ...)."""

    _close = staticmethod(lib.pktd_writer_close)

    def __init__(self, path, format=FORMAT_PCAP, linktype=LINKTYPE_ETHERNET, snaplen=0, flags=0, _fd=None):
        super().__init__()
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        if _fd is None:
            rc = lib.pktd_writer_open_path(byref(self._h), os.fsencode(path), format, linktype, snaplen, flags,
                                           eb)
        else:
            rc = lib.pktd_writer_open_fd(byref(self._h), _fd, format, linktype, snaplen, flags, eb)
        _check(rc, "open %s" % (path if _fd is None else "fd %d" % _fd), lambda: _s(eb.value))

    @classmethod
    def from_fd(cls, fd, format=FORMAT_PCAP, linktype=LINKTYPE_ETHERNET, snaplen=0, flags=0):
        """Write to an open descriptor (not closed by the writer)."""
        return cls(None, format, linktype, snaplen, flags, _fd=fd)

    def _errmsg(self):
        return _s(lib.pktd_writer_errmsg(self._h)) if self._h else ""

    def write(self, data, wire_len=None, ts_ns=0):
        """pktd_writer_write(): one packet (wire_len defaults to len(data))."""
        keep, arg, n = _buffer(data)
        _check(lib.pktd_writer_write(self._need(), arg, n, n if wire_len is None else wire_len, ts_ns),
               "pktd_writer_write", self._errmsg)

    def stats(self, received=None, dropped=None, delivered=None, filtered=None, pending=None, ts_ns=0):
        """pktd_writer_stats(): a pcapng interface statistics block from the
        capture's counters, named as Capture.stats() names them, so
        w.stats(**cap.stats()) passes a capture's statistics through.  None
        (or WRITER_STAT_NONE) is unknown: the option is left out."""
        arr = (c_uint64 * CAPTURE_STAT_COUNT)(*([WRITER_STAT_NONE] * CAPTURE_STAT_COUNT))
        for i, v in ((CAPTURE_STAT_RECEIVED, received), (CAPTURE_STAT_DROPPED, dropped),
                     (CAPTURE_STAT_DELIVERED, delivered), (CAPTURE_STAT_FILTERED, filtered),
                     (CAPTURE_STAT_PENDING, pending)):
            if v is not None:
                arr[i] = v
        _check(lib.pktd_writer_stats(self._need(), arr, CAPTURE_STAT_COUNT, ts_ns), "pktd_writer_stats",
               self._errmsg)

    def flush(self):
        """pktd_writer_flush()."""
        _check(lib.pktd_writer_flush(self._need()), "pktd_writer_flush", self._errmsg)

    def close(self):
        """pktd_writer_close(): flush and close; raises if the flush failed."""
        if self._h:
            h, self._h = self._h, c_void_p()
            rc = lib.pktd_writer_close(h)
            _check(rc, "pktd_writer_close")

    def bytes(self):
        """pktd_writer_bytes()."""
        return lib.pktd_writer_bytes(self._need())

    def packets(self):
        """pktd_writer_packets()."""
        return lib.pktd_writer_packets(self._need())

    def errmsg(self):
        """pktd_writer_errmsg()."""
        return self._errmsg()


# ---------------------------------------------------------- live capture
class Capture(_Handle):
    """A live-capture handle (pktdecode/capture.h).

        cap = Capture("eth0")            # None, "" or "any": every interface
        cap.set_ip_protocol(1)           # optional: AF_INET raw socket, ICMP
        cap.set_timeout(200)             # let Python handle signals meanwhile
        cap.activate()
        for rec in cap: ...              # Records (copies), forever

    Every setter returns the C return value and raises PktdError (with the
    handle's errmsg) on a negative one.  next() returns a Record, or None
    when the timeout expired; breakloop() makes a waiting read stop with
    PktdError E_BREAK.  Activation needs CAP_NET_RAW.
    """

    _close = staticmethod(lib.pktd_capture_close)

    def __init__(self, device=None):
        super().__init__()
        errbuf = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_capture_create(byref(self._h), None if device is None else os.fsencode(device),
                                   errbuf),
               "pktd_capture_create(%s)" % (device or "any"), lambda: _s(errbuf.value))

    def _errmsg(self):
        return _s(lib.pktd_capture_errmsg(self._h)) if self._h else ""

    def _call(self, name, *args):
        return _check(getattr(lib, name)(self._need(), *args), name, self._errmsg)

    def set_ip_protocol(self, protocol):
        """pktd_capture_set_ip_protocol(): capture at the IP layer, one protocol."""
        return self._call("pktd_capture_set_ip_protocol", protocol)

    def set_linktype(self, linktype):
        """pktd_capture_set_linktype() (1.1): LINKTYPE_LINUX_SLL2 = cooked headers."""
        return self._call("pktd_capture_set_linktype", linktype)

    def set_ip_family(self, family):
        """pktd_capture_set_ip_family() (1.1): 6 = AF_INET6 raw socket, packets
        behind a synthesized IPv6 header (LINKTYPE_IPV6)."""
        return self._call("pktd_capture_set_ip_family", family)

    def set_snaplen(self, snaplen):
        """pktd_capture_set_snaplen()."""
        return self._call("pktd_capture_set_snaplen", snaplen)

    def set_promisc(self, on):
        """pktd_capture_set_promisc()."""
        return self._call("pktd_capture_set_promisc", int(bool(on)))

    def set_buffer_size(self, nbytes):
        """pktd_capture_set_buffer_size()."""
        return self._call("pktd_capture_set_buffer_size", nbytes)

    def set_block_timeout(self, ms):
        """pktd_capture_set_block_timeout()."""
        return self._call("pktd_capture_set_block_timeout", ms)

    def set_timeout(self, ms):
        """pktd_capture_set_timeout(): longest wait of a read (negative: forever)."""
        return self._call("pktd_capture_set_timeout", ms)

    def set_immediate(self, on):
        """pktd_capture_set_immediate()."""
        return self._call("pktd_capture_set_immediate", int(bool(on)))

    def set_tpacket_version(self, version):
        """pktd_capture_set_tpacket_version()."""
        return self._call("pktd_capture_set_tpacket_version", version)

    def set_direction(self, direction):
        """pktd_capture_set_direction(): CAPTURE_DIR_IN, CAPTURE_DIR_OUT or CAPTURE_DIR_BOTH."""
        return self._call("pktd_capture_set_direction", direction)

    def set_fanout(self, mode, group):
        """pktd_capture_set_fanout()."""
        return self._call("pktd_capture_set_fanout", mode, group)

    def set_nonblock(self, on):
        """pktd_capture_set_nonblock()."""
        return self._call("pktd_capture_set_nonblock", int(bool(on)))

    def set_filter_bpf(self, insns):
        """pktd_capture_set_filter_bpf(): insns is a list of (code, jt, jf, k), or
        the raw 8-byte struct sock_filter array as bytes; None removes it."""
        if insns is None:
            return self._call("pktd_capture_set_filter_bpf", None, 0)
        if not isinstance(insns, (bytes, bytearray)):
            # struct sock_filter in host byte order: u16 code, u8 jt, u8 jf, u32 k
            insns = b"".join(struct.pack("=HBBI", code, jt, jf, k) for code, jt, jf, k in insns)
        return self._call("pktd_capture_set_filter_bpf", bytes(insns), len(insns) // 8)

    def set_filter_text(self, text):
        """pktd_capture_set_filter_text(): a program as `tcpdump -ddd` prints it."""
        return self._call("pktd_capture_set_filter_text", text.encode())

    def set_filter_expr(self, expr, optimize=True):
        """pktd_capture_set_filter_expr(): a tcpdump expression (needs libpcap at build time)."""
        return self._call("pktd_capture_set_filter_expr", None if expr is None else expr.encode(), int(bool(optimize)))

    @staticmethod
    def expr_available():
        """pktd_capture_expr_available(): whether set_filter_expr() can work."""
        return bool(lib.pktd_capture_expr_available())

    def activate(self):
        """pktd_capture_activate(): 0, or CAPTURE_WARNING (see errmsg())."""
        return self._call("pktd_capture_activate")

    def _next(self):
        ptr, n = c_void_p(), c_size_t()
        rc = lib.pktd_capture_next(self._need(), byref(ptr), byref(n))
        if rc == -errno.EINTR:
            # A signal: back to Python so its handler runs (PEP 475 style).
            return 0, None, 0
        _check(rc, "pktd_capture_next", self._errmsg)
        return rc, ptr.value, n.value

    def next(self):
        """pktd_capture_next(): the next packet as a Record, or None on timeout."""
        rc, addr, n = self._next()
        if rc == 0:
            return None
        h = self._h
        return Record(_at(addr, n), lib.pktd_capture_wire_len(h), lib.pktd_capture_ts_ns(h),
                      lib.pktd_capture_linktype(h), ifindex=lib.pktd_capture_ifindex(h),
                      pkttype=lib.pktd_capture_pkttype(h))

    def next_into(self, packet):
        """Read the next packet and decode it in place (no copy; valid until
        the next read).  Returns False on timeout."""
        rc, addr, n = self._next()
        if rc == 0:
            return False
        packet._decode_at(lib.pktd_capture_linktype(self._h), addr, n, self)
        return True

    def __iter__(self):
        while True:
            rec = self.next()
            if rec is not None:
                yield rec

    def dispatch(self, callback, max_packets=0):
        """pktd_capture_dispatch(): callback(data: bytes, wire_len, ts_ns) for each
        ready packet, at most max_packets (0: all ready); a true return value
        stops the batch.  Returns the count."""
        def handler(user, data, caplen, wire_len, ts_ns):
            return 1 if callback(_at(data, caplen), wire_len, ts_ns) else 0
        cb = CAPTURE_HANDLER(handler)
        return self._call("pktd_capture_dispatch", max(0, max_packets), cb, None)

    def breakloop(self):
        """pktd_capture_breakloop(): any thread may call it."""
        if self._h:
            lib.pktd_capture_breakloop(self._h)

    def fileno(self):
        """pktd_capture_fd(): a descriptor to poll for POLLIN."""
        return self._call("pktd_capture_fd")

    def linktype(self):
        """pktd_capture_linktype()."""
        return lib.pktd_capture_linktype(self._need())

    def snaplen(self):
        """pktd_capture_snaplen()."""
        return lib.pktd_capture_snaplen(self._need())

    def buffer_size(self):
        """pktd_capture_buffer_size()."""
        return lib.pktd_capture_buffer_size(self._need())

    def tpacket_version(self):
        """pktd_capture_tpacket_version()."""
        return lib.pktd_capture_tpacket_version(self._need())

    def ts_ns(self):
        """pktd_capture_ts_ns() of the current packet."""
        return lib.pktd_capture_ts_ns(self._need())

    def wire_len(self):
        """pktd_capture_wire_len() of the current packet."""
        return lib.pktd_capture_wire_len(self._need())

    def ifindex(self):
        """pktd_capture_ifindex() of the current packet."""
        return lib.pktd_capture_ifindex(self._need())

    def pkttype(self):
        """pktd_capture_pkttype() of the current packet."""
        return lib.pktd_capture_pkttype(self._need())

    def stats(self):
        """pktd_capture_stats(): {"received": n, "dropped": n, "delivered": n,
        "filtered": n, "pending": n} (running totals since activation)."""
        arr = (c_uint64 * CAPTURE_STAT_COUNT)()
        n = self._call("pktd_capture_stats", arr, CAPTURE_STAT_COUNT)
        names = ("received", "dropped", "delivered", "filtered", "pending")
        return {names[i]: arr[i] for i in range(min(n, CAPTURE_STAT_COUNT))}

    def errmsg(self):
        """pktd_capture_errmsg()."""
        return self._errmsg()


# ---------------------------------------------------------------- AF_ALG
ALG_NAME_MAX = 63
ALG_TYPE_HASH, ALG_TYPE_SKCIPHER = "hash", "skcipher"
HASH_MAX_DIGEST = 64
CIPHER_DECRYPT, CIPHER_ENCRYPT = 0, 1


def alg_probe(type, name, key=None):
    """pktd_alg_probe(): None when the algorithm can be used, else why not,
    as (errno name of the cause, sentence).  Raises PktdError (with the
    library's whole message as detail) for other failures."""
    cause = c_int(0)
    err = ctypes.create_string_buffer(ERRBUF_SIZE)
    keep, arg, n = _buffer(key) if key is not None else (None, None, 0)
    rc = lib.pktd_alg_probe(type.encode(), name.encode(), arg, n, byref(cause), err)
    if rc == 0:
        return None
    if rc == E_UNAVAILABLE:
        return err_name(cause.value), _s(lib.pktd_alg_strerror(cause.value))
    _raise(rc, _s(err.value), "pktd_alg_probe(%s, %s)" % (type, name))


class _AlgHandle(_Handle):
    _prefix = ""

    def _errmsg(self):
        return _s(getattr(lib, self._prefix + "errmsg")(self._h)) if self._h else ""

    def _call(self, suffix, *args):
        name = self._prefix + suffix
        rc = getattr(lib, name)(self._need(), *args)
        if rc < 0:
            detail = self._errmsg()
            if lib.pktd_alg_is_unavailable(rc):
                raise UnavailableError(rc, detail or _s(lib.pktd_alg_strerror(rc)), name)
            _raise(rc, detail, name)
        return rc

    def _open(self, name):
        err = ctypes.create_string_buffer(ERRBUF_SIZE)
        rc = getattr(lib, self._prefix + "open")(byref(self._h), name.encode(), err)
        if rc < 0:
            call = "%sopen(%s)" % (self._prefix, name)
            if lib.pktd_alg_is_unavailable(rc):
                raise UnavailableError(rc, _s(err.value), call)
            _raise(rc, _s(err.value), call)


class Hash(_AlgHandle):
    """A kernel hash through AF_ALG: Hash("sha256"), Hash("hmac(sha256)", key).

    digest(data) is one-shot; update() ... final() streams; copy() clones a
    partial state.  UnavailableError says why AF_ALG cannot be used here.
    """

    _prefix = "pktd_hash_"
    _close = staticmethod(lib.pktd_hash_close)

    def __init__(self, name="sha256", key=None, _clone_of=None):
        super().__init__()
        if _clone_of is not None:
            err = ctypes.create_string_buffer(ERRBUF_SIZE)
            rc = lib.pktd_hash_clone(byref(self._h), _clone_of._need(), err)
            if rc < 0:
                _raise(rc, _s(err.value), "pktd_hash_clone")
            return
        self._open(name)
        if key is not None:
            self.setkey(key)

    def setkey(self, key):
        """pktd_hash_setkey()."""
        keep, arg, n = _buffer(key)
        self._call("setkey", arg, n)

    def update(self, data):
        """pktd_hash_update()."""
        keep, arg, n = _buffer(data)
        self._call("update", arg, n)
        return self

    def final(self):
        """pktd_hash_final(): the digest of everything updated so far."""
        md = ctypes.create_string_buffer(HASH_MAX_DIGEST)
        n = self._call("final", md, len(md))
        return md.raw[:n]

    def digest(self, data=b""):
        """pktd_hash_digest(): one-shot digest of data."""
        keep, arg, n = _buffer(data)
        md = ctypes.create_string_buffer(HASH_MAX_DIGEST)
        n = self._call("digest", arg, n, md, len(md))
        return md.raw[:n]

    def hexdigest(self, data=b""):
        """digest(data) as lower-case hex."""
        return self.digest(data).hex()

    def copy(self):
        """pktd_hash_clone(): a new handle with the same partial digest and
        its own copy of the key (re-keying one never changes the other)."""
        return Hash(_clone_of=self)

    def reset(self):
        """pktd_hash_reset()."""
        lib.pktd_hash_reset(self._need())

    def digest_size(self):
        """pktd_hash_digest_size()."""
        return lib.pktd_hash_digest_size(self._need())

    def block_size(self):
        """pktd_hash_block_size()."""
        return lib.pktd_hash_block_size(self._need())

    def name(self):
        """pktd_hash_name()."""
        return _s(lib.pktd_hash_name(self._need()))

    def errmsg(self):
        """pktd_hash_errmsg()."""
        return self._errmsg()


class Cipher(_AlgHandle):
    """A kernel skcipher through AF_ALG: Cipher("cbc(aes)", key).

    encrypt(iv, data) / decrypt(iv, data) are one-shot (no padding: data is a
    whole number of blocks for cbc and ecb); begin() / update() / end()
    stream a message that arrives in pieces.
    """

    _prefix = "pktd_cipher_"
    _close = staticmethod(lib.pktd_cipher_close)

    def __init__(self, name="cbc(aes)", key=None):
        super().__init__()
        self._open(name)
        if key is not None:
            self.setkey(key)

    def setkey(self, key):
        """pktd_cipher_setkey()."""
        keep, arg, n = _buffer(key)
        self._call("setkey", arg, n)

    def _oneshot(self, op, iv, data):
        ivk, iva, ivn = _buffer(iv) if iv is not None else (None, None, 0)
        keep, arg, n = _buffer(data)
        out = ctypes.create_string_buffer(max(n, 1))
        self._call(op, iva, ivn, arg, n, out)
        return out.raw[:n]

    def encrypt(self, iv, data):
        """pktd_cipher_encrypt()."""
        return self._oneshot("encrypt", iv, data)

    def decrypt(self, iv, data):
        """pktd_cipher_decrypt()."""
        return self._oneshot("decrypt", iv, data)

    def begin(self, direction, iv=None):
        """pktd_cipher_begin(): CIPHER_ENCRYPT or CIPHER_DECRYPT."""
        ivk, iva, ivn = _buffer(iv) if iv is not None else (None, None, 0)
        self._call("begin", direction, iva, ivn)

    def _piece(self, op, data):
        keep, arg, n = _buffer(data)
        cap = n + lib.pktd_cipher_chunk_size(self._need())
        out = ctypes.create_string_buffer(max(cap, 1))
        outlen = c_size_t()
        self._call(op, arg, n, out, cap, byref(outlen))
        return out.raw[:outlen.value]

    def update(self, data):
        """pktd_cipher_update(): the output bytes ready so far."""
        return self._piece("update", data)

    def end(self, data=b""):
        """pktd_cipher_end(): the rest of the output."""
        return self._piece("end", data)

    def reset(self):
        """pktd_cipher_reset()."""
        lib.pktd_cipher_reset(self._need())

    def iv_size(self):
        """pktd_cipher_iv_size()."""
        return lib.pktd_cipher_iv_size(self._need())

    def block_size(self):
        """pktd_cipher_block_size()."""
        return lib.pktd_cipher_block_size(self._need())

    def chunk_size(self):
        """pktd_cipher_chunk_size()."""
        return lib.pktd_cipher_chunk_size(self._need())

    def key_min(self):
        """pktd_cipher_key_min()."""
        return lib.pktd_cipher_key_min(self._need())

    def key_max(self):
        """pktd_cipher_key_max()."""
        return lib.pktd_cipher_key_max(self._need())

    def can_stream(self):
        """pktd_cipher_can_stream()."""
        return bool(lib.pktd_cipher_can_stream(self._need()))

    def max_len(self):
        """pktd_cipher_max_len()."""
        return lib.pktd_cipher_max_len(self._need())

    def name(self):
        """pktd_cipher_name()."""
        return _s(lib.pktd_cipher_name(self._need()))

    def errmsg(self):
        """pktd_cipher_errmsg()."""
        return self._errmsg()


# ------------------------------------------------------- columnar reading
# read_columns(), iter_batches(), read_dataframe() (issue 15, since 1.1):
# pktd_batch_read() decodes a whole batch of records in one foreign call
# into arrays this module owns (numpy arrays, or array.array without numpy),
# so Python pays a few calls per batch, not per packet.  Setting
# PKTDECODE_NO_NUMPY=1 in the environment makes the module ignore numpy
# (array.array columns; the tests use it to run that path).
if os.environ.get("PKTDECODE_NO_NUMPY"):
    numpy = None
else:
    try:
        import numpy
    except ImportError:
        numpy = None

#: Column names of the fields, as read_columns() names them: FIELD_NAMES
#: with "." made "_" ("ipv4.src" is "ipv4_src"), mapped to the field index.
FIELD_COLUMNS = {_n.replace(".", "_"): _i for _i, _n in enumerate(FIELD_NAMES)}
#: The per-row columns beside the fields: name -> (PKTD_BATCH_* index,
#: array.array type code, numpy dtype).  "len" is the wire length; "status"
#: what pktd_decode() returned (0, E_TRUNCATED, ...); "interface" the pcapng
#: interface id.  (The link type is the field "linktype", FIELD_LINKTYPE:
#: the same value PKTD_BATCH_LINKTYPE would store, so it is not doubled.)
ROW_COLUMNS = {
    "ts_ns": (BATCH_TS_NS, "Q", "uint64"),
    "caplen": (BATCH_CAPLEN, "I", "uint32"),
    "len": (BATCH_WIRE_LEN, "I", "uint32"),
    "interface": (BATCH_INTERFACE, "I", "uint32"),
    "status": (BATCH_STATUS, "i", "int32"),
}
#: Every column read_columns() gives for fields=None, in its order.
COLUMNS = tuple(ROW_COLUMNS) + tuple(FIELD_COLUMNS)


def _column_selection(fields):
    """(per-row column names, [(column name, field index)], every column
    name in the caller's order) for fields."""
    if fields is None:
        return list(ROW_COLUMNS), list(FIELD_COLUMNS.items()), list(COLUMNS)
    if isinstance(fields, str):
        fields = [fields]
    rows, sel, order = [], [], []
    for name in fields:
        col = name.replace(".", "_")
        idx = c_uint32()
        # The library resolves the name ("ipv4.src"); the "_" spelling is
        # FIELD_COLUMNS, which came from the library's names too.
        if col in ROW_COLUMNS:
            rows.append(col)
        elif col in FIELD_COLUMNS:
            sel.append((col, FIELD_COLUMNS[col]))
        elif "pktd_field_lookup" not in MISSING and lib.pktd_field_lookup(name.encode(), byref(idx)) == 1:
            col = FIELD_NAMES[idx.value].replace(".", "_")
            sel.append((col, idx.value))
        else:
            raise ValueError("unknown column %r (see pktdecode.COLUMNS)" % name)
        if col in order:
            raise ValueError("column %r selected twice" % name)
        order.append(col)
    return rows, sel, order


def _new_column(code, dtype, n):
    """An uninitialised-or-zero column of n elements and its address."""
    if numpy is not None:
        a = numpy.empty(n, dtype=dtype)
        return a, a.ctypes.data
    a = array.array(code, [0]) * n
    if a.itemsize * 8 != {"Q": 64, "I": 32, "i": 32}[code]:
        raise RuntimeError("array.array(%r) is not %s on this platform" % (code, dtype))
    return a, a.buffer_info()[0]


def _shrink(a, n):
    """The first n rows of a column: a numpy view, or the array.array cut
    in place (neither copies the rows)."""
    if numpy is not None:
        return a[:n]
    del a[n:]
    return a


class _Batch(_Handle):
    """One pktd_batch over freshly allocated columns (one per call of fill)."""

    _close = staticmethod(lib.pktd_batch_close)

    def __init__(self, capacity, rows, sel, order, into=None, offset=0):
        # into: columns (of order's names) to fill from row offset on, instead
        # of new ones (read_columns() fills its final arrays in place).
        super().__init__()
        self.capacity = capacity
        self.cols = {}
        addrs = (c_void_p * max(len(sel), 1))()
        for i, (name, _) in enumerate(sel):
            if into is None:
                self.cols[name], addrs[i] = _new_column("I", "uint32", capacity)
            else:
                self.cols[name], addrs[i] = into[name], _address(into[name]) + 4 * offset
        idx = (c_uint32 * max(len(sel), 1))(*[f for _, f in sel])
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_batch_create(byref(self._h), capacity, idx, len(sel), addrs, eb),
               "pktd_batch_create", lambda: _s(eb.value))
        self.order = order
        for name in rows:
            column, code, dtype = ROW_COLUMNS[name]
            if into is None:
                self.cols[name], addr = _new_column(code, dtype, capacity)
            else:
                self.cols[name] = into[name]
                addr = _address(into[name]) + (8 if code == "Q" else 4) * offset
            _check(lib.pktd_batch_bind(self._h, column, addr), "pktd_batch_bind")

    def read(self, reader):
        """pktd_batch_read(): (return code, dict of the filled rows)."""
        n = c_uint32()
        rc = lib.pktd_batch_read(self._need(), reader._need(), 0, byref(n))
        return rc, {name: _shrink(self.cols[name], n.value) for name in self.order}

    def fill(self, reader):
        """pktd_batch_read() into the columns given as into: (return code, rows)."""
        n = c_uint32()
        rc = lib.pktd_batch_read(self._need(), reader._need(), 0, byref(n))
        return rc, n.value


def _address(a):
    """Address of a column's first element."""
    return a.ctypes.data if numpy is not None and isinstance(a, numpy.ndarray) else a.buffer_info()[0]


def _grow(a, keep, n):
    """A column of n rows whose first keep rows are a's."""
    if numpy is not None and isinstance(a, numpy.ndarray):
        b = numpy.empty(n, dtype=a.dtype)
        b[:keep] = a[:keep]
        return b
    if n > len(a):
        a.extend(array.array(a.typecode, [0]) * (n - len(a)))
    return a


# ------------------------------------------------ IP defragmentation (1.1)
#: Statistics of pktd_defrag_stats(), in index order (defrag.h).
DEFRAG_STAT_NAMES = (
    "fragments", "datagrams", "reassembled", "atomic", "whole", "drop_duplicate", "drop_overlap",
    "drop_tiny", "drop_too_big", "drop_invalid", "drop_truncated", "drop_too_many", "drop_timeout",
    "drop_evicted", "datagrams_dropped", "datagrams_timeout", "datagrams_evicted",
    "held_fragments", "held_datagrams", "bytes_in_use", "bytes_high", "bytes_pool",
    "bytes_allocated")
for _i, _n in enumerate(DEFRAG_STAT_NAMES):
    globals()["DEFRAG_STAT_" + _n.upper()] = _i
DEFRAG_STAT_COUNT = len(DEFRAG_STAT_NAMES)
del _i, _n
DEFRAG_DEFAULT_BUDGET = 4 << 20
DEFRAG_DEFAULT_DATAGRAMS = 1024
DEFRAG_DEFAULT_FRAGMENTS = 64
DEFRAG_DEFAULT_TIMEOUT_NS = 30000000000
DEFRAG_MAX_FRAGMENTS = 8192


class Defrag(_Handle):
    """An IP defragmenter (defrag.h, since 1.1), all its memory allocated
    here: Defrag(budget=0, max_datagrams=0, max_fragments=0, timeout_ns=0)
    (0: the library's default for each).

    add(packet, ts_ns, zone=0) takes a decoded Packet with an IPv4 or IPv6
    layer and returns the reassembled datagram (bytes, from the IP header
    on: decode it with LINKTYPE_RAW), the packet's own IP bytes when it was
    not a fragment, or None when the fragment was held or dropped.
    stats() gives the counters by name (DEFRAG_STAT_NAMES)."""

    _close = staticmethod(lib.pktd_defrag_close)

    def __init__(self, budget=0, max_datagrams=0, max_fragments=0, timeout_ns=0):
        super().__init__()
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_defrag_create(byref(self._h), budget, max_datagrams, max_fragments,
                                      timeout_ns, eb),
               "pktd_defrag_create", lambda: _s(eb.value))

    def _errmsg(self):
        return _s(lib.pktd_defrag_errmsg(self._h)) if self._h else ""

    def add(self, packet, ts_ns, zone=0):
        """pktd_defrag_add(): the datagram as bytes, or None."""
        out = c_void_p()
        n = c_size_t()
        rc = lib.pktd_defrag_add(self._need(), packet._state, zone, ts_ns, byref(out), byref(n))
        if rc < 0:
            _raise(rc, self._errmsg(), "pktd_defrag_add")
        return ctypes.string_at(out.value, n.value) if rc == 1 else None

    def expire(self, now_ns=2 ** 64 - 1):
        """pktd_defrag_expire(): drop the datagrams past their timeout at
        now_ns (all of them by default); returns how many."""
        rc = lib.pktd_defrag_expire(self._need(), now_ns)
        if rc < 0:
            _raise(rc, self._errmsg(), "pktd_defrag_expire")
        return rc

    def stats(self):
        """pktd_defrag_stats() as a dict name -> value."""
        arr = (c_uint64 * DEFRAG_STAT_COUNT)()
        n = lib.pktd_defrag_stats(self._need(), arr, DEFRAG_STAT_COUNT)
        if n < 0:
            _raise(n, "", "pktd_defrag_stats")
        return dict(zip(DEFRAG_STAT_NAMES, arr[:min(n, DEFRAG_STAT_COUNT)]))


def _whole_file_reader(path, mapped):
    """The reader of the functions that read a whole file once (read_columns,
    iter_batches, count_packets, plan_chunks): Reader(path), or
    Reader.mapped(path) when asked for and the library has it.  Reading
    with read(2) is the default because a mapped file that is shortened
    under the reader raises SIGBUS, which no caller can turn into an
    error: safety first, the speed on request."""
    if mapped and "pktd_reader_open_mapped" not in MISSING:
        return Reader.mapped(path)
    return Reader(path)


def iter_batches(path, batch_rows=65536, fields=None, mapped=False):
    """Read a pcap or pcapng file as batches of columns.

    Yields dicts of column name -> numpy array (array.array without numpy)
    of up to batch_rows rows each, every batch in new arrays (one
    pktd_batch_read() call per batch, no copy per packet).  fields: column
    names (see read_columns()); None means all.  A reader error (e.g. a
    truncated record) is raised as PktdError with the reader's message,
    after the batch holding the rows before it has been yielded.

    mapped: False (the default) reads the file with read(2); True maps it
    and reads it in place (Reader.mapped(), 1.1): the same rows and errors
    with about a third less CPU on a large cached file, but a file that
    another process shortens meanwhile kills the process with SIGBUS
    (doc/python.md, "Reading a file mapped").
    """
    if not 1 <= batch_rows <= 0x7fffffff:
        raise ValueError("batch_rows must be 1 ... 2**31-1, not %r" % (batch_rows,))
    rows, sel, order = _column_selection(fields)
    with _whole_file_reader(path, mapped) as r:
        while True:
            b = _Batch(batch_rows, rows, sel, order)
            try:
                rc, cols = b.read(r)
            finally:
                b.close()
            n = len(cols[b.order[0]]) if b.order else 0
            if n:
                yield cols
            if rc < 0:
                _raise(rc, r._errmsg(), "pktd_batch_read %s" % path)
            if rc == 0:
                return


def read_columns(path, fields=None, mapped=False):
    """Read a whole pcap or pcapng file into columns.

    Returns a dict of column name -> numpy array (array.array when numpy is
    missing), one element per record.  Names: the fields of fields.h as
    FIELD_COLUMNS names them ("ipv4_src", "tcp_sport", ...: FIELD_NAMES with
    "." made "_"; uint32, the value Packet.field_array() gives), and
    ts_ns (uint64), caplen, len (wire length), linktype, interface (uint32)
    and status (int32, what decode() returned).  fields: a list of those
    names ("ipv4.src" spelling accepted); None means all of them.

    Decodes straight into the arrays it returns, without a copy: sized for
    65536 rows at first, then for the file's size at the bytes per record
    read so far (plus 2%), grown if that was short; the arrays returned are
    views of the first rows (numpy) or cut in place (array.array).  A
    reader error raises PktdError with the reader's message; its .columns
    attribute holds the rows read before it.

    mapped: False (the default) reads the file with read(2); True maps it
    and reads it in place (Reader.mapped(), 1.1): the same rows and errors
    with about a third less CPU on a large cached file, but a file that
    another process shortens meanwhile kills the process with SIGBUS
    (doc/python.md, "Reading a file mapped").
    """
    rows, sel, order = _column_selection(fields)
    try:
        size = os.stat(path).st_size
    except (OSError, TypeError, ValueError):
        size = 0  # the reader says what is wrong with the path
    with _whole_file_reader(path, mapped) as r:
        cap = 65536
        cols = {name: _new_column(*(ROW_COLUMNS.get(name, (0, "I", "uint32"))[1:]), cap)[0] for name in order}
        n = 0
        while True:
            b = _Batch(min(cap - n, 0x7fffffff), rows, sel, order, into=cols, offset=n)
            try:
                rc, k = b.fill(r)
            finally:
                b.close()
            n += k
            if rc < 0:
                e = PktdError(rc, r._errmsg(), "pktd_batch_read %s" % path)
                e.columns = {name: _shrink(cols[name], n) for name in order}
                raise e
            if rc == 0:
                return {name: _shrink(cols[name], n) for name in order}
            # Full: size the columns for the whole file, from the bytes
            # per record so far (one more copy of the rows read, once).
            pos = lib.pktd_reader_position(r._h)
            est = int(size / pos * n * 1.02) + 1024 if 0 < pos < size else 0
            cap = max(est, n + n // 4 + 65536)
            cols = {name: _grow(cols[name], n, cap) for name in order}


def _empty_columns(order):
    """Columns of no rows (a file without records)."""
    return {name: _new_column(*(ROW_COLUMNS.get(name, (0, "I", "uint32"))[1:]), 0)[0] for name in order}


def read_dataframe(path, fields=None, mapped=False):
    """read_columns() as a pandas DataFrame (one row per record, the columns
    in read_columns()' order).  Raises ImportError without pandas.

    mapped: False (the default) reads the file with read(2); True maps it
    and reads it in place (Reader.mapped(), 1.1): the same rows and errors
    with about a third less CPU on a large cached file, but a file that
    another process shortens meanwhile kills the process with SIGBUS
    (doc/python.md, "Reading a file mapped").
    """
    try:
        import pandas
    except ImportError as e:
        raise ImportError("pktdecode.read_dataframe() needs pandas (%s); install it "
                          "(Debian: apt install python3-pandas) or use read_columns(), "
                          "which needs only the standard library" % e) from e
    return pandas.DataFrame(read_columns(path, fields, mapped), copy=False)


def ipv4_text(column):
    """A column of host-order IPv4 addresses (ipv4_src, ...) as a list of
    dotted strings ("10.0.0.1", the text ipv4_format() gives)."""
    raw = _be_bytes(column)
    ntoa = socket.inet_ntoa
    return [ntoa(raw[i:i + 4]) for i in range(0, len(raw), 4)]


def _be_bytes(column):
    """A uint32 column as big-endian bytes (network order), 4 per row."""
    if numpy is not None and isinstance(column, numpy.ndarray):
        return column.astype(">u4").tobytes()
    a = array.array("I", column)
    if sys.byteorder == "little":
        a.byteswap()
    return a.tobytes()


def ipv6_text(c0, c1, c2, c3):
    """Four columns holding an IPv6 address (ipv6_src0 ... ipv6_src3, each
    4 bytes host order) as a list of strings ("2001:db8::1", the text
    ipv6_format() gives; "::" for rows without IPv6)."""
    parts = [_be_bytes(c) for c in (c0, c1, c2, c3)]
    ntop = socket.inet_ntop
    return [ntop(socket.AF_INET6, parts[0][i:i + 4] + parts[1][i:i + 4] + parts[2][i:i + 4] + parts[3][i:i + 4])
            for i in range(0, len(parts[0]), 4)]


# ---------------------------------------------------------------- flow table (1.1)
FLOW_FWD, FLOW_REV = 0, 1
FLOW_END_NONE, FLOW_END_FIN, FLOW_END_RST, FLOW_END_IDLE, FLOW_END_ACTIVE, FLOW_END_EVICTED, \
    FLOW_END_EOF = range(7)
FLOW_TCP_SYN_FWD, FLOW_TCP_SYN_REV, FLOW_TCP_FIN_FWD, FLOW_TCP_FIN_REV = 0x01, 0x02, 0x04, 0x08
FLOW_TCP_RST_FWD, FLOW_TCP_RST_REV, FLOW_TCP_MIDSTREAM, FLOW_TCP_CLOSED = 0x10, 0x20, 0x40, 0x80
FLOW_END_COUNT = 7
FLOW_STAT_PACKETS, FLOW_STAT_KEYED, FLOW_STAT_NOT_IP, FLOW_STAT_NO_TRANSPORT, \
    FLOW_STAT_LATER_FRAGMENT, FLOW_STAT_CREATED, FLOW_STAT_END_FIN, FLOW_STAT_END_RST, \
    FLOW_STAT_END_IDLE, FLOW_STAT_END_ACTIVE, FLOW_STAT_END_EVICTED, FLOW_STAT_END_EOF, \
    FLOW_STAT_MAX_CHAIN = range(13)
FLOW_STAT_COUNT = 13
#: Names of the PKTD_FLOW_STAT_* counters, by index (FlowTable.stats() keys).
FLOW_STATS = ("packets", "keyed", "not_ip", "no_transport", "later_fragment", "created",
              "end_fin", "end_rst", "end_idle", "end_active", "end_evicted", "end_eof", "max_chain")


class Flow:
    """A copy of one flow record (pktd_flow): the fields of pktd-flows' JSON
    (proto, src, sport, dst, dport, vlan, zone, first_ns, last_ns, pkts_fwd,
    bytes_fwd, pkts_rev, bytes_rev, tcp_flags_fwd, tcp_flags_rev, end as its
    name) plus id, ip_version and tcp_state.  Addresses are strings."""

    __slots__ = ("id", "ip_version", "proto", "src", "sport", "dst", "dport", "vlan", "zone",
                 "first_ns", "last_ns", "pkts_fwd", "bytes_fwd", "pkts_rev", "bytes_rev",
                 "tcp_flags_fwd", "tcp_flags_rev", "tcp_state", "end")

    def __init__(self, f):
        self.id = lib.pktd_flow_id(f)
        self.ip_version = lib.pktd_flow_ip_version(f)
        self.proto = lib.pktd_flow_proto(f)
        if self.ip_version == 6:
            self.src = ipv6_format(_at(lib.pktd_flow_ipv6_src(f), 16))
            self.dst = ipv6_format(_at(lib.pktd_flow_ipv6_dst(f), 16))
        else:
            self.src = ipv4_format(lib.pktd_flow_ipv4_src(f))
            self.dst = ipv4_format(lib.pktd_flow_ipv4_dst(f))
        self.sport, self.dport = lib.pktd_flow_sport(f), lib.pktd_flow_dport(f)
        self.vlan = tuple(lib.pktd_flow_vlan_vid(f, i) for i in range(lib.pktd_flow_vlan_count(f)))
        self.zone = lib.pktd_flow_zone(f)
        self.first_ns, self.last_ns = lib.pktd_flow_first_ns(f), lib.pktd_flow_last_ns(f)
        self.pkts_fwd, self.pkts_rev = lib.pktd_flow_packets(f, 0), lib.pktd_flow_packets(f, 1)
        self.bytes_fwd, self.bytes_rev = lib.pktd_flow_bytes(f, 0), lib.pktd_flow_bytes(f, 1)
        self.tcp_flags_fwd, self.tcp_flags_rev = lib.pktd_flow_tcp_flags(f, 0), lib.pktd_flow_tcp_flags(f, 1)
        self.tcp_state = lib.pktd_flow_tcp_state(f)
        self.end = _s(lib.pktd_flow_end_name(lib.pktd_flow_end(f)))

    def encap(self):
        """The tunnel around the flow's packets as pktd-flows -j writes it:
        None for zone 0, else {"type": name, <id key>: id} for a zone made
        as read_flows() makes it (tunnel type << 32 | its identifier)."""
        if not self.zone:
            return None
        t, i = self.zone >> 32, self.zone & 0xffffffff
        d = {"type": _s(lib.pktd_tunnel_name(t))}
        key = _ZONE_ID_KEY.get(t)
        if key is not None:
            d[key] = i
        return d

    def as_dict(self):
        """The record as pktd-flows -j writes it."""
        return {"proto": self.proto, "src": self.src, "sport": self.sport, "dst": self.dst,
                "dport": self.dport, "vlan": list(self.vlan), "encap": self.encap(),
                "first_ns": self.first_ns, "last_ns": self.last_ns, "pkts_fwd": self.pkts_fwd,
                "bytes_fwd": self.bytes_fwd, "pkts_rev": self.pkts_rev, "bytes_rev": self.bytes_rev,
                "tcp_flags_fwd": self.tcp_flags_fwd, "tcp_flags_rev": self.tcp_flags_rev,
                "end": self.end}

    def __repr__(self):
        return "Flow(%r)" % self.as_dict()


class FlowTable(_Handle):
    """pktd_flow_table: FlowTable(capacity, idle_timeout_ns=0,
    active_timeout_ns=0, on_export=None).  Each flow that ends is passed, as
    a Flow, to on_export(flow), or appended to the list `ended` when
    on_export is None.  An exception raised by on_export is raised again by
    the call that ended the flow (update, expire or flush)."""

    _close = staticmethod(lib.pktd_flow_table_close)

    def __init__(self, capacity, idle_timeout_ns=0, active_timeout_ns=0, on_export=None):
        super().__init__()
        self.ended = []
        self._on_export = on_export if on_export is not None else self.ended.append
        self._pending = None
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_flow_table_create(byref(self._h), capacity, idle_timeout_ns,
                                          active_timeout_ns, eb),
               "pktd_flow_table_create", lambda: _s(eb.value))
        self._cb = FLOW_EXPORT(self._export)  # kept referenced while the table lives
        _check(lib.pktd_flow_table_set_export(self._h, self._cb, None),
               "pktd_flow_table_set_export", self._errmsg)

    def _export(self, _user, f):
        try:
            self._on_export(Flow(f))
        except BaseException as e:  # noqa: B036 - re-raised after the C call
            if self._pending is None:
                self._pending = e

    def _raise_pending(self):
        if self._pending is not None:
            e, self._pending = self._pending, None
            raise e

    def _errmsg(self):
        return _s(lib.pktd_flow_table_errmsg(self._h)) if self._h else ""

    def update(self, packet, ts_ns, wire_len, zone=0):
        """pktd_flow_table_update(): count a decoded Packet.  Returns None
        when it has no flow key, else (flow_id, direction, new) with new True
        when the packet started the flow."""
        fid, d = c_uint32(), c_uint32()
        rc = lib.pktd_flow_table_update(self._need(), packet._state, ts_ns, wire_len, zone,
                                        byref(fid), byref(d))
        self._raise_pending()
        _check(rc, "pktd_flow_table_update", self._errmsg)
        return None if rc == 0 else (fid.value, d.value, rc == 2)

    def expire(self, now_ns):
        """pktd_flow_table_expire(): end the flows whose timeouts passed; returns how many."""
        rc = lib.pktd_flow_table_expire(self._need(), now_ns)
        self._raise_pending()
        return _check(rc, "pktd_flow_table_expire", self._errmsg)

    def flush(self):
        """pktd_flow_table_flush(): end every flow (first-packet order); returns how many."""
        rc = lib.pktd_flow_table_flush(self._need())
        self._raise_pending()
        return _check(rc, "pktd_flow_table_flush", self._errmsg)

    def get(self, flow_id):
        """pktd_flow_table_get(): a Flow copy of a live flow, or None."""
        f = lib.pktd_flow_table_get(self._need(), flow_id)
        return Flow(f) if f else None

    def capacity(self):
        """pktd_flow_table_capacity()."""
        return lib.pktd_flow_table_capacity(self._need())

    def count(self):
        """pktd_flow_table_count(): live flows."""
        return lib.pktd_flow_table_count(self._need())

    def stats(self):
        """pktd_flow_table_stats() as a dict (FLOW_STATS names; counters a newer
        library adds appear as "stat_N")."""
        n = lib.pktd_flow_table_stats(self._need(), None, 0)
        _check(n, "pktd_flow_table_stats")
        a = (c_uint64 * n)()
        _check(lib.pktd_flow_table_stats(self._h, a, n), "pktd_flow_table_stats")
        return {(FLOW_STATS[i] if i < len(FLOW_STATS) else "stat_%d" % i): a[i] for i in range(n)}

    def errmsg(self):
        """pktd_flow_table_errmsg()."""
        return self._errmsg()


# The name of a tunnel's main identifier in pktd-flows' encap object.
_ZONE_ID_KEY = {}
for _n, _k in (("vxlan", "vni"), ("geneve", "vni"), ("gre", "key"), ("gtpu", "teid"),
               ("mpls", "label"), ("pppoe", "session"), ("pppoed", "session")):
    if "TUNNEL_" + _n.upper() in globals():
        _ZONE_ID_KEY[globals()["TUNNEL_" + _n.upper()]] = _k


def read_flows(paths, capacity=1 << 18, idle_timeout_ns=300 * 10**9,
               active_timeout_ns=3600 * 10**9):
    """The flows of capture files read as one input, as pktd-flows computes
    them (same defaults): a list of Flow in order of each flow's first packet."""
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    seq_of = {}
    order = []
    with FlowTable(capacity, idle_timeout_ns, active_timeout_ns,
                   on_export=lambda f: order.append((seq_of.pop(f.id), f))) as t:
        p = Packet()
        n = 0
        for path in paths:
            with Reader(path) as r:
                while r.next_into(p):
                    # Every tunnel level, in the zone of the tunnel around
                    # it, as pktd-flows counts.
                    for level, zone in p.levels():
                        u = t.update(level, r.ts_ns(), r.wire_len(), zone)
                        if u is not None and u[2]:
                            seq_of[u[0]] = n
                            n += 1
        t.flush()
    order.sort(key=lambda x: x[0])
    return [f for _, f in order]
# --------------------------------------------- chunks of one capture (1.1)
# A large capture is cut into record-aligned chunks that each decode on
# their own, in another process or on another machine (pktdecode.dask uses
# this): one reader walks the file with pktd_reader_skip() to each boundary
# (one foreign call per chunk, the reader's own checks), and
# pktd_reader_header_ranges() says which bytes of the file a chunk needs in
# front of it (the pcap file header; pcapng: its section header and every
# interface description block so far).  A Chunk is plain data (picklable);
# read_chunk() reads those bytes and the chunk's with os.pread() into one
# buffer, a capture file in its own right, and decodes it in one batch
# (with mapped=True it maps the file instead and decodes in place).
class Chunk(tuple):
    """A record-aligned piece of a capture file (plan_chunks()): a tuple
    (path, start, end, header, packets, first): the file's bytes [start,
    end), the (offset, length) ranges of the file to put in front of them,
    the number of packets in it and the index (from 0) of its first packet
    in the file."""

    __slots__ = ()

    def __new__(cls, path, start, end, header, packets, first):
        return tuple.__new__(cls, (path, start, end, tuple(header), packets, first))

    path = property(lambda self: self[0], doc="the capture file")
    start = property(lambda self: self[1], doc="offset of the chunk's first record")
    end = property(lambda self: self[2], doc="offset after its last record")
    header = property(lambda self: self[3], doc="((offset, length), ...) to read in front of it")
    packets = property(lambda self: self[4], doc="packets in the chunk")
    first = property(lambda self: self[5], doc="index of its first packet in the file, from 0")

    def __reduce__(self):
        return (Chunk, tuple(self))

    def __repr__(self):
        return "Chunk(%r, start=%d, end=%d, packets=%d, first=%d)" % (self.path, self.start, self.end,
                                                                       self.packets, self.first)


def _header_ranges(reader):
    h = reader._need()
    n = lib.pktd_reader_header_ranges(h, None, None, 0)
    offs, lens = (c_uint64 * n)(), (c_size_t * n)()
    lib.pktd_reader_header_ranges(h, offs, lens, n)
    return tuple(zip(offs, lens))


def _skip(reader, offset, path):
    """pktd_reader_skip(): (return code, packets skipped); raises PktdError
    with the reader's message when the file is bad."""
    n = c_uint64()
    rc = lib.pktd_reader_skip(reader._need(), offset, byref(n))
    if rc < 0:
        _raise(rc, reader._errmsg(), "pktd_reader_skip %s" % path)
    return rc, n.value


def count_packets(path, mapped=False):
    """The number of packet records of a pcap or pcapng file, without
    decoding them (one pktd_reader_skip() call).  Raises PktdError with the
    reader's message for a file the reader refuses.

    mapped: False (the default) reads the file with read(2); True maps it
    and reads it in place (Reader.mapped(), 1.1): the same rows and errors
    with about a third less CPU on a large cached file, but a file that
    another process shortens meanwhile kills the process with SIGBUS
    (doc/python.md, "Reading a file mapped").
    """
    with _whole_file_reader(path, mapped) as r:
        return _skip(r, 2 ** 64 - 1, path)[1]


def plan_chunks(path, chunk_bytes=64 * 1024 * 1024, mapped=False):
    """Cut a pcap or pcapng file into record-aligned chunks of about
    chunk_bytes (each ends at the first record boundary at or after that
    many bytes; a record is never split).  Returns a list of Chunk, at least
    one (a file without packets gives one chunk of 0 packets).  The whole
    file is read once (the record headers are checked as the reader checks
    them: a bad file raises PktdError here with the reader's message).
    read_chunk() decodes a chunk on its own, anywhere the file can be read
    at the same path.

    mapped: False (the default) reads the file with read(2); True maps it
    and reads it in place (Reader.mapped(), 1.1): the same rows and errors
    with about a third less CPU on a large cached file, but a file that
    another process shortens meanwhile kills the process with SIGBUS
    (doc/python.md, "Reading a file mapped").
    """
    if chunk_bytes < 1:
        raise ValueError("chunk_bytes must be at least 1, not %r" % (chunk_bytes,))
    chunks = []
    first = 0
    with _whole_file_reader(path, mapped) as r:
        h = r._need()
        while True:
            start = lib.pktd_reader_position(h)
            header = _header_ranges(r)
            rc, n = _skip(r, start + chunk_bytes, path)
            end = lib.pktd_reader_position(h)
            if n or not chunks:
                chunks.append(Chunk(path, start, end, header, n, first))
            elif end > start:
                # trailing blocks without packets: part of the last chunk
                last = chunks[-1]
                chunks[-1] = Chunk(path, last.start, end, last.header, last.packets, last.first)
            first += n
            if rc == 0:
                return chunks


def _pread_ranges(fd, ranges, into):
    """Read each (offset, length) range of fd, one after the other, into
    the buffer into.  The view of into is released before returning or
    raising: a traceback that kept it would keep an mmap buffer exported
    (_chunk_copy() could not close it: BufferError instead of PktdError)."""
    preadv = getattr(os, "preadv", None)
    pos = 0
    with memoryview(into) as view:
        for off, n in ranges:
            got = 0
            while got < n:
                if preadv is not None:
                    # straight into the buffer: no bytes object, no second copy
                    with view[pos + got:pos + n] as part:
                        k = preadv(fd, [part], off + got)
                else:
                    data = os.pread(fd, n - got, off + got)
                    k = len(data)
                    view[pos + got:pos + got + k] = data
                if k == 0:
                    raise PktdError(E_TRUNCATED,
                                    "the file ends at offset %d, inside a range planned to end at %d "
                                    "(did it change since plan_chunks()?)" % (off + got, off + n))
                got += k
            pos += n


def _merge_ranges(ranges):
    out = []
    for off, n in ranges:
        if out and out[-1][0] + out[-1][1] == off:
            out[-1] = (out[-1][0], out[-1][1] + n)
        elif n:
            out.append((off, n))
    return out


def chunk_image(chunk):
    """The bytes of a chunk as a capture file of its own (a bytearray): the
    header ranges of the file, then the chunk's records."""
    ranges = _chunk_ranges(chunk)
    buf = bytearray(sum(n for _, n in ranges))
    _read_chunk_into(chunk, ranges, buf)
    return buf


def _chunk_ranges(chunk):
    """The (offset, length) ranges of the file that make the chunk's image."""
    return _merge_ranges(list(chunk.header) + [(chunk.start, chunk.end - chunk.start)])


def _read_chunk_into(chunk, ranges, buf):
    fd = os.open(chunk.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        _pread_ranges(fd, ranges, buf)
    finally:
        os.close(fd)


def _chunk_copy(chunk):
    """chunk_image()'s bytes in an anonymous mapping (mmap, memoryview of
    it): the pages arrive zeroed from the kernel, faulted in at once where
    MAP_POPULATE exists, where a bytearray of 64 MiB is first cleared by
    hand (read_chunk(): 28 against 41 ms for 64 MiB here)."""
    import mmap
    ranges = _chunk_ranges(chunk)
    n = sum(k for _, k in ranges)
    flags = mmap.MAP_PRIVATE | getattr(mmap, "MAP_ANONYMOUS", 0x20) | getattr(mmap, "MAP_POPULATE", 0)
    m = mmap.mmap(-1, n, flags=flags)
    view = memoryview(m)
    try:
        _read_chunk_into(chunk, ranges, view)
    except BaseException:
        view.release()
        m.close()
        raise
    return m, view


def _fill_columns(reader, count, rows, sel, order, what):
    """Decode the reader's records into columns of exactly count rows, in
    one pktd_batch_read() (count known beforehand: no concatenation)."""
    if count == 0:
        return _empty_columns(order)
    if count > 0x7fffffff:
        raise ValueError("%s: %d packets, more than one batch holds (2**31-1): cut it into "
                         "smaller chunks" % (what, count))
    b = _Batch(count, rows, sel, order)
    try:
        rc, cols = b.read(reader)
    finally:
        b.close()
    if rc < 0:
        e = PktdError(rc, reader._errmsg(), "pktd_batch_read %s" % what)
        e.columns = cols
        raise e
    n = len(cols[order[0]]) if order else count
    # Full at the capacity, pktd_batch_read() cannot know whether more
    # follow: a skip to the end must find nothing more.
    more = _skip(reader, 2 ** 64 - 1, what)[1] if rc == 1 else 0
    if n != count or more:
        raise PktdError(E_MALFORMED, "%s: %d packets where %d were counted (did the file change?)"
                        % (what, n + more, count))
    return cols


def read_chunk(chunk, fields=None, mapped=False):
    """Decode one Chunk (plan_chunks()) into columns: a dict of column name
    -> numpy array (array.array without numpy), exactly the rows
    read_columns() gives for the chunk's records of the whole file.
    fields as in read_columns().

    mapped: False (the default) reads the chunk's bytes into one buffer
    first: chunk_image()'s bytearray for a chunk under 64 KiB, else an
    anonymous mapping filled with os.preadv() (os.pread() where the
    platform has no preadv); True maps the file copy-on-write
    and decodes the chunk in place, without that copy: the same rows and
    errors, but a file shortened by another process while the chunk is
    decoded kills the process with SIGBUS instead of raising PktdError
    (doc/python.md, "Reading a file mapped")."""
    rows, sel, order = _column_selection(fields)
    what = "%s [%d, %d)" % (chunk.path, chunk.start, chunk.end)
    image = _map_chunk(chunk) if mapped else None
    if image is None and chunk.end - chunk.start < 1 << 16:
        with Reader.from_bytes(chunk_image(chunk)) as r:  # small: a mapping costs more
            return _fill_columns(r, chunk.packets, rows, sel, order, what)
    m, view = image if image is not None else _chunk_copy(chunk)
    r = Reader.from_bytes(view)
    try:
        return _fill_columns(r, chunk.packets, rows, sel, order, what)
    finally:
        r.close()
        r._keep = None
        del r
        view.release()
        try:
            m.close()
        except BufferError:  # still exported somewhere: the GC unmaps it
            pass


def _map_chunk(chunk):
    """The chunk as a capture file without copying it: a private
    copy-on-write mapping of the file from its start, with the header
    ranges written over the bytes just before it (the end of the previous
    chunk, in this process's copy only: one or two pages are copied).
    (mmap, memoryview of the image), or None where the file cannot be
    mapped (then chunk_image() reads it)."""
    import mmap
    hlen = sum(n for _, n in chunk.header)
    first = chunk.start - hlen
    if first < 0 or chunk.end <= chunk.start:
        return None
    base = first - first % mmap.ALLOCATIONGRANULARITY
    try:
        fd = os.open(chunk.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        # The header ranges may lie before the mapping: read them apart.
        header = bytearray(hlen)
        _pread_ranges(fd, chunk.header, header)
        m = mmap.mmap(fd, chunk.end - base, access=mmap.ACCESS_COPY, offset=base)
    except (OSError, ValueError, PktdError):
        return None
    finally:
        os.close(fd)
    if len(m) < chunk.end - base:  # the file shrank since plan_chunks()
        m.close()
        return None
    try:
        m.madvise(mmap.MADV_SEQUENTIAL)
    except (AttributeError, OSError):
        pass
    m[first - base:chunk.start - base] = header
    return m, memoryview(m)[first - base:]
# ------------------------------------------------- TCP stream reassembly
# tcp_reasm.h (since 1.1): events, END reasons, counters.
TCP_REASM_DATA, TCP_REASM_GAP, TCP_REASM_END = 0, 1, 2
TCP_REASM_END_FIN, TCP_REASM_END_RST, TCP_REASM_END_FLUSHED, TCP_REASM_END_EVICTED = 0, 1, 2, 3
TCP_REASM_STAT_SEGMENTS, TCP_REASM_STAT_DELIVERED, TCP_REASM_STAT_GAP_BYTES = 0, 1, 2
TCP_REASM_STAT_OVERLAP_BYTES, TCP_REASM_STAT_OVERLAP_DIFFS, TCP_REASM_STAT_HELD_BYTES = 3, 4, 5
TCP_REASM_STAT_MEM_USED, TCP_REASM_STAT_MEM_PEAK, TCP_REASM_STAT_BUDGET_SKIPS = 6, 7, 8
TCP_REASM_STAT_LATE, TCP_REASM_STAT_OLD_BYTES, TCP_REASM_STAT_COUNT = 9, 10, 11
TCP_REASM_FLOW_DELIVERED, TCP_REASM_FLOW_GAP_BYTES, TCP_REASM_FLOW_OVERLAP_BYTES = 0, 1, 2
TCP_REASM_FLOW_OVERLAP_DIFFS, TCP_REASM_FLOW_MIDSTREAM, TCP_REASM_FLOW_SEGMENTS = 3, 4, 5
TCP_REASM_FLOW_HELD_BYTES, TCP_REASM_FLOW_COUNT = 6, 7
TCP_REASM_CHUNK = 512


class TcpReasm(_Handle):
    """TCP stream reassembly (pktd_tcp_reasm_*): TcpReasm(capacity, budget,
    callback).  callback(event, flow_id, dir, offset, data, length) gets
    TCP_REASM_DATA with the bytes (data), TCP_REASM_GAP with data None and
    length the bytes never seen, TCP_REASM_END with data None and length the
    reason (TCP_REASM_END_FIN ...).  add(flow_id, dir, packet) gives it a
    decoded Packet; the connection ids (below capacity) and directions are
    the caller's, normally a flow table's.  An exception raised by the
    callback is raised again by the add() or flush() that ran it."""

    _close = staticmethod(lib.pktd_tcp_reasm_close)

    def __init__(self, capacity, budget, callback):
        super().__init__()
        self._user = callback
        self._error = None

        def trampoline(user, event, flow_id, direction, offset, data, length):
            if self._error is not None:
                return
            try:
                if event == TCP_REASM_DATA:
                    self._user(event, flow_id, direction, offset, ctypes.string_at(data, length), length)
                else:
                    self._user(event, flow_id, direction, offset, None, length)
            except BaseException as e:  # re-raised by the calling method
                self._error = e

        self._fn = TCP_REASM_FN(trampoline)
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_tcp_reasm_create(byref(self._h), capacity, budget, self._fn, None, eb),
               "pktd_tcp_reasm_create", lambda: _s(eb.value))

    def _errmsg(self):
        return _s(lib.pktd_tcp_reasm_errmsg(self._h)) if self._h else ""

    def _rethrow(self):
        if self._error is not None:
            e, self._error = self._error, None
            raise e

    def add(self, flow_id, direction, packet, ts_ns=0):
        """pktd_tcp_reasm_add(): one decoded TCP segment (a Packet)."""
        rc = lib.pktd_tcp_reasm_add(self._need(), flow_id, direction, packet._state, ts_ns)
        self._rethrow()
        return _check(rc, "pktd_tcp_reasm_add", self._errmsg)

    def flush(self, flow_id, reason=TCP_REASM_END_FLUSHED):
        """pktd_tcp_reasm_flush(): end a connection, free its id."""
        rc = lib.pktd_tcp_reasm_flush(self._need(), flow_id, reason)
        self._rethrow()
        return _check(rc, "pktd_tcp_reasm_flush", self._errmsg)

    def stats(self):
        """pktd_tcp_reasm_stats(): the TCP_REASM_STAT_* counters, as a list."""
        a = (c_uint64 * TCP_REASM_STAT_COUNT)()
        _check(lib.pktd_tcp_reasm_stats(self._need(), a, TCP_REASM_STAT_COUNT), "pktd_tcp_reasm_stats")
        return list(a)

    def flow_stats(self, flow_id, direction):
        """pktd_tcp_reasm_flow_stats(): one direction's TCP_REASM_FLOW_* counters."""
        a = (c_uint64 * TCP_REASM_FLOW_COUNT)()
        _check(lib.pktd_tcp_reasm_flow_stats(self._need(), flow_id, direction, a, TCP_REASM_FLOW_COUNT),
               "pktd_tcp_reasm_flow_stats")
        return list(a)


class Filter(_Handle):
    """A tcpdump filter expression run on frames in memory (pktd_filter_*,
    since 1.1): Filter(expr, linktype); match(data, wire_len=None) -> bool."""

    _close = staticmethod(lib.pktd_filter_close)

    def __init__(self, expr, linktype=LINKTYPE_ETHERNET):
        super().__init__()
        eb = ctypes.create_string_buffer(ERRBUF_SIZE)
        _check(lib.pktd_filter_create(byref(self._h), expr.encode(), linktype, eb),
               "pktd_filter_create", lambda: _s(eb.value))

    def match(self, data, wire_len=None):
        """pktd_filter_match(): whether the frame matches (wire length
        defaults to the captured length)."""
        keep, arg, n = _buffer(data)
        return lib.pktd_filter_match(self._need(), arg, n, n if wire_len is None else wire_len) == 1
