// bench-libtins: the decode benchmark through libtins, for comparison.
//
//   bench-libtins [-r ROUNDS] [-n MAXPKTS] FILE.pcap
//
// Per frame: Tins::EthernetII(data, len), which builds the whole PDU chain
// (one heap object per layer, headers and options copied into it, the
// payload copied into a RawPDU), then every field of every PDU is read:
// Ethernet addresses and type, each Dot1Q tag, ARP, IPv4 (and its option
// list), TCP with every option, UDP, ICMP, the payload size.  TCP options
// are decoded from the option list's bytes rather than with tcp.mss() and
// friends, which throw when an option is absent (an exception per missing
// option would cost far more than the decode), or with the to<>()
// converters, some of which allocate (SACK): this is libtins at its fastest.
// A frame libtins rejects (malformed_packet) counts as decoded.
#include "config.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <tins/tins.h>

#include "harness.h"

static inline uint64_t mac48(const Tins::HWAddress<6> &a)
{
    uint64_t v = 0;
    for (Tins::HWAddress<6>::const_iterator it = a.begin(); it != a.end(); ++it)
        v = v << 8 | *it;
    return v;
}

static inline uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t read_tcp(const Tins::TCP &t)
{
    uint64_t s = (uint64_t)t.sport() + t.dport() + t.seq() + t.ack_seq() + t.data_offset() +
                 t.flags() + t.window() + t.checksum() + t.urg_ptr();
    const Tins::TCP::options_type &opts = t.options();
    for (Tins::TCP::options_type::const_iterator o = opts.begin(); o != opts.end(); ++o) {
        const uint8_t *d = o->data_ptr();
        size_t n = o->data_size();
        switch (o->option()) {
        case Tins::TCP::MSS:
            if (n == 2)
                s += (uint32_t)(d[0] << 8 | d[1]);
            break;
        case Tins::TCP::WSCALE:
            if (n == 1)
                s += d[0];
            break;
        case Tins::TCP::SACK_OK:
            s += 1;
            break;
        case Tins::TCP::TSOPT:
            if (n == 8)
                s += (uint64_t)be32(d) ^ be32(d + 4);
            break;
        case Tins::TCP::SACK:
            for (size_t i = 0; i + 8 <= n; i += 8)
                s += (uint64_t)be32(d + i) ^ be32(d + i + 4);
            break;
        default:
            s += o->option();
        }
    }
    return s;
}

static uint64_t read_pdu(const Tins::PDU &p)
{
    switch (p.pdu_type()) {
    case Tins::PDU::DOT1Q: {
        const Tins::Dot1Q &q = static_cast<const Tins::Dot1Q &>(p);
        return (uint64_t)q.id() | (uint64_t)q.priority() << 12 | (uint64_t)q.payload_type() << 16;
    }
    case Tins::PDU::ARP: {
        const Tins::ARP &a = static_cast<const Tins::ARP &>(p);
        return (uint64_t)a.hw_addr_format() + a.prot_addr_format() + a.hw_addr_length() +
               a.prot_addr_length() + a.opcode() +
               (mac48(a.sender_hw_addr()) ^ mac48(a.target_hw_addr()) ^
                (uint32_t)a.sender_ip_addr() ^ (uint32_t)a.target_ip_addr());
    }
    case Tins::PDU::IP: {
        const Tins::IP &ip = static_cast<const Tins::IP &>(p);
        uint64_t s = (uint64_t)(uint32_t)ip.src_addr() + (uint32_t)ip.dst_addr() + ip.head_len() +
                     ip.tos() + ip.tot_len() + ip.id() + ip.flags() + ip.fragment_offset() +
                     ip.ttl() + ip.protocol() + ip.checksum();
        const Tins::IP::options_type &opts = ip.options();
        for (Tins::IP::options_type::const_iterator o = opts.begin(); o != opts.end(); ++o)
            s += o->data_size();
        return s;
    }
    case Tins::PDU::TCP:
        return read_tcp(static_cast<const Tins::TCP &>(p));
    case Tins::PDU::UDP: {
        const Tins::UDP &u = static_cast<const Tins::UDP &>(p);
        return (uint64_t)u.sport() + u.dport() + u.length() + u.checksum();
    }
    case Tins::PDU::ICMP: {
        const Tins::ICMP &c = static_cast<const Tins::ICMP &>(p);
        return (uint64_t)c.type() + c.code() + c.checksum();
    }
    case Tins::PDU::RAW:
        return static_cast<const Tins::RawPDU &>(p).payload_size();
    default:
        return p.pdu_type();
    }
}

static uint64_t walk(const struct bench_frames *f, void *)
{
    uint64_t s = 0;
    for (uint32_t i = 0; i < f->n; i++) {
        const struct bench_frame &fr = f->v[i];
        if (fr.linktype != 1)
            continue;
        try {
            Tins::EthernetII eth(fr.data, fr.len);
            s += (mac48(eth.dst_addr()) ^ mac48(eth.src_addr())) + eth.payload_type();
            for (const Tins::PDU *p = eth.inner_pdu(); p != NULL; p = p->inner_pdu())
                s += read_pdu(*p);
        } catch (const Tins::malformed_packet &) {
            s += 1;
        }
    }
    return s;
}

int main(int argc, char **argv)
{
    uint32_t rounds = 9, max = 0;
    const char *path;
    char err[256];
    struct bench_frames f;
    struct bench_result r;
    if (bench_parse_args(argc, argv, "bench-libtins", &rounds, &max, &path) != 0)
        return 2;
    if (bench_frames_load_pcap(&f, path, max, err, sizeof err) != 0) {
        std::fprintf(stderr, "bench-libtins: %s\n", err);
        return 1;
    }
    bench_run(&f, walk, NULL, rounds, &r);
    bench_print("libtins", f.n, &r);
    bench_frames_free(&f);
    return 0;
}
