/*
 * A downstream program, built by tests/release/installcheck.sh against an
 * installed libpktdecode with nothing but `pkg-config libpktdecode`: it must
 * find the headers, link (shared and static) and run.  It checks what a
 * consumer relies on: the run-time version matches the headers it was
 * compiled with and the version pkg-config reports, the opaque state size
 * matches, errors have names, and a frame and a capture file decode.
 *
 * usage: downstream VERSION [CAPTURE]   (prints one summary line; exit 0 ok)
 */
#include <pktdecode.h>

#include <stdio.h>
#include <string.h>

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "downstream: FAIL %s\n", what);
        failures++;
    }
}

/* Ethernet / IPv4 (no options) / TCP SYN with an MSS option, 10.0.0.1:40000
 * -> 10.0.0.2:80.  Checksums are left 0: only the fields are checked here. */
static const uint8_t frame[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
    0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x60, 0x02, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x04, 0x05, 0xb4,
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: downstream VERSION [CAPTURE]\n");
        return 2;
    }

    /* Versions: headers, library and pkg-config agree. */
    expect(strcmp(pktd_version_string(), argv[1]) == 0, "pktd_version_string() == pkg-config --modversion");
    expect(strcmp(pktd_version_string(), PKTD_VERSION_STRING) == 0, "run-time version == header version");
    expect(pktd_version() == PKTD_VERSION_NUMBER, "pktd_version() == PKTD_VERSION_NUMBER");
    expect(pktd_packet_size() == sizeof(pktd_packet), "pktd_packet_size() == sizeof(pktd_packet)");

    /* Errors. */
    expect(strcmp(pktd_err_name(PKTD_E_TRUNCATED), "truncated") == 0, "pktd_err_name(PKTD_E_TRUNCATED)");
    expect(pktd_strerror(PKTD_E_MALFORMED)[0] != '\0', "pktd_strerror(PKTD_E_MALFORMED)");

    /* One frame. */
    pktd_packet p;
    int rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, frame, sizeof frame);
    uint16_t mss = 0;
    expect(rc == 0, "pktd_decode() == 0");
    expect(pktd_packet_has(&p, PKTD_LAYER_TCP), "TCP layer present");
    expect(pktd_ipv4_src(&p) == 0x0a000001u && pktd_ipv4_dst(&p) == 0x0a000002u, "IPv4 addresses");
    expect(pktd_tcp_sport(&p) == 40000 && pktd_tcp_dport(&p) == 80, "TCP ports");
    expect(pktd_tcp_opt_mss(&p, &mss) >= 0 && mss == 1460, "TCP MSS option");

    /* A truncated frame fails with a code that has a name. */
    rc = pktd_decode(&p, PKTD_LINKTYPE_ETHERNET, frame, 30);
    expect(rc == PKTD_E_TRUNCATED, "cut frame -> PKTD_E_TRUNCATED");

    /* A capture file, if given: count its packets. */
    unsigned long packets = 0, tcp = 0;
    if (argc > 2) {
        pktd_reader *r;
        rc = pktd_reader_open_path(&r, argv[2], NULL);
        if (rc < 0) {
            fprintf(stderr, "downstream: %s: %s\n", argv[2], pktd_strerror(rc));
            return 1;
        }
        const uint8_t *data;
        size_t len;
        while ((rc = pktd_reader_next(r, &data, &len)) > 0) {
            packets++;
            (void)pktd_decode(&p, pktd_reader_linktype(r), data, len);
            tcp += (unsigned long)pktd_packet_has(&p, PKTD_LAYER_TCP);
        }
        expect(rc == 0, "reader reached the end cleanly");
        pktd_reader_close(r);
    }

    printf("libpktdecode %s packets=%lu tcp=%lu failures=%d\n", pktd_version_string(), packets, tcp,
           failures);
    return failures ? 1 : 0;
}
