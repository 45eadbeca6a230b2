/* The flow table against tshark's conversation tables (`tshark -z conv,tcp`
 * and `-z conv,udp`, tshark 4.0) on the tcpdump corpus captures listed in
 * tests/data/flow_tshark.files: tests/data/flow_tshark.tsv, written by
 * tests/flow/flow_tshark_gen.py, holds one line per conversation.
 *
 * Each conversation must be one of our flows (same protocol, same two
 * endpoints, same first packet time) with the same packets each way, the
 * same bytes each way (frame lengths on the wire) when the generator could
 * derive them exactly, and the same duration to tshark's 4 decimals.
 * Conversations tshark has and we do not, TCP/UDP flows we have and
 * tshark does not, and differing values are counted by cause (the list of
 * captures of each cause below) and must equal the figures measured; a
 * difference in any other capture fails.  doc/design.md, "Flow table (1.1)",
 * explains each cause. */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pktdecode.h>

#define MAX_ROWS 2048
#define MAX_FLOWS 4096

/* Measured when this test was written; see the file comment. */
#define EXPECT_ROWS 502u
#define EXPECT_MATCHED 489u

/* The causes of the conversations only one side has, by capture:
 * - tunnels: the inner TCP/UDP of VXLAN and Geneve is counted at every
 *   level as tshark counts it (14 conversations that only tshark had before
 *   the tunnel levels were fed to the table now match), but in the zone of
 *   its tunnel: geneve.pcap's one TCP connection goes out in VNI 10 and comes
 *   back in VNI 11, one conversation for tshark and two flows here (one
 *   value difference, one flow of ours).  tshark also counts the inner UDP
 *   of NSH over VXLAN-GPE, L2TP and OpenFlow packet-ins, which the decoder
 *   does not open (3 conversations only tshark has);
 * - malformed: a UDP length beyond the IP payload; the decoder rejects the
 *   UDP header, so the packet has no ports and no flow (NO_TRANSPORT),
 *   where tshark still counts it;
 * - routing: an IPv6 routing header with segments left; tshark's
 *   conversation address is the final destination, ours the destination
 *   field of the packet as captured (each such flow is on both lists).
 * And one difference of values: timestamp_invalid_micro.pcap has a
 * microsecond field of 2^31, which the reader carries into the seconds
 * (2147.48 s later) and tshark shows as .000000000; the duration differs. */
struct cause {
    const char *name;
    unsigned theirs, ours, values;
    const char *files[12];
};
static const struct cause causes[] = {
    {"tunnels", 3, 1, 1,
     {"geneve-gcp.pcap", "geneve.pcap", "gso-ipv4-geneve-ipv4.pcap", "gso-ipv4-geneve-ipv6.pcap",
      "gso-ipv4-vxlan-ipv4.pcap", "gso-ipv4-vxlan-ipv6.pcap", "gso-ipv6-geneve-ipv4.pcap",
      "gso-ipv6-geneve-ipv6.pcap", "gso-ipv6-vxlan-ipv4.pcap", "gso-ipv6-vxlan-ipv6.pcap",
      "nsh-over-vxlan-gpe.pcap", NULL}},
    {"tunnels (2)", 0, 0, 0,
     {"l2tp-avp-overflow.pcap", "lspping-fec-ldp.pcap", "lspping-fec-rsvp.pcap",
      "of13_ericsson.pcapng", NULL}},
    {"malformed", 7, 0, 0, {"babel_update_oobr.pcap", NULL}},
    {"routing", 3, 3, 0, {"ipv6-routing-header.pcap", "ipv6-srh-insert-cksum.pcap", NULL}},
    {"timestamp", 0, 0, 1, {"timestamp_invalid_micro.pcap", NULL}},
};
#define NCAUSES (sizeof causes / sizeof causes[0])
static unsigned seen_theirs[NCAUSES], seen_ours[NCAUSES], seen_values[NCAUSES];

/* The cause a capture's differences are filed under (the two tunnel rows
 * share one count); fails for a capture with no known cause. */
static unsigned cause_of(const char *file)
{
    for (unsigned c = 0; c < NCAUSES; c++)
        for (unsigned i = 0; causes[c].files[i] != NULL; i++)
            if (strcmp(causes[c].files[i], file) == 0)
                return c == 1 ? 0 : c;
    ck_abort_msg("%s: a difference with no known cause", file);
    return 0;
}

struct row {
    char file[256], a[64], b[64];
    unsigned proto, pa, pb;
    long long f_ab, b_ab, f_ba, b_ba;
    int64_t start_ns;
    double dur;
    int matched;
};

struct flow {
    unsigned proto;
    char src[64], dst[64];
    unsigned sport, dport;
    uint64_t first_ns, last_ns, pkts[2], bytes[2];
    int matched;
};

/* A difference is printed and counted under its capture's cause. */
static unsigned cause_of(const char *file);
static unsigned seen_values[];
#define DIFFER_UNLESS(cond, file, ...)                                                  \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            fprintf(stderr, __VA_ARGS__);                                               \
            fputc('\n', stderr);                                                        \
            seen_values[cause_of(file)]++;                                              \
        }                                                                               \
    } while (0)

static struct row rows[MAX_ROWS];
static unsigned nrows;
static struct flow flows[MAX_FLOWS];
static unsigned nflows;

static void load_rows(void)
{
    char path[4096];
    const char *top = getenv("top_srcdir");
    snprintf(path, sizeof path, "%s/tests/data/flow_tshark.tsv", top != NULL ? top : ".");
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[1024];
    while (fgets(line, sizeof line, f) != NULL) {
        ck_assert_uint_lt(nrows, MAX_ROWS);
        struct row *r = &rows[nrows];
        long long start;
        int n = sscanf(line, "%255s %u %63s %u %63s %u %lld %lld %lld %lld %lld %lf", r->file,
                       &r->proto, r->a, &r->pa, r->b, &r->pb, &r->f_ab, &r->b_ab, &r->f_ba,
                       &r->b_ba, &start, &r->dur);
        ck_assert_msg(n == 12, "bad line in %s: %s", path, line);
        r->start_ns = start;
        nrows++;
    }
    fclose(f);
}

static void export_flow(void *user, const pktd_flow *f)
{
    (void)user;
    ck_assert_uint_lt(nflows, MAX_FLOWS);
    struct flow *x = &flows[nflows++];
    memset(x, 0, sizeof *x);
    x->proto = pktd_flow_proto(f);
    if (pktd_flow_ip_version(f) == 4) {
        (void)pktd_ipv4_format(pktd_flow_ipv4_src(f), x->src, sizeof x->src);
        (void)pktd_ipv4_format(pktd_flow_ipv4_dst(f), x->dst, sizeof x->dst);
    } else {
        (void)pktd_ipv6_format(pktd_flow_ipv6_src(f), x->src, sizeof x->src);
        (void)pktd_ipv6_format(pktd_flow_ipv6_dst(f), x->dst, sizeof x->dst);
    }
    x->sport = pktd_flow_sport(f);
    x->dport = pktd_flow_dport(f);
    x->first_ns = pktd_flow_first_ns(f);
    x->last_ns = pktd_flow_last_ns(f);
    for (uint32_t d = 0; d < 2; d++) {
        x->pkts[d] = pktd_flow_packets(f, d);
        x->bytes[d] = pktd_flow_bytes(f, d);
    }
}

/* The flows of one capture, exported in first-packet order by a flush;
 * returns the capture's first timestamp. */
static uint64_t flows_of(const char *file)
{
    char path[4096];
    const char *top = getenv("top_srcdir");
    snprintf(path, sizeof path, "%s/tests/corpus/tcpdump/%s", top != NULL ? top : ".", file);
    pktd_reader *r;
    char errbuf[PKTD_ERRBUF_SIZE];
    ck_assert_msg(pktd_reader_open_path(&r, path, errbuf) == 0, "%s", errbuf);
    pktd_flow_table *t;
    /* No timeouts: tshark's tables have none. */
    ck_assert_int_eq(pktd_flow_table_create(&t, 65536, 0, 0, errbuf), 0);
    ck_assert_int_eq(pktd_flow_table_set_export(t, export_flow, NULL), 0);
    nflows = 0;
    const uint8_t *data;
    size_t caplen;
    uint64_t first = 0;
    int rc, n = 0;
    while ((rc = pktd_reader_next(r, &data, &caplen)) == 1) {
        if (n++ == 0)
            first = pktd_reader_ts_ns(r);
        /* The packet and every tunnel level, in the zone of its tunnel, as
         * pktd-flows counts it (tshark's tables have the inner
         * conversations). */
        pktd_packet lv[2];
        const pktd_packet *level;
        uint64_t zone;
        uint32_t cursor = 0;
        (void)pktd_decode(&lv[0], pktd_reader_linktype(r), data, caplen);
        while (pktd_packet_level_next(&lv[0], &cursor, lv, &level, &zone))
            ck_assert_int_ge(pktd_flow_table_update(t, level, pktd_reader_ts_ns(r),
                                                    pktd_reader_wire_len(r), zone, NULL, NULL),
                             0);
    }
    ck_assert_int_ge(pktd_flow_table_flush(t), 0);
    pktd_flow_table_close(t);
    pktd_reader_close(r);
    return first;
}

/* tshark computes the relative start in double-precision seconds, so far
 * from the first frame (a bogus timestamp) its last digits are rounding:
 * allow 2^-50 of the value (under a nanosecond below 13 days). */
static int same_start(int64_t ours, int64_t theirs)
{
    int64_t d = ours > theirs ? ours - theirs : theirs - ours;
    int64_t mag = theirs < 0 ? -theirs : theirs;
    return d <= (mag >> 50);
}

static int same_endpoints(const struct row *r, const struct flow *x, int *a_is_src)
{
    if (r->proto != x->proto)
        return 0;
    if (strcmp(r->a, x->src) == 0 && r->pa == x->sport && strcmp(r->b, x->dst) == 0 &&
        r->pb == x->dport) {
        *a_is_src = 1;
        return 1;
    }
    if (strcmp(r->b, x->src) == 0 && r->pb == x->sport && strcmp(r->a, x->dst) == 0 &&
        r->pa == x->dport) {
        *a_is_src = 0;
        return 1;
    }
    return 0;
}

START_TEST(test_conversations_agree)
{
    load_rows();
    ck_assert_uint_eq(nrows, EXPECT_ROWS);
    unsigned matched = 0, theirs_only = 0, ours_only = 0;
    for (unsigned i = 0; i < nrows;) {
        unsigned end = i;
        while (end < nrows && strcmp(rows[end].file, rows[i].file) == 0)
            end++;
        uint64_t first = flows_of(rows[i].file);
        for (unsigned j = i; j < end; j++) {
            struct row *r = &rows[j];
            for (unsigned k = 0; k < nflows && !r->matched; k++) {
                struct flow *x = &flows[k];
                int a_is_src;
                if (x->matched || !same_endpoints(r, x, &a_is_src) ||
                    !same_start((int64_t)(x->first_ns - first), r->start_ns))
                    continue;
                x->matched = r->matched = 1;
                matched++;
                uint32_t ab = a_is_src ? PKTD_FLOW_FWD : PKTD_FLOW_REV;
                DIFFER_UNLESS((long long)x->pkts[ab] == r->f_ab && (long long)x->pkts[!ab] == r->f_ba, r->file,
                              "%s %s.%u-%s.%u: packets %" PRIu64 "/%" PRIu64 ", tshark %lld/%lld",
                              r->file, r->a, r->pa, r->b, r->pb, x->pkts[ab], x->pkts[!ab],
                              r->f_ab, r->f_ba);
                if (r->b_ab >= 0)
                    DIFFER_UNLESS((long long)x->bytes[ab] == r->b_ab &&
                                      (long long)x->bytes[!ab] == r->b_ba,
                                  r->file,
                                  "%s %s.%u-%s.%u: bytes %" PRIu64 "/%" PRIu64
                                  ", tshark %lld/%lld",
                                  r->file, r->a, r->pa, r->b, r->pb, x->bytes[ab],
                                  x->bytes[!ab], r->b_ab, r->b_ba);
                char dur[32];
                snprintf(dur, sizeof dur, "%.4f", (double)(x->last_ns - x->first_ns) / 1e9);
                DIFFER_UNLESS(strtod(dur, NULL) == r->dur, r->file, "%s %s.%u-%s.%u: duration %s, tshark %.4f",
                              r->file, r->a, r->pa, r->b, r->pb, dur, r->dur);
            }
            if (!r->matched) {
                theirs_only++;
                seen_theirs[cause_of(r->file)]++;
                fprintf(stderr, "tshark only: %s %u %s.%u %s.%u %lld+%lld pkts start %" PRId64 "\n",
                        r->file, r->proto, r->a, r->pa, r->b, r->pb, r->f_ab, r->f_ba,
                        r->start_ns);
            }
        }
        for (unsigned k = 0; k < nflows; k++) {
            struct flow *x = &flows[k];
            if (x->matched || (x->proto != 6 && x->proto != 17))
                continue;
            ours_only++;
            seen_ours[cause_of(rows[i].file)]++;
            fprintf(stderr, "ours only: %s %u %s.%u %s.%u %" PRIu64 "+%" PRIu64 " pkts start %" PRId64 "\n",
                    rows[i].file, x->proto, x->src, x->sport, x->dst, x->dport, x->pkts[0],
                    x->pkts[1], (int64_t)(x->first_ns - first));
        }
        i = end;
    }
    fprintf(stderr, "matched %u, tshark only %u, ours only %u\n", matched, theirs_only, ours_only);
    ck_assert_uint_eq(matched, EXPECT_MATCHED);
    for (unsigned c = 0; c < NCAUSES; c++) {
        ck_assert_msg(seen_theirs[c] == causes[c].theirs, "%s: %u tshark-only conversations, expected %u",
                      causes[c].name, seen_theirs[c], causes[c].theirs);
        ck_assert_msg(seen_ours[c] == causes[c].ours, "%s: %u flows tshark does not have, expected %u",
                      causes[c].name, seen_ours[c], causes[c].ours);
        ck_assert_msg(seen_values[c] == causes[c].values, "%s: %u different values, expected %u",
                      causes[c].name, seen_values[c], causes[c].values);
    }
}
END_TEST

static Suite *flow_tshark_suite(void)
{
    Suite *s = suite_create("flow_tshark");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_conversations_agree);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(flow_tshark_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
