/* What SQLCipher's page format costs per 4 KB page, warm, through SQLCipher's own OpenSSL
 * provider and through Kindling's (Sources/CSQLCipher/provider.c): encrypting and decrypting
 * the page's 4016 bytes (AES-256-CBC), its HMAC (SHA-512, the format's; SHA-256 for
 * comparison) and a random IV.
 *
 *   cc -O2 -I/usr/include/sqlcipher -ISources/CSQLCipher/include -o page_crypto \
 *      Benchmarks/tools/page_crypto.c Sources/CSQLCipher/provider.c \
 *      /usr/lib/x86_64-linux-gnu/libsqlcipher.a -lcrypto -lm
 *   ./page_crypto 20000
 */
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kindling_sqlcipher.h"

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20000;
    static unsigned char key[32] = {1}, mac_key[32] = {2}, iv[16], in[4016], out[4016], mac[64], page_number[4];
    for (int i = 0; i < (int)sizeof in; i++) in[i] = (unsigned char)i;
    for (int cached = 0; cached < 2; cached++) {
        kindling_provider_table p;
        void *ctx = NULL;
        if (!kindling_sqlcipher_provider_for_test(cached, &p) || p.ctx_init(&ctx) != SQLITE_OK) return 1;
        double t[6];
        t[0] = now();
        for (int i = 0; i < n; i++) { iv[0] = (unsigned char)i; p.cipher(ctx, 1, key, 32, iv, in, sizeof in, out); }
        t[1] = now();
        for (int i = 0; i < n; i++) { iv[0] = (unsigned char)i; p.cipher(ctx, 0, key, 32, iv, out, sizeof out, in); }
        t[2] = now();
        for (int i = 0; i < n; i++) { page_number[0] = (unsigned char)i; p.hmac(ctx, 2, mac_key, 32, out, sizeof out, page_number, 4, mac); }
        t[3] = now();
        for (int i = 0; i < n; i++) { page_number[0] = (unsigned char)i; p.hmac(ctx, 1, mac_key, 32, out, sizeof out, page_number, 4, mac); }
        t[4] = now();
        for (int i = 0; i < n; i++) p.random(ctx, iv, sizeof iv);
        t[5] = now();
        printf("%s provider, per page (n=%d): encrypt %.2f us, decrypt %.2f us, HMAC-SHA512 %.2f us, "
               "HMAC-SHA256 %.2f us, random IV %.2f us\n", cached ? "Kindling's" : "SQLCipher's", n,
               (t[1] - t[0]) / n * 1e6, (t[2] - t[1]) / n * 1e6, (t[3] - t[2]) / n * 1e6, (t[4] - t[3]) / n * 1e6,
               (t[5] - t[4]) / n * 1e6);
        p.ctx_free(&ctx);
    }
    return 0;
}
