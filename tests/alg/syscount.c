/* alg-syscount: run COUNT steady-state one-shot operations between two
 * getppid() markers, so that `strace` shows exactly which system calls one
 * operation costs (tests/alg/vm.tap counts them inside the VM).
 *
 *   alg-syscount hash|cipher COUNT SIZE
 *
 * hash: sha256 digests of SIZE bytes; cipher: cbc(aes) encryptions.  One
 * operation before the first marker takes the handle to its steady state
 * (the operation socket accepted). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pktdecode.h>

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "hash") != 0 && strcmp(argv[1], "cipher") != 0)) {
        fprintf(stderr, "usage: alg-syscount hash|cipher COUNT SIZE\n");
        return 2;
    }
    long count = atol(argv[2]);
    size_t size = (size_t)atol(argv[3]);
    uint8_t *in = calloc(1, size + 16), *out = calloc(1, size + 16), md[64];
    uint8_t key[16] = {1}, iv[16] = {2};
    if (in == NULL || out == NULL)
        return 1;
    int rc;
    if (strcmp(argv[1], "hash") == 0) {
        pktd_hash *h = NULL;
        rc = pktd_hash_open(&h, "sha256", NULL);
        if (rc == 0)
            rc = pktd_hash_digest(h, in, size, md, sizeof md) == 32 ? 0 : -1;
        (void)getppid();
        for (long i = 0; rc == 0 && i < count; i++)
            rc = pktd_hash_digest(h, in, size, md, sizeof md) == 32 ? 0 : -1;
        (void)getppid();
        pktd_hash_close(h);
    } else {
        pktd_cipher *c = NULL;
        size -= size % 16;
        rc = pktd_cipher_open(&c, "cbc(aes)", NULL);
        if (rc == 0)
            rc = pktd_cipher_setkey(c, key, sizeof key);
        if (rc == 0)
            rc = pktd_cipher_encrypt(c, iv, sizeof iv, in, size, out);
        (void)getppid();
        for (long i = 0; rc == 0 && i < count; i++)
            rc = pktd_cipher_encrypt(c, iv, sizeof iv, in, size, out);
        (void)getppid();
        pktd_cipher_close(c);
    }
    free(in);
    free(out);
    if (rc != 0) {
        fprintf(stderr, "alg-syscount: %s\n", pktd_strerror(rc));
        return 1;
    }
    return 0;
}
