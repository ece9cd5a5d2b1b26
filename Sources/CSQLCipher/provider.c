// SQLCipher's page cipher and page MAC, with OpenSSL 3's objects set up once per connection.
//
// SQLCipher 4.6.1 (the newest in Debian's archive for bookworm) encrypts and signs every page
// through its OpenSSL provider, which for each page fetches AES-256-CBC and HMAC from OpenSSL's
// global store, makes a cipher and a MAC context, runs the key schedule and the HMAC key set-up,
// and frees them again: about a third of what encryption adds to a durable save of ten pages
// (Benchmarks/tools/commit_floor.c, keyed). The provider below does the same computation with the same OpenSSL
// primitives, so the file format does not change and a journal moves freely between the two;
// it only keeps, per connection, a cipher context for each direction and a MAC context for each
// digest, keyed once, and gives each page only its IV (or restarts the MAC from its keyed state).
//
// SQLCipher lets a program register such a provider (sqlcipher_register_provider), but its
// Debian package installs no header for it, so the table is declared in kindling_sqlcipher.h as
// 4.6.1 lays it out, and `setup` checks that layout before trusting it. Anything unexpected
// leaves SQLCipher's own provider in place: slower, never different.
#define SQLITE_HAS_CODEC 1
#include <sqlcipher/sqlite3.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>

#include "kindling_sqlcipher.h"

// Exported by libsqlcipher, declared only in its source tree.
int sqlcipher_register_provider(kindling_provider_table *p);
int sqlcipher_openssl_setup(kindling_provider_table *p);
void *sqlcipher_malloc(sqlite3_uint64 size);
void sqlcipher_free(void *ptr, sqlite3_uint64 size);
char *sqlcipher_version(void);

enum { CIPHER_MODE_DECRYPT = 0, CIPHER_MODE_ENCRYPT = 1 };  // SQLCipher's CIPHER_DECRYPT/ENCRYPT
enum { MAC_SHA1 = 0, MAC_SHA256 = 1, MAC_SHA512 = 2, MAC_COUNT = 3 };  // SQLCIPHER_HMAC_*
enum { MAX_KEY = 64 };

static const char *const mac_digest[MAC_COUNT] = {"SHA1", "SHA256", "SHA512"};
static const size_t mac_size[MAC_COUNT] = {20, 32, 64};

/// What one connection keeps: a keyed context per direction and per digest, and the key each
/// was keyed with, to notice a new one (a rekey, or a database attached with another key).
typedef struct {
    EVP_CIPHER_CTX *cipher[2];
    unsigned char cipher_key[2][MAX_KEY];
    int cipher_key_sz[2];
    EVP_MAC_CTX *mac[MAC_COUNT];
    unsigned char mac_key[MAC_COUNT][MAX_KEY];
    int mac_key_sz[MAC_COUNT];
} cached_ctx;

static kindling_provider_table stock;
static EVP_CIPHER *aes_256_cbc;
static EVP_MAC *hmac;
static int usable;
static int registered;
static pthread_once_t register_once = PTHREAD_ONCE_INIT;

static int cached_cipher(void *vctx, int mode, unsigned char *key, int key_sz, unsigned char *iv,
                         unsigned char *in, int in_sz, unsigned char *out) {
    cached_ctx *ctx = vctx;
    int dir = mode == CIPHER_MODE_ENCRYPT ? 1 : 0;
    if (key_sz <= 0 || key_sz > MAX_KEY || in_sz < 0) return stock.cipher(NULL, mode, key, key_sz, iv, in, in_sz, out);
    EVP_CIPHER_CTX *c = ctx->cipher[dir];
    if (c == NULL) c = ctx->cipher[dir] = EVP_CIPHER_CTX_new();
    if (c == NULL) return SQLITE_NOMEM;
    if (ctx->cipher_key_sz[dir] != key_sz || CRYPTO_memcmp(ctx->cipher_key[dir], key, key_sz) != 0) {
        ctx->cipher_key_sz[dir] = 0;
        if (EVP_CipherInit_ex2(c, aes_256_cbc, key, iv, dir, NULL) != 1) return SQLITE_ERROR;
        if (EVP_CIPHER_CTX_set_padding(c, 0) != 1) return SQLITE_ERROR;
        memcpy(ctx->cipher_key[dir], key, key_sz);
        ctx->cipher_key_sz[dir] = key_sz;
    } else if (EVP_CipherInit_ex2(c, NULL, NULL, iv, dir, NULL) != 1) {
        return SQLITE_ERROR;
    }
    // A page is whole blocks and padding is off, so one update turns all of it; no final call
    // is needed, and one that wrote a padding block would write past the page.
    int written = 0;
    if (EVP_CipherUpdate(c, out, &written, in, in_sz) != 1 || written != in_sz) return SQLITE_ERROR;
    return SQLITE_OK;
}

static int cached_hmac(void *vctx, int algorithm, unsigned char *key, int key_sz, unsigned char *in, int in_sz,
                       unsigned char *in2, int in2_sz, unsigned char *out) {
    cached_ctx *ctx = vctx;
    if (algorithm < 0 || algorithm >= MAC_COUNT || key_sz <= 0 || key_sz > MAX_KEY || in == NULL)
        return stock.hmac(NULL, algorithm, key, key_sz, in, in_sz, in2, in2_sz, out);
    EVP_MAC_CTX *m = ctx->mac[algorithm];
    if (m == NULL) m = ctx->mac[algorithm] = EVP_MAC_CTX_new(hmac);
    if (m == NULL) return SQLITE_NOMEM;
    if (ctx->mac_key_sz[algorithm] != key_sz || CRYPTO_memcmp(ctx->mac_key[algorithm], key, key_sz) != 0) {
        ctx->mac_key_sz[algorithm] = 0;
        OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string("digest", (char *)mac_digest[algorithm], 0),
            OSSL_PARAM_construct_end(),
        };
        if (EVP_MAC_init(m, key, key_sz, params) != 1) return SQLITE_ERROR;
        memcpy(ctx->mac_key[algorithm], key, key_sz);
        ctx->mac_key_sz[algorithm] = key_sz;
    } else if (EVP_MAC_init(m, NULL, 0, NULL) != 1) {  // back to the keyed state, key kept
        return SQLITE_ERROR;
    }
    size_t length = 0;
    if (EVP_MAC_update(m, in, in_sz) != 1) return SQLITE_ERROR;
    if (in2 != NULL && EVP_MAC_update(m, in2, in2_sz) != 1) return SQLITE_ERROR;
    if (EVP_MAC_final(m, out, &length, mac_size[algorithm]) != 1 || length != mac_size[algorithm])
        return SQLITE_ERROR;
    return SQLITE_OK;
}

/// What `PRAGMA cipher_provider` answers on a connection that uses this provider.
static const char *cached_name(void *ctx) {
    (void)ctx;
    return KINDLING_SQLCIPHER_PROVIDER_NAME;
}

static int cached_ctx_init(void **out) {
    cached_ctx *ctx = sqlcipher_malloc(sizeof(cached_ctx));  // zeroed and locked, like SQLCipher's own
    if (ctx == NULL) return SQLITE_NOMEM;
    void *none = NULL;
    int rc = stock.ctx_init(&none);  // SQLCipher's own only counts the connection in
    if (rc != SQLITE_OK) {
        sqlcipher_free(ctx, sizeof(cached_ctx));
        return rc;
    }
    *out = ctx;
    return SQLITE_OK;
}

static int cached_ctx_free(void **slot) {
    cached_ctx *ctx = *slot;
    if (ctx == NULL) return SQLITE_OK;
    for (int dir = 0; dir < 2; dir++) EVP_CIPHER_CTX_free(ctx->cipher[dir]);  // OpenSSL clears the key schedules
    for (int a = 0; a < MAC_COUNT; a++) EVP_MAC_CTX_free(ctx->mac[a]);
    void *none = NULL;
    int rc = stock.ctx_free(&none);
    sqlcipher_free(ctx, sizeof(cached_ctx));  // cleared before it is released
    *slot = NULL;
    return rc;
}

static void setup(void) {
    // SQLCipher's setup fills the table it is given; give it room past the layout declared
    // above, so that a library whose table is longer is noticed instead of writing past ours.
    void *room[64] = {0};
    const char *version = sqlcipher_version();
    if (version == NULL || strncmp(version, "4.6.", 4) != 0) return;
    if (sqlcipher_openssl_setup((kindling_provider_table *)room) != SQLITE_OK) return;
    size_t entries = sizeof(kindling_provider_table) / sizeof(void *);
    for (size_t i = 0; i < 64; i++)
        if ((room[i] != NULL) != (i < entries)) return;
    memcpy(&stock, room, sizeof stock);
    aes_256_cbc = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    usable = aes_256_cbc != NULL && hmac != NULL && stock.get_key_sz(NULL) == EVP_CIPHER_get_key_length(aes_256_cbc);
}

static void cached_table(kindling_provider_table *p) {
    // SQLCipher's own entries keep no state in the context (its ctx_init allocates none), so
    // they take ours unharmed.
    *p = stock;
    p->get_provider_name = cached_name;
    p->cipher = cached_cipher;
    p->hmac = cached_hmac;
    p->ctx_init = cached_ctx_init;
    p->ctx_free = cached_ctx_free;
}

// SQLCipher frees the registered provider when its last keyed connection closes, and the next
// keying then sets up its own again. One keyed connection to a private temporary database
// (never read or written) stays open for the life of the process, so that what is registered
// here stays registered, and nothing needs to look at SQLCipher's provider (or its mutexes, which
// it frees at that same moment) again.
static void register_cached(void) {
    setup();
    if (!usable) return;
    sqlite3 *anchor = NULL;
    static const char anchor_key[] = "x'0000000000000000000000000000000000000000000000000000000000000000'";
    if (sqlite3_open_v2("", &anchor, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_key(anchor, anchor_key, (int)strlen(anchor_key)) != SQLITE_OK) {
        sqlite3_close(anchor);
        return;
    }
    kindling_provider_table *p = sqlcipher_malloc(sizeof(kindling_provider_table));  // SQLCipher's to free
    if (p == NULL) return;
    cached_table(p);
    registered = sqlcipher_register_provider(p) == SQLITE_OK;
}

int kindling_sqlcipher_use_cached_provider(void) {
    pthread_once(&register_once, register_cached);
    return registered;
}

int kindling_sqlcipher_provider_for_test(int cached, kindling_provider_table *table) {
    pthread_once(&register_once, register_cached);
    if (!usable) return 0;
    if (cached) cached_table(table);
    else *table = stock;
    return 1;
}
